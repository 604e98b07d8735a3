#pragma once
/// \file The dispatch network of one case and one commodity, built once and re-bounded per
/// period.
///
/// Node ids become integer indices here, once. The arc set is fixed for the whole horizon:
///   - Pipeline arcs (one per direction for bidirectional pipelines), costed by tariff;
///   - Supply arcs, super source S -> supply node, costed by the supply cost;
///   - Delivery arcs, demand node -> super sink T, capacity = demand, cost 0;
///   - Shortfall arcs, S -> demand node, capacity = demand, cost = the priority tier penalty.
/// LNG terminals are supply nodes here (supply arc S -> terminal, capacity = send-out).
/// S supplies exactly the total demand D and T absorbs it. Delivery arcs can together carry
/// only D, so all of them are saturated, and what real supply cannot bring arrives on
/// shortfall arcs: the problem is always feasible and shortfall is a result.
///
/// Storage across the months of a year (issue 12). With monthly resolution and at least one
/// storage node of the commodity, the network has 12 layers, one per month of a year, and one
/// solve serves the whole year: perfect foresight within the year, none across years. Layer m
/// holds a copy of every scenario node and of every arc above (S and T are shared), so arc a of
/// layer m is `a + m * layer_arcs` and node n of layer m is `n + m * layer_nodes`. Each storage
/// node s adds, after the layers, a reservoir node R(s, m) per month and an end node E(s):
///   - injection arc s_m -> R(s, m) and withdrawal arc R(s, m) -> s_m, capacity = the month's
///     rate x its days (x availability under events); injection costs one scaled unit (0.001
///     USD/kcm), so that storage never cycles gas in and out for nothing (a tie-break, left
///     out of the reported cost), withdrawal nothing;
///   - inventory arcs R(s, m) -> R(s, m + 1) and R(s, 12) -> E(s): the inventory at the end of
///     month m, capacity = working volume, cost 0 (holding is free: perfect foresight);
///   - node supplies: R(s, 1) holds the inventory I0 on 1 January (`initial` in the first
///     year, the previous year's end after), E(s) takes the end target I1 (-I1: `end`, or I0
///     when cyclic), and S supplies D - sum(I0 - I1) instead of D;
///   - end-deviation arcs S -> E(s) and E(s) -> S, capacity = working volume, at the tier
///     penalty (P + 1) x (C + 1), above every demand tier: the end-of-year rule holds whenever
///     the rates allow it, and a year that cannot meet it is a reported deviation, not an
///     infeasible solve. The two arcs also make any bounds feasible: I0 can always ride the
///     inventory arcs to E(s) and S serve all demand through shortfall arcs.
/// With yearly resolution a storage node has no arcs of its own: gas passes it as a junction
/// (validate() warns).
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
#include <span>
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

enum class ArcKind {
  Pipeline,
  PipelineReverse,
  Supply,
  Delivery,
  Shortfall,
  Injection,      ///< storage node -> its reservoir, within a month
  Withdrawal,     ///< reservoir -> storage node, within a month
  Inventory,      ///< reservoir of a month -> that of the next month (or the end node)
  StorageShort,   ///< S -> end node: the end inventory is below its target
  StorageExcess,  ///< end node -> S: the end inventory is above its target
};

/// True for arcs priced at a tier penalty (shortfall and end-of-year storage deviation): their
/// cost is FlowSolution::penalty, every other arc's is real_cost.
constexpr bool is_penalty_arc(ArcKind k) {
  return k == ArcKind::Shortfall || k == ArcKind::StorageShort || k == ArcKind::StorageExcess;
}

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
  /// Network nodes: the commodity's scenario nodes (per layer), then S, then T, then the
  /// reservoir and end nodes of storage (see the file comment).
  int num_nodes = 0;
  int source = -1, sink = -1;
  int layers = 1;       ///< 12 when a year of months is solved at once (storage), else 1
  int layer_nodes = 0;  ///< scenario nodes of the commodity: the nodes of one layer
  int layer_arcs = 0;   ///< arcs of one layer; storage arcs come after all layers
  /// Network node -> scenario node index (every layer's copy; S, T, reservoirs, ends: -1).
  std::vector<int> node_entity;
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
  /// Scenario node indices of storage nodes. Arcs and nodes only with layers > 1, indexed
  /// [storage][month 0..11] (inventory: the end of that month; the last one goes to E(s)).
  std::vector<int> storages;
  std::vector<std::vector<int>> storage_injection_arc, storage_withdrawal_arc,
      storage_inventory_arc, storage_reservoir;
  std::vector<int> storage_end_node, storage_short_arc, storage_excess_arc;
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

/// Builds the network of `c` in `s`, with 12 layers when `s` has monthly resolution and a
/// storage node of `c`. Call once per case and commodity.
Network build_network(const Scenario& s, Commodity c);

/// Per-period bounds in canonical volume (reporting unit for the period).
struct PeriodBounds {
  Period period;                          ///< for messages
  std::vector<double> pipeline_capacity;  ///< per Network::pipelines entry, per direction
  std::vector<double> supply_available;   ///< per Network::supplies entry
  std::vector<double> demand;             ///< per Network::demands entry
  /// Per Network::storages entry: the most that can go in and come out in the period, the
  /// working volume, and the inventory on 1 January and the target on 31 December of the
  /// period's year (level_volume of `initial`, and of `end` or `initial` when cyclic).
  std::vector<double> storage_injection, storage_withdrawal;
  std::vector<double> storage_volume, storage_initial, storage_end;
};

/// Capacity x availability x ramp x in-service fraction, supply capacity and demand, as
/// volumes for the period (annual rate x period length; demand follows its monthly profile),
/// with the scenario's events (events.h) taken off pipelines, supplies, lng and storage.
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

/// Years follow each other: a year's storage starts where the previous one ended. Sets the
/// inventory on 1 January of the year whose first period `first` is to `start` (per
/// Network::storages), and its end target to `end` or, when cyclic, to `start` again.
/// period_bounds alone starts every year at `initial` (the first year's inventory).
void start_storage_at(const Scenario& s, const Network& net, std::span<const double> start,
                      PeriodBounds& first);

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

/// The general form, for any network: the bounds of each layer (`layers.size()` must be
/// net.layers) into `arc_upper`, and the supply of every network node into `node_supply`
/// (S: D minus what storage gives over the year, T: -D, the storage reservoirs and end nodes:
/// their initial inventory and end target). Same checks and errors as scale_bounds, plus
/// storage volumes and the objective bound with storage flows.
bool scale_layers(const Scenario& s, const Network& net, std::span<const PeriodBounds> layers,
                  std::vector<std::int64_t>& arc_upper, std::vector<std::int64_t>& node_supply,
                  ScaleError& error);

}  // namespace corridor
