using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SoftmaxGen.Generation;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Hierarchical;

/// <summary>An AdditionalFiles item for generator runs.</summary>
internal sealed class TestAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>
/// SMX0022-SMX0025 and the reused signature diagnostics on [HierarchicalSoftmax], with exact locations, on every target; a
/// CountsFile that is missing or invalid gets a throwing body from the generator (so the build shows only the SMX error).
/// </summary>
public class HierarchicalDiagnosticsTests
{
    private const string Header = "using System;\nusing SoftmaxGen;\n";

    private const string Good = "Counts = new[] { 1, 2, 3 }, Dimension = 4";

    public static TheoryData<string> Cases => new()
    {
        // SMX0022: empty, negative, all zero, one class, null.
        "partial class C { [HierarchicalSoftmax({|SMX0022:Counts = new int[0]|}, Dimension = 4)] static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }",
        "partial class C { [HierarchicalSoftmax({|SMX0022:Counts = new[] { 3, -1, 2 }|}, Dimension = 4)] static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }",
        "partial class C { [HierarchicalSoftmax({|SMX0022:Counts = new[] { 0, 0, 0 }|}, Dimension = 4)] static partial void M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, Span<float> lp); }",
        "partial class C { [HierarchicalSoftmax({|SMX0022:Counts = new[] { 7 }|}, Dimension = 4)] static partial double M(ReadOnlySpan<double> h, ReadOnlySpan<double> w, int c); }",
        "partial class C { [HierarchicalSoftmax({|SMX0022:Counts = null|}, Dimension = 4)] static partial double M(ReadOnlySpan<double> h, ReadOnlySpan<double> w, int c); }",
        // SMX0024: Dimension unset, 0, too large, (K − 1)·D beyond a span.
        "partial class C { [{|SMX0024:HierarchicalSoftmax(Counts = new[] { 1, 2 })|}] static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }",
        "partial class C { [HierarchicalSoftmax(Counts = new[] { 1, 2 }, {|SMX0024:Dimension = 0|})] static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }",
        "partial class C { [HierarchicalSoftmax(Counts = new[] { 1, 2 }, {|SMX0024:Dimension = 65537|})] static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }",
        "partial class C { [HierarchicalSoftmax(Counts = new int[40000], {|SMX0024:Dimension = 65536|})] static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }".Replace("new int[40000]", "new[] { " + string.Join(", ", Enumerable.Repeat("1", 40000)) + " }"),
        // SMX0025: both, neither.
        "partial class C { [HierarchicalSoftmax(Counts = new[] { 1, 2 }, {|SMX0025:CountsFile = \"c.txt\"|}, Dimension = 4)] static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }",
        "partial class C { [{|SMX0025:HierarchicalSoftmax(Dimension = 4)|}] static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }",
        // SMX0023 without a file: an empty name.
        "partial class C { [HierarchicalSoftmax({|SMX0023:CountsFile = \"\"|}, Dimension = 4)] static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }",
        // The family's signature diagnostics.
        $"partial class C {{ [HierarchicalSoftmax({Good})] static partial float M{{|SMX0005:(ReadOnlySpan<float> h, ReadOnlySpan<float> w)|}}; }}",
        $"partial class C {{ [HierarchicalSoftmax({Good})] static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, {{|SMX0012:long c|}}); }}",
        $"partial class C {{ [HierarchicalSoftmax({Good})] static partial {{|SMX0004:void|}} M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }}",
        $"partial class C {{ [HierarchicalSoftmax({Good})] static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c, Span<float> gh, {{|SMX0007:Span<double> gw|}}); }}",
        $"partial class C {{ [HierarchicalSoftmax({Good})] static partial void M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, {{|SMX0012:ReadOnlySpan<float> lp|}}); }}",
        $"partial class C {{ [HierarchicalSoftmax({Good})] static partial void M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, Span<float> lp, {{|SMX0005:float t|}}); }}".Replace("M(", "M{|SMX0005:(").Replace("{|SMX0005:float t|}); }", "float t)|}; }"),
    };

    public static TheoryData<string, Target> CasesOnEveryTarget() => Generator.UsageDiagnosticsTests.OnEveryTarget(Cases);

    [Theory]
    [MemberData(nameof(CasesOnEveryTarget))]
    public Task Misuse_IsReported_WithExactIdAndLocation(string markup, Target target) =>
        Generator.UsageDiagnosticsTests.AssertMisuseReported(markup, target);

    /// <summary>CountsFile problems: (file name, its text or null for none, the markup).</summary>
    public static TheoryData<string, string?, string> FileCases => new()
    {
        { "counts.txt", null, "partial class C { [HierarchicalSoftmax({|SMX0023:CountsFile = \"counts.txt\"|}, Dimension = 4)] public static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }" },
        { "other.txt", "1\n2\n", "partial class C { [HierarchicalSoftmax({|SMX0023:CountsFile = \"counts.txt\"|}, Dimension = 4)] public static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }" },
        { "counts.txt", "1\n2\n# a comment\n\nthree\n", "partial class C { [HierarchicalSoftmax({|SMX0023:CountsFile = \"counts.txt\"|}, Dimension = 4)] public static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }" },
        { "counts.txt", "1\n99999999999\n", "partial class C { [HierarchicalSoftmax({|SMX0023:CountsFile = \"counts.txt\"|}, Dimension = 4)] public static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }" },
        { "counts.txt", "1\n-2\n3\n", "partial class C { [HierarchicalSoftmax({|SMX0022:CountsFile = \"counts.txt\"|}, Dimension = 4)] public static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }" },
        { "counts.txt", "0\n0\n", "partial class C { [HierarchicalSoftmax({|SMX0022:CountsFile = \"counts.txt\"|}, Dimension = 4)] public static partial void M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, Span<float> lp); }" },
        { "counts.txt", "# nothing\n", "partial class C { [HierarchicalSoftmax({|SMX0022:CountsFile = \"counts.txt\"|}, Dimension = 4)] public static partial void M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, Span<float> lp); }" },
        { "data/counts.txt", string.Join("\n", Enumerable.Repeat("1", 40000)), "partial class C { [HierarchicalSoftmax(CountsFile = \"counts.txt\", {|SMX0024:Dimension = 65536|})] public static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }" },
    };

    [Theory]
    [MemberData(nameof(FileCases))]
    public async Task CountsFileProblems_AreReportedOnTheAttribute_AndTheBodyThrows(string path, string? text, string markup)
    {
        var test = new UsageAnalyzerTest { TestCode = Header + markup };
        if (text is not null)
        {
            test.TestState.AdditionalFiles.Add((path, text));
        }

        await test.RunAsync();

        // The generator writes a body that throws, so the compiler adds no CS8795 and the build shows the SMX error alone.
        var (output, sources) = RunWithFiles(Header + Markup.Strip(markup), text is null ? [] : [(path, text)]);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Contains("throw new global::System.InvalidOperationException", Assert.Single(sources).Value);
    }

    [Fact]
    public void OnADeclarationTheCompilerRejects_TheGeneratorReportsTheFileProblem_AndWritesNoBody()
    {
        // No access modifier and a non-void return (CS8796): the command-line compiler prints no analyzer error there.
        const string Markup = "partial class C { [HierarchicalSoftmax({|SMX0023:CountsFile = \"counts.txt\"|}, Dimension = 4)] static partial float M(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }";
        var (source, expected) = Harness.Markup.Parse(Header + Markup);
        CSharpCompilation input = GeneratorRun.Compile([source]);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new SoftmaxGenerator().AsSourceGenerator()], parseOptions: GeneratorRun.ParseOptions())
            .RunGeneratorsAndUpdateCompilation(input, out _, out ImmutableArray<Diagnostic> diagnostics);
        Diagnostic reported = Assert.Single(diagnostics);
        Assert.Equal("SMX0023", reported.Id);
        Assert.Equal(expected.Single().Span, reported.Location.SourceSpan);
        Assert.DoesNotContain(driver.GetRunResult().Results.Single().GeneratedSources, s => s.HintName.StartsWith("C.", StringComparison.Ordinal));
    }

    [Fact]
    public void UnparsableLine_IsNamedInTheMessage()
    {
        var contents = CountsFiles.Read("counts.txt", SourceText.From("4\n\n# c\n 5 \n6x\n"));
        Assert.Equal("line 5 ('6x') is not a count (an integer from 0 to 2147483647)", contents.Problem);
        Assert.False(contents.CountsProblem);
        Assert.Null(CountsFiles.Read("counts.txt", SourceText.From("4\n\n# c\n 5 \n")).Problem);
        Assert.True(CountsFiles.Matches(@"C:\src\data\counts.txt", "data/counts.txt"));
        Assert.True(CountsFiles.Matches("/src/counts.txt", "counts.txt"));
        Assert.False(CountsFiles.Matches("/src/mycounts.txt", "counts.txt"));
    }

    /// <summary>Runs the generator with AdditionalFiles items; returns the output compilation and the kernel sources.</summary>
    internal static (Compilation Output, Dictionary<string, string> Sources) RunWithFiles(string source, (string Path, string Text)[] files, Target target = Target.Net100)
    {
        CSharpCompilation input = GeneratorRun.Compile([source], target: target);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new SoftmaxGenerator().AsSourceGenerator()],
            additionalTexts: [.. files.Select(f => (AdditionalText)new TestAdditionalText(f.Path, f.Text))],
            parseOptions: GeneratorRun.ParseOptions(),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        Assert.DoesNotContain(diagnostics, d => d.Id is "CS8784" or "CS8785");
        var sources = driver.GetRunResult().Results.Single().GeneratedSources
            .Where(s => s.HintName.StartsWith("C.", StringComparison.Ordinal) || s.HintName.StartsWith("N.", StringComparison.Ordinal))
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        return (output, sources);
    }
}
