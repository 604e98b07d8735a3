// Writing results: the atomic directory swap (including a simulated failure midway through
// CORRIDOR_TEST_FAIL_AFTER_FILES), an interrupt deferred until the results are in place
// (CORRIDOR_TEST_WRITE_DELAY_MS), and the manifest.
#include "corridor/output.h"

#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "corridor/sha256.h"
#include "corridor/version.h"

namespace fs = std::filesystem;

namespace corridor {
namespace {

// A fresh directory under the system temp dir, removed with its contents at the end.
class ScratchDir {
 public:
  ScratchDir() {
    std::string templ = (fs::temp_directory_path() / "corridor_output_test_XXXXXX").string();
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    path_ = templ;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
  ~ScopedEnv() { ::unsetenv(name_); }

 private:
  const char* name_;
};

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// File name -> contents of every entry in a directory (no subdirectories expected).
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    out[e.path().filename().string()] = read_text(e);
  return out;
}

// Names in `dir` that look like our temporary directories.
std::vector<std::string> temp_leftovers(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) out.push_back(name);
  }
  return out;
}

// Results as corridor writes them: the manifest lists every file of the set.
const std::vector<std::pair<std::string, std::string>> kFiles = {
    {"flows.csv", "a,b\n1,2\n"},
    {"summary.csv", "x\n"},
    {"manifest.json",
     manifest_json("corridor run", {}, "t", {"flows.csv", "summary.csv", "manifest.json"})}};

const std::map<std::string, std::string> kFilesMap(kFiles.begin(), kFiles.end());

// Structural JSON check: strings closed, no raw control characters in them, brackets
// balanced and matched outside strings.
bool looks_like_json(const std::string& s) {
  std::string stack;
  bool in_string = false, escaped = false;
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (in_string) {
      if (c < 0x20) return false;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      stack += static_cast<char>(c);
    } else if (c == '}' || c == ']') {
      if (stack.empty() || stack.back() != (c == '}' ? '{' : '[')) return false;
      stack.pop_back();
    }
  }
  return !in_string && stack.empty() && !s.empty() && s.front() == '{';
}

}  // namespace

TEST_CASE("write_directory_atomically creates the directory and missing parents", "[output]") {
  ScratchDir scratch;
  const fs::path target = scratch.path() / "new" / "deeper" / "out";
  write_directory_atomically(target.string(), kFiles);
  CHECK(snapshot(target) == kFilesMap);
  CHECK(temp_leftovers(target.parent_path()).empty());
}

TEST_CASE("write_directory_atomically accepts a trailing slash", "[output]") {
  ScratchDir scratch;
  const fs::path target = scratch.path() / "out";
  write_directory_atomically(target.string() + "/", kFiles);
  CHECK(snapshot(target) == kFilesMap);
  CHECK(temp_leftovers(scratch.path()).empty());
}

TEST_CASE("write_directory_atomically replaces earlier results entirely", "[output]") {
  ScratchDir scratch;
  const fs::path target = scratch.path() / "out";
  // Earlier results with a file the new set does not have: it goes, being corridor's own.
  const std::vector<std::pair<std::string, std::string>> earlier = {
      {"flows.csv", "old flows\n"},
      {"stale.csv", "old\n"},
      {"manifest.json",
       manifest_json("corridor run", {}, "t", {"flows.csv", "stale.csv", "manifest.json"})}};
  write_directory_atomically(target.string(), earlier);

  write_directory_atomically(target.string(), kFiles);
  CHECK(snapshot(target) == kFilesMap);  // stale.csv is gone, flows.csv replaced
  CHECK(temp_leftovers(scratch.path()).empty());

  // An empty directory may be replaced too.
  const fs::path empty = scratch.path() / "empty";
  fs::create_directory(empty);
  write_directory_atomically(empty.string(), kFiles);
  CHECK(snapshot(empty) == kFilesMap);
}

// Regression (data loss): a rerun deleted a workbook and a folder the user had saved into the
// results. Whatever the manifest does not list is never swapped away.
TEST_CASE("write_directory_atomically never replaces what corridor did not write", "[output]") {
  ScratchDir scratch;
  const fs::path target = scratch.path() / "out";
  write_directory_atomically(target.string(), kFiles);

  SECTION("a file and a folder saved into earlier results") {
    write_text(target / "my-analysis.xlsx", "precious\n");
    fs::create_directory(target / "charts");
    write_text(target / "charts" / "fig.png", "png\n");
    const auto before = snapshot(target);
    CHECK_THROWS_WITH(write_directory_atomically(target.string(), kFiles),
                      "cannot write results to '" + target.string() +
                          "': refusing to replace it: it holds 'charts', which corridor did not "
                          "write there, and replacing the directory would delete it; move it "
                          "out, or write the results somewhere else");
    CHECK(read_text(target / "my-analysis.xlsx") == "precious\n");
    CHECK(read_text(target / "charts" / "fig.png") == "png\n");
    CHECK(temp_leftovers(scratch.path()).empty());
  }
  SECTION("a directory without a corridor manifest") {
    const fs::path docs = scratch.path() / "docs";
    fs::create_directory(docs);
    write_text(docs / "thesis.txt", "precious\n");
    write_text(docs / "manifest.json", "{\"tool\": \"other\"}\n");
    CHECK_THROWS_WITH(write_directory_atomically(docs.string(), kFiles),
                      Catch::Contains("it holds 'manifest.json' and no corridor manifest.json"));
    CHECK(read_text(docs / "thesis.txt") == "precious\n");
  }
  SECTION("a corridor manifest that lists no outputs (an older corridor)") {
    write_text(target / "manifest.json", "{\"tool\": \"corridor\"}\n");
    CHECK_THROWS_WITH(write_directory_atomically(target.string(), kFiles),
                      Catch::Contains("its manifest.json lists no outputs (an older corridor "
                                      "wrote it), so 'flows.csv' cannot be told from a file of "
                                      "yours"));
    CHECK(read_text(target / "flows.csv") == "a,b\n1,2\n");
  }
  SECTION("a file saved while the new results are being written") {
    // The check runs again just before the swap: the file appears after the write started.
    ScopedEnv delay("CORRIDOR_TEST_WRITE_DELAY_MS", "30");
    std::thread saver([&] {
      for (int i = 0; i < 5000 && temp_leftovers(scratch.path()).empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      write_text(target / "notes.txt", "saved mid-run\n");
    });
    CHECK_THROWS_WITH(write_directory_atomically(target.string(), kFiles),
                      Catch::Contains("it holds 'notes.txt', which corridor did not write"));
    saver.join();
    CHECK(read_text(target / "notes.txt") == "saved mid-run\n");
    CHECK(read_text(target / "flows.csv") == "a,b\n1,2\n");
    CHECK(temp_leftovers(scratch.path()).empty());
  }
}

TEST_CASE("why_not_replace names the first entry corridor did not write", "[output]") {
  ScratchDir scratch;
  const fs::path target = scratch.path() / "out";
  CHECK(why_not_replace(target.string(), {}) == "");  // absent
  write_directory_atomically(target.string(), kFiles);
  CHECK(why_not_replace(target.string(), {}) == "");  // corridor's own results
  write_text(target / "zz.txt", "z\n");
  write_text(target / "a.txt", "a\n");
  CHECK(why_not_replace(target.string(), {}) ==
        "it holds 'a.txt', which corridor did not write there, and replacing the directory "
        "would delete it; move it out, or write the results somewhere else");
}

TEST_CASE("a failure midway leaves earlier results byte-identical", "[output]") {
  ScratchDir scratch;
  const fs::path target = scratch.path() / "out";
  write_directory_atomically(
      target.string(),
      {{"flows.csv", "earlier flows\n"},
       {"stale.csv", "earlier stale\n"},
       {"manifest.json",
        manifest_json("corridor run", {}, "t", {"flows.csv", "stale.csv", "manifest.json"})}});
  const auto before = snapshot(target);

  {
    ScopedEnv fail_after("CORRIDOR_TEST_FAIL_AFTER_FILES", "1");
    CHECK_THROWS_WITH(write_directory_atomically(target.string(), kFiles),
                      Catch::Contains("cannot write results to '" + target.string() + "'") &&
                          Catch::Contains("simulated failure after 1 files"));
  }
  CHECK(snapshot(target) == before);
  CHECK(temp_leftovers(scratch.path()).empty());

  // Without the hook the same call succeeds.
  write_directory_atomically(target.string(), kFiles);
  CHECK(snapshot(target) == kFilesMap);
}

// The two-rename fallback for file systems without RENAME_EXCHANGE (output.h), forced by the
// test hook CORRIDOR_TEST_SWAP: the earlier results aside, then the new ones in.
TEST_CASE("the two-rename fallback swap replaces earlier results entirely", "[output]") {
  ScratchDir scratch;
  const fs::path target = scratch.path() / "out";
  write_directory_atomically(
      target.string(),
      {{"stale.csv", "earlier stale\n"},
       {"manifest.json", manifest_json("corridor run", {}, "t", {"stale.csv", "manifest.json"})}});
  ScopedEnv swap("CORRIDOR_TEST_SWAP", "rename");
  write_directory_atomically(target.string(), kFiles);
  CHECK(snapshot(target) == kFilesMap);
  CHECK(temp_leftovers(scratch.path()).empty());
}

TEST_CASE("a failure between the two renames of the fallback swap restores earlier results",
          "[output]") {
  // Issue 19: the second step (new results in) fails after the first (earlier results aside).
  // The earlier results go back, byte-identical; had they been deleted as the first step,
  // nothing could bring them back.
  ScratchDir scratch;
  const fs::path target = scratch.path() / "out";
  write_directory_atomically(
      target.string(),
      {{"flows.csv", "earlier flows\n"},
       {"stale.csv", "earlier stale\n"},
       {"manifest.json",
        manifest_json("corridor run", {}, "t", {"flows.csv", "stale.csv", "manifest.json"})}});
  const auto before = snapshot(target);
  {
    ScopedEnv swap("CORRIDOR_TEST_SWAP", "fail-between");
    CHECK_THROWS_WITH(write_directory_atomically(target.string(), kFiles),
                      "cannot write results to '" + target.string() +
                          "': cannot move the new results into place: Input/output error");
  }
  REQUIRE(fs::is_directory(target));
  CHECK(snapshot(target) == before);
  CHECK(temp_leftovers(scratch.path()).empty());
}

TEST_CASE("a failure midway creates no new directory", "[output]") {
  ScratchDir scratch;
  const fs::path target = scratch.path() / "out";
  ScopedEnv fail_after("CORRIDOR_TEST_FAIL_AFTER_FILES", "3");  // after the last file
  CHECK_THROWS_AS(write_directory_atomically(target.string(), kFiles), std::runtime_error);
  CHECK_FALSE(fs::exists(target));
  CHECK(temp_leftovers(scratch.path()).empty());
}

namespace {

// Set by on_sigint: how many times it ran, and whether the new results were in place then
// (access() is async-signal-safe).
std::atomic<int> sigint_count{0};  // lock-free, so safe in a signal handler
std::atomic<int> sigint_saw_new_results{0};
char sigint_new_file[4096];  // a file only the new results have
char sigint_old_file[4096];  // a file only the earlier results have

extern "C" void on_sigint(int) {
  ++sigint_count;
  sigint_saw_new_results =
      ::access(sigint_new_file, F_OK) == 0 && ::access(sigint_old_file, F_OK) != 0;
}

bool same_mask(const sigset_t& a, const sigset_t& b) {
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sigismember(&a, sig) != sigismember(&b, sig)) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("a SIGINT during the write is deferred until the results are in place", "[output]") {
  ScratchDir scratch;
  const fs::path target = scratch.path() / "out";
  write_directory_atomically(
      target.string(),
      {{"old.csv", "earlier\n"},
       {"manifest.json", manifest_json("corridor run", {}, "t", {"old.csv", "manifest.json"})}});
  std::snprintf(sigint_new_file, sizeof sigint_new_file, "%s", (target / "summary.csv").c_str());
  std::snprintf(sigint_old_file, sizeof sigint_old_file, "%s", (target / "old.csv").c_str());
  sigint_count = 0;
  sigint_saw_new_results = 0;

  struct sigaction handler {
  }, previous_int{}, xfsz_before{}, xfsz_after{};
  handler.sa_handler = on_sigint;
  sigemptyset(&handler.sa_mask);
  REQUIRE(::sigaction(SIGINT, &handler, &previous_int) == 0);
  sigset_t mask_before, mask_after;
  ::pthread_sigmask(SIG_SETMASK, nullptr, &mask_before);
  ::sigaction(SIGXFSZ, nullptr, &xfsz_before);

  {
    // 4 x 20 ms of writing. The signal goes to this thread as soon as the temporary directory
    // exists, so it certainly arrives mid-write.
    ScopedEnv delay("CORRIDOR_TEST_WRITE_DELAY_MS", "20");
    const pthread_t writer = ::pthread_self();
    std::thread interrupter([&] {
      for (int i = 0; i < 5000 && temp_leftovers(scratch.path()).empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      ::pthread_kill(writer, SIGINT);
    });
    write_directory_atomically(target.string(), kFiles);
    interrupter.join();
  }
  ::pthread_sigmask(SIG_SETMASK, nullptr, &mask_after);
  ::sigaction(SIGXFSZ, nullptr, &xfsz_after);
  ::sigaction(SIGINT, &previous_int, nullptr);

  CHECK(sigint_count == 1);            // delivered once, not lost
  CHECK(sigint_saw_new_results == 1);  // and only once the new results were in place
  CHECK(snapshot(target) == kFilesMap);
  CHECK(temp_leftovers(scratch.path()).empty());
  // The signal mask and the SIGXFSZ disposition are the caller's again.
  CHECK(same_mask(mask_before, mask_after));
  CHECK(xfsz_after.sa_handler == xfsz_before.sa_handler);
}

TEST_CASE("the signal state is restored after a failed write too", "[output]") {
  ScratchDir scratch;
  sigset_t mask_before, mask_after;
  struct sigaction xfsz_before {
  }, xfsz_after{};
  ::pthread_sigmask(SIG_SETMASK, nullptr, &mask_before);
  ::sigaction(SIGXFSZ, nullptr, &xfsz_before);
  {
    ScopedEnv fail_after("CORRIDOR_TEST_FAIL_AFTER_FILES", "1");
    CHECK_THROWS_AS(write_directory_atomically((scratch.path() / "out").string(), kFiles),
                    std::runtime_error);
  }
  ::pthread_sigmask(SIG_SETMASK, nullptr, &mask_after);
  ::sigaction(SIGXFSZ, nullptr, &xfsz_after);
  CHECK(same_mask(mask_before, mask_after));
  CHECK_FALSE(sigismember(&mask_after, SIGINT));
  CHECK(xfsz_after.sa_handler == xfsz_before.sa_handler);
}

TEST_CASE("an unusable parent gives an error naming the directory", "[output]") {
  ScratchDir scratch;

  SECTION("the parent path is a regular file") {
    write_text(scratch.path() / "file", "not a directory\n");
    const fs::path target = scratch.path() / "file" / "out";
    CHECK_THROWS_WITH(write_directory_atomically(target.string(), kFiles),
                      Catch::StartsWith("cannot write results to '" + target.string() + "'"));
    CHECK(read_text(scratch.path() / "file") == "not a directory\n");
  }

  SECTION("the parent directory is read-only") {
    if (::geteuid() == 0) {
      WARN("running as root, which ignores permissions: read-only parent check skipped");
      return;
    }
    const fs::path parent = scratch.path() / "ro";
    fs::create_directory(parent);
    fs::permissions(parent, fs::perms::owner_read | fs::perms::owner_exec);
    const fs::path target = parent / "out";
    CHECK_THROWS_WITH(write_directory_atomically(target.string(), kFiles),
                      Catch::StartsWith("cannot write results to '" + target.string() + "'") &&
                          Catch::Contains("writable"));
    fs::permissions(parent, fs::perms::owner_all);
    CHECK_FALSE(fs::exists(target));
    CHECK(temp_leftovers(parent).empty());
  }
}

TEST_CASE("a target that is a regular file is refused and kept", "[output]") {
  ScratchDir scratch;
  const fs::path target = scratch.path() / "out";
  write_text(target, "precious\n");
  CHECK_THROWS_WITH(write_directory_atomically(target.string(), kFiles),
                    Catch::Contains("exists and is not a directory"));
  CHECK(read_text(target) == "precious\n");
  CHECK(temp_leftovers(scratch.path()).empty());
}

TEST_CASE("a symbolic link to a directory: results land where it points", "[output]") {
  ScratchDir scratch;
  const fs::path real = scratch.path() / "real";
  fs::create_directory(real);
  const fs::path link = scratch.path() / "link";
  fs::create_directory_symlink(real, link);

  write_directory_atomically(link.string(), kFiles);
  CHECK(fs::is_symlink(link));
  CHECK(snapshot(real) == kFilesMap);
  CHECK(temp_leftovers(scratch.path()).empty());
}

TEST_CASE("file names that would escape the directory are refused", "[output]") {
  ScratchDir scratch;
  const fs::path target = scratch.path() / "out";
  CHECK_THROWS_AS(write_directory_atomically(target.string(), {{"../evil.csv", "x"}}),
                  std::runtime_error);
  CHECK_THROWS_AS(write_directory_atomically(target.string(), {{"", "x"}}), std::runtime_error);
  CHECK_FALSE(fs::exists(target));
  CHECK_FALSE(fs::exists(scratch.path() / "evil.csv"));
}

TEST_CASE("'.' and '/' are refused as output directories", "[output]") {
  CHECK_THROWS_WITH(write_directory_atomically(".", kFiles), Catch::Contains("names no directory"));
  CHECK_THROWS_WITH(write_directory_atomically("/", kFiles), Catch::Contains("names no directory"));
}

TEST_CASE("manifest_json: exact text, hashes and escaping", "[output]") {
  auto case_named = [](std::string name) {
    Scenario s;
    s.case_name = std::move(name);
    return std::make_shared<const Scenario>(std::move(s));
  };
  LoadedScenario a;
  a.file = "scen\"x.yaml";
  a.cases = {case_named("base"), case_named("high")};
  a.inputs = {{"a\"b.yaml", sha256_hex("known input")}, {"dir\\base.yaml", "00ff"}};
  a.resolved_sha256 = "a";
  LoadedScenario b;
  b.file = "b.yaml";
  b.cases = {case_named("base")};
  b.inputs = {{"b.yaml", "11"}};
  b.resolved_sha256 = "bc";

  const std::string json = manifest_json("corridor run \"q\"\tx\x01", {a, b},
                                         "2024-05-06T07:08:09Z", {"flows.csv", "manifest.json"});
  // SHA-256("abc"), FIPS 180-2 appendix B.1: the resolved hashes of the inputs in order.
  const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  CHECK(json == std::string("{\n"
                            "  \"tool\": \"corridor\",\n"
                            "  \"version\": \"") +
                    kVersion +
                    "\",\n"
                    "  \"command_line\": \"corridor run \\\"q\\\"\\tx\\u0001\",\n"
                    "  \"created_utc\": \"2024-05-06T07:08:09Z\",\n"
                    "  \"inputs\": [\n"
                    "    {\n"
                    "      \"scenario\": \"scen\\\"x.yaml\",\n"
                    "      \"cases\": [\n"
                    "        \"base\",\n"
                    "        \"high\"\n"
                    "      ],\n"
                    "      \"files\": [\n"
                    "        {\n"
                    "          \"path\": \"a\\\"b.yaml\",\n"
                    "          \"sha256\": \"" +
                    sha256_hex("known input") +
                    "\"\n"
                    "        },\n"
                    "        {\n"
                    "          \"path\": \"dir\\\\base.yaml\",\n"
                    "          \"sha256\": \"00ff\"\n"
                    "        }\n"
                    "      ]\n"
                    "    },\n"
                    "    {\n"
                    "      \"scenario\": \"b.yaml\",\n"
                    "      \"cases\": [\n"
                    "        \"base\"\n"
                    "      ],\n"
                    "      \"files\": [\n"
                    "        {\n"
                    "          \"path\": \"b.yaml\",\n"
                    "          \"sha256\": \"11\"\n"
                    "        }\n"
                    "      ]\n"
                    "    }\n"
                    "  ],\n"
                    "  \"resolved_sha256\": \"" +
                    abc +
                    "\",\n"
                    "  \"outputs\": [\n"
                    "    \"flows.csv\",\n"
                    "    \"manifest.json\"\n"
                    "  ]\n"
                    "}\n");
  CHECK(looks_like_json(json));
}

TEST_CASE("manifest_json: no inputs, UTF-8 kept, invalid bytes replaced", "[output]") {
  const std::string empty = manifest_json("", {}, "t", {});
  CHECK(looks_like_json(empty));
  CHECK_THAT(empty, Catch::Contains("\"inputs\": [],\n"));
  // SHA-256 of the empty string.
  CHECK_THAT(empty,
             Catch::Contains("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));

  const std::string json = manifest_json(
      "K\xc3\xb8"
      "benhavn \xff\xc3",
      {}, "t", {});
  // Each invalid byte becomes U+FFFD (EF BF BD).
  CHECK_THAT(json, Catch::Contains("\"K\xc3\xb8"
                                   "benhavn \xef\xbf\xbd\xef\xbf\xbd\""));
  CHECK(looks_like_json(json));
}

TEST_CASE("manifest_json: a path holding an encoded surrogate gets three U+FFFD",
          "[output][utf8]") {
  // ED A0 80 (U+D800) is three invalid bytes to text.h's decoder, as to the loader.
  const std::string json = manifest_json("corridor run a\xED\xA0\x80.yaml", {}, "t", {});
  CHECK_THAT(json, Catch::Contains("\"corridor run a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd.yaml\""));
  CHECK(looks_like_json(json));
}

TEST_CASE("utc_now is an ISO 8601 UTC timestamp", "[output]") {
  CHECK(std::regex_match(utc_now(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
}

}  // namespace corridor
