#!/bin/sh
# Runs the line `trainspec-gen mpirun` prints, for real, through /bin/sh -c,
# with Open MPI's mpirun on this machine (hosts localhost:2), and checks that
# both ranks ran and received the script parameters and the job's variables
# exactly.
#
#   sh mpirun_real_launch.sh TRAINSPEC_GEN PROBE
#
# PROBE is tests/mpi's trainspec_mpi_probe, the spec's mpi.command_prefix:
# it writes what each rank received to $TRAINSPEC_PROBE_OUT/rank-R.json.
# The printed line calls `mpirun`; a directory put first on PATH makes that
# name Open MPI's mpirun.openmpi (Debian's mpirun may be MPICH's).
# Exit status 77 (skipped) when mpirun.openmpi is not installed.

set -u

gen=$1
probe=$2

openmpi=$(command -v mpirun.openmpi) || {
    echo "SKIPPED: mpirun.openmpi is not installed (tools/install-deps.sh test installs openmpi-bin)"
    exit 77
}

work=$(mktemp -d "${TMPDIR:-/tmp}/trainspec-cli-mpirun-XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/ranks" "$work/tmp" || exit 1
ln -s "$openmpi" "$work/bin/mpirun" || exit 1

case "$probe$work" in
*'"'* | *'\'*)
    echo "the paths must not hold a double quote or a backslash: $probe, $work"
    exit 1
    ;;
esac

# Parameters and values that only survive exact quoting; RUN_NOTE holds a
# quote, so Open MPI must export it by name from the launcher's environment,
# which the line sets in front of mpirun.
cat >"$work/spec.json" <<EOF
{
  "apiVersion": "trainspec/v1",
  "name": "probe",
  "source_directory": ".",
  "entry_script": "train.py",
  "script_params": [
    ["--name", "two words"],
    ["--quote", "it's \"q\""],
    ["--dollar", "\$HOME \`id\` \$(id); echo no"],
    ["--lr", 0.01],
    ["--verbose", null]
  ],
  "compute_target": "local",
  "node_count": 1,
  "process_count_per_node": 2,
  "distributed_backend": "mpi",
  "environment_variables": {
    "TRAINSPEC_PROBE_OUT": "$work/ranks",
    "TRAINSPEC_PROBE_ENV": "RUN_NOTE,PLAIN",
    "RUN_NOTE": "it's a \"note\"",
    "PLAIN": "plain"
  },
  "mpi": {
    "command_prefix": ["$probe"],
    "trusted_launcher_settings": true
  }
}
EOF

line=$("$gen" mpirun "$work/spec.json" --hosts localhost:2 --flavor openmpi --allow-run-as-root flag) || {
    echo "trainspec-gen mpirun failed"
    exit 1
}
echo "line: $line"
case "$line" in
"RUN_NOTE='it'\\''s a \"note\"' mpirun --allow-run-as-root --tag-output -np 2 -H localhost:2 "*) ;;
*)
    echo "unexpected start of the line"
    exit 1
    ;;
esac

# As tests/mpi/launch_test.cpp runs Open MPI here: PMIx's hash data store
# and no hwloc topology in shared memory (some sandboxes refuse the fixed
# addresses), a temporary directory of its own, and no root permission
# other than the line's own --allow-run-as-root.
unset OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM
PATH="$work/bin:$PATH" PMIX_MCA_gds=hash OMPI_MCA_rtc_hwloc_vmhole=none TMPDIR="$work/tmp" \
    /bin/sh -c "$line" >"$work/stdout" 2>"$work/stderr" </dev/null
status=$?
if [ "$status" -ne 0 ]; then
    echo "the launch failed with exit status $status"
    echo "--- stdout"
    cat "$work/stdout"
    echo "--- stderr"
    cat "$work/stderr"
    exit 1
fi

# What each rank must report, exactly (the probe's JSON keys are sorted).
argv='["'"$probe"'","train.py","--name","two words","--quote","it'"'"'s \"q\"","--dollar","$HOME `id` $(id); echo no","--lr","0.01","--verbose"]'
env='{"PLAIN":"plain","RUN_NOTE":"it'"'"'s a \"note\""}'
failed=0
count=$(ls "$work/ranks" | grep -c '^rank-.*\.json$')
if [ "$count" -ne 2 ]; then
    echo "$count rank reports, expected 2: $(ls "$work/ranks")"
    failed=1
fi
for rank in 0 1; do
    expected='{"argv":'"$argv"',"env":'"$env"',"local_rank":'"$rank"',"local_size":2,"rank":'"$rank"',"runtime":"openmpi","size":2}'
    report="$work/ranks/rank-$rank.json"
    if [ ! -f "$report" ]; then
        echo "rank $rank did not report"
        failed=1
    elif [ "$(cat "$report")" != "$expected" ]; then
        echo "rank $rank reported"
        cat "$report"
        echo "expected"
        echo "$expected"
        failed=1
    fi
done
if [ "$failed" -ne 0 ]; then
    echo "--- stderr of the launch"
    cat "$work/stderr"
    exit 1
fi
echo "2 ranks ran and received the script parameters and variables exactly"
