using System.Globalization;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The math specific to SoftmaxSecondDirectional, the second derivatives of softmax contracted with two directions u, v in
/// O(K): w_i = p_i ((u_i − ū)(v_i − v̄) − Σ_j p_j (u_j − ū)(v_j − v̄)) with ū = ⟨p, u⟩, v̄ = ⟨p, v⟩ (÷ T² with a temperature).
/// </summary>
internal sealed partial class KernelEmitter
{
    private void EmitSecondDirectionalRun()
    {
        string k = _spec.K.ToString(CultureInfo.InvariantCulture);
        string tArg = _spec.HasRuntimeTemperature ? ", t" : string.Empty;
        string ros = $"ReadOnlySpan<{T}>";
        using (_w.Block($"internal static void Run({ros} p, {ros} u, {ros} v, Span<{T}> w{TParam})"))
        {
            if (_spec.AnyLength)
            {
                _w.Line($"Row(p, u, v, w{tArg});");
                return;
            }

            using (_w.Block($"for (int start = 0; start < p.Length; start += {k})"))
            {
                _w.Line($"Row(p.Slice(start, {k}), u.Slice(start, {k}), v.Slice(start, {k}), w.Slice(start, {k}){tArg});");
            }
        }
    }

    private void EmitSecondDirectionalRow()
    {
        string ros = $"ReadOnlySpan<{T}>";
        using (_w.Block($"private static void Row({ros} p, {ros} u, {ros} v, Span<{T}> w{TParam})"))
        {
            _w.Comment("ū = ⟨p, u⟩ and v̄ = ⟨p, v⟩" + (IsFloat ? " (in double)." : " (compensated)."));
            EmitDot("ub", "(double)p[j] * u[j]");
            EmitDot("vb", "(double)p[j] * v[j]");
            _w.Comment("The covariance Σ_j p_j (u_j − ū)(v_j − v̄), which is ⟨p, u ⊙ v⟩ − ū v̄ without its cancellation.");
            EmitDot("cov", "(double)p[j] * ((u[j] - ub) * (v[j] - vb))");
            _w.Comment("w_i = p_i ((u_i − ū)(v_i − v̄) − cov)" + (HasTemperature ? " / T²." : "."));
            using (_w.Block("for (int i = 0; i < p.Length; i++)"))
            {
                _w.Line($"w[i] = {Round(ScaledTwice("p[i] * (((u[i] - ub) * (v[i] - vb)) - cov)"))};");
            }
        }

        _w.Line();
    }

    /// <summary>double <paramref name="name"/> = Σ_j term, with Neumaier compensation for double kernels.</summary>
    private void EmitDot(string name, string term)
    {
        if (IsFloat)
        {
            _w.Line($"double {name} = 0;");
            using (_w.Block("for (int j = 0; j < p.Length; j++)"))
            {
                _w.Line($"{name} += {term};");
            }

            _w.Line();
            return;
        }

        _w.Line($"double {name} = 0, {name}C = 0;");
        using (_w.Block("for (int j = 0; j < p.Length; j++)"))
        {
            _w.Line($"double term = {term};");
            EmitNeumaierStep("term", name, name + "C", "next");
        }

        _w.Line($"{name} += {name}C;");
        _w.Line();
    }
}
