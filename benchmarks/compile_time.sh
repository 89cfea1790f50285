#!/usr/bin/env bash
# Compile time of a translation unit that uses trainspec, side by side with
# the baseline a user of nlohmann/json and {fmt} already pays, on g++ and
# clang++ at -O2, best of 5 rounds (benchmarks/compile_time/):
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
# Prints seconds and the ratio to the baseline of the same compiler. The
# units are compiled in rounds, each round every unit once, and the best of
# the rounds is kept (TRAINSPEC_COMPILE_ROUNDS, default 5): a slow spell of a
# shared machine then slows one round of every unit instead of all the runs
# of one.
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

printf '%-20s' "unit"
for compiler in "${compilers[@]}"; do printf '%22s' "$compiler"; done
echo
declare -A seconds
for ((round = 0; round < ${TRAINSPEC_COMPILE_ROUNDS:-5}; ++round)); do
    for unit in "${units[@]}"; do
        IFS=: read -r name source flags <<<"$unit"
        for compiler in "${compilers[@]}"; do
            # shellcheck disable=SC2086
            s=$(seconds_of "$compiler" -std=c++17 -O2 -c -I "$root/include" $flags \
                "$here/compile_time/$source.cpp" -o "$work/$source.o")
            best=${seconds[$name,$compiler]:-}
            if [[ -z $best ]] || awk -v s="$s" -v b="$best" 'BEGIN { exit !(s < b) }'; then
                seconds[$name,$compiler]=$s
            fi
        done
    done
done
for unit in "${units[@]}"; do
    IFS=: read -r name _ _ <<<"$unit"
    printf '%-20s' "$name"
    for compiler in "${compilers[@]}"; do
        s=${seconds[$name,$compiler]}
        ratio=$(awk -v s="$s" -v b="${seconds[baseline,$compiler]}" 'BEGIN { printf "%.2f", s / b }')
        printf '%14.2f s %5sx' "$s" "$ratio"
    done
    echo
done
