#!/usr/bin/env bash
# Runs the TF_CONFIG benchmark side by side with its Python baseline and
# prints one table per memory mode. Builds nothing: build first with
#   cmake --build BUILD_DIR --target tf_config_bench
#
#   benchmarks/run.sh [BUILD_DIR]          (default: build-bench)
#
# Environment:
#   TRAINSPEC_BENCH_REPETITIONS  repetitions of every case (default 3)
#   TRAINSPEC_BENCH_MODES        "fresh reused" (default), or one of them
#
# Memory modes (the same for the C++ program and Python):
#   fresh   glibc's default malloc: the memory freed after a rendering goes
#           back to the kernel, so every rendering faults its pages in again
#           (what a program that renders once pays);
#   reused  GLIBC_TUNABLES keeps freed memory mapped (trim_threshold high,
#           mmap_threshold 32 MiB): the rendering's own cost, without the
#           kernel's page faults.
#
# Exit status: 0, or 1 when an output check fails (byte comparison of the
# sampled tasks between trainspec, nlohmann::json and Python, or the total
# byte counts), 2 for a missing build.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build-bench}
bin=$build/benchmarks/tf_config_bench
if [[ ! -x $bin ]]; then
  echo "run.sh: $bin not found; build it first:" >&2
  echo "  cmake -S . -B $build -DCMAKE_BUILD_TYPE=Release -DTRAINSPEC_BUILD_BENCHMARKS=ON -DTRAINSPEC_BUILD_TESTS=OFF" >&2
  echo "  cmake --build $build --target tf_config_bench" >&2
  exit 2
fi
repetitions=${TRAINSPEC_BENCH_REPETITIONS:-3}
modes=${TRAINSPEC_BENCH_MODES:-fresh reused}
reused_tunables=glibc.malloc.trim_threshold=68719476736:glibc.malloc.mmap_threshold=33554432

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run_mode MODE: the C++ program (verification, samples, benchmarks), then
# the Python baseline for every case, each checking the sampled bytes first.
run_mode() {
  local mode=$1
  local -a env_cmd=(env -u GLIBC_TUNABLES)
  [[ $mode == reused ]] && env_cmd=(env "GLIBC_TUNABLES=$reused_tunables")
  echo "==== memory mode: $mode ===="
  "${env_cmd[@]}" "$bin" --samples_dir="$work" --benchmark_format=console --benchmark_repetitions="$repetitions" \
    --benchmark_display_aggregates_only=true --benchmark_out="$work/$mode-gbench.json" --benchmark_out_format=json
  : >"$work/$mode-python.txt"
  local profile tasks
  for profile in tf2 kubeflow; do
    for tasks in 1024 3072; do
      "${env_cmd[@]}" python3 "$here/tf_config_baseline.py" "$tasks" --profile "$profile" --repeat "$repetitions" \
        --check "$work/samples-$profile-$tasks.tsv" | tee -a "$work/$mode-python.txt"
    done
  done
  echo
}

for mode in $modes; do
  case $mode in
    fresh | reused) run_mode "$mode" ;;
    *) echo "run.sh: unknown memory mode '$mode' (fresh, reused)" >&2; exit 2 ;;
  esac
done

python3 - "$work" "$repetitions" $modes <<'PY'
import json
import statistics
import sys

work, repetitions, modes = sys.argv[1], sys.argv[2], sys.argv[3:]
failed = False
cases = [(p, n) for p in ("tf2", "kubeflow") for n in (1024, 3072)]

def load_cpp(mode):
    with open(f"{work}/{mode}-gbench.json") as f:
        data = json.load(f)
    runs = {}
    for b in data["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        assert b["time_unit"] == "ms", b["time_unit"]
        name = b["run_name"].removesuffix("/real_time")
        runs.setdefault(name, []).append(b)
    out = {}
    for name, bs in runs.items():
        times = [b["real_time"] for b in bs]
        out[name] = {"best": min(times), "median": statistics.median(times),
                     "cpu": min(b["cpu_time"] for b in bs),
                     "bytes": round(bs[0]["MB"] * 1e6), "faults": min(b["faults"] for b in bs)}
    return out

def load_python(mode):
    out = {}
    with open(f"{work}/{mode}-python.txt") as f:
        for line in f:
            if line.startswith("RESULT "):
                fields = dict(kv.split("=", 1) for kv in line.split()[1:])
                out[(fields["profile"], int(fields["tasks"]))] = {
                    "best": float(fields["best_ms"]), "median": float(fields["median_ms"]),
                    "bytes": int(fields["bytes"]), "faults": int(fields["faults"]),
                    "cpu": float(fields["best_cpu_ms"])}
    return out

def ms(x):
    return f"{x:,.1f} ms" if x >= 10 else f"{x:,.2f} ms"

titles = {
    "fresh": "fresh memory: glibc's default malloc returns freed memory to the kernel, every rendering faults its pages in",
    "reused": "reused memory: GLIBC_TUNABLES keeps freed memory mapped (both programs); the rendering's own cost",
}
header = (f"{'profile/tasks':<15}{'MB':>7}{'trainspec':>12}{'memcpy floor':>14}{'nlohmann':>12}{'python':>12}"
          f"{'python /':>11}{'trainspec /':>13}{'nlohmann /':>12}{'page faults':>14}{'page faults':>13}")
header2 = (f"{'':<15}{'':>7}{'tf_configs':>12}{'':>14}{'per task':>12}{'json.dumps':>12}"
           f"{'trainspec':>11}{'floor':>13}{'trainspec':>12}{'trainspec':>14}{'python':>13}")
for mode in modes:
    cpp, py = load_cpp(mode), load_python(mode)
    print("TF_CONFIG of every task, parameter-server job (chief 1, workers, ps = tasks/16; 8 tasks per host)")
    print(titles[mode])
    print(f"best of {repetitions} repetitions, wall time (medians and CPU times below the table); targets: python / trainspec "
          f">= 20x, trainspec / floor <= 3x")
    print(header)
    print(header2)
    met_py = met_fl = met_stream_py = met_stream_fl = 0
    medians = []
    cpu = []
    for profile, tasks in cases:
        key = f"{profile}/{tasks}"
        ts, fl, nl = (cpp[f"{what}/{key}"] for what in ("tf_configs", "memcpy_floor", "nlohmann_per_task"))
        p = py[(profile, tasks)]
        if not (ts["bytes"] == fl["bytes"] == nl["bytes"] == p["bytes"]):
            print(f"BYTE COUNT MISMATCH {key}: trainspec {ts['bytes']}, floor {fl['bytes']}, "
                  f"nlohmann {nl['bytes']}, python {p['bytes']}", file=sys.stderr)
            failed = True
        r_py, r_fl, r_nl = p["best"] / ts["best"], ts["best"] / fl["best"], nl["best"] / ts["best"]
        print(f"{key:<15}{ts['bytes'] / 1e6:>7.1f}{ms(ts['best']):>12}{ms(fl['best']):>14}{ms(nl['best']):>12}"
              f"{ms(p['best']):>12}{r_py:>10.1f}x{r_fl:>12.2f}x{r_nl:>11.1f}x{ts['faults']:>14,.0f}"
              f"{p['faults']:>13,}")
        met_py += r_py >= 20
        met_fl += r_fl <= 3
        medians.append(f"{key} {p['median'] / ts['median']:.1f}x / {ts['median'] / fl['median']:.2f}x / "
                       f"{nl['median'] / ts['median']:.1f}x")
        cpu.append(f"{key} {p['cpu'] / ts['cpu']:.1f}x / {ts['cpu'] / fl['cpu']:.2f}x / {nl['cpu'] / ts['cpu']:.1f}x")
    print("medians (python / trainspec, trainspec / floor, nlohmann / trainspec): " + ", ".join(medians))
    print("streaming (trainspec::for_each_tf_config: one reused buffer, each TF_CONFIG handed to a sink):")
    print(f"{'profile/tasks':<15}{'for_each':>12}{'floor':>12}{'python':>12}{'python /':>11}{'for_each /':>12}")
    print(f"{'':<15}{'tf_config':>12}{'(1 buffer)':>12}{'json.dumps':>12}{'for_each':>11}{'floor':>12}")
    for profile, tasks in cases:
        key = f"{profile}/{tasks}"
        st, sf = cpp[f"for_each_tf_config/{key}"], cpp[f"memcpy_floor_streamed/{key}"]
        p = py[(profile, tasks)]
        r_py, r_fl = p["best"] / st["best"], st["best"] / sf["best"]
        print(f"{key:<15}{ms(st['best']):>12}{ms(sf['best']):>12}{ms(p['best']):>12}{r_py:>10.1f}x{r_fl:>11.2f}x")
        met_stream_py += r_py >= 20
        met_stream_fl += r_fl <= 3
    print("best CPU time (same ratios): " + ", ".join(cpu))
    print(f"targets met: python / trainspec >= 20x in {met_py} of {len(cases)} cases, "
          f"trainspec / floor <= 3x in {met_fl} of {len(cases)} cases; streaming: python / for_each >= 20x in "
          f"{met_stream_py} of {len(cases)}, for_each / floor <= 3x in {met_stream_fl} of {len(cases)}")
    print()
sys.exit(1 if failed else 0)
PY
