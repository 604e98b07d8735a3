#pragma once
/// \file Diagnostics: where a problem is, what it is, and what to try.
///
/// Every problem with the input is a Diagnostic carrying a SourceLocation (file, 1-based line
/// and column). Loading and validation collect all diagnostics before anything fails, so a
/// user can fix every problem in one pass. The one format, shared by every message:
///
///   scenarios/x.yaml:42:11: error: pipeline 'p1' refers to unknown node 'chayand'; did you mean
///   'chayanda'?
///
/// A problem of a whole file (it does not exist or is not a regular file, a scenario name that
/// another file uses too, an alternative that a file without `alternatives` lacks) is located
/// at line 1, column 1 of that file, so every message of a scenario file starts the same way.
///
/// Exceptions are used only to carry diagnostics out of a stage that cannot continue
/// (InputError); only the command line (sim/app) catches them.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace corridor {

struct SourceLocation {
  std::string file;  ///< as given on the command line or in `extends:`
  int line = 0;      ///< 1-based; 0 when unknown
  int col = 0;       ///< 1-based; 0 when unknown
};

enum class Severity { Warning, Error };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLocation where;
  std::string message;  ///< lower-case, no trailing period
  std::string hint;     ///< what to try; may be empty
};

/// "file:line:col: error: message; hint" ("warning:" for warnings). Without a hint the "; hint"
/// part is left out; line 0 gives "file: error: ...", column 0 "file:line: error: ...".
std::string format_diagnostic(const Diagnostic& d);

/// True if any diagnostic is an error.
bool has_errors(const std::vector<Diagnostic>& ds);

/// Thrown when input cannot be used. Carries every diagnostic collected so far; what() is the
/// first error formatted.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// Throws InputError with all of `ds` if any of them is an error (warnings ride along).
void throw_if_errors(const std::vector<Diagnostic>& ds);

/// Edit distance with insert, delete, substitute and adjacent transposition (optimal string
/// alignment), so that swapped letters, the commonest typo, count once.
int edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` if it is close enough to be a plausible typo, else "":
/// smallest case-insensitive edit distance, at most max(1, size / 3); ties go to the first.
/// A word longer than kMaxTypoBytes is no typo of a name and has no match (comparing it with
/// every candidate would only cost time).
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
inline constexpr std::size_t kMaxTypoBytes = 64;

/// The hint text "did you mean 'x'?", or with no close candidate "expected one of: a, b, c"
/// (at most 8 names, then ", ..."); "" when there are no candidates.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace corridor
