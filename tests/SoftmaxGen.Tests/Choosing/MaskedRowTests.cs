using System.Numerics;
using SoftmaxGen.Tests.Harness;
using SoftmaxGen.Tests.Numerics;

namespace SoftmaxGen.Tests.Choosing;

public delegate void MaskedMap<T>(ReadOnlySpan<T> logits, ReadOnlySpan<bool> mask, Span<T> output);

public delegate T MaskedReduce<T>(ReadOnlySpan<T> logits, ReadOnlySpan<bool> mask);

/// <summary>
/// The masked forms of [Softmax], [LogSoftmax], [LogSumExp] and [Softmin]: an entry whose mask is false counts as −∞
/// (+∞ for softmin) whatever its value, on every row length and vector path, against the double-double reference of the
/// row with those entries replaced.
/// </summary>
[Trait("Category", "Kernels")]
public class MaskedRowTests
{
    /// <summary>The masked kernels live in the shared KernelLibrary (compiled once, and loaded by the instruction-set children).</summary>
    private static KernelLibrary Lib => KernelLibrary.Shared;

    private static TDelegate Get<TDelegate>(string name)
        where TDelegate : Delegate => Lib.Get<TDelegate>(name);

    public static TheoryData<int> RowLengths => new(KernelLibrary.MaskedKs.Where(k => k > 0));

    /// <summary>Rows with random masks (about one entry in three excluded), including excluded NaN, ±∞ and huge values; all-false and all-true masks.</summary>
    private static IEnumerable<(double[] X, bool[] Mask)> Rows(int k, Random random)
    {
        for (int r = 0; r < (k >= 1000 ? 4 : 16); r++)
        {
            double scale = r % 3 == 0 ? 30 : 3;
            double[] x = Enumerable.Range(0, k).Select(_ => (AccuracyTests.Gaussian(random) * scale) + (r % 2 == 0 ? 0 : 1000)).ToArray();
            bool[] mask = Enumerable.Range(0, k).Select(_ => random.Next(3) != 0).ToArray();
            if (r % 4 == 1)
            {
                // Excluded entries that would dominate or poison the row if they were read.
                for (int i = 0; i < k; i++)
                {
                    if (!mask[i]) x[i] = (i % 3) switch { 0 => double.NaN, 1 => double.PositiveInfinity, _ => 1e300 };
                }
            }

            yield return (x, mask);
        }

        double[] y = Enumerable.Range(0, k).Select(_ => random.NextDouble()).ToArray();
        yield return (y, Enumerable.Repeat(false, k).ToArray());
        yield return (y, Enumerable.Repeat(true, k).ToArray());
        bool[] one = new bool[k];
        one[k / 2] = true;
        yield return (y, one);
        double[] kept = (double[])y.Clone();
        kept[0] = double.NaN; // a kept NaN still gives NaN
        yield return (kept, Enumerable.Repeat(true, k).ToArray());
    }

    private static double[] Apply(double[] x, bool[] mask, double excluded) => x.Select((v, i) => mask[i] ? v : excluded).ToArray();

    [Theory]
    [MemberData(nameof(RowLengths))]
    public void MaskedForms_MatchTheReferenceOfTheReplacedRow(int k)
    {
        Check<float>(k, k, 4, 2.4e-7);
        Check<double>(k, k, 4, 1e-15);
        Check<float>(0, k, 4, 2.4e-7);
        Check<double>(0, k, 4, 1e-15);
    }

    private static void Check<T>(int kernelK, int k, double ulps, double logBound)
        where T : unmanaged, IFloatingPoint<T>
    {
        bool isFloat = typeof(T) == typeof(float);
        string n = $"{(isFloat ? "float" : "double")}_{kernelK}";
        var softmax = Get<MaskedMap<T>>("Softmax_" + n + "_masked");
        var softmaxZero = Get<MaskedMap<T>>("Softmax_" + n + "_masked_zero");
        var logSoftmax = Get<MaskedMap<T>>("LogSoftmax_" + n + "_masked");
        var logSoftmaxZero = Get<MaskedMap<T>>("LogSoftmax_" + n + "_masked_zero");
        var lse = Get<MaskedReduce<T>>("LogSumExp_" + n + "_masked");
        var lseBatch = Get<MaskedMap<T>>("LogSumExp_" + n + "_masked_batch");
        var softmin = Get<MaskedMap<T>>("Softmin_" + n + "_masked");
        var random = new Random(k * 31 + kernelK);
        foreach (var (row, mask) in Rows(k, random))
        {
            T[] x = row.Select(T.CreateSaturating).ToArray();
            double[] xd = x.Select(double.CreateSaturating).ToArray();
            double[] replaced = Apply(xd, mask, double.NegativeInfinity);
            string what = $"{typeof(T).Name} K={kernelK} row [{string.Join(", ", xd.Take(6))}…] mask [{string.Join("", mask.Take(12).Select(m => m ? '1' : '0'))}…]";

            T[] p = new T[k], pz = new T[k], lp = new T[k], lpz = new T[k], q = new T[k], results = new T[1];
            softmax(x, mask, p);
            softmaxZero(x, mask, pz);
            logSoftmax(x, mask, lp);
            logSoftmaxZero(x, mask, lpz);
            softmin(x, mask, q);
            T value = lse(x, mask);
            lseBatch(x, mask, results);

            DoubleDouble[] expectedP = Reference.Softmax(replaced), expectedPz = Reference.Softmax(replaced, zeroMasked: true);
            DoubleDouble[] expectedLp = Reference.LogSoftmax(replaced), expectedLpz = Reference.LogSoftmax(replaced, zeroMasked: true);
            DoubleDouble[] expectedQ = Reference.Softmax(Apply(xd, mask, double.PositiveInfinity).Select(v => -v).ToArray());
            DoubleDouble expectedLse = Reference.LogSumExp(replaced);
            for (int i = 0; i < k; i++)
            {
                Assert.True(Error(p[i], expectedP[i]) <= ulps, $"softmax {what}: p[{i}] = {p[i]}, expected {expectedP[i].ToDouble()}");
                Assert.True(Error(pz[i], expectedPz[i]) <= ulps, $"softmax zero {what}: p[{i}] = {pz[i]}, expected {expectedPz[i].ToDouble()}");
                Assert.True(Error(q[i], expectedQ[i]) <= ulps, $"softmin {what}: p[{i}] = {q[i]}, expected {expectedQ[i].ToDouble()}");
                Assert.True(Ulp.RelativeToOne(double.CreateSaturating(lp[i]), expectedLp[i]) <= logBound, $"log-softmax {what}: lp[{i}] = {lp[i]}, expected {expectedLp[i].ToDouble()}");
                Assert.True(Ulp.RelativeToOne(double.CreateSaturating(lpz[i]), expectedLpz[i]) <= logBound, $"log-softmax zero {what}: lp[{i}] = {lpz[i]}");
            }

            Assert.True(Ulp.RelativeToOne(double.CreateSaturating(value), expectedLse) <= logBound, $"log-sum-exp {what}: {value}, expected {expectedLse.ToDouble()}");
            Assert.Equal(value, results[0]);
        }
    }

    private static double Error<T>(T actual, DoubleDouble expected)
        where T : unmanaged, IFloatingPoint<T> =>
        typeof(T) == typeof(float) ? Ulp.ErrorFloat(float.CreateSaturating(actual), expected) : Ulp.ErrorDouble(double.CreateSaturating(actual), expected);

    public static TheoryData<int> ShortRowLengths => new(KernelLibrary.MaskedKs.Where(k => k is >= 2 and <= 16));

    /// <summary>
    /// Batches long enough for the transposed blocks of short rows (K ≤ 16: 3 blocks of 16 ordinary rows, then 20 rows of limits), whose rows are masked
    /// before the transpose: each row of the batch agrees with the same row computed alone (the vector or scalar row path) to
    /// 8 ulp, including rows with excluded NaN, ±∞ and 1e300, fully masked rows and kept NaN (the blocks' scalar fallback).
    /// </summary>
    [Theory]
    [MemberData(nameof(ShortRowLengths))]
    public void LongBatches_TakeTheMaskedBlocks_AndAgreeWithEachRowAlone(int k)
    {
        Run<float>(k);
        Run<double>(k);

        static void Run<T>(int k)
            where T : unmanaged, IFloatingPoint<T>
        {
            string n = $"{(typeof(T) == typeof(float) ? "float" : "double")}_{k}";
            var random = new Random(k);
            // Three blocks of ordinary rows first (a block with any NaN, ∞ or fully masked row takes the scalar rows), then the limits.
            var all = Enumerable.Range(0, 8).SelectMany(_ => Rows(k, random)).ToList();
            bool Ordinary((double[] X, bool[] Mask) r) => r.Mask.Any(b => b) && r.X.All(v => Math.Abs(v) < 1e10);
            var rows = all.Where(Ordinary).Take(3 * 16).Concat(all.Where(r => !Ordinary(r)).Take(20)).ToList();
            T[] x = [.. rows.SelectMany(r => r.X.Select(T.CreateTruncating))];
            bool[] mask = [.. rows.SelectMany(r => r.Mask)];
            foreach (string op in new[] { "Softmax", "LogSoftmax", "Softmax_zero", "LogSumExp" })
            {
                string name = op == "Softmax_zero" ? $"Softmax_{n}_masked_zero" : op == "LogSumExp" ? $"LogSumExp_{n}_masked_batch" : $"{op}_{n}_masked";
                var kernel = Get<MaskedMap<T>>(name);
                int width = op == "LogSumExp" ? 1 : k;
                var batch = new T[rows.Count * width];
                kernel(x, mask, batch);
                for (int r = 0; r < rows.Count; r++)
                {
                    var alone = new T[width];
                    kernel(x.AsSpan(r * k, k), mask.AsSpan(r * k, k), alone);
                    for (int i = 0; i < width; i++)
                    {
                        double a = double.CreateTruncating(alone[i]), b = double.CreateTruncating(batch[(r * width) + i]);
                        double ulp = typeof(T) == typeof(float) ? Math.ScaleB(1, -23) : Math.ScaleB(1, -52);
                        bool same = a.Equals(b) || Math.Abs(a - b) <= (8 * ulp * Math.Max(Math.Abs(a), 1e-30));
                        Assert.True(same, $"{name} row {r} entry {i}: batch {b:R}, alone {a:R}");
                    }
                }
            }
        }
    }

    /// <summary>A batch: each row takes its own slice of the mask; a wrong mask length throws before anything is written.</summary>
    [Fact]
    public void Batches_UseEachRowsMask_AndLengthsAreChecked()
    {
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100];
        bool[] mask = [.. Enumerable.Range(0, 32).Select(i => i < 16 ? i == 3 : i >= 30)];
        float[] p = new float[32];
        Get<MaskedMap<float>>("Softmax_float_16_masked")(x, mask, p);
        Assert.Equal(1f, p[3]);
        Assert.Equal([0.5f, 0.5f], p[30..]);
        Assert.Equal(0f, p.Take(30).Sum() - 1f);

        double[] results = new double[2];
        Get<MaskedMap<double>>("LogSumExp_double_16_masked_batch")(x.Select(v => (double)v).ToArray(), mask, results);
        Assert.Equal(4.0, results[0]);
        Assert.Equal(100 + Math.Log(2), results[1], 1e-14);

        float[] untouched = [.. Enumerable.Repeat(9f, 32)];
        var error = Assert.Throws<ArgumentException>(() => Get<MaskedMap<float>>("Softmax_float_16_masked")(x, mask.AsSpan(0, 16), untouched));
        Assert.Equal("mask", error.ParamName);
        Assert.All(untouched, v => Assert.Equal(9f, v));
        var lseError = Assert.Throws<ArgumentException>(() => Get<MaskedReduce<double>>("LogSumExp_double_0_masked")([1.0, 2.0], [true]));
        Assert.Equal("mask", lseError.ParamName);
    }
}
