"""trainspec-gen's writes under the kernel's own failure paths
(docs/cli.md, "How generate writes" and "Standard output").

usage: write_faults.py CASE TRAINSPEC_GEN SOURCE_DIR WORK

CASE is one of:
  file-size-limit      ulimit -f: EFBIG (SIGXFSZ ignored), of a file and of standard output
  read-only            a read-only bind mount in a private mount namespace: EROFS
  no-space             a tiny tmpfs (blocks, then inodes) in a private mount namespace: ENOSPC
  injected             strace's fault injection at every step of the write sequence
  vanishing-directory  the directory removed, or moved, while the run is stopped mid-way
  killed               SIGKILL at every syscall of a large generate's writes and at seeded
                       times while it writes; each time the next run cleans up
  stale-temporaries    which temporary files of earlier runs the next run removes
  standard-output      every verb's output to /dev/full, to a closed pipe, to a closed descriptor
  unreadable-target    an earlier file that cannot be read: bad input, or with --force replaced;
                       one the system fails to read (EIO), and a spec so: exit 1

After every failure: exit status 1, one line on standard error naming the file
and the system's reason (the C library's strerror text, read here through
os.strerror), every target the earlier run's file or the new one, whole, and
no temporary file. What the files hold is checked by the generate round-trip
tests; here the earlier and the new contents come from fault-free runs.

Runs as root (CI does): unshare -m and mount need it, and the kernel then
ignores permissions, so read-only mounts and injected errors stand in for them.
"""

import errno
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

STRACE = os.environ.get("TRAINSPEC_STRACE", "strace")
PROGRAM = ""
SOURCE = ""  # the repository
WORK = ""
failures = []


def reason(number):
    """The C library's text for errno `number`, as trainspec-gen prints it."""
    return os.strerror(number)


def fail(message):
    failures.append(message)
    print("FAIL: " + message, file=sys.stderr)


def run(args, cwd=None, stdout=subprocess.PIPE, env=None):
    return subprocess.run(args, cwd=cwd or WORK, stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=120)


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def strace_env():
    # LeakSanitizer cannot run under ptrace; the runs without strace check leaks.
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
    return env


class Job:
    """A generate command line with an earlier and a new version of its
    files. The files reach the source directory by a path relative to the
    output directory, so each version is made, fault-free, in the very
    directory a test then uses (versions()); `order` is the order generate
    writes the new files in, `changed` those the new version changes."""

    def __init__(self, name, old_args, new_args):
        self.name = name
        self.old_args = old_args
        self.new_args = new_args
        self._versions = {}
        self._modes = {}
        old, new = self.versions(os.path.join(WORK, "reference-" + name))
        self.changed = [n for n in self.order if old.get(n) != new[n]]

    def _generate(self, args, out):
        shutil.rmtree(out, ignore_errors=True)
        result = run([PROGRAM, "generate"] + args + ["--out", out])
        if result.returncode != 0:
            raise SystemExit("fault-free run failed: " + result.stderr.decode())
        files = {name: read(os.path.join(out, name)) for name in os.listdir(out)}
        self._modes.update({name: os.stat(os.path.join(out, name)).st_mode & 0o7777 for name in files})
        shutil.rmtree(out)
        return files, [line.split()[0] for line in result.stdout.decode().splitlines()[1:]]

    def versions(self, out):
        """(old, new): each file's content, by name, as written into `out`.
        The first call for a directory makes them there: call it before the
        directory is set up."""
        if out not in self._versions:
            old, _ = self._generate(self.old_args, out)
            new, self.order = self._generate(self.new_args, out)
            self._versions[out] = (old, new)
        return self._versions[out]

    def made(self, out):
        return out in self._versions

    def new_command(self, out):
        return [PROGRAM, "generate"] + self.new_args + ["--out", out, "--force"]

    def populate(self, out, into=None):
        """`out` (or `into`) holding the files of an earlier run into `out`,
        as that run left them."""
        old, _ = self.versions(out)
        into = fresh(into or out)
        for name, content in old.items():
            with open(os.path.join(into, name), "wb") as f:
                f.write(content)
            os.chmod(os.path.join(into, name), self._modes[name])


def read(path):
    with open(path, "rb") as f:
        return f.read()


TEMPORARY = re.compile(r"^\.(.+)\.tmp-([0-9]+)$")


def temporaries(out):
    if not os.path.isdir(out):
        return []
    return sorted(n for n in os.listdir(out) if TEMPORARY.match(n))


def check_files(what, out, job, expected, killed=False, written_as=None, earlier=True):
    """Every target of `job` in `out` is whole: expected[name] is "old"
    (as before the run: the earlier run's file, or none without `earlier`),
    "new" or "either". No temporary file, or with `killed` only those of
    one run (whose content is the start of the new file). `written_as`:
    the directory the files were written as, when they have been copied or
    moved since."""
    if not job.made(written_as or out):
        raise SystemExit(f"{what}: no versions made for {written_as or out}")
    old_files, new_files = job.versions(written_as or out)
    if not earlier:
        old_files = {}
    for name in job.order:
        path = os.path.join(out, name)
        have = read(path) if os.path.lexists(path) else None
        old, new = old_files.get(name), new_files[name]
        allowed = {"old": [old], "new": [new], "either": [old, new]}[expected.get(name, "either")]
        if have not in allowed:
            state = "missing" if have is None else "old" if have == old else "new" if have == new else "partial"
            fail(f"{what}: {name} is {state}, expected {expected.get(name, 'either')}")
    left = temporaries(out)
    if not killed:
        if left:
            fail(f"{what}: temporary files left: {left}")
        return
    pids = {TEMPORARY.match(n).group(2) for n in left}
    if len(pids) > 1:
        fail(f"{what}: temporary files of several runs: {left}")
    for n in left:
        target = TEMPORARY.match(n).group(1)
        if target not in new_files or not new_files[target].startswith(read(os.path.join(out, n))):
            fail(f"{what}: {n} is not the start of the new {target}")


def check_error(what, result, pattern):
    """Exit status 1 and one line on stderr matching `pattern`, after the
    notes of generate's skipped files if any."""
    err = result.stderr.decode(errors="replace")
    if result.returncode != 1:
        fail(f"{what}: exit {result.returncode}, expected 1: {err!r}")
    if not re.fullmatch("(trainspec-gen: note: skipped [^\n]*\n)*trainspec-gen: " + pattern + "\n", err):
        fail(f"{what}: stderr {err!r} does not match {pattern!r}")


def state(job, new_names):
    return {n: ("new" if n in new_names else "old") for n in job.order}


def seed_spec(name):
    return os.path.join(SOURCE, "examples", "specs", name)


def ps_job():
    """The ps seed, and the same job with a third worker and other script
    parameters: four files change, four stay (left unchanged)."""
    seed = read(seed_spec("tf-ps-mnist.json")).decode()
    changed = seed.replace('"worker_count": 2', '"worker_count": 3').replace('"node_count": 2', '"node_count": 3')
    changed = changed.replace('"--train_steps": 500', '"--train_steps": 800')
    with open(os.path.join(WORK, "old.json"), "w") as f:
        f.write(seed)
    with open(os.path.join(WORK, "new.json"), "w") as f:
        f.write(changed)
    return Job("ps", ["old.json"], ["new.json"])


def large_job():
    """An mpi job of 64 nodes x 8 processes on named hosts (plan.json of
    about 80 KB), and the same job with other data on other hosts."""
    seed = read(seed_spec("tf-horovod-word2vec.json")).decode()
    spec = seed.replace('"node_count": 2', '"node_count": 64').replace(
        '"process_count_per_node": 1', '"process_count_per_node": 8')
    for prefix in ("old", "new"):
        with open(os.path.join(WORK, f"large-{prefix}.json"), "w") as f:
            f.write(spec.replace("/data/text8", f"/data/{prefix}"))
        with open(os.path.join(WORK, f"{prefix}-hosts.txt"), "w") as f:
            f.writelines(f"{prefix}-node-{i} slots=8\n" for i in range(64))
    return Job("large", ["large-old.json", "--hosts", "@old-hosts.txt"],
               ["large-new.json", "--hosts", "@new-hosts.txt"])


# ---- ulimit -f: EFBIG ----

def file_size_limit():
    job = ps_job()
    limits = run(["sh", "-c", "ulimit -f 1; exec cat /proc/self/limits"]).stdout.decode()
    block = int(re.search(r"^Max file size\s+([0-9]+)", limits, re.M).group(1))  # bytes in one ulimit -f unit

    def limited(blocks, args, stdout=subprocess.PIPE):
        return run(["sh", "-c", f'ulimit -f {blocks}; exec "$@"', "sh"] + args, stdout=stdout)

    # The first file over the limit fails; the directory the run created goes too.
    out = os.path.join(WORK, "out2")
    _, new = job.versions(out)
    result = limited(1, [PROGRAM, "generate"] + job.new_args + ["--out", out])
    first = next(n for n in job.order if len(new[n]) > block)
    check_error("ulimit -f 1", result, rf"cannot write '{re.escape(out)}/\.{re.escape(first)}\.tmp-[0-9]+', "
                rf"the new {re.escape(first)}: {reason(errno.EFBIG)}; no file was replaced")
    if os.path.exists(out):
        fail(f"ulimit -f 1: {out} left behind: {os.listdir(out)}")

    # Over an earlier run's files: the first changed file fits, a later one does not.
    out = os.path.join(WORK, "kept")
    _, new = job.versions(out)
    blocks = -(-len(new[job.changed[0]]) // block)
    over = [n for n in job.changed if len(new[n]) > blocks * block]
    if not over:
        raise SystemExit("no changed file is larger than the first one")
    job.populate(out)
    result = limited(blocks, job.new_command(out))
    check_error(f"ulimit -f {blocks}", result, rf"cannot write '{re.escape(out)}/\.{re.escape(over[0])}\.tmp-[0-9]+', "
                rf"the new {re.escape(over[0])}: {reason(errno.EFBIG)}; no file was replaced")
    check_files(f"ulimit -f {blocks}", out, job, state(job, []))

    # Standard output redirected to a file.
    with open(os.path.join(WORK, "render.out"), "wb") as f:
        result = limited(1, [PROGRAM, "render", "new.json", "--target", "tfjob"], stdout=f)
    check_error("render > file under ulimit -f 1", result, f"cannot write to standard output: {reason(errno.EFBIG)}")


# ---- private mount namespaces ----

def in_namespace(script, args):
    """Runs `script` (sh) in a private mount namespace: its mounts vanish
    with it."""
    return run(["unshare", "-m", "sh", "-c", script, "sh"] + args)


READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" || exit 90; shift; exec "$@"'


def read_only():
    job = ps_job()
    out = os.path.join(WORK, "ro")
    job.populate(out)
    result = in_namespace(READ_ONLY, [out] + job.new_command(out))
    first = re.escape(job.changed[0])
    check_error("read-only", result, rf"cannot create '{re.escape(out)}/\.{first}\.tmp-[0-9]+', "
                rf"the new {first}: {reason(errno.EROFS)}; no file was replaced")
    check_files("read-only", out, job, state(job, []))

    sub = os.path.join(out, "sub", "dir")
    result = in_namespace(READ_ONLY, [out] + job.new_command(sub))
    check_error("read-only, a missing directory", result,
                f"cannot create the directory '{re.escape(os.path.join(out, 'sub'))}': {reason(errno.EROFS)}")

    # Nothing to change: a read-only directory is no obstacle.
    result = in_namespace(READ_ONLY, [out, PROGRAM, "generate"] + job.old_args + ["--out", out])
    table = result.stdout.decode().splitlines()[1:]
    if result.returncode != 0 or not table or not all(line.endswith("  unchanged") for line in table):
        fail(f"read-only, nothing changed: exit {result.returncode}: {result.stdout.decode()}{result.stderr.decode()}")


# A tmpfs of $2 bytes and $3 inodes at $1, holding the files of the directory
# $4 (when not empty); the command runs, then the tmpfs is copied to $5.
TMPFS = '''mount -t tmpfs -o "size=$2,nr_inodes=$3,mode=0755" trainspec-faults "$1" || exit 90
if [ -n "$4" ]; then cp -p "$4"/* "$1"/ || exit 91; fi
mount=$1 after=$5
shift 5
"$@"
status=$?
cp -a "$mount"/. "$after"/ || exit 92
exit $status'''


def no_space():
    job = ps_job()
    page = os.sysconf("SC_PAGE_SIZE")
    mount = os.path.join(WORK, "mnt")
    old, new = job.versions(mount)
    fresh(mount)
    earlier = os.path.join(WORK, "earlier")
    job.populate(mount, into=earlier)
    pages = sum(-(-len(content) // page) for content in old.values())
    o = re.escape(mount)
    changed = "|".join(re.escape(n) for n in job.changed)

    def tmpfs(size, inodes, out, after):
        return run(["unshare", "-m", "sh", "-c", TMPFS, "sh", mount, str(size), str(inodes), earlier,
                    fresh(after)] + job.new_command(out))

    # Blocks: the earlier files and three pages more; the new files need more.
    if sum(-(-len(new[n]) // page) for n in job.changed) <= 3:
        raise SystemExit("the new files fit in three pages")
    after = os.path.join(WORK, "after-blocks")
    result = tmpfs((pages + 3) * page, 1000, mount, after)
    check_error("tmpfs out of blocks", result, rf"cannot write '{o}/\.({changed})\.tmp-[0-9]+', "
                rf"the new ({changed}): {reason(errno.ENOSPC)}; no file was replaced")
    check_files("tmpfs out of blocks", after, job, state(job, []), written_as=mount)

    # Inodes: the root's, the earlier files' and two more; the third new file has none.
    after = os.path.join(WORK, "after-inodes")
    result = tmpfs("1m", 1 + len(old) + 2, mount, after)
    third = re.escape(job.changed[2])
    check_error("tmpfs out of inodes", result, rf"cannot create '{o}/\.{third}\.tmp-[0-9]+', "
                rf"the new {third}: {reason(errno.ENOSPC)}; no file was replaced")
    check_files("tmpfs out of inodes", after, job, state(job, []), written_as=mount)

    # No inode for a new directory.
    after = os.path.join(WORK, "after-directory")
    result = tmpfs("1m", 1 + len(old), os.path.join(mount, "new"), after)
    check_error("tmpfs, no inode for the directory", result,
                rf"cannot create the directory '{o}/new': {reason(errno.ENOSPC)}")
    check_files("tmpfs, no inode for the directory", after, job, state(job, []), written_as=mount)
    if os.path.exists(os.path.join(after, "new")):
        fail("tmpfs, no inode for the directory: the directory exists")


# ---- strace: every step of the write sequence ----

# The errors each step may meet, used in turn from one step to the next.
ERRORS = {
    "mkdir": [errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EACCES],
    "open-dir": [errno.EACCES, errno.ENOENT],
    "create": [errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES],
    "write": [errno.EIO, errno.ENOSPC, errno.EDQUOT, errno.EFBIG],
    "flush": [errno.EIO, errno.ENOSPC, errno.EDQUOT],
    "close": [errno.EIO, errno.EDQUOT, errno.ENOSPC],
    "rename": [errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EACCES],
    "flush-dir": [errno.EIO],
    "open-parent": [errno.EACCES],
    "flush-parent": [errno.EIO],
    "stdout": [errno.EIO, errno.ENOSPC],
}
WRITE_SYSCALLS = "mkdir,mkdirat,openat,write,fsync,close,rename,renameat,renameat2,unlinkat,getdents64"
LINE = re.compile(r"^(?:[0-9]+ +)?(\w+)\((.*)\) += (-?[0-9]+|\?)(.*)$")


def trace(command, syscalls=WRITE_SYSCALLS):
    """The syscalls of a fault-free run (by default the write side's):
    (name, invocation number of that syscall, arguments) each."""
    log = os.path.join(WORK, "trace.txt")
    result = run([STRACE, "-f", "--seccomp-bpf", "-y", "-qq", "-e", "trace=" + syscalls, "-o", log] + command,
                 env=strace_env())
    if result.returncode != 0:
        raise SystemExit("traced run failed: " + result.stderr.decode())
    calls, counts = [], {}
    for line in open(log):
        m = LINE.match(line)
        if not m:
            continue
        name = m.group(1)
        counts[name] = counts.get(name, 0) + 1
        calls.append((name, counts[name], m.group(2)))
    return calls


def steps(calls, out):
    """The steps of the write sequence into `out` in `calls`: (kind, syscall,
    invocation, detail), detail the file's name or the directory's path."""
    found, renamed = [], False
    tmp = re.compile(re.escape(out) + r"/\.(.+)\.tmp-[0-9]+>")
    for name, n, args in calls:
        quoted = re.findall(r'"([^"]*)"', args)
        temp = tmp.search(args)
        kind, detail = None, None
        if name in ("mkdir", "mkdirat"):
            kind, detail = "mkdir", quoted[0]
        elif name == "openat" and "O_CREAT" in args and TEMPORARY.match(quoted[0]):
            kind, detail = "create", TEMPORARY.match(quoted[0]).group(1)
        elif name == "openat" and "O_DIRECTORY" in args and quoted[0] != ".":
            kind, detail = ("open-parent" if renamed else "open-dir"), quoted[0]
        elif name == "write" and args.startswith("1<"):
            kind = "stdout"
        elif name in ("write", "fsync", "close") and temp:
            kind, detail = {"write": "write", "fsync": "flush", "close": "close"}[name], temp.group(1)
        elif name == "fsync" and renamed:
            path = re.match(r"[0-9]+<(.*)>$", args).group(1)
            kind, detail = ("flush-dir" if path == out else "flush-parent"), path
        elif name.startswith("rename"):
            renamed = True
            kind, detail = "rename", quoted[1]
        if kind:
            found.append((kind, name, n, detail))
    return found


def expect_after(job, kind, detail, renames):
    """What a failure at this step leaves: the state of the targets, and
    whether the directories the run created are gone."""
    if kind in ("mkdir", "open-dir", "create", "write", "flush", "close"):
        return state(job, []), True
    if kind == "rename":
        done = renames[:renames.index(detail)]
        return state(job, done), not done
    return state(job, job.order), False


def message(kind, detail, out, renames, why):
    o = re.escape(out)
    if kind == "mkdir":
        return f"cannot create the directory '{re.escape(detail)}': {why}"
    if kind == "open-dir":
        return f"cannot open the directory '{re.escape(detail)}': {why}"
    if kind in ("create", "write", "flush", "close"):
        d = re.escape(detail)
        return rf"cannot {kind} '{o}/\.{d}\.tmp-[0-9]+', the new {d}: {why}; no file was replaced"
    if kind == "rename":
        done = renames[:renames.index(detail)]
        d = re.escape(detail)
        state_text = ("no file was replaced" if not done else
                      "already replaced: " + re.escape(", ".join(done)) + "; the other files are as they were")
        return rf"cannot rename '{o}/\.{d}\.tmp-[0-9]+' to '{o}/{d}': {why}; {state_text}"
    if kind in ("flush-dir", "open-parent", "flush-parent"):
        return (f"cannot flush the directory '{re.escape(detail)}': {why}; "
                "every file was renamed into place, but a system crash may undo that")
    return f"cannot write to standard output: {why}"


def inject_all(job, label, prepare, out, created):
    """Fails each step of the write sequence into `out` once, prepare()d
    anew each time; `created`: the directories the run creates."""
    command = job.new_command(out)
    job.versions(out)
    prepare()
    found = steps(trace(command), out)
    renames = [d for k, _, _, d in found if k == "rename"]
    kinds = {k for k, _, _, _ in found}
    wanted = {"create", "write", "flush", "close", "rename", "flush-dir", "stdout", "open-dir"}
    if created:
        wanted |= {"mkdir", "open-parent", "flush-parent"}
    if not wanted <= kinds:
        raise SystemExit(f"{label}: the trace lacks steps {sorted(wanted - kinds)}")
    used = {}
    for kind, name, n, detail in found:
        number = ERRORS[kind][used.get(kind, 0) % len(ERRORS[kind])]
        used[kind] = used.get(kind, 0) + 1
        what = f"{label}: {errno.errorcode[number]} at {name} #{n} ({kind} {detail or ''})"
        prepare()
        result = run([STRACE, "-f", "--seccomp-bpf", "-qq", "-o", "/dev/null", "-e", "trace=" + name,
                      "-e", f"inject={name}:error={errno.errorcode[number]}:when={n}"] + command, env=strace_env())
        check_error(what, result, message(kind, detail, out, renames, re.escape(reason(number))))
        expected, gone = expect_after(job, kind, detail, renames)
        if created and gone:
            if os.path.exists(created[0]):
                fail(f"{what}: the directory {created[0]} it created is left")
        else:
            check_files(what, out, job, expected, earlier=not created)
    print(f"{label}: {len(found)} steps, each failed once: " +
          ", ".join(f"{k} {v}" for k, v in sorted(used.items())))
    return found


def injected():
    job = ps_job()
    over = os.path.join(WORK, "over")
    found = inject_all(job, "over an earlier run", lambda: job.populate(over), over, [])

    base = os.path.join(WORK, "fresh")
    nested = os.path.join(base, "new", "sub")
    inject_all(job, "into a new directory", lambda: fresh(base), nested, [os.path.join(base, "new"), nested])

    # The temporary file cannot be removed either: the message names it,
    # and the next run removes it.
    kind, name, n, detail = next(s for s in found if s[0] == "write")
    job.populate(over)
    result = run([STRACE, "-f", "--seccomp-bpf", "-qq", "-o", "/dev/null", "-e", "trace=write,unlinkat",
                  "-e", f"inject=write:error=EIO:when={n}", "-e", "inject=unlinkat:error=EIO"] + job.new_command(over),
                 env=strace_env())
    d, o, eio = re.escape(detail), re.escape(over), reason(errno.EIO)
    check_error("write and unlink fail", result,
                rf"cannot write '{o}/\.{d}\.tmp-[0-9]+', the new {d}: {eio}; no file was replaced; could not remove "
                rf"'{o}/\.{d}\.tmp-[0-9]+': {eio} \(the next run into the directory removes it\)")
    if len(temporaries(over)) != 1:
        fail(f"write and unlink fail: temporary files {temporaries(over)}")
    result = run(job.new_command(over))
    if result.returncode != 0:
        fail(f"the run after a failed cleanup: exit {result.returncode}: {result.stderr.decode()}")
    check_files("the run after a failed cleanup", over, job, state(job, job.order))


# ---- the directory goes away mid-run ----

def stopped_run(command, name, n, on_stop):
    """Runs `command` under strace, stopped by SIGSTOP after syscall `name`
    number `n`; calls on_stop() while it is stopped, then lets it go on."""
    log = os.path.join(WORK, "stop.txt")
    if os.path.exists(log):
        os.remove(log)  # strace makes it anew; an old one would tell of an old stop
    # Signals are injected without --seccomp-bpf (strace 6.1 does not deliver them with it).
    p = subprocess.Popen([STRACE, "-o", log, "-e", "trace=" + name,
                          "-e", f"inject={name}:signal=SIGSTOP:when={n}"] + command,
                         cwd=WORK, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=strace_env())
    tracee = None
    try:
        deadline = time.monotonic() + 30
        while tracee is None or "--- stopped by SIGSTOP ---" not in (open(log).read() if os.path.exists(log) else ""):
            if time.monotonic() > deadline or p.poll() is not None:
                raise SystemExit(f"the run did not stop at {name} #{n}")
            children = open(f"/proc/{p.pid}/task/{p.pid}/children").read().split()
            tracee = int(children[0]) if children else tracee
            time.sleep(0.01)
        on_stop()
        os.kill(tracee, signal.SIGCONT)
        out, err = p.communicate(timeout=60)
    except BaseException:
        # A stopped tracee outlives its tracer: end both.
        for pid in (tracee, p.pid):
            if pid is not None:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        p.communicate()
        raise
    return subprocess.CompletedProcess(command, p.returncode, out, err)


def vanishing_directory():
    job = ps_job()
    out = os.path.join(WORK, "vanishing")
    job.populate(out)
    found = steps(trace(job.new_command(out)), out)
    create = next(s for s in found if s[0] == "create")
    rename = next(s for s in found if s[0] == "rename")
    missing = reason(errno.ENOENT)
    o = re.escape(out)

    # Removed once the first temporary file exists: the next one cannot be made.
    job.populate(out)
    result = stopped_run(job.new_command(out), create[1], create[2], lambda: shutil.rmtree(out))
    second = re.escape(job.changed[1])
    check_error("removed after the first temporary file", result,
                rf"cannot create '{o}/\.{second}\.tmp-[0-9]+', the new {second}: {missing}; no file was replaced")
    if os.path.exists(out):
        fail("removed after the first temporary file: the directory is back")

    # Removed after the first rename: the second one fails.
    job.populate(out)
    result = stopped_run(job.new_command(out), rename[1], rename[2], lambda: shutil.rmtree(out))
    first, second = job.changed[0], re.escape(job.changed[1])
    check_error("removed after the first rename", result,
                rf"cannot rename '{o}/\.{second}\.tmp-[0-9]+' to '{o}/{second}': {missing}; "
                rf"already replaced: {re.escape(first)}; the other files are as they were")
    if os.path.exists(out):
        fail("removed after the first rename: the directory is back")

    # Moved away after the first temporary file: the run writes every file
    # into the directory it opened, wherever it now is.
    job.populate(out)
    moved = out + ".moved"
    shutil.rmtree(moved, ignore_errors=True)
    result = stopped_run(job.new_command(out), create[1], create[2], lambda: os.rename(out, moved))
    if result.returncode != 0:
        fail(f"moved away: exit {result.returncode}: {result.stderr.decode()}")
    check_files("moved away", moved, job, state(job, job.order), written_as=out)
    if os.path.exists(out):
        fail(f"moved away: {out} was made again")


# ---- SIGKILL ----

SEED = 20240601
TIMED_KILLS = 16


def after_kill(what, job, out, result, tally, statuses=(-signal.SIGKILL, 0)):
    """Checks what a killed run left, counts it in `tally`, then runs again:
    the next run succeeds and leaves no temporary file. Returns how many
    temporary files the killed run left."""
    if result.returncode not in statuses:
        fail(f"{what}: exit {result.returncode}: {result.stderr.decode()[-300:]}")
    check_files(what, out, job, {}, killed=True)
    left = temporaries(out)
    _, new = job.versions(out)
    replaced = sum(read(os.path.join(out, n)) == new[n] for n in job.changed)
    seen = ("every file replaced" if replaced == len(job.changed) else f"{replaced} replaced" if replaced else
            "temporary files only" if left else "nothing changed")
    tally[seen] = tally.get(seen, 0) + 1
    next_run = run(job.new_command(out))
    if next_run.returncode != 0:
        fail(f"{what}: the next run: exit {next_run.returncode}: {next_run.stderr.decode()}")
    check_files(f"{what}, then the next run", out, job, state(job, job.order))
    return len(left)


def start_writing(job, out):
    """Starts the new run into `out`; returns it once its first temporary
    file exists (or it has ended)."""
    p = subprocess.Popen(job.new_command(out), cwd=WORK, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not temporaries(out) and p.poll() is None:
        if time.monotonic() > deadline:
            p.kill()
            raise SystemExit("no temporary file within 30 s")
    return p


def killed():
    job = large_job()
    out = os.path.join(WORK, "killed")
    rng = random.Random(SEED)

    # At every syscall of the write sequence, from the directory's opening to
    # the exit: each state a kill can leave, exactly.
    job.populate(out)
    calls = trace(job.new_command(out), "all")
    start = next(i for i, c in enumerate(calls) if c[0] == "openat" and "O_DIRECTORY" in c[2] and out in c[2])
    left, tally = 0, {}
    for name, n, _ in calls[start:]:
        job.populate(out)
        result = run([STRACE, "-qq", "-o", "/dev/null", "-e", "trace=" + name,
                      "-e", f"inject={name}:signal=SIGKILL:when={n}"] + job.new_command(out), env=strace_env())
        left += after_kill(f"SIGKILL at {name} #{n}", job, out, result, tally, statuses=(-signal.SIGKILL,))
    print(f"SIGKILL at each of {len(calls) - start} syscalls: {tally}; "
          f"{left} temporary files left in all, each removed by the next run")

    # At seeded times while the files are written (from the first temporary
    # file to the exit, fsync making it last), no tracer.
    windows = []
    for _ in range(3):
        job.populate(out)
        p = start_writing(job, out)
        t = time.monotonic()
        p.communicate()
        windows.append(time.monotonic() - t)
    window = sorted(windows)[1]
    outcomes, tally = {}, {}
    for _ in range(TIMED_KILLS):
        delay = rng.uniform(0, window)
        job.populate(out)
        p = start_writing(job, out)
        time.sleep(delay)
        p.kill()
        o, e = p.communicate()
        after_kill(f"SIGKILL {delay * 1000:.1f} ms into the writes", job, out,
                   subprocess.CompletedProcess(p.args, p.returncode, o, e), tally)
        outcomes[p.returncode] = outcomes.get(p.returncode, 0) + 1
    print(f"SIGKILL at {TIMED_KILLS} seeded times (seed {SEED}) within the {window * 1000:.1f} ms of the writes: "
          f"exit statuses {outcomes}, {tally}")


# ---- temporary files of earlier runs ----

def stale_temporaries():
    job = ps_job()
    out = os.path.join(WORK, "stale")
    job.populate(out)
    # PIDs are below pid_max: pid_max names a run that is gone.
    gone = int(open("/proc/sys/kernel/pid_max").read())
    live = os.getpid()
    plant = {
        f".tfjob.json.tmp-{gone}": ("file", False),
        f".plan.json.tmp-{gone}": ("file", False),
        f".plan.json.tmp-{live}": ("file", True),  # a live process, maybe a reused PID
        f".azureml-job.json.tmp-{gone}": ("other user", True),
        f".environment.yml.tmp-{gone}": ("link", True),
        f".slurm.sbatch.tmp-{gone}": ("directory", True),
        f".unrelated.txt.tmp-{gone}": ("file", True),  # no file of this run
        f".tfjob.json.tmp-0{gone}": ("file", True),
        f".tfjob.json.tmp-{gone}x": ("file", True),
        f".Dockerfile.tmp-99999999999": ("file", True),
    }
    for name, (kind, _) in plant.items():
        path = os.path.join(out, name)
        if kind == "link":
            os.symlink("tfjob.json", path)
        elif kind == "directory":
            os.mkdir(path)
        else:
            with open(path, "w") as f:
                f.write("partial")
            if kind == "other user":
                os.chown(path, 65534, 65534)
    # The running program's own PID (sh execs it): a file by that name cannot be its own yet.
    result = run(["sh", "-c", 'echo partial > "$1/.requirements.txt.tmp-$$"; shift; exec "$@"', "sh", out] +
                 job.new_command(out))
    if result.returncode != 0:
        fail(f"stale temporaries: exit {result.returncode}: {result.stderr.decode()}")
    kept = sorted(n for n, (_, keep) in plant.items() if keep)
    left = sorted(n for n in os.listdir(out) if n.startswith("."))
    if left != kept:
        fail(f"stale temporaries: left {left}, expected {kept}")
    _, new = job.versions(out)
    for name in job.order:
        if read(os.path.join(out, name)) != new[name]:
            fail(f"stale temporaries: {name} is not the new file")


# ---- standard output ----

def standard_output():
    job = ps_job()
    large = large_job()
    grid = os.path.join(SOURCE, "tests", "sweep", "grid-capped.json")
    mpi = seed_spec("tf-horovod-word2vec.json")
    tf_config = '{"cluster":{"worker":["a:1"]},"task":{"type":"worker","index":0}}'
    out = os.path.join(WORK, "generated")
    job.versions(out)
    commands = [
        [], ["--help"], ["--version"], ["validate", "--help"],
        ["validate", "new.json"], ["plan", "new.json"], ["plan", "new.json", "--json"],
        ["plan", "large-new.json", "--hosts", "@new-hosts.txt"],
        ["tf-config", "new.json", "--task", "worker:0"], ["tf-config", "new.json", "--all"],
        ["mpirun", mpi], ["mpirun", "large-new.json", "--hosts", "@new-hosts.txt", "--print0"],
        ["hostfile", mpi, "--hosts", "a:1,b:1"], ["render", "new.json", "--target", "tfjob"],
        ["sweep", grid], ["sweep", grid, "--json"], ["sweep", grid, "--trial", "3"],
        ["check-tf-config", tf_config], ["generate", "new.json", "--out", out],
    ]
    full = reason(errno.ENOSPC)
    with open("/dev/full", "wb") as dev_full:
        for args in commands:
            result = run([PROGRAM] + args, stdout=dev_full)
            check_error(f"{' '.join(args) or '(no arguments)'} > /dev/full", result,
                        f"cannot write to standard output: {full}")
    # generate's files are in place before its table is printed.
    check_files("generate > /dev/full", out, job, state(job, job.order))

    # A reader that is gone: SIGPIPE as for any filter, or EPIPE when ignored.
    for args in (["plan", "new.json"], ["plan", "large-new.json", "--hosts", "@new-hosts.txt"], []):
        for ignored in (False, True):
            reader, writer = os.pipe()
            os.close(reader)
            prefix = ["sh", "-c", 'trap "" PIPE; exec "$@"', "sh"] if ignored else []
            result = run(prefix + [PROGRAM] + args, stdout=writer)
            os.close(writer)
            what = f"{' '.join(args) or '(no arguments)'} | (closed){' with SIGPIPE ignored' if ignored else ''}"
            if ignored:
                check_error(what, result, f"cannot write to standard output: {reason(errno.EPIPE)}")
            elif result.returncode != -signal.SIGPIPE or result.stderr:
                fail(f"{what}: exit {result.returncode}, stderr {result.stderr!r}: expected death by SIGPIPE")

    # Standard output closed: a result that cannot be written is an error;
    # a run that writes nothing there keeps its own status.
    closed = ["sh", "-c", 'exec "$@" >&-', "sh", PROGRAM]
    check_error("validate >&-", run(closed + ["validate", "new.json"]),
                f"cannot write to standard output: {reason(errno.EBADF)}")
    result = run(closed + ["validate"])
    if result.returncode != 2 or "cannot write to standard output" in result.stderr.decode():
        fail(f"validate (usage error) >&-: exit {result.returncode}: {result.stderr.decode()}")

    # Standard error full as well: no message can be given, the status still tells.
    with open("/dev/full", "wb") as dev_full:
        for args, status in ((["validate", "missing.json"], 2), (["render", "new.json", "--target", "tfjob"], 1),
                             (["generate", "new.json", "--out", out, "--force"], 1)):
            result = subprocess.run([PROGRAM] + args, cwd=WORK, stdout=dev_full, stderr=dev_full, timeout=60)
            if result.returncode != status:
                fail(f"{' '.join(args)} >/dev/full 2>&1: exit {result.returncode}, expected {status}")


# ---- an earlier file that cannot be read ----

def injected_error(path, syscall, error):
    """The strace prefix that makes every `syscall` on `path` (or a
    descriptor of it) fail with errno `error` ("EIO")."""
    return [STRACE, "-f", "-qq", "-o", "/dev/null", "-P", path, "-e", f"trace={syscall}",
            "-e", f"inject={syscall}:error={error}"]


def unreadable_target():
    """An earlier file generate cannot open to compare (EACCES, as a file of
    mode 000 is to anyone but root): without --force, bad input naming it
    (exit 2, nothing written); with --force it is replaced unread. A read
    the system fails (EIO) exits 1 either way."""
    job = ps_job()
    out = os.path.join(WORK, "unreadable")
    name = job.changed[0]
    target = os.path.join(out, name)
    denied = injected_error(target, "openat", "EACCES")
    forced = job.new_command(out)
    job.populate(out)
    result = run(denied + [a for a in forced if a != "--force"], env=strace_env())
    err = result.stderr.decode(errors="replace")
    expected = f"trainspec-gen: cannot read file '{target}': {reason(errno.EACCES)}\n"
    if result.returncode != 2 or not err.endswith(expected):
        fail(f"unreadable {name} without --force: exit {result.returncode}, expected 2 and {expected!r}: {err!r}")
    check_files(f"unreadable {name} without --force", out, job, state(job, []))
    job.populate(out)
    result = run(denied + forced, env=strace_env())
    if result.returncode != 0:
        fail(f"unreadable {name} with --force: exit {result.returncode}: {result.stderr.decode(errors='replace')!r}")
    if not re.search(rf"^{re.escape(name)} +[0-9]+ +overwritten$", result.stdout.decode(), re.M):
        fail(f"unreadable {name} with --force: not reported overwritten: {result.stdout.decode()!r}")
    check_files(f"unreadable {name} with --force", out, job, state(job, job.order))

    # A read the system fails (EIO) is the system's failure, not bad input:
    # exit 1, with or without --force, and nothing written.
    failing = injected_error(target, "read", "EIO")
    for command in ([a for a in forced if a != "--force"], forced):
        job.populate(out)
        result = run(failing + command, env=strace_env())
        err = result.stderr.decode(errors="replace")
        expected = f"trainspec-gen: cannot read file '{target}': {reason(errno.EIO)}\n"
        label = f"EIO reading {name}{' with --force' if command is forced else ''}"
        if result.returncode != 1 or not err.endswith(expected):
            fail(f"{label}: exit {result.returncode}, expected 1 and {expected!r}: {err!r}")
        check_files(label, out, job, state(job, []))

    # The same for the spec, named or on standard input.
    spec = os.path.join(WORK, "new.json")
    failing = injected_error(spec, "read", "EIO")
    for args, expected in ((["validate", spec], f"cannot read spec '{spec}'"),
                           (["validate", "-"], "cannot read the spec from standard input")):
        with open(spec, "rb") as stdin:
            result = subprocess.run(failing + [PROGRAM] + args, cwd=WORK, stdin=stdin, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, env=strace_env(), timeout=60)
        err = result.stderr.decode(errors="replace")
        expected = f"trainspec-gen: {expected}: {reason(errno.EIO)}\n"
        if result.returncode != 1 or err != expected:
            fail(f"EIO reading the spec ({' '.join(args)}): exit {result.returncode}, "
                 f"expected 1 and {expected!r}: {err!r}")


CASES = {
    "file-size-limit": file_size_limit,
    "read-only": read_only,
    "no-space": no_space,
    "injected": injected,
    "vanishing-directory": vanishing_directory,
    "killed": killed,
    "stale-temporaries": stale_temporaries,
    "standard-output": standard_output,
    "unreadable-target": unreadable_target,
}


def main():
    global PROGRAM, SOURCE, WORK
    if len(sys.argv) != 5 or sys.argv[1] not in CASES:
        print(__doc__, file=sys.stderr)
        return 2
    case, PROGRAM, SOURCE, WORK = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3]), sys.argv[4]
    WORK = os.path.realpath(fresh(os.path.abspath(WORK)))
    started = time.monotonic()
    CASES[case]()
    print(f"{case}: {len(failures)} failures in {time.monotonic() - started:.1f} s")
    if not failures:
        shutil.rmtree(WORK, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
