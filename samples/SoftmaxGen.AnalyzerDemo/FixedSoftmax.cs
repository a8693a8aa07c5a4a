using System;
using System.Collections.Generic;
using System.Linq;

namespace SoftmaxGen.AnalyzerDemo;

/// <summary>The two fixes the IDE offers for <see cref="NaiveSoftmax"/>, applied. Neither is reported.</summary>
internal static partial class FixedSoftmax
{
    /// <summary>"Subtract the maximum before exp": the code SoftmaxGen's fixer writes, shape and names kept.</summary>
    public static float[] Probabilities(float[] output)
    {
        double max = double.NegativeInfinity;
        foreach (var value in output) max = Math.Max(max, value);
        if (double.IsInfinity(max)) max = 0;
        var sum = output.Sum(x => (float)Math.Exp(x - max));
        IEnumerable<float> softmax = output.Select(x => (float)Math.Exp(x - max) / sum);
        return softmax.ToArray();
    }

    /// <summary>"Use a generated softmax" (for loop code over arrays and spans): a generated, stable kernel.</summary>
    public static float[] Generated(float[] output)
    {
        var probabilities = new float[output.Length];
        if (output.Length > 0) SoftmaxRow(output, probabilities);
        return probabilities;
    }

    [global::SoftmaxGen.Softmax]
    private static partial void SoftmaxRow(global::System.ReadOnlySpan<float> logits, global::System.Span<float> probabilities);
}
