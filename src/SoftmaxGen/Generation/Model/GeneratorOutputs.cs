namespace SoftmaxGen.Generation.Model;

/// <summary>
/// One thing the generator writes or reports for one attributed declaration, as a value: a kernel file, a placeholder
/// body, or a diagnostic. The outputs of one file travel together (<see cref="FileOutputs"/>) and are split by kind just
/// before their source outputs, so each output caches on its own.
/// </summary>
internal abstract record GeneratorOutput;

/// <summary>A valid kernel and the target facts its code depends on.</summary>
internal sealed record KernelOutput(KernelSpec Spec, TargetFacts Facts) : GeneratorOutput;

/// <summary>The placeholder body of an invalid declaration; <paramref name="SupportsNullable"/> is C# 8 or later.</summary>
internal sealed record PlaceholderOutput(Placeholder Placeholder, bool SupportsNullable) : GeneratorOutput;

/// <summary>A diagnostic only the generator can make visible (see <see cref="InvalidDeclarations"/>).</summary>
internal sealed record DiagnosticOutput(DiagnosticInfo Info) : GeneratorOutput;

/// <summary>
/// Everything one source file's attributed declarations produce: its kernels first, then placeholders, then
/// diagnostics, so a diagnostic that comes or goes while the user types shifts no kernel to another position.
/// </summary>
internal sealed record FileOutputs(EquatableArray<GeneratorOutput> Outputs);

/// <summary>The shared file's input: the target facts, present only when the compilation has a valid kernel.</summary>
internal sealed record SharedOutput(TargetFacts Facts);
