// Second project: its own kernel with the same names, and a call into First's internal kernel.
namespace Second
{
    internal static partial class Kernels
    {
        [SoftmaxGen.Softmax(4)]
        internal static partial void Probabilities(System.ReadOnlySpan<float> logits, System.Span<float> probabilities);
    }

    public static class Uses
    {
        public static void Both(float[] logits, float[] a, float[] b)
        {
            First.Kernels.Probabilities(logits, a);
            Kernels.Probabilities(logits, b);
        }
    }
}
