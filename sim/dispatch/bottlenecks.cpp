#include "corridor/bottlenecks.h"

#include <algorithm>
#include <limits>
#include <queue>
#include <utility>

#include "corridor/max_flow.h"

namespace corridor {
namespace {

/// Arcs that move the commodity: pipelines, supplies (with their contract and spot arcs) and
/// storage (not deliveries, shortfall or the end-of-year storage rule).
bool physical(ArcKind k) {
  return k == ArcKind::Pipeline || k == ArcKind::PipelineReverse || k == ArcKind::Supply ||
         k == ArcKind::Injection || k == ArcKind::Withdrawal || k == ArcKind::Inventory ||
         is_split_arc(k);
}

/// Arcs whose cost is a reported cost: pipelines, supplies and their contract and spot arcs (a
/// soft minimum's price - take_or_pay is what taking one more unit costs in money); the
/// storage injection cost is a tie-break, penalties are artificial.
bool costed(ArcKind k) {
  return k == ArcKind::Pipeline || k == ArcKind::PipelineReverse || k == ArcKind::Supply ||
         is_split_arc(k);
}

}  // namespace

BottleneckAnalysis::BottleneckAnalysis(const Network& net) : net_(net) {
  const int n = net.num_nodes;
  out_start_.assign(n + 1, 0);
  in_start_.assign(n + 1, 0);
  for (int a = 0; a < net.num_arcs(); ++a) {
    ++out_start_[net.arc_tail[a] + 1];
    ++in_start_[net.arc_head[a] + 1];
  }
  for (int v = 0; v < n; ++v) {
    out_start_[v + 1] += out_start_[v];
    in_start_[v + 1] += in_start_[v];
  }
  out_arcs_.resize(net.num_arcs());
  in_arcs_.resize(net.num_arcs());
  std::vector<int> out_fill(out_start_.begin(), out_start_.end() - 1);
  std::vector<int> in_fill(in_start_.begin(), in_start_.end() - 1);
  for (int a = 0; a < net.num_arcs(); ++a) {
    out_arcs_[out_fill[net.arc_tail[a]]++] = a;
    in_arcs_[in_fill[net.arc_head[a]]++] = a;
  }
  // What a cut arc names: a pipeline, or a node; the parallel arcs of a split (network.h)
  // name what the split arc names (the seller's supply node, or the route's meter pipeline).
  cut_entity_.assign(net.num_arcs(), -1);
  cut_pipeline_.assign(net.num_arcs(), 0);
  std::vector<int> split_of(net.layer_arcs, -1);
  for (std::size_t k = 0; k < net.splits.size(); ++k) {
    for (int a : net.splits[k]) split_of[a] = net.split_arc[k];
  }
  for (int a = 0; a < net.num_arcs(); ++a) {
    const int layer = net.layer_of_arc(a);
    const int base = layer < 0 ? a : a - layer * net.layer_arcs;
    const int named = layer >= 0 && split_of[base] >= 0 ? split_of[base] : base;
    const ArcKind k = net.arc_kind[named];
    cut_entity_[a] = net.arc_entity[named];
    cut_pipeline_[a] = k == ArcKind::Pipeline || k == ArcKind::PipelineReverse;
  }
}

bool BottleneckAnalysis::improve(const Scenario& s, const ScaledPeriod& period,
                                 const FlowSolution& sol, int a, CapacityValue& value) const {
  const Network& net = net_;
  const std::vector<std::int64_t>& upper = period.upper;
  const std::vector<std::int64_t>& lower = period.lower;
  const std::vector<std::int64_t>& cost = period.cost;
  auto reduced = [&](int b) {
    return cost[b] + sol.node_potential[net.arc_tail[b]] - sol.node_potential[net.arc_head[b]];
  };
  const std::int64_t rc = reduced(a);
  if (rc >= 0) return false;
  // Dijkstra in reduced costs from v = head(a) towards u = tail(a), within the radius -rc:
  // a path back of reduced length d < -rc closes a cycle of objective change rc + d < 0.
  const int from = net.arc_head[a], to = net.arc_tail[a];
  const std::int64_t radius = -rc;
  std::vector<std::int64_t> dist(net.num_nodes, std::numeric_limits<std::int64_t>::max());
  std::vector<int> via(net.num_nodes, -1);    // the arc that reached the node
  std::vector<char> back(net.num_nodes, 0);   // ... against its direction
  using Item = std::pair<std::int64_t, int>;  // distance, node
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  dist[from] = 0;
  queue.push({0, from});
  while (!queue.empty()) {
    // Named copies, not a structured binding: clang 14 cannot capture a binding in `relax`.
    const std::int64_t d = queue.top().first;
    const int x = queue.top().second;
    queue.pop();
    if (d != dist[x]) continue;
    if (x == to) break;
    auto relax = [&](int b, int y, std::int64_t w, bool against) {
      const std::int64_t nd = d + w;
      if (nd < radius && nd < dist[y]) {
        dist[y] = nd;
        via[y] = b;
        back[y] = against;
        queue.push({nd, y});
      }
    };
    for (int k = out_start_[x]; k < out_start_[x + 1]; ++k) {
      const int b = out_arcs_[k];
      if (sol.arc_flow[b] < upper[b]) relax(b, net.arc_head[b], reduced(b), false);
    }
    for (int k = in_start_[x]; k < in_start_[x + 1]; ++k) {
      const int b = in_arcs_[k];
      if (sol.arc_flow[b] > lower[b]) relax(b, net.arc_tail[b], -reduced(b), true);
    }
  }
  if (dist[to] >= radius) return false;
  // The cycle: a, then the path v -> u. Its real cost and its tier changes.
  std::int64_t real = costed(net.arc_kind[a]) ? cost[a] : 0;
  int relieved = 0, worsened = 0;
  for (int x = to; x != from;) {
    const int b = via[x];
    const int sign = back[x] ? -1 : 1;
    if (costed(net.arc_kind[b])) real += sign * cost[b];
    if (net.arc_kind[b] == ArcKind::Shortfall) {
      (back[x] ? relieved : worsened) = s.nodes[net.arc_entity[b]].priority;
    }
    x = back[x] ? net.arc_head[b] : net.arc_tail[b];
  }
  value.shadow_cost = -static_cast<double>(real) / kCostScale;
  value.relieved_priority = relieved;
  value.worsened_priority = worsened;
  value.shadow_shortfall = (relieved != 0 ? 1.0 : 0.0) - (worsened != 0 ? 1.0 : 0.0);
  return true;
}

void BottleneckAnalysis::analyse(const Scenario& s, const ScaledPeriod& period,
                                 const FlowSolution& sol, int layer,
                                 std::vector<CapacityValue>& values,
                                 std::vector<MarketLimit>& markets) const {
  const Network& net = net_;
  const std::vector<std::int64_t>& upper = period.upper;
  const std::vector<std::int64_t>& lower = period.lower;
  values.assign(net.pipelines.size(), {});
  markets.assign(net.demands.size(), {});
  if (sol.status != FlowStatus::Optimal) return;
  const int shift = layer * net.layer_arcs;
  for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
    CapacityValue& v = values[i];
    CapacityValue best;
    bool found = false;
    for (int base : {net.pipeline_arc[i], net.pipeline_rev_arc[i]}) {
      if (base < 0) continue;
      const int a = base + shift;
      if (sol.arc_flow[a] != upper[a]) continue;  // slack: one more unit is worth nothing
      v.binding |= upper[a] > 0;
      CapacityValue candidate;
      // The better direction: lexicographically, more shortfall relieved, then more saved.
      if (improve(s, period, sol, a, candidate)) {
        const auto key = [](const CapacityValue& c) {
          return std::pair(c.shadow_shortfall, c.shadow_cost);
        };
        if (!found || key(candidate) > key(best)) best = candidate;
        found = true;
      }
    }
    if (found) {
      best.binding = v.binding;
      v = best;
    }
  }

  // Markets: what limits those with shortfall, and what each could still receive.
  std::vector<int> tail, head;
  std::vector<std::int64_t> cap;
  for (int a = 0; a < net.num_arcs(); ++a) {
    if (!physical(net.arc_kind[a])) continue;
    const std::int64_t f = sol.arc_flow[a];
    if (f < upper[a])
      tail.push_back(net.arc_tail[a]), head.push_back(net.arc_head[a]), cap.push_back(upper[a] - f);
    if (f > lower[a]) {
      tail.push_back(net.arc_head[a]), head.push_back(net.arc_tail[a]), cap.push_back(f - lower[a]);
    }
  }
  const int node_shift = layer * net.layer_nodes;
  MaxFlowSolver residual(net.num_nodes, tail, head);
  for (std::size_t i = 0; i < net.demands.size(); ++i) {
    const int market = net.arc_tail[net.delivery_arc[i]] + node_shift;
    MarketLimit& m = markets[i];
    m.remaining_flexibility =
        static_cast<double>(residual.solve(cap, net.source, market).value) / kFlowUnitsPerVolume;
    if (sol.arc_flow[net.shortfall_arc[i] + shift] == 0) continue;
    // The nodes that can still send to the market in the residual graph (physical arcs).
    std::vector<char> reach(net.num_nodes, 0);
    std::vector<int> stack = {market};
    reach[market] = 1;
    while (!stack.empty()) {
      const int y = stack.back();
      stack.pop_back();
      auto add = [&](int x) {
        if (!reach[x]) reach[x] = 1, stack.push_back(x);
      };
      for (int k = in_start_[y]; k < in_start_[y + 1]; ++k) {
        const int b = in_arcs_[k];
        if (physical(net.arc_kind[b]) && sol.arc_flow[b] < upper[b]) add(net.arc_tail[b]);
      }
      for (int k = out_start_[y]; k < out_start_[y + 1]; ++k) {
        const int b = out_arcs_[k];
        if (physical(net.arc_kind[b]) && sol.arc_flow[b] > lower[b]) add(net.arc_head[b]);
      }
    }
    std::int64_t capacity = 0;
    for (int b = 0; b < net.num_arcs(); ++b) {
      if (!physical(net.arc_kind[b]) || reach[net.arc_tail[b]] || !reach[net.arc_head[b]]) {
        continue;
      }
      capacity += upper[b];
      (cut_pipeline_[b] ? m.cut_pipelines : m.cut_nodes).push_back(cut_entity_[b]);
    }
    for (auto* list : {&m.cut_pipelines, &m.cut_nodes}) {
      std::sort(list->begin(), list->end());
      list->erase(std::unique(list->begin(), list->end()), list->end());
    }
    m.cut_capacity = static_cast<double>(capacity) / kFlowUnitsPerVolume;
  }
}

}  // namespace corridor
