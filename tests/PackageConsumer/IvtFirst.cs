// First of two projects that both use SoftmaxGen, linked by InternalsVisibleTo: neither the attributes nor
// the kernel classes may collide (CS0436) or be ambiguous when Second sees First's internals.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("IvtSecond")]

namespace First
{
    internal static partial class Kernels
    {
        [SoftmaxGen.Softmax(4)]
        internal static partial void Probabilities(System.ReadOnlySpan<float> logits, System.Span<float> probabilities);
    }
}
