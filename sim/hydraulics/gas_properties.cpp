// Gas properties, friction factors and compressor power for the hydraulics (hydraulics.h).
#include <algorithm>
#include <cmath>
#include <numbers>
#include <string_view>

#include "corridor/hydraulics.h"

namespace corridor {

namespace {
constexpr double kMinTurbulentReynolds = 4000.0;
}  // namespace

std::string_view friction_law_name(FrictionLaw f) {
  switch (f) {
    case FrictionLaw::Nikuradse:
      return "nikuradse";
    case FrictionLaw::ColebrookWhite:
      return "colebrook-white";
    case FrictionLaw::Hofer:
      return "hofer";
  }
  return "?";
}

std::string_view compressibility_law_name(CompressibilityLaw z) {
  switch (z) {
    case CompressibilityLaw::Papay:
      return "papay";
    case CompressibilityLaw::Aga:
      return "aga-88";
    case CompressibilityLaw::Constant:
      return "constant";
  }
  return "?";
}

double compressibility(CompressibilityLaw law, const GasProperties& gas, double pressure_pa) {
  const double pr = pressure_pa / gas.pseudo_critical_pressure_pa;
  const double tr = gas.temperature_k / gas.pseudo_critical_temperature_k;
  switch (law) {
    case CompressibilityLaw::Papay:
      return 1.0 - 3.52 * pr * std::exp(-2.26 * tr) + 0.274 * pr * pr * std::exp(-1.878 * tr);
    case CompressibilityLaw::Aga:
      return 1.0 + 0.257 * pr - 0.533 * pr / tr;
    case CompressibilityLaw::Constant:
      return gas.constant_z;
  }
  return 1.0;
}

double compressibility_derivative(CompressibilityLaw law, const GasProperties& gas,
                                  double pressure_pa) {
  const double pc = gas.pseudo_critical_pressure_pa;
  const double pr = pressure_pa / pc;
  const double tr = gas.temperature_k / gas.pseudo_critical_temperature_k;
  switch (law) {
    case CompressibilityLaw::Papay:
      return (-3.52 * std::exp(-2.26 * tr) + 2.0 * 0.274 * pr * std::exp(-1.878 * tr)) / pc;
    case CompressibilityLaw::Aga:
      return (0.257 - 0.533 / tr) / pc;
    case CompressibilityLaw::Constant:
      return 0.0;
  }
  return 0.0;
}

double mean_pipe_pressure(double a_pa, double b_pa) {
  const double sum = a_pa + b_pa;
  if (sum <= 0.0) return 0.0;
  return 2.0 / 3.0 * (sum - a_pa * b_pa / sum);
}

double nikuradse_friction(double diameter, double roughness) {
  const double x = 2.0 * std::log10(diameter / roughness) + 1.138;
  return 1.0 / (x * x);
}

double swamee_jain_friction(double reynolds, double diameter, double roughness) {
  const double re = std::max(reynolds, kMinTurbulentReynolds);
  const double x = std::log10(roughness / (3.7 * diameter) + 5.74 / std::pow(re, 0.9));
  return 0.25 / (x * x);
}

double colebrook_friction(double reynolds, double diameter, double roughness) {
  const double re = std::max(reynolds, kMinTurbulentReynolds);
  // Newton on x = 1/sqrt(lambda): f(x) = x + 2 log10(a x + b) = 0.
  const double a = 2.51 / re;
  const double b = roughness / (3.71 * diameter);
  double x = 1.0 / std::sqrt(swamee_jain_friction(re, diameter, roughness));
  for (int k = 0; k < 50; ++k) {
    const double arg = a * x + b;
    const double f = x + 2.0 * std::log10(arg);
    const double df = 1.0 + 2.0 * a / (arg * std::numbers::ln10);
    const double step = f / df;
    x -= step;
    if (std::abs(step) <= 1e-15 * x) break;
  }
  return 1.0 / (x * x);
}

double hofer_friction(double reynolds, double diameter, double roughness) {
  const double re = std::max(reynolds, kMinTurbulentReynolds);
  const double x =
      2.0 * std::log10(4.518 / re * std::log10(re / 7.0) + roughness / (3.71 * diameter));
  return 1.0 / (x * x);
}

double normal_volume_to_mass(const GasProperties& gas, double normal_m3_per_s) {
  return normal_m3_per_s * gas.normal_density_kg_per_m3;
}

double mass_to_normal_volume(const GasProperties& gas, double kg_per_s) {
  return kg_per_s / gas.normal_density_kg_per_m3;
}

double isentropic_power_w(const GasProperties& gas, CompressibilityLaw law, double q_kg_per_s,
                          double p_in_pa, double p_out_pa, double efficiency) {
  if (q_kg_per_s <= 0.0 || p_out_pa <= p_in_pa || p_in_pa <= 0.0) return 0.0;
  const double kappa = gas.isentropic_exponent;
  const double z_in = compressibility(law, gas, p_in_pa);
  const double head_j_per_kg = z_in * gas.specific_gas_constant() * gas.temperature_k * kappa /
                               (kappa - 1.0) *
                               (std::pow(p_out_pa / p_in_pa, (kappa - 1.0) / kappa) - 1.0);
  return q_kg_per_s * head_j_per_kg / efficiency;
}

}  // namespace corridor
