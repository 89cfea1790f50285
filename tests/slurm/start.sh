#!/bin/sh
# Starts a Slurm with four nodes on this machine, for the tests:
#
#   tests/slurm/start.sh STATE_DIR
#
# munged (own socket, key and pid file under STATE_DIR/munge), slurmctld
# and slurmd node1..node4, all with STATE_DIR/slurm.conf (point SLURM_CONF at
# it). Every daemon writes its pid file under STATE_DIR; stop.sh STATE_DIR
# stops exactly those and removes STATE_DIR. STATE_DIR is created afresh,
# mode 0755, and must be an absolute path whose parents every user can enter
# (munged runs as the munge user). Exits 77 (skip) when not root or when the
# munge or Slurm programs are missing, 1 when the cluster does not come up.
set -eu

state=${1:?usage: start.sh STATE_DIR}
case $state in
    /*) ;;
    *)
        echo "slurm: STATE_DIR must be an absolute path: $state" >&2
        exit 1
        ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
# No state from an earlier run may outlive a skip.
"$here/stop.sh" "$state" >/dev/null 2>&1 || true

for program in munged munge unmunge slurmctld slurmd sbatch srun scontrol sinfo runuser; do
    if ! command -v "$program" >/dev/null 2>&1; then
        echo "slurm: $program not installed (tools/install-deps.sh test); skipping"
        exit 77
    fi
done
if [ "$(id -u)" -ne 0 ]; then
    echo "slurm: the local cluster needs root; skipping"
    exit 77
fi
if ! id munge >/dev/null 2>&1; then
    echo "slurm: no munge user; skipping"
    exit 77
fi

# stop.sh removed our own earlier state; anything else there is not ours to
# delete, and mkdir without -p refuses it.
mkdir -m 0755 "$state" || {
    echo "slurm: cannot create $state" >&2
    exit 1
}
: >"$state/.trainspec-slurm-state"
host=$(hostname -s)

fail() {
    echo "slurm: $1" >&2
    for log in "$state"/munge-key/munged.log "$state"/log/*.log; do
        [ -f "$log" ] || continue
        echo "---- $log" >&2
        tail -n 20 "$log" >&2
    done
    "$here/stop.sh" "$state" >&2 || true
    exit 1
}

# ---- munge: its own key, socket and pid file ----
# The socket's folder must be open to all, the key's private to munge.
mkdir -p "$state/munge" "$state/munge-key"
chmod 0755 "$state/munge"
chmod 0700 "$state/munge-key"
dd if=/dev/urandom of="$state/munge-key/munge.key" bs=1024 count=1 2>/dev/null
chmod 0400 "$state/munge-key/munge.key"
chown -R munge:munge "$state/munge" "$state/munge-key"
socket=$state/munge/munge.socket.2
runuser -u munge -- munged --socket="$socket" --key-file="$state/munge-key/munge.key" \
    --log-file="$state/munge-key/munged.log" --pid-file="$state/munge/munged.pid" \
    --seed-file="$state/munge-key/munged.seed" || fail "munged did not start"
if ! munge -S "$socket" -n | unmunge -S "$socket" >/dev/null; then
    fail "munge -n | unmunge failed"
fi

# ---- slurm.conf ----
mkdir -p "$state/log" "$state/ctld" "$state/run" "$state/dev"
# Per node: its spool and its TmpFS (Slurm's PMIx plugin makes its client
# directories there; four nodes sharing /tmp would collide).
for n in 1 2 3 4; do mkdir -p "$state/spool-node$n" "$state/tmp-node$n"; done
# Four GPUs a node, as Slurm's GRES sees them: stand-in character devices
# (each one /dev/null's device), so that srun grants GPUs and sets
# CUDA_VISIBLE_DEVICES; there are no device cgroups here.
for g in 0 1 2 3; do mknod -m 0666 "$state/dev/nvidia$g" c 1 3 || fail "cannot make the stand-in GPU devices"; done
cat >"$state/gres.conf" <<GRES
NodeName=node[1-4] Name=gpu File=$state/dev/nvidia[0-3]
GRES
cat >"$state/slurm.conf" <<CONF
ClusterName=trainspec-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
SlurmUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SlurmdParameters=config_overrides
StateSaveLocation=$state/ctld
SlurmctldPidFile=$state/run/slurmctld.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdPidFile=$state/run/slurmd-%n.pid
SlurmdSpoolDir=$state/spool-%n
SlurmdLogFile=$state/log/slurmd-%n.log
SchedulerType=sched/builtin
InactiveLimit=0
KillWait=5
TmpFS=$state/tmp-%n
MinJobAge=60
GresTypes=gpu
NodeName=node[1-4] NodeHostname=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=2000 Gres=gpu:4 Port=[17001-17004]
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE
CONF
export SLURM_CONF="$state/slurm.conf"

slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
for n in 1 2 3 4; do
    slurmd -f "$SLURM_CONF" -N "node$n" || fail "slurmd -N node$n did not start"
done

# ---- wait until the four nodes are idle ----
tries=0
while :; do
    idle=$(sinfo -h -N -t idle -o '%N' 2>/dev/null | sort -u | wc -l)
    [ "$idle" -eq 4 ] && break
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || fail "the nodes did not become idle: $(sinfo -N 2>&1 | tr '\n' ' ')"
    sleep 0.5
done
echo "slurm: node1..node4 idle on $host (SLURM_CONF=$SLURM_CONF)"
