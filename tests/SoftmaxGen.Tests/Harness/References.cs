using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace SoftmaxGen.Tests.Harness;

/// <summary>The running framework's assemblies, as metadata references, computed once.</summary>
public static class References
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_all = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path) is var name &&
                           (name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll" or "System.dll"))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    public static ImmutableArray<MetadataReference> Framework => s_all.Value;
}
