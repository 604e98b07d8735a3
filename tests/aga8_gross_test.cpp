// AGA-8 gross characterisation (aga8_gross.h): NIST's check values, limits, the two methods
// against each other, errors, and the network solver with it.
#include "corridor/aga8_gross.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <string>

#include "corridor/gas_line.h"
#include "corridor/hydraulics.h"
#include "hydraulics_checks.h"

namespace corridor {
namespace {

using test::check_solution;
using test::check_z;

/// NIST's check gas (usnistgov/AGA8, AGA8CODE/C/Gross_test_01.cpp): the 21-component mixture
/// with 2 % N2 and 6 % CO2, whose real-gas relative density at 0 °C and 101.325 kPa is
/// 0.7112387718599272 and whose volumetric heating value there is 41.37676728724603 MJ/m3
/// (combustion at 25 °C); its equivalent hydrocarbon is 92 % with H_CH = 1004.738236956522
/// kJ/mol.
constexpr double kGr = 0.7112387718599272;
constexpr double kHv = 41.37676728724603;
constexpr double kT = 300.0, kP = 10000.0;  // K, kPa: the state of the check values

double z_of(const Aga8GrossVirial& v, double t, double p_kpa) {
  const double d = aga8_gross_density_mol_per_dm3(v, t, p_kpa);
  return 1.0 + d * (v.b_dm3_per_mol + v.c_dm6_per_mol2 * d);
}

TEST_CASE("#G1 AGA-8 gross: NIST's check values, to 1e-10 relative", "[aga8][hydraulics]") {
  // NIST checks to 1e-8 absolute; on values of order 1-40 we ask 1e-10 relative.
  SECTION("the equation at a given characterisation: D and Z at 300 K, 10 MPa") {
    Aga8GrossGas g;
    g.x_ch = 0.92;
    g.x_n2 = 0.02;
    g.x_co2 = 0.06;
    g.hch_kj_per_mol = 1004.738236956522;
    const Aga8GrossVirial v = aga8_gross_virial(g, kT);
    REQUIRE(v.error.empty());
    CHECK(aga8_gross_density_mol_per_dm3(v, kT, kP) == Approx(5.117641317088482).epsilon(1e-10));
    CHECK(z_of(v, kT, kP) == Approx(0.7833795701012788).epsilon(1e-10));
  }
  SECTION("Method 2: relative density, N2, CO2") {
    Aga8GrossInput in;
    in.relative_density = kGr;
    in.x_n2 = 0.02;
    in.x_co2 = 0.06;
    const Aga8GrossCharacterisation c = aga8_gross_characterise(in);
    REQUIRE(c.ok());
    CHECK(c.gas.method == 2);
    CHECK(c.gas.x_ch == Approx(0.92).epsilon(1e-14));
    CHECK(c.gas.heating_value_mj_per_m3 == Approx(42.15440903329388).epsilon(1e-10));
    const Aga8GrossVirial v = aga8_gross_virial(c.gas, kT);
    CHECK(aga8_gross_density_mol_per_dm3(v, kT, kP) == Approx(5.197833636353455).epsilon(1e-10));
  }
  SECTION("Method 1: relative density, heating value, CO2") {
    Aga8GrossInput in;
    in.relative_density = kGr;
    in.heating_value_mj_per_m3 = kHv;
    in.x_co2 = 0.06;
    const Aga8GrossCharacterisation c = aga8_gross_characterise(in);
    REQUIRE(c.ok());
    CHECK(c.gas.method == 1);
    const Aga8GrossVirial v = aga8_gross_virial(c.gas, kT);
    // NIST prints this one (Gross.cpp, TEST_GROSS) without asserting it.
    CHECK(aga8_gross_density_mol_per_dm3(v, kT, kP) == Approx(5.144374668159809).epsilon(1e-9));
  }
}

TEST_CASE("#G2 AGA-8 gross: z -> 1 as p -> 0 with slope B/(RT); dz/dp; z falls with p",
          "[aga8][hydraulics]") {
  GasProperties gas;  // GasLib-11's gas at 10 °C, Method 1 from its heating value
  const CompressibilityModel m = compressibility_model(CompressibilityLaw::Aga8Gross, gas);
  REQUIRE(m.error.empty());
  CHECK(m.virial_b_dm3_per_mol < 0.0);  // natural gas near ambient: attraction wins
  const double rt = kAga8GrossGasConstant * gas.temperature_k;  // kPa dm3/mol
  CHECK(std::abs(m.z(1e-3) - 1.0) < 1e-9);                      // B p/(RT) is about 2e-11 here
  // (z - 1) / (p/RT) -> B at low pressure, with p in kPa: 100 Pa = 0.1 kPa.
  CHECK((m.z(100.0) - 1.0) / (0.1 / rt) == Approx(m.virial_b_dm3_per_mol).epsilon(1e-5));
  CHECK(m.dz_dp(0.0) * 1e3 * rt == Approx(m.virial_b_dm3_per_mol).epsilon(1e-12));
  HydraulicOptions aga8;
  aga8.compressibility = CompressibilityLaw::Aga8Gross;
  double last = 1.0;
  for (double p = 1e5; p <= 120e5; p += 1e5) {
    const double z = m.z(p);
    CHECK(z < last);
    last = z;
    const double h = 1e-4 * p;
    CHECK(m.dz_dp(p) == Approx((m.z(p + h) - m.z(p - h)) / (2 * h)).epsilon(1e-6));
    // The virial equation holds at the root: p = D R T Z.
    CHECK(z == Approx(check_z(gas, aga8, p)).epsilon(1e-12));
  }
  // Against Papay on this gas at 70 bar: both are natural-gas z, within a few per cent.
  CHECK(m.z(70e5) == Approx(compressibility(CompressibilityLaw::Papay, gas, 70e5)).epsilon(0.03));
}

TEST_CASE("#G3 AGA-8 gross: Method 2's heating value gives Method 1 back; molar mass input",
          "[aga8][hydraulics]") {
  Aga8GrossInput two;
  two.relative_density = 0.62;
  two.x_n2 = 0.035;
  two.x_co2 = 0.004;
  const Aga8GrossCharacterisation a = aga8_gross_characterise(two);
  REQUIRE(a.ok());
  Aga8GrossInput one;
  one.relative_density = 0.62;
  one.heating_value_mj_per_m3 = a.gas.heating_value_mj_per_m3;
  one.x_co2 = 0.004;
  const Aga8GrossCharacterisation b = aga8_gross_characterise(one);
  REQUIRE(b.ok());
  CHECK(b.gas.x_n2 == Approx(0.035).epsilon(1e-10));
  CHECK(b.gas.hch_kj_per_mol == Approx(a.gas.hch_kj_per_mol).epsilon(1e-12));
  // The molar mass that the relative density stands for gives the same gas.
  Aga8GrossInput by_mass = two;
  by_mass.relative_density = std::nan("");
  by_mass.molar_mass_g_per_mol = a.gas.molar_mass_g_per_mol;
  const Aga8GrossCharacterisation c = aga8_gross_characterise(by_mass);
  REQUIRE(c.ok());
  CHECK(c.gas.hch_kj_per_mol == Approx(a.gas.hch_kj_per_mol).epsilon(1e-12));
  // M = G_r Z_d 28.9625 / Z_ref: Z_d of the gas (about 0.998) is below the air's (about
  // 0.9995), so M is a few per mille below the ideal 0.62 * 28.9625.
  CHECK(a.gas.molar_mass_g_per_mol < 0.62 * 28.9625);
  CHECK(a.gas.molar_mass_g_per_mol > 0.62 * 28.9625 * 0.995);
}

TEST_CASE("#G4 AGA-8 gross: inputs that contradict each other are a message, not a number",
          "[aga8][hydraulics]") {
  // 16 g/mol is methane's molar mass; 45 MJ/m3 is more than methane's 39.8: only a heavier
  // hydrocarbon mix has that, which would need less than no nitrogen to weigh 16 g/mol.
  Aga8GrossInput in;
  in.molar_mass_g_per_mol = 16.0;
  in.heating_value_mj_per_m3 = 45.0;
  const Aga8GrossCharacterisation c = aga8_gross_characterise(in);
  CHECK_FALSE(c.ok());
  CHECK(c.error.starts_with(
      "the molar mass 16 g/mol, heating value 45 MJ/m3 and CO2 fraction 0 contradict each "
      "other: they imply a nitrogen fraction of -"));
  CHECK(c.error.ends_with(" (Method 1)"));
  Aga8GrossInput both = in;
  both.x_n2 = 0.1;
  CHECK(aga8_gross_characterise(both).error ==
        "give the heating value (Method 1) or the nitrogen fraction (Method 2), one");
  Aga8GrossInput inert;
  inert.molar_mass_g_per_mol = 20.0;
  inert.x_n2 = 0.7;
  inert.x_co2 = 0.4;
  CHECK(aga8_gross_characterise(inert).error ==
        "the N2 and CO2 fractions must be at least 0 and sum to less than 1, got 0.7 and 0.4");
  // Through the solver: InvalidInput naming the cause.
  HydraulicNetwork net;
  net.gas.molar_mass_kg_per_mol = 0.016;
  net.gas.heating_value_j_per_m3 = 45e6;
  net.nodes = {{"A", 0.0, 0.0, INFINITY, 0.0, 70e5}, {"B", 0.0, 0.0, INFINITY, -10.0, {}}};
  net.pipes = {{"P", 0, 1, 10e3, 0.5, 1e-5}};
  HydraulicOptions opt;
  opt.compressibility = CompressibilityLaw::Aga8Gross;
  const HydraulicResult r = solve_hydraulics(net, opt);
  CHECK(r.status == HydraulicStatus::InvalidInput);
  CHECK(r.message.starts_with("AGA-8 gross: the molar mass 16 g/mol"));
  GasLine line;
  line.id = "L";
  line.length_m = 100e3;
  line.inner_diameter_m = 1.0;
  line.roughness_m = 1e-5;
  line.max_pressure_pa = 80e5;
  line.inlet_pressure_pa = 50e5;
  line.min_pressure_pa = 40e5;
  CHECK_THROWS_WITH(solve_gas_line(line, net.gas, 10.0, opt),
                    Catch::StartsWith("gas line 'L': AGA-8 gross: the molar mass 16 g/mol"));
}

TEST_CASE("#G5 the network solver with AGA-8 gross: a pipe by fixed point, GasLib-like mesh",
          "[aga8][hydraulics]") {
  // 100 km of 1.0 m, k = 0.012 mm, p_A = 70 bar set, 100 kg/s taken at B, GasLib-11's gas.
  // By hand (here in code): iterate p_B = sqrt(p_A^2 - Lambda(z(p_m)) q^2), with z from the
  // bisection of hydraulics_checks.h, to a fixed point.
  HydraulicNetwork net;
  net.nodes = {{"A", 0.0, 0.0, INFINITY, 0.0, 70e5}, {"B", 0.0, 0.0, INFINITY, -100.0, {}}};
  net.pipes = {{"P", 0, 1, 100e3, 1.0, 0.012e-3}};
  HydraulicOptions opt;
  opt.compressibility = CompressibilityLaw::Aga8Gross;
  const double rs = kGasConstantJPerMolK / net.gas.molar_mass_kg_per_mol;
  const double lam = nikuradse_friction(1.0, 0.012e-3);
  double pb = 70e5;
  for (int k = 0; k < 100; ++k) {
    const double z = check_z(net.gas, opt, mean_pipe_pressure(70e5, pb));
    const double big =
        16.0 * lam * rs * z * net.gas.temperature_k * 100e3 / (std::numbers::pi * std::numbers::pi);
    pb = std::sqrt(70e5 * 70e5 - big * 100.0 * 100.0);
  }
  for (auto j : {JacobianChoice::Auto, JacobianChoice::Exact}) {
    opt.jacobian = j;
    const HydraulicResult r = solve_hydraulics(net, opt);
    check_solution(net, opt, r);
    CHECK(r.node_pressure_pa[1] == Approx(pb).epsilon(1e-11));
    CHECK(r.iterations <= 8);
  }
  // A loop with a rise (the exact Jacobian and SparseLU, with dz/dp in e^S): converges, and
  // every invariant holds.
  HydraulicNetwork mesh;
  mesh.nodes = {{"S", 0.0, 0.0, INFINITY, 0.0, 80e5},
                {"A", 120.0, 0.0, INFINITY, -40.0, {}},
                {"B", 60.0, 0.0, INFINITY, -30.0, {}},
                {"C", 300.0, 0.0, INFINITY, -50.0, {}}};
  mesh.pipes = {{"SA", 0, 1, 80e3, 0.9, 0.012e-3},
                {"SB", 0, 2, 60e3, 0.7, 0.012e-3},
                {"AB", 1, 2, 30e3, 0.5, 0.012e-3},
                {"AC", 1, 3, 90e3, 0.8, 0.012e-3},
                {"BC", 2, 3, 70e3, 0.6, 0.012e-3}};
  opt.jacobian = JacobianChoice::Auto;
  const HydraulicResult r = solve_hydraulics(mesh, opt);
  check_solution(mesh, opt, r);
  // The LU path with either factorisation (KLU, the default, and Eigen's SparseLU): the same
  // answer to the solver's tolerance, the same iterations.
  HydraulicOptions exact = opt;
  exact.jacobian = JacobianChoice::Exact;
  const HydraulicResult rk = solve_hydraulics(mesh, exact);
  exact.lu = LuSolver::SparseLU;
  const HydraulicResult rslu = solve_hydraulics(mesh, exact);
  check_solution(mesh, exact, rk);
  check_solution(mesh, exact, rslu);
  CHECK(rk.iterations == rslu.iterations);
  for (std::size_t v = 0; v < mesh.nodes.size(); ++v)
    CHECK(rk.node_pressure_pa[v] == Approx(rslu.node_pressure_pa[v]).epsilon(1e-10));
  // AGA-8 and Papay differ on z by a few per cent here; so do the pressure drops.
  HydraulicOptions papay;
  const HydraulicResult rp = solve_hydraulics(mesh, papay);
  REQUIRE(rp.converged());
  CHECK(r.node_pressure_pa[3] == Approx(rp.node_pressure_pa[3]).epsilon(0.02));
  CHECK(r.node_pressure_pa[3] != rp.node_pressure_pa[3]);
}

}  // namespace
}  // namespace corridor
