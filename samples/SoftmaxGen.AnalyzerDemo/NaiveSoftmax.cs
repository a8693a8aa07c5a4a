using System;
using System.Collections.Generic;
using System.Linq;

namespace SoftmaxGen.AnalyzerDemo;

/// <summary>
/// Softmax as it is often written (this is the normalisation in the ONNX Runtime C# samples). The analyzer reports
/// SMX1001 on the first Math.Exp: for logits above about 88.7 the float exponentials overflow and every
/// probability is NaN. In an IDE, the light bulb offers "Subtract the maximum before exp".
/// </summary>
internal static class NaiveSoftmax
{
    public static float[] Probabilities(float[] output)
    {
        var sum = output.Sum(x => (float)Math.Exp(x));
        IEnumerable<float> softmax = output.Select(x => (float)Math.Exp(x) / sum);
        return softmax.ToArray();
    }
}
