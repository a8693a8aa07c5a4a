using System;
using System.Globalization;
using System.Linq;
using SoftmaxGen.AnalyzerDemo;

// Build this project to see the analyzer at work:
//   dotnet build samples/SoftmaxGen.AnalyzerDemo
//   NaiveSoftmax.cs(16,..): warning SMX1001: Softmax of 'output' takes exp of float values without subtracting
//   their maximum; float exp overflows to +∞ above 88.7, and ∞/∞ gives NaN
float[][] inputs = [[1f, 2f, 3f], [1000f, 1000f, 999f]];
foreach (float[] logits in inputs)
{
    Console.WriteLine($"logits    [{Show(logits)}]");
    Console.WriteLine($"  naive     [{Show(NaiveSoftmax.Probabilities(logits))}]");
    Console.WriteLine($"  fixed     [{Show(FixedSoftmax.Probabilities(logits))}]");
    Console.WriteLine($"  generated [{Show(FixedSoftmax.Generated(logits))}]");
}

static string Show(float[] values) => string.Join(", ", values.Select(v => v.ToString("G7", CultureInfo.InvariantCulture)));
