using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SoftmaxGen.Analysis.Patterns;

namespace SoftmaxGen.CodeFixes;

/// <summary>Finds, for a diagnostic, the member whose operation tree the analyzers matched, and re-runs the same matcher.</summary>
internal static class FixerSupport
{
    /// <summary>The syntax whose operation tree is one analyzer operation block (a method, constructor, operator or accessor).</summary>
    public static SyntaxNode? MemberOf(SyntaxNode node) => MemberBodies.Containing(node);

    public static IEnumerable<SyntaxNode> Members(SyntaxNode root) => MemberBodies.All(root);

    public static ImmutableArray<SoftmaxFinding> Softmaxes(SemanticModel model, SyntaxNode member, CancellationToken cancellationToken)
    {
        if (MathSymbols.Create(model.Compilation) is not { } symbols || model.GetOperation(member, cancellationToken) is not { } operation)
        {
            return ImmutableArray<SoftmaxFinding>.Empty;
        }

        return SoftmaxMatcher.Find([operation], symbols, cancellationToken);
    }

    /// <summary>All softmax-family findings of a document, in source order.</summary>
    public static async Task<ImmutableArray<SoftmaxFinding>> SoftmaxesAsync(Document document, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return ImmutableArray<SoftmaxFinding>.Empty;
        }

        return Members(root)
            .SelectMany(m => Softmaxes(model, m, cancellationToken))
            .OrderBy(f => f.Location.SourceSpan.Start)
            .ToImmutableArray();
    }
}
