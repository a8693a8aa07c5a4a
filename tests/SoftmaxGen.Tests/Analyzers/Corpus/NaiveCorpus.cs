namespace SoftmaxGen.Tests.Analyzers.Corpus;

/// <summary>
/// Realistic naive softmax, log-softmax and log-sum-exp files (each returns NaN, ∞ or a wrong distribution for
/// <c>[1000, 1000, 999]</c>), written for this repository in the shapes public C# projects use (numerics helpers,
/// neural-network layers, ONNX post-processing, reinforcement-learning policies, samplers, attention, mixture
/// models). Every one must be reported (SMX1001 or SMX1002). Not used while the analyzer was designed for any shape
/// except the ones named in the shape tests.
/// </summary>
internal static class NaiveCorpus
{
    public static IReadOnlyList<(string Name, string Source)> Files { get; } =
    [
        ("LoopSumThenDivide", """
            namespace Numerics.Mathematic;
            public static class SoftMax
            {
                public static double[] Compute(double[] vector)
                {
                    double sum = 0;
                    for (int i = 0; i < vector.Length; i++) sum += Math.Exp(vector[i]);
                    double[] result = new double[vector.Length];
                    for (int i = 0; i < vector.Length; i++) result[i] = Math.Exp(vector[i]) / sum;
                    return result;
                }
            }
            """),
        ("PowEThroughLinq", """
            namespace Func;
            public class SoftMax
            {
                public static IEnumerable<double> BasicSoftMax(IEnumerable<double> activated)
                {
                    var exps = activated.Select(a => Math.Pow(Math.E, a)).ToArray();
                    var expsSum = exps.Sum();
                    return exps.Select(a => a / expsSum).ToList();
                }
            }
            """),
        ("ForeachExpLocalIntoList", """
            namespace Maths;
            public static partial class StatisticalMethod
            {
                public static List<double> Softmax(IEnumerable<double> numbers)
                {
                    var result = new List<double>();
                    var sum = 0d;
                    foreach (var number in numbers)
                    {
                        var exp = Math.Exp(number);
                        result.Add(exp);
                        sum += exp;
                    }

                    for (var i = 0; i < result.Count; i++) result[i] /= sum;
                    return result;
                }
            }
            """),
        ("ReciprocalOnOtherObject", """
            namespace Neural;
            public sealed class Tensor1
            {
                public Tensor1(int n) { Values = new float[n]; }
                public float[] Values;
            }

            public static class SoftmaxLayer
            {
                public static Tensor1 Apply(Tensor1 input)
                {
                    var output = new Tensor1(input.Values.Length);
                    float sumExp = 0;
                    for (int i = 0; i < input.Values.Length; i++) sumExp += (float)Math.Exp(input.Values[i]);
                    sumExp = 1f / sumExp;
                    for (int i = 0; i < input.Values.Length; i++) output.Values[i] = (float)Math.Exp(input.Values[i]) * sumExp;
                    return output;
                }
            }
            """),
        ("NormalizeExtensionInAnotherClass", """
            namespace Basics;
            public static class VectorExtensions
            {
                public static List<double> Normalize(this List<double> v)
                {
                    double total = 0;
                    foreach (var x in v) total += x;
                    for (int i = 0; i < v.Count; i++) v[i] = v[i] / total;
                    return v;
                }
            }

            public static class Activations
            {
                public static List<double> Softmax(double[] input) => input.Select(Math.Exp).ToList().Normalize();
            }
            """),
        ("SpanExpThroughLocal", """
            namespace Inference;
            public static class Post
            {
                public static void Probabilities(ReadOnlySpan<float> logits, Span<float> probs)
                {
                    float total = 0f;
                    for (int k = 0; k < logits.Length; k++)
                    {
                        float e = MathF.Exp(logits[k]);
                        probs[k] = e;
                        total += e;
                    }

                    for (int k = 0; k < probs.Length; k++) probs[k] /= total;
                }
            }
            """),
        ("TemperatureSampling", """
            namespace TextGen;
            public sealed class Sampler
            {
                private readonly Random _rng = new(42);
                public int Next(float[] logits, float temperature)
                {
                    var weights = new float[logits.Length];
                    float sum = 0f;
                    for (int i = 0; i < logits.Length; i++) { weights[i] = MathF.Exp(logits[i] / temperature); sum += weights[i]; }
                    float threshold = (float)_rng.NextDouble() * sum;
                    float cumulative = 0f;
                    for (int i = 0; i < weights.Length; i++)
                    {
                        cumulative += weights[i];
                        if (cumulative >= threshold) return i;
                    }

                    return weights.Length - 1;
                }
            }
            """),
        ("BoltzmannExploration", """
            namespace Rl;
            public sealed class BoltzmannPolicy
            {
                public double Beta { get; set; } = 1.0;
                public double[] Probabilities(double[] q)
                {
                    var p = new double[q.Length];
                    double z = 0;
                    for (int a = 0; a < q.Length; a++) { p[a] = Math.Exp(Beta * q[a]); z += p[a]; }
                    for (int a = 0; a < q.Length; a++) p[a] /= z;
                    return p;
                }
            }
            """),
        ("SoftminDistances", """
            namespace Clustering;
            public static class SoftAssign
            {
                public static double[] Weights(double[] distances)
                {
                    var w = new double[distances.Length];
                    double sum = 0;
                    for (int i = 0; i < distances.Length; i++) { w[i] = Math.Exp(-distances[i]); sum += w[i]; }
                    for (int i = 0; i < w.Length; i++) w[i] /= sum;
                    return w;
                }
            }
            """),
        ("AttentionScores", """
            namespace Transformer;
            public static class Attention
            {
                public static double[] Weights(double[][] keys, double[] query)
                {
                    int n = keys.Length;
                    var scores = new double[n];
                    for (int j = 0; j < n; j++)
                    {
                        double dot = 0;
                        for (int d = 0; d < query.Length; d++) dot += keys[j][d] * query[d];
                        scores[j] = dot / Math.Sqrt(query.Length);
                    }

                    double sum = 0;
                    var weights = new double[n];
                    for (int j = 0; j < n; j++) { weights[j] = Math.Exp(scores[j]); sum += weights[j]; }
                    for (int j = 0; j < n; j++) weights[j] /= sum;
                    return weights;
                }
            }
            """),
        ("LogSumExpMethodGroup", """
            namespace Stats;
            public static class LogSpace
            {
                public static double LogSumExp(double[] x) => Math.Log(x.Sum(Math.Exp));
            }
            """),
        ("LogSoftmaxLoop", """
            namespace Nn;
            public static class Functional
            {
                public static float[] LogSoftmax(float[] x)
                {
                    float sum = 0;
                    foreach (var v in x) sum += MathF.Exp(v);
                    float logSum = MathF.Log(sum);
                    var y = new float[x.Length];
                    for (int i = 0; i < x.Length; i++) y[i] = x[i] - logSum;
                    return y;
                }
            }
            """),
        ("CrossEntropyThroughLse", """
            namespace Training;
            public static class Losses
            {
                public static double CrossEntropy(double[] logits, int label)
                {
                    double sum = 0;
                    for (int i = 0; i < logits.Length; i++) sum += Math.Exp(logits[i]);
                    return Math.Log(sum) - logits[label];
                }
            }
            """),
        ("GenericMath", """
            using System.Numerics;
            namespace Generic;
            public static class Softmax<T> where T : IExponentialFunctions<T>
            {
                public static void Apply(ReadOnlySpan<T> x, Span<T> y)
                {
                    T sum = T.Zero;
                    for (int i = 0; i < x.Length; i++) { y[i] = T.Exp(x[i]); sum += y[i]; }
                    for (int i = 0; i < x.Length; i++) y[i] /= sum;
                }
            }
            """),
        ("DictionaryOfLabels", """
            namespace Classify;
            public static class LabelScores
            {
                public static Dictionary<string, double> ToProbabilities(Dictionary<string, double> scores)
                {
                    var exps = new Dictionary<string, double>();
                    foreach (var kv in scores) exps.Add(kv.Key, Math.Exp(kv.Value));
                    double total = exps.Values.Sum();
                    var probs = new Dictionary<string, double>();
                    foreach (var kv in exps) probs[kv.Key] = kv.Value / total;
                    return probs;
                }
            }
            """),
        ("ToDictionaryPipeline", """
            namespace Onnx;
            public static class Labels
            {
                public static Dictionary<int, float> Softmax(Dictionary<int, float> logits)
                {
                    var exps = logits.ToDictionary(p => p.Key, p => MathF.Exp(p.Value));
                    float z = exps.Values.Sum();
                    return exps.ToDictionary(p => p.Key, p => p.Value / z);
                }
            }
            """),
        ("AggregateSum", """
            namespace Fun;
            public static class Folds
            {
                public static double[] Softmax(double[] xs)
                {
                    var denominator = xs.Aggregate(0.0, (acc, x) => acc + Math.Exp(x));
                    return xs.Select(x => Math.Exp(x) / denominator).ToArray();
                }
            }
            """),
        ("IteratorHelper", """
            namespace Lazy;
            public static class Seq
            {
                private static IEnumerable<double> Exponentials(IEnumerable<double> xs)
                {
                    foreach (var x in xs) yield return Math.Exp(x);
                }

                public static List<double> Softmax(IList<double> xs)
                {
                    double sum = Exponentials(xs).Sum();
                    return Exponentials(xs).Select(e => e / sum).ToList();
                }
            }
            """),
        ("ClampingWrapper", """
            namespace Safe;
            public static class MathUtil
            {
                public static double SafeExp(double v) => Math.Exp(Math.Clamp(v, -700.0, 700.0));

                public static double[] Softmax(double[] x)
                {
                    var y = new double[x.Length];
                    double sum = 0;
                    for (int i = 0; i < x.Length; i++) { y[i] = SafeExp(x[i]); sum += y[i]; }
                    for (int i = 0; i < x.Length; i++) y[i] /= sum;
                    return y;
                }
            }
            """),
        ("ThreeHelpers", """
            namespace Pipeline;
            public static class Ops
            {
                static double[] Exp(double[] x)
                {
                    var r = new double[x.Length];
                    for (int i = 0; i < x.Length; i++) r[i] = Math.Exp(x[i]);
                    return r;
                }

                static double Sum(double[] x)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++) s += x[i];
                    return s;
                }

                static double[] Divide(double[] x, double by)
                {
                    var r = new double[x.Length];
                    for (int i = 0; i < x.Length; i++) r[i] = x[i] / by;
                    return r;
                }

                public static double[] Softmax(double[] logits)
                {
                    var e = Exp(logits);
                    return Divide(e, Sum(e));
                }
            }
            """),
        ("BatchRows2D", """
            namespace Batch;
            public static class Rows
            {
                public static double[,] Softmax(double[,] x)
                {
                    int rows = x.GetLength(0), cols = x.GetLength(1);
                    var y = new double[rows, cols];
                    for (int r = 0; r < rows; r++)
                    {
                        double sum = 0;
                        for (int c = 0; c < cols; c++) { y[r, c] = Math.Exp(x[r, c]); sum += y[r, c]; }
                        for (int c = 0; c < cols; c++) y[r, c] /= sum;
                    }

                    return y;
                }
            }
            """),
        ("JaggedRows", """
            namespace Batch;
            public static class Jagged
            {
                public static void SoftmaxRows(float[][] logits)
                {
                    for (int r = 0; r < logits.Length; r++)
                    {
                        float sum = 0f;
                        for (int j = 0; j < logits[r].Length; j++) { logits[r][j] = MathF.Exp(logits[r][j]); sum += logits[r][j]; }
                        for (int j = 0; j < logits[r].Length; j++) logits[r][j] /= sum;
                    }
                }
            }
            """),
        ("Columns2D", """
            namespace Batch;
            public static class Columns
            {
                public static void Softmax(double[,] x, double[,] y)
                {
                    int n = x.GetLength(0), m = x.GetLength(1);
                    for (int j = 0; j < m; j++)
                    {
                        double z = 0;
                        for (int i = 0; i < n; i++) z += Math.Exp(x[i, j]);
                        for (int i = 0; i < n; i++) y[i, j] = Math.Exp(x[i, j]) / z;
                    }
                }
            }
            """),
        ("MixtureWeights", """
            namespace Gmm;
            public sealed class Mixture
            {
                private readonly double[] _logWeights;
                public Mixture(double[] logWeights) { _logWeights = logWeights; }
                public double[] Weights()
                {
                    var w = new double[_logWeights.Length];
                    double total = 0;
                    for (int k = 0; k < w.Length; k++) { w[k] = Math.Exp(_logWeights[k]); total += w[k]; }
                    for (int k = 0; k < w.Length; k++) w[k] /= total;
                    return w;
                }
            }
            """),
        ("GuardZeroUniform", """
            namespace Guarded;
            public static class Probs
            {
                public static void Softmax(double[] x, double[] y)
                {
                    double sum = 0;
                    for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i]);
                    if (sum == 0) { Array.Fill(y, 1.0 / y.Length); return; }
                    for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum;
                }
            }
            """),
        ("GuardNaNThrow", """
            namespace Guarded;
            public static class Checked
            {
                public static float[] Softmax(float[] logits)
                {
                    var p = new float[logits.Length];
                    float z = 0;
                    for (int i = 0; i < logits.Length; i++) { p[i] = MathF.Exp(logits[i]); z += p[i]; }
                    if (float.IsNaN(z) || float.IsInfinity(z)) throw new InvalidOperationException("softmax overflow");
                    for (int i = 0; i < p.Length; i++) p[i] /= z;
                    return p;
                }
            }
            """),
        ("SubtractMean", """
            namespace Centered;
            public static class Softmax
            {
                public static double[] Apply(double[] x)
                {
                    double mean = x.Average();
                    double sum = x.Sum(v => Math.Exp(v - mean));
                    return x.Select(v => Math.Exp(v - mean) / sum).ToArray();
                }
            }
            """),
        ("SubtractFirstElement", """
            namespace Centered;
            public static class Relative
            {
                public static double[] Softmax(double[] x)
                {
                    double reference = x[0];
                    var e = new double[x.Length];
                    double sum = 0;
                    for (int i = 0; i < x.Length; i++) { e[i] = Math.Exp(x[i] - reference); sum += e[i]; }
                    for (int i = 0; i < x.Length; i++) e[i] /= sum;
                    return e;
                }
            }
            """),
        ("SubtractConstantOffset", """
            namespace Centered;
            public static class Offset
            {
                private const float Bias = 10f;
                public static float[] Softmax(float[] x)
                {
                    float sum = 0;
                    var y = new float[x.Length];
                    for (int i = 0; i < x.Length; i++) { y[i] = MathF.Exp(x[i] - Bias); sum += y[i]; }
                    for (int i = 0; i < x.Length; i++) y[i] /= sum;
                    return y;
                }
            }
            """),
        ("UnityMathf", """
            namespace UnityEngine
            {
                public static class Mathf { public static float Exp(float p) => (float)System.Math.Exp(p); }
            }

            namespace Game.Ai
            {
                using UnityEngine;
                public sealed class UtilityAi
                {
                    public float[] Choose(float[] utilities)
                    {
                        var p = new float[utilities.Length];
                        float sum = 0f;
                        for (int i = 0; i < utilities.Length; i++) { p[i] = Mathf.Exp(utilities[i]); sum += p[i]; }
                        for (int i = 0; i < p.Length; i++) p[i] /= sum;
                        return p;
                    }
                }
            }
            """),
        ("DoubleExpStatic", """
            namespace Modern;
            public static class Act
            {
                public static void Softmax(Span<double> x)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++) { x[i] = double.Exp(x[i]); s += x[i]; }
                    for (int i = 0; i < x.Length; i++) x[i] /= s;
                }
            }
            """),
        ("PowELoop", """
            namespace Legacy;
            public class Activation
            {
                public double[] Softmax(double[] input)
                {
                    double denominator = 0;
                    for (int i = 0; i < input.Length; i++) denominator += Math.Pow(Math.E, input[i]);
                    var output = new double[input.Length];
                    for (int i = 0; i < input.Length; i++) output[i] = Math.Pow(Math.E, input[i]) / denominator;
                    return output;
                }
            }
            """),
        ("TensorPrimitivesPipeline", """
            using System.Numerics.Tensors;
            namespace Simd;
            public static class Kernels
            {
                public static void Softmax(ReadOnlySpan<float> x, Span<float> y)
                {
                    TensorPrimitives.Exp(x, y);
                    float sum = TensorPrimitives.Sum(y);
                    TensorPrimitives.Divide(y, sum, y);
                }
            }
            """),
        ("MemorySpan", """
            namespace Buffers;
            public static class Pooled
            {
                public static void Softmax(Memory<float> logits)
                {
                    var span = logits.Span;
                    float sum = 0;
                    for (int i = 0; i < span.Length; i++) { span[i] = MathF.Exp(span[i]); sum += span[i]; }
                    for (int i = 0; i < span.Length; i++) span[i] /= sum;
                }
            }
            """),
        ("ListFloatIndexer", """
            namespace Lists;
            public static class Probability
            {
                public static List<float> Softmax(List<float> z)
                {
                    var result = new List<float>(z.Count);
                    float sum = 0;
                    for (int i = 0; i < z.Count; i++) sum += MathF.Exp(z[i]);
                    for (int i = 0; i < z.Count; i++) result.Add(MathF.Exp(z[i]) / sum);
                    return result;
                }
            }
            """),
        ("OnnxSample", """
            namespace OnnxDemo;
            public static class PostProcess
            {
                public static IEnumerable<float> Softmax(float[] output)
                {
                    var sum = output.Sum(x => (float)Math.Exp(x));
                    return output.Select(x => (float)Math.Exp(x) / sum);
                }
            }
            """),
        ("LayerWithFields", """
            namespace Net;
            public sealed class SoftmaxOutputLayer
            {
                private readonly double[] _outputs;
                public SoftmaxOutputLayer(int n) { _outputs = new double[n]; }
                public double[] Forward(double[] inputs)
                {
                    double sum = 0;
                    for (int i = 0; i < inputs.Length; i++) { _outputs[i] = Math.Exp(inputs[i]); sum += _outputs[i]; }
                    for (int i = 0; i < _outputs.Length; i++) _outputs[i] /= sum;
                    return _outputs;
                }
            }
            """),
        ("LogisticRegressionPredict", """
            namespace Ml;
            public sealed class MultinomialLogit
            {
                private readonly double[][] _w;
                public MultinomialLogit(double[][] w) { _w = w; }
                public double[] Predict(double[] features)
                {
                    int k = _w.Length;
                    var z = new double[k];
                    for (int c = 0; c < k; c++)
                        for (int f = 0; f < features.Length; f++) z[c] += _w[c][f] * features[f];
                    double norm = 0;
                    for (int c = 0; c < k; c++) norm += Math.Exp(z[c]);
                    var p = new double[k];
                    for (int c = 0; c < k; c++) p[c] = Math.Exp(z[c]) / norm;
                    return p;
                }
            }
            """),
        ("LocalFunctionSum", """
            namespace PolicyGradient;
            public static class Reinforce
            {
                public static double[] Policy(double[] preferences)
                {
                    double Z()
                    {
                        double z = 0;
                        foreach (var h in preferences) z += Math.Exp(h);
                        return z;
                    }

                    var pi = new double[preferences.Length];
                    double total = Z();
                    for (int a = 0; a < pi.Length; a++) pi[a] = Math.Exp(preferences[a]) / total;
                    return pi;
                }
            }
            """),
        ("CumulativeFractionSampling", """
            namespace Bandits;
            public static class Softmax
            {
                public static int Select(double[] values, double tau, Random rng)
                {
                    double z = 0;
                    foreach (var v in values) z += Math.Exp(v / tau);
                    double u = rng.NextDouble();
                    double cum = 0;
                    for (int i = 0; i < values.Length; i++)
                    {
                        cum += Math.Exp(values[i] / tau);
                        if (cum / z > u) return i;
                    }

                    return values.Length - 1;
                }
            }
            """),
        ("StackallocBuffer", """
            namespace Hot;
            public static class NoAlloc
            {
                public static int ArgSample(ReadOnlySpan<double> x, Span<double> y)
                {
                    Span<double> e = stackalloc double[x.Length];
                    double s = 0;
                    for (int i = 0; i < x.Length; i++) { e[i] = Math.Exp(x[i]); s += e[i]; }
                    for (int i = 0; i < x.Length; i++) y[i] = e[i] / s;
                    return 0;
                }
            }
            """),
        ("InPlaceExpHelperThenDivide", """
            namespace Steps;
            public static class Steps
            {
                static void ExpInPlace(float[] v)
                {
                    for (int i = 0; i < v.Length; i++) v[i] = MathF.Exp(v[i]);
                }

                static void DivideBy(float[] v, float d)
                {
                    for (int i = 0; i < v.Length; i++) v[i] /= d;
                }

                public static void Softmax(float[] x)
                {
                    ExpInPlace(x);
                    DivideBy(x, x.Sum());
                }
            }
            """),
        ("ExpLocalInForeachOfList", """
            namespace Ranking;
            public sealed record Candidate(string Id, double Score);
            public static class Ranker
            {
                public static Dictionary<string, double> Normalise(List<Candidate> candidates)
                {
                    var result = new Dictionary<string, double>();
                    double sum = 0;
                    foreach (var c in candidates) sum += Math.Exp(c.Score);
                    foreach (var c in candidates) result[c.Id] = Math.Exp(c.Score) / sum;
                    return result;
                }
            }
            """),
        ("VectorChunksScalarTail", """
            using System.Numerics;
            namespace Simd;
            public static class VectorSoftmax
            {
                public static void Apply(ReadOnlySpan<float> x, Span<float> y)
                {
                    int i = 0;
                    var acc = Vector<float>.Zero;
                    for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                    {
                        var e = Vector.Exp(new Vector<float>(x.Slice(i)));
                        e.CopyTo(y.Slice(i));
                        acc += e;
                    }

                    float sum = Vector.Sum(acc);
                    for (; i < x.Length; i++) { y[i] = MathF.Exp(x[i]); sum += y[i]; }
                    for (int j = 0; j < y.Length; j++) y[j] /= sum;
                }
            }
            """),
        ("Vector256NoTail", """
            using System.Runtime.Intrinsics;
            namespace Simd;
            public static class Avx
            {
                public static void Softmax8(float[] x, float[] y)
                {
                    var e = Vector256.Exp(Vector256.LoadUnsafe(ref x[0]));
                    var p = e / Vector256.Create(Vector256.Sum(e));
                    p.StoreUnsafe(ref y[0]);
                }
            }
            """),
    ];
}
