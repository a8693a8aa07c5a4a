using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// Shared wiring of the SMX1xxx analyzers. Symbols are resolved once per compilation (nothing is registered when
/// no exp API exists). Each code block (method, accessor, initializer) is first screened by the names it contains
/// (<see cref="NameIndex"/>, a text search done once per tree), which costs no binding; only blocks naming the
/// relevant APIs get an operation tree, on which the matchers run. Building operation trees for every method body is what an operation-action analyzer costs
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
            if (MathSymbols.Create(start.Compilation) is not { } symbols)
            {
                return;
            }

            Func<NameIndex, SyntaxNode, bool> screen = screener(start.Compilation);
            start.RegisterCodeBlockAction(block =>
            {
                if (!screen(NameIndex.For(block.CodeBlock.SyntaxTree), block.CodeBlock) ||
                    block.SemanticModel.GetOperation(block.CodeBlock, block.CancellationToken) is not { } operation)
                {
                    return;
                }

                analyze(symbols, ImmutableArray.Create(operation), block.ReportDiagnostic, block.CancellationToken);
            });
        });
    }

    /// <summary>
    /// The names of methods declared with a SoftmaxGen [Softmax] attribute in this compilation, found by a syntax
    /// scan (no binding) of the trees that mention "softmax", and only when the generator's attribute exists at all.
    /// </summary>
    public static ImmutableHashSet<string> GeneratedSoftmaxNames(Compilation compilation)
    {
        if (compilation.GetTypeByMetadataName("SoftmaxGen.SoftmaxAttribute") is null)
        {
            return ImmutableHashSet<string>.Empty;
        }

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
