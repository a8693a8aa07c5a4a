using System.Text;
using SoftmaxGen.Tests.Harness;
using SoftmaxGen.Tests.Numerics;
using static SoftmaxGen.Tests.Training.TrainingKernels;

namespace SoftmaxGen.Tests.Choosing;

public delegate void GumbelRandom<T>(ReadOnlySpan<T> logits, Random random, Span<T> y);

public delegate void GumbelRandomT<T>(ReadOnlySpan<T> logits, Random random, Span<T> y, T tau);

public delegate void GumbelHard<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> uniforms, Span<T> hard, Span<T> soft);

public delegate void GumbelHardT<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> uniforms, Span<T> hard, Span<T> soft, T tau);

public delegate void GumbelHardRandom<T>(ReadOnlySpan<T> logits, Random random, Span<T> hard, Span<T> soft);

/// <summary>
/// [GumbelSoftmax] in every form (kernels in <see cref="KernelLibrary"/>, so these run on every instruction-set path): soft y
/// against a double-double reference of softmax((x + g)/τ) from the same u, extreme u and logits, masked and special rows,
/// argument errors, the hard one-hot, the arg-max distribution (Gumbel-max: softmax(x), whatever τ), the backward pass being
/// [SoftmaxBackward] with the same temperature, no allocation, and a replica of the documented operations that every path
/// must match bit for bit.
/// </summary>
[Trait("Category", "Kernels")]
public class GumbelSoftmaxTests
{
    public static readonly int[] Ks = [1, 3, 10, 1000];

    /// <summary>The library's [GumbelSoftmax] declarations: Gumbel{Form}_{float|double}_{K}{suffix}, K = 0 for rows of any length.</summary>
    internal static void AppendKernels(StringBuilder b)
    {
        foreach (string t in new[] { "float", "double" })
        {
            string ros = $"ReadOnlySpan<{t}>";
            string span = $"Span<{t}>";
            foreach (int k in Ks.Append(0))
            {
                string attr = k == 0 ? "[GumbelSoftmax]" : $"[GumbelSoftmax({k})]";
                string withT = k == 0 ? "[GumbelSoftmax(Temperature = 0.5)]" : $"[GumbelSoftmax({k}, Temperature = 0.5)]";
                string hard = k == 0 ? "[GumbelSoftmax(Hard = true)]" : $"[GumbelSoftmax({k}, Hard = true)]";
                string n = $"{t}_{k}";
                b.AppendLine($"    {attr} public static partial void Gumbel_{n}({ros} logits, {ros} uniforms, {span} y);");
                b.AppendLine($"    {withT} public static partial void Gumbel_{n}_t05({ros} logits, {ros} uniforms, {span} y);");
                b.AppendLine($"    {attr} public static partial void Gumbel_{n}_rt({ros} logits, {ros} uniforms, {span} y, {t} tau);");
                b.AppendLine($"    {attr} public static partial void GumbelRandom_{n}({ros} logits, Random random, {span} y);");
                b.AppendLine($"    {attr} public static partial void GumbelRandom_{n}_rt({ros} logits, Random random, {span} y, {t} tau);");
                b.AppendLine($"    {hard} public static partial void GumbelHard_{n}({ros} logits, {ros} uniforms, {span} hard, {span} soft);");
                b.AppendLine($"    {hard} public static partial void GumbelHard_{n}_rt({ros} logits, {ros} uniforms, {span} hard, {span} soft, {t} tau);");
                b.AppendLine($"    {hard} public static partial void GumbelHardRandom_{n}({ros} logits, Random random, {span} hard, {span} soft);");
            }
        }
    }

    private static TDelegate Get<TDelegate>(string name)
        where TDelegate : Delegate => KernelLibrary.Shared.Get<TDelegate>(name);

    private static string Name<T>(string form, int k, string suffix = "") => KernelLibrary.Name<T>("Gumbel" + form, k, suffix);

    private static bool IsFloat<T>() => typeof(T) == typeof(float);

    /// <summary>u in (0, 1) as the element type: (float)NextDouble drawn again while 0 or 1 (as the Random forms do).</summary>
    private static T[] Uniforms<T>(Random random, int n)
    {
        var u = new double[n];
        for (int i = 0; i < n; i++)
        {
            double v;
            do v = IsFloat<T>() ? (float)random.NextDouble() : random.NextDouble();
            while (!(v > 0 && v < 1));
            u[i] = v;
        }

        return Cast<T>(u);
    }

    private static T[] Logits<T>(Random random, int n, double scale) =>
        Cast<T>([.. Enumerable.Range(0, n).Select(_ => scale * (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5))]);

    // ---- reference ---------------------------------------------------------------------------------------------------------

    /// <summary>
    /// −log u to double-double accuracy relative to the result: −log u for u &lt; 1/2 (scaled for tiny u); for u ≥ 1/2, −log1p(v) with v = u − 1 (exact)
    /// by 2·atanh(s) = 2 Σ s^(2n+1)/(2n+1), s = v/(2 + v), |s| ≤ 1/3 (no cancellation as u → 1).
    /// </summary>
    internal static DoubleDouble NegLog(double u)
    {
        // Tiny u by log(u·2^600) − 600·log 2 (the reference log's Newton step takes exp(−log u), which overflows for subnormal u).
        if (u < 1e-290) return -(DoubleDouble.Log(Math.ScaleB(u, 600)) - (DoubleDouble.Log(2) * 600));
        if (u < 0.5) return -DoubleDouble.Log(u);
        double v = u - 1;
        DoubleDouble s = (DoubleDouble)v / ((DoubleDouble)2 + v);
        DoubleDouble s2 = s * s, term = s, sum = s;
        for (int n = 1; n < 100; n++)
        {
            term *= s2;
            DoubleDouble add = term / (2 * n + 1);
            sum += add;
            if (Math.Abs(add.Hi) < 1e-34 * Math.Abs(sum.Hi)) break;
        }

        return -(sum * 2);
    }

    internal static DoubleDouble Gumbel(double u) => -DoubleDouble.Log(NegLog(u));

    /// <summary>softmax((x + g)/τ) in double-double for a row with a finite maximum logit and no NaN; also the arg-max of x + g and each g.</summary>
    internal static double[] Reference(double[] x, double[] u, double tau, out int argmax, out double[] g)
    {
        var keys = new DoubleDouble[x.Length];
        g = new double[x.Length];
        argmax = -1;
        for (int i = 0; i < x.Length; i++)
        {
            DoubleDouble gi = Gumbel(u[i]);
            g[i] = gi.ToDouble();
            keys[i] = double.IsNegativeInfinity(x[i]) ? double.NegativeInfinity : (DoubleDouble)x[i] + gi;
            if (!double.IsNegativeInfinity(x[i]) && (argmax < 0 || keys[i] > keys[argmax])) argmax = i;
        }

        DoubleDouble m = keys[argmax];
        var e = new DoubleDouble[x.Length];
        DoubleDouble s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            // exp underflows long before (key − m)/τ would overflow (which the double-double division turns into NaN).
            DoubleDouble d = keys[i] - m;
            e[i] = double.IsNegativeInfinity(x[i]) || d.Hi < -1e6 * tau ? 0 : DoubleDouble.Exp(d / tau);
            s += e[i];
        }

        return [.. e.Select(v => (v / s).ToDouble())];
    }

    /// <summary>
    /// float: within 2 ulps relative (plus 2 subnormal steps). double: within the conditioning of the row, 4ε·(4 + 3|z_i| + (|g_i| + 2)/τ
    /// + Σ_j y_j (3|z_j| + (|g_j| + 2)/τ)) relative: g is good to ε(|g| + 2) absolute, z is rounded to ε|z|, and y_i moves by those.
    /// </summary>
    private static void AssertMatches<T>(T[] y, double[] x, double[] u, double tau, string what)
    {
        double[] r = Reference(x, u, tau, out int argmax, out double[] g);
        double[] z = [.. x.Select((xi, i) => double.IsNegativeInfinity(xi) ? 0 : (xi + g[i] - (x[argmax] + g[argmax])) / tau)];
        // An entry of weight 0 adds nothing (its z may be −∞: −max − max).
        double Spread(int j) => r[j] == 0 ? 0 : (3 * Math.Abs(z[j])) + ((Math.Abs(g[j]) + 2) / tau);
        double spread = r.Select((ri, j) => ri * Spread(j)).Sum();
        double[] actual = ToDouble(y);
        for (int i = 0; i < y.Length; i++)
        {
            double bound = IsFloat<T>()
                ? (Math.Pow(2, -23) * r[i]) + Math.Pow(2, -148)
                : (4 * Math.Pow(2, -53) * r[i] * (4 + Spread(i) + spread)) + (4 * double.Epsilon);
            Assert.True(Math.Abs(actual[i] - r[i]) <= bound,
                $"{what}: y[{i}] = {actual[i]:R}, reference {r[i]:R} (x = {x[i]:R}, u = {u[i]:R}, τ = {tau}), error {Math.Abs(actual[i] - r[i]):E3} > {bound:E3}");
            if (double.IsNegativeInfinity(x[i])) Assert.True(actual[i] == 0, $"{what}: a −∞ logit got y[{i}] = {actual[i]}");
        }
    }

    // ---- accuracy ----------------------------------------------------------------------------------------------------------

    public static TheoryData<int> KsAndAny() => new(Ks.Append(0));

    [Theory]
    [MemberData(nameof(KsAndAny))]
    public void Soft_MatchesTheReference_FromTheSameUniforms(int k)
    {
        Soft<float>(k);
        Soft<double>(k);
    }

    private static void Soft<T>(int k)
    {
        int n = k == 0 ? 3001 : k; // any length: a row above 1024 entries, which computes g again instead of keeping it
        int rows = k == 0 ? 1 : Math.Max(1, 3000 / k);
        var random = new Random(100 + k);
        T[] x = Logits<T>(random, rows * n, 3);
        T[] u = Uniforms<T>(random, rows * n);
        var cases = new (string Name, double Tau, Action<T[]> Run)[]
        {
            ("T = 1", 1, y => Get<Map2<T>>(Name<T>("", k))(x, u, y)),
            ("Temperature = 0.5", 0.5, y => Get<Map2<T>>(Name<T>("", k, "_t05"))(x, u, y)),
            ("runtime τ = 2", 2, y => Get<Map2T<T>>(Name<T>("", k, "_rt"))(x, u, y, FromD<T>(2))),
            ("runtime τ = 0.05", D(FromD<T>(0.05)), y => Get<Map2T<T>>(Name<T>("", k, "_rt"))(x, u, y, FromD<T>(0.05))), // float τ is (float)0.05
            ("hard, soft output", 1, y => Get<GumbelHard<T>>(Name<T>("Hard", k))(x, u, new T[y.Length], y)),
            ("hard, soft output, runtime τ = 0.5", 0.5, y => Get<GumbelHardT<T>>(Name<T>("Hard", k, "_rt"))(x, u, new T[y.Length], y, FromD<T>(0.5))),
        };

        double[] x64 = ToDouble(x), u64 = ToDouble(u);
        foreach (var (name, tau, run) in cases)
        {
            T[] y = new T[x.Length];
            run(y);
            for (int row = 0; row < rows; row++)
            {
                AssertMatches(y[(row * n)..((row + 1) * n)], x64[(row * n)..((row + 1) * n)], u64[(row * n)..((row + 1) * n)], tau, $"{typeof(T).Name} K = {k}, {name}, row {row}");
            }
        }
    }

    /// <summary>The extreme uniforms (float: 2⁻¹⁴⁹, 1 − 2⁻²⁴; double: 2⁻¹⁰⁷⁴, 1 − 2⁻⁵³) and extreme logits give no NaN and match the reference.</summary>
    [Fact]
    public void ExtremeUniformsAndLogits_GiveNoNaN_AndMatchTheReference()
    {
        Extreme<float>([float.Epsilon, 1 - Math.Pow(2, -24), Math.Pow(2, -24), 0.5, 1 - Math.Pow(2, -23)]);
        Extreme<double>([double.Epsilon, 1 - Math.Pow(2, -53), Math.Pow(2, -53), 0.5, 1 - Math.Pow(2, -52)]);
    }

    private static void Extreme<T>(double[] extremeU)
    {
        double max = IsFloat<T>() ? float.MaxValue : double.MaxValue;
        double[][] rows =
        [
            [0, 0, 0, 0, 0],
            [1000, -1000, 1000, 0, -1000],
            [1e30, 1e30, 1e30, -1e30, 0],
            [1e30, 1e30 * (1 + 1e-6), 1e30, 1e30, 1e30],
            [max, max, -max, 0, max],
            [double.NegativeInfinity, 0, double.NegativeInfinity, 5, double.NegativeInfinity],
            [double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, -1e30],
        ];

        var gumbel = Get<Map2<T>>(Name<T>("", 0));
        var hard = Get<GumbelHardT<T>>(Name<T>("Hard", 0, "_rt"));
        foreach (double[] row in rows)
        {
            T[] x = Cast<T>(row);
            double[] x64 = ToDouble(x);
            // Every rotation of the extreme uniforms, so each entry meets each u.
            for (int shift = 0; shift < extremeU.Length; shift++)
            {
                T[] u = Cast<T>([.. Enumerable.Range(0, 5).Select(i => extremeU[(i + shift) % extremeU.Length])]);
                double[] u64 = ToDouble(u);
                foreach (double tau in new[] { 1, D(FromD<T>(0.1)), 10 }) // a runtime float τ is (float)0.1
                {
                    T[] y = new T[5], h = new T[5];
                    if (tau == 1) gumbel(x, u, y);
                    else hard(x, u, h, y, FromD<T>(tau));
                    string what = $"{typeof(T).Name} x = [{string.Join(", ", row)}], u = [{string.Join(", ", u64)}], τ = {tau}";
                    Assert.DoesNotContain(ToDouble(y), double.IsNaN);
                    AssertMatches(y, x64, u64, tau, what);
                    if (tau != 1)
                    {
                        Reference(x64, u64, tau, out int argmax, out _);
                        Assert.Equal(OneHot(5, argmax), ToDouble(h));
                    }
                }
            }
        }
    }

    private static double[] OneHot(int n, int a) => [.. Enumerable.Range(0, n).Select(i => i == a ? 1.0 : 0.0)];

    /// <summary>−∞ entries never win and get 0; +∞ entries share everything by softmax(g/τ) among them; NaN or all −∞ rows are NaN in soft and hard.</summary>
    [Fact]
    public void MaskedInfiniteAndNaNRows_HaveTheirLimits()
    {
        Special<float>();
        Special<double>();
    }

    private static void Special<T>()
    {
        var hard = Get<GumbelHardT<T>>(Name<T>("Hard", 0, "_rt"));
        var random = new Random(3);
        double inf = double.PositiveInfinity;
        for (int trial = 0; trial < 200; trial++)
        {
            T[] u = Uniforms<T>(random, 6);
            double[] u64 = ToDouble(u);
            double tau = trial % 2 == 0 ? 1 : 0.25;

            // Masked: entries 0, 2, 5 are −∞ and never win, whatever their u.
            double[] masked = [double.NegativeInfinity, 2, double.NegativeInfinity, 1, 3, double.NegativeInfinity];
            T[] h = new T[6], y = new T[6];
            hard(Cast<T>(masked), u, h, y, FromD<T>(tau));
            double[] hd = ToDouble(h), yd = ToDouble(y);
            Assert.True(hd[0] == 0 && hd[2] == 0 && hd[5] == 0 && yd[0] == 0 && yd[2] == 0 && yd[5] == 0, "a −∞ entry was chosen or got weight");
            Assert.Equal(1, hd.Sum());

            // +∞ entries (1 and 4): the limit is softmax(g/τ) over them, the others 0; hard picks the larger g.
            double[] infinite = [0, inf, 1e30, -inf, inf, 5];
            hard(Cast<T>(infinite), u, h, y, FromD<T>(tau));
            hd = ToDouble(h);
            yd = ToDouble(y);
            double g1 = Gumbel(u64[1]).ToDouble(), g4 = Gumbel(u64[4]).ToDouble();
            double y1 = 1 / (1 + Math.Exp((g4 - g1) / tau));
            double tolerance = IsFloat<T>() ? 1e-6 : 1e-14;
            Assert.True(Math.Abs(yd[1] - y1) <= tolerance && Math.Abs(yd[4] - (1 - y1)) <= tolerance, $"+∞ limit: [{string.Join(", ", yd)}], expected y1 = {y1}");
            Assert.True(yd[0] == 0 && yd[2] == 0 && yd[3] == 0 && yd[5] == 0);
            Assert.Equal(OneHot(6, g1 >= g4 ? 1 : 4), hd);

            // NaN anywhere, or every entry −∞: NaN in soft and in hard.
            foreach (double[] row in new[] { [0, 1, double.NaN, 2, 3, 4], new[] { -inf, -inf, -inf, -inf, -inf, -inf }, [double.NaN, inf, -inf, 0, 0, 0] })
            {
                hard(Cast<T>(row), u, h, y, FromD<T>(tau));
                Assert.All(ToDouble(y), v => Assert.True(double.IsNaN(v)));
                Assert.All(ToDouble(h), v => Assert.True(double.IsNaN(v)));
            }
        }
    }

    // ---- hard, forms, distribution -----------------------------------------------------------------------------------------

    /// <summary>hard is the one-hot of the soft output's arg-max; soft is bit for bit the one-output kernel's y; Random forms draw u_i per entry in index order.</summary>
    [Fact]
    public void Hard_IsTheOneHotOfTheArgMax_AndTheFormsAgree()
    {
        Forms<float>();
        Forms<double>();
    }

    private static void Forms<T>()
    {
        const int K = 10, Rows = 50;
        var random = new Random(11);
        T[] x = Logits<T>(random, K * Rows, 2);
        T[] u = Uniforms<T>(random, K * Rows);
        T[] y = new T[x.Length], hard = new T[x.Length], soft = new T[x.Length];
        Get<Map2<T>>(Name<T>("", K))(x, u, y);
        Get<GumbelHard<T>>(Name<T>("Hard", K))(x, u, hard, soft);
        Assert.Equal(y, soft);
        double[] x64 = ToDouble(x), u64 = ToDouble(u), h64 = ToDouble(hard);
        for (int row = 0; row < Rows; row++)
        {
            Reference(x64[(row * K)..((row + 1) * K)], u64[(row * K)..((row + 1) * K)], 1, out int argmax, out _);
            Assert.Equal(OneHot(K, argmax), h64[(row * K)..((row + 1) * K)]);
            double[] ys = ToDouble(y[(row * K)..((row + 1) * K)]);
            Assert.Equal(argmax, Array.IndexOf(ys, ys.Max()));
        }

        // The any-length kernels on one row agree with the K = 10 ones.
        T[] row0 = new T[K], hard0 = new T[K];
        Get<Map2<T>>(Name<T>("", 0))(x.AsSpan(0, K), u.AsSpan(0, K), row0);
        Assert.Equal(y[..K], row0);

        // Random forms: the same seed drawn by hand gives the same u, so the same output.
        T[] fromRandom = new T[x.Length], hardRandom = new T[x.Length], softRandom = new T[x.Length];
        Get<GumbelRandom<T>>(Name<T>("Random", K))(x, new Random(42), fromRandom);
        T[] drawn = Uniforms<T>(new Random(42), x.Length);
        Get<Map2<T>>(Name<T>("", K))(x, drawn, y);
        Assert.Equal(y, fromRandom);
        Get<GumbelHardRandom<T>>(Name<T>("HardRandom", K))(x, new Random(42), hardRandom, softRandom);
        Get<GumbelHard<T>>(Name<T>("Hard", K))(x, drawn, hard, soft);
        Assert.Equal(hard, hardRandom);
        Assert.Equal(soft, softRandom);
        Get<GumbelRandomT<T>>(Name<T>("Random", 0, "_rt"))(x.AsSpan(0, 7), new Random(42), row0.AsSpan(0, 7), FromD<T>(0.5));
        Get<Map2T<T>>(Name<T>("", 0, "_rt"))(x.AsSpan(0, 7), drawn.AsSpan(0, 7), hard0.AsSpan(0, 7), FromD<T>(0.5));
        Assert.Equal(hard0[..7], row0[..7]);
    }

    /// <summary>The Gumbel-max trick: argmax(x + g) is distributed as softmax(x), whatever τ (chi-square, fixed seeds).</summary>
    [Fact]
    public void ArgMaxOfHardSamples_FollowsSoftmaxOfTheLogits()
    {
        Distribution<float>();
        Distribution<double>();
    }

    private static void Distribution<T>()
    {
        const int K = 10, Draws = 20000;
        T[] x = Cast<T>(SoftmaxSampleTests.Logits(K, 2024, null, null));
        double[] p = SoftmaxSampleTests.Reference(ToDouble(x), 1, null, null);
        T[] rows = [.. Enumerable.Range(0, Draws).SelectMany(_ => x)];
        T[] hard = new T[rows.Length], soft = new T[rows.Length];

        Get<GumbelHardRandom<T>>(Name<T>("HardRandom", K))(rows, new Random(7), hard, soft);
        SoftmaxSampleTests.AssertFits(Counts(hard), p, Draws, $"{typeof(T).Name} Random batch, τ = 1");

        T[] u = Uniforms<T>(new Random(8), rows.Length);
        Get<GumbelHardT<T>>(Name<T>("Hard", K, "_rt"))(rows, u, hard, soft, FromD<T>(0.25));
        SoftmaxSampleTests.AssertFits(Counts(hard), p, Draws, $"{typeof(T).Name} uniforms batch, τ = 0.25");

        var any = Get<GumbelHardT<T>>(Name<T>("Hard", 0, "_rt"));
        T[] u1 = new T[K], h1 = new T[K], s1 = new T[K];
        var random = new Random(9);
        int[] counts = new int[K];
        for (int i = 0; i < Draws; i++)
        {
            Uniforms<T>(random, K).CopyTo(u1, 0);
            any(x, u1, h1, s1, FromD<T>(4));
            counts[Array.IndexOf(ToDouble(h1), 1.0)]++;
        }

        SoftmaxSampleTests.AssertFits(counts, p, Draws, $"{typeof(T).Name} any length, τ = 4");

        int[] Counts(T[] h)
        {
            double[] hd = ToDouble(h);
            int[] c = new int[K];
            for (int row = 0; row < Draws; row++)
            {
                double[] one = hd[(row * K)..((row + 1) * K)];
                Assert.Equal(1, one.Sum());
                c[Array.IndexOf(one, 1.0)]++;
            }

            return c;
        }
    }

    /// <summary>
    /// The straight-through estimator's gradient: with u fixed, ∂⟨w, soft⟩/∂x by central differences equals
    /// [SoftmaxBackward(K, Temperature = τ)] applied to soft and w (double, K = 10, compile-time and runtime τ).
    /// </summary>
    [Fact]
    public void SoftGradient_IsSoftmaxBackwardWithTheSameTemperature()
    {
        const int K = 10;
        var random = new Random(5);
        var backward = Get<Map2T<double>>(KernelLibrary.Name<double>("SoftmaxBackward", K, "_rt"));
        var runtime = Get<Map2T<double>>(Name<double>("", K, "_rt"));
        var compileTime = Get<Map2<double>>(Name<double>("", K, "_t05"));
        foreach (var (tau, soft) in new (double, Func<double[], double[], double[]>)[]
        {
            (0.5, (x, u) => { var y = new double[K]; compileTime(x, u, y); return y; }),
            (0.5, (x, u) => { var y = new double[K]; runtime(x, u, y, 0.5); return y; }),
            (2, (x, u) => { var y = new double[K]; runtime(x, u, y, 2); return y; }),
        })
        {
            for (int trial = 0; trial < 20; trial++)
            {
                double[] x = Logits<double>(random, K, 1);
                double[] u = Uniforms<double>(random, K);
                double[] w = [.. Enumerable.Range(0, K).Select(_ => random.NextDouble() - 0.5)];
                double[] y = soft(x, u);
                double[] dx = new double[K];
                backward(y, w, dx, tau);
                for (int j = 0; j < K; j++)
                {
                    const double H = 1e-5;
                    double[] plus = (double[])x.Clone(), minus = (double[])x.Clone();
                    plus[j] += H;
                    minus[j] -= H;
                    double fd = (Dot(w, soft(plus, u)) - Dot(w, soft(minus, u))) / (2 * H);
                    Assert.True(Math.Abs(fd - dx[j]) <= 1e-8, $"τ = {tau}, trial {trial}: ∂L/∂x_{j} = {fd:R} by differences, SoftmaxBackward gives {dx[j]:R}");
                }
            }
        }

        static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();
    }

    // ---- argument errors, allocation ---------------------------------------------------------------------------------------

    [Fact]
    public void ArgumentErrors_NameTheParameter_AndWriteNothing()
    {
        Errors<float>();
        Errors<double>();
    }

    private static void Errors<T>()
    {
        T sentinel = FromD<T>(-7);
        T[] Fresh(int n) => [.. Enumerable.Repeat(sentinel, n)];
        void Untouched(params T[][] outputs) => Assert.All(outputs, o => Assert.All(o, v => Assert.Equal(sentinel, v)));
        T[] x = Cast<T>([1, 2, 3, 4, 5, 6]);
        T[] u = Cast<T>([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
        var three = Get<Map2<T>>(Name<T>("", 3));
        var any = Get<Map2<T>>(Name<T>("", 0));
        var hard3 = Get<GumbelHard<T>>(Name<T>("Hard", 3));
        var anyT = Get<Map2T<T>>(Name<T>("", 0, "_rt"));
        var random3 = Get<GumbelRandom<T>>(Name<T>("Random", 3));

        T[] y = Fresh(6), h = Fresh(6);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => three(x.AsSpan(0, 5), u.AsSpan(0, 5), y.AsSpan(0, 5))).ParamName);
        Assert.Equal("uniforms", Assert.Throws<ArgumentException>(() => three(x, u.AsSpan(0, 3), y)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => three(x, u, y.AsSpan(0, 3))).ParamName);
        Assert.Equal("hard", Assert.Throws<ArgumentException>(() => hard3(x, u, h.AsSpan(0, 5), y)).ParamName);
        Assert.Equal("soft", Assert.Throws<ArgumentException>(() => hard3(x, u, h, y.AsSpan(1))).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => any([], [], [])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => random3(x, new Random(1), y.AsSpan(0, 3))).ParamName);
        Assert.Equal("random", Assert.Throws<ArgumentNullException>(() => random3(x, null!, y)).ParamName);
        Assert.Equal("tau", Assert.Throws<ArgumentOutOfRangeException>(() => anyT(x, u, y, FromD<T>(0))).ParamName);
        Assert.Equal("tau", Assert.Throws<ArgumentOutOfRangeException>(() => anyT(x, u, y, FromD<T>(double.NaN))).ParamName);
        Untouched(y, h);

        // u outside (0, 1), anywhere in the batch: nothing is written, not even the rows before it.
        foreach (double bad in new[] { 0.0, 1.0, -0.0, -0.25, 1.5, double.NaN, double.PositiveInfinity })
        {
            T[] ub = Cast<T>([0.1, 0.2, 0.3, 0.4, 0.5, bad]);
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => three(x, ub, y));
            Assert.Equal("uniforms", e.ParamName);
            Assert.Contains("uniforms[5]", e.Message, StringComparison.Ordinal);
            Assert.Equal("uniforms", Assert.Throws<ArgumentOutOfRangeException>(() => hard3(x, ub, h, y)).ParamName);
            Untouched(y, h);
        }
    }

    [Fact]
    public void EveryForm_AllocatesNothing()
    {
        const int K = 10;
        var random = new Random(1);
        float[] x = Logits<float>(random, 67 * K, 3), u = Uniforms<float>(random, 67 * K), y = new float[x.Length], h = new float[x.Length];
        double[] xd = ToDouble(x), ud = ToDouble(u), yd = new double[x.Length], hd = new double[x.Length];
        var plainF = Get<Map2<float>>(Name<float>("", K));
        var hardD = Get<GumbelHardT<double>>(Name<double>("Hard", 0, "_rt"));
        var randomF = Get<GumbelRandom<float>>(Name<float>("Random", K));
        var hardRandomD = Get<GumbelHardRandom<double>>(Name<double>("HardRandom", K));
        var source = new Random(2);
        Action all = () =>
        {
            plainF(x, u, y);
            hardD(xd, ud, hd, yd, 0.5);
            randomF(x, source, y);
            hardRandomD(xd, source, hd, yd);
        };
        all();
        long least = long.MaxValue;
        for (int round = 0; round < 3 && least > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++) all();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
    }

    // ---- the documented operations, bit for bit ----------------------------------------------------------------------------

    /// <summary>
    /// The kernel's output equals, bit for bit, the operations its docs list (g = −Math.Log(−Math.Log(u)) in double, x + g as a TwoSum
    /// pair, the maximum pair, exp of the shifted pair divided by τ, a Neumaier sum, the division), here and in every instruction-set
    /// child process: so the same u gives the same y on every path.
    /// </summary>
    [Fact]
    public void Output_IsTheDocumentedOperations_BitForBit()
    {
        Replica<float>();
        Replica<double>();
    }

    private static void Replica<T>()
    {
        Replica<T>(1000, 3, (x, u, y, t) => Get<Map2T<T>>(Name<T>("", 1000, "_rt"))(x, u, y, t)); // g kept on the stack
        Replica<T>(3001, 1, (x, u, y, t) => Get<Map2T<T>>(Name<T>("", 0, "_rt"))(x, u, y, t)); // g computed again
    }

    private static void Replica<T>(int K, int rows, Map2T<T> kernel)
    {
        var random = new Random(31);
        T[] x = Logits<T>(random, rows * K, 4);
        T[] u = Uniforms<T>(random, rows * K);
        T[] y = new T[x.Length];
        kernel(x, u, y, FromD<T>(0.7));
        double tau = D(FromD<T>(0.7));
        double[] x64 = ToDouble(x), u64 = ToDouble(u), y64 = ToDouble(y);
        for (int row = 0; row < rows; row++)
        {
            int o = row * K;
            var h = new double[K];
            var l = new double[K];
            double mh = double.NegativeInfinity, ml = 0;
            for (int i = 0; i < K; i++)
            {
                double g = -Math.Log(-Math.Log(u64[o + i]));
                h[i] = x64[o + i] + g;
                double bv = h[i] - x64[o + i];
                l[i] = (x64[o + i] - (h[i] - bv)) + (g - bv);
                if (h[i] > mh || (h[i] == mh && l[i] > ml)) { mh = h[i]; ml = l[i]; }
            }

            double s = 0, c = 0;
            var e = new double[K];
            for (int i = 0; i < K; i++)
            {
                double ei = Math.Exp(((h[i] - mh) + (l[i] - ml)) / tau);
                e[i] = IsFloat<T>() ? (float)ei : ei; // what y holds until the division
                double sum = s + ei;
                c += Math.Abs(s) >= Math.Abs(ei) ? (s - sum) + ei : (ei - sum) + s;
                s = sum;
            }

            s += c;
            for (int i = 0; i < K; i++)
            {
                double expected = IsFloat<T>() ? (float)(e[i] / s) : e[i] / s;
                Assert.True(expected.Equals(y64[o + i]), $"{typeof(T).Name} row {row}, y[{i}] = {y64[o + i]:R}, the documented operations give {expected:R}");
            }
        }
    }
}
