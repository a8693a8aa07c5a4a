namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The error-free transformations the kernels build on, written in one place: Knuth's TwoSum, as the lines every
/// compensated sum and every carried x − m uses. Each returns the statements (one per line) for a template.
/// </summary>
internal static class TwoSum
{
    /// <summary>
    /// sum = a + b, and the rounding error of that addition added to <paramref name="error"/>:
    /// bv = sum − a; error += (a − (sum − bv)) + (b − bv).
    /// </summary>
    public static string Accumulate(string declaration, string a, string b, string sum, string bv, string error) =>
        $"{declaration}{sum} = {a} + {b};\n" +
        $"{declaration}{bv} = {sum} - {a};\n" +
        $"{error} += ({a} - ({sum} - {bv})) + ({b} - {bv});";

    /// <summary>
    /// z = x − m and its rounding error lo exactly (TwoSum of x and −m): bv = z − x; lo = (x − (z − bv)) − (m + bv).
    /// </summary>
    public static string Difference(string declaration, string x, string m, string z, string bv, string lo) =>
        $"{declaration}{z} = {x} - {m};\n" +
        $"{declaration}{bv} = {z} - {x};\n" +
        $"{declaration}{lo} = ({x} - ({z} - {bv})) - ({m} + {bv});";
}
