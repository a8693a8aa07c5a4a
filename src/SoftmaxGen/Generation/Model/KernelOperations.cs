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

    /// <summary>Scalar rows take exp of the max-shifted logits themselves (double rows carry x − m's rounding error into exp).</summary>
    ShiftedExp = 32,

    /// <summary>Second derivatives of softmax, from the probabilities.</summary>
    SecondDerivative = 64,
}

/// <summary>An attribute property beyond K and Temperature (written into the attribute's source, read by the parser).</summary>
/// <param name="Type">The C# type keyword.</param>
/// <param name="Name">The property name.</param>
/// <param name="Doc">The property's summary (XML-escaped).</param>
internal sealed record AttributeOption(string Type, string Name, string Doc);

/// <summary>
/// Everything about one operation in one place: its attribute, K range, signatures (what the parser accepts and what
/// the diagnostics say), the formula the remarks show, and which phases it has. The op-specific math lives in one
/// emitter file per op (Emit/Ops/).
/// </summary>
/// <param name="Op">The enum member.</param>
/// <param name="AttributeName">The attribute's name without "Attribute".</param>
/// <param name="Summary">The attribute's summary: what it generates.</param>
/// <param name="MaxK">The largest row length K.</param>
/// <param name="HasMaskOption">Whether the attribute has <c>ZeroFullyMaskedRows</c>.</param>
/// <param name="Forms">The accepted signatures, as the diagnostics and the attribute docs state them.</param>
/// <param name="Signatures">The accepted parameter lists, each optionally followed by a runtime <c>T temperature</c>.</param>
/// <param name="Phases">The phases of the row computation.</param>
/// <param name="Formula">The remarks' formula; {z} stands for z_j = x_j − m (or (x_j − m)/T).</param>
/// <param name="TemperedFormula">The formula with a temperature, when it reads differently.</param>
internal sealed record OperationInfo(
    KernelOp Op,
    string AttributeName,
    string Summary,
    int MaxK,
    bool HasMaskOption,
    string Forms,
    ImmutableArray<KernelSignature> Signatures,
    KernelPhases Phases,
    string Formula,
    string? TemperedFormula = null)
{
    public string MetadataName => "SoftmaxGen." + AttributeName + "Attribute";

    /// <summary>The forward operations have vector rows, packed and short-row batches (without a temperature).</summary>
    public bool HasForwardReduction => (Phases & KernelPhases.ForwardReduction) != 0;

    /// <summary>Scalar rows that take exp(z − m) themselves (the double rows' Shift and ExpHiLo helpers are written for them).</summary>
    public bool TakesShiftedExp => (Phases & (KernelPhases.ForwardReduction | KernelPhases.ShiftedExp)) != 0;

    /// <summary>The attribute's properties beyond K, Temperature and ZeroFullyMaskedRows.</summary>
    public ImmutableArray<AttributeOption> Options { get; init; } = ImmutableArray<AttributeOption>.Empty;

    /// <summary>For the operations without the forward reduction's note: the stability and limits paragraph of the remarks.</summary>
    public string? StabilityNote { get; init; }

    /// <summary>Whether the attribute has <c>Temperature</c> and the signatures may end with a runtime temperature.</summary>
    public bool HasTemperature { get; init; } = true;

    /// <summary>Whether a <c>System.Random</c> slot is passed to the kernel itself (one draw per entry) instead of as one NextDouble() per call.</summary>
    public bool DrawsPerEntry { get; init; }

    /// <summary>Whether the attribute takes a row length K (false for [HierarchicalSoftmax], whose K is its number of counts).</summary>
    public bool HasRowLength { get; init; } = true;

    /// <summary>The remarks' formula for a kernel with or without a temperature.</summary>
    public string FormulaFor(bool hasTemperature, bool negated = false) =>
        (hasTemperature && TemperedFormula is not null ? TemperedFormula : Formula)
            .Replace("{z}", negated ? (hasTemperature ? "(m − x_j)/T" : "m − x_j") : hasTemperature ? "(x_j − m)/T" : "x_j − m");
}

internal static class KernelOperations
{
    /// <summary>Largest K for every operation but the Jacobian and the Hessian, whose K·K (K·K·K) entries per row must fit in a span.</summary>
    public const int MaxK = 65536;

    /// <summary>Largest K whose K·K Jacobian fits in a span (46340² &lt; 2³¹).</summary>
    public const int MaxJacobianK = 46340;

    /// <summary>Largest K whose K·K·K Hessian fits in a span (1290³ &lt; 2³¹).</summary>
    public const int MaxHessianK = 1290;

    private const string OptionalTemperature = ", T float or double, optionally ending with 'T temperature'";

    private const KernelForm Separate = KernelForm.Separate;
    private const KernelForm OneRow = KernelForm.ScalarResult;
    private const ResultKind Void = ResultKind.Void;
    private const ResultKind Value = ResultKind.Element;
    private const SlotKind In = SlotKind.Values;
    private const SlotKind Out = SlotKind.Output;
    private const SlotKind Mask = SlotKind.Mask;

    private static ImmutableArray<KernelSignature> Signatures(params KernelSignature[] signatures) => ImmutableArray.Create(signatures);

    private static KernelSignature Sig(KernelForm form, ResultKind result, params SlotKind[] slots) => KernelSignature.Of(form, result, slots);

    /// <summary>The <c>Base</c> property of the forward operations: p_i ∝ b^{x_i}.</summary>
    private static readonly AttributeOption BaseOption = new(
        "double", "Base",
        "A compile-time base b > 0, b ≠ 1: p_i ∝ b^{x_i} = exp(x_i·ln b), so b = e^β gives softmax(β·x); b < 1 favours the smallest inputs. Unset, b = e.");

    /// <summary>The <c>Normalizer</c> property of softmax and its derivatives: p_i = φ(z_i) / Σ_j φ(z_j).</summary>
    private static readonly AttributeOption NormalizerOption = new(
        "string", "Normalizer",
        "A positive function φ in place of exp: p_i = φ(z_i) / Σ_j φ(z_j), z = x / T. A SoftmaxNormalizer constant, or nameof a " +
        "'static T Phi(T z)' of the containing type. The Jacobian and backward kernels then take the logits, not the probabilities.");

    /// <summary>The <c>NormalizerDerivative</c> property of the Jacobian and backward kernels.</summary>
    private static readonly AttributeOption NormalizerDerivativeOption = new(
        "string", "NormalizerDerivative",
        "nameof a 'static T DPhi(T z)' of the containing type, the derivative φ′ of a user Normalizer (the built-ins need none).");

    public static readonly OperationInfo Softmax = new(
        KernelOp.Softmax, "Softmax",
        "Generates a numerically stable softmax: p_i = exp(x_i − m) / Σ_j exp(x_j − m), m = max x.",
        MaxK, HasMaskOption: true,
        "(ReadOnlySpan<T> logits, Span<T> probabilities), (Span<T> values) or (ReadOnlySpan<T> logits, ReadOnlySpan<bool> mask, Span<T> probabilities)" + OptionalTemperature,
        Signatures(Sig(Separate, Void, In, Out), Sig(KernelForm.InPlace, Void, SlotKind.InPlace), Sig(Separate, Void, In, Mask, Out)),
        KernelPhases.ForwardReduction | KernelPhases.Normalisation,
        "Softmax: p_i = exp(z_i) / Σ_j exp(z_j) with z_j = {z}, m = max_j x_j.")
    {
        Options = ImmutableArray.Create(BaseOption, NormalizerOption),
    };

    public static readonly OperationInfo LogSoftmax = new(
        KernelOp.LogSoftmax, "LogSoftmax",
        "Generates a numerically stable log-softmax: x_i − m − log Σ_j exp(x_j − m), m = max x.",
        MaxK, HasMaskOption: true,
        "(ReadOnlySpan<T> logits, Span<T> logProbabilities), (Span<T> values) or (ReadOnlySpan<T> logits, ReadOnlySpan<bool> mask, Span<T> logProbabilities)" + OptionalTemperature,
        Signatures(Sig(Separate, Void, In, Out), Sig(KernelForm.InPlace, Void, SlotKind.InPlace), Sig(Separate, Void, In, Mask, Out)),
        KernelPhases.ForwardReduction | KernelPhases.Logarithm,
        "Log-softmax: log p_i = z_i − log Σ_j exp(z_j) with z_j = {z}, m = max_j x_j.")
    {
        Options = ImmutableArray.Create(BaseOption),
    };

    public static readonly OperationInfo LogSumExp = new(
        KernelOp.LogSumExp, "LogSumExp",
        "Generates a numerically stable log-sum-exp: m + log Σ_j exp(x_j − m), m = max x.",
        MaxK, HasMaskOption: false,
        "T (ReadOnlySpan<T> logits [, ReadOnlySpan<bool> mask]) or void (ReadOnlySpan<T> logits [, ReadOnlySpan<bool> mask], Span<T> results)" + OptionalTemperature,
        Signatures(Sig(Separate, Void, In, Out), Sig(OneRow, Value, In), Sig(Separate, Void, In, Mask, Out), Sig(OneRow, Value, In, Mask)),
        KernelPhases.ForwardReduction | KernelPhases.Logarithm,
        "Log-sum-exp: log Σ_j exp(x_j) = m + log Σ_j exp(x_j − m), m = max_j x_j.",
        "Smooth maximum: T·log Σ_j exp(x_j/T) = m + T·log Σ_j exp((x_j − m)/T), m = max_j x_j.")
    {
        Options = ImmutableArray.Create(BaseOption),
    };

    public static readonly OperationInfo SoftmaxJacobian = new(
        KernelOp.SoftmaxJacobian, "SoftmaxJacobian",
        "Generates the softmax Jacobian J_ij = p_i (δ_ij − p_j), K·K values per row, row-major.",
        MaxJacobianK, HasMaskOption: false,
        "(ReadOnlySpan<T> probabilities, Span<T> jacobian) (the logits with a Normalizer)" + OptionalTemperature,
        Signatures(Sig(Separate, Void, In, Out)),
        KernelPhases.Jacobian,
        "Softmax Jacobian: J_ij = ∂p_i/∂x_j = p_i (δ_ij − p_j), row-major K·K per row.",
        "Softmax Jacobian with respect to the untempered logits: J_ij = ∂p_i/∂x_j = p_i (δ_ij − p_j) / T, row-major K·K per row.")
    {
        Options = ImmutableArray.Create(NormalizerOption, NormalizerDerivativeOption),
    };

    public static readonly OperationInfo SoftmaxBackward = new(
        KernelOp.SoftmaxBackward, "SoftmaxBackward",
        "Generates the softmax backward pass dx = p ⊙ (g − ⟨p, g⟩).",
        MaxK, HasMaskOption: false,
        "(ReadOnlySpan<T> probabilities, ReadOnlySpan<T> outputGradient, Span<T> inputGradient) (the logits first with a Normalizer)" + OptionalTemperature,
        Signatures(Sig(Separate, Void, In, In, Out)),
        KernelPhases.BackwardDot,
        "Softmax backward pass: dx_i = p_i (g_i − ⟨p, g⟩).",
        "Softmax backward pass: dx_i = p_i (g_i − ⟨p, g⟩) / T, the gradient with respect to the untempered logits.")
    {
        Options = ImmutableArray.Create(NormalizerOption, NormalizerDerivativeOption),
    };

    public static readonly OperationInfo LogSoftmaxBackward = new(
        KernelOp.LogSoftmaxBackward, "LogSoftmaxBackward",
        "Generates the log-softmax backward pass dx = g − exp(lp) Σ_j g_j.",
        MaxK, HasMaskOption: false,
        "(ReadOnlySpan<T> logProbabilities, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)" + OptionalTemperature,
        Signatures(Sig(Separate, Void, In, In, Out)),
        KernelPhases.BackwardDot,
        "Log-softmax backward pass: dx_i = g_i − exp(lp_i) Σ_j g_j.",
        "Log-softmax backward pass: dx_i = (g_i − exp(lp_i) Σ_j g_j) / T, the gradient with respect to the untempered logits.");

    public static readonly OperationInfo SoftmaxCrossEntropy = new(
        KernelOp.SoftmaxCrossEntropy, "SoftmaxCrossEntropy",
        "Generates a fused, numerically stable softmax cross-entropy loss LSE(z) − z_t (and its gradient (p − onehot(t)) / T).",
        MaxK, HasMaskOption: false,
        "T (ReadOnlySpan<T> logits, int target [, Span<T> gradient]), void (ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses [, Span<T> gradients]), " +
        "T (ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities [, Span<T> gradient]) or " +
        "void (ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities, Span<T> losses [, Span<T> gradients])" + OptionalTemperature,
        Signatures(
            Sig(OneRow, Value, In, SlotKind.Index),
            Sig(OneRow, Value, In, SlotKind.Index, Out),
            Sig(Separate, Void, In, SlotKind.Indices, Out),
            Sig(Separate, Void, In, SlotKind.Indices, Out, Out),
            Sig(OneRow, Value, In, In),
            Sig(OneRow, Value, In, In, Out),
            Sig(Separate, Void, In, In, Out),
            Sig(Separate, Void, In, In, Out, Out)),
        KernelPhases.ShiftedExp | KernelPhases.Logarithm | KernelPhases.Normalisation,
        "Softmax cross-entropy: loss = −Σ_i q_i log p_i = Σ_i q_i ((m − x_i) + log1p(s′)) with s′ = Σ_{j≠a} exp(z_j), a = argmax, z_j = {z}; gradient (p − q).",
        "Softmax cross-entropy: loss = −Σ_i q_i log p_i = Σ_i q_i ((m − x_i)/T + log1p(s′)) with s′ = Σ_{j≠a} exp(z_j), a = argmax, z_j = {z}; gradient (p − q) / T.")
    {
        Options = ImmutableArray.Create(
            new AttributeOption("double", "LabelSmoothing", "Label smoothing ε in [0, 1): the target distribution is q = (1 − ε)·onehot(t) + ε/K."),
            new AttributeOption("int", "IgnoreIndex", "Rows whose target equals this index get loss 0 and a zero gradient (PyTorch's ignore_index); unset, every target must be in [0, K).")),
        StabilityNote = "Numerically stable: the row maximum is subtracted before exp, and the loss is summed from non-negative terms " +
            "(m − x_i and log1p of the sum that excludes the maximum; Blanchard, Higham and Higham 2021), so a confident correct " +
            "prediction gets its small loss to a few ulps, relative. A target outside [0, K) throws before anything is written. " +
            "A target on a −∞ logit gives +∞; NaN in a row gives NaN (loss and gradient); +∞ logits give the limit (p split among them); " +
            "an all −∞ row gives NaN.",
    };

    public static readonly OperationInfo SoftmaxEntropy = new(
        KernelOp.SoftmaxEntropy, "SoftmaxEntropy",
        "Generates the entropy of softmax(z), H = LSE(z) − Σ_k p_k z_k (and its gradient −p ⊙ (z − ⟨p, z⟩) / T).",
        MaxK, HasMaskOption: false,
        "T (ReadOnlySpan<T> logits [, Span<T> gradient]) or void (ReadOnlySpan<T> logits, Span<T> entropies [, Span<T> gradients])" + OptionalTemperature,
        Signatures(
            Sig(OneRow, Value, In),
            Sig(OneRow, Value, In, Out),
            Sig(Separate, Void, In, Out),
            Sig(Separate, Void, In, Out, Out)),
        KernelPhases.ShiftedExp | KernelPhases.Logarithm,
        "Softmax entropy: H = log s + Σ_k p_k (−z_k) with z_k = {z}, s = Σ_j exp(z_j); gradient ∂H/∂x_i = −p_i (z_i − Σ_k p_k z_k).",
        "Softmax entropy: H = log s + Σ_k p_k (−z_k) with z_k = {z}, s = Σ_j exp(z_j); gradient ∂H/∂x_i = −p_i (z_i − Σ_k p_k z_k) / T.")
    {
        StabilityNote = "Numerically stable: the row maximum is subtracted before exp, and H is summed from non-negative terms (log s ≥ 0 and p_k·(m − x_k)). " +
            "−∞ entries contribute 0 (0·log 0 = 0); n entries of +∞ give H = log n and a zero gradient; NaN in a row, or an all −∞ row, gives NaN.",
    };

    public static readonly OperationInfo SoftmaxHessian = new(
        KernelOp.SoftmaxHessian, "SoftmaxHessian",
        "Generates the second derivatives of softmax, ∂²p_i/∂x_j∂x_k, K·K·K values per row (index order i, j, k).",
        MaxHessianK, HasMaskOption: false,
        "(ReadOnlySpan<T> probabilities, Span<T> hessian)" + OptionalTemperature,
        Signatures(Sig(Separate, Void, In, Out)),
        KernelPhases.SecondDerivative,
        "Softmax Hessian: H_ijk = ∂²p_i/∂x_j∂x_k = p_i (δ_ik − p_k)(δ_ij − p_j) − p_i p_j (δ_jk − p_k), row-major K·K·K per row.",
        "Softmax Hessian with respect to the untempered logits: H_ijk = [p_i (δ_ik − p_k)(δ_ij − p_j) − p_i p_j (δ_jk − p_k)] / T², row-major K·K·K per row.");

    public static readonly OperationInfo SoftmaxSecondDirectional = new(
        KernelOp.SoftmaxSecondDirectional, "SoftmaxSecondDirectional",
        "Generates the second directional derivative of softmax, w_i = Σ_jk ∂²p_i/∂x_j∂x_k u_j v_k, in O(K).",
        MaxK, HasMaskOption: false,
        "(ReadOnlySpan<T> probabilities, ReadOnlySpan<T> u, ReadOnlySpan<T> v, Span<T> result)" + OptionalTemperature,
        Signatures(Sig(Separate, Void, In, In, In, Out)),
        KernelPhases.SecondDerivative,
        "Second directional derivative of softmax: w_i = p_i ((u_i − ū)(v_i − v̄) − Σ_j p_j (u_j − ū)(v_j − v̄)), ū = ⟨p, u⟩, v̄ = ⟨p, v⟩.",
        "Second directional derivative of softmax with respect to the untempered logits: w_i = p_i ((u_i − ū)(v_i − v̄) − Σ_j p_j (u_j − ū)(v_j − v̄)) / T², ū = ⟨p, u⟩, v̄ = ⟨p, v⟩.");

    public static readonly OperationInfo ArgMax = new(
        KernelOp.ArgMax, "ArgMax",
        "Generates the arg-max of each row: the index of its largest entry (the first one on ties), −1 when the row holds a NaN.",
        MaxK, HasMaskOption: false,
        "int (ReadOnlySpan<T> logits) or void (ReadOnlySpan<T> logits, Span<int> indices), T float or double",
        Signatures(Sig(OneRow, ResultKind.Index, In), Sig(Separate, Void, In, SlotKind.IndexOutput)),
        KernelPhases.None,
        "Arg-max: the index i of the largest x_i, the first one on ties.")
    {
        HasTemperature = false,
        StabilityNote = "A NaN anywhere in a row gives −1 (no entry is the largest); −∞ and +∞ compare as numbers, so a row of −∞ gives 0.",
    };

    public static readonly OperationInfo Softmin = new(
        KernelOp.Softmin, "Softmin",
        "Generates a numerically stable softmin: p_i = exp(m − x_i) / Σ_j exp(m − x_j), m = min x (softmax of −x).",
        MaxK, HasMaskOption: true,
        "(ReadOnlySpan<T> values, Span<T> probabilities), (Span<T> values) or (ReadOnlySpan<T> values, ReadOnlySpan<bool> mask, Span<T> probabilities)" + OptionalTemperature,
        Signatures(Sig(Separate, Void, In, Out), Sig(KernelForm.InPlace, Void, SlotKind.InPlace), Sig(Separate, Void, In, Mask, Out)),
        KernelPhases.ForwardReduction | KernelPhases.Normalisation,
        "Softmin: p_i = exp(z_i) / Σ_j exp(z_j) with z_j = {z}, m = min_j x_j (softmax of −x).")
    {
        Options = ImmutableArray.Create(BaseOption),
    };

    public static readonly OperationInfo SoftmaxSample = new(
        KernelOp.SoftmaxSample, "SoftmaxSample",
        "Generates a sampler: draws a class index from softmax(x / T) (optionally truncated by TopK then TopP) without writing probabilities.",
        MaxK, HasMaskOption: false,
        "int (ReadOnlySpan<T> logits, double uniform), int (ReadOnlySpan<T> logits, System.Random random) or " +
        "void (ReadOnlySpan<T> logits, ReadOnlySpan<double> uniforms, Span<int> samples)" + OptionalTemperature,
        Signatures(
            Sig(OneRow, ResultKind.Index, In, SlotKind.Uniform),
            Sig(OneRow, ResultKind.Index, In, SlotKind.Random),
            Sig(Separate, Void, In, SlotKind.Uniforms, SlotKind.IndexOutput)),
        KernelPhases.None,
        "Sampling: returns the first i with C_i > u·C_K, C_i = Σ_{j≤i} w_j, w_j = exp(z_j) for kept j (else 0), z_j = {z}, m = max_j x_j.")
    {
        Options = ImmutableArray.Create(
            new AttributeOption("int", "TopK", "Top-k: keep only the k largest logits (k ≥ 1; every entry equal to the k-th largest is kept); unset or K keeps all."),
            new AttributeOption("double", "TopP", "Top-p (nucleus): keep the smallest set of largest logits whose probability reaches p, 0 < p ≤ 1 (after TopK); unset or 1 keeps all.")),
        StabilityNote = "The row maximum is subtracted before exp (and before dividing by T), so every weight is at most 1 and the sum is at least 1. " +
            "u outside [0, 1) throws ArgumentOutOfRangeException before anything is written. −∞ entries have weight 0 and are never drawn; " +
            "an all −∞ row or a row with a NaN gives −1; +∞ entries share the whole probability (the limit: one of them, uniformly).",
    };

    public static readonly OperationInfo GumbelSoftmax = new(
        KernelOp.GumbelSoftmax, "GumbelSoftmax",
        "Generates a Gumbel-softmax (concrete) sample: y = softmax((x + g) / T), g_i = −log(−log u_i); with Hard = true also the one-hot of argmax(x + g).",
        MaxK, HasMaskOption: false,
        "(ReadOnlySpan<T> logits, ReadOnlySpan<T> uniforms, Span<T> y), (ReadOnlySpan<T> logits, System.Random random, Span<T> y) or, with Hard = true, " +
        "(ReadOnlySpan<T> logits, ReadOnlySpan<T> uniforms, Span<T> hard, Span<T> soft) or (ReadOnlySpan<T> logits, System.Random random, Span<T> hard, Span<T> soft)" +
        OptionalTemperature,
        Signatures(
            Sig(Separate, Void, In, In, Out),
            Sig(Separate, Void, In, SlotKind.Random, Out),
            Sig(Separate, Void, In, In, Out, Out),
            Sig(Separate, Void, In, SlotKind.Random, Out, Out)),
        KernelPhases.None,
        "Gumbel-softmax: y_i = exp(z_i) / Σ_j exp(z_j), z_j = x_j + g_j − m, g_j = −log(−log u_j), m = max_j (x_j + g_j); hard = onehot(argmax_j (x_j + g_j)).",
        "Gumbel-softmax: y_i = exp(z_i) / Σ_j exp(z_j), z_j = (x_j + g_j − m)/T, g_j = −log(−log u_j), m = max_j (x_j + g_j); hard = onehot(argmax_j (x_j + g_j)).")
    {
        DrawsPerEntry = true,
        Options = ImmutableArray.Create(
            new AttributeOption("bool", "Hard", "Straight-through form: (logits, uniforms or random, Span<T> hard, Span<T> soft) writes the one-hot of argmax(x + g) to hard " +
                "and the relaxed y to soft; its backward pass is [SoftmaxBackward(K, Temperature = T)] on soft.")),
        StabilityNote = "Numerically stable: g is computed in double from the exactly represented u (−log u with no 1 − u formed, so it keeps its accuracy " +
            "up to u = 1 − 2^-53), x + g is kept exactly as a TwoSum pair, and its maximum is subtracted before exp (and before dividing by T), so " +
            "every exponent is ≤ 0 and the sum is ≥ 1. A u outside (0, 1) throws ArgumentOutOfRangeException before anything is written. " +
            "−∞ entries get y = 0 and never win; +∞ entries share the whole probability by their g (the limit); a row with a NaN, " +
            "or with every entry −∞, gives NaN in y (and in hard).",
    };

    public static readonly OperationInfo HierarchicalSoftmax = new(
        KernelOp.HierarchicalSoftmax, "HierarchicalSoftmax",
        "Generates a hierarchical softmax over a compile-time Huffman tree of the class counts: log p(c | h) = Σ over c's path of log σ(±⟨w_n, h⟩).",
        HierarchySpec.MaxClasses, HasMaskOption: false,
        "T (ReadOnlySpan<T> hidden, ReadOnlySpan<T> nodeWeights, int classIndex [, Span<T> hiddenGradient, Span<T> nodeWeightGradient]) or " +
        "void (ReadOnlySpan<T> hidden, ReadOnlySpan<T> nodeWeights, Span<T> logProbabilities), T float or double",
        Signatures(
            Sig(OneRow, Value, In, In, SlotKind.Index),
            Sig(OneRow, Value, In, In, SlotKind.Index, Out, Out),
            Sig(Separate, Void, In, In, Out)),
        KernelPhases.None,
        "Hierarchical softmax: log p(c | h) = Σ_{(n, s) on c's path} log σ(s·d_n), d_n = ⟨w_n, h⟩, s = +1 to child 0 and −1 to child 1.")
    {
        HasTemperature = false,
        HasRowLength = false,
        Options = ImmutableArray.Create(
            new AttributeOption("int[]", "Counts", "The class counts (one per class, K = their number, 2 ≤ K ≤ 16777216, none negative, not all 0): the Huffman tree's weights."),
            new AttributeOption("string", "CountsFile", "Instead of Counts: the name of an AdditionalFiles item holding one count per line (blank lines and # comments skipped)."),
            new AttributeOption("int", "Dimension", "The hidden size D, from 1 to 65536: hidden has D values, nodeWeights (K − 1)·D (row n is internal node n's weights).")),
        StabilityNote = "log σ(t) is −log1p(exp(−t)) for t ≥ 0 and t − log1p(exp(t)) otherwise, so it never overflows and keeps tiny probabilities " +
            "accurate; a dot of ±1000 gives 0 or −1000. Length errors throw ArgumentException and a class index outside [0, K) " +
            "ArgumentOutOfRangeException, before anything is written. NaN in h or the weights gives NaN.",
    };

    /// <summary>Every operation, in the order of <see cref="KernelOp"/>.</summary>
    public static readonly ImmutableArray<OperationInfo> All = ImmutableArray.Create(
        Softmax, LogSoftmax, LogSumExp, SoftmaxJacobian, SoftmaxBackward, LogSoftmaxBackward,
        SoftmaxCrossEntropy, SoftmaxEntropy, SoftmaxHessian, SoftmaxSecondDirectional, ArgMax, Softmin,
        SoftmaxSample, GumbelSoftmax, HierarchicalSoftmax);

    /// <summary>The descriptor of <paramref name="op"/>; throws for a member without one.</summary>
    public static OperationInfo For(KernelOp op) => op switch
    {
        KernelOp.Softmax => Softmax,
        KernelOp.LogSoftmax => LogSoftmax,
        KernelOp.LogSumExp => LogSumExp,
        KernelOp.SoftmaxJacobian => SoftmaxJacobian,
        KernelOp.SoftmaxBackward => SoftmaxBackward,
        KernelOp.LogSoftmaxBackward => LogSoftmaxBackward,
        KernelOp.SoftmaxCrossEntropy => SoftmaxCrossEntropy,
        KernelOp.SoftmaxEntropy => SoftmaxEntropy,
        KernelOp.SoftmaxHessian => SoftmaxHessian,
        KernelOp.SoftmaxSecondDirectional => SoftmaxSecondDirectional,
        KernelOp.ArgMax => ArgMax,
        KernelOp.Softmin => Softmin,
        KernelOp.SoftmaxSample => SoftmaxSample,
        KernelOp.GumbelSoftmax => GumbelSoftmax,
        KernelOp.HierarchicalSoftmax => HierarchicalSoftmax,
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
