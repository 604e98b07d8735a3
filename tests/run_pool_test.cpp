// The run pool (run_pool.h): member order, byte-identical CSVs for any thread count, progress
// events one at a time, failures as values, and internal errors rethrown.
#include "corridor/run_pool.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "corridor/csv.h"
#include "corridor/scenario_io.h"
#include "test_helpers.h"

namespace corridor {
namespace {

using Members = std::vector<std::shared_ptr<const Scenario>>;

/// Every case of the shipped scenarios that differ most in size and shape, plus the monthly
/// fixture: 12 members.
Members shipped_members() {
  Members members;
  for (const std::string file :
       {"scenarios/pos2-delay.yaml", "scenarios/russia-china/gas-routes.yaml",
        "scenarios/minimal.yaml", "tests/fixtures/cli/monthly.yaml",
        "scenarios/russia-china/oil-routes.yaml"}) {
    const LoadedScenario ls = load_scenario(std::string(CORRIDOR_SOURCE_DIR) + "/" + file);
    members.insert(members.end(), ls.cases.begin(), ls.cases.end());
  }
  return members;
}

std::shared_ptr<const Scenario> shared(Scenario s) {
  return std::make_shared<const Scenario>(std::move(s));
}

/// A two-year member named `name` whose demand is met.
Scenario small(const std::string& name) {
  Scenario s = test::scenario(2030, 2031);
  s.case_name = name;
  s.nodes = {test::supply("S", 20, 10), test::demand("D", 10)};
  s.pipelines = {test::pipe("P", "S", "D", 15, 1)};
  return s;
}

}  // namespace

TEST_CASE("run pool: the same CSVs (bottlenecks included), byte for byte, on 1, 2 and 5 threads",
          "[pool]") {
  const Members members = shipped_members();
  REQUIRE(members.size() == 12);
  const auto one = result_csvs(run_cases(members, {1, {}, {.bottlenecks = true}}));
  for (int threads : {2, 5}) {
    INFO(threads << " threads");
    const RunResult r = run_cases(members, {threads, {}, {.bottlenecks = true}});
    REQUIRE(r.cases.size() == members.size());
    for (std::size_t i = 0; i < members.size(); ++i) {
      CHECK(r.cases[i].scenario == members[i]);  // member order, and no copy
    }
    const auto many = result_csvs(r);
    REQUIRE(many.size() == one.size());
    for (std::size_t f = 0; f < one.size(); ++f) {
      INFO(one[f].first);
      CHECK(many[f] == one[f]);
    }
  }
}

TEST_CASE("run pool: progress events arrive one at a time, each member's in order", "[pool]") {
  // Members 0 and 2 have one gas commodity over 2 years; member 1 is monthly over 1 year (12
  // periods). 16 events in all; per member, periods_done counts 1..total.
  Scenario monthly = test::scenario(2030, 2030, Resolution::Month);
  monthly.case_name = "monthly";
  monthly.nodes = small("x").nodes;
  monthly.pipelines = small("x").pipelines;
  const Members members = {shared(small("a")), shared(monthly), shared(small("c"))};
  std::atomic<int> inside{0};
  bool overlapped = false;
  std::map<int, std::vector<int>> done;  // member -> periods_done in arrival order
  std::map<int, std::string> names;
  int events = 0;
  PoolOptions options;
  options.threads = 3;
  options.progress = [&](const ProgressEvent& e) {
    overlapped |= inside.fetch_add(1) != 0;
    ++events;
    CHECK(e.members == 3);
    CHECK(e.commodity == Commodity::Gas);
    CHECK(e.periods_total == (e.member == 1 ? 12 : 2));
    done[e.member].push_back(e.periods_done);
    names[e.member] = std::string(e.case_name);
    inside.fetch_sub(1);
  };
  const RunResult r = run_cases(members, options);
  CHECK_FALSE(overlapped);
  CHECK(events == 16);
  CHECK(done[0] == std::vector<int>{1, 2});
  CHECK(done[1] == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  CHECK(done[2] == std::vector<int>{1, 2});
  CHECK(names == std::map<int, std::string>{{0, "a"}, {1, "monthly"}, {2, "c"}});
}

TEST_CASE("run pool: a member that cannot be dispatched is a value; the others run", "[pool]") {
  Scenario bad = small("huge");
  bad.pipelines[0].capacity = constant_series(2e9);  // above the flow limit (network.h)
  const Members members = {shared(small("a")), shared(bad), shared(small("c"))};
  for (int threads : {1, 3}) {
    const RunResult r = run_cases(members, {threads, {}, {}});
    REQUIRE(r.cases.size() == 3);
    CHECK_FALSE(r.cases[0].failure);
    CHECK_FALSE(r.cases[2].failure);
    CHECK(test::at(r.cases[2], 2031).delivered("D") == test::exactly(10));
    REQUIRE(r.failures().size() == 1);
    CHECK(r.failures()[0].case_name == "huge");
    CHECK(r.failures()[0].period.year == 2030);
    CHECK(r.failures()[0].entity == "pipeline 'P'");
  }
}

TEST_CASE("run pool: an internal error is rethrown, the lowest member's first", "[pool]") {
  // A route over a pipeline the scenario does not have: validate() refuses it, and dispatch
  // treats it as a bug (std::logic_error). Members 1 and 3 have one; member 1's is rethrown.
  auto broken = [](const std::string& name) {
    Scenario s = small(name);
    s.routes = {test::route("r-" + name, {"P", "missing-" + name})};
    return s;
  };
  const Members members = {shared(small("a")), shared(broken("b")), shared(small("c")),
                           shared(broken("d"))};
  for (int threads : {1, 2, 4}) {
    INFO(threads << " threads");
    CHECK_THROWS_WITH(run_cases(members, {threads, {}, {}}),
                      Catch::Contains("pipeline 'missing-b'"));
  }
}

TEST_CASE("run pool: thread count", "[pool]") {
  CHECK(pool_threads({1, {}, {}}, 10) == 1);
  CHECK(pool_threads({4, {}, {}}, 10) == 4);
  CHECK(pool_threads({8, {}, {}}, 3) == 3);  // never more than members
  CHECK(pool_threads({0, {}, {}}, 1000) >= 1);
  CHECK(pool_threads({-2, {}, {}}, 5) >= 1);
  CHECK(run_cases({}, {}).cases.empty());
}

}  // namespace corridor
