using Microsoft.CodeAnalysis;
using SoftmaxGen.Generation.Emit;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation;

/// <summary>
/// Writes the bodies of <c>static partial</c> methods marked with a SoftmaxGen attribute.
/// Pipeline: attribute → <see cref="KernelSpec"/> (value-equatable) + <see cref="TargetFacts"/> → one file per kernel.
/// Misuse is reported by <c>SoftmaxAttributeUsageAnalyzer</c>; the generator just emits nothing for invalid methods.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class SoftmaxGenerator : IIncrementalGenerator
{
    /// <summary>Names of the tracked pipeline steps, for incremental-caching tests.</summary>
    public static class TrackingNames
    {
        public const string Spec = nameof(Spec);
        public const string Facts = nameof(Facts);
        public const string Output = nameof(Output);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        context.RegisterPostInitializationOutput(AddAttributes);

        IncrementalValueProvider<TargetFacts> facts = context.CompilationProvider
            .Combine(context.ParseOptionsProvider)
            .Select(static (pair, _) => ReadFacts(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Facts);

        foreach (OperationInfo operation in KernelOperations.All)
        {
            IncrementalValuesProvider<KernelSpec> specs = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    operation.MetadataName,
                    static (node, _) => IsCandidate(node),
                    (ctx, ct) => ParseKernel(ctx, operation, ct))
                .WithTrackingName(TrackingNames.Spec)
                .Where(static spec => spec is not null)
                .Select(static (spec, _) => spec!);

            context.RegisterSourceOutput(specs.Combine(facts).WithTrackingName(TrackingNames.Output), Emit);
        }

        RegisterInvalidDeclarations(context, facts);
    }
}
