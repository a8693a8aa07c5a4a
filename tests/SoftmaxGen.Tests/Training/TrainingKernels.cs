using System.Globalization;
using System.Text;
using SoftmaxGen.Tests.Harness;
using SoftmaxGen.Tests.Numerics;

namespace SoftmaxGen.Tests.Training;

public delegate T HardLoss<T>(ReadOnlySpan<T> logits, int target);

public delegate T HardLossGradient<T>(ReadOnlySpan<T> logits, int target, Span<T> gradient);

public delegate T HardLossGradientT<T>(ReadOnlySpan<T> logits, int target, Span<T> gradient, T temperature);

public delegate void HardLosses<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses);

public delegate void HardLossesGradients<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses, Span<T> gradients);

public delegate T SoftLoss<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> q);

public delegate T SoftLossGradient<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> q, Span<T> gradient);

public delegate void SoftLossesGradients<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> q, Span<T> losses, Span<T> gradients);

public delegate T ValueGradient<T>(ReadOnlySpan<T> logits, Span<T> gradient);

public delegate T ValueGradientT<T>(ReadOnlySpan<T> logits, Span<T> gradient, T temperature);

public delegate void ValuesGradients<T>(ReadOnlySpan<T> logits, Span<T> values, Span<T> gradients);

public delegate void Map3<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> u, ReadOnlySpan<T> v, Span<T> w);

public delegate void Map3T<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> u, ReadOnlySpan<T> v, Span<T> w, T temperature);

/// <summary>
/// One compiled assembly with every form of the training kernels (cross-entropy, entropy, second derivatives) for float
/// and double and the row lengths below, generated once per test run. Names: <c>{Form}_{float|double}_{K}</c>, K = 0 for
/// rows of any length.
/// </summary>
public static class TrainingKernels
{
    public static readonly int[] Ks = [0, 1, 2, 3, 4, 10, 33, 1000];

    public static readonly int[] HessianKs = [0, 1, 2, 3, 7];

    private static readonly Lazy<LoadedAssembly> s_assembly = new(() => GeneratorRun.Run(Source()).Load());

    public static TDelegate Get<TDelegate>(string form, Type element, int k)
        where TDelegate : Delegate => s_assembly.Value.Bind<TDelegate>("Tests.Training", Name(form, element, k));

    public static string Name(string form, Type element, int k) =>
        $"{form}_{(element == typeof(float) ? "float" : "double")}_{k.ToString(CultureInfo.InvariantCulture)}";

    private static string Source()
    {
        var b = new StringBuilder("using System;\nusing SoftmaxGen;\nnamespace Tests;\npublic static partial class Training\n{\n");
        foreach (string t in new[] { "float", "double" })
        {
            foreach (int k in Ks)
            {
                string a = k == 0 ? string.Empty : "(" + k.ToString(CultureInfo.InvariantCulture) + ")";
                string ak = k == 0 ? "(" : "(" + k.ToString(CultureInfo.InvariantCulture) + ", ";
                string n = $"_{t}_{k}";
                string ros = $"ReadOnlySpan<{t}>", span = $"Span<{t}>";
                b.Append($"    [SoftmaxCrossEntropy{a}] public static partial {t} Hard{n}({ros} x, int target);\n");
                b.Append($"    [SoftmaxCrossEntropy{a}] public static partial {t} HardG{n}({ros} x, int target, {span} g);\n");
                b.Append($"    [SoftmaxCrossEntropy{a}] public static partial {t} HardGrt{n}({ros} x, int target, {span} g, {t} temperature);\n");
                b.Append($"    [SoftmaxCrossEntropy{ak}Temperature = 0.5)] public static partial {t} HardGhalf{n}({ros} x, int target, {span} g);\n");
                b.Append($"    [SoftmaxCrossEntropy{a}] public static partial void Batch{n}({ros} x, ReadOnlySpan<int> targets, {span} losses);\n");
                b.Append($"    [SoftmaxCrossEntropy{a}] public static partial void BatchG{n}({ros} x, ReadOnlySpan<int> targets, {span} losses, {span} g);\n");
                b.Append($"    [SoftmaxCrossEntropy{ak}LabelSmoothing = 0.1, IgnoreIndex = -1)] public static partial {t} SmoothG{n}({ros} x, int target, {span} g);\n");
                b.Append($"    [SoftmaxCrossEntropy{ak}LabelSmoothing = 0.1, IgnoreIndex = -1)] public static partial void SmoothBatchG{n}({ros} x, ReadOnlySpan<int> targets, {span} losses, {span} g);\n");
                b.Append($"    [SoftmaxCrossEntropy{a}] public static partial {t} Soft{n}({ros} x, {ros} q);\n");
                b.Append($"    [SoftmaxCrossEntropy{a}] public static partial {t} SoftG{n}({ros} x, {ros} q, {span} g);\n");
                b.Append($"    [SoftmaxCrossEntropy{ak}LabelSmoothing = 0.2)] public static partial {t} SoftSmoothG{n}({ros} x, {ros} q, {span} g);\n");
                b.Append($"    [SoftmaxCrossEntropy{a}] public static partial void SoftBatchG{n}({ros} x, {ros} q, {span} losses, {span} g);\n");
                b.Append($"    [SoftmaxEntropy{a}] public static partial {t} Entropy{n}({ros} x);\n");
                b.Append($"    [SoftmaxEntropy{a}] public static partial {t} EntropyG{n}({ros} x, {span} g);\n");
                b.Append($"    [SoftmaxEntropy{a}] public static partial {t} EntropyGrt{n}({ros} x, {span} g, {t} temperature);\n");
                b.Append($"    [SoftmaxEntropy{a}] public static partial void EntropyBatch{n}({ros} x, {span} h);\n");
                b.Append($"    [SoftmaxEntropy{a}] public static partial void EntropyBatchG{n}({ros} x, {span} h, {span} g);\n");
                b.Append($"    [SoftmaxSecondDirectional{a}] public static partial void Directional{n}({ros} p, {ros} u, {ros} v, {span} w);\n");
                b.Append($"    [SoftmaxSecondDirectional{a}] public static partial void DirectionalRt{n}({ros} p, {ros} u, {ros} v, {span} w, {t} temperature);\n");
                b.Append($"    [SoftmaxBackward{a}] public static partial void Backward{n}({ros} p, {ros} g, {span} dx);\n");
                b.Append($"    [LogSoftmaxBackward{a}] public static partial void LogBackward{n}({ros} lp, {ros} g, {span} dx);\n");
                b.Append($"    [Softmax{a}] public static partial void Softmax{n}({ros} x, {span} p);\n");
                b.Append($"    [LogSoftmax{a}] public static partial void LogSoftmax{n}({ros} x, {span} lp);\n");
                b.Append($"    [SoftmaxJacobian{a}] public static partial void Jacobian{n}({ros} p, {span} j);\n");
            }

            foreach (int k in HessianKs)
            {
                string a = k == 0 ? string.Empty : "(" + k.ToString(CultureInfo.InvariantCulture) + ")";
                b.Append($"    [SoftmaxHessian{a}] public static partial void Hessian_{t}_{k}(ReadOnlySpan<{t}> p, Span<{t}> h);\n");
                b.Append($"    [SoftmaxHessian{a}] public static partial void HessianRt_{t}_{k}(ReadOnlySpan<{t}> p, Span<{t}> h, {t} temperature);\n");
            }
        }

        return b.Append("}\n").ToString();
    }

    /// <summary>Machine epsilon of the element type (2^-23 for float, 2^-52 for double).</summary>
    public static double Epsilon(Type element) => element == typeof(float) ? Math.ScaleB(1, -23) : Math.ScaleB(1, -52);

    /// <summary>An error in ulps of the element type.</summary>
    public static double UlpError<T>(T actual, DoubleDouble reference) =>
        typeof(T) == typeof(float) ? Ulp.ErrorFloat((float)(object)actual!, reference) : Ulp.ErrorDouble((double)(object)actual!, reference);

    /// <summary>One ulp of |value| in the element type.</summary>
    public static double UlpOf(Type element, double value)
    {
        double a = Math.Abs(value);
        if (element == typeof(float))
        {
            float f = (float)a;
            return f < 1.17549435e-38f ? Math.ScaleB(1, -149) : MathF.BitIncrement(f) - (double)f;
        }

        return a < 2.2250738585072014e-308 ? double.Epsilon : Math.BitIncrement(a) - a;
    }

    public static T[] Cast<T>(double[] values) =>
        typeof(T) == typeof(float) ? (T[])(object)values.Select(v => (float)v).ToArray() : (T[])(object)values.Clone();

    public static double[] ToDouble<T>(T[] values) =>
        values.Select(v => typeof(T) == typeof(float) ? (float)(object)v! : (double)(object)v!).ToArray();

    public static double D<T>(T value) => typeof(T) == typeof(float) ? (float)(object)value! : (double)(object)value!;

    public static T FromD<T>(double value) => typeof(T) == typeof(float) ? (T)(object)(float)value : (T)(object)value;
}

/// <summary>Double-double references for the training kernels, from the definitions.</summary>
public static class TrainingReference
{
    /// <summary>log(1 + y) for y ≥ 0 in double-double, by its series for small y (where 1 + y would round y away).</summary>
    public static DoubleDouble Log1P(DoubleDouble y)
    {
        if (y.Hi > 1e-4)
        {
            return DoubleDouble.Log(1.0 + y);
        }

        DoubleDouble sum = 0, power = y;
        for (int n = 1; n <= 12; n++)
        {
            DoubleDouble term = power / n;
            sum = n % 2 == 1 ? sum + term : sum - term;
            power *= y;
        }

        return sum;
    }

    /// <summary>log p_i of softmax(x/t), with log s = log1p(s′); null for a NaN or all −∞ row. Handles +∞ rows by the limit.</summary>
    public static DoubleDouble[]? LogProbabilities(double[] x, double t)
    {
        if (x.Any(double.IsNaN) || x.All(double.IsNegativeInfinity))
        {
            return null;
        }

        int infinities = x.Count(double.IsPositiveInfinity);
        var lp = new DoubleDouble[x.Length];
        if (infinities > 0)
        {
            for (int i = 0; i < x.Length; i++) lp[i] = double.IsPositiveInfinity(x[i]) ? -DoubleDouble.Log(infinities) : double.NegativeInfinity;
            return lp;
        }

        double m = x.Max();
        int a = Array.IndexOf(x, m);
        var z = x.Select(v => double.IsNegativeInfinity(v) ? (DoubleDouble)double.NegativeInfinity : ((DoubleDouble)v - m) / t).ToArray();
        DoubleDouble sp = 0;
        for (int j = 0; j < x.Length; j++)
        {
            if (j != a && z[j].IsFinite) sp += DoubleDouble.Exp(z[j]);
        }

        DoubleDouble logS = Log1P(sp);
        for (int i = 0; i < x.Length; i++) lp[i] = z[i].IsFinite ? z[i] - logS : double.NegativeInfinity;
        return lp;
    }

    public static DoubleDouble Probability(DoubleDouble lp) => lp.IsFinite ? DoubleDouble.Exp(lp) : 0.0;

    /// <summary>−Σ q_i log p_i (terms with q_i = 0 add nothing) and the gradient (p Σq − q)/t; NaN for NaN or all −∞ rows.</summary>
    public static (DoubleDouble Loss, DoubleDouble[] Gradient) CrossEntropy(double[] x, double[] q, double t)
    {
        DoubleDouble[]? lp = LogProbabilities(x, t);
        if (lp is null)
        {
            return (double.NaN, x.Select(_ => (DoubleDouble)double.NaN).ToArray());
        }

        DoubleDouble loss = 0, qSum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (q[i] == 0) continue;
            qSum += q[i];
            loss = lp[i].IsFinite && loss.IsFinite ? loss - ((DoubleDouble)q[i] * lp[i]) : double.PositiveInfinity;
        }

        var gradient = new DoubleDouble[x.Length];
        for (int i = 0; i < x.Length; i++) gradient[i] = ((Probability(lp[i]) * qSum) - q[i]) / t;
        return (loss, gradient);
    }

    /// <summary>q = (1 − ε)·onehot(t) + ε/K.</summary>
    public static double[] Smoothed(int k, int target, double epsilon) =>
        Enumerable.Range(0, k).Select(i => (i == target ? 1 - epsilon : 0) + (epsilon / k)).ToArray();

    /// <summary>H = −Σ p log p and ∂H/∂x_i = −p_i (z_i − Σ p_k z_k)/t, from the log-probabilities.</summary>
    public static (DoubleDouble Entropy, DoubleDouble[] Gradient) Entropy(double[] x, double t)
    {
        DoubleDouble[]? lp = LogProbabilities(x, t);
        if (lp is null)
        {
            return (double.NaN, x.Select(_ => (DoubleDouble)double.NaN).ToArray());
        }

        DoubleDouble h = 0;
        foreach (DoubleDouble l in lp)
        {
            if (l.IsFinite) h -= Probability(l) * l;
        }

        // With z_i = lp_i + log s: z_i − Σ p_k z_k = lp_i − Σ p_k lp_k = lp_i + H.
        var gradient = lp.Select(l => l.IsFinite ? -(Probability(l) * (l + h)) / t : 0.0).ToArray();
        return (h, gradient);
    }
}
