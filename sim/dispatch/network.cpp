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
  std::map<std::string, int, std::less<>> index;  // scenario node id -> network node
  for (int i = 0; i < static_cast<int>(s.nodes.size()); ++i) {
    if (s.nodes[i].commodity != c) continue;
    index.emplace(s.nodes[i].id, static_cast<int>(net.node_entity.size()));
    net.node_entity.push_back(i);
  }
  const int scenario_nodes = static_cast<int>(net.node_entity.size());
  net.source = scenario_nodes;
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
    net.pipelines.push_back(i);
    net.pipeline_arc.push_back(add_arc(net, from->second, to->second, ArcKind::Pipeline, i));
    net.pipeline_rev_arc.push_back(
        p.bidirectional ? add_arc(net, to->second, from->second, ArcKind::PipelineReverse, i) : -1);
  }
  for (int n = 0; n < scenario_nodes; ++n) {
    const Node& node = s.nodes[net.node_entity[n]];
    if (node.kind == NodeKind::Supply) {
      net.supplies.push_back(net.node_entity[n]);
      net.supply_arc.push_back(add_arc(net, net.source, n, ArcKind::Supply, net.node_entity[n]));
      net.supply_cost_arc.push_back(net.supply_arc.back());
    } else if (node.kind == NodeKind::Demand) {
      net.demands.push_back(net.node_entity[n]);
      net.delivery_arc.push_back(add_arc(net, n, net.sink, ArcKind::Delivery, net.node_entity[n]));
      net.max_priority = std::max(net.max_priority, node.priority);
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

  // Contracts split their seller's arc (network.h): parallel arcs into a split node.
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

double demand_in(const Node& n, const Period& p) {
  if (p.month == 0) return value_at(n.demand, p.year) * p.years;
  double weights[12];
  weights_of(n.profile, MonthDays(p.year), weights);
  return period_volume(value_at(n.demand, p.year), p, weights);
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
  b.pipeline_capacity.reserve(net.pipelines.size());
  b.pipeline_cost.reserve(net.pipelines.size());
  for (int i : net.pipelines) {
    const Pipeline& pl = s.pipelines[i];
    b.pipeline_capacity.push_back(pipeline_capacity_in(pl, p));
    b.pipeline_cost.push_back(transport_cost_per_unit(pl, p.year));
  }
  for (int i : net.supplies) {
    b.supply_available.push_back(supply_available_in(s.nodes[i], p));
    b.supply_cost.push_back(value_at(s.nodes[i].cost, p.year));
  }
  for (int i : net.demands) b.demand.push_back(demand_in(s.nodes[i], p));
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

/// Costs of the period's arcs (network.h), C and the tier penalties. False with `error` set
/// when a cost or a penalty cannot be scaled.
bool scale_costs(const Scenario& s, const Network& net, const PeriodBounds& b, ScaledPeriod& out,
                 ScaleError& error) {
  CostScaler costs(net, error);
  out.cost.assign(net.num_arcs(), 0);
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
    out.cost[net.pipeline_arc[i]] = cost;
    if (net.pipeline_rev_arc[i] >= 0) out.cost[net.pipeline_rev_arc[i]] = cost;
  }
  for (std::size_t i = 0; i < net.supplies.size(); ++i) {
    const Node& n = s.nodes[net.supplies[i]];
    out.cost[net.supply_cost_arc[i]] = costs.scale(
        b.supply_cost[i], "cost", "supply '" + n.id + "'", or_else(n.cost_where, n.where));
  }
  out.contract_take_or_pay.assign(net.contracts.size(), 0);
  for (std::size_t k = 0; k < net.contracts.size(); ++k) {
    const Contract& c = s.contracts[net.contracts[k]];
    const ContractPeriod& cp = b.contract[k];
    const std::string entity = "contract '" + c.id + "'";
    const std::int64_t price =
        costs.scale(cp.price, "price", entity, or_else(c.price_where, c.where));
    const std::int64_t top =
        cp.hard ? 0
                : costs.scale(cp.take_or_pay, "take_or_pay", entity,
                              or_else(c.take_or_pay_where, or_else(c.price_where, c.where)));
    out.cost[net.contract_min_arc[k]] = price - top;  // soft: what taking saves
    out.cost[net.contract_above_arc[k]] = price;
    out.contract_take_or_pay[k] = top;
  }
  if (!costs.ok()) return false;
  // C, in 128 bits: each cost is at most kMaxScaledCost in magnitude, but there may be many.
  __int128 cost_sum = 0;
  for (int a = 0; a < net.num_arcs(); ++a) {
    if (net.arc_kind[a] != ArcKind::Shortfall)
      cost_sum += out.cost[a] < 0 ? -out.cost[a] : out.cost[a];
  }
  out.real_cost_sum = static_cast<std::int64_t>(std::min<__int128>(cost_sum, kMaxScaledCost));
  // Tier penalties (network.h): (P - k + 1) * (C + 1). One that does not fit is an error,
  // never clamped: a clamped penalty no longer outweighs every saving.
  for (std::size_t i = 0; i < net.demands.size(); ++i) {
    const Node& node = s.nodes[net.demands[i]];
    const __int128 levels = static_cast<__int128>(net.max_priority) - node.priority + 1;
    const __int128 tier = levels * (cost_sum + 1);
    if (levels >= 1 && tier <= kMaxScaledCost) {
      out.cost[net.shortfall_arc[i]] = static_cast<std::int64_t>(tier);
      continue;
    }
    const std::string unit(cost_unit(net.commodity));
    error = ScaleError{
        "demand node '" + node.id + "'",
        Diagnostic{
            Severity::Error, or_else(node.priority_where, node.where),
            "the shortfall penalty of demand node '" + node.id + "' (priority " +
                std::to_string(node.priority) + " of " + std::to_string(net.max_priority) +
                ") is too large to dispatch exactly: " + number(static_cast<double>(levels)) +
                " x (the sum of all " + std::string(commodity_name(net.commodity)) +
                " supply costs and tariffs, " + number(static_cast<double>(cost_sum) / kCostScale) +
                " " + unit + ", + 0.001 " + unit + ") exceeds the limit of " +
                number(static_cast<double>(kMaxScaledCost) / kCostScale) + " " + unit,
            "check the units and magnitudes of supply costs and tariffs, or use fewer "
            "priority levels"}};
    return false;
  }
  return true;
}

}  // namespace

bool scale_period(const Scenario& s, const Network& net, const PeriodBounds& b, ScaledPeriod& out,
                  ScaleError& error) {
  out.lower.assign(net.num_arcs(), 0);
  out.upper.assign(net.num_arcs(), 0);
  out.contract_min.assign(net.contracts.size(), 0);
  out.total_demand = 0;
  out.real_cost_sum = 0;
  out.relief_cost = 0;
  out.has_lower = false;
  if (!scale_costs(s, net, b, out, error)) return false;
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
    out.upper[net.pipeline_arc[i]] = u;
    if (net.pipeline_rev_arc[i] >= 0) out.upper[net.pipeline_rev_arc[i]] = u;
  }
  for (std::size_t i = 0; i < net.supplies.size(); ++i) {
    const Node& n = s.nodes[net.supplies[i]];
    const std::int64_t available =
        scale(b.supply_available[i], "capacity", "supply '" + n.id + "'", n.capacity_where);
    // Without contracts a supply that sells only under contract sells nothing.
    const bool unsold = !n.spot && net.supply_cost_arc[i] == net.supply_arc[i];
    out.upper[net.supply_arc[i]] = unsold ? 0 : available;
  }
  __int128 lower_sum = 0;
  for (std::size_t k = 0; k < net.contracts.size(); ++k) {
    const Contract& c = s.contracts[net.contracts[k]];
    const ContractPeriod& cp = b.contract[k];
    const std::string entity = "contract '" + c.id + "'";
    const std::int64_t lo = scale(cp.min, "min_take", entity, or_else(c.min_take.where, c.where));
    const std::int64_t hi =
        scale(cp.max, "max_take", entity, or_else(c.max_take.where, or_else(c.acq_where, c.where)));
    out.contract_min[k] = lo;
    out.upper[net.contract_min_arc[k]] = lo;
    out.upper[net.contract_above_arc[k]] = std::max<std::int64_t>(0, hi - lo);
    if (cp.hard && lo > 0) {
      out.lower[net.contract_min_arc[k]] = lo;
      out.has_lower = true;
      lower_sum += lo;
    }
  }
  // A split's spot arc may carry all the split arc can: its bound is the split arc's, or 0
  // for a supply that sells only under contract (`spot: false`).
  for (std::size_t k = 0; k < net.splits.size(); ++k) {
    const int arc = net.split_arc[k];
    const bool closed = net.arc_kind[arc] == ArcKind::Supply && !s.nodes[net.arc_entity[arc]].spot;
    out.upper[net.splits[k].back()] = closed ? 0 : out.upper[arc];
  }
  __int128 demand = 0;
  std::int64_t largest = -1;
  const Node* largest_node = nullptr;
  for (std::size_t i = 0; i < net.demands.size(); ++i) {
    const Node& n = s.nodes[net.demands[i]];
    const std::int64_t d = scale(b.demand[i], "demand", "node '" + n.id + "'", n.demand_where);
    out.upper[net.delivery_arc[i]] = d;
    out.upper[net.shortfall_arc[i]] = d;
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
  // The objective is at most (D + L) * (largest |cost| + C) (network.h); keep it, and LEMON's
  // potentials, far from int64 overflow.
  std::int64_t max_cost = 0;
  for (std::int64_t c : out.cost) max_cost = std::max(max_cost, c < 0 ? -c : c);
  const __int128 bound =
      (demand + lower_sum) * (static_cast<__int128>(max_cost) + out.real_cost_sum + 1);
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
                       number(static_cast<double>(largest) / kFlowUnitsPerVolume) + " " + unit + ")"
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
  // M for the relaxed solve of hard minimums (network.h): one tier above every priority.
  if (out.has_lower) {
    int hard = 0;
    const Contract* first = nullptr;
    for (std::size_t k = 0; k < net.contracts.size(); ++k) {
      if (out.lower[net.contract_min_arc[k]] > 0) {
        ++hard;
        if (!first) first = &s.contracts[net.contracts[k]];
      }
    }
    const __int128 m = (static_cast<__int128>(net.max_priority) + 1) *
                       (static_cast<__int128>(out.real_cost_sum) + 1);
    const __int128 path = (2 + static_cast<__int128>(hard)) * m + out.real_cost_sum;
    const __int128 relaxed =
        (demand + lower_sum) * (m + static_cast<__int128>(max_cost) + out.real_cost_sum + 1);
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
  for (int a : net.contract_min_arc) {
    if (relaxed.lower[a] == 0) continue;
    relaxed.lower[a] = 0;
    relaxed.cost[a] -= period.relief_cost;
  }
  relaxed.has_lower = false;
  return relaxed;
}

void fill_splits_in_order(const Network& net, const ScaledPeriod& period,
                          std::vector<std::int64_t>& arc_flow) {
  for (const std::vector<int>& split : net.splits) {
    // Groups of equal cost, each refilled in split order above the lower bounds.
    std::vector<bool> done(split.size(), false);
    for (std::size_t i = 0; i < split.size(); ++i) {
      if (done[i]) continue;
      const std::int64_t cost = period.cost[split[i]];
      std::int64_t pool = 0;
      for (std::size_t j = i; j < split.size(); ++j) {
        if (period.cost[split[j]] != cost) continue;
        pool += arc_flow[split[j]] - period.lower[split[j]];
      }
      for (std::size_t j = i; j < split.size(); ++j) {
        if (period.cost[split[j]] != cost) continue;
        done[j] = true;
        const int a = split[j];
        const std::int64_t take = std::min(pool, period.upper[a] - period.lower[a]);
        arc_flow[a] = period.lower[a] + take;
        pool -= take;
      }
    }
  }
}

}  // namespace corridor
