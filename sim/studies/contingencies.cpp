#include "corridor/contingencies.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>
#include <utility>

#include "corridor/events.h"
#include "corridor/flow_solver.h"
#include "corridor/run_pool.h"
#include "corridor/simulate.h"

namespace corridor {

std::string_view asset_kind_name(AssetKind k) {
  switch (k) {
    case AssetKind::Pipeline:
      return "pipeline";
    case AssetKind::Supply:
      return "supply";
    case AssetKind::Lng:
      return "lng";
    case AssetKind::Storage:
      return "storage";
    case AssetKind::Route:
      return "route";
  }
  return "?";
}

namespace {

constexpr const char* kWindowHint =
    "write e.g. \"3 months from 2031-01\", \"10 days from 2031-01-15\" or \"2031-01-15 to "
    "2031-03\"";

/// A date as events take it: "2031", "2031-03" or "2031-01-15".
bool parse_date(std::string_view s, Date& d) {
  int parts[3] = {0, 0, 0};
  int count = 0;
  std::size_t start = 0;
  while (count < 3) {
    const std::size_t dash = s.find('-', start);
    const std::string_view part =
        s.substr(start, dash == std::string_view::npos ? s.npos : dash - start);
    if (part.empty() || (count > 0 && part.size() != 2)) return false;
    const auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), parts[count]);
    if (ec != std::errc() || p != part.data() + part.size()) return false;
    ++count;
    if (dash == std::string_view::npos) break;
    start = dash + 1;
    if (count == 3) return false;
  }
  d = {parts[0], parts[1], parts[2]};
  if (d.year < kEarliestYear || d.year > kLatestYear) return false;
  if (count >= 2 && (d.month < 1 || d.month > 12)) return false;
  if (count == 3 && (d.day < 1 || d.day > days_in_month(d.year, d.month))) return false;
  return true;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    const std::size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

}  // namespace

bool parse_window(std::string_view text, OutageWindow& window, std::string& error) {
  const std::vector<std::string_view> w = words(text);
  const std::string quoted = "'" + std::string(text) + "'";
  if (w.size() == 3 && w[1] == "to") {
    Date from, to;
    if (!parse_date(w[0], from) || !parse_date(w[2], to)) {
      error =
          "window " + quoted + " has a date that is not a year, a month or a day; " + kWindowHint;
      return false;
    }
    window = {date_first_day(from), date_end_day(to)};
    if (window.end_day <= window.first_day) {
      error = "window " + quoted + " ends before it starts; " + std::string(kWindowHint);
      return false;
    }
    return true;
  }
  if (w.size() == 4 && w[2] == "from") {
    int n = 0;
    const auto [p, ec] = std::from_chars(w[0].data(), w[0].data() + w[0].size(), n);
    Date from;
    if (ec != std::errc() || p != w[0].data() + w[0].size() || n < 1 || n > 1200) {
      error = "window " + quoted +
              " must start with a whole number of days, weeks, months or "
              "years from 1; " +
              kWindowHint;
      return false;
    }
    if (!parse_date(w[3], from)) {
      error =
          "window " + quoted + " has a start that is not a year, a month or a day; " + kWindowHint;
      return false;
    }
    std::string_view unit = w[1];
    if (unit.size() > 1 && unit.back() == 's') unit.remove_suffix(1);
    const int first = date_first_day(from);
    if (unit == "day" || unit == "week") {
      window = {first, first + n * (unit == "day" ? 1 : 7)};
      return true;
    }
    if (unit == "month" || unit == "year") {
      const int months = unit == "month" ? n : 12 * n;
      const int m0 = (from.month == 0 ? 1 : from.month) - 1 + months;
      window = {first, day_number(from.year + m0 / 12, m0 % 12 + 1, from.day == 0 ? 1 : from.day)};
      return true;
    }
    error = "window " + quoted + " has unknown unit '" + std::string(w[1]) +
            "'; use days, weeks, months or years: " + kWindowHint;
    return false;
  }
  error = "cannot read window " + quoted + "; " + kWindowHint;
  return false;
}

double lost_volume(const YearOutcome& base, const YearOutcome& out) {
  double lost = 0.0;
  for (std::size_t i = 0; i < base.delivered.size(); ++i) {
    lost += base.delivered[i] - out.delivered[i];
  }
  return lost;
}

namespace {

/// One case and commodity, ready for solves: the network, its base bounds per period, and
/// where each asset's bounds live.
struct Prepared {
  const Scenario* s = nullptr;
  CommodityContingencies* run = nullptr;
  std::vector<Period> periods;
  std::vector<PeriodBounds> bounds;     ///< per period, with the scenario's events
  std::vector<std::size_t> year_first;  ///< per horizon year: its first period
  std::vector<RouteMeter> meters;
  std::vector<int> pipeline_pos, node_pos;  ///< scenario index -> position, or -1
  /// Per horizon year and asset (k = 2 only): the markets its base flow reaches.
  std::vector<std::vector<std::vector<char>>> served;
};

constexpr double kVolume = 1.0 / kFlowUnitsPerVolume;

/// Solves the periods [first, first + count) of `p` with `bounds` (already changed for the
/// assets out) and sums them into `out`. Returns the number of solves, or throws on a scaling
/// failure (the base solve found none, and an outage only lowers bounds).
int solve_year(const Prepared& p, FlowSolver& solver, std::vector<PeriodBounds>& year,
               YearOutcome& out, FlowSolution& sol, ScaledPeriod& period, ScaledPeriod& relaxed,
               std::vector<FlowSolution>* keep = nullptr) {
  const Network& net = p.run->network;
  const Scenario& s = *p.s;
  out.delivered.assign(net.demands.size(), 0.0);
  out.shortfall.assign(net.demands.size(), 0.0);
  out.route_volume.assign(net.routes.size(), 0.0);
  out.cost_musd = 0.0;
  int solves = 0;
  for (std::size_t first = 0; first < year.size(); first += net.layers) {
    ScaleError error;
    if (!scale_period(s, net, std::span(year).subspan(first, net.layers), period, error)) {
      throw std::logic_error("contingencies: " + error.diagnostic.message);
    }
    // Hard contract minimums that an outage makes impossible: the relaxed dispatch, as `run`
    // reports it (simulate.h).
    bool infeasible = false;
    const ScaledPeriod& solved =
        solve_with_relief(net, solver, period, relaxed, sol, infeasible,
                          "contingencies " + s.name + "/" + s.case_name + " " +
                              std::to_string(year[first].period.year));
    const std::vector<std::int64_t>& upper = solved.upper;
    ++solves;
    for (int l = 0; l < net.layers; ++l) {
      const int shift = l * net.layer_arcs;
      for (std::size_t i = 0; i < net.demands.size(); ++i) {
        const std::int64_t d = upper[net.delivery_arc[i] + shift];
        const std::int64_t short_units = sol.arc_flow[net.shortfall_arc[i] + shift];
        out.delivered[i] += static_cast<double>(d - short_units) * kVolume;
        out.shortfall[i] += static_cast<double>(short_units) * kVolume;
      }
      for (std::size_t r = 0; r < p.meters.size(); ++r) {
        const RouteMeter& m = p.meters[r];
        std::int64_t f = sol.arc_flow[net.pipeline_arc[m.position] + shift];
        if (net.pipeline_rev_arc[m.position] >= 0) {
          f -= sol.arc_flow[net.pipeline_rev_arc[m.position] + shift];
        }
        out.route_volume[r] += static_cast<double>(m.sign * f) * kVolume;
      }
      // Money as `run` counts it (simulate.cpp): contract minimum arcs at the contract price.
      __int128 cost = 0;
      for (int a = shift; a < shift + net.layer_arcs; ++a) {
        if (!is_penalty_arc(net.arc_kind[a]) && net.arc_kind[a] != ArcKind::ContractMinimum) {
          cost += static_cast<__int128>(sol.arc_flow[a]) * solved.cost[a];
        }
      }
      for (std::size_t k = 0; k < net.contracts.size(); ++k) {
        cost += static_cast<__int128>(sol.arc_flow[net.contract_min_arc[k] + shift]) *
                solved.cost[net.contract_above_arc[k] + shift];
      }
      out.cost_musd += static_cast<double>(cost) / (kCostScale * kFlowUnitsPerVolume);
    }
    if (keep) keep->push_back(sol);
  }
  return solves;
}

/// The outages of scenario entity `id` plus the window (or the whole of `year`).
std::vector<Outage> with_window(const Scenario& s, const std::string& id,
                                const std::optional<OutageWindow>& window, int year) {
  std::vector<Outage> out = outages_of(s, id);
  Outage o;
  o.derate = 1.0;
  if (window) {
    o.first_day = window->first_day;
    o.end_day = window->end_day;
  } else {
    o.first_day = day_number(year, 1, 1);
    o.end_day = day_number(year + 1, 1, 1);
  }
  out.push_back(o);
  return out;
}

/// Takes `asset` out of the bounds of one year's periods.
void take_out(const Prepared& p, const Asset& asset, const std::optional<OutageWindow>& window,
              int year, std::vector<PeriodBounds>& bounds) {
  const Scenario& s = *p.s;
  auto pipeline = [&](int entity) {
    const int pos = p.pipeline_pos[entity];
    if (pos < 0) return;
    const Pipeline& pl = s.pipelines[entity];
    const std::vector<Outage> out = with_window(s, pl.id, window, year);
    for (PeriodBounds& b : bounds)
      b.pipeline_capacity[pos] = pipeline_period_capacity(pl, b.period, out);
  };
  switch (asset.kind) {
    case AssetKind::Pipeline:
      pipeline(asset.entity);
      return;
    case AssetKind::Route:
      for (const std::string& id : s.routes[asset.entity].pipelines) {
        for (int i = 0; i < static_cast<int>(s.pipelines.size()); ++i) {
          if (s.pipelines[i].id == id) pipeline(i);
        }
      }
      return;
    case AssetKind::Supply:
    case AssetKind::Lng: {
      const Node& n = s.nodes[asset.entity];
      const std::vector<Outage> out = with_window(s, n.id, window, year);
      const int pos = p.node_pos[asset.entity];
      for (PeriodBounds& b : bounds)
        b.supply_available[pos] = supply_period_volume(n, b.period, out);
      return;
    }
    case AssetKind::Storage: {
      const Node& n = s.nodes[asset.entity];
      const std::vector<Outage> out = with_window(s, n.id, window, year);
      const int pos = p.node_pos[asset.entity];
      for (PeriodBounds& b : bounds) {
        b.storage_injection[pos] = rate_period_volume(n.injection, b.period, out);
        b.storage_withdrawal[pos] = rate_period_volume(n.withdrawal, b.period, out);
      }
      return;
    }
  }
}

/// Whether the window (or the whole year) touches `year`.
bool touches(const std::optional<OutageWindow>& window, int year) {
  if (!window) return true;
  return window->first_day < day_number(year + 1, 1, 1) && window->end_day > day_number(year, 1, 1);
}

/// The markets (per Network::demands) each asset's base flow reaches in one year: downstream
/// of it along the arcs that carry flow in some period.
std::vector<std::vector<char>> served_markets(const Prepared& p,
                                              const std::vector<FlowSolution>& sols) {
  const Network& net = p.run->network;
  const Scenario& s = *p.s;
  const int n = net.layer_nodes;
  std::vector<std::vector<int>> next(n);
  std::vector<char> forward(net.pipelines.size(), 0), backward(net.pipelines.size(), 0);
  for (const FlowSolution& sol : sols) {
    for (int l = 0; l < net.layers; ++l) {
      const int shift = l * net.layer_arcs;
      for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
        const int a = net.pipeline_arc[i], r = net.pipeline_rev_arc[i];
        if (sol.arc_flow[a + shift] > 0) forward[i] = 1;
        if (r >= 0 && sol.arc_flow[r + shift] > 0) backward[i] = 1;
      }
    }
  }
  for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
    const int from = net.pipeline_from[i], to = net.pipeline_to[i];
    if (forward[i]) next[from].push_back(to);
    if (backward[i]) next[to].push_back(from);
  }
  std::vector<int> demand_slot(n, -1);
  for (std::size_t i = 0; i < net.demands.size(); ++i) {
    demand_slot[net.arc_tail[net.delivery_arc[i]]] = static_cast<int>(i);
  }
  auto reach = [&](std::vector<int> start) {
    std::vector<char> seen(n, 0), markets(net.demands.size(), 0);
    for (int v : start) seen[v] = 1;
    while (!start.empty()) {
      const int v = start.back();
      start.pop_back();
      if (demand_slot[v] >= 0) markets[demand_slot[v]] = 1;
      for (int w : next[v]) {
        if (!seen[w]) seen[w] = 1, start.push_back(w);
      }
    }
    return markets;
  };
  // A pipeline serves what lies downstream of its end (and of its start, when bidirectional),
  // whether or not it carries anything in the base: an idle parallel line is a spare.
  auto pipeline_start = [&](int entity, std::vector<int>& start) {
    const int pos = p.pipeline_pos[entity];
    if (pos < 0) return;
    start.push_back(net.pipeline_to[pos]);
    if (net.pipeline_rev_arc[pos] >= 0) start.push_back(net.pipeline_from[pos]);
  };
  std::vector<int> node_index(s.nodes.size(), -1);
  for (int v = 0; v < n; ++v) node_index[net.node_entity[v]] = v;
  std::vector<std::vector<char>> out;
  for (const Asset& asset : p.run->assets) {
    std::vector<int> start;
    if (asset.kind == AssetKind::Pipeline) {
      pipeline_start(asset.entity, start);
    } else if (asset.kind == AssetKind::Route) {
      for (const std::string& id : s.routes[asset.entity].pipelines) {
        for (int i = 0; i < static_cast<int>(s.pipelines.size()); ++i) {
          if (s.pipelines[i].id == id) pipeline_start(i, start);
        }
      }
    } else {
      start.push_back(node_index[asset.entity]);
    }
    out.push_back(reach(std::move(start)));
  }
  return out;
}

/// The assets of a commodity run, in the documented order, filtered by kind.
std::vector<Asset> assets_of(const Scenario& s, const Network& net,
                             const std::vector<AssetKind>& kinds) {
  auto wanted = [&](AssetKind k) {
    return kinds.empty() || std::find(kinds.begin(), kinds.end(), k) != kinds.end();
  };
  std::vector<Asset> out;
  if (wanted(AssetKind::Pipeline)) {
    for (int i : net.pipelines) out.push_back({AssetKind::Pipeline, i, s.pipelines[i].id});
  }
  for (AssetKind k : {AssetKind::Supply, AssetKind::Lng}) {
    if (!wanted(k)) continue;
    for (int i : net.supplies) {
      const bool lng = s.nodes[i].kind == NodeKind::Lng;
      if (lng == (k == AssetKind::Lng)) out.push_back({k, i, s.nodes[i].id});
    }
  }
  if (wanted(AssetKind::Storage)) {
    for (int i : net.storages) out.push_back({AssetKind::Storage, i, s.nodes[i].id});
  }
  if (wanted(AssetKind::Route)) {
    for (int r : net.routes) out.push_back({AssetKind::Route, r, s.routes[r].id});
  }
  return out;
}

/// Assets per pool task: small enough to spread a case over the threads, large enough that a
/// task's FlowSolver (one LEMON graph) is built for many solves.
constexpr std::size_t kBlock = 8;

}  // namespace

ContingencyStudy run_contingencies(const std::vector<std::shared_ptr<const Scenario>>& members,
                                   const ContingencyOptions& options) {
  ContingencyStudy study;
  study.cases.resize(members.size());
  std::vector<std::vector<Prepared>> prepared(members.size());
  std::vector<long long> base_solves(members.size(), 0);

  // 1. Per case: networks, base bounds, base solves, assets.
  run_tasks(members.size(), options.threads, [&](std::size_t c) {
    CaseContingencies& out = study.cases[c];
    out.scenario = members[c];
    const Scenario& s = *out.scenario;
    const std::vector<Period> all = periods(s);
    const std::vector<Commodity> commodities = commodities_in(s);
    out.runs.resize(commodities.size());
    prepared[c].resize(commodities.size());
    for (std::size_t k = 0; k < commodities.size(); ++k) {
      CommodityContingencies& run = out.runs[k];
      Prepared& p = prepared[c][k];
      run.network = build_network(s, commodities[k]);
      const Network& net = run.network;
      p.s = &s;
      p.run = &run;
      p.periods = all;
      for (const Period& period : all) p.bounds.push_back(period_bounds(s, net, period));
      for (std::size_t i = 0; i < all.size(); ++i) {
        if (i == 0 || all[i].year != all[i - 1].year) p.year_first.push_back(i);
      }
      p.meters = route_meters(s, net);
      p.pipeline_pos.assign(s.pipelines.size(), -1);
      p.node_pos.assign(s.nodes.size(), -1);
      for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
        p.pipeline_pos[net.pipelines[i]] = static_cast<int>(i);
      }
      for (std::size_t i = 0; i < net.supplies.size(); ++i) {
        p.node_pos[net.supplies[i]] = static_cast<int>(i);
      }
      for (std::size_t i = 0; i < net.storages.size(); ++i) {
        p.node_pos[net.storages[i]] = static_cast<int>(i);
      }
      for (int d : net.demands) run.demand_priority.push_back(s.nodes[d].priority);
      run.assets = assets_of(s, net, options.kinds);
      // Base: a period that cannot be scaled fails the case, as `run` would.
      FlowSolver solver(net);
      FlowSolution sol;
      ScaledPeriod period, relaxed;
      std::vector<double> end_inventory;  // of the previous base year
      for (std::size_t y = 0; y < p.year_first.size(); ++y) {
        const std::size_t first = p.year_first[y];
        const std::size_t count =
            (y + 1 < p.year_first.size() ? p.year_first[y + 1] : all.size()) - first;
        // Storage starts the year where the base ended the previous one, as in `run`; the
        // contingencies of a year start from the base's inventory on 1 January.
        if (net.layers > 1 && y > 0) start_storage_at(s, net, end_inventory, p.bounds[first]);
        for (std::size_t f = first; f < first + count; f += net.layers) {
          ScaleError error;
          if (!scale_period(s, net, std::span(p.bounds).subspan(f, net.layers), period, error)) {
            out.failure = CaseFailure{s.name,
                                      s.case_name,
                                      commodities[k],
                                      all[f],
                                      std::move(error.entity),
                                      std::move(error.diagnostic)};
            return;
          }
        }
        std::vector<PeriodBounds> year(p.bounds.begin() + first, p.bounds.begin() + first + count);
        YearOutcome& base = run.base.emplace_back();
        base.year = all[first].year;
        std::vector<FlowSolution> sols;
        base_solves[c] += solve_year(p, solver, year, base, sol, period, relaxed,
                                     options.k >= 2 ? &sols : nullptr);
        if (options.k >= 2) p.served.push_back(served_markets(p, sols));
        // A monthly year is one solve: `sol` holds December's inventory arcs.
        end_inventory.clear();
        for (std::size_t st = 0; st < net.storages.size() && net.layers > 1; ++st) {
          const int arc = net.storage_inventory_arc[st][net.layers - 1];
          end_inventory.push_back(static_cast<double>(sol.arc_flow[arc]) * kVolume);
        }
      }
    }
  });

  // 2. Singles, then 3. pairs: tasks of kBlock contingencies of one case and commodity.
  struct Task {
    std::size_t c, k, first, count;
  };
  auto sweep = [&](bool pairs) {
    std::vector<Task> tasks;
    for (std::size_t c = 0; c < members.size(); ++c) {
      if (study.cases[c].failure) continue;
      for (std::size_t k = 0; k < study.cases[c].runs.size(); ++k) {
        CommodityContingencies& run = study.cases[c].runs[k];
        const std::size_t start = run.contingencies.size();
        if (!pairs) {
          for (std::size_t a = 0; a < run.assets.size(); ++a) {
            run.contingencies.push_back({{static_cast<int>(a)}, {}});
          }
        } else {
          // Pruned per year: both lose volume alone, or they serve a common market.
          const std::size_t n = run.assets.size();
          for (std::size_t a = 0; a < n; ++a) {
            for (std::size_t b = a + 1; b < n; ++b) {
              bool keep = false;
              for (std::size_t y = 0; y < run.base.size() && !keep; ++y) {
                const auto loss = [&](std::size_t x) -> double {
                  for (const YearOutcome& o : run.contingencies[x].years) {
                    if (o.year == run.base[y].year) return lost_volume(run.base[y], o);
                  }
                  return 0.0;
                };
                if (!touches(options.window, run.base[y].year)) continue;
                keep = loss(a) > kHalfFlowUnit && loss(b) > kHalfFlowUnit;
                const auto& served = prepared[c][k].served[y];
                for (std::size_t m = 0; m < run.network.demands.size() && !keep; ++m) {
                  keep = served[a][m] && served[b][m];
                }
              }
              if (keep)
                run.contingencies.push_back({{static_cast<int>(a), static_cast<int>(b)}, {}});
            }
          }
        }
        for (std::size_t f = start; f < run.contingencies.size(); f += kBlock) {
          tasks.push_back({c, k, f, std::min(kBlock, run.contingencies.size() - f)});
        }
      }
    }
    std::vector<long long> solves(tasks.size(), 0);
    run_tasks(tasks.size(), options.threads, [&](std::size_t t) {
      const Task& task = tasks[t];
      const Prepared& p = prepared[task.c][task.k];
      CommodityContingencies& run = *p.run;
      FlowSolver solver(run.network);
      FlowSolution sol;
      ScaledPeriod period, relaxed;
      for (std::size_t i = task.first; i < task.first + task.count; ++i) {
        Contingency& cont = run.contingencies[i];
        for (std::size_t y = 0; y < p.year_first.size(); ++y) {
          const int year = run.base[y].year;
          if (!touches(options.window, year)) continue;
          const std::size_t first = p.year_first[y];
          const std::size_t end =
              y + 1 < p.year_first.size() ? p.year_first[y + 1] : p.periods.size();
          std::vector<PeriodBounds> bounds(p.bounds.begin() + first, p.bounds.begin() + end);
          for (int a : cont.assets) take_out(p, run.assets[a], options.window, year, bounds);
          YearOutcome& o = cont.years.emplace_back();
          o.year = year;
          solves[t] += solve_year(p, solver, bounds, o, sol, period, relaxed);
        }
      }
    });
    for (long long n : solves) study.solves += n;
  };
  sweep(false);
  if (options.k >= 2) sweep(true);
  for (long long n : base_solves) study.solves += n;
  return study;
}

}  // namespace corridor
