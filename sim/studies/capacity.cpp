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
#include "corridor/hydraulics_study.h"
#include "corridor/oil_hydraulics.h"
#include "corridor/simulate.h"

namespace corridor {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kMaxStations = 200;

std::string num(double v, const char* f = "%.6g") {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
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
  double capacity_rate = 0.0;   // bcm/y or Mt/y entering the line
  double delivered_rate = 0.0;  // bcm/y or Mt/y leaving it at capacity (less the fuel)
  std::string limit;
  std::map<double, int> needed;  // paper rate -> stations needed
};

class Study {
 public:
  /// `paper`: the scenario whose capacities are the paper ones (the case's own, or, after
  /// apply, the original case); fuel arcs are the pipelines named kFuelPrefix + id.
  Study(const CaseResult& r, const Scenario& paper, const HydraulicOptions& law)
      : r_(r),
        s_(*r.scenario),
        paper_(paper),
        gas_(gas_properties_of(s_)),
        oil_(oil_of(s_)),
        law_(law) {}

  /// Per studied pipeline (scenario index): the physical rate it can deliver, and what
  /// fuel (bcm/y) the stations burn at the flow `inlet_rate` (bcm/y).
  const std::map<int, Line>& lines() const { return lines_; }
  void build_lines() {
    for (std::size_t k = 0; k < s_.pipelines.size(); ++k) build(static_cast<int>(k));
  }
  double fuel_rate(const Line& line, double inlet_rate) const {
    if (!line.gas || !(inlet_rate > 0.0)) return 0.0;
    const GasLineState st = solve_gas_line(line.gl, gas_, to_kg_per_s(true, inlet_rate), law_);
    return to_rate(true, st.total_fuel_kg_per_s);
  }

  CapacityStudy run() {
    build_lines();
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
    if (p.type != PipelineType::Pipe || !p.length_km || !p.diameter_mm || !p.max_pressure_mpa)
      return;
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
      const GasLineCapacity cap = gas_line_capacity(g, gas_, law_);
      line.capacity_rate = to_rate(true, cap.max_inlet_flow_kg_per_s);
      line.delivered_rate = to_rate(true, cap.at_capacity.delivered_kg_per_s);
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
      line.delivered_rate = line.capacity_rate;
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
      n = gas_stations_needed(line.gl, line.gas_template, gas_, target, law_, kMaxStations);
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
      const GasLineState st = solve_gas_line(line.gl, gas_, q, law_);
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
        row.paper_capacity = value_at(paper_.pipelines[k].capacity, year);
        row.physical_capacity = line.capacity_rate;
        row.ratio = row.paper_capacity > 0.0 ? row.physical_capacity / row.paper_capacity : kNaN;
        row.stations = static_cast<int>(p.stations.size());
        row.stations_needed = needed(line, row.paper_capacity);
        const auto it = slot.find(k);
        row.dispatched = it == slot.end() ? 0.0 : std::abs(pr.pipeline_flow[it->second]);
        if (const int f = index_of(kFuelPrefix + p.id); f >= 0) {  // after apply: + the fuel
          if (const auto fi = slot.find(f); fi != slot.end())
            row.dispatched += pr.pipeline_flow[fi->second];
        }
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
  const Scenario& paper_;
  const GasProperties gas_;
  const OilProperties oil_;
  const HydraulicOptions law_;  // friction and compressibility of the gas lines
  std::map<int, Line> lines_;
  CapacityStudy out_;
  std::set<std::string> noted_;
};

}  // namespace

CapacityStudy capacity_study(const CaseResult& result, const HydraulicOptions& law) {
  return Study(result, *result.scenario, law).run();
}

CapacityApplied apply_capacity(const CaseResult& original, const HydraulicOptions& law) {
  const Scenario& s0 = *original.scenario;
  Study base(original, s0, law);
  base.build_lines();
  const std::map<int, Line>& lines = base.lines();
  // The physical limit is absolute: the capacity each year is the paper one or, where less,
  // the physical rate over the year's availability and ramp (effective_rate multiplies by them).
  Scenario physical = s0;
  for (const auto& [k, line] : lines) {
    Pipeline& p = physical.pipelines[k];
    Series cap;
    cap.where = p.capacity_where;
    for (int y = s0.horizon.start_year; y <= s0.horizon.end_year; ++y) {
      const double paper = value_at(s0.pipelines[k].capacity, y);
      const double factor = paper > 0.0 ? effective_rate(s0.pipelines[k], y) / paper : 0.0;
      cap.points[y] = factor > 0.0 ? std::min(paper, line.delivered_rate / factor) : paper;
    }
    p.capacity = cap;
  }
  for (Node& n : physical.nodes)
    if (n.kind == NodeKind::Demand) ++n.priority;
  // Fuel (bcm/y) per gas line with stations and year, from the last dispatch.
  std::map<int, std::map<int, double>> fuel;
  CapacityApplied out;
  const CaseResult* last = &original;
  for (int pass = 1; pass <= kApplyMaxIterations + 1; ++pass) {
    // The fuel of each line at its inlet flow in `last`, for every year.
    std::map<int, std::map<int, double>> next;
    Study at(*last, s0, law);
    at.build_lines();
    for (const CommodityRun& run : last->runs) {
      if (run.network.commodity != Commodity::Gas) continue;
      std::map<std::string, int> slot;
      for (std::size_t i = 0; i < run.network.pipelines.size(); ++i)
        slot[last->scenario->pipelines[run.network.pipelines[i]].id] = static_cast<int>(i);
      for (const PeriodResult& pr : run.annual) {
        for (const auto& [k, line] : at.lines()) {
          if (!line.gas) continue;
          const std::string& id = s0.pipelines[k].id;
          double inlet = 0.0;
          if (auto it = slot.find(id); it != slot.end())
            inlet += std::abs(pr.pipeline_flow[it->second]);
          if (auto it = slot.find(kFuelPrefix + id); it != slot.end())
            inlet += pr.pipeline_flow[it->second];
          const double f = at.fuel_rate(line, inlet / pr.period.years);
          if (f > 0.0) next[k][pr.period.year] = f;
        }
      }
    }
    double change = 0.0;
    std::set<int> keys;
    for (const auto& [k, m] : fuel) keys.insert(k);
    for (const auto& [k, m] : next) keys.insert(k);
    for (int k : keys) {
      for (int y = s0.horizon.start_year; y <= s0.horizon.end_year; ++y) {
        const double a = fuel.count(k) && fuel[k].count(y) ? fuel[k][y] : 0.0;
        const double b = next.count(k) && next[k].count(y) ? next[k][y] : 0.0;
        change = std::max(change, std::abs(a - b));
      }
    }
    out.fuel_change = change;
    if ((pass > 1 && change <= kApplyFuelTolerance) || pass > kApplyMaxIterations) break;
    fuel = std::move(next);
    // The case with these fuel withdrawals: a demand node per line, served before any market.
    Scenario s = physical;
    for (const auto& [k, by_year] : fuel) {
      const Pipeline& p = s0.pipelines[k];
      Node f;
      f.id = kFuelPrefix + p.id;
      f.kind = NodeKind::Demand;
      f.commodity = Commodity::Gas;
      f.priority = 1;
      for (const Node& n : s0.nodes)
        if (n.id == p.from) f.country = n.country;
      Series d;
      for (int y = s0.horizon.start_year; y <= s0.horizon.end_year; ++y)
        d.points[y] = by_year.count(y) ? by_year.at(y) : 0.0;
      f.demand = d;
      f.where = p.where;
      s.nodes.push_back(f);
      Pipeline arc;
      arc.id = kFuelPrefix + p.id;
      arc.from = p.from;
      arc.to = f.id;
      arc.commodity = Commodity::Gas;
      arc.capacity = d;
      arc.where = p.where;
      s.pipelines.push_back(arc);
    }
    out.result = simulate(s);
    ++out.iterations;
    last = &out.result;
    if (out.result.failure) break;
  }
  out.converged = out.fuel_change <= kApplyFuelTolerance;
  if (!out.result.failure) out.study = Study(out.result, s0, law).run();
  return out;
}

}  // namespace corridor
