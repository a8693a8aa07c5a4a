using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Numerics.Tensors;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace SoftmaxGen.Benchmarks;

/// <summary>A generated batch kernel: rows of K values in, rows (or one result per row) out.</summary>
public delegate void Batch<T>(ReadOnlySpan<T> x, Span<T> y);

/// <summary>
/// The grid shared by every benchmark: K, and the batch size N·K (≈ 1M elements, or ≈ 4K: one row when K exceeds it).
/// Inputs are uniform logits in [−8, 8), the same for every method.
/// </summary>
public abstract class BatchBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ParamsSource(nameof(KValues))]
    public int K { get; set; }

    [ParamsSource(nameof(ElementValues))]
    public int Elements { get; set; }

    /// <summary>K in {2, 4, 10, 16, 32, 64, 128, 1000, 32000}; SOFTMAXGEN_BENCH_K="10,1000" narrows it for quick runs.</summary>
    public static IEnumerable<int> KValues => FromEnvironment("SOFTMAXGEN_BENCH_K", [2, 4, 10, 16, 32, 64, 128, 1000, 32000]);

    /// <summary>N·K ≈ 1M and ≈ 4K; SOFTMAXGEN_BENCH_ELEMENTS narrows it.</summary>
    public static IEnumerable<int> ElementValues => FromEnvironment("SOFTMAXGEN_BENCH_ELEMENTS", [1 << 20, 4096]);

    private static int[] FromEnvironment(string name, int[] all) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? text.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray()
            : all;

    protected int Rows { get; private set; }

    protected T[] X { get; private set; } = [];

    protected T[] Y { get; private set; } = [];

    protected T[] Scratch { get; private set; } = [];

    protected T[] Results { get; private set; } = [];

    protected Batch<T> Kernel { get; private set; } = null!;

    protected abstract string Operation { get; }

    [GlobalSetup]
    public void Setup()
    {
        Rows = Math.Max(1, (int)Math.Round((double)Elements / K));
        int n = Rows * K;
        var random = new Random(42);
        X = new T[n];
        for (int i = 0; i < n; i++)
        {
            X[i] = T.CreateTruncating((random.NextDouble() * 16) - 8);
        }

        Y = new T[n];
        Scratch = new T[n];
        Results = new T[Rows];
        Kernel = KernelOf<Batch<T>>(typeof(Kernels), Operation);
    }

    /// <summary>The generated kernel <c>{prefix}_{float|double}_{K}</c> declared in <paramref name="holder"/>, as a delegate.</summary>
    protected TDelegate KernelOf<TDelegate>(Type holder, string prefix)
        where TDelegate : Delegate
    {
        string name = $"{prefix}_{(typeof(T) == typeof(float) ? "float" : "double")}_{K}";
        MethodInfo method = holder.GetMethod(name, BindingFlags.Static | BindingFlags.Public)
            ?? throw new InvalidOperationException("No generated kernel " + name);
        return method.CreateDelegate<TDelegate>();
    }

    /// <summary>The floor: copying the same bytes.</summary>
    [Benchmark(Description = "Copy")]
    public void Copy() => X.AsSpan().CopyTo(Y);
}

/// <summary>Softmax over each row.</summary>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class SoftmaxBench<T> : BatchBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override string Operation => "Softmax";

    [Benchmark(Description = "Generated")]
    public void Generated() => Kernel(X, Y);

    /// <summary>The .NET baseline (unstable: exp of unshifted logits), called per row.</summary>
    [Benchmark(Baseline = true, Description = "TP.SoftMax")]
    public void TensorPrimitivesSoftMax()
    {
        int k = K;
        for (int r = 0; r < Rows; r++)
        {
            TensorPrimitives.SoftMax<T>(X.AsSpan(r * k, k), Y.AsSpan(r * k, k));
        }
    }

    /// <summary>The stable composition users write: Max, Subtract, Exp, Sum, Divide.</summary>
    [Benchmark(Description = "TP stable")]
    public void TensorPrimitivesStable()
    {
        int k = K;
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<T> x = X.AsSpan(r * k, k);
            Span<T> y = Y.AsSpan(r * k, k);
            T m = TensorPrimitives.Max(x);
            TensorPrimitives.Subtract(x, m, y);
            TensorPrimitives.Exp(y, y);
            T s = TensorPrimitives.Sum<T>(y);
            TensorPrimitives.Divide(y, s, y);
        }
    }

    /// <summary>A stable scalar loop.</summary>
    [Benchmark(Description = "Scalar loop")]
    public void ScalarLoop()
    {
        int k = K;
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<T> x = X.AsSpan(r * k, k);
            Span<T> y = Y.AsSpan(r * k, k);
            T m = T.NegativeInfinity;
            for (int i = 0; i < x.Length; i++) m = T.Max(m, x[i]);
            T s = T.Zero;
            for (int i = 0; i < x.Length; i++)
            {
                T e = T.Exp(x[i] - m);
                y[i] = e;
                s += e;
            }

            for (int i = 0; i < y.Length; i++) y[i] /= s;
        }
    }
}

/// <summary>Log-softmax over each row.</summary>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class LogSoftmaxBench<T> : BatchBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override string Operation => "LogSoftmax";

    [Benchmark(Description = "Generated")]
    public void Generated() => Kernel(X, Y);

    /// <summary>The stable composition: Max, Subtract, Exp (into scratch), Sum, Log, Subtract.</summary>
    [Benchmark(Baseline = true, Description = "TP stable")]
    public void TensorPrimitivesStable()
    {
        int k = K;
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<T> x = X.AsSpan(r * k, k);
            Span<T> y = Y.AsSpan(r * k, k);
            Span<T> e = Scratch.AsSpan(r * k, k);
            T m = TensorPrimitives.Max(x);
            TensorPrimitives.Subtract(x, m, y);
            TensorPrimitives.Exp(y, e);
            TensorPrimitives.Subtract(y, T.Log(TensorPrimitives.Sum<T>(e)), y);
        }
    }

    [Benchmark(Description = "Scalar loop")]
    public void ScalarLoop()
    {
        int k = K;
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<T> x = X.AsSpan(r * k, k);
            Span<T> y = Y.AsSpan(r * k, k);
            T m = T.NegativeInfinity;
            for (int i = 0; i < x.Length; i++) m = T.Max(m, x[i]);
            T s = T.Zero;
            for (int i = 0; i < x.Length; i++) s += T.Exp(x[i] - m);
            T logS = T.Log(s);
            for (int i = 0; i < x.Length; i++) y[i] = x[i] - m - logS;
        }
    }
}

/// <summary>Log-sum-exp of each row (one result per row).</summary>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class LogSumExpBench<T> : BatchBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override string Operation => "LogSumExp";

    [Benchmark(Description = "Generated")]
    public void Generated() => Kernel(X, Results);

    /// <summary>The stable composition: Max, Subtract and Exp (into scratch), Sum, m + Log.</summary>
    [Benchmark(Baseline = true, Description = "TP stable")]
    public void TensorPrimitivesStable()
    {
        int k = K;
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<T> x = X.AsSpan(r * k, k);
            Span<T> e = Scratch.AsSpan(r * k, k);
            T m = TensorPrimitives.Max(x);
            TensorPrimitives.Subtract(x, m, e);
            TensorPrimitives.Exp(e, e);
            Results[r] = m + T.Log(TensorPrimitives.Sum<T>(e));
        }
    }

    [Benchmark(Description = "Scalar loop")]
    public void ScalarLoop()
    {
        int k = K;
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<T> x = X.AsSpan(r * k, k);
            T m = T.NegativeInfinity;
            for (int i = 0; i < x.Length; i++) m = T.Max(m, x[i]);
            T s = T.Zero;
            for (int i = 0; i < x.Length; i++) s += T.Exp(x[i] - m);
            Results[r] = m + T.Log(s);
        }
    }
}

/// <summary>A fused cross-entropy kernel: losses (one per row) and gradients (K per row).</summary>
public delegate void LossAndGradient<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> targets, Span<T> losses, Span<T> gradients);

/// <summary>
/// Softmax cross-entropy with its gradient: the fused kernel against the stable softmax kernel followed by a separate
/// loss-and-gradient loop (loss −log p_t, gradient p − onehot(t)), which is what users compose today.
/// </summary>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class CrossEntropyBench<T> : BatchBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private LossAndGradient<T>? _fused;
    private int[] _targets = [];

    protected override string Operation => "Softmax";

    private LossAndGradient<T> Fused()
    {
        if (_fused is null)
        {
            _fused = KernelOf<LossAndGradient<T>>(typeof(TrainingAndChoiceKernels), "CrossEntropy");
            _targets = Enumerable.Range(0, Rows).Select(r => (r * 7) % K).ToArray();
        }

        return _fused;
    }

    [Benchmark(Description = "Generated")]
    public void Generated() => Fused()(X, _targets, Results, Y);

    [Benchmark(Baseline = true, Description = "Softmax + loop")]
    public void SoftmaxThenLoop()
    {
        Fused();
        Kernel(X, Y);
        int k = K;
        for (int r = 0; r < Rows; r++)
        {
            Span<T> g = Y.AsSpan(r * k, k);
            int t = _targets[r];
            Results[r] = -T.Log(g[t]);
            g[t] -= T.One;
        }
    }
}

/// <summary>A generated arg-max batch kernel: one index per row.</summary>
public delegate void ArgMaxBatch<T>(ReadOnlySpan<T> x, Span<int> indices);

/// <summary>Arg-max of each row: the generated kernel against a plain loop (first index of the largest, −1 on NaN).</summary>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class ArgMaxBench<T> : BatchBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private ArgMaxBatch<T>? _kernel;
    private int[] _indices = [];

    protected override string Operation => "Softmax";

    private ArgMaxBatch<T> ArgMax()
    {
        if (_kernel is null)
        {
            _kernel = KernelOf<ArgMaxBatch<T>>(typeof(TrainingAndChoiceKernels), "ArgMax");
            _indices = new int[Rows];
        }

        return _kernel;
    }

    [Benchmark(Description = "Generated")]
    public void Generated() => ArgMax()(X, _indices);

    [Benchmark(Baseline = true, Description = "Plain loop")]
    public void PlainLoop()
    {
        ArgMax();
        int k = K;
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<T> x = X.AsSpan(r * k, k);
            int best = 0;
            for (int i = 1; i < x.Length; i++)
            {
                if (T.IsNaN(x[i])) { best = -1; break; }
                if (x[i] > x[best]) best = i;
            }

            _indices[r] = T.IsNaN(x[0]) ? -1 : best;
        }
    }
}

/// <summary>A generated sampling batch kernel: one uniform in, one index out per row.</summary>
public delegate void SampleBatch<T>(ReadOnlySpan<T> x, ReadOnlySpan<double> uniforms, Span<int> samples);

/// <summary>
/// Sampling one index per row from softmax(x): the generated [SoftmaxSample] kernel against the stable [Softmax] kernel followed
/// by a cumulative scan (the first i with Σ_{j≤i} p_j > u), which is what users compose today.
/// </summary>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class SampleBench<T> : BatchBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private SampleBatch<T>? _kernel;
    private double[] _uniforms = [];
    private int[] _samples = [];

    protected override string Operation => "Softmax";

    private SampleBatch<T> Sampler()
    {
        if (_kernel is null)
        {
            _kernel = KernelOf<SampleBatch<T>>(typeof(TrainingAndChoiceKernels), "Sample");
            var random = new Random(7);
            _uniforms = Enumerable.Range(0, Rows).Select(_ => random.NextDouble()).ToArray();
            _samples = new int[Rows];
        }

        return _kernel;
    }

    [Benchmark(Description = "Generated")]
    public void Generated() => Sampler()(X, _uniforms, _samples);

    [Benchmark(Baseline = true, Description = "Softmax + scan")]
    public void SoftmaxThenScan()
    {
        Sampler();
        Kernel(X, Y);
        int k = K;
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<T> p = Y.AsSpan(r * k, k);
            double u = _uniforms[r], c = 0;
            int s = k - 1;
            for (int i = 0; i < k; i++)
            {
                c += double.CreateTruncating(p[i]);
                if (c > u) { s = i; break; }
            }

            _samples[r] = s;
        }
    }
}
