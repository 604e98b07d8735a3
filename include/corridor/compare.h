#pragma once
/// \file Route alternatives side by side: one RouteCard per (scenario, case, commodity, route),
/// each compared with the same route (matched by commodity and route id) in its baseline case.
/// Each card has its own baseline case: by default the first case of its own scenario (file),
/// so the gas and oil route choices of two files are each compared with their own status quo
/// (see CompareOptions::baseline). Pure functions over a RunResult; the only output is an
/// ostream printer and CSV strings.
///
/// Card metrics (volumes in bcm or Mt, money in MUSD, levelised cost in USD/kcm or USD/t):
///   - first_flow_year: the first horizon year with route volume above kHalfFlowUnit;
///   - at each milestone year inside the case's horizon: volume along the route's direction
///     (PeriodResult::route_volume, as routes.csv and route_costs.csv: flow against it on a
///     bidirectional meter counts 0, and monthly runs sum their months); utilisation (volume /
///     route capacity, none when the route capacity is 0, as for a route with a pipeline out of
///     service); levelised cost (economics.h, none when nothing flowed or the route has no cost
///     data); served shortfall;
///   - over the horizon: cumulative volume; mean and peak utilisation over the years with
///     route capacity > 0; the bottleneck, the pipeline that is PeriodResult::route_bottleneck
///     in the most years with flow (ties: the one of the earliest such year), and its binding
///     years, the years it ran at kBindingUtilisation or more; the levelised cost (ratio of
///     discounted sums, levelised_over); the transit share, the share of the cumulative volume
///     carried in years when a pipeline of the route with a transit country is in service; the
///     transit fees paid on the route's volume;
///   - served markets: the demand nodes reachable downstream of the route's last node through
///     any pipeline, whatever its dates (demand_nodes_reachable_from); served shortfall is the
///     sum of their shortfall, per milestone year and over the horizon.
///
/// Removed routes: a route that a compared case's baseline has and the case does not (an
/// alternative that `remove:`s it) gets a card in the case, after the case's own routes of that
/// commodity, in the baseline's route order, flagged `removed`: volume 0 at each milestone,
/// cumulative volume 0 and transit fees 0 (with economics), the served shortfall of the
/// baseline card's markets (by node id) in the case; every other metric undefined. Its deltas
/// are its loss. Only for commodities the case dispatches.
///
/// Deltas: card value minus baseline value. For a route that the baseline case does not have,
/// the volumes, cumulative volume and transit fees compare against 0 (the route carried nothing
/// there) and the served shortfall against the shortfall of the same markets (by node id) in
/// the baseline case; the other deltas are undefined. A value that is undefined on either side
/// has no delta. Cards of a commodity that the baseline case lacks are not compared at all.
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corridor/results.h"

namespace corridor {

/// Utilisation at or above which a pipeline counts as binding.
inline constexpr double kBindingUtilisation = 0.999;

struct CompareOptions {
  std::vector<int> years = {2030, 2035, 2040};  ///< milestone years, ascending, no duplicates
  /// The baseline of each card:
  ///   - empty: the first case of the card's own scenario (file);
  ///   - "case": the case of that name in the card's own scenario; when only one scenario has
  ///     such a case, that one case for every card (a comparison across files);
  ///   - "scenario/case": that one case for every card.
  std::string baseline;
};

/// Parses a --years value such as "2030,2035,2040" into ascending years. Throws InputError
/// (located at "--years") when it is empty, a part is not a whole number, or a year repeats.
std::vector<int> parse_years(std::string_view text);

/// Per case of `cases` (scenario name, case name, in run order): the index into `cases` of its
/// baseline case by the rule of CompareOptions::baseline. Throws InputError (located at
/// "--baseline") for a name that no case has, with did-you-mean, and for a case name that
/// several scenarios have but not all: one error per scenario without it, listing its cases.
std::vector<int> baseline_case_index(const std::vector<std::pair<std::string, std::string>>& cases,
                                     const std::string& baseline);

/// Values of one route at one milestone year; all empty when the year is outside the horizon.
struct MilestoneValues {
  std::optional<double> volume;
  std::optional<double> utilisation;  ///< fraction
  std::optional<double> levelised_cost;
  std::optional<double> levelised_cost_usd_per_gj;
  std::optional<double> served_shortfall;
};

/// One (scenario, case, commodity, route).
struct RouteCard {
  std::string scenario, case_name, route;
  Commodity commodity = Commodity::Gas;
  int case_index = 0;   ///< into RunResult::cases
  int route_index = 0;  ///< scenario route index; -1 for a removed route
  /// A route its baseline case has and this case does not (see the file comment): it carried
  /// nothing here, so its volumes are 0 and its deltas are its loss.
  bool removed = false;
  int first_year = 0, last_year = 0;  ///< the case's horizon
  std::optional<int> first_flow_year;
  std::vector<MilestoneValues> milestones;  ///< parallel to Comparison::years
  double cumulative_volume = 0.0;
  std::optional<double> mean_utilisation, peak_utilisation;
  std::string bottleneck;  ///< pipeline id; "" when the route never carried anything
  std::optional<int> bottleneck_binding_years;
  std::optional<double> levelised_cost, levelised_cost_usd_per_gj;  ///< over the horizon
  std::optional<double> transit_share;         ///< none when the route carried nothing
  std::vector<std::string> transit_countries;  ///< unique, in route order
  std::optional<double> transit_fees_musd;     ///< none without economics results
  std::vector<std::string> served_markets;     ///< demand node ids, in scenario order
  double served_shortfall = 0.0;               ///< over the horizon
};

/// The baseline case of one card.
struct CardBaseline {
  int case_index = 0;  ///< into RunResult::cases
  std::string scenario, case_name;
  /// How the card names it: the case name, or scenario/case when it is in another scenario.
  std::string label;
  int first_year = 0, last_year = 0;  ///< its horizon
};

/// One case and commodity as a whole (comparison_cases.csv and the case table): what the
/// system cost and where the supply came from, against the case's baseline. Money in MUSD,
/// volumes in bcm or Mt, summed over the horizon unless per milestone year.
struct CaseEconomics {
  std::string scenario, case_name;
  Commodity commodity = Commodity::Gas;
  int case_index = 0;                 ///< into RunResult::cases
  int first_year = 0, last_year = 0;  ///< the case's horizon
  double delivered = 0.0, shortfall = 0.0;
  double supply_cost_musd = 0.0;     ///< supply bought, contract volume at its price
  double transport_cost_musd = 0.0;  ///< tariffs and transit fees paid in dispatch
  double take_or_pay_musd = 0.0;     ///< for contract minimums not taken
  double capital_musd = 0.0;         ///< annualised capex of every asset, used or not
  double opex_musd = 0.0;            ///< operating cost of every asset
  double system_cost_musd() const {
    return supply_cost_musd + transport_cost_musd + take_or_pay_musd + capital_musd + opex_musd;
  }
  /// Present value of the yearly system cost at the scenario's discount rate, to the first
  /// year of the horizon: sum of cost_y (1 + r)^-(y - first).
  double npv_cost_musd = 0.0;
  /// Supply used by source (Node::source, else the supply's id), over the horizon and at each
  /// milestone year, in the order of Comparison::sources; none for a source the case's
  /// commodity does not have, or a milestone outside the horizon.
  std::vector<std::optional<double>> supply;
  std::vector<std::vector<std::optional<double>>> supply_at;  ///< [source][milestone]
  std::string baseline_label;  ///< as the route cards name it; empty for a baseline itself
  /// Index into Comparison::cases of the baseline of the same commodity, or -1 for a
  /// baseline itself or when the baseline case lacks the commodity.
  int baseline = -1;
};

struct Comparison {
  std::vector<int> years;
  std::vector<RouteCard> cards;  ///< in run order: file, case, commodity, route
  /// One per case and commodity, in run order, and the supply sources of each commodity in
  /// order of first appearance (comparison_cases.csv columns).
  std::vector<CaseEconomics> cases;
  /// Supply sources of every case and commodity, in order of first appearance.
  std::vector<std::string> sources;
  /// Per card: its baseline case.
  std::vector<CardBaseline> baseline;
  /// Per card: the index of the baseline card, or -1 (a card of its baseline case itself, or
  /// a route the baseline does not have).
  std::vector<int> baseline_of;
  /// Per card: true for cards of their own baseline case.
  std::vector<bool> is_baseline;
  /// Per card: true when it is compared with its baseline: not a card of the baseline case,
  /// and the baseline case has the card's commodity (an oil route is not compared with a
  /// gas-only baseline). Only compared cards have deltas and a baseline_case.
  std::vector<bool> compared;
  /// Per card: served shortfall of the card's markets in its baseline case, by year from
  /// baseline[i].first_year, for a compared card whose route the baseline does not have; else
  /// empty.
  std::vector<std::vector<double>> baseline_market_shortfall;
};

/// Builds the cards and matches each with its baseline. Throws InputError for a bad baseline
/// (see baseline_case_index) or bad years.
Comparison compare(const RunResult& r, const CompareOptions& options);

/// comparison.csv: one row per card, metric and year (see README.md for the columns).
std::string comparison_csv(const Comparison& c);

/// comparison_wide.csv: one row per card, its deltas at the end.
std::string comparison_wide_csv(const Comparison& c);

/// comparison_cases.csv: one row per case and commodity (see README.md for the columns): the
/// system cost, its NPV, supply by source and what each source lost or gained against the
/// baseline case ("displaced" = baseline - case, so positive is supply the case displaced).
std::string comparison_cases_csv(const Comparison& c);

/// The terminal table, per commodity, fitted to `width` columns: first a short case table
/// (system cost, NPV, its change against the baseline, and the sources most displaced at the
/// last milestone year), then the route cards. Lowest-priority columns are dropped first (and
/// named in one line), names cut with '…' only as a last resort. The title
/// of each commodity names the baseline(s) of its cards: "gas vs baseline status-quo" when
/// each card's baseline is the case of that name in its own scenario, else the distinct
/// baseline cases (scenario/case when there are several scenarios); under each compared card
/// a "Δ vs <its label>" line.
void print_comparison(std::ostream& os, const Comparison& c, int width);

}  // namespace corridor
