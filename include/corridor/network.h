#pragma once
/// \file The dispatch network of one case and one commodity, built once and re-bounded and
/// re-costed per period.
///
/// Node ids become integer indices here, once. The arc set is fixed for the whole horizon:
///   - Pipeline arcs (one per direction for bidirectional pipelines), costed by tariff plus
///     transit fee;
///   - Supply arcs, super source S -> supply node, costed by the supply cost;
///   - Delivery arcs, demand node -> super sink T, capacity = demand, cost 0;
///   - Shortfall arcs, S -> demand node, capacity = demand, cost = the priority tier penalty.
/// LNG terminals are supply nodes here (supply arc S -> terminal, capacity = send-out).
/// S supplies exactly the total demand D and T absorbs it. Delivery arcs can together carry
/// only D, so all of them are saturated, and what real supply cannot bring arrives on
/// shortfall arcs: without contract minimums the problem is always feasible and shortfall is
/// a result.
///
/// Contracts split their seller's arc. The seller's arc (a supply arc S -> n, or for a route
/// seller the meter pipeline's arc u -> v in the route's direction) keeps its capacity but
/// now leaves a new split node m: S -> m -> n, or u -> m -> v. Into m run parallel arcs from
/// S (or u): per contract a minimum arc and an above-minimum arc, then one spot arc for the
/// volume outside the contracts. A supply arc then costs 0 and the parallel arcs carry the prices:
/// contract arcs the contract price, the spot arc the supply cost; on a route seller the
/// pipeline arc keeps its tariff and the parallel arcs cost 0. Per period, a contract with
/// minimum L and maximum U (volumes for the period) has:
///   - hard rule: minimum arc [L, L] at the price, above-minimum arc [0, U - L] at the price;
///   - soft rule: minimum arc [0, L] at price - take_or_pay (the take-or-pay that taking
///     saves, so the cost may be negative), above-minimum arc [0, U - L] at the price; the
///     minimum not taken, L - flow, is paid at take_or_pay after the solve.
/// Parallel arcs of equal cost are interchangeable in every optimum; the dispatch fills them
/// in the split's order (contracts in input order, then spot), so `taken` is never an
/// arbitrary pick of the solver.
///
/// Storage across the months of a year (issue 12). With monthly resolution and at least one
/// storage node of the commodity, the network has 12 layers, one per month of a year, and one
/// solve serves the whole year: perfect foresight within the year, none across years. Layer m
/// holds a copy of every scenario node, split node and arc above (S and T are shared), so arc
/// a of layer m is `a + m * layer_arcs` and scenario node n of layer m is
/// `n + m * layer_nodes` (split nodes are numbered after S and T, layer by layer). Each
/// storage node s adds, after the layers, a reservoir node R(s, m) per month and an end node
/// E(s):
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
///     infeasible solve. The two arcs also make any bounds feasible (hard contract minimums
///     aside): I0 can always ride the inventory arcs to E(s) and S serve all demand through
///     shortfall arcs.
/// With yearly resolution a storage node has no arcs of its own: gas passes it as a junction
/// (validate() warns). Every layer has its own costs (each month its own PeriodBounds).
///
/// Priorities in one solve, solve by solve: with c_a the solve's scaled cost of real arc a
/// (every arc but the penalty arcs, of every layer; a soft minimum arc may be negative) and
/// C = sum |c_a|, the tier penalty of priority k (1 = first, P = last) is (P - k + 1) * (C +
/// 1), and the storage end-of-year deviation's is (P + 1) * (C + 1). The
/// difference of two feasible flows (lower bounds included) is a circulation; it decomposes
/// into simple cycles, each of which can be pushed alone from the one flow towards the other
/// within all bounds. A simple cycle passes S at most once, so it raises at most one
/// penalty arc and lowers at most one, by the same amount, while its real-cost change is at
/// most C < C + 1 per unit. So one unit of priority-k shortfall always outweighs any saving
/// elsewhere: the optimum is lexicographic (priority 1 first, then 2, ...), then least real
/// cost. Costs change by period (series, exchange rates), and so do C and the penalties.
///
/// Hard minimums the network cannot take. NetworkSimplex then reports the period infeasible;
/// the dispatch solves it again with every hard minimum arc (of every layer) at [0, L] and
/// cost c - M, where M = (T + 1) * (C + 1) with T the top tier, P, or P + 1 with storage
/// deviation arcs (relax_hard_minimums). A cycle that lowers the total flow on minimum arcs by
/// one unit gains M but changes penalties by at most T * (C + 1) and real cost by at most C, so
/// the relaxed optimum takes as much of the hard minimums as the network can, then serves
/// priorities (and the storage end rule), then minimises cost. The contracts left below their
/// minimum are the ones reported. With storage the 12 months are one solve, so the whole year
/// is solved relaxed, and each month that misses a hard minimum is reported.
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
///     (about 1.1e9 bcm or Mt per period); scale_period reports the entity otherwise.
///   - Costs. Each cost must be finite, not negative (price - take_or_pay excepted) and at most
///     kMaxScaledCost (about 4.5e12 USD/kcm) in magnitude, and so must every tier penalty
///     (P - k + 1) * (C + 1), the storage deviation penalty and, with hard minimums, M: a
///     clamped penalty would quietly break the priority order above. scale_period reports the
///     first violation before the solve.
///     This also bounds LEMON's node potentials: ART_COST = 2^62 plus a simple path's cost
///     (at most C + 2 penalties, under 2^54; with relaxed hard minimums at most C + (2 + H) M
///     for H of them, checked to stay under 2^61) stays within int64.
///   - Products. (D + V + L) * (largest |cost| + C + 1), L the sum of lower bounds and V twice
///     the working volumes of storage, must stay below 2^63 / 4, so the objective (kept in 128
///     bits here, int64 in FlowSolution) cannot overflow either: a feasible flow is paths
///     from S and the reservoirs carrying D + V at most, plus cycles that only lower bounds can
///     force, carrying at most L. In reporting units: demand (bcm) x (largest cost
///     + C) (USD/kcm) below about 2.3e9, so 1e6 bcm/y with costs summing to 500 USD/kcm
///     dispatches, 1e6 bcm/y at 1e6 USD/kcm is refused.
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
  Injection,        ///< storage node -> its reservoir, within a month
  Withdrawal,       ///< reservoir -> storage node, within a month
  Inventory,        ///< reservoir of a month -> that of the next month (or the end node)
  StorageShort,     ///< S -> end node: the end inventory is below its target
  StorageExcess,    ///< end node -> S: the end inventory is above its target
  ContractMinimum,  ///< a contract's volume up to its minimum take (the file comment)
  ContractAbove,    ///< a contract's volume between its minimum and maximum take
  Spot,             ///< the volume of a split arc outside its contracts
};

/// True for arcs priced at a tier penalty (shortfall and end-of-year storage deviation): their
/// cost is FlowSolution::penalty, every other arc's is real_cost.
constexpr bool is_penalty_arc(ArcKind k) {
  return k == ArcKind::Shortfall || k == ArcKind::StorageShort || k == ArcKind::StorageExcess;
}

/// True for the parallel arcs into a split node (contract minimum, above-minimum and spot).
constexpr bool is_split_arc(ArcKind k) {
  return k == ArcKind::ContractMinimum || k == ArcKind::ContractAbove || k == ArcKind::Spot;
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
  /// Network nodes: the commodity's scenario nodes (per layer), then S, then T, then the split
  /// nodes of each layer (one per arc that contracts split), then the reservoir and end nodes
  /// of storage (see the file comment).
  int num_nodes = 0;
  int source = -1, sink = -1;
  int layers = 1;       ///< 12 when a year of months is solved at once (storage), else 1
  int layer_nodes = 0;  ///< scenario nodes of the commodity: the nodes of one layer
  int layer_arcs = 0;   ///< arcs of one layer; storage arcs come after all layers
  /// Network node -> scenario node index (every layer's copy; S, T, splits, reservoirs, ends:
  /// -1).
  std::vector<int> node_entity;
  std::vector<int> arc_tail, arc_head;
  std::vector<ArcKind> arc_kind;
  /// Scenario pipeline index (pipeline and route-split arcs), node index (supply, delivery,
  /// shortfall, supply-split spot arcs) or contract index (contract arcs).
  std::vector<int> arc_entity;
  // Scenario entities of this commodity, in scenario order, with their arcs.
  std::vector<int> pipelines;         ///< scenario pipeline indices
  std::vector<int> pipeline_arc;      ///< forward arc of pipelines[i]
  std::vector<int> pipeline_rev_arc;  ///< reverse arc, or -1
  /// Per pipelines[i]: the layer-0 network nodes of its `from` and `to`. Read them here, not
  /// off the arcs: a contract on a route moves the tail of the meter's arc to a split node.
  std::vector<int> pipeline_from, pipeline_to;
  std::vector<int> supplies;    ///< scenario node indices of supply nodes
  std::vector<int> supply_arc;  ///< the arc with the supply's capacity (into the node)
  /// Per supply: the arc that carries its cost, the spot arc of a split supply, else the
  /// supply arc itself.
  std::vector<int> supply_cost_arc;
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
  /// Per `routes` entry, parallel to route_pipelines: +1 where the route runs a pipeline
  /// from -> to, -1 where it runs it against (a bidirectional pipeline).
  std::vector<std::vector<int>> route_signs;
  /// Per `routes` entry: the index into route_pipelines of its meter.
  std::vector<int> route_meter;
  /// Contracts of this commodity (scenario indices, input order) and their arcs (layer 0:
  /// layer l's are `+ l * layer_arcs`, as for every arc of a layer).
  std::vector<int> contracts;
  std::vector<int> contract_min_arc, contract_above_arc;
  /// Per contract: the position of its seller in `supplies`, or -1 for a route seller.
  std::vector<int> contract_supply;
  /// Per contract: the position of its seller in `routes`, or -1 for a supply seller.
  std::vector<int> contract_route;
  /// Per split node of layer 0: its parallel arcs in fill order (the file comment), the spot
  /// arc last.
  std::vector<std::vector<int>> splits;
  /// Per split node: the split arc, which keeps the seller's capacity (and a pipeline's
  /// tariff) and now leaves the split node.
  std::vector<int> split_arc;
  /// The deepest demand priority of the commodity (P in the file comment).
  int max_priority = 1;
  /// Arc index ranges of the layers: [l * layer_arcs, (l + 1) * layer_arcs).
  int layer_of_arc(int a) const { return a < layers * layer_arcs ? a / layer_arcs : -1; }
  int num_arcs() const { return static_cast<int>(arc_tail.size()); }
};

/// Builds the network of `c` in `s`, with 12 layers when `s` has monthly resolution and a
/// storage node of `c`. Call once per case and commodity.
Network build_network(const Scenario& s, Commodity c);

/// A contract in one period: volumes for the period and unit prices in USD/kcm or USD/t.
struct ContractPeriod {
  double acq = 0.0;             ///< the annual contract quantity's share of the period
  double min = 0.0, max = 0.0;  ///< minimum and maximum take; both 0 outside its dates
  double price = 0.0;           ///< per unit taken: the contract price, or the supply cost
  double take_or_pay = 0.0;     ///< per unit of minimum not taken (soft rule)
  bool hard = false;
};

/// Per-period bounds in canonical volume (reporting unit for the period), and the period's
/// unit costs in USD/kcm or USD/t (series values of the period's year).
struct PeriodBounds {
  Period period;                          ///< for messages
  std::vector<double> pipeline_capacity;  ///< per Network::pipelines entry, per direction
  std::vector<double> supply_available;   ///< per Network::supplies entry
  std::vector<double> demand;             ///< per Network::demands entry
  std::vector<double> pipeline_cost;      ///< per Network::pipelines: tariff + transit fee
  std::vector<double> supply_cost;        ///< per Network::supplies
  std::vector<ContractPeriod> contract;   ///< per Network::contracts
  /// Per Network::storages entry: the most that can go in and come out in the period, the
  /// working volume, and the inventory on 1 January and the target on 31 December of the
  /// period's year (level_volume of `initial`, and of `end` or `initial` when cyclic).
  std::vector<double> storage_injection, storage_withdrawal;
  std::vector<double> storage_volume, storage_initial, storage_end;
};

/// Capacity x availability x ramp x in-service fraction, supply capacity x ramp x in-service
/// fraction and demand, as volumes for the period (annual rate x period length; demand and
/// supply follow their monthly profile), with the scenario's events (events.h) taken off
/// pipelines, supplies, lng and storage; contract takes prorated by days under contract and
/// spread by the contract's profile; the unit costs of the period's year.
PeriodBounds period_bounds(const Scenario& s, const Network& net, const Period& p);

/// The entries of period_bounds() one entity at a time, bit for bit the same, for studies that
/// recompute only the entities a change touched (ensemble.h), without events: a caller adds
/// them with pipeline_period_capacity, supply_period_volume and demand_in (events.h).
double pipeline_capacity_in(const Pipeline& pl, const Period& p);
double supply_available_in(const Node& n, const Period& p);

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

/// Fraction of the period between `from` (none: the beginning of time) and `until` (none:
/// never), by days: in_service_fraction for any dated thing.
double share_between(const std::optional<YearMonth>& from, const std::optional<YearMonth>& until,
                     const Period& p);

/// One solve's integer instance of a Network (one period, or the 12 months of a year of a
/// network with layers): what FlowSolver solves (flow_solver.h).
struct ScaledPeriod {
  std::vector<std::int64_t> lower;  ///< per arc, 0 <= lower <= upper
  std::vector<std::int64_t> upper;  ///< per arc
  std::vector<std::int64_t> cost;   ///< per arc, each layer's scaled costs (may be negative)
  std::int64_t total_demand = 0;    ///< D: T absorbs it (of every layer)
  /// Per network node: outflow - inflow (network.h): S supplies D minus what storage gives
  /// over the year, T takes D, reservoirs and end nodes hold the inventories; 0 elsewhere.
  std::vector<std::int64_t> node_supply;
  std::int64_t real_cost_sum = 0;  ///< C of the file comment, for this period
  std::int64_t relief_cost = 0;    ///< M of the file comment (with hard minimums), else 0
  bool has_lower = false;          ///< some lower bound is above 0
  /// Per layer and Network::contracts entry (index `l * contracts + k`): the minimum take in
  /// flow units and the take-or-pay in scaled cost units per flow unit (0 for a hard
  /// contract).
  std::vector<std::int64_t> contract_min, contract_take_or_pay;
};

/// Scales the bounds and costs of one solve into `out`: one PeriodBounds per layer
/// (`layers.size()` must be net.layers; every vector sized to num_arcs, num_nodes or layers x
/// contracts). Returns false, with `error` naming the entity, value and limit, if a cost
/// cannot be scaled, a bound is not a number or exceeds kMaxScaledFlow, D exceeds it, a
/// penalty or M exceeds kMaxScaledCost, or the objective could overflow int64 (see the file
/// comment); for the last two the entity is the largest demand node.
bool scale_period(const Scenario& s, const Network& net, std::span<const PeriodBounds> layers,
                  ScaledPeriod& out, ScaleError& error);

/// scale_period() of a network of one layer.
bool scale_period(const Scenario& s, const Network& net, const PeriodBounds& b, ScaledPeriod& out,
                  ScaleError& error);

/// scale_period() of a network of one layer for a caller that needs only the arc upper bounds
/// and the total demand D (ensemble.h): the same checks and errors.
bool scale_bounds(const Scenario& s, const Network& net, const PeriodBounds& b,
                  std::vector<std::int64_t>& arc_upper, std::int64_t& total_demand,
                  ScaleError& error);

/// The relaxed instance of a period whose hard minimums cannot all be taken (the file
/// comment): hard minimum arcs of every layer at [0, L] and cost - M.
ScaledPeriod relax_hard_minimums(const Network& net, const ScaledPeriod& period);

/// Makes the flows on each split's parallel arcs canonical: within each group of equal cost,
/// the flow above the lower bounds goes to the arcs in fill order (the file comment). The
/// objective, the bounds and every node balance stay the same.
void fill_splits_in_order(const Network& net, const ScaledPeriod& period,
                          std::vector<std::int64_t>& arc_flow);

}  // namespace corridor
