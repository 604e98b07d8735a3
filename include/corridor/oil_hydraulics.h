#pragma once
/// \file Steady-state oil (liquid) pipeline hydraulics: one line with pump stations.
///
/// The model, per segment of constant inner diameter D and roughness k at mass flow m:
///   - Darcy-Weisbach: friction head loss h_f = lambda (L / D) v^2 / (2 g), v = m / (rho A);
///   - Colebrook-White for lambda, solved from the Swamee & Jain (1976) explicit value
///     (colebrook_friction in hydraulics.h); Re = v D / nu; below Re = 4000 the turbulent law is
///     frozen at Re = 4000 (crude trunk lines run at Re 1e4-1e6);
///   - elevation: the pressure at distance x along the line is
///     p(x) = p_discharge - rho g (h_f(x) + h(x) - h_station), over a height profile given as
///     points and taken as straight between them;
///   - density at temperature: API MPMS Ch. 11.1 (1980) for crude oils,
///     rho_T = rho_15 exp(-alpha dT (1 + 0.8 alpha dT)), alpha = K0 / rho_15^2, K0 = 613.9723;
///   - kinematic viscosity at temperature: ASTM D341 (Walther),
///     log10 log10(nu_cSt + 0.7) = A - B log10(T_K), through two measured points.
///
/// Operation at a given flow: each pump station raises the pressure only as far as the line
/// downstream needs (the next station's minimum suction, or the delivery pressure, and the
/// minimum line pressure over every profile point), and idles when the arriving pressure is
/// enough. A station is never capped: head, power, discharge above the MAOP, suction below its
/// minimum, a point of the profile below the minimum line pressure or above the MAOP, and a
/// delivery below its pressure come back as violations. The capacity is the largest flow with
/// none, found by bisection (every constraint tightens with flow), with the one that binds.
#include <string>
#include <string_view>
#include <vector>

namespace corridor {

/// Crude oil properties. Defaults: an ESPO-like light sweet blend, an assumption documented in
/// scenarios/README.md (about 35 API: 850 kg/m3 at 15 °C; 10 cSt at 20 °C and 5 cSt at 50 °C).
struct OilProperties {
  double density_15c_kg_per_m3 = 850.0;
  double viscosity_t1_c = 20.0;
  double kinematic_viscosity_t1_m2_per_s = 10e-6;
  double viscosity_t2_c = 50.0;
  double kinematic_viscosity_t2_m2_per_s = 5e-6;
};

/// Density at temperature (API MPMS 11.1 crude oil), kg/m3.
double oil_density(const OilProperties& oil, double temperature_c);
/// Kinematic viscosity at temperature (ASTM D341 through the two points), m2/s.
double oil_kinematic_viscosity(const OilProperties& oil, double temperature_c);

struct PumpStation {
  std::string id;
  double position_m = 0.0;   ///< distance from the start of the line
  double max_head_m = 0.0;   ///< head the station can add
  double max_power_w = 0.0;  ///< hydraulic power / efficiency it can deliver
  double efficiency = 0.8;   ///< pump and driver, hydraulic over shaft (assumption if not given)
};

struct OilLine {
  std::string id;
  double length_m = 0.0;
  double inner_diameter_m = 0.0;
  double roughness_m = 0.0;
  /// Height profile: (distance m, height m) points, distances increasing from 0 to length_m;
  /// empty means flat at 0 m. Heights between points are interpolated linearly.
  std::vector<std::pair<double, double>> profile;
  std::vector<PumpStation> stations;  ///< sorted by position; the first at 0 is the head station
  double max_pressure_pa = 0.0;       ///< MAOP, at every point
  double inlet_pressure_pa = 0.0;  ///< pressure at the start (tank and booster), before any station
  double min_suction_pressure_pa = 0.0;  ///< at the inlet of every station after 0 km
  double min_line_pressure_pa = 0.0;     ///< at every profile point (vapour pressure + margin)
  double delivery_pressure_pa = 0.0;     ///< required at the end
  double temperature_c = 15.0;
};

struct PumpStationState {
  std::string id;
  double suction_pa = 0.0;
  double discharge_pa = 0.0;
  double head_m = 0.0;
  double power_w = 0.0;  ///< shaft power, rho g Q H / efficiency
};

struct OilLineState {
  double mass_flow_kg_per_s = 0.0;
  double density_kg_per_m3 = 0.0;
  double velocity_m_per_s = 0.0;
  double reynolds = 0.0;
  double friction_factor = 0.0;
  double friction_head_m_per_km = 0.0;
  std::vector<PumpStationState> stations;
  std::vector<std::pair<double, double>> pressure_profile;  ///< (distance m, pressure Pa)
  double delivery_pa = 0.0;
  double total_power_w = 0.0;
  std::vector<std::string> violations;  ///< each "limit: where (value vs limit)"; empty if feasible
  std::string first_limit;  ///< MAOP, head, power, suction, line pressure, delivery pressure
  bool feasible() const { return violations.empty(); }
};

/// The line at one mass flow (kg/s). Throws std::invalid_argument on an unusable line
/// (non-positive length or diameter, stations out of order or off the line, a profile that
/// does not start at 0 or end at the length).
OilLineState solve_oil_line(const OilLine& line, const OilProperties& oil,
                            double mass_flow_kg_per_s);

struct OilLineCapacity {
  double max_mass_flow_kg_per_s = 0.0;  ///< 0 when even a trickle is infeasible
  std::string limit;                    ///< what binds just above it
  OilLineState at_capacity;
};

/// Largest feasible mass flow, to 1e-6 relative, by bisection.
OilLineCapacity oil_line_capacity(const OilLine& line, const OilProperties& oil);

}  // namespace corridor
