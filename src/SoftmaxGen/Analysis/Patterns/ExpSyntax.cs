using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// A syntax-only screen, run before building a member's operation tree: does the member take exp of something
/// that looks like an element (<c>Exp(x[i])</c>, <c>Exp(v)</c>, <c>Exp(x[i] / t)</c>, <c>Math.Pow(Math.E, v)</c>),
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
            if ((isExp && arguments.Count == 2) ||
                (isExp && arguments.Count == 1 && IsElementLike(arguments[0].Expression)) ||
                (!isExp && arguments.Count == 2 && IsElementLike(arguments[1].Expression)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsElementLike(ExpressionSyntax expression)
    {
        expression = Strip(expression);
        if (expression is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.DivideExpression or (int)SyntaxKind.SubtractExpression } binary)
        {
            expression = Strip(binary.Left);
            if (expression is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.SubtractExpression } shifted)
            {
                expression = Strip(shifted.Left);
            }
        }

        return expression is IdentifierNameSyntax or ElementAccessExpressionSyntax;
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
