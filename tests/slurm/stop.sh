#!/bin/sh
# Stops the daemons start.sh STATE_DIR started, by their pid files: TERM to
# all, then waits up to 10 s and KILLs what is left, and removes STATE_DIR
# (only a directory start.sh made: it holds its marker file). Exits 1 only
# when a daemon survives.
state=${1:?usage: stop.sh STATE_DIR}
[ -d "$state" ] || exit 0

pids=
for f in "$state"/run/slurmd-*.pid "$state/run/slurmctld.pid" "$state/munge/munged.pid"; do
    [ -f "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null || true)
    rm -f "$f"
    case $pid in '' | *[!0-9]*) continue ;; esac
    kill -TERM "$pid" 2>/dev/null && pids="$pids $pid"
done

tries=0
while [ -n "$pids" ]; do
    left=
    for pid in $pids; do
        kill -0 "$pid" 2>/dev/null && left="$left $pid"
    done
    pids=$left
    [ -n "$pids" ] || break
    tries=$((tries + 1))
    if [ "$tries" -eq 50 ]; then
        for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
    elif [ "$tries" -gt 60 ]; then
        echo "slurm: still running:$pids" >&2
        exit 1
    fi
    sleep 0.2
done
[ -f "$state/.trainspec-slurm-state" ] && rm -rf "$state"
exit 0
