// The N-1 standard (n1.h): the worked example of tests/fixtures/n1/two-entries-one-line.yaml,
// whose header writes out the arithmetic, and the defaults (areas by country, Dmax and
// capacities per day).
#include "corridor/n1.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "corridor/n1_report.h"
#include "corridor/scenario_io.h"
#include "test_helpers.h"

namespace corridor {
namespace {

TEST_CASE("#N1 two entry points behind one upstream line: formula 116.7 %, network 50 %", "[n1]") {
  REQUIRE(test::problems("tests/fixtures/n1/two-entries-one-line.yaml").empty());
  const auto loaded = load_scenario("tests/fixtures/n1/two-entries-one-line.yaml");
  const std::vector<N1Row> rows = n1_standard(*loaded.cases.at(0));
  REQUIRE(rows.size() == 1);
  const N1Row& r = rows[0];
  CHECK(r.area == "A");
  CHECK(r.year == 2030);
  CHECK(r.dmax == Approx(30));
  CHECK(r.epm == Approx(40));  // e1 + e2
  CHECK(r.pm == 0.0);
  CHECK(r.sm == Approx(5));
  CHECK(r.lngm == Approx(10));
  CHECK(r.im == Approx(20));
  CHECK(r.largest_infrastructure == "e1");
  CHECK(r.n1_percent == Approx(35.0 / 30.0 * 100.0));  // 116.7 %
  CHECK(r.network_intact_percent == Approx(40.0 / 30.0 * 100.0));
  CHECK(r.n1_network_percent == Approx(15.0 / 30.0 * 100.0));  // 50 %
  CHECK(r.worst_asset == "up");
  CHECK(r.dmax_from_peak);
  CHECK_FALSE(r.dmax_from_average);
  CHECK(n1_csv({{loaded.cases.at(0), rows}}) ==
        "scenario,case,year,area,dmax,epm,pm,sm,lngm,im,largest_infrastructure,n1_percent,"
        "n1_network_percent,worst_asset,unit,dmax_basis,capacity_basis\n"
        "n1-worked,base,2030,A,30.000,40.000,0.000,5.000,10.000,20.000,e1,116.7,50.0,up,mcm/d,"
        "peak_demand,rated per day\n");
}

TEST_CASE(
    "n1 defaults: one area per country, the average day without peak_demand, "
    "peak_capacity over the rated capacity",
    "[n1]") {
  // Two countries. In B: demand 36.5 bcm/y without peak_demand, so Dmax is its average day,
  // 100 mcm/d; the line into B is rated 73 bcm/y (200 mcm/d) but gives peak_capacity 150 mcm/d,
  // so EPm = Im = 150 and N-1 = (150 - 150) / 100 = 0 %; by max flow, the supply (73 bcm/y =
  // 200 mcm/d) through the line's 150 gives 150 % intact and 0 % with the line (or the supply)
  // out.
  Scenario s = test::scenario(2030, 2030);
  Node supply = test::supply("src", 73, 10);
  supply.country = "A";
  Node market = test::demand("dst", 36.5);
  market.country = "B";
  Node home = test::demand("home", 1);
  home.country = "A";
  home.peak_demand = constant_series(3.65);  // 10 mcm/d
  s.nodes = {supply, market, home};
  Pipeline line = test::pipe("line", "src", "dst", 73);
  line.peak_capacity = constant_series(150 * 365.0 / 1000.0);
  s.pipelines = {line, test::pipe("local", "src", "home", 73)};
  const std::vector<Area> areas = n1_areas(s);
  REQUIRE(areas.size() == 2);
  CHECK(areas[0].id == "B");  // in order of the demand nodes
  CHECK(areas[0].nodes == std::vector<std::string>{"dst"});
  CHECK(areas[1].id == "A");
  CHECK(areas[1].nodes == std::vector<std::string>{"src", "home"});
  const std::vector<N1Row> rows = n1_standard(s);
  REQUIRE(rows.size() == 2);
  const N1Row& b = rows[0];
  CHECK(b.dmax == Approx(100));
  CHECK(b.dmax_from_average);
  CHECK(b.epm == Approx(150));
  CHECK(b.im == Approx(150));
  CHECK(b.largest_infrastructure == "line");
  CHECK(b.n1_percent == Approx(0).margin(1e-9));
  CHECK(b.network_intact_percent == Approx(150));
  CHECK(b.n1_network_percent == Approx(0));
  CHECK(b.worst_asset == "line");
  CHECK(b.capacity_from_peak);
  const N1Row& a = rows[1];  // A: Pm 200 (the supply), Im 200: (200 - 200) / 10 = 0 %
  CHECK(a.pm == Approx(200));
  CHECK(a.dmax == Approx(10));
  CHECK(a.n1_percent == Approx(0).margin(1e-9));
  CHECK(a.worst_asset == "local");  // pipelines are tried before supplies
}

}  // namespace
}  // namespace corridor
