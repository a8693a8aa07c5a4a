using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// Finds softmax, log-softmax and log-sum-exp computations in one member body (with its lambdas and local functions)
/// by following exp values: where each exp(x_i) comes from (<c>ExpSources</c>), where it flows (<c>Flow</c>: locals,
/// element stores, List.Add, LINQ sequences), which locals and reductions add them up (<c>Sums</c>), and which
/// divisions, reciprocal multiplications and logs use those sums (<c>Findings</c>), over an index of the body built
/// once (<c>Index</c>). A finding is stable when its exponentials are shifted by something that may be the row's
/// bound (only a constant, a mean or one element is known not to be) or when the collection may be changed first.
/// One run serves SMX1001, SMX1002 and SMX1004; the fixers re-run it on the same operation tree.
/// </summary>
internal sealed partial class SoftmaxMatcher
{
    private readonly MathSymbols _symbols;
    private readonly List<IOperation> _all = [];
    private readonly Dictionary<ILocalSymbol, IForEachLoopOperation> _foreachLocals = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IParameterSymbol, IInvocationOperation> _lambdaParameters = new(SymbolEqualityComparer.Default);
    private readonly List<ExpSite> _sites = [];
    private readonly Dictionary<IOperation, ExpSite> _siteByValue = [];
    private readonly Dictionary<CollectionKey, CollectionKey> _containers = [];
    private readonly Dictionary<ISymbol, CollectionKey> _sums = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, List<IOperation>> _localWrites = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IFieldSymbol, List<IOperation>> _fieldWrites = new(SymbolEqualityComparer.Default);

    /// <summary>Every exp site found, in source order (the fixers rewrite them).</summary>
    public IReadOnlyList<ExpSite> Sites => _sites;

    public static ImmutableArray<SoftmaxFinding> Find(IEnumerable<IOperation> roots, MathSymbols symbols, CancellationToken cancellationToken)
    {
        var matcher = new SoftmaxMatcher(symbols, depth: 0);
        return matcher.Run(roots, includeStable: false, cancellationToken);
    }

    /// <summary>One walk of a member body: every softmax-family finding, stable ones included (SMX1004 needs them).</summary>
    internal static SoftmaxAnalysis Analyze(IOperation body, MathSymbols symbols, CancellationToken cancellationToken)
    {
        var matcher = new SoftmaxMatcher(symbols, depth: 0);
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
        var matcher = new SoftmaxMatcher(symbols, depth: 0);
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
        CollectLocalWrites();
        cancellationToken.ThrowIfCancellationRequested();
        CollectSites();
        if (_sites.Count == 0)
        {
            return ImmutableArray<SoftmaxFinding>.Empty;
        }

        CollectExpLocals();
        CollectContainers();
        CollectSums();
        WholeMatrixSites();
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
            if (logOps.IsEmpty && !divisionOps.IsEmpty && sites.All(s => s.Kind == ExpSiteKind.Helper && divisionOps.Contains(s.Node)))
            {
                // Softmax(v) of a helper that takes the exps and normalises them itself: the helper is reported, not its callers.
                continue;
            }
            if (divisionOps.Length > 0 || logSoftmaxOps.Length > 0)
            {
                findings.Add(new SoftmaxFinding(SoftmaxFindingKind.Softmax, key, sites, sumLocals, divisionOps, logOps, logSoftmaxOps) { IsStable = stable, GuardedSum = stable ? null : GuardedSum(key), NoFix = _usedHelper || _columns || _vectors || _callSources || _wholeMatrix || sumLocals.Any(l => l is IFieldSymbol) || _sampling.Overlaps(divisionOps) });
            }

            if (logOps.Length > logSoftmaxOps.Length)
            {
                findings.Add(new SoftmaxFinding(SoftmaxFindingKind.LogSumExp, key, sites, sumLocals, divisionOps, logOps, logSoftmaxOps) { IsStable = stable, GuardedSum = stable ? null : GuardedSum(key), NoFix = _usedHelper || _columns || _vectors || _callSources || _wholeMatrix || sumLocals.Any(l => l is IFieldSymbol) || _sampling.Overlaps(divisionOps) });
            }
        }

        return findings.ToImmutable();
    }

    /// <summary>Some sum runs over every row of a matrix: the fixes (which shift row by row) stay away.</summary>
    private bool _wholeMatrix;

    /// <summary>The exps of a matrix's rows belong to one softmax when a sum runs over all of its rows.</summary>
    private void WholeMatrixSites()
    {
        foreach (ExpSite site in _sites)
        {
            if (site.Collection.Row is not null && new CollectionKey(site.Collection.Root, site.Collection.Member, null) is var whole &&
                _sums.ContainsValue(whole))
            {
                site.Collection = whole;
                _wholeMatrix = true;
            }
        }
    }

    private static void Add(Dictionary<CollectionKey, List<IOperation>> map, CollectionKey key, IOperation operation)
    {
        if (!map.TryGetValue(key, out List<IOperation>? list))
        {
            map[key] = list = [];
        }

        list.Add(operation);
    }

    /// <summary>The operations recorded for a collection (for a row, also those of a sum over the whole matrix).</summary>
    private static ImmutableArray<IOperation> Get(Dictionary<CollectionKey, List<IOperation>> map, CollectionKey key)
    {
        ImmutableArray<IOperation> own = map.TryGetValue(key, out List<IOperation>? list) ? list.ToImmutableArray() : ImmutableArray<IOperation>.Empty;
        return key.Row is not null && map.TryGetValue(new CollectionKey(key.Root, key.Member, null), out List<IOperation>? whole)
            ? own.AddRange(whole)
            : own;
    }
}
