// Gas properties, friction factors and compressor power for the hydraulics (hydraulics.h).
#include <algorithm>
#include <cmath>
#include <numbers>
#include <string_view>

#include "corridor/aga8_gross.h"
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
    case CompressibilityLaw::Aga88:
      return "aga88";
    case CompressibilityLaw::Aga8Gross:
      return "aga8-gross";
    case CompressibilityLaw::Constant:
      return "constant";
  }
  return "?";
}

CompressibilityModel compressibility_model(CompressibilityLaw law, const GasProperties& gas,
                                           double constant_z) {
  CompressibilityModel m;
  m.law = law;
  m.temperature_k = gas.temperature_k;
  const double pc = gas.pseudo_critical_pressure_pa;
  const double tr = gas.temperature_k / gas.pseudo_critical_temperature_k;
  switch (law) {
    case CompressibilityLaw::Papay:
      m.a = -3.52 * std::exp(-2.26 * tr) / pc;
      m.b = 0.274 * std::exp(-1.878 * tr) / (pc * pc);
      break;
    case CompressibilityLaw::Aga88:
      m.a = (0.257 - 0.533 / tr) / pc;
      break;
    case CompressibilityLaw::Constant:
      m.z0 = constant_z;
      break;
    case CompressibilityLaw::Aga8Gross: {
      const Aga8GrossCharacterisation c = aga8_gross_characterise(aga8_gross_input(gas));
      if (!c.ok()) {
        m.error = "AGA-8 gross: " + c.error;
        break;
      }
      const Aga8GrossVirial v = aga8_gross_virial(c.gas, gas.temperature_k);
      if (!v.error.empty()) {
        m.error = "AGA-8 gross: " + v.error;
        break;
      }
      m.virial_b_dm3_per_mol = v.b_dm3_per_mol;
      m.virial_c_dm6_per_mol2 = v.c_dm6_per_mol2;
      break;
    }
  }
  return m;
}

double CompressibilityModel::z(double p) const {
  if (law != CompressibilityLaw::Aga8Gross) return z0 + p * (a + b * p);
  const Aga8GrossVirial v{virial_b_dm3_per_mol, virial_c_dm6_per_mol2, {}};
  const double d = aga8_gross_density_mol_per_dm3(v, temperature_k, p / 1e3);
  return 1.0 + d * (virial_b_dm3_per_mol + virial_c_dm6_per_mol2 * d);
}

double CompressibilityModel::dz_dp(double p) const {
  if (law != CompressibilityLaw::Aga8Gross) return a + 2.0 * b * p;
  // Z = 1 + B D + C D^2 with p/(RT) = D + B D^2 + C D^3: dZ/dp = (B + 2 C D) / (RT (1 + 2 B D
  // + 3 C D^2)), with p in kPa there; per Pa, a factor 1e-3.
  const double bb = virial_b_dm3_per_mol, cc = virial_c_dm6_per_mol2;
  const Aga8GrossVirial v{bb, cc, {}};
  const double d = aga8_gross_density_mol_per_dm3(v, temperature_k, p / 1e3);
  const double slope = 1.0 + d * (2.0 * bb + 3.0 * cc * d);
  return (bb + 2.0 * cc * d) / (kAga8GrossGasConstant * temperature_k * slope) * 1e-3;
}

Aga8GrossInput aga8_gross_input(const GasProperties& gas) {
  Aga8GrossInput in;
  in.molar_mass_g_per_mol = gas.molar_mass_kg_per_mol * 1e3;
  in.x_co2 = gas.co2_mole_fraction;
  if (std::isnan(gas.n2_mole_fraction)) {
    in.heating_value_mj_per_m3 = gas.heating_value_j_per_m3 / 1e6;
  } else {
    in.x_n2 = gas.n2_mole_fraction;
  }
  in.reference.density_temperature_k = kNormalTemperatureK;
  in.reference.density_pressure_kpa = kNormalPressurePa / 1e3;
  in.reference.heating_value_temperature_k = kAga8HeatingValueTemperatureK;
  return in;
}

double compressibility(CompressibilityLaw law, const GasProperties& gas, double pressure_pa,
                       double constant_z) {
  return compressibility_model(law, gas, constant_z).z(pressure_pa);
}

double compressibility_derivative(CompressibilityLaw law, const GasProperties& gas,
                                  double pressure_pa, double constant_z) {
  return compressibility_model(law, gas, constant_z).dz_dp(pressure_pa);
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

double isentropic_power_w(const GasProperties& gas, const CompressibilityModel& z,
                          double q_kg_per_s, double p_in_pa, double p_out_pa, double efficiency) {
  if (q_kg_per_s <= 0.0 || p_out_pa <= p_in_pa || p_in_pa <= 0.0) return 0.0;
  const double kappa = gas.isentropic_exponent;
  const double z_in = z.z(p_in_pa);
  const double head_j_per_kg = z_in * gas.specific_gas_constant() * gas.temperature_k * kappa /
                               (kappa - 1.0) *
                               (std::pow(p_out_pa / p_in_pa, (kappa - 1.0) / kappa) - 1.0);
  return q_kg_per_s * head_j_per_kg / efficiency;
}

}  // namespace corridor
