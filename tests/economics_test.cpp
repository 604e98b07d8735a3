// Route economics (economics.h): the capital recovery factor, fixed costs by year, allocation
// of shared pipelines to routes, tariffs, transit fees and levelised costs. Fixtures are worked
// by hand in the comments; a seeded random cross-check covers allocation and discounting.
#include "corridor/economics.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "corridor/csv.h"
#include "test_helpers.h"

namespace corridor {
namespace {

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using test::at;
using test::run_of;

constexpr double kRel = 1e-9;

/// Economics with a total capex.
Economics capex(double musd, double opex_fraction = 0.0, std::optional<double> lifetime = {},
                std::optional<double> rate = {}) {
  Economics e;
  e.capex_musd = musd;
  e.opex_fraction = opex_fraction;
  e.lifetime_years = lifetime;
  e.discount_rate = rate;
  return e;
}

/// Position of route `id` in Network::routes.
int route_slot(const CaseResult& r, const std::string& id) {
  return at(r, r.scenario->horizon.start_year).route_slot(id);
}

/// Costs of route `id` in `year`.
const RouteYearCost& route_cost(const CaseResult& r, const std::string& id, int year) {
  const CommodityRun& run = run_of(r);
  return run.economics.routes.at(year - r.scenario->horizon.start_year).at(route_slot(r, id));
}

/// Own fixed cost of pipeline `id` in `year`.
const FixedCost& pipeline_cost(const CaseResult& r, const std::string& id, int year) {
  const CommodityRun& run = run_of(r);
  return run.economics.pipelines.at(year - r.scenario->horizon.start_year)
      .at(at(r, year).pipeline(id));
}

}  // namespace

TEST_CASE("capital recovery factor: hand values", "[economics]") {
  // 0.1 x 1.1^20 / (1.1^20 - 1) = 0.1 x 6.7275 / 5.7275
  CHECK_THAT(capital_recovery_factor(0.10, 20), WithinRel(0.1174596247725458, kRel));
  CHECK_THAT(capital_recovery_factor(0.0, 25), WithinRel(0.04, kRel));  // 1 / n
  CHECK_THAT(capital_recovery_factor(0.08, 30), WithinRel(0.0888274333872723, kRel));
  // A fractional lifetime: 0.1 x 1.1^2.5 / (1.1^2.5 - 1).
  CHECK_THAT(capital_recovery_factor(0.10, 2.5), WithinRel(0.4716660998650115, kRel));
  // A tiny rate tends to 1 / n without cancellation.
  CHECK_THAT(capital_recovery_factor(1e-12, 10), WithinRel(0.1, 1e-9));
  // One year: repay capital plus one year's interest.
  CHECK_THAT(capital_recovery_factor(0.05, 1), WithinRel(1.05, kRel));
}

TEST_CASE("capital recovery factor: invalid inputs throw", "[economics]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(capital_recovery_factor(0.1, 0), std::invalid_argument);
  CHECK_THROWS_AS(capital_recovery_factor(0.1, -3), std::invalid_argument);
  CHECK_THROWS_AS(capital_recovery_factor(0.1, nan), std::invalid_argument);
  CHECK_THROWS_AS(capital_recovery_factor(-1.0, 10), std::invalid_argument);
  CHECK_THROWS_AS(capital_recovery_factor(nan, 10), std::invalid_argument);
  CHECK_THROWS_WITH(capital_recovery_factor(0.1, 0),
                    "capital recovery factor: lifetime must be positive, got 0.000000 years");
}

TEST_CASE("capex: total, or per km times the length", "[economics]") {
  CHECK(capex_musd(Economics{}, 100.0) == 0.0);
  CHECK(capex_musd(capex(13600), std::nullopt) == 13600.0);
  Economics per_km;
  per_km.capex_musd_per_km = 4.5;
  CHECK(capex_musd(per_km, 2000.0) == 9000.0);
  CHECK(capex_musd(per_km, std::nullopt) == 0.0);  // no length, no capex
}

TEST_CASE("fixed cost: annuity years, in-service fraction, opex after the lifetime",
          "[economics]") {
  Scenario s = test::scenario(2030, 2040);
  s.discount_rate = 0.0;
  // 100 MUSD over 4 years at 0 %: 25 MUSD a year, opex 10 % = 10 MUSD a year in full service.
  const Economics e = capex(100, 0.10, 4.0);
  SECTION("no online: the annuity starts with the horizon") {
    const ServiceSpan always;
    CHECK(fixed_cost(e, {}, always, 2030, 2030, s).capital_musd == 25.0);
    CHECK(fixed_cost(e, {}, always, 2030, 2033, s).capital_musd == 25.0);
    CHECK(fixed_cost(e, {}, always, 2030, 2034, s).capital_musd == 0.0);  // paid off
    CHECK(fixed_cost(e, {}, always, 2030, 2034, s).opex_musd == 10.0);    // still running
  }
  SECTION("online 1 July 2031: 184 of 365 days in the first year") {
    const ServiceSpan july{YearMonth{2031, 7}, std::nullopt};
    CHECK(fixed_cost(e, {}, july, 2030, 2030, s).total() == 0.0);
    CHECK_THAT(fixed_cost(e, {}, july, 2030, 2031, s).capital_musd,
               WithinRel(25.0 * 184 / 365, kRel));
    CHECK_THAT(fixed_cost(e, {}, july, 2030, 2031, s).opex_musd, WithinRel(10.0 * 184 / 365, kRel));
    // The 4 annuity years run from 1 July 2031 to 1 July 2035: full in 2032-2034, and the
    // 181 days before 1 July in 2035, so 184/365 + 3 + 181/365 = 4 annuities in all.
    CHECK(fixed_cost(e, {}, july, 2030, 2034, s).capital_musd == 25.0);
    CHECK_THAT(fixed_cost(e, {}, july, 2030, 2035, s).capital_musd,
               WithinRel(25.0 * 181 / 365, kRel));
    CHECK(fixed_cost(e, {}, july, 2030, 2036, s).capital_musd == 0.0);
    CHECK_THAT(fixed_cost(e, {}, july, 2030, 2036, s).opex_musd, WithinRel(10.0, kRel));
  }
  SECTION("retired 1 April 2032 (a leap year): 91 of 366 days, then nothing") {
    const ServiceSpan until{std::nullopt, YearMonth{2032, 4}};
    CHECK_THAT(fixed_cost(e, {}, until, 2030, 2032, s).capital_musd,
               WithinRel(25.0 * 91 / 366, kRel));
    CHECK(fixed_cost(e, {}, until, 2030, 2033, s).total() == 0.0);
  }
  SECTION("a lifetime of 2.5 years charges half an annuity in the third year") {
    const Economics half = capex(100, 0.0, 2.5);  // 40 MUSD a year at 0 %
    const ServiceSpan always;
    CHECK(fixed_cost(half, {}, always, 2030, 2031, s).capital_musd == 40.0);
    CHECK(fixed_cost(half, {}, always, 2030, 2032, s).capital_musd == 20.0);
    CHECK(fixed_cost(half, {}, always, 2030, 2033, s).capital_musd == 0.0);
  }
  SECTION("the asset's rate and lifetime override the scenario's") {
    s.discount_rate = 0.08;
    s.lifetime_years = 30;
    CHECK_THAT(fixed_cost(capex(100), {}, {}, 2030, 2030, s).capital_musd,
               WithinRel(100 * 0.0888274333872723, kRel));
    CHECK_THAT(fixed_cost(capex(100, 0, 20.0, 0.10), {}, {}, 2030, 2030, s).capital_musd,
               WithinRel(100 * 0.1174596247725458, kRel));
  }
  SECTION("no capex: nothing, whatever the opex fraction") {
    Economics none;
    none.opex_fraction = 0.5;
    CHECK(fixed_cost(none, 100.0, {}, 2030, 2030, s).total() == 0.0);
  }
}

// #E1: two routes share a trunk; a feeder comes online mid-year; the trunk's lifetime ends in
// the horizon; a route has its own capex; tariffs and a transit fee.
//
//   s1 (10 bcm/y, 1 USD/kcm)  --a (tariff 2, transit Y, fee 0)----------+
//   s2 (6 bcm/y, 1 USD/kcm)   --b (online 1 July 2031, transit X, fee 4)--> hub --trunk--> city
//   s3 (10 bcm/y, 10 USD/kcm) --c-------------------------------------+   (tariff 3)  (20 bcm/y)
//
// Routes: r1 = [a, trunk] metered on a; r2 = [b, trunk] metered on b, with 100 MUSD of its own.
// Scenario defaults: 10 %, 20 years, so CRF = C = 0.1174596247725458.
// Dispatch: s1 (6 USD/kcm delivered) and s2 (4, or 8 with the fee) before s3 (13):
//   2030 (b not in service): a 10, b 0, c 10, trunk 20.
//   2031 (b: 30 x 184/365 = 15.1 bcm of capacity) to 2033: a 10, b 6, c 4, trunk 20.
// Pipeline fixed costs (MUSD):
//   trunk: 1000 capex at 0 % over 2.5 y: capital 400, 400, 200, 0; opex 2 % = 20 every year.
//   b: 0.5 MUSD/km x 400 km = 200 capex; capital 200 C x f in 2031 with f = 184/365, then
//      200 C; opex 1 % = 2 x f, then 2.
//   c: 50 capex, capital 50 C every year, no route uses it (unallocated).
// Shares of the trunk: r1 10/20 = 0.5 every year; r2 0 in 2030, 6/20 = 0.3 after.
//   r1: 2030 capital 200 + opex 10 + tariff (2 + 3) x 10 = 50 -> 260 MUSD, 26 USD/kcm
//       2031 260 (26); 2032 100 + 10 + 50 = 160 (16); 2033 0 + 10 + 50 = 60 (6).
//   r2: 2030 nothing (no volume, not in service): no levelised cost.
//       2031 trunk 120 + 6, b 200 C f + 2 f, own 100 C f, tariff 3 x 6 = 18, fee 4 x 6 = 24
//            = 186.771976129985 MUSD, 31.128662688330834 USD/kcm;
//       2032 trunk 60 + 6, b 200 C + 2, own 100 C, 18, 24 = 145.23788743176374 (24.2063...);
//       2033 trunk 0 + 6, b 200 C + 2, own 100 C, 18, 24 = 85.23788743176374 (14.2063...).
// Transit: Y (pipeline a, fee 0) 10 bcm, 0 MUSD every year; X (b) 0 in 2030, then 6 bcm, 24 MUSD.
// Over 2030-2033 at 10 %, d = 1, 1/1.1, 1/1.21, 1/1.331:
//   r1: (260 + 260 d1 + 160 d2 + 60 d3) / (10 (1 + d1 + d2 + d3)) = 19.32040508511097 USD/kcm;
//   r2: (186.77.. d1 + 145.23.. d2 + 85.23.. d3) / (6 (d1 + d2 + d3)) = 23.715692584289314.
TEST_CASE("#E1 shared trunk, mid-year online, lifetime expiry, tariffs and a transit fee",
          "[economics]") {
  Scenario s = test::scenario(2030, 2033);
  s.discount_rate = 0.10;
  s.lifetime_years = 20;
  s.nodes = {test::supply("s1", 10, 1), test::supply("s2", 6, 1), test::supply("s3", 10, 10),
             test::junction("hub"), test::demand("city", 20)};
  Pipeline a = test::pipe("a", "s1", "hub", 30, 2);
  a.transit_country = "Y";
  Pipeline b = test::pipe("b", "s2", "hub", 30, 0);
  b.online = YearMonth{2031, 7};
  b.length_km = 400;
  b.economics.capex_musd_per_km = 0.5;
  b.economics.opex_fraction = 0.01;
  b.transit_country = "X";
  b.transit_fee = constant_series(4);
  Pipeline c = test::pipe("c", "s3", "hub", 30, 0);
  c.economics = capex(50);
  Pipeline trunk = test::pipe("trunk", "hub", "city", 30, 3);
  trunk.economics = capex(1000, 0.02, 2.5, 0.0);
  s.pipelines = {a, b, c, trunk};
  Route r2 = test::route("r2", {"b", "trunk"}, "b");
  r2.economics = capex(100);
  s.routes = {test::route("r1", {"a", "trunk"}, "a"), r2};

  const CaseResult r = simulate(s);
  const double C = 0.1174596247725458, f = 184.0 / 365.0;
  REQUIRE(at(r, 2030).flow("b") == test::exactly(0));
  REQUIRE(at(r, 2030).flow("trunk") == test::exactly(20));
  REQUIRE(at(r, 2031).flow("b") == test::exactly(6));
  REQUIRE(at(r, 2031).flow("c") == test::exactly(4));
  const RunEconomics& e = run_of(r).economics;
  REQUIRE(e.routes.size() == 4);
  REQUIRE(e.pipelines.size() == 4);
  REQUIRE(e.transit.size() == 4);

  SECTION("pipeline fixed costs") {
    CHECK(pipeline_cost(r, "a", 2030).total() == 0.0);
    CHECK_THAT(pipeline_cost(r, "trunk", 2031).capital_musd, WithinRel(400, kRel));
    CHECK_THAT(pipeline_cost(r, "trunk", 2032).capital_musd, WithinRel(200, kRel));
    CHECK(pipeline_cost(r, "trunk", 2033).capital_musd == 0.0);
    CHECK_THAT(pipeline_cost(r, "trunk", 2033).opex_musd, WithinRel(20, kRel));
    CHECK(pipeline_cost(r, "b", 2030).total() == 0.0);
    CHECK_THAT(pipeline_cost(r, "b", 2031).capital_musd, WithinRel(200 * C * f, kRel));
    CHECK_THAT(pipeline_cost(r, "b", 2031).opex_musd, WithinRel(2 * f, kRel));
    CHECK_THAT(pipeline_cost(r, "b", 2033).capital_musd, WithinRel(200 * C, kRel));
    CHECK_THAT(pipeline_cost(r, "c", 2033).capital_musd, WithinRel(50 * C, kRel));
  }
  SECTION("r1: half the trunk, tariffs, no fee") {
    const double capital[] = {200, 200, 100, 0}, total[] = {260, 260, 160, 60};
    for (int y = 2030; y <= 2033; ++y) {
      const RouteYearCost& rc = route_cost(r, "r1", y);
      INFO(y);
      CHECK_THAT(rc.volume, WithinRel(10, kRel));
      CHECK_THAT(rc.capital_musd, WithinAbs(capital[y - 2030], 1e-9));
      CHECK_THAT(rc.opex_musd, WithinRel(10, kRel));
      CHECK_THAT(rc.tariff_musd, WithinRel(50, kRel));
      CHECK(rc.transit_fee_musd == 0.0);
      CHECK_THAT(rc.total_musd(), WithinRel(total[y - 2030], kRel));
      REQUIRE(rc.levelised);
      CHECK_THAT(*rc.levelised, WithinRel(total[y - 2030] / 10, kRel));
      // Default gas heating value 38 MJ/m3 = 38 GJ/kcm.
      CHECK_THAT(*rc.levelised_usd_per_gj, WithinRel(total[y - 2030] / 10 / 38, kRel));
    }
  }
  SECTION("r2: nothing before service, then trunk share, feeder, own capex, tariff and fee") {
    const RouteYearCost& y2030 = route_cost(r, "r2", 2030);
    CHECK(y2030.volume == 0.0);
    CHECK(y2030.total_musd() == 0.0);
    CHECK_FALSE(y2030.levelised);
    CHECK_FALSE(y2030.levelised_usd_per_gj);

    const RouteYearCost& y2031 = route_cost(r, "r2", 2031);
    CHECK_THAT(y2031.volume, WithinRel(6, kRel));
    CHECK_THAT(y2031.capital_musd, WithinRel(120 + 200 * C * f + 100 * C * f, kRel));
    CHECK_THAT(y2031.opex_musd, WithinRel(6 + 2 * f, kRel));
    CHECK_THAT(y2031.tariff_musd, WithinRel(18, kRel));
    CHECK_THAT(y2031.transit_fee_musd, WithinRel(24, kRel));
    CHECK_THAT(y2031.total_musd(), WithinRel(186.771976129985, kRel));
    CHECK_THAT(*y2031.levelised, WithinRel(31.128662688330834, kRel));

    const RouteYearCost& y2032 = route_cost(r, "r2", 2032);
    CHECK_THAT(y2032.capital_musd, WithinRel(60 + 300 * C, kRel));
    CHECK_THAT(y2032.total_musd(), WithinRel(145.23788743176374, kRel));
    const RouteYearCost& y2033 = route_cost(r, "r2", 2033);
    CHECK_THAT(y2033.capital_musd, WithinRel(300 * C, kRel));  // trunk paid off
    CHECK_THAT(y2033.opex_musd, WithinRel(8, kRel));
    CHECK_THAT(*y2033.levelised, WithinRel(85.23788743176374 / 6, kRel));
  }
  SECTION("transit fees per country in pipeline order, zero-fee countries listed") {
    for (int y = 2030; y <= 2033; ++y) {
      INFO(y);
      const std::vector<TransitFee>& t = e.transit[y - 2030];
      REQUIRE(t.size() == 2);
      CHECK(t[0].country == "Y");
      CHECK_THAT(t[0].volume, WithinRel(10, kRel));
      CHECK(t[0].fees_musd == 0.0);
      CHECK(t[1].country == "X");
      CHECK_THAT(t[1].volume, WithinAbs(y == 2030 ? 0 : 6, 1e-12));
      CHECK_THAT(t[1].fees_musd, WithinAbs(y == 2030 ? 0 : 24, 1e-9));
    }
  }
  SECTION("levelised over the horizon: ratio of discounted sums") {
    const int r1 = route_slot(r, "r1"), r2_slot = route_slot(r, "r2");
    CHECK_THAT(*levelised_over(*r.scenario, e, r1, 2030, 2033), WithinRel(19.32040508511097, kRel));
    CHECK_THAT(*levelised_over(*r.scenario, e, r2_slot, 2030, 2033),
               WithinRel(23.715692584289314, kRel));
    // Years outside the horizon are ignored.
    CHECK_THAT(*levelised_over(*r.scenario, e, r1, 2000, 2100), WithinRel(19.32040508511097, kRel));
    // One year: that year's levelised cost.
    CHECK_THAT(*levelised_over(*r.scenario, e, r1, 2032, 2032), WithinRel(16, kRel));
    // r2 carried nothing in 2030; nothing at all outside the horizon.
    CHECK_FALSE(levelised_over(*r.scenario, e, r2_slot, 2030, 2030));
    CHECK_FALSE(levelised_over(*r.scenario, e, r1, 2040, 2045));
  }
}

// #E2: a route's own costs run from the last online of its pipelines to the first retire.
// p1 online April 2030, retires 1 July 2034; p2 online January 2031. Route capex 0.5 MUSD/km
// x (300 + 430) km = 365 MUSD at 0 % over 10 y: 36.5 MUSD a year; opex 10 % = 36.5 a year.
// Route in service 2031-01-01 .. 2034-07-01: nothing in 2030, full 2031-2033, 181/365 in 2034
// (18.1 + 18.1), nothing in 2035.
TEST_CASE("#E2 route-level costs follow the route's service span", "[economics]") {
  Scenario s = test::scenario(2030, 2035);
  s.discount_rate = 0.0;
  s.nodes = {test::supply("s", 10), test::junction("j"), test::demand("d", 5)};
  Pipeline p1 = test::pipe("p1", "s", "j", 10);
  p1.online = YearMonth{2030, 4};
  p1.retire = YearMonth{2034, 7};
  p1.length_km = 300;
  Pipeline p2 = test::pipe("p2", "j", "d", 10);
  p2.online = YearMonth{2031, 0};
  p2.length_km = 430;
  s.pipelines = {p1, p2};
  Route route = test::route("r", {"p1", "p2"});
  route.economics.capex_musd_per_km = 0.5;
  route.economics.opex_fraction = 0.10;
  route.economics.lifetime_years = 10;
  s.routes = {route};
  const CaseResult r = simulate(s);
  const double expected[] = {0, 73, 73, 73, 36.2, 0};
  for (int y = 2030; y <= 2035; ++y) {
    INFO(y);
    CHECK_THAT(route_cost(r, "r", y).total_musd(), WithinAbs(expected[y - 2030], 1e-9));
  }
  SECTION("without a length on every pipeline, per-km capex is 0") {
    s.pipelines[1].length_km.reset();
    CHECK(route_cost(simulate(s), "r", 2032).total_musd() == 0.0);
  }
}

TEST_CASE("monthly resolution: economics from the annual sums", "[economics]") {
  Scenario s = test::scenario(2030, 2031, Resolution::Month);
  s.nodes = {test::supply("s", 10), test::demand("d", 6)};
  Pipeline p = test::pipe("p", "s", "d", 10, 5);
  p.economics = capex(120, 0.0, 1.0, 0.0);  // 120 MUSD in 2030 only
  s.pipelines = {p};
  s.routes = {test::route("r", {"p"})};
  const CaseResult r = simulate(s);
  REQUIRE(run_of(r).economics.routes.size() == 2);
  // 2030: 120 + 5 x 6 = 150 MUSD for 6 bcm, 25 USD/kcm; 2031: 30 for 6, 5 USD/kcm.
  CHECK_THAT(*route_cost(r, "r", 2030).levelised, WithinRel(25, kRel));
  CHECK_THAT(*route_cost(r, "r", 2031).levelised, WithinRel(5, kRel));
}

TEST_CASE("a route against its bidirectional meter pays nothing that year", "[economics]") {
  // The route runs a -> b, the flow goes b -> a (-4 on p): the route's volume is 0.
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("b", 10), test::demand("a", 4)};
  Pipeline p = test::bidirectional_pipe("p", "a", "b", 10, 2);
  p.economics = capex(100, 0.0, 1.0, 0.0);
  s.pipelines = {p};
  s.routes = {test::route("r", {"p"})};
  const CaseResult r = simulate(s);
  REQUIRE(at(r, 2030).flow("p") == test::exactly(-4));
  REQUIRE(at(r, 2030).route_volume("r") == test::exactly(0));
  const RouteYearCost& rc = route_cost(r, "r", 2030);
  CHECK(rc.volume == 0.0);
  CHECK(rc.total_musd() == 0.0);
  CHECK_FALSE(rc.levelised);
  CHECK(pipeline_cost(r, "p", 2030).capital_musd == 100.0);  // unallocated, still reported
}

namespace {}  // namespace

// Random chains: k supplies each with a feeder into a hub, then trunk1 -> mid -> trunk2 -> city,
// and a spur from the hub that no route includes and nothing flows on. Routes [feeder_i,
// trunk1, trunk2] metered on feeder_i partition every pipeline's flow, so the route costs must
// add up to the fixed costs of every pipeline on a route, idle or not (issue 9), and only the
// spur's stay unallocated.
TEST_CASE("random chains: allocation adds up, annuities sum, discounting by brute force",
          "[economics][random]") {
  const int seed = GENERATE(range(1, 41));
  std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
  auto uniform = [&](double lo, double hi) {
    return std::uniform_real_distribution<>(lo, hi)(rng);
  };
  auto integer = [&](int lo, int hi) { return std::uniform_int_distribution<>(lo, hi)(rng); };
  auto economics = [&](Pipeline& p) {
    if (integer(0, 9) < 2) return;  // no capex
    if (integer(0, 1)) {
      p.economics.capex_musd = uniform(10, 1000);
    } else {
      p.length_km = uniform(50, 2000);
      p.economics.capex_musd_per_km = uniform(0.5, 5);
    }
    p.economics.opex_fraction = uniform(0, 0.05);
    if (integer(0, 1)) p.economics.lifetime_years = uniform(0.5, 6);
    if (integer(0, 1)) p.economics.discount_rate = uniform(0, 0.15);
    if (integer(0, 2) == 0) p.online = YearMonth{integer(2030, 2033), integer(0, 12)};
  };

  Scenario s = test::scenario(2030, 2039);
  s.discount_rate = uniform(0, 0.12);
  s.lifetime_years = integer(1, 5);
  const int k = integer(2, 4);
  for (int i = 0; i < k; ++i) {
    const std::string id = std::to_string(i);
    s.nodes.push_back(test::supply("s" + id, integer(1, 10), integer(1, 20)));
    s.pipelines.push_back(test::pipe("f" + id, "s" + id, "hub", integer(1, 10), integer(0, 5)));
    economics(s.pipelines.back());
    s.routes.push_back(test::route("r" + id, {"f" + id, "t1", "t2"}, "f" + id));
  }
  s.nodes.push_back(test::junction("hub"));
  s.nodes.push_back(test::junction("mid"));
  s.nodes.push_back(test::demand("city", integer(5, 30)));
  s.pipelines.push_back(test::pipe("t1", "hub", "mid", integer(5, 30), integer(0, 5)));
  economics(s.pipelines.back());
  s.pipelines.push_back(test::pipe("t2", "mid", "city", integer(5, 30), integer(0, 5)));
  economics(s.pipelines.back());
  s.nodes.push_back(test::demand("nobody", 0));
  s.pipelines.push_back(test::pipe("spur", "hub", "nobody", 10));
  economics(s.pipelines.back());

  const CaseResult r = simulate(s);
  const CommodityRun& run = run_of(r);
  const RunEconomics& e = run.economics;
  const Network& net = run.network;
  REQUIRE(e.routes.size() == run.annual.size());

  for (std::size_t y = 0; y < run.annual.size(); ++y) {
    const PeriodResult& p = run.annual[y];
    INFO("seed " << seed << " year " << p.period.year);
    double allocated = 0.0, unallocated = 0.0, total = 0.0;
    for (std::size_t j = 0; j < net.pipelines.size(); ++j) {
      const double flow = std::abs(p.pipeline_flow[j]);
      const std::string& id = s.pipelines[net.pipelines[j]].id;
      double shares = 0.0;
      bool on_a_route = false;
      for (std::size_t q = 0; q < net.routes.size(); ++q) {
        const std::vector<std::string>& on = s.routes[net.routes[q]].pipelines;
        if (std::find(on.begin(), on.end(), id) == on.end()) continue;
        on_a_route = true;
        if (flow > 0) shares += p.route_volume[q] / flow;
      }
      if (flow > 0) CHECK_THAT(shares, WithinAbs(1.0, 1e-9));  // routes partition the flow
      // Unallocated: a pipeline on no route, all of it; one that carried something, the part
      // of its flow no route reports (none here); an idle one on a route, nothing.
      const double mine = !on_a_route ? 1.0 : flow > 0 ? 1.0 - shares : 0.0;
      unallocated += e.pipelines[y][j].total() * mine;
      total += e.pipelines[y][j].total();
      if (id == "spur") CHECK(flow == 0.0);
    }
    for (std::size_t q = 0; q < net.routes.size(); ++q) {
      const RouteYearCost& rc = e.routes[y][q];
      allocated += rc.capital_musd + rc.opex_musd;
      double tariffs = 0.0;
      for (const std::string& id : s.routes[net.routes[q]].pipelines) {
        for (const Pipeline& pl : s.pipelines) {
          if (pl.id == id) tariffs += tariff_per_unit(pl, p.period.year);
        }
      }
      CHECK_THAT(rc.tariff_musd, WithinAbs(tariffs * std::max(0.0, p.route_volume[q]), 1e-9));
      CHECK(rc.levelised.has_value() == (rc.volume > 0.5e-6));
    }
    CHECK_THAT(allocated + unallocated, WithinAbs(total, 1e-9 * std::max(1.0, total)));
  }

  // Over an annuity wholly inside the horizon (online by 2033, lifetime at most 6 y, horizon
  // to 2039), capital sums to exactly `lifetime` annuities, whatever the day it starts.
  for (std::size_t j = 0; j < net.pipelines.size(); ++j) {
    const Pipeline& pl = s.pipelines[net.pipelines[j]];
    if (!pl.economics.has_capex()) continue;
    const double lifetime = pl.economics.lifetime_years.value_or(s.lifetime_years);
    const double rate = pl.economics.discount_rate.value_or(s.discount_rate);
    const double want =
        capex_musd(pl.economics, pl.length_km) * capital_recovery_factor(rate, lifetime) * lifetime;
    double sum = 0.0;
    for (std::size_t y = 0; y < run.annual.size(); ++y) sum += e.pipelines[y][j].capital_musd;
    INFO("seed " << seed << " pipeline " << pl.id);
    CHECK_THAT(sum, WithinRel(want, kRel));
  }

  // levelised_over against a brute-force sum discounted to the horizon start.
  for (int q = 0; q < static_cast<int>(net.routes.size()); ++q) {
    const int first = integer(2027, 2041), last = integer(first, 2043);
    double cost = 0.0, volume = 0.0;
    bool any = false;
    for (int y = std::max(first, 2030); y <= std::min(last, 2039); ++y) {
      const RouteYearCost& rc = e.routes[y - 2030][q];
      cost += rc.total_musd() / std::pow(1.0 + s.discount_rate, y - 2030);
      volume += rc.volume / std::pow(1.0 + s.discount_rate, y - 2030);
      any = any || rc.volume > 0.5e-6;
    }
    const std::optional<double> got = levelised_over(s, e, q, first, last);
    INFO("seed " << seed << " route " << q << " years " << first << ".." << last);
    REQUIRE(got.has_value() == any);
    if (any) CHECK_THAT(*got, WithinRel(cost / volume, kRel));
  }
}

TEST_CASE("a route with no cost data has no levelised cost, not a cost of 0", "[economics]") {
  // Free-flowing route: no capex, no tariff, no fee. 0 USD/kcm would read as "free".
  Scenario s = test::scenario(2030, 2031);
  s.nodes = {test::supply("field", 10), test::demand("city", 4)};
  Pipeline p = test::pipe("p", "field", "city", 10);
  p.tariff_kind = TariffKind::None;
  p.tariff = constant_series(0.0);
  s.pipelines = {p};
  s.routes = {test::route("r", {"p"})};
  CaseResult r = simulate(s);
  const RouteYearCost& free_route = route_cost(r, "r", 2030);
  CHECK(free_route.volume == 4.0);
  CHECK_FALSE(free_route.costed);
  CHECK_FALSE(free_route.levelised);
  CHECK_FALSE(free_route.levelised_usd_per_gj);
  CHECK_FALSE(levelised_over(s, r.runs[0].economics, 0, 2030, 2031));

  // A tariff written as 0 is cost data: the route is known to cost 0 USD/kcm.
  s.pipelines[0].tariff_kind = TariffKind::PerUnit;
  r = simulate(s);
  const RouteYearCost& zero = route_cost(r, "r", 2030);
  CHECK(zero.costed);
  REQUIRE(zero.levelised);
  CHECK(*zero.levelised == 0.0);
  REQUIRE(levelised_over(s, r.runs[0].economics, 0, 2030, 2031));
  CHECK(*levelised_over(s, r.runs[0].economics, 0, 2030, 2031) == 0.0);
}

}  // namespace corridor

namespace corridor {
namespace {

TEST_CASE("capex_start charges an expansion from its own date, not the line's", "[economics]") {
  // A line in service all along (no online); 100 MUSD of expansion from 1 July 2031, 0 %
  // discount over 10 y (10 MUSD/y) and 2 % opex (2 MUSD/y):
  //   2030: nothing; 2031: from 1 July, 184 of 365 days of (10 + 2);
  //   2032: 10 + 2 = 12.
  Scenario s = test::scenario(2030, 2032);
  s.nodes = {test::supply("field", 10), test::demand("city", 4)};
  Pipeline p = test::pipe("p", "field", "city", 10);
  p.economics.capex_musd = 100.0;
  p.economics.opex_fraction = 0.02;
  p.economics.lifetime_years = 10.0;
  p.economics.discount_rate = 0.0;
  p.economics.capex_start = YearMonth{2031, 7};
  s.pipelines = {p};
  const CaseResult r = simulate(s);
  const RunEconomics& e = r.runs[0].economics;
  CHECK(e.pipelines[0][0].total() == 0.0);
  CHECK_THAT(e.pipelines[1][0].capital_musd, WithinRel(10.0 * 184.0 / 365.0, 1e-12));
  CHECK_THAT(e.pipelines[1][0].opex_musd, WithinRel(2.0 * 184.0 / 365.0, 1e-12));
  CHECK(e.pipelines[2][0].capital_musd == 10.0);
  CHECK(e.pipelines[2][0].opex_musd == 2.0);

  // Never earlier than the line itself: a line online in 2032 pays nothing in 2031.
  s.pipelines[0].online = YearMonth{2032, 0};
  const CaseResult later = simulate(s);
  CHECK(later.runs[0].economics.pipelines[1][0].total() == 0.0);
  CHECK(later.runs[0].economics.pipelines[2][0].capital_musd == 10.0);
}

}  // namespace
}  // namespace corridor

namespace corridor {
namespace {

TEST_CASE("monthly: a line used both ways pays fees on what it carried, not on the net",
          "[economics]") {
  // West and east each have 12 bcm/y of supply at 1 USD/kcm, spread by days (12 d / 365 a
  // month), and a 12 bcm/y demand in one half of the year only (profile: 2 bcm a month).
  // In each month of its half a side imports min(2 - its own supply, the other side's
  // supply): a 31-day month 2 - 1.019178 = 0.980822, a 30-day month the other side's
  // 0.986301 (2 - 0.986301 would be more), February the other side's 0.920548.
  //   January-June, east-bound: 0.980822 x 3 + 0.920548 + 0.986301 x 2 = 5.835616 bcm;
  //   July-December, west-bound: 0.980822 x 4 + 0.986301 x 2 = 5.895890 bcm.
  // The line carried 11.731506 bcm; the annual row shows only the net, -0.060274. Fee
  // 3 USD/kcm and tariff 0.5: fees 3 x 11.731506 = 35.19 MUSD (the net would say 0.18). The
  // route west -> east carried 5.835616 forward and pays 3.5 USD/kcm on it.
  Scenario s = test::scenario(2030, 2030, Resolution::Month);
  Node dw = test::demand("dw", 12), de = test::demand("de", 12);
  dw.profile = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
  de.profile = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
  s.nodes = {test::supply("west", 12, 1), test::supply("east", 12, 1), dw, de};
  Pipeline line = test::bidirectional_pipe("line", "west", "east", 24, 0.5);
  line.transit_country = "X";
  line.transit_fee = constant_series(3.0);
  s.pipelines = {line, test::pipe("to-dw", "west", "dw", 24),
                 test::pipe("to-de", "east", "de", 24)};
  s.routes = {test::route("west-east", {"line"})};
  const CaseResult r = simulate(s);
  const RunEconomics& e = run_of(r).economics;
  const double month31 = 2.0 - 12.0 * 31 / 365, month30 = 12.0 * 30 / 365, feb = 12.0 * 28 / 365;
  const double east_bound = 3 * month31 + feb + 2 * month30;
  const double west_bound = 4 * month31 + 2 * month30;
  REQUIRE(at(r, 2030).flow("line") == Approx(east_bound - west_bound).margin(1e-5));
  REQUIRE(e.transit.size() == 1);
  CHECK_THAT(e.transit[0][0].volume, WithinAbs(east_bound + west_bound, 1e-5));
  CHECK_THAT(e.transit[0][0].fees_musd, WithinAbs(3.0 * (east_bound + west_bound), 1e-4));
  const RouteYearCost& rc = e.routes[0][0];
  CHECK_THAT(rc.volume, WithinAbs(east_bound, 1e-5));
  CHECK_THAT(rc.transit_fee_musd, WithinAbs(3.0 * east_bound, 1e-4));
  REQUIRE(rc.levelised);
  CHECK_THAT(*rc.levelised, WithinAbs(3.5, 1e-9));
}

}  // namespace
}  // namespace corridor

namespace corridor {
namespace {

// #E3 (issue 19): a route metered upstream of a junction carries more than a pipeline after
// the junction, and pays that pipeline's fixed cost at most once.
//   field (10 bcm/y, 0 USD) --f--> hub --trunk--> city (demand 4)
//                                   \---spur----> town (demand 6)
// Route field-city = [f, trunk], metered on f: volume 10; trunk carries 4. 0 % over 10 y.
//   f:     capex 100 MUSD -> 10 MUSD/y capital; tariff 2 USD/kcm.
//   trunk: capex 300 MUSD -> 30 MUSD/y capital, opex 1 % -> 3 MUSD/y; no tariff.
//   share of f = min(1, 10 / 10) = 1; share of trunk = min(1, 10 / 4) = 1 (uncapped: 2.5).
//   capital 10 + 30 = 40, opex 3, tariffs (2 + 0) x 10 = 20: total 63 MUSD, 6.300 USD/kcm.
// Without the cap the route would pay 250 % of the trunk: capital 10 + 75 = 85, opex 7.5,
// total 112.5 MUSD, 11.250 USD/kcm, more than the two pipelines cost together (43 MUSD).
TEST_CASE("#E3 a route metered before a junction pays a pipeline after it at most in full",
          "[economics]") {
  Scenario s = test::scenario(2030, 2030);
  s.discount_rate = 0.0;
  s.lifetime_years = 10.0;
  s.nodes = {test::supply("field", 10), test::junction("hub"), test::demand("city", 4),
             test::demand("town", 6)};
  Pipeline f = test::pipe("f", "field", "hub", 10, 2);
  f.economics = capex(100);
  Pipeline trunk = test::pipe("trunk", "hub", "city", 10);
  trunk.economics = capex(300, 0.01);
  s.pipelines = {f, trunk, test::pipe("spur", "hub", "town", 10)};
  s.routes = {test::route("field-city", {"f", "trunk"}, "f")};

  const CaseResult r = simulate(s);
  REQUIRE(at(r, 2030).flow("f") == test::exactly(10));
  REQUIRE(at(r, 2030).flow("trunk") == test::exactly(4));
  REQUIRE(at(r, 2030).route_volume("field-city") == test::exactly(10));
  CHECK_THAT(pipeline_cost(r, "f", 2030).capital_musd, WithinRel(10, kRel));
  CHECK_THAT(pipeline_cost(r, "trunk", 2030).capital_musd, WithinRel(30, kRel));
  CHECK_THAT(pipeline_cost(r, "trunk", 2030).opex_musd, WithinRel(3, kRel));

  const RouteYearCost& rc = route_cost(r, "field-city", 2030);
  CHECK_THAT(rc.volume, WithinRel(10, kRel));
  CHECK_THAT(rc.capital_musd, WithinRel(40, kRel));
  CHECK_THAT(rc.opex_musd, WithinRel(3, kRel));
  CHECK_THAT(rc.tariff_musd, WithinRel(20, kRel));
  CHECK_THAT(rc.total_musd(), WithinRel(63, kRel));
  REQUIRE(rc.levelised);
  CHECK_THAT(*rc.levelised, WithinRel(6.3, kRel));
  // The invariant behind the cap: no route pays more than the whole of its pipelines.
  CHECK(rc.capital_musd + rc.opex_musd <=
        pipeline_cost(r, "f", 2030).total() + pipeline_cost(r, "trunk", 2030).total() + 1e-9);
}

// #E4 (issue 19): a transit fee alone is cost data. One pipeline with no tariff and no capex,
// a fee of 4 USD/kcm to country X; 5 bcm delivered: fees 4 x 5 = 20 MUSD, levelised
// 20 / 5 = 4.000 USD/kcm, 4 / 38 (the default heating value, MJ/m3 = GJ/kcm) = 0.1053 USD/GJ.
// Were the fee not counted as cost data, both cells would be empty, as for a free route.
TEST_CASE("#E4 a route whose only cost is a transit fee has a levelised cost, not a blank",
          "[economics]") {
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("field", 10), test::demand("city", 5)};
  Pipeline p = test::pipe("line", "field", "city", 10);
  p.tariff_kind = TariffKind::None;
  p.transit_country = "X";
  p.transit_fee = constant_series(4.0);
  s.pipelines = {p};
  s.routes = {test::route("r", {"line"})};
  RunResult run;
  run.cases.push_back(simulate(s));

  const RouteYearCost& rc = route_cost(run.cases[0], "r", 2030);
  CHECK(rc.costed);
  CHECK_THAT(rc.transit_fee_musd, WithinRel(20, kRel));
  CHECK(rc.capital_musd + rc.opex_musd + rc.tariff_musd == 0.0);
  CHECK(route_costs_csv(run) ==
        "scenario,case,year,commodity,route,volume,unit,capital_musd,opex_musd,tariff_musd,"
        "transit_fee_musd,total_cost_musd,levelised_cost,cost_unit,levelised_cost_usd_per_gj,"
        "levelised_cost_usd_per_bbl\n"
        "test,base,2030,gas,r,5.000000,bcm,0.000,0.000,0.000,20.000,20.000,4.000,USD/kcm,"
        "0.1053,\n");
  REQUIRE(rc.levelised);
  CHECK_THAT(*rc.levelised, WithinRel(4, kRel));
  REQUIRE(levelised_over(s, run_of(run.cases[0]).economics, 0, 2030, 2030));
  CHECK_THAT(*levelised_over(s, run_of(run.cases[0]).economics, 0, 2030, 2030), WithinRel(4, kRel));
}

}  // namespace
}  // namespace corridor
