// Issue 15 end to end, the real binary: `--set PATH=VALUE` on every command that runs a
// scenario (its effect on the results, its record in manifest.json, its located errors), and
// `corridor sweep` (one case per value named PATH=VALUE, the usual tables, compare's table,
// byte-identical files for any thread count, errors that write nothing).
//
// scenarios/minimal.yaml by hand (its header): field 12 bcm/y -> export-line 10 bcm/y ->
// import-line 12 bcm/y -> city, demand 8, 10, 12 bcm/y in 2030..2032.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "corridor/text.h"
#include "process_helpers.h"

namespace {

namespace fs = std::filesystem;
using corridor::test::read_file;
using corridor::test::ScratchDir;
using corridor::test::shell_quote;

const fs::path kRoot = CORRIDOR_SOURCE_DIR;
const std::string kBinary = CORRIDOR_BINARY;
const std::string kMinimal = "scenarios/minimal.yaml";
const std::string kRoutes = "scenarios/russia-china/gas-routes.yaml";

using Outcome = corridor::test::CliOutcome;
using corridor::test::lines_of;

Outcome run_cli(const ScratchDir& scratch, const std::vector<std::string>& args) {
  return corridor::test::run_binary(kRoot, kBinary, scratch, args);
}

/// The rows of `file` (without its header) whose text contains `needle`.
std::vector<std::string> rows_with(const fs::path& file, const std::string& needle) {
  std::vector<std::string> out;
  for (const std::string& l : lines_of(read_file(file))) {
    if (l.find(needle) != std::string::npos) out.push_back(l);
  }
  return out;
}

TEST_CASE("set: an override changes an input of the run and is recorded in the manifest",
          "[cli][why]") {
  ScratchDir dir("corridor_why_cli_");
  const std::string out = (dir / "r").string();
  // #S1: export-line 12 bcm/y and demand +10 % (8.8, 11, 13.2): the field's 12 bcm/y now
  // binds in 2032, so delivered = 8.8, 11, 12 and the shortfall in 2032 is 1.2 bcm.
  const Outcome o =
      run_cli(dir, {"run", kMinimal, "--set", "pipelines.export-line.capacity=12 bcm/y", "--set",
                    "nodes.city.demand=+10%", "-q", "-o", out});
  INFO(o.err);
  REQUIRE(o.status == 0);
  const std::vector<std::string> rows = lines_of(read_file(fs::path(out) / "deliveries.csv"));
  REQUIRE(rows.size() == 4);
  CHECK(rows[1] == "minimal,base,2030,gas,city,1,8.800000,8.800000,0.000000,bcm,B,0.000000");
  CHECK(rows[2] == "minimal,base,2031,gas,city,1,11.000000,11.000000,0.000000,bcm,B,0.000000");
  CHECK(rows[3] == "minimal,base,2032,gas,city,1,13.200000,12.000000,1.200000,bcm,B,0.000000");
  const nlohmann::json m = nlohmann::json::parse(read_file(fs::path(out) / "manifest.json"));
  CHECK(m["command_line"].get<std::string>().find("--set nodes.city.demand=+10%") !=
        std::string::npos);
  const nlohmann::json& changes = m["overrides"]["changes"];
  REQUIRE(changes.size() == 2);
  CHECK(changes[0]["set"] == "pipelines.export-line.capacity=12 bcm/y");
  CHECK(changes[0]["path"] == "pipelines.export-line.capacity");
  CHECK(changes[0]["before"] == "10 bcm/y");
  CHECK(changes[0]["after"] == "12 bcm/y");
  CHECK(changes[1]["case"] == "base");
  CHECK(changes[1]["before"] == "{2030: 8 bcm/y, 2031: 10 bcm/y, 2032: 12 bcm/y}");
}

TEST_CASE("set: a later override sees the earlier one", "[cli][why]") {
  ScratchDir dir("corridor_why_cli_");
  const std::string out = (dir / "r").string();
  // 10 bcm/y, then x1.5: 15 bcm/y; the import line (12) binds, so 2032 delivers 12.
  const Outcome o =
      run_cli(dir, {"run", kMinimal, "--set", "pipelines.export-line.capacity=10 bcm/y", "--set",
                    "pipelines.export-line.capacity=x1.5", "-q", "-o", out});
  REQUIRE(o.status == 0);
  const nlohmann::json m = nlohmann::json::parse(read_file(fs::path(out) / "manifest.json"));
  CHECK(m["overrides"]["changes"][1]["after"] == "15 bcm/y");
  CHECK(rows_with(fs::path(out) / "deliveries.csv", ",2032,")[0] ==
        "minimal,base,2032,gas,city,1,12.000000,12.000000,0.000000,bcm,B,0.000000");
}

TEST_CASE("set: applies to the cases that have the path and refuses one that none has",
          "[cli][why]") {
  ScratchDir dir("corridor_why_cli_");
  const std::string out = (dir / "r").string();
  // pos2-russia exists only in the pos2-mongolia alternative: the others run unchanged.
  Outcome o =
      run_cli(dir, {"run", kRoutes, "--set", "pipelines.pos2-russia.online=2035", "-q", "-o", out});
  INFO(o.err);
  REQUIRE(o.status == 0);
  const nlohmann::json m = nlohmann::json::parse(read_file(fs::path(out) / "manifest.json"));
  REQUIRE(m["overrides"]["changes"].size() == 1);
  CHECK(m["overrides"]["changes"][0]["case"] == "pos2-mongolia");
  CHECK(m["overrides"]["changes"][0]["after"] == "2035");
  // The route carries nothing before 2035.
  CHECK(rows_with(fs::path(out) / "routes.csv", "pos2-mongolia,2034,gas,pos2-mongolia,0.000000")
            .size() == 1);

  const std::string bad = (dir / "bad").string();
  o = run_cli(dir, {"run", kRoutes, "--set", "pipelines.pos3-russia.online=2035", "-o", bad});
  CHECK(o.status == 2);
  CHECK(o.err ==
        "--set pipelines.pos3-russia.online=2035: error: unknown pipeline 'pos3-russia' in path "
        "'pipelines.pos3-russia.online' (in scenarios/russia-china/gas-routes.yaml); did you "
        "mean 'pos2-russia'?\ncorridor: 1 error(s); nothing was written\n");
  CHECK_FALSE(fs::exists(bad));
}

TEST_CASE("set: exact errors for a missing '=', a bad value, a value out of range", "[cli][why]") {
  ScratchDir dir("corridor_why_cli_");
  const std::string out = (dir / "r").string();
  Outcome o = run_cli(dir, {"run", kMinimal, "--set", "nodes.city.demand", "-o", out});
  CHECK(o.status == 2);
  CHECK(o.err ==
        "--set nodes.city.demand: error: 'nodes.city.demand' has no '='; write PATH=VALUE, e.g. "
        "pipelines.pos1.capacity=40 bcm/y\ncorridor: 1 error(s); nothing was written\n");
  o = run_cli(dir, {"run", kMinimal, "--set", "nodes.city.demand=12 bcm", "-o", out});
  CHECK(o.status == 2);
  CHECK(
      o.err.starts_with("--set nodes.city.demand=12 bcm: error: bad value '12 bcm' for "
                        "nodes.city.demand: "));
  o = run_cli(dir, {"run", kMinimal, "--set", "pipelines.import-line.availability=1.5", "-o", out});
  CHECK(o.status == 2);
  CHECK(o.err ==
        "--set pipelines.import-line.availability=1.5: error: '1.5' takes "
        "pipelines.import-line.availability (1) out of its range: availability is between 0 and "
        "1 (0 % and 100 %); give a value within the range\ncorridor: 1 error(s); nothing was "
        "written\n");
  // A change that validate() refuses: online after retire is located where validate puts it.
  o = run_cli(dir, {"validate", kMinimal, "--set", "pipelines.export-line.capacity=-5 bcm/y"});
  CHECK(o.status == 2);
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("set: works on every command that runs a scenario", "[cli][why]") {
  ScratchDir dir("corridor_why_cli_");
  const std::vector<std::vector<std::string>> commands = {
      {"run", kMinimal},
      {"compare", kMinimal},
      {"capacity", kMinimal},
      {"hydraulics", kMinimal},
      {"contingencies", kMinimal},
      {"n1", kMinimal},
      {"ensemble", "tests/fixtures/ensemble/tiny.yaml", "--draws", "3"},
      {"sweep", kMinimal, "--param", "nodes.city.demand=8,9 bcm/y"}};
  for (const auto& c : commands) {
    std::vector<std::string> args = c;
    const std::string out = (dir / c[0]).string();
    const std::string path = c[0] == "ensemble" ? "pipelines.*.availability=90 %"
                                                : "pipelines.export-line.availability=90 %";
    args.insert(args.end(), {"--set", path, "-q", "-o", out});
    const Outcome o = run_cli(dir, args);
    INFO(c[0] << ": " << o.err);
    CHECK(o.status == 0);
    const nlohmann::json m = nlohmann::json::parse(read_file(fs::path(out) / "manifest.json"));
    CHECK(m["overrides"]["changes"][0]["after"] == "0.9");
  }
}

TEST_CASE("sweep: one case per value named PATH=VALUE, compared with the first", "[cli][why]") {
  ScratchDir dir("corridor_why_cli_");
  const std::string out = (dir / "s").string();
  // #W1: export-line 10, 12, 14 bcm/y. 2032 delivers 10, 12, 12 (the import line's 12 binds
  // at 14), so the route's cumulative volume is 28, 30, 30 bcm.
  Outcome o =
      run_cli(dir, {"sweep", kMinimal, "--param", "pipelines.export-line.capacity=10..14:2 bcm/y",
                    "-o", out, "--width", "120"});
  INFO(o.err);
  REQUIRE(o.status == 0);
  for (const std::string f : {"flows.csv", "deliveries.csv", "supplies.csv", "routes.csv",
                              "summary.csv", "route_costs.csv", "transit_fees.csv",
                              "comparison.csv", "comparison_wide.csv", "manifest.json"}) {
    CHECK(fs::exists(fs::path(out) / f));
  }
  const auto rows = rows_with(fs::path(out) / "deliveries.csv", ",2032,");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] ==
        "minimal,pipelines.export-line.capacity=10 bcm/y,2032,gas,city,1,12.000000,10.000000,"
        "2.000000,bcm,B,0.000000");
  CHECK(rows[1] ==
        "minimal,pipelines.export-line.capacity=12 bcm/y,2032,gas,city,1,12.000000,12.000000,"
        "0.000000,bcm,B,0.000000");
  CHECK(rows[2] ==
        "minimal,pipelines.export-line.capacity=14 bcm/y,2032,gas,city,1,12.000000,12.000000,"
        "0.000000,bcm,B,0.000000");
  const auto cumulative = rows_with(fs::path(out) / "comparison.csv", ",cumulative_volume,");
  REQUIRE(cumulative.size() == 3);
  CHECK(cumulative[2].find("pipelines.export-line.capacity=14 bcm/y,gas,field-to-city,"
                           "cumulative_volume,,30.000000,bcm,") != std::string::npos);
  CHECK(cumulative[2].ends_with("pipelines.export-line.capacity=10 bcm/y,28.000000,2.000000"));
  CHECK(o.out.find("gas vs baseline pipelines.export-line.capacity=10 bcm/y") != std::string::npos);
  const nlohmann::json m = nlohmann::json::parse(read_file(fs::path(out) / "manifest.json"));
  CHECK(m["sweep"]["path"] == "pipelines.export-line.capacity");
  CHECK(m["sweep"]["values"] == 3);

  // --baseline picks another value; -j 1 and -j 2 give the same bytes.
  const std::string one = (dir / "one").string(), two = (dir / "two").string();
  const std::vector<std::string> args = {
      "sweep",      kRoutes,
      "--case",     "pos2-mongolia",
      "--param",    "pipelines.soyuz-vostok.transit_fee=0,20,40 USD/kcm",
      "--baseline", "pipelines.soyuz-vostok.transit_fee=20 USD/kcm",
      "-q"};
  auto with = [&](std::vector<std::string> a, const std::string& j, const std::string& o) {
    a.insert(a.end(), {"-j", j, "-o", o});
    return a;
  };
  REQUIRE(run_cli(dir, with(args, "1", one)).status == 0);
  REQUIRE(run_cli(dir, with(args, "2", two)).status == 0);
  for (const std::string f : {"routes.csv", "route_costs.csv", "comparison.csv"}) {
    CHECK(read_file(fs::path(one) / f) == read_file(fs::path(two) / f));
  }
  CHECK(rows_with(fs::path(one) / "comparison.csv",
                  "pipelines.soyuz-vostok.transit_fee=40 USD/kcm,gas,pos2-mongolia,"
                  "first_flow_year,,2031,year,,pipelines.soyuz-vostok.transit_fee=20 USD/kcm")
            .size() == 1);
}

TEST_CASE("sweep: exact errors, and nothing written", "[cli][why]") {
  ScratchDir dir("corridor_why_cli_");
  const std::string out = (dir / "s").string();
  Outcome o = run_cli(dir, {"sweep", kMinimal, "--param",
                            "pipelines.export-line.capacity=10..14 bcm/y", "-o", out});
  CHECK(o.status == 2);
  CHECK(o.err ==
        "--param pipelines.export-line.capacity=10..14 bcm/y: error: range '10..14 bcm/y' has no "
        "step; write LOW..HIGH:STEP, e.g. 30..50:10 bcm/y\ncorridor: 1 error(s); nothing was "
        "written\n");
  o = run_cli(dir, {"sweep", kRoutes, "--case", "pos2-mongolai", "--param",
                    "pipelines.pos2-russia.online=2031,2033", "-o", out});
  CHECK(o.status == 2);
  CHECK(o.err ==
        "--case pos2-mongolai: error: no case named 'pos2-mongolai' in "
        "scenarios/russia-china/gas-routes.yaml; did you mean 'pos2-mongolia'?\ncorridor: 1 "
        "error(s); nothing was written\n");
  // A value that validate() refuses names its case.
  o = run_cli(
      dir, {"sweep", kMinimal, "--param", "pipelines.export-line.capacity=10,20 bcm/d", "-o", out});
  CHECK(o.status == 2);
  o = run_cli(dir, {"sweep", kMinimal, "--param", "nodes.city.demand=8,9 bcm/y", "--baseline",
                    "nodes.city.demand=7 bcm/y", "-o", out});
  CHECK(o.status == 2);
  CHECK(o.err.find("--baseline") != std::string::npos);
  CHECK_FALSE(fs::exists(out));
}

}  // namespace

namespace {

TEST_CASE("sensitivity: tornado.csv, the terminal tornado and the manifest", "[cli][why]") {
  ScratchDir dir("corridor_why_cli_");
  const std::string out = (dir / "t").string();
  // #T1 and #T2 of why_test.cpp: delivered 28 bcm at the base; demand -50 %..+50 % gives 15..30,
  // export-line 8..12 bcm/y gives 24..30.
  const Outcome o =
      run_cli(dir, {"sensitivity", kMinimal, "--vary", "pipelines.export-line.capacity=8..12 bcm/y",
                    "--vary", "nodes.city.demand=-50%..+50%", "--kpi", "delivered", "-o", out,
                    "--width", "80"});
  INFO(o.err);
  REQUIRE(o.status == 0);
  CHECK(read_file(fs::path(out) / "tornado.csv") ==
        "scenario,case,kpi,unit,parameter,low_value,high_value,kpi_base,kpi_low,kpi_high,swing\n"
        "minimal,base,delivered,bcm,nodes.city.demand,-50%,+50%,28.000000,15.000000,30.000000,"
        "15.000000\n"
        "minimal,base,delivered,bcm,pipelines.export-line.capacity,8 bcm/y,12 bcm/y,28.000000,"
        "24.000000,30.000000,6.000000\n");
  const std::vector<std::string> lines = lines_of(o.out);
  REQUIRE(lines.size() >= 5);
  CHECK(lines[0] == "delivered (bcm), minimal / base: base 28.000000");
  CHECK(lines[2].starts_with("nodes.city.demand "));
  CHECK(lines[2].find("░│█") != std::string::npos);
  CHECK(lines[2].ends_with("15.000000 .. 30.000000  15.000000"));
  for (const std::string& l : lines) CHECK(corridor::display_width(l) <= 80);
  const nlohmann::json m = nlohmann::json::parse(read_file(fs::path(out) / "manifest.json"));
  CHECK(m["sensitivity"]["inputs"] == 2);
  CHECK(m["sensitivity"]["dispatched"] == 4);
}

TEST_CASE("sensitivity: --vary-all on the route library is byte-identical for any thread count",
          "[cli][why]") {
  ScratchDir dir("corridor_why_cli_");
  const std::vector<std::string> args = {
      "sensitivity", kRoutes,        "--case", "pos2-mongolia",
      "--vary-all",  "relative=10%", "--kpi",  "routes.pos2-mongolia.levelised_cost",
      "-q"};
  auto with = [&](const std::string& j, const std::string& o) {
    std::vector<std::string> a = args;
    a.insert(a.end(), {"-j", j, "-o", o});
    return a;
  };
  const std::string one = (dir / "one").string(), two = (dir / "two").string();
  REQUIRE(run_cli(dir, with("1", one)).status == 0);
  REQUIRE(run_cli(dir, with("2", two)).status == 0);
  const std::string csv = read_file(fs::path(one) / "tornado.csv");
  CHECK(csv == read_file(fs::path(two) / "tornado.csv"));
  // The base is comparison.csv's levelised cost; the rows are sorted by swing.
  const std::vector<std::string> rows = lines_of(csv);
  REQUIRE(rows.size() > 100);
  double previous = 1e300;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const std::string swing = rows[i].substr(rows[i].rfind(',') + 1);
    if (swing.empty()) continue;
    CHECK(std::stod(swing) <= previous);
    previous = std::stod(swing);
  }
}

TEST_CASE("sensitivity, breakeven, explain: exact errors and nothing written", "[cli][why]") {
  ScratchDir dir("corridor_why_cli_");
  const std::string out = (dir / "x").string();
  Outcome o = run_cli(dir, {"sensitivity", kMinimal, "-o", out});
  CHECK(o.status == 2);
  CHECK(o.err ==
        "sensitivity: error: nothing to vary; give --vary PATH=LOW..HIGH (repeatable) or "
        "--vary-all relative=10%\ncorridor: 1 error(s); nothing was written\n");
  o = run_cli(dir, {"sensitivity", kMinimal, "--vary", "nodes.city.demand=8 bcm/y", "-o", out});
  CHECK(o.status == 2);
  CHECK(o.err ==
        "--vary nodes.city.demand=8 bcm/y: error: '8 bcm/y' is not a range; write LOW..HIGH, "
        "e.g. 20..30 USD/kcm or -20%..+20%\ncorridor: 1 error(s); nothing was written\n");
  o = run_cli(dir, {"sensitivity", kMinimal, "--vary-all", "relative=10%", "--kpi",
                    "routes.field-to-cty.volume", "-o", out});
  CHECK(o.status == 2);
  CHECK(o.err ==
        "--kpi routes.field-to-cty.volume: error: no route 'field-to-cty' in KPI "
        "'routes.field-to-cty.volume'; did you mean 'field-to-city'?\ncorridor: 1 error(s); "
        "nothing was written\n");
  o = run_cli(
      dir, {"sensitivity", kMinimal, "--vary-all", "relative=10%", "--kinds", "bound", "-o", out});
  CHECK(o.status == 2);
  CHECK(
      o.err.starts_with("--kinds bound: error: unknown kind of input 'bound'; did you mean "
                        "'bounds'?"));
  o = run_cli(dir, {"breakeven", kRoutes, "--param", "pipelines.soyuz-vostok.transit_fee", "--kpi",
                    "total_cost", "--case", "pos2-mongolia", "--vs", "pos2-mongolia", "-o", out});
  CHECK(o.status == 2);
  CHECK(
      o.err.starts_with("--vs pos2-mongolia: error: case A and case B are the same case with "
                        "the same KPI"));
  o = run_cli(dir, {"breakeven", kRoutes, "--param", "pipelines.soyuz-vostok.transit_fe", "--kpi",
                    "total_cost", "--case", "pos2-mongolia", "--vs", "altai", "-o", out});
  CHECK(o.status == 2);
  CHECK(
      o.err.starts_with("--param pipelines.soyuz-vostok.transit_fe: error: unknown field "
                        "'transit_fe' of pipelines"));
  o = run_cli(dir,
              {"explain", kRoutes, "--from", "status-quo", "--to", "pos2-mongolai", "-o", out});
  CHECK(o.status == 2);
  CHECK(o.err.starts_with("--to pos2-mongolai: error: no case named 'pos2-mongolai'"));
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("breakeven: the Mongolian transit fee at which PoS-2 costs what Altai costs",
          "[cli][why]") {
  ScratchDir dir("corridor_why_cli_");
  const std::string out = (dir / "b").string();
  // #B2: PoS-2's levelised cost is linear in the fee (slope 1: the fee is paid on every unit
  // of the route's volume, and dispatch does not change over the range), 53.304 USD/kcm at 0.
  // Altai's, in its own case, is 59.474: equal at 59.474 - 53.304 = 6.170 USD/kcm.
  Outcome o = run_cli(
      dir, {"breakeven", kRoutes, "--param", "pipelines.soyuz-vostok.transit_fee", "--kpi",
            "routes.pos2-mongolia.levelised_cost", "--kpi", "routes.altai.levelised_cost", "--case",
            "pos2-mongolia", "--vs", "altai", "--range", "0..60 USD/kcm", "-o", out});
  INFO(o.err);
  REQUIRE(o.status == 0);
  const std::vector<std::string> rows = lines_of(read_file(fs::path(out) / "breakeven.csv"));
  REQUIRE(rows.size() == 2);
  CHECK(
      rows[1].starts_with("russia-china-gas-routes,pipelines.soyuz-vostok.transit_fee,"
                          "pos2-mongolia,routes.pos2-mongolia.levelised_cost,altai,"
                          "routes.altai.levelised_cost,1,6.17"));
  CHECK(
      rows[1].ends_with(",USD/kcm,59.474,USD/kcm,exact: the difference is linear between "
                        "grid points"));
  const auto curve = rows_with(fs::path(out) / "breakeven_curve.csv", ",0,USD/kcm,");
  REQUIRE(curve.size() == 1);
  CHECK(curve[0].find(",53.304,altai,routes.altai.levelised_cost,59.474,USD/kcm") !=
        std::string::npos);
  // Above the crossing there is none, and the output says so.
  o = run_cli(
      dir, {"breakeven", kRoutes, "--param", "pipelines.soyuz-vostok.transit_fee", "--kpi",
            "routes.pos2-mongolia.levelised_cost", "--kpi", "routes.altai.levelised_cost", "--case",
            "pos2-mongolia", "--vs", "altai", "--range", "10..60 USD/kcm", "-o", out});
  REQUIRE(o.status == 0);
  CHECK(
      o.out.starts_with("no crossing in 10 USD/kcm..60 USD/kcm: "
                        "routes.pos2-mongolia.levelised_cost of pos2-mongolia minus "
                        "routes.altai.levelised_cost of altai keeps its sign (from 3.830 to "
                        "53.830 USD/kcm)"));
}

TEST_CASE("explain: status-quo to pos2-mongolia, the inputs and an attribution that closes",
          "[cli][why]") {
  ScratchDir dir("corridor_why_cli_");
  const std::string out = (dir / "e").string();
  const Outcome o = run_cli(dir, {"explain", kRoutes, "--from", "status-quo", "--to",
                                  "pos2-mongolia", "--kpi", "total_cost", "-o", out});
  INFO(o.err);
  REQUIRE(o.status == 0);
  CHECK(
      o.out.starts_with("6 inputs differ from status-quo to pos2-mongolia:\n"
                        "  nodes.ru-mn-border      absent → present\n"));
  const std::vector<std::string> rows = lines_of(read_file(fs::path(out) / "explain.csv"));
  REQUIRE(rows.size() == 8);  // six inputs and the interaction
  CHECK(rows[0] ==
        "scenario,kpi,unit,from_case,to_case,input,old_value,new_value,one_at_a_time,shapley,"
        "share");
  // The shares of the Shapley values add up to 1 (to the printed decimals).
  double share = 0.0;
  for (std::size_t i = 1; i + 1 < rows.size(); ++i) {
    share += std::stod(rows[i].substr(rows[i].rfind(',') + 1));
  }
  CHECK(share == Approx(1.0).margin(6e-4));
  CHECK(rows.back().find(",(interaction),,,") != std::string::npos);
  const nlohmann::json m = nlohmann::json::parse(read_file(fs::path(out) / "manifest.json"));
  CHECK(m["explain"]["shapley"] == "exact");
  CHECK(m["explain"]["states"] == 64);
}

}  // namespace
