using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>Flow: where exp values go (element stores, List.Add, LINQ sequences, locals) and where they are read back.</summary>
internal sealed partial class SoftmaxMatcher
{
    // ---- Pass 3: containers of exponentials (arrays, spans, lists, deferred sequences) ----

    private void CollectContainers()
    {
        foreach (IOperation operation in _all)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation assignment
                    when ContainerElement(assignment.Target) is { } target && ExpValueOf(assignment.Value) is { } source:
                    _containers[target] = source;
                    break;
                case IVariableDeclaratorOperation declarator
                    when declarator.GetVariableInitializer() is { } initializer && ExpSequenceOf(initializer.Value) is { } source:
                    _containers[new CollectionKey(declarator.Symbol, null, null)] = source;
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment
                    when ExpSequenceOf(assignment.Value) is { } source:
                    _containers[new CollectionKey(local.Local, null, null)] = source;
                    break;
                case IInvocationOperation { TargetMethod.Name: "CopyTo" or "Store" or "StoreUnsafe", Arguments.Length: >= 1 } store
                    when TypeNames.IsVectorType(store.Instance?.Type ?? store.TargetMethod.ContainingType) &&
                         (store.Instance ?? store.Arguments[0].Value) is { } vector && ExpValueOf(vector) is { } source &&
                         VectorLoadSource(store.Arguments[store.Instance is null ? 1 : 0].Value) is { } target:
                    // e.CopyTo(y.Slice(i)), e.StoreUnsafe(ref y[i]), Vector.StoreUnsafe(e, ref y[i]).
                    _containers[target] = source;
                    break;
                case IInvocationOperation { TargetMethod.Name: "Add" or "TryAdd", Arguments.Length: 2, Instance: { } dictionary } add
                    when IsDictionary(dictionary.Type) && CollectionKey.Of(dictionary) is { } target && ExpValueOf(add.Arguments[1].Value) is { } source:
                    // exps.Add(kv.Key, Math.Exp(kv.Value)).
                    _containers[target] = source;
                    break;
                case IInvocationOperation { TargetMethod.Name: "Add", Arguments.Length: 1, Instance: { } list } add
                    when add.TargetMethod.ContainingType is { Name: "List" or "ICollection" or "IList" } &&
                         CollectionKey.Of(list) is { } target && ExpValueOf(add.Arguments[0].Value) is { } source:
                    // exps.Add(Math.Exp(v)).
                    _containers[target] = source;
                    break;
                case IInvocationOperation invocation
                    when _siteByValue.TryGetValue(invocation, out ExpSite? site) && site.Kind is ExpSiteKind.Tensor or ExpSiteKind.Helper && site.Destination is { } destination:
                    _containers[destination] = site.Collection;
                    break;
            }
        }
    }

    /// <summary>The collection whose element is written: <c>e[i] = …</c>.</summary>
    private CollectionKey? ContainerElement(IOperation operation)
    {
        operation = Operations.Unwrap(operation)!;
        return operation switch
        {
            IArrayElementReferenceOperation { Indices.Length: 1 } element => Key(element.ArrayReference),
            IArrayElementReferenceOperation { Indices.Length: 2 } element
                when RowAndIndex(element, element.Indices[0], element.Indices[1]).Row is { } row &&
                     Key(element.ArrayReference) is { Member: null, Row: null } owner =>
                new CollectionKey(owner.Root, null, row),
            IArrayElementReferenceOperation { Indices.Length: 2 } element
                when Operations.Unwrap(element.Indices[0]) is ILocalReferenceOperation row &&
                     Key(element.ArrayReference) is { Member: null, Row: null } owner =>
                new CollectionKey(owner.Root, null, row.Local),
            IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer => Key(indexer.Instance),
            { Kind: OperationKind.None } pointer when PointerElement(pointer).Buffer is { } buffer => Key(buffer),
            IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 2 } indexer
                when RowAndIndex(indexer, indexer.Arguments[0].Value, indexer.Arguments[1].Value).Row is { } row &&
                     Key(indexer.Instance) is { Member: null, Row: null } owner =>
                new CollectionKey(owner.Root, null, row),
            _ => null,
        };
    }

    /// <summary>If <paramref name="operation"/> is exp(x_i) for collection x (directly, or read back from a container), returns x.</summary>
    private CollectionKey? ExpValueOf(IOperation? operation)
    {
        if (operation is null)
        {
            return null;
        }

        if (_siteByValue.TryGetValue(operation, out ExpSite? direct) && direct.Kind == ExpSiteKind.Call)
        {
            return direct.Collection;
        }

        IOperation? unwrapped = Operations.Unwrap(operation);
        if (unwrapped is not null && _siteByValue.TryGetValue(unwrapped, out ExpSite? site) && site.Kind == ExpSiteKind.Call)
        {
            return site.Collection;
        }

        switch (unwrapped)
        {
            case ISimpleAssignmentOperation assigned:
                // sum += y[i] = Math.Exp(x[i]): an assignment's value is the value assigned.
                return ExpValueOf(assigned.Value);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } offset
                when !TypeNames.IsVectorType(offset.Type) && OffsetExpOf(offset) is { } offsetSource:
                // Math.Exp(x[i]) - max, Math.Exp(x[i]) + eps: an exponential moved by a value that is not one still overflows with it.
                return offsetSource;
            case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } or { Kind: OperationKind.None }
                when ContainerElement(unwrapped) is { } container && _containers.TryGetValue(container, out CollectionKey source):
                return source;
            case ILocalReferenceOperation local when _expLocals.TryGetValue(local.Local, out CollectionKey held):
                return held;
            case ILocalReferenceOperation local
                when _foreachLocals.TryGetValue(local.Local, out IForEachLoopOperation? loop) && ExpSequenceOf(loop.Collection) is { } source:
                return source;
            case IParameterReferenceOperation parameter
                when _lambdaParameters.TryGetValue(parameter.Parameter, out IInvocationOperation? linq) && ExpSequenceOf(SourceOf(linq)) is { } source:
                return source;
            case IPropertyReferenceOperation { Property.Name: "Value", Property.IsStatic: false, Instance: { } pair }
                when pair.Type is INamedTypeSymbol { Name: "KeyValuePair" } && ExpValueOf(pair) is { } source:
                // kv.Value of an entry of a dictionary of exps.
                return source;
            default:
                return null;
        }
    }

    /// <summary>e ± c or c + e, for e an exp value of x and c free of exponentials: x.</summary>
    private CollectionKey? OffsetExpOf(IBinaryOperation offset)
    {
        if (ExpValueOf(offset.LeftOperand) is { } left)
        {
            return HasExp(offset.RightOperand) ? null : left;
        }

        return offset.OperatorKind == BinaryOperatorKind.Add && ExpValueOf(offset.RightOperand) is { } right && !HasExp(offset.LeftOperand) ? right : null;
    }

    private bool HasExp(IOperation operation) => operation.DescendantsAndSelf().Any(o => _siteByValue.ContainsKey(o));

    /// <summary>If <paramref name="operation"/> is a sequence of exp(x_i) (a container, <c>x.Select(exp)</c>, its ToArray/ToList/spread), returns x.</summary>
    private CollectionKey? ExpSequenceOf(IOperation? operation)
    {
        operation = Operations.Unwrap(operation);
        switch (operation)
        {
            case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
                when Key(operation) is { } key && _containers.TryGetValue(key, out CollectionKey source):
                return source;
            case IInvocationOperation helper when _siteByValue.TryGetValue(helper, out ExpSite? site) && site.Kind == ExpSiteKind.Helper && site.Destination is null:
                return site.Collection;
            case IInvocationOperation select when (select.Arguments.Length == 2 && _symbols.IsEnumerable(select.TargetMethod, "Select")) || IsElementwiseMap(select):
                return DelegateExpOf(select);
            case IPropertyReferenceOperation { Property.Name: "Values", Property.IsStatic: false, Instance: { } owner }
                when IsDictionary(owner.Type) && CollectionKey.Of(owner) is { } key && _containers.TryGetValue(key, out CollectionKey source):
                // exps.Values of a dictionary of exps.
                return source;
            case IInvocationOperation { Arguments.Length: 3 } toDictionary when _symbols.IsEnumerable(toDictionary.TargetMethod, "ToDictionary") &&
                Operations.DelegateTarget(toDictionary.Arguments[2].Value) is IAnonymousFunctionOperation valueSelector &&
                Operations.SingleReturnedValue(valueSelector) is { } value:
                return ExpValueOf(value);
            case IInvocationOperation { Arguments.Length: 1 } copy
                when _symbols.IsEnumerable(copy.TargetMethod, "ToArray") || _symbols.IsEnumerable(copy.TargetMethod, "ToList") ||
                     _symbols.IsEnumerable(copy.TargetMethod, "AsEnumerable"):
                return ExpSequenceOf(copy.Arguments[0].Value);
            case ICollectionExpressionOperation { Elements.Length: 1 } collection when collection.Elements[0] is ISpreadOperation spread:
                return ExpSequenceOf(spread.Operand);
            default:
                return null;
        }
    }

    /// <summary>For <c>xs.Select(f)</c>/<c>xs.Sum(f)</c>: x when f computes exp of its argument (lambda or method group).</summary>
    private CollectionKey? DelegateExpOf(IInvocationOperation invocation)
    {
        IOperation? target = Operations.DelegateTarget(DelegateArgument(invocation));
        if (target is IMethodReferenceOperation && _siteByValue.TryGetValue(target, out ExpSite? group))
        {
            return group.Collection;
        }

        if (target is IAnonymousFunctionOperation lambda && Operations.SingleReturnedValue(lambda) is { } returned)
        {
            return ExpValueOf(returned);
        }

        return null;
    }
}
