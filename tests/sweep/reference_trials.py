"""The trials of docs/sweeps.md ("Expansion"), computed here from the
document's description alone, against `trainspec-gen sweep --json`.

usage: reference_trials.py TRAINSPEC_GEN SPEC...

For each SPEC: the same number of trials, and every trial's values equal,
type for type (an integer stays an integer, a quantised value is a float).
"""

import itertools
import json
import math
import subprocess
import sys

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class Stream:
    """SplitMix64 from the state mix(mix(mix(seed) + trial) + parameter)."""

    def __init__(self, seed, trial, parameter):
        self.state = mix((mix((mix(seed) + trial) & MASK) + parameter) & MASK)

    def next(self):
        self.state = (self.state + GAMMA) & MASK
        return mix(self.state)

    def unit(self):
        return (self.next() >> 11) * 2.0**-53

    def below(self, n):
        threshold = ((1 << 64) - n) % n
        while True:
            r = self.next()
            if r >= threshold:
                return r % n

    def uniform(self, low, high):
        return low + (high - low) * self.unit()

    def normal(self, mu, sigma):
        for _ in range(1000):
            u = 2 * self.unit() - 1
            v = 2 * self.unit() - 1
            s = u * u + v * v
            if 0 < s < 1:
                return mu + sigma * u * math.sqrt(-2 * math.log(s) / s)
        return mu


def quantize(x, q):
    return float(round(x / q)) * q  # round(): ties to even


def draw(d, stream):
    kind = d["type"]
    low, high = float(d.get("min_value", 0)), float(d.get("max_value", 0))
    mu, sigma, q = float(d.get("mu", 0)), float(d.get("sigma", 1)), float(d.get("q", 1))
    if kind == "choice":
        return d["values"][stream.below(len(d["values"]))]
    if kind == "randint":
        return stream.below(d["upper"])
    if kind == "uniform":
        return stream.uniform(low, high)
    if kind == "quniform":
        return quantize(stream.uniform(low, high), q)
    if kind == "loguniform":
        return math.exp(stream.uniform(low, high))
    if kind == "qloguniform":
        return quantize(math.exp(stream.uniform(low, high)), q)
    if kind == "normal":
        return stream.normal(mu, sigma)
    if kind == "qnormal":
        return quantize(stream.normal(mu, sigma), q)
    if kind == "lognormal":
        return math.exp(stream.normal(mu, sigma))
    if kind == "qlognormal":
        return quantize(math.exp(stream.normal(mu, sigma)), q)
    raise ValueError(kind)


def expected_trials(spec):
    sweep = spec["sweep"]
    sampling = sweep["sampling_algorithm"]
    if isinstance(sampling, str):
        sampling = {"type": sampling}
    space = list(sweep["search_space"].items())
    total = sweep["limits"]["max_total_trials"]
    if sampling["type"] == "grid":
        # The cross product in spec order, the last parameter fastest.
        grid = itertools.product(*[d["values"] for _, d in space])
        return [dict(zip([n for n, _ in space], combo)) for combo in itertools.islice(grid, total)]
    seed = sampling.get("seed", 0)
    return [{name: draw(d, Stream(seed, trial, p)) for p, (name, d) in enumerate(space)} for trial in range(total)]


def same(a, b):
    return type(a) is type(b) and a == b


def main():
    program, specs = sys.argv[1], sys.argv[2:]
    failures = 0
    for path in specs:
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
        out = subprocess.run([program, "sweep", path, "--json"], check=True, capture_output=True, text=True).stdout
        seen = json.loads(out)
        want = expected_trials(spec)
        if len(seen) != len(want):
            print(f"{path}: {len(seen)} trials, expected {len(want)}")
            failures += 1
            continue
        wrong = next(
            (
                (i, row, values)
                for i, (row, values) in enumerate(zip(seen, want))
                if row["trial"] != i
                or list(row["script_params"]) != list(values)
                or not all(same(row["script_params"][k], v) for k, v in values.items())
            ),
            None,
        )
        if wrong:
            print(f"{path}: trial {wrong[0]}: {wrong[1]}, expected {wrong[2]}")
            failures += 1
        else:
            print(f"{path}: {len(seen)} trials agree")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
