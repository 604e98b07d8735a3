#pragma once
/// \file Seeded random scenarios for the cross-checks (flow_random_test.cpp,
/// bottlenecks_test.cpp): 8-20 nodes (supplies, demands, junctions), n..3n pipelines with
/// capacities and tariffs, some bidirectional, some zero-capacity, some coming online in the
/// second year, some derated; priorities 1-3 (1 only on every third seed); gas, or oil on every
/// fifth seed; three annual periods. Values are drawn in thousandths with the generator's raw
/// output (not std:: distributions), so an instance is the same on every standard library.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "corridor/scenario.h"
#include "test_helpers.h"

namespace corridor::test {

constexpr int kFirstYear = 2030;
constexpr int kYears = 3;

/// A random scenario and, separately, the values it was generated from (per horizon year),
/// for the formulation-independent max-flow check.
struct RandomInstance {
  Scenario scenario;
  Commodity commodity = Commodity::Gas;
  std::vector<std::vector<double>> supply;  ///< per scenario node, per year (0 if not supply)
  std::vector<std::vector<double>> demand;  ///< per scenario node, per year (0 if not demand)
  std::vector<std::vector<double>> pipe_capacity;  ///< per pipeline, per year, usable
  int max_priority = 1;
};

class Draw {
 public:
  explicit Draw(unsigned seed) : rng_(seed) {}
  /// Uniform enough in [lo, hi] for tests; exactly reproducible everywhere.
  int between(int lo, int hi) {
    return lo + static_cast<int>(rng_() % static_cast<std::uint32_t>(hi - lo + 1));
  }
  bool chance(int percent) { return between(1, 100) <= percent; }
  /// A value in thousandths in [0, max].
  double thousandths(int max) { return between(0, max * 1000) / 1000.0; }

 private:
  std::mt19937 rng_;
};

inline RandomInstance random_instance(unsigned seed) {
  Draw draw(seed);
  RandomInstance inst;
  inst.commodity = seed % 5 == 0 ? Commodity::Oil : Commodity::Gas;
  const bool single_priority = seed % 3 == 0;
  Scenario& s = inst.scenario;
  s = scenario(kFirstYear, kFirstYear + kYears - 1);
  s.name = "random-" + std::to_string(seed);

  const int n = draw.between(8, 20);
  for (int i = 0; i < n; ++i) {
    const std::string id = "N" + std::to_string(i);
    // The first node supplies and the second demands, so every instance has both.
    const int kind = i == 0 ? 0 : i == 1 ? 1 : draw.between(0, 9);
    std::vector<double> supply(kYears, 0.0), demand(kYears, 0.0);
    Node node;
    if (kind < 3) {
      node = test::supply(id, 0, draw.thousandths(200));
      if (draw.chance(30)) {  // a price path: the cost changes by year
        node.cost.points.clear();
        for (int y = 0; y < kYears; ++y) node.cost.points[kFirstYear + y] = draw.thousandths(200);
      }
      node.capacity.points.clear();
      for (int y = 0; y < kYears; ++y) {
        supply[y] = draw.chance(10) ? 0.0 : draw.thousandths(40);
        node.capacity.points[kFirstYear + y] = supply[y];
      }
    } else if (kind < 7) {
      node = test::demand(id, 0, single_priority ? 1 : draw.between(1, 3));
      node.demand.points.clear();
      for (int y = 0; y < kYears; ++y) {
        demand[y] = draw.thousandths(30);
        node.demand.points[kFirstYear + y] = demand[y];
      }
      inst.max_priority = std::max(inst.max_priority, node.priority);
    } else {
      node = junction(id);
    }
    node.commodity = inst.commodity;
    s.nodes.push_back(node);
    inst.supply.push_back(supply);
    inst.demand.push_back(demand);
  }

  const int m = draw.between(n, 3 * n);
  for (int k = 0; k < m; ++k) {
    const int from = draw.between(0, n - 1);
    int to = draw.between(0, n - 2);
    if (to >= from) ++to;
    Pipeline p =
        pipe("P" + std::to_string(k), s.nodes[from].id, s.nodes[to].id, 0, draw.thousandths(50));
    p.commodity = inst.commodity;
    if (draw.chance(30)) {  // a tariff indexed by year
      p.tariff.points.clear();
      for (int y = 0; y < kYears; ++y) p.tariff.points[kFirstYear + y] = draw.thousandths(50);
    }
    p.bidirectional = draw.chance(30);
    const bool zero = draw.chance(10);
    const double availability = draw.chance(20) ? draw.between(50, 100) / 100.0 : 1.0;
    const bool late = draw.chance(15);
    p.capacity.points.clear();
    std::vector<double> usable(kYears, 0.0);
    for (int y = 0; y < kYears; ++y) {
      const double c = zero ? 0.0 : draw.thousandths(25);
      p.capacity.points[kFirstYear + y] = c;
      usable[y] = (late && y == 0) ? 0.0 : c * availability;
    }
    p.availability = constant_series(availability);
    if (late) p.online = YearMonth{kFirstYear + 1, 0};
    s.pipelines.push_back(p);
    inst.pipe_capacity.push_back(usable);
  }
  return inst;
}

/// Volume to flow units, independently of network.cpp (same unit: 1e-6 bcm or Mt).
inline std::int64_t units(double volume) { return std::llround(volume * 1e6); }

}  // namespace corridor::test
