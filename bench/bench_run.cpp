/// \file The tool as users meet it: `corridor validate` and `corridor run` as child processes,
/// timed from fork to exit, with their peak memory; and the same work split into its phases in
/// process (load, simulate, CSV, write). See README.md.
///
/// Sections:
///   load     validate and run on the whole shipped library (scenarios/), median/min/max of N;
///   scaling  pipeline-family scenarios of 100 to 20,000 nodes x 25 years: end to end, the cost
///            of each extra year, the phases, CSV bytes and time per row, peak RSS against the
///            output size;
///   chain    single chains of 1,000 to 60,000 pipelines, one year, end to end, and the solve
///            in process.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/csv.h"
#include "corridor/flow_solver.h"
#include "corridor/output.h"
#include "corridor/scenario_io.h"
#include "corridor/simulate.h"
#include "families.h"

namespace fs = std::filesystem;

namespace corridor::bench {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "bench_run: error: %s\n", what.c_str());
  std::exit(1);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

struct Options {
  bool quick = false;
  int reps = 20;
  std::string corridor = CORRIDOR_BINARY;
  std::vector<std::string> sections = {"load", "scaling", "chain"};
};

const fs::path& scratch() {
  static const fs::path dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "corridor-bench-run-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) fail("cannot create a temporary directory");
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(scratch(), ec);
    });
    return fs::path(tmpl);
  }();
  return dir;
}

/// One run of a child process: wall time from fork to exit, CPU time and peak RSS.
struct Child {
  double wall_ms = 0, cpu_ms = 0;
  long peak_rss_kb = 0;
  int status = -1;
};

/// Forks, execs `argv` (stdout to /dev/null) and waits. Called only in the spawner below.
Child fork_exec_wait(const std::vector<std::string>& argv) {
  const auto t0 = Clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Quiet: the bench prints its own tables.
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int ws = 0;
  rusage ru{};
  ::wait4(pid, &ws, 0, &ru);
  Child c;
  c.wall_ms = ms_since(t0);
  c.cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
             (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
  c.peak_rss_kb = ru.ru_maxrss;
  c.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
  return c;
}

void write_exact(int fd, const void* data, std::size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t k = ::write(fd, p, n);
    if (k <= 0) fail("spawner pipe: write failed");
    p += k;
    n -= static_cast<std::size_t>(k);
  }
}

bool read_exact(int fd, void* data, std::size_t n) {
  char* p = static_cast<char*>(data);
  while (n > 0) {
    const ssize_t k = ::read(fd, p, n);
    if (k <= 0) return false;
    p += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

/// The children are forked by a small process forked at start-up, not by the bench itself:
/// a forked child's peak RSS (ru_maxrss) counts the pages it shares with its parent until it
/// execs, and the bench holds large scenarios and results in memory.
class Spawner {
 public:
  Spawner() {
    int to[2], from[2];
    if (::pipe(to) != 0 || ::pipe(from) != 0) fail("cannot create the spawner's pipes");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(to[1]);
      ::close(from[0]);
      serve(to[0], from[1]);
      ::_exit(0);
    }
    ::close(to[0]);
    ::close(from[1]);
    to_ = to[1];
    from_ = from[0];
  }
  ~Spawner() {
    ::close(to_);
    ::close(from_);
    ::waitpid(pid_, nullptr, 0);
  }
  Child run(const std::vector<std::string>& argv) {
    std::string request;
    for (const std::string& a : argv) request.append(a).push_back('\0');
    const std::uint64_t n = request.size();
    write_exact(to_, &n, sizeof n);
    write_exact(to_, request.data(), request.size());
    Child c;
    if (!read_exact(from_, &c, sizeof c)) fail("the spawner died");
    return c;
  }

 private:
  static void serve(int in, int out) {
    std::uint64_t n = 0;
    while (read_exact(in, &n, sizeof n)) {
      std::string request(n, '\0');
      if (!read_exact(in, request.data(), n)) return;
      std::vector<std::string> argv;
      for (std::size_t at = 0; at < request.size();) {
        const std::size_t end = request.find('\0', at);
        argv.push_back(request.substr(at, end - at));
        at = end + 1;
      }
      const Child c = fork_exec_wait(argv);
      write_exact(out, &c, sizeof c);
    }
  }
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
};

Spawner* g_spawner = nullptr;

Child run_child(const std::vector<std::string>& argv) { return g_spawner->run(argv); }

std::vector<std::string> library_files() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(CORRIDOR_SOURCE_DIR "/scenarios")) {
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::uintmax_t directory_bytes(const fs::path& dir) {
  std::uintmax_t total = 0;
  for (const auto& e : fs::directory_iterator(dir)) total += e.file_size();
  return total;
}

/// `corridor run FILES -o <fresh dir>`, the directory removed afterwards; its bytes in `bytes`.
Child corridor_run(const Options& opt, const std::vector<std::string>& files,
                   std::uintmax_t* bytes = nullptr) {
  static int n = 0;
  const fs::path out = scratch() / ("out-" + std::to_string(n++));
  std::vector<std::string> argv = {opt.corridor, "run", "-q"};
  argv.insert(argv.end(), files.begin(), files.end());
  argv.push_back("-o");
  argv.push_back(out.string());
  const Child c = run_child(argv);
  if (c.status > 1) fail("corridor run failed (exit " + std::to_string(c.status) + ")");
  if (bytes) *bytes = directory_bytes(out);
  std::error_code ec;
  fs::remove_all(out, ec);
  return c;
}

struct Spread {
  double median = 0, min = 0, max = 0;
};
Spread spread(const std::vector<double>& v) {
  return {median(v), *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end())};
}

// --- load ----------------------------------------------------------------------------------

void section_load(const Options& opt) {
  const std::vector<std::string> files = library_files();
  std::printf(
      "== load: the whole shipped library (%zu files), %s; wall ms from fork to exit, %d runs ==\n",
      files.size(), opt.corridor.c_str(), opt.reps);
  std::printf("%-10s %9s %9s %9s %9s %10s\n", "command", "median", "min", "max", "cpu med",
              "peak RSS");
  for (const char* command : {"validate", "run"}) {
    std::vector<double> wall, cpu;
    long rss = 0;
    for (int i = 0; i < opt.reps + 1; ++i) {
      Child c;
      if (std::string_view(command) == "validate") {
        std::vector<std::string> argv = {opt.corridor, "validate", "-q"};
        argv.insert(argv.end(), files.begin(), files.end());
        c = run_child(argv);
        if (c.status != 0) fail("corridor validate failed");
      } else {
        c = corridor_run(opt, files);
      }
      if (i == 0) continue;  // warm the page cache
      wall.push_back(c.wall_ms);
      cpu.push_back(c.cpu_ms);
      rss = std::max(rss, c.peak_rss_kb);
    }
    const Spread s = spread(wall);
    std::printf("%-10s %9.1f %9.1f %9.1f %9.1f %7.1f MB\n", command, s.median, s.min, s.max,
                median(cpu), rss / 1024.0);
    std::fflush(stdout);
  }
  std::printf(
      "cpu: user + system time of the process (what the wall time would be on an idle "
      "machine, without waiting for the disk).\n\n");
}

// --- scaling -------------------------------------------------------------------------------

fs::path write_family(Family f, int nodes, int years) {
  FamilyParams p;
  p.family = f;
  p.nodes = nodes;
  p.years = years;
  const fs::path path = scratch() / (std::string(family_name(f)) + "-" + std::to_string(nodes) +
                                     "-" + std::to_string(years) + "y.yaml");
  std::ofstream(path) << family_yaml(p);
  return path;
}

struct Phases {
  double load = 0, simulate = 0, csv = 0, write = 0, streamed = 0;
  std::uintmax_t csv_bytes = 0, rows = 0;
};

/// The work of `corridor run FILE` in process, phase by phase (best of `reps`).
Phases phases(const fs::path& file, int reps) {
  Phases best;
  for (int rep = 0; rep < reps; ++rep) {
    Phases p;
    auto t0 = Clock::now();
    const LoadedScenario ls = load_scenario(file.string());
    p.load = ms_since(t0);
    t0 = Clock::now();
    RunResult r;
    for (const auto& c : ls.cases) r.cases.push_back(simulate(c));
    p.simulate = ms_since(t0);
    t0 = Clock::now();
    const auto files = result_csvs(r);
    p.csv = ms_since(t0);
    for (const auto& [name, text] : files) {
      p.csv_bytes += text.size();
      p.rows += static_cast<std::uintmax_t>(std::count(text.begin(), text.end(), '\n')) - 1;
    }
    const fs::path out = scratch() / "phases-out";
    t0 = Clock::now();
    write_directory_atomically(out.string(), files);
    p.write = ms_since(t0);
    std::error_code ec;
    fs::remove_all(out, ec);
    // What `corridor run` does: the files formatted row by row as they are written.
    t0 = Clock::now();
    write_directory_atomically(out.string(), result_files(r));
    p.streamed = ms_since(t0);
    fs::remove_all(out, ec);
    if (rep == 0 || p.simulate + p.streamed < best.simulate + best.streamed) best = p;
  }
  return best;
}

void section_scaling(const Options& opt) {
  std::printf(
      "== scaling: pipeline family, 25 years, `corridor run` end to end (wall ms, median of %d) "
      "and in process (best of 3) ==\n",
      opt.quick ? 1 : 5);
  std::printf("%-16s %6s %8s %9s %9s %9s | %8s %8s %8s %8s %8s %8s %6s %9s | %8s %8s %6s\n",
              "instance", "pipes", "MB yaml", "run 25y", "run 1y", "per year", "load", "simulate",
              "csv", "write", "ns/row", "streamed", "out/sim", "csv MB", "peak RSS", "output",
              "ratio");
  const std::vector<int> sizes =
      opt.quick ? std::vector<int>{100} : std::vector<int>{100, 600, 4200, 20000};
  for (int n : sizes) {
    const fs::path file25 = write_family(Family::Pipeline, n, 25);
    const fs::path file1 = write_family(Family::Pipeline, n, 1);
    const int reps = opt.quick ? 1 : n >= 20000 ? 3 : 5;
    std::vector<double> t25, t1;
    long rss = 0;
    std::uintmax_t out_bytes = 0;
    for (int i = 0; i < reps; ++i) {
      const Child a = corridor_run(opt, {file25.string()}, &out_bytes);
      const Child b = corridor_run(opt, {file1.string()});
      t25.push_back(a.wall_ms);
      t1.push_back(b.wall_ms);
      rss = std::max(rss, a.peak_rss_kb);
    }
    const Phases ph = phases(file25, opt.quick ? 1 : 3);
    const LoadedScenario ls = load_scenario(file25.string());
    const auto pipes = ls.cases.front()->pipelines.size();
    const double out_mb = static_cast<double>(out_bytes) / 1e6;
    const double rss_mb = static_cast<double>(rss) * 1024 / 1e6;
    std::printf(
        "%-16s %6zu %8.2f %9.1f %9.1f %9.2f | %8.1f %8.1f %8.1f %8.1f %8.0f %8.1f %5.2fx %9.2f | "
        "%8.1f %8.1f %5.2fx\n",
        ("pipeline-" + std::to_string(n)).c_str(), pipes,
        static_cast<double>(fs::file_size(file25)) / 1e6, median(t25), median(t1),
        (median(t25) - median(t1)) / 24.0, ph.load, ph.simulate, ph.csv, ph.write,
        ph.csv * 1e6 / static_cast<double>(std::max<std::uintmax_t>(ph.rows, 1)), ph.streamed,
        ph.streamed / ph.simulate, static_cast<double>(ph.csv_bytes) / 1e6, rss_mb, out_mb,
        rss_mb / out_mb);
    std::fflush(stdout);
  }
  std::printf(
      "per year: (run 25y - run 1y) / 24, the cost of each extra simulated year end to end. "
      "Phases in process: load_scenario, simulate, the CSV text held whole (result_csvs; ns/row: "
      "per row of every file), its write_directory_atomically (files and fsync); streamed: "
      "what `corridor run` does, the files formatted row by row as they are written "
      "(result_files), text and write together; out/sim = streamed / simulate. peak RSS: of "
      "`corridor run`, MB of 1e6 bytes; ratio = peak RSS / output.\n\n");
}

// --- chain ---------------------------------------------------------------------------------

void section_chain(const Options& opt) {
  std::printf(
      "== chain: one path of pipelines, one year; `corridor run` end to end (wall ms, median of "
      "3) and the solve in process ==\n");
  std::printf("%-14s %9s %9s %10s %12s\n", "instance", "MB yaml", "run", "load", "solve");
  const std::vector<int> sizes =
      opt.quick ? std::vector<int>{1001} : std::vector<int>{1001, 6001, 20001, 60001};
  for (int n : sizes) {
    const fs::path file = write_family(Family::Chain, n, 1);
    std::vector<double> wall;
    for (int i = 0; i < (opt.quick ? 1 : 3); ++i)
      wall.push_back(corridor_run(opt, {file.string()}).wall_ms);
    auto t0 = Clock::now();
    const LoadedScenario ls = load_scenario(file.string());
    const double load = ms_since(t0);
    const std::vector<Problem> problems = make_problems(*ls.cases.front());
    const Problem& pr = problems.front();
    t0 = Clock::now();
    FlowSolver solver(pr.net);
    FlowSolution sol;
    solver.solve(pr.periods.front().scaled, sol);
    if (sol.status != FlowStatus::Optimal) fail("chain not optimal");
    const double solve = ms_since(t0);
    std::printf("%-14s %9.2f %9.1f %10.1f %12.2f\n", ("chain-" + std::to_string(n - 1)).c_str(),
                static_cast<double>(fs::file_size(file)) / 1e6, median(wall), load, solve);
    std::fflush(stdout);
  }
  std::printf(
      "chain-N: N pipelines. solve: FlowSolver construction (graph) and one solve, ms. Network "
      "simplex is quadratic on a path.\n\n");
}

void usage(std::FILE* to) {
  std::fprintf(to,
               "usage: bench_run [--quick] [--reps N] [--corridor PATH] [--only SECTION]... "
               "[--help]\n"
               "  Sections: load, scaling, chain (default: all). See bench/README.md.\n"
               "  --quick          smallest instances, one run each (smoke test)\n"
               "  --reps N         runs of each command in 'load' (default 20)\n"
               "  --corridor PATH  the corridor binary to time (default: this build's)\n");
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
    } else if (arg == "--corridor" && i + 1 < argc) {
      opt.corridor = argv[++i];
    } else if (arg == "--reps" && i + 1 < argc) {
      opt.reps = std::atoi(argv[++i]);
      if (opt.reps <= 0) return false;
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
  std::fflush(stdout);
  Spawner spawner;  // while the bench is small (see Spawner)
  g_spawner = &spawner;
  std::printf("bench_run: %s%s\n\n", opt.corridor.c_str(), opt.quick ? ", quick" : "");
  for (const std::string& s : opt.sections) {
    if (s == "load") {
      section_load(opt);
    } else if (s == "scaling") {
      section_scaling(opt);
    } else if (s == "chain") {
      section_chain(opt);
    } else {
      usage(stderr);
      return 2;
    }
  }
  return 0;
}
