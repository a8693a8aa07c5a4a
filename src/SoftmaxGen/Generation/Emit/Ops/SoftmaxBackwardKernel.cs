using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The math specific to SoftmaxBackward: dx_i = p_i (g_i − ⟨p, g⟩). The shared phases (row maximum, shifted exponentials and their sum,
/// the vector and batch paths' loops, the argument checks) are written by the other parts of <see cref="KernelEmitter"/>.
/// </summary>
internal sealed partial class KernelEmitter
{
    /// <summary>The scalar row of SoftmaxBackward (and its limits), the path every vector path falls back on.</summary>
    private void EmitSoftmaxBackwardRow()
    {
        string ros = $"ReadOnlySpan<{T}>";
        string span = $"Span<{T}>";
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
    }
}
