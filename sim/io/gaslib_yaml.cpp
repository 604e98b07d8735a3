// A GasLib instance as a corridor scenario (gaslib.h, `corridor import-gaslib`).
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>

#include "corridor/gaslib.h"
#include "corridor/units.h"

namespace corridor {
namespace {

std::string g(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v + 0.0);
  return buf;
}

std::string bar(double pa) { return g(pa_to_bar(pa)) + " bar"; }

/// A YAML plain scalar when it is safe, else double-quoted.
std::string scalar(const std::string& s) {
  bool plain = !s.empty() && s.find_first_of(":#{}[],&*!|>'\"%@`\\ ") == std::string::npos &&
               s.front() != '-' && s.front() != '?';
  for (char c : s) plain = plain && static_cast<unsigned char>(c) >= 0x20;
  if (plain) return s;
  std::string out = "\"";
  for (char c : s) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string gaslib_to_yaml(const GasLibInstance& instance, const GasLibImportOptions& options) {
  HydraulicNetwork net = instance.network;
  const StationRuleReport rule =
      apply_station_rule(net, gaslib_sources(instance), options.rule, options.ratio);
  const GasProperties& gas = net.gas;
  auto bcm_per_year = [](double thousand_m3_per_h) {
    return m3_per_s_to_bcm_per_year(thousand_m3_per_h * 1000.0 / 3600.0);
  };
  double entries = 0.0, exits = 0.0;
  for (std::size_t v = 0; v < net.nodes.size(); ++v) {
    const double q = bcm_per_year(instance.nominated_1000m3_per_h[v]);
    (q > 0 ? entries : exits) += std::abs(q);
  }
  std::map<int, bool> reference;
  for (int v : rule.reference_nodes) reference[v] = true;

  std::ostringstream y;
  y << kGasLibYamlMarker << " from " << options.net_name << " and " << options.scn_name << "\n";
  y << "# GasLib (https://gaslib.zib.de), CC BY 3.0: Schmidt et al. (2017), \"GasLib - a library "
       "of\n"
       "# gas network instances\", Data 2(4):40. Using the data requires citing Pfetsch et al.\n"
       "# (2012), \"Validation of nominations in gas network optimization\", ZIB-Report 12-41.\n"
       "#\n";
  y << "# Station settings: rule " << station_rule_name(options.rule);
  if (options.rule == StationRule::FixedRatio) y << " " << g(options.ratio);
  y << " (hydraulics.h, apply_station_rule), a heuristic, not nomination validation.\n";
  y << "# Reference entries (pressure set at their maximum; inflow = the balance):";
  for (int v : rule.reference_nodes) y << " " << net.nodes[v].id;
  y << "\n";
  if (!rule.closed.empty()) {
    y << "# Stations left closed (no outlet limit known):";
    for (const std::string& c : rule.closed) y << " " << c;
    y << "\n";
  }
  y << "# Dispatch carries the nomination: entries other than the reference ones cost 0 and are\n"
       "# used in full, reference entries cost 1 USD/kcm and supply the rest; every element's\n"
       "# capacity is the total nomination, so none binds (GasLib elements have no paper\n"
       "# capacity). Entries' lower pressure bounds are not written: a supply node gives\n"
       "# 'pressure' (the reference entries) or nothing.\n";
  for (const std::string& n : instance.notes) y << "# Importer: " << n << ".\n";
  y << "\n";
  std::string name = options.name;
  y << "name: " << scalar(name) << "\n";
  y << "horizon: {start: " << options.year << ", end: " << options.year
    << "}  # one year: a nomination is one steady state\n";
  y << "commodities:\n  gas:\n";
  y << "    heating_value: " << g(gas.heating_value_j_per_m3 / 1e6) << " MJ/m3\n";
  y << "    molar_mass: " << g(gas.molar_mass_kg_per_mol * 1e3) << " kg/kmol\n";
  y << "    pseudo_critical_pressure: " << bar(gas.pseudo_critical_pressure_pa) << "\n";
  y << "    pseudo_critical_temperature: " << g(gas.pseudo_critical_temperature_k) << " K\n";
  y << "    temperature: " << g(kelvin_to_celsius(gas.temperature_k)) << " °C\n";
  y << "    normal_density: " << g(gas.normal_density_kg_per_m3) << " kg/m3\n";
  y << "    isentropic_exponent: " << g(gas.isentropic_exponent) << "\n";
  y << "nodes:\n";
  for (std::size_t v = 0; v < net.nodes.size(); ++v) {
    const HydraulicNode& n = net.nodes[v];
    const double q = bcm_per_year(instance.nominated_1000m3_per_h[v]);
    const GasLibNodeKind k = instance.node_kind[v];
    y << "  - {id: " << scalar(n.id);
    if (k == GasLibNodeKind::Source) {
      const bool ref = reference.count(static_cast<int>(v)) > 0;
      y << ", kind: supply, capacity: " << g(ref ? std::max(q, exits) : std::max(q, 0.0))
        << " bcm/y, cost: " << (ref ? "1" : "0") << " USD/kcm";
      if (ref) y << ", pressure: " << bar(*n.set_pressure_pa);
    } else if (k == GasLibNodeKind::Sink) {
      y << ", kind: demand, demand: " << g(std::max(-q, 0.0)) << " bcm/y";
      if (n.pressure_min_pa > 0) y << ", min_pressure: " << bar(n.pressure_min_pa);
    } else {
      y << ", kind: junction";
      if (n.pressure_min_pa > 0) y << ", min_pressure: " << bar(n.pressure_min_pa);
    }
    if (std::isfinite(n.pressure_max_pa)) y << ", max_pressure: " << bar(n.pressure_max_pa);
    y << ", height: " << g(n.height_m) << " m}\n";
  }
  const std::string cap = "capacity: " + g(std::max(entries, exits)) + " bcm/y";
  y << "pipelines:\n";
  auto ends = [&](const std::string& id, int a, int b) {
    return "  - {id: " + scalar(id) + ", from: " + scalar(net.nodes[a].id) +
           ", to: " + scalar(net.nodes[b].id) + ", " + cap;
  };
  for (const HydraulicPipe& p : net.pipes) {
    y << ends(p.id, p.from, p.to) << ", bidirectional: true, length: " << g(p.length_m / 1e3)
      << " km, diameter: " << g(p.diameter_m * 1e3) << " mm, roughness: " << g(p.roughness_m * 1e3)
      << " mm";
    if (std::isfinite(p.max_pressure_pa)) y << ", max_pressure: " << bar(p.max_pressure_pa);
    y << "}\n";
  }
  for (const HydraulicResistor& r : net.resistors) {
    y << ends(r.id, r.from, r.to)
      << ", bidirectional: true, type: resistor, drag_factor: " << g(r.drag_factor)
      << ", diameter: " << g(r.diameter_m * 1e3) << " mm}\n";
  }
  for (const HydraulicValve& v : net.valves) {
    y << ends(v.id, v.from, v.to)
      << ", bidirectional: true, type: valve, open: " << (v.open ? "true" : "false") << "}\n";
  }
  for (const HydraulicCompressor& c : net.compressors) {
    y << ends(c.id, c.from, c.to) << ", type: compressor";
    switch (c.mode) {
      case StationMode::OutletPressure:
        y << ", outlet_pressure: " << bar(c.outlet_pressure_pa);
        break;
      case StationMode::Ratio:
        y << ", ratio: " << g(c.ratio);
        break;
      case StationMode::Bypass:  // not produced by the rule; a closed station is the safe side
      case StationMode::Closed:
        y << ", open: false";
        break;
    }
    if (c.inlet_pressure_min_pa > 0) y << ", min_inlet_pressure: " << bar(c.inlet_pressure_min_pa);
    if (std::isfinite(c.outlet_pressure_max_pa))
      y << ", max_outlet_pressure: " << bar(c.outlet_pressure_max_pa);
    if (std::isfinite(c.max_power_w)) y << ", max_power: " << g(w_to_mw(c.max_power_w)) << " MW";
    if (std::isfinite(c.max_ratio)) y << ", max_ratio: " << g(c.max_ratio);
    y << "}\n";
  }
  for (const HydraulicRegulator& r : net.regulators) {
    y << ends(r.id, r.from, r.to) << ", type: regulator";
    if (r.mode == StationMode::OutletPressure)
      y << ", outlet_pressure: " << bar(r.outlet_pressure_pa);
    else
      y << ", open: false";
    y << "}\n";
  }
  return y.str();
}

}  // namespace corridor
