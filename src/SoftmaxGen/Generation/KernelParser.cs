using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SoftmaxGen.Diagnostics;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation;

/// <summary>
/// Turns an attributed method into a <see cref="KernelSpec"/>, or explains why it cannot.
/// The generator calls it with no reporter (an invalid method simply yields no code); the usage analyzer
/// calls it with one. Both therefore agree, by construction, on what is valid.
/// </summary>
internal static partial class KernelParser
{
    private const string SpanName = "System.Span<T>";
    private const string ReadOnlySpanName = "System.ReadOnlySpan<T>";

    /// <summary>
    /// Parses <paramref name="method"/> carrying <paramref name="attribute"/>. Returns null when the method is not a
    /// valid kernel; each problem found goes to <paramref name="report"/> when one is given.
    /// </summary>
    public static KernelSpec? Parse(
        IMethodSymbol method,
        AttributeData attribute,
        OperationInfo operation,
        Action<Diagnostic>? report,
        CancellationToken cancellationToken,
        ImmutableArray<AdditionalText> additionalFiles = default)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax attributeSyntax ||
            attributeSyntax.Parent?.Parent is not MethodDeclarationSyntax syntax ||
            attribute.AttributeConstructor is null)
        {
            // Not a method declaration (the analyzer reports SMX0009), or the attribute itself does not bind (CSxxxx).
            return null;
        }

        var problems = new Problems(report);
        if (attributeSyntax.Parent is AttributeListSyntax { Target: { } target } && !target.Identifier.IsKind(SyntaxKind.MethodKeyword))
        {
            // [return: Softmax]: the analyzer reports SMX0009 without calling Parse; the generator writes only a placeholder.
            problems.Add(Descriptors.AttributeOnInvalidTarget, attributeSyntax, operation.AttributeName);
            return null;
        }

        if (CountKernelAttributes(method) > 1)
        {
            problems.Add(Descriptors.MultipleKernelAttributes, syntax.Identifier, method.Name);
            return null;
        }

        if (!method.IsStatic)
        {
            problems.Add(Descriptors.MethodMustBeStatic, syntax.Identifier, method.Name, operation.AttributeName);
        }

        bool isPartial = syntax.Modifiers.Any(SyntaxKind.PartialKeyword);
        if (!isPartial || syntax.Body is not null || syntax.ExpressionBody is not null || InvalidDeclarations.HasUserImplementation(method, syntax, cancellationToken))
        {
            problems.Add(Descriptors.MethodMustBePartialDefinition, syntax.Identifier, method.Name, operation.AttributeName);
        }

        if (syntax.TypeParameterList is { } typeParameters)
        {
            problems.Add(Descriptors.MethodMustNotBeGeneric, typeParameters, method.Name, operation.AttributeName);
        }

        if (InvalidDeclarations.NeededLanguageFeature(syntax) is { } needs)
        {
            problems.Add(Descriptors.NeedsNewerLanguageVersion, syntax.Identifier, method.Name, operation.AttributeName, needs.Feature, needs.Version);
        }

        EquatableArray<TypeDeclaration> containingTypes = ParseContainingTypes(syntax, method.Name, problems);
        if (!syntax.Ancestors().OfType<TypeDeclarationSyntax>().Any())
        {
            problems.Add(Descriptors.ContainingTypeMustBePartial, syntax.Identifier, "(none)", method.Name); // a method outside any type (CS0116)
        }

        if (problems.Stop)
        {
            return null;
        }

        int k = ParseK(attribute, attributeSyntax, operation, problems);
        double? temperature = operation.HasTemperature ? ParseTemperature(attribute, attributeSyntax, problems) : null;
        bool zeroMasked = attribute.NamedArguments.Any(a => a.Key == "ZeroFullyMaskedRows" && a.Value.Value is true);
        double labelSmoothing = ParseLabelSmoothing(attribute, attributeSyntax, problems);
        int? ignoreIndex = attribute.NamedArguments.FirstOrDefault(a => a.Key == "IgnoreIndex").Value.Value as int?;
        double? numberBase = ParseBase(attribute, attributeSyntax, problems);
        (int? topK, double? topP) = ParseTruncation(attribute, attributeSyntax, k, problems);
        HierarchySpec? hierarchy = operation.Op == KernelOp.HierarchicalSoftmax ? ParseHierarchy(attribute, attributeSyntax, method, syntax, additionalFiles, problems) : null;

        // Signature: the operation's slots, then an optional runtime temperature of the element type.
        ParameterListSyntax parameterSyntax = syntax.ParameterList;
        var parameters = method.Parameters;
        KernelSignature? signature = MatchSignature(operation, method, out bool hasRuntimeTemperature);
        if (signature is null)
        {
            problems.Add(Descriptors.InvalidParameterList, parameterSyntax, method.Name, operation.AttributeName, parameters.Length, operation.Forms);
            return null;
        }

        ImmutableArray<SlotKind> slots = signature.Slots;
        ElementType? element = FirstElementType(parameters, slots);
        for (int i = 0; i < slots.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            CheckSlot(parameters[i], ParameterSyntaxAt(parameterSyntax, i), slots[i], element, method.Name, problems);
        }

        if (hasRuntimeTemperature)
        {
            IParameterSymbol t = parameters[parameters.Length - 1];
            SyntaxNode tSyntax = ParameterSyntaxAt(parameterSyntax, parameters.Length - 1);
            ElementType? tType = ScalarElementType(t.Type);
            if (tType is null || t.RefKind != RefKind.None)
            {
                problems.Add(Descriptors.InvalidParameterType, tSyntax, t.Name, method.Name,
                    $"'{Keyword(element ?? ElementType.Single)} temperature' (passed by value), or a span");
            }
            else if (element is not null && tType != element)
            {
                problems.Add(Descriptors.MismatchedElementTypes, tSyntax, t.Name, Keyword(tType.Value), Keyword(element.Value));
            }
            else if (temperature is not null)
            {
                problems.Add(Descriptors.TemperatureSpecifiedTwice, tSyntax, method.Name, operation.AttributeName);
            }
        }

        string expectedReturn = signature.Result switch
        {
            ResultKind.Element => Keyword(element ?? ElementType.Single),
            ResultKind.Index => "int",
            _ => "void",
        };
        if (!ReturnMatches(method, signature.Result, element))
        {
            problems.Add(Descriptors.InvalidReturnType, syntax.ReturnType, method.Name, operation.AttributeName, expectedReturn);
        }

        NormalizerSpec? normalizer = element is { } e ? ParseNormalizer(method, attribute, attributeSyntax, operation, e, signature, numberBase, problems) : null;
        bool hard = ParseHard(attribute, attributeSyntax, operation, signature, method.Name, problems);
        if (problems.Any || element is null)
        {
            return null;
        }

        var kernelParameters = new KernelParameter[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            IParameterSymbol p = parameters[i];
            kernelParameters[i] = new KernelParameter(
                EscapeIdentifier(p.Name),
                p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                p.ScopedKind == ScopedKind.ScopedValue ? "scoped " : string.Empty);
        }

        string? ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        return new KernelSpec(
            ns,
            containingTypes,
            EscapeIdentifier(method.Name),
            string.Join(" ", syntax.Modifiers.Select(m => m.Text)),
            operation.Op,
            signature.Form,
            element.Value,
            k,
            temperature,
            zeroMasked && operation.HasMaskOption,
            new EquatableArray<KernelParameter>(kernelParameters),
            hasRuntimeTemperature,
            HintName(ns, containingTypes, method),
            signature,
            labelSmoothing,
            ignoreIndex,
            numberBase,
            topK,
            topP,
            hard,
            hierarchy)
        {
            Normalizer = normalizer,
        };
    }

    private static int CountKernelAttributes(IMethodSymbol method)
    {
        int count = 0;
        foreach (AttributeData a in method.GetAttributes())
        {
            if (a.AttributeClass is { } c && KernelOperations.FromMetadataName(MetadataName(c)) is not null)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Namespace-qualified metadata name of a type, e.g. <c>SoftmaxGen.SoftmaxAttribute</c>.</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        if (type.ContainingType is not null)
        {
            return MetadataName(type.ContainingType) + "+" + type.MetadataName;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns
            ? ns.ToDisplayString() + "." + type.MetadataName
            : type.MetadataName;
    }

    /// <summary>The containing types as the generator re-declares them, or null when one of them cannot take a generated part.</summary>
    internal static EquatableArray<TypeDeclaration>? PartialContainingTypes(MethodDeclarationSyntax syntax)
    {
        var problems = new Problems(null);
        EquatableArray<TypeDeclaration> types = ParseContainingTypes(syntax, string.Empty, problems);
        return problems.Any ? null : types;
    }

    private static EquatableArray<TypeDeclaration> ParseContainingTypes(MethodDeclarationSyntax syntax, string methodName, Problems problems)
    {
        var types = new List<TypeDeclaration>();
        for (SyntaxNode? node = syntax.Parent; node is not null; node = node.Parent)
        {
            if (node is not TypeDeclarationSyntax type)
            {
                continue;
            }

            // A file-local type cannot have a part in the generator's file.
            bool supported = type is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax &&
                             !type.Modifiers.Any(SyntaxKind.FileKeyword);
            if (!supported || !type.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                problems.Add(Descriptors.ContainingTypeMustBePartial, type.Identifier, type.Identifier.ValueText, methodName);
                continue;
            }

            string keyword = type is RecordDeclarationSyntax record && !record.ClassOrStructKeyword.IsKind(SyntaxKind.None)
                ? "record " + record.ClassOrStructKeyword.Text
                : type.Keyword.Text;
            // 'ref' must be repeated on every part of a ref struct, before 'partial'.
            string modifiers = type.Modifiers.Any(SyntaxKind.RefKeyword) ? "ref " : string.Empty;

            string typeParameters = type.TypeParameterList is { } list
                ? "<" + string.Join(", ", list.Parameters.Select(p => EscapeIdentifier(p.Identifier.ValueText))) + ">"
                : string.Empty;
            types.Insert(0, new TypeDeclaration(modifiers, keyword, EscapeIdentifier(type.Identifier.ValueText), typeParameters));
        }

        return new EquatableArray<TypeDeclaration>(types.ToArray());
    }

    private static int ParseK(AttributeData attribute, AttributeSyntax syntax, OperationInfo operation, Problems problems)
    {
        if (attribute.ConstructorArguments.Length == 0)
        {
            return 0;
        }

        object? value = attribute.ConstructorArguments[0].Value;
        if (value is int k && k >= 1 && k <= operation.MaxK)
        {
            return k;
        }

        SyntaxNode location = syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null) ?? (SyntaxNode)syntax;
        problems.Add(Descriptors.RowLengthOutOfRange, location, value ?? "null", operation.AttributeName, operation.MaxK);
        return 0;
    }

    private static double? ParseTemperature(AttributeData attribute, AttributeSyntax syntax, Problems problems)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key != "Temperature" || argument.Value.Value is not double t)
            {
                continue;
            }

            if (t > 0 && t <= double.MaxValue)
            {
                return t;
            }

            SyntaxNode location = syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Temperature") ?? (SyntaxNode)syntax;
            problems.Add(Descriptors.InvalidTemperature, location, t.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            return null;
        }

        return null;
    }

    /// <summary>The compile-time base b: finite, greater than 0 and not 1 (b = 1 makes every entry equal, b ≤ 0 has no real powers).</summary>
    private static double? ParseBase(AttributeData attribute, AttributeSyntax syntax, Problems problems)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key != "Base" || argument.Value.Value is not double b)
            {
                continue;
            }

            if (b > 0 && b <= double.MaxValue && b != 1)
            {
                return b;
            }

            SyntaxNode location = syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Base") ?? (SyntaxNode)syntax;
            problems.Add(Descriptors.InvalidBase, location, b.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            return null;
        }

        return null;
    }

    private static double ParseLabelSmoothing(AttributeData attribute, AttributeSyntax syntax, Problems problems)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key != "LabelSmoothing" || argument.Value.Value is not double epsilon)
            {
                continue;
            }

            if (epsilon >= 0 && epsilon < 1)
            {
                return epsilon;
            }

            SyntaxNode location = syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "LabelSmoothing") ?? (SyntaxNode)syntax;
            problems.Add(Descriptors.InvalidLabelSmoothing, location, epsilon.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }

        return 0;
    }

    /// <summary>
    /// [SoftmaxSample]'s TopK (1 ≤ k, and k ≤ K when K is given) and TopP (0 &lt; p ≤ 1). Values that keep every entry
    /// (k = K, p = 1) are dropped, so the kernel has no truncation pass for them.
    /// </summary>
    private static (int? TopK, double? TopP) ParseTruncation(AttributeData attribute, AttributeSyntax syntax, int k, Problems problems)
    {
        int? topK = null;
        double? topP = null;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == "TopK" && argument.Value.Value is int top)
            {
                if (top < 1 || (k > 0 && top > k))
                {
                    problems.Add(Descriptors.InvalidTopK, NamedArgument(syntax, "TopK"), top, k > 0 ? $"from 1 to K = {k}" : "at least 1");
                }
                else if (top != k)
                {
                    topK = top;
                }
            }
            else if (argument.Key == "TopP" && argument.Value.Value is double p)
            {
                if (!(p > 0 && p <= 1))
                {
                    problems.Add(Descriptors.InvalidTopP, NamedArgument(syntax, "TopP"), p.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                }
                else if (p < 1)
                {
                    topP = p;
                }
            }
        }

        return (topK, topP);
    }

    /// <summary>
    /// [GumbelSoftmax]'s Hard: true exactly when the signature has two outputs (hard, soft). A mismatch is reported on the
    /// Hard argument when it is written, else on the attribute (where Hard = true belongs).
    /// </summary>
    private static bool ParseHard(AttributeData attribute, AttributeSyntax syntax, OperationInfo operation, KernelSignature signature, string methodName, Problems problems)
    {
        if (operation.Op != KernelOp.GumbelSoftmax)
        {
            return false;
        }

        bool hard = attribute.NamedArguments.Any(a => a.Key == "Hard" && a.Value.Value is true);
        bool twoOutputs = signature.Slots.Count(s => s == SlotKind.Output) == 2;
        if (hard != twoOutputs)
        {
            problems.Add(Descriptors.HardMismatch, NamedArgument(syntax, "Hard"), methodName, hard
                ? "has Hard = true but one output span; Hard = true writes two, (logits, uniforms or random, Span<T> hard, Span<T> soft)"
                : "has two output spans (hard, soft) but not Hard = true; set Hard = true for the straight-through form, or keep one output y");
        }

        return hard;
    }

    private static SyntaxNode NamedArgument(AttributeSyntax syntax, string name) =>
        syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name) ?? (SyntaxNode)syntax;

    /// <summary>
    /// The signature the parameter list asks for. A signature that the whole list matches wins (so an <c>int target</c> last is a
    /// slot, not a temperature); otherwise a trailing scalar is read as a runtime temperature when the operation has signatures one
    /// slot shorter. Among signatures of the right length the best match is taken, so its mismatches are what the diagnostics name.
    /// </summary>
    private static KernelSignature? MatchSignature(OperationInfo operation, IMethodSymbol method, out bool runtimeTemperature)
    {
        int count = method.Parameters.Length;
        KernelSignature? whole = BestSignature(operation, method, count, out bool exact);
        runtimeTemperature = false;
        if (whole is not null && exact)
        {
            return whole;
        }

        if (count > 0 && operation.HasTemperature && IsTemperatureCandidate(method.Parameters[count - 1].Type) &&
            BestSignature(operation, method, count - 1, out _) is { } shorter)
        {
            runtimeTemperature = true;
            return shorter;
        }

        return whole;
    }

    private static KernelSignature? BestSignature(OperationInfo operation, IMethodSymbol method, int slotCount, out bool exact)
    {
        KernelSignature? best = null;
        int bestScore = -1;
        exact = false;
        foreach (KernelSignature signature in operation.Signatures)
        {
            if (signature.Slots.Length != slotCount)
            {
                continue;
            }

            int score = ReturnMatches(method, signature.Result, element: null) ? 1 : 0;
            for (int i = 0; i < slotCount; i++)
            {
                score += SlotMatches(method.Parameters[i], signature.Slots[i]) ? 1 : 0;
            }

            if (score > bestScore)
            {
                best = signature;
                bestScore = score;
                exact = score == slotCount + 1;
            }
        }

        return best;
    }

    /// <summary>Whether a parameter has the shape of a slot (its element type is checked apart, against the kernel's).</summary>
    private static bool SlotMatches(IParameterSymbol parameter, SlotKind slot)
    {
        if (parameter.RefKind != RefKind.None)
        {
            return false;
        }

        return slot switch
        {
            SlotKind.Values => SpanKindOf(parameter.Type) == false && ScalarElementType(SpanElement(parameter.Type)) is not null,
            SlotKind.Output or SlotKind.InPlace => SpanKindOf(parameter.Type) == true && ScalarElementType(SpanElement(parameter.Type)) is not null,
            SlotKind.Index => parameter.Type.SpecialType == SpecialType.System_Int32,
            SlotKind.Indices => SpanKindOf(parameter.Type) == false && SpanElement(parameter.Type).SpecialType == SpecialType.System_Int32,
            SlotKind.IndexOutput => SpanKindOf(parameter.Type) == true && SpanElement(parameter.Type).SpecialType == SpecialType.System_Int32,
            SlotKind.Mask => SpanKindOf(parameter.Type) == false && SpanElement(parameter.Type).SpecialType == SpecialType.System_Boolean,
            SlotKind.Uniform => parameter.Type.SpecialType == SpecialType.System_Double,
            SlotKind.Random => parameter.Type is INamedTypeSymbol { Name: "Random", Arity: 0, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } },
            SlotKind.Uniforms => SpanKindOf(parameter.Type) == false && SpanElement(parameter.Type).SpecialType == SpecialType.System_Double,
            _ => false,
        };
    }

    /// <summary>The return type a signature asks for; with no element type known yet, either float or double will do.</summary>
    private static bool ReturnMatches(IMethodSymbol method, ResultKind result, ElementType? element) => result switch
    {
        ResultKind.Void => method.ReturnsVoid,
        ResultKind.Index => !method.ReturnsByRef && !method.ReturnsByRefReadonly && method.ReturnType.SpecialType == SpecialType.System_Int32,
        _ => !method.ReturnsByRef && !method.ReturnsByRefReadonly && ScalarElementType(method.ReturnType) is { } returned &&
             (element is null || returned == element),
    };

    private static void CheckSlot(IParameterSymbol parameter, SyntaxNode location, SlotKind slot, ElementType? element, string methodName, Problems problems)
    {
        if (!IsElementSlot(slot))
        {
            if (!SlotMatches(parameter, slot))
            {
                string expected = slot switch
                {
                    SlotKind.Index => "'int' (passed by value)",
                    SlotKind.Indices => "ReadOnlySpan<int> (passed by value)",
                    SlotKind.Mask => "ReadOnlySpan<bool> (passed by value)",
                    SlotKind.Uniform => "'double' (passed by value)",
                    SlotKind.Random => "System.Random (passed by value)",
                    SlotKind.Uniforms => "ReadOnlySpan<double> (passed by value)",
                    _ => "Span<int> (passed by value)",
                };
                problems.Add(Descriptors.InvalidParameterType, location, parameter.Name, methodName, expected);
            }

            return;
        }

        bool isOutput = slot != SlotKind.Values;
        string expectedSpan = (isOutput ? "Span<" : "ReadOnlySpan<") + Keyword(element ?? ElementType.Single) + ">";
        bool? spanIsWritable = SpanKindOf(parameter.Type);
        if (spanIsWritable is null || spanIsWritable != isOutput || parameter.RefKind != RefKind.None)
        {
            problems.Add(Descriptors.InvalidParameterType, location, parameter.Name, methodName, expectedSpan + " (passed by value)");
            return;
        }

        ITypeSymbol elementType = SpanElement(parameter.Type);
        ElementType? actual = ScalarElementType(elementType);
        if (actual is null)
        {
            problems.Add(Descriptors.UnsupportedElementType, location, parameter.Name, elementType.ToDisplayString());
        }
        else if (element is not null && actual != element)
        {
            problems.Add(Descriptors.MismatchedElementTypes, location, parameter.Name, Keyword(actual.Value), Keyword(element.Value));
        }
    }

    /// <summary>Whether a slot is a span of the element type (the others are class indices and uniform variates).</summary>
    private static bool IsElementSlot(SlotKind slot) => slot is SlotKind.Values or SlotKind.Output or SlotKind.InPlace;

    private static ITypeSymbol SpanElement(ITypeSymbol span) => ((INamedTypeSymbol)span).TypeArguments[0];

    /// <summary>
    /// A trailing scalar (any non-generic value type, e.g. float, double, int) is read as a runtime temperature and its
    /// type checked as such; spans, arrays and other collections are span slots, checked as spans.
    /// </summary>
    private static bool IsTemperatureCandidate(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsValueType: true, IsGenericType: false } && type.TypeKind != TypeKind.Error;

    /// <summary>True for <c>Span&lt;T&gt;</c>, false for <c>ReadOnlySpan&lt;T&gt;</c>, null for anything else.</summary>
    private static bool? SpanKindOf(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol { IsGenericType: true } named)
        {
            return null;
        }

        string name = named.ConstructedFrom.ToDisplayString();
        return name == SpanName ? true : name == ReadOnlySpanName ? false : null;
    }

    private static ElementType? FirstElementType(IReadOnlyList<IParameterSymbol> parameters, ImmutableArray<SlotKind> slots)
    {
        for (int i = 0; i < slots.Length; i++)
        {
            if (IsElementSlot(slots[i]) && SpanKindOf(parameters[i].Type) is not null &&
                ScalarElementType(SpanElement(parameters[i].Type)) is { } element)
            {
                return element;
            }
        }

        return null;
    }

    private static ElementType? ScalarElementType(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Single => ElementType.Single,
        SpecialType.System_Double => ElementType.Double,
        _ => null,
    };

    private static SyntaxNode ParameterSyntaxAt(ParameterListSyntax list, int index) =>
        index < list.Parameters.Count ? list.Parameters[index] : list;

    public static string Keyword(ElementType element) => element == ElementType.Single ? "float" : "double";

    public static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>A unique, readable file name: namespace, types, method and parameter types (overloads differ there).</summary>
    internal static string HintName(string? ns, EquatableArray<TypeDeclaration> types, IMethodSymbol method)
    {
        var builder = new StringBuilder();
        if (ns is not null)
        {
            builder.Append(ns).Append('.');
        }

        foreach (TypeDeclaration type in types)
        {
            builder.Append(type.Name).Append(type.TypeParameters).Append('.');
        }

        builder.Append(method.Name).Append('(');
        builder.Append(string.Join(",", method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))));
        builder.Append(')');
        for (int i = 0; i < builder.Length; i++)
        {
            char c = builder[i];
            if (!(char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or ',' or '(' or ')'))
            {
                builder[i] = '_';
            }
        }

        return builder.Append(".g.cs").ToString();
    }

    /// <summary>Collects problems: forwards them to a reporter, or just remembers that there was one.</summary>
    private sealed class Problems(Action<Diagnostic>? report)
    {
        public bool Any { get; private set; }

        /// <summary>With no reporter the first problem is enough to give up.</summary>
        public bool Stop => Any && report is null;

        public void Add(DiagnosticDescriptor descriptor, SyntaxNode node, params object[] args) => Add(descriptor, node.GetLocation(), args);

        public void Add(DiagnosticDescriptor descriptor, SyntaxToken token, params object[] args) => Add(descriptor, token.GetLocation(), args);

        private void Add(DiagnosticDescriptor descriptor, Location location, object[] args)
        {
            Any = true;
            report?.Invoke(Diagnostic.Create(descriptor, location, args));
        }
    }
}
