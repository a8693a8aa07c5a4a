using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// A syntax-only screen, run before building a member's operation tree: does the member take exp of something
/// that looks like an element (<c>Exp(x[i])</c>, <c>Exp(v)</c> for a foreach variable or lambda parameter <c>v</c>,
/// <c>Exp(x[i] / t)</c>, <c>Math.Pow(Math.E, v)</c>),
/// pass exp as a method group, or call a two-argument <c>Exp</c> (TensorPrimitives)? Exponentials of anything else
/// (<c>Exp(-x)</c>, <c>Exp(a * b)</c>) can never be a site of the matchers, so such members are skipped unbound.
/// </summary>
internal static class ExpSyntax
{
    public static bool HasElementExp(SyntaxNode body)
    {
        foreach (SyntaxNode node in body.DescendantNodes())
        {
            if (node is not IdentifierNameSyntax { Identifier.ValueText: "Exp" or "Pow" } name)
            {
                continue;
            }

            SyntaxNode expression = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
            if (expression.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != expression)
            {
                return true;
            }

            SeparatedSyntaxList<ArgumentSyntax> arguments = invocation.ArgumentList.Arguments;
            bool isExp = name.Identifier.ValueText == "Exp";
            if (isExp && (IsHelperCall(expression) || IsVectorExp(expression)))
            {
                // Exp(logits) or Ops.Exp(x): a helper of the compilation, summarised later.
                return true;
            }

            if ((isExp && arguments.Count == 2) ||
                (isExp && arguments.Count == 1 && IsElementLike(arguments[0].Expression)) ||
                (!isExp && arguments.Count == 2 && IsElementLike(arguments[1].Expression)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>Vector.Exp(…)</c>, <c>Vector256.Exp(…)</c>: exps of vector chunks.</summary>
    private static bool IsVectorExp(SyntaxNode expression) =>
        expression is MemberAccessExpressionSyntax { Expression: var qualifier } &&
        (qualifier is MemberAccessExpressionSyntax { Name: var last } ? last : qualifier) is IdentifierNameSyntax
        {
            Identifier.ValueText: "Vector" or "Vector64" or "Vector128" or "Vector256" or "Vector512",
        };

    /// <summary><c>Exp(…)</c> unqualified, or qualified by something other than a known math type.</summary>
    private static bool IsHelperCall(SyntaxNode expression) =>
        expression is IdentifierNameSyntax ||
        (expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: var qualifier } } &&
         qualifier is not ("Math" or "MathF" or "Double" or "Single" or "Half" or "Mathf" or "math" or "TensorPrimitives" or "Vector" or "Vector64" or "Vector128" or "Vector256" or "Vector512" or "T" or "NFloat") &&
         !(qualifier.Length == 1 && char.IsUpper(qualifier[0])));

    private static bool IsElementLike(ExpressionSyntax expression)
    {
        expression = Strip(expression);
        if (expression is MemberAccessExpressionSyntax { Expression: var owner } && Strip(owner) is ElementAccessExpressionSyntax or IdentifierNameSyntax)
        {
            // c.Score, kv.Value, items[i].Weight: a member of an element.
            expression = Strip(owner);
        }

        if (expression is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } negated)
        {
            // exp(−x_i): softmin.
            expression = Strip(negated.Operand);
        }

        if (expression is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.MultiplyExpression } scaled)
        {
            // exp(β · x_i), exp(x_i · β).
            return IsElementLike(scaled.Left) || IsElementLike(scaled.Right);
        }

        if (expression is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.SubtractExpression } reversed && IsElementLike(reversed.Right))
        {
            // exp(c − x_i).
            return true;
        }

        if (expression is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } moved)
        {
            // exp(x_i + ε).
            return IsElementLike(moved.Left) || IsElementLike(moved.Right);
        }

        if (expression is InvocationExpressionSyntax transformed)
        {
            // exp(GetExponent(value[i])): a helper applied to the element.
            foreach (ArgumentSyntax argument in transformed.ArgumentList.Arguments)
            {
                if (IsElementLike(argument.Expression))
                {
                    return true;
                }
            }

            return false;
        }

        if (expression is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.DivideExpression or (int)SyntaxKind.SubtractExpression } binary)
        {
            expression = Strip(binary.Left);
            if (expression is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.SubtractExpression } shifted)
            {
                expression = Strip(shifted.Left);
            }
        }

        if (expression is MemberAccessExpressionSyntax { Expression: var inner } && Strip(inner) is ElementAccessExpressionSyntax or IdentifierNameSyntax)
        {
            // kv.Value / t, c.Score − m.
            expression = Strip(inner);
        }

        return expression is ElementAccessExpressionSyntax ||
            (expression is IdentifierNameSyntax name && (IsLoopOrLambdaVariable(name) || IsDeclaredInLoop(name)));
    }

    /// <summary>A local declared inside the body of an enclosing foreach, or for loop to a collection's Length or Count (one value per element).</summary>
    private static bool IsDeclaredInLoop(IdentifierNameSyntax name)
    {
        string text = name.Identifier.ValueText;
        foreach (SyntaxNode ancestor in name.Ancestors())
        {
            if (ancestor is MemberDeclarationSyntax)
            {
                return false;
            }

            if (ancestor is ForStatementSyntax { Condition: not BinaryExpressionSyntax { Right: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Length" or "Count" } } })
            {
                // Only loops over a collection give one element per iteration (a series loop to a constant does not).
                continue;
            }

            if (ancestor is ForStatementSyntax or ForEachStatementSyntax)
            {
                StatementSyntax body = ancestor is ForStatementSyntax f ? f.Statement : ((ForEachStatementSyntax)ancestor).Statement;
                foreach (SyntaxNode node in body.DescendantNodes())
                {
                    if (node is VariableDeclaratorSyntax declarator && declarator.Identifier.ValueText == text)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        return false;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SyntaxTree, System.Collections.Generic.HashSet<string>> s_expHelpers = new();

    /// <summary>
    /// A wrapper: <c>=&gt; Math.Exp(…)</c> or a body that is one <c>return Math.Exp(…);</c> (casts allowed). Longer
    /// methods that merely use exp (special functions, densities) are not wrappers, and their callers are not screened in.
    /// </summary>
    private static bool ReturnsOnlyAnExp(MethodDeclarationSyntax method)
    {
        ExpressionSyntax? returned = method.ExpressionBody?.Expression ??
            (method.Body is { Statements.Count: 1 } body && body.Statements[0] is ReturnStatementSyntax { Expression: { } value } ? value : null);
        return returned is not null && Strip(returned) is InvocationExpressionSyntax
        {
            Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Exp" } or IdentifierNameSyntax { Identifier.ValueText: "Exp" },
        };
    }

    /// <summary>
    /// Whether the member calls an exp wrapper declared in the same file (<c>expt(q, T) =&gt; Math.Exp(q / T)</c>, whose
    /// name does not say exp): such calls are exps, followed through the helper's summary.
    /// </summary>
    public static bool CallsExpHelper(NameIndex index, SyntaxNode body)
    {
        System.Collections.Generic.HashSet<string> helpers = s_expHelpers.GetValue(body.SyntaxTree, tree =>
        {
            var names = new System.Collections.Generic.HashSet<string>(System.StringComparer.Ordinal);
            foreach (SyntaxNode member in MemberBodies.All(tree.GetRoot()))
            {
                if (member is MethodDeclarationSyntax method && index.HasExp(member.Span) && ReturnsOnlyAnExp(method))
                {
                    names.Add(method.Identifier.ValueText);
                }
            }

            return names;
        });
        if (helpers.Count == 0)
        {
            return false;
        }

        foreach (SyntaxNode node in body.DescendantNodes())
        {
            if (node is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: var called } } && helpers.Contains(called))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A name declared by an enclosing <c>foreach</c> or lambda parameter (an element of a collection).</summary>
    private static bool IsLoopOrLambdaVariable(IdentifierNameSyntax name)
    {
        string text = name.Identifier.ValueText;
        foreach (SyntaxNode ancestor in name.Ancestors())
        {
            switch (ancestor)
            {
                case ForEachStatementSyntax loop when loop.Identifier.ValueText == text:
                    return true;
                case SimpleLambdaExpressionSyntax lambda when lambda.Parameter.Identifier.ValueText == text:
                    return true;
                case ParenthesizedLambdaExpressionSyntax lambda when lambda.ParameterList.Parameters.Count == 1 &&
                                                                    lambda.ParameterList.Parameters[0].Identifier.ValueText == text:
                    return true;
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static ExpressionSyntax Strip(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    expression = parenthesized.Expression;
                    break;
                case CastExpressionSyntax cast:
                    expression = cast.Expression;
                    break;
                default:
                    return expression;
            }
        }
    }
}
