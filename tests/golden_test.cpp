// Golden end-to-end outputs (house style, habit 12): every shipped scenario (scenarios/*.yaml and
// the corridor library, scenarios/russia-china/*.yaml, every case of each) and every golden
// fixture (tests/fixtures/golden/*.yaml: features no shipped scenario uses, such as monthly
// resolution) is run through the real binary, and each result CSV (the *_monthly.csv files
// too) is compared with tests/golden/<key>/<file>, where <key> is the file's path under
// scenarios/ without ".yaml" ("minimal", "russia-china/gas-routes"), or "fixtures/<name>",
// CELL BY CELL: the same header, the same number of rows, text cells equal, numeric cells equal
// within |a - b| <= 1e-6 + 1e-9 * max(|a|, |b|) (1e-6 is the flow resolution of the solver; the
// slack absorbs last-digit rounding, nothing more).
// manifest.json is left out: it is the one file with environment-dependent content.
//
// RE-BLESSING, deliberately: when a change is meant to move the numbers, run
//
//   CORRIDOR_UPDATE_GOLDEN=1 build/tests/corridor_tests "[golden]"
//
// from the project root. Instead of comparing, the test then rewrites tests/golden/<key>/*.csv
// from the current binary (and deletes golden CSVs the run no longer produces). Then READ the
// diff (`git diff tests/golden`) and check it against the hand answers at the top of
// scenarios/minimal.yaml, russia-china-gas.yaml, pos2-delay.yaml and the golden fixtures
// before committing it: a
// golden diff is a result for the reviewer, not noise. A new scenario has no goldens yet; the
// test fails and says so until they are blessed the same way.
//
// The hand-checked values below ("#M1", "#R1", "#D1", ...) are asserted directly on a fresh run,
// also in update mode, so wrong numbers cannot be blessed silently.
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "process_helpers.h"

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = CORRIDOR_SOURCE_DIR;
const std::string kBinary = CORRIDOR_BINARY;

constexpr double kAbsTolerance = 1e-6;
constexpr double kRelTolerance = 1e-9;

using corridor::test::read_file;
using corridor::test::ScratchDir;
using corridor::test::shell_quote;

const std::string kScratchPrefix = "corridor_golden_test_";

bool update_mode() {
  const char* v = std::getenv("CORRIDOR_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

/// Runs `corridor run -q SCENARIO -o OUT` from the project root; returns the exit status and
/// puts stderr into `err`.
int run_scenario(const ScratchDir& scratch, const std::string& scenario, const fs::path& out,
                 std::string& err) {
  const fs::path err_file = scratch / "stderr.txt";
  const std::string cmd = "cd " + shell_quote(kRoot.string()) +
                          " && exec env -u CORRIDOR_TEST_FAIL_AFTER_FILES " + shell_quote(kBinary) +
                          " run -q " + shell_quote(scenario) + " -o " + shell_quote(out.string()) +
                          " </dev/null >/dev/null 2>" + shell_quote(err_file.string());
  const int raw = std::system(cmd.c_str());
  err = read_file(err_file);
  return raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

/// RFC 4180: rows of fields; quoted fields may hold commas, quotes ("") and line breaks.
/// Accepts LF or CRLF line ends; a final line end is optional.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, field_started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      field_started = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      field_started = false;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) throw std::runtime_error("csv: unterminated quoted field");
  if (field_started || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

/// The whole of `s` as a finite number, or nothing.
bool parse_number(const std::string& s, double& v) {
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(v);
}

bool numbers_close(double a, double b) {
  return std::fabs(a - b) <= kAbsTolerance + kRelTolerance * std::max(std::fabs(a), std::fabs(b));
}

/// Every difference between the golden and the actual CSV, as readable lines (at most 20).
std::vector<std::string> compare_csv(const std::string& file, const std::string& golden_text,
                                     const std::string& actual_text) {
  const auto golden = parse_csv(golden_text), actual = parse_csv(actual_text);
  std::vector<std::string> diffs;
  if (golden.empty() || actual.empty()) {
    if (golden.size() != actual.size()) diffs.push_back(file + ": one of the files is empty");
    return diffs;
  }
  if (golden[0] != actual[0]) {
    diffs.push_back(file + ": header differs: golden '" +
                    golden_text.substr(0, golden_text.find('\n')) + "', actual '" +
                    actual_text.substr(0, actual_text.find('\n')) + "'");
    return diffs;  // the cells cannot be lined up
  }
  const std::vector<std::string>& header = golden[0];
  if (golden.size() != actual.size()) {
    diffs.push_back(file + ": " + std::to_string(golden.size() - 1) + " data rows in the golden, " +
                    std::to_string(actual.size() - 1) + " now");
  }
  for (std::size_t r = 1; r < std::min(golden.size(), actual.size()) && diffs.size() < 20; ++r) {
    const auto &g = golden[r], &a = actual[r];
    const std::string where = file + " line " + std::to_string(r + 1);
    if (g.size() != a.size() || g.size() != header.size()) {
      diffs.push_back(where + ": " + std::to_string(g.size()) + " cells in the golden, " +
                      std::to_string(a.size()) + " now");
      continue;
    }
    for (std::size_t c = 0; c < g.size(); ++c) {
      if (g[c] == a[c]) continue;
      double gv = 0, av = 0;
      const bool numeric = parse_number(g[c], gv) && parse_number(a[c], av);
      if (numeric && numbers_close(gv, av)) continue;
      diffs.push_back(where + ", column " + header[c] + ": golden '" + g[c] + "', actual '" + a[c] +
                      "'" + (numeric ? "" : " (text)"));
    }
  }
  return diffs;
}

/// CSV files (names) in `dir`; empty if `dir` does not exist.
std::set<std::string> csv_files(const fs::path& dir) {
  std::set<std::string> names;
  if (!fs::is_directory(dir)) return names;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".csv") names.insert(e.path().filename().string());
  }
  return names;
}

/// The shipped scenario files: scenarios/*.yaml, then the corridor library
/// scenarios/russia-china/*.yaml, each group sorted by name.
std::vector<fs::path> shipped_scenarios() {
  std::vector<fs::path> files;
  for (const fs::path& dir : {kRoot / "scenarios", kRoot / "scenarios" / "russia-china"}) {
    std::vector<fs::path> group;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().extension() == ".yaml") group.push_back(e.path());
    }
    std::sort(group.begin(), group.end());
    files.insert(files.end(), group.begin(), group.end());
  }
  return files;
}

/// The golden fixtures, tests/fixtures/golden/*.yaml, sorted by name.
std::vector<fs::path> golden_fixtures() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kRoot / "tests" / "fixtures" / "golden")) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// The golden key of a scenario file: its path under scenarios/ without the extension, or
/// "fixtures/<name>" for a golden fixture.
std::string golden_key(const fs::path& scenario) {
  if (scenario.parent_path() == kRoot / "tests" / "fixtures" / "golden") {
    return "fixtures/" + scenario.stem().string();
  }
  return fs::relative(scenario, kRoot / "scenarios").replace_extension().generic_string();
}

/// A result table read back from a run, with lookups by column values.
class Table {
 public:
  explicit Table(const fs::path& file) : rows_(parse_csv(read_file(file))) {
    if (rows_.empty()) throw std::runtime_error(file.string() + " is empty");
    header_ = rows_.front();
    rows_.erase(rows_.begin());
  }

  /// The cell `column` of the one row matching every (column, value) in `key`.
  std::string text(const std::vector<std::pair<std::string, std::string>>& key,
                   const std::string& column) const {
    const std::vector<std::string>* found = nullptr;
    for (const auto& row : rows_) {
      const bool match = std::all_of(key.begin(), key.end(), [&](const auto& kv) {
        return row.at(col(kv.first)) == kv.second;
      });
      if (!match) continue;
      if (found != nullptr) throw std::runtime_error("more than one row matches");
      found = &row;
    }
    if (found == nullptr) throw std::runtime_error("no row matches");
    return found->at(col(column));
  }
  double number(const std::vector<std::pair<std::string, std::string>>& key,
                const std::string& column) const {
    double v = 0;
    const std::string s = text(key, column);
    if (!parse_number(s, v)) throw std::runtime_error("not a number: " + s);
    return v;
  }
  /// Sum of a numeric column over the rows where `column_eq` equals `value`.
  double sum(const std::string& column, const std::string& key_column,
             const std::string& value) const {
    double total = 0;
    for (const auto& row : rows_) {
      double v = 0;
      if (row.at(col(key_column)) == value && parse_number(row.at(col(column)), v)) total += v;
    }
    return total;
  }
  std::size_t size() const { return rows_.size(); }

 private:
  std::size_t col(const std::string& name) const {
    const auto it = std::find(header_.begin(), header_.end(), name);
    if (it == header_.end()) throw std::runtime_error("no column " + name);
    return static_cast<std::size_t>(it - header_.begin());
  }
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

/// Runs one shipped scenario into `scratch`/out and returns the output directory.
fs::path run_shipped(const ScratchDir& scratch, const std::string& scenario) {
  const fs::path out = scratch / "out";
  std::string err;
  const int status = run_scenario(scratch, scenario, out, err);
  INFO(scenario << ": " << err);
  REQUIRE(status == 0);
  return out;
}

/// A hand answer, compared with the absolute flow resolution (1e-6) plus `slack`: the hand
/// tables round PoS-1's 2024 ramp (38 x 0.81579 = 31.00002) to 31.0.
Approx hand(double v, double slack = 0.0) { return Approx(v).epsilon(0.0).margin(1e-6 + slack); }

}  // namespace

TEST_CASE("golden CSVs of every shipped scenario and golden fixture", "[golden]") {
  std::vector<fs::path> scenarios = shipped_scenarios();
  // minimal, russia-china-gas, pos2-delay, and the library's gas-network, gas-routes, backtest
  REQUIRE(scenarios.size() >= 6);
  const std::vector<fs::path> fixtures = golden_fixtures();
  REQUIRE(fixtures.size() >= 1);  // monthly-retire
  scenarios.insert(scenarios.end(), fixtures.begin(), fixtures.end());
  for (const fs::path& scenario : scenarios) {
    const std::string stem = golden_key(scenario);
    DYNAMIC_SECTION(stem) {
      ScratchDir tmp(kScratchPrefix);
      const fs::path out = tmp / "out";
      std::string err;
      const int status = run_scenario(tmp, fs::relative(scenario, kRoot).string(), out, err);
      INFO(err);
      REQUIRE(status == 0);
      const std::set<std::string> produced = csv_files(out);
      REQUIRE(produced.count("summary.csv") == 1);
      const fs::path golden_dir = kRoot / "tests" / "golden" / stem;

      if (update_mode()) {
        fs::create_directories(golden_dir);
        for (const std::string& stale : csv_files(golden_dir)) {
          if (produced.count(stale) == 0) fs::remove(golden_dir / stale);
        }
        for (const std::string& f : produced) {
          fs::copy_file(out / f, golden_dir / f, fs::copy_options::overwrite_existing);
        }
        WARN("rewrote " << produced.size() << " golden CSVs in " << golden_dir.string()
                        << "; review the diff before committing");
        continue;
      }

      INFO("no or different goldens in " << golden_dir.string()
                                         << "; if the change is intended, re-bless with "
                                            "CORRIDOR_UPDATE_GOLDEN=1 and review the diff");
      REQUIRE(csv_files(golden_dir) == produced);
      for (const std::string& f : produced) {
        const std::vector<std::string> diffs =
            compare_csv(stem + "/" + f, read_file(golden_dir / f), read_file(out / f));
        std::string report;
        for (const std::string& d : diffs) report += d + "\n";
        INFO(report);
        CHECK(diffs.empty());
      }
    }
  }
}

TEST_CASE("golden comparison: cells within tolerance match and others do not", "[golden]") {
  const std::string golden = "a,b,c\nx,1.000000,\"q,\"\"r\"\"\"\n";
  CHECK(compare_csv("t", golden, golden).empty());
  CHECK(compare_csv("t", golden, "a,b,c\nx,1.0000005,\"q,\"\"r\"\"\"\n").empty());
  CHECK(compare_csv("t", golden, "a,b,c\r\nx,1.000000,\"q,\"\"r\"\"\"\r\n").empty());
  CHECK(compare_csv("t", golden, "a,b,c\nx,1.000002,\"q,\"\"r\"\"\"\n").size() == 1);
  CHECK(compare_csv("t", golden, "a,b,c\ny,1.000000,\"q,\"\"r\"\"\"\n").size() == 1);
  CHECK(compare_csv("t", golden, "a,b,d\nx,1.000000,\"q,\"\"r\"\"\"\n").size() == 1);
  CHECK(compare_csv("t", golden, "a,b,c\n").size() == 1);            // a row missing
  CHECK(compare_csv("t", "a\n1e9\n", "a\n1000000000.5\n").empty());  // relative slack
  CHECK(compare_csv("t", "a\n1e9\n", "a\n1000000003\n").size() == 1);
  CHECK(parse_csv("a,\"b\nc\",d\n") == std::vector<std::vector<std::string>>{{"a", "b\nc", "d"}});
}

// minimal.yaml: the table at the top of the file, worked out by hand.
TEST_CASE("hand-checked values: minimal.yaml", "[golden]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = run_shipped(tmp, "scenarios/minimal.yaml");
  const Table summary(out / "summary.csv"), flows(out / "flows.csv"), routes(out / "routes.csv"),
      deliveries(out / "deliveries.csv");
  CHECK(summary.size() == 3);

  // #M1 supplied = delivered = 8, 10, 10; shortfall 0, 0, 2 (the export line takes only 10).
  const std::map<std::string, std::pair<double, double>> delivered_shortfall = {
      {"2030", {8, 0}}, {"2031", {10, 0}}, {"2032", {10, 2}}};
  for (const auto& [year, ds] : delivered_shortfall) {
    INFO("#M1 " << year);
    CHECK(summary.number({{"year", year}}, "supplied") == hand(ds.first));
    CHECK(summary.number({{"year", year}}, "delivered") == hand(ds.first));
    CHECK(summary.number({{"year", year}}, "shortfall") == hand(ds.second));
    CHECK(deliveries.number({{"year", year}, {"node", "city"}}, "shortfall") == hand(ds.second));
  }
  // #M2 cost = volume x (100 supply + 20 export tariff + 2/100km x 250 km) = 1000, 1250, 1250;
  // the shortfall penalty is not part of it.
  CHECK(summary.number({{"year", "2030"}}, "cost_musd") == hand(1000));
  CHECK(summary.number({{"year", "2031"}}, "cost_musd") == hand(1250));
  CHECK(summary.number({{"year", "2032"}}, "cost_musd") == hand(1250));
  CHECK(summary.number({{"year", "2032"}}, "solver_penalty_musd") > 0);
  // #M3 utilisation: export-line 80 %, 100 %, 100 %; import-line 67 %, 83 %, 83 %.
  CHECK(flows.number({{"year", "2030"}, {"pipeline", "export-line"}}, "utilisation") == hand(0.8));
  CHECK(flows.number({{"year", "2032"}, {"pipeline", "export-line"}}, "utilisation") == hand(1.0));
  CHECK(flows.number({{"year", "2030"}, {"pipeline", "import-line"}}, "utilisation") ==
        hand(0.6667));
  CHECK(flows.number({{"year", "2031"}, {"pipeline", "import-line"}}, "utilisation") ==
        hand(0.8333));
  // #M4 route field-to-city: volume 8, 10, 10; capacity min(10, 12) = 10; bottleneck
  // export-line in every year.
  for (const auto& [year, volume] :
       std::map<std::string, double>{{"2030", 8}, {"2031", 10}, {"2032", 10}}) {
    INFO("#M4 " << year);
    const std::vector<std::pair<std::string, std::string>> key = {{"year", year},
                                                                  {"route", "field-to-city"}};
    CHECK(routes.number(key, "volume") == hand(volume));
    CHECK(routes.number(key, "capacity") == hand(10));
    CHECK(routes.text(key, "bottleneck") == "export-line");
  }
  // #M5 energy at the default 38 MJ/m3: 10 bcm = 380 PJ.
  CHECK(summary.number({{"year", "2031"}}, "energy_pj") == hand(380));
}

// russia-china-gas.yaml: the EXPECTED RESULTS table at the top of the file.
TEST_CASE("hand-checked values: russia-china-gas.yaml", "[golden]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = run_shipped(tmp, "scenarios/russia-china-gas.yaml");
  const Table summary(out / "summary.csv"), routes(out / "routes.csv"),
      deliveries(out / "deliveries.csv"), fees(out / "transit_fees.csv"),
      costs(out / "route_costs.csv");
  CHECK(summary.size() == 22);  // 2024-2045

  struct Row {
    int year;
    double pos1, far_east, pos2, ne_china, north_china, yangtze, shortfall, cost;
  };
  // year, route volumes (pos1, far-east, pos2-mongolia), hub deliveries, shortfall, cost.
  const std::vector<Row> table = {
      {2024, 31.0, 0, 0, 25, 6, 0, 134, 3470},  {2025, 38, 0, 0, 25, 13, 0, 127, 4310},
      {2026, 38, 0, 0, 25, 13, 0, 127, 4310},   {2027, 38, 10, 0, 25, 23, 0, 117, 5710},
      {2030, 38, 10, 0, 25, 23, 0, 117, 5710},  {2031, 38, 10, 10, 25, 33, 0, 107, 6610},
      {2032, 38, 10, 20, 25, 43, 0, 97, 7510},  {2033, 38, 10, 30, 25, 53, 0, 87, 8410},
      {2034, 38, 10, 40, 25, 63, 0, 77, 9310},  {2035, 38, 10, 50, 25, 70, 3, 67, 10240},
      {2045, 38, 10, 50, 25, 70, 3, 67, 10240},
  };
  for (const Row& r : table) {
    const std::string y = std::to_string(r.year);
    INFO("#R1 " << y);
    // 2024: PoS-1 at 38 x 0.81579 = 31.00002, which the table rounds to 31.0.
    const double slack = r.year == 2024 ? 1e-4 : 0.0;
    CHECK(routes.number({{"year", y}, {"route", "pos1"}}, "volume") == hand(r.pos1, slack));
    CHECK(routes.number({{"year", y}, {"route", "far-east"}}, "volume") == hand(r.far_east));
    CHECK(routes.number({{"year", y}, {"route", "pos2-mongolia"}}, "volume") == hand(r.pos2));
    CHECK(deliveries.number({{"year", y}, {"node", "ne-china"}}, "delivered") == hand(r.ne_china));
    CHECK(deliveries.number({{"year", y}, {"node", "north-china"}}, "delivered") ==
          hand(r.north_china, slack));
    CHECK(deliveries.number({{"year", y}, {"node", "yangtze-delta"}}, "delivered") ==
          hand(r.yangtze));
    CHECK(summary.number({{"year", y}}, "shortfall") == hand(r.shortfall, slack));
    CHECK(summary.number({{"year", y}}, "demand") == hand(165));
    // Cost in million USD; 2024 carries the 0.00002 bcm x 110 USD/kcm of the rounded ramp.
    CHECK(summary.number({{"year", y}}, "cost_musd") == hand(r.cost, slack * 100));
  }
  // #R2 default scenario, 2035: pos2-mongolia at its full 50 bcm; on the tie at 100 % the
  // bottleneck is the first pipeline along the route. While soyuz-vostok ramps, it binds.
  CHECK(routes.number({{"year", "2035"}, {"route", "pos2-mongolia"}}, "volume") == hand(50));
  CHECK(routes.text({{"year", "2035"}, {"route", "pos2-mongolia"}}, "bottleneck") == "pos2-russia");
  CHECK(routes.text({{"year", "2033"}, {"route", "pos2-mongolia"}}, "bottleneck") ==
        "soyuz-vostok");
  // #R3 before PoS-2 is online the route has no capacity and no bottleneck.
  CHECK(routes.number({{"year", "2030"}, {"route", "pos2-mongolia"}}, "capacity") == hand(0));
  CHECK(routes.text({{"year", "2030"}, {"route", "pos2-mongolia"}}, "bottleneck").empty());
  // #R4 (issue 9) Mongolia's 20 USD/kcm on soyuz-vostok is a transit fee, paid to Mongolia:
  // 2035, 50 bcm x 20 = 1000 MUSD in transit_fees.csv and in the route's transit fees. The
  // route stops at the Chinese border (issue 10, README): pos2-china's tariff (10 x 50 = 500)
  // is no longer the route's, and the Russian and Mongolian sections carry no tariff, so the
  // route's tariffs are 0 and its total is the fee, 1000.
  const std::vector<std::pair<std::string, std::string>> mongolia = {{"year", "2035"},
                                                                     {"country", "Mongolia"}};
  CHECK(fees.number(mongolia, "volume") == hand(50));
  CHECK(fees.number(mongolia, "fees_musd") == hand(1000));
  const std::vector<std::pair<std::string, std::string>> pos2 = {{"year", "2035"},
                                                                 {"route", "pos2-mongolia"}};
  CHECK(costs.number(pos2, "transit_fee_musd") == hand(1000));
  CHECK(costs.number(pos2, "tariff_musd") == hand(0));
  CHECK(costs.number(pos2, "total_cost_musd") == hand(1000));
}

// pos2-delay.yaml: the pos2-mongolia table at the top of the file.
TEST_CASE("hand-checked values: pos2-delay.yaml", "[golden]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = run_shipped(tmp, "scenarios/pos2-delay.yaml");
  const Table summary(out / "summary.csv"), routes(out / "routes.csv");
  CHECK(summary.size() == 2 * 22);

  // #D1 pos2-mongolia volume per case, 2031-2039.
  const std::vector<double> on_time = {10, 20, 30, 40, 50, 50, 50, 50, 50};
  const std::vector<double> delayed = {0, 0, 0, 0, 10, 20, 30, 40, 50};
  for (int i = 0; i < 9; ++i) {
    const std::string y = std::to_string(2031 + i);
    INFO("#D1 " << y);
    CHECK(routes.number({{"case", "on-time"}, {"year", y}, {"route", "pos2-mongolia"}}, "volume") ==
          hand(on_time[i]));
    CHECK(routes.number({{"case", "delay-2035"}, {"year", y}, {"route", "pos2-mongolia"}},
                        "volume") == hand(delayed[i]));
  }
  // #D2 the delay loses 10+20+30+40 + 40+30+20+10 = 200 bcm of deliveries over the horizon.
  CHECK(summary.sum("delivered", "case", "on-time") -
            summary.sum("delivered", "case", "delay-2035") ==
        hand(200));
  // #D3 the other routes do not depend on the case: pos1 31.0 then 38, far-east 10 from 2027.
  for (const std::string c : {"on-time", "delay-2035"}) {
    INFO("#D3 " << c);
    CHECK(routes.number({{"case", c}, {"year", "2024"}, {"route", "pos1"}}, "volume") ==
          hand(31.0, 1e-4));
    CHECK(routes.number({{"case", c}, {"year", "2033"}, {"route", "pos1"}}, "volume") == hand(38));
    CHECK(routes.number({{"case", c}, {"year", "2027"}, {"route", "far-east"}}, "volume") ==
          hand(10));
    CHECK(routes.number({{"case", c}, {"year", "2026"}, {"route", "far-east"}}, "volume") ==
          hand(0));
  }
}

// pos2-delay.yaml's `on-time` alternative changes nothing, so its rows must be those of the
// default scenario, file by file and cell by cell (after the scenario and case columns).
TEST_CASE("pos2-delay on-time equals russia-china-gas", "[golden]") {
  ScratchDir a(kScratchPrefix), b(kScratchPrefix);
  const fs::path delay = run_shipped(a, "scenarios/pos2-delay.yaml");
  const fs::path base = run_shipped(b, "scenarios/russia-china-gas.yaml");
  for (const std::string f :
       {"flows.csv", "deliveries.csv", "supplies.csv", "routes.csv", "summary.csv"}) {
    INFO("#D4 " << f);
    std::string on_time, default_rows;
    for (const auto& row : parse_csv(read_file(delay / f))) {
      if (row.at(1) != "on-time") continue;
      for (std::size_t c = 2; c < row.size(); ++c)
        on_time += row[c] + (c + 1 < row.size() ? "," : "\n");
    }
    const auto rows = parse_csv(read_file(base / f));
    for (std::size_t r = 1; r < rows.size(); ++r) {
      for (std::size_t c = 2; c < rows[r].size(); ++c) {
        default_rows += rows[r][c] + (c + 1 < rows[r].size() ? "," : "\n");
      }
    }
    CHECK_FALSE(on_time.empty());
    CHECK(on_time == default_rows);
  }
}

// tests/fixtures/golden/monthly-retire.yaml: #G1-#G5 at the top of the file (issue 19).
TEST_CASE("hand-checked values: the monthly golden fixture monthly-retire.yaml", "[golden]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = run_shipped(tmp, "tests/fixtures/golden/monthly-retire.yaml");
  const Table deliveries(out / "deliveries.csv"), routes(out / "routes.csv"),
      costs(out / "route_costs.csv"), routes_monthly(out / "routes_monthly.csv");
  const double d = 1.0 / 365;
  // #G1
  CHECK(deliveries.number({{"year", "2030"}}, "delivered") == hand(3 * 273 * d));
  CHECK(deliveries.number({{"year", "2030"}}, "shortfall") == hand(12 - 3 * 273 * d));
  // #G2: the capacity the months really had, and the utilisation that goes with it.
  const std::vector<std::pair<std::string, std::string>> old_2030 = {{"year", "2030"},
                                                                     {"route", "old-route"}},
                                                         new_2030 = {{"year", "2030"},
                                                                     {"route", "new-route"}};
  CHECK(routes.number(old_2030, "volume") == hand(3 * 181 * d));
  CHECK(routes.number(old_2030, "capacity") == hand(3 * 181 * d));  // 1.487671, not 3.000
  CHECK(routes.text(old_2030, "utilisation") == "1.0000");
  CHECK(routes.number(new_2030, "capacity") == hand(3 * 92 * d));  // 0.756164, not 1.512329
  CHECK(routes.text(new_2030, "utilisation") == "1.0000");
  // The annual capacity is the sum of the months: 0 from July on old-route, until October on
  // new-route.
  double old_months = 0, new_months = 0;
  for (int m = 1; m <= 12; ++m) {
    const std::string month = std::to_string(m);
    old_months += routes_monthly.number(
        {{"year", "2030"}, {"month", month}, {"route", "old-route"}}, "capacity");
    new_months += routes_monthly.number(
        {{"year", "2030"}, {"month", month}, {"route", "new-route"}}, "capacity");
  }
  CHECK(old_months == hand(3 * 181 * d, 6e-6));  // twelve cells of 6 decimals
  CHECK(new_months == hand(3 * 92 * d, 6e-6));
  CHECK(routes_monthly.number({{"year", "2030"}, {"month", "7"}, {"route", "old-route"}},
                              "capacity") == hand(0));
  // #G3
  CHECK(costs.number(new_2030, "capital_musd") == hand(10 * 92 * d, 5e-4));  // 3 decimals
  CHECK(costs.number(new_2030, "total_cost_musd") == hand(7 * 3 * 92 * d + 10 * 92 * d, 5e-4));
  CHECK(costs.text(new_2030, "levelised_cost") == "10.333");
  CHECK(costs.text(old_2030, "levelised_cost") == "5.000");
  // #G4
  const std::vector<std::pair<std::string, std::string>> old_2031 = {{"year", "2031"},
                                                                     {"route", "old-route"}},
                                                         new_2031 = {{"year", "2031"},
                                                                     {"route", "new-route"}};
  CHECK(routes.number(old_2031, "capacity") == hand(0));
  CHECK(routes.text(old_2031, "bottleneck") == "old-line");
  CHECK(routes.number(new_2031, "volume") == hand(3));
  CHECK(routes.number(new_2031, "capacity") == hand(3));
  // #G5
  CHECK(costs.number(new_2031, "total_cost_musd") == hand(31));
  CHECK(costs.text(new_2031, "levelised_cost") == "10.333");
  CHECK(costs.text(old_2031, "levelised_cost").empty());
}
