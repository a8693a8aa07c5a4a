using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SoftmaxGen.Analysis.Patterns;
using SoftmaxGen.Diagnostics;
using SoftmaxGen.Generation;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Analysis;

/// <summary>
/// Reports misuse of the SoftmaxGen attributes (SMX0001-SMX0014). It runs the generator's own
/// <see cref="KernelParser"/>, so the analyzer and the generator agree on what is valid. Problems on a declaration the
/// compiler itself rejects (a non-partial containing type, C# 9 forms under C# 7.3, a body-less or definition-less
/// declaration, …) are left to the generator: the command-line compiler prints no analyzer diagnostic once a declaration error exists, but
/// it does print the generator's (see <see cref="InvalidDeclarations"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SoftmaxAttributeUsageAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.MethodMustBeStatic,
        Descriptors.MethodMustBePartialDefinition,
        Descriptors.MethodMustNotBeGeneric,
        Descriptors.InvalidReturnType,
        Descriptors.InvalidParameterList,
        Descriptors.UnsupportedElementType,
        Descriptors.MismatchedElementTypes,
        Descriptors.RowLengthOutOfRange,
        Descriptors.AttributeOnInvalidTarget,
        Descriptors.InvalidTemperature,
        Descriptors.InvalidLabelSmoothing,
        Descriptors.InvalidBase,
        Descriptors.InvalidTopK,
        Descriptors.InvalidTopP,
        Descriptors.HardMismatch,
        Descriptors.NormalizerNotFound,
        Descriptors.NormalizerNotStatic,
        Descriptors.InvalidNormalizerSignature,
        Descriptors.MissingNormalizerDerivative,
        Descriptors.UnsupportedNormalizerCombination,
        Descriptors.InvalidCounts,
        Descriptors.InvalidCountsFile,
        Descriptors.InvalidDimension,
        Descriptors.CountsSourceAmbiguous,
        Descriptors.TemperatureSpecifiedTwice,
        Descriptors.InvalidParameterType,
        Descriptors.MultipleKernelAttributes);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            // Any use of a kernel attribute names it in source, directly or in the alias that renames it: a compilation
            // whose hand-written files name none of them has nothing to check (one vectorised text search per file).
            if (!NamesAnyAttribute(start.Compilation, start.CancellationToken))
            {
                return;
            }

            // The names every using alias of the compilation declares, collected once and only if some attribute's name is
            // not one of ours: binding every other attribute ([Serializable], [Obsolete], …) to look for an alias was the
            // analyzer's main cost on large codebases.
            var aliases = new Lazy<ImmutableHashSet<string>>(() => AliasNames(start.Compilation, start.CancellationToken));
            start.RegisterSyntaxNodeAction(c => AnalyzeAttribute(c, aliases), SyntaxKind.Attribute);
        });
    }

    private static void AnalyzeAttribute(SyntaxNodeAnalysisContext context, Lazy<ImmutableHashSet<string>> aliases)
    {
        var attribute = (AttributeSyntax)context.Node;
        if (!(MightBeOurs(attribute.Name) || IsAlias(attribute.Name, aliases, context.SemanticModel, context.CancellationToken)) ||
            context.SemanticModel.GetSymbolInfo(attribute, context.CancellationToken).Symbol is not IMethodSymbol { ContainingType: { } attributeType } ||
            KernelOperations.FromMetadataName(KernelParser.MetadataName(attributeType)) is not { } operation)
        {
            return;
        }

        if (attribute.Parent is not AttributeListSyntax list ||
            list.Parent is not MethodDeclarationSyntax method ||
            (list.Target is { } target && !target.Identifier.IsKind(SyntaxKind.MethodKeyword)))
        {
            // On the return value of a declaration the compiler rejects, the generator reports it (it parses it as misplaced).
            if (!(attribute.Parent?.Parent is MethodDeclarationSyntax returnOf &&
                  context.SemanticModel.GetDeclaredSymbol(returnOf, context.CancellationToken) is IMethodSymbol returnSymbol &&
                  InvalidDeclarations.IsReportedByGenerator(returnSymbol, returnOf)))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.AttributeOnInvalidTarget, attribute.GetLocation(), operation.AttributeName));
            }

            return;
        }

        if (context.SemanticModel.GetDeclaredSymbol(method, context.CancellationToken) is not IMethodSymbol symbol)
        {
            return;
        }

        foreach (AttributeData data in symbol.GetAttributes())
        {
            if (data.ApplicationSyntaxReference?.Span != attribute.Span ||
                data.ApplicationSyntaxReference.SyntaxTree != attribute.SyntaxTree)
            {
                continue;
            }

            // With two kernel attributes on one method, report once (on the first) rather than per attribute.
            if (IsSecondKernelAttribute(method, attribute, context.SemanticModel, context.CancellationToken))
            {
                return;
            }

            KernelParser.Parse(
                symbol,
                data,
                operation,
                InvalidDeclarations.IsReportedByGenerator(symbol, method) ? static _ => { } : context.ReportDiagnostic,
                context.CancellationToken,
                context.Options.AdditionalFiles);
            return;
        }
    }

    /// <summary>Cheap name test before binding: the attribute's simple name must be one of ours.</summary>
    /// <summary>
    /// Text that every kernel attribute's name contains (Softmax covers LogSoftmax, SoftmaxCrossEntropy, …). A literal,
    /// so that a compilation without kernels never initialises the generator's operation table;
    /// <c>UsageDiagnosticsTests</c> checks that it covers every attribute name.
    /// </summary>
    internal static readonly string[] SearchedNames = ["Softmax", "LogSumExp", "ArgMax", "Softmin"];

    private static bool NamesAnyAttribute(Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            using var search = new TextSearch(tree.GetText(cancellationToken));
            if (search.Span.StartsWith("// <auto-generated".AsSpan(), StringComparison.Ordinal))
            {
                // Generated code is not analysed (and the generator's own attribute source names every attribute).
                continue;
            }

            if (search.ContainsAny(SearchedNames))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MightBeOurs(NameSyntax name)
    {
        string text = name switch
        {
            QualifiedNameSyntax q => q.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
            SimpleNameSyntax s => s.Identifier.ValueText,
            _ => string.Empty,
        };

        foreach (OperationInfo op in KernelOperations.All)
        {
            if (text == op.AttributeName || text == op.AttributeName + "Attribute")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An attribute renamed by a using alias (<c>using Smx = SoftmaxGen.SoftmaxAttribute;</c>) is checked too: the
    /// generator writes a placeholder for it when it is invalid, so the error must come from here.
    /// </summary>
    private static bool IsAlias(NameSyntax name, Lazy<ImmutableHashSet<string>> aliases, SemanticModel model, System.Threading.CancellationToken cancellationToken) =>
        name is IdentifierNameSyntax identifier &&
        (aliases.Value.Contains(identifier.Identifier.ValueText) || aliases.Value.Contains(identifier.Identifier.ValueText + "Attribute")) &&
        model.GetAliasInfo(name, cancellationToken) is not null;

    /// <summary>Every alias name declared by a using directive (file, namespace or global) in any tree of the compilation.</summary>
    private static ImmutableHashSet<string> AliasNames(Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        ImmutableHashSet<string>.Builder names = ImmutableHashSet.CreateBuilder<string>();
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            // Using directives live in the compilation unit and in namespaces only: types are never entered.
            foreach (SyntaxNode node in tree.GetRoot(cancellationToken).DescendantNodes(static n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax))
            {
                if (node is UsingDirectiveSyntax { Alias: { } alias })
                {
                    names.Add(alias.Name.Identifier.ValueText);
                }
            }
        }

        return names.ToImmutable();
    }

    private static bool IsSecondKernelAttribute(MethodDeclarationSyntax method, AttributeSyntax attribute, SemanticModel model, System.Threading.CancellationToken cancellationToken)
    {
        foreach (AttributeListSyntax list in method.AttributeLists)
        {
            foreach (AttributeSyntax other in list.Attributes)
            {
                if (other == attribute)
                {
                    return false;
                }

                if (model.GetSymbolInfo(other, cancellationToken).Symbol is IMethodSymbol { ContainingType: { } type } &&
                    KernelOperations.FromMetadataName(KernelParser.MetadataName(type)) is not null)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
