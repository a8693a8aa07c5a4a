using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Generator;

/// <summary>Old language versions, nested/generic containers, and two assemblies that both use SoftmaxGen.</summary>
[Trait("Category", "Kernels")]
public class CompatibilityTests
{
    private const string Kernels = """
        using System;
        using SoftmaxGen;
        namespace Lib
        {
            public partial class Outer<T>
            {
                public partial struct Inner
                {
                    [Softmax(10)]
                    public static partial void P(ReadOnlySpan<float> x, Span<float> y);

                    [LogSumExp]
                    public static partial double L(ReadOnlySpan<double> x);
                }
            }
        }
        """;

    [Theory]
    [InlineData(LanguageVersion.CSharp9)]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp11)]
    [InlineData(LanguageVersion.Latest)]
    public void Kernels_CompileAndRun_OnEveryLanguageVersionWithExtendedPartialMethods(LanguageVersion version)
    {
        GeneratorRun run = GeneratorRun.Run([Kernels], version);
        using LoadedAssembly assembly = run.Load();
        Type inner = assembly.Assembly.GetType("Lib.Outer`1+Inner", throwOnError: true)!.MakeGenericType(typeof(int));
        var p = LoadedAssembly.Bind<Map<float>>(inner, "P");
        float[] y = new float[10];
        p([1000, 1000, 999, 0, 0, 0, 0, 0, 0, 0], y);
        Assert.Equal(0.4223188f, y[0], 6);
        Assert.Equal(Math.Log(3), LoadedAssembly.Bind<Reduce<double>>(inner, "L")([0, 0, 0]), 15);
        Assert.Equal(version >= LanguageVersion.CSharp11, run.KernelSources.Values.First().Contains("file static class", StringComparison.Ordinal));
    }

    [Fact]
    public void TwoAssemblies_LinkedByInternalsVisibleTo_HaveNoConflicts()
    {
        string ivt = "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"Second\")]";
        GeneratorRun a = GeneratorRun.Run([Kernels, ivt], LanguageVersion.CSharp10, "First").AssertClean();
        MetadataReference reference = a.Output.ToMetadataReference();
        string second = Kernels.Replace("namespace Lib", "namespace Lib2") + """

            namespace Lib2
            {
                public static partial class Uses
                {
                    [SoftmaxGen.Softmax(10)]
                    public static partial void Q(System.ReadOnlySpan<float> x, System.Span<float> y);

                    public static void CallOther(float[] x, float[] y) => Lib.Outer<int>.Inner.P(x, y);
                }
            }
            """;
        GeneratorRun b = GeneratorRun.Run([second], LanguageVersion.CSharp10, "Second", [reference]);
        Assert.DoesNotContain(b.Output.GetDiagnostics(), d => d.Id is "CS0436" or "CS0433" or "CS0229" or "CS0121");
        b.AssertClean();
    }
}
