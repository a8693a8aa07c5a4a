using Microsoft.CodeAnalysis;
using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.Tests.Analyzers;

public class UnshiftedSoftmaxAnalyzerTests
{
    public static TheoryData<string, string> MustFlag => new()
    {
        {
            "TwoPassFor_ExpRecomputed",
            """
            static void Softmax(double[] x, double[] y)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += [|Math.Exp(x[i])|];
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum;
            }
            """
        },
        {
            "TwoPassFor_ExpStoredInArray",
            """
            static float[] Softmax(float[] logits)
            {
                var exps = new float[logits.Length];
                float sum = 0f;
                for (int i = 0; i < logits.Length; i++)
                {
                    exps[i] = [|MathF.Exp(logits[i])|];
                    sum += exps[i];
                }
                for (int i = 0; i < exps.Length; i++) exps[i] /= sum;
                return exps;
            }
            """
        },
        {
            "ThreeLoops",
            """
            static void Softmax(ReadOnlySpan<double> x, Span<double> y)
            {
                for (int i = 0; i < x.Length; i++) y[i] = [|Math.Exp(x[i])|];
                double total = 0.0;
                for (int i = 0; i < y.Length; i++) total += y[i];
                for (int i = 0; i < y.Length; i++) y[i] = y[i] / total;
            }
            """
        },
        {
            "Foreach_ThenFor",
            """
            static double[] Softmax(double[] x)
            {
                double sum = 0;
                foreach (double v in x) sum += [|Math.Exp(v)|];
                var p = new double[x.Length];
                for (int i = 0; i < x.Length; i++) p[i] = Math.Exp(x[i]) / sum;
                return p;
            }
            """
        },
        {
            "Linq_OnnxSample_CastFloat",
            """
            static IEnumerable<float> Softmax(float[] output)
            {
                var sum = output.Sum(x => (float)[|Math.Exp(x)|]);
                IEnumerable<float> softmax = output.Select(x => (float)Math.Exp(x) / sum);
                return softmax;
            }
            """
        },
        {
            "Linq_MethodGroup_ToArray",
            """
            static double[] Softmax(double[] x)
            {
                double[] exps = x.Select([|Math.Exp|]).ToArray();
                double sum = exps.Sum();
                return exps.Select(e => e / sum).ToArray();
            }
            """
        },
        {
            "Linq_Deferred",
            """
            static List<double> Softmax(List<double> x)
            {
                IEnumerable<double> exps = x.Select(v => [|Math.Exp(v)|]);
                double sum = exps.Sum();
                return exps.Select(e => e / sum).ToList();
            }
            """
        },
        {
            "CollectionExpression_Spread",
            """
            static double[] Softmax(double[] x)
            {
                double[] exps = [.. x.Select(v => [|Math.Exp(v)|])];
                double sum = exps.Sum();
                return [.. exps.Select(e => e / sum)];
            }
            """
        },
        {
            "List_Indexer",
            """
            static void Softmax(List<float> x)
            {
                float sum = 0;
                for (int i = 0; i < x.Count; i++)
                {
                    x[i] = [|MathF.Exp(x[i])|];
                    sum += x[i];
                }
                for (int i = 0; i < x.Count; i++) x[i] /= sum;
            }
            """
        },
        {
            "MemorySpan",
            """
            static void Softmax(Memory<float> m)
            {
                float sum = 0;
                for (int i = 0; i < m.Span.Length; i++) sum += [|float.Exp(m.Span[i])|];
                for (int i = 0; i < m.Span.Length; i++) m.Span[i] = float.Exp(m.Span[i]) / sum;
            }
            """
        },
        {
            "TwoDimensional_RowByRow",
            """
            static void Softmax(double[,] x, int rows, int k)
            {
                for (int r = 0; r < rows; r++)
                {
                    double sum = 0;
                    for (int j = 0; j < k; j++) sum += [|double.Exp(x[r, j])|];
                    for (int j = 0; j < k; j++) x[r, j] = double.Exp(x[r, j]) / sum;
                }
            }
            """
        },
        {
            "Jagged_RowByRow",
            """
            static void Softmax(double[][] x)
            {
                for (int r = 0; r < x.Length; r++)
                {
                    double sum = 0;
                    for (int j = 0; j < x[r].Length; j++) sum += [|Math.Exp(x[r][j])|];
                    for (int j = 0; j < x[r].Length; j++) x[r][j] = Math.Exp(x[r][j]) / sum;
                }
            }
            """
        },
        {
            "UserIndexer",
            """
            static double[] Softmax(Scores s)
            {
                double sum = 0;
                for (int i = 0; i < s.Count; i++) sum += [|Math.Exp(s[i])|];
                var p = new double[s.Count];
                for (int i = 0; i < s.Count; i++) p[i] = Math.Exp(s[i]) / sum;
                return p;
            }
            """
        },
        {
            "PowE",
            """
            static void Softmax(double[] x, double[] y)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += [|Math.Pow(Math.E, x[i])|];
                for (int i = 0; i < x.Length; i++) y[i] = Math.Pow(Math.E, x[i]) / sum;
            }
            """
        },
        {
            "Temperature",
            """
            static void Softmax(float[] x, float[] y, float temperature)
            {
                float sum = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    y[i] = [|MathF.Exp(x[i] / temperature)|];
                    sum += y[i];
                }
                for (int i = 0; i < y.Length; i++) y[i] /= sum;
            }
            """
        },
        {
            "SumInLocalFunction",
            """
            static void Softmax(double[] x, double[] y)
            {
                double sum = Total();
                for (int i = 0; i < x.Length; i++) y[i] = [|Math.Exp(x[i])|] / sum;

                double Total() => x.Sum(v => Math.Exp(v));
            }
            """
        },
        {
            "TensorPrimitives_ExpSumDivide",
            """
            static void Softmax(ReadOnlySpan<float> x, Span<float> y)
            {
                [|TensorPrimitives.Exp(x, y)|];
                float sum = TensorPrimitives.Sum(y);
                TensorPrimitives.Divide(y, sum, y);
            }
            """
        },
        {
            "IntegerInputs",
            """
            static double[] Softmax(int[] scores)
            {
                double sum = 0;
                foreach (int s in scores) sum += [|Math.Exp(s)|];
                return scores.Select(s => Math.Exp(s) / sum).ToArray();
            }
            """
        },
        {
            "LogSoftmax_ViaLocal",
            """
            static void LogSoftmax(double[] x, double[] y)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += [|Math.Exp(x[i])|];
                double logSum = Math.Log(sum);
                for (int i = 0; i < x.Length; i++) y[i] = x[i] - logSum;
            }
            """
        },
        {
            "LogSoftmax_Linq",
            """
            static double[] LogSoftmax(double[] x)
            {
                double sum = x.Sum([|Math.Exp|]);
                return x.Select(v => v - Math.Log(sum)).ToArray();
            }
            """
        },
        {
            "SumResetPerRow_StatementsApart",
            """
            static void Softmax(float[] x, float[] y)
            {
                float sum;
                sum = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    sum = sum + [|MathF.Exp(x[i])|];
                }

                Console.WriteLine("normalising");
                for (int i = 0; i < x.Length; i++)
                {
                    y[i] = MathF.Exp(x[i]) / sum;
                }
            }
            """
        },
    };

    public static TheoryData<string, string> MustNotFlag => new()
    {
        {
            "MaxFromLoop",
            """
            static void Softmax(double[] x, double[] y)
            {
                double max = double.NegativeInfinity;
                for (int i = 0; i < x.Length; i++) max = Math.Max(max, x[i]);
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i] - max);
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i] - max) / sum;
            }
            """
        },
        {
            "MaxFromLinq_InsideLambda",
            """
            static IEnumerable<float> Softmax(float[] output)
            {
                float max = output.Max();
                var sum = output.Sum(x => (float)Math.Exp(x - max));
                return output.Select(x => (float)Math.Exp(x - max) / sum);
            }
            """
        },
        {
            "MaxFromHelper",
            """
            static double Largest(double[] x) => x.Max();
            static void Softmax(double[] x, double[] y)
            {
                double m = Largest(x);
                double sum = 0;
                foreach (var v in x) sum += Math.Exp(v - m);
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i] - m) / sum;
            }
            """
        },
        {
            "SubtractedInPlaceBeforeExpLoop",
            """
            static void Softmax(float[] x)
            {
                float max = x.Max();
                for (int i = 0; i < x.Length; i++) x[i] -= max;
                float sum = 0;
                for (int i = 0; i < x.Length; i++) { x[i] = MathF.Exp(x[i]); sum += x[i]; }
                for (int i = 0; i < x.Length; i++) x[i] /= sum;
            }
            """
        },
        {
            "ShiftedWithTemperature",
            """
            static void Softmax(float[] x, float[] y, float t)
            {
                float max = x.Max();
                float sum = 0;
                for (int i = 0; i < x.Length; i++) { y[i] = MathF.Exp((x[i] - max) / t); sum += y[i]; }
                for (int i = 0; i < x.Length; i++) y[i] /= sum;
            }
            """
        },
        {
            "ShiftedByTensorPrimitivesSubtract",
            """
            static void Softmax(float[] x, float[] y)
            {
                TensorPrimitives.Subtract(x, TensorPrimitives.Max(x), x);
                TensorPrimitives.Exp(x, y);
                float sum = TensorPrimitives.Sum(y);
                TensorPrimitives.Divide(y, sum, y);
            }
            """
        },
        {
            "Sigmoid",
            """
            static void Sigmoid(double[] x, double[] y)
            {
                for (int i = 0; i < x.Length; i++) y[i] = 1.0 / (1.0 + Math.Exp(-x[i]));
            }
            """
        },
        {
            "Decay",
            """
            static double[] Decay(double[] t, double tau)
            {
                var w = new double[t.Length];
                for (int i = 0; i < t.Length; i++) w[i] = Math.Exp(-t[i] / tau);
                return w;
            }
            """
        },
        {
            "GaussianWeights_NoNormalisingSum",
            """
            static double[] Gaussian(double[] d, double sigma)
            {
                return d.Select(v => Math.Exp(-(v * v) / (2 * sigma * sigma))).ToArray();
            }
            """
        },
        {
            "ExpSummedButNotNormalised",
            """
            static double Partition(double[] x)
            {
                double z = 0;
                foreach (var v in x) z += Math.Exp(v);
                return z;
            }
            """
        },
        {
            "SumUsedForOtherThings",
            """
            static double Weird(double[] x, double[] y)
            {
                double sum = 0;
                foreach (var v in x) sum += Math.Exp(v);
                sum += 1;
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum;
                return sum;
            }
            """
        },
        {
            "DivideByDifferentCollectionSum",
            """
            static void Mixed(double[] a, double[] b, double[] y)
            {
                double sum = 0;
                foreach (var v in a) sum += Math.Exp(v);
                for (int i = 0; i < b.Length; i++) y[i] = Math.Exp(b[i]) / sum;
            }
            """
        },
        {
            "StableLibraryCall_Unrelated",
            """
            static void Normalise(double[] x, double[] y)
            {
                double sum = x.Sum();
                for (int i = 0; i < x.Length; i++) y[i] = x[i] / sum;
            }
            """
        },
        {
            "InputOverwrittenBeforeExp",
            """
            static void Softmax(double[] x, double[] y, double[] source)
            {
                for (int i = 0; i < x.Length; i++) x[i] = source[i] * 0.5;
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i]);
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum;
            }
            """
        },
        {
            "InputPassedToMutatorFirst",
            """
            static void Shift(double[] v) { double m = v.Max(); for (int i = 0; i < v.Length; i++) v[i] -= m; }
            static void Softmax(double[] x, double[] y)
            {
                Shift(x);
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i]);
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum;
            }
            """
        },
    };

    [Theory]
    [MemberData(nameof(MustFlag))]
    public Task Reports_UnshiftedSoftmax(string shape, string members)
    {
        Assert.NotEmpty(shape);
        return StabilityAnalyzerTest.VerifyAsync(AnalyzerSources.InClass(members), DiagnosticIds.UnshiftedSoftmax);
    }

    [Theory]
    [MemberData(nameof(MustNotFlag))]
    public Task NoDiagnostic_WhenStableOrNotASoftmax(string shape, string members)
    {
        Assert.NotEmpty(shape);
        return StabilityAnalyzerTest.VerifyAsync(AnalyzerSources.InClass(members), DiagnosticIds.UnshiftedSoftmax);
    }

    [Theory]
    [InlineData("float[]", "MathF.Exp", "float", "88.7")]
    [InlineData("double[]", "Math.Exp", "double", "709.8")]
    [InlineData("float[]", "(float)Math.Exp", "float", "88.7")]
    public async Task Message_NamesElementTypeAndOverflowPoint(string array, string exp, string type, string point)
    {
        string source = AnalyzerSources.InClass($$"""
            static void Softmax({{array}} x, {{array}} y)
            {
                {{type}} sum = 0;
                for (int i = 0; i < x.Length; i++) sum += {{exp}}(x[i]);
                for (int i = 0; i < x.Length; i++) y[i] = {{exp}}(x[i]) / sum;
            }
            """);
        var diagnostics = await StabilityAnalyzerTest.DiagnosticsAsync(TestReferences.Compile([source]));
        Diagnostic d = Assert.Single(diagnostics);
        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("'x'", message, StringComparison.Ordinal);
        Assert.Contains(type + " exp overflows", message, StringComparison.Ordinal);
        Assert.Contains(point, message, StringComparison.Ordinal);
        Assert.Equal(Descriptors.HelpLink(DiagnosticIds.UnshiftedSoftmax), d.Descriptor.HelpLinkUri);
    }
}
