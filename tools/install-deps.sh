#!/usr/bin/env bash
# Installs the Debian packages trainspec needs, and only those missing.
#
#   tools/install-deps.sh            the library and trainspec-gen
#   tools/install-deps.sh test       ... and the test suite
#   tools/install-deps.sh sanitize   ... and clang's sanitizer runtime (.ci/run)
#   tools/install-deps.sh bench      ... and Google Benchmark (benchmarks/)
#
# Several groups may be given. Run as root (or with sudo available); packages
# already installed are left alone, and `apt-get update` runs only when
# something is missing.
set -euo pipefail

# ---- the package lists: one place, one group per use ----
main_packages=(nlohmann-json3-dev libfmt-dev)
test_packages=(doctest-dev python3 python3-yaml python3-packaging python3-pip pkg-config clang-format openmpi-bin libopenmpi-dev mpich slurm-wlm munge libpmix-dev strace)
sanitize_packages=(clang libclang-rt-14-dev)
bench_packages=(libbenchmark-dev python3)

usage() {
    echo "usage: $0 [main] [test] [sanitize] [bench]" >&2
    exit 2
}

wanted=("${main_packages[@]}")
for group in "$@"; do
    case "$group" in
        main) ;;
        test) wanted+=("${test_packages[@]}") ;;
        sanitize) wanted+=("${sanitize_packages[@]}") ;;
        bench) wanted+=("${bench_packages[@]}") ;;
        -h | --help) usage ;;
        *)
            echo "$0: unknown group '$group'" >&2
            usage
            ;;
    esac
done

missing=()
for package in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    if [[ "$status" != "installed" ]]; then
        case " ${missing[*]-} " in
            *" $package "*) ;;
            *) missing+=("$package") ;;
        esac
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        echo "$0: missing packages (${missing[*]}) and not root; install them as root" >&2
        exit 1
    fi
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq </dev/null
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
