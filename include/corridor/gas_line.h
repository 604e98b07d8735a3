#pragma once
/// \file One gas transmission line with compressor stations: pressures along it, station
/// power and fuel at a given flow, and its physical capacity.
///
/// The pipe law is hydraulics.h's (the isothermal model of Pfetsch et al. 2012: squared
/// pressures, Nikuradse or Colebrook-White/Hofer friction, Papay/AGA-88/constant z at the mean
/// pressure, the height term), applied segment by segment: from a pressure p_0 at the start of
/// a segment, the end pressure is p_1^2 = (p_0^2 - Lambda (e^S - 1)/S q^2) e^-S with z at the
/// mean pressure of p_0 and p_1 (a fixed point). Heights vary linearly from start to end.
///
/// Operation (the usual rule of capacity studies): every station discharges at the MAOP, or
/// as high as its ratio and power allow when that is less (the station is then at its limit,
/// which is reported, not hidden); the line starts at `inlet_pressure_pa` before the first
/// station; stations burn their fuel from the gas they pass, so the flow falls along the line.
/// The flow is feasible when every station's suction and the delivery reach
/// `min_pressure_pa` and the inlet is not above the MAOP. When one falls short, the limit is
/// what capped the station upstream of it: "MAOP" (it discharged at the MAOP: the pressure
/// window between the MAOP and the minimum is too small for the segment), "ratio" or "power";
/// at the end of a line whose last station reached the MAOP, "delivery pressure". The
/// capacity is the largest inlet flow that is feasible, by bisection, with that limit.
#include <limits>
#include <string>
#include <vector>

#include "corridor/hydraulics.h"

namespace corridor {

struct CompressorSite {
  std::string id;
  double position_m = 0.0;
  double max_power_w = std::numeric_limits<double>::infinity();
  double max_ratio = std::numeric_limits<double>::infinity();
  double isentropic_efficiency = 0.85;
  double drive_efficiency = 0.35;                                ///< shaft power over fuel energy
  double fuel_share = std::numeric_limits<double>::quiet_NaN();  ///< instead, when set
};

struct GasLine {
  std::string id;
  double length_m = 0.0;
  double inner_diameter_m = 0.0;
  double roughness_m = 0.0;
  double height_start_m = 0.0;
  double height_end_m = 0.0;
  std::vector<CompressorSite> stations;  ///< by position; one at 0 is the head station
  double max_pressure_pa = 0.0;          ///< MAOP: every station's discharge
  double inlet_pressure_pa = 0.0;        ///< before any station at 0
  double min_pressure_pa = 0.0;          ///< at every station's suction and at the end
};

struct CompressorState {
  std::string id;
  double suction_pa = 0.0;
  double discharge_pa = 0.0;
  double ratio = 1.0;
  double power_w = 0.0;
  double fuel_kg_per_s = 0.0;
  double flow_kg_per_s = 0.0;  ///< through the station, before its fuel
  std::string cap;             ///< what set the discharge: MAOP, ratio or power
};

struct GasLineState {
  double inlet_flow_kg_per_s = 0.0;
  double delivered_kg_per_s = 0.0;  ///< inlet flow less the fuel
  std::vector<CompressorState> stations;
  std::vector<std::pair<double, double>> pressure_profile;  ///< (distance m, pressure Pa)
  double delivery_pa = 0.0;
  double total_power_w = 0.0;
  double total_fuel_kg_per_s = 0.0;
  double max_velocity_m_per_s = 0.0;
  std::vector<std::string> violations;  ///< "limit: what falls short"; empty if feasible
  std::string first_limit;              ///< MAOP, power, ratio or delivery pressure
  bool feasible() const { return violations.empty(); }
};

/// The line at an inlet mass flow (kg/s). `profile_step_m` adds pressure points between the
/// stations (0: only at stations and the end). Throws std::invalid_argument on an unusable
/// line (non-positive length or diameter, stations off the line or out of order).
GasLineState solve_gas_line(const GasLine& line, const GasProperties& gas,
                            double inlet_flow_kg_per_s, const HydraulicOptions& law = {},
                            double profile_step_m = 0.0);

struct GasLineCapacity {
  double max_inlet_flow_kg_per_s = 0.0;  ///< 0 when even a trickle is infeasible
  std::string limit;
  GasLineState at_capacity;
};

/// Largest feasible inlet flow, to 1e-7 relative.
GasLineCapacity gas_line_capacity(const GasLine& line, const GasProperties& gas,
                                  const HydraulicOptions& law = {});

/// The fewest stations, evenly spaced from 0 km with the limits of `station`, that carry
/// `target_inlet_flow_kg_per_s`; -1 if `max_count` do not.
int gas_stations_needed(const GasLine& line, const CompressorSite& station,
                        const GasProperties& gas, double target_inlet_flow_kg_per_s,
                        const HydraulicOptions& law = {}, int max_count = 200);

}  // namespace corridor
