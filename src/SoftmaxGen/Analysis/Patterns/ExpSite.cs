using Microsoft.CodeAnalysis;

namespace SoftmaxGen.Analysis.Patterns;

/// <summary>How an exponential is written.</summary>
internal enum ExpSiteKind
{
    /// <summary><c>Math.Exp(x)</c>, <c>MathF.Exp</c>, <c>float.Exp</c>, <c>double.Exp</c>, <c>Math.Pow(Math.E, x)</c>.</summary>
    Call,

    /// <summary>A method group passed to LINQ: <c>xs.Select(Math.Exp)</c>.</summary>
    MethodGroup,

    /// <summary><c>TensorPrimitives.Exp(x, destination)</c>.</summary>
    Tensor,

    /// <summary>A call of a helper of the same compilation that returns (or stores in place) exp of each element of its argument.</summary>
    Helper,
}

/// <summary>How the element is scaled inside exp.</summary>
internal enum ExpScale
{
    /// <summary>exp(x_i), exp(x_i / T).</summary>
    None,

    /// <summary>exp(−x_i) (softmin): the bound to subtract is the minimum.</summary>
    Negated,

    /// <summary>exp(β · x_i).</summary>
    Multiplied,
}

/// <summary>One exponential of the elements of a collection: exp(x_i), exp(x_i / T) or exp(x_i − m).</summary>
internal sealed class ExpSite
{
    public ExpSiteKind Kind { get; set; }

    /// <summary>The call (or method reference) itself: where a diagnostic goes.</summary>
    public IOperation Node { get; set; } = null!;

    /// <summary>The exponential's value as used: the call, or the explicit cast around it; the delegate for method groups.</summary>
    public IOperation Value { get; set; } = null!;

    /// <summary>The element read inside the argument (<c>x[i]</c>, a foreach variable, a lambda parameter); null for method groups and tensors.</summary>
    public IOperation? Element { get; set; }

    /// <summary>The argument of exp (for <see cref="ExpSiteKind.Call"/>).</summary>
    public IOperation? Argument { get; set; }

    public CollectionKey Collection { get; set; }

    /// <summary>Something is subtracted from the element before exp: exp(x_i − m). Such sites are never reported.</summary>
    public bool Shifted { get; set; }

    /// <summary>exp(x_i − c) where c is provably not an upper bound of the row (a constant, a mean, one element).</summary>
    public bool NotABound { get; set; }

    public ExpScale Scale { get; set; }

    /// <summary>The divisor of exp(x_i / T), when there is one.</summary>
    public IOperation? Temperature { get; set; }

    /// <summary>The loop, foreach or LINQ call that supplies the element.</summary>
    public IOperation? Source { get; set; }

    /// <summary>The type the exponential is computed or stored in (float or double), which sets its overflow point.</summary>
    public ITypeSymbol? ValueType { get; set; }

    /// <summary>exp is taken by a wrapper of the same compilation (<c>SafeExp(x[i])</c>) or by a <see cref="ExpSiteKind.Helper"/>.</summary>
    public bool ViaHelper { get; set; }

    /// <summary>For <see cref="ExpSiteKind.Tensor"/>: the destination span's collection; for an in-place <see cref="ExpSiteKind.Helper"/>, the collection itself.</summary>
    public CollectionKey? Destination { get; set; }
}
