using System.Globalization;
using System.Linq;
using SoftmaxGen.Generation.Model;
using SoftmaxGen.Generation.Plan;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// Batches of short rows (K ≤ 16; for softmax only the K that packed rows do not take):
/// a vector's worth of rows at a time is transposed into a fixed stack block (L·K values, bounded because K is small),
/// so that lane r holds row r. Then every step is lane-wise: the row maxima, exp, the row sums and the normalisation
/// need no horizontal reduction and no per-row call (log-softmax and log-sum-exp take a lane-wise logarithm), and no
/// lane is wasted whatever K is. Blocks holding NaN or an infinite row maximum, and the rows after the last whole
/// block, take <c>Row</c>.
/// </summary>
internal sealed partial class KernelEmitter
{
    private string? ShortRowsPathNote() => _plan.HasShortRows
        ? "Batches" + (_plan.HasPackedRows ? " on narrower hardware" : string.Empty) + ": blocks of " + string.Join(", else ", _plan.ShortRowWidths.Select(w => $"{w.Lanes} rows (Vector{w.Bits})")) +
          " are transposed" + (_plan.TransposesInRegisters ? " (by shuffles in registers on AVX-512, element by element otherwise)" : " on the stack") + " so each lane holds one row: lane-wise max, exp, sums and " + (_spec.Op == KernelOp.Softmax ? "normalisation" : "logarithm") + ", no horizontal reductions; rows after the last whole block, and scalar hardware, take the row path."
        : null;

    /// <summary>At the top of Run: the whole batch to the widest accelerated transposed path.</summary>
    private void EmitShortRowsDispatch()
    {
        if (!_plan.HasShortRows)
        {
            return;
        }

        string output = _spec.Op == KernelOp.LogSumExp ? "results" : "y";
        _w.Comment($"Short rows (K = {_spec.K}): a vector's worth of rows at a time, transposed so each lane holds one row (the JIT folds these checks).");
        foreach (VectorWidth w in _plan.ShortRowWidths)
        {
            _w.Line($"if ({w.V}.IsHardwareAccelerated) {{ ShortRows{w.Bits}(x{MaskArg}, {output}{TArg}); return; }}");
        }

        _w.Line();
    }

    private void EmitShortRows(VectorWidth w)
    {
        string k = _spec.K.ToString(CultureInfo.InvariantCulture);
        string ros = $"ReadOnlySpan<{T}>";
        string span = $"Span<{T}>";
        bool lse = _spec.Op == KernelOp.LogSumExp;
        string output = lse ? "results" : "y";
        var geometry = new BlockGeometry(_spec.K, w.Lanes, _plan.TransposeInRegisters(w), _plan.UntransposeInRegisters(w));
        bool masked = _spec.HasMask;
        string next = $"(row + {w.Lanes}) * {k}";
        (string, string)[] keys =
        [
            // A masked block is first copied with its excluded entries as −∞ (MaskBlock), into a buffer the in-register reads may pass.
            ("{SRC0}", masked ? "ref MaskBlock{W}(ref xr, ref mr, 0, ref mx)" : "ref xr"),
            ("{SRC}", masked ? $"ref MaskBlock{{W}}(ref xr, ref mr, {next}, ref mx)" : $"ref Unsafe.Add(ref xr, {next})"),
            ("{MASKR}", MaskSlice($"r * {k}")), ("{MASKROW}", MaskSlice($"row * {k}")),
            ("{K}", k), ("{OUT}", output), ("{U}", "Unsafe"),
            ("{STRIDE}", geometry.Stride.ToString(CultureInfo.InvariantCulture)),
            ("{WIDE0}", !geometry.InRegisters ? string.Empty : masked ? ", true" : $", x.Length >= {geometry.Reach}"),
            ("{WIDE}", !geometry.InRegisters ? string.Empty : masked ? ", true" : $", x.Length - ({next}) >= {geometry.Reach}"),
        ];
        _w.Line($"/// <summary>Rows of K = {k}, {w.Lanes} at a time, transposed so that lane r holds row r; rows after the last whole block take <c>Row</c>.</summary>");
        EmitHotAttribute();
        using (_w.Block($"private static void ShortRows{w.Bits}({ros} x{MaskParam}, {span} {output}{TParam})"))
        {
            Template(w, """
                // Two blocks t[j·{L} + r] = x_rj of {L} rows each (fixed size, whatever the batch): the next block is transposed
                // while this one is computed, so the vector loads never wait on the stores that built them.
                Span<{T}> blocks = stackalloc {T}[2 * {STRIDE}];
                ref {T} t0 = ref MemoryMarshal.GetReference(blocks);
                ref {T} xr = ref MemoryMarshal.GetReference(x);
                """, keys);
            if (masked)
            {
                EmitMaskReference();
                Template(w, $$"""
                    Span<{T}> maskedRows = stackalloc {T}[{{(w.Lanes * _spec.K) + w.Lanes}}];
                    ref {T} mx = ref MemoryMarshal.GetReference(maskedRows);
                    """);
            }

            if (!lse)
            {
                Template(w, """
                    ref {T} yr = ref MemoryMarshal.GetReference(y);
                    """);
            }

            Template(w, """
                int rows = x.Length / {K};
                int full = rows / {L};
                if (full > 0)
                {
                    Transpose{W}({SRC0}, ref t0{WIDE0});
                }

                int row = 0;
                {SCALESETUP}
                for (int b = 0; b < full; b++, row += {L})
                {
                    ref {T} tr = ref {U}.Add(ref t0, (b & 1) * {STRIDE});
                    if (b + 1 < full)
                    {
                        Transpose{W}({SRC}, ref {U}.Add(ref t0, ((b + 1) & 1) * {STRIDE}){WIDE});
                    }

                    // Row maxima m, lane-wise; v == v fails only for NaN, m − m only for an infinite m.
                    var m = {V}.LoadUnsafe(ref tr);
                    var ok = {V}.Equals(m, m);
                    for (nuint j = 1; j < {K}; j++)
                    {
                        var v = {V}.LoadUnsafe(ref tr, j * {L});
                        m = {V}.MaxNative(m, v);
                        ok &= {V}.Equals(v, v);
                    }

                    ok &= {V}.Equals(m - m, {V}<{T}>.Zero);
                    if (!{V}.EqualsAll({V}.{AsI}(ok), {V}<{I}>.AllBitsSet))
                    {
                        // NaN, or an infinite maximum, in some row of this block: the scalar limits, row by row.
                        for (int r = row; r < row + {L}; r++)
                        {
                """, keys);
            Template(w, lse
                ? """
                                {OUT}[r] = Row(x.Slice(r * {K}, {K}){MASKR}{TA});
                    """
                : """
                                Row(x.Slice(r * {K}, {K}){MASKR}, y.Slice(r * {K}, {K}){TA});
                    """, keys);
            Template(w, """
                        }

                        continue;
                    }

                """);
            bool storeE = _spec.Op == KernelOp.Softmax;
            if (IsFloat)
            {
                Template(w, """
                        // e_j = exp(x_j − m) ∈ [0, 1]{STORED} and s = Σ_j e_j per lane, in double.
                        var s0 = {V}<double>.Zero;
                        var s1 = {V}<double>.Zero;
                        for (nuint j = 0; j < {K}; j++)
                        {
                            var e = VectorMath.Exp({SC}{V}.LoadUnsafe(ref tr, j * {L}), m);
                            {STORE}
                            var (lower, upper) = {V}.Widen(e);
                            s0 += lower;
                            s1 += upper;
                        }

                    """, [.. keys, ("{STORED}", storeE ? ", kept in the block," : string.Empty), ("{STORE}", storeE ? "{V}.StoreUnsafe(e, ref tr, j * {L});" : Drop)]);
            }
            else
            {
                Template(w, """
                        // e_j = exp(x_j − m) ∈ [0, 1]{STORED} and s + c = Σ_j e_j per lane (TwoSum; c keeps what s lost).
                        var s = {V}<double>.Zero;
                        var c = {V}<double>.Zero;
                        for (nuint j = 0; j < {K}; j++)
                        {
                            var e = VectorMath.Exp({SC}{V}.LoadUnsafe(ref tr, j * {L}), m);
                            {STORE}
                            {TWOSUM}
                            s = sum;
                        }

                    """, [.. keys, ("{STORED}", storeE ? ", kept in the block," : string.Empty), ("{STORE}", storeE ? "{V}.StoreUnsafe(e, ref tr, j * {L});" : Drop), ("{TWOSUM}", TwoSum.Accumulate("var ", "s", "e", "sum", "bv", "c"))]);
            }

            switch (_spec.Op)
            {
                case KernelOp.Softmax:
                    EmitSoftmaxBlockEnd(w, keys);
                    break;

                case KernelOp.LogSoftmax:
                    EmitLogSoftmaxBlockEnd(w, keys);
                    break;

                case KernelOp.LogSumExp:
                    EmitLogSumExpBlockEnd(w, keys);
                    break;

                default:
                    throw KernelOperations.Unknown(_spec.Op);
            }

            if (!lse)
            {
                Template(w, """
                        // Back to row-major: y_rj = t[j·{L} + r].
                        Untranspose{W}(ref tr, ref {U}.Add(ref yr, row * {K}));
                    }

                    """, keys);
            }

            Template(w, """
                // The rows after the last whole block.
                for (; row < rows; row++)
                {
                """);
            Template(w, lse
                ? """
                        {OUT}[row] = Row(x.Slice(row * {K}, {K}){MASKROW}{TA});
                    """
                : """
                        Row(x.Slice(row * {K}, {K}){MASKROW}, y.Slice(row * {K}, {K}){TA});
                    """, keys);
            _w.Line("}");
        }

        _w.Line();
        if (masked)
        {
            EmitMaskBlock(w);
        }

        EmitTransposes(w, geometry);
    }

    /// <summary>
    /// MaskBlock{W}: the L rows of one block (contiguous, so K vectors of L lanes) with their excluded entries read as −∞,
    /// copied to <c>masked</c>, which the unmasked transpose then reads.
    /// </summary>
    private void EmitMaskBlock(VectorWidth w)
    {
        Template(w, $$"""
            /// <summary>The {L} rows from x[start] on with the entries whose mask is false as −∞ (a block is {{_spec.K}} vectors of {L} lanes).</summary>
            {{AggressiveInlining}}
            private static ref {T} MaskBlock{W}(ref {T} xr, ref byte mr, int start, ref {T} masked)
            {
                for (nuint j = 0; j < {{_spec.K}}; j++)
                {
                    {V}.StoreUnsafe(Masked{W}(ref xr, ref mr, (nuint)start + (j * {L})), ref masked, j * {L});
                }

                return ref masked;
            }

            """);
    }
}
