using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SoftmaxGen.Generation;

namespace SoftmaxGen.Tests.Harness;

/// <summary>Runs <see cref="SoftmaxGenerator"/> over source text and exposes what it produced.</summary>
public sealed class GeneratorRun
{
    private GeneratorRun(CSharpCompilation input, Compilation output, GeneratorDriver driver, ImmutableArray<Diagnostic> generatorDiagnostics)
    {
        Input = input;
        Output = output;
        Driver = driver;
        GeneratorDiagnostics = generatorDiagnostics;
    }

    public CSharpCompilation Input { get; }

    public Compilation Output { get; }

    public GeneratorDriver Driver { get; }

    /// <summary>Diagnostics the driver reported (generator exceptions are CS8784/CS8785).</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    public static CSharpParseOptions ParseOptions(LanguageVersion version = LanguageVersion.Latest) =>
        new(version);

    /// <summary>A compilation of <paramref name="sources"/> against the reference assemblies of <paramref name="target"/>.</summary>
    public static CSharpCompilation Compile(IEnumerable<string> sources, LanguageVersion version = LanguageVersion.Latest, string assemblyName = "Kernels", IEnumerable<MetadataReference>? extraReferences = null, Target target = Target.Net100) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions(version), path: $"Source{i}.cs", encoding: System.Text.Encoding.UTF8)),
            References.For(target).AddRange(extraReferences ?? []),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, allowUnsafe: true));

    public static GeneratorDriver CreateDriver(LanguageVersion version = LanguageVersion.Latest) =>
        CSharpGeneratorDriver.Create(
            [new SoftmaxGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions(version),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(string source, LanguageVersion version = LanguageVersion.Latest) => Run([source], version);

    public static GeneratorRun Run(IEnumerable<string> sources, LanguageVersion version = LanguageVersion.Latest, string assemblyName = "Kernels", IEnumerable<MetadataReference>? extraReferences = null, Target target = Target.Net100)
    {
        CSharpCompilation input = Compile(sources, version, assemblyName, extraReferences, target);
        GeneratorDriver driver = CreateDriver(version).RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorRun(input, output, driver, diagnostics);
    }

    /// <summary>The generated files other than the attribute definitions, by hint name.</summary>
    public IReadOnlyDictionary<string, string> KernelSources =>
        Driver.GetRunResult().Results.Single().GeneratedSources
            .Where(s => !s.HintName.StartsWith("SoftmaxGen.Attributes", StringComparison.Ordinal) && !s.HintName.Contains("EmbeddedAttribute", StringComparison.Ordinal) && s.HintName != "SoftmaxGen.Shared.g.cs" &&
                        !s.HintName.EndsWith(".invalid.g.cs", StringComparison.Ordinal)) // placeholders for invalid declarations are no kernels
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    /// <summary>Errors and warnings of the generator and the compiled output; on failure prints every generated file.</summary>
    public GeneratorRun AssertClean()
    {
        var problems = GeneratorDiagnostics
            .Concat(Output.GetDiagnostics())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToList();
        if (problems.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("Generated code does not compile cleanly:\n" +
                string.Join("\n", problems.Select(d => d.ToString())) + "\n\n" + Dump());
        }

        return this;
    }

    /// <summary>Every generated file with line numbers, for failure messages.</summary>
    public string Dump()
    {
        var text = new StringBuilder();
        foreach (var (name, source) in KernelSources)
        {
            text.Append("===== ").Append(name).Append('\n');
            int line = 1;
            foreach (string l in source.Split('\n'))
            {
                text.Append(line++.ToString().PadLeft(4)).Append("  ").Append(l).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Emits the output compilation and loads it into a collectible context.</summary>
    public LoadedAssembly Load() => LoadedAssembly.From(AssertClean().Output);
}
