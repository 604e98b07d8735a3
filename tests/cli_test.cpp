// End-to-end tests of the `corridor` command line: the real binary (CORRIDOR_BINARY) is run
// through the shell from the project root, with stdout and stderr redirected to files in a
// fresh temporary directory, and its exit status, output streams and result files are checked
// against the contract: exit codes 0/1/2, the CSV headers and row counts, manifest.json, "nothing
// written" on errors, atomic replacement of the output directory, determinism, and stdout for
// results versus stderr for progress and diagnostics.
//
// Fixtures live in tests/fixtures/cli/; each says at its top what it is for.
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "corridor/scenario.h"
#include "corridor/scenario_io.h"
#include "corridor/sha256.h"
#include "corridor/version.h"
#include "process_helpers.h"

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = CORRIDOR_SOURCE_DIR;
const std::string kBinary = CORRIDOR_BINARY;

const std::vector<std::string> kShippedScenarios = {
    "scenarios/minimal.yaml", "scenarios/russia-china-gas.yaml", "scenarios/pos2-delay.yaml"};

// The CSV contract: file name -> exact header row.
const std::map<std::string, std::string> kContractHeaders = {
    {"flows.csv",
     "scenario,case,year,commodity,pipeline,from,to,flow,capacity,utilisation,unit,capital_musd,"
     "opex_musd"},
    {"deliveries.csv",
     "scenario,case,year,commodity,node,priority,demand,delivered,shortfall,unit,country,"
     "contracted"},
    {"supplies.csv",
     "scenario,case,year,commodity,node,available,used,unit,country,kind,contracted"},
    {"routes.csv",
     "scenario,case,year,commodity,route,volume,capacity,utilisation,bottleneck,unit"},
    {"summary.csv",
     "scenario,case,year,commodity,supplied,delivered,shortfall,cost_musd,unit,energy_pj,demand,"
     "capital_musd,opex_musd,total_cost_musd,solver_penalty_musd,status,take_or_pay_musd"},
    {"route_costs.csv",
     "scenario,case,year,commodity,route,volume,unit,capital_musd,opex_musd,tariff_musd,"
     "transit_fee_musd,total_cost_musd,levelised_cost,cost_unit,levelised_cost_usd_per_gj,"
     "levelised_cost_usd_per_bbl"},
    {"transit_fees.csv", "scenario,case,year,commodity,country,volume,unit,fees_musd"},
};

// Economics files are annual only (csv.h): no *_monthly.csv counterpart, and flows_monthly.csv
// has no cost columns.
const std::set<std::string> kAnnualOnly = {"route_costs.csv", "transit_fees.csv"};

using corridor::test::read_file;
using corridor::test::ScratchDir;
using corridor::test::shell_quote;
using corridor::test::write_file;

const std::string kScratchPrefix = "corridor_cli_test_";

struct Outcome {
  int status = -1;  ///< exit code; 128 + signal if the process was killed
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

/// Runs `corridor ARGS...` from the project root with stdin from /dev/null and stdout/stderr
/// captured in files in `scratch`. `env` is a list of NAME=value settings for this run only;
/// the failure hook is always cleared first so a stray setting cannot leak in.
Outcome run_cli(const ScratchDir& scratch, const std::vector<std::string>& args,
                const std::vector<std::string>& env = {}) {
  const fs::path out = scratch / "stdout.txt", err = scratch / "stderr.txt";
  std::string cmd = "cd " + shell_quote(kRoot.string()) +
                    " && exec env -u CORRIDOR_TEST_FAIL_AFTER_FILES -u CORRIDOR_UPDATE_GOLDEN"
                    " -u CORRIDOR_TEST_WRITE_DELAY_MS";
  for (const std::string& e : env) cmd += " " + shell_quote(e);
  cmd += " " + shell_quote(kBinary);
  for (const std::string& a : args) cmd += " " + shell_quote(a);
  cmd += " </dev/null >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string());
  const int raw = std::system(cmd.c_str());
  Outcome o;
  if (raw != -1 && WIFEXITED(raw)) o.status = WEXITSTATUS(raw);
  if (raw != -1 && WIFSIGNALED(raw)) o.status = 128 + WTERMSIG(raw);
  o.out = read_file(out);
  o.err = read_file(err);
  fs::remove(out);
  fs::remove(err);
  return o;
}

/// The digest `sha256sum` prints for `file`, or "" when the tool is not installed: an
/// independent check of corridor::sha256_hex on the real file.
std::string system_sha256(const ScratchDir& scratch, const fs::path& file) {
  const fs::path out = scratch / "sha256sum.txt";
  const std::string cmd = "command -v sha256sum >/dev/null && sha256sum " +
                          shell_quote(file.string()) + " >" + shell_quote(out.string());
  if (std::system(cmd.c_str()) != 0) return "";
  const std::string line = read_file(out);
  fs::remove(out);
  return line.substr(0, line.find(' '));
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) parts.push_back(cur);
  return parts;
}

/// A result CSV. The result files of these scenarios have no quoted fields, so a plain split
/// is enough here (golden_test.cpp has the full RFC 4180 reader).
struct Csv {
  std::string header;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;

  std::size_t col(const std::string& name) const {
    const auto it = std::find(columns.begin(), columns.end(), name);
    if (it == columns.end()) throw std::runtime_error("no column " + name);
    return static_cast<std::size_t>(it - columns.begin());
  }
  /// Distinct values of a column, sorted.
  std::set<std::string> values(const std::string& name) const {
    std::set<std::string> v;
    for (const auto& r : rows) v.insert(r.at(col(name)));
    return v;
  }
  /// Rows whose column `name` equals `value`.
  std::size_t count(const std::string& name, const std::string& value) const {
    return static_cast<std::size_t>(std::count_if(
        rows.begin(), rows.end(), [&](const auto& r) { return r.at(col(name)) == value; }));
  }
};

Csv read_csv(const fs::path& p) {
  const std::vector<std::string> lines = split(read_file(p), '\n');
  Csv c;
  if (lines.empty()) return c;
  c.header = lines[0];
  c.columns = split(lines[0], ',');
  for (std::size_t i = 1; i < lines.size(); ++i) {
    c.rows.push_back(split(lines[i], ','));
    // getline drops an empty last field ("a,b," is two parts): put it back.
    if (!lines[i].empty() && lines[i].back() == ',') c.rows.back().emplace_back();
  }
  return c;
}

/// Every regular file in `dir` (names only, sorted).
std::set<std::string> file_names(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

/// Path relative to `dir` -> SHA-256 of its bytes, for every file under `dir` (a directory
/// maps to "dir", so an empty one counts too).
std::map<std::string, std::string> checksums(const fs::path& dir) {
  std::map<std::string, std::string> sums;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string name = fs::relative(e.path(), dir).string();
    sums[name] = e.is_directory() ? "dir" : corridor::sha256_hex(read_file(e.path()));
  }
  return sums;
}

/// Entries of `parent` that look like a writer's temporary directory for `target`
/// (".<basename>.tmp..."), which a finished run, failed or not, must not leave behind.
std::vector<std::string> leftover_temp_dirs(const fs::path& parent, const std::string& target) {
  std::vector<std::string> left;
  const std::string prefix = "." + target + ".tmp";
  for (const auto& e : fs::directory_iterator(parent)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0) left.push_back(name);
  }
  return left;
}

const std::set<std::string> kAnnualFiles = {"flows.csv",        "deliveries.csv", "supplies.csv",
                                            "routes.csv",       "summary.csv",    "route_costs.csv",
                                            "transit_fees.csv", "manifest.json"};

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool has_line_starting_with(const std::string& text, const std::string& prefix) {
  for (const std::string& line : split(text, '\n')) {
    if (line.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("run writes every contract file with the contract header and one row per entity",
          "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "out";
  const Outcome r = run_cli(tmp, {"run", "scenarios/minimal.yaml", "-o", out.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  // Yearly resolution: the seven annual CSVs and the manifest, nothing else.
  CHECK(file_names(out) == kAnnualFiles);

  for (const auto& [file, header] : kContractHeaders) {
    INFO(file);
    const Csv csv = read_csv(out / file);
    CHECK(csv.header == header);
    for (const auto& row : csv.rows) CHECK(row.size() == csv.columns.size());
    CHECK(read_file(out / file).back() == '\n');
  }
  // minimal.yaml: 3 years (2030-2032) x {2 pipelines, 1 demand, 1 supply, 1 route, 1 summary}.
  CHECK(read_csv(out / "route_costs.csv").rows.size() == 3);
  CHECK(read_csv(out / "flows.csv").rows.size() == 6);
  CHECK(read_csv(out / "deliveries.csv").rows.size() == 3);
  CHECK(read_csv(out / "supplies.csv").rows.size() == 3);
  CHECK(read_csv(out / "routes.csv").rows.size() == 3);
  CHECK(read_csv(out / "summary.csv").rows.size() == 3);
  CHECK(read_csv(out / "summary.csv").values("year") ==
        std::set<std::string>{"2030", "2031", "2032"});
}

TEST_CASE("run with monthly resolution also writes the monthly CSV files", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "out";
  const Outcome r =
      run_cli(tmp, {"run", "tests/fixtures/cli/monthly.yaml", "-o", out.string(), "-q"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  std::set<std::string> expected = kAnnualFiles;
  for (const std::string f : {"flows", "deliveries", "supplies", "routes", "summary"}) {
    expected.insert(f + "_monthly.csv");
  }
  CHECK(file_names(out) == expected);
  for (const auto& [file, header] : kContractHeaders) {
    if (kAnnualOnly.count(file)) continue;
    const std::string monthly = file.substr(0, file.size() - 4) + "_monthly.csv";
    INFO(monthly);
    const Csv csv = read_csv(out / monthly);
    // The monthly header is the annual one with `month` after `year`, without the fixed-cost
    // columns (economics are annual).
    std::string annual = header.substr(19);
    for (const std::string column : {",capital_musd", ",opex_musd", ",total_cost_musd"}) {
      if (const auto at = annual.find(column); at != std::string::npos) {
        annual.erase(at, column.size());
      }
    }
    CHECK(csv.header == "scenario,case,year,month," + annual);
    CHECK(csv.values("month").size() == 12);
  }
  CHECK(read_csv(out / "flows_monthly.csv").rows.size() == 12);  // 1 pipeline x 12 months
  CHECK(read_csv(out / "summary.csv").rows.size() == 1);         // the annual total
}

TEST_CASE("run writes manifest.json with version and command line and input hashes and time",
          "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "out";

  SECTION("one file") {
    const Outcome r = run_cli(tmp, {"run", "scenarios/minimal.yaml", "-o", out.string()});
    REQUIRE(r.status == 0);
    const std::string m = read_file(out / "manifest.json");
    INFO(m);
    CHECK(contains(m, "\"version\": \"" + std::string(corridor::kVersion) + "\""));
    CHECK(contains(m, "\"command_line\": \"" + kBinary + " run scenarios/minimal.yaml -o " +
                          out.string() + "\""));
    // The sha256 of the input as `sha256sum scenarios/minimal.yaml` prints it.
    const std::string sha = corridor::sha256_hex(read_file(kRoot / "scenarios/minimal.yaml"));
    if (const std::string tool = system_sha256(tmp, kRoot / "scenarios/minimal.yaml");
        !tool.empty()) {
      CHECK(sha == tool);
    }
    const nlohmann::json j = nlohmann::json::parse(m);
    CHECK(
        j["inputs"][0]["files"] ==
        nlohmann::json::parse(R"([{"path": "scenarios/minimal.yaml", "sha256": ")" + sha + "\"}]"));
    CHECK(std::regex_search(m, std::regex("\"resolved_sha256\": \"[0-9a-f]{64}\"")));
    CHECK(std::regex_search(
        m, std::regex("\"created_utc\": \"20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:"
                      "[0-6][0-9]Z\"")));
    CHECK(j["inputs"][0]["cases"] == nlohmann::json::parse(R"(["base"])"));
    // Every file written, the manifest included: what a later run may replace.
    CHECK(j["outputs"] ==
          nlohmann::json::parse(R"(["flows.csv", "deliveries.csv", "supplies.csv", "routes.csv",
              "summary.csv", "route_costs.csv", "transit_fees.csv", "manifest.json"])"));
  }

  SECTION("a file that extends another lists both, with their hashes") {
    const Outcome r = run_cli(tmp, {"run", "scenarios/pos2-delay.yaml", "-o", out.string()});
    REQUIRE(r.status == 0);
    const std::string m = read_file(out / "manifest.json");
    INFO(m);
    const nlohmann::json j = nlohmann::json::parse(m);
    nlohmann::json files = nlohmann::json::array();
    for (const std::string f : {"scenarios/pos2-delay.yaml", "scenarios/russia-china-gas.yaml"}) {
      files.push_back({{"path", f}, {"sha256", corridor::sha256_hex(read_file(kRoot / f))}});
    }
    CHECK(j["inputs"][0]["files"] == files);
    CHECK(j["inputs"][0]["cases"] == nlohmann::json::parse(R"(["on-time", "delay-2035"])"));
  }
}

TEST_CASE("fail-on-shortfall turns a shortfall into exit 1 and still writes results", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "out";

  SECTION("minimal.yaml is 2 bcm short in 2032: exit 1 with the flag") {
    const Outcome r =
        run_cli(tmp, {"run", "scenarios/minimal.yaml", "--fail-on-shortfall", "-o", out.string()});
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(file_names(out) == kAnnualFiles);
    CHECK(contains(r.out, "minimal / base"));  // the summary is still printed
  }
  SECTION("without the flag the shortfall is a result, not a failure: exit 0") {
    const Outcome r = run_cli(tmp, {"run", "scenarios/minimal.yaml", "-o", out.string()});
    CHECK(r.status == 0);
    CHECK(file_names(out) == kAnnualFiles);
  }
  SECTION("with the flag and every demand met: exit 0") {
    const Outcome r = run_cli(tmp, {"run", "tests/fixtures/cli/no-shortfall.yaml",
                                    "--fail-on-shortfall", "-o", out.string()});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(file_names(out) == kAnnualFiles);
  }
}

TEST_CASE("capacity writes capacity.csv and the manifest, prints the table and the notes",
          "[cli][capacity]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "out";
  const Outcome r =
      run_cli(tmp, {"capacity", "tests/fixtures/capacity/line.yaml", "-o", out.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(file_names(out) == std::set<std::string>{"capacity.csv", "manifest.json"});
  const Csv csv = read_csv(out / "capacity.csv");
  CHECK(csv.header ==
        "scenario,case,year,commodity,pipeline_or_route,paper_capacity,physical_capacity,unit,"
        "ratio,stations,stations_needed,power_mw,fuel_share,limit");
  // 2 years x (trunk1, trunk2, the route, crude).
  CHECK(csv.rows.size() == 8);
  CHECK(csv.values("pipeline_or_route") ==
        std::set<std::string>{"crude", "field-city", "trunk1", "trunk2"});
  CHECK(csv.values("unit") == std::set<std::string>{"Mt/y", "bcm/y"});
  CHECK(contains(r.out, "pipeline or route"));
  CHECK(contains(r.err, "note: pipeline 'trunk1': no roughness, 0.012 mm assumed (GasLib's)"));

  // -q: only warnings and errors, as for every command (issue 9): no table, no notes; the
  // same capacity.csv.
  const fs::path quiet = tmp / "quiet";
  const Outcome q =
      run_cli(tmp, {"capacity", "tests/fixtures/capacity/line.yaml", "-o", quiet.string(), "-q"});
  REQUIRE(q.status == 0);
  CHECK(q.out.empty());
  CHECK(q.err.empty());
  CHECK(read_file(quiet / "capacity.csv") == read_file(out / "capacity.csv"));

  // A bad file: exit 2, and nothing written.
  const fs::path out2 = tmp / "out2";
  const Outcome bad =
      run_cli(tmp, {"capacity", "tests/fixtures/capacity/bad.yaml", "-o", out2.string()});
  CHECK(bad.status == 2);
  CHECK(contains(bad.err,
                 "bad.yaml:14:15: error: the stations of pipeline 'nolength' need its "
                 "'length'"));
  CHECK_FALSE(fs::exists(out2));
}

TEST_CASE("capacity --apply also writes the dispatch with physics", "[cli][capacity]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "out";
  const Outcome r = run_cli(
      tmp, {"capacity", "--apply", "tests/fixtures/capacity/line.yaml", "-o", out.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  std::set<std::string> expected = kAnnualFiles;
  expected.insert("capacity.csv");
  CHECK(file_names(out) == expected);
  // The fuel withdrawals are markets of their own in deliveries.csv.
  CHECK(read_csv(out / "deliveries.csv").values("node") ==
        std::set<std::string>{"city", "fuel:trunk1", "fuel:trunk2", "refinery"});
  CHECK(contains(r.err, "dispatched 5 time(s) with physical capacities and fuel"));
}

TEST_CASE("hydraulics writes hydraulics.csv and hydraulics_nodes.csv", "[cli][hydraulics]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path yaml = tmp / "g11.yaml", out = tmp / "out";
  // import-gaslib prints the scenario, or writes it with -o.
  const Outcome printed =
      run_cli(tmp, {"import-gaslib", "tests/data/gaslib/GasLib-11/GasLib-11.net",
                    "tests/data/gaslib/GasLib-11/GasLib-11.scn"});
  REQUIRE(printed.status == 0);
  CHECK(
      printed.out.starts_with("# Written by corridor import-gaslib from GasLib-11.net and "
                              "GasLib-11.scn\n"));
  const Outcome imported =
      run_cli(tmp, {"import-gaslib", "tests/data/gaslib/GasLib-11/GasLib-11.net",
                    "tests/data/gaslib/GasLib-11/GasLib-11.scn", "-o", yaml.string()});
  INFO(imported.err);
  REQUIRE(imported.status == 0);
  CHECK(read_file(yaml) == printed.out);
  const Outcome r = run_cli(tmp, {"hydraulics", yaml.string(), "-o", out.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(file_names(out) ==
        std::set<std::string>{"hydraulics.csv", "hydraulics_nodes.csv", "manifest.json"});
  const Csv e = read_csv(out / "hydraulics.csv");
  CHECK(e.header ==
        "scenario,case,year,status,element,type,from,to,flow_mcm_per_d,flow_kg_per_s,"
        "pressure_from_bar,pressure_to_bar,pressure_drop_bar,velocity_m_per_s,ratio,power_mw,"
        "fuel_mcm_per_d,violations");
  CHECK(e.rows.size() == 11);  // 8 pipes, a valve, 2 stations
  CHECK(e.values("status") == std::set<std::string>{"converged"});
  CHECK(e.values("type") == std::set<std::string>{"compressor", "pipe", "valve"});
  // GasLib-11 at the max-outlet rule (tests/gaslib_test.cpp): CS02 would throttle.
  CHECK(e.values("violations") == std::set<std::string>{"", "station-would-throttle"});
  const Csv n = read_csv(out / "hydraulics_nodes.csv");
  CHECK(n.header ==
        "scenario,case,year,status,node,height_m,pressure_bar,min_pressure_bar,max_pressure_bar,"
        "injection_mcm_per_d,injection_kg_per_s,violations");
  CHECK(n.rows.size() == 11);
  CHECK(n.values("violations") ==
        std::set<std::string>{"", "pressure-above-max 72.77 > 70.00 bar"});
  CHECK(contains(r.out, "converged"));
  const fs::path quiet = tmp / "quiet";
  const Outcome q = run_cli(tmp, {"hydraulics", yaml.string(), "-o", quiet.string(), "--quiet"});
  REQUIRE(q.status == 0);
  CHECK(q.out.empty());  // -q: no table (issue 9)
  CHECK(q.err.empty());
  CHECK(read_file(quiet / "hydraulics.csv") == read_file(out / "hydraulics.csv"));

  // A file corridor did not write is never replaced.
  write_file(tmp / "mine.yaml", "name: mine\n");
  const Outcome refused = run_cli(
      tmp, {"import-gaslib", "tests/data/gaslib/GasLib-11/GasLib-11.net",
            "tests/data/gaslib/GasLib-11/GasLib-11.scn", "-o", (tmp / "mine.yaml").string()});
  CHECK(refused.status == 2);
  CHECK(contains(refused.err, "refusing to replace a file corridor did not write"));
  CHECK(read_file(tmp / "mine.yaml") == "name: mine\n");
  // One file only: a usage error.
  const Outcome one = run_cli(tmp, {"import-gaslib", "tests/data/gaslib/GasLib-11/GasLib-11.net"});
  CHECK(one.status == 2);
  CHECK(contains(one.err,
                 "corridor: error: import-gaslib takes two files, the network (.net) "
                 "and the nomination (.scn)"));
  // A bad GasLib file: located, exit 2.
  const Outcome bad = run_cli(tmp, {"import-gaslib", "tests/data/gaslib/GasLib-11/GasLib-11.scn",
                                    "tests/data/gaslib/GasLib-11/GasLib-11.scn"});
  CHECK(bad.status == 2);
  CHECK(contains(bad.err, "GasLib-11.scn:"));
}

TEST_CASE("compressibility laws on hydraulics and capacity: papay, aga88, aga8-gross, constant=Z",
          "[cli][hydraulics][aga8]") {
  ScratchDir tmp(kScratchPrefix);
  const std::string f = "tests/fixtures/capacity/line.yaml";
  // Every law runs on both commands and gives its own numbers; the default is Papay.
  std::map<std::string, std::string> hyd, cap;
  for (const std::string law : {"", "papay", "aga88", "aga8-gross", "constant=0.9"}) {
    const fs::path h = tmp / ("h" + law), c = tmp / ("c" + law);
    std::vector<std::string> ha = {"hydraulics", f, "-q", "-o", h.string()};
    std::vector<std::string> ca = {"capacity", f, "-q", "-o", c.string()};
    if (!law.empty()) {
      for (auto* v : {&ha, &ca}) v->insert(v->end(), {"--compressibility", law});
    }
    const Outcome rh = run_cli(tmp, ha), rc = run_cli(tmp, ca);
    INFO(law << ": " << rh.err << rc.err);
    REQUIRE(rh.status == 0);
    REQUIRE(rc.status == 0);
    hyd[law] = read_file(h / "hydraulics.csv");
    cap[law] = read_file(c / "capacity.csv");
  }
  CHECK(hyd[""] == hyd["papay"]);
  CHECK(cap[""] == cap["papay"]);
  for (const std::string law : {"aga88", "aga8-gross", "constant=0.9"}) {
    INFO(law);
    CHECK(hyd[law] != hyd["papay"]);
    CHECK(cap[law] != cap["papay"]);
  }
  // Spellings that are refused, each with what to try.
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"aga",
       "--compressibility: 'aga' is ambiguous now that AGA-8 gross is a choice; did you mean "
       "'aga88' (the AGA-88 formula, what 'aga' meant before) or 'aga8-gross' (AGA Report No. 8, "
       "gross method)"},
      {"constant", "--compressibility: 'constant' needs its z, for example 'constant=0.9'"},
      {"constant=0.9x",
       "--compressibility: the constant z must be a number above 0 and at most 2, got '0.9x'; "
       "for example 'constant=0.9'"},
      {"constant=0",
       "--compressibility: the constant z must be a number above 0 and at most 2, got '0'; for "
       "example 'constant=0.9'"},
      {"papy",
       "--compressibility: unknown law 'papy'; did you mean 'papay'? expected papay, aga88, "
       "aga8-gross or constant=Z"}};
  for (const std::string cmd : {"hydraulics", "capacity"}) {
    for (const auto& [value, message] : bad) {
      const fs::path out = tmp / "refused";
      const Outcome r = run_cli(tmp, {cmd, f, "--compressibility", value, "-o", out.string()});
      INFO(r.err);
      CHECK(r.status == 2);
      CHECK(r.err ==
            "corridor: error: " + message + "; run 'corridor " + cmd + " --help' for usage\n");
      CHECK_FALSE(fs::exists(out));
    }
  }
  // AGA-8 gross inputs that contradict each other: located at commodities.gas, nothing written.
  write_file(
      tmp / "heavy.yaml",
      "name: heavy\n"
      "horizon: {start: 2030, end: 2030}\n"
      "commodities:\n"
      "  gas: {molar_mass: 16 kg/kmol, heating_value: 45 MJ/m3}\n"
      "nodes:\n"
      "  - {id: a, kind: supply, capacity: 10 bcm/y, cost: 1 USD/kcm, pressure: 70 bar}\n"
      "  - {id: b, kind: demand, demand: 5 bcm/y}\n"
      "pipelines:\n"
      "  - {id: p, from: a, to: b, capacity: 10 bcm/y, length: 100 km, diameter: 1000 mm}\n");
  const fs::path out = tmp / "heavy-out";
  const Outcome r = run_cli(tmp, {"hydraulics", (tmp / "heavy.yaml").string(), "--compressibility",
                                  "aga8-gross", "-o", out.string()});
  CHECK(r.status == 2);
  CHECK(contains(r.err,
                 "heavy.yaml:4:8: error: --compressibility aga8-gross: case 'base': "
                 "AGA-8 gross: the molar mass 16 g/mol, heating value 45 MJ/m3 and CO2 "
                 "fraction 0 contradict each other: they imply a nitrogen fraction of -"));
  CHECK(contains(r.err,
                 "; check commodities.gas: molar_mass (or relative_density), "
                 "heating_value and co2_fraction; or give n2_fraction, for Method 2"));
  CHECK_FALSE(fs::exists(out));
  // The same file with Papay is fine (z does not need the heating value there).
  CHECK(run_cli(tmp, {"hydraulics", (tmp / "heavy.yaml").string(), "-q", "-o", out.string()})
            .status == 0);
}

TEST_CASE("usage and input errors exit 2 and write nothing", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "out";
  const std::string o = out.string();
  Outcome r;
  std::string expect;  // a regex that stderr must contain

  SECTION("a missing file") {
    r = run_cli(tmp, {"run", "tests/fixtures/cli/no-such-file.yaml", "-o", o});
    expect = R"(tests/fixtures/cli/no-such-file\.yaml:1:1: error: cannot read scenario file)";
  }
  SECTION("a file with a schema error") {
    r = run_cli(tmp, {"run", "tests/fixtures/cli/bad-units.yaml", "-o", o});
    expect = R"(tests/fixtures/cli/bad-units\.yaml:16:15: error: .*missing unit in '10')";
  }
  SECTION("a file with reference errors") {
    r = run_cli(tmp, {"run", "tests/fixtures/cli/bad-reference.yaml", "-o", o});
    expect = R"(tests/fixtures/cli/bad-reference\.yaml:13:11: error: .*did you mean 'field'\?)";
  }
  SECTION("a good file and a bad one: nothing of the good one is written either") {
    r = run_cli(tmp,
                {"run", "scenarios/minimal.yaml", "tests/fixtures/cli/bad-units.yaml", "-o", o});
    expect = R"(bad-units\.yaml:16:15: error: )";
  }
  SECTION("a warning under --strict") {
    r = run_cli(tmp, {"run", "--strict", "tests/fixtures/cli/warn-unreachable.yaml", "-o", o});
    expect = R"(warn-unreachable\.yaml:9:5: error: demand node 'island' cannot be reached)";
  }
  SECTION("the same scenario name twice: at the second file's `name:`") {
    r = run_cli(tmp, {"run", "scenarios/minimal.yaml", "scenarios/minimal.yaml", "-o", o});
    expect = R"(^scenarios/minimal\.yaml:30:7: error: scenario name 'minimal' is also used by )"
             R"(scenarios/minimal\.yaml; set a distinct 'name:')";
  }
  SECTION("the same scenario name twice, one from the file stem: at line 1 of that file") {
    // A file named minimal.yaml without a `name:` takes its stem: no line holds the name.
    const fs::path stem = tmp / "minimal.yaml";
    std::ofstream(stem) << "horizon: {start: 2030, end: 2030}\n"
                           "nodes: [{id: a, kind: supply, capacity: 1 bcm/y}]\n";
    r = run_cli(tmp, {"run", "scenarios/minimal.yaml", stem.string(), "-o", o});
    expect = std::regex_replace(stem.string(), std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
             R"(:1:1: error: scenario name 'minimal' is also used by scenarios/minimal\.yaml)";
  }
  SECTION("an unknown subcommand") {
    r = run_cli(tmp, {"rnu", "scenarios/minimal.yaml", "-o", o});
    expect = R"(corridor: error: unknown subcommand 'rnu')";
  }
  SECTION("an unknown subcommand close to a known one") {
    r = run_cli(tmp, {"valdate", "scenarios/minimal.yaml"});
    expect = R"(corridor: error: unknown subcommand 'valdate'; did you mean 'validate'\?)";
  }
  SECTION("an unknown flag") {
    r = run_cli(tmp, {"run", "--frobnicate", "scenarios/minimal.yaml", "-o", o});
    expect = R"(corridor: error: unexpected argument '--frobnicate'; run 'corridor run --help')";
  }
  SECTION("no file") {
    r = run_cli(tmp, {"run", "-o", o});
    expect = R"(corridor: error: no scenario file given; give one, e.g. 'corridor run )";
  }
  SECTION("no subcommand") {
    r = run_cli(tmp, {});
    expect = R"(corridor: error: no subcommand given; expected one of: run, compare, validate, )";
  }
  INFO("stderr:\n" << r.err);
  CHECK(r.status == 2);
  CHECK(std::regex_search(r.err, std::regex(expect)));
  CHECK_FALSE(fs::exists(out));
  CHECK(leftover_temp_dirs(tmp.path(), "out").empty());
  CHECK(r.out.empty());  // no summary, no partial output
}

TEST_CASE("an input error is reported in the file:line:col form with the source line", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  // Every error of the file in one pass, each with its location, then the source line and a
  // caret under the column, then the count.
  const Outcome r = run_cli(tmp, {"validate", "tests/fixtures/cli/bad-reference.yaml"});
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  const std::vector<std::string> lines = split(r.err, '\n');
  REQUIRE(lines.size() == 7);
  CHECK(std::regex_match(lines[0], std::regex("tests/fixtures/cli/bad-reference\\.yaml:13:11: "
                                              "error: .*'fieldd'.*; did you mean 'field'\\?")));
  CHECK(lines[1] == "        from: fieldd");
  CHECK(lines[2] == "              ^");  // column 11 of the line, after the 4-space indent
  CHECK(std::regex_match(lines[3], std::regex("tests/fixtures/cli/bad-reference\\.yaml:14:9: "
                                              "error: .*'cty'.*; did you mean 'city'\\?")));
  CHECK(lines[4] == "        to: cty");
  CHECK(lines[5] == "            ^");
  CHECK(lines[6] == "corridor: 2 error(s)");
}

TEST_CASE("a file holding an encoded surrogate is refused and its bytes are never echoed",
          "[cli][utf8]") {
  // ED A0 80 is U+D800 encoded as if it were a character: well-formed to a lax decoder, but no
  // UTF-8 (RFC 3629). The loader refuses it; the error's source excerpt must not show the line
  // either, or the terminal would receive the very bytes the loader refused.
  ScratchDir tmp(kScratchPrefix);
  const fs::path file = tmp / "surrogate.yaml";
  write_file(file,
             "name: surrogate\n"
             "horizon: {start: 2030, end: 2030}\n"
             "description: \"gas \xED\xA0\x80 line\"\n"
             "nodes:\n"
             "  - {id: field, kind: supply, capacity: 1 bcm/y}\n");
  const Outcome r = run_cli(tmp, {"validate", file.string()});
  INFO(r.err);
  CHECK(r.status == 2);
  CHECK(r.err == file.string() +
                     ":3:19: error: invalid UTF-8 byte 0xED: the file is not UTF-8; save it as "
                     "UTF-8; corridor reads and writes UTF-8 only\n"
                     "corridor: 1 error(s)\n");
  CHECK_FALSE(contains(r.err, "\xED\xA0\x80"));
  CHECK_FALSE(contains(r.err, "description"));
}

TEST_CASE("help on every subcommand and version", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  for (const std::string sub : {"run", "compare", "validate", "resolve"}) {
    INFO(sub);
    const Outcome r = run_cli(tmp, {sub, "--help"});
    CHECK(r.status == 0);
    CHECK(contains(r.out, "Usage: corridor " + sub + " [OPTIONS]"));
    CHECK(r.err.empty());
  }
  const Outcome top = run_cli(tmp, {"--help"});
  CHECK(top.status == 0);
  CHECK(contains(top.out, "Usage: corridor [OPTIONS] SUBCOMMAND"));
  for (const std::string sub : {"run", "compare", "validate", "resolve"}) {
    CHECK(contains(top.out, sub));
  }

  const Outcome run_help = run_cli(tmp, {"run", "--help"});
  for (const std::string opt :
       {"--output", "--fail-on-shortfall", "--quiet", "--strict", "--jobs"}) {
    CHECK(contains(run_help.out, opt));
  }
  CHECK(contains(run_cli(tmp, {"validate", "--help"}).out, "--quiet"));

  // Every --help ends with the exit codes of its command.
  const std::map<std::string, std::vector<std::string>> codes = {{"", {"0", "1", "2", "3"}},
                                                                 {"run", {"0", "1", "2", "3"}},
                                                                 {"compare", {"0", "2", "3"}},
                                                                 {"validate", {"0", "2", "3"}},
                                                                 {"resolve", {"0", "2", "3"}}};
  for (const auto& [sub, expected] : codes) {
    INFO("corridor " << sub << " --help");
    const Outcome h = sub.empty() ? run_cli(tmp, {"--help"}) : run_cli(tmp, {sub, "--help"});
    const std::size_t footer = h.out.find("Exit codes");
    REQUIRE(footer != std::string::npos);
    std::vector<std::string> listed;
    for (const std::string& line : split(h.out.substr(footer), '\n')) {
      if (line.size() > 4 && line.rfind("  ", 0) == 0 && std::isdigit(line[2])) {
        listed.push_back(line.substr(2, 1));
      }
    }
    CHECK(listed == expected);
  }

  const Outcome v = run_cli(tmp, {"--version"});
  CHECK(v.status == 0);
  CHECK(v.out == "corridor " + std::string(corridor::kVersion) + "\n");
  CHECK(std::regex_match(v.out, std::regex("corridor [0-9]+\\.[0-9]+\\.[0-9]+\n")));
}

TEST_CASE("CLI11's own usage errors read like every other error: lower case, with a hint",
          "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const std::string f = "scenarios/minimal.yaml";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"run", "--stirct", f},
       "unexpected argument '--stirct'; did you mean '--strict'? run 'corridor run --help' for "
       "usage"},
      {{"compare", f, "--baselien", "x"},
       "unexpected argument '--baselien'; did you mean '--baseline'? run 'corridor compare "
       "--help' for usage"},
      {{"run", "--frobnicate", f},
       "unexpected argument '--frobnicate'; run 'corridor run --help' "
       "for usage"},
      {{"compare", f, "--width", "5"},
       "--width: value 5 not in range 20 to 100000; run 'corridor compare --help' for usage"},
      {{"run", f, "-j", "0"},
       "--jobs: value 0 not in range 1 to 1024; run 'corridor run --help' for usage"},
      {{"compare", f, "--years"}, "--years needs a value; run 'corridor compare --help' for usage"},
      {{"resolve", f, f},
       "resolve takes one scenario file; run 'corridor resolve --help' for usage"},
      {{"validate"},
       "no scenario file given; give one, e.g. 'corridor validate scenarios/minimal.yaml'"},
      {{},
       "no subcommand given; expected one of: run, compare, validate, resolve, ensemble, capacity, "
       "hydraulics, import-gaslib, contingencies, n1, sweep, sensitivity, breakeven, explain; run "
       "'corridor --help' for usage"},
  };
  for (const auto& [args, message] : cases) {
    const Outcome r = run_cli(tmp, args);
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "corridor: error: " + message + "\n");
  }
}

TEST_CASE("validate -q prints nothing for clean files, and every problem still", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const Outcome clean = run_cli(tmp, {"validate", "-q", "scenarios/minimal.yaml"});
  CHECK(clean.status == 0);
  CHECK(clean.out.empty());
  CHECK(clean.err.empty());
  const Outcome warn =
      run_cli(tmp, {"validate", "--quiet", "tests/fixtures/cli/warn-unreachable.yaml"});
  CHECK(warn.status == 0);
  CHECK(warn.out.empty());
  CHECK(contains(warn.err, "warn-unreachable.yaml:9:5: warning: "));
  const Outcome bad = run_cli(tmp, {"validate", "-q", "tests/fixtures/cli/bad-units.yaml"});
  CHECK(bad.status == 2);
  CHECK(contains(bad.err, "bad-units.yaml:16:15: error: "));
}

TEST_CASE("run -j: the results are the same byte for byte on 1 and 3 threads", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const std::vector<std::string> files = {"scenarios/pos2-delay.yaml",
                                          "scenarios/russia-china/gas-routes.yaml",
                                          "tests/fixtures/cli/monthly.yaml"};
  std::map<std::string, std::string> sums[2];
  std::string summary[2];
  for (int k = 0; k < 2; ++k) {
    const fs::path out = tmp / ("out" + std::to_string(k));
    std::vector<std::string> args = {"run", "-q", "-j", k == 0 ? "1" : "3", "-o", out.string()};
    args.insert(args.end(), files.begin(), files.end());
    const Outcome r = run_cli(tmp, args);
    REQUIRE(r.status == 0);
    summary[k] = r.out;
    sums[k] = checksums(out);
    sums[k].erase("manifest.json");  // holds the command line and the time
  }
  // 7 annual files, 5 monthly ones, and contracts.csv and contracts_monthly.csv (the library
  // has contracts, and one case is monthly).
  CHECK(sums[0].size() == 14);
  CHECK(sums[0] == sums[1]);
  CHECK(summary[0] == summary[1]);
}

TEST_CASE("validate accepts the shipped scenarios and rejects bad files", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  for (const std::string& f : kShippedScenarios) {
    INFO(f);
    const Outcome r = run_cli(tmp, {"validate", f});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(contains(r.out, f + ": ok"));
    CHECK(r.err.empty());  // not even a warning
  }
  const Outcome all = run_cli(tmp, {"validate", kShippedScenarios[0], kShippedScenarios[1],
                                    kShippedScenarios[2], "--strict"});
  CHECK(all.status == 0);
  CHECK(contains(all.out, "scenarios/pos2-delay.yaml: ok, 2 case(s)"));

  const Outcome warn = run_cli(tmp, {"validate", "tests/fixtures/cli/warn-unreachable.yaml"});
  CHECK(warn.status == 0);
  CHECK(contains(warn.err, "warn-unreachable.yaml:9:5: warning: "));

  for (const std::string bad : {"tests/fixtures/cli/bad-units.yaml",
                                "tests/fixtures/cli/bad-reference.yaml", "no-such-file.yaml"}) {
    INFO(bad);
    const Outcome r = run_cli(tmp, {"validate", bad});
    CHECK(r.status == 2);
    CHECK(contains(r.err, bad + ":"));
    CHECK(contains(r.err, ": error: "));
  }
}

TEST_CASE("resolve prints the merged scenario of one alternative", "[cli]") {
  ScratchDir tmp(kScratchPrefix);

  SECTION("delay-2035 moves every PoS-2 section to 2035 and keeps the rest") {
    const Outcome r =
        run_cli(tmp, {"resolve", "scenarios/pos2-delay.yaml", "--alternative", "delay-2035"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(contains(r.out, "name: pos2-delay"));
    CHECK_FALSE(contains(r.out, "alternatives:"));  // one alternative, merged in

    // The output is itself a valid scenario: load it back through the public loader.
    const fs::path resolved = tmp / "resolved.yaml";
    write_file(resolved, r.out);
    const corridor::LoadedScenario ls = corridor::load_scenario(resolved.string());
    REQUIRE(ls.cases.size() == 1);
    const corridor::Scenario& s = *ls.cases.front();
    std::map<std::string, corridor::YearMonth> online;
    for (const corridor::Pipeline& p : s.pipelines) {
      if (p.online) online[p.id] = *p.online;
    }
    for (const std::string id : {"pos2-russia", "soyuz-vostok", "pos2-china"}) {
      INFO(id);
      REQUIRE(online.count(id) == 1);
      CHECK(online[id].year == 2035);
    }
    // Inherited, unchanged: PoS-1 from Dec 2019, the Far East route from 2027, and the
    // soyuz-vostok ramp.
    CHECK(online["pos1"] == corridor::YearMonth{2019, 12});
    CHECK(online["far-east"].year == 2027);
    const auto sv = std::find_if(s.pipelines.begin(), s.pipelines.end(),
                                 [](const auto& p) { return p.id == "soyuz-vostok"; });
    REQUIRE(sv != s.pipelines.end());
    CHECK(sv->ramp_up == std::vector<double>{0.2, 0.4, 0.6, 0.8});
  }
  SECTION("on-time keeps 2031") {
    const Outcome r =
        run_cli(tmp, {"resolve", "scenarios/pos2-delay.yaml", "--alternative", "on-time"});
    REQUIRE(r.status == 0);
    CHECK(
        std::regex_search(r.out, std::regex("- id: pos2-russia\n(    .*\n)*?    online: 2031\n")));
  }
  SECTION("an unknown alternative exits 2 with did-you-mean") {
    const Outcome r =
        run_cli(tmp, {"resolve", "scenarios/pos2-delay.yaml", "--alternative", "delay-2036"});
    CHECK(r.status == 2);
    // The location may carry line:col (of the `alternatives:` key) or not.
    CHECK(std::regex_search(r.err, std::regex("scenarios/pos2-delay\\.yaml(:[0-9]+:[0-9]+)?: "
                                              "error: no alternative named 'delay-2036'; did "
                                              "you mean 'delay-2035'\\?")));
    CHECK(r.out.empty());
  }
}

TEST_CASE("several files and alternatives in one run", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "out";

  SECTION("two files: the rows of both, told apart by the scenario column") {
    const Outcome r = run_cli(tmp, {"run", "scenarios/minimal.yaml",
                                    "scenarios/russia-china-gas.yaml", "-o", out.string()});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const Csv summary = read_csv(out / "summary.csv");
    CHECK(summary.values("scenario") == std::set<std::string>{"minimal", "russia-china-gas"});
    CHECK(summary.count("scenario", "minimal") == 3);            // 2030-2032
    CHECK(summary.count("scenario", "russia-china-gas") == 22);  // 2024-2045
    CHECK(summary.rows.size() == 25);
    // Files in command-line order.
    CHECK(summary.rows.front().at(summary.col("scenario")) == "minimal");
    CHECK(summary.rows.back().at(summary.col("scenario")) == "russia-china-gas");
    const Csv flows = read_csv(out / "flows.csv");
    CHECK(flows.count("scenario", "minimal") == 2 * 3);
    CHECK(flows.count("scenario", "russia-china-gas") == 9 * 22);
    const Csv routes = read_csv(out / "routes.csv");
    CHECK(routes.count("scenario", "russia-china-gas") == 3 * 22);
    CHECK(contains(r.out, "minimal / base"));
    CHECK(contains(r.out, "russia-china-gas / base"));
    const std::string m = read_file(out / "manifest.json");
    CHECK(contains(m, "\"scenario\": \"scenarios/minimal.yaml\""));
    CHECK(contains(m, "\"scenario\": \"scenarios/russia-china-gas.yaml\""));
  }
  SECTION("alternatives: the rows of every case, told apart by the case column") {
    const Outcome r = run_cli(tmp, {"run", "scenarios/pos2-delay.yaml", "-o", out.string()});
    INFO(r.err);
    REQUIRE(r.status == 0);
    for (const auto& [file, per_year] : std::map<std::string, std::size_t>{
             {"summary.csv", 1}, {"flows.csv", 9}, {"routes.csv", 3}, {"deliveries.csv", 3}}) {
      INFO(file);
      const Csv csv = read_csv(out / file);
      CHECK(csv.values("scenario") == std::set<std::string>{"pos2-delay"});
      CHECK(csv.values("case") == std::set<std::string>{"on-time", "delay-2035"});
      CHECK(csv.count("case", "on-time") == 22 * per_year);
      CHECK(csv.count("case", "delay-2035") == 22 * per_year);
      // Cases in file order: on-time first.
      CHECK(csv.rows.front().at(csv.col("case")) == "on-time");
    }
    CHECK(contains(r.out, "pos2-delay / on-time"));
    CHECK(contains(r.out, "pos2-delay / delay-2035"));
    CHECK(r.out.find("pos2-delay / on-time") < r.out.find("pos2-delay / delay-2035"));
  }
}

TEST_CASE("a failed run leaves earlier results untouched", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "res";
  REQUIRE(run_cli(tmp, {"run", "scenarios/minimal.yaml", "-o", out.string(), "-q"}).status == 0);
  const std::map<std::string, std::string> before = checksums(out);
  REQUIRE(before.size() == kAnnualFiles.size());

  SECTION("the write fails midway (test hook: after 2 files)") {
    // A different scenario, so a partial replacement could not go unnoticed.
    const Outcome r =
        run_cli(tmp, {"run", "scenarios/russia-china-gas.yaml", "-o", out.string(), "-q"},
                {"CORRIDOR_TEST_FAIL_AFTER_FILES=2"});
    INFO(r.err);
    CHECK(r.status != 0);
    CHECK(r.status == 2);
    CHECK(contains(r.err, "corridor: error: cannot write results to '" + out.string() + "'"));
    CHECK(r.out.empty());
  }
  SECTION("the write fails before the first file") {
    const Outcome r = run_cli(tmp, {"run", "scenarios/pos2-delay.yaml", "-o", out.string(), "-q"},
                              {"CORRIDOR_TEST_FAIL_AFTER_FILES=0"});
    CHECK(r.status == 2);
  }
  SECTION("the write fails after the last file, just before the swap") {
    const Outcome r = run_cli(tmp, {"run", "scenarios/pos2-delay.yaml", "-o", out.string(), "-q"},
                              {"CORRIDOR_TEST_FAIL_AFTER_FILES=8"});
    CHECK(r.status == 2);
  }
  SECTION("an input error") {
    const Outcome r =
        run_cli(tmp, {"run", "tests/fixtures/cli/bad-units.yaml", "-o", out.string(), "-q"});
    CHECK(r.status == 2);
  }
  CHECK(checksums(out) == before);
  CHECK(leftover_temp_dirs(tmp.path(), "res").empty());
}

TEST_CASE("a failed write into a new directory creates nothing", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "fresh";
  const Outcome r = run_cli(tmp, {"run", "scenarios/minimal.yaml", "-o", out.string(), "-q"},
                            {"CORRIDOR_TEST_FAIL_AFTER_FILES=3"});
  CHECK(r.status == 2);
  CHECK_FALSE(fs::exists(out));
  CHECK(leftover_temp_dirs(tmp.path(), "fresh").empty());
}

TEST_CASE("a successful run replaces the whole directory", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "res";
  // First a monthly run (13 files), then a yearly one: the monthly files must go, not linger
  // next to results they do not belong to.
  REQUIRE(
      run_cli(tmp, {"run", "tests/fixtures/cli/monthly.yaml", "-o", out.string(), "-q"}).status ==
      0);
  REQUIRE(file_names(out).size() == 13);
  REQUIRE(run_cli(tmp, {"run", "scenarios/minimal.yaml", "-o", out.string(), "-q"}).status == 0);
  CHECK(file_names(out) == kAnnualFiles);
  CHECK(read_csv(out / "summary.csv").values("scenario") == std::set<std::string>{"minimal"});
  CHECK(leftover_temp_dirs(tmp.path(), "res").empty());
}

// Replacing the output directory deletes what it held, so only a new or empty directory or
// earlier corridor results may be replaced (regression: `run docs/x.yaml -o docs` deleted docs/
// and the scenario in it).
TEST_CASE("run refuses to replace a directory that does not hold corridor results", "[cli]") {
  ScratchDir tmp(kScratchPrefix);

  SECTION("a directory with other files") {
    const fs::path docs = tmp / "docs";
    fs::create_directory(docs);
    write_file(docs / "thesis.txt", "precious\n");
    const Outcome r = run_cli(tmp, {"run", "scenarios/minimal.yaml", "-o", docs.string()});
    CHECK(r.status == 2);
    CHECK(r.err == "corridor: error: refusing to write results to '" + docs.string() +
                       "': it holds 'thesis.txt' and no corridor manifest.json, so it does not "
                       "hold corridor results, and replacing it would delete its contents; "
                       "choose a new or empty directory\n");
    CHECK(file_names(docs) == std::set<std::string>{"thesis.txt"});
    CHECK(read_file(docs / "thesis.txt") == "precious\n");
    CHECK(r.out.empty());
  }
  SECTION("earlier results that hold an input file") {
    const fs::path res = tmp / "res";
    REQUIRE(run_cli(tmp, {"run", "scenarios/minimal.yaml", "-o", res.string(), "-q"}).status == 0);
    fs::copy_file(kRoot / "scenarios/minimal.yaml", res / "minimal.yaml");
    const std::map<std::string, std::string> before = checksums(res);
    const Outcome r =
        run_cli(tmp, {"run", (res / "minimal.yaml").string(), "-o", res.string() + "/", "-q"});
    CHECK(r.status == 2);
    CHECK(contains(r.err, "it holds the input file"));
    CHECK(checksums(res) == before);
  }
  SECTION("an empty directory is fine") {
    const fs::path empty = tmp / "empty";
    fs::create_directory(empty);
    const Outcome r = run_cli(tmp, {"run", "scenarios/minimal.yaml", "-o", empty.string(), "-q"});
    CHECK(r.status == 0);
    CHECK(file_names(empty) == kAnnualFiles);
  }
  CHECK(leftover_temp_dirs(tmp.path(), "docs").empty());
  CHECK(leftover_temp_dirs(tmp.path(), "res").empty());
}

// Regression (data loss, issue 9): a rerun into earlier results deleted a workbook and a folder
// the user had saved there, with exit 0.
TEST_CASE("a rerun never deletes what the user saved into earlier results", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "R";
  REQUIRE(run_cli(tmp, {"run", "scenarios/minimal.yaml", "-o", out.string(), "-q"}).status == 0);

  SECTION("a workbook and a folder of charts") {
    write_file(out / "my-analysis.xlsx", "precious\n");
    fs::create_directory(out / "charts");
    write_file(out / "charts" / "fig1.png", "png\n");
    const std::map<std::string, std::string> before = checksums(out);
    const Outcome r = run_cli(tmp, {"run", "scenarios/minimal.yaml", "-o", out.string()});
    CHECK(r.status == 2);
    CHECK(r.err == "corridor: error: refusing to write results to '" + out.string() +
                       "': it holds 'charts', which corridor did not write there, and replacing "
                       "the directory would delete it; move it out, or write the results "
                       "somewhere else\n");
    CHECK(r.out.empty());
    CHECK(checksums(out) == before);
    CHECK(read_file(out / "charts" / "fig1.png") == "png\n");
    // compare refuses the same way.
    const Outcome c = run_cli(tmp, {"compare", "scenarios/minimal.yaml", "-o", out.string()});
    CHECK(c.status == 2);
    CHECK(contains(c.err, "it holds 'charts', which corridor did not write there"));
    CHECK(checksums(out) == before);
  }
  SECTION("a comparison written inside earlier results (the README's order of commands)") {
    REQUIRE(
        run_cli(tmp, {"compare", "scenarios/pos2-delay.yaml", "-o", (out / "cmp").string(), "-q"})
            .status == 0);
    const std::map<std::string, std::string> before = checksums(out / "cmp");
    const Outcome r = run_cli(tmp, {"run", "scenarios/minimal.yaml", "-o", out.string(), "-q"});
    CHECK(r.status == 2);
    CHECK(contains(r.err, "it holds 'cmp', which corridor did not write there"));
    CHECK(checksums(out / "cmp") == before);
  }
  SECTION("corridor's own files are replaced, a run after moving the user's file out works") {
    write_file(out / "notes.txt", "mine\n");
    REQUIRE(run_cli(tmp, {"run", "scenarios/minimal.yaml", "-o", out.string(), "-q"}).status == 2);
    fs::rename(out / "notes.txt", tmp / "notes.txt");
    CHECK(run_cli(tmp, {"run", "scenarios/pos2-delay.yaml", "-o", out.string(), "-q"}).status == 0);
    CHECK(read_csv(out / "summary.csv").values("scenario") == std::set<std::string>{"pos2-delay"});
  }
  CHECK(leftover_temp_dirs(tmp.path(), "R").empty());
}

TEST_CASE("runs are deterministic: the same inputs give byte-identical CSVs", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path a = tmp / "a", b = tmp / "b";
  const std::vector<std::string> inputs = {"scenarios/minimal.yaml", "scenarios/pos2-delay.yaml"};
  for (const fs::path& out : {a, b}) {
    std::vector<std::string> args = {"run", "-q", "-o", out.string()};
    args.insert(args.end(), inputs.begin(), inputs.end());
    REQUIRE(run_cli(tmp, args).status == 0);
  }
  REQUIRE(file_names(a) == file_names(b));
  for (const std::string& f : file_names(a)) {
    if (f == "manifest.json") continue;
    INFO(f);
    CHECK(read_file(a / f) == read_file(b / f));
  }
  // The manifest differs only in the time and the command line (the output directory).
  const auto stable = [](const fs::path& m) {
    std::string kept;
    for (const std::string& line : split(read_file(m), '\n')) {
      if (!contains(line, "\"created_utc\"") && !contains(line, "\"command_line\"")) {
        kept += line + "\n";
      }
    }
    return kept;
  };
  CHECK(stable(a / "manifest.json") == stable(b / "manifest.json"));
}

TEST_CASE("results go to stdout while progress and diagnostics go to stderr", "[cli]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "out";

  SECTION("a clean run") {
    const Outcome r = run_cli(tmp, {"run", "scenarios/pos2-delay.yaml", "-o", out.string()});
    REQUIRE(r.status == 0);
    // The summary table, per case.
    CHECK(contains(r.out, "pos2-delay / on-time\n"));
    CHECK(contains(r.out, "pos2-delay / delay-2035\n"));
    CHECK(std::regex_search(r.out, std::regex("year +delivered +shortfall +unit")));
    CHECK(std::regex_search(r.out, std::regex("\n[ !]+2045 +98\\.0+ +67\\.0+ +bcm")));
    CHECK_FALSE(has_line_starting_with(r.out, "corridor:"));
    // stderr is a file here, not a terminal: no progress line (terminal_test.cpp has the
    // terminal), only where the results went.
    CHECK(r.err == "corridor: wrote 8 files to " + out.string() + "\n");
  }
  SECTION("--quiet prints only warnings and errors: no table, no note (issue 9)") {
    const Outcome r =
        run_cli(tmp, {"run", "scenarios/minimal.yaml", "-o", out.string(), "--quiet"});
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    CHECK(r.out.empty());
    CHECK(fs::exists(out / "summary.csv"));  // the results are written all the same
  }
  SECTION("a warning goes to stderr, and the run goes ahead") {
    const Outcome r =
        run_cli(tmp, {"run", "tests/fixtures/cli/warn-unreachable.yaml", "-o", out.string()});
    CHECK(r.status == 0);
    CHECK(contains(r.err, "warn-unreachable.yaml:9:5: warning: demand node 'island'"));
    CHECK_FALSE(contains(r.out, "warning"));
    CHECK(contains(r.out, "warn-unreachable / base\n"));
    CHECK(fs::exists(out / "summary.csv"));
  }
}

// ---------------------------------------------------------------------------------------------
// corridor compare

namespace {

/// Display columns of a line of UTF-8 text (one per code point).
int display_columns(const std::string& line) {
  int w = 0;
  for (char ch : line) w += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return w;
}

}  // namespace

TEST_CASE("compare writes everything run writes plus the three comparison files",
          "[cli][compare]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path run_out = tmp / "run", cmp_out = tmp / "cmp";
  REQUIRE(run_cli(tmp, {"run", "scenarios/pos2-delay.yaml", "-o", run_out.string(), "-q"}).status ==
          0);
  const Outcome r = run_cli(tmp, {"compare", "scenarios/pos2-delay.yaml", "-o", cmp_out.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err == "corridor: wrote 11 files to " + cmp_out.string() + "\n");
  std::set<std::string> expected = file_names(run_out);
  expected.insert("comparison.csv");
  expected.insert("comparison_wide.csv");
  expected.insert("comparison_cases.csv");
  CHECK(file_names(cmp_out) == expected);
  // The run's own files are the same bytes as `run` writes.
  for (const std::string& f : file_names(run_out)) {
    if (f == "manifest.json") continue;
    INFO(f);
    CHECK(read_file(cmp_out / f) == read_file(run_out / f));
  }
  CHECK(contains(read_file(cmp_out / "manifest.json"),
                 "\"command_line\": \"" + kBinary + " compare scenarios/pos2-delay.yaml"));

  const Csv tidy = read_csv(cmp_out / "comparison.csv");
  CHECK(tidy.header ==
        "scenario,case,commodity,route,metric,year,value,unit,detail,baseline_case,"
        "baseline_value,delta");
  // Every line has the header's 12 fields (a plain split drops trailing empty fields).
  for (const std::string& line : split(read_file(cmp_out / "comparison.csv"), '\n')) {
    CHECK(std::count(line.begin(), line.end(), ',') == 11);
  }
  // The delay moves PoS-2's first gas from 2031 to 2035.
  const std::string first_flow =
      "pos2-delay,delay-2035,gas,pos2-mongolia,first_flow_year,,2035,year,,on-time,2031,4";
  CHECK(contains(read_file(cmp_out / "comparison.csv"), first_flow + "\n"));
  // 40 bcm less on PoS-2 in 2035 (10 instead of 50 while it ramps up again).
  CHECK(contains(read_file(cmp_out / "comparison.csv"),
                 "pos2-delay,delay-2035,gas,pos2-mongolia,volume,2035,10.000000,bcm,,on-time,"
                 "50.000000,-40.000000\n"));
  const Csv wide = read_csv(cmp_out / "comparison_wide.csv");
  CHECK(wide.rows.size() == 6);  // 2 cases x 3 routes
  CHECK(wide.columns.front() == "scenario");
  CHECK(wide.columns.back() == "delta_served_shortfall");

  // The table: the baseline named once per commodity, a Δ line under each other card.
  CHECK(contains(r.out, "gas vs baseline on-time (bcm, USD/kcm) at 2030, 2035, 2040\n"));
  CHECK(std::regex_search(r.out, std::regex("\ndelay-2035 +pos2-mongolia +2035 ")));
  CHECK(std::regex_search(r.out, std::regex("\n  Δ vs on-time +\\+4 ")));
}

TEST_CASE("compare: --baseline and --years choose the reference and the milestones",
          "[cli][compare]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "cmp";
  const Outcome r =
      run_cli(tmp, {"compare", "scenarios/pos2-delay.yaml", "--baseline", "delay-2035", "--years",
                    "2036,2031", "-o", out.string(), "--width", "200"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  const Csv tidy = read_csv(out / "comparison.csv");
  CHECK(tidy.values("year") == std::set<std::string>{"", "2031", "2036"});
  CHECK(tidy.values("baseline_case") == std::set<std::string>{"", "delay-2035"});
  CHECK(contains(read_file(out / "comparison.csv"),
                 "pos2-delay,on-time,gas,pos2-mongolia,first_flow_year,,2031,year,,delay-2035,"
                 "2035,-4\n"));
  CHECK(contains(r.out, "gas vs baseline delay-2035 (bcm, USD/kcm) at 2031, 2036\n"));
  CHECK(read_csv(out / "comparison_wide.csv").columns.at(7) == "volume_2031");
}

TEST_CASE("compare: gas and oil route files, each against its own status quo", "[cli][compare]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "cmp";
  const Outcome r = run_cli(tmp, {"compare", "scenarios/russia-china/gas-routes.yaml",
                                  "scenarios/russia-china/oil-routes.yaml", "--baseline",
                                  "status-quo", "-o", out.string(), "--width", "200"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  const Csv tidy = read_csv(out / "comparison.csv");
  CHECK(tidy.values("baseline_case") == std::set<std::string>{"", "status-quo"});
  // The oil cards are compared with oil's status quo: mongolia-oil-line is new there (against
  // 0), espo-spur carries the same.
  const std::string csv = read_file(out / "comparison.csv");
  CHECK(contains(csv,
                 "russia-china-oil-routes,mongolia-oil-line,oil,espo-spur,cumulative_volume,,"
                 "660.000000,Mt,,status-quo,660.000000,0.000000\n"));
  CHECK(contains(csv,
                 "russia-china-oil-routes,mongolia-oil-line,oil,mongolia-oil,volume,2035,"
                 "20.000000,Mt,,status-quo,0.000000,20.000000\n"));
  CHECK(contains(csv,
                 "russia-china-gas-routes,pos2-mongolia,gas,pos1,first_flow_year,,2024,year,,"
                 "status-quo,2024,0\n"));
  // No card is compared with the other file's status quo.
  CHECK_FALSE(contains(csv, "/status-quo"));
  CHECK(contains(r.out, "gas vs baseline status-quo (bcm, USD/kcm) at 2030, 2035, 2040\n"));
  CHECK(contains(r.out, "oil vs baseline status-quo (Mt, USD/t) at 2030, 2035, 2040\n"));

  // status-quo is the first case of both files: the default gives the same comparison.
  const fs::path dflt = tmp / "default";
  REQUIRE(run_cli(tmp, {"compare", "scenarios/russia-china/gas-routes.yaml",
                        "scenarios/russia-china/oil-routes.yaml", "-o", dflt.string(), "-q"})
              .status == 0);
  CHECK(read_file(dflt / "comparison.csv") == csv);
}

TEST_CASE("compare: bad --years or --baseline exits 2 with a clear message and writes nothing",
          "[cli][compare]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "cmp";
  const std::string f = "scenarios/pos2-delay.yaml";
  std::vector<std::string> args;
  std::string expect;
  SECTION("a year that is not a number") {
    args = {"--years", "2030,20x5"};
    expect =
        "--years: error: '20x5' is not a year; give milestone years separated by commas, "
        "e.g. --years 2030,2035,2040\n";
  }
  SECTION("no years") {
    args = {"--years", ""};
    expect = "--years: error: no years given; ";
  }
  SECTION("a year twice") {
    args = {"--years", "2030,2035,2030"};
    expect = "--years: error: year 2030 is given twice; ";
  }
  SECTION("an unknown baseline") {
    args = {"--baseline", "delay-2036"};
    expect = "--baseline: error: no case named 'delay-2036'; did you mean 'delay-2035'?\n";
  }
  SECTION("a case name that two files have but a third does not") {
    args = {"--baseline", "base", "scenarios/minimal.yaml", "tests/fixtures/cli/no-shortfall.yaml"};
    expect =
        "--baseline: error: scenario 'pos2-delay' has no case named 'base' (its cases: on-time, "
        "delay-2035); name one baseline for all as scenario/case, e.g. --baseline minimal/base\n";
  }
  SECTION("a width that is too small") {
    args = {"--width", "5"};
    expect = "corridor: error: ";
  }
  std::vector<std::string> all = {"compare", f, "-o", out.string(), "-q"};
  all.insert(all.end(), args.begin(), args.end());
  const Outcome r = run_cli(tmp, all);
  INFO(r.err);
  CHECK(r.status == 2);
  CHECK(contains(r.err, expect));
  CHECK(r.out.empty());
  CHECK_FALSE(fs::exists(out));
  CHECK(leftover_temp_dirs(tmp.path(), "cmp").empty());
}

TEST_CASE("compare: input errors exit 2, a shortfall is a result (exit 0)", "[cli][compare]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "cmp";
  const Outcome bad =
      run_cli(tmp, {"compare", "tests/fixtures/cli/bad-units.yaml", "-o", out.string()});
  CHECK(bad.status == 2);
  CHECK(contains(bad.err, "bad-units.yaml:16:15: error: "));
  CHECK(contains(bad.err, "nothing was written"));
  CHECK_FALSE(fs::exists(out));

  // minimal.yaml is 2 bcm short in 2032.
  const Outcome ok = run_cli(tmp, {"compare", "scenarios/minimal.yaml", "-o", out.string(), "-q"});
  INFO(ok.err);
  CHECK(ok.status == 0);
  CHECK(fs::exists(out / "comparison.csv"));
  // No alternative: one case, the baseline itself, with no deltas.
  CHECK_FALSE(contains(ok.out, "Δ"));
}

TEST_CASE("compare: the table fits --width, then COLUMNS, else 100 columns", "[cli][compare]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "cmp";
  const std::string f = "scenarios/pos2-delay.yaml";
  auto longest = [](const std::string& text) {
    int w = 0;
    for (const std::string& line : split(text, '\n')) w = std::max(w, display_columns(line));
    return w;
  };
  const Outcome narrow = run_cli(tmp, {"compare", f, "-o", out.string(), "--width", "60"});
  REQUIRE(narrow.status == 0);
  INFO(narrow.out);
  CHECK(longest(narrow.out) <= 60);
  CHECK(contains(narrow.out, "\n(left out to fit: peak%, transit%, bottleneck, 2030, 2035"));

  const Outcome env = run_cli(tmp, {"compare", f, "-o", out.string()}, {"COLUMNS=72"});
  REQUIRE(env.status == 0);
  CHECK(longest(env.out) <= 72);
  CHECK(contains(env.out, "\n(left out to fit: "));

  // Not a terminal and no COLUMNS: 100.
  const Outcome plain = run_cli(tmp, {"compare", f, "-o", out.string()}, {"-u", "COLUMNS"});
  REQUIRE(plain.status == 0);
  CHECK(longest(plain.out) <= 100);
  const Outcome wide = run_cli(tmp, {"compare", f, "-o", out.string(), "--width", "200"});
  CHECK_FALSE(contains(wide.out, "left out"));
  CHECK(contains(wide.out, "peak%"));
}

TEST_CASE("compare is deterministic: the same inputs give byte-identical CSVs", "[cli][compare]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path a = tmp / "a", b = tmp / "b";
  for (const fs::path& out : {a, b}) {
    REQUIRE(run_cli(tmp, {"compare", "-q", "-o", out.string(), "scenarios/russia-china-gas.yaml",
                          "scenarios/pos2-delay.yaml", "--baseline", "pos2-delay/delay-2035"})
                .status == 0);
  }
  REQUIRE(file_names(a) == file_names(b));
  for (const std::string& f : file_names(a)) {
    if (f == "manifest.json") continue;
    INFO(f);
    CHECK(read_file(a / f) == read_file(b / f));
  }
  // Three cases over two files: scenario/case names the baseline of the other file's rows.
  CHECK(contains(read_file(a / "comparison.csv"),
                 "russia-china-gas,base,gas,pos1,first_flow_year,,2024,year,,"
                 "pos2-delay/delay-2035,2024,0\n"));
}

// ---------------------------------------------------------------------------------------------
// Issue 9

TEST_CASE("issue 9.3: a mass unit without a commodity is warned at each node and pipeline",
          "[cli][issue9]") {
  // tests/fixtures/regression/issue9-mass-units.yaml says which lines are warned and why.
  ScratchDir tmp(kScratchPrefix);
  const std::string file = "tests/fixtures/regression/issue9-mass-units.yaml";
  const Outcome r = run_cli(tmp, {"validate", file});
  CHECK(r.status == 0);
  CHECK(r.out == file + ": ok, 1 case(s)\n");
  const std::string hint = "; add commodity: oil if it is crude, or commodity: gas to keep LNG";
  CHECK(contains(r.err, file +
                            ":9:44: warning: node 'oilfield' has no commodity, so its capacity "
                            "'25 Mt/y' is read as LNG: 34 bcm/y of gas" +
                            hint));
  CHECK(contains(r.err, file +
                            ":10:49: warning: node 'refinery' has no commodity, so its demand "
                            "'20 Mt/y' is read as LNG: 27.2 bcm/y of gas" +
                            hint));
  CHECK(contains(r.err, file +
                            ":16:62: warning: pipeline 'crude-line' has no commodity, so its "
                            "capacity '30 Mt/y' is read as LNG: 40.8 bcm/y of gas" +
                            hint));
  std::size_t warnings = 0;
  for (std::size_t at = r.err.find(": warning: "); at != std::string::npos;
       at = r.err.find(": warning: ", at + 1)) {
    ++warnings;
  }
  CHECK(warnings == 3);

  SECTION("--strict makes them errors: exit 2, and run writes nothing") {
    const Outcome strict = run_cli(tmp, {"validate", "--strict", file});
    CHECK(strict.status == 2);
    CHECK(contains(strict.err, file + ":9:44: error: node 'oilfield' has no commodity"));
    CHECK(contains(strict.err, "corridor: 3 error(s)\n"));
    const fs::path out = tmp / "out";
    CHECK(run_cli(tmp, {"run", "--strict", file, "-o", out.string()}).status == 2);
    CHECK_FALSE(fs::exists(out));
  }
  SECTION("run warns too, and goes ahead") {
    const fs::path out = tmp / "out";
    const Outcome run = run_cli(tmp, {"run", "-q", file, "-o", out.string()});
    CHECK(run.status == 0);
    CHECK(contains(run.err, ":9:44: warning: node 'oilfield' has no commodity"));
  }
}

TEST_CASE("issue 9.6: -q prints only warnings and errors, on every command", "[cli][issue9]") {
  ScratchDir tmp(kScratchPrefix);
  const fs::path out = tmp / "out";
  SECTION("run: no summary table") {
    const Outcome r =
        run_cli(tmp, {"run", "-q", "scenarios/russia-china-gas.yaml", "-o", out.string()});
    CHECK(r.status == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
  }
  SECTION("compare: no table") {
    const Outcome r =
        run_cli(tmp, {"compare", "-q", "scenarios/pos2-delay.yaml", "-o", out.string()});
    CHECK(r.status == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
    CHECK(fs::exists(out / "comparison.csv"));
  }
  SECTION("validate: no ok line") {
    const Outcome r = run_cli(tmp, {"validate", "-q", "scenarios/minimal.yaml"});
    CHECK(r.status == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
  }
  SECTION("resolve: nothing on success, so the exit code answers") {
    const Outcome r =
        run_cli(tmp, {"resolve", "-q", "scenarios/pos2-delay.yaml", "-a", "delay-2035"});
    CHECK(r.status == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
    const Outcome bad =
        run_cli(tmp, {"resolve", "-q", "scenarios/pos2-delay.yaml", "-a", "delay-2036"});
    CHECK(bad.status == 2);
    CHECK(contains(bad.err, "no alternative named 'delay-2036'"));
  }
  SECTION("warnings and errors still show") {
    const Outcome warned =
        run_cli(tmp, {"run", "-q", "tests/fixtures/cli/warn-unreachable.yaml", "-o", out.string()});
    CHECK(warned.status == 0);
    CHECK(warned.out.empty());
    CHECK(contains(warned.err, "warning: demand node 'island'"));
    const Outcome failed =
        run_cli(tmp, {"compare", "-q", "tests/fixtures/cli/bad-units.yaml", "-o", out.string()});
    CHECK(failed.status == 2);
    CHECK(failed.out.empty());
    CHECK(contains(failed.err, "error:"));
  }
}
