namespace SoftmaxGen.Tests.CodeFixes;

/// <summary>The expected text after "Subtract the maximum", per case of <see cref="FixCases"/>.</summary>
internal static class FixedCases
{
    public static readonly IReadOnlyDictionary<string, string> Softmax = new Dictionary<string, string>
    {
        ["GenericMath"] = """
                public static double[] Check(double[] input) { var y = new double[input.Length]; Softmax<double>(input, y); return y; }

                static void Softmax<T>(ReadOnlySpan<T> x, Span<T> y) where T : System.Numerics.IFloatingPointIeee754<T>
                {
                    T sum = T.Zero;
                    T max = T.NegativeInfinity;
                    for (int i = 0; i < x.Length; i++) max = T.Max(max, x[i]);
                    if (T.IsInfinity(max)) max = T.Zero;
                    for (int i = 0; i < x.Length; i++) sum += T.Exp(x[i] - max);
                    for (int i = 0; i < x.Length; i++) y[i] = T.Exp(x[i] - max) / sum;
                }
            """,
        ["TwoPassFor"] = """
                public static double[] Check(double[] input) { var y = new double[input.Length]; Softmax(input, y); return y; }

                static void Softmax(double[] x, double[] y)
                {
                    // Normalising constant.
                    double sum = 0;
                    double max = double.NegativeInfinity;
                    for (int i = 0; i < x.Length; i++) max = Math.Max(max, x[i]);
                    if (double.IsInfinity(max)) max = 0;
                    for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i] - max);
                    for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i] - max) / sum; // probabilities
                }
            """,
        ["ExpArrayFloat"] = """
                public static double[] Check(double[] input) => Array.ConvertAll(Softmax(Array.ConvertAll(input, v => (float)v)), v => (double)v);

                static float[] Softmax(float[] logits)
                {
                    var exps = new float[logits.Length];
                    float sum = 0f;
                    float max = float.NegativeInfinity;
                    for (int i = 0; i < logits.Length; i++) max = Math.Max(max, logits[i]);
                    if (float.IsInfinity(max)) max = 0;
                    for (int i = 0; i < logits.Length; i++)
                    {
                        exps[i] = MathF.Exp(logits[i] - max);
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
                    double max = double.NegativeInfinity;
                    for (int i = 0; i < values.Length; i++) max = Math.Max(max, values[i]);
                    if (double.IsInfinity(max)) max = 0;
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] = Math.Exp(values[i] - max);
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
                    double max = double.NegativeInfinity;
                    for (int i = 0; i < x.Length; i++) max = Math.Max(max, x[i]);
                    if (double.IsInfinity(max)) max = 0;
                    foreach (double v in x) sum += Math.Exp(v - max);
                    var p = new double[x.Length];
                    for (int i = 0; i < x.Length; i++) p[i] = Math.Exp(x[i] - max) / sum;
                    return p;
                }
            """,
        ["LinqOnnx"] = """
                public static double[] Check(double[] input) => Softmax(Array.ConvertAll(input, v => (float)v)).Select(v => (double)v).ToArray();

                static IEnumerable<float> Softmax(float[] output)
                {
                    double max = double.NegativeInfinity;
                    foreach (var value in output) max = Math.Max(max, value);
                    if (double.IsInfinity(max)) max = 0;
                    var sum = output.Sum(x => (float)Math.Exp(x - max));
                    IEnumerable<float> softmax = output.Select(x => (float)Math.Exp(x - max) / sum);
                    return softmax.ToArray();
                }
            """,
        ["LinqMethodGroup"] = """
                public static double[] Check(double[] input) => Softmax(input);

                static double[] Softmax(double[] x)
                {
                    double max = double.NegativeInfinity;
                    foreach (var value in x) max = Math.Max(max, value);
                    if (double.IsInfinity(max)) max = 0;
                    double[] exps = x.Select(logit => Math.Exp(logit - max)).ToArray();
                    double sum = exps.Sum();
                    return exps.Select(e => e / sum).ToArray();
                }
            """,
        ["Temperature"] = """
                public static double[] Check(double[] input) { var y = new float[input.Length]; Softmax(Array.ConvertAll(input, v => (float)v), y, 2f); return Array.ConvertAll(y, v => (double)v); }

                static void Softmax(float[] x, float[] y, float temperature)
                {
                    float sum = 0;
                    float max = float.NegativeInfinity;
                    for (int i = 0; i < x.Length; i++) max = Math.Max(max, x[i]);
                    if (float.IsInfinity(max)) max = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        y[i] = MathF.Exp((x[i] - max) / temperature);
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
                    double max = double.NegativeInfinity;
                    foreach (var value in scores) max = Math.Max(max, value);
                    if (double.IsInfinity(max)) max = 0;
                    foreach (int s in scores) sum += Math.Exp(s - max);
                    return scores.Select(s => Math.Exp(s - max) / sum).ToArray();
                }
            """,
        ["Jagged"] = """
                public static double[] Check(double[] input) { var rows = new[] { (double[])input.Clone() }; Softmax(rows); return rows[0]; }

                static void Softmax(double[][] x)
                {
                    for (int r = 0; r < x.Length; r++)
                    {
                        double sum = 0;
                        double max = double.NegativeInfinity;
                        for (int j = 0; j < x[r].Length; j++) max = Math.Max(max, x[r][j]);
                        if (double.IsInfinity(max)) max = 0;
                        for (int j = 0; j < x[r].Length; j++) sum += Math.Exp(x[r][j] - max);
                        for (int j = 0; j < x[r].Length; j++) x[r][j] = Math.Exp(x[r][j] - max) / sum;
                    }
                }
            """,
        ["LogSoftmax"] = """
                public static double[] Check(double[] input) { var y = new double[input.Length]; LogSoftmax(input, y); return y; }

                static void LogSoftmax(double[] x, double[] y)
                {
                    double sum = 0;
                    double max = double.NegativeInfinity;
                    for (int i = 0; i < x.Length; i++) max = Math.Max(max, x[i]);
                    if (double.IsInfinity(max)) max = 0;
                    for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i] - max);
                    double logSum = max + Math.Log(sum);
                    for (int i = 0; i < x.Length; i++) y[i] = x[i] - logSum;
                }
            """,
        ["ExpLocal"] = """
                public static double[] Check(double[] input) => Softmax(input);

                static double[] Softmax(double[] x)
                {
                    var y = new double[x.Length];
                    double sum = 0;
                    double max = double.NegativeInfinity;
                    for (int i = 0; i < x.Length; i++) max = Math.Max(max, x[i]);
                    if (double.IsInfinity(max)) max = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        var e = Math.Exp(x[i] - max);
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
                    double max = double.NegativeInfinity;
                    for (int i = 0; i < scores.Length; i++) max = Math.Max(max, scores[i]);
                    if (double.IsInfinity(max)) max = 0;
                    for (int i = 0; i < scores.Length; i++) { exps[i] = Math.Exp(scores[i] - max); sum += exps[i]; }
                    double inv = 1.0 / sum;
                    for (int i = 0; i < scores.Length; i++) output[i] = exps[i] * inv;
                }
            """,
        ["GuardedSum"] = """
                public static double[] Check(double[] input) { var y = new double[input.Length]; Softmax(input, y); return y; }

                static void Softmax(double[] x, double[] y)
                {
                    double sum = 0;
                    double max = double.NegativeInfinity;
                    for (int i = 0; i < x.Length; i++) max = Math.Max(max, x[i]);
                    if (double.IsInfinity(max)) max = 0;
                    for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i] - max);
                    if (sum == 0 || double.IsInfinity(sum)) return;
                    for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i] - max) / sum;
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
                    double max = double.NegativeInfinity;
                    for (int i = 0; i < x.Length; i++) max = Math.Max(max, x[i]);
                    if (double.IsInfinity(max)) max = 0;
                    for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i] - max);
                    return max + Math.Log(sum);
                }
            """,
        ["LinqFloat"] = """
                public static double[] Check(double[] input) => [LogSumExp(Array.ConvertAll(input, v => (float)v))];

                static float LogSumExp(float[] x) => LogSum(x);

                static float LogSum(float[] x)
                {
                    float max = float.NegativeInfinity;
                    foreach (var value in x) max = Math.Max(max, value);
                    if (float.IsInfinity(max)) max = 0;
                    float s = x.Sum(v => MathF.Exp(v - max));
                    return max + MathF.Log(s);
                }
            """,
        ["ExpLocal"] = """
                public static double[] Check(double[] input) => [LogSumExp(input)];

                static double LogSumExp(double[] energies)
                {
                    double z = 0;
                    double max = double.NegativeInfinity;
                    foreach (var value in energies) max = Math.Max(max, value);
                    if (double.IsInfinity(max)) max = 0;
                    foreach (var u in energies)
                    {
                        double w = Math.Exp(u - max);
                        z += w;
                    }

                    return max + Math.Log(z);
                }
            """,
    };
}
