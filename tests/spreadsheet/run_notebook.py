#!/usr/bin/env python3
"""Executes a notebook from notebooks/ top to bottom with nbconvert, as a user's Jupyter would.

The notebook finds corridor through CORRIDOR_BIN and the repository through CORRIDOR_ROOT, and
writes its results and figures (CORRIDOR_OUT/figures/*.png) under CORRIDOR_OUT; all three are set
here, CORRIDOR_OUT to a scratch directory. The test fails if any cell raises (the notebook asserts what it relies on), if
the executed notebook shows fewer plots than it saves, or if a saved figure is missing.

With --scenario and --baseline it runs the notebook on that file and case instead of its
defaults (CORRIDOR_SCENARIO, CORRIDOR_BASELINE), as a user who does not edit it would.

Usage: run_notebook.py NOTEBOOK --corridor BUILD/corridor --root REPO [--keep DIR]
                       [--scenario FILE --baseline CASE]
Run it with the Python that has nbconvert, ipykernel, pandas and matplotlib.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--corridor", required=True, type=Path, help="the corridor binary")
    parser.add_argument("--root", required=True, type=Path, help="repository root")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    parser.add_argument("--scenario", help="CORRIDOR_SCENARIO, relative to the root")
    parser.add_argument("--baseline", help="CORRIDOR_BASELINE")
    parser.add_argument("--cell-timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args()
    started = time.monotonic()

    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
        scratch = args.keep
    else:
        scratch = Path(tempfile.mkdtemp(prefix="corridor-notebook-"))
    try:
        out = scratch / "out"
        env = dict(os.environ,
                   CORRIDOR_BIN=str(args.corridor.resolve()),
                   CORRIDOR_ROOT=str(args.root.resolve()),
                   CORRIDOR_OUT=str(out),
                   # Kernel connection files and IPython state stay in the scratch directory.
                   JUPYTER_RUNTIME_DIR=str(scratch / "jupyter-runtime"),
                   IPYTHONDIR=str(scratch / "ipython"),
                   # ipykernel's debugger warns about frozen modules on Python 3.11: noise here.
                   PYDEVD_DISABLE_FILE_VALIDATION="1")
        # The kernel picks the inline (Agg-rendered) backend itself; a backend forced from
        # outside (MPLBACKEND=Agg, say) would keep the plots out of the executed notebook.
        env.pop("MPLBACKEND", None)
        for name in ("CORRIDOR_SCENARIO", "CORRIDOR_BASELINE", "CORRIDOR_COMMODITY"):
            env.pop(name, None)
        if args.scenario:
            env["CORRIDOR_SCENARIO"] = args.scenario
        if args.baseline:
            env["CORRIDOR_BASELINE"] = args.baseline
        cmd = [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
               f"--ExecutePreprocessor.timeout={args.cell_timeout}",
               "--output-dir", str(scratch / "executed"), str(args.notebook.resolve())]
        result = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, cwd=scratch,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            print(result.stdout)
            print(f"FAIL {args.notebook.name}: nbconvert exited {result.returncode}")
            return 1

        executed = json.loads((scratch / "executed" / args.notebook.name).read_text("utf-8"))
        outputs = [o for c in executed["cells"] if c["cell_type"] == "code"
                   for o in c.get("outputs", [])]
        errors = [o for o in outputs if o.get("output_type") == "error"]
        plots = [o for o in outputs if "image/png" in o.get("data", {})]
        figures = sorted((out / "figures").glob("*.png"))
        status = 0
        if errors:
            status = 1
            print(f"FAIL {len(errors)} error output(s): {[e.get('ename') for e in errors]}")
        if not figures:
            status = 1
            print(f"FAIL no figures saved in CORRIDOR_OUT/figures ({out})")
        if len(plots) < len(figures):
            status = 1
            print(f"FAIL {len(figures)} figures saved but {len(plots)} shown in the notebook")
        print(f"{args.notebook.name}: executed in {time.monotonic() - started:.1f} s, "
              f"{len(plots)} plots shown, figures saved: {', '.join(f.name for f in figures)}")
        return status
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
