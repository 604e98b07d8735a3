// The loader's contract (scenarios/README.md, "Inheritance" and "Alternatives"): `extends:`
// chains merge from the root down, entities merge by id, `remove:` deletes inherited ones,
// alternatives are cases, cycles and missing parents are refused, `corridor resolve` prints the
// merged file. Messages are checked exactly, in the file:line:col form.
//
// Fixtures live in tests/fixtures/loader/; each says at its top what it is for. Paths are given
// relative to the project root, as a user would type them, because diagnostics print the path
// as given.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "corridor/scenario_io.h"
#include "corridor/simulate.h"
#include "corridor/units.h"
#include "corridor/validate.h"
#include "test_helpers.h"

using namespace corridor;

namespace {

/// Loads `path` (relative to the project root) or fails the test with its diagnostics.
LoadedScenario load(const std::string& path) {
  std::filesystem::current_path(CORRIDOR_SOURCE_DIR);
  try {
    return load_scenario(path);
  } catch (const InputError& e) {
    std::string all;
    for (const Diagnostic& d : e.diagnostics()) all += format_diagnostic(d) + "\n";
    FAIL("loading " << path << " failed:\n" << all);
    throw;
  }
}

using test::problems;

/// The diagnostics of resolve_scenario_yaml(), formatted; empty if it succeeds.
std::vector<std::string> resolve_problems(const std::string& path, const std::string& alternative) {
  std::filesystem::current_path(CORRIDOR_SOURCE_DIR);
  std::vector<std::string> out;
  try {
    resolve_scenario_yaml(path, alternative);
  } catch (const InputError& e) {
    for (const Diagnostic& d : e.diagnostics()) out.push_back(format_diagnostic(d));
  }
  return out;
}

template <class Entities>
const auto& by_id(const Entities& entities, const std::string& id) {
  for (const auto& e : entities) {
    if (e.id == id) return e;
  }
  FAIL("no entity '" << id << "'");
  throw;
}

template <class Entities>
std::vector<std::string> ids(const Entities& entities) {
  std::vector<std::string> out;
  for (const auto& e : entities) out.push_back(e.id);
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("extends: the child changes fields of inherited entities and adds its own", "[loader]") {
  const LoadedScenario ls = load("tests/fixtures/loader/child.yaml");
  REQUIRE(ls.cases.size() == 1);
  const Scenario& s = *ls.cases[0];
  CHECK(s.name == "child");
  CHECK(s.case_name == "base");
  SECTION("maps merge key by key: `end` from the child, `start` from the parent") {
    CHECK(s.horizon.start_year == 2030);
    CHECK(s.horizon.end_year == 2035);
  }
  SECTION("a known id changes only the fields the child gives") {
    const Pipeline& p = by_id(s.pipelines, "hub-city");
    CHECK(p.capacity.points.at(0) == 8.0);
    CHECK(p.from == "hub");
    CHECK(p.to == "city");
    // Each value remembers the file that wrote it.
    CHECK(p.where.file == "tests/fixtures/loader/base.yaml");
    CHECK(p.capacity_where.file == "tests/fixtures/loader/child.yaml");
    CHECK(p.capacity_where.line == 12);
  }
  SECTION("a key the parent's entity lacks is added (pypsa-eur#2100)") {
    CHECK(by_id(s.nodes, "city").priority == 2);
    CHECK(by_id(s.nodes, "city").demand.points.at(0) == 10.0);
  }
  SECTION("a new id adds an entity, after the inherited ones") {
    CHECK(ids(s.nodes) == Strings{"field", "hub", "city", "town"});
    CHECK(ids(s.pipelines) == Strings{"field-hub", "hub-city", "hub-town"});
    CHECK(ids(s.routes) == Strings{"main"});
  }
  SECTION("the inputs are the file and its parent") {
    REQUIRE(ls.inputs.size() == 2);
    CHECK(ls.inputs[0].path == "tests/fixtures/loader/child.yaml");
    CHECK(ls.inputs[1].path == "tests/fixtures/loader/base.yaml");
  }
}

TEST_CASE("extends: a chain of three files merges from the root down, remove drops by id",
          "[loader]") {
  const LoadedScenario ls = load("tests/fixtures/loader/grandchild.yaml");
  REQUIRE(ls.cases.size() == 1);
  const Scenario& s = *ls.cases[0];
  CHECK(s.name == "grandchild");        // the parents' names describe the parents, not this file
  CHECK(s.horizon.start_year == 2030);  // base
  CHECK(s.horizon.end_year == 2035);    // child
  CHECK(by_id(s.pipelines, "hub-city").capacity.points.at(0) == 8.0);  // child
  CHECK(by_id(s.nodes, "field").cost.points.at(0) == 90.0);            // grandchild
  CHECK(by_id(s.nodes, "field").capacity.points.at(0) == 20.0);        // base
  CHECK(ids(s.nodes) == Strings{"field", "hub", "city"});              // town removed
  CHECK(ids(s.pipelines) == Strings{"field-hub", "hub-city"});         // hub-town removed
  CHECK(s.routes.empty());                                             // main removed
  REQUIRE(ls.inputs.size() == 3);
  CHECK(ls.inputs[2].path == "tests/fixtures/loader/base.yaml");
  CHECK(problems("tests/fixtures/loader/grandchild.yaml").empty());
}

TEST_CASE("remove: unknown ids, a file without a parent, dangling references", "[loader]") {
  SECTION("an id that is not inherited, with did-you-mean") {
    CHECK(problems("tests/fixtures/loader/remove_unknown.yaml") ==
          Strings{"tests/fixtures/loader/remove_unknown.yaml:4:15: error: cannot remove unknown "
                  "pipeline 'hub-cty'; did you mean 'hub-city'?"});
  }
  SECTION("a file that extends nothing has nothing to remove") {
    CHECK(problems("tests/fixtures/loader/remove_in_root.yaml") ==
          Strings{"tests/fixtures/loader/remove_in_root.yaml:5:1: error: 'remove' in a file that "
                  "extends no other file; 'remove' deletes inherited entities; delete them from "
                  "the lists directly, or add 'extends: parent.yaml'"});
  }
  SECTION("removing a node leaves its pipelines, which validation reports where they are written") {
    CHECK(problems("tests/fixtures/loader/remove_dangling.yaml") ==
          Strings{"tests/fixtures/loader/base.yaml:10:38: error: pipeline 'field-hub' refers to "
                  "unknown node 'hub'; expected one of: field, city",
                  "tests/fixtures/loader/base.yaml:11:26: error: pipeline 'hub-city' refers to "
                  "unknown node 'hub'; expected one of: field, city"});
  }
}

TEST_CASE("extends: cycles and missing parents are refused", "[loader]") {
  SECTION("a -> b -> a, reported where the cycle closes") {
    CHECK(problems("tests/fixtures/loader/cycle_a.yaml") ==
          Strings{"tests/fixtures/loader/cycle_b.yaml:2:10: error: extends cycle: cycle_a.yaml -> "
                  "cycle_b.yaml -> cycle_a.yaml; a file cannot extend itself, directly or through "
                  "others"});
  }
  SECTION("a -> a") {
    CHECK(problems("tests/fixtures/loader/self.yaml") ==
          Strings{"tests/fixtures/loader/self.yaml:2:10: error: extends cycle: self.yaml -> "
                  "self.yaml; a file cannot extend itself, directly or through others"});
  }
  SECTION("a parent that does not exist, reported at the `extends` value") {
    CHECK(problems("tests/fixtures/loader/missing_parent.yaml") ==
          Strings{"tests/fixtures/loader/missing_parent.yaml:2:10: error: cannot read parent file "
                  "'tests/fixtures/loader/no_such_file.yaml': no such file; 'extends' paths are "
                  "relative to the file that has them"});
  }
  SECTION("a scenario file that does not exist") {
    CHECK(problems("tests/fixtures/loader/no_such_file.yaml") ==
          Strings{"tests/fixtures/loader/no_such_file.yaml:1:1: error: cannot read scenario file "
                  "'tests/fixtures/loader/no_such_file.yaml': no such file; check the path"});
  }
}

TEST_CASE("alternatives: each is a case, and may set keys the file lacks (pypsa-eur#2100)",
          "[loader]") {
  const LoadedScenario ls = load("tests/fixtures/loader/alternatives.yaml");
  REQUIRE(ls.cases.size() == 3);
  CHECK(ls.cases[0]->case_name == "as-is");
  CHECK(ls.cases[1]->case_name == "lean-gas");
  CHECK(ls.cases[2]->case_name == "city-second");
  for (const auto& c : ls.cases) CHECK(c->name == "alternatives");
  const auto field_capacity = [](const Scenario& c) {
    return by_id(c.nodes, "field").capacity.points.at(0);
  };
  SECTION("an alternative that changes nothing") {
    // 380 TWh/y x 3.6 PJ/TWh / 38 MJ/m3 (the default) = 36 bcm/y
    CHECK(field_capacity(*ls.cases[0]) == Approx(36.0));
    CHECK(by_id(ls.cases[0]->nodes, "city").priority == 1);
  }
  SECTION("commodities.gas.heating_value, with no `commodities` in the file") {
    CHECK(ls.cases[1]->gas.heating_value == 36.0);
    CHECK(field_capacity(*ls.cases[1]) == Approx(38.0));  // 380 x 3.6 / 36
    CHECK(ls.cases[0]->gas.heating_value == 38.0);        // the other cases keep the default
  }
  SECTION("a node field the node does not have") {
    CHECK(by_id(ls.cases[2]->nodes, "city").priority == 2);
    CHECK(by_id(ls.cases[2]->nodes, "city").demand.points.at(0) == 10.0);
    CHECK(field_capacity(*ls.cases[2]) == Approx(36.0));
  }
}

TEST_CASE("alternatives: a file without them is one case named base", "[loader]") {
  const LoadedScenario ls = load("tests/fixtures/loader/base.yaml");
  REQUIRE(ls.cases.size() == 1);
  CHECK(ls.cases[0]->case_name == "base");
  CHECK(ls.cases[0]->name == "base");
}

TEST_CASE("alternatives over extends: pos2-delay.yaml changes only `online`", "[loader]") {
  const LoadedScenario ls = load("scenarios/pos2-delay.yaml");
  REQUIRE(ls.cases.size() == 2);
  const Scenario& on_time = *ls.cases[0];
  const Scenario& delay = *ls.cases[1];
  CHECK(on_time.case_name == "on-time");
  CHECK(delay.case_name == "delay-2035");
  for (const char* id : {"pos2-russia", "soyuz-vostok", "pos2-china"}) {
    CAPTURE(id);
    const Pipeline& a = by_id(on_time.pipelines, id);
    const Pipeline& b = by_id(delay.pipelines, id);
    REQUIRE(a.online);
    REQUIRE(b.online);
    CHECK(a.online->year == 2031);
    CHECK(b.online->year == 2035);
    CHECK(a.capacity.points == b.capacity.points);
    CHECK(a.ramp_up == b.ramp_up);
    CHECK(a.tariff.points == b.tariff.points);
  }
  CHECK_FALSE(by_id(delay.pipelines, "soyuz-vostok").ramp_up.empty());
}

TEST_CASE("resolve: prints the merged file, or one alternative merged in", "[loader]") {
  std::filesystem::current_path(CORRIDOR_SOURCE_DIR);
  SECTION("a chain of three files, as one file") {
    CHECK(resolve_scenario_yaml("tests/fixtures/loader/grandchild.yaml", "") ==
          "horizon:\n"
          "  start: 2030\n"
          "  end: 2035\n"
          "nodes:\n"
          "  - id: field\n"
          "    kind: supply\n"
          "    capacity: 20 bcm/y\n"
          "    cost: 90 USD/kcm\n"
          "  - id: hub\n"
          "    kind: junction\n"
          "  - id: city\n"
          "    kind: demand\n"
          "    demand: 10 bcm/y\n"
          "    priority: 2\n"
          "pipelines:\n"
          "  - id: field-hub\n"
          "    from: field\n"
          "    to: hub\n"
          "    capacity: 15 bcm/y\n"
          "    tariff: 10 USD/kcm\n"
          "  - id: hub-city\n"
          "    from: hub\n"
          "    to: city\n"
          "    capacity: 8 bcm/y\n"
          "routes: []\n");
  }
  SECTION("an alternative merged in: the keys it adds appear") {
    const std::string yaml =
        resolve_scenario_yaml("tests/fixtures/loader/alternatives.yaml", "lean-gas");
    CHECK_THAT(yaml, Catch::Contains("commodities:\n  gas:\n    heating_value: 36 MJ/m3\n"));
    CHECK_THAT(yaml, !Catch::Contains("alternatives:"));
  }
  SECTION("without an alternative the alternatives are listed, unmerged") {
    const std::string yaml = resolve_scenario_yaml("tests/fixtures/loader/alternatives.yaml", "");
    CHECK_THAT(yaml,
               Catch::Contains("alternatives:\n  as-is:\n    description: nothing changed\n"));
    CHECK_THAT(yaml, !Catch::Contains("\ncommodities:"));
  }
  SECTION("the child's name heads the file; the parent's is gone") {
    const std::string yaml = resolve_scenario_yaml("tests/fixtures/loader/child.yaml", "");
    CHECK_THAT(yaml, Catch::StartsWith("name: child\nhorizon:\n"));
    CHECK_THAT(yaml, !Catch::Contains("name: base"));
    CHECK_THAT(yaml, !Catch::Contains("description:"));
  }
}

TEST_CASE("resolve: an unknown alternative name", "[loader]") {
  SECTION("with did-you-mean, at the `alternatives` key") {
    CHECK(resolve_problems("tests/fixtures/loader/alternatives.yaml", "lean_gas") ==
          Strings{"tests/fixtures/loader/alternatives.yaml:10:1: error: no alternative named "
                  "'lean_gas'; did you mean 'lean-gas'?"});
  }
  SECTION("nothing close: the names are listed") {
    CHECK(resolve_problems("tests/fixtures/loader/alternatives.yaml", "delay") ==
          Strings{"tests/fixtures/loader/alternatives.yaml:10:1: error: no alternative named "
                  "'delay'; expected one of: as-is, lean-gas, city-second"});
  }
  SECTION("a file without alternatives") {
    CHECK(
        resolve_problems("tests/fixtures/loader/base.yaml", "lean-gas") ==
        Strings{"tests/fixtures/loader/base.yaml:1:1: error: no alternative named 'lean-gas'; the "
                "file has no 'alternatives'; it runs one case, 'base'"});
    CHECK(resolve_problems("tests/fixtures/loader/base.yaml", "base").empty());
  }
  SECTION("the loader's own errors stop resolve too") {
    CHECK(resolve_problems("tests/fixtures/loader/self.yaml", "") ==
          Strings{"tests/fixtures/loader/self.yaml:2:10: error: extends cycle: self.yaml -> "
                  "self.yaml; a file cannot extend itself, directly or through others"});
  }
}

TEST_CASE("alternatives: problems in them are reported once, with the shared ones", "[loader]") {
  CHECK(problems("tests/fixtures/loader/alternatives_bad.yaml") ==
        Strings{
            "tests/fixtures/loader/alternatives_bad.yaml:11:5: error: 'name' cannot be set in an "
            "alternative; set it at the top of the file",
            "tests/fixtures/loader/alternatives_bad.yaml:14:6: error: alternative 'c' must be a "
            "map; write 'c: {}' for no changes",
            // In the shared part: once, not once per alternative.
            "tests/fixtures/loader/alternatives_bad.yaml:4:51: error: unknown key 'costs' in node "
            "'field'; did you mean 'cost'?",
            "tests/fixtures/loader/alternatives_bad.yaml:13:9: error: pipeline 'new-line' has no "
            "'capacity'; add for example 'capacity: 38 bcm/y'",
            "tests/fixtures/loader/alternatives_bad.yaml:13:41: error: pipeline 'new-line' refers "
            "to unknown node 'cty'; did you mean 'city'?"});
}

TEST_CASE("economics: set by a child and its alternatives on a parent without them", "[loader]") {
  const std::string path = "tests/fixtures/loader/econ-alternatives.yaml";
  const LoadedScenario ls = load(path);
  REQUIRE(ls.cases.size() == 3);
  const Scenario& as_is = *ls.cases[0];
  const Scenario& cheap = *ls.cases[1];
  const Scenario& transit = *ls.cases[2];
  SECTION("the child's economics and pipeline keys, which base.yaml lacks") {
    CHECK(as_is.discount_rate == 0.08);
    CHECK(as_is.lifetime_years == 30.0);
    const Economics& e = by_id(as_is.pipelines, "field-hub").economics;
    CHECK(e.capex_musd == 1000.0);  // 1 bn USD
    CHECK_FALSE(e.capex_musd_per_km.has_value());
    CHECK(e.opex_fraction == 0.02);
    CHECK_FALSE(e.lifetime_years.has_value());  // the scenario default applies
    CHECK(e.capex_where.file == path);
    CHECK(e.capex_where.line == 7);
    CHECK_FALSE(by_id(as_is.pipelines, "hub-city").economics.has_capex());
    CHECK_FALSE(by_id(as_is.routes, "main").economics.has_capex());
  }
  SECTION("`economics` merges key by key: the rate changes, the lifetime is inherited") {
    CHECK(cheap.discount_rate == 0.04);
    CHECK(cheap.lifetime_years == 30.0);
    CHECK(by_id(cheap.pipelines, "field-hub").economics.capex_musd == 1000.0);
  }
  SECTION("a transit fee and a route capex from an alternative") {
    const Pipeline& p = by_id(transit.pipelines, "hub-city");
    CHECK(p.transit_country == "B");
    CHECK(value_at(p.transit_fee, 2030) == 3.0);
    CHECK(p.transit_fee_where.line == 17);
    CHECK(by_id(transit.routes, "main").economics.capex_musd == 50.0);
    CHECK(transit.discount_rate == 0.08);
    CHECK(transit.pipelines.size() == 2);
  }
  SECTION("the file is clean, and resolve prints the merged economics") {
    CHECK(problems(path).empty());
    CHECK_THAT(resolve_scenario_yaml(path, "cheap-money"),
               Catch::Contains("economics:\n  discount_rate: 4 %\n  lifetime: 30 y\n"));
  }
}

TEST_CASE("economics: a scenario without the key has the documented defaults", "[loader]") {
  const Scenario s = *load("tests/fixtures/loader/base.yaml").cases.at(0);
  CHECK(s.discount_rate == 0.08);
  CHECK(s.lifetime_years == 30.0);
  CHECK(s.economics_where.line == 0);
  for (const Pipeline& p : s.pipelines) {
    CHECK(p.transit_fee.empty());
    CHECK_FALSE(p.economics.has_capex());
    CHECK(p.economics.opex_fraction == 0.0);
  }
}

TEST_CASE("extends: a nested map merges key by key, so a sibling setting is inherited",
          "[loader]") {
  // Issue 19. lng-base.yaml sets commodities.gas {heating_value: 38 MJ/m3, lng_expansion:
  // 1.4 bcm/Mt}; lng-child.yaml gives only heating_value: 40 MJ/m3. The LNG terminal offers
  // 5 Mt/y x 1.4 bcm/Mt = 7.0 bcm/y; had the child's map replaced the parent's, lng_expansion
  // would fall back to the default 1.36 and the terminal to 6.8 bcm/y, with no error.
  const LoadedScenario ls = load("tests/fixtures/loader/lng-child.yaml");
  REQUIRE(ls.cases.size() == 1);
  const Scenario& s = *ls.cases[0];
  CHECK(s.gas.heating_value == 40.0);                                 // the child's
  CHECK(s.gas.density_or_lng == 1.4);                                 // the parent's
  CHECK(s.gas_where.file == "tests/fixtures/loader/lng-child.yaml");  // the map, last written
  CHECK(s.gas_where.line == 6);
  CHECK(s.oil_where.line == 0);  // not given
  CHECK(by_id(s.nodes, "terminal").capacity.points.at(0) == Approx(7.0));
  CHECK(problems("tests/fixtures/loader/lng-child.yaml").empty());

  // Dispatched: 7.0 of the city's 10 bcm arrive, 3.0 are short; 7.0 bcm x 40 MJ/m3 = 280 PJ.
  const CaseResult r = simulate(s);
  const test::Rows y = test::at(r, 2030);
  CHECK(y.supply_available("terminal") == test::exactly(7.0));
  CHECK(y.delivered("city") == test::exactly(7.0));
  CHECK(y.shortfall("city") == test::exactly(3.0));
  CHECK(energy_pj(Commodity::Gas, s.gas, y.delivered("city")) == Approx(280.0));

  // resolve shows the merged map: the child's value, then the parent's other key.
  CHECK_THAT(resolve_scenario_yaml("tests/fixtures/loader/lng-child.yaml", ""),
             Catch::Contains("commodities:\n  gas:\n    heating_value: 40 MJ/m3\n"
                             "    lng_expansion: 1.4 bcm/Mt\n"));
}

TEST_CASE("extends: an alternative merges with the parent's alternative of the same name",
          "[loader]") {
  // Issue 19. alt-parent.yaml's `growth` raises the city's demand to 12 bcm/y; alt-child.yaml's
  // `growth` expands the line to 15 bcm/y. The merged `growth` has both: 12 delivered, none
  // short. Had the child's alternative replaced the parent's, the demand would stay at 10
  // bcm/y and 10 would be delivered, with no error.
  const std::string path = "tests/fixtures/loader/alt-child.yaml";
  const LoadedScenario ls = load(path);
  REQUIRE(ls.cases.size() == 3);
  // The parent's alternatives in their order, then the child's new one.
  CHECK(ls.cases[0]->case_name == "growth");
  CHECK(ls.cases[1]->case_name == "flat");
  CHECK(ls.cases[2]->case_name == "expansion");
  CHECK(problems(path).empty());

  const Scenario& growth = *ls.cases[0];
  CHECK(by_id(growth.nodes, "city").demand.points.at(0) == 12.0);        // parent's growth
  CHECK(by_id(growth.pipelines, "line").capacity.points.at(0) == 15.0);  // child's growth
  const CaseResult r = simulate(growth);
  const test::Rows y = test::at(r, 2030);
  CHECK(y.demand("city") == test::exactly(12.0));
  CHECK(y.delivered("city") == test::exactly(12.0));
  CHECK(y.shortfall("city") == test::exactly(0.0));

  // `flat` is the parent's, untouched; `expansion` is the child's alone.
  CHECK(by_id(ls.cases[1]->nodes, "city").demand.points.at(0) == 10.0);
  CHECK(by_id(ls.cases[1]->pipelines, "line").capacity.points.at(0) == 10.0);
  CHECK(by_id(ls.cases[2]->nodes, "city").demand.points.at(0) == 10.0);
  CHECK(by_id(ls.cases[2]->pipelines, "line").capacity.points.at(0) == 15.0);

  // The child's description replaces the parent's, like any scalar.
  CHECK_THAT(resolve_scenario_yaml(path, "growth"),
             Catch::Contains("description: demand grows to 12 bcm/y and the line is expanded "
                             "to carry it\n"));
}
