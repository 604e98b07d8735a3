#!/usr/bin/env python3
"""The SciPy side of bench_hydraulics: times the NumPy/SciPy Newton of
tests/hydraulics/gas_newton.py (the same equations, start, line search and tolerance as
corridor's solver; scipy.sparse.linalg.spsolve for every linear system) on network JSON files
written by bench_hydraulics, and writes each solution's pressures next to its JSON
(<name>.scipy.csv) so that the C++ side can check the two agree.

  hydraulics_scipy.py --reps N a.json b.json ...

Prints one line per file: "<file> <median ms> <min ms> <iterations> <converged 0/1> <median CPU
ms>", the last in CPU time of the process (time.process_time), which a loaded machine disturbs
less than wall time.
Each timed solve is cold: building the solver's arrays from the parsed JSON is timed, parsing
the JSON text is not (the C++ side is handed a built HydraulicNetwork too).
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "hydraulics"))
import gas_newton  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    for path in args.files:
        net = gas_newton.load_json(path)
        times = []
        cpu = []
        solver = None
        ok = False
        for _ in range(args.reps):
            c0 = time.process_time()
            t0 = time.perf_counter()
            solver = gas_newton.Solver(net)
            ok = solver.solve()
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        p, *_ = solver.results()
        with open(path[:-5] + ".scipy.csv", "w") as f:
            f.write("id,pressure_pa\n")
            for nid, v in zip(net.node_id, p):
                f.write(f"{nid},{v!r}\n")
        print(f"{path} {statistics.median(times) * 1e3:.4f} {min(times) * 1e3:.4f} "
              f"{solver.iterations} {int(ok)} {statistics.median(cpu) * 1e3:.4f}", flush=True)


if __name__ == "__main__":
    main()
