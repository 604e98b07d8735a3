#!/usr/bin/python3
"""Python peers for bench_dispatch: networkx network_simplex and SciPy HiGHS on the problems the
engine solves (bench/README.md, "peers").

Usage: peers.py PROBLEM.json REPS

PROBLEM.json holds one dispatch problem as bench_dispatch writes it: nodes, source S, sink T, arc
arrays (tail, head, cost) and per period the arc upper bounds and the S -> T supply D. Both peers
solve the same min-cost flow: S sends exactly D, T takes D, every other node balances, arcs
within [0, upper]. The time of each solve covers the solver call only (the graph or the LP
matrix is built beforehand); the result is the median over REPS repetitions of every period.
Times are the process's CPU time (time.process_time, all its threads), as bench_dispatch times
its own side in CPU time: on a shared machine, wall time counts other processes' turns too.

Prints "networkx_ms X", "highs_ms Y" and one "objective_T NX HIGHS" line per period, or a line
starting with "skipped:" when networkx or SciPy cannot be imported (run with the system Python,
/usr/bin/python3, which has Debian's python3-networkx and python3-scipy).
"""
import json
import statistics
import sys
import time


def main():
    try:
        import networkx as nx
        import numpy as np
        import scipy.sparse as sp
        from scipy.optimize import linprog
    except ImportError as e:
        print(f"skipped: {e} (install python3-networkx and python3-scipy; ./setup.sh --checks)")
        return 0
    with open(sys.argv[1]) as f:
        p = json.load(f)
    reps = int(sys.argv[2])
    n, s, t = p["nodes"], p["source"], p["sink"]
    tail, head, cost = p["tail"], p["head"], p["cost"]
    m = len(tail)

    # networkx: a MultiDiGraph (parallel arcs allowed), demand -D at S and +D at T.
    g = nx.MultiDiGraph()
    g.add_nodes_from(range(n))
    keys = [g.add_edge(tail[a], head[a], weight=cost[a], capacity=0) for a in range(m)]
    # HiGHS: min c.x subject to A x = b (node-arc incidence: +1 into a node, -1 out), 0 <= x <= u.
    rows = np.concatenate([np.asarray(head), np.asarray(tail)])
    cols = np.concatenate([np.arange(m), np.arange(m)])
    vals = np.concatenate([np.ones(m), -np.ones(m)])
    a_eq = sp.csr_matrix((vals, (rows, cols)), shape=(n, m))
    c = np.asarray(cost, dtype=float)

    nx_times, highs_times = [], []
    for k, period in enumerate(p["periods"]):
        upper, d = period["upper"], period["demand"]
        for a in range(m):
            g.edges[tail[a], head[a], keys[a]]["capacity"] = upper[a]
        for v in range(n):
            g.nodes[v]["demand"] = -d if v == s else d if v == t else 0
        b_eq = np.zeros(n)
        b_eq[s], b_eq[t] = -d, d
        bounds = np.column_stack([np.zeros(m), np.asarray(upper, dtype=float)])
        nx_obj = highs_obj = None
        for _ in range(reps):
            t0 = time.process_time()
            nx_obj, _flows = nx.network_simplex(g)
            nx_times.append((time.process_time() - t0) * 1e3)
            t0 = time.process_time()
            res = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            highs_times.append((time.process_time() - t0) * 1e3)
            if res.status != 0:
                print(f"highs failed on period {k}: {res.message}", file=sys.stderr)
                return 1
            highs_obj = res.fun
        print(f"objective_{k} {nx_obj} {highs_obj!r}")
    print(f"networkx_ms {statistics.median(nx_times)}")
    print(f"highs_ms {statistics.median(highs_times)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
