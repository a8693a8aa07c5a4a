using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation.Plan;

/// <summary>One vector width: its bit count and its lane count for the kernel's element type.</summary>
internal readonly record struct VectorWidth(int Bits, int Lanes)
{
    /// <summary>The static vector class, <c>Vector512</c> etc. (the SoftmaxGen.Generated namespace imports System.Runtime.Intrinsics).</summary>
    public string V => "Vector" + Bits.ToString(CultureInfo.InvariantCulture);

    /// <summary>The widths for an element type, widest first.</summary>
    public static VectorWidth[] All(ElementType element)
    {
        int elementBits = element == ElementType.Single ? 32 : 64;
        return [.. new[] { 512, 256, 128 }.Select(bits => new VectorWidth(bits, bits / elementBits))];
    }
}

/// <summary>
/// Every code-path decision for one kernel, made once from its spec and the target facts before anything is emitted:
/// which vector widths its rows take, whether batches of short rows are packed several to a vector or transposed in
/// blocks (and whether those transposes run in registers), and whether its hot methods are marked for full
/// optimisation. The emitter writes exactly these paths, and the <c>&lt;remarks&gt;</c> list them.
/// </summary>
internal sealed class KernelPlan
{
    private KernelPlan(KernelSpec spec, TargetFacts facts)
    {
        OperationInfo operation = KernelOperations.For(spec.Op);
        bool hasTemperature = spec.HasTemperature;
        VectorWidth[] all = VectorWidth.All(spec.Element);

        // Vector code exists for the forward operations without a temperature (or base) or normaliser that read x itself (not softmin's −x),
        // on targets with the .NET 9 vector API.
        // A temperature (not a base) is vector code for softmax and log-sum-exp: their rows end as they do untempered (p = e/s;
        // m + T·log s), and the scaled exp multiplies x − m by 1/T as hi + lo.
        TemperedVectors = facts.CanEmitSimd && hasTemperature && spec.Op is KernelOp.Softmax or KernelOp.LogSumExp && spec.Base is null && !spec.Negated && spec.Normalizer is null;
        bool vectorApi = facts.CanEmitSimd && operation.HasForwardReduction && (!hasTemperature || TemperedVectors) && !spec.Negated && spec.Normalizer is null;

        // Rows: the widths whose lane count fits in K (any width for rows of any length, checked at run time).
        RowWidths = vectorApi ? [.. all.Where(w => spec.AnyLength || w.Lanes <= spec.K)] : [];

        // Packed rows: softmax with a compile-time power-of-two K, on widths that hold at least four rows. With two rows
        // or fewer per vector the butterflies cost more than the transposed blocks, which then take over (measured on
        // AVX-512, 1M elements: float K = 8 1.34 ms packed, 1.27 ms transposed; double K = 4 2.62 / 2.36 ms; with four
        // rows packing wins: float K = 4 1.04 / 1.45 ms, double K = 2 2.0 / 2.6 ms).
        bool packable = vectorApi && !spec.HasMask && spec.Op == KernelOp.Softmax && !spec.AnyLength && spec.K >= 2 && (spec.K & (spec.K - 1)) == 0;
        PackedWidths = packable ? [.. all.Where(w => w.Lanes >= 4 * spec.K)] : [];

        // Transposed blocks: batch forms with a small compile-time K, on every width the packed rows do not take.
        // Masked kernels take the vector rows and the blocks with masked loads (the block's rows are masked before the transpose), not packed rows.
        bool shortRows = vectorApi && !spec.AnyLength && spec.Form != KernelForm.ScalarResult && spec.K >= 2 && spec.K <= 16;
        ShortRowWidths = shortRows ? [.. all.Where(w => !PackedWidths.Any(p => p.Bits == w.Bits))] : [];

        // In-register transposes need AVX-512F's two-source shuffles (Vector512 blocks only). The way back in registers
        // is for float softmax and log-softmax only: measured on AVX-512 (1M elements, K = 10 / 16), float softmax 1.06 /
        // 0.99 ms element-wise and 0.98 / 0.85 ms in registers; for double, whose rows of 9 … 16 values take two vectors
        // each, in registers was slower (2.12 / 2.07 ms against 1.96 / 1.91 ms), so double blocks are transposed in
        // registers on the way in only.
        TransposesInRegisters = facts.HasAvx512F && ShortRowWidths.Any(w => w.Bits == 512);
        UntransposesInRegisters = TransposesInRegisters && spec.Element == ElementType.Single && spec.Op != KernelOp.LogSumExp;

        // The fused cross-entropy has vector rows for hard targets without a temperature or label smoothing (its other forms,
        // and the entropy and second derivatives, are scalar).
        bool vectorLoss = facts.CanEmitSimd && !hasTemperature && spec.Op == KernelOp.SoftmaxCrossEntropy && spec.LabelSmoothing == 0 &&
                          spec.Signature is { } signature && signature.Slots[1] is SlotKind.Index or SlotKind.Indices;
        bool vectorArgMax = facts.CanEmitSimd && spec.Op == KernelOp.ArgMax;
        bool vectorSample = facts.CanEmitSimd && spec.Op == KernelOp.SoftmaxSample;
        OwnRowWidths = vectorLoss || vectorArgMax || vectorSample ? [.. all.Where(w => spec.AnyLength || w.Lanes <= spec.K)] : [];

        // Hot methods are AggressiveOptimization on targets with System.Runtime.Intrinsics (.NET Core 3.0+).
        HotMethods = facts.HasVector128;
        UsesAvx512Exp = facts.HasAvx512F;
    }

    /// <summary>A softmax with a temperature whose vector paths take the scaled exp (exp((x − m)·(1/T)), 1/T as hi + lo).</summary>
    public bool TemperedVectors { get; }

    /// <summary>The widths of the vector row methods (RowNNN), widest first; empty when rows are scalar only.</summary>
    public IReadOnlyList<VectorWidth> RowWidths { get; }

    /// <summary>The widths of the vector rows an operation's own emitter writes (the cross-entropy's, the arg-max's), widest first.</summary>
    public IReadOnlyList<VectorWidth> OwnRowWidths { get; }

    /// <summary>The widths of the packed batch methods (PackedNNN: several rows per vector), widest first.</summary>
    public IReadOnlyList<VectorWidth> PackedWidths { get; }

    /// <summary>The widths of the transposed short-row blocks (ShortRowsNNN), widest first.</summary>
    public IReadOnlyList<VectorWidth> ShortRowWidths { get; }

    /// <summary>The Vector512 blocks are transposed into columns by shuffles in registers (AVX-512F), when they read far enough.</summary>
    public bool TransposesInRegisters { get; }

    /// <summary>The Vector512 blocks also go back to row-major order in registers (then each block is padded).</summary>
    public bool UntransposesInRegisters { get; }

    /// <summary>Methods with hot loops carry [MethodImpl(AggressiveOptimization)].</summary>
    public bool HotMethods { get; }

    /// <summary>The shared Vector512 exp has its AVX-512 branch (VREDUCE carry, VSCALEF).</summary>
    public bool UsesAvx512Exp { get; }

    public bool HasVectorRows => RowWidths.Count > 0;

    public bool HasPackedRows => PackedWidths.Count > 0;

    public bool HasShortRows => ShortRowWidths.Count > 0;

    /// <summary>True when the kernel has any vector path (and so calls the shared VectorMath).</summary>
    public bool HasVectorPaths => HasVectorRows || HasPackedRows || HasShortRows || OwnRowWidths.Count > 0;

    /// <summary>Whether the blocks of this width are transposed in registers on the way in.</summary>
    public bool TransposeInRegisters(VectorWidth w) => w.Bits == 512 && TransposesInRegisters;

    /// <summary>Whether the blocks of this width go back to row-major order in registers.</summary>
    public bool UntransposeInRegisters(VectorWidth w) => w.Bits == 512 && UntransposesInRegisters;

    public static KernelPlan Create(KernelSpec spec, TargetFacts facts) => new(spec, facts);
}
