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
}
