using SoftmaxGen.Generation.Model;
using SoftmaxGen.Generation.Plan;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The math specific to LogSumExp: m + log Σ_j exp(x_j − m). The shared phases (row maximum, shifted exponentials and their sum,
/// the vector and batch paths' loops, the argument checks) are written by the other parts of <see cref="KernelEmitter"/>.
/// </summary>
internal sealed partial class KernelEmitter
{
    /// <summary>The scalar row of LogSumExp (and its limits), the path every vector path falls back on.</summary>
    private void EmitLogSumExpRow()
    {
        string ros = $"ReadOnlySpan<{T}>";
        string span = $"Span<{T}>";
        EmitHotAttribute();
        using (_w.Block($"private static {T} Row({ros} x{MaskParam}{TParam})"))
        {
            EmitSimdDispatch();
            EmitRowMax();
            _w.Comment("NaN gives NaN; ±∞ as the maximum is the limit itself (all −∞ gives −∞).");
            _w.Line("if (hasNaN) return " + T + ".NaN;");
            string sign = _spec.Negated ? "-" : string.Empty;
            _w.Line("if (" + T + $".IsInfinity(m)) return {sign}m;");
            _w.Line();
            if (_spec.Negated)
            {
                _w.Comment("Base b < 1 on −x: s = Σ_j exp(z_j) ≥ 1 with m = max(−x); log_b Σ_j b^{x_j} = −(m + T·log s), T = 1/|ln b|.");
            }
            else
            {
                _w.Comment("s = Σ_j exp(z_j) ≥ 1, so log s is finite; LSE = m + T·log s.");
            }

            EmitSum(store: false);
            string scaledLog = HasTemperature ? $"{Tv} * Math.Log(s)" : "Math.Log(s)";
            string result = _spec.Negated ? $"-(m + {scaledLog})" : $"m + {scaledLog}";
            _w.Line(IsFloat ? $"return (float)({result});" : $"return {result};");
        }

        _w.Line();
    }

    /// <summary>The last phase of LogSumExp's vector row on width <paramref name="w"/>, after the row maximum and the sum s.</summary>
    private void EmitLogSumExpVectorRowEnd(VectorWidth w)
    {
        _w.Line();
        string log = IsFloat ? "Math.Log(s)" : "(Math.Log(sHi) + (sLo / sHi))";
        string scaled = HasTemperature ? $"({Tv} * {log})" : log;
        _w.Comment(HasTemperature ? "LSE = m + T·log s, s ≥ 1 (the smooth maximum)." : "LSE = m + log s, s ≥ 1.");
        _w.Line(IsFloat ? $"return (float)(m + {scaled});" : $"return m + {scaled};");
    }

    /// <summary>The last phase of LogSumExp on a transposed block of width <paramref name="w"/>, after the lane-wise maxima and sums.</summary>
    private void EmitLogSumExpBlockEnd(VectorWidth w, (string, string)[] keys)
    {
        Template(w, IsFloat
            ? """
                    // LSE = m + {T·}log s, lane-wise in double, rounded once to float; the block's results are contiguous.
                    var (m0, m1) = {V}.Widen(m);
                    var lse = {V}.Narrow(m0 + ({TV}VectorMath.LogAtLeastOneForFloat(s0)), m1 + ({TV}VectorMath.LogAtLeastOneForFloat(s1)));
                    {V}.StoreUnsafe(lse, ref MemoryMarshal.GetReference({OUT}), (nuint)row);
                }

                """
            : """
                    // LSE = m + {T·}log(s + c) = m + {T·}(log s + c/s), lane-wise; the block's results are contiguous.
                    var lse = m + ({TV}(VectorMath.LogAtLeastOne(s) + (c / s)));
                    {V}.StoreUnsafe(lse, ref MemoryMarshal.GetReference({OUT}), (nuint)row);
                }

                """, [.. keys, ("{T·}", HasTemperature ? "T·" : string.Empty), ("{TV}", HasTemperature ? $"{{V}}.Create({Tv}) * " : string.Empty)]);
    }
}
