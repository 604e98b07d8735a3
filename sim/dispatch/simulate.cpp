#include "corridor/simulate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "corridor/economics.h"
#include "tracing.h"

namespace corridor {
namespace {

double to_volume(std::int64_t units) { return static_cast<double>(units) / kFlowUnitsPerVolume; }

/// A volume for a message: at most 6 decimals, no trailing zeros ("32.3", "0.000001").
std::string format_volume(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string out = buf;
  while (!out.empty() && out.back() == '0') out.pop_back();
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out == "-0" ? "0" : out;
}

/// "2030" or "2030-07".
std::string period_label(const Period& p) {
  char buf[16];
  if (p.month == 0) {
    std::snprintf(buf, sizeof buf, "%d", p.year);
  } else {
    std::snprintf(buf, sizeof buf, "%d-%02d", p.year, p.month);
  }
  return buf;
}

/// A route resolved to positions in Network::pipelines, with the direction of travel of each.
struct RouteArcs {
  std::vector<int> position;  ///< index into Network::pipelines
  std::vector<int> pipeline;  ///< scenario pipeline index
  std::vector<int> sign;      ///< +1 when the route runs from -> to, -1 against
  int meter = -1;             ///< index into position/sign
};

std::vector<RouteArcs> resolve_routes(const Network& net) {
  std::vector<RouteArcs> out;
  for (std::size_t slot = 0; slot < net.routes.size(); ++slot) {
    RouteArcs ra;
    for (int position : net.route_pipelines[slot]) {
      ra.position.push_back(position);
      ra.pipeline.push_back(net.pipelines[position]);
    }
    ra.sign = net.route_signs[slot];
    ra.meter = net.route_meter[slot];
    out.push_back(std::move(ra));
  }
  return out;
}

/// The scenario pipeline index of a route's bottleneck (PeriodResult::route_bottleneck), from
/// each of its pipelines' flow along the route (`forward`) and capacity, by route position: a
/// pipeline out of service (capacity 0) on an otherwise open route blocks it whole; else, when
/// the route carried something, its most utilised pipeline along the route (the first on a
/// tie). -1 when no pipeline is in service, or when the route carried nothing through open
/// pipelines: nothing then limited it.
int route_bottleneck(const RouteArcs& ra, const std::vector<double>& forward,
                     const std::vector<double>& capacity, double volume) {
  int bottleneck = -1, closed = -1;
  bool any_open = false;
  double best = -1.0;
  for (std::size_t j = 0; j < ra.position.size(); ++j) {
    if (capacity[j] <= 0.0) {
      if (closed < 0) closed = ra.pipeline[j];
      continue;
    }
    any_open = true;
    const double u = forward[j] / capacity[j];
    if (u > best) best = u, bottleneck = ra.pipeline[j];
  }
  if (!any_open) return -1;
  if (closed >= 0) return closed;
  return volume > kHalfFlowUnit ? bottleneck : -1;
}

/// Route volume, capacity and bottleneck of one period from its pipeline flows. The volume is
/// the meter's flow along the route, never negative (flow against the route on a bidirectional
/// meter is not the route's), and at most the route's capacity: a meter that also carries
/// other flows (gas joining between the route's narrowest pipeline and the meter) can carry
/// more than the route lets through, and that excess is not the route's either.
void fill_routes(const std::vector<RouteArcs>& routes, PeriodResult& r) {
  r.route_volume.clear();
  r.route_capacity.clear();
  r.route_bottleneck.clear();
  std::vector<double> forward, capacity;
  for (const RouteArcs& ra : routes) {
    forward.clear();
    capacity.clear();
    double route_capacity = r.pipeline_capacity[ra.position.front()];
    for (std::size_t j = 0; j < ra.position.size(); ++j) {
      const int p = ra.position[j];
      forward.push_back(std::max(0.0, ra.sign[j] * r.pipeline_flow[p]));
      capacity.push_back(r.pipeline_capacity[p]);
      route_capacity = std::min(route_capacity, capacity.back());
    }
    const double volume = std::min(forward[ra.meter], route_capacity);
    r.route_volume.push_back(volume);
    r.route_capacity.push_back(route_capacity);
    r.route_bottleneck.push_back(route_bottleneck(ra, forward, capacity, volume));
  }
}

/// The arcs into and out of each network node, for the residual search of fill_limits().
struct Incidence {
  std::vector<std::vector<int>> in, out;
};

Incidence incidence(const Network& net) {
  Incidence inc;
  inc.in.resize(net.num_nodes);
  inc.out.resize(net.num_nodes);
  for (int a = 0; a < net.num_arcs(); ++a) {
    inc.out[net.arc_tail[a]].push_back(a);
    inc.in[net.arc_head[a]].push_back(a);
  }
  return inc;
}

/// Indices ordered by `flow` descending, ties by `index` ascending.
std::vector<int> by_flow(std::vector<std::pair<std::int64_t, int>> flow_and_index) {
  std::sort(flow_and_index.begin(), flow_and_index.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<int> out;
  for (const auto& [flow, index] : flow_and_index) out.push_back(index);
  return out;
}

/// PeriodResult::limiting_pipelines and limiting_supplies of a solved period (simulate.h): the
/// saturated arcs out of what the supplies can still reach through the residual network of
/// the real arcs, into nodes that lead to a short demand node through lines in service.
/// Contract and spot arcs of a split (network.h) are real arcs too, and an arc can give back
/// only what it carries above its lower bound. In a network of several layers (network.h) the
/// period is layer `layer`; the storage arcs that join the months are not real arcs here, so
/// each month's cut is taken as if storage moved no more than it did.
void fill_limits(const Network& net, const Incidence& inc, const ScaledPeriod& period,
                 const FlowSolution& sol, int layer, PeriodResult& r) {
  const int shift = layer * net.layer_arcs;
  if (sol.status != FlowStatus::Optimal) return;
  const std::vector<std::int64_t>& upper = period.upper;
  const std::vector<std::int64_t>& lower = period.lower;
  auto search = [&](std::vector<char>& seen, std::vector<int> queue, auto&& next) {
    for (int x : queue) seen[x] = 1;
    for (std::size_t k = 0; k < queue.size(); ++k) {
      next(queue[k], [&](int y) {
        if (!seen[y]) seen[y] = 1, queue.push_back(y);
      });
    }
  };
  // The nodes that lead to a short demand node through pipelines in service this period.
  std::vector<int> short_nodes;
  for (std::size_t i = 0; i < net.demands.size(); ++i) {
    const int a = net.shortfall_arc[i] + shift;
    if (sol.arc_flow[a] > 0) short_nodes.push_back(net.arc_head[a]);
  }
  if (short_nodes.empty()) return;
  auto pipeline = [&](int a) {
    return net.arc_kind[a] == ArcKind::Pipeline || net.arc_kind[a] == ArcKind::PipelineReverse;
  };
  // The parallel arcs into a split node (network.h): on a route seller they are part of the
  // meter pipeline.
  auto split = [&](int a) { return is_split_arc(net.arc_kind[a]); };
  std::vector<char> leads(net.num_nodes, 0);
  search(leads, short_nodes, [&](int x, auto&& mark) {
    for (int a : inc.in[x]) {
      if ((pipeline(a) || (split(a) && net.arc_tail[a] != net.source)) && upper[a] > 0)
        mark(net.arc_tail[a]);
    }
  });
  // What the supplies can still send more to: from the super source over arcs with room left,
  // and back over arcs that carry flow; never over shortfall or delivery arcs.
  auto real = [&](int a) { return pipeline(a) || split(a) || net.arc_kind[a] == ArcKind::Supply; };
  std::vector<char> reached(net.num_nodes, 0);
  search(reached, {net.source}, [&](int x, auto&& mark) {
    for (int a : inc.out[x]) {
      if (real(a) && sol.arc_flow[a] < upper[a]) mark(net.arc_head[a]);
    }
    for (int a : inc.in[x]) {
      if (real(a) && sol.arc_flow[a] > lower[a]) mark(net.arc_tail[a]);
    }
  });
  auto on_cut = [&](int a) {
    return a >= 0 && upper[a] > 0 && reached[net.arc_tail[a]] && !reached[net.arc_head[a]] &&
           leads[net.arc_head[a]];
  };
  // A seller's arc that contracts split (network.h) leaves its split node m. When its
  // contracts cap it (max_take, and no spot sales), the cut runs through the parallel arcs
  // into m instead, m unreached: the seller limits delivery all the same.
  std::vector<int> split_of(static_cast<std::size_t>(net.layer_arcs), -1);
  for (std::size_t k = 0; k < net.split_arc.size(); ++k)
    split_of[net.split_arc[k]] = static_cast<int>(k);
  auto seller_on_cut = [&](int a) {  // `a`: a pipeline or supply arc of this layer
    if (on_cut(a)) return true;
    const int k = split_of[a - shift];
    const int m = net.arc_tail[a], head = net.arc_head[a];
    if (k < 0 || upper[a] == 0 || reached[m] || reached[head] || !leads[head]) return false;
    for (int p : net.splits[k]) {
      if (upper[p + shift] > 0 && reached[net.arc_tail[p + shift]]) return true;
    }
    return false;
  };
  std::vector<std::pair<std::int64_t, int>> pipelines, supplies;
  for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
    for (int a : {net.pipeline_arc[i], net.pipeline_rev_arc[i]}) {
      if (a >= 0 && seller_on_cut(a + shift))
        pipelines.emplace_back(sol.arc_flow[a + shift], net.pipelines[i]);
    }
  }
  for (std::size_t i = 0; i < net.supplies.size(); ++i) {
    const int a = net.supply_arc[i] + shift;
    if (seller_on_cut(a)) supplies.emplace_back(sol.arc_flow[a], net.supplies[i]);
  }
  r.limiting_pipelines = by_flow(std::move(pipelines));
  r.limiting_supplies = by_flow(std::move(supplies));
}

/// The limits of a year from those of its months: each entity by the number of months it
/// limited delivery; on a tie, in order of first appearance (earlier months first, and within
/// a month larger flows first).
std::vector<int> limits_over(const std::vector<PeriodResult>& months, std::size_t first,
                             std::vector<int> PeriodResult::*field) {
  std::vector<int> order;
  std::vector<std::pair<std::int64_t, int>> count_and_index;
  for (std::size_t k = first; k < first + 12; ++k) {
    for (int e : months[k].*field) {
      const auto it = std::find(order.begin(), order.end(), e);
      if (it == order.end()) {
        order.push_back(e);
        count_and_index.emplace_back(1, e);
      } else {
        ++count_and_index[static_cast<std::size_t>(it - order.begin())].first;
      }
    }
  }
  // Stable on first appearance: sort by count only, keeping that order on ties.
  std::stable_sort(count_and_index.begin(), count_and_index.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<int> out;
  for (const auto& [count, e] : count_and_index) out.push_back(e);
  return out;
}

/// Period result of layer `layer` of a solve (0 for a network of one layer). `shares` are the
/// contract shares of every network node (tracing.h; empty without contracts).
PeriodResult to_result(const Scenario& s, const Network& net, const PeriodBounds& bounds,
                       const ScaledPeriod& period, const FlowSolution& sol,
                       const std::vector<RouteArcs>& routes, const Incidence* inc, int layer,
                       const std::vector<double>& shares) {
  PeriodResult r;
  r.period = bounds.period;
  r.status = sol.status;
  const std::vector<std::int64_t>& upper = period.upper;
  const int shift = layer * net.layer_arcs;
  r.pipeline_flow.reserve(net.pipelines.size());
  r.pipeline_capacity.reserve(net.pipelines.size());
  r.supply_available.reserve(net.supplies.size());
  r.supply_used.reserve(net.supplies.size());
  r.demand.reserve(net.demands.size());
  r.delivered.reserve(net.demands.size());
  r.shortfall.reserve(net.demands.size());
  for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
    std::int64_t f = sol.arc_flow[net.pipeline_arc[i] + shift];
    if (net.pipeline_rev_arc[i] >= 0) f -= sol.arc_flow[net.pipeline_rev_arc[i] + shift];
    r.pipeline_flow.push_back(to_volume(f));
    r.pipeline_capacity.push_back(to_volume(upper[net.pipeline_arc[i] + shift]));
  }
  for (std::size_t i = 0; i < net.supplies.size(); ++i) {
    r.supply_available.push_back(to_volume(upper[net.supply_arc[i] + shift]));
    r.supply_used.push_back(to_volume(sol.arc_flow[net.supply_arc[i] + shift]));
    r.supply_contracted.push_back(0.0);
  }
  // Without an optimal flow (which the shortfall arcs and the checked costs rule out) nothing
  // is known to arrive: report the whole demand as shortfall, never as delivered.
  const bool solved = sol.status == FlowStatus::Optimal;
  for (std::size_t i = 0; i < net.demands.size(); ++i) {
    const std::int64_t demand = upper[net.delivery_arc[i] + shift];
    const std::int64_t shortfall = solved ? sol.arc_flow[net.shortfall_arc[i] + shift] : demand;
    r.demand.push_back(to_volume(demand));
    r.delivered.push_back(to_volume(demand - shortfall));
    r.shortfall.push_back(to_volume(shortfall));
  }
  // Money: every real arc of the layer at its cost, except that contract minimum arcs are paid
  // at the contract price (their above-minimum arc's cost), not at price - take_or_pay or - M;
  // the storage injection tie-break (outside the layers) is left out, and the end-of-year
  // deviation penalty goes to December. Scaled cost is milli-USD per flow unit (1e-6 bcm or
  // Mt): objective units are 1e-9 MUSD.
  const double to_musd = 1.0 / (kCostScale * kFlowUnitsPerVolume);
  __int128 money = 0, penalty = 0, transport = 0;
  for (int a = shift; a < shift + net.layer_arcs; ++a) {
    const __int128 cost = static_cast<__int128>(sol.arc_flow[a]) * period.cost[a];
    const ArcKind kind = net.arc_kind[a];
    if (is_penalty_arc(kind)) {
      penalty += cost;
    } else if (kind != ArcKind::ContractMinimum) {
      money += cost;
      if (kind == ArcKind::Pipeline || kind == ArcKind::PipelineReverse) transport += cost;
    }
  }
  if (net.layers > 1 && layer + 1 == net.layers) {
    for (std::size_t k = 0; k < net.storage_short_arc.size(); ++k) {
      for (int a : {net.storage_short_arc[k], net.storage_excess_arc[k]}) {
        penalty += static_cast<__int128>(sol.arc_flow[a]) * period.cost[a];
      }
    }
  }
  const std::size_t contracts = net.contracts.size();
  for (std::size_t k = 0; k < contracts; ++k) {
    const Contract& c = s.contracts[net.contracts[k]];
    const std::size_t slot = layer * contracts + k;
    const std::int64_t at_min = sol.arc_flow[net.contract_min_arc[k] + shift];
    const std::int64_t taken = at_min + sol.arc_flow[net.contract_above_arc[k] + shift];
    money += static_cast<__int128>(at_min) * period.cost[net.contract_above_arc[k] + shift];
    const std::int64_t missed = period.contract_min[slot] - at_min;
    const double top = static_cast<double>(missed) *
                       static_cast<double>(period.contract_take_or_pay[slot]) * to_musd;
    r.contract_acq.push_back(bounds.contract[k].acq);
    r.contract_min.push_back(to_volume(period.contract_min[slot]));
    r.contract_taken.push_back(to_volume(taken));
    r.contract_take_or_pay_musd.push_back(top);
    r.take_or_pay_musd += top;
    r.contract_infeasible.push_back(c.rule == ContractRule::Hard && missed > 0);
    if (net.contract_supply[k] >= 0)
      r.supply_contracted[net.contract_supply[k]] += to_volume(taken);
    double to_buyers = 0.0;
    for (const std::string& buyer : c.buyers) {
      for (std::size_t i = 0; i < net.demands.size(); ++i) {
        if (s.nodes[net.demands[i]].id != buyer) continue;
        const int node = net.arc_tail[net.delivery_arc[i] + shift];
        to_buyers += r.delivered[i] * shares[static_cast<std::size_t>(node) * contracts + k];
      }
    }
    r.contract_to_buyers.push_back(to_buyers);
  }
  for (std::size_t i = 0; i < net.demands.size(); ++i) {
    double contracted = 0.0;
    const int node = net.arc_tail[net.delivery_arc[i] + shift];
    for (std::size_t k = 0; k < contracts; ++k) {
      contracted += r.delivered[i] * shares[static_cast<std::size_t>(node) * contracts + k];
    }
    r.delivered_contracted.push_back(contracted);
  }
  r.cost_musd = static_cast<double>(money) * to_musd;
  r.supply_cost_musd = static_cast<double>(money - transport) * to_musd;
  r.penalty_musd = static_cast<double>(penalty) * to_musd;
  for (std::size_t k = 0; k < net.storages.size(); ++k) {
    if (net.layers == 1) {  // yearly resolution: storage is a junction, nothing moves
      const double level = k < bounds.storage_initial.size() ? bounds.storage_initial[k] : 0.0;
      r.storage_start.push_back(level);
      r.storage_end.push_back(level);
      r.storage_injection.push_back(0.0);
      r.storage_withdrawal.push_back(0.0);
      continue;
    }
    // Conservation at the reservoir: start + injection = withdrawal + end.
    const std::int64_t end = sol.arc_flow[net.storage_inventory_arc[k][layer]];
    const std::int64_t in = sol.arc_flow[net.storage_injection_arc[k][layer]];
    const std::int64_t out = sol.arc_flow[net.storage_withdrawal_arc[k][layer]];
    r.storage_start.push_back(to_volume(end + out - in));
    r.storage_end.push_back(to_volume(end));
    r.storage_injection.push_back(to_volume(in));
    r.storage_withdrawal.push_back(to_volume(out));
  }
  fill_routes(routes, r);
  if (inc) fill_limits(net, *inc, period, sol, layer, r);  // null: not asked for (PeriodSolver)
  return r;
}

void add_into(std::vector<double>& total, const std::vector<double>& part) {
  for (std::size_t i = 0; i < total.size(); ++i) total[i] += part[i];
}

/// The year's result as the sum of its months.
PeriodResult sum_months(const std::vector<PeriodResult>& months, std::size_t first,
                        const std::vector<RouteArcs>& routes) {
  PeriodResult year = months[first];
  year.period.month = 0;
  year.period.years = 0.0;
  for (std::size_t k = first; k < first + 12; ++k) {
    const PeriodResult& m = months[k];
    year.period.years += m.period.years;
    if (k == first) continue;
    add_into(year.pipeline_flow, m.pipeline_flow);
    add_into(year.pipeline_capacity, m.pipeline_capacity);
    add_into(year.supply_available, m.supply_available);
    add_into(year.supply_used, m.supply_used);
    add_into(year.supply_contracted, m.supply_contracted);
    add_into(year.delivered_contracted, m.delivered_contracted);
    add_into(year.contract_acq, m.contract_acq);
    add_into(year.contract_min, m.contract_min);
    add_into(year.contract_taken, m.contract_taken);
    add_into(year.contract_to_buyers, m.contract_to_buyers);
    add_into(year.contract_take_or_pay_musd, m.contract_take_or_pay_musd);
    for (std::size_t k = 0; k < year.contract_infeasible.size(); ++k)
      year.contract_infeasible[k] |= m.contract_infeasible[k];
    year.take_or_pay_musd += m.take_or_pay_musd;
    add_into(year.demand, m.demand);
    add_into(year.delivered, m.delivered);
    add_into(year.shortfall, m.shortfall);
    add_into(year.storage_injection, m.storage_injection);
    add_into(year.storage_withdrawal, m.storage_withdrawal);
    year.storage_end = m.storage_end;  // the last month's (storage_start stays January's)
    for (std::size_t i = 0; i < year.market_limit.size() && i < m.market_limit.size(); ++i) {
      MarketLimit& y = year.market_limit[i];
      const MarketLimit& v = m.market_limit[i];
      y.remaining_flexibility += v.remaining_flexibility;
      y.cut_capacity += v.cut_capacity;
      y.cut_pipelines.insert(y.cut_pipelines.end(), v.cut_pipelines.begin(), v.cut_pipelines.end());
      y.cut_nodes.insert(y.cut_nodes.end(), v.cut_nodes.begin(), v.cut_nodes.end());
    }
    year.cost_musd += m.cost_musd;
    year.supply_cost_musd += m.supply_cost_musd;
    year.penalty_musd += m.penalty_musd;
    if (m.status != FlowStatus::Optimal) year.status = m.status;
  }
  for (MarketLimit& y : year.market_limit) {
    for (auto* list : {&y.cut_pipelines, &y.cut_nodes}) {
      std::sort(list->begin(), list->end());
      list->erase(std::unique(list->begin(), list->end()), list->end());
    }
  }
  // One more unit of annual rate gives each month its share of the year's days, so per unit
  // of annual rate the value is the day-weighted sum of the months' values.
  auto highest = [](int a, int b) { return a == 0 ? b : b == 0 ? a : std::min(a, b); };
  for (std::size_t i = 0; i < year.capacity_value.size(); ++i) {
    CapacityValue y;
    for (std::size_t k = first; k < first + 12; ++k) {
      if (i >= months[k].capacity_value.size()) continue;  // an infeasible month has none
      const CapacityValue& v = months[k].capacity_value[i];
      const double share = months[k].period.years;
      y.binding |= v.binding;
      y.shadow_cost += v.shadow_cost * share;
      y.shadow_shortfall += v.shadow_shortfall * share;
      y.relieved_priority = highest(y.relieved_priority, v.relieved_priority);
      y.worsened_priority = highest(y.worsened_priority, v.worsened_priority);
    }
    year.capacity_value[i] = y;
  }
  year.limiting_pipelines = limits_over(months, first, &PeriodResult::limiting_pipelines);
  year.limiting_supplies = limits_over(months, first, &PeriodResult::limiting_supplies);
  // A route's annual figures are what it carried and could carry month by month: the sums of
  // its monthly volumes and capacities (not its weakest pipeline's annual total, nor the net
  // of a meter used both ways), and its bottleneck by each pipeline's flow along the route
  // summed over the months.
  std::vector<double> forward, capacity;
  for (std::size_t q = 0; q < routes.size(); ++q) {
    const RouteArcs& ra = routes[q];
    forward.assign(ra.position.size(), 0.0);
    capacity.clear();
    for (std::size_t j = 0; j < ra.position.size(); ++j) {
      capacity.push_back(year.pipeline_capacity[ra.position[j]]);
    }
    double volume = 0.0, route_capacity = 0.0;
    for (std::size_t k = first; k < first + 12; ++k) {
      const PeriodResult& m = months[k];
      volume += m.route_volume[q];
      route_capacity += m.route_capacity[q];
      for (std::size_t j = 0; j < ra.position.size(); ++j) {
        forward[j] += std::max(0.0, ra.sign[j] * m.pipeline_flow[ra.position[j]]);
      }
    }
    year.route_volume[q] = volume;
    year.route_capacity[q] = route_capacity;
    year.route_bottleneck[q] = route_bottleneck(ra, forward, capacity, volume);
  }
  return year;
}

}  // namespace

std::string check_flow_invariants(const Network& net, const ScaledPeriod& period,
                                  const FlowSolution& sol) {
  if (sol.status != FlowStatus::Optimal) return "";  // nothing to check on a non-solution
  std::vector<__int128> balance(net.num_nodes, 0);
  __int128 real = 0, penalty = 0;
  for (int a = 0; a < net.num_arcs(); ++a) {
    const std::int64_t f = sol.arc_flow[a];
    if (f < period.lower[a] || f > period.upper[a]) {
      return "arc " + std::to_string(a) + " flow " + std::to_string(f) + " outside [" +
             std::to_string(period.lower[a]) + ", " + std::to_string(period.upper[a]) + "]";
    }
    balance[net.arc_tail[a]] -= f;
    balance[net.arc_head[a]] += f;
    (is_penalty_arc(net.arc_kind[a]) ? penalty : real) += static_cast<__int128>(f) * period.cost[a];
  }
  if (period.node_supply.size() != static_cast<std::size_t>(net.num_nodes)) {
    return "no supply per network node";
  }
  for (int n = 0; n < net.num_nodes; ++n) {
    if (balance[n] != -static_cast<__int128>(period.node_supply[n])) {
      return "flow not conserved at network node " + std::to_string(n);
    }
  }
  if (real != sol.real_cost || penalty != sol.penalty) return "recomputed cost differs";
  // Complementary slackness of the duals: an arc with room to carry more has no negative
  // reduced cost, and an arc that carries more than its lower bound has no positive one.
  if (sol.node_potential.size() != static_cast<std::size_t>(net.num_nodes)) {
    return "no node potential per network node";
  }
  for (int a = 0; a < net.num_arcs(); ++a) {
    const __int128 reduced = static_cast<__int128>(period.cost[a]) +
                             sol.node_potential[net.arc_tail[a]] -
                             sol.node_potential[net.arc_head[a]];
    const std::int64_t f = sol.arc_flow[a];
    if ((f < period.upper[a] && reduced < 0) || (f > period.lower[a] && reduced > 0)) {
      return "arc " + std::to_string(a) + " flow " + std::to_string(f) + " of [" +
             std::to_string(period.lower[a]) + ", " + std::to_string(period.upper[a]) +
             "] has reduced cost " + std::to_string(static_cast<long long>(reduced)) +
             ": the potentials are not optimal duals";
    }
  }
  return "";
}

std::vector<RouteMeter> route_meters(const Scenario&, const Network& net) {
  std::vector<RouteMeter> out;
  for (const RouteArcs& ra : resolve_routes(net)) {
    out.push_back({ra.position[ra.meter], ra.sign[ra.meter]});
  }
  return out;
}

const ScaledPeriod& solve_with_relief(const Network& net, FlowSolver& solver,
                                      const ScaledPeriod& period, ScaledPeriod& relaxed,
                                      FlowSolution& sol, bool& infeasible,
                                      const std::string& where) {
  solver.solve(period, sol);
  infeasible = sol.status == FlowStatus::Infeasible && period.has_lower;
  const ScaledPeriod* solved = &period;
  if (infeasible) {
    relaxed = relax_hard_minimums(net, period);
    solver.solve(relaxed, sol);
    solved = &relaxed;
  }
  if (const std::string bad = check_flow_invariants(net, *solved, sol); !bad.empty()) {
    throw std::logic_error("flow invariant violated in " + where + ": " + bad);
  }
  if (sol.status != FlowStatus::Optimal) {
    throw std::logic_error("flow solver: " + std::string(flow_status_name(sol.status)) + " in " +
                           where + " without hard minimums");
  }
  fill_splits_in_order(net, *solved, sol.arc_flow);
  return *solved;
}

struct PeriodSolver::Impl {
  Impl(const Scenario& s, const Network& n, Detail d)
      : scenario(s), net(n), routes(resolve_routes(n)), inc(incidence(n)), detail(d), solver(n) {}
  const Scenario& scenario;
  const Network& net;
  const std::vector<RouteArcs> routes;
  const Incidence inc;
  const Detail detail;
  FlowSolver solver;
  FlowSolution sol;
  ScaledPeriod period, relaxed;
};

PeriodSolver::PeriodSolver(const Scenario& s, const Network& net, Detail detail)
    : impl_(std::make_unique<Impl>(s, net, detail)) {}
PeriodSolver::~PeriodSolver() = default;

void PeriodSolver::solve(const PeriodBounds& bounds, const ScaledPeriod& period,
                         PeriodResult& out) {
  Impl& m = *impl_;
  if (m.net.layers != 1) {
    throw std::logic_error("PeriodSolver: a network of " + std::to_string(m.net.layers) +
                           " layers (storage by month) solves a year at once, not a period");
  }
  const Period& p = bounds.period;
  bool infeasible = false;
  const ScaledPeriod& solved =
      solve_with_relief(m.net, m.solver, period, m.relaxed, m.sol, infeasible,
                        m.scenario.name + "/" + m.scenario.case_name + " " + period_label(p));
  const std::vector<double> shares =
      m.net.contracts.empty() ? std::vector<double>() : contract_shares(m.net, m.sol.arc_flow);
  out = to_result(m.scenario, m.net, bounds, solved, m.sol, m.routes,
                  m.detail == Detail::Full ? &m.inc : nullptr, 0, shares);
  if (infeasible) out.status = FlowStatus::Infeasible;
}

void PeriodSolver::solve(const Period& p, std::span<const std::int64_t> arc_upper,
                         std::int64_t total_demand, PeriodResult& out) {
  Impl& m = *impl_;
  if (m.net.layers != 1) {
    throw std::logic_error("PeriodSolver: a network of " + std::to_string(m.net.layers) +
                           " layers (storage by month) solves a year at once, not a period");
  }
  const PeriodBounds bounds = period_bounds(m.scenario, m.net, p);
  ScaleError error;
  if (!scale_period(m.scenario, m.net, bounds, m.period, error)) {
    throw std::logic_error("PeriodSolver: " + m.scenario.name + "/" + m.scenario.case_name + " " +
                           period_label(p) + " cannot be scaled: " + error.diagnostic.message);
  }
  if (arc_upper.size() != m.period.upper.size()) {
    throw std::logic_error("PeriodSolver: " + std::to_string(arc_upper.size()) +
                           " arc bounds for " + std::to_string(m.period.upper.size()) + " arcs");
  }
  m.period.upper.assign(arc_upper.begin(), arc_upper.end());
  m.period.total_demand = total_demand;
  m.period.node_supply[m.net.source] = total_demand;
  m.period.node_supply[m.net.sink] = -total_demand;
  solve(bounds, m.period, out);
}

PeriodResult PeriodSolver::sum_months(const std::vector<PeriodResult>& months,
                                      std::size_t first) const {
  return corridor::sum_months(months, first, impl_->routes);
}

namespace {

/// Dispatches every period of commodity `c` into `run`. Returns false, with `failure` naming
/// the case, period and entity, at the first period whose bounds cannot be scaled. A network
/// of 12 layers (storage with monthly resolution) solves the months of a year at once.
bool dispatch_commodity(const Scenario& s, Commodity c, const std::vector<Period>& all,
                        const ProgressFn& progress, const DispatchOptions& options,
                        CommodityRun& run, std::vector<Diagnostic>& warnings,
                        std::optional<CaseFailure>& failure) {
  run.network = build_network(s, c);
  const Network& net = run.network;
  const std::vector<RouteArcs> routes = resolve_routes(net);
  const Incidence inc = incidence(net);
  FlowSolver solver(net);  // graph built once per case and commodity
  std::optional<BottleneckAnalysis> analysis;
  if (options.bottlenecks) analysis.emplace(net);
  ScaledPeriod period, relaxed;
  FlowSolution sol;
  std::vector<PeriodResult>& target = s.resolution == Resolution::Month ? run.monthly : run.annual;
  ProgressEvent event{s.name, s.case_name, 0, 1, c, 0, static_cast<int>(all.size())};
  std::vector<PeriodBounds> layers(net.layers);
  for (std::size_t first = 0; first + net.layers <= all.size(); first += net.layers) {
    for (int l = 0; l < net.layers; ++l) layers[l] = period_bounds(s, net, all[first + l]);
    const Period& p = all[first];
    // Storage starts the year where the previous one ended.
    if (net.layers > 1 && first > 0) start_storage_at(s, net, target.back().storage_end, layers[0]);
    ScaleError error;
    if (!scale_period(s, net, layers, period, error)) {
      failure = CaseFailure{
          s.name, s.case_name, c, p, std::move(error.entity), std::move(error.diagnostic)};
      return false;
    }
    bool infeasible = false;
    const std::string where = s.name + "/" + s.case_name + " " +
                              (net.layers > 1 ? std::to_string(p.year) : period_label(p));
    const ScaledPeriod& solved =
        solve_with_relief(net, solver, period, relaxed, sol, infeasible, where);
    const std::vector<double> shares =
        net.contracts.empty() ? std::vector<double>() : contract_shares(net, sol.arc_flow);
    for (int l = 0; l < net.layers; ++l) {
      PeriodResult& result =
          target.emplace_back(to_result(s, net, layers[l], solved, sol, routes, &inc, l, shares));
      bool missed = false;
      for (char k : result.contract_infeasible) missed |= k != 0;
      if (infeasible && missed) result.status = FlowStatus::Infeasible;
      if (analysis) {
        if (infeasible) {
          // The relaxed dispatch is no optimum of the real problem: no values (simulate.h).
          result.capacity_value.assign(net.pipelines.size(), {});
          result.market_limit.assign(net.demands.size(), {});
        } else {
          analysis->analyse(s, solved, sol, l, result.capacity_value, result.market_limit);
        }
      }
      if (result.status != FlowStatus::Infeasible) continue;
      for (std::size_t k = 0; k < net.contracts.size(); ++k) {
        if (!result.contract_infeasible[k]) continue;
        const Contract& contract = s.contracts[net.contracts[k]];
        const std::string unit(volume_unit(c));
        warnings.push_back(
            {Severity::Warning,
             contract.min_take.where.line > 0 ? contract.min_take.where : contract.where,
             "hard contract '" + contract.id + "' cannot take its minimum of " +
                 format_volume(result.contract_min[k]) + " " + unit + " in " +
                 period_label(result.period) + " (" + s.name + "/" + s.case_name +
                 "): the network takes at most " + format_volume(result.contract_taken[k]) + " " +
                 unit + "; the period is reported infeasible",
             "check the seller's capacity and the pipelines from it to demand, or make the "
             "contract soft (rule: soft) to pay take-or-pay instead"});
      }
    }
    event.periods_done += net.layers;
    if (progress) progress(event);
  }
  if (s.resolution == Resolution::Month) {
    for (std::size_t k = 0; k < run.monthly.size(); k += 12) {
      run.annual.push_back(sum_months(run.monthly, k, routes));
    }
  }
  return true;
}

}  // namespace

CaseResult dispatch(std::shared_ptr<const Scenario> scenario, const ProgressFn& progress,
                    const DispatchOptions& options) {
  if (!scenario) throw std::logic_error("dispatch: no scenario");
  CaseResult out;
  out.scenario = std::move(scenario);
  const Scenario& s = *out.scenario;
  const std::vector<Period> all = periods(s);
  for (Commodity c : commodities_in(s)) {
    if (!dispatch_commodity(s, c, all, progress, options, out.runs.emplace_back(), out.warnings,
                            out.failure)) {
      break;
    }
  }
  return out;
}

CaseResult simulate(std::shared_ptr<const Scenario> s, const ProgressFn& progress,
                    const DispatchOptions& options) {
  CaseResult out = dispatch(std::move(s), progress, options);
  add_economics(out);  // annual only, from the complete annual rows
  return out;
}

CaseResult simulate(const Scenario& s, const ProgressFn& progress, const DispatchOptions& options) {
  return simulate(std::make_shared<const Scenario>(s), progress, options);
}

}  // namespace corridor
