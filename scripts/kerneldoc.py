#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the kernel-doc of module/ and kunit/.

    scripts/kerneldoc.py LINUX_SOURCE_TREE

Fails (exit 1) when
  - the tree's scripts/kernel-doc, run with -none -Wall on every .c and .h
    under module/ and kunit/, prints anything (a malformed comment, an
    undescribed parameter or member, a missing "Return:");
  - a function of module/ or kunit/ with external linkage (one another
    file can call) has no kernel-doc comment naming it. A stub in an #else branch
    counts as documented when its other definition in the file is.
The last line is "PGM-RESULT kerneldoc files=N warnings=W undocumented=U".
"""

import glob
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A definition: an optional return type on the same line, the name at the
# start of a line or after the type, the parameters, and "{" on a line of
# its own, as kernel style lays a function out.
DEFN = re.compile(
    r"^([A-Za-z_][^;{}()\n]*?[\s*])?([A-Za-z_]\w*)\(([^;{}]*?)\)\s*\n\{",
    re.M)
# "/**" then " * name() - ..." or " * name - ..."
DOC = re.compile(r"/\*\*\s*\n\s*\*\s*([A-Za-z_]\w*)(?:\(\))?\s+-")


def undocumented(path):
    """(line, name) of each external function of @path without kernel-doc."""
    with open(path) as fh:
        text = fh.read()
    documented = set(DOC.findall(text))
    missing = []
    for m in DEFN.finditer(text):
        name, ret = m.group(2), m.group(1)
        if not ret:
            # The return type on the line before, as "static int\nfoo(...)"
            ret = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        if re.match(r"static\b", ret) or ret[:1] in " \t#*/":
            continue
        if name not in documented:
            missing.append((text.count("\n", 0, m.start()) + 1, name))
    return missing


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    tool = os.path.join(sys.argv[1], "scripts", "kernel-doc")
    os.chdir(REPO)
    files = sorted(glob.glob("module/*.[ch]") + glob.glob("kunit/*.[ch]"))
    out = subprocess.run(["perl", tool, "-none", "-Wall"] + files,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, check=False)
    warnings = [l for l in out.stdout.splitlines() if l.strip()]
    for line in warnings:
        print(line)
    if out.returncode and not warnings:
        warnings = ["kernel-doc exited %d" % out.returncode]
        print(warnings[0])

    missing = 0
    for path in files:
        if not path.endswith(".c"):
            continue
        for line, name in undocumented(path):
            print("%s:%d: %s() has external linkage and no kernel-doc"
                  % (path, line, name))
            missing += 1

    print("kerneldoc: %d files, %d kernel-doc warnings, %d undocumented"
          % (len(files), len(warnings), missing))
    print("PGM-RESULT kerneldoc files=%d warnings=%d undocumented=%d"
          % (len(files), len(warnings), missing))
    return 1 if warnings or missing else 0


if __name__ == "__main__":
    sys.exit(main())
