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
        using (_w.Block($"private static void Row({ros} x{MaskParam}, {span} y{TParam})"))
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
                    _w.Line($"y[i] = (float)({Z(Xi("i"))} - logSum);");
                }
                else
                {
                    _w.Line($"double z = {ShiftCall(Xi("i"))};");
                    _w.Line("y[i] = (z - logSum) + zLow;");
                }
            }
        }

        _w.Line();
        EmitSpecialRow(log: true);
        EmitLog1P();
        if (IsFloat && (_plan.HasVectorRows || _plan.HasShortRows))
        {
            EmitDominantHelpers();
        }
    }

    /// <summary>
    /// For float vector rows and blocks, whose sums are s = 1 + s′ in double: below 1 + 2⁻¹⁰ the sum is taken again without
    /// the maxima (their exp(0) = 1 exactly), as s′ itself, so the dominant entry's log p = −log1p(s′) is accurate relative to
    /// itself. Rows that far from uniform (p_max above 0.999) pay one more pass of exps.
    /// </summary>
    private void EmitDominantHelpers()
    {
        _w.Line("/// <summary>Below this s = 1 + s′ the sum is recomputed as s′ (the maxima left out), so a tiny s′ keeps its digits.</summary>");
        _w.Line("private const double DominantLimit = 1.0009765625;");
        _w.Line();
        foreach (VectorWidth w in _plan.RowWidths)
        {
            string v = w.V, l = w.Lanes.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _w.Line("/// <summary>s′ = Σ_j exp(x_j − m) over the entries below the maximum, plus one for each further maximum.</summary>");
            _w.Line("[MethodImpl(MethodImplOptions.NoInlining)]");
            using (_w.Block($"private static double DominantSum{w.Bits}(ReadOnlySpan<float> x{MaskParam}, float m)"))
            {
                _w.Line("ref float xr = ref MemoryMarshal.GetReference(x);");
                EmitMaskReference();
                _w.Line($"nuint last = (nuint)(x.Length - {l});");
                _w.Line($"var vm = {v}.Create(m);");
                _w.Line($"var s0 = {v}<double>.Zero;");
                _w.Line($"var s1 = {v}<double>.Zero;");
                using (_w.Block($"for (nuint i = 0; i < last; i += {l})"))
                {
                    _w.Line($"var xv = {LoadX(w, "i")};");
                    EmitMaskedAccumulate(v, $"{v}.AndNot(VectorMath.Exp(xv, vm), {v}.Equals(xv, vm))", "lane");
                }

                _w.Line();
                _w.Line($"var tail = {LoadX(w, "last")};");
                _w.Line($"var fresh = {v}.AsSingle({v}.GreaterThanOrEqual({v}<int>.Indices, {v}.Create(({l} - (x.Length % {l})) % {l})));");
                EmitMaskedAccumulate(v, $"{v}.AndNot(VectorMath.Exp(tail, vm) & fresh, {v}.Equals(tail, vm))", "tail");
                if (_spec.HasMask)
                {
                    _w.Line("int ties = 0;");
                    _w.Line("for (int j = 0; j < x.Length; j++) ties += mask[j] && x[j] == m ? 1 : 0;");
                    _w.Line($"return {v}.Sum(s0 + s1) + (ties - 1);");
                }
                else
                {
                    _w.Line($"return {v}.Sum(s0 + s1) + (x.Count(m) - 1);");
                }
            }

            _w.Line();
        }

        foreach (VectorWidth w in _plan.ShortRowWidths)
        {
            string v = w.V, l = w.Lanes.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string k = _spec.K.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _w.Line("/// <summary>log s per lane of a block (columns t[j·L + r]), with s′ summed again without the maxima where s is below the limit.</summary>");
            _w.Line("[MethodImpl(MethodImplOptions.NoInlining)]");
            using (_w.Block($"private static {v}<float> DominantLogS{w.Bits}(ref float tr, {v}<float> m, {v}<double> s0, {v}<double> s1)"))
            {
                _w.Line($"var q0 = {v}<double>.Zero;");
                _w.Line($"var q1 = {v}<double>.Zero;");
                _w.Line($"var ties = {v}<float>.Zero;");
                using (_w.Block($"for (nuint j = 0; j < {k}; j++)"))
                {
                    _w.Line($"var t = {v}.LoadUnsafe(ref tr, j * {l});");
                    _w.Line($"var top = {v}.Equals(t, m);");
                    _w.Line($"var (a0, a1) = {v}.Widen({v}.AndNot(VectorMath.Exp(t, m), top));");
                    _w.Line("q0 += a0;");
                    _w.Line("q1 += a1;");
                    _w.Line($"ties += top & {v}<float>.One;");
                }

                _w.Line();
                _w.Comment("s′ = the sum below the maximum plus one for each further maximum; log1p(s′) by its series (s′ < 2⁻¹⁰ where it is used).");
                _w.Line($"var (c0, c1) = {v}.Widen(ties);");
                _w.Line($"q0 += c0 - {v}<double>.One;");
                _w.Line($"q1 += c1 - {v}<double>.One;");
                _w.Line($"var limit = {v}.Create(DominantLimit);");
                _w.Line($"var l0 = {v}.ConditionalSelect({v}.LessThan(s0, limit), Log1PSmall(q0), VectorMath.LogAtLeastOneForFloat(s0));");
                _w.Line($"var l1 = {v}.ConditionalSelect({v}.LessThan(s1, limit), Log1PSmall(q1), VectorMath.LogAtLeastOneForFloat(s1));");
                _w.Line($"return {v}.Narrow(l0, l1);");
            }

            _w.Line();
            _w.Line("/// <summary>log(1 + q) for 0 ≤ q &lt; 2⁻¹⁰: q − q²/2 + … + q⁷/7 (the next term is below 2⁻⁷⁰·q).</summary>");
            _w.Line(AggressiveInlining);
            using (_w.Block($"private static {v}<double> Log1PSmall({v}<double> q)"))
            {
                _w.Line($"var p = {v}.Create(1.0 / 7);");
                foreach (string c in new[] { "-1.0 / 6", "1.0 / 5", "-1.0 / 4", "1.0 / 3", "-1.0 / 2", "1.0" })
                {
                    _w.Line($"p = {v}.FusedMultiplyAdd(p, q, {v}.Create({c}));");
                }

                _w.Line("return p * q;");
            }

            _w.Line();
        }
    }

    /// <summary>The last phase of LogSoftmax's vector row on width <paramref name="w"/>, after the row maximum and the sum s.</summary>
    private void EmitLogSoftmaxVectorRowEnd(VectorWidth w)
    {
        _w.Line();
        Template(w, IsFloat
            ? """
                // log p_j = (x_j − m) − log s, s ≥ 1. A dominant maximum leaves s = 1 + s′ with s′ under double's resolution at 1:
                // then s′ is summed again without the maxima's exact 1s, so its log-probability −log1p(s′) keeps its relative accuracy.
                var logS = {V}.Create((float)(s < DominantLimit ? Log1P(DominantSum{W}(x{MASK}, m)) : Math.Log(s)));
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
        if (IsFloat)
        {
            Template(w, """
                    // A row whose maximum dominates has s = 1 + s′ with s′ lost to double's resolution at 1: such blocks sum s′ again.
                    if ({V}.LessThanAny(s0, {V}.Create(DominantLimit)) || {V}.LessThanAny(s1, {V}.Create(DominantLimit)))
                    {
                        logS = DominantLogS{W}(ref tr, m, s0, s1);
                    }

                """, keys);
        }
        Template(w, """
                // log p_j = (x_j − m) − log s, lane-wise.
                for (nuint j = 0; j < {K}; j++)
                {
                    {V}.StoreUnsafe(VectorMath.LogP({V}.LoadUnsafe(ref tr, j * {L}), m, logS), ref tr, j * {L});
                }

            """, keys);
    }
}
