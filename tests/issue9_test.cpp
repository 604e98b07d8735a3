// Regressions of issue 9 ("defects found by trying corridor as an analyst would"), one TEST_CASE
// per defect, each on a hand-worked fixture in tests/fixtures/regression/issue9-*.yaml whose
// header works out the answers labelled here (#B1, ...). The command-line parts of the issue
// (-q, --xlsx) are in cli_test.cpp and xlsx_test.cpp.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "corridor/compare.h"
#include "corridor/csv.h"
#include "corridor/scenario_io.h"
#include "corridor/simulate.h"
#include "test_helpers.h"

namespace corridor {
namespace {

using Row = std::map<std::string, std::string>;

/// The rows of a CSV text without quoted fields, as column -> field.
std::vector<Row> rows_of(const std::string& csv) {
  std::vector<Row> rows;
  std::istringstream in(csv);
  std::string line;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream cells(line);
    while (std::getline(cells, field, ',')) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    if (header.empty()) {
      header = fields;
      continue;
    }
    REQUIRE(fields.size() == header.size());
    Row row;
    for (std::size_t i = 0; i < header.size(); ++i) row[header[i]] = fields[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

/// The one row whose fields include every (column, value) of `key`.
Row row_where(const std::string& csv, const Row& key) {
  std::vector<Row> found;
  for (const Row& row : rows_of(csv)) {
    bool match = true;
    for (const auto& [column, value] : key) match = match && row.at(column) == value;
    if (match) found.push_back(row);
  }
  REQUIRE(found.size() == 1);
  return found.front();
}

double number(const Row& row, const std::string& column) { return std::stod(row.at(column)); }

/// Every case of a fixture file, simulated.
RunResult run_file(const std::string& path) {
  std::filesystem::current_path(CORRIDOR_SOURCE_DIR);
  RunResult r;
  for (const auto& c : load_scenario(path).cases) r.cases.push_back(simulate(c));
  return r;
}

constexpr double kVolumeMargin = 2e-6;  // two flow units: the months are rounded one by one

TEST_CASE("issue 9.2: a route against its bidirectional meter is never negative, nor over 1",
          "[issue9]") {
  const RunResult r = run_file("tests/fixtures/regression/issue9-bidirectional-meter.yaml");
  const Row route{{"route", "east-to-west"}, {"year", "2030"}};
  const double forward = 6.0 * 181 / 365;  // #B2

  // #B1 the months: January along the route and full; July against it, so nothing.
  Row january = route, july = route;
  january["month"] = "1";
  july["month"] = "7";
  const std::string monthly = routes_csv(r, true);
  const Row jan = row_where(monthly, january);
  CHECK(number(jan, "volume") == Approx(6.0 * 31 / 365).margin(kVolumeMargin));
  CHECK(jan.at("utilisation") == "1.0000");
  CHECK(jan.at("bottleneck") == "east-in");
  const Row jul = row_where(monthly, july);
  CHECK(jul.at("volume") == "0.000000");
  CHECK(number(jul, "capacity") == Approx(6.0 * 31 / 365).margin(kVolumeMargin));
  CHECK(jul.at("utilisation") == "0.0000");
  CHECK(jul.at("bottleneck").empty());
  for (const Row& row : rows_of(monthly)) {
    INFO("month " << row.at("month"));
    CHECK(number(row, "volume") >= 0.0);
    if (!row.at("utilisation").empty()) CHECK(number(row, "utilisation") <= 1.0);
  }

  // #B2 the year: the months' volume along the route, not the net of the interconnector.
  const Row year = row_where(routes_csv(r), route);
  CHECK(number(year, "volume") == Approx(forward).margin(kVolumeMargin));
  CHECK(number(year, "capacity") == Approx(6.0).margin(kVolumeMargin));
  CHECK(year.at("utilisation") == "0.4959");
  CHECK(year.at("bottleneck") == "east-in");

  // #B3 the costs use the same volume.
  const Row cost = row_where(route_costs_csv(r), route);
  CHECK(cost.at("volume") == year.at("volume"));
  CHECK(cost.at("tariff_musd") == "2.975");
  CHECK(cost.at("levelised_cost") == "1.000");

  // #B4 and so does compare.
  CompareOptions o;
  o.years = {2030};
  const std::string comparison = comparison_csv(compare(r, o));
  CHECK(row_where(comparison, {{"metric", "volume"}, {"year", "2030"}}).at("value") ==
        year.at("volume"));
  CHECK(row_where(comparison, {{"metric", "utilisation"}, {"year", "2030"}}).at("value") ==
        "0.4959");
}

}  // namespace
}  // namespace corridor

namespace corridor {
namespace {

TEST_CASE("issue 9.6: utilisation at capacity 0 is an empty field in every file", "[issue9]") {
  // monthly-retire.yaml (its header works the numbers out): old-line retires on 1 July 2030,
  // new-line opens on 1 October 2030. Capacity 0 means utilisation is undefined: an empty
  // field, which a spreadsheet's AVERAGE skips, never 0.0000, which it would count.
  const RunResult r = run_file("tests/fixtures/golden/monthly-retire.yaml");
  const std::string flows = flows_csv(r), flows_monthly = flows_csv(r, true);
  const std::string routes = routes_csv(r), routes_monthly = routes_csv(r, true);
  CHECK(row_where(flows, {{"pipeline", "old-line"}, {"year", "2031"}}).at("utilisation").empty());
  CHECK(row_where(flows_monthly, {{"pipeline", "new-line"}, {"year", "2030"}, {"month", "9"}})
            .at("utilisation")
            .empty());
  CHECK(row_where(flows_monthly, {{"pipeline", "new-line"}, {"year", "2030"}, {"month", "10"}})
            .at("utilisation") == "0.5000");  // the feeder's 3 of its 6 bcm/y
  CHECK(row_where(routes, {{"route", "old-route"}, {"year", "2031"}}).at("utilisation").empty());
  CHECK(row_where(routes_monthly, {{"route", "old-route"}, {"year", "2030"}, {"month", "7"}})
            .at("utilisation")
            .empty());
  // One rule everywhere: empty exactly when the capacity is 0.
  for (const std::string* file : {&flows, &flows_monthly, &routes, &routes_monthly}) {
    for (const Row& row : rows_of(*file)) {
      CHECK(row.at("utilisation").empty() == (number(row, "capacity") == 0.0));
    }
  }

  // compare: a route whose line is in service by its dates but rated 0 in 2030.
  Scenario s = test::scenario(2030, 2031);
  s.nodes = {test::supply("S", 10), test::demand("D", 5)};
  Pipeline p = test::pipe("p", "S", "D", 0);
  p.capacity = test::series({{2030, 0}, {2031, 10}});
  s.pipelines = {p};
  s.routes = {test::route("r", {"p"})};
  RunResult one;
  one.cases.push_back(simulate(s));
  CompareOptions o;
  o.years = {2030, 2031};
  const Comparison c = compare(one, o);
  CHECK(row_where(comparison_csv(c), {{"metric", "utilisation"}, {"year", "2030"}})
            .at("value")
            .empty());
  CHECK(row_where(comparison_csv(c), {{"metric", "utilisation"}, {"year", "2031"}}).at("value") ==
        "0.5000");
  CHECK(rows_of(comparison_wide_csv(c)).at(0).at("utilisation_2030").empty());
  CHECK(rows_of(comparison_wide_csv(c)).at(0).at("utilisation_2031") == "0.5000");
}

}  // namespace
}  // namespace corridor

namespace corridor {
namespace {

TEST_CASE("issue 9.6: capex_start before the asset is in service is a located error", "[issue9]") {
  const std::string file = "tests/fixtures/regression/issue9-capex-start.yaml";
  const std::vector<std::string> found = test::problems(file);
  // #S1, #S2; nothing about on-time (#S3).
  CHECK(found ==
        std::vector<std::string>{
            file + ":18:18: error: capex_start 2020 of pipeline 'early' is before it comes online "
                   "in 2020-06; capex and opex are charged from the first period in service at the "
                   "earliest: set capex_start to \"2020-06\" or later, or leave it out",
            file +
                ":30:18: error: capex_start 2021 of route 'corridor' is before the route is in "
                "service in 2021-03, when its pipeline 'on-time' comes online; capex and opex are "
                "charged from the first period in service at the earliest: set capex_start to "
                "\"2021-03\" or later, or leave it out"});

  // A scenario built in code is held to the same rule by validate().
  Scenario s = *load_scenario("tests/fixtures/regression/issue9-bidirectional-meter.yaml").cases[0];
  s.pipelines[0].online = YearMonth{2030, 7};
  s.pipelines[0].economics.capex_musd = 10;
  s.pipelines[0].economics.capex_start = YearMonth{2030, 6};
  const std::vector<Diagnostic> ds = validate(s);
  REQUIRE(has_errors(ds));
  CHECK_THAT(ds.front().message,
             Catch::Contains("capex_start 2030-06 of pipeline 'east-in' is before it comes online "
                             "in 2030-07"));
  s.pipelines[0].economics.capex_start = YearMonth{2030, 7};
  CHECK_FALSE(has_errors(validate(s)));
}

}  // namespace
}  // namespace corridor

namespace corridor {
namespace {

TEST_CASE("issue 9.5: a line's idle years are paid by its routes, so the levelised cost shows them",
          "[issue9]") {
  // tests/fixtures/regression/issue9-idle-capital.yaml works these out (#I1-#I5).
  const RunResult r = run_file("tests/fixtures/regression/issue9-idle-capital.yaml");
  const std::string costs = route_costs_csv(r);
  auto cost = [&](const std::string& route, int year) {
    return row_where(costs, {{"route", route}, {"year", std::to_string(year)}});
  };
  // #I1 the idle years, by the routes' volumes over the horizon.
  for (int year : {2030, 2031}) {
    INFO(year);
    CHECK(cost("a", year).at("capital_musd") == "60.000");
    CHECK(cost("a", year).at("opex_musd") == "6.000");
    CHECK(cost("a", year).at("levelised_cost").empty());
    CHECK(cost("b", year).at("capital_musd") == "40.000");
    CHECK(cost("b", year).at("opex_musd") == "4.000");
  }
  // #I2 the years with flow, by flow; 2034's non-route third stays unallocated.
  CHECK(cost("a", 2032).at("total_cost_musd") == "66.000");
  CHECK(cost("b", 2033).at("total_cost_musd") == "44.000");
  CHECK(cost("a", 2034).at("capital_musd") == "40.000");
  CHECK(cost("b", 2034).at("capital_musd") == "26.667");
  CHECK(cost("b", 2034).at("opex_musd") == "2.667");
  // #I3 a line no route ever used: equal shares.
  for (int year = 2030; year <= 2034; ++year) {
    CHECK(cost("d", year).at("capital_musd") == "10.000");
    CHECK(cost("e", year).at("capital_musd") == "10.000");
    CHECK(cost("e", year).at("levelised_cost").empty());
  }
  // #I4 the horizon levelised cost counts 2030-2031.
  const CaseResult& c = r.cases.at(0);
  const CommodityRun& run = test::run_of(c);
  const double d1 = 1 / 1.1, d2 = d1 / 1.1, d3 = d2 / 1.1, d4 = d3 / 1.1;
  const double want = (66 + 66 * d1 + 66 * d2 + 66 * d3 + 44 * d4) / (6 * (d2 + d3 + d4));
  CHECK(want == Approx(19.181097683786508));
  const std::optional<double> a = levelised_over(*c.scenario, run.economics, 0, 2030, 2034);
  REQUIRE(a);
  CHECK(*a == Approx(want).epsilon(1e-12));
  // #I5 allocated + unallocated = 135 MUSD a year.
  const std::vector<double> unallocated = {5, 5, 5, 5, 5 + 110.0 / 3};
  for (std::size_t y = 0; y < run.annual.size(); ++y) {
    double total = 0.0, allocated = 0.0;
    for (const FixedCost& f : run.economics.pipelines[y]) total += f.total();
    for (const RouteYearCost& rc : run.economics.routes[y]) {
      allocated += rc.capital_musd + rc.opex_musd;
    }
    INFO("year " << run.annual[y].period.year);
    CHECK(total == Approx(135.0));
    CHECK(allocated + unallocated[y] == Approx(total).epsilon(1e-12));
  }
}

}  // namespace
}  // namespace corridor

namespace corridor {
namespace {

TEST_CASE("issue 9.6: summary.csv has the case's fixed costs and a total, the penalty apart",
          "[issue9]") {
  // issue9-idle-capital.yaml: fixed costs 125 MUSD of capital (new-line 100, spare-line 20,
  // orphan 5) and 10 of opex every year, whoever pays them. 2032: dispatch cost 6 x 10 + 4 x 20
  // = 140 MUSD, so 275 in all; 2030: nothing flows, 135.
  RunResult r = run_file("tests/fixtures/regression/issue9-idle-capital.yaml");
  const std::string summary = summary_csv(r);
  CHECK(
      summary.substr(0, summary.find('\n')) ==
      "scenario,case,year,commodity,supplied,delivered,shortfall,cost_musd,unit,energy_pj,"
      "demand,capital_musd,opex_musd,total_cost_musd,solver_penalty_musd,status,take_or_pay_musd");
  const Row y2032 = row_where(summary, {{"year", "2032"}});
  CHECK(y2032.at("cost_musd") == "140.000");
  CHECK(y2032.at("capital_musd") == "125.000");
  CHECK(y2032.at("opex_musd") == "10.000");
  CHECK(y2032.at("total_cost_musd") == "275.000");
  CHECK(y2032.at("solver_penalty_musd") == "0.000");
  CHECK(row_where(summary, {{"year", "2030"}}).at("total_cost_musd") == "135.000");

  // A route's own capex (a compressor station beyond its pipelines) is a case cost too:
  // 50 MUSD over 10 y at 0 % adds 5 MUSD of capital a year.
  Scenario s = *r.cases[0].scenario;
  s.routes[0].economics.capex_musd = 50;
  s.routes[0].economics.discount_rate = 0.0;
  RunResult own;
  own.cases.push_back(simulate(s));
  CHECK(row_where(summary_csv(own), {{"year", "2032"}}).at("capital_musd") == "130.000");
  CHECK(row_where(summary_csv(own), {{"year", "2032"}}).at("total_cost_musd") == "280.000");

  // The monthly file has no fixed costs (economics are annual), only the renamed penalty.
  const RunResult monthly = run_file("tests/fixtures/regression/issue9-bidirectional-meter.yaml");
  const std::string m = summary_csv(monthly, true);
  CHECK(m.substr(0, m.find('\n')) ==
        "scenario,case,year,month,commodity,supplied,delivered,shortfall,cost_musd,unit,energy_pj,"
        "demand,solver_penalty_musd,status,take_or_pay_musd");
}

}  // namespace
}  // namespace corridor

#include "corridor/report.h"

namespace corridor {
namespace {

// #T1-#T3: what limits delivery. Three separate systems, every tariff 0, supplies at 1 USD/kcm:
//   fieldA (20) --lineA (10 bcm/y)--> cityA (wants 10 in 2030, 4 in 2031)
//   fieldB (20) --lineB (5)---------> cityB (wants 8, then 4)
//   fieldC (2)  --lineC (10)--------> cityC (wants 4, then 1)
// Route rA = [lineA]. 2030: lineA carries 10 of 10 (cityA served), lineB 5 of 5 (cityB 3 short),
// fieldC gives its 2 over lineC (cityC 2 short, lineC at 20 %). What limits delivery is the min
// cut between the supplies and the short markets cityB and cityC: lineB at 100 % and fieldC,
// the supply, not lineA, the busiest route's bottleneck, whose market is served (#T1).
// 2031: no shortfall: the three most utilised lines, lineB 4/5, lineA 4/10, lineC 1/10 (#T2).
Scenario limits_scenario() {
  Scenario s = test::scenario(2030, 2031);
  Node city_a = test::demand("cityA", 0), city_b = test::demand("cityB", 0),
       city_c = test::demand("cityC", 0);
  city_a.demand = test::series({{2030, 10}, {2031, 4}});
  city_b.demand = test::series({{2030, 8}, {2031, 4}});
  city_c.demand = test::series({{2030, 4}, {2031, 1}});
  s.nodes = {test::supply("fieldA", 20, 1),
             test::supply("fieldB", 20, 1),
             test::supply("fieldC", 2, 1),
             city_a,
             city_b,
             city_c};
  s.pipelines = {test::pipe("lineA", "fieldA", "cityA", 10),
                 test::pipe("lineB", "fieldB", "cityB", 5),
                 test::pipe("lineC", "fieldC", "cityC", 10)};
  s.routes = {test::route("rA", {"lineA"})};
  return s;
}

TEST_CASE("issue 9.6: the top bottleneck is what limits delivery, not the busiest route's",
          "[issue9]") {
  RunResult r;
  r.cases.push_back(simulate(limits_scenario()));
  std::ostringstream table;
  print_summary(table, r);
  const std::string text = table.str();
  INFO(text);
  // #T1 2030, short: the min cut to cityB and cityC.
  CHECK(text.find("! 2030       17.00        5.00  bcm   lineB 100.0%, fieldC (supply)\n") !=
        std::string::npos);
  // #T2 2031, no shortfall: up to three most utilised pipelines.
  CHECK(
      text.find("  2031        9.00        0.00  bcm   lineB 80.0%, lineA 40.0%, lineC 10.0%\n") !=
      std::string::npos);
  // The same in the results: scenario indices, largest flow first.
  const test::Rows y2030 = test::at(r.cases[0], 2030), y2031 = test::at(r.cases[0], 2031);
  CHECK(y2030.row.limiting_pipelines == std::vector<int>{1});  // lineB
  CHECK(y2030.row.limiting_supplies == std::vector<int>{2});   // fieldC
  CHECK(y2031.row.limiting_pipelines.empty());

  // #T3 monthly-retire.yaml, 2030: the feeder limits delivery in the nine months a line to the
  // city is open; from July to September nothing in service connects the field to the city, so
  // nothing is listed for them. The year lists the feeder.
  const RunResult monthly = run_file("tests/fixtures/golden/monthly-retire.yaml");
  const CaseResult& m = monthly.cases[0];
  CHECK(test::at(m, 2030, 1).row.limiting_pipelines == std::vector<int>{0});
  CHECK(test::at(m, 2030, 8).row.limiting_pipelines.empty());
  CHECK(test::at(m, 2030, 8).row.limiting_supplies.empty());
  CHECK(test::at(m, 2030).row.limiting_pipelines == std::vector<int>{0});
  std::ostringstream monthly_table;
  print_summary(monthly_table, monthly);
  CHECK(monthly_table.str().find("! 2030        2.24        9.76  bcm   feeder 74.8%\n") !=
        std::string::npos);
}

}  // namespace
}  // namespace corridor
