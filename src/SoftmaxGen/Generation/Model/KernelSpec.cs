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
    string HintName,
    KernelSignature? Signature = null,
    double LabelSmoothing = 0,
    int? IgnoreIndex = null,
    double? Base = null,
    int? TopK = null,
    double? TopP = null,
    bool Hard = false,
    HierarchySpec? Hierarchy = null)
{
    /// <summary>The φ of p_i = φ(z_i) / Σ_j φ(z_j) when the attribute names one (then the Jacobian and backward kernels take logits).</summary>
    public NormalizerSpec? Normalizer { get; init; }

    /// <summary>
    /// The rows read −x: softmin (p ∝ exp(−x/T)), or a base b &lt; 1 (b^x = exp(−x·|ln b|)); both together cancel. Negation is
    /// exact, so the rows subtract the maximum of −x (the row minimum) and reuse the softmax math unchanged.
    /// </summary>
    public bool Negated => (Op == KernelOp.Softmin) ^ (Base is < 1);

    /// <summary>A <c>ReadOnlySpan&lt;bool&gt;</c> follows the logits: entries whose mask is false are read as −∞.</summary>
    public bool HasMask => Signature is { } signature && signature.Slots.Contains(SlotKind.Mask);

    /// <summary>The rows divide the shifted logits by a temperature: a compile-time or runtime T, or the 1/|ln b| of a base.</summary>
    public bool HasTemperature => Temperature is not null || HasRuntimeTemperature || Base is not null;

    /// <summary>The slot kind of parameter <paramref name="index"/> (the matched signature's; a runtime temperature has none).</summary>
    public SlotKind SlotAt(int index) => Signature!.Slots[index];

    /// <summary>True when K is omitted: each call is one row whose length is the span's length.</summary>
    public bool AnyLength => K == 0;
}

/// <summary>One containing type, outermost first: <c>{Modifiers}partial {Keyword} {Name}{TypeParameters}</c> (Modifiers is "ref " or empty).</summary>
internal sealed record TypeDeclaration(string Modifiers, string Keyword, string Name, string TypeParameters);

/// <summary>One parameter of the user's declaration, re-emitted verbatim on the implementation part.</summary>
internal sealed record KernelParameter(string Name, string Type, string Modifiers);

/// <summary>
/// Compilation-wide facts that change what the emitter may write: language features, and the vector APIs the
/// consumer's target framework offers (read only when the compilation has a kernel). Plain bools, so two runs compare by value and a
/// compilation edit that changes none of them leaves every kernel cached.
/// </summary>
/// <param name="SupportsFileTypes">C# 11 <c>file</c> types.</param>
/// <param name="SupportsNullable">C# 8 nullable annotations.</param>
/// <param name="HasVector128">System.Runtime.Intrinsics.Vector128 (with IsHardwareAccelerated).</param>
/// <param name="HasVector256">System.Runtime.Intrinsics.Vector256 (with IsHardwareAccelerated).</param>
/// <param name="HasVector512">System.Runtime.Intrinsics.Vector512 (.NET 8+).</param>
/// <param name="HasVectorMath">The .NET 9 vector API the SIMD rows use: FusedMultiplyAdd, MaxNative, Widen/Narrow on all three widths.</param>
/// <param name="HasAvx512F">System.Runtime.Intrinsics.X86.Avx512F (its IsSupported check).</param>
internal readonly record struct TargetFacts(
    bool SupportsFileTypes,
    bool SupportsNullable,
    bool HasVector128 = false,
    bool HasVector256 = false,
    bool HasVector512 = false,
    bool HasVectorMath = false,
    bool HasAvx512F = false)
{
    /// <summary>True when the SIMD rows can be emitted: every vector width and the .NET 9 vector math exist.</summary>
    public bool CanEmitSimd => HasVector128 && HasVector256 && HasVector512 && HasVectorMath;
}
