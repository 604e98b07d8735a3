#include "corridor/scenario.h"

#include <chrono>
#include <iterator>

namespace corridor {

double value_at(const Series& s, int year) {
  if (s.points.empty()) return 0.0;
  auto hi = s.points.upper_bound(year);  // first point after `year`
  if (hi == s.points.begin()) return hi->second;
  auto lo = std::prev(hi);
  if (hi == s.points.end() || s.interpolation == Interpolation::Step) return lo->second;
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

double tariff_per_unit(const Pipeline& p) {
  switch (p.tariff_kind) {
    case TariffKind::None:
      return 0.0;
    case TariffKind::PerUnit:
      return p.tariff;
    case TariffKind::PerUnitDistance:
      return p.tariff * p.length_km.value_or(0.0) / 100.0;
  }
  return 0.0;
}

double transport_cost_per_unit(const Pipeline& p) { return tariff_per_unit(p) + p.transit_fee; }

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
