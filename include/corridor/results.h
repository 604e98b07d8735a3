#pragma once
/// \file Results: plain data, one PeriodResult per case, commodity and period.
///
/// A CaseResult refers to its resolved Scenario through a shared pointer to const: results
/// name entities by scenario index, so they need the scenario as long as they live, and a
/// study of thousands of members (or a test that builds its scenario in a temporary) must
/// neither copy it into every result nor leave a result pointing at a destroyed one.
///
/// A case that cannot be dispatched (a bound or cost that cannot be scaled to integers,
/// network.h) is a value too: CaseResult::failure names the case, period and entity, and only
/// the command line turns it into an exit code.
///
/// Volumes are in the reporting unit of the commodity for the period (bcm or Mt; a month row
/// holds that month's volume), costs in million USD. Pipeline flow is net: positive in the
/// from -> to direction, negative against it (bidirectional pipelines only). Annual results
/// always exist; with monthly resolution `monthly` holds the months and `annual` their sums.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/bottlenecks.h"
#include "corridor/economics.h"
#include "corridor/flow_solver.h"
#include "corridor/network.h"
#include "corridor/scenario.h"

namespace corridor {

struct PeriodResult {
  Period period;
  /// Optimal, or Infeasible when a hard contract minimum could not be taken: the rows then
  /// hold the relaxed dispatch (network.h), which takes as much of the minimums as it can.
  FlowStatus status = FlowStatus::Optimal;
  std::vector<double> pipeline_flow, pipeline_capacity;  ///< per Network::pipelines
  std::vector<double> supply_available, supply_used;     ///< per Network::supplies
  /// Per Network::supplies: the part of supply_used taken under contracts of that supply.
  std::vector<double> supply_contracted;
  std::vector<double> demand, delivered, shortfall;  ///< per Network::demands
  /// Per Network::demands: the contract volume in the delivery, by proportional mixing
  /// (every node passes on the mix of what flows into it; scenarios/README.md).
  std::vector<double> delivered_contracted;
  /// Per Network::routes: the flow on the route's meter along the route's direction, never
  /// negative (flow against the route on a bidirectional meter is not the route's) and at most
  /// the route capacity (more on a shared meter entered it from elsewhere); so utilisation is
  /// in [0, 1]. The annual row of a monthly run holds the sum of its months.
  std::vector<double> route_volume;
  /// Per Network::routes: the smallest capacity along the route; the sum of the months' in
  /// the annual row of a monthly run.
  std::vector<double> route_capacity;
  /// Scenario pipeline index of a pipeline out of service on an otherwise open route, else of
  /// the route's most utilised pipeline by its flow along the route (over the months, in the
  /// annual row of a monthly run); -1 when no pipeline of the route is in service, or when the
  /// route carried nothing through open pipelines.
  std::vector<int> route_bottleneck;
  /// What limits delivery in a period with shortfall: the min cut between the supplies and the
  /// short demand nodes, the one nearest those nodes (simulate.h), as the scenario pipeline
  /// indices of its saturated pipelines that have capacity, largest flow first, and the
  /// scenario node indices of its exhausted supplies, likewise. The annual row of a monthly
  /// run lists those of its months, most months first. Empty without shortfall.
  std::vector<int> limiting_pipelines, limiting_supplies;
  /// Per Network::storages: inventory at the start and at the end of the period, and what went
  /// in and came out during it. With yearly resolution storage is a no-op: nothing moves.
  std::vector<double> storage_start, storage_end, storage_injection, storage_withdrawal;
  /// With DispatchOptions::bottlenecks (simulate.h), else empty: per Network::pipelines the
  /// value of one more unit of capacity, and per Network::demands what limits the market
  /// (bottlenecks.h). An annual row of a monthly run weighs the months' capacity values by
  /// their days (one more unit of annual rate), sums their flexibility and cut capacities, and
  /// joins their cuts; its priorities are the highest relieved or worsened in any month. An
  /// infeasible period (a hard contract minimum not taken) has none: its relaxed dispatch is
  /// no optimum of the real problem.
  std::vector<CapacityValue> capacity_value;
  std::vector<MarketLimit> market_limit;
  /// Per Network::contracts: the ACQ's share of the period, the minimum take, the volume
  /// taken, what of it reached the contract's buyers (by proportional mixing; 0 without
  /// buyers), the take-or-pay paid on the minimum not taken (soft rule, MUSD), and whether a
  /// hard minimum was not taken (the period is then Infeasible).
  std::vector<double> contract_acq, contract_min, contract_taken, contract_to_buyers,
      contract_take_or_pay_musd;
  std::vector<char> contract_infeasible;
  double cost_musd = 0.0;         ///< supply plus transport cost, contract volume at its price
  double supply_cost_musd = 0.0;  ///< the supply part of cost_musd (the rest is transport)
  double take_or_pay_musd = 0.0;  ///< paid for contract minimums not taken (soft rule)
  /// The artificial tier term of the objective: shortfall, and (on December of a year with
  /// storage) end-of-year storage deviation.
  double penalty_musd = 0.0;
  double supplied() const;
  double total_demand() const;
  double total_delivered() const;
  double total_shortfall() const;
};

/// Utilisation |flow| / capacity; none (undefined) when the capacity is 0, as for a line not
/// yet in service or retired: the CSV files then write an empty field, never 0.
std::optional<double> utilisation(double flow, double capacity);

struct CommodityRun {
  Network network;                    ///< entity lists and arcs used by the rows below
  std::vector<PeriodResult> annual;   ///< one per horizon year
  std::vector<PeriodResult> monthly;  ///< 12 per year with monthly resolution, else empty
  RunEconomics economics;             ///< costs derived from `annual` (economics.h)
};

/// Why a case stopped: the period of one of its commodities could not be dispatched.
struct CaseFailure {
  std::string scenario, case_name;  ///< the member: Scenario::name and case_name
  Commodity commodity = Commodity::Gas;
  Period period;          ///< the period (year, and month with monthly resolution)
  std::string entity;     ///< as ScaleError::entity: "pipeline 'p'", "node 'city'", ...
  Diagnostic diagnostic;  ///< located at the value in its file, with what to try
};

struct CaseResult {
  std::shared_ptr<const Scenario> scenario;  ///< the resolved case, for names in the output
  std::vector<CommodityRun> runs;            ///< per commodity present, in enum order
  /// What dispatch found that the user should hear about but that is a result, not an
  /// error: each hard contract minimum the network could not take, located at the contract's
  /// min_take and naming the period. In period order.
  std::vector<Diagnostic> warnings;
  /// Set when the case stopped at a period it could not dispatch; `runs` are then incomplete
  /// (they end before that period, without economics) and must not be written.
  std::optional<CaseFailure> failure;
};

/// Throws std::logic_error ("WHO: period result has N pipeline flow values for M entities")
/// unless every per-entity vector of `p` is parallel to the entity lists of `net`. Results
/// made elsewhere (by hand, in a test) are checked before they are read, never read out of
/// bounds.
void require_parallel(const PeriodResult& p, const Network& net, std::string_view who);

/// The same for every annual and monthly row of `run`, and with `with_economics` for its
/// economics: one entry per annual row, parallel to the network.
void require_parallel(const CommodityRun& run, std::string_view who, bool with_economics);

struct RunResult {
  std::vector<CaseResult> cases;  ///< in command-line then alternative order
  /// The units every table and report writes its volumes in (`--units`; csv.h): set by the
  /// command line after the dispatch, which is always in bcm and Mt.
  OutputUnits units;
  /// The failures of the cases that have one, in case order.
  std::vector<CaseFailure> failures() const;
  /// True when no period of any case has shortfall above half a flow unit (kHalfFlowUnit).
  bool all_demand_met() const;
};

}  // namespace corridor
