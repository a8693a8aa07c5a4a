using SoftmaxGen.Tests.Numerics;
using static SoftmaxGen.Tests.Training.TrainingKernels;

namespace SoftmaxGen.Tests.Training;

/// <summary>[SoftmaxCrossEntropy] in every form against a double-double reference, finite differences and the limits.</summary>
[Trait("Category", "Kernels")]
public class CrossEntropyTests
{
    public static TheoryData<int> RowLengths => new(Ks.Where(k => k > 0));

    /// <summary>Rows the contract names: ordinary, confident (tiny losses), large offsets, masked entries, huge magnitudes.</summary>
    internal static IEnumerable<double[]> Rows(int k, Type element, int seed)
    {
        var random = new Random(seed);
        double big = element == typeof(float) ? 1e30 : 1e300;
        for (int r = 0; r < 4; r++)
        {
            yield return Enumerable.Range(0, k).Select(_ => AccuracyTests.Gaussian(random) * 3).ToArray();
        }

        yield return Enumerable.Range(0, k).Select(_ => 1000 + (AccuracyTests.Gaussian(random) * 2)).ToArray();
        foreach (double d in element == typeof(float) ? new[] { 10.0, 30, 40, 80 } : new[] { 10.0, 30, 40, 80, 300, 700 })
        {
            // [0, −d, −d, …]: the dominant entry's loss is about (K − 1)·e^−d, tiny but not 0.
            yield return Enumerable.Range(0, k).Select(i => i == 0 ? 0.0 : -d - (0.01 * i)).ToArray();
        }

        if (k >= 3)
        {
            double[] masked = Enumerable.Range(0, k).Select(_ => AccuracyTests.Gaussian(random)).ToArray();
            masked[1] = double.NegativeInfinity;
            yield return masked;
            double[] huge = Enumerable.Range(0, k).Select(i => i % 2 == 0 ? big : -big).ToArray();
            yield return huge;
        }
    }

    private static double LossBound(Type element) => 4;

    private static void AssertGradient<T>(T[] g, DoubleDouble[] reference, double[] x, double t, string what)
    {
        double eps = Epsilon(typeof(T));
        DoubleDouble[]? lp = TrainingReference.LogProbabilities(x, t);
        for (int i = 0; i < g.Length; i++)
        {
            double actual = D(g[i]), expected = reference[i].ToDouble();
            if (double.IsNaN(expected))
            {
                Assert.True(double.IsNaN(actual), $"{what}: g[{i}] = {actual}, expected NaN");
                continue;
            }

            double p = lp is null ? 0 : TrainingReference.Probability(lp[i]).ToDouble();
            double bound = (8 * UlpOf(typeof(T), expected)) + (16 * eps * p / t);
            double error = Math.Abs(((DoubleDouble)actual - reference[i]).ToDouble());
            Assert.True(error <= bound, $"{what}: g[{i}] = {actual:R}, expected {expected:R} (error {error:E3} > bound {bound:E3})");
        }
    }

    private static void AssertLoss<T>(T loss, DoubleDouble reference, string what)
    {
        double error = UlpError(loss, reference);
        Assert.True(error <= LossBound(typeof(T)), $"{what}: loss {D(loss):R}, expected {reference.ToDouble():R} ({error:F1} ulp)");
    }

    [Theory]
    [MemberData(nameof(RowLengths))]
    public void HardTargets_LossAndGradient_WithinTheContract_Float(int k) => HardTargets<float>(k);

    [Theory]
    [MemberData(nameof(RowLengths))]
    public void HardTargets_LossAndGradient_WithinTheContract_Double(int k) => HardTargets<double>(k);

    private static void HardTargets<T>(int k)
    {
        foreach (int form in new[] { k, 0 })
        {
            var loss = Get<HardLoss<T>>("Hard", typeof(T), form);
            var lossGradient = Get<HardLossGradient<T>>("HardG", typeof(T), form);
            var tempered = Get<HardLossGradientT<T>>("HardGrt", typeof(T), form);
            var half = Get<HardLossGradient<T>>("HardGhalf", typeof(T), form);
            int row = 0;
            foreach (double[] x64 in Rows(k, typeof(T), k * 31))
            {
                T[] x = Cast<T>(x64);
                double[] xs = ToDouble(x);
                foreach (int target in new[] { 0, k - 1, k / 2 }.Distinct())
                {
                    string what = $"{typeof(T).Name} K={form} row {row} target {target}";
                    var (refLoss, refGradient) = TrainingReference.CrossEntropy(xs, OneHot(k, target), 1);
                    AssertLoss(loss(x, target), refLoss, what);
                    var g = new T[k];
                    AssertLoss(lossGradient(x, target, g), refLoss, what + " (with gradient)");
                    AssertGradient(g, refGradient, xs, 1, what);

                    foreach ((double t, string name) in new[] { (2.5, "runtime T"), (0.5, "compile-time T") })
                    {
                        var (refT, refGT) = TrainingReference.CrossEntropy(xs, OneHot(k, target), t);
                        T value = name == "runtime T" ? tempered(x, target, g, FromD<T>(t)) : half(x, target, g);
                        AssertLoss(value, refT, $"{what} {name}");
                        AssertGradient(g, refGT, xs, t, $"{what} {name}");
                    }
                }

                row++;
            }
        }
    }

    private static double[] OneHot(int k, int target) => Enumerable.Range(0, k).Select(i => i == target ? 1.0 : 0.0).ToArray();

    [Theory]
    [InlineData(30.0, -1.8715e-13)]
    [InlineData(40.0, -8.5e-18)]
    public void ConfidentCorrectPrediction_HasItsTinyLoss_ToFourUlpsRelative_Float(double d, double approximateLogP)
    {
        float[] x = [0, (float)-d, (float)-d];
        DoubleDouble reference = TrainingReference.CrossEntropy(ToDouble(x), [1, 0, 0], 1).Loss;
        Assert.Equal(-approximateLogP, reference.ToDouble(), -approximateLogP * 1e-3);
        float loss = Get<HardLoss<float>>("Hard", typeof(float), 3)(x, 0);
        Assert.True(Ulp.ErrorFloat(loss, reference) <= 4, $"loss {loss:R} for {reference.ToDouble():R}");
    }

    [Theory]
    [MemberData(nameof(RowLengths))]
    public void Batches_MatchOneRowAtATime(int k)
    {
        var random = new Random(k);
        int rows = k >= 1000 ? 3 : 7;
        double[] x64 = Enumerable.Range(0, rows * k).Select(_ => AccuracyTests.Gaussian(random) * 4).ToArray();
        int[] targets = Enumerable.Range(0, rows).Select(r => (r * 7) % k).ToArray();
        foreach (Type element in new[] { typeof(float), typeof(double) })
        {
            if (element == typeof(float)) Check<float>(); else Check<double>();
        }

        void Check<T>()
        {
            T[] x = Cast<T>(x64);
            var losses = new T[rows];
            var lossesOnly = new T[rows];
            var g = new T[rows * k];
            Get<HardLossesGradients<T>>("BatchG", typeof(T), k)(x, targets, losses, g);
            Get<HardLosses<T>>("Batch", typeof(T), k)(x, targets, lossesOnly);
            var one = Get<HardLossGradient<T>>("HardG", typeof(T), k);
            var rowGradient = new T[k];
            for (int r = 0; r < rows; r++)
            {
                T expected = one(x.AsSpan(r * k, k), targets[r], rowGradient);
                Assert.Equal(expected, losses[r]);
                Assert.Equal(expected, lossesOnly[r]);
                Assert.Equal(rowGradient, g.AsSpan(r * k, k).ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(RowLengths))]
    public void SoftTargets_AndLabelSmoothing_MatchTheReference(int k)
    {
        SoftAndSmoothed<float>(k);
        SoftAndSmoothed<double>(k);
    }

    private static void SoftAndSmoothed<T>(int k)
    {
        var random = new Random(k + 5);
        var soft = Get<SoftLoss<T>>("Soft", typeof(T), k);
        var softG = Get<SoftLossGradient<T>>("SoftG", typeof(T), k);
        var softSmooth = Get<SoftLossGradient<T>>("SoftSmoothG", typeof(T), k);
        var smooth = Get<HardLossGradient<T>>("SmoothG", typeof(T), k);
        var softBatch = Get<SoftLossesGradients<T>>("SoftBatchG", typeof(T), k);
        int row = 0;
        foreach (double[] x64 in Rows(k, typeof(T), k * 7))
        {
            T[] x = Cast<T>(x64);
            double[] xs = ToDouble(x);
            double[] w = Enumerable.Range(0, k).Select(i => i % 3 == 1 ? 0 : random.NextDouble()).ToArray();
            if (w.Sum() == 0) w[0] = 1;
            T[] q = Cast<T>(w.Select(v => v / w.Sum()).ToArray());
            double[] qs = ToDouble(q);
            string what = $"{typeof(T).Name} K={k} row {row}";

            var (refLoss, refGradient) = TrainingReference.CrossEntropy(xs, qs, 1);
            AssertLoss(soft(x, q), refLoss, what + " soft");
            var g = new T[k];
            AssertLoss(softG(x, q, g), refLoss, what + " soft with gradient");
            AssertGradient(g, refGradient, xs, 1, what + " soft");
            var losses = new T[1];
            softBatch(x, q, losses, g);
            AssertLoss(losses[0], refLoss, what + " soft batch");

            double[] qSmooth = qs.Select(v => (0.8 * v) + (0.2 / k)).ToArray();
            var (refSmooth, refSmoothG) = TrainingReference.CrossEntropy(xs, qSmooth, 1);
            AssertLoss(softSmooth(x, q, g), refSmooth, what + " soft smoothed");
            AssertGradient(g, refSmoothG, xs, 1, what + " soft smoothed");

            var (refHard, refHardG) = TrainingReference.CrossEntropy(xs, TrainingReference.Smoothed(k, k - 1, 0.1), 1);
            AssertLoss(smooth(x, k - 1, g), refHard, what + " smoothed");
            AssertGradient(g, refHardG, xs, 1, what + " smoothed");
            row++;
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(33)]
    public void Gradient_MatchesCentralFiniteDifferencesOfTheLoss(int k)
    {
        var random = new Random(k);
        var loss = Get<HardLoss<double>>("Hard", typeof(double), k);
        var lossGradient = Get<HardLossGradientT<double>>("HardGrt", typeof(double), 0);
        var soft = Get<SoftLoss<double>>("Soft", typeof(double), k);
        var softG = Get<SoftLossGradient<double>>("SoftG", typeof(double), k);
        double[] x = Enumerable.Range(0, k).Select(_ => AccuracyTests.Gaussian(random) * 2).ToArray();
        double[] q = Enumerable.Range(0, k).Select(_ => random.NextDouble()).ToArray();
        q = q.Select(v => v / q.Sum()).ToArray();
        var g = new double[k];
        lossGradient(x, 1, g, 1.0);
        AssertMatchesFiniteDifferences(xp => loss(xp, 1), x, g, "hard");
        softG(x, q, g);
        AssertMatchesFiniteDifferences(xp => soft(xp, q), x, g, "soft");
    }

    internal static void AssertMatchesFiniteDifferences(Func<double[], double> f, double[] x, double[] gradient, string what)
    {
        for (int j = 0; j < x.Length; j++)
        {
            double h = 1e-5 * Math.Max(1, Math.Abs(x[j]));
            double[] plus = (double[])x.Clone(), minus = (double[])x.Clone();
            plus[j] += h;
            minus[j] -= h;
            double fd = (f(plus) - f(minus)) / (plus[j] - minus[j]);
            Assert.True(Math.Abs(fd - gradient[j]) <= 1e-7 * Math.Max(1, Math.Abs(fd)), $"{what}: ∂/∂x_{j} = {gradient[j]:R}, finite differences {fd:R}");
        }
    }

    [Fact]
    public void Limits_FollowTheContract()
    {
        var hard = Get<HardLossGradient<double>>("HardG", typeof(double), 4);
        var g = new double[4];
        double ninf = double.NegativeInfinity, inf = double.PositiveInfinity;

        // A target on a masked (−∞) logit: loss +∞, not NaN; the gradient is p − onehot.
        Assert.Equal(inf, hard([1, ninf, 0, 2], 1, g));
        Assert.Equal(-1, g[1]);
        Assert.All(g, v => Assert.False(double.IsNaN(v)));

        // NaN anywhere: NaN loss and NaN gradient.
        Assert.True(double.IsNaN(hard([1, double.NaN, 0, 2], 0, g)));
        Assert.All(g, v => Assert.True(double.IsNaN(v)));

        // A fully masked row: NaN.
        Assert.True(double.IsNaN(hard([ninf, ninf, ninf, ninf], 2, g)));

        // n entries of +∞: p = 1/n on them; loss log n when the target is one of them, +∞ otherwise.
        Assert.Equal(Math.Log(2), hard([inf, 0, inf, 5], 2, g), 15);
        Assert.Equal(new[] { 0.5, 0, -0.5, 0 }, g);
        Assert.Equal(inf, hard([inf, 0, inf, 5], 1, g));
        Assert.Equal(new[] { 0.5, -1, 0.5, 0 }, g);

        // ±MaxValue: the dominant entry's loss is exactly 0 (every other exp underflows); the loss of −MaxValue is
        // 2·MaxValue, beyond double, so +∞ — with finite gradients either way.
        Assert.Equal(0, hard([double.MaxValue, -double.MaxValue, 0, 0], 0, g));
        Assert.Equal(new[] { 0.0, 0, 0, 0 }, g);
        Assert.Equal(inf, hard([double.MaxValue, -double.MaxValue, 0, 0], 1, g));
        Assert.Equal(new[] { 1.0, -1, 0, 0 }, g);
    }

    [Fact]
    public void IgnoreIndex_GivesZeroLossAndGradient_AndOtherRowsAreUntouchedByIt()
    {
        var batch = Get<HardLossesGradients<float>>("SmoothBatchG", typeof(float), 3);
        float[] x = [1, 2, 3, 4, 5, 6];
        var losses = new float[2];
        var g = new float[6];
        batch(x, [-1, 2], losses, g);
        Assert.Equal(0, losses[0]);
        Assert.Equal(new float[3], g[..3]);
        var single = new float[3];
        float expected = Get<HardLossGradient<float>>("SmoothG", typeof(float), 3)(x.AsSpan(3), 2, single);
        Assert.Equal(expected, losses[1]);
        Assert.Equal(single, g[3..]);
    }

    [Fact]
    public void BadTargetsAndLengths_Throw_BeforeAnythingIsWritten()
    {
        var batch = Get<HardLossesGradients<double>>("BatchG", typeof(double), 3);
        double[] x = [1, 2, 3, 4, 5, 6];
        double[] losses = [7, 7];
        double[] g = [7, 7, 7, 7, 7, 7];

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => batch(x, [0, 3], losses, g));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("row 1", e.Message);
        Assert.Equal(3, e.ActualValue);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch(x, [-1, 0], losses, g)); // no ignore index on this kernel
        Assert.Equal("losses", Assert.Throws<ArgumentException>(() => batch(x, [0, 1], new double[3], g)).ParamName);
        Assert.Equal("g", Assert.Throws<ArgumentException>(() => batch(x, [0, 1], losses, new double[5])).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => batch(x, [0], losses, g)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => batch(x.AsSpan(1).ToArray(), [0, 1], losses, g)).ParamName);
        Assert.All(losses, v => Assert.Equal(7, v));
        Assert.All(g, v => Assert.Equal(7, v));

        var one = Get<HardLossGradient<double>>("HardG", typeof(double), 0);
        Assert.Equal("target", Assert.Throws<ArgumentOutOfRangeException>(() => one(x, 6, g)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => one([], 0, g)).ParamName);
        Assert.All(g, v => Assert.Equal(7, v));
        Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => Get<HardLossGradientT<double>>("HardGrt", typeof(double), 0)(x, 0, g, 0)).ParamName);
    }
}
