using System;
using System.Buffers;
using Microsoft.CodeAnalysis.Text;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// The characters of a source text in a pooled buffer, for vectorised searches (<c>MemoryExtensions.IndexOf</c>).
/// <see cref="SourceText.ToString()"/> would copy every file the compiler read as a large text (over 40 K characters)
/// into a new string; a pooled buffer is reused.
/// </summary>
internal readonly struct TextSearch : IDisposable
{
    private readonly char[] _buffer;

    public TextSearch(SourceText text)
    {
        Length = text.Length;
        _buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, Length));
        text.CopyTo(0, _buffer, 0, Length);
    }

    public int Length { get; }

    public char[] Chars => _buffer;

    public ReadOnlySpan<char> Span => _buffer.AsSpan(0, Length);

    /// <summary>The first position at or after <paramref name="from"/> where <paramref name="word"/> occurs, or −1.</summary>
    public int IndexOf(string word, int from)
    {
        if (from >= Length)
        {
            return -1;
        }

        int at = Span.Slice(from).IndexOf(word.AsSpan());
        return at < 0 ? -1 : from + at;
    }

    /// <summary>Whether any of <paramref name="words"/> occurs in the text.</summary>
    public bool ContainsAny(string[] words)
    {
        foreach (string word in words)
        {
            if (IndexOf(word, 0) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => ArrayPool<char>.Shared.Return(_buffer);
}
