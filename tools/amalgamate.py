#!/usr/bin/env python3
"""Generate single_include/trainspec/trainspec.hpp from include/trainspec/.

Starting at the umbrella header include/trainspec/trainspec.hpp, every
`#include <trainspec/...>` (or `#include "..."` that resolves to a trainspec
header) is replaced by the header's text the first time it is reached and
dropped after that; `#pragma once` of the inlined headers is dropped (the
result has one of its own). System and third-party includes are kept where
they are. The output is deterministic: the same headers give the same bytes.

    tools/amalgamate.py                      regenerate the checked-in file
    tools/amalgamate.py --output FILE        write somewhere else
    tools/amalgamate.py --check [--output F] regenerate to F (a temporary file
                                             by default) and exit 1 if it
                                             differs from the checked-in file
"""

import argparse
import difflib
import os
import re
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
INCLUDE_DIR = os.path.join(ROOT, "include")
UMBRELLA = "trainspec/trainspec.hpp"
SINGLE_HEADER = os.path.join(ROOT, "single_include", "trainspec", "trainspec.hpp")

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
PRAGMA_ONCE_RE = re.compile(r"^\s*#\s*pragma\s+once\b")
VERSION_RE = re.compile(r'^\s*#\s*define\s+TRAINSPEC_VERSION_STRING\s+"([^"]*)"', re.M)

CHECK_FAILED = "Amalgamation required: run tools/amalgamate.py"


class AmalgamationError(Exception):
    pass


def read_text(path):
    with open(path, "r", encoding="utf-8", newline="") as f:
        text = f.read()
    return text.replace("\r\n", "\n")


def resolve(spec, quote, including_file):
    """The trainspec header an include names (relative to include/), or None
    for an include that is kept as it is."""
    candidates = []
    if quote == '"' and including_file is not None:
        candidates.append(os.path.join(os.path.dirname(including_file), spec))
    candidates.append(os.path.join(INCLUDE_DIR, spec))
    for candidate in candidates:
        candidate = os.path.normpath(candidate)
        relative = os.path.relpath(candidate, INCLUDE_DIR).replace(os.sep, "/")
        if relative.startswith("trainspec/") and os.path.isfile(candidate):
            return relative
    if spec.startswith("trainspec/"):
        raise AmalgamationError(
            "%s includes <%s>, which is not in include/" % (os.path.relpath(including_file, ROOT), spec)
        )
    return None


class Amalgamator:
    def __init__(self):
        self.inlined = []  # headers in the order they were inlined
        self.stack = []  # the include chain, to report cycles

    def expand(self, header):
        if header in self.stack:
            chain = " -> ".join(self.stack + [header])
            raise AmalgamationError("include cycle: " + chain)
        self.inlined.append(header)
        self.stack.append(header)
        path = os.path.join(INCLUDE_DIR, header)
        out = ["// begin file include/%s\n" % header]
        for line in read_text(path).splitlines(keepends=True):
            if PRAGMA_ONCE_RE.match(line):
                continue
            m = INCLUDE_RE.match(line)
            if m:
                target = resolve(m.group(2), m.group(1), path)
                if target is not None:
                    if target not in self.inlined:
                        out.append(self.expand(target))
                    continue
            out.append(line)
        if out and not out[-1].endswith("\n"):
            out.append("\n")
        out.append("// end file include/%s\n" % header)
        self.stack.pop()
        return "".join(out)


def all_headers():
    found = []
    for directory, _, files in os.walk(os.path.join(INCLUDE_DIR, "trainspec")):
        for name in files:
            if name.endswith(".hpp"):
                found.append(os.path.relpath(os.path.join(directory, name), INCLUDE_DIR).replace(os.sep, "/"))
    return sorted(found)


def amalgamate():
    """The single header's text, and the headers that were not reachable."""
    version_text = read_text(os.path.join(INCLUDE_DIR, "trainspec", "version.hpp"))
    m = VERSION_RE.search(version_text)
    version = m.group(1) if m else "unknown"
    amalgamator = Amalgamator()
    body = amalgamator.expand(UMBRELLA)
    banner = (
        "// trainspec %s: distributed TensorFlow/Keras training jobs, described once.\n"
        "// SPDX-License-Identifier: MIT\n"
        "// Copyright (c) 2026 The trainspec authors\n"
        "//\n"
        "// GENERATED FILE: do not edit. This is include/trainspec/ amalgamated into one\n"
        "// header by tools/amalgamate.py; edit the headers there and run the script.\n"
        "\n"
        "#pragma once\n"
        "\n"
        "// The single header is header-only: its definitions sections depend on\n"
        "// where each header was first included, so the compiled mode (docs/compiled.md)\n"
        "// needs include/.\n"
        "#ifdef TRAINSPEC_COMPILED_LIB\n"
        "#error \"single_include/trainspec/trainspec.hpp is header-only; TRAINSPEC_COMPILED_LIB needs include/ and trainspec::compiled\"\n"
        "#endif\n"
        "\n" % version
    )
    unreachable = [h for h in all_headers() if h not in amalgamator.inlined]
    return banner + body, unreachable


def write(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".amalgamate-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def main(argv):
    parser = argparse.ArgumentParser(description="Generate the single header single_include/trainspec/trainspec.hpp.")
    parser.add_argument("--output", help="where to write (default: the checked-in single header)")
    parser.add_argument(
        "--check", action="store_true", help="regenerate and fail if the checked-in single header differs"
    )
    args = parser.parse_args(argv)

    try:
        text, unreachable = amalgamate()
    except (AmalgamationError, OSError) as e:
        print("amalgamate.py: error: %s" % e, file=sys.stderr)
        return 1
    for header in unreachable:
        print(
            "amalgamate.py: warning: include/%s is not reachable from include/%s" % (header, UMBRELLA),
            file=sys.stderr,
        )

    if not args.check:
        write(args.output or SINGLE_HEADER, text)
        return 0

    if args.output:
        write(args.output, text)
    try:
        current = read_text(SINGLE_HEADER)
    except OSError:
        current = ""
    if current == text:
        return 0
    diff = list(
        difflib.unified_diff(
            current.splitlines(keepends=True),
            text.splitlines(keepends=True),
            "single_include/trainspec/trainspec.hpp (checked in)",
            "single_include/trainspec/trainspec.hpp (regenerated)",
            n=1,
        )
    )
    shown = 40
    sys.stdout.writelines(diff[:shown])
    if len(diff) > shown:
        print("... (%d more diff lines)" % (len(diff) - shown))
    print(CHECK_FAILED)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
