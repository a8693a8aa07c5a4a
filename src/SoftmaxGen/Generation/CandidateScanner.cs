using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation;

/// <summary>
/// The syntax-only first step of the generator: the method declarations of a file that carry an attribute whose name
/// may bind to one of the kernel attributes (directly, qualified, or through a using alias), found in one walk over the
/// file's declarations for all attributes at once. The walk never enters a member's body (a kernel is a method
/// declaration, which only a namespace or a type can contain), so it costs a fraction of a full tree walk, and the same
/// for six attributes as for sixty.
/// </summary>
/// <remarks>
/// This replaces one <c>ForAttributeWithMetadataName</c> provider per attribute, each of which walks every node of every
/// file that has an attribute list, and each of which makes the compiler compile its own set of generic pipeline nodes
/// on first use. The result per tree depends on nothing but the tree, so it is cached per tree: an edit rescans only
/// the edited file. A match is only a candidate; the semantic step keeps the attributes whose class is one of ours.
/// </remarks>
internal static class CandidateScanner
{
    private const string Suffix = "Attribute";

    private static readonly ConditionalWeakTable<SyntaxTree, FileScan> Cache = new();

    /// <summary>Every name an attribute of ours can be written with: <c>Softmax</c> and <c>SoftmaxAttribute</c>, and so on.</summary>
    private static readonly HashSet<string> AttributeNames = CreateAttributeNames();

    private static HashSet<string> CreateAttributeNames()
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (OperationInfo operation in KernelOperations.All)
        {
            names.Add(operation.AttributeName);
            names.Add(operation.AttributeName + Suffix);
        }

        return names;
    }

    /// <summary>The scan of <paramref name="tree"/> for the attribute names alone (no global aliases), cached per tree.</summary>
    public static FileScan Of(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (Cache.TryGetValue(tree, out FileScan? cached))
        {
            return cached;
        }

        FileScan scan = Scan(tree, globalAliasNames: null, cancellationToken);
        return Cache.GetValue(tree, _ => scan);
    }

    /// <summary>
    /// Scans <paramref name="tree"/>, also matching <paramref name="globalAliasNames"/> (names that global aliases elsewhere
    /// in the compilation give our attributes; see <see cref="GlobalAliasNames"/>). Not cached.
    /// </summary>
    public static FileScan Scan(SyntaxTree tree, IReadOnlyCollection<string>? globalAliasNames, CancellationToken cancellationToken)
    {
        if (tree.GetRoot(cancellationToken) is not CompilationUnitSyntax root)
        {
            return new FileScan(tree, ImmutableArray<MethodDeclarationSyntax>.Empty, ImmutableArray<AliasDirective>.Empty);
        }

        var attributed = new List<MethodDeclarationSyntax>();
        var aliases = new List<UsingDirectiveSyntax>();
        CollectAliases(root.Usings, aliases);
        Walk(root.Members, attributed, aliases, cancellationToken);

        ImmutableArray<AliasDirective> globalAliases = GlobalAliases(root);
        if (attributed.Count == 0)
        {
            return new FileScan(tree, ImmutableArray<MethodDeclarationSyntax>.Empty, globalAliases);
        }

        HashSet<string> names = AttributeNames;
        if (aliases.Count > 0 || globalAliasNames is { Count: > 0 })
        {
            names = new HashSet<string>(AttributeNames, System.StringComparer.Ordinal);
            if (globalAliasNames is not null)
            {
                names.UnionWith(globalAliasNames);
            }

            AddAliasNames(names, aliases);
        }

        ImmutableArray<MethodDeclarationSyntax>.Builder candidates = ImmutableArray.CreateBuilder<MethodDeclarationSyntax>();
        foreach (MethodDeclarationSyntax method in attributed)
        {
            if (HasCandidateAttribute(method, names))
            {
                candidates.Add(method);
            }
        }

        return new FileScan(tree, candidates.ToImmutable(), globalAliases);
    }

    /// <summary>
    /// The names that the compilation's global aliases give our attributes (<c>global using S = SoftmaxGen.SoftmaxAttribute;</c>),
    /// from the global alias directives of every file; usually none.
    /// </summary>
    public static HashSet<string> GlobalAliasNames(List<AliasDirective> globalAliases)
    {
        var names = new HashSet<string>(AttributeNames, System.StringComparer.Ordinal);
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (AliasDirective alias in globalAliases)
            {
                changed |= AddAliasName(names, alias.Name, alias.Target);
            }
        }

        names.ExceptWith(AttributeNames);
        return names;
    }

    private static void Walk(SyntaxList<MemberDeclarationSyntax> members, List<MethodDeclarationSyntax> attributed, List<UsingDirectiveSyntax> aliases, CancellationToken cancellationToken)
    {
        foreach (MemberDeclarationSyntax member in members)
        {
            switch (member)
            {
                case MethodDeclarationSyntax method when method.AttributeLists.Count > 0:
                    attributed.Add(method);
                    break;
                case TypeDeclarationSyntax type:
                    Walk(type.Members, attributed, aliases, cancellationToken);
                    break;
                case BaseNamespaceDeclarationSyntax ns:
                    cancellationToken.ThrowIfCancellationRequested();
                    CollectAliases(ns.Usings, aliases);
                    Walk(ns.Members, attributed, aliases, cancellationToken);
                    break;
            }
        }
    }

    private static void CollectAliases(SyntaxList<UsingDirectiveSyntax> usings, List<UsingDirectiveSyntax> aliases)
    {
        foreach (UsingDirectiveSyntax directive in usings)
        {
            if (directive.Alias is not null)
            {
                aliases.Add(directive);
            }
        }
    }

    private static ImmutableArray<AliasDirective> GlobalAliases(CompilationUnitSyntax root)
    {
        ImmutableArray<AliasDirective>.Builder? result = null;
        foreach (UsingDirectiveSyntax directive in root.Usings)
        {
            if (directive.Alias is { } alias && directive.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword) &&
                Identifier(directive.NamespaceOrType) is { } target)
            {
                (result ??= ImmutableArray.CreateBuilder<AliasDirective>()).Add(new AliasDirective(alias.Name.Identifier.ValueText, target));
            }
        }

        return result?.ToImmutable() ?? ImmutableArray<AliasDirective>.Empty;
    }

    /// <summary>Adds every alias in <paramref name="aliases"/> that names one of <paramref name="names"/>, until none is left to add.</summary>
    private static void AddAliasNames(HashSet<string> names, List<UsingDirectiveSyntax> aliases)
    {
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (UsingDirectiveSyntax directive in aliases)
            {
                if (Identifier(directive.NamespaceOrType) is { } target)
                {
                    changed |= AddAliasName(names, directive.Alias!.Name.Identifier.ValueText, target);
                }
            }
        }
    }

    /// <summary>
    /// When <paramref name="target"/> is one of the names, adds the alias (and, for an alias ending in "Attribute", the
    /// name without the suffix, as <c>[S]</c> may bind to <c>SAttribute</c>). True when a name was added.
    /// </summary>
    private static bool AddAliasName(HashSet<string> names, string alias, string target)
    {
        if (!names.Contains(target) || !names.Add(alias))
        {
            return false;
        }

        if (alias.Length > Suffix.Length && alias.EndsWith(Suffix, System.StringComparison.Ordinal))
        {
            names.Add(alias.Substring(0, alias.Length - Suffix.Length));
        }

        return true;
    }

    private static bool HasCandidateAttribute(MethodDeclarationSyntax method, HashSet<string> names)
    {
        foreach (AttributeListSyntax list in method.AttributeLists)
        {
            foreach (AttributeSyntax attribute in list.Attributes)
            {
                if (Identifier(attribute.Name) is { } name && names.Contains(name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The rightmost identifier of a name: <c>Softmax</c> in <c>global::SoftmaxGen.Softmax</c>; null for other types.</summary>
    private static string? Identifier(TypeSyntax? type) => type switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax aliasQualified => aliasQualified.Name.Identifier.ValueText,
        _ => null,
    };
}

/// <summary>The candidates of one file, and the global aliases it declares (which may name our attributes in any file).</summary>
internal sealed class FileScan(SyntaxTree tree, ImmutableArray<MethodDeclarationSyntax> candidates, ImmutableArray<AliasDirective> globalAliases)
{
    public SyntaxTree Tree { get; } = tree;

    public ImmutableArray<MethodDeclarationSyntax> Candidates { get; } = candidates;

    public ImmutableArray<AliasDirective> GlobalAliases { get; } = globalAliases;
}

/// <summary>A global using alias: <c>global using Name = …Target;</c>, Target being the rightmost identifier.</summary>
internal sealed class AliasDirective(string name, string target)
{
    public string Name { get; } = name;

    public string Target { get; } = target;
}
