// Seeded random networks: the dispatch (LEMON NetworkSimplex, inside simulate() and through
// FlowSolver) against independent methods on the same instances.
//
//  1. Boost.Graph successive_shortest_path_nonnegative_weights on the same Network arrays and
//     scaled bounds. S must send exactly D and the delivery arcs can take only D in total, so
//     every feasible flow is an S -> T flow of value D and max flow S -> T is D: min-cost max
//     flow is the same problem. The objective (real + penalty, integer-scaled) must match
//     exactly, and so must its split, which the tier penalties make unique.
//  2. Boost.Graph push_relabel_max_flow on the pipeline graph alone, built from the generator's
//     own record of capacities, supplies and demands (not from Network, not from
//     period_bounds): the volume delivered to demands of priority <= k must equal the max flow
//     from the supplies to those demands, for every k. Tiers are lexicographic, so priority 1
//     gets its max flow, and augmenting that flow towards priorities <= k never takes volume
//     away from a priority-1 sink (an augmenting path reaches the super sink only once).
//
//  3. With contracts (lower bounds, and negative costs from take-or-pay): Boost.Graph successive
//     shortest paths again, on the standard transformations of the same ScaledPeriod (Ahuja,
//     Magnanti & Orlin ch. 2.4): a lower bound l becomes l forced units (node supplies move
//     by l) and capacity u - l; an arc of negative cost is saturated and replaced by its
//     reverse at the opposite cost; node supplies then come from a super source and go to a
//     super sink. The period is feasible exactly when that max flow takes every supply, and
//     then the objective, plus the forced units' cost, must equal NetworkSimplex's. When
//     NetworkSimplex says infeasible, the max flow must fall short; the relaxed period
//     (network.h) is checked the same way.
//
// Instances: 8-20 nodes (supplies, demands, junctions), n..3n pipelines with capacities and
// tariffs, some bidirectional, some zero-capacity, some coming online in the second year, some
// derated, some with a supply cost or tariff that changes by year; priorities 1-3 (1 only on
// every third seed); gas, or oil on every fifth seed; three annual periods, so FlowSolver is
// re-run with new bounds and costs as in simulate(). Values are drawn
// in thousandths with the generator's raw output (not std:: distributions), so an instance is
// the same on every standard library.
#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>
// Not self-contained in Boost 1.74 (needs bgl_named_params): keep it after the headers above.
#include <boost/graph/find_flow_cost.hpp>

#include "corridor/flow_solver.h"
#include "corridor/network.h"
#include "corridor/results.h"
#include "corridor/simulate.h"
#include "random_scenario.h"
#include "test_helpers.h"

namespace corridor {
namespace {

using test::Draw;
using test::kFirstYear;
using test::kYears;
using test::random_instance;
using test::RandomInstance;
using test::units;

// Boost.Graph flow network: every arc has a reverse twin of capacity 0 and negated cost.
using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using Edge = Traits::edge_descriptor;
using FlowGraph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<
        boost::edge_capacity_t, std::int64_t,
        boost::property<boost::edge_residual_capacity_t, std::int64_t,
                        boost::property<boost::edge_reverse_t, Edge,
                                        boost::property<boost::edge_weight_t, std::int64_t>>>>>;

Edge add_flow_edge(FlowGraph& g, int tail, int head, std::int64_t capacity, std::int64_t cost) {
  const Edge e = boost::add_edge(tail, head, g).first;
  const Edge r = boost::add_edge(head, tail, g).first;
  boost::put(boost::edge_capacity, g, e, capacity);
  boost::put(boost::edge_capacity, g, r, 0);
  boost::put(boost::edge_weight, g, e, cost);
  boost::put(boost::edge_weight, g, r, -cost);
  boost::put(boost::edge_reverse, g, e, r);
  boost::put(boost::edge_reverse, g, r, e);
  return e;
}

std::int64_t flow_on(const FlowGraph& g, Edge e) {
  return boost::get(boost::edge_capacity, g, e) - boost::get(boost::edge_residual_capacity, g, e);
}

struct SspResult {
  std::int64_t flow_value = 0;
  std::int64_t cost = 0;     ///< find_flow_cost: real + penalty
  std::int64_t penalty = 0;  ///< the shortfall arcs' part
};

/// Min-cost max-flow S -> T with Boost's successive shortest paths on the Network's arcs.
SspResult boost_ssp(const Network& net, const ScaledPeriod& period) {
  FlowGraph g(net.num_nodes);
  std::vector<Edge> edge(net.num_arcs());
  for (int a = 0; a < net.num_arcs(); ++a) {
    edge[a] = add_flow_edge(g, net.arc_tail[a], net.arc_head[a], period.upper[a], period.cost[a]);
  }
  // Distances as double: Boost 1.74 adds each round's Dijkstra distances to the potentials
  // (distance_map2), including the "infinite" distance of vertices not reachable in the
  // residual graph, which overflows a signed integer from the second round on. Every finite
  // potential is an integer below 2^53, so doubles hold them exactly.
  const std::size_t nv = boost::num_vertices(g);
  std::vector<double> distance(nv), potential(nv);
  const auto index = boost::get(boost::vertex_index, g);
  boost::successive_shortest_path_nonnegative_weights(
      g, net.source, net.sink,
      boost::distance_map(boost::make_iterator_property_map(distance.begin(), index))
          .distance_map2(boost::make_iterator_property_map(potential.begin(), index)));
  SspResult out;
  out.cost = boost::find_flow_cost(g);
  for (int a = 0; a < net.num_arcs(); ++a) {
    if (net.arc_tail[a] == net.source) out.flow_value += flow_on(g, edge[a]);
    if (net.arc_kind[a] == ArcKind::Shortfall) {
      out.penalty += flow_on(g, edge[a]) * period.cost[a];
    }
  }
  return out;
}

/// Max flow from the supplies to the demands of priority <= `max_priority` in year `y`,
/// built from the generator's record of the instance only.
std::int64_t max_flow_to(const RandomInstance& inst, int y, int max_priority) {
  const Scenario& s = inst.scenario;
  const int n = static_cast<int>(s.nodes.size());
  const int source = n, sink = n + 1;
  FlowGraph g(n + 2);
  for (int i = 0; i < n; ++i) {
    if (s.nodes[i].kind == NodeKind::Supply)
      add_flow_edge(g, source, i, units(inst.supply[i][y]), 0);
    if (s.nodes[i].kind == NodeKind::Demand && s.nodes[i].priority <= max_priority) {
      add_flow_edge(g, i, sink, units(inst.demand[i][y]), 0);
    }
  }
  auto node_of = [&](const std::string& id) {
    for (int i = 0; i < n; ++i) {
      if (s.nodes[i].id == id) return i;
    }
    throw std::logic_error("unknown node " + id);
  };
  for (std::size_t k = 0; k < s.pipelines.size(); ++k) {
    const Pipeline& p = s.pipelines[k];
    const std::int64_t cap = units(inst.pipe_capacity[k][y]);
    add_flow_edge(g, node_of(p.from), node_of(p.to), cap, 0);
    if (p.bidirectional) add_flow_edge(g, node_of(p.to), node_of(p.from), cap, 0);
  }
  return boost::push_relabel_max_flow(g, source, sink);
}

TEST_CASE("random networks: NetworkSimplex matches Boost successive shortest paths and max flow",
          "[random]") {
  const unsigned seed = static_cast<unsigned>(GENERATE(range(1, 51)));
  INFO("seed " << seed);
  const RandomInstance inst = random_instance(seed);
  const Scenario& s = inst.scenario;

  const CaseResult result = simulate(s);  // also checks the invariants on every solve
  REQUIRE(result.runs.size() == 1);
  const CommodityRun& run = result.runs.front();
  REQUIRE(run.network.commodity == inst.commodity);
  REQUIRE(run.annual.size() == static_cast<std::size_t>(kYears));

  const Network net = build_network(s, inst.commodity);
  FlowSolver solver(net);  // re-used across periods, as simulate() does
  FlowSolution sol;
  ScaledPeriod period;
  const std::vector<Period> all = periods(s);
  REQUIRE(all.size() == static_cast<std::size_t>(kYears));
  for (int y = 0; y < kYears; ++y) {
    INFO("year " << all[y].year);
    ScaleError error;
    REQUIRE(scale_period(s, net, period_bounds(s, net, all[y]), period, error));
    solver.solve(period, sol);
    REQUIRE(sol.status == FlowStatus::Optimal);
    REQUIRE(check_flow_invariants(net, period, sol) == "");

    // 1. Same instance, independent min-cost flow algorithm: identical integer objective.
    const SspResult ssp = boost_ssp(net, period);
    CHECK(ssp.flow_value == period.total_demand);
    CHECK(ssp.cost == sol.real_cost + sol.penalty);
    CHECK(ssp.penalty == sol.penalty);

    // simulate() reports the same objective.
    const PeriodResult& row = run.annual[y];
    CHECK(row.period.year == all[y].year);
    CHECK(row.status == FlowStatus::Optimal);
    const double scale = kFlowUnitsPerVolume * kCostScale;
    CHECK(row.cost_musd == Approx(static_cast<double>(sol.real_cost) / scale).epsilon(1e-12));
    CHECK(row.penalty_musd == Approx(static_cast<double>(sol.penalty) / scale).epsilon(1e-12));

    // 2. Formulation-independent: delivered volume by priority tier against max flow.
    for (int k = 1; k <= inst.max_priority; ++k) {
      INFO("priorities <= " << k);
      std::int64_t delivered = 0, demand = 0;
      for (std::size_t i = 0; i < run.network.demands.size(); ++i) {
        const int node = run.network.demands[i];
        if (s.nodes[node].priority > k) continue;
        delivered += units(row.delivered[i]);
        demand += units(inst.demand[node][y]);
        CHECK(units(row.demand[i]) == units(inst.demand[node][y]));
        CHECK(row.delivered[i] + row.shortfall[i] == test::exactly(row.demand[i]));
      }
      CHECK(delivered == max_flow_to(inst, y, k));
      CHECK(delivered <= demand);
    }
  }
}

}  // namespace
}  // namespace corridor

namespace corridor {
namespace {

/// Min-cost flow of a period with lower bounds and negative costs, on the transformed graph
/// (the file comment, 3). `feasible` is false when the max flow cannot take every supply.
struct TransformedResult {
  bool feasible = false;
  __int128 cost = 0;  ///< real + penalty, forced units included
  std::int64_t penalty = 0;
};

TransformedResult boost_transformed(const Network& net, const ScaledPeriod& period) {
  const int n = net.num_nodes;
  const int source = n, sink = n + 1;
  FlowGraph g(n + 2);
  std::vector<__int128> supply(n, 0);
  supply[net.source] += period.total_demand;
  supply[net.sink] -= period.total_demand;
  __int128 constant = 0;
  std::vector<Edge> shortfall_edges;
  for (int a = 0; a < net.num_arcs(); ++a) {
    const int tail = net.arc_tail[a], head = net.arc_head[a];
    const std::int64_t l = period.lower[a], c = period.cost[a];
    std::int64_t u = period.upper[a] - l;
    supply[tail] -= l;
    supply[head] += l;
    constant += static_cast<__int128>(l) * c;
    if (c < 0) {  // saturate it; the reverse arc can give the flow back at cost -c
      supply[tail] -= u;
      supply[head] += u;
      constant += static_cast<__int128>(u) * c;
      add_flow_edge(g, head, tail, u, -c);
    } else {
      const Edge e = add_flow_edge(g, tail, head, u, c);
      if (net.arc_kind[a] == ArcKind::Shortfall) shortfall_edges.push_back(e);
    }
  }
  __int128 required = 0;
  for (int v = 0; v < n; ++v) {
    if (supply[v] > 0) {
      add_flow_edge(g, source, v, static_cast<std::int64_t>(supply[v]), 0);
      required += supply[v];
    } else if (supply[v] < 0) {
      add_flow_edge(g, v, sink, static_cast<std::int64_t>(-supply[v]), 0);
    }
  }
  const std::size_t nv = boost::num_vertices(g);
  std::vector<double> distance(nv), potential(nv);
  const auto index = boost::get(boost::vertex_index, g);
  boost::successive_shortest_path_nonnegative_weights(
      g, source, sink,
      boost::distance_map(boost::make_iterator_property_map(distance.begin(), index))
          .distance_map2(boost::make_iterator_property_map(potential.begin(), index)));
  __int128 sent = 0;
  for (auto [e, end] = boost::out_edges(source, g); e != end; ++e) sent += flow_on(g, *e);
  TransformedResult out;
  out.feasible = sent == required;
  out.cost = constant + boost::find_flow_cost(g);
  for (const Edge& e : shortfall_edges) {
    out.penalty += flow_on(g, e) * boost::get(boost::edge_weight, g, e);
  }
  return out;
}

/// The random instance of `seed` with contracts: one on a supply (hard, or soft with a
/// take-or-pay that may exceed the price), and one on a route over a pipeline (hard or soft).
Scenario with_contracts(unsigned seed) {
  Scenario s = random_instance(seed).scenario;
  Draw draw(seed * 7919u + 13u);
  std::vector<int> supplies;
  for (int i = 0; i < static_cast<int>(s.nodes.size()); ++i) {
    if (s.nodes[i].kind == NodeKind::Supply) supplies.push_back(i);
  }
  for (int k = 0; k < 2 && k < static_cast<int>(supplies.size()); ++k) {
    Contract c;
    c.id = "C" + std::to_string(k);
    c.seller = s.nodes[supplies[k]].id;
    c.acq = constant_series(draw.thousandths(30));
    TakeLevel min;
    min.share = draw.between(0, 100) / 100.0;
    c.min_take = min;
    c.rule = draw.chance(50) ? ContractRule::Hard : ContractRule::Soft;
    c.price = constant_series(draw.thousandths(200));
    if (draw.chance(70)) c.take_or_pay = constant_series(draw.thousandths(300));
    s.contracts.push_back(c);
  }
  // A route contract on a pipeline out of a supply, when there is one.
  for (const Pipeline& p : s.pipelines) {
    if (p.from != s.nodes[supplies.front()].id) continue;
    s.routes.push_back(test::route("R", {p.id}));
    Contract c;
    c.id = "CR";
    c.seller = "R";
    c.seller_kind = SellerKind::Route;
    c.acq = constant_series(draw.thousandths(20));
    TakeLevel min;
    min.share = draw.between(0, 100) / 100.0;
    c.min_take = min;
    c.rule = draw.chance(50) ? ContractRule::Hard : ContractRule::Soft;
    c.take_or_pay = constant_series(draw.thousandths(100));
    s.contracts.push_back(c);
    break;
  }
  return s;
}

TEST_CASE("random networks with contracts: lower bounds and take-or-pay against Boost",
          "[random][contracts]") {
  const unsigned seed = static_cast<unsigned>(GENERATE(range(1, 51)));
  INFO("seed " << seed);
  const Scenario s = with_contracts(seed);
  for (const Diagnostic& d : validate(s)) {
    INFO(format_diagnostic(d));
    REQUIRE(d.severity == Severity::Warning);
  }
  const CaseResult result = simulate(s);  // checks the invariants on every solve, relaxed too
  REQUIRE_FALSE(result.failure);
  const Commodity c = s.nodes.front().commodity;
  const Network net = build_network(s, c);
  FlowSolver solver(net);
  FlowSolution sol;
  ScaledPeriod period;
  int infeasible = 0;
  for (const Period& p : periods(s)) {
    INFO("year " << p.year);
    ScaleError error;
    REQUIRE(scale_period(s, net, period_bounds(s, net, p), period, error));
    solver.solve(period, sol);
    const TransformedResult boost = boost_transformed(net, period);
    const PeriodResult& row = test::at(result, p.year, 0, c).row;
    if (sol.status == FlowStatus::Infeasible) {
      ++infeasible;
      CHECK_FALSE(boost.feasible);
      CHECK(row.status == FlowStatus::Infeasible);
      const ScaledPeriod relaxed = relax_hard_minimums(net, period);
      solver.solve(relaxed, sol);
      REQUIRE(sol.status == FlowStatus::Optimal);
      CHECK(check_flow_invariants(net, relaxed, sol) == "");
      const TransformedResult again = boost_transformed(net, relaxed);
      CHECK(again.feasible);
      CHECK(again.cost == static_cast<__int128>(sol.real_cost) + sol.penalty);
      continue;
    }
    REQUIRE(sol.status == FlowStatus::Optimal);
    CHECK(check_flow_invariants(net, period, sol) == "");
    CHECK(boost.feasible);
    CHECK(boost.cost == static_cast<__int128>(sol.real_cost) + sol.penalty);
    CHECK(boost.penalty == sol.penalty);
    CHECK(row.status == FlowStatus::Optimal);
    // Every hard minimum is taken; a soft one is taken or paid for.
    for (std::size_t k = 0; k < net.contracts.size(); ++k) {
      const Contract& contract = s.contracts[net.contracts[k]];
      CHECK(row.contract_taken[k] <= row.contract_acq[k] + 1e-9);
      if (contract.rule == ContractRule::Hard) {
        CHECK(row.contract_taken[k] >= row.contract_min[k] - 1e-9);
      }
    }
  }
  INFO(infeasible << " infeasible periods");
  CHECK(infeasible <= static_cast<int>(periods(s).size()));
}

}  // namespace
}  // namespace corridor
