#pragma once
/// \file Loading scenario files: YAML text to resolved Scenario cases.
///
/// A file may `extends:` another (relative path, chains allowed, cycles refused), and may
/// define `alternatives:`, named variants that each run as their own case. Resolution order:
/// the extends chain is merged from the root ancestor down to the file, then each alternative
/// is merged on top of that result. Merging rules (documented in scenarios/README.md):
///   - maps merge key by key; a scalar, list or series in the child replaces the parent's;
///   - `nodes`, `pipelines`, `routes`, `contracts` and `projects` merge by `id`: a known id
///     changes only the fields the child gives, a new id adds an entity;
///   - `remove: {nodes: [..], pipelines: [..], routes: [..], contracts: [..], projects: [..]}`
///     deletes inherited entities.
/// Each case is then built: money in RUB, CNY or EUR is converted to USD with `economics.fx`
/// (a missing rate is a located error), and projects give their members their dates and capex
/// tranches (apply_projects, scenario.h).
/// Keys missing in the parent never break an override (the pypsa-eur#2100 pitfall).
///
/// Loading checks the schema (unknown keys with did-you-mean, types, units). Only a file that
/// cannot be read or merged stops early; otherwise merge, schema and validate() errors of
/// every case are collected (each reported once) before InputError is thrown. Semantic checks
/// live in validate.h.
#include <memory>
#include <string>
#include <vector>

#include "corridor/diagnostics.h"
#include "corridor/scenario.h"

namespace corridor {

/// One input file that contributed to a scenario, with its SHA-256 (hex).
struct InputFile {
  std::string path;
  std::string sha256;
};

struct LoadedScenario {
  std::string file;  ///< as given
  /// One per alternative in file order, or one named "base"; shared with the results that
  /// refer to them (results.h).
  std::vector<std::shared_ptr<const Scenario>> cases;
  std::vector<InputFile> inputs;  ///< the file and its extends chain
  /// SHA-256 of every case as resolved (extends merged, alternative applied), for the manifest:
  /// hashed from the merged tree itself, not from re-emitted YAML, so a change to any value of
  /// any case, in the file, a parent or an alternative, changes it, and comments, quoting,
  /// indentation and flow or block style do not.
  std::string resolved_sha256;
  /// Warnings of the schema, each once over all cases: a mass unit (Mt/y) on a node or
  /// pipeline that does not say its commodity, so it runs as LNG gas. validate() adds the
  /// semantic warnings of each case; the command line reports both, and --strict makes them
  /// errors.
  std::vector<Diagnostic> warnings;
};

/// Loads, merges and schema-checks a scenario file. Throws InputError with every problem (the
/// warnings with them); returns the warnings of a file without errors in `warnings`.
LoadedScenario load_scenario(const std::string& path);

/// The resolved scenario as YAML text: the whole file (all alternatives listed) when
/// `alternative` is empty, otherwise the named alternative merged in. Throws InputError,
/// including for an unknown alternative (with did-you-mean).
std::string resolve_scenario_yaml(const std::string& path, const std::string& alternative);

/// Largest file accepted by the loader, in bytes.
inline constexpr std::size_t kMaxScenarioBytes = 8u << 20;

}  // namespace corridor
