// The only user of CLI11. Options, --help texts with their exit codes, and CLI11's own errors
// rewritten in the house style.
#include "cli.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <iostream>
#include <string_view>

#include "corridor/diagnostics.h"
#include "corridor/uncertainty.h"
#include "corridor/version.h"

namespace corridor::app {
namespace {

const std::vector<std::string> kSubcommands = {
    "run",      "compare",     "validate",      "resolve",       "ensemble",
    "capacity", "hydraulics",  "import-gaslib", "contingencies", "n1",
    "sweep",    "sensitivity", "breakeven",     "explain"};

// The exit codes, as main() maps Outcome to them, in the words of each command.
constexpr const char* kExitRun =
    "Exit codes:\n"
    "  0  ran and wrote the results\n"
    "  1  ran and wrote them, but some period has unmet demand (with --fail-on-shortfall only)\n"
    "  2  usage or input error, or the results cannot be written: nothing is written and\n"
    "     earlier results are untouched\n"
    "  3  internal error (please report it)\n";
constexpr const char* kExitCompare =
    "Exit codes:\n"
    "  0  compared and wrote the results (a shortfall is a result)\n"
    "  2  usage or input error, or the results cannot be written: nothing is written\n"
    "  3  internal error (please report it)\n";
constexpr const char* kExitEnsemble =
    "Exit codes:\n"
    "  0  ran every draw and wrote the results (a shortfall is a result)\n"
    "  2  usage or input error, a draw that made a value that cannot be dispatched, or the\n"
    "     results cannot be written: nothing is written and earlier results are untouched\n"
    "  3  internal error (please report it)\n";
constexpr const char* kExitCapacity =
    "Exit codes:\n"
    "  0  studied and wrote capacity.csv (a line short of its paper capacity is a result)\n"
    "  2  usage or input error, or the results cannot be written: nothing is written\n"
    "  3  internal error (please report it)\n";
constexpr const char* kExitHydraulics =
    "Exit codes:\n"
    "  0  solved and wrote hydraulics.csv and hydraulics_nodes.csv (a year that does not\n"
    "     converge, or violates a limit, is a result: see the status column)\n"
    "  2  usage or input error, or the results cannot be written: nothing is written\n"
    "  3  internal error (please report it)\n";
constexpr const char* kExitImport =
    "Exit codes:\n"
    "  0  converted (printed, or written to -o FILE)\n"
    "  2  usage or input error, or FILE cannot be written: nothing is written\n"
    "  3  internal error (please report it)\n";
constexpr const char* kExitValidate =
    "Exit codes:\n"
    "  0  every file is clean, or has warnings only\n"
    "  2  usage error, or an error in a file (with --strict, a warning too)\n"
    "  3  internal error (please report it)\n";
constexpr const char* kExitResolve =
    "Exit codes:\n"
    "  0  printed\n"
    "  2  usage or input error\n"
    "  3  internal error (please report it)\n";
constexpr const char* kExitContingencies =
    "Exit codes:\n"
    "  0  swept and wrote the results (lost volume is a result)\n"
    "  2  usage or input error, or the results cannot be written: nothing is written and\n"
    "     earlier results are untouched\n"
    "  3  internal error (please report it)\n";
constexpr const char* kExitN1 =
    "Exit codes:\n"
    "  0  computed and wrote n1.csv (an area below 100 % is a result)\n"
    "  2  usage or input error, or the results cannot be written: nothing is written and\n"
    "     earlier results are untouched\n"
    "  3  internal error (please report it)\n";
constexpr const char* kExitSweep =
    "Exit codes:\n"
    "  0  ran every value and wrote the results (a shortfall is a result)\n"
    "  2  usage or input error (a path or value that does not fit), or the results cannot be\n"
    "     written: nothing is written and earlier results are untouched\n"
    "  3  internal error (please report it)\n";
constexpr const char* kExitStudy =
    "Exit codes:\n"
    "  0  studied and wrote the results (a shortfall, or no crossing, is a result)\n"
    "  2  usage or input error (a path, value or KPI that does not fit), or the results cannot\n"
    "     be written: nothing is written and earlier results are untouched\n"
    "  3  internal error (please report it)\n";
constexpr const char* kExitAll =
    "Exit codes (each command's --help says more):\n"
    "  0  done\n"
    "  1  run found unmet demand, with --fail-on-shortfall\n"
    "  2  usage or input error: nothing is written\n"
    "  3  internal error (please report it)\n";

std::string lower_first(std::string s) {
  // "A subcommand" -> "a subcommand", "Value 5" -> "value 5", but "CSV" stays.
  if (s.size() > 1 && std::isupper(static_cast<unsigned char>(s[0])) &&
      !std::isupper(static_cast<unsigned char>(s[1]))) {
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  }
  return s;
}

/// The subcommand that was being parsed, or null.
const CLI::App* selected(const CLI::App* app) {
  const std::vector<const CLI::App*> subs =
      app->get_subcommands([](const CLI::App*) { return true; });
  for (const CLI::App* sub : subs) {
    if (sub->parsed()) return sub;
  }
  return nullptr;
}

/// The long option names of `sub`, as a user types them: "--strict".
std::vector<std::string> long_options(const CLI::App* sub) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : sub->get_options()) {
    for (const std::string& n : opt->get_lnames()) names.push_back("--" + n);
  }
  return names;
}

/// A CLI11 message in the house style: what is wrong (lower case, no trailing period) and what
/// to try.
struct UsageMessage {
  std::string what, hint;
};

/// "The following argument(s) was/were not expected: A B" as "unexpected argument 'A B'", with
/// did-you-mean for a mistyped long option of `sub` (one letter is too short to guess from).
UsageMessage unexpected(const std::string& what, const CLI::App* sub, const std::string& help) {
  const std::string args = what.substr(what.find(": ") + 2);
  const bool several = args.find(' ') != std::string::npos;
  UsageMessage m{
      std::string(several ? "unexpected arguments '" : "unexpected argument '") + args + "'", help};
  const std::string first = args.substr(0, args.find(' '));
  if (sub && first.starts_with("--")) {
    if (const std::string close = closest_match(first, long_options(sub)); !close.empty()) {
      m.hint = "did you mean '" + close + "'? " + help;
    }
  }
  return m;
}

UsageMessage usage_message(const CLI::Error& e, const CLI::App* sub) {
  const std::string help =
      "run 'corridor " + (sub ? sub->get_name() + " " : std::string()) + "--help' for usage";
  const std::string what = e.what();
  // By type: CLI11 names the ExtrasError of a subcommand after the subcommand.
  const bool required = dynamic_cast<const CLI::RequiredError*>(&e) != nullptr;
  const bool mismatch = dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr;
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) return unexpected(what, sub, help);
  if (required && what.starts_with("A subcommand")) {
    return {"no subcommand given",
            "expected one of: run, compare, validate, resolve, ensemble, capacity, hydraulics, "
            "import-gaslib, contingencies, n1, sweep, sensitivity, breakeven, explain; " +
                help};
  }
  if (sub && sub->get_name() == "import-gaslib" && (required || mismatch) &&
      what.starts_with("files")) {
    return {"import-gaslib takes two files, the network (.net) and the nomination (.scn)",
            "e.g. 'corridor import-gaslib GasLib-11.net GasLib-11.scn'; " + help};
  }
  if (required && (what == "files is required" || what == "file is required")) {
    return {"no scenario file given", "give one, e.g. 'corridor " +
                                          (sub ? sub->get_name() : std::string("run")) +
                                          " scenarios/minimal.yaml'"};
  }
  const std::size_t colon = what.find(": ");
  if (mismatch && what.ends_with(" missing")) {  // "--years: 1 required TEXT missing"
    return {what.substr(0, colon) + " needs a value", help};
  }
  if (mismatch && what.starts_with("file: ")) {  // "file: At Most 1 required but received 2"
    return {"resolve takes one scenario file", help};
  }
  // "--width: Value 5 not in range 20 to 100000" -> "--width: value 5 not in range ...".
  if (colon == std::string::npos) return {lower_first(what), help};
  return {what.substr(0, colon + 2) + lower_first(what.substr(colon + 2)), help};
}

/// CLI11's failure message, as every other error of corridor: "corridor: error: WHAT; HINT".
std::string house_style(const CLI::App* app, const CLI::Error& e) {
  UsageMessage m = usage_message(e, selected(app));
  while (!m.what.empty() && (m.what.back() == '.' || m.what.back() == ' ')) m.what.pop_back();
  return "corridor: error: " + lower_first(m.what) + "; " + m.hint + "\n";
}

/// The first argument that is not an option, when it names no subcommand: CLI11 would report
/// only that a subcommand is required. The top-level options (--help, --version) take no
/// values, so the first non-option argument is the subcommand.
std::string unknown_subcommand(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.empty() || a[0] == '-') continue;
    return std::find(kSubcommands.begin(), kSubcommands.end(), a) == kSubcommands.end() ? a : "";
  }
  return "";
}

std::string joined(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) s += (i ? " " : "") + std::string(argv[i]);
  return s;
}

// The physics laws of hydraulics and capacity.
void add_physics_laws(CLI::App* cmd, Options& o) {
  cmd->add_option("--friction", o.friction, "Friction law of the gas pipes")
      ->check(CLI::IsMember({"nikuradse", "colebrook-white", "hofer"}))
      ->capture_default_str();
  cmd->add_option("--compressibility", o.compressibility,
                  "Compressibility law: papay, aga88 (the AGA-88 formula), aga8-gross (AGA "
                  "Report No. 8, gross method, from commodities.gas) or constant=Z")
      ->check(CLI::Validator(
          [](std::string& value) {
            HydraulicOptions ignored;
            return parse_compressibility(value, ignored);
          },
          "LAW"))
      ->capture_default_str();
}

// The options shared by commands.
void add_set(CLI::App* cmd, Options& o) {
  cmd->add_option("--set", o.sets,
                  "Override an input without editing the file: PATH=VALUE, repeatable, e.g. "
                  "--set pipelines.pos2-russia.online=2035, --set 'nodes.*.demand=-10%' "
                  "(recorded in manifest.json)")
      ->allow_extra_args(false);
}
void add_files(CLI::App* cmd, Options& o) {
  // No CLI::ExistingPath check: the loader reports a missing file as a diagnostic, together
  // with the problems of the other files, in the one "file: error:" format.
  cmd->add_option("files", o.files, "Scenario YAML files")->required();
  add_set(cmd, o);
}
void add_output(CLI::App* cmd, std::string& dir) {
  cmd->add_option("-o,--output", dir,
                  "Output directory: new, empty or earlier results; replaced atomically")
      ->capture_default_str();
}
void add_run_flags(CLI::App* cmd, Options& o,
                   const char* jobs =
                       "Cases dispatched at once (default: one per CPU); the "
                       "results are the same for any number") {
  cmd->add_option("-j,--jobs", o.jobs, jobs)->check(CLI::Range(1, 1024));
  cmd->add_flag("-q,--quiet", o.quiet,
                "Print only warnings and errors: no table, no progress line, no closing note; "
                "the results are written all the same");
  cmd->add_flag("--strict", o.strict, "Treat warnings as errors");
  cmd->add_flag("--xlsx", o.xlsx,
                "Also write results.xlsx: every table as a typed sheet (ids stay text, numbers "
                "are numbers), for spreadsheets that guess CSV types");
}

void add_bottleneck_flag(CLI::App* cmd, Options& o) {
  cmd->add_flag("--bottlenecks", o.bottlenecks,
                "Also write bottlenecks.csv (the value of one more unit of capacity per pipeline) "
                "and market_limits.csv (remaining flexibility and min cut per market)");
}

void add_units(CLI::App* cmd, Options& o) {
  cmd->add_option("--units", o.unit_specs,
                  "Units of the volume columns, per commodity: oil=kb/d, oil=Mb, gas=mcm/d, "
                  "gas=TWh/y, ... (repeat for both; default bcm and Mt); the unit column says "
                  "which")
      ->type_name("COMMODITY=UNIT")
      ->allow_extra_args(false);  // one value each time: files may follow
}

/// Why a command that writes no convertible volume table refuses `--units`, and what to do
/// instead; empty for the commands that take it.
std::string units_refusal(Command c) {
  switch (c) {
    case Command::N1:
      return "n1 writes the EU N-1 standard in mcm/d, the unit of Regulation (EU) 2017/1938's "
             "formula (Annex II), and in percent; drop --units (n1.csv's unit column says "
             "mcm/d)";
    case Command::Hydraulics:
      return "hydraulics names the unit in each column (flow_mcm_per_d, flow_kg_per_s, bar, "
             "MW); drop --units";
    case Command::Capacity:
      return "capacity compares rated and physical capacities as annual rates (bcm/y, Mt/y) and "
             "does not convert them yet; drop --units, or run `corridor run --units` for the "
             "flows";
    case Command::Sensitivity:
    case Command::Breakeven:
    case Command::Explain:
      return "the KPIs of sensitivity, breakeven and explain are in bcm, Mt and MUSD, and their "
             "tables do not convert them yet; drop --units, or run `corridor run --units` on "
             "the cases";
    default:
      return "";
  }
}

/// `--units` on a command that refuses it (units_refusal): accepted by the parser so that the
/// refusal can say why, instead of an unknown option.
void add_units_refused(CLI::App* cmd, Options& o) {
  cmd->add_option("--units", o.unit_specs,
                  "Not taken by this command (its tables have fixed units); exits 2 saying why")
      ->type_name("COMMODITY=UNIT")
      ->allow_extra_args(false);
}

void add_run(CLI::App& app, Options& o, std::string& dir) {
  CLI::App* cmd =
      app.add_subcommand("run", "Dispatch every case of the scenario files and write CSVs");
  cmd->footer(kExitRun);
  add_files(cmd, o);
  add_output(cmd, dir);
  cmd->add_flag("--fail-on-shortfall", o.fail_on_shortfall,
                "Exit 1 if any period has unmet demand");
  add_bottleneck_flag(cmd, o);
  add_units(cmd, o);
  add_run_flags(cmd, o);
  cmd->callback([&o] { o.command = Command::Run; });
}

void add_compare(CLI::App& app, Options& o, std::string& dir) {
  CLI::App* cmd = app.add_subcommand(
      "compare", "Run every case and compare each route with the same route in a baseline case");
  cmd->footer(kExitCompare);
  add_files(cmd, o);
  cmd->add_option("--baseline", o.baseline,
                  "Baseline case: CASE (each file against its own case of that name) or "
                  "SCENARIO/CASE (one for all); default: each file's first case");
  cmd->add_option("--years", o.years, "Milestone years, comma-separated")->capture_default_str();
  add_output(cmd, dir);
  cmd->add_option("--width", o.width,
                  "Table width in columns (default: $COLUMNS, the terminal's width, or 100)")
      ->check(CLI::Range(20, 100000));
  add_bottleneck_flag(cmd, o);
  add_units(cmd, o);
  add_run_flags(cmd, o);
  cmd->callback([&o] { o.command = Command::Compare; });
}

void add_ensemble(CLI::App& app, Options& o, std::string& dir) {
  CLI::App* cmd = app.add_subcommand(
      "ensemble",
      "Draw the uncertain inputs of every case many times and write P10/P50/P90 and risks");
  cmd->footer(kExitEnsemble);
  add_files(cmd, o);
  cmd->add_option("--draws", o.draws, "Draws per case (default: uncertainty.draws, or 1000)")
      ->check(CLI::Range(1, kMaxDraws));
  cmd->add_option("--seed", o.seed, "Seed of the random streams (default: uncertainty.seed, or 1)");
  cmd->add_option("-j,--threads", o.jobs,
                  "Threads (default: one per CPU); the results are the same for any number")
      ->check(CLI::Range(1, 1024));
  add_output(cmd, dir);
  cmd->add_flag("--keep-draws", o.keep_draws,
                "Also write draws.csv (every draw's values) and inputs.csv (what was drawn)");
  add_units(cmd, o);
  cmd->add_flag("--xlsx", o.xlsx,
                "Also write results.xlsx: ensemble_summary and ensemble_risk as typed sheets");
  cmd->add_flag("-q,--quiet", o.quiet,
                "Print only warnings and errors: no table, no progress line, no closing note; "
                "the results are written all the same");
  cmd->add_flag("--strict", o.strict, "Treat warnings as errors");
  cmd->callback([&o] { o.command = Command::Ensemble; });
}

void add_capacity(CLI::App& app, Options& o, std::string& dir) {
  CLI::App* cmd = app.add_subcommand(
      "capacity", "Paper against physical capacity of every pipeline with physical data");
  cmd->footer(kExitCapacity);
  add_files(cmd, o);
  add_output(cmd, dir);
  cmd->add_flag("--apply", o.apply,
                "Dispatch again with the physical capacities and the stations' fuel (a loss on "
                "each line), and write that run's CSVs too");
  add_physics_laws(cmd, o);
  add_units_refused(cmd, o);
  add_run_flags(cmd, o);
  cmd->callback([&o] { o.command = Command::Capacity; });
}

void add_hydraulics(CLI::App& app, Options& o, std::string& dir) {
  CLI::App* cmd = app.add_subcommand(
      "hydraulics", "Solve the gas network of every case and year with the dispatched flows");
  cmd->footer(kExitHydraulics);
  add_files(cmd, o);
  add_output(cmd, dir);
  add_physics_laws(cmd, o);
  add_units_refused(cmd, o);
  add_run_flags(cmd, o);
  cmd->callback([&o] { o.command = Command::Hydraulics; });
}

void add_import_gaslib(CLI::App& app, Options& o) {
  CLI::App* cmd = app.add_subcommand(
      "import-gaslib", "Convert a GasLib network (.net) and nomination (.scn) into a scenario");
  cmd->footer(kExitImport);
  cmd->add_option("files", o.files, "NET and SCN files")->required()->expected(2);
  cmd->add_option("-o,--output", o.output_file,
                  "Scenario file to write (replaced atomically, only if corridor wrote it); "
                  "default: print it");
  cmd->add_option("--rule", o.rule,
                  "Station settings: each at its highest allowed outlet pressure, or one ratio")
      ->check(CLI::IsMember({"max-outlet", "ratio"}))
      ->capture_default_str();
  cmd->add_option("--ratio", o.ratio, "The ratio of --rule ratio")
      ->check(CLI::Range(1.0, 10.0))
      ->capture_default_str();
  cmd->callback([&o] { o.command = Command::ImportGasLib; });
}

void add_contingencies(CLI::App& app, Options& o, std::string& dir) {
  CLI::App* cmd = app.add_subcommand(
      "contingencies",
      "N-1 sweep: take each asset out in turn, re-dispatch every year, rank by lost volume");
  cmd->footer(kExitContingencies);
  add_files(cmd, o);
  add_output(cmd, dir);
  cmd->add_option("--assets", o.assets,
                  "Asset kinds to take out, comma-separated: pipelines, supplies, lng, storage, "
                  "routes (default: all)");
  cmd->add_option("--event", o.event,
                  "Out for a window instead of whole years: \"3 months from 2031-01\", "
                  "\"10 days from 2031-01-15\", \"2031-01-15 to 2031-03\"");
  cmd->add_option("--k", o.k, "1: single assets; 2: pairs as well (pruned)")
      ->check(CLI::Range(1, 2))
      ->capture_default_str();
  cmd->add_option("--top", o.top, "Rows of the ranking table per case")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  add_units(cmd, o);
  add_run_flags(cmd, o,
                "Threads for the solves (default: one per CPU); the results are the same for any "
                "number");
  cmd->callback([&o] { o.command = Command::Contingencies; });
}

void add_n1(CLI::App& app, Options& o, std::string& dir) {
  CLI::App* cmd = app.add_subcommand(
      "n1", "The N-1 infrastructure standard per area: Regulation (EU) 2017/1938 and by max flow");
  cmd->footer(kExitN1);
  add_files(cmd, o);
  add_output(cmd, dir);
  cmd->add_option("--years", o.years, "Years shown in the table, comma-separated (n1.csv has all)")
      ->capture_default_str();
  add_units_refused(cmd, o);
  add_run_flags(cmd, o, "Cases computed at once (default: one per CPU)");
  cmd->callback([&o] { o.command = Command::N1; });
}

void add_sweep(CLI::App& app, Options& o, std::string& dir) {
  CLI::App* cmd = app.add_subcommand(
      "sweep", "Run one case per value of an input, named PATH=VALUE, and compare them");
  cmd->footer(kExitSweep);
  cmd->add_option("file", o.files, "Scenario YAML file")->required()->expected(1);
  add_set(cmd, o);
  cmd->add_option("--param", o.param,
                  "PATH=V1,V2,... or PATH=LOW..HIGH:STEP, e.g. "
                  "pipelines.pos2-russia.capacity=30..50:10 bcm/y, or relative: "
                  "'nodes.*.demand=-20%..+20%:10%'")
      ->required();
  cmd->add_option("--case", o.case_name, "The case to sweep (default: the file's first case)");
  cmd->add_option("--baseline", o.baseline,
                  "Baseline of the comparison: a case of the sweep, e.g. "
                  "'pipelines.pos2-russia.capacity=30 bcm/y' (default: the first value)");
  cmd->add_option("--years", o.years, "Milestone years, comma-separated")->capture_default_str();
  add_output(cmd, dir);
  cmd->add_option("--width", o.width,
                  "Table width in columns (default: $COLUMNS, the terminal's width, or 100)")
      ->check(CLI::Range(20, 100000));
  add_bottleneck_flag(cmd, o);
  add_units(cmd, o);
  add_run_flags(cmd, o);
  cmd->callback([&o] { o.command = Command::Sweep; });
}

void add_study_common(CLI::App* cmd, Options& o, std::string& dir, const char* kpi_help) {
  cmd->footer(kExitStudy);
  cmd->add_option("file", o.files, "Scenario YAML file")->required()->expected(1);
  add_set(cmd, o);
  cmd->add_option("--kpi", o.kpis, kpi_help)->allow_extra_args(false);
  cmd->add_option("--years", o.kpi_years,
                  "Years the KPIs sum or levelise over: FIRST..LAST or one year (default: the "
                  "horizon)");
  add_output(cmd, dir);
  cmd->add_option("--width", o.width,
                  "Table width in columns (default: $COLUMNS, the terminal's width, or 100)")
      ->check(CLI::Range(40, 100000));
  add_units_refused(cmd, o);
  add_run_flags(cmd, o,
                "Threads for the variants (default: one per CPU); the results are the same for "
                "any number");
}

constexpr const char* kKpiForms =
    "routes.ID.volume, routes.ID.levelised_cost, markets.ID.shortfall, markets.ID.delivered, "
    "transit_fees.COUNTRY, total_cost, dispatch_cost, shortfall, delivered; @YEAR for one year";

void add_sensitivity(CLI::App& app, Options& o, std::string& dir) {
  CLI::App* cmd = app.add_subcommand(
      "sensitivity", "One-at-a-time sensitivity of KPIs to inputs: a tornado, and tornado.csv");
  add_study_common(cmd, o, dir,
                   (std::string("KPI, repeatable (default: total_cost): ") + kKpiForms).c_str());
  cmd->add_option("--case", o.case_name, "The case (default: the file's first case)");
  cmd->add_option("--vary", o.vary,
                  "PATH=LOW..HIGH, repeatable: absolute (pipelines.pos1.tariff=20..30 USD/kcm) "
                  "or relative ('nodes.*.demand=-20%..+20%')")
      ->allow_extra_args(false);
  cmd->add_option("--vary-all", o.vary_all,
                  "relative=R: every numeric input of the --kinds by -R and +R (dates by one "
                  "year), e.g. relative=10%");
  cmd->add_option("--kinds", o.kinds,
                  "With --vary-all: bounds, costs, economics, information, comma-separated")
      ->capture_default_str();
  cmd->add_option("--top", o.show_top, "Bars per tornado on the terminal (tornado.csv has all)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->callback([&o] { o.command = Command::Sensitivity; });
}

void add_breakeven(CLI::App& app, Options& o, std::string& dir) {
  CLI::App* cmd = app.add_subcommand("breakeven",
                                     "The value of an input at which case A's KPI equals case B's");
  add_study_common(
      cmd, o, dir,
      (std::string("KPI of case A, then optionally of case B (default: the same): ") + kKpiForms)
          .c_str());
  cmd->add_option("--param", o.param,
                  "The input: a parameter path, e.g. "
                  "pipelines.soyuz-vostok.transit_fee")
      ->required();
  cmd->add_option("--case", o.case_name, "Case A")->required();
  cmd->add_option("--vs", o.vs_case, "Case B")->required();
  cmd->add_option("--range", o.range,
                  "LOW..HIGH, absolute (0..60 USD/kcm) or relative (-50%..+50%; a date: -5..+5 "
                  "years); default -100%..+100%");
  cmd->add_option("--grid", o.grid, "Grid intervals of the search")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->callback([&o] { o.command = Command::Breakeven; });
}

void add_explain(CLI::App& app, Options& o, std::string& dir) {
  CLI::App* cmd = app.add_subcommand(
      "explain", "Attribute the change of KPIs between two cases to the inputs that differ");
  add_study_common(cmd, o, dir,
                   (std::string("KPI, repeatable (default: total_cost): ") + kKpiForms).c_str());
  cmd->add_option("--from", o.from_case, "The case to start from")->required();
  cmd->add_option("--to", o.to_case, "The case to arrive at")->required();
  cmd->add_option("--permutations", o.permutations,
                  "Orders sampled for Shapley values beyond 10 changed inputs")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--seed", o.explain_seed, "Seed of the sampled orders")->capture_default_str();
  cmd->callback([&o] { o.command = Command::Explain; });
}

void add_validate(CLI::App& app, Options& o) {
  CLI::App* cmd = app.add_subcommand(
      "validate", "Check scenario files; exit 0 if clean or warnings only, else 2");
  cmd->footer(kExitValidate);
  add_files(cmd, o);
  cmd->add_flag("-q,--quiet", o.quiet, "Print only warnings and errors: no \"ok\" line per file");
  cmd->add_flag("--strict", o.strict, "Treat warnings as errors");
  cmd->callback([&o] { o.command = Command::Validate; });
}

void add_resolve(CLI::App& app, Options& o) {
  CLI::App* cmd = app.add_subcommand("resolve", "Print the fully resolved scenario as YAML");
  cmd->footer(kExitResolve);
  cmd->add_option("file", o.files, "Scenario YAML file")->required()->expected(1);
  cmd->add_option("-a,--alternative", o.alternative, "Resolve this alternative");
  cmd->add_flag("-q,--quiet", o.quiet,
                "Print only errors: nothing on success, so the exit code says whether the file "
                "resolves");
  cmd->callback([&o] { o.command = Command::Resolve; });
}

}  // namespace

std::string parse_compressibility(const std::string& value, HydraulicOptions& out) {
  if (value == "papay" || value == "aga88" || value == "aga8-gross") {
    out.compressibility = value == "papay"   ? CompressibilityLaw::Papay
                          : value == "aga88" ? CompressibilityLaw::Aga88
                                             : CompressibilityLaw::Aga8Gross;
    return "";
  }
  if (value == "aga")
    return "'aga' is ambiguous now that AGA-8 gross is a choice; did you mean 'aga88' (the "
           "AGA-88 formula, what 'aga' meant before) or 'aga8-gross' (AGA Report No. 8, gross "
           "method)";
  if (value == "constant") return "'constant' needs its z, for example 'constant=0.9'";
  if (value.starts_with("constant=")) {
    const std::string z = value.substr(9);
    std::size_t used = 0;
    double v = 0.0;
    try {
      v = std::stod(z, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != z.size() || !(v > 0.0 && v <= 2.0))
      return "the constant z must be a number above 0 and at most 2, got '" + z +
             "'; for example 'constant=0.9'";
    out.compressibility = CompressibilityLaw::Constant;
    out.constant_z = v;
    return "";
  }
  std::string m = "unknown law '" + value + "'";
  const std::string close = closest_match(value, {"papay", "aga88", "aga8-gross", "constant"});
  if (!close.empty()) m += "; did you mean '" + close + "'?";
  return m + " expected papay, aga88, aga8-gross or constant=Z";
}

Parsed parse_command_line(int argc, char** argv) {
  Options o;
  o.command_line = joined(argc, argv);
  CLI::App app{"corridor: energy-pipeline corridor simulator (gas and oil, YAML in, CSV out)",
               "corridor"};
  app.failure_message(house_style);
  app.set_version_flag("--version", std::string("corridor ") + kVersion);
  app.require_subcommand(1);
  app.footer(kExitAll);
  std::string run_dir = "results", compare_dir = "comparison", ensemble_dir = "ensemble",
              capacity_dir = "capacity", hydraulics_dir = "hydraulics",
              contingencies_dir = "contingencies", n1_dir = "n1", sweep_dir = "sweep",
              sensitivity_dir = "sensitivity", breakeven_dir = "breakeven", explain_dir = "explain";
  add_run(app, o, run_dir);
  add_compare(app, o, compare_dir);
  add_ensemble(app, o, ensemble_dir);
  add_validate(app, o);
  add_resolve(app, o);
  add_capacity(app, o, capacity_dir);
  add_hydraulics(app, o, hydraulics_dir);
  add_import_gaslib(app, o);
  add_contingencies(app, o, contingencies_dir);
  add_n1(app, o, n1_dir);
  add_sweep(app, o, sweep_dir);
  add_sensitivity(app, o, sensitivity_dir);
  add_breakeven(app, o, breakeven_dir);
  add_explain(app, o, explain_dir);

  if (const std::string sub = unknown_subcommand(argc, argv); !sub.empty()) {
    std::cerr << "corridor: error: unknown subcommand '" << sub << "'; "
              << did_you_mean(sub, kSubcommands) << "\n";
    return {std::nullopt, Outcome::InputError};
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return {std::nullopt, app.exit(e) == 0 ? Outcome::Done : Outcome::InputError};
  }
  if (const std::string why = units_refusal(o.command); !why.empty() && !o.unit_specs.empty()) {
    std::cerr << "corridor: error: --units " << o.unit_specs.front() << ": " << why << "\n";
    return {std::nullopt, Outcome::InputError};
  }
  for (const std::string& spec : o.unit_specs) {
    if (const std::optional<QuantityError> e = parse_output_unit(spec, o.units)) {
      std::cerr << "corridor: error: --units: " << e->message << "; " << e->hint << "\n";
      return {std::nullopt, Outcome::InputError};
    }
  }
  o.out_dir = o.command == Command::Compare         ? compare_dir
              : o.command == Command::Ensemble      ? ensemble_dir
              : o.command == Command::Capacity      ? capacity_dir
              : o.command == Command::Hydraulics    ? hydraulics_dir
              : o.command == Command::Contingencies ? contingencies_dir
              : o.command == Command::N1            ? n1_dir
              : o.command == Command::Sweep         ? sweep_dir
              : o.command == Command::Sensitivity   ? sensitivity_dir
              : o.command == Command::Breakeven     ? breakeven_dir
              : o.command == Command::Explain       ? explain_dir
                                                    : run_dir;
  return {std::move(o), Outcome::Done};
}

}  // namespace corridor::app
