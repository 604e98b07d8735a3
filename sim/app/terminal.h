#pragma once
// Everything `corridor` writes to stderr goes through one Terminal: the progress line, notes,
// diagnostics with their source lines, and errors. Like ninja's LinePrinter, progress is one
// line overprinted in place ("\r" ... "\x1b[K") on a terminal, and nothing at all when stderr
// is not a terminal (a log file gets no progress noise) or TERM is "dumb"; -q silences it on a
// terminal too. The progress counter is coloured unless NO_COLOR is set to anything but the
// empty string (no-color.org). Any other line first clears the progress line, so nothing is
// written over it.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/diagnostics.h"
#include "corridor/simulate.h"

namespace corridor::app {

class Terminal {
 public:
  /// On stderr; `quiet` silences progress and notes, never problems.
  explicit Terminal(bool quiet = false);
  ~Terminal();
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  void set_quiet(bool quiet) { quiet_ = quiet; }
  /// Writes nothing at all while silent: the MPI ranks other than 0, whose reports rank 0 makes.
  void set_silent(bool silent) { silent_ = silent; }
  /// True when progress is shown: stderr is a terminal that can overprint, and not quiet.
  bool shows_progress() const { return smart_ && !quiet_; }

  /// "[member/members] scenario/case: commodity, period done of total", overprinting the
  /// previous one.
  void progress(const ProgressEvent& e);
  /// "ensemble: 3400/10000 draws  1234 draws/s  ETA 5 s", overprinting the previous one, at
  /// most ten times a second (and always for the last draw). The rate counts from the first
  /// call.
  void draws_progress(std::int64_t done, std::int64_t total);
  /// Clears the progress line, if one is shown.
  void end_progress();
  /// "corridor: TEXT" on its own line, unless quiet.
  void note(std::string_view text);
  /// LINE as it is, always: errors and the like.
  void print(std::string_view line);
  /// Warnings and errors, each with its source line and a caret when that line can be shown
  /// (diagnostic_printer.h), always.
  void diagnostics(const std::vector<Diagnostic>& ds);
  /// The diagnostics of input that cannot be used, then "corridor: N error(s)" and, when
  /// `nothing_written`, "; nothing was written".
  void input_errors(const std::vector<Diagnostic>& ds, bool nothing_written);

 private:
  void write(std::string_view text);
  bool quiet_ = false;
  bool silent_ = false;
  bool smart_ = false;  ///< stderr is a terminal that can overprint
  bool color_ = false;
  bool line_shown_ = false;
  std::optional<std::chrono::steady_clock::time_point> draws_start_, draws_shown_;
};

/// Width of the compare table: `flag` when positive, else $COLUMNS, else the width of the
/// terminal when stdout is one, else 100.
int table_width(int flag);

}  // namespace corridor::app
