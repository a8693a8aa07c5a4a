namespace SoftmaxGen.Tests.Numerics;

/// <summary>
/// The softmax family computed in double-double from the definitions (with the special-value rules of the
/// contract), to measure the kernels' errors against.
/// </summary>
public static class Reference
{
    /// <summary>z_j = (x_j − m)/T and the row maximum, or null for rows with NaN or infinite maximum.</summary>
    private static DoubleDouble[]? Shifted(ReadOnlySpan<double> x, double t)
    {
        double m = double.NegativeInfinity;
        foreach (double v in x)
        {
            if (double.IsNaN(v)) return null;
            m = Math.Max(m, v);
        }

        if (double.IsInfinity(m)) return null;
        var z = new DoubleDouble[x.Length];
        for (int j = 0; j < x.Length; j++)
        {
            z[j] = ((DoubleDouble)x[j] - m) / t;
        }

        return z;
    }

    private static DoubleDouble SumExp(DoubleDouble[] z)
    {
        DoubleDouble s = 0;
        foreach (DoubleDouble v in z) s += DoubleDouble.Exp(v);
        return s;
    }

    /// <summary>The limit rules for NaN / +∞ / all −∞ rows; returns false for ordinary rows.</summary>
    private static bool Special(ReadOnlySpan<double> x, Span<DoubleDouble> p, bool log, bool zeroMasked)
    {
        bool nan = false;
        int inf = 0;
        bool allNegInf = true;
        foreach (double v in x)
        {
            nan |= double.IsNaN(v);
            if (double.IsPositiveInfinity(v)) inf++;
            allNegInf &= double.IsNegativeInfinity(v);
        }

        if (nan || allNegInf)
        {
            DoubleDouble fill = nan || !zeroMasked ? double.NaN : log ? double.NegativeInfinity : 0.0;
            p.Fill(fill);
            return true;
        }

        if (inf == 0) return false;
        for (int j = 0; j < x.Length; j++)
        {
            bool isInf = double.IsPositiveInfinity(x[j]);
            p[j] = log ? (isInf ? -Math.Log(inf) : double.NegativeInfinity) : (isInf ? (DoubleDouble)1.0 / inf : 0.0);
        }

        return true;
    }

    public static DoubleDouble[] Softmax(ReadOnlySpan<double> x, double t = 1, bool zeroMasked = false)
    {
        var p = new DoubleDouble[x.Length];
        if (Special(x, p, log: false, zeroMasked)) return p;
        DoubleDouble[] z = Shifted(x, t)!;
        DoubleDouble s = SumExp(z);
        for (int j = 0; j < x.Length; j++) p[j] = DoubleDouble.Exp(z[j]) / s;
        return p;
    }

    public static DoubleDouble[] LogSoftmax(ReadOnlySpan<double> x, double t = 1, bool zeroMasked = false)
    {
        var p = new DoubleDouble[x.Length];
        if (Special(x, p, log: true, zeroMasked)) return p;
        DoubleDouble[] z = Shifted(x, t)!;
        DoubleDouble logSum = DoubleDouble.Log(SumExp(z));
        for (int j = 0; j < x.Length; j++) p[j] = z[j].IsFinite ? z[j] - logSum : double.NegativeInfinity;
        return p;
    }

    public static DoubleDouble LogSumExp(ReadOnlySpan<double> x, double t = 1)
    {
        double m = double.NegativeInfinity;
        foreach (double v in x)
        {
            if (double.IsNaN(v)) return double.NaN;
            m = Math.Max(m, v);
        }

        if (double.IsInfinity(m)) return m;
        return (DoubleDouble)m + ((DoubleDouble)t * DoubleDouble.Log(SumExp(Shifted(x, t)!)));
    }
}
