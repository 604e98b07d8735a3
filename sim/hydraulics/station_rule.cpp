// The simple settings rule for simulating a nomination (hydraulics.h, apply_station_rule).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string_view>
#include <vector>

#include "corridor/hydraulics.h"

namespace corridor {

namespace {
int find(std::vector<int>& parent, int x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}
void join(std::vector<int>& parent, int a, int b) {
  a = find(parent, a);
  b = find(parent, b);
  if (a != b) parent[std::max(a, b)] = std::min(a, b);
}
}  // namespace

std::string_view station_rule_name(StationRule r) {
  return r == StationRule::MaxOutletPressure ? "max-outlet-pressure" : "fixed-ratio";
}

StationRuleReport apply_station_rule(HydraulicNetwork& net, const std::vector<int>& sources,
                                     StationRule rule, double ratio) {
  StationRuleReport report;
  const int n = static_cast<int>(net.nodes.size());
  for (auto& v : net.nodes) v.set_pressure_pa.reset();
  // Outlet zones: nodes joined by pipes, resistors and open valves; a station or regulator
  // holds the lowest maximum pressure found in its outlet zone.
  std::vector<int> zone(n);
  std::iota(zone.begin(), zone.end(), 0);
  for (const auto& p : net.pipes) join(zone, p.from, p.to);
  for (const auto& r : net.resistors) join(zone, r.from, r.to);
  for (const auto& v : net.valves)
    if (v.open) join(zone, v.from, v.to);
  std::vector<double> zone_max(n, std::numeric_limits<double>::infinity());
  for (int v = 0; v < n; ++v)
    zone_max[find(zone, v)] = std::min(zone_max[find(zone, v)], net.nodes[v].pressure_max_pa);
  for (auto& c : net.compressors) {
    const double outlet_max = std::min(c.outlet_pressure_max_pa, zone_max[find(zone, c.to)]);
    if (rule == StationRule::FixedRatio) {
      c.mode = StationMode::Ratio;
      c.ratio = ratio;
    } else if (std::isfinite(outlet_max)) {
      c.mode = StationMode::OutletPressure;
      c.outlet_pressure_pa = outlet_max;
    } else {
      c.mode = StationMode::Closed;
      report.closed.push_back(c.id);
    }
  }
  std::vector<char> pressurised(n, 0);
  for (auto& r : net.regulators) {
    const double outlet_max = zone_max[find(zone, r.to)];
    if (std::isfinite(outlet_max)) {
      r.mode = StationMode::OutletPressure;
      r.outlet_pressure_pa = outlet_max;
      pressurised[r.to] = 1;
    } else {
      r.mode = StationMode::Closed;
      report.closed.push_back(r.id);
    }
  }
  for (const auto& c : net.compressors)
    if (c.mode == StationMode::OutletPressure) pressurised[c.to] = 1;
  // Connected parts: zones joined also by stations and regulators that are not closed.
  std::vector<int> part = zone;
  for (const auto& c : net.compressors)
    if (c.mode != StationMode::Closed) join(part, c.from, c.to);
  for (const auto& r : net.regulators)
    if (r.mode != StationMode::Closed) join(part, r.from, r.to);
  std::vector<char> zone_pressurised(n, 0);
  for (int v = 0; v < n; ++v)
    if (pressurised[v]) zone_pressurised[find(zone, v)] = 1;
  std::vector<int> chosen(n, -1);  // part -> reference node
  for (int pass = 0; pass < 2; ++pass) {
    for (int s : sources) {
      const int pt = find(part, s);
      if (chosen[pt] >= 0) continue;
      if (pass == 0 && zone_pressurised[find(zone, s)]) continue;
      if (!std::isfinite(net.nodes[s].pressure_max_pa)) continue;
      chosen[pt] = s;
    }
  }
  for (int v = 0; v < n; ++v) {
    if (chosen[v] < 0) continue;
    auto& node = net.nodes[chosen[v]];
    node.set_pressure_pa = node.pressure_max_pa;
    report.reference_nodes.push_back(chosen[v]);
  }
  std::sort(report.reference_nodes.begin(), report.reference_nodes.end());
  return report;
}

}  // namespace corridor
