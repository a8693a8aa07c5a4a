using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SoftmaxGen.Diagnostics;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation;

/// <summary>The <c>Normalizer</c> and <c>NormalizerDerivative</c> properties: a built-in φ, or static methods of the containing type.</summary>
internal static partial class KernelParser
{
    private const string NormalizerProperty = "Normalizer";
    private const string DerivativeProperty = "NormalizerDerivative";

    /// <summary>
    /// The kernel's φ, or null when none is named (or when <c>[Softmax]</c> names exp, which is the ordinary kernel). Problems:
    /// an unknown name (SMX0026), a method that is not static (SMX0027) or not <c>static T M(T)</c> (SMX0028), a user φ without
    /// φ′ on the Jacobian or backward kernel (SMX0029), and a combination with Base, a mask or a needless derivative (SMX0030).
    /// </summary>
    private static NormalizerSpec? ParseNormalizer(
        IMethodSymbol method, AttributeData attribute, AttributeSyntax syntax, OperationInfo operation, ElementType element,
        KernelSignature signature, double? numberBase, Problems problems)
    {
        string? name = NamedString(attribute, NormalizerProperty);
        string? derivative = NamedString(attribute, DerivativeProperty);
        NormalizerKind? builtIn = name is null ? null : NormalizerSpec.BuiltIn(name);
        if (derivative is not null && (name is null || builtIn is not null))
        {
            problems.Add(Descriptors.UnsupportedNormalizerCombination, NamedArgument(syntax, DerivativeProperty), DerivativeProperty,
                name is null ? "an unset Normalizer (exp needs no derivative)" : $"Normalizer = {name} (a built-in knows its derivative)");
        }

        if (name is null)
        {
            return null;
        }

        SyntaxNode location = NamedArgument(syntax, NormalizerProperty);
        if (numberBase is not null)
        {
            problems.Add(Descriptors.UnsupportedNormalizerCombination, location, NormalizerProperty, "Base");
        }

        if (signature.Slots.Contains(SlotKind.Mask))
        {
            problems.Add(Descriptors.UnsupportedNormalizerCombination, location, NormalizerProperty, "a mask parameter");
        }

        if (builtIn is { } kind)
        {
            return kind == NormalizerKind.Exp && operation.Op == KernelOp.Softmax ? null : new NormalizerSpec(kind, null, null);
        }

        CheckNormalizerMethod(method.ContainingType, name, NormalizerProperty, element, location, problems);
        if (operation.Op != KernelOp.Softmax)
        {
            if (derivative is null)
            {
                problems.Add(Descriptors.MissingNormalizerDerivative, location, operation.AttributeName, name, Keyword(element));
            }
            else
            {
                CheckNormalizerMethod(method.ContainingType, derivative, DerivativeProperty, element, NamedArgument(syntax, DerivativeProperty), problems);
            }
        }

        return new NormalizerSpec(NormalizerKind.User, EscapeIdentifier(name), derivative is null ? null : EscapeIdentifier(derivative));
    }

    private static string? NamedString(AttributeData attribute, string name) =>
        attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value as string;

    /// <summary>
    /// Finds a <c>static T name(T z)</c> in the containing type or a base type (not a private one there), as the kernel's
    /// simple-name call binds. Reports the closest miss: no method, a fitting one that is not static, or none that fits.
    /// </summary>
    private static void CheckNormalizerMethod(
        INamedTypeSymbol? type, string name, string property, ElementType element, SyntaxNode location, Problems problems)
    {
        SpecialType t = element == ElementType.Single ? SpecialType.System_Single : SpecialType.System_Double;
        IMethodSymbol[] candidates = [.. Candidates(type, name)];
        bool Fits(IMethodSymbol m) => m.Parameters.Length == 1 && m.Parameters[0].RefKind == RefKind.None && m.Parameters[0].Type.SpecialType == t &&
            m.ReturnType.SpecialType == t && !m.ReturnsByRef && !m.ReturnsByRefReadonly && m.TypeParameters.Length == 0;

        if (candidates.Length == 0)
        {
            problems.Add(Descriptors.NormalizerNotFound, location, property, name, type?.Name ?? "(none)", Keyword(element));
        }
        else if (!candidates.Any(m => m.IsStatic && Fits(m)))
        {
            if (candidates.FirstOrDefault(Fits) is { } instance)
            {
                problems.Add(Descriptors.NormalizerNotStatic, location, property, instance.Name);
            }
            else
            {
                problems.Add(Descriptors.InvalidNormalizerSignature, location, property, name, Keyword(element));
            }
        }
    }

    private static System.Collections.Generic.IEnumerable<IMethodSymbol> Candidates(INamedTypeSymbol? type, string name)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers(name))
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } m && (SymbolEqualityComparer.Default.Equals(current, type) || m.DeclaredAccessibility != Accessibility.Private))
                {
                    yield return m;
                }
            }
        }
    }
}
