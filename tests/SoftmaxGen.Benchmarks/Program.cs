using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains;
using BenchmarkDotNet.Toolchains.CsProj;
using BenchmarkDotNet.Toolchains.DotNetCli;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace SoftmaxGen.Benchmarks;

/// <summary>
/// Runs the benchmarks with a short job (2 cores, shared machine: few, short iterations) and, with
/// <c>--md &lt;path&gt;</c>, writes the results table with ratios and the targets.
/// Other arguments go to BenchmarkDotNet (e.g. <c>--filter *Softmax*</c>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string? markdown = null;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--md" && i + 1 < args.Length)
            {
                markdown = args[++i];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        if (!rest.Contains("--filter"))
        {
            rest.AddRange(["--filter", "*"]);
        }

        // Every benchmark case runs in a fresh process (BenchmarkDotNet's out-of-process toolchain), so no method's JIT
        // state (tiering, PGO, OSR) carries over from another K, and with DOTNET_TC_CallCountingDelayMs=0 every method
        // reaches its optimised tier in the warm-up: with the default delay TensorPrimitives.SoftMax stayed in an
        // unoptimised tier (10 ms instead of 0.7 ms at K = 1000). --in-process is quicker and less fair.
        bool inProcess = rest.Remove("--in-process");
        IToolchain toolchain = inProcess
            ? InProcessEmitToolchain.Instance
            : CsProjCoreToolchain.From(new NetCoreAppSettings("net10.0", null, ".NET 10.0"));
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.Default
                .WithToolchain(toolchain)
                .WithLaunchCount(3)
                .WithWarmupCount(10)
                .WithIterationCount(7)
                .WithIterationTime(TimeInterval.FromMilliseconds(50))
                .WithEnvironmentVariables(new EnvironmentVariable("DOTNET_TC_CallCountingDelayMs", "0"))
                .WithId("Short"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);

        var summaries = BenchmarkSwitcher
            .FromTypes([typeof(SoftmaxBench<>), typeof(LogSoftmaxBench<>), typeof(LogSumExpBench<>), typeof(CrossEntropyBench<>), typeof(ArgMaxBench<>), typeof(MaskedSoftmaxBench<>), typeof(SampleBench<>), typeof(GumbelBench<>), typeof(HierarchicalBench), typeof(TemperedSoftmaxBench<>)])
            .Run([.. rest], config)
            .ToList();
        if (markdown is not null)
        {
            File.WriteAllText(markdown, Report.Build(summaries));
            Console.WriteLine("Wrote " + markdown);
        }

        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
