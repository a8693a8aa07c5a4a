using System.Globalization;
using System.Linq;
using SoftmaxGen.Generation.Model;
using SoftmaxGen.Generation.Plan;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The math specific to SoftmaxSample: one class index drawn from softmax(x / T), optionally truncated to the TopK largest
/// logits and then to the TopP nucleus, by the inverse CDF of the max-shifted weights w_i = exp((x_i − m)/T).
/// <para>
/// The index must not depend on the instruction-set path, so every quantity the choice reads is computed the same way, bit for
/// bit, on every path: the weights by one exp written out as fused multiply-adds in the element type (the scalar path runs
/// the same operations as each lane of the vector paths), and the sum by a fixed association: 16 lane sums in double
/// (lane i mod 16, in index order) per block of 256 entries (more for rows above 65536), added in lane order, then the
/// block sums in block order. The selection then walks the block sums and, inside the one block that crosses u·s, the
/// weights in index order, in scalar code shared by all paths. TopK and TopP are thresholds on the values found by radix
/// selection (8 bits per pass over the order-preserving bit pattern): counts for top-k, sums of weights for top-p.
/// </para>
/// </summary>
internal sealed partial class KernelEmitter
{
    /// <summary>The entries of one lane group: lane sums are kept per i mod 16 on every path.</summary>
    private const int SampleGroup = 16;

    private string SampleT => HasTemperature ? $", {T} t" : string.Empty;

    private string SampleTArg => HasTemperature ? ", t" : string.Empty;

    /// <summary>The one-row form's uniform checks (the batch's, each row's), after the length and temperature checks.</summary>
    private void EmitSampleChecks(string kc)
    {
        string u = P(1);
        switch (_spec.SlotAt(1))
        {
            case SlotKind.Uniform:
                Check($"!({u} >= 0 && {u} < 1)", $"{kc}.ThrowUniformOutOfRange(nameof({u}), {u});");
                break;
            case SlotKind.Random:
                // Thrown here, not in a helper, so the compiler's null-state analysis sees it.
                Check($"{u} is null", $"throw new global::System.ArgumentNullException(nameof({u}));");
                break;
            default:
                using (_w.Block($"for (int row = 0; row < {u}.Length; row++)"))
                {
                    Check($"!({u}[row] >= 0 && {u}[row] < 1)", $"{kc}.ThrowUniformOutOfRange(nameof({u}), {u}[row]);");
                }

                break;
        }
    }

    private void EmitSampleRun()
    {
        string k = _spec.K.ToString(CultureInfo.InvariantCulture);
        string tParam = _spec.HasRuntimeTemperature ? $", {T} t" : string.Empty;
        // A compile-time T goes in as a literal of the element type (a float T is clamped into [float.Epsilon, float.MaxValue]).
        string tArg = _spec.HasRuntimeTemperature ? ", t" : _spec.Temperature is { } temperature ? ", " + ElementLiteral(temperature) : string.Empty;
        if (_spec.Form == KernelForm.ScalarResult)
        {
            using (_w.Block($"internal static int Run(ReadOnlySpan<{T}> x, double u{tParam})"))
            {
                _w.Line($"return Row(x, u{tArg});");
            }

            return;
        }

        using (_w.Block($"internal static void Run(ReadOnlySpan<{T}> x, ReadOnlySpan<double> u, Span<int> samples{tParam})"))
        {
            if (_spec.AnyLength)
            {
                _w.Line($"samples[0] = Row(x, u[0]{tArg});");
                return;
            }

            using (_w.Block("for (int row = 0; row < samples.Length; row++)"))
            {
                _w.Line($"samples[row] = Row(x.Slice(row * {k}, {k}), u[row]{tArg});");
            }
        }
    }

    /// <summary>A literal of the element type; a float is clamped into [float.Epsilon, float.MaxValue].</summary>
    private string ElementLiteral(double value)
    {
        if (!IsFloat)
        {
            return Literal(value);
        }

        float f = (float)value;
        f = f == 0 ? float.Epsilon : float.IsInfinity(f) ? float.MaxValue : f;
        return f.ToString("R", CultureInfo.InvariantCulture) + "f";
    }

    private void EmitSampleRows()
    {
        EmitSampleRow();
        EmitSampleMax();
        EmitSampleInfinite();
        if (_spec.TopK is not null)
        {
            EmitTopK();
        }

        if (_spec.TopP is not null)
        {
            EmitTopP();
        }

        if (_spec.TopK is not null || _spec.TopP is not null)
        {
            EmitOrderedKeys();
        }

        EmitSampleDraw();
        EmitSampleSelect(null);
        foreach (VectorWidth w in _plan.OwnRowWidths)
        {
            EmitSampleSelect(w);
        }

        EmitSampleWeights();
    }

    private void EmitSampleRow()
    {
        _w.Line("/// <summary>One draw: m = max x, the truncation thresholds (TopK, then TopP), then the inverse CDF at u.</summary>");
        EmitHotAttribute();
        using (_w.Block($"private static int Row(ReadOnlySpan<{T}> x, double u{SampleT})"))
        {
            _w.Comment("Row maximum m: NaN anywhere, or every entry −∞ (a fully masked row), gives −1; +∞ entries share all the probability.");
            _w.Line($"{T} m = Max(x);");
            _w.Line($"if ({T}.IsNaN(m) || {T}.IsNegativeInfinity(m)) return -1;");
            _w.Line($"if ({T}.IsPositiveInfinity(m)) return Infinite(x, u);");
            _w.Line();
            _w.Comment("Entries below thr have weight 0: thr = −∞ keeps every entry.");
            _w.Line($"{T} thr = {T}.NegativeInfinity;");
            if (_spec.TopK is { } topK)
            {
                string kText = topK.ToString(CultureInfo.InvariantCulture);
                _w.Comment($"Top-k: thr = the {kText}-th largest value (every entry equal to it is kept, so ties may keep more than {kText}).");
                _w.Line(_spec.AnyLength ? $"if (x.Length > {kText}) thr = KthLargest(x, {kText});" : $"thr = KthLargest(x, {kText});");
            }

            if (_spec.TopP is { } topP)
            {
                _w.Comment($"Top-p: thr = the largest value whose kept entries at or above it hold probability ≥ p = {Literal(topP)}.");
                _w.Line($"thr = Nucleus(x, m, thr, {Literal(topP)}{SampleTArg});");
            }

            _w.Line();
            _w.Line($"return Draw(x, m, thr, u{SampleTArg});");
        }

        _w.Line();
    }

    private void EmitSampleMax()
    {
        _w.Line($"/// <summary>max x, or NaN when x holds a NaN (the same value on every path: max is exact).</summary>");
        EmitHotAttribute();
        using (_w.Block($"private static {T} Max(ReadOnlySpan<{T}> x)"))
        {
            EmitOwnRowDispatch("x", "Max");
            _w.Line($"{T} m = {T}.NegativeInfinity;");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line($"{T} v = x[i];");
                _w.Line("if (v > m) m = v;");
                _w.Line($"else if ({T}.IsNaN(v)) return v;");
            }

            _w.Line();
            _w.Line("return m;");
        }

        _w.Line();
        foreach (VectorWidth w in _plan.OwnRowWidths)
        {
            _w.Line($"/// <summary>max x on {w.Bits}-bit vectors, NaN when x holds a NaN.</summary>");
            EmitHotAttribute();
            using (_w.Block($"private static {T} Max{w.Bits}(ReadOnlySpan<{T}> x)"))
            {
                EmitVectorRowMax(w);
                _w.Line($"if (!{w.V}.EqualsAll(check, check) && x.IndexOf({T}.NaN) >= 0) return {T}.NaN;");
                _w.Line("return VectorMath.MaxAcross(rowMax);");
            }

            _w.Line();
        }
    }

    private void EmitSampleInfinite()
    {
        _w.Line("/// <summary>m = +∞: the limit of softmax gives each of the c entries equal to +∞ probability 1/c; the ⌊u·c⌋-th is drawn.</summary>");
        _w.Line("[MethodImpl(MethodImplOptions.NoInlining)]");
        using (_w.Block($"private static int Infinite(ReadOnlySpan<{T}> x, double u)"))
        {
            _w.Line("int count = 0;");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line($"if ({T}.IsPositiveInfinity(x[i])) count++;");
            }

            _w.Line();
            _w.Line("int pick = Math.Min((int)(u * count), count - 1);");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line($"if ({T}.IsPositiveInfinity(x[i]) && pick-- == 0) return i;");
            }

            _w.Line();
            _w.Line("return -1;");
        }

        _w.Line();
    }

    /// <summary>The lowest shift of the radix passes: float values widened to double have their low 29 bits zero.</summary>
    private int LowestShift => IsFloat ? 24 : 0;

    private void EmitTopK()
    {
        _w.Line("/// <summary>");
        _w.Line("/// The k-th largest value, by radix selection on the order-preserving keys, 8 bits a pass from the top: each pass counts the");
        _w.Line("/// entries under the key prefix found so far by their next byte, and descends into the byte that holds the k-th.");
        _w.Line("/// </summary>");
        using (_w.Block($"private static {T} KthLargest(ReadOnlySpan<{T}> x, int k)"))
        {
            _w.Line("Span<int> count = stackalloc int[256];");
            _w.Line("ulong prefix = 0, mask = 0;");
            _w.Line("int rank = k;");
            using (_w.Block($"for (int shift = 56; shift >= {LowestShift}; shift -= 8)"))
            {
                _w.Line("count.Clear();");
                using (_w.Block("for (int i = 0; i < x.Length; i++)"))
                {
                    _w.Line("ulong key = Key(x[i]);");
                    _w.Line("if ((key & mask) == prefix) count[(int)(key >> shift) & 255]++;");
                }

                _w.Line();
                using (_w.Block("for (int d = 255; d >= 0; d--)"))
                {
                    _w.Line("if (rank <= count[d]) { prefix |= (ulong)d << shift; break; }");
                    _w.Line("rank -= count[d];");
                }

                _w.Line();
                _w.Line("mask |= 255UL << shift;");
            }

            _w.Line();
            _w.Line("return FromKey(prefix);");
        }

        _w.Line();
    }

    private void EmitTopP()
    {
        _w.Line("/// <summary>");
        _w.Line("/// The nucleus threshold: the largest value v with Σ_{x_j ≥ v, x_j ≥ thr} w_j ≥ p·Σ_{x_j ≥ thr} w_j, by radix selection on the");
        _w.Line("/// keys with the weights summed per byte (bytes in descending order; a byte of weight 0 is never chosen).");
        _w.Line("/// </summary>");
        using (_w.Block($"private static {T} Nucleus(ReadOnlySpan<{T}> x, {T} m, {T} thr, double p{SampleT})"))
        {
            _w.Line("Span<double> mass = stackalloc double[256];");
            _w.Line("ulong prefix = 0, mask = 0;");
            _w.Line("double above = 0, target = 0;");
            using (_w.Block($"for (int shift = 56; shift >= {LowestShift}; shift -= 8)"))
            {
                _w.Line("mass.Clear();");
                using (_w.Block("for (int i = 0; i < x.Length; i++)"))
                {
                    _w.Line($"{T} v = x[i];");
                    _w.Line("if (!(v >= thr)) continue;");
                    _w.Line("ulong key = Key(v);");
                    _w.Line($"if ((key & mask) == prefix) mass[(int)(key >> shift) & 255] += Weight(v, m, thr{SampleTArg});");
                }

                _w.Line();
                using (_w.Block("if (shift == 56)"))
                {
                    _w.Comment("The kept mass, summed in the order the descent adds it; the nucleus needs p of it.");
                    _w.Line("double total = 0;");
                    _w.Line("for (int d = 255; d >= 0; d--) total += mass[d];");
                    _w.Line("target = p * total;");
                }

                _w.Line();
                _w.Comment("The first byte from the top whose mass brings the sum above it to the target (rounding: the lowest byte with mass).");
                _w.Line("int chosen = -1, lowest = -1;");
                _w.Line("double aboveLowest = 0;");
                using (_w.Block("for (int d = 255; d >= 0; d--)"))
                {
                    _w.Line("if (mass[d] == 0) continue;");
                    _w.Line("if (above + mass[d] >= target) { chosen = d; break; }");
                    _w.Line("lowest = d;");
                    _w.Line("aboveLowest = above;");
                    _w.Line("above += mass[d];");
                }

                _w.Line();
                _w.Line("if (chosen < 0) { chosen = lowest; above = aboveLowest; }");
                _w.Line("prefix |= (ulong)chosen << shift;");
                _w.Line("mask |= 255UL << shift;");
            }

            _w.Line();
            _w.Line("return FromKey(prefix);");
        }

        _w.Line();
    }

    private void EmitOrderedKeys()
    {
        string plusZero = IsFloat ? "(double)v + 0.0" : "v + 0.0";
        _w.Line("/// <summary>An unsigned key in the order of the values (−0 is read as +0): the bits of v as a double, sign-flipped.</summary>");
        _w.Line(AggressiveInlining);
        using (_w.Block($"private static ulong Key({T} v)"))
        {
            _w.Line($"long b = BitConverter.DoubleToInt64Bits({plusZero});");
            _w.Line("return b < 0 ? ~(ulong)b : (ulong)b | 0x8000000000000000UL;");
        }

        _w.Line();
        _w.Line("/// <summary>The value of a key.</summary>");
        using (_w.Block($"private static {T} FromKey(ulong key)"))
        {
            _w.Line("long b = (key & 0x8000000000000000UL) != 0 ? (long)(key & 0x7FFFFFFFFFFFFFFFUL) : (long)~key;");
            _w.Line(IsFloat ? "return (float)BitConverter.Int64BitsToDouble(b);" : "return BitConverter.Int64BitsToDouble(b);");
        }

        _w.Line();
    }

    private void EmitSampleDraw()
    {
        _w.Line("/// <summary>");
        _w.Line("/// s = Σ_j w_j in a fixed association (lane sums per i mod 16 within each block, lanes in order, blocks in order), the block");
        _w.Line("/// sums kept, then the inverse CDF at u·s. The association is the same on every path, so the sums are bit for bit the same.");
        _w.Line("/// </summary>");
        EmitHotAttribute();
        using (_w.Block($"private static int Draw(ReadOnlySpan<{T}> x, {T} m, {T} thr, double u{SampleT})"))
        {
            foreach (VectorWidth w in _plan.OwnRowWidths)
            {
                _w.Line($"if ({w.V}.IsHardwareAccelerated) return Draw{w.Bits}(x, m, thr, u{SampleTArg});");
            }

            EmitBlockSetup();
            using (_w.Block("for (int b = 0; b < blocks; b++)"))
            {
                EmitBlockBounds();
                _w.Line("lanes.Clear();");
                _w.Line($"for (int i = start; i < end; i++) lanes[i & {SampleGroup - 1}] += Weight(x[i], m, thr{SampleTArg});");
                EmitBlockEnd();
            }

            _w.Line();
            _w.Line($"return Select(x, m, thr, u * s, sums.Slice(0, blocks), block{SampleTArg});");
        }

        _w.Line();
        foreach (VectorWidth w in _plan.OwnRowWidths)
        {
            EmitSampleDrawVector(w);
        }

        _w.Line("/// <summary>The block length: 256 for rows up to 65536 entries, else the multiple of 16 that makes at most 256 blocks.</summary>");
        _w.Line($"private static int BlockLength(int n) => n <= 65536 ? 256 : {SampleGroup} * (int)(((long)n + 4095) / 4096);");
        _w.Line();
        _w.Line("/// <summary>The lane sums added in lane order.</summary>");
        _w.Line(AggressiveInlining);
        using (_w.Block("private static double LaneTotal(ReadOnlySpan<double> lanes)"))
        {
            _w.Line("double s = 0;");
            _w.Line($"for (int j = 0; j < {SampleGroup}; j++) s += lanes[j];");
            _w.Line("return s;");
        }

        _w.Line();
    }

    private void EmitBlockSetup()
    {
        _w.Line("int block = BlockLength(x.Length);");
        _w.Line("int blocks = (int)(((long)x.Length + block - 1) / block);");
        // stackalloc is zeroed, so a short row asks for no more block sums than it has.
        if (_spec.AnyLength)
        {
            _w.Line("Span<double> sums = blocks <= 16 ? stackalloc double[16] : stackalloc double[256];");
        }
        else
        {
            long block = _spec.K <= 65536 ? 256 : SampleGroup * ((_spec.K + 4095L) / 4096);
            _w.Line($"Span<double> sums = stackalloc double[{(_spec.K + block - 1) / block}];");
        }

        _w.Line($"Span<double> lanes = stackalloc double[{SampleGroup}];");
        _w.Line("double s = 0;");
    }

    private void EmitBlockBounds()
    {
        _w.Line("int start = b * block;");
        _w.Line("int end = (int)Math.Min(x.Length, (long)start + block);");
    }

    private void EmitBlockEnd()
    {
        _w.Line("double blockSum = LaneTotal(lanes);");
        _w.Line("sums[b] = blockSum;");
        _w.Line("s += blockSum;");
    }

    private void EmitSampleDrawVector(VectorWidth w)
    {
        string v = w.V;
        int loads = SampleGroup / w.Lanes;
        int doubleLanes = w.Bits / 64;
        int accumulators = SampleGroup / doubleLanes;
        string accs = string.Join(", ", Enumerable.Range(0, accumulators).Select(a => $"a{a} = {v}<double>.Zero"));
        string accType = $"{v}<double>";
        _w.Line($"/// <summary>Draw on {w.Bits}-bit vectors: {loads} load(s) of {w.Lanes} lanes per group of 16, the lane sums in {accumulators} vectors of double.</summary>");
        EmitHotAttribute();
        using (_w.Block($"private static int Draw{w.Bits}(ReadOnlySpan<{T}> x, {T} m, {T} thr, double u{SampleT})"))
        {
            _w.Line($"ref {T} xr = ref MemoryMarshal.GetReference(x);");
            _w.Line($"var vm = {v}.Create(m);");
            _w.Line($"var vthr = {v}.Create(thr);");
            string vt = string.Empty;
            if (HasTemperature)
            {
                _w.Line($"var vt = {v}.Create(t);");
                vt = ", vt";
            }

            EmitBlockSetup();
            _w.Line("ref double lr = ref MemoryMarshal.GetReference(lanes);");
            using (_w.Block("for (int b = 0; b < blocks; b++)"))
            {
                EmitBlockBounds();
                _w.Line($"{accType} {accs};");
                _w.Line("int i = start;");
                using (_w.Block($"for (; i <= end - {SampleGroup}; i += {SampleGroup})"))
                {
                    for (int j = 0; j < loads; j++)
                    {
                        string offset = j == 0 ? "(nuint)i" : $"(nuint)(i + {j * w.Lanes})";
                        _w.Line($"var e{j} = Weight{w.Bits}({v}.LoadUnsafe(ref xr, {offset}), vm, vthr{vt});");
                        if (IsFloat)
                        {
                            _w.Line($"var (lo{j}, hi{j}) = {v}.Widen(e{j});");
                            _w.Line($"a{2 * j} += lo{j};");
                            _w.Line($"a{(2 * j) + 1} += hi{j};");
                        }
                        else
                        {
                            _w.Line($"a{j} += e{j};");
                        }
                    }
                }

                _w.Line();
                _w.Comment("Lane j of the sums holds the entries i ≡ j (mod 16); a short last group is added lane by lane, in index order.");
                for (int a = 0; a < accumulators; a++)
                {
                    _w.Line($"a{a}.StoreUnsafe(ref lr, {a * doubleLanes});");
                }

                _w.Line($"for (; i < end; i++) lanes[i & {SampleGroup - 1}] += Weight(x[i], m, thr{SampleTArg});");
                EmitBlockEnd();
            }

            _w.Line();
            _w.Line($"return Select{w.Bits}(x, m, thr, u * s, sums.Slice(0, blocks), block{SampleTArg});");
        }

        _w.Line();
    }

    /// <summary>
    /// Select, scalar or (<paramref name="vector"/>) with each group's 16 weights computed lane-wise by Weight{W}, which is the
    /// scalar Weight bit for bit; the running sum stays scalar and in index order, so every path returns the same index.
    /// </summary>
    private void EmitSampleSelect(VectorWidth? vector)
    {
        string name = vector is { } named ? "Select" + named.Bits : "Select";
        _w.Line("/// <summary>");
        _w.Line("/// The inverse CDF: the first block whose running sum passes the target u·s, then inside it the first entry whose running sum");
        _w.Line(vector is null
            ? "/// (in index order, from the blocks before) passes it; entries of weight 0 are never returned."
            : "/// (in index order, from the blocks before) passes it; entries of weight 0 are never returned. The weights of each group of");
        if (vector is { } shown)
        {
            _w.Line($"/// {SampleGroup} are computed on {shown.Bits}-bit vectors (the scalar Weight bit for bit); the running sum is scalar.");
        }

        _w.Line("/// </summary>");
        if (vector is not null)
        {
            EmitHotAttribute();
        }

        using (_w.Block($"private static int {name}(ReadOnlySpan<{T}> x, {T} m, {T} thr, double target, ReadOnlySpan<double> sums, int block{SampleT})"))
        {
            string vt = string.Empty;
            if (vector is { } w)
            {
                _w.Line($"ref {T} xr = ref MemoryMarshal.GetReference(x);");
                _w.Line($"var vm = {w.V}.Create(m);");
                _w.Line($"var vthr = {w.V}.Create(thr);");
                if (HasTemperature)
                {
                    _w.Line($"var vt = {w.V}.Create(t);");
                    vt = ", vt";
                }

                _w.Line($"Span<{T}> group = stackalloc {T}[{SampleGroup}];");
                _w.Line($"ref {T} gr = ref MemoryMarshal.GetReference(group);");
            }

            _w.Line("double c = 0;");
            using (_w.Block("for (int b = 0; b < sums.Length; b++)"))
            {
                _w.Line("double next = c + sums[b];");
                _w.Line("if (!(next > target)) { c = next; continue; }");
                _w.Line();
                _w.Line("int start = b * block, end = (int)Math.Min(x.Length, (long)start + block), last = -1;");
                _w.Line("int i = start;");
                if (vector is { } v)
                {
                    using (_w.Block($"for (; i <= end - {SampleGroup}; i += {SampleGroup})"))
                    {
                        for (int j = 0; j < SampleGroup / v.Lanes; j++)
                        {
                            string offset = j == 0 ? "(nuint)i" : $"(nuint)(i + {j * v.Lanes})";
                            _w.Line($"Weight{v.Bits}({v.V}.LoadUnsafe(ref xr, {offset}), vm, vthr{vt}).StoreUnsafe(ref gr, {j * v.Lanes});");
                        }

                        using (_w.Block($"for (int j = 0; j < {SampleGroup}; j++)"))
                        {
                            _w.Line("double w = group[j];");
                            EmitSelectStep("i + j");
                        }
                    }

                    _w.Line();
                }

                using (_w.Block("for (; i < end; i++)"))
                {
                    _w.Line($"double w = Weight(x[i], m, thr{SampleTArg});");
                    EmitSelectStep("i");
                }

                _w.Line();
                _w.Comment("Rounding: the block's own sum passed the target, the running sum inside it did not; its last kept entry.");
                _w.Line("return last;");
            }

            _w.Line();
            _w.Comment("Not reached: u < 1 and s ≥ 1 (the maximum's weight is exactly 1), so u·s < s, and the last block reaches s.");
            _w.Line("return x.IndexOf(m);");
        }

        _w.Line();
    }

    /// <summary>One entry of the running sum: skip weight 0, else add it and return <paramref name="index"/> once the sum passes the target.</summary>
    private void EmitSelectStep(string index)
    {
        _w.Line("if (w == 0) continue;");
        _w.Line("c += w;");
        _w.Line($"last = {index};");
        _w.Line($"if (c > target) return {index};");
    }

    private void EmitSampleWeights()
    {
        string z = HasTemperature ? "(x - m) / t" : "x - m";
        _w.Line("/// <summary>w = exp(z), z = " + (HasTemperature ? "(x − m)/T" : "x − m") + ", for x ≥ thr; 0 below thr.</summary>");
        _w.Line(AggressiveInlining);
        _w.Line($"private static double Weight({T} x, {T} m, {T} thr{SampleT}) => x >= thr ? Exp({z}) : 0;");
        _w.Line();
        if (!_facts.CanEmitSimd)
        {
            _w.Line("/// <summary>exp(z) in double (this target has no vector paths, so no other path has to agree with it).</summary>");
            _w.Line($"private static double Exp({T} z) => Math.Exp(z);");
            _w.Line();
            return;
        }

        // The canonical exp: the scalar path runs each lane's operations, so every path gets the same bits.
        int degree = IsFloat ? 7 : 13;
        string f = IsFloat ? "f" : string.Empty;
        string cutoff = IsFloat ? "-87f" : "-708.0";
        _w.Line("/// <summary>");
        _w.Line($"/// exp(z) for z ≤ 0 in {T}: n = round(z·log2 e), r = z − n·ln 2 (two fused steps), exp(r) by its Taylor polynomial of degree {degree}");
        _w.Line($"/// (|r| ≤ ln 2 / 2, truncation below 1 ulp), times 2^n from the exponent bits; exactly 0 below z = {cutoff.TrimEnd('f')}, where exp(z) < 2^{(IsFloat ? "-125" : "-1021")}.");
        _w.Line("/// The vector rows compute each lane by the same operations, so the weights are bit for bit the same on every path.");
        _w.Line("/// </summary>");
        string fma = IsFloat ? "MathF.FusedMultiplyAdd" : "Math.FusedMultiplyAdd";
        using (_w.Block($"private static double Exp({T} z)"))
        {
            _w.Line($"if (!(z >= {cutoff})) return 0;");
            EmitExpSteps(T, (a, b, c) => $"{fma}({a}, {b}, {c})", c => c, "1" + f, degree);
            _w.Line(IsFloat
                ? "float scale = BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits(k) << 23) + 0x3F800000);"
                : "double scale = BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits(k) << 52) + 0x3FF0000000000000L);");
            _w.Line("return p * scale;");
        }

        _w.Line();
        _w.Line(IsFloat ? "private const float Log2E = 1.44269504f, Shifter = 12582912f; // 1.5·2^23: k's low bits hold n"
            : "private const double Log2E = 1.4426950408889634, Shifter = 6755399441055744.0; // 1.5·2^52: k's low bits hold n");
        _w.Line(IsFloat ? "private const float Ln2Hi = 0.693145752f, Ln2Lo = 1.42860677E-06f; // ln 2 = Ln2Hi + Ln2Lo"
            : "private const double Ln2Hi = 0.6931471803691238, Ln2Lo = 1.9082149292705877E-10; // ln 2 = Ln2Hi + Ln2Lo");
        double factorial = 1;
        var coefficients = new System.Collections.Generic.List<string>();
        for (int d = 1; d <= degree; d++)
        {
            factorial *= d;
            string c = IsFloat ? ((float)(1 / factorial)).ToString("R", CultureInfo.InvariantCulture) + "f" : Literal(1 / factorial);
            coefficients.Add($"C{d} = {c}");
        }

        _w.Line($"/// <summary>C_d = 1/d!.</summary>");
        for (int start = 0; start < coefficients.Count; start += 5)
        {
            string tail = start + 5 >= coefficients.Count ? ";" : ",";
            string head = start == 0 ? $"private const {T} " : "    ";
            _w.Line(head + string.Join(", ", coefficients.Skip(start).Take(5)) + tail);
        }

        _w.Line();
        foreach (VectorWidth w in _plan.OwnRowWidths)
        {
            EmitSampleVectorWeight(w, degree, cutoff);
        }
    }

    /// <summary>
    /// The steps of the canonical exp, written once for the scalar Exp and the vector Weight so they cannot drift apart:
    /// k = fma(z, log2 e, shifter), n = k − shifter, r = z − n·ln 2 in two fused steps, then Horner with fused steps.
    /// </summary>
    private void EmitExpSteps(string declare, System.Func<string, string, string, string> fma, System.Func<string, string> constant, string one, int degree)
    {
        _w.Line($"{declare} k = {fma("z", constant("Log2E"), constant("Shifter"))};");
        _w.Line($"{declare} n = k - {constant("Shifter")};");
        _w.Line($"{declare} r = {fma("n", constant("-Ln2Hi"), "z")};");
        _w.Line($"r = {fma("n", constant("-Ln2Lo"), "r")};");
        _w.Line($"{declare} p = {constant("C" + degree.ToString(CultureInfo.InvariantCulture))};");
        for (int d = degree - 1; d >= 1; d--)
        {
            _w.Line($"p = {fma("p", "r", constant("C" + d.ToString(CultureInfo.InvariantCulture)))};");
        }

        _w.Line($"p = {fma("p", "r", one)};");
    }

    private void EmitSampleVectorWeight(VectorWidth w, int degree, string cutoff)
    {
        string v = w.V;
        string vT = $"{v}<{T}>";
        string tParam = HasTemperature ? $", {vT} t" : string.Empty;
        _w.Line($"/// <summary>Weight and Exp lane-wise on {w.Bits}-bit vectors: the scalar operations, in the same order.</summary>");
        _w.Line(AggressiveInlining);
        using (_w.Block($"private static {vT} Weight{w.Bits}({vT} x, {vT} m, {vT} thr{tParam})"))
        {
            _w.Line(HasTemperature ? "var z = (x - m) / t;" : "var z = x - m;");
            EmitExpSteps("var", (a, b, c) => $"{v}.FusedMultiplyAdd({a}, {b}, {c})", c => $"{v}.Create({c})", $"{vT}.One", degree);
            _w.Line(IsFloat
                ? $"var scale = ({v}.ShiftLeft(k.AsInt32(), 23) + {v}.Create(0x3F800000)).AsSingle();"
                : $"var scale = ({v}.ShiftLeft(k.AsInt64(), 52) + {v}.Create(0x3FF0000000000000L)).AsDouble();");
            _w.Line($"var keep = {v}.GreaterThanOrEqual(x, thr) & {v}.GreaterThanOrEqual(z, {v}.Create({cutoff}));");
            _w.Line($"return {v}.ConditionalSelect(keep, p * scale, {vT}.Zero);");
        }

        _w.Line();
    }
}
