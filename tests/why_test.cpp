// Issue 15's studies (sensitivity.h, kpi.h) on hand-worked fixtures: KPIs and their exact
// errors, a tornado whose bars are worked out below, economics-only variants checked against a
// full re-dispatch, breakeven crossings (exact on a linear stretch, several, none), and
// explain's attributions: additive effects (Shapley = one-at-a-time), a pure interaction
// (Shapley splits evenly, one-at-a-time gives 0), a case where the order matters, an added
// pipeline, and sampled Shapley values against the exact ones.
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>

#include "corridor/economics.h"
#include "corridor/kpi.h"
#include "corridor/sensitivity.h"
#include "corridor/simulate.h"
#include "corridor/why_report.h"
#include "test_helpers.h"

namespace corridor {
namespace {

/// minimal.yaml in code (its header works the answers out): field 12 bcm/y at 100 USD/kcm ->
/// export-line 10 bcm/y -> import-line 12 bcm/y -> city, demand 8, 10, 12 bcm/y, 2030..2032.
Scenario minimal() {
  Scenario s = test::scenario(2030, 2032);
  s.file = "m.yaml";
  s.nodes = {test::supply("field", 12, 100), test::junction("border"), test::demand("city", 8)};
  s.nodes[2].demand = test::series({{2030, 8}, {2031, 10}, {2032, 12}});
  s.pipelines = {test::pipe("export-line", "field", "border", 10, 20),
                 test::pipe("import-line", "border", "city", 12, 5)};
  s.routes = {test::route("field-to-city", {"export-line", "import-line"}, "export-line")};
  return s;
}

Kpi kpi(const std::string& text) {
  std::string error, hint;
  const std::optional<Kpi> k = parse_kpi(text, error, hint);
  INFO(error << "; " << hint);
  REQUIRE(k);
  return *k;
}

std::string kpi_error(const std::string& text) {
  std::string error, hint;
  CHECK_FALSE(parse_kpi(text, error, hint));
  return error + "; " + hint;
}

const KpiYears kAll{2030, 2032};

TEST_CASE("KPIs: volumes, costs and shortfalls of a dispatched case, by hand", "[why][kpi]") {
  const CaseResult r = simulate(minimal());
  // #K1: the route carries 8, 10, 10 bcm; the city is 2 bcm short in 2032.
  CHECK(*kpi_value(r, kpi("routes.field-to-city.volume"), kAll) == Approx(28.0));
  CHECK(*kpi_value(r, kpi("routes.*.volume@2031"), kAll) == Approx(10.0));
  CHECK(*kpi_value(r, kpi("markets.city.shortfall"), kAll) == Approx(2.0));
  CHECK(*kpi_value(r, kpi("delivered"), {2031, 2032}) == Approx(20.0));
  // Dispatch cost: 28 bcm x (100 + 20 + 5) USD/kcm = 3500 MUSD; no capex, so total the same.
  CHECK(*kpi_value(r, kpi("dispatch_cost"), kAll) == Approx(3500.0));
  CHECK(*kpi_value(r, kpi("total_cost"), kAll) == Approx(3500.0));
  // Levelised: tariffs only, 25 USD/kcm in every year.
  CHECK(*kpi_value(r, kpi("routes.field-to-city.levelised_cost"), kAll) == Approx(25.0));
  // A route the case does not have: no levelised cost, no volume.
  CHECK_FALSE(kpi_value(r, kpi("routes.other.levelised_cost"), kAll));
  CHECK(*kpi_value(r, kpi("routes.other.volume"), kAll) == 0.0);
  CHECK(kpi_unit(*r.scenario, kpi("routes.field-to-city.volume")) == "bcm");
  CHECK(kpi_unit(*r.scenario, kpi("routes.field-to-city.levelised_cost")) == "USD/kcm");
  CHECK(kpi_unit(*r.scenario, kpi("transit_fees.Mongolia")) == "MUSD");
}

TEST_CASE("KPIs: exact errors with what to try", "[why][kpi]") {
  CHECK(kpi_error("total_costs") ==
        "unknown KPI 'total_costs'; did you mean 'total_cost'? write routes.ID.volume, "
        "routes.ID.levelised_cost, markets.ID.shortfall, markets.ID.delivered, "
        "transit_fees.COUNTRY, total_cost, dispatch_cost, shortfall or delivered, with @YEAR "
        "for one year");
  CHECK(kpi_error("routes.pos1.volumes") ==
        "unknown KPI field 'volumes' of routes in 'routes.pos1.volumes'; did you mean 'volume'?");
  CHECK(kpi_error("route.pos1.volume")
            .starts_with(
                "unknown KPI section 'route' in 'route.pos1.volume'; did you mean 'routes'?"));
  CHECK(kpi_error("routes.pos1.volume@20x5") ==
        "bad year '20x5' in KPI 'routes.pos1.volume@20x5'; write @YEAR, e.g. "
        "routes.pos1.volume@2035");
  CHECK(kpi_error("routes.*.levelised_cost") ==
        "a levelised cost is of one route; '*' is a pattern; name one route, e.g. "
        "routes.pos1.levelised_cost");
  const Scenario s = minimal();
  std::vector<Diagnostic> d;
  check_kpi({&s}, kpi("routes.field-to-cty.volume"), {"--kpi x", 0, 0}, d);
  check_kpi({&s}, kpi("total_cost@2040"), {"--kpi y", 0, 0}, d);
  REQUIRE(d.size() == 2);
  CHECK(d[0].message == "no route 'field-to-cty' in KPI 'routes.field-to-cty.volume'");
  CHECK(d[0].hint == "did you mean 'field-to-city'?");
  CHECK(d[1].message == "year 2040 of KPI 'total_cost@2040' is outside the horizon 2030..2032");
}

TEST_CASE("sensitivity: the tornado of a hand-worked case, sorted by swing", "[why][sensitivity]") {
  const auto base = std::make_shared<const Scenario>(minimal());
  SensitivityOptions o;
  o.kpis = {kpi("delivered")};
  o.years = kAll;
  // #T1: export-line 8 -> 24 bcm delivered (8 a year), 12 -> 30 (8, 10, 12): swing 6.
  // #T2: demand -50 % (4, 5, 6) -> 15; +50 % (12, 15, 18, capped at 10) -> 30: swing 15.
  o.vary = {{"pipelines.export-line.capacity", "8 bcm/y", "12 bcm/y", {"--vary a", 0, 0}},
            {"nodes.city.demand", "-50%", "+50%", {"--vary b", 0, 0}}};
  const SensitivityResult r = run_sensitivity(base, o);
  REQUIRE(r.tornados.size() == 1);
  const Tornado& t = r.tornados[0];
  CHECK(*t.kpi_base == Approx(28.0));
  REQUIRE(t.bars.size() == 2);
  CHECK(t.bars[0].parameter == "nodes.city.demand");
  CHECK(*t.bars[0].kpi_low == Approx(15.0));
  CHECK(*t.bars[0].kpi_high == Approx(30.0));
  CHECK(*t.bars[0].swing == Approx(15.0));
  CHECK(t.bars[0].low_value == "-50%");  // a series of several points: the change as given
  CHECK(t.bars[1].parameter == "pipelines.export-line.capacity");
  CHECK(t.bars[1].low_value == "8 bcm/y");
  CHECK(*t.bars[1].kpi_low == Approx(24.0));
  CHECK(*t.bars[1].kpi_high == Approx(30.0));
  CHECK(r.dispatched == 4);
  CHECK(tornado_csv(r) ==
        "scenario,case,kpi,unit,parameter,low_value,high_value,kpi_base,kpi_low,kpi_high,swing\n"
        "test,base,delivered,bcm,nodes.city.demand,-50%,+50%,28.000000,15.000000,30.000000,"
        "15.000000\n"
        "test,base,delivered,bcm,pipelines.export-line.capacity,8 bcm/y,12 bcm/y,28.000000,"
        "24.000000,30.000000,6.000000\n");
  // A bad value is an error at its --vary.
  o.vary = {{"pipelines.export-line.capacity", "8 bcm/y", "12 bcm/d", {"--vary a", 0, 0}}};
  CHECK_THROWS_AS(run_sensitivity(base, o), InputError);
}

TEST_CASE("sensitivity: economics-only variants reuse the dispatch and equal a re-dispatch",
          "[why][sensitivity]") {
  Scenario s = minimal();
  s.pipelines[0].economics.capex_musd = 900.0;
  s.pipelines[0].economics.lifetime_years = 25.0;
  s.discount_rate = 0.08;
  const auto base = std::make_shared<const Scenario>(s);
  SensitivityOptions o;
  o.kpis = {kpi("routes.field-to-city.levelised_cost"), kpi("total_cost")};
  o.years = kAll;
  o.vary_all = 0.1;
  o.threads = 3;
  const SensitivityResult r = run_sensitivity(base, o);
  // Every listed input of the three effects but integers, once each (computed independently).
  std::size_t expected = 0, economics = 0;
  for (const ParamTarget& t : list_params(s)) {
    if (t.field->kind == ParamKind::Integer || t.field->effect == ParamEffect::Information)
      continue;
    ++expected;
    if (t.field->effect == ParamEffect::Economics) ++economics;
  }
  CHECK(r.inputs == expected);
  CHECK(r.economics_only == 2 * economics);
  CHECK(r.dispatched + r.economics_only == 2 * expected);
  // The capex variants against simulate() of the same changed case.
  for (const TornadoBar& b : r.tornados[0].bars) {
    if (b.parameter != "pipelines.export-line.capex") continue;
    Scenario hi = s;
    hi.pipelines[0].economics.capex_musd = 990.0;
    const CaseResult full = simulate(hi);
    CHECK(*b.kpi_high == Approx(*kpi_value(full, o.kpis[0], kAll)).epsilon(1e-12));
    CHECK(b.high_value == "990 MUSD");
  }
  // Any thread count, the same table.
  o.threads = 1;
  CHECK(tornado_csv(run_sensitivity(base, o)) == tornado_csv(r));
}

/// Two cases for breakeven: A buys at `field`'s cost x, B at 30 USD/kcm from `other`, each
/// 10 bcm/y for one year: dispatch cost A = 10 x, B = 300 MUSD, equal at x = 30.
std::pair<std::shared_ptr<const Scenario>, std::shared_ptr<const Scenario>> two_buyers() {
  Scenario a = test::scenario(2030, 2030);
  a.nodes = {test::supply("field", 20, 10), test::demand("city", 10)};
  a.pipelines = {test::pipe("line", "field", "city", 20)};
  Scenario b = a;
  b.case_name = "b";
  b.nodes[0] = test::supply("other", 20, 30);
  b.pipelines[0].from = "other";
  return {std::make_shared<const Scenario>(a), std::make_shared<const Scenario>(b)};
}

TEST_CASE("breakeven: exact on a linear stretch, honest when there is no crossing",
          "[why][breakeven]") {
  const auto [a, b] = two_buyers();
  BreakevenOptions o;
  o.path = "supplies.field.cost";
  o.kpi = o.vs_kpi = kpi("dispatch_cost");
  o.years = {2030, 2030};
  o.range_text = "0..50 USD/kcm";
  o.grid = 7;  // 30 is no grid point: the secant of its bracket finds it
  BreakevenResult r = run_breakeven(a, b, o);
  REQUIRE(r.crossings.size() == 1);
  CHECK(r.crossings[0].x == Approx(30.0).epsilon(1e-12));
  CHECK(r.crossings[0].exact);
  CHECK(r.crossings[0].steps == 1);
  CHECK(r.crossings[0].kpi == Approx(300.0));
  CHECK(r.crossings[0].value_text == "30 USD/kcm");
  CHECK(r.value_unit == "USD/kcm");
  o.range_text = "40..60 USD/kcm";
  r = run_breakeven(a, b, o);
  CHECK(r.crossings.empty());
  CHECK(breakeven_csv(r) ==
        "scenario,parameter,case,kpi,vs_case,vs_kpi,crossing,value,value_unit,kpi_value,unit,"
        "method\ntest,supplies.field.cost,base,dispatch_cost,b,dispatch_cost,,,USD/kcm,,MUSD,no "
        "crossing in 40 USD/kcm..60 USD/kcm\n");
  // Relative: a factor of A's own 10 USD/kcm; 3 (+200 %) is the crossing.
  o.range_text = "-100%..+400%";
  r = run_breakeven(a, b, o);
  REQUIRE(r.crossings.size() == 1);
  CHECK(r.crossings[0].x == Approx(3.0));
  CHECK(r.crossings[0].value_text == "+200%");
}

TEST_CASE("breakeven: every crossing, on a grid point and between, and through a kink",
          "[why][breakeven]") {
  // One case, two KPIs, x = the city's demand; the line carries 10 bcm/y.
  // #B1: delivered = min(x, 10), shortfall = max(x - 10, 0): equal at x = 0 and x = 20.
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("field", 30, 10), test::demand("city", 5)};
  s.pipelines = {test::pipe("line", "field", "city", 10)};
  const auto a = std::make_shared<const Scenario>(s);
  BreakevenOptions o;
  o.path = "nodes.city.demand";
  o.kpi = kpi("delivered");
  o.vs_kpi = kpi("shortfall");
  o.years = {2030, 2030};
  o.range_text = "0..25 bcm/y";
  o.grid = 7;
  BreakevenResult r = run_breakeven(a, a, o);
  REQUIRE(r.crossings.size() == 2);
  CHECK(r.crossings[0].x == 0.0);
  CHECK(r.crossings[0].steps == 0);  // on a grid point
  CHECK(r.crossings[1].x == Approx(20.0).epsilon(1e-12));
  CHECK(r.crossings[1].exact);
  // One bracket over the kink at 10: the first secant (x = 15) misses, regula falsi finds 20.
  o.range_text = "5..25 bcm/y";
  o.grid = 1;
  r = run_breakeven(a, a, o);
  REQUIRE(r.crossings.size() == 1);
  CHECK(r.crossings[0].x == Approx(20.0).epsilon(1e-9));
  CHECK(r.crossings[0].exact);
  CHECK(r.crossings[0].steps > 1);
}

// ---------------------------------------------------------------------------------------------
// Explain

/// Attribution of `kpi_text` from `from` to `to`.
ExplainResult explain(const Scenario& from, const Scenario& to, const std::string& kpi_text,
                      int exact_limit = 10) {
  ExplainOptions o;
  o.kpis = {kpi(kpi_text)};
  o.years = {from.horizon.start_year, from.horizon.end_year};
  o.exact_limit = exact_limit;
  o.permutations = 400;
  return run_explain(std::make_shared<const Scenario>(from), std::make_shared<const Scenario>(to),
                     o);
}

TEST_CASE("explain: additive effects, Shapley equals one-at-a-time", "[why][explain]") {
  // #E1: two separate markets. from: line a 5, line b 3 (demands 8 and 5): delivered 8.
  // to: a 8, b 5: delivered 13. Each line matters alone: +3 and +2, no interaction.
  Scenario from = test::scenario(2030, 2030);
  from.nodes = {test::supply("fa", 20), test::demand("ca", 8), test::supply("fb", 20),
                test::demand("cb", 5)};
  from.pipelines = {test::pipe("a", "fa", "ca", 5), test::pipe("b", "fb", "cb", 3)};
  Scenario to = from;
  to.case_name = "to";
  to.pipelines[0].capacity = constant_series(8);
  to.pipelines[1].capacity = constant_series(5);
  const ExplainResult r = explain(from, to, "delivered");
  REQUIRE(r.inputs.size() == 2);
  CHECK(r.inputs[0].name == "pipelines.a.capacity");
  CHECK(r.inputs[0].old_value == "5 bcm/y");
  CHECK(r.inputs[0].new_value == "8 bcm/y");
  const Attribution& a = r.attributions.at(0);
  CHECK(*a.from_value == Approx(8.0));
  CHECK(*a.to_value == Approx(13.0));
  CHECK(a.one_at_a_time[0] == Approx(3.0));
  CHECK(a.one_at_a_time[1] == Approx(2.0));
  CHECK(a.shapley[0] == Approx(3.0));
  CHECK(a.shapley[1] == Approx(2.0));
  CHECK(a.interaction == Approx(0.0).margin(1e-9));
  CHECK(a.other == Approx(0.0).margin(1e-9));
  CHECK_FALSE(r.sampled);
  CHECK(r.states == 4);
}

TEST_CASE("explain: a pure interaction splits evenly; one-at-a-time sees nothing",
          "[why][explain]") {
  // #E2: a chain field -> mid -> city; both lines go from 0 to 10 bcm/y. Either alone
  // delivers nothing; both deliver 10. Shapley: 5 and 5; one-at-a-time: 0 and 0; interaction
  // 10.
  Scenario from = test::scenario(2030, 2030);
  from.nodes = {test::supply("field", 20), test::junction("mid"), test::demand("city", 10)};
  from.pipelines = {test::pipe("one", "field", "mid", 0), test::pipe("two", "mid", "city", 0)};
  Scenario to = from;
  to.case_name = "to";
  to.pipelines[0].capacity = constant_series(10);
  to.pipelines[1].capacity = constant_series(10);
  const ExplainResult r = explain(from, to, "delivered");
  const Attribution& a = r.attributions.at(0);
  CHECK(a.one_at_a_time[0] == Approx(0.0).margin(1e-9));
  CHECK(a.one_at_a_time[1] == Approx(0.0).margin(1e-9));
  CHECK(a.shapley[0] == Approx(5.0));
  CHECK(a.shapley[1] == Approx(5.0));
  CHECK(a.interaction == Approx(10.0));
  CHECK(explain_csv(r) ==
        "scenario,kpi,unit,from_case,to_case,input,old_value,new_value,one_at_a_time,shapley,"
        "share\n"
        "test,delivered,bcm,base,to,pipelines.one.capacity,0 bcm/y,10 bcm/y,0.000000,5.000000,"
        "0.5000\n"
        "test,delivered,bcm,base,to,pipelines.two.capacity,0 bcm/y,10 bcm/y,0.000000,5.000000,"
        "0.5000\n"
        "test,delivered,bcm,base,to,(interaction),,,10.000000,,\n");

  // Sampled orders (exact_limit 1): each order gives one line 0 and the other 10, so the
  // estimates sum to 10 exactly and each is 5 within its standard error.
  const ExplainResult s = explain(from, to, "delivered", 1);
  CHECK(s.sampled);
  const Attribution& b = s.attributions.at(0);
  CHECK(b.shapley[0] + b.shapley[1] == Approx(10.0));
  CHECK(std::abs(b.shapley[0] - 5.0) <= 4.0 * b.shapley_se[0]);
  CHECK(b.shapley_se[0] > 0.0);
  CHECK(explain_csv(explain(from, to, "delivered", 1)) == explain_csv(s));  // same seed
}

TEST_CASE("explain: when the order of the changes matters, Shapley averages the orders",
          "[why][explain]") {
  // #E3: one line, from capacity 10 and demand 8 (delivered 8) to capacity 20 and demand 15
  // (delivered 15). Capacity first: +0, then demand +7; demand first: +2 (to the old 10),
  // then capacity +5. Shapley: capacity (0 + 5) / 2 = 2.5, demand (7 + 2) / 2 = 4.5;
  // one-at-a-time: 0 and 2, interaction 5.
  Scenario from = test::scenario(2030, 2030);
  from.nodes = {test::supply("field", 30), test::demand("city", 8)};
  from.pipelines = {test::pipe("line", "field", "city", 10)};
  Scenario to = from;
  to.case_name = "to";
  to.nodes[1].demand = constant_series(15);
  to.pipelines[0].capacity = constant_series(20);
  const ExplainResult r = explain(from, to, "delivered");
  REQUIRE(r.inputs.size() == 2);
  CHECK(r.inputs[0].name == "nodes.city.demand");
  CHECK(r.inputs[1].name == "pipelines.line.capacity");
  const Attribution& a = r.attributions.at(0);
  CHECK(a.one_at_a_time[0] == Approx(2.0));
  CHECK(a.one_at_a_time[1] == Approx(0.0).margin(1e-9));
  CHECK(a.shapley[0] == Approx(4.5));
  CHECK(a.shapley[1] == Approx(2.5));
  CHECK(a.interaction == Approx(5.0));
}

TEST_CASE("explain: a pipeline only one case has is an input; additive inputs sampled are exact",
          "[why][explain]") {
  // #E4: `to` adds a second 5 bcm/y line to a market of 10 that the first (5) half serves:
  // delivered 5 -> 10, all of it the new line's.
  Scenario from = test::scenario(2030, 2030);
  from.nodes = {test::supply("field", 30), test::demand("city", 10)};
  from.pipelines = {test::pipe("old", "field", "city", 5)};
  Scenario to = from;
  to.case_name = "to";
  to.pipelines.push_back(test::pipe("new", "field", "city", 5));
  ExplainResult r = explain(from, to, "delivered");
  REQUIRE(r.inputs.size() == 1);
  CHECK(r.inputs[0].name == "pipelines.new");
  CHECK(r.inputs[0].old_value == "absent");
  CHECK(r.inputs[0].new_value == "present");
  CHECK(r.attributions[0].shapley[0] == Approx(5.0));

  // #E5: 12 separate markets, line i from 1 to 2 bcm/y: 12 additive inputs of +1 each. The
  // sampled Shapley values are exact (every order gives each input +1), with no error.
  Scenario many = test::scenario(2030, 2030);
  for (int i = 0; i < 12; ++i) {
    const std::string k = std::to_string(i);
    many.nodes.push_back(test::supply("f" + k, 5));
    many.nodes.push_back(test::demand("c" + k, 5));
    many.pipelines.push_back(test::pipe("l" + k, "f" + k, "c" + k, 1));
  }
  Scenario more = many;
  more.case_name = "to";
  for (Pipeline& p : more.pipelines) p.capacity = constant_series(2);
  r = explain(many, more, "delivered");
  CHECK(r.sampled);
  CHECK(r.inputs.size() == 12);
  for (std::size_t i = 0; i < 12; ++i) {
    CHECK(r.attributions[0].shapley[i] == Approx(1.0));
    CHECK(r.attributions[0].shapley_se[i] == Approx(0.0).margin(1e-12));
    CHECK(r.attributions[0].one_at_a_time[i] == Approx(1.0));
  }
}

TEST_CASE("exact_shapley: the textbook glove game", "[why][explain]") {
  // Players 0 (left glove) and 1, 2 (right gloves): v = 1 for a coalition with a left and a
  // right glove. Shapley: 2/3, 1/6, 1/6.
  std::vector<double> f(8, 0.0);
  for (std::uint64_t m = 0; m < 8; ++m) f[m] = (m & 1u) && (m & 6u) ? 1.0 : 0.0;
  const std::vector<double> phi = exact_shapley(f, 3);
  CHECK(phi[0] == Approx(2.0 / 3.0));
  CHECK(phi[1] == Approx(1.0 / 6.0));
  CHECK(phi[2] == Approx(1.0 / 6.0));
}

}  // namespace
}  // namespace corridor
