using System.Globalization;
using System.Text;
using SoftmaxGen.Tests.Harness;
using SoftmaxGen.Tests.Numerics;
using Xunit.Abstractions;

namespace SoftmaxGen.Tests.Variants;

/// <summary>
/// <c>Normalizer</c> on [Softmax], [SoftmaxJacobian] and [SoftmaxBackward]: p_i = φ(z_i) / Σ_j φ(z_j), z = x / T, against
/// double-double references of the built-in φ (softplus, the second-order Taylor polynomial, exp) and of the user's φ (whose
/// own values, computed as the kernel computes them, are summed and divided exactly), and the derivatives against central
/// differences of the softmax kernel with the same φ. These kernels are scalar on every machine (see KernelPlan).
/// </summary>
public class NormalizerTests(ITestOutputHelper output)
{
    public static readonly int[] Ks = [1, 3, 10, 100];

    public enum Kind { Exp, Softplus, Taylor2, User }

    private static readonly Kind[] SoftmaxKinds = [Kind.Softplus, Kind.Taylor2, Kind.User];

    private static readonly Kind[] AllKinds = [Kind.Exp, Kind.Softplus, Kind.Taylor2, Kind.User];

    private static readonly Lazy<LoadedAssembly> s_assembly = new(() => GeneratorRun.Run(Source()).AssertClean().Load());

    /// <summary>The user's φ of the tests: positive, increasing and smooth (1/(1 − z) below 0, 1 + z above), with φ′.</summary>
    public const string UserFunctions = """
            private static float Phi(float z) => z > 0 ? z + 1 : 1 / (1 - z);
            private static float DPhi(float z) => z > 0 ? 1 : 1 / ((1 - z) * (1 - z));
            private static double Phi(double z) => z > 0 ? z + 1 : 1 / (1 - z);
            private static double DPhi(double z) => z > 0 ? 1 : 1 / ((1 - z) * (1 - z));
            private static double Falling(double z) => 1 / (1 + Math.Exp(z));
        """;

    private static float PhiF(float z) => z > 0 ? z + 1 : 1 / (1 - z);

    private static float DPhiF(float z) => z > 0 ? 1 : 1 / ((1 - z) * (1 - z));

    private static double PhiD(double z) => z > 0 ? z + 1 : 1 / (1 - z);

    private static double DPhiD(double z) => z > 0 ? 1 : 1 / ((1 - z) * (1 - z));

    private static string Named(Kind kind) => kind == Kind.User ? "nameof(Phi)" : "SoftmaxNormalizer." + kind;

    private static string Source()
    {
        var b = new StringBuilder("using System;\nusing SoftmaxGen;\nnamespace Tests;\npublic static partial class Variants\n{\n");
        b.Append(UserFunctions).Append('\n');
        foreach (string t in new[] { "float", "double" })
        {
            string ros = $"ReadOnlySpan<{t}>", span = $"Span<{t}>";
            foreach (int k in Ks.Prepend(0))
            {
                string n = $"{t}_{k}";
                string Attr(string op, string named) =>
                    $"[{op}({string.Join(", ", new[] { k == 0 ? string.Empty : k.ToString(CultureInfo.InvariantCulture), named }.Where(a => a.Length > 0))})]";
                foreach (Kind kind in AllKinds)
                {
                    string phi = "Normalizer = " + Named(kind);
                    string derivative = kind == Kind.User ? phi + ", NormalizerDerivative = nameof(DPhi)" : phi;
                    if (kind != Kind.Exp)
                    {
                        b.Append($"    {Attr("Softmax", phi)} public static partial void Softmax{kind}_{n}({ros} x, {span} y);\n");
                        b.Append($"    {Attr("Softmax", phi + ", Temperature = 0.5")} public static partial void Softmax{kind}Half_{n}({ros} x, {span} y);\n");
                        b.Append($"    {Attr("Softmax", phi)} public static partial void Softmax{kind}Rt_{n}({ros} x, {span} y, {t} temperature);\n");
                        b.Append($"    {Attr("Softmax", phi)} public static partial void Softmax{kind}InPlace_{n}({span} values);\n");
                    }

                    b.Append($"    {Attr("SoftmaxJacobian", derivative)} public static partial void Jacobian{kind}_{n}({ros} x, {span} j);\n");
                    b.Append($"    {Attr("SoftmaxJacobian", derivative + ", Temperature = 2")} public static partial void Jacobian{kind}Two_{n}({ros} x, {span} j);\n");
                    b.Append($"    {Attr("SoftmaxBackward", derivative)} public static partial void Backward{kind}_{n}({ros} x, {ros} g, {span} dx);\n");
                    b.Append($"    {Attr("SoftmaxBackward", derivative)} public static partial void Backward{kind}Rt_{n}({ros} x, {ros} g, {span} dx, {t} temperature);\n");
                }

                b.Append($"    {Attr("Softmax", "Normalizer = SoftmaxNormalizer.Softplus, ZeroFullyMaskedRows = true")} public static partial void SoftmaxSoftplusZero_{n}({ros} x, {span} y);\n");
                b.Append($"    {Attr("Softmax", "Temperature = 2")} public static partial void SoftmaxExpTwo_{n}({ros} x, {span} y);\n");
                b.Append($"    {Attr("Softmax", "")} public static partial void SoftmaxExp_{n}({ros} x, {span} y);\n");
            }
        }

        b.Append("    [Softmax(Normalizer = nameof(Falling))] public static partial void SoftmaxFalling(ReadOnlySpan<double> x, Span<double> y);\n");
        return b.Append("}\n").ToString();
    }

    private static TDelegate Get<TDelegate>(string name)
        where TDelegate : Delegate => s_assembly.Value.Bind<TDelegate>("Tests.Variants", name);

    private static string N<T>(int k) => (typeof(T) == typeof(float) ? "float_" : "double_") + k.ToString(CultureInfo.InvariantCulture);

    /// <summary>ln(1 + e) for 0 ≤ e ≤ 1, by its series where 1 + e would round e away.</summary>
    private static DoubleDouble Log1P(DoubleDouble e) =>
        e.Hi < 1e-9 ? e - (e * e * 0.5) + (e * e * e / 3.0) : DoubleDouble.Log(1.0 + e);

    /// <summary>φ(z)·scale and φ′(z)·scale in double-double, scaled as the kernel documents (the scale cancels in p and q).</summary>
    private static (DoubleDouble W, DoubleDouble D) Phi(Kind kind, DoubleDouble z, DoubleDouble zMax, bool isFloat, double zRounded)
    {
        switch (kind)
        {
            case Kind.Exp:
                DoubleDouble e = DoubleDouble.Exp(z - zMax);
                return (e, e);
            case Kind.Softplus:
                if (z.Hi > 0)
                {
                    DoubleDouble en = DoubleDouble.Exp(-z);
                    return (z + Log1P(en), 1.0 / (1.0 + en));
                }

                DoubleDouble c = zMax.Hi < 0 ? zMax : 0.0;
                DoubleDouble ez = DoubleDouble.Exp(z);
                DoubleDouble shifted = DoubleDouble.Exp(z - c);
                DoubleDouble ratio = ez.Hi == 0 ? 1.0 : Log1P(ez) / ez;
                return (shifted * ratio, shifted / (1.0 + ez));
            case Kind.Taylor2:
                DoubleDouble u = 1.0 + z;
                return (((u * u) + 1.0) * 0.5, u);
            default:
                // The user's φ as the kernel evaluates it: at z rounded to double, then (float kernels) to float.
                return isFloat ? ((double)PhiF((float)zRounded), (double)DPhiF((float)zRounded)) : (PhiD(zRounded), DPhiD(zRounded));
        }
    }

    /// <summary>p, q = φ′/Σφ and z (as double) for one finite row, in double-double.</summary>
    private static (DoubleDouble[] P, DoubleDouble[] Q, double[] Z) Expected(Kind kind, double[] x, double t, bool isFloat)
    {
        var z = x.Select(v => t == 1 ? (DoubleDouble)v : (DoubleDouble)v / t).ToArray();
        DoubleDouble zMax = z.MaxBy(v => v.Hi);
        var wd = z.Select((v, i) => Phi(kind, v, zMax, isFloat, x[i] / t)).ToArray();
        DoubleDouble s = 0;
        foreach (var (w, _) in wd) s += w;
        return ([.. wd.Select(v => v.W / s)], [.. wd.Select(v => v.D / s)], [.. z.Select(v => v.ToDouble())]);
    }

    /// <summary>Gaussian rows at scales 1 and 10 around 0, ±30 (softplus' linear and exponential regimes) and −1000.</summary>
    private static IEnumerable<double[]> Rows(int k, int seed, bool isFloat)
    {
        var random = new Random(seed * 7919 + k);
        int count = k >= 100 ? 2 : 6;
        foreach (double scale in new[] { 1.0, 10.0 })
        {
            foreach (double offset in new[] { 0.0, 30.0, -30.0, -1000.0 })
            {
                for (int r = 0; r < count; r++)
                {
                    double[] row = [.. Enumerable.Range(0, k).Select(_ => (AccuracyTests.Gaussian(random) * scale) + offset)];
                    yield return isFloat ? [.. row.Select(v => (double)(float)v)] : row;
                }
            }
        }
    }

    private static T[] Cast<T>(double[] x) => typeof(T) == typeof(float) ? (T[])(object)x.Select(v => (float)v).ToArray() : (T[])(object)x.ToArray();

    private static double Err<T>(T actual, DoubleDouble reference) =>
        actual is float f ? Ulp.ErrorFloat(f, reference) : Ulp.ErrorDouble((double)(object)actual!, reference);

    private static double Eps<T>() => typeof(T) == typeof(float) ? Math.ScaleB(1, -24) : Math.ScaleB(1, -53);

    private static double D<T>(T value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    public static TheoryData<int, Kind> SoftmaxCases()
    {
        var data = new TheoryData<int, Kind>();
        foreach (int k in Ks) foreach (Kind kind in SoftmaxKinds) data.Add(k, kind);
        return data;
    }

    public static TheoryData<int, Kind> DerivativeCases()
    {
        var data = new TheoryData<int, Kind>();
        foreach (int k in Ks) foreach (Kind kind in AllKinds) data.Add(k, kind);
        return data;
    }

    /// <summary>
    /// Softmax with φ: float rows within 2 ulp (computed in double, rounded once); double rows within 4·(1 + |z_i − c| + |z_i|) ulp:
    /// exp(z − c) grows the rounding of z − c (c = min(max z, 0) for softplus, 0 otherwise), and with a temperature z = x/T is
    /// itself rounded, which φ(z) grows by |z·φ′/φ| ≤ |z| for these φ; plus 4 ulp for the user's rational φ. Batches, the K-less form, the temperatures and the in-place form agree.
    /// </summary>
    [Theory]
    [MemberData(nameof(SoftmaxCases))]
    public void Softmax_MatchesTheReference(int k, Kind kind)
    {
        Check<float>(k, kind);
        Check<double>(k, kind);

        void Check<T>(int k, Kind kind)
            where T : struct
        {
            bool isFloat = typeof(T) == typeof(float);
            var fixedK = Get<Map<T>>($"Softmax{kind}_{N<T>(k)}");
            var anyK = Get<Map<T>>($"Softmax{kind}_{N<T>(0)}");
            var half = Get<Map<T>>($"Softmax{kind}Half_{N<T>(k)}");
            var runtime = Get<MapT<T>>($"Softmax{kind}Rt_{N<T>(k)}");
            var inPlace = Get<InPlace<T>>($"Softmax{kind}InPlace_{N<T>(k)}");
            double worst = 0;
            var rows = Rows(k, 1, isFloat).ToList();
            foreach (double t in new[] { 1.0, 0.5, 3.0 })
            {
                foreach (double[] x in rows)
                {
                    var (p, _, z) = Expected(kind, x, t, isFloat);
                    T[] xs = Cast<T>(x);
                    var y = new T[k];
                    if (t == 1) fixedK(xs, y);
                    else if (t == 0.5) half(xs, y);
                    else runtime(xs, y, (T)Convert.ChangeType(t, typeof(T), CultureInfo.InvariantCulture));
                    double c = kind == Kind.Softplus ? Math.Min(z.Max(), 0) : 0;
                    for (int i = 0; i < k; i++)
                    {
                        double bound = isFloat ? 2 : (4 * (1 + Math.Abs(z[i] - c) + (t == 1 ? 0 : Math.Abs(z[i])))) + (kind == Kind.User ? 4 : 0);
                        double error = Err(y[i], p[i]);
                        worst = Math.Max(worst, error / bound);
                        Assert.True(error <= bound, $"{typeof(T).Name} {kind} K={k} T={t} i={i}: {error:F2} ulp > {bound:F1} (x = {x[i]:R}, y = {y[i]}, reference {p[i].ToDouble():R})");
                    }

                    if (t == 1)
                    {
                        var any = new T[k];
                        anyK(xs, any);
                        Assert.Equal(y, any);
                        T[] values = [.. xs];
                        inPlace(values);
                        Assert.Equal(y, values);
                    }
                }
            }

            // A batch of rows gives each row's own result.
            T[] batch = [.. rows.Take(5).SelectMany(Cast<T>)];
            var batched = new T[batch.Length];
            fixedK(batch, batched);
            for (int r = 0; r < 5; r++)
            {
                var one = new T[k];
                fixedK(batch.AsSpan(r * k, k), one);
                Assert.Equal(one, batched.AsSpan(r * k, k).ToArray());
            }

            output.WriteLine($"{typeof(T).Name} {kind} K = {k}: worst error {worst:P0} of the bound");
        }
    }

    /// <summary>
    /// The Jacobian and backward pass with φ, from the logits, against q_i δ_ij − p_i q_j (q = φ′/Σφ) in double-double:
    /// |error| ≤ 8ε·(1 + |z_i − c| + |z_j − c|)·(q_i δ_ij + p_i |q_j|) / T entrywise (the floor of 2⁻¹⁴⁹ / 2⁻¹⁰⁷⁴ for outputs that
    /// underflow), and dx_i within 8ε·(1 + |z_i − c|)·|q_i|·(|g_i| + Σ_j p_j |g_j|) / T.
    /// </summary>
    [Theory]
    [MemberData(nameof(DerivativeCases))]
    public void JacobianAndBackward_MatchTheReference(int k, Kind kind)
    {
        Check<float>(k, kind);
        Check<double>(k, kind);

        void Check<T>(int k, Kind kind)
            where T : struct
        {
            bool isFloat = typeof(T) == typeof(float);
            double eps = Eps<T>(), tiny = isFloat ? Math.ScaleB(1, -149) : double.Epsilon;
            var jacobian = Get<Map<T>>($"Jacobian{kind}_{N<T>(k)}");
            var jacobianTwo = Get<Map<T>>($"Jacobian{kind}Two_{N<T>(k)}");
            var backward = Get<Map2<T>>($"Backward{kind}_{N<T>(k)}");
            var backwardRt = Get<Map2T<T>>($"Backward{kind}Rt_{N<T>(k)}");
            var random = new Random(k * 31 + (int)kind);
            foreach (double[] x in Rows(Math.Min(k, 30), 2, isFloat).Select(r => k > 30 ? [.. r, .. Enumerable.Repeat(r[0], k - 30)] : r))
            {
                double[] g = [.. Enumerable.Range(0, k).Select(_ => isFloat ? (float)AccuracyTests.Gaussian(random) : AccuracyTests.Gaussian(random))];
                foreach (double t in new[] { 1.0, 2.0, 0.25 })
                {
                    var (p, q, z) = Expected(kind, x, t, isFloat);
                    double c = kind == Kind.Softplus ? Math.Min(z.Max(), 0) : kind == Kind.Exp ? z.Max() : 0;
                    double Growth(int i) => 1 + Math.Abs(z[i] - c) + (kind == Kind.User ? 1 : 0);
                    T[] xs = Cast<T>(x);
                    if (t != 0.25)
                    {
                        var j = new T[k * k];
                        (t == 1 ? jacobian : jacobianTwo)(xs, j);
                        for (int a = 0; a < k; a++)
                        {
                            for (int bb = 0; bb < k; bb++)
                            {
                                DoubleDouble expected = ((a == bb ? q[a] : 0.0) - (p[a] * q[bb])) / t;
                                double scale = ((a == bb ? Math.Abs(q[a].ToDouble()) : 0) + Math.Abs((p[a] * q[bb]).ToDouble())) / t;
                                double bound = (8 * eps * (Growth(a) + Growth(bb)) * scale) + (2 * tiny);
                                double error = Math.Abs(D(j[(a * k) + bb]) - expected.ToDouble());
                                Assert.True(error <= bound, $"{typeof(T).Name} {kind} K={k} T={t} J[{a},{bb}] = {D(j[(a * k) + bb]):R}, expected {expected.ToDouble():R} (error {error:E2} > {bound:E2})");
                            }
                        }
                    }

                    if (t != 2)
                    {
                        DoubleDouble pg = 0;
                        double pAbsG = 0;
                        for (int i = 0; i < k; i++)
                        {
                            pg += p[i] * g[i];
                            pAbsG += p[i].ToDouble() * Math.Abs(g[i]);
                        }

                        var dx = new T[k];
                        if (t == 1) backward(xs, Cast<T>(g), dx);
                        else backwardRt(xs, Cast<T>(g), dx, (T)Convert.ChangeType(t, typeof(T), CultureInfo.InvariantCulture));
                        for (int i = 0; i < k; i++)
                        {
                            DoubleDouble expected = q[i] * (g[i] - pg) / t;
                            double bound = (8 * eps * Growth(i) * Math.Abs(q[i].ToDouble()) * (Math.Abs(g[i]) + pAbsG) / t) + (2 * tiny);
                            double error = Math.Abs(D(dx[i]) - expected.ToDouble());
                            Assert.True(error <= bound, $"{typeof(T).Name} {kind} K={k} T={t} dx[{i}] = {D(dx[i]):R}, expected {expected.ToDouble():R} (error {error:E2} > {bound:E2})");
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The formulas themselves, independently of the reference above: the double Jacobian and backward pass equal central
    /// differences of the double softmax kernel with the same φ and temperature (exp: the ordinary [Softmax]).
    /// </summary>
    [Theory]
    [InlineData(Kind.Exp)]
    [InlineData(Kind.Softplus)]
    [InlineData(Kind.Taylor2)]
    [InlineData(Kind.User)]
    public void Derivatives_AreThoseOfTheSoftmaxWithTheSameNormalizer(Kind kind)
    {
        const int k = 10;
        var random = new Random(17 + (int)kind);
        foreach (double t in new[] { 1.0, 2.0 })
        {
            Map<double>? softmaxExp = kind == Kind.Exp ? Get<Map<double>>(t == 1 ? "SoftmaxExp_double_10" : "SoftmaxExpTwo_double_10") : null;
            MapT<double>? softmax = kind == Kind.Exp ? null : Get<MapT<double>>($"Softmax{kind}Rt_double_10");
            void P(double[] x, double[] y)
            {
                if (softmaxExp is not null) softmaxExp(x, y);
                else softmax!(x, y, t);
            }

            var jacobian = Get<Map<double>>(t == 1 ? $"Jacobian{kind}_double_10" : $"Jacobian{kind}Two_double_10");
            var backward = Get<Map2T<double>>($"Backward{kind}Rt_double_10");
            for (int trial = 0; trial < 5; trial++)
            {
                double[] x = [.. Enumerable.Range(0, k).Select(_ => AccuracyTests.Gaussian(random) * 3)];
                double[] g = [.. Enumerable.Range(0, k).Select(_ => AccuracyTests.Gaussian(random))];
                var j = new double[k * k];
                jacobian(x, j);
                var dx = new double[k];
                backward(x, g, dx, t);
                var numeric = new double[k];
                for (int col = 0; col < k; col++)
                {
                    double h = 1e-5 * Math.Max(1, Math.Abs(x[col]));
                    double[] up = [.. x], down = [.. x];
                    up[col] += h;
                    down[col] -= h;
                    double[] pu = new double[k], pd = new double[k];
                    P(up, pu);
                    P(down, pd);
                    for (int row = 0; row < k; row++)
                    {
                        double fd = (pu[row] - pd[row]) / (up[col] - down[col]);
                        Assert.True(Math.Abs(fd - j[(row * k) + col]) <= 1e-8, $"{kind} T={t} J[{row},{col}] = {j[(row * k) + col]:R}, central difference {fd:R}");
                        numeric[col] += g[row] * fd;
                    }

                    Assert.True(Math.Abs(numeric[col] - dx[col]) <= 1e-8, $"{kind} T={t} dx[{col}] = {dx[col]:R}, central difference {numeric[col]:R}");
                }
            }
        }
    }
}
