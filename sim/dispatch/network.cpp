#include "corridor/network.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

#include "corridor/events.h"

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
  std::map<std::string, int, std::less<>> index;  // scenario node id -> network node of layer 0
  std::vector<int> base_entity;
  bool any_storage = false;
  for (int i = 0; i < static_cast<int>(s.nodes.size()); ++i) {
    if (s.nodes[i].commodity != c) continue;
    index.emplace(s.nodes[i].id, static_cast<int>(base_entity.size()));
    base_entity.push_back(i);
    any_storage |= s.nodes[i].kind == NodeKind::Storage;
  }
  const int n_base = static_cast<int>(base_entity.size());
  net.layers = s.resolution == Resolution::Month && any_storage ? 12 : 1;
  net.layer_nodes = n_base;
  net.source = n_base * net.layers;
  net.sink = net.source + 1;
  for (int l = 0; l < net.layers; ++l) {
    net.node_entity.insert(net.node_entity.end(), base_entity.begin(), base_entity.end());
  }
  net.node_entity.push_back(-1);
  net.node_entity.push_back(-1);
  net.num_nodes = net.sink + 1;

  // Layer 0: pipelines, supplies (and lng terminals), deliveries and shortfall arcs.
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
  for (int n = 0; n < n_base; ++n) {
    const Node& node = s.nodes[base_entity[n]];
    if (node.kind == NodeKind::Supply || node.kind == NodeKind::Lng) {
      net.supplies.push_back(base_entity[n]);
      const std::int64_t cost =
          to_scaled_cost(net, node.cost, "cost",
                         std::string(node_kind_name(node.kind)) + " '" + node.id + "'", node.where);
      net.supply_arc.push_back(add_arc(net, net.source, n, ArcKind::Supply, base_entity[n], cost));
    } else if (node.kind == NodeKind::Demand) {
      net.demands.push_back(base_entity[n]);
      net.delivery_arc.push_back(add_arc(net, n, net.sink, ArcKind::Delivery, base_entity[n], 0));
      max_priority = std::max(max_priority, node.priority);
    } else if (node.kind == NodeKind::Storage) {
      net.storages.push_back(base_entity[n]);
    }
  }
  for (int d : net.demands) {  // penalties are set below, once C is known
    net.shortfall_arc.push_back(
        add_arc(net, net.source, index.at(s.nodes[d].id), ArcKind::Shortfall, d, 0));
  }
  net.layer_arcs = net.num_arcs();

  // Layers 1..11: copies of layer 0 on their own nodes, S and T shared.
  for (int l = 1; l < net.layers; ++l) {
    const int shift = l * n_base;
    for (int a = 0; a < net.layer_arcs; ++a) {
      auto moved = [&](int v) { return v == net.source || v == net.sink ? v : v + shift; };
      add_arc(net, moved(net.arc_tail[a]), moved(net.arc_head[a]), net.arc_kind[a],
              net.arc_entity[a], net.arc_cost[a]);
    }
  }

  // Storage across the months: reservoirs, an end node, and their arcs (see network.h).
  if (net.layers > 1) {
    for (int st : net.storages) {
      const int base = index.at(s.nodes[st].id);
      auto& inj = net.storage_injection_arc.emplace_back();
      auto& wd = net.storage_withdrawal_arc.emplace_back();
      auto& inv = net.storage_inventory_arc.emplace_back();
      auto& res = net.storage_reservoir.emplace_back();
      for (int l = 0; l < net.layers; ++l) {
        res.push_back(net.num_nodes++);
        net.node_entity.push_back(-1);
      }
      const int end_node = net.num_nodes++;
      net.node_entity.push_back(-1);
      net.storage_end_node.push_back(end_node);
      for (int l = 0; l < net.layers; ++l) {
        const int node = base + l * n_base;
        // One scaled unit per unit injected: storage never cycles for nothing.
        inj.push_back(add_arc(net, node, res[l], ArcKind::Injection, st, 1));
        wd.push_back(add_arc(net, res[l], node, ArcKind::Withdrawal, st, 0));
        inv.push_back(add_arc(net, res[l], l + 1 < net.layers ? res[l + 1] : end_node,
                              ArcKind::Inventory, st, 0));
      }
      net.storage_short_arc.push_back(
          add_arc(net, net.source, end_node, ArcKind::StorageShort, st, 0));
      net.storage_excess_arc.push_back(
          add_arc(net, end_node, net.source, ArcKind::StorageExcess, st, 0));
    }
  }

  // C, in 128 bits: each cost is at most kMaxScaledCost, but there may be many of them.
  __int128 cost_sum = 0;
  for (int a = 0; a < net.num_arcs(); ++a) {
    if (!is_penalty_arc(net.arc_kind[a])) cost_sum += net.arc_cost[a];
  }
  net.real_cost_sum = static_cast<std::int64_t>(std::min<__int128>(cost_sum, kMaxScaledCost));
  // Tier penalties (see the file comment): (P - k + 1) * (C + 1), and (P + 1) * (C + 1) for the
  // end-of-year storage rule. One that does not fit is an error, never clamped: a clamped
  // penalty no longer outweighs every saving.
  auto tier_error = [&](const Node& node, __int128 levels, const std::string& what,
                        const SourceLocation& where) {
    if (net.cost_error) return;
    const std::string unit(cost_unit(c));
    net.cost_error = ScaleError{
        std::string(node_kind_name(node.kind)) + " node '" + node.id + "'",
        Diagnostic{
            Severity::Error, where,
            what + " is too large to dispatch exactly: " + number(static_cast<double>(levels)) +
                " x (the sum of all " + std::string(commodity_name(c)) +
                " supply costs and tariffs, " + number(static_cast<double>(cost_sum) / kCostScale) +
                " " + unit + ", + 0.001 " + unit + ") exceeds the limit of " +
                number(static_cast<double>(kMaxScaledCost) / kCostScale) + " " + unit,
            "check the units and magnitudes of supply costs and tariffs, or use fewer priority "
            "levels"}};
  };
  for (std::size_t k = 0; k < net.demands.size(); ++k) {
    const Node& node = s.nodes[net.demands[k]];
    const __int128 levels = static_cast<__int128>(max_priority) - node.priority + 1;
    const __int128 tier = levels * (cost_sum + 1);
    std::int64_t penalty = 0;
    if (levels >= 1 && tier <= kMaxScaledCost) {
      penalty = static_cast<std::int64_t>(tier);
    } else {
      tier_error(node, levels,
                 "the shortfall penalty of demand node '" + node.id + "' (priority " +
                     std::to_string(node.priority) + " of " + std::to_string(max_priority) + ")",
                 node.priority_where.line > 0 ? node.priority_where : node.where);
    }
    for (int l = 0; l < net.layers; ++l) {
      net.arc_cost[net.shortfall_arc[k] + l * net.layer_arcs] = penalty;
    }
  }
  if (!net.storage_short_arc.empty()) {
    const __int128 levels = static_cast<__int128>(max_priority) + 1;
    const __int128 tier = levels * (cost_sum + 1);
    std::int64_t penalty = 0;
    if (tier <= kMaxScaledCost) {
      penalty = static_cast<std::int64_t>(tier);
    } else {
      const Node& node = s.nodes[net.storages.front()];
      tier_error(node, levels, "the end-of-year penalty of storage node '" + node.id + "'",
                 node.where);
    }
    for (std::size_t k = 0; k < net.storage_short_arc.size(); ++k) {
      net.arc_cost[net.storage_short_arc[k]] = penalty;
      net.arc_cost[net.storage_excess_arc[k]] = penalty;
    }
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

/// Annual rate -> volume for period `p`: the whole year, or the month's share of it by the
/// days of the months.
double days_volume(double rate, const Period& p) {
  if (p.month == 0) return rate * p.years;
  double days[12];
  for (int m = 0; m < 12; ++m) days[m] = days_in_month(p.year, m + 1);
  return month_volume(rate, days, p.month);
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

double pipeline_period_capacity(const Pipeline& pl, const Period& p,
                                std::span<const Outage> outages) {
  const double rate = effective_rate(pl, p.year);
  const double share =
      outages.empty()
          ? in_service_fraction(pl, p)
          : period_availability(
                outages, p, rate,
                pl.online ? date_first_day({pl.online->year, pl.online->month, 0}) : INT_MIN,
                pl.retire ? date_first_day({pl.retire->year, pl.retire->month, 0}) : INT_MAX);
  return days_volume(rate, p) * share;
}

double rate_period_volume(const Series& rate, const Period& p, std::span<const Outage> outages) {
  const double r = value_at(rate, p.year);
  return days_volume(r, p) * (outages.empty() ? 1.0 : period_availability(outages, p, r));
}

PeriodBounds period_bounds(const Scenario& s, const Network& net, const Period& p) {
  PeriodBounds b;
  b.period = p;
  const bool events = !s.events.empty();
  auto outages = [&](const std::string& id) {
    return events ? outages_of(s, id) : std::vector<Outage>{};
  };
  b.pipeline_capacity.reserve(net.pipelines.size());
  for (int i : net.pipelines) {
    const Pipeline& pl = s.pipelines[i];
    b.pipeline_capacity.push_back(pipeline_period_capacity(pl, p, outages(pl.id)));
  }
  for (int i : net.supplies) {
    const Node& n = s.nodes[i];
    b.supply_available.push_back(rate_period_volume(n.capacity, p, outages(n.id)));
  }
  double days[12];
  for (int m = 0; m < 12; ++m) days[m] = days_in_month(p.year, m + 1);
  for (int i : net.demands) {
    const Node& n = s.nodes[i];
    double weights[12];
    for (int m = 0; m < 12; ++m) weights[m] = n.profile.size() == 12 ? n.profile[m] : days[m];
    const double rate = value_at(n.demand, p.year);
    b.demand.push_back(p.month == 0 ? rate * p.years : month_volume(rate, weights, p.month));
  }
  for (int i : net.storages) {
    const Node& n = s.nodes[i];
    const std::vector<Outage> out = outages(n.id);
    b.storage_injection.push_back(rate_period_volume(n.injection, p, out));
    b.storage_withdrawal.push_back(rate_period_volume(n.withdrawal, p, out));
    b.storage_volume.push_back(n.working_volume);
    b.storage_initial.push_back(level_volume(n.initial, n.working_volume));
    b.storage_end.push_back(level_volume(n.end_target.value_or(n.initial), n.working_volume));
  }
  return b;
}

std::int64_t scaled_flow(double volume) {
  const double units = volume * kFlowUnitsPerVolume;
  if (std::isnan(volume) || units > static_cast<double>(kMaxScaledFlow)) return -1;
  return units <= 0.0 ? std::int64_t{0} : static_cast<std::int64_t>(std::llround(units));
}

void start_storage_at(const Scenario& s, const Network& net, std::span<const double> start,
                      PeriodBounds& first) {
  for (std::size_t k = 0; k < net.storages.size(); ++k) {
    const Node& n = s.nodes[net.storages[k]];
    first.storage_initial[k] = start[k];
    first.storage_end[k] = n.end_target ? level_volume(*n.end_target, n.working_volume) : start[k];
  }
}

namespace {

/// Scales volumes into flow units, recording the first failure with its entity (network.h).
class Scaler {
 public:
  Scaler(const Network& net, const Period& p, ScaleError& error)
      : unit_(volume_unit(net.commodity)), when_(period_name(p)), error_(error) {}

  /// Volume -> flow units, rounded to the nearest unit; negative volumes (which validate()
  /// refuses) count as 0. NaN (infinity x 0 in a product of factors, say) and anything above
  /// kMaxScaledFlow are errors; llround is never called out of range.
  std::int64_t operator()(double volume, const std::string& bound, const std::string& entity,
                          const SourceLocation& where) {
    if (const std::int64_t units = scaled_flow(volume); units >= 0) return units;
    if (ok) {
      const std::string what = bound + " of " + entity;
      error_.entity = entity;
      error_.diagnostic = {
          Severity::Error, where,
          std::isnan(volume)
              ? what + " in " + when_ + " is not a number"
              : what + " is too large to dispatch exactly: " + number(volume) + " " + unit_ +
                    " in " + when_ + " exceeds the limit of " +
                    number(static_cast<double>(kMaxScaledFlow) / kFlowUnitsPerVolume) + " " +
                    unit_ + " per period",
          "check the unit and magnitude of this value"};
    }
    ok = false;
    return std::int64_t{0};
  }
  bool ok = true;

 private:
  std::string unit_, when_;
  ScaleError& error_;
};

/// The demand node with the largest scaled demand, for messages about the total.
struct Largest {
  std::int64_t units = -1;
  const Node* node = nullptr;
};

/// Scales one layer's pipeline, supply, delivery and shortfall bounds into `arc_upper` at the
/// layer's arc offset; adds its demand to `demand`.
void scale_layer(const Scenario& s, const Network& net, const PeriodBounds& b, int layer,
                 std::vector<std::int64_t>& arc_upper, __int128& demand, Largest& largest,
                 Scaler& scale) {
  const int shift = layer * net.layer_arcs;
  for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
    const Pipeline& pl = s.pipelines[net.pipelines[i]];
    const std::int64_t u =
        scale(b.pipeline_capacity[i], "capacity", "pipeline '" + pl.id + "'", pl.capacity_where);
    arc_upper[net.pipeline_arc[i] + shift] = u;
    if (net.pipeline_rev_arc[i] >= 0) arc_upper[net.pipeline_rev_arc[i] + shift] = u;
  }
  for (std::size_t i = 0; i < net.supplies.size(); ++i) {
    const Node& n = s.nodes[net.supplies[i]];
    arc_upper[net.supply_arc[i] + shift] =
        scale(b.supply_available[i], "capacity",
              std::string(node_kind_name(n.kind)) + " '" + n.id + "'", n.capacity_where);
  }
  for (std::size_t i = 0; i < net.demands.size(); ++i) {
    const Node& n = s.nodes[net.demands[i]];
    const std::int64_t d = scale(b.demand[i], "demand", "node '" + n.id + "'", n.demand_where);
    arc_upper[net.delivery_arc[i] + shift] = d;
    arc_upper[net.shortfall_arc[i] + shift] = d;
    demand += d;
    if (d > largest.units) largest = {d, &n};
  }
}

/// The checks on the total demand and the objective bound (see the file comment of
/// network.h); `flow` is the largest total flow out of S and the storage reservoirs.
bool check_totals(const Scenario& s, const Network& net, const Period& p, __int128 demand,
                  __int128 flow, const Largest& largest, ScaleError& error) {
  const std::string unit(volume_unit(net.commodity));
  const std::string when = period_name(p);
  const std::string commodity(commodity_name(net.commodity));
  const Node* largest_node = largest.node;
  if (demand > kMaxScaledFlow || flow > kMaxScaledFlow) {
    const bool storage = demand <= kMaxScaledFlow;
    error.entity = largest_node != nullptr ? "node '" + largest_node->id + "'" : "";
    error.diagnostic = {
        Severity::Error, largest_node != nullptr ? largest_node->demand_where : s.horizon.where,
        "total " + commodity + (storage ? " demand and storage" : " demand") +
            " is too large to dispatch exactly: " +
            number(static_cast<double>(storage ? flow : demand) / kFlowUnitsPerVolume) + " " +
            unit + " in " + when +
            (largest_node != nullptr
                 ? " (the largest, node '" + largest_node->id + "', " +
                       number(static_cast<double>(largest.units) / kFlowUnitsPerVolume) + " " +
                       unit + ")"
                 : std::string()) +
            " exceeds the limit of " +
            number(static_cast<double>(kMaxScaledFlow) / kFlowUnitsPerVolume) + " " + unit +
            " per period",
        storage ? "check the units and magnitudes of the demands and working volumes"
                : "check the units and magnitudes of the demands"};
    return false;
  }
  // The objective is at most `flow` * (largest arc cost + C); keep it, and LEMON's potentials,
  // far from int64 overflow. build_network keeps its costs within kMaxScaledCost; a network
  // built by other means is checked here too.
  std::int64_t max_cost = 0;
  for (std::int64_t c : net.arc_cost) max_cost = std::max(max_cost, c);
  const __int128 bound = flow * (static_cast<__int128>(max_cost) + net.real_cost_sum + 1);
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
                       number(static_cast<double>(largest.units) / kFlowUnitsPerVolume) + " " +
                       unit + ")"
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
  return true;
}

}  // namespace

bool scale_bounds(const Scenario& s, const Network& net, const PeriodBounds& b,
                  std::vector<std::int64_t>& arc_upper, std::int64_t& total_demand,
                  ScaleError& error) {
  arc_upper.assign(net.num_arcs(), 0);
  total_demand = 0;
  if (net.cost_error) {
    error = *net.cost_error;
    return false;
  }
  if (net.layers != 1) {
    throw std::logic_error("scale_bounds: a network of " + std::to_string(net.layers) +
                           " layers needs scale_layers");
  }
  Scaler scale(net, b.period, error);
  __int128 demand = 0;
  Largest largest;
  scale_layer(s, net, b, 0, arc_upper, demand, largest, scale);
  if (!scale.ok) return false;
  if (!check_totals(s, net, b.period, demand, demand, largest, error)) return false;
  total_demand = static_cast<std::int64_t>(demand);
  return true;
}

bool scale_layers(const Scenario& s, const Network& net, std::span<const PeriodBounds> layers,
                  std::vector<std::int64_t>& arc_upper, std::vector<std::int64_t>& node_supply,
                  ScaleError& error) {
  arc_upper.assign(net.num_arcs(), 0);
  node_supply.assign(net.num_nodes, 0);
  if (net.cost_error) {
    error = *net.cost_error;
    return false;
  }
  if (static_cast<int>(layers.size()) != net.layers) {
    throw std::logic_error("scale_layers: " + std::to_string(layers.size()) +
                           " period bounds for a network of " + std::to_string(net.layers) +
                           " layers");
  }
  Scaler scale(net, layers.front().period, error);
  __int128 demand = 0, storage_flow = 0;
  Largest largest;
  for (int l = 0; l < net.layers; ++l) {
    scale_layer(s, net, layers[l], l, arc_upper, demand, largest, scale);
  }
  __int128 from_storage = 0;  // what storage gives over the year: initial - end
  for (std::size_t k = 0; k < net.storage_reservoir.size(); ++k) {
    const Node& n = s.nodes[net.storages[k]];
    const std::string entity = "storage '" + n.id + "'";
    const PeriodBounds& first = layers.front();
    const std::int64_t volume =
        scale(first.storage_volume[k], "working_volume", entity, n.working_volume_where);
    const std::int64_t initial = scale(first.storage_initial[k], "initial inventory", entity,
                                       n.initial_where.line > 0 ? n.initial_where : n.where);
    const std::int64_t end = scale(first.storage_end[k], "end-of-year inventory", entity,
                                   n.end_where.line > 0 ? n.end_where : n.where);
    for (int l = 0; l < net.layers; ++l) {
      arc_upper[net.storage_injection_arc[k][l]] =
          scale(layers[l].storage_injection[k], "injection", entity, n.injection_where);
      arc_upper[net.storage_withdrawal_arc[k][l]] =
          scale(layers[l].storage_withdrawal[k], "withdrawal", entity, n.withdrawal_where);
      arc_upper[net.storage_inventory_arc[k][l]] = volume;
    }
    arc_upper[net.storage_short_arc[k]] = volume;
    arc_upper[net.storage_excess_arc[k]] = volume;
    node_supply[net.storage_reservoir[k].front()] = initial;
    node_supply[net.storage_end_node[k]] = -end;
    from_storage += static_cast<__int128>(initial) - end;
    storage_flow += 2 * static_cast<__int128>(volume);
  }
  if (!scale.ok) return false;
  if (!check_totals(s, net, layers.front().period, demand, demand + storage_flow, largest, error)) {
    return false;
  }
  node_supply[net.source] = static_cast<std::int64_t>(demand - from_storage);
  node_supply[net.sink] = -static_cast<std::int64_t>(demand);
  return true;
}

}  // namespace corridor
