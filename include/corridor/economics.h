#pragma once
/// \file Route economics: what moving the volumes costs, derived from a solved case. Pure
/// functions over results; no IO, no solver.
///
/// Costs of an asset (a pipeline, or a route's own costs beyond its pipelines) in a year:
///   - capital: capex x CRF(discount_rate, lifetime), the capital recovery factor
///     r (1 + r)^n / ((1 + r)^n - 1) (1 / n when r = 0), per year of the `lifetime` years
///     that start on the asset's first day in service, by days: a line commissioned on
///     1 July pays about half an annuity in its first year and half in the year its lifetime
///     ends, so exactly `lifetime` annuities in all (fewer if it retires first);
///   - operating: opex_fraction x capex, in the same years and fractions (opex runs on
///     after the lifetime too: the line is still in service);
///   - nothing before it is in service or after it retires, and nothing without capex;
///   - its share of project capex tranches (Economics::tranches) on top, each annualised over the
///     project's lifetime and rate from the later of its date and the asset's first day in
///     service, with the project's opex on it.
/// A pipeline is in service from `online` (the horizon start if none) until `retire`; a route
/// from the last `online` of its pipelines until the first `retire`. `capex_start` moves the
/// first charged period of an asset's capex and opex later (an expansion bought in 2030 of a
/// line in service since 2011), never earlier than the asset's service: validate() refuses an
/// earlier date, and fixed_cost() would charge from the service start.
///
/// Allocation to routes. A pipeline's fixed cost (capital plus operating) belongs to the
/// routes that include it; a route also pays the tariffs and transit fees of its pipelines per
/// unit of its volume, and its own route-level costs in full. In a year, route r pays this
/// share of the fixed cost of each of its pipelines p:
///   - p carried something (carried > 0): by flow, V_r / max(carried, sum of V over the routes
///     on p). Flow that no route reports (domestic gas joining a shared trunk) keeps its part
///     unallocated: it is not the routes' to pay. The max keeps the shares of overlapping
///     routes, metered elsewhere, from adding up to more than the whole;
///   - p carried nothing (built ahead of its market, or idle): by the routes' volumes over the
///     horizon, H_r / sum of H over the routes on p, so a line that waits for its market is
///     paid by those it is built for, in proportion to their use; equally among them when none
///     of them carries anything in the whole horizon.
/// V_r is the route's volume along its direction that year, PeriodResult::route_volume
/// (results.h, the routes.csv volume): a route whose bidirectional meter runs against it
/// carried nothing. `carried` is the pipeline's |flow|, summed month by month with monthly
/// resolution, since the annual row nets a line used both ways to almost nothing while it
/// carried, and was paid for, everything. Only the fixed cost of a pipeline on no route, and
/// the flow share of flow no route reports, stay unallocated; every pipeline's whole fixed
/// cost is reported with it (flows.csv) whoever pays it.
///
/// Levelised cost of a route in a year: total cost / volume, in USD/kcm (gas) or USD/t (oil),
/// and in USD/GJ by the heating value; undefined (nullopt) when the route carried nothing, or
/// when the route has no cost data at all (no capex on it or its pipelines, no tariff, no
/// transit fee): a 0 would read as "free" where the truth is "not known".
/// Over a horizon: the ratio of discounted sums, sum(cost_y d_y) / sum(volume_y d_y) with
/// d_y = (1 + r)^-(y - start) and r the scenario discount rate.
///
/// Transit fees: per transit country and year, transit_fee x |flow| summed over its
/// pipelines (month by month with monthly resolution), whether or not a route is defined
/// over them. Its volume is |flow| summed over
/// the same pipelines, fee-charging or not (gas crossing two pipelines of one country counts
/// twice, as it pays twice).
#include <optional>
#include <string>
#include <vector>

#include "corridor/scenario.h"

namespace corridor {

struct CommodityRun;  // results.h
struct CaseResult;

/// Capital recovery factor: the annuity per unit of capital over `years` at `rate`.
/// `years` must be positive and `rate` > -1, else std::invalid_argument.
double capital_recovery_factor(double rate, double years);

/// The capex of an asset in MUSD: capex_musd, or capex_musd_per_km x length_km; 0 without
/// capex or (per km) without a length.
double capex_musd(const Economics& e, std::optional<double> length_km);

/// Years of an asset in service: the first calendar year and the end (exclusive, retire
/// year's fraction handled by in-service fractions); nullopt end means "never retires".
struct ServiceSpan {
  std::optional<YearMonth> online;  ///< none: in service from before the horizon
  std::optional<YearMonth> retire;
};

/// Fixed cost (capital + operating) of an asset in `year`, in MUSD. The annuity starts on the
/// first day charged: `online` (or `capex_start` if later), or 1 January of `horizon_start`
/// without either; it lasts `lifetime` years to the day, whole or not (30.5 y from 1 January
/// 2030: half an annuity in 2060).
struct FixedCost {
  double capital_musd = 0.0;
  double opex_musd = 0.0;
  double total() const { return capital_musd + opex_musd; }
};
FixedCost fixed_cost(const Economics& e, std::optional<double> length_km, const ServiceSpan& span,
                     int horizon_start, int year, const Scenario& s);

/// One route in one year. Money in MUSD, volume in the reporting unit (bcm or Mt).
struct RouteYearCost {
  double volume = 0.0;            ///< the route's volume (routes.csv); see the file comment
  double capital_musd = 0.0;      ///< allocated pipeline capital plus the route's own
  double opex_musd = 0.0;         ///< likewise for operating cost
  double tariff_musd = 0.0;       ///< sum of tariffs x volume
  double transit_fee_musd = 0.0;  ///< sum of transit fees x volume
  double total_musd() const { return capital_musd + opex_musd + tariff_musd + transit_fee_musd; }
  /// The route or a pipeline of it has capex, a tariff or a transit fee, and no pipeline of it
  /// has `tariff: unknown`: the levelised costs have a value only when costed.
  bool costed = false;
  /// A pipeline of the route has `tariff: unknown`: tariff_musd and total_musd() count it as 0,
  /// so route_costs.csv leaves them empty, with the levelised costs.
  bool tariff_unknown = false;
  std::optional<double> levelised;             ///< USD/kcm or USD/t; none at zero volume
  std::optional<double> levelised_usd_per_gj;  ///< the same in USD/GJ
};

/// Fees paid to one transit country in one year.
struct TransitFee {
  std::string country;
  double volume = 0.0;  ///< |flow| summed over the country's pipelines
  double fees_musd = 0.0;
};

/// The economics of one commodity run, parallel to its annual results.
struct RunEconomics {
  /// [year index][route index as Network::routes]
  std::vector<std::vector<RouteYearCost>> routes;
  /// [year index][pipeline index as Network::pipelines]: the pipeline's own fixed cost.
  std::vector<std::vector<FixedCost>> pipelines;
  /// [year index][route index as Network::routes]: the route's own fixed cost (its `capex`
  /// beyond its pipelines'), which RouteYearCost includes in full.
  std::vector<std::vector<FixedCost>> route_own;
  /// [year index]: every transit country of the run's pipelines, in order of first
  /// appearance in the scenario, including those with no flow that year.
  std::vector<std::vector<TransitFee>> transit;
};

/// The fixed cost of the whole run in year index `y`: every pipeline's (with its project
/// tranches) plus every route's own, whoever pays them, used or not (summary.csv, and the
/// system cost of compare's case table).
FixedCost run_fixed_cost(const RunEconomics& e, std::size_t y);

/// Computes the economics of one run of `s` from its annual results.
RunEconomics compute_economics(const Scenario& s, const CommodityRun& run);

/// Fills CommodityRun::economics of every run of a dispatched case (after dispatch, by the
/// driver: simulate.h). A failed case is left as it is.
void add_economics(CaseResult& result);

/// Levelised cost of a route over the horizon years in [first, last] (see the file comment),
/// `route_index` as Network::routes; years outside the horizon are ignored. nullopt when the
/// route carried nothing in them or has no cost data.
std::optional<double> levelised_over(const Scenario& s, const RunEconomics& e, int route_index,
                                     int first_year, int last_year);

}  // namespace corridor
