// A gas line with compressor stations (gas_line.h): closed forms worked in the comments (#L1
// ...), the network solver of hydraulics.h on the same chain, and what binds.
#include "corridor/gas_line.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <string>

#include "corridor/hydraulics.h"

namespace corridor {
namespace {

/// A constant z of 0.9.
HydraulicOptions constant_z() {
  HydraulicOptions o;
  o.compressibility = CompressibilityLaw::Constant;
  o.constant_z = 0.9;
  return o;
}

GasProperties z09() { return GasProperties{}; }

/// 100 km of 1.0 m (inner), k = 0.012 mm, flat, MAOP 80 bar, 50 bar the least pressure.
GasLine hundred_km() {
  GasLine l;
  l.id = "L";
  l.length_m = 100e3;
  l.inner_diameter_m = 1.0;
  l.roughness_m = 0.012e-3;
  l.max_pressure_pa = 80e5;
  l.inlet_pressure_pa = 70e5;
  l.min_pressure_pa = 50e5;
  return l;
}

// Lambda of #H1 (hydraulics_test.cpp): 100 km, 1.0 m, 0.012 mm, z = 0.9, GasLib-11's gas.
constexpr double kLambda = 153456892.62842128;

TEST_CASE("#L1 no stations: the capacity is sqrt((p_in^2 - p_min^2) / Lambda)", "[gasline]") {
  // (70^2 - 50^2) bar^2 = 2.4e13 Pa^2; q = sqrt(2.4e13 / 1.5345689e8) = 395.4708 kg/s.
  const GasLineCapacity cap = gas_line_capacity(hundred_km(), z09(), constant_z());
  CHECK(cap.max_inlet_flow_kg_per_s == Approx(std::sqrt(2.4e13 / kLambda)).epsilon(1e-6));
  CHECK(cap.limit == "delivery pressure");
  CHECK(cap.at_capacity.feasible());
  CHECK(cap.at_capacity.delivery_pa == Approx(50e5).epsilon(1e-6));
}

TEST_CASE("#L2 a head station at the MAOP, and the same when its ratio caps it", "[gasline]") {
  GasLine l = hundred_km();
  CompressorSite s;
  s.id = "CS1";
  s.fuel_share = 0.0;
  l.stations = {s};
  l.inlet_pressure_pa = 50e5;
  // Discharge at the MAOP: q = sqrt((80^2 - 50^2) bar^2 / Lambda) = 504.1 kg/s; the last
  // station reached the MAOP, so the delivery pressure binds.
  GasLineCapacity cap = gas_line_capacity(l, z09(), constant_z());
  CHECK(cap.max_inlet_flow_kg_per_s == Approx(std::sqrt(3.9e13 / kLambda)).epsilon(1e-6));
  CHECK(cap.limit == "delivery pressure");
  // A ratio of 1.4 from 50 bar reaches only 70 bar: #L1's capacity, and the ratio binds.
  l.stations[0].max_ratio = 1.4;
  cap = gas_line_capacity(l, z09(), constant_z());
  CHECK(cap.max_inlet_flow_kg_per_s == Approx(std::sqrt(2.4e13 / kLambda)).epsilon(1e-6));
  CHECK(cap.limit == "ratio");
  REQUIRE(cap.at_capacity.stations.size() == 1);
  CHECK(cap.at_capacity.stations[0].ratio == Approx(1.4).epsilon(1e-12));
  CHECK(cap.at_capacity.stations[0].cap == "ratio");
}

TEST_CASE("#L3 power caps a station's discharge: P = q z R_s T kappa/(kappa-1) (r^e - 1) / eta",
          "[gasline]") {
  GasLine l = hundred_km();
  CompressorSite s;
  s.id = "CS1";
  s.fuel_share = 0.0;
  s.max_power_w = 5e6;
  l.stations = {s};
  l.inlet_pressure_pa = 50e5;
  const GasLineCapacity cap = gas_line_capacity(l, z09(), constant_z());
  CHECK(cap.limit == "power");
  REQUIRE(cap.at_capacity.stations.size() == 1);
  const CompressorState& st = cap.at_capacity.stations[0];
  CHECK(st.cap == "power");
  CHECK(st.power_w == Approx(5e6).epsilon(1e-9));
  // At capacity the discharge just carries the flow to 50 bar: p_out^2 = 50^2 bar^2 + Lambda q^2.
  const double q = cap.max_inlet_flow_kg_per_s;
  CHECK(st.discharge_pa == Approx(std::sqrt(25e12 + kLambda * q * q)).epsilon(1e-6));
  // The power formula by hand at that point.
  const GasProperties g = z09();
  const double e = (g.isentropic_exponent - 1.0) / g.isentropic_exponent;
  const double p = q * 0.9 * g.specific_gas_constant() * g.temperature_k / e *
                   (std::pow(st.discharge_pa / 50e5, e) - 1.0) / s.isentropic_efficiency;
  CHECK(p == Approx(5e6).epsilon(1e-9));
}

TEST_CASE("#L4 the chain agrees with the network solver; fuel leaves the line", "[gasline]") {
  // Stations at 0 and 150 km of 300 km (0.9 m, 0.02 mm, 100 m up then level at the end),
  // inlet 55 bar, MAOP 84 bar, Papay; 180 kg/s. The network: A (55 bar, set) => B (84 bar) -
  // 150 km - C => D (84 bar) - 150 km - E (takes 180 kg/s).
  GasLine l;
  l.id = "L";
  l.length_m = 300e3;
  l.inner_diameter_m = 0.9;
  l.roughness_m = 0.02e-3;
  l.height_start_m = 0.0;
  l.height_end_m = 100.0;
  l.max_pressure_pa = 84e5;
  l.inlet_pressure_pa = 55e5;
  l.min_pressure_pa = 40e5;
  CompressorSite a, b;
  a.id = "A";
  b.id = "B";
  b.position_m = 150e3;
  a.fuel_share = b.fuel_share = 0.0;
  l.stations = {a, b};
  const GasProperties gas;
  const GasLineState st = solve_gas_line(l, gas, 180.0);
  REQUIRE(st.feasible());

  HydraulicNetwork net;
  auto node = [&](const char* id, double h) {
    HydraulicNode n;
    n.id = id;
    n.height_m = h;
    net.nodes.push_back(n);
  };
  node("A", 0.0);
  node("B", 0.0);
  node("C", 50.0);
  node("D", 50.0);
  node("E", 100.0);
  net.nodes[0].set_pressure_pa = 55e5;
  net.nodes[4].injection_kg_per_s = -180.0;
  auto pipe = [&](const char* id, int from, int to) {
    HydraulicPipe p;
    p.id = id;
    p.from = from;
    p.to = to;
    p.length_m = 150e3;
    p.diameter_m = 0.9;
    p.roughness_m = 0.02e-3;
    net.pipes.push_back(p);
  };
  pipe("P1", 1, 2);
  pipe("P2", 3, 4);
  auto station = [&](const char* id, int from, int to) {
    HydraulicCompressor c;
    c.id = id;
    c.from = from;
    c.to = to;
    c.outlet_pressure_pa = 84e5;
    net.compressors.push_back(c);
  };
  station("A", 0, 1);
  station("B", 2, 3);
  const HydraulicResult r = solve_hydraulics(net);
  REQUIRE(r.converged());
  CHECK(st.stations[1].suction_pa == Approx(r.node_pressure_pa[2]).epsilon(1e-10));
  CHECK(st.delivery_pa == Approx(r.node_pressure_pa[4]).epsilon(1e-10));
  CHECK(st.stations[0].power_w == Approx(r.compressor_power_w[0]).epsilon(1e-10));
  CHECK(st.stations[1].power_w == Approx(r.compressor_power_w[1]).epsilon(1e-10));

  // With fuel from the drive (efficiency 0.35, 36.454 MJ/m3 at 0.785 kg/m3), each station
  // takes P / (0.35 * 46.439 MJ/kg) from the gas it passes.
  l.stations[0].fuel_share = l.stations[1].fuel_share = std::nan("");
  const GasLineState f = solve_gas_line(l, gas, 180.0);
  const double hv = gas.heating_value_j_per_m3 / gas.normal_density_kg_per_m3;
  CHECK(f.stations[0].fuel_kg_per_s == Approx(f.stations[0].power_w / (0.35 * hv)).epsilon(1e-12));
  CHECK(f.stations[1].flow_kg_per_s == Approx(180.0 - f.stations[0].fuel_kg_per_s).epsilon(1e-12));
  CHECK(f.delivered_kg_per_s ==
        Approx(180.0 - f.stations[0].fuel_kg_per_s - f.stations[1].fuel_kg_per_s).epsilon(1e-12));
}

TEST_CASE("#L5 stations needed: the fewest evenly spaced that carry the target", "[gasline]") {
  GasLine l = hundred_km();
  l.length_m = 1000e3;
  l.inlet_pressure_pa = 50e5;
  CompressorSite s;
  s.max_ratio = 1.6;
  s.fuel_share = 0.0;
  auto capacity_with = [&](int n) {
    GasLine m = l;
    for (int k = 0; k < n; ++k) {
      CompressorSite c = s;
      c.id = std::to_string(k + 1);
      c.position_m = l.length_m * k / n;
      m.stations.push_back(c);
    }
    return gas_line_capacity(m, GasProperties{}).max_inlet_flow_kg_per_s;
  };
  const double c3 = capacity_with(3), c4 = capacity_with(4);
  REQUIRE(c4 > c3);
  CHECK(gas_stations_needed(l, s, GasProperties{}, 0.5 * (c3 + c4)) == 4);
  CHECK(gas_stations_needed(l, s, GasProperties{}, 0.99 * c3) <= 3);
  CHECK(gas_stations_needed(l, s, GasProperties{}, 1e6, {}, 20) == -1);
}

TEST_CASE("#L6 an unusable line is an error naming it", "[gasline]") {
  GasLine l = hundred_km();
  CompressorSite s;
  s.id = "far";
  s.position_m = 150e3;
  l.stations = {s};
  CHECK_THROWS_WITH(solve_gas_line(l, GasProperties{}, 1.0),
                    "gas line 'L': station 'far' is not on the line");
}

}  // namespace
}  // namespace corridor
