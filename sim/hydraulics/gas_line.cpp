// One gas transmission line with compressor stations (gas_line.h).
#include "corridor/gas_line.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace corridor {

namespace {

template <class... Args>
std::string fmt(const std::string& f, Args... args) {
  char buf[240];
  std::snprintf(buf, sizeof buf, f.c_str(), args...);
  return buf;
}

void check_line(const GasLine& line) {
  auto bad = [&](const std::string& what) {
    throw std::invalid_argument("gas line '" + line.id + "': " + what);
  };
  if (!(line.length_m > 0.0) || !(line.inner_diameter_m > 0.0) ||
      !(line.roughness_m > 0.0 && line.roughness_m < line.inner_diameter_m))
    bad("length, inner diameter and roughness must be positive, roughness below the diameter");
  if (!(line.max_pressure_pa > 0.0) || !(line.inlet_pressure_pa > 0.0) ||
      !(line.min_pressure_pa > 0.0))
    bad("the MAOP, inlet and minimum pressures must be positive");
  for (std::size_t i = 0; i < line.stations.size(); ++i) {
    const auto& s = line.stations[i];
    if (!(s.position_m >= 0.0) || !(s.position_m < line.length_m))
      bad("station '" + s.id + "' is not on the line");
    if (i > 0 && !(s.position_m > line.stations[i - 1].position_m))
      bad("stations must be in order of position, at different places");
    if (!(s.isentropic_efficiency > 0.0 && s.isentropic_efficiency <= 1.0) ||
        !(s.drive_efficiency > 0.0 && s.drive_efficiency <= 1.0))
      bad("station '" + s.id + "': efficiencies must lie in (0, 1]");
  }
}

struct Segment {
  const GasLine& line;
  const GasProperties& gas;
  const HydraulicOptions& law;
  CompressibilityModel zm;  // built once per line solve

  double height(double x) const {
    return line.height_start_m + (line.height_end_m - line.height_start_m) * x / line.length_m;
  }
  double friction(double q) const {
    const double d = line.inner_diameter_m, k = line.roughness_m;
    if (law.friction == FrictionLaw::Nikuradse) return nikuradse_friction(d, k);
    const double re = 4.0 * std::abs(q) / (std::numbers::pi * d * gas.dynamic_viscosity_pa_s);
    return law.friction == FrictionLaw::Hofer ? hofer_friction(re, d, k)
                                              : colebrook_friction(re, d, k);
  }
  /// The pressure at x1 from p0 at x0 with flow q; negative when p^2 would fall to 0 or below.
  double end_pressure(double p0, double q, double x0, double x1) const {
    const double rs = gas.specific_gas_constant(), t = gas.temperature_k;
    const double d = line.inner_diameter_m;
    const double lam = friction(q);
    const double dh = height(x1) - height(x0);
    double p1 = p0;
    for (int k = 0; k < 60; ++k) {
      const double z = zm.z(mean_pipe_pressure(p0, std::max(p1, 1.0)));
      const double s = 2.0 * kStandardGravityMPerS2 * dh / (rs * z * t);
      const double phi = s == 0.0 ? 1.0 : std::expm1(s) / s;
      const double big = 16.0 * lam * rs * z * t * (x1 - x0) /
                         (std::numbers::pi * std::numbers::pi * std::pow(d, 5));
      const double sq = (p0 * p0 - big * phi * q * std::abs(q)) * std::exp(-s);
      if (!(sq > 0.0)) return -1.0;
      const double next = std::sqrt(sq);
      const bool done = std::abs(next - p1) <= 1e-13 * p0;
      p1 = next;
      if (done) break;
    }
    return p1;
  }
  double velocity(double p, double q) const {
    const double rho = p / (zm.z(p) * gas.specific_gas_constant() * gas.temperature_k);
    const double area = std::numbers::pi * line.inner_diameter_m * line.inner_diameter_m / 4.0;
    return q / (rho * area);
  }
};

}  // namespace

GasLineState solve_gas_line(const GasLine& line, const GasProperties& gas,
                            double inlet_flow_kg_per_s, const HydraulicOptions& law,
                            double profile_step_m) {
  check_line(line);
  const Segment seg{line, gas, law,
                    compressibility_model(law.compressibility, gas, law.constant_z)};
  if (!seg.zm.error.empty())
    throw std::invalid_argument("gas line '" + line.id + "': " + seg.zm.error);
  GasLineState st;
  st.inlet_flow_kg_per_s = inlet_flow_kg_per_s;
  auto violate = [&](const std::string& kind, const std::string& what) {
    if (st.first_limit.empty()) st.first_limit = kind;
    st.violations.push_back(kind + ": " + what);
  };
  // Points: stations, the profile steps and the end.
  std::vector<double> xs = {line.length_m};
  for (const auto& s : line.stations) xs.push_back(s.position_m);
  if (profile_step_m > 0.0)
    for (double x = profile_step_m; x < line.length_m; x += profile_step_m) xs.push_back(x);
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());

  const double hv_j_per_kg = gas.heating_value_j_per_m3 / gas.normal_density_kg_per_m3;
  double q = inlet_flow_kg_per_s;
  double p = line.inlet_pressure_pa;
  double x_prev = 0.0;
  std::size_t next = 0;
  bool collapsed = false;
  // What capped the discharge of the last station passed: it names a suction or delivery
  // pressure that falls short (MAOP when the station reached it).
  std::string cap = "MAOP";
  st.pressure_profile.emplace_back(0.0, p);
  if (line.stations.empty() || line.stations.front().position_m > 0.0) {
    if (p > line.max_pressure_pa * (1.0 + 1e-12))
      violate("MAOP", fmt("the inlet at %.4g bar is above the MAOP %.4g bar", p / 1e5,
                          line.max_pressure_pa / 1e5));
  }
  for (double x : xs) {
    if (x > x_prev) {
      const double px = seg.end_pressure(p, q, x_prev, x);
      if (px < 0.0) {
        collapsed = true;
        const bool station_next = next < line.stations.size();
        violate(cap == "MAOP" && !station_next ? "delivery pressure" : cap,
                fmt("the pressure falls to zero before %.6g km", x / 1e3));
        break;
      }
      st.max_velocity_m_per_s = std::max(st.max_velocity_m_per_s, seg.velocity(px, q));
      p = px;
      st.pressure_profile.emplace_back(x, p);
    }
    x_prev = x;
    if (next < line.stations.size() && line.stations[next].position_m == x) {
      const auto& s = line.stations[next];
      CompressorState cs;
      cs.id = s.id;
      cs.suction_pa = p;
      cs.flow_kg_per_s = q;
      if (x > 0.0 && p < line.min_pressure_pa * (1.0 - 1e-12))
        violate(cap, fmt("station '" + s.id + "' suction %.4g bar, below the minimum %.4g bar",
                         p / 1e5, line.min_pressure_pa / 1e5));
      if (p > line.max_pressure_pa * (1.0 + 1e-12))
        violate("MAOP", fmt("station '" + s.id + "' suction %.4g bar, above the MAOP %.4g bar",
                            p / 1e5, line.max_pressure_pa / 1e5));
      // Discharge: the MAOP, or as high as the station's ratio and power allow.
      double out = std::max(p, line.max_pressure_pa);
      cap = "MAOP";
      if (p * s.max_ratio < out) {
        out = std::max(p, p * s.max_ratio);
        cap = "ratio";
      }
      if (std::isfinite(s.max_power_w) && q > 0.0 && out > p &&
          isentropic_power_w(gas, seg.zm, q, p, out, s.isentropic_efficiency) > s.max_power_w) {
        // P = q z R_s T kappa/(kappa-1) ((out/p)^e - 1) / eta with e = (kappa-1)/kappa.
        const double kappa = gas.isentropic_exponent, e = (kappa - 1.0) / kappa;
        const double head = seg.zm.z(p) * gas.specific_gas_constant() * gas.temperature_k / e;
        out = p * std::pow(1.0 + s.max_power_w * s.isentropic_efficiency / (q * head), 1.0 / e);
        cap = "power";
      }
      cs.discharge_pa = out;
      cs.ratio = cs.discharge_pa / p;
      cs.power_w = isentropic_power_w(gas, seg.zm, q, p, cs.discharge_pa, s.isentropic_efficiency);
      if (cs.power_w > 0.0)
        cs.fuel_kg_per_s = std::isnan(s.fuel_share)
                               ? cs.power_w / (s.drive_efficiency * hv_j_per_kg)
                               : s.fuel_share * q;
      cs.cap = cap;
      st.total_power_w += cs.power_w;
      st.total_fuel_kg_per_s += cs.fuel_kg_per_s;
      q -= cs.fuel_kg_per_s;
      p = cs.discharge_pa;
      st.pressure_profile.emplace_back(x, p);
      st.stations.push_back(cs);
      ++next;
    }
  }
  st.delivered_kg_per_s = q;
  st.delivery_pa = collapsed ? 0.0 : p;
  if (!collapsed && p < line.min_pressure_pa * (1.0 - 1e-12))
    violate(cap == "MAOP" ? "delivery pressure" : cap,
            fmt("%.4g bar at the end, below the minimum %.4g bar", p / 1e5,
                line.min_pressure_pa / 1e5));
  return st;
}

GasLineCapacity gas_line_capacity(const GasLine& line, const GasProperties& gas,
                                  const HydraulicOptions& law) {
  GasLineCapacity cap;
  auto feasible = [&](double q) { return solve_gas_line(line, gas, q, law).feasible(); };
  // A feasible flow to start from. A trickle may not be one: downhill, a station's discharge
  // at the MAOP arrives above the MAOP at the next station when almost nothing flows.
  double lo = 0.0;
  bool found = feasible(1e-9);
  for (double q = 1e-3; !found && q <= 1e7; q *= 2.0)
    if (feasible(q)) lo = q, found = true;
  if (!found) {
    cap.at_capacity = solve_gas_line(line, gas, 1e-9, law);
    cap.limit = cap.at_capacity.first_limit;
    return cap;
  }
  double hi = std::max(2.0 * lo, 1.0);
  while (feasible(hi)) {
    lo = hi;
    hi *= 2.0;
    if (hi > 1e9) break;
  }
  for (int i = 0; i < 200 && hi - lo > 1e-7 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (feasible(mid) ? lo : hi) = mid;
  }
  cap.max_inlet_flow_kg_per_s = lo;
  cap.at_capacity = solve_gas_line(line, gas, lo, law);
  cap.limit = solve_gas_line(line, gas, hi, law).first_limit;
  return cap;
}

int gas_stations_needed(const GasLine& line, const CompressorSite& station,
                        const GasProperties& gas, double target_inlet_flow_kg_per_s,
                        const HydraulicOptions& law, int max_count) {
  GasLine l = line;
  for (int n = 1; n <= max_count; ++n) {
    l.stations.clear();
    for (int k = 0; k < n; ++k) {
      CompressorSite s = station;
      s.id = std::to_string(k + 1);
      s.position_m = line.length_m * k / n;
      l.stations.push_back(s);
    }
    if (solve_gas_line(l, gas, target_inlet_flow_kg_per_s, law).feasible()) return n;
  }
  return -1;
}

}  // namespace corridor
