#pragma once
/// \file Results: plain data, one PeriodResult per case, commodity and period.
///
/// Volumes are in the reporting unit of the commodity for the period (bcm or Mt; a month row
/// holds that month's volume), costs in million USD. Pipeline flow is net: positive in the
/// from -> to direction, negative against it (bidirectional pipelines only). Annual results
/// always exist; with monthly resolution `monthly` holds the months and `annual` their sums.
#include <string>
#include <string_view>
#include <vector>

#include "corridor/economics.h"
#include "corridor/flow_solver.h"
#include "corridor/network.h"
#include "corridor/scenario.h"

namespace corridor {

struct PeriodResult {
  Period period;
  FlowStatus status = FlowStatus::Optimal;
  std::vector<double> pipeline_flow, pipeline_capacity;  ///< per Network::pipelines
  std::vector<double> supply_available, supply_used;     ///< per Network::supplies
  std::vector<double> demand, delivered, shortfall;      ///< per Network::demands
  std::vector<double> route_volume, route_capacity;      ///< per Network::routes
  /// Scenario pipeline index of the route's most utilised pipeline, or of a pipeline out
  /// of service on an otherwise open route; -1 when no pipeline of the route is in service.
  std::vector<int> route_bottleneck;
  double cost_musd = 0.0;     ///< supply plus transport cost
  double penalty_musd = 0.0;  ///< the artificial shortfall-tier term of the objective
  double supplied() const;
  double total_demand() const;
  double total_delivered() const;
  double total_shortfall() const;
};

/// Utilisation |flow| / capacity, or 0 when capacity is 0.
double utilisation(double flow, double capacity);

struct CommodityRun {
  Network network;                    ///< entity lists and arcs used by the rows below
  std::vector<PeriodResult> annual;   ///< one per horizon year
  std::vector<PeriodResult> monthly;  ///< 12 per year with monthly resolution, else empty
  RunEconomics economics;             ///< costs derived from `annual` (economics.h)
};

struct CaseResult {
  Scenario scenario;               ///< the resolved case, for names in the output
  std::vector<CommodityRun> runs;  ///< per commodity present, in enum order
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
  /// True when no period of any case has shortfall above half a flow unit (kHalfFlowUnit).
  bool all_demand_met() const;
};

}  // namespace corridor
