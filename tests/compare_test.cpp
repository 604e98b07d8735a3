// Route cards and comparisons (compare.h) on hand-worked fixtures, the comparison CSVs as exact
// text, the terminal table's width fitting, and the exact --years and --baseline errors.
#include "corridor/compare.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "corridor/csv.h"
#include "test_helpers.h"

namespace {

using namespace corridor;
using corridor::test::bidirectional_pipe;
using corridor::test::demand;
using corridor::test::exactly;
using corridor::test::junction;
using corridor::test::pipe;
using corridor::test::route;
using corridor::test::scenario;
using corridor::test::series;
using corridor::test::supply;

// #C1: the baseline and an alternative that adds a second route. Horizon 2030-2033, gas,
// milestones 2030, 2032 and 2040 (2040 is after the horizon: no rows, empty wide cells).
//
//   S (supply 100, 10 USD/kcm) -P1-> J -P2-> D (demand 30, 10 from 2033) -P3-> M (demand 5,
//   priority 2)
//   P1: 20 bcm/y, online 2031 with ramp [0.5] (10 in 2031), tariff 1, transit country T with a
//       transit fee of 2 USD/kcm; P2: 25, tariff 1; P3: 5, tariff 1.
//   route west = [P1, P2], metered on P2.
// Case "east" adds S2 (supply 100, 20 USD/kcm) -Q1-> D, Q1: 12 bcm/y, online 2032, tariff 3,
//   capex 10 MUSD over 2 years at 0 %: 5 MUSD of capital in 2032 and in 2033; route east = [Q1].
//
// Dispatch (west is cheaper to D: 10 + 1 + 1 + 2 = 14 against 20 + 3 = 23 on Q1):
//   year  P1 cap  west  east  shortfall D+M (base)  shortfall D+M (east)
//   2030     0      0     -       30 + 5 = 35             35
//   2031    10     10     -       20 + 5 = 25             25
//   2032    20     20    12       10 + 5 = 15        0 + 3 = 3  (Q1: 10 to D, 2 on to M)
//   2033    20     15     0        0 + 0 = 0              0     (D 10 + M 5, all via P1)
// In 2033 P1 runs at 15/20 = 0.75 and P2 at 15/25 = 0.6, so P1 is west's bottleneck in every
// year with flow (2031: 1.0 vs 0.4; 2032: 1.0 vs 0.8).
Scenario base_case() {
  Scenario s = scenario(2030, 2033);
  s.case_name = "base";
  Node d = demand("D", 0);
  d.demand = series({{2030, 30}, {2033, 10}});
  s.nodes = {supply("S", 100, 10), junction("J"), d, demand("M", 5, 2)};
  Pipeline p1 = pipe("P1", "S", "J", 20, 1);
  p1.online = YearMonth{2031, 0};
  p1.ramp_up = {0.5};
  p1.transit_country = "T";
  p1.transit_fee = constant_series(2);
  s.pipelines = {p1, pipe("P2", "J", "D", 25, 1), pipe("P3", "D", "M", 5, 1)};
  s.routes = {route("west", {"P1", "P2"})};
  return s;
}

Scenario east_case() {
  Scenario s = base_case();
  s.case_name = "east";
  s.nodes.push_back(supply("S2", 100, 20));
  Pipeline q1 = pipe("Q1", "S2", "D", 12, 3);
  q1.online = YearMonth{2032, 0};
  q1.economics.capex_musd = 10;
  q1.economics.lifetime_years = 2;
  q1.economics.discount_rate = 0.0;
  s.pipelines.push_back(q1);
  s.routes.push_back(route("east", {"Q1"}));
  return s;
}

RunResult run_of_cases(const std::vector<Scenario>& cases) {
  RunResult r;
  for (const Scenario& s : cases) r.cases.push_back(simulate(s));
  return r;
}

Comparison c1(const std::string& baseline = "") {
  CompareOptions o;
  o.years = {2030, 2032, 2040};
  o.baseline = baseline;
  return compare(run_of_cases({base_case(), east_case()}), o);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return format_diagnostic(e.diagnostics().at(0));
  }
  return "(no error)";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

int columns(const std::string& line) {
  int w = 0;
  for (char ch : line) w += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return w;
}

/// The terminal output without the case tables (each "<commodity> cases: ..." block up to its
/// blank line), which "#K" tests below check on their own: the route tables.
std::string without_cases(const std::string& text) {
  std::string out;
  bool skipping = false;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end == std::string::npos ? end : end - at + 1);
    at = end == std::string::npos ? text.size() : end + 1;
    if (line.find(" cases: ") != std::string::npos && line.find(" vs ") == std::string::npos) {
      skipping = true;
    }
    if (!skipping) out += line;
    if (skipping && line == "\n") skipping = false;
  }
  return out;
}

std::string table(const Comparison& c, int width) {
  std::ostringstream os;
  print_comparison(os, c, width);
  return without_cases(os.str());
}

}  // namespace

TEST_CASE("#C1 route cards of the baseline: every value as worked by hand", "[compare]") {
  const Comparison c = c1();
  CHECK(c.years == std::vector<int>{2030, 2032, 2040});
  REQUIRE(c.cards.size() == 3);  // base/west, east/west, east/east
  REQUIRE(c.baseline.size() == 3);
  for (const CardBaseline& b : c.baseline) {  // the first case of the one scenario
    CHECK(b.case_index == 0);
    CHECK(b.scenario == "test");
    CHECK(b.case_name == "base");
    CHECK(b.label == "base");
    CHECK(b.first_year == 2030);
    CHECK(b.last_year == 2033);
  }
  CHECK(c.baseline_of == std::vector<int>{-1, 0, -1});
  CHECK(c.is_baseline == std::vector<bool>{true, false, false});
  CHECK(c.compared == std::vector<bool>{false, true, true});

  const RouteCard& w = c.cards[0];
  CHECK(w.case_name == "base");
  CHECK(w.route == "west");
  CHECK(w.first_flow_year == 2031);
  REQUIRE(w.milestones.size() == 3);
  CHECK(w.milestones[0].volume == exactly(0));
  CHECK_FALSE(w.milestones[0].utilisation);     // P1 is not in service in 2030
  CHECK_FALSE(w.milestones[0].levelised_cost);  // nothing carried
  CHECK(*w.milestones[0].served_shortfall == exactly(35));
  CHECK(*w.milestones[1].volume == exactly(20));
  CHECK(*w.milestones[1].utilisation == exactly(1.0));
  // Tariffs 1 + 1 and the transit fee 2, per unit carried: 4 USD/kcm; / 38 GJ per kcm.
  CHECK(*w.milestones[1].levelised_cost == exactly(4.0));
  CHECK(*w.milestones[1].levelised_cost_usd_per_gj == exactly(4.0 / 38.0));
  CHECK(*w.milestones[1].served_shortfall == exactly(15));
  CHECK_FALSE(w.milestones[2].volume);  // 2040: after the horizon
  CHECK_FALSE(w.milestones[2].served_shortfall);
  CHECK(w.cumulative_volume == exactly(0 + 10 + 20 + 15));
  CHECK(*w.mean_utilisation == exactly((1.0 + 1.0 + 0.75) / 3));  // 2031-2033: capacity > 0
  CHECK(*w.peak_utilisation == exactly(1.0));
  CHECK(w.bottleneck == "P1");
  CHECK(w.bottleneck_binding_years == 2);  // 2031 and 2032; 0.75 in 2033
  CHECK(*w.levelised_cost == exactly(4.0));
  CHECK(*w.levelised_cost_usd_per_gj == exactly(4.0 / 38.0));
  CHECK(*w.transit_share == exactly(1.0));  // P1 (country T) is in service whenever gas flows
  CHECK(w.transit_countries == std::vector<std::string>{"T"});
  CHECK(*w.transit_fees_musd == exactly(2.0 * 45));
  CHECK(w.served_markets == std::vector<std::string>{"D", "M"});  // downstream of D
  CHECK(w.served_shortfall == exactly(35 + 25 + 15 + 0));
}

TEST_CASE("#C1 route cards of the alternative, with a route the baseline does not have",
          "[compare]") {
  const Comparison c = c1();
  const RouteCard& w = c.cards[1];
  CHECK(w.case_name == "east");
  CHECK(w.route == "west");
  // West carries the same as in the baseline; its markets are shorter of gas in 2032 only.
  CHECK(w.cumulative_volume == exactly(45));
  CHECK(*w.milestones[1].served_shortfall == exactly(3));
  CHECK(w.served_shortfall == exactly(35 + 25 + 3 + 0));

  const RouteCard& e = c.cards[2];
  CHECK(e.route == "east");
  CHECK(e.first_flow_year == 2032);
  CHECK(*e.milestones[0].volume == exactly(0));
  CHECK_FALSE(e.milestones[0].utilisation);  // Q1 comes online in 2032
  CHECK(*e.milestones[1].volume == exactly(12));
  CHECK(*e.milestones[1].utilisation == exactly(1.0));
  // 2032: capital 5 + tariff 3 x 12 = 41 MUSD for 12 bcm. 2033 carries nothing, but Q1 is
  // east's alone, so east pays its idle capital too (issue 9): 5 MUSD. Over the horizon at the
  // default 8 %, discounted to 2032: (41 + 5 / 1.08) / 12 = 3.802 USD/kcm, not 2032's 3.417.
  CHECK(*e.milestones[1].levelised_cost == exactly(41.0 / 12));
  CHECK(*e.levelised_cost == exactly((41.0 + 5.0 / 1.08) / 12));
  CHECK(*e.levelised_cost_usd_per_gj == exactly((41.0 + 5.0 / 1.08) / 12 / 38));
  CHECK(e.cumulative_volume == exactly(12));
  CHECK(*e.mean_utilisation == exactly((1.0 + 0.0) / 2));  // 2032 and 2033
  CHECK(*e.peak_utilisation == exactly(1.0));
  CHECK(e.bottleneck == "Q1");
  CHECK(e.bottleneck_binding_years == 1);
  CHECK(*e.transit_share == exactly(0.0));
  CHECK(e.transit_countries.empty());
  CHECK(*e.transit_fees_musd == exactly(0.0));
  CHECK(e.served_markets == std::vector<std::string>{"D", "M"});
  CHECK(e.served_shortfall == exactly(63));
  // What the same markets lacked in the baseline, year by year, for east's deltas.
  REQUIRE(c.baseline_market_shortfall[2].size() == 4);
  CHECK(c.baseline_market_shortfall[2][2] == exactly(15));
}

TEST_CASE("#C1 comparison.csv: header, order and deltas as worked by hand", "[compare]") {
  const std::vector<std::string> rows = lines_of(comparison_csv(c1()));
  REQUIRE(!rows.empty());
  CHECK(rows[0] ==
        "scenario,case,commodity,route,metric,year,value,unit,detail,baseline_case,"
        "baseline_value,delta");
  // Per card: first_flow_year, volume x2, utilisation x2, levelised_cost x2 + horizon,
  // levelised_cost_energy x2 + horizon, served_shortfall x2 + horizon, cumulative_volume,
  // mean_utilisation, peak_utilisation, bottleneck_binding_years, transit_share, transit_fees.
  constexpr std::size_t kRowsPerCard = 1 + 2 + 2 + 3 + 3 + 3 + 6;
  REQUIRE(rows.size() == 1 + 3 * kRowsPerCard);
  const std::vector<std::string> base_west(rows.begin() + 1, rows.begin() + 1 + kRowsPerCard);
  CHECK(base_west == std::vector<std::string>{
                         "test,base,gas,west,first_flow_year,,2031,year,,,,",
                         "test,base,gas,west,volume,2030,0.000000,bcm,,,,",
                         "test,base,gas,west,volume,2032,20.000000,bcm,,,,",
                         "test,base,gas,west,utilisation,2030,,fraction,,,,",
                         "test,base,gas,west,utilisation,2032,1.0000,fraction,,,,",
                         "test,base,gas,west,levelised_cost,2030,,USD/kcm,,,,",
                         "test,base,gas,west,levelised_cost,2032,4.000,USD/kcm,,,,",
                         "test,base,gas,west,levelised_cost,,4.000,USD/kcm,,,,",
                         "test,base,gas,west,levelised_cost_energy,2030,,USD/GJ,,,,",
                         "test,base,gas,west,levelised_cost_energy,2032,0.1053,USD/GJ,,,,",
                         "test,base,gas,west,levelised_cost_energy,,0.1053,USD/GJ,,,,",
                         "test,base,gas,west,served_shortfall,2030,35.000000,bcm,D+M,,,",
                         "test,base,gas,west,served_shortfall,2032,15.000000,bcm,D+M,,,",
                         "test,base,gas,west,served_shortfall,,75.000000,bcm,D+M,,,",
                         "test,base,gas,west,cumulative_volume,,45.000000,bcm,,,,",
                         "test,base,gas,west,mean_utilisation,,0.9167,fraction,,,,",
                         "test,base,gas,west,peak_utilisation,,1.0000,fraction,,,,",
                         "test,base,gas,west,bottleneck_binding_years,,2,years,P1,,,",
                         "test,base,gas,west,transit_share,,1.0000,fraction,T,,,",
                         "test,base,gas,west,transit_fees,,90.000,MUSD,,,,",
                     });
  // east/west against base/west: the same volumes (delta 0), 12 bcm less shortfall at D+M
  // in 2032 (15 -> 3) and over the horizon (75 -> 63).
  const std::vector<std::string> alt_west(rows.begin() + 1 + kRowsPerCard,
                                          rows.begin() + 1 + 2 * kRowsPerCard);
  CHECK(alt_west[0] == "test,east,gas,west,first_flow_year,,2031,year,,base,2031,0");
  CHECK(alt_west[2] == "test,east,gas,west,volume,2032,20.000000,bcm,,base,20.000000,0.000000");
  CHECK(alt_west[3] == "test,east,gas,west,utilisation,2030,,fraction,,base,,");
  CHECK(alt_west[12] ==
        "test,east,gas,west,served_shortfall,2032,3.000000,bcm,D+M,base,15.000000,-12.000000");
  CHECK(alt_west[13] ==
        "test,east,gas,west,served_shortfall,,63.000000,bcm,D+M,base,75.000000,-12.000000");
  // east/east has no baseline card: volumes, cumulative volume and fees against 0, served
  // shortfall against the same markets in the baseline, everything else without a delta.
  const std::vector<std::string> east(rows.begin() + 1 + 2 * kRowsPerCard, rows.end());
  CHECK(east == std::vector<std::string>{
                    "test,east,gas,east,first_flow_year,,2032,year,,base,,",
                    "test,east,gas,east,volume,2030,0.000000,bcm,,base,0.000000,0.000000",
                    "test,east,gas,east,volume,2032,12.000000,bcm,,base,0.000000,12.000000",
                    "test,east,gas,east,utilisation,2030,,fraction,,base,,",
                    "test,east,gas,east,utilisation,2032,1.0000,fraction,,base,,",
                    "test,east,gas,east,levelised_cost,2030,,USD/kcm,,base,,",
                    "test,east,gas,east,levelised_cost,2032,3.417,USD/kcm,,base,,",
                    "test,east,gas,east,levelised_cost,,3.802,USD/kcm,,base,,",
                    "test,east,gas,east,levelised_cost_energy,2030,,USD/GJ,,base,,",
                    "test,east,gas,east,levelised_cost_energy,2032,0.0899,USD/GJ,,base,,",
                    "test,east,gas,east,levelised_cost_energy,,0.1001,USD/GJ,,base,,",
                    "test,east,gas,east,served_shortfall,2030,35.000000,bcm,D+M,base,35.000000,"
                    "0.000000",
                    "test,east,gas,east,served_shortfall,2032,3.000000,bcm,D+M,base,15.000000,"
                    "-12.000000",
                    "test,east,gas,east,served_shortfall,,63.000000,bcm,D+M,base,75.000000,"
                    "-12.000000",
                    "test,east,gas,east,cumulative_volume,,12.000000,bcm,,base,0.000000,12.000000",
                    "test,east,gas,east,mean_utilisation,,0.5000,fraction,,base,,",
                    "test,east,gas,east,peak_utilisation,,1.0000,fraction,,base,,",
                    "test,east,gas,east,bottleneck_binding_years,,1,years,Q1,base,,",
                    "test,east,gas,east,transit_share,,0.0000,fraction,,base,,",
                    "test,east,gas,east,transit_fees,,0.000,MUSD,,base,0.000,0.000",
                });
}

TEST_CASE("#C1 comparison_wide.csv: one row per card, deltas at the end", "[compare]") {
  const std::vector<std::string> rows = lines_of(comparison_wide_csv(c1()));
  REQUIRE(rows.size() == 4);
  CHECK(rows[0] ==
        "scenario,case,commodity,route,volume_unit,cost_unit,first_flow_year,"
        "volume_2030,volume_2032,volume_2040,utilisation_2030,utilisation_2032,utilisation_2040,"
        "levelised_cost_2030,levelised_cost_2032,levelised_cost_2040,"
        "served_shortfall_2030,served_shortfall_2032,served_shortfall_2040,"
        "cumulative_volume,mean_utilisation,peak_utilisation,bottleneck,bottleneck_binding_years,"
        "levelised_cost,levelised_cost_usd_per_gj,transit_share,transit_countries,"
        "transit_fees_musd,served_shortfall,"
        "delta_volume_2030,delta_volume_2032,delta_volume_2040,"
        "delta_utilisation_2030,delta_utilisation_2032,delta_utilisation_2040,"
        "delta_levelised_cost_2030,delta_levelised_cost_2032,delta_levelised_cost_2040,"
        "delta_served_shortfall_2030,delta_served_shortfall_2032,delta_served_shortfall_2040,"
        "delta_cumulative_volume,delta_mean_utilisation,delta_peak_utilisation,"
        "delta_bottleneck_binding_years,delta_levelised_cost,delta_levelised_cost_usd_per_gj,"
        "delta_transit_share,delta_transit_fees_musd,delta_served_shortfall");
  // The baseline's own row has no deltas; 2040 is after the horizon: empty.
  CHECK(rows[1] ==
        "test,base,gas,west,bcm,USD/kcm,2031,0.000000,20.000000,,,1.0000,,,4.000,,35.000000,"
        "15.000000,,45.000000,0.9167,1.0000,P1,2,4.000,0.1053,1.0000,T,90.000,75.000000"
        ",,,,,,,,,,,,,,,,,,,,,");
  CHECK(rows[3] ==
        "test,east,gas,east,bcm,USD/kcm,2032,0.000000,12.000000,,,1.0000,,,3.417,,35.000000,"
        "3.000000,,12.000000,0.5000,1.0000,Q1,1,3.802,0.1001,0.0000,,0.000,63.000000,"
        "0.000000,12.000000,,,,,,,,0.000000,-12.000000,,12.000000,,,,,,,0.000,-12.000000");
}

TEST_CASE("the baseline can be any case, by case or scenario/case", "[compare]") {
  const Comparison c = c1("test/east");
  for (const CardBaseline& b : c.baseline) CHECK(b.label == "east");
  // Cards: base/west, base/east (removed: the baseline has it, base does not), east/west,
  // east/east.
  CHECK(c.baseline_of == std::vector<int>{2, 3, -1, -1});
  CHECK(c.is_baseline == std::vector<bool>{false, false, true, true});
  CHECK(c.cards[1].removed);
  const std::vector<std::string> rows = lines_of(comparison_csv(c));
  // base/west against east/west: 12 bcm more shortfall at D+M in 2032.
  CHECK(std::find(rows.begin(), rows.end(),
                  "test,base,gas,west,served_shortfall,2032,15.000000,bcm,D+M,east,3.000000,"
                  "12.000000") != rows.end());
  CHECK(c1("east").baseline_of == c.baseline_of);
}

TEST_CASE("routes of a commodity the baseline lacks are not compared", "[compare]") {
  // A gas baseline and an oil-only scenario: the oil route has no baseline to differ from.
  Scenario oil = scenario(2030, 2030);
  oil.name = "oil";
  oil.nodes = {supply("W", 5), demand("R", 5)};
  for (Node& n : oil.nodes) n.commodity = Commodity::Oil;
  Pipeline line = pipe("L", "W", "R", 5);
  line.commodity = Commodity::Oil;
  oil.pipelines = {line};
  oil.routes = {route("crude", {"L"})};
  CompareOptions o;
  o.years = {2030};
  const Comparison c = compare(run_of_cases({base_case(), oil}), o);
  REQUIRE(c.cards.size() == 2);
  CHECK(c.compared == std::vector<bool>{false, false});
  const std::string csv = comparison_csv(c);
  CHECK(csv.find("oil,base,oil,crude,volume,2030,5.000000,Mt,,,,\n") != std::string::npos);
  CHECK(table(c, 200).find("Δ") == std::string::npos);

  // Named across files, the gas case is the baseline of the oil cards too, and has no oil.
  o.baseline = "test/base";
  const Comparison across = compare(run_of_cases({base_case(), oil}), o);
  CHECK(across.compared == std::vector<bool>{false, false});
  CHECK(lines_of(table(across, 200)).at(4) ==
        "oil, not compared: baseline test/base has no oil (Mt, USD/t) at 2030");
}

namespace {

// #C4: two files, each compared with its own case "a". Horizon 2030-2031, milestone 2031.
//   gas file "gas": S (supply 100) -G1-> D (demand 10), route g = [G1].
//     case a: G1 6 bcm/y: g carries 6 a year, D lacks 4 a year;
//     case b: G1 10 bcm/y: g carries 10, D lacks nothing.
//   oil file "oil": W (supply 50 Mt/y) -L1-> R (demand 8 Mt/y), L1 5 Mt/y, tariff 1,
//     route o = [L1].
//     case a: o carries 5 a year, R lacks 3 a year;
//     case c: adds L2 W -> R, 4 Mt/y, tariff 2, route n = [L2]: o 5, n 3, R lacks nothing.
// With --baseline a, gas b/g against gas a/g: volume 10 - 6 = +4 (2031), cumulative
// 20 - 12 = +8, shortfall 0 - 4 = -4 (2031) and 0 - 8 (horizon). Oil c/o against oil a/o: 0.
// Oil c/n, a route oil a lacks: volume 3 - 0 = +3, cumulative 6 - 0 = +6, shortfall of R
// 0 - 3 = -3 (2031) and 0 - 6 (horizon).
Scenario two_file_gas(const std::string& case_name, double g1_bcm_per_year) {
  Scenario s = scenario(2030, 2031);
  s.name = "gas";
  s.case_name = case_name;
  s.nodes = {supply("S", 100), demand("D", 10)};
  s.pipelines = {pipe("G1", "S", "D", g1_bcm_per_year, 1)};
  s.routes = {route("g", {"G1"})};
  return s;
}

Scenario two_file_oil(const std::string& case_name, bool with_l2) {
  Scenario s = scenario(2030, 2031);
  s.name = "oil";
  s.case_name = case_name;
  s.nodes = {supply("W", 50), demand("R", 8)};
  s.pipelines = {pipe("L1", "W", "R", 5, 1)};
  s.routes = {route("o", {"L1"})};
  if (with_l2) {
    s.pipelines.push_back(pipe("L2", "W", "R", 4, 2));
    s.routes.push_back(route("n", {"L2"}));
  }
  for (Node& n : s.nodes) n.commodity = Commodity::Oil;
  for (Pipeline& p : s.pipelines) p.commodity = Commodity::Oil;
  return s;
}

Comparison c4(const std::string& baseline, bool oil_c_first = false) {
  std::vector<Scenario> cases = {two_file_gas("a", 6), two_file_gas("b", 10)};
  if (oil_c_first) {
    cases.push_back(two_file_oil("c", true));
    cases.push_back(two_file_oil("a", false));
  } else {
    cases.push_back(two_file_oil("a", false));
    cases.push_back(two_file_oil("c", true));
  }
  CompareOptions o;
  o.years = {2031};
  o.baseline = baseline;
  return compare(run_of_cases(cases), o);
}

bool has_line(const std::string& text, const std::string& line) {
  const std::vector<std::string> lines = lines_of(text);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

}  // namespace

TEST_CASE("#C4 a case name in every file: each file against its own case of that name",
          "[compare]") {
  const Comparison c = c4("a");
  // Cards: gas a/g, gas b/g, oil a/o, oil c/o, oil c/n.
  REQUIRE(c.cards.size() == 5);
  std::vector<int> base_cases;
  for (const CardBaseline& b : c.baseline) base_cases.push_back(b.case_index);
  CHECK(base_cases == std::vector<int>{0, 0, 2, 2, 2});
  for (const CardBaseline& b : c.baseline) CHECK(b.label == "a");
  CHECK(c.baseline_of == std::vector<int>{-1, 0, -1, 2, -1});
  CHECK(c.is_baseline == std::vector<bool>{true, false, true, false, false});
  CHECK(c.compared == std::vector<bool>{false, true, false, true, true});

  const std::string csv = comparison_csv(c);
  INFO(csv);
  CHECK(has_line(csv, "gas,a,gas,g,volume,2031,6.000000,bcm,,,,"));
  CHECK(has_line(csv, "gas,b,gas,g,volume,2031,10.000000,bcm,,a,6.000000,4.000000"));
  CHECK(has_line(csv, "gas,b,gas,g,cumulative_volume,,20.000000,bcm,,a,12.000000,8.000000"));
  CHECK(has_line(csv, "gas,b,gas,g,served_shortfall,2031,0.000000,bcm,D,a,4.000000,-4.000000"));
  CHECK(has_line(csv, "gas,b,gas,g,served_shortfall,,0.000000,bcm,D,a,8.000000,-8.000000"));
  CHECK(has_line(csv, "oil,a,oil,o,volume,2031,5.000000,Mt,,,,"));
  CHECK(has_line(csv, "oil,c,oil,o,volume,2031,5.000000,Mt,,a,5.000000,0.000000"));
  CHECK(has_line(csv, "oil,c,oil,o,served_shortfall,,0.000000,Mt,R,a,6.000000,-6.000000"));
  CHECK(has_line(csv, "oil,c,oil,n,volume,2031,3.000000,Mt,,a,0.000000,3.000000"));
  CHECK(has_line(csv, "oil,c,oil,n,cumulative_volume,,6.000000,Mt,,a,0.000000,6.000000"));
  CHECK(has_line(csv, "oil,c,oil,n,served_shortfall,2031,0.000000,Mt,R,a,3.000000,-3.000000"));
  CHECK(has_line(csv, "oil,c,oil,n,served_shortfall,,0.000000,Mt,R,a,6.000000,-6.000000"));

  const std::string t = table(c, 200);
  INFO(t);
  CHECK(t.find("gas vs baseline a (bcm, USD/kcm) at 2031\n") != std::string::npos);
  CHECK(t.find("oil vs baseline a (Mt, USD/t) at 2031\n") != std::string::npos);
  CHECK(t.find("\n  Δ vs a ") != std::string::npos);
  CHECK(t.find("Δ vs gas/a") == std::string::npos);
}

TEST_CASE("#C4 without --baseline each file's first case is its own baseline", "[compare]") {
  // The same as naming "a", the first case of both files.
  const Comparison a = c4("");
  CHECK(a.baseline_of == c4("a").baseline_of);
  CHECK(comparison_csv(a) == comparison_csv(c4("a")));

  // Oil's cases in the order c, a: oil is compared with c, gas still with a.
  const Comparison c = c4("", true);
  std::vector<std::string> labels;
  for (const CardBaseline& b : c.baseline) labels.push_back(b.label);
  // Cards: gas a/g, gas b/g, oil c/o, oil c/n, oil a/o, and oil a/n: case a lacks c's route n.
  CHECK(labels == std::vector<std::string>{"a", "a", "c", "c", "c", "c"});
  CHECK(c.baseline_of == std::vector<int>{-1, 0, -1, -1, 2, 3});
  CHECK(c.cards[5].removed);
  const std::string csv = comparison_csv(c);
  INFO(csv);
  CHECK(has_line(csv, "oil,a,oil,o,served_shortfall,,6.000000,Mt,R,c,0.000000,6.000000"));
  const std::string t = table(c, 200);
  CHECK(t.find("gas vs baseline a (") != std::string::npos);
  CHECK(t.find("oil vs baseline c (") != std::string::npos);
}

TEST_CASE("the table lists the baselines when the files of a commodity have different ones",
          "[compare]") {
  // #C1's two cases, and a second gas file whose one case is "solo": by default test/base
  // and other/solo.
  Scenario other = base_case();
  other.name = "other";
  other.case_name = "solo";
  CompareOptions o;
  o.years = {2032};
  const Comparison c = compare(run_of_cases({base_case(), east_case(), other}), o);
  const std::string t = table(c, 200);
  INFO(t);
  CHECK(t.find("gas vs baselines test/base, other/solo (bcm, USD/kcm) at 2032\n") !=
        std::string::npos);
  CHECK(c.is_baseline == std::vector<bool>{true, false, false, true});
}

TEST_CASE("a case name in only one file is the baseline of every card, across files", "[compare]") {
  // #C1's two cases and a copy of its baseline in another file, "other/solo". --baseline east
  // names a case of "test" only: every card is compared with test/east, named test/east from
  // the other file. other/solo/west is base/west again: 75 bcm shortfall at D+M against 63.
  Scenario other = base_case();
  other.name = "other";
  other.case_name = "solo";
  CompareOptions o;
  o.years = {2032};
  o.baseline = "east";
  const Comparison c = compare(run_of_cases({base_case(), east_case(), other}), o);
  // test/base/west, test/base/east (removed), test/east/west, test/east/east,
  // other/solo/west, other/solo/east (removed): route east is the baseline's only.
  REQUIRE(c.cards.size() == 6);
  std::vector<std::string> labels;
  for (const CardBaseline& b : c.baseline) {
    labels.push_back(b.label);
    CHECK(b.case_index == 1);
  }
  CHECK(labels ==
        std::vector<std::string>{"east", "east", "east", "east", "test/east", "test/east"});
  CHECK(c.baseline_of == std::vector<int>{2, 3, -1, -1, 2, 3});
  CHECK(c.compared == std::vector<bool>{true, true, false, false, true, true});
  const std::string csv = comparison_csv(c);
  INFO(csv);
  CHECK(has_line(csv,
                 "other,solo,gas,west,served_shortfall,,75.000000,bcm,D+M,test/east,63.000000,"
                 "12.000000"));
  CHECK(has_line(csv,
                 "test,base,gas,west,served_shortfall,,75.000000,bcm,D+M,east,63.000000,"
                 "12.000000"));
  const std::string t = table(c, 200);
  INFO(t);
  CHECK(t.find("gas vs baseline test/east (bcm, USD/kcm) at 2032\n") != std::string::npos);
  CHECK(t.find("\n  Δ vs test/east ") != std::string::npos);
  CHECK(t.find("\n  Δ vs east ") != std::string::npos);
}

TEST_CASE("a case name in some files but not all is refused, naming the file without it",
          "[compare]") {
  // #C4's files (both have "a") and #C1's (only "base" and "east").
  CompareOptions o;
  o.years = {2031};
  o.baseline = "a";
  const RunResult r = run_of_cases({two_file_gas("a", 6), two_file_gas("b", 10),
                                    two_file_oil("a", false), base_case(), east_case()});
  CHECK(error_of([&] { compare(r, o); }) ==
        "--baseline: error: scenario 'test' has no case named 'a' (its cases: base, east); "
        "name one baseline for all as scenario/case, e.g. --baseline gas/a");
  o.baseline = "gas/a";  // one case for all cards
  for (const CardBaseline& b : compare(r, o).baseline) CHECK(b.case_index == 0);
}

// #C2: a bottleneck tie. Route r = [A, B] (scenario order B, A), S 10 -> D 10.
//   2030: A 10/10 = 1.0, B 10/20 = 0.5: A.   2031: B's capacity falls to 5: flow 5,
//   A 5/10 = 0.5, B 5/5 = 1.0: B.   One year each: the tie goes to A, bottleneck first (2030),
//   although B comes first in the scenario. A is binding in 2030 only.
TEST_CASE("#C2 a bottleneck tie goes to the pipeline that was the bottleneck first", "[compare]") {
  Scenario s = scenario(2030, 2031);
  s.nodes = {supply("S", 10), junction("J"), demand("D", 10)};
  Pipeline b = pipe("B", "J", "D", 0);
  b.capacity = series({{2030, 20}, {2031, 5}});
  s.pipelines = {b, pipe("A", "S", "J", 10)};
  s.routes = {route("r", {"A", "B"})};
  CompareOptions o;
  o.years = {2031};
  const Comparison c = compare(run_of_cases({s}), o);
  REQUIRE(c.cards.size() == 1);
  CHECK(c.cards[0].bottleneck == "A");
  CHECK(c.cards[0].bottleneck_binding_years == 1);
  CHECK(c.cards[0].cumulative_volume == exactly(15));
}

// #C3: a transit segment that retires. Route r = [A, B]; A (S -> J, country T) retires in
// 2031. 2030: 10 bcm from S (0 USD/kcm) via A and B. 2031: only J's own 4 bcm (50 USD/kcm)
// flow on B, the route's meter. In 2031 the route is out of service (A retired): its capacity
// is 0, so J's gas on B is not the route's (volume 0, never more than the route could carry:
// issue 9), there is no utilisation, and 2031 stays out of the mean. Transit share 10 / 10.
TEST_CASE("#C3 a retired transit segment closes the route: its meter's other gas is not its",
          "[compare]") {
  Scenario s = scenario(2030, 2031);
  s.nodes = {supply("S", 10), supply("J", 4, 50), demand("D", 10)};
  Pipeline a = pipe("A", "S", "J", 10);
  a.transit_country = "T";
  a.retire = YearMonth{2031, 0};
  s.pipelines = {a, pipe("B", "J", "D", 10)};
  s.routes = {route("r", {"A", "B"})};
  CompareOptions o;
  o.years = {2030, 2031};
  const Comparison c = compare(run_of_cases({s}), o);
  REQUIRE(c.cards.size() == 1);
  const RouteCard& r = c.cards[0];
  CHECK(*r.transit_share == exactly(1.0));
  CHECK(*r.milestones[1].volume == exactly(0));
  CHECK(r.cumulative_volume == exactly(10));
  CHECK_FALSE(r.milestones[1].utilisation);
  CHECK(*r.mean_utilisation == exactly(1.0));
  CHECK(r.served_shortfall == exactly(0 + 6));
}

TEST_CASE("#C5 flow against a route on a bidirectional line counts 0, never negative",
          "[compare]") {
  // a -> b while A has gas (2030-2031), b -> a after (2032-2033); 5 bcm/y each way on a
  // 10 bcm/y link with a transit country. The route a-to-b carried 5 + 5 = 10 bcm forward;
  // the reverse years are volume 0 and utilisation 0, not -5 and 50 %.
  //   mean utilisation (0.5 + 0.5 + 0 + 0) / 4 = 0.25, peak 0.5;
  //   transit share 10 / 10 = 1 (the link crosses C in every year).
  Scenario s = scenario(2030, 2033);
  Node a = supply("a", 10), b = supply("b", 0);
  a.capacity = series({{2030, 10}, {2032, 0}});
  b.capacity = series({{2030, 0}, {2032, 10}});
  s.nodes = {a, b, demand("da", 5), demand("db", 5)};
  Pipeline link = bidirectional_pipe("link", "a", "b", 10);
  link.transit_country = "C";
  s.pipelines = {link, pipe("aout", "a", "da", 20), pipe("bout", "b", "db", 20)};
  s.routes = {route("a-to-b", {"link"})};
  CompareOptions o;
  o.years = {2031, 2032};
  const Comparison c = compare(run_of_cases({s}), o);
  REQUIRE(c.cards.size() == 1);
  const RouteCard& r = c.cards[0];
  CHECK(r.cumulative_volume == exactly(10));
  CHECK(*r.milestones[0].volume == exactly(5));
  CHECK(*r.milestones[1].volume == exactly(0));
  CHECK(*r.milestones[1].utilisation == exactly(0));
  CHECK(*r.mean_utilisation == exactly(0.25));
  CHECK(*r.peak_utilisation == exactly(0.5));
  CHECK(*r.transit_share == exactly(1.0));
}

TEST_CASE("the table says when a milestone year is outside every horizon or horizons differ",
          "[compare]") {
  Scenario full = scenario(2030, 2035);
  full.nodes = {supply("a", 20), demand("d", 10)};
  full.pipelines = {pipe("p", "a", "d", 10)};
  full.routes = {route("r", {"p"})};
  full.case_name = "full";
  Scenario shorter = full;
  shorter.case_name = "short";
  shorter.horizon.start_year = 2033;
  CompareOptions o;
  o.years = {2030, 2050};
  std::ostringstream table;
  print_comparison(table, compare(run_of_cases({full, shorter}), o), 120);
  const std::vector<std::string> lines = lines_of(without_cases(table.str()));
  REQUIRE(lines.size() >= 3);
  CHECK(lines[1] == "(no case covers 2050: those columns are empty)");
  CHECK(lines[2] ==
        "(horizon differs from the baseline's, so horizon totals cover other years: short)");

  // Neither note when every year is covered and the horizons agree.
  std::ostringstream plain;
  o.years = {2030};
  print_comparison(plain, compare(run_of_cases({full, full}), o), 120);
  CHECK(plain.str().find("(no case covers") == std::string::npos);
  CHECK(plain.str().find("(horizon differs") == std::string::npos);
}

TEST_CASE("the terminal table fits the width, dropping columns and saying so", "[compare]") {
  const Comparison c = c1();

  SECTION("200 columns: every column, nothing dropped") {
    const std::string t = table(c, 200);
    INFO(t);
    CHECK(
        t ==
        std::string(
            "gas vs baseline base (bcm, USD/kcm) at 2030, 2032, 2040\n"
            "(no case covers 2040: those columns are empty)\n"
            "case  route  first  2030   2032  2040  cumul  util%  peak%  bottleneck  cost  transit%"
            "  shortfall\n"
            "base  west    2031   0.0   20.0     -   45.0   91.7  100.0  P1           4.0     100.0"
            "       75.0\n"
            "east  west    2031   0.0   20.0     -   45.0   91.7  100.0  P1           4.0     100.0"
            "       63.0\n"
            "  Δ vs base      0   0.0    0.0          0.0    0.0    0.0               0.0       0.0"
            "      -12.0\n"
            "east  east    2032   0.0   12.0     -   12.0   50.0  100.0  Q1           3.8       0.0"
            "       63.0\n"
            "  Δ vs base          0.0  +12.0        +12.0") +
            std::string(48, ' ') + "-12.0\n\n");
  }
  SECTION("60 columns: the lowest priorities go first, in one line, and every line fits") {
    const std::string t = table(c, 60);
    INFO(t);
    for (const std::string& line : lines_of(t)) CHECK(columns(line) <= 60);
    CHECK(t.find("\n(left out to fit: peak%, transit%, bottleneck, 2030") != std::string::npos);
    CHECK(t.find("peak%") == t.find("peak%, transit%"));  // only in the note
    CHECK(t.find("  2032") != std::string::npos);         // the later milestones stay
    CHECK(t.find("  Δ vs base") != std::string::npos);
  }
  SECTION("narrower and narrower: columns go in the order README.md documents") {
    // README.md, "Comparing route alternatives": peak utilisation, transit share, bottleneck,
    // the milestone years from the earliest (the last stays), then shortfall, mean
    // utilisation, cumulative volume, first year and cost. Case, route and the last milestone
    // are never dropped.
    const std::vector<std::string> order = {"peak%",     "transit%", "bottleneck", "2030",  "2032",
                                            "shortfall", "util%",    "cumul",      "first", "cost"};
    const std::vector<std::string> all = {"case", "route",    "first",    "2030",  "2032",
                                          "2040", "cumul",    "util%",    "peak%", "bottleneck",
                                          "cost", "transit%", "shortfall"};
    std::size_t dropped_before = 0;
    for (int width = 200; width >= 20; --width) {
      const std::string t = table(c, width);
      std::vector<std::string> header;
      for (const std::string& line : lines_of(t)) {
        if (line.starts_with("case ")) {
          std::istringstream words(line);
          for (std::string w; words >> w;) header.push_back(w);
        }
      }
      std::vector<std::string> dropped;
      for (const std::string& col : all) {
        if (std::find(header.begin(), header.end(), col) == header.end()) dropped.push_back(col);
      }
      std::sort(dropped.begin(), dropped.end(), [&](const std::string& a, const std::string& b) {
        return std::find(order.begin(), order.end(), a) < std::find(order.begin(), order.end(), b);
      });
      INFO("width " << width << "\n" << t);
      REQUIRE(dropped.size() <= order.size());
      CHECK(dropped == std::vector<std::string>(order.begin(), order.begin() + dropped.size()));
      CHECK(dropped.size() >= dropped_before);
      dropped_before = dropped.size();
    }
    CHECK(dropped_before == order.size());  // at 20 columns only case, route and 2040 are left
  }
  SECTION("very narrow: names are cut with … as a last resort") {
    Comparison long_names = c;
    long_names.cards[2].route = "a-very-long-route-name";
    const std::string t = table(long_names, 24);
    INFO(t);
    for (const std::string& line : lines_of(t)) CHECK(columns(line) <= 24);
    CHECK(t.find("…") != std::string::npos);
    CHECK(t.find("a-very-long-route-name") == std::string::npos);
  }
}

TEST_CASE("milestone years: parsed, sorted, and refused with exact messages", "[compare]") {
  CHECK(parse_years("2030,2035,2040") == std::vector<int>{2030, 2035, 2040});
  CHECK(parse_years(" 2040, 2030 ") == std::vector<int>{2030, 2040});
  CHECK(parse_years("2031") == std::vector<int>{2031});
  const std::string hint =
      "; give milestone years separated by commas, e.g. --years 2030,2035,2040";
  CHECK(error_of([] { parse_years(""); }) == "--years: error: no years given" + hint);
  CHECK(error_of([] { parse_years("2030,,2040"); }) ==
        "--years: error: empty year in '2030,,2040'" + hint);
  CHECK(error_of([] { parse_years("2030,"); }) == "--years: error: empty year in '2030,'" + hint);
  CHECK(error_of([] { parse_years("20x0"); }) == "--years: error: '20x0' is not a year" + hint);
  CHECK(error_of([] { parse_years("2030.5"); }) == "--years: error: '2030.5' is not a year" + hint);
  CHECK(error_of([] { parse_years("2035,2030,2035"); }) ==
        "--years: error: year 2035 is given twice" + hint);
}

TEST_CASE("baseline names: per scenario, across files, qualified, with exact messages",
          "[compare]") {
  using Cases = std::vector<std::pair<std::string, std::string>>;
  const Cases cases = {
      {"pos2-delay", "on-time"}, {"pos2-delay", "delay-2035"}, {"minimal", "base"}};
  // No name: each scenario's first case.
  CHECK(baseline_case_index(cases, "") == std::vector<int>{0, 0, 2});
  // A name only one scenario has: that case for every case (across files).
  CHECK(baseline_case_index(cases, "delay-2035") == std::vector<int>{1, 1, 1});
  CHECK(baseline_case_index(cases, "minimal/base") == std::vector<int>{2, 2, 2});
  CHECK(error_of([&] { baseline_case_index(cases, "delay-2036"); }) ==
        "--baseline: error: no case named 'delay-2036'; did you mean 'delay-2035'?");
  CHECK(error_of([&] { baseline_case_index(cases, "pos2-delay/ontime"); }) ==
        "--baseline: error: no case named 'pos2-delay/ontime'; did you mean "
        "'pos2-delay/on-time'?");
  CHECK(error_of([&] { baseline_case_index(cases, "zzz"); }) ==
        "--baseline: error: no case named 'zzz'; expected one of: on-time, delay-2035, base");

  // A name that several scenarios have: each scenario's own.
  const Cases twice = {{"a", "base"}, {"a", "x"}, {"b", "y"}, {"b", "base"}};
  CHECK(baseline_case_index(twice, "base") == std::vector<int>{0, 0, 3, 3});
  CHECK(baseline_case_index(twice, "b/base") == std::vector<int>{3, 3, 3, 3});
  CHECK(baseline_case_index(twice, "") == std::vector<int>{0, 0, 2, 2});

  // ... and every scenario must have it: one error per scenario without it.
  const Cases gaps = {{"gas", "status-quo"}, {"gas", "pos2"},    {"oil", "status-quo"},
                      {"minimal", "base"},   {"q", "statusquo"}, {"q", "z"}};
  try {
    baseline_case_index(gaps, "status-quo");
    FAIL("no error");
  } catch (const InputError& e) {
    REQUIRE(e.diagnostics().size() == 2);
    CHECK(format_diagnostic(e.diagnostics()[0]) ==
          "--baseline: error: scenario 'minimal' has no case named 'status-quo' (its cases: "
          "base); name one baseline for all as scenario/case, e.g. --baseline gas/status-quo");
    CHECK(format_diagnostic(e.diagnostics()[1]) ==
          "--baseline: error: scenario 'q' has no case named 'status-quo' (its cases: "
          "statusquo, z); did you mean 'statusquo'? or name one baseline for all as "
          "scenario/case, e.g. --baseline gas/status-quo");
  }

  // compare() itself refuses the same names.
  CHECK(error_of([] { c1("bsae"); }) ==
        "--baseline: error: no case named 'bsae'; did you mean 'base'?");
}

TEST_CASE("served markets are the demand nodes downstream of the route's end", "[compare]") {
  // X -> Y -> Z one way, Y <-> W both ways; demand at Y, Z, W and upstream U.
  Scenario s = scenario(2030, 2030);
  s.nodes = {demand("U", 1), junction("X"), demand("Y", 1), demand("Z", 1), demand("W", 1)};
  s.pipelines = {pipe("ux", "U", "X", 1), pipe("xy", "X", "Y", 1), pipe("yz", "Y", "Z", 1),
                 test::bidirectional_pipe("wy", "W", "Y", 1)};
  CHECK(demand_nodes_reachable_from(s, "X") == std::vector<int>{2, 3, 4});
  CHECK(demand_nodes_reachable_from(s, "Z") == std::vector<int>{3});
  CHECK(demand_nodes_reachable_from(s, "W") == std::vector<int>{2, 3, 4});
  CHECK(demand_nodes_reachable_from(s, "nowhere").empty());
}

namespace corridor {
namespace {

// #C6 (issue 9): a route that the baseline has and a case removes shows its loss. Case "cut" is
// the #C1 baseline without P1 and without route west: nothing reaches D and M from S.
//   west in "cut": volume 0 at 2030 and 2032 (baseline 0 and 20: deltas 0 and -20),
//   cumulative 0 (baseline 45: -45), transit fees 0 (baseline 2 x 45 = 90: -90);
//   served shortfall of D+M: 35, 35, 35, 10 + 5 = 15, in all 120 against the baseline's
//   35 + 25 + 15 + 0 = 75 (+45); 2032: 35 against 15 (+20).
TEST_CASE("#C6 a route the baseline has and a case removes shows its loss", "[compare][issue9]") {
  Scenario cut = base_case();
  cut.case_name = "cut";
  cut.pipelines.erase(cut.pipelines.begin());  // P1
  cut.routes.clear();
  CompareOptions o;
  o.years = {2030, 2032};
  const Comparison c = compare(run_of_cases({base_case(), cut}), o);
  REQUIRE(c.cards.size() == 2);
  const RouteCard& w = c.cards[1];
  CHECK(w.case_name == "cut");
  CHECK(w.route == "west");
  CHECK(w.removed);
  CHECK(c.compared[1]);
  CHECK(c.baseline_of[1] == 0);
  CHECK(w.cumulative_volume == exactly(0));
  CHECK(w.served_shortfall == exactly(120));

  std::vector<std::string> rows;
  std::istringstream in(comparison_csv(c));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("test,cut,", 0) == 0) rows.push_back(line);
  }
  CHECK(rows == std::vector<std::string>{
                    "test,cut,gas,west,first_flow_year,,,year,removed,base,2031,",
                    "test,cut,gas,west,volume,2030,0.000000,bcm,,base,0.000000,0.000000",
                    "test,cut,gas,west,volume,2032,0.000000,bcm,,base,20.000000,-20.000000",
                    "test,cut,gas,west,utilisation,2030,,fraction,,base,,",
                    "test,cut,gas,west,utilisation,2032,,fraction,,base,1.0000,",
                    "test,cut,gas,west,levelised_cost,2030,,USD/kcm,,base,,",
                    "test,cut,gas,west,levelised_cost,2032,,USD/kcm,,base,4.000,",
                    "test,cut,gas,west,levelised_cost,,,USD/kcm,,base,4.000,",
                    "test,cut,gas,west,levelised_cost_energy,2030,,USD/GJ,,base,,",
                    "test,cut,gas,west,levelised_cost_energy,2032,,USD/GJ,,base,0.1053,",
                    "test,cut,gas,west,levelised_cost_energy,,,USD/GJ,,base,0.1053,",
                    "test,cut,gas,west,served_shortfall,2030,35.000000,bcm,D+M,base,35.000000,"
                    "0.000000",
                    "test,cut,gas,west,served_shortfall,2032,35.000000,bcm,D+M,base,15.000000,"
                    "20.000000",
                    "test,cut,gas,west,served_shortfall,,120.000000,bcm,D+M,base,75.000000,"
                    "45.000000",
                    "test,cut,gas,west,cumulative_volume,,0.000000,bcm,,base,45.000000,"
                    "-45.000000",
                    "test,cut,gas,west,mean_utilisation,,,fraction,,base,0.9167,",
                    "test,cut,gas,west,peak_utilisation,,,fraction,,base,1.0000,",
                    "test,cut,gas,west,bottleneck_binding_years,,,years,,base,2,",
                    "test,cut,gas,west,transit_share,,,fraction,,base,1.0000,",
                    "test,cut,gas,west,transit_fees,,0.000,MUSD,,base,90.000,-90.000",
                });

  // The terminal table shows the row, marked, with its losses.
  std::ostringstream table;
  print_comparison(table, c, 200);
  INFO(table.str());
  CHECK(table.str().find("\ncut   west       -   0.0    0.0    0.0      -      -  (removed)      -"
                         "         -      120.0\n"
                         "  Δ vs base          0.0  -20.0  -45.0") != std::string::npos);
}

TEST_CASE("#K1 case economics: system cost, NPV and the supply a route displaces", "[compare]") {
  // 2030-2031, discount rate 10 %. D wants 10 a year.
  //   base: domestic A (6 at 100) and lng L (20 at 200): A 6, L 4. Supply cost 600 + 800 =
  //     1400 a year, no transport, no capital: system 2800, NPV 1400 + 1400 / 1.1 = 2672.727.
  //   pipe: adds B (10 at 150, source "pipeline") over PB (3 bcm/y, tariff 10, capex 100 MUSD
  //     over 2 y at 0 %: 50 a year). B costs 160 delivered < 200: B 3, A 6, L 1. Supply 600 +
  //     450 + 200 = 1250, transport 30, capital 50: 1330 a year, system 2660, NPV 1330 + 1330 /
  //     1.1 = 2539.091. It displaces 3 bcm a year of lng (6 over the horizon), none of the
  //     domestic supply, and uses 6 of the new source (displaced -6).
  Scenario base = scenario(2030, 2031);
  base.discount_rate = 0.10;
  base.nodes = {supply("A", 6, 100), supply("L", 20, 200), demand("D", 10)};
  base.nodes[0].source = "domestic";
  base.nodes[1].source = "lng";
  base.pipelines = {pipe("PA", "A", "D", 10), pipe("PL", "L", "D", 20)};
  base.case_name = "base";
  Scenario with_pipe = base;
  with_pipe.case_name = "pipe";
  with_pipe.nodes.push_back(supply("B", 10, 150));
  with_pipe.nodes.back().source = "pipeline";
  Pipeline pb = pipe("PB", "B", "D", 3, 10);
  pb.economics.capex_musd = 100.0;
  pb.economics.lifetime_years = 2.0;
  pb.economics.discount_rate = 0.0;
  with_pipe.pipelines.push_back(pb);
  CompareOptions o;
  o.years = {2031};
  const Comparison c = compare(run_of_cases({base, with_pipe}), o);
  REQUIRE(c.cases.size() == 2);
  CHECK(c.sources == std::vector<std::string>{"domestic", "lng", "pipeline"});
  const CaseEconomics& b = c.cases[0];
  const CaseEconomics& p = c.cases[1];
  CHECK(b.baseline == -1);
  CHECK(p.baseline == 0);
  CHECK(b.system_cost_musd() == Approx(2800.0));
  CHECK(b.npv_cost_musd == Approx(1400.0 + 1400.0 / 1.1));
  CHECK(p.supply_cost_musd == Approx(2500.0));
  CHECK(p.transport_cost_musd == Approx(60.0));
  CHECK(p.capital_musd == Approx(100.0));
  CHECK(p.system_cost_musd() == Approx(2660.0));
  CHECK(p.npv_cost_musd == Approx(1330.0 + 1330.0 / 1.1));
  CHECK(*p.supply[1] == Approx(2.0));
  CHECK_FALSE(b.supply[2].has_value());
  const std::string csv = comparison_cases_csv(c);
  CHECK(csv.substr(0, csv.find('\n')) ==
        "scenario,case,commodity,first_year,last_year,volume_unit,delivered,shortfall,"
        "supply_cost_musd,transport_cost_musd,take_or_pay_musd,capital_musd,opex_musd,"
        "system_cost_musd,npv_cost_musd,baseline_case,delta_system_cost_musd,delta_npv_cost_musd,"
        "supply_domestic,supply_domestic_2031,supply_lng,supply_lng_2031,supply_pipeline,"
        "supply_pipeline_2031,displaced_domestic,displaced_domestic_2031,displaced_lng,"
        "displaced_lng_2031,displaced_pipeline,displaced_pipeline_2031");
  CHECK(csv.find("test,pipe,gas,2030,2031,bcm,20.000000,0.000000,2500.000,60.000,0.000,100.000,"
                 "0.000,2660.000,2539.091,base,-140.000,-133.636,12.000000,6.000000,2.000000,"
                 "1.000000,6.000000,3.000000,0.000000,0.000000,6.000000,3.000000,-6.000000,"
                 "-3.000000\n") != std::string::npos);
  CHECK(csv.find("test,base,gas,2030,2031,bcm,20.000000,0.000000,2800.000,0.000,0.000,0.000,"
                 "0.000,2800.000,2672.727,,,,12.000000,6.000000,8.000000,4.000000,,,,,,,,\n") !=
        std::string::npos);
  std::ostringstream os;
  print_comparison(os, c, 80);
  const std::string text = os.str();
  INFO(text);
  CHECK(text.substr(0, text.find("\n\n") + 2) ==
        "gas cases: system cost and NPV in bn USD; supply displaced in bcm at 2031\n"
        "case   system      NPV    Δ NPV  displaced\n"
        "base      2.8      2.7\n"
        "pipe      2.7      2.5     -0.1  lng 3.0\n\n");
}

}  // namespace
}  // namespace corridor
