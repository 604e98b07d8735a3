#include "corridor/simulate.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "corridor/economics.h"

namespace corridor {
namespace {

double to_volume(std::int64_t units) { return static_cast<double>(units) / kFlowUnitsPerVolume; }

/// A route resolved to positions in Network::pipelines, with the direction of travel of each.
struct RouteArcs {
  std::vector<int> position;  ///< index into Network::pipelines
  std::vector<int> pipeline;  ///< scenario pipeline index
  std::vector<int> sign;      ///< +1 when the route runs from -> to, -1 against
  int meter = -1;             ///< index into position/sign
};

std::vector<RouteArcs> resolve_routes(const Scenario& s, const Network& net) {
  std::vector<RouteArcs> out;
  for (std::size_t slot = 0; slot < net.routes.size(); ++slot) {
    const Route& route = s.routes[net.routes[slot]];
    RouteArcs ra;
    for (int position : net.route_pipelines[slot]) {
      ra.position.push_back(position);
      ra.pipeline.push_back(net.pipelines[position]);
    }
    const int k = static_cast<int>(ra.position.size());
    auto pl = [&](int j) -> const Pipeline& { return s.pipelines[net.pipelines[ra.position[j]]]; };
    for (int j = 0; j < k; ++j) {
      // Orientation follows the node shared with the next pipeline (or the previous, for the
      // last); validate() guarantees the path is connected.
      int sign = 1;
      if (j + 1 < k) {
        const Pipeline& next = pl(j + 1);
        sign = (pl(j).to == next.from || pl(j).to == next.to) ? 1 : -1;
      } else if (j > 0) {
        const Pipeline& prev = pl(j - 1);
        sign = (pl(j).from == prev.to || pl(j).from == prev.from) ? 1 : -1;
      }
      ra.sign.push_back(sign);
    }
    const std::string& meter = route.meter.empty() ? route.pipelines.back() : route.meter;
    for (int j = 0; j < k; ++j) {
      if (pl(j).id == meter) ra.meter = j;
    }
    if (ra.meter < 0) throw std::logic_error("route '" + route.id + "' meter not on the route");
    out.push_back(std::move(ra));
  }
  return out;
}

void fill_routes(const std::vector<RouteArcs>& routes, PeriodResult& r) {
  r.route_volume.clear();
  r.route_capacity.clear();
  r.route_bottleneck.clear();
  for (const RouteArcs& ra : routes) {
    const int m = ra.position[ra.meter];
    r.route_volume.push_back(ra.sign[ra.meter] * r.pipeline_flow[m]);
    // The bottleneck is the most utilised pipeline; a pipeline out of service on an otherwise
    // open route blocks it whole and is the bottleneck. A route with no pipeline in service
    // has none.
    double capacity = r.pipeline_capacity[ra.position.front()];
    int bottleneck = -1, closed = -1;
    bool any_open = false;
    double best = -1.0;
    for (std::size_t j = 0; j < ra.position.size(); ++j) {
      const int p = ra.position[j];
      capacity = std::min(capacity, r.pipeline_capacity[p]);
      if (r.pipeline_capacity[p] <= 0.0) {
        if (closed < 0) closed = ra.pipeline[j];
        continue;
      }
      any_open = true;
      const double u = utilisation(r.pipeline_flow[p], r.pipeline_capacity[p]);
      if (u > best) best = u, bottleneck = ra.pipeline[j];
    }
    r.route_capacity.push_back(capacity);
    r.route_bottleneck.push_back(!any_open ? -1 : closed >= 0 ? closed : bottleneck);
  }
}

PeriodResult to_result(const Network& net, const Period& p, const std::vector<std::int64_t>& upper,
                       const FlowSolution& sol, const std::vector<RouteArcs>& routes) {
  PeriodResult r;
  r.period = p;
  r.status = sol.status;
  for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
    std::int64_t f = sol.arc_flow[net.pipeline_arc[i]];
    if (net.pipeline_rev_arc[i] >= 0) f -= sol.arc_flow[net.pipeline_rev_arc[i]];
    r.pipeline_flow.push_back(to_volume(f));
    r.pipeline_capacity.push_back(to_volume(upper[net.pipeline_arc[i]]));
  }
  for (std::size_t i = 0; i < net.supplies.size(); ++i) {
    r.supply_available.push_back(to_volume(upper[net.supply_arc[i]]));
    r.supply_used.push_back(to_volume(sol.arc_flow[net.supply_arc[i]]));
  }
  // Without an optimal flow (which the shortfall arcs and the checked costs rule out) nothing
  // is known to arrive: report the whole demand as shortfall, never as delivered.
  const bool solved = sol.status == FlowStatus::Optimal;
  for (std::size_t i = 0; i < net.demands.size(); ++i) {
    const std::int64_t demand = upper[net.delivery_arc[i]];
    const std::int64_t shortfall = solved ? sol.arc_flow[net.shortfall_arc[i]] : demand;
    r.demand.push_back(to_volume(demand));
    r.delivered.push_back(to_volume(demand - shortfall));
    r.shortfall.push_back(to_volume(shortfall));
  }
  // Scaled cost is milli-USD per flow unit (1e-6 bcm or Mt): objective units are 1e-9 MUSD.
  r.cost_musd = static_cast<double>(sol.real_cost) / (kCostScale * kFlowUnitsPerVolume);
  r.penalty_musd = static_cast<double>(sol.penalty) / (kCostScale * kFlowUnitsPerVolume);
  fill_routes(routes, r);
  return r;
}

void add_into(std::vector<double>& total, const std::vector<double>& part) {
  for (std::size_t i = 0; i < total.size(); ++i) total[i] += part[i];
}

/// The year's result as the sum of its months; bottlenecks by annual utilisation.
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
    add_into(year.demand, m.demand);
    add_into(year.delivered, m.delivered);
    add_into(year.shortfall, m.shortfall);
    year.cost_musd += m.cost_musd;
    year.penalty_musd += m.penalty_musd;
    if (m.status != FlowStatus::Optimal) year.status = m.status;
  }
  fill_routes(routes, year);
  // A route's annual capacity is what it could carry month by month, not its weakest
  // pipeline's annual total.
  for (std::size_t r = 0; r < routes.size(); ++r) {
    year.route_capacity[r] = 0.0;
    for (std::size_t k = first; k < first + 12; ++k)
      year.route_capacity[r] += months[k].route_capacity[r];
  }
  return year;
}

}  // namespace

std::string check_flow_invariants(const Network& net, std::span<const std::int64_t> arc_upper,
                                  std::int64_t total_demand, const FlowSolution& sol) {
  if (sol.status != FlowStatus::Optimal) return "";  // nothing to check on a non-solution
  std::vector<__int128> balance(net.num_nodes, 0);
  __int128 real = 0, penalty = 0;
  for (int a = 0; a < net.num_arcs(); ++a) {
    const std::int64_t f = sol.arc_flow[a];
    if (f < 0 || f > arc_upper[a]) {
      return "arc " + std::to_string(a) + " flow " + std::to_string(f) + " outside [0, " +
             std::to_string(arc_upper[a]) + "]";
    }
    balance[net.arc_tail[a]] -= f;
    balance[net.arc_head[a]] += f;
    (net.arc_kind[a] == ArcKind::Shortfall ? penalty : real) +=
        static_cast<__int128>(f) * net.arc_cost[a];
  }
  for (int n = 0; n < net.num_nodes; ++n) {
    const __int128 want = n == net.source ? -total_demand : n == net.sink ? total_demand : 0;
    if (balance[n] != want) return "flow not conserved at network node " + std::to_string(n);
  }
  if (real != sol.real_cost || penalty != sol.penalty) return "recomputed cost differs";
  // Complementary slackness of the duals: an arc with room to carry more has no negative
  // reduced cost, and an arc that carries something has no positive one.
  if (sol.node_potential.size() != static_cast<std::size_t>(net.num_nodes)) {
    return "no node potential per network node";
  }
  for (int a = 0; a < net.num_arcs(); ++a) {
    const __int128 reduced = static_cast<__int128>(net.arc_cost[a]) +
                             sol.node_potential[net.arc_tail[a]] -
                             sol.node_potential[net.arc_head[a]];
    const std::int64_t f = sol.arc_flow[a];
    if ((f < arc_upper[a] && reduced < 0) || (f > 0 && reduced > 0)) {
      return "arc " + std::to_string(a) + " flow " + std::to_string(f) + " of [0, " +
             std::to_string(arc_upper[a]) + "] has reduced cost " +
             std::to_string(static_cast<long long>(reduced)) +
             ": the potentials are not optimal duals";
    }
  }
  return "";
}

namespace {

/// Dispatches every period of commodity `c` into `run`. Returns false, with `failure` naming
/// the case, period and entity, at the first period whose bounds cannot be scaled.
bool dispatch_commodity(const Scenario& s, Commodity c, const std::vector<Period>& all,
                        const ProgressFn& progress, CommodityRun& run,
                        std::optional<CaseFailure>& failure) {
  run.network = build_network(s, c);
  const Network& net = run.network;
  const std::vector<RouteArcs> routes = resolve_routes(s, net);
  FlowSolver solver(net);  // graph built once per case and commodity
  std::vector<std::int64_t> upper;
  FlowSolution sol;
  std::vector<PeriodResult>& target = s.resolution == Resolution::Month ? run.monthly : run.annual;
  ProgressEvent event{s.name, s.case_name, 0, 1, c, 0, static_cast<int>(all.size())};
  for (const Period& p : all) {
    const PeriodBounds bounds = period_bounds(s, net, p);
    std::int64_t total_demand = 0;
    ScaleError error;
    if (!scale_bounds(s, net, bounds, upper, total_demand, error)) {
      failure = CaseFailure{
          s.name, s.case_name, c, p, std::move(error.entity), std::move(error.diagnostic)};
      return false;
    }
    solver.solve(upper, total_demand, sol);
    if (const std::string bad = check_flow_invariants(net, upper, total_demand, sol);
        !bad.empty()) {
      throw std::logic_error("flow invariant violated in " + s.name + "/" + s.case_name + " " +
                             std::to_string(p.year) + ": " + bad);
    }
    target.push_back(to_result(net, p, upper, sol, routes));
    ++event.periods_done;
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

CaseResult dispatch(std::shared_ptr<const Scenario> scenario, const ProgressFn& progress) {
  if (!scenario) throw std::logic_error("dispatch: no scenario");
  CaseResult out;
  out.scenario = std::move(scenario);
  const Scenario& s = *out.scenario;
  const std::vector<Period> all = periods(s);
  for (Commodity c : commodities_in(s)) {
    if (!dispatch_commodity(s, c, all, progress, out.runs.emplace_back(), out.failure)) break;
  }
  return out;
}

CaseResult simulate(std::shared_ptr<const Scenario> s, const ProgressFn& progress) {
  CaseResult out = dispatch(std::move(s), progress);
  add_economics(out);  // annual only, from the complete annual rows
  return out;
}

CaseResult simulate(const Scenario& s, const ProgressFn& progress) {
  return simulate(std::make_shared<const Scenario>(s), progress);
}

}  // namespace corridor
