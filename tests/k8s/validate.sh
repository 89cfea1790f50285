#!/bin/sh
# Runs the CRD validator on one manifest.
#   validate.sh VALIDATOR CRD MANIFEST [--expect-invalid]
# Exit 77 (skipped) when the validator or a python3 with the yaml and
# jsonschema modules is missing (tools/install-deps.sh test installs them).
validator=$1
crd=$2
manifest=$3
expect=${4:-}
if [ ! -f "$validator" ]; then
    echo "SKIP: $validator not found (the shared/ directory beside the source tree)"
    exit 77
fi
python=
for candidate in /usr/bin/python3 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml, jsonschema' >/dev/null 2>&1; then
        python=$candidate
        break
    fi
done
if [ -z "$python" ]; then
    echo "SKIP: no python3 with the yaml and jsonschema modules (Debian: python3-yaml python3-jsonschema)"
    exit 77
fi
output=$("$python" "$validator" "$crd" "$manifest" 2>&1)
status=$?
printf '%s\n' "$output"
if [ "$expect" = "--expect-invalid" ]; then
    if [ "$status" -eq 1 ] && printf '%s\n' "$output" | grep -q 'unknown field'; then
        echo "rejected, as expected"
        exit 0
    fi
    echo "FAIL: the validator accepted a manifest with an unknown field (status $status)"
    exit 1
fi
exit "$status"
