using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>Small helpers over <see cref="IOperation"/> trees.</summary>
internal static class Operations
{
    /// <summary>Strips conversions and parentheses (numeric casts, span conversions, boxing).</summary>
    public static IOperation? Unwrap(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The parent, skipping conversions and parentheses.</summary>
    public static IOperation? UnwrappedParent(IOperation operation)
    {
        IOperation? parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent;
    }

    /// <summary>The value a lambda returns when its body is a single return (expression-bodied or <c>{ return e; }</c>).</summary>
    public static IOperation? SingleReturnedValue(IAnonymousFunctionOperation lambda)
    {
        IOperation? found = null;
        foreach (IOperation statement in lambda.Body.Operations)
        {
            if (statement is IReturnOperation { ReturnedValue: { } value } && found is null)
            {
                found = value;
            }
            else if (statement is IReturnOperation { IsImplicit: true, ReturnedValue: null })
            {
                continue;
            }
            else
            {
                return null;
            }
        }

        return found;
    }

    /// <summary>The lambda or method group passed as a delegate argument.</summary>
    public static IOperation? DelegateTarget(IOperation? argument)
    {
        argument = Unwrap(argument);
        return argument is IDelegateCreationOperation creation ? creation.Target : null;
    }

    /// <summary>A literal zero (0, 0f, 0.0, 0d, including after conversions).</summary>
    public static bool IsZero(IOperation? operation) =>
        Unwrap(operation) is IPropertyReferenceOperation { Property: { Name: "Zero", IsStatic: true } } ||
        operation is { ConstantValue: { HasValue: true, Value: var value } } &&
        value switch
        {
            int i => i == 0,
            long l => l == 0,
            float f => f == 0,
            double d => d == 0,
            _ => false,
        };

    /// <summary>A literal one (1, 1f, 1.0, including after conversions).</summary>
    public static bool IsOne(IOperation? operation) =>
        Unwrap(operation) is { ConstantValue: { HasValue: true, Value: var value } } &&
        value switch
        {
            int i => i == 1,
            long l => l == 1,
            float f => f == 1,
            double d => d == 1,
            _ => false,
        };

    /// <summary>Is <paramref name="inner"/> inside <paramref name="outer"/> (or the same operation)?</summary>
    public static bool IsWithin(IOperation inner, IOperation outer)
    {
        for (IOperation? o = inner; o is not null; o = o.Parent)
        {
            if (o == outer)
            {
                return true;
            }
        }

        return false;
    }
}
