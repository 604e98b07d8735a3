// The CSV contract: exact file names, columns, number formats and row order for a RunResult
// built by hand (no loader, no solver).
#include "corridor/csv.h"

#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace corridor {
namespace {

// Two nodes A -> B, one pipeline whose id holds a comma and a quote, one route over it.
Scenario tiny_scenario() {
  Scenario s;
  s.name = "mini";
  s.case_name = "base";
  s.gas.heating_value = 40.0;  // MJ/m3, so 1 bcm is 40 PJ
  Node a;
  a.id = "A";
  a.kind = NodeKind::Supply;
  Node b;
  b.id = "B";
  b.kind = NodeKind::Demand;
  b.priority = 2;
  b.country = "Korea, Republic of";  // quoted in the CSV
  a.country = "RU";
  s.nodes = {a, b};
  Pipeline p;
  p.id = "p,\"1\"";
  p.from = "A";
  p.to = "B";
  p.transit_country = "UA";
  s.pipelines = {p};
  Route r;
  r.id = "r1";
  r.pipelines = {p.id};
  s.routes = {r};
  return s;
}

Network tiny_network() {
  Network net;
  net.commodity = Commodity::Gas;
  net.pipelines = {0};
  net.supplies = {0};
  net.demands = {1};
  net.routes = {0};
  return net;
}

PeriodResult period(int year, int month, double flow, double capacity, double used, double demand,
                    double delivered, double shortfall, int bottleneck) {
  PeriodResult p;
  p.period = Period{year, month, month == 0 ? 1.0 : 1.0 / 12};
  p.pipeline_flow = {flow};
  p.pipeline_capacity = {capacity};
  p.supply_available = {12.0};
  p.supply_used = {used};
  p.supply_contracted = {0.0};
  p.demand = {demand};
  p.delivered_contracted = {0.0};
  p.delivered = {delivered};
  p.shortfall = {shortfall};
  p.route_volume = {flow};
  p.route_capacity = {capacity};
  p.route_bottleneck = {bottleneck};
  return p;
}

// Economics by hand (the serializer only formats them): 2030 the route carries 10 bcm and pays
// 4 + 0.5 + 20 + 5 = 29.5 MUSD, 2.95 USD/kcm; 2031 it carries nothing, so no levelised cost.
// The route's own fixed cost in 2030 is 1 + 0.25 (in the 4 and 0.5 it pays; summary.csv adds
// it to the pipeline's).
RunEconomics tiny_economics() {
  RunEconomics e;
  e.pipelines = {{FixedCost{4.0, 0.5}}, {FixedCost{-1e-9, 0.5}}};
  RouteYearCost carried;
  carried.volume = 10.0;
  carried.capital_musd = 4.0;
  carried.opex_musd = 0.5;
  carried.tariff_musd = 20.0;
  carried.transit_fee_musd = 5.0;
  carried.levelised = 2.95;
  carried.levelised_usd_per_gj = 0.073751;  // rounds up to 4 decimals
  e.routes = {{carried}, {RouteYearCost{}}};
  e.route_own = {{FixedCost{1.0, 0.25}}, {FixedCost{}}};
  e.transit = {{TransitFee{"UA", 10.0, 5.0}}, {TransitFee{"UA", 0.0, 0.0}}};
  return e;
}

// 2030: everything delivered, shortfall -0.0; 2031: pipeline offline (flow -0.0), all short,
// a cost of -1e-9 (rounds to zero) and a penalty.
CaseResult tiny_case() {
  CaseResult c;
  c.scenario = std::make_shared<const Scenario>(tiny_scenario());
  CommodityRun run;
  run.network = tiny_network();
  PeriodResult y2030 = period(2030, 0, 10.0, 20.0, 10.0, 10.0, 10.0, -0.0, 0);
  y2030.cost_musd = 1.5;
  PeriodResult y2031 = period(2031, 0, -0.0, 0.0, 0.0, 11.0, 0.0, 11.0, -1);
  y2031.cost_musd = -1e-9;
  y2031.penalty_musd = 1234.5678;
  run.annual = {y2030, y2031};
  run.economics = tiny_economics();
  c.runs = {run};
  return c;
}

RunResult tiny_result() {
  RunResult r;
  r.cases = {tiny_case()};
  return r;
}

// The tiny case with monthly resolution and two months of rows (the writer does not care that
// a real run has twelve).
CaseResult tiny_monthly_case() {
  CaseResult c = tiny_case();
  Scenario s = *c.scenario;
  s.case_name = "monthly";
  s.resolution = Resolution::Month;
  c.scenario = std::make_shared<const Scenario>(std::move(s));
  c.runs[0].monthly = {period(2030, 1, 1.0, 2.0, 1.0, 1.0, 1.0, 0.0, 0),
                       period(2030, 2, 0.5, 2.0, 0.5, 1.0, 0.5, 0.5, 0)};
  return c;
}

std::vector<std::string> names(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.first);
  return out;
}

const std::string kOptimal(flow_status_name(FlowStatus::Optimal));

}  // namespace

TEST_CASE("csv_field quotes per RFC 4180", "[csv]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("") == "");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("cr\r") == "\"cr\r\"");
}

TEST_CASE("flows.csv: exact text, quoted id, no negative zero, no utilisation at capacity 0",
          "[csv]") {
  CHECK(flows_csv(tiny_result()) ==
        "scenario,case,year,commodity,pipeline,from,to,flow,capacity,utilisation,unit,"
        "capital_musd,opex_musd\n"
        "mini,base,2030,gas,\"p,\"\"1\"\"\",A,B,10.000000,20.000000,0.5000,bcm,4.000,0.500\n"
        "mini,base,2031,gas,\"p,\"\"1\"\"\",A,B,0.000000,0.000000,,bcm,0.000,0.500\n");
}

TEST_CASE("route_costs.csv: exact text, empty levelised cost without volume", "[csv]") {
  CHECK(route_costs_csv(tiny_result()) ==
        "scenario,case,year,commodity,route,volume,unit,capital_musd,opex_musd,tariff_musd,"
        "transit_fee_musd,total_cost_musd,levelised_cost,cost_unit,levelised_cost_usd_per_gj,"
        "levelised_cost_usd_per_bbl\n"
        "mini,base,2030,gas,r1,10.000000,bcm,4.000,0.500,20.000,5.000,29.500,2.950,USD/kcm,"
        "0.0738,\n"
        "mini,base,2031,gas,r1,0.000000,bcm,0.000,0.000,0.000,0.000,0.000,,USD/kcm,,\n");
}

TEST_CASE("transit_fees.csv: exact text, a country listed in a year without flow", "[csv]") {
  CHECK(transit_fees_csv(tiny_result()) ==
        "scenario,case,year,commodity,country,volume,unit,fees_musd\n"
        "mini,base,2030,gas,UA,10.000000,bcm,5.000\n"
        "mini,base,2031,gas,UA,0.000000,bcm,0.000\n");
}

TEST_CASE("route_costs.csv: oil in Mt and USD/t", "[csv]") {
  RunResult r = tiny_result();
  r.cases[0].runs[0].network.commodity = Commodity::Oil;
  CHECK(route_costs_csv(r) ==
        "scenario,case,year,commodity,route,volume,unit,capital_musd,opex_musd,tariff_musd,"
        "transit_fee_musd,total_cost_musd,levelised_cost,cost_unit,levelised_cost_usd_per_gj,"
        "levelised_cost_usd_per_bbl\n"
        "mini,base,2030,oil,r1,10.000000,Mt,4.000,0.500,20.000,5.000,29.500,2.950,USD/t,0.0738,"
        "0.399\n"
        "mini,base,2031,oil,r1,0.000000,Mt,0.000,0.000,0.000,0.000,0.000,,USD/t,,\n");
}

TEST_CASE("deliveries.csv: exact text", "[csv]") {
  CHECK(
      deliveries_csv(tiny_result()) ==
      "scenario,case,year,commodity,node,priority,demand,delivered,shortfall,unit,country,"
      "contracted\n"
      "mini,base,2030,gas,B,2,10.000000,10.000000,0.000000,bcm,\"Korea, Republic of\",0.000000\n"
      "mini,base,2031,gas,B,2,11.000000,0.000000,11.000000,bcm,\"Korea, Republic of\",0.000000\n");
}

TEST_CASE("supplies.csv: exact text", "[csv]") {
  CHECK(supplies_csv(tiny_result()) ==
        "scenario,case,year,commodity,node,available,used,unit,country,kind,contracted\n"
        "mini,base,2030,gas,A,12.000000,10.000000,bcm,RU,supply,0.000000\n"
        "mini,base,2031,gas,A,12.000000,0.000000,bcm,RU,supply,0.000000\n");
}

TEST_CASE("routes.csv: exact text, empty utilisation and bottleneck without capacity", "[csv]") {
  CHECK(routes_csv(tiny_result()) ==
        "scenario,case,year,commodity,route,volume,capacity,utilisation,bottleneck,unit\n"
        "mini,base,2030,gas,r1,10.000000,20.000000,0.5000,\"p,\"\"1\"\"\",bcm\n"
        "mini,base,2031,gas,r1,0.000000,0.000000,,,bcm\n");
}

TEST_CASE("summary.csv: exact text, money and energy with 3 decimals", "[csv]") {
  // 2030: fixed costs 4 + 1 capital and 0.5 + 0.25 opex (the pipeline's and the route's own),
  // total 1.5 + 5.75 = 7.25. 2031: capital -1e-9 (zero), opex 0.5, total 0.5. The solver
  // penalty comes after every cost column.
  CHECK(summary_csv(tiny_result()) ==
        "scenario,case,year,commodity,supplied,delivered,shortfall,cost_musd,unit,energy_pj,"
        "demand,capital_musd,opex_musd,total_cost_musd,solver_penalty_musd,status,"
        "take_or_pay_musd\n"
        "mini,base,2030,gas,10.000000,10.000000,0.000000,1.500,bcm,400.000,10.000000,5.000,"
        "0.750,7.250,0.000," +
            kOptimal +
            ",0.000\n"
            "mini,base,2031,gas,0.000000,0.000000,11.000000,0.000,bcm,0.000,11.000000,0.000,"
            "0.500,0.500,1234.568," +
            kOptimal + ",0.000\n");
}

TEST_CASE("oil rows use Mt", "[csv]") {
  RunResult r = tiny_result();
  Scenario s = *r.cases[0].scenario;
  for (Node& n : s.nodes) n.commodity = Commodity::Oil;
  s.pipelines[0].commodity = Commodity::Oil;
  r.cases[0].scenario = std::make_shared<const Scenario>(std::move(s));
  r.cases[0].runs[0].network.commodity = Commodity::Oil;
  CHECK(supplies_csv(r) ==
        "scenario,case,year,commodity,node,available,used,unit,country,kind,contracted\n"
        "mini,base,2030,oil,A,12.000000,10.000000,Mt,RU,supply,0.000000\n"
        "mini,base,2031,oil,A,12.000000,0.000000,Mt,RU,supply,0.000000\n");
}

// --units (units.h, VolumeScale). #U1, by hand: 10 Mt of crude at the default 850 kg/m3 is
// 10e9 kg / 850 kg/m3 = 11.764706e6 m3 = 73.997e6 bbl (/ 0.158987294928 m3/bbl); over the
// 365-day year of every per-day unit that is 202,733.6 bbl/d = 202.7336 kb/d. 12 Mt is
// 243.2804 kb/d, 20 Mt 405.4673 kb/d. The levelised 2.95 USD/t is 2.95 x 0.158987294928 m3/bbl
// x 850 kg/m3 / 1000 kg/t = 0.399 USD/bbl.
RunResult tiny_oil_result() {
  RunResult r = tiny_result();
  Scenario s = *r.cases[0].scenario;
  for (Node& n : s.nodes) n.commodity = Commodity::Oil;
  s.pipelines[0].commodity = Commodity::Oil;
  r.cases[0].scenario = std::make_shared<const Scenario>(std::move(s));
  r.cases[0].runs[0].network.commodity = Commodity::Oil;
  return r;
}

TEST_CASE("units oil=kb/d: a kb/d row by hand (#U1), the unit column says kb/d", "[csv][units]") {
  RunResult r = tiny_oil_result();
  REQUIRE(!parse_output_unit("oil=kb/d", r.units));
  CHECK(deliveries_csv(r) ==
        "scenario,case,year,commodity,node,priority,demand,delivered,shortfall,unit,country,"
        "contracted\n"
        "mini,base,2030,oil,B,2,202.733627,202.733627,0.000000,kb/d,\"Korea, Republic of\","
        "0.000000\n"
        "mini,base,2031,oil,B,2,223.006989,0.000000,223.006989,kb/d,\"Korea, Republic of\","
        "0.000000\n");
  CHECK(flows_csv(r).find("mini,base,2030,oil,\"p,\"\"1\"\"\",A,B,202.733627,405.467254,0.5000,"
                          "kb/d,4.000,0.500\n") != std::string::npos);
  // Costs stay per tonne; the barrel column is there for oil at the case's density.
  CHECK(route_costs_csv(r) ==
        "scenario,case,year,commodity,route,volume,unit,capital_musd,opex_musd,tariff_musd,"
        "transit_fee_musd,total_cost_musd,levelised_cost,cost_unit,levelised_cost_usd_per_gj,"
        "levelised_cost_usd_per_bbl\n"
        "mini,base,2030,oil,r1,202.733627,kb/d,4.000,0.500,20.000,5.000,29.500,2.950,USD/t,0.0738,"
        "0.399\n"
        "mini,base,2031,oil,r1,0.000000,kb/d,0.000,0.000,0.000,0.000,0.000,,USD/t,,\n");
  // A denser crude has fewer barrels to the tonne: 10 Mt at 1000 kg/m3 is 62.898 Mb, 172.3238
  // kb/d.
  Scenario heavy = *r.cases[0].scenario;
  heavy.oil.density_or_lng = 1000.0;
  r.cases[0].scenario = std::make_shared<const Scenario>(std::move(heavy));
  CHECK(transit_fees_csv(r) ==
        "scenario,case,year,commodity,country,volume,unit,fees_musd\n"
        "mini,base,2030,oil,UA,172.323583,kb/d,5.000\n"
        "mini,base,2031,oil,UA,0.000000,kb/d,0.000\n");
}

TEST_CASE("units: a month row is the month's mean daily rate, stocks in the daily unit's volume",
          "[csv][units]") {
  // #U2: January 2030 carries 1 Mt in 31 days: 1 Mt / 0.049325808 (Mt/y per kb/d) x 365 / 31 =
  // 238.7025 kb/d; February 0.5 Mt in 28 days: 132.1389 kb/d. Capacity 2 Mt in January is
  // 477.4050 kb/d.
  RunResult r = tiny_oil_result();
  r.cases[0] = tiny_monthly_case();
  {
    Scenario s = *r.cases[0].scenario;
    for (Node& n : s.nodes) n.commodity = Commodity::Oil;
    s.pipelines[0].commodity = Commodity::Oil;
    r.cases[0].scenario = std::make_shared<const Scenario>(std::move(s));
    r.cases[0].runs[0].network.commodity = Commodity::Oil;
  }
  REQUIRE(!parse_output_unit("oil=kb/d", r.units));
  CHECK(routes_csv(r, true) ==
        "scenario,case,year,month,commodity,route,volume,capacity,utilisation,bottleneck,unit\n"
        "mini,monthly,2030,1,oil,r1,238.702496,477.404992,0.5000,\"p,\"\"1\"\"\",kb/d\n"
        "mini,monthly,2030,2,oil,r1,132.138882,528.555527,0.2500,\"p,\"\"1\"\"\",kb/d\n");
  // Stocks: 1 Mt is 7.399777 Mb = 7399.777 kb.
  const VolumeScale stock =
      output_stock_scale(r.units, Commodity::Oil, default_props(Commodity::Oil));
  CHECK(stock.unit == "kb");
  CHECK(stock.value(1.0, 2030, 1) == Approx(7399.777377));
  CHECK(stock.value(1.0, 2030, 0) == Approx(7399.777377));
}

TEST_CASE("units gas=mcm/d and gas=TWh/y, the default stays bcm", "[csv][units]") {
  RunResult r = tiny_result();
  // #U3: 10 bcm in a year is 10,000 mcm / 365 d = 27.3973 mcm/d; 11 bcm 30.1370 mcm/d.
  REQUIRE(!parse_output_unit("gas=mcm/d", r.units));
  CHECK(deliveries_csv(r) ==
        "scenario,case,year,commodity,node,priority,demand,delivered,shortfall,unit,country,"
        "contracted\n"
        "mini,base,2030,gas,B,2,27.397260,27.397260,0.000000,mcm/d,\"Korea, Republic of\","
        "0.000000\n"
        "mini,base,2031,gas,B,2,30.136986,0.000000,30.136986,mcm/d,\"Korea, Republic of\","
        "0.000000\n");
  // #U4: 10 bcm at the case's 40 MJ/m3 is 400 PJ = 111.1111 TWh (1 TWh = 3.6 PJ); TWh/y is
  // written TWh, the volume of the row's period, as bcm is.
  REQUIRE(!parse_output_unit("gas=TWh/y", r.units));
  CHECK(r.units.gas == "TWh");
  const std::string summary = summary_csv(r);
  CHECK(summary.find("mini,base,2030,gas,111.111111,111.111111,0.000000,1.500,TWh,400.000,"
                     "111.111111,") != std::string::npos);
  CHECK(route_costs_csv(r).find(",2.950,USD/kcm,0.0738,\n") != std::string::npos);  // no bbl
  r.units = OutputUnits{};
  CHECK(deliveries_csv(r) == deliveries_csv(tiny_result()));
}

TEST_CASE("result_csvs: annual files only for annual scenarios", "[csv]") {
  const auto files = result_csvs(tiny_result());
  CHECK(names(files) == std::vector<std::string>{"flows.csv", "deliveries.csv", "supplies.csv",
                                                 "routes.csv", "summary.csv", "route_costs.csv",
                                                 "transit_fees.csv"});
  CHECK(files[0].second == flows_csv(tiny_result()));
  CHECK(files[4].second == summary_csv(tiny_result()));
  CHECK(files[5].second == route_costs_csv(tiny_result()));
  CHECK(files[6].second == transit_fees_csv(tiny_result()));
}

TEST_CASE("result_csvs: monthly files when a case is monthly, rows in case order", "[csv]") {
  RunResult r;
  r.cases = {tiny_case(), tiny_monthly_case()};
  const auto files = result_csvs(r);
  CHECK(names(files) == std::vector<std::string>{"flows.csv", "deliveries.csv", "supplies.csv",
                                                 "routes.csv", "summary.csv", "route_costs.csv",
                                                 "transit_fees.csv", "flows_monthly.csv",
                                                 "deliveries_monthly.csv", "supplies_monthly.csv",
                                                 "routes_monthly.csv", "summary_monthly.csv"});
  // Annual rows of both cases, in case order.
  CHECK(files[2].second ==
        "scenario,case,year,commodity,node,available,used,unit,country,kind,contracted\n"
        "mini,base,2030,gas,A,12.000000,10.000000,bcm,RU,supply,0.000000\n"
        "mini,base,2031,gas,A,12.000000,0.000000,bcm,RU,supply,0.000000\n"
        "mini,monthly,2030,gas,A,12.000000,10.000000,bcm,RU,supply,0.000000\n"
        "mini,monthly,2031,gas,A,12.000000,0.000000,bcm,RU,supply,0.000000\n");
  // Monthly rows only from the monthly case, with `month` after `year`; no cost columns (the
  // economics are annual).
  CHECK(files[7].second ==
        "scenario,case,year,month,commodity,pipeline,from,to,flow,capacity,utilisation,unit\n"
        "mini,monthly,2030,1,gas,\"p,\"\"1\"\"\",A,B,1.000000,2.000000,0.5000,bcm\n"
        "mini,monthly,2030,2,gas,\"p,\"\"1\"\"\",A,B,0.500000,2.000000,0.2500,bcm\n");
  CHECK(
      files[8].second ==
      "scenario,case,year,month,commodity,node,priority,demand,delivered,shortfall,unit,country,"
      "contracted\n"
      "mini,monthly,2030,1,gas,B,2,1.000000,1.000000,0.000000,bcm,\"Korea, Republic of\",0.000000\n"
      "mini,monthly,2030,2,gas,B,2,1.000000,0.500000,0.500000,bcm,\"Korea, Republic "
      "of\",0.000000\n");
  CHECK(files[10].second ==
        "scenario,case,year,month,commodity,route,volume,capacity,utilisation,bottleneck,unit\n"
        "mini,monthly,2030,1,gas,r1,1.000000,2.000000,0.5000,\"p,\"\"1\"\"\",bcm\n"
        "mini,monthly,2030,2,gas,r1,0.500000,2.000000,0.2500,\"p,\"\"1\"\"\",bcm\n");
  CHECK(files[11].second ==
        "scenario,case,year,month,commodity,supplied,delivered,shortfall,cost_musd,unit,"
        "energy_pj,demand,solver_penalty_musd,status,take_or_pay_musd\n"
        "mini,monthly,2030,1,gas,1.000000,1.000000,0.000000,0.000,bcm,40.000,1.000000,0.000," +
            kOptimal +
            ",0.000\n"
            "mini,monthly,2030,2,gas,0.500000,0.500000,0.500000,0.000,bcm,20.000,1.000000,0.000," +
            kOptimal + ",0.000\n");
}

TEST_CASE("mismatched period vectors are reported, not read out of bounds", "[csv]") {
  RunResult r = tiny_result();
  r.cases[0].runs[0].annual[0].pipeline_flow.clear();
  CHECK_THROWS_AS(flows_csv(r), std::logic_error);
}

TEST_CASE("economics not parallel to the annual rows are reported, not read out of bounds",
          "[csv]") {
  RunResult r = tiny_result();
  SECTION("never computed") { r.cases[0].runs[0].economics = RunEconomics{}; }
  SECTION("a year short") { r.cases[0].runs[0].economics.routes.pop_back(); }
  SECTION("a route short") { r.cases[0].runs[0].economics.routes[1].clear(); }
  CHECK_THROWS_WITH(route_costs_csv(r), Catch::Contains("csv: period result has"));
  CHECK_THROWS_AS(flows_csv(r), std::logic_error);
  CHECK_THROWS_AS(transit_fees_csv(r), std::logic_error);
}

}  // namespace corridor

TEST_CASE("format_fixed: the fast path gives to_chars' digits, halfway cases included", "[csv]") {
  // The reference: std::to_chars of the exact value, correctly rounded, "-0..." without sign.
  auto reference = [](double v, int decimals) {
    char buf[400];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    std::string s(buf, r.ptr);
    if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
    return s;
  };
  std::mt19937_64 rng(20240601);
  auto unit = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  std::vector<double> values = {0.0,      -0.0,      0.5,       1.5,         2.5,
                                -2.5,     0.125,     0.0000005, 0.0000015,   -0.0000004,
                                1e15,     1.125e14,  4.5e15,    1e300,       -1e-300,
                                123.4565, 0.0001115, 9.9999995, 0.9999999999};
  for (int i = 0; i < 60'000; ++i) {
    const double magnitude = std::pow(10.0, static_cast<double>(rng() % 24) - 8.0);
    double v = (unit() - 0.5) * magnitude;
    // Flow units turned back into volumes, as simulate() makes them, and exact halves.
    if (i % 4 == 1) v = static_cast<double>(static_cast<std::int64_t>(rng() % 2'000'000'000)) / 1e6;
    if (i % 4 == 2) v = (static_cast<double>(rng() % 1'000'000) + 0.5) / 1e3;
    values.push_back(v);
  }
  for (double v : values) {
    for (int decimals : {0, 1, 3, 4, 6}) {
      INFO(std::hexfloat << v << std::defaultfloat << " with " << decimals << " decimals");
      REQUIRE(corridor::format_fixed(v, decimals) == reference(v, decimals));
    }
  }
}
