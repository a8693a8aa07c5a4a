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
internal sealed record HierarchySpec(int Dimension, EquatableArray<int> Counts, string? CountsFile, string? Problem = null)
{
    /// <summary>The largest hidden size D.</summary>
    public const int MaxDimension = 65536;

    /// <summary>The largest number of classes K (a tree of 2K − 1 nodes whose table entries fit in 32 bits).</summary>
    public const int MaxClasses = 1 << 24;

    /// <summary>The number of classes K.</summary>
    public int ClassCount => Counts.Length;
}
