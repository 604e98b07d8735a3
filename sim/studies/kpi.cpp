#include "corridor/kpi.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "corridor/economics.h"
#include "corridor/param_path.h"
#include "corridor/text.h"
#include "corridor/units.h"

namespace corridor {
namespace {

struct Form {
  std::string_view section;  // "routes", "markets", "transit_fees", or "" for a case total
  std::string_view field;    // "volume", ...; for transit_fees ""
  KpiKind kind;
};

constexpr Form kForms[] = {
    {"routes", "volume", KpiKind::RouteVolume},
    {"routes", "levelised_cost", KpiKind::RouteLevelisedCost},
    {"markets", "shortfall", KpiKind::MarketShortfall},
    {"markets", "delivered", KpiKind::MarketDelivered},
    {"transit_fees", "", KpiKind::TransitFees},
    {"", "total_cost", KpiKind::TotalCost},
    {"", "dispatch_cost", KpiKind::DispatchCost},
    {"", "shortfall", KpiKind::Shortfall},
    {"", "delivered", KpiKind::Delivered},
};

constexpr const char* kKpiHint =
    "write routes.ID.volume, routes.ID.levelised_cost, markets.ID.shortfall, "
    "markets.ID.delivered, transit_fees.COUNTRY, total_cost, dispatch_cost, shortfall or "
    "delivered, with @YEAR for one year";

std::vector<std::string> totals() {
  std::vector<std::string> out;
  for (const Form& f : kForms) {
    if (f.section.empty()) out.emplace_back(f.field);
  }
  return out;
}

bool is_route(KpiKind k) { return k == KpiKind::RouteVolume || k == KpiKind::RouteLevelisedCost; }
bool is_market(KpiKind k) { return k == KpiKind::MarketShortfall || k == KpiKind::MarketDelivered; }

/// The names a KPI's id is matched against in `s`.
std::vector<std::string> names_for(const Scenario& s, KpiKind k) {
  std::vector<std::string> out;
  if (is_route(k)) {
    for (const Route& r : s.routes) out.push_back(r.id);
  } else if (is_market(k)) {
    for (const Node& n : s.nodes)
      if (n.kind == NodeKind::Demand) out.push_back(n.id);
  } else if (k == KpiKind::TransitFees) {
    for (const Pipeline& p : s.pipelines) {
      if (!p.transit_country.empty() &&
          std::find(out.begin(), out.end(), p.transit_country) == out.end()) {
        out.push_back(p.transit_country);
      }
    }
  }
  return out;
}

/// The route's commodity: that of its first pipeline.
Commodity route_commodity(const Scenario& s, const Route& r) {
  for (const Pipeline& p : s.pipelines) {
    if (!r.pipelines.empty() && p.id == r.pipelines.front()) return p.commodity;
  }
  return Commodity::Gas;
}

bool in_window(const Kpi& k, const KpiYears& w, int year) {
  return k.year ? year == *k.year : year >= w.first && year <= w.last;
}

}  // namespace

std::optional<Kpi> parse_kpi(std::string_view text, std::string& error, std::string& hint) {
  const std::string_view v = trim(text);
  Kpi k;
  k.text = std::string(v);
  std::string_view body = v;
  if (const std::size_t at = v.find('@'); at != std::string_view::npos) {
    const std::string_view y = trim(v.substr(at + 1));
    int year = 0;
    const auto [end, ec] = std::from_chars(y.data(), y.data() + y.size(), year);
    if (ec != std::errc() || end != y.data() + y.size()) {
      error = "bad year '" + std::string(y) + "' in KPI '" + std::string(v) + "'";
      hint = "write @YEAR, e.g. routes.pos1.volume@2035";
      return std::nullopt;
    }
    k.year = year;
    body = trim(v.substr(0, at));
  }
  if (body.empty()) {
    error = "empty KPI";
    hint = kKpiHint;
    return std::nullopt;
  }
  const std::size_t first = body.find('.');
  if (first == std::string_view::npos) {
    for (const Form& f : kForms) {
      if (f.section.empty() && f.field == body) {
        k.kind = f.kind;
        return k;
      }
    }
    std::vector<std::string> words = totals();
    for (const std::string_view s : {"routes", "markets", "transit_fees"}) words.emplace_back(s);
    error = "unknown KPI '" + std::string(body) + "'";
    hint = did_you_mean(body, words);
    hint = (hint.rfind("did you mean", 0) == 0 ? hint + " " : "") + kKpiHint;
    return std::nullopt;
  }
  const std::string_view section = body.substr(0, first);
  const std::string_view rest = body.substr(first + 1);
  if (section == "transit_fees") {
    if (rest.empty()) {
      error = "KPI '" + std::string(v) + "' names no country";
      hint = "write transit_fees.COUNTRY, e.g. transit_fees.Mongolia";
      return std::nullopt;
    }
    k.kind = KpiKind::TransitFees;
    k.id = std::string(rest);
    return k;
  }
  if (section != "routes" && section != "markets") {
    error = "unknown KPI section '" + std::string(section) + "' in '" + std::string(v) + "'";
    const std::string close = did_you_mean(section, {"routes", "markets", "transit_fees"});
    hint = (close.rfind("did you mean", 0) == 0 ? close + " " : "") + kKpiHint;
    return std::nullopt;
  }
  const std::size_t last = rest.rfind('.');
  if (last == std::string_view::npos || last == 0) {
    error = "KPI '" + std::string(v) + "' names no " + (last == 0 ? "id" : "field");
    hint = section == "routes" ? "write routes.ID.volume or routes.ID.levelised_cost"
                               : "write markets.ID.shortfall or markets.ID.delivered";
    return std::nullopt;
  }
  k.id = std::string(rest.substr(0, last));
  const std::string_view field = rest.substr(last + 1);
  std::vector<std::string> fields;
  for (const Form& f : kForms) {
    if (f.section != section) continue;
    fields.emplace_back(f.field);
    if (f.field == field) k.kind = f.kind;
  }
  if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
    error = "unknown KPI field '" + std::string(field) + "' of " + std::string(section) + " in '" +
            std::string(v) + "'";
    hint = did_you_mean(field, fields);
    return std::nullopt;
  }
  if (k.kind == KpiKind::RouteLevelisedCost && k.id.find('*') != std::string::npos) {
    error = "a levelised cost is of one route; '" + k.id + "' is a pattern";
    hint = "name one route, e.g. routes.pos1.levelised_cost";
    return std::nullopt;
  }
  return k;
}

void check_kpi(const std::vector<const Scenario*>& cases, const Kpi& k, const SourceLocation& where,
               std::vector<Diagnostic>& diags) {
  if (k.year) {
    const bool inside = std::any_of(cases.begin(), cases.end(), [&](const Scenario* s) {
      return *k.year >= s->horizon.start_year && *k.year <= s->horizon.end_year;
    });
    if (!inside && !cases.empty()) {
      diags.push_back({Severity::Error, where,
                       "year " + std::to_string(*k.year) + " of KPI '" + k.text +
                           "' is outside the horizon " +
                           std::to_string(cases.front()->horizon.start_year) + ".." +
                           std::to_string(cases.front()->horizon.end_year),
                       "give a year of the horizon"});
      return;
    }
  }
  if (k.id.empty()) return;
  std::vector<std::string> names;
  for (const Scenario* s : cases) {
    for (std::string& n : names_for(*s, k.kind)) {
      if (glob_match(k.id, n)) return;
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(std::move(n));
    }
  }
  const std::string what = is_route(k.kind)    ? "route"
                           : is_market(k.kind) ? "market (demand node)"
                                               : "transit country";
  diags.push_back({Severity::Error, where,
                   (k.id.find('*') != std::string::npos ? "pattern '" + k.id + "' matches no "
                                                        : "no " + what + " '" + k.id + "'") +
                       (k.id.find('*') != std::string::npos ? what : "") + " in KPI '" + k.text +
                       "'",
                   did_you_mean(k.id, names)});
}

std::string kpi_unit(const Scenario& s, const Kpi& k) {
  Commodity c = Commodity::Gas;
  if (is_route(k.kind)) {
    for (const Route& r : s.routes) {
      if (glob_match(k.id, r.id)) {
        c = route_commodity(s, r);
        break;
      }
    }
  } else if (is_market(k.kind)) {
    for (const Node& n : s.nodes) {
      if (n.kind == NodeKind::Demand && glob_match(k.id, n.id)) {
        c = n.commodity;
        break;
      }
    }
  }
  switch (k.kind) {
    case KpiKind::RouteVolume:
    case KpiKind::MarketShortfall:
    case KpiKind::MarketDelivered:
    case KpiKind::Shortfall:
    case KpiKind::Delivered:
      return std::string(volume_unit(c));
    case KpiKind::RouteLevelisedCost:
      return c == Commodity::Oil ? "USD/t" : "USD/kcm";
    case KpiKind::TransitFees:
    case KpiKind::TotalCost:
    case KpiKind::DispatchCost:
      return "MUSD";
  }
  return "";
}

std::optional<double> kpi_value(const CaseResult& r, const Kpi& k, const KpiYears& years) {
  const Scenario& s = *r.scenario;
  if (r.failure) throw std::logic_error("kpi_value: a case that failed to dispatch");
  double sum = 0.0;
  bool levelised_found = false;
  std::optional<double> levelised;
  for (const CommodityRun& run : r.runs) {
    const int start = s.horizon.start_year;
    if (k.kind == KpiKind::RouteLevelisedCost) {
      for (std::size_t slot = 0; slot < run.network.routes.size(); ++slot) {
        if (s.routes[run.network.routes[slot]].id != k.id) continue;
        levelised_found = true;
        const int first = k.year ? *k.year : years.first;
        const int last = k.year ? *k.year : years.last;
        levelised = levelised_over(s, run.economics, static_cast<int>(slot), first, last);
      }
      continue;
    }
    for (std::size_t y = 0; y < run.annual.size(); ++y) {
      const PeriodResult& p = run.annual[y];
      if (!in_window(k, years, start + static_cast<int>(y))) continue;
      switch (k.kind) {
        case KpiKind::RouteVolume:
          for (std::size_t slot = 0; slot < run.network.routes.size(); ++slot) {
            if (glob_match(k.id, s.routes[run.network.routes[slot]].id))
              sum += p.route_volume[slot];
          }
          break;
        case KpiKind::MarketShortfall:
        case KpiKind::MarketDelivered:
          for (std::size_t d = 0; d < run.network.demands.size(); ++d) {
            if (!glob_match(k.id, s.nodes[run.network.demands[d]].id)) continue;
            sum += k.kind == KpiKind::MarketShortfall ? p.shortfall[d] : p.delivered[d];
          }
          break;
        case KpiKind::TransitFees:
          if (y < run.economics.transit.size()) {
            for (const TransitFee& f : run.economics.transit[y]) {
              if (glob_match(k.id, f.country)) sum += f.fees_musd;
            }
          }
          break;
        case KpiKind::TotalCost:
          sum += p.cost_musd + run_fixed_cost(run.economics, y).total();
          break;
        case KpiKind::DispatchCost:
          sum += p.cost_musd;
          break;
        case KpiKind::Shortfall:
          sum += p.total_shortfall();
          break;
        case KpiKind::Delivered:
          sum += p.total_delivered();
          break;
        case KpiKind::RouteLevelisedCost:
          break;
      }
    }
  }
  if (k.kind == KpiKind::RouteLevelisedCost) return levelised_found ? levelised : std::nullopt;
  return sum;
}

std::optional<KpiYears> parse_kpi_years(std::string_view text, const Scenario& s,
                                        std::string& error) {
  const std::string_view v = trim(text);
  KpiYears out{s.horizon.start_year, s.horizon.end_year};
  if (v.empty()) return out;
  auto number = [&](std::string_view t, int& year) {
    t = trim(t);
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), year);
    return ec == std::errc() && end == t.data() + t.size();
  };
  const std::size_t dots = v.find("..");
  const bool ok = dots == std::string_view::npos ? number(v, out.first) && number(v, out.last)
                                                 : number(v.substr(0, dots), out.first) &&
                                                       number(v.substr(dots + 2), out.last);
  if (!ok || out.last < out.first) {
    error = "bad --years '" + std::string(v) + "'; write FIRST..LAST, e.g. 2030..2040, or one year";
    return std::nullopt;
  }
  if (out.first < s.horizon.start_year || out.last > s.horizon.end_year) {
    error = "--years " + std::string(v) + " reaches outside the horizon " +
            std::to_string(s.horizon.start_year) + ".." + std::to_string(s.horizon.end_year);
    return std::nullopt;
  }
  return out;
}

}  // namespace corridor
