#!/usr/bin/env python3
"""Check that every header under include/trainspec/ is reachable from the
umbrella header include/trainspec/trainspec.hpp (and so is part of the single
header). Exit 1 listing the headers that are not."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import amalgamate  # noqa: E402


def main():
    try:
        _, unreachable = amalgamate.amalgamate()
    except (amalgamate.AmalgamationError, OSError) as e:
        print("check_umbrella.py: error: %s" % e)
        return 1
    if unreachable:
        for header in unreachable:
            print("include/%s is not included by include/trainspec/trainspec.hpp (directly or through another header)"
                  % header)
        return 1
    print("every header is reachable from include/trainspec/trainspec.hpp")
    return 0


if __name__ == "__main__":
    sys.exit(main())
