using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Simd;

/// <summary>
/// The generated source stays bounded as K grows: specialisation unrolls only for small K (≤ 16), and every longer
/// row is a loop, so K = 65536 is no longer than K = 1000.
/// </summary>
public class GeneratedSizeTests
{
    private static int Lines(int k, string op, string type)
    {
        string signature = op == "LogSumExp"
            ? $"public static partial void M(ReadOnlySpan<{type}> x, Span<{type}> results);"
            : $"public static partial void M(ReadOnlySpan<{type}> x, Span<{type}> y);";
        string source = $$"""
            using System;
            using SoftmaxGen;
            namespace N { public static partial class Head { [{{op}}({{k}})] {{signature}} } }
            """;
        return GeneratorRun.Run(source).AssertClean().KernelSources.Single().Value.Split('\n').Length;
    }

    [Theory]
    [InlineData("Softmax", "float")]
    [InlineData("Softmax", "double")]
    [InlineData("LogSoftmax", "float")]
    [InlineData("LogSumExp", "double")]
    public void SourceLength_DoesNotGrowWithK(string op, string type)
    {
        int[] ks = [2, 3, 10, 16, 17, 1000, 65536];
        int[] lines = ks.Select(k => Lines(k, op, type)).ToArray();
        Assert.Equal(lines[^2], lines[^1]); // K = 1000 and K = 65536: the same loops, only the constant differs
        Assert.All(lines, n => Assert.InRange(n, 50, 1500));
    }

    [Theory]
    [InlineData("[Softmax(10)] public static partial void M(ReadOnlySpan<float> x, Span<float> y);")]
    [InlineData("[Softmax(4)] public static partial void M(ReadOnlySpan<double> x, Span<double> y);")]
    [InlineData("[LogSoftmax(16)] public static partial void M(ReadOnlySpan<float> x, Span<float> y);")]
    [InlineData("[LogSumExp] public static partial double M(ReadOnlySpan<double> x);")]
    [InlineData("[SoftmaxJacobian] public static partial void M(ReadOnlySpan<float> p, Span<float> j);")]
    [InlineData("[LogSoftmaxBackward(7)] public static partial void M(ReadOnlySpan<double> p, ReadOnlySpan<double> g, Span<double> dx, double t);")]
    [InlineData("[SoftmaxCrossEntropy(1000, LabelSmoothing = 0.1, IgnoreIndex = -100)] public static partial void M(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> gradients, float temperature);")]
    [InlineData("[SoftmaxCrossEntropy(1000)] public static partial void M(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> losses, Span<double> gradients);")]
    [InlineData("[SoftmaxCrossEntropy] public static partial double M(ReadOnlySpan<double> logits, ReadOnlySpan<double> targetProbabilities, Span<double> gradient, double temperature);")]
    [InlineData("[SoftmaxEntropy] public static partial double M(ReadOnlySpan<double> logits, Span<double> gradient, double temperature);")]
    [InlineData("[SoftmaxSecondDirectional] public static partial void M(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> result);")]
    [InlineData("[ArgMax] public static partial int M(ReadOnlySpan<float> logits);")]
    [InlineData("[GumbelSoftmax(1000, Temperature = 0.5)] public static partial void M(ReadOnlySpan<double> logits, ReadOnlySpan<double> uniforms, Span<double> y);")]
    [InlineData("[GumbelSoftmax(Hard = true)] public static partial void M(ReadOnlySpan<float> logitsOfTheModel, System.Random randomSource, Span<float> hardSample, Span<float> softSample, float temperature);")]
    public void NoGeneratedLine_IsLongerThan160Characters(string declaration)
    {
        string source = "using System;\nusing SoftmaxGen;\nnamespace N { public static partial class Head { " + declaration + " } }";
        GeneratorRun run = GeneratorRun.Run(source).AssertClean();
        var files = run.Driver.GetRunResult().Results.Single().GeneratedSources.Where(s => !s.HintName.StartsWith("SoftmaxGen.Attributes", StringComparison.Ordinal));
        Assert.Contains(files, f => f.HintName == "SoftmaxGen.Shared.g.cs");
        foreach (var file in files)
        {
            string[] lines = file.SourceText.ToString().Split('\n');
            int longest = lines.Max(l => l.Length);
            Assert.True(longest <= 160, $"{file.HintName}: a line of {longest} characters: {lines.First(l => l.Length == longest)}");
        }
    }

    [Fact]
    public void TheSharedVectorMath_IsNotCopiedIntoKernelFiles()
    {
        GeneratorRun run = GeneratorRun.Run("using System;\nusing SoftmaxGen;\nnamespace N { public static partial class Head { [Softmax(10)] public static partial void M(ReadOnlySpan<float> x, Span<float> y); } }").AssertClean();
        string kernel = run.KernelSources.Single().Value;
        Assert.DoesNotContain("ExpPoly", kernel, StringComparison.Ordinal);
        Assert.DoesNotContain("static void Throw", kernel, StringComparison.Ordinal);
        Assert.Contains("VectorMath.Exp(", kernel, StringComparison.Ordinal);
        Assert.InRange(kernel.Split('\n').Length, 50, 900); // 1,040 lines when each kernel carried its own vector math
    }
}
