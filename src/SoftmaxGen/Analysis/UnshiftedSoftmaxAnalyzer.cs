using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SoftmaxGen.Analysis.Patterns;
using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.Analysis;

/// <summary>
/// SMX1001: exp(x_i) / Σ_j exp(x_j) (or x_i − log Σ_j exp(x_j)) over one collection without subtracting its maximum,
/// in loops, foreach, LINQ or TensorPrimitives. Reported once per collection, on its first exponential.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnshiftedSoftmaxAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UnshiftedSoftmax);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        MethodScan.Register(
            context,
            // A softmax divides by the sum (or, as log-softmax, takes its log).
            static (index, block) => index.HasExp(block.Span) && (index.HasDivide(block.Span) || index.HasLog(block.Span)) && ExpSyntax.HasElementExp(block),
            static (symbols, blocks, report, cancellationToken) =>
            {
                foreach (SoftmaxFinding finding in SoftmaxMatcher.Find(blocks, symbols, cancellationToken))
                {
                    if (finding.Kind == SoftmaxFindingKind.Softmax)
                    {
                        report(Diagnostic.Create(Descriptors.UnshiftedSoftmax, finding.Location, finding.MessageArguments()));
                    }
                }
            });
    }
}
