using System.Collections.Immutable;

namespace SoftmaxGen.Generation.Model;

/// <summary>What one parameter of a kernel signature is (T is the kernel's element type, float or double).</summary>
internal enum SlotKind
{
    /// <summary><c>ReadOnlySpan&lt;T&gt;</c>: logits, probabilities, gradients or target probabilities read by the kernel.</summary>
    Values,

    /// <summary><c>Span&lt;T&gt;</c> the kernel writes.</summary>
    Output,

    /// <summary><c>Span&lt;T&gt;</c> read and overwritten in place.</summary>
    InPlace,

    /// <summary><c>int</c>: one class index (one row's target).</summary>
    Index,

    /// <summary><c>ReadOnlySpan&lt;int&gt;</c>: one class index per row.</summary>
    Indices,

    /// <summary><c>Span&lt;int&gt;</c> the kernel writes: one class index per row.</summary>
    IndexOutput,

    /// <summary><c>ReadOnlySpan&lt;bool&gt;</c> as long as the logits: false excludes the entry (as if it were −∞).</summary>
    Mask,
    /// <summary><c>double</c>: one uniform variate u in [0, 1) (a one-row sample).</summary>
    Uniform,

    /// <summary><c>System.Random</c>: the source of a one-row sample's uniform variate.</summary>
    Random,

    /// <summary><c>ReadOnlySpan&lt;double&gt;</c>: one uniform variate per row.</summary>
    Uniforms,
}

/// <summary>What a kernel method returns.</summary>
internal enum ResultKind
{
    Void,

    /// <summary>One value of the element type (a one-row kernel's loss, entropy or log-sum-exp).</summary>
    Element,

    /// <summary>One class index, <c>int</c> (a one-row arg-max).</summary>
    Index,
}

/// <summary>
/// One accepted parameter list of an operation: its slots in order, what the method returns, and the form the emitter
/// keys on. An optional trailing <c>T temperature</c> may follow the slots of every signature. Signatures are the descriptors' own
/// instances, so two specs holding the same one compare equal (a record compares the same instance as equal first).
/// </summary>
internal sealed record KernelSignature(KernelForm Form, ResultKind Result, ImmutableArray<SlotKind> Slots)
{
    public static KernelSignature Of(KernelForm form, ResultKind result, params SlotKind[] slots) => new(form, result, ImmutableArray.Create(slots));
}
