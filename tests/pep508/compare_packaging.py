"""Runs a few hundred strings through trainspec's PEP 508 reader (the
program given as argv[1]) and through pypa/packaging's Requirement, the
parser pip uses, and fails unless both give the same verdict.

By design trainspec refuses two things packaging accepts:
  - direct references (`name @ url`): an index of their own; they belong in
    pip_requirements_file;
  - a backslash in a marker's quoted string: packaging evaluates it as a
    Python escape (literal_eval); trainspec does not.
For those, packaging's verdict may be either, and trainspec's must be the
matching refusal. A marker nested deeper than 64 parentheses is refused too;
the strings below stay clear of that limit and of Python's recursion limit.

Run with Debian's /usr/bin/python3 -I (tools/install-deps.sh test installs
python3-packaging); a missing module fails the test.
"""

import itertools
import json
import subprocess
import sys

try:
    from packaging.requirements import Requirement
except ImportError as e:
    sys.exit(f"pep508.packaging needs python3's packaging module ({e}): Debian package python3-packaging "
             "is missing (tools/install-deps.sh test installs it)")


def corpus():
    names = ["a", "A1", "foo", "Foo.Bar", "foo-bar", "foo_bar", "foo_", "foo-", "foo.", "_foo", "-foo", "1", "x" * 300,
             "tensorflow", "tf-keras", "foo--bar", "foo..bar", "f\u00e9e", "\u212a", "foo\u00a0"]
    extras = ["", "[]", "[ ]", "[gpu]", "[gpu,tpu]", "[gpu , tpu]", "[gpu,]", "[,gpu]", "[gpu tpu]", "[_x]", "[x_]",
              "[a-b.c]", "[gpu", "gpu]", "[\u00e9]"]
    versions = ["", "==1.0", "== 1.0", ">=1.0,<2", ">=1.0 , <2", "~=1.4", "~=1", "~=1.4.*", "==1.0.*", ">=1.0.*",
                "!=1.0.*", "==1.*.0", "===foo", "===", "===,", "===1,<2", "===a,b", "===a@b", "===1;x", "<=v1",
                ">V1.0", "==1!2.0", "==1.0+local", "==1.0+loc_al.7", ">=1.0+local", "~=1.0+local", "==1.0+",
                "==1.0-1", "==1.0-", ">=1.0a", ">=1.0.a1", ">=1.0preview3", ">=1.0PRE2", ">=1.0rc1.post2.dev3",
                "==1.0.post1.dev2", "==1.0-dev", "==1.0r", "==1.0rev4", "==01.0", ">=1.0abc", "==1.0.0-dev",
                ">=1,", ">=1,,<2", "(>=1)", " (>=1,<2)", "( >=1 , <2 )", "(>=1", ">=1)", "()", ">= 1",
                ">=\u00a01", "==\n1", "==1.0+\u212a", "==1.0+\u017fx", "==\u0131", "<>1", "=1.0", "==", ">=",
                "==1.0 1.0", "===1 2", ">=1.0;", "==1.0\u00e9"]
    markers = ["", ';python_version<"3.12"', "; python_version >= '3.8'", ';os_name=="posix"and sys_platform!="win32"',
               ';os.name=="a"', ';platform.python_implementation=="CPython"', ';python_implementation=="x"',
               ';"a"=="b"', ';(os_name=="a")', ';(os_name=="a"or(os_name=="b"))', "; extra == 'gpu'",
               ';os_name in "posix nt"', ';os_name not in "a"', ';os_name not  in "a"', ';os_name notin "a"',
               ';os_name in"a"', ';os_namein "a"', ";", '; os_name=="a" ;', ';os_name=="a" and', ';and os_name=="a"',
               ';os_name=="a"\t', ';os_name=="a" ', ';os_name', ';os_name=="a', ";os_name=='a\"'",
               ';os_name==\'a"b\'', ';platform_version=="\u00e9"', ';os_name=="a\nb"', ';os_name=="a\rb"',
               ';os_name=="\x00"', ';os_name=="\x0c"', ';os_name=="\x1a"', ';os_name=="\u2028"',
               ';os_name=="\x85"', ';os_name=="\\x41"', ';os_name=="\\"', ';os_name==os_name',
               ';implementation_version>="3"', ';python_full_version==="3.8.0"', ';python_version~="3.8"',
               ";python_version<'3'or\tpython_version>'2'", ';unknown_var=="a"', ';os_name=="a"andos_name=="b"',
               ';(os_name=="a"', ';os_name=="a")', ";" + "(" * 60 + 'os_name=="a"' + ")" * 60,
               ";" + "(" * 2000 + 'os_name=="a"' + ")" * 2000, ';extra == "a" or extra == "b" and os_name == "c"']
    strings = []
    for name, extra in itertools.product(names, extras):
        strings.append(name + extra)
    for version, marker in itertools.product(versions, ["", markers[1]]):
        strings.append("foo" + version + marker)
    for marker in markers:
        strings.append("foo" + marker)
        strings.append("foo[gpu] >=1.0" + marker)
    hostile = ["-r /etc/passwd", "-rrequirements.txt", "--index-url http://127.0.0.1:9/simple",
               "--extra-index-url=http://x/simple", "-e git+https://example.com/x.git#egg=x", "-c constraints.txt",
               "--trusted-host x", "-i http://x", "--pre", "-", "--", "foo --index-url http://x", "foo -i http://x",
               "foo; --index-url x", "foo @ http://127.0.0.1:9/foo.whl", "foo@http://x/y", "foo @ file:///etc/x",
               "foo [gpu] @ https://x/y.whl ; os_name=='a'", "foo @ ", "foo @ x", "foo>=1 @ http://a/b",
               "http://example.com/foo.whl", "git+https://example.com/x.git", "./local/dir", "/abs/path.whl",
               "foo.whl", "foo; os_name=='a' --hash=sha256:00", "foo==1.0 --hash=sha256:abcd", "foo\nbar",
               "foo\n", "foo\n\n", "foo\r", "foo\r\n", "foo\x00", "\x00", "", " ", "  foo", "foo  ", "\tfoo\t",
               "foo\u3000", "\u3000foo", "foo #comment", "#foo", "foo;", "foo&&rm -rf /", "foo|bar", "$(id)",
               "`id`", "foo\\", "'foo'", '"foo"', "foo==1.0" + "0" * 5000, "a" * 10000, "foo[" + "x," * 500 + "x]",
               "foo" + ">=1," * 500 + ">=1", "foo==1." + "0" * 4300,
               "foo==1." + "0" * 4301, "foo>=1a" + "1" * 4301, "foo==1.0+" + "1" * 4301, "foo==1.0+a" + "1" * 4301,
               "foo==1." + "0" * 4301 + ".*", "foo===1" + "0" * 5000, "foo===1" + "0" * 5000 + "a",
               "foo===1" + "0" * 5000 + ",<2", "foo>=1,===1" + "0" * 5000, "foo==1.0-" + "1" * 4301,
               "foo==" + "1" * 4301 + "!2", 'foo;python_version=="' + "1" * 5000 + '"', "f\u00f6\u00f6", "\u0444\u0443", "foo==\u0661", "\ufefffoo", "foo\u200b"]
    strings += hostile
    return list(dict.fromkeys(strings))


def packaging_verdict(text):
    try:
        requirement = Requirement(text)
    except Exception:  # InvalidRequirement, and literal_eval's SyntaxError or ValueError
        return "malformed"
    return "direct_reference" if requirement.url else "requirement"


def main():
    strings = corpus()
    ours = json.loads(subprocess.run([sys.argv[1]], input=json.dumps(strings), capture_output=True, text=True,
                                     check=True).stdout)
    if len(ours) != len(strings):
        sys.exit(f"expected {len(strings)} verdicts, got {len(ours)}")
    mismatches = 0
    for text, our in zip(strings, ours):
        theirs = packaging_verdict(text)
        if "\\" in text and our == "marker_escape":
            continue  # refused by design, whatever packaging makes of the escape
        if our == "direct_reference" and theirs in ("direct_reference", "malformed"):
            continue  # refused by design, whether or not packaging reads the URL
        if our == theirs:
            continue
        mismatches += 1
        print(f"{text[:200]!r}: trainspec {our}, packaging {theirs}")
    print(f"{len(strings)} strings, {mismatches} verdicts differ")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
