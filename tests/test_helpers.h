#pragma once
/// \file Test helpers: tiny Scenario builders that construct the model structs directly (no
/// YAML), and lookups of result rows by id.
///
/// Units are the canonical ones of scenario.h: flow rates in bcm/y, costs in USD/kcm, so a
/// volume in bcm times a cost in USD/kcm is million USD (the unit of PeriodResult::cost_musd).
///
///   Scenario s = scenario(2030, 2030);
///   s.nodes = {supply("S", 20, 100), demand("D", 10)};
///   s.pipelines = {pipe("P1", "S", "D", 15, 5)};
///   const CaseResult r = simulate(s);
///   CHECK(at(r, 2030).flow("P1") == exactly(10));
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corridor/bottlenecks.h"
#include "corridor/flow_solver.h"
#include "corridor/network.h"
#include "corridor/results.h"
#include "corridor/scenario.h"
#include "corridor/scenario_io.h"
#include "corridor/simulate.h"
#include "corridor/validate.h"

namespace corridor::test {

/// Fixture answers are hand-computed to well below the flow resolution (1e-6 bcm, one scaled
/// flow unit); compare with an absolute margin and no relative slack.
inline Approx exactly(double v) { return Approx(v).epsilon(0.0).margin(1e-6); }

/// A series from {year, value} points.
inline Series series(std::initializer_list<std::pair<const int, double>> points,
                     Interpolation interpolation = Interpolation::Step) {
  Series s;
  s.points = points;
  s.interpolation = interpolation;
  return s;
}

/// A supply node: `bcm_per_year` available at `cost_usd_per_kcm`.
inline Node supply(std::string id, double bcm_per_year, double cost_usd_per_kcm = 0.0) {
  Node n;
  n.id = std::move(id);
  n.kind = NodeKind::Supply;
  n.capacity = constant_series(bcm_per_year);
  n.cost = constant_series(cost_usd_per_kcm);
  return n;
}

/// A demand node wanting `bcm_per_year`; priority 1 is served first.
inline Node demand(std::string id, double bcm_per_year, int priority = 1) {
  Node n;
  n.id = std::move(id);
  n.kind = NodeKind::Demand;
  n.demand = constant_series(bcm_per_year);
  n.priority = priority;
  return n;
}

inline Node junction(std::string id) {
  Node n;
  n.id = std::move(id);
  n.kind = NodeKind::Junction;
  return n;
}

/// A one-way pipeline from -> to with a per-unit tariff (USD/kcm for the whole pipeline).
inline Pipeline pipe(std::string id, std::string from, std::string to, double capacity_bcm_per_year,
                     double tariff_usd_per_kcm = 0.0) {
  Pipeline p;
  p.id = std::move(id);
  p.from = std::move(from);
  p.to = std::move(to);
  p.capacity = constant_series(capacity_bcm_per_year);
  p.tariff_kind = TariffKind::PerUnit;
  p.tariff = constant_series(tariff_usd_per_kcm);
  return p;
}

/// As pipe(), usable in both directions with the same capacity and tariff per direction.
inline Pipeline bidirectional_pipe(std::string id, std::string from, std::string to,
                                   double capacity_bcm_per_year, double tariff_usd_per_kcm = 0.0) {
  Pipeline p = pipe(std::move(id), std::move(from), std::move(to), capacity_bcm_per_year,
                    tariff_usd_per_kcm);
  p.bidirectional = true;
  return p;
}

/// A route over `pipelines` in order; the meter defaults to the last pipeline.
inline Route route(std::string id, std::vector<std::string> pipelines, std::string meter = "") {
  Route r;
  r.id = std::move(id);
  r.pipelines = std::move(pipelines);
  r.meter = std::move(meter);
  return r;
}

/// An empty scenario over the years start..end (inclusive).
inline Scenario scenario(int start_year, int end_year, Resolution resolution = Resolution::Year) {
  Scenario s;
  s.name = "test";
  s.horizon.start_year = start_year;
  s.horizon.end_year = end_year;
  s.resolution = resolution;
  return s;
}

/// The run of commodity `c`; throws if the case has none.
inline const CommodityRun& run_of(const CaseResult& r, Commodity c = Commodity::Gas) {
  for (const CommodityRun& run : r.runs) {
    if (run.network.commodity == c) return run;
  }
  throw std::invalid_argument("no run for commodity " + std::string(commodity_name(c)));
}

/// Position of the entity named `id` in `entities` (scenario indices), or throws.
template <class Entities, class Indices>
int slot_of(const Entities& entities, const Indices& indices, std::string_view id,
            std::string_view what) {
  for (std::size_t k = 0; k < indices.size(); ++k) {
    if (entities[indices[k]].id == id) return static_cast<int>(k);
  }
  throw std::invalid_argument("no " + std::string(what) + " '" + std::string(id) + "' in results");
}

/// One result row (a year, or a month) of one commodity, with lookups by id.
struct Rows {
  const Scenario& scenario;
  const Network& net;
  const PeriodResult& row;

  int pipeline(std::string_view id) const {
    return slot_of(scenario.pipelines, net.pipelines, id, "pipeline");
  }
  int supply_slot(std::string_view id) const {
    return slot_of(scenario.nodes, net.supplies, id, "supply");
  }
  int demand_slot(std::string_view id) const {
    return slot_of(scenario.nodes, net.demands, id, "demand");
  }
  int route_slot(std::string_view id) const {
    return slot_of(scenario.routes, net.routes, id, "route");
  }

  /// Net flow, positive from -> to.
  double flow(std::string_view id) const { return row.pipeline_flow.at(pipeline(id)); }
  double capacity(std::string_view id) const { return row.pipeline_capacity.at(pipeline(id)); }
  double supply_used(std::string_view id) const { return row.supply_used.at(supply_slot(id)); }
  double supply_available(std::string_view id) const {
    return row.supply_available.at(supply_slot(id));
  }
  double demand(std::string_view id) const { return row.demand.at(demand_slot(id)); }
  double delivered(std::string_view id) const { return row.delivered.at(demand_slot(id)); }
  double shortfall(std::string_view id) const { return row.shortfall.at(demand_slot(id)); }
  double route_volume(std::string_view id) const { return row.route_volume.at(route_slot(id)); }
  double route_capacity(std::string_view id) const { return row.route_capacity.at(route_slot(id)); }
  /// Id of the route's most utilised pipeline, or "" when no pipeline on it has capacity.
  std::string route_bottleneck(std::string_view id) const {
    const int b = row.route_bottleneck.at(route_slot(id));
    return b < 0 ? std::string() : scenario.pipelines.at(b).id;
  }
};

/// The annual row of `year` (month 0), or the monthly row of (year, month).
inline Rows at(const CaseResult& r, int year, int month = 0, Commodity c = Commodity::Gas) {
  const CommodityRun& run = run_of(r, c);
  const std::vector<PeriodResult>& rows = month == 0 ? run.annual : run.monthly;
  for (const PeriodResult& p : rows) {
    if (p.period.year == year && p.period.month == month) return {*r.scenario, run.network, p};
  }
  throw std::invalid_argument("no result row for " + std::to_string(year) + "/" +
                              std::to_string(month));
}

/// One period solved directly with FlowSolver, outside simulate(): the scaled instance and
/// its solution, for tests that look at arcs and integer objectives.
struct DirectSolve {
  Network net;
  ScaledPeriod period;
  FlowSolution sol;
};

/// Builds the network of `c`, bounds and costs it for `p` and solves; throws if the period
/// cannot be scaled.
inline DirectSolve solve_directly(const Scenario& s, const Period& p,
                                  Commodity c = Commodity::Gas) {
  DirectSolve d;
  d.net = build_network(s, c);
  ScaleError error;
  if (!scale_period(s, d.net, period_bounds(s, d.net, p), d.period, error)) {
    throw std::invalid_argument(error.diagnostic.message);
  }
  FlowSolver solver(d.net);
  solver.solve(d.period, d.sol);
  return d;
}

/// The value of one more unit of capacity (bottlenecks.h) of every pipeline in every layer of
/// one solve, against a re-solve with that unit added (both directions of a bidirectional
/// pipeline, as capacity is per direction): the real cost must fall by exactly shadow_cost,
/// and the shortfall per priority tier move by exactly the tiers named. Returns "" or the
/// first mismatch; `binding` counts the binding pipelines seen.
inline std::string capacity_values_match_re_solves(const Scenario& s, const Network& net,
                                                   FlowSolver& solver, const ScaledPeriod& period,
                                                   const FlowSolution& base, int* binding) {
  const BottleneckAnalysis analysis(net);
  auto tiers = [&](const FlowSolution& sol, int layer) {
    std::map<int, std::int64_t> out;
    for (std::size_t i = 0; i < net.demands.size(); ++i) {
      out[s.nodes[net.demands[i]].priority] +=
          sol.arc_flow[net.shortfall_arc[i] + layer * net.layer_arcs];
    }
    return out;
  };
  auto tiers_all = [&](const FlowSolution& sol) {
    std::map<int, std::int64_t> out;
    for (int l = 0; l < net.layers; ++l) {
      for (const auto& [k, v] : tiers(sol, l)) out[k] += v;
    }
    return out;
  };
  // Real cost as reported: without the storage holding tie-break (network.h); a soft contract
  // minimum at price - take_or_pay, which differs from the money reported (price x taken +
  // take_or_pay x missed) by a constant of the period, so differences agree.
  auto reported = [&](const FlowSolution& sol) {
    std::int64_t cost = 0;
    for (int a = 0; a < net.num_arcs(); ++a) {
      const ArcKind k = net.arc_kind[a];
      if (!is_penalty_arc(k) && k != ArcKind::Injection && k != ArcKind::Inventory &&
          k != ArcKind::Withdrawal) {
        cost += sol.arc_flow[a] * period.cost[a];
      }
    }
    return cost;
  };
  const std::map<int, std::int64_t> before = tiers_all(base);
  for (int l = 0; l < net.layers; ++l) {
    std::vector<CapacityValue> values;
    std::vector<MarketLimit> markets;
    analysis.analyse(s, period, base, l, values, markets);
    for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
      const CapacityValue& v = values[i];
      if (binding && v.binding) ++*binding;
      ScaledPeriod more = period;
      ++more.upper[net.pipeline_arc[i] + l * net.layer_arcs];
      if (net.pipeline_rev_arc[i] >= 0) {
        ++more.upper[net.pipeline_rev_arc[i] + l * net.layer_arcs];
      }
      FlowSolution after;
      solver.solve(more, after);
      const std::string where =
          "pipeline '" + s.pipelines[net.pipelines[i]].id + "' layer " + std::to_string(l) + ": ";
      if (after.status != FlowStatus::Optimal) return where + "no optimal re-solve";
      const auto saved = static_cast<std::int64_t>(std::llround(v.shadow_cost * kCostScale));
      if (reported(base) - reported(after) != saved) {
        return where + "re-solve saves " + std::to_string(reported(base) - reported(after)) +
               " scaled units, shadow_cost says " + std::to_string(saved);
      }
      std::map<int, std::int64_t> expected = before;
      if (v.relieved_priority != 0) --expected[v.relieved_priority];
      if (v.worsened_priority != 0) ++expected[v.worsened_priority];
      if (tiers_all(after) != expected) return where + "shortfall per tier differs";
    }
  }
  return "";
}

/// Solves every period of every commodity of `s` with one FlowSolver per commodity (re-used
/// across periods, as simulate() does) and returns the first check_flow_invariants violation
/// or non-optimal status, or "". Also checks every pipeline's value of capacity against a
/// re-solve with one more unit (capacity_values_match_re_solves), so every fixture that calls
/// this checks the duals' shadow prices by finite differences.
inline std::string invariants_on_every_period(const Scenario& s) {
  for (Commodity c : commodities_in(s)) {
    const Network net = build_network(s, c);
    FlowSolver solver(net);
    FlowSolution sol;
    ScaledPeriod period;
    const std::vector<Period> all = periods(s);
    for (std::size_t first = 0; first < all.size(); first += net.layers) {
      const Period& p = all[first];
      std::vector<PeriodBounds> layers;
      for (int l = 0; l < net.layers; ++l) layers.push_back(period_bounds(s, net, all[first + l]));
      ScaleError error;
      if (!scale_period(s, net, layers, period, error)) return error.diagnostic.message;
      solver.solve(period, sol);
      const std::string bad = check_flow_invariants(net, period, sol);
      const std::string where = std::to_string(p.year) + "/" + std::to_string(p.month) + ": ";
      if (sol.status != FlowStatus::Optimal) {
        return where + std::string(flow_status_name(sol.status));
      }
      if (!bad.empty()) return where + bad;
      if (std::string fd = capacity_values_match_re_solves(s, net, solver, period, sol, nullptr);
          !fd.empty()) {
        return where + fd;
      }
    }
  }
  return "";
}

/// Every diagnostic of loading `path` (relative to the project root, as diagnostics print it)
/// and validating each of its cases, formatted, each once.
inline std::vector<std::string> problems(const std::string& path) {
  std::filesystem::current_path(CORRIDOR_SOURCE_DIR);
  std::vector<std::string> out;
  auto add = [&](const Diagnostic& d) {
    const std::string text = format_diagnostic(d);
    if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(text);
  };
  try {
    const LoadedScenario loaded = load_scenario(path);
    for (const Diagnostic& d : loaded.warnings) add(d);
    for (const auto& c : loaded.cases) {
      for (const Diagnostic& d : validate(*c)) add(d);
    }
  } catch (const InputError& e) {
    for (const Diagnostic& d : e.diagnostics()) add(d);
  }
  return out;
}

}  // namespace corridor::test
