#pragma once
/// \file A HydraulicNetwork as JSON for the Python/SciPy solve (tests/hydraulics/gas_newton.py),
/// used by bench_hydraulics and the cross-check tool. Hand-written with %.17g so every double
/// reads back exactly; ids are plain GasLib/generated names (no escaping needed, checked).
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

#include "corridor/hydraulics.h"

namespace corridor::bench {

inline std::string json_id(const std::string& id) {
  for (char c : id)
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
      throw std::runtime_error("id needs JSON escaping: " + id);
  return "\"" + id + "\"";
}

inline std::string num(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

inline std::string mode_name(StationMode m) { return std::string(station_mode_name(m)); }

/// The network as JSON (one object; see gas_newton.load_json for the reader).
inline std::string network_json(const HydraulicNetwork& net) {
  const auto& g = net.gas;
  std::string s = "{\n\"gas\": {\"molar_mass_kg_per_mol\": " + num(g.molar_mass_kg_per_mol) +
                  ", \"pseudo_critical_pressure_pa\": " + num(g.pseudo_critical_pressure_pa) +
                  ", \"pseudo_critical_temperature_k\": " + num(g.pseudo_critical_temperature_k) +
                  ", \"temperature_k\": " + num(g.temperature_k) +
                  ", \"normal_density_kg_per_m3\": " + num(g.normal_density_kg_per_m3) + "},\n";
  s += "\"nodes\": [\n";
  for (std::size_t i = 0; i < net.nodes.size(); ++i) {
    const auto& v = net.nodes[i];
    s += "{\"id\": " + json_id(v.id) + ", \"height_m\": " + num(v.height_m) +
         ", \"injection_kg_per_s\": " + num(v.injection_kg_per_s) + ", \"set_pressure_pa\": " +
         (v.set_pressure_pa ? num(*v.set_pressure_pa) : std::string("null")) + "}" +
         (i + 1 < net.nodes.size() ? ",\n" : "\n");
  }
  s += "],\n\"pipes\": [\n";
  for (std::size_t i = 0; i < net.pipes.size(); ++i) {
    const auto& p = net.pipes[i];
    s += "{\"id\": " + json_id(p.id) + ", \"from\": " + std::to_string(p.from) +
         ", \"to\": " + std::to_string(p.to) + ", \"length_m\": " + num(p.length_m) +
         ", \"diameter_m\": " + num(p.diameter_m) + ", \"roughness_m\": " + num(p.roughness_m) +
         "}" + (i + 1 < net.pipes.size() ? ",\n" : "\n");
  }
  s += "],\n\"resistors\": [\n";
  for (std::size_t i = 0; i < net.resistors.size(); ++i) {
    const auto& r = net.resistors[i];
    s += "{\"id\": " + json_id(r.id) + ", \"from\": " + std::to_string(r.from) +
         ", \"to\": " + std::to_string(r.to) + ", \"drag_factor\": " + num(r.drag_factor) +
         ", \"diameter_m\": " + num(r.diameter_m) + "}" +
         (i + 1 < net.resistors.size() ? ",\n" : "\n");
  }
  s += "],\n\"valves\": [\n";
  for (std::size_t i = 0; i < net.valves.size(); ++i) {
    const auto& v = net.valves[i];
    s += "{\"id\": " + json_id(v.id) + ", \"from\": " + std::to_string(v.from) +
         ", \"to\": " + std::to_string(v.to) + ", \"open\": " + (v.open ? "true" : "false") + "}" +
         (i + 1 < net.valves.size() ? ",\n" : "\n");
  }
  s += "],\n\"compressors\": [\n";
  for (std::size_t i = 0; i < net.compressors.size(); ++i) {
    const auto& c = net.compressors[i];
    s += "{\"id\": " + json_id(c.id) + ", \"from\": " + std::to_string(c.from) +
         ", \"to\": " + std::to_string(c.to) + ", \"mode\": \"" + mode_name(c.mode) +
         "\", \"outlet_pressure_pa\": " + num(c.outlet_pressure_pa) +
         ", \"ratio\": " + num(c.ratio) + "}" + (i + 1 < net.compressors.size() ? ",\n" : "\n");
  }
  s += "],\n\"regulators\": [\n";
  for (std::size_t i = 0; i < net.regulators.size(); ++i) {
    const auto& r = net.regulators[i];
    s += "{\"id\": " + json_id(r.id) + ", \"from\": " + std::to_string(r.from) +
         ", \"to\": " + std::to_string(r.to) + ", \"mode\": \"" + mode_name(r.mode) +
         "\", \"outlet_pressure_pa\": " + num(r.outlet_pressure_pa) + "}" +
         (i + 1 < net.regulators.size() ? ",\n" : "\n");
  }
  s += "]\n}\n";
  return s;
}

}  // namespace corridor::bench
