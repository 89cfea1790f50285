"""Real pip reads the requirements.txt trainspec-gen writes as requirements
and nothing else, and never gets the review's hostile entries.

  pip_reads_requirements.py TRAINSPEC_GEN

1. A spec whose pip_packages use extras, version clauses and markers is
   rendered (`render --target requirements`) and given to
   `pip download --no-index --find-links WHEELS`: pip must fetch exactly the
   job's packages, at the versions the clauses allow, from the local
   wheels (a newer numpy there must be passed over).
2. Each hostile entry of docs/security.md's findings (pip options, other
   requirement files, editable installs, direct references) makes
   trainspec-gen exit 2 and write nothing.
3. Negative control: the same pip, given a file with the option line the
   first finding would have written, obeys it (it contacts that index), so
   the check in 1 could tell.

Run with Debian's /usr/bin/python3 -I (tools/install-deps.sh test installs
python3-pip); pip's own configuration is ignored (PIP_CONFIG_FILE=/dev/null).
"""

import json
import os
import subprocess
import sys
import tempfile
import zipfile

PIP_ENV = dict(os.environ, PIP_CONFIG_FILE=os.devnull, PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
PIP = [sys.executable, "-I", "-m", "pip"]

WHEELS = [("tensorflow", "2.20.0"), ("keras", "3.0.0"), ("numpy", "1.26.0"), ("numpy", "2.0.0"),
          ("pandas", "2.0.0"), ("requests", "2.31.0")]
EXPECTED = {"tensorflow-2.20.0", "keras-3.0.0", "numpy-1.26.0", "pandas-2.0.0", "requests-2.31.0"}
PACKAGES = ["numpy>=1.20,<2", "pandas[performance]==2.0.0", 'requests ; python_version >= "3"']
HOSTILE = ["--index-url http://127.0.0.1:9/simple", "--extra-index-url=http://127.0.0.1:9/simple", "-r /etc/passwd",
           "-c constraints.txt", "-e git+https://127.0.0.1:9/x.git#egg=x", "-f http://127.0.0.1:9/",
           "numpy @ http://127.0.0.1:9/numpy.whl", "--trusted-host 127.0.0.1", "./local-package", "numpy\n-r x"]

failures = []


def fail(message):
    failures.append(message)
    print("FAILED: " + message)


def make_wheel(directory, name, version):
    dist_info = f"{name}-{version}.dist-info"
    path = os.path.join(directory, f"{name}-{version}-py3-none-any.whl")
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr(f"{dist_info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        wheel.writestr(f"{dist_info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                                             "Tag: py3-none-any\n")
        wheel.writestr(f"{dist_info}/RECORD", "")


def render(gen, work, packages):
    spec = {"apiVersion": "trainspec/v1", "source_directory": "src", "entry_script": "train.py",
            "compute_target": "c", "keras": True, "pip_packages": packages}
    with open(os.path.join(work, "spec.json"), "w") as out:
        json.dump(spec, out)
    return subprocess.run([gen, "render", "spec.json", "--target", "requirements"], cwd=work, capture_output=True,
                          text=True)


def main():
    gen = sys.argv[1]
    try:
        subprocess.run(PIP + ["--version"], check=True, capture_output=True, env=PIP_ENV)
    except subprocess.CalledProcessError as e:
        sys.exit(f"pep508.pip needs Debian's python3-pip ({e.stderr.decode().strip()}); "
                 "tools/install-deps.sh test installs it")
    with tempfile.TemporaryDirectory() as work:
        os.mkdir(os.path.join(work, "src"))
        wheels = os.path.join(work, "wheels")
        os.mkdir(wheels)
        for name, version in WHEELS:
            make_wheel(wheels, name, version)

        rendered = render(gen, work, PACKAGES)
        if rendered.returncode != 0:
            fail(f"render --target requirements exited {rendered.returncode}: {rendered.stderr}")
            return
        requirements = os.path.join(work, "requirements.txt")
        with open(requirements, "w") as out:
            out.write(rendered.stdout)
        dest = os.path.join(work, "downloaded")
        got = subprocess.run(PIP + ["download", "--no-index", "--find-links", wheels, "--no-deps", "--no-cache-dir",
                                    "-d", dest, "-r", requirements], capture_output=True, text=True, env=PIP_ENV,
                             timeout=120)
        if got.returncode != 0:
            fail(f"pip download exited {got.returncode}:\n{got.stdout}{got.stderr}")
        else:
            fetched = {f.rsplit("-py3-", 1)[0] for f in os.listdir(dest)}
            if fetched != EXPECTED:
                fail(f"pip fetched {sorted(fetched)}, expected {sorted(EXPECTED)}\n{rendered.stdout}")
            else:
                print(f"pip read {len(EXPECTED)} requirements and fetched exactly them: {sorted(fetched)}")

        for entry in HOSTILE:
            refused = render(gen, work, ["numpy", entry])
            if refused.returncode != 2 or refused.stdout:
                fail(f"pip_packages entry {entry!r}: exit {refused.returncode}, stdout {refused.stdout!r}")
            elif "pip_packages[1]" not in refused.stderr:
                fail(f"pip_packages entry {entry!r}: the error does not name pip_packages[1]: {refused.stderr}")
        print(f"{len(HOSTILE)} hostile pip_packages entries refused with exit 2, nothing written")

        hostile_file = os.path.join(work, "hostile.txt")
        with open(hostile_file, "w") as out:
            out.write("--index-url http://127.0.0.1:9/simple\nnumpy\n")
        control = subprocess.run(PIP + ["download", "--no-deps", "--no-cache-dir", "--retries", "0", "--timeout",
                                        "1", "-d", os.path.join(work, "control"), "-r", hostile_file],
                                 capture_output=True, text=True, env=PIP_ENV, timeout=120)
        if "127.0.0.1:9" not in control.stdout + control.stderr:
            fail("negative control: pip did not use the index the file named:\n" + control.stdout + control.stderr)
        else:
            print("negative control: pip obeys an option line in a requirements file (it tried 127.0.0.1:9)")


main()
if failures:
    sys.exit(f"{len(failures)} check(s) failed")
