namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// What a method or local function of the same compilation does with its parameters, as far as a softmax can be
/// spread over several functions: one produces the exponentials, another sums them, another divides. Computed once
/// per method and compilation, on first need, by <see cref="SoftmaxMatcher"/> on the helper's own operation tree.
/// Each property is a parameter ordinal, or −1.
/// </summary>
internal sealed class HelperSummary
{
    public static readonly HelperSummary None = new();

    /// <summary>Returns exp of this scalar parameter (a wrapper; also clamped: <c>Math.Exp(Math.Min(x, 80))</c>).</summary>
    public int ExpOf { get; init; } = -1;

    /// <summary>Returns (or yields) exp of each element of this collection parameter.</summary>
    public int ExpsOf { get; init; } = -1;

    /// <summary>Replaces each element of this collection parameter by its exp.</summary>
    public int ExpsInPlace { get; init; } = -1;

    /// <summary>Returns Σ of the elements of this collection parameter.</summary>
    public int SumOf { get; init; } = -1;

    /// <summary>Returns the largest element of this collection parameter.</summary>
    public int MaxOf { get; init; } = -1;

    /// <summary>Returns the smallest element of this collection parameter.</summary>
    public int MinOf { get; init; } = -1;

    /// <summary>Divides each element of this collection parameter by its own sum (in place or into its result).</summary>
    public int Normalises { get; init; } = -1;

    /// <summary>With <see cref="Divisor"/>: divides each element of this collection parameter by the scalar parameter <see cref="Divisor"/>.</summary>
    public int Divided { get; init; } = -1;

    public int Divisor { get; init; } = -1;

    public bool IsNone =>
        ExpOf < 0 && ExpsOf < 0 && ExpsInPlace < 0 && SumOf < 0 && MaxOf < 0 && MinOf < 0 && Normalises < 0 && Divided < 0;
}
