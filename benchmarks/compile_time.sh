#!/usr/bin/env bash
# Compile time of a translation unit that uses trainspec, side by side with
# the baseline a user of nlohmann/json and {fmt} already pays, on g++ and
# clang++ at -O2 (benchmarks/compile_time/):
#
#   baseline     includes nlohmann/json and fmt, dumps one object, formats one line
#   umbrella     #include <trainspec/trainspec.hpp> and nothing else
#   end_to_end   builder, plan, tf_configs, tfjob_manifest, sbatch_script,
#                mpirun_command, dump_spec
#
# The trainspec units in both modes (docs/compiled.md): header-only, and
# compiled (-DTRAINSPEC_COMPILED_LIB: the unit's side of a program that links
# trainspec::compiled; the library itself is compiled once, not per unit).
#
#   benchmarks/compile_time.sh [COMPILER...]     (default: g++ clang++)
#
# The units are compiled in rounds, each round every unit once with each
# compiler (TRAINSPEC_COMPILE_ROUNDS, default 5). Prints each unit's best
# seconds and its ratio to the baseline as the median of the rounds' ratios:
# a unit is compared with the baseline compiled in the same round, so a slow
# spell of a shared machine moves both.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
compilers=("$@")
[[ ${#compilers[@]} -gt 0 ]] || compilers=(g++ clang++)
# name, source, extra flags
units=("baseline:baseline:" "umbrella:umbrella:" "umbrella compiled:umbrella:-DTRAINSPEC_COMPILED_LIB"
    "end_to_end:end_to_end:" "end_to_end compiled:end_to_end:-DTRAINSPEC_COMPILED_LIB")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Wall seconds of one run of a command.
seconds_of() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

times=$work/times
for ((round = 0; round < ${TRAINSPEC_COMPILE_ROUNDS:-5}; ++round)); do
    for unit in "${units[@]}"; do
        IFS=: read -r name source flags <<<"$unit"
        for compiler in "${compilers[@]}"; do
            # shellcheck disable=SC2086
            s=$(seconds_of "$compiler" -std=c++17 -O2 -c -I "$root/include" $flags \
                "$here/compile_time/$source.cpp" -o "$work/$source.o")
            printf '%s\t%s\t%s\t%s\n' "$round" "$name" "$compiler" "$s" >>"$times"
        done
    done
done
python3 - "$times" "${compilers[@]}" <<'PY'
import statistics, sys
times, compilers = sys.argv[1], sys.argv[2:]
seconds = {}
for line in open(times):
    round_, name, compiler, s = line.rstrip("\n").split("\t")
    seconds[(round_, name, compiler)] = float(s)
rounds = sorted({r for r, _, _ in seconds})
names = list(dict.fromkeys(n for _, n, _ in seconds))
print(f"{'unit':20}" + "".join(f"{c:>22}" for c in compilers))
for name in names:
    row = ""
    for c in compilers:
        best = min(seconds[(r, name, c)] for r in rounds)
        ratio = statistics.median(seconds[(r, name, c)] / seconds[(r, "baseline", c)] for r in rounds)
        row += f"{best:14.2f} s {ratio:5.2f}x"
    print(f"{name:20}{row}")
print(f"seconds: best of {len(rounds)} rounds; ratios: median of the rounds' ratios to the baseline")
PY
