using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using SoftmaxGen.Analysis.Patterns;

namespace SoftmaxGen.CodeFixes;

/// <summary>
/// "Use a generated softmax" for a hand-written loop softmax over an array or span: the loops (and the sum, and
/// a scratch array of exponentials) are replaced by one call to a generated [Softmax] kernel. Offered only when
/// the loops do nothing else: every statement in them sums, stores or divides exponentials of this softmax.
/// An empty input leaves the output untouched as before (the kernel itself rejects empty rows).
/// </summary>
internal sealed class GeneratedSoftmaxRewrite
{
    private readonly SemanticModel _model;
    private readonly SyntaxNode _member;
    private readonly List<StatementSyntax> _loops;
    private readonly List<StatementSyntax> _removed;
    private readonly ITypeSymbol _element;
    private readonly string _input;
    private readonly string? _output;

    private GeneratedSoftmaxRewrite(SemanticModel model, SyntaxNode member, List<StatementSyntax> loops, List<StatementSyntax> removed, ITypeSymbol element, string input, string? output)
    {
        _model = model;
        _member = member;
        _loops = loops;
        _removed = removed;
        _element = element;
        _input = input;
        _output = output;
    }

    public static GeneratedSoftmaxRewrite? TryCreate(SoftmaxFinding finding, SemanticModel model, SyntaxNode member, CancellationToken cancellationToken)
    {
        CollectionKey input = finding.Collection;
        if (finding.NoFix || finding.Kind != SoftmaxFindingKind.Softmax || finding.Logs.Length > 0 || finding.SumLocals.Length != 1 ||
            input.Member is not null || input.Row is not null || input.Root is not (IParameterSymbol or ILocalSymbol) ||
            member is not BaseMethodDeclarationSyntax { Body: { } body } ||
            finding.Sites.Any(s => s.Kind != ExpSiteKind.Call || s.Temperature is not null || s.Scale != ExpScale.None || s.NotABound || s.Source is not IForLoopOperation))
        {
            return null;
        }

        ITypeSymbol? element = TypeNames.ElementType(TypeOf(input.Root));
        if (!IsSpanOrArray(TypeOf(input.Root)) || element is null || !TypeNames.IsFloatingPoint(element) ||
            finding.Sites.Any(s => !SymbolEqualityComparer.Default.Equals(s.ValueType, element)) ||
            !SymbolEqualityComparer.Default.Equals(TypeOf(finding.SumLocals[0]), element) ||
            !GeneratedKernel.CanAdd(model, member, "Softmax", element))
        {
            return null;
        }

        // Where the probabilities go: every division stores into one collection.
        CollectionKey? output = null;
        foreach (IOperation division in finding.Divisions)
        {
            CollectionKey? target = division switch
            {
                ICompoundAssignmentOperation compound => ElementOwner(compound.Target),
                IBinaryOperation when Operations.UnwrappedParent(division) is ISimpleAssignmentOperation store => ElementOwner(store.Target),
                _ => null,
            };
            if (target is not { Member: null, Row: null } t || (output is not null && !output.Value.Equals(t)))
            {
                return null;
            }

            output = t;
        }

        if (output is not { } o || !IsWritableSpanOrArray(TypeOf(o.Root)) ||
            !SymbolEqualityComparer.Default.Equals(TypeNames.ElementType(TypeOf(o.Root)), element))
        {
            return null;
        }

        // The statements of the method body that touch the softmax: for loops made only of softmax steps,
        // contiguous, plus the sum's declaration and scratch arrays used nowhere else.
        string inputName = input.Root.Name;
        var allowedOperations = new HashSet<IOperation>(finding.Divisions);
        var loops = new List<StatementSyntax>();
        var touched = body.Statements.Where(s => Touches(s, finding)).ToList();
        if (touched.Count == 0)
        {
            return null;
        }

        int first = body.Statements.IndexOf(touched[0]);
        int last = body.Statements.IndexOf(touched[touched.Count - 1]);
        var removed = new List<StatementSyntax>();
        for (int i = first; i <= last; i++)
        {
            StatementSyntax statement = body.Statements[i];
            if (statement is ForStatementSyntax loop && IsSoftmaxLoop(loop, finding, model, inputName, cancellationToken))
            {
                loops.Add(loop);
            }
            else if (IsDeclarationOf(statement, finding.SumLocals[0], model, zeroOnly: true))
            {
                removed.Add(statement);
            }
            else
            {
                return null;
            }
        }

        if (loops.Count == 0 || (touched.Count > 0 && body.Statements.Take(first).Any(s => s is not LocalDeclarationStatementSyntax && Touches(s, finding))))
        {
            return null;
        }

        // The sum and any scratch array must be used only inside the replaced loops (and their declarations).
        var replaced = new HashSet<SyntaxNode>(loops.Concat(removed));
        ISymbol sum = finding.SumLocals[0];
        if (UsedOutside(sum, body, replaced, model, cancellationToken))
        {
            return null;
        }

        foreach (ILocalSymbol scratch in ScratchArrays(loops, model, input, o, cancellationToken))
        {
            StatementSyntax? declaration = body.Statements.FirstOrDefault(s => IsDeclarationOf(s, scratch, model, zeroOnly: false));
            if (declaration is null)
            {
                return null;
            }

            replaced.Add(declaration);
            if (UsedOutside(scratch, body, replaced, model, cancellationToken))
            {
                return null;
            }

            removed.Add(declaration);
        }

        // Output: in place, the same-length local, or the prefix the loops wrote.
        string? outputText;
        if (o.Equals(input))
        {
            if (TypeOf(input.Root) is INamedTypeSymbol { Name: "ReadOnlySpan" })
            {
                return null;
            }

            outputText = null;
        }
        else if (o.Root is ILocalSymbol local && local.DeclaringSyntaxReferences.Length == 1 &&
                 local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: ArrayCreationExpressionSyntax { Initializer: null } creation } &&
                 creation.Type.RankSpecifiers.Count == 1 && creation.Type.RankSpecifiers[0].Sizes.Count == 1 &&
                 creation.Type.RankSpecifiers[0].Sizes[0].ToString() == inputName + ".Length" &&
                 !body.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a => a.Left is IdentifierNameSyntax n && n.Identifier.ValueText == local.Name))
        {
            outputText = local.Name;
        }
        else
        {
            outputText = TypeOf(o.Root) is IArrayTypeSymbol
                ? $"{o.Root.Name}.AsSpan(0, {inputName}.Length)"
                : $"{o.Root.Name}.Slice(0, {inputName}.Length)";
        }

        return new GeneratedSoftmaxRewrite(model, member, loops, removed, element, inputName, outputText);
    }

    public async Task<Document> ApplyAsync(Document document, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        bool inPlace = _output is null;
        string kernel = GeneratedKernel.Ensure(editor, _model, _member, "Softmax", _element, inPlace);
        string call = inPlace ? $"{kernel}({_input});" : $"{kernel}({_input}, {_output});";
        StatementSyntax first = _loops[0];

        // Comments before any of the replaced statements stay, in order, before the call.
        var region = _loops.Concat(_removed).OrderBy(s => s.SpanStart).ToList();
        var leading = new List<SyntaxTrivia>();
        foreach (StatementSyntax statement in region)
        {
            var trivia = statement.GetLeadingTrivia().ToList();
            int end = trivia.Count;
            while (end > 0 && trivia[end - 1].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                end--;
            }

            if (trivia.Take(end).Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia)))
            {
                leading.AddRange(trivia.Take(end));
            }
        }

        leading.AddRange(first.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());
        StatementSyntax replacement = SyntaxFactory.ParseStatement($"if ({_input}.Length > 0) {call}")
            .WithLeadingTrivia(leading)
            .WithTrailingTrivia(_loops[_loops.Count - 1].GetTrailingTrivia());
        editor.ReplaceNode(first, replacement);
        foreach (StatementSyntax statement in _loops.Skip(1).Concat(_removed))
        {
            editor.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia);
        }

        return editor.GetChangedDocument();
    }

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        IParameterSymbol p => p.Type,
        ILocalSymbol l => l.Type,
        _ => null,
    };

    private static bool IsSpanOrArray(ITypeSymbol? type) =>
        type is IArrayTypeSymbol { Rank: 1 } || type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", ContainingNamespace.Name: "System" };

    private static bool IsWritableSpanOrArray(ITypeSymbol? type) =>
        type is IArrayTypeSymbol { Rank: 1 } || type is INamedTypeSymbol { Name: "Span", ContainingNamespace.Name: "System" };

    private static CollectionKey? ElementOwner(IOperation target) => Operations.Unwrap(target) switch
    {
        IArrayElementReferenceOperation { Indices.Length: 1 } element => CollectionKey.Of(element.ArrayReference),
        IPropertyReferenceOperation { Property.IsIndexer: true } indexer => CollectionKey.Of(indexer.Instance),
        _ => null,
    };

    private static bool Touches(StatementSyntax statement, SoftmaxFinding finding) =>
        finding.Sites.Any(s => statement.Span.Contains(s.Node.Syntax.Span)) ||
        finding.Divisions.Any(d => statement.Span.Contains(d.Syntax.Span)) ||
        statement.DescendantNodes().Any(n =>
            (n is IdentifierNameSyntax name && name.Identifier.ValueText == finding.SumLocals[0].Name) ||
            (n is VariableDeclaratorSyntax declarator && declarator.Identifier.ValueText == finding.SumLocals[0].Name));

    private static bool IsDeclarationOf(StatementSyntax statement, ISymbol local, SemanticModel model, bool zeroOnly) =>
        statement is LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } declaration &&
        SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declaration.Declaration.Variables[0]), local) &&
        (!zeroOnly || declaration.Declaration.Variables[0].Initializer?.Value is LiteralExpressionSyntax { Token.Value: 0 or 0f or 0d });

    /// <summary><c>for (int i = 0; i &lt; x.Length; i++)</c> whose statements are all softmax steps.</summary>
    private static bool IsSoftmaxLoop(ForStatementSyntax loop, SoftmaxFinding finding, SemanticModel model, string input, CancellationToken cancellationToken)
    {
        if (loop.Declaration is not { Variables.Count: 1 } declaration ||
            declaration.Variables[0].Initializer?.Value is not LiteralExpressionSyntax { Token.Value: 0 } ||
            loop.Condition is not BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LessThanExpression, Left: IdentifierNameSyntax index, Right: var bound } ||
            index.Identifier.ValueText != declaration.Variables[0].Identifier.ValueText ||
            bound.ToString() != input + ".Length" ||
            loop.Incrementors.Count != 1 || loop.Incrementors[0] is not (PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax))
        {
            return false;
        }

        IEnumerable<StatementSyntax> statements = loop.Statement is BlockSyntax block ? block.Statements : new[] { loop.Statement };
        foreach (StatementSyntax statement in statements)
        {
            if (statement is not ExpressionStatementSyntax expression ||
                model.GetOperation(expression.Expression, cancellationToken) is not { } operation ||
                !IsSoftmaxStep(operation, finding))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSoftmaxStep(IOperation operation, SoftmaxFinding finding)
    {
        ISymbol sum = finding.SumLocals[0];
        bool IsSite(IOperation value) => finding.Sites.Any(s => s.Value.Syntax == value.Syntax || s.Node.Syntax == value.Syntax);
        return operation switch
        {
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target: ILocalReferenceOperation t } =>
                SymbolEqualityComparer.Default.Equals(t.Local, sum),
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation t, Value: var v } =>
                SymbolEqualityComparer.Default.Equals(t.Local, sum) && Operations.Unwrap(v) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add },
            ICompoundAssignmentOperation compound => finding.Divisions.Any(d => d.Syntax == compound.Syntax),
            ISimpleAssignmentOperation store => IsSite(store.Value) || finding.Divisions.Any(d => d.Syntax == Operations.Unwrap(store.Value)!.Syntax),
            _ => false,
        };
    }

    /// <summary>Locals other than the input and output whose elements the loops write (arrays of exponentials).</summary>
    private static IEnumerable<ILocalSymbol> ScratchArrays(List<StatementSyntax> loops, SemanticModel model, CollectionKey input, CollectionKey output, CancellationToken cancellationToken)
    {
        var seen = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (AssignmentExpressionSyntax assignment in loops.SelectMany(l => l.DescendantNodes().OfType<AssignmentExpressionSyntax>()))
        {
            if (assignment.Left is ElementAccessExpressionSyntax access &&
                model.GetSymbolInfo(access.Expression, cancellationToken).Symbol is ILocalSymbol local &&
                !SymbolEqualityComparer.Default.Equals(local, input.Root) && !SymbolEqualityComparer.Default.Equals(local, output.Root) &&
                seen.Add(local))
            {
                yield return local;
            }
        }
    }

    private static bool UsedOutside(ISymbol symbol, SyntaxNode body, HashSet<SyntaxNode> replaced, SemanticModel model, CancellationToken cancellationToken) =>
        body.DescendantNodes().OfType<IdentifierNameSyntax>().Any(n =>
            n.Identifier.ValueText == symbol.Name &&
            !n.Ancestors().Any(replaced.Contains) &&
            SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(n, cancellationToken).Symbol, symbol));
}
