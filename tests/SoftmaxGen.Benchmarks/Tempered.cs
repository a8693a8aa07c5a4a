using System;
using System.Numerics;
using BenchmarkDotNet.Attributes;
using SoftmaxGen;

namespace SoftmaxGen.Benchmarks;

/// <summary>The tempered softmax kernels of the benchmark grid (compile-time Temperature = 2).</summary>
internal static partial class TemperedKernels
{
    [Softmax(2, Temperature = 2)] public static partial void TemperedSoftmax_float_2(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(4, Temperature = 2)] public static partial void TemperedSoftmax_float_4(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(10, Temperature = 2)] public static partial void TemperedSoftmax_float_10(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(16, Temperature = 2)] public static partial void TemperedSoftmax_float_16(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(32, Temperature = 2)] public static partial void TemperedSoftmax_float_32(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(64, Temperature = 2)] public static partial void TemperedSoftmax_float_64(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(128, Temperature = 2)] public static partial void TemperedSoftmax_float_128(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(1000, Temperature = 2)] public static partial void TemperedSoftmax_float_1000(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(32000, Temperature = 2)] public static partial void TemperedSoftmax_float_32000(ReadOnlySpan<float> x, Span<float> y);
    [Softmax(2, Temperature = 2)] public static partial void TemperedSoftmax_double_2(ReadOnlySpan<double> x, Span<double> y);
    [Softmax(4, Temperature = 2)] public static partial void TemperedSoftmax_double_4(ReadOnlySpan<double> x, Span<double> y);
    [Softmax(10, Temperature = 2)] public static partial void TemperedSoftmax_double_10(ReadOnlySpan<double> x, Span<double> y);
    [Softmax(16, Temperature = 2)] public static partial void TemperedSoftmax_double_16(ReadOnlySpan<double> x, Span<double> y);
    [Softmax(32, Temperature = 2)] public static partial void TemperedSoftmax_double_32(ReadOnlySpan<double> x, Span<double> y);
    [Softmax(64, Temperature = 2)] public static partial void TemperedSoftmax_double_64(ReadOnlySpan<double> x, Span<double> y);
    [Softmax(128, Temperature = 2)] public static partial void TemperedSoftmax_double_128(ReadOnlySpan<double> x, Span<double> y);
    [Softmax(1000, Temperature = 2)] public static partial void TemperedSoftmax_double_1000(ReadOnlySpan<double> x, Span<double> y);
    [Softmax(32000, Temperature = 2)] public static partial void TemperedSoftmax_double_32000(ReadOnlySpan<double> x, Span<double> y);
}

/// <summary>
/// Softmax with Temperature = 2 against the untempered [Softmax] kernel of the same K on the same logits: the tempered rows take
/// the same vector paths with the scaled exp (issue 13: they were scalar, about 5× slower at K = 10).
/// </summary>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class TemperedSoftmaxBench<T> : BatchBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Batch<T>? _tempered;

    protected override string Operation => "Softmax";

    private Batch<T> Tempered() => _tempered ??= KernelOf<Batch<T>>(typeof(TemperedKernels), "TemperedSoftmax");

    [Benchmark(Description = "Generated")]
    public void Generated() => Tempered()(X, Y);

    [Benchmark(Baseline = true, Description = "Untempered")]
    public void Untempered()
    {
        Tempered();
        Kernel(X, Y);
    }
}
