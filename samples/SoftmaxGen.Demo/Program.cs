using System;
using System.Globalization;
using System.Linq;
using System.Numerics.Tensors;
using SoftmaxGen.Demo;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Console.WriteLine("SoftmaxGen demo: softmax of the logits [1000, 1000, 999]");
Console.WriteLine();

float[] logits = [1000f, 1000f, 999f];

// The two unstable computations below are deliberate: they show what SoftmaxGen's analyzer warns about
// (SMX1001, SMX1003) and what the generated kernel fixes.
#pragma warning disable SMX1001, SMX1003
// Naive softmax: exp(x_i) / Σ exp(x_j). exp(1000) overflows float to +∞, and ∞/∞ is NaN.
float sum = logits.Sum(MathF.Exp);
float[] naive = logits.Select(x => MathF.Exp(x) / sum).ToArray();
Console.WriteLine($"naive exp/sum                  : {Format(naive)}");

// TensorPrimitives.SoftMax (System.Numerics.Tensors 11) does not subtract the maximum either.
float[] library = new float[3];
TensorPrimitives.SoftMax(logits, library);
Console.WriteLine($"TensorPrimitives.SoftMax       : {Format(library)}");
#pragma warning restore SMX1001, SMX1003

// The generated kernel subtracts the row maximum first: every exponent is ≤ 0, nothing overflows.
float[] generated = new float[3];
ClassifierHead.AnyRow(logits, generated);
Console.WriteLine($"SoftmaxGen [Softmax]           : {Format(generated)}");
Console.WriteLine();

// A classifier head with 10 classes, two examples in one batch.
float[] batch =
[
    2.1f, -0.3f, 0.8f, 5.5f, 1.0f, -2.0f, 0.0f, 3.3f, 0.4f, -1.1f,
    900f, 905f, 899f, 910f, 870f, 905f, 0f, -900f, 909f, 908f,
];
float[] probabilities = new float[batch.Length];
ClassifierHead.Probabilities(batch, probabilities);
for (int row = 0; row < 2; row++)
{
    var p = probabilities.AsSpan(row * 10, 10).ToArray();
    int best = Array.IndexOf(p, p.Max());
    Console.WriteLine($"[Softmax(10)] row {row}: class {best} with p = {p[best]:0.0000}, Σp = {p.Sum():0.0000000}");
}

static string Format(float[] values) => "[" + string.Join(", ", values.Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture))) + "]";
