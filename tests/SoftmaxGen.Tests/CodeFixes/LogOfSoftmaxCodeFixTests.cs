using Microsoft.CodeAnalysis;
using SoftmaxGen.CodeFixes;
using SoftmaxGen.Tests.Harness;

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
                TensorPrimitives.SoftMax(logits, p);
                return -MathF.Log(p[label]);
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
                for (int i = 0; i < logits.Length; i++) result[i] = Math.Log(p[i]);
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
    [InlineData("return p[label] * -MathF.Log(p[label]);")]
    [InlineData("return -MathF.Log(p[label]) + p.Length;")]
    public async Task NoFix_WhenProbabilitiesAreUsedOtherwise(string use)
    {
        string source = FixCases.Source($$"""
                static float Loss(float[] logits, int label)
                {
                    var p = new float[logits.Length];
                    TensorPrimitives.SoftMax(logits, p);
                    {{use}}
                }
            """);
        Document document = CodeFixRun.CreateDocument(source, withGenerator: true);
        Diagnostic diagnostic = Assert.Single(await CodeFixRun.DiagnosticsAsync(document), d => d.Id == "SMX1004");
        Assert.Empty(await CodeFixRun.ActionsAsync(new LogOfSoftmaxCodeFixProvider(), document, diagnostic));
    }

    [Fact]
    public async Task NoGeneratedKernelFix_BeforeCSharp9()
    {
        string source = FixCases.Source("""
                static float Loss(float[] logits, int label)
                {
                    var p = new float[logits.Length];
                    TensorPrimitives.SoftMax(logits, p);
                    return -MathF.Log(p[label]);
                }
            """);
        Document document = CodeFixRun.CreateDocument(source, Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp8, withGenerator: true);
        var diagnostics = await CodeFixRun.DiagnosticsAsync(document);
        Assert.Equal(["SMX1003", "SMX1004"], diagnostics.Select(d => d.Id));
        foreach (Diagnostic diagnostic in diagnostics)
        {
            Assert.Empty(await CodeFixRun.ActionsAsync(new LogOfSoftmaxCodeFixProvider(), document, diagnostic));
            Assert.DoesNotContain(await CodeFixRun.ActionsAsync(new UnstableLibrarySoftmaxCodeFixProvider(), document, diagnostic),
                a => a.EquivalenceKey == UnstableLibrarySoftmaxCodeFixProvider.GeneratedKernelKey);
        }
    }
}
