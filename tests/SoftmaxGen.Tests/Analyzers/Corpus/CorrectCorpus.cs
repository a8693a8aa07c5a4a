namespace SoftmaxGen.Tests.Analyzers.Corpus;

/// <summary>
/// Realistic correct files: max-shifted softmax, log-softmax and log-sum-exp in the same shapes as
/// <see cref="NaiveCorpus"/>, and code that uses exp without normalising it by a sum of the same values (sigmoid,
/// softplus, Gaussian weights, decay, densities). None may be reported.
/// </summary>
internal static class CorrectCorpus
{
    public static IReadOnlyList<(string Name, string Source)> Files { get; } =
    [
        ("LinqMaxShift", """
            namespace Layers;
            public static class SoftMax
            {
                public static List<double> Softmax(List<double> input)
                {
                    var maxInput = input.Max();
                    var result = input.Select(t => Math.Exp(t - maxInput)).ToList();
                    var sum = result.Sum();
                    for (var i = 0; i < input.Count; i++) result[i] /= sum;
                    return result;
                }
            }
            """),
        ("IfLoopMax", """
            namespace Gpt;
            public static class ActivationFunctions
            {
                public static double[] Softmax(double[] logits)
                {
                    double maxLogit = double.MinValue;
                    foreach (var logit in logits)
                        if (logit > maxLogit) maxLogit = logit;
                    double sumExp = 0;
                    double[] exps = new double[logits.Length];
                    for (int i = 0; i < logits.Length; i++) { exps[i] = Math.Exp(logits[i] - maxLogit); sumExp += exps[i]; }
                    double[] softmax = new double[logits.Length];
                    for (int i = 0; i < logits.Length; i++) softmax[i] = exps[i] / sumExp;
                    return softmax;
                }
            }
            """),
        ("LargestFromZero", """
            namespace Micro;
            public static class Softmax
            {
                public static float[] Activate(float[] output)
                {
                    float largest = 0f;
                    for (int i = 0; i < output.Length; i++) if (output[i] > largest) largest = output[i];
                    float sum = 0f;
                    var e = new float[output.Length];
                    for (int i = 0; i < output.Length; i++) { e[i] = MathF.Exp(output[i] - largest); sum += e[i]; }
                    for (int i = 0; i < e.Length; i++) e[i] /= sum;
                    return e;
                }
            }
            """),
        ("TensorPrimitivesMax", """
            using System.Numerics.Tensors;
            namespace Simd;
            public static class Stable
            {
                public static void Softmax(ReadOnlySpan<float> x, Span<float> y)
                {
                    float m = TensorPrimitives.Max(x);
                    float sum = 0;
                    for (int i = 0; i < x.Length; i++) { y[i] = MathF.Exp(x[i] - m); sum += y[i]; }
                    for (int i = 0; i < y.Length; i++) y[i] /= sum;
                }
            }
            """),
        ("StableLogSumExp", """
            namespace Stats;
            public static class LogSpace
            {
                public static double LogSumExp(double[] x)
                {
                    double m = x.Max();
                    double s = 0;
                    foreach (var v in x) s += Math.Exp(v - m);
                    return m + Math.Log(s);
                }
            }
            """),
        ("StableLogSoftmax", """
            namespace Nn;
            public static class Functional
            {
                public static float[] LogSoftmax(float[] x)
                {
                    float max = x.Max();
                    float sum = 0;
                    foreach (var v in x) sum += MathF.Exp(v - max);
                    float log = max + MathF.Log(sum);
                    return x.Select(v => v - log).ToArray();
                }
            }
            """),
        ("Sigmoid", """
            namespace Act;
            public static class Sigmoid
            {
                public static void Apply(double[] x, double[] y)
                {
                    for (int i = 0; i < x.Length; i++) y[i] = 1.0 / (1.0 + Math.Exp(-x[i]));
                }
            }
            """),
        ("Softplus", """
            namespace Act;
            public static class Softplus
            {
                public static float[] Apply(float[] x) => x.Select(v => MathF.Log(1f + MathF.Exp(v))).ToArray();
            }
            """),
        ("GaussianKernel", """
            namespace Smooth;
            public static class Kernel
            {
                public static double[] Weights(double[] d, double sigma)
                {
                    var w = new double[d.Length];
                    double sum = 0;
                    for (int i = 0; i < d.Length; i++) { w[i] = Math.Exp(-d[i] * d[i] / (2 * sigma * sigma)); sum += w[i]; }
                    for (int i = 0; i < w.Length; i++) w[i] /= sum;
                    return w;
                }
            }
            """),
        ("LearningRateDecay", """
            namespace Train;
            public sealed class Schedule
            {
                public double Initial { get; init; } = 0.1;
                public double Rate { get; init; } = 0.01;
                public double At(int epoch) => Initial * Math.Exp(-Rate * epoch);
                public double[] Table(int epochs) => Enumerable.Range(0, epochs).Select(At).ToArray();
            }
            """),
        ("StableSoftmin", """
            namespace Clustering;
            public static class SoftAssign
            {
                public static double[] Weights(double[] d)
                {
                    double nearest = d.Min();
                    var w = new double[d.Length];
                    double sum = 0;
                    for (int i = 0; i < d.Length; i++) { w[i] = Math.Exp(nearest - d[i]); sum += w[i]; }
                    for (int i = 0; i < w.Length; i++) w[i] /= sum;
                    return w;
                }
            }
            """),
        ("StableBoltzmann", """
            namespace Rl;
            public static class Boltzmann
            {
                public static double[] Probabilities(double[] q, double beta)
                {
                    double best = q.Max();
                    var p = new double[q.Length];
                    double z = 0;
                    for (int a = 0; a < q.Length; a++) { p[a] = Math.Exp(beta * (q[a] - best)); z += p[a]; }
                    for (int a = 0; a < q.Length; a++) p[a] /= z;
                    return p;
                }
            }
            """),
        ("StableDictionary", """
            namespace Classify;
            public static class LabelScores
            {
                public static Dictionary<string, double> ToProbabilities(Dictionary<string, double> scores)
                {
                    double top = scores.Values.Max();
                    var exps = scores.ToDictionary(kv => kv.Key, kv => Math.Exp(kv.Value - top));
                    double total = exps.Values.Sum();
                    return exps.ToDictionary(kv => kv.Key, kv => kv.Value / total);
                }
            }
            """),
        ("StableSampling", """
            namespace TextGen;
            public static class Sampler
            {
                public static int Next(float[] logits, float temperature, Random rng)
                {
                    float m = float.NegativeInfinity;
                    foreach (var l in logits) m = MathF.Max(m, l);
                    var w = new float[logits.Length];
                    float sum = 0;
                    for (int i = 0; i < logits.Length; i++) { w[i] = MathF.Exp((logits[i] - m) / temperature); sum += w[i]; }
                    float r = (float)rng.NextDouble() * sum, acc = 0;
                    for (int i = 0; i < w.Length; i++) { acc += w[i]; if (acc >= r) return i; }
                    return w.Length - 1;
                }
            }
            """),
        ("StableBatchRows", """
            namespace Batch;
            public static class Rows
            {
                public static void Softmax(double[,] x, double[,] y)
                {
                    int rows = x.GetLength(0), cols = x.GetLength(1);
                    for (int r = 0; r < rows; r++)
                    {
                        double rowMax = double.NegativeInfinity;
                        for (int c = 0; c < cols; c++) rowMax = Math.Max(rowMax, x[r, c]);
                        double sum = 0;
                        for (int c = 0; c < cols; c++) { y[r, c] = Math.Exp(x[r, c] - rowMax); sum += y[r, c]; }
                        for (int c = 0; c < cols; c++) y[r, c] /= sum;
                    }
                }
            }
            """),
        ("NormaliseCounts", """
            namespace Text;
            public static class Frequencies
            {
                public static Dictionary<string, double> Of(IEnumerable<string> words)
                {
                    var counts = words.GroupBy(w => w).ToDictionary(g => g.Key, g => (double)g.Count());
                    double total = counts.Values.Sum();
                    return counts.ToDictionary(kv => kv.Key, kv => kv.Value / total);
                }
            }
            """),
        ("GenericStable", """
            using System.Numerics;
            namespace Generic;
            public static class Softmax
            {
                public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IExponentialFunctions<T>, IComparisonOperators<T, T, bool>
                {
                    T m = x[0];
                    for (int i = 1; i < x.Length; i++) if (x[i] > m) m = x[i];
                    T sum = T.Zero;
                    for (int i = 0; i < x.Length; i++) { y[i] = T.Exp(x[i] - m); sum += y[i]; }
                    for (int i = 0; i < x.Length; i++) y[i] /= sum;
                }
            }
            """),
        ("PoissonPmf", """
            namespace Dist;
            public static class Poisson
            {
                public static double[] Pmf(double lambda, int n)
                {
                    var p = new double[n];
                    double fact = 1;
                    for (int k = 0; k < n; k++) { if (k > 0) fact *= k; p[k] = Math.Exp(-lambda) * Math.Pow(lambda, k) / fact; }
                    return p;
                }
            }
            """),
        ("HelperMaxNeutralName", """
            namespace Pipeline;
            public static class Ops
            {
                static double Ceiling(double[] v)
                {
                    double m = double.NegativeInfinity;
                    for (int i = 0; i < v.Length; i++) m = Math.Max(m, v[i]);
                    return m;
                }

                public static double[] Softmax(double[] x)
                {
                    double c = Ceiling(x);
                    double s = x.Sum(v => Math.Exp(v - c));
                    return x.Select(v => Math.Exp(v - c) / s).ToArray();
                }
            }
            """),
        ("InPlaceShiftFirst", """
            namespace InPlace;
            public static class Softmax
            {
                public static void Apply(float[] x)
                {
                    float max = x.Max();
                    for (int i = 0; i < x.Length; i++) x[i] -= max;
                    float sum = 0;
                    for (int i = 0; i < x.Length; i++) { x[i] = MathF.Exp(x[i]); sum += x[i]; }
                    for (int i = 0; i < x.Length; i++) x[i] /= sum;
                }
            }
            """),
        ("ArgMaxShift", """
            namespace Shifted;
            public static class ByIndex
            {
                public static double[] Softmax(double[] x)
                {
                    int best = 0;
                    for (int i = 1; i < x.Length; i++) if (x[i] > x[best]) best = i;
                    double s = 0;
                    var e = new double[x.Length];
                    for (int i = 0; i < x.Length; i++) { e[i] = Math.Exp(x[i] - x[best]); s += e[i]; }
                    for (int i = 0; i < x.Length; i++) e[i] /= s;
                    return e;
                }
            }
            """),
        ("ClassNamedSoftmaxDecay", """
            namespace Misc;
            public sealed class Softmax
            {
                public double Temperature { get; set; } = 1;
                public double Decay(double t) => Math.Exp(-t / Temperature);
            }
            """),
        ("StableHelpers", """
            namespace Pipeline;
            public static class StableOps
            {
                static double[] ShiftedExp(double[] x)
                {
                    double m = x.Max();
                    var r = new double[x.Length];
                    for (int i = 0; i < x.Length; i++) r[i] = Math.Exp(x[i] - m);
                    return r;
                }

                static double Sum(double[] x)
                {
                    double s = 0;
                    foreach (var v in x) s += v;
                    return s;
                }

                public static double[] Softmax(double[] logits)
                {
                    var e = ShiftedExp(logits);
                    double z = Sum(e);
                    for (int i = 0; i < e.Length; i++) e[i] /= z;
                    return e;
                }
            }
            """),
        ("StableMemberOfElement", """
            namespace Ranking;
            public sealed record Candidate(string Id, double Score);
            public static class Ranker
            {
                public static Dictionary<string, double> Normalise(List<Candidate> candidates)
                {
                    double best = candidates.Max(c => c.Score);
                    double sum = candidates.Sum(c => Math.Exp(c.Score - best));
                    return candidates.ToDictionary(c => c.Id, c => Math.Exp(c.Score - best) / sum);
                }
            }
            """),
        ("VectorShifted", """
            using System.Runtime.Intrinsics;
            namespace Simd;
            public static class Avx
            {
                public static void Softmax8(float[] x, float[] y)
                {
                    var v = Vector256.LoadUnsafe(ref x[0]);
                    var e = Vector256.Exp(v - Vector256.Create(x.Max()));
                    var p = e / Vector256.Create(Vector256.Sum(e));
                    p.StoreUnsafe(ref y[0]);
                }
            }
            """),
    ];
}
