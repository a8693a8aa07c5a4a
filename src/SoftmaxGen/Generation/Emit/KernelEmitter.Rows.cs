using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// Scalar row kernels. float rows are computed in double and rounded once; double rows carry the rounding
/// error of x − m into the exponential and sum with compensation, so both stay within a few ulps.
/// </summary>
internal sealed partial class KernelEmitter
{
    private bool HasTemperature => _spec.Temperature is not null || _spec.HasRuntimeTemperature;

    /// <summary>The temperature as a double expression inside the kernel class.</summary>
    private string Tv => _spec.Temperature is not null ? "Temperature" : "(double)t";

    private string TParam => _spec.HasRuntimeTemperature ? $", {T} t" : string.Empty;

    private string ZFormula => HasTemperature ? "(x_j − m)/T" : "x_j − m";

    private string Formula() => _spec.Op switch
    {
        KernelOp.Softmax => $"Softmax: p_i = exp(z_i) / Σ_j exp(z_j) with z_j = {ZFormula}, m = max_j x_j.",
        KernelOp.LogSoftmax => $"Log-softmax: log p_i = z_i − log Σ_j exp(z_j) with z_j = {ZFormula}, m = max_j x_j.",
        KernelOp.LogSumExp => HasTemperature
            ? "Smooth maximum: T·log Σ_j exp(x_j/T) = m + T·log Σ_j exp((x_j − m)/T), m = max_j x_j."
            : "Log-sum-exp: log Σ_j exp(x_j) = m + log Σ_j exp(x_j − m), m = max_j x_j.",
        KernelOp.SoftmaxJacobian => HasTemperature
            ? "Softmax Jacobian with respect to the untempered logits: J_ij = ∂p_i/∂x_j = p_i (δ_ij − p_j) / T, row-major K·K per row."
            : "Softmax Jacobian: J_ij = ∂p_i/∂x_j = p_i (δ_ij − p_j), row-major K·K per row.",
        KernelOp.SoftmaxBackward => HasTemperature
            ? "Softmax backward pass: dx_i = p_i (g_i − ⟨p, g⟩) / T, the gradient with respect to the untempered logits."
            : "Softmax backward pass: dx_i = p_i (g_i − ⟨p, g⟩).",
        _ => HasTemperature
            ? "Log-softmax backward pass: dx_i = (g_i − exp(lp_i) Σ_j g_j) / T, the gradient with respect to the untempered logits."
            : "Log-softmax backward pass: dx_i = g_i − exp(lp_i) Σ_j g_j.",
    };

    private string? StabilityNote() => _spec.Op switch
    {
        KernelOp.Softmax or KernelOp.LogSoftmax or KernelOp.LogSumExp =>
            "Numerically stable: the row maximum is subtracted before exp" + (HasTemperature ? " (and before dividing by T)" : string.Empty) + ", so every exponent is ≤ 0 " +
            "and exp cannot overflow; the largest term is exactly 1, so the sum is ≥ 1 and its logarithm is finite. " +
            "NaN anywhere gives NaN; +∞ entries share the whole probability (the limit); −∞ entries get probability 0" +
            (_spec.Op == KernelOp.LogSumExp ? "; an all −∞ row gives −∞." : _spec.ZeroFullyMaskedRows
                ? "; an all −∞ (fully masked) row gives probabilities 0 and log-probabilities −∞."
                : "; an all −∞ (fully masked) row gives NaN."),
        _ => null,
    };

    private string PathNote() => SimdPathNote() is { } simd
        ? simd + (IsFloat ? " Scalar rows are computed in double precision and rounded once to float." : " Scalar rows carry the rounding error of x − m into exp and compensate sums.")
        : IsFloat
            ? "Code path: scalar; each row is computed in double precision and rounded once to float."
            : "Code path: scalar; the rounding error of x − m is carried into exp and sums are compensated.";

    private void EmitRows()
    {
        string ros = $"global::System.ReadOnlySpan<{T}>";
        string span = $"global::System.Span<{T}>";
        switch (_spec.Op)
        {
            case KernelOp.Softmax:
                EmitHotAttribute();
                using (_w.Block($"private static void Row({ros} x, {span} y{TParam})"))
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
                break;

            case KernelOp.LogSoftmax:
                EmitHotAttribute();
                using (_w.Block($"private static void Row({ros} x, {span} y{TParam})"))
                {
                    EmitSimdDispatch();
                    EmitRowMax();
                    EmitSpecialRowDispatch();
                    _w.Comment("Sum of shifted exponentials s = Σ_j exp(z_j) ≥ 1, then log p_i = z_i − log s.");
                    EmitSum(store: false);
                    _w.Line("double logSum = global::System.Math.Log(s);");
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
                break;

            case KernelOp.LogSumExp:
                EmitHotAttribute();
                using (_w.Block($"private static {T} Row({ros} x{TParam})"))
                {
                    EmitSimdDispatch();
                    EmitRowMax();
                    _w.Comment("NaN gives NaN; ±∞ as the maximum is the limit itself (all −∞ gives −∞).");
                    _w.Line("if (hasNaN) return " + T + ".NaN;");
                    _w.Line("if (" + T + ".IsInfinity(m)) return m;");
                    _w.Line();
                    _w.Comment("s = Σ_j exp(z_j) ≥ 1, so log s is finite; LSE = m + T·log s.");
                    EmitSum(store: false);
                    string scaledLog = HasTemperature ? $"{Tv} * global::System.Math.Log(s)" : "global::System.Math.Log(s)";
                    _w.Line(IsFloat ? $"return (float)(m + {scaledLog});" : $"return m + {scaledLog};");
                }

                _w.Line();
                break;

            case KernelOp.SoftmaxJacobian:
                using (_w.Block($"private static void Row({ros} p, {span} jacobian{TParam})"))
                {
                    _w.Line("int n = p.Length;");
                    _w.Comment(HasTemperature ? "J_ij = p_i (δ_ij − p_j) / T, row i of the K×K block at i·n." : "J_ij = p_i (δ_ij − p_j), row i of the K×K block at i·n.");
                    using (_w.Block("for (int i = 0; i < n; i++)"))
                    {
                        _w.Line("double pi = p[i];");
                        using (_w.Block("for (int j = 0; j < n; j++)"))
                        {
                            _w.Line("double jij = i == j ? pi * (1.0 - pi) : -(pi * p[j]);");
                            _w.Line($"jacobian[(i * n) + j] = {Round(Scaled("jij"))};");
                        }
                    }
                }

                _w.Line();
                break;

            case KernelOp.SoftmaxBackward:
                using (_w.Block($"private static void Row({ros} p, {ros} g, {span} dx{TParam})"))
                {
                    _w.Comment("⟨p, g⟩ = Σ_j p_j g_j" + (IsFloat ? " (in double)." : " (compensated)."));
                    EmitCompensatedSum("(double)p[j] * g[j]", "dot", "p.Length");
                    _w.Comment(HasTemperature ? "dx = p ⊙ (g − ⟨p, g⟩) / T." : "dx = p ⊙ (g − ⟨p, g⟩).");
                    using (_w.Block("for (int i = 0; i < p.Length; i++)"))
                    {
                        _w.Line($"dx[i] = {Round(Scaled("p[i] * (g[i] - dot)"))};");
                    }
                }

                _w.Line();
                break;

            default:
                using (_w.Block($"private static void Row({ros} lp, {ros} g, {span} dx{TParam})"))
                {
                    _w.Comment("Σ_j g_j" + (IsFloat ? " (in double)." : " (compensated)."));
                    EmitCompensatedSum("(double)g[j]", "gSum", "lp.Length");
                    _w.Comment(HasTemperature ? "dx = (g − exp(lp) Σ_j g_j) / T." : "dx = g − exp(lp) Σ_j g_j.");
                    using (_w.Block("for (int i = 0; i < lp.Length; i++)"))
                    {
                        _w.Line($"dx[i] = {Round(Scaled("g[i] - (global::System.Math.Exp(lp[i]) * gSum)"))};");
                    }
                }

                _w.Line();
                break;
        }

        if (!IsFloat && (_spec.Op is KernelOp.Softmax or KernelOp.LogSoftmax or KernelOp.LogSumExp))
        {
            EmitDoubleHelpers();
        }

        EmitSimdRows();
    }

    /// <summary>Row maximum m with NaN detection (NaN fails every comparison, so it never becomes m).</summary>
    private void EmitRowMax()
    {
        _w.Comment("Row maximum m; NaN is noted apart because it never compares greater.");
        _w.Line($"{T} m = {T}.NegativeInfinity;");
        _w.Line("bool hasNaN = false;");
        using (_w.Block("for (int i = 0; i < x.Length; i++)"))
        {
            _w.Line($"{T} v = x[i];");
            _w.Line("if (v > m) m = v;");
            _w.Line($"else if ({T}.IsNaN(v)) hasNaN = true;");
        }

        _w.Line();
    }

    /// <summary>Rows with NaN, or whose maximum is ±∞, take the limits in SpecialRow.</summary>
    private void EmitSpecialRowDispatch()
    {
        using (_w.Block($"if (hasNaN || {T}.IsInfinity(m))"))
        {
            _w.Line("SpecialRow(x, y, m, hasNaN);");
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
                    _w.Line($"float e = (float)global::System.Math.Exp({Z("x[i]")});");
                    _w.Line("y[i] = e;");
                    _w.Line("s += e;");
                }
                else
                {
                    _w.Line($"s += global::System.Math.Exp({Z("x[i]")});");
                }
            }

            return;
        }

        _w.Line("double s = 0, c = 0;");
        using (_w.Block("for (int i = 0; i < x.Length; i++)"))
        {
            _w.Line($"double e = ExpHiLo({ShiftCall("x[i]")}, zLow);");
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
    private void EmitNeumaierStep(string term)
    {
        _w.Line($"double sum = s + {term};");
        _w.Line($"c += global::System.Math.Abs(s) >= global::System.Math.Abs({term}) ? (s - sum) + {term} : ({term} - sum) + s;");
        _w.Line("s = sum;");
    }

    /// <summary>z_j = (x_j − m)/T evaluated in double (float path).</summary>
    private string Z(string x) => HasTemperature ? $"((double){x} - m) / {Tv}" : $"(double){x} - m";

    /// <summary>The double path's z_j: a call returning the high part, with the low part in <c>zLow</c>.</summary>
    private string ShiftCall(string x) => HasTemperature ? $"Shift({x}, m, {Tv}, out double zLow)" : $"Shift({x}, m, out double zLow)";

    private string Scaled(string expression) => HasTemperature ? $"({expression}) / {Tv}" : expression;

    private string Round(string expression) => IsFloat ? $"(float)({expression})" : expression;

    /// <summary>The limits: NaN rows, rows whose maximum is +∞, and fully masked (all −∞) rows.</summary>
    private void EmitSpecialRow(bool log)
    {
        string masked = _spec.ZeroFullyMaskedRows ? (log ? $"{T}.NegativeInfinity" : "0") : $"{T}.NaN";
        _w.Line("/// <summary>NaN anywhere gives NaN; m = +∞ gives the limit (the c entries equal to +∞ share 1/c); all −∞ is a fully masked row.</summary>");
        _w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]");
        using (_w.Block($"private static void SpecialRow(global::System.ReadOnlySpan<{T}> x, global::System.Span<{T}> y, {T} m, bool hasNaN)"))
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
                _w.Line($"if ({T}.IsPositiveInfinity(x[i])) count++;");
            }

            _w.Line();
            string share = log ? "-global::System.Math.Log(count)" : "1.0 / count";
            _w.Line($"{T} share = {(IsFloat ? $"(float)({share})" : share)};");
            _w.Line($"{T} rest = {(log ? T + ".NegativeInfinity" : "0")};");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line($"y[i] = {T}.IsPositiveInfinity(x[i]) ? share : rest;");
            }
        }

        _w.Line();
    }

    /// <summary>double helpers: z = x − m (optionally / T) as hi + lo, and exp(hi + lo).</summary>
    private void EmitDoubleHelpers()
    {
        string tParam = HasTemperature ? ", double t" : string.Empty;
        _w.Line("/// <summary>");
        _w.Line(HasTemperature
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
                _w.Line(HasTemperature ? "return double.IsNegativeInfinity(x) ? d : (x / t) - (m / t);" : "return d;");
            }

            _w.Line();
            _w.Line("double bv = d - x;");
            _w.Line("double err = (x - (d - bv)) + (-m - bv);");
            if (HasTemperature)
            {
                _w.Line("lo = err / t;");
                _w.Line("return d / t;");
            }
            else
            {
                _w.Line("lo = err;");
                _w.Line("return d;");
            }
        }

        _w.Line();
        _w.Line("/// <summary>exp(hi + lo) ≈ exp(hi)·(1 + lo) for |lo| ≪ 1; exactly 0 once exp underflows.</summary>");
        using (_w.Block("private static double ExpHiLo(double hi, double lo)"))
        {
            _w.Line("if (!(hi > -746.0)) return 0.0;");
            _w.Line("double e = global::System.Math.Exp(hi);");
            _w.Line("return e + (e * lo);");
        }
    }
}
