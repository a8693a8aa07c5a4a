using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// Whether the c of exp(x_i − c) is an upper bound of the row (for a softmin, exp(c − x_i), a lower bound). Stability
/// needs positive evidence: a maximum computed in the body (a loop max, <c>Max()</c>, <c>TensorPrimitives.Max</c>,
/// <c>Math.Max</c>), a helper of the compilation summarised as returning the max, or — for a value the body cannot
/// see into (a parameter, a field, a property, another method's result) — a name that says so (<c>max</c>,
/// <c>maxLogit</c>, <c>best</c>, <c>shift</c>, …). A constant, a mean, one element at a constant index, or any other
/// value is not a bound, and the exponential counts as unshifted.
/// </summary>
internal static class BoundsAnalysis
{
    public static bool IsBound(IOperation subtrahend, SoftmaxMatcher matcher, bool minimum) =>
        !IsNotABound(subtrahend, matcher) && HasEvidence(subtrahend, matcher, minimum, 0);

    /// <summary>A constant, a mean (<c>Average()</c>, <c>sum / n</c>) or one element read at a constant index (<c>x[0]</c>).</summary>
    public static bool IsNotABound(IOperation subtrahend, SoftmaxMatcher matcher) => IsNotABound(subtrahend, matcher, 0);

    private static bool IsNotABound(IOperation subtrahend, SoftmaxMatcher matcher, int depth)
    {
        IOperation? c = Operations.Unwrap(subtrahend);
        switch (c)
        {
            case { ConstantValue.HasValue: true }:
                return true;
            case IInvocationOperation { TargetMethod.Name: "Average" or "Mean" }:
                return true;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide, LeftOperand: var total } when Operations.Unwrap(total) is IInvocationOperation { TargetMethod.Name: "Sum" }:
                return true;
            case IArrayElementReferenceOperation { Indices.Length: 1 } element when element.Indices[0].ConstantValue.HasValue:
                return true;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer when indexer.Arguments[0].Value.ConstantValue.HasValue:
                return true;
            case ILocalReferenceOperation local when depth < 4 && matcher.SingleInitializer(local.Local) is { } initial && !matcher.ReadsElement(initial):
                return IsNotABound(initial, matcher, depth + 1);
            default:
                return false;
        }
    }

    /// <summary>
    /// The collection whose maximum (or minimum) <paramref name="value"/> provably is: <c>x.Max()</c>,
    /// <c>TensorPrimitives.Max(x)</c>, a helper summarised as max, or a local updated with
    /// <c>m = Math.Max(m, x[i])</c>, <c>if (x[i] &gt; m) m = x[i]</c> or <c>m = x[i] &gt; m ? x[i] : m</c>.
    /// </summary>
    public static CollectionKey? ExtremeOf(IOperation? value, SoftmaxMatcher matcher, bool minimum)
    {
        string name = minimum ? "Min" : "Max";
        switch (Operations.Unwrap(value))
        {
            case IInvocationOperation { Arguments.Length: 1 } reduction when reduction.TargetMethod.Name == name:
                return CollectionKey.Of(reduction.Arguments[0].Value);
            case IInvocationOperation helper when matcher.HelperExtremeOf(helper, minimum) is { } key:
                return key;
            case ILocalReferenceOperation local when matcher.WritesOf(local.Local) is { } writes:
                CollectionKey? found = null;
                foreach (IOperation write in writes)
                {
                    if (write is not ISimpleAssignmentOperation assignment || RunningUpdate(assignment, local.Local, matcher, name) is not { } key)
                    {
                        continue;
                    }

                    if (found is not null && !found.Value.Equals(key))
                    {
                        return null;
                    }

                    found = key;
                }

                return found;
            default:
                return null;
        }
    }

    /// <summary>The collection of <c>m = Math.Max(m, x_i)</c>, <c>m = x_i &gt; m ? x_i : m</c>, or <c>if (x_i &gt; m) m = x_i</c>.</summary>
    private static CollectionKey? RunningUpdate(ISimpleAssignmentOperation assignment, ILocalSymbol local, SoftmaxMatcher matcher, string name)
    {
        IOperation? value = Operations.Unwrap(assignment.Value);
        switch (value)
        {
            case IInvocationOperation { Arguments.Length: 2 } pairwise when pairwise.TargetMethod.Name == name:
                IOperation a = pairwise.Arguments[0].Value, b = pairwise.Arguments[1].Value;
                return IsLocal(a, local) ? matcher.ElementKey(b) : IsLocal(b, local) ? matcher.ElementKey(a) : null;
            case IConditionalOperation { Condition: IBinaryOperation condition, WhenFalse: { } whenFalse } choice when IsRelational(condition):
                return IsLocal(whenFalse, local) ? matcher.ElementKey(choice.WhenTrue) : IsLocal(choice.WhenTrue, local) ? matcher.ElementKey(whenFalse) : null;
        }

        // if (x_i > m) m = x_i; (also with braces, or with the index saved alongside).
        IOperation? parent = assignment.Parent;
        for (int depth = 0; parent is not null && depth < 4; depth++, parent = parent.Parent)
        {
            if (parent is IConditionalOperation { Condition: IBinaryOperation condition } && IsRelational(condition) &&
                (IsLocal(condition.LeftOperand, local) || IsLocal(condition.RightOperand, local)))
            {
                return matcher.ElementKey(assignment.Value);
            }
        }

        return null;
    }

    private static bool IsRelational(IBinaryOperation condition) =>
        condition.OperatorKind is BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual;

    private static bool IsLocal(IOperation? operation, ILocalSymbol local) =>
        Operations.Unwrap(operation) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);

    private static bool HasEvidence(IOperation? c, SoftmaxMatcher matcher, bool minimum, int depth)
    {
        c = Operations.Unwrap(c);
        if (c is null || depth > 3)
        {
            return false;
        }

        if (ExtremeOf(c, matcher, minimum) is not null)
        {
            return true;
        }

        switch (c)
        {
            case IObjectCreationOperation { Arguments.Length: 1 } broadcast when TypeNames.IsVectorType(broadcast.Type):
                // new Vector<float>(max)
                return HasEvidence(broadcast.Arguments[0].Value, matcher, minimum, depth + 1);
            case IInvocationOperation { TargetMethod.Name: "Create", Arguments.Length: 1 } broadcast when TypeNames.IsVectorType(broadcast.TargetMethod.ContainingType):
                // Vector256.Create(max)
                return HasEvidence(broadcast.Arguments[0].Value, matcher, minimum, depth + 1);
            case IInvocationOperation invocation:
                return NameSays(invocation.TargetMethod.Name, minimum);
            case ILocalReferenceOperation local:
                if (NameSays(local.Local.Name, minimum))
                {
                    return true;
                }

                foreach (IOperation write in matcher.WritesOf(local.Local) ?? [])
                {
                    IOperation? written = write switch
                    {
                        IVariableDeclaratorOperation declarator => declarator.GetVariableInitializer()?.Value,
                        ISimpleAssignmentOperation assignment => assignment.Value,
                        _ => null,
                    };
                    if (written is not null && HasEvidence(written, matcher, minimum, depth + 1))
                    {
                        return true;
                    }
                }

                return false;
            case IParameterReferenceOperation parameter:
                // A scalar shift passed in (LogSum(x, shift)): the method subtracts what its callers give it, so the bound is
                // theirs to keep; a naive softmax subtracts nothing, so this is evidence enough not to report the method.
                return NameSays(parameter.Parameter.Name, minimum) || parameter.Type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double;
            case IFieldReferenceOperation field:
                return NameSays(field.Field.Name, minimum);
            case IPropertyReferenceOperation { Property.IsIndexer: false } property:
                return NameSays(property.Property.Name, minimum);
            case IArrayElementReferenceOperation element:
                // rowMax[r], x[argMax], x[best].
                return HasEvidence(element.ArrayReference, matcher, minimum, depth + 1) ||
                    element.Indices.Any(i => HasEvidence(i, matcher, minimum, depth + 1));
            case IPropertyReferenceOperation indexer:
                return (indexer.Instance is not null && HasEvidence(indexer.Instance, matcher, minimum, depth + 1)) ||
                    indexer.Arguments.Any(a => HasEvidence(a.Value, matcher, minimum, depth + 1));
            case IConditionalOperation { WhenFalse: { } whenFalse } choice:
                return HasEvidence(choice.WhenTrue, matcher, minimum, depth + 1) && HasEvidence(whenFalse, matcher, minimum, depth + 1);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } scaled
                when IsPositiveConstant(scaled.LeftOperand) || IsPositiveConstant(scaled.RightOperand):
                // 2 · best for exp(2 · x_i − 2 · best).
                return HasEvidence(IsPositiveConstant(scaled.LeftOperand) ? scaled.RightOperand : scaled.LeftOperand, matcher, minimum, depth + 1);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } tempered when !matcher.ReadsElement(tempered.RightOperand):
                // best / T for exp(x_i / T − best / T).
                return HasEvidence(tempered.LeftOperand, matcher, minimum, depth + 1);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } nudged
                when nudged.RightOperand.ConstantValue.HasValue:
                // max + 1e-9
                return HasEvidence(nudged.LeftOperand, matcher, minimum, depth + 1);
            default:
                return false;
        }
    }

    private static bool IsPositiveConstant(IOperation operation) =>
        Operations.Unwrap(operation)?.ConstantValue is { HasValue: true, Value: var value } &&
        value switch { int i => i > 0, long l => l > 0, float f => f > 0, double d => d > 0, _ => false };

    private static readonly string[] s_upperNames = ["max", "best", "top", "peak", "largest", "highest", "upper", "shift", "stab", "lse", "logsum"];
    private static readonly string[] s_lowerNames = ["min", "best", "lowest", "smallest", "lower", "shift", "stab"];

    /// <summary>A name that says the value is the row's maximum (or, for a softmin, its minimum).</summary>
    private static bool NameSays(string name, bool minimum)
    {
        string lower = name.ToLowerInvariant();
        foreach (string word in minimum ? s_lowerNames : s_upperNames)
        {
            if (lower.Contains(word))
            {
                return true;
            }
        }

        return false;
    }
}
