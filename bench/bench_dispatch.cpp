/// \file The dispatch engine against raw LEMON and the Python peers, side by side in one run.
///
/// Sections (see README.md for what each measures and why):
///   solve   per solve: FlowSolver::solve against raw LEMON NetworkSimplex with every pivot
///           rule, interleaved period by period on the same bounds;
///   period  per period as simulate() does it (dispatch(): bounds, solve, extraction, invariant
///           checks; no economics, no CSV) against raw LEMON loops over the same periods;
///   pivot   raw LEMON per solve by pivot rule on several families and the library;
///   peers   per solve: the engine against networkx network_simplex and SciPy HiGHS, run by
///           /usr/bin/python3 bench/peers.py on the same instances (skipped with a message if
///           the Python stack is missing).
/// Every solve's objective is compared between the sides; any difference aborts the bench.
/// Times are CPU time of the timing thread (ThreadCpuClock below), in ms.
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/flow_solver.h"
#include "corridor/network.h"
#include "corridor/scenario_io.h"
#include "corridor/simulate.h"
#include "families.h"
#include "raw_lemon.h"

namespace fs = std::filesystem;

namespace corridor::bench {
namespace {

/// CPU time of the calling thread. The machines these benches run on are shared: a wall-clock
/// window of several milliseconds (a 25-period loop) often includes other processes' time
/// slices, a window of 0.1 ms (one solve) rarely, so wall medians would favour the short
/// windows. The engine and raw LEMON run in this one thread; the peers report their process's
/// CPU time likewise (peers.py).
struct ThreadCpuClock {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<ThreadCpuClock>;
  static constexpr bool is_steady = true;
  static time_point now() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return time_point(duration(static_cast<rep>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec));
  }
};
using Clock = ThreadCpuClock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "bench_dispatch: error: %s\n", what.c_str());
  std::abort();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
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

struct Options {
  bool quick = false;
  int reps = 7;
  std::uint64_t seed = 20240601;
  std::vector<std::string> sections = {"solve", "period", "pivot", "peers"};
};

/// A scratch directory for generated scenario files, removed at exit.
const fs::path& scratch() {
  static const fs::path dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "corridor-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) fail("cannot create a temporary directory");
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(scratch(), ec);
    });
    return fs::path(tmpl);
  }();
  return dir;
}

/// Writes the family instance as a scenario file and loads it, as `corridor run` would.
std::shared_ptr<const Scenario> load_family(Family f, int nodes, const Options& opt,
                                            int years = 25) {
  FamilyParams p;
  p.family = f;
  p.nodes = nodes;
  p.years = years;
  p.seed = opt.seed;
  const fs::path path =
      scratch() / (std::string(family_name(f)) + "-" + std::to_string(nodes) + ".yaml");
  std::ofstream(path) << family_yaml(p);
  const LoadedScenario ls = load_scenario(path.string());
  return ls.cases.front();
}

/// Every case of every scenario shipped in scenarios/.
std::vector<std::shared_ptr<const Scenario>> library() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(CORRIDOR_SOURCE_DIR "/scenarios")) {
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::shared_ptr<const Scenario>> out;
  for (const std::string& f : files) {
    const LoadedScenario ls = load_scenario(f);
    out.insert(out.end(), ls.cases.begin(), ls.cases.end());
  }
  return out;
}

constexpr PivotRule kRules[] = {PivotRule::FirstEligible, PivotRule::BlockSearch,
                                PivotRule::CandidateList, PivotRule::AlteringList,
                                PivotRule::BestEligible};
const char* short_name(PivotRule r) {
  switch (r) {
    case PivotRule::FirstEligible:
      return "first";
    case PivotRule::BestEligible:
      return "best";
    case PivotRule::BlockSearch:
      return "block";
    case PivotRule::CandidateList:
      return "cand";
    case PivotRule::AlteringList:
      return "alter";
  }
  return "?";
}

// --- solve ---------------------------------------------------------------------------------

void section_solve(const Options& opt) {
  std::printf(
      "== solve: per solve, FlowSolver::solve (pivot rule: %s) against raw LEMON by pivot "
      "rule; CPU ms per solve, median ==\n",
      short_name(kEngineRule));
  std::printf("%-14s %6s %6s %7s %9s", "instance", "nodes", "arcs", "solves", "engine");
  for (PivotRule r : kRules) std::printf(" %9s", short_name(r));
  std::printf(" %9s %9s\n", "eng/same", "eng/best");
  const std::vector<int> sizes = opt.quick ? std::vector<int>{200} : std::vector<int>{600, 4200};
  for (int n : sizes) {
    const auto s = load_family(Family::Pipeline, n, opt);
    const Problem pr = std::move(make_problems(*s).front());
    const Network& net = pr.net;
    FlowSolver engine(net);
    FlowSolution sol;
    std::vector<std::unique_ptr<RawLemon>> raws;
    std::vector<PivotRule> rules;
    for (PivotRule r : kRules) {
      if (r == PivotRule::BestEligible && n > 1000) continue;  // 20x slower: too long to time
      raws.push_back(std::make_unique<RawLemon>(net.num_nodes, net.source, net.sink, net.arc_tail,
                                                net.arc_head, pr.arc_cost, r));
      rules.push_back(r);
    }
    std::vector<std::vector<double>> times(raws.size() + 1);
    std::vector<std::int64_t> flow;
    __int128 cost = 0;
    const int rounds = opt.quick ? 1 : n <= 1000 ? 8 : 2;
    const int sides = static_cast<int>(raws.size()) + 1;
    for (int rep = 0; rep < opt.reps + 1; ++rep) {  // rep 0 warms up, untimed
      for (int round = 0; round < rounds; ++round) {
        for (std::size_t t = 0; t < pr.periods.size(); ++t) {
          const PeriodInput& per = pr.periods[t];
          __int128 want = 0;
          bool have_want = false;
          for (int k = 0; k < sides; ++k) {
            const int side = (k + rep + round + static_cast<int>(t)) % sides;
            const auto t0 = Clock::now();
            if (side == 0) {
              engine.solve(per.scaled, sol);
            } else if (!raws[side - 1]->solve(per.arc_upper, per.total_demand, flow, cost)) {
              fail("raw LEMON not optimal");
            }
            const double ms = ms_since(t0);
            if (rep > 0) times[side].push_back(ms);
            const __int128 got =
                side == 0 ? static_cast<__int128>(sol.real_cost) + sol.penalty : cost;
            if (side == 0 && sol.status != FlowStatus::Optimal) fail("engine not optimal");
            if (have_want && got != want) {
              fail(pr.name + " period " + std::to_string(t) +
                   ": objectives differ: " + to_string(got) + " against " + to_string(want));
            }
            want = got;
            have_want = true;
          }
        }
      }
    }
    const double eng = median(times[0]);
    double best = 1e300, same = 0.0;
    std::printf("%-14s %6d %6d %7zu %9.4f", pr.name.c_str(), net.num_nodes, net.num_arcs(),
                times[0].size(), eng);
    std::size_t k = 0;
    for (PivotRule r : kRules) {
      if (k < rules.size() && rules[k] == r) {
        const double m = median(times[k + 1]);
        best = std::min(best, m);
        if (r == kEngineRule) same = m;
        std::printf(" %9.4f", m);
        ++k;
      } else {
        std::printf(" %9s", "-");
      }
    }
    std::printf(" %8.3fx %8.3fx\n", eng / same, eng / best);
    std::fflush(stdout);
  }
  std::printf(
      "eng/same: engine / raw LEMON with the engine's pivot rule; eng/best: engine / fastest raw "
      "rule. Objectives agreed on every solve.\n\n");
}

// --- period --------------------------------------------------------------------------------

/// Runs `f` once per repetition for each of `sides`, rotating which goes first; returns the
/// median ms of each (the first repetition warms up, untimed).
std::vector<double> paired_medians(const std::vector<std::function<void()>>& sides, int reps) {
  const int n = static_cast<int>(sides.size());
  std::vector<std::vector<double>> ms(n);
  for (int rep = 0; rep < reps + 1; ++rep) {
    for (int k = 0; k < n; ++k) {
      const int side = (k + rep) % n;
      const auto t0 = Clock::now();
      sides[side]();
      if (rep > 0) ms[side].push_back(ms_since(t0));
    }
  }
  std::vector<double> out;
  for (const auto& v : ms) out.push_back(median(v));
  return out;
}

void section_period(const Options& opt) {
  std::printf(
      "== period: the per-period work of the engine, dispatch() (bounds, solve, extraction, "
      "invariant checks; no economics, no CSV), against the raw LEMON loop over the same periods; "
      "CPU ms per period, median of %d ==\n",
      opt.reps);
  std::printf("%-14s %7s %9s %9s %9s %8s %8s | %9s %9s %8s %9s\n", "instance", "periods", "engine",
              "raw first", "raw block", "ratio", "r/same", "eng/25", "best/25", "ratio",
              "simulate");
  const std::vector<int> sizes = opt.quick ? std::vector<int>{200} : std::vector<int>{600, 4200};
  for (int n : sizes) {
    const auto s = load_family(Family::Pipeline, n, opt);
    auto one = std::make_shared<Scenario>(*s);  // the same case, first year only
    one->horizon.end_year = one->horizon.start_year;
    const Problem pr = std::move(make_problems(*s).front());
    const double periods = static_cast<double>(pr.periods.size());
    std::vector<std::int64_t> flow;
    __int128 cost = 0;
    auto raw_loop = [&](PivotRule rule, std::size_t count) {
      RawLemon raw(pr.net.num_nodes, pr.net.source, pr.net.sink, pr.net.arc_tail, pr.net.arc_head,
                   pr.arc_cost, rule);
      for (std::size_t t = 0; t < count; ++t) {
        if (!raw.solve(pr.periods[t].arc_upper, pr.periods[t].total_demand, flow, cost)) {
          fail("raw LEMON not optimal");
        }
      }
    };
    auto engine = [&](const std::shared_ptr<const Scenario>& c) {
      if (dispatch(c).failure) fail("dispatch failed");
    };
    const std::vector<double> t =
        paired_medians({[&] { engine(s); }, [&] { engine(one); },
                        [&] { raw_loop(PivotRule::FirstEligible, pr.periods.size()); },
                        [&] { raw_loop(PivotRule::FirstEligible, 1); },
                        [&] { raw_loop(PivotRule::BlockSearch, pr.periods.size()); },
                        [&] { raw_loop(PivotRule::BlockSearch, 1); },
                        [&] {
                          if (simulate(s).failure) fail("simulate failed");
                        }},
                       opt.reps);
    const double extra = periods - 1;
    const double eng = (t[0] - t[1]) / extra;
    const double first = (t[2] - t[3]) / extra, block = (t[4] - t[5]) / extra;
    const double best = std::min(first, block);
    const double same = kEngineRule == PivotRule::FirstEligible ? first : block;
    const double best_total = std::min(t[2], t[4]) / periods;
    std::printf("%-14s %7zu %9.4f %9.4f %9.4f %7.3fx %7.3fx | %9.4f %9.4f %7.3fx %9.4f\n",
                pr.name.c_str(), pr.periods.size(), eng, first, block, eng / best, eng / same,
                t[0] / periods, best_total, t[0] / periods / best_total, t[6] / periods);
    std::fflush(stdout);
  }
  std::printf(
      "Per period = the cost of each extra period: (time of all periods - time of the first "
      "alone) / (periods - 1), so the one-time setup (network, graph) is left out on both "
      "sides. ratio: engine / best raw rule; r/same: engine / raw LEMON with the engine's rule. "
      "After '|': whole runs / periods, setup included (eng/25: dispatch; best/25: best raw "
      "loop; simulate: dispatch plus economics).\n\n");
}

// --- pivot ---------------------------------------------------------------------------------

struct PivotRow {
  std::string name;
  int nodes = 0, arcs = 0, solves = 0;
  double ms[std::size(kRules)] = {};
};

/// Raw LEMON over every period of every problem, per rule: ms per solve (median of reps).
PivotRow pivot_row(const std::string& name, const std::vector<Problem>& problems,
                   const Options& opt) {
  PivotRow row;
  row.name = name;
  struct Solved {
    int nodes, source, sink;
    std::vector<int> tail, head;
    std::vector<std::int64_t> cost;
    std::vector<std::vector<std::int64_t>> upper;
    std::vector<std::int64_t> demand;
    std::vector<std::vector<std::int64_t>> supply;  // per node, with storage layers
  };
  std::vector<Solved> solved;
  for (const Problem& p : problems) {
    Solved s;
    s.demand.reserve(p.periods.size());
    s = {p.net.num_nodes,
         p.net.source,
         p.net.sink,
         p.net.arc_tail,
         p.net.arc_head,
         p.arc_cost,
         {},
         {},
         {}};
    for (const PeriodInput& per : p.periods) {
      s.upper.push_back(per.arc_upper);
      s.demand.push_back(per.total_demand);
      s.supply.push_back(per.node_supply);
    }
    row.nodes = std::max(row.nodes, s.nodes);
    row.arcs = std::max(row.arcs, static_cast<int>(s.tail.size()));
    row.solves += static_cast<int>(s.upper.size());
    solved.push_back(std::move(s));
  }
  // Per solve, interleaved: every period of every problem is solved by each rule in turn
  // (rotating which goes first), so that all rules see the same machine state; the graph and
  // solver of each rule are built once per problem, outside the timing.
  std::vector<std::size_t> rules;
  for (std::size_t k = 0; k < std::size(kRules); ++k) {
    if (kRules[k] == PivotRule::BestEligible && row.arcs > 12'000) {
      row.ms[k] = -1;  // far too slow to time at this size
      continue;
    }
    rules.push_back(k);
  }
  std::vector<std::vector<double>> times(std::size(kRules));
  std::vector<std::int64_t> flow;
  const int reps = opt.quick ? 1 : std::max(3, opt.reps);
  for (const Solved& s : solved) {
    std::vector<std::unique_ptr<RawLemon>> raw;
    for (std::size_t k : rules) {
      raw.push_back(
          std::make_unique<RawLemon>(s.nodes, s.source, s.sink, s.tail, s.head, s.cost, kRules[k]));
    }
    for (int rep = 0; rep < reps; ++rep) {
      for (std::size_t t = 0; t < s.upper.size(); ++t) {
        __int128 want = 0;
        bool have_want = false;
        for (std::size_t j = 0; j < rules.size(); ++j) {
          const std::size_t i = (j + t + static_cast<std::size_t>(rep)) % rules.size();
          __int128 cost = 0;
          const auto t0 = Clock::now();
          const bool ok = s.supply[t].empty() ? raw[i]->solve(s.upper[t], s.demand[t], flow, cost)
                                              : raw[i]->solve(s.upper[t], s.supply[t], flow, cost);
          if (!ok) fail(name + ": not optimal");
          times[rules[i]].push_back(ms_since(t0));
          if (have_want && cost != want) fail(name + ": pivot rules disagree on the objective");
          want = cost;
          have_want = true;
        }
      }
    }
  }
  for (std::size_t k : rules) row.ms[k] = median(times[k]);
  return row;
}

void section_pivot(const Options& opt) {
  std::printf(
      "== pivot: raw LEMON NetworkSimplex per solve by pivot rule, interleaved (graph built once "
      "per problem, not timed); CPU ms per solve (median), ratio to block search in brackets ==\n");
  std::printf("%-22s %6s %6s %6s", "family", "nodes", "arcs", "solves");
  for (PivotRule r : kRules) std::printf(" %16s", short_name(r));
  std::printf("\n");
  auto print = [](const PivotRow& row) {
    std::printf("%-22s %6d %6d %6d", row.name.c_str(), row.nodes, row.arcs, row.solves);
    const double block = row.ms[1];
    for (double ms : row.ms) {
      if (ms < 0) {
        std::printf(" %16s", "-");
      } else {
        std::printf(" %8.4f (%4.2f)", ms, ms / block);
      }
    }
    std::printf("\n");
    std::fflush(stdout);
  };
  struct Case {
    Family family;
    int nodes;
  };
  std::vector<Case> cases;
  if (opt.quick) {
    cases = {{Family::Pipeline, 200},
             {Family::Meshed, 200},
             {Family::Radial, 200},
             {Family::Chain, 200}};
  } else {
    cases = {{Family::Pipeline, 600}, {Family::Pipeline, 4200}, {Family::Pipeline, 20000},
             {Family::Meshed, 600},   {Family::Meshed, 4200},   {Family::Radial, 600},
             {Family::Radial, 4200},  {Family::Chain, 2000}};
  }
  for (const Case& c : cases) {
    const int years = c.nodes >= 20000 ? 5 : c.family == Family::Chain ? 5 : 25;
    const auto s = load_family(c.family, c.nodes, opt, years);
    const std::vector<Problem> problems = make_problems(*s);
    const std::string name = std::string(family_name(c.family)) + "-" + std::to_string(c.nodes);
    print(pivot_row(name, problems, opt));
  }
  std::vector<Problem> lib;
  int varying = 0;
  for (const auto& s : library()) {
    for (Problem& p : make_problems(*s)) {
      // Raw LEMON here takes one cost vector and no lower bounds.
      if (p.fixed) {
        lib.push_back(std::move(p));
      } else {
        ++varying;
      }
    }
  }
  print(pivot_row("library (all cases)", lib, opt));
  std::printf(
      "Every rule gave the same objective on every solve. library: every year (a year of months "
      "at once with storage) of every case and commodity of scenarios/ whose costs are the same "
      "every period and that has no hard contract minimum (%d other case-commodities left "
      "out).\n\n",
      varying);
}

// --- peers ---------------------------------------------------------------------------------

/// Writes one problem (first `periods` periods) as JSON for peers.py.
void write_problem(const Problem& p, std::size_t periods, const fs::path& path) {
  std::ofstream out(path);
  auto list = [&](const auto& v) {
    out << "[";
    for (std::size_t i = 0; i < v.size(); ++i) out << (i ? "," : "") << v[i];
    out << "]";
  };
  out << "{\"nodes\":" << p.net.num_nodes << ",\"source\":" << p.net.source
      << ",\"sink\":" << p.net.sink << ",\"tail\":";
  list(p.net.arc_tail);
  out << ",\"head\":";
  list(p.net.arc_head);
  out << ",\"cost\":";
  list(p.arc_cost);
  out << ",\"periods\":[";
  for (std::size_t t = 0; t < periods; ++t) {
    out << (t ? "," : "") << "{\"demand\":" << p.periods[t].total_demand << ",\"upper\":";
    list(p.periods[t].arc_upper);
    out << "}";
  }
  out << "]}\n";
}

/// Runs `argv`, returns its stdout; `status` is the exit status, or -1 if it could not start.
std::string run_capture(const std::vector<std::string>& argv, int& status) {
  int pipefd[2];
  if (::pipe(pipefd) != 0) fail("pipe");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipefd[1], 1);
    ::close(pipefd[0]);
    ::close(pipefd[1]);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(pipefd[1]);
  std::string out;
  char buf[4096];
  ssize_t got;
  while ((got = ::read(pipefd[0], buf, sizeof buf)) > 0)
    out.append(buf, static_cast<std::size_t>(got));
  ::close(pipefd[0]);
  int ws = 0;
  ::waitpid(pid, &ws, 0);
  status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
  return out;
}

/// The value of the line "key VALUE" in peers.py's output, or -1.
double value_of(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + " ", 0) == 0) return std::strtod(line.c_str() + key.size() + 1, nullptr);
  }
  return -1;
}

void section_peers(const Options& opt) {
  std::printf(
      "== peers: per solve, the engine against networkx network_simplex and SciPy HiGHS "
      "(linprog, method='highs') on the same problems; CPU ms per solve, median ==\n");
  const char* python = "/usr/bin/python3";
  if (::access(python, X_OK) != 0) {
    std::printf(
        "peers skipped: %s not found (Debian python3-networkx and python3-scipy; "
        "./setup.sh --checks installs them)\n\n",
        python);
    return;
  }
  std::printf("%-14s %6s %6s %7s %9s %10s %10s %9s %9s\n", "instance", "nodes", "arcs", "solves",
              "engine", "networkx", "highs", "nx/eng", "highs/eng");
  const std::vector<int> sizes = opt.quick ? std::vector<int>{200} : std::vector<int>{600, 4000};
  for (int n : sizes) {
    const auto s = load_family(Family::Pipeline, n, opt);
    const Problem pr = std::move(make_problems(*s).front());
    const std::size_t periods = opt.quick ? 2 : n <= 1000 ? 10 : 4;
    const fs::path file = scratch() / ("peers-" + std::to_string(n) + ".json");
    write_problem(pr, periods, file);
    FlowSolver engine(pr.net);
    FlowSolution sol;
    std::vector<double> eng;
    std::vector<__int128> objective;
    auto time_engine = [&] {
      for (int rep = 0; rep < (opt.quick ? 2 : 20); ++rep) {
        for (std::size_t t = 0; t < periods; ++t) {
          const auto t0 = Clock::now();
          engine.solve(pr.periods[t].scaled, sol);
          eng.push_back(ms_since(t0));
          if (objective.size() <= t) objective.push_back(sol.real_cost + sol.penalty);
        }
      }
    };
    time_engine();  // before and after the peers: the same machine state on average
    int status = 0;
    const std::string out = run_capture(
        {python, CORRIDOR_SOURCE_DIR "/bench/peers.py", file.string(), opt.quick ? "1" : "3"},
        status);
    time_engine();
    if (status != 0 || out.rfind("skipped", 0) == 0) {
      std::printf("peers %s\n\n",
                  out.empty() ? "skipped: bench/peers.py failed (see stderr)" : out.c_str());
      return;
    }
    // peers.py prints "networkx_ms X", "highs_ms Y" and "objective_T NX HIGHS" per period.
    const double nx = value_of(out, "networkx_ms"), highs = value_of(out, "highs_ms");
    for (std::size_t t = 0; t < periods; ++t) {
      const std::string key = "objective_" + std::to_string(t);
      const std::size_t at = out.find(key + " ");
      if (at == std::string::npos) fail("peers.py printed no " + key);
      char* end = nullptr;
      const double nx_obj = std::strtod(out.c_str() + at + key.size() + 1, &end);
      const double hi_obj = std::strtod(end, nullptr);
      const double want = static_cast<double>(objective[t]);
      if (std::abs(nx_obj - want) > 0.5 || std::abs(hi_obj - want) > 1e-7 * std::abs(want)) {
        fail("peers disagree on the objective of period " + std::to_string(t) + ": engine " +
             to_string(objective[t]) + ", networkx " + std::to_string(nx_obj) + ", highs " +
             std::to_string(hi_obj));
      }
    }
    const double e = median(eng);
    std::printf("%-14s %6d %6d %7zu %9.4f %10.3f %10.3f %8.0fx %8.0fx\n", pr.name.c_str(),
                pr.net.num_nodes, pr.net.num_arcs(), periods, e, nx, highs, nx / e, highs / e);
    std::fflush(stdout);
  }
  std::printf(
      "The peers' times cover the solver call only (graph or matrix built beforehand). "
      "networkx's objective must equal the engine's exactly, HiGHS's within 1e-7.\n\n");
}

void usage(std::FILE* to) {
  std::fprintf(to,
               "usage: bench_dispatch [--quick] [--reps N] [--seed S] [--only SECTION]... "
               "[--help]\n"
               "  Sections: solve, period, pivot, peers (default: all). See bench/README.md.\n"
               "  --quick   200-node instances, 1-2 repetitions (smoke test)\n"
               "  --reps N  repetitions (default 7)\n"
               "  --seed S  instance seed (default 20240601)\n");
}

bool parse(int argc, char** argv, Options& opt) {
  std::vector<std::string> only;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      usage(stdout);
      std::exit(0);
    } else if (arg == "--quick") {
      opt.quick = true;
    } else if (arg == "--only" && i + 1 < argc) {
      only.emplace_back(argv[++i]);
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
  if (!only.empty()) opt.sections = only;
  if (opt.quick) opt.reps = std::min(opt.reps, 2);
  return true;
}

}  // namespace
}  // namespace corridor::bench

int main(int argc, char** argv) {
  using namespace corridor::bench;
  Options opt;
  if (!parse(argc, argv, opt)) {
    usage(stderr);
    return 2;
  }
  std::printf("bench_dispatch: seed %llu, %d repetitions%s\n\n",
              static_cast<unsigned long long>(opt.seed), opt.reps, opt.quick ? ", quick" : "");
  for (const std::string& s : opt.sections) {
    if (s == "solve") {
      section_solve(opt);
    } else if (s == "period") {
      section_period(opt);
    } else if (s == "pivot") {
      section_pivot(opt);
    } else if (s == "peers") {
      section_peers(opt);
    } else {
      usage(stderr);
      return 2;
    }
  }
  return 0;
}
