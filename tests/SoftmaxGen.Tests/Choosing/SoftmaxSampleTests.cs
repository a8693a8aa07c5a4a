using System.Globalization;
using System.Text;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Choosing;

public delegate int SampleRow<T>(ReadOnlySpan<T> logits, double uniform);

public delegate int SampleRowT<T>(ReadOnlySpan<T> logits, double uniform, T temperature);

public delegate int SampleRandom<T>(ReadOnlySpan<T> logits, Random random);

public delegate int SampleRandomT<T>(ReadOnlySpan<T> logits, Random random, T temperature);

public delegate void SampleBatch<T>(ReadOnlySpan<T> logits, ReadOnlySpan<double> uniforms, Span<int> samples);

/// <summary>
/// [SoftmaxSample] in every form: chi-square goodness of fit against the truncated, renormalised distribution computed in double
/// from sorted logits; the inverse CDF at chosen uniforms; masks, NaN and infinities; argument errors; and a replica of the
/// documented method that every instruction-set path must match index for index.
/// </summary>
[Trait("Category", "Kernels")]
public class SoftmaxSampleTests
{
    public static readonly int[] Ks = [2, 10, 1000];

    /// <summary>The truncations tested: none, TopK, TopP, both.</summary>
    public static readonly string[] Variants = ["Plain", "TopK", "TopP", "TopKP"];

    private static readonly Lazy<LoadedAssembly> s_assembly = new(() => GeneratorRun.Run(Source()).Load());

    internal static int TopKFor(int k) => k switch { 2 => 1, 10 => 3, _ => 50 };

    internal static double? TopPFor(string variant) => variant switch { "TopP" => 0.9, "TopKP" => 0.8, _ => null };

    private static string Attribute(string variant, int k, string extra = "")
    {
        var parts = new List<string>();
        if (k > 0) parts.Add(k.ToString(CultureInfo.InvariantCulture));
        if (variant is "TopK" or "TopKP") parts.Add($"TopK = {TopKFor(k)}");
        if (TopPFor(variant) is { } p) parts.Add("TopP = " + p.ToString(CultureInfo.InvariantCulture));
        if (extra.Length > 0) parts.Add(extra);
        return parts.Count == 0 ? "[SoftmaxSample]" : $"[SoftmaxSample({string.Join(", ", parts)})]";
    }

    private static string Source()
    {
        var b = new StringBuilder("using System;\nusing SoftmaxGen;\nnamespace Tests;\npublic static partial class Sampling\n{\n");
        foreach (string t in new[] { "float", "double" })
        {
            string ros = $"ReadOnlySpan<{t}>";
            foreach (int k in Ks)
            {
                foreach (string v in Variants)
                {
                    string n = $"{t}_{k}_{v}";
                    b.Append($"    {Attribute(v, k)} public static partial int One_{n}({ros} x, double u);\n");
                    b.Append($"    {Attribute(v, k)} public static partial int OneT_{n}({ros} x, double u, {t} temperature);\n");
                    b.Append($"    {Attribute(v, k, "Temperature = 0.5")} public static partial int Half_{n}({ros} x, double u);\n");
                }
            }

            b.Append($"    [SoftmaxSample] public static partial int Any_{t}({ros} x, double u);\n");
            b.Append($"    [SoftmaxSample] public static partial int AnyT_{t}({ros} x, double u, {t} temperature);\n");
            b.Append($"    [SoftmaxSample(TopK = 3, TopP = 0.8)] public static partial int AnyKP_{t}({ros} x, double u);\n");
            b.Append($"    [SoftmaxSample(10)] public static partial int Random_{t}({ros} x, Random random);\n");
            b.Append($"    [SoftmaxSample(10)] public static partial int RandomT_{t}({ros} x, Random random, {t} temperature);\n");
            b.Append($"    [SoftmaxSample(10)] public static partial void Batch_{t}({ros} x, ReadOnlySpan<double> u, Span<int> samples);\n");
            b.Append($"    [SoftmaxSample] public static partial void AnyBatch_{t}({ros} x, ReadOnlySpan<double> u, Span<int> samples);\n");
        }

        return b.Append("}\n").ToString();
    }

    internal static TDelegate Get<TDelegate>(string name)
        where TDelegate : Delegate => s_assembly.Value.Bind<TDelegate>("Tests.Sampling", name);

    private static string TypeName<T>() => typeof(T) == typeof(float) ? "float" : "double";

    private static T[] Cast<T>(double[] x) => Training.TrainingKernels.Cast<T>(x);

    private static double[] ToDouble<T>(T[] x) => Training.TrainingKernels.ToDouble(x);

    /// <summary>
    /// The reference distribution, in double from the (already rounded) logits: p_i ∝ exp((x_i − m)/T) over the kept entries,
    /// top-k keeping every entry ≥ the k-th largest value, then top-p keeping every entry ≥ the largest value v whose entries
    /// at or above it hold probability ≥ p (entries sorted by value, descending).
    /// </summary>
    internal static double[] Reference(double[] x, double t, int? topK, double? topP)
    {
        double m = x.Max();
        double threshold = double.NegativeInfinity;
        double[] sorted = [.. x.OrderByDescending(v => v)];
        if (topK is { } k && k < x.Length) threshold = sorted[k - 1];
        double[] w = [.. x.Select(v => v >= threshold ? Math.Exp((v - m) / t) : 0)];
        if (topP is { } p)
        {
            double total = w.Sum();
            double cumulative = 0;
            foreach (double v in sorted.Where(v => v >= threshold).Distinct())
            {
                cumulative += x.Select((xi, i) => xi == v ? w[i] : 0).Sum();
                if (cumulative >= p * total)
                {
                    threshold = v;
                    break;
                }
            }

            w = [.. x.Select((v, i) => v >= threshold ? w[i] : 0)];
        }

        double s = w.Sum();
        return [.. w.Select(v => v / s)];
    }

    /// <summary>Logits of a row: normal-ish values of scale 2, redrawn until no top-p boundary lies within 1e-5 of p (float weights are within about 1e-6, so rounding cannot move it).</summary>
    internal static double[] Logits(int k, int seed, double? topP, int? topK)
    {
        var random = new Random(seed);
        while (true)
        {
            double[] x = [.. Enumerable.Range(0, k).Select(_ => 2 * (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5))];
            x = [.. x.Select(v => (double)(float)v)];
            if (topP is not { } p || BoundaryIsClear(x, topK, p)) return x;
        }
    }

    private static bool BoundaryIsClear(double[] x, int? topK, double p)
    {
        foreach (double t in new[] { 0.5, 1, 2 })
        {
            double[] q = Reference(x, t, topK, null);
            double cumulative = 0;
            foreach (double v in q.OrderByDescending(v => v))
            {
                cumulative += v;
                if (Math.Abs(cumulative - p) < 1e-5) return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Pearson's X² of the counts against n·p: bins of expected count below 5 are pooled (the pool joins the smallest bin if it is
    /// still below 5). An entry of probability 0 that is drawn fails at once.
    /// </summary>
    internal static void AssertFits(int[] counts, double[] p, int n, string what)
    {
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] == 0) Assert.True(counts[i] == 0, $"{what}: entry {i} has probability 0 but was drawn {counts[i]} times");
        }

        var bins = new List<(double Expected, int Observed)>();
        double poolE = 0;
        int poolO = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] == 0) continue;
            double e = n * p[i];
            if (e >= 5) bins.Add((e, counts[i]));
            else { poolE += e; poolO += counts[i]; }
        }

        if (poolE > 0)
        {
            if (poolE >= 5 || bins.Count == 0) bins.Add((poolE, poolO));
            else
            {
                int smallest = bins.IndexOf(bins.MinBy(b => b.Expected));
                bins[smallest] = (bins[smallest].Expected + poolE, bins[smallest].Observed + poolO);
            }
        }

        if (bins.Count < 2)
        {
            Assert.Equal(n, bins.Sum(b => b.Observed));
            return;
        }

        double x2 = bins.Sum(b => (b.Observed - b.Expected) * (b.Observed - b.Expected) / b.Expected);
        double critical = Critical(bins.Count - 1);
        Assert.True(x2 < critical, $"{what}: X² = {x2:F1} over {bins.Count - 1} degrees of freedom, critical value {critical:F1}");
    }

    /// <summary>
    /// The X² value a correct sampler exceeds with probability below 1e-6: Wilson–Hilferty with z = 5 (upper tail 2.9e-7);
    /// for one degree of freedom that is 29.8 against the exact 1e-6 point 23.9, so the approximation errs on the safe side.
    /// </summary>
    internal static double Critical(int df)
    {
        double a = 2.0 / (9 * df);
        double c = 1 - a + (5 * Math.Sqrt(a));
        return df * c * c * c;
    }

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        foreach (int k in Ks)
        {
            foreach (string v in Variants) data.Add(k, v);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Draws_FitTheTruncatedDistribution(int k, string variant)
    {
        FitCheck<float>(k, variant);
        FitCheck<double>(k, variant);
    }

    private const int Draws = 20000;

    private static void FitCheck<T>(int k, string variant)
    {
        string n = $"{TypeName<T>()}_{k}_{variant}";
        int? topK = variant is "TopK" or "TopKP" ? TopKFor(k) : null;
        double? topP = TopPFor(variant);
        T[] x = Cast<T>(Logits(k, 1000 + k, topP, topK));
        double[] x64 = ToDouble(x);
        var one = Get<SampleRow<T>>("One_" + n);
        var oneT = Get<SampleRowT<T>>("OneT_" + n);
        var half = Get<SampleRow<T>>("Half_" + n);
        var kernels = new (string Name, double T, Func<double, int> Draw)[]
        {
            ("T = 1", 1, u => one(x, u)),
            ("Temperature = 0.5", 0.5, u => half(x, u)),
            ("runtime T = 0.5", 0.5, u => oneT(x, u, (T)Convert.ChangeType(0.5, typeof(T), CultureInfo.InvariantCulture))),
            ("runtime T = 1", 1, u => oneT(x, u, (T)Convert.ChangeType(1.0, typeof(T), CultureInfo.InvariantCulture))),
            ("runtime T = 2", 2, u => oneT(x, u, (T)Convert.ChangeType(2.0, typeof(T), CultureInfo.InvariantCulture))),
        };

        int seed = 0;
        foreach (var (name, t, draw) in kernels)
        {
            var random = new Random(17 * k + seed++);
            int[] counts = new int[k];
            for (int i = 0; i < Draws; i++) counts[draw(random.NextDouble())]++;
            AssertFits(counts, Reference(x64, t, topK, topP), Draws, $"{n}, {name}");
        }
    }

    [Fact]
    public void AnyLength_AndRandom_AndBatch_FitTheDistribution()
    {
        foreach (bool isFloat in new[] { true, false })
        {
            if (isFloat) Forms<float>(); else Forms<double>();
        }
    }

    private static void Forms<T>()
    {
        string t = TypeName<T>();
        T[] x = Cast<T>(Logits(10, 77, null, null));
        double[] x64 = ToDouble(x);
        T two = (T)Convert.ChangeType(2.0, typeof(T), CultureInfo.InvariantCulture);
        var random = new Random(5);
        var any = Get<SampleRow<T>>("Any_" + t);
        var anyT = Get<SampleRowT<T>>("AnyT_" + t);
        var anyKP = Get<SampleRow<T>>("AnyKP_" + t);
        var withRandom = Get<SampleRandom<T>>("Random_" + t);
        var withRandomT = Get<SampleRandomT<T>>("RandomT_" + t);
        var batch = Get<SampleBatch<T>>("Batch_" + t);
        var anyBatch = Get<SampleBatch<T>>("AnyBatch_" + t);
        Check(u => any(x, u), 1, null, null, "any length");
        Check(u => anyT(x, u, two), 2, null, null, "any length, runtime T = 2");
        Check(u => anyKP(x, u), 1, 3, 0.8, "any length, TopK = 3, TopP = 0.8");
        Check(_ => withRandom(x, random), 1, null, null, "System.Random");
        Check(_ => withRandomT(x, random, two), 2, null, null, "System.Random, runtime T = 2");
        Check(u => { Span<int> s = stackalloc int[1]; anyBatch(x, [u], s); return s[0]; }, 1, null, null, "any-length batch");

        // The batch: Draws rows of the same logits, one uniform each.
        var uniforms = Enumerable.Range(0, Draws).Select(_ => random.NextDouble()).ToArray();
        T[] rows = [.. Enumerable.Range(0, Draws).SelectMany(_ => x)];
        int[] samples = new int[Draws];
        batch(rows, uniforms, samples);
        int[] counts = new int[10];
        foreach (int s in samples) counts[s]++;
        AssertFits(counts, Reference(x64, 1, null, null), Draws, t + " batch");
        var single = Get<SampleRow<T>>($"One_{t}_10_Plain");
        for (int r = 0; r < Draws; r += 97) Assert.Equal(single(x, uniforms[r]), samples[r]);

        void Check(Func<double, int> draw, double temperature, int? topK, double? topP, string what)
        {
            var uniform = new Random(what.Length);
            int[] counts = new int[x.Length];
            for (int i = 0; i < Draws; i++) counts[draw(uniform.NextDouble())]++;
            AssertFits(counts, Reference(x64, temperature, topK, topP), Draws, $"{t} {what}");
        }
    }

    /// <summary>u = 0 gives the first entry of positive probability, 1 − 2⁻⁵³ the last; u just below / above each CDF step its two sides.</summary>
    [Fact]
    public void InverseCdf_AtChosenUniforms()
    {
        InverseCdf<float>(1e-5);
        InverseCdf<double>(1e-12);
    }

    private static void InverseCdf<T>(double delta)
    {
        string t = TypeName<T>();
        double[] x64 = Logits(10, 3, null, null);
        x64[0] = double.NegativeInfinity;
        x64[9] = double.NegativeInfinity;
        x64[4] = double.NegativeInfinity;
        T[] x = Cast<T>(x64);
        foreach (var (draw, temperature) in new (Func<double, int>, double)[]
        {
            (u => Get<SampleRow<T>>($"One_{t}_10_Plain")(x, u), 1),
            (u => Get<SampleRow<T>>($"Half_{t}_10_Plain")(x, u), 0.5),
            (u => Get<SampleRow<T>>("Any_" + t)(x, u), 1),
        })
        {
            double[] p = Reference(ToDouble(x), temperature, null, null);
            Assert.Equal(1, draw(0));
            Assert.Equal(8, draw(1 - Math.Pow(2, -53)));
            double cdf = 0;
            for (int i = 0; i < 9; i++)
            {
                if (p[i] == 0) continue;
                cdf += p[i];
                int next = Array.FindIndex(p, i + 1, q => q > 0);
                Assert.Equal(i, draw(cdf - delta));
                if (next > 0) Assert.Equal(next, draw(cdf + delta));
            }
        }
    }

    [Fact]
    public void MaskedEntries_AreNeverDrawn_AndSpecialRowsHaveTheirLimits()
    {
        Special<float>();
        Special<double>();
    }

    private static void Special<T>()
    {
        string t = TypeName<T>();
        var rows = new (string Name, Func<T[], double, int> Draw, int K)[]
        {
            ("1000", (x, u) => Get<SampleRow<T>>($"One_{t}_1000_Plain")(x, u), 1000),
            ("1000 TopKP", (x, u) => Get<SampleRowT<T>>($"OneT_{t}_1000_TopKP")(x, u, (T)Convert.ChangeType(2.0, typeof(T), CultureInfo.InvariantCulture)), 1000),
            ("any", (x, u) => Get<SampleRow<T>>("Any_" + t)(x, u), 1000),
            ("10", (x, u) => Get<SampleRow<T>>($"One_{t}_10_Plain")(x, u), 10),
        };
        foreach (var (name, draw, k) in rows)
        {
            var random = new Random(k);
            double[] x64 = Logits(k, 9, null, null);
            for (int i = 0; i < k; i++) if (random.Next(3) == 0) x64[i] = double.NegativeInfinity;
            x64[k / 2] = 50; // far above the rest: the masked entries must stay at 0 even next to tiny weights
            T[] x = Cast<T>(x64);
            for (int j = 0; j < 4000; j++)
            {
                double u = j < 2 ? (j == 0 ? 0 : 1 - Math.Pow(2, -53)) : random.NextDouble();
                int s = draw(x, u);
                Assert.True(s >= 0 && !double.IsNegativeInfinity(x64[s]), $"{t} {name}: drew masked entry {s} at u = {u:R}");
            }

            Assert.Equal(-1, draw(Cast<T>([.. Enumerable.Repeat(double.NegativeInfinity, k)]), 0.5));
            double[] nan = Logits(k, 4, null, null);
            nan[k - 1] = double.NaN;
            Assert.Equal(-1, draw(Cast<T>(nan), 0.5));
            double[] inf = Logits(k, 5, null, null);
            inf[0] = double.PositiveInfinity;
            inf[k - 1] = double.PositiveInfinity;
            Assert.Equal(0, draw(Cast<T>(inf), 0.49));
            Assert.Equal(k - 1, draw(Cast<T>(inf), 0.51));
        }
    }

    [Fact]
    public void TopK_KeepsTiesAtTheKthValue()
    {
        foreach (bool isFloat in new[] { true, false })
        {
            if (isFloat) Ties<float>(); else Ties<double>();
        }
    }

    private static void Ties<T>()
    {
        // TopK = 3 on a row whose 3rd, 4th and 5th largest values are equal: all five are kept, the rest never drawn.
        double[] x64 = [0, 5, 1, 2, 2, 0, 4, 2, -1, 0];
        var draw = Get<SampleRow<T>>($"One_{TypeName<T>()}_10_TopK");
        T[] x = Cast<T>(x64);
        int[] counts = new int[10];
        var random = new Random(8);
        for (int i = 0; i < Draws; i++) counts[draw(x, random.NextDouble())]++;
        double[] p = Reference(x64, 1, 3, null);
        Assert.Equal(5, p.Count(q => q > 0));
        AssertFits(counts, p, Draws, "TopK ties");
    }

    [Fact]
    public void Arguments_AreChecked_BeforeAnythingIsWritten()
    {
        var one = Get<SampleRow<float>>("One_float_10_Plain");
        var any = Get<SampleRowT<double>>("AnyT_double");
        var batch = Get<SampleBatch<float>>("Batch_float");
        var random = Get<SampleRandom<float>>("Random_float");
        float[] x = new float[10];
        foreach (double u in new[] { -0.25, -double.Epsilon, 1, 1.5, double.NaN, double.PositiveInfinity })
        {
            Assert.Equal("u", Assert.Throws<ArgumentOutOfRangeException>(() => one(x, u)).ParamName);
            Assert.Equal("u", Assert.Throws<ArgumentOutOfRangeException>(() => any([1.0, 2.0], u, 1.0)).ParamName);
            int[] samples = [7, 7, 7];
            Assert.Equal("u", Assert.Throws<ArgumentOutOfRangeException>(() => batch(new float[30], [0.5, 0.5, u], samples)).ParamName);
            Assert.Equal([7, 7, 7], samples);
        }

        foreach (double t in new[] { 0.0, -1, double.NaN, double.PositiveInfinity })
        {
            Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => any([1.0, 2.0], 0.5, t)).ParamName);
        }

        Assert.Equal("random", Assert.Throws<ArgumentNullException>(() => random(x, null!)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => one(new float[9], 0.5)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => any([], 0.5, 1.0)).ParamName);
        int[] two = [7, 7];
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => batch(new float[25], [0.5, 0.5], two)).ParamName);
        Assert.Equal("u", Assert.Throws<ArgumentException>(() => batch(new float[20], [0.5], two)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentException>(() => batch(new float[30], [0.5, 0.5, 0.5], two)).ParamName);
        Assert.Equal([7, 7], two);
    }

    [Fact]
    public void Draws_DoNotAllocate()
    {
        var one = Get<SampleRowT<float>>("OneT_float_1000_TopKP");
        var any = Get<SampleRow<double>>("Any_double");
        var withRandom = Get<SampleRandom<float>>("Random_float");
        float[] x = Cast<float>(Logits(1000, 1, 0.8, 50));
        double[] big = Logits(70000, 2, null, null);
        float[] ten = new float[10];
        var random = new Random(1);
        one(x, 0.5, 1f);
        any(big, 0.5);
        withRandom(ten, random);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            one(x, i / 20.0, 1f);
            any(big, i / 20.0);
            withRandom(ten, random);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>
    /// Every path against a replica of the documented method (the canonical exp, lane sums per i mod 16, block sums, the block search):
    /// equal indices at uniforms on both sides of every step of the kernel's own CDF, so all paths agree with one another.
    /// </summary>
    [Fact]
    public void EveryPath_DrawsTheSameIndex_AsTheDocumentedMethod()
    {
        foreach (int n in new[] { 1, 7, 16, 37, 300, 1000, 70000 })
        {
            Replica<float>(n, Get<SampleRow<float>>("Any_float"), null);
            Replica<double>(n, Get<SampleRow<double>>("Any_double"), null);
            var anyT = Get<SampleRowT<float>>("AnyT_float");
            Replica<float>(n, (x, u) => anyT(x, u, 0.7f), 0.7f);
            var anyTd = Get<SampleRowT<double>>("AnyT_double");
            Replica<double>(n, (x, u) => anyTd(x, u, 1.3), 1.3);
        }

        var fixedK = Get<SampleRow<float>>("One_float_1000_Plain");
        Replica<float>(1000, (x, u) => fixedK(x, u), null);
    }

    private static void Replica<T>(int n, SampleRow<T> draw, double? temperature)
    {
        double[] x64 = Logits(n, n, null, null);
        if (n > 3) x64[2] = double.NegativeInfinity;
        T[] x = Cast<T>(x64);
        double[] w = CanonicalWeights(x, temperature);
        int block = n <= 65536 ? 256 : 16 * (int)(((long)n + 4095) / 4096);
        var sums = new List<double>();
        double s = 0;
        for (int start = 0; start < n; start += block)
        {
            double[] lanes = new double[16];
            for (int i = start; i < Math.Min(n, start + block); i++) lanes[i & 15] += w[i];
            double b = 0;
            foreach (double l in lanes) b += l;
            sums.Add(b);
            s += b;
        }

        int Expected(double u)
        {
            double target = u * s, c = 0;
            for (int b = 0; b < sums.Count; b++)
            {
                if (!(c + sums[b] > target)) { c += sums[b]; continue; }
                int last = -1;
                for (int i = b * block; i < Math.Min(n, (b + 1) * block); i++)
                {
                    if (w[i] == 0) continue;
                    c += w[i];
                    last = i;
                    if (c > target) return i;
                }

                return last;
            }

            return -1;
        }

        // Uniforms at the steps of the running sum (the kernel's CDF), one ulp either side, and random ones.
        var uniforms = new List<double> { 0, 1 - Math.Pow(2, -53) };
        double cumulative = 0;
        var random = new Random(n);
        for (int i = 0; i < n; i++)
        {
            cumulative += w[i];
            if (n > 2000 && random.Next(50) != 0) continue;
            double u = cumulative / s;
            if (u < 1) uniforms.AddRange([u, Math.BitDecrement(u), Math.BitIncrement(u)]);
        }

        for (int i = 0; i < 200; i++) uniforms.Add(random.NextDouble());
        foreach (double u in uniforms.Where(u => u >= 0 && u < 1))
        {
            Assert.Equal(Expected(u), draw(x, u));
        }
    }

    /// <summary>The documented weights: exp written out in fused multiply-adds of the element type (see docs/choosing.md).</summary>
    private static double[] CanonicalWeights<T>(T[] x, double? temperature)
    {
        if (typeof(T) == typeof(float))
        {
            float[] f = (float[])(object)x;
            float m = f.Max();
            float t = (float)(temperature ?? 1);
            return [.. f.Select(v => (double)ExpF(temperature is null ? v - m : (v - m) / t))];
        }

        double[] d = (double[])(object)x;
        double md = d.Max();
        return [.. d.Select(v => ExpD(temperature is null ? v - md : (v - md) / temperature.Value))];
    }

    private static float ExpF(float z)
    {
        if (!(z >= -87f)) return 0;
        const float Shifter = 12582912f;
        float k = MathF.FusedMultiplyAdd(z, 1.44269504f, Shifter);
        float n = k - Shifter;
        float r = MathF.FusedMultiplyAdd(n, -0.693145752f, z);
        r = MathF.FusedMultiplyAdd(n, -1.42860677E-06f, r);
        float p = (float)(1.0 / 5040);
        foreach (double c in new[] { 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1, 1 }) p = MathF.FusedMultiplyAdd(p, r, (float)c);
        return p * BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits(k) << 23) + 0x3F800000);
    }

    private static double ExpD(double z)
    {
        if (!(z >= -708.0)) return 0;
        const double Shifter = 6755399441055744.0;
        double k = Math.FusedMultiplyAdd(z, 1.4426950408889634, Shifter);
        double n = k - Shifter;
        double r = Math.FusedMultiplyAdd(n, -0.6931471803691238, z);
        r = Math.FusedMultiplyAdd(n, -1.9082149292705877E-10, r);
        double factorial = 6227020800; // 13!
        double p = 1 / factorial;
        for (int d = 12; d >= 0; d--)
        {
            factorial /= d + 1;
            p = Math.FusedMultiplyAdd(p, r, 1 / factorial);
        }

        return p * BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits(k) << 52) + 0x3FF0000000000000L);
    }
}
