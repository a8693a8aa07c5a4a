using SoftmaxGen.CodeFixes;

namespace SoftmaxGen.Tests.CodeFixes;

/// <summary>"Use a generated softmax" for hand-written loop softmaxes (SMX1001).</summary>
public class GeneratedSoftmaxCodeFixTests
{
    private const string Key = "SMX1001." + UnshiftedSoftmaxCodeFixProvider.GeneratedKernelKey;

    [Fact]
    public Task TwoPass_ArrayToArray_NonPartialClassBecomesPartial() => FixVerifier.VerifyAsync(
        new UnshiftedSoftmaxCodeFixProvider(),
        FixCases.Softmax["TwoPassFor"],
        """
            public static double[] Check(double[] input) { var y = new double[input.Length]; Softmax(input, y); return y; }

            static void Softmax(double[] x, double[] y)
            {
                // Normalising constant.
                if (x.Length > 0) SoftmaxRow(x, y.AsSpan(0, x.Length)); // probabilities
            }

            [global::SoftmaxGen.Softmax]
            private static partial void SoftmaxRow(global::System.ReadOnlySpan<double> logits, global::System.Span<double> probabilities);
        """,
        "SMX1001",
        Key,
        FixVerifier.Softmax,
        partialClass: false);

    [Fact]
    public Task ScratchArray_SameLengthLocal() => FixVerifier.VerifyAsync(
        new UnshiftedSoftmaxCodeFixProvider(),
        """
            public static double[] Check(double[] input) => Array.ConvertAll(Softmax(Array.ConvertAll(input, v => (float)v)), v => (double)v);

            static float[] Softmax(float[] logits)
            {
                var probs = new float[logits.Length];
                var exps = new float[logits.Length];
                float sum = 0f;
                for (int i = 0; i < logits.Length; i++)
                {
                    exps[i] = {|SMX1001:MathF.Exp(logits[i])|};
                    sum += exps[i];
                }

                for (int i = 0; i < logits.Length; i++) probs[i] = exps[i] / sum;
                return probs;
            }
        """,
        """
            public static double[] Check(double[] input) => Array.ConvertAll(Softmax(Array.ConvertAll(input, v => (float)v)), v => (double)v);

            static float[] Softmax(float[] logits)
            {
                var probs = new float[logits.Length];
                if (logits.Length > 0) SoftmaxRow(logits, probs);
                return probs;
            }

            [global::SoftmaxGen.Softmax]
            private static partial void SoftmaxRow(global::System.ReadOnlySpan<float> logits, global::System.Span<float> probabilities);
        """,
        "SMX1001",
        Key,
        FixVerifier.Softmax);

    [Fact]
    public Task InPlaceSpan_UsesInPlaceKernel() => FixVerifier.VerifyAsync(
        new UnshiftedSoftmaxCodeFixProvider(),
        FixCases.Softmax["InPlaceSpan"],
        """
            public static double[] Check(double[] input) { var v = (double[])input.Clone(); Softmax(v); return v; }

            static void Softmax(Span<double> values)
            {
                if (values.Length > 0) SoftmaxRow(values);
            }

            [global::SoftmaxGen.Softmax]
            private static partial void SoftmaxRow(global::System.Span<double> values);
        """,
        "SMX1001",
        Key,
        FixVerifier.Softmax);

    [Theory]
    [InlineData("LinqOnnx")]
    [InlineData("Foreach")]
    [InlineData("Temperature")]
    [InlineData("LogSoftmax")]
    [InlineData("Jagged")]
    public Task NotOffered_ForShapesWithoutASpanKernel(string name)
    {
        // "Subtract the maximum" is offered for each of these (UnshiftedSoftmaxCodeFixTests); the kernel fix is not.
        string source = FixCases.Source(FixCases.Softmax[name]);
        return new StabilityCodeFixTest<UnshiftedSoftmaxCodeFixProvider>(source, source, Key).RunAsync();
    }

    [Fact]
    public Task NotOffered_WhenSumIsAlsoReturned()
    {
        string source = FixCases.Source("""
                static double Softmax(double[] x, double[] y)
                {
                    double sum = 0;
                    for (int i = 0; i < x.Length; i++) sum += {|SMX1001:Math.Exp(x[i])|};
                    for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum;
                    Console.WriteLine(sum);
                    return y[0];
                }
            """);
        return new StabilityCodeFixTest<UnshiftedSoftmaxCodeFixProvider>(source, source, Key).RunAsync();
    }
}
