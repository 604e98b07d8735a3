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
