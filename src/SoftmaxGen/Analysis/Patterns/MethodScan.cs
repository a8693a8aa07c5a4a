using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// Shared wiring of the SMX1xxx analyzers. Symbols are resolved once per compilation, when first needed (nothing is
/// registered without a core library, and nothing is analysed when no exp API exists). One callback per file; each
/// member body (method, constructor, operator, accessor, expression-bodied property) in it is first screened by the
/// names it contains (<see cref="NameIndex"/>, a text search done once per tree), which costs
/// no binding; only bodies naming the relevant APIs get an operation tree, on which the matchers run. Building operation trees for every method body is what an operation-action analyzer costs
/// most, so the screen is what keeps these analyzers cheap (see docs/analyzers.md for the measurement).
/// </summary>
internal static class MethodScan
{
    /// <summary>Call after EnableConcurrentExecution and ConfigureGeneratedCodeAnalysis(None).</summary>
    /// <param name="screen">Whether a code block names the APIs the rule needs, from the tree's <see cref="NameIndex"/>.</param>
    public static void Register(
        AnalysisContext context,
        Func<NameIndex, SyntaxNode, bool> screen,
        Action<MathSymbols, IOperation, Action<Diagnostic>, CancellationToken> analyze) =>
        Register(context, _ => screen, analyze);

    /// <param name="screener">Makes the screen for one compilation.</param>
    public static void Register(
        AnalysisContext context,
        Func<Compilation, Func<NameIndex, SyntaxNode, bool>> screener,
        Action<MathSymbols, IOperation, Action<Diagnostic>, CancellationToken> analyze)
    {
        context.RegisterCompilationStartAction(start =>
        {
            // Without a core library there is no exp API at all: register nothing.
            if (start.Compilation.GetSpecialType(SpecialType.System_Object).TypeKind == TypeKind.Error)
            {
                return;
            }

            // Resolved once per compilation, on first need: looking types up before the compiler has bound anything
            // costs a lot (it loads namespaces and members), and most compilations never name an exp API at all.
            var lazySymbols = new Lazy<MathSymbols?>(() => MathSymbols.Create(start.Compilation), LazyThreadSafetyMode.ExecutionAndPublication);
            Func<NameIndex, SyntaxNode, bool> screen = screener(start.Compilation);

            // One callback per file (not per member): most files name no exp, log or softmax API at all and cost
            // one index lookup; in the others, members are screened one by one.
            start.RegisterSemanticModelAction(model =>
            {
                SyntaxTree tree = model.SemanticModel.SyntaxTree;
                NameIndex index = NameIndex.For(tree);
                if (!index.HasAny)
                {
                    return;
                }

                SyntaxNode root = tree.GetRoot(model.CancellationToken);
                foreach (SyntaxNode body in MemberBodies.All(root))
                {
                    if (!screen(index, body) || lazySymbols.Value is not { } symbols ||
                        model.SemanticModel.GetOperation(body, model.CancellationToken) is not { } operation)
                    {
                        continue;
                    }

                    analyze(symbols, operation, model.ReportDiagnostic, model.CancellationToken);
                }
            });
        });
    }

    /// <summary>Names of exponentials: Math.Exp, MathF.Exp, float.Exp, double.Exp, Math.Pow, TensorPrimitives.Exp.</summary>
    public static bool IsExpName(string name) => name is "Exp" or "Pow";
}
