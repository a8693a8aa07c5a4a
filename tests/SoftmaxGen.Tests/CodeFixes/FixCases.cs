namespace SoftmaxGen.Tests.CodeFixes;

/// <summary>
/// Flagged code for the "Subtract the maximum" fix, with the expected diagnostic as markup (<c>{|SMX1001:…|}</c>).
/// Each case has a <c>Check(double[]) → double[]</c> adapter so the original and the fixed code can be executed and
/// compared (<see cref="Analyzers.TestReferences.Plain"/> strips the markup).
/// </summary>
internal static class FixCases
{
    public static string Source(string members, bool partialClass = true) =>
        "using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Numerics.Tensors;\n\npublic static " +
        (partialClass ? "partial " : string.Empty) + "class C\n{\n" + members + "\n}\n";

    public static readonly IReadOnlyDictionary<string, string> Softmax = new Dictionary<string, string>
    {
        ["GenericMath"] = """
                public static double[] Check(double[] input) { var y = new double[input.Length]; Softmax<double>(input, y); return y; }

                static void Softmax<T>(ReadOnlySpan<T> x, Span<T> y) where T : System.Numerics.IFloatingPointIeee754<T>
                {
                    T sum = T.Zero;
                    for (int i = 0; i < x.Length; i++) sum += {|SMX1001:T.Exp(x[i])|};
                    for (int i = 0; i < x.Length; i++) y[i] = T.Exp(x[i]) / sum;
                }
            """,
        ["TwoPassFor"] = """
                public static double[] Check(double[] input) { var y = new double[input.Length]; Softmax(input, y); return y; }

                static void Softmax(double[] x, double[] y)
                {
                    // Normalising constant.
                    double sum = 0;
                    for (int i = 0; i < x.Length; i++) sum += {|SMX1001:Math.Exp(x[i])|};
                    for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum; // probabilities
                }
            """,
        ["ExpArrayFloat"] = """
                public static double[] Check(double[] input) => Array.ConvertAll(Softmax(Array.ConvertAll(input, v => (float)v)), v => (double)v);

                static float[] Softmax(float[] logits)
                {
                    var exps = new float[logits.Length];
                    float sum = 0f;
                    for (int i = 0; i < logits.Length; i++)
                    {
                        exps[i] = {|SMX1001:MathF.Exp(logits[i])|};
                        sum += exps[i];
                    }

                    for (int i = 0; i < exps.Length; i++)
                    {
                        exps[i] /= sum;
                    }

                    return exps;
                }
            """,
        ["InPlaceSpan"] = """
                public static double[] Check(double[] input) { var v = (double[])input.Clone(); Softmax(v); return v; }

                static void Softmax(Span<double> values)
                {
                    double total = 0;
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] = {|SMX1001:Math.Exp(values[i])|};
                        total += values[i];
                    }

                    for (int i = 0; i < values.Length; i++) values[i] /= total;
                }
            """,
        ["Foreach"] = """
                public static double[] Check(double[] input) => Softmax(input);

                static double[] Softmax(double[] x)
                {
                    double sum = 0;
                    foreach (double v in x) sum += {|SMX1001:Math.Exp(v)|};
                    var p = new double[x.Length];
                    for (int i = 0; i < x.Length; i++) p[i] = Math.Exp(x[i]) / sum;
                    return p;
                }
            """,
        ["LinqOnnx"] = """
                public static double[] Check(double[] input) => Softmax(Array.ConvertAll(input, v => (float)v)).Select(v => (double)v).ToArray();

                static IEnumerable<float> Softmax(float[] output)
                {
                    var sum = output.Sum(x => (float){|SMX1001:Math.Exp(x)|});
                    IEnumerable<float> softmax = output.Select(x => (float)Math.Exp(x) / sum);
                    return softmax.ToArray();
                }
            """,
        ["LinqMethodGroup"] = """
                public static double[] Check(double[] input) => Softmax(input);

                static double[] Softmax(double[] x)
                {
                    double[] exps = x.Select({|SMX1001:Math.Exp|}).ToArray();
                    double sum = exps.Sum();
                    return exps.Select(e => e / sum).ToArray();
                }
            """,
        ["Temperature"] = """
                public static double[] Check(double[] input) { var y = new float[input.Length]; Softmax(Array.ConvertAll(input, v => (float)v), y, 2f); return Array.ConvertAll(y, v => (double)v); }

                static void Softmax(float[] x, float[] y, float temperature)
                {
                    float sum = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        y[i] = {|SMX1001:MathF.Exp(x[i] / temperature)|};
                        sum += y[i];
                    }

                    for (int i = 0; i < y.Length; i++) y[i] /= sum;
                }
            """,
        ["IntegerScores"] = """
                public static double[] Check(double[] input) => Softmax(Array.ConvertAll(input, v => (int)Math.Round(v)));

                static double[] Softmax(int[] scores)
                {
                    double sum = 0;
                    foreach (int s in scores) sum += {|SMX1001:Math.Exp(s)|};
                    return scores.Select(s => Math.Exp(s) / sum).ToArray();
                }
            """,
        ["Jagged"] = """
                public static double[] Check(double[] input) { var rows = new[] { (double[])input.Clone() }; Softmax(rows); return rows[0]; }

                static void Softmax(double[][] x)
                {
                    for (int r = 0; r < x.Length; r++)
                    {
                        double sum = 0;
                        for (int j = 0; j < x[r].Length; j++) sum += {|SMX1001:Math.Exp(x[r][j])|};
                        for (int j = 0; j < x[r].Length; j++) x[r][j] = Math.Exp(x[r][j]) / sum;
                    }
                }
            """,
        ["LogSoftmax"] = """
                public static double[] Check(double[] input) { var y = new double[input.Length]; LogSoftmax(input, y); return y; }

                static void LogSoftmax(double[] x, double[] y)
                {
                    double sum = 0;
                    for (int i = 0; i < x.Length; i++) sum += {|SMX1001:Math.Exp(x[i])|};
                    double logSum = Math.Log(sum);
                    for (int i = 0; i < x.Length; i++) y[i] = x[i] - logSum;
                }
            """,
        ["ExpLocal"] = """
                public static double[] Check(double[] input) => Softmax(input);

                static double[] Softmax(double[] x)
                {
                    var y = new double[x.Length];
                    double sum = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        var e = {|SMX1001:Math.Exp(x[i])|};
                        y[i] = e;
                        sum += e;
                    }

                    for (int i = 0; i < y.Length; i++) y[i] /= sum;
                    return y;
                }
            """,
        ["ReciprocalLocal"] = """
                public static double[] Check(double[] input) { var y = new double[input.Length]; Softmax(input, y); return y; }

                static void Softmax(double[] scores, double[] output)
                {
                    var exps = new double[scores.Length];
                    double sum = 0.0;
                    for (int i = 0; i < scores.Length; i++) { exps[i] = {|SMX1001:Math.Exp(scores[i])|}; sum += exps[i]; }
                    double inv = 1.0 / sum;
                    for (int i = 0; i < scores.Length; i++) output[i] = exps[i] * inv;
                }
            """,
        ["GuardedSum"] = """
                public static double[] Check(double[] input) { var y = new double[input.Length]; Softmax(input, y); return y; }

                static void Softmax(double[] x, double[] y)
                {
                    double sum = 0;
                    for (int i = 0; i < x.Length; i++) sum += {|SMX1001:Math.Exp(x[i])|};
                    if (sum == 0 || double.IsInfinity(sum)) return;
                    for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum;
                }
            """,
    };

    public static readonly IReadOnlyDictionary<string, string> LogSumExp = new Dictionary<string, string>
    {
        ["ForLoop"] = """
                public static double[] Check(double[] input) => [LogSumExp(input)];

                static double LogSumExp(double[] x)
                {
                    double sum = 0;
                    for (int i = 0; i < x.Length; i++) sum += {|SMX1002:Math.Exp(x[i])|};
                    return Math.Log(sum);
                }
            """,
        ["LinqFloat"] = """
                public static double[] Check(double[] input) => [LogSumExp(Array.ConvertAll(input, v => (float)v))];

                static float LogSumExp(float[] x) => LogSum(x);

                static float LogSum(float[] x)
                {
                    float s = x.Sum(v => {|SMX1002:MathF.Exp(v)|});
                    return MathF.Log(s);
                }
            """,
        ["ExpLocal"] = """
                public static double[] Check(double[] input) => [LogSumExp(input)];

                static double LogSumExp(double[] energies)
                {
                    double z = 0;
                    foreach (var u in energies)
                    {
                        double w = {|SMX1002:Math.Exp(u)|};
                        z += w;
                    }

                    return Math.Log(z);
                }
            """,
    };
}
