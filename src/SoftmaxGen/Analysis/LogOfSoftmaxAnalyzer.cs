using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SoftmaxGen.Analysis.Patterns;
using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.Analysis;

/// <summary>
/// SMX1004: <c>Math.Log</c> (or <c>MathF.Log</c>, <c>float.Log</c>, …) of probabilities the same method got from a
/// softmax, as in a cross-entropy loss. log(softmax) underflows to −∞ where log-softmax stays finite.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LogOfSoftmaxAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.LogOfSoftmax);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        MethodScan.Register(
            context,
            // Both a logarithm and something that can produce probabilities: exp, a call whose name says softmax,
            // or (by name) a generated [Softmax] kernel of this compilation.
            static compilation =>
            {
                var kernels = new System.Lazy<ImmutableHashSet<string>>(() => MethodScan.GeneratedSoftmaxNames(compilation));
                return (index, block) =>
                    index.HasLog(block.Span) &&
                    ((index.HasExp(block.Span) && ExpSyntax.HasElementExp(block)) || index.HasSoftmaxAnyCase(block.Span) ||
                     (kernels.Value.Count > 0 && block.DescendantTokens().Any(t => kernels.Value.Contains(t.ValueText))));
            },
            static (symbols, blocks, report, cancellationToken) =>
            {
                foreach (LogOfSoftmaxFinding finding in SoftmaxMatcher.FindLogsOfSoftmax(blocks, symbols, cancellationToken))
                {
                    report(Diagnostic.Create(Descriptors.LogOfSoftmax, finding.Log.Syntax.GetLocation(), finding.MessageArguments()));
                }
            });
    }
}
