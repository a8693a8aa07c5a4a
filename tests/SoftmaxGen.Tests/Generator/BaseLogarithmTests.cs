using SoftmaxGen.Generation.Emit;

namespace SoftmaxGen.Tests.Generator;

/// <summary>
/// The generation-time ln b as a double-double, against correctly rounded double-double values of ln b (computed with
/// 80-digit decimal arithmetic from the exact binary value of b).
/// </summary>
public class BaseLogarithmTests
{
    [Theory]
    [InlineData(2.0, 0.6931471805599453, 2.3190468138462996e-17)]
    [InlineData(10.0, 2.302585092994046, -2.1707562233822494e-16)]
    [InlineData(0.5, -0.6931471805599453, -2.3190468138462996e-17)]
    [InlineData(1.0001, 9.999500033329732e-05, 1.739121921953736e-21)]
    [InlineData(0.999, -0.0010005003335835344, -2.5644777003677798e-20)]
    [InlineData(1.0000000000000002, 2.2204460492503128e-16, 3.649214750845877e-48)]
    [InlineData(3e+300, 691.8741401868818, -3.074398115018244e-14)]
    [InlineData(1e-310, -713.8013788281542, -8.592254740270771e-15)]
    [InlineData(7.25, 1.9810014688665833, 6.013262624124967e-17)]
    public void MatchesTheCorrectlyRoundedDoubleDouble(double b, double hi, double lo)
    {
        (double h, double l) = BaseLogarithm.Of(b);
        double difference = ((h - hi) + (l - lo)) / Math.Abs(hi);
        Assert.InRange(Math.Abs(difference), 0, 1e-31);
        Assert.True(Math.Abs(l) <= Math.BitIncrement(Math.Abs(h)) - Math.Abs(h), "lo is below one ulp of hi");
        Assert.Equal(Math.Log(b), h, Math.Abs(Math.Log(b)) * 4e-16);
    }
}
