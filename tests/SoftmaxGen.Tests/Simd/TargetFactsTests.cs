using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SoftmaxGen.Generation;
using SoftmaxGen.Generation.Model;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Simd;

/// <summary>
/// What the consumer's compilation offers decides the code path: net10.0 gets the vector rows, a netstandard2.0
/// consumer (no System.Runtime.Intrinsics) gets scalar rows that still compile
/// cleanly. The facts are a value record, so an edit that changes none of them keeps every kernel cached.
/// </summary>
public class TargetFactsTests
{
    private const string Kernels = """
        using System;
        using SoftmaxGen;
        namespace N
        {
            public static partial class Head
            {
                [Softmax(10)] public static partial void P(ReadOnlySpan<float> x, Span<float> y);
                [LogSoftmax(1000)] public static partial void L(ReadOnlySpan<double> x, Span<double> y);
                [LogSumExp] public static partial float E(ReadOnlySpan<float> x);
                [Softmax(16)] public static partial void Q(Span<double> values);
                [Softmax(4)] public static partial void Four(ReadOnlySpan<float> x, Span<float> y);
            }
        }
        """;

    /// <summary>netstandard.dll and the netstandard2.0 System.Memory (Span), from the packages the test project restores.</summary>
    internal static IEnumerable<MetadataReference> NetStandardReferences()
    {
        string Package(string key) => typeof(TargetFactsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        string refs = Path.Combine(Package("NETStandardLibraryPath"), "build", "netstandard2.0", "ref");
        return Directory.GetFiles(refs, "*.dll")
            .Append(Path.Combine(Package("SystemMemoryPath"), "lib", "netstandard2.0", "System.Memory.dll"))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
    }

    private static (GeneratorDriver Driver, Compilation Output, ImmutableArray<Diagnostic> Diagnostics) RunNetStandard(LanguageVersion version)
    {
        var input = CSharpCompilation.Create(
            "NetStandardConsumer",
            [CSharpSyntaxTree.ParseText(Kernels, GeneratorRun.ParseOptions(version))],
            NetStandardReferences(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        GeneratorDriver driver = GeneratorRun.CreateDriver(version).RunGeneratorsAndUpdateCompilation(input, out Compilation output, out var diagnostics);
        return (driver, output, diagnostics);
    }

    private static TargetFacts Facts(GeneratorDriver driver) =>
        ((SharedOutput)driver.GetRunResult().Results.Single().TrackedSteps[SoftmaxGenerator.TrackingNames.Facts].Single().Outputs.Single().Value).Facts;

    private static string Sources(GeneratorDriver driver) =>
        string.Join("\n", driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.SourceText.ToString()));

    [Theory]
    [InlineData(LanguageVersion.CSharp9)]
    [InlineData(LanguageVersion.Latest)]
    public void NetStandard20Consumer_GetsScalarRows_ThatCompileWithoutWarnings(LanguageVersion version)
    {
        var (driver, output, diagnostics) = RunNetStandard(version);
        var problems = diagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n\n" + Sources(driver));
        Assert.Equal(5, driver.GetRunResult().Results.Single().GeneratedSources.Count(s => s.HintName.StartsWith("N.Head.", StringComparison.Ordinal)));

        string sources = Sources(driver);
        Assert.DoesNotContain("System.Runtime.Intrinsics", sources, StringComparison.Ordinal);
        Assert.DoesNotContain("FusedMultiplyAdd", sources, StringComparison.Ordinal);
        Assert.Contains("Code path: scalar", sources, StringComparison.Ordinal);

        TargetFacts facts = Facts(driver);
        Assert.False(facts.HasVector128 || facts.HasVector256 || facts.HasVector512 || facts.HasVectorMath || facts.CanEmitSimd);
        Assert.False(facts.HasAvx512F);
    }

    [Fact]
    public void Net10Consumer_GetsVectorRows_ForEveryWidth()
    {
        GeneratorRun run = GeneratorRun.Run(Kernels).AssertClean();
        TargetFacts facts = Facts(run.Driver);
        Assert.True(facts.HasVector128 && facts.HasVector256 && facts.HasVector512 && facts.HasVectorMath && facts.CanEmitSimd);
        Assert.True(facts.HasAvx512F);

        string p = run.KernelSources.Single(s => s.Key.Contains(".P(", StringComparison.Ordinal)).Value;
        Assert.DoesNotContain("Row512", p, StringComparison.Ordinal); // 16 lanes do not fit in K = 10
        Assert.Contains("Vector256.IsHardwareAccelerated) { Row256(x, y); return; }", p, StringComparison.Ordinal);
        Assert.Contains("Vector128.IsHardwareAccelerated) { Row128(x, y); return; }", p, StringComparison.Ordinal);
        string e = run.KernelSources.Single(s => s.Key.Contains(".E(", StringComparison.Ordinal)).Value;
        Assert.Contains("Vector512.IsHardwareAccelerated && x.Length >= 16) { return Row512(x); }", e, StringComparison.Ordinal);
        Assert.Contains("Rows: Vector512 (16 lanes", e, StringComparison.Ordinal);

        // Batches: K = 10 is transposed in blocks of 16 rows; K = 4 packs 4 rows per Vector512.
        Assert.Contains("if (Vector512.IsHardwareAccelerated) { ShortRows512(x, y); return; }", p, StringComparison.Ordinal);
        string four = run.KernelSources.Single(s => s.Key.Contains(".Four(", StringComparison.Ordinal)).Value;
        Assert.Contains("if (Vector512.IsHardwareAccelerated) { Packed512(x, y); return; }", four, StringComparison.Ordinal);
        Assert.Contains("Vector512 holds 4 rows", four, StringComparison.Ordinal);
    }

    [Fact]
    public void Facts_AreAValue_SoUnrelatedEditsKeepEveryKernelCached()
    {
        Assert.Equal(new TargetFacts(true, true, true, true, true, true), new TargetFacts(true, true, true, true, true, true));
        Assert.NotEqual(new TargetFacts(true, true, HasVector512: true), new TargetFacts(true, true, HasVector512: false));

        CSharpCompilation compilation = GeneratorRun.Compile([Kernels, "namespace N { public static class Other { public static int F() => 1; } }"]);
        GeneratorDriver driver = GeneratorRun.CreateDriver().RunGenerators(compilation);
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.ElementAt(1),
            CSharpSyntaxTree.ParseText("namespace N { public static class Other { public static int F() => 2; } }", GeneratorRun.ParseOptions(), path: "Source1.cs"));
        driver = driver.RunGenerators(edited);

        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        Assert.All(steps[SoftmaxGenerator.TrackingNames.Facts].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, o.Reason.ToString()));
        Assert.All(steps[SoftmaxGenerator.TrackingNames.Output].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, o.Reason.ToString()));
    }

    [Fact]
    public void ChangingTheTargetFramework_ChangesTheFacts_AndRegeneratesTheKernels()
    {
        CSharpCompilation net10 = GeneratorRun.Compile([Kernels]);
        GeneratorDriver driver = GeneratorRun.CreateDriver().RunGenerators(net10);
        driver = driver.RunGenerators(net10.WithReferences(NetStandardReferences()));
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        Assert.Contains(steps[SoftmaxGenerator.TrackingNames.Facts].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(steps[SoftmaxGenerator.TrackingNames.Output].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.DoesNotContain("System.Runtime.Intrinsics", Sources(driver), StringComparison.Ordinal);
    }
}
