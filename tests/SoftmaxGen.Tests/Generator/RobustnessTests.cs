using Microsoft.CodeAnalysis;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Generator;

/// <summary>
/// Half-typed and mutated code: the generator never throws (no CS8784/CS8785), the usage analyzer never throws
/// (no AD0001), and whatever the generator emits either compiles or comes with an SMX error explaining why not.
/// </summary>
public class RobustnessTests
{
    private const string Sample = """
        using System;
        using SoftmaxGen;

        namespace Demo.Models;

        public static partial class Head<T> where T : struct
        {
            /// <summary>Probabilities.</summary>
            [Softmax(10, Temperature = 0.5)]
            public static partial void Probabilities(ReadOnlySpan<float> logits, Span<float> probabilities);

            [LogSumExp]
            internal static partial double Lse(ReadOnlySpan<double> logits, double temperature);

            [SoftmaxBackward(4)]
            private static partial void Back(ReadOnlySpan<double> p, ReadOnlySpan<double> g, Span<double> dx);
        }
        """;

    [Fact]
    public async Task EveryPrefixOfASample_NeverThrows()
    {
        // Every 3rd prefix keeps the test fast while still cutting inside every token kind.
        for (int length = 0; length <= Sample.Length; length += length < 120 ? 7 : 3)
        {
            string prefix = Sample.Substring(0, length);
            await AssertNoCrashAsync(prefix);
        }
    }

    [Fact]
    public async Task ThousandsOfMutatedKernels_NeverThrow_AndNeverEmitBrokenCodeSilently()
    {
        var random = new Random(2026);
        string[] attributes = ["Softmax", "LogSoftmax", "LogSumExp", "SoftmaxJacobian", "SoftmaxBackward", "LogSoftmaxBackward", "Softmax(", "Softmax(10", "Softmax(\"a\")", "Softmax(int.MaxValue)", "Softmax(1 << 17)", "SoftmaxAttribute"];
        string[] arguments = ["", "(10)", "(1)", "(0)", "(65536)", "(-1)", "(10, Temperature = 2)", "(Temperature = 0)", "(Temperature = -1e300)", "(3, ZeroFullyMaskedRows = true)", "(ZeroFullyMaskedRows = 1)", "(K = 3)", "(10, 20)", "(4.5)"];
        string[] modifiers = ["public static partial", "static partial", "private static partial", "partial", "static", "public static", "static partial async", "static extern partial", "internal static partial"];
        string[] returns = ["void", "float", "double", "int", "Span<float>", "ref float", "", "var"];
        string[] parameterTypes = ["ReadOnlySpan<float>", "Span<float>", "ReadOnlySpan<double>", "Span<double>", "float[]", "float", "double", "int", "ref Span<float>", "in ReadOnlySpan<float>", "scoped ReadOnlySpan<float>", "Span<int>", "ReadOnlySpan<Half>", "Memory<float>", "Foo", "Span<", "out Span<double>", "params float[]"];
        string[] containers = ["partial class", "partial struct", "static partial class", "class", "partial record", "partial record struct", "partial interface", "ref partial struct", "readonly partial struct"];

        (string, string, string[])[] valid =
        [
            ("Softmax", "void", ["ReadOnlySpan<T>", "Span<T>"]),
            ("Softmax", "void", ["Span<T>"]),
            ("LogSoftmax", "void", ["ReadOnlySpan<T>", "Span<T>", "T"]),
            ("LogSumExp", "T", ["ReadOnlySpan<T>"]),
            ("LogSumExp", "void", ["ReadOnlySpan<T>", "Span<T>"]),
            ("SoftmaxJacobian", "void", ["ReadOnlySpan<T>", "Span<T>"]),
            ("SoftmaxBackward", "void", ["ReadOnlySpan<T>", "ReadOnlySpan<T>", "Span<T>"]),
            ("LogSoftmaxBackward", "void", ["ReadOnlySpan<T>", "ReadOnlySpan<T>", "Span<T>", "T"]),
        ];
        int emittedAndClean = 0;
        for (int trial = 0; trial < 1500; trial++)
        {
            string Pick(string[] from) => from[random.Next(from.Length)];

            // Start from a valid kernel, then change each part with some probability (often none, sometimes several).
            var (validAttribute, validReturn, validParameters) = valid[random.Next(valid.Length)];
            string element = random.Next(2) == 0 ? "float" : "double";
            string attribute = random.Next(4) == 0 ? Pick(attributes) : validAttribute;
            if (!attribute.Contains('(')) attribute += random.Next(3) == 0 ? Pick(arguments) : "(10)";
            string returnType = random.Next(5) == 0 ? Pick(returns) : validReturn.Replace("T", element);
            string[] parameterList = validParameters.Select(p => p.Replace("<T>", $"<{element}>").Replace("T ", element + " ")).ToArray();
            if (random.Next(3) == 0)
            {
                int count = random.Next(0, 5);
                parameterList = Enumerable.Range(0, count).Select(i => i < parameterList.Length && random.Next(2) == 0 ? parameterList[i] : Pick(parameterTypes)).ToArray();
            }

            string parameters = string.Join(", ", parameterList.Select((type, i) => $"{type} p{i}"));
            string modifier = random.Next(5) == 0 ? Pick(modifiers) : "public static partial";
            string container = random.Next(5) == 0 ? Pick(containers) : "static partial class";
            string body = random.Next(12) == 0 ? " { }" : ";";
            string source = $"using System;\nusing SoftmaxGen;\n{container} C{trial}\n{{\n    [{attribute}]\n    {modifier} {returnType} M({parameters}){body}\n}}\n";
            if (random.Next(10) == 0)
            {
                source = source.Substring(0, random.Next(source.Length));
            }

            GeneratorRun run = await AssertNoCrashAsync(source);
            if (run.KernelSources.Count == 0)
            {
                continue;
            }

            // Code was emitted: it must compile, unless the user's own code has errors the generated code merely inherits.
            // (The input compilation lacks the attributes, so user errors are read from the output compilation too.)
            var errors = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            bool IsGenerated(Diagnostic d) => d.Location.SourceTree?.FilePath.Contains("SoftmaxGenerator", StringComparison.Ordinal) == true;
            var generatedErrors = errors.Where(IsGenerated).ToList();
            var userErrors = errors.Where(d => !IsGenerated(d)).ToList();
            if (generatedErrors.Count > 0 && userErrors.Count == 0)
            {
                Assert.Fail($"Generated code has errors the user's code does not explain:\n{source}\n{string.Join("\n", generatedErrors)}\n{run.Dump()}");
            }

            if (generatedErrors.Count == 0 && userErrors.Count == 0)
            {
                emittedAndClean++;
            }
        }

        // The mutations do produce valid kernels too, so the compile check above is not vacuous.
        Assert.True(emittedAndClean > 200, $"only {emittedAndClean} mutated kernels were valid");
    }

    private static async Task<GeneratorRun> AssertNoCrashAsync(string source)
    {
        GeneratorRun run = GeneratorRun.Run(source);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");
        await UsageDiagnosticsTests.AnalyzeAsync(run.Output);
        return run;
    }
}
