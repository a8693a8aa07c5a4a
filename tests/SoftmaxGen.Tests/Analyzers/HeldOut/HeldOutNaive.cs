namespace SoftmaxGen.Tests.Analyzers.HeldOut;

/// <summary>
/// Held-out naive files: softmax, log-softmax, log-sum-exp and Boltzmann sampling methods taken from public C#
/// repositories (trimmed to one compilable file, names and shape kept; types of other libraries replaced by small
/// stubs), none written for this analyzer. Each returns NaN, ∞, 0 or a wrong distribution for <c>[1000, 1000, 999]</c>.
/// Where each came from is in README.md next to this file. Every one must be reported (SMX1001 or SMX1002).
/// </summary>
internal static class HeldOutNaive
{
    public static IReadOnlyList<(string Name, string Source)> Files { get; } =
    [
        ("MlpProgramDenominator", """
            using System;
            using System.Collections.Generic;
            namespace Linear_Classifier;
            class Program
            {
                static void Report(List<float> testNets)
                {
                    // Probability Distribution (node) = Softmax (net_i) = e^(net_i) / sum(e^(net_j))
                    float denominator = 0f;
                    for (int j = 0; j < testNets.Count; j++) // sum(e^(net_i))
                        denominator += MathF.Exp(testNets[j]);
                    for (int i = 0; i < testNets.Count; i++)
                    {
                        float numerator = MathF.Exp(testNets[i]); // e^(net_i)
                        float probabiltyDistribution = numerator / denominator;
                        Console.WriteLine($"Probabilty Distribution: {probabiltyDistribution}");
                    }
                }
            }
            """),
        ("MlpProgramDenominatorInLoop", """
            using System;
            using System.Collections.Generic;
            namespace Linear_Classifier;
            class Program
            {
                static void Report(List<float> outputLayerNets)
                {
                    for (int i = 0; i < outputLayerNets.Count; i++)
                    {
                        float numerator = MathF.Exp(outputLayerNets[i]);
                        float denominator = 0f;
                        for (int j = 0; j < outputLayerNets.Count; j++)
                            denominator += MathF.Exp(outputLayerNets[j]);
                        float probabiltyDistribution = numerator / denominator;
                        Console.WriteLine($"Probabilty Distribution: {probabiltyDistribution}");
                    }
                }
            }
            """),
        ("NeunexSelectMethodGroup", """
            using System;
            using System.Linq;
            namespace Neunex.Activations;
            public class softmax
            {
                public static double[] calculate(double[] data)
                {
                    var z = data.Select(i => i);
                    var x = z.Select(Math.Exp);
                    var sum_z_exp = x.Sum();
                    var softmax = x.Select(i => i / sum_z_exp);
                    return softmax.ToArray();
                }
            }
            """),
        ("NetworkCoreInPlace", """
            using System;
            namespace NeuralNetwork.Core;
            internal class SoftmaxActivation
            {
                public double[] Forward(double[] input)
                {
                    for (var i = 0; i < input.Length; i++)
                    {
                        input[i] = Math.Exp(input[i]);
                    }
                    var sum = .0d;
                    for (var i = 0; i < input.Length; i++)
                    {
                        sum += input[i];
                    }
                    for (var i = 0; i < input.Length; i++)
                    {
                        input[i] = (input[i] / sum);
                    }
                    return input;
                }
            }
            """),
        ("NetworkCoreContextBuffers", """
            using System;
            namespace NeuralNetwork.Core;
            internal sealed class NetworkContext
            {
                public double[][] PreOutput = new double[4][];
                public double[][] LayerOutput = new double[4][];
            }
            internal class SoftmaxActivation
            {
                public double[] Forward(NetworkContext ctx, int index)
                {
                    var input = ctx.PreOutput[index];
                    var output = ctx.LayerOutput[index];
                    for (var i = 0; i < input.Length; i++)
                    {
                        output[i] = Math.Exp(input[i]);
                    }
                    var sum = .0d;
                    for (var i = 0; i < output.Length; i++)
                    {
                        sum += output[i];
                    }
                    for (var i = 0; i < input.Length; i++)
                    {
                        output[i] = (output[i] / sum);
                    }
                    return output;
                }
            }
            """),
        ("NetworkCoreMaxOfOutput", """
            using System;
            namespace NeuralNetwork.Core;
            internal class SoftmaxActivation
            {
                // The maximum is taken over the output buffer (its previous contents), not over the input.
                public double[] Forward(double[] input, double[] output)
                {
                    var max = .0d;
                    for (var i = 0; i < output.Length; i++)
                    {
                        max = Math.Max(max, output[i]);
                    }
                    for (var i = 0; i < input.Length; i++)
                    {
                        output[i] = Math.Exp(input[i] - max);
                    }
                    var sum = .0d;
                    for (var i = 0; i < output.Length; i++)
                    {
                        sum += output[i];
                    }
                    for (var i = 0; i < input.Length; i++)
                    {
                        output[i] = (output[i] / sum);
                    }
                    return output;
                }
            }
            """),
        ("AnimalLabelIList", """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            namespace TNCAnimalLabelWebAPI;
            static class ActivationFunctions
            {
                public static float[] Softmax(IList<float> values)
                {
                    float[] value_exp = new float[values.Count];
                    for (int i = 0; i < values.Count; i++)
                    {
                        value_exp[i] = (float)Math.Exp(values[i]);
                    }
                    float sum_exp = value_exp.Sum();
                    float[] softmax_values = new float[values.Count];
                    for (int i = 0; i < values.Count; i++)
                    {
                        softmax_values[i] = value_exp[i] / sum_exp;
                    }
                    return softmax_values;
                }
            }
            """),
        ("LgfwFieldSum", """
            namespace LGFW
            {
                using number = System.Double;
                public abstract class NNLayerBase
                {
                    protected number[] m_output;
                    protected number[] m_input;
                    public abstract number[] output(number[] input);
                }
                public class NNSoftMaxLayer : NNLayerBase
                {
                    private number[] m_expOutput;
                    private number m_sum;
                    public void setInputNumber(int number)
                    {
                        m_output = new number[number];
                        m_expOutput = new number[number];
                    }
                    public override number[] output(number[] input)
                    {
                        m_input = input;
                        m_sum = 0;
                        for (int i = 0; i < m_output.Length; ++i)
                        {
                            m_expOutput[i] = System.Math.Exp(m_input[i]);
                            m_sum += m_expOutput[i];
                        }
                        m_sum = 1 / m_sum;
                        for (int i = 0; i < input.Length; ++i)
                        {
                            m_output[i] = m_expOutput[i] * m_sum;
                        }
                        return m_output;
                    }
                }
            }
            """),
        ("AForgeBoltzmannGuarded", """
            using System;
            namespace AForge.MachineLearning;
            public class BoltzmannExploration
            {
                private double temperature;
                private Random rand = new Random();
                public BoltzmannExploration(double temperature) { this.temperature = temperature; }
                public int ChooseAction(double[] actionEstimates)
                {
                    int actionsCount = actionEstimates.Length;
                    double[] actionProbabilities = new double[actionsCount];
                    double sum = 0, probabilitiesSum = 0;
                    for (int i = 0; i < actionsCount; i++)
                    {
                        double actionProbability = Math.Exp(actionEstimates[i] / temperature);
                        actionProbabilities[i] = actionProbability;
                        probabilitiesSum += actionProbability;
                    }
                    if ((double.IsInfinity(probabilitiesSum)) || (probabilitiesSum == 0))
                    {
                        // do greedy selection in the case of infinity or zero
                        double maxReward = actionEstimates[0];
                        int greedyAction = 0;
                        for (int i = 1; i < actionsCount; i++)
                        {
                            if (actionEstimates[i] > maxReward)
                            {
                                maxReward = actionEstimates[i];
                                greedyAction = i;
                            }
                        }
                        return greedyAction;
                    }
                    double actionRandomNumber = rand.NextDouble();
                    for (int i = 0; i < actionsCount; i++)
                    {
                        sum += actionProbabilities[i] / probabilitiesSum;
                        if (actionRandomNumber <= sum)
                            return i;
                    }
                    return actionsCount - 1;
                }
            }
            """),
        ("SharpRlExponentHelper", """
            using System;
            using System.Collections.Generic;
            namespace SharpRL.Learning.SelectionPolicy;
            public sealed class QValue
            {
                private readonly List<double> values = new();
                public int Count => values.Count;
                public double this[int i] => values[i];
            }
            public sealed class Softmax
            {
                private double tau;
                private readonly Random random;
                public Softmax(double tau, Random random) { this.tau = tau; this.random = random; }
                public int Select(QValue value)
                {
                    double random = this.random.NextDouble();
                    double lower = 0.0;
                    double upper = 0.0;
                    double sumExp = 0.0;
                    //Calculate the sum of exponentials
                    for (int i = 0; i < value.Count; i++)
                    {
                        sumExp += Math.Exp(GetExponent(value[i]));
                    }
                    //Select the action
                    for (int i = 0; i < value.Count; i++)
                    {
                        lower = upper;
                        upper += Math.Exp(GetExponent(value[i])) / sumExp;
                        if (random >= lower && random < upper)
                        {
                            return i;
                        }
                    }
                    return 0;
                }
                private double GetExponent(double value)
                {
                    if (value != 0.0)
                    {
                        return value / this.tau;
                    }
                    else
                    {
                        return 0.0;
                    }
                }
            }
            """),
        ("HhgSoftmaxSelectorDictionary", """
            using System.Collections.Generic;
            using UnityEngine;
            namespace HHG.UtilityAI.Runtime;
            public class Task<TContext> { }
            public class SoftmaxSelector<TContext>
            {
                private readonly float temperature;
                public SoftmaxSelector(float temperature = 1f)
                {
                    this.temperature = Mathf.Clamp(temperature, .01f, 1f);
                }
                public Task<TContext> Select(Dictionary<Task<TContext>, float> scoredTasks)
                {
                    float sum = 0f;
                    Task<TContext> best = null;
                    float bestScore = float.NegativeInfinity;
                    foreach (var kv in scoredTasks)
                    {
                        float expScore = Mathf.Exp(kv.Value / temperature);
                        sum += expScore;
                        if (expScore > bestScore)
                        {
                            bestScore = expScore;
                            best = kv.Key;
                        }
                    }
                    float roll = Random.Range(0f, sum);
                    float cumulative = 0f;
                    foreach (var kv in scoredTasks)
                    {
                        float expScore = Mathf.Exp(kv.Value / temperature);
                        cumulative += expScore;
                        if (roll <= cumulative) return kv.Key;
                    }
                    return best;
                }
            }
            """),
        ("CNetTensorRows", """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            namespace CNet.NN;
            public sealed class Shape { public int Rows; public int Colomns; }
            public sealed class Tensor
            {
                private readonly float[,] data = new float[2, 2];
                public Shape Shape { get; } = new Shape { Rows = 2, Colomns = 2 };
                public IEnumerable<float> GetRow(int i) { for (int j = 0; j < Shape.Colomns; j++) yield return data[i, j]; }
                public void SetRow(int i, float[] row) { for (int j = 0; j < row.Length; j++) data[i, j] = row[j]; }
            }
            public class Activations
            {
                public static void Softmax(Tensor tensor)
                {
                    for (int i = 0; i < tensor.Shape.Rows; i++)
                    {
                        var z_exp = tensor.GetRow(i).Select(x => Math.Exp(x));
                        var sum_z_exp = z_exp.Sum();
                        var softmax = z_exp.Select(v => (float)(v / sum_z_exp)).ToArray();
                        tensor.SetRow(i, softmax);
                    }
                }
            }
            """),
        ("EmotionFerPlusLinq", """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            namespace Emotion;
            public sealed class EmotionFerPlus
            {
                static float[] Softmax(float[] z)
                {
                    var exps = z.Select(x => Math.Exp(x)).ToArray();
                    var sum = exps.Sum();
                    return exps.Select(x => (float)(x / sum)).ToArray();
                }
                private Dictionary<string, float> result(float[] res)
                {
                    string[] keys = { "neutral", "happiness", "surprise", "sadness", "anger", "disgust", "fear", "contempt" };
                    var scores = Softmax(res);
                    var result = new Dictionary<string, float>();
                    for (int i = 0; i < keys.Length; i++)
                        result[keys[i]] = scores[i];
                    return result;
                }
            }
            """),
        ("SparseDenseSoftmax", """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            namespace Sparse;
            public static class Helpers
            {
                public static double[] CreateDenseArray(IDictionary<int, double> sparseArray, int numInputNeurons)
                {
                    var arr = new double[numInputNeurons];
                    foreach (var kv in sparseArray) arr[kv.Key] = kv.Value;
                    return arr;
                }
                public static double[] SoftmaxFromSparse(IDictionary<int, double> sparseArray, int numInputNeurons)
                {
                    var denseArr = CreateDenseArray(sparseArray, numInputNeurons);
                    var res = Softmax(denseArr);
                    return res;
                }
                /// <summary>Calculates the softmax of the input array.</summary>
                public static double[] Softmax(double[] input)
                {
                    double[] exponentials = input.Select(x => Math.Exp(x)).ToArray();
                    double sum = exponentials.Sum();
                    return exponentials.Select(x => x / sum).ToArray();
                }
            }
            """),
        ("LegacyTensorDataProperty", """
            using System;
            using System.Linq;
            namespace LegacyTensorLib;
            public class Tensor
            {
                public double[] Data { get; private set; }
                public int Rows { get; }
                public int Cols { get; }
                public Tensor(double[] data, int rows, int cols) { Data = data; Rows = rows; Cols = cols; }
                public Tensor Softmax()
                {
                    var expData = Data.Select(x => Math.Exp(x)).ToArray();
                    double sum = expData.Sum();
                    var result = expData.Select(x => x / sum).ToArray();
                    return new Tensor(result, Rows, Cols);
                }
            }
            """),
        ("UnityMatrixAlias", """
            using UnityEngine;
            namespace Mnist;
            public class Matrix<T>
            {
                private readonly T[,] values;
                public Matrix(int rows, int cols) { values = new T[rows, cols]; }
                public int RowCount => values.GetLength(0);
                public int ColumnCount => values.GetLength(1);
                public T this[int r, int c] { get => values[r, c]; set => values[r, c] = value; }
            }
            public class Network
            {
                private Matrix<float> Softmax(Matrix<float> A)
                {
                    float sum = 0;
                    Matrix<float> softmax = A;
                    for (int r = 0; r < A.RowCount; r++)
                    {
                        for (int c = 0; c < A.ColumnCount; c++)
                        {
                            sum += Mathf.Exp(A[r, c]);
                        }
                    }
                    for (int r = 0; r < A.RowCount; r++)
                    {
                        for (int c = 0; c < A.ColumnCount; c++)
                        {
                            softmax[r, c] = Mathf.Exp(softmax[r, c]) / sum;
                        }
                    }
                    return softmax;
                }
            }
            """),
        ("ObserverGraphAttention", """
            using System;
            using System.Collections.Generic;
            using UnityEngine;
            public class Observer
            {
                private readonly List<Observer> neighboringObserver = new();
                private readonly float[] AttentionWeight = new float[4];
                public float[] GetVhat() => new float[2];
                public float getVbar()
                {
                    float[] selfVhat = GetVhat();
                    float sum = 0;
                    foreach (Observer observer in neighboringObserver)
                    {
                        float calcWeight = 0;
                        float[] neighborVhat = observer.GetVhat();
                        float[] concatVhat = { selfVhat[0], selfVhat[1], neighborVhat[0], neighborVhat[1] };
                        for (int i = 0; i < 4; i++)
                        {
                            calcWeight += AttentionWeight[i] * concatVhat[i];
                        }
                        sum += Mathf.Exp(EluActivation(calcWeight));
                    }
                    float vbar = 0;
                    foreach (Observer observer in neighboringObserver)
                    {
                        float calcWeight = 0;
                        float[] neighborVhat = observer.GetVhat();
                        float[] concatVhat = { selfVhat[0], selfVhat[1], neighborVhat[0], neighborVhat[1] };
                        for (int i = 0; i < 4; i++)
                        {
                            calcWeight += AttentionWeight[i] * concatVhat[i];
                        }
                        vbar += (Mathf.Exp(EluActivation(calcWeight)) / sum) * neighborVhat[0] * neighborVhat[1];
                    }
                    return vbar;
                }
                private float EluActivation(float x)
                {
                    if (x >= 0)
                    {
                        return x;
                    }
                    return 1 * (MathF.Exp(x) - 1);
                }
            }
            """),
        ("GradientDescentSharpMap", """
            using System;
            using System.Collections;
            using System.Collections.Generic;
            using System.Linq;
            namespace GradientDescentSharp.NeuralNetwork.ActivationFunction;
            // Stand-in for MathNet's single-precision vector: enumerable, with an element-wise Map.
            public class FVector : IEnumerable<float>
            {
                private readonly float[] values;
                public FVector(float[] values) { this.values = values; }
                public FVector Map(Func<float, float> f) => new FVector(values.Select(f).ToArray());
                public IEnumerator<float> GetEnumerator() => ((IEnumerable<float>)values).GetEnumerator();
                IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
            }
            public class Softmax
            {
                public FVector Activation(FVector x)
                {
                    var sum = x.Sum(x => MathF.Exp(x));
                    return (FVector)x.Map(x => MathF.Exp(x) / sum);
                }
                public FVector ActivationDerivative(FVector x)
                {
                    var sum = x.Sum(x => MathF.Exp(x));
                    return (FVector)x.Map(x =>
                    {
                        var ex = MathF.Exp(x);
                        var variable = ex / sum;
                        return variable - variable * variable;
                    });
                }
            }
            """),
        ("DeepUnityTensorExp", """
            using System;
            namespace DeepUnity;
            // Stand-in for DeepUnity's tensor: element-wise Exp, a sum over the last axis, broadcasting, division.
            public sealed class Tensor
            {
                public readonly float[] Data;
                public Tensor(float[] data) { Data = data; }
                public int Size(int axis) => Data.Length;
                public static Tensor Exp(Tensor x)
                {
                    var r = new float[x.Data.Length];
                    for (int i = 0; i < r.Length; i++) r[i] = MathF.Exp(x.Data[i]);
                    return new Tensor(r);
                }
                public static Tensor Sum(Tensor x, int axis, bool keepDim)
                {
                    float s = 0;
                    for (int i = 0; i < x.Data.Length; i++) s += x.Data[i];
                    return new Tensor(new[] { s });
                }
                public static Tensor Expand(Tensor x, int axis, int times)
                {
                    var r = new float[times];
                    for (int i = 0; i < times; i++) r[i] = x.Data[0];
                    return new Tensor(r);
                }
                public static Tensor operator /(Tensor a, Tensor b)
                {
                    var r = new float[a.Data.Length];
                    for (int i = 0; i < r.Length; i++) r[i] = a.Data[i] / b.Data[i];
                    return new Tensor(r);
                }
            }
            [Serializable]
            public class Softmax
            {
                public Tensor Activation(Tensor x)
                {
                    Tensor exp = Tensor.Exp(x);
                    Tensor exp_sum = Tensor.Sum(exp, -1, true);
                    exp_sum = Tensor.Expand(exp_sum, -1, exp.Size(-1));
                    return exp / exp_sum;
                }
            }
            """),
        ("UnityMathHelper", """
            using UnityEngine;
            public static class MathHelper
            {
                public static float[] Softmax(float[] logits)
                {
                    float[] exponents = new float[logits.Length];
                    float sum = 0;
                    for (int i = 0; i < logits.Length; i++)
                    {
                        exponents[i] = Mathf.Exp(logits[i]);
                        sum += exponents[i];
                    }
                    float[] probabilities = new float[logits.Length];
                    for (int i = 0; i < logits.Length; i++)
                    {
                        probabilities[i] = exponents[i] / sum;
                    }
                    return probabilities;
                }
            }
            """),
        ("UnityOnnxAgentSampling", """
            using UnityEngine;
            public class OnnxAgent
            {
                public int Act(float[] logits)
                {
                    float sum = 0;
                    float[] probs = new float[logits.Length];
                    for (int i = 0; i < logits.Length; i++) {
                        probs[i] = Mathf.Exp(logits[i]);
                        sum += probs[i];
                    }
                    for (int i = 0; i < probs.Length; i++) {
                        probs[i] /= sum;
                    }
                    int selectedAction = 0;
                    float rand = UnityEngine.Random.value;
                    float cumsum = 0;
                    for (int i = 0; i < probs.Length; i++) {
                        cumsum += probs[i];
                        if (rand <= cumsum) {
                            selectedAction = i;
                            break;
                        }
                    }
                    return selectedAction;
                }
            }
            """),
        ("SentisEmotionInPlace", """
            using UnityEngine;
            public class EmotionRunner
            {
                private readonly string[] labels = { "neutral", "happy", "sad" };
                private void RunOnce(float[] logits)
                {
                    /* softmax + argmax */
                    float sum = 0f;
                    for (int i = 0; i < logits.Length; i++)
                    {
                        logits[i] = Mathf.Exp(logits[i]);
                        sum += logits[i];
                    }
                    int bestIdx = 0;
                    float bestProb = 0f;
                    for (int i = 0; i < logits.Length; i++)
                    {
                        logits[i] /= sum;
                        if (logits[i] > bestProb)
                        {
                            bestProb = logits[i];
                            bestIdx = i;
                        }
                    }
                    Debug.Log($"Emotion: <b>{labels[bestIdx]}</b>  ({bestProb:P1})");
                }
            }
            """),
        ("UnityGetBestClass", """
            using UnityEngine;
            public struct ClassificationResult { public int ClassID; public float Probability; }
            public static class Classifier
            {
                public static ClassificationResult GetBestClass(float[] logits)
                {
                    int numClasses = logits.Length;
                    float maxProbability = 0.0f;
                    int bestClassID = -1;
                    float sumExp = 0.0f;
                    float[] probabilities = new float[numClasses];
                    for (int i = 0; i < numClasses; i++)
                    {
                        probabilities[i] = Mathf.Exp(logits[i]);
                        sumExp += probabilities[i];
                    }
                    for (int i = 0; i < numClasses; i++)
                    {
                        probabilities[i] /= sumExp;
                        if (probabilities[i] > maxProbability)
                        {
                            maxProbability = probabilities[i];
                            bestClassID = i;
                        }
                    }
                    return new ClassificationResult { ClassID = bestClassID + 1, Probability = maxProbability };
                }
            }
            """),
        ("KalmiaChainedAssignment", """
            using System;
            namespace Kalmia;
            public static class MathFunctions
            {
                public static float StdSigmoid(float x)
                {
                    return 1.0f / (1.0f + MathF.Exp(-x));
                }
                public static void Softmax(float[] x, float[] y)
                {
                    Softmax(x.AsSpan(), y.AsSpan());
                }
                public static void Softmax(Span<float> x, Span<float> y)
                {
                    var sum = 0.0f;
                    for (var i = 0; i < x.Length; i++)
                        sum += y[i] = MathF.Exp(x[i]);
                    for (var i = 0; i < y.Length; i++)
                        y[i] = y[i] / sum;
                }
            }
            """),
        ("NssUnstableBranch", """
            using System;
            namespace NSS;
            public static partial class MathEx
            {
                public static void Softmax(this Span<float> input, Span<float> output)
                {
                    float summed = 0;
                    for (int i = 0; i < input.Length; i++)
                    {
                        float ex = MathF.Exp(input[i]);
                        summed += ex;
                        output[i] = ex;
                    }
                    for (int i = 0; i < input.Length; i++)
                    {
                        output[i] = output[i] / summed;
                    }
                }
            }
            """),
        ("NssMaxSubtractedAfterExp", """
            using System;
            namespace NSS;
            public static partial class MathEx
            {
                public static float Max(ReadOnlySpan<float> x)
                {
                    float m = float.MinValue;
                    for (int i = 0; i < x.Length; i++) if (x[i] > m) m = x[i];
                    return m;
                }
                /// <summary>"stabelized" softmax: the maximum is subtracted after the exponential, not before.</summary>
                public static void SoftmaxStable(Span<float> input, Span<float> output)
                {
                    float summed = 0;
                    float max = Max(input);
                    for (int i = 0; i < input.Length; i++)
                    {
                        float ex = MathF.Exp(input[i]) - max;
                        summed += ex;
                        output[i] = ex;
                    }
                    for (int i = 0; i < input.Length; i++)
                    {
                        output[i] = output[i] / summed;
                    }
                }
            }
            """),
        ("EpsilonActivationLayer", """
            using System;
            namespace Layers;
            public sealed class Batched
            {
                private readonly float[,] values = new float[1, 4];
                public float this[int b, int i] { get => values[b, i]; set => values[b, i] = value; }
            }
            public sealed class InputShape { public int flatBatchSize = 4; }
            public abstract class ActivationLayer
            {
                protected const float epsilon = 1e-7f;
                protected Batched input = new(), output = new();
                protected InputShape inputShape = new();
                protected abstract void ForwardAction(int batch);
            }
            public unsafe class Softmax : ActivationLayer
            {
                protected sealed override void ForwardAction(int batch)
                {
                    float sum = epsilon;
                    for (int i = 0; i < inputShape.flatBatchSize; i++)
                    {
                        sum += (float)Math.Exp(input[batch, i]);
                    }
                    for (int i = 0; i < inputShape.flatBatchSize; i++)
                    {
                        output[batch, i] = (float)(Math.Exp(input[batch, i] + epsilon) / sum);
                    }
                }
            }
            """),
        ("UnitySoftmaxFilterInPlace", """
            using UnityEngine;
            public static class MathUtil
            {
                public static float Reciprocal(float v)
                {
                    return Mathf.Approximately(v, 0.0f) ? 0.0f : 1.0f / v;
                }
                public static float[] SoftmaxFliter(float[] input) {
                    var sum = 0f;
                    for (var i = 0; i < input.Length; i++) sum += (float)System.Math.Exp(input[i]);
                    for (var i = 0; i < input.Length; i++) input[i] = (float)System.Math.Exp(input[i]) / sum;
                    return input;
                }
            }
            """),
        ("TensorLayerOutputsField", """
            using System;
            namespace Layers;
            public sealed class Tensor
            {
                private readonly float[] data;
                public Tensor(int n) { data = new float[n]; }
                public int Length => data.Length;
                public float this[int i] { get => data[i]; set => data[i] = value; }
            }
            public sealed class SoftmaxLayer
            {
                public Tensor Outputs { get; } = new Tensor(10);
                public Tensor CalculateOutputs(Tensor inputs, bool training = false)
                {
                    float sum = 0f;
                    for (int i = 0; i < inputs.Length; i++)
                    {
                        sum += (float)Math.Exp(inputs[i]);
                    }
                    for (int i = 0; i < inputs.Length; i++)
                    {
                        Outputs[i] = (float)Math.Exp(inputs[i]) / sum;
                    }
                    return Outputs;
                }
            }
            """),
        ("QRuleBoltzmannExptHelper", """
            using System;
            using System.Collections.Generic;
            namespace QLearning;
            public sealed class QRule<S, A> { public double QValue; }
            public static class Agent<S, A>
            {
                public static QRule<S, A> BoltzmanSelect(IEnumerable<QRule<S, A>> rules, double T)
                {
                    var rand = new Random();
                    double sum = 0;
                    foreach (var rule in rules)
                    {
                        sum += expt(rule.QValue, T);
                        if (Double.IsInfinity(sum))
                        {
                            throw new Exception("Boltzmann: the sum of the denominator became infinite; raise T");
                        }
                    }
                    double r = rand.NextDouble() * sum;
                    double cum = 0;
                    foreach (var rule in rules)
                    {
                        cum += expt(rule.QValue, T);
                        if (r < cum)
                        {
                            return rule;
                        }
                    }
                    throw new Exception("rule selection failed; adjust the temperature T");
                }
                static double expt(double p, double T)
                {
                    return Math.Exp(p / T);
                }
            }
            """),
        ("TrainerForeachNeuronsField", """
            using System;
            using System.Linq;
            namespace Classifier;
            public static class Utils
            {
                public static double exp1(double x) => Math.Exp(x);
            }
            public sealed class Perceptron
            {
                private float[] Neurons = new float[10];
                private float[] Error = new float[10];
                public float Test(float[] target)
                {
                    var Loss = 0f;
                    //Calc EXP SUM
                    var ExpSum = 0f;
                    foreach (var neuron in Neurons)
                    {
                        ExpSum += (float)Math.Exp(neuron);
                    }
                    //CalcError/activate
                    for (int i = 0; i < Neurons.Length; i++)
                    {
                        Error[i] = (float)Utils.exp1(Neurons[i]) / ExpSum;
                        Loss += target[i] * (float)Math.Log(Error[i]);
                        Error[i] = (float)Math.Round(Error[i]);
                    }
                    return -Loss;
                }
            }
            """),
        ("TrainerForwardBackwardSplit", """
            using System;
            namespace Classifier;
            public static class Utils
            {
                public static double exp1(double x) => Math.Exp(x);
            }
            public sealed class Perceptron
            {
                private float[] Neurons = new float[10];
                private float[] Bias = new float[10];
                private float[] Error = new float[10];
                public float Forward(float[] input)
                {
                    var ExpSum = 0f;
                    for (int i = 0; i < Neurons.Length; i++)
                    {
                        Neurons[i] = Bias[i] + input[i];
                        //Calc EXP SUM
                        ExpSum += (float)Utils.exp1(Neurons[i]);
                    }
                    return ExpSum;
                }
                public float Backward(float[] target, float ExpSum)
                {
                    var Loss = 0f;
                    for (int i = 0; i < Error.Length; i++)
                    {
                        Error[i] = (float)Utils.exp1(Neurons[i]) / ExpSum;
                        Loss += target[i] * (float)Math.Log(Error[i]);
                    }
                    return Loss;
                }
                public float Step(float[] input, float[] target)
                {
                    var ExpSum = Forward(input);
                    return -Backward(target, ExpSum);
                }
            }
            """),
    ];
}
