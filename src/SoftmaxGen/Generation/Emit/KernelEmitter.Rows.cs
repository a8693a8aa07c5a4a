using System.Linq;
using SoftmaxGen.Generation.Model;
using SoftmaxGen.Generation.Plan;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// Scalar row kernels. float rows are computed in double and rounded once; double rows carry the rounding
/// error of x − m into the exponential and sum with compensation, so both stay within a few ulps.
/// </summary>
internal sealed partial class KernelEmitter
{
    private bool HasTemperature => _spec.HasTemperature;

    /// <summary>
    /// Whether the double rows divide x − m by T to double-double accuracy: the losses and entropies promise a few ulps
    /// relative even when tiny, which a rounded z = d/T (off by |z|·2⁻⁵³, so exp(z) by |z| ulps) would break.
    /// </summary>
    private bool ExactTemperedShift => _spec.Op is KernelOp.SoftmaxCrossEntropy or KernelOp.SoftmaxEntropy;

    /// <summary>The temperature as a double expression inside the kernel class.</summary>
    private string Tv => _spec.Base is null ? TvReal
        : IsFloat ? (HasRealTemperature ? $"({TvReal} * BaseTemperature)" : "BaseTemperature")
        : HasRealTemperature ? $"({TvReal} / LogBase)" : "(1 / LogBase)";

    /// <summary>A temperature the user gave (compile-time or run time), as against the 1/|ln b| of a base alone.</summary>
    private bool HasRealTemperature => _spec.Temperature is not null || _spec.HasRuntimeTemperature;

    /// <summary>The user's temperature as a double expression.</summary>
    private string TvReal => _spec.Temperature is not null ? "Temperature" : "(double)t";

    /// <summary>double rows with a base multiply x − m by ln b as a double-double (LogBase + LogBaseLow), then divide by T.</summary>
    private bool MultipliesByLogBase => !IsFloat && _spec.Base is not null;

    /// <summary>
    /// Logit i as the scalar rows read it: x[i], or −x[i] for softmin and a base below 1 (negation is exact, so the rows take
    /// the maximum of −x, which is minus the row minimum, and the rest of the softmax math is unchanged).
    /// </summary>
    private string Xi(string i)
    {
        string x = _spec.Negated ? $"-x[{i}]" : $"x[{i}]";
        return _spec.HasMask ? $"(mask[{i}] ? {x} : {T}.NegativeInfinity)" : x;
    }

    /// <summary>The mask parameter of the row methods (after the logits), or nothing.</summary>
    private string MaskParam => _spec.HasMask ? ", ReadOnlySpan<bool> mask" : string.Empty;

    /// <summary>The mask argument of the row calls, or nothing.</summary>
    private string MaskArg => _spec.HasMask ? ", mask" : string.Empty;

    private string TParam => _spec.HasRuntimeTemperature ? $", {T} t" : string.Empty;

    private string Formula()
    {
        if (_spec.Normalizer is not null)
        {
            return NormalizerFormula();
        }

        string formula = KernelOperations.For(_spec.Op).FormulaFor(HasTemperature, _spec.Negated);
        return _spec.Negated && _spec.Op != KernelOp.Softmin ? formula.Replace("m = max_j x_j", "m = min_j x_j") : formula;
    }

    /// <summary>The stability paragraph, for the operations with the max-shifted forward reduction.</summary>
    private string? StabilityNote() => _spec.Normalizer is not null ? NormalizerStabilityNote() : !KernelOperations.For(_spec.Op).HasForwardReduction ? KernelOperations.For(_spec.Op).StabilityNote :
            "Numerically stable: the row " + (_spec.Negated ? "minimum" : "maximum") + " is subtracted before exp" +
            (HasTemperature ? " (and before dividing by T)" : string.Empty) + ", so every exponent is ≤ 0 " +
            "and exp cannot overflow; the largest term is exactly 1, so the sum is ≥ 1 and its logarithm is finite. " +
            (_spec.Negated
                ? "NaN anywhere gives NaN; −∞ entries share the whole probability (the limit); +∞ entries get probability 0"
                : "NaN anywhere gives NaN; +∞ entries share the whole probability (the limit); −∞ entries get probability 0") +
            (_spec.Op == KernelOp.LogSumExp ? (_spec.Negated ? "; an all +∞ row gives +∞." : "; an all −∞ row gives −∞.") : _spec.ZeroFullyMaskedRows
                ? $"; an all {Masked} (fully masked) row gives probabilities 0 and log-probabilities −∞."
                : $"; an all {Masked} (fully masked) row gives NaN.");

    /// <summary>The value that masks an entry out: −∞, or +∞ for the rows that read −x.</summary>
    private string Masked => _spec.Negated ? "+∞" : "−∞";

    /// <summary>The remarks' code paths: a bullet list of the plan's paths, or one sentence for a scalar-only kernel.</summary>
    private void EmitPathNotes()
    {
        if (_plan.OwnRowWidths.Count > 0)
        {
            _w.Doc("para", "Code paths:");
            _w.Line("/// <list type=\"bullet\">");
            string widths = string.Join(", else ", _plan.OwnRowWidths.Select(w => $"Vector{w.Bits} ({w.Lanes} lanes" + (_spec.AnyLength ? $", rows of at least {w.Lanes}" : string.Empty) + ")"));
            _w.Doc("item><description", $"Rows: {widths} when the hardware accelerates it, else scalar; the last vector of a row overlaps the one before it.", "description></item");
            if (_spec.Op == KernelOp.SoftmaxSample)
            {
                _w.Doc("item><description", "The row maximum and the weights' block sums are vector code; each weight is the same exp, lane-wise or scalar, and " +
                    "the sums keep one association on every path, so the same u gives the same index on every path.", "description></item");
                _w.Doc("item><description", "TopK / TopP thresholds and the final search inside one block are scalar.", "description></item");
            }
            else if (_spec.Op == KernelOp.ArgMax)
            {
                _w.Doc("item><description", "The maximum lane-wise, then the first lane equal to it by vector compares; a NaN is searched for only when the row's sum is NaN.", "description></item");
            }
            else
            {
                _w.Doc("item><description", "The exps are the forward kernels' vector exp; s′ is summed " + (IsFloat ? "in double" : "with TwoSum") + " with the maxima masked out.", "description></item");
                _w.Doc("item><description", "Rows with NaN or ±∞ maxima take the scalar special-row code.", "description></item");
            }
            _w.Line("/// </list>");
            return;
        }

        if (_spec.Normalizer is not null)
        {
            _w.Doc("para", IsFloat ? "Code path: scalar; each row is computed in double precision and rounded once to float."
                : "Code path: scalar; the sums are compensated.");
            return;
        }

        if (_spec.Op == KernelOp.GumbelSoftmax)
        {
            _w.Doc("para", GumbelPathNote);
            return;
        }

        if (SimdPathNotes() is not { } notes)
        {
            _w.Doc("para", _spec.Op == KernelOp.ArgMax ? "Code path: scalar." : IsFloat
                ? "Code path: scalar; each row is computed in double precision and rounded once to float."
                : "Code path: scalar; the rounding error of x − m is carried into exp and sums are compensated.");
            return;
        }

        notes.Add(IsFloat ? "Scalar rows are computed in double precision and rounded once to float." : "Scalar rows carry the rounding error of x − m into exp and compensate sums.");
        _w.Doc("para", "Code paths:");
        _w.Line("/// <list type=\"bullet\">");
        foreach (string note in notes)
        {
            _w.Doc("item><description", note, "description></item");
        }

        _w.Line("/// </list>");
    }

    private void EmitRows()
    {
        if (_spec.Normalizer is not null)
        {
            EmitNormalizerRows();
            return;
        }

        switch (_spec.Op)
        {
            case KernelOp.Softmax or KernelOp.Softmin:
                EmitSoftmaxRow();
                break;

            case KernelOp.LogSoftmax:
                EmitLogSoftmaxRow();
                break;

            case KernelOp.LogSumExp:
                EmitLogSumExpRow();
                break;

            case KernelOp.SoftmaxJacobian:
                EmitSoftmaxJacobianRow();
                break;

            case KernelOp.SoftmaxBackward:
                EmitSoftmaxBackwardRow();
                break;

            case KernelOp.LogSoftmaxBackward:
                EmitLogSoftmaxBackwardRow();
                break;

            case KernelOp.SoftmaxCrossEntropy:
                EmitCrossEntropyRow();
                break;

            case KernelOp.SoftmaxEntropy:
                EmitEntropyRow();
                break;

            case KernelOp.SoftmaxHessian:
                EmitHessianRow();
                break;

            case KernelOp.SoftmaxSecondDirectional:
                EmitSecondDirectionalRow();
                break;

            case KernelOp.ArgMax:
                EmitArgMaxRow();
                break;

            case KernelOp.SoftmaxSample:
                EmitSampleRows();
                break;

            case KernelOp.GumbelSoftmax:
                EmitGumbelRows();
                break;

            case KernelOp.HierarchicalSoftmax:
                EmitHierarchicalRows();
                break;

            default:
                throw KernelOperations.Unknown(_spec.Op);
        }

        if (!IsFloat && KernelOperations.For(_spec.Op).TakesShiftedExp)
        {
            EmitDoubleHelpers();
        }

        EmitSimdRows();
    }

    /// <summary>Row maximum m with NaN detection (NaN fails every comparison, so it never becomes m).</summary>
    private void EmitRowMax() => EmitRowMax(withIndex: false);

    /// <summary>Row maximum m, the first index a where it occurs, and NaN detection.</summary>
    private void EmitRowMaxAndIndex() => EmitRowMax(withIndex: true);

    private void EmitRowMax(bool withIndex)
    {
        _w.Comment(withIndex
            ? "Row maximum m at its first index a; NaN is noted apart because it never compares greater."
            : _spec.Negated
                ? "Row maximum m of −x (minus the row minimum); NaN is noted apart because it never compares greater."
                : "Row maximum m; NaN is noted apart because it never compares greater.");
        _w.Line($"{T} m = {T}.NegativeInfinity;");
        if (withIndex)
        {
            _w.Line("int a = 0;");
        }

        _w.Line("bool hasNaN = false;");
        using (_w.Block("for (int i = 0; i < x.Length; i++)"))
        {
            _w.Line($"{T} v = {Xi("i")};");
            _w.Line(withIndex ? "if (v > m) { m = v; a = i; }" : "if (v > m) m = v;");
            _w.Line($"else if ({T}.IsNaN(v)) hasNaN = true;");
        }

        _w.Line();
    }

    /// <summary>Rows with NaN, or whose maximum is ±∞, take the limits in SpecialRow.</summary>
    private void EmitSpecialRowDispatch()
    {
        using (_w.Block($"if (hasNaN || {T}.IsInfinity(m))"))
        {
            _w.Line($"SpecialRow(x{MaskArg}, y, m, hasNaN);");
            _w.Line("return;");
        }

        _w.Line();
    }

    /// <summary>s = Σ exp(z_j); with <paramref name="store"/> each exponential is also written to y.</summary>
    private void EmitSum(bool store)
    {
        if (IsFloat)
        {
            _w.Line("double s = 0;");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                if (store)
                {
                    _w.Line($"float e = (float)Math.Exp({Z(Xi("i"))});");
                    _w.Line("y[i] = e;");
                    _w.Line("s += e;");
                }
                else
                {
                    _w.Line($"s += Math.Exp({Z(Xi("i"))});");
                }
            }

            return;
        }

        _w.Line("double s = 0, c = 0;");
        using (_w.Block("for (int i = 0; i < x.Length; i++)"))
        {
            _w.Line($"double e = ExpHiLo({ShiftCall(Xi("i"))}, zLow);");
            if (store)
            {
                _w.Line("y[i] = e;");
            }

            EmitNeumaierStep("e");
        }

        _w.Line("s += c;");
    }

    /// <summary>Σ of <paramref name="term"/> over j: double accumulation for float, Neumaier compensation for double.</summary>
    private void EmitCompensatedSum(string term, string name, string length)
    {
        if (IsFloat)
        {
            _w.Line($"double {name} = 0;");
            using (_w.Block($"for (int j = 0; j < {length}; j++)"))
            {
                _w.Line($"{name} += {term};");
            }

            _w.Line();
            return;
        }

        _w.Line("double s = 0, c = 0;");
        using (_w.Block($"for (int j = 0; j < {length}; j++)"))
        {
            _w.Line($"double e = {term};");
            EmitNeumaierStep("e");
        }

        _w.Line($"double {name} = s + c;");
        _w.Line();
    }

    /// <summary>One step of Neumaier's compensated sum: s + c tracks the exact sum to about one rounding.</summary>
    /// <remarks>The sum is <paramref name="s"/> + <paramref name="c"/>; <paramref name="next"/> names the step's temporary.</remarks>
    private void EmitNeumaierStep(string term, string s = "s", string c = "c", string next = "sum")
    {
        _w.Line($"double {next} = {s} + {term};");
        _w.Line($"{c} += Math.Abs({s}) >= Math.Abs({term}) ? ({s} - {next}) + {term} : ({term} - {next}) + {s};");
        _w.Line($"{s} = {next};");
    }

    /// <summary>z_j = (x_j − m)/T evaluated in double (float path).</summary>
    private string Z(string x) => HasTemperature ? $"((double){x} - m) / {Tv}" : $"(double){x} - m";

    /// <summary>The double path's z_j: a call returning the high part, with the low part in <c>zLow</c>.</summary>
    private string ShiftCall(string x) =>
        MultipliesByLogBase ? (HasRealTemperature ? $"Shift({x}, m, {TvReal}, out double zLow)" : $"Shift({x}, m, out double zLow)")
        : HasTemperature ? $"Shift({x}, m, {Tv}, out double zLow)" : $"Shift({x}, m, out double zLow)";

    private string Scaled(string expression) => HasTemperature ? $"({expression}) / {Tv}" : expression;

    /// <summary>An expression divided by T² when the kernel has a temperature.</summary>
    private string ScaledTwice(string expression) => HasTemperature ? $"({expression}) / ({Tv} * {Tv})" : expression;

    private string Round(string expression) => IsFloat ? $"(float)({expression})" : expression;

    /// <summary>The limits: NaN rows, rows whose maximum is +∞, and fully masked (all −∞) rows.</summary>
    private void EmitSpecialRow(bool log)
    {
        string masked = _spec.ZeroFullyMaskedRows ? (log ? $"{T}.NegativeInfinity" : "0") : $"{T}.NaN";
        _w.Line("/// <summary>NaN anywhere gives NaN; m = +∞ gives the limit (the c entries equal to +∞ share 1/c); all −∞ is a fully masked row.</summary>");
        _w.Line("[MethodImpl(MethodImplOptions.NoInlining)]");
        using (_w.Block($"private static void SpecialRow(ReadOnlySpan<{T}> x{MaskParam}, Span<{T}> y, {T} m, bool hasNaN)"))
        {
            using (_w.Block($"if (hasNaN || {T}.IsNegativeInfinity(m))"))
            {
                _w.Line(masked == $"{T}.NaN" ? $"y.Fill({T}.NaN);" : $"y.Fill(hasNaN ? {T}.NaN : {masked});");
                _w.Line("return;");
            }

            _w.Line();
            _w.Line("int count = 0;");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line($"if ({T}.IsPositiveInfinity({Xi("i")})) count++;");
            }

            _w.Line();
            string share = log ? "-Math.Log(count)" : "1.0 / count";
            _w.Line($"{T} share = {(IsFloat ? $"(float)({share})" : share)};");
            _w.Line($"{T} rest = {(log ? T + ".NegativeInfinity" : "0")};");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line($"y[i] = {T}.IsPositiveInfinity({Xi("i")}) ? share : rest;");
            }
        }

        _w.Line();
    }

    /// <summary>double helpers: z = x − m (optionally / T) as hi + lo, and exp(hi + lo).</summary>
    private void EmitDoubleHelpers()
    {
        EmitShift();

        if ((HasTemperature && ExactTemperedShift) || MultipliesByLogBase)
        {
            _w.Line("/// <summary>The rounding error of a·b, a·b − fl(a·b), exactly (Dekker's product with Veltkamp's split).</summary>");
            using (_w.Block("private static double ProductError(double a, double b)"))
            {
                _w.Line("double p = a * b;");
                _w.Line("double ca = 134217729.0 * a, ah = ca - (ca - a), al = a - ah;");
                _w.Line("double cb = 134217729.0 * b, bh = cb - (cb - b), bl = b - bh;");
                _w.Line("return (((ah * bh) - p) + (ah * bl) + (al * bh)) + (al * bl);");
            }

            _w.Line();
        }

        _w.Line("/// <summary>exp(hi + lo) ≈ exp(hi)·(1 + lo) for |lo| ≪ 1; exactly 0 once exp underflows.</summary>");
        using (_w.Block("private static double ExpHiLo(double hi, double lo)"))
        {
            _w.Line("if (!(hi > -746.0)) return 0.0;");
            _w.Line("double e = Math.Exp(hi);");
            _w.Line("return e + (e * lo);");
        }
    }

    /// <summary>
    /// The double rows' z = (x − m) [·|ln b|] [/ T] as hi + lo: x − m exactly (TwoSum), times ln b as a double-double when the
    /// kernel has a base, then divided by the temperature.
    /// </summary>
    private void EmitShift()
    {
        bool byBase = MultipliesByLogBase;
        bool divides = byBase ? HasRealTemperature : HasTemperature;
        string tParam = divides ? ", double t" : string.Empty;
        _w.Line("/// <summary>");
        if (byBase)
        {
            _w.Line("/// z = (x − m)·|ln b|" + (divides ? "/T" : string.Empty) + " as hi + lo: x − m exactly (TwoSum) times ln b = LogBase + LogBaseLow (Dekker),");
        }

        _w.Line(byBase
            ? "/// so neither the subtraction nor the rounding of ln b to double reaches exp(hi + lo)."
            : divides
                ? "/// z = (x − m)/T as hi + lo, where lo carries the rounding error of x − m (TwoSum), so exp(hi + lo) loses nothing to it."
                : "/// z = x − m as hi + lo exactly (TwoSum), so exp(hi + lo) loses nothing to the rounding of the subtraction.");
        _w.Line("/// </summary>");
        using (_w.Block($"private static double Shift(double x, double m{tParam}, out double lo)"))
        {
            _w.Line("double d = x - m;");
            using (_w.Block("if (double.IsNegativeInfinity(d))"))
            {
                _w.Comment("x = −∞, or x − m below −double.MaxValue: either way z is −∞ or far below exp's range.");
                _w.Line("lo = 0;");
                string scaled = byBase ? "((x / t) - (m / t)) * LogBase" : "(x / t) - (m / t)";
                _w.Line(divides ? $"return double.IsNegativeInfinity(x) ? d : {scaled};" : "return d;");
            }

            _w.Line();
            _w.Line("double bv = d - x;");
            _w.Line("double err = (x - (d - bv)) + (-m - bv);");
            if (byBase)
            {
                _w.Line("double q = d * LogBase;");
                _w.Line("double qLow = Math.Abs(q) < 1e290 ? ProductError(d, LogBase) + (d * LogBaseLow) + (err * LogBase) : 0;");
                _w.Line(divides ? "lo = qLow / t;" : "lo = qLow;");
                _w.Line(divides ? "return q / t;" : "return q;");
            }
            else if (divides && ExactTemperedShift)
            {
                _w.Comment("q = d/t rounded, and d − q·t exactly (Dekker), so hi + lo is (x − m)/t to about 2⁻¹⁰⁶ relative.");
                _w.Line("double q = d / t;");
                _w.Line("lo = Math.Abs(q) < 1e290 && t < 1e290 ? ((d - (q * t)) - ProductError(q, t) + err) / t : err / t;");
                _w.Line("return q;");
            }
            else
            {
                _w.Line(divides ? "lo = err / t;" : "lo = err;");
                _w.Line(divides ? "return d / t;" : "return d;");
            }
        }

        _w.Line();
    }

    /// <summary>At the top of a scalar row whose op writes its own vector rows: hand the row to the widest accelerated one.</summary>
    /// <param name="args">The call's arguments.</param>
    /// <param name="method">The vector methods' name before the bit count (RowNNN, or e.g. a sampler's MaxNNN).</param>
    private void EmitOwnRowDispatch(string args, string method = "Row")
    {
        if (_plan.OwnRowWidths.Count == 0)
        {
            return;
        }

        _w.Comment("Widest accelerated vector path first; the JIT folds these checks, so one path remains.");
        foreach (VectorWidth w in _plan.OwnRowWidths)
        {
            string length = _spec.AnyLength ? $" && x.Length >= {w.Lanes}" : string.Empty;
            _w.Line($"if ({w.V}.IsHardwareAccelerated{length}) return {method}{w.Bits}({args});");
        }

        _w.Line();
    }

    /// <summary>
    /// The start of an op's own vector row on width <paramref name="w"/>: the lane-wise maximum <c>rowMax</c>, two
    /// vectors at a time (the last vector overlaps the one before it), and <c>check</c> = Σx, which is NaN only if some x is
    /// NaN or infinities of both signs meet. Leaves <c>xr</c>, <c>last</c>, <c>tail</c> and <c>i</c> declared.
    /// </summary>
    private void EmitVectorRowMax(VectorWidth w)
    {
        string v = w.V, l = w.Lanes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _w.Line($"ref {T} xr = ref MemoryMarshal.GetReference(x);");
        _w.Line($"nuint last = (nuint)(x.Length - {l});");
        _w.Line();
        _w.Comment("Row maximum, two vectors at a time; Σx is NaN only if some x is NaN or infinities of both signs meet.");
        _w.Line($"var tail = {v}.LoadUnsafe(ref xr, last);");
        _w.Line("var mv = tail;");
        _w.Line("var mw = tail;");
        _w.Line("var check = tail;");
        _w.Line("nuint i = 0;");
        using (_w.Block($"for (; i + {l} < last; i += 2 * {l})"))
        {
            _w.Line($"var a = {v}.LoadUnsafe(ref xr, i);");
            _w.Line($"var b = {v}.LoadUnsafe(ref xr, i + {l});");
            _w.Line($"mv = {v}.MaxNative(mv, a);");
            _w.Line($"mw = {v}.MaxNative(mw, b);");
            _w.Line("check += a + b;");
        }

        _w.Line();
        using (_w.Block("if (i < last)"))
        {
            _w.Line($"var a = {v}.LoadUnsafe(ref xr, i);");
            _w.Line($"mv = {v}.MaxNative(mv, a);");
            _w.Line("check += a;");
        }

        _w.Line();
        _w.Line($"var rowMax = {v}.MaxNative(mv, mw);");
    }

    /// <summary>
    /// Whether a loss or entropy kernel writes a gradient: its last span, and for a batch the one before it too (the first
    /// output of a batch holds one value per row).
    /// </summary>
    private bool HasGradient => _spec.SlotAt(SpanCount - 1) == SlotKind.Output &&
        (_spec.Form == KernelForm.ScalarResult || _spec.SlotAt(SpanCount - 2) == SlotKind.Output);

    /// <summary>
    /// The start of a loss or entropy SpecialRow: NaN or an all −∞ row gives NaN (and NaN gradients); otherwise the row
    /// maximum is +∞ and <c>count</c> is the number of +∞ entries.
    /// </summary>
    private void EmitLimitsStart(bool hasGradient)
    {
        using (_w.Block($"if (hasNaN || {T}.IsNegativeInfinity(m))"))
        {
            if (hasGradient)
            {
                _w.Line($"g.Fill({T}.NaN);");
            }

            _w.Line("return double.NaN;");
        }

        _w.Line();
        _w.Line("int count = 0;");
        using (_w.Block("for (int i = 0; i < x.Length; i++)"))
        {
            _w.Line($"if ({T}.IsPositiveInfinity(x[i])) count++;");
        }
    }

    /// <summary>
    /// s′ = Σ_{j≠a} exp(z_j), the sum without the maximum's term (exp 0 = 1), so that log s = log1p(s′) keeps a tiny s′.
    /// With <paramref name="store"/> each e_j is written to g; with <paramref name="deviations"/> dev = Σ_j (m − x_j) too.
    /// </summary>
    private void EmitSumWithoutMaximum(bool store, bool deviations)
    {
        _w.Comment("s′ = Σ_{j≠a} exp(z_j): the sum without the maximum's exp(0) = 1, so log s = log1p(s′) keeps a tiny s′ exact.");
        if (IsFloat)
        {
            _w.Line("double sp = 0" + (deviations ? ", dev = 0;" : ";"));
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line($"double e = Math.Exp({Z(Xi("i"))});");
                if (store)
                {
                    _w.Line("g[i] = (float)e;");
                }

                _w.Line("if (i != a) sp += e;");
                if (deviations)
                {
                    _w.Line("dev += (double)m - x[i];");
                }
            }

            _w.Line();
            return;
        }

        _w.Line("double sp = 0, c = 0" + (deviations ? ", dev = 0, devC = 0;" : ";"));
        using (_w.Block("for (int i = 0; i < x.Length; i++)"))
        {
            _w.Line($"double e = ExpHiLo({ShiftCall(Xi("i"))}, zLow);");
            if (store)
            {
                _w.Line("g[i] = e;");
            }

            if (deviations)
            {
                _w.Line("double gap = m - x[i];");
                EmitNeumaierStep("gap", "dev", "devC", "nextDev");
            }

            using (_w.Block("if (i != a)"))
            {
                EmitNeumaierStep("e", "sp");
            }
        }

        _w.Line("sp += c;");
        if (deviations)
        {
            _w.Line("if (!double.IsInfinity(dev)) dev += devC; // a −∞ logit makes dev +∞ and its compensation NaN");
        }

        _w.Line();
    }

    /// <summary>log(1 + x) without losing a tiny x (Kahan's trick: log u · x / (u − 1) with u = 1 + x rounded).</summary>
    private void EmitLog1P()
    {
        _w.Line("/// <summary>");
        _w.Line("/// log(1 + x) for x ≥ 0: below 1/4 as log(u)·x/(u − 1) with u = 1 + x rounded (Kahan), which keeps a tiny x; from");
        _w.Line("/// 1/4 on log(1 + x) itself, whose one rounding of 1 + x costs less than the trick's two extra operations.");
        _w.Line("/// </summary>");
        using (_w.Block("private static double Log1P(double x)"))
        {
            _w.Line("double u = 1 + x;");
            _w.Line("return x >= 0.25 ? Math.Log(u) : u == 1 ? x : Math.Log(u) * x / (u - 1);");
        }

        _w.Line();
    }
}
