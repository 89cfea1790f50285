#!/usr/bin/env bash
# Compile time of a translation unit that uses trainspec, side by side with
# the baseline a user of nlohmann/json and {fmt} already pays, on g++ and
# clang++ at -O2, best of 3 (benchmarks/compile_time/):
#
#   baseline     includes nlohmann/json and fmt, dumps one object, formats one line
#   umbrella     #include <trainspec/trainspec.hpp> and nothing else
#   end_to_end   builder, plan, tf_configs, tfjob_manifest, sbatch_script,
#                mpirun_command, dump_spec
#
#   benchmarks/compile_time.sh [COMPILER...]     (default: g++ clang++)
#
# Prints seconds and the ratio to the baseline of the same compiler.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
compilers=("$@")
[[ ${#compilers[@]} -gt 0 ]] || compilers=(g++ clang++)
units=(baseline umbrella end_to_end)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

best_of_3() {
    local best=""
    for _ in 1 2 3; do
        local start end seconds
        start=$(date +%s.%N)
        "$@" >/dev/null
        end=$(date +%s.%N)
        seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
        if [[ -z $best ]] || awk -v s="$seconds" -v b="$best" 'BEGIN { exit !(s < b) }'; then best=$seconds; fi
    done
    echo "$best"
}

printf '%-12s' "unit"
for compiler in "${compilers[@]}"; do printf '%22s' "$compiler"; done
echo
declare -A seconds
for unit in "${units[@]}"; do
    for compiler in "${compilers[@]}"; do
        seconds[$unit,$compiler]=$(best_of_3 "$compiler" -std=c++17 -O2 -c -I "$root/include" \
            "$here/compile_time/$unit.cpp" -o "$work/$unit.o")
    done
done
for unit in "${units[@]}"; do
    printf '%-12s' "$unit"
    for compiler in "${compilers[@]}"; do
        s=${seconds[$unit,$compiler]}
        ratio=$(awk -v s="$s" -v b="${seconds[baseline,$compiler]}" 'BEGIN { printf "%.1f", s / b }')
        printf '%14.2f s %5sx' "$s" "$ratio"
    done
    echo
done
