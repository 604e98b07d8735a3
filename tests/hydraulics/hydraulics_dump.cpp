// Solves a hydraulic network with corridor and writes it (network.json, settings included) and
// the solution (solution.csv) for the independent SciPy solve in check_against_scipy.py.
//
//   hydraulics_dump gaslib NET SCN OUTDIR   GasLib instance, max-outlet-pressure rule
//   hydraulics_dump chain OUTDIR            the 3-pipe chain defined below (and in the script)
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include "corridor/diagnostics.h"
#include "corridor/gaslib.h"
#include "corridor/hydraulics.h"
#include "hydraulic_dump.h"

namespace {

using namespace corridor;

/// A (70 bar, set, 0 m) -P1- B (-40 kg/s, 120 m) -P2- C (0 kg/s, 350 m) -P3- D (-60 kg/s, 80 m);
/// the same numbers are in check_against_scipy.py.
HydraulicNetwork chain() {
  HydraulicNetwork net;
  auto node = [&](const char* id, double inj, double h) {
    HydraulicNode n;
    n.id = id;
    n.injection_kg_per_s = inj;
    n.height_m = h;
    net.nodes.push_back(n);
  };
  node("A", 0.0, 0.0);
  node("B", -40.0, 120.0);
  node("C", 0.0, 350.0);
  node("D", -60.0, 80.0);
  net.nodes[0].set_pressure_pa = 70e5;
  auto pipe = [&](const char* id, int a, int b, double km, double d, double k_mm) {
    HydraulicPipe p;
    p.id = id;
    p.from = a;
    p.to = b;
    p.length_m = km * 1e3;
    p.diameter_m = d;
    p.roughness_m = k_mm * 1e-3;
    net.pipes.push_back(p);
  };
  pipe("P1", 0, 1, 60.0, 1.0, 0.012);
  pipe("P2", 1, 2, 45.0, 0.8, 0.02);
  pipe("P3", 2, 3, 70.0, 0.7, 0.05);
  return net;
}

int write(const HydraulicNetwork& net, const std::filesystem::path& dir) {
  const HydraulicResult r = solve_hydraulics(net);
  if (!r.converged()) {
    std::fprintf(stderr, "hydraulics_dump: %s: %s\n",
                 std::string(hydraulic_status_name(r.status)).c_str(), r.message.c_str());
    return 3;
  }
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "network.json") << bench::network_json(net);
  std::ofstream csv(dir / "solution.csv");
  csv << "kind,id,value\n";
  char buf[64];
  auto row = [&](const char* kind, const std::string& id, double v) {
    std::snprintf(buf, sizeof buf, "%.17g", v);
    csv << kind << "," << id << "," << buf << "\n";
  };
  for (std::size_t v = 0; v < net.nodes.size(); ++v)
    row("pressure_pa", net.nodes[v].id, r.node_pressure_pa[v]);
  for (std::size_t k = 0; k < net.pipes.size(); ++k)
    row("pipe_flow_kg_per_s", net.pipes[k].id, r.pipe_flow_kg_per_s[k]);
  for (std::size_t k = 0; k < net.compressors.size(); ++k)
    row("compressor_flow_kg_per_s", net.compressors[k].id, r.compressor_flow_kg_per_s[k]);
  std::printf("converged in %d iterations, mass balance %.3g, pipe law %.3g\n", r.iterations,
              r.mass_balance_residual_rel, r.pipe_law_residual_rel);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string what = argc > 1 ? argv[1] : "";
    if (what == "chain" && argc == 3) return write(chain(), argv[2]);
    if (what == "gaslib" && argc == 5) {
      GasLibInstance g = read_gaslib(argv[2], argv[3]);
      apply_station_rule(g.network, gaslib_sources(g), StationRule::MaxOutletPressure);
      return write(g.network, argv[4]);
    }
    std::fprintf(stderr, "usage: hydraulics_dump chain OUTDIR | gaslib NET SCN OUTDIR\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hydraulics_dump: %s\n", e.what());
    return 3;
  }
}
