using System;
using SoftmaxGen;

namespace SoftmaxGen.Demo;

/// <summary>A 10-class classifier head: logits in, probabilities out, softmax written at compile time.</summary>
public static partial class ClassifierHead
{
    /// <summary>Stable softmax over rows of 10 logits (a batch is several rows back to back).</summary>
    [Softmax(10)]
    public static partial void Probabilities(ReadOnlySpan<float> logits, Span<float> probabilities);

    /// <summary>The same in double precision.</summary>
    [Softmax(10)]
    public static partial void Probabilities(ReadOnlySpan<double> logits, Span<double> probabilities);

    /// <summary>Softmax over rows of any length (the row is the whole span), for the 3-logit example.</summary>
    [Softmax]
    public static partial void AnyRow(ReadOnlySpan<float> logits, Span<float> probabilities);
}
