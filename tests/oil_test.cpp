// Oil as a first-class commodity (issue 18): refinery limits and turnarounds through events,
// tank farms across a turnaround, and the profile behaviour that a turnaround must not use.
// Every number is worked out by hand in the comments; 2031 has 365 days, so a rate of R Mt/y
// carries R x d / 365 Mt in a month of d days.
#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "corridor/csv.h"
#include "corridor/economics.h"
#include "corridor/scenario_io.h"
#include "corridor/simulate.h"
#include "corridor/validate.h"
#include "test_helpers.h"

namespace corridor {
namespace {

using test::at;
using test::exactly;

const std::string kRoot = CORRIDOR_SOURCE_DIR;

/// tests/fixtures/oil/refinery-turnaround.yaml (also in scenarios/README.md, "Refineries").
Scenario turnaround_fixture() {
  const LoadedScenario l = load_scenario(kRoot + "/tests/fixtures/oil/refinery-turnaround.yaml");
  REQUIRE(l.cases.size() == 1);
  return *l.cases.front();
}

/// The fixture without its tank farm.
Scenario without_tanks(Scenario s) {
  std::erase_if(s.nodes, [](const Node& n) { return n.id == "tanks"; });
  std::erase_if(s.pipelines, [](const Pipeline& p) { return p.id == "tank-link"; });
  return s;
}

constexpr double kDays = 365.0;
constexpr double kMarch = 31.0;

TEST_CASE("#T1 a refinery turnaround through an event: no false shortfall, nothing moved",
          "[oil][refinery]") {
  const Scenario s = without_tanks(turnaround_fixture());
  REQUIRE(validate(s).empty());
  const CaseResult r = simulate(s);
  // March: the event takes all 31 days of the 14 Mt/y throughput, so March's demand is 0 and
  // nothing is short in March.
  CHECK(at(r, 2031, 3, Commodity::Oil).demand("refinery") == exactly(0.0));
  CHECK(at(r, 2031, 3, Commodity::Oil).shortfall("refinery") == exactly(0.0));
  // April is untouched: demand 12 x 30/365 = 0.986301, the line brings 10 x 30/365 = 0.821918,
  // short 2 x 30/365 = 0.164384. Nothing of March is pushed into it.
  CHECK(at(r, 2031, 4, Commodity::Oil).demand("refinery") == exactly(12 * 30 / kDays));
  CHECK(at(r, 2031, 4, Commodity::Oil).delivered("refinery") == exactly(10 * 30 / kDays));
  // The year: demand 12 x 334/365 = 10.980822, short 2 x 334/365 = 1.830137.
  CHECK(at(r, 2031, 0, Commodity::Oil).demand("refinery") ==
        exactly(12 * (kDays - kMarch) / kDays));
  CHECK(at(r, 2031, 0, Commodity::Oil).shortfall("refinery") ==
        exactly(2 * (kDays - kMarch) / kDays));
  CHECK(test::invariants_on_every_period(s) == "");

  // The annual view takes the same 31 days out of the year: demand 10.980822, the line brings
  // its full 10 Mt, short 0.980822. The line's March crude is usable in another month there;
  // in the monthly view only a tank farm can carry it (#T2).
  Scenario year = s;
  year.resolution = Resolution::Year;
  const CaseResult y = simulate(year);
  CHECK(at(y, 2031, 0, Commodity::Oil).demand("refinery") ==
        exactly(12 * (kDays - kMarch) / kDays));
  CHECK(at(y, 2031, 0, Commodity::Oil).shortfall("refinery") ==
        exactly(12 * (kDays - kMarch) / kDays - 10));
}

TEST_CASE("#T2 a tank farm in Mb and kb/d carries the line's crude across the turnaround",
          "[oil][refinery][storage]") {
  const Scenario s = turnaround_fixture();
  REQUIRE(validate(s).empty());
  // 6 Mb at 850 kg/m3: 6e6 x 0.158987294928 m3 x 850 kg/m3 = 0.810835 Mt.
  const double tank_mt = 6 * 0.158987294928 * 0.850;
  for (const Node& n : s.nodes) {
    if (n.id == "tanks") CHECK(n.working_volume == Approx(tank_mt).epsilon(1e-12));
  }
  const CaseResult r = simulate(s);
  const CommodityRun& run = test::run_of(r, Commodity::Oil);
  REQUIRE(run.network.storages.size() == 1);
  // Jan and Feb: the line is full for the refinery (10 < 12 Mt/y); nothing to store.
  CHECK(run.monthly[1].storage_end[0] == exactly(0.0));
  // March: the refinery is down; the line brings 10 x 31/365 = 0.849315 Mt, of which the tanks
  // take their whole working volume, 0.810835 Mt (300 kb/d would take 1.26 Mt).
  CHECK(run.monthly[2].storage_injection[0] == exactly(tank_mt));
  CHECK(at(r, 2031, 3, Commodity::Oil).flow("spur") == exactly(tank_mt));
  CHECK(at(r, 2031, 3, Commodity::Oil).shortfall("refinery") == exactly(0.0));
  // April to December give it back (100 kb/d = 4.93 Mt/y is more than the 2 Mt/y gap), so the
  // year is short by 1.830137 - 0.810835 = 1.019302 Mt, and the tanks end empty (cyclic).
  const PeriodResult& year = run.annual.front();
  CHECK(year.storage_withdrawal[0] == exactly(tank_mt));
  CHECK(year.storage_end[0] == exactly(0.0));
  CHECK(at(r, 2031, 0, Commodity::Oil).shortfall("refinery") ==
        exactly(2 * (kDays - kMarch) / kDays - tank_mt));
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("#T3 max_throughput caps demand, a half derate, and what profile does instead",
          "[oil][refinery]") {
  Scenario s = without_tanks(turnaround_fixture());
  // A 50 % turnaround of the 14 Mt/y unit leaves 7 Mt/y in March: demand min(12, 7) x 31/365
  // = 0.594521 Mt, all delivered by the 10 Mt/y line; the year is short only in the other
  // months, 1.830137 Mt as in #T1.
  s.events.front().derate = 0.5;
  CaseResult r = simulate(s);
  CHECK(at(r, 2031, 3, Commodity::Oil).demand("refinery") == exactly(7 * kMarch / kDays));
  CHECK(at(r, 2031, 3, Commodity::Oil).shortfall("refinery") == exactly(0.0));
  CHECK(at(r, 2031, 0, Commodity::Oil).shortfall("refinery") ==
        exactly(2 * (kDays - kMarch) / kDays));

  // Throughput below demand: 9 Mt/y of throughput with no event takes 9 Mt in the year, all
  // delivered, nothing short (to 12 months of rounding to the 1e-6 Mt flow unit).
  s.events.clear();
  for (Node& n : s.nodes) {
    if (n.id == "refinery") n.max_throughput = constant_series(9.0);
  }
  r = simulate(s);
  CHECK(at(r, 2031, 0, Commodity::Oil).demand("refinery") == Approx(9.0).margin(12 * 0.5e-6));
  CHECK(at(r, 2031, 0, Commodity::Oil).shortfall("refinery") == exactly(0.0));

  // The profile is a shape of the same annual demand: March weight 0 and the others by their
  // days spreads all 12 Mt over the 334 other days, so each month gets 12 x d/334 and is short
  // by 12 x d/334 - 10 x d/365: over the year 12 - 10 x 334/365 = 2.849315 Mt, the false
  // shortfall of the issue, against 1.830137 with the event (#T1).
  for (Node& n : s.nodes) {
    if (n.id != "refinery") continue;
    n.max_throughput = Series{};
    n.profile = {31, 28, 0, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  }
  r = simulate(s);
  CHECK(at(r, 2031, 3, Commodity::Oil).demand("refinery") == exactly(0.0));
  CHECK(at(r, 2031, 4, Commodity::Oil).demand("refinery") == exactly(12 * 30 / 334.0));
  CHECK(at(r, 2031, 0, Commodity::Oil).shortfall("refinery") ==
        exactly(12 - 10 * (kDays - kMarch) / kDays));
}

TEST_CASE("an event on a junction is still refused, with the kinds it may hit", "[oil][validate]") {
  Scenario s = without_tanks(turnaround_fixture());
  Node hub;
  hub.id = "hub";
  hub.kind = NodeKind::Junction;
  hub.commodity = Commodity::Oil;
  s.nodes.push_back(hub);
  s.events.front().target = "hub";
  const std::vector<Diagnostic> d = validate(s);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "target of event 'turnaround' is junction node 'hub'");
  CHECK(d[0].hint == "an event hits a pipeline, or a supply, demand, storage or lng node");
}

TEST_CASE("#L1 linefill of a new 1,000 km, 1,020 mm line, in tonnes, once, in its first year",
          "[oil][linefill]") {
  // pi/4 x (1.020 m)^2 x 1,000,000 m = 817,128.249 m3; x 850 kg/m3 = 694,559,012 kg =
  // 694,559 t = 0.694559 Mt.
  Pipeline pl;
  pl.commodity = Commodity::Oil;
  pl.diameter_mm = 1020.0;
  pl.length_km = 1000.0;
  REQUIRE(linefill_m3(pl));
  CHECK(*linefill_m3(pl) == Approx(817128.2491987).epsilon(1e-12));
  const double tonnes = oil_m3_to_mt(default_props(Commodity::Oil), *linefill_m3(pl)) * 1e6;
  CHECK(tonnes == Approx(694559.0118).epsilon(1e-10));
  // With a 16.5 mm wall the inner diameter is 987 mm: pi/4 x 0.987^2 x 1e6 = 765,110.5 m3.
  pl.wall_thickness_mm = 16.5;
  CHECK(*linefill_m3(pl) == Approx(765110.5434387).epsilon(1e-12));
  // Gas lines (linepack depends on pressure), and lines without length or diameter: none.
  pl.commodity = Commodity::Gas;
  CHECK_FALSE(linefill_m3(pl));
  pl.commodity = Commodity::Oil;
  pl.length_km.reset();
  CHECK_FALSE(linefill_m3(pl));

  // In the outputs: linefill.csv, one row in the year the new line comes into service.
  const LoadedScenario l = load_scenario(kRoot + "/tests/fixtures/oil/linefill.yaml");
  RunResult r;
  r.cases.push_back(simulate(*l.cases.front()));
  CHECK(linefill_csv(r) ==
        "scenario,case,year,commodity,pipeline,inner_diameter_mm,length_km,linefill_m3,linefill,"
        "unit\n"
        "linefill,base,2031,oil,new-line,1020.00,1000.00,817128,0.694559,Mt\n");
  bool listed = false;
  for (const auto& [name, text] : result_csvs(r)) listed |= name == "linefill.csv";
  CHECK(listed);
  // In barrels with --units oil=kb/d (a stock: kb): 817,128.249 m3 / 0.158987294928 m3/bbl =
  // 5,139,582 bbl.
  REQUIRE(!parse_output_unit("oil=kb/d", r.units));
  CHECK(
      linefill_csv(r).ends_with("linefill,base,2031,oil,new-line,1020.00,1000.00,817128,"
                                "5139.582063,kb\n"));
}

TEST_CASE("#N1 tariff: unknown leaves the route's cost empty, never cheap; the dispatch reads 0",
          "[oil][economics]") {
  // tests/fixtures/oil/tariff-unknown.yaml works the numbers out.
  const LoadedScenario l = load_scenario(kRoot + "/tests/fixtures/oil/tariff-unknown.yaml");
  const Scenario& s = *l.cases.front();
  const auto unknown = std::find_if(s.pipelines.begin(), s.pipelines.end(),
                                    [](const Pipeline& p) { return p.id == "unknown-leg"; });
  REQUIRE(unknown != s.pipelines.end());
  CHECK(unknown->tariff_kind == TariffKind::Unknown);
  CHECK(tariff_per_unit(*unknown, 2031) == 0.0);  // what the dispatch charges
  RunResult r;
  r.cases.push_back(simulate(s));
  REQUIRE_FALSE(r.cases[0].failure);
  CHECK(route_costs_csv(r) ==
        "scenario,case,year,commodity,route,volume,unit,capital_musd,opex_musd,tariff_musd,"
        "transit_fee_musd,total_cost_musd,levelised_cost,cost_unit,levelised_cost_usd_per_gj,"
        "levelised_cost_usd_per_bbl\n"
        "tariff-unknown,base,2031,oil,known,5.000000,Mt,0.000,0.000,100.000,0.000,100.000,20.000,"
        "USD/t,0.4762,2.703\n"
        "tariff-unknown,base,2031,oil,unknown-leg,10.000000,Mt,0.000,0.000,,30.000,,,USD/t,,\n");
  // The horizon's levelised cost (comparison.csv, the KPI routes.ID.levelised_cost) too.
  const RunEconomics& e = r.cases[0].runs[0].economics;
  CHECK(levelised_over(s, e, 0, 2031, 2031) == Approx(20.0));
  CHECK_FALSE(levelised_over(s, e, 1, 2031, 2031));

  // Gas follows the same rule: a gas line with an unknown tariff on a route.
  Scenario g = test::scenario(2030, 2030);
  g.nodes = {test::supply("field", 20, 100), test::demand("city", 10)};
  g.pipelines = {test::pipe("line", "field", "city", 20, 5)};
  g.routes = {test::route("main", {"line"})};
  const CaseResult known_gas = simulate(g);
  REQUIRE(known_gas.runs[0].economics.routes[0][0].levelised);
  CHECK(*known_gas.runs[0].economics.routes[0][0].levelised == Approx(5.0));
  g.pipelines[0].tariff_kind = TariffKind::Unknown;
  const CaseResult unknown_gas = simulate(g);
  const RouteYearCost& c = unknown_gas.runs[0].economics.routes[0][0];
  CHECK(c.volume == Approx(10.0));
  CHECK(c.tariff_unknown);
  CHECK_FALSE(c.costed);
  CHECK_FALSE(c.levelised);
  CHECK_FALSE(c.levelised_usd_per_gj);
}

}  // namespace
}  // namespace corridor
