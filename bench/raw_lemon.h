#pragma once
/// \file The reference for the benchmarks: LEMON NetworkSimplex used directly, with the least
/// code that does the engine's per-period job. Built once from arc arrays (StaticDigraph with
/// arcs stable-sorted by tail, cost map set once), then per period: copy the upper bounds into
/// an arc map, upperMap + stSupply(S, T, D) + run(rule), read every flow back into a vector in
/// the caller's arc order, and sum cost x flow in 128 bits. A network with storage layers
/// (network.h) is solved the same way with a supply per node instead of stSupply.
#include <lemon/network_simplex.h>
#include <lemon/static_graph.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <span>
#include <utility>
#include <vector>

namespace corridor::bench {

/// LEMON NetworkSimplex's pivot rules. The engine uses block search (flow_solver.cpp).
enum class PivotRule { FirstEligible, BestEligible, BlockSearch, CandidateList, AlteringList };
inline constexpr PivotRule kEngineRule = PivotRule::BlockSearch;

class RawLemon {
 public:
  using Graph = lemon::StaticDigraph;
  using Solver = lemon::NetworkSimplex<Graph, std::int64_t, std::int64_t>;

  RawLemon(int nodes, int source, int sink, const std::vector<int>& tail,
           const std::vector<int>& head, const std::vector<std::int64_t>& cost, PivotRule rule)
      : cost_values_(cost), upper_(graph_), cost_(graph_), supply_(graph_), rule_(to_lemon(rule)) {
    std::vector<int> order(tail.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return tail[x] < tail[y]; });
    std::vector<std::pair<int, int>> pairs;
    pairs.reserve(order.size());
    static_arc_.resize(order.size());
    for (int k = 0; k < static_cast<int>(order.size()); ++k) {
      pairs.emplace_back(tail[order[k]], head[order[k]]);
      static_arc_[order[k]] = k;
    }
    graph_.build(nodes, pairs.begin(), pairs.end());
    for (std::size_t a = 0; a < tail.size(); ++a) cost_[Graph::arc(static_arc_[a])] = cost[a];
    source_ = Graph::node(source);
    sink_ = Graph::node(sink);
    solver_ = std::make_unique<Solver>(graph_);
    solver_->costMap(cost_);
  }

  RawLemon(const RawLemon&) = delete;  // the arc maps refer to the graph: never moved
  RawLemon& operator=(const RawLemon&) = delete;

  /// One period; returns false unless optimal. `cost` is the objective (128 bits).
  bool solve(std::span<const std::int64_t> upper, std::int64_t total_demand,
             std::vector<std::int64_t>& flow, __int128& cost) {
    const int m = static_cast<int>(static_arc_.size());
    for (int a = 0; a < m; ++a) upper_[Graph::arc(static_arc_[a])] = upper[a];
    solver_->upperMap(upper_).stSupply(source_, sink_, total_demand);
    return run(flow, cost);
  }

  /// The same with a supply per node (outflow - inflow), as scale_layers makes them.
  bool solve(std::span<const std::int64_t> upper, std::span<const std::int64_t> node_supply,
             std::vector<std::int64_t>& flow, __int128& cost) {
    const int m = static_cast<int>(static_arc_.size());
    for (int a = 0; a < m; ++a) upper_[Graph::arc(static_arc_[a])] = upper[a];
    for (int v = 0; v < static_cast<int>(node_supply.size()); ++v) {
      supply_[Graph::node(v)] = node_supply[v];
    }
    solver_->upperMap(upper_).supplyMap(supply_);
    return run(flow, cost);
  }

 private:
  bool run(std::vector<std::int64_t>& flow, __int128& cost) {
    const int m = static_cast<int>(static_arc_.size());
    if (solver_->run(rule_) != Solver::OPTIMAL) return false;
    flow.resize(m);
    cost = 0;
    for (int a = 0; a < m; ++a) {
      flow[a] = solver_->flow(Graph::arc(static_arc_[a]));
      cost += static_cast<__int128>(flow[a]) * cost_values_[a];
    }
    return true;
  }

 public:
  static Solver::PivotRule to_lemon(PivotRule r) {
    switch (r) {
      case PivotRule::FirstEligible:
        return Solver::FIRST_ELIGIBLE;
      case PivotRule::BestEligible:
        return Solver::BEST_ELIGIBLE;
      case PivotRule::BlockSearch:
        return Solver::BLOCK_SEARCH;
      case PivotRule::CandidateList:
        return Solver::CANDIDATE_LIST;
      case PivotRule::AlteringList:
        return Solver::ALTERING_LIST;
    }
    return Solver::BLOCK_SEARCH;
  }

 private:
  std::vector<std::int64_t> cost_values_;
  Graph graph_;
  std::vector<int> static_arc_;  // caller's arc -> StaticDigraph arc index
  Graph::ArcMap<std::int64_t> upper_, cost_;
  Graph::NodeMap<std::int64_t> supply_;
  Graph::Node source_, sink_;
  Solver::PivotRule rule_;
  std::unique_ptr<Solver> solver_;
};

}  // namespace corridor::bench
