using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.Tests.Analyzers;

public class LogOfSoftmaxAnalyzerTests
{
    public static TheoryData<string, string> MustFlag => new()
    {
        {
            "CrossEntropy_AfterTensorPrimitives",
            """
            static float Loss(float[] logits, int label)
            {
                var p = new float[logits.Length];
                {|SMX1003:TensorPrimitives.SoftMax(logits, p)|};
                return -[|MathF.Log(p[label])|];
            }
            """
        },
        {
            "CrossEntropy_AfterNamedSoftmax",
            """
            static double[] Softmax(double[] x) => x;
            static double Loss(double[] logits, int target)
            {
                var probs = Softmax(logits);
                return -[|Math.Log(probs[target])|];
            }
            """
        },
        {
            "HandWrittenShiftedSoftmax_ThenLogLoop",
            """
            static double Loss(double[] x, double[] targets)
            {
                double m = x.Max();
                var p = new double[x.Length];
                double sum = 0;
                for (int i = 0; i < x.Length; i++) { p[i] = Math.Exp(x[i] - m); sum += p[i]; }
                for (int i = 0; i < x.Length; i++) p[i] /= sum;
                double loss = 0;
                for (int i = 0; i < x.Length; i++) loss -= targets[i] * [|Math.Log(p[i])|];
                return loss;
            }
            """
        },
        {
            "LinqSoftmax_ThenLogMethodGroup",
            """
            static double[] LogProbabilities(double[] x)
            {
                double m = x.Max();
                double sum = x.Sum(v => Math.Exp(v - m));
                double[] probs = x.Select(v => Math.Exp(v - m) / sum).ToArray();
                return probs.Select(q => [|Math.Log(q)|]).ToArray();
            }
            """
        },
        {
            "ForeachOverProbabilities",
            """
            static float Entropy(ReadOnlySpan<float> logits)
            {
                Span<float> p = new float[logits.Length];
                {|SMX1003:TensorPrimitives.SoftMax(logits, p)|};
                float h = 0;
                foreach (float q in p) h -= q * [|float.Log(q)|];
                return h;
            }
            """
        },
    };

    public static TheoryData<string, string> MustNotFlag => new()
    {
        {
            "LogOfLogits",
            """
            static double F(double[] x)
            {
                double s = 0;
                foreach (var v in x) s += Math.Log(v);
                return s;
            }
            """
        },
        {
            "ProbabilitiesFromParameter",
            """
            static double Loss(double[] probabilities, int label) => -Math.Log(probabilities[label]);
            """
        },
        {
            "LogSoftmaxNamedMethod",
            """
            static double[] LogSoftmax(double[] x) => x;
            static double Loss(double[] logits, int label)
            {
                var lp = LogSoftmax(logits);
                return -Math.Log(Math.Abs(lp[label]) + 1);
            }
            """
        },
    };

    [Theory]
    [MemberData(nameof(MustFlag))]
    public Task Reports_LogOfSoftmax(string shape, string members)
    {
        Assert.NotEmpty(shape);
        return StabilityAnalyzerTest.VerifyAsync(AnalyzerSources.InClass(members), DiagnosticIds.LogOfSoftmax);
    }

    [Theory]
    [MemberData(nameof(MustNotFlag))]
    public Task NoDiagnostic_WhenNotLogOfProbabilities(string shape, string members)
    {
        Assert.NotEmpty(shape);
        return StabilityAnalyzerTest.VerifyAsync(AnalyzerSources.InClass(members), DiagnosticIds.LogOfSoftmax);
    }
}
