using SoftmaxGen.CodeFixes;
using SoftmaxGen.Diagnostics;

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
        string source = FixCases.Source(members);
        string fixedSource = FixCases.Source(expectedMembers);
        Assert.Contains("{|" + id + ":", source, StringComparison.Ordinal);

        // The fix: the markup's diagnostic before, the expected text after, nothing left to fix, Fix All the same.
        await new StabilityCodeFixTest<UnshiftedSoftmaxCodeFixProvider>(source, fixedSource, id + "." + SubtractMaximum, withGenerator: false).RunAsync();

        // Executes: same values on ordinary inputs, finite and correct on [1000, 1000, 999].
        using FixVerifier.Executed run = FixVerifier.Executed.Of(source, fixedSource);
        var original = run.Original;
        var fixedCheck = run.Fixed;
        foreach (double[] input in FixVerifier.OrdinaryInputs)
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
