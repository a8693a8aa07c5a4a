using System;
using System.Collections.Immutable;

namespace SoftmaxGen.Generation.Model;

/// <summary>The phases an operation's row computation goes through; the emitter's shared parts key on these, not on the op.</summary>
[Flags]
internal enum KernelPhases
{
    None = 0,

    /// <summary>Row maximum m, then exp(x − m) and their sum s ≥ 1: the stable forward reduction (vector rows exist for it).</summary>
    ForwardReduction = 1,

    /// <summary>Divides by s: probabilities.</summary>
    Normalisation = 2,

    /// <summary>Takes log s: log-probabilities or log-sum-exp.</summary>
    Logarithm = 4,

    /// <summary>A dot product or sum over the row's gradient (backward passes).</summary>
    BackwardDot = 8,

    /// <summary>Writes K·K values per row.</summary>
    Jacobian = 16,
}

/// <summary>
/// Everything about one operation in one place: its attribute, K range, signatures (what the parser accepts and what
/// the diagnostics say), the formula the remarks show, and which phases it has. The op-specific math lives in one
/// emitter file per op (Emit/Ops/).
/// </summary>
/// <param name="Op">The enum member.</param>
/// <param name="AttributeName">The attribute's name without "Attribute".</param>
/// <param name="MaxK">The largest row length K.</param>
/// <param name="HasMaskOption">Whether the attribute has <c>ZeroFullyMaskedRows</c>.</param>
/// <param name="Forms">The accepted signatures, as the diagnostics and the attribute docs state them.</param>
/// <param name="SeparateSpanCount">How many spans the separate form has (inputs, then the output).</param>
/// <param name="OneSpanForm">What a single span means (in place, or one row whose result is returned), or null.</param>
/// <param name="Phases">The phases of the row computation.</param>
/// <param name="Formula">The remarks' formula; {z} stands for z_j = x_j − m (or (x_j − m)/T).</param>
/// <param name="TemperedFormula">The formula with a temperature, when it reads differently.</param>
internal sealed record OperationInfo(
    KernelOp Op,
    string AttributeName,
    int MaxK,
    bool HasMaskOption,
    string Forms,
    int SeparateSpanCount,
    KernelForm? OneSpanForm,
    KernelPhases Phases,
    string Formula,
    string? TemperedFormula = null)
{
    public string MetadataName => "SoftmaxGen." + AttributeName + "Attribute";

    /// <summary>The forward operations have vector rows, packed and short-row batches (without a temperature).</summary>
    public bool HasForwardReduction => (Phases & KernelPhases.ForwardReduction) != 0;

    /// <summary>The form for a number of span parameters, or null when the operation has none.</summary>
    public KernelForm? FormFor(int spanCount) =>
        spanCount == SeparateSpanCount ? KernelForm.Separate : spanCount == 1 ? OneSpanForm : null;

    /// <summary>The remarks' formula for a kernel with or without a temperature.</summary>
    public string FormulaFor(bool hasTemperature) =>
        (hasTemperature && TemperedFormula is not null ? TemperedFormula : Formula).Replace("{z}", hasTemperature ? "(x_j − m)/T" : "x_j − m");
}

internal static class KernelOperations
{
    /// <summary>Largest K for every operation but the Jacobian, whose K·K entries per row must fit in a span.</summary>
    public const int MaxK = 65536;

    /// <summary>Largest K whose K·K Jacobian fits in a span (46340² &lt; 2³¹).</summary>
    public const int MaxJacobianK = 46340;

    private const string OptionalTemperature = ", T float or double, optionally ending with 'T temperature'";

    public static readonly OperationInfo Softmax = new(
        KernelOp.Softmax, "Softmax", MaxK, HasMaskOption: true,
        "(ReadOnlySpan<T> logits, Span<T> probabilities) or (Span<T> values)" + OptionalTemperature,
        SeparateSpanCount: 2, KernelForm.InPlace, KernelPhases.ForwardReduction | KernelPhases.Normalisation,
        "Softmax: p_i = exp(z_i) / Σ_j exp(z_j) with z_j = {z}, m = max_j x_j.");

    public static readonly OperationInfo LogSoftmax = new(
        KernelOp.LogSoftmax, "LogSoftmax", MaxK, HasMaskOption: true,
        "(ReadOnlySpan<T> logits, Span<T> logProbabilities) or (Span<T> values)" + OptionalTemperature,
        SeparateSpanCount: 2, KernelForm.InPlace, KernelPhases.ForwardReduction | KernelPhases.Logarithm,
        "Log-softmax: log p_i = z_i − log Σ_j exp(z_j) with z_j = {z}, m = max_j x_j.");

    public static readonly OperationInfo LogSumExp = new(
        KernelOp.LogSumExp, "LogSumExp", MaxK, HasMaskOption: false,
        "T (ReadOnlySpan<T> logits) or void (ReadOnlySpan<T> logits, Span<T> results)" + OptionalTemperature,
        SeparateSpanCount: 2, KernelForm.ScalarResult, KernelPhases.ForwardReduction | KernelPhases.Logarithm,
        "Log-sum-exp: log Σ_j exp(x_j) = m + log Σ_j exp(x_j − m), m = max_j x_j.",
        "Smooth maximum: T·log Σ_j exp(x_j/T) = m + T·log Σ_j exp((x_j − m)/T), m = max_j x_j.");

    public static readonly OperationInfo SoftmaxJacobian = new(
        KernelOp.SoftmaxJacobian, "SoftmaxJacobian", MaxJacobianK, HasMaskOption: false,
        "(ReadOnlySpan<T> probabilities, Span<T> jacobian)" + OptionalTemperature,
        SeparateSpanCount: 2, OneSpanForm: null, KernelPhases.Jacobian,
        "Softmax Jacobian: J_ij = ∂p_i/∂x_j = p_i (δ_ij − p_j), row-major K·K per row.",
        "Softmax Jacobian with respect to the untempered logits: J_ij = ∂p_i/∂x_j = p_i (δ_ij − p_j) / T, row-major K·K per row.");

    public static readonly OperationInfo SoftmaxBackward = new(
        KernelOp.SoftmaxBackward, "SoftmaxBackward", MaxK, HasMaskOption: false,
        "(ReadOnlySpan<T> probabilities, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)" + OptionalTemperature,
        SeparateSpanCount: 3, OneSpanForm: null, KernelPhases.BackwardDot,
        "Softmax backward pass: dx_i = p_i (g_i − ⟨p, g⟩).",
        "Softmax backward pass: dx_i = p_i (g_i − ⟨p, g⟩) / T, the gradient with respect to the untempered logits.");

    public static readonly OperationInfo LogSoftmaxBackward = new(
        KernelOp.LogSoftmaxBackward, "LogSoftmaxBackward", MaxK, HasMaskOption: false,
        "(ReadOnlySpan<T> logProbabilities, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)" + OptionalTemperature,
        SeparateSpanCount: 3, OneSpanForm: null, KernelPhases.BackwardDot,
        "Log-softmax backward pass: dx_i = g_i − exp(lp_i) Σ_j g_j.",
        "Log-softmax backward pass: dx_i = (g_i − exp(lp_i) Σ_j g_j) / T, the gradient with respect to the untempered logits.");

    /// <summary>Every operation, in the order of <see cref="KernelOp"/>.</summary>
    public static readonly ImmutableArray<OperationInfo> All =
        ImmutableArray.Create(Softmax, LogSoftmax, LogSumExp, SoftmaxJacobian, SoftmaxBackward, LogSoftmaxBackward);

    /// <summary>The descriptor of <paramref name="op"/>; throws for a member without one.</summary>
    public static OperationInfo For(KernelOp op) => op switch
    {
        KernelOp.Softmax => Softmax,
        KernelOp.LogSoftmax => LogSoftmax,
        KernelOp.LogSumExp => LogSumExp,
        KernelOp.SoftmaxJacobian => SoftmaxJacobian,
        KernelOp.SoftmaxBackward => SoftmaxBackward,
        KernelOp.LogSoftmaxBackward => LogSoftmaxBackward,
        _ => throw Unknown(op),
    };

    /// <summary>The exception of every exhaustive switch on the op: a member was added without its descriptor or emitter.</summary>
    public static InvalidOperationException Unknown(KernelOp op) => new("SoftmaxGen has no emitter for kernel operation " + op + ".");

    /// <summary>The operation whose attribute has this metadata name, or null.</summary>
    public static OperationInfo? FromMetadataName(string? metadataName)
    {
        foreach (OperationInfo info in All)
        {
            if (info.MetadataName == metadataName)
            {
                return info;
            }
        }

        return null;
    }
}
