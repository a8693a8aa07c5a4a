using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.Tests.Analyzers;

/// <summary>
/// The shape classes of the value-flow analysis (issue 12), each with naive cases that must be reported at the exact
/// span and stable or unrelated cases that must not: exps through locals, other output buffers, reciprocals, guards
/// on the sum, generic math, softmin and Boltzmann scaling, subtractions that are not a bound, collections held by
/// other objects, List.Add, and SMX1004 after a stable batch softmax. Written in the shapes public C# code has.
/// </summary>
public class ValueFlowShapeTests
{
    public static TheoryData<string, string> MustFlag => new()
    {
        {
            "ExpThroughLocal_StoredThenDividedInPlace",
            """
            static double[] Softmax(double[] x)
            {
                var y = new double[x.Length];
                double sum = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    var e = [|Math.Exp(x[i])|];
                    y[i] = e;
                    sum += e;
                }

                for (int i = 0; i < y.Length; i++) y[i] /= sum;
                return y;
            }
            """
        },
        {
            "ExpThroughLocal_FloatOutputSpan",
            """
            static void Probabilities(ReadOnlySpan<float> logits, Span<float> probs)
            {
                float total = 0f;
                for (int k = 0; k < logits.Length; k++)
                {
                    float e = [|MathF.Exp(logits[k])|];
                    probs[k] = e;
                    total = total + e;
                }

                for (int k = 0; k < logits.Length; k++) probs[k] = probs[k] / total;
            }
            """
        },
        {
            "Reciprocal_Local_MultiplyIntoOtherBuffer",
            """
            static void Softmax(double[] scores, double[] output)
            {
                var exps = new double[scores.Length];
                double sum = 0.0;
                for (int i = 0; i < scores.Length; i++) { exps[i] = [|Math.Exp(scores[i])|]; sum += exps[i]; }
                double inv = 1.0 / sum;
                for (int i = 0; i < scores.Length; i++) output[i] = exps[i] * inv;
            }
            """
        },
        {
            "Reciprocal_CompoundMultiply",
            """
            static void Softmax(float[] v)
            {
                float s = 0;
                for (int i = 0; i < v.Length; i++) { v[i] = [|MathF.Exp(v[i])|]; s += v[i]; }
                float scale = 1f / s;
                for (int i = 0; i < v.Length; i++) v[i] *= scale;
            }
            """
        },
        {
            "Reciprocal_Inline",
            """
            static double[] Softmax(double[] x)
            {
                double sum = 0;
                foreach (var v in x) sum += [|Math.Exp(v)|];
                return x.Select(v => Math.Exp(v) * (1 / sum)).ToArray();
            }
            """
        },
        {
            "GuardedSum_EqualsZero",
            """
            static void Softmax(double[] x, double[] y)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += [|Math.Exp(x[i])|];
                if (sum == 0) return;
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum;
            }
            """
        },
        {
            "GuardedSum_IsInfinityThrows",
            """
            static double[] Normalize(double[] logits)
            {
                var p = new double[logits.Length];
                double z = 0;
                for (int i = 0; i < logits.Length; i++) { p[i] = [|Math.Exp(logits[i])|]; z += p[i]; }
                if (double.IsInfinity(z) || double.IsNaN(z)) throw new ArgumentException("overflow");
                for (int i = 0; i < p.Length; i++) p[i] /= z;
                return p;
            }
            """
        },
        {
            "GenericMath_TExp",
            """
            static void Softmax<T>(ReadOnlySpan<T> x, Span<T> y) where T : System.Numerics.IExponentialFunctions<T>
            {
                T sum = T.Zero;
                for (int i = 0; i < x.Length; i++) sum += [|T.Exp(x[i])|];
                for (int i = 0; i < x.Length; i++) y[i] = T.Exp(x[i]) / sum;
            }
            """
        },
        {
            "Softmin_NegatedDistances",
            """
            static double[] Softmin(double[] distances)
            {
                var w = new double[distances.Length];
                double sum = 0;
                for (int i = 0; i < distances.Length; i++) { w[i] = [|Math.Exp(-distances[i])|]; sum += w[i]; }
                for (int i = 0; i < w.Length; i++) w[i] /= sum;
                return w;
            }
            """
        },
        {
            "Boltzmann_InverseTemperature",
            """
            static double[] ActionProbabilities(double[] q, double beta)
            {
                double z = 0;
                for (int a = 0; a < q.Length; a++) z += [|Math.Exp(beta * q[a])|];
                var p = new double[q.Length];
                for (int a = 0; a < q.Length; a++) p[a] = Math.Exp(beta * q[a]) / z;
                return p;
            }
            """
        },
        {
            "MeanIsNotAMax",
            """
            static double[] Softmax(double[] x)
            {
                double mean = x.Average();
                double sum = x.Sum(v => [|Math.Exp(v - mean)|]);
                return x.Select(v => Math.Exp(v - mean) / sum).ToArray();
            }
            """
        },
        {
            "FirstElementIsNotAMax",
            """
            static void Softmax(double[] x, double[] y)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += [|Math.Exp(x[i] - x[0])|];
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i] - x[0]) / sum;
            }
            """
        },
        {
            "ConstantIsNotAMax",
            """
            static void Softmax(float[] x, float[] y)
            {
                float sum = 0;
                for (int i = 0; i < x.Length; i++) sum += [|MathF.Exp(x[i] - 10f)|];
                for (int i = 0; i < x.Length; i++) y[i] = MathF.Exp(x[i] - 10f) / sum;
            }
            """
        },
        {
            "CollectionOfAnotherObject",
            """
            public sealed class Layer { public double[] Values = new double[4]; }

            static void Activate(Layer layer)
            {
                double sum = 0;
                for (int i = 0; i < layer.Values.Length; i++) sum += [|Math.Exp(layer.Values[i])|];
                for (int i = 0; i < layer.Values.Length; i++) layer.Values[i] = Math.Exp(layer.Values[i]) / sum;
            }
            """
        },
        {
            "ListAdd_ThenLinq",
            """
            static List<double> Softmax(IEnumerable<double> x)
            {
                var exps = new List<double>();
                foreach (var v in x) exps.Add([|Math.Exp(v)|]);
                double sum = exps.Sum();
                return exps.Select(e => e / sum).ToList();
            }
            """
        },
        {
            "SumTurnedIntoItsReciprocal_MemberCollection",
            """
            public sealed class Tensor1
            {
                public Tensor1(int[] shape) { Shape = shape; Values = new float[shape[0]]; }
                public int[] Shape { get; }
                public float[] Values { get; set; }
            }

            static Tensor1 Apply(Tensor1 input)
            {
                // Passing another member of 'input' (its shape) does not change its values.
                var result = new Tensor1(input.Shape);
                float sumExp = 0;
                for (int i = 0; i < input.Values.Length; i++) sumExp += (float)[|Math.Exp(input.Values[i])|];
                sumExp = 1f / sumExp;
                for (int i = 0; i < input.Values.Length; i++) result.Values[i] = (float)Math.Exp(input.Values[i]) * sumExp;
                return result;
            }
            """
        },
        {
            "ArrayConvertAll",
            """
            static float[] Softmax(float[] logits)
            {
                float total = logits.Sum(l => [|MathF.Exp(l)|]);
                return Array.ConvertAll(logits, l => MathF.Exp(l) / total);
            }
            """
        },
        {
            "LogSumExp_ThroughLocal",
            """
            static double LogPartition(double[] energies)
            {
                double z = 0;
                foreach (var u in energies)
                {
                    double w = {|SMX1002:Math.Exp(u)|};
                    z += w;
                }

                return Math.Log(z);
            }
            """
        },
    };

    public static TheoryData<string, string> MustNotFlag => new()
    {
        {
            "ExpThroughLocal_Shifted",
            """
            static double[] Softmax(double[] x)
            {
                double max = double.NegativeInfinity;
                for (int i = 0; i < x.Length; i++) if (x[i] > max) max = x[i];
                var y = new double[x.Length];
                double sum = 0;
                for (int i = 0; i < x.Length; i++) { var e = Math.Exp(x[i] - max); y[i] = e; sum += e; }
                for (int i = 0; i < y.Length; i++) y[i] /= sum;
                return y;
            }
            """
        },
        {
            "Reciprocal_Shifted",
            """
            static void Softmax(float[] v)
            {
                float m = v.Max();
                float s = 0;
                for (int i = 0; i < v.Length; i++) { v[i] = MathF.Exp(v[i] - m); s += v[i]; }
                float scale = 1f / s;
                for (int i = 0; i < v.Length; i++) v[i] *= scale;
            }
            """
        },
        {
            "GenericMath_Shifted",
            """
            static void Softmax<T>(ReadOnlySpan<T> x, Span<T> y) where T : System.Numerics.IExponentialFunctions<T>, System.Numerics.IComparisonOperators<T, T, bool>
            {
                T max = x[0];
                foreach (T v in x) if (v > max) max = v;
                T sum = T.Zero;
                for (int i = 0; i < x.Length; i++) sum += T.Exp(x[i] - max);
                for (int i = 0; i < x.Length; i++) y[i] = T.Exp(x[i] - max) / sum;
            }
            """
        },
        {
            "Softmin_ShiftedByMinimum",
            """
            static double[] Softmin(double[] d)
            {
                double min = d.Min();
                var w = new double[d.Length];
                double sum = 0;
                for (int i = 0; i < d.Length; i++) { w[i] = Math.Exp(min - d[i]); sum += w[i]; }
                for (int i = 0; i < w.Length; i++) w[i] /= sum;
                return w;
            }
            """
        },
        {
            "Boltzmann_Shifted",
            """
            static double[] ActionProbabilities(double[] q, double beta)
            {
                double best = q.Max();
                double z = 0;
                for (int a = 0; a < q.Length; a++) z += Math.Exp(beta * (q[a] - best));
                var p = new double[q.Length];
                for (int a = 0; a < q.Length; a++) p[a] = Math.Exp(beta * (q[a] - best)) / z;
                return p;
            }
            """
        },
        {
            "ShiftedByParameterBound",
            """
            static void Softmax(double[] x, double[] y, double maxLogit)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i] - maxLogit);
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i] - maxLogit) / sum;
            }
            """
        },
        {
            "SigmoidThroughLocal",
            """
            static void Sigmoid(double[] x, double[] y)
            {
                for (int i = 0; i < x.Length; i++) { var e = Math.Exp(-x[i]); y[i] = 1 / (1 + e); }
            }
            """
        },
        {
            "GaussianKernelWeights_Normalised",
            """
            static double[] Kernel(double[] d, double sigma)
            {
                var w = new double[d.Length];
                double sum = 0;
                for (int i = 0; i < d.Length; i++) { w[i] = Math.Exp(-d[i] * d[i] / (2 * sigma * sigma)); sum += w[i]; }
                for (int i = 0; i < w.Length; i++) w[i] /= sum;
                return w;
            }
            """
        },
        {
            "ReciprocalOfUnrelatedSum",
            """
            static void Scale(double[] x, double[] y)
            {
                double total = 0;
                foreach (var v in x) total += v;
                double inv = 1.0 / total;
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) * inv;
            }
            """
        },
        {
            "ClassNamedSoftmax_ComputesSomethingElse",
            """
            public sealed class Softmax
            {
                public double Temperature { get; set; } = 1;
                public double Decay(double t) => Math.Exp(-t / Temperature);
            }
            """
        },
        {
            "ReciprocalMultipliesSomethingElse",
            """
            static void F(double[] x, double[] y, double[] w)
            {
                double s = 0;
                foreach (var v in x) s += Math.Exp(v);
                s = 1 / s;
                for (int i = 0; i < y.Length; i++) y[i] = w[i] * s;
            }
            """
        },
        {
            "ExpLocalReassignedWithOtherValue",
            """
            static void F(double[] x, double[] y)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    var e = Math.Exp(x[i]);
                    if (e > 1) e = 1;
                    y[i] = e;
                    sum += e;
                }

                for (int i = 0; i < y.Length; i++) y[i] /= sum;
            }
            """
        },
    };

    [Theory]
    [MemberData(nameof(MustFlag))]
    [MemberData(nameof(HelperAndShapeCases.MustFlag), MemberType = typeof(HelperAndShapeCases))]
    [MemberData(nameof(HeldOutShapeCases.MustFlag), MemberType = typeof(HeldOutShapeCases))]
    public Task Reports(string shape, string members)
    {
        Assert.NotEmpty(shape);
        return StabilityAnalyzerTest.VerifyAsync(AnalyzerSources.InClass(members), DiagnosticIds.UnshiftedSoftmax);
    }

    [Theory]
    [MemberData(nameof(MustNotFlag))]
    [MemberData(nameof(HelperAndShapeCases.MustNotFlag), MemberType = typeof(HelperAndShapeCases))]
    [MemberData(nameof(HeldOutShapeCases.MustNotFlag), MemberType = typeof(HeldOutShapeCases))]
    public Task DoesNotReport(string shape, string members)
    {
        Assert.NotEmpty(shape);
        return StabilityAnalyzerTest.VerifyAsync(AnalyzerSources.InClass(members), DiagnosticIds.UnshiftedSoftmax);
    }

    /// <summary>A check on the sum does not make the code stable; the message says that it hides the overflow.</summary>
    [Fact]
    public Task Message_SaysTheGuardHidesTheOverflow()
    {
        var test = new StabilityAnalyzerTest(AnalyzerSources.InClass("""
            static void Softmax(double[] x, double[] y)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += {|#0:Math.Exp(x[i])|};
                if (double.IsInfinity(sum)) { Array.Fill(y, 1.0 / y.Length); return; }
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum;
            }
            """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticIds.UnshiftedSoftmax, DiagnosticSeverity.Warning).WithLocation(0)
            .WithArguments("x", "double", "709.8", "; the check on 'sum' does not help: the sum is +∞ (not 0 or NaN) once one exp overflows, so the guard hides the overflow"));
        return test.RunAsync();
    }

    /// <summary>SMX1004 sees probabilities of a hand-written, stable softmax computed row by row.</summary>
    [Fact]
    public Task LogOfStableBatchSoftmax_IsReported() => StabilityAnalyzerTest.VerifyAsync(AnalyzerSources.InClass("""
        static double CrossEntropy(double[,] logits, int[] labels, int rows, int k)
        {
            var p = new double[rows, k];
            double loss = 0;
            for (int r = 0; r < rows; r++)
            {
                double m = double.NegativeInfinity;
                for (int j = 0; j < k; j++) m = Math.Max(m, logits[r, j]);
                double sum = 0;
                for (int j = 0; j < k; j++) { p[r, j] = Math.Exp(logits[r, j] - m); sum += p[r, j]; }
                for (int j = 0; j < k; j++) p[r, j] /= sum;
                loss -= [|Math.Log(p[r, labels[r]])|];
            }

            return loss;
        }
        """), DiagnosticIds.LogOfSoftmax);
}
