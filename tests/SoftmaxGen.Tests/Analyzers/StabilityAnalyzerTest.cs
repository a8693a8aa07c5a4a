using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using SoftmaxGen.Analysis;

namespace SoftmaxGen.Tests.Analyzers;

/// <summary>
/// The official analyzer test (exact IDs and spans from markup, compiler errors fail the test, AD0001 fails the
/// test) with every numerical-stability analyzer (SMX1001-SMX1004) loaded and the net10.0 references of
/// <see cref="TestReferences"/>. <c>[|…|]</c> means <see cref="DefaultId"/>.
/// </summary>
public sealed class StabilityAnalyzerTest : CSharpAnalyzerTest<UnstableLibrarySoftmaxAnalyzer, DefaultVerifier>
{
    /// <summary>The four numerical-stability analyzers (SMX1001-SMX1004).</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } =
    [
        new SoftmaxStabilityAnalyzer(),
        new UnstableLibrarySoftmaxAnalyzer(),
    ];

    public StabilityAnalyzerTest(string source, string? defaultId = null, LanguageVersion version = LanguageVersion.Latest)
    {
        TestCode = source;
        DefaultId = defaultId;
        ReferenceAssemblies = TestReferences.None;
        TestState.AdditionalReferences.AddRange(TestReferences.Net100);
        SolutionTransforms.Add((solution, projectId) =>
        {
            Project project = solution.GetProject(projectId)!;
            return solution
                .WithProjectCompilationOptions(projectId, ((CSharpCompilationOptions)project.CompilationOptions!).WithAllowUnsafe(true).WithOptimizationLevel(OptimizationLevel.Release))
                .WithProjectParseOptions(projectId, ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(version));
        });
    }

    public string? DefaultId { get; }

    public static Task VerifyAsync(string source, string? defaultId = null) => new StabilityAnalyzerTest(source, defaultId).RunAsync();

    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => Analyzers;

    protected override DiagnosticDescriptor? GetDefaultDiagnostic(DiagnosticAnalyzer[] analyzers) =>
        DefaultId is null ? null : analyzers.SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == DefaultId);

    /// <summary>
    /// The analyzers' SMX diagnostics on a compilation, failing on any analyzer exception or AD0001 — for tests that
    /// analyse many compilations in a loop (half-typed code), where a full framework run per compilation is too slow.
    /// </summary>
    public static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Compilation compilation)
    {
        var exceptions = new ConcurrentQueue<Exception>();
        var withAnalyzers = compilation.WithAnalyzers(
            Analyzers,
            new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), (e, _, _) => exceptions.Enqueue(e), concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        ImmutableArray<Diagnostic> all = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        Assert.Empty(exceptions);
        Assert.DoesNotContain(all, d => d.Id == "AD0001");
        return [.. all.Where(d => d.Id.StartsWith("SMX", StringComparison.Ordinal)).OrderBy(d => d.Location.SourceSpan.Start)];
    }
}
