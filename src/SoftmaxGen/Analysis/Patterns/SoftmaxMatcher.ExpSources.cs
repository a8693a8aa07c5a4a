using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>Exp sources: every exp(a) of an element, and how a is built (x, x / T, β · x, −x, x − c).</summary>
internal sealed partial class SoftmaxMatcher
{
    // ---- Pass 2: exponentials of elements ----

    private void CollectSites()
    {
        foreach (IOperation operation in _all)
        {
            ExpSite? site = operation switch
            {
                IInvocationOperation invocation => CallSite(invocation),
                IMethodReferenceOperation reference => MethodGroupSite(reference),
                _ => null,
            };
            if (site is not null)
            {
                _sites.Add(site);
                _siteByValue[site.Value] = site;
                _siteByValue[site.Node] = site;
            }
        }

        // Source order (the operation tree's pre-order differs from it in a few places, e.g. for-loop parts).
        _sites.Sort((a, b) => a.Node.Syntax.SpanStart.CompareTo(b.Node.Syntax.SpanStart));
    }

    private ExpSite? CallSite(IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        IOperation? argument = null;
        if (_symbols.IsExp(method) && invocation.Arguments.Length == 1)
        {
            argument = invocation.Arguments[0].Value;
        }
        else if (_symbols.IsPow(method) && invocation.Arguments.Length == 2 &&
                 Operations.Unwrap(invocation.Arguments[0].Value) is IFieldReferenceOperation { Field: var field } && _symbols.IsE(field))
        {
            argument = invocation.Arguments[1].Value;
        }
        else if (_symbols.IsTensorPrimitives(method, "Exp") && invocation.Arguments.Length == 2 &&
                 CollectionKey.Of(invocation.Arguments[0].Value) is { } source)
        {
            return new ExpSite
            {
                Kind = ExpSiteKind.Tensor,
                Node = invocation,
                Value = invocation,
                Collection = source,
                Destination = CollectionKey.Of(invocation.Arguments[1].Value),
                ValueType = TypeNames.ElementType(invocation.Arguments[1].Value.Type ?? method.Parameters[1].Type),
            };
        }

        bool wrapped = false;
        if (argument is null)
        {
            if (HelperSite(invocation, out IOperation? wrappedArgument) is { } helper)
            {
                return helper;
            }

            argument = wrappedArgument;
            wrapped = argument is not null;
        }

        if (argument is null)
        {
            return null;
        }

        IOperation value = invocation;
        if (invocation.Parent is IConversionOperation { IsImplicit: false } cast && TypeNames.IsFloatingPoint(cast.Type))
        {
            value = cast;
        }

        var site = new ExpSite { Kind = ExpSiteKind.Call, Node = invocation, Value = value, Argument = argument, ValueType = value.Type, ViaHelper = wrapped };
        IOperation? body = Operations.Unwrap(argument);
        if (body is IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } negatedFirst)
        {
            // exp(−x_i / T) (softmin): the bound that matters is the minimum.
            site.Scale = ExpScale.Negated;
            body = Operations.Unwrap(negatedFirst.Operand);
        }

        if (body is IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } tempered && !ReadsElement(tempered.RightOperand))
        {
            site.Temperature = tempered.RightOperand;
            body = Operations.Unwrap(tempered.LeftOperand);
        }
        else if (body is IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } scaled)
        {
            // exp(β · x_i), exp(x_i · β) (Boltzmann weights, inverse temperature).
            bool left = ReadsElement(scaled.LeftOperand), right = ReadsElement(scaled.RightOperand);
            if (left == right)
            {
                return null;
            }

            site.Scale = site.Scale == ExpScale.Negated ? ExpScale.Negated : ExpScale.Multiplied;
            body = Operations.Unwrap(left ? scaled.LeftOperand : scaled.RightOperand);
        }

        if (body is IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } negated && site.Scale != ExpScale.Negated)
        {
            site.Scale = ExpScale.Negated;
            body = Operations.Unwrap(negated.Operand);
        }

        if (body is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } shifted)
        {
            if (ReadsElement(shifted.RightOperand) && !ReadsElement(shifted.LeftOperand))
            {
                // exp(c − x_i): softmin shifted by c, stable when c is the minimum.
                site.Scale = ExpScale.Negated;
                site.Shifted = BoundsAnalysis.IsBound(shifted.LeftOperand, this, minimum: true);
                site.NotABound = !site.Shifted;
                body = Operations.Unwrap(shifted.RightOperand);
            }
            else
            {
                // exp(x_i − c): stable only when c is the row's maximum (exp(−(x_i − c)): its minimum).
                site.Shifted = BoundsAnalysis.IsBound(shifted.RightOperand, this, minimum: site.Scale == ExpScale.Negated);
                site.NotABound = !site.Shifted;
                body = Operations.Unwrap(shifted.LeftOperand);
            }
        }

        if (ElementOf(body) is not { } element)
        {
            return null;
        }

        site.Element = body;
        site.Collection = element.Key;
        site.Source = element.Source;
        return site;
    }

    private ExpSite? MethodGroupSite(IMethodReferenceOperation reference)
    {
        if (!_symbols.IsExp(reference.Method) ||
            reference.Parent is not IDelegateCreationOperation creation ||
            Operations.UnwrappedParent(creation) is not IArgumentOperation { Parent: IInvocationOperation invocation } ||
            !IsLinqElementwise(invocation) ||
            CollectionKey.Of(invocation.Arguments[0].Value) is not { } source)
        {
            return null;
        }

        return new ExpSite
        {
            Kind = ExpSiteKind.MethodGroup,
            Node = reference,
            Value = creation,
            Collection = source,
            Source = invocation,
            ValueType = reference.Method.ReturnType,
        };
    }

    /// <summary>An element of a plain collection: <c>x[i]</c>, <c>x[r, j]</c>, a foreach variable, a LINQ lambda parameter.</summary>
    private (CollectionKey Key, IOperation? Source)? ElementOf(IOperation? operation)
    {
        operation = Operations.Unwrap(operation);
        switch (operation)
        {
            case IArrayElementReferenceOperation { Indices.Length: 1 } element
                when Operations.Unwrap(element.Indices[0]) is ILocalReferenceOperation index &&
                     CollectionKey.Of(element.ArrayReference) is { } key:
                return (key, EnclosingLoopOver(element, index.Local));
            case IArrayElementReferenceOperation { Indices.Length: 2 } element
                when RowAndIndex(element) is ({ } row, { } index) &&
                     CollectionKey.Of(element.ArrayReference) is { Member: null, Row: null } owner:
                return (new CollectionKey(owner.Root, null, row), EnclosingLoopOver(element, index));
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer
                when Operations.Unwrap(indexer.Arguments[0].Value) is ILocalReferenceOperation index &&
                     (indexer.Arguments[0].Value.Type?.SpecialType == SpecialType.System_Int32 || IsDictionary(indexer.Instance?.Type)) &&
                     CollectionKey.Of(indexer.Instance) is { } key:
                return (key, EnclosingLoopOver(indexer, index.Local));
            case IObjectCreationOperation { Arguments.Length: >= 1 } creation when TypeNames.IsVectorType(creation.Type) && VectorLoadSource(creation.Arguments[0].Value) is { } key:
                // new Vector<float>(x.Slice(i)), new Vector<float>(x, i): a chunk of x.
                _vectors = true;
                return (key, null);
            case IInvocationOperation { Arguments.Length: >= 1, TargetMethod.Name: "Create" or "Load" or "LoadUnsafe" or "LoadVector" or "LoadVector128" or "LoadVector256" or "LoadVector512" } load
                when TypeNames.IsVectorType(load.TargetMethod.ContainingType) && VectorLoadSource(load.Arguments[0].Value) is { } key:
                // Vector256.LoadUnsafe(ref x[i]), Vector128.Create(x.Slice(i)).
                _vectors = true;
                return (key, null);
            case ILocalReferenceOperation vector when TypeNames.IsVectorType(vector.Type) && SingleInitializer(vector.Local) is { } chunk &&
                                                     Operations.Unwrap(chunk) is IObjectCreationOperation or IInvocationOperation:
                // var v = Vector256.LoadUnsafe(ref x[i]); (only a load: `Vector<float> v = v;` in half-typed code must not recurse)
                return ElementOf(chunk);
            case IPropertyReferenceOperation { Property.Name: "Value", Property.IsStatic: false, Instance: { } pair }
                when pair.Type is INamedTypeSymbol { Name: "KeyValuePair" } && ElementOf(pair) is { } entry:
                // kv.Value of a dictionary entry (foreach variable or lambda parameter).
                return entry;
            case IPropertyReferenceOperation { Property.IsIndexer: false, Property.IsStatic: false, Instance: { } owner } member
                when TypeNames.IsFloatingPoint(member.Type) && owner is not IInstanceReferenceOperation && ElementOf(owner) is { } item:
                // c.Score of a foreach variable or lambda parameter (an element that is an object).
                return item;
            case IFieldReferenceOperation { Field.IsStatic: false, Instance: { } owner } member
                when TypeNames.IsFloatingPoint(member.Type) && owner is not IInstanceReferenceOperation && ElementOf(owner) is { } item:
                return item;
            case ILocalReferenceOperation local
                when _foreachLocals.TryGetValue(local.Local, out IForEachLoopOperation? loop) &&
                     CollectionKey.Of(loop.Collection) is { } key:
                return (key, loop);
            case IParameterReferenceOperation parameter
                when _lambdaParameters.TryGetValue(parameter.Parameter, out IInvocationOperation? linq) &&
                     CollectionKey.Of(linq.Arguments[0].Value) is { } key:
                return (key, linq);
            default:
                return null;
        }
    }

    /// <summary>
    /// For <c>x[a, b]</c> with two local indices: which one is fixed (the row, or for a column softmax the column) and
    /// which one the innermost enclosing loop runs over. A column (<c>x[i, j]</c> inside a loop over i) sets
    /// <see cref="_columns"/>, which keeps the fixes away.
    /// </summary>
    private (ILocalSymbol? Row, ILocalSymbol? Index) RowAndIndex(IArrayElementReferenceOperation element)
    {
        if (Operations.Unwrap(element.Indices[0]) is not ILocalReferenceOperation first ||
            Operations.Unwrap(element.Indices[1]) is not ILocalReferenceOperation second)
        {
            return (null, null);
        }

        for (IOperation? o = element.Parent; o is not null; o = o.Parent)
        {
            if (o is IForLoopOperation loop)
            {
                if (loop.Locals.Contains(second.Local, SymbolEqualityComparer.Default))
                {
                    break;
                }

                if (loop.Locals.Contains(first.Local, SymbolEqualityComparer.Default))
                {
                    _columns = true;
                    return (second.Local, first.Local);
                }
            }
        }

        return (first.Local, second.Local);
    }

    private bool _columns;

    /// <summary>Some exp is taken of vector chunks (<c>Vector.Exp</c>): the fixes stay away.</summary>
    private bool _vectors;

    /// <summary>The collection a vector is loaded from: <c>x</c>, <c>x.Slice(i)</c>, <c>x.AsSpan(i)</c>, <c>ref x[i]</c>, <c>ref MemoryMarshal.GetReference(x)</c>.</summary>
    private CollectionKey? VectorLoadSource(IOperation argument)
    {
        IOperation? source = Operations.Unwrap(argument);
        if (source is IInvocationOperation { TargetMethod.Name: "Slice" or "AsSpan" or "GetReference" or "GetArrayDataReference" } slice)
        {
            source = Operations.Unwrap(slice.Instance ?? (slice.Arguments.Length > 0 ? slice.Arguments[0].Value : null));
        }

        if (source is IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true })
        {
            return ContainerElement(source);
        }

        return CollectionKey.Of(source) is { } key && TypeNames.ElementType(source?.Type) is { } element && TypeNames.IsFloatingPoint(element) ? key : null;
    }

    private static bool IsDictionary(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Dictionary" or "IDictionary" or "IReadOnlyDictionary" or "SortedDictionary" or "ConcurrentDictionary" };

    private static IForLoopOperation? EnclosingLoopOver(IOperation operation, ILocalSymbol index)
    {
        for (IOperation? o = operation.Parent; o is not null; o = o.Parent)
        {
            if (o is IForLoopOperation loop && loop.Locals.Contains(index, SymbolEqualityComparer.Default))
            {
                return loop;
            }
        }

        return null;
    }

    internal bool ReadsElement(IOperation operation) =>
        operation.DescendantsAndSelf().Any(o => ElementOf(o) is not null);
}
