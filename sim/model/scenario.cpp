#include "corridor/scenario.h"

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
