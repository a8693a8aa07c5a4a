using System.Globalization;
using SoftmaxGen.Generation.Model;
using SoftmaxGen.Generation.Plan;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The vector math every SIMD kernel shares, written once per compilation as <c>SoftmaxGen.Generated.VectorMath</c>
/// from the target facts alone (so it stays cached while kernels are edited): for float and double and each width,
/// exp(x − m) for x ≤ m and its polynomial, the largest lane, the compensated sum of lanes, log p = (x − m) − log s,
/// and the lane-wise log s for s ≥ 1. Every method is <c>AggressiveInlining</c>, so the kernels' hot loops compile to
/// the same instructions as when each kernel carried its own copy. Overloads by vector type replace the width suffixes.
/// </summary>
internal sealed class VectorMathEmitter
{
    public const string ClassName = "VectorMath";

    private const string Drop = KernelEmitter.Drop;

    private const string AggressiveInlining = KernelEmitter.AggressiveInlining;

    private readonly TargetFacts _facts;
    private readonly CodeWriter _w;

    private VectorMathEmitter(CodeWriter writer, TargetFacts facts)
    {
        _w = writer;
        _facts = facts;
    }

    /// <summary>The element type of the helpers being written.</summary>
    private bool IsFloat { get; set; }

    private string T => IsFloat ? "float" : "double";

    /// <summary>Writes the VectorMath class (the caller has opened the namespace and its using directives).</summary>
    public static void Emit(CodeWriter writer, TargetFacts facts)
    {
        var emitter = new VectorMathEmitter(writer, facts);
        writer.Line("/// <summary>The vector math of the SoftmaxGen kernels of this compilation (exp, log, reductions across lanes).</summary>");
        KernelEmitter.EmitGeneratedCode(writer);
        writer.Line("[global::Microsoft.CodeAnalysis.Embedded]");
        writer.Line("[EditorBrowsable(EditorBrowsableState.Never)]");
        using (writer.Block("internal static class " + ClassName))
        {
            foreach (bool isFloat in new[] { true, false })
            {
                emitter.IsFloat = isFloat;
                foreach (int bits in new[] { 512, 256, 128 })
                {
                    emitter.EmitWidth(new VectorWidth(bits, bits / (isFloat ? 32 : 64)));
                }
            }
        }
    }

    /// <summary>Every helper of one element type and width.</summary>
    private void EmitWidth(VectorWidth w)
    {
        EmitMaxAcross(w);
        EmitExp(w, scaled: false);
        EmitExp(w, scaled: true);
        if (!IsFloat)
        {
            EmitSumAcross(w);
        }

        EmitLogP(w);
        EmitLogAtLeastOne(w);
        EmitMultiplyHiLo(w);
    }

    /// <summary>e·(hi + lo) without a subnormal e·lo, for the normalisations by 1/s as hi + lo.</summary>
    private void EmitMultiplyHiLo(VectorWidth w)
    {
        // float: a small e (below 2⁻⁶⁴) is scaled by 2⁶⁴ first and the result back by 2⁻⁶⁴ (both exact), so e·lo stays normal
        // for every normal e once a lo below 2⁻⁶⁰ (under 2⁻⁴⁴ of hi, negligible) is dropped; double likewise with 2⁵⁰⁰ and 2⁻⁴⁶⁰.
        string small = IsFloat ? "5.421011e-20f" : "3.054936363499605e-151";
        string up = IsFloat ? "1.8446744e19f" : "3.273390607896142e150";
        string loMin = IsFloat ? "8.6736174e-19f" : "3.3589380537835444e-139";
        _w.Line("/// <summary>");
        _w.Line("/// e·(hi + lo) as FMA(e, hi, e·lo) for e ≥ 0, with e·lo kept out of the subnormal range, where x86 takes a slow microcode");
        _w.Line("/// assist (measured: rows 10× slower): a small e is scaled up first and the result back (exact powers of two), and a lo");
        _w.Line("/// below 2⁻⁴⁴ of hi is dropped. Only a result that is itself subnormal still takes the assist.");
        _w.Line("/// </summary>");
        _w.Line(AggressiveInlining);
        Template(w, $$"""
            internal static {V}<{T}> MultiplyHiLo({V}<{T}> e, {V}<{T}> hi, {V}<{T}> lo)
            {
                var isSmall = {V}.LessThan(e, {V}.Create({{small}}));
                var scaled = {V}.ConditionalSelect(isSmall, e * {V}.Create({{up}}), e);
                lo &= {V}.GreaterThan({V}.Abs(lo), {V}.Create({{loMin}}));
                var p = {V}.FusedMultiplyAdd(scaled, hi, scaled * lo);
                return {V}.ConditionalSelect(isSmall, p * {V}.Create({{small}}), p);
            }

            """);
    }

    private void Template(VectorWidth w, string template, params (string Key, string Value)[] extra) =>
        KernelEmitter.Template(_w, w, string.Empty, template, extra);

    /// <summary>max over the lanes, halving the width each step.</summary>
    private void EmitMaxAcross(VectorWidth w)
    {
        _w.Line($"/// <summary>The largest lane of a {w.Bits}-bit vector (no NaN lanes).</summary>");
        _w.Line(AggressiveInlining);
        using (_w.Block($"internal static {T} MaxAcross({w.V}<{T}> v)"))
        {
            const string V256 = "Vector256";
            const string V128 = "Vector128";
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
    private void EmitSumAcross(VectorWidth w)
    {
        _w.Line($"/// <summary>Σ of the lanes of s plus Σ of the lanes of c (their lost low parts), as hi + lo; lanes are added with TwoSum.</summary>");
        Template(w, """
            internal static double SumAcross({V}<double> s, {V}<double> c, out double lo)
            {
                double hi = 0;
                double err = {V}.Sum(c);
                for (int j = 0; j < {L}; j++)
                {
                    double a = {V}.GetElement(s, j);
                    {TWOSUM}
                    hi = t;
                }

                double r = hi + err;
                lo = err - (r - hi);
                return r;
            }

            """, ("{TWOSUM}", TwoSum.Accumulate("double ", "hi", "a", "t", "bv", "err")));
    }

    /// <summary>log p = (x − m) − log s with the rounding error of x − m added back.</summary>
    private void EmitLogP(VectorWidth w)
    {
        _w.Line($"/// <summary>(x − m) − log s, with the rounding error of x − m (TwoSum) added back; x = −∞ gives −∞.</summary>");
        _w.Line(AggressiveInlining);
        Template(w, """
            internal static {V}<{T}> LogP({V}<{T}> x, {V}<{T}> m, {V}<{T}> logS)
            {
                {TWODIFF}
                lo &= {V}.Equals(lo, lo);
                return (z - logS) + lo;
            }

            """, ("{TWODIFF}", TwoSum.Difference("var ", "x", "m", "z", "bv", "lo")));
    }

    /// <summary>
    /// exp(x − m) for x ≤ m, inlined and specialised for arguments ≤ 0, and the polynomial it shares; with <paramref name="scaled"/>
    /// the tempered exp((x − m)·(sh + sl)), sh + sl = 1/T as a hi + lo pair, whose product's rounding is carried in too.
    /// </summary>
    private void EmitExp(VectorWidth w, bool scaled)
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
                if (Avx512DQ.IsSupported)
                {
                    // x = xh + xl with xh on the 2^-15 grid (VREDUCE gives xl exactly, and 0 for ±∞); c = m rounded up to the
                    // grid, so z = xh − c is exact wherever exp(z) is not 0, and xl + (c − m) carries the rest into r.
                    var xl = Avx512DQ.Reduce(x, 0xF8);
                    var c = Avx512F.RoundScale(m, 0xFA);
                    var zx = (x - xl) - c;
                    var carry = xl + (c - m);
                    {LEANSCALE}
                    var zq = {V}.MaxNative(zx, {V}.Create({{floor}}));
                    var tq = {V}.FusedMultiplyAdd(zq, {V}.Create({{log2e}}), {V}.Create({{shifter}}));
                    var nq = tq - {V}.Create({{shifter}});
                    var rq = {V}.FusedMultiplyAdd(nq, {V}.Create({{ln2Hi}}), zq);
                    rq = {V}.FusedMultiplyAdd(nq, {V}.Create({{ln2Lo}}), rq) + carry;

                    // p·2^n in one VSCALEF, which rounds a denormal result once. Lanes below the clamp (−∞ among them) scale 0, not
                    // p: an underflowing VSCALEF takes a microcode assist on x86 (measured: 10× slower rows with −∞ entries).
                    return Avx512F.Scale(ExpPoly(rq) & {V}.GreaterThan(zx, {V}.Create({{floor}})), nq);
                }

                """
            : Drop;
        lean = lean == Drop ? lean : lean.Replace("{LEANSCALE}", scaled ? Scaling("zx", "carry").Replace("\n", "\n    ") : Drop);
        string scale = w.Bits == 512 && _facts.HasAvx512F
            ? """
                if (Avx512F.IsSupported)
                {
                    // p·2^n in one VSCALEF instruction, which rounds a denormal result once.
                    return Avx512F.Scale(p, n) & keep;
                }

                """
            : Drop;

        _w.Line("/// <summary>");
        if (scaled)
        {
            _w.Line("/// exp((x − m)·(sh + sl)) for x ≤ m and sh + sl = 1/T > 0 (a temperature as hi + lo): Exp(x, m) with z = x − m scaled");
            _w.Line("/// first, the rounding errors of x − m and of z·sh (an FMA residual) and z·sl carried into r as lo, so T adds no ulps.");
        }

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
            internal static {V}<{T}> Exp({SCALEPARAMS}{V}<{T}> x, {V}<{T}> m)
            {
                {LEAN}
                // z = x − m and its rounding error lo, so the result is exp of the exact difference.
                {TWODIFF}
                {SCALE1}

                // exp(z) rounds to 0 below z = {{floor.TrimEnd('f').Replace("-", "−")}}: those lanes compute exp(0) and are zeroed at the end (no underflow, no NaN from x = −∞).
                var keep = {V}.GreaterThan(z, {V}.Create({{floor}}));
                lo &= keep;
                z &= keep;

                // n = round(z·log2 e) by the 1.5·2^{{(f ? "23" : "52")}} shifter; r = z − n·ln2 with ln2 in two parts, plus lo: |r| ≤ ln2/2.
                var t = {V}.FusedMultiplyAdd(z, {V}.Create({{log2e}}), {V}.Create({{shifter}}));
                var n = t - {V}.Create({{shifter}});
                var r = {V}.FusedMultiplyAdd(n, {V}.Create({{ln2Hi}}), z);
                r = {V}.FusedMultiplyAdd(n, {V}.Create({{ln2Lo}}), r) + lo;
                var p = ExpPoly(r);

                {SCALE}
                // 2^n = 2^(n>>1)·2^(n−(n>>1)) from exponent bits (n ≥ {{(f ? "−150" : "−1077")}}, so both factors are normal).
                var ni = {V}.{AsI}(t) - {V}.Create({{(f ? "0x4B400000" : "0x4338000000000000L")}});
                var n1 = {V}.ShiftRightArithmetic(ni, 1);
                var scale1 = {V}.{AsT}({V}.ShiftLeft(n1 + {V}.Create({{(f ? "127" : "1023L")}}), {{(f ? "23" : "52")}}));
                var scale2 = {V}.{AsT}({V}.ShiftLeft((ni - n1) + {V}.Create({{(f ? "127" : "1023L")}}), {{(f ? "23" : "52")}}));
                return ((p * scale1) * scale2) & keep;
            }

            """, ("{LEAN}", lean), ("{SCALE}", scale), ("{TWODIFF}", TwoSum.Difference("var ", "x", "m", "z", "bv", "lo")),
            ("{SCALEPARAMS}", scaled ? "{V}<{T}> sh, {V}<{T}> sl, " : string.Empty),
            ("{SCALE1}", scaled ? Scaling("z", "lo") : Drop));
        if (scaled)
        {
            return;
        }

        int degree = f ? 7 : 13;
        _w.Line($"/// <summary>e^r for |r| ≤ ln2/2 (plus a carry): Σ_{{k≤{degree}}} r^k / k!, Horner.</summary>");
        _w.Line(AggressiveInlining);
        using (_w.Block($"internal static {w.V}<{T}> ExpPoly({w.V}<{T}> r)"))
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

    /// <summary>
    /// Tempered exp: z·(sh + sl) = zs + (residual of z·sh + z·sl + lo·sh), so <paramref name="z"/> and <paramref name="lo"/>
    /// become the scaled argument and its carry (the carry's own product lo·sl is below the last bit).
    /// </summary>
    private static string Scaling(string z, string lo) =>
        $"// Scaled by 1/T = sh + sl: z·sh rounded, its FMA residual, z·sl and {lo}·sh go to the carry.\n" +
        $"var {z}s = {z} * sh;\n" +
        $"{lo} = {{V}}.FusedMultiplyAdd({z}, sh, -{z}s) + {{V}}.FusedMultiplyAdd({z}, sl, {lo} * sh);\n" +
        $"{z} = {z}s;";

    /// <summary>
    /// log s for s ≥ 1 in double lanes: s = 2^e·f, f ∈ [√½, √2), log s = e·ln 2 + 2·atanh(u), u = (f − 1)/(f + 1).
    /// Float kernels need about 1e-13 (series to u^13); double kernels carry u and ln 2 as hi + lo pairs and sum the
    /// series to u^21, so the result is good to about 1 ulp, like <c>Math.Log</c>, with no call per row.
    /// </summary>
    private void EmitLogAtLeastOne(VectorWidth w)
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
        using (_w.Block($"internal static {w.V}<double> {(IsFloat ? "LogAtLeastOneForFloat" : "LogAtLeastOne")}({w.V}<double> s)"))
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
}
