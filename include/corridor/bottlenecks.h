#pragma once
/// \file The value of capacity and what limits each market, read off one solved period.
///
/// Value of capacity. For a pipeline arc a = (u, v) at its upper bound, one more unit of
/// capacity lets one more unit travel u -> v and come back to u along the cheapest path in
/// the residual graph of the optimal flow (an arc can give back only what it carries above its
/// lower bound: a hard contract minimum). The objective changes by
///     cost(a) + dist(v -> u) = rc(a) + rdist(v -> u),
/// where rc(a) = cost(a) + pi(u) - pi(v) is a's reduced cost under the node potentials pi
/// (flow_solver.h) and rdist is the shortest path distance in reduced costs, which are >= 0 on
/// every residual arc (complementary slackness). So the duals give the answer when the path
/// back is free in reduced costs (rdist = 0), and Dijkstra on the reduced costs finds rdist
/// when it is not (a degenerate basis: the dual alone would overstate the value). Flows and
/// capacities are integers, every residual arc has room for one unit, so this is EXACTLY the
/// change of the optimum when the capacity grows by one flow unit (1 kcm or 1 t in the
/// period): the right derivative, which the tests check against a re-solve with capacity + 1.
/// An arc below its upper bound is worth nothing more (its constraint is slack), and so is an
/// arc with rc(a) >= 0.
///
/// The change splits along the cycle found: its real cost (tariffs, supply and transit costs,
/// without the storage injection tie-break) and its tier penalty arcs. A cycle passes the super
/// source at most once, so one more unit of capacity relieves one unit of shortfall of at most
/// one priority tier, and may shift one unit onto another (gas moved from a lower-priority
/// market to a higher one). Real cost can rise (more demand served at a price): shadow_cost is
/// then negative. For a bidirectional pipeline both directions grow; the better one is taken
/// (at an optimum with tariffs only one direction carries flow).
///
/// Min cut of a short market. In the residual graph of the optimal flow, no spare supply can
/// reach a market with shortfall (else the penalty would have sent it there). The nodes that
/// can still reach the market form its sink side; the physical arcs entering it are saturated,
/// and they are the pipelines (and exhausted supplies, and storage running at its limit) that
/// limit it: a minimum cut between spare supply and the market, the one closest to the market.
///
/// Remaining flexibility (ENTSOG's indicator): the most extra volume the market could still
/// receive in the period with every other delivery held, the maximum flow from spare supply to
/// the market in the residual graph (max_flow.h), over physical arcs only.
#include <cstdint>
#include <span>
#include <vector>

#include "corridor/flow_solver.h"
#include "corridor/network.h"
#include "corridor/scenario.h"

namespace corridor {

/// One pipeline in one period. Money per unit of capacity: USD per kcm (gas) or t (oil) of
/// extra capacity in the period.
struct CapacityValue {
  bool binding = false;           ///< a direction runs at its capacity (> 0)
  double shadow_cost = 0.0;       ///< cost saved per extra unit (negative: costs rise)
  double shadow_shortfall = 0.0;  ///< shortfall relieved per extra unit, net: 1, 0 or -1
  int relieved_priority = 0;      ///< the tier whose shortfall falls, or 0
  int worsened_priority = 0;      ///< the tier whose shortfall rises, or 0
};

/// What limits one market in one period.
struct MarketLimit {
  double remaining_flexibility = 0.0;  ///< extra volume it could receive (bcm or Mt)
  /// With shortfall: the scenario pipelines of the minimum cut, and the scenario nodes (supply,
  /// lng, storage) whose arcs in the cut run at their limit; each once, in index order.
  std::vector<int> cut_pipelines, cut_nodes;
  double cut_capacity = 0.0;  ///< the cut's capacity in the period (bcm or Mt)
};

/// Analyses solved periods of one network; build once per network, like FlowSolver.
class BottleneckAnalysis {
 public:
  explicit BottleneckAnalysis(const Network& net);

  /// Capacity values per Network::pipelines entry and market limits per Network::demands
  /// entry, for layer `layer` of an optimal solution `sol` of `period` (its bounds, lower
  /// bounds and costs: network.h). `s` gives the priorities. Non-optimal solutions give
  /// default values.
  void analyse(const Scenario& s, const ScaledPeriod& period, const FlowSolution& sol, int layer,
               std::vector<CapacityValue>& values, std::vector<MarketLimit>& markets) const;

 private:
  /// Objective change (scaled) of one more unit on arc `a`, and the cycle's split into real
  /// cost and tiers; false when the unit is worth nothing.
  bool improve(const Scenario& s, const ScaledPeriod& period, const FlowSolution& sol, int a,
               CapacityValue& value) const;

  const Network& net_;
  std::vector<int> out_start_, out_arcs_, in_start_, in_arcs_;  // CSR, per network node
  std::vector<int> cut_entity_;     // per arc: the scenario pipeline or node a cut names
  std::vector<char> cut_pipeline_;  // per arc: cut_entity_ is a pipeline
};

}  // namespace corridor
