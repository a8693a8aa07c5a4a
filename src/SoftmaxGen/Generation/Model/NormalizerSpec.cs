namespace SoftmaxGen.Generation.Model;

/// <summary>Which positive function φ takes the place of exp in p_i = φ(z_i) / Σ_j φ(z_j).</summary>
internal enum NormalizerKind
{
    /// <summary>φ = exp, the ordinary softmax (named explicitly, so the Jacobian and backward kernels take the logits).</summary>
    Exp,

    /// <summary>φ(z) = log(1 + e^z).</summary>
    Softplus,

    /// <summary>φ(z) = 1 + z + z²/2 = ((1 + z)² + 1)/2, the second-order Taylor softmax.</summary>
    Taylor2,

    /// <summary>A <c>static T Name(T z)</c> of the user's containing type.</summary>
    User,
}

/// <summary>
/// The <c>Normalizer</c> (and <c>NormalizerDerivative</c>) of a kernel, as plain values: the built-in's kind, or the names of
/// the user's methods, which the kernel calls by their simple names from inside the containing type.
/// </summary>
internal sealed record NormalizerSpec(NormalizerKind Kind, string? Method, string? Derivative)
{
    /// <summary>The value <c>SoftmaxNormalizer.X</c> holds: a dotted name, which no method name can be.</summary>
    public static string BuiltInValue(NormalizerKind kind) => "SoftmaxNormalizer." + kind;

    /// <summary>The built-in a <c>Normalizer</c> string names, or null for a method name.</summary>
    public static NormalizerKind? BuiltIn(string value) => value switch
    {
        "SoftmaxNormalizer.Exp" => NormalizerKind.Exp,
        "SoftmaxNormalizer.Softplus" => NormalizerKind.Softplus,
        "SoftmaxNormalizer.Taylor2" => NormalizerKind.Taylor2,
        _ => null,
    };

    /// <summary>φ as the remarks and docs write it.</summary>
    public string Display => Kind switch
    {
        NormalizerKind.Exp => "exp(z)",
        NormalizerKind.Softplus => "softplus(z) = log(1 + e^z)",
        NormalizerKind.Taylor2 => "1 + z + z²/2",
        _ => Method + "(z)",
    };
}
