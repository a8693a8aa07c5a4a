using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SoftmaxGen.Analysis.Patterns;
using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.Analysis;

/// <summary>
/// SMX1001 (softmax or log-softmax without subtracting the maximum), SMX1002 (log-sum-exp without it) and SMX1004
/// (log of softmax probabilities), from one walk of each member body that names an exp, a log or a softmax.
/// SMX1001/SMX1002 are reported once per collection, on its first exponential; SMX1004 on the log.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SoftmaxStabilityAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.UnshiftedSoftmax, Descriptors.UnshiftedLogSumExp, Descriptors.LogOfSoftmax);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        MethodScan.Register(
            context,
            // An exp of an element (the normalisation may be a division, a log, a helper call or a sampling loop), or a
            // name like an exp helper's (SafeExp(x[i]), Exps(x), exps); logs of
            // probabilities need a log and something that names a softmax.
            static compilation =>
            {
                var kernels = new System.Lazy<ImmutableHashSet<string>>(() => GeneratedKernels.SoftmaxNames(compilation));
                return (index, body) =>
                    (index.HasExp(body.Span) && ExpSyntax.HasElementExp(body)) ||
                    index.HasExpLike(body.Span) ||
                    ExpSyntax.CallsExpHelper(index, body) ||
                    (index.HasLog(body.Span) &&
                     (index.HasSoftmaxAnyCase(body.Span) ||
                      (kernels.Value.Count > 0 && GeneratedKernels.NamesAny(body, kernels.Value))));
            },
            static (symbols, body, report, cancellationToken) =>
            {
                SoftmaxAnalysis analysis = SoftmaxAnalysis.Run(body, symbols, cancellationToken);
                foreach (SoftmaxFinding finding in analysis.Unstable)
                {
                    DiagnosticDescriptor descriptor = finding.Kind == SoftmaxFindingKind.Softmax ? Descriptors.UnshiftedSoftmax : Descriptors.UnshiftedLogSumExp;
                    report(Diagnostic.Create(descriptor, finding.Location, finding.MessageArguments()));
                }

                foreach (LogOfSoftmaxFinding finding in analysis.LogsOfSoftmax())
                {
                    report(Diagnostic.Create(Descriptors.LogOfSoftmax, finding.Log.Syntax.GetLocation(), finding.MessageArguments()));
                }
            });
    }
}
