using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SoftmaxGen.Diagnostics;
using SoftmaxGen.Generation.Emit;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation;

/// <summary>
/// What happens to an attributed declaration that fails validation, so that the user sees the SMX error in
/// <c>dotnet build</c> and nothing else:
/// <list type="bullet">
/// <item>The declaration gets a placeholder body that throws. Without it a declaration with an access modifier or a
/// non-void return has no implementation part, the compiler reports CS8795, and because that is a declaration error
/// the command-line compiler stops before it reports any analyzer diagnostic, so the SMX error never shows.</item>
/// <item>Where the compiler reports a declaration error on the user's own code that no generated code can prevent
/// (CS0751 partial method in a non-partial type, CS8370/CS8796 C# 9 forms under C# 7.3, CS0759/CS0501 a body-less or
/// definition-less declaration, CS0708 an instance method in a static class), analyzer diagnostics are never printed either. The SMX errors on such a
/// declaration are reported by the generator (whose diagnostics the compiler prints before it stops) and not by the usage analyzer, so the IDE shows
/// each once.</item>
/// </list>
/// Everything else stays with the usage analyzer, whose errors honour <c>#pragma warning disable</c> and cost the
/// generator's cache nothing.
/// </summary>
internal static class InvalidDeclarations
{
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// The C# 9 feature a partial declaration uses (extended partial methods), when the file's language version is older;
    /// null when none is used or the version is 9 or later. <c>Feature</c> is the message's wording, <c>Version</c> the
    /// project's language version as the user writes it.
    /// </summary>
    public static (string Feature, string Version)? NeededLanguageFeature(MethodDeclarationSyntax syntax)
    {
        if (syntax.SyntaxTree.Options is not CSharpParseOptions { LanguageVersion: var version } ||
            version >= LanguageVersion.CSharp9 ||
            !syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return null;
        }

        string versionText = version.ToDisplayString();
        foreach (SyntaxToken modifier in syntax.Modifiers)
        {
            if (modifier.Kind() is SyntaxKind.PublicKeyword or SyntaxKind.InternalKeyword or SyntaxKind.PrivateKeyword or SyntaxKind.ProtectedKeyword)
            {
                return ($"an access modifier ('{modifier.Text}') on a partial method", versionText);
            }

            if (modifier.Kind() is SyntaxKind.VirtualKeyword or SyntaxKind.OverrideKeyword or SyntaxKind.SealedKeyword or SyntaxKind.NewKeyword or SyntaxKind.ExternKeyword)
            {
                return ($"the '{modifier.Text}' modifier on a partial method", versionText);
            }
        }

        if (syntax.ReturnType is not PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword })
        {
            return ("a non-void return type on a partial method", versionText);
        }

        if (syntax.ParameterList.Parameters.Any(p => p.Modifiers.Any(SyntaxKind.OutKeyword)))
        {
            return ("an 'out' parameter on a partial method", versionText);
        }

        return null;
    }

    /// <summary>
    /// True when the user wrote the implementation part of this partial method (or it is <c>extern</c>): the generator
    /// must then write nothing, or the compiler reports CS0757 inside the generated file. Our own output (kernel or
    /// placeholder, both marked <c>[GeneratedCode("SoftmaxGen", …)]</c>) does not count.
    /// </summary>
    public static bool HasUserImplementation(IMethodSymbol method, MethodDeclarationSyntax syntax, CancellationToken cancellationToken)
    {
        if (syntax.Modifiers.Any(SyntaxKind.ExternKeyword))
        {
            return true;
        }

        if (method.PartialImplementationPart is not { } implementation)
        {
            return false;
        }

        foreach (SyntaxReference reference in implementation.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration && !IsOurs(declaration) &&
                !reference.SyntaxTree.FilePath.EndsWith(PlaceholderEmitter.HintSuffix, System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOurs(MethodDeclarationSyntax declaration) =>
        declaration.AttributeLists.SelectMany(l => l.Attributes).Any(a =>
            a.Name.ToString().EndsWith("GeneratedCode", System.StringComparison.Ordinal) &&
            a.ArgumentList?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax { Token.ValueText: KernelEmitter.GeneratorName });

    /// <summary>
    /// True when the compiler itself reports a declaration error on the user's declaration, which no generated code can
    /// prevent: then every SMX error on it is reported by the generator (see the class remarks), none by the usage
    /// analyzer, and nothing is generated.
    /// </summary>
    public static bool IsReportedByGenerator(IMethodSymbol method, MethodDeclarationSyntax syntax)
    {
        bool partial = syntax.Modifiers.Any(SyntaxKind.PartialKeyword);
        bool hasBody = syntax.Body is not null || syntax.ExpressionBody is not null || syntax.Modifiers.Any(SyntaxKind.ExternKeyword);
        bool hasAccessibility = syntax.Modifiers.Any(m => m.Kind() is SyntaxKind.PublicKeyword or SyntaxKind.InternalKeyword or SyntaxKind.PrivateKeyword or SyntaxKind.ProtectedKeyword);
        return !syntax.Ancestors().OfType<TypeDeclarationSyntax>().Any() ||                            // CS0116
               KernelParser.PartialContainingTypes(syntax) is null ||                                  // CS0751, or CS8795 with no part possible
               NeededLanguageFeature(syntax) is not null ||                                            // CS8370, CS8796 under C# 8 or older
               IsInstanceMemberOfStaticClass(method) ||                                                // CS0708
               (!partial && !hasBody && !syntax.Modifiers.Any(SyntaxKind.AbstractKeyword)) ||          // CS0501
               (partial && hasBody && method.PartialDefinitionPart is null) ||                         // CS0759
               (partial && !hasBody && !hasAccessibility &&                                            // CS8796, CS8797
                (!method.ReturnsVoid || method.Parameters.Any(p => p.RefKind == RefKind.Out)));
    }

    private static bool IsInstanceMemberOfStaticClass(IMethodSymbol method) => !method.IsStatic && method.ContainingType is { IsStatic: true };

    /// <summary>
    /// The generator's view of a declaration <see cref="KernelParser"/> rejected: the problems it found, of which the
    /// generator reports its own, and a placeholder when the declaration can take one.
    /// </summary>
    public static InvalidDeclaration? Describe(
        IMethodSymbol method,
        MethodDeclarationSyntax syntax,
        IReadOnlyList<Diagnostic> problems,
        CancellationToken cancellationToken)
    {
        if (problems.Count == 0)
        {
            // The attribute itself does not bind (a compiler error on it); nothing of ours to say.
            return null;
        }

        return IsReportedByGenerator(method, syntax)
            ? new InvalidDeclaration(null, new EquatableArray<DiagnosticInfo>(problems.Select(d => new DiagnosticInfo(d)).ToArray()))
            : new InvalidDeclaration(TryPlaceholder(method, syntax, problems[0], cancellationToken), default);
    }

    /// <summary>A placeholder, unless the declaration cannot take an implementation part (it has one, or a body).</summary>
    private static Placeholder? TryPlaceholder(IMethodSymbol method, MethodDeclarationSyntax syntax, Diagnostic first, CancellationToken cancellationToken)
    {
        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword) || syntax.Body is not null || syntax.ExpressionBody is not null ||
            HasUserImplementation(method, syntax, cancellationToken) || IsInstanceMemberOfStaticClass(method) ||
            KernelParser.PartialContainingTypes(syntax) is not { } containingTypes ||
            HasErrorType(method))
        {
            return null;
        }

        string signature = Signature(method, syntax);
        string? ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        string hint = KernelParser.HintName(ns, containingTypes, method);
        hint = hint.Substring(0, hint.Length - ".g.cs".Length) + "." + KernelEmitter.StableHash(signature) + PlaceholderEmitter.HintSuffix;
        string message = $"SoftmaxGen generated no kernel for '{method.Name}' because of {first.Id}: " +
                         first.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        return new Placeholder(ns, containingTypes, signature, message, hint);
    }

    /// <summary>The user's declaration header with every type fully qualified (the user's usings are not in scope).</summary>
    private static string Signature(IMethodSymbol method, MethodDeclarationSyntax syntax)
    {
        var b = new StringBuilder();
        b.Append(string.Join(" ", syntax.Modifiers.Select(m => m.Text))).Append(' ');
        if (method.ReturnsByRefReadonly)
        {
            b.Append("ref readonly ");
        }
        else if (method.ReturnsByRef)
        {
            b.Append("ref ");
        }

        b.Append(method.ReturnType.ToDisplayString(TypeFormat)).Append(' ').Append(KernelParser.EscapeIdentifier(method.Name));
        if (method.TypeParameters.Length > 0)
        {
            b.Append('<').Append(string.Join(", ", method.TypeParameters.Select(t => KernelParser.EscapeIdentifier(t.Name)))).Append('>');
        }

        b.Append('(');
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol p = method.Parameters[i];
            if (i > 0)
            {
                b.Append(", ");
            }

            // Modifiers (this, scoped, ref, out, in, readonly, params) are keywords, so the user's text is safe to repeat.
            if (i < syntax.ParameterList.Parameters.Count)
            {
                foreach (SyntaxToken modifier in syntax.ParameterList.Parameters[i].Modifiers)
                {
                    b.Append(modifier.Text).Append(' ');
                }
            }

            b.Append(p.Type.ToDisplayString(TypeFormat)).Append(' ').Append(KernelParser.EscapeIdentifier(p.Name));
        }

        b.Append(')');
        foreach (ITypeParameterSymbol t in method.TypeParameters)
        {
            b.Append(Constraints(t));
        }

        return b.ToString();
    }

    private static string Constraints(ITypeParameterSymbol t)
    {
        var parts = new List<string>();
        if (t.HasReferenceTypeConstraint)
        {
            parts.Add(t.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
        }
        else if (t.HasUnmanagedTypeConstraint)
        {
            parts.Add("unmanaged");
        }
        else if (t.HasValueTypeConstraint)
        {
            parts.Add("struct");
        }
        else if (t.HasNotNullConstraint)
        {
            parts.Add("notnull");
        }

        parts.AddRange(t.ConstraintTypes.Select(c => c.ToDisplayString(TypeFormat)));
        if (t.HasConstructorConstraint)
        {
            parts.Add("new()");
        }

        if (t.AllowsRefLikeType)
        {
            parts.Add("allows ref struct");
        }

        return parts.Count == 0 ? string.Empty : " where " + KernelParser.EscapeIdentifier(t.Name) + " : " + string.Join(", ", parts);
    }

    private static bool HasErrorType(IMethodSymbol method) =>
        IsOrHasError(method.ReturnType) ||
        method.Parameters.Any(p => IsOrHasError(p.Type)) ||
        method.TypeParameters.Any(t => t.ConstraintTypes.Any(IsOrHasError));

    private static bool IsOrHasError(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Error } => true,
        INamedTypeSymbol named => named.TypeArguments.Any(IsOrHasError),
        IArrayTypeSymbol array => IsOrHasError(array.ElementType),
        IPointerTypeSymbol pointer => IsOrHasError(pointer.PointedAtType),
        _ => false,
    };
}
