using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SoftmaxGen.Analysis.Patterns;
using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.Analysis;

/// <summary>
/// SMX1002: log Σ_j exp(x_j) without subtracting the maximum (loops, foreach, LINQ, TensorPrimitives).
/// A log of the sum that is subtracted from an element is log-softmax, which SMX1001 reports instead.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnshiftedLogSumExpAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UnshiftedLogSumExp);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        MethodScan.Register(
            context,
            static (index, block) => index.HasExp(block.Span) && index.HasLog(block.Span) && ExpSyntax.HasElementExp(block),
            static (symbols, blocks, report, cancellationToken) =>
            {
                foreach (SoftmaxFinding finding in SoftmaxMatcher.Find(blocks, symbols, cancellationToken))
                {
                    if (finding.Kind == SoftmaxFindingKind.LogSumExp)
                    {
                        report(Diagnostic.Create(Descriptors.UnshiftedLogSumExp, finding.Location, finding.MessageArguments()));
                    }
                }
            });
    }
}
