using System;
using SoftmaxGen;

namespace SoftmaxGen.Benchmarks;

/// <summary>The fused cross-entropy kernels (loss and gradient per row) and the arg-max kernels of the benchmark grid.</summary>
internal static partial class TrainingAndChoiceKernels
{
    [SoftmaxCrossEntropy(2)] public static partial void CrossEntropy_float_2(ReadOnlySpan<float> x, ReadOnlySpan<int> targets, Span<float> losses, Span<float> gradients);
    [SoftmaxCrossEntropy(4)] public static partial void CrossEntropy_float_4(ReadOnlySpan<float> x, ReadOnlySpan<int> targets, Span<float> losses, Span<float> gradients);
    [SoftmaxCrossEntropy(10)] public static partial void CrossEntropy_float_10(ReadOnlySpan<float> x, ReadOnlySpan<int> targets, Span<float> losses, Span<float> gradients);
    [SoftmaxCrossEntropy(16)] public static partial void CrossEntropy_float_16(ReadOnlySpan<float> x, ReadOnlySpan<int> targets, Span<float> losses, Span<float> gradients);
    [SoftmaxCrossEntropy(32)] public static partial void CrossEntropy_float_32(ReadOnlySpan<float> x, ReadOnlySpan<int> targets, Span<float> losses, Span<float> gradients);
    [SoftmaxCrossEntropy(64)] public static partial void CrossEntropy_float_64(ReadOnlySpan<float> x, ReadOnlySpan<int> targets, Span<float> losses, Span<float> gradients);
    [SoftmaxCrossEntropy(128)] public static partial void CrossEntropy_float_128(ReadOnlySpan<float> x, ReadOnlySpan<int> targets, Span<float> losses, Span<float> gradients);
    [SoftmaxCrossEntropy(1000)] public static partial void CrossEntropy_float_1000(ReadOnlySpan<float> x, ReadOnlySpan<int> targets, Span<float> losses, Span<float> gradients);
    [SoftmaxCrossEntropy(32000)] public static partial void CrossEntropy_float_32000(ReadOnlySpan<float> x, ReadOnlySpan<int> targets, Span<float> losses, Span<float> gradients);
    [SoftmaxCrossEntropy(2)] public static partial void CrossEntropy_double_2(ReadOnlySpan<double> x, ReadOnlySpan<int> targets, Span<double> losses, Span<double> gradients);
    [SoftmaxCrossEntropy(4)] public static partial void CrossEntropy_double_4(ReadOnlySpan<double> x, ReadOnlySpan<int> targets, Span<double> losses, Span<double> gradients);
    [SoftmaxCrossEntropy(10)] public static partial void CrossEntropy_double_10(ReadOnlySpan<double> x, ReadOnlySpan<int> targets, Span<double> losses, Span<double> gradients);
    [SoftmaxCrossEntropy(16)] public static partial void CrossEntropy_double_16(ReadOnlySpan<double> x, ReadOnlySpan<int> targets, Span<double> losses, Span<double> gradients);
    [SoftmaxCrossEntropy(32)] public static partial void CrossEntropy_double_32(ReadOnlySpan<double> x, ReadOnlySpan<int> targets, Span<double> losses, Span<double> gradients);
    [SoftmaxCrossEntropy(64)] public static partial void CrossEntropy_double_64(ReadOnlySpan<double> x, ReadOnlySpan<int> targets, Span<double> losses, Span<double> gradients);
    [SoftmaxCrossEntropy(128)] public static partial void CrossEntropy_double_128(ReadOnlySpan<double> x, ReadOnlySpan<int> targets, Span<double> losses, Span<double> gradients);
    [SoftmaxCrossEntropy(1000)] public static partial void CrossEntropy_double_1000(ReadOnlySpan<double> x, ReadOnlySpan<int> targets, Span<double> losses, Span<double> gradients);
    [SoftmaxCrossEntropy(32000)] public static partial void CrossEntropy_double_32000(ReadOnlySpan<double> x, ReadOnlySpan<int> targets, Span<double> losses, Span<double> gradients);
    [ArgMax(2)] public static partial void ArgMax_float_2(ReadOnlySpan<float> x, Span<int> indices);
    [ArgMax(4)] public static partial void ArgMax_float_4(ReadOnlySpan<float> x, Span<int> indices);
    [ArgMax(10)] public static partial void ArgMax_float_10(ReadOnlySpan<float> x, Span<int> indices);
    [ArgMax(16)] public static partial void ArgMax_float_16(ReadOnlySpan<float> x, Span<int> indices);
    [ArgMax(32)] public static partial void ArgMax_float_32(ReadOnlySpan<float> x, Span<int> indices);
    [ArgMax(64)] public static partial void ArgMax_float_64(ReadOnlySpan<float> x, Span<int> indices);
    [ArgMax(128)] public static partial void ArgMax_float_128(ReadOnlySpan<float> x, Span<int> indices);
    [ArgMax(1000)] public static partial void ArgMax_float_1000(ReadOnlySpan<float> x, Span<int> indices);
    [ArgMax(32000)] public static partial void ArgMax_float_32000(ReadOnlySpan<float> x, Span<int> indices);
    [ArgMax(2)] public static partial void ArgMax_double_2(ReadOnlySpan<double> x, Span<int> indices);
    [ArgMax(4)] public static partial void ArgMax_double_4(ReadOnlySpan<double> x, Span<int> indices);
    [ArgMax(10)] public static partial void ArgMax_double_10(ReadOnlySpan<double> x, Span<int> indices);
    [ArgMax(16)] public static partial void ArgMax_double_16(ReadOnlySpan<double> x, Span<int> indices);
    [ArgMax(32)] public static partial void ArgMax_double_32(ReadOnlySpan<double> x, Span<int> indices);
    [ArgMax(64)] public static partial void ArgMax_double_64(ReadOnlySpan<double> x, Span<int> indices);
    [ArgMax(128)] public static partial void ArgMax_double_128(ReadOnlySpan<double> x, Span<int> indices);
    [ArgMax(1000)] public static partial void ArgMax_double_1000(ReadOnlySpan<double> x, Span<int> indices);
    [ArgMax(32000)] public static partial void ArgMax_double_32000(ReadOnlySpan<double> x, Span<int> indices);

    // [SoftmaxSample]: one draw per row.
    [SoftmaxSample(2)] public static partial void Sample_float_2(ReadOnlySpan<float> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(4)] public static partial void Sample_float_4(ReadOnlySpan<float> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(10)] public static partial void Sample_float_10(ReadOnlySpan<float> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(16)] public static partial void Sample_float_16(ReadOnlySpan<float> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(32)] public static partial void Sample_float_32(ReadOnlySpan<float> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(64)] public static partial void Sample_float_64(ReadOnlySpan<float> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(128)] public static partial void Sample_float_128(ReadOnlySpan<float> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(1000)] public static partial void Sample_float_1000(ReadOnlySpan<float> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(32000)] public static partial void Sample_float_32000(ReadOnlySpan<float> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(2)] public static partial void Sample_double_2(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(4)] public static partial void Sample_double_4(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(10)] public static partial void Sample_double_10(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(16)] public static partial void Sample_double_16(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(32)] public static partial void Sample_double_32(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(64)] public static partial void Sample_double_64(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(128)] public static partial void Sample_double_128(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(1000)] public static partial void Sample_double_1000(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<int> samples);
    [SoftmaxSample(32000)] public static partial void Sample_double_32000(ReadOnlySpan<double> x, ReadOnlySpan<double> uniforms, Span<int> samples);
}
