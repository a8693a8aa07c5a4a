using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using SoftmaxGen.Analysis;

namespace SoftmaxGen.Tests.Harness;

/// <summary>
/// Runs analyzers over source and compares the exact (ID, span) set against markup. Any analyzer exception
/// (the OnAnalyzerException callback or an AD0001 diagnostic) fails the test.
/// </summary>
public static class AnalyzerRun
{
    /// <summary>The four numerical-stability analyzers (SMX1001-SMX1004).</summary>
    public static ImmutableArray<DiagnosticAnalyzer> StabilityAnalyzers { get; } =
    [
        new UnshiftedSoftmaxAnalyzer(),
        new UnshiftedLogSumExpAnalyzer(),
        new UnstableLibrarySoftmaxAnalyzer(),
        new LogOfSoftmaxAnalyzer(),
    ];

    /// <summary>System.Numerics.Tensors (TensorPrimitives) as a reference; the test project references the package.</summary>
    public static MetadataReference Tensors { get; } =
        MetadataReference.CreateFromFile(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location);

    public static CSharpCompilation Compile(string source, LanguageVersion version = LanguageVersion.Latest, string assemblyName = "AnalyzerTest") =>
        Compile([source], version, assemblyName);

    public static CSharpCompilation Compile(IEnumerable<string> sources, LanguageVersion version = LanguageVersion.Latest, string assemblyName = "AnalyzerTest")
    {
        IEnumerable<MetadataReference> extra = References.Framework.Any(r => Path.GetFileName(r.Display) == "System.Numerics.Tensors.dll")
            ? []
            : [Tensors];
        return GeneratorRun.Compile(sources, version, assemblyName, extra);
    }

    /// <summary>Analyzer diagnostics (only SMX IDs), after checking that no analyzer threw.</summary>
    public static async Task<ImmutableArray<Diagnostic>> GetDiagnosticsAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer>? analyzers = null, AnalyzerOptions? options = null)
    {
        var exceptions = new ConcurrentQueue<Exception>();
        var withAnalyzers = compilation.WithAnalyzers(
            analyzers ?? StabilityAnalyzers,
            new CompilationWithAnalyzersOptions(
                options ?? new AnalyzerOptions([]),
                onAnalyzerException: (e, _, _) => exceptions.Enqueue(e),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: false));
        ImmutableArray<Diagnostic> all = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        if (!exceptions.IsEmpty)
        {
            throw new Xunit.Sdk.XunitException("Analyzer threw:\n" + string.Join("\n", exceptions));
        }

        if (all.FirstOrDefault(d => d.Id == "AD0001") is { } crash)
        {
            throw new Xunit.Sdk.XunitException("Analyzer threw: " + crash);
        }

        return all.Where(d => d.Id.StartsWith("SMX", StringComparison.Ordinal)).OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    /// <summary>
    /// Checks that the analyzers report exactly the markup's diagnostics (ID and span) on source that otherwise
    /// compiles without errors.
    /// </summary>
    public static async Task VerifyAsync(string markup, string? defaultId = null, LanguageVersion version = LanguageVersion.Latest)
    {
        var (source, expected) = Markup.Parse(markup, defaultId);
        CSharpCompilation compilation = Compile(source, version);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("Test source does not compile:\n" + string.Join("\n", errors) + "\n" + source);
        }

        ImmutableArray<Diagnostic> actual = await GetDiagnosticsAsync(compilation);
        var actualSet = actual.Select(d => new ExpectedDiagnostic(d.Id, d.Location.SourceSpan)).ToList();
        var missing = expected.Except(actualSet).ToList();
        var extra = actualSet.Except(expected).ToList();
        if (missing.Count > 0 || extra.Count > 0 || actualSet.Count != expected.Length)
        {
            throw new Xunit.Sdk.XunitException(
                "Diagnostics differ.\nMissing:\n" + Describe(source, missing) + "\nUnexpected:\n" + Describe(source, extra) +
                "\nActual:\n" + string.Join("\n", actual.Select(d => d.ToString())));
        }
    }

    private static string Describe(string source, IEnumerable<ExpectedDiagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d =>
        {
            var text = SourceText.From(source);
            var line = text.Lines.GetLinePosition(d.Span.Start);
            return $"  {d.Id} at {line.Line + 1}:{line.Character + 1} '{source.Substring(d.Span.Start, d.Span.Length)}'";
        }));
}
