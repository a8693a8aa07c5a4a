using SoftmaxGen.Tests.Harness;
using Xunit.Abstractions;

namespace SoftmaxGen.Tests.Numerics;

/// <summary>
/// The accuracy contract, measured against double-double references over random rows for every K the contract
/// names, logits at scales 1, 10 and 100 with offsets 0 and ±1000. Each test prints its measured maxima.
/// </summary>
[Trait("Category", "Kernels")]
public class AccuracyTests(ITestOutputHelper output)
{
    public static TheoryData<int> Ks => new(KernelLibrary.AccuracyKs);

    private static KernelLibrary Lib => KernelLibrary.Shared;

    /// <summary>Rows of N(0,1)·scale + offset; fewer rows for long K to keep the suite fast.</summary>
    private static IEnumerable<(double Scale, double Offset, double[] Row)> Rows(int k, int seed)
    {
        var random = new Random(seed * 7919 + k);
        int rows = k >= 1000 ? 2 : k >= 64 ? 6 : 40;
        foreach (double scale in new[] { 1.0, 10.0, 100.0 })
        {
            foreach (double offset in new[] { 0.0, 1000.0, -1000.0 })
            {
                for (int r = 0; r < rows; r++)
                {
                    yield return (scale, offset, Enumerable.Range(0, k).Select(_ => (Gaussian(random) * scale) + offset).ToArray());
                }
            }
        }
    }

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Theory]
    [MemberData(nameof(Ks))]
    public void Softmax_Float_Within4Ulp_AndSumWithin5e8(int k)
    {
        var softmax = Lib.Get<Map<float>>(KernelLibrary.Name<float>("Softmax", k));
        double maxUlp = 0, maxSumError = 0;
        foreach (var (_, _, row) in Rows(k, 1))
        {
            float[] x = row.Select(v => (float)v).ToArray();
            float[] p = new float[k];
            softmax(x, p);
            DoubleDouble[] expected = Reference.Softmax(x.Select(v => (double)v).ToArray());
            for (int i = 0; i < k; i++)
            {
                maxUlp = Math.Max(maxUlp, Ulp.ErrorFloat(p[i], expected[i]));
            }

            maxSumError = Math.Max(maxSumError, Math.Abs(ExactSum(p.Select(v => (double)v)) - 1));
        }

        output.WriteLine($"float softmax K={k}: max {maxUlp:0.00} ulp, max |Σp − 1| = {maxSumError:E2}");
        Assert.InRange(maxUlp, 0, 4);
        Assert.InRange(maxSumError, 0, 5e-8);
    }

    [Theory]
    [MemberData(nameof(Ks))]
    public void Softmax_Double_Within4Ulp_AndSumWithin4e16(int k)
    {
        var softmax = Lib.Get<Map<double>>(KernelLibrary.Name<double>("Softmax", k));
        double maxUlp = 0, maxSumError = 0;
        foreach (var (_, _, x) in Rows(k, 2))
        {
            double[] p = new double[k];
            softmax(x, p);
            DoubleDouble[] expected = Reference.Softmax(x);
            for (int i = 0; i < k; i++)
            {
                maxUlp = Math.Max(maxUlp, Ulp.ErrorDouble(p[i], expected[i]));
            }

            maxSumError = Math.Max(maxSumError, Math.Abs(ExactSum(p) - 1));
        }

        output.WriteLine($"double softmax K={k}: max {maxUlp:0.00} ulp, max |Σp − 1| = {maxSumError:E2}");
        Assert.InRange(maxUlp, 0, 4);
        Assert.InRange(maxSumError, 0, 4e-16);
    }

    [Theory]
    [MemberData(nameof(Ks))]
    public void LogSoftmax_And_LogSumExp_Float_Within2_4e7(int k)
    {
        var logSoftmax = Lib.Get<Map<float>>(KernelLibrary.Name<float>("LogSoftmax", k));
        var lse = Lib.Get<Reduce<float>>(KernelLibrary.Name<float>("LogSumExp", k));
        double maxLogSoftmax = 0, maxLse = 0;
        foreach (var (_, _, row) in Rows(k, 3))
        {
            float[] x = row.Select(v => (float)v).ToArray();
            double[] xd = x.Select(v => (double)v).ToArray();
            float[] lp = new float[k];
            logSoftmax(x, lp);
            DoubleDouble[] expected = Reference.LogSoftmax(xd);
            for (int i = 0; i < k; i++)
            {
                maxLogSoftmax = Math.Max(maxLogSoftmax, Ulp.RelativeToOne(lp[i], expected[i]));
            }

            maxLse = Math.Max(maxLse, Ulp.RelativeToOne(lse(x), Reference.LogSumExp(xd)));
        }

        output.WriteLine($"float K={k}: log-softmax max {maxLogSoftmax:E2}, log-sum-exp max {maxLse:E2} (relative to max(1, |ref|))");
        Assert.InRange(maxLogSoftmax, 0, 2.4e-7);
        Assert.InRange(maxLse, 0, 2.4e-7);
    }

    [Theory]
    [MemberData(nameof(Ks))]
    public void LogSoftmax_And_LogSumExp_Double_Within1e15(int k)
    {
        var logSoftmax = Lib.Get<Map<double>>(KernelLibrary.Name<double>("LogSoftmax", k));
        var lse = Lib.Get<Reduce<double>>(KernelLibrary.Name<double>("LogSumExp", k));
        double maxLogSoftmax = 0, maxLse = 0;
        foreach (var (_, _, x) in Rows(k, 4))
        {
            double[] lp = new double[k];
            logSoftmax(x, lp);
            DoubleDouble[] expected = Reference.LogSoftmax(x);
            for (int i = 0; i < k; i++)
            {
                maxLogSoftmax = Math.Max(maxLogSoftmax, Ulp.RelativeToOne(lp[i], expected[i]));
            }

            maxLse = Math.Max(maxLse, Ulp.RelativeToOne(lse(x), Reference.LogSumExp(x)));
        }

        output.WriteLine($"double K={k}: log-softmax max {maxLogSoftmax:E2}, log-sum-exp max {maxLse:E2} (relative to max(1, |ref|))");
        Assert.InRange(maxLogSoftmax, 0, 1e-15);
        Assert.InRange(maxLse, 0, 1e-15);
    }

    /// <summary>With T ≠ 1 each probability is within 2·(1 + |z_i|) ulp, z_i = (x_i − max)/T.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(33)]
    [InlineData(1000)]
    public void Softmax_WithTemperature_WithinBound(int k)
    {
        var constant = Lib.Get<Map<float>>(KernelLibrary.Name<float>("Softmax", k, "_t05"));
        var runtimeF = Lib.Get<MapT<float>>(KernelLibrary.Name<float>("Softmax", k, "_rt"));
        var runtimeD = Lib.Get<MapT<double>>(KernelLibrary.Name<double>("Softmax", k, "_rt"));
        double worstF = 0, worstD = 0;
        foreach (var (_, _, row) in Rows(k, 5))
        {
            float[] x = row.Select(v => (float)v).ToArray();
            double[] xf = x.Select(v => (double)v).ToArray();
            foreach (float t in new[] { 0.5f, 0.01f, 3f, 250f })
            {
                float[] p = new float[k];
                if (t == 0.5f) constant(x, p); else runtimeF(x, p, t);
                DoubleDouble[] expected = Reference.Softmax(xf, t);
                double m = xf.Max();
                for (int i = 0; i < k; i++)
                {
                    double bound = 2 * (1 + Math.Abs((xf[i] - m) / t));
                    worstF = Math.Max(worstF, Ulp.ErrorFloat(p[i], expected[i]) / bound);
                }

                double[] pd = new double[k];
                runtimeD(row, pd, t);
                DoubleDouble[] expectedD = Reference.Softmax(row, t);
                double md = row.Max();
                for (int i = 0; i < k; i++)
                {
                    double bound = 2 * (1 + Math.Abs((row[i] - md) / t));
                    worstD = Math.Max(worstD, Ulp.ErrorDouble(pd[i], expectedD[i]) / bound);
                }
            }
        }

        output.WriteLine($"K={k}: worst error / bound with temperature: float {worstF:0.000}, double {worstD:0.000}");
        Assert.InRange(worstF, 0, 1);
        Assert.InRange(worstD, 0, 1);
    }

    /// <summary>The accuracy rows rounded to float (so float and double kernels see the same values), and as float and double batches.</summary>
    private static (double[][] Rows, float[] X, double[] Xd) FloatExactBatch(int k, int seed)
    {
        double[][] rows = [.. Rows(k, seed).Select(r => r.Row.Select(v => (double)(float)v).ToArray())];
        return (rows, [.. rows.SelectMany(r => r.Select(v => (float)v))], [.. rows.SelectMany(r => r)]);
    }

    /// <summary>Packed (float K = 2, 4), block (K ≤ 16) and vector-row (K = 17) batches.</summary>
    public static TheoryData<int> TemperedBatchKs => new(2, 3, 4, 8, 10, 16, 17);

    /// <summary>
    /// Tempered batches, which take the packed rows (float K = 2, 4) and the transposed blocks (K ≤ 16) with the scaled vector exp:
    /// every row of a batch of 40 within the same bound as a single row, for T = 0.5 (compile time) and 0.01, 3, 250 (run time).
    /// </summary>
    [Theory]
    [MemberData(nameof(TemperedBatchKs))]
    public void Softmax_WithTemperature_Batches_WithinBound(int k)
    {
        var (rows, x, xd) = FloatExactBatch(k, 6);
        double worstF = 0, worstD = 0;
        foreach (double t in new[] { 0.5, 0.01, 3, 250 })
        {
            var p = new float[x.Length];
            var pd = new double[xd.Length];
            if (t == 0.5) Lib.Get<Map<float>>(KernelLibrary.Name<float>("Softmax", k, "_t05"))(x, p);
            else Lib.Get<MapT<float>>(KernelLibrary.Name<float>("Softmax", k, "_rt"))(x, p, (float)t);
            Lib.Get<MapT<double>>(KernelLibrary.Name<double>("Softmax", k, "_rt"))(xd, pd, t);
            for (int r = 0; r < rows.Length; r++)
            {
                DoubleDouble[] expected = Reference.Softmax(rows[r], t);
                double m = rows[r].Max();
                for (int i = 0; i < k; i++)
                {
                    double bound = 2 * (1 + Math.Abs((rows[r][i] - m) / t));
                    worstF = Math.Max(worstF, Ulp.ErrorFloat(p[(r * k) + i], expected[i]) / bound);
                    worstD = Math.Max(worstD, Ulp.ErrorDouble(pd[(r * k) + i], expected[i]) / bound);
                }
            }
        }

        output.WriteLine($"K={k}: worst error / bound of tempered batches: float {worstF:0.000}, double {worstD:0.000}");
        Assert.InRange(worstF, 0, 1);
        Assert.InRange(worstD, 0, 1);
    }

    /// <summary>
    /// Tempered log-sum-exp batches (the smooth maximum m + T·log Σ exp((x − m)/T)), which take the blocks (K ≤ 16) and the
    /// vector rows with the scaled exp: every row within the untempered bounds, |error| ≤ 2.4e-7 (float) or 2e-15 (double)
    /// times max(1, |LSE|), for T = 0.01, 0.5, 3 and 250.
    /// </summary>
    [Theory]
    [MemberData(nameof(TemperedBatchKs))]
    [InlineData(1000)]
    public void LogSumExp_WithTemperature_Batches_WithinBound(int k)
    {
        var (rows, x, xd) = FloatExactBatch(k, 7);
        double worstF = 0, worstD = 0;
        foreach (double t in new[] { 0.01, 0.5, 3, 250 })
        {
            var lse = new float[rows.Length];
            var lsed = new double[rows.Length];
            Lib.Get<MapT<float>>(KernelLibrary.Name<float>("LogSumExp", k, "_rt_batch"))(x, lse, (float)t);
            Lib.Get<MapT<double>>(KernelLibrary.Name<double>("LogSumExp", k, "_rt_batch"))(xd, lsed, t);
            for (int r = 0; r < rows.Length; r++)
            {
                DoubleDouble expected = Reference.LogSumExp(rows[r], t);
                worstF = Math.Max(worstF, Ulp.RelativeToOne(lse[r], expected) / 2.4e-7);
                worstD = Math.Max(worstD, Ulp.RelativeToOne(lsed[r], expected) / 2e-15);
            }
        }

        output.WriteLine($"K={k}: worst error / bound of tempered log-sum-exp batches: float {worstF:0.000}, double {worstD:0.000}");
        Assert.InRange(worstF, 0, 1);
        Assert.InRange(worstD, 0, 1);
    }

    /// <summary>Σ of doubles, exactly enough (double-double) that the sum's own rounding does not count against the kernel.</summary>
    internal static double ExactSum(IEnumerable<double> values)
    {
        DoubleDouble s = 0;
        foreach (double v in values) s += v;
        return s.ToDouble();
    }
}
