using System.Globalization;
using SoftmaxGen.Generation.Plan;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The math specific to ArgMax: the index of the largest entry of each row, the first one on ties, −1 when the row holds
/// a NaN. The vector rows take the maximum lane-wise, then search for its first occurrence with vector compares; the sum of the row, NaN only if a NaN is in it (or infinities of both signs meet), tells when to look
/// for a NaN at all.
/// </summary>
internal sealed partial class KernelEmitter
{
    private void EmitArgMaxRun()
    {
        string k = _spec.K.ToString(CultureInfo.InvariantCulture);
        if (_spec.Form == Model.KernelForm.ScalarResult)
        {
            using (_w.Block($"internal static int Run(ReadOnlySpan<{T}> x)"))
            {
                _w.Line("return Row(x);");
            }

            return;
        }

        using (_w.Block($"internal static void Run(ReadOnlySpan<{T}> x, Span<int> indices)"))
        {
            if (_spec.AnyLength)
            {
                _w.Line("indices[0] = Row(x);");
                return;
            }

            using (_w.Block("for (int row = 0; row < indices.Length; row++)"))
            {
                _w.Line($"indices[row] = Row(x.Slice(row * {k}, {k}));");
            }
        }
    }

    private void EmitArgMaxRow()
    {
        EmitHotAttribute();
        using (_w.Block($"private static int Row(ReadOnlySpan<{T}> x)"))
        {
            EmitOwnRowDispatch("x");

            _w.Comment("The first largest entry; a NaN anywhere gives −1.");
            _w.Line("int best = 0;");
            _w.Line($"{T} m = x[0];");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line($"{T} v = x[i];");
                _w.Line("if (v > m) { m = v; best = i; }");
                _w.Line($"else if ({T}.IsNaN(v)) return -1;");
            }

            _w.Line();
            _w.Line("return best;");
        }

        _w.Line();
        foreach (VectorWidth w in _plan.OwnRowWidths)
        {
            string v = w.V, l = w.Lanes.ToString(CultureInfo.InvariantCulture);
            _w.Line($"/// <summary>Arg-max of one row on {w.Bits}-bit vectors of {l} lanes: the maximum lane-wise, then its first index.</summary>");
            EmitHotAttribute();
            using (_w.Block($"private static int Row{w.Bits}(ReadOnlySpan<{T}> x)"))
            {
                EmitVectorRowMax(w);
                _w.Line($"if (!{v}.EqualsAll(check, check) && x.IndexOf({T}.NaN) >= 0) return -1;");
                _w.Line();
                _w.Comment("The first lane equal to the maximum (Span.IndexOf is not vectorised for floating point).");
                _w.Line($"var vm = {v}.Create(VectorMath.MaxAcross(rowMax));");
                using (_w.Block($"for (i = 0; i < last; i += {l})"))
                {
                    _w.Line($"var hits = {v}.ExtractMostSignificantBits({v}.Equals({v}.LoadUnsafe(ref xr, i), vm));");
                    _w.Line("if (hits != 0) return (int)i + global::System.Numerics.BitOperations.TrailingZeroCount(hits);");
                }

                _w.Line();
                _w.Line($"return (int)last + global::System.Numerics.BitOperations.TrailingZeroCount({v}.ExtractMostSignificantBits({v}.Equals(tail, vm)));");
            }

            _w.Line();
        }
    }
}
