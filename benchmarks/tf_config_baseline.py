#!/usr/bin/env python3
"""Python baseline for the TF_CONFIG benchmark: json.dumps of every task.

Builds the same parameter-server job as tf_config_bench.cpp (chief 1, one ps
per 16 tasks, the rest workers, 8 tasks per host on hosts node-0, node-1, ...
dealt round-robin, port 2222 + position on the host) and times rendering the
TF_CONFIG of every task with json.dumps(separators=(",", ":")), keeping the
strings in a list as trainspec::tf_configs() keeps them in a vector.

  tf_config_baseline.py TASKS [--profile tf2|kubeflow] [--repeat N] [--check FILE]

--check FILE compares the bytes of the sampled tasks that tf_config_bench
wrote (--samples_dir) with json.dumps before anything is timed, and exits
with status 1 on the first difference.

The last line printed is machine-readable:
  RESULT profile=P tasks=N best_ms=.. median_ms=.. bytes=.. repeat=.. faults=.. best_cpu_ms=..
(times: wall time, time.perf_counter; faults: the fewest page faults of one
rendering; best_cpu_ms: the shortest CPU time of one rendering,
time.process_time, less affected by other programs on a busy machine.)
"""

import argparse
import json
import resource
import statistics
import sys
import time

SLOTS_PER_HOST = 8
PORT = 2222
JOB_NAME = "tfbench"


def addresses(tasks, profile):
    """{type: [address by index]} in the placement of trainspec::plan()."""
    ps = tasks // 16
    workers = tasks - 1 - ps
    hosts = tasks // SLOTS_PER_HOST
    order = [("chief", 0)] + [("worker", i) for i in range(workers)] + [("ps", i) for i in range(ps)]
    out = {"chief": [], "worker": [], "ps": []}
    for k, (kind, index) in enumerate(order):
        if profile == "kubeflow":
            address = f"{JOB_NAME}-{kind}-{index}.default.svc:{PORT}"
        else:
            # Every host has the same slots and the tasks fill them exactly,
            # so round-robin placement is task k -> host k % hosts.
            address = f"node-{k % hosts}:{PORT + k // hosts}"
        out[kind].append(address)
    return out


def cluster_dict(tasks, profile):
    by_type = addresses(tasks, profile)
    # Jobs sorted by name, as trainspec (and TensorFlow) write them.
    return {kind: by_type[kind] for kind in sorted(by_type) if by_type[kind]}


def task_list(tasks):
    """(type, index) of every task, in trainspec's rank order (host by host)."""
    ps = tasks // 16
    workers = tasks - 1 - ps
    hosts = tasks // SLOTS_PER_HOST
    order = [("chief", 0)] + [("worker", i) for i in range(workers)] + [("ps", i) for i in range(ps)]
    return [order[k] for h in range(hosts) for k in range(h, tasks, hosts)]


def render_all(cluster, tasks_in_order, profile):
    dumps = json.dumps
    if profile == "tf2":
        return [
            dumps({"cluster": cluster, "task": {"type": t, "index": i}}, separators=(",", ":"))
            for t, i in tasks_in_order
        ]
    return [
        dumps({"cluster": cluster, "task": {"type": t, "index": i}, "environment": "cloud"}, separators=(",", ":"))
        for t, i in tasks_in_order
    ]


def page_faults():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_minflt + usage.ru_majflt


def check(cluster, profile, tasks, path):
    checked = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            kind, index, expected = line.rstrip("\n").split("\t", 2)
            got = render_all(cluster, [(kind, int(index))], profile)[0]
            if got != expected:
                at = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
                sys.exit(
                    f"VERIFY FAILED python {profile}/{tasks} task {kind}:{index}: json.dumps differs from "
                    f"trainspec at byte {at}\n  trainspec: ...{expected[max(0, at - 60):at + 60]}...\n"
                    f"  python:    ...{got[max(0, at - 60):at + 60]}..."
                )
            checked += 1
    if checked == 0:
        sys.exit(f"VERIFY FAILED: no sampled task in {path}")
    return checked


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tasks", type=int)
    parser.add_argument("--profile", choices=["tf2", "kubeflow"], default="tf2")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--check", metavar="FILE")
    args = parser.parse_args()

    cluster = cluster_dict(args.tasks, args.profile)
    order = task_list(args.tasks)
    assert len(order) == args.tasks
    if args.check:
        n = check(cluster, args.profile, args.tasks, args.check)
        print(f"verified python {args.profile}/{args.tasks}: {n} sampled tasks byte-identical (json.dumps == trainspec)")

    times = []
    cpu_times = []
    faults = []
    total = 0
    for _ in range(args.repeat):
        faults_before = page_faults()
        cpu_start = time.process_time()
        start = time.perf_counter()
        rendered = render_all(cluster, order, args.profile)
        elapsed = time.perf_counter() - start
        cpu_times.append(time.process_time() - cpu_start)
        faults.append(page_faults() - faults_before)
        times.append(elapsed)
        total = sum(len(s) for s in rendered)  # ASCII: characters == bytes
        del rendered
    best = min(times) * 1e3
    median = statistics.median(times) * 1e3
    print(
        f"python json.dumps {args.profile}/{args.tasks}: best {best:.1f} ms, median {median:.1f} ms "
        f"over {args.repeat} runs, {total / 1e6:.1f} MB"
    )
    print(
        f"RESULT profile={args.profile} tasks={args.tasks} best_ms={best:.3f} median_ms={median:.3f} "
        f"bytes={total} repeat={args.repeat} faults={min(faults)} best_cpu_ms={min(cpu_times) * 1e3:.3f}"
    )


if __name__ == "__main__":
    main()
