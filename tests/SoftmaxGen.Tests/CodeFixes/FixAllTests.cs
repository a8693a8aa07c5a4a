using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using SoftmaxGen.CodeFixes;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.CodeFixes;

/// <summary>Fix All in a document, a project and a solution gives the same text as fixing one diagnostic at a time.</summary>
public class FixAllTests
{
    private static readonly string s_first = FixCases.Source(FixCases.Softmax["TwoPassFor"] + "\n" + FixCases.Softmax["LinqOnnx"].Replace("Check", "Check1", StringComparison.Ordinal) + "\n" + """
            // Two softmaxes and a log-sum-exp sharing one method and one statement.
            static void Both(double[] a, double[] b, double[] pa, double[] pb)
            {
                double sa = 0, sb = 0;
                for (int i = 0; i < a.Length; i++) { sa += Math.Exp(a[i]); sb += Math.Exp(b[i]); }
                for (int i = 0; i < a.Length; i++) { pa[i] = Math.Exp(a[i]) / sa; pb[i] = Math.Exp(b[i]) / sb; }
            }

            static double Lse(double[] x) => Math.Log(x.Sum(v => Math.Exp(v)));

            static double Lse2(double[] x)
            {
                double s = x.Sum(v => Math.Exp(v));
                return Math.Log(s);
            }
        """);

    private static readonly string s_second = FixCases.Source(FixCases.Softmax["Jagged"].Replace("Check", "Check2", StringComparison.Ordinal) + "\n" + FixCases.LogSumExp["ForLoop"].Replace("Check", "Check3", StringComparison.Ordinal));

    private static readonly string s_third = FixCases.Source(FixCases.Softmax["InPlaceSpan"]);

    public static TheoryData<string, string> Scopes => new()
    {
        { nameof(FixAllScope.Document), "SMX1001.SubtractMaximum" },
        { nameof(FixAllScope.Project), "SMX1001.SubtractMaximum" },
        { nameof(FixAllScope.Solution), "SMX1001.SubtractMaximum" },
        { nameof(FixAllScope.Solution), "SMX1002.SubtractMaximum" },
        { nameof(FixAllScope.Solution), "SMX1001.UseGeneratedSoftmax" },
    };

    [Theory]
    [MemberData(nameof(Scopes))]
    public async Task FixAll_EqualsOneAtATime(string scopeName, string key)
    {
        var scope = Enum.Parse<FixAllScope>(scopeName);
        IReadOnlyList<IReadOnlyList<string>> shape = scope switch
        {
            FixAllScope.Document => [[s_first]],
            FixAllScope.Project => [[s_first, s_second]],
            _ => [[s_first, s_second], [s_third]],
        };
        var provider = new UnshiftedSoftmaxCodeFixProvider();
        Solution solution = CodeFixRun.CreateSolution(shape, withGenerator: true);

        string[] oneAtATime = await CodeFixRun.TextsAsync(await CodeFixRun.FixOneAtATimeAsync(provider, solution, key));
        string[] fixAll = await CodeFixRun.TextsAsync(await CodeFixRun.FixAllAsync(provider, solution, key, scope));

        Assert.Equal(oneAtATime, fixAll);
        Assert.NotEqual(await CodeFixRun.TextsAsync(solution), fixAll);

        // Nothing fixable is left (an expression-bodied member has no statement to put the max pass before, so it
        // keeps its diagnostic without a fix), and the result compiles.
        Solution fixedSolution = await CodeFixRun.FixAllAsync(provider, solution, key, scope);
        Assert.Null(await CodeFixRun.FixFirstAsync(provider, fixedSolution, key));
        foreach (string text in fixAll)
        {
            var compilation = GeneratorRun.Run([text], extraReferences: [AnalyzerRun.Tensors]).Output;
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        }
    }
}
