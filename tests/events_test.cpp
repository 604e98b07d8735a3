// Dated events (events.h): days into per-period availability, by hand. 2031 has 365 days,
// 2032 has 366. A 12 bcm/y pipeline carries 12 x days / 365 bcm in a month of 2031.
#include "corridor/events.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "corridor/simulate.h"
#include "test_helpers.h"

namespace corridor {
namespace {

using test::at;
using test::exactly;

Outage out(const Date& from, const Date& to, double derate = 1.0) {
  return {date_first_day(from), date_end_day(to), derate, std::nullopt};
}

Period month(int year, int m) {
  return {year, m, static_cast<double>(days_in_month(year, m)) / days_in_year(year)};
}

/// field -> city over one 12 bcm/y pipeline `line`, demand 20 (so the pipeline binds).
Scenario line_scenario(int start, int end, Resolution r, std::vector<Event> events) {
  Scenario s = test::scenario(start, end, r);
  s.nodes = {test::supply("field", 30, 100), test::demand("city", 20)};
  s.pipelines = {test::pipe("line", "field", "city", 12)};
  s.events = std::move(events);
  return s;
}

Event event(std::string id, std::string target, Date from, Date to) {
  Event e;
  e.id = std::move(id);
  e.target = std::move(target);
  e.from = from;
  e.to = to;
  return e;
}

TEST_CASE("#E1 an event inside one month: that month loses its days, the others nothing",
          "[events]") {
  // 10 to 19 March 2031, both inclusive: 10 of March's 31 days out.
  //   March: 12 x 21 / 365 = 0.690411 bcm (instead of 12 x 31 / 365 = 1.019178)
  //   year:  12 x 355 / 365 = 11.671233 bcm
  const std::vector<Outage> o = {out({2031, 3, 10}, {2031, 3, 19})};
  CHECK(period_availability(o, month(2031, 3), 12) == Approx(21.0 / 31.0));
  CHECK(period_availability(o, month(2031, 2), 12) == 1.0);
  CHECK(period_availability(o, {2031, 0, 1.0}, 12) == Approx(355.0 / 365.0));

  const std::vector<Event> ev = {event("cut", "line", {2031, 3, 10}, {2031, 3, 19})};
  const Scenario monthly = line_scenario(2031, 2031, Resolution::Month, ev);
  const CaseResult m = simulate(monthly);
  CHECK(at(m, 2031, 3).capacity("line") == exactly(0.690411));
  CHECK(at(m, 2031, 3).flow("line") == exactly(0.690411));
  CHECK(at(m, 2031, 2).capacity("line") == exactly(12.0 * 28 / 365));
  CHECK(at(m, 2031, 4).capacity("line") == exactly(12.0 * 30 / 365));
  CHECK(test::invariants_on_every_period(monthly) == "");

  const CaseResult y = simulate(line_scenario(2031, 2031, Resolution::Year, ev));
  CHECK(at(y, 2031).capacity("line") == exactly(11.671233));
}

TEST_CASE("#E2 an event across a year boundary: each year loses its own days", "[events]") {
  // 17 December 2031 to 15 January 2032: 15 days of 2031 (17..31 Dec) and 15 of 2032.
  //   December 2031: 12 x 16 / 365 = 0.526027;  January 2032: 12 x 16 / 366 = 0.524590
  //   2031: 12 x 350 / 365 = 11.506849;           2032: 12 x 351 / 366 = 11.508197
  const std::vector<Event> ev = {event("winter", "line", {2031, 12, 17}, {2032, 1, 15})};
  const CaseResult m = simulate(line_scenario(2031, 2032, Resolution::Month, ev));
  CHECK(at(m, 2031, 12).capacity("line") == exactly(0.526027));
  CHECK(at(m, 2032, 1).capacity("line") == exactly(0.524590));
  CHECK(at(m, 2031, 11).capacity("line") == exactly(12.0 * 30 / 365));
  CHECK(at(m, 2032, 2).capacity("line") == exactly(12.0 * 29 / 366));
  const CaseResult y = simulate(line_scenario(2031, 2032, Resolution::Year, ev));
  CHECK(at(y, 2031).capacity("line") == exactly(11.506849));
  CHECK(at(y, 2032).capacity("line") == exactly(11.508197));
}

TEST_CASE("#E3 overlapping events combine as the largest derate on each day, not a sum",
          "[events]") {
  // A: 50 % from 1 to 20 March; B: 80 % from 11 to 31 March. Left on each day:
  //   1-10: 0.5 (A);  11-20: min(0.5, 0.2) = 0.2;  21-31: 0.2 (B)
  //   March: 12 / 365 x (10 x 0.5 + 10 x 0.2 + 11 x 0.2) = 12 x 9.2 / 365 = 0.302466 bcm
  // (A sum of derates would leave nothing on days 11-20: 12 x 7.2 / 365 = 0.236712.)
  Event a = event("a", "line", {2031, 3, 1}, {2031, 3, 20});
  a.derate = 0.5;
  Event b = event("b", "line", {2031, 3, 11}, {2031, 3, 0});
  b.derate = 0.8;
  const CaseResult m = simulate(line_scenario(2031, 2031, Resolution::Month, {a, b}));
  CHECK(at(m, 2031, 3).capacity("line") == exactly(0.302466));
  // The year: 12 / 365 x (334 days whole + 9.2 in March) = 12 x 343.2 / 365 = 11.283288
  const CaseResult y = simulate(line_scenario(2031, 2031, Resolution::Year, {a, b}));
  CHECK(at(y, 2031).capacity("line") == exactly(11.283288));
}

TEST_CASE("#E4 an event that leaves a capacity, on a supply: the rate left, not a share",
          "[events]") {
  // The field (30 bcm/y) keeps 3 bcm/y in April 2031: 3 x 30 / 365 = 0.246575 bcm.
  Event e = event("low", "field", {2031, 4, 0}, {2031, 4, 0});
  e.capacity_left = 3.0;
  const CaseResult m = simulate(line_scenario(2031, 2031, Resolution::Month, {e}));
  CHECK(at(m, 2031, 4).supply_available("field") == exactly(0.246575));
  CHECK(at(m, 2031, 4).flow("line") == exactly(0.246575));
  CHECK(at(m, 2031, 5).supply_available("field") == exactly(30.0 * 31 / 365));
  // A capacity above the normal rate takes nothing away.
  const std::vector<Outage> o = {
      {date_first_day({2031, 4, 0}), date_end_day({2031, 4, 0}), 1.0, 50.0}};
  CHECK(period_availability(o, month(2031, 4), 30) == 1.0);
}

TEST_CASE("an event on a pipeline out of service counts only its days in service", "[events]") {
  // Online 1 March 2031; out 1 to 31 March by an event: in service 0 days of March, so March
  // is 0, and the year keeps 12 x 275 / 365 (April-December) = 9.041096.
  Scenario s = line_scenario(2031, 2031, Resolution::Year,
                             {event("late", "line", {2031, 3, 0}, {2031, 3, 0})});
  s.pipelines[0].online = YearMonth{2031, 3};
  CHECK(at(simulate(s), 2031).capacity("line") == exactly(9.041096));
}

TEST_CASE("availability_factors: outages built in code, read per period without any YAML",
          "[events]") {
  // What a study (an ensemble member's random outage) does: outages and periods in, factors out.
  const std::vector<Outage> o = {out({2031, 1, 0}, {2031, 3, 0}),
                                 out({2031, 2, 15}, {2031, 4, 14}, 0.5)};
  std::vector<Period> months;
  for (int m = 1; m <= 12; ++m) months.push_back(month(2031, m));
  const std::vector<double> f = availability_factors(o, months, [](int) { return 10.0; });
  REQUIRE(f.size() == 12);
  CHECK(f[0] == 0.0);                             // January: out
  CHECK(f[1] == 0.0);                             // February: out, the half derate adds nothing
  CHECK(f[2] == 0.0);                             // March: out
  CHECK(f[3] == Approx((14 * 0.5 + 16) / 30.0));  // April: half for 14 days
  CHECK(f[4] == 1.0);
}

}  // namespace
}  // namespace corridor
