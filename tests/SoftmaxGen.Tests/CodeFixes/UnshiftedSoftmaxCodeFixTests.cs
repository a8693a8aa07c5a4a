using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using SoftmaxGen.CodeFixes;
using SoftmaxGen.Diagnostics;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.CodeFixes;

public class UnshiftedSoftmaxCodeFixTests
{
    private const string SubtractMaximum = "SubtractMaximum";

    public static TheoryData<string> SoftmaxCases => new(FixCases.Softmax.Keys);

    public static TheoryData<string> LogSumExpCases => new(FixCases.LogSumExp.Keys);

    [Theory]
    [MemberData(nameof(SoftmaxCases))]
    public Task SubtractMaximum_Softmax(string name) =>
        VerifyAsync(FixCases.Softmax[name], FixedCases.Softmax[name], DiagnosticIds.UnshiftedSoftmax, log: name.StartsWith("Log", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(LogSumExpCases))]
    public Task SubtractMaximum_LogSumExp(string name) =>
        VerifyAsync(FixCases.LogSumExp[name], FixedCases.LogSumExp[name], DiagnosticIds.UnshiftedLogSumExp, log: true);

    private static async Task VerifyAsync(string members, string expectedMembers, string id, bool log)
    {
        var provider = new UnshiftedSoftmaxCodeFixProvider();
        string source = FixCases.Source(members);
        Document document = CodeFixRun.CreateDocument(source);
        Diagnostic diagnostic = Assert.Single(await CodeFixRun.DiagnosticsAsync(document), d => d.Id == id);

        // The fix: expected text.
        var action = Assert.Single(await CodeFixRun.ActionsAsync(provider, document, diagnostic), a => a.EquivalenceKey == id + "." + SubtractMaximum);
        Solution fixedSolution = await CodeFixRun.ApplyAsync(action, document.Project.Solution);
        Document fixedDocument = fixedSolution.GetDocument(document.Id)!;
        string actual = (await fixedDocument.GetTextAsync()).ToString();
        Assert.Equal(FixCases.Source(expectedMembers).ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));

        // Compiles, re-analyses clean, and a second fix changes nothing.
        Compilation compilation = (await fixedDocument.Project.GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Empty(await CodeFixRun.DiagnosticsAsync(fixedDocument));
        Assert.Null(await CodeFixRun.FixFirstAsync(provider, fixedSolution, id + "." + SubtractMaximum));

        // Executes: same values on ordinary inputs, finite and correct on [1000, 1000, 999].
        using LoadedAssembly before = LoadedAssembly.From(AnalyzerRun.Compile(source, assemblyName: "Before" + Guid.NewGuid().ToString("N")));
        using LoadedAssembly after = LoadedAssembly.From(AnalyzerRun.Compile(actual, assemblyName: "After" + Guid.NewGuid().ToString("N")));
        var original = before.Bind<Func<double[], double[]>>("C", "Check");
        var fixedCheck = after.Bind<Func<double[], double[]>>("C", "Check");
        foreach (double[] input in new[] { new[] { 0.5, -1.25, 2.0, 0.25 }, new[] { 3.0 }, new[] { -2.0, -2.0, 1.0, 0.0, 4.0 } })
        {
            double[] expected = original(input);
            double[] got = fixedCheck(input);
            Assert.Equal(expected.Length, got.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(got[i] - expected[i]) <= 1e-6 * Math.Max(1e-300, Math.Abs(expected[i])), $"[{i}] {got[i]} vs {expected[i]}");
            }
        }

        double[] large = fixedCheck([1000, 1000, 999]);
        Assert.All(large, v => Assert.True(double.IsFinite(v), $"{v} is not finite"));
        double lse = 1000 + Math.Log(2 + Math.Exp(-1));
        double[] reference = members.Contains("LogSumExp(", StringComparison.Ordinal)
            ? [lse]
            : log ? [1000 - lse, 1000 - lse, 999 - lse] : [Math.Exp(1000 - lse), Math.Exp(1000 - lse), Math.Exp(999 - lse)];
        if (members.Contains("temperature", StringComparison.Ordinal))
        {
            double t = 500 + Math.Log(2 + Math.Exp(-0.5));
            reference = [Math.Exp(500 - t), Math.Exp(500 - t), Math.Exp(499.5 - t)];
        }

        for (int i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(large[i] - reference[i]) <= 1e-6 * Math.Abs(reference[i]), $"[{i}] {large[i]} vs {reference[i]}");
        }

        // An all −∞ input gives no NaN where the original gave none.
        double[] masked = [double.NegativeInfinity, double.NegativeInfinity];
        double[] was = original(masked);
        double[] now = fixedCheck(masked);
        for (int i = 0; i < was.Length; i++)
        {
            Assert.True(double.IsNaN(was[i]) || !double.IsNaN(now[i]), $"[{i}] NaN after the fix, {was[i]} before");
        }
    }
}
