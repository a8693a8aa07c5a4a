using System;
using System.Text;

namespace SoftmaxGen.Generation.Emit;

/// <summary>Writes C# with four-space indentation and '\n' line endings on every OS.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    /// <summary>Writes one line at the current indentation (an empty line has no trailing spaces).</summary>
    public CodeWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indent * 4).Append(text);
        }

        _builder.Append('\n');
        return this;
    }

    /// <summary>Writes a <c>//</c> comment line.</summary>
    public CodeWriter Comment(string text) => Line("// " + text);

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
            _writer._indent--;
            _writer.Line(_closing);
        }
    }
}
