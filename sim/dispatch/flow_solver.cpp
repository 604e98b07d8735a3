// The only user of LEMON.
#include "corridor/flow_solver.h"

#include <lemon/network_simplex.h>
#include <lemon/static_graph.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace corridor {

std::string_view flow_status_name(FlowStatus s) {
  switch (s) {
    case FlowStatus::Optimal:
      return "optimal";
    case FlowStatus::Infeasible:
      return "infeasible";
    case FlowStatus::Unbounded:
      return "unbounded";
  }
  return "?";
}

struct FlowSolver::Impl {
  using Graph = lemon::StaticDigraph;
  using Simplex = lemon::NetworkSimplex<Graph, std::int64_t, std::int64_t>;

  explicit Impl(const Network& n) : net(n), upper(graph), cost(graph), supply(graph) {
    // StaticDigraph wants arcs sorted by tail; remember where each of ours went.
    std::vector<int> order(net.num_arcs());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return net.arc_tail[a] < net.arc_tail[b]; });
    std::vector<std::pair<int, int>> arcs;
    arcs.reserve(order.size());
    for (int a : order) arcs.emplace_back(net.arc_tail[a], net.arc_head[a]);
    graph.build(net.num_nodes, arcs.begin(), arcs.end());
    lemon_arc.resize(net.num_arcs());
    for (int k = 0; k < static_cast<int>(order.size()); ++k) lemon_arc[order[k]] = graph.arc(k);
    for (int a = 0; a < net.num_arcs(); ++a) cost[lemon_arc[a]] = net.arc_cost[a];
    simplex = std::make_unique<Simplex>(graph);
    simplex->costMap(cost);
  }

  const Network& net;
  Graph graph;
  Graph::ArcMap<std::int64_t> upper, cost;
  Graph::NodeMap<std::int64_t> supply;

  /// Runs the simplex set up by the caller and reads the solution into `out`.
  void run(FlowSolution& out);
  std::vector<Graph::Arc> lemon_arc;  // our arc index -> LEMON arc
  std::unique_ptr<Simplex> simplex;
};

FlowSolver::FlowSolver(const Network& net) : impl_(std::make_unique<Impl>(net)) {}
FlowSolver::~FlowSolver() = default;

void FlowSolver::costs_changed() {
  Impl& m = *impl_;
  for (int a = 0; a < m.net.num_arcs(); ++a) m.cost[m.lemon_arc[a]] = m.net.arc_cost[a];
  m.simplex->costMap(m.cost);
}

void FlowSolver::solve(std::span<const std::int64_t> arc_upper, std::int64_t total_demand,
                       FlowSolution& out) {
  Impl& m = *impl_;
  const Network& net = m.net;
  const int arcs = net.num_arcs();
  for (int a = 0; a < arcs; ++a) m.upper[m.lemon_arc[a]] = arc_upper[a];
  m.simplex->upperMap(m.upper).stSupply(m.graph.node(net.source), m.graph.node(net.sink),
                                        total_demand);
  m.run(out);
}

void FlowSolver::solve(std::span<const std::int64_t> arc_upper,
                       std::span<const std::int64_t> node_supply, FlowSolution& out) {
  Impl& m = *impl_;
  const Network& net = m.net;
  const int arcs = net.num_arcs();
  for (int a = 0; a < arcs; ++a) m.upper[m.lemon_arc[a]] = arc_upper[a];
  for (int n = 0; n < net.num_nodes; ++n) m.supply[m.graph.node(n)] = node_supply[n];
  m.simplex->upperMap(m.upper).supplyMap(m.supply);
  m.run(out);
}

void FlowSolver::Impl::run(FlowSolution& out) {
  const int arcs = net.num_arcs();
  const auto result = simplex->run();
  out.real_cost = 0;
  out.penalty = 0;
  out.status = result == Simplex::OPTIMAL      ? FlowStatus::Optimal
               : result == Simplex::INFEASIBLE ? FlowStatus::Infeasible
                                               : FlowStatus::Unbounded;
  if (out.status != FlowStatus::Optimal) {
    out.arc_flow.assign(arcs, 0);
    out.node_potential.clear();
    return;
  }
  out.arc_flow.resize(arcs);
  // The objective in 128 bits, so that an unchecked bound is caught rather than wrapped.
  __int128 total = 0, penalty = 0;
  for (int a = 0; a < arcs; ++a) {
    const std::int64_t f = simplex->flow(lemon_arc[a]);
    out.arc_flow[a] = f;
    const __int128 c = static_cast<__int128>(f) * net.arc_cost[a];
    total += c;
    if (is_penalty_arc(net.arc_kind[a])) penalty += c;
  }
  if (total > std::numeric_limits<std::int64_t>::max()) {
    throw std::logic_error(
        "flow solver: the objective exceeds 64 bits; the bounds were not "
        "checked by scale_bounds");
  }
  out.penalty = static_cast<std::int64_t>(penalty);
  out.real_cost = static_cast<std::int64_t>(total - penalty);
  out.node_potential.resize(net.num_nodes);
  for (int n = 0; n < net.num_nodes; ++n) {
    out.node_potential[n] = simplex->potential(graph.node(n));
  }
}

}  // namespace corridor
