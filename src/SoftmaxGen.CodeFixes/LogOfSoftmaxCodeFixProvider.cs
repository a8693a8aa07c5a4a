using System.Collections.Generic;
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
/// SMX1004: when the probabilities come from <c>TensorPrimitives.SoftMax(x, p)</c> or a generated [Softmax] kernel and
/// are used only inside logarithms, compute log-softmax into them instead (a generated [LogSoftmax] kernel) and drop
/// the logs: <c>Math.Log(p[i])</c> becomes <c>p[i]</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LogOfSoftmaxCodeFixProvider)), Shared]
public sealed class LogOfSoftmaxCodeFixProvider : CodeFixProvider
{
    internal const string LogSoftmaxKey = DiagnosticIds.LogOfSoftmax + ".UseLogSoftmax";

    private static readonly SequentialFixAll s_fixAll = new(DiagnosticsAsync);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.LogOfSoftmax);

    public override FixAllProvider GetFixAllProvider() => s_fixAll;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (await PlanAsync(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false) is not { } plan)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Use log-softmax instead of log(softmax)", ct => ApplyAsync(context.Document, plan, ct), LogSoftmaxKey),
                diagnostic);
        }
    }

    private sealed record Plan(
        SemanticModel Model,
        SyntaxNode Member,
        ExpressionStatementSyntax SoftmaxStatement,
        string Input,
        string Destination,
        ITypeSymbol Element,
        ImmutableArray<(InvocationExpressionSyntax Log, ExpressionSyntax Read, bool WidenToDouble)> Logs);

    private static async Task<Plan?> PlanAsync(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || MathSymbols.Create(model.Compilation) is not { } symbols ||
            FixerSupport.MemberOf(root.FindNode(span, getInnermostNodeForTie: true)) is not { } member ||
            model.GetOperation(member, cancellationToken) is not { } body)
        {
            return null;
        }

        ImmutableArray<LogOfSoftmaxFinding> findings = SoftmaxMatcher.FindLogsOfSoftmax([body], symbols, cancellationToken);
        if (findings.FirstOrDefault(f => f.Log.Syntax.Span == span) is not { } finding)
        {
            return null;
        }

        // The softmax call: TensorPrimitives.SoftMax(x, p) or a generated [Softmax] kernel (x, p), as a statement.
        IInvocationOperation? call = body.Descendants().OfType<IInvocationOperation>().FirstOrDefault(i =>
            i.Arguments.Length == 2 &&
            (symbols.IsTensorPrimitives(i.TargetMethod, "SoftMax") || GeneratedKernels.IsSoftmaxKernel(i.TargetMethod)) &&
            CollectionKey.Of(i.Arguments[1].Value) is { } destination && destination.Equals(finding.Probabilities));
        if (call?.Syntax.Parent is not ExpressionStatementSyntax { Parent: BlockSyntax } statement ||
            TypeNames.ElementType(Operations.Unwrap(call.Arguments[1].Value)!.Type) is not { } element ||
            !GeneratedKernel.CanAdd(model, member, "LogSoftmax", element))
        {
            return null;
        }

        string? prefix = GeneratedKernels.IsSoftmaxKernel(call.TargetMethod)
            ? Operations.Unwrap(call.Arguments[1].Value)!.Syntax.ToString()
            : UnstableLibrarySoftmaxCodeFixProvider.Destination(call, model)?.Prefix;
        if (prefix is null)
        {
            return null;
        }

        // Every other use of the probabilities is p[i] directly inside one of the reported logs.
        var logs = findings.Where(f => f.Probabilities.Equals(finding.Probabilities) && f.Log is IInvocationOperation).ToList();
        var reads = new List<(InvocationExpressionSyntax, ExpressionSyntax, bool)>();
        var allowed = new HashSet<SyntaxNode> { Operations.Unwrap(call.Arguments[1].Value)!.Syntax };
        foreach (LogOfSoftmaxFinding log in logs)
        {
            var invocation = (IInvocationOperation)log.Log;
            IOperation read = Operations.Unwrap(invocation.Arguments[0].Value)!;
            if (read is not (IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true }) ||
                invocation.Syntax is not InvocationExpressionSyntax logSyntax || read.Syntax is not ElementAccessExpressionSyntax access)
            {
                return null;
            }

            allowed.Add(access.Expression);
            bool widen = invocation.Type?.SpecialType == SpecialType.System_Double && element.SpecialType == SpecialType.System_Single;
            reads.Add((logSyntax, access, widen));
        }

        ISymbol probabilities = finding.Probabilities.Root;
        foreach (IdentifierNameSyntax name in member.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == probabilities.Name))
        {
            if (SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, probabilities) && !allowed.Contains(name))
            {
                return null;
            }
        }

        string input = Operations.Unwrap(call.Arguments[0].Value)!.Syntax.WithoutTrivia().ToString();
        return new Plan(model, member, statement, input, prefix, element, reads.ToImmutableArray());
    }

    private static async Task<Document> ApplyAsync(Document document, Plan plan, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        string kernel = GeneratedKernel.Ensure(editor, plan.Model, plan.Member, "LogSoftmax", plan.Element, inPlace: false);
        editor.ReplaceNode(plan.SoftmaxStatement, UnstableLibrarySoftmaxCodeFixProvider.Statement($"{kernel}({plan.Input}, {plan.Destination});", plan.SoftmaxStatement));
        foreach (var (log, read, widen) in plan.Logs)
        {
            ExpressionSyntax replacement = widen
                ? SyntaxFactory.ParseExpression($"(double){read.WithoutTrivia()}")
                : read.WithoutTrivia();
            editor.ReplaceNode(log, replacement.WithTriviaFrom(log));
        }

        return editor.GetChangedDocument();
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
            .SelectMany(o => SoftmaxMatcher.FindLogsOfSoftmax([o!], symbols, cancellationToken))
            .Select(f => Diagnostic.Create(Descriptors.LogOfSoftmax, f.Log.Syntax.GetLocation(), f.MessageArguments()))
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
    }
}
