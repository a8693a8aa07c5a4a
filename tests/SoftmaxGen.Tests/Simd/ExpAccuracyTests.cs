using System.Reflection;
using System.Runtime.Intrinsics;
using SoftmaxGen.Tests.Harness;
using SoftmaxGen.Tests.Numerics;
using Xunit.Abstractions;

namespace SoftmaxGen.Tests.Simd;

/// <summary>
/// The inlined exp(x − m) the vector rows use, called directly (the shared VectorMath.Exp overload of each width, bound by reflection)
/// over its whole domain: z = x − m from beyond the clamp (exactly 0) through the denormal results up to 0 (exactly 1),
/// with several m so the rounding error of x − m matters, against the double-double reference.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class ExpAccuracyTests(ITestOutputHelper output) : IDisposable
{
    private const string Source = """
        using System;
        using SoftmaxGen;
        namespace N
        {
            public static partial class Head
            {
                [Softmax(16)] public static partial void F(ReadOnlySpan<float> x, Span<float> y);
                [Softmax(8)] public static partial void D(ReadOnlySpan<double> x, Span<double> y);
            }
        }
        """;

    private readonly LoadedAssembly _assembly = GeneratorRun.Run(Source).Load();

    public void Dispose() => _assembly.Dispose();

    /// <summary>The shared VectorMath.Exp overload for one element type and width.</summary>
    private MethodInfo Exp<T>(int bits)
        where T : unmanaged
    {
        Type vector = bits switch { 512 => typeof(Vector512<T>), 256 => typeof(Vector256<T>), _ => typeof(Vector128<T>) };
        return _assembly.Assembly.GetType("SoftmaxGen.Generated.VectorMath", throwOnError: true)!
            .GetMethod("Exp", BindingFlags.Static | BindingFlags.NonPublic, [vector, vector])
            ?? throw new Xunit.Sdk.XunitException($"VectorMath has no Exp({vector.Name}, {vector.Name})");
    }

    /// <summary>Runs one width's exp over <paramref name="x"/> (m broadcast), lane by lane.</summary>
    private static T[] Apply<T>(MethodInfo exp, T[] x, T m, int bits)
        where T : unmanaged
    {
        var result = new T[x.Length];
        int lanes = bits / 8 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var chunk = new T[lanes];
        for (int i = 0; i < x.Length; i += lanes)
        {
            int n = Math.Min(lanes, x.Length - i);
            Array.Fill(chunk, m);
            Array.Copy(x, i, chunk, 0, n);
            T[] lanesOut = bits switch
            {
                512 => Out((Vector512<T>)exp.Invoke(null, [Vector512.Create(chunk), Vector512.Create(m)])!),
                256 => Out((Vector256<T>)exp.Invoke(null, [Vector256.Create(chunk), Vector256.Create(m)])!),
                _ => Out((Vector128<T>)exp.Invoke(null, [Vector128.Create(chunk), Vector128.Create(m)])!),
            };
            Array.Copy(lanesOut, 0, result, i, n);
        }

        return result;

        static T[] Out<TV>(TV v) => v switch
        {
            Vector512<T> a => Enumerable.Range(0, Vector512<T>.Count).Select(i => a.GetElement(i)).ToArray(),
            Vector256<T> a => Enumerable.Range(0, Vector256<T>.Count).Select(i => a.GetElement(i)).ToArray(),
            Vector128<T> a => Enumerable.Range(0, Vector128<T>.Count).Select(i => a.GetElement(i)).ToArray(),
            _ => throw new InvalidOperationException(),
        };
    }

    private static IEnumerable<double> Sweep(double from, double step) =>
        Enumerable.Range(0, (int)Math.Ceiling(-from / step) + 1).Select(i => Math.Min(0, from + (i * step)));

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(128)]
    public void FloatExp_WholeDomain_Within1Ulp_DenormalsIncluded_ExactZeroBelowTheClamp(int bits)
    {
        MethodInfo exp = Exp<float>(bits);
        double worst = 0, worstZ = 0;
        foreach (float m in new[] { 0f, 1000.5f, -77.25f, 3e5f + 0.125f })
        {
            // z from −106 (beyond the clamp at −104) to 0 in steps of 2^-9, then x = m + z rounded to float.
            float[] x = Sweep(-106, 1.0 / 512).Select(z => (float)(m + z)).Where(v => v <= m).Distinct().ToArray();
            float[] e = Apply(exp, x, m, bits);
            for (int i = 0; i < x.Length; i++)
            {
                double d = (double)x[i] - m; // exact: both are floats within 2^29 of each other
                double error = Ulp.ErrorFloat(e[i], DoubleDouble.Exp(d));
                if (error > worst) (worst, worstZ) = (error, d);
                if (d <= -104) Assert.Equal(0f, e[i]);
            }
        }

        float[] special = Apply(exp, [float.NegativeInfinity, -1e30f, -105f, -0f, 0f, -float.Epsilon], 0f, bits);
        Assert.Equal(new[] { 0f, 0f, 0f, 1f, 1f, 1f }, special);
        output.WriteLine($"float exp, Vector{bits}: max {worst:0.000} ulp (at z = {worstZ}); below 2^-126 the ulp is 2^-149");
        Assert.InRange(worst, 0, 1);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(128)]
    public void DoubleExp_WholeDomain_Within1_5Ulp_DenormalsIncluded_ExactZeroBelowTheClamp(int bits)
    {
        MethodInfo exp = Exp<double>(bits);
        double worst = 0, worstZ = 0;
        var random = new Random(11);
        foreach (double m in new[] { 0.0, 1000.123456789, -0.3, 12345.678 })
        {
            // z from −750 (beyond the clamp at −746) to 0 in steps of 2^-4, denser (2^-9) over the denormal results, plus random z.
            double[] z = Sweep(-750, 1.0 / 16).Concat(Sweep(-746, 1.0 / 512).Where(v => v < -700))
                .Concat(Enumerable.Range(0, 4000).Select(_ => -random.NextDouble() * 746)).ToArray();
            double[] x = z.Select(v => m + v).Where(v => v <= m).ToArray();
            double[] e = Apply(exp, x, m, bits);
            for (int i = 0; i < x.Length; i++)
            {
                DoubleDouble d = (DoubleDouble)x[i] - m; // exact difference, as x − m rounded plus its error
                double error = Ulp.ErrorDouble(e[i], DoubleDouble.Exp(d));
                if (error > worst) (worst, worstZ) = (error, d.ToDouble());
                if (d.ToDouble() <= -746) Assert.Equal(0.0, e[i]);
            }
        }

        double[] special = Apply(exp, [double.NegativeInfinity, -1e300, -747, -0.0, 0.0, -double.Epsilon], 0.0, bits);
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 1.0, 1.0, 1.0 }, special);
        output.WriteLine($"double exp, Vector{bits}: max {worst:0.000} ulp (at z = {worstZ}); below 2^-1022 the ulp is 2^-1074");
        Assert.InRange(worst, 0, 1.5); // 0.5 ulp rounding + polynomial error, which is up to 0.5 of a denormal ulp near 2^-1022
    }
}
