using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.CodeFixes;

/// <summary>
/// Applies one fix and checks the result: expected text, compiles (with the generator), re-analyses without the
/// diagnostic, a second fix changes nothing, and <c>C.Check(double[]) → double[]</c> of the fixed code matches the
/// original on ordinary inputs (relative 1e-6) and the reference on [1000, 1000, 999].
/// </summary>
internal static class FixVerifier
{
    public static readonly double[][] OrdinaryInputs = [[0.5, -1.25, 2.0, 0.25], [3.0], [-2.0, -2.0, 1.0, 0.0, 4.0]];

    public static async Task VerifyAsync(
        CodeFixProvider provider,
        string members,
        string expectedMembers,
        string id,
        string key,
        Func<double[], double[]> reference,
        LanguageVersion version = LanguageVersion.Latest,
        bool partialClass = true)
    {
        string source = FixCases.Source(members, partialClass);
        Document document = CodeFixRun.CreateDocument(source, version, withGenerator: true);
        Diagnostic diagnostic = Assert.Single(await CodeFixRun.DiagnosticsAsync(document), d => d.Id == id);
        var action = Assert.Single(await CodeFixRun.ActionsAsync(provider, document, diagnostic), a => a.EquivalenceKey == key);
        Solution fixedSolution = await CodeFixRun.ApplyAsync(action, document.Project.Solution);
        Document fixedDocument = fixedSolution.GetDocument(document.Id)!;
        string actual = (await fixedDocument.GetTextAsync()).ToString().ReplaceLineEndings("\n");
        Assert.Equal(FixCases.Source(expectedMembers).ReplaceLineEndings("\n"), actual);

        // Compiles with the generator, re-analyses without the diagnostic, and a second fix changes nothing.
        GeneratorRun run = GeneratorRun.Run([actual], version, "Fixed" + Guid.NewGuid().ToString("N"), [AnalyzerRun.Tensors]).AssertClean();
        Assert.DoesNotContain(await AnalyzerRun.GetDiagnosticsAsync(run.Output), d => d.Id == id);
        Assert.Null(await CodeFixRun.FixFirstAsync(provider, fixedSolution, key));

        using LoadedAssembly before = LoadedAssembly.From(GeneratorRun.Run([source], version, "Original" + Guid.NewGuid().ToString("N"), [AnalyzerRun.Tensors]).Output);
        using LoadedAssembly after = run.Load();
        var original = before.Bind<Func<double[], double[]>>("C", "Check");
        var fixedCheck = after.Bind<Func<double[], double[]>>("C", "Check");
        foreach (double[] input in OrdinaryInputs)
        {
            AssertClose(original(input), fixedCheck(input));
        }

        double[] large = fixedCheck([1000, 1000, 999]);
        Assert.All(large, v => Assert.True(double.IsFinite(v), $"{v} is not finite"));
        AssertClose(reference([1000, 1000, 999]), large);
    }

    public static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-6 * Math.Abs(expected[i]), $"[{i}] {actual[i]} vs {expected[i]}");
        }
    }

    /// <summary>Max-shifted softmax in double.</summary>
    public static double[] Softmax(double[] x)
    {
        double m = x.Max();
        double s = x.Sum(v => Math.Exp(v - m));
        return x.Select(v => Math.Exp(v - m) / s).ToArray();
    }

    public static double[] LogSoftmax(double[] x)
    {
        double m = x.Max();
        double lse = m + Math.Log(x.Sum(v => Math.Exp(v - m)));
        return x.Select(v => v - lse).ToArray();
    }
}
