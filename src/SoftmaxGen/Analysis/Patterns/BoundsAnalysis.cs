using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// Whether the c of exp(x_i − c) can be trusted as the row's upper bound. Only positive evidence that it is
/// <em>not</em> one makes the exponential unshifted: a constant, a mean (<c>Average()</c>, <c>sum / n</c>), or one
/// element read at a constant index (<c>x[0]</c>). Anything else (a loop max, <c>Max()</c>, <c>TensorPrimitives.Max</c>,
/// a helper's result, a parameter) is taken as a bound, so stable code is never reported.
/// </summary>
internal static class BoundsAnalysis
{
    public static bool IsNotABound(IOperation subtrahend, SoftmaxMatcher matcher)
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
            case ILocalReferenceOperation local when matcher.SingleInitializer(local.Local) is { } initial && !matcher.ReadsElement(initial):
                return IsNotABound(initial, matcher);
            default:
                return false;
        }
    }
}
