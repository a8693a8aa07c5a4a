using System.Globalization;
using SoftmaxGen.Generation.Model;
using SoftmaxGen.Generation.Plan;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The math specific to SoftmaxCrossEntropy: loss = −Σ_i q_i log p_i with q = onehot(t) (optionally smoothed) or given
/// target probabilities, and its gradient (p·Σq − q)/T, fused in one pass over the row. The loss is summed from
/// non-negative terms, (m − x_i)/T and log s = log1p(s′) with s′ the sum that excludes the maximum's exp (Blanchard,
/// Higham and Higham 2021), so a tiny loss keeps its relative accuracy.
/// </summary>
internal sealed partial class KernelEmitter
{
    private bool SoftTargets => _spec.SlotAt(1) == SlotKind.Values;

    private double Smoothing => _spec.LabelSmoothing;

    /// <summary>The user method's checks that every hard target is a class index (or the ignore index), before anything is written.</summary>
    private void EmitTargetChecks(string throwHelpers, string n)
    {
        if (SoftTargets)
        {
            return;
        }

        string targets = P(1);
        string ignore = _spec.IgnoreIndex is { } index ? $" && {{0}} != {index.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
        if (_spec.SlotAt(1) == SlotKind.Index)
        {
            Check($"(uint){targets} >= (uint){n}" + string.Format(CultureInfo.InvariantCulture, ignore, targets),
                $"{throwHelpers}.ThrowTargetOutOfRange(nameof({targets}), 0, {targets}, {n});");
            return;
        }

        string row = UnusedName("row");
        using (_w.Block($"for (int {row} = 0; {row} < {targets}.Length; {row}++)"))
        {
            string t = $"{targets}[{row}]";
            Check($"(uint){t} >= (uint){n}" + string.Format(CultureInfo.InvariantCulture, ignore, t),
                $"{throwHelpers}.ThrowTargetOutOfRange(nameof({targets}), {row}, {t}, {n});");
        }
    }

    /// <summary>A local name for the user method that none of its parameters has.</summary>
    private string UnusedName(string name)
    {
        foreach (KernelParameter parameter in _spec.Parameters)
        {
            if (parameter.Name.TrimStart('@') == name)
            {
                return UnusedName(name + "_");
            }
        }

        return name;
    }

    private void EmitCrossEntropyRun()
    {
        string k = _spec.K.ToString(CultureInfo.InvariantCulture);
        string target = SoftTargets ? "q" : _spec.Form == KernelForm.ScalarResult ? "target" : "targets";
        string gradient = HasGradient ? ", g" : string.Empty;
        string tArg = _spec.HasRuntimeTemperature ? ", t" : string.Empty;
        if (_spec.Form == KernelForm.ScalarResult)
        {
            using (_w.Block($"internal static {T} Run(ReadOnlySpan<{T}> x, {SlotType(1)} {target}{(HasGradient ? $", Span<{T}> g" : string.Empty)}{TParam})"))
            {
                _w.Line($"return {Round($"Row(x, {target}{gradient}{tArg})")};");
            }

            return;
        }

        string gradients = HasGradient ? $", Span<{T}> g" : string.Empty;
        using (_w.Block($"internal static void Run(ReadOnlySpan<{T}> x, {SlotType(1)} {target}, Span<{T}> losses{gradients}{TParam})"))
        {
            if (_spec.AnyLength)
            {
                _w.Line($"losses[0] = {Round($"Row(x, {(SoftTargets ? "q" : "targets[0]")}{gradient}{tArg})")};");
                return;
            }

            using (_w.Block("for (int row = 0; row < losses.Length; row++)"))
            {
                _w.Line($"int start = row * {k};");
                string rowTarget = SoftTargets ? $"q.Slice(start, {k})" : "targets[row]";
                string rowGradient = HasGradient ? $", g.Slice(start, {k})" : string.Empty;
                _w.Line($"losses[row] = {Round($"Row(x.Slice(start, {k}), {rowTarget}{rowGradient}{tArg})")};");
            }
        }
    }

    /// <summary>One row: the loss (returned in double) and, when the form has one, the gradient written to g.</summary>
    private void EmitCrossEntropyRow()
    {
        string target = SoftTargets ? $"ReadOnlySpan<{T}> q" : "int target";
        string gradient = HasGradient ? $", Span<{T}> g" : string.Empty;
        string tArg = _spec.HasRuntimeTemperature ? ", t" : string.Empty;
        using (_w.Block($"private static double Row(ReadOnlySpan<{T}> x, {target}{gradient}{TParam})"))
        {
            if (_spec.IgnoreIndex is { } ignore && !SoftTargets)
            {
                _w.Comment("The ignore index: loss 0 and a zero gradient.");
                using (_w.Block($"if (target == {ignore.ToString(CultureInfo.InvariantCulture)})"))
                {
                    if (HasGradient)
                    {
                        _w.Line("g.Clear();");
                    }

                    _w.Line("return 0;");
                }

                _w.Line();
            }

            EmitOwnRowDispatch("x, target" + (HasGradient ? ", g" : string.Empty));

            EmitRowMaxAndIndex();
            using (_w.Block($"if (hasNaN || {T}.IsInfinity(m))"))
            {
                _w.Line($"return SpecialRow(x, {(SoftTargets ? "q" : "target")}{(HasGradient ? ", g" : string.Empty)}, m, hasNaN{tArg});");
            }

            _w.Line();
            EmitSumWithoutMaximum(store: HasGradient, deviations: !SoftTargets && Smoothing > 0);
            _w.Line("double logS = Log1P(sp);");
            _w.Line();
            EmitCrossEntropyLoss();
            if (HasGradient)
            {
                _w.Line();
                EmitCrossEntropyGradient();
            }

            _w.Line();
            _w.Line("return loss;");
        }

        _w.Line();
        EmitCrossEntropySpecialRow();
        EmitLog1P();
        foreach (VectorWidth w in _plan.OwnRowWidths)
        {
            EmitCrossEntropyVectorRow(w);
        }
    }

    /// <summary>
    /// One row on vectors of width <paramref name="w"/> (hard targets, no temperature or smoothing): the row maximum, the exps
    /// (into g) and s′ without the maxima's exact 1s, then the loss and p − onehot(t). The last vector overlaps the one
    /// before it, as in the forward kernels.
    /// </summary>
    private void EmitCrossEntropyVectorRow(VectorWidth w)
    {
        string v = w.V, l = w.Lanes.ToString(CultureInfo.InvariantCulture);
        string gradient = HasGradient ? $", Span<{T}> g" : string.Empty;
        string integer = IsFloat ? "int" : "long";
        _w.Line($"/// <summary>Cross-entropy of one row on {w.Bits}-bit vectors of {l} lanes.</summary>");
        EmitHotAttribute();
        using (_w.Block($"private static double Row{w.Bits}(ReadOnlySpan<{T}> x, int target{gradient})"))
        {
            if (HasGradient)
            {
                _w.Line($"ref {T} gr = ref MemoryMarshal.GetReference(g);");
            }

            EmitVectorRowMax(w);
            _w.Line($"{T} m = VectorMath.MaxAcross(rowMax);");
            _w.Line($"bool hasNaN = !{v}.EqualsAll(check, check) && x.IndexOf({T}.NaN) >= 0;");
            using (_w.Block($"if (hasNaN || !{T}.IsFinite(m))"))
            {
                _w.Line($"return SpecialRow(x, target{(HasGradient ? ", g" : string.Empty)}, m, hasNaN);");
            }

            _w.Line();
            _w.Comment("e_j = exp(x_j − m)" + (HasGradient ? " into g" : string.Empty) + "; s′ sums them without the maxima's exp(0) = 1 (masked out),"
                + (IsFloat ? " in double." : " compensated by TwoSum."));
            _w.Line($"var vm = {v}.Create(m);");
            if (IsFloat)
            {
                _w.Line($"var s0 = {v}<double>.Zero;");
                _w.Line($"var s1 = {v}<double>.Zero;");
            }
            else
            {
                _w.Line($"var s = {v}<double>.Zero;");
                _w.Line($"var c = {v}<double>.Zero;");
            }

            _w.Line($"var ties = {v}<{T}>.Zero;");
            using (_w.Block($"for (i = 0; i < last; i += {l})"))
            {
                _w.Line($"var xv = {v}.LoadUnsafe(ref xr, i);");
                _w.Line("var e = VectorMath.Exp(xv, vm);");
                if (HasGradient)
                {
                    _w.Line($"{v}.StoreUnsafe(e, ref gr, i);");
                }

                _w.Line($"var top = {v}.Equals(xv, vm);");
                _w.Line($"ties += top & {v}<{T}>.One;");
                EmitMaskedAccumulate(v, $"{v}.AndNot(e, top)", "lane");
            }

            _w.Line();
            _w.Comment("The last vector: only the lanes the loop did not cover count towards s′.");
            _w.Line("var et = VectorMath.Exp(tail, vm);");
            _w.Line($"var fresh = {v}.As{(IsFloat ? "Single" : "Double")}({v}.GreaterThanOrEqual({v}<{integer}>.Indices, {v}.Create(({integer})(({l} - (x.Length % {l})) % {l}))));");
            _w.Line($"var tailTop = {v}.Equals(tail, vm) & fresh;");
            _w.Line($"ties += tailTop & {v}<{T}>.One;");
            EmitMaskedAccumulate(v, $"{v}.AndNot(et & fresh, tailTop)", "tail");
            if (HasGradient)
            {
                _w.Line($"{v}.StoreUnsafe(et, ref gr, last);");
            }

            _w.Line();
            _w.Comment("Every maximum's term is exactly 1: one of them is the 1 in s = 1 + s′, the others belong to s′.");
            string sum = IsFloat ? $"{v}.Sum(s0 + s1)" : "VectorMath.SumAcross(s, c, out double spLo) + spLo";
            _w.Line($"double sp = {sum} + ({v}.Sum(ties) - 1);");
            _w.Line($"double loss = ((double)m - x[target]) + Log1P(sp);");
            if (HasGradient)
            {
                _w.Line();
                _w.Comment("∂loss/∂x_i = p_i − [i = t], p_i = e_i / s; at the target p_t − 1 = −s′/s when it is a maximum (no cancellation).");
                _w.Line("double sAll = 1 + sp;");
                _w.Line("double pMinusOne = x[target] == m ? -sp / sAll : (g[target] / sAll) - 1;");
                _w.Line("double inv = 1.0 / sAll;");
                if (IsFloat)
                {
                    _w.Line($"var ih = {v}.Create((float)inv);");
                    _w.Line($"var il = {v}.Create((float)(inv - (float)inv));");
                }
                else
                {
                    _w.Line($"var ih = {v}.Create(inv);");
                    _w.Line($"var il = {v}.Create(Math.FusedMultiplyAdd(-sAll, inv, 1.0) * inv);");
                }

                _w.Line($"var gt = {v}.LoadUnsafe(ref gr, last);");
                using (_w.Block($"for (i = 0; i < last; i += {l})"))
                {
                    _w.Line($"var e = {v}.LoadUnsafe(ref gr, i);");
                    _w.Line($"{v}.StoreUnsafe(VectorMath.MultiplyHiLo(e, ih, il), ref gr, i);");
                }

                _w.Line();
                _w.Line($"{v}.StoreUnsafe(VectorMath.MultiplyHiLo(gt, ih, il), ref gr, last);");
                _w.Line($"g[target] = {Round("(pMinusOne)")};");
            }

            _w.Line();
            _w.Line("return loss;");
        }

        _w.Line();
    }

    /// <summary>Adds a vector of exps to s′: widened to double for float, with a TwoSum step per lane for double.</summary>
    private void EmitMaskedAccumulate(string v, string masked, string name)
    {
        if (IsFloat)
        {
            _w.Line($"var ({name}Lower, {name}Upper) = {v}.Widen({masked});");
            _w.Line($"s0 += {name}Lower;");
            _w.Line($"s1 += {name}Upper;");
            return;
        }

        _w.Line($"var {name}E = {masked};");
        foreach (string line in TwoSum.Accumulate("var ", "s", name + "E", name + "Sum", name + "Bv", "c").Split('\n'))
        {
            _w.Line(line);
        }

        _w.Line($"s = {name}Sum;");
    }

    /// <summary>The loss from non-negative terms: q_t (m − x_t)/T + log s for a hard target, Σ_i q_i (m − x_i)/T + Σq·log s for soft ones.</summary>
    private void EmitCrossEntropyLoss()
    {
        string n = "x.Length";
        if (!SoftTargets)
        {
            _w.Comment(Smoothing > 0
                ? "loss = (1 − ε)(m − x_t)/T + log s + (ε/K) Σ_i (m − x_i)/T: every term is ≥ 0, so a tiny loss stays exact."
                : "loss = −log p_t = (m − x_t)/T + log s: both terms are ≥ 0, so a tiny loss stays exact.");
            string gap = Scaled($"(double)m - x[target]");
            if (Smoothing > 0)
            {
                string eps = Literal(Smoothing);
                _w.Line($"double loss = ((1 - {eps}) * ({gap})) + logS + ({eps} / {n} * ({Scaled("dev")}));");
            }
            else
            {
                _w.Line($"double loss = {gap} + logS;");
            }

            return;
        }

        _w.Comment("loss = Σ_i q_i ((m − x_i)/T + log s): terms with q_i = 0 add nothing, even where p_i = 0.");
        _w.Line("double qSum = 0, dot = 0" + (IsFloat ? ";" : ", qSumC = 0, dotC = 0;"));
        using (_w.Block($"for (int i = 0; i < {n}; i++)"))
        {
            _w.Line($"double qi = {SmoothedQ("q[i]")};");
            _w.Line("if (qi == 0) continue;");
            if (IsFloat)
            {
                _w.Line("qSum += qi;");
                _w.Line("dot += qi * ((double)m - x[i]);");
            }
            else
            {
                EmitNeumaierStep("qi", "qSum", "qSumC", "nextQ");
                _w.Line("double term = qi * (m - x[i]);");
                EmitNeumaierStep("term", "dot", "dotC", "next");
            }
        }

        if (!IsFloat)
        {
            _w.Line("qSum += qSumC;");
        }

        // A +∞ term (q_i > 0 on a −∞ logit) makes the compensation NaN; the loss is then +∞.
        _w.Line($"double loss = {Scaled(IsFloat ? "dot" : "(double.IsInfinity(dot) ? dot : dot + dotC)")} + (qSum * logS);");
    }

    /// <summary>q_i for soft targets, mixed with the uniform distribution when the attribute smooths labels.</summary>
    private string SmoothedQ(string q) => Smoothing > 0 ? $"(((1 - {Literal(Smoothing)}) * {q}) + ({Literal(Smoothing)} / x.Length))" : q;

    /// <summary>g = (p·Σq − q)/T from the stored exponentials (g holds e_j = exp(z_j)); p_a − 1 = −s′/s exactly at the maximum.</summary>
    private void EmitCrossEntropyGradient()
    {
        _w.Line("double s = 1 + sp;");
        if (SoftTargets)
        {
            _w.Comment("∂loss/∂x_i = (p_i Σq − q_i)/T, which is (p_i − q_i)/T for a distribution q.");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line($"g[i] = {Round(Scaled($"(g[i] / s * qSum) - {SmoothedQ("q[i]")}"))};");
            }

            return;
        }

        _w.Comment("∂loss/∂x_i = (p_i − q_i)/T; at the target p_t − 1 = −s′/s when it is the maximum (no cancellation).");
        _w.Line("double pMinusOne = target == a ? -sp / s : (g[target] / s) - 1;");
        string uniform = Smoothing > 0 ? $" - ({Literal(Smoothing)} / x.Length)" : string.Empty;
        using (_w.Block("for (int i = 0; i < x.Length; i++)"))
        {
            _w.Line($"g[i] = {Round(Scaled($"(g[i] / s){uniform}"))};");
        }

        string atTarget = Smoothing > 0 ? $"pMinusOne + ({Literal(Smoothing)} * (1 - (1.0 / x.Length)))" : "pMinusOne";
        _w.Line($"g[target] = {Round(Scaled(atTarget))};");
    }

    /// <summary>NaN rows, fully masked rows and rows with +∞ logits, where the limits apply.</summary>
    private void EmitCrossEntropySpecialRow()
    {
        string target = SoftTargets ? $"ReadOnlySpan<{T}> q" : "int target";
        string gradient = HasGradient ? $", Span<{T}> g" : string.Empty;
        _w.Line("/// <summary>NaN or an all −∞ row gives NaN; m = +∞ gives the limit: the c entries equal to +∞ share p = 1/c.</summary>");
        _w.Line("[MethodImpl(MethodImplOptions.NoInlining)]");
        using (_w.Block($"private static double SpecialRow(ReadOnlySpan<{T}> x, {target}{gradient}, {T} m, bool hasNaN{TParam})"))
        {
            EmitLimitsStart(HasGradient);

            _w.Line();
            _w.Comment("−log p_i is log c on the +∞ entries and +∞ elsewhere; entries with q_i = 0 add nothing.");
            _w.Line("double loss = 0, qSum = 0;");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line($"double qi = {SpecialQ()};");
                _w.Line("qSum += qi;");
                _w.Line($"if (qi != 0) loss += qi * ({T}.IsPositiveInfinity(x[i]) ? Math.Log(count) : double.PositiveInfinity);");
            }

            if (HasGradient)
            {
                _w.Line();
                using (_w.Block("for (int i = 0; i < x.Length; i++)"))
                {
                    _w.Line($"double p = {T}.IsPositiveInfinity(x[i]) ? 1.0 / count : 0;");
                    _w.Line($"g[i] = {Round(Scaled($"(p * qSum) - {SpecialQ()}"))};");
                }
            }

            _w.Line();
            _w.Line("return loss;");
        }

        _w.Line();
    }

    /// <summary>q_i in the special rows (per element, as these rows are rare).</summary>
    private string SpecialQ()
    {
        if (SoftTargets)
        {
            return SmoothedQ("q[i]");
        }

        return Smoothing > 0
            ? $"((i == target ? 1 - {Literal(Smoothing)} : 0) + ({Literal(Smoothing)} / x.Length))"
            : "(i == target ? 1 : 0)";
    }
}
