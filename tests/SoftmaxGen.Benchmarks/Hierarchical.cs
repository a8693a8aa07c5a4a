using System;
using System.Linq;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using SoftmaxGen;

namespace SoftmaxGen.Benchmarks;

/// <summary>The kernels of <see cref="HierarchicalBench"/>: K = 10 000 classes with Zipf counts (zipf10000.txt), D = 128.</summary>
internal static partial class HierarchicalKernels
{
    public const int K = 10000, D = 128;

    [HierarchicalSoftmax(CountsFile = "zipf10000.txt", Dimension = D)]
    public static partial float LogProbability(ReadOnlySpan<float> hidden, ReadOnlySpan<float> nodeWeights, int classIndex);

    [HierarchicalSoftmax(CountsFile = "zipf10000.txt", Dimension = D)]
    public static partial void LogProbabilities(ReadOnlySpan<float> hidden, ReadOnlySpan<float> nodeWeights, Span<float> logProbabilities);

    [SoftmaxCrossEntropy(K)]
    public static partial float CrossEntropy(ReadOnlySpan<float> logits, int target);
}

/// <summary>
/// One example's loss with K = 10 000 classes and D = 128: the hierarchical softmax's −log p(c | h) (one path of the Huffman
/// tree of Zipf counts) against the full softmax cross-entropy over the same K logits computed from the same h (logits = W·h by
/// TensorPrimitives.Dot per row, then the generated [SoftmaxCrossEntropy]). Targets are drawn from the same Zipf distribution,
/// so frequent classes (short paths) come up as often as in training. 64 examples per invocation.
/// </summary>
public class HierarchicalBench
{
    private const int Examples = 64;
    private float[] _h = [], _nodeWeights = [], _fullWeights = [], _logits = [], _all = [];
    private int[] _targets = [];

    [GlobalSetup]
    public void Setup()
    {
        const int K = HierarchicalKernels.K, D = HierarchicalKernels.D;
        var random = new Random(11);
        _h = [.. Enumerable.Range(0, Examples * D).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        _nodeWeights = [.. Enumerable.Range(0, (K - 1) * D).Select(_ => (float)((random.NextDouble() - 0.5) * 0.2))];
        _fullWeights = [.. Enumerable.Range(0, K * D).Select(_ => (float)((random.NextDouble() - 0.5) * 0.2))];
        _logits = new float[K];
        _all = new float[K];

        // Zipf targets: P(r) ∝ 1 / (r + 1), by inverting the cumulative distribution.
        double[] cumulative = new double[K];
        double total = 0;
        for (int r = 0; r < K; r++) cumulative[r] = total += 1.0 / (r + 1);
        _targets = [.. Enumerable.Range(0, Examples).Select(_ =>
        {
            int r = Array.BinarySearch(cumulative, random.NextDouble() * total);
            return Math.Min(K - 1, r < 0 ? ~r : r);
        })];
    }

    [Benchmark(Description = "Hierarchical (one class)", OperationsPerInvoke = Examples)]
    public float Hierarchical()
    {
        float loss = 0;
        for (int e = 0; e < Examples; e++)
        {
            loss -= HierarchicalKernels.LogProbability(_h.AsSpan(e * HierarchicalKernels.D, HierarchicalKernels.D), _nodeWeights, _targets[e]);
        }

        return loss;
    }

    [Benchmark(Baseline = true, Description = "Full softmax CE", OperationsPerInvoke = Examples)]
    public float FullSoftmax()
    {
        float loss = 0;
        for (int e = 0; e < Examples; e++)
        {
            ReadOnlySpan<float> h = _h.AsSpan(e * HierarchicalKernels.D, HierarchicalKernels.D);
            for (int c = 0; c < HierarchicalKernels.K; c++)
            {
                _logits[c] = TensorPrimitives.Dot(_fullWeights.AsSpan(c * HierarchicalKernels.D, HierarchicalKernels.D), h);
            }

            loss += HierarchicalKernels.CrossEntropy(_logits, _targets[e]);
        }

        return loss;
    }

    [Benchmark(Description = "Hierarchical (all classes)", OperationsPerInvoke = Examples)]
    public float HierarchicalAll()
    {
        float sum = 0;
        for (int e = 0; e < Examples; e++)
        {
            HierarchicalKernels.LogProbabilities(_h.AsSpan(e * HierarchicalKernels.D, HierarchicalKernels.D), _nodeWeights, _all);
            sum += _all[_targets[e]];
        }

        return sum;
    }
}
