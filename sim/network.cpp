#include "corridor/network.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

namespace corridor {
namespace {

using Days = std::chrono::sys_days;

Days first_day(int year, int month) {
  return Days{std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
              std::chrono::day{1}};
}

Days start_of(const YearMonth& ym) { return first_day(ym.year, ym.month == 0 ? 1 : ym.month); }

std::int64_t to_scaled_cost(double usd_per_unit) {
  return static_cast<std::int64_t>(std::llround(usd_per_unit * kCostScale));
}

int add_arc(Network& net, int tail, int head, ArcKind kind, int entity, std::int64_t cost) {
  net.arc_tail.push_back(tail);
  net.arc_head.push_back(head);
  net.arc_kind.push_back(kind);
  net.arc_entity.push_back(entity);
  net.arc_cost.push_back(cost);
  return net.num_arcs() - 1;
}

}  // namespace

std::vector<Period> periods(const Scenario& s) {
  std::vector<Period> out;
  for (int y = s.horizon.start_year; y <= s.horizon.end_year; ++y) {
    if (s.resolution == Resolution::Year) {
      out.push_back({y, 0, 1.0});
      continue;
    }
    for (int m = 1; m <= 12; ++m) {
      out.push_back({y, m, static_cast<double>(days_in_month(y, m)) / days_in_year(y)});
    }
  }
  return out;
}

Network build_network(const Scenario& s, Commodity c) {
  Network net;
  net.commodity = c;
  std::map<std::string, int, std::less<>> index;  // scenario node id -> network node
  for (int i = 0; i < static_cast<int>(s.nodes.size()); ++i) {
    if (s.nodes[i].commodity != c) continue;
    index.emplace(s.nodes[i].id, static_cast<int>(net.node_entity.size()));
    net.node_entity.push_back(i);
  }
  net.source = static_cast<int>(net.node_entity.size());
  net.sink = net.source + 1;
  net.node_entity.push_back(-1);
  net.node_entity.push_back(-1);
  net.num_nodes = net.sink + 1;

  for (int i = 0; i < static_cast<int>(s.pipelines.size()); ++i) {
    const Pipeline& p = s.pipelines[i];
    if (p.commodity != c) continue;
    auto from = index.find(p.from);
    auto to = index.find(p.to);
    if (from == index.end() || to == index.end()) continue;  // validate() reports it
    const std::int64_t cost = to_scaled_cost(tariff_per_unit(p));
    net.pipelines.push_back(i);
    net.pipeline_arc.push_back(add_arc(net, from->second, to->second, ArcKind::Pipeline, i, cost));
    net.pipeline_rev_arc.push_back(
        p.bidirectional ? add_arc(net, to->second, from->second, ArcKind::PipelineReverse, i, cost)
                        : -1);
  }
  int max_priority = 1;
  for (int n = 0; n + 2 < net.num_nodes; ++n) {
    const Node& node = s.nodes[net.node_entity[n]];
    if (node.kind == NodeKind::Supply) {
      net.supplies.push_back(net.node_entity[n]);
      net.supply_arc.push_back(add_arc(net, net.source, n, ArcKind::Supply, net.node_entity[n],
                                       to_scaled_cost(node.cost)));
    } else if (node.kind == NodeKind::Demand) {
      net.demands.push_back(net.node_entity[n]);
      net.delivery_arc.push_back(
          add_arc(net, n, net.sink, ArcKind::Delivery, net.node_entity[n], 0));
      max_priority = std::max(max_priority, node.priority);
    }
  }
  for (std::int64_t cost : net.arc_cost) net.real_cost_sum += cost;
  // Tier penalties (see the file comment of network.h): (P - k + 1) * (C + 1).
  for (int d : net.demands) {
    const __int128 tier = static_cast<__int128>(max_priority - s.nodes[d].priority + 1) *
                          (static_cast<__int128>(net.real_cost_sum) + 1);
    const std::int64_t penalty =
        tier > kMaxScaledCost ? kMaxScaledCost : static_cast<std::int64_t>(tier);
    const int n = static_cast<int>(index.at(s.nodes[d].id));
    net.shortfall_arc.push_back(add_arc(net, net.source, n, ArcKind::Shortfall, d, penalty));
  }
  for (int r = 0; r < static_cast<int>(s.routes.size()); ++r) {
    const Route& route = s.routes[r];
    if (route.pipelines.empty()) continue;
    for (const Pipeline& p : s.pipelines) {
      if (p.id == route.pipelines.front()) {
        if (p.commodity == c) net.routes.push_back(r);
        break;
      }
    }
  }
  return net;
}

double effective_rate(const Pipeline& pl, int year) {
  double ramp = 1.0;
  if (pl.online) {
    const int k = year - pl.online->year;
    if (k < 0) return 0.0;
    if (k < static_cast<int>(pl.ramp_up.size())) ramp = pl.ramp_up[k];
  }
  return value_at(pl.capacity, year) * value_at(pl.availability, year) * ramp;
}

double in_service_fraction(const Pipeline& pl, const Period& p) {
  const Days begin = first_day(p.year, p.month == 0 ? 1 : p.month);
  const Days end =
      p.month == 0 || p.month == 12 ? first_day(p.year + 1, 1) : first_day(p.year, p.month + 1);
  Days on = begin, off = end;
  if (pl.online) on = std::max(on, start_of(*pl.online));
  if (pl.retire) off = std::min(off, start_of(*pl.retire));
  if (off <= on) return 0.0;
  return static_cast<double>((off - on).count()) / static_cast<double>((end - begin).count());
}

namespace {

/// The share of a year's volume falling in month `m` (1..12) given monthly weights, rounded
/// so that the twelve months add up exactly to the rounded year at the flow resolution: the
/// month is the difference of rounded cumulative volumes.
double month_volume(double annual, const double (&weights)[12], int m) {
  double total = 0.0, before = 0.0;
  for (int k = 0; k < 12; ++k) total += weights[k];
  for (int k = 0; k < m - 1; ++k) before += weights[k];
  if (!(total > 0.0)) return 0.0;
  const double upto = before + weights[m - 1];
  auto rounded = [&](double share) {
    return std::round(annual * (share / total) * kFlowUnitsPerVolume);
  };
  return (rounded(upto) - rounded(before)) / kFlowUnitsPerVolume;
}

}  // namespace

PeriodBounds period_bounds(const Scenario& s, const Network& net, const Period& p) {
  PeriodBounds b;
  double days[12];
  for (int m = 0; m < 12; ++m) days[m] = days_in_month(p.year, m + 1);
  // Annual rate -> volume for the period: the whole year, or the month's share of it.
  auto volume = [&](double rate, const double(&weights)[12]) {
    return p.month == 0 ? rate * p.years : month_volume(rate, weights, p.month);
  };
  b.pipeline_capacity.reserve(net.pipelines.size());
  for (int i : net.pipelines) {
    const Pipeline& pl = s.pipelines[i];
    b.pipeline_capacity.push_back(volume(effective_rate(pl, p.year), days) *
                                  in_service_fraction(pl, p));
  }
  for (int i : net.supplies) {
    b.supply_available.push_back(volume(value_at(s.nodes[i].capacity, p.year), days));
  }
  for (int i : net.demands) {
    const Node& n = s.nodes[i];
    double weights[12];
    for (int m = 0; m < 12; ++m) weights[m] = n.profile.size() == 12 ? n.profile[m] : days[m];
    b.demand.push_back(volume(value_at(n.demand, p.year), weights));
  }
  return b;
}

bool scale_bounds(const Scenario& s, const Network& net, const PeriodBounds& b,
                  std::vector<std::int64_t>& arc_upper, std::int64_t& total_demand,
                  Diagnostic& error) {
  arc_upper.assign(net.num_arcs(), 0);
  bool ok = true;
  auto scale = [&](double volume, const std::string& what, const SourceLocation& where) {
    const double units = std::max(0.0, volume) * kFlowUnitsPerVolume;
    if (!(units <= static_cast<double>(kMaxScaledFlow))) {
      if (ok) {
        error = {Severity::Error, where,
                 what + " is too large to dispatch: " + std::to_string(volume) + " " +
                     std::string(volume_unit(net.commodity)) +
                     " in one period exceeds the limit of " +
                     std::to_string(static_cast<double>(kMaxScaledFlow) / kFlowUnitsPerVolume),
                 "check the unit and magnitude of this value"};
      }
      ok = false;
      return std::int64_t{0};
    }
    return static_cast<std::int64_t>(std::llround(units));
  };
  for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
    const Pipeline& pl = s.pipelines[net.pipelines[i]];
    const std::int64_t u =
        scale(b.pipeline_capacity[i], "capacity of pipeline '" + pl.id + "'", pl.capacity_where);
    arc_upper[net.pipeline_arc[i]] = u;
    if (net.pipeline_rev_arc[i] >= 0) arc_upper[net.pipeline_rev_arc[i]] = u;
  }
  for (std::size_t i = 0; i < net.supplies.size(); ++i) {
    const Node& n = s.nodes[net.supplies[i]];
    arc_upper[net.supply_arc[i]] =
        scale(b.supply_available[i], "capacity of supply '" + n.id + "'", n.capacity_where);
  }
  __int128 demand = 0;
  for (std::size_t i = 0; i < net.demands.size(); ++i) {
    const Node& n = s.nodes[net.demands[i]];
    const std::int64_t d = scale(b.demand[i], "demand of node '" + n.id + "'", n.demand_where);
    arc_upper[net.delivery_arc[i]] = d;
    arc_upper[net.shortfall_arc[i]] = d;
    demand += d;
  }
  if (!ok) return false;
  // The objective is at most D * (largest arc cost + C); keep it, and LEMON's potentials, far
  // from int64 overflow.
  std::int64_t max_cost = 0;
  for (std::int64_t c : net.arc_cost) max_cost = std::max(max_cost, c);
  const __int128 bound = demand * (static_cast<__int128>(max_cost) + net.real_cost_sum + 1);
  if (demand > kMaxScaledFlow || max_cost >= kMaxScaledCost ||
      bound > static_cast<__int128>(std::numeric_limits<std::int64_t>::max() / 4)) {
    error = {Severity::Error, s.horizon.where,
             "scenario too large to dispatch exactly: total demand " +
                 std::to_string(static_cast<double>(demand) / kFlowUnitsPerVolume) + " " +
                 std::string(volume_unit(net.commodity)) + " with costs up to " +
                 std::to_string(static_cast<double>(max_cost) / kCostScale) + " " +
                 std::string(cost_unit(net.commodity)) + " overflows 64-bit integer arithmetic",
             "check units and magnitudes of demands, costs and tariffs"};
    return false;
  }
  total_demand = static_cast<std::int64_t>(demand);
  return true;
}

}  // namespace corridor
