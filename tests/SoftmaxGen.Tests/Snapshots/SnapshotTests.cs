using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SoftmaxGen.Tests.Harness;
using SoftmaxGen.Tests.Simd;

namespace SoftmaxGen.Tests.Snapshots;

/// <summary>
/// Four representative kernel files and the shared file of each target, checked in next to this class as
/// <c>*.g.cs.txt</c> and compared as text (the [GeneratedCode] version masked), so
/// every emitter change shows its effect on the emitted code in the diff. To re-bless after a deliberate change, run
/// <c>SOFTMAXGEN_BLESS=1 dotnet test tests/SoftmaxGen.Tests -c Release --filter "FullyQualifiedName~SnapshotTests"</c>
/// and review the diff of tests/SoftmaxGen.Tests/Snapshots/.
/// </summary>
public class SnapshotTests
{
    private const string Header = "using System;\nusing SoftmaxGen;\n";

    private static readonly string[] All = ["FloatSoftmax10", "DoubleLogSumExpAnyK", "FloatSoftmaxBackward10", "NetStandardCSharp73Softmax10", "Shared", "NetStandardCSharp73Shared"];

    public static TheoryData<string> Names => new(All);

    /// <summary>The kernel declarations, and whether each is compiled against netstandard2.0 with C# 7.3.</summary>
    private static (string Source, bool NetStandard) Case(string name) => name switch
    {
        "FloatSoftmax10" => (Header + "namespace N\n{\n    public static partial class Head\n    {\n        [Softmax(10)]\n        public static partial void Probabilities(ReadOnlySpan<float> logits, Span<float> probabilities);\n    }\n}\n", false),
        "DoubleLogSumExpAnyK" => (Header + "namespace N\n{\n    public static partial class Head\n    {\n        [LogSumExp]\n        public static partial double Lse(ReadOnlySpan<double> logits);\n    }\n}\n", false),
        "FloatSoftmaxBackward10" => (Header + "namespace N\n{\n    public static partial class Head\n    {\n        [SoftmaxBackward(10)]\n        public static partial void Backward(ReadOnlySpan<float> p, ReadOnlySpan<float> g, Span<float> dx);\n    }\n}\n", false),
        "Shared" => Case("FloatSoftmax10"),
        "NetStandardCSharp73Shared" => Case("NetStandardCSharp73Softmax10"),
        "NetStandardCSharp73Softmax10" => (Header + "namespace N\n{\n    public static partial class Head\n    {\n        [Softmax(10)]\n        static partial void InPlace(Span<float> values);\n    }\n}\n", true),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>
    /// The generated files but the attributes, by hint name, with the [GeneratedCode] version (the generator assembly's,
    /// which changes with every build) replaced by "{version}".
    /// </summary>
    internal static Dictionary<string, string> Generate(string source, bool netStandard)
    {
        LanguageVersion version = netStandard ? LanguageVersion.CSharp7_3 : LanguageVersion.Latest;
        CSharpCompilation compilation = netStandard
            ? CSharpCompilation.Create(
                "NetStandardConsumer",
                [CSharpSyntaxTree.ParseText(source, GeneratorRun.ParseOptions(version))],
                TargetFactsTests.NetStandardReferences(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release))
            : GeneratorRun.Compile([source], version);
        GeneratorDriver driver = GeneratorRun.CreateDriver(version).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out var diagnostics);
        var problems = diagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        string versioned = $"\"{Generation.Emit.KernelEmitter.GeneratorVersion}\")]";
        return driver.GetRunResult().Results.Single().GeneratedSources
            .Where(s => !s.HintName.StartsWith("SoftmaxGen.Attributes", StringComparison.Ordinal) && !s.HintName.Contains("EmbeddedAttribute", StringComparison.Ordinal))
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString().Replace(versioned, "\"{version}\")]", StringComparison.Ordinal));
    }

    /// <summary>The snapshot's file: the shared file for the Shared cases, the kernel's file otherwise.</summary>
    private static string Pick(string name, Dictionary<string, string> files) =>
        files.Single(f => (f.Key == "SoftmaxGen.Shared.g.cs") == name.EndsWith("Shared", StringComparison.Ordinal)).Value;

    /// <summary>Every file of a run, in hint-name order, each after a "// ===== hint" line (for the dump).</summary>
    private static string Concat(Dictionary<string, string> files) =>
        string.Concat(files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => "// ===== " + f.Key + "\n" + f.Value));

    private static string SnapshotDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    [Theory]
    [MemberData(nameof(Names))]
    public void GeneratedCode_MatchesTheSnapshot(string name)
    {
        var (source, netStandard) = Case(name);
        string actual = Pick(name, Generate(source, netStandard));
        string file = Path.Combine(SnapshotDirectory(), name + ".g.cs.txt");
        if (Environment.GetEnvironmentVariable("SOFTMAXGEN_BLESS") == "1")
        {
            File.WriteAllText(file, actual);
            return;
        }

        Assert.True(File.Exists(file), $"No snapshot {file}: run with SOFTMAXGEN_BLESS=1 to create it.");
        string expected = File.ReadAllText(file).Replace("\r\n", "\n");
        if (expected != actual)
        {
            string[] e = expected.Split('\n');
            string[] a = actual.Split('\n');
            int line = 0;
            while (line < e.Length && line < a.Length && e[line] == a[line])
            {
                line++;
            }

            Assert.Fail($"{name}: generated code differs from {file} from line {line + 1}:\n  snapshot: {(line < e.Length ? e[line] : "<end>")}\n  actual:   {(line < a.Length ? a[line] : "<end>")}\n" +
                "Run with SOFTMAXGEN_BLESS=1 to re-bless, then review the diff.");
        }
    }

    /// <summary>
    /// Not a check: with SOFTMAXGEN_DUMP set to a directory, writes one file per kernel of a wide matrix (every op, both
    /// element types, K from 2 to 1000 and any K, the forms and temperatures), to diff the emitted code before and after
    /// an emitter change.
    /// </summary>
    [Fact]
    public void DumpMatrix_WhenAsked()
    {
        string? directory = Environment.GetEnvironmentVariable("SOFTMAXGEN_DUMP");
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        Directory.CreateDirectory(directory);
        string[] ks = ["", "2", "4", "8", "10", "16", "17", "1000"];
        foreach (string type in new[] { "float", "double" })
        {
            foreach (string k in ks)
            {
                string attr(string op) => k.Length == 0 ? op : $"{op}({k})";
                var kernels = new Dictionary<string, string>
                {
                    ["Softmax"] = $"[{attr("Softmax")}] public static partial void M(ReadOnlySpan<{type}> x, Span<{type}> y);",
                    ["SoftmaxInPlace"] = $"[{attr("Softmax")}] public static partial void M(Span<{type}> x);",
                    ["SoftmaxT"] = $"[{attr("Softmax")}] public static partial void M(ReadOnlySpan<{type}> x, Span<{type}> y, {type} t);",
                    ["SoftmaxMasked"] = $"[{(k.Length == 0 ? "Softmax(ZeroFullyMaskedRows = true)" : $"Softmax({k}, ZeroFullyMaskedRows = true)")}] public static partial void M(ReadOnlySpan<{type}> x, Span<{type}> y);",
                    ["LogSoftmax"] = $"[{attr("LogSoftmax")}] public static partial void M(ReadOnlySpan<{type}> x, Span<{type}> y);",
                    ["LogSoftmaxT"] = $"[{(k.Length == 0 ? "LogSoftmax(Temperature = 0.5)" : $"LogSoftmax({k}, Temperature = 0.5)")}] public static partial void M(ReadOnlySpan<{type}> x, Span<{type}> y);",
                    ["LogSumExp"] = $"[{attr("LogSumExp")}] public static partial void M(ReadOnlySpan<{type}> x, Span<{type}> r);",
                    ["LogSumExpScalar"] = $"[{attr("LogSumExp")}] public static partial {type} M(ReadOnlySpan<{type}> x);",
                    ["Jacobian"] = $"[{attr("SoftmaxJacobian")}] public static partial void M(ReadOnlySpan<{type}> p, Span<{type}> j);",
                    ["Backward"] = $"[{attr("SoftmaxBackward")}] public static partial void M(ReadOnlySpan<{type}> p, ReadOnlySpan<{type}> g, Span<{type}> dx);",
                    ["LogSoftmaxBackward"] = $"[{attr("LogSoftmaxBackward")}] public static partial void M(ReadOnlySpan<{type}> p, ReadOnlySpan<{type}> g, Span<{type}> dx, {type} t);",
                };
                foreach (var (name, declaration) in kernels)
                {
                    if (name == "LogSumExpScalar" && k.Length > 0 && k != "10")
                    {
                        continue;
                    }

                    string source = Header + "namespace N\n{\n    public static partial class Head\n    {\n        " + declaration + "\n    }\n}\n";
                    File.WriteAllText(Path.Combine(directory, $"{name}_{type}_{(k.Length == 0 ? "any" : k)}.cs"), Concat(Generate(source, netStandard: false)));
                }
            }
        }

        foreach (string name in All)
        {
            var (source, netStandard) = Case(name);
            File.WriteAllText(Path.Combine(directory, name + ".cs"), Concat(Generate(source, netStandard)));
        }
    }
}
