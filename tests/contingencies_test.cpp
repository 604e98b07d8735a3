// The N-1 sweep (contingencies.h) on a hand-checked fixture, windows, pruned pairs, thread
// counts, and the window syntax of --event.
#include "corridor/contingencies.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "corridor/contingency_report.h"
#include "test_helpers.h"

namespace corridor {
namespace {

using test::exactly;

/// #C1: two supplies, two lines, one city (bcm/y, USD/kcm):
///   north (10 at 100) --line-n (8)--> city (12)  route r-north = [line-n]
///   south (10 at 150) --line-s (8)--> city        route r-south = [line-s]
/// Base: line-n carries 8 (cheaper), line-s 4; cost 8 x 100 + 4 x 150 = 1400 MUSD.
Scenario c1(Resolution r = Resolution::Year) {
  Scenario s = test::scenario(2031, 2032, r);
  s.nodes = {test::supply("north", 10, 100), test::supply("south", 10, 150),
             test::demand("city", 12)};
  s.pipelines = {test::pipe("line-n", "north", "city", 8),
                 test::pipe("line-s", "south", "city", 8)};
  s.routes = {test::route("r-north", {"line-n"}), test::route("r-south", {"line-s"})};
  return s;
}

ContingencyStudy sweep(const Scenario& s, ContingencyOptions options = {}) {
  return run_contingencies({std::make_shared<const Scenario>(s)}, options);
}

/// The outcome of the contingency named `name` ("line-n", "line-n+line-s") in `year`.
const YearOutcome& outcome(const ContingencyStudy& st, const std::string& name, int year) {
  const CommodityContingencies& run = st.cases.at(0).runs.at(0);
  for (const Contingency& c : run.contingencies) {
    if (contingency_name(run, c) != name) continue;
    for (const YearOutcome& o : c.years) {
      if (o.year == year) return o;
    }
  }
  throw std::invalid_argument("no contingency " + name);
}

TEST_CASE("#C1 the sweep: lost volume, cost change and the route that picks up",
          "[contingencies]") {
  const ContingencyStudy st = sweep(c1());
  const CommodityContingencies& run = st.cases.at(0).runs.at(0);
  // Assets: pipelines, supplies, (no lng, no storage), routes, in scenario order.
  std::vector<std::string> names;
  for (const Asset& a : run.assets)
    names.push_back(a.id + ":" + std::string(asset_kind_name(a.kind)));
  CHECK(names == std::vector<std::string>{"line-n:pipeline", "line-s:pipeline", "north:supply",
                                          "south:supply", "r-north:route", "r-south:route"});
  const YearOutcome& base = run.base.at(0);
  CHECK(base.cost_musd == Approx(1400));
  // line-n out: line-s carries its 8, the city gets 8: 4 lost; cost 8 x 150 = 1200 (-200);
  // r-south picks up 4.
  const YearOutcome& n = outcome(st, "line-n", 2031);
  CHECK(lost_volume(base, n) == exactly(4));
  CHECK(n.cost_musd - base.cost_musd == Approx(-200));
  CHECK(n.route_volume[1] - base.route_volume[1] == exactly(4));
  // line-s out: 8 from the north: 4 lost, cost 800 (-600), nobody picks up (line-n is full).
  const YearOutcome& s = outcome(st, "line-s", 2031);
  CHECK(lost_volume(base, s) == exactly(4));
  CHECK(s.cost_musd - base.cost_musd == Approx(-600));
  CHECK(s.route_volume[0] - base.route_volume[0] == exactly(0));
  // A supply out loses what its line carried beyond the other line's spare; a route as its line.
  CHECK(lost_volume(base, outcome(st, "north", 2031)) == exactly(4));
  CHECK(lost_volume(base, outcome(st, "r-north", 2031)) == exactly(4));
  // 2 base solves + 6 assets x 2 years.
  CHECK(st.solves == 2 + 12);

  const std::vector<std::pair<std::string, std::string>> files = contingency_csvs(st);
  REQUIRE(files.size() == 4);
  CHECK(files[0].first == "contingencies.csv");
  const std::string& main = files[0].second;
  CHECK(main.substr(0, main.find('\n')) ==
        "scenario,case,year,commodity,asset,asset_kind,lost_volume,unit,lost_share,"
        "cost_change_musd,worst_market,worst_market_lost,base_delivered,delivered,shortfall,"
        "pickup_route,pickup_volume");
  // lost_share = 4 / 12.
  CHECK(main.find("test,base,2031,gas,line-n,pipeline,4.000000,bcm,0.3333,-200.000,city,"
                  "4.000000,12.000000,8.000000,4.000000,r-south,4.000000\n") != std::string::npos);
  CHECK(main.find("test,base,2031,gas,line-s,pipeline,4.000000,bcm,0.3333,-600.000,city,"
                  "4.000000,12.000000,8.000000,4.000000,,\n") != std::string::npos);
  CHECK(files[2].second.find("test,base,2031,gas,line-n,pipeline,1,0.000000,4.000000,4.000000,"
                             "bcm\n") != std::string::npos);
  CHECK(files[3].second.find("test,base,2031,gas,line-n,pipeline,r-south,4.000000,8.000000,"
                             "4.000000,bcm\n") != std::string::npos);
}

TEST_CASE("#C2 a window: spread over the year with yearly resolution, in its months with monthly",
          "[contingencies]") {
  // line-n out for 3 months from January 2031 (90 days). Yearly: line-n keeps 8 x 275 / 365 =
  // 6.027397, and with line-s's 8 the 12 still get through: nothing lost (the loss is spread
  // over the year). Monthly: January-March have only line-s, 8 x 90 / 365 = 1.972603 for a
  // demand of 12 x 90 / 365 = 2.958904: 0.986301 lost. 2032 is not touched.
  ContingencyOptions o;
  o.window = OutageWindow{date_first_day({2031, 1, 0}), date_end_day({2031, 3, 0})};
  o.kinds = {AssetKind::Pipeline};
  const ContingencyStudy yearly = sweep(c1(), o);
  const CommodityContingencies& run = yearly.cases.at(0).runs.at(0);
  CHECK(lost_volume(run.base.at(0), outcome(yearly, "line-n", 2031)) == exactly(0));
  CHECK(run.contingencies.at(0).years.size() == 1);  // only 2031
  const ContingencyStudy monthly = sweep(c1(Resolution::Month), o);
  const CommodityContingencies& mrun = monthly.cases.at(0).runs.at(0);
  CHECK(lost_volume(mrun.base.at(0), outcome(monthly, "line-n", 2031)) == exactly(0.986301));
}

TEST_CASE("#C3 pairs with --k 2: two parallel lines lose nothing alone and everything together",
          "[contingencies]") {
  // field (20) --a (10)--> town (8), and --b (10)--> town: either line alone carries the 8.
  // b is dearer, so it idles in the base; it still serves the town (its own end), so the pair
  // is kept although neither loses anything alone.
  Scenario s = test::scenario(2031, 2031);
  s.nodes = {test::supply("field", 20, 10), test::demand("town", 8), test::supply("far", 5, 10),
             test::demand("elsewhere", 1)};
  s.pipelines = {test::pipe("a", "field", "town", 10, 1), test::pipe("b", "field", "town", 10, 2),
                 test::pipe("c", "far", "elsewhere", 5)};
  ContingencyOptions o;
  o.k = 2;
  o.kinds = {AssetKind::Pipeline};
  const ContingencyStudy st = sweep(s, o);
  const CommodityContingencies& run = st.cases.at(0).runs.at(0);
  const YearOutcome& base = run.base.at(0);
  CHECK(lost_volume(base, outcome(st, "a", 2031)) == exactly(0));
  CHECK(lost_volume(base, outcome(st, "b", 2031)) == exactly(0));
  CHECK(lost_volume(base, outcome(st, "a+b", 2031)) == exactly(8));
  // c serves another market and loses 1 alone; a and b lose nothing alone: a+c and b+c are
  // pruned (no common market, not both losing).
  std::vector<std::string> pairs;
  for (const Contingency& c : run.contingencies) {
    if (c.assets.size() == 2) pairs.push_back(contingency_name(run, c));
  }
  CHECK(pairs == std::vector<std::string>{"a+b"});
}

TEST_CASE("#C4 contracts in the sweep: a hard minimum an outage makes impossible is relaxed",
          "[contingencies][contracts]") {
  // #C1 with two hard contracts: south-spa, a minimum of 6 bcm/y on south, and north-route, a
  // minimum of 2 on route r-north (a lower bound on line-n). Base: south 6, north 6 (cost
  // 6 x 100 + 6 x 150 = 1500). line-s out: south-spa cannot be taken; the relaxed year (as
  // `run` reports it) sends line-n's 8 from north: 4 lost, cost 800. line-n out: north-route
  // cannot be taken; south sends 8: 4 lost, cost 1200. Pairs (--k 2) read the base flows of
  // the split meter, line-n, too.
  Scenario s = c1();
  Contract south;
  south.id = "south-spa";
  south.seller = "south";
  south.acq = constant_series(6);
  south.min_take.share = 1.0;
  south.rule = ContractRule::Hard;
  Contract north = south;
  north.id = "north-route";
  north.seller = "r-north";
  north.acq = constant_series(2);
  s.contracts = {south, north};
  ContingencyOptions options;
  options.k = 2;
  const ContingencyStudy st = sweep(s, options);
  const YearOutcome& base = st.cases.at(0).runs.at(0).base.at(0);
  CHECK(base.cost_musd == Approx(1500));
  const YearOutcome& ls = outcome(st, "line-s", 2031);
  CHECK(lost_volume(base, ls) == exactly(4));
  CHECK(ls.cost_musd == Approx(800));
  const YearOutcome& ln = outcome(st, "line-n", 2031);
  CHECK(lost_volume(base, ln) == exactly(4));
  CHECK(ln.cost_musd == Approx(1200));
  CHECK(lost_volume(base, outcome(st, "line-n+line-s", 2031)) == exactly(12));
}

TEST_CASE("the sweep gives the same CSVs on 1, 2 and 3 threads", "[contingencies]") {
  std::vector<std::shared_ptr<const Scenario>> members;
  for (int k = 0; k < 3; ++k) {
    Scenario s = c1(k == 2 ? Resolution::Month : Resolution::Year);
    s.case_name = "case-" + std::to_string(k);
    members.push_back(std::make_shared<const Scenario>(s));
  }
  ContingencyOptions o;
  o.k = 2;
  o.threads = 1;
  const auto one = contingency_csvs(run_contingencies(members, o));
  for (int threads : {2, 3}) {
    o.threads = threads;
    CHECK(contingency_csvs(run_contingencies(members, o)) == one);
  }
}

TEST_CASE("the windows of --event: durations from a date, or a span of dates", "[contingencies]") {
  OutageWindow w;
  std::string error;
  REQUIRE(parse_window("3 months from 2031-01", w, error));
  CHECK(w.first_day == date_first_day({2031, 1, 0}));
  CHECK(w.end_day == day_number(2031, 4, 1));
  REQUIRE(parse_window("10 days from 2031-01-15", w, error));
  CHECK(w.end_day - w.first_day == 10);
  REQUIRE(parse_window("2 weeks from 2031-02-01", w, error));
  CHECK(w.end_day == day_number(2031, 2, 15));
  REQUIRE(parse_window("1 month from 2031-11-15", w, error));
  CHECK(w.end_day == day_number(2031, 12, 15));
  REQUIRE(parse_window("3 months from 2031-11", w, error));  // across the year
  CHECK(w.end_day == day_number(2032, 2, 1));
  REQUIRE(parse_window("1 year from 2031", w, error));
  CHECK(w.end_day == day_number(2032, 1, 1));
  REQUIRE(parse_window("2031-01-15 to 2031-03", w, error));
  CHECK(w.first_day == day_number(2031, 1, 15));
  CHECK(w.end_day == day_number(2031, 4, 1));

  const std::string hint =
      "; write e.g. \"3 months from 2031-01\", \"10 days from 2031-01-15\" or \"2031-01-15 to "
      "2031-03\"";
  CHECK_FALSE(parse_window("3 fortnights from 2031-01", w, error));
  CHECK(error ==
        "window '3 fortnights from 2031-01' has unknown unit 'fortnights'; use days, "
        "weeks, months or years: write e.g. \"3 months from 2031-01\", \"10 days from "
        "2031-01-15\" or \"2031-01-15 to 2031-03\"");
  CHECK_FALSE(parse_window("0 months from 2031-01", w, error));
  CHECK(error ==
        "window '0 months from 2031-01' must start with a whole number of days, weeks, "
        "months or years from 1" +
            hint);
  CHECK_FALSE(parse_window("3 months from 2031-13", w, error));
  CHECK(error ==
        "window '3 months from 2031-13' has a start that is not a year, a month or a "
        "day" +
            hint);
  CHECK_FALSE(parse_window("2031-03 to 2031-01", w, error));
  CHECK(error == "window '2031-03 to 2031-01' ends before it starts" + hint);
  CHECK_FALSE(parse_window("winter", w, error));
  CHECK(error == "cannot read window 'winter'" + hint);
}

}  // namespace
}  // namespace corridor
