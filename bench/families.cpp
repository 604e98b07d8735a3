#include "families.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <limits>
#include <random>
#include <set>
#include <utility>

namespace corridor::bench {
namespace {

constexpr int kFirstYear = 2030;

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
  int a = 0, b = 0;
};

/// The graph of an instance before it is written: links (undirected), supplies and demands.
struct Graph {
  int n = 0;
  std::vector<Link> links;
  std::vector<int> supplies, demands;  ///< distinct nodes, sorted
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
  std::sort(out.begin(), out.end());
  return out;
}

/// Undirected hop distance from the nearest supply (multi-source BFS over the links).
std::vector<int> distance_from(int n, const std::vector<Link>& links,
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

/// Long thin tree plus chords between nodes close along the line (notes, section 1.3).
std::vector<Link> pipeline_links(Draw& draw, int n) {
  std::vector<Link> links;
  std::set<std::pair<int, int>> linked;
  for (int i = 1; i < n; ++i) {
    const int back = draw.chance(0.7) ? 0 : static_cast<int>(draw.integer(1, 8));
    const int parent = std::max(0, i - 1 - back);
    links.push_back({parent, i});
    linked.insert({parent, i});
  }
  const int chords = static_cast<int>(std::lround(0.15 * n));
  for (int c = 0; c < chords && n > 3;) {
    const int a = static_cast<int>(draw.integer(0, n - 1));
    const int b = a + static_cast<int>(draw.integer(2, 30));
    if (b >= n || linked.count({a, b})) continue;
    links.push_back({a, b});
    linked.insert({a, b});
    ++c;
  }
  return links;
}

/// A lattice of about sqrt(n) x sqrt(n) nodes, with 10 % of the cells given a diagonal.
std::vector<Link> meshed_links(Draw& draw, int n) {
  const int cols = std::max(2, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n)))));
  std::vector<Link> links;
  for (int v = 0; v < n; ++v) {
    const int r = v / cols, c = v % cols;
    if (c + 1 < cols && v + 1 < n) links.push_back({v, v + 1});
    if (v + cols < n) links.push_back({v, v + cols});
    if (c + 1 < cols && v + cols + 1 < n && draw.chance(0.10)) links.push_back({v, v + cols + 1});
    (void)r;
  }
  return links;
}

/// A random recursive tree: node i hangs from a node among the 50 before it.
std::vector<Link> radial_links(Draw& draw, int n) {
  std::vector<Link> links;
  for (int i = 1; i < n; ++i) {
    links.push_back({static_cast<int>(draw.integer(std::max(0, i - 50), i - 1)), i});
  }
  return links;
}

void append_number(std::string& out, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  out += buf;
}

/// A linear series from `a` in the first year to `b` in the last, in `unit`.
void append_linear(std::string& out, double a, double b, int years, const char* unit) {
  out += "{";
  out += std::to_string(kFirstYear);
  out += ": ";
  append_number(out, a);
  out += unit;
  if (years > 1) {
    out += ", ";
    out += std::to_string(kFirstYear + years - 1);
    out += ": ";
    append_number(out, b);
    out += unit;
    out += ", interpolation: linear";
  }
  out += "}";
}

/// The YAML of a generated network. One-way links point away from the nearest supply, or along
/// the link (a -> b) when `along` is set.
std::string write_yaml(const FamilyParams& p, const Graph& g, double two_way, bool along,
                       Draw& draw) {
  const std::vector<int> dist = distance_from(g.n, g.links, g.supplies);
  std::vector<double> demand(g.n, 0.0);  // mcm/y in the first year
  double total_demand = 0.0;
  for (int d : g.demands) {
    demand[d] = static_cast<double>(draw.integer(2, 20));
    total_demand += demand[d];
  }
  std::string out;
  out.reserve(static_cast<std::size_t>(g.n) * 160);
  out += "# Generated by bench/families.cpp: family ";
  out += family_name(p.family);
  out += ", seed " + std::to_string(p.seed) + ". assumption: synthetic, not a real network.\n";
  out += "name: ";
  out += family_name(p.family);
  out += "-" + std::to_string(p.nodes) + "\n";
  out += "horizon: {start: " + std::to_string(kFirstYear) +
         ", end: " + std::to_string(kFirstYear + p.years - 1) + "}\n";
  out += "nodes:\n";
  std::vector<char> kind(g.n, 'j');
  for (int s : g.supplies) kind[s] = 's';
  for (int d : g.demands) kind[d] = 'd';
  const double mean_supply = 2.0 * total_demand / static_cast<double>(g.supplies.size());
  for (int v = 0; v < g.n; ++v) {
    out += "  - {id: n" + std::to_string(v);
    if (kind[v] == 's') {
      const double cap = std::round(mean_supply * draw.uniform(0.5, 1.5));
      out += ", kind: supply, capacity: ";
      append_linear(out, std::round(cap * draw.uniform(0.85, 1.15)),
                    std::round(cap * draw.uniform(0.85, 1.15)), p.years, " mcm/y");
      out += ", cost: " + std::to_string(draw.integer(1, 100)) + " USD/kcm";
    } else if (kind[v] == 'd') {
      const double growth = 1.0 + 0.01 * (p.years - 1);
      out += ", kind: demand, demand: ";
      append_linear(out, demand[v] * draw.uniform(0.9, 1.1),
                    demand[v] * growth * draw.uniform(0.9, 1.1), p.years, " mcm/y");
    } else {
      out += ", kind: junction";
    }
    out += "}\n";
  }
  out += "pipelines:\n";
  for (std::size_t i = 0; i < g.links.size(); ++i) {
    const Link& l = g.links[i];
    const bool both = draw.chance(two_way);
    const std::int64_t tariff = draw.integer(1, 100);
    const std::int64_t cap = draw.integer(50, 500);
    bool forward = along || dist[l.a] < dist[l.b] || (dist[l.a] == dist[l.b] && draw.chance(0.5));
    const int from = forward ? l.a : l.b, to = forward ? l.b : l.a;
    out += "  - {id: p" + std::to_string(i) + ", from: n" + std::to_string(from) + ", to: n" +
           std::to_string(to) + ", capacity: " + std::to_string(cap) +
           " mcm/y, tariff: " + std::to_string(tariff) + " USD/kcm";
    if (both) out += ", bidirectional: true";
    // Outages (2 %) and deratings (10 %) by year; a step series back to 1 after each.
    std::string availability;
    bool perturbed = false;
    for (int y = 0; y < p.years; ++y) {
      double factor = 1.0;
      if (draw.chance(0.02)) {
        factor = 0.0;
      } else if (draw.chance(0.10)) {
        factor = std::round(draw.uniform(0.6, 1.0) * 100.0) / 100.0;
      }
      if (factor == 1.0 && !perturbed) continue;
      if (!availability.empty()) availability += ", ";
      availability += std::to_string(kFirstYear + y) + ": ";
      append_number(availability, factor);
      perturbed = factor != 1.0;
    }
    if (!availability.empty()) out += ", availability: {" + availability + "}";
    out += "}\n";
  }
  return out;
}

std::string chain_yaml(const FamilyParams& p) {
  const int pipes = std::max(1, p.nodes - 1);
  std::string out;
  out.reserve(static_cast<std::size_t>(pipes) * 110);
  out +=
      "# Generated by bench/families.cpp: family chain. assumption: synthetic, not a real "
      "network.\n";
  out += "name: chain-" + std::to_string(p.nodes) + "\n";
  out += "horizon: {start: " + std::to_string(kFirstYear) +
         ", end: " + std::to_string(kFirstYear + p.years - 1) + "}\n";
  out += "nodes:\n";
  out += "  - {id: n0, kind: supply, capacity: 40 bcm/y, cost: 10 USD/kcm}\n";
  for (int v = 1; v < pipes; ++v) out += "  - {id: n" + std::to_string(v) + ", kind: junction}\n";
  out += "  - {id: n" + std::to_string(pipes) + ", kind: demand, demand: 30 bcm/y}\n";
  out += "pipelines:\n";
  for (int i = 0; i < pipes; ++i) {
    out += "  - {id: p" + std::to_string(i) + ", from: n" + std::to_string(i) + ", to: n" +
           std::to_string(i + 1) + ", capacity: " + std::to_string(30 + i % 7) +
           " bcm/y, tariff: " + std::to_string(1 + i % 5) + " USD/kcm}\n";
  }
  return out;
}

}  // namespace

std::string_view family_name(Family f) {
  switch (f) {
    case Family::Pipeline:
      return "pipeline";
    case Family::Meshed:
      return "meshed";
    case Family::Radial:
      return "radial";
    case Family::Chain:
      return "chain";
  }
  return "?";
}

std::string family_yaml(const FamilyParams& p) {
  if (p.family == Family::Chain) return chain_yaml(p);
  Draw draw(p.seed + static_cast<std::uint64_t>(p.nodes) * 7919 +
            static_cast<std::uint64_t>(p.family));
  Graph g;
  g.n = std::max(4, p.nodes);
  switch (p.family) {
    case Family::Pipeline:
      g.links = pipeline_links(draw, g.n);
      break;
    case Family::Meshed:
      g.links = meshed_links(draw, g.n);
      break;
    case Family::Radial:
      g.links = radial_links(draw, g.n);
      break;
    case Family::Chain:
      break;
  }
  std::vector<char> taken(g.n, 0);
  if (p.family == Family::Radial) {
    taken[0] = 1;
    g.supplies = {0};
  } else {
    g.supplies =
        pick_nodes(draw, g.n, std::max(1, static_cast<int>(std::lround(0.03 * g.n))), taken);
  }
  g.demands = pick_nodes(draw, g.n, std::max(1, static_cast<int>(std::lround(0.30 * g.n))), taken);
  const double two_way = p.family == Family::Meshed   ? 0.70
                         : p.family == Family::Radial ? 0.0
                                                      : 0.40;
  return write_yaml(p, g, two_way, p.family == Family::Radial, draw);
}

std::vector<Problem> make_problems(const Scenario& s) {
  std::vector<Problem> out;
  const std::vector<Period> all = periods(s);
  for (Commodity c : commodities_in(s)) {
    Problem& pr = out.emplace_back();
    pr.name = s.name + (s.case_name == "base" ? "" : "/" + s.case_name) +
              (commodities_in(s).size() > 1 ? "/" + std::string(commodity_name(c)) : "");
    pr.net = build_network(s, c);
    const std::size_t layers = static_cast<std::size_t>(pr.net.layers);
    for (std::size_t first = 0; first < all.size(); first += layers) {
      PeriodInput& in = pr.periods.emplace_back();
      ScaleError error;
      std::vector<PeriodBounds> months;
      for (std::size_t k = first; k < first + layers && k < all.size(); ++k) {
        months.push_back(period_bounds(s, pr.net, all[k]));
      }
      if (months.size() != layers || !scale_period(s, pr.net, months, in.scaled, error)) {
        std::fprintf(stderr, "bench: %s cannot be scaled: %s\n", pr.name.c_str(),
                     error.diagnostic.message.c_str());
        std::abort();
      }
      in.arc_upper = in.scaled.upper;
      in.total_demand = in.scaled.total_demand;
      if (layers > 1) in.node_supply = in.scaled.node_supply;
      if (pr.arc_cost.empty()) pr.arc_cost = in.scaled.cost;
      if (in.scaled.cost != pr.arc_cost || in.scaled.has_lower) pr.fixed = false;
    }
  }
  return out;
}

}  // namespace corridor::bench
