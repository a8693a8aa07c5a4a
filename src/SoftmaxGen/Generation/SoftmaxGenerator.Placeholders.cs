using Microsoft.CodeAnalysis;
using SoftmaxGen.Generation.Emit;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation;

public sealed partial class SoftmaxGenerator
{
    /// <summary>Tracking names of the invalid-declaration steps, for incremental-caching tests.</summary>
    public static class InvalidTrackingNames
    {
        public const string Placeholder = nameof(Placeholder);
        public const string Diagnostics = nameof(Diagnostics);
    }

    /// <summary>
    /// Declarations that fail validation: a placeholder body where one compiles, and the diagnostics only the generator
    /// can make visible, as two outputs so that a moved diagnostic never re-emits a file (see <see cref="InvalidDeclarations"/>).
    /// </summary>
    private static void RegisterInvalidDeclarations(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<GeneratorOutput> outputs)
    {
        context.RegisterSourceOutput(outputs.Where(static o => o is PlaceholderOutput).WithTrackingName(InvalidTrackingNames.Placeholder), EmitPlaceholder);
        context.RegisterSourceOutput(
            outputs.Where(static o => o is DiagnosticOutput).WithTrackingName(InvalidTrackingNames.Diagnostics),
            static (spc, output) => spc.ReportDiagnostic(((DiagnosticOutput)output).Info.Diagnostic));
    }

    private static void EmitPlaceholder(SourceProductionContext context, GeneratorOutput output)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var input = (PlaceholderOutput)output;
        context.AddSource(input.Placeholder.HintName, PlaceholderEmitter.Emit(input.Placeholder, input.SupportsNullable));
    }
}
