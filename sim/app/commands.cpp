#include "commands.h"

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corridor/capacity.h"
#include "corridor/compare.h"
#include "corridor/contingencies.h"
#include "corridor/contingency_report.h"
#include "corridor/csv.h"
#include "corridor/ensemble.h"
#include "corridor/ensemble_csv.h"
#include "corridor/gaslib.h"
#include "corridor/hydraulics_study.h"
#include "corridor/kpi.h"
#include "corridor/n1.h"
#include "corridor/n1_report.h"
#include "corridor/output.h"
#include "corridor/param_path.h"
#include "corridor/report.h"
#include "corridor/run_pool.h"
#include "corridor/scenario_io.h"
#include "corridor/sensitivity.h"
#include "corridor/text.h"
#include "corridor/validate.h"
#include "corridor/why_report.h"
#include "corridor/workbook.h"

namespace corridor::app {
namespace {

using Files = std::vector<OutputFile>;

/// (name, contents) pairs as output files.
Files text_files(std::vector<std::pair<std::string, std::string>> pairs) {
  Files files;
  for (auto& [name, contents] : pairs) files.push_back(text_file(name, std::move(contents)));
  return files;
}

/// The `--set` assignments of the command line, each located at its own argument.
std::vector<ParamAssignment> assignments(const std::vector<std::string>& sets) {
  std::vector<ParamAssignment> out;
  std::vector<Diagnostic> bad;
  for (const std::string& text : sets) {
    std::string error;
    const SourceLocation where{"--set " + text, 0, 0};
    if (std::optional<ParamAssignment> a = parse_param_assignment(text, error)) {
      a->where = where;
      out.push_back(std::move(*a));
    } else {
      bad.push_back({Severity::Error, where, error, ""});
    }
  }
  if (!bad.empty()) throw InputError(bad);
  return out;
}

/// Applies the overrides to every case of `ls`, in order (a later one sees the earlier ones),
/// each to the cases whose scenario has its path: an alternative may add the pipeline it
/// names. A path that no case of the file has is an error (with did-you-mean from the first
/// case); a bad value or one out of range is an error in any case. Each change is recorded
/// for the manifest.
void apply_overrides(LoadedScenario& ls, const std::vector<ParamAssignment>& sets,
                     std::vector<Diagnostic>& diags, std::vector<ManifestFields>& record) {
  if (sets.empty()) return;
  std::vector<Scenario> changed;
  for (const auto& c : ls.cases) changed.push_back(*c);
  for (const ParamAssignment& a : sets) {
    bool resolved = false;
    std::vector<Diagnostic> first_case;  // why the path names nothing, in the first case
    for (Scenario& s : changed) {
      std::vector<Diagnostic> found;
      if (resolve_param(s, a.path, a.where, found).empty()) {
        // The first case's reason, unless a later one can suggest a name (an alternative
        // that adds the entity misspelt).
        const bool suggests = !found.empty() && found.front().hint.starts_with("did you mean");
        const bool had = !first_case.empty() && first_case.front().hint.starts_with("did you mean");
        if (first_case.empty() || (suggests && !had)) first_case = found;
        continue;
      }
      resolved = true;
      const Scenario before = s;
      const ParamSetResult r = set_param(before, s, a, diags);
      for (std::size_t i = 0; i < r.targets.size(); ++i) {
        record.push_back({{"scenario", s.name},
                          {"case", s.case_name},
                          {"set", a.path + "=" + a.value},
                          {"path", param_path(before, r.targets[i])},
                          {"before", r.before[i]},
                          {"after", r.after[i]}});
      }
    }
    if (!resolved) {
      for (Diagnostic& d : first_case) {
        d.message += " (in " + ls.file + ")";
        diags.push_back(std::move(d));
      }
    }
  }
  for (std::size_t i = 0; i < changed.size(); ++i) {
    ls.cases[i] = std::make_shared<const Scenario>(std::move(changed[i]));
  }
}

/// Loads and validates every file, with the `--set` overrides applied to every case. Throws
/// InputError with every problem of every file, each once; prints the warnings of clean files.
/// With `overrides`, returns what the overrides changed as the manifest's `overrides` section.
std::vector<LoadedScenario> load_all(const std::vector<std::string>& files, bool strict,
                                     Terminal& terminal, const std::vector<std::string>& sets = {},
                                     ManifestSection* overrides = nullptr) {
  const std::vector<ParamAssignment> changes = assignments(sets);
  std::vector<ManifestFields> record;
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
      apply_overrides(ls, changes, found, record);
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
  if (overrides && !changes.empty()) {
    overrides->name = "overrides";
    overrides->fields.emplace_back("assignments", static_cast<std::int64_t>(changes.size()));
    overrides->list_name = "changes";
    overrides->list = std::move(record);
  }
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

/// The manifest sections of a command: the overrides when there were any.
std::vector<ManifestSection> sections_of(const ManifestSection& overrides) {
  if (overrides.name.empty()) return {};
  return {overrides};
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

/// Refuses `o.out_dir` when it holds anything corridor did not write there (printing why, so
/// the caller returns exit 2) before any work is done. True when refused.
bool refuses_output_dir(const Options& o, const std::vector<LoadedScenario>& loaded,
                        Terminal& terminal) {
  const std::string why = why_not_replace(o.out_dir, input_paths(loaded));
  if (why.empty()) return false;
  terminal.print("corridor: error: refusing to write results to '" + o.out_dir + "': " + why +
                 "\n");
  return true;
}

/// Dispatches every member on the run pool with `-j` threads and the terminal's progress line.
/// When a case fails, reports each distinct failure once and returns nothing (exit 2).
std::optional<RunResult> dispatch_all(const std::vector<std::shared_ptr<const Scenario>>& members,
                                      const Options& o, const DispatchOptions& dispatch,
                                      Terminal& terminal) {
  PoolOptions pool;
  pool.threads = o.jobs;
  pool.dispatch = dispatch;
  if (terminal.shows_progress())
    pool.progress = [&](const ProgressEvent& e) { terminal.progress(e); };
  RunResult result = run_cases(members, pool);
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
    return std::nullopt;
  }
  return result;
}

/// Writes `files` plus the manifest as the output directory, atomically, and returns how many
/// files that is; prints the error and returns 0 when the write fails (nothing changed).
std::size_t write_outputs(const Options& o, Files files, const std::vector<LoadedScenario>& loaded,
                          Terminal& terminal, const std::vector<ManifestSection>& sections = {}) {
  std::vector<std::string> names;
  for (const OutputFile& f : files) names.push_back(f.name);
  names.push_back("manifest.json");
  files.push_back(text_file("manifest.json",
                            manifest_json(o.command_line, loaded, utc_now(), names, sections)));
  try {
    write_directory_atomically(o.out_dir, files);
  } catch (const std::runtime_error& e) {
    terminal.print("corridor: error: " + std::string(e.what()) + "\n");
    return 0;
  }
  return files.size();
}

/// `--xlsx`: the same tables, typed, written with them in the one atomic write. The workbook
/// needs every table whole: each is formatted once, and that same text is written. False,
/// with the error printed, when the workbook cannot be made.
bool add_workbook(Files& files, Terminal& terminal) {
  std::vector<std::pair<std::string, std::string>> tables;
  for (const OutputFile& f : files) {
    std::string text;
    f.contents([&](std::string_view piece) { text += piece; });
    tables.emplace_back(f.name, std::move(text));
  }
  std::string workbook;
  try {
    workbook = xlsx_workbook(tables);
  } catch (const std::runtime_error& e) {
    terminal.print("corridor: error: " + std::string(e.what()) + "\n");
    return false;
  }
  files = text_files(std::move(tables));
  files.push_back(text_file("results.xlsx", std::move(workbook)));
  return true;
}

/// `run`, `compare` and `sweep` once their cases are known: check the baseline (when comparing)
/// and the output directory before the work, dispatch every case on the run pool, then write
/// everything at once with the manifest `sections` and print the table.
Outcome dispatch_and_write(const Options& o, const std::vector<LoadedScenario>& loaded,
                           const std::vector<std::shared_ptr<const Scenario>>& members,
                           const std::optional<CompareOptions>& compare_options,
                           const std::vector<ManifestSection>& sections, Terminal& terminal) {
  if (compare_options) {  // an unknown baseline fails before anything is dispatched
    std::vector<std::pair<std::string, std::string>> names;
    for (const auto& c : members) names.emplace_back(c->name, c->case_name);
    baseline_case_index(names, compare_options->baseline);
  }
  if (refuses_output_dir(o, loaded, terminal)) return Outcome::InputError;

  DispatchOptions dispatch;
  dispatch.bottlenecks = o.bottlenecks;
  std::optional<RunResult> dispatched = dispatch_all(members, o, dispatch, terminal);
  if (!dispatched) return Outcome::InputError;
  dispatched->units = o.units;  // the tables' volume units (--units)
  const RunResult& result = *dispatched;

  Files files = result_files(result);  // written row by row: never held whole
  std::optional<Comparison> comparison;
  if (compare_options) {
    comparison = compare(result, *compare_options);
    files.push_back(text_file("comparison.csv", comparison_csv(*comparison)));
    files.push_back(text_file("comparison_wide.csv", comparison_wide_csv(*comparison)));
    files.push_back(text_file("comparison_cases.csv", comparison_cases_csv(*comparison)));
  }
  if (o.xlsx && !add_workbook(files, terminal)) return Outcome::InputError;
  const std::size_t written = write_outputs(o, std::move(files), loaded, terminal, sections);
  if (written == 0) return Outcome::InputError;
  if (o.quiet) {
    // -q: only warnings and errors, which went to stderr above.
  } else if (comparison) {
    print_comparison(std::cout, *comparison, table_width(o.width));
  } else {
    print_summary(std::cout, result);
  }
  terminal.note("wrote " + std::to_string(written) + " files to " + o.out_dir);
  if (comparison) return Outcome::Done;  // a shortfall is a result
  return o.fail_on_shortfall && !result.all_demand_met() ? Outcome::Shortfall : Outcome::Done;
}

/// `run` and `compare`: load every file, then dispatch_and_write.
Outcome run_or_compare(const Options& o, Terminal& terminal) {
  std::optional<CompareOptions> compare_options;
  if (o.command == Command::Compare) {
    compare_options.emplace();
    compare_options->years = parse_years(o.years);  // before the (slow) loading
    compare_options->baseline = o.baseline;
  }
  ManifestSection overrides;
  const std::vector<LoadedScenario> loaded =
      load_all(o.files, o.strict, terminal, o.sets, &overrides);
  return dispatch_and_write(o, loaded, members_of(loaded), compare_options, sections_of(overrides),
                            terminal);
}

// ---------------------------------------------------------------------------------------------
// ensemble

constexpr const char* kRng =
    "SplitMix64 as a counter-based generator: number n of stream K is "
    "mix64(K + (n + 1) * 0x9E3779B97F4A7C15); K = f(seed, scenario/case, draw, input)";

Outcome code_outcome(int code) {
  return code == 0 ? Outcome::Done : code == 2 ? Outcome::InputError : Outcome::InternalError;
}

/// The inputs whose drawn values were clamped into range, as warnings at their samples.
std::vector<Diagnostic> clamp_warnings(const EnsembleResult& r) {
  std::vector<Diagnostic> out;
  for (const CaseEnsemble& c : r.cases) {
    const Scenario& s = *c.scenario;
    for (std::size_t i = 0; i < c.inputs.size(); ++i) {
      if (c.clamped[i] == 0) continue;
      const Sample& sample = s.uncertainty.samples[c.inputs[i].sample];
      out.push_back({Severity::Warning, sample.where,
                     std::to_string(c.clamped[i]) + " of " + std::to_string(c.draws) +
                         " draws of " + c.inputs[i].path + " in case '" + s.case_name +
                         "' fell outside its range and were clamped into it",
                     "truncate the distribution to the range (a capacity or demand at least 0, an "
                     "availability in [0, 1]) so that the draws mean what they say"});
    }
  }
  return out;
}

ManifestSection manifest_section(const EnsembleResult& r, int ranks) {
  ManifestSection m;
  m.name = "ensemble";
  m.fields = {{"rng", std::string(kRng)},
              {"threads", static_cast<std::int64_t>(r.threads)},
              {"ranks", static_cast<std::int64_t>(ranks)}};
  m.list_name = "cases";
  for (const CaseEnsemble& c : r.cases) {
    const std::size_t bytes = c.values.bytes();
    m.list.push_back(
        {{"scenario", c.scenario->name},
         {"case", c.scenario->case_name},
         {"draws", static_cast<std::int64_t>(c.draws)},
         {"seed", c.seed},
         {"periods", c.periods},
         {"solved", c.solved},
         {"reused_unperturbed", c.reused_base},
         {"reused_repeated", c.reused_memo},
         {"bytes_per_draw", static_cast<std::uint64_t>(c.draws > 0 ? bytes / c.draws : 0)}});
  }
  return m;
}

/// `ensemble`: every rank loads and checks, rank 0 checks the output directory, every rank
/// runs its draws, rank 0 gathers, writes and prints. The ranks agree on the outcome after
/// each step, so none waits for a rank that has stopped.
Outcome ensemble(const Options& o, Terminal& terminal, const MpiSession& mpi) {
  const bool root = mpi.root();
  int code = 0;
  std::vector<LoadedScenario> loaded;
  ManifestSection overrides;
  try {
    loaded = load_all(o.files, o.strict, terminal, o.sets, &overrides);
  } catch (const InputError& e) {
    if (root) terminal.input_errors(e.diagnostics(), true);
    code = 2;
  }
  if ((code = mpi.agree(code)) != 0) return code_outcome(code);
  if (root) {
    if (refuses_output_dir(o, loaded, terminal)) code = 2;
  }
  if ((code = mpi.agree(code)) != 0) return code_outcome(code);

  EnsembleOptions options;
  options.draws = o.draws;
  options.seed = o.seed;
  options.threads = o.jobs;
  options.keep_inputs = o.keep_draws;
  options.part = mpi.rank();
  options.parts = mpi.size();
  if (root && terminal.shows_progress()) {
    options.progress = [&](const EnsembleProgress& p) { terminal.draws_progress(p.done, p.total); };
  }
  EnsembleResult result;
  try {
    result = run_ensemble(members_of(loaded), options);
  } catch (const InputError& e) {
    terminal.set_silent(false);  // a draw of this rank: say so, whichever rank it is
    terminal.input_errors(e.diagnostics(), true);
    code = 2;
  } catch (const std::exception& e) {
    terminal.set_silent(false);
    terminal.print("corridor: internal error: " + std::string(e.what()) + " (please report)\n");
    code = 3;
  }
  terminal.end_progress();
  if ((code = mpi.agree(code)) != 0) return code_outcome(code);
  mpi.gather(result);
  if (!root) return Outcome::Done;
  result.units = o.units;  // the tables' volume units (--units)

  terminal.diagnostics(clamp_warnings(result));
  const EnsembleStats stats = summarise(result, result.threads);
  std::vector<std::pair<std::string, std::string>> files = {
      {"ensemble_summary.csv", ensemble_summary_csv(result, stats)},
      {"ensemble_risk.csv", ensemble_risk_csv(result, stats)}};
  if (o.xlsx) {  // the summary tables, typed; draws.csv is streamed and too long for a sheet
    try {
      std::string workbook = xlsx_workbook(files);
      files.emplace_back("results.xlsx", std::move(workbook));
    } catch (const std::runtime_error& e) {
      terminal.print("corridor: error: " + std::string(e.what()) + "\n");
      return Outcome::InputError;
    }
  }
  std::vector<StreamedFile> streamed;
  if (o.keep_draws) {
    streamed.push_back({"draws.csv", draws_csv(result)});
    streamed.push_back({"inputs.csv", inputs_csv(result)});
    if (has_outages(result)) streamed.push_back({"outages.csv", outages_csv(result)});
  }
  std::vector<std::string> names;
  for (const auto& [name, contents] : files) names.push_back(name);
  for (const StreamedFile& f : streamed) names.push_back(f.name);
  names.push_back("manifest.json");
  std::vector<ManifestSection> sections = sections_of(overrides);
  sections.push_back(manifest_section(result, mpi.size()));
  files.emplace_back("manifest.json",
                     manifest_json(o.command_line, loaded, utc_now(), names, sections));
  try {
    write_directory_atomically(o.out_dir, files, streamed);
  } catch (const std::runtime_error& e) {
    terminal.print("corridor: error: " + std::string(e.what()) + "\n");
    return Outcome::InputError;
  }
  if (!o.quiet) print_ensemble_summary(std::cout, result, stats);  // -q: problems only
  terminal.note("wrote " + std::to_string(names.size()) + " files to " + o.out_dir);
  return Outcome::Done;
}

/// The laws of --friction and --compressibility (the CLI checked their spelling). With
/// aga8-gross every case's gas is characterised before anything is dispatched: inputs that
/// contradict each other are an input error located at the case's `commodities.gas` (or its
/// file), and nothing is written.
std::optional<HydraulicOptions> physics_laws(const Options& o,
                                             const std::vector<LoadedScenario>& loaded,
                                             Terminal& terminal) {
  HydraulicOptions law;
  law.friction = o.friction == "colebrook-white" ? FrictionLaw::ColebrookWhite
                 : o.friction == "hofer"         ? FrictionLaw::Hofer
                                                 : FrictionLaw::Nikuradse;
  if (const std::string bad = parse_compressibility(o.compressibility, law); !bad.empty())
    throw std::logic_error("--compressibility passed the CLI's check: " + bad);
  if (law.compressibility != CompressibilityLaw::Aga8Gross) return law;
  std::vector<Diagnostic> errors;
  std::set<std::string> seen;
  for (const LoadedScenario& l : loaded) {
    for (const auto& c : l.cases) {
      const CompressibilityModel m =
          compressibility_model(law.compressibility, gas_properties_of(*c));
      if (m.error.empty()) continue;
      SourceLocation where = c->gas_physics.where;
      if (where.file.empty()) where = {l.file, 1, 1};
      Diagnostic d{Severity::Error, where,
                   "--compressibility aga8-gross: case '" + c->case_name + "': " + m.error,
                   "check commodities.gas: molar_mass (or relative_density), heating_value and "
                   "co2_fraction; or give n2_fraction, for Method 2"};
      if (seen.insert(format_diagnostic(d)).second) errors.push_back(std::move(d));
    }
  }
  if (errors.empty()) return law;
  terminal.input_errors(errors, true);
  return std::nullopt;
}

/// `capacity`: load, dispatch every case on the run pool (for the flows each year), study each
/// case's pipelines and routes, write capacity.csv and the manifest at once, print the table.
Outcome capacity(const Options& o, Terminal& terminal) {
  ManifestSection overrides;
  const std::vector<LoadedScenario> loaded =
      load_all(o.files, o.strict, terminal, o.sets, &overrides);
  if (refuses_output_dir(o, loaded, terminal)) return Outcome::InputError;
  const std::optional<HydraulicOptions> law = physics_laws(o, loaded, terminal);
  if (!law) return Outcome::InputError;
  const std::optional<RunResult> dispatched = dispatch_all(members_of(loaded), o, {}, terminal);
  if (!dispatched) return Outcome::InputError;
  const RunResult& result = *dispatched;
  std::vector<CapacityStudy> studies;
  RunResult applied;  // --apply: every case dispatched again with its physics
  for (const CaseResult& c : result.cases) {
    if (!o.apply) {
      studies.push_back(capacity_study(c, *law));
      continue;
    }
    CapacityApplied a = apply_capacity(c, *law);
    const std::string who = c.scenario->name + " / " + c.scenario->case_name;
    terminal.note("note: " + who + ": dispatched " + std::to_string(a.iterations) +
                  " time(s) with physical capacities and fuel" +
                  (a.converged ? ""
                               : "; the fuel still changed by " +
                                     format_fixed(a.fuel_change, decimals::kVolume) +
                                     " bcm/y at the last one"));
    studies.push_back(std::move(a.study));
    applied.cases.push_back(std::move(a.result));
  }
  if (o.apply) {
    if (const std::vector<Diagnostic> failed = failure_diagnostics(applied); !failed.empty()) {
      terminal.input_errors(failed, true);
      return Outcome::InputError;
    }
  }
  std::set<std::string> noted;
  for (const CapacityStudy& st : studies)
    for (const std::string& n : st.notes)
      if (noted.insert(n).second) terminal.note("note: " + n);
  Files files = {text_file("capacity.csv", capacity_csv(studies))};
  if (o.apply) {  // `applied` outlives the write: its files are formatted as they are written
    for (OutputFile& f : result_files(applied)) files.push_back(std::move(f));
  }
  const std::size_t written =
      write_outputs(o, std::move(files), loaded, terminal, sections_of(overrides));
  if (written == 0) return Outcome::InputError;
  if (!o.quiet) print_capacity(std::cout, studies);  // -q: only warnings and errors
  terminal.note("wrote " + std::to_string(written) + " files to " + o.out_dir);
  return Outcome::Done;
}

/// `hydraulics`: load, dispatch every case (for the injections each year), solve each case's
/// gas network every year, write hydraulics.csv, hydraulics_nodes.csv and the manifest at
/// once, print the table.
Outcome hydraulics(const Options& o, Terminal& terminal) {
  ManifestSection overrides;
  const std::vector<LoadedScenario> loaded =
      load_all(o.files, o.strict, terminal, o.sets, &overrides);
  if (refuses_output_dir(o, loaded, terminal)) return Outcome::InputError;
  const std::optional<HydraulicOptions> law = physics_laws(o, loaded, terminal);
  if (!law) return Outcome::InputError;
  const std::optional<RunResult> dispatched = dispatch_all(members_of(loaded), o, {}, terminal);
  if (!dispatched) return Outcome::InputError;
  const RunResult& result = *dispatched;
  std::vector<HydraulicCaseStudy> studies;
  for (const CaseResult& c : result.cases) studies.push_back(hydraulics_study(c, *law));
  std::set<std::string> noted;
  bool any = false;
  for (const HydraulicCaseStudy& st : studies) {
    any = any || !st.years.empty();
    for (const std::string& n : st.notes)
      if (noted.insert(n).second) terminal.note("note: " + n);
  }
  if (!any)
    terminal.note(
        "note: no gas pipeline has physical data (a pipe with 'length' and 'diameter', or a "
        "'type:' element): nothing to solve");
  Files files = {text_file("hydraulics.csv", hydraulics_csv(studies)),
                 text_file("hydraulics_nodes.csv", hydraulics_nodes_csv(studies))};
  const std::size_t written =
      write_outputs(o, std::move(files), loaded, terminal, sections_of(overrides));
  if (written == 0) return Outcome::InputError;
  if (!o.quiet) print_hydraulics(std::cout, studies);  // -q: only warnings and errors
  terminal.note("wrote " + std::to_string(written) + " files to " + o.out_dir);
  return Outcome::Done;
}

/// `import-gaslib NET SCN`: read both (InputError with file:line:col on any problem), set
/// the stations by the rule, print the scenario or write it atomically to -o.
Outcome import_gaslib(const Options& o, Terminal& terminal) {
  const GasLibInstance instance = read_gaslib(o.files.at(0), o.files.at(1));
  GasLibImportOptions io;
  io.rule = o.rule == "ratio" ? StationRule::FixedRatio : StationRule::MaxOutletPressure;
  io.ratio = o.ratio;
  const std::filesystem::path net(o.files[0]), scn(o.files[1]);
  io.net_name = net.filename().string();
  io.scn_name = scn.filename().string();
  io.name = net.stem().string() == scn.stem().string()
                ? net.stem().string()
                : net.stem().string() + "-" + scn.stem().string();
  const std::string yaml = gaslib_to_yaml(instance, io);
  if (o.output_file.empty()) {
    std::cout << yaml;
    return Outcome::Done;
  }
  try {
    write_file_atomically(o.output_file, yaml, kGasLibYamlMarker);
  } catch (const std::runtime_error& e) {
    terminal.print("corridor: error: " + std::string(e.what()) + "\n");
    return Outcome::InputError;
  }
  terminal.note("wrote " + o.output_file);
  return Outcome::Done;
}

/// The asset kinds of `--assets`; throws InputError naming a word it does not know.
std::vector<AssetKind> asset_kinds(const std::string& list) {
  static const std::vector<std::pair<std::string, AssetKind>> kNames = {
      {"pipelines", AssetKind::Pipeline},
      {"supplies", AssetKind::Supply},
      {"lng", AssetKind::Lng},
      {"storage", AssetKind::Storage},
      {"routes", AssetKind::Route}};
  std::vector<AssetKind> out;
  std::size_t start = 0;
  while (start <= list.size() && !list.empty()) {
    const std::size_t comma = list.find(',', start);
    const std::string word = list.substr(start, comma == std::string::npos ? comma : comma - start);
    const auto it =
        std::find_if(kNames.begin(), kNames.end(), [&](const auto& n) { return n.first == word; });
    if (it == kNames.end()) {
      std::vector<std::string> names;
      for (const auto& n : kNames) names.push_back(n.first);
      throw InputError({{Severity::Error,
                         {},
                         "--assets: unknown asset kind '" + word + "'",
                         did_you_mean(word, names) + "; accepted: pipelines, supplies, lng, "
                                                     "storage, routes"}});
    }
    out.push_back(it->second);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

/// `contingencies`: the options first (cheap), then load, check the output directory, sweep on
/// the run pool, write and rank.
Outcome contingencies(const Options& o, Terminal& terminal) {
  ContingencyOptions options;
  options.kinds = asset_kinds(o.assets);
  options.k = o.k;
  options.threads = o.jobs;
  if (!o.event.empty()) {
    OutageWindow window;
    std::string error;
    if (!parse_window(o.event, window, error)) {
      throw InputError({{Severity::Error, {}, "--event: " + error, ""}});
    }
    options.window = window;
  }
  ManifestSection overrides;
  const std::vector<LoadedScenario> loaded =
      load_all(o.files, o.strict, terminal, o.sets, &overrides);
  if (refuses_output_dir(o, loaded, terminal)) return Outcome::InputError;
  ContingencyStudy study = run_contingencies(members_of(loaded), options);
  study.units = o.units;  // the tables' volume units (--units)
  std::vector<Diagnostic> failed;
  std::set<std::string> seen;
  for (const CaseContingencies& c : study.cases) {
    if (c.failure && seen.insert(format_diagnostic(c.failure->diagnostic)).second) {
      failed.push_back(c.failure->diagnostic);
    }
  }
  if (!failed.empty()) {
    terminal.input_errors(failed, true);
    return Outcome::InputError;
  }
  const std::size_t written = write_outputs(o, text_files(contingency_csvs(study)), loaded,
                                            terminal, sections_of(overrides));
  if (written == 0) return Outcome::InputError;
  if (!o.quiet) print_contingency_ranking(std::cout, study, o.top);
  terminal.note(std::to_string(study.solves) + " solves; wrote " + std::to_string(written) +
                " files to " + o.out_dir);
  return Outcome::Done;
}

/// `n1`: the standard per area and year for every case, n1.csv, and the table for the
/// milestone years.
Outcome n1(const Options& o, Terminal& terminal) {
  const std::vector<int> years = parse_years(o.years);
  ManifestSection overrides;
  const std::vector<LoadedScenario> loaded =
      load_all(o.files, o.strict, terminal, o.sets, &overrides);
  if (refuses_output_dir(o, loaded, terminal)) return Outcome::InputError;
  const std::vector<std::shared_ptr<const Scenario>> members = members_of(loaded);
  std::vector<N1Case> cases(members.size());
  run_tasks(members.size(), o.jobs, [&](std::size_t i) {
    cases[i] = {members[i], n1_standard(*members[i])};
  });
  const std::size_t written = write_outputs(o, {text_file("n1.csv", n1_csv(cases))}, loaded,
                                            terminal, sections_of(overrides));
  if (written == 0) return Outcome::InputError;
  if (!o.quiet) print_n1(std::cout, cases, years);
  terminal.note("wrote " + std::to_string(written) + " files to " + o.out_dir);
  return Outcome::Done;
}

// ---------------------------------------------------------------------------------------------
// sweep, sensitivity, breakeven, explain

/// The case named `name` of `ls` (its first case when `name` is empty). Throws InputError
/// located at `option` with did-you-mean for a name the file does not have.
std::shared_ptr<const Scenario> case_named(const LoadedScenario& ls, const std::string& name,
                                           const std::string& option) {
  if (name.empty()) return ls.cases.front();
  std::vector<std::string> names;
  for (const auto& c : ls.cases) {
    if (c->case_name == name) return c;
    names.push_back(c->case_name);
  }
  throw InputError({{Severity::Error,
                     {option + " " + name, 0, 0},
                     "no case named '" + name + "' in " + ls.file,
                     did_you_mean(name, names)}});
}

/// An option's PATH=VALUES text as an assignment located at the option, or InputError.
ParamAssignment option_assignment(const std::string& option, const std::string& text) {
  std::string error;
  std::optional<ParamAssignment> a = parse_param_assignment(text, error);
  const SourceLocation where{option + " " + text, 0, 0};
  if (!a) throw InputError({{Severity::Error, where, error, ""}});
  a->where = where;
  return *a;
}

/// Adds `found` to `all`, each distinct message once.
void add_once(std::vector<Diagnostic>& all, std::set<std::string>& seen,
              std::vector<Diagnostic> found) {
  for (Diagnostic& d : found) {
    if (seen.insert(format_diagnostic(d)).second) all.push_back(std::move(d));
  }
}

/// `sweep FILE --param PATH=VALUES`: one case per value, named "PATH=VALUE", dispatched on the
/// run pool and compared with the first (or --baseline), as `compare` does.
Outcome sweep(const Options& o, Terminal& terminal) {
  CompareOptions compare_options;
  compare_options.years = parse_years(o.years);  // before the (slow) loading
  const ParamAssignment swept = option_assignment("--param", o.param);
  std::string error;
  const std::optional<std::vector<std::string>> values =
      expand_param_values(swept.value, false, error);
  if (!values) throw InputError({{Severity::Error, swept.where, error, ""}});

  ManifestSection overrides;
  const std::vector<LoadedScenario> loaded =
      load_all(o.files, o.strict, terminal, o.sets, &overrides);
  const std::shared_ptr<const Scenario> base = case_named(loaded.front(), o.case_name, "--case");
  std::vector<std::shared_ptr<const Scenario>> members;
  std::vector<Diagnostic> problems;
  std::set<std::string> seen;
  for (const std::string& v : *values) {
    Scenario c = *base;
    std::vector<Diagnostic> found;
    set_param(*base, c, {swept.path, v, swept.where}, found);
    c.case_name = swept.path + "=" + v;
    if (!has_errors(found)) {
      for (Diagnostic& d : validate(c)) {
        if (o.strict && d.severity == Severity::Warning) d.severity = Severity::Error;
        if (d.severity == Severity::Error) d.message += " (with " + c.case_name + ")";
        found.push_back(std::move(d));
      }
    }
    add_once(problems, seen, std::move(found));
    members.push_back(std::make_shared<const Scenario>(std::move(c)));
  }
  if (has_errors(problems)) throw InputError(problems);
  terminal.diagnostics(problems);  // warnings only
  compare_options.baseline = o.baseline.empty() ? members.front()->case_name : o.baseline;
  std::vector<ManifestSection> sections = sections_of(overrides);
  ManifestSection m;
  m.name = "sweep";
  m.fields = {{"case", base->case_name},
              {"path", swept.path},
              {"values", static_cast<std::int64_t>(values->size())}};
  m.list_name = "cases";
  for (const auto& c : members) m.list.push_back({{"case", c->case_name}});
  sections.push_back(std::move(m));
  return dispatch_and_write(o, loaded, members, compare_options, sections, terminal);
}

/// The KPIs of `--kpi` (default: total_cost), checked against `cases`; InputError for any bad
/// one, each located at its own argument.
std::vector<Kpi> kpis_of(const std::vector<std::string>& texts,
                         const std::vector<const Scenario*>& cases) {
  std::vector<Kpi> out;
  std::vector<Diagnostic> diags;
  for (const std::string& text : texts.empty() ? std::vector<std::string>{"total_cost"} : texts) {
    std::string error, hint;
    const SourceLocation where{"--kpi " + text, 0, 0};
    const std::optional<Kpi> k = parse_kpi(text, error, hint);
    if (!k) {
      diags.push_back({Severity::Error, where, error, hint});
      continue;
    }
    check_kpi(cases, *k, where, diags);
    out.push_back(*k);
  }
  throw_if_errors(diags);
  return out;
}

KpiYears years_of(const std::string& text, const Scenario& s) {
  std::string error;
  const std::optional<KpiYears> y = parse_kpi_years(text, s, error);
  if (!y) throw InputError({{Severity::Error, {"--years " + text, 0, 0}, error, ""}});
  return *y;
}

/// The effects of `--kinds`.
std::vector<ParamEffect> effects_of(const std::string& list) {
  static const std::vector<std::pair<std::string, ParamEffect>> kNames = {
      {"bounds", ParamEffect::Bounds},
      {"costs", ParamEffect::Costs},
      {"economics", ParamEffect::Economics},
      {"information", ParamEffect::Information}};
  std::vector<ParamEffect> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = list.find(',', start);
    const std::string word(trim(std::string_view(list).substr(
        start, comma == std::string::npos ? std::string::npos : comma - start)));
    const auto it =
        std::find_if(kNames.begin(), kNames.end(), [&](const auto& n) { return n.first == word; });
    if (it == kNames.end()) {
      std::vector<std::string> names;
      for (const auto& n : kNames) names.push_back(n.first);
      throw InputError({{Severity::Error,
                         {"--kinds " + list, 0, 0},
                         "unknown kind of input '" + word + "'",
                         did_you_mean(word, names) + "; accepted: bounds, costs, economics, "
                                                     "information"}});
    }
    out.push_back(it->second);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

/// The progress line of a study of `total` variants.
std::function<void(std::size_t, std::size_t)> study_progress(Terminal& terminal) {
  if (!terminal.shows_progress()) return {};
  return [&terminal](std::size_t done, std::size_t total) {
    terminal.draws_progress(static_cast<int>(done), static_cast<int>(total));
  };
}

ManifestSection study_section(const std::string& name, ManifestFields fields) {
  ManifestSection m;
  m.name = name;
  m.fields = std::move(fields);
  return m;
}

Outcome sensitivity(const Options& o, Terminal& terminal) {
  ManifestSection overrides;
  const std::vector<LoadedScenario> loaded =
      load_all(o.files, o.strict, terminal, o.sets, &overrides);
  const std::shared_ptr<const Scenario> base = case_named(loaded.front(), o.case_name, "--case");
  SensitivityOptions options;
  options.kpis = kpis_of(o.kpis, {base.get()});
  options.years = years_of(o.kpi_years, *base);
  options.threads = o.jobs;
  std::vector<Diagnostic> bad;
  for (const std::string& text : o.vary) {
    const ParamAssignment a = option_assignment("--vary", text);
    std::string error;
    const std::optional<std::vector<std::string>> ends = expand_param_values(a.value, true, error);
    if (!ends) {
      bad.push_back({Severity::Error, a.where, error, ""});
      continue;
    }
    options.vary.push_back({a.path, (*ends)[0], (*ends)[1], a.where});
  }
  throw_if_errors(bad);
  if (!o.vary_all.empty()) {
    const SourceLocation where{"--vary-all " + o.vary_all, 0, 0};
    const std::string_view v = trim(o.vary_all);
    ParsedQuantity r;
    if (v.starts_with("relative=")) {
      r = parse_quantity(v.substr(9), Dimension::Fraction, Commodity::Gas, base->gas);
    } else {
      r.error = QuantityError{"'" + std::string(v) + "' is not relative=R", "", false, ""};
    }
    if (!r.ok() || r.value <= 0.0 || r.value >= 1.0) {
      throw InputError(
          {{Severity::Error, where,
            r.ok() ? "relative change " + o.vary_all.substr(9) + " is not between 0 % and 100 %"
                   : r.error->message,
            "write relative=R with R between 0 % and 100 %, e.g. relative=10%"}});
    }
    options.vary_all = r.value;
    options.effects = effects_of(o.kinds);
  }
  if (options.vary.empty() && !options.vary_all) {
    throw InputError({{Severity::Error,
                       {"sensitivity", 0, 0},
                       "nothing to vary",
                       "give --vary PATH=LOW..HIGH (repeatable) or --vary-all relative=10%"}});
  }
  if (refuses_output_dir(o, loaded, terminal)) return Outcome::InputError;
  options.progress = study_progress(terminal);
  const SensitivityResult result = run_sensitivity(base, options);
  terminal.end_progress();
  Files files = {text_file("tornado.csv", tornado_csv(result))};
  if (o.xlsx && !add_workbook(files, terminal)) return Outcome::InputError;
  std::vector<ManifestSection> sections = sections_of(overrides);
  sections.push_back(study_section(
      "sensitivity", {{"case", base->case_name},
                      {"inputs", static_cast<std::uint64_t>(result.inputs)},
                      {"dispatched", static_cast<std::uint64_t>(result.dispatched)},
                      {"economics_only", static_cast<std::uint64_t>(result.economics_only)},
                      {"periods_solved", static_cast<std::uint64_t>(result.periods_solved)}}));
  const std::size_t written = write_outputs(o, std::move(files), loaded, terminal, sections);
  if (written == 0) return Outcome::InputError;
  if (!o.quiet) print_tornado(std::cout, result, table_width(o.width), o.show_top);
  terminal.note(std::to_string(result.inputs) + " inputs, " + std::to_string(result.dispatched) +
                " variants dispatched and " + std::to_string(result.economics_only) +
                " with economics only (" + std::to_string(result.periods_solved) +
                " periods solved); wrote " + std::to_string(written) + " files to " + o.out_dir);
  return Outcome::Done;
}

Outcome breakeven(const Options& o, Terminal& terminal) {
  ManifestSection overrides;
  const std::vector<LoadedScenario> loaded =
      load_all(o.files, o.strict, terminal, o.sets, &overrides);
  const auto a = case_named(loaded.front(), o.case_name, "--case");
  const auto b = case_named(loaded.front(), o.vs_case, "--vs");
  if (o.kpis.size() > 2) {
    throw InputError({{Severity::Error,
                       {"--kpi", 0, 0},
                       "breakeven takes one --kpi, or two (case A's, then case B's)",
                       "give the KPI of case A, then optionally the KPI of case B"}});
  }
  BreakevenOptions options;
  const std::vector<Kpi> kpis = kpis_of(o.kpis, {a.get(), b.get()});
  options.kpi = kpis.at(0);
  options.vs_kpi = kpis.size() > 1 ? kpis[1] : kpis[0];
  if (a == b && options.kpi.text == options.vs_kpi.text) {
    throw InputError({{Severity::Error,
                       {"--vs " + o.vs_case, 0, 0},
                       "case A and case B are the same case with the same KPI: they always agree",
                       "compare with another case, or give a second --kpi for case B"}});
  }
  options.path = o.param;
  options.where = {"--param " + o.param, 0, 0};
  options.range_text = o.range;
  options.years = years_of(o.kpi_years, *a);
  options.grid = o.grid;
  options.threads = o.jobs;
  if (refuses_output_dir(o, loaded, terminal)) return Outcome::InputError;
  const BreakevenResult result = run_breakeven(a, b, options);
  Files files = {text_file("breakeven.csv", breakeven_csv(result)),
                 text_file("breakeven_curve.csv", breakeven_curve_csv(result))};
  std::vector<ManifestSection> sections = sections_of(overrides);
  sections.push_back(study_section(
      "breakeven", {{"parameter", o.param},
                    {"grid", static_cast<std::int64_t>(o.grid)},
                    {"crossings", static_cast<std::uint64_t>(result.crossings.size())},
                    {"dispatched", static_cast<std::uint64_t>(result.dispatched)},
                    {"economics_only", static_cast<std::uint64_t>(result.economics_only)}}));
  const std::size_t written = write_outputs(o, std::move(files), loaded, terminal, sections);
  if (written == 0) return Outcome::InputError;
  if (!o.quiet) print_breakeven(std::cout, result);
  terminal.note(std::to_string(result.dispatched + result.economics_only) + " variants; wrote " +
                std::to_string(written) + " files to " + o.out_dir);
  return Outcome::Done;
}

Outcome explain(const Options& o, Terminal& terminal) {
  ManifestSection overrides;
  const std::vector<LoadedScenario> loaded =
      load_all(o.files, o.strict, terminal, o.sets, &overrides);
  const auto from = case_named(loaded.front(), o.from_case, "--from");
  const auto to = case_named(loaded.front(), o.to_case, "--to");
  ExplainOptions options;
  options.kpis = kpis_of(o.kpis, {from.get(), to.get()});
  options.years = years_of(o.kpi_years, *to);
  options.permutations = o.permutations;
  options.seed = o.explain_seed;
  options.threads = o.jobs;
  if (refuses_output_dir(o, loaded, terminal)) return Outcome::InputError;
  const ExplainResult result = run_explain(from, to, options);
  Files files = {text_file("explain.csv", explain_csv(result))};
  std::vector<ManifestSection> sections = sections_of(overrides);
  sections.push_back(
      study_section("explain", {{"from", from->case_name},
                                {"to", to->case_name},
                                {"inputs", static_cast<std::uint64_t>(result.inputs.size())},
                                {"shapley", std::string(result.sampled ? "sampled" : "exact")},
                                {"permutations", static_cast<std::int64_t>(result.permutations)},
                                {"seed", result.seed},
                                {"states", static_cast<std::uint64_t>(result.states)}}));
  const std::size_t written = write_outputs(o, std::move(files), loaded, terminal, sections);
  if (written == 0) return Outcome::InputError;
  if (!o.quiet) {
    print_changes(std::cout, result, table_width(o.width));
    print_waterfall(std::cout, result, table_width(o.width));
  }
  terminal.note(std::to_string(result.states) + " states; wrote " + std::to_string(written) +
                " files to " + o.out_dir);
  return Outcome::Done;
}

}  // namespace

Outcome execute(const Options& o, Terminal& terminal, const MpiSession& mpi) {
  if (mpi.size() > 1 && o.command != Command::Ensemble) {
    if (mpi.root()) {
      terminal.print(
          "corridor: error: only 'corridor ensemble' runs across MPI ranks; run this command "
          "without mpirun\n");
    }
    return Outcome::InputError;
  }
  switch (o.command) {
    case Command::Ensemble:
      return ensemble(o, terminal, mpi);
    case Command::Resolve: {
      const std::string yaml = resolve_scenario_yaml(o.files.front(), o.alternative);
      if (!o.quiet) std::cout << yaml;
      return Outcome::Done;
    }
    case Command::Validate:
      for (const LoadedScenario& ls : load_all(o.files, o.strict, terminal, o.sets)) {
        if (!o.quiet) std::cout << ls.file << ": ok, " << ls.cases.size() << " case(s)\n";
      }
      return Outcome::Done;
    case Command::Run:
    case Command::Compare:
      return run_or_compare(o, terminal);
    case Command::Capacity:
      return capacity(o, terminal);
    case Command::Hydraulics:
      return hydraulics(o, terminal);
    case Command::ImportGasLib:
      return import_gaslib(o, terminal);
    case Command::Contingencies:
      return contingencies(o, terminal);
    case Command::N1:
      return n1(o, terminal);
    case Command::Sweep:
      return sweep(o, terminal);
    case Command::Sensitivity:
      return sensitivity(o, terminal);
    case Command::Breakeven:
      return breakeven(o, terminal);
    case Command::Explain:
      return explain(o, terminal);
  }
  throw std::logic_error("unknown command");
}

}  // namespace corridor::app
