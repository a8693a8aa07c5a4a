using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>A <c>TensorPrimitives.SoftMax(x, destination)</c> call whose input is a plain, never-written collection.</summary>
internal sealed class LibrarySoftmaxFinding
{
    public LibrarySoftmaxFinding(IInvocationOperation call, CollectionKey input, ITypeSymbol? elementType)
    {
        Call = call;
        Input = input;
        ElementType = elementType;
    }

    public IInvocationOperation Call { get; }

    public CollectionKey Input { get; }

    public ITypeSymbol? ElementType { get; }

    public object[] MessageArguments() =>
        [Input.DisplayName, TypeNames.Keyword(ElementType), TypeNames.OverflowPoint(ElementType)];
}

/// <summary>
/// Finds <c>TensorPrimitives.SoftMax</c> calls whose input is not visibly max-shifted. "Visibly shifted" is read
/// generously: any write to the input in the method (an element store, a reassignment, passing it as a writable
/// span or by reference, e.g. to <c>TensorPrimitives.Subtract</c>) means the call is not reported.
/// </summary>
internal static class LibrarySoftmaxMatcher
{
    public static ImmutableArray<LibrarySoftmaxFinding> Find(IEnumerable<IOperation> roots, MathSymbols symbols)
    {
        List<IOperation> all = roots.SelectMany(r => r.DescendantsAndSelf()).ToList();
        var findings = ImmutableArray.CreateBuilder<LibrarySoftmaxFinding>();
        foreach (IOperation operation in all)
        {
            if (operation is not IInvocationOperation { Arguments.Length: 2 } call ||
                !symbols.IsTensorPrimitives(call.TargetMethod, "SoftMax") ||
                CollectionKey.Of(call.Arguments[0].Value) is not { Member: null, Row: null } input ||
                input.Root is not (ILocalSymbol or IParameterSymbol { RefKind: RefKind.None }) ||
                IsWritten(all, input, call))
            {
                continue;
            }

            findings.Add(new LibrarySoftmaxFinding(call, input, TypeNames.ElementType(call.TargetMethod.Parameters[0].Type)));
        }

        return findings.ToImmutable();
    }

    private static bool IsWritten(List<IOperation> all, CollectionKey input, IInvocationOperation call)
    {
        foreach (IOperation operation in all)
        {
            switch (operation)
            {
                case IAssignmentOperation assignment when WritesTo(assignment.Target, input):
                    return true;
                case IIncrementOrDecrementOperation increment when WritesTo(increment.Target, input):
                    return true;
                case IArgumentOperation argument when argument.Parent != call && CollectionKey.Of(argument.Value) is { } passed &&
                                                      SymbolEqualityComparer.Default.Equals(passed.Root, input.Root):
                    if (argument.Parameter is { RefKind: not RefKind.None } ||
                        argument.Parameter?.Type is IArrayTypeSymbol ||
                        argument.Parameter?.Type is INamedTypeSymbol { Name: "Span" or "Memory" or "List" or "IList" or "ICollection" })
                    {
                        return true;
                    }

                    break;
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, input.Root) &&
                                                                  declarator.GetVariableInitializer() is { } initializer &&
                                                                  initializer.Value.DescendantsAndSelf().Any(o => o is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract }):
                    return true;
            }
        }

        return false;
    }

    private static bool WritesTo(IOperation target, CollectionKey input)
    {
        target = Operations.Unwrap(target)!;
        IOperation? root = target switch
        {
            IArrayElementReferenceOperation element => element.ArrayReference,
            IPropertyReferenceOperation { Property.IsIndexer: true } indexer => indexer.Instance,
            _ => target,
        };
        return CollectionKey.Of(root) is { } key && SymbolEqualityComparer.Default.Equals(key.Root, input.Root);
    }
}
