#pragma once
/// \file Writing results: atomically, and with a manifest.
///
/// All files are written into a fresh temporary directory next to the target and fsynced,
/// then swapped into place with one renameat2(RENAME_EXCHANGE) (or rename when the target
/// does not exist yet). A failure at any point (a full disk, a read-only file system, the file
/// size limit) leaves an earlier result byte-identical and no temporary directory behind.
/// On a file system without RENAME_EXCHANGE the swap takes two renames: the earlier results
/// aside to ".DIR.tmp-PID-N.old", then the new ones in. Nothing is deleted before the new
/// results are in place: if the second rename fails the earlier results are moved back, and a
/// crash between the two leaves DIR absent, the earlier results whole in ".DIR.tmp-PID-N.old"
/// and the new ones in ".DIR.tmp-PID-N".
///
/// Signals: while write_directory_atomically runs, SIGINT, SIGTERM and SIGHUP are blocked in
/// the calling thread (pthread_sigmask) and SIGXFSZ is ignored. An interrupt during the write
/// is delivered when it returns or throws, with the new results complete and in place (or the
/// earlier ones untouched) and the temporary directory removed; its default action then ends
/// the process as usual. Before the write (during simulation) an interrupt ends the process
/// with nothing written. Going over RLIMIT_FSIZE fails the write with EFBIG ("File too
/// large"), reported like any write error, instead of killing the process. Only SIGKILL, a
/// crash or a power cut can leave a stale hidden ".DIR.tmp-PID-N" directory next to DIR;
/// the target itself is never partial. The signals go to another thread if one leaves them
/// unblocked; corridor has none then (the run pool's threads have ended before results are
/// written).
///
/// Test hooks, read from the environment on every call (unset, empty or not a non-negative
/// integer: no effect):
///   CORRIDOR_TEST_FAIL_AFTER_FILES=N  fail, as a full disk would, after writing N files into
///                                     the temporary directory (0: before the first; the
///                                     number of files: just before the swap).
///   CORRIDOR_TEST_WRITE_DELAY_MS=MS   sleep MS milliseconds before each file and before the
///                                     swap, so a test can deliver a signal mid-write.
///   CORRIDOR_TEST_SWAP=rename         replace an existing DIR with the two-rename fallback, as
///                                     on a file system without RENAME_EXCHANGE;
///                     =fail-between   the same, and the second rename fails (EIO);
///                     =kill-between   the same, and the process kills itself (SIGKILL)
///                                     between the two renames. Other values: no effect.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "corridor/scenario_io.h"

namespace corridor {

/// Receives a file's contents piece by piece, in order.
using ContentSink = std::function<void(std::string_view)>;

/// A file to write: its name, and what hands its contents to a sink in pieces of any size.
/// Producers that format as they go never hold a whole file (csv.h, result_files).
struct OutputFile {
  std::string name;
  std::function<void(const ContentSink&)> contents;
};

/// A file whose contents are already a string.
OutputFile text_file(std::string name, std::string contents);

/// manifest.json: tool version, command line, inputs with SHA-256, resolved-scenario hash,
/// UTC time, and `outputs`: the names of the files written with it (manifest.json included).
/// The only output with environment-dependent content. `outputs` is what makes a directory
/// replaceable later: corridor replaces only what it wrote itself.
std::string manifest_json(const std::string& command_line,
                          const std::vector<LoadedScenario>& inputs, const std::string& utc_time,
                          const std::vector<std::string>& outputs);

/// A value in the manifest: a number or a text.
using ManifestValue = std::variant<std::int64_t, std::uint64_t, double, std::string>;
using ManifestFields = std::vector<std::pair<std::string, ManifestValue>>;

/// What a study adds to the manifest, as the object `name`: its fields, then (when `list_name`
/// is set) an array of objects, e.g. {"ensemble": {"rng": ..., "threads": 2, "cases": [...]}}.
struct ManifestSection {
  std::string name;
  ManifestFields fields;
  std::string list_name;
  std::vector<ManifestFields> list;
};

/// manifest_json() with study sections after `outputs`.
std::string manifest_json(const std::string& command_line,
                          const std::vector<LoadedScenario>& inputs, const std::string& utc_time,
                          const std::vector<std::string>& outputs,
                          const std::vector<ManifestSection>& sections);

/// Writes `files` as the directory `dir`, atomically: each file is streamed into a new file
/// of the temporary directory, then all are fsynced at once (in parallel, so the file system
/// can commit them together) before the swap. Throws std::runtime_error (with the path and the
/// OS reason) on failure, leaving `dir` untouched. An existing `dir` is replaced only when
/// why_not_replace(dir, {}) allows it; this is checked again just before the swap, so a file
/// saved into the results during a long run survives.
void write_directory_atomically(const std::string& dir, const std::vector<OutputFile>& files);

/// The same with (name, contents) pairs.
void write_directory_atomically(const std::string& dir,
                                const std::vector<std::pair<std::string, std::string>>& files);

/// A result file made in pieces, for one too large to hold in memory at once (draws.csv of a
/// large ensemble): `next` appends the next piece to its argument and returns false after the
/// last one.
struct StreamedFile {
  std::string name;
  std::function<bool(std::string&)> next;
};

/// write_directory_atomically() with `streamed` files written after `files`, piece by piece,
/// with the same guarantees.
void write_directory_atomically(const std::string& dir,
                                const std::vector<std::pair<std::string, std::string>>& files,
                                const std::vector<StreamedFile>& streamed);

/// Why results must not replace `dir`, or "" if they may. Replacing deletes everything in the
/// directory, so only a missing or empty directory, or earlier corridor results holding nothing
/// but the files their manifest.json lists under `outputs`, may be replaced; and never one
/// holding any of `input_paths`. Otherwise the reason names the first entry (by name) that
/// corridor did not write. Callers check this before doing the work whose results they will
/// write.
std::string why_not_replace(const std::string& dir, const std::vector<std::string>& input_paths);

/// Writes one file atomically (a temporary file next to it, fsynced, then renamed over it),
/// with the signal handling of write_directory_atomically. An existing `path` is replaced only
/// when its first line starts with `marker` (a file corridor wrote); otherwise, or on any
/// failure, throws std::runtime_error with the path, the reason and what to try, and `path`
/// is untouched.
void write_file_atomically(const std::string& path, const std::string& contents,
                           const std::string& marker);

/// Current UTC time as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_now();

}  // namespace corridor
