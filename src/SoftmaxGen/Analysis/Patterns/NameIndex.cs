using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// Where the names the SMX1xxx analyzers care about (Exp, Pow, Log, SoftMax, anything containing "softmax", and
/// identifiers with "exp" as a word in them) occur in one syntax tree, found once per tree and shared by the analyzers.
/// A code block that names none of them is skipped without binding or building an operation tree.
/// <para>
/// The text is not tokenised: the few letter sequences every such name contains ("xp", "Pow", "Log", "ftmax" in any
/// case) are searched for with the runtime's vectorised <see cref="string.IndexOf(string, StringComparison)"/>, and
/// only the identifier around each hit is classified. A file of general code (no exp at all) costs a few memory
/// scans, not a classification of every identifier; that was most of the rules' fixed cost. Hits inside comments or
/// strings only cost an unnecessary look; they never cause a report, since the matchers work on operations.
/// </para>
/// </summary>
internal sealed class NameIndex
{
    private static readonly ConditionalWeakTable<SyntaxTree, NameIndex> s_cache = new();

    private static readonly NameIndex s_empty = new([], [], [], [], []);

    private readonly int[] _exp;
    private readonly int[] _log;
    private readonly int[] _softMax;
    private readonly int[] _softmaxAnyCase;
    private readonly int[] _expLike;

    private NameIndex(int[] exp, int[] log, int[] softMax, int[] softmaxAnyCase, int[] expLike)
    {
        _exp = exp;
        _log = log;
        _softMax = softMax;
        _softmaxAnyCase = softmaxAnyCase;
        _expLike = expLike;
    }

    private static NameIndex Build(SourceText source)
    {
        using var search = new TextSearch(source);
        char[] text = search.Chars;
        int n = search.Length;
        List<int>? exp = null, log = null, softMax = null, softmaxAnyCase = null, expLike = null;

        // Exp and Pow as whole identifiers; "exp" as a word inside a longer identifier (SafeExp, Exps, expValues).
        for (int at = search.IndexOf("xp", 1); at > 0; at = search.IndexOf("xp", at + 2))
        {
            if (text[at - 1] is 'E' or 'e' && IdentifierAround(text, n, at - 1) is var (start, length))
            {
                if (length == 3 && Is(text, start, "Exp"))
                {
                    Add(ref exp, start);
                }
                else if (length > 3 && ContainsExpWord(text, start, length))
                {
                    AddOnce(ref expLike, start);
                }
            }
        }

        for (int at = search.IndexOf("Pow", 0); at >= 0; at = search.IndexOf("Pow", at + 3))
        {
            if (IdentifierAround(text, n, at) is (var start, 3))
            {
                Add(ref exp, start);
            }
        }

        for (int at = search.IndexOf("Log", 0); at >= 0; at = search.IndexOf("Log", at + 3))
        {
            if (IdentifierAround(text, n, at) is (var start, 3))
            {
                Add(ref log, start);
            }
        }

        // "softmax" inside an identifier (Softmax, SoftMax, LogSoftmax, SOFTMAX, SoftMAX); SoftMax as a whole one.
        foreach (string tail in s_softmaxTails)
        {
            for (int at = search.IndexOf(tail, 0); at >= 0; at = search.IndexOf(tail, at + 5))
            {
                if (IdentifierAround(text, n, at) is var (start, length) && length >= 7 && ContainsSoftmax(text, start, length))
                {
                    Add(ref softmaxAnyCase, start);
                    if (length == 7 && Is(text, start, "SoftMax"))
                    {
                        Add(ref softMax, start);
                    }
                }
            }
        }

        if (exp is null && log is null && softmaxAnyCase is null && expLike is null)
        {
            return s_empty;
        }

        return new NameIndex(Sorted(exp), Sorted(log), Sorted(softMax), Sorted(softmaxAnyCase), Sorted(expLike));
    }

    /// <summary>The ends of "softmax" in the casings code uses; <see cref="ContainsSoftmax"/> then checks the identifier.</summary>
    private static readonly string[] s_softmaxTails = ["ftmax", "ftMax", "FTMAX", "ftMAX"];

    private static void Add(ref List<int>? list, int position) => (list ??= []).Add(position);

    private static void AddOnce(ref List<int>? list, int position)
    {
        if (list is null || list[list.Count - 1] != position)
        {
            Add(ref list, position);
        }
    }

    private static int[] Sorted(List<int>? list)
    {
        if (list is null)
        {
            return [];
        }

        list.Sort();
        int kept = 0;
        for (int i = 0; i < list.Count; i++)
        {
            if (kept == 0 || list[kept - 1] != list[i])
            {
                list[kept++] = list[i];
            }
        }

        return list.GetRange(0, kept).ToArray();
    }

    /// <summary>The identifier containing position <paramref name="at"/> (its start and length), or null when there is none.</summary>
    private static (int Start, int Length)? IdentifierAround(char[] text, int n, int at)
    {
        if (!IsIdentifierPart(text[at]))
        {
            return null;
        }

        int start = at;
        while (start > 0 && IsIdentifierPart(text[start - 1]))
        {
            start--;
        }

        if (!IsIdentifierStart(text[start]))
        {
            // 1e5xp, 0x1F: a number, not an identifier.
            return null;
        }

        int end = at + 1;
        while (end < n && IsIdentifierPart(text[end]))
        {
            end++;
        }

        return (start, end - start);
    }

    private static bool Is(char[] text, int start, string word)
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

    private static bool ContainsSoftmax(char[] text, int start, int length)
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
    private static bool ContainsExpWord(char[] text, int start, int length)
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

    private static bool IsAt(char[] text, int at, int end, string word) =>
        at + word.Length <= end && Is(text, at, word);

    private static bool IsIdentifierStart(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or '@' || (c > 127 && char.IsLetter(c));

    private static bool IsIdentifierPart(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' || (c > 127 && char.IsLetterOrDigit(c));

    public static NameIndex For(SyntaxTree tree) =>
        s_cache.GetValue(tree, static t => Build(t.GetText()));

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
