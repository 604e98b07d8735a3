#!/usr/bin/env python3
"""Checks that committed notebooks carry no outputs: outputs are results of one machine and one
build, they bloat diffs, and a stale plot in the repository would contradict the code next to it.

Every code cell must have `outputs: []` and `execution_count: null`, and the notebook must have
no widget state. Clear a notebook before committing with
  /usr/bin/python3 -m nbconvert --clear-output --inplace notebooks/NAME.ipynb

Usage: check_notebook_clean.py NOTEBOOK...   Exit status: 0 clean, 1 not clean, 2 unreadable.
"""

import json
import sys


def problems(notebook):
    """What is left in a parsed notebook that should not be committed."""
    found = []
    if notebook.get("nbformat") != 4:
        found.append(f"nbformat is {notebook.get('nbformat')!r}, expected 4")
    if "widgets" in notebook.get("metadata", {}):
        found.append("metadata holds widget state")
    for i, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            found.append(f"cell {i}: {len(cell['outputs'])} output(s)")
        if cell.get("execution_count") is not None:
            found.append(f"cell {i}: execution_count {cell['execution_count']}, expected null")
    return found


def main(paths):
    if not paths:
        sys.stderr.write("usage: check_notebook_clean.py NOTEBOOK...\n")
        return 2
    status = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                notebook = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            print(f"{path}: cannot read: {e}")
            return 2
        found = problems(notebook)
        code_cells = sum(1 for c in notebook.get("cells", []) if c.get("cell_type") == "code")
        if found:
            status = 1
            print(f"{path}: not clean; clear it with "
                  f"python3 -m nbconvert --clear-output --inplace {path}")
            for p in found:
                print(f"  {p}")
        else:
            print(f"{path}: clean ({code_cells} code cells, no outputs)")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
