using Microsoft.CodeAnalysis;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>Element-type wording for messages: float overflows exp near 88.7, double near 709.8.</summary>
internal static class TypeNames
{
    public static bool IsFloat(ITypeSymbol? type) => type?.SpecialType == SpecialType.System_Single;

    public static string Keyword(ITypeSymbol? type) => type switch
    {
        ITypeParameterSymbol parameter => parameter.Name,
        { Name: "Half", ContainingNamespace.Name: "System" } => "Half",
        _ => IsFloat(type) ? "float" : "double",
    };

    public static string OverflowPoint(ITypeSymbol? type) => type switch
    {
        ITypeParameterSymbol => "88.7 (float) or 709.8 (double)",
        { Name: "Half", ContainingNamespace.Name: "System" } => "11.09",
        _ => IsFloat(type) ? "88.7" : "709.8",
    };

    /// <summary>How far below the maximum a logit can be before its probability underflows to 0.</summary>
    public static string UnderflowGap(ITypeSymbol? type) => IsFloat(type) ? "103.3" : "744.4";

    /// <summary>The element type of an array, span, list or sequence of float/double, or null.</summary>
    public static ITypeSymbol? ElementType(ITypeSymbol? collection)
    {
        switch (collection)
        {
            case IArrayTypeSymbol array:
                return array.ElementType;
            case INamedTypeSymbol { TypeArguments.Length: 1 } named:
                return named.TypeArguments[0];
            default:
                return null;
        }
    }

    /// <summary>float, double, Half, or a generic-math type parameter: a type a sum of exponentials can be held in.</summary>
    public static bool IsReal(ITypeSymbol? type) =>
        IsFloatingPoint(type) || type is ITypeParameterSymbol || type is { Name: "Half" or "NFloat", ContainingNamespace.Name: "System" or "InteropServices" };

    /// <summary><c>Vector</c>, <c>Vector&lt;T&gt;</c>, <c>Vector64/128/256/512</c> (and their generic forms) of System.Numerics or System.Runtime.Intrinsics.</summary>
    public static bool IsVectorType(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Vector" or "Vector64" or "Vector128" or "Vector256" or "Vector512", ContainingNamespace.Name: "Numerics" or "Intrinsics" };

    public static bool IsFloatingPoint(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double;
}
