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

        if (Bounded.IsNonPositive(argument, this))
        {
            // exp(−d²/2σ²), exp(−2.5 · r²), exp(−|v|): at most 1, it cannot overflow (Gaussian weights, decay).
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

        IOperation? bound = null;
        if (body is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } moved && ReadsElement(moved.LeftOperand) != ReadsElement(moved.RightOperand))
        {
            // exp(x_i + c): a shift only when c is minus a bound (x_i + (−max)); a constant or anything else is not one.
            // exp(x_i − max + ε): the constant is peeled off and the subtraction below decides.
            IOperation other = ReadsElement(moved.LeftOperand) ? moved.RightOperand : moved.LeftOperand;
            if (Operations.Unwrap(other) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } negatedBound &&
                BoundsAnalysis.IsBound(negatedBound.Operand, this, minimum: site.Scale == ExpScale.Negated))
            {
                site.Shifted = true;
                bound = negatedBound.Operand;
            }

            body = Operations.Unwrap(ReadsElement(moved.LeftOperand) ? moved.LeftOperand : moved.RightOperand);
        }

        if (site.Shifted)
        {
            // already shifted by x_i + (−max)
        }
        else if (body is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } shifted)
        {
            if (ReadsElement(shifted.RightOperand) && !ReadsElement(shifted.LeftOperand))
            {
                // exp(c − x_i): softmin shifted by c, stable when c is the minimum.
                site.Scale = ExpScale.Negated;
                site.Shifted = BoundsAnalysis.IsBound(shifted.LeftOperand, this, minimum: true);
                site.NotABound = !site.Shifted;
                bound = shifted.LeftOperand;
                body = Operations.Unwrap(shifted.RightOperand);
            }
            else
            {
                // exp(x_i − c): stable only when c is the row's maximum (exp(−(x_i − c)): its minimum).
                site.Shifted = BoundsAnalysis.IsBound(shifted.RightOperand, this, minimum: site.Scale == ExpScale.Negated);
                site.NotABound = !site.Shifted;
                bound = shifted.RightOperand;
                body = Operations.Unwrap(shifted.LeftOperand);
            }
        }

        if ((ElementOf(body) ?? TransformedElement(body)) is not { } element)
        {
            return null;
        }

        if (site.Shifted && bound is not null &&
            BoundsAnalysis.ExtremeOf(bound, this, minimum: site.Scale == ExpScale.Negated) is { } extremeOf && !SameRoot(extremeOf, element.Key))
        {
            // The maximum of another collection (max over the output buffer, exp of the input) bounds nothing here.
            site.Shifted = false;
            site.NotABound = true;
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
            SourceKey(SourceOf(invocation)) is not { } source)
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

    /// <summary>
    /// g(x_i) for g a method of the compilation that is not named like a bound (<c>GetExponent(value[i])</c>, which
    /// returns value / τ): exp of it is exp of the element, transformed. Clamps, sigmoids and logs keep it bounded.
    /// </summary>
    private (CollectionKey Key, IOperation? Source)? TransformedElement(IOperation? body)
    {
        if (Operations.Unwrap(body) is not IInvocationOperation { Arguments.Length: >= 1 } call || !TypeNames.IsReal(call.Type) ||
            call.TargetMethod.DeclaringSyntaxReferences.IsEmpty || _symbols.IsExp(call.TargetMethod) || Bounded.NameSaysBounded(call.TargetMethod.Name))
        {
            return null;
        }

        (CollectionKey Key, IOperation? Source)? found = null;
        foreach (IArgumentOperation argument in call.Arguments)
        {
            if (ElementOf(argument.Value) is { } element)
            {
                if (found is not null)
                {
                    return null;
                }

                found = element;
            }
        }

        _usedHelper |= found is not null;
        return found;
    }

    /// <summary>
    /// A local declared inside a loop over a collection and computed from that iteration's element
    /// (<c>float calcWeight = …observer.GetVhat()…</c> inside <c>foreach (var observer in neighbours)</c>): an element
    /// of the collection, one value per iteration.
    /// </summary>
    private (CollectionKey Key, IOperation? Source)? IterationElement(ILocalSymbol local)
    {
        if (!TypeNames.IsReal(local.Type) || _foreachLocals.ContainsKey(local) || _iterationElements.Contains(local))
        {
            return null;
        }

        for (IOperation? o = DeclarationOf(local); o is not null; o = o.Parent)
        {
            CollectionKey? loopKey = o switch
            {
                IForEachLoopOperation each => SourceKey(each.Collection),
                IForLoopOperation loop => ForLoopCollection(loop),
                _ => null,
            };
            if (o is not (IForEachLoopOperation or IForLoopOperation))
            {
                continue;
            }

            if (loopKey is null)
            {
                return null;
            }

            ISymbol? iteration = o is IForEachLoopOperation each2 && each2.LoopControlVariable is IVariableDeclaratorOperation d ? d.Symbol :
                o is IForEachLoopOperation each3 && each3.LoopControlVariable is IVariableDeclarationOperation { Declarators.Length: 1 } decl ? decl.Declarators[0].Symbol :
                o is IForLoopOperation f && f.Locals.Length > 0 ? f.Locals[0] : null;
            if (iteration is null)
            {
                return null;
            }

            _iterationElements.Add(local);
            bool depends = DependsOn(local, iteration, o, 0);
            _iterationElements.Remove(local);
            return depends ? (loopKey.Value, o) : null;
        }

        return null;
    }

    private readonly HashSet<ILocalSymbol> _iterationElements = new(SymbolEqualityComparer.Default);

    private IOperation? DeclarationOf(ILocalSymbol local) =>
        _localWrites.TryGetValue(local, out List<IOperation>? writes) ? writes.FirstOrDefault(w => w is IVariableDeclaratorOperation) : null;

    /// <summary>Whether some write of <paramref name="local"/> reads the iteration variable, directly or through locals of the same loop.</summary>
    private bool DependsOn(ILocalSymbol local, ISymbol iteration, IOperation loop, int depth)
    {
        if (depth > 4 || !_localWrites.TryGetValue(local, out List<IOperation>? writes))
        {
            return false;
        }

        foreach (IOperation write in writes)
        {
            IOperation? value = write switch
            {
                IVariableDeclaratorOperation declarator => declarator.GetVariableInitializer()?.Value,
                IAssignmentOperation assignment => assignment.Value,
                _ => null,
            };
            foreach (IOperation read in value?.DescendantsAndSelf() ?? [])
            {
                if (read is ILocalReferenceOperation reference &&
                    (SymbolEqualityComparer.Default.Equals(reference.Local, iteration) ||
                     (!SymbolEqualityComparer.Default.Equals(reference.Local, local) && DeclarationOf(reference.Local) is { } inner &&
                      Operations.IsWithin(inner, loop) && DependsOn(reference.Local, iteration, loop, depth + 1))))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>x of <c>for (…; i &lt; x.Length; …)</c> (also <c>Count</c>, <c>Count()</c>).</summary>
    private CollectionKey? ForLoopCollection(IForLoopOperation loop) =>
        Operations.Unwrap(loop.Condition) is IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } condition &&
        Operations.Unwrap(condition.RightOperand) switch
        {
            IPropertyReferenceOperation { Property.Name: "Length" or "Count", Instance: { } owner } => Key(owner),
            IInvocationOperation { TargetMethod.Name: "Count", Arguments.Length: 1 } count => Key(count.Arguments[0].Value),
            _ => null,
        } is { } key
            ? key
            : null;

    /// <summary>An element of a plain collection: <c>x[i]</c>, <c>x[r, j]</c>, a foreach variable, a LINQ lambda parameter.</summary>
    private (CollectionKey Key, IOperation? Source)? ElementOf(IOperation? operation)
    {
        operation = Operations.Unwrap(operation);
        switch (operation)
        {
            case IArrayElementReferenceOperation { Indices.Length: 1 } element
                when Operations.Unwrap(element.Indices[0]) is ILocalReferenceOperation index &&
                     Key(element.ArrayReference) is { } key:
                return (key, EnclosingLoopOver(element, index.Local));
            case IArrayElementReferenceOperation { Indices.Length: 2 } element
                when RowAndIndex(element, element.Indices[0], element.Indices[1]) is ({ } row, { } index) &&
                     Key(element.ArrayReference) is { Member: null, Row: null } owner:
                return (new CollectionKey(owner.Root, null, row), EnclosingLoopOver(element, index));
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer
                when Operations.Unwrap(indexer.Arguments[0].Value) is ILocalReferenceOperation index &&
                     (indexer.Arguments[0].Value.Type?.SpecialType == SpecialType.System_Int32 || IsDictionary(indexer.Instance?.Type)) &&
                     Key(indexer.Instance) is { } key:
                return (key, EnclosingLoopOver(indexer, index.Local));
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 2 } indexer
                when TypeNames.IsReal(indexer.Type) && RowAndIndex(indexer, indexer.Arguments[0].Value, indexer.Arguments[1].Value) is ({ } row, { } index) &&
                     Key(indexer.Instance) is { Member: null, Row: null } owner:
                // m[r, c] of a matrix or batch type (MathNet's Matrix<float>, a layer's input[batch, i]).
                return (new CollectionKey(owner.Root, null, row), EnclosingLoopOver(indexer, index));
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
                     SourceKey(loop.Collection) is { } key:
                return (key, loop);
            case ILocalReferenceOperation local when IterationElement(local.Local) is { } iterated:
                return iterated;
            case { Kind: OperationKind.None } pointer when PointerElement(pointer) is ({ } buffer, { } index) && Key(buffer) is { } key:
                // p[i] of a float* (Roslyn gives pointer element access no operation of its own).
                return (key, EnclosingLoopOver(pointer, index));
            case IParameterReferenceOperation parameter
                when _lambdaParameters.TryGetValue(parameter.Parameter, out IInvocationOperation? linq) &&
                     SourceKey(SourceOf(linq)) is { } key:
                return (key, linq);
            default:
                return null;
        }
    }

    /// <summary>The pointer and the local index of <c>p[i]</c> for a pointer p, or nulls.</summary>
    internal static (IOperation? Buffer, ILocalSymbol? Index) PointerElement(IOperation operation)
    {
        if (operation is not { Kind: OperationKind.None, Syntax: Microsoft.CodeAnalysis.CSharp.Syntax.ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } })
        {
            return (null, null);
        }

        IOperation[] children = operation.ChildOperations.ToArray();
        return children.Length == 2 && children[0].Type is IPointerTypeSymbol && Operations.Unwrap(children[1]) is ILocalReferenceOperation index
            ? (children[0], index.Local)
            : (null, null);
    }

    /// <summary>
    /// For <c>x[a, b]</c> with two local indices: which one is fixed (the row, or for a column softmax the column) and
    /// which one the innermost enclosing loop runs over. A column (<c>x[i, j]</c> inside a loop over i) sets
    /// <see cref="_columns"/>, which keeps the fixes away.
    /// </summary>
    private (ISymbol? Row, ILocalSymbol? Index) RowAndIndex(IOperation element, IOperation firstIndex, IOperation secondIndex)
    {
        if (Operations.Unwrap(secondIndex) is not ILocalReferenceOperation second)
        {
            return (null, null);
        }

        if (Operations.Unwrap(firstIndex) is IParameterReferenceOperation batch)
        {
            // input[batch, i]: the row is a parameter (one row per call).
            return (batch.Parameter, second.Local);
        }

        if (Operations.Unwrap(firstIndex) is not ILocalReferenceOperation first)
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

    /// <summary>
    /// The key of a collection in this body: <see cref="CollectionKey.Of"/>, with a local that only aliases another
    /// collection (<c>var softmax = A;</c>, <c>var span = memory.Span;</c>, <c>var row = x[r];</c>) replaced by it.
    /// </summary>
    private CollectionKey? Key(IOperation? operation) => Canonical(CollectionKey.Of(operation));

    private CollectionKey? Canonical(CollectionKey? key)
    {
        if (key is { Root: ILocalSymbol local, Member: null } k && AliasOf(local) is { } target && (k.Row is null || target.Row is null))
        {
            return new CollectionKey(target.Root, target.Member, k.Row ?? target.Row);
        }

        return key;
    }

    private readonly Dictionary<ILocalSymbol, CollectionKey?> _aliases = new(SymbolEqualityComparer.Default);

    /// <summary>The collection a local holds when its only write is <c>var a = b;</c> with b a plain collection variable.</summary>
    private CollectionKey? AliasOf(ILocalSymbol local)
    {
        if (_aliases.TryGetValue(local, out CollectionKey? known))
        {
            return known;
        }

        _aliases[local] = null;
        CollectionKey? target = null;
        if (!TypeNames.IsReal(local.Type) && !TypeNames.IsVectorType(local.Type) && SingleInitializer(local) is { } initial &&
            Operations.Unwrap(initial) is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation &&
            CollectionKey.Of(initial) is { } of && !SymbolEqualityComparer.Default.Equals(of.Root, local))
        {
            target = Canonical(of);
        }

        _aliases[local] = target;
        return target;
    }

    /// <summary>
    /// The collection a LINQ call or foreach reads: a variable, or the result of an instance call on one
    /// (<c>tensor.GetRow(i)</c>, keyed by the receiver, the method and its index argument).
    /// </summary>
    private CollectionKey? SourceKey(IOperation? source)
    {
        if (Key(source) is { } key)
        {
            return key;
        }

        if (Operations.Unwrap(source) is IInvocationOperation { Instance: { } receiver, TargetMethod.IsExtensionMethod: false } call &&
            !call.TargetMethod.ReturnsVoid && TypeNames.ElementType(call.Type) is { } element && TypeNames.IsReal(element) &&
            call.Arguments.All(a => Operations.Unwrap(a.Value) is ILocalReferenceOperation or IParameterReferenceOperation || a.Value.ConstantValue.HasValue) &&
            Key(receiver) is { Member: null, Row: null } owner)
        {
            _callSources = true;
            ISymbol? row = call.Arguments.Select(a => (Operations.Unwrap(a.Value) as ILocalReferenceOperation)?.Local).FirstOrDefault(l => l is not null);
            return new CollectionKey(owner.Root, call.TargetMethod.Name + "()", row);
        }

        return null;
    }

    /// <summary>Some collection is the result of a call (<c>tensor.GetRow(i)</c>): the fixes stay away.</summary>
    private bool _callSources;

    /// <summary>The collection a LINQ-like call maps: the receiver of an instance <c>Map</c>, else the first argument.</summary>
    private static IOperation SourceOf(IInvocationOperation invocation) => invocation.Instance ?? invocation.Arguments[0].Value;

    /// <summary>The delegate argument of a LINQ-like call (its last argument).</summary>
    private static IOperation DelegateArgument(IInvocationOperation invocation) => invocation.Arguments[invocation.Arguments.Length - 1].Value;

    internal bool ReadsElement(IOperation operation) =>
        operation.DescendantsAndSelf().Any(o => ElementOf(o) is not null);
}
