// Paper against physical capacity (capacity.h) on tests/fixtures/capacity/line.yaml: the
// study rebuilds each line from the scenario as gas_line.h / oil_hydraulics.h would be built
// by hand here; the physics keys' errors are located and exact; `corridor capacity` writes
// capacity.csv with the contract's columns.
#include "corridor/capacity.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "corridor/csv.h"
#include "corridor/gas_line.h"
#include "corridor/hydraulics_study.h"
#include "corridor/oil_hydraulics.h"
#include "corridor/scenario_io.h"
#include "corridor/simulate.h"
#include "test_helpers.h"

namespace corridor {
namespace {

const std::string kFixture = "tests/fixtures/capacity/line.yaml";

const CapacityRow& row(const CapacityStudy& st, const std::string& id, int year) {
  for (const CapacityRow& r : st.rows)
    if (r.id == id && r.year == year) return r;
  throw std::runtime_error("no row " + id);
}

TEST_CASE("capacity study: each line as built by hand, dispatched flows, routes", "[capacity]") {
  std::filesystem::current_path(CORRIDOR_SOURCE_DIR);
  const LoadedScenario ls = load_scenario(kFixture);
  const CaseResult result = simulate(ls.cases.front());
  const CapacityStudy st = capacity_study(result);

  // trunk1: 600 km of 1220 x 20 mm (1.18 m inside), default roughness 0.012 mm, 100 m to 300 m
  // high, MAOP 8.4 MPa, enters at the field's 55 bar, 50 % of the MAOP at every suction (its
  // 'to' node, a junction, has no min_pressure), three stations 200 km apart with 60 MW and a
  // ratio of 1.6, efficiency 0.85 and drive efficiency 0.35 (the defaults).
  GasLine l;
  l.id = "trunk1";
  l.length_m = 600e3;
  l.inner_diameter_m = 1.18;
  l.roughness_m = 0.012e-3;
  l.height_start_m = 100.0;
  l.height_end_m = 300.0;
  l.max_pressure_pa = 84e5;
  l.inlet_pressure_pa = 55e5;
  l.min_pressure_pa = 42e5;
  for (int k = 0; k < 3; ++k) {
    CompressorSite s;
    s.id = std::to_string(k + 1);
    s.position_m = 200e3 * k;
    s.max_power_w = 60e6;
    s.max_ratio = 1.6;
    l.stations.push_back(s);
  }
  GasProperties gas;  // GasLib-11's gas at 10 °C, heating value 38 MJ/m3 (corridor's default)
  gas.heating_value_j_per_m3 = 38e6;
  const GasLineCapacity cap = gas_line_capacity(l, gas);
  // kg/s to bcm/y at 0.785 kg/m3 and 365 days.
  const double to_bcm = 365 * 86400.0 / 0.785 / 1e9;
  const CapacityRow& t1 = row(st, "trunk1", 2030);
  CHECK(t1.physical_capacity == Approx(cap.max_inlet_flow_kg_per_s * to_bcm).epsilon(1e-12));
  CHECK(t1.limit == cap.limit);
  CHECK(t1.paper_capacity == 35.0);
  CHECK(t1.ratio == Approx(t1.physical_capacity / 35.0).epsilon(1e-12));
  CHECK(t1.stations == 3);
  // 2030 dispatches 20 bcm/y, below the capacity: power and fuel there.
  REQUIRE(t1.dispatched == Approx(20.0).epsilon(1e-9));
  REQUIRE(t1.dispatched < t1.physical_capacity);
  const GasLineState at = solve_gas_line(l, gas, 20.0 / to_bcm);
  CHECK(t1.power_mw == Approx(at.total_power_w / 1e6).epsilon(1e-9));
  CHECK(t1.fuel_share == Approx(at.total_fuel_kg_per_s / (20.0 / to_bcm)).epsilon(1e-9));
  CHECK_FALSE(t1.over_capacity);
  // 2031 dispatches 30 bcm/y, above it: flagged, no power or fuel.
  const CapacityRow& t1b = row(st, "trunk1", 2031);
  CHECK(t1b.over_capacity);
  CHECK(std::isnan(t1b.power_mw));
  // Stations needed for the 35 bcm/y on paper: the fewest evenly spaced of the first's kind.
  CHECK(t1.stations_needed == gas_stations_needed(l, l.stations.front(), gas, 35.0 / to_bcm));

  // The route: its tightest pipeline, summed stations and power.
  const CapacityRow& t2 = row(st, "trunk2", 2030);
  const CapacityRow& r = row(st, "field-city", 2030);
  CHECK(r.route);
  CHECK(r.physical_capacity == std::min(t1.physical_capacity, t2.physical_capacity));
  CHECK(r.stations == 5);
  CHECK(r.power_mw == Approx(t1.power_mw + t2.power_mw).epsilon(1e-12));
  CHECK(r.limit == (t1.physical_capacity < t2.physical_capacity ? "trunk1: " + t1.limit
                                                                : "trunk2: " + t2.limit));

  // crude: 500 km of 720 x 10 mm, default roughness, flat, MAOP 8 MPa, 3 bar from the wells,
  // 5 bar at the refinery, two pump stations 250 km apart (700 m, 25 MW, 0.8), 850 kg/m3 and
  // 10 cSt at 15 °C.
  OilLine o;
  o.id = "crude";
  o.length_m = 500e3;
  o.inner_diameter_m = 0.7;
  o.roughness_m = 0.012e-3;
  o.max_pressure_pa = 80e5;
  o.inlet_pressure_pa = 3e5;
  o.min_suction_pressure_pa = kDefaultOilMinPressureMpa * 1e6;
  o.min_line_pressure_pa = kDefaultOilLinePressureMpa * 1e6;
  o.delivery_pressure_pa = 5e5;
  o.temperature_c = 15.0;
  for (int k = 0; k < 2; ++k) {
    PumpStation ps;
    ps.id = std::to_string(k + 1);
    ps.position_m = 250e3 * k;
    ps.max_head_m = 700.0;
    ps.max_power_w = 25e6;
    ps.efficiency = 0.8;
    o.stations.push_back(ps);
  }
  OilProperties oil;
  oil.viscosity_t1_c = 15.0;
  oil.viscosity_t2_c = 45.0;
  oil.kinematic_viscosity_t1_m2_per_s = oil.kinematic_viscosity_t2_m2_per_s = 10e-6;
  const OilLineCapacity ocap = oil_line_capacity(o, oil);
  const CapacityRow& c = row(st, "crude", 2030);
  CHECK(c.physical_capacity ==
        Approx(ocap.max_mass_flow_kg_per_s * 365 * 86400.0 / 1e9).epsilon(1e-12));
  CHECK(c.limit == ocap.limit);
  // The refinery takes 25 Mt/y, more than two stations of 700 m carry: flagged.
  CHECK(c.over_capacity);
  CHECK(std::isnan(c.power_mw));

  // Every default used is a note, once.
  CHECK(st.notes == std::vector<std::string>{
                        "pipeline 'trunk1': no roughness, 0.012 mm assumed (GasLib's)",
                        "pipeline 'trunk1': its 'to' node has no min_pressure, so 50 % of its "
                        "max_pressure is assumed at each station's suction and at delivery",
                        "pipeline 'trunk2': its 'from' node has no pressure, so gas enters at "
                        "the least pressure",
                        "pipeline 'crude': no roughness, 0.012 mm assumed (GasLib's)"});
}

// #LIB1 The library's PoS-1, PoS-2 (Russia) and Soyuz Vostok (gas-routes.yaml, case
// pos2-mongolia), by hand. Every station discharges at the MAOP, 9.8 MPa, and each suction and
// the delivery need half of it (no min_pressure in the library), so every segment between
// stations spends the same window p_d^2 - p_s^2 = (9.8e6)^2 - (4.9e6)^2 = 7.203e13 Pa^2, and
// a line of L km with n evenly spaced stations carries q with Lambda' (L/n) q^2 = 7.203e13.
// Gas: GasLib-11's (M 18.5674 kg/kmol, R_s 447.8 J/(kg K)) at 5 °C (278.15 K), 0.7315 kg/m3;
// z by Papay at about 75 bar (p_r 1.633, T_r 1.475): 0.841, held constant here.
//   PoS-1 and PoS-2 pipe, 1,420 x 21.7 mm: D = 1.3766 m; Nikuradse with k = 0.012 mm:
//     lambda = (2 log10(114,717) + 1.138)^-2 = 0.00789;
//     Lambda' = 16 lambda R_s z T / (pi^2 D^5) = 13,224 / 48.79 = 271.0 Pa^2 s^2/kg^2 per m.
//   PoS-1, 3,000 km, 9 stations: 333.3 km each, q = sqrt(7.203e13 / (271.0 x 333,333)) =
//     893 kg/s = 893 x 31.536e6 / 0.7315 / 1e9 = 38.5 bcm/y >= 38: 9 stations are needed.
//   PoS-2 in Russia, 2,700 km, 8 stations: 337.5 km, q = 887 kg/s = 38.3 bcm/y. 50 bcm/y is
//     1,159.8 kg/s, whose window lasts 7.203e13 / (271.0 x 1,159.8^2) = 197.6 km:
//     2,700 / 197.6 = 13.7, so 14 stations.
//   Soyuz Vostok, 1,400 x 21.7 mm (D = 1.3566 m, lambda 0.00791, Lambda' = 292.3), 962.9 km,
//     5 stations: 192.6 km, q = 1,131 kg/s = 48.8 bcm/y < 50; 50 bcm/y lasts 183.2 km,
//     962.9 / 183.2 = 5.3, so 6 stations.
// The model's z varies with the mean pressure of each piece and the stations burn fuel from
// the gas, so its capacities are within 2 % of these; the station counts are exact.
TEST_CASE("#LIB1 the library's PoS-1 and PoS-2 against hand-worked capacities", "[capacity]") {
  std::filesystem::current_path(CORRIDOR_SOURCE_DIR);
  const LoadedScenario ls = load_scenario("scenarios/russia-china/gas-routes.yaml");
  std::shared_ptr<const Scenario> pos2;
  for (const auto& c : ls.cases)
    if (c->case_name == "pos2-mongolia") pos2 = c;
  REQUIRE(pos2);
  const CapacityStudy st = capacity_study(simulate(pos2));
  struct Expect {
    const char* id;
    double hand_bcm;
    int stations, needed;
  };
  for (const Expect& e : {Expect{"pos1", 38.5, 9, 9}, Expect{"pos2-russia", 38.3, 8, 14},
                          Expect{"soyuz-vostok", 48.8, 5, 6}}) {
    INFO(e.id);
    const CapacityRow& r = row(st, e.id, 2035);
    CHECK(r.physical_capacity == Approx(e.hand_bcm).epsilon(0.02));
    CHECK(r.stations == e.stations);
    CHECK(r.stations_needed == e.needed);
    CHECK(r.limit == "MAOP");
  }
  // PoS-1 carries its 38 bcm/y in 2035: power and fuel are reported, within the 9 x 137 MW.
  const CapacityRow& pos1 = row(st, "pos1", 2035);
  CHECK(pos1.dispatched == Approx(38.0));
  CHECK_FALSE(pos1.over_capacity);
  CHECK(pos1.power_mw > 0.0);
  CHECK(pos1.power_mw < 9 * 137.0);
  // PoS-2 is dispatched at 50 bcm/y from 2035, above what 8 stations carry: no power or fuel
  // carries it (NaN), and the route says which line binds.
  CHECK(row(st, "pos2-russia", 2035).over_capacity);
  CHECK(std::isnan(row(st, "pos2-russia", 2035).power_mw));
  for (const CapacityRow& r : st.rows)
    if (r.route && r.id == "pos2-mongolia" && r.year == 2035) CHECK(r.limit == "pos2-russia: MAOP");
}

TEST_CASE("capacity.csv, hydraulics.csv and hydraulics_nodes.csv: every column typed",
          "[capacity][csv]") {
  // column_type() (csv.h) types the cells of a typed output and throws for an undeclared column.
  for (const std::string& csv : {capacity_csv({}), hydraulics_csv({}), hydraulics_nodes_csv({})}) {
    std::string header = csv.substr(0, csv.find('\n'));
    std::size_t start = 0;
    while (start <= header.size()) {
      const std::size_t end = std::min(header.find(',', start), header.size());
      const std::string column = header.substr(start, end - start);
      INFO(column);
      CHECK_NOTHROW(column_type(column));
      start = end + 1;
    }
  }
  CHECK(column_type("pipeline_or_route") == ColumnType::kText);
  CHECK(column_type("limit") == ColumnType::kText);
  CHECK(column_type("violations") == ColumnType::kText);
  CHECK(column_type("stations_needed") == ColumnType::kNumber);
  CHECK(column_type("pressure_bar") == ColumnType::kNumber);
}

// #RD1 relative_density 0.641 (to dry air) gives the molar mass 0.641 x 28.9626 = 18.5650 kg/kmol
// (ISO 6976:1995 dry air), so R_s = 8.314462618 / 0.0185650 = 447.86 J/(kg K).
TEST_CASE("#RD1 relative density gives the molar mass", "[capacity]") {
  std::filesystem::current_path(CORRIDOR_SOURCE_DIR);
  const LoadedScenario ls = load_scenario("tests/fixtures/capacity/relative_density.yaml");
  const Scenario& s = *ls.cases.front();
  CHECK(s.gas_physics.molar_mass_kg_per_kmol == Approx(18.56502).epsilon(1e-6));
  CHECK(gas_properties_of(s).specific_gas_constant() == Approx(447.86).epsilon(1e-4));
}

TEST_CASE("physics keys: every error located, with what to try", "[capacity]") {
  const std::vector<std::string> got = test::problems("tests/fixtures/capacity/bad.yaml");
  const std::string f = "tests/fixtures/capacity/bad.yaml:";
  const std::vector<std::string> expected = {
      f + "5:70: error: commodities.gas.molar_mass: unknown unit 'g' in '18 g'; accepted units: "
          "kg/kmol, g/mol",
      f + "5:76: error: commodities.gas gives both 'molar_mass' and 'relative_density'; give one: "
          "the molar mass is the relative density x 28.9626 kg/kmol (dry air)",
      f + "5:22: error: commodities.gas.temperature must be above absolute zero; the gas "
          "temperature in the pipe, for example 10 °C",
      f + "5:53: error: commodities.gas.isentropic_exponent must be above 1, got '0.9'; c_p / "
          "c_v, for example 1.307",
      f + "5:113: error: commodities.gas.co2_fraction must lie in [0, 1), got '120 %'; a mole "
          "fraction, for example 0.005 or 0.5 %",
      f + "7:47: error: 'min_pressure' does not apply to supply node 'a'; a supply gives "
          "'pressure', the pressure it delivers at",
      f + "8:70: error: height of node 'b': unknown unit 'kg' in '12 kg'; did you mean 'km'? "
          "accepted units: km, m, mi",
      f + "8:44: error: 'pressure' does not apply to demand node 'b'; 'pressure' belongs to "
          "supply nodes",
      f + "14:15: error: the stations of pipeline 'nolength' need its 'length'; add 'length: ... "
          "km' to the pipeline",
      f + "14:26: error: 'max_head' does not apply to the stations of a gas pipeline "
          "'nolength'; gas compressor stations give 'max_ratio'",
      f + "21:21: error: wall_thickness of pipeline 'thin' leaves no inside: twice 250 mm is not "
          "below the diameter; the diameter is the outer one; check both values and their units",
      f + "22:33: error: station 2 of pipeline 'thin' at 120 km is not before the end of the "
          "pipeline (100 km); a station must lie on the line, before its end",
      f + "22:65: error: max_ratio of station 3 of pipeline 'thin' must be above 1, got '0.9'; "
          "outlet over inlet pressure, for example 1.7",
      f + "28:42: error: unknown key 'max_rate' in stations of pipeline 'crowded'; did you mean "
          "'max_ratio'?",
      f + "28:35: error: 3 stations 60 km apart do not fit on pipeline 'crowded' (100 km); the "
          "first station is at 0 km and every one must lie before the end"};
  CHECK(got == expected);
}

TEST_CASE("AGA-8 gross fractions that leave no hydrocarbon are located", "[capacity][aga8]") {
  const std::string f = "tests/fixtures/capacity/aga8_bad.yaml:";
  CHECK(test::problems("tests/fixtures/capacity/aga8_bad.yaml") ==
        std::vector<std::string>{
            f + "5:42: error: commodities.gas: n2_fraction and co2_fraction sum to 1 or more, "
                "leaving no hydrocarbon; they are mole fractions of the gas, for example 0.01 "
                "and 0.005"});
}

TEST_CASE("element types: what each needs, and keys of other types, located", "[capacity]") {
  const std::vector<std::string> got = test::problems("tests/fixtures/capacity/elements_bad.yaml");
  const std::string f = "tests/fixtures/capacity/elements_bad.yaml:";
  const std::vector<std::string> expected = {
      f + "5:79: error: max_pressure of node 'a' is below its pressure; a supply delivers at a "
          "pressure within the node's bounds",
      f + "10:56: error: unknown type 'compresor' of pipeline 'c1'; did you mean 'compressor'?",
      f + "14:63: error: 'outlet_pressure' does not apply to pipeline 'v1' (type valve); "
          "'outlet_pressure' belongs to type compressor or regulator",
      f + "16:50: error: 'open' does not apply to pipeline 'p1' (type pipe); 'open' belongs to "
          "type valve, compressor or regulator; a pipe's compressor stations go in 'stations:'",
      f + "16:63: error: 'max_power' does not apply to pipeline 'p1' (type pipe); 'max_power' "
          "belongs to type compressor; a pipe's compressor stations go in 'stations:'",
      f + "18:57: error: type 'valve' of pipeline 'oil1' applies to gas only; an oil pipeline is "
          "a pipe; give its pump stations in 'stations:'",
      f + "11:56: error: pipeline 'c2' holds neither 'outlet_pressure' nor 'ratio'; a compressor "
          "holds one of them, e.g. 'outlet_pressure: 80 bar' or 'ratio: 1.4'; or write 'open: "
          "false' for a closed one",
      f + "12:100: error: pipeline 'c3' gives both 'outlet_pressure' and 'ratio'; a compressor "
          "holds one of them, e.g. 'outlet_pressure: 80 bar' or 'ratio: 1.4'; or write 'open: "
          "false' for a closed one",
      f + "13:75: error: ratio of pipeline 'c4' must be at least 1; outlet over inlet pressure, "
          "e.g. 1.4; a station does not throttle",
      f + "15:56: error: pipeline 'r1' has no 'diameter'; the drag factor applies to the "
          "velocity in this diameter, e.g. 'diameter: 900 mm'",
      f + "17:56: error: pipeline 'g1' has no 'outlet_pressure'; a regulator holds its outlet at "
          "a set point, e.g. 'outlet_pressure: 40 bar'; or write 'open: false'"};
  CHECK(got == expected);
}

TEST_CASE("validate() checks the physics of scenarios built in code", "[capacity]") {
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("A", 10), test::demand("B", 5)};
  s.pipelines = {test::pipe("P", "A", "B", 10)};
  Station st;
  st.name = "1";
  st.position_km = 50.0;
  st.max_head_m = 500.0;
  s.pipelines[0].stations = {st};
  s.nodes[0].min_pressure_mpa = 5.0;
  std::vector<std::string> got;
  for (const Diagnostic& d : validate(s)) got.push_back(d.message);
  CHECK(got == std::vector<std::string>{
                   "'min_pressure' does not apply to supply node 'A'",
                   "the stations of pipeline 'P' need its 'length'",
                   "max_head does not apply to the compressor stations of a gas pipeline"});
}

}  // namespace
}  // namespace corridor
