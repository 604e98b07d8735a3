// Oil pipeline hydraulics (oil_hydraulics.h): density and viscosity at temperature, a line
// with pump stations against hand-worked numbers (#O1...), and capacities with what binds.
#include "corridor/oil_hydraulics.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "corridor/hydraulics.h"

namespace corridor {
namespace {

TEST_CASE("#O1 crude density and viscosity at temperature", "[oil]") {
  OilProperties oil;  // 850 kg/m3 at 15 °C; 10 cSt at 20 °C, 5 cSt at 50 °C
  // API 11.1: alpha = 613.9723 / 850^2 = 8.4979e-4 /K; at 35 °C, dT = 20:
  // 850 exp(-0.0169958 (1 + 0.8 * 0.0169958)) = 835.4826 kg/m3.
  CHECK(oil_density(oil, 15.0) == 850.0);
  CHECK(oil_density(oil, 35.0) == Approx(835.4825744910462).epsilon(1e-12));
  // ASTM D341 through the two points returns them, and interpolates in log log.
  CHECK(oil_kinematic_viscosity(oil, 20.0) == Approx(10e-6).epsilon(1e-12));
  CHECK(oil_kinematic_viscosity(oil, 50.0) == Approx(5e-6).epsilon(1e-12));
  CHECK(oil_kinematic_viscosity(oil, 15.0) == Approx(11.52012086907732e-6).epsilon(1e-10));
  CHECK(oil_kinematic_viscosity(oil, 35.0) == Approx(6.864515413896609e-6).epsilon(1e-10));
}

/// A flat 100 km line of 0.7 m (k = 0.05 mm) with a head station at 0: inlet 3 bar, delivery
/// 5 bar, MAOP 80 bar, at 15 °C.
OilLine flat_line() {
  OilLine line;
  line.id = "L";
  line.length_m = 100e3;
  line.inner_diameter_m = 0.7;
  line.roughness_m = 0.05e-3;
  line.max_pressure_pa = 80e5;
  line.inlet_pressure_pa = 3e5;
  line.min_suction_pressure_pa = 2e5;
  line.min_line_pressure_pa = 2e5;
  line.delivery_pressure_pa = 5e5;
  line.temperature_c = 15.0;
  PumpStation ps;
  ps.id = "PS1";
  ps.position_m = 0.0;
  ps.max_head_m = 1000.0;
  ps.max_power_w = 10e6;
  ps.efficiency = 0.8;
  line.stations = {ps};
  return line;
}

TEST_CASE("#O3 flat line, one station: Darcy-Weisbach head and power", "[oil]") {
  // 500 kg/s at 850 kg/m3: Q = 0.588235 m3/s, v = Q / (pi 0.35^2) = 1.528499 m/s;
  // nu(15 °C) = 11.52012 cSt, Re = 92,876.6; Colebrook lambda = 0.0186317;
  // h_f = lambda (L/D) v^2/(2g) = 317.0548 m; discharge = 5 bar + rho g h_f = 31.42859 bar;
  // head = (31.42859 - 3) bar / (rho g) = 341.0482 m; power = rho g Q H / 0.8 = 2.090337 MW.
  const OilLine line = flat_line();
  const OilLineState st = solve_oil_line(line, OilProperties{}, 500.0);
  CHECK(st.feasible());
  CHECK(st.velocity_m_per_s == Approx(1.5284988532234847).epsilon(1e-12));
  CHECK(st.reynolds == Approx(92876.56001322273).epsilon(1e-9));
  CHECK(st.friction_factor == Approx(0.018631716147144584).epsilon(1e-9));
  REQUIRE(st.stations.size() == 1);
  CHECK(st.stations[0].discharge_pa == Approx(31.428589394709444e5).epsilon(1e-9));
  CHECK(st.stations[0].head_m == Approx(341.04815903385423).epsilon(1e-9));
  CHECK(st.stations[0].power_w == Approx(2.0903374554933416e6).epsilon(1e-9));
  CHECK(st.delivery_pa == Approx(5e5).epsilon(1e-9));
}

TEST_CASE("#O4 a peak needs more than the delivery: the slack-line point binds", "[oil]") {
  // Profile 0 m -> 800 m at 50 km -> 200 m at 100 km, minimum line pressure 2 bar, 500 kg/s.
  // For the end: 5 bar + rho g (h_f + 200 m) = 48.09989 bar; for the peak:
  // 2 bar + rho g (h_f/2 + 800 m) = 81.89951 bar, above the 80 bar MAOP: flagged, not capped,
  // and the end then gets 81.89951 - rho g (h_f + 200) = 38.79962 bar.
  OilLine line = flat_line();
  line.profile = {{0.0, 0.0}, {50e3, 800.0}, {100e3, 200.0}};
  const OilLineState st = solve_oil_line(line, OilProperties{}, 500.0);
  REQUIRE(st.stations.size() == 1);
  CHECK(st.stations[0].discharge_pa == Approx(81.89951469735472e5).epsilon(1e-9));
  CHECK(st.delivery_pa == Approx(38.79962030264529e5).epsilon(1e-9));
  CHECK(st.first_limit == "MAOP");
  REQUIRE(st.violations.size() == 1);
  CHECK(st.violations[0] == "MAOP: 0 km at 81.9 bar, above the MAOP 80 bar");
  // The pressure at the peak is exactly the minimum line pressure.
  bool found = false;
  for (const auto& [x, p] : st.pressure_profile)
    if (x == 50e3) {
      found = true;
      CHECK(p == Approx(2e5).epsilon(1e-9));
    }
  CHECK(found);
}

TEST_CASE("#O5 capacity: head, power and MAOP each bind where they should", "[oil]") {
  const OilProperties oil;
  SECTION("head") {
    OilLine line = flat_line();
    line.stations[0].max_head_m = 400.0;
    line.stations[0].max_power_w = 1e9;
    const OilLineCapacity cap = oil_line_capacity(line, oil);
    CHECK(cap.limit == "head");
    CHECK(cap.at_capacity.stations[0].head_m == Approx(400.0).epsilon(1e-6));
    CHECK(cap.at_capacity.feasible());
  }
  SECTION("power") {
    OilLine line = flat_line();
    line.stations[0].max_head_m = 1e4;
    line.stations[0].max_power_w = 3e6;
    const OilLineCapacity cap = oil_line_capacity(line, oil);
    CHECK(cap.limit == "power");
    CHECK(cap.at_capacity.stations[0].power_w == Approx(3e6).epsilon(1e-6));
  }
  SECTION("MAOP") {
    OilLine line = flat_line();
    line.stations[0].max_head_m = 1e4;
    line.stations[0].max_power_w = 1e9;
    const OilLineCapacity cap = oil_line_capacity(line, oil);
    CHECK(cap.limit == "MAOP");
    CHECK(cap.at_capacity.stations[0].discharge_pa == Approx(80e5).epsilon(1e-6));
  }
  SECTION("a second station mid-line raises the capacity and idles at low flow") {
    OilLine line = flat_line();
    line.stations[0].max_head_m = 1e4;
    line.stations[0].max_power_w = 1e9;
    const double one = oil_line_capacity(line, oil).max_mass_flow_kg_per_s;
    PumpStation ps2 = line.stations[0];
    ps2.id = "PS2";
    ps2.position_m = 50e3;
    line.stations.push_back(ps2);
    const OilLineCapacity two = oil_line_capacity(line, oil);
    // The binding half (80 bar to the 5 bar delivery over 50 km instead of 100) may carry
    // lambda v^2 twice as large: the flow rises by sqrt(2 lambda_1 / lambda_2), a little more
    // than sqrt(2) = 1.414 since lambda falls as Re rises.
    CHECK(two.limit == "MAOP");
    CHECK(two.max_mass_flow_kg_per_s > 1.414 * one);
    CHECK(two.max_mass_flow_kg_per_s < 1.5 * one);
    // At 50 kg/s the 3 bar inlet carries the first half (the head station idles) and the
    // second station lifts to the 5 bar delivery.
    const OilLineState low = solve_oil_line(line, oil, 50.0);
    REQUIRE(low.stations.size() == 2);
    CHECK(low.stations[0].head_m == 0.0);
    CHECK(low.stations[1].head_m > 0.0);
    CHECK(low.delivery_pa == Approx(5e5).epsilon(1e-9));
  }
}

TEST_CASE("#O6 an unusable line is an error naming it", "[oil]") {
  OilLine line = flat_line();
  line.stations[0].position_m = 200e3;
  CHECK_THROWS_WITH(solve_oil_line(line, OilProperties{}, 1.0),
                    "oil line 'L': pump station 'PS1' is not on the line");
  line = flat_line();
  line.profile = {{0.0, 0.0}, {90e3, 10.0}};
  CHECK_THROWS_WITH(solve_oil_line(line, OilProperties{}, 1.0),
                    "oil line 'L': the height profile must start at 0 km and end at the line's "
                    "length");
}

}  // namespace
}  // namespace corridor
