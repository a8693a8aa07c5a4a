using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// Helpers of the same compilation: a method or local function called from the analysed body is summarised once
/// (<see cref="HelperSummary"/>, cached per compilation in <see cref="MathSymbols.Summaries"/>) by running the
/// matcher's index, exp-source, flow and sum passes on the helper's own body. A summary looks into further helpers
/// up to three levels deep, with one cache per level, so it does not depend on the order in which methods are analysed.
/// </summary>
internal sealed partial class SoftmaxMatcher
{
    /// <summary>Helpers longer than this (in characters) are not summarised: a helper that normalises is short.</summary>
    private const int MaxHelperLength = 4000;

    /// <summary>How deep in helper summaries this matcher runs: 0 for an analysed body.</summary>
    private readonly int _depth;

    /// <summary>Whether this matcher may use helper summaries (at most <see cref="MathSymbols.Summaries"/>.Length levels deep).</summary>
    private bool FollowsHelpers => _depth < _symbols.Summaries.Length;

    /// <summary>Some part of the body's softmax was matched through a helper summary (the fixes then stay away).</summary>
    private bool _usedHelper;

    private SoftmaxMatcher(MathSymbols symbols, int depth)
    {
        _symbols = symbols;
        _depth = depth;
    }

    /// <summary>The summary of the method an invocation calls, when it is a helper of this compilation; <see cref="HelperSummary.None"/> otherwise.</summary>
    private HelperSummary SummaryOf(IInvocationOperation invocation)
    {
        IMethodSymbol method = (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).OriginalDefinition;
        if (!FollowsHelpers || method.Parameters.Length == 0 || method.DeclaringSyntaxReferences.Length != 1)
        {
            return HelperSummary.None;
        }

        int depth = _depth + 1;
        return _symbols.Summaries[_depth].GetOrAdd(method, m => Summarize(m, _symbols, depth));
    }

    /// <summary>The argument passed for the parameter with this ordinal.</summary>
    private static IOperation? ArgumentFor(IInvocationOperation invocation, int ordinal)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>The collection passed for a collection parameter of a helper, when the summary names one.</summary>
    private CollectionKey? HelperArgument(IInvocationOperation invocation, int ordinal)
    {
        if (ordinal < 0 || ArgumentFor(invocation, ordinal) is not { } argument)
        {
            return null;
        }

        _usedHelper = true;
        return ExpSequenceOf(argument);
    }

    /// <summary>For BoundsAnalysis: the collection a helper returns the maximum (or minimum) of.</summary>
    internal CollectionKey? HelperExtremeOf(IInvocationOperation invocation, bool minimum)
    {
        HelperSummary summary = SummaryOf(invocation);
        int ordinal = minimum ? summary.MinOf : summary.MaxOf;
        return ordinal >= 0 ? CollectionKey.Of(ArgumentFor(invocation, ordinal)) : null;
    }

    /// <summary>Every write of a local in the body (declaration, assignments, increments, ref arguments), or null.</summary>
    internal List<IOperation>? WritesOf(ILocalSymbol local) =>
        _localWrites.TryGetValue(local, out List<IOperation>? writes) ? writes : null;

    /// <summary>The collection an element read belongs to (<c>x[i]</c>, a foreach variable, a lambda parameter), or null.</summary>
    internal CollectionKey? ElementKey(IOperation? operation) => ElementOf(operation)?.Key;

    /// <summary>
    /// A call of a helper that takes exp: a wrapper applied to an element (<c>SafeExp(x[i])</c>: its argument), or
    /// a helper returning or storing exp of each element of a collection (a <see cref="ExpSiteKind.Helper"/> site).
    /// </summary>
    private ExpSite? HelperSite(IInvocationOperation invocation, out IOperation? wrappedArgument)
    {
        wrappedArgument = null;
        if (!FollowsHelpers || invocation.TargetMethod.DeclaringSyntaxReferences.IsEmpty || invocation.Arguments.Length == 0)
        {
            return null;
        }

        // Cheap tests first: only calls that pass an element or a collection are worth a summary.
        bool passesElement = invocation.Arguments.Any(a => ReadsElement(a.Value));
        bool passesCollection = invocation.Arguments.Any(a => CollectionKey.Of(a.Value) is not null && TypeNames.ElementType(a.Value.Type) is { } e && TypeNames.IsReal(e));
        if (!passesElement && !passesCollection)
        {
            return null;
        }

        // A helper that takes exp names an exp in its own text (a per-tree index lookup, no binding): most calls of
        // a numerics codebase's own functions (Gamma(x[i]), Dot(a, b)) stop here.
        SyntaxReference declaration = invocation.TargetMethod.DeclaringSyntaxReferences[0];
        NameIndex helperIndex = NameIndex.For(declaration.SyntaxTree);
        if (!helperIndex.HasExp(declaration.Span) && !helperIndex.HasExpLike(declaration.Span))
        {
            return null;
        }

        HelperSummary summary = SummaryOf(invocation);
        if (passesElement && summary.ExpOf >= 0)
        {
            wrappedArgument = ArgumentFor(invocation, summary.ExpOf);
            _usedHelper |= wrappedArgument is not null;
            return null;
        }

        int ordinal = summary.ExpsOf >= 0 ? summary.ExpsOf : summary.ExpsInPlace;
        if (ordinal < 0 || ArgumentFor(invocation, ordinal) is not { } argument || CollectionKey.Of(argument) is not { } key)
        {
            return null;
        }

        _usedHelper = true;
        return new ExpSite
        {
            Kind = ExpSiteKind.Helper,
            Node = invocation,
            Value = invocation,
            Collection = key,
            Destination = summary.ExpsOf >= 0 ? null : key,
            ViaHelper = true,
            ValueType = TypeNames.ElementType(argument.Type),
        };
    }

    /// <summary>A helper's sum of a collection of exps (<c>Sum(exps)</c>), or null.</summary>
    private CollectionKey? HelperSumOf(IInvocationOperation invocation) =>
        invocation.TargetMethod.DeclaringSyntaxReferences.IsEmpty || !PassesExps(invocation) ? null : HelperArgument(invocation, SummaryOf(invocation).SumOf);

    /// <summary>Whether some argument is a sequence of exps (only then is a Sum or Normalize helper worth summarising).</summary>
    private bool PassesExps(IInvocationOperation invocation)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (ExpSequenceOf(argument.Value) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A helper normalising exps: <c>Normalize(exps)</c> (by their own sum) or <c>Divide(exps, sum)</c>; the exps' collection.</summary>
    private CollectionKey? HelperNormalisationOf(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.DeclaringSyntaxReferences.IsEmpty || !PassesExps(invocation))
        {
            return null;
        }

        HelperSummary summary = SummaryOf(invocation);
        if (HelperArgument(invocation, summary.Normalises) is { } normalised)
        {
            return normalised;
        }

        return summary.Divisor >= 0 && HelperArgument(invocation, summary.Divided) is { } divided &&
            SumOf(ArgumentFor(invocation, summary.Divisor)) is { } sum && sum.Equals(divided)
            ? divided
            : null;
    }

    private static HelperSummary Summarize(IMethodSymbol method, MathSymbols symbols, int depth)
    {
        SyntaxNode syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        if (syntax is not (BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax) || syntax.Span.Length > MaxHelperLength ||
            !symbols.Compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return HelperSummary.None;
        }

        // The helper is usually in another member, often another file. The analyzer driver caches semantic models
        // per tree, and each helper is summarised once per compilation.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
        SemanticModel model = symbols.Compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
        if (model.GetOperation(syntax) is not { } root)
        {
            return HelperSummary.None;
        }

        return new SoftmaxMatcher(symbols, depth).Summarize(method, root);
    }

    private HelperSummary Summarize(IMethodSymbol method, IOperation root)
    {
        _all.AddRange(root.DescendantsAndSelf());
        CollectSources();
        CollectLocalWrites();
        CollectSites();
        CollectExpLocals();
        CollectContainers();
        CollectSums();

        var returned = new List<IOperation>();
        var yielded = new List<IOperation>();
        foreach (IOperation operation in _all)
        {
            if (operation is IReturnOperation { ReturnedValue: { } value } ret && !HasFunctionBetween(ret, root))
            {
                (ret.Kind == OperationKind.YieldReturn ? yielded : returned).Add(value);
            }
        }

        int normalises = -1, divided = -1, divisor = -1;
        foreach (IOperation operation in _all)
        {
            if (NormalisedElement(operation) is not ({ } element, { } by))
            {
                continue;
            }

            if (ElementSumOf(by) is { } total && total.Equals(element) && ParameterOrdinal(element) is >= 0 and var n)
            {
                normalises = n;
            }
            else if (Operations.Unwrap(by) is IParameterReferenceOperation scalar && TypeNames.IsReal(scalar.Type) && ParameterOrdinal(element) is >= 0 and var d)
            {
                divided = d;
                divisor = scalar.Parameter.Ordinal;
            }
        }

        return new HelperSummary
        {
            ExpOf = Agreed(returned, v => v.ConstantValue.HasValue ? -2 : ExpOfParameter(v)),
            ExpsOf = yielded.Count > 0
                ? Agreed(yielded, v => ParameterOrdinal(Unshifted(ExpValueOf(v))))
                : Agreed(returned, v => ParameterOrdinal(Unshifted(ExpSequenceOf(v)))),
            ExpsInPlace = method.ReturnsVoid
                ? _containers.Where(p => p.Key.Equals(p.Value)).Select(p => ParameterOrdinal(Unshifted(p.Key))).DefaultIfEmpty(-1).Max()
                : -1,
            SumOf = Agreed(returned, v => ParameterOrdinal(ElementSumOf(v))),
            MaxOf = Agreed(returned, v => ParameterOrdinal(BoundsAnalysis.ExtremeOf(v, this, minimum: false))),
            MinOf = Agreed(returned, v => ParameterOrdinal(BoundsAnalysis.ExtremeOf(v, this, minimum: true))),
            Normalises = normalises,
            Divided = divisor >= 0 ? divided : -1,
            Divisor = divisor,
        };
    }

    /// <summary>The collection, unless the helper already shifts some of its exponentials (then its callers are stable).</summary>
    private CollectionKey? Unshifted(CollectionKey? key) =>
        key is { } k && _sites.Any(s => s.Collection.Equals(k) && s.Shifted) ? null : key;

    /// <summary>The one ordinal every value agrees on (−2 means "no opinion", e.g. a constant), or −1.</summary>
    private static int Agreed(List<IOperation> values, System.Func<IOperation, int> ordinal)
    {
        int found = -1;
        foreach (IOperation value in values)
        {
            int k = ordinal(value);
            if (k == -2)
            {
                continue;
            }

            if (k < 0 || (found >= 0 && found != k))
            {
                return -1;
            }

            found = k;
        }

        return found;
    }

    private static int ParameterOrdinal(CollectionKey? key) =>
        key is { Root: IParameterSymbol parameter, Member: null, Row: null } ? parameter.Ordinal : -1;

    /// <summary>exp(p) for a scalar parameter p, also clamped (<c>Math.Exp(Math.Min(p, 80))</c>) or through a local.</summary>
    private int ExpOfParameter(IOperation value)
    {
        IOperation? unwrapped = Operations.Unwrap(value);
        if (unwrapped is ILocalReferenceOperation local && SingleInitializer(local.Local) is { } initial)
        {
            unwrapped = Operations.Unwrap(initial);
        }

        if (unwrapped is not IInvocationOperation invocation)
        {
            return -1;
        }

        IOperation? argument =
            _symbols.IsExp(invocation.TargetMethod) && invocation.Arguments.Length == 1 ? invocation.Arguments[0].Value :
            _symbols.IsPow(invocation.TargetMethod) && invocation.Arguments.Length == 2 &&
            Operations.Unwrap(invocation.Arguments[0].Value) is IFieldReferenceOperation { Field: var e } && _symbols.IsE(e) ? invocation.Arguments[1].Value :
            null;
        return ClampedParameter(argument);
    }

    private static int ClampedParameter(IOperation? argument)
    {
        switch (Operations.Unwrap(argument))
        {
            case IParameterReferenceOperation parameter when TypeNames.IsReal(parameter.Type):
                return parameter.Parameter.Ordinal;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } tempered when !ReadsParameter(tempered.RightOperand, tempered.LeftOperand):
                // exp(p / T): a Boltzmann wrapper (expt(q, T)).
                return ClampedParameter(tempered.LeftOperand);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } scaled
                when ClampedParameter(scaled.LeftOperand) is >= 0 and var left && !ReadsParameter(scaled.RightOperand, scaled.LeftOperand):
                return left;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } scaled
                when ClampedParameter(scaled.RightOperand) is >= 0 and var right && !ReadsParameter(scaled.LeftOperand, scaled.RightOperand):
                return right;
            case IInvocationOperation { TargetMethod.Name: "Min" or "Max" or "Clamp" } clamp:
                IArgumentOperation[] varying = clamp.Arguments.Where(a => !a.Value.ConstantValue.HasValue).ToArray();
                return varying.Length == 1 ? ClampedParameter(varying[0].Value) : -1;
            default:
                return -1;
        }
    }

    /// <summary>Whether <paramref name="factor"/> reads the parameter that <paramref name="scaled"/> is (exp(p / p) is no wrapper).</summary>
    private static bool ReadsParameter(IOperation factor, IOperation scaled) =>
        Operations.Unwrap(scaled) is IParameterReferenceOperation p &&
        factor.DescendantsAndSelf().OfType<IParameterReferenceOperation>().Any(r => SymbolEqualityComparer.Default.Equals(r.Parameter, p.Parameter));

    /// <summary>Σ x_i of a plain collection x: <c>x.Sum()</c>, <c>TensorPrimitives.Sum(x)</c>, or a local accumulating its elements.</summary>
    private CollectionKey? ElementSumOf(IOperation? operation)
    {
        IOperation? unwrapped = Operations.Unwrap(operation);
        switch (unwrapped)
        {
            case IInvocationOperation { Arguments.Length: 1 } sum
                when _symbols.IsEnumerable(sum.TargetMethod, "Sum") || _symbols.IsTensorPrimitives(sum.TargetMethod, "Sum"):
                return CollectionKey.Of(sum.Arguments[0].Value);
            case IInvocationOperation helper when !helper.TargetMethod.DeclaringSyntaxReferences.IsEmpty && SummaryOf(helper).SumOf is >= 0 and var ordinal:
                // A Sum helper of the compilation (input.Sum() of an own extension method).
                return CollectionKey.Of(ArgumentFor(helper, ordinal));
            case ILocalReferenceOperation local when _localWrites.TryGetValue(local.Local, out List<IOperation>? writes):
                CollectionKey? summed = null;
                foreach (IOperation write in writes)
                {
                    IOperation? initial = write switch
                    {
                        IVariableDeclaratorOperation declarator => declarator.GetVariableInitializer()?.Value,
                        ISimpleAssignmentOperation assignment => assignment.Value,
                        _ => null,
                    };
                    if (write is IVariableDeclaratorOperation or ISimpleAssignmentOperation && (initial is null || Operations.IsZero(initial)))
                    {
                        continue;
                    }

                    CollectionKey? term = write switch
                    {
                        IVariableDeclaratorOperation when Operations.Unwrap(initial) is IInvocationOperation call => ElementSumOf(call),
                        ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } compound => ElementOf(compound.Value)?.Key,
                        _ => null,
                    };
                    if (term is null || (summed is not null && !summed.Value.Equals(term.Value)))
                    {
                        return null;
                    }

                    summed = term;
                }

                return summed;
            default:
                return null;
        }
    }

    /// <summary>An element of a collection divided (or multiplied by a reciprocal): <c>v[i] /= s</c>, <c>v[i] / s</c>, <c>v[i] *= 1 / s</c>; the collection and s.</summary>
    private (CollectionKey? Element, IOperation? By) NormalisedElement(IOperation operation)
    {
        switch (operation)
        {
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Divide } compound:
                return (ContainerElement(compound.Target) ?? ElementOf(compound.Target)?.Key, compound.Value);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } divide:
                return (ElementOf(divide.LeftOperand)?.Key, divide.RightOperand);
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Multiply } compound when ReciprocalDenominator(compound.Value) is { } by:
                return (ContainerElement(compound.Target) ?? ElementOf(compound.Target)?.Key, by);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } multiply when ReciprocalDenominator(multiply.RightOperand) is { } by:
                return (ElementOf(multiply.LeftOperand)?.Key, by);
            default:
                return (null, null);
        }
    }

    /// <summary>s of <c>1 / s</c>, inline or through a local initialised with it.</summary>
    private IOperation? ReciprocalDenominator(IOperation? operation)
    {
        IOperation? unwrapped = Operations.Unwrap(operation);
        if (unwrapped is ILocalReferenceOperation local && SingleInitializer(local.Local) is { } initial)
        {
            unwrapped = Operations.Unwrap(initial);
        }

        return unwrapped is IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } divide && Operations.IsOne(divide.LeftOperand)
            ? divide.RightOperand
            : null;
    }
}
