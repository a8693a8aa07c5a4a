namespace SoftmaxGen.Generation.Model;

/// <summary>
/// The compile-time inputs of a <c>[HierarchicalSoftmax]</c> kernel, as values (so the pipeline caches it): the hidden size D and
/// the class counts the Huffman tree is built from. With <c>CountsFile</c> the parser leaves <paramref name="Counts"/> empty; the
/// generator fills it from the AdditionalFiles item (or sets <paramref name="Problem"/> when the file is missing or invalid, and
/// the kernel is then a body that throws; the usage analyzer reports the error).
/// </summary>
/// <param name="Dimension">The hidden size D, 1 … <see cref="MaxDimension"/>.</param>
/// <param name="Counts">One count per class, K = Counts.Length ≥ 2.</param>
/// <param name="CountsFile">The AdditionalFiles item the counts come from, or null for inline counts.</param>
/// <param name="Problem">Why the counts file could not be used, or null.</param>
/// <param name="ProblemId">The diagnostic of <paramref name="Problem"/>: SMX0022 (the counts), SMX0023 (the file) or SMX0024 (the size).</param>
/// <param name="ReportAt">
/// Where the generator itself reports a counts-file problem: set only on declarations whose SMX errors the generator reports
/// (see <see cref="InvalidDeclarations.IsReportedByGenerator"/>), as plain values so the spec still compares by value.
/// </param>
internal sealed record HierarchySpec(
    int Dimension, EquatableArray<int> Counts, string? CountsFile, string? Problem = null, string? ProblemId = null, SourceSpot? ReportAt = null)
{
    /// <summary>The largest hidden size D.</summary>
    public const int MaxDimension = 65536;

    /// <summary>The largest number of classes K (a tree of 2K − 1 nodes whose table entries fit in 32 bits).</summary>
    public const int MaxClasses = 1 << 24;

    /// <summary>The number of classes K.</summary>
    public int ClassCount => Counts.Length;
}

/// <summary>A source location as values: the file's path, the span, and its start and end line and column.</summary>
internal sealed record SourceSpot(string Path, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public static SourceSpot Of(Microsoft.CodeAnalysis.Location location)
    {
        Microsoft.CodeAnalysis.FileLinePositionSpan lines = location.GetLineSpan();
        return new SourceSpot(lines.Path, location.SourceSpan.Start, location.SourceSpan.Length,
            lines.StartLinePosition.Line, lines.StartLinePosition.Character, lines.EndLinePosition.Line, lines.EndLinePosition.Character);
    }

    public Microsoft.CodeAnalysis.Location ToLocation() => Microsoft.CodeAnalysis.Location.Create(
        Path,
        new Microsoft.CodeAnalysis.Text.TextSpan(Start, Length),
        new Microsoft.CodeAnalysis.Text.LinePositionSpan(
            new Microsoft.CodeAnalysis.Text.LinePosition(StartLine, StartColumn), new Microsoft.CodeAnalysis.Text.LinePosition(EndLine, EndColumn)));
}
