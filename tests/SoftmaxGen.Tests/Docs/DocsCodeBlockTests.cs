using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SoftmaxGen.Tests.Generator;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Docs;

/// <summary>
/// Every <c>```csharp</c> block in README.md and docs/**/*.md is compiled with the generator and every SoftmaxGen
/// analyzer, so no example can rot. The convention (also in CONTRIBUTING.md):
/// <list type="bullet">
/// <item>Each block is its own compilation, with <c>global using System; System.Linq; System.Numerics.Tensors;
/// SoftmaxGen;</c> added (so pages need not repeat them). A block with top-level statements is compiled as a program,
/// a block of bare methods inside a class, any other block as a library.</item>
/// <item>A block with comments that start by naming diagnostic IDs (<c>// SMX0013</c>, <c>// SMX1001 on …</c>,
/// <c>// also SMX1003</c>) must produce exactly the SoftmaxGen diagnostics they name, and nothing inside a generated file (the compiler's own error on the
/// same declaration may accompany it); <c>&lt;LangVersion&gt;7.3&lt;/LangVersion&gt;</c> in that line sets the language
/// version. Any other block must compile without an error or warning.</item>
/// <item>A block that is deliberately a fragment has the line <c>&lt;!-- snippet: partial --&gt;</c> right before its
/// fence and is not compiled.</item>
/// </list>
/// </summary>
public sealed partial class DocsCodeBlockTests
{
    private const string Prelude = "global using System;\nglobal using System.Linq;\nglobal using System.Numerics.Tensors;\nglobal using SoftmaxGen;\n";

    [GeneratedRegex(@"(?<marker><!-- snippet: partial -->\r?\n)?^```csharp[^\n]*\n(?<code>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Block();

    /// <summary>A comment that starts by naming a diagnostic: <c>// SMX0013</c>, <c>// SMX1001 on …</c>, <c>// also SMX1003</c>.</summary>
    [GeneratedRegex(@"//\s*(?:also\s+)?SMX\d{4}\b.*$", RegexOptions.Multiline)]
    private static partial Regex ExpectedComment();

    [GeneratedRegex(@"<LangVersion>([^<]+)</LangVersion>")]
    private static partial Regex LangVersion();

    [GeneratedRegex(@"\b(SMX\d{4})\b")]
    private static partial Regex DiagnosticId();

    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (string file in MarkdownFiles())
        {
            int count = Block().Matches(File.ReadAllText(Path.Combine(UsageDiagnosticsTests.RepoRoot(), file))).Count;
            for (int i = 0; i < count; i++)
            {
                data.Add(file, i);
            }
        }

        return data;
    }

    [Fact]
    public void TheDocsHaveCodeBlocks_AndTheConventionIsDocumented()
    {
        Assert.True(Blocks().Count() >= 30, "expected the docs' csharp blocks to be found");
        Assert.Contains("<!-- snippet: partial -->", File.ReadAllText(Path.Combine(UsageDiagnosticsTests.RepoRoot(), "CONTRIBUTING.md")));
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public async Task CodeBlock_Compiles(string file, int index)
    {
        Match block = Block().Matches(File.ReadAllText(Path.Combine(UsageDiagnosticsTests.RepoRoot(), file)))[index];
        if (block.Groups["marker"].Success)
        {
            return;
        }

        string code = block.Groups["code"].Value;
        string firstLine = code.Split('\n')[0];
        var expected = new HashSet<string>();
        foreach (Match comment in ExpectedComment().Matches(code))
        {
            expected.UnionWith(DiagnosticId().Matches(comment.Value).Select(m => m.Value));
        }

        // "<LangVersion>7.3</LangVersion>" in that first line compiles the block with that language version.
        LanguageVersion version = LanguageVersion.Latest;
        if (LangVersion().Match(firstLine) is { Success: true } lang)
        {
            Assert.True(LanguageVersionFacts.TryParse(lang.Groups[1].Value, out version));
        }

        // A block of bare methods (no statements, no types) is compiled inside a class, as methods rather than local functions.
        if (CSharpSyntaxTree.ParseText(code).GetRoot().ChildNodes().OfType<GlobalStatementSyntax>().ToList() is { Count: > 0 } statements &&
            statements.All(g => g.Statement is LocalFunctionStatementSyntax))
        {
            code = "public static partial class Snippet\n{\n" + code + "}\n";
        }

        // C# 10 takes the usings as global usings in a file of their own; an older version gets them on top of the block.
        CSharpParseOptions options = GeneratorRun.ParseOptions(version);
        SyntaxTree[] trees = version >= LanguageVersion.CSharp10
            ? [CSharpSyntaxTree.ParseText(Prelude, options, path: "Prelude.cs"), CSharpSyntaxTree.ParseText(code, options, path: "Block.cs")]
            : [CSharpSyntaxTree.ParseText(Prelude.Replace("global using", "using", StringComparison.Ordinal) + code, options, path: "Block.cs")];
        bool program = trees[^1].GetRoot().ChildNodes().Any(n => n is GlobalStatementSyntax);
        CSharpCompilation input = GeneratorRun.Compile([], version).AddSyntaxTrees(trees);
        input = input.WithOptions(input.Options.WithOutputKind(program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary));
        GeneratorRun.CreateDriver(version).RunGeneratorsAndUpdateCompilation(input, out Compilation output, out var generatorDiagnostics);

        var analyzers = typeof(SoftmaxGen.Generation.SoftmaxGenerator).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        var all = generatorDiagnostics
            .Concat(await output.WithAnalyzers(analyzers).GetAllDiagnosticsAsync())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && !d.IsSuppressed)
            .ToList();

        var actualIds = all.Where(d => d.Id.StartsWith("SMX", StringComparison.Ordinal)).Select(d => d.Id).ToHashSet();
        // An example of an error may draw the compiler's own error on the same declaration (CS8795, CS0751, CS8370 …),
        // never one inside a generated file; any other block must be clean.
        var others = all.Where(d => !d.Id.StartsWith("SMX", StringComparison.Ordinal) &&
                                    (expected.Count == 0 || d.Location.SourceTree?.FilePath != "Block.cs")).ToList();
        Assert.True(
            expected.SetEquals(actualIds) && others.Count == 0,
            $"{file}, csharp block {index + 1} (mark a deliberate fragment with <!-- snippet: partial -->):\n" +
            $"expected SoftmaxGen diagnostics [{string.Join(", ", expected.Order())}], got [{string.Join(", ", actualIds.Order())}]\n" +
            string.Join("\n", all.Select(d => d.ToString())) + "\n---\n" + code);
    }

    private static IEnumerable<string> MarkdownFiles()
    {
        string root = UsageDiagnosticsTests.RepoRoot();
        yield return "README.md";
        foreach (string path in Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            yield return Path.GetRelativePath(root, path).Replace('\\', '/');
        }
    }
}
