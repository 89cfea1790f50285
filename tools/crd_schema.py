#!/usr/bin/env python3
"""Derive the validator's schema files from the vendored CRDs.

For every tests/k8s/crds/<name>.crd.yaml (a CustomResourceDefinition, kept
verbatim as upstream ships it) writes tests/k8s/crds/<name>.schema.json:

    {"group": ..., "kind": ..., "version": ..., "openAPIV3Schema": ...}

for the CRD's single served version, with every schema `description` removed
(prose only; it is most of the YAML). The output is deterministic: sorted
keys, one-space indent, a final newline. tests/k8s/structural_schema.hpp
reads these files (nlohmann::json has no YAML reader).

    tools/crd_schema.py            regenerate every .schema.json
    tools/crd_schema.py --check    exit 1 if a .schema.json is not what its
                                   YAML gives now (or has no YAML)

Needs python3 and its yaml module (Debian: python3-yaml; tools/install-deps.sh
test installs it). Exit 0 done/current, 1 drift, 2 usage or unreadable CRD.
"""

import argparse
import glob
import json
import os
import sys

CRD_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "k8s", "crds")
YAML_SUFFIX = ".crd.yaml"
SCHEMA_SUFFIX = ".schema.json"

# Keywords whose value is one schema, a list of schemas, or a map of schemas.
# Everything else (default, enum, example, x-kubernetes-validations, ...) is
# data and is copied untouched, even where it has a key named "description".
ONE_SCHEMA = ("additionalProperties", "additionalItems", "items", "not")
SCHEMA_LIST = ("allOf", "anyOf", "oneOf", "items")
SCHEMA_MAP = ("properties", "patternProperties", "definitions", "dependencies")


class CrdError(Exception):
    pass


def strip_descriptions(schema):
    """A copy of an OpenAPI schema node without its `description` keys."""
    if not isinstance(schema, dict):
        return schema  # `additionalProperties: true`, a dependency's list of names
    out = {}
    for key, value in schema.items():
        if key == "description":
            continue
        if key in ONE_SCHEMA and isinstance(value, dict):
            value = strip_descriptions(value)
        elif key in SCHEMA_LIST and isinstance(value, list):
            value = [strip_descriptions(v) for v in value]
        elif key in SCHEMA_MAP and isinstance(value, dict):
            value = {name: strip_descriptions(v) for name, v in value.items()}
        out[key] = value
    return out


def derive(yaml_path):
    """The text of the .schema.json for one CRD file."""
    import yaml  # checked in main()

    with open(yaml_path, encoding="utf-8") as f:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there, same result
        docs = [d for d in yaml.load_all(f, Loader=loader) if d is not None]
    crds = [d for d in docs if d.get("kind") == "CustomResourceDefinition"]
    if len(crds) != 1:
        raise CrdError("%s: expected one CustomResourceDefinition, found %d" % (yaml_path, len(crds)))
    spec = crds[0]["spec"]
    served = [v for v in spec.get("versions", []) if v.get("served")]
    if len(served) != 1:
        raise CrdError("%s: expected one served version, found %s" % (yaml_path, [v.get("name") for v in served]))
    version = served[0]
    schema = (version.get("schema") or {}).get("openAPIV3Schema")
    if not isinstance(schema, dict):
        raise CrdError("%s: version %s has no openAPIV3Schema" % (yaml_path, version.get("name")))
    doc = {
        "group": spec["group"],
        "kind": spec["names"]["kind"],
        "version": version["name"],
        "openAPIV3Schema": strip_descriptions(schema),
    }
    try:
        return json.dumps(doc, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    except (TypeError, ValueError) as e:  # a YAML timestamp or .nan has no JSON form
        raise CrdError("%s: not representable as JSON: %s" % (yaml_path, e))


def schema_path(yaml_path):
    return yaml_path[: -len(YAML_SUFFIX)] + SCHEMA_SUFFIX


def main(argv):
    parser = argparse.ArgumentParser(description="Derive tests/k8s/crds/*.schema.json from the vendored CRDs.")
    parser.add_argument("--check", action="store_true", help="fail if a .schema.json differs from what its YAML gives")
    parser.add_argument("--crd-dir", default=CRD_DIR, help="directory of the *.crd.yaml files (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        import yaml  # noqa: F401
    except ImportError:
        print("crd_schema.py: python3's yaml module is missing (Debian package python3-yaml; "
              "tools/install-deps.sh test installs it)", file=sys.stderr)
        return 2

    yamls = sorted(glob.glob(os.path.join(args.crd_dir, "*" + YAML_SUFFIX)))
    if not yamls:
        print("crd_schema.py: no *.crd.yaml in %s" % args.crd_dir, file=sys.stderr)
        return 2
    stale = []
    try:
        for yaml_path in yamls:
            text = derive(yaml_path)
            out = schema_path(yaml_path)
            if args.check:
                try:
                    with open(out, encoding="utf-8") as f:
                        current = f.read()
                except FileNotFoundError:
                    current = None
                if current != text:
                    stale.append("%s is %s" % (out, "missing" if current is None else "not what %s gives" % yaml_path))
            else:
                with open(out, "w", encoding="utf-8", newline="\n") as f:
                    f.write(text)
                print("wrote %s" % out)
    except (OSError, CrdError, KeyError, AttributeError, yaml.YAMLError) as e:
        print("crd_schema.py: %s" % e, file=sys.stderr)
        return 2

    if args.check:
        wanted = {schema_path(y) for y in yamls}
        for orphan in sorted(set(glob.glob(os.path.join(args.crd_dir, "*" + SCHEMA_SUFFIX))) - wanted):
            stale.append("%s has no CRD YAML beside it" % orphan)
        for line in stale:
            print(line)
        if stale:
            print("run tools/crd_schema.py to regenerate")
            return 1
        print("%d schema file(s) match their CRDs" % len(yamls))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
