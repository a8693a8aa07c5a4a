using System;
using Microsoft.CodeAnalysis;

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
/// A diagnostic the generator reports, compared as Roslyn compares diagnostics: ID, message and source location, which
/// includes the syntax tree. So an edit in another file keeps it cached, and an edit in its own file re-reports it
/// (cheap; the placeholder and the kernels stay cached, being separate outputs). The diagnostic keeps its source
/// location, not the path-only copy LoggerMessage's DiagnosticInfo makes, because the compiler applies
/// <c>#pragma warning disable</c> only to diagnostics located in a syntax tree; and it must not be compared by path and
/// span alone, or a cached copy would point into an old tree, which the driver rejects ("SyntaxTree is not part of the
/// compilation") when it re-reports it.
/// </summary>
internal sealed class DiagnosticInfo(Diagnostic diagnostic) : IEquatable<DiagnosticInfo>
{
    public Diagnostic Diagnostic { get; } = diagnostic;

    public bool Equals(DiagnosticInfo? other) => other is not null && Diagnostic.Equals(other.Diagnostic);

    public override bool Equals(object? obj) => Equals(obj as DiagnosticInfo);

    public override int GetHashCode() => Diagnostic.GetHashCode();
}
