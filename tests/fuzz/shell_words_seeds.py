#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_shell_words (corpus/fuzz_shell_words/).

fuzz_shell_words reads its input with libFuzzer's FuzzedDataProvider:
strings from the front (ConsumeRandomLengthString: a backslash and another
character end a string, two backslashes are one), numbers and choices from
the back. This script encodes the script parameters of the seed specs
(examples/specs) and of the unit tests (tests/unit/unit-script_params.cpp,
unit-shell_quote.cpp) in that order, so
that each seed file is those parameters. Run it again after changing the
order in which fuzz_shell_words.cpp consumes its input; TRAINSPEC_FUZZ_PRINT=1
makes the target print what it read from a file.

    tests/fuzz/shell_words_seeds.py [OUTPUT_DIR]
"""

import os
import struct
import sys

PWD_MARKER = "\x01pwd\x01"
TRIAL_MARKER = "\x01trial0\x01"


class Encoder:
    def __init__(self):
        self.front = bytearray()
        self.back = []  # bytes in the order they are consumed

    def string(self, text, max_length):
        data = text.encode("utf-8", "surrogateescape")
        assert b"\0" not in data and len(data) <= max_length, text
        self.front += data.replace(b"\\", b"\\\\")
        if len(data) < max_length:
            self.front += b"\\\n"

    def integer(self, value, low, high):
        """ConsumeIntegralInRange(low, high): as many bytes as the range
        needs, the most significant first."""
        span = high - low
        assert low <= value <= high
        count = (span.bit_length() + 7) // 8
        offset = value - low
        for shift in reversed(range(count)):
            self.back.append((offset >> (8 * shift)) & 0xFF)

    def boolean(self, value):
        self.integer(1 if value else 0, 0, 255)

    def int64(self, value):
        self.integer(value, -(2**63), 2**63 - 1)

    def double(self, value):
        self.integer(struct.unpack("<Q", struct.pack("<d", value))[0], 0, 2**64 - 1)

    def data(self):
        return bytes(self.front) + bytes(reversed(self.back))


def scalar(enc, value):
    if isinstance(value, bool):
        enc.integer(0, 0, 3)
        enc.boolean(value)
    elif isinstance(value, int):
        enc.integer(1, 0, 3)
        enc.int64(value)
    elif isinstance(value, float):
        enc.integer(2, 0, 3)
        enc.double(value)
    else:
        enc.integer(3, 0, 3)
        enc.string(value, 32)


def value(enc, v):
    if v is None:
        enc.integer(0, 0, 5)
    elif isinstance(v, bool):
        enc.integer(1, 0, 5)
        enc.boolean(v)
    elif isinstance(v, int):
        enc.integer(2, 0, 5)
        enc.int64(v)
    elif isinstance(v, float):
        enc.integer(3, 0, 5)
        enc.double(v)
    elif isinstance(v, str):
        enc.integer(4, 0, 5)
        enc.string(v, 32)
    else:
        enc.integer(5, 0, 5)
        enc.integer(len(v), 0, 4)
        for item in v:
            scalar(enc, item)


def argument(v):
    """Python's str() of a value, as Azure ML passed it."""
    return str(v)


def argv_of(params):
    """The argv to_argv() gives."""
    argv = []
    for key, v in params:
        argv.append(key)
        if v is None or v == "":
            continue
        argv.extend(argument(item) for item in (v if isinstance(v, list) else [v]))
    return argv


def size(word):
    return len(word.encode("utf-8", "surrogateescape"))


def seed(params, marker=PWD_MARKER, other=TRIAL_MARKER, here="/data/run 1", there="", marked=(), other_marked=(),
         second=False):
    """`marked`, `other_marked`: indices of the words of `python train.py
    argv` (not 0) that get the first or the second marker at their start."""
    enc = Encoder()
    enc.integer(len(params), 1, 8)
    for key, v in params:
        enc.string(key, 32)
        value(enc, v)
    enc.boolean(marker == PWD_MARKER)
    if marker != PWD_MARKER:
        enc.string(marker, 8)
    enc.boolean(other == TRIAL_MARKER)
    if other != TRIAL_MARKER:
        enc.string(other, 8)
    enc.string(here, 16)
    enc.string(there, 16)
    words = ["python", "train.py"] + argv_of(params)
    for i in range(1, len(words)):  # the first marker, at the start of a word
        enc.boolean(i in marked)
        if i in marked:
            enc.integer(0, 0, size(words[i]))
    words = [marker + w if i in marked else w for i, w in enumerate(words)]
    for i in range(1, len(words)):  # the second marker, at the start of a word
        enc.boolean(i in other_marked)
        if i in other_marked:
            enc.integer(0, 0, size(words[i]))
    enc.boolean(second)
    return enc.data()


SEEDS = {
    # examples/specs
    "tf-mnist": [("--data-folder", "/data/mnist"), ("--batch-size", 50), ("--first-layer-neurons", 300),
                 ("--second-layer-neurons", 100), ("--learning-rate", 0.01)],
    "keras-mnist": [("--data-folder", "/data/mnist"), ("--batch-size", 50), ("--learning-rate", 0.001)],
    "tf-horovod-word2vec": [("--input_data", "/data/text8")],
    "tf-ps-mnist": [("--num_gpus", 1), ("--train_steps", 500)],
    # script_params.hpp and unit-script_params.cpp
    "list-values": [("--x", [1, 2]), ("--names", ["a", "b c"]), ("--mixed", [1, 0.5, True, "s"])],
    "bare-flags": [("--verbose", None), ("--quiet", ""), ("--n", 1)],
    "booleans-and-zeros": [("--n", 0), ("--zero", 0.0), ("--b", False), ("--t", True)],
    "repeated-keys": [("--gpu", 0), ("--gpu", 1), ("--name", "x"), ("--gpu", 2)],
    "floats-fixed": [("--a", 0.0001), ("--b", 2.0), ("--c", -0.0), ("--d", 1e15), ("--e", 0.1 + 0.2)],
    "floats-exponent": [("--a", 1e-05), ("--b", -2.5e-7), ("--c", 1e16), ("--d", 5e-324),
                        ("--e", 1.7976931348623157e308)],
    "integer-limits": [("--max", 2**63 - 1), ("--min", -(2**63)), ("--neg", -3)],
    "empty-list": [("--layers", []), ("--n", 1)],
    # strings that sh reads specially (unit-script_params.cpp, unit-shell_quote.cpp)
    "shell-injection": [("--cmd", "a b; rm -rf /"), ("--quote", "it's \"x\""), ("--dash", "--not-a-key")],
    "quotes": [("--q", "it's"), ("--qq", "'"), ("--empty-quote", "''"), ("--dq", "\"$HOME\"")],
    "expansions": [("--home", "$HOME"), ("--cmd", "$(id)"), ("--tick", "`id`"), ("--brace", "${x:-y}")],
    "globs-and-tilde": [("--glob", "*.py"), ("--one", "?"), ("--class", "[!a]"), ("--tilde", "~"),
                        ("--tilde-path", "~root/x"), ("--brace", "{a,b}")],
    "comments-and-bangs": [("#x", "#"), ("--bang", "!"), ("--caret", "^openib")],
    "whitespace": [("--two", "two words"), ("--tab", "a\tb"), ("--nl", "a\nb"), ("--cr", "a\r"), ("--sp", " ")],
    "backslashes": [("--b", "\\"), ("--bb", "a\\\\b"), ("--bn", "\\n"), ("--bq", "\\'")],
    "bytes": [("--utf8", "\u00e9\u20ac\U0001f600"), ("--ctl", "\x01\x1f\x7f"), ("--raw", "\udcff\udc80")],
    "safe-words": [("--learning-rate=0.01", None), ("a@b%c+d:e,f/g", "x.y-z_1")],
    # the first word is a command name: assignments and reserved words
    "command-assignment": [("A=1", "A=1")],
    "command-reserved-if": [("if", "if")],
    "command-reserved-brace": [("{", "}")],
    "command-not-assignment": [("=x", "1A=b")],
    "command-quoted-assignment": [("A=it's", None)],
    "command-time": [("time", None), ("coproc", "function")],
}

MARKED = {
    # shell_join_expanding(): markers in the middle of words, two expansions
    "marker-here": dict(params=[("--data", "/mnt/data"), ("--out", "out dir")], marked=(1, 3), here="/src/run 1"),
    "marker-two-expansions": dict(params=[("--lr", "x"), ("--bind", ":/workspace")], marked=(2, 4),
                                  other_marked=(3, 4, 5), second=True, here="$HOME", there="it's"),
    "marker-empty-value": dict(params=[("--value", "v")], marked=(1, 2, 3), here=""),
    "marker-text": dict(params=[("--path", "a@@b")], marker="@@", other="##", marked=(2,), here="a b",
                        there="c"),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "fuzz_shell_words")
    os.makedirs(out, exist_ok=True)
    files = {name: seed(params) for name, params in SEEDS.items()}
    files.update({name: seed(**args) for name, args in MARKED.items()})
    for name, data in files.items():
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(data)
    print(f"{len(files)} seeds written to {out}")


if __name__ == "__main__":
    main()
