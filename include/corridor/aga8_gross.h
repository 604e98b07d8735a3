#pragma once
/// \file The AGA-8 gross characterisation method: the compressibility factor z of a natural gas
/// from its relative density (or molar mass), its heating value or nitrogen content, and its
/// carbon dioxide content, without a full analysis.
///
/// Source: American Gas Association, Transmission Measurement Committee Report No. 8,
/// "Compressibility Factors of Natural Gas and Other Related Hydrocarbon Gases" (Starling &
/// Savidge, 2nd ed. 1992, 2nd printing 1994), the GROSS method, kept in AGA Report No. 8 Part 1
/// (2017). The report itself is not public; the equations and coefficients here are those of
/// NIST's public-domain reference implementation of the 2017 Part 1 GROSS equation, version 2.0,
/// April 2017, by E. W. Lemmon and I. H. Bell (github.com/usnistgov/AGA8, AGA8CODE/C/Gross.cpp,
/// SetupGross and Bmix), and agree with the AGA's own 1994 program distributed with the report
/// (the same repository, 1994AGA8/GROSSXZ.FOR, PARAMGS and VIRGS, which also carries hydrogen
/// and carbon monoxide; those are left out here, as in the 2017 version). The check values
/// of tests/aga8_gross_test.cpp are NIST's (AGA8CODE/C/Gross_test_01.cpp and Gross.cpp).
///
/// The model. The gas is three components: an equivalent hydrocarbon CH (every hydrocarbon
/// lumped, characterised by its molar ideal gross heating value H_CH at 25 °C), nitrogen and
/// carbon dioxide, with mole fractions x_CH + x_N2 + x_CO2 = 1. A virial equation in molar
/// density D (mol/dm3):
///     Z = 1 + B D + C D^2,      p = D R T Z,   R = 8.31451 J/(mol K) (the 1992 value AGA-8 keeps),
/// with mixture coefficients
///     B = sum_ij x_i x_j B_ij,   C = sum_ijk x_i x_j x_k C_ijk,
///     B_ij(T) = b0 + b1 T + b2 T^2 and C_ijk(T) likewise for N2 and CO2 (table below),
///     B_CH(T, H) = sum_{a,b} bCH_ab T^a H^b,  C_CH(T, H) = sum_{a,b} cCH_ab T^a H^b  (a, b =
///     0..2), B_CH,N2  = (0.72 + 1.875e-5 (320 - T)^2) (B_CH + B_N2) / 2, B_CH,CO2 = -0.865
///     sqrt(B_CH B_CO2), C_CH,CH,N2 = (0.92 + 0.0013 (T - 270)) (C_CH^2 C_N2)^(1/3), C_CH,N2,N2 =
///     (0.92 + 0.0013 (T - 270)) (C_N2^2 C_CH)^(1/3), C_CH,CH,CO2 = 0.92 (C_CH^2 C_CO2)^(1/3),
///     C_CH,CO2,CO2 = 0.92 (C_CO2^2 C_CH)^(1/3), C_CH,N2,CO2 = 1.1 (C_CH C_N2 C_CO2)^(1/3).
/// Characterisation (finding x_CH, x_N2 and H_CH), with the reference conditions T_d, p_d of
/// the relative density and of the volumetric heating value, and T_h of the heating value's
/// combustion; Z_d = 1 + B(T_d) p_d / (R T_d) and the air reference
/// Z_ref = 1 + B_air(T_d) p_d / (R T_d), B_air = -0.12527 + 5.91e-4 T - 6.62e-7 T^2 dm3/mol,
/// iterated on Z_d from Z_d = 1:
///   - the molar mass M = G_r Z_d 28.9625 / Z_ref from the relative density G_r (the real-gas
///     one at T_d, p_d) — or M given directly, which skips this step;
///   - Method 1 (heating value H_v in MJ/m3 at T_d, p_d, and x_CO2):
///       H_N = Z_d R T_d / p_d H_v (1 + 1.027e-4 (T_h - 298.15)) kJ/mol,
///       x_CH = (M + (x_CO2 - 1) M_N2 - x_CO2 M_CO2 - G_2 H_N) / (G_1 - M_N2),
///       x_N2 = 1 - x_CH - x_CO2,   H_CH = H_N / x_CH;
///   - Method 2 (x_N2 and x_CO2): x_CH = 1 - x_N2 - x_CO2,
///       H_CH = ((M - x_N2 M_N2 - x_CO2 M_CO2) / x_CH - G_1) / G_2;
///   with G_1 = -2.709328 g/mol and G_2 = 0.021062199 g/kJ (the hydrocarbon's molar mass
///   against its heating value, M_CH = G_1 + G_2 H_CH), M_N2 = 28.0135, M_CO2 = 44.01 g/mol.
///
/// Range. The 1994 program limits the equation to 263-338 K and 12 MPa (GROSSXZ.FOR, CHARGS:
/// TLOW, THIGH, PHIGH). Its stated accuracy is for pipeline-quality gas in the report's
/// "normal range", which a vendor manual summarises for Gross Method 1 as a real-gas relative
/// density of 0.554-0.87 at 60 °F and 14.73 psia (Emerson Rosemount 1195 manual, ch. 6); the
/// report's full table is not public. corridor does not refuse states outside it (a trunk line
/// at 9.8 MPa is near its edge); scenarios/README.md says so.
#include <limits>
#include <string>

namespace corridor {

/// Reference conditions of the inputs. Defaults: corridor's normal conditions (0 °C,
/// 1.01325 bar) for density and volume, and combustion at 25 °C.
struct Aga8GrossReference {
  double density_temperature_k = 273.15;        ///< T_d, of the relative density and volume
  double density_pressure_kpa = 101.325;        ///< p_d
  double heating_value_temperature_k = 298.15;  ///< T_h, of the combustion
};

/// What a characterisation method is given. Give relative_density or molar_mass_g_per_mol (not
/// both); heating_value_mj_per_m3 for Method 1 or x_n2 for Method 2 (not both).
struct Aga8GrossInput {
  double relative_density = std::numeric_limits<double>::quiet_NaN();  ///< real gas, T_d, p_d
  double molar_mass_g_per_mol = std::numeric_limits<double>::quiet_NaN();
  double heating_value_mj_per_m3 = std::numeric_limits<double>::quiet_NaN();  ///< Method 1
  double x_n2 = std::numeric_limits<double>::quiet_NaN();                     ///< Method 2
  double x_co2 = 0.0;
  Aga8GrossReference reference;
};

/// The gas as the GROSS equation sees it.
struct Aga8GrossGas {
  double x_ch = 1.0, x_n2 = 0.0, x_co2 = 0.0;  ///< mole fractions
  double hch_kj_per_mol = 0.0;                 ///< molar ideal gross heating value of CH at 25 °C
  double molar_mass_g_per_mol = 0.0;
  double heating_value_mj_per_m3 = 0.0;  ///< volumetric, at T_d, p_d (Method 2: a result)
  int method = 0;                        ///< 1 or 2
};

struct Aga8GrossCharacterisation {
  Aga8GrossGas gas;
  std::string error;  ///< empty when it worked; otherwise what is inconsistent and what to try
  bool ok() const { return error.empty(); }
};

/// Method 1 or 2 (by which of heating value and x_n2 is given). Never throws: inconsistent
/// inputs (a negative nitrogen fraction, a heating value outside the equation's reach) come
/// back in `error`.
Aga8GrossCharacterisation aga8_gross_characterise(const Aga8GrossInput& input);

/// The mixture's virial coefficients at temperature T.
struct Aga8GrossVirial {
  double b_dm3_per_mol = 0.0;
  double c_dm6_per_mol2 = 0.0;
  std::string error;  ///< the combining rules failed (B_CH B_CO2 < 0 or C_CH < 0)
};
Aga8GrossVirial aga8_gross_virial(const Aga8GrossGas& gas, double temperature_k);

/// The molar density (mol/dm3) at p (kPa) and T: the root of p = D R T (1 + B D + C D^2)
/// nearest the ideal gas, by Newton from the pressure-series estimate, to 1e-15 relative. NaN
/// when the equation has no gas root there (dp/dD <= 0 on the way: far outside its range).
double aga8_gross_density_mol_per_dm3(const Aga8GrossVirial& v, double temperature_k,
                                      double pressure_kpa);

/// R of the GROSS equation, J/(mol K) = kPa dm3/(mol K).
inline constexpr double kAga8GrossGasConstant = 8.31451;

}  // namespace corridor
