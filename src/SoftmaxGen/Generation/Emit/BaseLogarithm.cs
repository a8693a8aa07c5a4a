using System;
using System.Numerics;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// ln b as a double-double hi + lo, computed at generation time in fixed point (BigInteger, 2⁻²⁰⁰), so a kernel with a
/// compile-time base multiplies by ln b to about 2⁻¹⁰⁶ relative and the rounding of ln b to double costs it nothing.
/// </summary>
internal static class BaseLogarithm
{
    private const int Bits = 200;

    private static readonly BigInteger One = BigInteger.One << Bits;

    /// <summary>ln 2 = 2·atanh(1/3).</summary>
    private static readonly BigInteger Ln2 = 2 * Atanh(One / 3);

    /// <summary>ln b for a finite b &gt; 0: hi is ln b truncated to 53 bits, lo the next 53 (|lo| &lt; ulp(hi)).</summary>
    public static (double Hi, double Lo) Of(double b)
    {
        // b = M·2^e exactly, M a 53-bit (or, subnormal, shorter) integer.
        long bits = BitConverter.DoubleToInt64Bits(b);
        int field = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & ((1L << 52) - 1);
        BigInteger m = field == 0 ? mantissa : mantissa | (1L << 52);
        int e = field == 0 ? -1074 : field - 1075;

        // M = 2^j·f with f in [1/√2, √2), so u = (f − 1)/(f + 1) is below 0.18 and atanh's series converges fast.
        int j = BitLength(m) - 1;
        BigInteger f = (m << Bits) >> j;
        if (f * f > 2 * One * One)
        {
            f >>= 1;
            j++;
        }

        BigInteger u = ((f - One) << Bits) / (f + One);
        BigInteger log = (2 * Atanh(u)) + ((e + j) * Ln2);
        return ToDoubleDouble(log);
    }

    /// <summary>atanh(u) = u + u³/3 + u⁵/5 + … in fixed point (on |u|: a negative term would shift towards −1, never 0).</summary>
    private static BigInteger Atanh(BigInteger u)
    {
        if (u.Sign < 0)
        {
            return -Atanh(-u);
        }

        BigInteger u2 = (u * u) >> Bits;
        BigInteger term = u, sum = u;
        for (int n = 3; !term.IsZero; n += 2)
        {
            term = (term * u2) >> Bits;
            sum += term / n;
        }

        return sum;
    }

    private static (double Hi, double Lo) ToDoubleDouble(BigInteger value)
    {
        int sign = value.Sign;
        BigInteger a = BigInteger.Abs(value);
        double hi = Top53(a, out BigInteger rest);
        double lo = Top53(rest, out _);
        return (sign * hi, sign * lo);
    }

    /// <summary>The top 53 bits of a fixed-point value as a double (exact), and what is left below them.</summary>
    private static double Top53(BigInteger a, out BigInteger rest)
    {
        if (a.IsZero)
        {
            rest = BigInteger.Zero;
            return 0;
        }

        int shift = Math.Max(0, BitLength(a) - 53);
        BigInteger top = a >> shift;
        rest = a - (top << shift);
        return (double)(long)top * PowerOfTwo(shift - Bits);
    }

    /// <summary>2^k for the normal range, built from its bits (exact, unlike a library power on some runtimes).</summary>
    private static double PowerOfTwo(int k) => BitConverter.Int64BitsToDouble((long)(k + 1023) << 52);

    private static int BitLength(BigInteger a)
    {
        int n = (a.ToByteArray().Length * 8) + 1;
        while (n > 0 && (a >> (n - 1)).IsZero)
        {
            n--;
        }

        return n;
    }
}
