using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SoftmaxGen.Generation.Model;
using SoftmaxGen.Generation.Plan;

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
    /// <summary>The remarks line naming the vector widths this kernel may take, or null when it is scalar only.</summary>
    /// <summary>The items of the remarks' code-path list (each path of the plan), or null when the kernel is scalar only.</summary>
    private List<string>? SimdPathNotes()
    {
        if (!_plan.HasVectorPaths)
        {
            return null;
        }

        string rows = _plan.HasVectorRows
            ? "Rows: " + string.Join(", else ", _plan.RowWidths.Select(w => $"Vector{w.Bits} ({w.Lanes} lanes" + (_spec.AnyLength ? $", rows of at least {w.Lanes}" : string.Empty) + ")")) + " when the hardware accelerates it, else scalar."
            : "Rows: scalar.";
        string math = IsFloat
            ? "exp is inlined for arguments ≤ 0 (degree-7 polynomial, 2^n from exponent bits or one VSCALEF, exact 0 below −104) with the rounding error of x − m carried in (TwoSum, or on AVX-512 an exact VREDUCE split of x on a 2^-15 grid); sums in double; 1/s applied as float hi + lo"
            : "exp is inlined for arguments ≤ 0 (degree-13 polynomial, 2^n from exponent bits or one VSCALEF, exact 0 below −746) with the rounding error of x − m carried in (TwoSum, or on AVX-512 an exact VREDUCE split of x on a 2^-15 grid); TwoSum-compensated sums; 1/s applied as hi + lo";
        string tail = _plan.HasVectorRows ? "; the last vector of a row overlaps the one before it (no scalar tail)" : string.Empty;
        if (_plan.TemperedVectors)
        {
            math += "; the temperature scales x − m by 1/T as hi + lo, with the product's rounding carried into exp too";
        }

        var notes = new List<string>();
        notes.AddRange(new[] { PackedPathNote(), ShortRowsPathNote() }.Where(n => n is not null).Select(n => n!));
        notes.Add(rows);
        notes.Add($"Vector math: {math}{tail}.");
        notes.Add("Rows with NaN or ±∞ maxima take the scalar special-row code.");
        return notes;
    }

    /// <summary>At the top of the scalar row: hand the row to the widest accelerated vector path.</summary>
    private void EmitSimdDispatch()
    {
        if (!_plan.HasVectorRows)
        {
            return;
        }

        _w.Comment("Widest accelerated vector path first; the JIT folds these checks, so one path remains.");
        string args = (_spec.Op == KernelOp.LogSumExp ? "x" + MaskArg : $"x{MaskArg}, y") + TArg;
        foreach (VectorWidth w in _plan.RowWidths)
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
        if (!_plan.HasVectorRows && !_plan.HasPackedRows && !_plan.HasShortRows)
        {
            return;
        }

        if (!IsFloat)
        {
            _w.Line();
        }

        EmitPackedRows();
        if (_plan.HasShortRows)
        {
            foreach (VectorWidth w in _plan.ShortRowWidths)
            {
                EmitShortRows(w);
            }
        }

        if (_plan.HasVectorRows)
        {
            foreach (VectorWidth w in _plan.RowWidths)
            {
                EmitSimdRow(w);
            }
        }

        EmitMaskedLoads();
    }

    /// <summary>Writes <paramref name="template"/> line by line at the current indentation, with the width's names substituted.</summary>
    /// <remarks>
    /// In a masked kernel every load of x goes through <c>MaskedNNN</c> (the excluded entries read as −∞), {MASK} is the
    /// mask argument, and the NaN search skips excluded entries.
    /// </remarks>
    private void Template(VectorWidth w, string template, params (string Key, string Value)[] extra)
    {
        string text = !_spec.HasMask ? template : template
            .Replace("{V}.LoadUnsafe(ref xr, ", "Masked{W}(ref xr, ref mr, ")
            .Replace("hasNaN |= {T}.IsNaN(x[j])", "hasNaN |= mask[j] && {T}.IsNaN(x[j])");
        text = text.Replace("{MASK}", MaskArg).Replace("{TA}", TArg).Replace("{SC}", _plan.TemperedVectors ? "sh, sl, " : string.Empty);
        Template(_w, w, _spec.AnyLength ? "x.Length" : _spec.K.ToString(CultureInfo.InvariantCulture), text, [.. extra, ("{SCALESETUP}", ScaleSetup)]);
    }

    /// <summary>
    /// In a tempered vector kernel, sh + sl = 1/T as a hi + lo pair of vectors, which the scaled VectorMath.Exp multiplies
    /// x − m by (carrying the product's rounding), so a temperature costs three FMAs per vector and no accuracy.
    /// </summary>
    private string ScaleSetup => !_plan.TemperedVectors ? Drop : IsFloat
        ? $"// 1/T as float hi + lo (from double), so rounding 1/T adds nothing to the exponents.\ndouble invT = 1.0 / {Tv};\n" +
          "var sh = {V}.Create((float)invT);\nvar sl = {V}.Create((float)(invT - (float)invT));"
        : $"// 1/T as hi + lo (FMA residual), so rounding 1/T adds nothing to the exponents.\ndouble invT = 1.0 / {Tv};\n" +
          $"var sh = {{V}}.Create(invT);\nvar sl = {{V}}.Create(Math.FusedMultiplyAdd(-{Tv}, invT, 1.0) / {Tv});";

    /// <summary>A load of x at <paramref name="index"/> on width <paramref name="w"/>: masked entries read as −∞ in a masked kernel.</summary>
    private string LoadX(VectorWidth w, string index) =>
        _spec.HasMask ? $"Masked{w.Bits}(ref xr, ref mr, {index})" : $"{w.V}.LoadUnsafe(ref xr, {index})";

    /// <summary>
    /// In a masked kernel, one <c>MaskedNNN</c> per row width: a vector of x with the excluded entries read as −∞. The lanes'
    /// mask bytes are loaded together and widened in place (byte → ushort → uint [→ ulong]), so each lane is kept where its
    /// byte is not 0, whatever non-zero value a true bool holds.
    /// </summary>
    private void EmitMaskedLoads()
    {
        if (!_spec.HasMask)
        {
            return;
        }

        foreach (VectorWidth w in _plan.RowWidths.Union(_plan.ShortRowWidths))
        {
            string v = w.V, lane = IsFloat ? "uint" : "ulong";
            string bytes = w.Lanes switch
            {
                16 => "Vector128.LoadUnsafe(ref mr, i)",
                8 => "Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref mr, i))).AsByte()",
                4 => "Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref mr, i))).AsByte()",
                _ => "Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref mr, i))).AsByte()",
            };
            string widened = bytes + (w.Bits >= 256 ? ".ToVector256Unsafe()" : string.Empty) + (w.Bits == 512 ? ".ToVector512Unsafe()" : string.Empty);
            string lanes = $"{v}.WidenLower({v}.WidenLower(bytes))";
            if (!IsFloat)
            {
                lanes = $"{v}.WidenLower({lanes})";
            }

            _w.Line($"/// <summary>x[i .. i + {w.Lanes}) with the entries whose mask is false read as −∞ (excluded, as a −∞ logit is).</summary>");
            _w.Line(AggressiveInlining);
            using (_w.Block($"private static {v}<{T}> Masked{w.Bits}(ref {T} xr, ref byte mr, nuint i)"))
            {
                _w.Line($"var bytes = {widened};");
                _w.Line($"var excluded = {v}.Equals({lanes}, {v}<{lane}>.Zero).As{(IsFloat ? "Single" : "Double")}();");
                _w.Line($"return {v}.ConditionalSelect(excluded, {v}.Create({T}.NegativeInfinity), {v}.LoadUnsafe(ref xr, i));");
            }

            _w.Line();
        }
    }

    /// <summary>In a masked kernel, <c>mr</c>: the mask's bools as bytes, beside <c>xr</c>.</summary>
    private void EmitMaskReference()
    {
        if (_spec.HasMask)
        {
            _w.Line("ref byte mr = ref Unsafe.As<bool, byte>(ref MemoryMarshal.GetReference(mask));");
        }
    }

    /// <summary>Writes <paramref name="template"/> to <paramref name="writer"/>; {N} is the row length expression.</summary>
    internal static void Template(CodeWriter writer, VectorWidth w, string n, string template, params (string Key, string Value)[] extra)
    {
        bool isFloat = w.Bits / w.Lanes == 32;
        string text = template;
        foreach (var (key, value) in extra)
        {
            text = value.IndexOf('\n') < 0 ? text.Replace(key, value) : ReplaceIndented(text, key, value);
        }

        text = text
            .Replace("{V}", w.V)
            .Replace("{W}", w.Bits.ToString(CultureInfo.InvariantCulture))
            .Replace("{L}", w.Lanes.ToString(CultureInfo.InvariantCulture))
            .Replace("{T}", isFloat ? "float" : "double")
            .Replace("{I}", isFloat ? "int" : "long")
            .Replace("{AsI}", isFloat ? "AsInt32" : "AsInt64")
            .Replace("{AsT}", isFloat ? "AsSingle" : "AsDouble")
            .Replace("{N}", n);
        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.Trim() != Drop)
            {
                writer.Line(line.TrimEnd());
            }
        }
    }

    /// <summary>Replaces <paramref name="key"/> by lines, each at the indentation of the line the key stands on.</summary>
    private static string ReplaceIndented(string text, string key, string lines)
    {
        string[] textLines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < textLines.Length; i++)
        {
            string line = textLines[i];
            if (line.IndexOf(key, System.StringComparison.Ordinal) >= 0)
            {
                string indent = line.Substring(0, line.Length - line.TrimStart().Length);
                textLines[i] = line.Replace(key, lines.Replace("\n", "\n" + indent));
            }
        }

        return string.Join("\n", textLines);
    }

    /// <summary>A template line that is left out.</summary>
    internal const string Drop = "{DROP}";

    /// <summary>
    /// Marks a method with a hot loop for full optimisation at its first call (targets with System.Runtime.Intrinsics,
    /// i.e. .NET Core 3.0+): the kernels gain nothing from tiered PGO, and without it their speed no longer depends on
    /// when the runtime happened to profile them (BenchmarkDotNet runs of the same kernel differed by up to 2.4×).
    /// </summary>
    private void EmitHotAttribute()
    {
        if (_plan.HotMethods)
        {
            _w.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        }
    }

    internal const string AggressiveInlining = "[MethodImpl(MethodImplOptions.AggressiveInlining)]";

    private void EmitSimdRow(VectorWidth w)
    {
        string ros = $"ReadOnlySpan<{T}>";
        string span = $"Span<{T}>";
        bool hasY = _spec.Op != KernelOp.LogSumExp;
        string what = _spec.Op switch
        {
            KernelOp.Softmax => "Softmax",
            KernelOp.LogSoftmax => "Log-softmax",
            KernelOp.LogSumExp => "Log-sum-exp",
            _ => throw KernelOperations.Unknown(_spec.Op),
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
            ? $"private static void Row{w.Bits}({ros} x{MaskParam}, {span} y{TParam})"
            : $"private static {T} Row{w.Bits}({ros} x{MaskParam}{TParam})";
        EmitHotAttribute();
        using (_w.Block(header))
        {
            Template(w, """
                ref {T} xr = ref MemoryMarshal.GetReference(x);
                """);
            EmitMaskReference();
            if (hasY)
            {
                Template(w, """
                    ref {T} yr = ref MemoryMarshal.GetReference(y);
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

                {T} m = VectorMath.MaxAcross({V}.MaxNative(mv, mw));
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
                        SpecialRow(x{MASK}, y, m, hasNaN);
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

            // The float mask makes a long line: the argument goes on a line of its own (the same expression), whatever K is, so
            // the file's length does not depend on K.
            string tailMaskedArgument = !IsFloat ? tailMasked : "\n    " + tailMasked;
            if (IsFloat)
            {
                Template(w, """
                    // Shifted exponentials e_j = exp(x_j − m) ∈ [0, 1]{STORED} and s = Σ_j e_j, accumulated in double (exact for each term).
                    var vm = {V}.Create(m);
                    {SCALESETUP}
                    var s0 = {V}<double>.Zero;
                    var s1 = {V}<double>.Zero;
                    for (i = 0; i + {L} < last; i += 2 * {L})
                    {
                        var e = VectorMath.Exp({SC}{V}.LoadUnsafe(ref xr, i), vm);
                        var f = VectorMath.Exp({SC}{V}.LoadUnsafe(ref xr, i + {L}), vm);
                        {STORE}
                        {STOREF}
                        var (lower, upper) = {V}.Widen(e);
                        var (lowerF, upperF) = {V}.Widen(f);
                        s0 += lower + lowerF;
                        s1 += upper + upperF;
                    }

                    if (i < last)
                    {
                        var e = VectorMath.Exp({SC}{V}.LoadUnsafe(ref xr, i), vm);
                        {STORE}
                        var (lower, upper) = {V}.Widen(e);
                        s0 += lower;
                        s1 += upper;
                    }

                    // The last vector: only the lanes the loop did not cover count towards s.
                    var et = VectorMath.Exp({SC}tail, vm);
                    var (tailLower, tailUpper) = {V}.Widen({TAILMASKED});
                    s0 += tailLower;
                    s1 += tailUpper;
                    double s = {V}.Sum(s0 + s1);
                    """, ("{STORED}", store ? ", stored in y," : string.Empty), ("{STORE}", storeLine), ("{STOREF}", store ? "{V}.StoreUnsafe(f, ref yr, i + {L});" : Drop), ("{TAILMASKED}", tailMaskedArgument));
            }
            else
            {
                Template(w, """
                    // Shifted exponentials e_j = exp(x_j − m) ∈ [0, 1]{STORED} and s = Σ_j e_j, each lane compensated by TwoSum (c holds the lost low parts).
                    var vm = {V}.Create(m);
                    {SCALESETUP}
                    var s = {V}<double>.Zero;
                    var c = {V}<double>.Zero;
                    for (i = 0; i < last; i += {L})
                    {
                        var e = VectorMath.Exp({SC}{V}.LoadUnsafe(ref xr, i), vm);
                        {STORE}
                        {TWOSUM}
                        s = sum;
                    }

                    // The last vector: only the lanes the loop did not cover count towards s.
                    var et = VectorMath.Exp({SC}tail, vm);
                    var en = {TAILMASKED};
                    {TAILTWOSUM}
                    double sHi = VectorMath.SumAcross(tailSum, c, out double sLo);
                    """, ("{STORED}", store ? ", stored in y," : string.Empty), ("{STORE}", storeLine), ("{TAILMASKED}", tailMasked),
                    ("{TWOSUM}", TwoSum.Accumulate("var ", "s", "e", "sum", "bv", "c")), ("{TAILTWOSUM}", TwoSum.Accumulate("var ", "s", "en", "tailSum", "tailBv", "c")));
            }

            switch (_spec.Op)
            {
                case KernelOp.Softmax:
                    EmitSoftmaxVectorRowEnd(w);
                    break;

                case KernelOp.LogSoftmax:
                    EmitLogSoftmaxVectorRowEnd(w);
                    break;

                case KernelOp.LogSumExp:
                    EmitLogSumExpVectorRowEnd(w);
                    break;

                default:
                    throw KernelOperations.Unknown(_spec.Op);
            }
        }

        _w.Line();
    }
}
