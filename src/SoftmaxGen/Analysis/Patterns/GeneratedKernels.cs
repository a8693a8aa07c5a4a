using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>The one test for "is this a SoftmaxGen generated kernel", shared by the analyzers and the fixers.</summary>
internal static class GeneratedKernels
{
    /// <summary>A static void partial method declared with SoftmaxGen's [Softmax] (or [LogSoftmax] when asked).</summary>
    public static bool IsKernel(IMethodSymbol method, string attributeName = "SoftmaxAttribute") =>
        method.Parameters.Length is 1 or 2 && method.IsStatic && method.ReturnsVoid &&
        (method.PartialDefinitionPart ?? method).GetAttributes().Any(a => a.AttributeClass is { ContainingNamespace.Name: "SoftmaxGen" } c && c.Name == attributeName);

    public static bool IsSoftmaxKernel(IMethodSymbol method) => IsKernel(method);

    /// <summary>
    /// The names of methods declared with a SoftmaxGen [Softmax] attribute in this compilation, found by a syntax
    /// scan (no binding) of the trees that mention "softmax".
    /// </summary>
    public static ImmutableHashSet<string> SoftmaxNames(Compilation compilation)
    {
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            if (!NameIndex.For(tree).HasSoftmaxAnyCase(new Microsoft.CodeAnalysis.Text.TextSpan(0, tree.Length)))
            {
                continue;
            }

            foreach (SyntaxNode node in tree.GetRoot().DescendantNodes(n => n is not BlockSyntax))
            {
                if (node is AttributeSyntax attribute &&
                    attribute.Parent?.Parent is MethodDeclarationSyntax method &&
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

    /// <summary>Whether the body names one of <paramref name="names"/> (a syntax test, no binding).</summary>
    public static bool NamesAny(SyntaxNode body, ImmutableHashSet<string> names) =>
        body.DescendantTokens().Any(t => names.Contains(t.ValueText));
}
