using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>
/// Identifies a collection of values inside one method: a local, parameter or field, optionally through a
/// member (<c>memory.Span</c>) and optionally one row of it (<c>x[r, j]</c> or <c>x[r][j]</c> is row <c>r</c> of <c>x</c>).
/// </summary>
internal readonly struct CollectionKey : IEquatable<CollectionKey>
{
    public CollectionKey(ISymbol root, string? member, ISymbol? row)
    {
        Root = root;
        Member = member;
        Row = row;
    }

    public ISymbol Root { get; }

    public string? Member { get; }

    public ISymbol? Row { get; }

    /// <summary>The name shown in messages: <c>logits</c>, <c>memory.Span</c>, <c>x[r]</c>.</summary>
    public string DisplayName =>
        Root.Name + (Member is null ? string.Empty : "." + Member) + (Row is null ? string.Empty : "[" + Row.Name + "]");

    public bool Equals(CollectionKey other) =>
        SymbolEqualityComparer.Default.Equals(Root, other.Root) &&
        string.Equals(Member, other.Member, StringComparison.Ordinal) &&
        SymbolEqualityComparer.Default.Equals(Row, other.Row);

    public override bool Equals(object? obj) => obj is CollectionKey other && Equals(other);

    public override int GetHashCode() =>
        (SymbolEqualityComparer.Default.GetHashCode(Root) * 31) + (Member?.GetHashCode() ?? 0) + (Row is null ? 0 : 7);

    /// <summary>The key of a collection-valued expression, or null when it is not a plain variable.</summary>
    public static CollectionKey? Of(IOperation? operation)
    {
        operation = Operations.Unwrap(operation);
        switch (operation)
        {
            case ILocalReferenceOperation local:
                return new CollectionKey(local.Local, null, null);
            case IParameterReferenceOperation parameter:
                return new CollectionKey(parameter.Parameter, null, null);
            case IFieldReferenceOperation field when field.Instance is null or IInstanceReferenceOperation:
                return new CollectionKey(field.Field, null, null);
            case IPropertyReferenceOperation { Property.IsIndexer: false } own
                when own.Instance is null or IInstanceReferenceOperation && TypeNames.ElementType(own.Type) is not null:
                // Data of the type itself (this.Data): the property is the collection.
                return new CollectionKey(own.Property, null, null);
            case IPropertyReferenceOperation { Property.Name: "Span", Property.IsIndexer: false } span
                when Of(span.Instance) is { Member: null, Row: null } owner:
                return new CollectionKey(owner.Root, "Span", null);
            case IFieldReferenceOperation member when Of(member.Instance) is { Member: null, Row: null } owner:
                // layer.Values: a collection held by another object.
                return new CollectionKey(owner.Root, member.Field.Name, null);
            case IPropertyReferenceOperation { Property.IsIndexer: false, Property.IsStatic: false } member
                when Of(member.Instance) is { Member: null, Row: null } owner && TypeNames.ElementType(member.Type) is not null:
                return new CollectionKey(owner.Root, member.Property.Name, null);
            case IArrayElementReferenceOperation { Indices.Length: 1 } jagged
                when Of(jagged.ArrayReference) is { Member: null, Row: null } owner &&
                     Operations.Unwrap(jagged.Indices[0]) is ILocalReferenceOperation row:
                return new CollectionKey(owner.Root, null, row.Local);
            default:
                return null;
        }
    }
}
