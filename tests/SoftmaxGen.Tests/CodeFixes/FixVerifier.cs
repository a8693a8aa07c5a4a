using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using SoftmaxGen.Tests.Analyzers;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.CodeFixes;

/// <summary>
/// Applies one fix through the official framework (<see cref="StabilityCodeFixTest{TCodeFix}"/>: the markup's
/// diagnostics before, the expected text and diagnostics after, the fix iterations and Fix All, the fixed code compiled
/// with its generated kernel), then executes <c>C.Check(double[]) → double[]</c> of the original and the fixed code:
/// the same values on ordinary inputs (relative 1e-6), finite and equal to the reference on [1000, 1000, 999].
/// </summary>
internal static class FixVerifier
{
    public static readonly double[][] OrdinaryInputs = [[0.5, -1.25, 2.0, 0.25], [3.0], [-2.0, -2.0, 1.0, 0.0, 4.0]];

    public static async Task VerifyAsync<TCodeFix>(
        TCodeFix provider,
        string members,
        string expectedMembers,
        string id,
        string key,
        Func<double[], double[]> reference,
        LanguageVersion version = LanguageVersion.Latest,
        bool partialClass = true)
        where TCodeFix : CodeFixProvider, new()
    {
        Assert.Contains(id, provider.FixableDiagnosticIds);
        string source = FixCases.Source(members, partialClass);
        string fixedSource = FixCases.Source(expectedMembers);
        Assert.Contains("{|" + id + ":", source, StringComparison.Ordinal);
        await new StabilityCodeFixTest<TCodeFix>(source, fixedSource, key, version: version).RunAsync();

        using Executed run = Executed.Of(source, fixedSource, version);
        foreach (double[] input in OrdinaryInputs)
        {
            AssertClose(run.Original(input), run.Fixed(input));
        }

        double[] large = run.Fixed([1000, 1000, 999]);
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

    /// <summary>
    /// The original and the fixed source (markup stripped) compiled with the generator, loaded, and their
    /// <c>C.Check</c> bound; the fixed code must compile without warnings.
    /// </summary>
    public sealed class Executed : IDisposable
    {
        private readonly LoadedAssembly _before;
        private readonly LoadedAssembly _after;

        private Executed(LoadedAssembly before, LoadedAssembly after)
        {
            _before = before;
            _after = after;
            Original = before.Bind<Func<double[], double[]>>("C", "Check");
            Fixed = after.Bind<Func<double[], double[]>>("C", "Check");
        }

        public Func<double[], double[]> Original { get; }

        public Func<double[], double[]> Fixed { get; }

        public static Executed Of(string source, string fixedSource, LanguageVersion version = LanguageVersion.Latest)
        {
            LoadedAssembly before = LoadedAssembly.From(GeneratorRun.Run([TestReferences.Plain(source)], version, "Original" + Guid.NewGuid().ToString("N")).Output);
            LoadedAssembly after = GeneratorRun.Run([TestReferences.Plain(fixedSource)], version, "Fixed" + Guid.NewGuid().ToString("N")).Load();
            return new Executed(before, after);
        }

        public void Dispose()
        {
            _before.Dispose();
            _after.Dispose();
        }
    }
}
