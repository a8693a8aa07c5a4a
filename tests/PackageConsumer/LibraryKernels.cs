// Compile-only check: the package on netstandard2.0 (C# 7.3 by default, no SIMD APIs), net8.0 and net9.0.
using System;
using SoftmaxGen;

namespace Lib
{
    public static partial class Kernels
    {
        [Softmax(10)]
        static partial void Softmax10(ReadOnlySpan<float> logits, Span<float> probabilities);

        [LogSumExp]
        static partial void Lse(ReadOnlySpan<double> logits, Span<double> results);

        [SoftmaxBackward(4)]
        static partial void Backward(ReadOnlySpan<float> p, ReadOnlySpan<float> g, Span<float> dx, float temperature);

        public static void Use(float[] x, float[] y) => Softmax10(x, y);
    }
}
