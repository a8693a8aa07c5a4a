using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Generator;

/// <summary>
/// Every operation and form compiles cleanly on every target (net10.0, net8.0, netstandard2.0, net472; the last two on
/// the scalar path, with C# 7.3 as well); old language versions, nested/generic containers, and two assemblies that
/// both use SoftmaxGen.
/// </summary>
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

    /// <summary>Row lengths that take different paths: unrolled, packed into one vector, transposed blocks, loops, any length.</summary>
    private static readonly int[] Ks = [1, 3, 4, 10, 16, 33, 1000, 0];

    public static TheoryData<Target, LanguageVersion, string> OperationsOnEveryTarget()
    {
        var data = new TheoryData<Target, LanguageVersion, string>();
        foreach (Target target in References.AllTargets)
        {
            // net10.0 and net8.0 at the language version their SDKs default to; the older targets at C# 7.3 (their default)
            // and at the latest version (a project that raises LangVersion).
            LanguageVersion[] versions = target switch
            {
                Target.Net100 => [LanguageVersion.Latest],
                Target.Net80 => [LanguageVersion.CSharp12],
                _ => [LanguageVersion.CSharp7_3, LanguageVersion.Latest],
            };
            foreach (LanguageVersion version in versions)
            {
                foreach (string op in new[]
                {
                    "Softmax", "LogSoftmax", "LogSumExp", "SoftmaxJacobian", "SoftmaxBackward", "LogSoftmaxBackward",
                    "SoftmaxCrossEntropy", "SoftmaxEntropy", "SoftmaxHessian", "SoftmaxSecondDirectional", "ArgMax",
                    "Softmin", "GumbelSoftmax",
                })
                {
                    data.Add(target, version, op);
                }
            }
        }

        return data;
    }

    /// <summary>
    /// Compile-only, on the Roslyn test framework: every form of <paramref name="op"/> for float and double and each K
    /// above generates code that compiles with no warning on <paramref name="target"/>. C# 7.3 allows only the
    /// private <c>void</c> partial methods, so the single-row log-sum-exp (which returns T) is left out there.
    /// </summary>
    [Theory]
    [MemberData(nameof(OperationsOnEveryTarget))]
    public async Task EveryForm_CompilesWithoutWarnings(Target target, LanguageVersion version, string op)
    {
        bool modern = version >= LanguageVersion.CSharp9;
        var methods = new List<string>();
        foreach (string t in new[] { "float", "double" })
        {
            foreach (int k in op is "SoftmaxJacobian" or "SoftmaxHessian" ? Ks.Where(k => k <= 100) : Ks)
            {
                string kArg = k == 0 ? string.Empty : k.ToString(System.Globalization.CultureInfo.InvariantCulture);
                string Attr(string named) => $"[{op}({string.Join(", ", new[] { kArg, named }.Where(a => a.Length > 0))})]";
                string n = $"{t}_{k}";
                string[] forms = op switch
                {
                    "Softmax" or "LogSoftmax" or "Softmin" =>
                    [
                        $"{Attr("Base = 0.5")} {{0}} void Base_{n}(ReadOnlySpan<{t}> x, Span<{t}> y, {t} temperature);",
                        $"{Attr("")} {{0}} void Masked_{n}(ReadOnlySpan<{t}> x, ReadOnlySpan<bool> mask, Span<{t}> y);",
                        $"{Attr("ZeroFullyMaskedRows = true")} {{0}} void MaskedRuntime_{n}(ReadOnlySpan<{t}> x, ReadOnlySpan<bool> mask, Span<{t}> y, {t} temperature);",
                        $"{Attr("")} {{0}} void M_{n}(ReadOnlySpan<{t}> x, Span<{t}> y);",
                        $"{Attr("")} {{0}} void InPlace_{n}(Span<{t}> values);",
                        $"{Attr("Temperature = 0.5")} {{0}} void Const_{n}(ReadOnlySpan<{t}> x, Span<{t}> y);",
                        $"{Attr("")} {{0}} void Runtime_{n}(ReadOnlySpan<{t}> x, Span<{t}> y, {t} temperature);",
                        $"{Attr("ZeroFullyMaskedRows = true")} {{0}} void Zero_{n}(ReadOnlySpan<{t}> x, Span<{t}> y);",
                    ],
                    "LogSumExp" =>
                    [
                        modern ? $"{Attr("")} {{0}} {t} M_{n}(ReadOnlySpan<{t}> x);" : string.Empty,
                        modern ? $"{Attr("Temperature = 2")} {{0}} {t} Const_{n}(ReadOnlySpan<{t}> x);" : string.Empty,
                        modern ? $"{Attr("")} {{0}} {t} Runtime_{n}(ReadOnlySpan<{t}> x, {t} temperature);" : string.Empty,
                        $"{Attr("")} {{0}} void Batch_{n}(ReadOnlySpan<{t}> x, Span<{t}> results);",
                        $"{Attr("")} {{0}} void BatchRuntime_{n}(ReadOnlySpan<{t}> x, Span<{t}> results, {t} temperature);",
                        $"{Attr("Base = 10")} {{0}} void BatchBase_{n}(ReadOnlySpan<{t}> x, Span<{t}> results);",
                        $"{Attr("")} {{0}} void BatchMasked_{n}(ReadOnlySpan<{t}> x, ReadOnlySpan<bool> mask, Span<{t}> results);",
                        modern ? $"{Attr("")} {{0}} {t} Masked_{n}(ReadOnlySpan<{t}> x, ReadOnlySpan<bool> mask);" : string.Empty,
                    ],
                    "SoftmaxJacobian" =>
                    [
                        $"{Attr("")} {{0}} void M_{n}(ReadOnlySpan<{t}> p, Span<{t}> jacobian);",
                        $"{Attr("")} {{0}} void Runtime_{n}(ReadOnlySpan<{t}> p, Span<{t}> jacobian, {t} temperature);",
                    ],
                    "SoftmaxCrossEntropy" =>
                    [
                        modern ? $"{Attr("")} {{0}} {t} M_{n}(ReadOnlySpan<{t}> x, int target);" : string.Empty,
                        modern ? $"{Attr("LabelSmoothing = 0.1, IgnoreIndex = -100")} {{0}} {t} Grad_{n}(ReadOnlySpan<{t}> x, int target, Span<{t}> g, {t} temperature);" : string.Empty,
                        modern ? $"{Attr("Temperature = 2")} {{0}} {t} Soft_{n}(ReadOnlySpan<{t}> x, ReadOnlySpan<{t}> q, Span<{t}> g);" : string.Empty,
                        $"{Attr("")} {{0}} void Batch_{n}(ReadOnlySpan<{t}> x, ReadOnlySpan<int> targets, Span<{t}> losses);",
                        $"{Attr("IgnoreIndex = 0")} {{0}} void BatchGrad_{n}(ReadOnlySpan<{t}> x, ReadOnlySpan<int> targets, Span<{t}> losses, Span<{t}> g);",
                        $"{Attr("LabelSmoothing = 0.2")} {{0}} void SoftBatch_{n}(ReadOnlySpan<{t}> x, ReadOnlySpan<{t}> q, Span<{t}> losses, Span<{t}> g, {t} temperature);",
                    ],
                    "SoftmaxEntropy" =>
                    [
                        modern ? $"{Attr("")} {{0}} {t} M_{n}(ReadOnlySpan<{t}> x);" : string.Empty,
                        modern ? $"{Attr("Temperature = 0.5")} {{0}} {t} Grad_{n}(ReadOnlySpan<{t}> x, Span<{t}> g);" : string.Empty,
                        $"{Attr("")} {{0}} void Batch_{n}(ReadOnlySpan<{t}> x, Span<{t}> h);",
                        $"{Attr("")} {{0}} void BatchGrad_{n}(ReadOnlySpan<{t}> x, Span<{t}> h, Span<{t}> g, {t} temperature);",
                    ],
                    "ArgMax" =>
                    [
                        modern ? $"{Attr("")} {{0}} int M_{n}(ReadOnlySpan<{t}> x);" : string.Empty,
                        $"{Attr("")} {{0}} void Batch_{n}(ReadOnlySpan<{t}> x, Span<int> indices);",
                    ],
                    "SoftmaxHessian" =>
                    [
                        $"{Attr("")} {{0}} void M_{n}(ReadOnlySpan<{t}> p, Span<{t}> hessian);",
                        $"{Attr("Temperature = 3")} {{0}} void Const_{n}(ReadOnlySpan<{t}> p, Span<{t}> hessian);",
                    ],
                    "SoftmaxSecondDirectional" =>
                    [
                        $"{Attr("")} {{0}} void M_{n}(ReadOnlySpan<{t}> p, ReadOnlySpan<{t}> u, ReadOnlySpan<{t}> v, Span<{t}> w);",
                        $"{Attr("")} {{0}} void Runtime_{n}(ReadOnlySpan<{t}> p, ReadOnlySpan<{t}> u, ReadOnlySpan<{t}> v, Span<{t}> w, {t} temperature);",
                    ],
                    "GumbelSoftmax" =>
                    [
                        $"{Attr("")} {{0}} void M_{n}(ReadOnlySpan<{t}> x, ReadOnlySpan<{t}> u, Span<{t}> y);",
                        $"{Attr("Temperature = 0.5")} {{0}} void Random_{n}(ReadOnlySpan<{t}> x, Random random, Span<{t}> y);",
                        $"{Attr("Hard = true")} {{0}} void Hard_{n}(ReadOnlySpan<{t}> x, ReadOnlySpan<{t}> u, Span<{t}> hard, Span<{t}> soft, {t} tau);",
                        $"{Attr("Hard = true")} {{0}} void HardRandom_{n}(ReadOnlySpan<{t}> x, Random random, Span<{t}> hard, Span<{t}> soft);",
                    ],
                    _ =>
                    [
                        $"{Attr("")} {{0}} void M_{n}(ReadOnlySpan<{t}> p, ReadOnlySpan<{t}> g, Span<{t}> dx);",
                        $"{Attr("Temperature = 0.5")} {{0}} void Const_{n}(ReadOnlySpan<{t}> p, ReadOnlySpan<{t}> g, Span<{t}> dx);",
                        $"{Attr("")} {{0}} void Runtime_{n}(ReadOnlySpan<{t}> p, ReadOnlySpan<{t}> g, Span<{t}> dx, {t} temperature);",
                    ],
                };
                methods.AddRange(forms.Where(f => f.Length > 0).Select(f => "        " + string.Format(System.Globalization.CultureInfo.InvariantCulture, f, modern ? "public static partial" : "static partial")));
            }
        }

        // C# 7.3 has no file-scoped namespaces; the calls show that the kernels are usable from the consumer's code.
        string source = $$"""
            using System;
            using SoftmaxGen;
            namespace Consumer
            {
                /// <summary>Documented, so that a missing doc comment on a generated member would be a warning (CS1591).</summary>
                public static partial class {{op}}Kernels
                {
            {{string.Join("\n", methods)}}
                }
            }
            """;
        await new KernelGeneratorTest(target, version) { TestState = { Sources = { source } } }.RunAsync();

        // The same input through the harness: one kernel per method, and only the scalar path where there are no intrinsics.
        GeneratorRun run = GeneratorRun.Run([source], version, target: target).AssertClean();
        Assert.Equal(methods.Count, run.KernelSources.Count);
        if (!References.HasIntrinsics(target))
        {
            Assert.All(run.KernelSources.Values, code =>
            {
                Assert.DoesNotContain("System.Runtime.Intrinsics", code, StringComparison.Ordinal);
                Assert.Contains("Code path: scalar", code, StringComparison.Ordinal);
            });
        }
    }

    [Theory]
    [Trait("Category", "Kernels")]
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
    [Trait("Category", "Kernels")]
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
