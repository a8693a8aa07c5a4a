using Microsoft.CodeAnalysis;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>A logarithm (call or method group) of probabilities that came from a softmax in the same method.</summary>
internal sealed class LogOfSoftmaxFinding
{
    public LogOfSoftmaxFinding(IOperation log, CollectionKey probabilities, string source, ITypeSymbol? elementType)
    {
        Log = log;
        Probabilities = probabilities;
        Source = source;
        ElementType = elementType;
    }

    /// <summary>The log call or the <c>Math.Log</c> method group: where the diagnostic goes.</summary>
    public IOperation Log { get; }

    public CollectionKey Probabilities { get; }

    /// <summary>What produced the probabilities: "softmax", "TensorPrimitives.SoftMax", or a method name.</summary>
    public string Source { get; }

    public ITypeSymbol? ElementType { get; }

    public object[] MessageArguments() =>
        [Probabilities.DisplayName, TypeNames.Keyword(ElementType), TypeNames.UnderflowGap(ElementType)];
}
