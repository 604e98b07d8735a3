// LEMON's second entry point (with flow_solver.cpp): maximum flow for n1.h and bottlenecks.h.
#include "corridor/max_flow.h"

#include <lemon/preflow.h>
#include <lemon/static_graph.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace corridor {

struct MaxFlowSolver::Impl {
  using Graph = lemon::StaticDigraph;
  Graph graph;
  std::vector<Graph::Arc> arc;  // our arc index -> LEMON arc
  Graph::ArcMap<std::int64_t> capacity{graph};
  std::unique_ptr<lemon::Preflow<Graph, Graph::ArcMap<std::int64_t>>> preflow;
};

MaxFlowSolver::MaxFlowSolver(int num_nodes, std::span<const int> tail, std::span<const int> head)
    : impl_(std::make_unique<Impl>()) {
  if (tail.size() != head.size()) throw std::logic_error("max_flow: arc arrays differ in size");
  // StaticDigraph wants arcs sorted by tail.
  std::vector<int> order(tail.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return tail[a] < tail[b]; });
  std::vector<std::pair<int, int>> arcs;
  arcs.reserve(order.size());
  for (int a : order) arcs.emplace_back(tail[a], head[a]);
  Impl& m = *impl_;
  m.graph.build(num_nodes, arcs.begin(), arcs.end());
  m.arc.resize(order.size());
  for (int k = 0; k < static_cast<int>(order.size()); ++k) m.arc[order[k]] = m.graph.arc(k);
  const int source = 0, sink = num_nodes > 1 ? 1 : 0;
  m.preflow = std::make_unique<lemon::Preflow<Impl::Graph, Impl::Graph::ArcMap<std::int64_t>>>(
      m.graph, m.capacity, m.graph.node(source), m.graph.node(sink));
}

MaxFlowSolver::~MaxFlowSolver() = default;

MaxFlow MaxFlowSolver::solve(std::span<const std::int64_t> cap, int source, int sink, bool cut) {
  Impl& m = *impl_;
  if (cap.size() != m.arc.size()) throw std::logic_error("max_flow: one capacity per arc");
  MaxFlow out;
  const int nodes = m.graph.nodeNum();
  if (cut) out.source_side.assign(nodes, 0);
  if (source == sink) return out;
  for (std::size_t a = 0; a < m.arc.size(); ++a) m.capacity[m.arc[a]] = cap[a];
  m.preflow->source(m.graph.node(source)).target(m.graph.node(sink));
  m.preflow->run();
  out.value = m.preflow->flowValue();
  if (cut) {
    for (int n = 0; n < nodes; ++n) out.source_side[n] = m.preflow->minCut(m.graph.node(n));
  }
  return out;
}

MaxFlow max_flow(int num_nodes, std::span<const int> tail, std::span<const int> head,
                 std::span<const std::int64_t> cap, int source, int sink) {
  if (tail.size() != cap.size()) throw std::logic_error("max_flow: arc arrays differ in size");
  MaxFlowSolver solver(num_nodes, tail, head);
  return solver.solve(cap, source, sink, true);
}

}  // namespace corridor
