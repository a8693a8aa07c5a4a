#!/usr/bin/env bash
# Regenerates the measured-accuracy tables of docs/accuracy.md: runs AccuracyTests once per instruction-set
# path (default, no AVX-512, no AVX2, no hardware intrinsics) and prints one markdown table per path.
# Usage: scripts/accuracy-report.sh > /tmp/tables.md   (then paste into docs/accuracy.md)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/SoftmaxGen.Tests -c Release >/dev/null
# .NET 10 calls the AVX-512 knob DOTNET_EnableAVX512 (DOTNET_EnableAVX512F in .NET 8/9): set both.
paths=("default (Vector512 on this AVX-512 machine)|" "Vector256|DOTNET_EnableAVX512F=0 DOTNET_EnableAVX512=0" "Vector128|DOTNET_EnableAVX2=0 DOTNET_EnableAVX512F=0 DOTNET_EnableAVX512=0" "scalar|DOTNET_EnableHWIntrinsic=0")
for entry in "${paths[@]}"; do
  title=${entry%%|*}; env=${entry#*|}
  log=$(mktemp)
  if [ -n "$env" ]; then
    env $env dotnet test tests/SoftmaxGen.Tests -c Release --no-build --filter "FullyQualifiedName~AccuracyTests" --logger "console;verbosity=detailed" >"$log" 2>&1 || true
  else
    dotnet test tests/SoftmaxGen.Tests -c Release --no-build --filter "FullyQualifiedName~AccuracyTests" --logger "console;verbosity=detailed" >"$log" 2>&1 || true
  fi
  echo "### Path: $title"
  echo
  grep -qE "Failed!|\[FAIL\]" "$log" && echo "**Some accuracy tests failed on this path.**" && echo
  echo "| K | float softmax ulp | float \|Σp−1\| | double softmax ulp | double \|Σp−1\| | float log-softmax | float LSE | double log-softmax | double LSE |"
  echo "|---|---|---|---|---|---|---|---|---|"
  awk '
    /float softmax K=/  { k=$3; sub("K=","",k); sub(":","",k); fu[k]=$5; fs[k]=$(NF); ks[k]=1 }
    /double softmax K=/ { k=$3; sub("K=","",k); sub(":","",k); du[k]=$5; ds[k]=$(NF); ks[k]=1 }
    /^ *float K=.*log-softmax/  { k=$2; sub("K=","",k); sub(":","",k); fl[k]=$5; fe[k]=$8; sub(",","",fl[k]) }
    /^ *double K=.*log-softmax/ { k=$2; sub("K=","",k); sub(":","",k); dl[k]=$5; de[k]=$8; sub(",","",dl[k]) }
    END { for (k in ks) printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", k, fu[k], fs[k], du[k], ds[k], fl[k], fe[k], dl[k], de[k] }
  ' "$log" | sort -t'|' -k2 -n
  echo
  grep -E "worst error / bound" "$log" | sed 's/^ */- /' | sort -V
  echo
  rm -f "$log"
done
