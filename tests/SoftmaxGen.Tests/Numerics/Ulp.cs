namespace SoftmaxGen.Tests.Numerics;

/// <summary>Errors in units in the last place of the element type, measured against a double-double reference.</summary>
public static class Ulp
{
    /// <summary>
    /// |actual − reference| in ulps of the reference rounded to float. Below the smallest normal float the ulp is
    /// that of the smallest normal (2^-149), so tiny outputs are judged by absolute error.
    /// </summary>
    public static double ErrorFloat(float actual, DoubleDouble reference)
    {
        if (SameSpecial(actual, reference.ToDouble(), out double special)) return special;
        double r = reference.ToDouble();
        float rf = (float)r;
        double ulp = Math.Abs(rf) < 1.17549435e-38f
            ? Math.ScaleB(1.0, -149)
            : MathF.BitIncrement(Math.Abs(rf)) - (double)Math.Abs(rf);
        return Math.Abs(((DoubleDouble)actual - reference).ToDouble()) / ulp;
    }

    /// <summary>|actual − reference| in ulps of the reference rounded to double (2^-1074 below the smallest normal).</summary>
    public static double ErrorDouble(double actual, DoubleDouble reference)
    {
        if (SameSpecial(actual, reference.ToDouble(), out double special)) return special;
        double r = Math.Abs(reference.ToDouble());
        double ulp = r < 2.2250738585072014e-308 ? double.Epsilon : Math.BitIncrement(r) - r;
        return Math.Abs(((DoubleDouble)actual - reference).ToDouble()) / ulp;
    }

    /// <summary>NaN and infinities must match exactly: 0 if they do, +∞ if they do not.</summary>
    private static bool SameSpecial(double actual, double reference, out double error)
    {
        if (double.IsNaN(reference) || double.IsInfinity(reference) || double.IsNaN(actual) || double.IsInfinity(actual))
        {
            error = actual.Equals(reference) ? 0 : double.PositiveInfinity;
            return true;
        }

        error = 0;
        return false;
    }

    /// <summary>|actual − reference| / max(1, |reference|), the log-domain error measure.</summary>
    public static double RelativeToOne(double actual, DoubleDouble reference)
    {
        if (SameSpecial(actual, reference.ToDouble(), out double special)) return special;
        return Math.Abs(((DoubleDouble)actual - reference).ToDouble()) / Math.Max(1, Math.Abs(reference.ToDouble()));
    }
}
