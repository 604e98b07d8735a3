// The bad-input corpus (tests/bad/, see its README.md; tag [bad], and every test name holds
// "bad" so that `ctest -R bad` selects them, also in the sanitizer tree build-checks/). Every
// malformed or hostile scenario must be refused by both `corridor run` and `corridor validate`
// with the expected exit code and a message at file:line:col, within a time and memory bound,
// and a refused `run` must leave an earlier result directory byte for byte as it was, with no
// temporary directory beside it.
//
// Committed cases carry their expectations in a header comment; those that cannot (an empty
// file, UTF-16, a binary file) are listed in tests/bad/expectations.txt. Cases too large to
// commit (a 50 MB scenario, megabyte lines, 100,000 nested brackets, thousands of bad
// references) are generated into a scratch directory by this file.
//
// The binary runs under `timeout`, and outside AddressSanitizer under `ulimit -v` as well, so
// that a regression fails the test instead of taking the machine down. Peak memory is measured
// with wait4(), which reports the largest resident set of the process tree.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "corridor/sha256.h"
#include "process_helpers.h"

#if defined(__SANITIZE_ADDRESS__)
#define CORRIDOR_BAD_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORRIDOR_BAD_TEST_ASAN 1
#endif
#endif

namespace {

namespace fs = std::filesystem;

using corridor::test::read_file;
using corridor::test::ScratchDir;
using corridor::test::shell_quote;
using corridor::test::write_file;

const fs::path kRoot = CORRIDOR_SOURCE_DIR;
const fs::path kBadDir = kRoot / "tests" / "bad";
const std::string kBinary = CORRIDOR_BINARY;

#ifdef CORRIDOR_BAD_TEST_ASAN
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif

/// Wall-clock limit of one command; `timeout` kills it after this and the exit code is 124.
constexpr int kTimeoutSeconds = 20;
/// Virtual memory limit of one command outside ASan (whose shadow memory needs terabytes of
/// address space): a runaway allocation fails fast instead of swapping.
constexpr long kVirtualLimitKb = 4'000'000;
/// Peak resident memory any case may need: a refused input is refused early. ASan's shadow
/// memory and quarantine make everything bigger.
constexpr long kMaxRssMb = kAsan ? 1024 : 256;
/// Diagnostics stay readable: a hostile file must not flood the terminal.
constexpr std::size_t kMaxStderrBytes = 64 * 1024;

struct Case {
  std::string name;                    ///< test name suffix
  std::string file;                    ///< as given to corridor: relative to the root, or absolute
  int exit = 2;                        ///< expected exit code of run and validate
  std::vector<std::string> fragments;  ///< each must appear in stderr of run and of validate
  std::vector<std::string> args;       ///< extra options, e.g. --strict
  double max_seconds = kTimeoutSeconds;
  long max_rss_mb = kMaxRssMb;
  std::size_t max_stderr = kMaxStderrBytes;
  /// Writes the input of a generated case into `dir` and returns its path; empty for a
  /// committed case. `{file}` in the fragments stands for that path.
  std::function<fs::path(const fs::path& dir)> generate;
};

struct Outcome {
  int status = -1;  ///< exit code; 128 + signal if killed
  std::string out, err;
  double seconds = 0;
  long max_rss_mb = 0;
};

/// Runs `corridor ARGS...` from the project root through the shell, with stdin from /dev/null
/// and stdout/stderr captured in `io`, under `timeout` (and `ulimit -v` outside ASan).
Outcome run_cli(const fs::path& io, const std::vector<std::string>& args) {
  const fs::path out = io / "stdout.txt", err = io / "stderr.txt";
  std::string cmd = "cd " + shell_quote(kRoot.string()) + " && ";
  if (!kAsan) cmd += "ulimit -v " + std::to_string(kVirtualLimitKb) + " && ";
  cmd += "exec env -u CORRIDOR_TEST_FAIL_AFTER_FILES -u CORRIDOR_UPDATE_GOLDEN timeout -k 5 " +
         std::to_string(kTimeoutSeconds) + " " + shell_quote(kBinary);
  for (const std::string& a : args) cmd += " " + shell_quote(a);
  cmd += " </dev/null >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string());

  Outcome o;
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  REQUIRE(pid > 0);
  int raw = 0;
  struct rusage usage {};
  REQUIRE(::wait4(pid, &raw, 0, &usage) == pid);
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  o.max_rss_mb = usage.ru_maxrss / 1024;  // kilobytes on Linux
  if (WIFEXITED(raw)) o.status = WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) o.status = 128 + WTERMSIG(raw);
  o.out = read_file(out);
  o.err = read_file(err);
  fs::remove(out);
  fs::remove(err);
  return o;
}

/// File name -> SHA-256 of its bytes, for every entry of `dir` (directories as "<dir>").
std::map<std::string, std::string> checksums(const fs::path& dir) {
  std::map<std::string, std::string> sums;
  for (const auto& e : fs::directory_iterator(dir)) {
    sums[e.path().filename().string()] =
        e.is_regular_file() ? corridor::sha256_hex(read_file(e.path())) : "<dir>";
  }
  return sums;
}

std::set<std::string> entries(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

/// Up to the first 300 bytes of `s`, for failure messages.
std::string head(const std::string& s) { return s.size() <= 300 ? s : s.substr(0, 300) + "..."; }

void check_case(const Case& c) {
  ScratchDir tmp("corridor_bad_test_");
  const fs::path io = tmp / "io", out = tmp / "out";
  fs::create_directory(io);
  Case k = c;
  if (k.generate) {
    fs::create_directory(tmp / "gen");
    k.file = k.generate(tmp / "gen").string();
    for (std::string& f : k.fragments) replace_all(f, "{file}", k.file);
  }
  INFO("case: " << k.file);

  // An earlier result in the output directory, which a refused run must leave as it was.
  const Outcome earlier = run_cli(io, {"run", "-q", "scenarios/minimal.yaml", "-o", out.string()});
  INFO("earlier run: " << earlier.err);
  REQUIRE(earlier.status == 0);
  const auto sums = checksums(out);
  const auto scratch = entries(tmp.path());
  REQUIRE(sums.size() > 1);

  std::vector<std::string> run_args = {"run"};
  run_args.insert(run_args.end(), k.args.begin(), k.args.end());
  run_args.insert(run_args.end(), {k.file, "-o", out.string()});
  std::vector<std::string> validate_args = {"validate"};
  validate_args.insert(validate_args.end(), k.args.begin(), k.args.end());
  validate_args.push_back(k.file);

  for (const auto& args : {run_args, validate_args}) {
    const Outcome r = run_cli(io, args);
    INFO("command: corridor " << args.front());
    INFO("stderr (" << r.err.size() << " bytes): " << head(r.err));
    INFO("took " << r.seconds << " s, peak RSS " << r.max_rss_mb << " MB");
    CHECK(r.status == k.exit);
    for (const std::string& f : k.fragments) {
      INFO("expected fragment: " << f);
      CHECK(r.err.find(f) != std::string::npos);
    }
    CHECK(r.out.empty());
    CHECK(r.err.size() <= k.max_stderr);
    CHECK(r.seconds < k.max_seconds);
    CHECK(r.max_rss_mb <= k.max_rss_mb);
    // Nothing written: the earlier results are intact and no temporary directory is left.
    CHECK(checksums(out) == sums);
    CHECK(entries(tmp.path()) == scratch);
  }
}

// ---------------------------------------------------------------------------------------------
// The committed cases
// ---------------------------------------------------------------------------------------------

/// The header of a committed case: "# expect-exit: N", "# expect: fragment" (one or more) and
/// "# args: ..." lines at the top of the file. A file without "# expect-exit:" has no header.
std::optional<Case> read_header(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  Case c;
  bool any = false;
  for (std::string line; std::getline(in, line) && line.rfind("#", 0) == 0;) {
    auto value = [&](const std::string& key) -> std::optional<std::string> {
      const std::string prefix = "# " + key + ":";
      if (line.rfind(prefix, 0) != 0) return std::nullopt;
      std::string v = line.substr(prefix.size());
      v.erase(0, v.find_first_not_of(' '));
      return v;
    };
    if (auto v = value("expect-exit")) c.exit = std::stoi(*v), any = true;
    if (auto v = value("expect")) c.fragments.push_back(*v);
    if (auto v = value("args")) {
      std::istringstream words(*v);
      for (std::string w; words >> w;) c.args.push_back(w);
    }
  }
  if (!any) return std::nullopt;
  return c;
}

/// tests/bad/expectations.txt: path (relative to tests/bad/) TAB exit TAB fragment.
std::map<std::string, Case> sidecar_cases() {
  std::map<std::string, Case> out;
  std::ifstream in(kBadDir / "expectations.txt");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
    if (t1 == std::string::npos || t2 == std::string::npos) continue;
    Case c;
    c.file = "tests/bad/" + line.substr(0, t1);
    c.exit = std::stoi(line.substr(t1 + 1, t2 - t1 - 1));
    c.fragments = {line.substr(t2 + 1)};
    out[line.substr(0, t1)] = c;
  }
  return out;
}

/// Every case in tests/bad/: the .yaml files with a header, then the sidecar's.
std::vector<Case> committed_cases() {
  std::vector<Case> cases;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kBadDir)) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    if (auto c = read_header(f)) {
      c->name = f.filename().string();
      c->file = "tests/bad/" + c->name;
      cases.push_back(*c);
    }
  }
  for (auto& [name, c] : sidecar_cases()) {
    c.name = name;
    cases.push_back(c);
  }
  for (Case& c : cases) {
    // Billion laughs must be refused quickly and in little memory.
    if (c.name == "alias_bomb.yaml") c.max_seconds = 5, c.max_rss_mb = kAsan ? 512 : 128;
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// The generated cases
// ---------------------------------------------------------------------------------------------

const std::string kHead =
    "name: generated\n"
    "horizon: {start: 2030, end: 2032}\n"
    "nodes:\n"
    "  - {id: field, kind: supply, capacity: 12 bcm/y, cost: 100 USD/kcm}\n"
    "  - {id: city, kind: demand, demand: 10 bcm/y}\n";  // 5 lines
const std::string kTrunk =
    "pipelines:\n"
    "  - {id: trunk, from: field, to: city, capacity: 10 bcm/y, tariff: 20 USD/kcm}\n";

fs::path write(const fs::path& dir, const std::string& name, const std::string& text) {
  write_file(dir / name, text);
  return dir / name;
}

std::vector<Case> generated_cases() {
  std::vector<Case> cases;
  Case huge;
  // A 50 MB scenario, well formed (a chain of 300,000 junctions): refused by its size at once,
  // before a byte of it is parsed.
  huge.name = "huge_50mb.yaml";
  huge.fragments = {"{file}:1:1: error: '{file}' is larger than 8 MB (5"};
  huge.max_seconds = 10;
  huge.generate = [](const fs::path& dir) {
    std::string s = kHead;
    s.reserve(52u << 20);
    char line[160];
    for (int i = 0; s.size() < (50u << 20) - 100; ++i) {
      std::snprintf(line, sizeof line, "  - {id: j%07d, kind: junction, country: somewhere}\n", i);
      s += line;
    }
    return write(dir, "huge_50mb.yaml", s);
  };
  cases.push_back(huge);

  Case key;
  // A megabyte key: longer than any YAML key may be (1024 characters), and the megabyte line
  // is left out of the message.
  key.name = "long_line_key.yaml";
  key.fragments = {"{file}:8:1048577: error: YAML syntax error: illegal map value"};
  key.generate = [](const fs::path& dir) {
    return write(dir, "long_line_key.yaml", kHead + kTrunk + std::string(1 << 20, 'k') + ": 1\n");
  };
  cases.push_back(key);

  Case ref;
  // A megabyte id in a reference: the message cuts the quoted id to 60 bytes.
  ref.name = "long_line_reference.yaml";
  ref.fragments = {"{file}:7:23: error: pipeline 'trunk' refers to unknown node 'xxxxxxxxxx",
                   "... (1048516 more bytes)'"};
  ref.generate = [](const fs::path& dir) {
    return write(dir, "long_line_reference.yaml",
                 kHead + "pipelines:\n  - {id: trunk, from: " + std::string(1 << 20, 'x') +
                     ", to: city, capacity: 10 bcm/y}\n");
  };
  cases.push_back(ref);

  Case syntax;
  // A syntax error two million columns into a line.
  syntax.name = "long_line_syntax.yaml";
  syntax.fragments = {"{file}:6:2000014: error: YAML syntax error"};
  syntax.generate = [](const fs::path& dir) {
    return write(dir, "long_line_syntax.yaml",
                 kHead + "description: " + std::string(2'000'000, 'a') + ": b\n" + kTrunk);
  };
  cases.push_back(syntax);

  Case deep;
  // 100,000 nested brackets, which would make yaml-cpp buffer 100,000 tokens and recurse
  // 100,000 levels: refused at the 65th.
  deep.name = "deep_flow_100k.yaml";
  deep.fragments = {"{file}:6:78: error: YAML nested deeper than 64 levels"};
  deep.generate = [](const fs::path& dir) {
    return write(dir, "deep_flow_100k.yaml",
                 kHead + "description: " + std::string(100'000, '[') + std::string(100'000, ']') +
                     "\n" + kTrunk);
  };
  cases.push_back(deep);

  Case many;
  // 3,000 pipelines between 3,000 nodes that do not exist, among 3,000 that do: 6,000 errors,
  // each reported once and quickly (did-you-mean hints within a budget).
  many.name = "many_bad_references.yaml";
  many.fragments = {
      "{file}:3005:20: error: pipeline 'p0' refers to unknown node 'm0'; did you "
      "mean 'n0'?",
      "corridor: 6000 error(s)"};
  many.max_stderr = 4u << 20;
  many.generate = [](const fs::path& dir) {
    std::string s = "name: many\nhorizon: {start: 2030, end: 2030}\nnodes:\n";
    for (int i = 0; i < 3000; ++i) s += "  - {id: n" + std::to_string(i) + ", kind: junction}\n";
    s += "pipelines:\n";
    for (int i = 0; i < 3000; ++i) {
      s += "  - {id: p" + std::to_string(i) + ", from: m" + std::to_string(i) + ", to: m" +
           std::to_string(i + 1) + ", capacity: 1 bcm/y}\n";
    }
    return write(dir, "many_bad_references.yaml", s);
  };
  cases.push_back(many);
  return cases;
}

// One test case per case, registered at static initialisation as TEST_CASE does.
class BadCase : public Catch::ITestInvoker {
 public:
  explicit BadCase(Case c) : case_(std::move(c)) {}
  void invoke() const override { check_case(case_); }

 private:
  Case case_;
};

const bool registered = [] {
  for (const Case& c : committed_cases()) {
    const Catch::AutoReg reg(new BadCase(c), CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                             Catch::NameAndTags{"bad input: " + c.name, "[bad]"});
  }
  for (const Case& c : generated_cases()) {
    const Catch::AutoReg reg(new BadCase(c), CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                             Catch::NameAndTags{"bad input (generated): " + c.name, "[bad]"});
  }
  return true;
}();

}  // namespace

TEST_CASE("bad corpus: every file is a case with expectations or a support file", "[bad]") {
  const std::vector<Case> cases = committed_cases();
  std::set<std::string> named;
  for (const Case& c : cases) {
    INFO(c.file);
    named.insert(c.name);
    CHECK(fs::is_regular_file(kRoot / c.file));
    CHECK(c.exit == 2);
    REQUIRE_FALSE(c.fragments.empty());
    // Every expected message names its place as file:line:col.
    for (const std::string& f : c.fragments) {
      CHECK((f.find(".yaml:") != std::string::npos || f.find(".bin:") != std::string::npos));
      CHECK(f.find(": error: ") != std::string::npos);
    }
  }
  for (const auto& e : fs::directory_iterator(kBadDir)) {
    const std::string name = e.path().filename().string();
    if (e.is_directory() || name == "README.md" || name == "expectations.txt") continue;
    INFO(name << " has no '# expect-exit:' header and is not in expectations.txt");
    CHECK(named.contains(name));
  }
  // The issue asks for at least 50 cases.
  CHECK(cases.size() + generated_cases().size() >= 50);
}
