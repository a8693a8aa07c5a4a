using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// What one analysed "member body" is, for the analyzers and the fixers alike: a method, constructor, operator,
/// conversion or accessor with a body, or an expression-bodied property or indexer (its arrow clause). Lambdas and
/// local functions belong to the member that contains them.
/// </summary>
internal static class MemberBodies
{
    /// <summary>The node whose operation tree is one member body, or null for anything else.</summary>
    public static SyntaxNode? Body(SyntaxNode member) => member switch
    {
        BaseMethodDeclarationSyntax method when method.Body is not null || method.ExpressionBody is not null => method,
        AccessorDeclarationSyntax accessor when accessor.Body is not null || accessor.ExpressionBody is not null => accessor,
        PropertyDeclarationSyntax { ExpressionBody: { } arrow } => arrow,
        IndexerDeclarationSyntax { ExpressionBody: { } arrow } => arrow,
        _ => null,
    };

    /// <summary>The outermost member body containing <paramref name="node"/>.</summary>
    public static SyntaxNode? Containing(SyntaxNode node) =>
        node.AncestorsAndSelf().Select(Body).LastOrDefault(b => b is not null && b.Span.Contains(node.Span));

    /// <summary>Every member body of a tree, outermost only, in source order.</summary>
    public static IEnumerable<SyntaxNode> All(SyntaxNode root)
    {
        foreach (SyntaxNode node in root.DescendantNodes(static n => n is not (BlockSyntax or ArrowExpressionClauseSyntax or ExpressionSyntax)))
        {
            if (Body(node) is { } body)
            {
                yield return body;
            }
        }
    }
}
