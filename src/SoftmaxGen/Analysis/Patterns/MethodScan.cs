using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// Shared wiring of the SMX1xxx analyzers. Symbols are resolved once per compilation, when first needed (nothing is
/// registered without a core library, and nothing is analysed when no exp API exists). Each member body (method, constructor, operator, accessor, expression-bodied property) is
/// first screened by the names it contains (<see cref="NameIndex"/>, a text search done once per tree), which costs
/// no binding; only bodies naming the relevant APIs get an operation tree, on which the matchers run. Building operation trees for every method body is what an operation-action analyzer costs
/// most, so the screen is what keeps these analyzers cheap (see docs/analyzers.md for the measurement).
/// </summary>
internal static class MethodScan
{
    /// <summary>Call after EnableConcurrentExecution and ConfigureGeneratedCodeAnalysis(None).</summary>
    /// <param name="screen">Whether a code block names the APIs the rule needs, from the tree's <see cref="NameIndex"/>.</param>
    public static void Register(
        AnalysisContext context,
        Func<NameIndex, SyntaxNode, bool> screen,
        Action<MathSymbols, ImmutableArray<IOperation>, Action<Diagnostic>, CancellationToken> analyze) =>
        Register(context, _ => screen, analyze);

    /// <param name="screener">Makes the screen for one compilation.</param>
    public static void Register(
        AnalysisContext context,
        Func<Compilation, Func<NameIndex, SyntaxNode, bool>> screener,
        Action<MathSymbols, ImmutableArray<IOperation>, Action<Diagnostic>, CancellationToken> analyze)
    {
        context.RegisterCompilationStartAction(start =>
        {
            // Without a core library there is no exp API at all: register nothing.
            if (start.Compilation.GetSpecialType(SpecialType.System_Object).TypeKind == TypeKind.Error)
            {
                return;
            }

            // Resolved once per compilation, on first need: looking types up before the compiler has bound anything
            // costs a lot (it loads namespaces and members), and most compilations never name an exp API at all.
            var lazySymbols = new Lazy<MathSymbols?>(() => MathSymbols.Create(start.Compilation), LazyThreadSafetyMode.ExecutionAndPublication);
            Func<NameIndex, SyntaxNode, bool> screen = screener(start.Compilation);
            start.RegisterSyntaxNodeAction(
                node =>
                {
                    SyntaxNode body = node.Node is PropertyDeclarationSyntax { ExpressionBody: { } arrow } ? arrow
                        : node.Node is IndexerDeclarationSyntax { ExpressionBody: { } indexerArrow } ? indexerArrow
                        : node.Node;
                    if ((body == node.Node && node.Node is BasePropertyDeclarationSyntax) ||
                        !screen(NameIndex.For(body.SyntaxTree), body) ||
                        lazySymbols.Value is not { } symbols ||
                        node.SemanticModel.GetOperation(body, node.CancellationToken) is not { } operation)
                    {
                        return;
                    }

                    analyze(symbols, ImmutableArray.Create(operation), node.ReportDiagnostic, node.CancellationToken);
                },
                MemberKinds);
        });
    }

    /// <summary>
    /// The members whose bodies are analysed, one operation tree each (lambdas and local functions are inside them).
    /// Syntax node actions ride on the driver's shared syntax walk, which is far cheaper than code block actions.
    /// </summary>
    private static readonly ImmutableArray<SyntaxKind> MemberKinds = ImmutableArray.Create(
        SyntaxKind.MethodDeclaration,
        SyntaxKind.ConstructorDeclaration,
        SyntaxKind.DestructorDeclaration,
        SyntaxKind.OperatorDeclaration,
        SyntaxKind.ConversionOperatorDeclaration,
        SyntaxKind.GetAccessorDeclaration,
        SyntaxKind.SetAccessorDeclaration,
        SyntaxKind.InitAccessorDeclaration,
        SyntaxKind.AddAccessorDeclaration,
        SyntaxKind.RemoveAccessorDeclaration,
        SyntaxKind.PropertyDeclaration,
        SyntaxKind.IndexerDeclaration);

    /// <summary>
    /// The names of methods declared with a SoftmaxGen [Softmax] attribute in this compilation, found by a syntax
    /// scan (no binding) of the trees that mention "softmax".
    /// </summary>
    public static ImmutableHashSet<string> GeneratedSoftmaxNames(Compilation compilation)
    {
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            // Only trees that mention "softmax" at all can declare a [Softmax] kernel.
            if (!NameIndex.For(tree).HasSoftmaxAnyCase(new Microsoft.CodeAnalysis.Text.TextSpan(0, tree.Length)))
            {
                continue;
            }

            foreach (SyntaxNode node in tree.GetRoot().DescendantNodes(n => n is not Microsoft.CodeAnalysis.CSharp.Syntax.BlockSyntax))
            {
                if (node is Microsoft.CodeAnalysis.CSharp.Syntax.AttributeSyntax attribute &&
                    attribute.Parent?.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax method &&
                    attribute.Name.ToString() is var name &&
                    (name.EndsWith("Softmax", StringComparison.Ordinal) || name.EndsWith("SoftmaxAttribute", StringComparison.Ordinal)) &&
                    !name.EndsWith("LogSoftmax", StringComparison.Ordinal) && !name.EndsWith("LogSoftmaxAttribute", StringComparison.Ordinal))
                {
                    names.Add(method.Identifier.ValueText);
                }
            }
        }

        return names.ToImmutable();
    }

    /// <summary>Names of exponentials: Math.Exp, MathF.Exp, float.Exp, double.Exp, Math.Pow, TensorPrimitives.Exp.</summary>
    public static bool IsExpName(string name) => name is "Exp" or "Pow";
}
