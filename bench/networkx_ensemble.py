#!/usr/bin/env python3
"""The networkx peer of bench_ensemble: the same network and bound sets, solved in a loop as a
Python user would write an ensemble with networkx (update capacities and node demands, call
networkx.network_simplex). Every objective must equal LEMON's, which bench_ensemble passes in.

Input: the JSON bench_ensemble writes ({nodes, source, sink, arcs: [[tail, head, cost]...],
sets: [{demand, cost, upper: [...]}...]}). Output: the mean seconds per solve on the last line.
Exit 1 with a message on the last line when networkx is missing or an objective differs.

Usage: /usr/bin/python3 networkx_ensemble.py SETS.json
"""

import json
import sys
import time


def main(path):
    try:
        import networkx as nx
    except ImportError:
        print("networkx is not installed (Debian: python3-networkx)")
        return 1
    with open(path) as f:
        data = json.load(f)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(data["nodes"]))
    # networkx's DiGraph holds one arc per node pair; a parallel arc (none in this family, but
    # say so if one appears) would need a MultiDiGraph.
    keys = []
    for tail, head, cost in data["arcs"]:
        if graph.has_edge(tail, head):
            print(f"parallel arcs {tail}->{head}: not supported by this peer")
            return 1
        graph.add_edge(tail, head, weight=cost, capacity=0)
        keys.append((tail, head))
    source, sink = data["source"], data["sink"]
    times = []
    for s in data["sets"]:
        start = time.perf_counter()
        for (tail, head), upper in zip(keys, s["upper"]):
            graph[tail][head]["capacity"] = upper
        for v in graph.nodes:
            graph.nodes[v]["demand"] = 0
        graph.nodes[source]["demand"] = -s["demand"]
        graph.nodes[sink]["demand"] = s["demand"]
        cost, _flow = nx.network_simplex(graph)
        times.append(time.perf_counter() - start)
        if cost != s["cost"]:
            print(f"objective {cost} differs from LEMON's {s['cost']}")
            return 1
    print(f"networkx {nx.__version__}: {len(times)} solves, objectives equal LEMON's")
    print(sum(times) / len(times))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
