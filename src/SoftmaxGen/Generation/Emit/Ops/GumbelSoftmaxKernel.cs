using System.Globalization;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The math specific to GumbelSoftmax: y = softmax((x + g) / T) with g_i = −log(−log u_i), and with Hard = true also
/// hard = onehot(argmax(x + g)), the forward pass of the straight-through estimator.
/// <para>
/// Scalar rows in double for both element types, so every instruction-set path runs the same operations and the same u gives
/// the same bits. g is −Math.Log(−Math.Log(u)) of the exactly represented u (no 1 − u is formed, so −log u keeps its relative
/// accuracy as u → 1); x + g is kept exactly as a TwoSum pair h + l, so the arg-max compares the exact sums (a logit of 1e30
/// still adds its g) and z = ((h − mh) + (l − ml))/T is the shifted key to a rounding. The first pass finds the maximum
/// pair, the second stores exp(z) in y (u may be y itself: the Random forms draw u into y, and each u_i is read before y_i
/// is written) and sums it with compensation, the third divides; g is kept in double on the stack for rows of up to 1024
/// entries and computed again in the second pass for longer rows (the same value either way).
/// </para>
/// </summary>
internal sealed partial class KernelEmitter
{
    private string GumbelTParam => _spec.HasRuntimeTemperature ? $", {T} t" : string.Empty;

    private string GumbelTArg => _spec.HasRuntimeTemperature ? ", t" : string.Empty;

    private bool GumbelDraws => _spec.SlotAt(1) == SlotKind.Random;

    private bool GumbelHard => _spec.Signature!.Slots.Length == 4;

    /// <summary>Rows up to this length keep g in a stack buffer of doubles (8 KB); longer rows compute it again in the second pass.</summary>
    private const int GumbelStackRow = 1024;

    private const string GumbelPathNote =
        "Code path: scalar, the same double operations on every instruction set, so the same u gives the same y (and hard) on every path; " +
        "per entry two logarithms and one exp (rows longer than 1024 entries compute g again in the second pass: four logarithms), " +
        "float rows rounded at the end.";

    /// <summary>The Random forms need a Random; the uniforms forms need every u_i in (0, 1), checked before anything is written.</summary>
    private void EmitGumbelChecks()
    {
        string u = P(1);
        if (GumbelDraws)
        {
            // Thrown here, not in a helper, so the compiler's null-state analysis sees it.
            Check($"{u} is null", $"throw new global::System.ArgumentNullException(nameof({u}));");
            return;
        }

        _w.Comment("Every u_i must lie in (0, 1), so that g_i = −log(−log u_i) is finite.");
        _w.Line($"global::{KernelNamespace}.{KernelClass}.CheckUniforms({u}, nameof({u}));");
    }

    /// <summary>
    /// Run: for the Random forms it draws u into the output first and calls the uniforms Run with u = that output; the uniforms
    /// Run splits the spans into rows (EmitRun has already written the first method's hot attribute).
    /// </summary>
    private void EmitGumbelRun()
    {
        string ros = $"ReadOnlySpan<{T}>";
        string span = $"Span<{T}>";
        string outputs = GumbelHard ? $"{span} hard, {span} soft" : $"{span} y";
        string outputArgs = GumbelHard ? "hard, soft" : "y";
        if (GumbelDraws)
        {
            string target = GumbelHard ? "soft" : "y";
            using (_w.Block($"internal static void Run({ros} x, Random random, {outputs}{GumbelTParam})"))
            {
                _w.Comment($"One u per entry, drawn in index order into {target}; each row reads u_i before it overwrites {target}_i.");
                _w.Line($"Draw(random, {target});");
                _w.Line($"Run(x, {target}, {outputArgs}{GumbelTArg});");
            }

            _w.Line();
            EmitGumbelDraw();
            _w.Line("/// <summary>Each row on its own.</summary>");
            EmitHotAttribute();
        }

        string k = _spec.K.ToString(CultureInfo.InvariantCulture);
        string Call(string start) => _spec.AnyLength
            ? (GumbelHard ? $"OneHot(hard, Row(x, u, soft{GumbelTArg}));" : $"Row(x, u, y{GumbelTArg});")
            : GumbelHard
                ? $"OneHot(hard.Slice({start}, {k}), Row(x.Slice({start}, {k}), u.Slice({start}, {k}), soft.Slice({start}, {k}){GumbelTArg}));"
                : $"Row(x.Slice({start}, {k}), u.Slice({start}, {k}), y.Slice({start}, {k}){GumbelTArg});";
        using (_w.Block($"internal static void Run({ros} x, {ros} u, {outputs}{GumbelTParam})"))
        {
            if (GumbelHard)
            {
                _w.Comment("soft first, then hard = onehot of the row's arg-max.");
            }

            if (_spec.AnyLength)
            {
                _w.Line(Call(string.Empty));
            }
            else
            {
                using (_w.Block($"for (int start = 0; start < x.Length; start += {k})"))
                {
                    _w.Line(Call("start"));
                }
            }
        }

        if (!GumbelDraws)
        {
            _w.Line();
            EmitGumbelCheck();
        }
    }

    private void EmitGumbelCheck()
    {
        _w.Line("/// <summary>Throws unless every u_i lies in the open interval (0, 1) (a NaN does not).</summary>");
        using (_w.Block($"internal static void CheckUniforms(ReadOnlySpan<{T}> u, string name)"))
        {
            using (_w.Block("for (int i = 0; i < u.Length; i++)"))
            {
                _w.Line($"{T} v = u[i];");
                _w.Line("if (!(v > 0 && v < 1)) ThrowUniform(name, i, v);");
            }
        }

        _w.Line();
        _w.Line("[MethodImpl(MethodImplOptions.NoInlining)]");
        _w.Line("private static void ThrowUniform(string name, int index, double value) =>");
        _w.Line("    throw new ArgumentOutOfRangeException(name, value, $\"{name}[{index}] = {value}: a uniform variate must lie in the open interval (0, 1).\");");
    }

    private void EmitGumbelDraw()
    {
        string draw = IsFloat ? "(float)random.NextDouble()" : "random.NextDouble()";
        _w.Line(IsFloat
            ? "/// <summary>u_i = (float)random.NextDouble(), drawn again while it is 0 or rounds to 1, so every u_i lies in (0, 1).</summary>"
            : "/// <summary>u_i = random.NextDouble(), drawn again while it is 0, so every u_i lies in (0, 1).</summary>");
        using (_w.Block($"private static void Draw(Random random, Span<{T}> u)"))
        {
            using (_w.Block("for (int i = 0; i < u.Length; i++)"))
            {
                _w.Line($"{T} v = {draw};");
                using (_w.Block("for (int tries = 1; !(v > 0 && v < 1); tries++)"))
                {
                    _w.Line("if (tries > 64) throw new InvalidOperationException(\"random.NextDouble() gave no value in (0, 1) in 64 draws.\");");
                    _w.Line($"v = {draw};");
                }

                _w.Line();
                _w.Line("u[i] = v;");
            }
        }

        _w.Line();
    }

    private void EmitGumbelRows()
    {
        string z = HasTemperature ? $"((h - mh) + (l - ml)) / {Tv}" : "(h - mh) + (l - ml)";
        _w.Line("/// <summary>");
        _w.Line("/// One row: the arg-max a of x + g as the exact pair mh + ml, y_i = exp(z_i) / Σ_j exp(z_j) with z_i = " +
                (HasTemperature ? "((h_i − mh) + (l_i − ml))/T" : "(h_i − mh) + (l_i − ml)") + ",");
        _w.Line("/// h_i + l_i = x_i + g_i; returns a (the first on ties; z_a = 0, so s ≥ 1), or −1 for a NaN row. u may be y itself.");
        _w.Line("/// </summary>");
        EmitHotAttribute();
        using (_w.Block($"private static int Row(ReadOnlySpan<{T}> x, ReadOnlySpan<{T}> u, Span<{T}> y{GumbelTParam})"))
        {
            EmitRowMax();
            _w.Comment("The largest logit picks the case: a NaN, or every entry −∞, gives a NaN row; with entries of +∞ only they");
            _w.Comment("compete, by g alone (the limit of those logits growing together).");
            using (_w.Block($"if (hasNaN || {T}.IsNegativeInfinity(m))"))
            {
                _w.Line($"y.Fill({T}.NaN);");
                _w.Line("return -1;");
            }

            _w.Line();
            _w.Line($"bool infinite = {T}.IsPositiveInfinity(m);");
            _w.Comment("a and the exact pair mh + ml = x_a + g_a: h is the rounded sum, so pairs compare as their exact sums.");
            _w.Comment($"g_i is computed once and kept on the stack for rows of up to {GumbelStackRow} entries; longer rows compute it again.");
            string again = _spec.AnyLength ? "stored ? g[i] : Gumbel(u[i])" : _spec.K <= GumbelStackRow ? "g[i]" : "Gumbel(u[i])";
            if (_spec.AnyLength)
            {
                _w.Line($"Span<double> g = stackalloc double[x.Length <= {GumbelStackRow} ? x.Length : 0];");
                _w.Line("bool stored = g.Length != 0;");
            }
            else if (_spec.K <= GumbelStackRow)
            {
                _w.Line($"Span<double> g = stackalloc double[{_spec.K.ToString(CultureInfo.InvariantCulture)}];");
            }

            _w.Line("int a = -1;");
            _w.Line("double mh = double.NegativeInfinity, ml = 0;");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line("if (Excluded(x[i], infinite)) continue;");
                _w.Line("double gi = Gumbel(u[i]);");
                if (_spec.AnyLength)
                {
                    _w.Line("if (stored) g[i] = gi;");
                }
                else if (_spec.K <= GumbelStackRow)
                {
                    _w.Line("g[i] = gi;");
                }

                _w.Line("Key(x[i], gi, infinite, out double h, out double l);");
                using (_w.Block("if (h > mh || (h == mh && l > ml))"))
                {
                    _w.Line("a = i;");
                    _w.Line("mh = h;");
                    _w.Line("ml = l;");
                }
            }

            _w.Line();
            _w.Comment("exp(z_i) into y (z_a = 0, every other z ≤ 0), summed with Neumaier's compensation; then y_i / s.");
            _w.Line("double s = 0, c = 0;");
            using (_w.Block("for (int i = 0; i < x.Length; i++)"))
            {
                _w.Line("double e = 0;");
                using (_w.Block("if (!Excluded(x[i], infinite))"))
                {
                    _w.Line($"Key(x[i], {again}, infinite, out double h, out double l);");
                    _w.Line($"e = Math.Exp({z});");
                }

                _w.Line();
                _w.Line(IsFloat ? "y[i] = (float)e;" : "y[i] = e;");
                EmitNeumaierStep("e");
            }

            _w.Line();
            _w.Line("s += c;");
            _w.Line($"for (int i = 0; i < y.Length; i++) y[i] = {Round("y[i] / s")};");
            _w.Line("return a;");
        }

        _w.Line();
        _w.Line("/// <summary>Entries that cannot win: x = −∞, or x below +∞ when the row has a +∞.</summary>");
        _w.Line(AggressiveInlining);
        _w.Line($"private static bool Excluded({T} x, bool infinite) => infinite ? !{T}.IsPositiveInfinity(x) : {T}.IsNegativeInfinity(x);");
        _w.Line();
        _w.Line("/// <summary>The key x + g as the exact pair h + l (TwoSum in double); in a row with a +∞, the +∞ entries' keys are g alone.</summary>");
        _w.Line(AggressiveInlining);
        using (_w.Block($"private static void Key({T} x, double g, bool infinite, out double h, out double l)"))
        {
            using (_w.Block("if (infinite)"))
            {
                _w.Line("h = g;");
                _w.Line("l = 0;");
                _w.Line("return;");
            }

            _w.Line();
            _w.Line("h = x + g;");
            _w.Line("double bv = h - x;");
            _w.Line("l = (x - (h - bv)) + (g - bv);");
        }

        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// g = −log(−log u) for u in (0, 1), in double. −log u is Math.Log of the exactly represented u, no 1 − u formed:");
        _w.Line("/// for u ≥ 1/2 that is −log1p(u − 1) with u − 1 exact, so it keeps its relative accuracy as u → 1.");
        _w.Line("/// g is finite from " + (IsFloat ? "−4.64 (u = 2^-149) to 16.6 (u = 1 − 2^-24)." : "−6.61 (u = 2^-1074) to 36.7 (u = 1 − 2^-53)."));
        _w.Line("/// </summary>");
        _w.Line(AggressiveInlining);
        _w.Line("private static double Gumbel(double u) => -Math.Log(-Math.Log(u));");
        if (GumbelHard)
        {
            _w.Line();
            _w.Line("/// <summary>hard = onehot(a); a NaN row (a = −1) gets NaN in hard too (it then propagates through hard + soft − sg(soft)).</summary>");
            using (_w.Block($"private static void OneHot(Span<{T}> hard, int a)"))
            {
                using (_w.Block("if (a < 0)"))
                {
                    _w.Line($"hard.Fill({T}.NaN);");
                    _w.Line("return;");
                }

                _w.Line();
                _w.Line("hard.Clear();");
                _w.Line("hard[a] = 1;");
            }
        }
    }
}
