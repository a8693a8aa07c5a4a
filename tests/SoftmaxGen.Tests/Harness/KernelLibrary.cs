using System.Globalization;
using System.Text;

namespace SoftmaxGen.Tests.Harness;

/// <summary>
/// One compiled assembly holding a kernel for every (operation, element type, K) the numeric tests use,
/// generated once per test run and shared (compiling ~300 kernels once is far cheaper than per test).
/// Kernel names: <c>{Op}_{float|double}_{K}</c>, K = 0 for rows of any length, plus suffixes for other forms.
/// </summary>
public sealed class KernelLibrary : IDisposable
{
    /// <summary>Row lengths the accuracy contract names.</summary>
    public static readonly int[] AccuracyKs = [1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 100, 1000, 4096];

    /// <summary>Row lengths (0 = any) of the masked forms (a ReadOnlySpan&lt;bool&gt; after the logits), which MaskedRowTests use.</summary>
    public static readonly int[] MaskedKs = [0, 1, 2, 3, 8, 16, 17, 33, 1000];

    /// <summary>Row lengths for which the tests also build Jacobians and gradients.</summary>
    public static readonly int[] SmallKs = [1, 2, 3, 4, 7, 8, 9, 10, 16, 17, 33];

    /// <summary>
    /// Set by <see cref="Simd.InstructionSetPathTests"/> for its child processes: the path of the library's image,
    /// compiled once by the parent (with <c>.pdb</c> beside it), which the children load instead of compiling it again.
    /// </summary>
    public const string ImageVariable = "SOFTMAXGEN_KERNEL_LIBRARY";

    private static readonly Lazy<KernelLibrary> s_shared = new(() => new KernelLibrary());

    private readonly LoadedAssembly _assembly;

    private KernelLibrary()
    {
        if (Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } path)
        {
            Image = File.ReadAllBytes(path);
            Pdb = File.ReadAllBytes(Path.ChangeExtension(path, ".pdb"));
            LoadedFromImage = true;
        }
        else
        {
            (Image, Pdb) = LoadedAssembly.Emit(GeneratorRun.Run(BuildSource()).AssertClean().Output);
        }

        _assembly = LoadedAssembly.From("Kernels", Image, Pdb);
    }

    public static KernelLibrary Shared => s_shared.Value;

    /// <summary>The compiled library (what the children of the instruction-set runs load).</summary>
    public byte[] Image { get; }

    public byte[] Pdb { get; }

    /// <summary>Whether this process loaded the image a parent compiled (instead of running the generator itself).</summary>
    public bool LoadedFromImage { get; }

    /// <summary>Writes the compiled library to <paramref name="directory"/> and returns the path for <see cref="ImageVariable"/>.</summary>
    public string WriteImage(string directory)
    {
        string path = Path.Combine(directory, "Kernels.dll");
        File.WriteAllBytes(path, Image);
        File.WriteAllBytes(Path.ChangeExtension(path, ".pdb"), Pdb);
        return path;
    }

    public TDelegate Get<TDelegate>(string name)
        where TDelegate : Delegate => _assembly.Bind<TDelegate>("Tests.Kernels", name);

    public static string Name<T>(string op, int k, string suffix = "") =>
        $"{op}_{(typeof(T) == typeof(float) ? "float" : "double")}_{k.ToString(CultureInfo.InvariantCulture)}{suffix}";

    public void Dispose() => _assembly.Dispose();

    private static string BuildSource()
    {
        var b = new StringBuilder();
        b.AppendLine("using System;");
        b.AppendLine("using SoftmaxGen;");
        b.AppendLine("namespace Tests;");
        b.AppendLine("public static partial class Kernels");
        b.AppendLine("{");
        foreach (string t in new[] { "float", "double" })
        {
            var ks = AccuracyKs.Concat(SmallKs).Append(10).Append(0).Distinct().Order();
            foreach (int k in ks)
            {
                string attrK = k == 0 ? string.Empty : $"({k})";
                string n = $"{t}_{k}";
                string ros = $"ReadOnlySpan<{t}>";
                string span = $"Span<{t}>";
                b.AppendLine($"    [Softmax{attrK}] public static partial void Softmax_{n}({ros} x, {span} y);");
                b.AppendLine($"    [LogSoftmax{attrK}] public static partial void LogSoftmax_{n}({ros} x, {span} y);");
                b.AppendLine($"    [LogSumExp{attrK}] public static partial {t} LogSumExp_{n}({ros} x);");
                b.AppendLine($"    [LogSumExp{attrK}] public static partial void LogSumExp_{n}_batch({ros} x, {span} results);");
                b.AppendLine($"    [SoftmaxBackward{attrK}] public static partial void SoftmaxBackward_{n}({ros} p, {ros} g, {span} dx);");
                b.AppendLine($"    [LogSoftmaxBackward{attrK}] public static partial void LogSoftmaxBackward_{n}({ros} lp, {ros} g, {span} dx);");
                if (MaskedKs.Contains(k))
                {
                    string zeroMasked = k == 0 ? "(ZeroFullyMaskedRows = true)" : $"({k}, ZeroFullyMaskedRows = true)";
                    string mask = "ReadOnlySpan<bool> mask";
                    b.AppendLine($"    [Softmax{attrK}] public static partial void Softmax_{n}_masked({ros} x, {mask}, {span} y);");
                    b.AppendLine($"    [Softmax{zeroMasked}] public static partial void Softmax_{n}_masked_zero({ros} x, {mask}, {span} y);");
                    b.AppendLine($"    [LogSoftmax{attrK}] public static partial void LogSoftmax_{n}_masked({ros} x, {mask}, {span} y);");
                    b.AppendLine($"    [LogSoftmax{zeroMasked}] public static partial void LogSoftmax_{n}_masked_zero({ros} x, {mask}, {span} y);");
                    b.AppendLine($"    [LogSumExp{attrK}] public static partial {t} LogSumExp_{n}_masked({ros} x, {mask});");
                    b.AppendLine($"    [LogSumExp{attrK}] public static partial void LogSumExp_{n}_masked_batch({ros} x, {mask}, {span} results);");
                    b.AppendLine($"    [Softmin{attrK}] public static partial void Softmin_{n}_masked({ros} x, {mask}, {span} y);");
                }

                if (k <= 100)
                {
                    b.AppendLine($"    [SoftmaxJacobian{attrK}] public static partial void SoftmaxJacobian_{n}({ros} p, {span} jacobian);");
                }

                if (SmallKs.Contains(k) || k is 0 or 100 or 1000)
                {
                    string withT = k == 0 ? "(Temperature = 0.5)" : $"({k}, Temperature = 0.5)";
                    b.AppendLine($"    [Softmax{attrK}] public static partial void Softmax_{n}_inplace({span} values);");
                    b.AppendLine($"    [LogSoftmax{attrK}] public static partial void LogSoftmax_{n}_inplace({span} values);");
                    b.AppendLine($"    [Softmax{withT}] public static partial void Softmax_{n}_t05({ros} x, {span} y);");
                    b.AppendLine($"    [Softmax{attrK}] public static partial void Softmax_{n}_rt({ros} x, {span} y, {t} temperature);");
                    b.AppendLine($"    [LogSoftmax{attrK}] public static partial void LogSoftmax_{n}_rt({ros} x, {span} y, {t} temperature);");
                    b.AppendLine($"    [LogSumExp{attrK}] public static partial {t} LogSumExp_{n}_rt({ros} x, {t} temperature);");
                    b.AppendLine($"    [LogSumExp{attrK}] public static partial void LogSumExp_{n}_rt_batch({ros} x, {span} results, {t} temperature);");
                    b.AppendLine($"    [SoftmaxBackward{attrK}] public static partial void SoftmaxBackward_{n}_rt({ros} p, {ros} g, {span} dx, {t} temperature);");
                    b.AppendLine($"    [LogSoftmaxBackward{attrK}] public static partial void LogSoftmaxBackward_{n}_rt({ros} lp, {ros} g, {span} dx, {t} temperature);");
                    b.AppendLine($"    [SoftmaxJacobian{attrK}] public static partial void SoftmaxJacobian_{n}_rt({ros} p, {span} jacobian, {t} temperature);");
                    string zero = k == 0 ? "(ZeroFullyMaskedRows = true)" : $"({k}, ZeroFullyMaskedRows = true)";
                    b.AppendLine($"    [Softmax{zero}] public static partial void Softmax_{n}_zero({ros} x, {span} y);");
                    b.AppendLine($"    [LogSoftmax{zero}] public static partial void LogSoftmax_{n}_zero({ros} x, {span} y);");
                }
            }
        }

        Choosing.GumbelSoftmaxTests.AppendKernels(b);
        b.AppendLine("}");
        return b.ToString();
    }
}
