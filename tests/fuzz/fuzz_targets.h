#pragma once
/// \file The per-input bodies of the libFuzzer harnesses, shared with the Catch2 regression
/// test (tests/fuzz_regression_test.cpp), so a saved crash replays through exactly the code
/// the fuzzer ran.
///
/// Contract of both targets: any input is allowed. A clean InputError is a correct outcome.
/// A broken invariant throws InvariantViolation; any other exception, a sanitizer report or a
/// crash is a bug. The harnesses let every exception escape LLVMFuzzerTestOneInput, so
/// std::terminate aborts with the throw site still on the stack and libFuzzer saves the input;
/// the regression test reports the same exceptions as test failures.
///
/// Input formats (also those of tests/fuzz/regressions/):
///   - quantity (*.txt): byte 0 picks the Dimension (mod 11); byte 1 bit 0 the commodity
///     (0 gas, 1 oil) and bits 1-2 the CommodityProps (defaults, zero, tiny, huge); the rest
///     is the text given to parse_quantity. Shorter inputs are ignored.
///   - pipeline (*.yaml): the bytes of a scenario file, written to `input.yaml` in a scratch
///     directory that also holds `parent.yaml` (kParentYaml), so `extends: parent.yaml` works.
#include <sys/types.h>
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/csv.h"
#include "corridor/diagnostics.h"
#include "corridor/report.h"
#include "corridor/results.h"
#include "corridor/scenario_io.h"
#include "corridor/simulate.h"
#include "corridor/units.h"
#include "corridor/validate.h"

namespace corridor::fuzz {

/// A harness invariant does not hold: a bug in corridor (or in the invariant).
class InvariantViolation : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

inline void require(bool ok, const std::string& what) {
  if (!ok) throw InvariantViolation("fuzz invariant: " + what);
}

// ---------------------------------------------------------------------------------------------
// Quantity parser
// ---------------------------------------------------------------------------------------------

inline constexpr int kNumDimensions = static_cast<int>(Dimension::Duration) + 1;

/// The CommodityProps picked by bits 1-2 of the commodity byte: the defaults, or degenerate
/// values a scenario may set (validation rejects some of them, the parser must not care).
inline CommodityProps fuzz_props(Commodity c, std::uint8_t selector) {
  switch ((selector >> 1) & 3) {
    case 1:
      return {0.0, 0.0};
    case 2:
      return {1e-300, 1e-300};
    case 3:
      return {1e300, 1e300};
    default:
      return default_props(c);
  }
}

/// One quantity input (format in the file comment). On success the value is finite and
/// format_quantity reads back to the same value, in every case without throwing.
inline void run_quantity(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return;
  const auto d = static_cast<Dimension>(data[0] % kNumDimensions);
  const Commodity c = (data[1] & 1) ? Commodity::Oil : Commodity::Gas;
  const CommodityProps props = fuzz_props(c, data[1]);
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);

  const ParsedQuantity q = parse_quantity(text, d, c, props);
  if (!q.ok()) return;  // the error text is non-empty by definition of ok()
  require(std::isfinite(q.value),
          "parse_quantity returned a non-finite value for '" + std::string(text) + "'");
  const std::string formatted = format_quantity(q.value, d, c);
  const ParsedQuantity back = parse_quantity(formatted, d, c, props);
  require(back.ok(), "format_quantity gave '" + formatted + "' (from '" + std::string(text) +
                         "'), which does not parse: " + (back.ok() ? "" : back.error->message));
  require(back.value == q.value && std::signbit(back.value) == std::signbit(q.value),
          "'" + formatted + "' (from '" + std::string(text) + "') reads back as a different value");
}

// ---------------------------------------------------------------------------------------------
// Whole pipeline
// ---------------------------------------------------------------------------------------------

/// The parent scenario next to every fuzz input, so `extends:` and `remove:` reach the merge
/// code instead of stopping at a missing file.
inline constexpr std::string_view kParentYaml = R"(name: parent
horizon: {start: 2030, end: 2031}
nodes:
  - {id: field, kind: supply, capacity: 20 bcm/y, cost: 100 USD/kcm}
  - {id: hub, kind: junction}
  - {id: city, kind: demand, demand: {2030: 10 bcm/y, 2031: 25 bcm/y}, priority: 1}
  - {id: well, kind: supply, commodity: oil, capacity: 30 Mt/y, cost: 50 USD/t}
  - {id: port, kind: demand, commodity: oil, demand: 600 kb/d}
pipelines:
  - {id: field-hub, from: field, to: hub, capacity: 15 bcm/y, tariff: 10 USD/kcm}
  - {id: hub-city, from: hub, to: city, capacity: 104 mcm/d, bidirectional: true}
  - {id: well-port, from: well, to: port, capacity: 25 Mt/y, online: 2031, ramp_up: [0.5]}
routes:
  - {id: main, pipelines: [field-hub, hub-city], meter: field-hub}
)";

/// A per-process directory (in /dev/shm when there is one) holding input.yaml and
/// parent.yaml; created on first use, removed at normal exit.
class ScratchDir {
 public:
  static const ScratchDir& get() {
    static const ScratchDir dir;
    return dir;
  }
  const std::string& input_path() const { return input_; }

 private:
  ScratchDir() {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path base =
        fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    dir_ = base / ("corridor-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "parent.yaml", std::ios::binary) << kParentYaml;
    input_ = (dir_ / "input.yaml").string();
    static fs::path to_remove;
    to_remove = dir_;
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(to_remove, ignored);
    });
  }
  std::filesystem::path dir_;
  std::string input_;
};

inline void check_diagnostics(const std::vector<Diagnostic>& ds) {
  for (const Diagnostic& d : ds) {
    require(!d.message.empty(), "a diagnostic has an empty message (at " + d.where.file + ":" +
                                    std::to_string(d.where.line) + ")");
    require(!format_diagnostic(d).empty(), "format_diagnostic returned nothing");
  }
}

/// Every number of a period result is finite and every per-entity row has its entity.
inline void check_period(const Network& net, std::size_t num_pipelines, const PeriodResult& p) {
  const auto sized = [](const std::vector<double>& v, std::size_t n) {
    if (v.size() != n) return false;
    for (double x : v) {
      if (!std::isfinite(x)) return false;
    }
    return true;
  };
  const std::string at =
      " in " + std::to_string(p.period.year) + "/" + std::to_string(p.period.month);
  require(sized(p.pipeline_flow, net.pipelines.size()) &&
              sized(p.pipeline_capacity, net.pipelines.size()),
          "pipeline rows" + at);
  require(
      sized(p.supply_available, net.supplies.size()) && sized(p.supply_used, net.supplies.size()),
      "supply rows" + at);
  require(sized(p.demand, net.demands.size()) && sized(p.delivered, net.demands.size()) &&
              sized(p.shortfall, net.demands.size()),
          "demand rows" + at);
  require(sized(p.route_volume, net.routes.size()) && sized(p.route_capacity, net.routes.size()) &&
              p.route_bottleneck.size() == net.routes.size(),
          "route rows" + at);
  for (int b : p.route_bottleneck) {
    require(b >= -1 && b < static_cast<int>(num_pipelines), "route bottleneck index" + at);
  }
  require(std::isfinite(p.cost_musd) && std::isfinite(p.penalty_musd), "cost" + at);
}

/// Runs one loaded case as `corridor run` would, on a horizon clamped to its first two years.
/// Returns false when validate() rejected it, or simulate() stopped it with a clean failure
/// (CaseResult::failure: a bound or cost that cannot be scaled).
inline bool run_case(Scenario c, RunResult& result) {
  const std::vector<Diagnostic> ds = validate(c);
  check_diagnostics(ds);
  if (has_errors(ds)) return false;
  // Years are limited to 1900..2200 by the loader; stay in 64 bits anyway.
  const std::int64_t last = std::int64_t{c.horizon.start_year} + 1;
  if (std::int64_t{c.horizon.end_year} > last) c.horizon.end_year = static_cast<int>(last);
  const std::size_t num_years =
      static_cast<std::size_t>(c.horizon.end_year - c.horizon.start_year + 1);
  CaseResult r = simulate(c);
  if (r.failure) {  // scaled bounds would overflow: a clean refusal, naming the member
    check_diagnostics({r.failure->diagnostic});
    require(r.failure->scenario == c.name && r.failure->case_name == c.case_name,
            "a failure names another case");
    return false;
  }
  for (const CommodityRun& run : r.runs) {
    require(run.annual.size() == num_years, "annual results do not cover the horizon");
    require(run.monthly.empty() || run.monthly.size() == 12 * num_years,
            "monthly results do not cover the horizon");
    for (const PeriodResult& p : run.annual) check_period(run.network, c.pipelines.size(), p);
    for (const PeriodResult& p : run.monthly) check_period(run.network, c.pipelines.size(), p);
  }
  result.cases.push_back(std::move(r));
  return true;
}

/// One scenario text through load_scenario, validate, simulate (two years), the CSV
/// serializers and the terminal summary.
inline void run_pipeline(std::string_view yaml) {
  const std::string& path = ScratchDir::get().input_path();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(yaml.data(), static_cast<std::streamsize>(yaml.size()));
    require(static_cast<bool>(out), "cannot write " + path);
  }
  LoadedScenario loaded;
  try {
    loaded = load_scenario(path);
  } catch (const InputError& e) {
    require(!e.diagnostics().empty(), "InputError without diagnostics");
    check_diagnostics(e.diagnostics());
    return;
  }
  require(!loaded.cases.empty(), "a loaded scenario has no case");
  RunResult result;
  for (const auto& c : loaded.cases) run_case(*c, result);
  (void)result.all_demand_met();
  for (const auto& [name, text] : result_csvs(result)) {
    require(!name.empty() && !text.empty() && text.back() == '\n', "CSV file '" + name + "'");
  }
  std::ostringstream summary;
  print_summary(summary, result);
}

}  // namespace corridor::fuzz
