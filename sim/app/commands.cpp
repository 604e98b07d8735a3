#include "commands.h"

#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

#include "corridor/compare.h"
#include "corridor/csv.h"
#include "corridor/output.h"
#include "corridor/report.h"
#include "corridor/run_pool.h"
#include "corridor/scenario_io.h"
#include "corridor/validate.h"
#include "corridor/workbook.h"

namespace corridor::app {
namespace {

using Files = std::vector<std::pair<std::string, std::string>>;

/// Loads and validates every file. Throws InputError with every problem of every file, each
/// once; prints the warnings of clean files.
std::vector<LoadedScenario> load_all(const std::vector<std::string>& files, bool strict,
                                     Terminal& terminal) {
  std::vector<LoadedScenario> loaded;
  std::vector<Diagnostic> all;
  std::set<std::string> reported;            // formatted, to report each once
  std::map<std::string, std::string> names;  // scenario name -> file
  auto add = [&](Diagnostic d) {
    if (reported.insert(format_diagnostic(d)).second) all.push_back(std::move(d));
  };
  for (const std::string& f : files) {
    try {
      LoadedScenario ls = load_scenario(f);
      std::vector<Diagnostic> found = ls.warnings;
      for (const auto& c : ls.cases) {
        for (Diagnostic& d : validate(*c)) found.push_back(std::move(d));
      }
      for (Diagnostic& d : found) {
        if (strict && d.severity == Severity::Warning) d.severity = Severity::Error;
        add(std::move(d));  // alternatives share most of their file: report a problem once
      }
      const Scenario& first = *ls.cases.front();
      const std::string& name = first.name;
      if (auto [it, fresh] = names.emplace(name, f); !fresh) {
        // At this file's `name:`; at its first line when the name is its stem or inherited.
        add({Severity::Error,
             first.name_where.file == f ? first.name_where : SourceLocation{f, 1, 1},
             "scenario name '" + name + "' is also used by " + it->second,
             "set a distinct 'name:' in one of the files so their rows can be told apart"});
      }
      loaded.push_back(std::move(ls));
    } catch (const InputError& e) {
      for (const Diagnostic& d : e.diagnostics()) add(d);
    }
  }
  if (has_errors(all)) throw InputError(all);
  terminal.diagnostics(all);  // warnings only
  return loaded;
}

/// Every case of every file, in command-line then alternative order.
std::vector<std::shared_ptr<const Scenario>> members_of(const std::vector<LoadedScenario>& in) {
  std::vector<std::shared_ptr<const Scenario>> members;
  for (const LoadedScenario& ls : in)
    members.insert(members.end(), ls.cases.begin(), ls.cases.end());
  return members;
}

/// The input files of every loaded scenario and their `extends:` chains.
std::vector<std::string> input_paths(const std::vector<LoadedScenario>& loaded) {
  std::vector<std::string> paths;
  for (const LoadedScenario& ls : loaded) {
    for (const InputFile& in : ls.inputs) paths.push_back(in.path);
  }
  return paths;
}

/// The failures of cases that could not be dispatched, each once (alternatives often fail
/// alike), as the diagnostics to report.
std::vector<Diagnostic> failure_diagnostics(const RunResult& result) {
  std::vector<Diagnostic> out;
  std::set<std::string> seen;
  for (const CaseFailure& f : result.failures()) {
    if (seen.insert(format_diagnostic(f.diagnostic)).second) out.push_back(f.diagnostic);
  }
  return out;
}

/// Writes `files` plus the manifest as the output directory, atomically, and returns how many
/// files that is; prints the error and returns 0 when the write fails (nothing changed).
std::size_t write_outputs(const Options& o, Files files, const std::vector<LoadedScenario>& loaded,
                          Terminal& terminal) {
  std::vector<std::string> names;
  for (const auto& [name, contents] : files) names.push_back(name);
  names.push_back("manifest.json");
  files.emplace_back("manifest.json", manifest_json(o.command_line, loaded, utc_now(), names));
  try {
    write_directory_atomically(o.out_dir, files);
  } catch (const std::runtime_error& e) {
    terminal.print("corridor: error: " + std::string(e.what()) + "\n");
    return 0;
  }
  return files.size();
}

/// `run` and `compare`: load, check the baseline and the output directory before the work,
/// dispatch every case on the run pool, then write everything at once and print the table.
Outcome run_or_compare(const Options& o, Terminal& terminal) {
  const bool comparing = o.command == Command::Compare;
  CompareOptions compare_options;
  if (comparing) {
    compare_options.years = parse_years(o.years);  // before the (slow) loading
    compare_options.baseline = o.baseline;
  }
  const std::vector<LoadedScenario> loaded = load_all(o.files, o.strict, terminal);
  const std::vector<std::shared_ptr<const Scenario>> members = members_of(loaded);
  if (comparing) {  // an unknown baseline fails before anything is dispatched
    std::vector<std::pair<std::string, std::string>> names;
    for (const auto& c : members) names.emplace_back(c->name, c->case_name);
    baseline_case_index(names, compare_options.baseline);
  }
  if (const std::string why = why_not_replace(o.out_dir, input_paths(loaded)); !why.empty()) {
    terminal.print("corridor: error: refusing to write results to '" + o.out_dir + "': " + why +
                   "\n");
    return Outcome::InputError;
  }

  PoolOptions pool;
  pool.threads = o.jobs;
  if (terminal.shows_progress())
    pool.progress = [&](const ProgressEvent& e) { terminal.progress(e); };
  const RunResult result = run_cases(members, pool);
  terminal.end_progress();
  // Hard contract minimums the network could not take: results, reported as warnings.
  std::vector<Diagnostic> warnings;
  std::set<std::string> seen;
  for (const CaseResult& c : result.cases) {
    for (const Diagnostic& d : c.warnings) {
      if (seen.insert(format_diagnostic(d)).second) warnings.push_back(d);
    }
  }
  terminal.diagnostics(warnings);
  if (const std::vector<Diagnostic> failed = failure_diagnostics(result); !failed.empty()) {
    terminal.input_errors(failed, true);
    return Outcome::InputError;
  }

  Files files = result_csvs(result);
  std::optional<Comparison> comparison;
  if (comparing) {
    comparison = compare(result, compare_options);
    files.emplace_back("comparison.csv", comparison_csv(*comparison));
    files.emplace_back("comparison_wide.csv", comparison_wide_csv(*comparison));
    files.emplace_back("comparison_cases.csv", comparison_cases_csv(*comparison));
  }
  if (o.xlsx) {  // the same tables, typed; written with them, in the one atomic write
    try {
      std::string workbook = xlsx_workbook(files);
      files.emplace_back("results.xlsx", std::move(workbook));
    } catch (const std::runtime_error& e) {
      terminal.print("corridor: error: " + std::string(e.what()) + "\n");
      return Outcome::InputError;
    }
  }
  const std::size_t written = write_outputs(o, std::move(files), loaded, terminal);
  if (written == 0) return Outcome::InputError;
  if (o.quiet) {
    // -q: only warnings and errors, which went to stderr above.
  } else if (comparison) {
    print_comparison(std::cout, *comparison, table_width(o.width));
  } else {
    print_summary(std::cout, result);
  }
  terminal.note("wrote " + std::to_string(written) + " files to " + o.out_dir);
  if (comparing) return Outcome::Done;  // a shortfall is a result
  return o.fail_on_shortfall && !result.all_demand_met() ? Outcome::Shortfall : Outcome::Done;
}

}  // namespace

Outcome execute(const Options& o, Terminal& terminal) {
  switch (o.command) {
    case Command::Resolve: {
      const std::string yaml = resolve_scenario_yaml(o.files.front(), o.alternative);
      if (!o.quiet) std::cout << yaml;
      return Outcome::Done;
    }
    case Command::Validate:
      for (const LoadedScenario& ls : load_all(o.files, o.strict, terminal)) {
        if (!o.quiet) std::cout << ls.file << ": ok, " << ls.cases.size() << " case(s)\n";
      }
      return Outcome::Done;
    case Command::Run:
    case Command::Compare:
      return run_or_compare(o, terminal);
  }
  throw std::logic_error("unknown command");
}

}  // namespace corridor::app
