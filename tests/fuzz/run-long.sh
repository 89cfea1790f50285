#!/usr/bin/env bash
# Runs the libFuzzer targets for a while and reports what each did.
#
#   tests/fuzz/run-long.sh [--time SECONDS] [--runs N] [--jobs N] [--build DIR] [--out DIR] [--merge] [TARGET...]
#
#   --time SECONDS  how long each target runs (default 600, none with --runs)
#   --runs N        stop each target after N executions (whichever of the two
#                   comes first)
#   --jobs N        how many targets run at the same time (default 1)
#   --build DIR     the build directory configured with -DTRAINSPEC_FUZZ=ON,
#                   targets built (default: build-fuzz in the repository)
#   --out DIR       where each target's scratch corpus, log and crash files
#                   go (default: a new directory under $TMPDIR, removed at the
#                   end unless something crashed)
#   --merge         afterwards, minimise what the runs found into the
#                   checked-in corpus (tests/fuzz/corpus/TARGET/); without it
#                   nothing is written into the repository
#   TARGET...       the targets to run (default: every target of the build)
#
# Each target starts from its checked-in corpus with its dictionary, its
# -max_len and its options (tests/fuzz/CMakeLists.txt); new inputs go to
# the scratch corpus.
# Per target it prints the executions, exec/s (wall clock, as libFuzzer
# counts), the CPU seconds the target used and the executions per CPU
# second (what a loaded machine does not change), libFuzzer's cov:, ft: and
# corp: (the corpus in memory, seeds included) at the end, the new corpus
# entries and any crash file. Exits 1 when a target
# crashed, hung, ran out of memory or a sanitizer reported an error; 2 for
# bad usage or a missing build.
set -euo pipefail

usage() {
    sed -n '4p' "$0" | sed 's/^# *//' >&2
    exit 2
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=""
max_runs=0
jobs=1
build="$repo/build-fuzz"
out=""
merge=false
selected=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --time | --runs | --jobs | --build | --out)
            if [[ $# -lt 2 ]]; then echo "run-long.sh: $1 needs a value" >&2; usage; fi
            case $1 in
                --time) seconds=$2 ;;
                --runs) max_runs=$2 ;;
                --jobs) jobs=$2 ;;
                --build) build=$2 ;;
                --out) out=$2 ;;
            esac
            shift 2
            ;;
        --merge) merge=true; shift ;;
        -h | --help) usage ;;
        -*) echo "run-long.sh: unknown option '$1'" >&2; usage ;;
        *) selected+=("$1"); shift ;;
    esac
done
if [[ -z $seconds ]]; then
    if [[ $max_runs == 0 ]]; then seconds=600; else seconds=0; fi
fi
if ! [[ $seconds =~ ^[0-9]+$ && $max_runs =~ ^[0-9]+$ && $jobs =~ ^[1-9][0-9]*$ ]] || [[ $seconds == 0 && $max_runs == 0 ]]; then
    echo "run-long.sh: --time, --runs and --jobs take a whole number above 0" >&2
    exit 2
fi

manifest="$build/tests/fuzz/fuzz-targets.tsv"
if [[ ! -f $manifest ]]; then
    echo "run-long.sh: no $manifest; configure $build with -DTRAINSPEC_FUZZ=ON and clang++, then build the targets" >&2
    exit 2
fi
declare -A max_len executable dictionary corpus options
targets=()
while IFS=$'\t' read -r name len exe dict dir target_options; do
    targets+=("$name")
    max_len[$name]=$len
    executable[$name]=$exe
    dictionary[$name]=$dict
    corpus[$name]=$dir
    options[$name]=$target_options
done <"$manifest"
if [[ ${#selected[@]} -eq 0 ]]; then selected=("${targets[@]}"); fi
for name in "${selected[@]}"; do
    if [[ -z ${executable[$name]+set} ]]; then
        echo "run-long.sh: no fuzz target '$name' (targets: ${targets[*]})" >&2
        exit 2
    fi
    if [[ ! -x ${executable[$name]} ]]; then
        echo "run-long.sh: ${executable[$name]} is not built (cmake --build $build --target $name)" >&2
        exit 2
    fi
done

if [[ -z $out ]]; then
    out=$(mktemp -d "${TMPDIR:-/tmp}/trainspec-fuzz-XXXXXX")
    remove_out=true
else
    mkdir -p "$out"
    remove_out=false
fi

# One target: from its checked-in corpus into $out/NAME/corpus, crash files
# in $out/NAME/, the log in $out/NAME/log.
run_target() {
    local name=$1 dir="$out/$1"
    rm -rf "$dir"
    mkdir -p "$dir/corpus"
    local TIMEFORMAT='%U %S' status=0 target_options runs=-1
    read -ra target_options <<<"${options[$name]}"
    if [[ $max_runs != 0 ]]; then runs=$max_runs; fi
    {
        time "${executable[$name]}" "${target_options[@]}" -max_total_time="$seconds" -runs="$runs" \
            -max_len="${max_len[$name]}" -dict="${dictionary[$name]}" -timeout=10 -print_final_stats=1 \
            -artifact_prefix="$dir/" "$dir/corpus" "${corpus[$name]}" >"$dir/log" 2>&1 </dev/null || status=$?
    } 2>"$dir/cpu"
    echo "$status" >"$dir/status"
}

limit="${seconds}s"
if [[ $max_runs != 0 ]]; then
    limit="$max_runs executions"
    if [[ $seconds != 0 ]]; then limit="${seconds}s or $limit"; fi
fi
echo "run-long.sh: ${#selected[@]} target(s), $limit each, $jobs at a time, in $out"
running=0
for name in "${selected[@]}"; do
    if [[ $running -ge $jobs ]]; then
        wait -n || true
        running=$((running - 1))
    fi
    echo "run-long.sh: $name started"
    run_target "$name" &
    running=$((running + 1))
done
wait

# The last value libFuzzer's -print_final_stats=1 gave for stat::$2 in log $1.
final_stat() { sed -n "s/^stat::$2: *//p" "$1" | tail -n 1; }

failed=false
printf '%-22s %12s %8s %8s %10s %7s %8s %7s %6s %s\n' target executions exec/s cpu-s exec/cpu-s cov ft corpus new \
    crash
for name in "${selected[@]}"; do
    dir="$out/$name"
    log="$dir/log"
    status=$(cat "$dir/status")
    runs=$(final_stat "$log" number_of_executed_units)
    speed=$(final_stat "$log" average_exec_per_sec)
    last=$(grep -E '^#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 || true)
    cov=$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$last")
    ft=$(sed -nE 's/.*ft: ([0-9]+).*/\1/p' <<<"$last")
    size=$(sed -nE 's/.*corp: ([0-9]+).*/\1/p' <<<"$last")
    new=$(find "$dir/corpus" -type f | wc -l)
    read -r user system <"$dir/cpu" || true
    cpu=$(awk -v u="${user:-0}" -v s="${system:-0}" 'BEGIN { printf "%.0f", u + s }')
    per_cpu=$(awk -v r="${runs:-0}" -v u="${user:-0}" -v s="${system:-0}" \
        'BEGIN { if (u + s > 0) printf "%.0f", r / (u + s); else print "-" }')
    crashes=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' -o -name 'slow-unit-*' \) | sort | tr '\n' ' ')
    printf '%-22s %12s %8s %8s %10s %7s %8s %7s %6s %s\n' "$name" "${runs:--}" "${speed:--}" "$cpu" "$per_cpu" \
        "${cov:--}" "${ft:--}" "${size:--}" "$new" "${crashes:--}"
    if [[ $status -ne 0 || -n $crashes || -z $runs ]] ||
        grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:' "$log"; then
        failed=true
        echo "run-long.sh: $name failed (exit status $status); the end of $log:" >&2
        { grep -vE '^#[0-9]+ +(NEW|REDUCE|pulse)' "$log" || true; } | tail -n 30 >&2
        if [[ -n $crashes ]]; then echo "run-long.sh: reproduce with: ${executable[$name]} ${crashes%% *}" >&2; fi
    fi
done

if $merge; then
    for name in "${selected[@]}"; do
        before=$(find "${corpus[$name]}" -type f | wc -l)
        "${executable[$name]}" -merge=1 -max_len="${max_len[$name]}" -artifact_prefix="$out/$name/" \
            "${corpus[$name]}" "$out/$name/corpus" >"$out/$name/merge.log" 2>&1 </dev/null
        after=$(find "${corpus[$name]}" -type f | wc -l)
        echo "run-long.sh: $name: $((after - before)) new corpus file(s) merged into ${corpus[$name]}"
    done
fi

if $failed; then
    echo "run-long.sh: crash files and logs kept in $out" >&2
    exit 1
fi
if $remove_out; then rm -rf "$out"; fi
