namespace SoftmaxGen.Tests.Analyzers.HeldOut;

/// <summary>
/// Held-out correct files from public C# repositories (trimmed to one compilable file, shape kept): max-shifted
/// softmax, log-softmax, log-sum-exp and cross-entropy in loops, LINQ, 2-D arrays, pointers, spans, stackalloc and
/// <c>TensorPrimitives</c>, and code that uses exp without normalising it by a sum of the same values (Gaussian
/// weights, kernel densities, exps of log-probabilities). Where each came from is in README.md. None may be reported.
/// </summary>
internal static class HeldOutCorrect
{
    public static IReadOnlyList<(string Name, string Source)> Files { get; } =
    [
        ("SportMatchLinqMax", """
            using System;
            using System.Linq;
            namespace SportMatchPredictor.ML;
            public static class MathHelpers
            {
                public static float[] Softmax(float[] scores)
                {
                    if (scores == null || scores.Length == 0) return Array.Empty<float>();
                    var max = scores.Max();
                    var exps = scores.Select(s => MathF.Exp(s - max)).ToArray();
                    var sum = exps.Sum();
                    if (sum <= 0) return scores.Select(_ => 0f).ToArray();
                    return exps.Select(e => e / sum).ToArray();
                }
            }
            """),
        ("MinGptForeachMax", """
            using System;
            namespace mingpt6;
            public static class ActivationFunctions
            {
                public static double[] Softmax (double[] logits) {
                    double maxLogit = double.MinValue;
                    foreach (var logit in logits)
                        if (logit > maxLogit)
                            maxLogit = logit;
                    double sumExp = 0;
                    double[] exps = new double[logits.Length];
                    for (int i = 0; i < logits.Length; i++) {
                        exps[i] = Math.Exp (logits[i] - maxLogit);
                        sumExp += exps[i];
                    }
                    double[] softmax = new double[logits.Length];
                    for (int i = 0; i < logits.Length; i++)
                        softmax[i] = exps[i] / sumExp;
                    return softmax;
                }
            }
            """),
        ("MyNlpLogSumExp", """
            using System;
            using System.Linq;
            namespace MyNLP.Helpers;
            public class SpecialFunctions
            {
                public static double LogSumExp(double[] values)
                {
                    int count = values.Length;
                    if (count == 0)
                    {
                        return double.NegativeInfinity;
                    }
                    double A = values.Max();
                    if (A == double.NegativeInfinity)
                    {
                        return double.NegativeInfinity;
                    }
                    double sum = 0;
                    for (int i = 0; i < count; ++i)
                    {
                        sum += System.Math.Exp(values[i] - A);
                    }
                    return A + System.Math.Log(sum);
                }
            }
            """),
        ("NMeCabPairLogSumExp", """
            using System;
            namespace NMeCab.Core;
            public static class Utils
            {
                public static double LogSumExp(double x, double y, bool flg)
                {
                    const double MinusLogEpsilon = 50.0;
                    if (flg) return y;  // init mode
                    double vMin = Math.Min(x, y);
                    double vMax = Math.Max(x, y);
                    if (vMax > vMin + MinusLogEpsilon)
                        return vMax;
                    else
                        return vMax + Math.Log(Math.Exp(vMin - vMax) + 1.0);
                }
            }
            """),
        ("UnityInPlaceShiftByHelper", """
            using UnityEngine;
            public class SoftMaxActivationFunction : MonoBehaviour
            {
                public static float [] softMax(float[] vectorAction)
                {
                    float expSum = 0f;
                    float arrayMaxValue = returnArrayMax(vectorAction);
                    for (int i = 0; i < vectorAction.Length; i++)
                        vectorAction[i] -= arrayMaxValue;
                    for (int i = 0; i < vectorAction.Length; i++)
                        expSum += Mathf.Exp(vectorAction[i]);
                    for (int i = 0; i < vectorAction.Length; i++)
                        vectorAction[i] = Mathf.Exp(vectorAction[i]) / expSum;
                    return vectorAction;
                }
                // Returns Max Value from Array
                public static float returnArrayMax(float[] array)
                {
                    float maxValue = -9999999f;
                    for (int i = 0; i < array.Length; i++)
                        if (array[i] > maxValue)
                            maxValue = array[i];
                    return maxValue;
                }
            }
            """),
        ("MnistLayerFieldsShifted", """
            using System;
            namespace MNIST_NeuralNetwork.Model.Layers;
            public abstract class Layer { public abstract double[] Forward(double[] inputs); }
            public class ActivationSoftmax : Layer
            {
                private double[] inputs;
                private double[] outputs;
                public override double[] Forward(double[] inputs)
                {
                    this.inputs = inputs;
                    outputs = new double[inputs.Length];
                    double maxVal = double.MinValue;
                    for (int i = 0; i < inputs.Length; i++)
                        if (inputs[i] > maxVal) maxVal = inputs[i];
                    // Subtract maxVal for numerical stability
                    double sumExp = 0.0;
                    for (int i = 0; i < inputs.Length; i++)
                    {
                        double expVal = Math.Exp(inputs[i] - maxVal);
                        outputs[i] = expVal;
                        sumExp += expVal;
                    }
                    for (int i = 0; i < outputs.Length; i++)
                        outputs[i] /= sumExp;
                    return outputs;
                }
            }
            """),
        ("CeNiNPointerShifted", """
            using System;
            namespace CeNiN;
            public unsafe sealed class TensorMem { public float* memPtr; public int TotalLength; }
            public unsafe class SoftMax
            {
                public TensorMem inputTensor = new();
                public TensorMem nextInput = new();
                public void feedNext()
                {
                    float max = float.MinValue;
                    for (int i = 0; i < inputTensor.TotalLength; i++)
                        if (inputTensor.memPtr[i] > max)
                            max = inputTensor.memPtr[i];
                    float sum = 0;
                    float* nLMR = nextInput.memPtr;
                    for (int i = 0; i < inputTensor.TotalLength; i++)
                    {
                        nLMR[i] = (float)Math.Exp(inputTensor.memPtr[i] - max);
                        sum += nLMR[i];
                    }
                    for (int i = 0; i < inputTensor.TotalLength; i++)
                        nLMR[i] /= sum;
                }
            }
            """),
        ("DeepSharpCrossEntropyRows", """
            using System;
            namespace DeepSharp;
            public sealed class Tensor { public int[] Shape = { 2, 3 }; public float[] Data = new float[6]; }
            public static class Loss
            {
                public static float[] CrossEntropy(Tensor logits, int[] targets)
                {
                    int B = logits.Shape[0], C = logits.Shape[1];
                    var lossPer = new float[B];
                    var softmax = new float[logits.Data.Length];
                    for (int i = 0; i < B; i++)
                    {
                        // max for numeric stability
                        float max = float.MinValue;
                        for (int j = 0; j < C; j++)
                            max = Math.Max(max, logits.Data[i * C + j]);
                        double sumExp = 0.0;
                        for (int j = 0; j < C; j++)
                        {
                            double e = Math.Exp(logits.Data[i * C + j] - max);
                            softmax[i * C + j] = (float)e;
                            sumExp += e;
                        }
                        double logSumExp = Math.Log(sumExp) + max;
                        int label = targets[i];
                        lossPer[i] = (float)(logSumExp - logits.Data[i * C + label]); // -log P_label
                        for (int j = 0; j < C; j++)
                            softmax[i * C + j] = (float)(softmax[i * C + j] / sumExp);
                    }
                    return lossPer;
                }
            }
            """),
        ("UnityPpoLogSoftmax", """
            using UnityEngine;
            public sealed class PolicyNet
            {
                public static float LogSoftmax(float[] logits, int a)
                {
                    float max = float.NegativeInfinity;
                    for (int i = 0; i < logits.Length; i++) if (logits[i] > max) max = logits[i];
                    float sum = 0f;
                    for (int i = 0; i < logits.Length; i++) sum += Mathf.Exp(logits[i] - max);
                    return (logits[a] - max) - Mathf.Log(Mathf.Max(sum, 1e-8f));
                }
            }
            """),
        ("CorrectedLogitsSampled", """
            using System;
            public sealed class Position
            {
                public int[] SampledMoveIndices = new int[8];
                public float[] SampledMoveLogQ = new float[8];
                public float[] OldSampledMoveProbs = new float[8];
            }
            public static class Trainer
            {
                static void Correct(Position position, float[] fullProbs, int validCount)
                {
                    float maxCorrectedLogit = float.NegativeInfinity;
                    var correctedLogits = new float[validCount];
                    for (int sampleIndex = 0; sampleIndex < validCount; ++sampleIndex)
                    {
                        int moveIndex = position.SampledMoveIndices[sampleIndex];
                        float correctedLogit = MathF.Log(MathF.Max(fullProbs[moveIndex], 1e-9f)) - position.SampledMoveLogQ[sampleIndex];
                        correctedLogits[sampleIndex] = correctedLogit;
                        if (correctedLogit > maxCorrectedLogit)
                            maxCorrectedLogit = correctedLogit;
                    }
                    float expSum = 0f;
                    for (int sampleIndex = 0; sampleIndex < validCount; ++sampleIndex)
                        expSum += MathF.Exp(correctedLogits[sampleIndex] - maxCorrectedLogit);
                    for (int sampleIndex = 0; sampleIndex < validCount; ++sampleIndex)
                        position.OldSampledMoveProbs[sampleIndex] =
                            MathF.Exp(correctedLogits[sampleIndex] - maxCorrectedLogit) / MathF.Max(expSum, 1e-9f);
                }
            }
            """),
        ("GpuBackendCrossEntropyBatch", """
            using System;
            public sealed class CpuBackend
            {
                public float CrossEntropyLoss(float[] p, float[] t, int batchSize, int numClasses)
                {
                    float total = 0;
                    for (int b = 0; b < batchSize; b++)
                    {
                        int target = BitConverter.SingleToInt32Bits(t[b]);
                        float maxVal = float.MinValue;
                        for (int c = 0; c < numClasses; c++) maxVal = MathF.Max(maxVal, p[b * numClasses + c]);
                        float sum = 0;
                        for (int c = 0; c < numClasses; c++) sum += MathF.Exp(p[b * numClasses + c] - maxVal);
                        total += -(p[b * numClasses + target] - maxVal - MathF.Log(sum));
                    }
                    return total / batchSize;
                }
            }
            """),
        ("LanguageModelCrossEntropy2D", """
            using System;
            public static class Eval
            {
                public static float CrossEntropyLoss(float[,] logits, int[] target, int vocabSize)
                {
                    int len = Math.Min(logits.GetLength(0), target.Length);
                    float loss = 0f;
                    for (int i = 0; i < len; i++)
                    {
                        float max = float.NegativeInfinity;
                        for (int j = 0; j < vocabSize; j++) max = Math.Max(max, logits[i, j]);
                        float sum = 0f;
                        for (int j = 0; j < vocabSize; j++) sum += MathF.Exp(logits[i, j] - max);
                        float prob = MathF.Exp(logits[i, target[i]] - max) / sum;
                        loss -= MathF.Log(prob + 1e-10f);
                    }
                    return loss / Math.Max(1, len);
                }
            }
            """),
        ("ShadowKernelGaussianWeights", """
            using System;
            using System.Numerics;
            public static class ShadowPass
            {
                static readonly Vector2[] ShadowSampleKernel = { new(0.1f, 0.2f), new(-0.3f, 0.1f), new(0.2f, -0.4f) };
                public static float[] Weights(int requested)
                {
                    int sampleCount = Math.Clamp(requested, 1, ShadowSampleKernel.Length);
                    var weights = new float[sampleCount];
                    float weightSum = 0f;
                    for (int i = 0; i < sampleCount; i++)
                    {
                        Vector2 s = ShadowSampleKernel[i];
                        float r2 = (s.X * s.X) + (s.Y * s.Y);
                        weightSum += MathF.Exp(-2.5f * r2);
                    }
                    weightSum = MathF.Max(1e-5f, weightSum);
                    for (int i = 0; i < sampleCount; i++)
                    {
                        Vector2 s = ShadowSampleKernel[i];
                        float r2 = (s.X * s.X) + (s.Y * s.Y);
                        weights[i] = MathF.Exp(-2.5f * r2) / weightSum;
                    }
                    return weights;
                }
            }
            """),
        ("WarpSoftmaxReference", """
            using System;
            public static class WarpSoftmaxCheck
            {
                public static float MaxError(float[] scores, float[] actual, int batchHeads, int sequence, bool isCausal)
                {
                    float maxAbsoluteError = 0;
                    for (int row = 0; row < batchHeads * sequence; row++)
                    {
                        int queryRow = row % sequence;
                        int lastColumn = isCausal ? queryRow : sequence - 1;
                        int offset = row * sequence;
                        float maximum = float.NegativeInfinity;
                        for (int column = 0; column <= lastColumn; column++)
                            maximum = MathF.Max(maximum, scores[offset + column]);
                        float sum = 0;
                        for (int column = 0; column <= lastColumn; column++)
                            sum += MathF.Exp(scores[offset + column] - maximum);
                        for (int column = 0; column < sequence; column++)
                        {
                            float expected = column <= lastColumn
                                ? MathF.Exp(scores[offset + column] - maximum) / sum
                                : 0f;
                            maxAbsoluteError = MathF.Max(maxAbsoluteError, MathF.Abs(expected - actual[offset + column]));
                        }
                    }
                    return maxAbsoluteError;
                }
            }
            """),
        ("AngleOccupancyGaussianSum", """
            using System.Collections.Generic;
            using UnityEngine;
            public sealed class Formation
            {
                private float AngleOccupancy(float candidateDeg, List<float> occupied, float sigma)
                {
                    // the more occupied angles near the candidate (within sigma), the larger the value
                    float sum = 0f;
                    float denom = 2f * sigma * sigma;
                    for (int i = 0; i < occupied.Count; i++)
                    {
                        float d = Mathf.DeltaAngle(candidateDeg, occupied[i]);
                        sum += Mathf.Exp(-(d * d) / Mathf.Max(0.0001f, denom));
                    }
                    return sum;
                }
            }
            """),
        ("AtomGaussianKernel", """
            using System;
            namespace Atom.MachineLearning.Core.Maths;
            public static class MLMath
            {
                public static double Gaussian(double distance, double radius)
                {
                    return Math.Exp(-distance / (2 * radius * radius));
                }
            }
            """),
        ("SnappyDensities", """
            using System;
            namespace Snappy.Functions;
            public static class ProbabilityFunctions
            {
                const double Square_Root_Of_Two_Pi = 2.5066282746310002;
                public static double ExponentialDistribution(double input, double beta)
                {
                    if (input < 0) { throw new ArgumentException("Must be a positive value"); }
                    return (1 / beta) * Math.Exp(-input / beta);
                }
                public static double Gaussian(double distance, double sigma)
                {
                    return (1 / sigma * Square_Root_Of_Two_Pi) * Math.Exp(-(distance * distance) / (2 * sigma * sigma));
                }
            }
            """),
        ("UnitySoftRange", """
            using UnityEngine;
            namespace Assets.Scripts.Utils;
            public static class Statistics
            {
                public static float SoftRange(float x, float min, float max)
                {
                    const float factor = 0.1f; // ~0.22f on the bounds
                    var range = max - min;
                    var median = min + range * 0.5f;
                    return Mathf.Exp(-Mathf.Pow(x - median, 2) / (factor * 2f * range * range));
                }
                public static float RandomExp(float w = 1f)
                {
                    return -Mathf.Log(1 - Random.value) * w;
                }
            }
            """),
        ("MicrogradValueLargest", """
            using System;
            namespace Micrograd;
            public sealed class Value
            {
                public float data;
                public Value(float data) { this.data = data; }
                public static Value operator -(Value a, Value b) => new(a.data - b.data);
                public static Value operator +(Value a, Value b) => new(a.data + b.data);
                public static Value operator /(Value a, Value b) => new(a.data / b.data);
                public Value Exp() => new(MathF.Exp(data));
            }
            public class Softmax
            {
                public static Value[] Activate(Value[] x)
                {
                    Value[] output = x;
                    // subtract the largest value from all others to avoid exploding values because of exp
                    float largest = 0f;
                    for (int i = 0; i < output.Length; i++)
                    {
                        if (output[i].data > largest)
                        {
                            largest = output[i].data;
                        }
                    }
                    Value largestValue = new(largest);
                    for (int i = 0; i < output.Length; i++)
                    {
                        Value toExp = output[i] - largestValue;
                        output[i] = toExp.Exp();
                    }
                    Value sum = new(0f);
                    for (int i = 0; i < output.Length; i++)
                    {
                        sum = sum + output[i];
                    }
                    for (int i = 0; i < output.Length; i++)
                    {
                        output[i] = output[i] / sum;
                    }
                    return output;
                }
            }
            """),
        ("TensorPrimitivesSpanShift", """
            using System;
            using System.Numerics.Tensors;
            public static class Ops
            {
                public static void Softmax(Span<float> x)
                {
                    float max = TensorPrimitives.Max(x);
                    TensorPrimitives.Subtract(x, max, x);
                    TensorPrimitives.Exp(x, x);
                    float sum = TensorPrimitives.Sum(x);
                    TensorPrimitives.Divide(x, sum, x);
                }
            }
            """),
        ("TensorPrimitivesRowsParallel", """
            using System;
            using System.Numerics.Tensors;
            using System.Threading.Tasks;
            public sealed class Tensor
            {
                public readonly int Rows, Cols;
                public readonly float[] Data;
                public Tensor(int r, int c) { Rows = r; Cols = c; Data = new float[r * c]; }
            }
            public static class Autograd
            {
                static void ParallelFor(int rows, int cols, Action<int> body) => Parallel.For(0, rows, body);
                /// <summary>Row-wise softmax with max-subtraction for numerical stability.</summary>
                public static Tensor SoftmaxRows(Tensor x)
                {
                    int r = x.Rows, c = x.Cols;
                    var outp = new Tensor(r, c);
                    ParallelFor(r, c, i =>
                    {
                        var row = new ReadOnlySpan<float>(x.Data, i * c, c);
                        var oRow = new Span<float>(outp.Data, i * c, c);
                        float max = TensorPrimitives.Max(row);
                        TensorPrimitives.Subtract(row, max, oRow);
                        TensorPrimitives.Exp(oRow, oRow);
                        float sum = TensorPrimitives.Sum(oRow);
                        TensorPrimitives.Divide(oRow, sum, oRow);
                    });
                    return outp;
                }
            }
            """),
        ("ChessPolicyStackalloc", """
            using System;
            using System.Numerics.Tensors;
            public static class PolicyDecoder
            {
                public static float[] Decode(float[] policy2Logits, int[] indices, int numMoves, float policyTemperature)
                {
                    Span<float> logits2 = stackalloc float[numMoves];
                    float maxLogit2 = float.NegativeInfinity;
                    for (int mv = 0; mv < numMoves; mv++)
                    {
                        float lg2 = policy2Logits[indices[mv]];
                        logits2[mv] = lg2;
                        if (lg2 > maxLogit2)
                        {
                            maxLogit2 = lg2;
                        }
                    }
                    Span<float> p2Probs = stackalloc float[numMoves];
                    TensorPrimitives.Subtract(logits2, maxLogit2, p2Probs);
                    if (policyTemperature != 1.0f)
                    {
                        TensorPrimitives.Multiply(p2Probs, 1.0f / policyTemperature, p2Probs);
                    }
                    TensorPrimitives.Exp(p2Probs, p2Probs);
                    float sum2 = TensorPrimitives.Sum(p2Probs);
                    if (sum2 > 0)
                    {
                        TensorPrimitives.Multiply(p2Probs, 1.0f / sum2, p2Probs);
                    }
                    return p2Probs.ToArray();
                }
            }
            """),
        ("TensorPrimitivesAddNegativeMax", """
            using System;
            using System.Numerics.Tensors;
            public static class SoftmaxKernel
            {
                public static void Execute(ReadOnlySpan<float> input, Span<float> result)
                {
                    // Subtract max for numerical stability, then exp.
                    float max = TensorPrimitives.Max(input);
                    TensorPrimitives.Add(input, -max, result);
                    TensorPrimitives.Exp(result, result);
                    // Normalize by sum.
                    float sum = TensorPrimitives.Sum(result);
                    TensorPrimitives.Multiply(result, 1.0f / sum, result);
                }
                internal static void ExecuteScalar(ReadOnlySpan<float> input, Span<float> result)
                {
                    float max = float.NegativeInfinity;
                    for (int i = 0; i < input.Length; i++)
                        if (input[i] > max) max = input[i];
                    float sum = 0f;
                    for (int i = 0; i < input.Length; i++)
                    {
                        result[i] = MathF.Exp(input[i] - max);
                        sum += result[i];
                    }
                    float inv = 1f / sum;
                    for (int i = 0; i < input.Length; i++)
                        result[i] *= inv;
                }
            }
            """),
        ("SinkhornLogDomain", """
            using System;
            public static class Sinkhorn
            {
                public static void Normalise(float[] logits, int n, int iterations)
                {
                    var reduction = new float[n];
                    for (int it = 0; it < iterations; it++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            float max = float.NegativeInfinity;
                            for (int i = 0; i < n; i++) max = MathF.Max(max, logits[i * n + j]);
                            float sum = 0f;
                            for (int i = 0; i < n; i++) sum += MathF.Exp(logits[i * n + j] - max);
                            reduction[j] = max + MathF.Log(sum);
                        }
                        for (int i = 0; i < n; i++)
                            for (int j = 0; j < n; j++)
                                logits[i * n + j] -= reduction[j];
                    }
                    for (int i = 0; i < logits.Length; i++) logits[i] = MathF.Exp(logits[i]);
                }
            }
            """),
        ("LogProbabilitiesSumToOneCheck", """
            using System;
            public static class SpanMathChecks
            {
                // Sums exp of values that are already log-probabilities (the output of a log-softmax).
                public static bool SumsToOne(ReadOnlySpan<float> logits)
                {
                    var sumProb = 0f;
                    for (var i = 0; i < logits.Length; i++)
                    {
                        sumProb += MathF.Exp(logits[i]);
                    }
                    return MathF.Abs(sumProb - 1f) < 1e-5f;
                }
            }
            """),
        ("MultipolarPointerMax", """
            using System;
            namespace Multipolar.Layers;
            public unsafe class SoftmaxLayer
            {
                public readonly int Size;
                public readonly float[] Output;
                public SoftmaxLayer(int size) { Size = size; Output = new float[size]; }
                public void Feed(float[] input)
                {
                    fixed (float* p_input = &input[0])
                    {
                        Feed(p_input);
                    }
                }
                private void Feed(float* p_input)
                {
                    fixed (float* p_output = &Output[0])
                    {
                        var max = float.MinValue;
                        var scale = 0f;
                        for (var i = 0; i < Size; i++)
                        {
                            max = Math.Max(max, p_input[i]);
                        }
                        for (var i = 0; i < Size; i++)
                        {
                            scale += p_output[i] = (float)Math.Exp(p_input[i] - max);
                        }
                        for (var i = 0; i < Size; i++)
                        {
                            p_output[i] /= scale;
                        }
                    }
                }
            }
            """),
        ("SharpLearningFlatRows", """
            using System;
            namespace SharpLearning.Neural.Providers.DotNetOp;
            public static class SoftMax
            {
                public static void Forward(double[] srcData, double[] dstData, int rows, int cols)
                {
                    for (int row = 0; row < rows; row++)
                    {
                        var rowSum = 0.0;
                        var max = double.MinValue;
                        for (int col = 0; col < cols; ++col)
                        {
                            var index = row * cols + col;
                            var value = srcData[index];
                            if (value > max)
                            {
                                max = value;
                            }
                        }
                        for (int col = 0; col < cols; ++col)
                        {
                            var index = row * cols + col;
                            var value = Math.Exp(srcData[index] - max);
                            rowSum += value;
                            dstData[index] = value;
                        }
                        for (int col = 0; col < cols; ++col)
                        {
                            var index = row * cols + col;
                            dstData[index] = dstData[index] / rowSum;
                        }
                    }
                }
            }
            """),
        ("UnityLinqMaxToList", """
            using System;
            using System.Linq;
            using UnityEngine;
            public class MathFunction
            {
                public static float Sigmoid(float value)
                {
                    var k = (float) Math.Exp(value);
                    return k / (1.0f + k);
                }
                public static float[] Softmax(float[] values)
                {
                    var maxValue = values.Max();
                    var exp = values.Select(v => Math.Exp(v - maxValue)).ToList();
                    var sumExp = exp.Sum();
                    return exp.Select(v => (float)(v / sumExp)).ToArray();
                }
            }
            """),
        ("MlNetSoftMaxArgMaxSkip", """
            using System;
            namespace Ai2_Genetic_Algorithm;
            public class Softmax
            {
                private const double LogTolerance = 30;
                /// <summary>computes log sum_i exp x_i</summary>
                public static double SoftMax(ReadOnlySpan<double> inputs)
                {
                    int maxIdx = 0;
                    double max = double.NegativeInfinity;
                    for (int i = 0; i < inputs.Length; i++)
                    {
                        if (inputs[i] > max)
                        {
                            maxIdx = i;
                            max = inputs[i];
                        }
                    }
                    if (double.IsNegativeInfinity(max))
                        return double.NegativeInfinity;
                    if (inputs.Length == 1)
                        return max;
                    double intermediate = 0.0;
                    double cutoff = max - LogTolerance;
                    for (int i = 0; i < inputs.Length; i++)
                    {
                        if (i == maxIdx)
                            continue;
                        if (inputs[i] > cutoff)
                            intermediate += Math.Exp(inputs[i] - max);
                    }
                    if (intermediate > 0.0)
                        return max + Math.Log(1.0 + intermediate);
                    return max;
                }
            }
            """),
        ("SamplerGuardedShifted", """
            using System;
            public static class TokenSampler
            {
                public static int Sample(ReadOnlySpan<double> scores, ReadOnlySpan<int> tokenIndexes, Random random)
                {
                    var maxScore = scores[0];
                    for (var i = 1; i < scores.Length; i++)
                    {
                        if (scores[i] > maxScore)
                        {
                            maxScore = scores[i];
                        }
                    }
                    var sum = 0.0;
                    for (var i = 0; i < scores.Length; i++)
                    {
                        sum += Math.Exp(scores[i] - maxScore);
                    }
                    if (sum <= 0.0 || double.IsNaN(sum) || double.IsInfinity(sum))
                    {
                        return tokenIndexes[0];
                    }
                    var sample = random.NextDouble() * sum;
                    var cumulative = 0.0;
                    for (var i = 0; i < scores.Length; i++)
                    {
                        cumulative += Math.Exp(scores[i] - maxScore);
                        if (sample <= cumulative)
                        {
                            return tokenIndexes[i];
                        }
                    }
                    return tokenIndexes[^1];
                }
            }
            """),
        ("KernelDensityEstimate", """
            using System;
            public static class Kde
            {
                public static (float[] x, float[] y) Estimate(float[] data, float min, float max, float bandwidth, int sampleCount)
                {
                    float[] x = new float[sampleCount];
                    float[] y = new float[sampleCount];
                    float n = data.Length;
                    float coef = 1.0f / (n * bandwidth * (float)Math.Sqrt(2 * Math.PI));
                    for (int i = 0; i < sampleCount; i++)
                    {
                        x[i] = min + (max - min) * i / (sampleCount - 1);
                        float sum = 0.0f;
                        foreach (float d in data)
                        {
                            float z = (x[i] - d) / bandwidth;
                            sum += (float)Math.Exp(-0.5 * z * z);
                        }
                        y[i] = coef * sum;
                    }
                    return (x, y);
                }
            }
            """),
        ("MaxSoftmaxProbability", """
            using System;
            public static class Confidence
            {
                static float SoftmaxMax(float[] logits)
                {
                    float maxV = float.NegativeInfinity;
                    for (int i = 0; i < logits.Length; i++) if (logits[i] > maxV) maxV = logits[i];
                    float sum = 0f;
                    for (int i = 0; i < logits.Length; i++) sum += (float)Math.Exp(logits[i] - maxV);
                    return 1f / sum;   // max softmax prob = exp(0) / sum = 1/sum
                }
            }
            """),
        ("WearSoftMinimum", """
            using System;
            public static class Wear
            {
                public static float SoftLeast(float[] worn, int faces, float least, float Rounding)
                {
                    float gap = faces > 1 ? Rounding * MathF.Log(faces) : 0f;
                    float soft;
                    if (faces == 0) soft = float.MaxValue;
                    else if (least <= 0f) soft = least;
                    else if (least > gap) soft = least - gap;
                    else
                    {
                        float sum = 0f;
                        for (int i = 0; i < faces; i++)
                        {
                            float e = (worn[i] - least) / Rounding;
                            if (e < 12f) sum += MathF.Exp(-e);
                        }
                        soft = least - Rounding * MathF.Log(sum);
                    }
                    return soft;
                }
            }
            """),
        ("ListLogSumWithMaxArgument", """
            using System;
            using System.Collections.Generic;
            namespace Hmm;
            public static class VectorMath
            {
                public static float MaxElement(List<float> vector)
                {
                    float max = float.NaN;
                    foreach(var v in vector)
                    {
                        if(float.IsNaN(max) || v > max)
                        {
                            max = v;
                        }
                    }
                    return max;
                }
                public static float LogSum(List<float> vector, float f)
                {
                    float sum = 0;
                    foreach(var v in vector)
                    {
                        sum += (float)Math.Exp(v - f);
                    }
                    return (float)Math.Log(sum);
                }
            }
            """),
    ];
}
