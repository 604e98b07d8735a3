#include "corridor/output.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>  // renameat2, RENAME_EXCHANGE (glibc >= 2.28 with _GNU_SOURCE)
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>  // nanosleep
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "corridor/sha256.h"
#include "corridor/text.h"
#include "corridor/version.h"

namespace corridor {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// manifest.json

// Text from outside (file names and the command line may hold any bytes) goes in through
// to_utf8 (text.h), the decoder the loader uses: invalid bytes become U+FFFD, so every string
// here is UTF-8 and nlohmann only escapes. `strict` makes a string that skipped to_utf8 an
// error instead of a second, different repair.
std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::strict) + "\n";
}

// Why `dir`'s current contents must not be swapped away, or "": the first entry (by name) that
// corridor did not write. Corridor wrote an entry when the directory's manifest.json is a
// corridor manifest that lists it under "outputs".
std::string foreign_entry(const fs::path& dir) {
  std::error_code ec;
  std::set<std::string> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    entries.insert(it->path().filename().string());
  }
  if (ec) return "it cannot be listed: " + ec.message();
  if (entries.empty()) return "";

  std::set<std::string> ours;
  bool manifest = false;
  {
    std::ifstream in(dir / "manifest.json", std::ios::binary);
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.value("tool", "") == "corridor") {
      manifest = true;
      if (const auto outputs = j.find("outputs"); outputs != j.end() && outputs->is_array()) {
        for (const nlohmann::json& name : *outputs) {
          if (name.is_string()) ours.insert(name.get<std::string>());
        }
      }
    }
  }
  for (const std::string& name : entries) {
    if (ours.count(name) != 0) continue;
    if (!manifest) {
      return "it holds '" + name +
             "' and no corridor manifest.json, so it does not hold corridor results, and "
             "replacing it would delete its contents; choose a new or empty directory";
    }
    if (ours.empty()) {
      return "its manifest.json lists no outputs (an older corridor wrote it), so '" + name +
             "' cannot be told from a file of yours; move what you want to keep and remove the "
             "directory, or choose another";
    }
    return "it holds '" + name +
           "', which corridor did not write there, and replacing the directory would delete "
           "it; move it out, or write the results somewhere else";
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// write_directory_atomically

std::string os_reason(int err) { return std::generic_category().message(err); }

// What to try for a failed system call, by errno; "" when there is nothing specific to say.
std::string hint_for(int err, const fs::path& parent) {
  const std::string where = parent.empty() ? "the current directory" : "'" + parent.string() + "'";
  switch (err) {
    case EACCES:
    case EPERM:
    case EROFS:
      return "check that " + where + " exists and is writable";
    case ENOSPC:
    case EDQUOT:
      return "free some disk space or choose another output directory";
    case ENOTDIR:
    case EEXIST:
      return "check that every component of " + where + " is a directory";
    case ENAMETOOLONG:
      return "choose a shorter output path";
    case EFBIG:
      return "the file size limit (ulimit -f) is too small for the results; raise it";
    default:
      return "";
  }
}

// "cannot write results to 'DIR': WHAT[: OS REASON][; HINT]".
[[noreturn]] void fail(const std::string& dir, const std::string& what, int err = 0,
                       const std::string& hint = "") {
  std::string msg = "cannot write results to '" + dir + "': " + what;
  if (err != 0) msg += ": " + os_reason(err);
  if (!hint.empty()) msg += "; " + hint;
  throw std::runtime_error(msg);
}

// The temporary directory; removed with its contents unless released.
class TempDir {
 public:
  explicit TempDir(fs::path p) : path_(std::move(p)) {}
  ~TempDir() {
    if (!path_.empty()) {
      std::error_code ignored;
      fs::remove_all(path_, ignored);
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// An open file of the temporary directory; closed when it goes.
class OpenFile {
 public:
  OpenFile() = default;
  explicit OpenFile(int fd) : fd_(fd) {}
  OpenFile(OpenFile&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  OpenFile& operator=(OpenFile&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  ~OpenFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }
  /// Closes now; returns 0 or errno.
  int close() {
    const int fd = std::exchange(fd_, -1);
    return fd >= 0 && ::close(fd) != 0 ? errno : 0;
  }

 private:
  int fd_ = -1;
};

// A write error inside a content sink, carried out of the producer.
struct WriteError {
  int err;
};

// Writes all of `data` to `fd`; throws WriteError.
void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw WriteError{errno};
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Creates `path` and streams the file's contents into it (not yet synced). Returns 0 or the
// errno of the first failure.
int write_file(const fs::path& path, const OutputFile& file, OpenFile& out) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return errno;
  out = OpenFile(fd);
  try {
    file.contents([fd](std::string_view piece) { write_all(fd, piece); });
  } catch (const WriteError& e) {
    return e.err;
  }
  return 0;
}

// Writes `data` to a new file, fsyncs and closes it. Returns 0 or the errno of the first
// failure.
int write_file(const fs::path& path, std::string_view data) {
  OpenFile out;
  const OutputFile file{path.filename().string(), [data](const ContentSink& sink) { sink(data); }};
  if (const int err = write_file(path, file, out); err != 0) return err;
  if (::fsync(out.fd()) != 0) return errno;
  return out.close();
}

// Fsyncs every file at once, one thread each (at most 16 at a time): the file system can then
// commit them together, where one after the other each waits for its own journal commit.
// Returns 0 or the errno of the first file (in order) that failed, and its index in `failed`.
int fsync_all(const std::vector<OpenFile>& files, std::size_t& failed) {
  std::vector<int> errs(files.size(), 0);
  constexpr std::size_t kThreads = 16;
  for (std::size_t begin = 0; begin < files.size(); begin += kThreads) {
    std::vector<std::thread> threads;
    const std::size_t end = std::min(files.size(), begin + kThreads);
    for (std::size_t i = begin; i < end; ++i) {
      threads.emplace_back([&, i] {
        if (::fsync(files[i].fd()) != 0) errs[i] = errno;
      });
    }
    for (std::thread& t : threads) t.join();
  }
  for (std::size_t i = 0; i < errs.size(); ++i) {
    if (errs[i] != 0) {
      failed = i;
      return errs[i];
    }
  }
  return 0;
}

// Fsyncs a directory so the entries in it are durable. Returns 0 or errno. EINVAL (file
// systems that cannot sync directories) counts as success: there is nothing more to do.
int fsync_directory(const fs::path& path) {
  const int fd = ::open(path.empty() ? "." : path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  int err = 0;
  if (::fsync(fd) != 0 && errno != EINVAL) err = errno;
  ::close(fd);
  return err;
}

// A non-negative integer from the environment; nullopt when unset, empty or not a number.
std::optional<std::size_t> env_count(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  const std::string_view s(v);
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

// Test hooks (documented in output.h).
std::optional<std::size_t> test_fail_after_files() {
  return env_count("CORRIDOR_TEST_FAIL_AFTER_FILES");
}
std::optional<std::size_t> test_write_delay_ms() {
  return env_count("CORRIDOR_TEST_WRITE_DELAY_MS");
}
enum class SwapHook { None, Rename, FailBetween, KillBetween };
SwapHook test_swap_hook() {
  const char* v = std::getenv("CORRIDOR_TEST_SWAP");
  const std::string_view s = v == nullptr ? "" : v;
  if (s == "rename") return SwapHook::Rename;
  if (s == "fail-between") return SwapHook::FailBetween;
  if (s == "kill-between") return SwapHook::KillBetween;
  return SwapHook::None;
}

// Sleeps `ms` milliseconds; with the termination signals blocked nothing cuts it short.
void sleep_ms(std::size_t ms) {
  timespec left{static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1000000L};
  while (::nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
}

// For its lifetime: SIGINT, SIGTERM and SIGHUP blocked in the calling thread, and SIGXFSZ
// ignored. An interrupt then waits until the results are complete and in place (or the
// earlier ones restored) and the temporary directory is gone, and is delivered when the mask
// is restored; its default action still ends the process. A write beyond the file size limit
// (RLIMIT_FSIZE) fails with EFBIG, reported like a full disk, instead of killing the process
// with SIGXFSZ. Restores the previous disposition and mask, in that order, so a pending
// signal arrives last. Declare it before anything whose destructor must run under it.
class TerminationSignalsDeferred {
 public:
  TerminationSignalsDeferred() {
    sigset_t block;
    sigemptyset(&block);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&block, sig);
    masked_ = ::pthread_sigmask(SIG_BLOCK, &block, &old_mask_) == 0;
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    xfsz_ = ::sigaction(SIGXFSZ, &ignore, &old_xfsz_) == 0;
  }
  ~TerminationSignalsDeferred() {
    if (xfsz_) ::sigaction(SIGXFSZ, &old_xfsz_, nullptr);
    if (masked_) ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }
  TerminationSignalsDeferred(const TerminationSignalsDeferred&) = delete;
  TerminationSignalsDeferred& operator=(const TerminationSignalsDeferred&) = delete;

 private:
  sigset_t old_mask_{};
  struct sigaction old_xfsz_ {};
  bool masked_ = false, xfsz_ = false;
};

// Files are written by name into one directory: no separators, no "." or "..".
bool is_plain_file_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find_first_of(std::string_view("/\0", 2)) == std::string_view::npos;
}

// The directory that will be replaced: trailing "/" and "." removed; a symbolic link is
// followed, so results land where it points and the link itself stays.
fs::path target_path(const std::string& dir) {
  if (dir.empty()) fail(dir, "the output directory name is empty");
  fs::path target = fs::path(dir).lexically_normal();
  if (!target.has_filename()) target = target.parent_path();  // "out/" -> "out"
  const fs::path name = target.filename();
  if (name.empty() || name == "." || name == "..") {
    fail(dir, "the path names no directory that could be replaced", 0,
         "give a directory name such as 'results/run1'");
  }
  std::error_code ec;
  if (fs::is_symlink(target, ec)) {
    fs::path resolved = fs::canonical(target, ec);
    if (ec) {
      fail(dir, "cannot follow the symbolic link", ec.value(),
           "point it at a directory or remove it");
    }
    target = std::move(resolved);
  }
  return target;
}

// Swaps the full directory `tmp` with the existing directory `target`; afterwards `tmp` holds
// the old results. Falls back to two renames (old aside, new in) on file systems without
// RENAME_EXCHANGE; the old results are restored if the second rename fails. Nothing is deleted
// before the new results are in place: between the two renames the old ones are whole at
// `tmp`.old. The test hook CORRIDOR_TEST_SWAP (output.h) forces the fallback, and fails or
// kills the process between its two steps.
void swap_into_place(const std::string& dir, const fs::path& tmp, const fs::path& target,
                     const fs::path& parent) {
  const SwapHook hook = test_swap_hook();
  if (hook == SwapHook::None &&
      ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
    return;
  }
  const int err = hook == SwapHook::None ? errno : EINVAL;  // as if the exchange were missing
  if (err != EINVAL && err != ENOSYS && err != EOPNOTSUPP) {
    fail(dir, "cannot replace the existing directory", err, hint_for(err, parent));
  }
  fs::path old = tmp;
  old += ".old";
  if (::rename(target.c_str(), old.c_str()) != 0) {
    const int e = errno;
    fail(dir, "cannot move the existing directory aside", e, hint_for(e, parent));
  }
  if (hook == SwapHook::KillBetween) ::kill(::getpid(), SIGKILL);  // a crash, a power cut
  if (hook == SwapHook::FailBetween || ::rename(tmp.c_str(), target.c_str()) != 0) {
    const int e = hook == SwapHook::FailBetween ? EIO : errno;
    if (::rename(old.c_str(), target.c_str()) != 0) {
      fail(dir,
           "cannot move the new results into place, and the earlier results are now in '" +
               old.string() + "'",
           e);
    }
    fail(dir, "cannot move the new results into place", e, hint_for(e, parent));
  }
  // Same end state as the exchange: the old results at `tmp`, for the caller to remove.
  if (::rename(old.c_str(), tmp.c_str()) != 0) {
    std::error_code ignored;
    fs::remove_all(old, ignored);
  }
}

}  // namespace

std::string manifest_json(const std::string& command_line,
                          const std::vector<LoadedScenario>& inputs, const std::string& utc_time,
                          const std::vector<std::string>& outputs) {
  return manifest_json(command_line, inputs, utc_time, outputs, {});
}

std::string manifest_json(const std::string& command_line,
                          const std::vector<LoadedScenario>& inputs, const std::string& utc_time,
                          const std::vector<std::string>& outputs,
                          const std::vector<ManifestSection>& sections) {
  std::string resolved;  // the inputs' resolved hashes in order
  for (const LoadedScenario& in : inputs) resolved += in.resolved_sha256;

  nlohmann::ordered_json j;
  j["tool"] = "corridor";
  j["version"] = kVersion;
  j["command_line"] = to_utf8(command_line);
  j["created_utc"] = utc_time;
  j["inputs"] = nlohmann::ordered_json::array();
  for (const LoadedScenario& in : inputs) {
    nlohmann::ordered_json entry;
    entry["scenario"] = to_utf8(in.file);
    entry["cases"] = nlohmann::ordered_json::array();
    for (const auto& c : in.cases) entry["cases"].push_back(to_utf8(c->case_name));
    entry["files"] = nlohmann::ordered_json::array();
    for (const InputFile& f : in.inputs) {
      entry["files"].push_back({{"path", to_utf8(f.path)}, {"sha256", f.sha256}});
    }
    j["inputs"].push_back(std::move(entry));
  }
  j["resolved_sha256"] = sha256_hex(resolved);
  j["outputs"] = nlohmann::ordered_json::array();
  for (const std::string& name : outputs) j["outputs"].push_back(to_utf8(name));
  auto object = [](const ManifestFields& fields) {
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    for (const auto& field : fields) {
      // Not a structured binding: clang 14 cannot capture one in the lambda.
      const std::string& key = field.first;
      std::visit(
          [&](const auto& v) {
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
              o[key] = to_utf8(v);
            } else {
              o[key] = v;
            }
          },
          field.second);
    }
    return o;
  };
  for (const ManifestSection& section : sections) {
    nlohmann::ordered_json o = object(section.fields);
    if (!section.list_name.empty()) {
      o[section.list_name] = nlohmann::ordered_json::array();
      for (const ManifestFields& item : section.list) o[section.list_name].push_back(object(item));
    }
    j[section.name] = std::move(o);
  }
  return dump(j);
}

OutputFile text_file(std::string name, std::string contents) {
  auto text = std::make_shared<const std::string>(std::move(contents));
  return {std::move(name), [text](const ContentSink& sink) { sink(*text); }};
}

void write_directory_atomically(const std::string& dir,
                                const std::vector<std::pair<std::string, std::string>>& files) {
  write_directory_atomically(dir, files, {});
}

void write_directory_atomically(const std::string& dir,
                                const std::vector<std::pair<std::string, std::string>>& files,
                                const std::vector<StreamedFile>& streamed) {
  std::vector<OutputFile> out;
  // A plain loop variable, not a structured binding: clang 14 cannot capture those.
  for (const auto& file : files) {
    const std::string& contents = file.second;
    out.push_back({file.first, [&contents](const ContentSink& sink) { sink(contents); }});
  }
  for (const StreamedFile& f : streamed) {
    out.push_back({f.name, [&f](const ContentSink& sink) {
                     std::string piece;
                     for (bool more = true; more;) {
                       piece.clear();
                       more = f.next(piece);
                       if (!piece.empty()) sink(piece);
                     }
                   }});
  }
  write_directory_atomically(dir, out);
}

void write_directory_atomically(const std::string& dir, const std::vector<OutputFile>& files) {
  for (const OutputFile& f : files) {
    if (!is_plain_file_name(f.name)) fail(dir, "invalid result file name '" + f.name + "'");
  }
  // From here to the return (the temporary directory's removal included) an interrupt is
  // deferred: the target ends up holding either the earlier results or all of the new ones,
  // and no temporary directory is left behind.
  const TerminationSignalsDeferred deferred;
  const fs::path target = target_path(dir);
  const fs::path parent = target.parent_path();  // empty: the current directory

  std::error_code ec;
  if (!parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) {
      fail(dir, "cannot create the parent directory '" + parent.string() + "'", ec.value(),
           "check that the parent path is a directory you can write to");
    }
  }
  const fs::file_status st = fs::status(target, ec);
  if (ec && st.type() != fs::file_type::not_found) {
    fail(dir, "cannot inspect it", ec.value(), hint_for(ec.value(), parent));
  }
  const bool exists = st.type() != fs::file_type::not_found;
  if (exists && !fs::is_directory(st)) {
    fail(dir, "it exists and is not a directory", 0,
         "remove it or choose another output directory");
  }

  // A fresh temporary directory next to the target, so the final rename stays on one file
  // system. The counter keeps names apart within a process, the pid across processes.
  static std::atomic<unsigned> counter{0};
  const std::string stem = "." + target.filename().string() + ".tmp-" +
                           std::to_string(static_cast<long>(::getpid())) + "-";
  fs::path tmp_path;
  for (int attempt = 0;; ++attempt) {
    tmp_path = parent / (stem + std::to_string(counter++));
    if (::mkdir(tmp_path.c_str(), 0777) == 0) break;
    const int err = errno;
    if (err != EEXIST || attempt >= 100) {
      fail(dir, "cannot create the temporary directory '" + tmp_path.string() + "'", err,
           hint_for(err, parent));
    }
  }
  TempDir tmp(tmp_path);

  const std::optional<std::size_t> fail_after = test_fail_after_files();
  const std::optional<std::size_t> delay_ms = test_write_delay_ms();
  std::size_t written = 0;
  auto check_test_hook = [&] {
    if (delay_ms) sleep_ms(*delay_ms);
    if (fail_after && written >= *fail_after) {
      fail(dir, "simulated failure after " + std::to_string(written) +
                    " files (CORRIDOR_TEST_FAIL_AFTER_FILES)");
    }
  };
  std::vector<OpenFile> open;
  open.reserve(files.size());
  for (const OutputFile& f : files) {
    check_test_hook();
    const fs::path file = tmp.path() / f.name;
    if (const int err = write_file(file, f, open.emplace_back()); err != 0) {
      fail(dir, "cannot write '" + file.string() + "'", err, hint_for(err, parent));
    }
    ++written;
  }
  check_test_hook();
  std::size_t failed = 0;
  if (const int err = fsync_all(open, failed); err != 0) {
    const fs::path file = tmp.path() / files[failed].name;
    fail(dir, "cannot write '" + file.string() + "'", err, hint_for(err, parent));
  }
  for (std::size_t i = 0; i < open.size(); ++i) {
    if (const int err = open[i].close(); err != 0) {
      const fs::path file = tmp.path() / files[i].name;
      fail(dir, "cannot write '" + file.string() + "'", err, hint_for(err, parent));
    }
  }
  if (const int err = fsync_directory(tmp.path()); err != 0) {
    fail(dir, "cannot sync '" + tmp.path().string() + "'", err, hint_for(err, parent));
  }

  if (exists) {
    // Checked again here, after the work: a file saved into the old results meanwhile must
    // stop the swap, never be deleted by it.
    if (const std::string why = foreign_entry(target); !why.empty()) {
      fail(dir, "refusing to replace it: " + why);
    }
    swap_into_place(dir, tmp.path(), target, parent);
    // `tmp` now holds the old results; ~TempDir removes them. A failure there leaves only a
    // stale hidden directory and is not reported: the new results are already in place.
  } else if (::rename(tmp.path().c_str(), target.c_str()) != 0) {
    const int err = errno;
    fail(dir, "cannot move the new results into place", err, hint_for(err, parent));
  }
  // Make the rename itself durable; the results are in place whatever this returns.
  fsync_directory(parent);
}

std::string why_not_replace(const std::string& dir, const std::vector<std::string>& input_paths) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return "";  // absent (or not a directory: the writer says so)
  fs::path target = fs::weakly_canonical(dir, ec);
  if (ec) return "";
  if (!target.has_filename()) target = target.parent_path();  // "out/" -> "out"
  for (const std::string& input : input_paths) {
    const fs::path p = fs::weakly_canonical(input, ec);
    if (ec) continue;
    const auto [t, q] = std::mismatch(target.begin(), target.end(), p.begin(), p.end());
    if (t == target.end()) {
      return "it holds the input file '" + input +
             "', which the results would replace; write the results somewhere else";
    }
  }
  return foreign_entry(dir);
}

void write_file_atomically(const std::string& path, const std::string& contents,
                           const std::string& marker) {
  auto failed = [&](const std::string& what, int err = 0, const std::string& hint = "") {
    std::string msg = "cannot write '" + path + "': " + what;
    if (err != 0) msg += ": " + os_reason(err);
    if (!hint.empty()) msg += "; " + hint;
    throw std::runtime_error(msg);
  };
  if (path.empty()) failed("the file name is empty");
  const TerminationSignalsDeferred deferred;
  const fs::path target = fs::path(path).lexically_normal();
  const fs::path parent = target.parent_path();
  std::error_code ec;
  const fs::file_status st = fs::status(target, ec);
  if (st.type() != fs::file_type::not_found) {
    if (!fs::is_regular_file(st)) failed("it exists and is not a file", 0, "choose another name");
    std::ifstream in(target);
    std::string first;
    std::getline(in, first);
    if (!first.starts_with(marker)) {
      failed("refusing to replace a file corridor did not write", 0,
             "choose another name, or remove the file yourself");
    }
  }
  static std::atomic<unsigned> counter{0};
  const fs::path tmp =
      parent / ("." + target.filename().string() + ".tmp-" +
                std::to_string(static_cast<long>(::getpid())) + "-" + std::to_string(counter++));
  if (const int err = write_file(tmp, contents); err != 0) {
    fs::remove(tmp, ec);
    failed("cannot write the temporary file '" + tmp.string() + "'", err, hint_for(err, parent));
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    fs::remove(tmp, ec);
    failed("cannot move the new file into place", err, hint_for(err, parent));
  }
  fsync_directory(parent);
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  if (::gmtime_r(&now, &tm) == nullptr) return "1970-01-01T00:00:00Z";
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

}  // namespace corridor
