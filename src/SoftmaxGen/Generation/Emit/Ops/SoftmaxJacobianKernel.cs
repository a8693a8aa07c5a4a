using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The math specific to SoftmaxJacobian: J_ij = p_i (δ_ij − p_j). The shared phases (row maximum, shifted exponentials and their sum,
/// the vector and batch paths' loops, the argument checks) are written by the other parts of <see cref="KernelEmitter"/>.
/// </summary>
internal sealed partial class KernelEmitter
{
    /// <summary>The scalar row of SoftmaxJacobian (and its limits), the path every vector path falls back on.</summary>
    private void EmitSoftmaxJacobianRow()
    {
        string ros = $"ReadOnlySpan<{T}>";
        string span = $"Span<{T}>";
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
    }
}
