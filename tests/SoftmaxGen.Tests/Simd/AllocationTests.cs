using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Simd;

/// <summary>No path allocates: after warm-up, whole batches through every forward kernel allocate exactly 0 bytes.</summary>
[Trait("Category", "Kernels")]
public class AllocationTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(10)]
    [InlineData(16)]
    [InlineData(100)]
    [InlineData(1000)]
    public void Batches_AllocateNothing(int k)
    {
        KernelLibrary lib = KernelLibrary.Shared;
        const int Rows = 67;
        var random = new Random(k);
        float[] xf = Enumerable.Range(0, Rows * k).Select(_ => (float)((random.NextDouble() * 20) - 10)).ToArray();
        double[] xd = xf.Select(v => (double)v).ToArray();
        float[] yf = new float[xf.Length], rf = new float[Rows];
        double[] yd = new double[xd.Length], rd = new double[Rows];
        var calls = new Action[]
        {
            () => lib.Get<Map<float>>(KernelLibrary.Name<float>("Softmax", k))(xf, yf),
            () => lib.Get<Map<float>>(KernelLibrary.Name<float>("LogSoftmax", k))(xf, yf),
            () => lib.Get<Map<float>>(KernelLibrary.Name<float>("LogSumExp", k, "_batch"))(xf, rf),
            () => lib.Get<Map<double>>(KernelLibrary.Name<double>("Softmax", k))(xd, yd),
            () => lib.Get<Map<double>>(KernelLibrary.Name<double>("LogSoftmax", k))(xd, yd),
            () => lib.Get<Map<double>>(KernelLibrary.Name<double>("LogSumExp", k, "_batch"))(xd, rd),
        };

        // Bind the delegates first (binding allocates); then measure only the kernel calls.
        var softmaxF = lib.Get<Map<float>>(KernelLibrary.Name<float>("Softmax", k));
        var logSoftmaxF = lib.Get<Map<float>>(KernelLibrary.Name<float>("LogSoftmax", k));
        var lseF = lib.Get<Map<float>>(KernelLibrary.Name<float>("LogSumExp", k, "_batch"));
        var softmaxD = lib.Get<Map<double>>(KernelLibrary.Name<double>("Softmax", k));
        var logSoftmaxD = lib.Get<Map<double>>(KernelLibrary.Name<double>("LogSoftmax", k));
        var lseD = lib.Get<Map<double>>(KernelLibrary.Name<double>("LogSumExp", k, "_batch"));
        foreach (Action call in calls)
        {
            call();
        }

        // The least of three rounds: a kernel that allocates does so in every round, while the runtime itself may allocate
        // on this thread once in a while (tiered compilation starting its background worker, under load).
        long least = long.MaxValue;
        for (int round = 0; round < 3 && least > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
            {
                softmaxF(xf, yf);
                logSoftmaxF(xf, yf);
                lseF(xf, rf);
                softmaxD(xd, yd);
                logSoftmaxD(xd, yd);
                lseD(xd, rd);
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
    }
}
