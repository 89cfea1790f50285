#!/bin/sh
# Started by the Slurm test on every task instead of `python train.py`: writes
# what Slurm and the script gave the task to $TRAINSPEC_PROBE_OUT/task-<procid>,
# one `key=value` line each (values never hold a newline here).
#
# With TRAINSPEC_PROBE_ROLE:
#   wait-for=N   exit once N reports exist (no task ends the step before
#                every task has reported);
#   standin      a stand-in of training: a parameter server never exits (as
#                TensorFlow's server.join()), every other task exits 0 once the
#                parameter servers have started.
set -eu
dir=${TRAINSPEC_PROBE_OUT:?}
out=$dir/task-${SLURM_PROCID:?}
{
    printf 'procid=%s\n' "$SLURM_PROCID"
    printf 'nodeid=%s\n' "${SLURM_NODEID-}"
    printf 'localid=%s\n' "${SLURM_LOCALID-}"
    printf 'nodename=%s\n' "${SLURMD_NODENAME-}"
    printf 'nodelist=%s\n' "${SLURM_JOB_NODELIST-}"
    printf 'tf_config=%s\n' "${TF_CONFIG-}"
    printf 'pwd=%s\n' "$PWD"
    printf 'cpus_per_task=%s\n' "${SLURM_CPUS_PER_TASK-}"
    printf 'cuda_visible_devices=%s\n' "${CUDA_VISIBLE_DEVICES-<unset>}"
    printf 'conda_env=%s\n' "${CONDA_DEFAULT_ENV-<unset>}"
    for arg; do printf 'arg=%s\n' "$arg"; done
} >"$out.tmp"
mv "$out.tmp" "$out"

waited=0
case ${TRAINSPEC_PROBE_ROLE:-} in
    wait-for=*)
        want=${TRAINSPEC_PROBE_ROLE#wait-for=}
        while [ "$(ls "$dir" | grep -c '^task-[0-9]*$')" -lt "$want" ]; do
            waited=$((waited + 1))
            [ "$waited" -lt 600 ] || exit 3
            sleep 0.1
        done
        ;;
    standin)
        case ${TF_CONFIG-} in
            *'"task":{"type":"ps"'*)
                : >"$dir/ps-started-$SLURM_PROCID"
                while :; do sleep 1; done
                ;;
        esac
        while ! ls "$dir" | grep -q '^ps-started-'; do
            waited=$((waited + 1))
            [ "$waited" -lt 600 ] || exit 3
            sleep 0.1
        done
        ;;
esac
exit 0
