using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using SoftmaxGen.Analysis.Patterns;
using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.CodeFixes;

/// <summary>
/// SMX1003: <c>TensorPrimitives.SoftMax(x, p)</c> → either subtract the maximum first (Subtract into the destination,
/// then SoftMax in place) or call a generated [Softmax] kernel. Both keep the destination's prefix semantics and the
/// ArgumentException for an empty input.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnstableLibrarySoftmaxCodeFixProvider)), Shared]
public sealed class UnstableLibrarySoftmaxCodeFixProvider : CodeFixProvider
{
    internal const string SubtractMaximumKey = DiagnosticIds.UnstableLibrarySoftmax + ".SubtractMaximum";
    internal const string GeneratedKernelKey = DiagnosticIds.UnstableLibrarySoftmax + ".UseGeneratedSoftmax";

    private static readonly SequentialFixAll s_fixAll = new(DiagnosticsAsync);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnstableLibrarySoftmax);

    public override FixAllProvider GetFixAllProvider() => s_fixAll;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (await FindAsync(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false) is not var (finding, model, member) ||
                finding.Call.Syntax.Parent is not ExpressionStatementSyntax statement ||
                statement.Parent is not BlockSyntax ||
                Destination(finding.Call, model) is not { } destination)
            {
                continue;
            }

            string x = ((ExpressionSyntax)Operations.Unwrap(finding.Call.Arguments[0].Value)!.Syntax).WithoutTrivia().ToString();
            string typeArguments = finding.ElementType?.SpecialType == SpecialType.System_Double ? "<double>" : string.Empty;
            string tp = ((InvocationExpressionSyntax)finding.Call.Syntax).Expression is MemberAccessExpressionSyntax access
                ? access.Expression.WithoutTrivia().ToString()
                : "global::System.Numerics.Tensors.TensorPrimitives";

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Subtract the maximum before TensorPrimitives.SoftMax",
                    ct => ReplaceAsync(context.Document, statement,
                    [
                        $"{tp}.Subtract{typeArguments}({x}, {tp}.Max{typeArguments}({x}), {destination.Whole});",
                        $"{tp}.SoftMax{typeArguments}({destination.Prefix}, {destination.Whole});",
                    ], ct),
                    SubtractMaximumKey),
                diagnostic);

            if (finding.ElementType is { } element && GeneratedKernel.CanAdd(model, member, "Softmax", element))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Use a generated softmax",
                        async ct =>
                        {
                            DocumentEditor editor = await DocumentEditor.CreateAsync(context.Document, ct).ConfigureAwait(false);
                            string kernel = GeneratedKernel.Ensure(editor, model, member, "Softmax", element, inPlace: false);
                            editor.ReplaceNode(statement, Statement($"{kernel}({x}, {destination.Prefix});", statement));
                            return editor.GetChangedDocument();
                        },
                        GeneratedKernelKey),
                    diagnostic);
            }
        }
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Document document, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || MathSymbols.Create(model.Compilation) is not { } symbols)
        {
            return ImmutableArray<Diagnostic>.Empty;
        }

        return FixerSupport.Members(root)
            .Select(m => model.GetOperation(m, cancellationToken))
            .Where(o => o is not null)
            .SelectMany(o => LibrarySoftmaxMatcher.Find([o!], symbols))
            .Select(f => Diagnostic.Create(Descriptors.UnstableLibrarySoftmax, f.Call.Syntax.GetLocation(), f.MessageArguments()))
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    internal static async Task<(LibrarySoftmaxFinding Finding, SemanticModel Model, SyntaxNode Member)?> FindAsync(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || MathSymbols.Create(model.Compilation) is not { } symbols ||
            FixerSupport.MemberOf(root.FindNode(span, getInnermostNodeForTie: true)) is not { } member ||
            model.GetOperation(member, cancellationToken) is not { } operation)
        {
            return null;
        }

        LibrarySoftmaxFinding? finding = LibrarySoftmaxMatcher.Find([operation], symbols).FirstOrDefault(f => f.Call.Syntax.Span == span);
        return finding is null ? null : (finding, model, member);
    }

    /// <summary>
    /// The destination as written, and the part of it SoftMax fills: itself when it is a local created as
    /// <c>new T[x.Length]</c>, otherwise its first x.Length elements (<c>AsSpan(0, n)</c> or <c>Slice(0, n)</c>).
    /// </summary>
    internal static (string Whole, string Prefix)? Destination(IInvocationOperation call, SemanticModel model)
    {
        IOperation destination = Operations.Unwrap(call.Arguments[1].Value)!;
        if (CollectionKey.Of(destination) is not { Member: null, Row: null } key || destination.Syntax is not ExpressionSyntax syntax)
        {
            return null;
        }

        string whole = syntax.WithoutTrivia().ToString();
        string x = Operations.Unwrap(call.Arguments[0].Value)!.Syntax.WithoutTrivia().ToString();
        if (key.Root is ILocalSymbol local &&
            local.DeclaringSyntaxReferences.Length == 1 &&
            local.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: ArrayCreationExpressionSyntax { Initializer: null } creation } &&
            creation.Type.RankSpecifiers.Count == 1 && creation.Type.RankSpecifiers[0].Sizes.Count == 1 &&
            creation.Type.RankSpecifiers[0].Sizes[0].WithoutTrivia().ToString() == x + ".Length" &&
            !IsReassigned(local, call, model))
        {
            return (whole, whole);
        }

        return destination.Type switch
        {
            IArrayTypeSymbol => (whole, $"{whole}.AsSpan(0, {x}.Length)"),
            INamedTypeSymbol { Name: "Span" } => (whole, $"{whole}.Slice(0, {x}.Length)"),
            _ => null,
        };
    }

    private static bool IsReassigned(ILocalSymbol local, IOperation call, SemanticModel model)
    {
        SyntaxNode? body = call.Syntax.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax);
        return body is null || body.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a =>
            SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(a.Left).Symbol, local));
    }

    private static Task<Document> ReplaceAsync(Document document, ExpressionStatementSyntax statement, string[] replacements, CancellationToken cancellationToken) =>
        Task.Run(
            async () =>
            {
                SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
                SyntaxTrivia newLine = statement.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
                newLine = newLine.IsKind(SyntaxKind.EndOfLineTrivia) ? newLine : SyntaxFactory.CarriageReturnLineFeed;
                var statements = replacements.Select((text, i) =>
                {
                    StatementSyntax s = SyntaxFactory.ParseStatement(text);
                    s = s.WithLeadingTrivia(i == 0 ? statement.GetLeadingTrivia() : Indentation(statement));
                    return s.WithTrailingTrivia(i == replacements.Length - 1 ? statement.GetTrailingTrivia() : SyntaxFactory.TriviaList(newLine));
                });
                return document.WithSyntaxRoot(root.ReplaceNode(statement, statements));
            },
            cancellationToken);

    /// <summary>Parses a statement and gives it the trivia of <paramref name="like"/> (comments before it stay).</summary>
    internal static StatementSyntax Statement(string text, StatementSyntax like) =>
        SyntaxFactory.ParseStatement(text).WithLeadingTrivia(like.GetLeadingTrivia()).WithTrailingTrivia(like.GetTrailingTrivia());

    internal static SyntaxTriviaList Indentation(StatementSyntax statement) =>
        SyntaxFactory.TriviaList(statement.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());
}
