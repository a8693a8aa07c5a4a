using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SoftmaxGen.Analysis;
using SoftmaxGen.Diagnostics;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Generator;

/// <summary>
/// Every SMX00xx misuse diagnostic: exact ID and location (the Roslyn test framework's markup), reported by the usage
/// analyzer on a compilation that already ran the generator, on net10.0, net8.0, netstandard2.0 and net472 reference
/// assemblies, with no generator exception and no code emitted for the method.
/// </summary>
public partial class UsageDiagnosticsTests
{
    internal const string Header = "using System;\nusing SoftmaxGen;\n";

    public static TheoryData<string> Cases => new()
    {
        // SMX0001: not static.
        "partial class C { [Softmax(10)] public partial void {|SMX0001:M|}(ReadOnlySpan<float> x, Span<float> y); }",
        // SMX0002: not partial / has a body.
        "partial class C { [Softmax(10)] public static void {|SMX0002:M|}(ReadOnlySpan<float> x, Span<float> y) { } }",
        // SMX0003: generic.
        "partial class C { [Softmax(10)] static partial void M{|SMX0003:<T>|}(ReadOnlySpan<float> x, Span<float> y); }",
        // SMX0004: non-void return, and a single-row LSE returning void.
        "partial class C { [Softmax(10)] static partial {|SMX0004:int|} M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { [LogSumExp(10)] static partial {|SMX0004:void|} M(ReadOnlySpan<double> x); }",
        "partial class C { [LogSumExp(10)] static partial {|SMX0004:float|} M(ReadOnlySpan<double> x); }",
        // SMX0005: wrong parameter count.
        "partial class C { [Softmax(10)] static partial void M{|SMX0005:(ReadOnlySpan<float> x, ReadOnlySpan<float> z, Span<float> y, Span<float> w)|}; }",
        // Three spans are the masked form: a middle span that is not ReadOnlySpan<bool> is named.
        "partial class C { [Softmax(10)] static partial void M(ReadOnlySpan<float> x, {|SMX0012:ReadOnlySpan<float> z|}, Span<float> y); }",
        "partial class C { [LogSumExp] static partial double M(ReadOnlySpan<double> x, {|SMX0012:Span<bool> mask|}); }",
        "partial class C { [Softmax(10)] static partial void M{|SMX0005:()|}; }",
        "partial class C { [SoftmaxBackward(10)] static partial void M{|SMX0005:(ReadOnlySpan<float> p, Span<float> dx)|}; }",
        // SMX0006: unsupported element type.
        "partial class C { [Softmax(10)] static partial void M({|SMX0006:ReadOnlySpan<int> x|}, {|SMX0006:Span<int> y|}); }",
        "partial class C { [Softmax(10)] static partial void M({|SMX0006:ReadOnlySpan<Half> x|}, {|SMX0006:Span<Half> y|}); }",
        // SMX0007: mismatched element types (spans, and the runtime temperature).
        "partial class C { [Softmax(10)] static partial void M(ReadOnlySpan<float> x, {|SMX0007:Span<double> y|}); }",
        "partial class C { [Softmax(10)] static partial void M(ReadOnlySpan<float> x, Span<float> y, {|SMX0007:double t|}); }",
        // SMX0008: K out of range.
        "partial class C { [Softmax({|SMX0008:0|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { [Softmax({|SMX0008:65537|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { [Softmax({|SMX0008:-3|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { [SoftmaxJacobian({|SMX0008:50000|})] static partial void M(ReadOnlySpan<float> p, Span<float> j); }",
        // SMX0009: not on a method.
        "[{|SMX0009:Softmax(10)|}] partial class C { }",
        "partial class C { [{|SMX0009:Softmax|}] int f; }",
        "partial class C { [return: {|SMX0009:Softmax|}] static partial float M(ReadOnlySpan<float> x); }",
        "partial class C { void Outer() { [{|SMX0009:Softmax|}] static void Local(ReadOnlySpan<float> x, Span<float> y) { } } }",
        // SMX0010: invalid temperature.
        "partial class C { [Softmax(10, {|SMX0010:Temperature = 0|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { [Softmax(10, {|SMX0010:Temperature = double.NaN|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { [LogSoftmax({|SMX0010:Temperature = -1|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { [Softmax(10, {|SMX0010:Temperature = double.PositiveInfinity|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        // SMX0011: temperature twice.
        "partial class C { [Softmax(10, Temperature = 2)] static partial void M(ReadOnlySpan<float> x, Span<float> y, {|SMX0011:float t|}); }",
        // SMX0012: wrong parameter type (span kind, array, by-ref, jacobian type, temperature type).
        "partial class C { [Softmax(10)] static partial void M({|SMX0012:Span<float> x|}, Span<float> y); }",
        "partial class C { [Softmax(10)] static partial void M(ReadOnlySpan<float> x, {|SMX0012:ReadOnlySpan<float> y|}); }",
        "partial class C { [Softmax(10)] static partial void M(ReadOnlySpan<float> x, {|SMX0012:float[] y|}); }",
        "partial class C { [Softmax(10)] static partial void M(ReadOnlySpan<float> x, {|SMX0012:ref Span<float> y|}); }",
        "partial class C { [SoftmaxJacobian(4)] static partial void M(ReadOnlySpan<float> p, {|SMX0012:float[,] j|}); }",
        "partial class C { [Softmax(10)] static partial void M(ReadOnlySpan<float> x, Span<float> y, {|SMX0012:int t|}); }",
        // SMX0013: containing type not partial.
        "class {|SMX0013:C|} { [Softmax(10)] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "class {|SMX0013:Outer|} { partial class C { [Softmax(10)] static partial void M(ReadOnlySpan<float> x, Span<float> y); } }",
        "file partial class {|SMX0013:C|} { [Softmax(10)] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial interface {|SMX0013:I|} { [Softmax(10)] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        // The training kernels: a wrong target type, a K too large for the K·K·K Hessian, a wrong return type.
        "partial class C { [SoftmaxCrossEntropy(10)] static partial float M(ReadOnlySpan<float> x, {|SMX0012:long t|}); }",
        "partial class C { [SoftmaxCrossEntropy(10)] static partial void M(ReadOnlySpan<float> x, {|SMX0012:ReadOnlySpan<long> t|}, Span<float> l); }",
        "partial class C { [SoftmaxCrossEntropy(10)] static partial {|SMX0004:void|} M(ReadOnlySpan<float> x, int t); }",
        "partial class C { [SoftmaxEntropy] static partial {|SMX0004:int|} M(ReadOnlySpan<float> x); }",
        "partial class C { [SoftmaxHessian({|SMX0008:1291|})] static partial void M(ReadOnlySpan<float> p, Span<float> h); }",
        "partial class C { [SoftmaxSecondDirectional] static partial void M{|SMX0005:(ReadOnlySpan<float> p, ReadOnlySpan<float> u, Span<float> w)|}; }",
        "partial class C { [ArgMax(10)] static partial {|SMX0004:float|} M(ReadOnlySpan<float> x); }",
        "partial class C { [ArgMax(10)] static partial void M(ReadOnlySpan<float> x, {|SMX0012:Span<long> i|}); }",
        "partial class C { [ArgMax] static partial void M(ReadOnlySpan<float> x, {|SMX0012:Span<float> i|}); }",
        // SMX0016: label smoothing outside [0, 1).
        "partial class C { [SoftmaxCrossEntropy(10, {|SMX0016:LabelSmoothing = 1|})] static partial float M(ReadOnlySpan<float> x, int t); }",
        "partial class C { [SoftmaxCrossEntropy({|SMX0016:LabelSmoothing = -0.1|})] static partial void M(ReadOnlySpan<double> x, ReadOnlySpan<int> t, Span<double> l); }",
        // SMX0017: a base that is not finite, positive and different from 1.
        "partial class C { [Softmax(10, {|SMX0017:Base = 1|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { [LogSumExp({|SMX0017:Base = -2|})] static partial double M(ReadOnlySpan<double> x); }",
        "partial class C { [Softmin(4, {|SMX0017:Base = double.PositiveInfinity|})] static partial void M(Span<float> x); }",
        "partial class C { [LogSoftmax({|SMX0017:Base = 0|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { [Softmin] static partial void M{|SMX0005:(ReadOnlySpan<float> x, Span<float> y, Span<float> z, Span<float> w)|}; }",
        // SMX0018 / SMX0019: TopK outside [1, K], TopP outside (0, 1]; sampler slots of the wrong type.
        "partial class C { [SoftmaxSample(10, {|SMX0018:TopK = 0|})] static partial int M(ReadOnlySpan<float> x, double u); }",
        "partial class C { [SoftmaxSample(10, {|SMX0018:TopK = 11|})] static partial int M(ReadOnlySpan<float> x, double u); }",
        "partial class C { [SoftmaxSample({|SMX0018:TopK = -3|})] static partial int M(ReadOnlySpan<double> x, System.Random r); }",
        "partial class C { [SoftmaxSample({|SMX0019:TopP = 0|})] static partial int M(ReadOnlySpan<float> x, double u); }",
        "partial class C { [SoftmaxSample(4, {|SMX0019:TopP = 1.5|})] static partial void M(ReadOnlySpan<float> x, ReadOnlySpan<double> u, Span<int> s); }",
        "partial class C { [SoftmaxSample(4, {|SMX0019:TopP = double.NaN|})] static partial int M(ReadOnlySpan<float> x, double u, float t); }",
        "partial class C { [SoftmaxSample(10, {|SMX0010:Temperature = 0|})] static partial int M(ReadOnlySpan<float> x, double u); }",
        "partial class C { [SoftmaxSample(10)] static partial int M(ReadOnlySpan<float> x, double u, {|SMX0007:double t|}); }",
        "partial class C { [SoftmaxSample(10)] static partial {|SMX0004:float|} M(ReadOnlySpan<float> x, double u); }",
        "partial class C { [SoftmaxSample(10)] static partial void M(ReadOnlySpan<float> x, {|SMX0012:ReadOnlySpan<float> u|}, Span<int> s); }",
        "partial class C { [SoftmaxSample(10)] static partial void M(ReadOnlySpan<float> x, ReadOnlySpan<double> u, {|SMX0012:Span<float> s|}); }",
        // SMX0014: two kernel attributes.
        "partial class C { [Softmax(10)] [LogSoftmax(10)] static partial void {|SMX0014:M|}(ReadOnlySpan<float> x, Span<float> y); }",
        // SMX0020: [GumbelSoftmax]'s Hard against the outputs (on Hard = … when written, else on the attribute); its other slots.
        "partial class C { [GumbelSoftmax(10, {|SMX0020:Hard = true|})] static partial void M(ReadOnlySpan<float> x, ReadOnlySpan<float> u, Span<float> y); }",
        "partial class C { [{|SMX0020:GumbelSoftmax(10)|}] static partial void M(ReadOnlySpan<float> x, ReadOnlySpan<float> u, Span<float> h, Span<float> s); }",
        "partial class C { [GumbelSoftmax({|SMX0020:Hard = false|})] static partial void M(ReadOnlySpan<double> x, System.Random r, Span<double> h, Span<double> s); }",
        "partial class C { [GumbelSoftmax({|SMX0020:Hard = true|})] static partial void M(ReadOnlySpan<double> x, System.Random r, Span<double> y, double tau); }",
        "partial class C { [GumbelSoftmax(10)] static partial void M(ReadOnlySpan<float> x, {|SMX0007:ReadOnlySpan<double> u|}, Span<float> y); }",
        "partial class C { [GumbelSoftmax(10, Hard = true)] static partial void M(ReadOnlySpan<float> x, ReadOnlySpan<float> u, Span<float> h, {|SMX0012:ReadOnlySpan<float> s|}); }",
        "partial class C { [GumbelSoftmax(10, {|SMX0010:Temperature = -1|})] static partial void M(ReadOnlySpan<float> x, ReadOnlySpan<float> u, Span<float> y); }",
        "partial class C { [GumbelSoftmax(10)] static partial void M{|SMX0005:(ReadOnlySpan<float> x, Span<float> y)|}; }",
    };

    /// <summary>Every misuse case on each target the diagnostics must not depend on.</summary>
    public static TheoryData<string, Target> CasesOnEveryTarget() => OnEveryTarget(Cases);

    /// <summary>Each markup case paired with every target (the misuse tests of the other attributes use it too).</summary>
    internal static TheoryData<string, Target> OnEveryTarget(IEnumerable<string> cases)
    {
        var data = new TheoryData<string, Target>();
        foreach (string markup in cases)
        {
            foreach (Target target in References.AllTargets)
            {
                data.Add(markup, target);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CasesOnEveryTarget))]
    public Task Misuse_IsReported_WithExactIdAndLocation(string markup, Target target) => AssertMisuseReported(markup, target);

    /// <summary>
    /// The official framework checks the markup's IDs and spans (the generator runs in the test state); then the generator,
    /// run alone, must not throw and must write no body for the invalid kernel. <see cref="Header"/> is put before the markup.
    /// </summary>
    internal static async Task AssertMisuseReported(string markup, Target target)
    {
        await new UsageAnalyzerTest(target) { TestCode = Header + markup }.RunAsync();
        GeneratorRun run = GeneratorRun.Run([Header + Markup.Strip(markup)], target: target);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");
        Assert.Empty(run.KernelSources);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task ValidKernels_AreNotReported(Target target)
    {
        await new UsageAnalyzerTest(target) { TestCode = ValidKernels }.RunAsync();
        GeneratorRun run = GeneratorRun.Run([ValidKernels], target: target).AssertClean();
        Assert.Equal(10, run.KernelSources.Count);
    }

    public static TheoryData<Target> Targets() => new(References.AllTargets);

    private const string ValidKernels = Header + """
        namespace N;
        public partial class Outer<T> where T : struct
        {
            internal partial struct Inner
            {
                [Softmax(10)] public static partial void A(ReadOnlySpan<float> x, Span<float> y);
                [Softmax] private static partial void B(Span<double> values);
                [LogSumExp(4, Temperature = 0.5)] internal static partial double C(ReadOnlySpan<double> x);
                [LogSumExp(4)] internal static partial void D(ReadOnlySpan<float> x, Span<float> r, float temperature);
                [SoftmaxJacobian(3)] public static partial void E(ReadOnlySpan<double> p, Span<double> j);
                [SoftmaxBackward] public static partial void F(ReadOnlySpan<float> p, ReadOnlySpan<float> g, Span<float> dx);
                [LogSoftmaxBackward(7)] public static partial void G(ReadOnlySpan<double> lp, ReadOnlySpan<double> g, Span<double> dx, double t);
                [LogSoftmax(65536, ZeroFullyMaskedRows = true)] public static partial void H(ReadOnlySpan<float> x, Span<float> y);
            }
        }

        public partial record R { [Softmax(2)] public static partial void S(ReadOnlySpan<float> @in, Span<float> @out); }
        public partial record struct RS { [Softmax(2)] public static partial void S(scoped ReadOnlySpan<float> x, Span<float> y); }
        """;

    [Fact]
    public void EveryUsageDescriptor_HasAnIdInItsBand_AHelpLink_AndADocsPage()
    {
        var analyzer = new SoftmaxAttributeUsageAnalyzer();
        string docs = Path.Combine(RepoRoot(), "docs", "diagnostics");
        foreach (DiagnosticDescriptor d in analyzer.SupportedDiagnostics)
        {
            Assert.Matches("^SMX00[0-9]{2}$", d.Id);
            Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.Equal("Usage", d.Category);
            Assert.Equal(Descriptors.HelpLink(d.Id), d.HelpLinkUri);
            Assert.True(File.Exists(Path.Combine(docs, d.Id + ".md")), $"docs/diagnostics/{d.Id}.md is missing");
            Assert.Contains(d.Id, File.ReadAllText(Path.Combine(RepoRoot(), "src", "SoftmaxGen", "AnalyzerReleases.Unshipped.md")));
        }
    }

    [Fact]
    public async Task PragmaWarningDisable_SilencesAUsageError()
    {
        string source = Header + "partial class C {\n#pragma warning disable SMX0001\n[Softmax(10)] public partial void M(ReadOnlySpan<float> x, Span<float> y);\n#pragma warning restore SMX0001\n}";
        await new UsageAnalyzerTest { TestCode = source }.RunAsync();
        Assert.Empty(await AnalyzeAsync(GeneratorRun.Run(source).Output));
    }

    internal static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation)
    {
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (e, _, _) => exceptions.Add(e),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation
            .WithAnalyzers([new SoftmaxAttributeUsageAnalyzer()], options)
            .GetAnalyzerDiagnosticsAsync();
        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics;
    }

    internal static string RepoRoot()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "SoftmaxGen.sln")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("SoftmaxGen.sln not found above " + AppContext.BaseDirectory);
        }

        return dir;
    }

    /// <summary>The usage analyzer's text pre-check finds every kernel attribute's name.</summary>
    [Fact]
    public void UsageAnalyzerTextCheck_CoversEveryAttributeName() =>
        Assert.All(SoftmaxGen.Generation.Model.KernelOperations.All, op =>
            Assert.Contains(SoftmaxGen.Analysis.SoftmaxAttributeUsageAnalyzer.SearchedNames, name => op.AttributeName.Contains(name, StringComparison.Ordinal)));
}
