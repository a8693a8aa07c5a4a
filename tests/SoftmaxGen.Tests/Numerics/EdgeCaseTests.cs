using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Numerics;

/// <summary>The edge-case table of the contract, row by row, for float and double and several K.</summary>
[Trait("Category", "Kernels")]
public class EdgeCaseTests
{
    private const double Inf = double.PositiveInfinity;
    private const double NegInf = double.NegativeInfinity;

    private static KernelLibrary Lib => KernelLibrary.Shared;

    public static TheoryData<int> Ks => new(1, 2, 3, 4, 8, 9, 10, 17, 33);

    /// <summary>Builds a row of K values: the given prefix, the rest filled with <paramref name="fill"/>.</summary>
    private static double[] Row(int k, double fill, params double[] prefix) =>
        Enumerable.Range(0, k).Select(i => i < prefix.Length ? prefix[i] : fill).ToArray();

    private static (float[] P, float[] Lp, float Lse, double[] Pd, double[] Lpd, double Lsed) RunAll(int k, double[] x, string suffix = "")
    {
        float[] xf = x.Select(v => (float)v).ToArray();
        float[] p = new float[k], lp = new float[k];
        double[] pd = new double[k], lpd = new double[k];
        Lib.Get<Map<float>>(KernelLibrary.Name<float>("Softmax", k, suffix))(xf, p);
        Lib.Get<Map<float>>(KernelLibrary.Name<float>("LogSoftmax", k, suffix))(xf, lp);
        Lib.Get<Map<double>>(KernelLibrary.Name<double>("Softmax", k, suffix))(x, pd);
        Lib.Get<Map<double>>(KernelLibrary.Name<double>("LogSoftmax", k, suffix))(x, lpd);
        float lse = suffix.Length == 0 ? Lib.Get<Reduce<float>>(KernelLibrary.Name<float>("LogSumExp", k))(xf) : float.NaN;
        double lsed = suffix.Length == 0 ? Lib.Get<Reduce<double>>(KernelLibrary.Name<double>("LogSumExp", k))(x) : double.NaN;
        return (p, lp, lse, pd, lpd, lsed);
    }

    [Theory]
    [MemberData(nameof(Ks))]
    public void NegativeInfinityEntry_IsMasked_ProbabilityZero_LogMinusInfinity(int k)
    {
        double[] x = Row(k, 0.5, NegInf, 1.0);
        if (k == 1) return; // a single −∞ is a fully masked row, covered below
        var r = RunAll(k, x);
        Assert.Equal(0f, r.P[0]);
        Assert.Equal(0.0, r.Pd[0]);
        Assert.Equal(float.NegativeInfinity, r.Lp[0]);
        Assert.Equal(NegInf, r.Lpd[0]);
        double[] expected = x.Skip(1).Select(v => Math.Exp(v)).ToArray();
        double sum = expected.Sum();
        for (int i = 1; i < k; i++)
        {
            Assert.Equal(expected[i - 1] / sum, r.Pd[i], 1e-15);
            Assert.Equal(Math.Log(expected[i - 1] / sum), r.Lpd[i], 1e-14);
        }

        Assert.Equal(Math.Log(sum), r.Lsed, 1e-14);
    }

    [Theory]
    [MemberData(nameof(Ks))]
    public void AllNegativeInfinity_GivesNaN_AndLogSumExpMinusInfinity(int k)
    {
        var r = RunAll(k, Row(k, NegInf));
        Assert.All(r.P, v => Assert.True(float.IsNaN(v)));
        Assert.All(r.Lp, v => Assert.True(float.IsNaN(v)));
        Assert.All(r.Pd, v => Assert.True(double.IsNaN(v)));
        Assert.All(r.Lpd, v => Assert.True(double.IsNaN(v)));
        Assert.Equal(float.NegativeInfinity, r.Lse);
        Assert.Equal(NegInf, r.Lsed);
    }

    [Theory]
    [MemberData(nameof(Ks))]
    public void AllNegativeInfinity_WithZeroFullyMaskedRows_GivesZeroAndMinusInfinity(int k)
    {
        var r = RunAll(k, Row(k, NegInf), "_zero");
        Assert.All(r.P, v => Assert.Equal(0f, v));
        Assert.All(r.Pd, v => Assert.Equal(0.0, v));
        Assert.All(r.Lp, v => Assert.Equal(float.NegativeInfinity, v));
        Assert.All(r.Lpd, v => Assert.Equal(NegInf, v));
    }

    [Theory]
    [MemberData(nameof(Ks))]
    public void AnyNaN_MakesTheRowNaN(int k)
    {
        foreach (double other in new[] { 0.0, Inf, NegInf, 1e30 })
        {
            double[] x = Row(k, other, 1.0);
            x[k - 1] = double.NaN;
            var r = RunAll(k, x);
            Assert.All(r.P, v => Assert.True(float.IsNaN(v)));
            Assert.All(r.Lp, v => Assert.True(float.IsNaN(v)));
            Assert.All(r.Pd, v => Assert.True(double.IsNaN(v)));
            Assert.All(r.Lpd, v => Assert.True(double.IsNaN(v)));
            Assert.True(float.IsNaN(r.Lse));
            Assert.True(double.IsNaN(r.Lsed));
        }
    }

    [Theory]
    [MemberData(nameof(Ks))]
    public void PositiveInfinities_ShareTheProbability(int k)
    {
        for (int m = 1; m <= Math.Min(k, 3); m++)
        {
            double[] x = Row(k, 5.0, Enumerable.Repeat(Inf, m).ToArray());
            if (k > m) x[k - 1] = NegInf;
            var r = RunAll(k, x);
            for (int i = 0; i < k; i++)
            {
                bool isInf = i < m;
                Assert.Equal(isInf ? 1f / m : 0f, r.P[i]);
                Assert.Equal(isInf ? 1.0 / m : 0.0, r.Pd[i]);
                Assert.Equal(isInf ? (float)-Math.Log(m) : float.NegativeInfinity, r.Lp[i]);
                Assert.Equal(isInf ? -Math.Log(m) : NegInf, r.Lpd[i]);
            }

            Assert.Equal(float.PositiveInfinity, r.Lse);
            Assert.Equal(Inf, r.Lsed);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-3e38)]
    [InlineData(3e38)]
    [InlineData(1e-40)]
    public void K1_GivesProbabilityOne_AndLogProbabilityZero(double x)
    {
        var r = RunAll(1, [x]);
        Assert.Equal(1f, r.P[0]);
        Assert.Equal(1.0, r.Pd[0]);
        Assert.Equal(0f, r.Lp[0]);
        Assert.Equal(0.0, r.Lpd[0]);
        Assert.Equal((float)x, r.Lse);
        Assert.Equal(x, r.Lsed);
    }

    [Theory]
    [MemberData(nameof(Ks))]
    public void ExtremeFiniteInputs_GiveFiniteCorrectOutputs(int k)
    {
        double[] x = Row(k, -3e38, 3e38, -1e-45, 3.4e38);
        var r = RunAll(k, x);
        Assert.All(r.P, v => Assert.True(float.IsFinite(v)));
        Assert.All(r.Pd, v => Assert.True(double.IsFinite(v)));
        Assert.InRange(r.P.Sum(v => (double)v), 1 - 1e-7, 1 + 1e-7);
        Assert.True(float.IsFinite(r.Lse));
        DoubleDouble[] expected = Reference.Softmax(x);
        for (int i = 0; i < k; i++)
        {
            Assert.True(Ulp.ErrorDouble(r.Pd[i], expected[i]) <= 4);
        }

        double[] huge = Row(k, -double.MaxValue, double.MaxValue);
        double[] pd = new double[k];
        Lib.Get<Map<double>>(KernelLibrary.Name<double>("Softmax", k))(huge, pd);
        Assert.Equal(1.0, pd[0]);
        Assert.All(pd.Skip(1), v => Assert.Equal(0.0, v));
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(1e-30)]
    [InlineData(1e30)]
    public void TinyOrHugeTemperature_OnLogitsNear3e38_DoesNotOverflow(double t)
    {
        foreach (int k in new[] { 3, 10 })
        {
            double[] x = Row(k, 3e38, 3.1e38, -3e38);
            float[] xf = x.Select(v => (float)v).ToArray();
            float[] p = new float[k];
            Lib.Get<MapT<float>>(KernelLibrary.Name<float>("Softmax", k, "_rt"))(xf, p, (float)t);
            Assert.All(p, v => Assert.True(float.IsFinite(v)));
            Assert.InRange(p.Sum(v => (double)v), 1 - 1e-7, 1 + 1e-7);
            double[] pd = new double[k];
            Lib.Get<MapT<double>>(KernelLibrary.Name<double>("Softmax", k, "_rt"))(x, pd, t);
            DoubleDouble[] expected = Reference.Softmax(x, t);
            for (int i = 0; i < k; i++)
            {
                Assert.True(Ulp.ErrorDouble(pd[i], expected[i]) <= 4, $"p[{i}] = {pd[i]:R}, expected {expected[i].ToDouble():R}");
            }

            float lse = Lib.Get<ReduceT<float>>(KernelLibrary.Name<float>("LogSumExp", k, "_rt"))(xf, (float)t);
            Assert.True(float.IsFinite(lse) || t > 1, $"LSE_T = {lse}");
        }
    }

    [Fact]
    public void SmoothMaximum_TendsToMax_AsTemperatureGoesToZero()
    {
        var lse = Lib.Get<ReduceT<double>>(KernelLibrary.Name<double>("LogSumExp", 10, "_rt"));
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 9.5];
        Assert.Equal(9.5, lse(x, 1e-3), 12);
        Assert.Equal(Reference.LogSumExp(x, 0.25).ToDouble(), lse(x, 0.25), 14);
        Assert.True(lse(x, 2) > lse(x, 1));
    }
}
