using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SoftmaxGen.Analysis.Patterns;
using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.Analysis;

/// <summary>
/// SMX1003: <c>TensorPrimitives.SoftMax(x, y)</c> computes exp(x_i) / Σ exp(x_j) without subtracting the maximum,
/// so it returns NaN for inputs above exp's overflow point. Reported on the call unless the input is written in the method.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnstableLibrarySoftmaxAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UnstableLibrarySoftmax);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        MethodScan.Register(
            context,
            static (index, block) => index.HasSoftMax(block.Span),
            static (symbols, body, report, _) =>
            {
                foreach (LibrarySoftmaxFinding finding in LibrarySoftmaxMatcher.Find([body], symbols))
                {
                    report(Diagnostic.Create(Descriptors.UnstableLibrarySoftmax, finding.Call.Syntax.GetLocation(), finding.MessageArguments()));
                }
            });
    }
}
