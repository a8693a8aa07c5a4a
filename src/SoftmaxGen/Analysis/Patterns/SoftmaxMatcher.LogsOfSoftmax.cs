using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>SMX1004: logarithms of probabilities that came from a softmax.</summary>
internal sealed partial class SoftmaxMatcher
{
    // ---- SMX1004: logarithms of probabilities ----

    private ImmutableArray<LogOfSoftmaxFinding> LogsOfProbabilities(ImmutableArray<SoftmaxFinding> softmaxes)
    {
        var probabilities = new Dictionary<CollectionKey, string>();
        foreach (SoftmaxFinding softmax in softmaxes)
        {
            foreach (IOperation division in softmax.Divisions)
            {
                if (ProbabilitiesOf(division) is { } key)
                {
                    probabilities[key] = "softmax";
                }
            }
        }

        foreach (IOperation operation in _all)
        {
            switch (operation)
            {
                case IInvocationOperation { Arguments.Length: 2 } call when _symbols.IsTensorPrimitives(call.TargetMethod, "SoftMax") &&
                                                                        CollectionKey.Of(call.Arguments[1].Value) is { } destination:
                    probabilities[destination] = "TensorPrimitives.SoftMax";
                    break;
                case IInvocationOperation call when GeneratedKernels.IsSoftmaxKernel(call.TargetMethod) &&
                                                    CollectionKey.Of(call.Arguments[call.Arguments.Length == 1 ? 0 : 1].Value) is { } destination:
                    probabilities[destination] = call.TargetMethod.Name;
                    break;
                case IVariableDeclaratorOperation declarator when declarator.GetVariableInitializer()?.Value is { } value &&
                                                                  Operations.Unwrap(value) is IInvocationOperation call &&
                                                                  IsNamedSoftmax(call.TargetMethod):
                    probabilities[new CollectionKey(declarator.Symbol, null, null)] = call.TargetMethod.Name;
                    break;
            }
        }

        if (probabilities.Count == 0)
        {
            return ImmutableArray<LogOfSoftmaxFinding>.Empty;
        }

        var findings = ImmutableArray.CreateBuilder<LogOfSoftmaxFinding>();
        foreach (IOperation operation in _all)
        {
            CollectionKey? read = null;
            ITypeSymbol? type = null;
            if (operation is IInvocationOperation { Arguments.Length: 1 } log && _symbols.IsLog(log.TargetMethod))
            {
                read = ProbabilityRead(log.Arguments[0].Value);
                type = Operations.Unwrap(log.Arguments[0].Value)?.Type;
            }
            else if (operation is IMethodReferenceOperation reference && _symbols.IsLog(reference.Method) &&
                     reference.Parent is IDelegateCreationOperation creation &&
                     Operations.UnwrappedParent(creation) is IArgumentOperation { Parent: IInvocationOperation linq } &&
                     IsLinqElementwise(linq))
            {
                read = CollectionKey.Of(linq.Arguments[0].Value);
                type = reference.Method.Parameters[0].Type;
            }

            if (read is { } key && probabilities.TryGetValue(key, out string? source))
            {
                findings.Add(new LogOfSoftmaxFinding(operation, key, source, type));
            }
        }

        return findings.OrderBy(f => f.Log.Syntax.SpanStart).ToImmutableArray();
    }

    private CollectionKey? ProbabilityRead(IOperation value)
    {
        IOperation? unwrapped = Operations.Unwrap(value);
        if (unwrapped is IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true })
        {
            return ContainerElement(unwrapped);
        }

        return ElementOf(unwrapped)?.Key;
    }

    /// <summary>Where a division's quotients are stored: <c>p[i] = e / s</c>, <c>e[i] /= s</c>, <c>var p = xs.Select(… / s)</c>, Divide's destination.</summary>
    private CollectionKey? ProbabilitiesOf(IOperation division)
    {
        switch (division)
        {
            case ICompoundAssignmentOperation compound:
                return ContainerElement(compound.Target);
            case IInvocationOperation { Arguments.Length: 3 } divide:
                return CollectionKey.Of(divide.Arguments[2].Value);
        }

        IOperation? parent = Operations.UnwrappedParent(division);
        if (parent is ISimpleAssignmentOperation assignment)
        {
            return ContainerElement(assignment.Target);
        }

        if (parent is IReturnOperation { Parent: IBlockOperation { Parent: IAnonymousFunctionOperation lambda } })
        {
            IOperation? chain = Operations.UnwrappedParent(lambda);
            chain = chain is IDelegateCreationOperation ? Operations.UnwrappedParent(chain) : chain;
            chain = chain is IArgumentOperation { Parent: IInvocationOperation select } ? select : null;
            while (chain is not null && Operations.UnwrappedParent(chain) is IArgumentOperation { Parent: IInvocationOperation { Arguments.Length: 1 } copy } &&
                   copy.TargetMethod.Name is "ToArray" or "ToList")
            {
                chain = copy;
            }

            if (chain is not null && Operations.UnwrappedParent(chain) is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
            {
                return new CollectionKey(declarator.Symbol, null, null);
            }
        }

        return null;
    }

    private static bool IsNamedSoftmax(IMethodSymbol method) =>
        method.Name.EndsWith("Softmax", System.StringComparison.OrdinalIgnoreCase) &&
        method.Name.IndexOf("Log", System.StringComparison.OrdinalIgnoreCase) < 0 &&
        TypeNames.IsFloatingPoint(TypeNames.ElementType(method.ReturnType));
}
