using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Text;
using SoftmaxGen.Tests.Harness;

namespace SoftmaxGen.Tests.Simd;

/// <summary>
/// Every kernel-executing test (Category=Kernels) again, in child test processes where the runtime hides
/// AVX-512, then AVX2, then all hardware intrinsics, so the Vector256, Vector128 and scalar paths are tested
/// on this machine too (the parent run covers Vector512 where the CPU has it). .NET 10 names the AVX-512 knob
/// DOTNET_EnableAVX512; DOTNET_EnableAVX512F (the .NET 8/9 name) is set as well.
/// </summary>
[Trait("Category", "InstructionSets")]
public class InstructionSetPathTests
{
    /// <summary>Set in the children, so they never spawn children of their own, and says which path they must be on.</summary>
    internal const string ChildVariable = "SOFTMAXGEN_ISA_CHILD";

    public static TheoryData<string, string> Paths => new()
    {
        { "Vector256", "DOTNET_EnableAVX512F=0;DOTNET_EnableAVX512=0" },
        { "Vector128", "DOTNET_EnableAVX2=0" },
        { "scalar", "DOTNET_EnableHWIntrinsic=0" },
    };

    [Fact]
    public async Task KernelTests_PassOnEveryInstructionSetPath()
    {
        if (Environment.GetEnvironmentVariable(ChildVariable) is { Length: > 0 })
        {
            return; // a child (the Kernels filter already excludes this class; this guards against a wider filter)
        }

        string dll = typeof(InstructionSetPathTests).Assembly.Location;
        // The kernel library is compiled once, here; every child loads this image instead of running the generator again.
        string directory = Directory.CreateTempSubdirectory("softmaxgen-kernels.").FullName;
        string image = KernelLibrary.Shared.WriteImage(directory);
        try
        {
            string failures = await RunChildrenAsync(dll, image);
            Assert.True(failures.Length == 0, failures);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<string> RunChildrenAsync(string dll, string image)
    {
        var failures = new StringBuilder();
        foreach (var row in Paths)
        {
            string path = (string)row[0];
            string variables = (string)row[1];
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { "test", dll, "--filter", "Category=Kernels" })
            {
                start.ArgumentList.Add(arg);
            }

            foreach (string assignment in variables.Split(';').Append($"{ChildVariable}={path}").Append($"{KernelLibrary.ImageVariable}={image}"))
            {
                start.ArgumentList.Add("-e");
                start.ArgumentList.Add(assignment);
                string[] kv = assignment.Split('=');
                start.Environment[kv[0]] = kv[1];
            }

            using Process child = Process.Start(start)!;
            Task<string> stdout = child.StandardOutput.ReadToEndAsync();
            Task<string> stderr = child.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            try
            {
                await child.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                child.Kill(entireProcessTree: true);
                failures.Append($"== {path} ({variables}): timed out after 10 minutes\n");
                continue;
            }

            string text = await stdout + await stderr;
            if (child.ExitCode != 0 || !text.Contains("Passed!  - Failed:     0", StringComparison.Ordinal))
            {
                failures.Append($"== {path} ({variables}): exit code {child.ExitCode}\n{text}\n");
            }
        }

        return failures.ToString();
    }
}

/// <summary>In a child of <see cref="InstructionSetPathTests"/>, the runtime really is on the path the child was started for.</summary>
[Trait("Category", "Kernels")]
public class ActiveInstructionSetPathTests
{
    [Fact]
    public void ChildProcess_RunsOnTheRequestedPath()
    {
        string? expected = Environment.GetEnvironmentVariable(InstructionSetPathTests.ChildVariable);
        string actual = Vector512.IsHardwareAccelerated ? "Vector512"
            : Vector256.IsHardwareAccelerated ? "Vector256"
            : Vector128.IsHardwareAccelerated ? "Vector128"
            : "scalar";
        if (expected is { Length: > 0 })
        {
            Assert.Equal(expected, actual);
            // The child reuses the parent's compiled kernel library rather than compiling its own.
            Assert.True(KernelLibrary.Shared.LoadedFromImage, $"{KernelLibrary.ImageVariable} was not honoured");
        }
        else
        {
            // The parent run: on this machine (AVX-512) it is the Vector512 path; elsewhere whatever the CPU offers.
            Assert.Equal(actual == "Vector512", Vector512.IsHardwareAccelerated);
        }
    }
}
