// Parameter paths (param_path.h): the grammar, every error with its exact message, reading and
// changing values (relative changes keep a series' shape), units, and the list of every input.
#include "corridor/param_path.h"

#include <catch2/catch.hpp>

#include "test_helpers.h"

namespace corridor {
namespace {

using test::exactly;

/// minimal.yaml in code, plus a second supply and a dotted id.
Scenario fixture() {
  Scenario s = test::scenario(2030, 2032);
  s.file = "f.yaml";
  s.nodes = {test::supply("field", 12, 100), test::supply("lng.south", 30, 300),
             test::junction("border"), test::demand("city", 8)};
  s.nodes[3].demand = test::series({{2030, 8}, {2031, 10}, {2032, 12}}, Interpolation::Linear);
  s.pipelines = {test::pipe("export-line", "field", "border", 10, 20),
                 test::pipe("import-line", "border", "city", 12),
                 test::pipe("lng-line", "lng.south", "city", 30)};
  s.pipelines[0].online = YearMonth{2031, 7};
  s.pipelines[0].ramp_up = {0.5, 0.8};
  s.pipelines[1].length_km = 250;
  s.pipelines[1].tariff_kind = TariffKind::PerUnitDistance;
  s.pipelines[1].tariff = constant_series(2);
  s.routes = {test::route("field-to-city", {"export-line", "import-line"}, "export-line")};
  return s;
}

std::vector<ParamTarget> resolve(const Scenario& s, std::string_view path,
                                 std::vector<Diagnostic>& d) {
  return resolve_param(s, path, {"u.yaml", 7, 13}, d);
}

/// The one error of resolving `path`: "message; hint".
std::string error_of(const Scenario& s, std::string_view path) {
  std::vector<Diagnostic> d;
  const auto t = resolve(s, path, d);
  REQUIRE(t.empty());
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.line == 7);
  CHECK(d[0].where.col == 13);
  return d[0].message + "; " + d[0].hint;
}

std::vector<std::string> paths_of(const Scenario& s, std::string_view path) {
  std::vector<Diagnostic> d;
  std::vector<std::string> out;
  for (const ParamTarget& t : resolve(s, path, d)) out.push_back(param_path(s, t));
  CHECK(d.empty());
  return out;
}

TEST_CASE("paths name one input, a pattern several, in scenario order", "[param]") {
  const Scenario s = fixture();
  using V = std::vector<std::string>;
  CHECK(paths_of(s, "pipelines.export-line.online") == V{"pipelines.export-line.online"});
  CHECK(paths_of(s, "nodes.city.demand") == V{"nodes.city.demand"});
  // The section is kept as named: supplies are nodes of kind supply.
  CHECK(paths_of(s, "supplies.field.cost") == V{"supplies.field.cost"});
  CHECK(paths_of(s, "nodes.field.cost") == V{"nodes.field.cost"});
  // An id may hold dots: the field is after the last one.
  CHECK(paths_of(s, "supplies.lng.south.capacity") == V{"supplies.lng.south.capacity"});
  CHECK(paths_of(s, "pipelines.*.availability") == V{"pipelines.export-line.availability",
                                                     "pipelines.import-line.availability",
                                                     "pipelines.lng-line.availability"});
  CHECK(paths_of(s, "pipelines.*-line.capacity").size() == 3);
  CHECK(paths_of(s, "pipelines.e*.capacity") == V{"pipelines.export-line.capacity"});
  // A pattern keeps the nodes that have the field: only supplies have a cost.
  CHECK(paths_of(s, "nodes.*.cost") == V{"nodes.field.cost", "nodes.lng.south.cost"});
  CHECK(paths_of(s, "nodes.*.demand") == V{"nodes.city.demand"});
  CHECK(paths_of(s, "pipelines.export-line.ramp_up[1]") == V{"pipelines.export-line.ramp_up[1]"});
  CHECK(paths_of(s, "economics.discount_rate") == V{"economics.discount_rate"});
  CHECK(paths_of(s, "  routes.field-to-city.opex ") == V{"routes.field-to-city.opex"});
}

TEST_CASE("a path that names nothing is a located error with what to try", "[param]") {
  const Scenario s = fixture();
  CHECK(error_of(s, "pipeline.export-line.online") ==
        "unknown section 'pipeline' in path 'pipeline.export-line.online'; did you mean "
        "'pipelines'?");
  CHECK(error_of(s, "pipelines.export-lin.online") ==
        "unknown pipeline 'export-lin' in path 'pipelines.export-lin.online'; did you mean "
        "'export-line'?");
  CHECK(error_of(s, "pipelines.export-line.onlin") ==
        "unknown field 'onlin' of pipelines in path 'pipelines.export-line.onlin'; did you mean "
        "'online'?");
  CHECK(error_of(s, "pipelines.export-line") ==
        "path 'pipelines.export-line' names no field; write pipelines.ID.FIELD; fields of "
        "pipelines: capacity, availability, ramp_up, online, retire, length, diameter, "
        "max_pressure, wall_thickness, roughness, outlet_pressure, ratio, drag_factor, tariff, "
        "transit_fee, capex, opex, lifetime, discount_rate, capex_start");
  CHECK(error_of(s, "pipelines") ==
        "path 'pipelines' names no field; write SECTION.ID.FIELD, e.g. "
        "pipelines.pos1.capacity, or economics.FIELD");
  CHECK(error_of(s, "") ==
        "empty parameter path; write SECTION.ID.FIELD, e.g. pipelines.pos1.capacity, or "
        "economics.FIELD");
  CHECK(error_of(s, "nodes.city.cost") ==
        "'cost' belongs to supply and lng nodes, and node 'city' is a demand node (path "
        "'nodes.city.cost'); fields of demand nodes: demand, priority, profile, min_pressure, "
        "max_pressure");
  CHECK(error_of(s, "supplies.city.cost") ==
        "'city' is a demand node, not one of the supplies (path 'supplies.city.cost'); write "
        "nodes.city.FIELD, or name one of the supplies");
  CHECK(error_of(s, "pipelines.zz*.capacity") ==
        "pattern 'pipelines.zz*.capacity' matches no pipeline; expected one of: export-line, "
        "import-line, lng-line");
  CHECK(error_of(s, "nodes.b*.demand") ==
        "pattern 'nodes.b*.demand' matches no node among the demand nodes; expected one of: "
        "field, lng.south, border, city");
  CHECK(error_of(s, "pipelines.export-line.online[1]") ==
        "'online' is not a list, so path 'pipelines.export-line.online[1]' cannot index it; "
        "remove [1]");
  CHECK(error_of(s, "pipelines.export-line.ramp_up[2]") ==
        "'ramp_up' of pipeline 'export-line' has 2 entries, so path "
        "'pipelines.export-line.ramp_up[2]' is out of range; positions run from 0 to 1");
  CHECK(error_of(s, "pipelines.export-line.ramp_up[x]") ==
        "bad index in path 'pipelines.export-line.ramp_up[x]'; write a position from 0 in "
        "brackets, e.g. ramp_up[2]");
  CHECK(error_of(s, "economics.x.discount_rate") ==
        "'economics' has no ids; path 'economics.x.discount_rate' names one; write "
        "economics.FIELD, e.g. economics.discount_rate");
}

TEST_CASE("outage targets name entities without a field", "[param]") {
  const Scenario s = fixture();
  std::vector<Diagnostic> d;
  auto t = resolve_entities(s, "pipelines.*", {}, d);
  CHECK(t.size() == 3);
  t = resolve_entities(s, "supplies.lng.south", {}, d);
  REQUIRE(t.size() == 1);
  CHECK(param_entity_name(s, t[0]) == "node 'lng.south'");
  CHECK(d.empty());
  CHECK(resolve_entities(s, "pipelines.pos1", {"u.yaml", 3, 5}, d).empty());
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "unknown pipeline 'pos1' in path 'pipelines.pos1'");
}

TEST_CASE("relative changes keep a series' shape; absolute ones replace it", "[param]") {
  const Scenario base = fixture();
  Scenario s = base;
  std::vector<Diagnostic> d;
  const ParamTarget demand = resolve(s, "nodes.city.demand", d).at(0);
  // #P1: demand {2030: 8, 2031: 10, 2032: 12} linear, x 1.5 -> 12, 15, 18: the growth stays.
  CHECK_FALSE(apply_param(base, s, demand, ParamMode::Relative, 1.5));
  CHECK(read_param(s, demand, 2030) == exactly(12));
  CHECK(read_param(s, demand, 2031) == exactly(15));
  CHECK(read_param(s, demand, 2032) == exactly(18));
  CHECK(format_param(s, demand) ==
        "{2030: 12 bcm/y, 2031: 15 bcm/y, 2032: 18 bcm/y, interpolation: linear}");
  // Always from the base: a second change does not compound.
  apply_param(base, s, demand, ParamMode::Relative, 0.5);
  CHECK(read_param(s, demand, 2032) == exactly(6));
  apply_param(base, s, demand, ParamMode::Absolute, 9);
  CHECK(format_param(s, demand) == "9 bcm/y");
  // Per year: one step point a year.
  const double factors[] = {1.0, 2.0, 0.5};
  apply_param_by_year(base, s, demand, ParamMode::Relative, 2030, factors);
  CHECK(read_param(s, demand, 2030) == exactly(8));
  CHECK(read_param(s, demand, 2031) == exactly(20));
  CHECK(read_param(s, demand, 2032) == exactly(6));
  // Out of range is clamped, and the call says so.
  CHECK(apply_param(base, s, demand, ParamMode::Relative, -1.0));
  CHECK(read_param(s, demand, 2031) == exactly(0));
  const ParamTarget avail = resolve(s, "pipelines.lng-line.availability", d).at(0);
  CHECK(apply_param(base, s, avail, ParamMode::Relative, 1.3));
  CHECK(read_param(s, avail, 2030) == exactly(1.0));
  CHECK(d.empty());
}

TEST_CASE("dates are decimal years: the fraction picks the month", "[param]") {
  CHECK(decimal_year({2031, 0}) == 2031.0);
  CHECK(decimal_year({2031, 1}) == 2031.0);
  CHECK(decimal_year({2031, 7}) == 2031.5);
  CHECK(year_month_of(2031.0) == YearMonth{2031, 0});
  CHECK(year_month_of(2031.5) == YearMonth{2031, 7});
  CHECK(year_month_of(2031.999) == YearMonth{2031, 12});
  CHECK(year_month_of(decimal_year({2034, 11})) == YearMonth{2034, 11});

  const Scenario base = fixture();
  Scenario s = base;
  std::vector<Diagnostic> d;
  const ParamTarget online = resolve(s, "pipelines.export-line.online", d).at(0);
  CHECK(read_param(s, online) == 2031.5);
  apply_param(base, s, online, ParamMode::Relative, 2.25);  // July 2031 + 2 y 3 m
  CHECK(format_param(s, online) == "2033-10");
  apply_param(base, s, online, ParamMode::Absolute, 2035);
  CHECK(format_param(s, online) == "2035");
  CHECK(apply_param(base, s, online, ParamMode::Absolute, 2500));  // clamped to 2200
  CHECK(s.pipelines[0].online->year == 2200);
  // A pipeline without a date has nothing to shift.
  const ParamTarget none = resolve(s, "pipelines.lng-line.online", d).at(0);
  CHECK_FALSE(param_has_value(s, none));
  apply_param(base, s, none, ParamMode::Relative, 2);
  CHECK_FALSE(s.pipelines[2].online);
}

TEST_CASE("values parse with the field's units and the entity's commodity", "[param]") {
  const Scenario s = fixture();
  std::vector<Diagnostic> d;
  const ParamTarget cap = resolve(s, "pipelines.export-line.capacity", d).at(0);
  CHECK(parse_param_value(s, cap, "104 mcm/d", ParamMode::Absolute).value ==
        Approx(37.96).epsilon(1e-12));
  CHECK(parse_param_value(s, cap, "110 %", ParamMode::Relative).value == Approx(1.1));
  const ParsedQuantity bad = parse_param_value(s, cap, "38 Mt/d", ParamMode::Absolute);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error->message == "unknown unit 'Mt/d' in '38 Mt/d'");
  const ParamTarget tariff = resolve(s, "pipelines.import-line.tariff", d).at(0);
  CHECK(param_unit(s, tariff) == "USD/kcm/100km");
  CHECK(parse_param_value(s, tariff, "3 USD/kcm/100km", ParamMode::Absolute).value == 3.0);
  const ParamTarget online = resolve(s, "pipelines.export-line.online", d).at(0);
  CHECK(parse_param_value(s, online, "2031-07", ParamMode::Absolute).value == 2031.5);
  CHECK(parse_param_value(s, online, "2033", ParamMode::Absolute).value == 2033.0);
  CHECK(parse_param_value(s, online, "2 y", ParamMode::Relative).value == 2.0);
  CHECK(parse_param_value(s, online, "1.5", ParamMode::Relative).value == 1.5);
  CHECK(parse_param_value(s, online, "July", ParamMode::Absolute).error->message ==
        "'July' is not a date");
}

TEST_CASE("a tariff written where there was none is per unit", "[param]") {
  const Scenario base = fixture();
  Scenario s = base;
  s.pipelines[2].tariff_kind = TariffKind::None;
  const Scenario none = s;
  std::vector<Diagnostic> d;
  const ParamTarget t = resolve(s, "pipelines.lng-line.tariff", d).at(0);
  apply_param(none, s, t, ParamMode::Absolute, 7);
  CHECK(s.pipelines[2].tariff_kind == TariffKind::PerUnit);
  CHECK(transport_cost_per_unit(s.pipelines[2], 2030) == 7.0);
}

TEST_CASE("every field of the table is reachable, readable and changeable", "[param]") {
  Scenario base = fixture();
  base.pipelines[0].economics.capex_musd = 1000;
  base.pipelines[0].economics.lifetime_years = 30;
  base.pipelines[0].economics.discount_rate = 0.08;
  base.pipelines[0].economics.capex_start = YearMonth{2031, 0};
  base.pipelines[0].retire = YearMonth{2050, 0};
  base.pipelines[0].diameter_mm = 1420;
  base.pipelines[0].max_pressure_mpa = 9.8;
  base.pipelines[0].length_km = 900;
  // Physical data (hydraulics): every numeric one is a path too.
  base.nodes[0].pressure_mpa = 7.5;
  base.nodes[3].min_pressure_mpa = 4.0;
  base.nodes[3].max_pressure_mpa = 8.0;
  base.pipelines[0].wall_thickness_mm = 21.6;
  base.pipelines[0].roughness_mm = 0.012;
  base.pipelines[0].outlet_pressure_mpa = 9.0;
  base.pipelines[0].set_ratio = 1.5;
  base.pipelines[0].drag_factor = 2.0;
  base.nodes[3].profile = std::vector<double>(12, 1.0);
  base.nodes[1].kind = NodeKind::Lng;  // its capacity is its send_out; cost as a supply's
  base.pipelines[0].transit_country = "Mongolia";
  base.pipelines[0].transit_fee = constant_series(15);
  base.pipelines[0].economics.opex_fraction = 0.015;
  base.routes[0].economics.opex_fraction = 0.01;
  base.routes[0].economics.capex_musd = 50;
  base.routes[0].economics.lifetime_years = 20;
  base.routes[0].economics.discount_rate = 0.1;
  base.routes[0].economics.capex_start = YearMonth{2032, 0};
  for (const ParamField& f : param_fields()) {
    const std::string id = f.section == "economics"                 ? ""
                           : f.section == "routes"                  ? "field-to-city."
                           : f.section == "pipelines"               ? "export-line."
                           : f.applies_to == "supply nodes"         ? "field."
                           : f.applies_to == "supply and lng nodes" ? "field."
                           : f.applies_to == "lng nodes"            ? "lng.south."
                                                                    : "city.";
    const std::string path = std::string(f.section) + "." + id + std::string(f.name) +
                             (f.kind == ParamKind::List ? "[1]" : "");
    CAPTURE(path);
    std::vector<Diagnostic> d;
    const std::vector<ParamTarget> t = resolve(base, path, d);
    REQUIRE(d.empty());
    REQUIRE(t.size() == 1);
    REQUIRE(param_has_value(base, t[0]));
    const double before = read_param(base, t[0], 2031);
    Scenario s = base;
    const ParamMode mode = f.kind == ParamKind::Integer ? ParamMode::Absolute : ParamMode::Relative;
    const double change = f.kind == ParamKind::Integer ? 2.0 : f.kind == ParamKind::Date ? 1 : 0.5;
    apply_param(base, s, t[0], mode, change);
    const double after = read_param(s, t[0], 2031);
    CHECK(after != before);
    CHECK_FALSE(format_param(s, t[0]).empty());
  }
  // list_params: every numeric input with a value, list entries one by one.
  const std::vector<ParamTarget> all = list_params(base);
  std::vector<std::string> paths;
  for (const ParamTarget& t : all) paths.push_back(param_path(base, t));
  CHECK(std::count(paths.begin(), paths.end(), "pipelines.export-line.ramp_up[0]") == 1);
  CHECK(std::count(paths.begin(), paths.end(), "nodes.city.profile[11]") == 1);
  CHECK(std::count(paths.begin(), paths.end(), "economics.lifetime") == 1);
  // lng-line has no online date: nothing to list.
  CHECK(std::count(paths.begin(), paths.end(), "pipelines.lng-line.online") == 0);
  CHECK(std::count(paths.begin(), paths.end(), "pipelines.lng-line.capacity") == 1);
  // An lng terminal's inputs are its send_out and its cost (issue 12: the library's terminals
  // are lng nodes, and --vary-all must still vary them).
  CHECK(std::count(paths.begin(), paths.end(), "nodes.lng.south.send_out") == 1);
  CHECK(std::count(paths.begin(), paths.end(), "nodes.lng.south.cost") == 1);
  CHECK(std::count(paths.begin(), paths.end(), "nodes.lng.south.capacity") == 0);
  CHECK(error_of(base, "nodes.lng.south.capacity") ==
        "'capacity' belongs to supply nodes, and node 'lng.south' is a lng node (path "
        "'nodes.lng.south.capacity'); fields of lng nodes: send_out, cost, min_pressure, "
        "max_pressure");
}

}  // namespace
}  // namespace corridor
