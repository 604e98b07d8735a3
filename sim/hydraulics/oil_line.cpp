// Oil pipeline hydraulics (oil_hydraulics.h): one line with pump stations.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "corridor/hydraulics.h"
#include "corridor/oil_hydraulics.h"

namespace corridor {

namespace {

constexpr double kApiK0 = 613.9723;  // API MPMS 11.1 (1980), crude oils: alpha = K0 / rho15^2
// A station raises the pressure to exactly what the next point needs; the forward march then
// arrives at it up to round-off, which must not count as falling short.
constexpr double kSlack = 1.0 - 1e-12;

double height_at(const OilLine& line, double x) {
  const auto& pr = line.profile;
  if (pr.empty()) return 0.0;
  if (x <= pr.front().first) return pr.front().second;
  if (x >= pr.back().first) return pr.back().second;
  const auto it = std::upper_bound(pr.begin(), pr.end(), x,
                                   [](double v, const auto& p) { return v < p.first; });
  const auto& b = *it;
  const auto& a = *(it - 1);
  return a.second + (b.second - a.second) * (x - a.first) / (b.first - a.first);
}

void check_line(const OilLine& line) {
  auto bad = [&](const std::string& what) {
    throw std::invalid_argument("oil line '" + line.id + "': " + what);
  };
  if (!(line.length_m > 0.0) || !(line.inner_diameter_m > 0.0) || !(line.roughness_m >= 0.0))
    bad("length and inner diameter must be positive, roughness not negative");
  if (!line.profile.empty()) {
    if (line.profile.front().first != 0.0 || line.profile.back().first != line.length_m)
      bad("the height profile must start at 0 km and end at the line's length");
    for (std::size_t i = 1; i < line.profile.size(); ++i)
      if (!(line.profile[i].first > line.profile[i - 1].first))
        bad("the height profile's distances must increase");
  }
  for (std::size_t i = 0; i < line.stations.size(); ++i) {
    const auto& s = line.stations[i];
    if (!(s.position_m >= 0.0) || !(s.position_m < line.length_m))
      bad("pump station '" + s.id + "' is not on the line");
    if (i > 0 && !(s.position_m > line.stations[i - 1].position_m))
      bad("pump stations must be in order of position, at different places");
    if (!(s.efficiency > 0.0 && s.efficiency <= 1.0))
      bad("pump station '" + s.id + "': efficiency must be in (0, 1]");
  }
}

template <class... Args>
std::string fmt(const std::string& f, Args... args) {
  char buf[240];
  std::snprintf(buf, sizeof buf, f.c_str(), args...);
  return buf;
}

}  // namespace

double oil_density(const OilProperties& oil, double temperature_c) {
  const double rho15 = oil.density_15c_kg_per_m3;
  const double alpha = kApiK0 / (rho15 * rho15);
  const double dt = temperature_c - 15.0;
  return rho15 * std::exp(-alpha * dt * (1.0 + 0.8 * alpha * dt));
}

double oil_kinematic_viscosity(const OilProperties& oil, double temperature_c) {
  // log10 log10(nu_cSt + 0.7) = A - B log10(T_K), through the two points.
  auto w = [](double nu_m2_s) { return std::log10(std::log10(nu_m2_s * 1e6 + 0.7)); };
  const double t1 = std::log10(oil.viscosity_t1_c + kKelvinAtZeroCelsius);
  const double t2 = std::log10(oil.viscosity_t2_c + kKelvinAtZeroCelsius);
  const double w1 = w(oil.kinematic_viscosity_t1_m2_per_s);
  const double w2 = w(oil.kinematic_viscosity_t2_m2_per_s);
  const double b = (w1 - w2) / (t2 - t1);
  const double a = w1 + b * t1;
  const double t = std::log10(temperature_c + kKelvinAtZeroCelsius);
  return (std::pow(10.0, std::pow(10.0, a - b * t)) - 0.7) * 1e-6;
}

OilLineState solve_oil_line(const OilLine& line, const OilProperties& oil,
                            double mass_flow_kg_per_s) {
  check_line(line);
  constexpr double g = kStandardGravityMPerS2;
  OilLineState st;
  st.mass_flow_kg_per_s = mass_flow_kg_per_s;
  const double rho = oil_density(oil, line.temperature_c);
  const double nu = oil_kinematic_viscosity(oil, line.temperature_c);
  const double d = line.inner_diameter_m;
  const double area = std::numbers::pi * d * d / 4.0;
  const double q_vol = mass_flow_kg_per_s / rho;
  st.density_kg_per_m3 = rho;
  st.velocity_m_per_s = q_vol / area;
  st.reynolds = std::abs(st.velocity_m_per_s) * d / nu;
  st.friction_factor = colebrook_friction(st.reynolds, d, line.roughness_m);
  const double v = st.velocity_m_per_s;
  const double grad = st.friction_factor / d * v * std::abs(v) / (2.0 * g);  // head per metre
  st.friction_head_m_per_km = grad * 1e3;
  const double rg = rho * g;

  // Points: the profile, the stations and the ends.
  std::vector<double> xs = {0.0, line.length_m};
  for (const auto& p : line.profile) xs.push_back(p.first);
  for (const auto& s : line.stations) xs.push_back(s.position_m);
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  // Pressure drop from x0 to x1 (friction and climb), Pa.
  auto drop = [&](double x0, double x1) {
    return rg * (grad * (x1 - x0) + height_at(line, x1) - height_at(line, x0));
  };

  // Backward: the discharge each station needs for the line downstream of it.
  const std::size_t k = line.stations.size();
  std::vector<double> need(k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    const double s0 = line.stations[i].position_m;
    const bool last = i + 1 == k;
    const double s1 = last ? line.length_m : line.stations[i + 1].position_m;
    double req = (last ? line.delivery_pressure_pa : line.min_suction_pressure_pa) + drop(s0, s1);
    for (double x : xs)
      if (x > s0 && x <= s1) req = std::max(req, line.min_line_pressure_pa + drop(s0, x));
    need[i] = req;
  }

  // Forward: pressures along the line, stations raising to what is needed.
  std::vector<std::string>& viol = st.violations;
  auto violate = [&](const std::string& kind, const std::string& what) {
    if (st.first_limit.empty()) st.first_limit = kind;
    viol.push_back(kind + ": " + what);
  };
  double p = line.inlet_pressure_pa;  // at the current point, after any station there
  double x_prev = 0.0;
  std::size_t next = 0;
  for (double x : xs) {
    const double px = p - drop(x_prev, x);
    double after = px;
    if (next < k && line.stations[next].position_m == x) {
      const auto& s = line.stations[next];
      PumpStationState ps;
      ps.id = s.id;
      ps.suction_pa = px;
      ps.discharge_pa = std::max(px, need[next]);
      ps.head_m = (ps.discharge_pa - px) / rg;
      ps.power_w = rg * q_vol * ps.head_m / s.efficiency;
      if (x > 0.0 && px < line.min_suction_pressure_pa * kSlack)
        violate("suction", fmt("station '" + s.id + "' suction %.4g bar, below %.4g bar", px / 1e5,
                               line.min_suction_pressure_pa / 1e5));
      if (ps.head_m > s.max_head_m * (1.0 + 1e-12))
        violate("head", fmt("station '" + s.id + "' needs %.5g m of head, has %.5g m", ps.head_m,
                            s.max_head_m));
      if (ps.power_w > s.max_power_w * (1.0 + 1e-12))
        violate("power", fmt("station '" + s.id + "' needs %.5g MW, has %.5g MW", ps.power_w / 1e6,
                             s.max_power_w / 1e6));
      st.total_power_w += ps.power_w;
      after = ps.discharge_pa;
      st.stations.push_back(ps);
      ++next;
    } else if (x > 0.0 && x < line.length_m && px < line.min_line_pressure_pa * kSlack) {
      violate("line pressure", fmt("%.6g km at %.4g bar, below the minimum %.4g bar", x / 1e3,
                                   px / 1e5, line.min_line_pressure_pa / 1e5));
    }
    if (after > line.max_pressure_pa * (1.0 + 1e-12))
      violate("MAOP", fmt("%.6g km at %.4g bar, above the MAOP %.4g bar", x / 1e3, after / 1e5,
                          line.max_pressure_pa / 1e5));
    st.pressure_profile.emplace_back(x, after);
    p = after;
    x_prev = x;
  }
  st.delivery_pa = p;
  if (p < line.delivery_pressure_pa * kSlack)
    violate("delivery pressure",
            fmt("%.4g bar at the end, below %.4g bar", p / 1e5, line.delivery_pressure_pa / 1e5));
  return st;
}

OilLineCapacity oil_line_capacity(const OilLine& line, const OilProperties& oil) {
  OilLineCapacity cap;
  auto feasible = [&](double m) { return solve_oil_line(line, oil, m).feasible(); };
  // A feasible flow to start from: a trickle may not be one (downhill, a point can sit above
  // the MAOP when almost nothing flows), so try a geometric grid too.
  double lo = 0.0;
  bool found = feasible(1e-9);
  for (double m = 1e-3; !found && m <= 1e7; m *= 2.0)
    if (feasible(m)) lo = m, found = true;
  if (!found) {
    cap.at_capacity = solve_oil_line(line, oil, 1e-9);
    cap.limit = cap.at_capacity.first_limit;
    return cap;
  }
  double hi = std::max(2.0 * lo, 1.0);
  while (feasible(hi)) {
    lo = hi;
    hi *= 2.0;
    if (hi > 1e8) break;  // unbounded for practical purposes
  }
  for (int i = 0; i < 200 && hi - lo > 1e-7 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (feasible(mid) ? lo : hi) = mid;
  }
  cap.max_mass_flow_kg_per_s = lo;
  cap.at_capacity = solve_oil_line(line, oil, lo);
  cap.limit = solve_oil_line(line, oil, hi).first_limit;
  return cap;
}

}  // namespace corridor
