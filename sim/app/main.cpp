// The corridor command line: `run`, `compare`, `validate`, `resolve`. The only place exceptions
// are caught and turned into exit codes: 0 ran, 1 shortfall with --fail-on-shortfall, 2 usage or
// input error (nothing written), 3 internal error.
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "corridor/compare.h"
#include "corridor/csv.h"
#include "corridor/diagnostics.h"
#include "corridor/output.h"
#include "corridor/report.h"
#include "corridor/scenario_io.h"
#include "corridor/simulate.h"
#include "corridor/text.h"
#include "corridor/validate.h"
#include "corridor/version.h"

namespace {

using namespace corridor;

constexpr int kExitOk = 0;
constexpr int kExitShortfall = 1;
constexpr int kExitInput = 2;
constexpr int kExitInternal = 3;

/// The lines of the files that diagnostics point into. Each file is read once, however many
/// diagnostics it has, and only as far as the last line asked for; a line is kept to its first
/// kMaxLine + 1 bytes, enough to tell that it is too long to show.
class SourceLines {
 public:
  static constexpr std::size_t kMaxLine = 200;

  /// Line `line` (1-based) of `file`, without its line break; nullopt if there is none.
  std::optional<std::string_view> line(const std::string& file, int line) {
    auto [it, fresh] = files_.try_emplace(file);
    File& f = it->second;
    std::error_code ec;
    if (fresh && std::filesystem::is_regular_file(file, ec)) f.in.open(file, std::ios::binary);
    while (line > 0 && f.lines.size() < static_cast<std::size_t>(line) && f.in.is_open() &&
           read_line(f)) {
    }
    if (line < 1 || static_cast<std::size_t>(line) > f.lines.size()) return std::nullopt;
    return f.lines[line - 1];
  }

 private:
  struct File {
    std::ifstream in;
    std::vector<std::string> lines;
  };
  static bool read_line(File& f) {
    std::string s;
    std::streambuf* buf = f.in.rdbuf();
    int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) return false;
    for (; c != std::char_traits<char>::eof() && c != '\n'; c = buf->sbumpc()) {
      if (s.size() <= kMaxLine + 3) s += static_cast<char>(c);
    }
    if (!s.empty() && s.back() == '\r') s.pop_back();
    if (f.lines.empty() && s.starts_with("\xEF\xBB\xBF")) s.erase(0, 3);  // byte order mark
    f.lines.push_back(std::move(s));
    return true;
  }
  std::map<std::string, File> files_;
};

/// True if `s` is UTF-8 (text.h) without control characters other than tab: safe to show on
/// a terminal, and never a byte the loader refuses.
bool printable(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const Utf8Char c = decode_utf8(s, i);
    if (!c.valid || (is_control(c.code_point) && c.code_point != '\t')) return false;
    i += c.length;
  }
  return true;
}

/// The source line of a diagnostic with a caret under the column, or "" when the line is
/// unknown, too long to be useful, or not printable text.
std::string source_excerpt(SourceLines& sources, const SourceLocation& w) {
  if (w.line <= 0) return "";
  const std::optional<std::string_view> line = sources.line(w.file, w.line);
  if (!line || line->size() > SourceLines::kMaxLine || !printable(*line)) return "";
  // Columns count bytes; the caret moves one place per character (a tab stays a tab).
  std::string caret;
  const std::size_t before = static_cast<std::size_t>(std::max(1, w.col)) - 1;
  for (std::size_t i = 0; i < before; i += i < line->size() ? decode_utf8(*line, i).length : 1) {
    caret += i < line->size() && (*line)[i] == '\t' ? '\t' : ' ';
  }
  return "    " + std::string(*line) + "\n    " + caret + "^\n";
}

/// `text` made safe and short enough for a terminal: control characters and bytes that are
/// not UTF-8 (text.h) are escaped (a value may hold line breaks, a command-line argument any
/// byte), and a quoted value longer than 80 bytes is cut to its first 60 bytes, so that a
/// hostile file cannot flood the screen. A quote opens a value after a space, '(' or the
/// start, and closes it before anything but a letter or digit ("'it's'" is one value).
std::string displayable(const std::string& text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  std::size_t open = std::string::npos;  // where the current quoted value starts in `out`
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    const bool opens =
        open == std::string::npos && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '(');
    const bool closes =
        open != std::string::npos &&
        (i + 1 == text.size() || !std::isalnum(static_cast<unsigned char>(text[i + 1])));
    if (b == '\'' && (opens || closes)) {
      if (closes && out.size() - open > 80) {
        const std::size_t cut = open + utf8_prefix(std::string_view(out).substr(open), 60).size();
        const std::size_t dropped = out.size() - cut;
        out.resize(cut);
        out += "... (" + std::to_string(dropped) + " more bytes)";
      }
      open = opens ? out.size() + 1 : std::string::npos;
      out += '\'';
      continue;
    }
    const Utf8Char c = decode_utf8(text, i);
    if (c.valid && !is_control(c.code_point)) {
      out.append(text, i, c.length);
      i += c.length - 1;
    } else if (b == '\n' || b == '\t') {
      out += b == '\n' ? "\\n" : "\\t";
    } else {  // a control character or a byte that is not UTF-8, one byte at a time
      out += std::string("\\x") + kHex[b >> 4] + kHex[b & 15];
    }
  }
  return out;
}

void print_diagnostics(const std::vector<Diagnostic>& ds) {
  SourceLines sources;
  for (const Diagnostic& d : ds) {
    std::cerr << displayable(format_diagnostic(d)) << "\n" << source_excerpt(sources, d.where);
  }
}

/// Loads and validates every file; throws InputError with every problem of every file.
std::vector<LoadedScenario> load_all(const std::vector<std::string>& files, bool strict) {
  std::vector<LoadedScenario> loaded;
  std::vector<Diagnostic> all;
  std::set<std::string> reported;            // formatted, to report each once
  std::map<std::string, std::string> names;  // scenario name -> file
  for (const std::string& f : files) {
    try {
      LoadedScenario ls = load_scenario(f);
      for (const auto& c : ls.cases) {
        for (Diagnostic& d : validate(*c)) {
          if (strict && d.severity == Severity::Warning) d.severity = Severity::Error;
          // Alternatives share most of their file: report a problem once.
          if (reported.insert(format_diagnostic(d)).second) all.push_back(std::move(d));
        }
      }
      const std::string& name = ls.cases.front()->name;
      if (auto [it, fresh] = names.emplace(name, f); !fresh) {
        all.push_back(
            {Severity::Error,
             {f},
             "scenario name '" + name + "' is also used by " + it->second,
             "set a distinct 'name:' in one of the files so their rows can be told apart"});
        reported.insert(format_diagnostic(all.back()));
      }
      loaded.push_back(std::move(ls));
    } catch (const InputError& e) {
      for (const Diagnostic& d : e.diagnostics()) {
        all.push_back(d);
        reported.insert(format_diagnostic(d));
      }
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

/// The input files of every loaded scenario and their `extends:` chains.
std::vector<std::string> input_paths(const std::vector<LoadedScenario>& loaded) {
  std::vector<std::string> paths;
  for (const LoadedScenario& ls : loaded) {
    for (const InputFile& in : ls.inputs) paths.push_back(in.path);
  }
  return paths;
}

/// Every case of every file, in command-line then alternative order; progress on stderr.
/// Throws InputError with the failure of every case that could not be dispatched.
RunResult simulate_all(const std::vector<LoadedScenario>& loaded, bool quiet) {
  RunResult result;
  const ProgressFn progress = [&](const ProgressEvent& e) {
    if (quiet || e.periods_done != e.periods_total) return;
    std::cerr << "corridor: " << e.scenario << "/" << e.case_name << " "
              << commodity_name(e.commodity) << ": " << e.periods_total << " periods solved\n";
  };
  for (const LoadedScenario& ls : loaded) {
    for (const auto& c : ls.cases) result.cases.push_back(simulate(c, progress));
  }
  std::vector<Diagnostic> failures;
  for (const CaseFailure& f : result.failures()) failures.push_back(f.diagnostic);
  if (!failures.empty()) throw InputError(failures);
  return result;
}

/// Writes `files` plus the manifest as `out_dir`, atomically. Prints the error and returns
/// false when the write fails (nothing changed).
bool write_outputs(const std::string& out_dir,
                   std::vector<std::pair<std::string, std::string>>& files,
                   const std::vector<LoadedScenario>& loaded, int argc, char** argv) {
  std::vector<std::string> names;
  for (const auto& [name, contents] : files) names.push_back(name);
  names.push_back("manifest.json");
  files.emplace_back("manifest.json",
                     manifest_json(command_line(argc, argv), loaded, utc_now(), names));
  try {
    write_directory_atomically(out_dir, files);
  } catch (const std::runtime_error& e) {
    std::cerr << "corridor: error: " << e.what() << "\n";
    return false;
  }
  return true;
}

/// Table width: --width, else $COLUMNS, else the terminal's width when stdout is one, else 100.
int table_width(int flag) {
  if (flag > 0) return flag;
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr) {
    int n = 0;
    const std::string_view text(columns);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc() && end == text.data() + text.size() && n > 0) return n;
  }
  winsize ws{};
  if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    return ws.ws_col;
  }
  return 100;
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
  std::string compare_dir = "comparison", baseline, years_text = "2030,2035,2040";
  int width = 0;

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

  CLI::App* cmp = app.add_subcommand(
      "compare", "Run every case and compare each route with the same route in a baseline case");
  cmp->add_option("files", files, "Scenario YAML files")->required();
  cmp->add_option("--baseline", baseline,
                  "Baseline case: CASE (each file against its own case of that name) or "
                  "SCENARIO/CASE (one for all); default: each file's first case");
  cmp->add_option("--years", years_text, "Milestone years, comma-separated")->capture_default_str();
  cmp->add_option("-o,--output", compare_dir,
                  "Output directory: new, empty or earlier results; replaced atomically")
      ->capture_default_str();
  cmp->add_option("--width", width,
                  "Table width in columns (default: $COLUMNS, the terminal's width, or 100)")
      ->check(CLI::Range(20, 100000));
  cmp->add_flag("-q,--quiet", quiet, "No progress on stderr");
  cmp->add_flag("--strict", strict, "Treat warnings as errors");

  CLI::App* val = app.add_subcommand(
      "validate", "Check scenario files; exit 0 if clean or warnings only, else 2");
  val->add_option("files", files, "Scenario YAML files")->required();
  val->add_flag("--strict", strict, "Treat warnings as errors");

  CLI::App* res = app.add_subcommand("resolve", "Print the fully resolved scenario as YAML");
  res->add_option("file", files, "Scenario YAML file")->required()->expected(1);
  res->add_option("-a,--alternative", alternative, "Resolve this alternative");

  const std::vector<std::string> subcommands = {"run", "compare", "validate", "resolve"};
  if (const std::string sub = unknown_subcommand(argc, argv, subcommands); !sub.empty()) {
    std::cerr << "corridor: error: unknown subcommand '" << sub << "'; "
              << did_you_mean(sub, subcommands) << "\nRun with --help for more information.\n";
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
    CompareOptions compare_options;
    if (cmp->parsed()) {
      compare_options.years = parse_years(years_text);  // before the (slow) loading
      compare_options.baseline = baseline;
      out_dir = compare_dir;
    }
    const std::vector<LoadedScenario> loaded = load_all(files, strict);
    if (val->parsed()) {
      for (const LoadedScenario& ls : loaded) {
        std::cout << ls.file << ": ok, " << ls.cases.size() << " case(s)\n";
      }
      return kExitOk;
    }
    if (cmp->parsed()) {  // an unknown baseline fails before anything is simulated
      std::vector<std::pair<std::string, std::string>> names;
      for (const LoadedScenario& ls : loaded) {
        for (const auto& c : ls.cases) names.emplace_back(c->name, c->case_name);
      }
      baseline_case_index(names, compare_options.baseline);
    }
    if (const std::string why = why_not_replace(out_dir, input_paths(loaded)); !why.empty()) {
      std::cerr << "corridor: error: refusing to write results to '" << out_dir << "': " << why
                << "\n";
      return kExitInput;
    }
    const RunResult result = simulate_all(loaded, quiet);
    std::vector<std::pair<std::string, std::string>> out = result_csvs(result);
    if (cmp->parsed()) {
      const Comparison comparison = compare(result, compare_options);
      out.emplace_back("comparison.csv", comparison_csv(comparison));
      out.emplace_back("comparison_wide.csv", comparison_wide_csv(comparison));
      if (!write_outputs(out_dir, out, loaded, argc, argv)) return kExitInput;
      print_comparison(std::cout, comparison, table_width(width));
      if (!quiet) std::cerr << "corridor: wrote " << out.size() << " files to " << out_dir << "\n";
      return kExitOk;
    }
    if (!write_outputs(out_dir, out, loaded, argc, argv)) return kExitInput;
    print_summary(std::cout, result);
    if (!quiet) std::cerr << "corridor: wrote " << out.size() << " files to " << out_dir << "\n";
    return fail_on_shortfall && !result.all_demand_met() ? kExitShortfall : kExitOk;
  } catch (const InputError& e) {
    print_diagnostics(e.diagnostics());
    int errors = 0;
    for (const Diagnostic& d : e.diagnostics()) errors += d.severity == Severity::Error;
    std::cerr << "corridor: " << errors << " error(s)"
              << (run->parsed() || cmp->parsed() ? "; nothing was written" : "") << "\n";
    return kExitInput;
  } catch (const std::exception& e) {
    std::cerr << "corridor: internal error: " << e.what() << " (please report)\n";
    return kExitInternal;
  } catch (...) {
    std::cerr << "corridor: internal error: unknown exception (please report)\n";
    return kExitInternal;
  }
}
