using SoftmaxGen.Generation.Model;
using SoftmaxGen.Generation.Plan;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The math specific to LogSoftmax: log p_i = (x_i − m) − log Σ_j exp(x_j − m). The shared phases (row maximum, shifted exponentials and their sum,
/// the vector and batch paths' loops, the argument checks) are written by the other parts of <see cref="KernelEmitter"/>.
/// </summary>
internal sealed partial class KernelEmitter
{
    /// <summary>The scalar row of LogSoftmax (and its limits), the path every vector path falls back on.</summary>
    private void EmitLogSoftmaxRow()
    {
        string ros = $"ReadOnlySpan<{T}>";
        string span = $"Span<{T}>";
        EmitHotAttribute();
        using (_w.Block($"private static void Row({ros} x, {span} y{TParam})"))
        {
            EmitSimdDispatch();
            EmitRowMaxAndIndex();
            EmitSpecialRowDispatch();
            EmitSumWithoutMaximum(store: false, deviations: false);
            _w.Comment("log p_i = z_i − log1p(s′): the dominant entry's −log1p(s′) is accurate relative to itself, not only to 1.");
            _w.Line("double logSum = Log1P(sp);");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                if (IsFloat)
                {
                    _w.Line($"y[i] = (float)({Z("x[i]")} - logSum);");
                }
                else
                {
                    _w.Line($"double z = {ShiftCall("x[i]")};");
                    _w.Line("y[i] = (z - logSum) + zLow;");
                }
            }
        }

        _w.Line();
        EmitSpecialRow(log: true);
        EmitLog1P();
    }

    /// <summary>The last phase of LogSoftmax's vector row on width <paramref name="w"/>, after the row maximum and the sum s.</summary>
    private void EmitLogSoftmaxVectorRowEnd(VectorWidth w)
    {
        _w.Line();
        Template(w, IsFloat
            ? """
                // log p_j = (x_j − m) − log s, s ≥ 1.
                var logS = {V}.Create((float)Math.Log(s));
                """
            : """
                // log p_j = (x_j − m) − log s, s = s_hi + s_lo ≥ 1.
                var logS = {V}.Create(Math.Log(sHi) + (sLo / sHi));
                """);
        Template(w, """
            for (i = 0; i < last; i += {L})
            {
                {V}.StoreUnsafe(VectorMath.LogP({V}.LoadUnsafe(ref xr, i), vm, logS), ref yr, i);
            }

            {V}.StoreUnsafe(VectorMath.LogP(tail, vm, logS), ref yr, last);
            """);
    }

    /// <summary>The last phase of LogSoftmax on a transposed block of width <paramref name="w"/>, after the lane-wise maxima and sums.</summary>
    private void EmitLogSoftmaxBlockEnd(VectorWidth w, (string, string)[] keys)
    {
        Template(w, IsFloat
            ? """
                    // log s per lane, in double (s ≥ 1), rounded once to float.
                    var logS = {V}.Narrow(VectorMath.LogAtLeastOneForFloat(s0), VectorMath.LogAtLeastOneForFloat(s1));
                """
            : """
                    // log(s + c) = log s + c/s per lane.
                    var logS = VectorMath.LogAtLeastOne(s) + (c / s);
                """);
        Template(w, """
                // log p_j = (x_j − m) − log s, lane-wise.
                for (nuint j = 0; j < {K}; j++)
                {
                    {V}.StoreUnsafe(VectorMath.LogP({V}.LoadUnsafe(ref tr, j * {L}), m, logS), ref tr, j * {L});
                }

            """, keys);
    }
}
