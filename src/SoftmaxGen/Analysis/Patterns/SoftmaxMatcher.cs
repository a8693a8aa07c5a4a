using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// Finds softmax, log-softmax and log-sum-exp computations whose exponentials are not max-shifted, in one
/// method (with its lambdas and local functions). Used by the analyzers and, on the same operation tree, by the fixers.
/// Precision over recall: a collection written in any other way, a sum that is used for anything else,
/// or an exp argument of any other shape makes the matcher stay silent.
/// </summary>
internal sealed class SoftmaxMatcher
{
    private readonly MathSymbols _symbols;
    private readonly List<IOperation> _all = [];
    private readonly Dictionary<ILocalSymbol, IForEachLoopOperation> _foreachLocals = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IParameterSymbol, IInvocationOperation> _lambdaParameters = new(SymbolEqualityComparer.Default);
    private readonly List<ExpSite> _sites = [];
    private readonly Dictionary<IOperation, ExpSite> _siteByValue = [];
    private readonly Dictionary<CollectionKey, CollectionKey> _containers = [];
    private readonly Dictionary<ILocalSymbol, CollectionKey> _sums = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, List<IOperation>> _localWrites = new(SymbolEqualityComparer.Default);

    private SoftmaxMatcher(MathSymbols symbols) => _symbols = symbols;

    /// <summary>Every exp site found, in source order (the fixers rewrite them).</summary>
    public IReadOnlyList<ExpSite> Sites => _sites;

    public static ImmutableArray<SoftmaxFinding> Find(IEnumerable<IOperation> roots, MathSymbols symbols, CancellationToken cancellationToken)
    {
        var matcher = new SoftmaxMatcher(symbols);
        return matcher.Run(roots, includeStable: false, cancellationToken);
    }

    /// <summary>One walk of a member body: every softmax-family finding, stable ones included (SMX1004 needs them).</summary>
    internal static SoftmaxAnalysis Analyze(IOperation body, MathSymbols symbols, CancellationToken cancellationToken)
    {
        var matcher = new SoftmaxMatcher(symbols);
        return new SoftmaxAnalysis(matcher, matcher.Run([body], includeStable: true, cancellationToken));
    }

    /// <summary>SMX1004 findings given this matcher's findings (stable ones included).</summary>
    internal ImmutableArray<LogOfSoftmaxFinding> LogsOfSoftmax(ImmutableArray<SoftmaxFinding> all) => LogsOfProbabilities(all);

    /// <summary>
    /// SMX1004: logarithms of probabilities the method got from a softmax (hand-written, shifted or not;
    /// <c>TensorPrimitives.SoftMax</c>; a generated [Softmax] kernel; a method named like <c>Softmax</c> returning values).
    /// </summary>
    public static ImmutableArray<LogOfSoftmaxFinding> FindLogsOfSoftmax(IEnumerable<IOperation> roots, MathSymbols symbols, CancellationToken cancellationToken)
    {
        var matcher = new SoftmaxMatcher(symbols);
        ImmutableArray<SoftmaxFinding> softmaxes = matcher.Run(roots, includeStable: true, cancellationToken);
        return matcher.LogsOfProbabilities(softmaxes);
    }

    private ImmutableArray<SoftmaxFinding> Run(IEnumerable<IOperation> roots, bool includeStable, CancellationToken cancellationToken)
    {
        foreach (IOperation root in roots)
        {
            _all.AddRange(root.DescendantsAndSelf());
        }

        CollectSources();
        cancellationToken.ThrowIfCancellationRequested();
        CollectSites();
        if (_sites.Count == 0)
        {
            return ImmutableArray<SoftmaxFinding>.Empty;
        }

        CollectLocalWrites();
        CollectExpLocals();
        CollectContainers();
        CollectSums();
        cancellationToken.ThrowIfCancellationRequested();

        var divisions = new Dictionary<CollectionKey, List<IOperation>>();
        var logs = new Dictionary<CollectionKey, List<IOperation>>();
        var logSoftmax = new Dictionary<CollectionKey, List<IOperation>>();
        foreach (IOperation operation in _all)
        {
            if (DivisionOf(operation) is { } divided)
            {
                Add(divisions, divided, operation);
            }
            else if (operation is IInvocationOperation { Arguments.Length: 1 } log && _symbols.IsLog(log.TargetMethod) &&
                     SumOf(log.Arguments[0].Value) is { } logged)
            {
                Add(logs, logged, log);
                if (IsSubtractedFromElement(log, logged))
                {
                    Add(logSoftmax, logged, log);
                }
            }
        }

        var findings = ImmutableArray.CreateBuilder<SoftmaxFinding>();
        foreach (IGrouping<CollectionKey, ExpSite> group in _sites.GroupBy(s => s.Collection))
        {
            CollectionKey key = group.Key;
            ImmutableArray<ExpSite> sites = group.ToImmutableArray();
            bool stable = sites.Any(s => s.Shifted) || IsTainted(key, sites);
            if (!includeStable && stable)
            {
                continue;
            }

            ImmutableArray<ISymbol> sumLocals = _sums.Where(p => p.Value.Equals(key)).Select(p => (ISymbol)p.Key).ToImmutableArray();
            ImmutableArray<IOperation> divisionOps = Get(divisions, key);
            ImmutableArray<IOperation> logOps = Get(logs, key);
            ImmutableArray<IOperation> logSoftmaxOps = Get(logSoftmax, key);
            if (divisionOps.Length > 0 || logSoftmaxOps.Length > 0)
            {
                findings.Add(new SoftmaxFinding(SoftmaxFindingKind.Softmax, key, sites, sumLocals, divisionOps, logOps, logSoftmaxOps) { IsStable = stable, GuardedSum = stable ? null : GuardedSum(key) });
            }

            if (logOps.Length > logSoftmaxOps.Length)
            {
                findings.Add(new SoftmaxFinding(SoftmaxFindingKind.LogSumExp, key, sites, sumLocals, divisionOps, logOps, logSoftmaxOps) { IsStable = stable, GuardedSum = stable ? null : GuardedSum(key) });
            }
        }

        return findings.ToImmutable();
    }

    private static void Add(Dictionary<CollectionKey, List<IOperation>> map, CollectionKey key, IOperation operation)
    {
        if (!map.TryGetValue(key, out List<IOperation>? list))
        {
            map[key] = list = [];
        }

        list.Add(operation);
    }

    private static ImmutableArray<IOperation> Get(Dictionary<CollectionKey, List<IOperation>> map, CollectionKey key) =>
        map.TryGetValue(key, out List<IOperation>? list) ? list.ToImmutableArray() : ImmutableArray<IOperation>.Empty;

    // ---- Pass 1: foreach variables and LINQ lambda parameters ----

    private void CollectSources()
    {
        foreach (IOperation operation in _all)
        {
            switch (operation)
            {
                case IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation declarator } loop:
                    _foreachLocals[declarator.Symbol] = loop;
                    break;
                case IForEachLoopOperation { LoopControlVariable: IVariableDeclarationOperation { Declarators.Length: 1 } declaration } loop:
                    _foreachLocals[declaration.Declarators[0].Symbol] = loop;
                    break;
                case IInvocationOperation invocation when IsLinqElementwise(invocation):
                    if (Operations.DelegateTarget(invocation.Arguments[1].Value) is IAnonymousFunctionOperation { Symbol.Parameters.Length: 1 } lambda)
                    {
                        _lambdaParameters[lambda.Symbol.Parameters[0]] = invocation;
                    }

                    break;
            }
        }
    }

    private bool IsLinqElementwise(IInvocationOperation invocation) =>
        invocation.Arguments.Length == 2 &&
        (_symbols.IsEnumerable(invocation.TargetMethod, "Select") || _symbols.IsEnumerable(invocation.TargetMethod, "Sum") || IsElementwiseMap(invocation));

    /// <summary><c>Array.ConvertAll(x, f)</c>, or an extension method <c>x.Map(f)</c> / <c>x.Select(f)</c> of another library: f applied to each element of x.</summary>
    private static bool IsElementwiseMap(IInvocationOperation invocation) =>
        invocation.Arguments.Length == 2 &&
        ((invocation.TargetMethod is { Name: "ConvertAll", ContainingType.SpecialType: SpecialType.System_Array }) ||
         (invocation.TargetMethod is { IsExtensionMethod: true, Name: "Map" or "Select" or "Apply" }));

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

        if (argument is null)
        {
            return null;
        }

        IOperation value = invocation;
        if (invocation.Parent is IConversionOperation { IsImplicit: false } cast && TypeNames.IsFloatingPoint(cast.Type))
        {
            value = cast;
        }

        var site = new ExpSite { Kind = ExpSiteKind.Call, Node = invocation, Value = value, Argument = argument, ValueType = value.Type };
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
                site.Shifted = !BoundsAnalysis.IsNotABound(shifted.LeftOperand, this);
                site.NotABound = !site.Shifted;
                body = Operations.Unwrap(shifted.RightOperand);
            }
            else
            {
                // exp(x_i − c): stable only when c may be the row's maximum; a constant, a mean or one element is not.
                site.Shifted = !BoundsAnalysis.IsNotABound(shifted.RightOperand, this);
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
                when Operations.Unwrap(element.Indices[0]) is ILocalReferenceOperation row &&
                     Operations.Unwrap(element.Indices[1]) is ILocalReferenceOperation index &&
                     CollectionKey.Of(element.ArrayReference) is { Member: null, Row: null } owner:
                return (new CollectionKey(owner.Root, null, row.Local), EnclosingLoopOver(element, index.Local));
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer
                when Operations.Unwrap(indexer.Arguments[0].Value) is ILocalReferenceOperation index &&
                     indexer.Arguments[0].Value.Type?.SpecialType == SpecialType.System_Int32 &&
                     CollectionKey.Of(indexer.Instance) is { } key:
                return (key, EnclosingLoopOver(indexer, index.Local));
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
                case IInvocationOperation { TargetMethod.Name: "Add", Arguments.Length: 1, Instance: { } list } add
                    when add.TargetMethod.ContainingType is { Name: "List" or "ICollection" or "IList" } &&
                         CollectionKey.Of(list) is { } target && ExpValueOf(add.Arguments[0].Value) is { } source:
                    // exps.Add(Math.Exp(v)).
                    _containers[target] = source;
                    break;
                case IInvocationOperation invocation
                    when _siteByValue.TryGetValue(invocation, out ExpSite? site) && site.Kind == ExpSiteKind.Tensor && site.Destination is { } destination:
                    _containers[destination] = site.Collection;
                    break;
            }
        }
    }

    /// <summary>The collection whose element is written: <c>e[i] = …</c>.</summary>
    private static CollectionKey? ContainerElement(IOperation operation)
    {
        operation = Operations.Unwrap(operation)!;
        return operation switch
        {
            IArrayElementReferenceOperation { Indices.Length: 1 } element => CollectionKey.Of(element.ArrayReference),
            IArrayElementReferenceOperation { Indices.Length: 2 } element
                when Operations.Unwrap(element.Indices[0]) is ILocalReferenceOperation row &&
                     CollectionKey.Of(element.ArrayReference) is { Member: null, Row: null } owner =>
                new CollectionKey(owner.Root, null, row.Local),
            IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer => CollectionKey.Of(indexer.Instance),
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
            case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true }
                when ContainerElement(unwrapped) is { } container && _containers.TryGetValue(container, out CollectionKey source):
                return source;
            case ILocalReferenceOperation local when _expLocals.TryGetValue(local.Local, out CollectionKey held):
                return held;
            case ILocalReferenceOperation local
                when _foreachLocals.TryGetValue(local.Local, out IForEachLoopOperation? loop) && ExpSequenceOf(loop.Collection) is { } source:
                return source;
            case IParameterReferenceOperation parameter
                when _lambdaParameters.TryGetValue(parameter.Parameter, out IInvocationOperation? linq) && ExpSequenceOf(linq.Arguments[0].Value) is { } source:
                return source;
            default:
                return null;
        }
    }

    /// <summary>If <paramref name="operation"/> is a sequence of exp(x_i) (a container, <c>x.Select(exp)</c>, its ToArray/ToList/spread), returns x.</summary>
    private CollectionKey? ExpSequenceOf(IOperation? operation)
    {
        operation = Operations.Unwrap(operation);
        switch (operation)
        {
            case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
                when CollectionKey.Of(operation) is { } key && _containers.TryGetValue(key, out CollectionKey source):
                return source;
            case IInvocationOperation { Arguments.Length: 2 } select when _symbols.IsEnumerable(select.TargetMethod, "Select") || IsElementwiseMap(select):
                return DelegateExpOf(select);
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
        IOperation? target = Operations.DelegateTarget(invocation.Arguments[1].Value);
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

    // ---- Pass 4: sums of exponentials ----

    private void CollectLocalWrites()
    {
        foreach (IOperation operation in _all)
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator:
                    AddWrite(declarator.Symbol, declarator);
                    break;
                case IAssignmentOperation { Target: ILocalReferenceOperation local } assignment:
                    AddWrite(local.Local, assignment);
                    break;
                case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation local } increment:
                    AddWrite(local.Local, increment);
                    break;
                case IArgumentOperation { Parameter.RefKind: not RefKind.None, Value: ILocalReferenceOperation local } argument:
                    AddWrite(local.Local, argument);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    foreach (IOperation target in deconstruction.Target.DescendantsAndSelf())
                    {
                        if (target is ILocalReferenceOperation local)
                        {
                            AddWrite(local.Local, deconstruction);
                        }
                    }

                    break;
            }
        }
    }

    private readonly Dictionary<ILocalSymbol, CollectionKey> _expLocals = new(SymbolEqualityComparer.Default);

    /// <summary>Locals that only ever hold exp(x_i) of one collection: <c>var e = Math.Exp(x[i]); y[i] = e; sum += e;</c>.</summary>
    private void CollectExpLocals()
    {
        foreach (KeyValuePair<ILocalSymbol, List<IOperation>> pair in _localWrites)
        {
            CollectionKey? held = null;
            foreach (IOperation write in pair.Value)
            {
                IOperation? value = write switch
                {
                    IVariableDeclaratorOperation declarator => declarator.GetVariableInitializer()?.Value,
                    ISimpleAssignmentOperation assignment => assignment.Value,
                    _ => null,
                };
                CollectionKey? key = value is null ? null : ExpValueOf(value);
                if (key is null || (held is not null && !held.Value.Equals(key.Value)))
                {
                    held = null;
                    break;
                }

                held = key;
            }

            if (held is { } found)
            {
                _expLocals[pair.Key] = found;
            }
        }
    }

    private void AddWrite(ILocalSymbol local, IOperation write)
    {
        if (!_localWrites.TryGetValue(local, out List<IOperation>? writes))
        {
            _localWrites[local] = writes = [];
        }

        writes.Add(write);
    }

    private void CollectSums()
    {
        foreach (KeyValuePair<ILocalSymbol, List<IOperation>> pair in _localWrites)
        {
            if (!TypeNames.IsReal(pair.Key.Type))
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
                        if (initial is null || Operations.IsZero(initial))
                        {
                            continue;
                        }

                        term = InlineSumOf(initial);
                        break;
                    case ISimpleAssignmentOperation assignment when Operations.IsZero(assignment.Value):
                        continue;
                    case ISimpleAssignmentOperation assignment
                        when Operations.Unwrap(assignment.Value) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } inverse &&
                             Operations.IsOne(inverse.LeftOperand) && Operations.Unwrap(inverse.RightOperand) is ILocalReferenceOperation inverted &&
                             SymbolEqualityComparer.Default.Equals(inverted.Local, pair.Key) && !_selfReciprocal.ContainsKey(pair.Key):
                        // sum = 1 / sum: from here on the local holds the reciprocal.
                        _selfReciprocal[pair.Key] = assignment.Syntax.Span.End;
                        continue;
                    case ISimpleAssignmentOperation assignment:
                        term = InlineSumOf(assignment.Value);
                        if (term is null &&
                            Operations.Unwrap(assignment.Value) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add &&
                            Operations.Unwrap(add.LeftOperand) is ILocalReferenceOperation self &&
                            SymbolEqualityComparer.Default.Equals(self.Local, pair.Key))
                        {
                            term = ExpValueOf(add.RightOperand);
                        }

                        break;
                    case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } compound:
                        term = ExpValueOf(compound.Value);
                        break;
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

    /// <summary>Σ exp(x_j): a sum local or an inline sum.</summary>
    private CollectionKey? SumOf(IOperation? operation)
    {
        IOperation? unwrapped = Operations.Unwrap(operation);
        if (unwrapped is ILocalReferenceOperation local && _sums.TryGetValue(local.Local, out CollectionKey key))
        {
            return IsReciprocalHere(local) ? null : key;
        }

        return InlineSumOf(unwrapped);
    }

    // ---- Pass 5: divisions and logarithms ----

    private CollectionKey? DivisionOf(IOperation operation)
    {
        switch (operation)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } divide
                when SumOf(divide.RightOperand) is { } sum && ExpValueOf(divide.LeftOperand) is { } numerator && sum.Equals(numerator):
                return sum;
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Divide } compound
                when SumOf(compound.Value) is { } sum && ExpValueOf(compound.Target) is { } numerator && sum.Equals(numerator):
                return sum;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } multiply
                when (ReciprocalOf(multiply.RightOperand) is { } sum && ExpValueOf(multiply.LeftOperand)?.Equals(sum) == true) ||
                     (ReciprocalOf(multiply.LeftOperand) is { } sum2 && ExpValueOf(multiply.RightOperand)?.Equals(sum2) == true):
                return ReciprocalOf(multiply.RightOperand) ?? ReciprocalOf(multiply.LeftOperand);
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Multiply } compound
                when ReciprocalOf(compound.Value) is { } sum && ExpValueOf(compound.Target) is { } numerator && sum.Equals(numerator):
                return sum;
            case IInvocationOperation { Arguments.Length: 3 } divide
                when _symbols.IsTensorPrimitives(divide.TargetMethod, "Divide") &&
                     CollectionKey.Of(divide.Arguments[0].Value) is { } container && _containers.TryGetValue(container, out CollectionKey numerator) &&
                     SumOf(divide.Arguments[1].Value) is { } sum && sum.Equals(numerator):
                return sum;
            default:
                return null;
        }
    }

    /// <summary>Sum locals that are turned into their reciprocal (<c>sum = 1f / sum;</c>), with where that happens.</summary>
    private readonly Dictionary<ILocalSymbol, int> _selfReciprocal = new(SymbolEqualityComparer.Default);

    /// <summary>A read of a sum local after <c>sum = 1 / sum</c> (in source order), which reads the reciprocal.</summary>
    private bool IsReciprocalHere(ILocalReferenceOperation read) =>
        _selfReciprocal.TryGetValue(read.Local, out int from) && read.Syntax.SpanStart >= from;

    /// <summary>1 / Σ exp(x_j), inline or through a local that only holds it (<c>var inv = 1.0 / sum;</c>).</summary>
    private CollectionKey? ReciprocalOf(IOperation? operation)
    {
        IOperation? unwrapped = Operations.Unwrap(operation);
        if (unwrapped is IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } divide && Operations.IsOne(divide.LeftOperand))
        {
            return SumOf(divide.RightOperand);
        }

        if (unwrapped is ILocalReferenceOperation held && IsReciprocalHere(held) && _sums.TryGetValue(held.Local, out CollectionKey inverted))
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
            if (Operations.Unwrap(tested) is ILocalReferenceOperation local && _sums.TryGetValue(local.Local, out CollectionKey summed) && summed.Equals(key))
            {
                return local.Local.Name;
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
    /// True when the collection may have been changed before its exponentials are taken: reassigned, passed by
    /// reference or as a writable span, or an element written with anything but exp of itself or a division by the sum.
    /// </summary>
    private bool IsTainted(CollectionKey key, ImmutableArray<ExpSite> sites)
    {
        int firstSite = sites.Min(s => s.Node.Syntax.SpanStart);
        foreach (IOperation operation in _all)
        {
            switch (operation)
            {
                case IAssignmentOperation assignment when CollectionKey.Of(assignment.Target) is { } whole && SameRoot(whole, key) && assignment.Target is not IArrayElementReferenceOperation:
                    if (assignment.Target is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation)
                    {
                        return true;
                    }

                    break;
                case IAssignmentOperation assignment when ContainerElement(assignment.Target) is { } written && written.Equals(key):
                    bool allowed = assignment switch
                    {
                        ISimpleAssignmentOperation simple => ExpValueOf(simple.Value)?.Equals(key) == true ||
                            (Operations.Unwrap(simple.Value) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide or BinaryOperatorKind.Multiply } d && DivisionOf(d) is not null),
                        ICompoundAssignmentOperation compound => compound.OperatorKind is BinaryOperatorKind.Divide or BinaryOperatorKind.Multiply && DivisionOf(compound) is not null,
                        _ => false,
                    };
                    if (!allowed)
                    {
                        return true;
                    }

                    break;
                case IIncrementOrDecrementOperation increment when ContainerElement(increment.Target)?.Equals(key) == true:
                    return true;
                case IArgumentOperation argument when CollectionKey.Of(argument.Value) is { } passed && SameRoot(passed, key):
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

    private bool IsExpCall(IArgumentOperation argument) =>
        argument.Parent is IInvocationOperation invocation && _siteByValue.ContainsKey(invocation);

    // ---- SMX1004: logarithms of probabilities ----

    private ImmutableArray<LogOfSoftmaxFinding> LogsOfProbabilities(ImmutableArray<SoftmaxFinding> softmaxes)
    {
        var probabilities = new Dictionary<CollectionKey, string>();
        foreach (SoftmaxFinding softmax in softmaxes)
        {
            foreach (IOperation division in softmax.Divisions)
            {
                if (ProbabilitiesOf(division) is { } key)
                {
                    probabilities[key] = "softmax";
                }
            }
        }

        foreach (IOperation operation in _all)
        {
            switch (operation)
            {
                case IInvocationOperation { Arguments.Length: 2 } call when _symbols.IsTensorPrimitives(call.TargetMethod, "SoftMax") &&
                                                                        CollectionKey.Of(call.Arguments[1].Value) is { } destination:
                    probabilities[destination] = "TensorPrimitives.SoftMax";
                    break;
                case IInvocationOperation call when GeneratedKernels.IsSoftmaxKernel(call.TargetMethod) &&
                                                    CollectionKey.Of(call.Arguments[call.Arguments.Length == 1 ? 0 : 1].Value) is { } destination:
                    probabilities[destination] = call.TargetMethod.Name;
                    break;
                case IVariableDeclaratorOperation declarator when declarator.GetVariableInitializer()?.Value is { } value &&
                                                                  Operations.Unwrap(value) is IInvocationOperation call &&
                                                                  IsNamedSoftmax(call.TargetMethod):
                    probabilities[new CollectionKey(declarator.Symbol, null, null)] = call.TargetMethod.Name;
                    break;
            }
        }

        if (probabilities.Count == 0)
        {
            return ImmutableArray<LogOfSoftmaxFinding>.Empty;
        }

        var findings = ImmutableArray.CreateBuilder<LogOfSoftmaxFinding>();
        foreach (IOperation operation in _all)
        {
            CollectionKey? read = null;
            ITypeSymbol? type = null;
            if (operation is IInvocationOperation { Arguments.Length: 1 } log && _symbols.IsLog(log.TargetMethod))
            {
                read = ProbabilityRead(log.Arguments[0].Value);
                type = Operations.Unwrap(log.Arguments[0].Value)?.Type;
            }
            else if (operation is IMethodReferenceOperation reference && _symbols.IsLog(reference.Method) &&
                     reference.Parent is IDelegateCreationOperation creation &&
                     Operations.UnwrappedParent(creation) is IArgumentOperation { Parent: IInvocationOperation linq } &&
                     IsLinqElementwise(linq))
            {
                read = CollectionKey.Of(linq.Arguments[0].Value);
                type = reference.Method.Parameters[0].Type;
            }

            if (read is { } key && probabilities.TryGetValue(key, out string? source))
            {
                findings.Add(new LogOfSoftmaxFinding(operation, key, source, type));
            }
        }

        return findings.OrderBy(f => f.Log.Syntax.SpanStart).ToImmutableArray();
    }

    private CollectionKey? ProbabilityRead(IOperation value)
    {
        IOperation? unwrapped = Operations.Unwrap(value);
        if (unwrapped is IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true })
        {
            return ContainerElement(unwrapped);
        }

        return ElementOf(unwrapped)?.Key;
    }

    /// <summary>Where a division's quotients are stored: <c>p[i] = e / s</c>, <c>e[i] /= s</c>, <c>var p = xs.Select(… / s)</c>, Divide's destination.</summary>
    private static CollectionKey? ProbabilitiesOf(IOperation division)
    {
        switch (division)
        {
            case ICompoundAssignmentOperation compound:
                return ContainerElement(compound.Target);
            case IInvocationOperation { Arguments.Length: 3 } divide:
                return CollectionKey.Of(divide.Arguments[2].Value);
        }

        IOperation? parent = Operations.UnwrappedParent(division);
        if (parent is ISimpleAssignmentOperation assignment)
        {
            return ContainerElement(assignment.Target);
        }

        if (parent is IReturnOperation { Parent: IBlockOperation { Parent: IAnonymousFunctionOperation lambda } })
        {
            IOperation? chain = Operations.UnwrappedParent(lambda);
            chain = chain is IDelegateCreationOperation ? Operations.UnwrappedParent(chain) : chain;
            chain = chain is IArgumentOperation { Parent: IInvocationOperation select } ? select : null;
            while (chain is not null && Operations.UnwrappedParent(chain) is IArgumentOperation { Parent: IInvocationOperation { Arguments.Length: 1 } copy } &&
                   copy.TargetMethod.Name is "ToArray" or "ToList")
            {
                chain = copy;
            }

            if (chain is not null && Operations.UnwrappedParent(chain) is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
            {
                return new CollectionKey(declarator.Symbol, null, null);
            }
        }

        return null;
    }

    private static bool IsNamedSoftmax(IMethodSymbol method) =>
        method.Name.EndsWith("Softmax", System.StringComparison.OrdinalIgnoreCase) &&
        method.Name.IndexOf("Log", System.StringComparison.OrdinalIgnoreCase) < 0 &&
        TypeNames.IsFloatingPoint(TypeNames.ElementType(method.ReturnType));
}
