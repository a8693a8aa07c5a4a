using System.Globalization;
using System.Linq;
using SoftmaxGen.Generation.Model;

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
    /// <summary>Transposed blocks: batch forms of the forward operations with a small compile-time K.</summary>
    private bool ShortRowsEnabled =>
        SimdAvailable && !_spec.AnyLength && _spec.Form != KernelForm.ScalarResult &&
        _spec.K >= 2 && _spec.K <= 16 && ShortRowsWidths.Length > 0;

    /// <summary>The widths for transposed blocks: all three, less those on which packed rows already run.</summary>
    private SimdWidth[] ShortRowsWidths =>
        [.. AllWidths.Where(w => !PackedEnabled || !PackedWidths.Any(p => p.Bits == w.Bits))];

    private string? ShortRowsPathNote() => ShortRowsEnabled
        ? "Batches" + (PackedEnabled ? " on narrower hardware" : string.Empty) + ": blocks of " + string.Join(", else ", ShortRowsWidths.Select(w => $"{w.Lanes} rows (Vector{w.Bits})")) +
          " are transposed" + (ShortRowsWidths.Any(InRegisterTranspose) ? " (by shuffles in registers on AVX-512, element by element otherwise)" : " on the stack") + " so each lane holds one row: lane-wise max, exp, sums and " + (_spec.Op == KernelOp.Softmax ? "normalisation" : "logarithm") + ", no horizontal reductions; rows after the last whole block, and scalar hardware, take the row path."
        : null;

    /// <summary>At the top of Run: the whole batch to the widest accelerated transposed path.</summary>
    private void EmitShortRowsDispatch()
    {
        if (!ShortRowsEnabled)
        {
            return;
        }

        string output = _spec.Op == KernelOp.LogSumExp ? "results" : "y";
        _w.Comment($"Short rows (K = {_spec.K}): a vector's worth of rows at a time, transposed so each lane holds one row (the JIT folds these checks).");
        foreach (SimdWidth w in ShortRowsWidths)
        {
            _w.Line($"if ({w.V}.IsHardwareAccelerated) {{ ShortRows{w.Bits}(x, {output}); return; }}");
        }

        _w.Line();
    }

    private SimdWidth[] AllWidths
    {
        get
        {
            int elementBits = IsFloat ? 32 : 64;
            return [.. new[] { 512, 256, 128 }.Select(bits => new SimdWidth(bits, bits / elementBits))];
        }
    }

    private void EmitShortRows(SimdWidth w)
    {
        string k = _spec.K.ToString(CultureInfo.InvariantCulture);
        string ros = $"global::System.ReadOnlySpan<{T}>";
        string span = $"global::System.Span<{T}>";
        bool lse = _spec.Op == KernelOp.LogSumExp;
        string output = lse ? "results" : "y";
        var geometry = new BlockGeometry(_spec.K, w.Lanes, InRegisterTranspose(w), InRegisterUntranspose(w));
        (string, string)[] keys =
        [
            ("{K}", k), ("{OUT}", output), ("{U}", "global::System.Runtime.CompilerServices.Unsafe"),
            ("{STRIDE}", geometry.Stride.ToString(CultureInfo.InvariantCulture)),
            ("{WIDE0}", geometry.InRegisters ? $", x.Length >= {geometry.Reach}" : string.Empty),
            ("{WIDE}", geometry.InRegisters ? $", x.Length - ((row + {w.Lanes}) * {k}) >= {geometry.Reach}" : string.Empty),
        ];
        _w.Line($"/// <summary>Rows of K = {k}, {w.Lanes} at a time, transposed so that lane r holds row r; rows after the last whole block take <c>Row</c>.</summary>");
        EmitHotAttribute();
        using (_w.Block($"private static void ShortRows{w.Bits}({ros} x, {span} {output})"))
        {
            Template(w, """
                // Two blocks t[j·{L} + r] = x_rj of {L} rows each (fixed size, whatever the batch): the next block is transposed
                // while this one is computed, so the vector loads never wait on the stores that built them.
                global::System.Span<{T}> blocks = stackalloc {T}[2 * {STRIDE}];
                ref {T} t0 = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(blocks);
                ref {T} xr = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
                """, keys);
            if (!lse)
            {
                Template(w, """
                    ref {T} yr = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
                    """);
            }

            Template(w, """
                int rows = x.Length / {K};
                int full = rows / {L};
                if (full > 0)
                {
                    Transpose{W}(ref xr, ref t0{WIDE0});
                }

                int row = 0;
                for (int b = 0; b < full; b++, row += {L})
                {
                    ref {T} tr = ref {U}.Add(ref t0, (b & 1) * {STRIDE});
                    if (b + 1 < full)
                    {
                        Transpose{W}(ref {U}.Add(ref xr, (row + {L}) * {K}), ref {U}.Add(ref t0, ((b + 1) & 1) * {STRIDE}){WIDE});
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
                                {OUT}[r] = Row(x.Slice(r * {K}, {K}));
                    """
                : """
                                Row(x.Slice(r * {K}, {K}), y.Slice(r * {K}, {K}));
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
                            var e = Exp{W}({V}.LoadUnsafe(ref tr, j * {L}), m);
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
                            var e = Exp{W}({V}.LoadUnsafe(ref tr, j * {L}), m);
                            {STORE}
                            var sum = s + e;
                            var bv = sum - s;
                            c += (s - (sum - bv)) + (e - bv);
                            s = sum;
                        }

                    """, [.. keys, ("{STORED}", storeE ? ", kept in the block," : string.Empty), ("{STORE}", storeE ? "{V}.StoreUnsafe(e, ref tr, j * {L});" : Drop)]);
            }

            switch (_spec.Op)
            {
                case KernelOp.Softmax:
                    Template(w, IsFloat
                        ? """
                                // p_j = e_j·(1/s), with 1/s per lane as float hi + lo (so rounding 1/s adds no bias to Σ_j p_j).
                                var inv0 = {V}<double>.One / s0;
                                var inv1 = {V}<double>.One / s1;
                                var ih = {V}.Narrow(inv0, inv1);
                                var (ih0, ih1) = {V}.Widen(ih);
                                var il = {V}.Narrow(inv0 - ih0, inv1 - ih1);
                            """
                        : """
                                // p_j = e_j·(1/(s + c)), as hi + lo from 1/s and its FMA residual.
                                var ih = {V}<double>.One / s;
                                var il = ({V}.FusedMultiplyAdd(-s, ih, {V}<double>.One) - (c * ih)) * ih;
                            """);
                    Template(w, """
                            for (nuint j = 0; j < {K}; j++)
                            {
                                var e = {V}.LoadUnsafe(ref tr, j * {L});
                                {V}.StoreUnsafe({V}.FusedMultiplyAdd(e, ih, e * il), ref tr, j * {L});
                            }

                        """, keys);
                    break;

                case KernelOp.LogSoftmax:
                    Template(w, IsFloat
                        ? """
                                // log s per lane, in double (s ≥ 1), rounded once to float.
                                var logS = {V}.Narrow(LogAtLeastOne{W}(s0), LogAtLeastOne{W}(s1));
                            """
                        : """
                                // log(s + c) = log s + c/s per lane.
                                var logS = LogAtLeastOne{W}(s) + (c / s);
                            """);
                    Template(w, """
                            // log p_j = (x_j − m) − log s, lane-wise.
                            for (nuint j = 0; j < {K}; j++)
                            {
                                {V}.StoreUnsafe(LogP{W}({V}.LoadUnsafe(ref tr, j * {L}), m, logS), ref tr, j * {L});
                            }

                        """, keys);
                    break;

                default:
                    Template(w, IsFloat
                        ? """
                                // LSE = m + log s, lane-wise in double, rounded once to float; the block's results are contiguous.
                                var (m0, m1) = {V}.Widen(m);
                                var lse = {V}.Narrow(m0 + LogAtLeastOne{W}(s0), m1 + LogAtLeastOne{W}(s1));
                                {V}.StoreUnsafe(lse, ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference({OUT}), (nuint)row);
                            }

                            """
                        : """
                                // LSE = m + log(s + c) = m + (log s + c/s), lane-wise; the block's results are contiguous.
                                var lse = m + (LogAtLeastOne{W}(s) + (c / s));
                                {V}.StoreUnsafe(lse, ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference({OUT}), (nuint)row);
                            }

                            """, keys);
                    break;
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
                        {OUT}[row] = Row(x.Slice(row * {K}, {K}));
                    """
                : """
                        Row(x.Slice(row * {K}, {K}), y.Slice(row * {K}, {K}));
                    """, keys);
            _w.Line("}");
        }

        _w.Line();
        EmitTransposes(w, geometry);
    }

    /// <summary>
    /// log s for s ≥ 1 in double lanes: s = 2^e·f, f ∈ [√½, √2), log s = e·ln 2 + 2·atanh(u), u = (f − 1)/(f + 1).
    /// Float kernels need about 1e-13 (series to u^13); double kernels carry u and ln 2 as hi + lo pairs and sum the
    /// series to u^21, so the result is good to about 1 ulp, like <c>Math.Log</c>, with no call per row.
    /// </summary>
    private void EmitLogAtLeastOne(SimdWidth w)
    {
        const string Split = """
                // s = 2^e·f with f ∈ [√½, √2).
                var bits = {V}.AsInt64(s);
                var e = {V}.ShiftRightArithmetic(bits, 52) - {V}.Create(1023L);
                var f = {V}.AsDouble((bits & {V}.Create(0x000FFFFFFFFFFFFFL)) | {V}.Create(0x3FF0000000000000L));
                var big = {V}.GreaterThan(f, {V}.Create(1.4142135623730951));
                f = {V}.ConditionalSelect(big, f * {V}.Create(0.5), f);
                e -= {V}.AsInt64(big);
                """;
        _w.Line("/// <summary>");
        if (IsFloat)
        {
            _w.Line("/// log s for 1 ≤ s &lt; 2^1023 in double lanes: s = 2^e·f with f ∈ [√½, √2), log s = e·ln 2 + 2·atanh(u),");
            _w.Line("/// u = (f − 1)/(f + 1), |u| ≤ 0.172, by its series to u^13 (relative error below 1e-13, far under float's 6e-8).");
        }
        else
        {
            _w.Line("/// log s for 1 ≤ s &lt; 2^1023: s = 2^e·f with f ∈ [√½, √2), log s = e·ln 2 + 2·atanh(u), u = (f − 1)/(f + 1), |u| ≤ 0.172.");
            _w.Line("/// u and ln 2 are carried as hi + lo pairs and the series runs to u^21 (its tail is below 2^-56 of the result),");
            _w.Line("/// so the only sizeable error is the final rounding: about 1 ulp, like Math.Log, without a call per row.");
        }

        _w.Line("/// </summary>");
        _w.Line(AggressiveInlining);
        using (_w.Block($"private static {w.V}<double> LogAtLeastOne{w.Bits}({w.V}<double> s)"))
        {
            Template(w, Split);
            Template(w, IsFloat
                ? """
                        // log f = 2u·(1 + u²/3 + … + u^12/13).
                        var u = (f - {V}<double>.One) / (f + {V}<double>.One);
                        var u2 = u * u;
                        {SERIES13}
                        p = {V}.FusedMultiplyAdd(p, u2, {V}<double>.One);
                        return {V}.FusedMultiplyAdd({V}.ConvertToDouble(e), {V}.Create(0.6931471805599453), (u + u) * p);
                        """
                : """
                        // u = uh + ul: f − 1 is exact, d + dl = f + 1 exactly, and the FMA gives the division's exact remainder.
                        var a = f - {V}<double>.One;
                        var d = f + {V}<double>.One;
                        var dl = f - (d - {V}<double>.One);
                        var uh = a / d;
                        var ul = ({V}.FusedMultiplyAdd(-uh, d, a) - (uh * dl)) / d;

                        // log f = 2u + 2u³·(1/3 + u²/5 + … + u^18/21).
                        var u2 = uh * uh;
                        {SERIES21}
                        var twoU = uh + uh;
                        var tail = twoU * u2 * p;

                        // log s = (e·ln2_hi + 2uh) + (e·ln2_lo + 2ul + tail); e·ln2_hi is exact (ln2_hi has 32 significant bits).
                        var ed = {V}.ConvertToDouble(e);
                        var hi = {V}.FusedMultiplyAdd(ed, {V}.Create(0.6931471803691238), twoU);
                        return hi + {V}.FusedMultiplyAdd(ed, {V}.Create(1.9082149292705877e-10), (ul + ul) + tail);
                        """,
                ("{SERIES13}", AtanhSeries(13)),
                ("{SERIES21}", AtanhSeries(21)));
        }

        _w.Line();
    }

    /// <summary>p = 1/3 + u²/5 + … + u^(n−3)/n by Horner's rule in u2: the atanh series' coefficients, highest first.</summary>
    private static string AtanhSeries(int n)
    {
        var lines = new System.Collections.Generic.List<string> { $"var p = {{V}}.FusedMultiplyAdd({{V}}.Create(1.0 / {n}), u2, {{V}}.Create(1.0 / {n - 2}));" };
        for (int d = n - 4; d >= 3; d -= 2)
        {
            lines.Add($"p = {{V}}.FusedMultiplyAdd(p, u2, {{V}}.Create(1.0 / {d}));");
        }

        return string.Join("\n", lines);
    }

    /// <summary>Every helper each vector width needs, written once per width.</summary>
    private void EmitSimdHelpers()
    {
        var widths = SimdWidths.Where(_ => SimdEnabled).Select(w => w.Bits)
            .Concat(PackedEnabled ? PackedWidths.Select(w => w.Bits) : [])
            .Concat(ShortRowsEnabled ? ShortRowsWidths.Select(w => w.Bits) : [])
            .Distinct()
            .OrderByDescending(b => b);
        int elementBits = IsFloat ? 32 : 64;
        foreach (int bits in widths)
        {
            var w = new SimdWidth(bits, bits / elementBits);
            bool rows = SimdEnabled && SimdWidths.Any(r => r.Bits == bits);
            if (rows)
            {
                EmitMaxAcross(w);
            }

            EmitExp(w);
            if (rows && !IsFloat)
            {
                EmitSumAcross(w);
            }

            if ((rows || ShortRowsEnabled) && _spec.Op == KernelOp.LogSoftmax)
            {
                EmitLogP(w);
            }

            if (ShortRowsEnabled && _spec.Op != KernelOp.Softmax)
            {
                EmitLogAtLeastOne(w);
            }
        }
    }
}
