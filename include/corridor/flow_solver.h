#pragma once
/// \file Min-cost flow on a fixed Network: LEMON NetworkSimplex (block-search pivoting) on a
/// StaticDigraph built once, re-run per period with new upper bounds and supply.
/// Ahuja, Magnanti & Orlin, Network Flows (1993), ch. 11. LEMON lives in flow_solver.cpp only.
///
/// Network simplex does not warm-start across runs (LEMON rebuilds its initial tree in
/// init()), but graph, cost map and working arrays are reused.
#include <cstdint>
#include <memory>
#include <span>
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
  /// Objective in scaled units, split: real (supply + transport) cost and tier penalty.
  __int128 real_cost = 0;
  __int128 penalty = 0;
};

class FlowSolver {
 public:
  /// Builds the LEMON graph and solver for `net`; `net` must outlive the solver.
  explicit FlowSolver(const Network& net);
  ~FlowSolver();
  FlowSolver(const FlowSolver&) = delete;
  FlowSolver& operator=(const FlowSolver&) = delete;

  /// Solves with the given arc upper bounds (size num_arcs) and S->T supply `total_demand`.
  /// Writes into `out`, reusing its storage.
  void solve(std::span<const std::int64_t> arc_upper, std::int64_t total_demand, FlowSolution& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corridor
