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

  explicit Impl(const Network& n) : net(n), lower(graph), upper(graph), cost(graph), supply(graph) {
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
    simplex = std::make_unique<Simplex>(graph);
  }

  const Network& net;
  Graph graph;
  Graph::ArcMap<std::int64_t> lower, upper, cost;
  Graph::NodeMap<std::int64_t> supply;
  std::vector<Graph::Arc> lemon_arc;  // our arc index -> LEMON arc
  std::unique_ptr<Simplex> simplex;
  bool lower_set = false;  // LEMON keeps lower bounds once given: zero them when not needed
};

FlowSolver::FlowSolver(const Network& net) : impl_(std::make_unique<Impl>(net)) {}
FlowSolver::~FlowSolver() = default;

void FlowSolver::solve(const ScaledPeriod& p, FlowSolution& out) {
  Impl& m = *impl_;
  const Network& net = m.net;
  const int arcs = net.num_arcs();
  const auto sized = [&](const std::vector<std::int64_t>& v) {
    return v.size() == static_cast<std::size_t>(arcs);
  };
  if (!sized(p.upper) || !sized(p.cost) || !sized(p.lower) ||
      p.node_supply.size() != static_cast<std::size_t>(net.num_nodes)) {
    throw std::logic_error(
        "flow solver: the period's bounds and costs are not one per arc, or its supplies not one "
        "per node");
  }
  for (int a = 0; a < arcs; ++a) {
    m.upper[m.lemon_arc[a]] = p.upper[a];
    m.cost[m.lemon_arc[a]] = p.cost[a];
  }
  m.simplex->upperMap(m.upper).costMap(m.cost);
  if (p.has_lower || m.lower_set) {
    for (int a = 0; a < arcs; ++a) m.lower[m.lemon_arc[a]] = p.lower[a];
    m.simplex->lowerMap(m.lower);
    m.lower_set = true;
  }
  if (net.storage_reservoir.empty()) {
    // Only S and T have a supply (scale_period): the cheaper form.
    m.simplex->stSupply(m.graph.node(net.source), m.graph.node(net.sink),
                        p.node_supply[net.source]);
  } else {
    for (int n = 0; n < net.num_nodes; ++n) m.supply[m.graph.node(n)] = p.node_supply[n];
    m.simplex->supplyMap(m.supply);
  }
  const auto result = m.simplex->run();
  out.real_cost = 0;
  out.penalty = 0;
  out.status = result == Impl::Simplex::OPTIMAL      ? FlowStatus::Optimal
               : result == Impl::Simplex::INFEASIBLE ? FlowStatus::Infeasible
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
    const std::int64_t f = m.simplex->flow(m.lemon_arc[a]);
    out.arc_flow[a] = f;
    const __int128 c = static_cast<__int128>(f) * p.cost[a];
    total += c;
    if (is_penalty_arc(net.arc_kind[a])) penalty += c;
  }
  if (total > std::numeric_limits<std::int64_t>::max() ||
      total < std::numeric_limits<std::int64_t>::min()) {
    throw std::logic_error(
        "flow solver: the objective exceeds 64 bits; the period was not "
        "checked by scale_period");
  }
  out.penalty = static_cast<std::int64_t>(penalty);
  out.real_cost = static_cast<std::int64_t>(total - penalty);
  out.node_potential.resize(net.num_nodes);
  for (int n = 0; n < net.num_nodes; ++n) {
    out.node_potential[n] = m.simplex->potential(m.graph.node(n));
  }
}

}  // namespace corridor
