using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>Sums: locals and inline reductions that add up exp values of one collection, and their reciprocals.</summary>
internal sealed partial class SoftmaxMatcher
{
    private void CollectSums()
    {
        // Vector accumulators first: a scalar sum may start from Vector.Sum(acc).
        // Fields count only when this body starts them (m_sum = 0): their writes elsewhere are not seen.
        IEnumerable<KeyValuePair<ISymbol, List<IOperation>>> candidates =
            _localWrites.Select(p => new KeyValuePair<ISymbol, List<IOperation>>(p.Key, p.Value))
                .Concat(_fieldWrites.Where(p => p.Value.Any(w => w is ISimpleAssignmentOperation start && IsStartValue(start.Value)))
                    .Select(p => new KeyValuePair<ISymbol, List<IOperation>>(p.Key, p.Value)));
        foreach (KeyValuePair<ISymbol, List<IOperation>> pair in candidates.OrderBy(p => TypeNames.IsVectorType(SymbolType(p.Key)) ? 0 : 1))
        {
            if (!TypeNames.IsReal(SymbolType(pair.Key)) && !TypeNames.IsVectorType(SymbolType(pair.Key)))
            {
                continue;
            }

            CollectionKey? summed = null;
            bool valid = true;
            bool accumulates = false;
            foreach (IOperation write in pair.Value)
            {
                CollectionKey? term = null;
                switch (write)
                {
                    case IVariableDeclaratorOperation declarator:
                        IOperation? initial = declarator.GetVariableInitializer()?.Value;
                        if (initial is null || IsStartValue(initial))
                        {
                            continue;
                        }

                        term = InlineSumOf(initial);
                        break;
                    case ISimpleAssignmentOperation assignment when IsStartValue(assignment.Value):
                        continue;
                    case ISimpleAssignmentOperation assignment
                        when Operations.Unwrap(assignment.Value) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } inverse &&
                             Operations.IsOne(inverse.LeftOperand) && SumSymbol(inverse.RightOperand) is { } inverted &&
                             SymbolEqualityComparer.Default.Equals(inverted, pair.Key) && !_selfReciprocal.ContainsKey(pair.Key):
                        // sum = 1 / sum: from here on the local holds the reciprocal.
                        _selfReciprocal[pair.Key] = assignment.Syntax.Span.End;
                        continue;
                    case ISimpleAssignmentOperation assignment:
                        term = InlineSumOf(assignment.Value);
                        if (term is null &&
                            Operations.Unwrap(assignment.Value) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add &&
                            SymbolEqualityComparer.Default.Equals(SumSymbol(add.LeftOperand), pair.Key))
                        {
                            term = ExpValueOf(add.RightOperand);
                        }

                        break;
                    case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } compound:
                        term = ExpValueOf(compound.Value);
                        break;
                }

                if (term is { Row: ILocalSymbol row } rowTerm && IsAcrossRows(pair.Key, row))
                {
                    // Σ over every row of a matrix: a sum declared outside the loop over its rows.
                    term = new CollectionKey(rowTerm.Root, rowTerm.Member, null);
                }

                if (term is null || (summed is not null && !summed.Value.Equals(term.Value)))
                {
                    valid = false;
                    break;
                }

                summed = term;
                accumulates = true;
            }

            if (valid && accumulates && summed is not null)
            {
                _sums[pair.Key] = summed.Value;
            }
        }
    }

    /// <summary>
    /// The start of a running sum: 0, or any other constant (<c>float sum = epsilon;</c>, <c>1e-9</c>), which does not
    /// keep the sum from overflowing.
    /// </summary>
    private static bool IsStartValue(IOperation value) =>
        Operations.IsZero(value) || (Operations.Unwrap(value)?.ConstantValue.HasValue == true && TypeNames.IsReal(value.Type));

    /// <summary>Whether the row local is the variable of a for loop that does not enclose the sum's declaration.</summary>
    private bool IsAcrossRows(ISymbol sum, ILocalSymbol row)
    {
        if (sum is not ILocalSymbol local || DeclarationOf(local) is not { } declaration)
        {
            return false;
        }

        IForLoopOperation? rowLoop = _all.OfType<IForLoopOperation>().FirstOrDefault(l => l.Locals.Contains(row, SymbolEqualityComparer.Default));
        return rowLoop is not null && !Operations.IsWithin(declaration, rowLoop);
    }

    /// <summary><c>xs.Sum(exp)</c>, <c>exps.Sum()</c>, <c>TensorPrimitives.Sum(exps)</c>.</summary>
    private CollectionKey? InlineSumOf(IOperation? operation)
    {
        operation = Operations.Unwrap(operation);
        if (operation is not IInvocationOperation invocation)
        {
            return null;
        }

        if (invocation.TargetMethod.MethodKind == MethodKind.LocalFunction && invocation.Arguments.Length == 0 &&
            _all.OfType<ILocalFunctionOperation>().FirstOrDefault(f => SymbolEqualityComparer.Default.Equals(f.Symbol, invocation.TargetMethod)) is { } function &&
            OnlyReturnedValue(function) is { } returned && !_inLocalFunction.Contains(function))
        {
            _inLocalFunction.Add(function);
            CollectionKey? summed = SumOf(returned);
            _inLocalFunction.Remove(function);
            return summed;
        }

        if (HelperSumOf(invocation) is { } helped)
        {
            return helped;
        }

        if (invocation is { TargetMethod.Name: "Sum", Arguments.Length: 1 } && TypeNames.IsVectorType(invocation.TargetMethod.ContainingType))
        {
            // Vector.Sum(acc) of a vector accumulator of exps, or Vector256.Sum(e) of one vector of exps.
            return SumOf(invocation.Arguments[0].Value) ?? ExpValueOf(invocation.Arguments[0].Value);
        }

        if (invocation is { TargetMethod.Name: "Create", Arguments.Length: 1 } && TypeNames.IsVectorType(invocation.TargetMethod.ContainingType))
        {
            // Vector256.Create(sum): the sum broadcast, to divide a vector of exps by.
            return SumOf(invocation.Arguments[0].Value);
        }

        if (_symbols.IsEnumerable(invocation.TargetMethod, "Aggregate"))
        {
            return AggregateSumOf(invocation);
        }

        if (_symbols.IsEnumerable(invocation.TargetMethod, "Sum"))
        {
            return invocation.Arguments.Length switch
            {
                1 => ExpSequenceOf(invocation.Arguments[0].Value),
                2 => DelegateExpOf(invocation),
                _ => null,
            };
        }

        if (_symbols.IsTensorPrimitives(invocation.TargetMethod, "Sum") && invocation.Arguments.Length == 1 &&
            CollectionKey.Of(invocation.Arguments[0].Value) is { } container && _containers.TryGetValue(container, out CollectionKey source))
        {
            return source;
        }

        return null;
    }

    /// <summary><c>exps.Aggregate((a, b) =&gt; a + b)</c>, <c>x.Aggregate(0.0, (acc, v) =&gt; acc + Math.Exp(v))</c>.</summary>
    private CollectionKey? AggregateSumOf(IInvocationOperation aggregate)
    {
        IOperation folder = aggregate.Arguments[aggregate.Arguments.Length - 1].Value;
        if (aggregate.Arguments.Length is not (2 or 3) || (aggregate.Arguments.Length == 3 && !Operations.IsZero(aggregate.Arguments[1].Value)) ||
            Operations.DelegateTarget(folder) is not IAnonymousFunctionOperation { Symbol.Parameters.Length: 2 } lambda ||
            Operations.SingleReturnedValue(lambda) is not { } returned ||
            Operations.Unwrap(returned) is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add ||
            Operations.Unwrap(add.LeftOperand) is not IParameterReferenceOperation accumulator ||
            !SymbolEqualityComparer.Default.Equals(accumulator.Parameter, lambda.Symbol.Parameters[0]))
        {
            return null;
        }

        if (aggregate.Arguments.Length == 2)
        {
            return Operations.Unwrap(add.RightOperand) is IParameterReferenceOperation element &&
                SymbolEqualityComparer.Default.Equals(element.Parameter, lambda.Symbol.Parameters[1])
                ? ExpSequenceOf(aggregate.Arguments[0].Value)
                : null;
        }

        return ExpValueOf(add.RightOperand);
    }

    private readonly HashSet<ILocalFunctionOperation> _inLocalFunction = [];

    /// <summary>The value of the only <c>return</c> of a local function (not counting nested functions).</summary>
    private static IOperation? OnlyReturnedValue(ILocalFunctionOperation function)
    {
        IOperation? found = null;
        foreach (IOperation o in function.Body?.Descendants() ?? [])
        {
            if (o is IReturnOperation { ReturnedValue: { } value } ret &&
                !HasFunctionBetween(ret, function))
            {
                if (found is not null)
                {
                    return null;
                }

                found = value;
            }
        }

        return found;
    }

    private static bool HasFunctionBetween(IOperation inner, IOperation outer)
    {
        for (IOperation? o = inner.Parent; o is not null && o != outer; o = o.Parent)
        {
            if (o is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Σ exp(x_j): a sum local (or field) or an inline sum.</summary>
    private CollectionKey? SumOf(IOperation? operation)
    {
        IOperation? unwrapped = Operations.Unwrap(operation);
        if (SumSymbol(unwrapped) is { } symbol && _sums.TryGetValue(symbol, out CollectionKey key))
        {
            return IsReciprocalHere(symbol, unwrapped!) ? null : key;
        }

        return InlineSumOf(unwrapped);
    }

    /// <summary>The local, or field of the type itself, that <paramref name="operation"/> reads; null otherwise.</summary>
    private static ISymbol? SumSymbol(IOperation? operation) => Operations.Unwrap(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        _ => null,
    };

    private static ITypeSymbol? SymbolType(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IFieldSymbol field => field.Type,
        _ => null,
    };

    private readonly Dictionary<ISymbol, int> _selfReciprocal = new(SymbolEqualityComparer.Default);

    /// <summary>A read of a sum local after <c>sum = 1 / sum</c> (in source order), which reads the reciprocal.</summary>
    private bool IsReciprocalHere(ISymbol symbol, IOperation read) =>
        _selfReciprocal.TryGetValue(symbol, out int from) && read.Syntax.SpanStart >= from;

    /// <summary>1 / Σ exp(x_j), inline or through a local that only holds it (<c>var inv = 1.0 / sum;</c>).</summary>
    private CollectionKey? ReciprocalOf(IOperation? operation)
    {
        IOperation? unwrapped = Operations.Unwrap(operation);
        if (unwrapped is IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } divide && Operations.IsOne(divide.LeftOperand))
        {
            return SumOf(divide.RightOperand);
        }

        if (SumSymbol(unwrapped) is { } held && IsReciprocalHere(held, unwrapped!) && _sums.TryGetValue(held, out CollectionKey inverted))
        {
            return inverted;
        }

        if (unwrapped is ILocalReferenceOperation local && _localWrites.TryGetValue(local.Local, out List<IOperation>? writes) && writes.Count == 1 &&
            writes[0] is IVariableDeclaratorOperation declarator && declarator.GetVariableInitializer()?.Value is { } initial &&
            Operations.Unwrap(initial) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } reciprocal && Operations.IsOne(reciprocal.LeftOperand))
        {
            return SumOf(reciprocal.RightOperand);
        }

        return null;
    }

    /// <summary>The first sum local of <paramref name="key"/> that the code compares or tests (== 0, IsInfinity, IsNaN, …).</summary>
}
