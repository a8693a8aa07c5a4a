using System;
using SoftmaxGen;

namespace SoftmaxGen.Benchmarks;

/// <summary>The generated kernels under test: one per (operation, element type, K) of the benchmark grid.</summary>
internal static partial class Kernels
{
    [Softmax(2)] public static partial void Softmax_float_2(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(2)] public static partial void LogSoftmax_float_2(ReadOnlySpan<float> x, Span<float> y);
    [LogSumExp(2)] public static partial void LogSumExp_float_2(ReadOnlySpan<float> x, Span<float> results);
    [Softmax(4)] public static partial void Softmax_float_4(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(4)] public static partial void LogSoftmax_float_4(ReadOnlySpan<float> x, Span<float> y);
    [LogSumExp(4)] public static partial void LogSumExp_float_4(ReadOnlySpan<float> x, Span<float> results);
    [Softmax(10)] public static partial void Softmax_float_10(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(10)] public static partial void LogSoftmax_float_10(ReadOnlySpan<float> x, Span<float> y);
    [LogSumExp(10)] public static partial void LogSumExp_float_10(ReadOnlySpan<float> x, Span<float> results);
    [Softmax(16)] public static partial void Softmax_float_16(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(16)] public static partial void LogSoftmax_float_16(ReadOnlySpan<float> x, Span<float> y);
    [LogSumExp(16)] public static partial void LogSumExp_float_16(ReadOnlySpan<float> x, Span<float> results);
    [Softmax(32)] public static partial void Softmax_float_32(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(32)] public static partial void LogSoftmax_float_32(ReadOnlySpan<float> x, Span<float> y);
    [LogSumExp(32)] public static partial void LogSumExp_float_32(ReadOnlySpan<float> x, Span<float> results);
    [Softmax(64)] public static partial void Softmax_float_64(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(64)] public static partial void LogSoftmax_float_64(ReadOnlySpan<float> x, Span<float> y);
    [LogSumExp(64)] public static partial void LogSumExp_float_64(ReadOnlySpan<float> x, Span<float> results);
    [Softmax(128)] public static partial void Softmax_float_128(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(128)] public static partial void LogSoftmax_float_128(ReadOnlySpan<float> x, Span<float> y);
    [LogSumExp(128)] public static partial void LogSumExp_float_128(ReadOnlySpan<float> x, Span<float> results);
    [Softmax(1000)] public static partial void Softmax_float_1000(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(1000)] public static partial void LogSoftmax_float_1000(ReadOnlySpan<float> x, Span<float> y);
    [LogSumExp(1000)] public static partial void LogSumExp_float_1000(ReadOnlySpan<float> x, Span<float> results);
    [Softmax(32000)] public static partial void Softmax_float_32000(ReadOnlySpan<float> x, Span<float> y);
    [LogSoftmax(32000)] public static partial void LogSoftmax_float_32000(ReadOnlySpan<float> x, Span<float> y);
    [LogSumExp(32000)] public static partial void LogSumExp_float_32000(ReadOnlySpan<float> x, Span<float> results);
    [Softmax(2)] public static partial void Softmax_double_2(ReadOnlySpan<double> x, Span<double> y);
    [LogSoftmax(2)] public static partial void LogSoftmax_double_2(ReadOnlySpan<double> x, Span<double> y);
    [LogSumExp(2)] public static partial void LogSumExp_double_2(ReadOnlySpan<double> x, Span<double> results);
    [Softmax(4)] public static partial void Softmax_double_4(ReadOnlySpan<double> x, Span<double> y);
    [LogSoftmax(4)] public static partial void LogSoftmax_double_4(ReadOnlySpan<double> x, Span<double> y);
    [LogSumExp(4)] public static partial void LogSumExp_double_4(ReadOnlySpan<double> x, Span<double> results);
    [Softmax(10)] public static partial void Softmax_double_10(ReadOnlySpan<double> x, Span<double> y);
    [LogSoftmax(10)] public static partial void LogSoftmax_double_10(ReadOnlySpan<double> x, Span<double> y);
    [LogSumExp(10)] public static partial void LogSumExp_double_10(ReadOnlySpan<double> x, Span<double> results);
    [Softmax(16)] public static partial void Softmax_double_16(ReadOnlySpan<double> x, Span<double> y);
    [LogSoftmax(16)] public static partial void LogSoftmax_double_16(ReadOnlySpan<double> x, Span<double> y);
    [LogSumExp(16)] public static partial void LogSumExp_double_16(ReadOnlySpan<double> x, Span<double> results);
    [Softmax(32)] public static partial void Softmax_double_32(ReadOnlySpan<double> x, Span<double> y);
    [LogSoftmax(32)] public static partial void LogSoftmax_double_32(ReadOnlySpan<double> x, Span<double> y);
    [LogSumExp(32)] public static partial void LogSumExp_double_32(ReadOnlySpan<double> x, Span<double> results);
    [Softmax(64)] public static partial void Softmax_double_64(ReadOnlySpan<double> x, Span<double> y);
    [LogSoftmax(64)] public static partial void LogSoftmax_double_64(ReadOnlySpan<double> x, Span<double> y);
    [LogSumExp(64)] public static partial void LogSumExp_double_64(ReadOnlySpan<double> x, Span<double> results);
    [Softmax(128)] public static partial void Softmax_double_128(ReadOnlySpan<double> x, Span<double> y);
    [LogSoftmax(128)] public static partial void LogSoftmax_double_128(ReadOnlySpan<double> x, Span<double> y);
    [LogSumExp(128)] public static partial void LogSumExp_double_128(ReadOnlySpan<double> x, Span<double> results);
    [Softmax(1000)] public static partial void Softmax_double_1000(ReadOnlySpan<double> x, Span<double> y);
    [LogSoftmax(1000)] public static partial void LogSoftmax_double_1000(ReadOnlySpan<double> x, Span<double> y);
    [LogSumExp(1000)] public static partial void LogSumExp_double_1000(ReadOnlySpan<double> x, Span<double> results);
    [Softmax(32000)] public static partial void Softmax_double_32000(ReadOnlySpan<double> x, Span<double> y);
    [LogSoftmax(32000)] public static partial void LogSoftmax_double_32000(ReadOnlySpan<double> x, Span<double> y);
    [LogSumExp(32000)] public static partial void LogSumExp_double_32000(ReadOnlySpan<double> x, Span<double> results);
}
