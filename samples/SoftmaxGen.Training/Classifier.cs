using System;

namespace SoftmaxGen.Training;

/// <summary>A linear classifier: logits = W·x + b, trained by stochastic gradient descent.</summary>
internal sealed class Classifier
{
    public const int Classes = 4;
    public const int Dimensions = 3;

    private readonly float[] _weights = new float[Classes * Dimensions];
    private readonly float[] _bias = new float[Classes];

    /// <summary>Samples around one centre per class (Gaussian, standard deviation 1.2), and their labels.</summary>
    public static (float[] Inputs, int[] Labels) MakeClusters(Random random, int count)
    {
        var centres = new float[Classes * Dimensions];
        for (int i = 0; i < centres.Length; i++) centres[i] = (float)((random.NextDouble() * 8) - 4);
        var inputs = new float[count * Dimensions];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = random.Next(Classes);
            for (int d = 0; d < Dimensions; d++)
            {
                double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                inputs[(n * Dimensions) + d] = centres[(labels[n] * Dimensions) + d] + (float)(1.2 * gaussian);
            }
        }

        return (inputs, labels);
    }

    /// <summary>Logits of the given samples, one row of <see cref="Classes"/> per sample.</summary>
    public void Logits(float[] inputs, int[] samples, Span<float> logits)
    {
        for (int row = 0; row < samples.Length; row++)
        {
            ReadOnlySpan<float> x = inputs.AsSpan(samples[row] * Dimensions, Dimensions);
            for (int c = 0; c < Classes; c++)
            {
                float z = _bias[c];
                for (int d = 0; d < Dimensions; d++) z += _weights[(c * Dimensions) + d] * x[d];
                logits[(row * Classes) + c] = z;
            }
        }
    }

    /// <summary>One SGD step from ∂loss/∂logits: ∂loss/∂W = Σ_rows g xᵀ, ∂loss/∂b = Σ_rows g.</summary>
    public void Step(float[] inputs, int[] samples, ReadOnlySpan<float> gradients, float rate)
    {
        for (int row = 0; row < samples.Length; row++)
        {
            ReadOnlySpan<float> x = inputs.AsSpan(samples[row] * Dimensions, Dimensions);
            for (int c = 0; c < Classes; c++)
            {
                float g = gradients[(row * Classes) + c];
                _bias[c] -= rate * g;
                for (int d = 0; d < Dimensions; d++) _weights[(c * Dimensions) + d] -= rate * g * x[d];
            }
        }
    }

    public static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
        return best;
    }
}
