using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>Findings: normalisations by a sum (division, reciprocal), logs of sums, guards on sums, and collections that may be shifted before their exps are taken.</summary>
internal sealed partial class SoftmaxMatcher
{
    // ---- Pass 5: divisions and logarithms ----

    private CollectionKey? DivisionOf(IOperation operation)
    {
        switch (operation)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } divide
                when SumOf(divide.RightOperand) is { } sum && ExpValueOf(divide.LeftOperand) is { } numerator && Covers(sum, numerator):
                return sum;
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Divide } compound
                when SumOf(compound.Value) is { } sum && ExpValueOf(compound.Target) is { } numerator && Covers(sum, numerator):
                return sum;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } multiply
                when ReciprocalOf(multiply.RightOperand) is { } sum && ExpValueOf(multiply.LeftOperand) is { } numerator && Covers(sum, numerator):
                return sum;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } multiply
                when ReciprocalOf(multiply.LeftOperand) is { } sum && ExpValueOf(multiply.RightOperand) is { } numerator && Covers(sum, numerator):
                return sum;
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Multiply } compound
                when ReciprocalOf(compound.Value) is { } sum && ExpValueOf(compound.Target) is { } numerator && Covers(sum, numerator):
                return sum;
            case IInvocationOperation { Arguments.Length: 3 } divide
                when _symbols.IsTensorPrimitives(divide.TargetMethod, "Divide") &&
                     CollectionKey.Of(divide.Arguments[0].Value) is { } container && _containers.TryGetValue(container, out CollectionKey numerator) &&
                     SumOf(divide.Arguments[1].Value) is { } sum && Covers(sum, numerator):
                return sum;
            case IInvocationOperation helper when HelperNormalisationOf(helper) is { } normalised:
                return normalised;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } compare
                when SamplingThreshold(compare) is { } sampled:
                // A sampling loop: a running sum of the exps compared with u · Σ exp (or running / Σ compared with u).
                _sampling.Add(compare);
                return sampled;
            default:
                return null;
        }
    }

    private readonly HashSet<IOperation> _sampling = [];

    /// <summary>
    /// Whether a sum of the exps of <paramref name="sum"/> normalises exps of <paramref name="numerator"/>: the same
    /// collection (or row), or a sum over every row of a matrix (<c>sum</c> declared outside the row loop) and one of its rows.
    /// </summary>
    private static bool Covers(CollectionKey sum, CollectionKey numerator) =>
        sum.Equals(numerator) || (sum.Row is null && numerator.Row is not null && new CollectionKey(numerator.Root, numerator.Member, null).Equals(sum));

    /// <summary><c>running &gt;= u * sum</c>, <c>running / sum &gt; u</c> with running and sum two sums of the same exps.</summary>
    private CollectionKey? SamplingThreshold(IBinaryOperation compare)
    {
        foreach ((IOperation side, IOperation other) in new[] { (compare.LeftOperand, compare.RightOperand), (compare.RightOperand, compare.LeftOperand) })
        {
            IOperation? unwrapped = Operations.Unwrap(side);
            if (unwrapped is IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } fraction &&
                Operations.Unwrap(fraction.LeftOperand) is ILocalReferenceOperation &&
                SumOf(fraction.LeftOperand) is { } running && SumOf(fraction.RightOperand) is { } total && running.Equals(total) &&
                !Operations.IsZero(other) && !other.ConstantValue.HasValue)
            {
                return running;
            }

            if (unwrapped is ILocalReferenceOperation && SumOf(unwrapped) is { } cumulative && ScaledSumOf(other) is { } scaled && cumulative.Equals(scaled))
            {
                return cumulative;
            }
        }

        return null;
    }

    /// <summary>u · Σ exp (inline or in a local initialised with it), for a non-constant u.</summary>
    private CollectionKey? ScaledSumOf(IOperation operation)
    {
        IOperation? unwrapped = Operations.Unwrap(operation);
        if (unwrapped is ILocalReferenceOperation local && SingleInitializer(local.Local) is { } initial)
        {
            unwrapped = Operations.Unwrap(initial);
        }

        if (unwrapped is IInvocationOperation { Arguments.Length: >= 2 } draw && SumOf(draw) is null &&
            draw.Arguments.Count(a => !a.Value.ConstantValue.HasValue) == 1 && draw.Arguments.Select(a => SumOf(a.Value)).FirstOrDefault(k => k is not null) is { } range)
        {
            // Random.Range(0f, sum), rng.NextDouble(0, sum): a uniform draw scaled by the sum.
            return range;
        }

        return unwrapped is IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } product &&
            (product.LeftOperand.ConstantValue.HasValue || product.RightOperand.ConstantValue.HasValue) == false
            ? SumOf(product.LeftOperand) ?? SumOf(product.RightOperand)
            : null;
    }

    /// <summary>Sum locals that are turned into their reciprocal (<c>sum = 1f / sum;</c>), with where that happens.</summary>

    private string? GuardedSum(CollectionKey key)
    {
        foreach (IOperation operation in _all)
        {
            IOperation? tested = operation switch
            {
                IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual } compare
                    when Operations.Unwrap(compare.RightOperand)?.ConstantValue.HasValue == true => compare.LeftOperand,
                IInvocationOperation { Arguments.Length: 1, TargetMethod.Name: "IsInfinity" or "IsPositiveInfinity" or "IsNaN" or "IsFinite" or "IsNormal" } test => test.Arguments[0].Value,
                _ => null,
            };
            if (SumSymbol(tested) is { } local && _sums.TryGetValue(local, out CollectionKey summed) && summed.Equals(key))
            {
                return local.Name;
            }
        }

        return null;
    }

    /// <summary>x_i − log Σ exp(x_j): the log (directly or through a local) is subtracted from an element of x.</summary>
    private bool IsSubtractedFromElement(IInvocationOperation log, CollectionKey key)
    {
        IOperation? parent = Operations.UnwrappedParent(log);
        if (parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } subtract &&
            Operations.Unwrap(subtract.RightOperand) == log && ElementOf(subtract.LeftOperand)?.Key.Equals(key) == true)
        {
            return true;
        }

        if (parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            return _all.OfType<IBinaryOperation>().Any(b =>
                b.OperatorKind == BinaryOperatorKind.Subtract &&
                Operations.Unwrap(b.RightOperand) is ILocalReferenceOperation l &&
                SymbolEqualityComparer.Default.Equals(l.Local, declarator.Symbol) &&
                ElementOf(b.LeftOperand)?.Key.Equals(key) == true);
        }

        return false;
    }

    // ---- Collections written in ways that may already shift them ----

    /// <summary>
    /// True when the collection may have been shifted before its exponentials are taken: reassigned, passed by
    /// reference or as a writable span, or an element shifted in place by a bound (<c>x[i] -= max</c>).
    /// </summary>
    private bool IsTainted(CollectionKey key, ImmutableArray<ExpSite> sites)
    {
        int firstSite = sites.Min(s => s.Node.Syntax.SpanStart);
        foreach (IOperation operation in _all)
        {
            switch (operation)
            {
                case IAssignmentOperation assignment when CollectionKey.Of(assignment.Target) is { } whole && SameRoot(whole, key) && assignment.Target is not IArrayElementReferenceOperation:
                    // Replaced by computed values (x = Shift(x)); pointing it at another variable or a new buffer
                    // (m_input = input, y = new double[n]) shifts nothing.
                    if (assignment.Target is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation &&
                        Operations.Unwrap((assignment as ISimpleAssignmentOperation)?.Value) is not (ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IArrayCreationOperation or IObjectCreationOperation))
                    {
                        return true;
                    }

                    break;
                case IAssignmentOperation assignment when ContainerElement(assignment.Target) is { } written && written.Equals(key) &&
                    (IsShiftByBound(assignment) || (key.Root is not ILocalSymbol && assignment.Syntax.Span.End <= firstSite)):
                    // x[i] -= max or x[i] = x[i] - max: shifted in place before the exps; an input (parameter or field)
                    // overwritten before its exps is not followed either. Element writes of a local buffer
                    // (scores[j] = dot / √d, z[c] += w · f, the normalisation itself) produce or use the values.
                    return true;
                case IArgumentOperation argument when CollectionKey.Of(argument.Value) is { } passed && SameRoot(passed, key) && !IsVectorLoad(argument):
                    if (argument.Parameter is { RefKind: not RefKind.None } ||
                        (argument.Syntax.SpanStart < firstSite && IsWritableCollection(argument.Parameter?.Type) && !IsExpCall(argument)))
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    private bool IsShiftByBound(IAssignmentOperation assignment) => assignment switch
    {
        ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Subtract } compound => BoundsAnalysis.IsBound(compound.Value, this, minimum: false),
        // z[i] = x[i] - max, z[i] = (x[i] - max) / T, z[i] = beta * (q[i] - best).
        ISimpleAssignmentOperation simple => simple.Value.DescendantsAndSelf().Any(o =>
            o is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } difference &&
            ReadsElement(difference.LeftOperand) && BoundsAnalysis.IsBound(difference.RightOperand, this, minimum: false)),
        _ => false,
    };

    /// <summary>
    /// Whether writing <paramref name="a"/> may change <paramref name="b"/>: the same variable, unless both are
    /// different members of it (<c>to.Dimensions</c> does not overlap <c>to.Values</c>).
    /// </summary>
    private static bool SameRoot(CollectionKey a, CollectionKey b) =>
        SymbolEqualityComparer.Default.Equals(a.Root, b.Root) &&
        (a.Member is null || b.Member is null || string.Equals(a.Member, b.Member, System.StringComparison.Ordinal));

    private static bool IsWritableCollection(ITypeSymbol? type) =>
        type is IArrayTypeSymbol ||
        (type is INamedTypeSymbol named && named.Name is "Span" or "Memory" or "List" or "IList" or "ICollection");

    /// <summary><c>Vector256.LoadUnsafe(ref x[i])</c> and the like read through a reference; they do not write.</summary>
    private static bool IsVectorLoad(IArgumentOperation argument) =>
        argument.Parent is IInvocationOperation { TargetMethod.Name: "Load" or "LoadUnsafe" or "LoadVector128" or "LoadVector256" or "LoadVector512" or "Create" } load &&
        TypeNames.IsVectorType(load.TargetMethod.ContainingType);

    private bool IsExpCall(IArgumentOperation argument) =>
        argument.Parent is IInvocationOperation invocation && _siteByValue.ContainsKey(invocation);
}
