using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using SoftmaxGen.Analysis.Patterns;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace SoftmaxGen.CodeFixes;

/// <summary>
/// The "Subtract the maximum" rewrite of one <see cref="SoftmaxFinding"/>: a max pass over the same collection is
/// inserted before the first statement that takes an exponential, every exp(x_i) becomes exp(x_i − max), and every
/// log of the sum becomes max + log(sum). Loops, foreach, LINQ lambdas and names are kept as they were.
/// An infinite maximum (an all −∞ input, or +∞ present) falls back to a shift of 0, i.e. to the original arithmetic,
/// so the fix never produces NaN where the original did not.
/// </summary>
internal sealed class SubtractMaximumRewrite
{
    private readonly SoftmaxFinding _finding;
    private readonly SemanticModel _model;
    private readonly SyntaxNode _member;
    private StatementSyntax _anchor = null!;
    private ITypeSymbol _maxType = null!;
    private string _maxName = null!;
    private StatementSyntax _maxLoop = null!;
    private HashSet<string> _taken = null!;

    private SubtractMaximumRewrite(SoftmaxFinding finding, SemanticModel model, SyntaxNode member)
    {
        _finding = finding;
        _model = model;
        _member = member;
    }

    /// <summary>Returns a rewrite when it is certain to compile and to keep the computed values; null otherwise.</summary>
    public static SubtractMaximumRewrite? TryCreate(SoftmaxFinding finding, SemanticModel model, SyntaxNode member, CancellationToken cancellationToken)
    {
        var rewrite = new SubtractMaximumRewrite(finding, model, member);
        return rewrite.Plan(cancellationToken) ? rewrite : null;
    }

    private bool Plan(CancellationToken cancellationToken)
    {
        // Only exp(x_i) and exp(x_i / T) are rewritten: a softmin, a scaled or an already (wrongly) shifted argument
        // needs a different bound, which this fix does not write.
        if (_finding.NoFix || _finding.Sites.Any(s => s.Kind == ExpSiteKind.Tensor || s.Scale != ExpScale.None || s.NotABound || s.Syntax().Ancestors().Any(a => a is LocalFunctionStatementSyntax)) ||
            (_finding.Logs.Length > 0 && _finding.Sites.Any(s => s.Temperature is not null)))
        {
            return false;
        }

        if (!SumsOnlyNormalise() || !SitesOnlyFeedTheSoftmax())
        {
            return false;
        }

        // The max pass goes before the first statement that takes an exponential, in the innermost block that holds
        // every exponential and is not inside a loop that supplies their elements (a row loop is fine: one max per row).
        List<SyntaxNode> sites = _finding.Sites.Select(s => s.Syntax()).ToList();
        List<SyntaxNode> sources = _finding.Sites.Where(s => s.Source is not null).Select(s => s.Source!.Syntax).ToList();
        BlockSyntax? block = sites[0].Ancestors().OfType<BlockSyntax>()
            .FirstOrDefault(b => sites.All(s => b.Span.Contains(s.Span)) && !sources.Any(src => src.Span.Contains(b.Span)));
        if (block is null || !_member.Span.Contains(block.Span))
        {
            return false;
        }

        _anchor = block.Statements.FirstOrDefault(st => sites.Any(s => st.Span.Contains(s.Span)))!;
        if (_anchor is null)
        {
            return false;
        }

        // The collection (and its row variable) must already be in scope there.
        var visible = _model.LookupSymbols(_anchor.SpanStart).ToImmutableHashSet(SymbolEqualityComparer.Default);
        CollectionKey key = _finding.Collection;
        if (!(key.Root is IFieldSymbol || visible.Contains(key.Root)) || (key.Row is not null && !visible.Contains(key.Row)) ||
            (key.Root is ILocalSymbol && key.Root.Locations.Any(l => l.SourceSpan.Start > _anchor.SpanStart)))
        {
            return false;
        }

        if (MaxType() is not { } maxType)
        {
            return false;
        }

        _maxType = maxType;
        _taken = new HashSet<string>(
            _member.DescendantNodesAndSelf().SelectMany(DeclaredNames).Concat(visible.Select(s => s.Name)),
            System.StringComparer.Ordinal);
        _maxName = Fresh("max", "maxLogit", "maxValue");
        cancellationToken.ThrowIfCancellationRequested();
        return MaxLoop() is { } loop && (_maxLoop = loop) is not null;
    }

    /// <summary>Every read of a sum local divides an exponential by it or takes its log.</summary>
    private bool SumsOnlyNormalise()
    {
        var allowed = new HashSet<SyntaxNode>();
        foreach (IOperation division in _finding.Divisions)
        {
            switch (division)
            {
                case IBinaryOperation binary:
                    allowed.Add(Operations.Unwrap(binary.RightOperand)!.Syntax);
                    break;
                case ICompoundAssignmentOperation compound:
                    allowed.Add(Operations.Unwrap(compound.Value)!.Syntax);
                    break;
                case IInvocationOperation divide:
                    allowed.Add(Operations.Unwrap(divide.Arguments[1].Value)!.Syntax);
                    break;
            }
        }

        foreach (IOperation log in _finding.Logs)
        {
            if (log.Type?.SpecialType == SpecialType.System_Single && MaxTypeIsDouble())
            {
                return false;
            }

            allowed.Add(Operations.Unwrap(((IInvocationOperation)log).Arguments[0].Value)!.Syntax);
        }

        foreach (ISymbol sum in _finding.SumLocals)
        {
            foreach (IdentifierNameSyntax name in _member.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == sum.Name))
            {
                if (!SymbolEqualityComparer.Default.Equals(_model.GetSymbolInfo(name).Symbol, sum) || allowed.Contains(name))
                {
                    continue;
                }

                // Writes (sum = 0, sum += e, sum = sum + e) were validated by the matcher.
                if (name.Parent is AssignmentExpressionSyntax assignment && assignment.Left == name)
                {
                    continue;
                }

                if (name.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } add && add.Left == name &&
                    add.Parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax self } && self.Identifier.ValueText == sum.Name)
                {
                    continue;
                }

                // 1 / sum (a reciprocal the exponentials are multiplied by) and checks of the sum (sum == 0,
                // double.IsInfinity(sum)) read the same value after the fix; the check just stops firing on overflow.
                if (IsReciprocalOrCheck(name))
                {
                    continue;
                }

                return false;
            }
        }

        return true;
    }

    private static bool IsReciprocalOrCheck(IdentifierNameSyntax name)
    {
        SyntaxNode parent = name.Parent is ParenthesizedExpressionSyntax p ? p.Parent! : name.Parent!;
        return parent switch
        {
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.DivideExpression } divide => divide.Right == name && divide.Left is LiteralExpressionSyntax { Token.ValueText: "1" },
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression or (int)SyntaxKind.NotEqualsExpression or (int)SyntaxKind.LessThanExpression or (int)SyntaxKind.LessThanOrEqualExpression or (int)SyntaxKind.GreaterThanExpression or (int)SyntaxKind.GreaterThanOrEqualExpression } compare =>
                compare.Left is LiteralExpressionSyntax || compare.Right is LiteralExpressionSyntax,
            ArgumentSyntax { Parent: ArgumentListSyntax { Arguments.Count: 1, Parent: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IsInfinity" or "IsPositiveInfinity" or "IsNaN" or "IsFinite" } } } } => true,
            _ => false,
        };
    }

    private bool MaxTypeIsDouble() => MaxType()?.SpecialType == SpecialType.System_Double;

    /// <summary>Every exponential is summed, stored, divided or returned from a LINQ lambda; none is used otherwise.</summary>
    private bool SitesOnlyFeedTheSoftmax()
    {
        foreach (ExpSite site in _finding.Sites)
        {
            if (site.Kind == ExpSiteKind.MethodGroup)
            {
                continue;
            }

            IOperation? parent = Operations.UnwrappedParent(site.Value);
            bool ok = parent switch
            {
                ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target: ILocalReferenceOperation sum } =>
                    _finding.SumLocals.Contains(sum.Local, SymbolEqualityComparer.Default),
                IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add =>
                    Operations.UnwrappedParent(add) is ISimpleAssignmentOperation { Target: ILocalReferenceOperation sum } &&
                    _finding.SumLocals.Contains(sum.Local, SymbolEqualityComparer.Default),
                ISimpleAssignmentOperation store => store.Value.Syntax.Span.Contains(site.Node.Syntax.Span),
                IVariableInitializerOperation { Parent: IVariableDeclaratorOperation held } => OnlyStoredOrSummed(held.Symbol),
                IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } divide => _finding.Divisions.Contains(divide),
                IReturnOperation { Parent: IBlockOperation { Parent: IAnonymousFunctionOperation } } => true,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A local holding one exponential is only stored into an element or added to a sum local.</summary>
    private bool OnlyStoredOrSummed(ILocalSymbol local)
    {
        foreach (IdentifierNameSyntax name in _member.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == local.Name))
        {
            if (!SymbolEqualityComparer.Default.Equals(_model.GetSymbolInfo(name).Symbol, local))
            {
                continue;
            }

            bool ok = name.Parent switch
            {
                AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Left: ElementAccessExpressionSyntax } store => store.Right == name,
                AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression } add => add.Right == name && IsSumLocal(add.Left),
                BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } add => add.Right == name && add.Parent is AssignmentExpressionSyntax { Left: var target } && IsSumLocal(target),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool IsSumLocal(ExpressionSyntax target) =>
        _model.GetSymbolInfo(target).Symbol is ILocalSymbol l && _finding.SumLocals.Contains(l, SymbolEqualityComparer.Default);

    /// <summary>
    /// The max's type: exp's parameter type when every element converts to it implicitly (int and float into double,
    /// int into float); otherwise the element type itself when it is float or double. All sites must agree.
    /// </summary>
    private ITypeSymbol? MaxType()
    {
        ITypeSymbol? chosen = null;
        foreach (ExpSite site in _finding.Sites)
        {
            ITypeSymbol? parameter;
            ITypeSymbol? element;
            if (site.Kind == ExpSiteKind.MethodGroup)
            {
                parameter = ((IMethodReferenceOperation)site.Node).Method.Parameters[0].Type;
                element = parameter;
            }
            else
            {
                var call = (IInvocationOperation)site.Node;
                parameter = call.TargetMethod.Parameters[call.Arguments.Length - 1].Type;
                element = site.Element?.Type;
            }

            if (element is null || parameter is null)
            {
                return null;
            }

            ITypeSymbol? type = _model.Compilation.ClassifyConversion(element, parameter) is { IsImplicit: true, IsNumeric: true } or { IsIdentity: true }
                ? parameter
                : TypeNames.IsFloatingPoint(element) ? element : null;
            if (type is null || !(TypeNames.IsFloatingPoint(type) || IsIeee754TypeParameter(type)) || (chosen is not null && !SymbolEqualityComparer.Default.Equals(chosen, type)))
            {
                return null;
            }

            chosen = type;
        }

        return chosen;
    }

    /// <summary>
    /// The max pass, in the shape of the code: a copy of the first <c>for</c> header that indexes the collection,
    /// or a <c>foreach</c> over it (for foreach loops and LINQ).
    /// </summary>
    private StatementSyntax? MaxLoop()
    {
        foreach (ExpSite site in _finding.Sites)
        {
            if (site.Source is IForLoopOperation { Syntax: ForStatementSyntax loop } && SimpleCountingLoop(loop) && site.Element is { } element)
            {
                return ParseStatement(
                    $"for ({loop.Declaration!.WithoutTrivia()}; {loop.Condition!.WithoutTrivia()}; {loop.Incrementors[0].WithoutTrivia()}) {MaxUpdate(element.Syntax.WithoutTrivia().ToString())}");
            }
        }

        foreach (ExpSite site in _finding.Sites)
        {
            ExpressionSyntax? collection = site.Source switch
            {
                IForEachLoopOperation { Syntax: ForEachStatementSyntax loop } => loop.Expression,
                IInvocationOperation linq => (ExpressionSyntax)Operations.Unwrap(linq.Arguments[0].Value)!.Syntax,
                _ => null,
            };
            if (collection is not null && IsSideEffectFree(collection))
            {
                string value = Fresh("value", "logit", "v");
                return ParseStatement($"foreach (var {value} in {collection.WithoutTrivia()}) {MaxUpdate(value)}");
            }
        }

        return null;
    }

    private static bool SimpleCountingLoop(ForStatementSyntax loop) =>
        loop.Declaration is { Variables.Count: 1 } declaration &&
        declaration.Variables[0].Initializer?.Value is { } start && IsSideEffectFree(start) &&
        loop.Condition is BinaryExpressionSyntax condition && IsSideEffectFree(condition) &&
        loop.Incrementors.Count == 1 &&
        loop.Incrementors[0] is PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax;

    private static bool IsSideEffectFree(ExpressionSyntax expression) =>
        expression.DescendantNodesAndSelf().All(n =>
            n is IdentifierNameSyntax or MemberAccessExpressionSyntax or LiteralExpressionSyntax or BinaryExpressionSyntax or
                ElementAccessExpressionSyntax or BracketedArgumentListSyntax or ArgumentSyntax or ParenthesizedExpressionSyntax or
                PredefinedTypeSyntax ||
            n.IsKind(SyntaxKind.ThisExpression));

    private string MaxUpdate(string value) =>
        _maxType is ITypeParameterSymbol generic
            ? $"{_maxName} = {generic.Name}.Max({_maxName}, {value});"
            : $"{_maxName} = {MathName()}.Max({_maxName}, {value});";

    /// <summary>
    /// A generic-math type parameter T : IFloatingPointIeee754&lt;T&gt; (directly or through another constraint), which has
    /// the T.NegativeInfinity, T.Max, T.IsInfinity and T.Zero the max pass is written with.
    /// </summary>
    private static bool IsIeee754TypeParameter(ITypeSymbol type) =>
        type is ITypeParameterSymbol parameter &&
        parameter.ConstraintTypes.SelectMany(c => c.AllInterfaces.Add((INamedTypeSymbol)c)).Any(i =>
            i is { Name: "IFloatingPointIeee754", ContainingNamespace.Name: "Numerics", TypeArguments.Length: 1 } &&
            SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], parameter));

    /// <summary><c>Math</c> when it means System.Math at the insertion point, else the fully qualified name.</summary>
    private string MathName() =>
        _model.LookupNamespacesAndTypes(_anchor.SpanStart, name: "Math").Length == 1 &&
        _model.LookupNamespacesAndTypes(_anchor.SpanStart, name: "Math")[0] is INamedTypeSymbol { ContainingNamespace.Name: "System", ContainingNamespace.ContainingNamespace.IsGlobalNamespace: true }
            ? "Math"
            : "global::System.Math";

    private string Fresh(params string[] candidates)
    {
        foreach (string candidate in candidates.Concat(Enumerable.Range(2, 100).Select(i => candidates[0] + i.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            if (_taken.Add(candidate))
            {
                return candidate;
            }
        }

        return candidates[0] + "_";
    }

    private static IEnumerable<string> DeclaredNames(SyntaxNode node) => node switch
    {
        VariableDeclaratorSyntax v => [v.Identifier.ValueText],
        ParameterSyntax p => [p.Identifier.ValueText],
        ForEachStatementSyntax f => [f.Identifier.ValueText],
        SingleVariableDesignationSyntax d => [d.Identifier.ValueText],
        LocalFunctionStatementSyntax l => [l.Identifier.ValueText],
        _ => [],
    };

    /// <summary>Applies the rewrite to <paramref name="document"/>, whose syntax the finding was computed on.</summary>
    public async Task<Document> ApplyAsync(Document document, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        string keyword = TypeNames.Keyword(_maxType);
        string max = _maxName;

        foreach (ExpSite site in _finding.Sites)
        {
            if (site.Kind == ExpSiteKind.MethodGroup)
            {
                var group = (ExpressionSyntax)site.Node.Syntax;
                string value = Fresh("value", "logit", "v");
                editor.ReplaceNode(group, ParseExpression($"{value} => {group.WithoutTrivia()}({value} - {max})").WithTriviaFrom(group));
            }
            else
            {
                var element = (ExpressionSyntax)site.Element!.Syntax;
                ExpressionSyntax shifted = ParseExpression($"{element.WithoutTrivia()} - {max}");
                editor.ReplaceNode(element, (element.Parent is ArgumentSyntax ? shifted : ParenthesizedExpression(shifted)).WithTriviaFrom(element));
            }
        }

        foreach (IOperation log in _finding.Logs)
        {
            var call = (ExpressionSyntax)log.Syntax;
            ExpressionSyntax patched = ParenthesizedExpression(ParseExpression($"{max} + {call.WithoutTrivia()}"));
            editor.ReplaceNode(call, patched.WithTriviaFrom(call).WithAdditionalAnnotations(Simplifier.Annotation));
        }

        // Same indentation and line ending as the statement the max pass goes before.
        SyntaxTriviaList indentation = TriviaList(_anchor.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());
        SyntaxTrivia newLine = _anchor.GetTrailingTrivia().Concat(_anchor.DescendantTrivia()).FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        newLine = newLine.IsKind(SyntaxKind.EndOfLineTrivia) ? newLine : CarriageReturnLineFeed;
        StatementSyntax[] inserted =
        [
            ParseStatement($"{keyword} {max} = {keyword}.NegativeInfinity;"),
            _maxLoop,
            ParseStatement($"if ({keyword}.IsInfinity({max})) {max} = {(_maxType is ITypeParameterSymbol ? keyword + ".Zero" : "0")};"),
        ];
        editor.InsertBefore(_anchor, inserted.Select(s => s.WithLeadingTrivia(indentation).WithTrailingTrivia(newLine)));
        return editor.GetChangedDocument();
    }
}

internal static class ExpSiteSyntax
{
    public static SyntaxNode Syntax(this ExpSite site) => site.Node.Syntax;
}
