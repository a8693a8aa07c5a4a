using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SoftmaxGen.Generation.Model;

/// <summary>
/// What the generator does for an attributed declaration that fails validation: at most one placeholder body (so the
/// compiler does not add CS8795 to the SMX error), and the diagnostics only the generator can make visible.
/// </summary>
internal sealed record InvalidDeclaration(Placeholder? Placeholder, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// A compilable implementation part for an invalid declaration: the user's signature, re-emitted with fully
/// qualified types, and a body that throws. <paramref name="Signature"/> is the whole header, modifiers to constraints.
/// </summary>
internal sealed record Placeholder(
    string? Namespace,
    EquatableArray<TypeDeclaration> ContainingTypes,
    string Signature,
    string Message,
    string HintName);

/// <summary>
/// A diagnostic the generator reports. Equality compares the ID, file, span, line span and message, not the syntax
/// tree, so an edit elsewhere that leaves the declaration where it was keeps the output cached. The diagnostic keeps
/// its source location (not a path-only copy, as LoggerMessage's DiagnosticInfo makes) because the compiler applies
/// <c>#pragma warning disable</c> only to diagnostics located in a syntax tree.
/// </summary>
internal sealed class DiagnosticInfo : IEquatable<DiagnosticInfo>
{
    private readonly string _path;
    private readonly TextSpan _span;
    private readonly LinePositionSpan _lineSpan;
    private readonly string _message;

    public DiagnosticInfo(Diagnostic diagnostic)
    {
        Diagnostic = diagnostic;
        _path = diagnostic.Location.SourceTree?.FilePath ?? string.Empty;
        _span = diagnostic.Location.SourceSpan;
        _lineSpan = diagnostic.Location.GetLineSpan().Span;
        _message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
    }

    public Diagnostic Diagnostic { get; }

    public bool Equals(DiagnosticInfo? other) =>
        other is not null && Diagnostic.Id == other.Diagnostic.Id && _path == other._path && _span == other._span &&
        _lineSpan == other._lineSpan && _message == other._message;

    public override bool Equals(object? obj) => Equals(obj as DiagnosticInfo);

    public override int GetHashCode() => unchecked((Diagnostic.Id.GetHashCode() * 31 + _span.GetHashCode()) * 31 + _message.GetHashCode());
}
