using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using SoftmaxGen.Diagnostics;

namespace SoftmaxGen.Tests.Analyzers;

/// <summary>Suppression, .editorconfig severity, analyzer metadata, and half-typed code.</summary>
public class ConfigurationAndRobustnessTests
{
    /// <summary>Triggers all four rules once each.</summary>
    private const string AllFour = """
        static void Softmax(double[] x, double[] y)
        {
            double sum = 0;
            for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i]);
            for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum;
        }

        static double LogSumExp(double[] x) => Math.Log(x.Sum(v => Math.Exp(v)));

        static float Loss(float[] logits, int label)
        {
            var p = new float[logits.Length];
            TensorPrimitives.SoftMax(logits, p);
            return -MathF.Log(p[label]);
        }
        """;

    private static readonly string[] s_ids =
        [DiagnosticIds.UnshiftedSoftmax, DiagnosticIds.UnshiftedLogSumExp, DiagnosticIds.UnstableLibrarySoftmax, DiagnosticIds.LogOfSoftmax];

    /// <summary>The same four members with markup: one diagnostic each, at the exact span.</summary>
    private const string AllFourMarked = """
        static void Softmax(double[] x, double[] y)
        {
            double sum = 0;
            for (int i = 0; i < x.Length; i++) sum += {|#0:Math.Exp(x[i])|};
            for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum;
        }

        static double LogSumExp(double[] x) => Math.Log(x.Sum(v => {|#1:Math.Exp(v)|}));

        static float Loss(float[] logits, int label)
        {
            var p = new float[logits.Length];
            {|#2:TensorPrimitives.SoftMax(logits, p)|};
            return -{|#3:MathF.Log(p[label])|};
        }
        """;

    private static DiagnosticResult Warning(string id, int location) =>
        new DiagnosticResult(id, DiagnosticSeverity.Warning).WithLocation(location);

    [Fact]
    public Task AllFourRules_ReportWarnings()
    {
        var test = new StabilityAnalyzerTest(AnalyzerSources.InClass(AllFourMarked));
        for (int i = 0; i < s_ids.Length; i++)
        {
            test.ExpectedDiagnostics.Add(Warning(s_ids[i], i).WithArguments(Arguments(s_ids[i])));
        }

        return test.RunAsync();
    }

    private static object[] Arguments(string id) => id switch
    {
        "SMX1001" => ["x", "double", "709.8", string.Empty],
        "SMX1002" => ["x", "double", "709.8", string.Empty],
        "SMX1003" => ["logits", "float", "88.7"],
        _ => ["p", "float", "103.3"],
    };

    [Fact]
    public void Descriptors_AreWarnings_InReliability_WithHelpLinks()
    {
        var descriptors = StabilityAnalyzerTest.Analyzers.SelectMany(a => a.SupportedDiagnostics).ToList();
        Assert.Equal(s_ids.Order(), descriptors.Select(d => d.Id).Order());
        Assert.All(descriptors, d =>
        {
            Assert.Equal(DiagnosticSeverity.Warning, d.DefaultSeverity);
            Assert.Equal("Reliability", d.Category);
            Assert.True(d.IsEnabledByDefault);
            Assert.Equal(Descriptors.HelpLink(d.Id), d.HelpLinkUri);
            Assert.EndsWith("docs/diagnostics/" + d.Id + ".md", d.HelpLinkUri, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public Task PragmaWarningDisable_SilencesEachId(int which)
    {
        string id = s_ids[which];
        var test = new StabilityAnalyzerTest(AnalyzerSources.InClass($"#pragma warning disable {id}\n" + AllFourMarked + $"\n#pragma warning restore {id}"));
        for (int i = 0; i < s_ids.Length; i++)
        {
            if (i != which)
            {
                test.ExpectedDiagnostics.Add(Warning(s_ids[i], i));
            }
        }

        test.TestState.MarkupHandling = MarkupMode.Allow;
        return test.RunAsync();
    }

    [Theory]
    [InlineData(0, "none", null)]
    [InlineData(1, "none", null)]
    [InlineData(2, "suggestion", DiagnosticSeverity.Info)]
    public Task EditorConfigSeverity_IsHonoured(int which, string severity, DiagnosticSeverity? expected)
    {
        string id = s_ids[which];
        var test = new StabilityAnalyzerTest(AnalyzerSources.InClass(AllFourMarked));
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", $"is_global = true\n\ndotnet_diagnostic.{id}.severity = {severity}\n"));
        for (int i = 0; i < s_ids.Length; i++)
        {
            if (i != which)
            {
                test.ExpectedDiagnostics.Add(Warning(s_ids[i], i));
            }
            else if (expected is { } configured)
            {
                test.ExpectedDiagnostics.Add(new DiagnosticResult(id, configured).WithLocation(i));
            }
        }

        test.TestState.MarkupHandling = MarkupMode.Allow;

        // The framework's extra runs (the file marked generated, a #pragma around it) are not about configuration.
        test.TestBehaviors |= TestBehaviors.SkipSuppressionCheck | TestBehaviors.SkipGeneratedCodeCheck;
        return test.RunAsync();
    }

    /// <summary>
    /// "error" from an .editorconfig, in a workspace project as the IDE builds it (the testing library's run reports
    /// the descriptor's default severity here, so this case is checked on the compilation directly).
    /// </summary>
    [Fact]
    public async Task EditorConfigSeverity_Error_IsHonoured()
    {
        var workspace = new AdhocWorkspace();
        ProjectId projectId = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "P", "P", LanguageNames.CSharp,
                filePath: "/src/P.csproj",
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
                metadataReferences: TestReferences.Net100))
            .AddDocument(DocumentId.CreateNewId(projectId), "C.cs", Microsoft.CodeAnalysis.Text.SourceText.From(AnalyzerSources.InClass(AllFour)), filePath: "/src/C.cs")
            .AddAnalyzerConfigDocument(DocumentId.CreateNewId(projectId), ".editorconfig",
                Microsoft.CodeAnalysis.Text.SourceText.From("root = true\n\n[*.cs]\ndotnet_diagnostic.SMX1004.severity = error\n"), filePath: "/src/.editorconfig");
        Compilation compilation = (await solution.GetProject(projectId)!.GetCompilationAsync())!;
        var diagnostics = await StabilityAnalyzerTest.DiagnosticsAsync(compilation);
        Assert.Equal(DiagnosticSeverity.Error, Assert.Single(diagnostics, d => d.Id == "SMX1004").Severity);
        Assert.All(diagnostics.Where(d => d.Id != "SMX1004"), d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Equal(4, diagnostics.Length);
    }

    [Fact]
    public Task SpecificDiagnosticOptions_Suppress()
    {
        var test = new StabilityAnalyzerTest(AnalyzerSources.InClass(TestReferences.Plain(AllFourMarked)));
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            CompilationOptions options = solution.GetProject(projectId)!.CompilationOptions!;
            return solution.WithProjectCompilationOptions(projectId, options.WithSpecificDiagnosticOptions(
                options.SpecificDiagnosticOptions.SetItems(s_ids.ToDictionary(id => id, _ => ReportDiagnostic.Suppress))));
        });
        return test.RunAsync();
    }

    [Fact]
    public async Task GeneratedCode_IsNotAnalysed()
    {
        string source = "// <auto-generated/>\n" + AnalyzerSources.InClass(TestReferences.Plain(AllFourMarked));
        await new StabilityAnalyzerTest(source).RunAsync();
        Assert.Empty(await StabilityAnalyzerTest.DiagnosticsAsync(TestReferences.Compile([source])));
    }

    /// <summary>Every token-boundary prefix of code the rules match (half-typed code) analyses without an exception.</summary>
    [Fact]
    public async Task HalfTypedCode_NeverThrows()
    {
        string source = AnalyzerSources.InClass(AllFour + "\n" + """
            static IEnumerable<float> Onnx(float[] output)
            {
                var sum = output.Sum(x => (float)Math.Exp(x));
                foreach (var v in output) sum += MathF.Exp(v);
                return output.Select(x => (float)Math.Exp(x) / sum).Select(Math.Log);
            }
            """);
        SyntaxTree tree = CSharpSyntaxTree.ParseText(source);
        var ends = tree.GetRoot().DescendantTokens().Select(t => t.Span.End).Where(e => e > 150).Distinct().ToList();
        int analysed = 0;
        foreach (int end in ends)
        {
            // Throws (failing the test) on any analyzer exception or AD0001.
            await StabilityAnalyzerTest.DiagnosticsAsync(TestReferences.Compile([source[..end]]));
            analysed++;
        }

        Assert.True(analysed > 100);
    }

    /// <summary>Every token-boundary prefix of a softmax spread over helpers, and of vector code, analyses without an exception.</summary>
    [Fact]
    public async Task HalfTypedHelperAndVectorCode_NeverThrows()
    {
        string source = AnalyzerSources.InClass("""
            static double[] Exps(double[] x) { var r = new double[x.Length]; for (int i = 0; i < x.Length; i++) r[i] = Math.Exp(x[i]); return r; }
            static double Sum(this double[] x) { double s = 0; foreach (var v in x) s += v; return s; }
            static double[] Divide(double[] x, double by) => x.Select(v => v / by).ToArray();
            static double[] Softmax(double[] logits) { var e = Exps(logits); return Divide(e, e.Sum()); }
            static void V(ReadOnlySpan<float> x, Span<float> y)
            {
                var acc = System.Numerics.Vector<float>.Zero;
                var e = System.Numerics.Vector.Exp(new System.Numerics.Vector<float>(x));
                e.CopyTo(y); acc += e;
                float s = System.Numerics.Vector.Sum(acc);
                for (int i = 0; i < y.Length; i++) y[i] /= s;
            }
            """);
        SyntaxTree tree = CSharpSyntaxTree.ParseText(source);
        var ends = tree.GetRoot().DescendantTokens().Select(t => t.Span.End).Where(e => e > 150).Distinct().ToList();
        foreach (int end in ends)
        {
            await StabilityAnalyzerTest.DiagnosticsAsync(TestReferences.Compile([source[..end]]));
        }

        Assert.True(ends.Count > 100);
    }

    /// <summary>Locals initialised with themselves (half-typed code, CS0165) do not make the bound or vector analysis recurse.</summary>
    [Fact]
    public async Task SelfInitialisedLocals_DoNotRecurse()
    {
        string source = AnalyzerSources.InClass("""
            static void F(double[] x, double[] y, ReadOnlySpan<float> f, Span<float> g)
            {
                double c = c;
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i] - c);
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i] - c) / sum;
                System.Numerics.Vector<float> v = v;
                var e = System.Numerics.Vector.Exp(v);
                float s = System.Numerics.Vector.Sum(e);
                for (int i = 0; i < g.Length; i++) g[i] /= s;
            }
            """);
        ImmutableArray<Diagnostic> found = await StabilityAnalyzerTest.DiagnosticsAsync(TestReferences.Compile([source]));
        Assert.Contains(found, d => d.Id == DiagnosticIds.UnshiftedSoftmax);
    }

    /// <summary>The per-tree name screen copes with verbatim identifiers and strings, comments and a trailing '@'.</summary>
    [Fact]
    public Task NameScreen_VerbatimIdentifiersStringsAndComments()
    {
        string source = AnalyzerSources.InClass("""
            // Exp( in a comment, /* and */ a block comment
            static string S => @"C:\path\" + @"x";
            static void Softmax(double[] @x, double[] y)
            {
                double @sum = 0; /* Math.Exp */
                for (int i = 0; i < @x.Length; i++) @sum += [|Math.Exp(@x[i])|];
                for (int i = 0; i < @x.Length; i++) y[i] = Math.Exp(@x[i]) / @sum; // divide
            }
            """) + "\n{|CS1646:|}@";
        return StabilityAnalyzerTest.VerifyAsync(source, DiagnosticIds.UnshiftedSoftmax);
    }

    [Fact]
    public async Task CompilationWithoutExpApis_RegistersNothing()
    {
        // No corlib at all: nothing resolves, so the analyzers register no actions and report nothing.
        var compilation = CSharpCompilation.Create("Bare", [CSharpSyntaxTree.ParseText("class C { void M() { } }")], [],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(await StabilityAnalyzerTest.DiagnosticsAsync(compilation));
        Assert.Null(SoftmaxGen.Analysis.Patterns.MathSymbols.Create(compilation));
    }
}
