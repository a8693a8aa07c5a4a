using System.Globalization;
using System.Linq;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// Batches of short rows whose K is not a power of two (K = 3, 5..7, 9..15 for float; 3, 5..7 for double): each row is
/// one vector of the narrowest width with at least K lanes, loaded whole from the batch (the lanes past K belong to
/// the next row and are masked to −∞), so a row costs one load, one exp, two lane reductions and one blended store,
/// with no per-row call. The store keeps the lanes past K as they were, so in-place batches stay correct. Rows too
/// close to the end of the batch for a full-width load, and rows with NaN or an infinite maximum, take <c>Row</c>.
/// </summary>
internal sealed partial class KernelEmitter
{
    /// <summary>The width for short rows, or null when this kernel has none.</summary>
    private SimdWidth? ShortRowsWidth
    {
        get
        {
            bool batch = !_spec.AnyLength && _spec.Form != KernelForm.ScalarResult;
            if (!SimdAvailable || !batch || _spec.K < 2 || PackedEnabled)
            {
                return null;
            }

            int elementBits = IsFloat ? 32 : 64;
            foreach (int bits in new[] { 128, 256, 512 })
            {
                int lanes = bits / elementBits;
                if (lanes >= _spec.K)
                {
                    return lanes == _spec.K ? null : new SimdWidth(bits, lanes);
                }
            }

            return null;
        }
    }

    private string? ShortRowsPathNote() => ShortRowsWidth is { } w
        ? $"Batches: one row per Vector{w.Bits} ({_spec.K} of {w.Lanes} lanes, the rest masked; blended store, no per-row call) when it is accelerated; the last rows of a batch, and narrower hardware, take the row path."
        : null;

    /// <summary>At the top of Run: the whole batch to the short-row path when its width is accelerated.</summary>
    private void EmitShortRowsDispatch()
    {
        if (ShortRowsWidth is not { } w)
        {
            return;
        }

        string output = _spec.Op == KernelOp.LogSumExp ? "results" : "y";
        _w.Comment($"K = {_spec.K} fits one {w.Bits}-bit vector: one row per vector, no per-row call (the JIT folds this check).");
        _w.Line($"if ({w.V}.IsHardwareAccelerated) {{ ShortRows{w.Bits}(x, {output}); return; }}");
        _w.Line();
    }

    private void EmitShortRows(SimdWidth w)
    {
        string k = _spec.K.ToString(CultureInfo.InvariantCulture);
        string ros = $"global::System.ReadOnlySpan<{T}>";
        string span = $"global::System.Span<{T}>";
        bool lse = _spec.Op == KernelOp.LogSumExp;
        string output = lse ? "results" : "y";
        _w.Line($"/// <summary>Rows of K = {k}, one per {w.Bits}-bit vector; rows within {w.Lanes} values of the end take <c>Row</c>.</summary>");
        using (_w.Block($"private static void ShortRows{w.Bits}({ros} x, {span} {output})"))
        {
            (string, string)[] keys = [("{K}", k), ("{OUT}", output)];
            Template(w, """
                ref {T} xr = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
                """);
            if (!lse)
            {
                Template(w, """
                    ref {T} yr = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
                    """);
            }

            Template(w, """
                var inRow = {V}.{AsT}({V}.LessThan({V}<{I}>.Indices, {V}.Create(({I}){K})));
                var negativeInfinity = {V}.Create({T}.NegativeInfinity);
                nuint n = (nuint)x.Length;
                nuint i = 0;
                for (; i + {L} <= n; i += {K})
                {
                    // The row, with the lanes past K (the next row's) set to −∞; row maximum m.
                    var v = {V}.LoadUnsafe(ref xr, i);
                    var row = {V}.ConditionalSelect(inRow, v, negativeInfinity);
                    {T} m = MaxAcross{W}(row);
                    if (!{V}.EqualsAll({V}.{AsI}({V}.Equals(row, row)), {V}<{I}>.AllBitsSet) || !{T}.IsFinite(m))
                    {
                        // NaN, or an infinite maximum: the scalar limits.
                """, keys);
            Template(w, lse
                ? """
                            {OUT}[(int)(i / {K})] = Row(x.Slice((int)i, {K}));
                    """
                : """
                            Row(x.Slice((int)i, {K}), y.Slice((int)i, {K}));
                    """, keys);
            Template(w, """
                        continue;
                    }

                    // e_j = exp(x_j − m) ∈ [0, 1] (0 in the masked lanes) and s = Σ_j e_j{SUMNOTE}.
                    var vm = {V}.Create(m);
                    var e = Exp{W}(row, vm);
                """, [.. keys, ("{SUMNOTE}", IsFloat ? " in double" : ", lanes added with TwoSum")]);
            if (IsFloat)
            {
                Template(w, """
                        var (lower, upper) = {V}.Widen(e);
                        double s = {V}.Sum(lower + upper);
                    """);
            }
            else
            {
                Template(w, """
                        double s = SumAcross{W}(e, {V}<double>.Zero, out double sLo);
                    """);
            }

            switch (_spec.Op)
            {
                case KernelOp.Softmax:
                    Template(w, IsFloat
                        ? """

                                // p_j = e_j·(1/s), 1/s as float hi + lo; the lanes past K are stored back unchanged.
                                double inv = 1.0 / s;
                                var ih = {V}.Create((float)inv);
                                var il = {V}.Create((float)(inv - (float)inv));
                            """
                        : """

                                // p_j = e_j·(1/s), 1/(s + sLo) as hi + lo (FMA residual); the lanes past K are stored back unchanged.
                                double invHi = 1.0 / s;
                                var ih = {V}.Create(invHi);
                                var il = {V}.Create((global::System.Math.FusedMultiplyAdd(-s, invHi, 1.0) - (sLo * invHi)) * invHi);
                            """);
                    Template(w, """
                            {V}.StoreUnsafe({V}.ConditionalSelect(inRow, {V}.FusedMultiplyAdd(e, ih, e * il), v), ref yr, i);
                        """);
                    break;

                case KernelOp.LogSoftmax:
                    Template(w, IsFloat
                        ? """

                                // log p_j = (x_j − m) − log s; the lanes past K are stored back unchanged.
                                var logS = {V}.Create((float)global::System.Math.Log(s));
                            """
                        : """

                                // log p_j = (x_j − m) − log s; the lanes past K are stored back unchanged.
                                var logS = {V}.Create(global::System.Math.Log(s) + (sLo / s));
                            """);
                    Template(w, """
                            {V}.StoreUnsafe({V}.ConditionalSelect(inRow, LogP{W}(v, vm, logS), v), ref yr, i);
                        """);
                    break;

                default:
                    Template(w, IsFloat
                        ? """

                                // LSE = m + log s.
                                {OUT}[(int)(i / {K})] = (float)(m + global::System.Math.Log(s));
                            """
                        : """

                                // LSE = m + log s.
                                {OUT}[(int)(i / {K})] = m + (global::System.Math.Log(s) + (sLo / s));
                            """, keys);
                    break;
            }

            Template(w, """
                }

                // Rows within a vector's width of the end.
                for (; i < n; i += {K})
                {
                """, keys);
            Template(w, lse
                ? """
                        {OUT}[(int)(i / {K})] = Row(x.Slice((int)i, {K}));
                    """
                : """
                        Row(x.Slice((int)i, {K}), y.Slice((int)i, {K}));
                    """, keys);
            _w.Line("}");
        }

        _w.Line();
    }

    /// <summary>Every helper each vector width needs, written once per width.</summary>
    private void EmitSimdHelpers()
    {
        var widths = SimdWidths.Where(_ => SimdEnabled).Select(w => w.Bits)
            .Concat(PackedEnabled ? PackedWidths.Select(w => w.Bits) : [])
            .Concat(ShortRowsWidth is { } s ? [s.Bits] : [])
            .Distinct()
            .OrderByDescending(b => b);
        int elementBits = IsFloat ? 32 : 64;
        foreach (int bits in widths)
        {
            var w = new SimdWidth(bits, bits / elementBits);
            bool rows = (SimdEnabled && SimdWidths.Any(r => r.Bits == bits)) || ShortRowsWidth?.Bits == bits;
            if (rows)
            {
                EmitMaxAcross(w);
            }

            EmitExp(w);
            if (rows && !IsFloat)
            {
                EmitSumAcross(w);
            }

            if (rows && _spec.Op == KernelOp.LogSoftmax)
            {
                EmitLogP(w);
            }
        }
    }
}
