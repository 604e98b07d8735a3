#include "pipeline_network.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <random>
#include <set>
#include <utility>

namespace corridor::bench {
namespace {

/// Portable draws from mt19937_64 (the engine is specified by the standard, the
/// distributions are not).
class Draw {
 public:
  explicit Draw(std::uint64_t seed) : rng_(seed) {}
  /// Uniform integer in [lo, hi].
  std::int64_t integer(std::int64_t lo, std::int64_t hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(rng_() % span);
  }
  /// Uniform double in [0, 1).
  double unit() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
  bool chance(double p) { return unit() < p; }

 private:
  std::mt19937_64 rng_;
};

struct Link {
  int a = 0, b = 0;  // a < b
};

/// Distinct nodes from [0, n), excluding those already taken, in draw order.
std::vector<int> pick_nodes(Draw& draw, int n, int count, std::vector<char>& taken) {
  std::vector<int> out;
  while (static_cast<int>(out.size()) < count) {
    const int v = static_cast<int>(draw.integer(0, n - 1));
    if (taken[v]) continue;
    taken[v] = 1;
    out.push_back(v);
  }
  return out;
}

/// Undirected hop distance from the nearest source (multi-source BFS over the links).
std::vector<int> distance_from_sources(int n, const std::vector<Link>& links,
                                       const std::vector<int>& sources) {
  std::vector<std::vector<int>> adj(n);
  for (const Link& l : links) {
    adj[l.a].push_back(l.b);
    adj[l.b].push_back(l.a);
  }
  std::vector<int> dist(n, std::numeric_limits<int>::max());
  std::deque<int> queue;
  for (int s : sources) {
    dist[s] = 0;
    queue.push_back(s);
  }
  while (!queue.empty()) {
    const int u = queue.front();
    queue.pop_front();
    for (int v : adj[u]) {
      if (dist[v] != std::numeric_limits<int>::max()) continue;
      dist[v] = dist[u] + 1;
      queue.push_back(v);
    }
  }
  return dist;
}

int add_arc(PipelineInstance& inst, int tail, int head, ArcKind kind, int entity, std::int64_t cost,
            std::int64_t cap) {
  Network& net = inst.net;
  net.arc_tail.push_back(tail);
  net.arc_head.push_back(head);
  net.arc_kind.push_back(kind);
  net.arc_entity.push_back(entity);
  inst.cost.push_back(cost);
  inst.base_upper.push_back(cap);
  return net.num_arcs() - 1;
}

}  // namespace

PipelineInstance make_pipeline_instance(const PipelineParams& p, std::uint64_t seed) {
  Draw draw(seed);
  const int n = p.nodes;

  // Long thin tree: mostly continue the line, sometimes branch off a node a few steps back.
  std::vector<Link> links;
  std::set<std::pair<int, int>> linked;
  for (int i = 1; i < n; ++i) {
    const int back = draw.chance(0.7) ? 0 : static_cast<int>(draw.integer(1, 8));
    const int parent = std::max(0, i - 1 - back);
    links.push_back({parent, i});
    linked.insert({parent, i});
  }
  // Chords between nodes close along the line: short loops, as in a meshed corridor.
  const int num_chords = static_cast<int>(std::lround(p.chord_fraction * n));
  for (int c = 0; c < num_chords && n > 3;) {
    const int a = static_cast<int>(draw.integer(0, n - 1));
    const int b = a + static_cast<int>(draw.integer(2, 30));
    if (b >= n || linked.count({a, b})) continue;
    links.push_back({a, b});
    linked.insert({a, b});
    ++c;
  }

  std::vector<char> taken(n, 0);
  const int num_sources = std::max(1, static_cast<int>(std::lround(p.source_fraction * n)));
  const int num_sinks = std::max(1, static_cast<int>(std::lround(p.sink_fraction * n)));
  std::vector<int> sources = pick_nodes(draw, n, num_sources, taken);
  std::vector<int> sinks = pick_nodes(draw, n, num_sinks, taken);
  std::sort(sources.begin(), sources.end());
  std::sort(sinks.begin(), sinks.end());
  const std::vector<int> dist = distance_from_sources(n, links, sources);

  PipelineInstance inst;
  Network& net = inst.net;
  net.num_nodes = n + 2;
  net.source = n;
  net.sink = n + 1;
  net.node_entity.resize(n + 2);
  for (int v = 0; v < n; ++v) net.node_entity[v] = v;
  net.node_entity[n] = net.node_entity[n + 1] = -1;

  // Pipelines: one-way links mostly point downstream (away from the nearest source).
  for (int i = 0; i < static_cast<int>(links.size()); ++i) {
    const Link& l = links[i];
    const bool two_way = draw.chance(p.two_way_fraction);
    const std::int64_t cost = draw.integer(p.cost_min, p.cost_max);
    const std::int64_t cap = draw.integer(p.capacity_min, p.capacity_max);
    bool forward = dist[l.a] < dist[l.b] || (dist[l.a] == dist[l.b] && draw.chance(0.5));
    if (!draw.chance(p.downstream_bias)) forward = !forward;
    const int tail = forward ? l.a : l.b;
    const int head = forward ? l.b : l.a;
    net.pipelines.push_back(i);
    net.pipeline_arc.push_back(add_arc(inst, tail, head, ArcKind::Pipeline, i, cost, cap));
    net.pipeline_rev_arc.push_back(
        two_way ? add_arc(inst, head, tail, ArcKind::PipelineReverse, i, cost, cap) : -1);
  }

  // Demands first (the supply capacities are sized from their total).
  std::vector<std::int64_t> demand(sinks.size());
  for (auto& d : demand) {
    d = draw.integer(p.demand_min, p.demand_max);
    inst.total_demand += d;
  }
  const double mean_supply = p.supply_margin * static_cast<double>(inst.total_demand) /
                             static_cast<double>(sources.size());
  for (int s : sources) {
    const std::int64_t cost = draw.integer(p.cost_min, p.cost_max);
    const auto cap = static_cast<std::int64_t>(std::llround(mean_supply * draw.uniform(0.5, 1.5)));
    net.supplies.push_back(s);
    net.supply_arc.push_back(add_arc(inst, net.source, s, ArcKind::Supply, s, cost, cap));
  }
  for (std::size_t k = 0; k < sinks.size(); ++k) {
    net.demands.push_back(sinks[k]);
    net.delivery_arc.push_back(
        add_arc(inst, sinks[k], net.sink, ArcKind::Delivery, sinks[k], 0, demand[k]));
  }

  // Shortfall arcs at one priority tier: penalty C + 1 (network.h).
  for (std::int64_t c : inst.cost) inst.real_cost_sum += c;
  for (std::size_t k = 0; k < sinks.size(); ++k) {
    net.shortfall_arc.push_back(add_arc(inst, net.source, sinks[k], ArcKind::Shortfall, sinks[k],
                                        inst.real_cost_sum + 1, demand[k]));
  }
  return inst;
}

std::vector<PeriodInput> make_periods(const PipelineInstance& inst, int num_periods,
                                      std::uint64_t seed) {
  Draw draw(seed);
  const Network& net = inst.net;
  std::vector<PeriodInput> out(num_periods);
  for (int t = 0; t < num_periods; ++t) {
    PeriodInput& per = out[t];
    per.upper = inst.base_upper;
    per.lower.assign(inst.base_upper.size(), 0);
    per.cost = inst.cost;
    per.real_cost_sum = inst.real_cost_sum;
    for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
      double factor = 1.0;
      if (draw.chance(0.02)) {
        factor = 0.0;  // outage
      } else if (draw.chance(0.30)) {
        factor = draw.uniform(0.6, 1.0);  // derating, maintenance
      }
      for (int a : {net.pipeline_arc[i], net.pipeline_rev_arc[i]}) {
        if (a < 0) continue;
        per.upper[a] = static_cast<std::int64_t>(
            std::llround(factor * static_cast<double>(inst.base_upper[a])));
      }
    }
    for (int a : net.supply_arc) {
      per.upper[a] = static_cast<std::int64_t>(
          std::llround(draw.uniform(0.85, 1.15) * static_cast<double>(inst.base_upper[a])));
    }
    const double growth = 1.0 + 0.01 * t;
    for (std::size_t k = 0; k < net.demands.size(); ++k) {
      const int del = net.delivery_arc[k];
      const auto d =
          std::max<std::int64_t>(1, std::llround(growth * draw.uniform(0.9, 1.1) *
                                                 static_cast<double>(inst.base_upper[del])));
      per.upper[del] = d;
      per.upper[net.shortfall_arc[k]] = d;
      per.total_demand += d;
    }
  }
  return out;
}

}  // namespace corridor::bench
