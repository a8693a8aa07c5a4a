using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.Tests.Analyzers;

public class UnshiftedLogSumExpAnalyzerTests
{
    public static TheoryData<string, string> MustFlag => new()
    {
        {
            "ForLoop",
            """
            static double LogSumExp(double[] x)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += [|Math.Exp(x[i])|];
                return Math.Log(sum);
            }
            """
        },
        {
            "Foreach_FloatLog",
            """
            static float LogSumExp(ReadOnlySpan<float> x)
            {
                float sum = 0;
                foreach (float v in x) sum += [|MathF.Exp(v)|];
                return float.Log(sum);
            }
            """
        },
        {
            "Linq_MethodGroup_Inline",
            """
            static double LogSumExp(IEnumerable<double> x) => Math.Log(x.Sum([|Math.Exp|]));
            """
        },
        {
            "Linq_Lambda_ListSource",
            """
            static double LogSumExp(List<double> x)
            {
                var total = x.Sum(v => [|Math.Exp(v)|]);
                return Math.Log(total);
            }
            """
        },
        {
            "SmoothMaximum_Temperature",
            """
            static double SmoothMax(double[] x, double t)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += [|Math.Exp(x[i] / t)|];
                return t * Math.Log(sum);
            }
            """
        },
        {
            "TensorPrimitives_ExpSumLog",
            """
            static float LogSumExp(float[] x)
            {
                var e = new float[x.Length];
                [|TensorPrimitives.Exp(x, e)|];
                return MathF.Log(TensorPrimitives.Sum(e));
            }
            """
        },
        {
            "PowE_DoubleLog",
            """
            static double LogSumExp(double[] x)
            {
                double sum = 0;
                foreach (var v in x) sum += [|Math.Pow(Math.E, v)|];
                return double.Log(sum);
            }
            """
        },
    };

    public static TheoryData<string, string> MustNotFlag => new()
    {
        {
            "Shifted",
            """
            static double LogSumExp(double[] x)
            {
                double m = x.Max();
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i] - m);
                return m + Math.Log(sum);
            }
            """
        },
        {
            "ShiftedInsideLambda",
            """
            static double LogSumExp(double[] x)
            {
                double m = x.Max();
                return m + Math.Log(x.Sum(v => Math.Exp(v - m)));
            }
            """
        },
        {
            "LogOfPlainSum",
            """
            static double LogTotal(double[] x) => Math.Log(x.Sum());
            """
        },
        {
            "SoftplusLike_NegatedArgument",
            """
            static double Softplus(double[] x)
            {
                double sum = 0;
                foreach (var v in x) sum += Math.Log(1 + Math.Exp(-v));
                return sum;
            }
            """
        },
        {
            "LogSoftmax_IsReportedAsSmx1001Instead",
            """
            static void LogSoftmax(double[] x, double[] y)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += {|SMX1001:Math.Exp(x[i])|};
                for (int i = 0; i < x.Length; i++) y[i] = x[i] - Math.Log(sum);
            }
            """
        },
    };

    [Theory]
    [MemberData(nameof(MustFlag))]
    public Task Reports_UnshiftedLogSumExp(string shape, string members)
    {
        Assert.NotEmpty(shape);
        return StabilityAnalyzerTest.VerifyAsync(AnalyzerSources.InClass(members), DiagnosticIds.UnshiftedLogSumExp);
    }

    [Theory]
    [MemberData(nameof(MustNotFlag))]
    public Task NoDiagnostic_WhenShiftedOrNotALogSumExp(string shape, string members)
    {
        Assert.NotEmpty(shape);
        return StabilityAnalyzerTest.VerifyAsync(AnalyzerSources.InClass(members), DiagnosticIds.UnshiftedLogSumExp);
    }
}
