using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// Exponents that are provably at most 0, so exp of them is at most 1 and cannot overflow: the Gaussian weights
/// exp(−d²/2σ²), exp(−2.5 · r²) with r² a sum of squares, exp(−|v|). Found by a small sign analysis: squares,
/// absolute values, square roots and sums and products of those are ≥ 0; their negation, or their product with a
/// negative constant, is ≤ 0, also divided by something ≥ 0.
/// </summary>
internal static class Bounded
{
    public static bool IsNonPositive(IOperation? exponent, SoftmaxMatcher matcher) => Sign(exponent, matcher, 0) < 0;

    /// <summary>A helper name that says its result is bounded (a clamp, a sigmoid, a log), so exp of it does not overflow.</summary>
    public static bool NameSaysBounded(string name)
    {
        string lower = name.ToLowerInvariant();
        return lower.Contains("clamp") || lower.Contains("clip") || lower.Contains("min") || lower.Contains("max") || lower.Contains("sigmoid") ||
            lower.Contains("tanh") || lower.Contains("limit") || lower.Contains("bound") || lower.Contains("safe") || lower.Contains("log") ||
            lower.Contains("sqrt") || lower.Contains("sin") || lower.Contains("cos");
    }

    /// <summary>+1: provably ≥ 0; −1: provably ≤ 0; 0: unknown.</summary>
    private static int Sign(IOperation? operation, SoftmaxMatcher matcher, int depth)
    {
        operation = Operations.Unwrap(operation);
        if (operation is null || depth > 6)
        {
            return 0;
        }

        if (operation.ConstantValue is { HasValue: true, Value: var constant })
        {
            double value = constant switch { int i => i, long l => l, float f => f, double d => d, _ => double.NaN };
            return value >= 0 ? 1 : value <= 0 ? -1 : 0;
        }

        switch (operation)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } negated:
                return -Sign(negated.Operand, matcher, depth + 1);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } product:
                if (SameValue(product.LeftOperand, product.RightOperand))
                {
                    return 1;
                }

                return Combine(Sign(product.LeftOperand, matcher, depth + 1), Sign(product.RightOperand, matcher, depth + 1));
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } quotient:
                return Combine(Sign(quotient.LeftOperand, matcher, depth + 1), Sign(quotient.RightOperand, matcher, depth + 1));
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum:
                int a = Sign(sum.LeftOperand, matcher, depth + 1), b = Sign(sum.RightOperand, matcher, depth + 1);
                return a == b ? a : 0;
            case IInvocationOperation { TargetMethod.Name: "Abs" or "Sqrt" or "Exp" or "Hypot" or "Distance" or "DistanceSquared" or "LengthSquared" or "Length" }:
                return 1;
            case IInvocationOperation { TargetMethod.Name: "Pow", Arguments.Length: 2 } power
                when power.Arguments[1].Value.ConstantValue is { HasValue: true, Value: var exponent } && IsEven(exponent):
                return 1;
            case IPropertyReferenceOperation { Property.Name: "magnitude" or "sqrMagnitude" or "Length" or "Count" }:
                return 1;
            case ILocalReferenceOperation local when matcher.WritesOf(local.Local) is { Count: > 0 } writes:
                int sign = 0;
                foreach (IOperation write in writes)
                {
                    int s = write switch
                    {
                        IVariableDeclaratorOperation declarator => Sign(declarator.GetVariableInitializer()?.Value, matcher, depth + 1),
                        ISimpleAssignmentOperation assignment => Sign(assignment.Value, matcher, depth + 1),
                        ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } add when sign > 0 => Sign(add.Value, matcher, depth + 1),
                        _ => 0,
                    };
                    if (s == 0 || (sign != 0 && s != sign))
                    {
                        return 0;
                    }

                    sign = s;
                }

                return sign;
            default:
                return 0;
        }
    }

    private static int Combine(int a, int b) => a == 0 || b == 0 ? 0 : a * b;

    private static bool IsEven(object? exponent) => exponent switch
    {
        int i => i % 2 == 0,
        double d => d % 2 == 0,
        float f => f % 2 == 0,
        _ => false,
    };

    /// <summary>d * d: the same local, parameter or element read twice.</summary>
    private static bool SameValue(IOperation a, IOperation b)
    {
        IOperation? x = Operations.Unwrap(a), y = Operations.Unwrap(b);
        return x is not null && y is not null && x.Kind == y.Kind &&
            x.Syntax.ToString() == y.Syntax.ToString() && !x.DescendantsAndSelf().OfType<IInvocationOperation>().Any();
    }
}
