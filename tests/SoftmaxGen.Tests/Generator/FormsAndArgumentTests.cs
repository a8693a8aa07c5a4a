using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Generator;

/// <summary>Every signature form runs, and every bad length or temperature throws before anything is written.</summary>
[Trait("Category", "Kernels")]
public class FormsAndArgumentTests
{
    private static KernelLibrary Lib => KernelLibrary.Shared;

    private static double[] Sample(int n, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (random.NextDouble() * 20) - 10).ToArray();
    }

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(0)]
    public void InPlace_EqualsSeparateOutput(int k)
    {
        int n = k == 0 ? 13 : k * 4;
        double[] x = Sample(n);
        foreach (string op in new[] { "Softmax", "LogSoftmax" })
        {
            double[] expected = new double[n];
            Lib.Get<Map<double>>(KernelLibrary.Name<double>(op, k))(x, expected);
            double[] values = (double[])x.Clone();
            Lib.Get<InPlace<double>>(KernelLibrary.Name<double>(op, k, "_inplace"))(values);
            Assert.Equal(expected, values);

            float[] xf = x.Select(v => (float)v).ToArray();
            float[] expectedF = new float[n];
            Lib.Get<Map<float>>(KernelLibrary.Name<float>(op, k))(xf, expectedF);
            Lib.Get<InPlace<float>>(KernelLibrary.Name<float>(op, k, "_inplace"))(xf);
            Assert.Equal(expectedF, xf);
        }
    }

    [Fact]
    public void AnyLength_TreatsTheWholeSpanAsOneRow()
    {
        foreach (int n in new[] { 1, 2, 5, 37, 1000 })
        {
            double[] x = Sample(n, n);
            double[] p = new double[n];
            Lib.Get<Map<double>>("Softmax_double_0")(x, p);
            Assert.Equal(1.0, p.Sum(), 12);
            double lse = Lib.Get<Reduce<double>>("LogSumExp_double_0")(x);
            Assert.Equal(Numerics.Reference.LogSumExp(x).ToDouble(), lse, 12);
            double[] one = new double[1];
            Lib.Get<Map<double>>("LogSumExp_double_0_batch")(x, one);
            Assert.Equal(lse, one[0]);
        }

        var ex = Assert.Throws<ArgumentException>(() => Lib.Get<Map<float>>("Softmax_float_0")(ReadOnlySpan<float>.Empty, Span<float>.Empty));
        Assert.Equal("x", ex.ParamName);
    }

    [Fact]
    public void LogSumExpBatch_GivesOneResultPerRow()
    {
        double[] x = Sample(40);
        double[] results = new double[4];
        Lib.Get<Map<double>>("LogSumExp_double_10_batch")(x, results);
        var single = Lib.Get<Reduce<double>>("LogSumExp_double_10");
        for (int row = 0; row < 4; row++)
        {
            Assert.Equal(single(x.AsSpan(row * 10, 10)), results[row]);
        }

        var ex = Assert.Throws<ArgumentException>(() => Lib.Get<Map<double>>("LogSumExp_double_10_batch")(x, new double[3]));
        Assert.Equal("results", ex.ParamName);
        Assert.Contains("3", ex.Message);
        Assert.Contains("4", ex.Message);
        var one = Assert.Throws<ArgumentException>(() => single(x.AsSpan(0, 20)));
        Assert.Equal("x", one.ParamName);
    }

    public static TheoryData<string, int, int, int, string> BadLengths => new()
    {
        // op, input length, second length, output length, parameter named
        { "Softmax", 15, -1, 15, "x" },
        { "Softmax", 20, -1, 10, "y" },
        { "LogSoftmax", 20, -1, 30, "y" },
        { "SoftmaxJacobian", 20, -1, 100, "jacobian" },
        { "SoftmaxJacobian", 15, -1, 150, "p" },
        { "SoftmaxBackward", 20, 10, 20, "g" },
        { "SoftmaxBackward", 20, 20, 10, "dx" },
        { "LogSoftmaxBackward", 25, 25, 25, "lp" },
        { "LogSoftmaxBackward", 20, 20, 21, "dx" },
    };

    [Theory]
    [MemberData(nameof(BadLengths))]
    public void WrongLength_ThrowsArgumentException_NamingTheParameter_OutputUntouched(string op, int inputLength, int secondLength, int outputLength, string parameter)
    {
        float[] output = Enumerable.Repeat(7f, outputLength).ToArray();
        float[] input = new float[inputLength];
        ArgumentException ex;
        if (secondLength < 0)
        {
            var f = Lib.Get<Map<float>>(KernelLibrary.Name<float>(op, 10));
            ex = Assert.Throws<ArgumentException>(() => f(input, output));
        }
        else
        {
            var f = Lib.Get<Map2<float>>(KernelLibrary.Name<float>(op, 10));
            ex = Assert.Throws<ArgumentException>(() => f(input, new float[secondLength], output));
        }

        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains(parameter, ex.Message);
        Assert.All(output, v => Assert.Equal(7f, v));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void RuntimeTemperature_NotPositiveFinite_ThrowsArgumentOutOfRange_OutputUntouched(double t)
    {
        double[] y = Enumerable.Repeat(7.0, 10).ToArray();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Lib.Get<MapT<double>>("Softmax_double_10_rt")(new double[10], y, t));
        Assert.Equal("temperature", ex.ParamName);
        Assert.All(y, v => Assert.Equal(7.0, v));
        float[] yf = Enumerable.Repeat(7f, 10).ToArray();
        Assert.Throws<ArgumentOutOfRangeException>(() => Lib.Get<MapT<float>>("LogSoftmax_float_10_rt")(new float[10], yf, (float)t));
        Assert.All(yf, v => Assert.Equal(7f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => Lib.Get<ReduceT<float>>("LogSumExp_float_10_rt")(new float[10], (float)t));
    }

    [Fact]
    public void ConstantTemperature_EqualsRuntimeTemperature()
    {
        double[] x = Sample(30);
        double[] a = new double[30], b = new double[30];
        Lib.Get<Map<double>>("Softmax_double_10_t05")(x, a);
        Lib.Get<MapT<double>>("Softmax_double_10_rt")(x, b, 0.5);
        Assert.Equal(b, a);
    }

    [Fact]
    public void Jacobian_BatchHoldsKxKPerRow()
    {
        double[] p = new double[30];
        Lib.Get<Map<double>>("Softmax_double_10")(Sample(30), p);
        double[] jac = new double[300];
        Lib.Get<Map<double>>("SoftmaxJacobian_double_10")(p, jac);
        for (int row = 0; row < 3; row++)
        {
            double[] single = new double[100];
            Lib.Get<Map<double>>("SoftmaxJacobian_double_10")(p.AsSpan(row * 10, 10), single);
            Assert.Equal(single, jac.AsSpan(row * 100, 100).ToArray());
            // Rows of a softmax Jacobian sum to 0 (softmax is invariant to adding a constant).
            for (int i = 0; i < 10; i++) Assert.Equal(0.0, single.Skip(i * 10).Take(10).Sum(), 15);
        }
    }
}
