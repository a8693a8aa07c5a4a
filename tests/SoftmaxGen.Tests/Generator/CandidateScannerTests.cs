using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SoftmaxGen.Generation;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Generator;

/// <summary>
/// The generator's syntax step walks only declarations, for every attribute at once: it must find each method
/// declaration a full tree walk finds, and every way of writing the attribute's name, aliases included.
/// </summary>
public class CandidateScannerTests
{
    private const string Usings = "using System;\nusing SoftmaxGen;\n";

    public static TheoryData<string> Layouts() =>
    [
        "namespace N; public static partial class C { [Softmax(4)] public static partial void P(ReadOnlySpan<float> x, Span<float> y); }",
        "namespace A { namespace B { partial class C { partial struct D { [SoftmaxGen.LogSumExp] static partial double E(ReadOnlySpan<double> x); } } } }",
        "partial record R { [global::SoftmaxGen.SoftmaxAttribute(3)] static partial void P(Span<float> x); } partial interface I { [Softmax] static partial void Q(Span<float> x); }",
        "Console.WriteLine(); [Softmax] static void Local(Span<float> x) { } partial class C { [Softmax(2)] static partial void P(Span<float> x); }",
        "namespace N { [Softmax(4)] static partial void Misplaced(Span<float> x); class C<T> where T : struct { [Obsolete, Softmax(2)] static partial void P(Span<float> x); [Obsolete] void O() { } } }",
        "class C { void M() { [Softmax] void Local() { } } [return: Softmax] static partial float R(ReadOnlySpan<float> x); enum E { [Obsolete] A } }",
    ];

    [Theory]
    [MemberData(nameof(Layouts))]
    public void FindsTheSameMethodsAsAFullTreeWalk(string source)
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(Usings + source, GeneratorRun.ParseOptions());
        var expected = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString().Contains("Softmax", StringComparison.Ordinal) || a.Name.ToString().Contains("LogSumExp", StringComparison.Ordinal)))
            .ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, CandidateScanner.Scan(tree, globalAliasNames: null, CancellationToken.None).Candidates);
        Assert.Same(CandidateScanner.Of(tree, CancellationToken.None), CandidateScanner.Of(tree, CancellationToken.None));
    }

    [Fact]
    public void OtherAttributes_AreNoCandidates()
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(Usings + "class C { [Obsolete] static void M() { } [SoftmaxLike] static void N() { } }", GeneratorRun.ParseOptions());
        Assert.Empty(CandidateScanner.Of(tree, CancellationToken.None).Candidates);
    }

    [Fact]
    public void KernelsNamedThroughAliases_AreGenerated()
    {
        const string Local = """
            using System;
            using S = SoftmaxGen.SoftmaxAttribute;
            using MyAttribute = SoftmaxGen.LogSoftmaxAttribute;
            namespace N
            {
                using Inner = SoftmaxGen.SoftmaxAttribute;
                public static partial class K
                {
                    [S(4)] public static partial void A(ReadOnlySpan<float> x, Span<float> y);
                    [My(4)] public static partial void B(ReadOnlySpan<float> x, Span<float> y);
                    [Inner(2)] public static partial void C(ReadOnlySpan<double> x, Span<double> y);
                    [G] public static partial double D(ReadOnlySpan<double> x);
                }
            }
            """;
        GeneratorRun run = GeneratorRun.Run([Local, "global using G = SoftmaxGen.LogSumExpAttribute;"]).AssertClean();
        Assert.Equal(["A", "B", "C", "D"], run.KernelSources.Keys.Select(k => k.Split('.')[2].Split('(')[0]).Order());
    }

    [Fact]
    public void AnAttributeOfTheSameNameElsewhere_GeneratesNothing()
    {
        const string Source = """
            using System;
            namespace Other { public sealed class SoftmaxAttribute : Attribute { public SoftmaxAttribute(int k) { } } }
            namespace N
            {
                using Other;
                public static partial class K { [Softmax(4)] public static partial void A(ReadOnlySpan<float> x, Span<float> y); }
            }
            """;
        GeneratorRun run = GeneratorRun.Run(Source);
        Assert.Empty(run.KernelSources);
        Assert.Empty(run.GeneratorDiagnostics);
    }
}
