// LEMON's second entry point (with flow_solver.cpp): maximum flow for n1.h and bottlenecks.h.
#include "corridor/max_flow.h"

#include <lemon/preflow.h>
#include <lemon/static_graph.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace corridor {

MaxFlow max_flow(int num_nodes, std::span<const int> tail, std::span<const int> head,
                 std::span<const std::int64_t> cap, int source, int sink) {
  if (tail.size() != head.size() || tail.size() != cap.size()) {
    throw std::logic_error("max_flow: arc arrays differ in size");
  }
  using Graph = lemon::StaticDigraph;
  MaxFlow out;
  out.source_side.assign(num_nodes, 0);
  if (source == sink) return out;
  // StaticDigraph wants arcs sorted by tail.
  std::vector<int> order(tail.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return tail[a] < tail[b]; });
  std::vector<std::pair<int, int>> arcs;
  arcs.reserve(order.size());
  for (int a : order) arcs.emplace_back(tail[a], head[a]);
  Graph g;
  g.build(num_nodes, arcs.begin(), arcs.end());
  Graph::ArcMap<std::int64_t> capacity(g);
  for (int k = 0; k < static_cast<int>(order.size()); ++k) capacity[g.arc(k)] = cap[order[k]];
  lemon::Preflow<Graph, Graph::ArcMap<std::int64_t>> preflow(g, capacity, g.node(source),
                                                             g.node(sink));
  preflow.run();
  out.value = preflow.flowValue();
  for (int n = 0; n < num_nodes; ++n) out.source_side[n] = preflow.minCut(g.node(n)) ? 1 : 0;
  return out;
}

}  // namespace corridor
