using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using SoftmaxGen.Generation.Emit;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation;

/// <summary>
/// Writes the bodies of <c>static partial</c> methods marked with a SoftmaxGen attribute.
/// Pipeline: attribute → <see cref="KernelSpec"/> (value-equatable) + <see cref="TargetFacts"/> → one file per kernel,
/// plus one shared file (throw helpers, vector math) per compilation that has a kernel.
/// Misuse is reported by <c>SoftmaxAttributeUsageAnalyzer</c>; the generator just emits nothing for invalid methods.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class SoftmaxGenerator : IIncrementalGenerator
{
    /// <summary>Names of the tracked pipeline steps, for incremental-caching tests.</summary>
    public static class TrackingNames
    {
        public const string Spec = nameof(Spec);
        public const string HasKernels = nameof(HasKernels);
        public const string Facts = nameof(Facts);
        public const string Output = nameof(Output);
        public const string Shared = nameof(Shared);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        context.RegisterPostInitializationOutput(AddAttributes);

        // One spec provider per attribute; whether any kernel exists gates everything that reads the compilation.
        var specsPerOperation = new List<IncrementalValuesProvider<KernelSpec>>();
        foreach (OperationInfo operation in KernelOperations.All)
        {
            specsPerOperation.Add(context.SyntaxProvider
                .ForAttributeWithMetadataName(operation.MetadataName, static (node, _) => IsCandidate(node), (ctx, ct) => ParseKernel(ctx, operation, ct))
                .WithTrackingName(TrackingNames.Spec)
                .Where(static spec => spec is not null)
                .Select(static (spec, _) => spec!));
        }

        IncrementalValueProvider<bool> hasKernels = AnyKernel(specsPerOperation).WithTrackingName(TrackingNames.HasKernels);

        // The facts need type look-ups through every reference: done only when the compilation has a kernel.
        IncrementalValueProvider<TargetFacts> facts = hasKernels
            .Combine(context.CompilationProvider)
            .Select(static (pair, _) => pair.Left ? ReadFacts(pair.Right) : default)
            .WithTrackingName(TrackingNames.Facts);

        foreach (IncrementalValuesProvider<KernelSpec> specs in specsPerOperation)
        {
            context.RegisterSourceOutput(specs.Combine(facts).WithTrackingName(TrackingNames.Output), Emit);
        }

        context.RegisterSourceOutput(hasKernels.Combine(facts).WithTrackingName(TrackingNames.Shared), EmitShared);
        RegisterInvalidDeclarations(context);
    }

    /// <summary>True when any of the providers holds a kernel; a bool, so adding a second kernel changes nothing downstream.</summary>
    private static IncrementalValueProvider<bool> AnyKernel(List<IncrementalValuesProvider<KernelSpec>> specsPerOperation)
    {
        IncrementalValueProvider<bool> any = specsPerOperation[0].Collect().Select(static (specs, _) => !specs.IsEmpty);
        for (int i = 1; i < specsPerOperation.Count; i++)
        {
            any = any.Combine(specsPerOperation[i].Collect())
                .Select(static (pair, _) => pair.Left || !pair.Right.IsEmpty);
        }

        return any;
    }
}
