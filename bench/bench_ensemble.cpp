/// \file `corridor ensemble`'s engine on a generated 600-node network: 10,000 draws x 25 years
/// with uncertain demand and outages, timed end to end, against raw LEMON solving the same bound
/// sets and against a networkx loop on a sample of them. See README.md.
///
/// The network is the pipeline-like family of pipeline_network.h, written out as a Scenario
/// (supplies, demand hubs with demand growing 1 % a year, junctions, pipelines with tariffs,
/// two-way links bidirectional), so that the ensemble runs it exactly as it runs a YAML file.
/// Uncertainty: one national demand factor, triangular(0.9, 1, 1.1), AR(1) with rho 0.8 over the
/// years, on every demand hub (a group); and every pipeline out for a whole year with
/// probability 2 % (a bernoulli availability per year), the outage rate of the performance
/// notes.
///
/// Measured, in one run:
///   1. the whole ensemble (draws, dispatch, summary statistics and the two summary CSVs) on
///      `--threads` threads: wall time, draws/s, solves, reuse, peak RSS, bytes per draw;
///   2. engine against raw LEMON on one thread, over the first `--sample` draws: the engine's
///      time (everything in 1. but the CSVs) against the least code that solves every one of
///      those draws' bound sets with LEMON directly (copy bounds, run, read flows), alternating
///      three times; and against raw LEMON on the sets the engine actually solved;
///   3. a networkx loop (network_simplex, /usr/bin/python3) on the bound sets of the first draws,
///      extrapolated to every (draw, year) of run 1; skipped with a message when networkx is
///      missing. Its objectives must equal LEMON's.
#include <lemon/network_simplex.h>
#include <lemon/static_graph.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/ensemble.h"
#include "corridor/ensemble_csv.h"
#include "corridor/network.h"
#include "pipeline_network.h"

namespace {

using corridor::Network;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "bench_ensemble: error: %s\n", what.c_str());
  std::exit(1);
}

/// LEMON used directly, graph and solver built once: the reference of bench_dispatch.
class RawLemon {
 public:
  using Graph = lemon::StaticDigraph;
  using Solver = lemon::NetworkSimplex<Graph, std::int64_t, std::int64_t>;

  /// `arc_cost`: the period's scaled costs (constant over the horizon in this bench).
  RawLemon(const Network& net, const std::vector<std::int64_t>& arc_cost)
      : net_(net), arc_cost_(arc_cost), upper_(graph_), cost_(graph_) {
    std::vector<int> order(net.num_arcs());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int x, int y) { return net.arc_tail[x] < net.arc_tail[y]; });
    std::vector<std::pair<int, int>> pairs;
    static_arc_.resize(order.size());
    for (int k = 0; k < static_cast<int>(order.size()); ++k) {
      pairs.emplace_back(net.arc_tail[order[k]], net.arc_head[order[k]]);
      static_arc_[order[k]] = k;
    }
    graph_.build(net.num_nodes, pairs.begin(), pairs.end());
    for (int a = 0; a < net.num_arcs(); ++a) cost_[Graph::arc(static_arc_[a])] = arc_cost_[a];
    solver_ = std::make_unique<Solver>(graph_);
    solver_->costMap(cost_);
  }

  /// Solves; returns the total cost (real + penalty).
  std::int64_t solve(const std::vector<std::int64_t>& arc_upper, std::int64_t total_demand,
                     std::vector<std::int64_t>& flow) {
    const int m = net_.num_arcs();
    for (int a = 0; a < m; ++a) upper_[Graph::arc(static_arc_[a])] = arc_upper[a];
    solver_->upperMap(upper_).stSupply(Graph::node(net_.source), Graph::node(net_.sink),
                                       total_demand);
    if (solver_->run() != Solver::OPTIMAL) fail("raw LEMON: not optimal");
    flow.resize(m);
    std::int64_t cost = 0;
    for (int a = 0; a < m; ++a) {
      flow[a] = solver_->flow(Graph::arc(static_arc_[a]));
      cost += flow[a] * arc_cost_[a];
    }
    return cost;
  }

 private:
  const Network& net_;
  const std::vector<std::int64_t>& arc_cost_;
  Graph graph_;
  std::vector<int> static_arc_;
  Graph::ArcMap<std::int64_t> upper_, cost_;
  std::unique_ptr<Solver> solver_;
};

struct Options {
  int nodes = 600, years = 25, draws = 10'000, threads = 2, sample = 400, networkx_draws = 2;
  std::uint64_t seed = 20240601;
  std::string python = "/usr/bin/python3";
  std::string script = CORRIDOR_NETWORKX_SCRIPT;  ///< networkx_ensemble.py
  bool quick = false;
};

/// The generated instance as a scenario: node i of the graph is node "n<i>".
corridor::Scenario to_scenario(const corridor::bench::PipelineInstance& inst, int years) {
  using namespace corridor;
  const Network& g = inst.net;
  Scenario s;
  s.name = "bench-" + std::to_string(g.num_nodes - 2);
  s.file = "bench_ensemble";
  s.horizon = {2030, 2030 + years - 1, {}};
  const int n = g.num_nodes - 2;
  s.nodes.resize(n);
  for (int v = 0; v < n; ++v) {
    s.nodes[v].id = "n" + std::to_string(v);
    s.nodes[v].kind = NodeKind::Junction;
  }
  for (std::size_t k = 0; k < g.supplies.size(); ++k) {
    Node& node = s.nodes[g.supplies[k]];
    node.kind = NodeKind::Supply;
    node.capacity = constant_series(static_cast<double>(inst.base_upper[g.supply_arc[k]]));
    node.cost = constant_series(static_cast<double>(inst.cost[g.supply_arc[k]]));
  }
  for (std::size_t k = 0; k < g.demands.size(); ++k) {
    Node& node = s.nodes[g.demands[k]];
    node.kind = NodeKind::Demand;
    const double d = static_cast<double>(inst.base_upper[g.delivery_arc[k]]);
    // 1 % a year, compounded, as a linear series between the first and last year.
    node.demand.points = {{s.horizon.start_year, d},
                          {s.horizon.end_year, d * std::pow(1.01, years - 1)}};
    node.demand.interpolation = Interpolation::Linear;
  }
  for (std::size_t i = 0; i < g.pipelines.size(); ++i) {
    const int a = g.pipeline_arc[i];
    Pipeline p;
    p.id = "p" + std::to_string(i);
    p.from = s.nodes[g.arc_tail[a]].id;
    p.to = s.nodes[g.arc_head[a]].id;
    p.bidirectional = g.pipeline_rev_arc[i] >= 0;
    p.capacity = constant_series(static_cast<double>(inst.base_upper[a]));
    p.tariff_kind = TariffKind::PerUnit;
    p.tariff = constant_series(static_cast<double>(inst.cost[a]));
    s.pipelines.push_back(std::move(p));
  }
  Uncertainty& u = s.uncertainty;
  u.given = true;
  u.seed = 7;
  Sample demand;
  demand.id = "demand";
  demand.path = "nodes.*.demand";
  demand.group = "demand";
  demand.per = SamplePer::Year;
  demand.ar1_rho = 0.8;
  demand.distribution.kind = DistributionKind::Triangular;
  demand.distribution.min = 0.9, demand.distribution.mode = 1.0, demand.distribution.max = 1.1;
  Sample outage;
  outage.id = "outage";
  outage.path = "pipelines.*.availability";
  outage.per = SamplePer::Year;
  outage.distribution.kind = DistributionKind::Bernoulli;
  outage.distribution.p = 0.02, outage.distribution.value = 0.0;
  u.samples = {demand, outage};
  return s;
}

/// CPU seconds of this process so far (user + system, all threads): on a busy machine, where
/// wall time depends on what else runs, the work itself.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

struct Sets {
  std::vector<std::vector<std::int64_t>> upper;
  std::vector<std::int64_t> demand;
  std::vector<char> solved;
};

/// The engine on one thread over `draws` draws, without CSVs: seconds in all, and of them the
/// draws and dispatch alone (`dispatch`, run_ensemble() without summarise()).
double engine_seconds(const std::shared_ptr<const corridor::Scenario>& s, int draws, Sets* record,
                      double* dispatch = nullptr) {
  corridor::EnsembleOptions o;
  o.draws = draws;
  o.threads = 1;
  if (record) {
    o.on_period = [record](const corridor::PeriodSeen& p) {
      record->upper.emplace_back(p.arc_upper.begin(), p.arc_upper.end());
      record->demand.push_back(p.total_demand);
      record->solved.push_back(p.solved);
    };
  }
  const auto t0 = Clock::now();
  const corridor::EnsembleResult r = corridor::run_ensemble({s}, o);
  if (dispatch) *dispatch = seconds_since(t0);
  const corridor::EnsembleStats stats = corridor::summarise(r, 1);
  const double t = seconds_since(t0);
  if (stats.empty()) fail("no statistics");
  return t;
}

/// Raw LEMON over the recorded sets (only the solved ones with `solved_only`); seconds.
double raw_seconds(const Network& net, const std::vector<std::int64_t>& arc_cost, const Sets& sets,
                   bool solved_only, std::vector<std::int64_t>* costs) {
  RawLemon raw(net, arc_cost);
  std::vector<std::int64_t> flow;
  const auto t0 = Clock::now();
  for (std::size_t i = 0; i < sets.upper.size(); ++i) {
    if (solved_only && !sets.solved[i]) continue;
    const std::int64_t c = raw.solve(sets.upper[i], sets.demand[i], flow);
    if (costs) costs->push_back(c);
  }
  return seconds_since(t0);
}

/// Writes the network and the first sets for networkx_ensemble.py.
void write_networkx_input(const std::string& path, const Network& net,
                          const std::vector<std::int64_t>& arc_cost, const Sets& sets,
                          std::size_t count, const std::vector<std::int64_t>& costs) {
  std::ofstream out(path);
  out << "{\"nodes\": " << net.num_nodes << ", \"source\": " << net.source
      << ", \"sink\": " << net.sink << ", \"arcs\": [";
  for (int a = 0; a < net.num_arcs(); ++a) {
    out << (a ? "," : "") << "[" << net.arc_tail[a] << "," << net.arc_head[a] << "," << arc_cost[a]
        << "]";
  }
  out << "], \"sets\": [";
  for (std::size_t i = 0; i < count; ++i) {
    out << (i ? "," : "") << "{\"demand\": " << sets.demand[i] << ", \"cost\": " << costs[i]
        << ", \"upper\": [";
    for (std::size_t a = 0; a < sets.upper[i].size(); ++a) {
      out << (a ? "," : "") << sets.upper[i][a];
    }
    out << "]}";
  }
  out << "]}\n";
}

/// networkx's seconds per solve over the sets in `path`, or a negative number when skipped.
double networkx_seconds_per_solve(const Options& opt, const std::string& path) {
  const std::string result = path + ".out";
  const std::string cmd = opt.python + " " + opt.script + " " + path + " > " + result;
  const int rc = std::system(cmd.c_str());
  std::ifstream in(result);
  std::string line, last;
  while (std::getline(in, line)) last = line;
  std::remove(result.c_str());
  if (rc != 0) {
    std::printf("networkx: skipped (%s)\n", last.empty() ? "the peer script failed" : last.c_str());
    return -1.0;
  }
  return std::atof(last.c_str());
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--quick") {
      o.quick = true;
    } else if (a == "--draws" || a == "--nodes" || a == "--years" || a == "--threads" ||
               a == "--sample" || a == "--networkx-draws" || a == "--seed") {
      const char* v = next();
      if (!v) return false;
      const long long x = std::atoll(v);
      if (x < 0) return false;
      if (a == "--draws") o.draws = static_cast<int>(x);
      if (a == "--nodes") o.nodes = static_cast<int>(x);
      if (a == "--years") o.years = static_cast<int>(x);
      if (a == "--threads") o.threads = static_cast<int>(x);
      if (a == "--sample") o.sample = static_cast<int>(x);
      if (a == "--networkx-draws") o.networkx_draws = static_cast<int>(x);
      if (a == "--seed") o.seed = static_cast<std::uint64_t>(x);
    } else if (a == "--python" || a == "--script") {
      const char* v = next();
      if (!v) return false;
      (a == "--python" ? o.python : o.script) = v;
    } else {
      return false;
    }
  }
  if (o.quick) {
    o.nodes = 200, o.years = 10, o.draws = 200, o.sample = 50, o.networkx_draws = 0;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (!parse(argc, argv, opt)) {
    std::fprintf(stderr,
                 "usage: bench_ensemble [--quick] [--draws N] [--nodes N] [--years N] "
                 "[--threads N] [--sample N] [--networkx-draws N] [--seed S] [--python PATH] "
                 "[--script networkx_ensemble.py]\n");
    return 2;
  }
  corridor::bench::PipelineParams params;
  params.nodes = opt.nodes;
  const corridor::bench::PipelineInstance inst =
      corridor::bench::make_pipeline_instance(params, opt.seed + opt.nodes);
  const auto scenario = std::make_shared<const corridor::Scenario>(to_scenario(inst, opt.years));
  const Network net = corridor::build_network(*scenario, corridor::Commodity::Gas);
  // The scaled arc costs, the same in every period here (no series, no contracts).
  std::vector<std::int64_t> arc_cost;
  {
    corridor::ScaledPeriod first;
    corridor::ScaleError error;
    const corridor::Period p{scenario->horizon.start_year, 0, 1.0};
    if (!corridor::scale_period(*scenario, net, corridor::period_bounds(*scenario, net, p), first,
                                error)) {
      fail("the bench scenario cannot be scaled: " + error.diagnostic.message);
    }
    arc_cost = std::move(first.cost);
  }
  std::printf("bench_ensemble: %d nodes (%d arcs), %d years, %d draws, %d threads\n", opt.nodes,
              net.num_arcs(), opt.years, opt.draws, opt.threads);

  // 1. The whole ensemble.
  corridor::EnsembleOptions o;
  o.draws = opt.draws;
  o.threads = opt.threads;
  const auto t0 = Clock::now();
  const double cpu0 = cpu_seconds();
  corridor::EnsembleResult r = corridor::run_ensemble({scenario}, o);
  const double t_draws = seconds_since(t0);
  const corridor::EnsembleStats stats = corridor::summarise(r, opt.threads);
  const std::string summary = corridor::ensemble_summary_csv(r, stats);
  const std::string risk = corridor::ensemble_risk_csv(r, stats);
  const double t_all = seconds_since(t0);
  const double cpu_all = cpu_seconds() - cpu0;
  const corridor::CaseEnsemble& c = r.cases.at(0);
  const std::size_t bytes = c.values.bytes();
  const double periods = static_cast<double>(c.periods);
  std::printf("ensemble: %.2f s wall (draws %.2f s, statistics and CSVs %.2f s), %.0f draws/s\n",
              t_all, t_draws, t_all - t_draws, opt.draws / t_all);
  std::printf(
      "  CPU %.2f s on %d threads: %.2f s wall if the threads had the cores to themselves\n",
      cpu_all, opt.threads, cpu_all / opt.threads);
  std::printf(
      "  periods %llu: solved %llu, reused unperturbed %llu, reused repeated %llu "
      "(hit rate %.1f %%)\n",
      static_cast<unsigned long long>(c.periods), static_cast<unsigned long long>(c.solved),
      static_cast<unsigned long long>(c.reused_base),
      static_cast<unsigned long long>(c.reused_memo),
      100.0 * static_cast<double>(c.reused_base + c.reused_memo) / periods);
  std::printf("  metrics %zu, bytes per draw %zu, peak RSS %.0f MB, CSVs %.1f MB\n",
              c.metrics.size(), bytes / static_cast<std::size_t>(opt.draws), peak_rss_kb() / 1024.0,
              (summary.size() + risk.size()) / 1e6);
  r = {};  // free the values before the next measurements

  // 2. Engine against raw LEMON, one thread, the same bound sets.
  const int sample = std::min(opt.sample, opt.draws);
  Sets sets;
  engine_seconds(scenario, sample, &sets);  // records the sets (untimed)
  std::vector<std::int64_t> costs;
  raw_seconds(net, arc_cost, sets, false, &costs);  // warm-up; the objectives for networkx
  std::vector<double> eng, eng_dispatch, raw_all, raw_solved;
  for (int rep = 0; rep < 3; ++rep) {
    eng.push_back(engine_seconds(scenario, sample, nullptr, &eng_dispatch.emplace_back()));
    raw_all.push_back(raw_seconds(net, arc_cost, sets, false, nullptr));
    raw_solved.push_back(raw_seconds(net, arc_cost, sets, true, nullptr));
  }
  std::sort(eng.begin(), eng.end());
  std::sort(eng_dispatch.begin(), eng_dispatch.end());
  std::sort(raw_all.begin(), raw_all.end());
  std::sort(raw_solved.begin(), raw_solved.end());
  const double per_set = raw_all[1] / static_cast<double>(sets.upper.size());
  std::printf(
      "one thread, %d draws (%zu bound sets, %zu solved): engine %.3f s, raw LEMON %.3f s "
      "(all sets), %.3f s (the solved ones)\n",
      sample, sets.upper.size(),
      static_cast<std::size_t>(std::count(sets.solved.begin(), sets.solved.end(), 1)), eng[1],
      raw_all[1], raw_solved[1]);
  std::printf(
      "  engine / raw LEMON: %.3fx over all sets, %.3fx over the sets it solved "
      "(medians of 3; raw LEMON %.4f ms per set)\n",
      eng[1] / raw_all[1], eng[1] / raw_solved[1], 1e3 * per_set);
  std::printf(
      "  without the statistics (draws and dispatch only, %.3f s): %.3fx over all sets, %.3fx "
      "over the sets it solved\n",
      eng_dispatch[1], eng_dispatch[1] / raw_all[1], eng_dispatch[1] / raw_solved[1]);

  // 3. networkx on the first draws' sets, extrapolated.
  const std::size_t count =
      std::min(sets.upper.size(), static_cast<std::size_t>(opt.networkx_draws * opt.years));
  if (count > 0 && !opt.script.empty()) {
    const std::string path = "/tmp/bench_ensemble_networkx_" + std::to_string(::getpid()) + ".json";
    write_networkx_input(path, net, arc_cost, sets, count, costs);
    const double nx = networkx_seconds_per_solve(opt, path);
    std::remove(path.c_str());
    if (nx > 0) {
      const double nx_total = nx * periods;
      std::printf(
          "networkx: %.2f ms per solve over %zu sets; all %.0f periods would take %.0f s "
          "(%.1f h): %.0fx the ensemble's wall time; per solve %.0fx raw LEMON\n",
          1e3 * nx, count, periods, nx_total, nx_total / 3600, nx_total / t_all, nx / per_set);
    }
  }
  return 0;
}
