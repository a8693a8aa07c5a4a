using System.Numerics.Tensors;
using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.Tests.Analyzers;

public class UnstableLibrarySoftmaxAnalyzerTests
{
    public static TheoryData<string, string> MustFlag => new()
    {
        {
            "SpanParameters",
            """
            static void Probabilities(ReadOnlySpan<float> logits, Span<float> p) => [|TensorPrimitives.SoftMax(logits, p)|];
            """
        },
        {
            "ArrayParameter_Double",
            """
            static double[] Probabilities(double[] logits)
            {
                var p = new double[logits.Length];
                [|TensorPrimitives.SoftMax<double>(logits, p)|];
                return p;
            }
            """
        },
        {
            "LocalFromModelOutput",
            """
            static float[] Run() => new float[10];
            static float[] Probabilities()
            {
                float[] logits = Run();
                float[] p = new float[logits.Length];
                [|TensorPrimitives.SoftMax(logits, p)|];
                return p;
            }
            """
        },
    };

    public static TheoryData<string, string> MustNotFlag => new()
    {
        {
            "ShiftedInPlaceBySubtract",
            """
            static void Probabilities(float[] logits, float[] p)
            {
                TensorPrimitives.Subtract(logits, TensorPrimitives.Max(logits), logits);
                TensorPrimitives.SoftMax(logits, p);
            }
            """
        },
        {
            "ShiftedIntoScratch",
            """
            static void Probabilities(ReadOnlySpan<float> logits, Span<float> p)
            {
                Span<float> shifted = new float[logits.Length];
                TensorPrimitives.Subtract(logits, TensorPrimitives.Max(logits), shifted);
                TensorPrimitives.SoftMax(shifted, p);
            }
            """
        },
        {
            "FilledByLoop",
            """
            static void Probabilities(float[] raw, float[] p)
            {
                var z = new float[raw.Length];
                float m = raw.Max();
                for (int i = 0; i < raw.Length; i++) z[i] = raw[i] - m;
                TensorPrimitives.SoftMax(z, p);
            }
            """
        },
        {
            "OtherTensorPrimitives",
            """
            static float Norm(float[] x) => TensorPrimitives.Norm(x) + TensorPrimitives.Sum(x);
            """
        },
    };

    [Theory]
    [MemberData(nameof(MustFlag))]
    public Task Reports_TensorPrimitivesSoftMax(string shape, string members)
    {
        Assert.NotEmpty(shape);
        return StabilityAnalyzerTest.VerifyAsync(AnalyzerSources.InClass(members), DiagnosticIds.UnstableLibrarySoftmax);
    }

    [Theory]
    [MemberData(nameof(MustNotFlag))]
    public Task NoDiagnostic_WhenInputShifted(string shape, string members)
    {
        Assert.NotEmpty(shape);
        return StabilityAnalyzerTest.VerifyAsync(AnalyzerSources.InClass(members), DiagnosticIds.UnstableLibrarySoftmax);
    }

    /// <summary>The reason for the rule: the library's softmax does not subtract the maximum.</summary>
    [Fact]
    public void TensorPrimitivesSoftMax_IsNaN_OnLargeLogits()
    {
        float[] p = new float[3];
        TensorPrimitives.SoftMax([1000f, 1000f, 999f], p);
        Assert.All(p, v => Assert.True(float.IsNaN(v)));
    }
}
