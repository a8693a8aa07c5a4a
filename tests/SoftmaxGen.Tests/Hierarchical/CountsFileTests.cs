using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SoftmaxGen.Generation;
using SoftmaxGen.Tests.Harness;
using Xunit.Abstractions;

namespace SoftmaxGen.Tests.Hierarchical;

/// <summary>
/// CountsFile through the generator's AdditionalTextsProvider: the kernel equals the inline-counts kernel; the pipeline re-reads
/// and re-emits only what an edit changes; every target compiles the forms; and K = 100 000 stays a bounded source.
/// </summary>
public class CountsFileTests(ITestOutputHelper output)
{
    private static readonly int[] Counts = [.. Enumerable.Range(1, 50).Select(r => 5000 / r)];

    private static string FileText(int[] counts) => "# class counts\n" + string.Join("\n", counts) + "\n";

    private static string Source(string attribute) => $$"""
        using System;
        using SoftmaxGen;
        namespace N;
        public static partial class M
        {
            [HierarchicalSoftmax({{attribute}}, Dimension = 12)]
            public static partial double One(ReadOnlySpan<double> hidden, ReadOnlySpan<double> nodeWeights, int classIndex);

            [HierarchicalSoftmax({{attribute}}, Dimension = 12)]
            public static partial void All(ReadOnlySpan<double> hidden, ReadOnlySpan<double> nodeWeights, Span<double> logProbabilities);
        }
        """;

    private const string Other = "namespace N; public static class Unrelated { public static int F() => 1; }";

    [Fact]
    public void CountsFile_GivesTheInlineCountsKernel()
    {
        var (fromFile, _) = HierarchicalDiagnosticsTests.RunWithFiles(Source("CountsFile = \"data/counts.txt\""), [("/repo/data/counts.txt", FileText(Counts))]);
        var inline = GeneratorRun.Run(Source("Counts = " + HierarchicalSoftmaxTests.CountsLiteral(Counts))).Load();
        using var file = LoadedAssembly.From(fromFile);
        var (h, w) = HierarchicalSoftmaxTests.Inputs<double>(Counts.Length, 12, seed: 4);
        double[] a = new double[Counts.Length], b = new double[Counts.Length];
        file.Bind<Map2<double>>("N.M", "All")(h, w, a);
        inline.Bind<Map2<double>>("N.M", "All")(h, w, b);
        Assert.Equal(b, a);
        for (int c = 0; c < Counts.Length; c++)
        {
            Assert.Equal(inline.Bind<ClassLogProbability<double>>("N.M", "One")(h, w, c), file.Bind<ClassLogProbability<double>>("N.M", "One")(h, w, c));
        }

        inline.Dispose();
    }

    private static GeneratorDriver Driver(params AdditionalText[] texts) =>
        CSharpGeneratorDriver.Create(
            [new SoftmaxGenerator().AsSourceGenerator()],
            additionalTexts: texts,
            parseOptions: GeneratorRun.ParseOptions(),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps.TryGetValue(step, out var steps) ? [.. steps.SelectMany(s => s.Outputs).Select(o => o.Reason)] : [];

    private static void AllReused(IncrementalStepRunReason[] reasons) =>
        Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));

    [Fact]
    public void Edits_RereadAndReemitOnlyWhatChanged()
    {
        var counts = new TestAdditionalText("/repo/counts.txt", FileText(Counts));
        var unrelated = new TestAdditionalText("/repo/notes.txt", "hello");
        CSharpCompilation compilation = GeneratorRun.Compile([Source("CountsFile = \"counts.txt\""), Other]);
        GeneratorDriver driver = Driver(counts, unrelated).RunGenerators(compilation);
        Assert.Equal(2, Reasons(driver, SoftmaxGenerator.CountsFileTrackingNames.Output).Length);
        Assert.Single(Reasons(driver, SoftmaxGenerator.CountsFileTrackingNames.Files));

        // An unrelated source edit: the file is not read again, the kernels are not emitted again.
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.ElementAt(1),
            CSharpSyntaxTree.ParseText(Other.Replace("=> 1", "=> 2"), GeneratorRun.ParseOptions(), path: "Source1.cs"));
        driver = driver.RunGenerators(edited);
        AllReused(Reasons(driver, SoftmaxGenerator.CountsFileTrackingNames.Files));
        AllReused(Reasons(driver, SoftmaxGenerator.CountsFileTrackingNames.Output));

        // Another AdditionalFiles item changes: the counts file is not read again.
        var notes2 = new TestAdditionalText("/repo/notes.txt", "hello again");
        driver = driver.ReplaceAdditionalText(unrelated, notes2).RunGenerators(edited);
        AllReused(Reasons(driver, SoftmaxGenerator.CountsFileTrackingNames.Files));
        AllReused(Reasons(driver, SoftmaxGenerator.CountsFileTrackingNames.Output));

        // A comment-only edit of the counts file: read again, same counts, nothing emitted again.
        var commented = new TestAdditionalText("/repo/counts.txt", "# edited\n" + FileText(Counts));
        driver = driver.ReplaceAdditionalText(counts, commented).RunGenerators(edited);
        Assert.Contains(IncrementalStepRunReason.Unchanged, Reasons(driver, SoftmaxGenerator.CountsFileTrackingNames.Files));
        AllReused(Reasons(driver, SoftmaxGenerator.CountsFileTrackingNames.Output));

        // A count changes: both kernels are emitted again, with the new tree.
        int[] changed = [.. Counts];
        changed[7] = 100000;
        var recount = new TestAdditionalText("/repo/counts.txt", FileText(changed));
        driver = driver.ReplaceAdditionalText(commented, recount).RunGenerators(edited);
        Assert.Equal([IncrementalStepRunReason.Modified, IncrementalStepRunReason.Modified], Reasons(driver, SoftmaxGenerator.CountsFileTrackingNames.Output));

        // The inline kernels' own step never saw these kernels.
        Assert.Empty(Reasons(driver, SoftmaxGenerator.TrackingNames.Output));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryForm_CompilesCleanly_OnEveryTarget(Target target)
    {
        string source = """
            using System;
            using SoftmaxGen;
            public static partial class T
            {
                [HierarchicalSoftmax(Counts = new[] { 5, 1, 1, 9, 3, 3, 2 }, Dimension = 3)]
                public static partial float A(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c);
                [HierarchicalSoftmax(Counts = new[] { 5, 1, 1, 9, 3, 3, 2 }, Dimension = 19)]
                public static partial double B(ReadOnlySpan<double> h, ReadOnlySpan<double> w, int c, Span<double> gh, Span<double> gw);
                [HierarchicalSoftmax(CountsFile = "c.txt", Dimension = 40)]
                public static partial void C(ReadOnlySpan<float> h, ReadOnlySpan<float> w, Span<float> lp);
            }
            """;
        var (compiled, sources) = HierarchicalDiagnosticsTests.RunWithFiles(source, [("c.txt", "1\n2\n3\n")], target);
        Assert.Empty(compiled.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        _ = sources;
    }

    public static TheoryData<Target> Targets() => new(References.AllTargets);

    [Fact]
    public void StringConstantTables_BeforeCSharp11_GiveTheSameResults()
    {
        // Wide entries (K = 3000: three base-64 digits) so the string's lines and digits are exercised.
        int[] counts = [.. Enumerable.Range(0, 3000).Select(i => (i * 7919 % 1009) + (i % 3))];
        string source = $$"""
            using System;
            using SoftmaxGen;
            public static partial class S
            {
                [HierarchicalSoftmax(Counts = {{HierarchicalSoftmaxTests.CountsLiteral(counts)}}, Dimension = 5)]
                public static partial float One(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c);
                [HierarchicalSoftmax(Counts = {{HierarchicalSoftmaxTests.CountsLiteral(counts)}}, Dimension = 5)]
                public static partial void All(ReadOnlySpan<float> h, ReadOnlySpan<float> w, Span<float> lp);
            }
            """;
        GeneratorRun old = GeneratorRun.Run([source], LanguageVersion.CSharp10);
        Assert.Contains("private const string Up = @\"", Assert.Single(old.KernelSources, s => s.Key.StartsWith("S.One", StringComparison.Ordinal)).Value);
        using LoadedAssembly a = old.Load(), b = GeneratorRun.Run(source).Load();
        var (h, w) = HierarchicalSoftmaxTests.Inputs<float>(counts.Length, 5, seed: 2);
        float[] x = new float[counts.Length], y = new float[counts.Length];
        a.Bind<Map2<float>>("S", "All")(h, w, x);
        b.Bind<Map2<float>>("S", "All")(h, w, y);
        Assert.Equal(y, x);
        var oneA = a.Bind<ClassLogProbability<float>>("S", "One");
        var oneB = b.Bind<ClassLogProbability<float>>("S", "One");
        for (int c = 0; c < counts.Length; c += 7)
        {
            Assert.Equal(oneB(h, w, c), oneA(h, w, c));
        }
    }

    [Fact]
    public void AllClassesForm_CompilesUnderCSharp73_WithAStringConstantTable()
    {
        // C# 7.3 (a .NET Standard 2.0 library's default) has void partial methods only, so the all-classes form; no u8 literals.
        string source = """
            using System;
            using SoftmaxGen;
            public static partial class Old
            {
                [HierarchicalSoftmax(Counts = new[] { 5, 1, 1, 9, 3, 3, 2 }, Dimension = 6)]
                static partial void All(ReadOnlySpan<double> h, ReadOnlySpan<double> w, Span<double> lp);
            }
            """;
        GeneratorRun run = GeneratorRun.Run([source], LanguageVersion.CSharp7_3, target: Target.NetStandard20).AssertClean();
        string kernel = Assert.Single(run.KernelSources).Value;
        Assert.Contains("private const string Down = @\"", kernel);
        Assert.DoesNotContain("u8;", kernel);
    }

    [Fact]
    public void HundredThousandClasses_GiveABoundedSource_QuickToGenerateAndCompile()
    {
        // Zipf counts over K = 100 000 classes, D = 128: two byte tables of 2K − 2 entries of 3 bytes each (one per kernel).
        int k = 100000;
        string counts = string.Join("\n", Enumerable.Range(1, k).Select(r => (int)(1e9 / r)));
        string source = """
            using System;
            using SoftmaxGen;
            public static partial class Big
            {
                [HierarchicalSoftmax(CountsFile = "zipf.txt", Dimension = 128)]
                public static partial float One(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c, Span<float> gh, Span<float> gw);
                [HierarchicalSoftmax(CountsFile = "zipf.txt", Dimension = 128)]
                public static partial void All(ReadOnlySpan<float> h, ReadOnlySpan<float> w, Span<float> lp);
            }
            """;
        var watch = Stopwatch.StartNew();
        var (compiled, _) = HierarchicalDiagnosticsTests.RunWithFiles(source, [("zipf.txt", counts)]);
        double generate = watch.Elapsed.TotalSeconds;
        var generated = compiled.SyntaxTrees.Where(t => t.FilePath.Contains("Big.", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, generated.Count);
        long[] sizes = [.. generated.Select(t => (long)System.Text.Encoding.UTF8.GetByteCount(t.GetText().ToString()))];
        watch.Restart();
        using var loaded = LoadedAssembly.From(compiled);
        double compile = watch.Elapsed.TotalSeconds;
        output.WriteLine($"K = {k}: sources {string.Join(" and ", sizes.Select(s => $"{s / 1e6:F2} MB"))}, generated in {generate:F2} s, compiled and emitted in {compile:F2} s");
        Assert.All(sizes, s => Assert.InRange(s, 1, 2_600_000));
        string[] longLines = [.. generated.SelectMany(t => t.GetText().Lines.Where(l => l.Span.Length >= 160).Select(l => $"{t.FilePath}:{l.LineNumber + 1}: {l}"))];
        Assert.True(longLines.Length == 0, string.Join("\n", longLines.Take(5)));
        Assert.InRange(generate + compile, 0, 30);

        // And it runs: the K probabilities sum to 1.
        var (h, w) = HierarchicalSoftmaxTests.Inputs<float>(k, 128, seed: 9);
        float[] lp = new float[k];
        loaded.Bind<Map2<float>>("Big", "All")(h, w, lp);
        Assert.Equal(1.0, lp.Sum(v => Math.Exp(v)), 1e-4);
    }
}
