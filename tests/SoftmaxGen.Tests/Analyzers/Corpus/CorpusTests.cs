using Microsoft.CodeAnalysis;
using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.Tests.Analyzers.Corpus;

/// <summary>
/// Recall and false positives on the corpus of realistic files (<see cref="NaiveCorpus"/>: every file must be
/// reported with SMX1001 or SMX1002; <see cref="CorrectCorpus"/>: no file may be reported). Each file must compile.
/// The figures are in docs/analyzers.md.
/// </summary>
public class CorpusTests
{
    private const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.Linq;\n";

    public static TheoryData<string> NaiveNames => [.. NaiveCorpus.Files.Select(f => f.Name)];

    public static TheoryData<string> CorrectNames => [.. CorrectCorpus.Files.Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(NaiveNames))]
    public async Task NaiveFile_IsReported(string name)
    {
        ImmutableArray<Diagnostic> found = await AnalyseAsync(NaiveCorpus.Files.Single(f => f.Name == name).Source);
        Assert.Contains(found, d => d.Id is DiagnosticIds.UnshiftedSoftmax or DiagnosticIds.UnshiftedLogSumExp);
    }

    [Theory]
    [MemberData(nameof(CorrectNames))]
    public async Task CorrectFile_IsNotReported(string name)
    {
        ImmutableArray<Diagnostic> found = await AnalyseAsync(CorrectCorpus.Files.Single(f => f.Name == name).Source);
        Assert.Empty(found);
    }

    [Fact]
    public void Corpus_HasTheAdvertisedSize()
    {
        Assert.True(NaiveCorpus.Files.Count >= 40, "at least 40 naive files");
        Assert.True(CorrectCorpus.Files.Count >= 20, "at least 20 correct files");
        Assert.Equal(NaiveCorpus.Files.Count, NaiveCorpus.Files.Select(f => f.Name).Distinct().Count());
        Assert.Equal(CorrectCorpus.Files.Count, CorrectCorpus.Files.Select(f => f.Name).Distinct().Count());
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyseAsync(string source)
    {
        var compilation = TestReferences.Compile([Usings + source]);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return await StabilityAnalyzerTest.DiagnosticsAsync(compilation);
    }
}
