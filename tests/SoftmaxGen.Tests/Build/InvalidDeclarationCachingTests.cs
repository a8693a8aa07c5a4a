using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SoftmaxGen.Generation;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Build;

/// <summary>
/// The placeholder and generator-diagnostics outputs cache like the kernels: an edit in another file re-emits and
/// re-reports nothing; an edit in the same file (even one that moves the declaration) re-reports the diagnostic, at its
/// new place, without re-emitting the placeholder; neither output costs the valid kernels their cache.
/// </summary>
public class InvalidDeclarationCachingTests
{
    private const string Source = """
        using System;
        using SoftmaxGen;
        namespace N;
        public static partial class Head
        {
            [Softmax(10)] public static partial void Valid(ReadOnlySpan<float> x, Span<float> y);
            [Softmax(0)] public static partial void Invalid(ReadOnlySpan<float> x, Span<float> y);
        }
        public class Outer { public static partial class Inner { [Softmax(10)] static partial void NotPartial(ReadOnlySpan<float> x, Span<float> y); } }
        """;

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps.TryGetValue(step, out var steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray()
            : [];

    private static (GeneratorDriver, CSharpCompilation) Edit(GeneratorDriver driver, CSharpCompilation compilation, string source)
    {
        CSharpCompilation next = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(source, GeneratorRun.ParseOptions(), path: "Source0.cs"));
        return (driver.RunGenerators(next), next);
    }

    [Fact]
    public void FirstRun_WritesOnePlaceholder_AndReportsTheGeneratorError()
    {
        GeneratorRun run = GeneratorRun.Run(Source);
        var result = run.Driver.GetRunResult().Results.Single();
        Assert.Single(result.GeneratedSources, s => s.HintName.EndsWith(".invalid.g.cs", StringComparison.Ordinal));
        Assert.Equal(["SMX0013"], run.GeneratorDiagnostics.Select(d => d.Id));
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath != "Source0.cs"));
    }

    [Fact]
    public void EditInAnotherFile_KeepsEveryOutputCached()
    {
        CSharpCompilation compilation = GeneratorRun.Compile([Source, "static class Other { static int F() => 1; }"]);
        GeneratorDriver driver = GeneratorRun.CreateDriver().RunGenerators(compilation);
        CSharpCompilation next = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.ElementAt(1),
            CSharpSyntaxTree.ParseText("static class Other { static int F() => 2; }", GeneratorRun.ParseOptions(), path: "Source1.cs"));
        driver = driver.RunGenerators(next);

        Assert.All(Reasons(driver, SoftmaxGenerator.TrackingNames.Output), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(driver, SoftmaxGenerator.InvalidTrackingNames.Placeholder), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(driver, SoftmaxGenerator.InvalidTrackingNames.Diagnostics), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.NotEmpty(Reasons(driver, SoftmaxGenerator.InvalidTrackingNames.Placeholder));
        Assert.Equal("SMX0013", driver.GetRunResult().Diagnostics.Single().Id);
    }

    [Fact]
    public void EditInTheSameFile_KeepsThePlaceholderAndKernelCached_AndReReportsTheDiagnostic()
    {
        CSharpCompilation compilation = GeneratorRun.Compile([Source + "\nstatic class Other { static int F() => 1; }\n"]);
        GeneratorDriver driver = GeneratorRun.CreateDriver().RunGenerators(compilation);
        (driver, _) = Edit(driver, compilation, Source + "\nstatic class Other { static int F() => 2; }\n");

        Assert.All(Reasons(driver, SoftmaxGenerator.TrackingNames.Output), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(driver, SoftmaxGenerator.InvalidTrackingNames.Placeholder), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.Equal("SMX0013", driver.GetRunResult().Diagnostics.Single().Id);
    }

    [Fact]
    public void MovingTheDeclarations_ReReportsTheDiagnosticThere_WithoutReEmittingThePlaceholder()
    {
        CSharpCompilation compilation = GeneratorRun.Compile([Source]);
        GeneratorDriver driver = GeneratorRun.CreateDriver().RunGenerators(compilation);
        (driver, _) = Edit(driver, compilation, "// a new first line\n" + Source);

        Assert.All(Reasons(driver, SoftmaxGenerator.InvalidTrackingNames.Placeholder), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, SoftmaxGenerator.InvalidTrackingNames.Diagnostics));
        Diagnostic moved = driver.GetRunResult().Diagnostics.Single();
        Assert.Equal("SMX0013", moved.Id);
        Assert.Equal(9, moved.Location.GetLineSpan().StartLinePosition.Line); // was line 8 (0-based), one line down
    }
}
