using SoftmaxGen.Tests.Harness;
using SoftmaxGen.Tests.Numerics;
using Xunit.Abstractions;

namespace SoftmaxGen.Tests.Simd;

/// <summary>
/// Whole batches, so the batch-level vector paths run: packed rows (K = 2, 4), transposed blocks of short rows
/// (K ≤ 16), the row path (K = 17, 33, 100), and the rows after the last whole block. Every row is held to the accuracy contract
/// against the double-double reference, with special rows (NaN, +∞ ties, all −∞, −∞ entries) sprinkled in, so vectors
/// that must hand their rows to the scalar limits are exercised; in-place batches must match the separate form bit for bit.
/// </summary>
[Trait("Category", "Kernels")]
public class BatchPathTests(ITestOutputHelper output)
{
    public static TheoryData<int> Ks => new(1, 2, 3, 4, 7, 8, 9, 10, 15, 16, 17, 33, 100);

    private static KernelLibrary Lib => KernelLibrary.Shared;

    private static readonly int[] InPlaceKs = [1, 2, 3, 4, 7, 8, 9, 10, 16, 17, 33, 100];

    /// <summary>37 rows: random at scales 1, 10, 100 with offsets 0 and ±1000, and special rows at fixed places.</summary>
    private static double[] Batch(int k, int seed, out int rows)
    {
        rows = 37;
        var random = new Random((seed * 31) + k);
        var x = new double[rows * k];
        for (int r = 0; r < rows; r++)
        {
            double scale = new[] { 1.0, 10.0, 100.0 }[r % 3];
            double offset = new[] { 0.0, 1000.0, -1000.0 }[(r / 3) % 3];
            for (int j = 0; j < k; j++)
            {
                x[(r * k) + j] = (AccuracyTests.Gaussian(random) * scale) + offset;
            }
        }

        x[(5 * k) + (k / 2)] = double.NaN;
        x[11 * k] = double.PositiveInfinity;
        x[(11 * k) + (k - 1)] = double.PositiveInfinity;
        Array.Fill(x, double.NegativeInfinity, 17 * k, k);
        if (k > 1)
        {
            x[(23 * k) + 1] = double.NegativeInfinity;
        }

        return x;
    }

    [Theory]
    [MemberData(nameof(Ks))]
    public void FloatBatches_MeetTheContract_OnEveryRow(int k)
    {
        float[] x = Batch(k, 1, out int rows).Select(v => (float)v).ToArray();
        float[] p = new float[x.Length], lp = new float[x.Length], lse = new float[rows];
        Lib.Get<Map<float>>(KernelLibrary.Name<float>("Softmax", k))(x, p);
        Lib.Get<Map<float>>(KernelLibrary.Name<float>("LogSoftmax", k))(x, lp);
        Lib.Get<Map<float>>(KernelLibrary.Name<float>("LogSumExp", k, "_batch"))(x, lse);
        double worstP = 0, worstSum = 0, worstLp = 0, worstLse = 0;
        for (int r = 0; r < rows; r++)
        {
            double[] row = x.AsSpan(r * k, k).ToArray().Select(v => (double)v).ToArray();
            DoubleDouble[] ep = Reference.Softmax(row), elp = Reference.LogSoftmax(row);
            for (int j = 0; j < k; j++)
            {
                worstP = Math.Max(worstP, Ulp.ErrorFloat(p[(r * k) + j], ep[j]));
                worstLp = Math.Max(worstLp, Ulp.RelativeToOne(lp[(r * k) + j], elp[j]));
            }

            if (row.All(double.IsFinite))
            {
                worstSum = Math.Max(worstSum, Math.Abs(AccuracyTests.ExactSum(p.AsSpan(r * k, k).ToArray().Select(v => (double)v)) - 1));
            }

            worstLse = Math.Max(worstLse, Ulp.RelativeToOne(lse[r], Reference.LogSumExp(row)));
        }

        output.WriteLine($"float K={k} batch: softmax {worstP:0.00} ulp, |Σp − 1| {worstSum:E2}, log-softmax {worstLp:E2}, log-sum-exp {worstLse:E2}");
        Assert.InRange(worstP, 0, 4);
        Assert.InRange(worstSum, 0, 5e-8);
        Assert.InRange(worstLp, 0, 2.4e-7);
        Assert.InRange(worstLse, 0, 2.4e-7);

        if (InPlaceKs.Contains(k))
        {
            AssertInPlaceMatches(k, x, p, lp);
        }
    }

    [Theory]
    [MemberData(nameof(Ks))]
    public void DoubleBatches_MeetTheContract_OnEveryRow(int k)
    {
        double[] x = Batch(k, 2, out int rows);
        double[] p = new double[x.Length], lp = new double[x.Length], lse = new double[rows];
        Lib.Get<Map<double>>(KernelLibrary.Name<double>("Softmax", k))(x, p);
        Lib.Get<Map<double>>(KernelLibrary.Name<double>("LogSoftmax", k))(x, lp);
        Lib.Get<Map<double>>(KernelLibrary.Name<double>("LogSumExp", k, "_batch"))(x, lse);
        double worstP = 0, worstSum = 0, worstLp = 0, worstLse = 0;
        for (int r = 0; r < rows; r++)
        {
            double[] row = x.AsSpan(r * k, k).ToArray();
            DoubleDouble[] ep = Reference.Softmax(row), elp = Reference.LogSoftmax(row);
            for (int j = 0; j < k; j++)
            {
                worstP = Math.Max(worstP, Ulp.ErrorDouble(p[(r * k) + j], ep[j]));
                worstLp = Math.Max(worstLp, Ulp.RelativeToOne(lp[(r * k) + j], elp[j]));
            }

            if (row.All(double.IsFinite))
            {
                worstSum = Math.Max(worstSum, Math.Abs(AccuracyTests.ExactSum(p.AsSpan(r * k, k).ToArray()) - 1));
            }

            worstLse = Math.Max(worstLse, Ulp.RelativeToOne(lse[r], Reference.LogSumExp(row)));
        }

        output.WriteLine($"double K={k} batch: softmax {worstP:0.00} ulp, |Σp − 1| {worstSum:E2}, log-softmax {worstLp:E2}, log-sum-exp {worstLse:E2}");
        Assert.InRange(worstP, 0, 4);
        Assert.InRange(worstSum, 0, 4e-16);
        Assert.InRange(worstLp, 0, 1e-15);
        Assert.InRange(worstLse, 0, 1e-15);

        if (InPlaceKs.Contains(k))
        {
            AssertInPlaceMatches(k, x, p, lp);
        }
    }

    /// <summary>
    /// The lane-wise logarithm of the short-row batches (double: log s to about 1 ulp without a call per row) over
    /// many rows whose sums s cover [1, K] densely, including s = 1 (one dominant entry), s = K (all equal, s a power
    /// of two for K = 2, 4, 8) and s near √2, where the reduction switches. A log good to only 1e-13 (the float
    /// kernels' series) fails here.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(16)]
    public void DoubleShortRows_LogSumExp_And_LogSoftmax_WithinThreeUlp(int k)
    {
        const int rows = 4096;
        var random = new Random(1000 + k);
        var x = new double[rows * k];
        for (int r = 0; r < rows; r++)
        {
            Span<double> row = x.AsSpan(r * k, k);
            switch (r % 4)
            {
                case 0:
                    // Uniform spread of width w ∈ [0, 8): s anywhere in [1, K].
                    double w = 8 * random.NextDouble();
                    for (int j = 0; j < k; j++) row[j] = w * random.NextDouble();
                    break;
                case 1:
                    // One entry dominates: s = 1 + tiny.
                    for (int j = 0; j < k; j++) row[j] = -40 - (40 * random.NextDouble());
                    row[random.Next(k)] = 0.5;
                    break;
                case 2:
                    // Near-equal entries: s close to K.
                    for (int j = 0; j < k; j++) row[j] = 3 + (1e-9 * random.NextDouble());
                    break;
                default:
                    // s near √2: one entry at 0, the rest sharing √2 − 1 (± a little).
                    row[0] = 0;
                    double share = (Math.Sqrt(2) - 1 + (1e-6 * ((2 * random.NextDouble()) - 1))) / (k - 1);
                    for (int j = 1; j < k; j++) row[j] = Math.Log(share);
                    break;
            }
        }

        double[] lse = new double[rows], lp = new double[x.Length];
        Lib.Get<Map<double>>(KernelLibrary.Name<double>("LogSumExp", k, "_batch"))(x, lse);
        Lib.Get<Map<double>>(KernelLibrary.Name<double>("LogSoftmax", k))(x, lp);
        double worstLse = 0, worstLp = 0;
        for (int r = 0; r < rows; r++)
        {
            double[] row = x.AsSpan(r * k, k).ToArray();
            worstLse = Math.Max(worstLse, Ulp.ErrorDouble(lse[r], Reference.LogSumExp(row)));
            DoubleDouble[] elp = Reference.LogSoftmax(row);
            for (int j = 0; j < k; j++)
            {
                worstLp = Math.Max(worstLp, Ulp.RelativeToOne(lp[(r * k) + j], elp[j]));
            }
        }

        output.WriteLine($"double K={k}, {rows} rows: log-sum-exp {worstLse:0.00} ulp, log-softmax {worstLp:E2} relative to one");
        // Measured: about 1.6 ulp on the vector paths, 2.2 on the scalar path (Math.Log, no FMA); a log good to
        // 1e-13 would be hundreds of ulp off.
        Assert.InRange(worstLse, 0, 3);
        Assert.InRange(worstLp, 0, 1e-15);
    }

    public static TheoryData<int, int> ShortRowShapes
    {
        get
        {
            var data = new TheoryData<int, int>();
            foreach (int k in new[] { 2, 3, 4, 7, 8, 9, 10, 15, 16 })
            {
                // A whole number of 16-row blocks (the last block cannot read past its last row: the element-wise
                // transpose), and 5 rows more (the last whole block is transposed in registers, then 5 rows take Row).
                data.Add(k, 1024);
                data.Add(k, 1029);
            }

            return data;
        }
    }

    /// <summary>
    /// Many ordinary rows, so every block of the short-row path runs lane-wise (the 37-row batches above send most
    /// blocks to the scalar limits): on AVX-512 the blocks are transposed in registers both ways, reading and writing
    /// each row with whole vectors that overlap the next row. Every value is checked, and the in-place forms must match.
    /// </summary>
    [Theory]
    [MemberData(nameof(ShortRowShapes))]
    public void ShortRowBatches_EveryRowLaneWise_MeetTheContract(int k, int rows)
    {
        var random = new Random((rows * 17) + k);
        double[] x = new double[rows * k];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = AccuracyTests.Gaussian(random) * new[] { 1.0, 4.0, 30.0 }[(i / k) % 3];
        }

        float[] xf = x.Select(v => (float)v).ToArray();
        float[] pf = new float[xf.Length], lpf = new float[xf.Length], lsef = new float[rows];
        Lib.Get<Map<float>>(KernelLibrary.Name<float>("Softmax", k))(xf, pf);
        Lib.Get<Map<float>>(KernelLibrary.Name<float>("LogSoftmax", k))(xf, lpf);
        Lib.Get<Map<float>>(KernelLibrary.Name<float>("LogSumExp", k, "_batch"))(xf, lsef);
        double[] pd = new double[x.Length], lpd = new double[x.Length], lsed = new double[rows];
        Lib.Get<Map<double>>(KernelLibrary.Name<double>("Softmax", k))(x, pd);
        Lib.Get<Map<double>>(KernelLibrary.Name<double>("LogSoftmax", k))(x, lpd);
        Lib.Get<Map<double>>(KernelLibrary.Name<double>("LogSumExp", k, "_batch"))(x, lsed);

        double worstPf = 0, worstSumF = 0, worstLpf = 0, worstLsef = 0, worstPd = 0, worstSumD = 0, worstLpd = 0, worstLsed = 0;
        for (int r = 0; r < rows; r++)
        {
            double[] rowF = xf.AsSpan(r * k, k).ToArray().Select(v => (double)v).ToArray();
            DoubleDouble[] ep = Reference.Softmax(rowF), elp = Reference.LogSoftmax(rowF);
            double[] rowD = x.AsSpan(r * k, k).ToArray();
            DoubleDouble[] epd = Reference.Softmax(rowD), elpd = Reference.LogSoftmax(rowD);
            for (int j = 0; j < k; j++)
            {
                int i = (r * k) + j;
                worstPf = Math.Max(worstPf, Ulp.ErrorFloat(pf[i], ep[j]));
                worstLpf = Math.Max(worstLpf, Ulp.RelativeToOne(lpf[i], elp[j]));
                worstPd = Math.Max(worstPd, Ulp.ErrorDouble(pd[i], epd[j]));
                worstLpd = Math.Max(worstLpd, Ulp.RelativeToOne(lpd[i], elpd[j]));
            }

            worstSumF = Math.Max(worstSumF, Math.Abs(AccuracyTests.ExactSum(pf.AsSpan(r * k, k).ToArray().Select(v => (double)v)) - 1));
            worstSumD = Math.Max(worstSumD, Math.Abs(AccuracyTests.ExactSum(pd.AsSpan(r * k, k).ToArray()) - 1));
            worstLsef = Math.Max(worstLsef, Ulp.RelativeToOne(lsef[r], Reference.LogSumExp(rowF)));
            worstLsed = Math.Max(worstLsed, Ulp.RelativeToOne(lsed[r], Reference.LogSumExp(rowD)));
        }

        output.WriteLine($"K={k}, {rows} rows: float softmax {worstPf:0.00} ulp, |Σp − 1| {worstSumF:E2}, log-softmax {worstLpf:E2}, LSE {worstLsef:E2}; " +
            $"double softmax {worstPd:0.00} ulp, |Σp − 1| {worstSumD:E2}, log-softmax {worstLpd:E2}, LSE {worstLsed:E2}");
        Assert.InRange(worstPf, 0, 4);
        Assert.InRange(worstSumF, 0, 5e-8);
        Assert.InRange(worstLpf, 0, 2.4e-7);
        Assert.InRange(worstLsef, 0, 2.4e-7);
        Assert.InRange(worstPd, 0, 4);
        Assert.InRange(worstSumD, 0, 4e-16);
        Assert.InRange(worstLpd, 0, 1e-15);
        Assert.InRange(worstLsed, 0, 1e-15);

        if (InPlaceKs.Contains(k))
        {
            AssertInPlaceMatches(k, xf, pf, lpf);
            AssertInPlaceMatches(k, x, pd, lpd);
        }
    }

    /// <summary>The in-place softmax and log-softmax of x must equal the separate forms' results bit for bit.</summary>
    private static void AssertInPlaceMatches<T>(int k, T[] x, T[] p, T[] lp)
    {
        T[] inPlace = (T[])x.Clone();
        Lib.Get<InPlace<T>>(KernelLibrary.Name<T>("Softmax", k, "_inplace"))(inPlace);
        Assert.Equal(p, inPlace);
        inPlace = (T[])x.Clone();
        Lib.Get<InPlace<T>>(KernelLibrary.Name<T>("LogSoftmax", k, "_inplace"))(inPlace);
        Assert.Equal(lp, inPlace);
    }
}
