using System.Collections.Immutable;

namespace SoftmaxGen.Generation.Model;

/// <summary>What each attribute is called and which signatures it accepts.</summary>
internal sealed record OperationInfo(
    KernelOp Op,
    string AttributeName,
    int MaxK,
    bool HasMaskOption,
    string Forms)
{
    public string MetadataName => "SoftmaxGen." + AttributeName + "Attribute";
}

internal static class KernelOperations
{
    /// <summary>Largest K for every operation but the Jacobian, whose K·K entries per row must fit in a span.</summary>
    public const int MaxK = 65536;

    /// <summary>Largest K whose K·K Jacobian fits in a span (46340² &lt; 2³¹).</summary>
    public const int MaxJacobianK = 46340;

    public static readonly ImmutableArray<OperationInfo> All = ImmutableArray.Create(
        new OperationInfo(KernelOp.Softmax, "Softmax", MaxK, HasMaskOption: true,
            "(ReadOnlySpan<T> logits, Span<T> probabilities) or (Span<T> values), T float or double, optionally ending with 'T temperature'"),
        new OperationInfo(KernelOp.LogSoftmax, "LogSoftmax", MaxK, HasMaskOption: true,
            "(ReadOnlySpan<T> logits, Span<T> logProbabilities) or (Span<T> values), T float or double, optionally ending with 'T temperature'"),
        new OperationInfo(KernelOp.LogSumExp, "LogSumExp", MaxK, HasMaskOption: false,
            "T (ReadOnlySpan<T> logits) or void (ReadOnlySpan<T> logits, Span<T> results), T float or double, optionally ending with 'T temperature'"),
        new OperationInfo(KernelOp.SoftmaxJacobian, "SoftmaxJacobian", MaxJacobianK, HasMaskOption: false,
            "(ReadOnlySpan<T> probabilities, Span<T> jacobian), T float or double, optionally ending with 'T temperature'"),
        new OperationInfo(KernelOp.SoftmaxBackward, "SoftmaxBackward", MaxK, HasMaskOption: false,
            "(ReadOnlySpan<T> probabilities, ReadOnlySpan<T> outputGradient, Span<T> inputGradient), T float or double, optionally ending with 'T temperature'"),
        new OperationInfo(KernelOp.LogSoftmaxBackward, "LogSoftmaxBackward", MaxK, HasMaskOption: false,
            "(ReadOnlySpan<T> logProbabilities, ReadOnlySpan<T> outputGradient, Span<T> inputGradient), T float or double, optionally ending with 'T temperature'"));

    public static OperationInfo Get(KernelOp op) => All[(int)op];

    /// <summary>The operation whose attribute has this metadata name, or null.</summary>
    public static OperationInfo? FromMetadataName(string? metadataName)
    {
        foreach (OperationInfo info in All)
        {
            if (info.MetadataName == metadataName)
            {
                return info;
            }
        }

        return null;
    }
}
