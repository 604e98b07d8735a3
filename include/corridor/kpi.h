#pragma once
/// \file Key performance indicators: the one number a study reads off a dispatched case
/// (sensitivity, breakeven and explain, sensitivity.h). A KPI is text, as a user writes it on
/// the command line:
///
///   routes.ID.volume[@YEAR]          the route's volume (routes.csv), summed over the years, or
///                                    in YEAR; bcm or Mt. ID may be a pattern ("routes.*.volume"
///                                    sums every route: the imports of a route library)
///   routes.ID.levelised_cost[@YEAR]  the route's levelised cost over the years (the ratio of
///                                    discounted sums, economics.h: comparison.csv's figure) or
///                                    in YEAR (route_costs.csv); USD/kcm or USD/t; undefined
///                                    when the route carried nothing or has no cost data
///   markets.ID.shortfall[@YEAR]      shortfall of a demand node (deliveries.csv); pattern allowed
///   markets.ID.delivered[@YEAR]      what it received; pattern allowed
///   transit_fees.COUNTRY[@YEAR]      fees paid to a transit country (transit_fees.csv), MUSD
///   total_cost[@YEAR]                summary.csv's total_cost_musd: supply and transport plus
///                                    capital and operating cost, summed over commodities, MUSD
///   dispatch_cost[@YEAR]             summary.csv's cost_musd: supply plus transport, MUSD
///   shortfall[@YEAR], delivered[@YEAR]  over every market of the case
///
/// "Summed over the years" means the years of the study's window (KpiYears), by default the
/// whole horizon. A KPI that names a route, market or country the case does not have is 0 for
/// volumes and money and undefined for a levelised cost, so that cases with and without a
/// route compare (explain); check_kpi() refuses a name that no case of a study has.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/diagnostics.h"
#include "corridor/results.h"
#include "corridor/scenario.h"

namespace corridor {

enum class KpiKind {
  RouteVolume,
  RouteLevelisedCost,
  MarketShortfall,
  MarketDelivered,
  TransitFees,
  TotalCost,
  DispatchCost,
  Shortfall,
  Delivered,
};

struct Kpi {
  std::string text;  ///< as written: "routes.pos2-mongolia.levelised_cost"
  KpiKind kind = KpiKind::TotalCost;
  std::string id;  ///< route, market (pattern allowed) or country; "" for case totals
  std::optional<int> year;
};

/// The years a KPI sums or levelises over: [first, last], inclusive.
struct KpiYears {
  int first = 0, last = 0;
};

/// Parses a KPI. nullopt, with `error` and `hint` set (did-you-mean for a misspelt word), when
/// the text is not one of the forms above.
std::optional<Kpi> parse_kpi(std::string_view text, std::string& error, std::string& hint);

/// Appends an error located at `where` when no case of `cases` has the KPI's route, market or
/// country (with did-you-mean over their names), or when its year lies outside every case's
/// horizon.
void check_kpi(const std::vector<const Scenario*>& cases, const Kpi& k, const SourceLocation& where,
               std::vector<Diagnostic>& diags);

/// The unit of the KPI's value in case `s`: "bcm", "Mt", "USD/kcm", "USD/t", "MUSD". A volume
/// or a levelised cost takes the commodity of the first route or market it names.
std::string kpi_unit(const Scenario& s, const Kpi& k);

/// The KPI of a dispatched case (not failed), over `years` (ignored with Kpi::year). nullopt
/// when undefined: a levelised cost without volume or cost data.
std::optional<double> kpi_value(const CaseResult& r, const Kpi& k, const KpiYears& years);

/// Parses the `--years` of a study: "2030..2040", or one year "2035"; empty text gives the
/// horizon of `s`. nullopt, with `error` set, for bad text or years outside the horizon.
std::optional<KpiYears> parse_kpi_years(std::string_view text, const Scenario& s,
                                        std::string& error);

}  // namespace corridor
