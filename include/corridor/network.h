#pragma once
/// \file The dispatch network of one case and one commodity, built once and re-bounded per
/// period.
///
/// Node ids become integer indices here, once. The arc set is fixed for the whole horizon:
///   - Pipeline arcs (one per direction for bidirectional pipelines), costed by tariff;
///   - Supply arcs, super source S -> supply node, costed by the supply cost;
///   - Delivery arcs, demand node -> super sink T, capacity = demand, cost 0;
///   - Shortfall arcs, S -> demand node, capacity = demand, cost = the priority tier penalty.
/// S supplies exactly the total demand D and T absorbs it. Delivery arcs can together carry
/// only D, so all of them are saturated, and what real supply cannot bring arrives on
/// shortfall arcs: the problem is always feasible and shortfall is a result.
///
/// Priorities in one solve: with C the sum of every real arc cost, the tier penalty of
/// priority k (1 = first, P = last) is (P - k + 1) * (C + 1). The difference of two flows
/// decomposes into cycles through S, each raising one shortfall arc and lowering another by
/// the same amount at a path-cost change below C + 1, so one unit of priority-k shortfall
/// always outweighs any saving elsewhere: the optimum is lexicographic (priority 1 first, then
/// 2, ...), then least supply-plus-transport cost.
///
/// Integer scaling: flows in 1e-6 reporting units (1 kcm of gas, 1 t of oil); costs in
/// milli-USD per flow unit (0.001 USD/kcm or USD/t). Nothing is clamped or wrapped: a value
/// that does not fit is an InputError naming the entity, never a silently different network.
///   - Resolution. Every bound is rounded to the nearest flow unit per period (halves away
///     from zero) and every cost to the nearest 0.001 USD/kcm. A capacity, supply or demand
///     below half a flow unit in a period (0.4e-6 bcm/y in a year, say) is therefore 0, and a
///     cost below 0.0005 USD/kcm is free. This is deliberate and not a warning: it is the
///     precision of the CSVs (6 decimals for volumes), and no physical pipeline is that small.
///   - Flows. Each bound, and the total demand D, must be at most kMaxScaledFlow
///     (about 1.1e9 bcm or Mt per period); scale_bounds reports the entity otherwise.
///   - Costs. Each cost must be finite, not negative and at most kMaxScaledCost (about
///     4.5e12 USD/kcm), and so must every tier penalty (P - k + 1) * (C + 1): a clamped
///     penalty would quietly break the priority order above. build_network records the first
///     violation in Network::cost_error, and scale_bounds reports it before any solve. This
///     also bounds LEMON's node potentials: ART_COST = 2^62 plus a simple path's cost (at
///     most C + 2 penalties, under 2^54) stays within int64.
///   - Products. D * (largest cost + C + 1) must stay below 2^63 / 4, so the objective (kept
///     in 128 bits here, but int64 for LEMON's totalCost()) cannot overflow either. In
///     reporting units: demand (bcm) x (largest cost + C) (USD/kcm) below about 2.3e9, so
///     1e6 bcm/y with costs summing to 500 USD/kcm dispatches, 1e6 bcm/y at 1e6 USD/kcm is
///     refused.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "corridor/scenario.h"

namespace corridor {

inline constexpr double kFlowUnitsPerVolume = 1e6;  ///< flow units per bcm (gas) or Mt (oil)
inline constexpr double kCostScale = 1e3;           ///< scaled cost units per USD/kcm or USD/t
/// Half a flow unit, in reporting units (0.5e-6 bcm or Mt): the one threshold below which a
/// volume is nothing. Shortfall below it is not unmet demand, a route year below it has no
/// flow (and no levelised cost).
inline constexpr double kHalfFlowUnit = 0.5 / kFlowUnitsPerVolume;
/// Largest scaled flow bound accepted: 2^50 units (about 1.1e9 bcm per period).
inline constexpr std::int64_t kMaxScaledFlow = std::int64_t{1} << 50;
/// Largest scaled per-unit cost (including tier penalties): 2^52.
inline constexpr std::int64_t kMaxScaledCost = std::int64_t{1} << 52;

enum class ArcKind { Pipeline, PipelineReverse, Supply, Delivery, Shortfall };

/// A value that cannot be scaled to integers exactly (see the file comment): the entity it
/// belongs to, and the located diagnostic that says what is wrong and what to try.
struct ScaleError {
  std::string entity;  ///< "pipeline 'p'", "supply 'f'", "node 'city'", "demand node 'city'"
  Diagnostic diagnostic;
};

/// One period of the horizon: a year, or a month of it.
struct Period {
  int year = 0;
  int month = 0;       ///< 1..12, or 0 for a whole year
  double years = 1.0;  ///< length in years (days / days in the year)
};

/// Every period of the horizon in order, at the scenario's resolution.
std::vector<Period> periods(const Scenario& s);

struct Network {
  Commodity commodity = Commodity::Gas;
  int num_nodes = 0;  ///< network nodes: the commodity's scenario nodes, then S, then T
  int source = -1, sink = -1;
  std::vector<int> node_entity;  ///< network node -> scenario node index (S and T: -1)
  std::vector<int> arc_tail, arc_head;
  std::vector<ArcKind> arc_kind;
  std::vector<int> arc_entity;         ///< scenario pipeline index, or scenario node index
  std::vector<std::int64_t> arc_cost;  ///< scaled, fixed for the horizon
  // Scenario entities of this commodity, in scenario order, with their arcs.
  std::vector<int> pipelines;         ///< scenario pipeline indices
  std::vector<int> pipeline_arc;      ///< forward arc of pipelines[i]
  std::vector<int> pipeline_rev_arc;  ///< reverse arc, or -1
  std::vector<int> supplies;          ///< scenario node indices of supply nodes
  std::vector<int> supply_arc;
  std::vector<int> demands;  ///< scenario node indices of demand nodes
  std::vector<int> delivery_arc, shortfall_arc;
  std::vector<int> routes;  ///< scenario route indices
  /// Per `routes` entry: the positions in `pipelines` of its pipelines, in route order. The
  /// one place route ids are resolved; simulate, economics and compare read it.
  std::vector<std::vector<int>> route_pipelines;
  std::int64_t real_cost_sum = 0;  ///< C in the file comment
  /// The first cost that cannot be scaled exactly (see the file comment), naming the entity;
  /// set by build_network. scale_bounds reports it, so such a network is never solved.
  std::optional<ScaleError> cost_error;
  int num_arcs() const { return static_cast<int>(arc_tail.size()); }
};

/// Builds the network of `c` in `s`. Call once per case and commodity.
Network build_network(const Scenario& s, Commodity c);

/// Per-period bounds in canonical volume (reporting unit for the period).
struct PeriodBounds {
  Period period;                          ///< for messages
  std::vector<double> pipeline_capacity;  ///< per Network::pipelines entry, per direction
  std::vector<double> supply_available;   ///< per Network::supplies entry
  std::vector<double> demand;             ///< per Network::demands entry
};

/// Capacity x availability x ramp x in-service fraction, supply capacity and demand, as
/// volumes for the period (annual rate x period length; demand follows its monthly profile).
PeriodBounds period_bounds(const Scenario& s, const Network& net, const Period& p);

/// The entries of period_bounds() one entity at a time, bit for bit the same, for studies that
/// recompute only the entities a change touched (ensemble.h).
double pipeline_capacity_in(const Pipeline& pl, const Period& p);
double supply_available_in(const Node& n, const Period& p);
double demand_in(const Node& n, const Period& p);

/// A volume as scale_bounds() scales it: flow units, rounded to the nearest (halves away from
/// zero), a negative volume as 0; -1 for a volume that cannot be scaled (not a number, or above
/// kMaxScaledFlow), which scale_bounds() reports with its entity.
std::int64_t scaled_flow(double volume);

/// Effective capacity of a pipeline as an annual rate in `year` (before the period length and
/// in-service fraction): capacity x availability x ramp factor. 0 before the online year.
double effective_rate(const Pipeline& pl, int year);

/// Fraction of the period in which the pipeline is in service (online/retire, by days).
double in_service_fraction(const Pipeline& pl, const Period& p);

/// Scales bounds into the integer arc upper bounds (fills `arc_upper`, size num_arcs) and
/// the total demand D in flow units. Returns false, with `error` naming the entity, value
/// and limit, if the network has a cost_error, a bound is not a number or exceeds
/// kMaxScaledFlow, D exceeds it, or the objective could overflow int64 (see the file
/// comment); for the last two the entity is the largest demand node.
bool scale_bounds(const Scenario& s, const Network& net, const PeriodBounds& b,
                  std::vector<std::int64_t>& arc_upper, std::int64_t& total_demand,
                  ScaleError& error);

}  // namespace corridor
