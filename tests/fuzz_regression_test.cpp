// Every input in tests/fuzz/regressions/ replayed through the harness code itself
// (fuzz/fuzz_targets.h), one test case per file, named after it: `*.yaml` through
// run_pipeline, `*.txt` through run_quantity. Under build-checks the sanitizers watch too.
// Each replay must also stay within a memory budget, as libFuzzer's -rss_limit_mb does: an
// input of a few kilobytes has no business needing hundreds of megabytes. Also replays the
// seed corpora, so the harnesses are known to accept every seed.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/fuzz_targets.h"

namespace {

namespace fs = std::filesystem;

const fs::path kFuzzDir = fs::path(CORRIDOR_SOURCE_DIR) / "tests" / "fuzz";

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Regular files under `dir` (recursively), sorted, without README.md.
std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && it->path().filename() != "README.md") out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Peak resident set size of this process in MB: VmHWM of /proc/self/status, 0 if unknown.
long peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  }
  return 0;
}

/// Lowers the peak to the current RSS (Linux 4.0+), so peak_rss_mb() measures from here.
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

/// Largest growth of the peak RSS one regression input may cause. Scenarios of a few
/// kilobytes need a few megabytes, under ASan a few tens.
constexpr long kRssBudgetMb = 256;

bool is_quantity_input(const fs::path& p) { return p.extension() == ".txt"; }
bool is_pipeline_input(const fs::path& p) { return p.extension() == ".yaml"; }

void replay(const fs::path& file, bool quantity) {
  const std::string bytes = read_bytes(file);
  if (quantity) {
    corridor::fuzz::run_quantity(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  } else {
    corridor::fuzz::run_pipeline(bytes);
  }
}

class ReplayRegression : public Catch::ITestInvoker {
 public:
  explicit ReplayRegression(fs::path file) : file_(std::move(file)) {}
  void invoke() const override {
    INFO("replaying " << file_.string());
    reset_peak_rss();
    const long before = peak_rss_mb();
    REQUIRE_NOTHROW(replay(file_, is_quantity_input(file_)));
    const long grown = peak_rss_mb() - before;
    INFO("peak RSS grew by " << grown << " MB");
    CHECK(grown <= kRssBudgetMb);
  }

 private:
  fs::path file_;
};

// One test case per regression file, registered at static initialisation as TEST_CASE does.
const bool registered = [] {
  for (const fs::path& file : files_in(kFuzzDir / "regressions")) {
    if (!is_quantity_input(file) && !is_pipeline_input(file)) continue;  // see the check below
    const std::string name = "fuzz regression: " + file.filename().string();
    const Catch::AutoReg reg(new ReplayRegression(file), CATCH_INTERNAL_LINEINFO,
                             Catch::StringRef(), Catch::NameAndTags{name, "[fuzz-regression]"});
  }
  return true;
}();

}  // namespace

TEST_CASE("fuzz regressions: every file is a .yaml or .txt input", "[fuzz-regression]") {
  REQUIRE(fs::is_directory(kFuzzDir / "regressions"));
  for (const fs::path& file : files_in(kFuzzDir / "regressions")) {
    INFO(file.string());
    CHECK((is_quantity_input(file) || is_pipeline_input(file)));
  }
}

TEST_CASE("fuzz harnesses: every seed replays cleanly", "[fuzz-regression]") {
  for (const fs::path& file : files_in(kFuzzDir / "corpus" / "quantity")) {
    INFO(file.string());
    REQUIRE_NOTHROW(replay(file, true));
  }
  const fs::path root(CORRIDOR_SOURCE_DIR);
  for (const fs::path& dir :
       {kFuzzDir / "corpus" / "pipeline", root / "scenarios", root / "tests" / "fixtures"}) {
    for (const fs::path& file : files_in(dir)) {
      INFO(file.string());
      REQUIRE_NOTHROW(replay(file, false));
    }
  }
}
