using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// The exp, log, pow and reduction APIs the softmax matchers recognise, resolved once per compilation.
/// <see cref="Create"/> returns null when the compilation has no exp API at all, so analyzers register nothing.
/// </summary>
internal sealed class MathSymbols
{
    private readonly ImmutableHashSet<IMethodSymbol> _exp;
    private readonly ImmutableHashSet<IMethodSymbol> _log;
    private readonly ImmutableHashSet<IMethodSymbol> _pow;
    private readonly ImmutableHashSet<IFieldSymbol> _e;

    private MathSymbols(
        ImmutableHashSet<IMethodSymbol> exp,
        ImmutableHashSet<IMethodSymbol> log,
        ImmutableHashSet<IMethodSymbol> pow,
        ImmutableHashSet<IFieldSymbol> e,
        INamedTypeSymbol? enumerable,
        INamedTypeSymbol? tensorPrimitives,
        Compilation compilation)
    {
        Compilation = compilation;
        _exp = exp;
        _log = log;
        _pow = pow;
        _e = e;
        Enumerable = enumerable;
        TensorPrimitives = tensorPrimitives;
    }

    /// <summary>The compilation the symbols come from (helper summaries read its other methods).</summary>
    public Compilation Compilation { get; }

    /// <summary>
    /// Summaries of this compilation's helper methods, computed on first need (see <see cref="HelperSummary"/>), one
    /// cache per nesting level (a summary at level d follows helpers only through level d + 1, so every cached value
    /// is the same whichever method asked first).
    /// </summary>
    public ConcurrentDictionary<IMethodSymbol, HelperSummary>[] Summaries { get; } =
    [
        new(SymbolEqualityComparer.Default),
        new(SymbolEqualityComparer.Default),
        new(SymbolEqualityComparer.Default),
    ];

    /// <summary><c>System.Linq.Enumerable</c>, when referenced.</summary>
    public INamedTypeSymbol? Enumerable { get; }

    /// <summary><c>System.Numerics.Tensors.TensorPrimitives</c>, when referenced.</summary>
    public INamedTypeSymbol? TensorPrimitives { get; }

    public static MathSymbols? Create(Compilation compilation)
    {
        var exp = ImmutableHashSet.CreateBuilder<IMethodSymbol>(SymbolEqualityComparer.Default);
        var log = ImmutableHashSet.CreateBuilder<IMethodSymbol>(SymbolEqualityComparer.Default);
        var pow = ImmutableHashSet.CreateBuilder<IMethodSymbol>(SymbolEqualityComparer.Default);
        var e = ImmutableHashSet.CreateBuilder<IFieldSymbol>(SymbolEqualityComparer.Default);
        foreach (string typeName in new[] { "System.Math", "System.MathF", "System.Single", "System.Double" })
        {
            if (compilation.GetTypeByMetadataName(typeName) is not { } type)
            {
                continue;
            }

            AddUnary(type, "Exp", exp);
            AddUnary(type, "Log", log);
            foreach (ISymbol member in type.GetMembers("Pow"))
            {
                if (member is IMethodSymbol { IsStatic: true, Parameters.Length: 2 } method)
                {
                    pow.Add(method);
                }
            }

            foreach (ISymbol member in type.GetMembers("E"))
            {
                if (member is IFieldSymbol { IsStatic: true } field)
                {
                    e.Add(field);
                }
            }
        }

        // Looking up a type that does not exist searches every reference, so ask only when the assembly is referenced.
        INamedTypeSymbol? tensorPrimitives = References(compilation, "System.Numerics.Tensors")
            ? compilation.GetTypeByMetadataName("System.Numerics.Tensors.TensorPrimitives")
            : null;
        if (exp.Count == 0 && tensorPrimitives is null)
        {
            return null;
        }

        return new MathSymbols(
            exp.ToImmutable(),
            log.ToImmutable(),
            pow.ToImmutable(),
            e.ToImmutable(),
            compilation.GetTypeByMetadataName("System.Linq.Enumerable"),
            tensorPrimitives,
            compilation);
    }

    private static bool References(Compilation compilation, string assemblyName)
    {
        foreach (AssemblyIdentity identity in compilation.ReferencedAssemblyNames)
        {
            if (identity.Name == assemblyName)
            {
                return true;
            }
        }

        return false;
    }

    private static void AddUnary(INamedTypeSymbol type, string name, ImmutableHashSet<IMethodSymbol>.Builder into)
    {
        foreach (ISymbol member in type.GetMembers(name))
        {
            if (member is IMethodSymbol { IsStatic: true, Parameters.Length: 1 } method)
            {
                into.Add(method);
            }
        }
    }

    public bool IsExp(IMethodSymbol method) => _exp.Contains(method.OriginalDefinition) || IsNamed(method, "Exp", "exp", "IExponentialFunctions");

    public bool IsLog(IMethodSymbol method) => _log.Contains(method.OriginalDefinition) || IsNamed(method, "Log", "log", "ILogarithmicFunctions");

    /// <summary>
    /// By name and containing type (no reference needed): generic math <c>T.Exp</c> (<c>IExponentialFunctions&lt;T&gt;</c>),
    /// <c>Half.Exp</c>, <c>Vector.Exp</c> / <c>Vector128/256/512.Exp</c>, Unity's <c>Mathf.Exp</c> and <c>Unity.Mathematics.math.exp</c>.
    /// </summary>
    private static bool IsNamed(IMethodSymbol method, string name, string lowerName, string genericInterface) =>
        method is { IsStatic: true, Parameters.Length: 1 } &&
        method.ContainingType is { } type &&
        ((method.Name == name && (type.Name == genericInterface || type.Name is "Half" or "Mathf" || TypeNames.IsVectorType(type))) ||
         (method.Name == lowerName && type.Name == "math" && type.ContainingNamespace?.Name == "Mathematics"));

    public bool IsPow(IMethodSymbol method) => _pow.Contains(method.OriginalDefinition);

    public bool IsE(IFieldSymbol field) => _e.Contains(field.OriginalDefinition);

    /// <summary>A cheap first test: could this method take part in a softmax-family computation?</summary>
    public bool IsInteresting(IMethodSymbol method) =>
        IsExp(method) || IsPow(method) ||
        (TensorPrimitives is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, TensorPrimitives));

    public bool IsEnumerable(IMethodSymbol method, string name) =>
        Enumerable is not null && method.Name == name &&
        SymbolEqualityComparer.Default.Equals(method.ContainingType, Enumerable);

    public bool IsTensorPrimitives(IMethodSymbol method, string name) =>
        TensorPrimitives is not null && method.Name == name &&
        SymbolEqualityComparer.Default.Equals(method.ContainingType, TensorPrimitives);
}
