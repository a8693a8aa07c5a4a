using System.Globalization;
using System.Numerics;
using System.Text;
using SoftmaxGen.Tests.Harness;
using SoftmaxGen.Tests.Numerics;
using Xunit.Abstractions;

namespace SoftmaxGen.Tests.Choosing;

/// <summary>
/// [Softmin] and the Base property of [Softmax], [LogSoftmax], [LogSumExp] and [Softmin], against double-double references:
/// softmin from the softmax reference on −x (negation is exact), a base b from p ∝ exp(x·ln b) with ln b in double-double.
/// Bound, as the family's tempered forms: ≤ 2·(1 + |z_i|) ulp, z the scaled shifted logits. These kernels are scalar on
/// every machine (see KernelPlan), so they are not re-run on each instruction-set path; the masked softmin is, in MaskedRowTests.
/// </summary>
public class SoftminAndBaseTests(ITestOutputHelper output)
{
    public static readonly int[] Ks = [1, 2, 3, 10, 33, 1000];

    /// <summary>The bases the kernels are built with: above 1, far above 1, below 1 (reads −x), and close to 1.</summary>
    public static readonly double[] Bases = [2, 10, 0.5, 1.0001];

    private static readonly Lazy<LoadedAssembly> s_assembly = new(() => GeneratorRun.Run(Source()).AssertClean().Load());

    private static string BaseName(double b) => b.ToString("R", CultureInfo.InvariantCulture).Replace('.', 'p');

    private static string Source()
    {
        var b = new StringBuilder("using System;\nusing SoftmaxGen;\nnamespace Tests;\npublic static partial class Choosing\n{\n");
        foreach (string t in new[] { "float", "double" })
        {
            string ros = $"ReadOnlySpan<{t}>", span = $"Span<{t}>";
            foreach (int k in Ks.Prepend(0))
            {
                string n = $"{t}_{k}";
                string Attr(string op, string named) =>
                    $"[{op}({string.Join(", ", new[] { k == 0 ? string.Empty : k.ToString(CultureInfo.InvariantCulture), named }.Where(a => a.Length > 0))})]";
                b.Append($"    {Attr("Softmin", "")} public static partial void Softmin_{n}({ros} x, {span} y);\n");
                b.Append($"    {Attr("Softmin", "")} public static partial void SoftminInPlace_{n}({span} v);\n");
                b.Append($"    {Attr("Softmin", "Temperature = 0.5")} public static partial void SoftminHalf_{n}({ros} x, {span} y);\n");
                b.Append($"    {Attr("Softmin", "")} public static partial void SoftminRt_{n}({ros} x, {span} y, {t} temperature);\n");
                b.Append($"    {Attr("Softmin", "ZeroFullyMaskedRows = true")} public static partial void SoftminZero_{n}({ros} x, {span} y);\n");
                foreach (double numberBase in Bases)
                {
                    string bn = BaseName(numberBase), bv = numberBase.ToString("R", CultureInfo.InvariantCulture);
                    b.Append($"    {Attr("Softmax", $"Base = {bv}")} public static partial void SoftmaxB{bn}_{n}({ros} x, {span} y);\n");
                    b.Append($"    {Attr("LogSoftmax", $"Base = {bv}")} public static partial void LogSoftmaxB{bn}_{n}({ros} x, {span} y);\n");
                    b.Append($"    {Attr("LogSumExp", $"Base = {bv}")} public static partial {t} LogSumExpB{bn}_{n}({ros} x);\n");
                    b.Append($"    {Attr("Softmin", $"Base = {bv}")} public static partial void SoftminB{bn}_{n}({ros} x, {span} y);\n");
                }

                b.Append($"    {Attr("Softmax", "Base = 2")} public static partial void SoftmaxB2Rt_{n}({ros} x, {span} y, {t} temperature);\n");
                b.Append($"    {Attr("LogSumExp", "Base = 0.5, Temperature = 3")} public static partial {t} LogSumExpB0p5T3_{n}({ros} x);\n");
            }
        }

        return b.Append("}\n").ToString();
    }

    private static TDelegate Get<TDelegate>(string name)
        where TDelegate : Delegate => s_assembly.Value.Bind<TDelegate>("Tests.Choosing", name);

    public static TheoryData<int> RowLengths => new(Ks);

    /// <summary>
    /// The reference for p ∝ exp(σ·x/T'), with σ = ±1 and T' = T/|ln b| (or T): the limits from the softmax reference on σ·x, the
    /// rest in double-double from z_j = (σx_j − m)·|ln b|/T, m = max σx.
    /// </summary>
    private static (DoubleDouble[] P, DoubleDouble[] LogP, DoubleDouble Lse, double[] Z) Expected(double[] x, bool negate, double? numberBase, double t, bool zero = false)
    {
        double[] w = negate ? x.Select(v => -v).ToArray() : x;
        DoubleDouble scale = numberBase is { } b ? DoubleDouble.Log(b) : 1.0;
        if (scale.Hi < 0) scale = -scale;
        scale /= t;
        var p = Reference.Softmax(w, 1, zero);
        var logP = Reference.LogSoftmax(w, 1, zero);
        double m = w.Max();
        bool ordinary = !w.Any(double.IsNaN) && !double.IsInfinity(m);
        var z = new double[x.Length];
        DoubleDouble lse = ordinary ? 0.0 : Reference.LogSumExp(w) * (negate ? -1.0 : 1.0);
        if (!ordinary)
        {
            return (p, logP, lse, z);
        }

        var zz = w.Select(v => ((DoubleDouble)v - m) * scale).ToArray();
        DoubleDouble s = 0;
        foreach (DoubleDouble v in zz) s += DoubleDouble.Exp(v);
        DoubleDouble logS = DoubleDouble.Log(s);
        for (int j = 0; j < x.Length; j++)
        {
            p[j] = DoubleDouble.Exp(zz[j]) / s;
            logP[j] = zz[j].IsFinite ? zz[j] - logS : double.NegativeInfinity;
            z[j] = zz[j].ToDouble();
        }

        lse = (m + (logS / scale)) * (negate ? -1.0 : 1.0);
        return (p, logP, lse, z);
    }

    /// <summary>Gaussian rows at scales 1 and 30 around 0 and ±1000, plus the limits (NaN, ±∞, all ±∞) and an overflowing row.</summary>
    private static IEnumerable<double[]> Rows(int k, int seed)
    {
        var random = new Random(seed * 7919 + k);
        int count = k >= 1000 ? 2 : 12;
        foreach (double scale in new[] { 1.0, 30.0 })
        {
            foreach (double offset in new[] { 0.0, 1000.0, -1000.0 })
            {
                for (int r = 0; r < count; r++)
                {
                    yield return Enumerable.Range(0, k).Select(_ => (AccuracyTests.Gaussian(random) * scale) + offset).ToArray();
                }
            }
        }

        yield return Enumerable.Range(0, k).Select(i => i % 3 == 2 ? 999.0 : 1000.0).ToArray();
        yield return Enumerable.Range(0, k).Select(i => i % 3 == 2 ? -999.0 : -1000.0).ToArray();
        foreach (double special in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            double[] row = Enumerable.Range(0, k).Select(_ => random.NextDouble()).ToArray();
            row[k / 2] = special;
            yield return row;
            yield return Enumerable.Repeat(special, k).ToArray();
        }
    }

    private static double Bound(double z) => double.IsFinite(z) ? 2 * (1 + Math.Abs(z)) : 1;

    [Theory]
    [MemberData(nameof(RowLengths))]
    public void Softmin_EveryForm_WithinBound(int k)
    {
        double worst = 0;
        foreach (int kk in new[] { k, 0 })
        {
            worst = Math.Max(worst, CheckSoftmin<float>(kk, k));
            worst = Math.Max(worst, CheckSoftmin<double>(kk, k));
        }

        output.WriteLine($"softmin K={k}: worst error / bound {worst:0.000}");
        Assert.InRange(worst, 0, 1);
    }

    private static double CheckSoftmin<T>(int kernelK, int k)
        where T : unmanaged, IFloatingPoint<T>
    {
        string n = $"{(typeof(T) == typeof(float) ? "float" : "double")}_{kernelK}";
        var plain = Get<Map<T>>("Softmin_" + n);
        var inPlace = Get<InPlace<T>>("SoftminInPlace_" + n);
        var half = Get<Map<T>>("SoftminHalf_" + n);
        var runtime = Get<MapT<T>>("SoftminRt_" + n);
        var zero = Get<Map<T>>("SoftminZero_" + n);
        double worst = 0;
        foreach (double[] row in Rows(k, 3))
        {
            T[] x = row.Select(T.CreateSaturating).ToArray();
            double[] xd = x.Select(double.CreateSaturating).ToArray();
            foreach (double t in new[] { 1, 0.5, 2.5, 0.01 })
            {
                T[] y = new T[k];
                if (t == 1) plain(x, y);
                else if (t == 0.5) half(x, y);
                else runtime(x, y, T.CreateSaturating(t));
                T[] yRt = new T[k];
                runtime(x, yRt, T.CreateSaturating(t));

                // The softmax reference on −x (exact) with the kernel's own T.
                DoubleDouble[] expected = Reference.Softmax(xd.Select(v => -v).ToArray(), double.CreateSaturating(T.CreateSaturating(t)));
                double m = xd.Min();
                for (int i = 0; i < k; i++)
                {
                    double bound = Bound((m - xd[i]) / t);
                    worst = Math.Max(worst, Error(y[i], expected[i]) / bound);
                    worst = Math.Max(worst, Error(yRt[i], expected[i]) / bound);
                }
            }

            T[] v = (T[])x.Clone();
            inPlace(v);
            T[] separate = new T[k];
            plain(x, separate);
            Assert.Equal(separate, v);

            T[] masked = new T[k];
            zero(x, masked);
            bool allPositiveInfinity = xd.All(double.IsPositiveInfinity);
            Assert.Equal(allPositiveInfinity ? new T[k] : separate, masked);
        }

        return worst;
    }

    private static double Error<T>(T actual, DoubleDouble expected)
        where T : unmanaged, IFloatingPoint<T> =>
        typeof(T) == typeof(float) ? Ulp.ErrorFloat(float.CreateSaturating(actual), expected) : Ulp.ErrorDouble(double.CreateSaturating(actual), expected);

    [Theory]
    [MemberData(nameof(RowLengths))]
    public void Base_SoftmaxLogSoftmaxLogSumExpAndSoftmin_WithinBound(int k)
    {
        var worst = new Dictionary<string, double>();
        foreach (int kk in new[] { k, 0 })
        {
            foreach (double b in Bases)
            {
                CheckBase<float>(kk, k, b, worst);
                CheckBase<double>(kk, k, b, worst);
            }
        }

        output.WriteLine($"K={k}: " + string.Join(", ", worst.Select(p => $"{p.Key} {p.Value:0.000}")));
        Assert.All(worst, p => Assert.InRange(p.Value, 0, 1));
    }

    private static void CheckBase<T>(int kernelK, int k, double numberBase, Dictionary<string, double> worst)
        where T : unmanaged, IFloatingPoint<T>
    {
        bool isFloat = typeof(T) == typeof(float);
        string n = $"B{BaseName(numberBase)}_{(isFloat ? "float" : "double")}_{kernelK}";
        var softmax = Get<Map<T>>("Softmax" + n);
        var logSoftmax = Get<Map<T>>("LogSoftmax" + n);
        var lse = Get<Reduce<T>>("LogSumExp" + n);
        var softmin = Get<Map<T>>("Softmin" + n);
        double unit = isFloat ? Math.ScaleB(1, -23) : Math.ScaleB(1, -52); // one ulp of 1
        void Note(string key, double value) => worst[key + (isFloat ? " float" : " double")] = Math.Max(worst.GetValueOrDefault(key + (isFloat ? " float" : " double")), value);

        foreach (double[] row in Rows(k, 5))
        {
            T[] x = row.Select(T.CreateSaturating).ToArray();
            double[] xd = x.Select(double.CreateSaturating).ToArray();
            bool less = numberBase < 1;
            var (p, logP, expectedLse, z) = Expected(xd, negate: less, numberBase, 1);
            var (q, _, _, zq) = Expected(xd, negate: !less, numberBase, 1);

            T[] y = new T[k], ly = new T[k], my = new T[k];
            softmax(x, y);
            logSoftmax(x, ly);
            softmin(x, my);
            for (int i = 0; i < k; i++)
            {
                Note("softmax", Error(y[i], p[i]) / Bound(z[i]));
                Note("softmin", Error(my[i], q[i]) / Bound(zq[i]));

                // Log-probabilities: in ulps of max(1, |log p_i|), the log-domain measure.
                double logError = Ulp.RelativeToOne(double.CreateSaturating(ly[i]), logP[i]) / unit;
                Note("log-softmax", logError / Bound(z[i]));
            }

            // log_b Σ b^{x_j} = ±(m + log s / |ln b|): in ulps of max(1, |m|, log s / |ln b|), the size of its two terms.
            double value = double.CreateSaturating(lse(x));
            double e = expectedLse.ToDouble();
            double scale = Math.Max(1, Math.Max(Math.Abs(xd.Max()), Math.Abs(xd.Min())) + (Math.Log(k) / Math.Abs(Math.Log(numberBase))));
            double lseError = double.IsFinite(e) || double.IsFinite(value)
                ? (value.Equals(e) ? 0 : Math.Abs(((DoubleDouble)value - expectedLse).ToDouble()) / (unit * scale))
                : value.Equals(e) ? 0 : double.PositiveInfinity;
            Note("log-sum-exp", lseError / 4);
        }
    }

    /// <summary>b = 2 gives p_i ∝ 2^{x_i} exactly on small integers; b and 1/b are softmax and softmin of each other; T and b combine.</summary>
    [Fact]
    public void Base_MatchesItsDefinition_OnExactCases()
    {
        double[] y = new double[3];
        Get<Map<double>>("SoftmaxB2_double_3")([1, 2, 3], y);
        Assert.Equal([1 / 7.0, 2 / 7.0, 4 / 7.0], y, new ToleranceComparer(1e-16));
        Get<Map<double>>("SoftmaxB0p5_double_3")([1, 2, 3], y);
        Assert.Equal([4 / 7.0, 2 / 7.0, 1 / 7.0], y, new ToleranceComparer(1e-16));
        Get<Map<double>>("SoftminB2_double_3")([1, 2, 3], y);
        Assert.Equal([4 / 7.0, 2 / 7.0, 1 / 7.0], y, new ToleranceComparer(1e-16));

        // Runtime T with b = 2: p_i ∝ 2^{x_i / T}; T = 0.5 gives 4^{x_i}.
        Get<MapT<double>>("SoftmaxB2Rt_double_3")([1, 2, 3], y, 0.5);
        Assert.Equal([1 / 21.0, 4 / 21.0, 16 / 21.0], y, new ToleranceComparer(1e-16));

        // log_b Σ b^x: b = 10 on [1, 2, 3] is log10(1110); b = 1/2 is the smooth minimum, log_{1/2}(7/8).
        Assert.Equal(Math.Log10(1110), Get<Reduce<double>>("LogSumExpB10_double_3")([1, 2, 3]), 1e-15);
        Assert.Equal(Math.Log(0.875) / Math.Log(0.5), Get<Reduce<double>>("LogSumExpB0p5_double_3")([1, 2, 3]), 1e-15);

        // With both, T·log_b Σ b^{x/T}: b = 1/2, T = 3.
        double expected = 3 * Math.Log(Math.Pow(0.5, 1 / 3.0) + Math.Pow(0.5, 2 / 3.0) + Math.Pow(0.5, 1.0)) / Math.Log(0.5);
        Assert.Equal(expected, Get<Reduce<double>>("LogSumExpB0p5T3_double_3")([1, 2, 3]), 1e-14);
    }

    /// <summary>The motivating row and its mirror: softmin of [−1000, −1000, −999] is softmax of [1000, 1000, 999]; the limits.</summary>
    [Fact]
    public void Softmin_LimitsAndLargeInputs()
    {
        float[] y = new float[3];
        Get<Map<float>>("Softmin_float_3")([-1000, -1000, -999], y);
        float e = MathF.Exp(-1);
        Assert.Equal([1 / (2 + e), 1 / (2 + e), e / (2 + e)], y, new ToleranceComparer(1e-7));

        // −∞ entries share the probability (softmin's limit); +∞ entries get 0; all +∞ is a fully masked row.
        Get<Map<float>>("Softmin_float_3")([float.NegativeInfinity, 5, float.NegativeInfinity], y);
        Assert.Equal([0.5f, 0, 0.5f], y);
        Get<Map<float>>("Softmin_float_3")([float.PositiveInfinity, 5, 7], y);
        Assert.Equal(0f, y[0]);
        Get<Map<float>>("Softmin_float_3")([float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity], y);
        Assert.All(y, v => Assert.True(float.IsNaN(v)));
        Get<Map<float>>("SoftminZero_float_3")([float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity], y);
        Assert.Equal([0f, 0f, 0f], y);

        // T → 0 tends to the arg-min, ties sharing 1/m.
        double[] d = new double[4];
        Get<MapT<double>>("SoftminRt_double_0")([3, 1, 2, 1], d, 1e-3);
        Assert.Equal([0, 0.5, 0, 0.5], d);

        // A wrong length throws before writing.
        float[] untouched = [9, 9];
        var error = Assert.Throws<ArgumentException>(() => Get<Map<float>>("Softmin_float_3")([1, 2, 3], untouched));
        Assert.Equal("y", error.ParamName);
        Assert.Equal([9f, 9f], untouched);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>, IEqualityComparer<float>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Abs(b));

        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Abs(b));

        public int GetHashCode(double obj) => 0;

        public int GetHashCode(float obj) => 0;
    }
}
