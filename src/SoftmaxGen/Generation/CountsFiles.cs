using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis.Text;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation;

/// <summary>One AdditionalFiles item read as class counts: its path, and its counts or why it has none.</summary>
/// <param name="Path">The item's path as the compilation gives it.</param>
/// <param name="Counts">One count per non-blank, non-comment line.</param>
/// <param name="Problem">Why the file cannot be used (an unparsable line, a negative count, too few classes), or null.</param>
/// <param name="CountsProblem">The problem is with the counts (SMX0022), not with the file's text (SMX0023).</param>
internal sealed record CountsFileContents(string Path, EquatableArray<int> Counts, string? Problem, bool CountsProblem);

/// <summary>
/// The <c>CountsFile</c> of <c>[HierarchicalSoftmax]</c>: an AdditionalFiles item with one count per line. The name matches an
/// item whose path equals it or ends with '/' + it ('\' and '/' are the same), so both "counts.txt" and "data/counts.txt"
/// find "C:\src\data\counts.txt"; the first such item wins. Lines are trimmed; blank lines and lines starting with '#' are
/// skipped; every other line must be an integer from 0 to 2147483647.
/// </summary>
internal static class CountsFiles
{
    /// <summary>Whether the item at <paramref name="path"/> is the one <paramref name="name"/> names.</summary>
    public static bool Matches(string path, string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        string p = path.Replace('\\', '/');
        string n = name.Replace('\\', '/');
        return p == n || (p.EndsWith(n, StringComparison.Ordinal) && p[p.Length - n.Length - 1] == '/');
    }

    /// <summary>Reads one item; a null text (unreadable) is a problem of the file.</summary>
    public static CountsFileContents Read(string path, SourceText? text)
    {
        if (text is null)
        {
            return new CountsFileContents(path, default, "the file could not be read", CountsProblem: false);
        }

        var counts = new List<int>();
        foreach (TextLine line in text.Lines)
        {
            string content = line.ToString().Trim();
            if (content.Length == 0 || content[0] == '#')
            {
                continue;
            }

            int number = line.LineNumber + 1;
            if (!long.TryParse(content, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || value > int.MaxValue)
            {
                return new CountsFileContents(path, default, $"line {number} ('{Shorten(content)}') is not a count (an integer from 0 to 2147483647)", CountsProblem: false);
            }

            if (value < 0)
            {
                return new CountsFileContents(path, default, $"the count on line {number} is negative ({value})", CountsProblem: true);
            }

            counts.Add((int)value);
        }

        return new CountsFileContents(path, new EquatableArray<int>(counts.ToArray()), Validate(counts.ToArray()), CountsProblem: true);
    }

    /// <summary>Why a set of counts cannot make a tree, or null: K from 2 to 2²⁴, none negative, not all zero.</summary>
    public static string? Validate(ReadOnlySpan<int> counts)
    {
        if (counts.Length == 0)
        {
            return "there are none";
        }

        if (counts.Length == 1)
        {
            return "there is only one class; a tree needs at least 2";
        }

        if (counts.Length > HierarchySpec.MaxClasses)
        {
            return $"there are {counts.Length} classes; at most {HierarchySpec.MaxClasses} are supported";
        }

        bool anyPositive = false;
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] < 0)
            {
                return $"count {i} is negative ({counts[i]})";
            }

            anyPositive |= counts[i] > 0;
        }

        return anyPositive ? null : "every count is 0";
    }

    /// <summary>Why (K − 1)·D node weights do not fit in one span, or null.</summary>
    public static string? ValidateSize(int classes, int dimension) =>
        (long)(classes - 1) * dimension > int.MaxValue
            ? $"(K − 1)·D = {(long)(classes - 1) * dimension} node weights (K = {classes}) do not fit in a span (at most 2147483647)"
            : null;

    /// <summary>The first item <paramref name="name"/> names, or null.</summary>
    public static CountsFileContents? Find(IEnumerable<CountsFileContents> files, string name)
    {
        foreach (CountsFileContents file in files)
        {
            if (Matches(file.Path, name))
            {
                return file;
            }
        }

        return null;
    }

    /// <summary>The spec with the named file's counts, or with the problem that keeps it from having them.</summary>
    public static HierarchySpec Resolve(HierarchySpec spec, IEnumerable<CountsFileContents> files)
    {
        if (spec.CountsFile is not { } name)
        {
            return spec;
        }

        if (Find(files, name) is not { } file)
        {
            return spec with { Problem = MissingMessage, ProblemId = Diagnostics.DiagnosticIds.InvalidCountsFile };
        }

        if (file.Problem is { } problem)
        {
            return spec with { Problem = problem, ProblemId = file.CountsProblem ? Diagnostics.DiagnosticIds.InvalidCounts : Diagnostics.DiagnosticIds.InvalidCountsFile };
        }

        string? size = ValidateSize(file.Counts.Length, spec.Dimension);
        return spec with { Counts = file.Counts, Problem = size, ProblemId = size is null ? null : Diagnostics.DiagnosticIds.InvalidDimension };
    }

    /// <summary>The diagnostic the usage analyzer reports for a resolved problem, for the generator to report where the analyzer cannot.</summary>
    public static Microsoft.CodeAnalysis.Diagnostic? Diagnostic(HierarchySpec spec)
    {
        if (spec.Problem is not { } problem || spec.ReportAt is not { } at)
        {
            return null;
        }

        Microsoft.CodeAnalysis.Location location = at.ToLocation();
        return spec.ProblemId switch
        {
            Diagnostics.DiagnosticIds.InvalidCounts => Microsoft.CodeAnalysis.Diagnostic.Create(Diagnostics.Descriptors.InvalidCounts, location, $" in '{spec.CountsFile}'", problem),
            Diagnostics.DiagnosticIds.InvalidDimension => Microsoft.CodeAnalysis.Diagnostic.Create(Diagnostics.Descriptors.InvalidDimension, location, spec.Dimension, problem),
            _ => Microsoft.CodeAnalysis.Diagnostic.Create(Diagnostics.Descriptors.InvalidCountsFile, location, spec.CountsFile, problem),
        };
    }

    public const string MissingMessage = "no AdditionalFiles item has that name (add <AdditionalFiles Include=\"…\" /> to the project)";

    private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "…";
}
