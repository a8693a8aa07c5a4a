using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SoftmaxGen.Generation;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Generator;

/// <summary>The pipeline caches: unrelated edits reuse the model, K changes regenerate one kernel.</summary>
public class IncrementalTests
{
    private const string Kernel = """
        using System;
        using SoftmaxGen;
        namespace N;
        public static partial class Head
        {
            [Softmax(10)]
            public static partial void P(ReadOnlySpan<float> x, Span<float> y);
        }
        """;

    private const string Other = """
        namespace N;
        public static class Unrelated
        {
            public static int F() => 1;
        }
        """;

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun(params string[] sources)
    {
        CSharpCompilation compilation = GeneratorRun.Compile(sources);
        GeneratorDriver driver = GeneratorRun.CreateDriver().RunGenerators(compilation);
        return (driver, compilation);
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps[step]
            .SelectMany(s => s.Outputs)
            .Select(o => o.Reason)
            .ToArray();

    private static CSharpCompilation ReplaceTree(CSharpCompilation compilation, int index, string source) =>
        compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.ElementAt(index), CSharpSyntaxTree.ParseText(source, GeneratorRun.ParseOptions(), path: $"Source{index}.cs"));

    [Fact]
    public void SameInput_IsCached()
    {
        var (driver, compilation) = FirstRun(Kernel, Other);
        driver = driver.RunGenerators(compilation.Clone());
        Assert.All(Reasons(driver, SoftmaxGenerator.TrackingNames.Output), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void UnrelatedEdit_LeavesTheKernelUnchanged()
    {
        var (driver, compilation) = FirstRun(Kernel, Other);
        driver = driver.RunGenerators(ReplaceTree(compilation, 1, Other.Replace("=> 1", "=> 2")));
        Assert.All(Reasons(driver, SoftmaxGenerator.TrackingNames.Output), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    [Fact]
    public void EditInTheKernelsFile_ElsewhereThanTheKernel_LeavesItUnchanged()
    {
        var (driver, compilation) = FirstRun(Kernel, Other);
        driver = driver.RunGenerators(ReplaceTree(compilation, 0, Kernel.Replace("public static partial class Head", "public static partial class Head // a comment")));
        Assert.Contains(IncrementalStepRunReason.Unchanged, Reasons(driver, SoftmaxGenerator.TrackingNames.Declarations));
        Assert.All(Reasons(driver, SoftmaxGenerator.TrackingNames.Output), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    [Fact]
    public void ChangingK_ModifiesTheKernel()
    {
        var (driver, compilation) = FirstRun(Kernel, Other);
        driver = driver.RunGenerators(ReplaceTree(compilation, 0, Kernel.Replace("Softmax(10)", "Softmax(12)")));
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, SoftmaxGenerator.TrackingNames.Output));
    }

    [Fact]
    public void ASecondKernel_IsNew()
    {
        var (driver, compilation) = FirstRun(Kernel, Other);
        string two = Kernel.TrimEnd().TrimEnd('}') + "    [Softmax(4)] public static partial void Q(ReadOnlySpan<double> x, Span<double> y);\n}\n";
        driver = driver.RunGenerators(ReplaceTree(compilation, 0, two));
        IncrementalStepRunReason[] reasons = Reasons(driver, SoftmaxGenerator.TrackingNames.Output);
        Assert.Contains(IncrementalStepRunReason.New, reasons);
        Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    /// <summary>The assembly names of the compilations whose target facts the generator read while <paramref name="run"/> ran.</summary>
    private static List<string?> FactLookUps(Action run)
    {
        var seen = new List<string?>();
        void Record(Compilation c)
        {
            lock (seen)
            {
                seen.Add(c.AssemblyName);
            }
        }

        SoftmaxGenerator.FactsRead += Record;
        try
        {
            run();
        }
        finally
        {
            SoftmaxGenerator.FactsRead -= Record;
        }

        return seen;
    }

    [Fact]
    public void ProjectWithoutKernels_SourceEdits_RunNoFactLookUp_AndEmitNothing()
    {
        // A name of its own, as tests in other classes run generators at the same time.
        string name = "NoKernels" + Guid.NewGuid().ToString("N");
        GeneratorRunResult result = default;
        List<string?> lookUps = FactLookUps(() =>
        {
            CSharpCompilation compilation = GeneratorRun.Compile([Other, "namespace N { [System.Obsolete] static class O { [System.Obsolete] static void M() { } } }"], assemblyName: name);
            GeneratorDriver driver = GeneratorRun.CreateDriver().RunGenerators(compilation);
            driver = driver.RunGenerators(ReplaceTree(compilation, 0, Other.Replace("=> 1", "=> 2")));
            result = driver.GetRunResult().Results.Single();
        });

        Assert.DoesNotContain(name, lookUps);
        // No declaration of ours, so the declarations step yields nothing (and records no step at all).
        Assert.Empty(result.TrackedSteps.TryGetValue(SoftmaxGenerator.TrackingNames.Declarations, out var declarations) ? declarations.SelectMany(s => s.Outputs) : []);
        Assert.All(result.TrackedSteps[SoftmaxGenerator.TrackingNames.Facts].SelectMany(s => s.Outputs), o => Assert.Null(o.Value));
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == "SoftmaxGen.Shared.g.cs" || s.HintName.StartsWith("N.", StringComparison.Ordinal));
    }

    [Fact]
    public void AddingTheFirstKernel_ReadsTheFacts_AndAddsTheSharedFile()
    {
        string name = "FirstKernel" + Guid.NewGuid().ToString("N");
        GeneratorRunResult result = default;
        List<string?> lookUps = FactLookUps(() =>
        {
            CSharpCompilation compilation = GeneratorRun.Compile([Other, "namespace N { }"], assemblyName: name);
            GeneratorDriver driver = GeneratorRun.CreateDriver().RunGenerators(compilation);
            driver = driver.RunGenerators(ReplaceTree(compilation, 1, Kernel));
            result = driver.GetRunResult().Results.Single();
        });

        Assert.Equal(1, lookUps.Count(n => n == name));
        Assert.All(result.TrackedSteps[SoftmaxGenerator.TrackingNames.Facts].SelectMany(s => s.Outputs), o => Assert.True(((Generation.Model.SharedOutput)o.Value).Facts.CanEmitSimd));
        Assert.Contains(result.GeneratedSources, s => s.HintName == "SoftmaxGen.Shared.g.cs");
    }

    [Fact]
    public void ChangingOrAddingKernels_LeavesTheSharedFileCached()
    {
        var (driver, compilation) = FirstRun(Kernel, Other);
        driver = driver.RunGenerators(ReplaceTree(compilation, 0, Kernel.Replace("Softmax(10)", "Softmax(12)")));
        Assert.All(Reasons(driver, SoftmaxGenerator.TrackingNames.Facts), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        string two = Kernel.TrimEnd().TrimEnd('}') + "    [LogSumExp] public static partial double Q(ReadOnlySpan<double> x);\n}\n";
        driver = driver.RunGenerators(ReplaceTree(compilation, 0, two));
        Assert.All(Reasons(driver, SoftmaxGenerator.TrackingNames.Facts), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    [Fact]
    public void TrackedOutputs_HoldNoSymbolsSyntaxOrCompilations()
    {
        var (driver, _) = FirstRun(Kernel, Other);
        var result = driver.GetRunResult().Results.Single();
        string[] ours = [SoftmaxGenerator.TrackingNames.Declarations, SoftmaxGenerator.TrackingNames.Facts, SoftmaxGenerator.TrackingNames.Output];
        foreach (var step in ours.SelectMany(name => result.TrackedSteps[name]))
        {
            foreach (var (value, _) in step.Outputs)
            {
                AssertNoCompilerObjects(value, new HashSet<object>(ReferenceEqualityComparer.Instance), step.Name ?? "?");
            }
        }
    }

    private static void AssertNoCompilerObjects(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Location or Compilation or SyntaxTree or SemanticModel, $"{path} holds a {value.GetType().Name}");
        if (value is IEnumerable sequence)
        {
            foreach (object? item in sequence)
            {
                AssertNoCompilerObjects(item, seen, path + "[]");
            }
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoCompilerObjects(field.GetValue(value), seen, path + "." + field.Name);
        }
    }
}
