// The gas network of a dispatched case (hydraulics_study.h), the GasLib importer's scenario
// (gaslib_to_yaml) and `--apply` (apply_capacity): each against an independent way to the same
// numbers, with the invariants of hydraulics_checks.h on every converged solve.
#include "corridor/hydraulics_study.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "corridor/capacity.h"
#include "corridor/gas_line.h"
#include "corridor/gaslib.h"
#include "corridor/scenario_io.h"
#include "corridor/simulate.h"
#include "hydraulics_checks.h"
#include "test_helpers.h"

namespace corridor {
namespace {

namespace fs = std::filesystem;
using test::check_solution;

const fs::path kData = fs::path(CORRIDOR_SOURCE_DIR) / "tests" / "data" / "gaslib";

/// Solves the hydraulics of `s` dispatched; requires one year.
HydraulicCaseStudy study_of(const Scenario& s, CaseResult& keep) {
  keep = simulate(s);
  REQUIRE_FALSE(keep.failure.has_value());
  return hydraulics_study(keep);
}

int node_of(const HydraulicNetwork& net, const std::string& id) {
  for (std::size_t i = 0; i < net.nodes.size(); ++i)
    if (net.nodes[i].id == id) return static_cast<int>(i);
  FAIL("no node " << id);
  return -1;
}

TEST_CASE("a pipe with stations is split at them and agrees with the line model",
          "[hydraulics_study]") {
  // #S1: 600 km of 1220 x 20 mm (1.18 m inside), MAOP 8.4 MPa, flat; the field delivers at 55
  // bar; stations at 0, 200 and 400 km with no limits and no fuel (fuel_share 0), so each
  // discharges at the MAOP; 20 bcm/y to the city. The network is then field -> cs 1 (0 km) ->
  // seg1 (200 km) -> cs 2 -> seg2 (200 km) -> cs 3 -> seg3 (200 km) -> city, and every suction
  // and the delivery pressure are those of gas_line.h's marching model (another code path:
  // p_1^2 = p_0^2 - Lambda q^2 by a fixed point on z), to its tolerance.
  Scenario s = test::scenario(2030, 2030);
  Node field = test::supply("field", 40.0);
  field.pressure_mpa = 5.5;
  Node city = test::demand("city", 20.0);
  city.min_pressure_mpa = 4.0;
  s.nodes = {field, city};
  Pipeline p = test::pipe("trunk", "field", "city", 35.0);
  p.length_km = 600.0;
  p.diameter_mm = 1220.0;
  p.wall_thickness_mm = 20.0;
  p.max_pressure_mpa = 8.4;
  for (int k = 0; k < 3; ++k) {
    Station st;
    st.name = std::to_string(k + 1);
    st.position_km = 200.0 * k;
    st.fuel_share = 0.0;
    p.stations.push_back(st);
  }
  s.pipelines = {p};
  CaseResult keep;
  const HydraulicCaseStudy hs = study_of(s, keep);
  REQUIRE(hs.years.size() == 1);
  const HydraulicYear& y = hs.years[0];
  const HydraulicNetwork& net = y.network;
  REQUIRE(y.result.status == HydraulicStatus::Converged);
  check_solution(net, {}, y.result);
  // The split.
  std::vector<std::string> ids;
  for (const HydraulicNode& n : net.nodes) ids.push_back(n.id);
  CHECK(ids == std::vector<std::string>{"field", "city", "trunk/1/out", "trunk/2/in", "trunk/2/out",
                                        "trunk/3/in", "trunk/3/out"});
  REQUIRE(net.pipes.size() == 3);
  for (const HydraulicPipe& e : net.pipes) {
    CHECK(e.length_m == 200e3);
    CHECK(e.diameter_m == Approx(1.18).epsilon(1e-15));
    CHECK(e.max_pressure_pa == 84e5);
  }
  CHECK(net.pipes[0].id == "trunk/seg1");
  REQUIRE(net.compressors.size() == 3);
  CHECK(net.compressors[0].id == "trunk/1");
  CHECK(net.compressors[0].from == node_of(net, "field"));
  for (const HydraulicCompressor& c : net.compressors) {
    CHECK(c.mode == StationMode::OutletPressure);
    CHECK(c.outlet_pressure_pa == 84e5);
  }
  // The line model.
  GasLine l;
  l.length_m = 600e3;
  l.inner_diameter_m = 1.18;
  l.roughness_m = kDefaultRoughnessMm * 1e-3;
  l.max_pressure_pa = 84e5;
  l.inlet_pressure_pa = 55e5;
  l.min_pressure_pa = 40e5;
  for (int k = 0; k < 3; ++k) {
    CompressorSite c;
    c.id = std::to_string(k + 1);
    c.position_m = 200e3 * k;
    c.fuel_share = 0.0;
    l.stations.push_back(c);
  }
  const double q = y.result.pipe_flow_kg_per_s[0];
  // 20 bcm/y at GasLib-11's normal density 0.785 kg/m3 and 365 days.
  CHECK(q == Approx(20e9 * 0.785 / (365 * 86400.0)).epsilon(1e-6));
  const GasLineState st = solve_gas_line(l, net.gas, q);
  CHECK(y.result.node_pressure_pa[node_of(net, "trunk/2/in")] ==
        Approx(st.stations[1].suction_pa).epsilon(1e-9));
  CHECK(y.result.node_pressure_pa[node_of(net, "trunk/3/in")] ==
        Approx(st.stations[2].suction_pa).epsilon(1e-9));
  CHECK(y.result.node_pressure_pa[node_of(net, "city")] == Approx(st.delivery_pa).epsilon(1e-9));
  CHECK(y.result.compressor_power_w[1] == Approx(st.stations[1].power_w).epsilon(1e-9));
}

TEST_CASE("pipelines without physical data are boundary flows; laws and missing data",
          "[hydraulics_study]") {
  // #S2: field (60 bar) -> P (100 km of 1000 mm, physical) -> hub -> Q (no physical data) ->
  // city wanting 5 bcm/y. The network is field and hub only; Q's dispatched 5 bcm/y leaves at
  // hub, so P carries it.
  Scenario s = test::scenario(2030, 2031);
  Node field = test::supply("field", 10.0);
  field.pressure_mpa = 6.0;
  s.nodes = {field, test::junction("hub"), test::demand("city", 5.0)};
  Pipeline p = test::pipe("P", "field", "hub", 10.0);
  p.length_km = 100.0;
  p.diameter_mm = 1000.0;
  s.pipelines = {p, test::pipe("Q", "hub", "city", 10.0)};
  CaseResult keep;
  HydraulicCaseStudy hs = study_of(s, keep);
  REQUIRE(hs.years.size() == 2);
  const HydraulicYear& y = hs.years[1];
  REQUIRE(y.result.converged());
  check_solution(y.network, {}, y.result);
  REQUIRE(y.network.nodes.size() == 2);
  const double q = 5e9 * 0.785 / (365 * 86400.0);
  CHECK(y.network.nodes[1].injection_kg_per_s == Approx(-q).epsilon(1e-9));
  CHECK(y.result.pipe_flow_kg_per_s[0] == Approx(q).epsilon(1e-9));
  CHECK(y.result.node_pressure_pa[0] == 6e6);
  // The second year started from the first's pressures, and took fewer iterations.
  CHECK(y.result.iterations <= hs.years[0].result.iterations);
  CHECK(hs.notes ==
        std::vector<std::string>{
            "1 pipeline(s) ('P') have no wall_thickness: their diameter is taken as the inner one",
            "1 pipeline(s) ('P') have no roughness: 0.012 mm assumed (GasLib's)"});

  SECTION("other laws") {
    // Colebrook-White adds the smooth-pipe term 2.51/(Re sqrt(lambda)) to Nikuradse's fully
    // rough one, so its friction is higher: a lower pressure at the hub. AGA-88's z is another
    // law; the invariants hold with it too.
    HydraulicOptions o;
    o.friction = FrictionLaw::ColebrookWhite;
    const HydraulicCaseStudy c = hydraulics_study(keep, o);
    REQUIRE(c.years[1].result.converged());
    check_solution(c.years[1].network, o, c.years[1].result);
    CHECK(c.years[1].result.node_pressure_pa[1] < y.result.node_pressure_pa[1]);
    o.compressibility = CompressibilityLaw::Aga88;
    const HydraulicCaseStudy d = hydraulics_study(keep, o);
    REQUIRE(d.years[1].result.converged());
    check_solution(d.years[1].network, o, d.years[1].result);
  }
  SECTION("no reference pressure: ill-posed, a result") {
    s.nodes[0].pressure_mpa.reset();
    CaseResult k2;
    const HydraulicCaseStudy c = study_of(s, k2);
    CHECK(c.years[0].result.status == HydraulicStatus::IllPosed);
    CHECK_FALSE(c.years[0].result.message.empty());
  }
  SECTION("stations without max_pressure: the year is not solved, and says why") {
    Station st;
    st.name = "1";
    s.pipelines[0].stations = {st};
    CaseResult k2;
    const HydraulicCaseStudy c = study_of(s, k2);
    CHECK(c.years[0].result.status == HydraulicStatus::InvalidInput);
    CHECK(c.years[0].result.message ==
          "pipeline 'P' has stations but no max_pressure, at which they discharge; add "
          "'max_pressure'");
  }
  SECTION("no physical data at all: nothing to solve") {
    s.pipelines[0].diameter_mm.reset();
    CaseResult k2;
    CHECK(study_of(s, k2).years.empty());
  }
}

/// Writes `text` to a fresh file; removed on destruction.
struct TempFile {
  fs::path path;
  TempFile(const std::string& name, const std::string& text) {
    path = fs::temp_directory_path() /
           ("corridor-study-test-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(path) << text;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

TEST_CASE("an imported GasLib scenario solves as the instance does", "[hydraulics_study][gaslib]") {
  // #S3: import-gaslib's YAML, loaded, dispatched and solved, against solve_hydraulics on the
  // instance with the same rule: same status and message; when converged, the same pressures
  // and flows up to the dispatch's rounding (1e-6 bcm/y per node).
  for (const char* name : {"GasLib-11", "GasLib-24", "GasLib-40", "GasLib-135"}) {
    for (StationRule rule : {StationRule::MaxOutletPressure, StationRule::FixedRatio}) {
      INFO(name << " " << station_rule_name(rule));
      const GasLibInstance g = read_gaslib(kData / name / (std::string(name) + ".net"),
                                           kData / name / (std::string(name) + ".scn"));
      GasLibImportOptions io;
      io.rule = rule;
      io.ratio = 1.1;
      io.name = name;
      io.net_name = std::string(name) + ".net";
      io.scn_name = std::string(name) + ".scn";
      const std::string yaml = gaslib_to_yaml(g, io);
      CHECK(yaml.starts_with(kGasLibYamlMarker));
      HydraulicNetwork direct_net = g.network;
      apply_station_rule(direct_net, gaslib_sources(g), rule, 1.1);
      const HydraulicResult direct = solve_hydraulics(direct_net);

      const TempFile f(std::string(name) + ".yaml", yaml);
      const LoadedScenario ls = load_scenario(f.path.string());
      REQUIRE(validate(*ls.cases.front()).empty());
      const CaseResult r = simulate(ls.cases.front());
      const HydraulicCaseStudy hs = hydraulics_study(r);
      REQUIRE(hs.years.size() == 1);
      const HydraulicYear& y = hs.years[0];
      REQUIRE(y.result.status == direct.status);
      CHECK(y.result.message == direct.message);
      if (!direct.converged()) continue;
      check_solution(y.network, {}, y.result);
      REQUIRE(y.network.nodes.size() == direct_net.nodes.size());
      double qmax = 0.0;
      for (double q : direct.pipe_flow_kg_per_s) qmax = std::max(qmax, std::abs(q));
      for (std::size_t v = 0; v < direct_net.nodes.size(); ++v) {
        CHECK(y.network.nodes[v].id == direct_net.nodes[v].id);
        CHECK(y.result.node_pressure_pa[v] == Approx(direct.node_pressure_pa[v]).epsilon(1e-6));
      }
      for (std::size_t k = 0; k < direct_net.pipes.size(); ++k)
        CHECK(std::abs(y.result.pipe_flow_kg_per_s[k] - direct.pipe_flow_kg_per_s[k]) <=
              1e-5 * qmax);
      // The same findings.
      std::set<std::string> a, b;
      for (const auto& v : direct.violations)
        a.insert(std::string(violation_kind_name(v.kind)) + " " + v.element);
      for (const auto& v : y.result.violations)
        b.insert(std::string(violation_kind_name(v.kind)) + " " + v.element);
      CHECK(a == b);
    }
  }
}

TEST_CASE("apply: physical capacities and fuel as a loss on the arc", "[capacity][apply]") {
  std::filesystem::current_path(CORRIDOR_SOURCE_DIR);
  const LoadedScenario ls = load_scenario("tests/fixtures/capacity/line.yaml");
  const CaseResult original = simulate(ls.cases.front());
  const CapacityStudy before = capacity_study(original);
  const CapacityApplied a = apply_capacity(original);
  REQUIRE_FALSE(a.result.failure.has_value());
  CHECK(a.converged);
  CHECK(a.iterations >= 2);
  CHECK(a.fuel_change <= kApplyFuelTolerance);
  const Scenario& s = *a.result.scenario;
  // Fuel nodes and arcs, served first; the city moved from priority 1 to 2.
  std::map<std::string, const Node*> nodes;
  for (const Node& n : s.nodes) nodes[n.id] = &n;
  REQUIRE(nodes.count("fuel:trunk1") == 1);
  REQUIRE(nodes.count("fuel:trunk2") == 1);
  CHECK(nodes.count("fuel:crude") == 0);  // oil burns no gas
  CHECK(nodes["fuel:trunk1"]->priority == 1);
  CHECK(nodes["city"]->priority == 2);
  const CommodityRun& run = test::run_of(a.result);
  for (const PeriodResult& pr : run.annual) {
    INFO(pr.period.year);
    const test::Rows rows = test::at(a.result, pr.period.year);
    // supplies.used = what the markets get + the fuel, exactly (conservation).
    const double fuel = rows.delivered("fuel:trunk1") + rows.delivered("fuel:trunk2");
    CHECK(fuel > 0.0);
    CHECK(rows.supply_used("field") == Approx(rows.delivered("city") + fuel).margin(1e-9));
    // The fuel is what the stations burn at the line's inlet flow of that dispatch, within the
    // iteration's tolerance: fuel_share x inlet in the study's rows.
    for (const char* id : {"trunk1", "trunk2"}) {
      const CapacityRow* row = nullptr;
      for (const CapacityRow& r : a.study.rows)
        if (r.id == id && r.year == pr.period.year) row = &r;
      REQUIRE(row != nullptr);
      CHECK(row->dispatched ==
            Approx(rows.flow(id) + rows.delivered(std::string("fuel:") + id)).margin(1e-9));
      CHECK(row->fuel_share * row->dispatched ==
            Approx(rows.delivered(std::string("fuel:") + id)).margin(1e-5));
      // Paper capacities stay the original's; the flow stays within the physical capacity.
      CHECK(row->paper_capacity == 35.0);
      CHECK(row->dispatched <= row->physical_capacity + 1e-6);
      CHECK_FALSE(row->over_capacity);
    }
  }
  // Before: the city took 30 bcm/y in 2031, over trunk2's physical capacity; after: less.
  const test::Rows before31 = test::at(original, 2031), after31 = test::at(a.result, 2031);
  CHECK(before31.delivered("city") == Approx(30.0).margin(1e-9));
  CHECK(after31.delivered("city") < 21.8);
  bool over_before = false;
  for (const CapacityRow& r : before.rows) over_before = over_before || r.over_capacity;
  CHECK(over_before);
}

}  // namespace
}  // namespace corridor
