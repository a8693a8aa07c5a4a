using System;
using System.Text;

namespace SoftmaxGen.Generation.Emit;

/// <summary>Writes C# with four-space indentation and '\n' line endings on every OS.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    /// <summary>
    /// Writes one line at the current indentation. An empty line has no trailing spaces, and is dropped after
    /// another empty line or an opening brace, so emitters can separate blocks without tracking their neighbours.
    /// </summary>
    public CodeWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indent * 4).Append(text);
        }
        else if (EndsWith("\n\n") || EndsWith("{\n"))
        {
            return this;
        }

        _builder.Append('\n');
        return this;
    }

    private bool EndsWith(string suffix)
    {
        if (_builder.Length < suffix.Length)
        {
            return false;
        }

        for (int i = 0; i < suffix.Length; i++)
        {
            if (_builder[_builder.Length - suffix.Length + i] != suffix[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The current indentation level (four spaces each).</summary>
    public int Indent => _indent;

    /// <summary>Writes text as it is, without indentation (the lines of a verbatim string literal); it should end with '\n'.</summary>
    public CodeWriter Verbatim(string text)
    {
        _builder.Append(text);
        return this;
    }

    /// <summary>Writes a <c>//</c> comment line.</summary>
    public CodeWriter Comment(string text) => Line("// " + text);

    /// <summary>
    /// Writes a documentation element <c>&lt;open&gt;text&lt;/close&gt;</c> (close defaults to open), with the text XML-escaped
    /// and wrapped at word boundaries so no <c>///</c> line runs much past <see cref="DocWidth"/> characters of text.
    /// </summary>
    public CodeWriter Doc(string open, string text, string? close = null)
    {
        string escaped = text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
        string start = "<" + open + ">";
        string end = "</" + (close ?? open) + ">";
        var line = new StringBuilder("/// ").Append(start);
        bool empty = true;
        foreach (string word in escaped.Split(' '))
        {
            if (!empty && line.Length + 1 + word.Length > DocWidth)
            {
                Line(line.ToString());
                line.Clear().Append("/// ");
                empty = true;
            }

            if (!empty)
            {
                line.Append(' ');
            }

            line.Append(word);
            empty = false;
        }

        return Line(line.Append(end).ToString());
    }

    /// <summary>The width at which documentation text is wrapped.</summary>
    public const int DocWidth = 116;

    /// <summary>Writes <paramref name="header"/> and an opening brace; disposing the result closes the block.</summary>
    public BlockScope Block(string header, string closing = "}")
    {
        Line(header);
        Line("{");
        _indent++;
        return new BlockScope(this, closing);
    }

    public override string ToString() => _builder.ToString();

    public readonly struct BlockScope : IDisposable
    {
        private readonly CodeWriter _writer;
        private readonly string _closing;

        public BlockScope(CodeWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose()
        {
            // No blank line before a closing brace.
            if (_writer.EndsWith("\n\n"))
            {
                _writer._builder.Length--;
            }

            _writer._indent--;
            _writer.Line(_closing);
        }
    }
}
