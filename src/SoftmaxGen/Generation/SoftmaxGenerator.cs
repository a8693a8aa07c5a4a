using Microsoft.CodeAnalysis;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation;

/// <summary>
/// Writes the bodies of <c>static partial</c> methods marked with a SoftmaxGen attribute.
/// Pipeline: compilation → the attributed declarations of each file, found by one syntax walk for every attribute
/// (<see cref="CandidateScanner"/>) and parsed once each into a <see cref="KernelSpec"/> or an invalid declaration →
/// one file per kernel, a placeholder per invalid declaration, and one shared file (throw helpers, vector math) per
/// compilation that has a kernel. The <see cref="TargetFacts"/> are read only when a kernel exists.
/// Misuse is reported by <c>SoftmaxAttributeUsageAnalyzer</c>; the generator reports only what that analyzer cannot
/// make visible (see <see cref="InvalidDeclarations"/>).
/// </summary>
/// <remarks>
/// Every value that flows through the pipeline is a reference type, and the pipeline has no <c>Combine</c>: each
/// generic pipeline node over a value type (a bool, a tuple) is compiled by the JIT on first use, which in a command-line
/// build costs every compilation several milliseconds per node, whether or not it has a kernel.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class SoftmaxGenerator : IIncrementalGenerator
{
    /// <summary>Names of the tracked pipeline steps, for incremental-caching tests.</summary>
    public static class TrackingNames
    {
        /// <summary>One value per source file with attributed declarations: everything they produce.</summary>
        public const string Declarations = nameof(Declarations);

        /// <summary>The target facts and the shared file they drive; null when the compilation has no kernel.</summary>
        public const string Facts = nameof(Facts);

        /// <summary>The kernels, one value each.</summary>
        public const string Output = nameof(Output);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        context.RegisterPostInitializationOutput(AddAttributes);

        // The compilation changes on every edit, but a file's outputs compare by value, so an edit leaves every other
        // file's outputs cached, and an edit that changes none of a file's declarations leaves its outputs unchanged.
        IncrementalValuesProvider<GeneratorOutput> outputs = context.CompilationProvider
            .SelectMany(static (compilation, cancellationToken) => DeclarationsOf(compilation, cancellationToken).Files)
            .WithTrackingName(TrackingNames.Declarations)
            .SelectMany(static (file, _) => file.Outputs);

        context.RegisterSourceOutput(outputs.Where(static o => o is KernelOutput k && !ReadsCountsFile(k)).WithTrackingName(TrackingNames.Output), EmitKernel);
        RegisterCountsFileKernels(context, outputs);
        RegisterInvalidDeclarations(context, outputs);

        IncrementalValueProvider<SharedOutput?> shared = context.CompilationProvider
            .Select(static (compilation, cancellationToken) => DeclarationsOf(compilation, cancellationToken).Shared)
            .WithTrackingName(TrackingNames.Facts);
        context.RegisterSourceOutput(shared, EmitShared);
    }
}
