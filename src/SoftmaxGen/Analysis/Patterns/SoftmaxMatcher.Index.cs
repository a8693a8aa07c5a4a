using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>The per-body index, built once: foreach variables and lambda parameters (which collection an element comes from), every write of every local, and locals that only hold an exponential.</summary>
internal sealed partial class SoftmaxMatcher
{
    // ---- Pass 1: foreach variables and LINQ lambda parameters ----

    private void CollectSources()
    {
        foreach (IOperation operation in _all)
        {
            switch (operation)
            {
                case IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation declarator } loop:
                    _foreachLocals[declarator.Symbol] = loop;
                    break;
                case IForEachLoopOperation { LoopControlVariable: IVariableDeclarationOperation { Declarators.Length: 1 } declaration } loop:
                    _foreachLocals[declaration.Declarators[0].Symbol] = loop;
                    break;
                case IInvocationOperation { Arguments.Length: 3 } aggregate when _symbols.IsEnumerable(aggregate.TargetMethod, "Aggregate"):
                    // x.Aggregate(0.0, (acc, v) => acc + Math.Exp(v)): v is an element of x.
                    if (Operations.DelegateTarget(aggregate.Arguments[2].Value) is IAnonymousFunctionOperation { Symbol.Parameters.Length: 2 } folder)
                    {
                        _lambdaParameters[folder.Symbol.Parameters[1]] = aggregate;
                    }

                    break;
                case IInvocationOperation { Arguments.Length: 3 } toDictionary when _symbols.IsEnumerable(toDictionary.TargetMethod, "ToDictionary"):
                    // scores.ToDictionary(kv => kv.Key, kv => Math.Exp(kv.Value)).
                    if (Operations.DelegateTarget(toDictionary.Arguments[2].Value) is IAnonymousFunctionOperation { Symbol.Parameters.Length: 1 } valueSelector)
                    {
                        _lambdaParameters[valueSelector.Symbol.Parameters[0]] = toDictionary;
                    }

                    break;
                case IInvocationOperation invocation when IsLinqElementwise(invocation):
                    if (Operations.DelegateTarget(DelegateArgument(invocation)) is IAnonymousFunctionOperation { Symbol.Parameters.Length: 1 } lambda)
                    {
                        _lambdaParameters[lambda.Symbol.Parameters[0]] = invocation;
                    }

                    break;
            }
        }
    }

    private bool IsLinqElementwise(IInvocationOperation invocation) =>
        (invocation.Arguments.Length == 2 &&
         (_symbols.IsEnumerable(invocation.TargetMethod, "Select") || _symbols.IsEnumerable(invocation.TargetMethod, "Sum"))) ||
        IsElementwiseMap(invocation);

    /// <summary>
    /// <c>Array.ConvertAll(x, f)</c>, an extension method <c>x.Map(f)</c> / <c>x.Select(f)</c> of another library, or
    /// an instance method <c>v.Map(f)</c> of a vector type (MathNet's <c>Vector.Map</c>): f applied to each element of x.
    /// </summary>
    private static bool IsElementwiseMap(IInvocationOperation invocation) =>
        (invocation.Arguments.Length == 2 &&
         ((invocation.TargetMethod is { Name: "ConvertAll", ContainingType.SpecialType: SpecialType.System_Array }) ||
          (invocation.TargetMethod is { IsExtensionMethod: true, Name: "Map" or "Select" or "Apply" }))) ||
        (invocation is { Instance: not null, Arguments.Length: 1, TargetMethod: { IsStatic: false, Name: "Map" or "Select" or "Apply" or "MapInplace" or "MapInPlace" } } &&
         invocation.TargetMethod.Parameters[0].Type is INamedTypeSymbol { TypeKind: TypeKind.Delegate });


    // ---- Pass 4: sums of exponentials ----

    private void CollectLocalWrites()
    {
        foreach (IOperation operation in _all)
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator:
                    AddWrite(declarator.Symbol, declarator);
                    break;
                case IAssignmentOperation { Target: ILocalReferenceOperation local } assignment:
                    AddWrite(local.Local, assignment);
                    break;
                case IAssignmentOperation { Target: IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field } assignment
                    when TypeNames.IsReal(field.Type):
                    // m_sum = 0; m_sum += e: a sum kept in a field of the type.
                    if (!_fieldWrites.TryGetValue(field.Field, out List<IOperation>? fieldWrites))
                    {
                        _fieldWrites[field.Field] = fieldWrites = [];
                    }

                    fieldWrites.Add(assignment);
                    break;
                case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation local } increment:
                    AddWrite(local.Local, increment);
                    break;
                case IArgumentOperation { Parameter.RefKind: not RefKind.None, Value: ILocalReferenceOperation local } argument:
                    AddWrite(local.Local, argument);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    foreach (IOperation target in deconstruction.Target.DescendantsAndSelf())
                    {
                        if (target is ILocalReferenceOperation local)
                        {
                            AddWrite(local.Local, deconstruction);
                        }
                    }

                    break;
            }
        }
    }

    private readonly Dictionary<ILocalSymbol, CollectionKey> _expLocals = new(SymbolEqualityComparer.Default);

    /// <summary>Locals that only ever hold exp(x_i) of one collection: <c>var e = Math.Exp(x[i]); y[i] = e; sum += e;</c>.</summary>
    private void CollectExpLocals()
    {
        foreach (KeyValuePair<ILocalSymbol, List<IOperation>> pair in _localWrites)
        {
            CollectionKey? held = null;
            foreach (IOperation write in pair.Value)
            {
                IOperation? value = write switch
                {
                    IVariableDeclaratorOperation declarator => declarator.GetVariableInitializer()?.Value,
                    ISimpleAssignmentOperation assignment => assignment.Value,
                    _ => null,
                };
                CollectionKey? key = value is null ? null : ExpValueOf(value);
                if (key is null || (held is not null && !held.Value.Equals(key.Value)))
                {
                    held = null;
                    break;
                }

                held = key;
            }

            if (held is { } found)
            {
                _expLocals[pair.Key] = found;
            }
        }
    }

    /// <summary>The initializer of a local that is declared with one and never written again, or null.</summary>
    internal IOperation? SingleInitializer(ILocalSymbol local) =>
        _localWrites.TryGetValue(local, out List<IOperation>? writes) && writes.Count == 1 &&
        writes[0] is IVariableDeclaratorOperation declarator
            ? declarator.GetVariableInitializer()?.Value
            : null;

    private void AddWrite(ILocalSymbol local, IOperation write)
    {
        if (!_localWrites.TryGetValue(local, out List<IOperation>? writes))
        {
            _localWrites[local] = writes = [];
        }

        writes.Add(write);
    }
}
