#pragma once
// The command line of `corridor`: its options, parsed with CLI11 (the only user of CLI11, with
// cli.cpp), and what a command came to. Messages follow the house style of every other one:
// "corridor: error: what is wrong; what to try", on stderr; --help and --version go to
// stdout. Every --help ends with the exit codes of its command.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "corridor/hydraulics.h"
#include "corridor/units.h"

namespace corridor::app {

/// `--compressibility`: papay, aga88, aga8-gross or constant=Z (0 < Z <= 2). The spelling of
/// earlier versions, 'aga', is refused with a did-you-mean (it meant the AGA-88 formula, and
/// AGA-8 gross is now a choice too). Returns the message of what is wrong, or "" and sets `out`.
std::string parse_compressibility(const std::string& value, HydraulicOptions& out);

enum class Command {
  Run,
  Compare,
  Validate,
  Resolve,
  Ensemble,
  Capacity,
  Hydraulics,
  ImportGasLib,
  Contingencies,
  N1,
  Sweep,
  Sensitivity,
  Breakeven,
  Explain
};

/// What a command came to. main() alone turns it into the process's exit code.
enum class Outcome {
  Done,           ///< ran (a shortfall is a result)
  Shortfall,      ///< `run --fail-on-shortfall`, and some period has unmet demand
  InputError,     ///< usage or input error, or results that cannot be written: nothing written
  InternalError,  ///< a bug
};

struct Options {
  Command command = Command::Run;
  std::vector<std::string> files;
  std::string out_dir;             ///< run: "results", compare: "comparison", capacity: "capacity",
                                   ///< hydraulics: "hydraulics" by default
  bool fail_on_shortfall = false;  ///< run
  bool xlsx = false;               ///< run, compare, ensemble: also write results.xlsx
  bool quiet = false;              ///< every command: print only warnings and errors
  bool strict = false;             ///< run, compare, validate, capacity
  int jobs = 0;                    ///< run, compare, capacity: threads; 0 for one per CPU
  bool bottlenecks = false;        ///< run, compare: bottlenecks.csv, market_limits.csv
  std::string baseline;            ///< compare
  std::string years = "2030,2035,2040";  ///< compare
  int width = 0;                         ///< compare: 0 for $COLUMNS or the terminal
  std::string alternative;               ///< resolve
  std::optional<int> draws;              ///< ensemble: overrides uncertainty.draws
  std::optional<std::uint64_t> seed;     ///< ensemble: overrides uncertainty.seed
  bool keep_draws = false;               ///< ensemble: also draws.csv and inputs.csv
  bool apply = false;                    ///< capacity: dispatch again with physics
  std::string friction = "nikuradse";  ///< hydraulics, capacity: nikuradse, colebrook-white, hofer
  std::string compressibility = "papay";  ///< hydraulics, capacity: see parse_compressibility
  std::string rule = "max-outlet";        ///< import-gaslib: max-outlet or ratio
  double ratio = 1.5;                     ///< import-gaslib: the ratio of `--rule ratio`
  std::string output_file;                ///< import-gaslib: -o, or "" for stdout
  std::string assets;                     ///< contingencies: kinds, comma-separated; "" for all
  std::string event;                      ///< contingencies: a window; "" for whole years
  int k = 1;                              ///< contingencies: 1, or 2 for pairs
  int top = 10;                           ///< contingencies: rows of the ranking table
  /// Every command that loads a scenario: PATH=VALUE overrides (param_path.h), in order.
  std::vector<std::string> sets;
  std::string param;              ///< sweep: PATH=V1,V2,... or PATH=LOW..HIGH:STEP; breakeven: PATH
  std::string case_name;          ///< sweep, sensitivity, breakeven: the case ("" for the first)
  std::vector<std::string> vary;  ///< sensitivity: PATH=LOW..HIGH
  std::string vary_all;           ///< sensitivity: "relative=10%"
  std::string kinds = "bounds,costs,economics";  ///< sensitivity --vary-all: effects
  std::vector<std::string> kpis;                 ///< sensitivity, breakeven, explain
  std::string kpi_years;                         ///< sensitivity, breakeven, explain: FIRST..LAST
  std::string vs_case;                           ///< breakeven
  std::string range;                             ///< breakeven
  int grid = 20;                                 ///< breakeven
  std::string from_case, to_case;                ///< explain
  int permutations = 200;          ///< explain: sampled Shapley orders beyond 10 inputs
  std::uint64_t explain_seed = 1;  ///< explain
  int show_top = 15;               ///< sensitivity: bars per tornado on the terminal
  /// --units, as given: "oil=kb/d" (run, compare, sweep, ensemble, contingencies; the other
  /// commands refuse it, saying why: units_refusal)
  std::vector<std::string> unit_specs;
  OutputUnits units;         ///< --units, read
  std::string command_line;  ///< argv joined by spaces, for manifest.json
};

/// The options of `argv`, or, when there is nothing to run, the outcome: Done after --help or
/// --version (printed on stdout), InputError after a usage error (printed on stderr).
struct Parsed {
  std::optional<Options> options;
  Outcome outcome = Outcome::Done;
};
Parsed parse_command_line(int argc, char** argv);

}  // namespace corridor::app
