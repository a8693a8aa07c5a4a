using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// Where the names the SMX1xxx analyzers care about (Exp, Pow, Log, SoftMax, Divide, anything containing "softmax")
/// and divisions occur in one syntax tree, found once per tree by one pass over its text (comments skipped) and
/// shared by all four analyzers. A code block
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
    private readonly int[] _expLike;

    private NameIndex(string text)
    {
        var exp = new List<int>();
        var log = new List<int>();
        var softMax = new List<int>();
        var softmaxAnyCase = new List<int>();
        var divide = new List<int>();
        var expLike = new List<int>();

        // One pass over the characters: identifiers are classified in place (no allocation), comments are skipped,
        // and '/' outside comments is a division.
        int n = text.Length;
        int i = 0;
        while (i < n)
        {
            char c = text[i];
            if (IsIdentifierStart(c))
            {
                int start = c == '@' ? i + 1 : i;
                i++;
                while (i < n && IsIdentifierPart(text[i]))
                {
                    i++;
                }

                Classify(text, start, i - start, exp, log, softMax, softmaxAnyCase, divide);
                if (i - start > 3 && ContainsExpWord(text, start, i - start))
                {
                    expLike.Add(start);
                }

                continue;
            }

            if (c == '/' && i + 1 < n && text[i + 1] == '/')
            {
                while (i < n && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (c == '/' && i + 1 < n && text[i + 1] == '*')
            {
                i += 2;
                while (i + 1 < n && !(text[i] == '*' && text[i + 1] == '/'))
                {
                    i++;
                }

                i += 2;
                continue;
            }

            if (c == '/')
            {
                divide.Add(i);
            }

            i++;
        }

        _exp = exp.ToArray();
        _log = log.ToArray();
        _softMax = softMax.ToArray();
        _softmaxAnyCase = softmaxAnyCase.ToArray();
        _divide = divide.ToArray();
        _expLike = expLike.ToArray();
    }

    private static void Classify(string text, int start, int length, List<int> exp, List<int> log, List<int> softMax, List<int> softmaxAnyCase, List<int> divide)
    {
        if (length == 3)
        {
            if (Is(text, start, "Exp") || Is(text, start, "Pow"))
            {
                exp.Add(start);
            }
            else if (Is(text, start, "Log"))
            {
                log.Add(start);
            }
        }
        else if (length == 6 && Is(text, start, "Divide"))
        {
            divide.Add(start);
        }

        if (length == 7 && Is(text, start, "SoftMax"))
        {
            softMax.Add(start);
        }

        if (length >= 7 && ContainsSoftmax(text, start, length))
        {
            softmaxAnyCase.Add(start);
        }
    }

    private static bool Is(string text, int start, string word)
    {
        for (int k = 0; k < word.Length; k++)
        {
            if (text[start + k] != word[k])
            {
                return false;
            }
        }

        return true;
    }

    private static bool ContainsSoftmax(string text, int start, int length)
    {
        const string Word = "softmax";
        for (int s = start; s + Word.Length <= start + length; s++)
        {
            int k = 0;
            while (k < Word.Length && (text[s + k] | 0x20) == Word[k])
            {
                k++;
            }

            if (k == Word.Length)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// "exp" or "Exp" as a word inside a longer identifier (<c>SafeExp</c>, <c>Exps</c>, <c>expValues</c>, <c>exp_x</c>),
    /// or "Exponentials", not the start of another word (<c>Expression</c>, <c>expected</c>, <c>Export</c>, <c>Exponent</c>,
    /// and <c>Exponential</c>, which names distributions and integrals in numerics code): the names of helpers that take exp.
    /// </summary>
    private static bool ContainsExpWord(string text, int start, int length)
    {
        int end = start + length;
        for (int s = start; s + 3 <= end; s++)
        {
            if ((text[s] == 'E' || (text[s] == 'e' && (s == start || !char.IsLower(text[s - 1])))) && text[s + 1] == 'x' && text[s + 2] == 'p' &&
                (s + 3 == end || !char.IsLower(text[s + 3]) || (text[s + 3] == 's' && (s + 4 == end || !char.IsLower(text[s + 4]))) ||
                 IsAt(text, s + 3, end, "onentials")))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAt(string text, int at, int end, string word) =>
        at + word.Length <= end && string.CompareOrdinal(text, at, word, 0, word.Length) == 0;

    private static bool IsIdentifierStart(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or '@' || (c > 127 && char.IsLetter(c));

    private static bool IsIdentifierPart(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' || (c > 127 && char.IsLetterOrDigit(c));

    public static NameIndex For(SyntaxTree tree) =>
        s_cache.GetValue(tree, static t => new NameIndex(t.GetText().ToString()));

    /// <summary>Whether the file names any of Exp, Pow, Log, SoftMax or "softmax" at all.</summary>
    public bool HasAny => _exp.Length + _log.Length + _softMax.Length + _softmaxAnyCase.Length + _expLike.Length > 0;

    /// <summary>Exp or Pow as a whole identifier within <paramref name="span"/>.</summary>
    public bool HasExp(TextSpan span) => Any(_exp, span);

    public bool HasLog(TextSpan span) => Any(_log, span);

    /// <summary>An identifier longer than "Exp" with "exp" as a word in it (<c>SafeExp</c>, <c>Exps</c>) within <paramref name="span"/>.</summary>
    public bool HasExpLike(TextSpan span) => Any(_expLike, span);

    public bool HasSoftMax(TextSpan span) => Any(_softMax, span);

    /// <summary>"softmax" (as softmax, Softmax, SoftMax or SOFTMAX) inside any identifier, within <paramref name="span"/>.</summary>
    public bool HasSoftmaxAnyCase(TextSpan span) => Any(_softmaxAnyCase, span);

    /// <summary>A division: '/' that is not part of a comment marker, or the word Divide.</summary>
    public bool HasDivide(TextSpan span) => Any(_divide, span);

    private static bool Any(int[] positions, TextSpan span)
    {
        int i = Array.BinarySearch(positions, span.Start);
        if (i < 0)
        {
            i = ~i;
        }

        return i < positions.Length && positions[i] < span.End;
    }
}
