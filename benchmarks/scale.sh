#!/usr/bin/env bash
# Runs scale_bench (every step at 1k..1M ranks) and prints, per step, the
# time at each size, the 100k/10k ratio (linear is about 10; the budget is
# 12) and the plans' bytes per task. Builds nothing: build first with
#   cmake --build BUILD_DIR --target scale_bench
#
#   benchmarks/scale.sh [BUILD_DIR]        (default: build-bench)
#
# Environment: TRAINSPEC_BENCH_REPETITIONS (default 5; the best is shown).
set -euo pipefail

build=${1:-build-bench}
bin=$build/benchmarks/scale_bench
if [[ ! -x $bin ]]; then
  echo "scale.sh: $bin not found; build it first:" >&2
  echo "  cmake -S . -B $build -DCMAKE_BUILD_TYPE=Release -DTRAINSPEC_BUILD_BENCHMARKS=ON -DTRAINSPEC_BUILD_TESTS=OFF" >&2
  echo "  cmake --build $build --target scale_bench" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" --benchmark_repetitions="${TRAINSPEC_BENCH_REPETITIONS:-5}" --benchmark_format=json \
  --benchmark_out="$work/scale.json" --benchmark_out_format=json >/dev/null
python3 - "$work/scale.json" <<'PY'
import json, sys
runs = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if b.get("run_type") == "iteration"]
best, bytes_per_task, peak = {}, {}, {}
for b in runs:
    step, size = b["run_name"].rsplit("/", 1)
    ms = b["real_time"] if b["time_unit"] == "ms" else b["real_time"] / 1e6
    key = (step, int(size))
    best[key] = min(best.get(key, float("inf")), ms)
    if "bytes_per_task" in b:
        bytes_per_task[key] = b["bytes_per_task"]
    if "peak_bytes" in b:
        peak[key] = max(peak.get(key, 0), b["peak_bytes"])
sizes = sorted({size for _, size in best})
steps = list(dict.fromkeys(step for step, _ in best))
print(f"{'step':28}" + "".join(f"{s:>12,}" for s in sizes) + f"{'100k/10k':>10}{'B/task':>9}")
for step in steps:
    row = "".join(f"{best[(step, s)]:>10.2f}ms" if (step, s) in best else f"{'-':>12}" for s in sizes)
    ratio = best.get((step, 100000), 0) / best[(step, 10000)] if best.get((step, 10000)) else 0
    per_task = bytes_per_task.get((step, 100000))
    print(f"{step:28}{row}{ratio:>10.1f}" + (f"{per_task:>9.0f}" if per_task is not None else ""))
total = sum(best[(s, 100000)] for s in ("mpi/plan", "mpi/hostfile_text", "mpi/rank_table", "mpi/mpirun_command"))
print(f"100,000 ranks: plan + hostfile + rank table + mpirun = {total:.1f} ms")
for step in dict.fromkeys(step for step, _ in peak):
    print(f"{step}: peak heap while streaming " + ", ".join(f"{s:,} trials {peak[(step, s)]:,.0f} B" for s in sizes if (step, s) in peak))
PY
