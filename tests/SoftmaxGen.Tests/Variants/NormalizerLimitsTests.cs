using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Variants;

/// <summary>
/// The limits, the argument checks and the misuse diagnostics (SMX0026–SMX0030) of the <c>Normalizer</c> property, and that its
/// kernels compile on every target (a user φ is called through a struct nested in the user's type, so private methods work).
/// </summary>
public class NormalizerLimitsTests
{
    private const string Header = "using System;\nusing SoftmaxGen;\n";

    private static readonly Lazy<LoadedAssembly> s_assembly = new(() => GeneratorRun.Run(Source).AssertClean().Load());

    private const string Source = Header + """
        namespace Tests;
        public static partial class Limits
        {
            private static double Falling(double z) => 1 / (1 + Math.Exp(z));
            private static float Phi(float z) => z > 0 ? z + 1 : 1 / (1 - z);
            private static float DPhi(float z) => z > 0 ? 1 : 1 / ((1 - z) * (1 - z));
            private static double Huge(double z) => 1e300;

            [Softmax(Normalizer = SoftmaxNormalizer.Softplus)] public static partial void Softplus(ReadOnlySpan<double> x, Span<double> y);
            [Softmax(Normalizer = SoftmaxNormalizer.Softplus)] public static partial void SoftplusF(ReadOnlySpan<float> x, Span<float> y, float t);
            [Softmax(Normalizer = SoftmaxNormalizer.Softplus, ZeroFullyMaskedRows = true)] public static partial void SoftplusZero(ReadOnlySpan<double> x, Span<double> y);
            [Softmax(3, Normalizer = SoftmaxNormalizer.Taylor2)] public static partial void Taylor(ReadOnlySpan<double> x, Span<double> y);
            [Softmax(3, Normalizer = SoftmaxNormalizer.Taylor2)] public static partial void TaylorF(ReadOnlySpan<float> x, Span<float> y);
            [Softmax(Normalizer = nameof(Falling))] public static partial void Falls(ReadOnlySpan<double> x, Span<double> y);
            [Softmax(Normalizer = nameof(Huge))] public static partial void Overflows(ReadOnlySpan<double> x, Span<double> y);
            [SoftmaxJacobian(3, Normalizer = SoftmaxNormalizer.Softplus)] public static partial void Jacobian(ReadOnlySpan<double> x, Span<double> j);
            [SoftmaxBackward(3, Normalizer = nameof(Phi), NormalizerDerivative = nameof(DPhi))] public static partial void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> dx);
        }
        """;

    private static TDelegate Get<TDelegate>(string name)
        where TDelegate : Delegate => s_assembly.Value.Bind<TDelegate>("Tests.Limits", name);

    private static double[] Run(string name, params double[] x)
    {
        var y = new double[x.Length];
        Get<Map<double>>(name)(x, y);
        return y;
    }

    [Fact]
    public void NaN_GivesNaN_AndInfiniteWeightsShareTheProbability()
    {
        const double inf = double.PositiveInfinity;
        Assert.All(Run("Softplus", 1, double.NaN, 2), v => Assert.True(double.IsNaN(v)));
        Assert.Equal([0.5, 0, 0.5], Run("Softplus", inf, 3, inf));
        Assert.Equal([1.0, 0, 0], Run("Softplus", inf, -inf, 1e308));

        // Taylor2 is even about z = −1, so −∞ is as heavy as +∞: not a mask.
        Assert.Equal([0.5, 0, 0.5], Run("Taylor", -inf, 0, inf));
        Assert.All(Run("Taylor", 0, double.NaN, 1), v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void MinusInfinity_IsExcludedBySoftplus_AndAnAllMinusInfinityRowIsFullyMasked()
    {
        const double inf = double.PositiveInfinity;
        double[] y = Run("Softplus", -inf, 0, -inf);
        Assert.Equal([0.0, 1.0, 0.0], y);
        Assert.All(Run("Softplus", -inf, -inf), v => Assert.True(double.IsNaN(v)));
        Assert.Equal([0.0, 0.0], Run("SoftplusZero", -inf, -inf));
    }

    [Fact]
    public void ExtremeButFiniteRows_NeitherOverflowNorUnderflow()
    {
        // Softplus of very negative z is e^z to double precision: the row keeps softmax's proportions instead of 0/0.
        double[] y = Run("Softplus", -1e4, -1e4 - 1, -1e4 - 2);
        double s = 1 + Math.Exp(-1) + Math.Exp(-2);
        Assert.Equal(1 / s, y[0], 15);
        Assert.Equal(Math.Exp(-2) / s, y[2], 15);

        // Softplus of huge z is z: 1e308 + 1e308 would overflow, the scaled weights do not.
        Assert.Equal([0.5, 0.5, 0], Run("Softplus", 1e308, 1e308, -5).Select(v => Math.Round(v, 12)));

        // Taylor2 of ±1e300: (1 + z)² overflows unscaled.
        double[] taylor = Run("Taylor", 1e300, -1e300, 0);
        Assert.Equal(0.5, taylor[0], 15);
        Assert.Equal(0.5, taylor[1], 15);
        Assert.True(taylor[2] is >= 0 and < 1e-300);

        var f = new float[3];
        Get<Map<float>>("TaylorF")(new[] { 3e38f, -3e38f, 0f }, f);
        Assert.Equal([0.5f, 0.5f, 0f], f);

        // float softplus with z = x/T far beyond float's range: computed in double, no NaN or ∞.
        var g = new float[3];
        Get<MapT<float>>("SoftplusF")(new[] { 3e38f, 1e38f, -3e38f }, g, 1e-3f);
        Assert.Equal(0.75f, g[0], 6);
        Assert.Equal(0.25f, g[1], 6);
        Assert.Equal(0f, g[2]);
    }

    [Fact]
    public void AUserNormalizerThatIsNotIncreasing_StillGivesItsRatios_OrNaNWhenItsScaledSumOverflows()
    {
        // φ(z) = 1/(1 + e^z) falls: φ(max z) is the smallest weight, even 0 (z = 800), and the row is still φ_i / Σφ.
        double[] x = [0, 1, -2];
        double[] w = [.. x.Select(z => 1 / (1 + Math.Exp(z)))];
        double[] y = Run("Falls", x);
        for (int i = 0; i < 3; i++) Assert.Equal(w[i] / w.Sum(), y[i], 15);
        Assert.Equal([0.5, 0.5, 0], Run("Falls", -1, -1, 800).Select(v => Math.Round(v, 12)));

        // A constant φ = 1e300 sums to ∞ unscaled; scaled by 1/φ(max z) every weight is 1.
        Assert.Equal([0.25, 0.25, 0.25, 0.25], Run("Overflows", 1, 2, 3, 4));
    }

    [Fact]
    public void TheDerivativesOfAnInfiniteOrNaNRowAreNaN_AndAMinusInfinityEntryGetsZero()
    {
        var j = new double[9];
        Get<Map<double>>("Jacobian")(new[] { 1.0, double.PositiveInfinity, 0 }, j);
        Assert.All(j, v => Assert.True(double.IsNaN(v)));
        Get<Map<double>>("Jacobian")(new[] { 1.0, double.NegativeInfinity, 0 }, j);
        Assert.Equal(0, j[1 * 3 + 1]);
        Assert.Equal(0, j[0 * 3 + 1]);
        Assert.True(j[0] > 0);

        var dx = new float[3];
        Get<Map2<float>>("Backward")(new[] { 1f, float.NaN, 0f }, new[] { 1f, 0f, 0f }, dx);
        Assert.All(dx, v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void WrongLengths_ThrowNamingTheParameter_AndWriteNothing()
    {
        var y = new double[] { 7, 7 };
        var e = Assert.Throws<ArgumentException>(() => Get<Map<double>>("Softplus")(new double[3], y));
        Assert.Equal("y", e.ParamName);
        Assert.Equal([7.0, 7.0], y);

        var j = Enumerable.Repeat(7.0, 8).ToArray();
        e = Assert.Throws<ArgumentException>(() => Get<Map<double>>("Jacobian")(new double[3], j));
        Assert.Equal("j", e.ParamName);
        Assert.All(j, v => Assert.Equal(7, v));

        var dx = new float[] { 7, 7, 7 };
        e = Assert.Throws<ArgumentException>(() => Get<Map2<float>>("Backward")(new float[3], new float[2], dx));
        Assert.Equal("g", e.ParamName);
        Assert.All(dx, v => Assert.Equal(7, v));

        var r = Assert.Throws<ArgumentOutOfRangeException>(() => Get<MapT<float>>("SoftplusF")(new float[3], new float[3], 0));
        Assert.Equal("t", r.ParamName);
    }

    public static TheoryData<string> Misuse => new()
    {
        // SMX0026: a name that is no method of the containing type (a built-in is spelled through SoftmaxNormalizer).
        "partial class C { [Softmax({|SMX0026:Normalizer = \"Softplus\"|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { static int Phi; [Softmax({|SMX0026:Normalizer = nameof(Phi)|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { static double Phi(double z) => z; [SoftmaxBackward(Normalizer = nameof(Phi), {|SMX0026:NormalizerDerivative = \"DPhi\"|})] static partial void M(ReadOnlySpan<double> x, ReadOnlySpan<double> g, Span<double> dx); }",
        // SMX0027: an instance method.
        "partial class C { float Phi(float z) => z; [Softmax(4, {|SMX0027:Normalizer = nameof(Phi)|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        // SMX0028: the wrong element type, arity, ref-ness or genericity.
        "partial class C { static double Phi(double z) => z; [Softmax({|SMX0028:Normalizer = nameof(Phi)|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { static float Phi(float a, float b) => a; [Softmax({|SMX0028:Normalizer = nameof(Phi)|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { static float Phi(ref float z) => z; [Softmax({|SMX0028:Normalizer = nameof(Phi)|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { static T Phi<T>(T z) => z; [Softmax({|SMX0028:Normalizer = nameof(Phi)|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        // SMX0029: a user φ without φ′ where the derivative is needed.
        "partial class C { static float Phi(float z) => z; [SoftmaxJacobian({|SMX0029:Normalizer = nameof(Phi)|})] static partial void M(ReadOnlySpan<float> x, Span<float> j); }",
        // SMX0030: with Base, a mask, or a derivative a built-in does not need.
        "partial class C { [Softmax(Base = 2, {|SMX0030:Normalizer = SoftmaxNormalizer.Softplus|})] static partial void M(ReadOnlySpan<float> x, Span<float> y); }",
        "partial class C { [Softmax({|SMX0030:Normalizer = SoftmaxNormalizer.Taylor2|})] static partial void M(ReadOnlySpan<float> x, ReadOnlySpan<bool> mask, Span<float> y); }",
        "partial class C { static float D(float z) => z; [SoftmaxBackward(Normalizer = SoftmaxNormalizer.Softplus, {|SMX0030:NormalizerDerivative = nameof(D)|})] static partial void M(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> dx); }",
        "partial class C { static float D(float z) => z; [SoftmaxJacobian({|SMX0030:NormalizerDerivative = nameof(D)|})] static partial void M(ReadOnlySpan<float> p, Span<float> j); }",
    };

    [Theory]
    [MemberData(nameof(Misuse))]
    public Task Misuse_IsReported_WithExactIdAndLocation_AndNoBodyIsWritten(string markup) =>
        Generator.UsageDiagnosticsTests.AssertMisuseReported(markup, Target.Net100);

    /// <summary>
    /// A private φ of a generic, nested containing type, an inherited protected φ, and the built-ins compile without a warning on
    /// every target (netstandard2.0 and net472 with System.Memory): the struct that calls φ is nested in the user's type.
    /// </summary>
    [Theory]
    [MemberData(nameof(Targets))]
    public async Task NormalizerKernels_CompileOnEveryTarget(Target target)
    {
        const string valid = Header + """
            namespace N
            {
                public class Base { protected static double Rise(double z) => z > 0 ? z + 1 : 1 / (1 - z); }
                public partial class Outer<T> : Base where T : struct
                {
                    internal partial struct Inner
                    {
                        private static float Phi(float z) => z > 0 ? z + 1 : 1 / (1 - z);
                        private static float DPhi(float z) => z > 0 ? 1 : 1 / ((1 - z) * (1 - z));
                        [Softmax(10, Normalizer = nameof(Phi))] public static partial void A(ReadOnlySpan<float> x, Span<float> y);
                        [SoftmaxJacobian(Normalizer = nameof(Phi), NormalizerDerivative = nameof(DPhi))] public static partial void B(ReadOnlySpan<float> x, Span<float> j);
                        [SoftmaxBackward(4, Normalizer = SoftmaxNormalizer.Taylor2, Temperature = 2)] public static partial void C(ReadOnlySpan<double> x, ReadOnlySpan<double> g, Span<double> dx);
                        [Softmax(Normalizer = SoftmaxNormalizer.Softplus)] public static partial void D(Span<double> values, double t);
                    }

                    [Softmax(Normalizer = nameof(Rise))] public static partial void E(ReadOnlySpan<double> x, Span<double> y);
                }
            }
            """;
        await new UsageAnalyzerTest(target) { TestCode = valid }.RunAsync();
        GeneratorRun run = GeneratorRun.Run([valid], target: target).AssertClean();
        Assert.Equal(5, run.KernelSources.Count);
    }

    public static TheoryData<Target> Targets() => new(References.AllTargets);
}
