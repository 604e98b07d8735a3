// GasLib import (gaslib.h) and the validation of the solver on GasLib-11, -24, -40 and -135
// (tests/data/gaslib/, CC BY 3.0; Pfetsch et al. 2012, ZIB-Report 12-41).
//
// GasLib ships no reference solutions, so the validation checks the physics on every solve
// (check_solution: mass balance <= 1e-9, pipe law <= 1e-8, set pressures and ratios held), the
// iteration counts, and what the simple settings rule (apply_station_rule) does on each:
//
//   instance   max-outlet-pressure rule                       fixed ratio 1.1
//   GasLib-11  converged; infeasible: CS02 would throttle      converged; infeasible
//              (inlet 66.5 > outlet 60 bar), entry02 at       (discharges above 70 bar)
//              72.8 bar > 70
//   GasLib-24  converged; infeasible: CS3 would throttle,      converged; infeasible
//              entry01 at 70.03 bar > 70
//   GasLib-40  ill-posed: source_2 meets the grid only         converged; infeasible
//              through compressorStation_5
//   GasLib-135 ill-posed: compressorStation_12 and _13 both    converged; infeasible (and
//              set innode_30                                   reverse flow through 3 and 4)
//
// No nomination is feasible at these settings: finding settings that make it feasible is
// nomination validation, an optimisation problem, not this simulation.
#include "corridor/gaslib.h"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "corridor/diagnostics.h"
#include "hydraulics_checks.h"

namespace corridor {
namespace {

namespace fs = std::filesystem;
using test::check_solution;

const fs::path kData = fs::path(CORRIDOR_SOURCE_DIR) / "tests" / "data" / "gaslib";

GasLibInstance load(const std::string& name) {
  return read_gaslib(kData / name / (name + ".net"), kData / name / (name + ".scn"));
}

/// (kind, element) of every violation, for set comparisons.
std::set<std::pair<std::string, std::string>> findings(const HydraulicResult& r) {
  std::set<std::pair<std::string, std::string>> s;
  for (const auto& v : r.violations) s.emplace(std::string(violation_kind_name(v.kind)), v.element);
  return s;
}

TEST_CASE("GasLib import: element counts, gas, balanced nominations", "[gaslib]") {
  struct Expect {
    const char* name;
    std::size_t nodes, pipes, valves, resistors, regulators, compressors, sources;
  };
  for (const Expect& e :
       {Expect{"GasLib-11", 11, 8, 1, 0, 0, 2, 3}, Expect{"GasLib-24", 24, 19, 1, 1, 1, 3, 3},
        Expect{"GasLib-40", 40, 39, 0, 0, 0, 6, 3},
        Expect{"GasLib-135", 135, 141, 0, 0, 0, 29, 6}}) {
    INFO(e.name);
    const GasLibInstance g = load(e.name);
    CHECK(g.network.nodes.size() == e.nodes);
    CHECK(g.network.pipes.size() == e.pipes);
    CHECK(g.network.valves.size() == e.valves);
    CHECK(g.network.resistors.size() == e.resistors);
    CHECK(g.network.regulators.size() == e.regulators);
    CHECK(g.network.compressors.size() == e.compressors);
    CHECK(gaslib_sources(g).size() == e.sources);
    double in = 0.0, sum = 0.0;
    for (double q : g.nominated_1000m3_per_h) {
      in += std::max(q, 0.0);
      sum += q;
    }
    CHECK(in > 0.0);
    CHECK(std::abs(sum) <= 1e-9 * in);
    for (const auto& v : g.network.nodes) CHECK_FALSE(v.set_pressure_pa.has_value());
  }
}

TEST_CASE("GasLib import: units, bounds and the gas of each instance", "[gaslib]") {
  const GasLibInstance g11 = load("GasLib-11");
  // pipe01: 55 km, 500 mm, 0.1 mm, MAOP 200 bar.
  const auto& p = g11.network.pipes[0];
  CHECK(p.id == "pipe01_entry01_entry03");
  CHECK(p.length_m == 55e3);
  CHECK(p.diameter_m == Approx(0.5).epsilon(1e-15));
  CHECK(p.roughness_m == Approx(1e-4).epsilon(1e-15));
  CHECK(p.max_pressure_pa == 200e5);
  // entry01 supplies 160 x 1000 m3/h at 0.785 kg/m3: 160000 / 3600 * 0.785 = 34.8889 kg/s.
  CHECK(g11.network.nodes[0].injection_kg_per_s ==
        Approx(160000.0 / 3600.0 * 0.785).epsilon(1e-14));
  CHECK(g11.network.gas.molar_mass_kg_per_mol == Approx(0.0185674).epsilon(1e-14));
  CHECK(g11.network.gas.temperature_k == Approx(283.15).epsilon(1e-14));
  // kappa from c_p = A + B T + C T^2 at 283.15 K: 35.3977 J/(mol K); 35.3977 / 27.0832 = 1.30700.
  CHECK(g11.network.gas.isentropic_exponent == Approx(1.3070).epsilon(1e-4));

  // GasLib-24's sources disagree: the mix weighted by inflow (226.614, 137.15, 180.56 x 1000
  // m3/h; M = 19.5, 18.5674, 19.5 kg/kmol): (226.614 * 19.5 + 137.15 * 18.5674 + 180.56 * 19.5)
  // / 544.324 = 19.2650 kg/kmol.
  const GasLibInstance g24 = load("GasLib-24");
  CHECK(g24.network.gas.molar_mass_kg_per_mol * 1e3 == Approx(19.26503).epsilon(1e-6));
  REQUIRE_FALSE(g24.notes.empty());
  CHECK(g24.notes[0].rfind("gas: the sources disagree; mix weighted by nominated inflow", 0) == 0);
  // Heights without a unit are metres; the control valve's outlet node keeps its bounds.
  CHECK(g24.network.nodes[0].height_m == 200.0);

  // GasLib-40: pressures in bar and barg (the .scn's 0..80 barg is the .net's 1.01325..81.01325
  // bar); its sources state GasLib-11's gas at 0 °C.
  const GasLibInstance g40 = load("GasLib-40");
  CHECK(g40.network.nodes[0].pressure_max_pa == Approx(81.01325e5).epsilon(1e-15));
  CHECK(g40.network.nodes[0].pressure_min_pa == Approx(1.01325e5).epsilon(1e-15));
  CHECK(g40.network.gas.temperature_k == Approx(273.15).epsilon(1e-15));
  CHECK(g40.notes[0] ==
        "gas: mix weighted by nominated inflow: M = 18.5674 kg/kmol, p_c = 45.9293 bar, T_c = "
        "188.55 K, normal density 0.785 kg/m3; T = 0 °C, kappa = 1.31078");
}

struct Outcome {
  HydraulicStatus status;
  int max_iterations;  // Newton iterations allowed (measured + margin)
};

void validate(const std::string& name, StationRule rule, const Outcome& expect,
              const std::set<std::pair<std::string, std::string>>* must_include = nullptr,
              const std::string& message = "") {
  INFO(name << " " << station_rule_name(rule));
  const GasLibInstance g = load(name);
  HydraulicNetwork net = g.network;
  const StationRuleReport rep = apply_station_rule(net, gaslib_sources(g), rule, 1.1);
  CHECK(rep.reference_nodes.size() == 1);
  for (auto jac : {JacobianChoice::Auto, JacobianChoice::Exact}) {
    HydraulicOptions opt;
    opt.jacobian = jac;
    const HydraulicResult r = solve_hydraulics(net, opt);
    REQUIRE(r.status == expect.status);
    if (!message.empty()) CHECK(r.message == message);
    if (r.status != HydraulicStatus::Converged) continue;
    check_solution(net, opt, r);
    CHECK(r.iterations <= expect.max_iterations);
    const auto f = findings(r);
    CHECK_FALSE(f.empty());  // none of the four is feasible at these settings
    if (must_include)
      for (const auto& x : *must_include) {
        INFO(x.first << " " << x.second);
        CHECK(f.count(x) == 1);
      }
  }
}

TEST_CASE("GasLib-11 validation", "[gaslib]") {
  const std::set<std::pair<std::string, std::string>> max_outlet = {
      {"station-would-throttle", "CS02_N04_N05"}, {"pressure-above-max", "entry02"}};
  validate("GasLib-11", StationRule::MaxOutletPressure, {HydraulicStatus::Converged, 6},
           &max_outlet);
  validate("GasLib-11", StationRule::FixedRatio, {HydraulicStatus::Converged, 6});
}

TEST_CASE("GasLib-24 validation (its 10 m x 2.1 m pipe L04 included)", "[gaslib]") {
  const std::set<std::pair<std::string, std::string>> max_outlet = {
      {"station-would-throttle", "CS3"}, {"pressure-above-max", "entry01"}};
  validate("GasLib-24", StationRule::MaxOutletPressure, {HydraulicStatus::Converged, 6},
           &max_outlet);
  validate("GasLib-24", StationRule::FixedRatio, {HydraulicStatus::Converged, 5});
}

TEST_CASE("GasLib-40 validation: the outlet-pressure rule is ill-posed", "[gaslib]") {
  validate("GasLib-40", StationRule::MaxOutletPressure, {HydraulicStatus::IllPosed, 0}, nullptr,
           "nothing sets the pressure of the part of the network with nodes 'source_2': no node "
           "there has a set pressure, and it meets the rest only through compressor station "
           "'compressorStation_5' setting outlet pressures; give one of its sources a set "
           "pressure, or run a station next to it on a ratio");
  validate("GasLib-40", StationRule::FixedRatio, {HydraulicStatus::Converged, 6});
}

TEST_CASE("GasLib-135 validation: the outlet-pressure rule is ill-posed", "[gaslib]") {
  validate("GasLib-135", StationRule::MaxOutletPressure, {HydraulicStatus::IllPosed, 0}, nullptr,
           "the pressure of node 'innode_30' is set 2 times, by compressor station "
           "'compressorStation_12' and compressor station 'compressorStation_13', so the split "
           "of flow between them is not determined; set it once (close or bypass the other "
           "stations, or run them on a ratio)");
  const std::set<std::pair<std::string, std::string>> ratio = {
      {"reverse-flow", "compressorStation_3"}, {"reverse-flow", "compressorStation_4"}};
  validate("GasLib-135", StationRule::FixedRatio, {HydraulicStatus::Converged, 11}, &ratio);
}

// ---------------------------------------------------------------------------------------------
// Errors: file:line:col, what, what to try.

/// Writes `text` to a fresh file under the system temp directory; removed on destruction.
struct TempFile {
  fs::path path;
  TempFile(const std::string& name, const std::string& text) {
    path = fs::temp_directory_path() /
           ("corridor-gaslib-test-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(path) << text;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

std::string error_of(const fs::path& net, const fs::path& scn) {
  try {
    read_gaslib(net, scn);
  } catch (const InputError& e) {
    return format_diagnostic(e.diagnostics().front());
  }
  return "no error";
}

const char* kNet = R"(<?xml version="1.0" encoding="UTF-8"?>
<network xmlns:framework="http://gaslib.zib.de/Framework">
  <framework:nodes>
    <source id="s" x="0" y="0">
      <height value="0" unit="m"/>
      <pressureMin unit="bar" value="40"/>
      <pressureMax unit="bar" value="70"/>
    </source>
    <sink id="d" x="1" y="0">
      <height value="0" unit="m"/>
      <pressureMin unit="bar" value="30"/>
      <pressureMax unit="bar" value="70"/>
    </sink>
  </framework:nodes>
  <framework:connections>
    <pipe id="p" from="s" to="d">
      <length unit="km" value="50"/>
      <diameter unit="mm" value="800"/>
      <roughness unit="mm" value="0.012"/>
    </pipe>
  </framework:connections>
</network>
)";

const char* kScn = R"(<?xml version="1.0" encoding="UTF-8"?>
<boundaryValue>
  <scenario id="n1">
    <node type="entry" id="s"><flow bound="both" value="100" unit="1000m_cube_per_hour"/></node>
    <node type="exit" id="d"><flow bound="both" value="100" unit="1000m_cube_per_hour"/></node>
  </scenario>
</boundaryValue>
)";

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

TEST_CASE("GasLib import errors say file:line:col, what and what to try", "[gaslib]") {
  const TempFile scn("ok.scn", kScn);
  SECTION("a minimal network reads and solves") {
    const TempFile net("ok.net", kNet);
    GasLibInstance g = read_gaslib(net.path, scn.path);
    apply_station_rule(g.network, gaslib_sources(g), StationRule::MaxOutletPressure);
    const HydraulicResult r = solve_hydraulics(g.network);
    check_solution(g.network, {}, r);
  }
  SECTION("malformed XML") {
    const TempFile net("bad.net", replaced(kNet, "</pipe>", "</pip>"));
    CHECK(error_of(net.path, scn.path) ==
          net.path.string() +
              ":20:7: error: malformed XML: Start-end tags mismatch; check that the file is a "
              "complete GasLib XML file");
  }
  SECTION("unknown unit, with a suggestion") {
    const TempFile net("unit.net", replaced(kNet, R"(<length unit="km")", R"(<length unit="kms")"));
    CHECK(error_of(net.path, scn.path) ==
          net.path.string() + ":17:7: error: <length> has unknown unit 'kms'; did you mean 'km'?");
  }
  SECTION("a pipe to an unknown node") {
    const TempFile net("node.net", replaced(kNet, R"(to="d">)", R"(to="dd">)"));
    CHECK(error_of(net.path, scn.path) ==
          net.path.string() +
              ":16:5: error: <pipe id=\"p\"> to=\"dd\" is not a node; did you mean 'd'?");
  }
  SECTION("a missing pipe value") {
    const TempFile net("len.net", replaced(kNet, R"(<length unit="km" value="50"/>)", ""));
    CHECK(error_of(net.path, scn.path) ==
          net.path.string() + ":16:5: error: <pipe id=\"p\"> has no <length>");
  }
  SECTION("a nomination for an unknown node, and a flow range") {
    const TempFile net("ok2.net", kNet);
    const TempFile bad("node.scn",
                       replaced(kScn, R"(type="exit" id="d")", R"(type="exit" id="dd")"));
    CHECK(error_of(net.path, bad.path) ==
          bad.path.string() + ":5:5: error: nomination for unknown node 'dd'; did you mean 'd'?");
    const TempFile range(
        "range.scn",
        replaced(
            kScn, R"(<flow bound="both" value="100" unit="1000m_cube_per_hour"/></node>
  </scenario>)",
            R"(<flow bound="lower" value="90" unit="1000m_cube_per_hour"/><flow bound="upper" value="100" unit="1000m_cube_per_hour"/></node>
  </scenario>)"));
    CHECK(error_of(net.path, range.path) ==
          range.path.string() +
              ":5:5: error: node 'd' has a flow range, not a nomination; a simulation needs one "
              "value: give lower = upper (or bound=\"both\")");
  }
  SECTION("files swapped") {
    const TempFile net("ok3.net", kNet);
    CHECK(error_of(scn.path, net.path) ==
          scn.path.string() +
              ":2:1: error: expected a GasLib network (<network>), found <boundaryValue>; the "
              "first file must be the .net, the second the .scn");
  }
  SECTION("a missing file") {
    CHECK(error_of("/nonexistent/x.net", scn.path) ==
          "/nonexistent/x.net: error: cannot open the file; check the path and permissions");
  }
}

}  // namespace
}  // namespace corridor
