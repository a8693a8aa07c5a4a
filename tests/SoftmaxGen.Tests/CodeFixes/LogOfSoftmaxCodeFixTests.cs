using Microsoft.CodeAnalysis.CSharp;
using SoftmaxGen.CodeFixes;

namespace SoftmaxGen.Tests.CodeFixes;

public class LogOfSoftmaxCodeFixTests
{
    [Fact]
    public Task CrossEntropy_AfterTensorPrimitives_UsesGeneratedLogSoftmax() => FixVerifier.VerifyAsync(
        new LogOfSoftmaxCodeFixProvider(),
        """
            public static double[] Check(double[] input) => [Loss(Array.ConvertAll(input, v => (float)v), 0)];

            static float Loss(float[] logits, int label)
            {
                var p = new float[logits.Length];
                {|SMX1003:TensorPrimitives.SoftMax(logits, p)|};
                return -{|SMX1004:MathF.Log(p[label])|};
            }
        """,
        """
            public static double[] Check(double[] input) => [Loss(Array.ConvertAll(input, v => (float)v), 0)];

            static float Loss(float[] logits, int label)
            {
                var p = new float[logits.Length];
                LogSoftmaxRow(logits, p);
                return -p[label];
            }

            [global::SoftmaxGen.LogSoftmax]
            private static partial void LogSoftmaxRow(global::System.ReadOnlySpan<float> logits, global::System.Span<float> logProbabilities);
        """,
        "SMX1004",
        LogOfSoftmaxCodeFixProvider.LogSoftmaxKey,
        x => [-FixVerifier.LogSoftmax(x)[0]]);

    [Fact]
    public Task LogLoop_AfterGeneratedSoftmax_SwitchesKernel() => FixVerifier.VerifyAsync(
        new LogOfSoftmaxCodeFixProvider(),
        """
            public static double[] Check(double[] input) => LogProbabilities(input);

            [SoftmaxGen.Softmax]
            private static partial void Probabilities(ReadOnlySpan<double> x, Span<double> y);

            static double[] LogProbabilities(double[] logits)
            {
                var p = new double[logits.Length];
                Probabilities(logits, p);
                var result = new double[logits.Length];
                for (int i = 0; i < logits.Length; i++) result[i] = {|SMX1004:Math.Log(p[i])|};
                return result;
            }
        """,
        """
            public static double[] Check(double[] input) => LogProbabilities(input);

            [SoftmaxGen.Softmax]
            private static partial void Probabilities(ReadOnlySpan<double> x, Span<double> y);

            static double[] LogProbabilities(double[] logits)
            {
                var p = new double[logits.Length];
                LogSoftmaxRow(logits, p);
                var result = new double[logits.Length];
                for (int i = 0; i < logits.Length; i++) result[i] = p[i];
                return result;
            }

            [global::SoftmaxGen.LogSoftmax]
            private static partial void LogSoftmaxRow(global::System.ReadOnlySpan<double> logits, global::System.Span<double> logProbabilities);
        """,
        "SMX1004",
        LogOfSoftmaxCodeFixProvider.LogSoftmaxKey,
        FixVerifier.LogSoftmax);

    [Theory]
    [InlineData("return p[label] * -{|SMX1004:MathF.Log(p[label])|};")]
    [InlineData("return -{|SMX1004:MathF.Log(p[label])|} + p.Length;")]
    public Task NoFix_WhenProbabilitiesAreUsedOtherwise(string use)
    {
        string source = FixCases.Source($$"""
                static float Loss(float[] logits, int label)
                {
                    var p = new float[logits.Length];
                    {|SMX1003:TensorPrimitives.SoftMax(logits, p)|};
                    {{use}}
                }
            """);
        return new StabilityCodeFixTest<LogOfSoftmaxCodeFixProvider>(source, source, LogOfSoftmaxCodeFixProvider.LogSoftmaxKey).RunAsync();
    }

    [Fact]
    public async Task NoGeneratedKernelFix_BeforeCSharp9()
    {
        string source = FixCases.Source("""
                static float Loss(float[] logits, int label)
                {
                    var p = new float[logits.Length];
                    {|SMX1003:TensorPrimitives.SoftMax(logits, p)|};
                    return -{|SMX1004:MathF.Log(p[label])|};
                }
            """);
        const LanguageVersion CSharp8 = LanguageVersion.CSharp8;
        await new StabilityCodeFixTest<LogOfSoftmaxCodeFixProvider>(source, source, null!, version: CSharp8).RunAsync();
        await new StabilityCodeFixTest<UnstableLibrarySoftmaxCodeFixProvider>(source, source, UnstableLibrarySoftmaxCodeFixProvider.GeneratedKernelKey, version: CSharp8).RunAsync();
    }
}
