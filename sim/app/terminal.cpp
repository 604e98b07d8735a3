#include "terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <string>

#include "corridor/text.h"
#include "corridor/units.h"
#include "diagnostic_printer.h"

namespace corridor::app {
namespace {

/// Columns of the terminal on `fd`, or 0 when it is not one or does not say.
int columns_of(int fd) {
  winsize ws{};
  if (::isatty(fd) && ::ioctl(fd, TIOCGWINSZ, &ws) == 0) return ws.ws_col;
  return 0;
}

/// A positive whole number from the environment, or 0.
int env_int(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return 0;
  int n = 0;
  const std::string_view text(v);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  return ec == std::errc() && end == text.data() + text.size() && n > 0 ? n : 0;
}

}  // namespace

Terminal::Terminal(bool quiet) : quiet_(quiet) {
  const char* term = std::getenv("TERM");
  smart_ = ::isatty(STDERR_FILENO) && !(term != nullptr && std::string_view(term) == "dumb");
  const char* no_color = std::getenv("NO_COLOR");
  color_ = smart_ && (no_color == nullptr || *no_color == '\0');
}

Terminal::~Terminal() { end_progress(); }

void Terminal::write(std::string_view text) {
  if (silent_) return;
  std::cerr << text;
  std::cerr.flush();
}

void Terminal::progress(const ProgressEvent& e) {
  if (!shows_progress()) return;
  const std::string counter =
      "[" + std::to_string(e.member + 1) + "/" + std::to_string(e.members) + "]";
  std::string rest = " " + std::string(e.scenario) + "/" + std::string(e.case_name) + ": " +
                     std::string(commodity_name(e.commodity)) + ", period " +
                     std::to_string(e.periods_done) + " of " + std::to_string(e.periods_total);
  // One line, never wrapped: cut to the terminal's width (a wrapped line cannot be
  // overprinted).
  if (const int width = columns_of(STDERR_FILENO); width > 0) {
    const int room = width - 1 - display_width(counter);
    if (display_width(rest) > room) {
      std::size_t end = 0;
      for (int w = 0; w < room - 1 && end < rest.size(); ++w) end += decode_utf8(rest, end).length;
      rest = rest.substr(0, end) + "…";
    }
  }
  write("\r" + (color_ ? "\x1b[1;32m" + counter + "\x1b[0m" : counter) + rest + "\x1b[K");
  line_shown_ = true;
}

void Terminal::draws_progress(std::int64_t done, std::int64_t total) {
  if (!shows_progress()) return;
  using Clock = std::chrono::steady_clock;
  const Clock::time_point now = Clock::now();
  if (!draws_start_) draws_start_ = now;
  if (draws_shown_ && now - *draws_shown_ < std::chrono::milliseconds(100) && done < total) {
    return;
  }
  draws_shown_ = now;
  const double seconds = std::chrono::duration<double>(now - *draws_start_).count();
  const double rate = seconds > 0.0 ? static_cast<double>(done) / seconds : 0.0;
  std::string line = " " + std::to_string(done) + "/" + std::to_string(total) + " draws";
  if (rate > 0.0) {
    line += "  " + std::to_string(static_cast<long long>(rate + 0.5)) + " draws/s  ETA " +
            std::to_string(static_cast<long long>(static_cast<double>(total - done) / rate + 0.5)) +
            " s";
  }
  const std::string label = "ensemble:";
  write("\r" + (color_ ? "\x1b[1;32m" + label + "\x1b[0m" : label) + line + "\x1b[K");
  line_shown_ = true;
}

void Terminal::end_progress() {
  if (!line_shown_) return;
  write("\r\x1b[K");
  line_shown_ = false;
}

void Terminal::note(std::string_view text) {
  if (quiet_) return;
  print("corridor: " + std::string(text) + "\n");
}

void Terminal::print(std::string_view line) {
  end_progress();
  write(line);
}

void Terminal::diagnostics(const std::vector<Diagnostic>& ds) {
  if (!ds.empty()) print(render_diagnostics(ds));
}

void Terminal::input_errors(const std::vector<Diagnostic>& ds, bool nothing_written) {
  diagnostics(ds);
  int errors = 0;
  for (const Diagnostic& d : ds) errors += d.severity == Severity::Error;
  print("corridor: " + std::to_string(errors) + " error(s)" +
        (nothing_written ? "; nothing was written" : "") + "\n");
}

int table_width(int flag) {
  if (flag > 0) return flag;
  if (const int columns = env_int("COLUMNS"); columns > 0) return columns;
  if (const int terminal = columns_of(STDOUT_FILENO); terminal > 0) return terminal;
  return 100;
}

}  // namespace corridor::app
