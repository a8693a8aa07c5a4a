using System.Globalization;
using System.Text;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Choosing;

public delegate int ArgMaxRow<T>(ReadOnlySpan<T> logits);

public delegate void ArgMaxBatch<T>(ReadOnlySpan<T> logits, Span<int> indices);

/// <summary>[ArgMax] in both forms against a plain loop: ties, NaN, infinities, signed zeros, every row length and path.</summary>
[Trait("Category", "Kernels")]
public class ArgMaxTests
{
    public static readonly int[] Ks = [1, 2, 3, 4, 7, 8, 15, 16, 17, 33, 64, 100, 1000];

    private static readonly Lazy<LoadedAssembly> s_assembly = new(() => GeneratorRun.Run(Source()).Load());

    private static string Source()
    {
        var b = new StringBuilder("using System;\nusing SoftmaxGen;\nnamespace Tests;\npublic static partial class Choosing\n{\n");
        foreach (string t in new[] { "float", "double" })
        {
            b.Append($"    [ArgMax] public static partial int Any_{t}(ReadOnlySpan<{t}> x);\n");
            b.Append($"    [ArgMax] public static partial void AnyBatch_{t}(ReadOnlySpan<{t}> x, Span<int> indices);\n");
            foreach (int k in Ks)
            {
                string n = k.ToString(CultureInfo.InvariantCulture);
                b.Append($"    [ArgMax({n})] public static partial int Row_{t}_{n}(ReadOnlySpan<{t}> x);\n");
                b.Append($"    [ArgMax({n})] public static partial void Batch_{t}_{n}(ReadOnlySpan<{t}> x, Span<int> indices);\n");
            }
        }

        return b.Append("}\n").ToString();
    }

    private static TDelegate Get<TDelegate>(string name)
        where TDelegate : Delegate => s_assembly.Value.Bind<TDelegate>("Tests.Choosing", name);

    /// <summary>The reference: the first index of the largest entry; −1 for a row with a NaN.</summary>
    internal static int Expected(ReadOnlySpan<double> x)
    {
        int best = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i])) return -1;
            if (x[i] > x[best]) best = i;
        }

        return best;
    }

    /// <summary>Rows the contract names: random, ties (small integers), a NaN at each kind of place, infinities, signed zeros, huge values.</summary>
    private static IEnumerable<double[]> Rows(int k, Random random)
    {
        for (int r = 0; r < 6; r++) yield return Enumerable.Range(0, k).Select(_ => random.NextDouble() * 10 - 5).ToArray();
        for (int r = 0; r < 6; r++) yield return Enumerable.Range(0, k).Select(_ => (double)random.Next(3)).ToArray(); // ties
        foreach (int at in new[] { 0, k / 2, k - 1 })
        {
            double[] nan = Enumerable.Range(0, k).Select(_ => random.NextDouble()).ToArray();
            nan[at] = double.NaN;
            yield return nan;
            double[] inf = Enumerable.Range(0, k).Select(_ => random.NextDouble()).ToArray();
            inf[at] = double.PositiveInfinity;
            yield return inf;
        }

        yield return Enumerable.Repeat(double.NegativeInfinity, k).ToArray();
        yield return Enumerable.Range(0, k).Select(i => i % 2 == 0 ? -0.0 : 0.0).ToArray();
        yield return Enumerable.Range(0, k).Select(i => i % 3 == 0 ? 3e38 : -3e38).ToArray(); // Σx overflows: no NaN
        yield return Enumerable.Range(0, k).Select(i => i == k - 1 ? double.PositiveInfinity : i == 0 ? double.NegativeInfinity : 1).ToArray();
    }

    [Theory]
    [MemberData(nameof(RowLengths))]
    public void BothForms_MatchThePlainLoop(int k)
    {
        Check<float>(k);
        Check<double>(k);
    }

    public static TheoryData<int> RowLengths => new(Ks);

    private static void Check<T>(int k)
    {
        string t = typeof(T) == typeof(float) ? "float" : "double";
        var row = Get<ArgMaxRow<T>>($"Row_{t}_{k}");
        var any = Get<ArgMaxRow<T>>($"Any_{t}");
        var batch = Get<ArgMaxBatch<T>>($"Batch_{t}_{k}");
        var random = new Random(k);
        var rows = Rows(k, random).ToList();
        var all = new List<T>();
        foreach (double[] x64 in rows)
        {
            T[] x = Training.TrainingKernels.Cast<T>(x64);
            int expected = Expected(Training.TrainingKernels.ToDouble(x));
            Assert.Equal(expected, row(x));
            Assert.Equal(expected, any(x));
            all.AddRange(x);
        }

        var indices = Enumerable.Repeat(-7, rows.Count).ToArray();
        batch(all.ToArray(), indices);
        for (int r = 0; r < rows.Count; r++)
        {
            Assert.Equal(Expected(Training.TrainingKernels.ToDouble(Training.TrainingKernels.Cast<T>(rows[r]))), indices[r]);
        }
    }

    [Fact]
    public void Lengths_AreChecked_BeforeAnythingIsWritten()
    {
        var batch = Get<ArgMaxBatch<float>>("Batch_float_4");
        int[] indices = [7, 7];
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => batch(new float[7], indices)).ParamName);
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => batch(new float[12], indices)).ParamName);
        Assert.Equal([7, 7], indices);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Get<ArgMaxRow<double>>("Any_double")([])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Get<ArgMaxRow<double>>("Row_double_4")(new double[8])).ParamName);
    }
}
