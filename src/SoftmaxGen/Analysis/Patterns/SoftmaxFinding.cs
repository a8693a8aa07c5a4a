using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>What an unshifted exp-sum is used for.</summary>
internal enum SoftmaxFindingKind
{
    /// <summary>exp(x_i) / Σ exp(x_j), or x_i − log Σ exp(x_j).</summary>
    Softmax,

    /// <summary>log Σ exp(x_j).</summary>
    LogSumExp,
}

/// <summary>
/// One softmax-family computation over a collection whose exponentials are not max-shifted: every exp of the
/// collection in the method, the sums of them, and the divisions and logarithms that use those sums.
/// </summary>
internal sealed class SoftmaxFinding
{
    public SoftmaxFinding(
        SoftmaxFindingKind kind,
        CollectionKey collection,
        ImmutableArray<ExpSite> sites,
        ImmutableArray<ISymbol> sumLocals,
        ImmutableArray<IOperation> divisions,
        ImmutableArray<IOperation> logs,
        ImmutableArray<IOperation> logSoftmaxLogs)
    {
        Kind = kind;
        Collection = collection;
        Sites = sites;
        SumLocals = sumLocals;
        Divisions = divisions;
        Logs = logs;
        LogSoftmaxLogs = logSoftmaxLogs;
    }

    public SoftmaxFindingKind Kind { get; }

    /// <summary>The exponentials are max-shifted (or the collection may be changed first): not reported, but still probabilities for SMX1004.</summary>
    public bool IsStable { get; init; }

    public CollectionKey Collection { get; }

    /// <summary>Every exp of the collection in the method, in source order.</summary>
    public ImmutableArray<ExpSite> Sites { get; }

    /// <summary>Locals that hold Σ exp(x_j).</summary>
    public ImmutableArray<ISymbol> SumLocals { get; }

    /// <summary>Divisions (binary, compound, TensorPrimitives.Divide) of an exponential by the sum.</summary>
    public ImmutableArray<IOperation> Divisions { get; }

    /// <summary>Every log of the sum.</summary>
    public ImmutableArray<IOperation> Logs { get; }

    /// <summary>The logs of the sum that are subtracted from an element (log-softmax).</summary>
    public ImmutableArray<IOperation> LogSoftmaxLogs { get; }

    /// <summary>The first exponential: where the diagnostic goes.</summary>
    public ExpSite ReportSite => Sites[0];

    public Location Location => ReportSite.Node.Syntax.GetLocation();

    /// <summary>Message arguments: collection, element type, overflow point.</summary>
    public object[] MessageArguments() =>
        [Collection.DisplayName, TypeNames.Keyword(ReportSite.ValueType), TypeNames.OverflowPoint(ReportSite.ValueType), GuardNote];

    /// <summary>Part of the computation is done by helpers of the same compilation or by a sampling loop: the fixes do not rewrite it.</summary>
    public bool NoFix { get; init; }

    /// <summary>The guarded sum (<c>if (sum == 0)</c>, <c>double.IsInfinity(sum)</c>, …), when the code checks it; null otherwise.</summary>
    public string? GuardedSum { get; init; }

    /// <summary>The message's last part: a guard on the sum does not catch the overflow.</summary>
    public string GuardNote => GuardedSum is null
        ? string.Empty
        : "; the check on '" + GuardedSum + "' does not help: the sum is +∞ (not 0 or NaN) once one exp overflows, so the guard hides the overflow";
}
