// The validation rules of scenarios/README.md ("Validation and messages"), one TEST_CASE per
// rule, each with a passing case and a failing case. The failing case checks every diagnostic
// of its fixture exactly, in the file:line:col form a user sees, so it also shows that the
// rule fires nowhere else in the file and that the location is the offending value.
//
// Fixtures: tests/fixtures/bad/<rule>.yaml fail, tests/fixtures/good/*.yaml pass (all_keys.yaml
// uses every key once, routes.yaml has routes that are paths, edges.yaml has values at the edge
// of each range). Each says at its top what it is for. A passing case also checks that its
// fixture holds the near miss it is meant to show, so that editing the fixture cannot quietly
// remove it. Problems come from load_scenario() (syntax, schema, units) and validate()
// (semantics), collected together as `corridor validate` reports them.
#include "corridor/validate.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "corridor/scenario_io.h"
#include "process_helpers.h"
#include "test_helpers.h"

using namespace corridor;

namespace {

using Strings = std::vector<std::string>;

using test::problems;

Strings bad(const std::string& name) { return problems("tests/fixtures/bad/" + name); }

/// A passing fixture, loaded; the test fails if it has any diagnostic.
Scenario good(const std::string& name) {
  const std::string path = "tests/fixtures/good/" + name;
  INFO(path);
  REQUIRE(problems(path) == Strings{});
  return *load_scenario(path).cases.at(0);
}

template <class Entities>
const auto& by_id(const Entities& entities, const std::string& id) {
  for (const auto& e : entities) {
    if (e.id == id) return e;
  }
  FAIL("no entity '" << id << "'");
  throw;
}

/// A failing fixture with the fix its message asks for applied: each `from` (which must occur
/// exactly once) replaced by its `to`, written to a scratch file. The near miss of a rule whose
/// passing case no other fixture holds: it shows that the message's fix is accepted and that
/// the fixture fails for that one reason.
class Corrected {
 public:
  Corrected(const std::string& name, const std::vector<std::pair<std::string, std::string>>& edits)
      : dir_("corridor_validate_test_"), path_((dir_.path() / name).string()) {
    std::filesystem::current_path(CORRIDOR_SOURCE_DIR);
    std::string text = test::read_file("tests/fixtures/bad/" + name);
    for (const auto& [from, to] : edits) {
      const auto at = text.find(from);
      INFO(name << ": '" << from << "'");
      REQUIRE(at != std::string::npos);
      REQUIRE(text.find(from, at + 1) == std::string::npos);
      text.replace(at, from.size(), to);
    }
    test::write_file(path_, text);
  }
  const std::string& path() const { return path_; }
  /// Every diagnostic, formatted, with the scratch path shown as "corrected.yaml".
  Strings problems() const {
    Strings out = test::problems(path_);
    for (std::string& d : out) {
      if (d.rfind(path_, 0) == 0) d.replace(0, path_.size(), "corrected.yaml");
    }
    return out;
  }
  /// The one case of the file; the test fails if it does not load.
  Scenario scenario() const {
    REQUIRE(problems() == Strings{});
    return *load_scenario(path_).cases.at(0);
  }

 private:
  test::ScratchDir dir_;
  std::string path_;
};

/// Formatted diagnostics of validate() alone, for scenarios built in code.
Strings validated(const Scenario& s) {
  Strings out;
  for (const Diagnostic& d : validate(s)) out.push_back(format_diagnostic(d));
  return out;
}

}  // namespace

TEST_CASE("the passing fixtures load and validate without any diagnostic", "[validate]") {
  const std::string name = GENERATE("all_keys.yaml", "routes.yaml", "edges.yaml",
                                    "econ-all-keys.yaml", "security-all-keys.yaml");
  CAPTURE(name);
  CHECK(problems("tests/fixtures/good/" + name).empty());
}

// ---- YAML ---------------------------------------------------------------------------------

TEST_CASE("tabs in indentation", "[validate]") {
  SECTION("passes: the same file indented with spaces; tabs after the indentation") {
    const Corrected fixed("tab.yaml", {{"\t- {id: field, kind: supply}",
                                        "  - {id: field,\tkind: supply}\t# tab, not indenting"}});
    CHECK(fixed.scenario().nodes.at(0).kind == NodeKind::Supply);
  }
  SECTION("fails") {
    CHECK(bad("tab.yaml") ==
          Strings{"tests/fixtures/bad/tab.yaml:4:1: error: tab character in indentation; YAML "
                  "indents with spaces; replace tabs with spaces"});
  }
}

TEST_CASE("YAML syntax error", "[validate]") {
  SECTION("passes: the flow map closed; what is left is a scenario's problem, not YAML's") {
    CHECK(Corrected("syntax.yaml", {{"end: 2030\n", "end: 2030}\n"}}).problems() ==
          Strings{"corrected.yaml:1:1: error: scenario has no nodes; add nodes and pipelines; see "
                  "scenarios/minimal.yaml"});
  }
  SECTION("fails, with yaml-cpp's reason and where it noticed") {
    CHECK(bad("syntax.yaml") ==
          Strings{"tests/fixtures/bad/syntax.yaml:3:6: error: YAML syntax error: end of map flow "
                  "not found; check indentation, colons and quotes near this position"});
  }
}

TEST_CASE("empty file", "[validate]") {
  SECTION("passes: one key after the comments is a scenario, read for what it lacks") {
    CHECK(Corrected("comments_only.yaml", {{"comment.\n", "comment.\nnodes: []\n"}}).problems() ==
          Strings{"corrected.yaml:1:1: error: scenario has no 'horizon'; add 'horizon: {start: "
                  "2024, end: 2045}'",
                  "corrected.yaml:1:1: error: scenario has no nodes; add nodes and pipelines; see "
                  "scenarios/minimal.yaml"});
  }
  SECTION("fails: no bytes at all") {
    CHECK(bad("empty.yaml") == Strings{"tests/fixtures/bad/empty.yaml:1:1: error: scenario file "
                                       "is empty; start from scenarios/minimal.yaml"});
  }
  SECTION("fails: only comments") {
    CHECK(bad("comments_only.yaml") ==
          Strings{"tests/fixtures/bad/comments_only.yaml:1:1: error: scenario file is empty; "
                  "start from scenarios/minimal.yaml"});
  }
}

TEST_CASE("a file that is not a map", "[validate]") {
  SECTION("passes: the list item as a key of the map; its horizon is read") {
    CHECK(Corrected("not_a_map.yaml", {{"- horizon:", "horizon:"}}).problems() ==
          Strings{"corrected.yaml:1:1: error: scenario has no nodes; add nodes and pipelines; see "
                  "scenarios/minimal.yaml"});
  }
  SECTION("fails: a list") {
    CHECK(bad("not_a_map.yaml") ==
          Strings{"tests/fixtures/bad/not_a_map.yaml:2:1: error: a scenario file must be a map of "
                  "keys; start from scenarios/minimal.yaml"});
  }
}

TEST_CASE("duplicate YAML keys", "[validate]") {
  SECTION("passes: each key once per map, the same key in different maps") {
    const Scenario s = good("all_keys.yaml");
    CHECK(s.nodes.size() == 6);  // every node has its own `id` and `kind`
  }
  SECTION("fails, at the second one") {
    CHECK(bad("duplicate_key.yaml") ==
          Strings{"tests/fixtures/bad/duplicate_key.yaml:7:5: error: duplicate key 'capacity'; "
                  "first given at line 6; each key may appear once per map"});
  }
}

// ---- Schema -------------------------------------------------------------------------------

TEST_CASE("unknown keys, with did-you-mean", "[validate]") {
  SECTION("passes: every key of the format in its place") {
    const Scenario s = good("all_keys.yaml");
    CHECK(s.name == "all-keys");
    CHECK(s.gas.heating_value == Approx(37.8));  // 10.5 kWh/m3
    CHECK(by_id(s.pipelines, "export").transit_country == "B");
  }
  SECTION("fails: top level") {
    CHECK(bad("unknown_key_top.yaml") ==
          Strings{"tests/fixtures/bad/unknown_key_top.yaml:2:1: error: unknown key 'descripton' "
                  "in scenario; did you mean 'description'?"});
  }
  SECTION("fails: node") {
    CHECK(bad("unknown_key_node.yaml") ==
          Strings{"tests/fixtures/bad/unknown_key_node.yaml:6:5: error: unknown key 'capacty' in "
                  "node 'field'; did you mean 'capacity'?"});
  }
  SECTION("fails: pipeline") {
    CHECK(bad("unknown_key_pipeline.yaml") ==
          Strings{"tests/fixtures/bad/unknown_key_pipeline.yaml:7:59: error: unknown key 'tarif' "
                  "in pipeline 'line'; did you mean 'tariff'?"});
  }
  SECTION("fails: route") {
    CHECK(bad("unknown_key_route.yaml") ==
          Strings{"tests/fixtures/bad/unknown_key_route.yaml:9:35: error: unknown key 'meters' in "
                  "route 'main'; did you mean 'meter'?"});
  }
  SECTION("fails: horizon (which then also lacks `end`)") {
    CHECK(bad("unknown_key_horizon.yaml") ==
          Strings{"tests/fixtures/bad/unknown_key_horizon.yaml:2:24: error: unknown key 'ends' in "
                  "horizon; did you mean 'end'?",
                  "tests/fixtures/bad/unknown_key_horizon.yaml:2:10: error: horizon has no 'end'; "
                  "write 'horizon: {start: 2024, end: 2045}'"});
  }
  SECTION("fails: commodities and their settings") {
    CHECK(bad("unknown_key_commodities.yaml") ==
          Strings{"tests/fixtures/bad/unknown_key_commodities.yaml:4:9: error: unknown key "
                  "'heating_valeu' in commodities.gas; did you mean 'heating_value'?",
                  "tests/fixtures/bad/unknown_key_commodities.yaml:5:3: error: unknown key 'Gas' "
                  "in commodities; did you mean 'gas'?"});
  }
}

TEST_CASE("kind-specific keys on a node of another kind", "[validate]") {
  SECTION("passes: capacity and cost on supply; demand, priority and profile on demand") {
    const Scenario s = good("all_keys.yaml");
    CHECK(by_id(s.nodes, "field").kind == NodeKind::Supply);
    CHECK(by_id(s.nodes, "city").kind == NodeKind::Demand);
    CHECK(by_id(s.nodes, "city").priority == 2);
    CHECK(by_id(s.nodes, "city").profile.size() == 12);
  }
  SECTION("fails: 'demand' on a supply node, 'cost' on a junction") {
    CHECK(bad("wrong_kind_key.yaml") ==
          Strings{"tests/fixtures/bad/wrong_kind_key.yaml:4:51: error: 'demand' does not apply to "
                  "supply node 'field'; 'demand' belongs to demand nodes",
                  "tests/fixtures/bad/wrong_kind_key.yaml:5:31: error: 'cost' does not apply to "
                  "junction node 'hub'; 'cost' belongs to supply and lng nodes"});
  }
}

TEST_CASE("missing required keys", "[validate]") {
  SECTION("passes: the three keys added as the hints say, and nothing else missing") {
    const Scenario s = Corrected("missing_required.yaml",
                                 {{"{id: field, capacity", "{id: field, kind: supply, capacity"},
                                  {"from: field, capacity", "from: field, to: city, capacity"},
                                  {"to: city}", "to: city, capacity: 5 bcm/y}"}})
                           .scenario();
    CHECK(by_id(s.nodes, "field").kind == NodeKind::Supply);
    CHECK(by_id(s.pipelines, "line").to == "city");
    CHECK(by_id(s.pipelines, "other").capacity.points.at(0) == 5.0);
  }
  SECTION("fails: no kind, no `to`, no capacity, at the entity that lacks them") {
    CHECK(bad("missing_required.yaml") ==
          Strings{"tests/fixtures/bad/missing_required.yaml:4:5: error: node 'field' has no "
                  "'kind'; add 'kind: supply', 'demand', 'junction', 'border', "
                  "'storage' or 'lng'",
                  "tests/fixtures/bad/missing_required.yaml:7:5: error: pipeline 'line' has no "
                  "'to'; add 'to: <node id>'",
                  "tests/fixtures/bad/missing_required.yaml:8:5: error: pipeline 'other' has no "
                  "'capacity'; add for example 'capacity: 38 bcm/y'"});
  }
  SECTION("fails: no horizon") {
    CHECK(bad("no_horizon.yaml") ==
          Strings{"tests/fixtures/bad/no_horizon.yaml:1:1: error: scenario has no 'horizon'; add "
                  "'horizon: {start: 2024, end: 2045}'"});
  }
}

TEST_CASE("bare number for a quantity: the message names the accepted units", "[validate]") {
  SECTION("passes: units given; a fraction may be bare") {
    const Scenario s = good("all_keys.yaml");
    const Pipeline& p = by_id(s.pipelines, "export");
    CHECK(p.availability.points.at(2032) == 0.9);       // `0.9`
    CHECK(p.ramp_up == std::vector<double>{0.5, 0.8});  // `[0.5, 80 %]`
  }
  SECTION("fails") {
    CHECK(bad("bare_number.yaml") ==
          Strings{"tests/fixtures/bad/bare_number.yaml:4:41: error: capacity of node 'field': "
                  "missing unit in '38'; accepted units: bcm/y, bcm/a, mcm/d, mcm/y, Bcf/d, "
                  "Tcf/y, TWh/y, PJ/y, GWh/d, Mt/y (LNG)"});
  }
}

TEST_CASE("unit of the wrong dimension or commodity", "[validate]") {
  SECTION("passes: each dimension in one of its spellings") {
    const Scenario s = good("all_keys.yaml");
    const Pipeline& p = by_id(s.pipelines, "export");
    CHECK(*p.length_km == Approx(965.6064));                                  // 600 mi
    CHECK(*p.diameter_mm == Approx(1422.4));                                  // 56 in
    CHECK(*p.max_pressure_mpa == Approx(9.8));                                // 98 bar
    CHECK(by_id(s.nodes, "field").capacity.points.at(2030) == Approx(36.5));  // 100 mcm/d
  }
  SECTION("fails: a length as a flow rate, an oil cost on a gas node") {
    CHECK(bad("wrong_dimension.yaml") ==
          Strings{"tests/fixtures/bad/wrong_dimension.yaml:4:41: error: capacity of node 'field': "
                  "'38 km' is a length, expected a flow rate; accepted units: bcm/y, bcm/a, mcm/d, "
                  "mcm/y, Bcf/d, Tcf/y, TWh/y, PJ/y, GWh/d, Mt/y (LNG)",
                  "tests/fixtures/bad/wrong_dimension.yaml:4:54: error: cost of node 'field': "
                  "'5 USD/t' is an oil unit cost, expected a gas unit cost; accepted units: "
                  "USD/kcm, USD/mcm, USD/GJ, USD/MWh, USD/MMBtu"});
  }
}

TEST_CASE("unknown unit, with did-you-mean", "[validate]") {
  SECTION("passes") {
    const Scenario s = good("all_keys.yaml");
    CHECK(by_id(s.nodes, "well").capacity.points.at(0) > 0.0);  // 400 kb/d
  }
  SECTION("fails") {
    CHECK(bad("unknown_unit.yaml") ==
          Strings{"tests/fixtures/bad/unknown_unit.yaml:4:41: error: capacity of node 'field': "
                  "unknown unit 'bcm/yr' in '38 bcm/yr'; did you mean 'bcm/y'? accepted units: "
                  "bcm/y, bcm/a, mcm/d, mcm/y, Bcf/d, Tcf/y, TWh/y, PJ/y, GWh/d, Mt/y (LNG)"});
  }
}

TEST_CASE("year-month dates", "[validate]") {
  SECTION("passes: \"2031-07\" and a plain year") {
    const Pipeline p = by_id(good("all_keys.yaml").pipelines, "export");
    CHECK(p.online == YearMonth{2031, 7});
    CHECK(p.retire == YearMonth{2060, 0});
  }
  SECTION("fails: month 13; a full date") {
    CHECK(bad("bad_month.yaml") ==
          Strings{"tests/fixtures/bad/bad_month.yaml:7:67: error: online date of pipeline 'line' "
                  "has month 13 in '2031-13'; months run from 01 to 12, as in \"2031-07\"",
                  "tests/fixtures/bad/bad_month.yaml:8:68: error: retire date of pipeline 'other' "
                  "must be a year or a year and month, got '2031-07-01'; write 2031, or "
                  "\"2031-07\" for July 2031"});
  }
}

TEST_CASE("'bidirectional' must be a boolean", "[validate]") {
  SECTION("passes: true and false") {
    const Scenario s = good("all_keys.yaml");
    CHECK(by_id(s.pipelines, "spur").bidirectional);
    CHECK_FALSE(by_id(s.pipelines, "export").bidirectional);
  }
  SECTION("fails: yes") {
    CHECK(bad("bidirectional.yaml") ==
          Strings{"tests/fixtures/bad/bidirectional.yaml:7:74: error: 'bidirectional' of pipeline "
                  "'line' must be true or false, got 'yes'; write true or false"});
  }
}

TEST_CASE("interpolation must be step or linear", "[validate]") {
  SECTION("passes: linear") {
    CHECK(by_id(good("all_keys.yaml").nodes, "city").demand.interpolation == Interpolation::Linear);
  }
  SECTION("fails, with did-you-mean") {
    CHECK(bad("interpolation.yaml") ==
          Strings{"tests/fixtures/bad/interpolation.yaml:7:59: error: interpolation of demand of "
                  "node 'city' must be 'step' or 'linear', got 'liner'; did you mean 'linear'?"});
  }
}

TEST_CASE("per-distance tariff without length", "[validate]") {
  SECTION("passes: per distance with a length; per unit without one") {
    const Scenario s = good("all_keys.yaml");
    CHECK(by_id(s.pipelines, "export").tariff_kind == TariffKind::PerUnitDistance);
    CHECK(by_id(s.pipelines, "export").length_km.has_value());
    CHECK(by_id(s.pipelines, "spur").tariff_kind == TariffKind::PerUnit);
    CHECK_FALSE(by_id(s.pipelines, "spur").length_km.has_value());
  }
  SECTION("fails, at the tariff") {
    CHECK(bad("tariff_without_length.yaml") ==
          Strings{"tests/fixtures/bad/tariff_without_length.yaml:7:67: error: tariff of pipeline "
                  "'line' is per distance but the pipeline has no 'length'; add 'length: ... km' "
                  "or give the tariff per unit (USD/kcm)"});
  }
}

TEST_CASE("values out of range: priority, profile, availability, ramp_up", "[validate]") {
  SECTION("passes") {
    const Scenario s = good("all_keys.yaml");
    CHECK(by_id(s.nodes, "city").priority == 2);
    CHECK(by_id(s.pipelines, "export").availability.points.at(2030) == 0.95);
  }
  SECTION("fails, each at its value") {
    CHECK(bad("out_of_range.yaml") ==
          Strings{"tests/fixtures/bad/out_of_range.yaml:6:57: error: priority of node 'city' must "
                  "be 1 to 100, got 0; 1 is served first",
                  "tests/fixtures/bad/out_of_range.yaml:12:19: error: availability of pipeline "
                  "'line' must lie in [0, 1], got '120 %'; write a fraction such as 0.95 or 95 %",
                  "tests/fixtures/bad/out_of_range.yaml:14:20: error: ramp_up of pipeline 'line' "
                  "must lie in [0, 1], got '1.5'; write a fraction such as 0.95 or 95 %",
                  "tests/fixtures/bad/out_of_range.yaml:6:69: error: profile of node 'city' must "
                  "hold 12 monthly weights, got 3; list one weight per month, January first"});
  }
  SECTION("fails in validate() too, for scenarios built in code") {
    // The values of out_of_range.yaml, without the loader to refuse them first; a profile of
    // 12 weights, one negative (the loader refuses that too).
    Scenario s = test::scenario(2030, 2030);
    s.nodes = {test::supply("field", 20), test::demand("city", 10, 0)};
    s.nodes[1].profile = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1};
    s.pipelines = {test::pipe("line", "field", "city", 10)};
    s.pipelines[0].availability = constant_series(1.2);
    s.pipelines[0].ramp_up = {1.5};
    s.pipelines[0].online = YearMonth{2030, 0};
    for (Node& n : s.nodes) n.where = {"x.yaml", 5, 5};
    s.pipelines[0].where = {"x.yaml", 7, 5};
    CHECK(validated(s) ==
          Strings{"x.yaml:5:5: error: priority of node 'city' must be 1 to 100, got 0; 1 is "
                  "served first",
                  "x.yaml:5:5: error: profile of node 'city' must not be negative; use 0 for a "
                  "month without demand",
                  "x.yaml:7:5: error: availability of pipeline 'line' must lie in [0, 1]; write a "
                  "fraction such as 0.95 or 95 %",
                  "x.yaml:7:5: error: ramp_up of pipeline 'line' must lie in [0, 1]; list the "
                  "share of capacity in each year from online, e.g. [0.2, 0.5]"});
  }
}

namespace {

/// A clean scenario built in code that sets every value a range rule checks, each written at
/// its own line of "code.yaml" (as the loader would record it), so that every message below
/// shows where it points. Values sit inside their ranges, some on the edge.
Scenario every_value() {
  auto at = [](int line) { return SourceLocation{"code.yaml", line, 5}; };
  Scenario s = test::scenario(2030, 2031);
  s.horizon.where = at(2);
  s.economics_where = at(3);
  s.gas_where = at(4);
  s.oil_where = at(5);
  s.lifetime_years = 1000.0;  // the limit itself
  s.discount_rate = 0.0;
  Node field = test::supply("field", 0, 50);
  field.where = at(10);
  field.capacity = test::series({{2030, 20}, {2031, 1e6}});
  field.capacity_where = at(11);
  Node city = test::demand("city", 10, 100);
  city.where = at(12);
  city.demand_where = at(13);
  city.priority_where = at(14);
  city.profile = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1e6};
  city.profile_where = at(15);
  s.nodes = {field, city};
  Pipeline p = test::pipe("line", "field", "city", 15, 2);
  p.where = at(20);
  p.capacity_where = at(21);
  p.availability = test::series({{2030, 0.0}, {2031, 1.0}});
  p.availability_where = at(22);
  p.ramp_up = {0.0, 0.5, 1.0};
  p.ramp_where = at(23);
  p.online = YearMonth{1900, 12};
  p.online_where = at(24);
  p.retire = YearMonth{2200, 1};
  p.retire_where = at(25);
  p.tariff_where = at(26);
  p.transit_country = "X";
  p.transit_fee = constant_series(1.0);
  p.transit_fee_where = at(27);
  p.length_km = 1e5;
  p.diameter_mm = 1420;
  p.max_pressure_mpa = 9.8;
  p.economics.capex_musd = 1000;
  p.economics.capex_where = at(28);
  p.economics.opex_fraction = 1.0;
  p.economics.opex_where = at(29);
  p.economics.lifetime_years = 30;
  p.economics.lifetime_where = at(30);
  p.economics.discount_rate = 0.07;
  p.economics.discount_rate_where = at(31);
  p.economics.capex_start = YearMonth{2031, 1};
  p.economics.capex_start_where = at(32);
  s.pipelines = {p};
  Route r = test::route("main", {"line"});
  r.where = at(40);
  r.pipeline_where = {at(41)};
  r.economics.capex_musd = 0.0;
  r.economics.capex_where = at(42);
  r.economics.lifetime_years = 1e-9;
  r.economics.lifetime_where = at(43);
  s.routes = {r};
  return s;
}

Pipeline& line(Scenario& s) { return s.pipelines.at(0); }
Node& field(Scenario& s) { return s.nodes.at(0); }
Node& city(Scenario& s) { return s.nodes.at(1); }

/// One value out of its range, and the one message validate() must give for it.
struct RangeCase {
  std::string rule;
  std::function<void(Scenario&)> spoil;
  std::string message;
};

const double kNaN = std::nan("");
const double kInf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("every range rule of the loader holds in validate() too, for scenarios built in code",
          "[validate]") {
  // Issue 19: the CLI is safe because the loader refuses these values where they are written,
  // but a scenario built in code reaches validate() with them, and simulate() after it (with
  // availability 1.5 it would push 15 bcm/y through a 10 bcm/y pipeline). The rules are those
  // of scenario_build.cpp: Bound::NonNegative, Positive, Fraction and Rate, magnitude_limit(),
  // plausible years and months, priorities, and the profile's own rules.
  SECTION("passes: every value inside its range, several on the edge") {
    CHECK(validated(every_value()) == Strings{});
  }
  const std::string limit = "; check the unit and the exponent";
  const std::string years = "; years must lie between 1900 and 2200";
  const std::vector<RangeCase> cases = {
      // Scenario.
      {"horizon start", [](Scenario& s) { s.horizon.start_year = 1899; },
       "code.yaml:2:5: error: horizon start 1899 is not a plausible year" + years},
      {"horizon end", [](Scenario& s) { s.horizon.end_year = 2201; },
       "code.yaml:2:5: error: horizon end 2201 is not a plausible year" + years},
      {"economics.discount_rate", [](Scenario& s) { s.discount_rate = kNaN; },
       "code.yaml:3:5: error: economics.discount_rate must lie in [0, 1); write a rate such as 8 "
       "% or 0.08"},
      {"economics.lifetime", [](Scenario& s) { s.lifetime_years = 1000.5; },
       "code.yaml:3:5: error: economics.lifetime is too large to be real; the limit is 1000 y" +
           limit},
      {"gas heating value", [](Scenario& s) { s.gas.heating_value = 0; },
       "code.yaml:4:5: error: commodities.gas.heating_value must be positive; for example 38 "
       "MJ/m3"},
      {"gas heating value, limit", [](Scenario& s) { s.gas.heating_value = kInf; },
       "code.yaml:4:5: error: commodities.gas.heating_value is too large to be real; the limit "
       "is 1000 MJ/m3" +
           limit},
      {"LNG expansion", [](Scenario& s) { s.gas.density_or_lng = -1.36; },
       "code.yaml:4:5: error: commodities.gas.lng_expansion must be positive; for example 1.36 "
       "bcm/Mt"},
      {"oil heating value", [](Scenario& s) { s.oil.heating_value = kNaN; },
       "code.yaml:5:5: error: commodities.oil.heating_value must be positive; for example 42 "
       "GJ/t"},
      {"oil density", [](Scenario& s) { s.oil.density_or_lng = 2e5; },
       "code.yaml:5:5: error: commodities.oil.density is too large to be real; the limit is "
       "1e+05 kg/m3" +
           limit},
      // Nodes.
      {"supply capacity", [](Scenario& s) { field(s).capacity.points[2031] = -1; },
       "code.yaml:11:5: error: capacity of node 'field' in 2031 must not be negative; use 0 for "
       "none"},
      {"supply capacity, limit", [](Scenario& s) { field(s).capacity.points[2031] = 1.5e6; },
       "code.yaml:11:5: error: capacity of node 'field' in 2031 is too large to be real; the "
       "limit is 1e+06 bcm/y" +
           limit},
      {"supply capacity, year",
       [](Scenario& s) {
         field(s).capacity = test::series({{1800, 5}});
       },
       "code.yaml:11:5: error: year 1800 of capacity of node 'field' is not a plausible year" +
           years},
      {"supply cost", [](Scenario& s) { field(s).cost = constant_series(kNaN); },
       "code.yaml:10:5: error: cost of node 'field' must not be negative; use 0 for none"},
      {"supply cost, limit", [](Scenario& s) { field(s).cost = constant_series(2e6); },
       "code.yaml:10:5: error: cost of node 'field' is too large to be real; the limit is 1e+06 "
       "USD/kcm" +
           limit},
      {"demand", [](Scenario& s) { city(s).demand = constant_series(-10); },
       "code.yaml:13:5: error: demand of node 'city' must not be negative; use 0 for none"},
      {"demand, limit", [](Scenario& s) { city(s).demand = constant_series(kInf); },
       "code.yaml:13:5: error: demand of node 'city' is too large to be real; the limit is 1e+06 "
       "bcm/y" +
           limit},
      {"priority 0", [](Scenario& s) { city(s).priority = 0; },
       "code.yaml:14:5: error: priority of node 'city' must be 1 to 100, got 0; 1 is served "
       "first"},
      {"priority 101", [](Scenario& s) { city(s).priority = 101; },
       "code.yaml:14:5: error: priority of node 'city' must be 1 to 100, got 101; 1 is served "
       "first"},
      {"profile weight", [](Scenario& s) { city(s).profile[3] = -0.5; },
       "code.yaml:15:5: error: profile of node 'city' must not be negative; use 0 for a month "
       "without demand"},
      {"profile weight NaN", [](Scenario& s) { city(s).profile[3] = kNaN; },
       "code.yaml:15:5: error: profile of node 'city' must not be negative; use 0 for a month "
       "without demand"},
      {"profile weight, limit", [](Scenario& s) { city(s).profile[11] = 2e6; },
       "code.yaml:15:5: error: profile of node 'city' is too large to be real; the limit is "
       "1e+06" +
           limit},
      // Pipelines.
      {"pipeline capacity", [](Scenario& s) { line(s).capacity = constant_series(kNaN); },
       "code.yaml:21:5: error: capacity of pipeline 'line' must not be negative; use 0 for none"},
      {"pipeline capacity, limit", [](Scenario& s) { line(s).capacity = constant_series(1e7); },
       "code.yaml:21:5: error: capacity of pipeline 'line' is too large to be real; the limit is "
       "1e+06 bcm/y" +
           limit},
      {"availability above 1", [](Scenario& s) { line(s).availability.points[2031] = 1.5; },
       "code.yaml:22:5: error: availability of pipeline 'line' in 2031 must lie in [0, 1]; write "
       "a fraction such as 0.95 or 95 %"},
      {"availability NaN", [](Scenario& s) { line(s).availability = constant_series(kNaN); },
       "code.yaml:22:5: error: availability of pipeline 'line' must lie in [0, 1]; write a "
       "fraction such as 0.95 or 95 %"},
      {"availability, year",
       [](Scenario& s) {
         line(s).availability = test::series({{2201, 0.9}});
       },
       "code.yaml:22:5: error: year 2201 of availability of pipeline 'line' is not a plausible "
       "year" +
           years},
      {"ramp_up above 1",
       [](Scenario& s) {
         line(s).ramp_up = {0.5, 1.2};
       },
       "code.yaml:23:5: error: ramp_up of pipeline 'line' must lie in [0, 1]; list the share of "
       "capacity in each year from online, e.g. [0.2, 0.5]"},
      {"ramp_up negative", [](Scenario& s) { line(s).ramp_up = {-0.1}; },
       "code.yaml:23:5: error: ramp_up of pipeline 'line' must lie in [0, 1]; list the share of "
       "capacity in each year from online, e.g. [0.2, 0.5]"},
      {"ramp_up NaN", [](Scenario& s) { line(s).ramp_up = {kNaN}; },
       "code.yaml:23:5: error: ramp_up of pipeline 'line' must lie in [0, 1]; list the share of "
       "capacity in each year from online, e.g. [0.2, 0.5]"},
      {"online year",
       [](Scenario& s) {
         line(s).online = YearMonth{1899, 0};
       },
       "code.yaml:24:5: error: online date of pipeline 'line' 1899 is not a plausible year" +
           years},
      {"online month",
       [](Scenario& s) {
         line(s).online = YearMonth{2031, 13};
       },
       "code.yaml:24:5: error: online date of pipeline 'line' has month 13; months run from 01 "
       "to 12, as in \"2031-07\""},
      {"retire year",
       [](Scenario& s) {
         line(s).retire = YearMonth{2201, 1};
       },
       "code.yaml:25:5: error: retire date of pipeline 'line' 2201 is not a plausible year" +
           years},
      {"retire month",
       [](Scenario& s) {
         line(s).retire = YearMonth{2100, -1};
       },
       "code.yaml:25:5: error: retire date of pipeline 'line' has month -1; months run from 01 "
       "to 12, as in \"2031-07\""},
      {"tariff", [](Scenario& s) { line(s).tariff = constant_series(-2); },
       "code.yaml:26:5: error: tariff of pipeline 'line' must not be negative; use 0 for none"},
      {"tariff per distance, limit",
       [](Scenario& s) {
         line(s).tariff_kind = TariffKind::PerUnitDistance;
         line(s).tariff = constant_series(2e6);
       },
       "code.yaml:26:5: error: tariff of pipeline 'line' is too large to be real; the limit is "
       "1e+06 USD/kcm/100km" +
           limit},
      {"transit fee, limit", [](Scenario& s) { line(s).transit_fee = constant_series(kInf); },
       "code.yaml:27:5: error: transit_fee of pipeline 'line' is too large to be real; the limit "
       "is 1e+06 USD/kcm" +
           limit},
      {"length", [](Scenario& s) { line(s).length_km = 0.0; },
       "code.yaml:20:5: error: length of pipeline 'line' must be positive; give the route "
       "length, e.g. 250 km"},
      {"length, limit", [](Scenario& s) { line(s).length_km = 1.5e5; },
       "code.yaml:20:5: error: length of pipeline 'line' is too large to be real; the limit is "
       "1e+05 km" +
           limit},
      {"diameter", [](Scenario& s) { line(s).diameter_mm = -1420; },
       "code.yaml:20:5: error: diameter of pipeline 'line' must be positive; give the outer "
       "diameter, e.g. 1420 mm"},
      {"diameter, limit", [](Scenario& s) { line(s).diameter_mm = 2e5; },
       "code.yaml:20:5: error: diameter of pipeline 'line' is too large to be real; the limit "
       "is 1e+05 mm" +
           limit},
      {"max_pressure", [](Scenario& s) { line(s).max_pressure_mpa = 0.0; },
       "code.yaml:20:5: error: max_pressure of pipeline 'line' must be positive; give the "
       "maximum operating pressure, e.g. 9.8 MPa"},
      {"max_pressure, limit", [](Scenario& s) { line(s).max_pressure_mpa = 5000; },
       "code.yaml:20:5: error: max_pressure of pipeline 'line' is too large to be real; the "
       "limit is 1000 MPa" +
           limit},
      // Economics, of a pipeline and of a route.
      {"capex, limit", [](Scenario& s) { line(s).economics.capex_musd = 2e6; },
       "code.yaml:28:5: error: capex of pipeline 'line' is too large to be real; the limit is "
       "1e+06 MUSD" +
           limit},
      {"capex per km, limit",
       [](Scenario& s) {
         line(s).economics.capex_musd.reset();
         line(s).economics.capex_musd_per_km = 2e6;
       },
       "code.yaml:28:5: error: capex of pipeline 'line' is too large to be real; the limit is "
       "1e+06 MUSD/km" +
           limit},
      {"opex", [](Scenario& s) { line(s).economics.opex_fraction = -0.01; },
       "code.yaml:29:5: error: opex of pipeline 'line' must lie in [0, 1]; give the yearly "
       "operating cost as a share of capex, e.g. 1.5 %"},
      {"lifetime, limit", [](Scenario& s) { line(s).economics.lifetime_years = 1001; },
       "code.yaml:30:5: error: lifetime of pipeline 'line' is too large to be real; the limit "
       "is 1000 y" +
           limit},
      {"discount_rate", [](Scenario& s) { line(s).economics.discount_rate = 1.0; },
       "code.yaml:31:5: error: discount_rate of pipeline 'line' must lie in [0, 1); write a rate "
       "such as 8 % or 0.08"},
      {"capex_start year",
       [](Scenario& s) {
         line(s).economics.capex_start = YearMonth{1776, 7};
       },
       "code.yaml:32:5: error: capex_start of pipeline 'line' 1776 is not a plausible year" +
           years},
      {"capex_start month",
       [](Scenario& s) {
         line(s).economics.capex_start = YearMonth{2031, 14};
       },
       "code.yaml:32:5: error: capex_start of pipeline 'line' has month 14; months run from 01 "
       "to 12, as in \"2031-07\""},
      {"route capex", [](Scenario& s) { s.routes[0].economics.capex_musd = kNaN; },
       "code.yaml:42:5: error: capex of route 'main' must not be negative; use 0 for none"},
      {"route lifetime", [](Scenario& s) { s.routes[0].economics.lifetime_years = 0.0; },
       "code.yaml:43:5: error: lifetime of route 'main' must be positive; give the years over "
       "which capex is recovered, e.g. 30 y"},
  };
  for (const RangeCase& c : cases) {
    INFO(c.rule);
    Scenario s = every_value();
    c.spoil(s);
    CHECK(validated(s) == Strings{c.message});
  }
}

// ---- References and ids -------------------------------------------------------------------

TEST_CASE("unknown node reference, with did-you-mean", "[validate]") {
  SECTION("passes") {
    const Scenario s = good("all_keys.yaml");
    CHECK(by_id(s.pipelines, "last-mile").to == "city");
  }
  SECTION("fails, at the reference") {
    CHECK(bad("unknown_node.yaml") ==
          Strings{"tests/fixtures/bad/unknown_node.yaml:7:33: error: pipeline 'line' refers to "
                  "unknown node 'cty'; did you mean 'city'?"});
  }
}

TEST_CASE("unknown pipeline reference, with did-you-mean", "[validate]") {
  SECTION("passes") { CHECK(good("routes.yaml").routes.size() == 2); }
  SECTION("fails, at the reference") {
    CHECK(bad("unknown_pipeline.yaml") ==
          Strings{"tests/fixtures/bad/unknown_pipeline.yaml:9:28: error: route 'main' refers to "
                  "unknown pipeline 'field-cty'; did you mean 'field-city'?"});
  }
}

TEST_CASE("duplicate ids within one file", "[validate]") {
  SECTION("passes: ids are unique per kind, so a route may share a pipeline's id") {
    const Scenario s = good("routes.yaml");
    CHECK(by_id(s.routes, "field-a").pipelines == Strings{"field-a"});
  }
  SECTION("fails, at the second id") {
    CHECK(bad("duplicate_id.yaml") ==
          Strings{"tests/fixtures/bad/duplicate_id.yaml:6:10: error: duplicate node id 'city'; "
                  "first defined at line 5; ids must be unique per kind"});
  }
  SECTION("fails in validate() too, for scenarios built in code") {
    Scenario s = test::scenario(2030, 2030);
    s.nodes = {test::supply("s", 10), test::demand("d", 5)};
    s.pipelines = {test::pipe("p", "s", "d", 10), test::pipe("p", "s", "d", 10)};
    s.pipelines[0].where = {"x.yaml", 3, 5};
    s.pipelines[1].where = {"x.yaml", 4, 5};
    CHECK(validated(s) == Strings{"x.yaml:4:5: error: duplicate pipeline id 'p'; first defined at "
                                  "line 3; ids must be unique per kind"});
  }
}

// ---- Values -------------------------------------------------------------------------------

TEST_CASE("negative capacities or demands", "[validate]") {
  SECTION("passes: zero") {
    const Scenario s = good("edges.yaml");
    CHECK(by_id(s.nodes, "idle").capacity.points.at(0) == 0.0);
    CHECK(by_id(s.nodes, "city").demand.points.at(0) == 0.0);
    CHECK(by_id(s.pipelines, "field-city").capacity.points.at(0) == 0.0);
  }
  SECTION("fails, at the value; a series point names its year") {
    CHECK(bad("negative.yaml") ==
          Strings{"tests/fixtures/bad/negative.yaml:4:41: error: capacity of node 'field' must not "
                  "be negative, got '-10 bcm/y'; use 0 for none",
                  "tests/fixtures/bad/negative.yaml:9:13: error: demand of node 'city' in 2031 "
                  "must not be negative, got '-1 bcm/y'; use 0 for none"});
  }
  SECTION("fails in validate() too, for scenarios built in code") {
    Scenario s = test::scenario(2030, 2031);
    s.nodes = {test::supply("s", -10), test::demand("d", 5)};
    s.nodes[1].demand = test::series({{2030, 5}, {2031, -1}});
    s.pipelines = {test::pipe("p", "s", "d", 10)};
    CHECK(validated(s) ==
          Strings{"error: capacity of node 's' must not be negative; use 0 for none",
                  "error: demand of node 'd' in 2031 must not be negative; use 0 for none"});
  }
}

TEST_CASE("empty horizon: end before start", "[validate]") {
  SECTION("passes: a one-year horizon") {
    const Scenario s = good("edges.yaml");
    CHECK(s.horizon.start_year == s.horizon.end_year);
  }
  SECTION("fails, at the horizon") {
    CHECK(bad("empty_horizon.yaml") ==
          Strings{"tests/fixtures/bad/empty_horizon.yaml:2:10: error: horizon ends (2029) before "
                  "it starts (2030); end is inclusive: {start: 2030, end: 2030} is one year"});
  }
}

TEST_CASE("online not before retire", "[validate]") {
  SECTION("passes") {
    const Pipeline p = by_id(good("all_keys.yaml").pipelines, "export");
    CHECK(p.online->year < p.retire->year);
  }
  SECTION("fails: the same year; a month earlier") {
    CHECK(bad("online_after_retire.yaml") ==
          Strings{"tests/fixtures/bad/online_after_retire.yaml:7:81: error: pipeline 'line' "
                  "retires before it comes online; 'retire' is the first period out of service; "
                  "it must follow 'online'",
                  "tests/fixtures/bad/online_after_retire.yaml:8:85: error: pipeline 'old' "
                  "retires before it comes online; 'retire' is the first period out of service; "
                  "it must follow 'online'"});
  }
}

// ---- Topology -----------------------------------------------------------------------------

TEST_CASE("route that is not a path", "[validate]") {
  SECTION("passes: along the pipelines, against a bidirectional one, a single pipeline") {
    const Scenario s = good("routes.yaml");
    CHECK(by_id(s.pipelines, "b-a").bidirectional);
    CHECK(by_id(s.routes, "whole").pipelines == Strings{"field-a", "b-a", "b-city"});
  }
  SECTION("fails: disconnected pipelines") {
    CHECK(bad("route_disconnected.yaml") ==
          Strings{"tests/fixtures/bad/route_disconnected.yaml:12:35: error: route 'broken' is not "
                  "a path: pipeline 'c-d' (c -> d) does not continue from node 'b'; list the "
                  "pipelines in order along the route"});
  }
  SECTION("fails: a loop") {
    CHECK(bad("route_loop.yaml") ==
          Strings{"tests/fixtures/bad/route_loop.yaml:12:40: error: route 'circle' is not a path: "
                  "it visits node 'a' twice; a route runs from one end to the other without "
                  "loops"});
  }
  SECTION("fails: against a one-way pipeline") {
    CHECK(bad("route_against.yaml") ==
          Strings{"tests/fixtures/bad/route_against.yaml:12:38: error: route 'backwards' runs "
                  "pipeline 'c-b' (c -> b) against its direction; make the pipeline "
                  "bidirectional, or list the route the other way round"});
  }
}

TEST_CASE("route meter not on the route", "[validate]") {
  SECTION("passes: a meter in the middle of the route") {
    CHECK(by_id(good("routes.yaml").routes, "whole").meter == "b-a");
  }
  SECTION("fails, at the meter, naming the route's pipelines") {
    CHECK(bad("meter_off_route.yaml") ==
          Strings{"tests/fixtures/bad/meter_off_route.yaml:11:41: error: meter 'b-c' of route "
                  "'main' is not on the route; expected one of: a-b"});
  }
}

TEST_CASE("commodity mismatch between pipeline and node", "[validate]") {
  SECTION("passes: an oil pipeline takes its commodity from its oil `from` node") {
    const Scenario s = good("all_keys.yaml");
    CHECK(by_id(s.pipelines, "crude").commodity == Commodity::Oil);
  }
  SECTION("fails, at the node of the other commodity") {
    CHECK(bad("commodity_mismatch.yaml") ==
          Strings{"tests/fixtures/bad/commodity_mismatch.yaml:7:33: error: pipeline 'line' carries "
                  "gas but node 'refinery' is oil; set 'commodity' on the node or the pipeline so "
                  "that they agree"});
  }
}

TEST_CASE("self-loop pipeline", "[validate]") {
  SECTION("passes: the same pipeline back to the node it came from is no loop") {
    const Scenario s =
        Corrected("self_loop.yaml", {{"from: city, to: city", "from: city, to: field"}}).scenario();
    CHECK(by_id(s.pipelines, "loop").from == "city");
    CHECK(by_id(s.pipelines, "loop").to == "field");
  }
  SECTION("fails, at `to`") {
    CHECK(bad("self_loop.yaml") ==
          Strings{"tests/fixtures/bad/self_loop.yaml:8:32: error: pipeline 'loop' runs from node "
                  "'city' to itself; a pipeline joins two different nodes"});
  }
}

// ---- Economics ----------------------------------------------------------------------------

TEST_CASE("economics keys: every form is read into canonical units", "[validate][economics]") {
  const Scenario s = good("econ-all-keys.yaml");
  CHECK(s.discount_rate == 0.1);  // `10 %`
  CHECK(s.lifetime_years == 25.0);
  SECTION("a pipeline with capex in total and every key of its own") {
    const Pipeline& p = by_id(s.pipelines, "export");
    CHECK(p.economics.capex_musd == 13600.0);  // 13.6 bn USD
    CHECK_FALSE(p.economics.capex_musd_per_km.has_value());
    CHECK(p.economics.opex_fraction == 0.015);
    CHECK(p.economics.lifetime_years == 30.0);
    CHECK(p.economics.discount_rate == 0.07);
    CHECK(p.economics.capex_where.line == 19);
    CHECK(value_at(p.transit_fee, 2030) == 0.0);
  }
  SECTION("a pipeline with capex per km and a transit fee") {
    const Pipeline& p = by_id(s.pipelines, "transit");
    CHECK(p.economics.capex_musd_per_km == 4.5);
    CHECK_FALSE(p.economics.capex_musd.has_value());
    CHECK(p.economics.opex_fraction == 0.02);
    CHECK(p.economics.lifetime_years == 40.0);
    CHECK_FALSE(p.economics.discount_rate.has_value());
    CHECK(value_at(p.transit_fee, 2030) == 15.0);
    CHECK(p.transit_fee_where.line == 29);
    CHECK(transport_cost_per_unit(p, 2030) == 15.0);
    CHECK(p.economics.capex_start == YearMonth{2031, 7});  // "2031-07"
    CHECK(p.economics.capex_start_where.line == 33);
  }
  SECTION("an oil pipeline: the fee in USD/t, a capex of 0") {
    const Pipeline& p = by_id(s.pipelines, "crude");
    CHECK(p.commodity == Commodity::Oil);
    CHECK(value_at(p.transit_fee, 2030) == 2.0);
    CHECK(p.economics.capex_musd == 0.0);
    CHECK(p.economics.has_capex());
  }
  SECTION("routes: capex per km over lengths, and in total") {
    const Route& main = by_id(s.routes, "main");
    CHECK(main.economics.capex_musd_per_km == 0.5);
    CHECK(main.economics.opex_fraction == 0.01);
    CHECK(main.economics.lifetime_years == 20.0);
    CHECK(main.economics.discount_rate == 0.12);
    CHECK(by_id(s.routes, "oil").economics.capex_musd == 250.0);
    CHECK(by_id(s.routes, "oil").economics.capex_start == YearMonth{2031, 0});
    CHECK_FALSE(main.economics.capex_start.has_value());
  }
}

TEST_CASE("warning: a capex_start without capex has no effect", "[validate][economics]") {
  CHECK(bad("econ-capex-start-without-capex.yaml") ==
        Strings{"tests/fixtures/bad/econ-capex-start-without-capex.yaml:8:72: warning: pipeline "
                "'line' has a capex_start but no capex, so the date has no effect; add "
                "'capex: ...' or remove 'capex_start'"});
}

TEST_CASE("economics values out of range", "[validate][economics]") {
  SECTION("passes: 0 capex, 0 % opex, the edges of each range") {
    const Scenario s = good("econ-all-keys.yaml");
    CHECK(by_id(s.pipelines, "crude").economics.capex_musd == 0.0);
    CHECK(by_id(s.pipelines, "crude").economics.opex_fraction == 0.0);
  }
  SECTION("fails, each at its value") {
    CHECK(bad("econ-out-of-range.yaml") ==
          Strings{"tests/fixtures/bad/econ-out-of-range.yaml:4:28: error: economics.discount_rate "
                  "must lie in [0, 1), got '-1 %'; write a rate such as 8 % or 0.08",
                  "tests/fixtures/bad/econ-out-of-range.yaml:9:66: error: capex of pipeline 'line' "
                  "must not be negative, got '-5 MUSD'; use 0 for none",
                  "tests/fixtures/bad/econ-out-of-range.yaml:9:81: error: opex of pipeline 'line' "
                  "must lie in [0, 1], got '150 %'; give the yearly operating cost as a share of "
                  "capex, e.g. 1.5 %",
                  "tests/fixtures/bad/econ-out-of-range.yaml:10:70: error: lifetime of pipeline "
                  "'other' must be positive, got '0 y'; give the years over which capex is "
                  "recovered, e.g. 30 y",
                  "tests/fixtures/bad/econ-out-of-range.yaml:10:90: error: discount_rate of "
                  "pipeline 'other' must lie in [0, 1), got '100 %'; write a rate such as 8 % or "
                  "0.08",
                  "tests/fixtures/bad/econ-out-of-range.yaml:11:91: error: transit_fee of pipeline "
                  "'fee' must not be negative, got '-1 USD/kcm'; use 0 for none"});
  }
  SECTION("fails in validate() too, for scenarios built in code") {
    Scenario s = test::scenario(2030, 2030);
    s.discount_rate = 1.0;
    s.lifetime_years = 0.0;
    s.nodes = {test::supply("s", 10), test::demand("d", 5)};
    s.pipelines = {test::pipe("p", "s", "d", 10), test::pipe("q", "s", "d", 10)};
    s.pipelines[0].economics.capex_musd = -1.0;
    s.pipelines[0].economics.opex_fraction = 1.5;
    s.pipelines[0].transit_country = "X";
    s.pipelines[0].transit_fee = constant_series(-2.0);
    s.pipelines[1].economics.capex_musd_per_km = -1.0;
    s.pipelines[1].length_km = 10.0;
    s.pipelines[1].economics.lifetime_years = -5.0;
    s.pipelines[1].economics.discount_rate = -0.01;
    s.routes = {test::route("r", {"p"})};
    s.routes[0].economics.capex_musd = std::nan("");  // NaN fails the checks too
    CHECK(validated(s) ==
          Strings{"error: economics.discount_rate must lie in [0, 1); write a rate such as 8 % or "
                  "0.08",
                  "error: economics.lifetime must be positive; give the years over which capex "
                  "is recovered, e.g. 30 y",
                  "error: transit_fee of pipeline 'p' must not be negative; use 0 for none",
                  "error: capex of pipeline 'p' must not be negative; use 0 for none",
                  "error: opex of pipeline 'p' must lie in [0, 1]; give the yearly operating cost "
                  "as a share of capex, e.g. 1.5 %",
                  "error: capex of pipeline 'q' must not be negative; use 0 for none",
                  "error: lifetime of pipeline 'q' must be positive; give the years over which "
                  "capex is recovered, e.g. 30 y",
                  "error: discount_rate of pipeline 'q' must lie in [0, 1); write a rate such as "
                  "8 % or 0.08",
                  "error: capex of route 'r' must not be negative; use 0 for none"});
  }
}

TEST_CASE("capex units: money in total or per km, and nothing else", "[validate][economics]") {
  SECTION("passes: bn USD, MUSD/km, mn USD, USD") {
    const Scenario s = good("econ-all-keys.yaml");
    CHECK(by_id(s.pipelines, "export").economics.capex_musd == 13600.0);
    CHECK(by_id(s.pipelines, "transit").economics.capex_musd_per_km == 4.5);
  }
  SECTION("fails, listing both groups of units") {
    const std::string units =
        "accepted units: MUSD, mn USD, bn USD, trn USD, kUSD, USD (in total), or MUSD/km, mn "
        "USD/km, "
        "bn USD/km, kUSD/km, USD/km (per km of length)";
    CHECK(bad("econ-capex-unit.yaml") ==
          Strings{"tests/fixtures/bad/econ-capex-unit.yaml:8:63: error: capex of pipeline 'a': "
                  "missing unit in '1000'; " +
                      units,
                  "tests/fixtures/bad/econ-capex-unit.yaml:9:63: error: capex of pipeline 'b': "
                  "'5 km' is a length, expected an amount of money; " +
                      units,
                  "tests/fixtures/bad/econ-capex-unit.yaml:10:63: error: capex of pipeline 'c': "
                  "'5 USD/kcm' is a unit cost, expected an amount of money; " +
                      units,
                  "tests/fixtures/bad/econ-capex-unit.yaml:11:63: error: capex of pipeline 'd': "
                  "unknown unit 'bn usd' in '13.6 bn usd'; did you mean 'bn USD'? " +
                      units,
                  "tests/fixtures/bad/econ-capex-unit.yaml:12:63: error: capex of pipeline 'e': "
                  "'0.01 USD/kcm/km' is a unit cost per distance, expected an amount of money "
                  "per length; " +
                      units});
  }
}

TEST_CASE("transit fee without a transit country", "[validate][economics]") {
  SECTION("passes: a fee with its country") {
    const Pipeline p = by_id(good("econ-all-keys.yaml").pipelines, "transit");
    CHECK(p.transit_country == "B");
    CHECK(value_at(p.transit_fee, 2030) == 15.0);
  }
  SECTION("fails, at the fee") {
    CHECK(bad("econ-fee-without-country.yaml") ==
          Strings{"tests/fixtures/bad/econ-fee-without-country.yaml:7:72: error: pipeline 'line' "
                  "has a transit_fee but no transit_country; add 'transit_country: <country>' or "
                  "remove the fee"});
  }
  SECTION("fails in validate() too, for scenarios built in code") {
    Scenario s = test::scenario(2030, 2030);
    s.nodes = {test::supply("s", 10), test::demand("d", 5)};
    s.pipelines = {test::pipe("p", "s", "d", 10)};
    s.pipelines[0].transit_fee = constant_series(1.0);
    s.pipelines[0].where = {"x.yaml", 3, 5};
    CHECK(validated(s) ==
          Strings{"x.yaml:3:5: error: pipeline 'p' has a transit_fee but no transit_country; add "
                  "'transit_country: <country>' or remove the fee"});
    s.pipelines[0].transit_country = "X";
    CHECK(validated(s).empty());
  }
}

TEST_CASE("capex per km without a length", "[validate][economics]") {
  SECTION("passes: a pipeline with a length; a route whose pipelines all have one") {
    const Scenario s = good("econ-all-keys.yaml");
    CHECK(by_id(s.pipelines, "transit").length_km == 250.0);
    CHECK(by_id(s.routes, "main").economics.capex_musd_per_km.has_value());
  }
  SECTION("fails: on the pipeline, and on a route naming the pipeline without one") {
    CHECK(bad("econ-per-km-without-length.yaml") ==
          Strings{"tests/fixtures/bad/econ-per-km-without-length.yaml:10:64: error: capex of "
                  "pipeline 'down' is per km but the pipeline has no 'length'; add 'length: ... "
                  "km' or give the capex in total (MUSD)",
                  "tests/fixtures/bad/econ-per-km-without-length.yaml:12:46: error: capex of "
                  "route 'main' is per km but its pipeline 'down' has no 'length'; add 'length: "
                  "... km' to pipeline 'down' or give the route's capex in total (MUSD)"});
  }
  SECTION("fails in validate() too, for scenarios built in code; a total needs no length") {
    Scenario s = test::scenario(2030, 2030);
    s.nodes = {test::supply("s", 10), test::junction("j"), test::demand("d", 5)};
    s.pipelines = {test::pipe("a", "s", "j", 10), test::pipe("b", "j", "d", 10)};
    s.pipelines[0].length_km = 100.0;
    s.pipelines[1].economics.capex_musd_per_km = 2.0;
    s.routes = {test::route("r", {"a", "b"}), test::route("t", {"a", "b"})};
    s.routes[0].economics.capex_musd_per_km = 1.0;
    s.routes[1].economics.capex_musd = 500.0;
    CHECK(validated(s) ==
          Strings{"error: capex of pipeline 'b' is per km but the pipeline has no 'length'; add "
                  "'length: ... km' or give the capex in total (MUSD)",
                  "error: capex of route 'r' is per km but its pipeline 'b' has no 'length'; add "
                  "'length: ... km' to pipeline 'b' or give the route's capex in total (MUSD)"});
  }
}

TEST_CASE("economics keys misspelt, with did-you-mean", "[validate][economics]") {
  SECTION("passes: each suggestion applied, every value is read") {
    // `economic` and `economics` become one map; the fee needs its country (another rule).
    const Scenario s = Corrected("econ-unknown-key.yaml",
                                 {{"economic: {lifetime: 30 y}\neconomics: {discount: 8 %}",
                                   "economics: {lifetime: 30 y, discount_rate: 8 %}"},
                                  {"capx:", "capex:"},
                                  {"transit_fees:", "transit_country: B, transit_fee:"},
                                  {"life_time:", "lifetime:"}})
                           .scenario();
    CHECK(s.lifetime_years == 30.0);
    CHECK(s.discount_rate == 0.08);
    CHECK(by_id(s.pipelines, "line").economics.capex_musd == 100.0);
    CHECK(value_at(by_id(s.pipelines, "line").transit_fee, 2030) == 1.0);
    CHECK(by_id(s.routes, "main").economics.lifetime_years == 30.0);
  }
  SECTION("fails: top level, in economics, on a pipeline and on a route") {
    CHECK(bad("econ-unknown-key.yaml") ==
          Strings{"tests/fixtures/bad/econ-unknown-key.yaml:4:1: error: unknown key 'economic' in "
                  "scenario; did you mean 'economics'?",
                  "tests/fixtures/bad/econ-unknown-key.yaml:5:13: error: unknown key 'discount' in "
                  "economics; expected one of: discount_rate, lifetime, fx",
                  "tests/fixtures/bad/econ-unknown-key.yaml:10:59: error: unknown key 'capx' in "
                  "pipeline 'line'; did you mean 'capex'?",
                  "tests/fixtures/bad/econ-unknown-key.yaml:10:75: error: unknown key "
                  "'transit_fees' in pipeline 'line'; did you mean 'transit_fee'?",
                  "tests/fixtures/bad/econ-unknown-key.yaml:12:35: error: unknown key 'life_time' "
                  "in route 'main'; did you mean 'lifetime'?"});
  }
}

// ---- Warnings -----------------------------------------------------------------------------

TEST_CASE("warning: a demand node that no supply can reach", "[validate]") {
  SECTION("passes: reached against a bidirectional pipeline") {
    const Scenario s = good("edges.yaml");
    CHECK(by_id(s.pipelines, "town-city").from == "town");
  }
  SECTION("warns, at the node") {
    CHECK(bad("unreachable.yaml") ==
          Strings{"tests/fixtures/bad/unreachable.yaml:6:5: warning: demand node 'island' cannot "
                  "be reached from any gas supply in any year; connect it with a pipeline, or its "
                  "whole demand will be shortfall"});
  }
}

TEST_CASE("warning: events outside the horizon", "[validate]") {
  SECTION("passes: online in the last year, retired after the first; points that matter") {
    const Scenario s = good("edges.yaml");
    CHECK(by_id(s.pipelines, "field-city").online == YearMonth{2030, 12});
    CHECK(by_id(s.pipelines, "town-city").retire == YearMonth{2031, 0});
    CHECK(by_id(s.pipelines, "idle-city").retire == YearMonth{2030, 2});
    // 2020 and 2040 both lie outside 2030-2030, but the line between them sets 2030's value.
    CHECK(value_at(by_id(s.nodes, "field").capacity, 2030) == Approx(25.0));
  }
  SECTION("warns: a point no year uses, online after the end, retired by the start") {
    CHECK(bad("events_outside.yaml") ==
          Strings{"tests/fixtures/bad/events_outside.yaml:5:38: warning: demand of node 'city' "
                  "has a value for 2040 that no year of the horizon 2030-2035 uses; check the "
                  "year, or extend the horizon",
                  "tests/fixtures/bad/events_outside.yaml:7:67: warning: pipeline 'late' comes "
                  "online in 2036, after the horizon ends in 2035; it carries nothing in this "
                  "run; check the date or extend the horizon",
                  "tests/fixtures/bad/events_outside.yaml:8:67: warning: pipeline 'gone' retires "
                  "in 2029, before the horizon starts in 2030; it carries nothing in this run; "
                  "check the date or remove the pipeline",
                  "tests/fixtures/bad/events_outside.yaml:9:76: warning: pipeline 'ends-at-start' "
                  "retires in 2030, as the horizon starts; it carries nothing in this run; check "
                  "the date or remove the pipeline"});
  }
}

// A study that narrows a library's horizon (gas-routes-monthly.yaml: 2035 of gas-routes.yaml)
// would otherwise get a warning for every library series with a point before 2030.
TEST_CASE("warning: a study year of a library warns only about its own series", "[validate]") {
  SECTION("passes: the library's 2023 points, unused in 2035, are the library's") {
    CHECK(problems("tests/fixtures/good/horizon-study-year.yaml").empty());
    const Scenario s = good("horizon-study-year.yaml");
    CHECK(s.horizon.start_year == 2035);
    CHECK(value_at(by_id(s.nodes, "field").capacity, 2035) == Approx(13.0));  // (12 + 14) / 2
  }
  SECTION("warns: a point of the study's own series that 2035 does not use") {
    // Step interpolation (the default): 2033's value holds in 2035, so 2030 and 2040 are unused.
    CHECK(bad("horizon_study_year_own.yaml") ==
          Strings{"tests/fixtures/bad/horizon_study_year_own.yaml:7:24: warning: demand of node "
                  "'city' has a value for 2030 that no year of the horizon 2035-2035 uses; check "
                  "the year, or extend the horizon",
                  "tests/fixtures/bad/horizon_study_year_own.yaml:7:24: warning: demand of node "
                  "'city' has a value for 2040 that no year of the horizon 2035-2035 uses; check "
                  "the year, or extend the horizon"});
  }
}

TEST_CASE("warning: a ramp_up without an online date has no effect", "[validate]") {
  SECTION("passes: a ramp counted from `online`") {
    const Pipeline p = by_id(good("all_keys.yaml").pipelines, "export");
    CHECK_FALSE(p.ramp_up.empty());
    CHECK(p.online.has_value());
  }
  SECTION("warns, at the ramp") {
    CHECK(bad("ramp_without_online.yaml") ==
          Strings{"tests/fixtures/bad/ramp_without_online.yaml:7:68: warning: pipeline 'line' has "
                  "a ramp_up but no 'online' date, so the ramp has no effect; add 'online: <year>' "
                  "to count the ramp from, or remove 'ramp_up'"});
  }
}

// ---- Collecting ---------------------------------------------------------------------------

TEST_CASE("every problem of a file is reported in one pass", "[validate]") {
  // A unit error (found while loading), an unknown node and a meter off the route (found by
  // validation): loading fails, and still reports the other two.
  const std::string path = "tests/fixtures/bad/three_errors.yaml";
  std::filesystem::current_path(CORRIDOR_SOURCE_DIR);
  std::vector<Diagnostic> ds;
  try {
    load_scenario(path);
  } catch (const InputError& e) {
    ds = e.diagnostics();
  }
  Strings all;
  for (const Diagnostic& d : ds) all.push_back(format_diagnostic(d));
  CHECK(all ==
        Strings{"tests/fixtures/bad/three_errors.yaml:4:57: error: cost of node 'field': '5 USD/t' "
                "is an oil unit cost, expected a gas unit cost; accepted units: USD/kcm, USD/mcm, "
                "USD/GJ, USD/MWh, USD/MMBtu",
                "tests/fixtures/bad/three_errors.yaml:7:33: error: pipeline 'line' refers to "
                "unknown node 'cty'; did you mean 'city'?",
                "tests/fixtures/bad/three_errors.yaml:9:42: error: meter 'lin' of route 'main' is "
                "not on the route; did you mean 'line'?"});
}

TEST_CASE("events, storage, lng and areas: every located error, then the near miss", "[validate]") {
  SECTION("fails: each rule once, where it is broken") {
    CHECK(bad("security.yaml") ==
          Strings{
              "tests/fixtures/bad/security.yaml:9:5: error: storage node 'tank' has no "
              "'withdrawal'; add for example 'withdrawal: 30 mcm/d'",
              "tests/fixtures/bad/security.yaml:10:5: error: lng node 'oil-terminal' must carry "
              "gas; an LNG terminal regasifies gas; remove 'commodity: oil' or use 'kind: supply'",
              "tests/fixtures/bad/security.yaml:11:31: error: 'capacity' does not apply to lng "
              "node 'terminal'; 'capacity' belongs to supply nodes; an lng terminal gives its "
              "'send_out'",
              "tests/fixtures/bad/security.yaml:18:64: error: derate of event 'too-much' must lie "
              "in [0, 1], got '120 %'; write the share of capacity lost, 0 to 100 %",
              "tests/fixtures/bad/security.yaml:19:67: error: event 'both' gives both 'derate' "
              "and 'capacity'; give the share lost ('derate: 40 %') or the capacity left "
              "('capacity: 10 bcm/y'), not both",
              "tests/fixtures/bad/security.yaml:21:38: error: from date of event 'no-day' has day "
              "30 in '2031-02-30', but 2031-02 has 28 days; check the date",
              "tests/fixtures/bad/security.yaml:8:103: error: initial of node 'ugs' (3 bcm) "
              "exceeds its working_volume (2 bcm); a storage holds at most its working volume; "
              "lower the level or raise the volume",
              "tests/fixtures/bad/security.yaml:16:24: error: event 'typo' targets unknown "
              "pipeline or node 'lien'; did you mean 'line'?",
              "tests/fixtures/bad/security.yaml:17:56: error: event 'backwards' ends before it "
              "starts; 'to' is the last day, month or year of the event, inclusive; it must not "
              "come before 'from'",
              "tests/fixtures/bad/security.yaml:24:31: error: area 'north' lists unknown node "
              "'cty'; did you mean 'city'?"});
  }
  SECTION("passes once each message's fix is applied; the old event is only a warning") {
    const Corrected fixed(
        "security.yaml",
        {{"injection: 3 bcm/y}", "injection: 3 bcm/y, withdrawal: 4 bcm/y}"},
         {"commodity: oil, ", ""},
         {"capacity: 2 Mt/y, send_out", "send_out"},
         {"derate: 120 %", "derate: 20 %"},
         {"derate: 50 %, capacity", "capacity"},
         {"from: \"2031-02-30\"", "from: \"2031-02-27\""},
         {"initial: 3 bcm", "initial: 1 bcm"},
         {"target: lien", "target: line"},
         {"from: \"2031-03\", to: \"2031-02-28\"", "from: \"2031-02-28\", to: \"2031-03\""},
         {"cty]", "ugs]"}});
    CHECK(fixed.problems() ==
          Strings{"corrected.yaml:22:40: warning: event 'long-ago' lies outside the horizon "
                  "2031-2032; it has no effect; check its dates or extend the horizon"});
  }
}

TEST_CASE("warning: a mass unit on a storage node without a commodity (none on an lng node)",
          "[validate]") {
  // An lng terminal is gas by definition, so its Mt/y is LNG and says nothing ambiguous. A
  // storage node's rates in Mt/y are the trap of issue 9.3 (crude run as LNG): warned once, at
  // the first such rate.
  test::ScratchDir dir("corridor_validate_test_");
  const std::string path = (dir.path() / "mass.yaml").string();
  test::write_file(path,
                   "horizon: {start: 2030, end: 2030}\n"
                   "resolution: month\n"
                   "nodes:\n"
                   "  - {id: terminal, kind: lng, send_out: 5 Mt/y}\n"
                   "  - {id: tank, kind: storage, working_volume: 1 bcm, injection: 2 Mt/y, "
                   "withdrawal: 2 Mt/y}\n"
                   "  - {id: city, kind: demand, demand: 5 bcm/y}\n"
                   "pipelines:\n"
                   "  - {id: a, from: terminal, to: city, capacity: 10 bcm/y}\n"
                   "  - {id: b, from: tank, to: city, capacity: 10 bcm/y, bidirectional: true}\n");
  Strings got = problems(path);
  for (std::string& d : got) d.replace(0, path.size(), "mass.yaml");
  CHECK(got == Strings{"mass.yaml:5:65: warning: node 'tank' has no commodity, so its injection "
                       "'2 Mt/y' is read as LNG: 2.72 bcm/y of gas; add commodity: oil if it is "
                       "crude, or commodity: gas to keep LNG"});
}
