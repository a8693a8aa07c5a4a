using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using SoftmaxGen.Analysis.Patterns;

namespace SoftmaxGen.CodeFixes;

/// <summary>
/// Adds (or reuses) a SoftmaxGen kernel declaration, <c>[global::SoftmaxGen.Softmax] private static partial void
/// SoftmaxRow(ReadOnlySpan&lt;T&gt; logits, Span&lt;T&gt; probabilities);</c>, in the type that contains a fixed member.
/// </summary>
internal static class GeneratedKernel
{
    /// <summary>
    /// A kernel can be added when the generator is referenced (its attribute binds), the language version allows
    /// partial methods with an access modifier (C# 9), and every containing type is a class, struct or record that
    /// is partial or has a single declaration (so it can be made partial).
    /// </summary>
    public static bool CanAdd(SemanticModel model, SyntaxNode member, string operation, ITypeSymbol elementType)
    {
        if (!TypeNames.IsFloatingPoint(elementType) ||
            model.Compilation.GetTypeByMetadataName("SoftmaxGen." + operation + "Attribute") is null ||
            model.Compilation.GetTypeByMetadataName("System.ReadOnlySpan`1") is null ||
            member.SyntaxTree.Options is not CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp9 } ||
            member.Parent is not TypeDeclarationSyntax)
        {
            return false;
        }

        foreach (TypeDeclarationSyntax type in member.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (type is InterfaceDeclarationSyntax ||
                model.GetDeclaredSymbol(type) is not INamedTypeSymbol symbol ||
                (!type.Modifiers.Any(SyntaxKind.PartialKeyword) && symbol.DeclaringSyntaxReferences.Length != 1))
            {
                return false;
            }
        }

        return member.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().All(n => n.Parent is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax);
    }

    /// <summary>
    /// Returns the name of an existing matching kernel of the containing type, or adds one (making the containing
    /// types partial) and returns its name.
    /// </summary>
    public static string Ensure(DocumentEditor editor, SemanticModel model, SyntaxNode member, string operation, ITypeSymbol elementType, bool inPlace)
    {
        var type = (TypeDeclarationSyntax)member.Parent!;
        var symbol = (INamedTypeSymbol)model.GetDeclaredSymbol(type)!;
        string keyword = TypeNames.Keyword(elementType);
        foreach (IMethodSymbol method in symbol.GetMembers().OfType<IMethodSymbol>())
        {
            if (method.IsStatic && method.ReturnsVoid && method.IsPartialDefinition && Matches(method, keyword, inPlace) &&
                method.GetAttributes() is { Length: 1 } attributes && attributes[0] is { AttributeClass: { } attribute } data &&
                attribute.ToDisplayString() == "SoftmaxGen." + operation + "Attribute" &&
                data.ConstructorArguments.Length == 0 && data.NamedArguments.Length == 0)
            {
                return method.Name;
            }
        }

        string name = operation + "Row";
        for (int i = 2; symbol.GetMembers(name).Length > 0 || model.LookupSymbols(member.SpanStart, name: name).Length > 0; i++)
        {
            name = operation + "Row" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        string parameters = inPlace
            ? $"global::System.Span<{keyword}> values"
            : $"global::System.ReadOnlySpan<{keyword}> logits, global::System.Span<{keyword}> {(operation == "LogSoftmax" ? "logProbabilities" : "probabilities")}";
        string indent = string.Concat(member.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());
        string newLine = member.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToFullString() is { Length: > 0 } eol ? eol : "\r\n";
        var declaration = SyntaxFactory.ParseMemberDeclaration(
            $"{newLine}{indent}[global::SoftmaxGen.{operation}]{newLine}{indent}private static partial void {name}({parameters});{newLine}")!;
        editor.AddMember(type, declaration);
        foreach (TypeDeclarationSyntax container in member.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (!container.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                editor.SetModifiers(container, editor.Generator.GetModifiers(container).WithPartial(true));
            }
        }

        return name;
    }

    private static bool Matches(IMethodSymbol method, string keyword, bool inPlace) =>
        inPlace
            ? method.Parameters.Length == 1 && IsSpan(method.Parameters[0].Type, "Span", keyword)
            : method.Parameters.Length == 2 && IsSpan(method.Parameters[0].Type, "ReadOnlySpan", keyword) && IsSpan(method.Parameters[1].Type, "Span", keyword);

    private static bool IsSpan(ITypeSymbol type, string name, string keyword) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } named && named.Name == name && named.TypeArguments[0].ToDisplayString() == keyword;
}
