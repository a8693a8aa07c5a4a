namespace SoftmaxGen.Generation.Model;

/// <summary>
/// Everything the emitter needs to write one kernel, as plain values (no symbols, syntax or locations),
/// so that the incremental pipeline can compare two runs and skip unchanged kernels.
/// </summary>
internal sealed record KernelSpec(
    string? Namespace,
    EquatableArray<TypeDeclaration> ContainingTypes,
    string MethodName,
    string Modifiers,
    KernelOp Op,
    KernelForm Form,
    ElementType Element,
    int K,
    double? Temperature,
    bool ZeroFullyMaskedRows,
    EquatableArray<KernelParameter> Parameters,
    bool HasRuntimeTemperature,
    string HintName)
{
    /// <summary>True when K is omitted: each call is one row whose length is the span's length.</summary>
    public bool AnyLength => K == 0;
}

/// <summary>One containing type, outermost first: <c>{Modifiers}partial {Keyword} {Name}{TypeParameters}</c> (Modifiers is "ref " or empty).</summary>
internal sealed record TypeDeclaration(string Modifiers, string Keyword, string Name, string TypeParameters);

/// <summary>One parameter of the user's declaration, re-emitted verbatim on the implementation part.</summary>
internal sealed record KernelParameter(string Name, string Type, string Modifiers);

/// <summary>Compilation-wide facts that change what the emitter may write.</summary>
internal readonly record struct TargetFacts(bool SupportsFileTypes, bool SupportsNullable);
