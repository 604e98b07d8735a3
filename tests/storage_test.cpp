// Storage across the months of a year and LNG terminals (network.h, issue 12), by hand.
// 2031 has 365 days, so a rate of R mcm/d is R x 365 / 1000 bcm/y and a month of d days
// carries R x d / 1000 bcm.
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "corridor/contingencies.h"
#include "corridor/csv.h"
#include "corridor/simulate.h"
#include "corridor/validate.h"
#include "test_helpers.h"

namespace corridor {
namespace {

using test::at;
using test::exactly;

/// mcm/d as the canonical bcm/y.
double mcm_per_day(double r) { return r * 365.0 / 1000.0; }

Node storage(std::string id, double volume_bcm, double injection_mcm_d, double withdrawal_mcm_d,
             double initial_fraction) {
  Node n;
  n.id = std::move(id);
  n.kind = NodeKind::Storage;
  n.working_volume = volume_bcm;
  n.injection = constant_series(mcm_per_day(injection_mcm_d));
  n.withdrawal = constant_series(mcm_per_day(withdrawal_mcm_d));
  n.initial = {true, initial_fraction};
  return n;
}

/// #S1: field -> (line, 40 mcm/d) -> city (30 mcm/d), and a storage at the city (2 bcm, in
/// 10 mcm/d, out 20 mcm/d, empty on 1 January, cyclic). The line is out for all of March.
Scenario s1(bool with_storage) {
  Scenario s = test::scenario(2031, 2031, Resolution::Month);
  s.nodes = {test::supply("field", mcm_per_day(40), 100), test::demand("city", mcm_per_day(30))};
  s.pipelines = {test::pipe("line", "field", "city", mcm_per_day(40))};
  if (with_storage) {
    s.nodes.push_back(storage("ugs", 2.0, 10, 20, 0.0));
    s.pipelines.push_back(test::bidirectional_pipe("ugs-link", "city", "ugs", mcm_per_day(100)));
  }
  Event e;
  e.id = "march";
  e.target = "line";
  e.from = {2031, 3, 0};
  e.to = {2031, 3, 0};
  s.events = {e};
  return s;
}

TEST_CASE("#S1 storage fills before an outage and covers part of it", "[storage]") {
  // Without storage March is short by its whole demand: 30 mcm/d x 31 d = 0.93 bcm.
  const CaseResult bare = simulate(s1(false));
  CHECK(at(bare, 2031, 3).shortfall("city") == exactly(0.93));
  CHECK(at(bare, 2031).shortfall("city") == exactly(0.93));
  // With storage, perfect foresight within the year: the line has 10 mcm/d spare, which is
  // also the injection rate, so January fills 10 x 31 = 0.31 bcm and February 10 x 28 = 0.28:
  // 0.59 bcm on 1 March. March withdraws all of it (20 mcm/d x 31 = 0.62 would fit), so
  // March is short by 0.93 - 0.59 = 0.34 bcm, and the store is empty again for the cyclic end.
  const Scenario s = s1(true);
  const CaseResult r = simulate(s);
  const CommodityRun& run = test::run_of(r);
  REQUIRE(run.network.layers == 12);
  REQUIRE(run.network.storages.size() == 1);
  const auto storage_row = [&](int month) -> const PeriodResult& {
    for (const PeriodResult& p : run.monthly) {
      if (p.period.month == month) return p;
    }
    throw std::logic_error("no month");
  };
  CHECK(storage_row(1).storage_injection[0] == exactly(0.31));
  CHECK(storage_row(1).storage_end[0] == exactly(0.31));
  CHECK(storage_row(2).storage_injection[0] == exactly(0.28));
  CHECK(storage_row(2).storage_end[0] == exactly(0.59));
  CHECK(storage_row(3).storage_start[0] == exactly(0.59));
  CHECK(storage_row(3).storage_withdrawal[0] == exactly(0.59));
  CHECK(storage_row(3).storage_end[0] == exactly(0.0));
  for (int m = 4; m <= 12; ++m) {
    INFO("month " << m);
    CHECK(storage_row(m).storage_injection[0] == exactly(0.0));  // injecting costs a little
    CHECK(storage_row(m).storage_end[0] == exactly(0.0));
  }
  CHECK(at(r, 2031, 3).shortfall("city") == exactly(0.34));
  CHECK(at(r, 2031, 3).delivered("city") == exactly(0.59));
  CHECK(at(r, 2031, 1).flow("line") == exactly(1.24));  // 40 x 31: demand and injection
  CHECK(at(r, 2031).shortfall("city") == exactly(0.34));
  // The year: 0.59 in, 0.59 out, empty at both ends; no end-of-year penalty.
  const PeriodResult& year = run.annual.front();
  CHECK(year.storage_start[0] == exactly(0.0));
  CHECK(year.storage_injection[0] == exactly(0.59));
  CHECK(year.storage_withdrawal[0] == exactly(0.59));
  CHECK(year.storage_end[0] == exactly(0.0));
  // Cost: 100 USD/kcm x gas bought, 10.95 - 0.34 = 10.61 bcm; the injection tie-break
  // (0.001 USD/kcm, 0.00059 MUSD here) is not a cost.
  CHECK(year.cost_musd == Approx(100 * 10.61).margin(1e-6));
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("#S2 an end-of-year target above the initial inventory is filled by December",
          "[storage]") {
  // As #S1 but with no outage and `end: 1 bcm`: the store must gain 1 bcm over the year,
  // through the line's 10 mcm/d spare. It needs 100 days of full injection; nothing is short.
  Scenario s = s1(true);
  s.events.clear();
  for (Node& n : s.nodes) {
    if (n.kind == NodeKind::Storage) n.end_target = StorageLevel{false, 1.0};
  }
  const CaseResult r = simulate(s);
  const PeriodResult& year = test::run_of(r).annual.front();
  CHECK(year.storage_end[0] == exactly(1.0));
  CHECK(year.storage_injection[0] - year.storage_withdrawal[0] == exactly(1.0));
  CHECK(at(r, 2031).shortfall("city") == exactly(0.0));
  CHECK(year.penalty_musd == 0.0);
  CHECK(test::invariants_on_every_period(s) == "");
  // A target out of reach (5 bcm through 3.65 bcm/y of injection) is a reported deviation, not
  // an infeasible solve: the store ends as full as the rate allows, 3.65 bcm, and the
  // end-of-year penalty (above every demand tier) is charged on December.
  for (Node& n : s.nodes) {
    if (n.kind == NodeKind::Storage)
      n.working_volume = 6.0, n.end_target = StorageLevel{false, 5.0};
  }
  const CaseResult far = simulate(s);
  const CommodityRun& run = test::run_of(far);
  CHECK(run.annual.front().storage_end[0] == exactly(3.65));
  CHECK(run.monthly.back().penalty_musd > 0.0);
  CHECK(run.monthly.front().penalty_musd == 0.0);
  // (The line's spare is the injection rate, so filling costs no demand.)
  CHECK(at(far, 2031).shortfall("city") == exactly(0.0));
}

TEST_CASE("#S3 the end-of-year rule ranks above demand: a store cannot lend to next year",
          "[storage]") {
  // #S1 with no spare at all (the line carries 30 mcm/d, the demand) and the store half full
  // (1 bcm) on 1 January, cyclic. Whatever March takes out must be put back by December from
  // the same line, so the year's shortfall stays the 0.93 bcm that March lacks (it only moves
  // between months), and the store ends where it began.
  Scenario s = s1(true);
  s.pipelines[0].capacity = constant_series(mcm_per_day(30));
  for (Node& n : s.nodes) {
    if (n.kind == NodeKind::Storage) n.initial = {true, 0.5};
  }
  const CaseResult r = simulate(s);
  const PeriodResult& year = test::run_of(r).annual.front();
  CHECK(at(r, 2031).shortfall("city") == exactly(0.93));
  CHECK(year.storage_start[0] == exactly(1.0));
  CHECK(year.storage_end[0] == exactly(1.0));
  CHECK(year.storage_injection[0] == exactly(year.storage_withdrawal[0]));
  CHECK(year.penalty_musd > 0.0);  // the shortfall's, not the end rule's:
  CHECK(test::run_of(r).monthly.back().storage_end[0] == exactly(1.0));
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("#S4 a year's storage starts where the previous year ended", "[storage]") {
  // #S1 over 2031-2032 with no outage, the store half full (1 bcm) on 1 January 2031 and
  // `end: 1.5 bcm`. 2031 must gain 0.5 bcm (the line has 10 mcm/d spare, 50 days of it).
  // 2032 starts at 2031's end, 1.5 bcm, and must end at 1.5: it gains nothing. (Were every
  // year to start at `initial`, 2032 would also start at 1 bcm and buy another 0.5 bcm.)
  Scenario s = s1(true);
  s.horizon.end_year = 2032;
  s.events.clear();
  for (Node& n : s.nodes) {
    if (n.kind == NodeKind::Storage)
      n.initial = {true, 0.5}, n.end_target = StorageLevel{false, 1.5};
  }
  const CaseResult r = simulate(s);
  const CommodityRun& run = test::run_of(r);
  REQUIRE(run.annual.size() == 2);
  const PeriodResult& y1 = run.annual[0];
  const PeriodResult& y2 = run.annual[1];
  CHECK(y1.storage_start[0] == exactly(1.0));
  CHECK(y1.storage_end[0] == exactly(1.5));
  CHECK(y1.storage_injection[0] - y1.storage_withdrawal[0] == exactly(0.5));
  CHECK(y2.storage_start[0] == exactly(1.5));
  CHECK(y2.storage_end[0] == exactly(1.5));
  CHECK(y2.storage_injection[0] - y2.storage_withdrawal[0] == exactly(0.0));
  CHECK(run.monthly.at(12).storage_start[0] == exactly(1.5));  // January 2032
  CHECK(y1.penalty_musd == 0.0);
  CHECK(y2.penalty_musd == 0.0);
  // Gas bought is the demand plus what the store gained: 2031 pays 100 USD/kcm x 0.5 bcm
  // more than its demand, 2032 nothing more.
  CHECK(y1.cost_musd == Approx(100 * (at(r, 2031).delivered("city") + 0.5)).margin(1e-6));
  CHECK(y2.cost_musd == Approx(100 * at(r, 2032).delivered("city")).margin(1e-6));
  CHECK(test::invariants_on_every_period(s) == "");
  // The N-1 sweep's base carries the inventory over the same way, so its costs are run's.
  const ContingencyStudy st = run_contingencies({std::make_shared<const Scenario>(s)}, {});
  const CommodityContingencies& base = st.cases.at(0).runs.at(0);
  REQUIRE(base.base.size() == 2);
  CHECK(base.base[0].cost_musd == Approx(y1.cost_musd).margin(1e-6));
  CHECK(base.base[1].cost_musd == Approx(y2.cost_musd).margin(1e-6));
}

TEST_CASE("storage with yearly resolution is a junction, with a warning", "[storage]") {
  Scenario s = s1(true);
  s.resolution = Resolution::Year;
  const std::vector<Diagnostic> d = validate(s);
  REQUIRE(d.size() == 1);
  CHECK(d[0].severity == Severity::Warning);
  CHECK(d[0].message ==
        "1 storage node ('ugs') has no effect with 'resolution: year': gas passes it as at a "
        "junction");
  const CaseResult r = simulate(s);
  const PeriodResult& year = test::run_of(r).annual.front();
  CHECK(test::run_of(r).network.layers == 1);
  CHECK(year.storage_injection[0] == 0.0);
  CHECK(year.storage_start[0] == 0.0);
  // The year loses March's 31 days of the line: 40 x 334 / 1000 = 13.36 bcm for 10.95 demand.
  CHECK(at(r, 2031).shortfall("city") == exactly(0.0));
}

TEST_CASE("lng terminals are supplies reported with kind lng", "[storage]") {
  Scenario s = test::scenario(2031, 2031);
  Node lng = test::supply("terminal", 1.36 * 2, 400);  // 2 Mt/y of LNG at 1.36 bcm/Mt
  lng.kind = NodeKind::Lng;
  s.nodes = {test::supply("field", 1, 100), lng, test::demand("city", 3)};
  s.pipelines = {test::pipe("a", "field", "city", 10), test::pipe("b", "terminal", "city", 10)};
  const CaseResult r = simulate(s);
  CHECK(at(r, 2031).supply_used("terminal") == exactly(2.0));
  CHECK(at(r, 2031).supply_used("field") == exactly(1.0));
  RunResult rr;
  rr.cases.push_back(r);
  const std::string csv = supplies_csv(rr);
  CHECK(csv ==
        "scenario,case,year,commodity,node,available,used,unit,country,kind,contracted\n"
        "test,base,2031,gas,field,1.000000,1.000000,bcm,,supply,0.000000\n"
        "test,base,2031,gas,terminal,2.720000,2.000000,bcm,,lng,0.000000\n");
}

}  // namespace
}  // namespace corridor
