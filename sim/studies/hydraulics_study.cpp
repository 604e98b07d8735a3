// The gas network of a dispatched case, solved every year (hydraulics_study.h).
#include "corridor/hydraulics_study.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace corridor {

GasProperties gas_properties_of(const Scenario& s) {
  const GasPhysics& g = s.gas_physics;
  GasProperties p;
  p.molar_mass_kg_per_mol = kg_per_kmol_to_kg_per_mol(g.molar_mass_kg_per_kmol);
  p.pseudo_critical_pressure_pa = mpa_to_pa(g.pseudo_critical_pressure_mpa);
  p.pseudo_critical_temperature_k = celsius_to_kelvin(g.pseudo_critical_temperature_c);
  p.temperature_k = celsius_to_kelvin(g.temperature_c);
  p.normal_density_kg_per_m3 = g.normal_density_kg_per_m3;
  p.heating_value_j_per_m3 = mj_to_j(s.gas.heating_value);
  p.isentropic_exponent = g.isentropic_exponent;
  p.co2_mole_fraction = g.co2_fraction;
  if (g.n2_fraction) p.n2_mole_fraction = *g.n2_fraction;
  return p;
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

/// Whether hydraulics can model the pipeline: an element, or a pipe with length and diameter.
bool physical(const Pipeline& p) {
  return p.type != PipelineType::Pipe || (p.length_km && p.diameter_mm);
}

class YearBuilder {
 public:
  YearBuilder(const Scenario& s, const GasProperties& gas, HydraulicYear& y,
              std::set<std::string>& no_wall, std::set<std::string>& no_roughness)
      : s_(s), y_(y), no_wall_(no_wall), no_roughness_(no_roughness) {
    y_.network.gas = gas;
  }

  /// The network node of scenario node `k`, added on first use.
  int node(int k) {
    if (auto it = of_scenario_.find(k); it != of_scenario_.end()) return it->second;
    const Node& n = s_.nodes[k];
    HydraulicNode h;
    h.id = n.id;
    h.height_m = n.height_m.value_or(0.0);
    if (n.min_pressure_mpa) h.pressure_min_pa = mpa_to_pa(*n.min_pressure_mpa);
    if (n.max_pressure_mpa) h.pressure_max_pa = mpa_to_pa(*n.max_pressure_mpa);
    if (n.pressure_mpa) h.set_pressure_pa = mpa_to_pa(*n.pressure_mpa);
    y_.network.nodes.push_back(h);
    const int i = static_cast<int>(y_.network.nodes.size()) - 1;
    of_scenario_[k] = i;
    return i;
  }

  int inner_node(const std::string& id, double height_m) {
    HydraulicNode h;
    h.id = id;
    h.height_m = height_m;
    y_.network.nodes.push_back(h);
    return static_cast<int>(y_.network.nodes.size()) - 1;
  }

  /// Adds pipeline `p` (physical) between scenario nodes `from`, `to`. Returns "" or why the
  /// year cannot be solved.
  std::string add(const Pipeline& p, int from, int to) {
    HydraulicNetwork& net = y_.network;
    const int a = node(from), b = node(to);
    const std::string what = "pipeline '" + p.id + "'";
    switch (p.type) {
      case PipelineType::ShortPipe:
      case PipelineType::Valve:
        net.valves.push_back({p.id, a, b, p.type == PipelineType::ShortPipe || p.open});
        y_.valve_type.emplace_back(pipeline_type_name(p.type));
        return "";
      case PipelineType::Resistor:
        net.resistors.push_back(
            {p.id, a, b, p.drag_factor.value_or(0.0), mm_to_m(p.diameter_mm.value_or(0.0))});
        return "";
      case PipelineType::Regulator: {
        HydraulicRegulator r;
        r.id = p.id;
        r.from = a;
        r.to = b;
        r.mode = p.open ? StationMode::OutletPressure : StationMode::Closed;
        r.outlet_pressure_pa = mpa_to_pa(p.outlet_pressure_mpa.value_or(0.0));
        net.regulators.push_back(r);
        return "";
      }
      case PipelineType::Compressor: {
        HydraulicCompressor c = compressor(p.compressor, p.id, a, b);
        if (p.min_inlet_pressure_mpa)
          c.inlet_pressure_min_pa = mpa_to_pa(*p.min_inlet_pressure_mpa);
        if (p.max_outlet_pressure_mpa)
          c.outlet_pressure_max_pa = mpa_to_pa(*p.max_outlet_pressure_mpa);
        if (!p.open) {
          c.mode = StationMode::Closed;
        } else if (p.set_ratio) {
          c.mode = StationMode::Ratio;
          c.ratio = *p.set_ratio;
        } else {
          c.mode = StationMode::OutletPressure;
          c.outlet_pressure_pa = mpa_to_pa(p.outlet_pressure_mpa.value_or(0.0));
        }
        net.compressors.push_back(c);
        return "";
      }
      case PipelineType::Pipe:
        break;
    }
    double inner_mm = *p.diameter_mm;
    if (p.wall_thickness_mm) {
      inner_mm -= 2.0 * *p.wall_thickness_mm;
    } else {
      no_wall_.insert(p.id);
    }
    if (!p.roughness_mm) no_roughness_.insert(p.id);
    const double length_m = km_to_m(*p.length_km);
    const double h0 = net.nodes[a].height_m, h1 = net.nodes[b].height_m;
    const double maop = p.max_pressure_mpa ? mpa_to_pa(*p.max_pressure_mpa) : kInf;
    auto pipe = [&](const std::string& id, int u, int v, double len_m) {
      HydraulicPipe hp;
      hp.id = id;
      hp.from = u;
      hp.to = v;
      hp.length_m = len_m;
      hp.diameter_m = mm_to_m(inner_mm);
      hp.roughness_m = mm_to_m(p.roughness_mm.value_or(kDefaultRoughnessMm));
      hp.max_pressure_pa = maop;
      net.pipes.push_back(hp);
    };
    if (p.stations.empty()) {
      pipe(p.id, a, b, length_m);
      return "";
    }
    if (!p.max_pressure_mpa) {
      return what +
             " has stations but no max_pressure, at which they discharge; add "
             "'max_pressure'";
    }
    int prev = a;
    double prev_m = 0.0;
    int seg = 0;
    for (const Station& st : p.stations) {
      const double x = km_to_m(st.position_km);
      const double h = h0 + (h1 - h0) * x / length_m;
      const std::string id = p.id + "/" + st.name;
      int in = prev;
      if (x > prev_m) {
        in = inner_node(id + "/in", h);
        pipe(p.id + "/seg" + std::to_string(++seg), prev, in, x - prev_m);
      }
      const int out = inner_node(id + "/out", h);
      HydraulicCompressor c = compressor(st, id, in, out);
      c.mode = StationMode::OutletPressure;
      c.outlet_pressure_pa = maop;
      c.outlet_pressure_max_pa = maop;
      net.compressors.push_back(c);
      prev = out;
      prev_m = x;
    }
    pipe(p.id + "/seg" + std::to_string(++seg), prev, b, length_m - prev_m);
    return "";
  }

  /// Adds `kg_per_s` to the injection of scenario node `k`, if it is in the network.
  void inject(int k, double kg_per_s) { injection_[k] += kg_per_s; }

  void finish() {
    for (const auto& [k, q] : injection_) {
      if (auto it = of_scenario_.find(k); it != of_scenario_.end())
        y_.network.nodes[it->second].injection_kg_per_s += q;
    }
  }

 private:
  HydraulicCompressor compressor(const Station& st, const std::string& id, int a, int b) const {
    HydraulicCompressor c;
    c.id = id;
    c.from = a;
    c.to = b;
    if (st.max_power_mw) c.max_power_w = mw_to_w(*st.max_power_mw);
    if (st.max_ratio) c.max_ratio = *st.max_ratio;
    c.isentropic_efficiency = st.efficiency.value_or(kDefaultCompressorEfficiency);
    c.drive_efficiency = st.drive_efficiency.value_or(kDefaultDriveEfficiency);
    if (st.fuel_share) c.fuel_share = *st.fuel_share;
    return c;
  }

  const Scenario& s_;
  HydraulicYear& y_;
  std::set<std::string>& no_wall_;       // pipes without wall_thickness, every year
  std::set<std::string>& no_roughness_;  // and without roughness
  std::map<int, int> of_scenario_;       // scenario node -> network node
  std::map<int, double> injection_;      // scenario node -> kg/s
};

bool same_nodes(const HydraulicNetwork& a, const HydraulicNetwork& b) {
  if (a.nodes.size() != b.nodes.size()) return false;
  for (std::size_t i = 0; i < a.nodes.size(); ++i)
    if (a.nodes[i].id != b.nodes[i].id) return false;
  return true;
}

}  // namespace

HydraulicCaseStudy hydraulics_study(const CaseResult& r, const HydraulicOptions& options) {
  HydraulicCaseStudy out;
  const Scenario& s = *r.scenario;
  out.scenario = s.name;
  out.case_name = s.case_name;
  const CommodityRun* run = nullptr;
  for (const CommodityRun& c : r.runs)
    if (c.network.commodity == Commodity::Gas) run = &c;
  if (!run) return out;
  const Network& net = run->network;
  bool any = false;
  for (int k : net.pipelines) any = any || physical(s.pipelines[k]);
  if (!any) return out;
  std::unordered_map<std::string, int> node_index;
  for (std::size_t k = 0; k < s.nodes.size(); ++k) node_index[s.nodes[k].id] = static_cast<int>(k);
  const GasProperties gas = gas_properties_of(s);
  // bcm in the year (the annual period) -> kg/s.
  auto kg_per_s = [&](double bcm, const Period& per) {
    return normal_volume_to_mass(gas, bcm_per_year_to_m3_per_s(bcm / per.years));
  };
  std::set<std::string> no_wall, no_roughness;
  for (const PeriodResult& pr : run->annual) {
    HydraulicYear& y = out.years.emplace_back();
    y.year = pr.period.year;
    YearBuilder b(s, gas, y, no_wall, no_roughness);
    // Nodes in scenario order (messages name the first problem in that order).
    std::vector<bool> touched(s.nodes.size(), false);
    for (int k : net.pipelines) {
      const Pipeline& p = s.pipelines[k];
      if (physical(p) && in_service_fraction(p, pr.period) > 0.0)
        touched[node_index.at(p.from)] = touched[node_index.at(p.to)] = true;
    }
    for (std::size_t k = 0; k < s.nodes.size(); ++k)
      if (touched[k]) b.node(static_cast<int>(k));
    std::string why;
    for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
      const Pipeline& p = s.pipelines[net.pipelines[i]];
      const int from = node_index.at(p.from), to = node_index.at(p.to);
      if (physical(p) && in_service_fraction(p, pr.period) > 0.0) {
        if (std::string w = b.add(p, from, to); !w.empty() && why.empty()) why = w;
      } else {
        const double q = kg_per_s(pr.pipeline_flow[i], pr.period);
        b.inject(to, q);
        b.inject(from, -q);
      }
    }
    for (std::size_t j = 0; j < net.supplies.size(); ++j)
      b.inject(net.supplies[j], kg_per_s(pr.supply_used[j], pr.period));
    for (std::size_t j = 0; j < net.demands.size(); ++j)
      b.inject(net.demands[j], -kg_per_s(pr.delivered[j], pr.period));
    b.finish();
    if (!why.empty()) {
      y.result.status = HydraulicStatus::InvalidInput;
      y.result.message = why;
      continue;
    }
    HydraulicOptions o = options;
    if (out.years.size() >= 2) {
      const HydraulicYear& prev = out.years[out.years.size() - 2];
      if (prev.result.converged() && same_nodes(prev.network, y.network))
        o.initial_pressure_pa = prev.result.node_pressure_pa;
    }
    y.result = solve_hydraulics(y.network, o);
  }
  // One note per default, naming the pipelines (the first few).
  auto note = [&](const std::set<std::string>& ids, const std::string& what) {
    if (ids.empty()) return;
    std::string list;
    int k = 0;
    for (const std::string& id : ids) {
      if (++k > 3) {
        list += ", ...";
        break;
      }
      list += (list.empty() ? "'" : ", '") + id + "'";
    }
    out.notes.push_back(std::to_string(ids.size()) + " pipeline(s) (" + list + ") " + what);
  };
  note(no_wall, "have no wall_thickness: their diameter is taken as the inner one");
  note(no_roughness, "have no roughness: " + num(kDefaultRoughnessMm) + " mm assumed (GasLib's)");
  return out;
}

}  // namespace corridor
