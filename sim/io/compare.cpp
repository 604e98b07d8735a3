// Route cards and comparisons (compare.h): cards from a RunResult, one list of metric rows per
// card that the tidy CSV, the wide CSV and the terminal table all read.
#include "corridor/compare.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include "corridor/csv.h"
#include "corridor/diagnostics.h"
#include "corridor/economics.h"
#include "corridor/network.h"
#include "corridor/text.h"
#include "corridor/validate.h"

namespace corridor {
namespace {

/// An input error about a command-line option: "--years: error: ...; hint".
InputError option_error(const std::string& option, std::string message, std::string hint) {
  return InputError({{Severity::Error, {option}, std::move(message), std::move(hint)}});
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cards

/// The scenario node at the downstream end of a route: the far end of its last pipeline, in
/// the direction the path runs (validate() guarantees the pipelines form a connected path).
std::string route_end_node(const Scenario& s, const std::vector<int>& pipelines) {
  if (pipelines.empty()) return "";
  const Pipeline& last = s.pipelines[pipelines.back()];
  if (pipelines.size() == 1) return last.to;
  const Pipeline& prev = s.pipelines[pipelines[pipelines.size() - 2]];
  const bool forward = last.from == prev.to || last.from == prev.from;
  return forward ? last.to : last.from;
}

/// Whether the economics of `run` are filled in and parallel to its results.
bool has_economics(const CommodityRun& run) {
  if (run.economics.routes.size() != run.annual.size()) return false;
  return std::all_of(run.economics.routes.begin(), run.economics.routes.end(),
                     [&](const auto& year) { return year.size() == run.network.routes.size(); });
}

/// Sum of the shortfall of the demand nodes named `ids` in one annual row.
double shortfall_of(const Scenario& s, const Network& net, const PeriodResult& row,
                    const std::set<std::string>& ids) {
  double sum = 0.0;
  for (std::size_t k = 0; k < net.demands.size() && k < row.shortfall.size(); ++k) {
    if (ids.count(s.nodes[net.demands[k]].id)) sum += row.shortfall[k];
  }
  return sum;
}

/// The route's volume in year index `y` along its own direction (results.h): what routes.csv
/// and the economics show; flow against the route on a bidirectional meter counts 0.
double forward_volume(const CommodityRun& run, std::size_t y, int slot) {
  return run.annual.at(y).route_volume.at(slot);
}

/// What one card is computed from: one route of one commodity run of one case.
struct CardInput {
  const Scenario& s;
  const Network& net;
  const CommodityRun& run;
  int slot = 0;                   ///< into Network::routes
  std::vector<int> pipelines;     ///< the route's pipelines, as scenario indices, in order
  std::set<std::string> markets;  ///< ids of the demand nodes the route serves
  bool economics = false;         ///< has_economics(run)
};

/// Per pipeline: the years with flow in which it was the route's bottleneck, and the first.
using BottleneckYears = std::map<int, std::pair<int, int>>;

/// The card's identity, transit countries and served markets; the pipelines and markets go
/// into `in` for the rest of the card.
RouteCard card_header(CardInput& in, int case_index) {
  const Scenario& s = in.s;
  const int r = in.net.routes[in.slot];
  RouteCard card;
  card.scenario = s.name;
  card.case_name = s.case_name;
  card.route = s.routes[r].id;
  card.commodity = in.net.commodity;
  card.case_index = case_index;
  card.route_index = r;
  card.first_year = s.horizon.start_year;
  card.last_year = s.horizon.end_year;
  for (int position : in.net.route_pipelines.at(in.slot)) {
    in.pipelines.push_back(in.net.pipelines[position]);
  }
  for (int p : in.pipelines) {
    const std::string& country = s.pipelines[p].transit_country;
    if (!country.empty() && std::find(card.transit_countries.begin(), card.transit_countries.end(),
                                      country) == card.transit_countries.end()) {
      card.transit_countries.push_back(country);
    }
  }
  for (int n : demand_nodes_reachable_from(s, route_end_node(s, in.pipelines))) {
    if (s.nodes[n].commodity != in.net.commodity) continue;
    card.served_markets.push_back(s.nodes[n].id);
    in.markets.insert(s.nodes[n].id);
  }
  return card;
}

/// True when a pipeline of the route with a transit country is in service in `year`.
bool crosses_transit(const CardInput& in, int year) {
  const Period whole_year{year, 0, 1.0};
  return std::any_of(in.pipelines.begin(), in.pipelines.end(), [&](int p) {
    return !in.s.pipelines[p].transit_country.empty() &&
           in_service_fraction(in.s.pipelines[p], whole_year) > 0.0;
  });
}

/// The metrics over the horizon: first flow year, cumulative volume, mean and peak
/// utilisation, transit share and fees, levelised cost, served shortfall. Returns the years
/// each pipeline was the bottleneck, for pick_bottleneck.
BottleneckYears add_horizon_metrics(const CardInput& in, RouteCard& card) {
  BottleneckYears bottleneck_years;
  double utilisation_sum = 0.0, transit_volume = 0.0, fees = 0.0;
  int utilisation_years = 0;
  for (std::size_t y = 0; y < in.run.annual.size(); ++y) {
    const PeriodResult& row = in.run.annual[y];
    const int year = row.period.year;
    const double volume = forward_volume(in.run, y, in.slot);
    const double capacity = row.route_capacity.at(in.slot);
    const bool flows = volume > kHalfFlowUnit;
    if (flows && !card.first_flow_year) card.first_flow_year = year;
    card.cumulative_volume += volume;
    if (const std::optional<double> used = utilisation(volume, capacity)) {
      const double u = *used;
      utilisation_sum += u;
      ++utilisation_years;
      card.peak_utilisation = std::max(card.peak_utilisation.value_or(0.0), u);
    }
    if (const int b = row.route_bottleneck.at(in.slot); flows && b >= 0) {
      auto [it, fresh] = bottleneck_years.try_emplace(b, 0, year);
      ++it->second.first;
    }
    if (crosses_transit(in, year)) transit_volume += volume;
    if (in.economics) fees += in.run.economics.routes[y][in.slot].transit_fee_musd;
    card.served_shortfall += shortfall_of(in.s, in.net, row, in.markets);
  }
  if (utilisation_years > 0) card.mean_utilisation = utilisation_sum / utilisation_years;
  if (card.cumulative_volume > kHalfFlowUnit) {
    card.transit_share = transit_volume / card.cumulative_volume;
  }
  if (in.economics) {
    card.transit_fees_musd = fees;
    card.levelised_cost =
        levelised_over(in.s, in.run.economics, in.slot, card.first_year, card.last_year);
    if (card.levelised_cost) {
      card.levelised_cost_usd_per_gj =
          usd_per_gj(in.net.commodity, props(in.s, in.net.commodity), *card.levelised_cost);
    }
  }
  return bottleneck_years;
}

/// The bottleneck: the pipeline that was the route's bottleneck in the most years with flow
/// (ties: the one that was bottleneck first), and its years at kBindingUtilisation or more.
void pick_bottleneck(const CardInput& in, const BottleneckYears& years, RouteCard& card) {
  int best = -1;
  std::pair<int, int> best_key{0, 0};
  for (const auto& [pipeline, key] : years) {
    if (best < 0 || key.first > best_key.first ||
        (key.first == best_key.first && key.second < best_key.second)) {
      best = pipeline;
      best_key = key;
    }
  }
  if (best < 0) return;
  card.bottleneck = in.s.pipelines[best].id;
  const auto pos = std::find(in.net.pipelines.begin(), in.net.pipelines.end(), best);
  const std::size_t p = static_cast<std::size_t>(pos - in.net.pipelines.begin());
  int binding = 0;
  for (const PeriodResult& row : in.run.annual) {
    const double capacity = row.pipeline_capacity.at(p);
    binding += utilisation(row.pipeline_flow.at(p), capacity).value_or(0.0) >= kBindingUtilisation;
  }
  card.bottleneck_binding_years = binding;
}

/// The values at each milestone year; none for a year outside the run.
void add_milestones(const CardInput& in, const std::vector<int>& years, RouteCard& card) {
  for (int year : years) {
    MilestoneValues m;
    const auto it = std::find_if(in.run.annual.begin(), in.run.annual.end(),
                                 [&](const PeriodResult& row) { return row.period.year == year; });
    if (it != in.run.annual.end()) {
      const std::size_t y = static_cast<std::size_t>(it - in.run.annual.begin());
      m.volume = forward_volume(in.run, y, in.slot);
      m.utilisation = utilisation(*m.volume, it->route_capacity[in.slot]);
      if (in.economics) {
        m.levelised_cost = in.run.economics.routes[y][in.slot].levelised;
        m.levelised_cost_usd_per_gj = in.run.economics.routes[y][in.slot].levelised_usd_per_gj;
      }
      m.served_shortfall = shortfall_of(in.s, in.net, *it, in.markets);
    }
    card.milestones.push_back(m);
  }
}

RouteCard make_card(const CaseResult& cr, int case_index, const CommodityRun& run, int slot,
                    const std::vector<int>& years) {
  CardInput in{*cr.scenario, run.network, run, slot, {}, {}, has_economics(run)};
  RouteCard card = card_header(in, case_index);
  pick_bottleneck(in, add_horizon_metrics(in, card), card);
  add_milestones(in, years, card);
  return card;
}

/// The card of a route that the baseline card `base` has and case `cr` does not (compare.h).
RouteCard removed_card(const CaseResult& cr, int case_index, const CommodityRun& run,
                       const RouteCard& base, const std::vector<int>& years) {
  const Scenario& s = *cr.scenario;
  RouteCard card;
  card.scenario = s.name;
  card.case_name = s.case_name;
  card.route = base.route;
  card.commodity = base.commodity;
  card.case_index = case_index;
  card.route_index = -1;
  card.removed = true;
  card.first_year = s.horizon.start_year;
  card.last_year = s.horizon.end_year;
  card.served_markets = base.served_markets;
  const std::set<std::string> markets(base.served_markets.begin(), base.served_markets.end());
  for (const PeriodResult& row : run.annual) {
    card.served_shortfall += shortfall_of(s, run.network, row, markets);
  }
  if (has_economics(run)) card.transit_fees_musd = 0.0;
  for (int year : years) {
    MilestoneValues m;
    const auto it = std::find_if(run.annual.begin(), run.annual.end(),
                                 [&](const PeriodResult& row) { return row.period.year == year; });
    if (it != run.annual.end()) {
      m.volume = 0.0;
      m.served_shortfall = shortfall_of(s, run.network, *it, markets);
    }
    card.milestones.push_back(m);
  }
  return card;
}

// ---------------------------------------------------------------------------------------------
// Metric rows: the one list of (metric, year, value, baseline value) that the tidy CSV, the
// wide CSV and the terminal table all read.

struct MetricRow {
  std::string metric;
  std::optional<int> year;  ///< none: the whole horizon
  std::optional<double> value;
  std::string unit;
  std::string detail;
  std::optional<double> baseline;
  int decimals = 0;
  std::optional<double> delta() const {
    if (!value || !baseline) return std::nullopt;
    return *value - *baseline;
  }
};

std::vector<MetricRow> metric_rows(const Comparison& c, std::size_t i) {
  const RouteCard& card = c.cards[i];
  const CardBaseline& baseline = c.baseline[i];
  const RouteCard* base = c.baseline_of[i] >= 0 ? &c.cards[c.baseline_of[i]] : nullptr;
  const bool absent = c.compared[i] && base == nullptr;  // a route new to this case
  const std::string vunit(volume_unit(card.commodity)), cunit(cost_unit(card.commodity));
  const std::vector<double>& market_base = c.baseline_market_shortfall[i];
  const std::string markets = join(card.served_markets, "+");

  std::vector<MetricRow> rows;
  auto add = [&](std::string metric, std::optional<int> year, std::optional<double> value,
                 const std::string& unit, int decimals, std::optional<double> baseline,
                 std::string detail = "") {
    rows.push_back({std::move(metric), year, value, unit, std::move(detail), baseline, decimals});
  };
  auto of_base = [&](auto get) -> std::optional<double> {
    if (!base) return std::nullopt;
    return get(*base);
  };
  auto milestones = [&](const std::string& metric, const std::string& unit, int decimals, auto get,
                        auto absent_baseline, std::string detail = "") {
    for (std::size_t j = 0; j < c.years.size(); ++j) {
      const int year = c.years[j];
      if (year < card.first_year || year > card.last_year) continue;
      std::optional<double> b;
      if (base) {
        b = get(base->milestones[j]);
      } else if (absent && year >= baseline.first_year && year <= baseline.last_year) {
        b = absent_baseline(year);
      }
      add(metric, year, get(card.milestones[j]), unit, decimals, b, detail);
    }
  };
  const auto none = [](int) -> std::optional<double> { return std::nullopt; };
  const auto zero = [](int) -> std::optional<double> { return 0.0; };

  add("first_flow_year", std::nullopt,
      card.first_flow_year ? std::optional<double>(*card.first_flow_year) : std::nullopt, "year", 0,
      of_base([](const RouteCard& b) {
        return b.first_flow_year ? std::optional<double>(*b.first_flow_year) : std::nullopt;
      }),
      card.removed ? "removed" : "");
  milestones(
      "volume", vunit, decimals::kVolume, [](const MilestoneValues& m) { return m.volume; }, zero);
  milestones(
      "utilisation", "fraction", decimals::kFraction,
      [](const MilestoneValues& m) { return m.utilisation; }, none);
  milestones(
      "levelised_cost", cunit, decimals::kUnitCost,
      [](const MilestoneValues& m) { return m.levelised_cost; }, none);
  add("levelised_cost", std::nullopt, card.levelised_cost, cunit, decimals::kUnitCost,
      of_base([](const RouteCard& b) { return b.levelised_cost; }));
  milestones(
      "levelised_cost_energy", "USD/GJ", decimals::kUsdPerGj,
      [](const MilestoneValues& m) { return m.levelised_cost_usd_per_gj; }, none);
  add("levelised_cost_energy", std::nullopt, card.levelised_cost_usd_per_gj, "USD/GJ",
      decimals::kUsdPerGj, of_base([](const RouteCard& b) { return b.levelised_cost_usd_per_gj; }));
  milestones(
      "served_shortfall", vunit, decimals::kVolume,
      [](const MilestoneValues& m) { return m.served_shortfall; },
      [&](int year) -> std::optional<double> {
        const std::size_t k = static_cast<std::size_t>(year - baseline.first_year);
        return k < market_base.size() ? std::optional<double>(market_base[k]) : std::nullopt;
      },
      markets);
  std::optional<double> shortfall_base =
      of_base([](const RouteCard& b) { return std::optional<double>(b.served_shortfall); });
  if (absent) {
    double sum = 0.0;
    for (double v : market_base) sum += v;
    shortfall_base = sum;
  }
  add("served_shortfall", std::nullopt, card.served_shortfall, vunit, decimals::kVolume,
      shortfall_base, markets);
  add("cumulative_volume", std::nullopt, card.cumulative_volume, vunit, decimals::kVolume,
      absent ? std::optional<double>(0.0) : of_base([](const RouteCard& b) {
        return std::optional<double>(b.cumulative_volume);
      }));
  add("mean_utilisation", std::nullopt, card.mean_utilisation, "fraction", decimals::kFraction,
      of_base([](const RouteCard& b) { return b.mean_utilisation; }));
  add("peak_utilisation", std::nullopt, card.peak_utilisation, "fraction", decimals::kFraction,
      of_base([](const RouteCard& b) { return b.peak_utilisation; }));
  const auto binding = [](const RouteCard& r) {
    return r.bottleneck_binding_years ? std::optional<double>(*r.bottleneck_binding_years)
                                      : std::nullopt;
  };
  add("bottleneck_binding_years", std::nullopt, binding(card), "years", 0, of_base(binding),
      card.bottleneck);
  add("transit_share", std::nullopt, card.transit_share, "fraction", decimals::kFraction,
      of_base([](const RouteCard& b) { return b.transit_share; }),
      join(card.transit_countries, "+"));
  add("transit_fees", std::nullopt, card.transit_fees_musd, "MUSD", decimals::kMoney,
      absent ? std::optional<double>(0.0)
             : of_base([](const RouteCard& b) { return b.transit_fees_musd; }));
  return rows;
}

const MetricRow* find_row(const std::vector<MetricRow>& rows, std::string_view metric,
                          std::optional<int> year) {
  for (const MetricRow& r : rows) {
    if (r.metric == metric && r.year == year) return &r;
  }
  return nullptr;
}

std::string cell(const std::optional<double>& v, int decimals) {
  return v ? format_fixed(*v, decimals) : std::string();
}

// ---------------------------------------------------------------------------------------------
// The wide table's columns.

struct WideColumn {
  std::string name;
  std::string metric;
  std::optional<int> year;
};

/// The numeric columns after first_flow_year, in order; the text columns (bottleneck,
/// transit_countries) are placed by comparison_wide_csv.
std::vector<WideColumn> wide_numeric_columns(const std::vector<int>& years) {
  std::vector<WideColumn> cols;
  for (const char* metric : {"volume", "utilisation", "levelised_cost", "served_shortfall"}) {
    for (int y : years) cols.push_back({std::string(metric) + "_" + std::to_string(y), metric, y});
  }
  cols.push_back({"cumulative_volume", "cumulative_volume", std::nullopt});
  cols.push_back({"mean_utilisation", "mean_utilisation", std::nullopt});
  cols.push_back({"peak_utilisation", "peak_utilisation", std::nullopt});
  cols.push_back({"bottleneck_binding_years", "bottleneck_binding_years", std::nullopt});
  cols.push_back({"levelised_cost", "levelised_cost", std::nullopt});
  cols.push_back({"levelised_cost_usd_per_gj", "levelised_cost_energy", std::nullopt});
  cols.push_back({"transit_share", "transit_share", std::nullopt});
  cols.push_back({"transit_fees_musd", "transit_fees", std::nullopt});
  cols.push_back({"served_shortfall", "served_shortfall", std::nullopt});
  return cols;
}

// ---------------------------------------------------------------------------------------------
// Terminal table

/// `s` cut to `width` columns (display_width, text.h), ending in '…' when cut.
std::string fit(std::string_view s, int width) {
  if (display_width(s) <= width) return std::string(s);
  if (width <= 0) return "";
  std::size_t end = 0;
  for (int w = 0; w < width - 1; ++w) end += decode_utf8(s, end).length;
  return std::string(s.substr(0, end)) + "…";
}

std::string pad(std::string_view s, int width, bool left) {
  const std::string text = fit(s, width);
  const std::string fill(static_cast<std::size_t>(std::max(0, width - display_width(text))), ' ');
  return left ? text + fill : fill + text;
}

/// A number for the table: "-" when undefined.
std::string shown(const std::optional<double>& v, int decimals, double scale = 1.0) {
  return v ? format_fixed(*v * scale, decimals) : "-";
}

/// A signed delta: "+1.2", "-3.0", "0.0"; blank when undefined.
std::string signed_delta(const std::optional<double>& v, int decimals, double scale = 1.0) {
  if (!v) return "";
  const std::string s = format_fixed(*v * scale, decimals);
  return s.find_first_not_of("0.") == std::string::npos || s[0] == '-' ? s : "+" + s;
}

struct TableColumn {
  std::string header;
  bool left = false;
  int drop_rank = 0;               ///< dropped in increasing order when too wide; 0: never dropped
  std::vector<std::string> cells;  ///< one per table line
  int width = 0;
};

// ---------------------------------------------------------------------------------------------
// Cases as a whole

/// The label a supply is counted under: its `source`, else its id.
const std::string& source_of(const Node& n) { return n.source.empty() ? n.id : n.source; }

/// Comparison::cases and ::sources from the results; `baseline_of_case` as compare() has it.
void add_cases(const RunResult& r, const std::vector<int>& baseline_of_case, Comparison& c) {
  for (const CaseResult& cr : r.cases) {
    for (const CommodityRun& run : cr.runs) {
      for (int i : run.network.supplies) {
        const std::string& label = source_of(cr.scenario->nodes[i]);
        if (std::find(c.sources.begin(), c.sources.end(), label) == c.sources.end()) {
          c.sources.push_back(label);
        }
      }
    }
  }
  const std::size_t n = c.sources.size();
  for (std::size_t ci = 0; ci < r.cases.size(); ++ci) {
    const CaseResult& cr = r.cases[ci];
    const Scenario& s = *cr.scenario;
    for (const CommodityRun& run : cr.runs) {
      const Network& net = run.network;
      CaseEconomics e;
      e.scenario = s.name;
      e.case_name = s.case_name;
      e.commodity = net.commodity;
      e.case_index = static_cast<int>(ci);
      e.first_year = s.horizon.start_year;
      e.last_year = s.horizon.end_year;
      e.supply.assign(n, std::nullopt);
      e.supply_at.assign(n, std::vector<std::optional<double>>(c.years.size()));
      std::vector<std::size_t> slot(net.supplies.size());
      for (std::size_t k = 0; k < net.supplies.size(); ++k) {
        const std::string& label = source_of(s.nodes[net.supplies[k]]);
        slot[k] = static_cast<std::size_t>(std::find(c.sources.begin(), c.sources.end(), label) -
                                           c.sources.begin());
        e.supply[slot[k]] = 0.0;
        for (std::size_t j = 0; j < c.years.size(); ++j) {
          if (c.years[j] >= e.first_year && c.years[j] <= e.last_year)
            e.supply_at[slot[k]][j] = 0.0;
        }
      }
      const bool economics = run.economics.pipelines.size() == run.annual.size() &&
                             run.economics.route_own.size() == run.annual.size();
      for (std::size_t y = 0; y < run.annual.size(); ++y) {
        const PeriodResult& p = run.annual[y];
        e.delivered += p.total_delivered();
        e.shortfall += p.total_shortfall();
        e.supply_cost_musd += p.supply_cost_musd;
        e.transport_cost_musd += p.cost_musd - p.supply_cost_musd;
        e.take_or_pay_musd += p.take_or_pay_musd;
        double year_cost = p.cost_musd + p.take_or_pay_musd;
        if (economics) {
          const FixedCost fixed = run_fixed_cost(run.economics, y);
          e.capital_musd += fixed.capital_musd;
          e.opex_musd += fixed.opex_musd;
          year_cost += fixed.total();
        }
        e.npv_cost_musd +=
            year_cost * std::pow(1.0 + s.discount_rate, -(p.period.year - e.first_year));
        const auto milestone = std::find(c.years.begin(), c.years.end(), p.period.year);
        for (std::size_t k = 0; k < net.supplies.size(); ++k) {
          *e.supply[slot[k]] += p.supply_used[k];
          if (milestone != c.years.end()) {
            *e.supply_at[slot[k]][static_cast<std::size_t>(milestone - c.years.begin())] +=
                p.supply_used[k];
          }
        }
      }
      c.cases.push_back(std::move(e));
    }
  }
  for (CaseEconomics& e : c.cases) {
    const int b = baseline_of_case[e.case_index];
    if (b == e.case_index) continue;
    const Scenario& bs = *r.cases[b].scenario;
    for (std::size_t k = 0; k < c.cases.size(); ++k) {
      if (c.cases[k].case_index == b && c.cases[k].commodity == e.commodity) {
        e.baseline = static_cast<int>(k);
        e.baseline_label = bs.name == e.scenario ? bs.case_name : bs.name + "/" + bs.case_name;
      }
    }
  }
}

}  // namespace

std::vector<int> parse_years(std::string_view text) {
  const std::string hint = "give milestone years separated by commas, e.g. --years 2030,2035,2040";
  if (trim(text).empty()) throw option_error("--years", "no years given", hint);
  std::vector<int> years;
  std::string_view rest = text;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view part = trim(rest.substr(0, comma));
    int year = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), year);
    if (part.empty()) {
      throw option_error("--years", "empty year in '" + std::string(text) + "'", hint);
    }
    if (ec != std::errc() || end != part.data() + part.size()) {
      throw option_error("--years", "'" + std::string(part) + "' is not a year", hint);
    }
    if (std::find(years.begin(), years.end(), year) != years.end()) {
      throw option_error("--years", "year " + std::to_string(year) + " is given twice", hint);
    }
    years.push_back(year);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  std::sort(years.begin(), years.end());
  return years;
}

std::vector<int> baseline_case_index(const std::vector<std::pair<std::string, std::string>>& cases,
                                     const std::string& baseline) {
  // Scenarios in run order, and the index of each one's first case.
  std::vector<std::string> scenarios;
  std::map<std::string, int, std::less<>> first_case;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (first_case.emplace(cases[i].first, static_cast<int>(i)).second) {
      scenarios.push_back(cases[i].first);
    }
  }
  std::vector<int> out(cases.size());
  auto all_against = [&](int b) {
    std::fill(out.begin(), out.end(), b);
    return out;
  };
  if (baseline.empty()) {
    for (std::size_t i = 0; i < cases.size(); ++i) out[i] = first_case.at(cases[i].first);
    return out;
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].first + "/" + cases[i].second == baseline) return all_against(static_cast<int>(i));
  }

  // A bare case name: each scenario's own case of that name.
  std::map<std::string, int, std::less<>> own;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].second == baseline) own.emplace(cases[i].first, static_cast<int>(i));
  }
  if (own.size() == 1) return all_against(own.begin()->second);  // across files
  if (own.empty()) {
    const bool qualified = baseline.find('/') != std::string::npos;
    std::vector<std::string> candidates;
    for (const auto& [scenario, case_name] : cases) {
      const std::string name = qualified ? scenario + "/" + case_name : case_name;
      if (std::find(candidates.begin(), candidates.end(), name) == candidates.end()) {
        candidates.push_back(name);
      }
    }
    throw option_error("--baseline", "no case named '" + baseline + "'",
                       did_you_mean(baseline, candidates));
  }
  std::vector<Diagnostic> errors;
  const std::string example =
      *std::find_if(scenarios.begin(), scenarios.end(),
                    [&](const std::string& name) { return own.count(name) > 0; }) +
      "/" + baseline;
  for (const std::string& scenario : scenarios) {
    if (own.count(scenario)) continue;
    std::vector<std::string> names;
    for (const auto& [s, case_name] : cases) {
      if (s == scenario) names.push_back(case_name);
    }
    const std::string close = closest_match(baseline, names);
    errors.push_back({Severity::Error,
                      {"--baseline"},
                      "scenario '" + scenario + "' has no case named '" + baseline +
                          "' (its cases: " + join(names, ", ") + ")",
                      (close.empty() ? "" : "did you mean '" + close + "'? or ") +
                          "name one baseline for all as scenario/case, e.g. --baseline " +
                          example});
  }
  if (!errors.empty()) throw InputError(std::move(errors));
  for (std::size_t i = 0; i < cases.size(); ++i) out[i] = own.at(cases[i].first);
  return out;
}

Comparison compare(const RunResult& r, const CompareOptions& options) {
  Comparison c;
  c.years = options.years;
  std::sort(c.years.begin(), c.years.end());
  if (c.years.empty()) throw option_error("--years", "no years given", "");
  if (std::adjacent_find(c.years.begin(), c.years.end()) != c.years.end()) {
    throw option_error("--years", "a year is given twice", "");
  }
  if (r.cases.empty()) return c;

  std::vector<std::pair<std::string, std::string>> names;
  for (const CaseResult& cr : r.cases)
    names.emplace_back(cr.scenario->name, cr.scenario->case_name);
  const std::vector<int> baseline_of_case = baseline_case_index(names, options.baseline);

  // Per case and commodity run, its own cards; then, in run order, those cards followed by a
  // card for each route of the baseline case that the case lacks.
  std::vector<std::vector<std::vector<RouteCard>>> own(r.cases.size());
  for (std::size_t ci = 0; ci < r.cases.size(); ++ci) {
    const CaseResult& cr = r.cases[ci];
    for (const CommodityRun& run : cr.runs) {
      std::vector<RouteCard>& cards = own[ci].emplace_back();
      for (std::size_t slot = 0; slot < run.network.routes.size(); ++slot) {
        cards.push_back(make_card(cr, static_cast<int>(ci), run, static_cast<int>(slot), c.years));
      }
    }
  }
  for (std::size_t ci = 0; ci < r.cases.size(); ++ci) {
    const int b = baseline_of_case[ci];
    for (std::size_t k = 0; k < r.cases[ci].runs.size(); ++k) {
      const CommodityRun& run = r.cases[ci].runs[k];
      const std::vector<RouteCard>& mine = own[ci][k];
      c.cards.insert(c.cards.end(), mine.begin(), mine.end());
      if (b == static_cast<int>(ci)) continue;
      for (const std::vector<RouteCard>& theirs : own[b]) {
        for (const RouteCard& base : theirs) {
          if (base.commodity != run.network.commodity ||
              std::any_of(mine.begin(), mine.end(),
                          [&](const RouteCard& m) { return m.route == base.route; })) {
            continue;
          }
          c.cards.push_back(removed_card(r.cases[ci], static_cast<int>(ci), run, base, c.years));
        }
      }
    }
  }

  for (const RouteCard& card : c.cards) {
    const int b = baseline_of_case[card.case_index];
    const CaseResult& base = r.cases[b];
    const Scenario& bs = *base.scenario;
    const std::string label =
        bs.name == card.scenario ? bs.case_name : bs.name + "/" + bs.case_name;
    c.baseline.push_back(
        {b, bs.name, bs.case_name, label, bs.horizon.start_year, bs.horizon.end_year});
    const bool is_base = card.case_index == b;
    int match = -1;
    if (!is_base) {
      for (std::size_t k = 0; k < c.cards.size(); ++k) {
        const RouteCard& other = c.cards[k];
        if (other.case_index == b && other.commodity == card.commodity &&
            other.route == card.route) {
          match = static_cast<int>(k);
          break;
        }
      }
    }
    const bool base_has_commodity = std::any_of(
        base.runs.begin(), base.runs.end(),
        [&](const CommodityRun& run) { return run.network.commodity == card.commodity; });
    c.baseline_of.push_back(match);
    c.is_baseline.push_back(is_base);
    c.compared.push_back(!is_base && base_has_commodity);

    // The same markets' shortfall in the baseline case, for a route it does not have.
    std::vector<double> market_base;
    if (c.compared.back() && match < 0) {
      const std::set<std::string> markets(card.served_markets.begin(), card.served_markets.end());
      for (const CommodityRun& run : base.runs) {
        if (run.network.commodity != card.commodity) continue;
        for (const PeriodResult& row : run.annual) {
          market_base.push_back(shortfall_of(*base.scenario, run.network, row, markets));
        }
      }
    }
    c.baseline_market_shortfall.push_back(std::move(market_base));
  }
  add_cases(r, baseline_of_case, c);
  return c;
}

std::string comparison_csv(const Comparison& c) {
  std::string out =
      "scenario,case,commodity,route,metric,year,value,unit,detail,baseline_case,baseline_value,"
      "delta\n";
  for (std::size_t i = 0; i < c.cards.size(); ++i) {
    const RouteCard& card = c.cards[i];
    const std::string label = c.compared[i] ? c.baseline[i].label : "";
    for (const MetricRow& row : metric_rows(c, i)) {
      const std::vector<std::string> fields = {card.scenario,
                                               card.case_name,
                                               std::string(commodity_name(card.commodity)),
                                               card.route,
                                               row.metric,
                                               row.year ? std::to_string(*row.year) : "",
                                               cell(row.value, row.decimals),
                                               row.unit,
                                               row.detail,
                                               label,
                                               cell(row.baseline, row.decimals),
                                               cell(row.delta(), row.decimals)};
      for (std::size_t f = 0; f < fields.size(); ++f) {
        if (f) out += ',';
        out += csv_field(fields[f]);
      }
      out += '\n';
    }
  }
  return out;
}

std::string comparison_cases_csv(const Comparison& c) {
  std::vector<std::string> header = {"scenario",
                                     "case",
                                     "commodity",
                                     "first_year",
                                     "last_year",
                                     "volume_unit",
                                     "delivered",
                                     "shortfall",
                                     "supply_cost_musd",
                                     "transport_cost_musd",
                                     "take_or_pay_musd",
                                     "capital_musd",
                                     "opex_musd",
                                     "system_cost_musd",
                                     "npv_cost_musd",
                                     "baseline_case",
                                     "delta_system_cost_musd",
                                     "delta_npv_cost_musd"};
  for (const char* prefix : {"supply_", "displaced_"}) {
    for (const std::string& source : c.sources) {
      header.push_back(prefix + source);
      for (int y : c.years) header.push_back(prefix + source + "_" + std::to_string(y));
    }
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& fields) {
    for (std::size_t k = 0; k < fields.size(); ++k) {
      if (k) out += ',';
      out += csv_field(fields[k]);
    }
    out += '\n';
  };
  line(header);
  const auto money = [](double v) { return format_fixed(v, decimals::kMoney); };
  const auto volume = [](const std::optional<double>& v) { return cell(v, decimals::kVolume); };
  for (const CaseEconomics& e : c.cases) {
    const CaseEconomics* base = e.baseline >= 0 ? &c.cases[e.baseline] : nullptr;
    std::vector<std::string> f = {
        e.scenario,
        e.case_name,
        std::string(commodity_name(e.commodity)),
        std::to_string(e.first_year),
        std::to_string(e.last_year),
        std::string(volume_unit(e.commodity)),
        format_fixed(e.delivered, decimals::kVolume),
        format_fixed(e.shortfall, decimals::kVolume),
        money(e.supply_cost_musd),
        money(e.transport_cost_musd),
        money(e.take_or_pay_musd),
        money(e.capital_musd),
        money(e.opex_musd),
        money(e.system_cost_musd()),
        money(e.npv_cost_musd),
        base ? e.baseline_label : "",
        base ? money(e.system_cost_musd() - base->system_cost_musd()) : "",
        base ? money(e.npv_cost_musd - base->npv_cost_musd) : ""};
    for (std::size_t k = 0; k < c.sources.size(); ++k) {
      f.push_back(volume(e.supply[k]));
      for (std::size_t j = 0; j < c.years.size(); ++j) f.push_back(volume(e.supply_at[k][j]));
    }
    // Displaced = baseline - case; a source only one side has counts 0 on the other.
    const auto displaced = [&](const std::optional<double>& mine,
                               const std::optional<double>& theirs) -> std::optional<double> {
      if (!base || (!mine && !theirs)) return std::nullopt;
      return theirs.value_or(0.0) - mine.value_or(0.0);
    };
    for (std::size_t k = 0; k < c.sources.size(); ++k) {
      f.push_back(volume(displaced(e.supply[k], base ? base->supply[k] : std::nullopt)));
      for (std::size_t j = 0; j < c.years.size(); ++j) {
        const bool both = base && e.supply_at[k][j].has_value() == (e.supply[k].has_value()) &&
                          c.years[j] >= base->first_year && c.years[j] <= base->last_year &&
                          c.years[j] >= e.first_year && c.years[j] <= e.last_year;
        f.push_back(both ? volume(displaced(e.supply_at[k][j], base->supply_at[k][j])) : "");
      }
    }
    line(f);
  }
  return out;
}

std::string comparison_wide_csv(const Comparison& c) {
  const std::vector<WideColumn> numeric = wide_numeric_columns(c.years);
  std::vector<std::string> header = {"scenario",    "case",      "commodity",      "route",
                                     "volume_unit", "cost_unit", "first_flow_year"};
  for (const WideColumn& col : numeric) {
    header.push_back(col.name);
    if (col.name == "peak_utilisation") header.push_back("bottleneck");
    if (col.name == "transit_share") header.push_back("transit_countries");
  }
  for (const WideColumn& col : numeric) header.push_back("delta_" + col.name);

  std::string out;
  auto line = [&out](const std::vector<std::string>& fields) {
    for (std::size_t f = 0; f < fields.size(); ++f) {
      if (f) out += ',';
      out += csv_field(fields[f]);
    }
    out += '\n';
  };
  line(header);
  for (std::size_t i = 0; i < c.cards.size(); ++i) {
    const RouteCard& card = c.cards[i];
    const std::vector<MetricRow> rows = metric_rows(c, i);
    std::vector<std::string> fields = {card.scenario,
                                       card.case_name,
                                       std::string(commodity_name(card.commodity)),
                                       card.route,
                                       std::string(volume_unit(card.commodity)),
                                       std::string(cost_unit(card.commodity))};
    const MetricRow* first = find_row(rows, "first_flow_year", std::nullopt);
    fields.push_back(first ? cell(first->value, 0) : "");
    std::vector<std::string> deltas;
    for (const WideColumn& col : numeric) {
      const MetricRow* row = find_row(rows, col.metric, col.year);
      fields.push_back(row ? cell(row->value, row->decimals) : "");
      deltas.push_back(row ? cell(row->delta(), row->decimals) : "");
      if (col.name == "peak_utilisation") fields.push_back(card.bottleneck);
      if (col.name == "transit_share") fields.push_back(join(card.transit_countries, "+"));
    }
    fields.insert(fields.end(), deltas.begin(), deltas.end());
    line(fields);
  }
  return out;
}

namespace {

// ---------------------------------------------------------------------------------------------
// The terminal table, one per commodity

constexpr int kGap = 2;  ///< spaces between columns

/// The cards of one commodity's table, in run order.
struct CommodityTable {
  Commodity commodity = Commodity::Gas;
  std::vector<std::size_t> cards;  ///< into Comparison::cards
  bool several_scenarios = false;  ///< cases are then named scenario/case
};

std::string case_label(const RouteCard& card, bool several_scenarios) {
  return several_scenarios ? card.scenario + "/" + card.case_name : card.case_name;
}

/// The baselines the title names: the case name when every card has the case of that name in
/// its own scenario, else scenario/case (with several scenarios); each once.
std::vector<std::string> title_baselines(const Comparison& c, const CommodityTable& t) {
  bool own_named = true;
  for (std::size_t i : t.cards) {
    own_named = own_named && c.baseline[i].scenario == c.cards[i].scenario &&
                c.baseline[i].case_name == c.baseline[t.cards.front()].case_name;
  }
  std::vector<std::string> baselines;
  for (std::size_t i : t.cards) {
    const CardBaseline& b = c.baseline[i];
    const std::string name =
        t.several_scenarios && !own_named ? b.scenario + "/" + b.case_name : b.case_name;
    if (std::find(baselines.begin(), baselines.end(), name) == baselines.end()) {
      baselines.push_back(name);
    }
  }
  return baselines;
}

/// The columns, in order, without cells. Lower drop ranks are dropped first when the table is
/// too wide; rank 0 never. Earlier milestones go before later ones; the last stays.
std::vector<TableColumn> table_columns(const std::vector<int>& years) {
  std::vector<TableColumn> cols = {
      {"case", true, 0, {}, 0}, {"route", true, 0, {}, 0}, {"first", false, 100, {}, 0}};
  const int n = static_cast<int>(years.size());
  for (int j = 0; j < n; ++j) {
    cols.push_back({std::to_string(years[j]), false, j + 1 == n ? 0 : 10 + j, {}, 0});
  }
  for (const auto& [header, left, rank] :
       std::vector<std::tuple<const char*, bool, int>>{{"cumul", false, 80},
                                                       {"util%", false, 70},
                                                       {"peak%", false, 1},
                                                       {"bottleneck", true, 3},
                                                       {"cost", false, 110},
                                                       {"transit%", false, 2},
                                                       {"shortfall", false, 60}}) {
    cols.push_back({header, left, rank, {}, 0});
  }
  return cols;
}

/// One card's line of values and line of deltas, cell by cell as table_columns orders them.
std::pair<std::vector<std::string>, std::vector<std::string>> card_lines(const Comparison& c,
                                                                         std::size_t i,
                                                                         bool several_scenarios) {
  const RouteCard& card = c.cards[i];
  const std::vector<MetricRow> rows = metric_rows(c, i);
  auto value = [&](std::string_view metric, std::optional<int> year) {
    const MetricRow* r = find_row(rows, metric, year);
    return r ? r->value : std::nullopt;
  };
  auto delta = [&](std::string_view metric, std::optional<int> year = std::nullopt) {
    const MetricRow* r = find_row(rows, metric, year);
    return r ? r->delta() : std::nullopt;
  };
  std::vector<std::string> line = {
      case_label(card, several_scenarios), card.route,
      card.first_flow_year ? std::to_string(*card.first_flow_year) : "-"};
  std::vector<std::string> dline = {"", "", signed_delta(delta("first_flow_year"), 0)};
  for (int y : c.years) {
    line.push_back(shown(value("volume", y), 1));
    dline.push_back(signed_delta(delta("volume", y), 1));
  }
  const auto add = [&](std::string shown_value, std::string shown_delta) {
    line.push_back(std::move(shown_value));
    dline.push_back(std::move(shown_delta));
  };
  add(shown(card.cumulative_volume, 1), signed_delta(delta("cumulative_volume"), 1));
  add(shown(card.mean_utilisation, 1, 100.0), signed_delta(delta("mean_utilisation"), 1, 100.0));
  add(shown(card.peak_utilisation, 1, 100.0), signed_delta(delta("peak_utilisation"), 1, 100.0));
  add(card.removed ? "(removed)" : card.bottleneck.empty() ? "-" : card.bottleneck, "");
  add(shown(card.levelised_cost, 1), signed_delta(delta("levelised_cost"), 1));
  add(shown(card.transit_share, 1, 100.0), signed_delta(delta("transit_share"), 1, 100.0));
  add(shown(card.served_shortfall, 1), signed_delta(delta("served_shortfall"), 1));
  return {line, dline};
}

/// Fills the cells: per card its values, then, for a compared card, its deltas. Returns per
/// table line "" or the "Δ vs <baseline>" label that spans the case and route columns.
std::vector<std::string> fill_columns(const Comparison& c, const CommodityTable& t,
                                      std::vector<TableColumn>& cols) {
  std::vector<std::string> delta_labels;
  for (std::size_t i : t.cards) {
    const auto [line, dline] = card_lines(c, i, t.several_scenarios);
    for (std::size_t k = 0; k < cols.size(); ++k) cols[k].cells.push_back(line[k]);
    delta_labels.push_back("");
    if (c.compared[i]) {
      for (std::size_t k = 0; k < cols.size(); ++k) cols[k].cells.push_back(dline[k]);
      delta_labels.push_back("  Δ vs " + c.baseline[i].label);
    }
  }
  return delta_labels;
}

/// Sets each column's natural width, then makes the table fit `width`: drops the columns of
/// lowest rank first, and as a last resort narrows the wider of case and route, to 4 columns
/// each. Returns the headers of the dropped columns.
std::vector<std::string> fit_columns(std::vector<TableColumn>& cols,
                                     const std::vector<std::string>& delta_labels, int width) {
  for (TableColumn& col : cols) {
    col.width = display_width(col.header);
    for (const std::string& s : col.cells) col.width = std::max(col.width, display_width(s));
  }
  for (const std::string& label : delta_labels) {
    cols[1].width = std::max(cols[1].width, display_width(label) - cols[0].width - kGap);
  }
  auto total = [&] {
    int w = -kGap;
    for (const TableColumn& col : cols) w += col.width + kGap;
    return w;
  };
  std::vector<std::string> dropped;
  while (total() > width) {
    auto victim = cols.end();
    for (auto it = cols.begin(); it != cols.end(); ++it) {
      if (it->drop_rank > 0 && (victim == cols.end() || it->drop_rank < victim->drop_rank)) {
        victim = it;
      }
    }
    if (victim == cols.end()) break;
    dropped.push_back(victim->header);
    cols.erase(victim);
  }
  while (total() > width && std::max(cols[0].width, cols[1].width) > 4) {
    TableColumn& wider = cols[0].width >= cols[1].width ? cols[0] : cols[1];
    --wider.width;
  }
  return dropped;
}

/// The title ("gas vs baseline status-quo (bcm, USD/kcm) at 2030, 2035"), then notes on what
/// would otherwise pass unnoticed: the columns left out, milestone years no case covers
/// (empty columns), and cases whose horizon differs from their baseline's (their horizon
/// totals and first years then compare different spans).
std::vector<std::string> table_heading(const Comparison& c, const CommodityTable& t,
                                       const std::vector<std::string>& dropped) {
  std::vector<std::string> years, uncovered, other_horizon;
  for (int y : c.years) {
    years.push_back(std::to_string(y));
    const bool covered = std::any_of(t.cards.begin(), t.cards.end(), [&](std::size_t i) {
      return c.cards[i].first_year <= y && y <= c.cards[i].last_year;
    });
    if (!covered) uncovered.push_back(std::to_string(y));
  }
  for (std::size_t i : t.cards) {
    const RouteCard& card = c.cards[i];
    const std::string name = case_label(card, t.several_scenarios);
    if (c.compared[i] &&
        (card.first_year != c.baseline[i].first_year ||
         card.last_year != c.baseline[i].last_year) &&
        std::find(other_horizon.begin(), other_horizon.end(), name) == other_horizon.end()) {
      other_horizon.push_back(name);
    }
  }
  // Cards that are neither a baseline nor compared: their baseline case has no such
  // commodity (an oil route against a gas-only scenario/case), so there is nothing to say
  // "vs".
  const std::vector<std::string> baselines = title_baselines(c, t);
  const std::string commodity(commodity_name(t.commodity));
  const bool none_compared = std::none_of(t.cards.begin(), t.cards.end(), [&](std::size_t i) {
    return c.compared[i] || c.is_baseline[i];
  });
  const std::string against =
      none_compared
          ? ", not compared: baseline " + join(baselines, ", ") + " has no " + commodity
          : (baselines.size() == 1 ? " vs baseline " : " vs baselines ") + join(baselines, ", ");
  std::vector<std::string> lines = {
      commodity + against + " (" + std::string(volume_unit(t.commodity)) + ", " +
      std::string(cost_unit(t.commodity)) + ") at " + join(years, ", ")};
  if (!dropped.empty()) lines.push_back("(left out to fit: " + join(dropped, ", ") + ")");
  if (!uncovered.empty()) {
    lines.push_back("(no case covers " + join(uncovered, ", ") + ": those columns are empty)");
  }
  if (!other_horizon.empty()) {
    lines.push_back("(horizon differs from the baseline's, so horizon totals cover other years: " +
                    join(other_horizon, ", ") + ")");
  }
  return lines;
}

/// The header row and the table lines, padded to the column widths, trailing spaces removed;
/// a delta line's label spans the case and route columns.
void print_rows(std::ostream& os, const std::vector<TableColumn>& cols,
                const std::vector<std::string>& delta_labels) {
  auto print = [&os](std::string text) {
    while (!text.empty() && text.back() == ' ') text.pop_back();
    os << text << '\n';
  };
  std::string head;
  for (std::size_t k = 0; k < cols.size(); ++k) {
    head += (k ? std::string(kGap, ' ') : "") + pad(cols[k].header, cols[k].width, cols[k].left);
  }
  print(head);
  for (std::size_t line = 0; line < delta_labels.size(); ++line) {
    std::string text;
    std::size_t k = 0;
    if (!delta_labels[line].empty()) {
      text = pad(delta_labels[line], cols[0].width + kGap + cols[1].width, true);
      k = 2;
    }
    for (; k < cols.size(); ++k) {
      text +=
          (k ? std::string(kGap, ' ') : "") + pad(cols[k].cells[line], cols[k].width, cols[k].left);
    }
    print(text);
  }
}

/// The case table of one commodity (compare.h): a line per case with its system cost, NPV
/// and its change against the case's baseline in bn USD, and the two sources it displaced most
/// at the last milestone year in its horizon.
void print_cases(std::ostream& os, const Comparison& c, Commodity commodity, bool several_scenarios,
                 int width) {
  std::vector<const CaseEconomics*> rows;
  for (const CaseEconomics& e : c.cases) {
    if (e.commodity == commodity) rows.push_back(&e);
  }
  if (rows.empty()) return;
  const std::string unit(volume_unit(commodity));
  std::optional<int> at;  // the last milestone year inside every case's horizon
  for (int y : c.years) {
    const bool inside = std::all_of(rows.begin(), rows.end(), [&](const CaseEconomics* e) {
      return y >= e->first_year && y <= e->last_year;
    });
    if (inside) at = y;
  }
  const bool any_baseline = std::any_of(rows.begin(), rows.end(),
                                        [](const CaseEconomics* e) { return e->baseline >= 0; });
  os << fit(std::string(commodity_name(commodity)) + " cases: system cost and NPV in bn USD" +
                (at && any_baseline ? "; supply displaced in " + unit + " at " + std::to_string(*at)
                                    : std::string()),
            width)
     << '\n';
  std::vector<std::string> labels;
  for (const CaseEconomics* e : rows) {
    labels.push_back(several_scenarios ? e->scenario + "/" + e->case_name : e->case_name);
  }
  int label_width = 4;
  for (const std::string& l : labels) label_width = std::max(label_width, display_width(l));
  label_width = std::min(label_width, std::max(8, width / 3));
  const int number = 9;
  const int rest = std::max(0, width - label_width - 3 * number - 2);
  // Each line fitted to the width, without trailing blanks. The change against the baseline
  // and the displaced supply only when some case has a baseline to compare with.
  const auto put = [&](std::string line) {
    line = fit(line, width);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    os << line << '\n';
  };
  const bool compared = std::any_of(rows.begin(), rows.end(),
                                    [](const CaseEconomics* e) { return e->baseline >= 0; });
  put(pad("case", label_width, true) + pad("system", number, false) + pad("NPV", number, false) +
      (compared ? pad("Δ NPV", number, false) + (rest > 0 ? "  " + fit("displaced", rest) : "")
                : std::string()));
  const std::size_t j = at ? static_cast<std::size_t>(
                                 std::find(c.years.begin(), c.years.end(), *at) - c.years.begin())
                           : 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const CaseEconomics& e = *rows[i];
    const CaseEconomics* base = e.baseline >= 0 ? &c.cases[e.baseline] : nullptr;
    std::string displaced;
    if (base && at) {
      std::vector<std::pair<double, std::string>> gains;
      for (std::size_t k = 0; k < c.sources.size(); ++k) {
        const double d = base->supply_at[k][j].value_or(0.0) - e.supply_at[k][j].value_or(0.0);
        if (d > 0.05) gains.emplace_back(d, c.sources[k]);
      }
      std::stable_sort(gains.begin(), gains.end(),
                       [](const auto& x, const auto& y) { return x.first > y.first; });
      for (std::size_t k = 0; k < gains.size() && k < 2; ++k) {
        if (k) displaced += ", ";
        displaced += gains[k].second + " " + format_fixed(gains[k].first, 1);
      }
      if (displaced.empty()) displaced = "-";
    }
    put(pad(labels[i], label_width, true) +
        pad(format_fixed(e.system_cost_musd() / 1000.0, 1), number, false) +
        pad(format_fixed(e.npv_cost_musd / 1000.0, 1), number, false) +
        pad(base ? signed_delta((e.npv_cost_musd - base->npv_cost_musd) / 1000.0, 1) : "", number,
            false) +
        (rest > 0 && !displaced.empty() ? "  " + fit(displaced, rest) : ""));
  }
  os << '\n';
}

}  // namespace

void print_comparison(std::ostream& os, const Comparison& c, int width) {
  width = std::max(width, 20);
  std::set<std::string> scenarios;
  for (const RouteCard& card : c.cards) scenarios.insert(card.scenario);
  for (const CaseEconomics& e : c.cases) scenarios.insert(e.scenario);
  for (Commodity commodity : {Commodity::Gas, Commodity::Oil}) {
    print_cases(os, c, commodity, scenarios.size() > 1, width);
    CommodityTable t{commodity, {}, scenarios.size() > 1};
    for (std::size_t i = 0; i < c.cards.size(); ++i) {
      if (c.cards[i].commodity == commodity) t.cards.push_back(i);
    }
    if (t.cards.empty()) continue;
    std::vector<TableColumn> cols = table_columns(c.years);
    const std::vector<std::string> delta_labels = fill_columns(c, t, cols);
    const std::vector<std::string> dropped = fit_columns(cols, delta_labels, width);
    for (const std::string& line : table_heading(c, t, dropped)) os << fit(line, width) << '\n';
    print_rows(os, cols, delta_labels);
    os << '\n';
  }
}

}  // namespace corridor
