using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// SIMD rows for softmax, log-softmax and log-sum-exp: one method per vector width (Vector512, Vector256, Vector128)
/// whose lane count fits in the row, chosen at the top of the scalar row by <c>IsHardwareAccelerated</c> checks that
/// the JIT folds, so exactly one path survives. Every path keeps the scalar path's accuracy: the rounding error of
/// x − m is carried into exp (TwoSum; on AVX-512 an exact VREDUCE split), float sums are accumulated in double, double sums with TwoSum per lane, and
/// 1/s is applied as a hi + lo pair so Σp has no bias. Rows with NaN or an infinite maximum go to the scalar
/// <c>SpecialRow</c>, so the edge cases are the same on every path.
/// </summary>
internal sealed partial class KernelEmitter
{
    /// <summary>One vector width: its static class, bit count and lane count for the kernel's element type.</summary>
    private readonly struct SimdWidth
    {
        public SimdWidth(int bits, int lanes)
        {
            Bits = bits;
            Lanes = lanes;
        }

        public int Bits { get; }

        public int Lanes { get; }

        public string V => "global::System.Runtime.Intrinsics.Vector" + Bits.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>SIMD rows are written for the forward operations without a temperature, when the target has the .NET 9 vector API.</summary>
    private bool SimdEnabled => SimdAvailable && SimdWidths.Count > 0;

    /// <summary>The target has the vector API, and the operation has vector code (forward operations without a temperature).</summary>
    private bool SimdAvailable =>
        _facts.CanEmitSimd &&
        _spec.Op is KernelOp.Softmax or KernelOp.LogSoftmax or KernelOp.LogSumExp &&
        !HasTemperature;

    /// <summary>The widths whose lane count is at most K (any width for rows of any length, checked at run time), widest first.</summary>
    private List<SimdWidth> SimdWidths
    {
        get
        {
            int elementBits = IsFloat ? 32 : 64;
            return new[] { 512, 256, 128 }
                .Select(bits => new SimdWidth(bits, bits / elementBits))
                .Where(w => _spec.AnyLength || w.Lanes <= _spec.K)
                .ToList();
        }
    }

    /// <summary>The remarks line naming the vector widths this kernel may take, or null when it is scalar only.</summary>
    private string? SimdPathNote()
    {
        if (!SimdEnabled && !PackedEnabled && !ShortRowsEnabled)
        {
            return null;
        }

        string rows = SimdEnabled
            ? "Rows: " + string.Join(", else ", SimdWidths.Select(w => $"Vector{w.Bits} ({w.Lanes} lanes" + (_spec.AnyLength ? $", rows of at least {w.Lanes}" : string.Empty) + ")")) + " when the hardware accelerates it, else scalar."
            : "Rows: scalar.";
        string math = IsFloat
            ? "exp is inlined for arguments ≤ 0 (degree-7 polynomial, 2^n from exponent bits or one VSCALEF, exact 0 below −104) with the rounding error of x − m carried in (TwoSum, or on AVX-512 an exact VREDUCE split of x on a 2^-15 grid); sums in double; 1/s applied as float hi + lo"
            : "exp is inlined for arguments ≤ 0 (degree-13 polynomial, 2^n from exponent bits or one VSCALEF, exact 0 below −746) with the rounding error of x − m carried in (TwoSum, or on AVX-512 an exact VREDUCE split of x on a 2^-15 grid); TwoSum-compensated sums; 1/s applied as hi + lo";
        string tail = SimdEnabled ? "; the last vector of a row overlaps the one before it (no scalar tail)" : string.Empty;
        string batches = string.Concat(new[] { PackedPathNote(), ShortRowsPathNote() }.Where(n => n is not null).Select(n => n + " "));
        return $"Code path: {batches}{rows} Vector math: {math}{tail}; rows with NaN or ±∞ maxima take the scalar special-row code.";
    }

    /// <summary>At the top of the scalar row: hand the row to the widest accelerated vector path.</summary>
    private void EmitSimdDispatch()
    {
        if (!SimdEnabled)
        {
            return;
        }

        _w.Comment("Widest accelerated vector path first; the JIT folds these checks, so one path remains.");
        string args = _spec.Op == KernelOp.LogSumExp ? "x" : "x, y";
        foreach (SimdWidth w in SimdWidths)
        {
            string length = _spec.AnyLength ? $" && x.Length >= {w.Lanes}" : string.Empty;
            string call = _spec.Op == KernelOp.LogSumExp ? $"return Row{w.Bits}({args});" : $"Row{w.Bits}({args}); return;";
            _w.Line($"if ({w.V}.IsHardwareAccelerated{length}) {{ {call} }}");
        }

        _w.Line();
    }

    /// <summary>The vector rows, packed and short-row batches, and their helpers, after the scalar row.</summary>
    private void EmitSimdRows()
    {
        if (!SimdEnabled && !PackedEnabled && !ShortRowsEnabled)
        {
            return;
        }

        if (!IsFloat)
        {
            _w.Line();
        }

        EmitPackedRows();
        if (ShortRowsEnabled)
        {
            foreach (SimdWidth w in ShortRowsWidths)
            {
                EmitShortRows(w);
            }
        }

        if (SimdEnabled)
        {
            foreach (SimdWidth w in SimdWidths)
            {
                EmitSimdRow(w);
            }
        }

        EmitSimdHelpers();
    }

    /// <summary>Writes <paramref name="template"/> line by line at the current indentation, with the width's names substituted.</summary>
    private void Template(SimdWidth w, string template, params (string Key, string Value)[] extra)
    {
        string text = template;
        foreach (var (key, value) in extra)
        {
            text = text.Replace(key, value);
        }

        text = text
            .Replace("{V}", w.V)
            .Replace("{W}", w.Bits.ToString(CultureInfo.InvariantCulture))
            .Replace("{L}", w.Lanes.ToString(CultureInfo.InvariantCulture))
            .Replace("{T}", T)
            .Replace("{I}", IsFloat ? "int" : "long")
            .Replace("{AsI}", IsFloat ? "AsInt32" : "AsInt64")
            .Replace("{AsT}", IsFloat ? "AsSingle" : "AsDouble")
            .Replace("{N}", _spec.AnyLength ? "x.Length" : _spec.K.ToString(CultureInfo.InvariantCulture));
        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.Trim() != Drop)
            {
                _w.Line(line.TrimEnd());
            }
        }
    }

    /// <summary>A template line that is left out.</summary>
    private const string Drop = "{DROP}";

    /// <summary>
    /// Marks a method with a hot loop for full optimisation at its first call (targets with System.Runtime.Intrinsics,
    /// i.e. .NET Core 3.0+): the kernels gain nothing from tiered PGO, and without it their speed no longer depends on
    /// when the runtime happened to profile them (BenchmarkDotNet runs of the same kernel differed by up to 2.4×).
    /// </summary>
    private void EmitHotAttribute()
    {
        if (_facts.HasVector128)
        {
            _w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        }
    }

    private const string AggressiveInlining = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";

    private void EmitSimdRow(SimdWidth w)
    {
        string ros = $"global::System.ReadOnlySpan<{T}>";
        string span = $"global::System.Span<{T}>";
        bool hasY = _spec.Op != KernelOp.LogSumExp;
        string what = _spec.Op switch
        {
            KernelOp.Softmax => "Softmax",
            KernelOp.LogSoftmax => "Log-softmax",
            _ => "Log-sum-exp",
        };

        // The lanes of the last (overlapping) vector that the main loop has not already counted.
        int overlap = _spec.AnyLength ? -1 : (w.Lanes - (_spec.K % w.Lanes)) % w.Lanes;
        string freshMask = overlap == 0
            ? string.Empty
            : overlap > 0
                ? $"{w.V}.{{AsT}}({w.V}.GreaterThanOrEqual({w.V}<{{I}}>.Indices, {w.V}.Create(({{I}}){overlap})))"
                : $"{w.V}.{{AsT}}({w.V}.GreaterThanOrEqual({w.V}<{{I}}>.Indices, {w.V}.Create(({{I}})(({w.Lanes} - (x.Length % {w.Lanes})) % {w.Lanes}))))";

        _w.Line($"/// <summary>{what} of one row on {w.Bits}-bit vectors of {w.Lanes} lanes; the last vector overlaps the one before it, so there is no scalar tail.</summary>");
        string header = hasY
            ? $"private static void Row{w.Bits}({ros} x, {span} y)"
            : $"private static {T} Row{w.Bits}({ros} x)";
        EmitHotAttribute();
        using (_w.Block(header))
        {
            Template(w, """
                ref {T} xr = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
                """);
            if (hasY)
            {
                Template(w, """
                    ref {T} yr = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
                    """);
            }

            Template(w, """
                nuint last = (nuint)({N} - {L});

                // Row maximum m, two vectors at a time (the last vector first: it is read before any store, so in-place rows keep x).
                // Σx is NaN only if some x is NaN or +∞ and −∞ (or overflows of both signs) meet; only then are the values searched for a NaN.
                var tail = {V}.LoadUnsafe(ref xr, last);
                var mv = tail;
                var mw = tail;
                var check = tail;
                nuint i = 0;
                for (; i + {L} < last; i += 2 * {L})
                {
                    var a = {V}.LoadUnsafe(ref xr, i);
                    var b = {V}.LoadUnsafe(ref xr, i + {L});
                    mv = {V}.MaxNative(mv, a);
                    mw = {V}.MaxNative(mw, b);
                    check += a + b;
                }

                if (i < last)
                {
                    var a = {V}.LoadUnsafe(ref xr, i);
                    mv = {V}.MaxNative(mv, a);
                    check += a;
                }

                {T} m = MaxAcross{W}({V}.MaxNative(mv, mw));
                bool hasNaN = false;
                if (!{V}.EqualsAll(check, check))
                {
                    for (int j = 0; j < x.Length; j++) hasNaN |= {T}.IsNaN(x[j]);
                }
                """);
            if (hasY)
            {
                Template(w, """
                    if (hasNaN || !{T}.IsFinite(m))
                    {
                        SpecialRow(x, y, m, hasNaN);
                        return;
                    }

                    """);
            }
            else
            {
                Template(w, """
                    // NaN gives NaN; ±∞ as the maximum is the limit itself (all −∞ gives −∞).
                    if (hasNaN) return {T}.NaN;
                    if (!{T}.IsFinite(m)) return m;

                    """);
            }

            bool store = _spec.Op == KernelOp.Softmax;
            string storeLine = store ? "{V}.StoreUnsafe(e, ref yr, i);" : Drop;
            string tailMasked = freshMask.Length == 0 ? "et" : $"(et & {freshMask})";
            if (IsFloat)
            {
                Template(w, """
                    // Shifted exponentials e_j = exp(x_j − m) ∈ [0, 1]{STORED} and s = Σ_j e_j, accumulated in double (exact for each term).
                    var vm = {V}.Create(m);
                    var s0 = {V}<double>.Zero;
                    var s1 = {V}<double>.Zero;
                    for (i = 0; i + {L} < last; i += 2 * {L})
                    {
                        var e = Exp{W}({V}.LoadUnsafe(ref xr, i), vm);
                        var f = Exp{W}({V}.LoadUnsafe(ref xr, i + {L}), vm);
                        {STORE}
                        {STOREF}
                        var (lower, upper) = {V}.Widen(e);
                        var (lowerF, upperF) = {V}.Widen(f);
                        s0 += lower + lowerF;
                        s1 += upper + upperF;
                    }

                    if (i < last)
                    {
                        var e = Exp{W}({V}.LoadUnsafe(ref xr, i), vm);
                        {STORE}
                        var (lower, upper) = {V}.Widen(e);
                        s0 += lower;
                        s1 += upper;
                    }

                    // The last vector: only the lanes the loop did not cover count towards s.
                    var et = Exp{W}(tail, vm);
                    var (tailLower, tailUpper) = {V}.Widen({TAILMASKED});
                    s0 += tailLower;
                    s1 += tailUpper;
                    double s = {V}.Sum(s0 + s1);
                    """, ("{STORED}", store ? ", stored in y," : string.Empty), ("{STORE}", storeLine), ("{STOREF}", store ? "{V}.StoreUnsafe(f, ref yr, i + {L});" : Drop), ("{TAILMASKED}", tailMasked));
            }
            else
            {
                Template(w, """
                    // Shifted exponentials e_j = exp(x_j − m) ∈ [0, 1]{STORED} and s = Σ_j e_j, each lane compensated by TwoSum (c holds the lost low parts).
                    var vm = {V}.Create(m);
                    var s = {V}<double>.Zero;
                    var c = {V}<double>.Zero;
                    for (i = 0; i < last; i += {L})
                    {
                        var e = Exp{W}({V}.LoadUnsafe(ref xr, i), vm);
                        {STORE}
                        var sum = s + e;
                        var bv = sum - s;
                        c += (s - (sum - bv)) + (e - bv);
                        s = sum;
                    }

                    // The last vector: only the lanes the loop did not cover count towards s.
                    var et = Exp{W}(tail, vm);
                    var en = {TAILMASKED};
                    var tailSum = s + en;
                    var tailBv = tailSum - s;
                    c += (s - (tailSum - tailBv)) + (en - tailBv);
                    double sHi = SumAcross{W}(tailSum, c, out double sLo);
                    """, ("{STORED}", store ? ", stored in y," : string.Empty), ("{STORE}", storeLine), ("{TAILMASKED}", tailMasked));
            }

            switch (_spec.Op)
            {
                case KernelOp.Softmax:
                    Template(w, "{V}.StoreUnsafe(et, ref yr, last);");
                    _w.Line();
                    if (IsFloat)
                    {
                        Template(w, """
                            // Normalise: p_j = e_j·(1/s), with 1/s as float hi + lo, so rounding 1/s to float adds no bias to Σ_j p_j.
                            double inv = 1.0 / s;
                            var ih = {V}.Create((float)inv);
                            var il = {V}.Create((float)(inv - (float)inv));
                            """);
                    }
                    else
                    {
                        Template(w, """
                            // Normalise: p_j = e_j·(1/s) with 1/(s_hi + s_lo) as hi + lo (FMA residual), so Σ_j p_j stays within an ulp or two of 1.
                            double invHi = 1.0 / sHi;
                            double invLo = (global::System.Math.FusedMultiplyAdd(-sHi, invHi, 1.0) - (sLo * invHi)) * invHi;
                            var ih = {V}.Create(invHi);
                            var il = {V}.Create(invLo);
                            """);
                    }

                    Template(w, """
                        var yt = {V}.LoadUnsafe(ref yr, last);
                        for (i = 0; i < last; i += {L})
                        {
                            var e = {V}.LoadUnsafe(ref yr, i);
                            {V}.StoreUnsafe({V}.FusedMultiplyAdd(e, ih, e * il), ref yr, i);
                        }

                        {V}.StoreUnsafe({V}.FusedMultiplyAdd(yt, ih, yt * il), ref yr, last);
                        """);
                    break;

                case KernelOp.LogSoftmax:
                    _w.Line();
                    Template(w, IsFloat
                        ? """
                            // log p_j = (x_j − m) − log s, s ≥ 1.
                            var logS = {V}.Create((float)global::System.Math.Log(s));
                            """
                        : """
                            // log p_j = (x_j − m) − log s, s = s_hi + s_lo ≥ 1.
                            var logS = {V}.Create(global::System.Math.Log(sHi) + (sLo / sHi));
                            """);
                    Template(w, """
                        for (i = 0; i < last; i += {L})
                        {
                            {V}.StoreUnsafe(LogP{W}({V}.LoadUnsafe(ref xr, i), vm, logS), ref yr, i);
                        }

                        {V}.StoreUnsafe(LogP{W}(tail, vm, logS), ref yr, last);
                        """);
                    break;

                default:
                    _w.Line();
                    _w.Comment("LSE = m + log s, s ≥ 1.");
                    _w.Line(IsFloat
                        ? "return (float)(m + global::System.Math.Log(s));"
                        : "return m + (global::System.Math.Log(sHi) + (sLo / sHi));");
                    break;
            }
        }

        _w.Line();
    }

    /// <summary>max over the lanes, halving the width each step.</summary>
    private void EmitMaxAcross(SimdWidth w)
    {
        _w.Line($"/// <summary>The largest lane of a {w.Bits}-bit vector (no NaN lanes).</summary>");
        _w.Line(AggressiveInlining);
        using (_w.Block($"private static {T} MaxAcross{w.Bits}({w.V}<{T}> v)"))
        {
            const string V256 = "global::System.Runtime.Intrinsics.Vector256";
            const string V128 = "global::System.Runtime.Intrinsics.Vector128";
            string q = "v";
            if (w.Bits == 512)
            {
                _w.Line($"var h = {V256}.MaxNative({w.V}.GetLower(v), {w.V}.GetUpper(v));");
                _w.Line($"var q = {V128}.MaxNative({V256}.GetLower(h), {V256}.GetUpper(h));");
                q = "q";
            }
            else if (w.Bits == 256)
            {
                _w.Line($"var q = {V128}.MaxNative({w.V}.GetLower(v), {w.V}.GetUpper(v));");
                q = "q";
            }
            else
            {
                _w.Line("var q = v;");
                q = "q";
            }

            if (IsFloat)
            {
                _w.Line($"{q} = {V128}.MaxNative({q}, {V128}.Shuffle({q}, {V128}.Create(2, 3, 0, 1)));");
                _w.Line($"{q} = {V128}.MaxNative({q}, {V128}.Shuffle({q}, {V128}.Create(1, 0, 3, 2)));");
            }
            else
            {
                _w.Line($"{q} = {V128}.MaxNative({q}, {V128}.Shuffle({q}, {V128}.Create(1L, 0L)));");
            }

            _w.Line($"return {V128}.ToScalar({q});");
        }

        _w.Line();
    }

    /// <summary>Σ of the lanes of s and c as hi + lo, adding the lanes with TwoSum so the compensation survives.</summary>
    private void EmitSumAcross(SimdWidth w)
    {
        _w.Line($"/// <summary>Σ of the lanes of s plus Σ of the lanes of c (their lost low parts), as hi + lo; lanes are added with TwoSum.</summary>");
        Template(w, """
            private static double SumAcross{W}({V}<double> s, {V}<double> c, out double lo)
            {
                double hi = 0;
                double err = {V}.Sum(c);
                for (int j = 0; j < {L}; j++)
                {
                    double a = {V}.GetElement(s, j);
                    double t = hi + a;
                    double bv = t - hi;
                    err += (hi - (t - bv)) + (a - bv);
                    hi = t;
                }

                double r = hi + err;
                lo = err - (r - hi);
                return r;
            }

            """);
    }

    /// <summary>log p = (x − m) − log s with the rounding error of x − m added back.</summary>
    private void EmitLogP(SimdWidth w)
    {
        _w.Line($"/// <summary>(x − m) − log s, with the rounding error of x − m (TwoSum) added back; x = −∞ gives −∞.</summary>");
        _w.Line(AggressiveInlining);
        Template(w, """
            private static {V}<{T}> LogP{W}({V}<{T}> x, {V}<{T}> m, {V}<{T}> logS)
            {
                var z = x - m;
                var bv = z - x;
                var lo = (x - (z - bv)) - (m + bv);
                lo &= {V}.Equals(lo, lo);
                return (z - logS) + lo;
            }

            """);
    }

    /// <summary>exp(x − m) for x ≤ m, inlined and specialised for arguments ≤ 0, and the polynomial it shares.</summary>
    private void EmitExp(SimdWidth w)
    {
        bool f = IsFloat;
        string shifter = f ? "12582912f" : "6755399441055744.0";
        string log2e = f ? "1.44269504f" : "1.4426950408889634";
        string ln2Hi = f ? "-0.693359375f" : "-6.93147180369123816490e-01";
        string ln2Lo = f ? "2.12194440e-4f" : "-1.90821492927058770002e-10";
        string floor = f ? "-104f" : "-746.0";

        // On AVX-512 hardware (x64 with AVX-512F/DQ, the only place Vector512 is accelerated) the carry of x − m costs
        // a VREDUCE instead of a TwoSum, the clamp replaces the keep mask, and one VSCALEF builds 2^n.
        string lean = w.Bits == 512 && _facts.HasAvx512F
            ? $$"""
                if (global::System.Runtime.Intrinsics.X86.Avx512DQ.IsSupported)
                {
                    // x = xh + xl with xh on the 2^-15 grid (VREDUCE gives xl exactly, and 0 for ±∞); c = m rounded up to the
                    // grid, so z = xh − c is exact wherever exp(z) is not 0, and xl + (c − m) carries the rest into r.
                    var xl = global::System.Runtime.Intrinsics.X86.Avx512DQ.Reduce(x, 0xF8);
                    var c = global::System.Runtime.Intrinsics.X86.Avx512F.RoundScale(m, 0xFA);
                    var zq = {V}.MaxNative((x - xl) - c, {V}.Create({{floor}}));
                    var tq = {V}.FusedMultiplyAdd(zq, {V}.Create({{log2e}}), {V}.Create({{shifter}}));
                    var nq = tq - {V}.Create({{shifter}});
                    var rq = {V}.FusedMultiplyAdd(nq, {V}.Create({{ln2Hi}}), zq);
                    rq = {V}.FusedMultiplyAdd(nq, {V}.Create({{ln2Lo}}), rq) + (xl + (c - m));

                    // p·2^n in one VSCALEF, which rounds a denormal result once and gives 0 below the clamp.
                    return global::System.Runtime.Intrinsics.X86.Avx512F.Scale(ExpPoly{W}(rq), nq);
                }

                """
            : Drop;
        string scale = w.Bits == 512 && _facts.HasAvx512F
            ? """
                if (global::System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
                {
                    // p·2^n in one VSCALEF instruction, which rounds a denormal result once.
                    return global::System.Runtime.Intrinsics.X86.Avx512F.Scale(p, n) & keep;
                }

                """
            : Drop;

        _w.Line("/// <summary>");
        _w.Line("/// exp(x − m) for x ≤ m: z = x − m with its rounding error lo (TwoSum); n = round(z·log2 e); r = z − n·ln2 + lo;");
        _w.Line(f
            ? "/// e^r by its degree-7 Taylor polynomial (truncation below 2^-27); 2^n built from exponent bits as two normal"
            : "/// e^r by its degree-13 Taylor polynomial (truncation below 2^-57); 2^n built from exponent bits as two normal");
        _w.Line(f
            ? "/// factors, so results below 2^-126 round once to the right denormal; z ≤ −104 (and x = −∞) gives exactly 0."
            : "/// factors, so results below 2^-1022 round once to the right denormal; z ≤ −746 (and x = −∞) gives exactly 0.");
        if (lean != Drop)
        {
            _w.Line("/// On AVX-512 the TwoSum gives way to an exact split of x on a 2^-15 grid (VREDUCE) and 2^n to one VSCALEF.");
        }

        _w.Line("/// </summary>");
        _w.Line(AggressiveInlining);
        Template(w, $$"""
            private static {V}<{T}> Exp{W}({V}<{T}> x, {V}<{T}> m)
            {
                {LEAN}
                // z = x − m and its rounding error lo, so the result is exp of the exact difference.
                var z = x - m;
                var bv = z - x;
                var lo = (x - (z - bv)) - (m + bv);

                // exp(z) rounds to 0 below z = {{floor.TrimEnd('f').Replace("-", "−")}}: those lanes compute exp(0) and are zeroed at the end (no underflow, no NaN from x = −∞).
                var keep = {V}.GreaterThan(z, {V}.Create({{floor}}));
                lo &= keep;
                z &= keep;

                // n = round(z·log2 e) by the 1.5·2^{{(f ? "23" : "52")}} shifter; r = z − n·ln2 with ln2 in two parts, plus lo: |r| ≤ ln2/2.
                var t = {V}.FusedMultiplyAdd(z, {V}.Create({{log2e}}), {V}.Create({{shifter}}));
                var n = t - {V}.Create({{shifter}});
                var r = {V}.FusedMultiplyAdd(n, {V}.Create({{ln2Hi}}), z);
                r = {V}.FusedMultiplyAdd(n, {V}.Create({{ln2Lo}}), r) + lo;
                var p = ExpPoly{W}(r);

                {SCALE}
                // 2^n = 2^(n>>1)·2^(n−(n>>1)) from exponent bits (n ≥ {{(f ? "−150" : "−1077")}}, so both factors are normal).
                var ni = {V}.{AsI}(t) - {V}.Create({{(f ? "0x4B400000" : "0x4338000000000000L")}});
                var n1 = {V}.ShiftRightArithmetic(ni, 1);
                var scale1 = {V}.{AsT}({V}.ShiftLeft(n1 + {V}.Create({{(f ? "127" : "1023L")}}), {{(f ? "23" : "52")}}));
                var scale2 = {V}.{AsT}({V}.ShiftLeft((ni - n1) + {V}.Create({{(f ? "127" : "1023L")}}), {{(f ? "23" : "52")}}));
                return ((p * scale1) * scale2) & keep;
            }

            """, ("{LEAN}", lean.Replace("\n", "\n    ")), ("{SCALE}", scale.Replace("\n", "\n    ")));

        int degree = f ? 7 : 13;
        _w.Line($"/// <summary>e^r for |r| ≤ ln2/2 (plus a carry): Σ_{{k≤{degree}}} r^k / k!, Horner.</summary>");
        _w.Line(AggressiveInlining);
        using (_w.Block($"private static {w.V}<{T}> ExpPoly{w.Bits}({w.V}<{T}> r)"))
        {
            string Inv(long factorial) => f ? $"1f / {factorial}" : $"1.0 / {factorial}";
            long Fact(int k) => k <= 1 ? 1 : k * Fact(k - 1);
            _w.Line($"var p = {w.V}.FusedMultiplyAdd({w.V}.Create({Inv(Fact(degree))}), r, {w.V}.Create({Inv(Fact(degree - 1))}));");
            for (int k = degree - 2; k >= 2; k--)
            {
                _w.Line($"p = {w.V}.FusedMultiplyAdd(p, r, {w.V}.Create({(k == 2 ? (f ? "0.5f" : "0.5") : Inv(Fact(k)))}));");
            }

            _w.Line($"p = {w.V}.FusedMultiplyAdd(p, r, {w.V}<{T}>.One);");
            _w.Line($"return {w.V}.FusedMultiplyAdd(p, r, {w.V}<{T}>.One);");
        }

        _w.Line();
    }
}
