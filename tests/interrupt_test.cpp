// Nothing lost: the real `corridor run` binary (CORRIDOR_BINARY) in a child process, failing or
// interrupted while it writes, must leave the output directory holding either exactly the
// earlier results or exactly the complete new ones, and no temporary directory next to it.
//
//   [interrupt]     SIGINT, SIGTERM and SIGHUP before, during and after the write. The test
//                   hook CORRIDOR_TEST_WRITE_DELAY_MS (output.h) slows the write down, and the
//                   test watches the temporary directory fill up to pick its moment.
//   [nothing-lost]  Real write failures: the file size limit (RLIMIT_FSIZE, set in the child
//                   before exec: SIGXFSZ must not kill corridor, the write fails with EFBIG),
//                   a full disk (a 64 KiB tmpfs) and a read-only file system (the tmpfs
//                   remounted read-only). The tmpfs tests need mount(2); without the privilege
//                   they are skipped with a warning.
//                   And a crash between the two renames of the swap on a file system without
//                   RENAME_EXCHANGE (the test hook CORRIDOR_TEST_SWAP=kill-between).
//
// Children are started with fork and execve, with SIGINT, SIGTERM, SIGHUP and SIGXFSZ reset to
// their default actions and no signal blocked, whatever the test runner's own settings.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "corridor/sha256.h"
#include "process_helpers.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using corridor::test::read_file;
using corridor::test::ScratchDir;

const fs::path kRoot = CORRIDOR_SOURCE_DIR;
const std::string kBinary = CORRIDOR_BINARY;
const std::string kOld = (kRoot / "scenarios/minimal.yaml").string();     // 6 files
const std::string kNew = (kRoot / "scenarios/pos2-delay.yaml").string();  // 6 other files
const std::string kScratchPrefix = "corridor_interrupt_test_";

// Milliseconds the hook sleeps before each file and before the swap: 7 x 25 ms per write.
const std::string kDelayMs = "25";

void sleep_ms(long ms) {
  timespec t{ms / 1000, (ms % 1000) * 1000000L};
  while (::nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

/// A child process running `corridor run ARGS... -o out -q` in directory `cwd`, with stdout
/// and stderr in files next to `cwd` (not in it: it may be full or read-only). The hooks are
/// cleared from the environment and `env` (NAME=value) added; `file_size_limit` sets
/// RLIMIT_FSIZE in the child before exec.
class Corridor {
 public:
  Corridor(const fs::path& cwd, const std::vector<std::string>& args,
           const std::vector<std::string>& env = {},
           std::optional<rlim_t> file_size_limit = std::nullopt)
      : out_(cwd.parent_path() / (cwd.filename().string() + ".stdout.txt")),
        err_(cwd.parent_path() / (cwd.filename().string() + ".stderr.txt")) {
    // Everything the child needs is prepared before fork: after it, only async-signal-safe
    // calls.
    std::vector<std::string> argv_s = {kBinary, "run"};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    for (const char* a : {"-o", "out", "-q"}) argv_s.emplace_back(a);
    std::vector<std::string> env_s;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string v = *e;
      if (v.rfind("CORRIDOR_TEST_", 0) == 0 || v.rfind("CORRIDOR_UPDATE_GOLDEN=", 0) == 0) {
        continue;
      }
      env_s.push_back(v);
    }
    env_s.insert(env_s.end(), env.begin(), env.end());
    std::vector<char*> argv, envp;
    for (std::string& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (std::string& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    const std::string dir = cwd.string(), out = out_.string(), err = err_.string();

    // A signal sent right after fork stays pending in the child until its dispositions are
    // the defaults, so it cannot be lost to an ignoring parent's settings.
    sigset_t block, old;
    sigemptyset(&block);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGXFSZ}) sigaddset(&block, sig);
    ::pthread_sigmask(SIG_BLOCK, &block, &old);
    pid_ = ::fork();
    if (pid_ == 0) {
      struct sigaction dfl {};
      dfl.sa_handler = SIG_DFL;
      sigemptyset(&dfl.sa_mask);
      for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGXFSZ, SIGPIPE}) ::sigaction(sig, &dfl, nullptr);
      const int in_fd = ::open("/dev/null", O_RDONLY);
      const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (in_fd < 0 || out_fd < 0 || err_fd < 0 || ::chdir(dir.c_str()) != 0) ::_exit(126);
      ::dup2(in_fd, 0);
      ::dup2(out_fd, 1);
      ::dup2(err_fd, 2);
      if (file_size_limit) {
        const rlimit lim{*file_size_limit, *file_size_limit};
        if (::setrlimit(RLIMIT_FSIZE, &lim) != 0) ::_exit(126);
      }
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);  // a pending signal is delivered here
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    REQUIRE(pid_ > 0);
  }
  ~Corridor() {
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      int ignored = 0;
      ::waitpid(pid_, &ignored, 0);
    }
  }
  Corridor(const Corridor&) = delete;
  Corridor& operator=(const Corridor&) = delete;

  /// True once the child has exited (it is then reaped and must not be signalled).
  bool exited() {
    if (status_) return true;
    int raw = 0;
    const pid_t r = ::waitpid(pid_, &raw, WNOHANG);
    if (r == pid_) status_ = raw;
    return status_.has_value();
  }
  /// Sends `sig` unless the child has already exited; returns whether it was sent.
  bool signal(int sig) { return !exited() && ::kill(pid_, sig) == 0; }
  /// Waits for the child (at most 60 s, then kills it and fails) and returns its raw status.
  int wait() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!exited()) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        FAIL("corridor did not finish within 60 s");
      }
      sleep_ms(1);
    }
    return *status_;
  }
  std::string err() const { return fs::exists(err_) ? read_file(err_) : ""; }
  std::string out() const { return fs::exists(out_) ? read_file(out_) : ""; }

 private:
  fs::path out_, err_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

/// "exit N" or "signal NAME", for messages and comparisons.
std::string describe(int raw) {
  if (WIFEXITED(raw)) return "exit " + std::to_string(WEXITSTATUS(raw));
  if (WIFSIGNALED(raw)) return "signal " + std::string(::strsignal(WTERMSIG(raw)));
  return "status " + std::to_string(raw);
}
std::string killed_by(int sig) { return "signal " + std::string(::strsignal(sig)); }

/// Runs corridor to completion and returns its raw status.
int run(const fs::path& cwd, const std::vector<std::string>& args,
        const std::vector<std::string>& env = {},
        std::optional<rlim_t> file_size_limit = std::nullopt) {
  Corridor c(cwd, args, env, file_size_limit);
  return c.wait();
}

/// File name -> SHA-256 of every entry of `dir` ({} if it does not exist). manifest.json is
/// hashed without its "created_utc" line, the one part that differs between equal runs.
std::map<std::string, std::string> checksums(const fs::path& dir) {
  std::map<std::string, std::string> sums;
  if (!fs::exists(dir)) return sums;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string text = read_file(e.path());
    if (e.path().filename() == "manifest.json") {
      const auto at = text.find("  \"created_utc\"");
      REQUIRE(at != std::string::npos);
      text.erase(at, text.find('\n', at) + 1 - at);
    }
    sums[e.path().filename().string()] = corridor::sha256_hex(text);
  }
  return sums;
}

/// Names in `dir` of the writer's temporary directories for "out".
std::vector<std::string> temp_dirs(const fs::path& dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(".out.tmp", 0) == 0) found.push_back(name);
  }
  return found;
}

/// Files in the writer's temporary directory, or -1 while there is none.
int files_in_temp_dir(const fs::path& dir) {
  const std::vector<std::string> tmp = temp_dirs(dir);
  if (tmp.empty()) return -1;
  int n = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir / tmp.front(), ec), end; !ec && it != end; it.increment(ec)) {
    ++n;
  }
  return ec ? -1 : n;
}

/// The checksums of complete new results: `args` run once, undisturbed, in `cwd`.
std::map<std::string, std::string> reference(const fs::path& cwd,
                                             const std::vector<std::string>& args) {
  fs::create_directories(cwd);
  REQUIRE(describe(run(cwd, args)) == "exit 0");
  const auto sums = checksums(cwd / "out");
  REQUIRE(sums.size() == 8);
  return sums;
}

/// When the signal goes out, relative to the write.
enum class Moment { AtStart, TempDirWithFiles, AfterSwap };

struct Trial {
  Moment moment;
  int files = 0;  ///< for TempDirWithFiles: send once the temporary directory holds this many
  int sig = SIGINT;
  const char* what = "";
};

struct TrialResult {
  bool sent = false;
  int status = 0;
  std::map<std::string, std::string> target;
  std::vector<std::string> leftovers;
  std::string err;
};

/// Earlier results (minimal.yaml) in `cwd`/out, then the new run (pos2-delay.yaml) slowed
/// down and signalled at the trial's moment.
TrialResult run_trial(const fs::path& cwd, const Trial& t,
                      const std::map<std::string, std::string>& earlier) {
  fs::create_directories(cwd);
  REQUIRE(describe(run(cwd, {kOld})) == "exit 0");
  REQUIRE(checksums(cwd / "out") == earlier);

  Corridor c(cwd, {kNew}, {"CORRIDOR_TEST_WRITE_DELAY_MS=" + kDelayMs});
  TrialResult r;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!r.sent && !c.exited() && std::chrono::steady_clock::now() < deadline) {
    bool now = false;
    switch (t.moment) {
      case Moment::AtStart:
        now = true;
        break;
      case Moment::TempDirWithFiles:
        now = files_in_temp_dir(cwd) >= t.files;
        break;
      case Moment::AfterSwap:
        now = fs::exists(cwd / "out" / "manifest.json") &&
              read_file(cwd / "out" / "manifest.json").find("pos2-delay") != std::string::npos;
        break;
    }
    if (now) {
      r.sent = c.signal(t.sig);
    } else {
      sleep_ms(1);
    }
  }
  r.status = c.wait();
  r.target = checksums(cwd / "out");
  r.leftovers = temp_dirs(cwd);
  r.err = c.err();
  return r;
}

}  // namespace

TEST_CASE("interrupt: a signal during the write is deferred until the new results are complete",
          "[interrupt]") {
  ScratchDir scratch(kScratchPrefix);
  const auto fresh = reference(scratch / "ref-new", {kNew});
  const auto earlier = reference(scratch / "ref-old", {kOld});
  REQUIRE(fresh != earlier);

  // Each moment is inside write_directory_atomically: the signal must wait for the new results
  // to be complete and in place, and the temporary directory gone, then end the process.
  const std::vector<Trial> trials = {
      {Moment::TempDirWithFiles, 0, SIGINT, "SIGINT: temporary directory created, still empty"},
      {Moment::TempDirWithFiles, 2, SIGTERM, "SIGTERM: 2 of 6 files written"},
      {Moment::TempDirWithFiles, 3, SIGINT, "SIGINT: 3 of 6 files written"},
      {Moment::TempDirWithFiles, 4, SIGHUP, "SIGHUP: 4 of 6 files written"},
      {Moment::TempDirWithFiles, 6, SIGINT, "SIGINT: all files written, before the swap"},
  };
  int k = 0;
  for (const Trial& t : trials) {
    INFO(t.what);
    const TrialResult r = run_trial(scratch / ("trial-" + std::to_string(k++)), t, earlier);
    INFO(r.err);
    if (r.sent) {
      CHECK(describe(r.status) == killed_by(t.sig));
    } else {
      // The test was not scheduled in time (a heavily loaded machine): the run finished.
      WARN(std::string("the moment was missed, no signal sent: ") + t.what);
      CHECK(describe(r.status) == "exit 0");
    }
    CHECK(r.target == fresh);
    CHECK(r.leftovers.empty());
  }
}

TEST_CASE("interrupt: a signal before the write leaves the earlier results, after it the new",
          "[interrupt]") {
  ScratchDir scratch(kScratchPrefix);
  const auto fresh = reference(scratch / "ref-new", {kNew});
  const auto earlier = reference(scratch / "ref-old", {kOld});

  SECTION("SIGINT as the run starts (loading or simulating): nothing is written") {
    const TrialResult r =
        run_trial(scratch / "start", {Moment::AtStart, 0, SIGINT, "at start"}, earlier);
    INFO(r.err);
    REQUIRE(r.sent);
    CHECK(describe(r.status) == killed_by(SIGINT));
    // The write takes at least 7 x 25 ms, so a signal at the start lands before it; were it
    // to land inside, the new results would be complete. Never anything in between.
    CHECK((r.target == earlier || r.target == fresh));
    CHECK(r.target == earlier);
    CHECK(r.leftovers.empty());
  }
  SECTION("SIGTERM as the run starts, into a new directory: nothing is created") {
    fs::create_directories(scratch / "new");
    Corridor c(scratch / "new", {kNew}, {"CORRIDOR_TEST_WRITE_DELAY_MS=" + kDelayMs});
    REQUIRE(c.signal(SIGTERM));
    CHECK(describe(c.wait()) == killed_by(SIGTERM));
    CHECK_FALSE(fs::exists(scratch / "new" / "out"));
    CHECK(temp_dirs(scratch / "new").empty());
  }
  SECTION("SIGINT once the new results are in place: they stay, complete") {
    const TrialResult r =
        run_trial(scratch / "after", {Moment::AfterSwap, 0, SIGINT, "after the swap"}, earlier);
    INFO(r.err);
    // Sent while the old copy is being removed (deferred: killed once it is gone) or after
    // the write returned (killed while printing the summary), or not at all if the run had
    // already finished.
    if (r.sent) {
      CHECK(describe(r.status) == killed_by(SIGINT));
    } else {
      CHECK(describe(r.status) == "exit 0");
    }
    CHECK(r.target == fresh);
    CHECK(r.leftovers.empty());
  }
  SECTION("no signal: the slowed-down run completes normally") {
    fs::create_directories(scratch / "plain");
    REQUIRE(describe(run(scratch / "plain", {kOld})) == "exit 0");
    CHECK(describe(run(scratch / "plain", {kNew}, {"CORRIDOR_TEST_WRITE_DELAY_MS=" + kDelayMs})) ==
          "exit 0");
    CHECK(checksums(scratch / "plain" / "out") == fresh);
    CHECK(temp_dirs(scratch / "plain").empty());
  }
}

// Data loss (issue 9): a file the user saves into the results while a run is writing must stop
// the swap, whether or not an interrupt arrives as well.
TEST_CASE("interrupt: a file saved into the results mid-write is never swapped away",
          "[interrupt]") {
  ScratchDir scratch(kScratchPrefix);
  const auto earlier = reference(scratch / "ref-old", {kOld});
  for (const int sig : {0, SIGINT}) {
    INFO("signal " << sig);
    const fs::path cwd = scratch / ("save-" + std::to_string(sig));
    fs::create_directories(cwd);
    REQUIRE(describe(run(cwd, {kOld})) == "exit 0");
    Corridor c(cwd, {kNew}, {"CORRIDOR_TEST_WRITE_DELAY_MS=" + kDelayMs});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool saved = false;
    while (!c.exited() && std::chrono::steady_clock::now() < deadline) {
      if (files_in_temp_dir(cwd) >= 2) {
        corridor::test::write_file(cwd / "out" / "my-analysis.xlsx", "precious\n");
        saved = true;
        if (sig != 0) c.signal(sig);
        break;
      }
      sleep_ms(1);
    }
    const int status = c.wait();
    if (!saved) {
      WARN("the write finished before the file could be saved: check skipped");
      continue;
    }
    INFO(c.err());
    CHECK(describe(status) == (sig == 0 ? "exit 2" : killed_by(sig)));
    if (sig == 0) {
      CHECK_THAT(c.err(), Catch::Contains("refusing to replace it: it holds 'my-analysis.xlsx', "
                                          "which corridor did not write there"));
    }
    auto expected = earlier;
    expected["my-analysis.xlsx"] = corridor::sha256_hex("precious\n");
    CHECK(checksums(cwd / "out") == expected);
    CHECK(temp_dirs(cwd).empty());
  }
}

TEST_CASE("nothing lost: the file size limit fails the write cleanly (EFBIG, not SIGXFSZ)",
          "[nothing-lost]") {
  ScratchDir scratch(kScratchPrefix);
  const fs::path dir = scratch / "work";
  fs::create_directories(dir);
  REQUIRE(describe(run(dir, {kOld})) == "exit 0");
  const auto earlier = checksums(dir / "out");
  REQUIRE(earlier.size() == 8);

  // 1 KiB, as `ulimit -f 1`: every file of minimal.yaml fits, flows.csv of pos2-delay.yaml
  // (36 KB) does not. Without SIGXFSZ ignored the process would die of it mid-write.
  Corridor c(dir, {kNew}, {}, rlim_t{1024});
  const int status = c.wait();
  const std::string err = c.err();
  INFO(err);
  CHECK(describe(status) == "exit 2");
  CHECK_THAT(err, Catch::StartsWith("corridor: error: cannot write results to 'out': cannot "
                                    "write '.out.tmp-"));
  CHECK_THAT(err, Catch::Contains("File too large; the file size limit (ulimit -f) is too small "
                                  "for the results; raise it\n"));
  CHECK(c.out().empty());
  CHECK(checksums(dir / "out") == earlier);
  CHECK(temp_dirs(dir).empty());

  SECTION("into a new directory: nothing is created") {
    fs::create_directories(dir / "new");
    CHECK(describe(run(dir / "new", {kNew}, {}, rlim_t{1024})) == "exit 2");
    CHECK_FALSE(fs::exists(dir / "new" / "out"));
    CHECK(temp_dirs(dir / "new").empty());
  }
}

namespace {

/// A tmpfs of `size` mounted at a new directory `dir`, unmounted on scope exit; mounted() is
/// false when mount(2) is not permitted here.
class Tmpfs {
 public:
  Tmpfs(const fs::path& dir, const std::string& size) : dir_(dir) {
    fs::create_directories(dir_);
    const std::string options = "size=" + size + ",mode=0755";
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  Tmpfs(const Tmpfs&) = delete;
  Tmpfs& operator=(const Tmpfs&) = delete;
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  bool remount_read_only() {
    return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
                   nullptr) == 0;
  }

 private:
  fs::path dir_;
  bool mounted_ = false;
  std::string error_;
};

}  // namespace

TEST_CASE("nothing lost: a full disk (64 KiB tmpfs) or a read-only file system", "[nothing-lost]") {
  ScratchDir scratch(kScratchPrefix);
  const fs::path dir = scratch / "mnt";
  Tmpfs tmpfs(dir, "64k");
  if (!tmpfs.mounted()) {
    WARN("cannot mount a tmpfs here (" + tmpfs.error() + "): full-disk test skipped");
    return;
  }
  // minimal.yaml fits (8 files of under 1 KB, a page each); pos2-delay.yaml (76 KB) does not.
  REQUIRE(describe(run(dir, {kOld})) == "exit 0");
  const auto earlier = checksums(dir / "out");
  REQUIRE(earlier.size() == 8);

  SECTION("the disk fills up midway") {
    Corridor c(dir, {kNew});
    const int status = c.wait();
    const std::string err = c.err();
    INFO(err);
    CHECK(describe(status) == "exit 2");
    CHECK_THAT(err, Catch::StartsWith("corridor: error: cannot write results to 'out': "));
    CHECK_THAT(err, Catch::Contains("No space left on device; free some disk space or choose "
                                    "another output directory\n"));
    CHECK(checksums(dir / "out") == earlier);
    CHECK(temp_dirs(dir).empty());
    // The space of the failed attempt is free again: the same small run still fits.
    CHECK(describe(run(dir, {kOld})) == "exit 0");
    CHECK(checksums(dir / "out") == earlier);
  }
  SECTION("a file of the user's in the results, and the disk full: refused before writing") {
    corridor::test::write_file(dir / "out" / "notes.txt", std::string(20000, 'x'));
    Corridor c(dir, {kNew});
    CHECK(describe(c.wait()) == "exit 2");
    CHECK_THAT(c.err(), Catch::Contains("it holds 'notes.txt', which corridor did not write"));
    auto expected = earlier;
    expected["notes.txt"] = corridor::sha256_hex(std::string(20000, 'x'));
    CHECK(checksums(dir / "out") == expected);
    CHECK(temp_dirs(dir).empty());
  }
  SECTION("the file system is read-only") {
    REQUIRE(tmpfs.remount_read_only());
    const int status = run(dir, {kOld});
    CHECK(describe(status) == "exit 2");
    Corridor c(dir, {kNew});
    CHECK(describe(c.wait()) == "exit 2");
    CHECK_THAT(c.err(), Catch::Contains("Read-only file system"));
    CHECK(checksums(dir / "out") == earlier);
    CHECK(temp_dirs(dir).empty());
  }
}

TEST_CASE("nothing lost: a crash between the two renames of the fallback swap keeps both sets",
          "[nothing-lost]") {
  // Issue 19. Without RENAME_EXCHANGE the swap takes two steps: the earlier results aside
  // (to .out.tmp-PID-N.old), then the new ones in (from .out.tmp-PID-N). SIGKILL between them,
  // as a crash or a power cut would: `out` is absent, and both sets are whole on disk. A
  // writer that deleted the earlier results first and renamed second would have nothing of
  // them left here.
  ScratchDir scratch(kScratchPrefix);
  const auto fresh = reference(scratch / "ref-new", {kNew});
  const fs::path cwd = scratch / "crash";
  fs::create_directories(cwd);
  REQUIRE(describe(run(cwd, {kOld})) == "exit 0");
  const auto earlier = checksums(cwd / "out");
  REQUIRE(earlier != fresh);

  Corridor c(cwd, {kNew}, {"CORRIDOR_TEST_SWAP=kill-between"});
  const int status = c.wait();
  INFO(c.err());
  REQUIRE(describe(status) == killed_by(SIGKILL));
  CHECK_FALSE(fs::exists(cwd / "out"));
  std::vector<std::string> left = temp_dirs(cwd);
  std::sort(left.begin(), left.end());
  std::vector<std::map<std::string, std::string>> sets;
  for (const std::string& d : left) sets.push_back(checksums(cwd / d));
  CHECK(std::count(sets.begin(), sets.end(), earlier) == 1);
  CHECK(std::count(sets.begin(), sets.end(), fresh) == 1);
  REQUIRE(left.size() == 2);
  CHECK(left[1] == left[0] + ".old");  // the earlier results, named as output.h says
  CHECK(sets[1] == earlier);

  // Without the hook, the same run on the same file system swaps in one step.
  fs::rename(cwd / left[1], cwd / "out");
  CHECK(describe(run(cwd, {kNew})) == "exit 0");
  CHECK(checksums(cwd / "out") == fresh);
}
