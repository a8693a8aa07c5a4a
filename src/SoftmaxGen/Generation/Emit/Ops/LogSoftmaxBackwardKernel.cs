using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The math specific to LogSoftmaxBackward: dx_i = g_i − exp(lp_i) Σ_j g_j. The shared phases (row maximum, shifted exponentials and their sum,
/// the vector and batch paths' loops, the argument checks) are written by the other parts of <see cref="KernelEmitter"/>.
/// </summary>
internal sealed partial class KernelEmitter
{
    /// <summary>The scalar row of LogSoftmaxBackward (and its limits), the path every vector path falls back on.</summary>
    private void EmitLogSoftmaxBackwardRow()
    {
        string ros = $"ReadOnlySpan<{T}>";
        string span = $"Span<{T}>";
        using (_w.Block($"private static void Row({ros} lp, {ros} g, {span} dx{TParam})"))
        {
            _w.Comment("Σ_j g_j" + (IsFloat ? " (in double)." : " (compensated)."));
            EmitCompensatedSum("(double)g[j]", "gSum", "lp.Length");
            _w.Comment(HasTemperature ? "dx = (g − exp(lp) Σ_j g_j) / T." : "dx = g − exp(lp) Σ_j g_j.");
            using (_w.Block("for (int i = 0; i < lp.Length; i++)"))
            {
                _w.Line($"dx[i] = {Round(Scaled("g[i] - (Math.Exp(lp[i]) * gSum)"))};");
            }
        }

        _w.Line();
    }
}
