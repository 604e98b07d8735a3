#pragma once
/// \file Min-cost flow on a fixed Network: LEMON NetworkSimplex (block-search pivoting) on a
/// StaticDigraph built once, re-run per period with that period's lower and upper bounds,
/// costs and supply (a ScaledPeriod, network.h).
/// Ahuja, Magnanti & Orlin, Network Flows (1993), ch. 11. LEMON lives in flow_solver.cpp only.
///
/// Network simplex does not warm-start across runs (LEMON rebuilds its initial tree in
/// init()), but graph, cost map and working arrays are reused.
///
/// Duals. An optimal solution comes with a potential per network node, in scaled cost units
/// (network.h): for every arc a = (u, v), the reduced cost cost(a) + potential(u) -
/// potential(v) is >= 0 when flow(a) is below its upper bound and <= 0 when flow(a) is above
/// its lower bound (complementary slackness; check_flow_invariants checks it on every solve). Only
/// differences matter: potential(v) - potential(S) is the marginal cost of one more flow unit
/// delivered at v, a nodal price that is capped by v's shortfall penalty when v is short of demand
/// (Ahuja, Magnanti & Orlin, ch. 9.4).
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "corridor/network.h"

namespace corridor {

enum class FlowStatus {
  Optimal,     ///< optimal flow found
  Infeasible,  ///< lower bounds (hard minimum takes) the network cannot carry; without lower
               ///< bounds the shortfall arcs rule it out. Reported, never thrown
  Unbounded,   ///< a negative-cost cycle of infinite capacity; cannot happen: every arc is
               ///< bounded
};
std::string_view flow_status_name(FlowStatus s);

struct FlowSolution {
  FlowStatus status = FlowStatus::Optimal;
  std::vector<std::int64_t> arc_flow;  ///< scaled, per arc
  /// Objective in scaled units (flow units x scaled cost), split: real (every arc but the
  /// penalty arcs: shortfall and storage end-of-year deviation) cost and tier penalty. With a
  /// period from scale_period the whole objective is below 2^61.
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

  /// Solves one period (or a year of 12 layers), as scale_period makes it: its bounds, costs
  /// and node supplies. Writes
  /// into `out`, reusing its storage. Throws std::logic_error if the vectors are not sized to
  /// the network, or the objective does not fit in 64 bits (bounds scale_period refuses).
  void solve(const ScaledPeriod& period, FlowSolution& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corridor
