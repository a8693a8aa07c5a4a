using Microsoft.CodeAnalysis;
using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.Tests.Analyzers.HeldOut;

/// <summary>
/// Recall and false positives on the held-out corpus (<see cref="HeldOutNaive"/>, <see cref="HeldOutCorrect"/>):
/// methods from public C# repositories, collected after the analyzer was written and not used to design its rules
/// (see README.md for their origin). Every naive file must be reported with SMX1001 or SMX1002; no correct file may be
/// reported at all. Each file must compile (Unity's <c>Mathf</c>, <c>Random</c>, <c>Debug</c> and <c>MonoBehaviour</c>
/// come from a stub, since UnityEngine is not referenced). The figures are in docs/analyzers.md.
/// </summary>
public class HeldOutTests
{
    private const string UnityStub = """
        namespace UnityEngine
        {
            public static class Mathf
            {
                public static float Exp(float p) => (float)System.Math.Exp(p);
                public static float Log(float p) => (float)System.Math.Log(p);
                public static float Pow(float f, float p) => (float)System.Math.Pow(f, p);
                public static float Max(float a, float b) => a > b ? a : b;
                public static float Clamp(float v, float min, float max) => v < min ? min : v > max ? max : v;
                public static float DeltaAngle(float current, float target) => target - current;
                public static bool Approximately(float a, float b) => System.Math.Abs(a - b) < 1e-6f;
            }
            public static class Random
            {
                public static float value => 0.5f;
                public static float Range(float min, float max) => (min + max) / 2;
            }
            public static class Debug { public static void Log(object message) { } }
            public class MonoBehaviour { }
        }
        """;

    public static TheoryData<string> NaiveNames => [.. HeldOutNaive.Files.Select(f => f.Name)];

    public static TheoryData<string> CorrectNames => [.. HeldOutCorrect.Files.Select(f => f.Name)];

    /// <summary>
    /// Naive files the analyzer still misses, with the reason (docs/analyzers.md lists them). The test asserts they
    /// are still missed, so that the recall figure in the docs cannot silently go stale.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> KnownMisses = new Dictionary<string, string>
    {
        ["DeepUnityTensorExp"] = "exps and sums inside a tensor type's static operators (Tensor.Exp, Tensor.Sum, operator /)",
        ["TrainerForwardBackwardSplit"] = "the exp sum returned by one method and passed as a parameter to the method that divides",
    };

    /// <summary>Correct files the analyzer still reports, with the reason.</summary>
    internal static readonly IReadOnlyDictionary<string, string> KnownFalsePositives = new Dictionary<string, string>
    {
    };

    [Theory]
    [MemberData(nameof(NaiveNames))]
    public async Task NaiveFile_IsReported(string name)
    {
        ImmutableArray<Diagnostic> found = await AnalyseAsync(HeldOutNaive.Files.Single(f => f.Name == name).Source);
        bool reported = found.Any(d => d.Id is DiagnosticIds.UnshiftedSoftmax or DiagnosticIds.UnshiftedLogSumExp);
        Assert.True(reported != KnownMisses.ContainsKey(name), reported ? "a known miss is now reported: update KnownMisses and the docs" : "not reported");
    }

    [Theory]
    [MemberData(nameof(CorrectNames))]
    public async Task CorrectFile_IsNotReported(string name)
    {
        ImmutableArray<Diagnostic> found = await AnalyseAsync(HeldOutCorrect.Files.Single(f => f.Name == name).Source);
        Assert.True(found.IsEmpty != KnownFalsePositives.ContainsKey(name), found.IsEmpty ? "a known false positive is gone: update the list and the docs" : string.Join("; ", found));
    }

    /// <summary>The figures docs/analyzers.md gives: 30 of 32 naive files reported, 1 of 33 correct files reported.</summary>
    [Fact]
    public void Figures_MatchTheDocs()
    {
        Assert.Equal(30, HeldOutNaive.Files.Count - KnownMisses.Count);
        Assert.Empty(KnownFalsePositives);
        Assert.All(KnownMisses.Keys.Concat(KnownFalsePositives.Keys), n => Assert.Contains(n, HeldOutNaive.Files.Select(f => f.Name).Concat(HeldOutCorrect.Files.Select(f => f.Name))));
    }

    [Fact]
    public void HeldOut_HasTheAdvertisedSize()
    {
        Assert.True(HeldOutNaive.Files.Count >= 30, "at least 30 naive files");
        Assert.True(HeldOutCorrect.Files.Count >= 20, "at least 20 correct files");
        Assert.Equal(HeldOutNaive.Files.Count, HeldOutNaive.Files.Select(f => f.Name).Distinct().Count());
        Assert.Equal(HeldOutCorrect.Files.Count, HeldOutCorrect.Files.Select(f => f.Name).Distinct().Count());
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyseAsync(string source)
    {
        var sources = source.Contains("using UnityEngine;", StringComparison.Ordinal) ? new[] { source, UnityStub } : [source];
        var compilation = TestReferences.Compile(sources);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return await StabilityAnalyzerTest.DiagnosticsAsync(compilation);
    }
}
