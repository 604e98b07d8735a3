// The terminal printer (sim/app/terminal.h) on a real terminal: `corridor run` in a
// pseudo-terminal (forkpty), so the TTY path runs for real: the progress line overprints in
// place ("\r" ... "\x1b[K"), its counter is coloured unless NO_COLOR is set, it is cleared
// before the next line, cut to the terminal's width, and absent with -q or TERM=dumb. (With
// stderr in a file there is no progress at all: cli_test.cpp.)
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "corridor/text.h"
#include "process_helpers.h"

extern char** environ;

namespace corridor {
namespace {

struct PtyRun {
  int status = -1;     ///< exit code, or 128 + signal
  std::string output;  ///< stdout and stderr as the terminal received them ("\n" is "\r\n")
};

/// Runs `corridor ARGS` from the project root on a new pseudo-terminal of `columns` columns,
/// with the environment of this process minus TERM, NO_COLOR and COLUMNS, plus `env`.
PtyRun run_in_pty(const std::vector<std::string>& args, const std::vector<std::string>& env,
                  int columns = 200) {
  // Everything the child needs is built before fork(): it only calls chdir and execve.
  std::vector<std::string> arg_text = {CORRIDOR_BINARY};
  arg_text.insert(arg_text.end(), args.begin(), args.end());
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string var = *e;
    if (var.rfind("TERM=", 0) == 0 || var.rfind("NO_COLOR=", 0) == 0 ||
        var.rfind("COLUMNS=", 0) == 0 || var.rfind("CORRIDOR_", 0) == 0) {
      continue;
    }
    env_text.push_back(var);
  }
  env_text.insert(env_text.end(), env.begin(), env.end());
  std::vector<char*> argv, envp;
  for (std::string& a : arg_text) argv.push_back(a.data());
  for (std::string& e : env_text) envp.push_back(e.data());
  argv.push_back(nullptr);
  envp.push_back(nullptr);

  winsize ws{};
  ws.ws_col = static_cast<unsigned short>(columns);
  ws.ws_row = 40;
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, &ws);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (::chdir(CORRIDOR_SOURCE_DIR) == 0) ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  PtyRun r;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n > 0) {
      r.output.append(buf, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EOF, or EIO once the child has closed the terminal
    }
  }
  ::close(master);
  int raw = 0;
  ::waitpid(pid, &raw, 0);
  if (WIFEXITED(raw)) r.status = WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) r.status = 128 + WTERMSIG(raw);
  return r;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// The progress lines as drawn: the text after each "\r" up to "\x1b[K", colour codes removed;
/// not the empty ones that clear the line.
std::vector<std::string> progress_lines(const std::string& output) {
  std::vector<std::string> lines;
  for (std::size_t at = output.find('\r'); at != std::string::npos;
       at = output.find('\r', at + 1)) {
    const std::size_t end = output.find("\x1b[K", at);
    if (end == std::string::npos || output.find('\n', at) < end) continue;
    std::string line = output.substr(at + 1, end - at - 1);
    for (const char* code : {"\x1b[1;32m", "\x1b[0m"}) {
      for (std::size_t c = line.find(code); c != std::string::npos; c = line.find(code)) {
        line.erase(c, std::strlen(code));
      }
    }
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace

TEST_CASE("terminal: progress overprints one coloured line, then clears it", "[cli][terminal]") {
  test::ScratchDir tmp("corridor_terminal_test_");
  const std::string out = (tmp / "out").string();
  // One thread, so the two cases of pos2-delay come one after the other; 22 years each.
  const PtyRun r =
      run_in_pty({"run", "-j", "1", "scenarios/pos2-delay.yaml", "-o", out}, {"TERM=xterm"});
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(
      contains(r.output, "\r\x1b[1;32m[1/2]\x1b[0m pos2-delay/on-time: gas, period 1 of 22\x1b[K"));
  CHECK(contains(r.output,
                 "\r\x1b[1;32m[2/2]\x1b[0m pos2-delay/delay-2035: gas, period 22 of 22"
                 "\x1b[K"));
  const std::vector<std::string> lines = progress_lines(r.output);
  CHECK(lines.size() == 44);  // one per period and case, each drawn over the last
  // The line is cleared before anything else is written, and the results follow.
  CHECK(contains(r.output, "22 of 22\x1b[K\r\x1b[K"));
  CHECK(contains(r.output, "pos2-delay / on-time\r\n"));
  CHECK(contains(r.output, "corridor: wrote 8 files to " + out + "\r\n"));
}

TEST_CASE("terminal: NO_COLOR keeps the overprinting and drops the colour", "[cli][terminal]") {
  test::ScratchDir tmp("corridor_terminal_test_");
  const std::string out = (tmp / "out").string();
  const PtyRun r = run_in_pty({"run", "-j", "1", "scenarios/minimal.yaml", "-o", out},
                              {"TERM=xterm", "NO_COLOR=1"});
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(contains(r.output, "\r[1/1] minimal/base: gas, period 1 of 3\x1b[K"));
  CHECK_FALSE(contains(r.output, "\x1b[1;32m"));
  CHECK(progress_lines(r.output).size() == 3);

  SECTION("an empty NO_COLOR is not set (no-color.org)") {
    const PtyRun c = run_in_pty({"run", "-j", "1", "scenarios/minimal.yaml", "-o", out},
                                {"TERM=xterm", "NO_COLOR="});
    CHECK(contains(c.output, "\x1b[1;32m[1/1]\x1b[0m"));
  }
}

TEST_CASE("terminal: -q and TERM=dumb show no progress line", "[cli][terminal]") {
  test::ScratchDir tmp("corridor_terminal_test_");
  const std::string out = (tmp / "out").string();
  const PtyRun quiet =
      run_in_pty({"run", "-q", "scenarios/minimal.yaml", "-o", out}, {"TERM=xterm"});
  INFO(quiet.output);
  CHECK(quiet.status == 0);
  CHECK(progress_lines(quiet.output).empty());
  CHECK_FALSE(contains(quiet.output, "[1/1]"));
  CHECK_FALSE(contains(quiet.output, "corridor: wrote"));
  CHECK_FALSE(contains(quiet.output, "minimal / base"));  // -q: no table either (issue 9)

  const PtyRun dumb = run_in_pty({"run", "scenarios/minimal.yaml", "-o", out}, {"TERM=dumb"});
  INFO(dumb.output);
  CHECK(dumb.status == 0);
  CHECK_FALSE(contains(dumb.output, "[1/1]"));
  CHECK(contains(dumb.output, "corridor: wrote 8 files to " + out + "\r\n"));
}

TEST_CASE("terminal: a progress line never wraps a narrow terminal", "[cli][terminal]") {
  test::ScratchDir tmp("corridor_terminal_test_");
  const PtyRun r =
      run_in_pty({"run", "-j", "1", "scenarios/pos2-delay.yaml", "-o", (tmp / "out").string()},
                 {"TERM=xterm"}, 30);
  INFO(r.output);
  CHECK(r.status == 0);
  const std::vector<std::string> lines = progress_lines(r.output);
  REQUIRE(lines.size() == 44);
  for (const std::string& line : lines) {
    CHECK(display_width(line) <= 29);
    CHECK(line.ends_with("\xE2\x80\xA6"));  // cut with '…'
  }
  CHECK(lines.front().starts_with("[1/2] pos2-delay/on-time"));
}

TEST_CASE("terminal: ensemble shows draws done, draws/s and ETA, then clears the line",
          "[cli][terminal][ensemble]") {
  test::ScratchDir tmp("corridor_terminal_test_");
  const std::string out = (tmp / "out").string();
  // One thread and enough draws that a line is drawn before the last, which is always drawn.
  const PtyRun r = run_in_pty(
      {"ensemble", "-j", "1", "--draws", "3000", "tests/fixtures/ensemble/tiny.yaml", "-o", out},
      {"TERM=xterm", "NO_COLOR=1"});
  INFO(r.output);
  CHECK(r.status == 0);
  const std::vector<std::string> lines = progress_lines(r.output);
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.back().starts_with("ensemble: 6000/6000 draws  "));
  CHECK(lines.back().find(" draws/s  ETA 0 s") != std::string::npos);
  CHECK(contains(r.output, "\x1b[K\r\x1b[K"));  // cleared before the results
  CHECK(contains(r.output, "corridor: wrote 3 files to " + out + "\r\n"));

  const PtyRun quiet = run_in_pty(
      {"ensemble", "-q", "tests/fixtures/ensemble/tiny.yaml", "-o", out}, {"TERM=xterm"});
  CHECK(quiet.status == 0);
  CHECK(progress_lines(quiet.output).empty());
}

}  // namespace corridor
