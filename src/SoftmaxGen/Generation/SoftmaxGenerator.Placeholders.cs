using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SoftmaxGen.Generation.Emit;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation;

public sealed partial class SoftmaxGenerator
{
    /// <summary>Tracking names of the invalid-declaration steps, for incremental-caching tests.</summary>
    public static class InvalidTrackingNames
    {
        public const string Invalid = nameof(Invalid);
        public const string Placeholder = nameof(Placeholder);
        public const string Diagnostics = nameof(Diagnostics);
    }

    /// <summary>
    /// Declarations that fail validation: a placeholder body where one compiles, and the diagnostics only the generator
    /// can make visible, as two outputs so that a moved diagnostic never re-emits a file (see <see cref="InvalidDeclarations"/>).
    /// </summary>
    private static void RegisterInvalidDeclarations(IncrementalGeneratorInitializationContext context)
    {
        // Placeholders need only the language version (for '#nullable enable'), not the compilation-wide target facts,
        // which are read only when a valid kernel exists.
        IncrementalValueProvider<bool> supportsNullable = context.ParseOptionsProvider
            .Select(static (options, _) => options is CSharpParseOptions csharp && csharp.LanguageVersion >= LanguageVersion.CSharp8);

        foreach (OperationInfo operation in KernelOperations.All)
        {
            IncrementalValuesProvider<InvalidDeclaration> invalid = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    operation.MetadataName,
                    static (node, _) => IsCandidate(node),
                    (ctx, ct) => ParseInvalid(ctx, operation, ct))
                .WithTrackingName(InvalidTrackingNames.Invalid)
                .Where(static d => d is not null)
                .Select(static (d, _) => d!);

            IncrementalValuesProvider<Placeholder> placeholders = invalid
                .Where(static d => d.Placeholder is not null)
                .Select(static (d, _) => d.Placeholder!);
            context.RegisterSourceOutput(placeholders.Combine(supportsNullable).WithTrackingName(InvalidTrackingNames.Placeholder), EmitPlaceholder);

            IncrementalValuesProvider<DiagnosticInfo> diagnostics = invalid
                .SelectMany(static (d, _) => d.Diagnostics)
                .WithTrackingName(InvalidTrackingNames.Diagnostics);
            context.RegisterSourceOutput(diagnostics, static (spc, info) => spc.ReportDiagnostic(info.Diagnostic));
        }
    }

    private static InvalidDeclaration? ParseInvalid(GeneratorAttributeSyntaxContext context, OperationInfo operation, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method || context.TargetNode is not MethodDeclarationSyntax syntax ||
            context.Attributes.Length == 0 || !IsFirstKernelAttribute(method, operation))
        {
            return null;
        }

        var problems = new List<Diagnostic>();
        return KernelParser.Parse(method, context.Attributes[0], operation, problems.Add, cancellationToken) is null
            ? InvalidDeclarations.Describe(method, syntax, problems, cancellationToken)
            : null;
    }

    /// <summary>With two kernel attributes on one method (SMX0014) only the first one's pipeline writes a placeholder.</summary>
    private static bool IsFirstKernelAttribute(IMethodSymbol method, OperationInfo operation)
    {
        AttributeData? first = null;
        foreach (AttributeData a in method.GetAttributes())
        {
            if (a.AttributeClass is { } c && KernelOperations.FromMetadataName(KernelParser.MetadataName(c)) is not null &&
                a.ApplicationSyntaxReference is { } reference &&
                (first?.ApplicationSyntaxReference is not { } best || reference.Span.Start < best.Span.Start))
            {
                first = a;
            }
        }

        // None among the method's own attributes: this one is on its return value ([return: Softmax], SMX0009).
        return first?.AttributeClass is not { } type || KernelParser.MetadataName(type) == operation.MetadataName;
    }

    private static void EmitPlaceholder(SourceProductionContext context, (Placeholder Placeholder, bool SupportsNullable) input)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        context.AddSource(input.Placeholder.HintName, PlaceholderEmitter.Emit(input.Placeholder, input.SupportsNullable));
    }
}
