#!/bin/sh
# Started by the Slurm test on every task instead of `python train.py`: writes
# what Slurm and the script gave the task to $TRAINSPEC_PROBE_OUT/task-<procid>,
# one `key=value` line each (values never hold a newline here).
set -eu
out=${TRAINSPEC_PROBE_OUT:?}/task-${SLURM_PROCID:?}
{
    printf 'procid=%s\n' "$SLURM_PROCID"
    printf 'nodeid=%s\n' "${SLURM_NODEID-}"
    printf 'localid=%s\n' "${SLURM_LOCALID-}"
    printf 'nodename=%s\n' "${SLURMD_NODENAME-}"
    printf 'nodelist=%s\n' "${SLURM_JOB_NODELIST-}"
    printf 'tf_config=%s\n' "${TF_CONFIG-}"
    for arg; do printf 'arg=%s\n' "$arg"; done
} >"$out.tmp"
mv "$out.tmp" "$out"
