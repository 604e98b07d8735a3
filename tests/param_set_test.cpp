// Changes written as text (param_path.h, issue 15): PATH=VALUE assignments as `--set`, `sweep`
// and `sensitivity` take them, absolute and relative values, their exact errors, and the value
// lists and ranges of a sweep.
#include <algorithm>
#include <catch2/catch.hpp>

#include "corridor/param_path.h"
#include "test_helpers.h"

namespace corridor {
namespace {

/// minimal.yaml in code: field -> border -> city, with an online date and a ramp.
Scenario fixture() {
  Scenario s = test::scenario(2030, 2032);
  s.file = "f.yaml";
  s.nodes = {test::supply("field", 12, 100), test::junction("border"), test::demand("city", 8)};
  s.nodes[2].demand = test::series({{2030, 8}, {2031, 10}, {2032, 12}}, Interpolation::Step);
  s.pipelines = {test::pipe("export-line", "field", "border", 10),
                 test::pipe("import-line", "border", "city", 12)};
  s.pipelines[0].online = YearMonth{2031, 7};
  s.pipelines[0].ramp_up = {0.5, 0.8};
  return s;
}

const SourceLocation kWhere{"--set x", 0, 0};

/// Sets `text` (PATH=VALUE) on a copy of `base`; the errors go to `d`.
Scenario set(const Scenario& base, const std::string& text, std::vector<Diagnostic>& d) {
  std::string error;
  const std::optional<ParamAssignment> a = parse_param_assignment(text, error);
  REQUIRE(a);
  Scenario out = base;
  set_param(base, out, {a->path, a->value, kWhere}, d);
  return out;
}

/// The one error of setting `text`, as "message; hint".
std::string error_of(const Scenario& base, const std::string& text) {
  std::vector<Diagnostic> d;
  const Scenario out = set(base, text, d);
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.file == "--set x");
  return d[0].message + (d[0].hint.empty() ? "" : "; " + d[0].hint);
}

TEST_CASE("PATH=VALUE splits at the first '=' and refuses a missing side", "[param][set]") {
  std::string error;
  const auto a = parse_param_assignment(" pipelines.p.capacity = 40 bcm/y ", error);
  REQUIRE(a);
  CHECK(a->path == "pipelines.p.capacity");
  CHECK(a->value == "40 bcm/y");
  CHECK_FALSE(parse_param_assignment("pipelines.p.capacity", error));
  CHECK(error ==
        "'pipelines.p.capacity' has no '='; write PATH=VALUE, e.g. pipelines.pos1.capacity=40 "
        "bcm/y");
  CHECK_FALSE(parse_param_assignment("=4", error));
  CHECK(error == "'=4' has no path before '='; write PATH=VALUE");
  CHECK_FALSE(parse_param_assignment("a.b.c=", error));
  CHECK(error == "'a.b.c=' has no value after '='; write PATH=VALUE");
}

TEST_CASE("absolute and relative values: units, percentages, factors and date shifts",
          "[param][set]") {
  const Scenario base = fixture();
  std::vector<Diagnostic> d;
  // Absolute, in the field's units: 40 bcm/y replaces the series by a constant.
  Scenario s = set(base, "pipelines.export-line.capacity=40 bcm/y", d);
  CHECK(value_at(s.pipelines[0].capacity, 2031) == 40.0);
  // +25 %: every point of the demand series times 1.25 (8, 10, 12 -> 10, 12.5, 15).
  s = set(base, "nodes.city.demand=+25%", d);
  CHECK(value_at(s.nodes[2].demand, 2030) == 10.0);
  CHECK(value_at(s.nodes[2].demand, 2032) == 15.0);
  // -50 %, with a space: 12 bcm/y -> 6 bcm/y.
  s = set(base, "supplies.field.capacity=-50 %", d);
  CHECK(value_at(s.nodes[0].capacity, 2030) == 6.0);
  // A factor: x2 doubles the cost (100 -> 200 USD/kcm).
  s = set(base, "supplies.field.cost=x2", d);
  CHECK(read_param(s, resolve_param(s, "supplies.field.cost", kWhere, d).at(0), 2030) == 200.0);
  // A date: absolute "2033-01" or shifted "+2 y" (2031-07 -> 2033-07) and "-1".
  s = set(base, "pipelines.export-line.online=2033-01", d);
  CHECK(s.pipelines[0].online->year == 2033);
  s = set(base, "pipelines.export-line.online=+2 y", d);
  CHECK(s.pipelines[0].online->year == 2033);
  CHECK(s.pipelines[0].online->month == 7);
  s = set(base, "pipelines.export-line.online=-1", d);
  CHECK(s.pipelines[0].online->year == 2030);
  // A pattern sets every target: both lines at 90 % availability.
  s = set(base, "pipelines.*.availability=90 %", d);
  CHECK(value_at(s.pipelines[0].availability, 2030) == 0.9);
  CHECK(value_at(s.pipelines[1].availability, 2030) == 0.9);
  CHECK(d.empty());
}

TEST_CASE("set_param: exact errors for paths, values and ranges; nothing half-changed",
          "[param][set]") {
  const Scenario base = fixture();
  CHECK(error_of(base, "pipelines.export-line.capacty=40 bcm/y") ==
        "unknown field 'capacty' of pipelines in path 'pipelines.export-line.capacty'; did you "
        "mean 'capacity'?");
  CHECK(error_of(base, "pipelines.export-line.capacity=40 bcm/yr") ==
        "bad value '40 bcm/yr' for pipelines.export-line.capacity: unknown unit 'bcm/yr' in '40 "
        "bcm/yr'; did you mean 'bcm/y'? accepted units: bcm/y, bcm/a, mcm/d, mcm/y, Bcf/d, Tcf/y, "
        "TWh/y, PJ/y, GWh/d, Mt/y (LNG)");
  CHECK(error_of(base, "nodes.city.demand=+10") ==
        "bad value '+10' for nodes.city.demand: relative value '+10' is not a percentage; write "
        "a change in percent (+10%, -20 %) or a factor (x1.1)");
  CHECK(error_of(base, "pipelines.export-line.availability=120 %") ==
        "'120 %' takes pipelines.export-line.availability (1) out of its range: availability "
        "is between 0 and 1 (0 % and 100 %); give a value within the range");
  CHECK(error_of(base, "supplies.field.capacity=-150%") ==
        "'-150%' takes supplies.field.capacity (12 bcm/y) out of its range: capacity is at "
        "least 0; give a value within the range");
  // The first target in range, the second not: neither is changed.
  Scenario two = base;
  two.pipelines[1].availability = constant_series(0.5);
  std::vector<Diagnostic> d;
  Scenario out = two;
  set_param(two, out, {"pipelines.*.availability", "x1.5", kWhere}, d);
  REQUIRE(d.size() == 1);
  CHECK(value_at(out.pipelines[0].availability, 2030) == 1.0);
  CHECK(value_at(out.pipelines[1].availability, 2030) == 0.5);
}

TEST_CASE("copy_param moves one case's value into another's entity at another index",
          "[param][set]") {
  const Scenario from = fixture();
  Scenario to = fixture();
  std::rotate(to.pipelines.begin(), to.pipelines.begin() + 1, to.pipelines.end());  // reorder
  to.pipelines[1].online = YearMonth{2033, 0};
  to.pipelines[1].ramp_up = {0.1, 0.2};
  std::vector<Diagnostic> d;
  const auto tf = resolve_param(from, "pipelines.export-line.online", kWhere, d).at(0);
  const auto tt = resolve_param(to, "pipelines.export-line.online", kWhere, d).at(0);
  CHECK(tf.entity == 0);
  CHECK(tt.entity == 1);
  copy_param(from, tf, to, tt);
  CHECK(to.pipelines[1].online->year == 2031);
  CHECK(to.pipelines[1].online->month == 7);
  const auto rf = resolve_param(from, "pipelines.export-line.ramp_up[1]", kWhere, d).at(0);
  const auto rt = resolve_param(to, "pipelines.export-line.ramp_up[1]", kWhere, d).at(0);
  copy_param(from, rf, to, rt);
  CHECK(to.pipelines[1].ramp_up == std::vector<double>{0.1, 0.8});
  CHECK_THROWS_AS(copy_param(from, tf, to, rt), std::logic_error);
  CHECK(d.empty());
}

std::vector<std::string> values(std::string_view text, bool pair = false) {
  std::string error;
  const auto v = expand_param_values(text, pair, error);
  INFO(error);
  REQUIRE(v);
  return *v;
}

std::string values_error(std::string_view text, bool pair = false) {
  std::string error;
  CHECK_FALSE(expand_param_values(text, pair, error, 100));
  return error;
}

TEST_CASE("sweep values: lists share a trailing unit, ranges step with theirs", "[param][set]") {
  using V = std::vector<std::string>;
  CHECK(values("30 bcm/y,40 bcm/y") == V{"30 bcm/y", "40 bcm/y"});
  CHECK(values("30, 40, 50 bcm/y") == V{"30 bcm/y", "40 bcm/y", "50 bcm/y"});
  CHECK(values("2031-07,2033") == V{"2031-07", "2033"});
  CHECK(values("30..50:10 bcm/y") == V{"30 bcm/y", "40 bcm/y", "50 bcm/y"});
  CHECK(values("30 bcm/y..50 bcm/y:10 bcm/y") == V{"30 bcm/y", "40 bcm/y", "50 bcm/y"});
  // 0.1 steps print as written, not 0.30000000000000004; HIGH is reached within rounding.
  CHECK(values("0.1..0.3:0.1") == V{"0.1", "0.2", "0.3"});
  // Relative: every value signed, 0 as +0%.
  CHECK(values("-20%..+20%:10%") == V{"-20%", "-10%", "+0%", "+10%", "+20%"});
  CHECK(values("x0.8..x1.2:0.2") == V{"x0.8", "x1", "x1.2"});
  CHECK(values("2030..2034:2") == V{"2030", "2032", "2034"});
  // A pair for a sensitivity: LOW..HIGH, the unit shared.
  CHECK(values("20..30 USD/kcm", true) == V{"20 USD/kcm", "30 USD/kcm"});
  CHECK(values("-20%..+20%", true) == V{"-20%", "+20%"});
  CHECK(values_error("30..50 bcm/y") ==
        "range '30..50 bcm/y' has no step; write LOW..HIGH:STEP, e.g. 30..50:10 bcm/y");
  CHECK(values_error("30..50:0 bcm/y") ==
        "step '0 bcm/y' in '30..50:0 bcm/y' is not a positive number");
  CHECK(values_error("50..30:10") == "range '50..30:10' runs down: HIGH is below LOW");
  CHECK(values_error("30 bcm/y..50 mcm/d:10") ==
        "units 'bcm/y' and 'mcm/d' differ in '30 bcm/y..50 mcm/d:10'");
  CHECK(values_error("a..b:1") == "'a' in 'a..b:1' is not a number");
  CHECK(values_error("1..1000:1") == "range '1..1000:1' has 1000 values; at most 100");
  CHECK(values_error("30,,40") == "an empty value in '30,,40'");
  CHECK(values_error("30 bcm/y", true) ==
        "'30 bcm/y' is not a range; write LOW..HIGH, e.g. 20..30 USD/kcm or -20%..+20%");
  CHECK(values_error("-10%..x1.1", true) ==
        "'-10%..x1.1' mixes a change in percent and a factor; write one kind");
}

}  // namespace
}  // namespace corridor
