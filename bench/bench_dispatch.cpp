/// \file Per-period dispatch: corridor::FlowSolver::solve against raw LEMON NetworkSimplex.
///
/// Both sides solve the same pipeline-like network (pipeline_network.h) with the same
/// per-period bounds, interleaved in one process run so they see the same machine state.
/// The raw side is the least code that does the engine's per-period job with LEMON directly:
/// copy the bounds into an arc map, upperMap + stSupply(S, T, D) + run(), read the flows
/// back into a vector in Network arc order, and sum the cost. Every period's objective
/// (real cost and penalty) must agree, or the benchmark aborts. See README.md.
#include <lemon/network_simplex.h>
#include <lemon/static_graph.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corridor/flow_solver.h"
#include "corridor/network.h"
#include "pipeline_network.h"

namespace {

using corridor::ArcKind;
using corridor::Network;
using corridor::bench::PeriodInput;
using corridor::bench::PipelineInstance;

/// The reference: LEMON used directly, graph and solver built once.
class RawLemon {
 public:
  using Graph = lemon::StaticDigraph;
  using Solver = lemon::NetworkSimplex<Graph, std::int64_t, std::int64_t>;

  explicit RawLemon(const Network& net) : net_(net), upper_(graph_), cost_(graph_) {
    // StaticDigraph wants arcs sorted by tail; keep Network order within a tail.
    std::vector<int> order(net.num_arcs());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int x, int y) { return net.arc_tail[x] < net.arc_tail[y]; });
    std::vector<std::pair<int, int>> pairs;
    pairs.reserve(order.size());
    static_arc_.resize(order.size());
    for (int k = 0; k < static_cast<int>(order.size()); ++k) {
      pairs.emplace_back(net.arc_tail[order[k]], net.arc_head[order[k]]);
      static_arc_[order[k]] = k;
    }
    graph_.build(net.num_nodes, pairs.begin(), pairs.end());
    solver_ = std::make_unique<Solver>(graph_);
  }

  /// One period: the period's bounds and costs into arc maps, then solve. Returns false
  /// unless optimal.
  bool solve(const PeriodInput& per, std::vector<std::int64_t>& flow, __int128& cost) {
    const int m = net_.num_arcs();
    for (int a = 0; a < m; ++a) {
      upper_[Graph::arc(static_arc_[a])] = per.upper[a];
      cost_[Graph::arc(static_arc_[a])] = per.cost[a];
    }
    solver_->upperMap(upper_).costMap(cost_).stSupply(Graph::node(net_.source),
                                                      Graph::node(net_.sink), per.total_demand);
    if (solver_->run() != Solver::OPTIMAL) return false;
    flow.resize(m);
    cost = 0;
    for (int a = 0; a < m; ++a) {
      flow[a] = solver_->flow(Graph::arc(static_arc_[a]));
      cost += static_cast<__int128>(flow[a]) * per.cost[a];
    }
    return true;
  }

 private:
  const Network& net_;
  Graph graph_;
  std::vector<int> static_arc_;  // Network arc -> StaticDigraph arc index
  Graph::ArcMap<std::int64_t> upper_, cost_;
  std::unique_ptr<Solver> solver_;
};

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "bench_dispatch: error: %s\n", what.c_str());
  std::abort();
}

std::string to_string(__int128 v) {
  if (v == 0) return "0";
  const bool neg = v < 0;
  std::string s;
  while (v != 0) {
    const int digit = static_cast<int>(v % 10);
    s.push_back(static_cast<char>('0' + (neg ? -digit : digit)));
    v /= 10;
  }
  if (neg) s.push_back('-');
  return {s.rbegin(), s.rend()};
}

/// Penalty part of a flow's cost (shortfall arcs); the rest is real cost.
__int128 penalty_of(const Network& net, const PeriodInput& per,
                    const std::vector<std::int64_t>& flow) {
  __int128 p = 0;
  for (int a = 0; a < net.num_arcs(); ++a) {
    if (net.arc_kind[a] == ArcKind::Shortfall) p += static_cast<__int128>(flow[a]) * per.cost[a];
  }
  return p;
}

/// Capacity and conservation of the engine's flow (outside the timed region).
void check_flow(const Network& net, const PeriodInput& per, const std::vector<std::int64_t>& flow,
                const std::string& where) {
  if (static_cast<int>(flow.size()) != net.num_arcs()) fail(where + ": arc_flow has wrong size");
  std::vector<std::int64_t> excess(net.num_nodes, 0);
  for (int a = 0; a < net.num_arcs(); ++a) {
    if (flow[a] < 0 || flow[a] > per.upper[a]) {
      fail(where + ": arc " + std::to_string(a) + " flow " + std::to_string(flow[a]) +
           " outside [0, " + std::to_string(per.upper[a]) + "]");
    }
    excess[net.arc_tail[a]] -= flow[a];
    excess[net.arc_head[a]] += flow[a];
  }
  for (int v = 0; v < net.num_nodes; ++v) {
    const std::int64_t want = v == net.source ? -per.total_demand
                              : v == net.sink ? per.total_demand
                                              : 0;
    if (excess[v] != want) fail(where + ": flow not conserved at node " + std::to_string(v));
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

struct SizeConfig {
  int nodes;
  int rounds;  ///< passes over the periods per repetition
};

struct Options {
  bool quick = false;
  int reps = 7;
  int periods = 25;
  std::uint64_t seed = 20240601;
  std::vector<SizeConfig> sizes = {{600, 40}, {4200, 6}};
};

struct Row {
  std::string name;
  int nodes = 0, arcs = 0;
  std::size_t solves = 0;  ///< timed solves per side
  double raw_med = 0, raw_mean = 0, eng_med = 0, eng_mean = 0;
  double rep_ratio_min = 0, rep_ratio_max = 0;
  double shortfall_share = 0;  ///< of total demand, period 0
};

using Clock = std::chrono::steady_clock;

Row run_size(const Options& opt, const SizeConfig& size) {
  corridor::bench::PipelineParams params;
  params.nodes = size.nodes;
  const PipelineInstance inst =
      corridor::bench::make_pipeline_instance(params, opt.seed + size.nodes);
  const Network& net = inst.net;
  const std::vector<PeriodInput> periods =
      corridor::bench::make_periods(inst, opt.periods, opt.seed + 7 * size.nodes + 1);

  corridor::FlowSolver engine(net);
  RawLemon raw(net);
  corridor::FlowSolution sol;
  std::vector<std::int64_t> raw_flow;
  __int128 raw_cost = 0;
  const std::string name = "pipeline-" + std::to_string(size.nodes);

  // Untimed pass: warm caches and allocations, check the engine's flows and objectives.
  Row row;
  for (int t = 0; t < opt.periods; ++t) {
    const PeriodInput& per = periods[t];
    const std::string where = name + " period " + std::to_string(t);
    engine.solve(per, sol);
    if (sol.status != corridor::FlowStatus::Optimal) fail(where + ": engine not optimal");
    check_flow(net, per, sol.arc_flow, where + " (engine)");
    if (!raw.solve(per, raw_flow, raw_cost)) fail(where + ": raw LEMON not optimal");
    check_flow(net, per, raw_flow, where + " (raw LEMON)");
    const __int128 raw_penalty = penalty_of(net, per, raw_flow);
    if (sol.penalty != raw_penalty || sol.real_cost != raw_cost - raw_penalty) {
      fail(where + ": objectives differ: engine real " + to_string(sol.real_cost) + " penalty " +
           to_string(sol.penalty) + ", raw LEMON real " + to_string(raw_cost - raw_penalty) +
           " penalty " + to_string(raw_penalty));
    }
    if (t == 0) {
      const __int128 unmet = raw_penalty / (inst.real_cost_sum + 1);
      row.shortfall_share = static_cast<double>(unmet) / static_cast<double>(per.total_demand);
    }
  }

  // Timed: interleaved per period, alternating which side goes first.
  std::vector<double> eng_all, raw_all, rep_ratio;
  for (int rep = 0; rep < opt.reps; ++rep) {
    std::vector<double> eng_rep, raw_rep;
    for (int round = 0; round < size.rounds; ++round) {
      for (int t = 0; t < opt.periods; ++t) {
        const PeriodInput& per = periods[t];
        for (int side = 0; side < 2; ++side) {
          const bool engine_turn = (side == 0) == ((rep + round + t) % 2 == 0);
          if (engine_turn) {
            const auto t0 = Clock::now();
            engine.solve(per, sol);
            const auto t1 = Clock::now();
            eng_rep.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
          } else {
            const auto t0 = Clock::now();
            const bool ok = raw.solve(per, raw_flow, raw_cost);
            const auto t1 = Clock::now();
            raw_rep.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
            if (!ok) fail(name + ": raw LEMON not optimal");
          }
        }
        // Outside the timed region: both objectives must still agree on every period.
        if (sol.status != corridor::FlowStatus::Optimal ||
            sol.real_cost + sol.penalty != raw_cost) {
          fail(name + " period " + std::to_string(t) + ": total cost differs: engine " +
               to_string(sol.real_cost + sol.penalty) + ", raw LEMON " + to_string(raw_cost));
        }
      }
    }
    rep_ratio.push_back(median(eng_rep) / median(raw_rep));
    eng_all.insert(eng_all.end(), eng_rep.begin(), eng_rep.end());
    raw_all.insert(raw_all.end(), raw_rep.begin(), raw_rep.end());
  }

  row.name = name;
  row.nodes = net.num_nodes;
  row.arcs = net.num_arcs();
  row.solves = eng_all.size();
  row.raw_med = median(raw_all);
  row.raw_mean = mean(raw_all);
  row.eng_med = median(eng_all);
  row.eng_mean = mean(eng_all);
  row.rep_ratio_min = *std::min_element(rep_ratio.begin(), rep_ratio.end());
  row.rep_ratio_max = *std::max_element(rep_ratio.begin(), rep_ratio.end());
  return row;
}

void usage(std::FILE* to) {
  std::fprintf(to,
               "usage: bench_dispatch [--quick] [--reps N] [--seed S] [--help]\n"
               "  Times corridor::FlowSolver::solve against raw LEMON NetworkSimplex per period\n"
               "  on pipeline-like networks of 600 and 4,200 nodes (see bench/README.md).\n"
               "  --quick   one 200-node instance, 2 repetitions (smoke test)\n"
               "  --reps N  repetitions (default 7)\n"
               "  --seed S  instance seed (default 20240601)\n");
}

bool parse(int argc, char** argv, Options& opt) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      usage(stdout);
      std::exit(0);
    } else if (arg == "--quick") {
      opt.quick = true;
    } else if ((arg == "--reps" || arg == "--seed") && i + 1 < argc) {
      char* end = nullptr;
      const unsigned long long v = std::strtoull(argv[++i], &end, 10);
      if (*end != '\0' || (arg == "--reps" && v == 0)) return false;
      if (arg == "--reps") opt.reps = static_cast<int>(v);
      if (arg == "--seed") opt.seed = v;
    } else {
      return false;
    }
  }
  if (opt.quick) {
    opt.sizes = {{200, 1}};
    opt.reps = std::min(opt.reps, 2);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (!parse(argc, argv, opt)) {
    usage(stderr);
    return 2;
  }
  std::printf(
      "bench_dispatch: per-period solve, corridor::FlowSolver vs raw LEMON NetworkSimplex\n");
  std::printf("seed %llu, %d periods, %d repetitions; times in ms per solve\n\n",
              static_cast<unsigned long long>(opt.seed), opt.periods, opt.reps);
  std::printf("%-14s %6s %6s %7s %9s %9s %9s %9s %7s %7s %13s %9s\n", "instance", "nodes", "arcs",
              "solves", "raw med", "raw mean", "eng med", "eng mean", "ratio", "r.mean",
              "rep ratios", "unmet p0");
  for (const SizeConfig& size : opt.sizes) {
    const Row r = run_size(opt, size);
    std::printf("%-14s %6d %6d %7zu %9.4f %9.4f %9.4f %9.4f %6.3fx %6.3fx %6.3f-%5.3f %8.1f%%\n",
                r.name.c_str(), r.nodes, r.arcs, r.solves, r.raw_med, r.raw_mean, r.eng_med,
                r.eng_mean, r.eng_med / r.raw_med, r.eng_mean / r.raw_mean, r.rep_ratio_min,
                r.rep_ratio_max, 100.0 * r.shortfall_share);
    std::fflush(stdout);
  }
  std::printf(
      "\nratio = engine median / raw median (r.mean: of means); rep ratios: min-max of the\n"
      "per-repetition median ratios. Objectives agreed on every period. Target: ratio <= 1.1x.\n");
  return 0;
}
