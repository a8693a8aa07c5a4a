using System.Reflection;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using ReferenceAssemblies = Microsoft.CodeAnalysis.Testing.ReferenceAssemblies;

namespace SoftmaxGen.Tests.Harness;

/// <summary>A consumer's target framework, for compiling generated code against its reference assemblies.</summary>
public enum Target
{
    Net100,
    Net80,
    NetStandard20,
    Net472,
}

/// <summary>
/// Reference assemblies per target framework, from Basic.Reference.Assemblies (embedded in the test assembly's
/// dependencies, so nothing is downloaded or located at test time). The .NET Standard 2.0 and .NET Framework 4.7.2
/// sets have no <c>System.Span&lt;T&gt;</c>; like a real consumer they add System.Memory 4.5.5 (restored by the test
/// project as a PackageDownload, located by path).
/// </summary>
public static class References
{
    /// <summary>Every target, for theories.</summary>
    public static readonly Target[] AllTargets = [Target.Net100, Target.Net80, Target.NetStandard20, Target.Net472];

    /// <summary>
    /// System.Numerics.Tensors (TensorPrimitives, a package rather than part of the framework), from the package the test
    /// project references: the net10.0 set includes it, as a consumer of the demo, the docs and the SMX1003 fixes would.
    /// </summary>
    public static MetadataReference Tensors { get; } =
        MetadataReference.CreateFromFile(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_net100 = new(() =>
        [.. Net100.References.All.Where(r => !(r.FilePath ?? string.Empty).EndsWith("System.Numerics.Tensors.dll", StringComparison.OrdinalIgnoreCase)), Tensors]);
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_net80 = new(() => [.. Net80.References.All]);
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_netStandard20 = new(() => [.. NetStandard20.References.All, SystemMemory("netstandard2.0")]);
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_net472 = new(() => [.. Net472.References.All, SystemMemory("net461")]);

    /// <summary>net10.0, the framework the tests also run on (so compiled kernels can be loaded and executed).</summary>
    public static ImmutableArray<MetadataReference> Framework => s_net100.Value;

    /// <summary>The reference assemblies of <paramref name="target"/>.</summary>
    public static ImmutableArray<MetadataReference> For(Target target) => target switch
    {
        Target.Net100 => s_net100.Value,
        Target.Net80 => s_net80.Value,
        Target.NetStandard20 => s_netStandard20.Value,
        Target.Net472 => s_net472.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    /// <summary>
    /// For the Roslyn testing library's <c>ReferenceAssemblies</c>: a set that names the target framework but resolves
    /// to no package (so the library downloads nothing); the references themselves go into
    /// <c>TestState.AdditionalReferences</c> from <see cref="For"/>.
    /// </summary>
    public static ReferenceAssemblies TestingSet(Target target) => target switch
    {
        Target.Net100 => s_testingNet100,
        Target.Net80 => s_testingNet80,
        Target.NetStandard20 => s_testingNetStandard20,
        Target.Net472 => s_testingNet472,
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    /// <summary>Whether the target has System.Runtime.Intrinsics (without it the generator can only emit scalar rows).</summary>
    public static bool HasIntrinsics(Target target) => target is Target.Net100 or Target.Net80;

    private static readonly ReferenceAssemblies s_testingNet100 = new("net10.0");
    private static readonly ReferenceAssemblies s_testingNet80 = new("net8.0");
    private static readonly ReferenceAssemblies s_testingNetStandard20 = new("netstandard2.0");
    private static readonly ReferenceAssemblies s_testingNet472 = new("net472");

    private static MetadataReference SystemMemory(string folder)
    {
        string package = typeof(References).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SystemMemoryPath").Value!;
        return MetadataReference.CreateFromFile(Path.Combine(package, "lib", folder, "System.Memory.dll"));
    }
}
