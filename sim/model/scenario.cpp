#include "corridor/scenario.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>
#include <map>
#include <numbers>
#include <set>

namespace corridor {

double value_at(const Series& s, int year) {
  if (s.points.empty()) return 0.0;
  auto hi = s.points.upper_bound(year);  // first point after `year`
  if (hi == s.points.begin()) return hi->second;
  auto lo = std::prev(hi);
  if (hi == s.points.end()) {
    // A constant (one point, year 0) grows from nowhere: growth needs a year to count from.
    if (!s.growth || *s.growth == 0.0 || lo->first == 0) return lo->second;
    return lo->second * std::pow(1.0 + *s.growth, year - lo->first);
  }
  if (s.interpolation == Interpolation::Step) return lo->second;
  const double t =
      static_cast<double>(year - lo->first) / static_cast<double>(hi->first - lo->first);
  return lo->second + t * (hi->second - lo->second);
}

Series constant_series(double v) {
  Series s;
  s.points[0] = v;
  return s;
}

std::string_view node_kind_name(NodeKind k) {
  switch (k) {
    case NodeKind::Supply:
      return "supply";
    case NodeKind::Demand:
      return "demand";
    case NodeKind::Junction:
      return "junction";
    case NodeKind::Border:
      return "border";
    case NodeKind::Storage:
      return "storage";
    case NodeKind::Lng:
      return "lng";
  }
  return "?";
}

std::string_view pipeline_type_name(PipelineType t) {
  switch (t) {
    case PipelineType::Pipe:
      return "pipe";
    case PipelineType::ShortPipe:
      return "short_pipe";
    case PipelineType::Valve:
      return "valve";
    case PipelineType::Resistor:
      return "resistor";
    case PipelineType::Compressor:
      return "compressor";
    case PipelineType::Regulator:
      return "regulator";
  }
  return "?";
}

int day_number(int year, int month, int day) {
  const std::chrono::sys_days d{std::chrono::year{year} /
                                std::chrono::month{static_cast<unsigned>(month)} /
                                std::chrono::day{static_cast<unsigned>(day)}};
  return static_cast<int>(d.time_since_epoch().count());
}

int date_first_day(const Date& d) {
  return day_number(d.year, d.month == 0 ? 1 : d.month, d.day == 0 ? 1 : d.day);
}

int date_end_day(const Date& d) {
  if (d.month == 0) return day_number(d.year + 1, 1, 1);
  if (d.day == 0)
    return d.month == 12 ? day_number(d.year + 1, 1, 1) : day_number(d.year, d.month + 1, 1);
  return day_number(d.year, d.month, d.day) + 1;
}

double level_volume(const StorageLevel& level, double working_volume) {
  return level.is_fraction ? level.value * working_volume : level.value;
}

std::optional<double> linefill_m3(const Pipeline& p) {
  if (p.commodity != Commodity::Oil || p.type != PipelineType::Pipe) return std::nullopt;
  if (!p.diameter_mm || !p.length_km) return std::nullopt;
  const double inner_mm = *p.diameter_mm - 2.0 * p.wall_thickness_mm.value_or(0.0);
  if (!(inner_mm > 0.0)) return std::nullopt;  // validate() refuses such a wall
  const double d = mm_to_m(inner_mm);
  return std::numbers::pi / 4.0 * d * d * km_to_m(*p.length_km);
}

double tariff_per_unit(const Pipeline& p, int year) {
  switch (p.tariff_kind) {
    case TariffKind::None:
    case TariffKind::Unknown:  // the dispatch's 0; economics.h never prices it
      return 0.0;
    case TariffKind::PerUnit:
      return value_at(p.tariff, year);
    case TariffKind::PerUnitDistance:
      return value_at(p.tariff, year) * p.length_km.value_or(0.0) / 100.0;
  }
  return 0.0;
}

double transport_cost_per_unit(const Pipeline& p, int year) {
  return tariff_per_unit(p, year) + value_at(p.transit_fee, year);
}

bool has_transport_charge(const Pipeline& p) {
  if (p.tariff_kind != TariffKind::None) return true;
  return std::any_of(p.transit_fee.points.begin(), p.transit_fee.points.end(),
                     [](const auto& point) { return point.second > 0.0; });
}

double TakeLevel::rate(const Series& acq, int year) const {
  if (share) return *share * value_at(acq, year);
  return value_at(volume, year);
}

std::string_view contract_rule_name(ContractRule r) {
  return r == ContractRule::Hard ? "hard" : "soft";
}

ContractSeller contract_seller(const Scenario& s, const Contract& c) {
  if (c.seller_kind != SellerKind::Route) {
    for (int i = 0; i < static_cast<int>(s.nodes.size()); ++i) {
      // An lng terminal is a supply in the dispatch (network.h): it sells under contract too.
      if (s.nodes[i].id == c.seller &&
          (s.nodes[i].kind == NodeKind::Supply || s.nodes[i].kind == NodeKind::Lng)) {
        return {SellerKind::Supply, i};
      }
    }
  }
  if (c.seller_kind != SellerKind::Supply) {
    for (int i = 0; i < static_cast<int>(s.routes.size()); ++i) {
      if (s.routes[i].id == c.seller) return {SellerKind::Route, i};
    }
  }
  return {};
}

namespace {

/// Inherits the project's dates into an entity that has none of its own.
template <typename Entity>
void inherit_dates(const Project& p, Entity& e) {
  if (!e.online && p.online) {
    e.online = p.online;
    e.online_where = p.online_where;
    e.online_from_project = true;
  }
  if (!e.retire && p.retire) {
    e.retire = p.retire;
    e.retire_where = p.retire_where;
    e.retire_from_project = true;
  }
  if (e.ramp_up.empty() && !p.ramp_up.empty()) {
    e.ramp_up = p.ramp_up;
    e.ramp_where = p.ramp_where;
    e.ramp_from_project = true;
  }
}

/// The project's share of each tranche, as an asset's tranche.
void add_tranches(const Project& p, double share, Economics& e) {
  for (const CapexTranche& t : p.capex) {
    CapexTranche mine = t;
    mine.musd = t.musd * share;
    mine.opex_fraction = p.opex_fraction;
    mine.lifetime_years = p.lifetime_years;
    mine.discount_rate = p.discount_rate;
    mine.project = p.id;
    e.tranches.push_back(mine);
  }
}

}  // namespace

void apply_projects(Scenario& s) {
  std::map<std::string, int, std::less<>> pipeline, supply, route;  // the first of each id
  for (int i = 0; i < static_cast<int>(s.pipelines.size()); ++i)
    pipeline.emplace(s.pipelines[i].id, i);
  for (int i = 0; i < static_cast<int>(s.nodes.size()); ++i) {
    if (s.nodes[i].kind == NodeKind::Supply) supply.emplace(s.nodes[i].id, i);
  }
  for (int i = 0; i < static_cast<int>(s.routes.size()); ++i) route.emplace(s.routes[i].id, i);
  // A member already in a project stays in the first one; validate() reports the second.
  std::set<std::string> pipelines_claimed, supplies_claimed, routes_claimed;
  for (const Project& p : s.projects) {
    std::vector<Pipeline*> pipes;
    std::vector<Route*> routes;
    for (const std::string& m : p.pipelines) {
      const auto it = pipeline.find(m);
      if (it == pipeline.end() || !pipelines_claimed.insert(m).second) continue;
      Pipeline& pl = s.pipelines[it->second];
      pl.project = p.id;
      inherit_dates(p, pl);
      pipes.push_back(&pl);
    }
    for (const std::string& m : p.supplies) {
      const auto it = supply.find(m);
      if (it == supply.end() || !supplies_claimed.insert(m).second) continue;
      s.nodes[it->second].project = p.id;
      inherit_dates(p, s.nodes[it->second]);
    }
    for (const std::string& m : p.routes) {
      const auto it = route.find(m);
      if (it == route.end() || !routes_claimed.insert(m).second) continue;
      s.routes[it->second].project = p.id;
      routes.push_back(&s.routes[it->second]);
    }
    if (p.capex.empty()) continue;
    // Capex follows length among the member pipelines when each has one, else equal shares;
    // a project without pipelines puts it on its routes, in equal shares.
    if (!pipes.empty()) {
      const bool lengths = std::all_of(
          pipes.begin(), pipes.end(), [](const Pipeline* pl) { return pl->length_km.has_value(); });
      double total = 0.0;
      for (const Pipeline* pl : pipes) total += lengths ? *pl->length_km : 1.0;
      for (Pipeline* pl : pipes) {
        add_tranches(p, (lengths ? *pl->length_km : 1.0) / total, pl->economics);
      }
    } else {
      for (Route* r : routes) {
        add_tranches(p, 1.0 / static_cast<double>(routes.size()), r->economics);
      }
    }
  }
}

const CommodityProps& props(const Scenario& s, Commodity c) {
  return c == Commodity::Gas ? s.gas : s.oil;
}

std::vector<Commodity> commodities_in(const Scenario& s) {
  bool has[2] = {false, false};
  for (const Node& n : s.nodes) has[n.commodity == Commodity::Gas ? 0 : 1] = true;
  std::vector<Commodity> out;
  if (has[0]) out.push_back(Commodity::Gas);
  if (has[1]) out.push_back(Commodity::Oil);
  return out;
}

}  // namespace corridor
