// Robustness of the dispatch core (tag [robust]; every test name starts with "robustness:" so
// that `ctest -R robust` selects them, also in the sanitizer tree build-checks/):
//   - integer scaling at the extremes (network.h, "Integer scaling"): capacities from 1e-6 to
//     1e6 bcm/y and costs from 0.001 to 1e6 USD/kcm in one network dispatch exactly; values
//     below the flow resolution round to 0 (documented, not a warning); values, costs and
//     products that do not fit 64-bit integers are InputErrors naming the entity, never a
//     clamp or a wrap (UBSan in build-checks/ would catch an out-of-range conversion);
//   - degenerate networks are results, not crashes, and the ones validate() refuses get a
//     clear message;
//   - determinism: simulating a shipped scenario twice gives byte-identical CSVs.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "corridor/csv.h"
#include "corridor/diagnostics.h"
#include "corridor/flow_solver.h"
#include "corridor/network.h"
#include "corridor/results.h"
#include "corridor/scenario_io.h"
#include "corridor/simulate.h"
#include "corridor/validate.h"
#include "test_helpers.h"

namespace corridor {
namespace {

using Catch::Contains;
using test::at;
using test::exactly;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The formatted diagnostic of the failure simulate(s) returns, or {} if it succeeds.
std::vector<std::string> dispatch_errors(const Scenario& s) {
  const CaseResult r = simulate(s);
  if (!r.failure) return {};
  return {format_diagnostic(r.failure->diagnostic)};
}

/// The one error simulate(s) reports, formatted; "" if it succeeds, and a test failure if it
/// reports more than one.
std::string dispatch_error(const Scenario& s) {
  const std::vector<std::string> errors = dispatch_errors(s);
  REQUIRE(errors.size() <= 1);
  return errors.empty() ? "" : errors.front();
}

/// The messages of validate(s), formatted.
std::vector<std::string> validation(const Scenario& s) {
  std::vector<std::string> out;
  for (const Diagnostic& d : validate(s)) out.push_back(format_diagnostic(d));
  return out;
}

bool any_contains(const std::vector<std::string>& texts, const std::string& needle) {
  for (const std::string& t : texts) {
    if (t.find(needle) != std::string::npos) return true;
  }
  return false;
}

/// test::route() with a (blank) location for each of its pipelines: validate() reads
/// Route::pipeline_where[k] for every pipeline k, and the builder leaves it empty.
Route located_route(std::string id, std::vector<std::string> pipelines) {
  Route r = test::route(std::move(id), std::move(pipelines));
  r.pipeline_where.resize(r.pipelines.size());
  return r;
}

/// field -> hub, then one pipeline per demand: the extremes share one network.
///   tiny-line  1e-6 bcm/y, 1 USD/kcm -> tiny-town (wants 1e-6)
///   big-line   1e6 bcm/y,  1 USD/kcm -> big-city  (wants 1e6)
/// field (2e6 bcm/y at 2 USD/kcm) -> trunk (2e6 bcm/y, 0.5 USD/kcm) -> hub.
Scenario extreme_capacities() {
  Scenario s = test::scenario(2030, 2031);
  s.nodes = {test::supply("field", 2e6, 2), test::junction("hub"), test::demand("tiny-town", 1e-6),
             test::demand("big-city", 1e6)};
  s.pipelines = {test::pipe("trunk", "field", "hub", 2e6, 0.5),
                 test::pipe("tiny-line", "hub", "tiny-town", 1e-6, 1),
                 test::pipe("big-line", "hub", "big-city", 1e6, 1)};
  s.routes = {located_route("to-tiny", {"trunk", "tiny-line"}),
              located_route("to-big", {"trunk", "big-line"})};
  return s;
}

TEST_CASE("build_network resolves each route's pipelines once, in route order", "[robustness]") {
  // Gas a -> b -> c and an oil line; route "back" lists b-c before a-b (a path given from
  // its far end is still a path). Positions are into Network::pipelines of the commodity.
  Scenario s = test::scenario(2030, 2030);
  Node well = test::supply("well", 5), port = test::demand("port", 5);
  well.commodity = port.commodity = Commodity::Oil;
  s.nodes = {test::supply("a", 10), test::junction("b"), test::demand("c", 5), well, port};
  Pipeline crude = test::pipe("crude", "well", "port", 5);
  crude.commodity = Commodity::Oil;
  s.pipelines = {test::pipe("ab", "a", "b", 10), crude, test::pipe("bc", "b", "c", 10)};
  s.routes = {test::route("forward", {"ab", "bc"}), test::route("oil", {"crude"}),
              test::route("back", {"bc", "ab"})};
  const Network gas = build_network(s, Commodity::Gas);
  CHECK(gas.routes == std::vector<int>{0, 2});
  CHECK(gas.route_pipelines == std::vector<std::vector<int>>{{0, 1}, {1, 0}});
  const Network oil = build_network(s, Commodity::Oil);
  CHECK(oil.routes == std::vector<int>{1});
  CHECK(oil.route_pipelines == std::vector<std::vector<int>>{{0}});

  // A route over a pipeline of another network is a bug upstream (validate() refuses it).
  s.routes = {test::route("mixed", {"ab", "crude"})};
  CHECK_THROWS_WITH(build_network(s, Commodity::Gas),
                    "route 'mixed' refers to pipeline 'crude', which is not in the gas network; "
                    "validate() the scenario first");
}

}  // namespace

TEST_CASE("robustness: capacities from 1e-6 to 1e6 bcm/y in one network dispatch exactly",
          "[robust]") {
  const Scenario s = extreme_capacities();
  // 2e6 bcm/y is beyond what a scenario file may hold (magnitude_limit, 1e6 bcm/y), and
  // validate() says so as the loader would; dispatch is still exact there, well within
  // the integer range of the solver.
  REQUIRE(validation(s) ==
          std::vector<std::string>{
              "error: capacity of node 'field' is too large to be real; the limit is 1e+06 "
              "bcm/y; check the unit and the exponent",
              "error: capacity of pipeline 'trunk' is too large to be real; the limit is 1e+06 "
              "bcm/y; check the unit and the exponent"});
  const CaseResult r = simulate(s);
  for (int year : {2030, 2031}) {
    INFO(year);
    const auto y = at(r, year);
    // One flow unit (1 kcm) and 1e12 units, both exact in the doubles of the results.
    CHECK(y.flow("tiny-line") == 1e-6);
    CHECK(y.flow("big-line") == 1e6);
    CHECK(y.flow("trunk") == Approx(1e6 + 1e-6).epsilon(0).margin(1e-9));
    CHECK(y.capacity("tiny-line") == 1e-6);
    CHECK(y.shortfall("tiny-town") == 0.0);
    CHECK(y.shortfall("big-city") == 0.0);
    CHECK(y.route_volume("to-tiny") == 1e-6);
    CHECK(y.route_capacity("to-tiny") == 1e-6);
    CHECK(y.route_bottleneck("to-tiny") == "tiny-line");
    // (1e6 + 1e-6) bcm x (2 + 0.5 + 1) USD/kcm = 3.5e6 + 3.5e-6 million USD.
    CHECK(y.row.cost_musd == Approx(3.5e6 + 3.5e-6).epsilon(0).margin(1e-9));
    CHECK(y.row.penalty_musd == 0.0);
  }

  // The integer instance itself: 1 and 1e12 flow units on the two arcs.
  const test::DirectSolve d = test::solve_directly(s, {2030, 0, 1.0});
  REQUIRE(d.sol.status == FlowStatus::Optimal);
  CHECK(d.sol.arc_flow[d.net.pipeline_arc[1]] == 1);
  CHECK(d.sol.arc_flow[d.net.pipeline_arc[2]] == 1'000'000'000'000);
  CHECK(d.period.total_demand == 1'000'000'000'001);
  CHECK(d.sol.real_cost == std::int64_t{1'000'000'000'001} * 3'500);
  CHECK(test::invariants_on_every_period(s) == "");

  SECTION("the same extremes at monthly resolution add up to the year exactly") {
    Scenario m = extreme_capacities();
    m.resolution = Resolution::Month;
    const CaseResult rm = simulate(m);
    CHECK(at(rm, 2030).flow("tiny-line") == exactly(1e-6));
    CHECK(at(rm, 2030).flow("big-line") == exactly(1e6));
    CHECK(at(rm, 2030).shortfall("tiny-town") == exactly(0));
    // The one flow unit of the year travels in a single month; the rest carry none.
    int months_with_flow = 0;
    for (int month = 1; month <= 12; ++month) {
      const double f = at(rm, 2030, month).flow("tiny-line");
      CHECK((f == 0.0 || f == 1e-6));
      months_with_flow += f > 0.0;
    }
    CHECK(months_with_flow == 1);
    CHECK(test::invariants_on_every_period(m) == "");
  }
}

TEST_CASE("robustness: 1e9 bcm/y is within the flow limit and dispatches exactly", "[robust]") {
  // 1e9 bcm = 1e15 flow units, below kMaxScaledFlow = 2^50 (about 1.126e15). Free supply and
  // transport keep D x cost within 64 bits.
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("field", 1e9), test::demand("city", 1e9)};
  s.pipelines = {test::pipe("line", "field", "city", 1e9)};
  const CaseResult r = simulate(s);
  CHECK(at(r, 2030).flow("line") == 1e9);
  CHECK(at(r, 2030).shortfall("city") == 0.0);
  CHECK(test::invariants_on_every_period(s) == "");
}

// The flow resolution is 1 flow unit (1e-6 bcm, 1 kcm) per period. Decision (documented in
// network.h): a bound below half a unit rounds to 0, with no warning. It is below what the
// CSVs print (6 decimals), and no real pipeline, field or market is that small.
TEST_CASE("robustness: values below the flow resolution round to 0, half a unit to one",
          "[robust]") {
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("field", 10), test::demand("a", 1e-6), test::demand("b", 1e-6),
             test::demand("c", 1e-6), test::demand("d", 0.4e-6)};
  s.pipelines = {test::pipe("p-0.4", "field", "a", 0.4e-6),
                 test::pipe("p-0.5", "field", "b", 0.5e-6),
                 test::pipe("p-0.6", "field", "c", 0.6e-6), test::pipe("p-d", "field", "d", 1)};
  const CaseResult r = simulate(s);
  const auto y = at(r, 2030);
  CHECK(y.capacity("p-0.4") == 0.0);  // 0.4 units -> 0: a shortfall of the whole 1e-6
  CHECK(y.shortfall("a") == 1e-6);
  CHECK(y.capacity("p-0.5") == 1e-6);  // halves round away from zero
  CHECK(y.shortfall("b") == 0.0);
  CHECK(y.capacity("p-0.6") == 1e-6);
  CHECK(y.shortfall("c") == 0.0);
  CHECK(y.demand("d") == 0.0);  // a demand below half a unit is no demand
  CHECK(y.flow("p-d") == 0.0);
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("robustness: costs from 0.001 to 1e6 USD/kcm dispatch exactly", "[robust]") {
  SECTION("0.001 USD/kcm, one cost unit, still tells two parallel pipelines apart") {
    // cheap (0.001) fills first: 5 of the 7 bcm; dear (0.002) carries the other 2.
    // Cost: 5 x 0.001 + 2 x 0.002 = 0.009 million USD.
    Scenario s = test::scenario(2030, 2030);
    s.nodes = {test::supply("field", 10), test::demand("city", 7)};
    s.pipelines = {test::pipe("dear", "field", "city", 5, 0.002),
                   test::pipe("cheap", "field", "city", 5, 0.001)};
    const CaseResult r = simulate(s);
    CHECK(at(r, 2030).flow("cheap") == exactly(5));
    CHECK(at(r, 2030).flow("dear") == exactly(2));
    CHECK(at(r, 2030).row.cost_musd == Approx(0.009).epsilon(0).margin(1e-12));
    const test::DirectSolve d = test::solve_directly(s, {2030, 0, 1.0});
    CHECK(d.period.cost[d.net.pipeline_arc[0]] == 2);
    CHECK(d.period.cost[d.net.pipeline_arc[1]] == 1);
    CHECK(d.sol.real_cost == 9'000'000);  // milli-USD per kcm x kcm
  }
  SECTION("1e6 USD/kcm: exact cost, and priority 1 still comes first") {
    // 10 bcm of supply; first (priority 1) wants 10 over a 1e6 USD/kcm tariff, second
    // (priority 2) wants 10 for 0.001 USD/kcm. The tier penalty outweighs the tariff:
    // first gets everything. Cost 10 x 1e6 = 1e7 million USD.
    Scenario s = test::scenario(2030, 2030);
    s.nodes = {test::supply("field", 10), test::demand("first", 10, 1),
               test::demand("second", 10, 2)};
    s.pipelines = {test::pipe("dear", "field", "first", 10, 1e6),
                   test::pipe("cheap", "field", "second", 10, 0.001)};
    const CaseResult r = simulate(s);
    CHECK(at(r, 2030).delivered("first") == exactly(10));
    CHECK(at(r, 2030).shortfall("second") == exactly(10));
    CHECK(at(r, 2030).row.cost_musd == exactly(1e7));
    CHECK(test::invariants_on_every_period(s) == "");
  }
  SECTION("at the largest tier penalty that fits, priorities stay lexicographic") {
    // C = supply 1e12 + tariff 1e12 = 2e12 USD/kcm, so the priority-1 tier is 2 x (C + 0.001),
    // just below the 4.5e12 limit. Serving first costs 2e12 and saves its 4e12 penalty;
    // serving second would cost only 1e12, but leave the bigger penalty: first wins.
    Scenario s = test::scenario(2030, 2030);
    s.nodes = {test::supply("field", 1e-4, 1e12), test::demand("first", 1e-4, 1),
               test::demand("second", 1e-4, 2)};
    s.pipelines = {test::pipe("to-first", "field", "first", 1, 1e12),
                   test::pipe("to-second", "field", "second", 1, 0)};
    REQUIRE(dispatch_error(s) == "");
    const CaseResult r = simulate(s);
    CHECK(at(r, 2030).delivered("first") == exactly(1e-4));
    CHECK(at(r, 2030).shortfall("second") == exactly(1e-4));
    const test::DirectSolve d = test::solve_directly(s, {2030, 0, 1.0});
    CHECK(d.period.real_cost_sum == 2'000'000'000'000'000);
    CHECK(d.period.cost[d.net.shortfall_arc[0]] == 4'000'000'000'000'002);
    CHECK(d.period.cost[d.net.shortfall_arc[0]] <= kMaxScaledCost);
    CHECK(test::invariants_on_every_period(s) == "");
  }
}

TEST_CASE("robustness: bounds too large to scale are input errors naming the entity", "[robust]") {
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("field", 10), test::demand("city", 10)};
  s.pipelines = {test::pipe("line", "field", "city", 10)};
  s.pipelines[0].capacity_where = {"x.yaml", 7, 15};
  s.nodes[0].capacity_where = {"x.yaml", 3, 20};
  s.nodes[1].demand_where = {"x.yaml", 5, 22};
  REQUIRE(dispatch_error(s) == "");
  const std::string limit = "exceeds the limit of 1125899906.84262 bcm per period";

  SECTION("a pipeline of 2e9 bcm/y") {
    s.pipelines[0].capacity = constant_series(2e9);
    CHECK(dispatch_error(s) ==
          "x.yaml:7:15: error: capacity of pipeline 'line' is too large to "
          "dispatch exactly: 2000000000 bcm in 2030 " +
              limit + "; check the unit and magnitude of this value");
  }
  SECTION("a supply of 2e9 bcm/y") {
    s.nodes[0].capacity = constant_series(2e9);
    CHECK_THAT(dispatch_error(s),
               Contains("x.yaml:3:20: error: capacity of supply 'field' is too large to dispatch "
                        "exactly: 2000000000 bcm in 2030 " +
                        limit));
  }
  SECTION("a demand of 2e9 bcm/y") {
    s.nodes[1].demand = constant_series(2e9);
    CHECK_THAT(dispatch_error(s), Contains("x.yaml:5:22: error: demand of node 'city' is too "
                                           "large to dispatch exactly: 2000000000 bcm in 2030"));
  }
  SECTION("an infinite capacity") {
    s.pipelines[0].capacity = constant_series(kInf);
    CHECK_THAT(dispatch_error(s),
               Contains("capacity of pipeline 'line' is too large to dispatch exactly: inf bcm"));
  }
  SECTION("a capacity that is not a number (infinity x availability 0)") {
    s.pipelines[0].capacity = constant_series(kInf);
    s.pipelines[0].availability = constant_series(0.0);
    CHECK_THAT(dispatch_error(s),
               Contains("x.yaml:7:15: error: capacity of pipeline 'line' in 2030 is not a number"));
  }
  SECTION("two demands of 1e9 bcm/y: each fits, their total does not") {
    s.nodes = {test::supply("field", 10), test::demand("a", 1e9), test::demand("b", 0.9e9)};
    s.nodes[1].demand_where = {"x.yaml", 9, 3};
    s.pipelines = {test::pipe("line", "field", "a", 10)};
    CHECK(dispatch_error(s) ==
          "x.yaml:9:3: error: total gas demand is too large to dispatch exactly: 1900000000 bcm "
          "in 2030 (the largest, node 'a', 1000000000 bcm) " +
              limit + "; check the units and magnitudes of the demands");
  }
  SECTION("monthly resolution names the month") {
    s.resolution = Resolution::Month;
    s.pipelines[0].capacity = constant_series(1e12);
    CHECK_THAT(dispatch_error(s), Contains("capacity of pipeline 'line' is too large to dispatch "
                                           "exactly: 84931506849.3151 bcm in 2030-01 "));
  }
  SECTION("oil is named in Mt") {
    for (Node& n : s.nodes) n.commodity = Commodity::Oil;
    s.pipelines[0].commodity = Commodity::Oil;
    s.pipelines[0].capacity = constant_series(2e9);
    CHECK_THAT(dispatch_error(s),
               Contains("2000000000 Mt in 2030 exceeds the limit of 1125899906.84262 Mt"));
  }
}

TEST_CASE("robustness: a case that cannot be scaled is a value naming case, year and entity",
          "[robust]") {
  // The pipeline's capacity is fine in 2030 and 2e9 bcm/y from 2031: the gas run stops at
  // 2031 with one annual row (2030) and no economics, and the failure says so as data. The
  // oil network is fine, but nothing is dispatched after the failure.
  Scenario s = test::scenario(2030, 2032);
  s.name = "member";
  s.case_name = "late";
  s.nodes = {test::supply("field", 10), test::demand("city", 10)};
  s.pipelines = {test::pipe("line", "field", "city", 10)};
  s.pipelines[0].capacity = test::series({{2030, 10}, {2031, 2e9}});
  s.pipelines[0].capacity_where = {"x.yaml", 7, 15};
  Node well = test::supply("well", 5);
  well.commodity = Commodity::Oil;
  s.nodes.push_back(well);
  const CaseResult r = simulate(s);
  REQUIRE(r.failure);
  const CaseFailure& f = *r.failure;
  CHECK(f.scenario == "member");
  CHECK(f.case_name == "late");
  CHECK(f.commodity == Commodity::Gas);
  CHECK(f.period.year == 2031);
  CHECK(f.period.month == 0);
  CHECK(f.entity == "pipeline 'line'");
  CHECK(format_diagnostic(f.diagnostic) ==
        "x.yaml:7:15: error: capacity of pipeline 'line' is too large to dispatch exactly: "
        "2000000000 bcm in 2031 exceeds the limit of 1125899906.84262 bcm per period; check the "
        "unit and magnitude of this value");
  REQUIRE(r.runs.size() == 1);  // the oil run never started
  CHECK(r.runs[0].annual.size() == 1);
  CHECK(r.runs[0].economics.routes.empty());
  RunResult run;
  run.cases = {simulate(test::scenario(2030, 2030)), r};
  REQUIRE(run.failures().size() == 1);
  CHECK(run.failures()[0].entity == "pipeline 'line'");
}

TEST_CASE("robustness: costs too large to scale are input errors naming the entity, never clamped",
          "[robust]") {
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("field", 10, 100), test::demand("city", 10)};
  s.pipelines = {test::pipe("line", "field", "city", 10, 5)};
  s.pipelines[0].tariff_where = {"x.yaml", 8, 13};
  s.nodes[0].where = {"x.yaml", 2, 5};
  REQUIRE(dispatch_error(s) == "");
  const std::string limit = "exceeds the limit of 4503599627370.5 USD/kcm";

  SECTION("a tariff of 1e16 USD/kcm (1e19 scaled: llround would overflow int64)") {
    s.pipelines[0].tariff = constant_series(1e16);
    CHECK(dispatch_error(s) ==
          "x.yaml:8:13: error: tariff of pipeline 'line' is too large to "
          "dispatch exactly: 1e+16 USD/kcm " +
              limit + "; check the unit and magnitude of this value");
  }
  SECTION("a tariff of 1e300 USD/kcm") {
    s.pipelines[0].tariff = constant_series(1e300);
    CHECK_THAT(dispatch_error(s), Contains("tariff of pipeline 'line' is too large to dispatch "
                                           "exactly: 1e+300 USD/kcm"));
  }
  SECTION("a per-distance tariff that is too large only once multiplied by the length") {
    s.pipelines[0].tariff_kind = TariffKind::PerUnitDistance;
    s.pipelines[0].tariff = constant_series(1e10);  // USD/kcm per 100 km
    s.pipelines[0].length_km = 1e5;
    CHECK_THAT(
        dispatch_error(s),
        Contains(
            "tariff of pipeline 'line' is too large to dispatch exactly: 10000000000000 USD/kcm"));
  }
  SECTION("a supply cost of 1e13 USD/kcm") {
    s.nodes[0].cost = constant_series(1e13);
    CHECK_THAT(dispatch_error(s), Contains("x.yaml:2:5: error: cost of supply 'field' is too "
                                           "large to dispatch exactly: 10000000000000 USD/kcm " +
                                           limit));
  }
  SECTION("costs that are not finite numbers, or negative (which validate() refuses)") {
    s.pipelines[0].tariff = constant_series(kNaN);
    CHECK_THAT(dispatch_error(s),
               Contains("tariff of pipeline 'line' must be a finite number not below 0, got nan"));
    s.pipelines[0].tariff = constant_series(5);
    s.nodes[0].cost = constant_series(kInf);
    CHECK_THAT(dispatch_error(s),
               Contains("cost of supply 'field' must be a finite number not below 0, got inf"));
    s.nodes[0].cost = constant_series(-1);
    CHECK_THAT(dispatch_error(s),
               Contains("cost of supply 'field' must be a finite number not below 0, got -1"));
  }
  SECTION("a tier penalty above the limit: an error where it used to be clamped") {
    // C = 3e12 USD/kcm fits, but the priority-1 tier 2 x (C + 0.001) does not. Clamped, it
    // would no longer outweigh serving priority 2 first.
    s.nodes = {test::supply("field", 10, 3e12), test::demand("first", 1e-4, 1),
               test::demand("second", 1e-4, 2)};
    s.nodes[1].priority_where = {"x.yaml", 11, 17};
    s.pipelines = {test::pipe("a", "field", "first", 10), test::pipe("b", "field", "second", 10)};
    const std::string expected =
        "x.yaml:11:17: error: the shortfall penalty of demand node 'first' (priority 1 of 2) is "
        "too large to dispatch exactly: 2 x (the sum of all gas supply costs and tariffs, "
        "3000000000000 USD/kcm, + 0.001 USD/kcm) " +
        limit +
        "; check the units and magnitudes of supply costs and tariffs, or use fewer priority "
        "levels";
    CHECK(dispatch_error(s) == expected);
    // scale_period reports it before any solve.
    const Network net = build_network(s, Commodity::Gas);
    ScaledPeriod period;
    period.total_demand = -1;
    ScaleError error;
    CHECK_FALSE(scale_period(s, net, period_bounds(s, net, {2030, 0, 1.0}), period, error));
    CHECK(format_diagnostic(error.diagnostic) == expected);
    CHECK(error.entity == "demand node 'first'");
    CHECK(period.total_demand == 0);
    // With one priority level the same costs fit (and so does D x cost, for demands this small).
    s.nodes[2].priority = 1;
    CHECK(dispatch_error(s) == "");
  }
  SECTION("many costs each within the limit whose sum is not") {
    s.nodes = {test::supply("field", 10, 4e12), test::junction("j"), test::demand("city", 1)};
    s.pipelines = {test::pipe("a", "field", "j", 10, 4e12), test::pipe("b", "j", "city", 10, 4e12)};
    CHECK_THAT(dispatch_error(s),
               Contains("the shortfall penalty of demand node 'city' (priority 1 of 1) is too "
                        "large to dispatch exactly: 1 x (the sum of all gas supply costs and "
                        "tariffs, 12000000000000 USD/kcm"));
  }
  SECTION("huge demand x huge cost: each fits, the product does not") {
    s.nodes[1].demand = constant_series(1e6);
    s.nodes[0].capacity = constant_series(1e6);
    s.pipelines[0].capacity = constant_series(1e6);
    s.pipelines[0].tariff = constant_series(1e6);
    s.nodes[1].demand_where = {"x.yaml", 5, 22};
    CHECK(dispatch_error(s) ==
          "x.yaml:5:22: error: total gas demand of 1000000 bcm in 2030 (the largest, node "
          "'city', 1000000 bcm) is too large to dispatch exactly with costs up to 1000100.001 "
          "USD/kcm (shortfall penalties included) and summing to 1000100 USD/kcm: demand x cost "
          "overflows 64-bit integer arithmetic; check the units and magnitudes of demands, "
          "supply costs and tariffs; a shortfall penalty is the sum of all supply costs and "
          "tariffs per priority level");
    // A thousandth of the demand fits.
    s.nodes[1].demand = constant_series(1e3);
    CHECK(dispatch_error(s) == "");
  }
}

TEST_CASE("robustness: degenerate networks are results, not crashes", "[robust]") {
  Scenario s = test::scenario(2030, 2031);

  SECTION("zero-capacity pipelines, one of them bidirectional") {
    s.nodes = {test::supply("field", 10), test::junction("j"), test::demand("city", 4)};
    s.pipelines = {test::pipe("a", "field", "j", 0), test::bidirectional_pipe("b", "j", "city", 0)};
    s.routes = {located_route("r", {"a", "b"})};
    CHECK(validation(s).empty());
    const CaseResult r = simulate(s);
    CHECK(at(r, 2031).flow("a") == 0.0);
    CHECK(at(r, 2031).flow("b") == 0.0);
    CHECK(at(r, 2031).shortfall("city") == exactly(4));
    CHECK(at(r, 2031).route_capacity("r") == 0.0);
    CHECK(at(r, 2031).route_bottleneck("r") == "");
  }
  SECTION("a demand node no pipeline reaches: its whole demand is shortfall, with a warning") {
    s.nodes = {test::supply("field", 10), test::demand("city", 4), test::demand("island", 3)};
    s.pipelines = {test::pipe("a", "field", "city", 10)};
    CHECK(any_contains(validation(s), "warning: demand node 'island' cannot be reached"));
    const CaseResult r = simulate(s);
    CHECK(at(r, 2030).delivered("city") == exactly(4));
    CHECK(at(r, 2030).shortfall("island") == exactly(3));
  }
  SECTION("two pipelines between the same nodes: both used, split by tariff") {
    // cheap (8 bcm/y, 1 USD/kcm) fills first, dear (8 bcm/y, 3 USD/kcm) carries the rest of
    // 11; a third, reversed and bidirectional, at 2 USD/kcm, comes in between.
    s.nodes = {test::supply("field", 20), test::demand("city", 11)};
    s.pipelines = {test::pipe("dear", "field", "city", 8, 3),
                   test::pipe("cheap", "field", "city", 8, 1)};
    CHECK(validation(s).empty());
    CaseResult r = simulate(s);
    CHECK(at(r, 2030).flow("cheap") == exactly(8));
    CHECK(at(r, 2030).flow("dear") == exactly(3));
    CHECK(at(r, 2030).row.cost_musd == exactly(8 * 1 + 3 * 3));
    s.pipelines.push_back(test::bidirectional_pipe("back", "city", "field", 2, 2));
    r = simulate(s);
    CHECK(at(r, 2030).flow("cheap") == exactly(8));
    CHECK(at(r, 2030).flow("back") == exactly(-2));  // against from -> to
    CHECK(at(r, 2030).flow("dear") == exactly(1));
  }
  SECTION("only oil") {
    s.nodes = {test::supply("well", 30), test::demand("refinery", 20)};
    for (Node& n : s.nodes) n.commodity = Commodity::Oil;
    s.pipelines = {test::pipe("crude", "well", "refinery", 25, 4)};
    s.pipelines[0].commodity = Commodity::Oil;
    CHECK(validation(s).empty());
    const CaseResult r = simulate(s);
    REQUIRE(r.runs.size() == 1);
    CHECK(r.runs[0].network.commodity == Commodity::Oil);
    CHECK_THROWS_AS(test::run_of(r, Commodity::Gas), std::invalid_argument);
    CHECK(at(r, 2030, 0, Commodity::Oil).flow("crude") == exactly(20));
    RunResult run;
    run.cases.push_back(r);
    const std::string flows = flows_csv(run);
    CHECK_THAT(flows, Contains("test,base,2030,oil,crude,well,refinery,20.000000,25.000000,"
                               "0.8000,Mt,0.000,0.000\n"));
    CHECK_FALSE(flows.find(",gas,") != std::string::npos);
  }
  SECTION("supply but no demand: nothing moves, nothing is short") {
    s.nodes = {test::supply("field", 10, 5), test::junction("j")};
    s.pipelines = {test::pipe("a", "field", "j", 10, 1)};
    const CaseResult r = simulate(s);
    CHECK(at(r, 2030).flow("a") == 0.0);
    CHECK(at(r, 2030).supply_used("field") == 0.0);
    CHECK(at(r, 2030).row.total_demand() == 0.0);
    CHECK(at(r, 2030).row.cost_musd == 0.0);
  }
  SECTION("demand but no supply: all shortfall") {
    s.nodes = {test::junction("j"), test::demand("city", 6)};
    s.pipelines = {test::pipe("a", "j", "city", 10, 1)};
    const CaseResult r = simulate(s);
    CHECK(at(r, 2030).shortfall("city") == exactly(6));
    CHECK(at(r, 2030).row.cost_musd == 0.0);
  }
  SECTION("no pipelines at all") {
    s.nodes = {test::supply("field", 10), test::demand("city", 6)};
    const CaseResult r = simulate(s);
    CHECK(at(r, 2030).row.pipeline_flow.empty());
    CHECK(at(r, 2030).shortfall("city") == exactly(6));
    RunResult run;
    run.cases.push_back(r);
    CHECK(flows_csv(run) ==
          "scenario,case,year,commodity,pipeline,from,to,flow,capacity,utilisation,unit,"
          "capital_musd,opex_musd\n");
  }
  SECTION("only junctions: no supply, no demand") {
    s.nodes = {test::junction("a"), test::junction("b")};
    s.pipelines = {test::pipe("p", "a", "b", 10)};
    const CaseResult r = simulate(s);
    CHECK(at(r, 2030).flow("p") == 0.0);
  }
  SECTION("a route on a pipeline that is never online") {
    s.nodes = {test::supply("field", 10), test::junction("j"), test::demand("city", 6)};
    s.pipelines = {test::pipe("old", "field", "j", 10), test::pipe("future", "j", "city", 10)};
    s.pipelines[1].online = YearMonth{2040, 0};
    s.routes = {located_route("r", {"old", "future"})};
    CHECK(any_contains(validation(s),
                       "warning: pipeline 'future' comes online in 2040, after "
                       "the horizon ends in 2031"));
    const CaseResult r = simulate(s);
    CHECK(at(r, 2031).capacity("future") == 0.0);
    CHECK(at(r, 2031).route_volume("r") == 0.0);
    CHECK(at(r, 2031).route_capacity("r") == 0.0);
    CHECK(at(r, 2031).route_bottleneck("r") == "future");
    CHECK(at(r, 2031).shortfall("city") == exactly(6));
  }
  SECTION("a pipeline from a node to itself: validate() refuses it, simulate() survives it") {
    s.nodes = {test::supply("field", 10), test::demand("city", 6)};
    s.pipelines = {test::pipe("a", "field", "city", 10), test::pipe("loop", "city", "city", 10)};
    CHECK(any_contains(validation(s),
                       "error: pipeline 'loop' runs from node 'city' to itself; a pipeline joins "
                       "two different nodes"));
    const CaseResult r = simulate(s);
    CHECK(at(r, 2030).flow("loop") == 0.0);
    CHECK(at(r, 2030).delivered("city") == exactly(6));
  }
  SECTION("a horizon of one year (start == end) is fine") {
    s = test::scenario(2030, 2030);
    s.nodes = {test::supply("field", 10), test::demand("city", 6)};
    s.pipelines = {test::pipe("a", "field", "city", 10)};
    CHECK(validation(s).empty());
    CHECK(test::run_of(simulate(s)).annual.size() == 1);
  }
  SECTION("a horizon that ends before it starts: a clear error, and no rows if simulated") {
    s = test::scenario(2031, 2030);
    s.horizon.where = {"x.yaml", 2, 10};
    s.nodes = {test::supply("field", 10), test::demand("city", 6)};
    s.pipelines = {test::pipe("a", "field", "city", 10)};
    CHECK(validation(s) == std::vector<std::string>{
                               "x.yaml:2:10: error: horizon ends (2030) before it starts "
                               "(2031); end is inclusive: {start: 2030, end: 2030} is one year"});
    CHECK(test::run_of(simulate(s)).annual.empty());
  }
  SECTION("no nodes at all: a clear error, and no runs if simulated") {
    CHECK(any_contains(validation(s), "error: scenario has no nodes"));
    CHECK(simulate(s).runs.empty());
  }
  SECTION("everything zero at monthly resolution") {
    s.resolution = Resolution::Month;
    s.nodes = {test::supply("field", 0), test::demand("city", 0)};
    s.pipelines = {test::pipe("a", "field", "city", 0)};
    const CaseResult r = simulate(s);
    CHECK(test::run_of(r).monthly.size() == 24);
    CHECK(at(r, 2031, 12).flow("a") == 0.0);
    CHECK(at(r, 2031).shortfall("city") == 0.0);
  }
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("robustness: simulate() twice on the shipped scenarios gives identical CSVs",
          "[robust]") {
  // In-process, so the two runs share the process (and any state it could leak); the CLI
  // test of determinism runs the binary twice.
  const std::string root = CORRIDOR_SOURCE_DIR;
  for (const std::string file : {"scenarios/minimal.yaml", "scenarios/russia-china-gas.yaml",
                                 "scenarios/pos2-delay.yaml", "tests/fixtures/cli/monthly.yaml"}) {
    INFO(file);
    const LoadedScenario loaded = load_scenario(root + "/" + file);
    RunResult first, second;
    for (const auto& c : loaded.cases) first.cases.push_back(simulate(c));
    for (const auto& c : loaded.cases) second.cases.push_back(simulate(c));
    const auto a = result_csvs(first), b = result_csvs(second);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      INFO(a[i].first);
      CHECK(a[i].first == b[i].first);
      CHECK(a[i].second == b[i].second);
    }
  }
}

}  // namespace corridor
