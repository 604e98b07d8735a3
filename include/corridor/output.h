#pragma once
/// \file Writing results: atomically, and with a manifest.
///
/// All files are written into a fresh temporary directory next to the target and fsynced,
/// then swapped into place with one renameat2(RENAME_EXCHANGE) (or rename when the target
/// does not exist yet). A failure at any point leaves an earlier result untouched.
#include <string>
#include <utility>
#include <vector>

#include "corridor/scenario_io.h"

namespace corridor {

/// manifest.json: tool version, command line, inputs with SHA-256, resolved-scenario hash,
/// UTC time. The only output with environment-dependent content.
std::string manifest_json(const std::string& command_line,
                          const std::vector<LoadedScenario>& inputs, const std::string& utc_time);

/// Writes `files` (name, contents) as the directory `dir`, atomically. Throws
/// std::runtime_error (with the path and the OS reason) on failure, leaving `dir` untouched.
void write_directory_atomically(const std::string& dir,
                                const std::vector<std::pair<std::string, std::string>>& files);

/// Why results must not replace `dir`, or "" if they may. Replacing deletes everything in the
/// directory, so only a missing or empty directory or earlier corridor results (a manifest.json
/// written by corridor) may be replaced, and never one holding any of `input_paths`. Callers
/// check this before doing the work whose results they will write.
std::string why_not_replace(const std::string& dir, const std::vector<std::string>& input_paths);

/// Current UTC time as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_now();

}  // namespace corridor
