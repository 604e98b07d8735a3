// The corridor command line: `run`, `validate`, `resolve`. The only place exceptions are caught
// and turned into exit codes: 0 ran, 1 shortfall with --fail-on-shortfall, 2 usage or input
// error (nothing written), 3 internal error.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>

#include "corridor/csv.h"
#include "corridor/diagnostics.h"
#include "corridor/output.h"
#include "corridor/report.h"
#include "corridor/scenario_io.h"
#include "corridor/simulate.h"
#include "corridor/validate.h"
#include "corridor/version.h"

namespace {

using namespace corridor;

constexpr int kExitOk = 0;
constexpr int kExitShortfall = 1;
constexpr int kExitInput = 2;
constexpr int kExitInternal = 3;

/// The source line of a diagnostic with a caret under the column, or "".
std::string source_excerpt(const SourceLocation& w) {
  if (w.line <= 0) return "";
  std::ifstream in(w.file);
  std::string line;
  for (int i = 0; i < w.line && std::getline(in, line); ++i) {
  }
  if (!in || line.size() > 200) return "";
  std::string caret(static_cast<std::size_t>(std::max(0, w.col - 1)), ' ');
  for (std::size_t i = 0; i < caret.size() && i < line.size(); ++i) {
    if (line[i] == '\t') caret[i] = '\t';
  }
  return "    " + line + "\n    " + caret + "^\n";
}

void print_diagnostics(const std::vector<Diagnostic>& ds) {
  for (const Diagnostic& d : ds)
    std::cerr << format_diagnostic(d) << "\n" << source_excerpt(d.where);
}

/// Loads and validates every file; throws InputError with every problem of every file.
std::vector<LoadedScenario> load_all(const std::vector<std::string>& files, bool strict) {
  std::vector<LoadedScenario> loaded;
  std::vector<Diagnostic> all;
  std::map<std::string, std::string> names;  // scenario name -> file
  for (const std::string& f : files) {
    try {
      LoadedScenario ls = load_scenario(f);
      for (const Scenario& c : ls.cases) {
        for (Diagnostic& d : validate(c)) {
          if (strict && d.severity == Severity::Warning) d.severity = Severity::Error;
          // Alternatives share most of their file: report a problem once.
          const bool seen = std::any_of(all.begin(), all.end(), [&](const Diagnostic& x) {
            return format_diagnostic(x) == format_diagnostic(d);
          });
          if (!seen) all.push_back(std::move(d));
        }
      }
      const std::string& name = ls.cases.front().name;
      if (auto [it, fresh] = names.emplace(name, f); !fresh) {
        all.push_back(
            {Severity::Error,
             {f},
             "scenario name '" + name + "' is also used by " + it->second,
             "set a distinct 'name:' in one of the files so their rows can be told apart"});
      }
      loaded.push_back(std::move(ls));
    } catch (const InputError& e) {
      all.insert(all.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (has_errors(all)) throw InputError(all);
  print_diagnostics(all);  // warnings only
  return loaded;
}

/// The first argument that is not an option, when it names no subcommand: CLI11 would report
/// only "A subcommand is required". The top-level options (--help, --version) take no values,
/// so the first non-option argument is the subcommand.
std::string unknown_subcommand(int argc, char** argv, const std::vector<std::string>& known) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.empty() || a[0] == '-') continue;
    return std::find(known.begin(), known.end(), a) == known.end() ? a : "";
  }
  return "";
}

std::string command_line(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) s += (i ? " " : "") + std::string(argv[i]);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"corridor: energy-pipeline corridor simulator (gas and oil, YAML in, CSV out)",
               "corridor"};
  // Usage errors in the same "corridor: error:" form as every other message.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return "corridor: error: " + std::string(e.what()) +
           "\nRun with --help for more information.\n";
  });
  app.set_version_flag("--version", std::string("corridor ") + kVersion);
  app.require_subcommand(1);

  std::vector<std::string> files;
  std::string out_dir = "results";
  std::string alternative;
  bool fail_on_shortfall = false, quiet = false, strict = false;

  CLI::App* run =
      app.add_subcommand("run", "Dispatch every case of the scenario files and write CSVs");
  // No CLI::ExistingPath check: the loader reports a missing file as a diagnostic, together
  // with the problems of the other files, in the one "file: error:" format.
  run->add_option("files", files, "Scenario YAML files")->required();
  run->add_option("-o,--output", out_dir,
                  "Output directory: new, empty or earlier results; replaced atomically")
      ->capture_default_str();
  run->add_flag("--fail-on-shortfall", fail_on_shortfall, "Exit 1 if any period has unmet demand");
  run->add_flag("-q,--quiet", quiet, "No progress on stderr");
  run->add_flag("--strict", strict, "Treat warnings as errors");

  CLI::App* val = app.add_subcommand(
      "validate", "Check scenario files; exit 0 if clean or warnings only, else 2");
  val->add_option("files", files, "Scenario YAML files")->required();
  val->add_flag("--strict", strict, "Treat warnings as errors");

  CLI::App* res = app.add_subcommand("resolve", "Print the fully resolved scenario as YAML");
  res->add_option("file", files, "Scenario YAML file")->required()->expected(1);
  res->add_option("-a,--alternative", alternative, "Resolve this alternative");

  if (const std::string sub = unknown_subcommand(argc, argv, {"run", "validate", "resolve"});
      !sub.empty()) {
    std::cerr << "corridor: error: unknown subcommand '" << sub << "'; "
              << did_you_mean(sub, {"run", "validate", "resolve"})
              << "\nRun with --help for more information.\n";
    return kExitInput;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitInput;
  }

  try {
    if (res->parsed()) {
      std::cout << resolve_scenario_yaml(files.front(), alternative);
      return kExitOk;
    }
    const std::vector<LoadedScenario> loaded = load_all(files, strict);
    if (val->parsed()) {
      for (const LoadedScenario& ls : loaded) {
        std::cout << ls.file << ": ok, " << ls.cases.size() << " case(s)\n";
      }
      return kExitOk;
    }
    std::vector<std::string> input_paths;
    for (const LoadedScenario& ls : loaded) {
      for (const InputFile& in : ls.inputs) input_paths.push_back(in.path);
    }
    if (const std::string why = why_not_replace(out_dir, input_paths); !why.empty()) {
      std::cerr << "corridor: error: refusing to write results to '" << out_dir << "': " << why
                << "\n";
      return kExitInput;
    }
    RunResult result;
    const ProgressFn progress = [&](const std::string& line) {
      if (!quiet) std::cerr << "corridor: " << line << "\n";
    };
    for (const LoadedScenario& ls : loaded) {
      for (const Scenario& c : ls.cases) result.cases.push_back(simulate(c, progress));
    }
    std::vector<std::pair<std::string, std::string>> out = result_csvs(result);
    out.emplace_back("manifest.json", manifest_json(command_line(argc, argv), loaded, utc_now()));
    try {
      write_directory_atomically(out_dir, out);
    } catch (const std::runtime_error& e) {
      std::cerr << "corridor: error: " << e.what() << "\n";
      return kExitInput;
    }
    print_summary(std::cout, result);
    if (!quiet) std::cerr << "corridor: wrote " << out.size() << " files to " << out_dir << "\n";
    return fail_on_shortfall && !result.all_demand_met() ? kExitShortfall : kExitOk;
  } catch (const InputError& e) {
    print_diagnostics(e.diagnostics());
    int errors = 0;
    for (const Diagnostic& d : e.diagnostics()) errors += d.severity == Severity::Error;
    std::cerr << "corridor: " << errors << " error(s)"
              << (run->parsed() ? "; nothing was written" : "") << "\n";
    return kExitInput;
  } catch (const std::exception& e) {
    std::cerr << "corridor: internal error: " << e.what() << " (please report)\n";
    return kExitInternal;
  } catch (...) {
    std::cerr << "corridor: internal error: unknown exception (please report)\n";
    return kExitInternal;
  }
}
