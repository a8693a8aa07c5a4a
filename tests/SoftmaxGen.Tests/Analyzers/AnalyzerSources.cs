namespace SoftmaxGen.Tests.Analyzers;

/// <summary>Wraps test members in a compilable file with the usings real code has.</summary>
internal static class AnalyzerSources
{
    public static string InClass(string members) =>
        "using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Numerics.Tensors;\n\n" +
        "public static partial class C\n{\n" + members + "\n}\n" +
        "public sealed class Scores\n{\n    private readonly double[] _v = new double[4];\n    public int Count => _v.Length;\n    public double this[int i] { get => _v[i]; set => _v[i] = value; }\n}\n";
}
