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

int add_arc(Network& net, int tail, int head, ArcKind kind, int entity) {
  net.arc_tail.push_back(tail);
  net.arc_head.push_back(head);
  net.arc_kind.push_back(kind);
  net.arc_entity.push_back(entity);
  return net.num_arcs() - 1;
}

/// A split in the making: the arc's tail before the split, and its split index.
struct Split {
  int tail = -1;
  int index = -1;
};

/// Moves the tail of `arc` to a new split node (network.h), so that the arc leaves it, and
/// returns the split; an arc already split returns its split.
Split split_of(Network& net, int arc, std::map<int, Split>& split_by_arc) {
  if (const auto it = split_by_arc.find(arc); it != split_by_arc.end()) return it->second;
  const Split split{net.arc_tail[arc], static_cast<int>(net.splits.size())};
  net.arc_tail[arc] = net.num_nodes++;
  net.node_entity.push_back(-1);
  net.splits.emplace_back();
  net.split_arc.push_back(arc);
  split_by_arc.emplace(arc, split);
  return split;
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
    net.pipelines.push_back(i);
    net.pipeline_from.push_back(from->second);
    net.pipeline_to.push_back(to->second);
    net.pipeline_arc.push_back(add_arc(net, from->second, to->second, ArcKind::Pipeline, i));
    net.pipeline_rev_arc.push_back(
        p.bidirectional ? add_arc(net, to->second, from->second, ArcKind::PipelineReverse, i) : -1);
  }
  for (int n = 0; n < n_base; ++n) {
    const Node& node = s.nodes[base_entity[n]];
    if (node.kind == NodeKind::Supply || node.kind == NodeKind::Lng) {
      net.supplies.push_back(base_entity[n]);
      net.supply_arc.push_back(add_arc(net, net.source, n, ArcKind::Supply, base_entity[n]));
      net.supply_cost_arc.push_back(net.supply_arc.back());
    } else if (node.kind == NodeKind::Demand) {
      net.demands.push_back(base_entity[n]);
      net.delivery_arc.push_back(add_arc(net, n, net.sink, ArcKind::Delivery, base_entity[n]));
      net.max_priority = std::max(net.max_priority, node.priority);
    } else if (node.kind == NodeKind::Storage) {
      net.storages.push_back(base_entity[n]);
    }
  }
  for (int d : net.demands) {
    net.shortfall_arc.push_back(
        add_arc(net, net.source, index.at(s.nodes[d].id), ArcKind::Shortfall, d));
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
    // Orientation follows the node shared with the next pipeline (or the previous, for the
    // last); validate() guarantees the path is connected.
    const int k = static_cast<int>(on.size());
    auto pl = [&](int j) -> const Pipeline& { return s.pipelines[net.pipelines[on[j]]]; };
    std::vector<int>& signs = net.route_signs.emplace_back();
    for (int j = 0; j < k; ++j) {
      int sign = 1;
      if (j + 1 < k) {
        const Pipeline& next = pl(j + 1);
        sign = (pl(j).to == next.from || pl(j).to == next.to) ? 1 : -1;
      } else if (j > 0) {
        const Pipeline& prev = pl(j - 1);
        sign = (pl(j).from == prev.to || pl(j).from == prev.from) ? 1 : -1;
      }
      signs.push_back(sign);
    }
    const std::string& meter = route.meter.empty() ? route.pipelines.back() : route.meter;
    int at = -1;
    for (int j = 0; j < k; ++j) {
      if (pl(j).id == meter) at = j;
    }
    if (at < 0) throw std::logic_error("route '" + route.id + "' meter not on the route");
    net.route_meter.push_back(at);
  }

  // Contracts split their seller's arc (network.h): parallel arcs into a split node, in
  // layer 0 (the copies below repeat them in every layer).
  std::map<int, Split> split_by_arc;
  for (int k = 0; k < static_cast<int>(s.contracts.size()); ++k) {
    const ContractSeller seller = contract_seller(s, s.contracts[k]);
    int arc = -1, supply = -1, route = -1;
    if (seller.kind == SellerKind::Supply) {
      const auto it = std::find(net.supplies.begin(), net.supplies.end(), seller.index);
      if (it == net.supplies.end()) continue;  // a supply of the other commodity
      supply = static_cast<int>(it - net.supplies.begin());
      arc = net.supply_arc[supply];
    } else if (seller.kind == SellerKind::Route) {
      const auto it = std::find(net.routes.begin(), net.routes.end(), seller.index);
      if (it == net.routes.end()) continue;  // a route of the other commodity
      route = static_cast<int>(it - net.routes.begin());
      const int meter = net.route_meter[route];
      const int pos = net.route_pipelines[route][meter];
      arc = net.route_signs[route][meter] > 0 ? net.pipeline_arc[pos] : net.pipeline_rev_arc[pos];
      if (arc < 0) {
        throw std::logic_error("contract '" + s.contracts[k].id +
                               "': its route runs a one-way meter against its direction");
      }
    } else {
      continue;  // validate() reports an unknown seller
    }
    const Split split = split_of(net, arc, split_by_arc);
    const int m = net.arc_tail[arc];
    net.contracts.push_back(k);
    net.contract_supply.push_back(supply);
    net.contract_route.push_back(route);
    net.contract_min_arc.push_back(add_arc(net, split.tail, m, ArcKind::ContractMinimum, k));
    net.contract_above_arc.push_back(add_arc(net, split.tail, m, ArcKind::ContractAbove, k));
    net.splits[split.index].push_back(net.contract_min_arc.back());
    net.splits[split.index].push_back(net.contract_above_arc.back());
  }
  // Each split ends with its spot arc: the seller's volume outside the contracts. A split
  // supply's cost moves to it.
  for (const auto& [arc, split] : split_by_arc) {
    const int spot =
        add_arc(net, split.tail, net.arc_tail[arc], ArcKind::Spot, net.arc_entity[arc]);
    net.splits[split.index].push_back(spot);
    if (net.arc_kind[arc] == ArcKind::Supply) {
      const auto it = std::find(net.supply_arc.begin(), net.supply_arc.end(), arc);
      net.supply_cost_arc[it - net.supply_arc.begin()] = spot;
    }
  }
  net.layer_arcs = net.num_arcs();

  // Layers 1..11: copies of layer 0 on their own nodes (scenario and split nodes), S and T
  // shared.
  const int split_first = net.sink + 1;
  const int split_count = net.num_nodes - split_first;
  for (int l = 1; l < net.layers; ++l) {
    const int shift = l * n_base;
    const int split_shift = net.num_nodes - split_first;
    for (int k = 0; k < split_count; ++k) net.node_entity.push_back(-1);
    net.num_nodes += split_count;
    auto moved = [&](int v) {
      if (v == net.source || v == net.sink) return v;
      return v < net.source ? v + shift : v + split_shift;
    };
    for (int a = 0; a < net.layer_arcs; ++a) {
      add_arc(net, moved(net.arc_tail[a]), moved(net.arc_head[a]), net.arc_kind[a],
              net.arc_entity[a]);
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
        inj.push_back(add_arc(net, node, res[l], ArcKind::Injection, st));
        wd.push_back(add_arc(net, res[l], node, ArcKind::Withdrawal, st));
        inv.push_back(add_arc(net, res[l], l + 1 < net.layers ? res[l + 1] : end_node,
                              ArcKind::Inventory, st));
      }
      net.storage_short_arc.push_back(
          add_arc(net, net.source, end_node, ArcKind::StorageShort, st));
      net.storage_excess_arc.push_back(
          add_arc(net, end_node, net.source, ArcKind::StorageExcess, st));
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

double share_between(const std::optional<YearMonth>& from, const std::optional<YearMonth>& until,
                     const Period& p) {
  const Days begin = first_day(p.year, p.month == 0 ? 1 : p.month);
  const Days end =
      p.month == 0 || p.month == 12 ? first_day(p.year + 1, 1) : first_day(p.year, p.month + 1);
  Days on = begin, off = end;
  if (from) on = std::max(on, start_of(*from));
  if (until) off = std::min(off, start_of(*until));
  if (off <= on) return 0.0;
  return static_cast<double>((off - on).count()) / static_cast<double>((end - begin).count());
}

double in_service_fraction(const Pipeline& pl, const Period& p) {
  return share_between(pl.online, pl.retire, p);
}

namespace {

/// A supply's capacity as an annual rate in `year`: capacity x ramp since its `online`.
double supply_rate(const Node& n, int year) {
  double ramp = 1.0;
  if (n.online) {
    const int k = year - n.online->year;
    if (k < 0) return 0.0;
    if (k < static_cast<int>(n.ramp_up.size())) ramp = n.ramp_up[k];
  }
  return value_at(n.capacity, year) * ramp;
}

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

/// The monthly weights of a profile: its own 12, or the days of each month.
void weights_of(const std::vector<double>& profile, const MonthDays& days, double (&weights)[12]) {
  for (int m = 0; m < 12; ++m) weights[m] = profile.size() == 12 ? profile[m] : days.days[m];
}

}  // namespace

double pipeline_capacity_in(const Pipeline& pl, const Period& p) {
  if (p.month == 0) return effective_rate(pl, p.year) * p.years * in_service_fraction(pl, p);
  return period_volume(effective_rate(pl, p.year), p, MonthDays(p.year).days) *
         in_service_fraction(pl, p);
}

double supply_available_in(const Node& n, const Period& p) {
  const double share = share_between(n.online, n.retire, p);
  if (p.month == 0) return supply_rate(n, p.year) * p.years * share;
  double weights[12];
  weights_of(n.profile, MonthDays(p.year), weights);
  return period_volume(supply_rate(n, p.year), p, weights) * share;
}

double supply_period_volume(const Node& n, const Period& p, std::span<const Outage> outages) {
  if (outages.empty()) return supply_available_in(n, p);
  const double rate = supply_rate(n, p.year);
  double weights[12];
  weights_of(n.profile, MonthDays(p.year), weights);
  const double volume = p.month == 0 ? rate * p.years : period_volume(rate, p, weights);
  return volume * period_availability(
                      outages, p, rate,
                      n.online ? date_first_day({n.online->year, n.online->month, 0}) : INT_MIN,
                      n.retire ? date_first_day({n.retire->year, n.retire->month, 0}) : INT_MAX);
}

namespace {

/// Annual rate -> volume for period `p`: the whole year, or the month's share of it by the
/// days of the months.
double days_volume(double rate, const Period& p) {
  if (p.month == 0) return rate * p.years;
  return month_volume(rate, MonthDays(p.year).days, p.month);
}

}  // namespace

double pipeline_period_capacity(const Pipeline& pl, const Period& p,
                                std::span<const Outage> outages) {
  if (outages.empty()) return pipeline_capacity_in(pl, p);
  const double rate = effective_rate(pl, p.year);
  const double share = period_availability(
      outages, p, rate,
      pl.online ? date_first_day({pl.online->year, pl.online->month, 0}) : INT_MIN,
      pl.retire ? date_first_day({pl.retire->year, pl.retire->month, 0}) : INT_MAX);
  return days_volume(rate, p) * share;
}

double rate_period_volume(const Series& rate, const Period& p, std::span<const Outage> outages) {
  const double r = value_at(rate, p.year);
  return days_volume(r, p) * (outages.empty() ? 1.0 : period_availability(outages, p, r));
}

namespace {

/// What a demand node takes in a period: its demand `wanted`, at most its max_throughput over
/// the period, under the events on the node (a refinery turnaround): those derate the
/// throughput, or the demand itself when the node has no max_throughput. The demand is never
/// moved to another period: a turnaround lowers the period's demand, it is not a shortfall.
double intake_limit(const Node& n, const Period& p, double wanted,
                    std::span<const Outage> outages) {
  const bool limited = !n.max_throughput.points.empty();
  if (!limited && outages.empty()) return wanted;
  return intake_volume(outages, p, wanted,
                       limited ? std::optional(value_at(n.max_throughput, p.year)) : std::nullopt,
                       value_at(n.demand, p.year));
}

}  // namespace

double demand_in(const Node& n, const Period& p, std::span<const Outage> outages) {
  double wanted = value_at(n.demand, p.year) * p.years;
  if (p.month != 0) {
    double weights[12];
    weights_of(n.profile, MonthDays(p.year), weights);
    wanted = period_volume(value_at(n.demand, p.year), p, weights);
  }
  return intake_limit(n, p, wanted, outages);
}

std::int64_t scaled_flow(double volume) {
  const double units = volume * kFlowUnitsPerVolume;
  if (std::isnan(volume) || units > static_cast<double>(kMaxScaledFlow)) return -1;
  return units <= 0.0 ? std::int64_t{0} : static_cast<std::int64_t>(std::llround(units));
}

PeriodBounds period_bounds(const Scenario& s, const Network& net, const Period& p) {
  PeriodBounds b;
  b.period = p;
  const MonthDays days(p.year);
  const bool events = !s.events.empty();
  auto outages = [&](const std::string& id) {
    return events ? outages_of(s, id) : std::vector<Outage>{};
  };
  b.pipeline_capacity.reserve(net.pipelines.size());
  b.pipeline_cost.reserve(net.pipelines.size());
  for (int i : net.pipelines) {
    const Pipeline& pl = s.pipelines[i];
    b.pipeline_capacity.push_back(pipeline_period_capacity(pl, p, outages(pl.id)));
    b.pipeline_cost.push_back(transport_cost_per_unit(pl, p.year));
  }
  for (int i : net.supplies) {
    const Node& n = s.nodes[i];
    b.supply_available.push_back(supply_period_volume(n, p, outages(n.id)));
    b.supply_cost.push_back(value_at(n.cost, p.year));
  }
  // One function for the demand bound, so that the ensemble's (demand_in) is this one.
  for (int i : net.demands) b.demand.push_back(demand_in(s.nodes[i], p, outages(s.nodes[i].id)));
  for (int i : net.storages) {
    const Node& n = s.nodes[i];
    const std::vector<Outage> out = outages(n.id);
    b.storage_injection.push_back(rate_period_volume(n.injection, p, out));
    b.storage_withdrawal.push_back(rate_period_volume(n.withdrawal, p, out));
    b.storage_volume.push_back(n.working_volume);
    b.storage_initial.push_back(level_volume(n.initial, n.working_volume));
    b.storage_end.push_back(level_volume(n.end_target.value_or(n.initial), n.working_volume));
  }
  for (std::size_t k = 0; k < net.contracts.size(); ++k) {
    const Contract& c = s.contracts[net.contracts[k]];
    double weights[12];
    weights_of(c.profile, days, weights);
    const double share = share_between(c.start, c.end, p);
    ContractPeriod cp;
    cp.hard = c.rule == ContractRule::Hard;
    if (share > 0.0) {
      cp.acq = period_volume(value_at(c.acq, p.year), p, weights) * share;
      if (c.min_take.given())
        cp.min = period_volume(c.min_take.rate(c.acq, p.year), p, weights) * share;
      const double max_rate =
          c.max_take.given() ? c.max_take.rate(c.acq, p.year) : value_at(c.acq, p.year);
      cp.max = period_volume(max_rate, p, weights) * share;
    }
    // A route's contract volume is priced by the supplies that feed the route: its arcs
    // carry no price, only the take-or-pay that taking saves.
    const int supply = net.contract_supply[k];
    if (supply >= 0) cp.price = c.price.empty() ? b.supply_cost[supply] : value_at(c.price, p.year);
    cp.take_or_pay = c.take_or_pay.empty() ? cp.price : value_at(c.take_or_pay, p.year);
    b.contract.push_back(cp);
  }
  return b;
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

/// Scales the period's costs into `out.cost`, sets C and the tier penalties; records the first
/// cost that cannot be scaled (network.h) in `error`.
class CostScaler {
 public:
  CostScaler(const Network& net, ScaleError& error) : net_(net), error_(error) {}

  bool ok() const { return ok_; }

  /// The scaled cost of `usd_per_unit`, the `what` of `entity` ("tariff" of "pipeline 'p'"). A
  /// cost that is not finite, negative or above kMaxScaledCost is recorded (the first one only)
  /// and scaled as 0; llround is never called out of range.
  std::int64_t scale(double usd_per_unit, const std::string& cost_name, const std::string& entity,
                     const SourceLocation& where) {
    const double scaled = usd_per_unit * kCostScale;
    if (std::isfinite(usd_per_unit) && usd_per_unit >= 0.0 &&
        scaled <= static_cast<double>(kMaxScaledCost)) {
      return static_cast<std::int64_t>(std::llround(scaled));
    }
    if (ok_) {
      const std::string unit(cost_unit(net_.commodity));
      const bool usable = std::isfinite(usd_per_unit) && usd_per_unit >= 0.0;
      const std::string what = cost_name + " of " + entity;
      error_ = ScaleError{
          entity,
          Diagnostic{
              Severity::Error, where,
              usable ? what + " is too large to dispatch exactly: " + number(usd_per_unit) + " " +
                           unit + " exceeds the limit of " +
                           number(static_cast<double>(kMaxScaledCost) / kCostScale) + " " + unit
                     : what + " must be a finite number not below 0, got " + number(usd_per_unit),
              "check the unit and magnitude of this value"}};
      ok_ = false;
    }
    return 0;
  }

 private:
  const Network& net_;
  ScaleError& error_;
  bool ok_ = true;
};

const SourceLocation& or_else(const SourceLocation& w, const SourceLocation& fallback) {
  return w.line > 0 ? w : fallback;
}

/// Costs of one layer's arcs (network.h) at the layer's offset, from its period's bounds.
/// False with `error` set when a cost cannot be scaled.
bool scale_layer_costs(const Scenario& s, const Network& net, const PeriodBounds& b, int layer,
                       CostScaler& costs, ScaledPeriod& out) {
  const int shift = layer * net.layer_arcs;
  const std::size_t nk = net.contracts.size();
  for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
    const Pipeline& p = s.pipelines[net.pipelines[i]];
    // The arc cost is what a unit pays to pass: the tariff plus any transit fee. A message
    // about it names the fee only when there is one.
    const bool fee = value_at(p.transit_fee, b.period.year) != 0.0;
    const SourceLocation& where = p.tariff_where.line > 0               ? p.tariff_where
                                  : fee && p.transit_fee_where.line > 0 ? p.transit_fee_where
                                                                        : p.where;
    const std::int64_t cost =
        costs.scale(b.pipeline_cost[i], fee ? "tariff and transit fee" : "tariff",
                    "pipeline '" + p.id + "'", where);
    out.cost[net.pipeline_arc[i] + shift] = cost;
    if (net.pipeline_rev_arc[i] >= 0) out.cost[net.pipeline_rev_arc[i] + shift] = cost;
  }
  for (std::size_t i = 0; i < net.supplies.size(); ++i) {
    const Node& n = s.nodes[net.supplies[i]];
    out.cost[net.supply_cost_arc[i] + shift] = costs.scale(
        b.supply_cost[i], "cost", std::string(node_kind_name(n.kind)) + " '" + n.id + "'",
        or_else(n.cost_where, n.where));
  }
  for (std::size_t k = 0; k < nk; ++k) {
    const Contract& c = s.contracts[net.contracts[k]];
    const ContractPeriod& cp = b.contract[k];
    const std::string entity = "contract '" + c.id + "'";
    const std::int64_t price =
        costs.scale(cp.price, "price", entity, or_else(c.price_where, c.where));
    const std::int64_t top =
        cp.hard ? 0
                : costs.scale(cp.take_or_pay, "take_or_pay", entity,
                              or_else(c.take_or_pay_where, or_else(c.price_where, c.where)));
    out.cost[net.contract_min_arc[k] + shift] = price - top;  // soft: what taking saves
    out.cost[net.contract_above_arc[k] + shift] = price;
    out.contract_take_or_pay[layer * nk + k] = top;
  }
  return costs.ok();
}

/// Costs of every arc of the solve (network.h), C and the tier penalties. False with `error`
/// set when a cost or a penalty cannot be scaled.
bool scale_costs(const Scenario& s, const Network& net, std::span<const PeriodBounds> layers,
                 ScaledPeriod& out, ScaleError& error) {
  CostScaler costs(net, error);
  out.cost.assign(net.num_arcs(), 0);
  out.contract_take_or_pay.assign(net.contracts.size() * net.layers, 0);
  for (int l = 0; l < net.layers; ++l) {
    if (!scale_layer_costs(s, net, layers[l], l, costs, out)) return false;
  }
  // One scaled unit per unit injected: storage never cycles for nothing (network.h).
  for (const std::vector<int>& arcs : net.storage_injection_arc) {
    for (int a : arcs) out.cost[a] = 1;
  }
  // C, in 128 bits: each cost is at most kMaxScaledCost in magnitude, but there may be many.
  __int128 cost_sum = 0;
  for (int a = 0; a < net.num_arcs(); ++a) {
    if (!is_penalty_arc(net.arc_kind[a])) cost_sum += out.cost[a] < 0 ? -out.cost[a] : out.cost[a];
  }
  out.real_cost_sum = static_cast<std::int64_t>(std::min<__int128>(cost_sum, kMaxScaledCost));
  // Tier penalties (network.h): (P - k + 1) * (C + 1), and (P + 1) * (C + 1) for the
  // end-of-year storage rule. One that does not fit is an error, never clamped: a clamped
  // penalty no longer outweighs every saving.
  auto tier_error = [&](const Node& node, __int128 levels, const std::string& what,
                        const SourceLocation& where) {
    const std::string unit(cost_unit(net.commodity));
    error = ScaleError{
        std::string(node_kind_name(node.kind)) + " node '" + node.id + "'",
        Diagnostic{
            Severity::Error, where,
            what + " is too large to dispatch exactly: " + number(static_cast<double>(levels)) +
                " x (the sum of all " + std::string(commodity_name(net.commodity)) +
                " supply costs and tariffs, " + number(static_cast<double>(cost_sum) / kCostScale) +
                " " + unit + ", + 0.001 " + unit + ") exceeds the limit of " +
                number(static_cast<double>(kMaxScaledCost) / kCostScale) + " " + unit,
            "check the units and magnitudes of supply costs and tariffs, or use fewer "
            "priority levels"}};
    return false;
  };
  for (std::size_t i = 0; i < net.demands.size(); ++i) {
    const Node& node = s.nodes[net.demands[i]];
    const __int128 levels = static_cast<__int128>(net.max_priority) - node.priority + 1;
    const __int128 tier = levels * (cost_sum + 1);
    if (levels < 1 || tier > kMaxScaledCost) {
      return tier_error(node, levels,
                        "the shortfall penalty of demand node '" + node.id + "' (priority " +
                            std::to_string(node.priority) + " of " +
                            std::to_string(net.max_priority) + ")",
                        or_else(node.priority_where, node.where));
    }
    for (int l = 0; l < net.layers; ++l) {
      out.cost[net.shortfall_arc[i] + l * net.layer_arcs] = static_cast<std::int64_t>(tier);
    }
  }
  if (!net.storage_short_arc.empty()) {
    const __int128 levels = static_cast<__int128>(net.max_priority) + 1;
    const __int128 tier = levels * (cost_sum + 1);
    if (tier > kMaxScaledCost) {
      const Node& node = s.nodes[net.storages.front()];
      return tier_error(node, levels, "the end-of-year penalty of storage node '" + node.id + "'",
                        node.where);
    }
    for (std::size_t k = 0; k < net.storage_short_arc.size(); ++k) {
      out.cost[net.storage_short_arc[k]] = static_cast<std::int64_t>(tier);
      out.cost[net.storage_excess_arc[k]] = static_cast<std::int64_t>(tier);
    }
  }
  return true;
}

/// The demand node with the largest scaled demand, for messages about the total.
struct Largest {
  std::int64_t units = -1;
  const Node* node = nullptr;
};

}  // namespace

bool scale_period(const Scenario& s, const Network& net, std::span<const PeriodBounds> layers,
                  ScaledPeriod& out, ScaleError& error) {
  if (static_cast<int>(layers.size()) != net.layers) {
    throw std::logic_error("scale_period: " + std::to_string(layers.size()) +
                           " period bounds for a network of " + std::to_string(net.layers) +
                           " layers");
  }
  const std::size_t nk = net.contracts.size();
  out.lower.assign(net.num_arcs(), 0);
  out.upper.assign(net.num_arcs(), 0);
  out.node_supply.assign(net.num_nodes, 0);
  out.contract_min.assign(nk * net.layers, 0);
  out.total_demand = 0;
  out.real_cost_sum = 0;
  out.relief_cost = 0;
  out.has_lower = false;
  if (!scale_costs(s, net, layers, out, error)) return false;
  const std::string unit(volume_unit(net.commodity));
  const Period& first_period = layers.front().period;
  std::string when = period_name(first_period);
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
  __int128 lower_sum = 0, demand = 0;
  Largest largest;
  for (int l = 0; l < net.layers; ++l) {
    const PeriodBounds& b = layers[l];
    const int shift = l * net.layer_arcs;
    when = period_name(b.period);
    for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
      const Pipeline& pl = s.pipelines[net.pipelines[i]];
      const std::int64_t u =
          scale(b.pipeline_capacity[i], "capacity", "pipeline '" + pl.id + "'", pl.capacity_where);
      out.upper[net.pipeline_arc[i] + shift] = u;
      if (net.pipeline_rev_arc[i] >= 0) out.upper[net.pipeline_rev_arc[i] + shift] = u;
    }
    for (std::size_t i = 0; i < net.supplies.size(); ++i) {
      const Node& n = s.nodes[net.supplies[i]];
      const std::int64_t available =
          scale(b.supply_available[i], "capacity",
                std::string(node_kind_name(n.kind)) + " '" + n.id + "'", n.capacity_where);
      // Without contracts a supply that sells only under contract sells nothing.
      const bool unsold = !n.spot && net.supply_cost_arc[i] == net.supply_arc[i];
      out.upper[net.supply_arc[i] + shift] = unsold ? 0 : available;
    }
    for (std::size_t k = 0; k < nk; ++k) {
      const Contract& c = s.contracts[net.contracts[k]];
      const ContractPeriod& cp = b.contract[k];
      const std::string entity = "contract '" + c.id + "'";
      const std::int64_t lo = scale(cp.min, "min_take", entity, or_else(c.min_take.where, c.where));
      const std::int64_t hi = scale(cp.max, "max_take", entity,
                                    or_else(c.max_take.where, or_else(c.acq_where, c.where)));
      out.contract_min[l * nk + k] = lo;
      out.upper[net.contract_min_arc[k] + shift] = lo;
      out.upper[net.contract_above_arc[k] + shift] = std::max<std::int64_t>(0, hi - lo);
      if (cp.hard && lo > 0) {
        out.lower[net.contract_min_arc[k] + shift] = lo;
        out.has_lower = true;
        lower_sum += lo;
      }
    }
    // A split's spot arc may carry all the split arc can: its bound is the split arc's, or 0
    // for a supply that sells only under contract (`spot: false`).
    for (std::size_t k = 0; k < net.splits.size(); ++k) {
      const int arc = net.split_arc[k];
      const bool closed =
          net.arc_kind[arc] == ArcKind::Supply && !s.nodes[net.arc_entity[arc]].spot;
      out.upper[net.splits[k].back() + shift] = closed ? 0 : out.upper[arc + shift];
    }
    for (std::size_t i = 0; i < net.demands.size(); ++i) {
      const Node& n = s.nodes[net.demands[i]];
      const std::int64_t d = scale(b.demand[i], "demand", "node '" + n.id + "'", n.demand_where);
      out.upper[net.delivery_arc[i] + shift] = d;
      out.upper[net.shortfall_arc[i] + shift] = d;
      demand += d;
      if (d > largest.units) largest = {d, &n};
    }
  }
  // Storage across the months (network.h): reservoirs and end nodes, with the inventories of
  // the year's first period.
  when = period_name(first_period);
  __int128 from_storage = 0, storage_flow = 0;  // what storage gives over the year: I0 - I1
  for (std::size_t k = 0; k < net.storage_reservoir.size(); ++k) {
    const Node& n = s.nodes[net.storages[k]];
    const std::string entity = "storage '" + n.id + "'";
    const PeriodBounds& first = layers.front();
    const std::int64_t volume =
        scale(first.storage_volume[k], "working_volume", entity, n.working_volume_where);
    const std::int64_t initial = scale(first.storage_initial[k], "initial inventory", entity,
                                       or_else(n.initial_where, n.where));
    const std::int64_t end =
        scale(first.storage_end[k], "end-of-year inventory", entity, or_else(n.end_where, n.where));
    for (int l = 0; l < net.layers; ++l) {
      when = period_name(layers[l].period);
      out.upper[net.storage_injection_arc[k][l]] =
          scale(layers[l].storage_injection[k], "injection", entity, n.injection_where);
      out.upper[net.storage_withdrawal_arc[k][l]] =
          scale(layers[l].storage_withdrawal[k], "withdrawal", entity, n.withdrawal_where);
      out.upper[net.storage_inventory_arc[k][l]] = volume;
    }
    when = period_name(first_period);
    out.upper[net.storage_short_arc[k]] = volume;
    out.upper[net.storage_excess_arc[k]] = volume;
    out.node_supply[net.storage_reservoir[k].front()] = initial;
    out.node_supply[net.storage_end_node[k]] = -end;
    from_storage += static_cast<__int128>(initial) - end;
    storage_flow += 2 * static_cast<__int128>(volume);
  }
  if (!ok) return false;
  const std::string commodity(commodity_name(net.commodity));
  const Node* largest_node = largest.node;
  const __int128 flow = demand + storage_flow;
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
  // The objective is at most (D + V + L) * (largest |cost| + C) (network.h); keep it, and
  // LEMON's potentials, far from int64 overflow.
  std::int64_t max_cost = 0;
  for (std::int64_t c : out.cost) max_cost = std::max(max_cost, c < 0 ? -c : c);
  const __int128 bound =
      (flow + lower_sum) * (static_cast<__int128>(max_cost) + out.real_cost_sum + 1);
  if (max_cost > kMaxScaledCost || out.real_cost_sum >= kMaxScaledCost ||
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
            number(static_cast<double>(out.real_cost_sum) / kCostScale) + " " + cost +
            ": demand x cost overflows 64-bit integer arithmetic",
        "check the units and magnitudes of demands, supply costs and tariffs; a shortfall "
        "penalty is the sum of all supply costs and tariffs per priority level"};
    return false;
  }
  out.total_demand = static_cast<std::int64_t>(demand);
  out.node_supply[net.source] = static_cast<std::int64_t>(demand - from_storage);
  out.node_supply[net.sink] = -static_cast<std::int64_t>(demand);
  // M for the relaxed solve of hard minimums (network.h): one tier above every other.
  if (out.has_lower) {
    int hard = 0;
    const Contract* first = nullptr;
    for (int l = 0; l < net.layers; ++l) {
      for (std::size_t k = 0; k < nk; ++k) {
        if (out.lower[net.contract_min_arc[k] + l * net.layer_arcs] > 0) {
          ++hard;
          if (!first) first = &s.contracts[net.contracts[k]];
        }
      }
    }
    const int top_tier = net.max_priority + (net.storage_short_arc.empty() ? 0 : 1);
    const __int128 m =
        (static_cast<__int128>(top_tier) + 1) * (static_cast<__int128>(out.real_cost_sum) + 1);
    const __int128 path = (2 + static_cast<__int128>(hard)) * m + out.real_cost_sum;
    const __int128 relaxed =
        (flow + lower_sum) * (m + static_cast<__int128>(max_cost) + out.real_cost_sum + 1);
    if (m > kMaxScaledCost || path > (static_cast<__int128>(1) << 61) ||
        relaxed > static_cast<__int128>(std::numeric_limits<std::int64_t>::max() / 4)) {
      const std::string cost(cost_unit(net.commodity));
      error.entity = "contract '" + first->id + "'";
      error.diagnostic = {
          Severity::Error, or_else(first->min_take.where, first->where),
          "the hard minimums of " + std::to_string(hard) + " contract(s) in " + when +
              " cannot be dispatched exactly: their relief tier (priority levels + 1) x (the "
              "sum of all " +
              commodity + " costs, " + number(static_cast<double>(out.real_cost_sum) / kCostScale) +
              " " + cost + ", + 0.001 " + cost + ") exceeds the limit of integer arithmetic",
          "check the units and magnitudes of supply costs, prices and tariffs"};
      return false;
    }
    out.relief_cost = static_cast<std::int64_t>(m);
  }
  return true;
}

bool scale_period(const Scenario& s, const Network& net, const PeriodBounds& b, ScaledPeriod& out,
                  ScaleError& error) {
  return scale_period(s, net, std::span<const PeriodBounds>(&b, 1), out, error);
}

bool scale_bounds(const Scenario& s, const Network& net, const PeriodBounds& b,
                  std::vector<std::int64_t>& arc_upper, std::int64_t& total_demand,
                  ScaleError& error) {
  ScaledPeriod period;
  const bool ok = scale_period(s, net, b, period, error);
  arc_upper = std::move(period.upper);
  total_demand = period.total_demand;
  return ok;
}

ScaledPeriod relax_hard_minimums(const Network& net, const ScaledPeriod& period) {
  ScaledPeriod relaxed = period;
  for (int l = 0; l < net.layers; ++l) {
    for (int base : net.contract_min_arc) {
      const int a = base + l * net.layer_arcs;
      if (relaxed.lower[a] == 0) continue;
      relaxed.lower[a] = 0;
      relaxed.cost[a] -= period.relief_cost;
    }
  }
  relaxed.has_lower = false;
  return relaxed;
}

void fill_splits_in_order(const Network& net, const ScaledPeriod& period,
                          std::vector<std::int64_t>& arc_flow) {
  for (int l = 0; l < net.layers; ++l) {
    const int shift = l * net.layer_arcs;
    for (const std::vector<int>& split : net.splits) {
      // Groups of equal cost, each refilled in split order above the lower bounds.
      std::vector<bool> done(split.size(), false);
      for (std::size_t i = 0; i < split.size(); ++i) {
        if (done[i]) continue;
        const std::int64_t cost = period.cost[split[i] + shift];
        std::int64_t pool = 0;
        for (std::size_t j = i; j < split.size(); ++j) {
          const int a = split[j] + shift;
          if (period.cost[a] != cost) continue;
          pool += arc_flow[a] - period.lower[a];
        }
        for (std::size_t j = i; j < split.size(); ++j) {
          const int a = split[j] + shift;
          if (period.cost[a] != cost) continue;
          done[j] = true;
          const std::int64_t take = std::min(pool, period.upper[a] - period.lower[a]);
          arc_flow[a] = period.lower[a] + take;
          pool -= take;
        }
      }
    }
  }
}

}  // namespace corridor
