using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation;

public sealed partial class SoftmaxGenerator
{
    /// <summary>Tracking names of the CountsFile steps of <c>[HierarchicalSoftmax]</c>, for incremental-caching tests.</summary>
    public static class CountsFileTrackingNames
    {
        /// <summary>One value per AdditionalFiles item some kernel names: its parsed counts.</summary>
        public const string Files = nameof(Files);

        /// <summary>The kernels whose counts come from a file, with those counts filled in.</summary>
        public const string Output = "CountsFileOutput";
    }

    /// <summary>A <c>[HierarchicalSoftmax]</c> kernel whose counts are in an AdditionalFiles item.</summary>
    private static bool ReadsCountsFile(KernelOutput kernel) => kernel.Spec.Hierarchy is { CountsFile: not null };

    /// <summary>
    /// Kernels with <c>CountsFile</c>: the names they use; the AdditionalFiles items with those names, each read and parsed on
    /// its own (so an edit to one item re-reads that item only, and an edit elsewhere reads none); then each kernel with its
    /// counts. Every value compares by content, so a counts edit that leaves the counts equal re-emits nothing. Compilations
    /// without such kernels only pass their AdditionalFiles items through an empty name filter.
    /// </summary>
    private static void RegisterCountsFileKernels(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<GeneratorOutput> outputs)
    {
        IncrementalValuesProvider<KernelOutput> fileKernels = outputs
            .Where(static o => o is KernelOutput k && ReadsCountsFile(k))
            .Select(static (o, _) => (KernelOutput)o);

        IncrementalValueProvider<CountsFileNames> names = fileKernels
            .Select(static (k, _) => k.Spec.Hierarchy!.CountsFile!)
            .Collect()
            .Select(static (all, _) => new CountsFileNames(new EquatableArray<string>([.. all.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal)])));

        IncrementalValueProvider<EquatableArray<CountsFileContents>> files = context.AdditionalTextsProvider
            .Combine(names)
            .Where(static pair => pair.Right.Names.Any(n => CountsFiles.Matches(pair.Left.Path, n)))
            .Select(static (pair, cancellationToken) => CountsFiles.Read(pair.Left.Path, pair.Left.GetText(cancellationToken)))
            .WithTrackingName(CountsFileTrackingNames.Files)
            .Collect()
            .Select(static (all, _) => new EquatableArray<CountsFileContents>([.. all]));

        IncrementalValuesProvider<GeneratorOutput> resolved = fileKernels
            .Combine(files)
            .Select(static (pair, _) => (GeneratorOutput)new KernelOutput(
                pair.Left.Spec with { Hierarchy = CountsFiles.Resolve(pair.Left.Spec.Hierarchy!, pair.Right) }, pair.Left.Facts))
            .WithTrackingName(CountsFileTrackingNames.Output);
        context.RegisterSourceOutput(resolved, EmitCountsFileKernel);
    }

    /// <summary>
    /// A kernel, or with a missing or invalid file a body that throws, named like a placeholder (so the usage analyzer, which reports
    /// the file's problem, does not take it for the user's own implementation).
    /// </summary>
    private static void EmitCountsFileKernel(SourceProductionContext context, GeneratorOutput output)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var kernel = (KernelOutput)output;
        if (CountsFiles.Diagnostic(kernel.Spec.Hierarchy!) is { } diagnostic)
        {
            // A declaration the compiler rejects itself (CS8796 …): the analyzer prints nothing there, so the generator reports,
            // and writes no body (it would repeat the compiler's error inside a generated file).
            context.ReportDiagnostic(diagnostic);
            return;
        }

        string hint = kernel.Spec.HintName;
        if (kernel.Spec.Hierarchy!.Problem is not null)
        {
            hint = hint.Substring(0, hint.Length - ".g.cs".Length) + Emit.PlaceholderEmitter.HintSuffix;
        }

        context.AddSource(hint, Emit.KernelEmitter.Emit(kernel.Spec, kernel.Facts));
    }

    /// <summary>The distinct CountsFile names of a compilation's kernels, in ordinal order.</summary>
    private sealed record CountsFileNames(EquatableArray<string> Names);
}
