using Microsoft.CodeAnalysis;

namespace SoftmaxGen.Diagnostics;

/// <summary>One descriptor per rule, named after the condition it reports.</summary>
internal static class Descriptors
{
    /// <summary>Docs live next to the code; every help link is built from this one base (from $(RepositoryUrl)).</summary>
    public const string HelpBaseUri = RepositoryInfo.DocsBaseUri + "diagnostics/";

    private const string Usage = "Usage";
    private const string Reliability = "Reliability";

    public static string HelpLink(string id) => HelpBaseUri + id + ".md";

    private static DiagnosticDescriptor Error(string id, string title, string message, string description) =>
        new(id, title, message, Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, description, HelpLink(id));

    private static DiagnosticDescriptor Warning(string id, string title, string message, string description) =>
        new(id, title, message, Reliability, DiagnosticSeverity.Warning, isEnabledByDefault: true, description, HelpLink(id));

    public static readonly DiagnosticDescriptor MethodMustBeStatic = Error(
        DiagnosticIds.MethodMustBeStatic,
        "Kernel method must be static",
        "Method '{0}' marked [{1}] must be static",
        "SoftmaxGen emits the body of a static partial method; instance methods are not supported.");

    public static readonly DiagnosticDescriptor MethodMustBePartialDefinition = Error(
        DiagnosticIds.MethodMustBePartialDefinition,
        "Kernel method must be a partial declaration without a body",
        "Method '{0}' marked [{1}] must be declared 'partial' without a body; SoftmaxGen writes the body",
        "The generator provides the implementation part of the partial method, so the attributed declaration must be partial and have no body.");

    public static readonly DiagnosticDescriptor MethodMustNotBeGeneric = Error(
        DiagnosticIds.MethodMustNotBeGeneric,
        "Kernel method must not be generic",
        "Method '{0}' marked [{1}] must not have type parameters; declare one method per element type (float or double)",
        "Each kernel is specialised for one element type at compile time.");

    public static readonly DiagnosticDescriptor InvalidReturnType = Error(
        DiagnosticIds.InvalidReturnType,
        "Kernel method has an invalid return type",
        "Method '{0}' marked [{1}] must return {2}",
        "Kernels write their results into spans and return void; only the single-row log-sum-exp form returns the element type.");

    public static readonly DiagnosticDescriptor InvalidParameterList = Error(
        DiagnosticIds.InvalidParameterList,
        "Kernel method has an unsupported parameter list",
        "Method '{0}' marked [{1}] has {2} parameter(s); supported forms: {3}",
        "The parameter list selects the kernel's form (separate output, in place, batch); it must match one of the forms of the operation.");

    public static readonly DiagnosticDescriptor UnsupportedElementType = Error(
        DiagnosticIds.UnsupportedElementType,
        "Unsupported element type",
        "Parameter '{0}' has element type '{1}'; SoftmaxGen kernels support float and double",
        "Kernels are generated for float and double only.");

    public static readonly DiagnosticDescriptor MismatchedElementTypes = Error(
        DiagnosticIds.MismatchedElementTypes,
        "Mismatched element types",
        "Parameter '{0}' has element type '{1}' but the kernel's element type is '{2}'",
        "All spans (and the temperature and return value) of one kernel share one element type.");

    public static readonly DiagnosticDescriptor RowLengthOutOfRange = Error(
        DiagnosticIds.RowLengthOutOfRange,
        "Row length K out of range",
        "Row length K = {0} is out of range for [{1}]; it must be between 1 and {2}",
        "K is the number of logits in one row and must be a positive compile-time constant no larger than the documented maximum.");

    public static readonly DiagnosticDescriptor AttributeOnInvalidTarget = Error(
        DiagnosticIds.AttributeOnInvalidTarget,
        "SoftmaxGen attribute on something that is not a method",
        "[{0}] can only be applied to a static partial method",
        "SoftmaxGen attributes ask the generator to write a method body, so they belong on static partial method declarations.");

    public static readonly DiagnosticDescriptor InvalidTemperature = Error(
        DiagnosticIds.InvalidTemperature,
        "Invalid temperature",
        "Temperature = {0} is invalid; it must be finite and greater than 0",
        "The temperature divides the max-shifted logits, so it must be a positive finite number.");

    public static readonly DiagnosticDescriptor TemperatureSpecifiedTwice = Error(
        DiagnosticIds.TemperatureSpecifiedTwice,
        "Temperature specified twice",
        "Method '{0}' has both a Temperature in [{1}] and a runtime 'temperature' parameter; use one",
        "A kernel's temperature is either a compile-time constant on the attribute or a runtime parameter, not both.");

    public static readonly DiagnosticDescriptor InvalidParameterType = Error(
        DiagnosticIds.InvalidParameterType,
        "Kernel parameter has the wrong type",
        "Parameter '{0}' of '{1}' must be {2}",
        "Inputs are ReadOnlySpan<T>, outputs are Span<T>, passed by value; an optional trailing temperature is of the element type.");

    public static readonly DiagnosticDescriptor ContainingTypeMustBePartial = Error(
        DiagnosticIds.ContainingTypeMustBePartial,
        "Containing type must be partial",
        "Type '{0}' must be a partial class, struct or record to hold the generated kernel '{1}'",
        "The generated method body is added in another part of each containing type, so every containing type must be partial.");

    public static readonly DiagnosticDescriptor MultipleKernelAttributes = Error(
        DiagnosticIds.MultipleKernelAttributes,
        "More than one SoftmaxGen attribute on a method",
        "Method '{0}' has more than one SoftmaxGen attribute; each kernel method gets exactly one",
        "Each attribute asks for a different method body; a partial method can have only one.");

    public static readonly DiagnosticDescriptor NeedsNewerLanguageVersion = Error(
        DiagnosticIds.NeedsNewerLanguageVersion,
        "Kernel declaration needs a newer C# version",
        "Method '{0}' marked [{1}] uses {2}, which needs C# 9 or later, but the project uses C# {3}; set <LangVersion>9</LangVersion> (or later) in the project file, which works for netstandard2.0 and .NET Framework targets too",
        "Partial methods with an access modifier or a non-void return type are a C# 9 feature (extended partial methods). SoftmaxGen writes nothing for such a declaration under an older language version.");

    public static readonly DiagnosticDescriptor InvalidLabelSmoothing = Error(
        DiagnosticIds.InvalidLabelSmoothing,
        "Invalid label smoothing",
        "LabelSmoothing = {0} is invalid; it must be at least 0 and less than 1",
        "Label smoothing ε mixes the one-hot target with the uniform distribution, q = (1 − ε)·onehot + ε/K, so it must lie in [0, 1).");

    public static readonly DiagnosticDescriptor InvalidBase = Error(
        DiagnosticIds.InvalidBase,
        "Invalid base",
        "Base = {0} is invalid; it must be finite, greater than 0 and not 1",
        "The base b defines p_i ∝ b^{x_i} = exp(x_i·ln b): b ≤ 0 has no real powers, b = 1 makes every entry equally likely, and b = ∞ has no finite logarithm. Use b > 1 to favour the largest inputs, b < 1 the smallest.");
    public static readonly DiagnosticDescriptor InvalidTopK = Error(
        DiagnosticIds.InvalidTopK,
        "Invalid TopK",
        "TopK = {0} is invalid; it must be {1}",
        "Top-k sampling keeps the k largest logits of a row, so k must be at least 1 and at most the row length K.");

    public static readonly DiagnosticDescriptor InvalidTopP = Error(
        DiagnosticIds.InvalidTopP,
        "Invalid TopP",
        "TopP = {0} is invalid; it must be greater than 0 and at most 1",
        "Nucleus (top-p) sampling keeps the smallest set of largest logits whose probability reaches p, so p must lie in (0, 1].");

    public static readonly DiagnosticDescriptor HardMismatch = Error(
        DiagnosticIds.HardMismatch,
        "Hard does not match the parameter list",
        "Method '{0}' marked [GumbelSoftmax] {1}",
        "[GumbelSoftmax(Hard = true)] writes two outputs, the one-hot hard sample and the relaxed soft sample (logits, uniforms or random, hard, soft); " +
        "without Hard it writes one (logits, uniforms or random, y). The attribute and the parameter list must agree.");

    public static readonly DiagnosticDescriptor NormalizerNotFound = Error(
        DiagnosticIds.NormalizerNotFound,
        "Normalizer method not found",
        "{0} = \"{1}\" names no method of '{2}'; use a SoftmaxNormalizer constant or nameof a 'static {3} {1}({3} z)' declared in '{2}'",
        "A Normalizer is a SoftmaxNormalizer constant (Exp, Softplus, Taylor2) or the name of a static method of the kernel's containing type (or a base type), which the kernel calls by its simple name.");

    public static readonly DiagnosticDescriptor NormalizerNotStatic = Error(
        DiagnosticIds.NormalizerNotStatic,
        "Normalizer method must be static",
        "{0} method '{1}' must be static",
        "The kernel is a static method, so it can call only a static φ (or φ′).");

    public static readonly DiagnosticDescriptor InvalidNormalizerSignature = Error(
        DiagnosticIds.InvalidNormalizerSignature,
        "Normalizer method has the wrong signature",
        "{0} method '{1}' must be declared 'static {2} {1}({2} z)': one {2} parameter passed by value, a {2} result, no type parameters",
        "φ (and φ′) are called once per logit with the kernel's element type, float or double, and return a value of the same type.");

    public static readonly DiagnosticDescriptor MissingNormalizerDerivative = Error(
        DiagnosticIds.MissingNormalizerDerivative,
        "Normalizer derivative missing",
        "[{0}] with Normalizer = \"{1}\" needs NormalizerDerivative = nameof(…) naming φ′, a 'static {2} DPhi({2} z)'",
        "The Jacobian and backward kernels of p_i = φ(z_i) / Σ_j φ(z_j) need φ′ as well as φ. The built-in normalisers know theirs; a user φ needs its derivative named.");

    public static readonly DiagnosticDescriptor UnsupportedNormalizerCombination = Error(
        DiagnosticIds.UnsupportedNormalizerCombination,
        "Normalizer option not supported here",
        "{0} cannot be combined with {1}",
        "A Normalizer replaces exp, so it cannot be combined with Base (which scales the exponent) or a mask signature; NormalizerDerivative belongs with a user Normalizer only.");

    public static readonly DiagnosticDescriptor InvalidCounts = Error(
        DiagnosticIds.InvalidCounts,
        "Invalid hierarchical-softmax class counts",
        "The class counts{0} are invalid: {1}",
        "[HierarchicalSoftmax] builds a Huffman tree over the class counts, so it needs from 2 to 16777216 counts, none negative and not all zero.");

    public static readonly DiagnosticDescriptor InvalidCountsFile = Error(
        DiagnosticIds.InvalidCountsFile,
        "Hierarchical-softmax counts file missing or unreadable",
        "CountsFile = \"{0}\": {1}",
        "CountsFile names an AdditionalFiles item holding one non-negative integer count per line (blank lines and lines starting with # are skipped).");

    public static readonly DiagnosticDescriptor InvalidDimension = Error(
        DiagnosticIds.InvalidDimension,
        "Invalid hierarchical-softmax Dimension",
        "Dimension = {0} is invalid; {1}",
        "The hidden size D must be a compile-time constant from 1 to 65536, and the (K − 1)·D node weights must fit in one span.");

    public static readonly DiagnosticDescriptor CountsSourceAmbiguous = Error(
        DiagnosticIds.CountsSourceAmbiguous,
        "Hierarchical-softmax counts given twice or not at all",
        "[HierarchicalSoftmax] on '{0}' needs exactly one of Counts and CountsFile; {1}",
        "The Huffman tree is built from the class counts, given either inline (Counts = new[] { … }) or as an AdditionalFiles item (CountsFile = \"name\").");

    public static readonly DiagnosticDescriptor UnshiftedSoftmax = Warning(
        DiagnosticIds.UnshiftedSoftmax,
        "Softmax without subtracting the maximum",
        "Softmax of '{0}' takes exp of {1} values without subtracting their maximum; {1} exp overflows to +∞ above {2}, and ∞/∞ gives NaN{3}",
        "exp(x_i) / Σ_j exp(x_j) overflows for logits above the overflow point of the element type; subtracting max_j x_j first gives the same probabilities with every exponent ≤ 0.");

    public static readonly DiagnosticDescriptor UnshiftedLogSumExp = Warning(
        DiagnosticIds.UnshiftedLogSumExp,
        "Log-sum-exp without subtracting the maximum",
        "Log-sum-exp of '{0}' takes exp of {1} values without subtracting their maximum; {1} exp overflows to +∞ above {2}, so the result is +∞ instead of a finite value{3}",
        "log Σ_j exp(x_j) overflows for inputs above the overflow point of the element type; m + log Σ_j exp(x_j − m) with m = max_j x_j is the same value and stays finite.");

    public static readonly DiagnosticDescriptor UnstableLibrarySoftmax = Warning(
        DiagnosticIds.UnstableLibrarySoftmax,
        "Library softmax that does not subtract the maximum",
        "TensorPrimitives.SoftMax of '{0}' does not subtract the maximum; {1} exp overflows above {2}, and the probabilities become NaN",
        "TensorPrimitives.SoftMax computes exp(x_i) / Σ_j exp(x_j) directly, so inputs above the overflow point give NaN; subtract the maximum first or use a stable kernel.");

    public static readonly DiagnosticDescriptor LogOfSoftmax = Warning(
        DiagnosticIds.LogOfSoftmax,
        "Logarithm of softmax probabilities",
        "Log of the softmax probabilities '{0}': a {1} probability underflows to 0 once its logit is about {2} below the maximum, and its log is −∞ where log-softmax stays finite",
        "log(softmax(x)) loses all precision for small probabilities and gives −∞ on underflow; log-softmax computes x_i − m − log Σ_j exp(x_j − m) directly.");
}
