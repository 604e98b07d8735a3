/// \file Steady-state gas hydraulics: corridor::solve_hydraulics against an equivalent SciPy
/// Newton (bench/hydraulics_scipy.py, on tests/hydraulics/gas_newton.py), in one run.
///
/// Instances: GasLib-135 (fixed ratio 1.05 at every station; the max-outlet-pressure rule is
/// ill-posed on it), GasLib-135 with every station bypassed (pipes only), and a generated
/// meshed network of about 4,000 nodes and 5,000 pipes, with hills and flat (the flat one also
/// with the exact matrix and an LU, for the LDLT/LU comparison; the LU instances also with Eigen's
/// SparseLU instead of KLU, the "-sparselu" twins). Each instance is written as
/// JSON; the C++ side times cold solves (setup, pattern analysis, linear start, Newton) of the
/// built HydraulicNetwork; then the Python side times its own cold solves of the same JSON and
/// writes its pressures, which must agree with corridor's to 1e-8 relative or the bench aborts. The
/// C++ side is timed again after Python, and the median of all its repetitions is reported, in
/// wall time (the goal's measure) and in CPU time (the C++ thread's, the Python process's), which
/// a loaded machine disturbs less.
/// See README.md.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "corridor/gaslib.h"
#include "corridor/hydraulics.h"
#include "hydraulic_dump.h"

namespace {

using namespace corridor;
namespace fs = std::filesystem;

/// Uniform in [0, 1) from the top 53 bits, the same with any standard library.
double u01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

/// A pipeline-like meshed network: n nodes at random in a 1,000 x 1,000 km square, a tree
/// joining each node to its nearest earlier node, `chords` extra pipes from random nodes to
/// their nearest non-neighbour, lengths 1.2 x the distance, diameters 0.5-1.2 m, heights on
/// rolling hills (0-600 m). Three sources at 75 bar are reference nodes; 30 % of the nodes
/// take 0.2-1.0 kg/s times `load`.
HydraulicNetwork generated_mesh(int n, int chords, double load, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  HydraulicNetwork net;
  std::vector<double> x(n), y(n);
  for (int v = 0; v < n; ++v) {
    x[v] = 1000.0 * u01(rng);
    y[v] = 1000.0 * u01(rng);
    HydraulicNode node;
    node.id = "n" + std::to_string(v);
    node.height_m = 300.0 + 300.0 * std::sin(x[v] / 170.0) * std::cos(y[v] / 130.0);
    if (u01(rng) < 0.3) node.injection_kg_per_s = -(0.2 + 0.8 * u01(rng)) * load;
    net.nodes.push_back(node);
  }
  for (int v : {0, 1, 2}) {
    net.nodes[v].set_pressure_pa = 75e5;
    net.nodes[v].injection_kg_per_s = 0.0;
  }
  std::vector<std::vector<int>> adj(n);
  auto add = [&](int a, int b) {
    HydraulicPipe p;
    p.id = "p" + std::to_string(net.pipes.size());
    p.from = a;
    p.to = b;
    const double d = std::hypot(x[a] - x[b], y[a] - y[b]);
    p.length_m = std::max(1.0, 1.2 * d) * 1e3;
    static const double kDiameters[] = {0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2};
    p.diameter_m = kDiameters[rng() % 7];
    p.roughness_m = 0.012e-3;
    net.pipes.push_back(p);
    adj[a].push_back(b);
    adj[b].push_back(a);
  };
  for (int v = 1; v < n; ++v) {
    int best = 0;
    double bd = 1e300;
    for (int w = 0; w < v; ++w) {
      const double d = std::hypot(x[v] - x[w], y[v] - y[w]);
      if (d < bd) bd = d, best = w;
    }
    add(best, v);
  }
  for (int c = 0; c < chords; ++c) {
    const int a = static_cast<int>(rng() % n);
    int best = -1;
    double bd = 1e300;
    for (int w = 0; w < n; ++w) {
      if (w == a || std::find(adj[a].begin(), adj[a].end(), w) != adj[a].end()) continue;
      const double d = std::hypot(x[a] - x[w], y[a] - y[w]);
      if (d < bd) bd = d, best = w;
    }
    add(a, best);
  }
  return net;
}

struct Instance {
  std::string name;
  HydraulicNetwork net;
  HydraulicOptions options;
  bool python = true;  // also solved by SciPy (a twin shares the JSON of `twin_of`)
  std::string json;
  std::string twin_of;  // the instance whose network and SciPy run this one shares
};

/// CPU time of the calling thread, ms (less disturbed by other processes than wall time).
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

struct Timing {
  std::vector<double> ms;
  std::vector<double> cpu_ms;
  HydraulicResult last;
};

void time_cpp(const Instance& in, int reps, Timing& t) {
  for (int k = 0; k < reps; ++k) {
    const double c0 = thread_cpu_ms();
    const auto t0 = std::chrono::steady_clock::now();
    HydraulicResult r = solve_hydraulics(in.net, in.options);
    const auto t1 = std::chrono::steady_clock::now();
    t.cpu_ms.push_back(thread_cpu_ms() - c0);
    t.ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    t.last = std::move(r);
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "bench_hydraulics: %s\n", msg.c_str());
  std::abort();
}

void check(const Instance& in, const HydraulicResult& r) {
  if (!r.converged())
    die(in.name + ": " + std::string(hydraulic_status_name(r.status)) + ": " + r.message);
  if (!(r.mass_balance_residual_rel <= 1e-9) || !(r.pipe_law_residual_rel <= 1e-8))
    die(in.name + ": residuals above 1e-9 / 1e-8");
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, cpp_only = false;
  int reps = 7, py_reps = 5;
  std::vector<std::string> only;
  std::string python = "/usr/bin/python3";
  fs::path root = CORRIDOR_SOURCE_DIR;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") {
      quick = true;
    } else if (a == "--cpp-only") {
      cpp_only = true;
    } else if (a == "--reps" && i + 1 < argc) {
      reps = std::atoi(argv[++i]);
    } else if (a == "--py-reps" && i + 1 < argc) {
      py_reps = std::atoi(argv[++i]);
    } else if (a == "--python" && i + 1 < argc) {
      python = argv[++i];
    } else if (a == "--only" && i + 1 < argc) {
      only.emplace_back(argv[++i]);
    } else {
      std::printf(
          "usage: bench_hydraulics [--quick] [--cpp-only] [--only NAME]... [--reps N] [--py-reps "
          "N] [--python PATH]\n"
          "  --quick      a 300-node mesh and GasLib-135, 2 repetitions, no Python (CTest smoke)\n"
          "  --cpp-only   the full instances, C++ only (for profiling)\n"
          "  --only NAME  with --cpp-only: only the instance NAME (repeatable)\n");
      return a == "--help" ? 0 : 2;
    }
  }

  std::vector<Instance> instances;
  {
    const fs::path dir = root / "tests" / "data" / "gaslib" / "GasLib-135";
    GasLibInstance g = read_gaslib(dir / "GasLib-135.net", dir / "GasLib-135.scn");
    Instance ratio{"gaslib135-ratio1.05", g.network, {}, true, "", ""};
    apply_station_rule(ratio.net, gaslib_sources(g), StationRule::FixedRatio, 1.05);
    Instance bypass{"gaslib135-bypass", ratio.net, {}, true, "", ""};
    for (auto& c : bypass.net.compressors) c.mode = StationMode::Bypass;
    Instance ratio_slu = ratio;  // the same with Eigen's SparseLU instead of KLU
    ratio_slu.name += "-sparselu";
    ratio_slu.options.lu = LuSolver::SparseLU;
    ratio_slu.python = false;
    ratio_slu.twin_of = ratio.name;
    instances.push_back(std::move(ratio));
    instances.push_back(std::move(ratio_slu));
    instances.push_back(std::move(bypass));
  }
  {
    const int n = quick ? 300 : 4000;
    const std::string name = quick ? "mesh-300" : "mesh-4000";
    Instance hilly{name, generated_mesh(n, n / 4, quick ? 4.0 : 1.0, 20240601), {}, true, "", ""};
    Instance flat{name + "-flat", hilly.net, {}, true, "", ""};
    for (auto& v : flat.net.nodes) v.height_m = 0.0;
    Instance exact = flat;  // the same network with the exact matrix and SparseLU
    exact.name += "-exact";
    exact.options.jacobian = JacobianChoice::Exact;
    exact.python = false;
    exact.twin_of = flat.name;
    Instance hilly_slu = hilly;  // the same with Eigen's SparseLU instead of KLU
    hilly_slu.name += "-sparselu";
    hilly_slu.options.lu = LuSolver::SparseLU;
    hilly_slu.python = false;
    hilly_slu.twin_of = hilly.name;
    instances.push_back(std::move(hilly));
    instances.push_back(std::move(hilly_slu));
    instances.push_back(std::move(flat));
    instances.push_back(std::move(exact));
  }
  if (quick || cpp_only) {
    for (const auto& in : instances) {
      if (!only.empty() && std::find(only.begin(), only.end(), in.name) == only.end()) continue;
      Timing t;
      time_cpp(in, quick ? 2 : reps, t);
      check(in, t.last);
      std::printf("%-28s %5zu nodes %5zu pipes  %2d it  %.3f ms  (cpu %.3f ms)\n", in.name.c_str(),
                  in.net.nodes.size(), in.net.pipes.size(), t.last.iterations, median(t.ms),
                  median(t.cpu_ms));
    }
    return 0;
  }

  const fs::path tmp =
      fs::temp_directory_path() / ("corridor-bench-hydraulics-" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  std::string files;
  for (auto& in : instances) {
    // A twin is the same network: it is compared with its twin's SciPy run.
    const std::string stem = in.python ? in.name : in.twin_of;
    in.json = (tmp / (stem + ".json")).string();
    if (!in.python) continue;
    std::ofstream(in.json) << bench::network_json(in.net);
    files += " " + in.json;
  }
  std::map<std::string, Timing> cpp;
  for (const auto& in : instances) {  // warm-up, then the first half of the repetitions
    Timing warm;
    time_cpp(in, 1, warm);
    check(in, warm.last);
    time_cpp(in, (reps + 1) / 2, cpp[in.name]);
  }
  struct PyTiming {
    double ms = 0.0, cpu_ms = 0.0;
    int iterations = 0;
  };
  std::map<std::string, PyTiming> py;  // json -> medians, iterations
  {
    const std::string cmd = python + " " + (root / "bench" / "hydraulics_scipy.py").string() +
                            " --reps " + std::to_string(py_reps) + files;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) die("cannot run " + cmd);
    char line[4096];
    while (std::fgets(line, sizeof line, p)) {
      std::istringstream ss(line);
      std::string file;
      double med = 0, mn = 0, cpu = 0;
      int it = 0, ok = 0;
      ss >> file >> med >> mn >> it >> ok >> cpu;
      if (!ok) die("SciPy did not converge on " + file);
      py[file] = {med, cpu, it};
    }
    if (pclose(p) != 0) die("the SciPy side failed: " + cmd);
  }
  for (const auto& in : instances) time_cpp(in, reps / 2, cpp[in.name]);

  // The two sides must agree.
  for (const auto& in : instances) {
    std::ifstream f(in.json.substr(0, in.json.size() - 5) + ".scipy.csv");
    std::string row;
    std::getline(f, row);
    const auto& r = cpp[in.name].last;
    double worst = 0.0;
    for (std::size_t v = 0; v < in.net.nodes.size(); ++v) {
      if (!std::getline(f, row)) die(in.name + ": short SciPy output");
      const double p = std::stod(row.substr(row.find(',') + 1));
      worst = std::max(worst, std::abs(p - r.node_pressure_pa[v]) / r.node_pressure_pa[v]);
    }
    if (!(worst <= 1e-8))
      die(in.name + ": corridor and SciPy pressures differ by " + std::to_string(worst));
  }
  fs::remove_all(tmp);

  std::printf("%-28s %6s %6s %6s %8s %10s %9s %10s %8s | %8s %9s %8s\n", "instance", "nodes",
              "pipes", "solver", "iter", "ms", "scipy it", "scipy ms", "ratio", "cpu ms",
              "scipy cpu", "cpu ratio");
  for (const auto& in : instances) {
    const Timing& t = cpp[in.name];
    const double ms = median(t.ms);
    std::printf("%-28s %6zu %6zu %6s %3d+%-4d %10.3f", in.name.c_str(), in.net.nodes.size(),
                in.net.pipes.size(),
                t.last.used_symmetric_solver          ? "LDLT"
                : in.options.lu == LuSolver::SparseLU ? "SpLU"
                                                      : "KLU",
                t.last.linear_start_iterations, t.last.iterations, ms);
    const std::string& json = in.json;
    const double cpu = median(t.cpu_ms);
    if (py.count(json)) {
      const PyTiming& pt = py[json];
      std::printf(" %5d+2  %10.2f %7.1fx | %8.3f %9.2f %8.1fx\n", pt.iterations, pt.ms, pt.ms / ms,
                  cpu, pt.cpu_ms, pt.cpu_ms / cpu);
    } else {
      std::printf("\n");
    }
  }
  return 0;
}
