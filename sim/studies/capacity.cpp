// Paper against physical capacity (capacity.h).
#include "corridor/capacity.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "corridor/gas_line.h"
#include "corridor/hydraulics.h"
#include "corridor/oil_hydraulics.h"

namespace corridor {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kMaxStations = 200;

std::string num(double v, const char* f = "%.6g") {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

GasProperties gas_of(const Scenario& s) {
  const GasPhysics& g = s.gas_physics;
  GasProperties p;
  p.molar_mass_kg_per_mol = kg_per_kmol_to_kg_per_mol(g.molar_mass_kg_per_kmol);
  p.pseudo_critical_pressure_pa = mpa_to_pa(g.pseudo_critical_pressure_mpa);
  p.pseudo_critical_temperature_k = celsius_to_kelvin(g.pseudo_critical_temperature_c);
  p.temperature_k = celsius_to_kelvin(g.temperature_c);
  p.normal_density_kg_per_m3 = g.normal_density_kg_per_m3;
  p.heating_value_j_per_m3 = mj_to_j(s.gas.heating_value);
  p.isentropic_exponent = g.isentropic_exponent;
  return p;
}

OilProperties oil_of(const Scenario& s) {
  OilProperties p;
  p.density_15c_kg_per_m3 = s.oil.density_or_lng;
  // One viscosity, at the flow temperature: the same at two temperatures is a constant.
  p.viscosity_t1_c = s.oil_physics.temperature_c;
  p.viscosity_t2_c = s.oil_physics.temperature_c + 30.0;
  p.kinematic_viscosity_t1_m2_per_s = cst_to_m2_per_s(s.oil_physics.viscosity_cst);
  p.kinematic_viscosity_t2_m2_per_s = p.kinematic_viscosity_t1_m2_per_s;
  return p;
}

/// One pipeline's line model and what depends on it alone.
struct Line {
  int pipeline = -1;  // scenario index
  bool gas = true;
  GasLine gl;
  OilLine ol;
  CompressorSite gas_template;
  PumpStation oil_template;
  double capacity_rate = 0.0;  // bcm/y or Mt/y
  std::string limit;
  std::map<double, int> needed;  // paper rate -> stations needed
};

class Study {
 public:
  explicit Study(const CaseResult& r)
      : r_(r), s_(*r.scenario), gas_(gas_of(s_)), oil_(oil_of(s_)) {}

  CapacityStudy run() {
    for (std::size_t k = 0; k < s_.pipelines.size(); ++k) build(static_cast<int>(k));
    for (const CommodityRun& run : r_.runs) rows_for(run);
    return std::move(out_);
  }

 private:
  void note(const std::string& s) {
    if (noted_.insert(s).second) out_.notes.push_back(s);
  }

  const Node* node(const std::string& id) const {
    for (const Node& n : s_.nodes)
      if (n.id == id) return &n;
    return nullptr;
  }

  /// Mass flow (kg/s) of a canonical rate, and back.
  double to_kg_per_s(bool gas, double rate) const {
    return gas ? normal_volume_to_mass(gas_, bcm_per_year_to_m3_per_s(rate))
               : mt_per_year_to_kg_per_s(rate);
  }
  double to_rate(bool gas, double kg_per_s) const {
    return gas ? m3_per_s_to_bcm_per_year(mass_to_normal_volume(gas_, kg_per_s))
               : kg_per_s_to_mt_per_year(kg_per_s);
  }

  void build(int k) {
    const Pipeline& p = s_.pipelines[k];
    if (!p.length_km || !p.diameter_mm || !p.max_pressure_mpa) return;
    const std::string what = "pipeline '" + p.id + "'";
    Line line;
    line.pipeline = k;
    line.gas = p.commodity == Commodity::Gas;
    const Node* from = node(p.from);
    const Node* to = node(p.to);
    double inner_mm = *p.diameter_mm;
    if (p.wall_thickness_mm) {
      inner_mm -= 2.0 * *p.wall_thickness_mm;
    } else {
      note(what + ": no wall_thickness, so the " + num(*p.diameter_mm) +
           " mm diameter is taken as the inner one (the capacity is overstated)");
    }
    const double roughness_mm = p.roughness_mm.value_or(kDefaultRoughnessMm);
    if (!p.roughness_mm)
      note(what + ": no roughness, " + num(kDefaultRoughnessMm) + " mm assumed (GasLib's)");
    const double h0 = from && from->height_m ? *from->height_m : 0.0;
    const double h1 = to && to->height_m ? *to->height_m : 0.0;
    const double maop = mpa_to_pa(*p.max_pressure_mpa);
    if (line.gas) {
      GasLine& g = line.gl;
      g.id = p.id;
      g.length_m = km_to_m(*p.length_km);
      g.inner_diameter_m = mm_to_m(inner_mm);
      g.roughness_m = mm_to_m(roughness_mm);
      g.height_start_m = h0;
      g.height_end_m = h1;
      g.max_pressure_pa = maop;
      if (to && to->min_pressure_mpa) {
        g.min_pressure_pa = mpa_to_pa(*to->min_pressure_mpa);
      } else {
        g.min_pressure_pa = kDefaultMinPressureShare * maop;
        note(what + ": its 'to' node has no min_pressure, so " +
             num(kDefaultMinPressureShare * 100) +
             " % of its max_pressure is assumed at each "
             "station's suction and at delivery");
      }
      if (from && from->pressure_mpa) {
        g.inlet_pressure_pa = mpa_to_pa(*from->pressure_mpa);
      } else {
        g.inlet_pressure_pa = g.min_pressure_pa;
        note(what + ": its 'from' node has no pressure, so gas enters at the least pressure");
      }
      for (const Station& st : p.stations) g.stations.push_back(site(st));
      line.gas_template = p.stations.empty() ? site(Station{}) : site(p.stations.front());
      const GasLineCapacity cap = gas_line_capacity(g, gas_);
      line.capacity_rate = to_rate(true, cap.max_inlet_flow_kg_per_s);
      line.limit = cap.limit;
    } else {
      OilLine& o = line.ol;
      o.id = p.id;
      o.length_m = km_to_m(*p.length_km);
      o.inner_diameter_m = mm_to_m(inner_mm);
      o.roughness_m = mm_to_m(roughness_mm);
      if (h0 != 0.0 || h1 != 0.0) o.profile = {{0.0, h0}, {o.length_m, h1}};
      o.max_pressure_pa = maop;
      o.temperature_c = s_.oil_physics.temperature_c;
      o.min_line_pressure_pa = mpa_to_pa(kDefaultOilLinePressureMpa);
      o.min_suction_pressure_pa = mpa_to_pa(kDefaultOilMinPressureMpa);
      if (to && to->min_pressure_mpa) {
        o.delivery_pressure_pa = mpa_to_pa(*to->min_pressure_mpa);
      } else {
        o.delivery_pressure_pa = mpa_to_pa(kDefaultOilMinPressureMpa);
        note(what + ": its 'to' node has no min_pressure, so " + num(kDefaultOilMinPressureMpa) +
             " MPa is assumed at delivery");
      }
      if (from && from->pressure_mpa) {
        o.inlet_pressure_pa = mpa_to_pa(*from->pressure_mpa);
      } else {
        o.inlet_pressure_pa = mpa_to_pa(kDefaultOilInletPressureMpa);
        note(what + ": its 'from' node has no pressure, so " + num(kDefaultOilInletPressureMpa) +
             " MPa is assumed at the start");
      }
      for (const Station& st : p.stations) o.stations.push_back(pump(st));
      line.oil_template = p.stations.empty() ? pump(Station{}) : pump(p.stations.front());
      const OilLineCapacity cap = oil_line_capacity(o, oil_);
      line.capacity_rate = to_rate(false, cap.max_mass_flow_kg_per_s);
      line.limit = cap.limit;
    }
    lines_.emplace(k, std::move(line));
  }

  static CompressorSite site(const Station& st) {
    CompressorSite c;
    c.id = st.name;
    c.position_m = km_to_m(st.position_km);
    if (st.max_power_mw) c.max_power_w = mw_to_w(*st.max_power_mw);
    if (st.max_ratio) c.max_ratio = *st.max_ratio;
    c.isentropic_efficiency = st.efficiency.value_or(kDefaultCompressorEfficiency);
    c.drive_efficiency = st.drive_efficiency.value_or(kDefaultDriveEfficiency);
    if (st.fuel_share) c.fuel_share = *st.fuel_share;
    return c;
  }

  static PumpStation pump(const Station& st) {
    PumpStation ps;
    ps.id = st.name;
    ps.position_m = km_to_m(st.position_km);
    ps.max_head_m = st.max_head_m.value_or(std::numeric_limits<double>::infinity());
    ps.max_power_w =
        st.max_power_mw ? mw_to_w(*st.max_power_mw) : std::numeric_limits<double>::infinity();
    ps.efficiency = st.efficiency.value_or(kDefaultPumpEfficiency);
    return ps;
  }

  int needed(Line& line, double paper_rate) {
    if (!(paper_rate > 0.0)) return 0;
    if (auto it = line.needed.find(paper_rate); it != line.needed.end()) return it->second;
    const double target = to_kg_per_s(line.gas, paper_rate);
    int n = -1;
    if (line.gas) {
      n = gas_stations_needed(line.gl, line.gas_template, gas_, target, {}, kMaxStations);
    } else {
      OilLine o = line.ol;
      for (int c = 1; c <= kMaxStations && n < 0; ++c) {
        o.stations.clear();
        for (int k = 0; k < c; ++k) {
          PumpStation ps = line.oil_template;
          ps.id = std::to_string(k + 1);
          ps.position_m = o.length_m * k / c;
          o.stations.push_back(ps);
        }
        if (solve_oil_line(o, oil_, target).feasible()) n = c;
      }
    }
    line.needed.emplace(paper_rate, n);
    return n;
  }

  struct AtFlow {
    double power_mw = 0.0, fuel_kg_per_s = 0.0;
    bool over = false;
  };
  AtFlow at_flow(const Line& line, double rate) const {
    AtFlow a;
    const double q = to_kg_per_s(line.gas, rate);
    if (!(q > 0.0)) return a;
    if (line.gas) {
      const GasLineState st = solve_gas_line(line.gl, gas_, q);
      a.power_mw = w_to_mw(st.total_power_w);
      a.fuel_kg_per_s = st.total_fuel_kg_per_s;
      a.over = !st.feasible();
    } else {
      const OilLineState st = solve_oil_line(line.ol, oil_, q);
      a.power_mw = w_to_mw(st.total_power_w);
      a.over = !st.feasible();
    }
    return a;
  }

  void rows_for(const CommodityRun& run) {
    const Network& net = run.network;
    std::map<int, int> slot;  // scenario pipeline -> Network::pipelines position
    for (int i = 0; i < static_cast<int>(net.pipelines.size()); ++i) slot[net.pipelines[i]] = i;
    for (const PeriodResult& pr : run.annual) {
      const int year = pr.period.year;
      std::map<int, CapacityRow> by_pipeline;
      for (auto& [k, line] : lines_) {
        const Pipeline& p = s_.pipelines[k];
        if ((p.commodity == Commodity::Gas) != line.gas) continue;
        if (p.commodity != net.commodity) continue;
        CapacityRow row;
        row.scenario = s_.name;
        row.case_name = s_.case_name;
        row.year = year;
        row.commodity = p.commodity;
        row.id = p.id;
        row.paper_capacity = value_at(p.capacity, year);
        row.physical_capacity = line.capacity_rate;
        row.ratio = row.paper_capacity > 0.0 ? row.physical_capacity / row.paper_capacity : kNaN;
        row.stations = static_cast<int>(p.stations.size());
        row.stations_needed = needed(line, row.paper_capacity);
        const auto it = slot.find(k);
        row.dispatched = it == slot.end() ? 0.0 : std::abs(pr.pipeline_flow[it->second]);
        const AtFlow a = at_flow(line, row.dispatched);
        row.over_capacity = a.over;
        // Above the capacity the line cannot carry the flow: no power or fuel carries it.
        row.power_mw = a.over ? kNaN : a.power_mw;
        row.fuel_share = a.over ? kNaN
                         : row.dispatched > 0.0
                             ? a.fuel_kg_per_s / to_kg_per_s(line.gas, row.dispatched)
                             : 0.0;
        row.limit = line.limit;
        by_pipeline.emplace(k, row);
        out_.rows.push_back(row);
      }
      for (const Route& route : s_.routes) {
        std::vector<const CapacityRow*> parts;
        for (const std::string& id : route.pipelines) {
          for (auto& [k, row] : by_pipeline)
            if (s_.pipelines[k].id == id) parts.push_back(&row);
        }
        if (parts.empty() || parts.size() != route.pipelines.size()) continue;
        CapacityRow row;
        row.scenario = s_.name;
        row.case_name = s_.case_name;
        row.year = year;
        row.commodity = parts.front()->commodity;
        row.id = route.id;
        row.route = true;
        const CapacityRow* tight = parts.front();
        const CapacityRow* meter = parts.back();
        row.paper_capacity = parts.front()->paper_capacity;
        double fuel = 0.0;
        for (const CapacityRow* r : parts) {
          if (r->physical_capacity < tight->physical_capacity) tight = r;
          if (r->id == route.meter) meter = r;
          row.paper_capacity = std::min(row.paper_capacity, r->paper_capacity);
          row.stations += r->stations;
          row.power_mw += r->power_mw;
          fuel += r->fuel_share * r->dispatched;
          row.over_capacity = row.over_capacity || r->over_capacity;
        }
        row.physical_capacity = tight->physical_capacity;
        row.ratio = row.paper_capacity > 0.0 ? row.physical_capacity / row.paper_capacity : kNaN;
        row.stations_needed = 0;
        for (const CapacityRow* r : parts) {
          auto& line = lines_.at(index_of(r->id));
          const int n = needed(line, row.paper_capacity);
          row.stations_needed = (n < 0 || row.stations_needed < 0) ? -1 : row.stations_needed + n;
        }
        row.dispatched = meter->dispatched;
        row.fuel_share = row.dispatched > 0.0 ? fuel / row.dispatched : 0.0;
        row.limit = tight->id + ": " + tight->limit;
        out_.rows.push_back(row);
      }
    }
  }

  int index_of(const std::string& id) const {
    for (std::size_t k = 0; k < s_.pipelines.size(); ++k)
      if (s_.pipelines[k].id == id) return static_cast<int>(k);
    return -1;
  }

  const CaseResult& r_;
  const Scenario& s_;
  const GasProperties gas_;
  const OilProperties oil_;
  std::map<int, Line> lines_;
  CapacityStudy out_;
  std::set<std::string> noted_;
};

}  // namespace

CapacityStudy capacity_study(const CaseResult& result) { return Study(result).run(); }

}  // namespace corridor
