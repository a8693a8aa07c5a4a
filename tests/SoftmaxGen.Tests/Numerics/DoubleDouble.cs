namespace SoftmaxGen.Tests.Numerics;

/// <summary>
/// Double-double arithmetic (about 106 bits): hi + lo with |lo| ≤ ulp(hi)/2. Only what the references need:
/// +, −, ×, ÷, exp and log. Independent of the kernels under test.
/// </summary>
public readonly record struct DoubleDouble(double Hi, double Lo)
{
    private static readonly DoubleDouble Ln2 = new(0.6931471805599453, 2.3190468138462996e-17);

    public static implicit operator DoubleDouble(double value) => new(value, 0);

    public double ToDouble() => Hi + Lo;

    public bool IsFinite => double.IsFinite(Hi);

    private static DoubleDouble TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        double err = (a - (s - bb)) + (b - bb);
        return new(s, err);
    }

    private static DoubleDouble QuickTwoSum(double a, double b)
    {
        double s = a + b;
        return new(s, b - (s - a));
    }

    private static DoubleDouble TwoProduct(double a, double b)
    {
        double p = a * b;
        return new(p, Math.FusedMultiplyAdd(a, b, -p));
    }

    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        if (!double.IsFinite(a.Hi) || !double.IsFinite(b.Hi))
        {
            return a.Hi + b.Hi;
        }

        DoubleDouble s = TwoSum(a.Hi, b.Hi);
        if (!double.IsFinite(s.Hi))
        {
            return s.Hi; // overflow
        }

        DoubleDouble t = TwoSum(a.Lo, b.Lo);
        s = QuickTwoSum(s.Hi, s.Lo + t.Hi);
        return QuickTwoSum(s.Hi, s.Lo + t.Lo);
    }

    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);

    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + (-b);

    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        if (!double.IsFinite(a.Hi) || !double.IsFinite(b.Hi))
        {
            return a.Hi * b.Hi;
        }

        DoubleDouble p = TwoProduct(a.Hi, b.Hi);
        if (!double.IsFinite(p.Hi))
        {
            return p.Hi; // overflow
        }

        return QuickTwoSum(p.Hi, p.Lo + ((a.Hi * b.Lo) + (a.Lo * b.Hi)));
    }

    public static DoubleDouble operator /(DoubleDouble a, DoubleDouble b)
    {
        if (!double.IsFinite(a.Hi) || !double.IsFinite(b.Hi) || b.Hi == 0)
        {
            return a.Hi / b.Hi;
        }

        double q1 = a.Hi / b.Hi;
        DoubleDouble r = a - (b * q1);
        double q2 = r.Hi / b.Hi;
        r -= b * q2;
        double q3 = r.Hi / b.Hi;
        return QuickTwoSum(q1, q2) + q3;
    }

    public static bool operator <(DoubleDouble a, DoubleDouble b) => a.Hi < b.Hi || (a.Hi == b.Hi && a.Lo < b.Lo);

    public static bool operator >(DoubleDouble a, DoubleDouble b) => b < a;

    /// <summary>exp by reduction x = k·ln2 + r, r/1024 by Taylor series, squared ten times.</summary>
    public static DoubleDouble Exp(DoubleDouble x)
    {
        if (double.IsNaN(x.Hi)) return double.NaN;
        if (x.Hi < -760) return 0;
        if (x.Hi > 710) return double.PositiveInfinity;

        double k = Math.Round(x.Hi / Ln2.Hi);
        DoubleDouble r = x - (Ln2 * k);
        r = new DoubleDouble(r.Hi / 1024, r.Lo / 1024);
        DoubleDouble term = 1;
        DoubleDouble sum = 1;
        for (int i = 1; i < 30; i++)
        {
            term = term * r / i;
            sum += term;
            if (Math.Abs(term.Hi) < 1e-36) break;
        }

        for (int i = 0; i < 10; i++)
        {
            sum *= sum;
        }

        // Scale by 2^k in two steps so that results near the subnormal range are not lost early.
        int half = (int)k / 2;
        sum = new DoubleDouble(Math.ScaleB(sum.Hi, half), Math.ScaleB(sum.Lo, half));
        return new DoubleDouble(Math.ScaleB(sum.Hi, (int)k - half), Math.ScaleB(sum.Lo, (int)k - half));
    }

    /// <summary>log by Newton's iteration y ← y + x·exp(−y) − 1 from the double logarithm.</summary>
    public static DoubleDouble Log(DoubleDouble x)
    {
        if (!(x.Hi > 0)) return x.Hi == 0 ? double.NegativeInfinity : double.NaN;
        if (double.IsPositiveInfinity(x.Hi)) return double.PositiveInfinity;

        DoubleDouble y = Math.Log(x.Hi);
        for (int i = 0; i < 2; i++)
        {
            y = y + (x * Exp(-y)) - 1;
        }

        return y;
    }
}
