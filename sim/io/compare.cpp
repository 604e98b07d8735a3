// Route cards and comparisons (compare.h): cards from a RunResult, one list of metric rows per
// card that the tidy CSV, the wide CSV and the terminal table all read.
#include "corridor/compare.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <stdexcept>

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

/// The route's volume in year index `y` along its own direction: what the economics charge
/// (summed over the months with monthly resolution), else the annual volume; flow against the
/// route on a bidirectional meter counts 0, never as negative volume.
double forward_volume(const CommodityRun& run, std::size_t y, int slot) {
  if (has_economics(run)) return run.economics.routes.at(y).at(slot).volume;
  return std::max(0.0, run.annual.at(y).route_volume.at(slot));
}

RouteCard make_card(const CaseResult& cr, int case_index, const CommodityRun& run, int slot,
                    const std::vector<int>& years) {
  const Scenario& s = *cr.scenario;
  const Network& net = run.network;
  const int r = net.routes[slot];
  const Route& route = s.routes[r];

  RouteCard card;
  card.scenario = s.name;
  card.case_name = s.case_name;
  card.route = route.id;
  card.commodity = net.commodity;
  card.case_index = case_index;
  card.route_index = r;
  card.first_year = s.horizon.start_year;
  card.last_year = s.horizon.end_year;

  // The route's pipelines as scenario indices.
  std::vector<int> pipelines;
  for (int position : net.route_pipelines.at(slot)) pipelines.push_back(net.pipelines[position]);
  for (int p : pipelines) {
    const std::string& country = s.pipelines[p].transit_country;
    if (!country.empty() && std::find(card.transit_countries.begin(), card.transit_countries.end(),
                                      country) == card.transit_countries.end()) {
      card.transit_countries.push_back(country);
    }
  }

  // Served markets and their demand slots.
  std::set<std::string> markets;
  for (int n : demand_nodes_reachable_from(s, route_end_node(s, pipelines))) {
    if (s.nodes[n].commodity != net.commodity) continue;
    card.served_markets.push_back(s.nodes[n].id);
    markets.insert(s.nodes[n].id);
  }

  const bool economics = has_economics(run);
  std::map<int, std::size_t> row_of_year;
  std::map<int, std::pair<int, int>> bottleneck_years;  // pipeline -> (years, first year)
  double utilisation_sum = 0.0, transit_volume = 0.0, fees = 0.0;
  int utilisation_years = 0;
  for (std::size_t y = 0; y < run.annual.size(); ++y) {
    const PeriodResult& row = run.annual[y];
    const int year = row.period.year;
    row_of_year[year] = y;
    const double volume = forward_volume(run, y, slot), capacity = row.route_capacity.at(slot);
    const bool flows = volume > kHalfFlowUnit;
    if (flows && !card.first_flow_year) card.first_flow_year = year;
    card.cumulative_volume += volume;
    if (capacity > 0.0) {
      const double u = utilisation(volume, capacity);
      utilisation_sum += u;
      ++utilisation_years;
      card.peak_utilisation = std::max(card.peak_utilisation.value_or(0.0), u);
    }
    if (const int b = row.route_bottleneck.at(slot); flows && b >= 0) {
      auto [it, fresh] = bottleneck_years.try_emplace(b, 0, year);
      ++it->second.first;
    }
    const Period whole_year{year, 0, 1.0};
    const bool transit = std::any_of(pipelines.begin(), pipelines.end(), [&](int p) {
      return !s.pipelines[p].transit_country.empty() &&
             in_service_fraction(s.pipelines[p], whole_year) > 0.0;
    });
    if (transit) transit_volume += volume;
    if (economics) fees += run.economics.routes[y][slot].transit_fee_musd;
    card.served_shortfall += shortfall_of(s, net, row, markets);
  }
  if (utilisation_years > 0) card.mean_utilisation = utilisation_sum / utilisation_years;
  if (card.cumulative_volume > kHalfFlowUnit) {
    card.transit_share = transit_volume / card.cumulative_volume;
  }
  if (economics) {
    card.transit_fees_musd = fees;
    card.levelised_cost = levelised_over(s, run.economics, slot, card.first_year, card.last_year);
    if (card.levelised_cost) {
      card.levelised_cost_usd_per_gj =
          usd_per_gj(net.commodity, props(s, net.commodity), *card.levelised_cost);
    }
  }

  // Bottleneck: most years with flow; ties to the one that was bottleneck first.
  int best = -1;
  std::pair<int, int> best_key{0, 0};
  for (const auto& [pipeline, key] : bottleneck_years) {
    if (best < 0 || key.first > best_key.first ||
        (key.first == best_key.first && key.second < best_key.second)) {
      best = pipeline;
      best_key = key;
    }
  }
  if (best >= 0) {
    card.bottleneck = s.pipelines[best].id;
    const auto pos = std::find(net.pipelines.begin(), net.pipelines.end(), best);
    const std::size_t p = static_cast<std::size_t>(pos - net.pipelines.begin());
    int binding = 0;
    for (const PeriodResult& row : run.annual) {
      const double capacity = row.pipeline_capacity.at(p);
      binding +=
          capacity > 0.0 && utilisation(row.pipeline_flow.at(p), capacity) >= kBindingUtilisation;
    }
    card.bottleneck_binding_years = binding;
  }

  for (int year : years) {
    MilestoneValues m;
    if (const auto it = row_of_year.find(year); it != row_of_year.end()) {
      const std::size_t y = it->second;
      const PeriodResult& row = run.annual[y];
      m.volume = forward_volume(run, y, slot);
      const Period whole_year{year, 0, 1.0};
      const bool in_service = std::all_of(pipelines.begin(), pipelines.end(), [&](int p) {
        return in_service_fraction(s.pipelines[p], whole_year) > 0.0;
      });
      if (in_service) m.utilisation = utilisation(*m.volume, row.route_capacity[slot]);
      if (economics) {
        m.levelised_cost = run.economics.routes[y][slot].levelised;
        m.levelised_cost_usd_per_gj = run.economics.routes[y][slot].levelised_usd_per_gj;
      }
      m.served_shortfall = shortfall_of(s, net, row, markets);
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
      }));
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

  for (std::size_t ci = 0; ci < r.cases.size(); ++ci) {
    const CaseResult& cr = r.cases[ci];
    for (const CommodityRun& run : cr.runs) {
      for (std::size_t slot = 0; slot < run.network.routes.size(); ++slot) {
        c.cards.push_back(
            make_card(cr, static_cast<int>(ci), run, static_cast<int>(slot), c.years));
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

void print_comparison(std::ostream& os, const Comparison& c, int width) {
  width = std::max(width, 20);
  std::set<std::string> scenarios;
  for (const RouteCard& card : c.cards) scenarios.insert(card.scenario);
  const bool several_scenarios = scenarios.size() > 1;

  for (Commodity commodity : {Commodity::Gas, Commodity::Oil}) {
    std::vector<std::size_t> cards;
    for (std::size_t i = 0; i < c.cards.size(); ++i) {
      if (c.cards[i].commodity == commodity) cards.push_back(i);
    }
    if (cards.empty()) continue;
    const std::string vunit(volume_unit(commodity)), cunit(cost_unit(commodity));

    // The baselines of these cards, for the header: the case name when every card has the
    // case of that name in its own scenario, else scenario/case (with several scenarios).
    bool own_named = true;
    for (std::size_t i : cards) {
      own_named = own_named && c.baseline[i].scenario == c.cards[i].scenario &&
                  c.baseline[i].case_name == c.baseline[cards.front()].case_name;
    }
    std::vector<std::string> baselines;
    for (std::size_t i : cards) {
      const CardBaseline& b = c.baseline[i];
      const std::string name =
          several_scenarios && !own_named ? b.scenario + "/" + b.case_name : b.case_name;
      if (std::find(baselines.begin(), baselines.end(), name) == baselines.end()) {
        baselines.push_back(name);
      }
    }

    // Columns, with the lines of each card (its values, then its deltas unless baseline).
    std::vector<TableColumn> cols;
    auto column = [&](std::string header, bool left, int drop_rank) -> TableColumn& {
      cols.push_back({std::move(header), left, drop_rank, {}, 0});
      return cols.back();
    };
    column("case", true, 0);
    column("route", true, 0);
    column("first", false, 100);
    const int n_years = static_cast<int>(c.years.size());
    for (int j = 0; j < n_years; ++j) {
      // Earlier milestones go before later ones; the last is never dropped.
      column(std::to_string(c.years[j]), false, j + 1 == n_years ? 0 : 10 + j);
    }
    column("cumul", false, 80);
    column("util%", false, 70);
    column("peak%", false, 1);
    column("bottleneck", true, 3);
    column("cost", false, 110);
    column("transit%", false, 2);
    column("shortfall", false, 60);

    std::vector<std::string> delta_labels;  // per line: "" or the Δ label spanning case+route
    for (std::size_t i : cards) {
      const RouteCard& card = c.cards[i];
      const std::vector<MetricRow> rows = metric_rows(c, i);
      auto value = [&](std::string_view metric, std::optional<int> year) {
        const MetricRow* r = find_row(rows, metric, year);
        return r ? r->value : std::nullopt;
      };
      auto delta = [&](std::string_view metric, std::optional<int> year) {
        const MetricRow* r = find_row(rows, metric, year);
        return r ? r->delta() : std::nullopt;
      };
      std::vector<std::string> line = {
          several_scenarios ? card.scenario + "/" + card.case_name : card.case_name, card.route,
          card.first_flow_year ? std::to_string(*card.first_flow_year) : "-"};
      std::vector<std::string> dline = {"", "", signed_delta(delta("first_flow_year", {}), 0)};
      for (int y : c.years) {
        line.push_back(shown(value("volume", y), 1));
        dline.push_back(signed_delta(delta("volume", y), 1));
      }
      line.push_back(shown(card.cumulative_volume, 1));
      dline.push_back(signed_delta(delta("cumulative_volume", {}), 1));
      line.push_back(shown(card.mean_utilisation, 1, 100.0));
      dline.push_back(signed_delta(delta("mean_utilisation", {}), 1, 100.0));
      line.push_back(shown(card.peak_utilisation, 1, 100.0));
      dline.push_back(signed_delta(delta("peak_utilisation", {}), 1, 100.0));
      line.push_back(card.bottleneck.empty() ? "-" : card.bottleneck);
      dline.push_back("");
      line.push_back(shown(card.levelised_cost, 1));
      dline.push_back(signed_delta(delta("levelised_cost", {}), 1));
      line.push_back(shown(card.transit_share, 1, 100.0));
      dline.push_back(signed_delta(delta("transit_share", {}), 1, 100.0));
      line.push_back(shown(card.served_shortfall, 1));
      dline.push_back(signed_delta(delta("served_shortfall", {}), 1));
      for (std::size_t k = 0; k < cols.size(); ++k) cols[k].cells.push_back(line[k]);
      delta_labels.push_back("");
      if (c.compared[i]) {
        for (std::size_t k = 0; k < cols.size(); ++k) cols[k].cells.push_back(dline[k]);
        delta_labels.push_back("  Δ vs " + c.baseline[i].label);
      }
    }

    // Natural widths; the Δ label spans case and route.
    constexpr int kGap = 2;
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
    // Drop the lowest-priority columns until the table fits.
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
    // Last resort: narrow the names, the wider of case and route first, to 4 columns each.
    while (total() > width && std::max(cols[0].width, cols[1].width) > 4) {
      TableColumn& wider = cols[0].width >= cols[1].width ? cols[0] : cols[1];
      --wider.width;
    }

    std::string years;
    for (int y : c.years) years += (years.empty() ? "" : ", ") + std::to_string(y);
    // Cards that are neither a baseline nor compared: their baseline case has no such
    // commodity (an oil route against a gas-only scenario/case), so there is nothing to say
    // "vs".
    const bool none_compared = std::none_of(cards.begin(), cards.end(), [&](std::size_t i) {
      return c.compared[i] || c.is_baseline[i];
    });
    const std::string against =
        none_compared
            ? ", not compared: baseline " + join(baselines, ", ") + " has no " +
                  std::string(commodity_name(commodity))
            : (baselines.size() == 1 ? " vs baseline " : " vs baselines ") + join(baselines, ", ");
    os << fit(std::string(commodity_name(commodity)) + against + " (" + vunit + ", " + cunit +
                  ") at " + years,
              width)
       << '\n';
    if (!dropped.empty()) {
      os << fit("(left out to fit: " + join(dropped, ", ") + ")", width) << '\n';
    }
    // Say what would otherwise pass unnoticed: milestone years no case covers (empty
    // columns), and cases whose horizon differs from their baseline's (their horizon totals
    // and first years then compare different spans).
    std::vector<std::string> uncovered, other_horizon;
    for (int y : c.years) {
      const bool covered = std::any_of(cards.begin(), cards.end(), [&](std::size_t i) {
        return c.cards[i].first_year <= y && y <= c.cards[i].last_year;
      });
      if (!covered) uncovered.push_back(std::to_string(y));
    }
    for (std::size_t i : cards) {
      const RouteCard& card = c.cards[i];
      const CardBaseline& b = c.baseline[i];
      const std::string name =
          several_scenarios ? card.scenario + "/" + card.case_name : card.case_name;
      if (c.compared[i] && (card.first_year != b.first_year || card.last_year != b.last_year) &&
          std::find(other_horizon.begin(), other_horizon.end(), name) == other_horizon.end()) {
        other_horizon.push_back(name);
      }
    }
    if (!uncovered.empty()) {
      os << fit("(no case covers " + join(uncovered, ", ") + ": those columns are empty)", width)
         << '\n';
    }
    if (!other_horizon.empty()) {
      os << fit("(horizon differs from the baseline's, so horizon totals cover other years: " +
                    join(other_horizon, ", ") + ")",
                width)
         << '\n';
    }
    std::string head;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      head += (k ? std::string(kGap, ' ') : "") + pad(cols[k].header, cols[k].width, cols[k].left);
    }
    while (!head.empty() && head.back() == ' ') head.pop_back();
    os << head << '\n';
    for (std::size_t line = 0; line < delta_labels.size(); ++line) {
      std::string text;
      std::size_t k = 0;
      if (!delta_labels[line].empty()) {
        text = pad(delta_labels[line], cols[0].width + kGap + cols[1].width, true);
        k = 2;
      }
      for (; k < cols.size(); ++k) {
        text += (k ? std::string(kGap, ' ') : "") +
                pad(cols[k].cells[line], cols[k].width, cols[k].left);
      }
      while (!text.empty() && text.back() == ' ') text.pop_back();
      os << text << '\n';
    }
    os << '\n';
  }
}

}  // namespace corridor
