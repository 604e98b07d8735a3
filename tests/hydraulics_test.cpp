// Steady-state gas hydraulics (hydraulics.h): single-pipe fixtures against closed forms worked
// in the comments (#H1...), stations, regulators, valves, zero flow, ill-posed rules and
// failures as statuses, and seeded random meshes cross-checked between the symmetric (LDLT)
// and exact (SparseLU) Jacobians. Every converged solve goes through check_solution.
#include "corridor/hydraulics.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "hydraulics_checks.h"

namespace corridor {
namespace {

using test::check_solution;

constexpr double kBar = 1e5;

// The default gas (GasLib-11's): M = 18.5674 kg/kmol, so R_s = 8.314462618 / 0.0185674
// = 447.79897 J/(kg K); T = 283.15 K; p_c = 45.929 bar, T_c = 188.55 K.
constexpr double kRs = 447.7989712076004;
constexpr double kT = 283.15;

HydraulicNode node(std::string id, double injection = 0.0, std::optional<double> set_bar = {},
                   double height = 0.0) {
  HydraulicNode n;
  n.id = std::move(id);
  n.injection_kg_per_s = injection;
  if (set_bar) n.set_pressure_pa = *set_bar * kBar;
  n.height_m = height;
  return n;
}

HydraulicPipe pipe(std::string id, int from, int to, double length_km, double diameter_m,
                   double roughness_mm) {
  HydraulicPipe p;
  p.id = std::move(id);
  p.from = from;
  p.to = to;
  p.length_m = length_km * 1e3;
  p.diameter_m = diameter_m;
  p.roughness_m = roughness_mm * 1e-3;
  return p;
}

/// A constant z of 0.9.
HydraulicOptions constant_z() {
  HydraulicOptions o;
  o.compressibility = CompressibilityLaw::Constant;
  o.constant_z = 0.9;
  return o;
}

const HydraulicViolation* find_violation(const HydraulicResult& r, ViolationKind k,
                                         const std::string& id) {
  for (const auto& v : r.violations)
    if (v.kind == k && v.element == id) return &v;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Properties.

TEST_CASE("#P1 Papay at p_r = T_r = 1.5 and the AGA-88 formula", "[hydraulics]") {
  // Papay: 1 - 3.52 * 1.5 * e^-3.39 + 0.274 * 2.25 * e^-2.817
  //      = 1 - 5.28 * 0.0337087 + 0.6165 * 0.0597850 = 1 - 0.1779819 + 0.0368575 = 0.8588757.
  GasProperties g;
  g.pseudo_critical_pressure_pa = 40e5;
  g.pseudo_critical_temperature_k = 200.0;
  g.temperature_k = 300.0;
  CHECK(compressibility(CompressibilityLaw::Papay, g, 60e5) == Approx(0.8588757).epsilon(1e-7));
  // AGA-88: 1 + 0.257 * 1.5 - 0.533 * 1.5 / 1.5 = 1 + 0.3855 - 0.533 = 0.8525.
  CHECK(compressibility(CompressibilityLaw::Aga88, g, 60e5) == Approx(0.8525).epsilon(1e-12));
  CHECK(compressibility(CompressibilityLaw::Constant, g, 60e5, 0.91) == 0.91);
  // dz/dp by central difference.
  for (auto law : {CompressibilityLaw::Papay, CompressibilityLaw::Aga88}) {
    const double h = 1.0;
    const double fd =
        (compressibility(law, g, 60e5 + h) - compressibility(law, g, 60e5 - h)) / (2 * h);
    CHECK(compressibility_derivative(law, g, 60e5) == Approx(fd).epsilon(1e-6));
  }
  // Mean pressure: 2/3 (70 + 50 - 3500/120) = 2/3 * 90.8333 = 60.5556 bar.
  CHECK(mean_pipe_pressure(70e5, 50e5) == Approx(60.55555555555556e5).epsilon(1e-14));
}

TEST_CASE("#P2 friction factors: Nikuradse, Colebrook-White, Swamee-Jain, Hofer", "[hydraulics]") {
  // Nikuradse, D = 1 m, k = 0.012 mm: 2 log10(83333.33) + 1.138 = 10.97965; 1/10.97965^2.
  CHECK(nikuradse_friction(1.0, 0.012e-3) == Approx(0.00829514526307096).epsilon(1e-12));
  // Colebrook-White satisfies its own implicit equation.
  for (double re : {4e3, 1e5, 1e7, 1e9}) {
    const double lam = colebrook_friction(re, 1.0, 0.012e-3);
    const double rhs = -2.0 * std::log10(2.51 / (re * std::sqrt(lam)) + 0.012e-3 / 3.71);
    CHECK(1.0 / std::sqrt(lam) == Approx(rhs).epsilon(1e-13));
    // Swamee-Jain and Hofer approximate it within 2 %.
    CHECK(swamee_jain_friction(re, 1.0, 0.012e-3) == Approx(lam).epsilon(0.02));
    CHECK(hofer_friction(re, 1.0, 0.012e-3) == Approx(lam).epsilon(0.02));
  }
  // Fully rough limit: Colebrook at huge Re is Nikuradse (1.138 = 2 log10 3.71, rounded).
  CHECK(colebrook_friction(1e15, 1.0, 0.012e-3) ==
        Approx(nikuradse_friction(1.0, 0.012e-3)).epsilon(1e-3));
  // Below Re = 4000 the turbulent laws are frozen at Re = 4000.
  CHECK(colebrook_friction(10.0, 1.0, 1e-5) == colebrook_friction(4000.0, 1.0, 1e-5));
  CHECK(hofer_friction(0.0, 1.0, 1e-5) == hofer_friction(4000.0, 1.0, 1e-5));
}

// ---------------------------------------------------------------------------------------------
// Single pipes against closed forms.

TEST_CASE("#H1 horizontal pipe, constant z: p_out = sqrt(p_in^2 - Lambda q^2)", "[hydraulics]") {
  // L = 100 km, D = 1.0 m, k = 0.012 mm, z = 0.9, p_A = 70 bar (set), 100 kg/s taken at B.
  // lambda = 0.00829514526; Lambda = 16 lambda R_s z T L / (pi^2 D^5) = 1.5345689263e8 1/(m s)...
  // in Pa^2/(kg/s)^2; p_B = sqrt((70e5)^2 - 1.5345689263e8 * 100^2) = 6,889,516.026 Pa.
  HydraulicNetwork net;
  net.nodes = {node("A", 0.0, 70.0), node("B", -100.0)};
  net.pipes = {pipe("P", 0, 1, 100.0, 1.0, 0.012)};
  const HydraulicOptions opt = constant_z();
  const HydraulicResult r = solve_hydraulics(net, opt);
  check_solution(net, opt, r);
  CHECK(r.node_pressure_pa[1] == Approx(6889516.026087449).epsilon(1e-12));
  CHECK(r.pipe_flow_kg_per_s[0] == Approx(100.0).epsilon(1e-12));
  CHECK(r.node_injection_kg_per_s[0] == Approx(100.0).epsilon(1e-12));
  CHECK(r.used_symmetric_solver);
  // Velocity at the low-pressure end: rho = p/(z R_s T) = 6889516 / (0.9 * 447.799 * 283.15)
  // = 60.374 kg/m3; v = 100 / (60.374 * pi/4) = 2.1089 m/s.
  CHECK(
      r.pipe_velocity_m_per_s[0] ==
      Approx(100.0 / (6889516.026087449 / (0.9 * kRs * kT) * std::numbers::pi / 4)).epsilon(1e-10));
}

TEST_CASE("#H1b horizontal pipe with Papay z at the mean pressure (fixed point by hand)",
          "[hydraulics]") {
  // Same pipe, Papay. Iterating p_B = sqrt(p_A^2 - Lambda(z(p_m)) q^2) to a fixed point gives
  // p_B = 6,894,639.978 Pa with z_m = 0.858577.
  HydraulicNetwork net;
  net.nodes = {node("A", 0.0, 70.0), node("B", -100.0)};
  net.pipes = {pipe("P", 0, 1, 100.0, 1.0, 0.012)};
  for (auto j : {JacobianChoice::Auto, JacobianChoice::Exact}) {
    HydraulicOptions opt;
    opt.jacobian = j;
    const HydraulicResult r = solve_hydraulics(net, opt);
    check_solution(net, opt, r);
    CHECK(r.node_pressure_pa[1] == Approx(6894639.9775515525).epsilon(1e-11));
    CHECK(r.pipe_mean_z[0] == Approx(0.858577024065924).epsilon(1e-10));
  }
}

TEST_CASE("#H2 pipe rising 500 m: hydrostatic at zero flow, the standard form with flow",
          "[hydraulics]") {
  // L = 50 km, D = 0.8 m, k = 0.02 mm, z = 0.9, p_A = 60 bar, B 500 m higher.
  // S = 2 g dh / (R_s z T) = 2 * 9.80665 * 500 / (447.799 * 0.9 * 283.15) = 0.0859366676.
  // Zero flow: p_B = p_A e^(-S/2) = 5,747,650.344 Pa.
  // 50 kg/s: lambda = 0.0093493379, Lambda = 2.6391454733e8, (e^S - 1)/S = 1.0442260905;
  // p_B = sqrt((p_A^2 - Lambda 1.04422609 * 2500) e^-S) = 5,692,385.535 Pa.
  HydraulicNetwork net;
  net.nodes = {node("A", 0.0, 60.0), node("B", 0.0, {}, 500.0)};
  net.pipes = {pipe("P", 0, 1, 50.0, 0.8, 0.02)};
  const HydraulicOptions opt = constant_z();
  SECTION("zero flow") {
    const HydraulicResult r = solve_hydraulics(net, opt);
    check_solution(net, opt, r);
    CHECK(r.node_pressure_pa[1] == Approx(5747650.343861572).epsilon(1e-12));
    CHECK(r.pipe_flow_kg_per_s[0] == 0.0);
  }
  SECTION("50 kg/s uphill") {
    net.nodes[1].injection_kg_per_s = -50.0;
    for (auto j : {JacobianChoice::Auto, JacobianChoice::Exact}) {
      HydraulicOptions o = opt;
      o.jacobian = j;
      const HydraulicResult r = solve_hydraulics(net, o);
      check_solution(net, o, r);
      CHECK(r.node_pressure_pa[1] == Approx(5692385.535105426).epsilon(1e-11));
    }
  }
}

TEST_CASE("#H3 compressor on outlet pressure: ratio, isentropic power, fuel", "[hydraulics]") {
  // A (50 bar, set) -P1 80 km- B =CS (outlet 70 bar)=> C -P2 120 km- D takes 150 kg/s.
  // D = 1.0 m, k = 0.012 mm, z = 0.9: Lambda1 = 1.2276551410e8, Lambda2 = 1.8414827115e8.
  // p_B = sqrt(50e5^2 - Lambda1 150^2) = 4,715,694.639 Pa; p_D = sqrt(70e5^2 - Lambda2 150^2)
  // = 6,697,511.769 Pa; ratio 70e5 / p_B = 1.484404851.
  // Power, kappa = 1.307, eta = 0.8: q z R_s T kappa/(kappa-1) (ratio^(0.307/1.307) - 1) / eta
  // = 8.856446 MW. Fuel at drive efficiency 0.33 and 36.454 MJ/m3 / 0.785 kg/m3 = 46.439 MJ/kg:
  // 8.856446 / (0.33 * 46.439) = 0.577917 kg/s, 0.385 % of the throughput.
  HydraulicNetwork net;
  net.nodes = {node("A", 0.0, 50.0), node("B"), node("C"), node("D", -150.0)};
  net.pipes = {pipe("P1", 0, 1, 80.0, 1.0, 0.012), pipe("P2", 2, 3, 120.0, 1.0, 0.012)};
  HydraulicCompressor cs;
  cs.id = "CS";
  cs.from = 1;
  cs.to = 2;
  cs.mode = StationMode::OutletPressure;
  cs.outlet_pressure_pa = 70e5;
  cs.isentropic_efficiency = 0.8;
  net.compressors = {cs};
  const HydraulicOptions opt = constant_z();
  const HydraulicResult r = solve_hydraulics(net, opt);
  check_solution(net, opt, r);
  CHECK_FALSE(r.used_symmetric_solver);
  CHECK(r.node_pressure_pa[1] == Approx(4715694.639466005).epsilon(1e-11));
  CHECK(r.node_pressure_pa[3] == Approx(6697511.769234349).epsilon(1e-11));
  CHECK(r.compressor_flow_kg_per_s[0] == Approx(150.0).epsilon(1e-11));
  CHECK(r.compressor_ratio[0] == Approx(1.4844048512845742).epsilon(1e-11));
  CHECK(r.compressor_power_w[0] == Approx(8.856446369685182e6).epsilon(1e-10));
  CHECK(r.compressor_fuel_kg_per_s[0] == Approx(0.5779172420013833).epsilon(1e-10));
  CHECK(r.violations.empty());

  SECTION("a station short of power or ratio is flagged, not capped") {
    net.compressors[0].max_power_w = 5e6;
    net.compressors[0].max_ratio = 1.4;
    const HydraulicResult s = solve_hydraulics(net, opt);
    check_solution(net, opt, s);
    CHECK(s.node_pressure_pa[3] == Approx(6697511.769234349).epsilon(1e-11));  // not capped
    const auto* p = find_violation(s, ViolationKind::PowerExceeded, "CS");
    REQUIRE(p != nullptr);
    CHECK(p->value == Approx(8.856446369685182e6).epsilon(1e-10));
    CHECK(p->limit == 5e6);
    const auto* q = find_violation(s, ViolationKind::RatioExceeded, "CS");
    REQUIRE(q != nullptr);
    CHECK(q->value == Approx(1.4844048512845742).epsilon(1e-11));
  }
  SECTION("fuel as a share of the throughput") {
    net.compressors[0].fuel_share = 0.005;
    const HydraulicResult s = solve_hydraulics(net, opt);
    CHECK(s.compressor_fuel_kg_per_s[0] == Approx(0.75).epsilon(1e-11));
  }
  SECTION("ratio mode 1.3: p_C = 1.3 p_B = 61.304 bar, p_D = 57.826 bar (merged, symmetric)") {
    net.compressors[0].mode = StationMode::Ratio;
    net.compressors[0].ratio = 1.3;
    const HydraulicResult s = solve_hydraulics(net, opt);
    check_solution(net, opt, s);
    CHECK(s.used_symmetric_solver);
    CHECK(s.node_pressure_pa[2] == Approx(61.30403031305808e5).epsilon(1e-11));
    CHECK(s.node_pressure_pa[3] == Approx(57.8260367181394e5).epsilon(1e-11));
    CHECK(s.compressor_flow_kg_per_s[0] == Approx(150.0).epsilon(1e-11));
  }
  SECTION("an outlet set below the inlet is flagged as throttling") {
    net.compressors[0].outlet_pressure_pa = 45e5;
    const HydraulicResult s = solve_hydraulics(net, opt);
    check_solution(net, opt, s);
    CHECK(find_violation(s, ViolationKind::StationWouldThrottle, "CS") != nullptr);
    CHECK(s.compressor_power_w[0] == 0.0);
  }
}

TEST_CASE("#H4 two parallel pipes share the flow as sqrt(D^5 / lambda)", "[hydraulics]") {
  // Same ends, so the same p_m and z: q1/q2 = sqrt(lambda2 D1^5 / (lambda1 D2^5)).
  // D1 = 0.9, D2 = 0.6, k = 0.05 mm: lambda1 = 0.0107417823, lambda2 = 0.0115710801;
  // q1/q2 = 2.8600717283, so P1 carries 0.74093745651 of 120 kg/s = 88.912495 kg/s.
  HydraulicNetwork net;
  net.nodes = {node("A", 0.0, 70.0), node("B", -120.0)};
  net.pipes = {pipe("P1", 0, 1, 60.0, 0.9, 0.05), pipe("P2", 0, 1, 60.0, 0.6, 0.05)};
  HydraulicOptions opt;
  const HydraulicResult r = solve_hydraulics(net, opt);
  check_solution(net, opt, r);
  CHECK(r.pipe_flow_kg_per_s[0] / r.pipe_flow_kg_per_s[1] ==
        Approx(2.8600717283024872).epsilon(1e-11));
  CHECK(r.pipe_flow_kg_per_s[0] == Approx(120.0 * 0.7409374565068608).epsilon(1e-11));
}

TEST_CASE("#H5 regulator holds its outlet; one that cannot is flagged", "[hydraulics]") {
  // A (70 bar) -P1- B =REG (40 bar)=> C -P2- D takes 80 kg/s. Upstream of the regulator the
  // pipe is as #H1's with 80 kg/s: p_B = sqrt(70e5^2 - Lambda 80^2) at z = 0.9.
  HydraulicNetwork net;
  net.nodes = {node("A", 0.0, 70.0), node("B"), node("C"), node("D", -80.0)};
  net.pipes = {pipe("P1", 0, 1, 100.0, 1.0, 0.012), pipe("P2", 2, 3, 30.0, 0.6, 0.012)};
  HydraulicRegulator reg;
  reg.id = "REG";
  reg.from = 1;
  reg.to = 2;
  reg.outlet_pressure_pa = 40e5;
  net.regulators = {reg};
  const HydraulicOptions opt = constant_z();
  const HydraulicResult r = solve_hydraulics(net, opt);
  check_solution(net, opt, r);
  const double lambda_h1 = 153456892.62842128;
  CHECK(r.node_pressure_pa[1] ==
        Approx(std::sqrt(70e5 * 70e5 - lambda_h1 * 6400.0)).epsilon(1e-11));
  CHECK(r.regulator_flow_kg_per_s[0] == Approx(80.0).epsilon(1e-11));
  CHECK(r.violations.empty());
  // p_B = sqrt(49e12 - 1.5345689e8 * 6400) = 69.2955 bar; a set point of 69.5 bar is above it.
  net.regulators[0].outlet_pressure_pa = 69.5e5;
  const HydraulicResult s = solve_hydraulics(net, opt);
  check_solution(net, opt, s);
  CHECK(find_violation(s, ViolationKind::RegulatorCannotHold, "REG") != nullptr);
}

TEST_CASE("#H6 valves: open joins, closed cuts, a loop of open valves carries nothing extra",
          "[hydraulics]") {
  // A (70 bar) -P1- B -V1(open)- C -P2- D (60 kg/s); V2 closed from A to D. With constant z,
  // two 50 km pipes joined by an open valve are one 100 km pipe.
  HydraulicNetwork net;
  net.nodes = {node("A", 0.0, 70.0), node("B"), node("C"), node("D", -60.0)};
  net.pipes = {pipe("P1", 0, 1, 50.0, 0.8, 0.012), pipe("P2", 2, 3, 50.0, 0.8, 0.012)};
  net.valves = {{"V1", 1, 2, true}, {"V2", 0, 3, false}};
  const HydraulicOptions opt = constant_z();
  const HydraulicResult r = solve_hydraulics(net, opt);
  check_solution(net, opt, r);
  CHECK(r.valve_flow_kg_per_s[0] == Approx(60.0).epsilon(1e-12));
  CHECK(r.valve_flow_kg_per_s[1] == 0.0);
  // Same as one 100 km pipe.
  HydraulicNetwork one;
  one.nodes = {node("A", 0.0, 70.0), node("D", -60.0)};
  one.pipes = {pipe("P", 0, 1, 100.0, 0.8, 0.012)};
  const HydraulicResult s = solve_hydraulics(one, opt);
  CHECK(r.node_pressure_pa[3] == Approx(s.node_pressure_pa[1]).epsilon(1e-12));
  // Two open valves in parallel: a spanning tree carries the flow, the chord none.
  net.valves.push_back({"V3", 1, 2, true});
  const HydraulicResult t = solve_hydraulics(net, opt);
  check_solution(net, opt, t);
  CHECK(t.valve_flow_kg_per_s[0] + t.valve_flow_kg_per_s[2] == Approx(60.0).epsilon(1e-12));
}

TEST_CASE("#H7 zero flow: dead ends without demand and an unloaded mesh converge", "[hydraulics]") {
  // A (70 bar) feeds B (30 kg/s); C and D hang off B with no demand; E sits 100 m above D.
  // The dead ends carry exactly zero and take hydrostatic pressures: p_C = p_B, and
  // p_E = p_D e^(-S/2) with S at the mean pressure's z (Papay).
  HydraulicNetwork net;
  net.nodes = {node("A", 0.0, 70.0), node("B", -30.0), node("C"), node("D"),
               node("E", 0.0, {}, 100.0)};
  net.pipes = {pipe("P1", 0, 1, 80.0, 0.8, 0.012), pipe("P2", 1, 2, 10.0, 0.5, 0.012),
               pipe("P3", 2, 3, 10.0, 0.5, 0.012), pipe("P4", 3, 4, 5.0, 0.5, 0.012)};
  HydraulicOptions opt;
  const HydraulicResult r = solve_hydraulics(net, opt);
  check_solution(net, opt, r);
  CHECK(r.pipe_flow_kg_per_s[1] == 0.0);
  CHECK(r.pipe_flow_kg_per_s[3] == 0.0);
  CHECK(r.node_pressure_pa[2] == Approx(r.node_pressure_pa[1]).epsilon(1e-14));
  CHECK(r.node_pressure_pa[4] < r.node_pressure_pa[3]);
  // A meshed ring with no demand at all: every flow zero, every pressure p_A.
  HydraulicNetwork ring;
  ring.nodes = {node("A", 0.0, 70.0), node("B"), node("C"), node("D")};
  ring.pipes = {pipe("P1", 0, 1, 30.0, 0.8, 0.012), pipe("P2", 1, 2, 30.0, 0.8, 0.012),
                pipe("P3", 2, 3, 30.0, 0.8, 0.012), pipe("P4", 3, 0, 30.0, 0.8, 0.012),
                pipe("P5", 0, 2, 40.0, 0.6, 0.012)};
  const HydraulicResult s = solve_hydraulics(ring, opt);
  check_solution(ring, opt, s);
  for (double q : s.pipe_flow_kg_per_s) CHECK(std::abs(q) <= 1e-9);
  // Lightly loaded: 1e-6 kg/s at C.
  ring.nodes[2].injection_kg_per_s = -1e-6;
  const HydraulicResult t = solve_hydraulics(ring, opt);
  check_solution(ring, opt, t);
}

TEST_CASE("#H8 short wide pipe: GasLib-24's L04 (10 m, 2.1 m) keeps its digits", "[hydraulics]") {
  // The drop over L04 at 150 kg/s is about 3e-6 bar; with plain p^2 near 4,900 bar^2 the
  // balance stalls near 1e-9. Offsets from the zone base keep it well below.
  HydraulicNetwork net;
  net.nodes = {node("A", 0.0, 70.0), node("B"), node("C"), node("D", -150.0)};
  net.pipes = {pipe("P1", 0, 1, 50.0, 1.1, 0.01), pipe("L04", 1, 2, 0.01, 2.1, 0.01),
               pipe("P2", 2, 3, 30.0, 0.9, 0.01)};
  HydraulicOptions opt;
  const HydraulicResult r = solve_hydraulics(net, opt);
  check_solution(net, opt, r);
  const double drop = r.node_pressure_pa[1] - r.node_pressure_pa[2];
  CHECK(drop > 0.0);
  CHECK(drop < 1.0);  // Pa
}

TEST_CASE("#H9 friction options: Colebrook-White and Hofer match the closed form at known flow",
          "[hydraulics]") {
  // With the flow known (100 kg/s), Re and lambda are known, so p_B is explicit again:
  // Re = 4 q / (pi D eta) = 400 / (pi 1e-5) = 1.2732e7.
  for (auto law : {FrictionLaw::ColebrookWhite, FrictionLaw::Hofer}) {
    HydraulicNetwork net;
    net.nodes = {node("A", 0.0, 70.0), node("B", -100.0)};
    net.pipes = {pipe("P", 0, 1, 100.0, 1.0, 0.012)};
    HydraulicOptions opt = constant_z();
    opt.friction = law;
    const HydraulicResult r = solve_hydraulics(net, opt);
    check_solution(net, opt, r);
    const double re = 400.0 / (std::numbers::pi * 1e-5);
    const double lam = law == FrictionLaw::Hofer ? hofer_friction(re, 1.0, 0.012e-3)
                                                 : colebrook_friction(re, 1.0, 0.012e-3);
    const double big = 16.0 * lam * kRs * 0.9 * kT * 1e5 / (std::numbers::pi * std::numbers::pi);
    CHECK(r.node_pressure_pa[1] == Approx(std::sqrt(70e5 * 70e5 - big * 1e4)).epsilon(1e-11));
  }
}

// ---------------------------------------------------------------------------------------------
// Statuses: ill-posed rules, invalid input, non-convergence.

TEST_CASE("#S1 two stations setting one outlet: ill-posed, naming both", "[hydraulics]") {
  HydraulicNetwork net;
  net.nodes = {node("S", 0.0, 50.0), node("I1"), node("I2"), node("O"), node("D", -50.0)};
  net.pipes = {pipe("P1", 0, 1, 20, 0.8, 0.012), pipe("P2", 0, 2, 20, 0.8, 0.012),
               pipe("P3", 3, 4, 20, 0.8, 0.012)};
  HydraulicCompressor a;
  a.id = "CS-a";
  a.from = 1;
  a.to = 3;
  a.outlet_pressure_pa = 70e5;
  HydraulicCompressor b = a;
  b.id = "CS-b";
  b.from = 2;
  net.compressors = {a, b};
  const HydraulicResult r = solve_hydraulics(net);
  CHECK(r.status == HydraulicStatus::IllPosed);
  CHECK(r.message ==
        "the pressure of node 'O' is set 2 times, by compressor station 'CS-a' and compressor "
        "station 'CS-b', so the split of flow between them is not determined; set it once "
        "(close or bypass the other stations, or run them on a ratio)");
  // On a ratio both are determined by their inlets' balances.
  net.compressors[0].mode = net.compressors[1].mode = StationMode::Ratio;
  net.compressors[0].ratio = net.compressors[1].ratio = 1.2;
  HydraulicOptions opt;
  const HydraulicResult s = solve_hydraulics(net, opt);
  check_solution(net, opt, s);
}

TEST_CASE("#S2 a source reaching the grid only through a station: ill-posed", "[hydraulics]") {
  // S2 supplies 20 kg/s and meets the grid only through CS (outlet pressure): nothing sets
  // the pressure of S2's side.
  HydraulicNetwork net;
  net.nodes = {node("S1", 0.0, 60.0), node("S2", 20.0), node("X"), node("Y"), node("D", -40.0)};
  net.pipes = {pipe("P1", 0, 3, 30, 0.8, 0.012), pipe("P2", 1, 2, 10, 0.8, 0.012),
               pipe("P3", 3, 4, 30, 0.8, 0.012)};
  HydraulicCompressor cs;
  cs.id = "CS";
  cs.from = 2;
  cs.to = 3;
  cs.outlet_pressure_pa = 60e5;
  net.compressors = {cs};
  const HydraulicResult r = solve_hydraulics(net);
  CHECK(r.status == HydraulicStatus::IllPosed);
  CHECK(r.message ==
        "nothing sets the pressure of the part of the network with nodes 'S2' and 'X': no node "
        "there has a set pressure, and it meets the rest only through compressor station 'CS' "
        "setting outlet pressures; give one of its sources a set pressure, or run a station "
        "next to it on a ratio");
}

TEST_CASE("#S3 no set pressure anywhere, and unbalanced supplies: ill-posed", "[hydraulics]") {
  HydraulicNetwork net;
  net.nodes = {node("A", 10.0), node("B", -10.0)};
  net.pipes = {pipe("P", 0, 1, 10, 0.5, 0.012)};
  HydraulicResult r = solve_hydraulics(net);
  CHECK(r.status == HydraulicStatus::IllPosed);
  CHECK(r.message ==
        "no node of the part of the network with nodes 'A' and 'B' has a set pressure with a "
        "free injection, so its mass balance is not closed (with stations setting pressures the "
        "balance equations are dependent); give one source a set pressure");
  net.nodes[1].injection_kg_per_s = -12.0;
  r = solve_hydraulics(net);
  CHECK(r.status == HydraulicStatus::IllPosed);
  CHECK(r.message ==
        "supplies and withdrawals of the part of the network with nodes 'A' and 'B' do not "
        "balance (-2 kg/s) and no node there has a set pressure to take up the difference; give "
        "one source a set pressure");
}

TEST_CASE("#S4 invalid input is a status naming the element", "[hydraulics]") {
  HydraulicNetwork net;
  net.nodes = {node("A", 0.0, 70.0), node("B", -10.0)};
  net.pipes = {pipe("P", 0, 1, 10, 0.5, 0.012)};
  net.pipes[0].diameter_m = 0.0;
  CHECK(solve_hydraulics(net).message ==
        "pipe 'P': length and diameter must be finite and positive");
  net.pipes[0].diameter_m = 0.5;
  net.pipes[0].to = 7;
  CHECK(solve_hydraulics(net).message == "pipe 'P': ends must be two different nodes");
  net.pipes[0].to = 1;
  net.pipes[0].roughness_m = 0.6;
  CHECK(solve_hydraulics(net).status == HydraulicStatus::InvalidInput);
  net.pipes[0].roughness_m = 1e-5;
  HydraulicCompressor cs;
  cs.id = "CS";
  cs.from = 0;
  cs.to = 1;
  cs.outlet_pressure_pa = 80e5;
  net.compressors = {cs};
  HydraulicOptions opt;
  opt.jacobian = JacobianChoice::Symmetric;
  const HydraulicResult r = solve_hydraulics(net, opt);
  CHECK(r.status == HydraulicStatus::InvalidInput);
  CHECK(r.message ==
        "the symmetric Jacobian (LDLT) needs a network of pipes, resistors, valves and ratio "
        "stations; stations or regulators that set a pressure make it unsymmetric");
}

TEST_CASE("#S5 forced non-convergence and an uncarriable flow are statuses, not crashes",
          "[hydraulics]") {
  HydraulicNetwork net;
  net.nodes = {node("A", 0.0, 70.0), node("B", -100.0)};
  net.pipes = {pipe("P", 0, 1, 100.0, 1.0, 0.012)};
  HydraulicOptions opt;
  opt.max_iterations = 1;
  opt.tolerance = 1e-300;
  HydraulicResult r = solve_hydraulics(net, opt);
  CHECK(r.status == HydraulicStatus::NoConvergence);
  CHECK(r.message.rfind(
            "no convergence in 1 Newton iterations: the largest scaled mass-balance residual is ",
            0) == 0);
  CHECK(r.iterations == 1);
  REQUIRE(r.node_pressure_pa.size() == 2);  // the last iterate is reported with the status
  // 1,000 kg/s through 100 km of 0.5 m pipe from 70 bar: p_B^2 would be far below zero.
  net.pipes[0].diameter_m = 0.5;
  net.nodes[1].injection_kg_per_s = -1000.0;
  r = solve_hydraulics(net);
  CHECK(r.status == HydraulicStatus::NegativePressure);
  CHECK(r.message.rfind("the iteration reached p^2 <= 0 at node 'B' and could not continue (", 0) ==
        0);
  CHECK(r.message.find("): the network cannot carry these flows at these pressure settings") !=
        std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Seeded random meshes: symmetric (LDLT) and exact (SparseLU) Jacobians give the same answer.

/// A w x h grid with random lengths, diameters and heights, a few diagonals, the corner set at
/// 75 bar and random withdrawals at a third of the nodes.
HydraulicNetwork random_mesh(unsigned seed, int w, int h) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  HydraulicNetwork net;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      HydraulicNode n = node("n" + std::to_string(y * w + x));
      n.height_m = 300.0 * u(rng);
      if (u(rng) < 0.33) n.injection_kg_per_s = -(1.0 + 9.0 * u(rng));
      net.nodes.push_back(n);
    }
  net.nodes[0].set_pressure_pa = 75e5;
  net.nodes[0].injection_kg_per_s = 0.0;
  auto add = [&](int a, int b) {
    net.pipes.push_back(pipe("p" + std::to_string(net.pipes.size()), a, b, 5.0 + 45.0 * u(rng),
                             0.5 + 0.7 * u(rng), 0.012));
  };
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const int v = y * w + x;
      if (x + 1 < w) add(v, v + 1);
      if (y + 1 < h) add(v, v + w);
      if (x + 1 < w && y + 1 < h && u(rng) < 0.2) add(v, v + w + 1);
    }
  return net;
}

TEST_CASE("#R1 random meshes: LDLT and SparseLU agree, invariants hold", "[hydraulics]") {
  const unsigned seed = GENERATE(range(1u, 13u));
  INFO("seed " << seed);
  // Flat, the automatic choice is LDLT; the exact Jacobian with SparseLU must agree.
  HydraulicNetwork net = random_mesh(seed, 7, 6);
  for (auto& v : net.nodes) v.height_m = 0.0;
  HydraulicOptions sym, exact;
  exact.jacobian = JacobianChoice::Exact;
  const HydraulicResult a = solve_hydraulics(net, sym);
  const HydraulicResult b = solve_hydraulics(net, exact);
  check_solution(net, sym, a);
  check_solution(net, exact, b);
  CHECK(a.used_symmetric_solver);
  CHECK_FALSE(b.used_symmetric_solver);
  for (std::size_t v = 0; v < net.nodes.size(); ++v)
    CHECK(a.node_pressure_pa[v] == Approx(b.node_pressure_pa[v]).epsilon(1e-10));
  // With the defect correction the LDLT steps are exact Newton steps: the same iterations.
  CHECK(std::abs(a.iterations - b.iterations) <= 1);
  // A warm start from the answer converges at once.
  HydraulicOptions warm;
  warm.initial_pressure_pa = a.node_pressure_pa;
  const HydraulicResult c = solve_hydraulics(net, warm);
  check_solution(net, warm, c);
  CHECK(c.iterations <= 1);
  // Hilly (heights 0-300 m): the automatic choice is the exact Jacobian; a forced LDLT must
  // reach the same answer when it converges.
  const HydraulicNetwork hilly = random_mesh(seed, 7, 6);
  const HydraulicResult h = solve_hydraulics(hilly, sym);
  check_solution(hilly, sym, h);
  CHECK_FALSE(h.used_symmetric_solver);
  HydraulicOptions forced;
  forced.jacobian = JacobianChoice::Symmetric;
  const HydraulicResult k = solve_hydraulics(hilly, forced);
  check_solution(hilly, forced, k);
  CHECK(k.used_symmetric_solver);
  for (std::size_t v = 0; v < hilly.nodes.size(); ++v)
    CHECK(k.node_pressure_pa[v] == Approx(h.node_pressure_pa[v]).epsilon(1e-10));
}

TEST_CASE("#R2 KLU reusing its first pivot order agrees with SparseLU over whole solves",
          "[hydraulics]") {
  // KLU pivots once per solve and then refactorises with that order (hydraulics.h, Method);
  // Eigen's SparseLU pivots afresh every step. On hilly meshes with a ratio station inside one
  // zone (kept as a ratio row whose diagonal is a structural zero, so the pivot is off the
  // diagonal) both must give the same iterates: same iteration count, pressures to 1e-10.
  const unsigned seed = GENERATE(range(1u, 9u));
  INFO("seed " << seed);
  const int w = 8, h = 7;
  HydraulicNetwork net = random_mesh(seed, w, h);
  HydraulicCompressor c;
  c.id = "ratio-inside";
  c.from = 1;
  c.to = w * h - 1;
  c.mode = StationMode::Ratio;
  c.ratio = 1.02;
  net.compressors.push_back(c);
  HydraulicOptions klu, slu;
  slu.lu = LuSolver::SparseLU;
  const HydraulicResult a = solve_hydraulics(net, klu);
  const HydraulicResult b = solve_hydraulics(net, slu);
  REQUIRE(a.converged());
  REQUIRE(b.converged());
  check_solution(net, klu, a);
  check_solution(net, slu, b);
  CHECK_FALSE(a.used_symmetric_solver);
  CHECK(a.iterations >= 3);  // several refactorisations with the first order
  CHECK(a.iterations == b.iterations);
  CHECK(a.linear_start_iterations == b.linear_start_iterations);
  for (std::size_t v = 0; v < net.nodes.size(); ++v)
    CHECK(a.node_pressure_pa[v] == Approx(b.node_pressure_pa[v]).epsilon(1e-10));
  CHECK(a.compressor_flow_kg_per_s[0] ==
        Approx(b.compressor_flow_kg_per_s[0]).epsilon(1e-8).margin(1e-9));
}

}  // namespace
}  // namespace corridor
