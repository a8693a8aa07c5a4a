using System.Globalization;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The math specific to SoftmaxHessian, the second derivatives of softmax from its probabilities:
/// ∂²p_i/∂x_j∂x_k = p_i (δ_ik − p_k)(δ_ij − p_j) − p_i p_j (δ_jk − p_k), K·K·K values per row (÷ T² with a temperature).
/// </summary>
internal sealed partial class KernelEmitter
{
    private void EmitHessianRun()
    {
        string k = _spec.K.ToString(CultureInfo.InvariantCulture);
        string tArg = _spec.HasRuntimeTemperature ? ", t" : string.Empty;
        using (_w.Block($"internal static void Run(ReadOnlySpan<{T}> p, Span<{T}> hessian{TParam})"))
        {
            if (_spec.AnyLength)
            {
                _w.Line($"Row(p, hessian{tArg});");
                return;
            }

            using (_w.Block($"for (int row = 0; row < p.Length / {k}; row++)"))
            {
                _w.Line($"Row(p.Slice(row * {k}, {k}), hessian.Slice(row * {k} * {k} * {k}, {k} * {k} * {k}){tArg});");
            }
        }
    }

    private void EmitHessianRow()
    {
        using (_w.Block($"private static void Row(ReadOnlySpan<{T}> p, Span<{T}> h{TParam})"))
        {
            _w.Comment("H[i, j, k] = p_i ((δ_ik − p_k)(δ_ij − p_j) − p_j (δ_jk − p_k)), row-major in (i, j, k)" + (IsFloat ? ", in double." : "."));
            _w.Line("int n = p.Length;");
            using (_w.Block("for (int i = 0; i < n; i++)"))
            {
                _w.Line("double pi = p[i];");
                using (_w.Block("for (int j = 0; j < n; j++)"))
                {
                    _w.Line("double pj = p[j];");
                    _w.Line("double dij = (i == j ? 1.0 : 0.0) - pj;");
                    _w.Line("int offset = ((i * n) + j) * n;");
                    using (_w.Block("for (int k = 0; k < n; k++)"))
                    {
                        _w.Line("double pk = p[k];");
                        _w.Line("double value = pi * ((((i == k ? 1.0 : 0.0) - pk) * dij) - (pj * ((j == k ? 1.0 : 0.0) - pk)));");
                        _w.Line($"h[offset + k] = {Round(ScaledTwice("value"))};");
                    }
                }
            }
        }

        _w.Line();
    }
}
