#!/usr/bin/env python3
"""corridor's gas hydraulics against an independent NumPy/SciPy solve (gas_newton.py).

Two cases, each solved by corridor (through hydraulics_dump) and by gas_newton:
  - GasLib-11 at the max-outlet-pressure rule: gas_newton reads the .net/.scn itself with
    xml.etree and takes only the rule's settings (station set points, the reference node) and
    the gas from corridor's dump;
  - a 3-pipe chain with heights, built here from its own numbers (the same as in
    hydraulics_dump.cpp).
Pressures must agree to 1e-9 relative and flows to 1e-8 of the largest flow. Exit 0 on
agreement, 1 otherwise, with a table of the largest differences.
"""
import argparse
import csv
import math
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gas_newton  # noqa: E402

P_TOL = 1e-9
Q_TOL = 1e-8


def read_solution(path):
    out = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            out[(row["kind"], row["id"])] = float(row["value"])
    return out


def chain_network(gas):
    """The 3-pipe chain of hydraulics_dump.cpp, from its own numbers."""
    net = gas_newton.Network()
    net.gas = gas
    for nid, inj, h, sp in (("A", 0.0, 0.0, 70e5), ("B", -40.0, 120.0, None),
                            ("C", 0.0, 350.0, None), ("D", -60.0, 80.0, None)):
        net.node_id.append(nid)
        net.injection.append(inj)
        net.height.append(h)
        net.set_pressure.append(float("nan") if sp is None else sp)
    net.pipes = [("P1", 0, 1, 60e3, 1.0, 0.012e-3), ("P2", 1, 2, 45e3, 0.8, 0.02e-3),
                 ("P3", 2, 3, 70e3, 0.7, 0.05e-3)]
    return net


def compare(name, net, solver, ours):
    p, q_pipe, _, q_act = solver.results()
    worst_p = worst_q = 0.0
    rows = []
    for i, nid in enumerate(net.node_id):
        theirs = ours[("pressure_pa", nid)]
        d = abs(p[i] - theirs) / theirs
        worst_p = max(worst_p, d)
        rows.append((d, "pressure " + nid, p[i], theirs))
    qmax = max([abs(v) for (k, _), v in ours.items() if k.endswith("flow_kg_per_s")] + [1e-300])
    for k, pipe in enumerate(net.pipes):
        theirs = ours[("pipe_flow_kg_per_s", pipe[0])]
        d = abs(q_pipe[k] - theirs) / qmax
        worst_q = max(worst_q, d)
        rows.append((d, "flow " + pipe[0], q_pipe[k], theirs))
    k_act = 0
    for c in net.compressors:
        if c[3] in ("outlet-pressure", "ratio"):
            theirs = ours[("compressor_flow_kg_per_s", c[0])]
            d = abs(q_act[k_act] - theirs) / qmax
            worst_q = max(worst_q, d)
            rows.append((d, "station " + c[0], q_act[k_act], theirs))
            k_act += 1
    ok = worst_p <= P_TOL and worst_q <= Q_TOL
    print(f"{name}: scipy {solver.iterations} Newton iterations; largest differences: pressure "
          f"{worst_p:.2e} (tol {P_TOL:g}), flow {worst_q:.2e} of the largest flow (tol {Q_TOL:g}): "
          f"{'ok' if ok else 'FAIL'}")
    if not ok:
        for d, what, a, b in sorted(rows, reverse=True)[:8]:
            print(f"  {what}: scipy {a:.12g} corridor {b:.12g} ({d:.2e})")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dump", required=True, help="the hydraulics_dump executable")
    ap.add_argument("--gaslib", required=True, help="tests/data/gaslib")
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="corridor-hydraulics-") as tmp:
        g11 = os.path.join(args.gaslib, "GasLib-11", "GasLib-11")
        out = os.path.join(tmp, "gaslib11")
        subprocess.run([args.dump, "gaslib", g11 + ".net", g11 + ".scn", out], check=True)
        net = gas_newton.load_gaslib(g11 + ".net", g11 + ".scn", os.path.join(out, "network.json"))
        s = gas_newton.Solver(net)
        if not s.solve():
            print("GasLib-11: the SciPy solve did not converge")
            return 1
        ok &= compare("GasLib-11", net, s, read_solution(os.path.join(out, "solution.csv")))

        out = os.path.join(tmp, "chain")
        subprocess.run([args.dump, "chain", out], check=True)
        gas = gas_newton.load_json(os.path.join(out, "network.json")).gas
        net = chain_network(gas)
        s = gas_newton.Solver(net)
        if not s.solve():
            print("chain: the SciPy solve did not converge")
            return 1
        ok &= compare("3-pipe chain", net, s, read_solution(os.path.join(out, "solution.csv")))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
