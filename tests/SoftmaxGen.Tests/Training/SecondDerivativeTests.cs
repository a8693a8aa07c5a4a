using SoftmaxGen.Tests.Harness;
using SoftmaxGen.Tests.Numerics;
using static SoftmaxGen.Tests.Training.TrainingKernels;

namespace SoftmaxGen.Tests.Training;

/// <summary>[SoftmaxHessian] and [SoftmaxSecondDirectional] against finite differences of the Jacobian and against each other.</summary>
[Trait("Category", "Kernels")]
public class SecondDerivativeTests
{
    public static TheoryData<int> HessianLengths => new(HessianKs.Where(k => k > 0));

    private static (double[] X, double[] P) Row(int k, int seed, double t = 1)
    {
        var random = new Random(seed);
        double[] x = Enumerable.Range(0, k).Select(_ => AccuracyTests.Gaussian(random) * 2).ToArray();
        var p = Reference.Softmax(x, t).Select(v => v.ToDouble()).ToArray();
        return (x, p);
    }

    [Theory]
    [MemberData(nameof(HessianLengths))]
    public void Hessian_MatchesFiniteDifferencesOfTheJacobian(int k)
    {
        foreach (double t in new[] { 1.0, 0.5, 3.0 })
        {
            var (x, p) = Row(k, k, t);
            var h = new double[k * k * k];
            if (t == 1) Get<Map<double>>("Hessian", typeof(double), k)(p, h);
            else Get<MapT<double>>("HessianRt", typeof(double), 0)(p, h, t);

            // J(x)_ij = ∂p_i/∂x_j from the Jacobian kernel at softmax((x ± h e_k)/T), differenced in x_k.
            for (int c = 0; c < k; c++)
            {
                double step = 1e-5;
                double[] jp = JacobianAt(x, c, step, t), jm = JacobianAt(x, c, -step, t);
                for (int i = 0; i < k; i++)
                {
                    for (int j = 0; j < k; j++)
                    {
                        double fd = (jp[(i * k) + j] - jm[(i * k) + j]) / (2 * step);
                        double value = h[(((i * k) + j) * k) + c];
                        Assert.True(Math.Abs(fd - value) <= 1e-7, $"K={k} T={t}: H[{i},{j},{c}] = {value:R}, finite differences {fd:R}");
                    }
                }
            }
        }
    }

    /// <summary>The Jacobian ∂p/∂x (÷ T) at x + step·e_c, from the reference softmax and the kernel's formula.</summary>
    private static double[] JacobianAt(double[] x, int c, double step, double t)
    {
        double[] xs = (double[])x.Clone();
        xs[c] += step;
        double[] p = Reference.Softmax(xs, t).Select(v => v.ToDouble()).ToArray();
        int k = x.Length;
        var j = new double[k * k];
        for (int a = 0; a < k; a++)
        {
            for (int b = 0; b < k; b++)
            {
                j[(a * k) + b] = p[a] * ((a == b ? 1 : 0) - p[b]) / t;
            }
        }

        return j;
    }

    [Theory]
    [MemberData(nameof(HessianLengths))]
    public void Hessian_IsSymmetricInItsLastTwoIndices_AndSumsToZeroOverI(int k)
    {
        var (_, p) = Row(k, k + 1);
        var h = new double[k * k * k];
        Get<Map<double>>("Hessian", typeof(double), k)(p, h);
        for (int j = 0; j < k; j++)
        {
            for (int c = 0; c < k; c++)
            {
                double sum = 0;
                for (int i = 0; i < k; i++)
                {
                    Assert.Equal(h[(((i * k) + j) * k) + c], h[(((i * k) + c) * k) + j], 15);
                    sum += h[(((i * k) + j) * k) + c];
                }

                Assert.True(Math.Abs(sum) < 1e-15, $"Σ_i H[i,{j},{c}] = {sum:R}: Σ p_i = 1 has zero second derivatives");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(33)]
    [InlineData(1000)]
    public void SecondDirectional_IsTheHessianContracted(int k)
    {
        foreach (Type element in new[] { typeof(float), typeof(double) })
        {
            if (element == typeof(float)) Check<float>(); else Check<double>();
        }

        void Check<T>()
        {
            var random = new Random(k);
            var (_, p64) = Row(k, k + 2, 1.7);
            T[] p = Cast<T>(p64);
            T[] u = Cast<T>(Enumerable.Range(0, k).Select(_ => AccuracyTests.Gaussian(random)).ToArray());
            T[] v = Cast<T>(Enumerable.Range(0, k).Select(_ => AccuracyTests.Gaussian(random)).ToArray());
            double[] ps = ToDouble(p), us = ToDouble(u), vs = ToDouble(v);
            foreach (double t in new[] { 1.0, 1.7 })
            {
                var w = new T[k];
                if (t == 1) Get<Map3<T>>("Directional", typeof(T), k)(p, u, v, w);
                else Get<Map3T<T>>("DirectionalRt", typeof(T), k)(p, u, v, w, FromD<T>(t));

                // w_i = Σ_jk H_ijk u_j v_k, summed in double-double straight from the definition (O(K³) for small K, the
                // closed form's terms for large K).
                double scale = 0;
                for (int i = 0; i < k; i++)
                {
                    DoubleDouble expected = 0;
                    if (k <= 33)
                    {
                        for (int j = 0; j < k; j++)
                        {
                            for (int c = 0; c < k; c++)
                            {
                                DoubleDouble hijc = ((DoubleDouble)ps[i] * (((i == c ? 1 : 0) - (DoubleDouble)ps[c]) * ((i == j ? 1 : 0) - (DoubleDouble)ps[j]))) -
                                                    ((DoubleDouble)ps[i] * ps[j] * ((j == c ? 1 : 0) - (DoubleDouble)ps[c]));
                                expected += hijc * us[j] * vs[c];
                            }
                        }
                    }
                    else
                    {
                        DoubleDouble ub = 0, vb = 0, cov = 0;
                        for (int j = 0; j < k; j++) { ub += (DoubleDouble)ps[j] * us[j]; vb += (DoubleDouble)ps[j] * vs[j]; }
                        for (int j = 0; j < k; j++) cov += (DoubleDouble)ps[j] * ((us[j] - ub) * (vs[j] - vb));
                        expected = (DoubleDouble)ps[i] * (((us[i] - ub) * (vs[i] - vb)) - cov);
                    }

                    expected /= t * t;
                    scale = Math.Max(scale, Math.Abs(ps[i] * (1 + (us[i] * us[i]) + (vs[i] * vs[i]))));
                    double error = Math.Abs(((DoubleDouble)D(w[i]) - expected).ToDouble());
                    double bound = (16 * Epsilon(typeof(T)) * Math.Abs(ps[i]) * (1 + (us[i] * us[i]) + (vs[i] * vs[i])) / (t * t)) + (4 * UlpOf(typeof(T), expected.ToDouble()));
                    Assert.True(error <= bound, $"{typeof(T).Name} K={k} T={t}: w[{i}] = {D(w[i]):R}, expected {expected.ToDouble():R} ({error:E3} > {bound:E3})");
                }
            }
        }
    }

    [Fact]
    public void Hessian_LengthChecks_NameTheParameter()
    {
        var hessian = Get<Map<double>>("Hessian", typeof(double), 3);
        double[] h = Enumerable.Repeat(7.0, 26).ToArray();
        Assert.Equal("h", Assert.Throws<ArgumentException>(() => hessian([0.2, 0.3, 0.5], h)).ParamName);
        Assert.All(h, v => Assert.Equal(7, v));
        var any = Get<Map<double>>("Hessian", typeof(double), 0);
        Assert.Equal("h", Assert.Throws<ArgumentException>(() => any([0.5, 0.5], new double[4])).ParamName);
    }

    /// <summary>
    /// The entropy's Hessian-vector product built from the kernels, as docs/training.md shows it:
    /// b = SoftmaxBackward(p, v), c = b ⊙ log p, Hv = −(1 + H)·b − LogSoftmaxBackward(log p, c).
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(33)]
    public void EntropyHessianVectorProduct_FromTheKernels_MatchesFiniteDifferencesOfTheGradient(int k)
    {
        var random = new Random(k);
        double[] x = Enumerable.Range(0, k).Select(_ => AccuracyTests.Gaussian(random)).ToArray();
        double[] v = Enumerable.Range(0, k).Select(_ => AccuracyTests.Gaussian(random)).ToArray();
        var softmax = Get<Map<double>>("Softmax", typeof(double), k);
        var logSoftmax = Get<Map<double>>("LogSoftmax", typeof(double), k);
        var backward = Get<Map2<double>>("Backward", typeof(double), k);
        var logBackward = Get<Map2<double>>("LogBackward", typeof(double), k);
        var entropy = Get<ValueGradient<double>>("EntropyG", typeof(double), k);

        double[] p = new double[k], lp = new double[k], b = new double[k], c = new double[k], hv = new double[k];
        softmax(x, p);
        logSoftmax(x, lp);
        double h = entropy(x, new double[k]);
        backward(p, v, b);
        for (int i = 0; i < k; i++) c[i] = b[i] * lp[i];
        logBackward(lp, c, hv);
        for (int i = 0; i < k; i++) hv[i] = (-(1 + h) * b[i]) - hv[i];

        double step = 1e-5;
        double[] gp = new double[k], gm = new double[k];
        entropy(x.Zip(v, (a, d) => a + (step * d)).ToArray(), gp);
        entropy(x.Zip(v, (a, d) => a - (step * d)).ToArray(), gm);
        for (int i = 0; i < k; i++)
        {
            double fd = (gp[i] - gm[i]) / (2 * step);
            Assert.True(Math.Abs(fd - hv[i]) <= 1e-7, $"(∇²H v)_{i} = {hv[i]:R}, finite differences {fd:R}");
        }
    }
}
