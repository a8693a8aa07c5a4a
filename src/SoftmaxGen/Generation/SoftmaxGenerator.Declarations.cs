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
/// The semantic step: each compilation's candidate declarations (<see cref="CandidateScanner"/>), each parsed once into a
/// kernel or an invalid declaration, and the target facts, read only when there is a kernel. The result is computed once
/// per compilation and shared by the two pipeline steps that read it.
/// </summary>
public sealed partial class SoftmaxGenerator
{
    private static readonly ConditionalWeakTable<Compilation, Declarations> DeclarationsCache = new();

    /// <summary>Raised with each compilation whose target facts are read, so tests can show when that does not happen.</summary>
    internal static event System.Action<Compilation>? FactsRead;

    /// <summary>What a compilation's attributed declarations produce: outputs per file, and the shared file's input.</summary>
    private sealed class Declarations(ImmutableArray<FileOutputs> files, SharedOutput? shared)
    {
        public static readonly Declarations None = new(ImmutableArray<FileOutputs>.Empty, null);

        public ImmutableArray<FileOutputs> Files { get; } = files;

        /// <summary>Null when the compilation has no valid kernel.</summary>
        public SharedOutput? Shared { get; } = shared;
    }

    private static Declarations DeclarationsOf(Compilation compilation, CancellationToken cancellationToken)
    {
        if (DeclarationsCache.TryGetValue(compilation, out Declarations? cached))
        {
            return cached;
        }

        Declarations declarations = Analyse(compilation, cancellationToken);
        return DeclarationsCache.GetValue(compilation, _ => declarations);
    }

    private static Declarations Analyse(Compilation compilation, CancellationToken cancellationToken)
    {
        List<FileScan>? found = null;
        List<AliasDirective>? globalAliases = null;
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            FileScan scan = CandidateScanner.Of(tree, cancellationToken);
            if (!scan.GlobalAliases.IsEmpty)
            {
                (globalAliases ??= new List<AliasDirective>()).AddRange(scan.GlobalAliases);
            }

            if (!scan.Candidates.IsEmpty)
            {
                (found ??= new List<FileScan>()).Add(scan);
            }
        }

        if (globalAliases is not null && CandidateScanner.GlobalAliasNames(globalAliases) is { Count: > 0 } aliasNames)
        {
            // A global alias names one of our attributes (rare): every file may use it, so every file is scanned again.
            found = null;
            foreach (SyntaxTree tree in compilation.SyntaxTrees)
            {
                FileScan scan = CandidateScanner.Scan(tree, aliasNames, cancellationToken);
                if (!scan.Candidates.IsEmpty)
                {
                    (found ??= new List<FileScan>()).Add(scan);
                }
            }
        }

        return found is null ? Declarations.None : Parse(compilation, found, cancellationToken);
    }

    private static Declarations Parse(Compilation compilation, List<FileScan> files, CancellationToken cancellationToken)
    {
        bool supportsNullable = compilation is CSharpCompilation { LanguageVersion: >= LanguageVersion.CSharp8 };
        var kernelsPerFile = new List<List<KernelSpec>>(files.Count);
        var invalidPerFile = new List<List<GeneratorOutput>>(files.Count);
        bool anyKernel = false;
        foreach (FileScan file in files)
        {
            SemanticModel model = compilation.GetSemanticModel(file.Tree);
            var kernels = new List<KernelSpec>();
            var placeholders = new List<GeneratorOutput>();
            var diagnostics = new List<GeneratorOutput>();
            foreach (MethodDeclarationSyntax syntax in file.Candidates)
            {
                ParseDeclaration(model, syntax, supportsNullable, kernels, placeholders, diagnostics, cancellationToken);
            }

            anyKernel |= kernels.Count > 0;
            placeholders.AddRange(diagnostics);
            kernelsPerFile.Add(kernels);
            invalidPerFile.Add(placeholders);
        }

        TargetFacts facts = anyKernel ? ReadFacts(compilation) : default;
        ImmutableArray<FileOutputs>.Builder result = ImmutableArray.CreateBuilder<FileOutputs>(files.Count);
        for (int f = 0; f < files.Count; f++)
        {
            List<KernelSpec> kernels = kernelsPerFile[f];
            List<GeneratorOutput> invalid = invalidPerFile[f];
            if (kernels.Count + invalid.Count == 0)
            {
                continue;
            }

            var outputs = new GeneratorOutput[kernels.Count + invalid.Count];
            for (int i = 0; i < kernels.Count; i++)
            {
                outputs[i] = new KernelOutput(kernels[i], facts);
            }

            invalid.CopyTo(outputs, kernels.Count);
            result.Add(new FileOutputs(new EquatableArray<GeneratorOutput>(outputs)));
        }

        return new Declarations(result.ToImmutable(), anyKernel ? new SharedOutput(facts) : null);
    }

    /// <summary>
    /// One candidate declaration: a kernel when it is valid; otherwise the placeholder and the diagnostics of an invalid
    /// declaration; nothing when none of its attributes is ours after all.
    /// </summary>
    private static void ParseDeclaration(
        SemanticModel model,
        MethodDeclarationSyntax syntax,
        bool supportsNullable,
        List<KernelSpec> kernels,
        List<GeneratorOutput> placeholders,
        List<GeneratorOutput> diagnostics,
        CancellationToken cancellationToken)
    {
        if (model.GetDeclaredSymbol(syntax, cancellationToken) is not IMethodSymbol method ||
            FirstKernelAttribute(method, syntax) is not { } attribute ||
            KernelOperations.FromMetadataName(KernelParser.MetadataName(attribute.AttributeClass!)) is not { } operation)
        {
            return;
        }

        var problems = new List<Diagnostic>();
        if (KernelParser.Parse(method, attribute, operation, problems.Add, cancellationToken) is { } spec)
        {
            kernels.Add(spec);
            return;
        }

        if (InvalidDeclarations.Describe(method, syntax, problems, cancellationToken) is { } invalid)
        {
            if (invalid.Placeholder is { } placeholder)
            {
                placeholders.Add(new PlaceholderOutput(placeholder, supportsNullable));
            }

            foreach (DiagnosticInfo info in invalid.Diagnostics)
            {
                diagnostics.Add(new DiagnosticOutput(info));
            }
        }
    }

    /// <summary>
    /// The kernel attribute this declaration is parsed for: the first of ours among the method's own attributes, else the
    /// first on its return value (<c>[return: Softmax]</c>, SMX0009). With two kernel attributes (SMX0014) the parser
    /// rejects the method whichever it is given.
    /// </summary>
    private static AttributeData? FirstKernelAttribute(IMethodSymbol method, MethodDeclarationSyntax syntax) =>
        FirstKernelAttribute(method.GetAttributes(), syntax) ?? FirstKernelAttribute(method.GetReturnTypeAttributes(), syntax);

    private static AttributeData? FirstKernelAttribute(ImmutableArray<AttributeData> attributes, MethodDeclarationSyntax syntax)
    {
        AttributeData? first = null;
        int firstStart = int.MaxValue;
        foreach (AttributeData attribute in attributes)
        {
            // Only attributes written on this declaration: a partial method's other part is a declaration of its own.
            if (attribute.AttributeClass is { } type && attribute.ApplicationSyntaxReference is { } reference &&
                reference.SyntaxTree == syntax.SyntaxTree && syntax.Span.Contains(reference.Span) && reference.Span.Start < firstStart &&
                KernelOperations.FromMetadataName(KernelParser.MetadataName(type)) is not null)
            {
                first = attribute;
                firstStart = reference.Span.Start;
            }
        }

        return first;
    }
}
