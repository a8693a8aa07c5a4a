using SoftmaxGen.Tests.Harness;
using SoftmaxGen.Tests.Numerics;
using static SoftmaxGen.Tests.Training.TrainingKernels;

namespace SoftmaxGen.Tests.Training;

/// <summary>[SoftmaxEntropy] against a double-double reference and finite differences (∇H is not p − 1).</summary>
[Trait("Category", "Kernels")]
public class EntropyTests
{
    public static TheoryData<int> RowLengths => new(Ks.Where(k => k > 0));

    [Theory]
    [MemberData(nameof(RowLengths))]
    public void Entropy_AndGradient_WithinTheContract(int k)
    {
        Check<float>(k);
        Check<double>(k);
    }

    private static void Check<T>(int k)
    {
        double unit = Epsilon(typeof(T));
        foreach (int form in new[] { k, 0 })
        {
            var entropy = Get<Reduce<T>>("Entropy", typeof(T), form);
            var withGradient = Get<ValueGradient<T>>("EntropyG", typeof(T), form);
            var tempered = Get<ValueGradientT<T>>("EntropyGrt", typeof(T), form);
            int row = 0;
            foreach (double[] x64 in CrossEntropyTests.Rows(k, typeof(T), k * 13))
            {
                T[] x = Cast<T>(x64);
                double[] xs = ToDouble(x);
                foreach (double t in new[] { 1.0, 0.375, 3.0 }) // exact in float, so the runtime float temperature is the reference's
                {
                    string what = $"{typeof(T).Name} K={form} row {row} T={t}";
                    var (h, gradient) = TrainingReference.Entropy(xs, t);
                    var g = new T[k];
                    T value = t == 1 ? withGradient(x, g) : tempered(x, g, FromD<T>(t));
                    double bound = ((8 * Math.Max(1, h.ToDouble())) + (4 * Math.Log(k))) * unit;
                    double error = Math.Abs(((DoubleDouble)D(value) - h).ToDouble());
                    Assert.True(error <= bound, $"{what}: H = {D(value):R}, expected {h.ToDouble():R} (error {error:E3} > {bound:E3})");
                    if (t == 1)
                    {
                        Assert.Equal(value, entropy(x));
                    }

                    DoubleDouble[] lp = TrainingReference.LogProbabilities(xs, t) ?? new DoubleDouble[k];
                    for (int i = 0; i < k; i++)
                    {
                        // Per element: 8 ulps of the value plus 16ε·p_i·(1 + |z_i|)/T for the rounding of z_i − Σ p z.
                        double expected = gradient[i].ToDouble();
                        double z = Math.Abs((xs[i] - xs.Max()) / t);
                        double p = TrainingReference.Probability(lp[i]).ToDouble();
                        double gBound = (8 * UlpOf(typeof(T), expected)) + (p == 0 ? 0 : 16 * unit * p * (1 + z + h.ToDouble()) / t);
                        double gError = Math.Abs(((DoubleDouble)D(g[i]) - gradient[i]).ToDouble());
                        Assert.True(gError <= gBound, $"{what}: ∂H/∂x_{i} = {D(g[i]):R}, expected {expected:R} (error {gError:E3} > {gBound:E3})");
                    }
                }

                row++;
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(33)]
    public void Gradient_MatchesCentralFiniteDifferences_AndSumsToZero(int k)
    {
        var random = new Random(k);
        var entropy = Get<Reduce<double>>("Entropy", typeof(double), k);
        var withGradient = Get<ValueGradient<double>>("EntropyG", typeof(double), k);
        double[] x = Enumerable.Range(0, k).Select(_ => AccuracyTests.Gaussian(random) * 2).ToArray();
        var g = new double[k];
        withGradient(x, g);
        CrossEntropyTests.AssertMatchesFiniteDifferences(xp => entropy(xp), x, g, "entropy");
        Assert.True(Math.Abs(g.Sum()) < 1e-14, $"Σ ∂H/∂x_i = {g.Sum():R}: H is shift-invariant, so its gradient sums to 0");

        // The often-quoted ∇H = p − 1 is wrong: it does not even sum to zero.
        var p = new double[k];
        Get<Map<double>>("Softmax", typeof(double), k)(x, p);
        Assert.NotEqual(0, p.Select(v => v - 1).Sum(), 1e-3);
    }

    [Fact]
    public void Batches_MatchOneRowAtATime()
    {
        var random = new Random(3);
        double[] x = Enumerable.Range(0, 50).Select(_ => AccuracyTests.Gaussian(random) * 3).ToArray();
        var h = new double[5];
        var hOnly = new double[5];
        var g = new double[50];
        Get<ValuesGradients<double>>("EntropyBatchG", typeof(double), 10)(x, h, g);
        Get<Map<double>>("EntropyBatch", typeof(double), 10)(x, hOnly);
        var one = Get<ValueGradient<double>>("EntropyG", typeof(double), 10);
        var rowGradient = new double[10];
        for (int r = 0; r < 5; r++)
        {
            Assert.Equal(one(x.AsSpan(r * 10, 10), rowGradient), h[r]);
            Assert.Equal(h[r], hOnly[r]);
            Assert.Equal(rowGradient, g[(r * 10)..((r + 1) * 10)]);
        }

        double[] untouched = [7, 7, 7, 7, 7];
        Assert.Equal("h", Assert.Throws<ArgumentException>(() => Get<Map<double>>("EntropyBatch", typeof(double), 10)(x, new double[4])).ParamName);
        Assert.Equal("g", Assert.Throws<ArgumentException>(() => Get<ValuesGradients<double>>("EntropyBatchG", typeof(double), 10)(x, untouched, new double[49])).ParamName);
        Assert.All(untouched, v => Assert.Equal(7, v));
    }

    [Fact]
    public void Limits_FollowTheContract()
    {
        var entropy = Get<ValueGradient<float>>("EntropyG", typeof(float), 4);
        var g = new float[4];
        float ninf = float.NegativeInfinity, inf = float.PositiveInfinity;

        // Masked entries contribute 0 (0·log 0 = 0) and get a zero gradient.
        float masked = entropy([0, ninf, 0, ninf], g);
        Assert.Equal(MathF.Log(2), masked, 6);
        Assert.Equal(new float[4], g);

        // n entries of +∞: H = log n, gradient 0.
        Assert.Equal(MathF.Log(3), entropy([inf, inf, 1, inf], g), 6);
        Assert.Equal(new float[4], g);

        // NaN, and a fully masked row: NaN.
        Assert.True(float.IsNaN(entropy([0, float.NaN, 0, 0], g)));
        Assert.All(g, v => Assert.True(float.IsNaN(v)));
        Assert.True(float.IsNaN(entropy([ninf, ninf, ninf, ninf], g)));

        // One dominant logit: H is tiny but positive.
        float tiny = entropy([0, -40, -40, -40], g);
        Assert.True(tiny > 0 && tiny < 1e-15f, $"H = {tiny:R}");
    }
}
