#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the function map in Documentation/design.rst against the code.

    scripts/mapcheck.py LINUX_SOURCE_TREE

Fails (exit 1) when
  - a pgmirror name in the map does not exist in module/;
  - an upstream name in the map does not exist in the tree's mm/ or
    include/linux/;
  - a non-static function in module/ whose name, less "pgm_", is a function
    of upstream's mm/ or include/linux/ is missing from the map.
The last line is "PGM-RESULT mapcheck passed=P failed=F".
"""

import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DESIGN = os.path.join(REPO, "Documentation", "design.rst")
MODULE = os.path.join(REPO, "module")

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# ``name()``, ``name[]``, ``enum name``, ``struct name``, ``NAME``
LITERAL = re.compile(r"``([^`]+)``")
NAME_IN_LITERAL = re.compile(
    r"^(?:(?:enum|struct)\s+)?([A-Za-z_][A-Za-z0-9_]*)(?:\(\)|\[\])?$")


def words_of(paths):
    """Every identifier in the C sources under @paths."""
    seen = set()
    for top in paths:
        for root, _, files in os.walk(top):
            for f in files:
                if not f.endswith((".c", ".h")):
                    continue
                with open(os.path.join(root, f), errors="replace") as fh:
                    seen.update(IDENT.findall(fh.read()))
    return seen


def functions_of(paths):
    """Names followed by '(' in C sources: functions and function macros."""
    seen = set()
    call = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")
    for top in paths:
        for root, _, files in os.walk(top):
            for f in files:
                if f.endswith((".c", ".h")):
                    with open(os.path.join(root, f), errors="replace") as fh:
                        seen.update(call.findall(fh.read()))
    return seen


def map_rows():
    """(line, [pgmirror names], [upstream names]) of each map row."""
    with open(DESIGN) as fh:
        lines = fh.read().split("\n")
    start = None
    for i, line in enumerate(lines):
        if line == "Function map" and lines[i + 1].startswith("===="):
            start = i
            break
    if start is None:
        sys.exit("mapcheck: no 'Function map' section in design.rst")
    end = len(lines)
    for i in range(start + 2, len(lines) - 1):
        if lines[i + 1].startswith("====") and lines[i].strip():
            end = i
            break

    rows, cur, col = [], None, -1
    for i in range(start, end):
        line = lines[i]
        m = re.match(r"^   \* - (.*)$", line)
        if m:
            if cur:
                rows.append(cur)
            cur = [i + 1, [m.group(1)], [], []]
            col = 1
            continue
        m = re.match(r"^     - ?(.*)$", line)
        if m and cur:
            col += 1
            if col <= 3:
                cur[col].append(m.group(1))
            continue
        if cur and line.startswith("       ") and 1 <= col <= 3:
            cur[col].append(line.strip())
    if cur:
        rows.append(cur)

    out = []
    for lineno, pg, up, _ in rows[1:]:     # rows[0] is the header
        pg_names = names(" ".join(pg))
        up_text = " ".join(up)
        up_names = pg_names if up_text.startswith("same name") else \
            names(up_text)
        out.append((lineno, pg_names, up_names))
    return out


def names(text):
    """The identifiers a cell names, skipping file names and prose."""
    found = []
    for lit in LITERAL.findall(text):
        lit = lit.strip()
        if "/" in lit or lit.endswith((".c", ".h")):
            continue
        m = NAME_IN_LITERAL.match(lit)
        if m:
            found.append(m.group(1))
    return found


def exported_functions():
    """Non-static functions defined in module/*.c: name -> file."""
    out = {}
    start = re.compile(r"^(?!static\b)(?:__always_inline\s+)?[a-z][^;(]*?\b(pgm_[A-Za-z0-9_]+)\(")
    for f in sorted(os.listdir(MODULE)):
        if not f.endswith(".c"):
            continue
        with open(os.path.join(MODULE, f)) as fh:
            for line in fh:
                m = start.match(line)
                if m:
                    out[m.group(1)] = f
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    tree = sys.argv[1]
    upstream_dirs = [os.path.join(tree, "mm"),
                     os.path.join(tree, "include", "linux")]
    ours = words_of([MODULE])
    theirs = words_of(upstream_dirs)
    their_functions = functions_of(upstream_dirs)

    failed = passed = 0
    mapped = set()
    for lineno, pg, up in map_rows():
        for n in pg:
            mapped.add(n)
            if n in ours:
                passed += 1
            else:
                failed += 1
                print(f"mapcheck: design.rst:{lineno}: pgmirror name "
                      f"'{n}' is not in module/")
        for n in up:
            if n in theirs:
                passed += 1
            else:
                failed += 1
                print(f"mapcheck: design.rst:{lineno}: upstream name "
                      f"'{n}' is not in mm/ or include/linux/")

    for fn, f in sorted(exported_functions().items()):
        twin = fn[len("pgm_"):]
        if twin not in their_functions:
            continue
        if fn in mapped:
            passed += 1
        else:
            failed += 1
            print(f"mapcheck: module/{f}: {fn}() mirrors upstream's "
                  f"{twin}() but is not in the function map")

    print(f"mapcheck: {passed} names checked, {failed} problems")
    print(f"PGM-RESULT mapcheck passed={passed} failed={failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
