#pragma once
/// \file Min-cost flow on a fixed Network: LEMON NetworkSimplex (block-search pivoting) on a
/// StaticDigraph built once, re-run per period with new upper bounds and supply.
/// Ahuja, Magnanti & Orlin, Network Flows (1993), ch. 11. LEMON lives in flow_solver.cpp only.
///
/// Network simplex does not warm-start across runs (LEMON rebuilds its initial tree in
/// init()), but graph, cost map and working arrays are reused.
///
/// Duals. An optimal solution comes with a potential per network node, in scaled cost units
/// (network.h): for every arc a = (u, v), the reduced cost cost(a) + potential(u) -
/// potential(v) is >= 0 when flow(a) is below its upper bound and <= 0 when flow(a) is above 0
/// (complementary slackness; check_flow_invariants checks it on every solve). Only differences
/// matter: potential(v) - potential(S) is the marginal cost of one more flow unit delivered at
/// v, a nodal price that is capped by v's shortfall penalty when v is short of demand
/// (Ahuja, Magnanti & Orlin, ch. 9.4).
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "corridor/network.h"

namespace corridor {

enum class FlowStatus {
  Optimal,     ///< optimal flow found
  Infeasible,  ///< cannot happen with shortfall arcs; reported, never thrown
  Unbounded,   ///< a negative-cost cycle of infinite capacity; cannot happen with costs >= 0
};
std::string_view flow_status_name(FlowStatus s);

struct FlowSolution {
  FlowStatus status = FlowStatus::Optimal;
  std::vector<std::int64_t> arc_flow;  ///< scaled, per arc
  /// Objective in scaled units (flow units x scaled cost), split: real (supply + transport)
  /// cost and tier penalty. With bounds from scale_bounds the whole objective is below 2^61.
  std::int64_t real_cost = 0;
  std::int64_t penalty = 0;
  /// Per network node when Optimal, else empty: the duals (see the file comment).
  std::vector<std::int64_t> node_potential;
};

class FlowSolver {
 public:
  /// Builds the LEMON graph and solver for `net`; `net` must outlive the solver.
  explicit FlowSolver(const Network& net);
  ~FlowSolver();
  FlowSolver(const FlowSolver&) = delete;
  FlowSolver& operator=(const FlowSolver&) = delete;

  /// Solves with the given arc upper bounds (size num_arcs) and S->T supply `total_demand`,
  /// as scale_bounds makes them. Writes into `out`, reusing its storage. Throws
  /// std::logic_error if the objective does not fit in 64 bits (bounds scale_bounds refuses).
  void solve(std::span<const std::int64_t> arc_upper, std::int64_t total_demand, FlowSolution& out);

  /// Re-reads Network::arc_cost, for a caller that changed the costs of the network the solver
  /// was built on (a study of uncertain costs). The graph is not rebuilt.
  void costs_changed();
  /// The same with a supply per network node (outflow - inflow; size num_nodes, summing to 0),
  /// as scale_layers makes them: the form a network with storage needs (network.h).
  void solve(std::span<const std::int64_t> arc_upper, std::span<const std::int64_t> node_supply,
             FlowSolution& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corridor
