using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using SoftmaxGen.Analysis;
using SoftmaxGen.Generation;
using SoftmaxGen.Tests.Analyzers;

namespace SoftmaxGen.Tests.CodeFixes;

/// <summary>
/// The official code-fix test (diagnostics from markup before and after, the fix by equivalence key, incremental
/// iterations and Fix All in document, project and solution) with every stability analyzer, the net10.0 references
/// of <see cref="TestReferences"/> and, where a fix writes a [Softmax]/[LogSoftmax] declaration, the SoftmaxGen
/// generator, so the fixed code is compiled together with its generated kernel (compiler errors fail the test).
/// </summary>
public sealed class StabilityCodeFixTest<TCodeFix> : CSharpCodeFixTest<UnstableLibrarySoftmaxAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    private readonly bool _withGenerator;

    public StabilityCodeFixTest(string source, string fixedSource, string key, bool withGenerator = true, LanguageVersion version = LanguageVersion.Latest)
    {
        _withGenerator = withGenerator;
        TestCode = source;
        FixedCode = fixedSource;
        CodeActionEquivalenceKey = key;
        ReferenceAssemblies = TestReferences.None;
        TestState.AdditionalReferences.AddRange(TestReferences.Net100);
        FixedState.AdditionalReferences.AddRange(TestReferences.Net100);
        BatchFixedState.AdditionalReferences.AddRange(TestReferences.Net100);
        SolutionTransforms.Add((solution, _) =>
        {
            foreach (ProjectId projectId in solution.ProjectIds)
            {
                Project project = solution.GetProject(projectId)!;
                if (_withGenerator)
                {
                    // The framework runs generators outside the workspace; the fixers look for the generated attribute
                    // types in the document's compilation, so the generator goes in as the IDE has it: an analyzer reference.
                    solution = solution.AddAnalyzerReference(projectId, GeneratorReference.Instance);
                }

                solution = solution
                    .WithProjectCompilationOptions(projectId, ((CSharpCompilationOptions)project.CompilationOptions!).WithAllowUnsafe(true).WithOptimizationLevel(OptimizationLevel.Release))
                    .WithProjectParseOptions(projectId, ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(version));
            }

            return solution;
        });
    }

    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => StabilityAnalyzerTest.Analyzers;

    /// <summary>The SoftmaxGen generator as an analyzer reference, so workspace compilations see generated kernels.</summary>
    private sealed class GeneratorReference : AnalyzerReference
    {
        public static readonly GeneratorReference Instance = new();

        // The workspace keys generator state by instance, so every call returns the same one.
        private readonly ImmutableArray<ISourceGenerator> _generators = [new SoftmaxGenerator().AsSourceGenerator()];

        public override string? FullPath => null;

        public override object Id => nameof(GeneratorReference);

        public override string Display => "SoftmaxGen generator";

        public override ImmutableArray<DiagnosticAnalyzer> GetAnalyzers(string language) => [];

        public override ImmutableArray<DiagnosticAnalyzer> GetAnalyzersForAllLanguages() => [];

        public override ImmutableArray<ISourceGenerator> GetGenerators(string language) => language == LanguageNames.CSharp ? _generators : [];

        public override ImmutableArray<ISourceGenerator> GetGeneratorsForAllLanguages() => _generators;
    }
}
