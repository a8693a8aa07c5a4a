using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// Where the names the SMX1xxx analyzers care about (Exp, Pow, Log, SoftMax, anything containing "softmax") occur
/// in one syntax tree, found once per tree by a plain text search and shared by all four analyzers. A code block
/// that names none of them is skipped without binding or building an operation tree. Matches inside comments or
/// strings only cost an unnecessary look; they never cause a report, since the matchers work on operations.
/// </summary>
internal sealed class NameIndex
{
    private static readonly ConditionalWeakTable<SyntaxTree, NameIndex> s_cache = new();

    private readonly int[] _exp;
    private readonly int[] _log;
    private readonly int[] _softMax;
    private readonly int[] _softmaxAnyCase;
    private readonly int[] _divide;

    private NameIndex(string text)
    {
        _exp = Merge(WholeWords(text, "Exp"), WholeWords(text, "Pow"));
        _log = WholeWords(text, "Log");
        _softMax = WholeWords(text, "SoftMax");
        // "softmax", "Softmax", "SoftMax", "SOFTMAX" inside any identifier; ordinal searches are vectorised, ignore-case ones are not.
        _divide = Merge(Divisions(text), WholeWords(text, "Divide"));
        _softmaxAnyCase = Merge(
            Merge(Occurrences(text, "oftmax", StringComparison.Ordinal, wholeWord: false), Occurrences(text, "oftMax", StringComparison.Ordinal, wholeWord: false)),
            Occurrences(text, "OFTMAX", StringComparison.Ordinal, wholeWord: false));
    }

    public static NameIndex For(SyntaxTree tree) =>
        s_cache.GetValue(tree, static t => new NameIndex(t.GetText().ToString()));

    /// <summary>Exp or Pow as a whole identifier within <paramref name="span"/>.</summary>
    public bool HasExp(TextSpan span) => Any(_exp, span);

    public bool HasLog(TextSpan span) => Any(_log, span);

    public bool HasSoftMax(TextSpan span) => Any(_softMax, span);

    /// <summary>"softmax" (as softmax, Softmax, SoftMax or SOFTMAX) inside any identifier, within <paramref name="span"/>.</summary>
    public bool HasSoftmaxAnyCase(TextSpan span) => Any(_softmaxAnyCase, span);

    /// <summary>A division: '/' that is not part of a comment marker, or the word Divide.</summary>
    public bool HasDivide(TextSpan span) => Any(_divide, span);

    private static int[] Divisions(string text)
    {
        var found = new List<int>();
        for (int i = text.IndexOf('/'); i >= 0; i = text.IndexOf('/', i + 1))
        {
            bool comment = (i + 1 < text.Length && text[i + 1] is '/' or '*') || (i > 0 && text[i - 1] is '/' or '*');
            if (!comment)
            {
                found.Add(i);
            }
        }

        return found.ToArray();
    }

    private static bool Any(int[] positions, TextSpan span)
    {
        int i = Array.BinarySearch(positions, span.Start);
        if (i < 0)
        {
            i = ~i;
        }

        return i < positions.Length && positions[i] < span.End;
    }

    private static int[] WholeWords(string text, string word) => Occurrences(text, word, StringComparison.Ordinal, wholeWord: true);

    private static int[] Occurrences(string text, string word, StringComparison comparison, bool wholeWord)
    {
        var found = new List<int>();
        for (int i = text.IndexOf(word, comparison); i >= 0; i = text.IndexOf(word, i + word.Length, comparison))
        {
            if (!wholeWord ||
                ((i == 0 || !IsIdentifierChar(text[i - 1])) && (i + word.Length == text.Length || !IsIdentifierChar(text[i + word.Length]))))
            {
                found.Add(i);
            }
        }

        return found.ToArray();
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '@';

    private static int[] Merge(int[] a, int[] b)
    {
        var all = new int[a.Length + b.Length];
        a.CopyTo(all, 0);
        b.CopyTo(all, a.Length);
        Array.Sort(all);
        return all;
    }
}
