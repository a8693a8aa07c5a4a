using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>The result of one walk of a member body: its softmax-family findings, from which SMX1001/1002/1004 are reported.</summary>
internal sealed class SoftmaxAnalysis
{
    private readonly SoftmaxMatcher _matcher;
    private readonly ImmutableArray<SoftmaxFinding> _all;

    internal SoftmaxAnalysis(SoftmaxMatcher matcher, ImmutableArray<SoftmaxFinding> all)
    {
        _matcher = matcher;
        _all = all;
    }

    public static SoftmaxAnalysis Run(IOperation body, MathSymbols symbols, CancellationToken cancellationToken) =>
        SoftmaxMatcher.Analyze(body, symbols, cancellationToken);

    /// <summary>Findings whose exponentials are not max-shifted (SMX1001, SMX1002).</summary>
    public ImmutableArray<SoftmaxFinding> Unstable => _all.Where(f => !f.IsStable).ToImmutableArray();

    /// <summary>Logs of probabilities from any softmax in the body (SMX1004).</summary>
    public ImmutableArray<LogOfSoftmaxFinding> LogsOfSoftmax() => _matcher.LogsOfSoftmax(_all);
}
