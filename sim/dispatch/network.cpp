#include "corridor/network.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

namespace corridor {
namespace {

using Days = std::chrono::sys_days;

Days first_day(int year, int month) {
  return Days{std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
              std::chrono::day{1}};
}

Days start_of(const YearMonth& ym) { return first_day(ym.year, ym.month == 0 ? 1 : ym.month); }

// A number for messages: up to 15 significant digits, no trailing zeros ("2e+09", "0.5").
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

// "2030" or "2030-07".
std::string period_name(const Period& p) {
  char buf[16];
  if (p.month == 0) {
    std::snprintf(buf, sizeof buf, "%d", p.year);
  } else {
    std::snprintf(buf, sizeof buf, "%d-%02d", p.year, p.month);
  }
  return buf;
}

// The scaled cost of `usd_per_unit`, the `what` of `entity` ("tariff" of "pipeline 'p'"). A
// cost that is not finite, negative or above kMaxScaledCost is recorded in net.cost_error (the
// first one only) and scaled as 0; llround is never called out of range.
std::int64_t to_scaled_cost(Network& net, double usd_per_unit, const std::string& cost_name,
                            const std::string& entity, const SourceLocation& where) {
  const double scaled = usd_per_unit * kCostScale;
  if (std::isfinite(usd_per_unit) && usd_per_unit >= 0.0 &&
      scaled <= static_cast<double>(kMaxScaledCost)) {
    return static_cast<std::int64_t>(std::llround(scaled));
  }
  if (!net.cost_error) {
    const std::string unit(cost_unit(net.commodity));
    const bool usable = std::isfinite(usd_per_unit) && usd_per_unit >= 0.0;
    const std::string what = cost_name + " of " + entity;
    net.cost_error = ScaleError{
        entity,
        Diagnostic{Severity::Error, where,
                   usable
                       ? what + " is too large to dispatch exactly: " + number(usd_per_unit) + " " +
                             unit + " exceeds the limit of " +
                             number(static_cast<double>(kMaxScaledCost) / kCostScale) + " " + unit
                       : what + " must be a finite number not below 0, got " + number(usd_per_unit),
                   "check the unit and magnitude of this value"}};
  }
  return 0;
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
    // The arc cost is what a unit pays to pass: the tariff plus any transit fee. A message
    // about it names the fee only when there is one.
    const bool fee = p.transit_fee != 0.0;
    const SourceLocation& cost_where = p.tariff_where.line > 0               ? p.tariff_where
                                       : fee && p.transit_fee_where.line > 0 ? p.transit_fee_where
                                                                             : p.where;
    const std::int64_t cost =
        to_scaled_cost(net, transport_cost_per_unit(p), fee ? "tariff and transit fee" : "tariff",
                       "pipeline '" + p.id + "'", cost_where);
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
      const std::int64_t cost =
          to_scaled_cost(net, node.cost, "cost", "supply '" + node.id + "'", node.where);
      net.supply_arc.push_back(
          add_arc(net, net.source, n, ArcKind::Supply, net.node_entity[n], cost));
    } else if (node.kind == NodeKind::Demand) {
      net.demands.push_back(net.node_entity[n]);
      net.delivery_arc.push_back(
          add_arc(net, n, net.sink, ArcKind::Delivery, net.node_entity[n], 0));
      max_priority = std::max(max_priority, node.priority);
    }
  }
  // C, in 128 bits: each cost is at most kMaxScaledCost, but there may be many of them.
  __int128 cost_sum = 0;
  for (std::int64_t cost : net.arc_cost) cost_sum += cost;
  net.real_cost_sum = static_cast<std::int64_t>(std::min<__int128>(cost_sum, kMaxScaledCost));
  // Tier penalties (see the file comment of network.h): (P - k + 1) * (C + 1). One that does
  // not fit is an error, never clamped: a clamped penalty no longer outweighs every saving.
  for (int d : net.demands) {
    const Node& node = s.nodes[d];
    const __int128 levels = static_cast<__int128>(max_priority) - node.priority + 1;
    const __int128 tier = levels * (cost_sum + 1);
    std::int64_t penalty = 0;
    if (levels >= 1 && tier <= kMaxScaledCost) {
      penalty = static_cast<std::int64_t>(tier);
    } else if (!net.cost_error) {
      const std::string unit(cost_unit(c));
      net.cost_error = ScaleError{
          "demand node '" + node.id + "'",
          Diagnostic{
              Severity::Error, node.priority_where.line > 0 ? node.priority_where : node.where,
              "the shortfall penalty of demand node '" + node.id + "' (priority " +
                  std::to_string(node.priority) + " of " + std::to_string(max_priority) +
                  ") is too large to dispatch exactly: " + number(static_cast<double>(levels)) +
                  " x (the sum of all " + std::string(commodity_name(c)) +
                  " supply costs and tariffs, " +
                  number(static_cast<double>(cost_sum) / kCostScale) + " " + unit + ", + 0.001 " +
                  unit + ") exceeds the limit of " +
                  number(static_cast<double>(kMaxScaledCost) / kCostScale) + " " + unit,
              "check the units and magnitudes of supply costs and tariffs, or use fewer priority "
              "levels"}};
    }
    const int n = static_cast<int>(index.at(node.id));
    net.shortfall_arc.push_back(add_arc(net, net.source, n, ArcKind::Shortfall, d, penalty));
  }
  std::map<std::string, int, std::less<>> position;
  for (int k = 0; k < static_cast<int>(net.pipelines.size()); ++k) {
    position.emplace(s.pipelines[net.pipelines[k]].id, k);
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
    if (net.routes.empty() || net.routes.back() != r) continue;
    std::vector<int>& on = net.route_pipelines.emplace_back();
    for (const std::string& id : route.pipelines) {
      const auto it = position.find(id);
      if (it == position.end()) {
        // validate() reports unknown pipelines and routes that mix commodities.
        throw std::logic_error("route '" + route.id + "' refers to pipeline '" + id +
                               "', which is not in the " + std::string(commodity_name(c)) +
                               " network; validate() the scenario first");
      }
      on.push_back(it->second);
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

namespace {

/// Days of each month of `year`, the weights of a flow rate across the months.
struct MonthDays {
  double days[12];
  explicit MonthDays(int year) {
    for (int m = 0; m < 12; ++m) days[m] = days_in_month(year, m + 1);
  }
};

/// An annual rate as a volume for the period: the whole year, or the month's share of it.
double period_volume(double rate, const Period& p, const double (&weights)[12]) {
  return p.month == 0 ? rate * p.years : month_volume(rate, weights, p.month);
}

}  // namespace

double pipeline_capacity_in(const Pipeline& pl, const Period& p) {
  if (p.month == 0) return effective_rate(pl, p.year) * p.years * in_service_fraction(pl, p);
  return period_volume(effective_rate(pl, p.year), p, MonthDays(p.year).days) *
         in_service_fraction(pl, p);
}

double supply_available_in(const Node& n, const Period& p) {
  if (p.month == 0) return value_at(n.capacity, p.year) * p.years;
  return period_volume(value_at(n.capacity, p.year), p, MonthDays(p.year).days);
}

double demand_in(const Node& n, const Period& p) {
  if (p.month == 0) return value_at(n.demand, p.year) * p.years;
  double weights[12];
  const MonthDays days(p.year);
  for (int m = 0; m < 12; ++m) weights[m] = n.profile.size() == 12 ? n.profile[m] : days.days[m];
  return period_volume(value_at(n.demand, p.year), p, weights);
}

PeriodBounds period_bounds(const Scenario& s, const Network& net, const Period& p) {
  PeriodBounds b;
  b.period = p;
  b.pipeline_capacity.reserve(net.pipelines.size());
  for (int i : net.pipelines)
    b.pipeline_capacity.push_back(pipeline_capacity_in(s.pipelines[i], p));
  b.supply_available.reserve(net.supplies.size());
  for (int i : net.supplies) b.supply_available.push_back(supply_available_in(s.nodes[i], p));
  b.demand.reserve(net.demands.size());
  for (int i : net.demands) b.demand.push_back(demand_in(s.nodes[i], p));
  return b;
}

std::int64_t scaled_flow(double volume) {
  const double units = volume * kFlowUnitsPerVolume;
  if (std::isnan(volume) || units > static_cast<double>(kMaxScaledFlow)) return -1;
  return units <= 0.0 ? std::int64_t{0} : static_cast<std::int64_t>(std::llround(units));
}

bool scale_bounds(const Scenario& s, const Network& net, const PeriodBounds& b,
                  std::vector<std::int64_t>& arc_upper, std::int64_t& total_demand,
                  ScaleError& error) {
  arc_upper.assign(net.num_arcs(), 0);
  total_demand = 0;
  if (net.cost_error) {
    error = *net.cost_error;
    return false;
  }
  const std::string unit(volume_unit(net.commodity));
  const std::string when = period_name(b.period);
  bool ok = true;
  // Volume -> flow units, rounded to the nearest unit; negative volumes (which validate()
  // refuses) count as 0. NaN (infinity x 0 in a product of factors, say) and anything above
  // kMaxScaledFlow are errors; llround is never called out of range.
  auto scale = [&](double volume, const std::string& bound, const std::string& entity,
                   const SourceLocation& where) {
    if (const std::int64_t units = scaled_flow(volume); units >= 0) return units;
    if (ok) {
      const std::string what = bound + " of " + entity;
      error.entity = entity;
      error.diagnostic = {
          Severity::Error, where,
          std::isnan(volume)
              ? what + " in " + when + " is not a number"
              : what + " is too large to dispatch exactly: " + number(volume) + " " + unit +
                    " in " + when + " exceeds the limit of " +
                    number(static_cast<double>(kMaxScaledFlow) / kFlowUnitsPerVolume) + " " + unit +
                    " per period",
          "check the unit and magnitude of this value"};
    }
    ok = false;
    return std::int64_t{0};
  };
  for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
    const Pipeline& pl = s.pipelines[net.pipelines[i]];
    const std::int64_t u =
        scale(b.pipeline_capacity[i], "capacity", "pipeline '" + pl.id + "'", pl.capacity_where);
    arc_upper[net.pipeline_arc[i]] = u;
    if (net.pipeline_rev_arc[i] >= 0) arc_upper[net.pipeline_rev_arc[i]] = u;
  }
  for (std::size_t i = 0; i < net.supplies.size(); ++i) {
    const Node& n = s.nodes[net.supplies[i]];
    arc_upper[net.supply_arc[i]] =
        scale(b.supply_available[i], "capacity", "supply '" + n.id + "'", n.capacity_where);
  }
  __int128 demand = 0;
  std::int64_t largest = -1;
  const Node* largest_node = nullptr;
  for (std::size_t i = 0; i < net.demands.size(); ++i) {
    const Node& n = s.nodes[net.demands[i]];
    const std::int64_t d = scale(b.demand[i], "demand", "node '" + n.id + "'", n.demand_where);
    arc_upper[net.delivery_arc[i]] = d;
    arc_upper[net.shortfall_arc[i]] = d;
    demand += d;
    if (d > largest) largest = d, largest_node = &n;
  }
  if (!ok) return false;
  const std::string commodity(commodity_name(net.commodity));
  if (demand > kMaxScaledFlow) {
    error.entity = "node '" + largest_node->id + "'";
    error.diagnostic = {Severity::Error, largest_node->demand_where,
                        "total " + commodity + " demand is too large to dispatch exactly: " +
                            number(static_cast<double>(demand) / kFlowUnitsPerVolume) + " " + unit +
                            " in " + when + " (the largest, node '" + largest_node->id + "', " +
                            number(static_cast<double>(largest) / kFlowUnitsPerVolume) + " " +
                            unit + ") exceeds the limit of " +
                            number(static_cast<double>(kMaxScaledFlow) / kFlowUnitsPerVolume) +
                            " " + unit + " per period",
                        "check the units and magnitudes of the demands"};
    return false;
  }
  // The objective is at most D * (largest arc cost + C); keep it, and LEMON's potentials, far
  // from int64 overflow. build_network keeps its costs within kMaxScaledCost; a network built
  // by other means is checked here too.
  std::int64_t max_cost = 0;
  for (std::int64_t c : net.arc_cost) max_cost = std::max(max_cost, c);
  const __int128 bound = demand * (static_cast<__int128>(max_cost) + net.real_cost_sum + 1);
  if (max_cost > kMaxScaledCost || net.real_cost_sum > kMaxScaledCost ||
      bound > static_cast<__int128>(std::numeric_limits<std::int64_t>::max() / 4)) {
    const std::string cost(cost_unit(net.commodity));
    error.entity = largest_node != nullptr ? "node '" + largest_node->id + "'" : "";
    error.diagnostic = {
        Severity::Error, largest_node != nullptr ? largest_node->demand_where : s.horizon.where,
        "total " + commodity + " demand of " +
            number(static_cast<double>(demand) / kFlowUnitsPerVolume) + " " + unit + " in " + when +
            (largest_node != nullptr
                 ? " (the largest, node '" + largest_node->id + "', " +
                       number(static_cast<double>(largest) / kFlowUnitsPerVolume) + " " + unit + ")"
                 : std::string()) +
            " is too large to dispatch exactly with costs up to " +
            number(static_cast<double>(max_cost) / kCostScale) + " " + cost +
            " (shortfall penalties included) and summing to " +
            number(static_cast<double>(net.real_cost_sum) / kCostScale) + " " + cost +
            ": demand x cost overflows 64-bit integer arithmetic",
        "check the units and magnitudes of demands, supply costs and tariffs; a shortfall "
        "penalty is the sum of all supply costs and tariffs per priority level"};
    return false;
  }
  total_demand = static_cast<std::int64_t>(demand);
  return true;
}

}  // namespace corridor
