using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SoftmaxGen.Generation.Emit;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation;

/// <summary>The pipeline's steps that Initialize names: the attributes, the target facts, emission.</summary>
public sealed partial class SoftmaxGenerator
{
    private static void AddAttributes(IncrementalGeneratorPostInitializationContext context)
    {
        context.AddEmbeddedAttributeDefinition();
        context.AddSource(AttributeSource.HintName, AttributeSource.Build());
    }

    private static TargetFacts ReadFacts(Compilation compilation)
    {
        FactsRead?.Invoke(compilation);
        LanguageVersion version = compilation is CSharpCompilation csharp ? csharp.LanguageVersion : LanguageVersion.Default;
        INamedTypeSymbol? v128 = Type(compilation, "System.Runtime.Intrinsics.Vector128");
        INamedTypeSymbol? v256 = Type(compilation, "System.Runtime.Intrinsics.Vector256");
        INamedTypeSymbol? v512 = Type(compilation, "System.Runtime.Intrinsics.Vector512");
        return new TargetFacts(
            SupportsFileTypes: version >= LanguageVersion.CSharp11,
            SupportsNullable: version >= LanguageVersion.CSharp8,
            HasVector128: HasMember(v128, "get_IsHardwareAccelerated"),
            HasVector256: HasMember(v256, "get_IsHardwareAccelerated"),
            HasVector512: HasMember(v512, "get_IsHardwareAccelerated"),
            HasVectorMath: version >= LanguageVersion.CSharp9 && HasVectorMath(v128) && HasVectorMath(v256) && HasVectorMath(v512), // the SIMD rows use nint
            HasAvx512F: HasMember(Type(compilation, "System.Runtime.Intrinsics.X86.Avx512F"), "get_IsSupported"));
    }

    /// <summary>
    /// The public type of that name the compilation can see: GetTypeByMetadataName gives null when several referenced
    /// assemblies define it (as reference packs may), so the accessible candidates are checked one by one.
    /// </summary>
    private static INamedTypeSymbol? Type(Compilation compilation, string metadataName)
    {
        foreach (INamedTypeSymbol candidate in compilation.GetTypesByMetadataName(metadataName))
        {
            if (candidate.DeclaredAccessibility == Accessibility.Public)
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool HasMember(INamedTypeSymbol? type, string name) => type is not null && !type.GetMembers(name).IsEmpty;

    /// <summary>The vector operations the SIMD rows call (FusedMultiplyAdd and MaxNative arrived in .NET 9).</summary>
    private static bool HasVectorMath(INamedTypeSymbol? vector) =>
        HasMember(vector, "FusedMultiplyAdd") && HasMember(vector, "MaxNative") && HasMember(vector, "Widen") &&
        HasMember(vector, "Narrow") && HasMember(vector, "ShiftLeft") && HasMember(vector, "ShiftRightArithmetic") &&
        HasMember(vector, "LoadUnsafe") && HasMember(vector, "StoreUnsafe") && HasMember(vector, "ConditionalSelect") &&
        HasMember(vector, "Shuffle") && HasMember(vector, "Sum");

    private static void EmitKernel(SourceProductionContext context, GeneratorOutput output)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var kernel = (KernelOutput)output;
        context.AddSource(kernel.Spec.HintName, KernelEmitter.Emit(kernel.Spec, kernel.Facts));
    }

    /// <summary>The shared throw helpers and vector math, once per compilation that has a kernel.</summary>
    private static void EmitShared(SourceProductionContext context, SharedOutput? shared)
    {
        if (shared is not null)
        {
            context.AddSource(SharedEmitter.HintName, SharedEmitter.Emit(shared.Facts));
        }
    }
}
