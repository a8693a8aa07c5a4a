using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using SoftmaxGen.Analysis;
using SoftmaxGen.Generation;

namespace SoftmaxGen.Tests.Harness;

/// <summary>
/// The official Roslyn test framework, set up for SoftmaxGen: the usage analyzer with the generator in the test state
/// (<see cref="UsageAnalyzerTest"/>), and the generator alone (<see cref="KernelGeneratorTest"/>), each compiling
/// against one target's Basic.Reference.Assemblies set (nothing is downloaded: the framework's reference set names the
/// target framework and resolves to no package).
/// </summary>
internal static class TestStates
{
    internal static void Configure(SolutionState state, Target target)
    {
        state.ReferenceAssemblies = References.TestingSet(target);
        state.AdditionalReferences.AddRange(References.For(target));
    }
}

/// <summary>SMX00xx diagnostics of <see cref="SoftmaxAttributeUsageAnalyzer"/>, on a compilation the generator already ran on.</summary>
internal sealed class UsageAnalyzerTest : CSharpAnalyzerTest<SoftmaxAttributeUsageAnalyzer, DefaultVerifier>
{
    private readonly LanguageVersion _version;

    public UsageAnalyzerTest(Target target = Target.Net100, LanguageVersion version = LanguageVersion.Latest)
    {
        _version = version;
        TestStates.Configure(TestState, target);
        // The generated kernels are the generator tests' concern; the misuse cases also leave partial methods without
        // implementations (CS8795), which is why only the analyzer's diagnostics are compared.
        TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck;
        CompilerDiagnostics = CompilerDiagnostics.None;
    }

    protected override IEnumerable<Type> GetSourceGenerators() => [typeof(SoftmaxGenerator)];

    protected override ParseOptions CreateParseOptions() =>
        ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(_version);
}

/// <summary>The generator on its own: the compilation with the generated sources must have no warning and no error.</summary>
internal sealed class KernelGeneratorTest : CSharpSourceGeneratorTest<SoftmaxGenerator, DefaultVerifier>
{
    private readonly LanguageVersion _version;

    public KernelGeneratorTest(Target target, LanguageVersion version = LanguageVersion.Latest)
    {
        _version = version;
        TestStates.Configure(TestState, target);
        TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck;
        CompilerDiagnostics = CompilerDiagnostics.Warnings;
    }

    protected override ParseOptions CreateParseOptions() =>
        ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(_version);

    protected override CompilationOptions CreateCompilationOptions() =>
        ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithOptimizationLevel(OptimizationLevel.Release);
}
