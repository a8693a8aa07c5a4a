// A user's program: [Softmax(10)] for float and double, checked on ordinary, huge and batched inputs.
using System;
using System.Linq;
using SoftmaxGen;

int failures = 0;
var random = new Random(1);
foreach (double scale in new[] { 1.0, 1e30, 3e38 })
{
    for (int trial = 0; trial < 100; trial++)
    {
        double[] xd = Enumerable.Range(0, 30).Select(_ => scale * ((random.NextDouble() * 2) - 1)).ToArray();
        float[] xf = xd.Select(v => (float)v).ToArray();
        var pf = new float[30];
        var pd = new double[30];
        Head.Softmax(xf, pf);
        Head.Softmax(xd, pd);
        for (int row = 0; row < 3; row++)
        {
            var rf = pf.Skip(row * 10).Take(10).ToArray();
            var rd = pd.Skip(row * 10).Take(10).ToArray();
            double expectedMax = Exact(xd.Skip(row * 10).Take(10).ToArray());
            bool ok = rf.All(float.IsFinite) && rd.All(double.IsFinite)
                && Math.Abs(rf.Sum(v => (double)v) - 1) < 1e-6 && Math.Abs(rd.Sum() - 1) < 1e-12
                && Math.Abs(rd.Max() - expectedMax) < 1e-12;
            if (!ok)
            {
                failures++;
                Console.WriteLine($"FAIL scale {scale}: float [{string.Join(", ", rf)}] double [{string.Join(", ", rd)}]");
            }
        }
    }
}

var three = new float[10];
Head.Softmax(new float[] { 1000, 1000, 999, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity }, three);
if (Math.Abs(three[0] - 0.4223188f) > 1e-6f || Math.Abs(three[2] - 0.1553624f) > 1e-6f || three[3] != 0f)
{
    failures++;
    Console.WriteLine($"FAIL [1000, 1000, 999, -inf...]: [{string.Join(", ", three)}]");
}

try
{
    Head.Softmax(new float[15], new float[15]);
    failures++;
    Console.WriteLine("FAIL: no ArgumentException for 15 logits");
}
catch (ArgumentException e) when (e.ParamName == "logits")
{
}

Console.WriteLine(failures == 0 ? "package consumer: all checks passed" : $"package consumer: {failures} failures");
return failures == 0 ? 0 : 1;

// The largest probability of a row, computed independently: 1 / Σ exp(x_j − max).
static double Exact(double[] x)
{
    double m = x.Max();
    return 1 / x.Sum(v => Math.Exp(v - m));
}

static partial class Head
{
    [Softmax(10)]
    public static partial void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities);

    [Softmax(10)]
    public static partial void Softmax(ReadOnlySpan<double> logits, Span<double> probabilities);
}
