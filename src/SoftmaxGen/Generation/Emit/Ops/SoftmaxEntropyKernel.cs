using System.Globalization;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The math specific to SoftmaxEntropy: H = log s + Σ_k p_k (−z_k) with z = (x − m)/T ≤ 0, a sum of non-negative terms,
/// and its gradient ∂H/∂x_i = −p_i (z_i − Σ_k p_k z_k)/T (not the often-quoted p − 1, which does not even sum to 0).
/// </summary>
internal sealed partial class KernelEmitter
{
    private void EmitEntropyRun()
    {
        string k = _spec.K.ToString(CultureInfo.InvariantCulture);
        string tArg = _spec.HasRuntimeTemperature ? ", t" : string.Empty;
        string gradient = HasGradient ? $", Span<{T}> g" : string.Empty;
        if (_spec.Form == KernelForm.ScalarResult)
        {
            using (_w.Block($"internal static {T} Run(ReadOnlySpan<{T}> x{gradient}{TParam})"))
            {
                _w.Line($"return {Round($"Row(x{(HasGradient ? ", g" : string.Empty)}{tArg})")};");
            }

            return;
        }

        using (_w.Block($"internal static void Run(ReadOnlySpan<{T}> x, Span<{T}> entropies{gradient}{TParam})"))
        {
            if (_spec.AnyLength)
            {
                _w.Line($"entropies[0] = {Round($"Row(x{(HasGradient ? ", g" : string.Empty)}{tArg})")};");
                return;
            }

            using (_w.Block("for (int row = 0; row < entropies.Length; row++)"))
            {
                _w.Line($"int start = row * {k};");
                string rowGradient = HasGradient ? $", g.Slice(start, {k})" : string.Empty;
                _w.Line($"entropies[row] = {Round($"Row(x.Slice(start, {k}){rowGradient}{tArg})")};");
            }
        }
    }

    private void EmitEntropyRow()
    {
        string gradient = HasGradient ? $", Span<{T}> g" : string.Empty;
        string tArg = _spec.HasRuntimeTemperature ? ", t" : string.Empty;
        using (_w.Block($"private static double Row(ReadOnlySpan<{T}> x{gradient}{TParam})"))
        {
            EmitRowMaxAndIndex();
            using (_w.Block($"if (hasNaN || {T}.IsInfinity(m))"))
            {
                _w.Line($"return SpecialRow(x{(HasGradient ? ", g" : string.Empty)}, m, hasNaN);");
            }

            _w.Line();
            _w.Comment("s′ = Σ_{j≠a} e_j and w = Σ_j e_j (−z_j) ≥ 0, e_j = exp(z_j); an e_j of 0 adds nothing (0·log 0 = 0).");
            if (IsFloat)
            {
                _w.Line("double sp = 0, w = 0;");
                using (_w.Block("for (int i = 0; i < x.Length; i++)"))
                {
                    _w.Line($"double z = {Z("x[i]")};");
                    _w.Line("double e = Math.Exp(z);");

                    _w.Line("if (i != a) sp += e;");
                    _w.Line("if (e > 0) w -= e * z;");
                }
            }
            else
            {
                _w.Line("double sp = 0, c = 0, w = 0, wC = 0;");
                using (_w.Block("for (int i = 0; i < x.Length; i++)"))
                {
                    _w.Line($"double z = {ShiftCall("x[i]")};");
                    _w.Line("double e = ExpHiLo(z, zLow);");
                    if (HasGradient)
                    {
                        _w.Line("g[i] = e;");
                    }

                    using (_w.Block("if (e > 0)"))
                    {
                        _w.Line("double term = -e * (z + zLow);");
                        EmitNeumaierStep("term", "w", "wC", "nextW");
                    }

                    using (_w.Block("if (i != a)"))
                    {
                        EmitNeumaierStep("e", "sp");
                    }
                }

                _w.Line("sp += c;");
                _w.Line("w += wC;");
            }

            _w.Line();
            _w.Comment("H = log s + Σ_k p_k (−z_k), with log s = log1p(s′) and Σ_k p_k (−z_k) = w/s: both ≥ 0.");
            _w.Line("double s = 1 + sp;");
            _w.Line("double mean = w / s;");
            _w.Line("double h = Log1P(sp) + mean;");
            if (HasGradient)
            {
                _w.Line();
                _w.Comment("∂H/∂x_i = −p_i (z_i − Σ_k p_k z_k)/T = −p_i (z_i + w/s)/T; p_i = 0 gives 0 (also where z_i = −∞).");
                if (IsFloat)
                {
                    _w.Comment("exp(z_i) again in double: stored as a float it would lose the subnormal tail that (z_i + w/s) multiplies.");
                }

                using (_w.Block("for (int i = 0; i < x.Length; i++)"))
                {
                    _w.Line($"double z = {(IsFloat ? Z("x[i]") : $"{ShiftCall("x[i]")} + zLow")};");
                    _w.Line($"double p = {(IsFloat ? "Math.Exp(z)" : "g[i]")} / s;");
                    _w.Line($"g[i] = p > 0 ? {Round(Scaled("-p * (z + mean)"))} : 0;");
                }
            }

            _w.Line();
            _w.Line("return h;");
        }

        _w.Line();
        _w.Line("/// <summary>NaN or an all −∞ row gives NaN; m = +∞ is the limit: c entries of +∞ share p = 1/c, H = log c, ∇H = 0.</summary>");
        _w.Line("[MethodImpl(MethodImplOptions.NoInlining)]");
        using (_w.Block($"private static double SpecialRow(ReadOnlySpan<{T}> x{gradient}, {T} m, bool hasNaN)"))
        {
            EmitLimitsStart(HasGradient);

            if (HasGradient)
            {
                _w.Line();
                _w.Line("g.Clear();");
            }

            _w.Line("return Math.Log(count);");
        }

        _w.Line();
        EmitLog1P();
    }
}
