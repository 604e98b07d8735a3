// Hand-checkable dispatch fixtures #F1..#F12: each states its answer in a comment, computed by
// hand in the scenario's units (bcm, USD/kcm; 1 bcm x 1 USD/kcm = 1 million USD), and asserts
// flows, delivered and shortfall volumes and cost exactly (to one flow unit, 1e-6 bcm). Every
// fixture also re-solves each of its periods with FlowSolver and checks the flow invariants
// (simulate() checks them on every solve as well, and throws if they fail).
#include <catch2/catch.hpp>
#include <cstdint>
#include <initializer_list>
#include <memory>

#include "corridor/economics.h"
#include "corridor/flow_solver.h"
#include "corridor/network.h"
#include "corridor/results.h"
#include "corridor/simulate.h"
#include "test_helpers.h"

namespace corridor {
namespace {

using test::at;
using test::exactly;

// Scaled objective units per million USD: 1e6 flow units per bcm x 1e3 cost units per USD/kcm.
constexpr double kScaledPerMusd = kFlowUnitsPerVolume * kCostScale;

RunResult run_of_cases(std::initializer_list<Scenario> cases) {
  RunResult r;
  for (const Scenario& s : cases) r.cases.push_back(simulate(s));
  return r;
}

/// S (20 bcm/y at 100 USD/kcm) -> P1 (15 bcm/y, 5 USD/kcm) -> D (10 bcm/y).
Scenario f1_single_pipe() {
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("S", 20, 100), test::demand("D", 10)};
  s.pipelines = {test::pipe("P1", "S", "D", 15, 5)};
  return s;
}

/// As #F1 but D wants 12 over a 10 bcm/y pipe.
Scenario f2_bottleneck() {
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("S", 20, 100), test::demand("D", 12)};
  s.pipelines = {test::pipe("P1", "S", "D", 10, 5)};
  return s;
}

TEST_CASE("#F1 single pipe, demand met", "[dispatch]") {
  // 10 bcm through P1; cost 10 x (100 + 5) = 1050 MUSD; no shortfall, no penalty.
  const Scenario s = f1_single_pipe();
  const CaseResult r = simulate(s);
  const auto y = at(r, 2030);
  CHECK(y.flow("P1") == exactly(10));
  CHECK(y.capacity("P1") == exactly(15));
  CHECK(y.supply_used("S") == exactly(10));
  CHECK(y.supply_available("S") == exactly(20));
  CHECK(y.demand("D") == exactly(10));
  CHECK(y.delivered("D") == exactly(10));
  CHECK(y.shortfall("D") == exactly(0));
  CHECK(y.row.cost_musd == exactly(1050));
  CHECK(y.row.penalty_musd == exactly(0));
  CHECK(y.row.status == FlowStatus::Optimal);
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("#F2 bottleneck: demand 12 over a 10 bcm/y pipe leaves 2 short", "[dispatch]") {
  // P1 saturates at 10; shortfall 2; cost 10 x 105 = 1050 MUSD. The penalty term is the tier
  // price (C + 1 scaled units = 105.001 USD/kcm, C = 100 + 5 USD/kcm) times the 2 bcm short.
  const Scenario s = f2_bottleneck();
  const CaseResult r = simulate(s);
  const auto y = at(r, 2030);
  CHECK(y.flow("P1") == exactly(10));
  CHECK(y.delivered("D") == exactly(10));
  CHECK(y.shortfall("D") == exactly(2));
  CHECK(y.row.cost_musd == exactly(1050));
  CHECK(y.row.penalty_musd == exactly(2 * 105.001));
  CHECK(y.row.total_shortfall() == exactly(2));
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("#F3 two parallel routes: the cheaper one saturates first", "[dispatch]") {
  // S (30 at 50) feeds D over A (10 bcm/y, 2 USD/kcm) and B (10 bcm/y, 7 USD/kcm).
  //   2030, D = 6:  A 6, B 0;  cost 6 x 50 + 6 x 2 = 312.
  //   2031, D = 15: A 10, B 5; cost 15 x 50 + 10 x 2 + 5 x 7 = 805.
  //   2032, D = 25: A 10, B 10, 5 short; cost 20 x 50 + 20 + 70 = 1090.
  Scenario s = test::scenario(2030, 2032);
  s.nodes = {test::supply("S", 30, 50), test::demand("D", 0)};
  s.nodes[1].demand = test::series({{2030, 6}, {2031, 15}, {2032, 25}});
  s.pipelines = {test::pipe("A", "S", "D", 10, 2), test::pipe("B", "S", "D", 10, 7)};
  const CaseResult r = simulate(s);

  const auto y0 = at(r, 2030);
  CHECK(y0.flow("A") == exactly(6));
  CHECK(y0.flow("B") == exactly(0));
  CHECK(y0.shortfall("D") == exactly(0));
  CHECK(y0.row.cost_musd == exactly(312));

  const auto y1 = at(r, 2031);
  CHECK(y1.flow("A") == exactly(10));
  CHECK(y1.flow("B") == exactly(5));
  CHECK(y1.shortfall("D") == exactly(0));
  CHECK(y1.row.cost_musd == exactly(805));

  const auto y2 = at(r, 2032);
  CHECK(y2.flow("A") == exactly(10));
  CHECK(y2.flow("B") == exactly(10));
  CHECK(y2.delivered("D") == exactly(20));
  CHECK(y2.shortfall("D") == exactly(5));
  CHECK(y2.row.cost_musd == exactly(1090));
  CHECK(test::invariants_on_every_period(s) == "");
}

/// One supply of 10 (at 10 USD/kcm); D1 (priority 1) wants 8 over P1 (tariff 20), D2
/// (priority 2) wants 8 over the cheaper P2 (tariff 1).
Scenario f4_two_tiers() {
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("S", 10, 10), test::demand("D2", 8, 2), test::demand("D1", 8, 1)};
  s.pipelines = {test::pipe("P2", "S", "D2", 20, 1), test::pipe("P1", "S", "D1", 20, 20)};
  return s;
}

TEST_CASE("#F4 priorities: priority 1 is served first even when priority 2 is cheaper",
          "[dispatch]") {
  SECTION("two tiers") {
    // D1 gets 8, D2 the remaining 2 (6 short). Cost 10 x 10 + 8 x 20 + 2 x 1 = 262.
    // Penalty: C = 10 + 20 + 1 USD/kcm; tier of priority 2 (of P = 2) is 1 x (C + 0.001)
    // = 31.001 USD/kcm, times 6 bcm = 186.006.
    const Scenario s = f4_two_tiers();
    const CaseResult r = simulate(s);
    const auto y = at(r, 2030);
    CHECK(y.delivered("D1") == exactly(8));
    CHECK(y.shortfall("D1") == exactly(0));
    CHECK(y.delivered("D2") == exactly(2));
    CHECK(y.shortfall("D2") == exactly(6));
    CHECK(y.flow("P1") == exactly(8));
    CHECK(y.flow("P2") == exactly(2));
    CHECK(y.row.cost_musd == exactly(262));
    CHECK(y.row.penalty_musd == exactly(186.006));
    CHECK(test::invariants_on_every_period(s) == "");
  }
  SECTION("three tiers, declared in reverse order, cheapest path to the last tier") {
    // Supply 10 at 0; D3 (p3, tariff 1), D2 (p2, tariff 20), D1 (p1, tariff 30) want 4 each.
    // D1 4, D2 4, D3 2. Cost 4 x 30 + 4 x 20 + 2 x 1 = 202. Penalty: C = 51 USD/kcm, the
    // lowest tier (p3) costs 1 x 51.001 per kcm, times 2 bcm short = 102.002.
    Scenario s = test::scenario(2030, 2030);
    s.nodes = {test::demand("D3", 4, 3), test::demand("D2", 4, 2), test::demand("D1", 4, 1),
               test::supply("S", 10, 0)};
    s.pipelines = {test::pipe("P3", "S", "D3", 20, 1), test::pipe("P2", "S", "D2", 20, 20),
                   test::pipe("P1", "S", "D1", 20, 30)};
    const CaseResult r = simulate(s);
    const auto y = at(r, 2030);
    CHECK(y.delivered("D1") == exactly(4));
    CHECK(y.delivered("D2") == exactly(4));
    CHECK(y.delivered("D3") == exactly(2));
    CHECK(y.shortfall("D3") == exactly(2));
    CHECK(y.row.cost_musd == exactly(202));
    CHECK(y.row.penalty_musd == exactly(102.002));
    CHECK(test::invariants_on_every_period(s) == "");
  }
  SECTION("priority 1 behind a bottleneck does not strand supply") {
    // As "two tiers" but P1 carries only 5: D1 gets 5 (3 short), and the other 5 go to D2
    // rather than staying unused. Cost 10 x 10 + 5 x 20 + 5 x 1 = 205.
    Scenario s = f4_two_tiers();
    s.pipelines[1].capacity = constant_series(5);
    const CaseResult r = simulate(s);
    const auto y = at(r, 2030);
    CHECK(y.delivered("D1") == exactly(5));
    CHECK(y.shortfall("D1") == exactly(3));
    CHECK(y.delivered("D2") == exactly(5));
    CHECK(y.shortfall("D2") == exactly(3));
    CHECK(y.row.cost_musd == exactly(205));
    CHECK(test::invariants_on_every_period(s) == "");
  }
}

TEST_CASE("#F4 direct FlowSolver solve: arc flows, integer objective, invariants", "[dispatch]") {
  // The "two tiers" instance of #F4 in scaled units: flows in kcm (1e6 per bcm), costs in
  // milli-USD per kcm, objective 1e9 per million USD.
  const Scenario s = f4_two_tiers();
  const test::DirectSolve d = test::solve_directly(s, periods(s).front());
  const Network& net = d.net;
  const FlowSolution& sol = d.sol;
  REQUIRE(sol.status == FlowStatus::Optimal);
  CHECK(d.period.total_demand == 16'000'000);
  CHECK(check_flow_invariants(net, d.period, sol) == "");

  REQUIRE(net.supplies.size() == 1);
  REQUIRE(net.demands.size() == 2);  // scenario order: D2, D1
  CHECK(s.nodes[net.demands[0]].id == "D2");
  CHECK(sol.arc_flow[net.supply_arc[0]] == 10'000'000);
  CHECK(sol.arc_flow[net.pipeline_arc[0]] == 2'000'000);  // P2
  CHECK(sol.arc_flow[net.pipeline_arc[1]] == 8'000'000);  // P1
  CHECK(sol.arc_flow[net.delivery_arc[0]] == 8'000'000);  // delivery arcs are saturated
  CHECK(sol.arc_flow[net.delivery_arc[1]] == 8'000'000);
  CHECK(sol.arc_flow[net.shortfall_arc[0]] == 6'000'000);
  CHECK(sol.arc_flow[net.shortfall_arc[1]] == 0);
  // C = (10 + 1 + 20) USD/kcm = 31000 scaled; tier p2 = 31001, tier p1 = 2 x 31001.
  CHECK(d.period.real_cost_sum == 31'000);
  CHECK(d.period.cost[net.shortfall_arc[0]] == 31'001);
  CHECK(d.period.cost[net.shortfall_arc[1]] == 62'002);
  CHECK(sol.real_cost == std::int64_t{262} * 1'000'000'000);
  CHECK(sol.penalty == std::int64_t{6'000'000} * 31'001);

  SECTION("the checker rejects a flow above its bound") {
    FlowSolution bad = sol;
    bad.arc_flow[net.pipeline_arc[1]] = d.period.upper[net.pipeline_arc[1]] + 1;
    CHECK(check_flow_invariants(net, d.period, bad) != "");
  }
  SECTION("the checker rejects a negative flow") {
    FlowSolution bad = sol;
    bad.arc_flow[net.shortfall_arc[1]] = -1;
    CHECK(check_flow_invariants(net, d.period, bad) != "");
  }
  SECTION("the checker rejects unbalanced flow") {
    FlowSolution bad = sol;
    bad.arc_flow[net.pipeline_arc[0]] -= 1;  // within bounds, but D2 now loses a unit
    CHECK(check_flow_invariants(net, d.period, bad) != "");
  }
  SECTION("the checker rejects a misreported cost") {
    FlowSolution bad = sol;
    bad.real_cost += 1;
    CHECK(check_flow_invariants(net, d.period, bad) != "");
    bad = sol;
    bad.penalty -= 1;
    CHECK(check_flow_invariants(net, d.period, bad) != "");
  }
  SECTION("the checker rejects a wrong supply at S or T") {
    ScaledPeriod more = d.period;
    more.node_supply[net.source] += 1;
    CHECK(check_flow_invariants(net, more, sol) != "");
    more = d.period;
    more.node_supply[net.sink] -= 1;
    CHECK(check_flow_invariants(net, more, sol) != "");
  }
}

TEST_CASE("#F5 ramp-up: capacity 2, 5, 10, 10 after coming online in 2030", "[dispatch]") {
  // Capacity 10, online 2030, ramp [0.2, 0.5]: 2029 0, 2030 2, 2031 5, 2032 10, 2033 10.
  // D wants 12, so flow = capacity and shortfall = 12 - capacity; supply at 3 USD/kcm, no
  // tariff: cost = 3 x flow.
  Scenario s = test::scenario(2029, 2033);
  s.nodes = {test::supply("S", 20, 3), test::demand("D", 12)};
  Pipeline p = test::pipe("P1", "S", "D", 10);
  p.online = YearMonth{2030, 0};
  p.ramp_up = {0.2, 0.5};
  s.pipelines = {p};
  const CaseResult r = simulate(s);
  const double capacity[] = {0, 2, 5, 10, 10};
  for (int k = 0; k < 5; ++k) {
    INFO("year " << 2029 + k);
    const auto y = at(r, 2029 + k);
    CHECK(y.capacity("P1") == exactly(capacity[k]));
    CHECK(y.flow("P1") == exactly(capacity[k]));
    CHECK(y.shortfall("D") == exactly(12 - capacity[k]));
    CHECK(y.row.cost_musd == exactly(3 * capacity[k]));
  }
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("#F6 commissioning and retirement mid-horizon, by days in service", "[dispatch]") {
  // Supply 30 at 1 USD/kcm, D wants 20, so flow = capacity and cost = flow.
  Scenario s = test::scenario(2030, 2034);
  s.nodes = {test::supply("S", 30, 1), test::demand("D", 20)};
  Pipeline p = test::pipe("P1", "S", "D", 10);

  SECTION("online July 2031, retired from 2033") {
    // 2030 0; 2031 in service Jul 1..Dec 31 = 184 of 365 days -> 10 x 184/365 = 5.041096;
    // 2032 10; 2033 and 2034 0.
    p.online = YearMonth{2031, 7};
    p.retire = YearMonth{2033, 0};
    s.pipelines = {p};
    const CaseResult r = simulate(s);
    const double capacity[] = {0, 10.0 * 184 / 365, 10, 0, 0};
    for (int k = 0; k < 5; ++k) {
      INFO("year " << 2030 + k);
      const auto y = at(r, 2030 + k);
      CHECK(y.capacity("P1") == exactly(capacity[k]));
      CHECK(y.flow("P1") == exactly(capacity[k]));
      CHECK(y.delivered("D") == exactly(capacity[k]));
      CHECK(y.shortfall("D") == exactly(20 - capacity[k]));
      CHECK(y.row.cost_musd == exactly(capacity[k]));
    }
    CHECK(test::invariants_on_every_period(s) == "");
  }
  SECTION("retired from April 2033: Jan..Mar = 90 of 365 days") {
    p.retire = YearMonth{2033, 4};
    s.pipelines = {p};
    const CaseResult r = simulate(s);
    CHECK(at(r, 2032).capacity("P1") == exactly(10));
    CHECK(at(r, 2033).capacity("P1") == exactly(10.0 * 90 / 365));  // 2.465753
    CHECK(at(r, 2033).flow("P1") == exactly(10.0 * 90 / 365));
    CHECK(at(r, 2033).row.cost_musd == exactly(10.0 * 90 / 365));
    CHECK(at(r, 2034).capacity("P1") == exactly(0));
    CHECK(test::invariants_on_every_period(s) == "");
  }
  SECTION("online March 2032, a leap year: Mar 1..Dec 31 = 306 of 366 days") {
    p.online = YearMonth{2032, 3};
    s.pipelines = {p};
    const CaseResult r = simulate(s);
    CHECK(at(r, 2031).capacity("P1") == exactly(0));
    CHECK(at(r, 2032).capacity("P1") == exactly(10.0 * 306 / 366));  // 8.360656
    CHECK(at(r, 2032).flow("P1") == exactly(10.0 * 306 / 366));
    CHECK(at(r, 2033).capacity("P1") == exactly(10));
    CHECK(test::invariants_on_every_period(s) == "");
  }
}

TEST_CASE("#F7 bidirectional pipe: reverse flow is negative, routes report their direction",
          "[dispatch]") {
  // SB (supply 20 at 10) -> Q (one-way, tariff 1) -> B; P runs A -> B, bidirectional, tariff
  // 2, 10 bcm/y per direction; D at A wants 6. Gas goes SB -> B -> A: P carries -6.
  // Route R = [Q, P] runs SB -> B -> A, against P's from -> to: volume +6 whether metered on
  // P (the default, last) or on Q. Cost 6 x (10 + 1 + 2) = 78.
  Scenario s = test::scenario(2030, 2031);
  s.nodes = {test::supply("SB", 20, 10), test::junction("B"), test::demand("A", 0)};
  s.nodes[2].demand = test::series({{2030, 6}, {2031, 12}});
  s.pipelines = {test::pipe("Q", "SB", "B", 20, 1), test::bidirectional_pipe("P", "A", "B", 10, 2)};
  s.routes = {test::route("R", {"Q", "P"}), test::route("R_meter_Q", {"Q", "P"}, "Q")};
  const CaseResult r = simulate(s);

  const auto y = at(r, 2030);
  CHECK(y.flow("P") == exactly(-6));
  CHECK(y.flow("Q") == exactly(6));
  CHECK(y.capacity("P") == exactly(10));
  CHECK(y.delivered("A") == exactly(6));
  CHECK(y.row.cost_musd == exactly(78));
  CHECK(y.route_volume("R") == exactly(6));
  CHECK(y.route_volume("R_meter_Q") == exactly(6));
  CHECK(y.route_capacity("R") == exactly(10));
  CHECK(y.route_bottleneck("R") == "P");  // |-6|/10 = 0.6 > 6/20 = 0.3

  // 2031: A wants 12; the reverse direction also holds only 10: -10, 2 short, cost 130.
  const auto y1 = at(r, 2031);
  CHECK(y1.flow("P") == exactly(-10));
  CHECK(y1.shortfall("A") == exactly(2));
  CHECK(y1.route_volume("R") == exactly(10));
  CHECK(y1.row.cost_musd == exactly(130));
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("#F8 monthly profile: winter months are short although the year fits", "[dispatch]") {
  // 2030 (365 days), monthly. D wants 12 bcm/y with weights Jan 5, Feb 5, Dec 5, others 1
  // (sum 24): 2.5 bcm in each winter month, 0.5 in the others. P1 carries 12 bcm/y, i.e.
  // 12 x days/365 per month: Jan and Dec 1.019178, Feb 0.920548, 30-day months 0.986301.
  // Shortfall: Jan = Dec = 2.5 - 12 x 31/365 = 1.480822, Feb = 2.5 - 12 x 28/365 = 1.579452,
  // none elsewhere; year = 7.5 - 12 x 90/365 = 4.541096, delivered 7.458904. Tariff 1, supply
  // free: cost = delivered.
  Scenario s = test::scenario(2030, 2030, Resolution::Month);
  s.nodes = {test::supply("S", 20, 0), test::demand("D", 12)};
  s.nodes[1].profile = {5, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5};
  s.pipelines = {test::pipe("P1", "S", "D", 12, 1)};
  const CaseResult r = simulate(s);
  REQUIRE(test::run_of(r).monthly.size() == 12);
  REQUIRE(test::run_of(r).annual.size() == 1);

  const auto jan = at(r, 2030, 1);
  CHECK(jan.demand("D") == exactly(2.5));
  CHECK(jan.capacity("P1") == exactly(12.0 * 31 / 365));
  CHECK(jan.shortfall("D") == exactly(2.5 - 12.0 * 31 / 365));
  CHECK(at(r, 2030, 2).shortfall("D") == exactly(2.5 - 12.0 * 28 / 365));
  CHECK(at(r, 2030, 12).shortfall("D") == exactly(2.5 - 12.0 * 31 / 365));
  for (int m = 3; m <= 11; ++m) {
    INFO("month " << m);
    CHECK(at(r, 2030, m).demand("D") == exactly(0.5));
    CHECK(at(r, 2030, m).shortfall("D") == exactly(0));
    CHECK(at(r, 2030, m).row.cost_musd == exactly(0.5));
  }

  const auto year = at(r, 2030);
  CHECK(year.row.period.month == 0);
  CHECK(year.row.period.years == exactly(1));
  CHECK(year.demand("D") == exactly(12));
  CHECK(year.shortfall("D") == exactly(7.5 - 12.0 * 90 / 365));
  CHECK(year.delivered("D") == exactly(12 - (7.5 - 12.0 * 90 / 365)));
  CHECK(year.row.cost_musd == exactly(12 - (7.5 - 12.0 * 90 / 365)));
  // The annual capacity is the sum of 12 monthly capacities, each rounded to a flow unit.
  CHECK(year.capacity("P1") == Approx(12).epsilon(0).margin(12 * 0.5e-6));

  // The annual row is the sum of the monthly rows, field by field.
  double flow = 0, capacity = 0, demand = 0, delivered = 0, shortfall = 0, used = 0, cost = 0;
  for (int m = 1; m <= 12; ++m) {
    const auto month = at(r, 2030, m);
    flow += month.flow("P1");
    capacity += month.capacity("P1");
    demand += month.demand("D");
    delivered += month.delivered("D");
    shortfall += month.shortfall("D");
    used += month.supply_used("S");
    cost += month.row.cost_musd;
  }
  CHECK(year.flow("P1") == exactly(flow));
  CHECK(year.capacity("P1") == exactly(capacity));
  CHECK(year.demand("D") == exactly(demand));
  CHECK(year.delivered("D") == exactly(delivered));
  CHECK(year.shortfall("D") == exactly(shortfall));
  CHECK(year.supply_used("S") == exactly(used));
  CHECK(year.row.cost_musd == exactly(cost));
  CHECK(test::invariants_on_every_period(s) == "");

  SECTION("without a profile, demand follows days in month and fits every month") {
    s.nodes[1].profile.clear();
    const CaseResult flat = simulate(s);
    CHECK(at(flat, 2030, 1).demand("D") == exactly(12.0 * 31 / 365));
    CHECK(at(flat, 2030, 2).demand("D") == exactly(12.0 * 28 / 365));
    for (int m = 1; m <= 12; ++m) CHECK(at(flat, 2030, m).shortfall("D") == exactly(0));
    CHECK(at(flat, 2030).shortfall("D") == exactly(0));
    RunResult run;
    run.cases.push_back(flat);
    CHECK(run.all_demand_met());
  }
}

TEST_CASE("#F9 supply-limited: supply binds before the pipelines", "[dispatch]") {
  // S1 (5 at 10) and S2 (20 at 40) feed J over P1, P2 (20 each, no tariff); J -> D over P3
  // (40). D = 8: S1 5 (all of it), S2 3; cost 5 x 10 + 3 x 40 = 170.
  // D = 30: S1 5, S2 20, 5 short although P3 could carry 40; cost 50 + 800 = 850.
  Scenario s = test::scenario(2030, 2031);
  s.nodes = {test::supply("S1", 5, 10), test::supply("S2", 20, 40), test::junction("J"),
             test::demand("D", 0)};
  s.nodes[3].demand = test::series({{2030, 8}, {2031, 30}});
  s.pipelines = {test::pipe("P1", "S1", "J", 20), test::pipe("P2", "S2", "J", 20),
                 test::pipe("P3", "J", "D", 40)};
  const CaseResult r = simulate(s);

  const auto y0 = at(r, 2030);
  CHECK(y0.supply_used("S1") == exactly(5));
  CHECK(y0.supply_used("S1") == exactly(y0.supply_available("S1")));
  CHECK(y0.supply_used("S2") == exactly(3));
  CHECK(y0.flow("P3") == exactly(8));
  CHECK(y0.shortfall("D") == exactly(0));
  CHECK(y0.row.cost_musd == exactly(170));

  const auto y1 = at(r, 2031);
  CHECK(y1.supply_used("S1") == exactly(5));
  CHECK(y1.supply_used("S2") == exactly(20));
  CHECK(y1.row.supplied() == exactly(25));
  CHECK(y1.flow("P3") == exactly(25));
  CHECK(y1.delivered("D") == exactly(25));
  CHECK(y1.shortfall("D") == exactly(5));
  CHECK(y1.row.cost_musd == exactly(850));
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("#F10 routes: volume at the meter, capacity of the weakest pipe, bottleneck",
          "[dispatch]") {
  // S (30, free) -> P1 (20) -> J1 -> P2 (8) -> J2 -> P3 (15) -> D (wants 10), and
  // J1 -> P4 (5) -> D2 (wants 5); every tariff 1.
  // Flows: P1 13, P2 8, P3 8, P4 5; D 2 short; cost 13 + 8 + 8 + 5 = 34.
  // R = [P1, P2, P3], meter P3: volume 8, capacity min(20, 8, 15) = 8, bottleneck P2 (8/8).
  // R_in: the same metered on P1, which carries 13, but only 8 of them can travel R_in (P2
  // holds 8; the other 5 go to D2 over P4, route R4's): volume 8, never more than the route's
  // capacity (issue 9). R4 = [P1, P4]: volume 5, capacity 5, bottleneck P4 (5/5 beats P1
  // 13/20).
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("S", 30), test::junction("J1"), test::junction("J2"),
             test::demand("D", 10), test::demand("D2", 5)};
  s.pipelines = {test::pipe("P1", "S", "J1", 20, 1), test::pipe("P2", "J1", "J2", 8, 1),
                 test::pipe("P3", "J2", "D", 15, 1), test::pipe("P4", "J1", "D2", 5, 1)};
  s.routes = {test::route("R", {"P1", "P2", "P3"}), test::route("R_in", {"P1", "P2", "P3"}, "P1"),
              test::route("R4", {"P1", "P4"})};
  const CaseResult r = simulate(s);
  const auto y = at(r, 2030);
  CHECK(y.flow("P1") == exactly(13));
  CHECK(y.flow("P2") == exactly(8));
  CHECK(y.flow("P3") == exactly(8));
  CHECK(y.flow("P4") == exactly(5));
  CHECK(y.shortfall("D") == exactly(2));
  CHECK(y.shortfall("D2") == exactly(0));
  CHECK(y.row.cost_musd == exactly(34));

  CHECK(y.route_volume("R") == exactly(y.flow("P3")));
  CHECK(y.route_volume("R") == exactly(8));
  CHECK(y.route_capacity("R") == exactly(8));
  CHECK(y.route_bottleneck("R") == "P2");
  CHECK(y.route_volume("R_in") == exactly(8));
  CHECK(y.route_capacity("R_in") == exactly(8));
  CHECK(y.route_volume("R4") == exactly(5));
  CHECK(y.route_capacity("R4") == exactly(5));
  CHECK(y.route_bottleneck("R4") == "P4");
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("#F11 zero-capacity pipeline and a disconnected demand: full shortfall", "[dispatch]") {
  // S (10) -> P0 (0 bcm/y) -> D1 (wants 4); D2 (wants 5) has no pipeline at all. Nothing
  // moves: delivered 0, shortfall 4 and 5, cost 0; the route over P0 has capacity 0 and no
  // bottleneck.
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("S", 10, 7), test::demand("D1", 4), test::demand("D2", 5)};
  s.pipelines = {test::pipe("P0", "S", "D1", 0, 3)};
  s.routes = {test::route("R0", {"P0"})};
  const CaseResult r = simulate(s);
  const auto y = at(r, 2030);
  CHECK(y.row.status == FlowStatus::Optimal);
  CHECK(y.flow("P0") == exactly(0));
  CHECK(y.supply_used("S") == exactly(0));
  CHECK(y.delivered("D1") == exactly(0));
  CHECK(y.shortfall("D1") == exactly(4));
  CHECK(y.delivered("D2") == exactly(0));
  CHECK(y.shortfall("D2") == exactly(5));
  CHECK(y.row.cost_musd == exactly(0));
  CHECK(y.route_volume("R0") == exactly(0));
  CHECK(y.route_capacity("R0") == exactly(0));
  CHECK(y.route_bottleneck("R0") == "");
  CHECK(test::invariants_on_every_period(s) == "");

  SECTION("no supply node at all") {
    Scenario none = test::scenario(2030, 2030);
    none.nodes = {test::junction("J"), test::demand("D", 3)};
    none.pipelines = {test::pipe("P", "J", "D", 10)};
    const CaseResult rn = simulate(none);
    CHECK(at(rn, 2030).shortfall("D") == exactly(3));
    CHECK(at(rn, 2030).row.cost_musd == exactly(0));
    CHECK(test::invariants_on_every_period(none) == "");
  }
  SECTION("zero demand is met") {
    Scenario zero = test::scenario(2030, 2030);
    zero.nodes = {test::supply("S", 10, 7), test::demand("D", 0)};
    zero.pipelines = {test::pipe("P", "S", "D", 10)};
    const RunResult run = run_of_cases({zero});
    CHECK(at(run.cases[0], 2030).shortfall("D") == exactly(0));
    CHECK(at(run.cases[0], 2030).row.cost_musd == exactly(0));
    CHECK(run.all_demand_met());
  }
}

TEST_CASE("#F12 series interpolation: step and linear capacity {2030: 10, 2034: 20}",
          "[dispatch]") {
  // PS (step) feeds D1, PL (linear) feeds D2; each demand wants 30 so flow = capacity. Supply
  // at 1 USD/kcm, no tariffs: cost = PS + PL.
  //   year   2029 2030 2031 2032 2033 2034 2035
  //   step     10   10   10   10   10   20   20   (flat before the first point)
  //   linear   10   10 12.5   15 17.5   20   20
  Scenario s = test::scenario(2029, 2035);
  s.nodes = {test::supply("S", 100, 1), test::demand("D1", 30), test::demand("D2", 30)};
  s.pipelines = {test::pipe("PS", "S", "D1", 0), test::pipe("PL", "S", "D2", 0)};
  s.pipelines[0].capacity = test::series({{2030, 10}, {2034, 20}}, Interpolation::Step);
  s.pipelines[1].capacity = test::series({{2030, 10}, {2034, 20}}, Interpolation::Linear);
  const CaseResult r = simulate(s);
  const double step[] = {10, 10, 10, 10, 10, 20, 20};
  const double linear[] = {10, 10, 12.5, 15, 17.5, 20, 20};
  for (int k = 0; k < 7; ++k) {
    INFO("year " << 2029 + k);
    const auto y = at(r, 2029 + k);
    CHECK(y.capacity("PS") == exactly(step[k]));
    CHECK(y.flow("PS") == exactly(step[k]));
    CHECK(y.capacity("PL") == exactly(linear[k]));
    CHECK(y.flow("PL") == exactly(linear[k]));
    CHECK(y.shortfall("D2") == exactly(30 - linear[k]));
    CHECK(y.row.cost_musd == exactly(step[k] + linear[k]));
  }
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("RunResult::all_demand_met on a met and a short case", "[dispatch]") {
  CHECK(run_of_cases({f1_single_pipe()}).all_demand_met());
  CHECK_FALSE(run_of_cases({f2_bottleneck()}).all_demand_met());
  CHECK_FALSE(run_of_cases({f1_single_pipe(), f2_bottleneck()}).all_demand_met());
  CHECK(RunResult{}.all_demand_met());
}

TEST_CASE("cost_musd is the scaled objective over 1e9", "[dispatch]") {
  // #F3 2031 in scaled units: 805 MUSD = 805e9 (kcm x milli-USD/kcm).
  Scenario s = test::scenario(2031, 2031);
  s.nodes = {test::supply("S", 30, 50), test::demand("D", 15)};
  s.pipelines = {test::pipe("A", "S", "D", 10, 2), test::pipe("B", "S", "D", 10, 7)};
  const test::DirectSolve d = test::solve_directly(s, periods(s).front());
  CHECK(check_flow_invariants(d.net, d.period, d.sol) == "");
  CHECK(d.sol.real_cost == std::int64_t{805} * 1'000'000'000);
  CHECK(d.sol.penalty == 0);
  CHECK(static_cast<double>(d.sol.real_cost) / kScaledPerMusd == exactly(805));
}

TEST_CASE("dispatch() leaves the economics to the driver; simulate() adds them after",
          "[dispatch]") {
  Scenario s = f1_single_pipe();
  s.pipelines[0].economics.capex_musd = 100.0;
  s.routes = {test::route("r", {"P1"})};
  const auto shared = std::make_shared<const Scenario>(s);
  const CaseResult dispatched = dispatch(shared);
  REQUIRE(dispatched.runs.size() == 1);
  CHECK(dispatched.scenario == shared);  // referred to, not copied
  CHECK(dispatched.runs[0].economics.routes.empty());
  CHECK(dispatched.runs[0].economics.pipelines.empty());
  const CaseResult simulated = simulate(shared);
  const RunEconomics expected = compute_economics(s, dispatched.runs[0]);
  REQUIRE(simulated.runs[0].economics.pipelines.size() == expected.pipelines.size());
  CHECK(simulated.runs[0].economics.pipelines[0][0].capital_musd ==
        expected.pipelines[0][0].capital_musd);
  CHECK(simulated.runs[0].economics.routes[0][0].total_musd() ==
        expected.routes[0][0].total_musd());
  CHECK(expected.pipelines[0][0].capital_musd > 0.0);
}

TEST_CASE("#F14 duals: the nodal price is supply plus transport cost, or the penalty when short",
          "[dispatch][duals]") {
  // field (supply, 20 at 100 USD/kcm) -> P1 (tariff 5 USD/kcm) -> D (wants 10). Network nodes:
  // field 0, D 1, S 2, T 3. Scaled costs: supply 100'000, P1 5'000; C = 105'000, so D's
  // shortfall penalty is C + 1 = 105'001.
  //   A: P1 holds 15 > 10. Supply and P1 carry flow strictly inside their bounds, so their
  //      reduced costs are 0: price(field) = 100'000 and price(D) = 105'000 (105 USD/kcm).
  //   B: P1 holds 8 < 10. 2 bcm are short, and the shortfall arc carries 2 of its 10, so its
  //      reduced cost is 0: price(D) = 105'001 = the penalty; the supply arc still sets
  //      price(field) = 100'000, so the full P1 earns a congestion rent of 105'001 - 100'000
  //      - 5'000 = 1 (its reduced cost, -1).
  auto prices = [](double p1_capacity) {
    Scenario s = test::scenario(2030, 2030);
    s.nodes = {test::supply("field", 20, 100), test::demand("D", 10)};
    s.pipelines = {test::pipe("P1", "field", "D", p1_capacity, 5)};
    test::DirectSolve d = test::solve_directly(s, periods(s).front());
    REQUIRE(d.sol.status == FlowStatus::Optimal);
    REQUIRE(d.net.num_nodes == 4);
    REQUIRE(d.sol.node_potential.size() == 4);
    CHECK(check_flow_invariants(d.net, d.period, d.sol) == "");
    return d;
  };
  const auto price = [](const test::DirectSolve& d, int node) {
    return d.sol.node_potential[node] - d.sol.node_potential[d.net.source];
  };

  SECTION("A: enough capacity") {
    const test::DirectSolve d = prices(15);
    CHECK(price(d, 0) == 100'000);
    CHECK(price(d, 1) == 105'000);
    SECTION("the checker rejects potentials that are not optimal duals") {
      FlowSolution bad = d.sol;
      bad.node_potential[1] += 1;  // P1 (flow 10 of 15) now has reduced cost -1
      CHECK_THAT(check_flow_invariants(d.net, d.period, bad),
                 Catch::Contains("the potentials are not optimal duals"));
      bad = d.sol;
      bad.node_potential.clear();
      CHECK(check_flow_invariants(d.net, d.period, bad) == "no node potential per network node");
    }
  }
  SECTION("B: P1 is the bottleneck") {
    const test::DirectSolve d = prices(8);
    CHECK(d.sol.arc_flow[d.net.shortfall_arc[0]] == 2'000'000);
    CHECK(price(d, 0) == 100'000);
    CHECK(price(d, 1) == 105'001);
    CHECK(d.period.cost[d.net.shortfall_arc[0]] == 105'001);
  }
}

TEST_CASE("#F13 outage: a pipeline out of service blocks its route and is its bottleneck",
          "[dispatch]") {
  // S (20) -> P1 (10) -> J -> P2 (10, retired from 2031) -> D (wants 5).
  // 2030: volume 5, capacity 10, bottleneck P1 (first of two pipes at 50 %).
  // 2031: P2 is out: volume 0, capacity 0, bottleneck P2 (not the idle P1); 5 short.
  Scenario s = test::scenario(2030, 2031);
  s.nodes = {test::supply("S", 20), test::junction("J"), test::demand("D", 5)};
  s.pipelines = {test::pipe("P1", "S", "J", 10), test::pipe("P2", "J", "D", 10)};
  s.pipelines[1].retire = YearMonth{2031, 0};
  s.routes = {test::route("R", {"P1", "P2"})};
  const CaseResult r = simulate(s);
  CHECK(at(r, 2030).route_bottleneck("R") == "P1");
  CHECK(at(r, 2031).route_volume("R") == exactly(0));
  CHECK(at(r, 2031).route_capacity("R") == exactly(0));
  CHECK(at(r, 2031).route_bottleneck("R") == "P2");
  CHECK(at(r, 2031).shortfall("D") == exactly(5));
}

TEST_CASE("#F14 gas and oil in one scenario: separate networks, names stay right", "[dispatch]") {
  // Oil comes first in the file so that oil and gas pipeline positions differ from scenario
  // indices. Oil: OS (30 Mt/y) -> OP (20) -> OD (wants 25): 20 delivered, 5 short.
  // Gas: GS (10) -> GP1 (8) -> GJ -> GP2 (6) -> GD (wants 7): 6 delivered, bottleneck GP2.
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("OS", 30), test::demand("OD", 25), test::supply("GS", 10),
             test::junction("GJ"), test::demand("GD", 7)};
  for (int i : {0, 1}) s.nodes[i].commodity = Commodity::Oil;
  s.pipelines = {test::pipe("OP", "OS", "OD", 20), test::pipe("GP1", "GS", "GJ", 8),
                 test::pipe("GP2", "GJ", "GD", 6)};
  s.pipelines[0].commodity = Commodity::Oil;
  s.routes = {test::route("oil-route", {"OP"}), test::route("gas-route", {"GP1", "GP2"})};
  const CaseResult r = simulate(s);
  REQUIRE(r.runs.size() == 2);
  const auto gas = at(r, 2030, 0, Commodity::Gas);
  const auto oil = at(r, 2030, 0, Commodity::Oil);
  CHECK(oil.flow("OP") == exactly(20));
  CHECK(oil.shortfall("OD") == exactly(5));
  CHECK(oil.route_bottleneck("oil-route") == "OP");
  CHECK(gas.flow("GP2") == exactly(6));
  CHECK(gas.delivered("GD") == exactly(6));
  CHECK(gas.route_volume("gas-route") == exactly(6));
  CHECK(gas.route_bottleneck("gas-route") == "GP2");
}

TEST_CASE("#F15 monthly resolution: months add up exactly to the year at the flow resolution",
          "[dispatch]") {
  // 6 bcm/y over a 7 bcm/y pipe: each month is 6 x days / 365, which is not a whole number of
  // kcm, yet the twelve months must sum to exactly 6 and 7 (and a profile to exactly 6).
  Scenario s = test::scenario(2030, 2031);
  s.resolution = Resolution::Month;
  s.nodes = {test::supply("S", 7), test::demand("D", 6), test::demand("E", 6)};
  s.nodes[2].profile = {3, 3, 2, 1, 1, 1, 1, 1, 1, 2, 2, 3};
  s.pipelines = {test::pipe("P", "S", "D", 7), test::pipe("Q", "S", "E", 7)};
  const CaseResult r = simulate(s);
  for (int year : {2030, 2031}) {
    const auto y = at(r, year);
    CHECK(y.delivered("D") == Approx(6.0).epsilon(0).margin(1e-12));
    CHECK(y.delivered("E") + y.shortfall("E") == Approx(6.0).epsilon(0).margin(1e-12));
    CHECK(y.row.pipeline_capacity[0] == Approx(7.0).epsilon(0).margin(1e-12));
  }
}

TEST_CASE("#F16 transit fee: a fee on the cheaper route makes it the dearer one", "[dispatch]") {
  // S (60 at 50) feeds D over A (20 bcm/y, tariff 2) and B (20 bcm/y, tariff 7), as in #F3.
  // Without a fee A is cheaper (2 < 7). A crosses country X, which charges 6 USD/kcm, so a
  // unit through A costs 2 + 6 = 8 > 7 and B is used first.
  //   2030, D = 10: B 10, A 0;  cost 10 x 50 + 10 x 7 = 570 (without the fee: A 10, 520).
  //   2031, D = 25: B 20, A 5;  cost 25 x 50 + 20 x 7 + 5 x 8 = 1430.
  //   2032, D = 45: B 20, A 20, 5 short; cost 40 x 50 + 20 x 7 + 20 x 8 = 2300. The fee is in
  //   C, the sum of the arc costs, too: C = 50 + (2 + 6) + 7 = 65 USD/kcm, so the penalty is
  //   5 x 65.001 = 325.005.
  auto make = [](double fee_usd_per_kcm) {
    Scenario s = test::scenario(2030, 2032);
    s.nodes = {test::supply("S", 60, 50), test::demand("D", 0)};
    s.nodes[1].demand = test::series({{2030, 10}, {2031, 25}, {2032, 45}});
    s.pipelines = {test::pipe("A", "S", "D", 20, 2), test::pipe("B", "S", "D", 20, 7)};
    s.pipelines[0].transit_country = "X";
    s.pipelines[0].transit_fee = constant_series(fee_usd_per_kcm);
    return s;
  };
  SECTION("without the fee A is used first") {
    const CaseResult r = simulate(make(0));
    CHECK(at(r, 2030).flow("A") == exactly(10));
    CHECK(at(r, 2030).flow("B") == exactly(0));
    CHECK(at(r, 2030).row.cost_musd == exactly(520));
  }
  SECTION("with the fee B is used first") {
    const Scenario s = make(6);
    CHECK(transport_cost_per_unit(s.pipelines[0], 2030) == 8.0);
    const CaseResult r = simulate(s);
    const auto y0 = at(r, 2030);
    CHECK(y0.flow("A") == exactly(0));
    CHECK(y0.flow("B") == exactly(10));
    CHECK(y0.row.cost_musd == exactly(570));
    const auto y1 = at(r, 2031);
    CHECK(y1.flow("A") == exactly(5));
    CHECK(y1.flow("B") == exactly(20));
    CHECK(y1.row.cost_musd == exactly(1430));
    const auto y2 = at(r, 2032);
    CHECK(y2.flow("A") == exactly(20));
    CHECK(y2.flow("B") == exactly(20));
    CHECK(y2.shortfall("D") == exactly(5));
    CHECK(y2.row.cost_musd == exactly(2300));
    CHECK(y2.row.penalty_musd == exactly(5 * 65.001));
    CHECK(test::invariants_on_every_period(s) == "");
  }
}

TEST_CASE("#F17 transit fee with a per-distance tariff: both are paid per unit", "[dispatch]") {
  // P: 500 km at 1.2 USD/kcm/100km = 6 USD/kcm, plus a fee of 3 USD/kcm = 9 USD/kcm.
  // S (10 at 20) -> P -> D (4): cost 4 x (20 + 9) = 116 MUSD.
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("S", 10, 20), test::demand("D", 4)};
  s.pipelines = {test::pipe("P", "S", "D", 10)};
  s.pipelines[0].tariff_kind = TariffKind::PerUnitDistance;
  s.pipelines[0].tariff = constant_series(1.2);
  s.pipelines[0].length_km = 500.0;
  s.pipelines[0].transit_country = "X";
  s.pipelines[0].transit_fee = constant_series(3.0);
  CHECK(tariff_per_unit(s.pipelines[0], 2030) == Approx(6.0));
  CHECK(transport_cost_per_unit(s.pipelines[0], 2030) == Approx(9.0));
  const CaseResult r = simulate(s);
  CHECK(at(r, 2030).flow("P") == exactly(4));
  CHECK(at(r, 2030).row.cost_musd == exactly(116));
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("a transit fee too large to dispatch is named with the tariff", "[dispatch]") {
  // The arc cost is tariff + fee; its limit is kMaxScaledCost / kCostScale = 2^52 / 1000
  // = 4503599627370.496 USD/kcm.
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("S", 10), test::demand("D", 4)};
  s.pipelines = {test::pipe("P", "S", "D", 10, 1)};
  s.pipelines[0].transit_country = "X";
  s.pipelines[0].transit_fee = constant_series(5e12);
  s.pipelines[0].transit_fee_where = {"x.yaml", 7, 60};
  const Network net = build_network(s, Commodity::Gas);
  ScaledPeriod period;
  ScaleError error;
  REQUIRE_FALSE(scale_period(s, net, period_bounds(s, net, periods(s).front()), period, error));
  CHECK(error.entity == "pipeline 'P'");
  CHECK(format_diagnostic(error.diagnostic) ==
        "x.yaml:7:60: error: tariff and transit fee of pipeline 'P' is too large to dispatch "
        "exactly: 5000000000001 USD/kcm exceeds the limit of 4503599627370.5 USD/kcm; check the "
        "unit and magnitude of this value");
}

}  // namespace
}  // namespace corridor

namespace corridor {
namespace {

TEST_CASE("#F18 monthly: a route's annual capacity is what its months could carry", "[dispatch]") {
  // Issue 19. S (20 bcm/y) -> A (3 bcm/y) -> J -> B (12 bcm/y, retires 1 July 2030) -> D (12
  // bcm/y), months by days of 2030 (365). Route R = [A, B], metered on B.
  //   Jan-Jun (181 days): A offers 3 x d / 365 a month, B 12 x d / 365: the route carries A's.
  //   Jul-Dec: B is out of service, the route is closed.
  // Route capacity 2030 = sum over the months of min(A, B) = 3 x 181 / 365 = 1.487671 bcm,
  // volume the same, utilisation 1. The weakest pipeline's annual total would say
  // min(A 3.000, B 12 x 181 / 365 = 5.950685) = 3.000 bcm, utilisation 0.4959: a route half
  // empty that in truth was full for as long as it existed.
  Scenario s = test::scenario(2030, 2030, Resolution::Month);
  s.nodes = {test::supply("S", 20), test::junction("J"), test::demand("D", 12)};
  Pipeline b = test::pipe("B", "J", "D", 12);
  b.retire = YearMonth{2030, 7};
  s.pipelines = {test::pipe("A", "S", "J", 3), b};
  s.routes = {test::route("R", {"A", "B"})};
  const CaseResult r = simulate(s);

  const auto year = at(r, 2030);
  const double open = 3.0 * 181 / 365;
  CHECK(year.capacity("A") == exactly(3));
  CHECK(year.capacity("B") == exactly(12.0 * 181 / 365));
  CHECK(year.flow("B") == exactly(open));
  CHECK(year.route_volume("R") == exactly(open));
  CHECK(year.route_capacity("R") == exactly(open));
  CHECK(*utilisation(year.route_volume("R"), year.route_capacity("R")) == Approx(1.0));
  // A is the most utilised by annual totals (0.4959 against B's 0.25).
  CHECK(year.route_bottleneck("R") == "A");

  // The months the annual figure is the sum of: January open, July closed with B to blame.
  CHECK(at(r, 2030, 1).route_capacity("R") == exactly(3.0 * 31 / 365));
  CHECK(at(r, 2030, 7).route_capacity("R") == exactly(0));
  CHECK(at(r, 2030, 7).route_bottleneck("R") == "B");
  CHECK(test::invariants_on_every_period(s) == "");
}

}  // namespace
}  // namespace corridor
