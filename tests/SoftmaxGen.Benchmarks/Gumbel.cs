using System;
using System.Linq;
using System.Numerics;
using BenchmarkDotNet.Attributes;
using SoftmaxGen;

namespace SoftmaxGen.Benchmarks;

/// <summary>The [GumbelSoftmax] kernels of the benchmark grid.</summary>
internal static partial class GumbelKernels
{
    [GumbelSoftmax(2)] public static partial void Gumbel_float_2(ReadOnlySpan<float> x, ReadOnlySpan<float> uniforms, Span<float> y);
    [GumbelSoftmax(4)] public static partial void Gumbel_float_4(ReadOnlySpan<float> x, ReadOnlySpan<float> uniforms, Span<float> y);
    [GumbelSoftmax(10)] public static partial void Gumbel_float_10(ReadOnlySpan<float> x, ReadOnlySpan<float> uniforms, Span<float> y);
    [GumbelSoftmax(16)] public static partial void Gumbel_float_16(ReadOnlySpan<float> x, ReadOnlySpan<float> uniforms, Span<float> y);
    [GumbelSoftmax(32)] public static partial void Gumbel_float_32(ReadOnlySpan<float> x, ReadOnlySpan<float> uniforms, Span<float> y);
    [GumbelSoftmax(64)] public static partial void Gumbel_float_64(ReadOnlySpan<float> x, ReadOnlySpan<float> uniforms, Span<float> y);
    [GumbelSoftmax(128)] public static partial void Gumbel_float_128(ReadOnlySpan<float> x, ReadOnlySpan<float> uniforms, Span<float> y);
    [GumbelSoftmax(1000)] public static partial void Gumbel_float_1000(ReadOnlySpan<float> x, ReadOnlySpan<float> uniforms, Span<float> y);
    [GumbelSoftmax(32000)] public static partial void Gumbel_float_32000(ReadOnlySpan<float> x, ReadOnlySpan<float> uniforms, Span<float> y);
    [GumbelSoftmax(2)] public static partial void Gumbel_double_2(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<double> y);
    [GumbelSoftmax(4)] public static partial void Gumbel_double_4(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<double> y);
    [GumbelSoftmax(10)] public static partial void Gumbel_double_10(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<double> y);
    [GumbelSoftmax(16)] public static partial void Gumbel_double_16(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<double> y);
    [GumbelSoftmax(32)] public static partial void Gumbel_double_32(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<double> y);
    [GumbelSoftmax(64)] public static partial void Gumbel_double_64(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<double> y);
    [GumbelSoftmax(128)] public static partial void Gumbel_double_128(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<double> y);
    [GumbelSoftmax(1000)] public static partial void Gumbel_double_1000(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<double> y);
    [GumbelSoftmax(32000)] public static partial void Gumbel_double_32000(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<double> y);
}

public delegate void GumbelBatch<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> uniforms, Span<T> y);

/// <summary>
/// A Gumbel-softmax sample per row: the generated [GumbelSoftmax] kernel (scalar, g in double from the exact u, x + g kept exactly)
/// against what users compose today: g_i = −log(−log u_i) by hand (T.Log, in T) added to x, then the stable [Softmax] kernel.
/// </summary>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class GumbelBench<T> : BatchBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private GumbelBatch<T>? _kernel;
    private T[] _uniforms = [];

    protected override string Operation => "Softmax";

    private GumbelBatch<T> Sampler()
    {
        if (_kernel is null)
        {
            _kernel = KernelOf<GumbelBatch<T>>(typeof(GumbelKernels), "Gumbel");
            var random = new Random(7);
            _uniforms = [.. Enumerable.Range(0, X.Length).Select(_ => T.CreateTruncating((random.NextDouble() * 0.998) + 0.001))];
        }

        return _kernel;
    }

    [Benchmark(Description = "Generated")]
    public void Generated() => Sampler()(X, _uniforms, Y);

    [Benchmark(Baseline = true, Description = "g + Softmax")]
    public void ByHand()
    {
        Sampler();
        for (int i = 0; i < X.Length; i++)
        {
            Scratch[i] = X[i] - T.Log(-T.Log(_uniforms[i]));
        }

        Kernel(Scratch, Y);
    }
}
