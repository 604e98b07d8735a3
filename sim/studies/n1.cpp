#include "corridor/n1.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>

#include "corridor/max_flow.h"
#include "corridor/network.h"

namespace corridor {
namespace {

/// Rates in mcm/d become integers of 1 m3/d for the max flow.
constexpr double kUnitsPerMcm = 1e6;

std::int64_t units(double mcm_per_day) {
  return mcm_per_day <= 0.0 ? 0
                            : static_cast<std::int64_t>(std::llround(mcm_per_day * kUnitsPerMcm));
}

/// Technical daily capacity of a pipeline in `year` (see the file comment), mcm/d; 0 when it
/// is in service on no day of the year.
double pipeline_peak(const Pipeline& pl, int year) {
  if (in_service_fraction(pl, Period{year, 0, 1.0}) <= 0.0) return 0.0;
  double ramp = 1.0;
  if (pl.online) {
    const int k = year - pl.online->year;
    if (k < 0) return 0.0;
    if (k < static_cast<int>(pl.ramp_up.size())) ramp = pl.ramp_up[k];
  }
  const Series& rate = pl.peak_capacity.points.empty() ? pl.capacity : pl.peak_capacity;
  return daily_rate(pl.commodity, value_at(rate, year) * ramp);
}

/// Technical daily capacity of a supply, lng or storage node, mcm/d.
double node_peak(const Node& n, int year) {
  if (n.kind == NodeKind::Storage) return daily_rate(n.commodity, value_at(n.withdrawal, year));
  const Series& rate = n.peak_capacity.points.empty() ? n.capacity : n.peak_capacity;
  return daily_rate(n.commodity, value_at(rate, year));
}

bool is_source(NodeKind k) {
  return k == NodeKind::Supply || k == NodeKind::Lng || k == NodeKind::Storage;
}

}  // namespace

std::vector<Area> n1_areas(const Scenario& s) {
  if (!s.areas.empty()) return s.areas;
  std::vector<Area> out;
  for (const Node& d : s.nodes) {
    if (d.kind != NodeKind::Demand || d.commodity != Commodity::Gas) continue;
    const bool known =
        std::any_of(out.begin(), out.end(), [&](const Area& a) { return a.id == d.country; });
    if (known) continue;
    Area a;
    a.id = d.country.empty() ? "(no country)" : d.country;
    for (const Node& n : s.nodes) {
      if (n.commodity == Commodity::Gas && n.country == d.country) a.nodes.push_back(n.id);
    }
    out.push_back(a);
  }
  return out;
}

std::vector<N1Row> n1_standard(const Scenario& s) {
  // The gas network once: nodes, then S and T; pipeline arcs (both ways when bidirectional),
  // S -> every supply, lng and storage node, every demand node -> T.
  std::map<std::string, int> index;
  std::vector<int> node_of;  // network node -> scenario node
  for (int i = 0; i < static_cast<int>(s.nodes.size()); ++i) {
    if (s.nodes[i].commodity != Commodity::Gas) continue;
    index.emplace(s.nodes[i].id, static_cast<int>(node_of.size()));
    node_of.push_back(i);
  }
  const int n = static_cast<int>(node_of.size());
  const int source = n, sink = n + 1;
  std::vector<int> tail, head;
  struct ArcOf {
    bool pipeline;
    int entity;  // scenario pipeline or node index
  };
  std::vector<ArcOf> arc_of;
  std::vector<int> pipelines;  // scenario indices of gas pipelines with known ends
  for (int i = 0; i < static_cast<int>(s.pipelines.size()); ++i) {
    const Pipeline& pl = s.pipelines[i];
    const auto from = index.find(pl.from), to = index.find(pl.to);
    if (pl.commodity != Commodity::Gas || from == index.end() || to == index.end()) continue;
    pipelines.push_back(i);
    tail.push_back(from->second), head.push_back(to->second), arc_of.push_back({true, i});
    if (pl.bidirectional) {
      tail.push_back(to->second), head.push_back(from->second), arc_of.push_back({true, i});
    }
  }
  std::vector<int> sources;  // scenario indices, in scenario order
  for (int v = 0; v < n; ++v) {
    const Node& node = s.nodes[node_of[v]];
    if (is_source(node.kind)) {
      sources.push_back(node_of[v]);
      tail.push_back(source), head.push_back(v), arc_of.push_back({false, node_of[v]});
    }
  }
  const std::size_t first_sink_arc = tail.size();
  std::vector<int> demand_nodes;  // network nodes of demand nodes, in order
  for (int v = 0; v < n; ++v) {
    if (s.nodes[node_of[v]].kind == NodeKind::Demand) {
      demand_nodes.push_back(v);
      tail.push_back(v), head.push_back(sink), arc_of.push_back({false, -1});
    }
  }
  MaxFlowSolver solver(n + 2, tail, head);
  // The assets removed in turn: every pipeline, then every supply, lng and storage node.
  struct Removal {
    bool pipeline;
    int entity;
  };
  std::vector<Removal> removals;
  for (int p : pipelines) removals.push_back({true, p});
  for (int v : sources) removals.push_back({false, v});

  const std::vector<Area> areas = n1_areas(s);
  std::vector<N1Row> out;
  const std::int64_t unbounded = std::numeric_limits<std::int64_t>::max() / 4;
  for (int year = s.horizon.start_year; year <= s.horizon.end_year; ++year) {
    // Capacities of the year, intact.
    std::vector<std::int64_t> cap(tail.size(), 0);
    for (std::size_t a = 0; a < first_sink_arc; ++a) {
      cap[a] = units(arc_of[a].pipeline ? pipeline_peak(s.pipelines[arc_of[a].entity], year)
                                        : node_peak(s.nodes[arc_of[a].entity], year));
    }
    for (const Area& area : areas) {
      const std::set<std::string> inside(area.nodes.begin(), area.nodes.end());
      N1Row row;
      row.year = year;
      row.area = area.id;
      // Dmax and the area's demand nodes as sinks.
      std::vector<std::int64_t> c = cap;
      for (std::size_t k = 0; k < demand_nodes.size(); ++k) {
        const Node& d = s.nodes[node_of[demand_nodes[k]]];
        if (!inside.contains(d.id)) continue;
        c[first_sink_arc + k] = unbounded;
        if (d.peak_demand.points.empty()) {
          row.dmax_from_peak = false;
          row.dmax_from_average = true;
          row.dmax += daily_rate(d.commodity, value_at(d.demand, year));
        } else {
          row.dmax += daily_rate(d.commodity, value_at(d.peak_demand, year));
        }
      }
      // The formula's terms, and Im: the largest single one.
      auto consider = [&](double rate, const std::string& id, bool peak_given) {
        if (rate <= 0.0) return;
        (peak_given ? row.capacity_from_peak : row.capacity_rated) = true;
        if (rate > row.im) row.im = rate, row.largest_infrastructure = id;
      };
      for (int p : pipelines) {
        const Pipeline& pl = s.pipelines[p];
        const bool in_from = inside.contains(pl.from), in_to = inside.contains(pl.to);
        if (in_from == in_to || (in_from && !pl.bidirectional)) continue;
        const double rate = pipeline_peak(pl, year);
        row.epm += rate;
        consider(rate, pl.id, !pl.peak_capacity.points.empty());
      }
      for (int v : sources) {
        const Node& node = s.nodes[v];
        if (!inside.contains(node.id)) continue;
        const double rate = node_peak(node, year);
        (node.kind == NodeKind::Supply ? row.pm
         : node.kind == NodeKind::Lng  ? row.lngm
                                       : row.sm) += rate;
        consider(rate, node.id,
                 node.kind != NodeKind::Storage && !node.peak_capacity.points.empty());
      }
      if (row.dmax > 0.0) {
        row.n1_percent = (row.epm + row.pm + row.sm + row.lngm - row.im) / row.dmax * 100.0;
      }
      // The network: intact, then with each asset removed; the worst is kept.
      const double per_percent = row.dmax > 0.0 ? kUnitsPerMcm * row.dmax / 100.0 : 0.0;
      auto percent = [&](std::int64_t flow) {
        return per_percent > 0.0 ? static_cast<double>(flow) / per_percent : 0.0;
      };
      row.network_intact_percent = percent(solver.solve(c, source, sink).value);
      std::int64_t worst = std::numeric_limits<std::int64_t>::max();
      for (const Removal& r : removals) {
        std::vector<std::int64_t> without = c;
        for (std::size_t a = 0; a < first_sink_arc; ++a) {
          if (arc_of[a].pipeline == r.pipeline && arc_of[a].entity == r.entity) without[a] = 0;
        }
        const std::int64_t flow = solver.solve(without, source, sink).value;
        if (flow < worst) {
          worst = flow;
          row.worst_asset = r.pipeline ? s.pipelines[r.entity].id : s.nodes[r.entity].id;
        }
      }
      if (removals.empty()) worst = solver.solve(c, source, sink).value;
      row.n1_network_percent = percent(worst);
      out.push_back(row);
    }
  }
  return out;
}

}  // namespace corridor
