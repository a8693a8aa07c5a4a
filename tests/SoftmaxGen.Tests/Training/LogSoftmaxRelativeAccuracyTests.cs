using SoftmaxGen.Tests.Harness;
using SoftmaxGen.Tests.Numerics;
using static SoftmaxGen.Tests.Training.TrainingKernels;

namespace SoftmaxGen.Tests.Training;

/// <summary>
/// The dominant entry of a confident row has log-probability −log1p(s′), |lp| ≪ 1: it must be accurate relative to
/// itself (≤ 4 ulp), not only within the family's mixed bound. Logits [0, −d, −d, …] for d up to the type's range.
/// </summary>
[Trait("Category", "Kernels")]
public class LogSoftmaxRelativeAccuracyTests
{
    /// <summary>Row lengths whose single-row calls take the scalar rows (float K ≤ 3; double K = 1 has no other entry).</summary>
    public static TheoryData<string, int, int> ScalarRows => new()
    {
        { "float", 2, 2 }, { "float", 3, 3 }, { "float", 0, 3 }, { "double", 0, 1 },
    };

    [Theory]
    [MemberData(nameof(ScalarRows))]
    public void DominantEntry_IsAccurateRelativeToItself_OnTheScalarRows(string type, int k, int length)
    {
        if (type == "float") Check<float>(k, length, [10, 20, 30, 40, 60, 80]);
        else Check<double>(k, length, [10, 30, 40, 300, 700]);
    }

    /// <summary>The double vector rows carry the sum as hi + lo, so their dominant entry is accurate too.</summary>
    [Theory]
    [InlineData(2, 2)]
    [InlineData(10, 10)]
    [InlineData(33, 33)]
    [InlineData(0, 5)]
    [InlineData(0, 100)]
    public void DominantEntry_IsAccurateRelativeToItself_Double(int k, int length) => Check<double>(k, length, [10, 30, 40, 300, 700]);

    /// <summary>
    /// The float vector rows and the transposed blocks of short rows sum s = 1 + s′ in double: a dominant maximum makes them
    /// sum s′ again without the maxima. Batches of 64 rows (every block), each with its dominant entry at another place.
    /// </summary>
    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    [InlineData(10, 10)]
    [InlineData(33, 33)]
    [InlineData(1000, 1000)]
    [InlineData(0, 5)]
    [InlineData(0, 100)]
    public void DominantEntry_IsAccurateRelativeToItself_FloatVectorRowsAndBlocks(int k, int length)
    {
        var logSoftmax = Get<Map<float>>("LogSoftmax", typeof(float), k);
        int rows = k == 0 ? 1 : 64;
        foreach (double d in new[] { 8.0, 20, 30, 40, 60, 80 })
        {
            double[] x64 = new double[rows * length];
            for (int r = 0; r < rows; r++)
            {
                for (int i = 0; i < length; i++)
                {
                    x64[(r * length) + i] = i == r % length ? 1.5 : 1.5 - d - (0.125 * ((i + r) % 7));
                }
            }

            float[] x = Cast<float>(x64);
            var lp = new float[x.Length];
            logSoftmax(x, lp);
            for (int r = 0; r < rows; r++)
            {
                int top = (r * length) + (r % length);
                DoubleDouble reference = TrainingReference.LogProbabilities(ToDouble(x.AsSpan(r * length, length).ToArray()), 1)![r % length];
                double error = Ulp.ErrorFloat(lp[top], reference);
                Assert.True(error <= 4, $"K={k} length {length} d={d} row {r}: log p = {lp[top]:R}, expected {reference.ToDouble():R} ({error:G3} ulp)");
            }
        }
    }

    private static void Check<T>(int k, int length, double[] gaps)
    {
        var logSoftmax = Get<Map<T>>("LogSoftmax", typeof(T), k);
        foreach (double d in gaps)
        {
            T[] x = Cast<T>(Enumerable.Range(0, length).Select(i => i == 0 ? 0.0 : -d - (0.25 * i)).ToArray());
            var lp = new T[length];
            logSoftmax(x, lp);
            DoubleDouble[] reference = TrainingReference.LogProbabilities(ToDouble(x), 1)!;
            double error = UlpError(lp[0], reference[0]);
            Assert.True(error <= 4, $"{typeof(T).Name} K={k} length {length} d={d}: log p_0 = {D(lp[0]):R}, expected {reference[0].ToDouble():R} ({error:G3} ulp)");
        }
    }
}
