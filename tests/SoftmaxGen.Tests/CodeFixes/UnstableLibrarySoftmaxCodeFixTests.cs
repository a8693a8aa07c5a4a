using SoftmaxGen.CodeFixes;

namespace SoftmaxGen.Tests.CodeFixes;

public class UnstableLibrarySoftmaxCodeFixTests
{
    private const string SpanCase = """
            public static double[] Check(double[] input) { var p = new float[input.Length + 1]; Probabilities(Array.ConvertAll(input, v => (float)v), p); return Array.ConvertAll(p[..input.Length], v => (double)v); }

            static void Probabilities(ReadOnlySpan<float> logits, Span<float> p)
            {
                // Class probabilities.
                {|SMX1003:TensorPrimitives.SoftMax(logits, p)|}; // NaN above 88.7
            }
        """;

    private const string ArrayCase = """
            public static double[] Check(double[] input) => Probabilities(input);

            static double[] Probabilities(double[] logits)
            {
                var p = new double[logits.Length];
                {|SMX1003:TensorPrimitives.SoftMax<double>(logits, p)|};
                return p;
            }
        """;

    [Fact]
    public Task SubtractMaximum_SpanDestination_FillsPrefix() => FixVerifier.VerifyAsync(
        new UnstableLibrarySoftmaxCodeFixProvider(),
        SpanCase,
        """
            public static double[] Check(double[] input) { var p = new float[input.Length + 1]; Probabilities(Array.ConvertAll(input, v => (float)v), p); return Array.ConvertAll(p[..input.Length], v => (double)v); }

            static void Probabilities(ReadOnlySpan<float> logits, Span<float> p)
            {
                // Class probabilities.
                TensorPrimitives.Subtract(logits, TensorPrimitives.Max(logits), p);
                TensorPrimitives.SoftMax(p.Slice(0, logits.Length), p); // NaN above 88.7
            }
        """,
        "SMX1003",
        UnstableLibrarySoftmaxCodeFixProvider.SubtractMaximumKey,
        FixVerifier.Softmax);

    [Fact]
    public Task SubtractMaximum_DoubleArray_SameLengthLocal() => FixVerifier.VerifyAsync(
        new UnstableLibrarySoftmaxCodeFixProvider(),
        ArrayCase,
        """
            public static double[] Check(double[] input) => Probabilities(input);

            static double[] Probabilities(double[] logits)
            {
                var p = new double[logits.Length];
                TensorPrimitives.Subtract<double>(logits, TensorPrimitives.Max<double>(logits), p);
                TensorPrimitives.SoftMax<double>(p, p);
                return p;
            }
        """,
        "SMX1003",
        UnstableLibrarySoftmaxCodeFixProvider.SubtractMaximumKey,
        FixVerifier.Softmax);

    [Fact]
    public Task UseGeneratedSoftmax_MakesTypePartial_AndCallsKernel() => FixVerifier.VerifyAsync(
        new UnstableLibrarySoftmaxCodeFixProvider(),
        SpanCase,
        """
            public static double[] Check(double[] input) { var p = new float[input.Length + 1]; Probabilities(Array.ConvertAll(input, v => (float)v), p); return Array.ConvertAll(p[..input.Length], v => (double)v); }

            static void Probabilities(ReadOnlySpan<float> logits, Span<float> p)
            {
                // Class probabilities.
                SoftmaxRow(logits, p.Slice(0, logits.Length)); // NaN above 88.7
            }

            [global::SoftmaxGen.Softmax]
            private static partial void SoftmaxRow(global::System.ReadOnlySpan<float> logits, global::System.Span<float> probabilities);
        """,
        "SMX1003",
        UnstableLibrarySoftmaxCodeFixProvider.GeneratedKernelKey,
        FixVerifier.Softmax);
}
