namespace SoftmaxGen.Generation.Model;

/// <summary>The operation a kernel attribute asks for.</summary>
internal enum KernelOp
{
    Softmax,
    LogSoftmax,
    LogSumExp,
    SoftmaxJacobian,
    SoftmaxBackward,
    LogSoftmaxBackward,
    SoftmaxCrossEntropy,
    SoftmaxEntropy,
    SoftmaxHessian,
    SoftmaxSecondDirectional,
    ArgMax,
    Softmin,
    SoftmaxSample,
    GumbelSoftmax,
    HierarchicalSoftmax,
}

/// <summary>The element type of every span of one kernel.</summary>
internal enum ElementType
{
    Single,
    Double,
}

/// <summary>Which of an operation's parameter lists the method uses.</summary>
internal enum KernelForm
{
    /// <summary>Inputs are read-only spans, the last span is the output.</summary>
    Separate,

    /// <summary>One <c>Span&lt;T&gt;</c> that is both input and output.</summary>
    InPlace,

    /// <summary>One row whose value (log-sum-exp, loss, entropy) is returned.</summary>
    ScalarResult,
}
