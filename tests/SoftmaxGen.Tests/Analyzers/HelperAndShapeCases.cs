namespace SoftmaxGen.Tests.Analyzers;

/// <summary>
/// Issue 12, second part: softmaxes spread over helpers of the same compilation (an exp wrapper, a helper returning
/// the exps, a Sum helper, a Normalize helper, a divide-by helper, an iterator), stability from positive evidence
/// only (a subtraction of anything that is not shown to be the maximum is reported), and the dictionary,
/// Aggregate, sampling-loop and column shapes. Naive cases must be reported at the exact span; stable or
/// unrelated ones must not. Run by <see cref="ValueFlowShapeTests"/>.
/// </summary>
public static class HelperAndShapeCases
{
    public static TheoryData<string, string> MustFlag => new()
    {
        {
            "Helper_NormalizeExtension_OfSelectedExps",
            """
            public static List<double> Softmax(double[] input) => input.Select([|Math.Exp|]).ToList().Normalize();

            public static List<double> Normalize(this List<double> values)
            {
                var total = values.Sum();
                for (int i = 0; i < values.Count; i++) values[i] /= total;
                return values;
            }
            """
        },
        {
            "Helper_NormalizeUsingOwnSumExtension",
            """
            public static double Sum(this double[] input)
            {
                var s = 0.0;
                for (var i = 0; i < input.Length; s += input[i], ++i)
                {
                }

                return s;
            }

            public static double[] Normalize(this double[] input)
            {
                var sum = input.Sum();
                var output = new double[input.Length];
                for (var i = 0; i < input.Length; ++i) output[i] = input[i] / sum;
                return output;
            }

            public static double[] Softmax(this double[] input)
            {
                var output = new double[input.Length];
                for (var i = 0; i < input.Length; ++i) output[i] = [|Math.Exp(input[i])|];
                return output.Normalize();
            }
            """
        },
        {
            "Helper_SumOfStoredExps",
            """
            static double Sum(double[] v)
            {
                double s = 0;
                foreach (var x in v) s += x;
                return s;
            }

            static double[] Softmax(double[] z)
            {
                var e = new double[z.Length];
                for (int i = 0; i < z.Length; i++) e[i] = [|Math.Exp(z[i])|];
                var total = Sum(e);
                for (int i = 0; i < e.Length; i++) e[i] /= total;
                return e;
            }
            """
        },
        {
            "Helper_ClampingExpWrapper",
            """
            static double SafeExp(double v) => Math.Exp(Math.Min(v, 700.0));

            static double[] Softmax(double[] x)
            {
                double sum = 0;
                var y = new double[x.Length];
                for (int i = 0; i < x.Length; i++) { y[i] = [|SafeExp(x[i])|]; sum += y[i]; }
                for (int i = 0; i < x.Length; i++) y[i] /= sum;
                return y;
            }
            """
        },
        {
            "Helper_ReturnsExps_CallerNormalises",
            """
            static double[] Exps(double[] x)
            {
                var y = new double[x.Length];
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]);
                return y;
            }

            static double[] Probabilities(double[] logits)
            {
                var e = [|Exps(logits)|];
                double s = e.Sum();
                return e.Select(v => v / s).ToArray();
            }
            """
        },
        {
            "Helper_DividesByGivenSum",
            """
            static void Scale(float[] v, float by)
            {
                for (int i = 0; i < v.Length; i++) v[i] /= by;
            }

            static void Softmax(float[] logits, float[] probs)
            {
                float sum = 0f;
                for (int i = 0; i < logits.Length; i++) { probs[i] = [|MathF.Exp(logits[i])|]; sum += probs[i]; }
                Scale(probs, sum);
            }
            """
        },
        {
            "Helper_ExpInPlace_ThenNormalised",
            """
            static void ExpInPlace(float[] v)
            {
                for (int i = 0; i < v.Length; i++) v[i] = MathF.Exp(v[i]);
            }

            static void Softmax(float[] x)
            {
                [|ExpInPlace(x)|];
                float s = 0;
                foreach (var v in x) s += v;
                for (int i = 0; i < x.Length; i++) x[i] /= s;
            }
            """
        },
        {
            "Iterator_YieldReturnExp_ThenSum",
            """
            static IEnumerable<double> ExpAll(IEnumerable<double> xs)
            {
                foreach (var x in xs) yield return Math.Exp(x);
            }

            static double[] Softmax(double[] scores)
            {
                var sum = [|ExpAll(scores)|].Sum();
                return ExpAll(scores).Select(e => e / sum).ToArray();
            }
            """
        },
        {
            "Bound_MinimumSubtractedInASoftmax",
            """
            static double[] Softmax(double[] x)
            {
                double lo = x.Min();
                var p = new double[x.Length];
                double z = 0;
                for (int i = 0; i < x.Length; i++) { p[i] = [|Math.Exp(x[i] - lo)|]; z += p[i]; }
                for (int i = 0; i < x.Length; i++) p[i] /= z;
                return p;
            }
            """
        },
        {
            "Bound_FirstElementThroughLinq",
            """
            static float[] Softmax(float[] x)
            {
                float sum = x.Sum(v => [|MathF.Exp(v - x.First())|]);
                return x.Select(v => MathF.Exp(v - x.First()) / sum).ToArray();
            }
            """
        },
        {
            "Bound_LoopMean",
            """
            static double[] Softmax(double[] x)
            {
                double mean = 0;
                foreach (var v in x) mean += v;
                mean /= x.Length;
                var e = new double[x.Length];
                double sum = 0;
                for (int i = 0; i < x.Length; i++) { e[i] = [|Math.Exp(x[i] - mean)|]; sum += e[i]; }
                for (int i = 0; i < x.Length; i++) e[i] /= sum;
                return e;
            }
            """
        },
        {
            "Dictionary_ExpsByLabel",
            """
            static Dictionary<string, double> Softmax(Dictionary<string, double> scores)
            {
                var exps = new Dictionary<string, double>();
                foreach (var kv in scores) exps[kv.Key] = [|Math.Exp(kv.Value)|];
                double sum = exps.Values.Sum();
                var result = new Dictionary<string, double>();
                foreach (var kv in exps) result[kv.Key] = kv.Value / sum;
                return result;
            }
            """
        },
        {
            "Dictionary_ToDictionary",
            """
            static Dictionary<string, double> Softmax(Dictionary<string, double> logits)
            {
                var exps = logits.ToDictionary(kv => kv.Key, kv => [|Math.Exp(kv.Value)|]);
                double z = 0;
                foreach (var kv in exps) z += kv.Value;
                return exps.ToDictionary(kv => kv.Key, kv => kv.Value / z);
            }
            """
        },
        {
            "Aggregate_SeededSumOfExps",
            """
            static double[] Softmax(double[] x)
            {
                double total = x.Aggregate(0.0, (acc, v) => acc + [|Math.Exp(v)|]);
                return x.Select(v => Math.Exp(v) / total).ToArray();
            }
            """
        },
        {
            "Aggregate_OfStoredExps",
            """
            static double[] Softmax(double[] x)
            {
                var exps = x.Select(v => [|Math.Exp(v)|]).ToArray();
                double total = exps.Aggregate((a, b) => a + b);
                return exps.Select(e => e / total).ToArray();
            }
            """
        },
        {
            "Sampling_CumulativeAgainstScaledSum",
            """
            static int Sample(float[] logits, float temperature, Random rng)
            {
                var w = new float[logits.Length];
                float sum = 0;
                for (int i = 0; i < logits.Length; i++) { w[i] = [|MathF.Exp(logits[i] / temperature)|]; sum += w[i]; }
                float r = (float)rng.NextDouble() * sum;
                float acc = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    acc += w[i];
                    if (acc >= r) return i;
                }

                return w.Length - 1;
            }
            """
        },
        {
            "Sampling_CumulativeFraction",
            """
            static int Sample(double[] q, double beta, Random rng)
            {
                double z = 0;
                for (int a = 0; a < q.Length; a++) z += [|Math.Exp(beta * q[a])|];
                double u = rng.NextDouble(), cum = 0;
                for (int a = 0; a < q.Length; a++)
                {
                    cum += Math.Exp(beta * q[a]);
                    if (cum / z > u) return a;
                }

                return q.Length - 1;
            }
            """
        },
        {
            "LocalBufferProducedThenExponentiated",
            """
            static double[] Attention(double[][] keys, double[] query)
            {
                var scores = new double[keys.Length];
                for (int j = 0; j < keys.Length; j++)
                {
                    double dot = 0;
                    for (int d = 0; d < query.Length; d++) dot += keys[j][d] * query[d];
                    scores[j] = dot / Math.Sqrt(query.Length);
                }

                double sum = 0;
                var w = new double[scores.Length];
                for (int j = 0; j < scores.Length; j++) { w[j] = [|Math.Exp(scores[j])|]; sum += w[j]; }
                for (int j = 0; j < w.Length; j++) w[j] /= sum;
                return w;
            }
            """
        },
        {
            "MemberOfElement",
            """
            public sealed record Candidate(string Id, double Score);

            static Dictionary<string, double> Normalise(List<Candidate> candidates)
            {
                double sum = 0;
                foreach (var c in candidates) sum += [|Math.Exp(c.Score)|];
                return candidates.ToDictionary(c => c.Id, c => Math.Exp(c.Score) / sum);
            }
            """
        },
        {
            "ExponentialNamedIterator",
            """
            static IEnumerable<double> Exponentials(IEnumerable<double> xs)
            {
                foreach (var x in xs) yield return Math.Exp(x);
            }

            static List<double> Softmax(IList<double> xs)
            {
                double sum = [|Exponentials(xs)|].Sum();
                return Exponentials(xs).Select(e => e / sum).ToList();
            }
            """
        },
        {
            "Vector_ChunksAndScalarTail",
            """
            static void Softmax(ReadOnlySpan<float> x, Span<float> y)
            {
                int i = 0;
                var acc = System.Numerics.Vector<float>.Zero;
                for (; i <= x.Length - System.Numerics.Vector<float>.Count; i += System.Numerics.Vector<float>.Count)
                {
                    var e = [|System.Numerics.Vector.Exp(new System.Numerics.Vector<float>(x.Slice(i)))|];
                    e.CopyTo(y.Slice(i));
                    acc += e;
                }

                float sum = System.Numerics.Vector.Sum(acc);
                for (; i < x.Length; i++) { y[i] = MathF.Exp(x[i]); sum += y[i]; }
                for (int j = 0; j < y.Length; j++) y[j] /= sum;
            }
            """
        },
        {
            "Vector256_LoadUnsafe",
            """
            static void Softmax(float[] x, float[] y)
            {
                var acc = System.Runtime.Intrinsics.Vector256<float>.Zero;
                for (int i = 0; i < x.Length; i += 8)
                {
                    var v = System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref x[i]);
                    var e = [|System.Runtime.Intrinsics.Vector256.Exp(v)|];
                    System.Runtime.Intrinsics.Vector256.StoreUnsafe(e, ref y[i]);
                    acc += e;
                }

                float sum = System.Runtime.Intrinsics.Vector256.Sum(acc);
                for (int i = 0; i < y.Length; i++) y[i] /= sum;
            }
            """
        },
        {
            "Columns_OfA2DArray",
            """
            static void ColumnSoftmax(double[,] x, double[,] y, int rows, int cols)
            {
                for (int j = 0; j < cols; j++)
                {
                    double sum = 0;
                    for (int i = 0; i < rows; i++) sum += [|Math.Exp(x[i, j])|];
                    for (int i = 0; i < rows; i++) y[i, j] = Math.Exp(x[i, j]) / sum;
                }
            }
            """
        },
    };

    public static TheoryData<string, string> MustNotFlag => new()
    {
        {
            "Vector_Shifted",
            """
            static void Softmax(ReadOnlySpan<float> x, Span<float> y)
            {
                float m = float.NegativeInfinity;
                foreach (var v in x) m = MathF.Max(m, v);
                var vm = new System.Numerics.Vector<float>(m);
                int i = 0;
                var acc = System.Numerics.Vector<float>.Zero;
                for (; i <= x.Length - System.Numerics.Vector<float>.Count; i += System.Numerics.Vector<float>.Count)
                {
                    var e = System.Numerics.Vector.Exp(new System.Numerics.Vector<float>(x.Slice(i)) - vm);
                    e.CopyTo(y.Slice(i));
                    acc += e;
                }

                float sum = System.Numerics.Vector.Sum(acc);
                for (; i < x.Length; i++) { y[i] = MathF.Exp(x[i] - m); sum += y[i]; }
                for (int j = 0; j < y.Length; j++) y[j] /= sum;
            }
            """
        },
        {
            "LocalBufferOfTemperedShiftedLogits",
            """
            static double[] Softmax(double[] x, double temperature)
            {
                double m = x.Max();
                var z = new double[x.Length];
                for (int i = 0; i < x.Length; i++) z[i] = (x[i] - m) / temperature;
                double sum = 0;
                for (int i = 0; i < z.Length; i++) sum += Math.Exp(z[i]);
                for (int i = 0; i < z.Length; i++) z[i] = Math.Exp(z[i]) / sum;
                return z;
            }
            """
        },
        {
            "StableMemberOfElement",
            """
            public sealed record Candidate(string Id, double Score);

            static Dictionary<string, double> Normalise(List<Candidate> candidates)
            {
                double best = candidates.Max(c => c.Score);
                double sum = candidates.Sum(c => Math.Exp(c.Score - best));
                return candidates.ToDictionary(c => c.Id, c => Math.Exp(c.Score - best) / sum);
            }
            """
        },
        {
            "Helper_MaxSummary_WithoutAMaxName",
            """
            static double Ceiling(double[] v)
            {
                double m = v[0];
                foreach (var x in v) if (x > m) m = x;
                return m;
            }

            static double[] Softmax(double[] x)
            {
                double c = Ceiling(x);
                var e = new double[x.Length];
                double sum = 0;
                for (int i = 0; i < x.Length; i++) { e[i] = Math.Exp(x[i] - c); sum += e[i]; }
                for (int i = 0; i < x.Length; i++) e[i] /= sum;
                return e;
            }
            """
        },
        {
            // A shift passed in as a scalar parameter is the callers' bound to keep (LogSum(v, f) of the held-out corpus, whose
            // callers pass the maximum); a naive softmax subtracts nothing.
            "Bound_ScalarParameterShift",
            """
            static void Softmax(double[] x, double[] y, double offset)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i] - offset);
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i] - offset) / sum;
            }
            """
        },
        {
            "Bound_IfLoopMax_NeutralName",
            """
            static void Softmax(float[] x, float[] y)
            {
                float c = float.NegativeInfinity;
                for (int i = 0; i < x.Length; i++) { if (x[i] > c) { c = x[i]; } }
                float sum = 0;
                for (int i = 0; i < x.Length; i++) { y[i] = MathF.Exp(x[i] - c); sum += y[i]; }
                for (int i = 0; i < x.Length; i++) y[i] /= sum;
            }
            """
        },
        {
            "Bound_TernaryAndMathMaxLoops",
            """
            static double[] Softmax(double[] x)
            {
                double a = x[0], b = x[0];
                foreach (var v in x) { a = v > a ? v : a; b = Math.Max(b, v); }
                double sum = x.Sum(v => Math.Exp(v - a));
                return x.Select(v => Math.Exp(v - b) / sum).ToArray();
            }
            """
        },
        {
            "Bound_ArgMaxIndex",
            """
            static double[] Softmax(double[] x)
            {
                int argMax = 0;
                for (int i = 1; i < x.Length; i++) if (x[i] > x[argMax]) argMax = i;
                var e = new double[x.Length];
                double sum = 0;
                for (int i = 0; i < x.Length; i++) { e[i] = Math.Exp(x[i] - x[argMax]); sum += e[i]; }
                for (int i = 0; i < x.Length; i++) e[i] /= sum;
                return e;
            }
            """
        },
        {
            "Helper_ExpsHelperAlreadyShifts",
            """
            static double[] ShiftedExps(double[] x)
            {
                double m = x.Max();
                var y = new double[x.Length];
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i] - m);
                return y;
            }

            static double[] Softmax(double[] x)
            {
                var e = ShiftedExps(x);
                double s = e.Sum();
                return e.Select(v => v / s).ToArray();
            }
            """
        },
        {
            "Helper_NormalizeOfRawCounts",
            """
            static double[] Normalize(double[] v)
            {
                double s = v.Sum();
                return v.Select(x => x / s).ToArray();
            }

            static double[] Frequencies(int[] counts) => Normalize(counts.Select(c => (double)c).ToArray());
            """
        },
        {
            "Helper_ExpWrapperInSigmoid",
            """
            static double SafeExp(double v) => Math.Exp(Math.Min(v, 700.0));

            static void Sigmoid(double[] x, double[] y)
            {
                for (int i = 0; i < x.Length; i++) y[i] = 1.0 / (1.0 + SafeExp(-x[i]));
            }
            """
        },
        {
            "Helper_SumOfUnrelatedWeights",
            """
            static double Sum(double[] v)
            {
                double s = 0;
                foreach (var x in v) s += x;
                return s;
            }

            static double[] Weighted(double[] x, double[] w)
            {
                var y = new double[x.Length];
                double total = Sum(w);
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / total;
                return y;
            }
            """
        },
        {
            "Helper_CallerOfAStableSoftmaxHelper",
            """
            static double[] Softmax(double[] x)
            {
                double m = x.Max();
                double s = x.Sum(v => Math.Exp(v - m));
                return x.Select(v => Math.Exp(v - m) / s).ToArray();
            }

            static double[] Probabilities(double[] logits) => Softmax(logits);
            """
        },
        {
            "Dictionary_Shifted",
            """
            static Dictionary<string, double> Softmax(Dictionary<string, double> scores)
            {
                double max = scores.Values.Max();
                var exps = new Dictionary<string, double>();
                foreach (var kv in scores) exps[kv.Key] = Math.Exp(kv.Value - max);
                double sum = exps.Values.Sum();
                var result = new Dictionary<string, double>();
                foreach (var kv in exps) result[kv.Key] = kv.Value / sum;
                return result;
            }
            """
        },
        {
            "Sampling_Shifted",
            """
            static int Sample(float[] logits, Random rng)
            {
                float max = logits.Max();
                var w = new float[logits.Length];
                float sum = 0;
                for (int i = 0; i < logits.Length; i++) { w[i] = MathF.Exp(logits[i] - max); sum += w[i]; }
                float r = (float)rng.NextDouble() * sum;
                float acc = 0;
                for (int i = 0; i < w.Length; i++) { acc += w[i]; if (acc >= r) return i; }
                return w.Length - 1;
            }
            """
        },
        {
            "Sampling_ComparesSumWithConstant",
            """
            static bool Overflows(double[] x)
            {
                double sum = 0, acc = 0;
                foreach (var v in x) { sum += Math.Exp(v); acc += Math.Exp(v); }
                return acc > 2 * sum;
            }
            """
        },
    };
}
