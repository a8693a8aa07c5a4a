using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using SoftmaxGen.Analysis.Patterns;
using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.CodeFixes;

/// <summary>
/// SMX1001 (softmax, log-softmax) and SMX1002 (log-sum-exp): "Subtract the maximum", rewriting the code in place;
/// for a loop softmax over arrays or spans also "Use a generated softmax".
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnshiftedSoftmaxCodeFixProvider)), Shared]
public sealed class UnshiftedSoftmaxCodeFixProvider : CodeFixProvider
{
    internal const string SubtractMaximumKey = "SubtractMaximum";
    internal const string GeneratedKernelKey = "UseGeneratedSoftmax";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.UnshiftedSoftmax, DiagnosticIds.UnshiftedLogSumExp);

    private static readonly SequentialFixAll s_fixAll = new(DiagnosticsAsync);

    public override FixAllProvider GetFixAllProvider() => s_fixAll;

    /// <summary>What SMX1001/SMX1002 report in a document: the same matcher, the same locations.</summary>
    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
        (await FixerSupport.SoftmaxesAsync(document, cancellationToken).ConfigureAwait(false))
            .Select(f => Diagnostic.Create(
                f.Kind == SoftmaxFindingKind.LogSumExp ? Descriptors.UnshiftedLogSumExp : Descriptors.UnshiftedSoftmax,
                f.Location,
                f.MessageArguments()))
            .ToImmutableArray();

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (await FindAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not var (finding, model, member))
            {
                continue;
            }

            if (SubtractMaximumRewrite.TryCreate(finding, model, member, context.CancellationToken) is { } rewrite)
            {
                string title = finding.Kind == SoftmaxFindingKind.LogSumExp
                    ? "Subtract the maximum (m + log Σ exp(x − m))"
                    : "Subtract the maximum before exp";
                context.RegisterCodeFix(
                    CodeAction.Create(title, ct => rewrite.ApplyAsync(context.Document, ct), diagnostic.Id + "." + SubtractMaximumKey),
                    diagnostic);
            }

            if (finding.Kind == SoftmaxFindingKind.Softmax &&
                GeneratedSoftmaxRewrite.TryCreate(finding, model, member, context.CancellationToken) is { } generated)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Use a generated softmax", ct => generated.ApplyAsync(context.Document, ct), diagnostic.Id + "." + GeneratedKernelKey),
                    diagnostic);
            }
        }
    }

    internal static async Task<(SoftmaxFinding Finding, SemanticModel Model, SyntaxNode Member)?> FindAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || FixerSupport.MemberOf(root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)) is not { } member)
        {
            return null;
        }

        SoftmaxFindingKind kind = diagnostic.Id == DiagnosticIds.UnshiftedLogSumExp ? SoftmaxFindingKind.LogSumExp : SoftmaxFindingKind.Softmax;
        SoftmaxFinding? finding = FixerSupport.Softmaxes(model, member, cancellationToken)
            .FirstOrDefault(f => f.Kind == kind && f.Location.SourceSpan == diagnostic.Location.SourceSpan);
        return finding is null ? null : (finding, model, member);
    }
}
