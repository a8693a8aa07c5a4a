using SoftmaxGen.Tests.Harness;
using SoftmaxGen.Tests.Numerics;

namespace SoftmaxGen.Tests.Generator;

/// <summary>The foundation contract of [Softmax(K)]: values, batches, huge inputs, length errors, no allocation.</summary>
public class SoftmaxContractTests
{
    private static KernelLibrary Lib => KernelLibrary.Shared;

    [Fact]
    public void Softmax_K3_Float_OnLargeLogits_GivesFiniteProbabilities()
    {
        var softmax = Lib.Get<Map<float>>("Softmax_float_3");
        float[] y = new float[3];
        softmax([1000f, 1000f, 999f], y);
        Assert.Equal(0.4223188f, y[0], 6);
        Assert.Equal(0.4223188f, y[1], 6);
        Assert.Equal(0.1553624f, y[2], 6);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1e30)]
    [InlineData(3e38)]
    public void Softmax_K10_Float_HugeInputs_MatchReference(double scale)
    {
        var softmax = Lib.Get<Map<float>>("Softmax_float_10");
        var random = new Random(10);
        for (int trial = 0; trial < 200; trial++)
        {
            float[] x = Enumerable.Range(0, 10).Select(_ => (float)(scale * ((random.NextDouble() * 2) - 1))).ToArray();
            float[] y = new float[10];
            softmax(x, y);
            DoubleDouble[] expected = Reference.Softmax(x.Select(v => (double)v).ToArray());
            for (int i = 0; i < 10; i++)
            {
                Assert.True(float.IsFinite(y[i]), $"p[{i}] = {y[i]} for x = [{string.Join(", ", x)}]");
                Assert.True(Ulp.ErrorFloat(y[i], expected[i]) <= 4, $"p[{i}] = {y[i]}, expected {expected[i].ToDouble()}");
            }

            Assert.InRange(y.Sum(v => (double)v), 1 - 5e-8, 1 + 5e-8);
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1e30)]
    [InlineData(1e300)]
    [InlineData(double.MaxValue)]
    public void Softmax_K10_Double_HugeInputs_MatchReference(double scale)
    {
        var softmax = Lib.Get<Map<double>>("Softmax_double_10");
        var random = new Random(11);
        for (int trial = 0; trial < 200; trial++)
        {
            double[] x = Enumerable.Range(0, 10).Select(_ => scale * ((random.NextDouble() * 2) - 1)).ToArray();
            double[] y = new double[10];
            softmax(x, y);
            DoubleDouble[] expected = Reference.Softmax(x);
            for (int i = 0; i < 10; i++)
            {
                Assert.True(Ulp.ErrorDouble(y[i], expected[i]) <= 4, $"p[{i}] = {y[i]:R}, expected {expected[i].ToDouble():R}");
            }
        }
    }

    [Fact]
    public void Softmax_K10_Batch_NormalisesEachRowOnItsOwn()
    {
        var softmax = Lib.Get<Map<float>>("Softmax_float_10");
        var single = new float[10];
        var random = new Random(3);
        float[] x = Enumerable.Range(0, 70).Select(i => (float)(random.NextDouble() * 20) + (1000 * (i / 10))).ToArray();
        float[] y = new float[70];
        softmax(x, y);
        for (int row = 0; row < 7; row++)
        {
            softmax(x.AsSpan(row * 10, 10), single);
            Assert.Equal(single, y.AsSpan(row * 10, 10).ToArray());
            Assert.InRange(y.Skip(row * 10).Take(10).Sum(v => (double)v), 1 - 5e-8, 1 + 5e-8);
        }
    }

    [Fact]
    public void Softmax_EmptySpans_AreANoOp()
    {
        Lib.Get<Map<float>>("Softmax_float_10")(ReadOnlySpan<float>.Empty, Span<float>.Empty);
        Lib.Get<Map<double>>("Softmax_double_10")(ReadOnlySpan<double>.Empty, Span<double>.Empty);
    }

    [Fact]
    public void Softmax_InputNotWholeRows_ThrowsNamingLogits_AndLeavesOutputUntouched()
    {
        var softmax = Lib.Get<Map<float>>("Softmax_float_10");
        float[] y = Enumerable.Repeat(42f, 15).ToArray();
        var ex = Assert.Throws<ArgumentException>(() => softmax(new float[15], y));
        Assert.Equal("x", ex.ParamName);
        Assert.Contains("15", ex.Message);
        Assert.Contains("10", ex.Message);
        Assert.All(y, v => Assert.Equal(42f, v));
    }

    [Fact]
    public void Softmax_OutputLengthMismatch_ThrowsNamingOutput_AndLeavesOutputUntouched()
    {
        var softmax = Lib.Get<Map<double>>("Softmax_double_10");
        double[] y = Enumerable.Repeat(42.0, 10).ToArray();
        var ex = Assert.Throws<ArgumentException>(() => softmax(new double[20], y));
        Assert.Equal("y", ex.ParamName);
        Assert.Contains("20", ex.Message);
        Assert.Contains("10", ex.Message);
        Assert.All(y, v => Assert.Equal(42.0, v));
    }

    [Fact]
    public void Softmax_DoesNotAllocate()
    {
        var f = Lib.Get<Map<float>>("Softmax_float_10");
        var d = Lib.Get<Map<double>>("Softmax_double_4096");
        float[] x = new float[1000];
        float[] y = new float[1000];
        double[] xd = new double[4096 * 2];
        double[] yd = new double[4096 * 2];
        f(x, y);
        d(xd, yd);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            f(x, y);
            d(xd, yd);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
