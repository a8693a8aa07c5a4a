using System;
using SoftmaxGen;

namespace SoftmaxGen.Training;

/// <summary>The kernels the training loop uses, written by SoftmaxGen at compile time.</summary>
internal static partial class Losses
{
    /// <summary>Per row of <see cref="Classifier.Classes"/> logits: the cross-entropy loss and its gradient, fused.</summary>
    [SoftmaxCrossEntropy(Classifier.Classes, LabelSmoothing = 0.05)]
    public static partial void CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> losses, Span<float> gradients);

    /// <summary>The entropy of each row's predicted distribution (how unsure the model is).</summary>
    [SoftmaxEntropy(Classifier.Classes)]
    public static partial void Entropy(ReadOnlySpan<float> logits, Span<float> entropies);
}
