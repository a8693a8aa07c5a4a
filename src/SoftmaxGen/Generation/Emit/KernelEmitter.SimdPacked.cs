using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SoftmaxGen.Generation.Model;
using SoftmaxGen.Generation.Plan;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// Softmax for small K that divides the lane count at least four times (on Vector512: K = 2, 4 for float; 2 for
/// double): several rows per vector, with each row's max and sum formed by in-register butterflies (lane l meets
/// lane l xor d), so no lane is wasted and there is no per-row call. Vectors holding NaN or an infinite row maximum hand their rows to the
/// scalar row code, so the edge cases stay identical.
/// </summary>
internal sealed partial class KernelEmitter
{
    /// <summary>The remarks sentence about packed rows, or null.</summary>
    private string? PackedPathNote() => _plan.HasPackedRows
        ? "Batches: " + string.Join(", else ", _plan.PackedWidths.Select(w => $"Vector{w.Bits} holds {w.Lanes / _spec.K} rows")) +
          " (segmented max and TwoSum-compensated sum by in-register butterflies, 1/s as hi + lo); rows left over take the row path."
        : null;

    /// <summary>At the top of Run: hand the whole batch to the widest accelerated packed path.</summary>
    private void EmitPackedDispatch()
    {
        if (!_plan.HasPackedRows)
        {
            return;
        }

        _w.Comment($"K = {_spec.K} divides the lane count: several rows per vector on the widest accelerated width (the JIT folds these checks).");
        foreach (VectorWidth w in _plan.PackedWidths)
        {
            _w.Line($"if ({w.V}.IsHardwareAccelerated) {{ Packed{w.Bits}(x, y{TArg}); return; }}");
        }

        _w.Line();
    }

    /// <summary>The packed batch methods, after the vector rows.</summary>
    private void EmitPackedRows()
    {
        if (!_plan.HasPackedRows)
        {
            return;
        }

        foreach (VectorWidth w in _plan.PackedWidths)
        {
            EmitPacked(w);
        }
    }

    /// <summary>A constant shuffle pairing lane l with lane l xor d.</summary>
    private string Butterfly(VectorWidth w, int d)
    {
        string suffix = IsFloat ? string.Empty : "L";
        return $"{w.V}.Create({string.Join(", ", Enumerable.Range(0, w.Lanes).Select(l => (l ^ d).ToString(CultureInfo.InvariantCulture) + suffix))})";
    }

    private void EmitPacked(VectorWidth w)
    {
        int k = _spec.K;
        int rows = w.Lanes / k;
        string ros = $"ReadOnlySpan<{T}>";
        string span = $"Span<{T}>";
        _w.Line($"/// <summary>Softmax of {rows} row{(rows == 1 ? string.Empty : "s")} of K = {k} per {w.Bits}-bit vector; rows left over take <c>Row</c>.</summary>");
        EmitHotAttribute();
        using (_w.Block($"private static void Packed{w.Bits}({ros} x, {span} y{TParam})"))
        {
            Template(w, """
                ref {T} xr = ref MemoryMarshal.GetReference(x);
                ref {T} yr = ref MemoryMarshal.GetReference(y);
                nuint n = (nuint)x.Length;
                nuint i = 0;
                {SCALESETUP}
                for (; i + {L} <= n; i += {L})
                {
                    var v = {V}.LoadUnsafe(ref xr, i);

                    // Row maxima m, each broadcast over its row's K lanes (butterfly: lane l meets lane l xor d, d < K).
                """);
            for (int d = 1; d < k; d <<= 1)
            {
                string source = d == 1 ? "v" : "m";
                _w.Line($"    {(d == 1 ? "var " : string.Empty)}m = {w.V}.MaxNative({source}, {w.V}.Shuffle({source}, {Butterfly(w, d)}));");
            }

            Template(w, """

                    // NaN anywhere, or an infinite row maximum (+∞ entries, all −∞): this vector's rows take the scalar limits.
                    var ok = {V}.Equals(v, v) & {V}.Equals(m - m, {V}<{T}>.Zero);
                    if (!{V}.EqualsAll({V}.{AsI}(ok), {V}<{I}>.AllBitsSet))
                    {
                        for (nuint r = i; r < i + {L}; r += {K})
                        {
                            Row(x.Slice((int)r, {K}), y.Slice((int)r, {K}){TA});
                        }

                        continue;
                    }

                    // e_j = exp(x_j − m) ∈ [0, 1]; row sums s + c by a TwoSum butterfly, so s + c is Σ_j e_j to within a rounding of c.
                    var e = VectorMath.Exp({SC}v, m);
                    var s = e;
                    var c = {V}<{T}>.Zero;
                """, ("{K}", k.ToString(CultureInfo.InvariantCulture)));
            for (int d = 1; d < k; d <<= 1)
            {
                _w.Line($"    var s{d} = {w.V}.Shuffle(s, {Butterfly(w, d)});");
                _w.Line($"    var t{d} = s + s{d};");
                _w.Line($"    var b{d} = t{d} - s;");
                string carried = d == 1 ? string.Empty : $" + {w.V}.Shuffle(c, {Butterfly(w, d)})";
                _w.Line($"    c = c{carried} + ((s - (t{d} - b{d})) + (s{d} - b{d}));");
                _w.Line($"    s = t{d};");
            }

            Template(w, """

                    // p_j = e_j / (s + c): 1/s and its FMA residual give 1/(s + c) as hi + lo, so Σ_j p_j has no bias.
                    var ih = {V}<{T}>.One / s;
                    var il = ({V}.FusedMultiplyAdd(-s, ih, {V}<{T}>.One) - (c * ih)) * ih;
                    {V}.StoreUnsafe(VectorMath.MultiplyHiLo(e, ih, il), ref yr, i);
                }

                // Rows left over (fewer than a vector's worth).
                for (; i < n; i += {K})
                {
                    Row(x.Slice((int)i, {K}), y.Slice((int)i, {K}){TA});
                }
                """, ("{K}", k.ToString(CultureInfo.InvariantCulture)));
        }

        _w.Line();
    }
}
