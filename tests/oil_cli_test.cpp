// `--units` end to end on the commands beyond run and compare (issue 18.3): ensemble,
// contingencies and sweep convert their volume columns; n1, hydraulics, capacity and the KPI
// studies refuse the option, saying why, and write nothing. The fixture,
// tests/fixtures/oil/units.yaml, works the numbers out by hand (#V1): 10 Mt of crude at
// 850 kg/m3 is 73,997.774 kb, 202.733627 kb/d over 365 days; 2 Mt is 40.546725 kb/d and
// 8 Mt 162.186901 kb/d.
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "process_helpers.h"

namespace {

namespace fs = std::filesystem;
using corridor::test::read_file;
using corridor::test::ScratchDir;
using corridor::test::shell_quote;

const fs::path kRoot = CORRIDOR_SOURCE_DIR;
const std::string kBinary = CORRIDOR_BINARY;
const std::string kUnits = "tests/fixtures/oil/units.yaml";

using Outcome = corridor::test::CliOutcome;
using corridor::test::lines_of;

Outcome run_cli(const ScratchDir& scratch, const std::vector<std::string>& args) {
  return corridor::test::run_binary(kRoot, kBinary, scratch, args);
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string f; std::getline(in, f, ',');) out.push_back(f);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// kb/d per Mt/y at 850 kg/m3: 1e9 / 850 / 0.158987294928 / 1000 / 365.
constexpr double kKbdPerMt = 20.273362676654648;

TEST_CASE("#V1 ensemble --units oil=kb/d: every volume statistic in kb/d, the rest unchanged",
          "[oil][units][cli]") {
  ScratchDir scratch("corridor_oil_cli_");
  const std::string mt = (scratch / "mt").string(), kbd = (scratch / "kbd").string();
  REQUIRE(run_cli(scratch, {"ensemble", kUnits, "-o", mt, "--keep-draws", "-q"}).status == 0);
  const Outcome o =
      run_cli(scratch, {"ensemble", kUnits, "-o", kbd, "--keep-draws", "--units", "oil=kb/d"});
  INFO(o.err);
  REQUIRE(o.status == 0);
  // The table: delivered 10 Mt = 202.73 kb/d at P10, P50 and P90; 2 Mt short = 40.55 kb/d.
  CHECK(contains(o.out, "  oil (kb/d)\n"));
  CHECK(contains(o.out, "2031          202.73     202.73     202.73             100.0%  40.55"));
  // #V1 by hand: the route's volume and the market's expected unserved volume.
  const std::string summary = read_file(fs::path(kbd) / "ensemble_summary.csv");
  CHECK(contains(summary,
                 "oil-units,base,2031,oil,route,main,volume,kb/d,202.733627,0.000000,202.733627,"
                 "202.733627,202.733627,202.733627,202.733627,202.733627,202.733627,20\n"));
  const std::string risk = read_file(fs::path(kbd) / "ensemble_risk.csv");
  CHECK(contains(risk,
                 "oil-units,base,2031,oil,market,refinery,expected_unserved,kb/d,40.546725,"
                 "0.000000,20\n"));
  CHECK(contains(risk, "oil-units,base,2031,oil,market,refinery,p_shortfall,fraction,1.0000,"));
  CHECK(contains(read_file(fs::path(kbd) / "draws.csv"),
                 "oil-units,base,7,2031,oil,market,refinery,delivered,kb/d,202.733627\n"));
  // Every row of every file against the default run: a volume is Mt x 20.2733627 (to the
  // rounding of the Mt figure, 5e-7 Mt), in kb/d; fractions and MUSD are the same text.
  for (const char* file : {"ensemble_summary.csv", "ensemble_risk.csv", "draws.csv"}) {
    CAPTURE(file);
    const std::vector<std::string> a = lines_of(read_file(fs::path(mt) / file));
    const std::vector<std::string> b = lines_of(read_file(fs::path(kbd) / file));
    REQUIRE(a.size() == b.size());
    REQUIRE(a.size() > 5);
    CHECK(a[0] == b[0]);
    const std::vector<std::string> header = fields_of(a[0]);
    const auto unit_col =
        static_cast<std::size_t>(std::find(header.begin(), header.end(), "unit") - header.begin());
    REQUIRE(unit_col < header.size());
    int volumes = 0;
    for (std::size_t i = 1; i < a.size(); ++i) {
      CAPTURE(a[i], b[i]);
      const std::vector<std::string> fa = fields_of(a[i]), fb = fields_of(b[i]);
      REQUIRE(fa.size() == fb.size());
      if (fa[unit_col] != "Mt") {
        CHECK(a[i] == b[i]);
        continue;
      }
      ++volumes;
      CHECK(fb[unit_col] == "kb/d");
      for (std::size_t k = unit_col + 1; k < fa.size(); ++k) {
        if (header[k] == "draws" || fa[k].empty()) {
          CHECK(fa[k] == fb[k]);
        } else {
          CHECK(std::stod(fb[k]) == Approx(std::stod(fa[k]) * kKbdPerMt).margin(2e-5));
        }
      }
    }
    CHECK(volumes > 0);
  }
}

TEST_CASE("#V2 contingencies --units oil=kb/d: rows in kb/d, the ranking's sums in kb",
          "[oil][units][cli]") {
  ScratchDir scratch("corridor_oil_cli_");
  const std::string dir = (scratch / "c").string();
  const Outcome o = run_cli(scratch, {"contingencies", kUnits, "-o", dir, "--units", "oil=kb/d"});
  INFO(o.err);
  REQUIRE(o.status == 0);
  // Without the line the refinery loses its 10 Mt: 202.733627 kb/d, all of its 12 Mt/y
  // (243.280352 kb/d) short.
  const std::string main = read_file(fs::path(dir) / "contingencies.csv");
  CHECK(contains(main,
                 "oil-units,base,2031,oil,line,pipeline,202.733627,kb/d,1.0000,-4200.000,refinery,"
                 "202.733627,202.733627,0.000000,243.280352,,\n"));
  CHECK(contains(read_file(fs::path(dir) / "contingencies_routes.csv"),
                 "oil-units,base,2031,oil,line,pipeline,main,202.733627,0.000000,-202.733627,"
                 "kb/d\n"));
  // The ranking sums volumes over the years: in kb (the daily unit's volume), never a sum of
  // daily rates. 10 Mt = 73,997.77 kb.
  CHECK(contains(o.out,
                 "     1  line                        pipeline      73997.77  kb     2031  "
                 "73997.77  refinery\n"));
}

TEST_CASE("#V3 sweep --units oil=kb/d: each value's case in kb/d", "[oil][units][cli]") {
  ScratchDir scratch("corridor_oil_cli_");
  const std::string dir = (scratch / "s").string();
  const Outcome o =
      run_cli(scratch, {"sweep", kUnits, "--param", "pipelines.line.capacity=8,10 Mt/y", "-o", dir,
                        "-q", "--units", "oil=kb/d"});
  INFO(o.err);
  REQUIRE(o.status == 0);
  CHECK(read_file(fs::path(dir) / "routes.csv") ==
        "scenario,case,year,commodity,route,volume,capacity,utilisation,bottleneck,unit\n"
        "oil-units,pipelines.line.capacity=8 Mt/y,2031,oil,main,162.186901,162.186901,1.0000,"
        "line,kb/d\n"
        "oil-units,pipelines.line.capacity=10 Mt/y,2031,oil,main,202.733627,202.733627,1.0000,"
        "line,kb/d\n");
}

TEST_CASE("#V4 commands whose tables have fixed units refuse --units, say why, write nothing",
          "[oil][units][cli]") {
  ScratchDir scratch("corridor_oil_cli_");
  const std::string dir = (scratch / "never").string();
  struct Refused {
    std::vector<std::string> args;
    std::string message;
  };
  const std::string kpis =
      "the KPIs of sensitivity, breakeven and explain are in bcm, Mt and MUSD, and their tables "
      "do not convert them yet; drop --units, or run `corridor run --units` on the cases\n";
  const std::vector<Refused> cases = {
      {{"n1", kUnits, "--units", "oil=kb/d"},
       "corridor: error: --units oil=kb/d: n1 writes the EU N-1 standard in mcm/d, the unit of "
       "Regulation (EU) 2017/1938's formula (Annex II), and in percent; drop --units (n1.csv's "
       "unit column says mcm/d)\n"},
      {{"hydraulics", kUnits, "--units", "gas=mcm/d"},
       "corridor: error: --units gas=mcm/d: hydraulics names the unit in each column "
       "(flow_mcm_per_d, flow_kg_per_s, bar, MW); drop --units\n"},
      {{"capacity", kUnits, "--units", "oil=kb/d"},
       "corridor: error: --units oil=kb/d: capacity compares rated and physical capacities as "
       "annual rates (bcm/y, Mt/y) and does not convert them yet; drop --units, or run "
       "`corridor run --units` for the flows\n"},
      {{"sensitivity", kUnits, "--vary-all", "relative=10%", "--units", "oil=kb/d"},
       "corridor: error: --units oil=kb/d: " + kpis},
      {{"explain", kUnits, "--from", "base", "--to", "base", "--units", "oil=Mb"},
       "corridor: error: --units oil=Mb: " + kpis},
  };
  for (const Refused& r : cases) {
    std::vector<std::string> args = r.args;
    args.insert(args.end(), {"-o", dir});
    CAPTURE(args[0]);
    const Outcome o = run_cli(scratch, args);
    CHECK(o.status == 2);
    CHECK(o.err == r.message);
    CHECK(o.out.empty());
    CHECK_FALSE(fs::exists(dir));
  }
  // A unit that does not exist is still refused by the commands that take --units.
  const Outcome bad = run_cli(scratch, {"ensemble", kUnits, "-o", dir, "--units", "oil=kbd"});
  CHECK(bad.status == 2);
  CHECK(contains(bad.err, "corridor: error: --units: "));
  CHECK_FALSE(fs::exists(dir));
}

}  // namespace
