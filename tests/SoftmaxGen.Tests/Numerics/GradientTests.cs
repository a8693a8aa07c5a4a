using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Numerics;

/// <summary>Jacobian and backward kernels against central finite differences of the forward kernels.</summary>
[Trait("Category", "Kernels")]
public class GradientTests
{
    private static KernelLibrary Lib => KernelLibrary.Shared;

    public static TheoryData<int> Ks => new(KernelLibrary.SmallKs);

    private static double[] RandomRow(Random random, int k, double scale = 3) =>
        Enumerable.Range(0, k).Select(_ => AccuracyTests.Gaussian(random) * scale).ToArray();

    /// <summary>∂f(x)_i/∂x_j by central differences (h = 1e-6·max(1,|x_j|)), on the double forward kernel.</summary>
    private static double[,] FiniteDifferenceJacobian(Map<double> forward, double[] x)
    {
        int k = x.Length;
        var jac = new double[k, k];
        double[] plus = new double[k], minus = new double[k];
        for (int j = 0; j < k; j++)
        {
            double h = 1e-6 * Math.Max(1, Math.Abs(x[j]));
            double[] xp = (double[])x.Clone(), xm = (double[])x.Clone();
            xp[j] += h;
            xm[j] -= h;
            forward(xp, plus);
            forward(xm, minus);
            for (int i = 0; i < k; i++)
            {
                jac[i, j] = (plus[i] - minus[i]) / (xp[j] - xm[j]);
            }
        }

        return jac;
    }

    /// <summary>x ↦ softmax(x / T) as a Map, for finite differences with a runtime temperature.</summary>
    private static Map<double> WithT(MapT<double> f, double t) => (x, y) => f(x, y, t);

    [Theory]
    [MemberData(nameof(Ks))]
    public void SoftmaxJacobian_MatchesFiniteDifferences(int k)
    {
        var random = new Random(k);
        foreach (double t in new[] { 1.0, 0.5, 4.0 })
        {
            double[] x = RandomRow(random, k);
            Map<double> forward = t == 1 ? Lib.Get<Map<double>>(KernelLibrary.Name<double>("Softmax", k)) : WithT(Lib.Get<MapT<double>>(KernelLibrary.Name<double>("Softmax", k, "_rt")), t);
            double[] p = new double[k];
            forward(x, p);
            double[] jac = new double[k * k];
            if (t == 1)
            {
                Lib.Get<Map<double>>(KernelLibrary.Name<double>("SoftmaxJacobian", k))(p, jac);
            }
            else
            {
                Lib.Get<MapT<double>>(KernelLibrary.Name<double>("SoftmaxJacobian", k, "_rt"))(p, jac, t);
            }

            double[,] fd = FiniteDifferenceJacobian(forward, x);
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    Assert.True(Math.Abs(jac[(i * k) + j] - fd[i, j]) < 1e-7, $"T={t} J[{i},{j}] = {jac[(i * k) + j]}, finite difference {fd[i, j]}");
                }
            }

            // float Jacobian agrees with the double one.
            float[] jf = new float[k * k];
            Lib.Get<Map<float>>(KernelLibrary.Name<float>("SoftmaxJacobian", k))(p.Select(v => (float)v).ToArray(), jf);
            if (t == 1)
            {
                for (int i = 0; i < k * k; i++) Assert.Equal(jac[i], jf[i], 1e-6);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Ks))]
    public void SoftmaxBackward_IsTheVectorJacobianProduct(int k)
    {
        var random = new Random(100 + k);
        foreach (double t in new[] { 1.0, 0.5, 4.0 })
        {
            double[] x = RandomRow(random, k);
            double[] g = RandomRow(random, k, 1);
            Map<double> forward = t == 1 ? Lib.Get<Map<double>>(KernelLibrary.Name<double>("Softmax", k)) : WithT(Lib.Get<MapT<double>>(KernelLibrary.Name<double>("Softmax", k, "_rt")), t);
            double[] p = new double[k];
            forward(x, p);
            double[] dx = new double[k];
            if (t == 1)
            {
                Lib.Get<Map2<double>>(KernelLibrary.Name<double>("SoftmaxBackward", k))(p, g, dx);
            }
            else
            {
                Lib.Get<Map2T<double>>(KernelLibrary.Name<double>("SoftmaxBackward", k, "_rt"))(p, g, dx, t);
            }

            double[,] fd = FiniteDifferenceJacobian(forward, x);
            for (int j = 0; j < k; j++)
            {
                double expected = 0;
                for (int i = 0; i < k; i++) expected += g[i] * fd[i, j];
                Assert.True(Math.Abs(dx[j] - expected) < 1e-7, $"T={t} dx[{j}] = {dx[j]}, finite difference {expected}");
            }

            float[] dxf = new float[k];
            Lib.Get<Map2<float>>(KernelLibrary.Name<float>("SoftmaxBackward", k))(p.Select(v => (float)v).ToArray(), g.Select(v => (float)v).ToArray(), dxf);
            if (t == 1)
            {
                for (int j = 0; j < k; j++) Assert.Equal(dx[j], dxf[j], 1e-6);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Ks))]
    public void LogSoftmaxBackward_IsTheVectorJacobianProduct(int k)
    {
        var random = new Random(200 + k);
        foreach (double t in new[] { 1.0, 0.5, 4.0 })
        {
            double[] x = RandomRow(random, k);
            double[] g = RandomRow(random, k, 1);
            Map<double> forward = t == 1 ? Lib.Get<Map<double>>(KernelLibrary.Name<double>("LogSoftmax", k)) : WithT(Lib.Get<MapT<double>>(KernelLibrary.Name<double>("LogSoftmax", k, "_rt")), t);
            double[] lp = new double[k];
            forward(x, lp);
            double[] dx = new double[k];
            if (t == 1)
            {
                Lib.Get<Map2<double>>(KernelLibrary.Name<double>("LogSoftmaxBackward", k))(lp, g, dx);
            }
            else
            {
                Lib.Get<Map2T<double>>(KernelLibrary.Name<double>("LogSoftmaxBackward", k, "_rt"))(lp, g, dx, t);
            }

            double[,] fd = FiniteDifferenceJacobian(forward, x);
            for (int j = 0; j < k; j++)
            {
                double expected = 0;
                for (int i = 0; i < k; i++) expected += g[i] * fd[i, j];
                Assert.True(Math.Abs(dx[j] - expected) < 1e-7, $"T={t} dx[{j}] = {dx[j]}, finite difference {expected}");
            }
        }
    }

    [Fact]
    public void LogSumExp_GradientIsSoftmax()
    {
        var lse = Lib.Get<Reduce<double>>(KernelLibrary.Name<double>("LogSumExp", 10));
        var softmax = Lib.Get<Map<double>>(KernelLibrary.Name<double>("Softmax", 10));
        double[] x = RandomRow(new Random(5), 10);
        double[] p = new double[10];
        softmax(x, p);
        for (int j = 0; j < 10; j++)
        {
            double[] xp = (double[])x.Clone(), xm = (double[])x.Clone();
            xp[j] += 1e-6;
            xm[j] -= 1e-6;
            Assert.Equal(p[j], (lse(xp) - lse(xm)) / (xp[j] - xm[j]), 7);
        }
    }
}
