using System.Globalization;
using System.Text;
using SoftmaxGen.Generation.Model;
using SoftmaxGen.Tests.Harness;
using SoftmaxGen.Tests.Numerics;

namespace SoftmaxGen.Tests.Hierarchical;

public delegate T ClassLogProbability<T>(ReadOnlySpan<T> hidden, ReadOnlySpan<T> nodeWeights, int classIndex);

public delegate T ClassLogProbabilityGradient<T>(ReadOnlySpan<T> hidden, ReadOnlySpan<T> nodeWeights, int classIndex, Span<T> hiddenGradient, Span<T> nodeWeightGradient);

/// <summary>
/// [HierarchicalSoftmax] in its three forms, compiled and run: the K probabilities sum to 1, log-probabilities against a
/// double-double walk of the same tree (with an error bound from the dot products' rounding), gradients against central
/// differences and accumulated, path lengths equal to independently computed Huffman code lengths, extreme dots, and argument errors.
/// </summary>
[Trait("Category", "Kernels")]
public class HierarchicalSoftmaxTests
{
    /// <summary>The count sets: name → (counts, D).</summary>
    internal static readonly (string Name, int[] Counts, int D)[] Trees =
    [
        ("Two", [3, 1], 1),
        ("Uniform", [.. Enumerable.Repeat(5, 16)], 16),
        ("Zipf", [.. Enumerable.Range(1, 300).Select(r => (int)(100000 / r))], 37),
        ("Zeros", [0, 7, 0, 0, 1, 2, 0, 9, 9, 4, 0], 8),
        ("Skewed", [.. Enumerable.Range(0, 24).Select(i => 1 << i)], 64),
        ("Odd", [.. Enumerable.Range(0, 97).Select(i => (i * 7919 % 101) + 1)], 129),
    ];

    private static readonly Lazy<LoadedAssembly> s_assembly = new(() => GeneratorRun.Run(Source()).Load());

    internal static string CountsLiteral(int[] counts) => "new[] { " + string.Join(", ", counts.Select(c => c.ToString(CultureInfo.InvariantCulture))) + " }";

    private static string Source()
    {
        var b = new StringBuilder("using System;\nusing SoftmaxGen;\npublic static partial class H\n{\n");
        foreach (var (name, counts, d) in Trees)
        {
            foreach (string t in new[] { "float", "double" })
            {
                string attribute = $"[HierarchicalSoftmax(Counts = {CountsLiteral(counts)}, Dimension = {d})]";
                string n = $"{name}_{t}";
                b.AppendLine($"    {attribute} public static partial {t} One_{n}(ReadOnlySpan<{t}> hidden, ReadOnlySpan<{t}> nodeWeights, int classIndex);");
                b.AppendLine($"    {attribute} public static partial {t} Grad_{n}(ReadOnlySpan<{t}> hidden, ReadOnlySpan<{t}> nodeWeights, int classIndex, " +
                             $"Span<{t}> hiddenGradient, Span<{t}> nodeWeightGradient);");
                b.AppendLine($"    {attribute} public static partial void All_{n}(ReadOnlySpan<{t}> hidden, ReadOnlySpan<{t}> nodeWeights, Span<{t}> logProbabilities);");
            }
        }

        return b.Append("}\n").ToString();
    }

    private static string Suffix<T>() => typeof(T) == typeof(float) ? "float" : "double";

    internal static ClassLogProbability<T> One<T>(string tree) => s_assembly.Value.Bind<ClassLogProbability<T>>("H", $"One_{tree}_{Suffix<T>()}");

    internal static ClassLogProbabilityGradient<T> Grad<T>(string tree) => s_assembly.Value.Bind<ClassLogProbabilityGradient<T>>("H", $"Grad_{tree}_{Suffix<T>()}");

    internal static Map2<T> All<T>(string tree) => s_assembly.Value.Bind<Map2<T>>("H", $"All_{tree}_{Suffix<T>()}");

    public static TheoryData<string> TreeNames => new(Trees.Select(t => t.Name));

    private static (int[] Counts, int D) Tree(string name) => Trees.Where(t => t.Name == name).Select(t => (t.Counts, t.D)).Single();

    /// <summary>Random inputs whose dots are of order 1 to 3 (a scale that gives paths of very likely and very unlikely turns).</summary>
    internal static (T[] H, T[] W) Inputs<T>(int k, int d, int seed, double scale = 1)
    {
        var random = new Random(seed);
        T[] h = [.. Enumerable.Range(0, d).Select(_ => Cast<T>((random.NextDouble() * 2) - 1))];
        double w = scale * 3 / Math.Sqrt(d);
        T[] weights = [.. Enumerable.Range(0, (k - 1) * d).Select(_ => Cast<T>(((random.NextDouble() * 2) - 1) * w))];
        return (h, weights);
    }

    internal static T Cast<T>(double v) => typeof(T) == typeof(float) ? (T)(object)(float)v : (T)(object)v;

    internal static double D<T>(T v) => v is float f ? f : (double)(object)v!;

    /// <summary>Unit roundoff of the kernel's dot products.</summary>
    private static double U<T>() => typeof(T) == typeof(float) ? Math.Pow(2, -24) : Math.Pow(2, -53);

    /// <summary>
    /// log p(c | h) walking the same tree in double-double, and a bound on the kernel's error: each dot is off by at most
    /// (D + 2)·u·Σ|w h| (any summation order, with or without FMA), which moves log σ(s·d) by σ(−s·d) times that; the sums add
    /// a few u·|log p| (float slots of the all-classes walk round at every level).
    /// </summary>
    internal static (double Value, double Bound) Reference<T>(HuffmanTree tree, int[] parentsUp, T[] h, T[] w, int d, int c)
    {
        DoubleDouble sum = 0;
        double bound = 0;
        int e = tree.ParentOfClass[c];
        int steps = 0;
        while (true)
        {
            int n = e >> 1;
            DoubleDouble dot = 0;
            double magnitude = 0;
            for (int i = 0; i < d; i++)
            {
                dot += (DoubleDouble)D(w[(n * d) + i]) * D(h[i]);
                magnitude += Math.Abs(D(w[(n * d) + i]) * D(h[i]));
            }

            DoubleDouble t = (e & 1) == 0 ? dot : -dot;
            sum += LogSigmoid(t);
            double th = t.Hi;
            bound += (1 / (1 + Math.Exp(th))) * (d + 2) * U<T>() * magnitude;
            steps++;
            if (n == 0)
            {
                break;
            }

            e = parentsUp[n];
        }

        return (sum.Hi + sum.Lo, bound + ((steps + 4) * U<T>() * Math.Abs(sum.Hi)) + 1e-300);
    }

    /// <summary>log σ(t) in double-double: −log(1 + e^−t) for t ≥ 0, t − log(1 + e^t) otherwise.</summary>
    internal static DoubleDouble LogSigmoid(DoubleDouble t) =>
        t.Hi >= 0 ? -DoubleDouble.Log(1 + DoubleDouble.Exp(-t)) : t - DoubleDouble.Log(1 + DoubleDouble.Exp(t));

    private static void AllSumToOne<T>(string name, double tolerance)
    {
        var (counts, d) = Tree(name);
        int k = counts.Length;
        Map2<T> all = All<T>(name);
        for (int seed = 0; seed < 5; seed++)
        {
            var (h, w) = Inputs<T>(k, d, seed, scale: seed + 1);
            T[] lp = new T[k];
            all(h, w, lp);
            double total = lp.Sum(v => Math.Exp(D(v)));
            Assert.True(Math.Abs(total - 1) <= tolerance, $"{name} seed {seed}: Σ p = {total:R}");
        }
    }

    [Theory]
    [MemberData(nameof(TreeNames))]
    public void Probabilities_SumToOne_Float(string tree) => AllSumToOne<float>(tree, 1e-5);

    [Theory]
    [MemberData(nameof(TreeNames))]
    public void Probabilities_SumToOne_Double(string tree) => AllSumToOne<double>(tree, 1e-13);

    private static void MatchesReference<T>(string name)
    {
        var (counts, d) = Tree(name);
        int k = counts.Length;
        HuffmanTree tree = HuffmanTree.Build(counts);
        ClassLogProbability<T> one = One<T>(name);
        ClassLogProbabilityGradient<T> grad = Grad<T>(name);
        Map2<T> all = All<T>(name);
        for (int seed = 10; seed < 13; seed++)
        {
            var (h, w) = Inputs<T>(k, d, seed, scale: seed - 9);
            T[] lp = new T[k];
            all(h, w, lp);
            T[] gh = new T[d], gw = new T[(k - 1) * d];
            for (int c = 0; c < k; c++)
            {
                var (expected, bound) = Reference(tree, tree.ParentOfNode, h, w, d, c);
                foreach (var (form, actual) in new[] { ("one", D(one(h, w, c))), ("gradient", D(grad(h, w, c, gh, gw))), ("all", D(lp[c])) })
                {
                    Assert.True(Math.Abs(actual - expected) <= bound,
                        $"{name} {typeof(T).Name} {form} class {c}: {actual:R} vs {expected:R} (bound {bound:R})");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(TreeNames))]
    public void LogProbabilities_MatchADoubleDoubleWalk_Float(string tree) => MatchesReference<float>(tree);

    [Theory]
    [MemberData(nameof(TreeNames))]
    public void LogProbabilities_MatchADoubleDoubleWalk_Double(string tree) => MatchesReference<double>(tree);

    [Theory]
    [InlineData("Zipf")]
    [InlineData("Zeros")]
    [InlineData("Odd")]
    public void Gradients_MatchCentralDifferences_AndAccumulate(string name)
    {
        var (counts, d) = Tree(name);
        int k = counts.Length;
        ClassLogProbabilityGradient<double> grad = Grad<double>(name);
        ClassLogProbability<double> one = One<double>(name);
        var (h, w) = Inputs<double>(k, d, seed: 21, scale: 2);
        var random = new Random(5);
        foreach (int c in new[] { 0, k - 1, random.Next(k), random.Next(k) })
        {
            double[] gh = new double[d], gw = new double[(k - 1) * d];
            double value = grad(h, w, c, gh, gw);
            Assert.Equal(one(h, w, c), value);

            const double Step = 1e-6;
            for (int i = 0; i < d; i++)
            {
                Assert.Equal(Central(one, h, w, c, h, i, Step), gh[i], 1e-7 * (1 + Math.Abs(gh[i])));
            }

            for (int j = 0; j < w.Length; j += 1 + (w.Length / 600))
            {
                Assert.Equal(Central(one, h, w, c, w, j, Step), gw[j], 1e-7 * (1 + Math.Abs(gw[j])));
            }

            // Accumulated: a second call adds the same gradient again (the return value is unchanged).
            double[] gh2 = (double[])gh.Clone(), gw2 = (double[])gw.Clone();
            Assert.Equal(value, grad(h, w, c, gh2, gw2));
            for (int i = 0; i < d; i++)
            {
                Assert.Equal(2 * gh[i], gh2[i], 1e-15 * (1 + Math.Abs(gh[i])));
            }

            for (int j = 0; j < gw.Length; j++)
            {
                Assert.Equal(2 * gw[j], gw2[j], 1e-15 * (1 + Math.Abs(gw[j])));
            }
        }
    }

    private static double Central(ClassLogProbability<double> f, double[] h, double[] w, int c, double[] vary, int index, double step)
    {
        double saved = vary[index];
        vary[index] = saved + step;
        double plus = f(h, w, c);
        vary[index] = saved - step;
        double minus = f(h, w, c);
        vary[index] = saved;
        return (plus - minus) / (2 * step);
    }

    [Theory]
    [MemberData(nameof(TreeNames))]
    public void PathLengths_AreTheHuffmanCodeLengths(string name)
    {
        var (counts, d) = Tree(name);
        int k = counts.Length;
        int[] lengths = HuffmanCodeLengths.Of(counts);
        ClassLogProbabilityGradient<double> grad = Grad<double>(name);
        var (h, w) = Inputs<double>(k, d, seed: 3);
        for (int c = 0; c < k; c++)
        {
            // The kernel touches exactly the nodes on c's path: their gradient rows are non-zero (h ≠ 0), the others untouched.
            double[] gh = new double[d], gw = new double[(k - 1) * d];
            grad(h, w, c, gh, gw);
            int touched = Enumerable.Range(0, k - 1).Count(n => gw.AsSpan(n * d, d).IndexOfAnyExcept(0.0) >= 0);
            Assert.True(lengths[c] == touched, $"{name} class {c}: path of {touched} nodes, Huffman code length {lengths[c]}");
        }
    }

    [Theory]
    [InlineData(1000.0)]
    [InlineData(-1000.0)]
    [InlineData(40.0)]
    [InlineData(-745.5)]
    public void ExtremeDots_GiveTheFiniteLimit(double dot)
    {
        // D = 1, h = (dot), every weight ±1: d_n = ±dot, so every log σ is 0 or −|dot| up to exp(−|dot|).
        var (counts, _) = Tree("Zeros");
        int k = counts.Length;
        HuffmanTree tree = HuffmanTree.Build(counts);
        foreach (string form in new[] { "float", "double" })
        {
            var random = new Random(1);
            double[] signs = [.. Enumerable.Range(0, k - 1).Select(_ => random.Next(2) == 0 ? 1.0 : -1.0)];
            if (form == "float")
            {
                Check<float>([(float)dot], [.. signs.Select(s => (float)s)], tree);
            }
            else
            {
                Check<double>([dot], signs, tree);
            }
        }

        void Check<T>(T[] h, T[] w, HuffmanTree tree)
        {
            Map2<T> all = ExtremeAll<T>();
            ClassLogProbability<T> one = ExtremeOne<T>();
            ClassLogProbabilityGradient<T> grad = ExtremeGrad<T>();
            T[] lp = new T[k];
            all(h, w, lp);
            for (int c = 0; c < k; c++)
            {
                var (expected, bound) = Reference(tree, tree.ParentOfNode, h, w, 1, c);
                T[] gh = new T[1], gw = new T[k - 1];
                foreach (double actual in new[] { D(lp[c]), D(one(h, w, c)), D(grad(h, w, c, gh, gw)) })
                {
                    Assert.True(double.IsFinite(actual), $"class {c}: {actual}");
                    Assert.True(Math.Abs(actual - expected) <= bound, $"class {c}: {actual:R} vs {expected:R}");
                }

                Assert.All(gh.Concat(gw), g => Assert.True(double.IsFinite(D(g))));
            }
        }
    }

    private static readonly Lazy<LoadedAssembly> s_extreme = new(() => GeneratorRun.Run(ExtremeSource()).Load());

    private static string ExtremeSource()
    {
        string counts = CountsLiteral(Tree("Zeros").Counts);
        var b = new StringBuilder("using System;\nusing SoftmaxGen;\npublic static partial class X\n{\n");
        foreach (string t in new[] { "float", "double" })
        {
            string a = $"[HierarchicalSoftmax(Counts = {counts}, Dimension = 1)]";
            b.AppendLine($"    {a} public static partial {t} One_{t}(ReadOnlySpan<{t}> h, ReadOnlySpan<{t}> w, int c);");
            b.AppendLine($"    {a} public static partial {t} Grad_{t}(ReadOnlySpan<{t}> h, ReadOnlySpan<{t}> w, int c, Span<{t}> gh, Span<{t}> gw);");
            b.AppendLine($"    {a} public static partial void All_{t}(ReadOnlySpan<{t}> h, ReadOnlySpan<{t}> w, Span<{t}> lp);");
        }

        return b.Append("}\n").ToString();
    }

    private static Map2<T> ExtremeAll<T>() => s_extreme.Value.Bind<Map2<T>>("X", "All_" + Suffix<T>());

    private static ClassLogProbability<T> ExtremeOne<T>() => s_extreme.Value.Bind<ClassLogProbability<T>>("X", "One_" + Suffix<T>());

    private static ClassLogProbabilityGradient<T> ExtremeGrad<T>() => s_extreme.Value.Bind<ClassLogProbabilityGradient<T>>("X", "Grad_" + Suffix<T>());

    [Fact]
    public void TinyProbabilities_KeepTheirRelativeAccuracy()
    {
        // d = −40 at every node of a path: p = σ(−40)^depth, far below double's 1 − p resolution; log p must still be exact.
        var (counts, _) = Tree("Zeros");
        int k = counts.Length;
        HuffmanTree tree = HuffmanTree.Build(counts);
        double[] w = [.. Enumerable.Range(0, k - 1).Select(_ => 1.0)];
        double[] h = [-40];
        ClassLogProbability<double> one = ExtremeOne<double>();
        for (int c = 0; c < k; c++)
        {
            var (expected, _) = Reference(tree, tree.ParentOfNode, h, w, 1, c);
            Assert.Equal(expected, one(h, w, c), Math.Abs(expected) * 1e-15);
        }
    }

    [Fact]
    public void ArgumentErrors_NameTheParameter_AndWriteNothing()
    {
        var (counts, d) = Tree("Uniform");
        int k = counts.Length;
        ClassLogProbabilityGradient<float> grad = Grad<float>("Uniform");
        ClassLogProbability<float> one = One<float>("Uniform");
        Map2<float> all = All<float>("Uniform");
        var (h, w) = Inputs<float>(k, d, 1);
        float[] gh = [.. Enumerable.Repeat(7f, d)], gw = [.. Enumerable.Repeat(7f, (k - 1) * d)], lp = [.. Enumerable.Repeat(7f, k)];

        Assert.Equal("hidden", Assert.Throws<ArgumentException>(() => one(h.AsSpan(1), w, 0)).ParamName);
        Assert.Equal("nodeWeights", Assert.Throws<ArgumentException>(() => one(h, w.AsSpan(1), 0)).ParamName);
        Assert.Equal("classIndex", Assert.Throws<ArgumentOutOfRangeException>(() => one(h, w, -1)).ParamName);
        Assert.Equal("classIndex", Assert.Throws<ArgumentOutOfRangeException>(() => one(h, w, k)).ParamName);
        Assert.Equal("hiddenGradient", Assert.Throws<ArgumentException>(() => grad(h, w, 0, gh.AsSpan(1), gw)).ParamName);
        Assert.Equal("nodeWeightGradient", Assert.Throws<ArgumentException>(() => grad(h, w, 0, gh, gw.AsSpan(0, gw.Length - 1))).ParamName);
        Assert.Equal("classIndex", Assert.Throws<ArgumentOutOfRangeException>(() => grad(h, w, k, gh, gw)).ParamName);
        Assert.Equal("hidden", Assert.Throws<ArgumentException>(() => grad(h.AsSpan(1), w, 0, gh, gw)).ParamName);
        Assert.Equal("logProbabilities", Assert.Throws<ArgumentException>(() => all(h, w, lp.AsSpan(1))).ParamName);
        Assert.Equal("nodeWeights", Assert.Throws<ArgumentException>(() => all(h, w.AsSpan(d), lp)).ParamName);
        Assert.All(gh.Concat(gw).Concat(lp), v => Assert.Equal(7f, v));
    }
}

/// <summary>Huffman code lengths computed on their own: a priority queue of (weight, leaves before merged nodes, order).</summary>
internal static class HuffmanCodeLengths
{
    public static int[] Of(int[] counts)
    {
        int k = counts.Length;
        var members = new List<List<int>>();
        var queue = new PriorityQueue<int, (long Weight, int Kind, int Order)>();
        int[] sorted = [.. Enumerable.Range(0, k).OrderBy(c => counts[c]).ThenBy(c => c)];
        for (int r = 0; r < k; r++)
        {
            members.Add([sorted[r]]);
            queue.Enqueue(r, (counts[sorted[r]], 0, r));
        }

        int[] lengths = new int[k];
        int made = 0;
        while (queue.Count > 1)
        {
            queue.TryDequeue(out int a, out var pa);
            queue.TryDequeue(out int b, out var pb);
            var merged = members[a].Concat(members[b]).ToList();
            foreach (int c in merged)
            {
                lengths[c]++;
            }

            members.Add(merged);
            queue.Enqueue(members.Count - 1, (pa.Weight + pb.Weight, 1, made++));
        }

        return lengths;
    }
}
