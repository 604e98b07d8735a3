#pragma once
/// \file Steady-state gas network hydraulics: nodal pressures and element flows of an
/// isothermal gas network with pipes, resistors, valves, compressor stations and regulators.
///
/// The model is fixed so that results can be compared with the literature. It is the
/// isothermal stationary model of Pfetsch et al. (2012), "Validation of nominations in gas
/// network optimization: models, methods, and solutions", ZIB-Report 12-41 (Optim. Methods
/// Softw. 30(1), 2015), also used by GasLib (Schmidt et al. 2017, Data 2(4):40) and set out in
/// Koch, Hiller, Pfetsch & Schewe (eds.), "Evaluating Gas Network Capacities", SIAM 2015, ch. 2:
///
///   - Pipe (length L, inner diameter D, roughness k, heights h_in, h_out), mass flow q in kg/s,
///     positive from `from` to `to`:
///         p_in^2 - e^S p_out^2 = Lambda * (e^S - 1)/S * q|q|,
///         Lambda = 16 lambda R_s z_m T L / (pi^2 D^5),   S = 2 g (h_out - h_in) / (R_s z_m T),
///     with R_s = R/M, z_m = z(p_m, T) at the mean pressure
///         p_m = 2/3 (p_in + p_out - p_in p_out / (p_in + p_out)),
///     and (e^S - 1)/S = 1 at S = 0 (computed as expm1(S)/S, exact for small S).
///   - Friction factor lambda: Nikuradse (fully rough, the default)
///         lambda = (2 log10(D/k) + 1.138)^-2;
///     or Colebrook-White  1/sqrt(lambda) = -2 log10(2.51/(Re sqrt(lambda)) + k/(3.71 D)),
///     or Hofer  lambda = (2 log10(4.518/Re log10(Re/7) + k/(3.71 D)))^-2, with
///     Re = 4|q|/(pi D eta). Both turbulent laws hold for Re >= 4000; below that lambda is
///     held at its Re = 4000 value, so zero flow stays well defined (documented, not physical).
///   - Compressibility z: Papay (the default)
///         z = 1 - 3.52 p_r e^(-2.26 T_r) + 0.274 p_r^2 e^(-1.878 T_r),
///     the AGA-88 formula (Koch et al. 2015, ch. 2; for pressures up to about 70 bar)
///         z = 1 + 0.257 p_r - 0.533 p_r/T_r,
///     with p_r = p_m/p_c and T_r = T/T_c (pseudo-critical p_c, T_c); the AGA-8 gross
///     characterisation method (aga8_gross.h: a virial equation Z = 1 + B D + C D^2 in the molar
///     density, B and C from the molar mass, the CO2 fraction and the heating value (Method 1)
///     or the N2 fraction (Method 2)); or a constant z (HydraulicOptions::constant_z).
///   - Resistor (drag factor zeta, diameter D): p_in - p_out = zeta rho_m v^2 / 2, with the
///     density at the arithmetic mean pressure of the ends, which written in squares is
///         p_in^2 - p_out^2 = 16 zeta R_s z_m T / (pi^2 D^4) * q|q|.
///     (GasLib takes the density at the inlet; the difference is second order in the drop.)
///   - Open valve, short pipe, station or regulator in bypass: p_in = p_out. Closed: no flow.
///   - Compressor station: outlet pressure given (`OutletPressure`) or p_out = ratio * p_in
///     (`Ratio`); its flow is whatever mass balance needs. Power, isentropic with efficiency
///     eta:  P = q z_in R_s T kappa/(kappa - 1) ((p_out/p_in)^((kappa-1)/kappa) - 1) / eta.
///     Fuel: a share of the throughput, or P / (drive efficiency * heating value). Fuel is
///     reported, not withdrawn from the network.
///   - Regulator (control valve): outlet pressure given.
///   - Normal conditions: 0 °C and 1.01325 bar (GasLib); all quantities here are SI.
///
/// A station or regulator is never silently capped: a station that would need more power
/// or ratio than it has, a regulator whose inlet is below its set point, reverse flow, and
/// every node outside its pressure bounds or pipe above its MAOP come back as violations next
/// to the solution of the model as posed.
///
/// Method. Newton-Raphson on the squared pressures pi = p^2 of the free nodes and the flows of
/// the branches (pipes, resistors) and of every station or regulator that sets a pressure: the
/// global gradient method of Todini & Pilati (1988). Each step linearises every branch law
/// around its current flow; eliminating the flow changes leaves a system in the nodal
/// pressures alone (mass balance at every node whose pressure is not set and at each outlet
/// that is, p_out^2 = ratio^2 p_in^2 per ratio station), the matrix of a nodal Newton. Mass
/// balance is linear in the flows, so every full step satisfies it; the laws are smooth at
/// q = 0, which the nodal form q = sqrt(dpi / Lambda) is not, and that is what lets meshes
/// with zero and near-zero flows converge.
///   - Start: two linear solves with the pipes as linear resistances (Lambda times a typical
///     flow, then each pipe's flow from the first solve). Backtracking (Armijo) line search on
///     the mass-balance residuals and the law residuals in flow units.
///   - Near q = 0 the iteration uses q sqrt(q^2 + q_s^2) for q|q|, with q_s per pipe such that
///     the friction term changes by at most eps p_ref^2; eps shrinks from 1e-9 by 100 per
///     iteration (straight to the end once the residuals are below 1e-6) to 1e-18, below the
///     round-off of p^2, and convergence is declared only there: the answer is the model's.
///   - Squared pressures are carried as relative offsets from a base per zone (the square of
///     its highest set pressure), so differences across short wide pipes keep their digits.
///   - Horizontal networks of pipes, resistors, valves and ratio stations: the matrix without
///     its z(p_m) terms is symmetric (after a height scaling), and Eigen SimplicialLDLT
///     factorises it, with the unknowns numbered in its fill-reducing (AMD) order so that no
///     permuted copy is made per step; a defect correction against the exact matrix (one or
///     two passes) makes each step an exact Newton step. Otherwise (heights, stations or
///     regulators that set a pressure, or JacobianChoice::Exact) the exact matrix goes to an
///     LU factorisation: KLU (SuiteSparse; Davis & Palamadai Natarajan 2010, made for the
///     sparse, nearly structurally symmetric matrices of circuit simulation), or Eigen's
///     SparseLU with HydraulicOptions::lu. KLU pivots in the first factorisation of a solve and
///     reuses that pivot order afterwards (klu_refactor, values only); a step solved with
///     reused pivots is checked (componentwise backward error at most 1e-12, where a stable
///     factorisation gives about 1e-16) and refactorised with pivoting if it is not.
///     Patterns and orderings are analysed once per solve (bench/README.md has the timings).
///   - Ratio stations are merged exactly: the outlet zone's base is ratio^2 times the inlet's,
///     so inlet and outlet share one unknown. Nodes joined by open valves and bypasses are
///     merged too; the flows of merged elements are found on a spanning tree afterwards
///     (chords of parallel valves carry zero). Dead ends with no injection are removed first:
///     their flow is zero and their pressure follows hydrostatically.
///   - Before any iteration the rule is checked for being well posed: every part joined by
///     pipes, resistors and ratio stations needs a set pressure (a reference node or a
///     station/regulator outlet), every connected part a reference node, and no node may have
///     its pressure set twice. A rule that is not well posed is the status IllPosed, naming
///     the stations and nodes.
///
/// Nothing here throws on numerical trouble: non-convergence, a singular Jacobian or a
/// pressure below zero are statuses with a message naming the cause.
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/aga8_gross.h"

namespace corridor {

// Physical constants and SI conversion factors used by the hydraulics (exact by definition).
inline constexpr double kGasConstantJPerMolK = 8.314462618;  ///< CODATA 2018, exact
inline constexpr double kStandardGravityMPerS2 = 9.80665;    ///< CGPM 1901, exact
inline constexpr double kNormalPressurePa = 101325.0;        ///< 1.01325 bar (GasLib "normal")
inline constexpr double kNormalTemperatureK = 273.15;        ///< 0 °C (GasLib "normal")
inline constexpr double kPascalPerBar = 1e5;
inline constexpr double kKelvinAtZeroCelsius = 273.15;
inline constexpr double kSecondsPerHour = 3600.0;
inline constexpr double kSecondsPerDay = 86400.0;

enum class FrictionLaw { Nikuradse, ColebrookWhite, Hofer };
/// Aga88 is the AGA-88 formula of Koch et al. (2015), Aga8Gross AGA Report No. 8's gross
/// characterisation method (aga8_gross.h).
enum class CompressibilityLaw { Papay, Aga88, Aga8Gross, Constant };

std::string_view friction_law_name(FrictionLaw f);
std::string_view compressibility_law_name(CompressibilityLaw z);

/// The gas, one composition for the whole network (the model is isothermal at temperature_k).
/// Defaults: the gas of GasLib-11's sources (Schmidt et al. 2017; Pfetsch et al. 2012) at
/// 10 °C; kappa from their heat-capacity coefficients c_p = A + B T + C T^2 at 10 °C; the
/// dynamic viscosity 1e-5 Pa s of Pfetsch et al. (2012, Table 1).
struct GasProperties {
  double molar_mass_kg_per_mol = 0.0185674;
  double pseudo_critical_pressure_pa = 45.9293457336e5;
  double pseudo_critical_temperature_k = 188.549758911;
  double temperature_k = 283.15;
  double normal_density_kg_per_m3 = 0.785;          ///< density at 0 °C, 1.01325 bar
  double heating_value_j_per_m3 = 36.4543670654e6;  ///< gross, per normal m3
  double isentropic_exponent = 1.307;               ///< kappa = c_p / c_v
  double dynamic_viscosity_pa_s = 1e-5;             ///< for Re in Colebrook-White and Hofer
  /// For AGA-8 gross: mole fractions of CO2 and N2. N2 NaN (not known) selects Method 1
  /// (molar mass, heating_value_j_per_m3 taken at 0 °C and 1.01325 bar with combustion at
  /// 25 °C, CO2); a value selects Method 2 (molar mass, N2, CO2).
  double co2_mole_fraction = 0.0;
  double n2_mole_fraction = std::numeric_limits<double>::quiet_NaN();

  /// R_s = R / M, J/(kg K).
  double specific_gas_constant() const { return kGasConstantJPerMolK / molar_mass_kg_per_mol; }
};

/// Combustion reference of heating_value_j_per_m3 for AGA-8 gross Method 1: 25 °C (ISO 6976's
/// and AGA-8's usual one; an assumption, the scenario format does not say).
inline constexpr double kAga8HeatingValueTemperatureK = 298.15;

/// The inputs of AGA-8 gross for `gas`: its molar mass, the CO2 fraction, and the N2 fraction
/// (Method 2) or else the heating value (Method 1), at corridor's normal conditions.
Aga8GrossInput aga8_gross_input(const GasProperties& gas);

/// z(p) at the gas's temperature by one law, with what depends only on the gas evaluated once
/// (Papay's exponentials, the AGA-8 characterisation and virial coefficients).
struct CompressibilityModel {
  CompressibilityLaw law = CompressibilityLaw::Papay;
  double z0 = 1.0, a = 0.0, b = 0.0;  ///< Papay, AGA-88, constant: z = z0 + a p + b p^2
  double virial_b_dm3_per_mol = 0.0;  ///< AGA-8 gross at the gas's temperature
  double virial_c_dm6_per_mol2 = 0.0;
  double temperature_k = 0.0;
  /// Why the model cannot be used (AGA-8: inputs that contradict each other), naming the
  /// inputs; empty when it can.
  std::string error;
  /// z at pressure p (Pa). AGA-8 gross: the gas root of its virial equation (NaN if none).
  double z(double pressure_pa) const;
  /// dz/dp at p, per Pa; AGA-8 gross analytically, from the same root.
  double dz_dp(double pressure_pa) const;
};

/// The model of `law` for `gas`; `constant_z` is the z of CompressibilityLaw::Constant.
CompressibilityModel compressibility_model(CompressibilityLaw law, const GasProperties& gas,
                                           double constant_z = 1.0);
/// z(p, T) by the chosen law; pressure in Pa (builds the model each call: for single values).
double compressibility(CompressibilityLaw law, const GasProperties& gas, double pressure_pa,
                       double constant_z = 1.0);
/// dz/dp at p, per Pa.
double compressibility_derivative(CompressibilityLaw law, const GasProperties& gas,
                                  double pressure_pa, double constant_z = 1.0);
/// The mean pressure p_m = 2/3 (a + b - a b / (a + b)) of a pipe with end pressures a, b.
double mean_pipe_pressure(double a_pa, double b_pa);
/// Nikuradse's fully rough friction factor for diameter D and roughness k (same unit).
double nikuradse_friction(double diameter, double roughness);
/// Colebrook-White, solved by fixed point from the Swamee-Jain value; Re below 4000 is
/// taken as 4000. Also used for oil.
double colebrook_friction(double reynolds, double diameter, double roughness);
/// Swamee & Jain (1976) explicit approximation of Colebrook-White (the start value).
double swamee_jain_friction(double reynolds, double diameter, double roughness);
/// Hofer's explicit approximation of Colebrook-White; Re below 4000 is taken as 4000.
double hofer_friction(double reynolds, double diameter, double roughness);

// ---------------------------------------------------------------------------------------------
// The network. Indices into `nodes` connect the elements; every quantity is SI, units in names.

struct HydraulicNode {
  std::string id;
  double height_m = 0.0;
  double pressure_min_pa = 0.0;
  double pressure_max_pa = std::numeric_limits<double>::infinity();
  /// Supply (> 0) or withdrawal (< 0). Ignored at a node with a set pressure, whose
  /// injection is a result.
  double injection_kg_per_s = 0.0;
  /// A reference node: its pressure is given and its injection balances the network.
  std::optional<double> set_pressure_pa;
};

struct HydraulicPipe {
  std::string id;
  int from = -1;
  int to = -1;
  double length_m = 0.0;
  double diameter_m = 0.0;  ///< inner diameter
  double roughness_m = 0.0;
  double max_pressure_pa = std::numeric_limits<double>::infinity();  ///< MAOP
};

struct HydraulicResistor {
  std::string id;
  int from = -1;
  int to = -1;
  double drag_factor = 0.0;  ///< zeta, dimensionless
  double diameter_m = 0.0;
};

/// A valve (open or closed) or a short pipe (an always-open valve).
struct HydraulicValve {
  std::string id;
  int from = -1;
  int to = -1;
  bool open = true;
};

/// How a station or regulator runs. Bypass joins inlet and outlet (p_in = p_out); Closed cuts.
enum class StationMode { OutletPressure, Ratio, Bypass, Closed };
std::string_view station_mode_name(StationMode m);

struct HydraulicCompressor {
  std::string id;
  int from = -1;  ///< inlet (suction)
  int to = -1;    ///< outlet (discharge)
  StationMode mode = StationMode::OutletPressure;
  double outlet_pressure_pa = 0.0;  ///< set point in OutletPressure mode
  double ratio = 1.0;               ///< p_out / p_in in Ratio mode
  double max_power_w = std::numeric_limits<double>::infinity();  ///< shaft power available
  double max_ratio = std::numeric_limits<double>::infinity();
  double inlet_pressure_min_pa = 0.0;
  double outlet_pressure_max_pa = std::numeric_limits<double>::infinity();
  double isentropic_efficiency = 0.85;  ///< assumption when the data give none
  /// Fuel as a share of the throughput; when NaN, fuel = power / (drive_efficiency * heating
  /// value).
  double fuel_share = std::numeric_limits<double>::quiet_NaN();
  double drive_efficiency = 0.33;  ///< gas turbine, shaft power over fuel energy (assumption)
};

/// A control valve: holds its outlet at a set point by throttling, flow from inlet to outlet.
struct HydraulicRegulator {
  std::string id;
  int from = -1;
  int to = -1;
  StationMode mode = StationMode::OutletPressure;  ///< OutletPressure, Bypass or Closed
  double outlet_pressure_pa = 0.0;
  double inlet_pressure_min_pa = 0.0;
};

struct HydraulicNetwork {
  GasProperties gas;
  std::vector<HydraulicNode> nodes;
  std::vector<HydraulicPipe> pipes;
  std::vector<HydraulicResistor> resistors;
  std::vector<HydraulicValve> valves;
  std::vector<HydraulicCompressor> compressors;
  std::vector<HydraulicRegulator> regulators;
};

// ---------------------------------------------------------------------------------------------
// Solving.

/// The factorisation of the unsymmetric (exact) Newton matrix.
enum class LuSolver {
  Klu,       ///< SuiteSparse KLU (the default)
  SparseLU,  ///< Eigen's SparseLU (COLAMD ordering), the issue's named solver; for comparison
};

enum class JacobianChoice {
  Auto,       ///< LDLT (with defect correction) on horizontal networks without pressure-setting
              ///< stations or regulators, the exact matrix and an LU (LuSolver) otherwise
  Exact,      ///< always the exact matrix and an LU (LuSolver)
  Symmetric,  ///< LDLT; refused (InvalidInput) when stations or regulators set a pressure. With
              ///< heights, near-zero flows couple unsymmetrically through z in e^S and it may
              ///< fail (a status), which is why Auto does not choose it there
};

struct HydraulicOptions {
  FrictionLaw friction = FrictionLaw::Nikuradse;
  CompressibilityLaw compressibility = CompressibilityLaw::Papay;
  double constant_z = 1.0;  ///< z for CompressibilityLaw::Constant
  JacobianChoice jacobian = JacobianChoice::Auto;
  LuSolver lu = LuSolver::Klu;
  int max_iterations = 60;
  /// Converged when the largest nodal imbalance is at most this times the reference flow (the
  /// total supply), every ratio equation holds to this relative accuracy, and every branch
  /// law to max(tolerance, 1e-9) relative (as pipe_law_residual_rel measures it).
  double tolerance = 1e-11;
  /// Warm start: a pressure per node (Pa), e.g. a previous solution; empty for a cold start.
  std::vector<double> initial_pressure_pa;
};

enum class HydraulicStatus {
  Converged,         ///< the residuals are below the tolerance
  IllPosed,          ///< the rule does not determine the solution; message names the cause
  InvalidInput,      ///< a length, diameter, index ... is unusable; message names it
  NoConvergence,     ///< max_iterations reached; message gives the residual history's end
  LineSearchFailed,  ///< no step along the Newton direction reduces the residual
  SingularJacobian,  ///< the linear solve failed (numerically singular)
  NegativePressure,  ///< needs p^2 <= 0 somewhere (converged there, or failed after reaching
                     ///< it): the flows cannot be carried at these settings
};
std::string_view hydraulic_status_name(HydraulicStatus s);

enum class ViolationKind {
  PressureBelowMin,      ///< node pressure below its minimum
  PressureAboveMax,      ///< node pressure above its maximum
  AboveMaop,             ///< pipe end pressure above its MAOP
  PowerExceeded,         ///< station needs more power than max_power_w
  RatioExceeded,         ///< station needs a higher ratio than max_ratio
  StationWouldThrottle,  ///< station inlet above its outlet (ratio < 1)
  StationReverseFlow,    ///< flow from outlet to inlet through a station or regulator
  SuctionBelowMin,       ///< station inlet below inlet_pressure_min_pa
  DischargeAboveMax,     ///< station outlet above outlet_pressure_max_pa
  RegulatorCannotHold,   ///< regulator inlet below its set point
  Isolated,              ///< node joined to nothing with a pressure; pressure unknown (NaN)
};
std::string_view violation_kind_name(ViolationKind k);

struct HydraulicViolation {
  ViolationKind kind = ViolationKind::PressureBelowMin;
  std::string element;  ///< node or element id
  double value = 0.0;   ///< SI: Pa, W or ratio
  double limit = 0.0;   ///< SI, same unit
};

struct HydraulicResult {
  HydraulicStatus status = HydraulicStatus::InvalidInput;
  std::string message;              ///< empty when converged; otherwise the cause, naming elements
  int iterations = 0;               ///< Newton iterations (each one factorisation)
  int linear_start_iterations = 0;  ///< linear solves of the start (each one factorisation)
  bool used_symmetric_solver = false;  ///< LDLT (true) or an LU (false)
  int refinements = 0;                 ///< defect-correction passes of the LDLT steps, in all
  int lu_fallbacks = 0;                ///< LDLT steps that fell back to the LU (see JacobianChoice)
  /// At the returned point: max nodal imbalance / reference flow, and max over pipes and
  /// resistors of |lhs - rhs| / max(|lhs|, |rhs|, |e^S - 1| p_out^2, 1e-7 p^2) of the law in
  /// squares, lhs = p_in^2 - e^S p_out^2 and rhs the friction term. The last two keep the
  /// measure meaningful at zero flow: the height term, and what double pressures resolve
  /// (lhs carries a round-off of about 4.4e-16 p^2, so 1e-7 p^2 at a 1e-8 check).
  double mass_balance_residual_rel = std::numeric_limits<double>::quiet_NaN();
  double pipe_law_residual_rel = std::numeric_limits<double>::quiet_NaN();
  double reference_flow_kg_per_s = 0.0;
  std::vector<double> residual_history;  ///< scaled residual norm before each iteration

  // Per node (same order as the network): pressure, and injection (the set value, or the
  // balancing result at a node with a set pressure).
  std::vector<double> node_pressure_pa;
  std::vector<double> node_injection_kg_per_s;
  // Per element, positive from `from` to `to`.
  std::vector<double> pipe_flow_kg_per_s;
  std::vector<double> pipe_velocity_m_per_s;  ///< at the lower-pressure end (the highest)
  std::vector<double> pipe_mean_z;
  std::vector<double> resistor_flow_kg_per_s;
  std::vector<double> valve_flow_kg_per_s;
  std::vector<double> compressor_flow_kg_per_s;
  std::vector<double> compressor_ratio;
  std::vector<double> compressor_power_w;
  std::vector<double> compressor_fuel_kg_per_s;
  std::vector<double> regulator_flow_kg_per_s;

  std::vector<HydraulicViolation> violations;

  bool converged() const { return status == HydraulicStatus::Converged; }
};

/// Solves the network once. Never throws for numerical reasons; see HydraulicStatus.
HydraulicResult solve_hydraulics(const HydraulicNetwork& net, const HydraulicOptions& options = {});

// ---------------------------------------------------------------------------------------------
// A simple settings rule for simulating a nomination. Choosing settings that make a nomination
// feasible is nomination validation, an optimisation problem; this is not that.

enum class StationRule {
  MaxOutletPressure,  ///< each station holds the highest outlet pressure its limits allow
  FixedRatio,         ///< each station runs at one ratio (always well posed, rarely physical)
};
std::string_view station_rule_name(StationRule r);

struct StationRuleReport {
  std::vector<int> reference_nodes;  ///< nodes given a set pressure (their maximum)
  std::vector<std::string> closed;   ///< stations left closed (no outlet limit known)
};

/// Sets every compressor station, regulator and reference node of `net` by the rule:
///   - stations: OutletPressure at the lowest maximum pressure of the outlet's zone (nodes
///     joined to it by pipes, resistors and open valves), capped by outlet_pressure_max_pa;
///     or Ratio `ratio` for FixedRatio; a station with no finite limit stays Closed;
///   - regulators: OutletPressure at the lowest maximum pressure of the outlet's zone;
///   - reference nodes: in each connected part of the network, the first of `sources` whose
///     zone (nodes joined by pipes, resistors and open valves) has no station or regulator
///     outlet that sets a pressure, or else the first of `sources` there, gets its maximum
///     pressure as set pressure (its nomination then becomes a result: the balance).
/// Existing set pressures are cleared first. Whether the outcome is well posed is for
/// solve_hydraulics to say (status IllPosed, naming the stations and nodes).
StationRuleReport apply_station_rule(HydraulicNetwork& net, const std::vector<int>& sources,
                                     StationRule rule, double ratio = 1.5);

/// Normal volume flow (m3/s at 0 °C, 1.01325 bar) to mass flow, by the gas's normal density.
double normal_volume_to_mass(const GasProperties& gas, double normal_m3_per_s);
/// Mass flow to normal volume flow, m3/s.
double mass_to_normal_volume(const GasProperties& gas, double kg_per_s);

/// Isentropic compression power (W) for mass flow q (kg/s) from p_in to p_out at the gas
/// temperature, with z at the inlet, efficiency eta. Zero when q <= 0 or p_out <= p_in.
double isentropic_power_w(const GasProperties& gas, const CompressibilityModel& z,
                          double q_kg_per_s, double p_in_pa, double p_out_pa, double efficiency);

/// Residual of the pipe law in squares at the given end pressures and flow, relative as in
/// HydraulicResult::pipe_law_residual_rel; exposed for checks.
double pipe_law_residual_rel(const HydraulicNetwork& net, const HydraulicOptions& options, int pipe,
                             double p_from_pa, double p_to_pa, double q_kg_per_s);
/// The same with the compressibility model built once (for loops over pipes).
double pipe_law_residual(const HydraulicNetwork& net, const HydraulicOptions& options,
                         const CompressibilityModel& z, int pipe, double p_from_pa, double p_to_pa,
                         double q_kg_per_s);

}  // namespace corridor
