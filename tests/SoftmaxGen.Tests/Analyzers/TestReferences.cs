using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace SoftmaxGen.Tests.Analyzers;

/// <summary>
/// References for analyzer and code-fix tests: the net10.0 reference assemblies from Basic.Reference.Assemblies plus
/// System.Numerics.Tensors, in-process (<see cref="Harness.References.Framework"/>). <see cref="None"/> is a reference-assembly setting without a package, so the
/// testing library never resolves (downloads) a reference pack.
/// </summary>
internal static class TestReferences
{
    /// <summary>No reference package: nothing is resolved or downloaded; <see cref="Net100"/> supplies the references.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0");

    /// <summary>net10.0 reference assemblies and System.Numerics.Tensors (the harness's set for executing code).</summary>
    public static ImmutableArray<MetadataReference> Net100 => Harness.References.Framework;

    /// <summary>Source text without test markup (<c>{|ID:…|}</c>, <c>[|…|]</c>), for compiling and executing.</summary>
    public static string Plain(string markup) => Harness.Markup.Strip(markup);

    /// <summary>A compilation of plain source against <see cref="Net100"/> (for tests that run analyzers directly).</summary>
    public static CSharpCompilation Compile(IEnumerable<string> sources, LanguageVersion version = LanguageVersion.Latest, string assemblyName = "AnalyzerTest") =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(version), path: $"Source{i}.cs")),
            Net100,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, allowUnsafe: true));
}
