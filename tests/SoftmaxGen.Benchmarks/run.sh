#!/usr/bin/env bash
# Runs the side-by-side benchmarks (short job; see Program.cs) and regenerates docs/benchmarks.md.
# Narrow a quick run with SOFTMAXGEN_BENCH_K="10,1000" and/or SOFTMAXGEN_BENCH_ELEMENTS=1048576,
# or pass BenchmarkDotNet arguments, e.g. ./run.sh --filter '*SoftmaxBench*'.
set -euo pipefail
cd "$(dirname "$0")"
repo=$(cd ../.. && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release
dotnet bin/Release/net10.0/SoftmaxGen.Benchmarks.dll --md "$repo/docs/benchmarks.md" "$@"
