using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SoftmaxGen.Tests.Harness;

/// <summary>
/// Applies code fixes the way the IDE does: AdhocWorkspace → document → CodeFixContext → RegisterCodeFixesAsync →
/// the action's ApplyChangesOperation; and Fix All through the provider's FixAllProvider in document, project and
/// solution scope.
/// </summary>
public static class CodeFixRun
{
    /// <summary>The SoftmaxGen generator as an analyzer reference, so workspace compilations see generated kernels.</summary>
    public sealed class GeneratorReference : AnalyzerReference
    {
        public override string? FullPath => null;

        public override object Id => nameof(GeneratorReference);

        public override string Display => "SoftmaxGen generator";

        public override ImmutableArray<DiagnosticAnalyzer> GetAnalyzers(string language) => [];

        public override ImmutableArray<DiagnosticAnalyzer> GetAnalyzersForAllLanguages() => [];

        // The workspace keys generator state by instance, so every call returns the same one.
        private static readonly ImmutableArray<ISourceGenerator> s_generators = [new SoftmaxGen.Generation.SoftmaxGenerator().AsSourceGenerator()];

        public override ImmutableArray<ISourceGenerator> GetGenerators(string language) =>
            language == LanguageNames.CSharp ? s_generators : [];

        public override ImmutableArray<ISourceGenerator> GetGeneratorsForAllLanguages() => GetGenerators(LanguageNames.CSharp);
    }

    public static Solution CreateSolution(IReadOnlyList<IReadOnlyList<string>> projects, LanguageVersion version = LanguageVersion.Latest, bool withGenerator = false)
    {
        var workspace = new AdhocWorkspace();
        Solution solution = workspace.CurrentSolution;
        for (int p = 0; p < projects.Count; p++)
        {
            ProjectId projectId = ProjectId.CreateNewId();
            solution = solution.AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Default,
                $"Project{p}",
                $"Project{p}",
                LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release),
                parseOptions: new CSharpParseOptions(version),
                metadataReferences: AnalyzerRun.Compile([], version).References,
                analyzerReferences: withGenerator ? [new GeneratorReference()] : []));
            for (int d = 0; d < projects[p].Count; d++)
            {
                solution = solution.AddDocument(DocumentId.CreateNewId(projectId), $"Source{d}.cs", projects[p][d]);
            }
        }

        return solution;
    }

    public static Document CreateDocument(string source, LanguageVersion version = LanguageVersion.Latest, bool withGenerator = false) =>
        CreateSolution([[source]], version, withGenerator).Projects.Single().Documents.Single();

    /// <summary>The SMX diagnostics of a document, computed by the real analyzers, in source order.</summary>
    public static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Document document)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        SyntaxTree tree = (await document.GetSyntaxTreeAsync())!;
        ImmutableArray<Diagnostic> all = await AnalyzerRun.GetDiagnosticsAsync(compilation);
        return all.Where(d => d.Location.SourceTree == tree).ToImmutableArray();
    }

    /// <summary>The code actions the provider offers for one diagnostic.</summary>
    public static async Task<ImmutableArray<CodeAction>> ActionsAsync(CodeFixProvider provider, Document document, Diagnostic diagnostic)
    {
        var actions = ImmutableArray.CreateBuilder<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        return actions.ToImmutable();
    }

    public static async Task<Solution> ApplyAsync(CodeAction action, Solution solution)
    {
        foreach (CodeActionOperation operation in await action.GetOperationsAsync(CancellationToken.None))
        {
            if (operation is ApplyChangesOperation apply)
            {
                return apply.ChangedSolution;
            }
        }

        throw new Xunit.Sdk.XunitException("The code action has no ApplyChangesOperation.");
    }

    /// <summary>Applies the fix with <paramref name="equivalenceKey"/> to the first diagnostic that offers it; null when none does.</summary>
    public static async Task<Solution?> FixFirstAsync(CodeFixProvider provider, Solution solution, string equivalenceKey)
    {
        foreach (Project project in solution.Projects)
        {
            foreach (Document document in project.Documents)
            {
                foreach (Diagnostic diagnostic in await DiagnosticsAsync(document))
                {
                    if (!provider.FixableDiagnosticIds.Contains(diagnostic.Id))
                    {
                        continue;
                    }

                    CodeAction? action = (await ActionsAsync(provider, document, diagnostic)).FirstOrDefault(a => a.EquivalenceKey == equivalenceKey);
                    if (action is not null)
                    {
                        return await ApplyAsync(action, solution);
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Fixes one diagnostic at a time, re-analysing in between, until no diagnostic offers the fix.</summary>
    public static async Task<Solution> FixOneAtATimeAsync(CodeFixProvider provider, Solution solution, string equivalenceKey)
    {
        for (int i = 0; i < 100; i++)
        {
            Solution? next = await FixFirstAsync(provider, solution, equivalenceKey);
            if (next is null)
            {
                return solution;
            }

            solution = next;
        }

        throw new Xunit.Sdk.XunitException("Fixing did not converge.");
    }

    /// <summary>Fix All in <paramref name="scope"/>, triggered from the first fixable diagnostic.</summary>
    public static async Task<Solution> FixAllAsync(CodeFixProvider provider, Solution solution, string equivalenceKey, FixAllScope scope)
    {
        FixAllProvider fixAll = provider.GetFixAllProvider() ?? throw new Xunit.Sdk.XunitException("No FixAllProvider.");
        Assert.Contains(scope, fixAll.GetSupportedFixAllScopes());
        foreach (Project project in solution.Projects)
        {
            foreach (Document document in project.Documents)
            {
                foreach (Diagnostic diagnostic in await DiagnosticsAsync(document))
                {
                    if (!provider.FixableDiagnosticIds.Contains(diagnostic.Id) ||
                        !(await ActionsAsync(provider, document, diagnostic)).Any(a => a.EquivalenceKey == equivalenceKey))
                    {
                        continue;
                    }

                    var context = new FixAllContext(
                        document,
                        provider,
                        scope,
                        equivalenceKey,
                        provider.FixableDiagnosticIds,
                        new AnalyzerDiagnostics(),
                        CancellationToken.None);
                    CodeAction action = await fixAll.GetFixAsync(context) ?? throw new Xunit.Sdk.XunitException("Fix All offered no action.");
                    return await ApplyAsync(action, solution);
                }
            }
        }

        return solution;
    }

    /// <summary>Every document's text, for comparing solutions.</summary>
    public static async Task<string[]> TextsAsync(Solution solution)
    {
        var texts = new List<string>();
        foreach (Project project in solution.Projects.OrderBy(p => p.Name))
        {
            foreach (Document document in project.Documents.OrderBy(d => d.Name))
            {
                texts.Add((await document.GetTextAsync()).ToString());
            }
        }

        return [.. texts];
    }

    private sealed class AnalyzerDiagnostics : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        {
            Compilation compilation = (await project.GetCompilationAsync(cancellationToken))!;
            return await AnalyzerRun.GetDiagnosticsAsync(compilation);
        }

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            await DiagnosticsAsync(document);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}
