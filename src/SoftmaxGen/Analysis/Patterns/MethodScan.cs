using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// Shared wiring of the SMX1xxx analyzers: symbols resolved once per compilation, and the (costlier) method-wide
/// matchers run only on method bodies that call an exp, log or TensorPrimitives API.
/// </summary>
internal static class MethodScan
{
    /// <summary>Call after EnableConcurrentExecution and ConfigureGeneratedCodeAnalysis(None).</summary>
    public static void Register(
        AnalysisContext context,
        Func<MathSymbols, IMethodSymbol, bool> isTrigger,
        Action<MathSymbols, ImmutableArray<IOperation>, Action<Diagnostic>, CancellationToken> analyze)
    {
        context.RegisterCompilationStartAction(start =>
        {
            if (MathSymbols.Create(start.Compilation) is not { } symbols)
            {
                return;
            }

            start.RegisterOperationBlockStartAction(block =>
            {
                var trigger = new Trigger();
                block.RegisterOperationAction(
                    operation =>
                    {
                        IMethodSymbol? method = operation.Operation switch
                        {
                            IInvocationOperation invocation => invocation.TargetMethod,
                            IMethodReferenceOperation reference => reference.Method,
                            _ => null,
                        };
                        if (method is not null && isTrigger(symbols, method))
                        {
                            trigger.Seen = true;
                        }
                    },
                    OperationKind.Invocation,
                    OperationKind.MethodReference);
                block.RegisterOperationBlockEndAction(end =>
                {
                    if (trigger.Seen)
                    {
                        analyze(symbols, end.OperationBlocks, end.ReportDiagnostic, end.CancellationToken);
                    }
                });
            });
        });
    }

    private sealed class Trigger
    {
        public volatile bool Seen;
    }
}
