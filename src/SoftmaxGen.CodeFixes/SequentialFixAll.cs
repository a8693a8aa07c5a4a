using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace SoftmaxGen.CodeFixes;

/// <summary>
/// Fix All for fixes that are not independent (two findings can share a statement, and a later one's name depends on
/// an earlier one's): applies the fix to the first remaining diagnostic of the document, re-analyses, and repeats, so the
/// result is exactly that of fixing one diagnostic at a time from the top.
/// </summary>
internal sealed class SequentialFixAll : FixAllProvider
{
    private readonly Func<Document, CancellationToken, Task<ImmutableArray<Diagnostic>>> _diagnosticsOf;
    private readonly FixAllProvider _inner;

    /// <param name="diagnosticsOf">The provider's diagnostics in a document, in source order, computed by the analyzers' own matchers.</param>
    public SequentialFixAll(Func<Document, CancellationToken, Task<ImmutableArray<Diagnostic>>> diagnosticsOf)
    {
        _diagnosticsOf = diagnosticsOf;
        _inner = Create(FixDocumentAsync);
    }

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => _inner.GetSupportedFixAllScopes();

    public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext) => _inner.GetFixAsync(fixAllContext);

    private async Task<Document?> FixDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        if (context.CodeFixProvider is not { } provider || diagnostics.IsEmpty)
        {
            return document;
        }

        var ids = diagnostics.Select(d => d.Id).ToImmutableHashSet();
        for (int round = 0; round < diagnostics.Length * 2; round++)
        {
            ImmutableArray<Diagnostic> current = (await _diagnosticsOf(document, context.CancellationToken).ConfigureAwait(false))
                .Where(d => ids.Contains(d.Id))
                .ToImmutableArray();
            bool applied = false;
            foreach (Diagnostic diagnostic in current)
            {
                CodeAction? action = null;
                var fixContext = new CodeFixContext(document, diagnostic, (a, _) =>
                {
                    if (a.EquivalenceKey == context.CodeActionEquivalenceKey)
                    {
                        action ??= a;
                    }
                }, context.CancellationToken);
                await provider.RegisterCodeFixesAsync(fixContext).ConfigureAwait(false);
                if (action is null)
                {
                    continue;
                }

                foreach (CodeActionOperation operation in await action.GetOperationsAsync(context.CancellationToken).ConfigureAwait(false))
                {
                    if (operation is ApplyChangesOperation apply)
                    {
                        document = apply.ChangedSolution.GetDocument(document.Id) ?? document;
                        applied = true;
                    }
                }

                break;
            }

            if (!applied)
            {
                break;
            }
        }

        return document;
    }
}
