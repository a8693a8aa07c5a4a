using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// Softmax, its Jacobian and its backward pass with a normaliser φ in place of exp: p_i = φ(z_i) / Σ_j φ(z_j), z = x / T.
/// Only exp is shift-invariant, so instead of subtracting the maximum the rows scale every weight by r = 1/φ(z_a), z_a the
/// entry where an increasing φ is largest (for Taylor2, the largest |1 + z|): w_j = φ(z_j)·r ≤ 1, so the sum lies in [1, K].
/// Each built-in φ also keeps its own scale c inside its Weight and Slope helpers (see <see cref="EmitNormalizerHelpers"/>),
/// so that rows of very negative (softplus) or huge (Taylor2) z neither underflow nor overflow before r is applied.
/// The rows are scalar; float rows are computed in double and rounded once.
/// </summary>
internal sealed partial class KernelEmitter
{
    /// <summary>The struct, nested in the user's type, through which the kernel calls a user φ (it can see private methods).</summary>
    private string NormalizerStruct => "__" + _spec.MethodName.TrimStart('@') + "Normalizer";

    private bool HasUserNormalizer => _spec.Normalizer is { Kind: NormalizerKind.User };

    /// <summary>The kernel class's type argument at the call: the user's φ struct, or nothing.</summary>
    private string NormalizerTypeArgument => HasUserNormalizer ? "<" + NormalizerStruct + ">" : string.Empty;

    /// <summary>z_i = x_i / T in double.</summary>
    private string NormalizedZ(string i) => HasTemperature ? $"x[{i}] / {Tv}" : IsFloat ? $"(double)x[{i}]" : $"x[{i}]";

    /// <summary>The remarks' formula of a kernel with a normaliser.</summary>
    private string NormalizerFormula()
    {
        string phi = _spec.Normalizer!.Display;
        string z = HasTemperature ? "z_j = x_j / T" : "z_j = x_j";
        string t = HasTemperature ? " / T" : string.Empty;
        return _spec.Op switch
        {
            KernelOp.Softmax => $"Softmax with the normaliser φ(z) = {phi}: p_i = φ(z_i) / Σ_j φ(z_j), {z}.",
            KernelOp.SoftmaxJacobian => $"Jacobian of p_i = φ(z_i) / Σ_j φ(z_j), φ(z) = {phi}, {z}, from the logits: " +
                $"J_ij = ∂p_i/∂x_j = " + (HasTemperature ? "(q_i δ_ij − p_i q_j) / T" : "q_i δ_ij − p_i q_j") + " with q_i = φ′(z_i) / Σ_j φ(z_j), row-major K·K per row.",
            KernelOp.SoftmaxBackward => $"Backward pass of p_i = φ(z_i) / Σ_j φ(z_j), φ(z) = {phi}, {z}, from the logits: " +
                $"dx_i = q_i (g_i − ⟨p, g⟩){t} with q_i = φ′(z_i) / Σ_j φ(z_j).",
            _ => throw KernelOperations.Unknown(_spec.Op),
        };
    }

    /// <summary>The remarks' stability paragraph of a kernel with a normaliser.</summary>
    private string NormalizerStabilityNote()
    {
        string scale = _spec.Normalizer!.Kind switch
        {
            NormalizerKind.Exp => "the row maximum is subtracted, as in the ordinary softmax",
            NormalizerKind.Softplus => "softplus is computed as z + log1p(e^−z) above 0 and e^z·log1p(e^z)/e^z below, scaled by e^−min(max z, 0), " +
                "so neither a large z nor a row of very negative z overflows or underflows",
            NormalizerKind.Taylor2 => "φ = ((1 + z)² + 1)/2 is computed with 1 + z scaled by 1/max(1, max |1 + z|), so a huge z does not overflow; " +
                "φ is not monotone (φ(−∞) = +∞), so a −∞ logit is not excluded",
            _ => "the user's φ is called as written, so it must be positive and increasing (then φ(max z) is the largest weight)",
        };
        string limits = _spec.Op == KernelOp.Softmax
            ? "Entries whose φ is +∞ at an infinite z share the whole probability; a row whose φ are all 0 (all −∞) is a fully masked row" +
              (_spec.ZeroFullyMaskedRows ? " and gives zeros" : " and gives NaN") + "; NaN anywhere gives NaN."
            : "NaN, an infinite φ or a row whose φ are all 0 gives NaN (the derivative has no limit there); an entry with φ = φ′ = 0 (a −∞ logit) gets 0.";
        return "Not shift-invariant (only exp is): each weight is divided by the largest one, φ(max z) for an increasing φ, so the weights lie in " +
            $"[0, 1] and their sum in [1, K]; {scale}. {limits}";
    }

    /// <summary>The rows of a kernel with a normaliser: Weight and Slope, the row of its op and the special rows.</summary>
    private void EmitNormalizerRows()
    {
        EmitNormalizerHelpers();
        string ros = $"ReadOnlySpan<{T}>";
        string span = $"Span<{T}>";
        EmitHotAttribute();
        switch (_spec.Op)
        {
            case KernelOp.Softmax:
                using (_w.Block($"private static void Row({ros} x, {span} y{TParam})"))
                {
                    EmitNormalizerScale("SpecialRow(x, y" + TArg + ");");
                    _w.Comment("w_j = φ(z_j)·r, stored, and s = Σ_j w_j.");
                    EmitNormalizerSum("y", store: true);
                    _w.Comment($"A φ that is not increasing can exceed φ(z_a) (x may already be overwritten in place): NaN beyond {T}.MaxValue.");
                    using (_w.Block($"if (!(s <= {T}.MaxValue))"))
                    {
                        _w.Line($"y.Fill({T}.NaN);");
                        _w.Line("return;");
                    }

                    _w.Line();
                    _w.Comment("p_j = w_j / s.");
                    using (_w.Block("for (int i = 0; i < x.Length; i++)"))
                    {
                        _w.Line(IsFloat ? "y[i] = (float)(y[i] / s);" : "y[i] /= s;");
                    }
                }

                _w.Line();
                EmitNormalizerSpecialRow();
                break;

            case KernelOp.SoftmaxBackward:
                using (_w.Block($"private static void Row({ros} x, {ros} g, {span} dx{TParam})"))
                {
                    EmitNormalizerScale($"dx.Fill({T}.NaN);\nreturn;");
                    _w.Comment("s = Σ_j w_j and wg = Σ_j w_j g_j, so ⟨p, g⟩ = wg / s.");
                    EmitNormalizerSum("g", store: false);
                    EmitNaNUnlessFinite("s", "dx");
                    _w.Line("double dot = wg / s;");
                    _w.Comment(HasTemperature ? "dx_i = q_i (g_i − ⟨p, g⟩) / T, q_i = φ′(z_i)·r / s." : "dx_i = q_i (g_i − ⟨p, g⟩), q_i = φ′(z_i)·r / s.");
                    using (_w.Block("for (int i = 0; i < x.Length; i++)"))
                    {
                        _w.Line($"double q = Slope({NormalizedZ("i")}, c) * r / s;");
                        _w.Line($"dx[i] = {Round(Scaled("q * (g[i] - dot)"))};");
                    }
                }

                _w.Line();
                break;

            case KernelOp.SoftmaxJacobian:
                using (_w.Block($"private static void Row({ros} x, {span} jacobian{TParam})"))
                {
                    _w.Line("int n = x.Length;");
                    EmitNormalizerScale($"jacobian.Fill({T}.NaN);\nreturn;");
                    _w.Comment("s = Σ_j w_j.");
                    EmitNormalizerSum(null, store: false);
                    EmitNaNUnlessFinite("s", "jacobian");
                    _w.Comment("q_j = φ′(z_j)·r / s, kept in the block's last row until that row is written (each entry reads only its own q_j).");
                    _w.Line("int last = (n - 1) * n;");
                    using (_w.Block("for (int j = 0; j < n; j++)"))
                    {
                        _w.Line($"jacobian[last + j] = {Round($"Slope({NormalizedZ("j")}, c) * r / s")};");
                    }

                    _w.Line();
                    _w.Comment(HasTemperature ? "J_ij = (q_i δ_ij − p_i q_j) / T, p_i = w_i / s; the diagonal as q_i (1 − p_i)." : "J_ij = q_i δ_ij − p_i q_j, p_i = w_i / s; the diagonal as q_i (1 − p_i).");
                    using (_w.Block("for (int i = 0; i < n; i++)"))
                    {
                        _w.Line($"double pi = Weight({NormalizedZ("i")}, c) * r / s;");
                        _w.Line("double qi = jacobian[last + i];");
                        using (_w.Block("for (int j = 0; j < n; j++)"))
                        {
                            _w.Line("double jij = i == j ? qi * (1.0 - pi) : -(pi * jacobian[last + j]);");
                            _w.Line($"jacobian[(i * n) + j] = {Round(Scaled("jij"))};");
                        }
                    }
                }

                _w.Line();
                break;

            default:
                throw KernelOperations.Unknown(_spec.Op);
        }
    }

    private string TArg => _spec.HasRuntimeTemperature ? ", t" : string.Empty;

    /// <summary>
    /// The row's extreme z (with NaN), then the built-in's scale c and r = 1/φ(z_a)·e^…: everything later is relative to the
    /// largest weight. A NaN, or an r that is not a positive finite number (an infinite z, or every φ 0), runs <paramref name="special"/>.
    /// </summary>
    private void EmitNormalizerScale(string special)
    {
        bool taylor = _spec.Normalizer!.Kind == NormalizerKind.Taylor2;
        _w.Comment(taylor ? "The largest and smallest z_j = x_j" + (HasTemperature ? " / T" : string.Empty) + ", and NaN." : "The largest z_j = x_j" + (HasTemperature ? " / T" : string.Empty) + ", and NaN.");
        _w.Line("double zMax = double.NegativeInfinity" + (taylor ? ", zMin = double.PositiveInfinity;" : ";"));
        _w.Line("bool nan = false;");
        using (_w.Block("for (int i = 0; i < x.Length; i++)"))
        {
            _w.Line($"double z = {NormalizedZ("i")};");
            _w.Line("if (z > zMax) zMax = z;");
            if (taylor)
            {
                _w.Line("if (z < zMin) zMin = z;");
            }

            _w.Line("if (double.IsNaN(z)) nan = true;");
        }

        _w.Line();
        switch (_spec.Normalizer.Kind)
        {
            case NormalizerKind.Exp:
                _w.Comment("r = 1/φ(max z): with c = max z, Weight(z, c) = exp(z − c) ≤ 1 and r = 1.");
                _w.Line("double c = zMax, za = zMax;");
                break;
            case NormalizerKind.Softplus:
                _w.Comment("c = min(max z, 0) keeps a row of very negative z from underflowing; r = 1/Weight(max z, c).");
                _w.Line("double c = Math.Min(zMax, 0), za = zMax;");
                break;
            case NormalizerKind.Taylor2:
                _w.Comment("φ is largest where |1 + z| is; c = 1/max(1, that |1 + z|) keeps (1 + z)² from overflowing.");
                _w.Line("double za = Math.Abs(1 + zMax) >= Math.Abs(1 + zMin) ? zMax : zMin;");
                _w.Line("double c = 1 / Math.Max(1, Math.Abs(1 + za));");
                break;
            default:
                _w.Comment("r = 1/φ(max z): an increasing φ is largest there (c is not used by a user φ).");
                _w.Line("double c = 0, za = zMax;");
                break;
        }

        _w.Line("double r = 1 / Weight(za, c);");
        using (_w.Block("if (nan || !(r > 0 && r < double.PositiveInfinity))"))
        {
            foreach (string line in special.Split('\n'))
            {
                _w.Line(line);
            }

            if (!special.Contains("return"))
            {
                _w.Line("return;");
            }
        }

        _w.Line();
    }

    /// <summary>
    /// s = Σ_j w_j, w_j = Weight(z_j, c)·r (written to <c>y</c> when <paramref name="store"/>), and with a gradient span
    /// <paramref name="gradient"/> wg = Σ_j w_j g_j; in double for float rows, compensated (Neumaier) for double rows.
    /// </summary>
    private void EmitNormalizerSum(string? gradient, bool store)
    {
        bool dot = gradient == "g";
        _w.Line(IsFloat ? "double s = 0" + (dot ? ", wg = 0;" : ";") : "double s = 0, c1 = 0" + (dot ? ", wg = 0, c2 = 0;" : ";"));
        using (_w.Block("for (int i = 0; i < x.Length; i++)"))
        {
            _w.Line($"double w = Weight({NormalizedZ("i")}, c) * r;");
            if (store)
            {
                _w.Line(IsFloat ? "y[i] = (float)w;" : "y[i] = w;");
            }

            if (IsFloat)
            {
                _w.Line("s += w;");
                if (dot)
                {
                    _w.Line("wg += w * g[i];");
                }
            }
            else
            {
                EmitNeumaierStep("w", "s", "c1", "next1");
                if (dot)
                {
                    _w.Line("double wgi = w * g[i];");
                    EmitNeumaierStep("wgi", "wg", "c2", "next2");
                }
            }
        }

        if (!IsFloat)
        {
            _w.Line("s += c1;");
            if (dot)
            {
                _w.Line("wg += c2;");
            }
        }

        _w.Line();
    }

    private void EmitNaNUnlessFinite(string sum, string output)
    {
        using (_w.Block($"if (!({sum} < double.PositiveInfinity))"))
        {
            _w.Comment("A φ that is not increasing overflowed the scaled sum.");
            _w.Line($"{output}.Fill({T}.NaN);");
            _w.Line("return;");
        }

        _w.Line();
    }

    /// <summary>
    /// Weight(z, c) = φ(z) times the built-in's scale, and Slope(z, c) = φ′(z) times the same scale, so that φ′/Σφ is
    /// unchanged; for a user φ, calls through the struct type argument (c unused).
    /// </summary>
    private void EmitNormalizerHelpers()
    {
        string inline = AggressiveInlining;
        switch (_spec.Normalizer!.Kind)
        {
            case NormalizerKind.Exp:
                _w.Line("/// <summary>φ(z)·e^−c = exp(z − c); with c = max z it is at most 1.</summary>");
                _w.Line(inline);
                _w.Line("private static double Weight(double z, double c) => Math.Exp(z - c);");
                _w.Line();
                _w.Line("/// <summary>φ′(z)·e^−c = exp(z − c), as φ′ = φ for exp.</summary>");
                _w.Line(inline);
                _w.Line("private static double Slope(double z, double c) => Math.Exp(z - c);");
                break;

            case NormalizerKind.Softplus:
                _w.Line("/// <summary>");
                _w.Line("/// softplus(z)·e^−c, softplus(z) = log(1 + e^z), c = min(max z, 0) (so c = 0 whenever some z > 0): z + log1p(e^−z)");
                _w.Line("/// above 0, where it is about z and cannot overflow; e^(z − c)·log1p(e^z)/e^z below, where the ratio tends to 1,");
                _w.Line("/// so a row of very negative z keeps its proportions instead of underflowing.");
                _w.Line("/// </summary>");
                using (_w.Block("private static double Weight(double z, double c)"))
                {
                    _w.Line("if (z > 0) return z + Log1P(Math.Exp(-z));");
                    _w.Line("double e = Math.Exp(z);");
                    _w.Line("return Math.Exp(z - c) * (e == 0 ? 1 : Log1P(e) / e);");
                }

                _w.Line();
                _w.Line("/// <summary>softplus′(z)·e^−c = σ(z)·e^−c: 1/(1 + e^−z) above 0, e^(z − c)/(1 + e^z) below.</summary>");
                _w.Line(inline);
                _w.Line("private static double Slope(double z, double c) => z > 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z - c) / (1 + Math.Exp(z));");
                _w.Line();
                EmitLog1P();
                break;

            case NormalizerKind.Taylor2:
                _w.Line("/// <summary>(1 + z + z²/2)·c² = ((u·c)² + c²)/2 with u = 1 + z; with c = 1/max(1, max |u|) it is at most 1.</summary>");
                using (_w.Block("private static double Weight(double z, double c)"))
                {
                    _w.Line("double u = (1 + z) * c;");
                    _w.Line("return 0.5 * ((u * u) + (c * c));");
                }

                _w.Line();
                _w.Line("/// <summary>φ′(z)·c² = (1 + z)·c², scaled as φ is.</summary>");
                _w.Line(inline);
                _w.Line("private static double Slope(double z, double c) => (1 + z) * c * c;");
                break;

            default:
                _w.Line($"/// <summary>φ(z) = {Escape(_spec.Normalizer.Method!)}(z), the user's normaliser, through the struct TPhi (c is not used).</summary>");
                _w.Line(inline);
                _w.Line("private static double Weight(double z, double c) => default(TPhi).Phi(z);");
                _w.Line();
                _w.Line(_spec.Normalizer.Derivative is { } d
                    ? $"/// <summary>φ′(z) = {Escape(d)}(z), the user's derivative, through the struct TPhi.</summary>"
                    : "/// <summary>φ′ is not needed by softmax.</summary>");
                _w.Line(inline);
                _w.Line("private static double Slope(double z, double c) => default(TPhi).Slope(z);");
                break;
        }

        _w.Line();
    }

    /// <summary>
    /// Softmax's rows with a NaN, an infinite φ(z_a) or φ(z_a) = 0: NaN gives NaN; entries whose φ is +∞ at an infinite z
    /// share 1/n (the limit); otherwise every φ is computed unscaled and divided by the largest, and all 0 is a fully masked row.
    /// It reads all of x before writing y at the same index, so the in-place form is safe.
    /// </summary>
    private void EmitNormalizerSpecialRow()
    {
        string masked = _spec.ZeroFullyMaskedRows ? "0" : $"{T}.NaN";
        string one = _spec.Normalizer!.Kind == NormalizerKind.Taylor2 ? "1" : "0";
        _w.Line("/// <summary>NaN gives NaN; φ = +∞ at infinite z shares 1/n; else φ over its largest value; all φ = 0 is a fully masked row.</summary>");
        _w.Line("[MethodImpl(MethodImplOptions.NoInlining)]");
        using (_w.Block($"private static void SpecialRow(ReadOnlySpan<{T}> x, Span<{T}> y{TParam})"))
        {
            _w.Comment($"Unscaled φ: c = {one} makes Weight(z, c) = φ(z).");
            _w.Line($"double c = {one}, wMax = 0;");
            _w.Line("int infinite = 0;");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line($"double z = {NormalizedZ("i")};");
                _w.Line("double w = Weight(z, c);");
                using (_w.Block("if (double.IsNaN(z) || double.IsNaN(w))"))
                {
                    _w.Line($"y.Fill({T}.NaN);");
                    _w.Line("return;");
                }

                _w.Line("if (double.IsPositiveInfinity(w) && double.IsInfinity(z)) infinite++;");
                _w.Line("if (w > wMax) wMax = w;");
            }

            _w.Line();
            using (_w.Block("if (infinite > 0 || double.IsPositiveInfinity(wMax))"))
            {
                _w.Comment("The limit: the entries whose φ is +∞ (at an infinite z if there is one) share the probability.");
                _w.Line("int n = 0;");
                using (_w.Block("for (int i = 0; i < x.Length; i++)"))
                {
                    _w.Line($"double z = {NormalizedZ("i")};");
                    _w.Line("if (double.IsPositiveInfinity(Weight(z, c)) && (infinite == 0 || double.IsInfinity(z))) n++;");
                }

                _w.Line();
                using (_w.Block("for (int i = 0; i < x.Length; i++)"))
                {
                    _w.Line($"double z = {NormalizedZ("i")};");
                    _w.Line($"y[i] = double.IsPositiveInfinity(Weight(z, c)) && (infinite == 0 || double.IsInfinity(z)) ? {Round("1.0 / n")} : 0;");
                }

                _w.Line("return;");
            }

            _w.Line();
            using (_w.Block("if (wMax == 0)"))
            {
                _w.Line($"y.Fill({masked});");
                _w.Line("return;");
            }

            _w.Line();
            _w.Comment("A φ that is not increasing, with φ(max z) = 0 or subnormal: w_j / max w, then normalise.");
            _w.Line("double s = 0;");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line($"s += Weight({NormalizedZ("i")}, c) / wMax;");
            }

            _w.Line();
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line($"y[i] = {Round($"Weight({NormalizedZ("i")}, c) / wMax / s")};");
            }
        }

        _w.Line();
    }

    /// <summary>The struct in the user's type that calls a user φ (and φ′) by name, so the kernel may call private methods.</summary>
    private void EmitNormalizerStruct()
    {
        if (!HasUserNormalizer)
        {
            return;
        }

        NormalizerSpec n = _spec.Normalizer!;
        TypeDeclaration owner = _spec.ContainingTypes[_spec.ContainingTypes.Length - 1];
        string type = owner.Name + owner.TypeParameters;
        string Call(string method) => IsFloat ? $"{type}.{method}((float)z)" : $"{type}.{method}(z)";
        _w.Line();
        _w.Line($"/// <summary>Calls {Escape(n.Method!)}" + (n.Derivative is { } d ? $" (φ) and {Escape(d)} (φ′)" : " (φ)") + $" for the kernel of {Escape(_spec.MethodName)}.</summary>");
        _w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"{GeneratorName}\", \"{GeneratorVersion}\")]");
        using (_w.Block($"private readonly struct {NormalizerStruct} : global::{KernelNamespace}.INormalizer"))
        {
            _w.Line($"public double Phi(double z) => {Call(n.Method!)};");
            _w.Line();
            _w.Line(n.Derivative is { } derivative ? $"public double Slope(double z) => {Call(derivative)};" : "public double Slope(double z) => double.NaN;");
        }
    }
}
