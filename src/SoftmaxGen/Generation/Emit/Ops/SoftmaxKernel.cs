using SoftmaxGen.Generation.Model;
using SoftmaxGen.Generation.Plan;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The math specific to Softmax: p_i = exp(x_i − m) / Σ_j exp(x_j − m). The shared phases (row maximum, shifted exponentials and their sum,
/// the vector and batch paths' loops, the argument checks) are written by the other parts of <see cref="KernelEmitter"/>.
/// </summary>
internal sealed partial class KernelEmitter
{
    /// <summary>The scalar row of Softmax (and its limits), the path every vector path falls back on.</summary>
    private void EmitSoftmaxRow()
    {
        string ros = $"ReadOnlySpan<{T}>";
        string span = $"Span<{T}>";
        EmitHotAttribute();
        using (_w.Block($"private static void Row({ros} x{MaskParam}, {span} y{TParam})"))
        {
            EmitSimdDispatch();
            EmitRowMax();
            EmitSpecialRowDispatch();
            _w.Comment($"Shifted exponentials e_j = exp(z_j) ∈ [0, 1] and their sum s ≥ 1.");
            EmitSum(store: true);
            _w.Line();
            _w.Comment("Normalise: p_j = e_j / s.");
            using (_w.Block("for (int i = 0; i < y.Length; i++)"))
            {
                _w.Line(IsFloat ? "y[i] = (float)(y[i] / s);" : "y[i] /= s;");
            }
        }

        _w.Line();
        EmitSpecialRow(log: false);
    }

    /// <summary>The last phase of Softmax's vector row on width <paramref name="w"/>, after the row maximum and the sum s.</summary>
    private void EmitSoftmaxVectorRowEnd(VectorWidth w)
    {
        Template(w, "{V}.StoreUnsafe(et, ref yr, last);");
        _w.Line();
        if (IsFloat)
        {
            Template(w, """
                // Normalise: p_j = e_j·(1/s), with 1/s as float hi + lo, so rounding 1/s to float adds no bias to Σ_j p_j.
                double inv = 1.0 / s;
                var ih = {V}.Create((float)inv);
                var il = {V}.Create((float)(inv - (float)inv));
                """);
        }
        else
        {
            Template(w, """
                // Normalise: p_j = e_j·(1/s) with 1/(s_hi + s_lo) as hi + lo (FMA residual), so Σ_j p_j stays within an ulp or two of 1.
                double invHi = 1.0 / sHi;
                double invLo = (Math.FusedMultiplyAdd(-sHi, invHi, 1.0) - (sLo * invHi)) * invHi;
                var ih = {V}.Create(invHi);
                var il = {V}.Create(invLo);
                """);
        }

        Template(w, """
            var yt = {V}.LoadUnsafe(ref yr, last);
            for (i = 0; i < last; i += {L})
            {
                var e = {V}.LoadUnsafe(ref yr, i);
                {V}.StoreUnsafe(VectorMath.MultiplyHiLo(e, ih, il), ref yr, i);
            }

            {V}.StoreUnsafe(VectorMath.MultiplyHiLo(yt, ih, il), ref yr, last);
            """);
    }

    /// <summary>The last phase of Softmax on a transposed block of width <paramref name="w"/>, after the lane-wise maxima and sums.</summary>
    private void EmitSoftmaxBlockEnd(VectorWidth w, (string, string)[] keys)
    {
        Template(w, IsFloat
            ? """
                    // p_j = e_j·(1/s), with 1/s per lane as float hi + lo (so rounding 1/s adds no bias to Σ_j p_j).
                    var inv0 = {V}<double>.One / s0;
                    var inv1 = {V}<double>.One / s1;
                    var ih = {V}.Narrow(inv0, inv1);
                    var (ih0, ih1) = {V}.Widen(ih);
                    var il = {V}.Narrow(inv0 - ih0, inv1 - ih1);
                """
            : """
                    // p_j = e_j·(1/(s + c)), as hi + lo from 1/s and its FMA residual.
                    var ih = {V}<double>.One / s;
                    var il = ({V}.FusedMultiplyAdd(-s, ih, {V}<double>.One) - (c * ih)) * ih;
                """);
        Template(w, """
                for (nuint j = 0; j < {K}; j++)
                {
                    var e = {V}.LoadUnsafe(ref tr, j * {L});
                    {V}.StoreUnsafe(VectorMath.MultiplyHiLo(e, ih, il), ref tr, j * {L});
                }

            """, keys);
    }
}
