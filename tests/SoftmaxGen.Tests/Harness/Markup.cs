using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace SoftmaxGen.Tests.Harness;

/// <summary>An expected diagnostic: its ID and the span of source it covers.</summary>
public readonly record struct ExpectedDiagnostic(string Id, TextSpan Span);

/// <summary>
/// Parses <c>{|SMX0001:text|}</c> (a diagnostic with that ID on 'text') and <c>[|text|]</c> (a span with the
/// test's default ID) out of source, returning the clean source and the expected spans. Marks may nest
/// (<c>{|A:{|B:x|}|}</c>: two diagnostics on one span).
/// </summary>
public static class Markup
{
    /// <summary>The source with every mark removed (for compiling and executing marked-up test code).</summary>
    public static string Strip(string markup) => Parse(markup, defaultId: string.Empty).Source;

    public static (string Source, ImmutableArray<ExpectedDiagnostic> Expected) Parse(string markup, string? defaultId = null)
    {
        var source = new StringBuilder();
        var expected = ImmutableArray.CreateBuilder<ExpectedDiagnostic>();
        var open = new Stack<(int Start, string Id)>();
        for (int i = 0; i < markup.Length; i++)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                int colon = markup.IndexOf(':', i);
                open.Push((source.Length, markup.Substring(i + 2, colon - i - 2)));
                i = colon;
            }
            else if (markup[i] == '[' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                open.Push((source.Length, defaultId ?? throw new InvalidOperationException("[| |] needs a default ID")));
                i++;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] is '}' or ']' && open.Count > 0)
            {
                var (start, id) = open.Pop();
                expected.Add(new ExpectedDiagnostic(id, TextSpan.FromBounds(start, source.Length)));
                i++;
            }
            else
            {
                source.Append(markup[i]);
            }
        }

        return (source.ToString(), expected.ToImmutable());
    }
}
