using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Text;
using SoftmaxGen.Generation;
using SoftmaxGen.Tests.Harness;
using Xunit.Abstractions;

namespace SoftmaxGen.Tests.Build;

/// <summary>
/// Every attribute misuse, declared <c>public</c>, built by a real <c>dotnet build</c> of a throw-away project that loads
/// the built SoftmaxGen.dll as an analyzer (as the package does): the build's error list must be exactly the SMX errors
/// at their places (and, where the compiler itself objects to the user's declaration, that compiler error beside it),
/// with nothing reported inside a generated file. The command-line compiler prints no analyzer diagnostic once any
/// declaration error exists, which is what the in-process tests cannot show; hence three projects: one whose only
/// errors are analyzer errors, one with compiler declaration errors, one under C# 7.3.
/// </summary>
public sealed partial class RealBuildTests(ITestOutputHelper output)
{
    private const string Header = "using System;\nusing SoftmaxGen;\n\nnamespace Cases\n{\n";

    /// <summary>Each case is one file; <c>{|ID:text|}</c> marks where the error must be.</summary>
    private static readonly string[] AnalyzerCases =
    [
        "public partial class C01 { [Softmax(10)] public partial void {|SMX0001:A|}(ReadOnlySpan<float> x, Span<float> y); }",
        "public static partial class C02a { [Softmax(10)] public static void {|SMX0002:A|}(ReadOnlySpan<float> x, Span<float> y) { } }",
        // The user wrote the implementation part too: nothing may be generated (that was CS0757 in a generated file).
        "public static partial class C02b { [Softmax(10)] public static partial void {|SMX0002:A|}(ReadOnlySpan<float> x, Span<float> y);\n" +
        "    public static partial void A(ReadOnlySpan<float> x, Span<float> y) { } }",
        "public static partial class C03 { [Softmax(10)] public static partial void A{|SMX0003:<T, U>|}(ReadOnlySpan<float> x, Span<float> y) where T : struct, IComparable<T> where U : class?, new(); }",
        "public static partial class C04 { [Softmax(10)] public static partial {|SMX0004:int|} A(ReadOnlySpan<float> x, Span<float> y); }",
        "public static partial class C05 { [Softmax(10)] public static partial void A{|SMX0005:(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z, Span<float> w)|}; }",
        "public static partial class C06a { [Softmax(10)] public static partial void A({|SMX0006:Span<int> x|}); }",
        "public static partial class C06b { [Softmax(10)] public static partial void A({|SMX0006:ReadOnlySpan<Half> x|}, {|SMX0006:Span<Half> y|}); }",
        "public static partial class C07 { [Softmax(10)] public static partial void A(ReadOnlySpan<float> x, {|SMX0007:Span<double> y|}); }",
        "public static partial class C08a { [Softmax({|SMX0008:0|})] public static partial void A(ReadOnlySpan<float> x, Span<float> y); }",
        "public static partial class C08b { [Softmax({|SMX0008:70000|})] public static partial void A(ReadOnlySpan<float> x, Span<float> y); }",
        "[{|SMX0009:Softmax(10)|}] public partial class C09 { }",
        // On the return value of a method that would otherwise be a valid kernel (it was generated, and the error hidden).
        "public static partial class C09b { [return: {|SMX0009:Softmax(10)|}] public static partial void A(ReadOnlySpan<float> x, Span<float> y); }",
        "public static partial class C10 { [Softmax(10, {|SMX0010:Temperature = -1|})] public static partial void A(ReadOnlySpan<float> x, Span<float> y); }",
        "public static partial class C11 { [Softmax(10, Temperature = 2)] public static partial void A(ReadOnlySpan<float> x, Span<float> y, {|SMX0011:float t|}); }",
        "public static partial class C12a { [Softmax(10)] public static partial void A({|SMX0012:ref ReadOnlySpan<float> x|}, {|SMX0012:out Span<float> y|}); }",
        "public static partial class C12b { [Softmax(10)] public static partial void A({|SMX0012:Span<float> x|}, {|SMX0012:ReadOnlySpan<float> y|}); }",
        "public static partial class C14 { [Softmax(10)] [LogSoftmax(10)] public static partial void {|SMX0014:A|}(ReadOnlySpan<float> x, Span<float> y); }",
        // Shapes a placeholder must reproduce exactly: ref struct, nested generic types, ref return, scoped/in/params, tuples.
        "public ref partial struct S1 { [Softmax(10)] public static partial ref int A{|SMX0005:(scoped ReadOnlySpan<float> x, in int y, int[] w, params int[] z)|}; }",
        "public partial class Outer<T> where T : struct { internal partial struct Inner<U> {\n" +
        "    [LogSumExp(10)] public static partial {|SMX0004:(T a, U? b)|} A{|SMX0003:<V>|}({|SMX0006:ReadOnlySpan<T> x|}, {|SMX0006:Span<V> y|}) where V : unmanaged; } }",
        // An attribute renamed by a using alias is still checked.
        "public static partial class C15 { [Smx({|SMX0008:0|})] public static partial void A(ReadOnlySpan<float> x, Span<float> y); }",
        // #pragma silences an analyzer error; the placeholder body keeps the build free of CS8795.
        "public static partial class C16 {\n#pragma warning disable SMX0008\n    [Softmax(0)] public static partial void A(ReadOnlySpan<float> x, Span<float> y);\n#pragma warning restore SMX0008\n}",
        // [SoftmaxSample]'s TopK and TopP.
        "public static partial class C18 { [SoftmaxSample(10, {|SMX0018:TopK = 11|})] public static partial int A(ReadOnlySpan<float> x, double u); }",
        "public static partial class C19 { [SoftmaxSample({|SMX0019:TopP = 0|})] public static partial int A(ReadOnlySpan<float> x, Random r); }",
        // [GumbelSoftmax]'s Hard against the number of outputs.
        "public static partial class C20a { [GumbelSoftmax(10, {|SMX0020:Hard = true|})] public static partial void A(ReadOnlySpan<float> x, ReadOnlySpan<float> u, Span<float> y); }",
        "public static partial class C20b { [{|SMX0020:GumbelSoftmax|}] public static partial void A(ReadOnlySpan<float> x, Random r, Span<float> h, Span<float> s); }",
        // [HierarchicalSoftmax]'s counts, counts file and Dimension (no AdditionalFiles item in this project: SMX0023).
        "public static partial class C22 { [HierarchicalSoftmax({|SMX0022:Counts = new[] { 0, 0 }|}, Dimension = 4)] public static partial float A(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }",
        "public static partial class C23 { [HierarchicalSoftmax({|SMX0023:CountsFile = \"counts.txt\"|}, Dimension = 4)] public static partial void A(ReadOnlySpan<float> h, ReadOnlySpan<float> w, Span<float> lp); }",
        "public static partial class C24 { [HierarchicalSoftmax(Counts = new[] { 1, 2 }, {|SMX0024:Dimension = 0|})] public static partial double A(ReadOnlySpan<double> h, ReadOnlySpan<double> w, int c); }",
        "public static partial class C25 { [{|SMX0025:HierarchicalSoftmax(Dimension = 4)|}] public static partial float A(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }",
        // A valid kernel beside them.
        "public static partial class Valid { [Softmax(10)] public static partial void A(ReadOnlySpan<float> x, Span<float> y); }",
    ];

    /// <summary>Misuse the compiler also reports on the user's own declaration; the SMX error comes from the generator.</summary>
    private static readonly string[] DeclarationErrorCases =
    [
        "public static class {|SMX0013:N1|} { [Softmax(10)] public static partial void {|CS0751:{|CS8795:A|}|}(ReadOnlySpan<float> x, Span<float> y); }",
        "public class {|SMX0013:N2|} { public static partial class I { [Softmax(10)] public static partial void {|CS8795:A|}(ReadOnlySpan<float> x, Span<float> y); } }",
        "public static partial class N3 { [Softmax(10)] public static partial void {|SMX0002:{|CS0759:A|}|}(ReadOnlySpan<float> x, Span<float> y) { } }",
        "public static partial class N4 { [Softmax(10)] public static void {|SMX0002:{|CS0501:A|}|}(ReadOnlySpan<float> x, Span<float> y); }",
        "public static partial class N6 { [Softmax(10)] public partial void {|SMX0001:{|CS0708:{|CS8795:A|}|}|}(ReadOnlySpan<float> x, Span<float> y); }",
        "[Softmax(10)] public static partial void {|SMX0013:{|CS0116:{|CS0751:{|CS8795:Top|}|}|}|}(ReadOnlySpan<float> x, Span<float> y);",
        // No access modifier and a non-void return: CS8796 on the declaration, so SMX0004 comes from the generator.
        "public static partial class N7 { [Softmax(10)] static partial {|SMX0004:int|} {|CS8796:A|}(ReadOnlySpan<float> x, Span<float> y); }",
        "public static partial class N8 { [return: {|SMX0009:Softmax(10)|}] static partial float {|CS8796:A|}(ReadOnlySpan<float> x); }",
        // A missing counts file on such a declaration: the generator reports SMX0023 and writes no body.
        "public static partial class N9 { [HierarchicalSoftmax({|SMX0023:CountsFile = \"counts.txt\"|}, Dimension = 4)] static partial float {|CS8796:A|}(ReadOnlySpan<float> h, ReadOnlySpan<float> w, int c); }",
        // A generator error honours #pragma too (it keeps its source location).
        "#pragma warning disable SMX0013\npublic class N5 { public static partial class I { [Softmax(10)] static partial void A(ReadOnlySpan<float> x, Span<float> y); } }\n#pragma warning restore SMX0013",
    ];

    /// <summary>C# 7.3: C# 9 forms give one explanatory SMX0015 beside the compiler's own error, and nothing generated fails.</summary>
    private static readonly string[] CSharp73Cases =
    [
        "public static partial class L1 { [Softmax(10)] public static partial void {|SMX0015:{|CS8370:{|CS8795:A|}|}|}(ReadOnlySpan<float> x, Span<float> y); }",
        "public static partial class L2 { [LogSumExp(10)] static partial float {|SMX0015:{|CS8796:A|}|}(ReadOnlySpan<float> x); }",
        "public static partial class L3 { [Softmax(10)] static partial void A(ReadOnlySpan<float> x, Span<float> y); }",
    ];

    [Fact]
    public async Task EveryMisuse_ShowsInDotnetBuild_AsExactlyItsError()
    {
        Task<(HashSet<string> Expected, HashSet<string> Actual, string Log)>[] builds =
        [
            Task.Run(() => BuildAndCompare("analyzer", AnalyzerCases, extra: "")),
            Task.Run(() => BuildAndCompare("declaration", DeclarationErrorCases, extra: "")),
            Task.Run(() => BuildAndCompare("csharp73", CSharp73Cases, extra: "<LangVersion>7.3</LangVersion><Nullable>disable</Nullable>")),
        ];

        foreach (var (expected, actual, log) in await Task.WhenAll(builds))
        {
            output.WriteLine(log);
            Assert.True(
                expected.SetEquals(actual),
                $"missing: [{string.Join("; ", expected.Except(actual).Order())}]\nunexpected: [{string.Join("; ", actual.Except(expected).Order())}]");
        }
    }

    [GeneratedRegex(@"^\s*(?<file>[^(]+)\((?<line>\d+),(?<column>\d+)\): (?:error|warning) (?<id>[A-Z]+\d+):")]
    private static partial Regex DiagnosticLine();

    private static (HashSet<string> Expected, HashSet<string> Actual, string Log) BuildAndCompare(string name, string[] cases, string extra)
    {
        string dir = Path.Combine(Path.GetTempPath(), "softmaxgen-build-" + name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var expected = new HashSet<string>();
            for (int i = 0; i < cases.Length; i++)
            {
                string file = $"Case{i:D2}.cs";
                string header = cases[i].Contains("[Smx(", StringComparison.Ordinal) ? Header.Replace("namespace", "using Smx = SoftmaxGen.SoftmaxAttribute;\n\nnamespace", StringComparison.Ordinal) : Header;
                var (body, marks) = Markup.Parse(cases[i]);
                string text = header + body + "\n}\n"; // a block namespace: C# 7.3 has no file-scoped one
                File.WriteAllText(Path.Combine(dir, file), text);
                SourceText source = SourceText.From(text);
                foreach (var (id, span) in marks)
                {
                    var position = source.Lines.GetLinePosition(header.Length + span.Start);
                    expected.Add($"{id} {file}({position.Line + 1},{position.Character + 1})");
                }
            }

            File.WriteAllText(Path.Combine(dir, "Cases.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>disable</ImplicitUsings>
                    <EnableDefaultCompileItems>true</EnableDefaultCompileItems>
                    {extra}
                  </PropertyGroup>
                  <ItemGroup>
                    <Analyzer Include="{typeof(SoftmaxGenerator).Assembly.Location}" />
                  </ItemGroup>
                </Project>
                """);

            string log = Run(dir, "build", "-c", "Release", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false",
                "-p:ImportDirectoryBuildProps=false", "-p:ImportDirectoryBuildTargets=false", "-clp:NoSummary", "-v:q");
            var actual = new HashSet<string>();
            foreach (string line in log.Split('\n'))
            {
                if (DiagnosticLine().Match(line) is { Success: true } m)
                {
                    // A diagnostic in a generated file keeps its full path, so it can never match an expected entry.
                    string file = m.Groups["file"].Value.Trim();
                    string shown = Path.GetDirectoryName(file) == dir ? Path.GetFileName(file) : file;
                    actual.Add($"{m.Groups["id"].Value} {shown}({m.Groups["line"].Value},{m.Groups["column"].Value})");
                }
                else if (line.Contains(" error ", StringComparison.Ordinal) || line.Contains(" warning ", StringComparison.Ordinal))
                {
                    actual.Add(line.Trim());
                }
            }

            Assert.True(actual.Count > 0 || expected.Count == 0, "the build printed no diagnostics:\n" + log);
            return (expected, actual, log);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string Run(string dir, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet build did not finish in 5 minutes:\n" + stdout);
        }

        return stdout + stderr.Result;
    }
}
