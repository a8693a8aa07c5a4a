namespace SoftmaxGen.Diagnostics;

/// <summary>Every diagnostic ID SoftmaxGen reports. IDs are never reused.</summary>
internal static class DiagnosticIds
{
    // SMX0001-0099: attribute and signature misuse (Error, Usage).
    public const string MethodMustBeStatic = "SMX0001";
    public const string MethodMustBePartialDefinition = "SMX0002";
    public const string MethodMustNotBeGeneric = "SMX0003";
    public const string InvalidReturnType = "SMX0004";
    public const string InvalidParameterList = "SMX0005";
    public const string UnsupportedElementType = "SMX0006";
    public const string MismatchedElementTypes = "SMX0007";
    public const string RowLengthOutOfRange = "SMX0008";
    public const string AttributeOnInvalidTarget = "SMX0009";
    public const string InvalidTemperature = "SMX0010";
    public const string TemperatureSpecifiedTwice = "SMX0011";
    public const string InvalidParameterType = "SMX0012";
    public const string ContainingTypeMustBePartial = "SMX0013";
    public const string MultipleKernelAttributes = "SMX0014";
    public const string NeedsNewerLanguageVersion = "SMX0015";
    public const string InvalidLabelSmoothing = "SMX0016";
    public const string InvalidBase = "SMX0017";
    public const string InvalidTopK = "SMX0018";
    public const string InvalidTopP = "SMX0019";
    public const string HardMismatch = "SMX0020";
    public const string InvalidCounts = "SMX0022";
    public const string InvalidCountsFile = "SMX0023";
    public const string InvalidDimension = "SMX0024";
    public const string CountsSourceAmbiguous = "SMX0025";

    // SMX0026-0030: the Normalizer property (SMX0020-0025 belong to the variant kernels).
    public const string NormalizerNotFound = "SMX0026";
    public const string NormalizerNotStatic = "SMX0027";
    public const string InvalidNormalizerSignature = "SMX0028";
    public const string MissingNormalizerDerivative = "SMX0029";
    public const string UnsupportedNormalizerCombination = "SMX0030";

    // SMX1001-1099: numerical-stability findings in user code (Warning, Reliability).
    public const string UnshiftedSoftmax = "SMX1001";
    public const string UnshiftedLogSumExp = "SMX1002";
    public const string UnstableLibrarySoftmax = "SMX1003";
    public const string LogOfSoftmax = "SMX1004";
}
