// The AGA-8 gross characterisation method (aga8_gross.h).
#include "corridor/aga8_gross.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace corridor {

namespace {

constexpr double kR = kAga8GrossGasConstant;
constexpr double kMolarMassN2 = 28.0135;   // g/mol
constexpr double kMolarMassCo2 = 44.01;    // g/mol
constexpr double kMolarMassAir = 28.9625;  // g/mol, the GROSS equation's air
constexpr double kG1 = -2.709328;          // g/mol:  M_CH = G1 + G2 H_CH
constexpr double kG2 = 0.021062199;        // g/kJ

// Coefficients of the GROSS equation (aga8_gross.h cites where they come from).
// N2-N2, N2-CO2, CO2-CO2 second virial coefficients: b0 + b1 T + b2 T^2, dm3/mol.
constexpr double kB_N2[3] = {-0.1446, 0.00074091, -0.00000091195};
constexpr double kB_N2_CO2[3] = {-0.339693, 0.00161176, -0.00000204429};
constexpr double kB_CO2[3] = {-0.86834, 0.0040376, -0.0000051657};
// Third virial coefficients, dm6/mol2.
constexpr double kC_N2[3] = {0.0078498, -0.000039895, 0.000000061187};
constexpr double kC_N2_N2_CO2[3] = {0.00552066, -0.0000168609, 0.0000000157169};
constexpr double kC_N2_CO2_CO2[3] = {0.00358783, 0.00000806674, -0.0000000325798};
constexpr double kC_CO2[3] = {0.0020513, 0.000034888, -0.000000083703};
// The equivalent hydrocarbon: [power of T][power of H_CH].
constexpr double kB_CH[3][3] = {{-0.425468, 0.000877118, -0.000000824747},
                                {0.002865, -0.00000556281, 0.00000000431436},
                                {-0.00000462073, 0.0000000088151, -6.08319e-12}};
constexpr double kC_CH[3][3] = {{-0.302488, 0.000646422, -0.000000332805},
                                {0.00195861, -0.00000422876, 0.0000000022316},
                                {-0.00000316302, 0.00000000688157, -3.67713e-12}};

double quadratic(const double (&k)[3], double t) { return k[0] + t * (k[1] + t * k[2]); }

/// Second virial coefficient of the reference air, dm3/mol.
double b_air(double t) { return -0.12527 + 0.000591 * t - 0.000000662 * t * t; }

std::string num(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

Aga8GrossVirial aga8_gross_virial(const Aga8GrossGas& gas, double t) {
  Aga8GrossVirial out;
  const double h = gas.hch_kj_per_mol;
  double bch_t[3], cch_t[3];  // coefficients of H^0, H^1, H^2 at T
  for (int j = 0; j < 3; ++j) {
    bch_t[j] = kB_CH[0][j] + t * (kB_CH[1][j] + t * kB_CH[2][j]);
    cch_t[j] = kC_CH[0][j] + t * (kC_CH[1][j] + t * kC_CH[2][j]);
  }
  const double b11 = bch_t[0] + h * (bch_t[1] + h * bch_t[2]);
  const double c111 = cch_t[0] + h * (cch_t[1] + h * cch_t[2]);
  const double b22 = quadratic(kB_N2, t), b23 = quadratic(kB_N2_CO2, t), b33 = quadratic(kB_CO2, t);
  const double c222 = quadratic(kC_N2, t), c223 = quadratic(kC_N2_N2_CO2, t);
  const double c233 = quadratic(kC_N2_CO2_CO2, t), c333 = quadratic(kC_CO2, t);
  if (b11 * b33 < 0.0 || c111 < 0.0) {
    out.error = "the equivalent hydrocarbon's heating value " + num(h) + " kJ/mol at " + num(t) +
                " K is outside the GROSS equation's reach (its virial coefficients " +
                "cannot be combined)";
    return out;
  }
  const double b12 = (0.72 + 1.875e-5 * (320.0 - t) * (320.0 - t)) * (b11 + b22) / 2.0;
  const double b13 = -0.865 * std::sqrt(b11 * b33);
  const double f = 0.92 + 0.0013 * (t - 270.0);
  const double c112 = f * std::cbrt(c111 * c111 * c222);
  const double c122 = f * std::cbrt(c222 * c222 * c111);
  const double c113 = 0.92 * std::cbrt(c111 * c111 * c333);
  const double c133 = 0.92 * std::cbrt(c333 * c333 * c111);
  const double c123 = 1.1 * std::cbrt(c111 * c222 * c333);
  const double x1 = gas.x_ch, x2 = gas.x_n2, x3 = gas.x_co2;
  out.b_dm3_per_mol = b11 * x1 * x1 + b22 * x2 * x2 + b33 * x3 * x3 + 2.0 * b12 * x1 * x2 +
                      2.0 * b13 * x1 * x3 + 2.0 * b23 * x2 * x3;
  out.c_dm6_per_mol2 = c111 * x1 * x1 * x1 + c222 * x2 * x2 * x2 + c333 * x3 * x3 * x3 +
                       3.0 * (c112 * x1 * x1 * x2 + c113 * x1 * x1 * x3 + c122 * x1 * x2 * x2 +
                              c133 * x1 * x3 * x3 + c223 * x2 * x2 * x3 + c233 * x2 * x3 * x3) +
                       6.0 * c123 * x1 * x2 * x3;
  return out;
}

double aga8_gross_density_mol_per_dm3(const Aga8GrossVirial& v, double t, double p_kpa) {
  if (!(p_kpa > 0.0)) return 0.0;
  const double b = v.b_dm3_per_mol, c = v.c_dm6_per_mol2;
  const double rho_ideal = p_kpa / (kR * t);
  // Start: the pressure series Z = 1 + B' p + C' p^2, B' = B/(RT), C' = (C - B^2)/(RT)^2.
  const double z0 = 1.0 + b * rho_ideal + (c - b * b) * rho_ideal * rho_ideal;
  double d = rho_ideal / (z0 > 0.1 ? z0 : 1.0);
  for (int k = 0; k < 60; ++k) {
    const double slope = 1.0 + d * (2.0 * b + 3.0 * c * d);  // d(p/RT)/dD
    if (!(slope > 0.0)) return std::nan("");
    const double step = (d * (1.0 + d * (b + c * d)) - rho_ideal) / slope;
    d -= step;
    if (!(d > 0.0)) return std::nan("");
    if (std::abs(step) <= 1e-15 * d) return d;
  }
  return d;
}

Aga8GrossCharacterisation aga8_gross_characterise(const Aga8GrossInput& in) {
  Aga8GrossCharacterisation out;
  Aga8GrossGas& g = out.gas;
  auto fail = [&](const std::string& what) {
    out.error = what;
    return out;
  };
  const bool by_density = !std::isnan(in.relative_density);
  const bool by_mass = !std::isnan(in.molar_mass_g_per_mol);
  if (by_density == by_mass)
    return fail("give the relative density or the molar mass (one of them)");
  if (by_density && !(in.relative_density > 0.0))
    return fail("the relative density must be positive, got " + num(in.relative_density));
  if (by_mass && !(in.molar_mass_g_per_mol > 0.0))
    return fail("the molar mass must be positive, got " + num(in.molar_mass_g_per_mol));
  const bool method1 = !std::isnan(in.heating_value_mj_per_m3);
  const bool method2 = !std::isnan(in.x_n2);
  if (method1 == method2)
    return fail("give the heating value (Method 1) or the nitrogen fraction (Method 2), one");
  if (method1 && !(in.heating_value_mj_per_m3 > 0.0))
    return fail("the heating value must be positive, got " + num(in.heating_value_mj_per_m3));
  if (!(in.x_co2 >= 0.0 && in.x_co2 < 1.0))
    return fail("the CO2 fraction must lie in [0, 1), got " + num(in.x_co2));
  if (method2 && !(in.x_n2 >= 0.0 && in.x_n2 + in.x_co2 < 1.0))
    return fail("the N2 and CO2 fractions must be at least 0 and sum to less than 1, got " +
                num(in.x_n2) + " and " + num(in.x_co2));
  const double td = in.reference.density_temperature_k, pd = in.reference.density_pressure_kpa;
  const double th = in.reference.heating_value_temperature_k;
  const double zref = 1.0 + pd / (kR * td) * b_air(td);
  g.method = method1 ? 1 : 2;
  g.x_co2 = in.x_co2;
  if (method2) {
    g.x_n2 = in.x_n2;
    g.x_ch = 1.0 - in.x_n2 - in.x_co2;
  }
  // Fixed point on Z at (T_d, p_d); it contracts by about |B| p_d / (R T_d) per step.
  double zd = 1.0, hn = 0.0;
  for (int it = 0; it < 100; ++it) {
    const double mm =
        by_mass ? in.molar_mass_g_per_mol : in.relative_density * zd * kMolarMassAir / zref;
    g.molar_mass_g_per_mol = mm;
    if (method1) {
      hn = zd * kR * td / pd * in.heating_value_mj_per_m3 * (1.0 + 0.0001027 * (th - 298.15));
      g.x_ch = (mm + (in.x_co2 - 1.0) * kMolarMassN2 - in.x_co2 * kMolarMassCo2 - kG2 * hn) /
               (kG1 - kMolarMassN2);
      g.x_n2 = 1.0 - g.x_ch - in.x_co2;
      if (g.x_n2 < 0.0 || !(g.x_ch > 0.0))
        return fail("the molar mass " + num(mm) + " g/mol, heating value " +
                    num(in.heating_value_mj_per_m3) + " MJ/m3 and CO2 fraction " + num(in.x_co2) +
                    " contradict each other: they imply a nitrogen fraction of " + num(g.x_n2) +
                    " (Method 1)");
      g.hch_kj_per_mol = hn / g.x_ch;
    } else {
      const double m_ch = (mm - in.x_n2 * kMolarMassN2 - in.x_co2 * kMolarMassCo2) / g.x_ch;
      g.hch_kj_per_mol = (m_ch - kG1) / kG2;
      if (!(g.hch_kj_per_mol > 0.0))
        return fail("the molar mass " + num(mm) + " g/mol is too low for N2 " + num(in.x_n2) +
                    " and CO2 " + num(in.x_co2) + ": the hydrocarbons would weigh " + num(m_ch) +
                    " g/mol (Method 2)");
    }
    const Aga8GrossVirial v = aga8_gross_virial(g, td);
    if (!v.error.empty()) return fail(v.error);
    const double znew = 1.0 + v.b_dm3_per_mol * pd / (kR * td);
    const bool done = std::abs(znew - zd) <= 1e-14;
    zd = znew;
    if (done) break;
  }
  if (method1) {
    g.heating_value_mj_per_m3 = in.heating_value_mj_per_m3;
  } else {
    hn = g.hch_kj_per_mol * g.x_ch;
    g.heating_value_mj_per_m3 = hn / zd / kR / td * pd / (1.0 + 0.0001027 * (th - 298.15));
  }
  return out;
}

}  // namespace corridor
