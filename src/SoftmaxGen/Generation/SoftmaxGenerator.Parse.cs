using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SoftmaxGen.Generation.Emit;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation;

public sealed partial class SoftmaxGenerator
{
    private static void AddAttributes(IncrementalGeneratorPostInitializationContext context)
    {
        context.AddEmbeddedAttributeDefinition();
        context.AddSource(AttributeSource.HintName, AttributeSource.Build());
    }

    /// <summary>Cheap syntax test: only method declarations can become kernels.</summary>
    private static bool IsCandidate(SyntaxNode node) => node is MethodDeclarationSyntax;

    private static KernelSpec? ParseKernel(GeneratorAttributeSyntaxContext context, OperationInfo operation, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method || context.Attributes.Length == 0)
        {
            return null;
        }

        return KernelParser.Parse(method, context.Attributes[0], operation, report: null, cancellationToken);
    }

    private static TargetFacts ReadFacts(Compilation compilation, ParseOptions options)
    {
        LanguageVersion version = options is CSharpParseOptions csharp ? csharp.LanguageVersion : LanguageVersion.Default;
        return new TargetFacts(
            SupportsFileTypes: version >= LanguageVersion.CSharp11,
            SupportsNullable: version >= LanguageVersion.CSharp8);
    }

    private static void Emit(SourceProductionContext context, (KernelSpec Spec, TargetFacts Facts) input)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        context.AddSource(input.Spec.HintName, KernelEmitter.Emit(input.Spec, input.Facts));
    }
}
