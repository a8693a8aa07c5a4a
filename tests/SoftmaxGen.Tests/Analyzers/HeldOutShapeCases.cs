namespace SoftmaxGen.Tests.Analyzers;

/// <summary>
/// Shape classes added after the held-out corpus (see HeldOut/README.md) showed them missing, each with a naive case
/// reported at its exact span (SMX1001, on the first exponential of the collection) and a stable or unrelated case
/// that must not be: chained assignments, exps moved by a constant, constant-started sums, sums in fields, x + ε
/// exponents, matrix indexers, aliases of <c>Memory&lt;T&gt;.Span</c>, <c>stackalloc</c> buffers, pointers, properties
/// of the type, an instance <c>Map</c>, collections returned by calls, a helper applied to the element, per-iteration
/// locals, <c>Random.Range(0, sum)</c> draws, exp(p / T) wrappers, a maximum of another collection, and a sum over
/// every row of a matrix.
/// </summary>
public static class HeldOutShapeCases
{
    public static TheoryData<string, string> MustFlag => new()
    {
        {
            "ChainedAssignment_SumOfStoredExp",
            """
            static void Softmax(Span<float> x, Span<float> y)
            {
                var sum = 0.0f;
                for (var i = 0; i < x.Length; i++)
                    sum += y[i] = [|MathF.Exp(x[i])|];
                for (var i = 0; i < y.Length; i++)
                    y[i] = y[i] / sum;
            }
            """
        },
        {
            "MaximumSubtractedAfterTheExp",
            """
            static void Softmax(Span<float> input, Span<float> output)
            {
                float max = float.MinValue;
                for (int i = 0; i < input.Length; i++) if (input[i] > max) max = input[i];
                float summed = 0;
                for (int i = 0; i < input.Length; i++)
                {
                    float ex = [|MathF.Exp(input[i])|] - max;
                    summed += ex;
                    output[i] = ex;
                }

                for (int i = 0; i < input.Length; i++) output[i] = output[i] / summed;
            }
            """
        },
        {
            "SumStartedAtEpsilon_ExponentPlusEpsilon",
            """
            const float Epsilon = 1e-7f;
            static void Softmax(float[,] input, float[,] output, int batch, int n)
            {
                float sum = Epsilon;
                for (int i = 0; i < n; i++) sum += (float)[|Math.Exp(input[batch, i])|];
                for (int i = 0; i < n; i++) output[batch, i] = (float)(Math.Exp(input[batch, i] + Epsilon) / sum);
            }
            """
        },
        {
            "SumAndExpsInFields_Reciprocal",
            """
            static double[] s_exp = new double[8], s_output = new double[8], s_input = new double[8];
            static double s_sum;
            static double[] Output(double[] input)
            {
                s_input = input;
                s_sum = 0;
                for (int i = 0; i < s_output.Length; ++i)
                {
                    s_exp[i] = [|Math.Exp(s_input[i])|];
                    s_sum += s_exp[i];
                }

                s_sum = 1 / s_sum;
                for (int i = 0; i < input.Length; ++i) s_output[i] = s_exp[i] * s_sum;
                return s_output;
            }
            """
        },
        {
            "MatrixIndexer_RowParameter",
            """
            sealed class Batch
            {
                private readonly double[,] _v = new double[2, 4];
                public double this[int b, int i] { get => _v[b, i]; set => _v[b, i] = value; }
            }

            static void Forward(Batch input, Batch output, int batch, int n)
            {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += [|Math.Exp(input[batch, i])|];
                for (int i = 0; i < n; i++) output[batch, i] = Math.Exp(input[batch, i]) / sum;
            }
            """
        },
        {
            "MemorySpanThroughLocal",
            """
            static void Softmax(Memory<float> memory)
            {
                var span = memory.Span;
                float sum = 0f;
                for (int i = 0; i < span.Length; i++) { span[i] = [|MathF.Exp(span[i])|]; sum += span[i]; }
                for (int i = 0; i < span.Length; i++) span[i] /= sum;
            }
            """
        },
        {
            "StackallocBuffer",
            """
            static float Probability(ReadOnlySpan<float> logits, int k)
            {
                Span<float> e = stackalloc float[logits.Length];
                float z = 0f;
                for (int i = 0; i < logits.Length; i++) { e[i] = [|MathF.Exp(logits[i])|]; z += e[i]; }
                return e[k] / z;
            }
            """
        },
        {
            "PropertyOfTheType_LinqSoftmax",
            """
            sealed class Tensor
            {
                public double[] Data { get; private set; } = new double[4];
                public double[] Softmax()
                {
                    var expData = Data.Select(x => [|Math.Exp(x)|]).ToArray();
                    double sum = expData.Sum();
                    return expData.Select(x => x / sum).ToArray();
                }
            }
            """
        },
        {
            "InstanceMapOfAVectorType",
            """
            sealed class FVector : IEnumerable<float>
            {
                private readonly float[] _v = new float[4];
                public FVector Map(Func<float, float> f) => new FVector();
                public IEnumerator<float> GetEnumerator() => ((IEnumerable<float>)_v).GetEnumerator();
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
            }

            static FVector Activation(FVector x)
            {
                var sum = x.Sum(v => [|MathF.Exp(v)|]);
                return x.Map(v => MathF.Exp(v) / sum);
            }
            """
        },
        {
            "RowsReturnedByACall",
            """
            sealed class Matrix
            {
                public int Rows => 2;
                public IEnumerable<float> GetRow(int i) { yield return i; }
            }

            static float[][] Softmax(Matrix m)
            {
                var result = new float[m.Rows][];
                for (int i = 0; i < m.Rows; i++)
                {
                    var z = m.GetRow(i).Select(x => [|Math.Exp(x)|]);
                    var s = z.Sum();
                    result[i] = z.Select(v => (float)(v / s)).ToArray();
                }

                return result;
            }
            """
        },
        {
            "HelperAppliedToTheElement_Sampling",
            """
            static double s_tau = 0.5;
            static double Exponent(double value) => value / s_tau;
            static int Select(double[] q, Random random)
            {
                double u = random.NextDouble(), upper = 0, sumExp = 0;
                for (int i = 0; i < q.Length; i++) sumExp += [|Math.Exp(Exponent(q[i]))|];
                for (int i = 0; i < q.Length; i++)
                {
                    upper += Math.Exp(Exponent(q[i])) / sumExp;
                    if (u < upper) return i;
                }

                return 0;
            }
            """
        },
        {
            "PerIterationLocal_AttentionOverNeighbours",
            """
            sealed class Node { public float[] Features = new float[2]; }
            static float Aggregate(List<Node> neighbours, float[] weight)
            {
                float sum = 0;
                foreach (Node node in neighbours)
                {
                    float score = weight[0] * node.Features[0] + weight[1] * node.Features[1];
                    sum += [|MathF.Exp(score)|];
                }

                float result = 0;
                foreach (Node node in neighbours)
                {
                    float score = weight[0] * node.Features[0] + weight[1] * node.Features[1];
                    result += MathF.Exp(score) / sum * node.Features[0];
                }

                return result;
            }
            """
        },
        {
            "RangeDrawFromSum_Dictionary",
            """
            static string Pick(Dictionary<string, float> scored, float temperature, Func<float, float, float> range)
            {
                float sum = 0f;
                foreach (var kv in scored) sum += [|MathF.Exp(kv.Value / temperature)|];
                float roll = range(0f, sum);
                float cumulative = 0f;
                foreach (var kv in scored)
                {
                    cumulative += MathF.Exp(kv.Value / temperature);
                    if (roll <= cumulative) return kv.Key;
                }

                return "";
            }
            """
        },
        {
            "TemperedExpWrapper_Boltzmann",
            """
            sealed class Rule { public double QValue; }
            static Rule Boltzmann(IEnumerable<Rule> rules, double t, Random rand)
            {
                double sum = 0;
                foreach (var rule in rules) sum += [|Expt(rule.QValue, t)|];
                double r = rand.NextDouble() * sum;
                double cum = 0;
                foreach (var rule in rules)
                {
                    cum += Expt(rule.QValue, t);
                    if (r < cum) return rule;
                }

                return null!;
            }

            static double Expt(double p, double t) => Math.Exp(p / t);
            """
        },
        {
            "MaximumOfAnotherCollection",
            """
            static double[] Forward(double[] input, double[] output)
            {
                var max = .0d;
                for (var i = 0; i < output.Length; i++) max = Math.Max(max, output[i]);
                for (var i = 0; i < input.Length; i++) output[i] = [|Math.Exp(input[i] - max)|];
                var sum = .0d;
                for (var i = 0; i < output.Length; i++) sum += output[i];
                for (var i = 0; i < input.Length; i++) output[i] = output[i] / sum;
                return output;
            }
            """
        },
        {
            "WholeMatrixSum_AliasOfTheInput",
            """
            static float[,] Softmax(float[,] a)
            {
                float sum = 0;
                float[,] softmax = a;
                for (int r = 0; r < a.GetLength(0); r++)
                    for (int c = 0; c < a.GetLength(1); c++)
                        sum += [|MathF.Exp(a[r, c])|];
                for (int r = 0; r < a.GetLength(0); r++)
                    for (int c = 0; c < a.GetLength(1); c++)
                        softmax[r, c] = MathF.Exp(softmax[r, c]) / sum;
                return softmax;
            }
            """
        },
        {
            "PointerBuffer",
            """
            static unsafe void Softmax(float* x, float* y, int n)
            {
                float sum = 0;
                for (int i = 0; i < n; i++) { y[i] = [|MathF.Exp(x[i])|]; sum += y[i]; }
                for (int i = 0; i < n; i++) y[i] /= sum;
            }
            """
        },
    };

    public static TheoryData<string, string> MustNotFlag => new()
    {
        {
            "ChainedAssignment_Shifted",
            """
            static void Softmax(Span<float> x, Span<float> y)
            {
                float max = float.MinValue;
                for (var i = 0; i < x.Length; i++) max = Math.Max(max, x[i]);
                var sum = 0.0f;
                for (var i = 0; i < x.Length; i++) sum += y[i] = MathF.Exp(x[i] - max);
                for (var i = 0; i < y.Length; i++) y[i] = y[i] / sum;
            }
            """
        },
        {
            "ShiftedPlusEpsilon_EpsilonStartedSum",
            """
            const float Epsilon = 1e-7f;
            static void Softmax(float[] x, float[] y)
            {
                float max = x.Max();
                float sum = Epsilon;
                for (int i = 0; i < x.Length; i++) sum += MathF.Exp(x[i] - max + Epsilon);
                for (int i = 0; i < x.Length; i++) y[i] = MathF.Exp(x[i] - max + Epsilon) / sum;
            }
            """
        },
        {
            "SumInField_Shifted",
            """
            static double[] s_exp = new double[8];
            static double s_sum;
            static void Output(double[] input, double[] output)
            {
                double max = input.Max();
                s_sum = 0;
                for (int i = 0; i < input.Length; ++i) { s_exp[i] = Math.Exp(input[i] - max); s_sum += s_exp[i]; }
                for (int i = 0; i < input.Length; ++i) output[i] = s_exp[i] / s_sum;
            }
            """
        },
        {
            "MemorySpanThroughLocal_Shifted",
            """
            static void Softmax(Memory<float> memory)
            {
                var span = memory.Span;
                float max = float.NegativeInfinity;
                for (int i = 0; i < span.Length; i++) max = MathF.Max(max, span[i]);
                float sum = 0f;
                for (int i = 0; i < span.Length; i++) { span[i] = MathF.Exp(span[i] - max); sum += span[i]; }
                for (int i = 0; i < span.Length; i++) span[i] /= sum;
            }
            """
        },
        {
            "PointerBuffer_Shifted",
            """
            static unsafe void Softmax(float* x, float* y, int n)
            {
                float max = float.MinValue;
                for (int i = 0; i < n; i++) if (x[i] > max) max = x[i];
                float sum = 0;
                for (int i = 0; i < n; i++) { y[i] = MathF.Exp(x[i] - max); sum += y[i]; }
                for (int i = 0; i < n; i++) y[i] /= sum;
            }
            """
        },
        {
            "InstanceMap_Shifted",
            """
            sealed class FVector : IEnumerable<float>
            {
                private readonly float[] _v = new float[4];
                public FVector Map(Func<float, float> f) => new FVector();
                public IEnumerator<float> GetEnumerator() => ((IEnumerable<float>)_v).GetEnumerator();
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
            }

            static FVector Activation(FVector x)
            {
                var max = x.Max();
                var sum = x.Sum(v => MathF.Exp(v - max));
                return x.Map(v => MathF.Exp(v - max) / sum);
            }
            """
        },
        {
            "GaussianWeightsThroughPerIterationLocal",
            """
            static float[] Weights(System.Numerics.Vector2[] kernel)
            {
                var weights = new float[kernel.Length];
                float weightSum = 0f;
                for (int i = 0; i < kernel.Length; i++)
                {
                    var s = kernel[i];
                    float r2 = (s.X * s.X) + (s.Y * s.Y);
                    weightSum += MathF.Exp(-2.5f * r2);
                }

                for (int i = 0; i < kernel.Length; i++)
                {
                    var s = kernel[i];
                    float r2 = (s.X * s.X) + (s.Y * s.Y);
                    weights[i] = MathF.Exp(-2.5f * r2) / weightSum;
                }

                return weights;
            }
            """
        },
        {
            "PerIterationLocal_ShiftedByTheBest",
            """
            sealed class Node { public float Score; }
            static float[] Attention(List<Node> neighbours)
            {
                float best = neighbours.Max(n => n.Score);
                var w = new float[neighbours.Count];
                float sum = 0;
                for (int i = 0; i < neighbours.Count; i++)
                {
                    float score = neighbours[i].Score * 2f;
                    w[i] = MathF.Exp(score - 2f * best);
                    sum += w[i];
                }

                for (int i = 0; i < w.Length; i++) w[i] /= sum;
                return w;
            }
            """
        },
        {
            "HelperAppliedToTheElement_Clamp",
            """
            static double ClampLogit(double v) => Math.Min(Math.Max(v, -30), 30);
            static double[] Softmax(double[] x)
            {
                double sum = 0;
                var y = new double[x.Length];
                for (int i = 0; i < x.Length; i++) { y[i] = Math.Exp(ClampLogit(x[i])); sum += y[i]; }
                for (int i = 0; i < x.Length; i++) y[i] /= sum;
                return y;
            }
            """
        },
        {
            "TemperedExpWrapper_ShiftedByTheBest",
            """
            sealed class Rule { public double QValue; }
            static Rule Boltzmann(List<Rule> rules, double t, Random rand)
            {
                double best = rules.Max(r => r.QValue);
                double sum = 0;
                foreach (var rule in rules) sum += Expt(rule.QValue - best, t);
                double r = rand.NextDouble() * sum;
                double cum = 0;
                foreach (var rule in rules)
                {
                    cum += Expt(rule.QValue - best, t);
                    if (r < cum) return rule;
                }

                return null!;
            }

            static double Expt(double p, double t) => Math.Exp(p / t);
            """
        },
        {
            "WholeMatrixSum_Shifted",
            """
            static float[,] Softmax(float[,] a)
            {
                float max = float.NegativeInfinity;
                foreach (float v in a) max = MathF.Max(max, v);
                float sum = 0;
                for (int r = 0; r < a.GetLength(0); r++)
                    for (int c = 0; c < a.GetLength(1); c++)
                        sum += MathF.Exp(a[r, c] - max);
                var p = new float[a.GetLength(0), a.GetLength(1)];
                for (int r = 0; r < a.GetLength(0); r++)
                    for (int c = 0; c < a.GetLength(1); c++)
                        p[r, c] = MathF.Exp(a[r, c] - max) / sum;
                return p;
            }
            """
        },
        {
            "CallerOfANaiveHelper_OnlyTheHelperIsReported",
            """
            static double[] Check(double[] input) { var v = (double[])input.Clone(); Normalise(v); return v; }

            static void Normalise(double[] values)
            {
                double max = values.Max();
                double total = 0;
                for (int i = 0; i < values.Length; i++) { values[i] = Math.Exp(values[i] - max); total += values[i]; }
                for (int i = 0; i < values.Length; i++) values[i] /= total;
            }
            """
        },
    };
}
