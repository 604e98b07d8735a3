// The `uncertainty:` block in YAML (uncertainty.h, scenarios/README.md "Uncertainty"): values
// parsed with the units of the input they sample, samples and outages merged by id through
// `extends:` and alternatives (and removed by id), and every mistake reported at once, located,
// with what to try.
//
// Fixtures: tests/fixtures/uncertainty/.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>

#include "corridor/scenario_io.h"
#include "corridor/validate.h"
#include "test_helpers.h"

namespace corridor {
namespace {

LoadedScenario load(const std::string& path) {
  std::filesystem::current_path(CORRIDOR_SOURCE_DIR);
  return load_scenario(path);
}

const Sample& by_id(const Uncertainty& u, const std::string& id) {
  for (const Sample& s : u.samples) {
    if (s.id == id) return s;
  }
  FAIL("no sample '" << id << "'");
  throw;
}

TEST_CASE("samples are read with the units of the input they sample", "[uncertainty]") {
  const LoadedScenario l = load("tests/fixtures/uncertainty/base.yaml");
  const Uncertainty& u = l.cases.at(0)->uncertainty;
  CHECK(u.given);
  CHECK(u.draws == 500);
  CHECK(u.seed == 11);
  REQUIRE(u.samples.size() == 4);
  const Sample& demand = by_id(u, "demand");
  CHECK(demand.mode == ParamMode::Relative);  // the default for a series
  CHECK(demand.per == SamplePer::Year);       // implied by ar1
  CHECK(demand.ar1_rho == 0.9);
  CHECK(demand.group == "national");
  CHECK(demand.distribution.kind == DistributionKind::Triangular);
  CHECK(demand.distribution.mode == 1.0);
  CHECK(demand.path_where.line == 19);
  // A date: absolute by default; "2032-07" is the decimal year 2032.5.
  const Sample& start = by_id(u, "start");
  CHECK(start.mode == ParamMode::Absolute);
  CHECK(start.distribution.values == std::vector<double>{2031, 2032.5, 2034});
  CHECK(start.distribution.probabilities == std::vector<double>{0.2, 0.5, 0.3});
  // {median, p90} of a lognormal in USD/kcm: mu = ln 300, sigma = ln(400/300) / z90.
  const Sample& price = by_id(u, "price");
  CHECK(price.mode == ParamMode::Absolute);
  CHECK(price.distribution.mu == Approx(std::log(300.0)));
  CHECK(price.distribution.sigma == Approx(std::log(400.0 / 300.0) / 1.2815515655446004));
  CHECK(price.distribution.upper == 600.0);
  CHECK_FALSE(price.distribution.lower);
  const Sample& avail = u.samples[3];
  CHECK(avail.id.empty());
  CHECK(avail.distribution.kind == DistributionKind::Bernoulli);
  CHECK(avail.distribution.p == 0.1);  // 10 %
  CHECK(avail.per == SamplePer::Year);
  REQUIRE(u.outages.size() == 1);
  const OutageProcess& o = u.outages[0];
  CHECK(o.target == "pipelines.line");
  CHECK(o.rate_per_1000km_year == 0.08);
  CHECK(o.duration_days.kind == DistributionKind::Lognormal);
  CHECK(o.duration_days.mu == Approx(std::log(7.0)));
  CHECK(o.derate == 1.0);
  CHECK(validate(*l.cases[0]).empty());
}

TEST_CASE("alternatives change samples by id, add some and remove some", "[uncertainty]") {
  const LoadedScenario l = load("tests/fixtures/uncertainty/child.yaml");
  REQUIRE(l.cases.size() == 3);
  const Uncertainty& same = l.cases[0]->uncertainty;
  CHECK(same.draws == 200);  // the child's, over the parent's 500
  CHECK(same.seed == 11);    // the parent's
  CHECK(same.samples.size() == 4);
  CHECK(same.outages.size() == 1);
  const Uncertainty& later = l.cases[1]->uncertainty;
  CHECK(later.seed == 12);
  REQUIRE(later.samples.size() == 5);
  // `start` changed only its distribution; its other keys are inherited.
  const Sample& start = by_id(later, "start");
  CHECK(start.path == "pipelines.line.online");
  CHECK(start.distribution.values == std::vector<double>{2033, 2035});
  CHECK(later.samples[4].path == "pipelines.lng-line.capacity");
  CHECK(later.samples[4].distribution.lower == 0.0);
  CHECK(later.samples[4].distribution.upper == 40.0);
  const Uncertainty& fewer = l.cases[2]->uncertainty;
  CHECK(fewer.samples.size() == 3);
  CHECK(fewer.outages.empty());
  for (const auto& c : l.cases) CHECK_FALSE(has_errors(validate(*c)));
}

TEST_CASE("every mistake in an uncertainty block is reported at once, located", "[uncertainty]") {
  const std::string f = "tests/fixtures/uncertainty/errors.yaml:";
  const std::vector<std::string> expected = {
      f + "12:3: error: unknown key 'draw' in uncertainty; did you mean 'draws'?",
      f + "14:13: error: unknown section 'pipeline' in path 'pipeline.line.capacity'; did you "
          "mean 'pipelines'?",
      f + "16:13: error: unknown field 'onlin' of pipelines in path 'pipelines.line.onlin'; did "
          "you mean 'online'?",
      f + "23:22: error: mean of normal of sample 5: unknown unit 'Mt/d' in '11 Mt/d'; did you "
          "mean 'Mt/y'? accepted units: bcm/y, bcm/a, mcm/d, mcm/y, Bcf/d, Tcf/y, TWh/y, PJ/y, "
          "GWh/d, Mt/y (LNG)",
      f + "30:7: error: sample 7 gives two distributions, 'uniform' and 'normal'; keep one",
      f + "32:7: error: unknown key 'modes' in sample 8; did you mean 'mode'?",
      f + "19:7: error: the distribution of sample 3: the probabilities add up to 0.9, not 1; "
          "correct them so that they sum to 1",
      f + "20:13: error: sample 4 samples nodes.city.demand, which sample at line 18 samples "
          "too; sample each input once (use a group to move inputs together)",
      // Sample 6 (line 25) draws a supply cost per year: no error, since costs, tariffs and
      // transit fees are series (issue 18, section 1).
      f + "33:7: error: the distribution of sample 8 needs min <= mode <= max, got 0.9, 1.2, "
          "1.1; give them in that order",
      f + "34:12: error: rho of sample 8 must lie strictly between -1 and 1, got 1.5; 0.9 makes "
          "consecutive years move closely together",
      f + "34:12: error: sample 8 has ar1 but 'per: draw': one value for the horizon has no "
          "years to correlate; remove 'per: draw' (ar1 draws one value per year)",
      f + "31:13: error: sample 8 samples pipelines.line.availability, which sample at line 28 "
          "samples too; sample each input once (use a group to move inputs together)",
      f + "36:13: error: sample 9 shifts pipelines.line.online, which is not set; a relative "
          "date is a shift; give the date in the scenario, or use mode: absolute",
      f + "40:15: error: outage 1 targets route 'main', which cannot fail; outages take "
          "pipelines and supplies: pipelines.ID or supplies.ID",
      f + "44:13: error: outage 2 has a rate per length, but pipeline 'line' has no length; add "
          "'length: ... km' to the pipeline, or give the rate per year (/y)",
      f + "46:15: error: derate of outage 2 must lie in (0, 1], got 0; 100 % is a full outage",
  };
  CHECK(test::problems("tests/fixtures/uncertainty/errors.yaml") == expected);
}

TEST_CASE("warnings: a sample that no ensemble result depends on, a normal duration",
          "[uncertainty]") {
  Scenario s = test::scenario(2030, 2031);
  s.file = "w.yaml";
  s.nodes = {test::supply("f", 10), test::demand("c", 5)};
  s.pipelines = {test::pipe("p", "f", "c", 10)};
  s.pipelines[0].economics.capex_musd = 100;
  Sample x;
  x.path = "pipelines.p.capex";
  x.distribution.kind = DistributionKind::Uniform;
  x.distribution.min = 0.9, x.distribution.max = 1.1;
  x.where = x.path_where = {"w.yaml", 9, 13};
  OutageProcess o;
  o.target = "pipelines.p";
  o.rate_per_year = 0.5;
  o.duration_days.kind = DistributionKind::Normal;
  o.duration_days.mean = 5, o.duration_days.sd = 3;
  o.where = o.duration_where = {"w.yaml", 12, 17};
  s.uncertainty.samples = {x};
  s.uncertainty.outages = {o};
  std::vector<std::string> got;
  for (const Diagnostic& d : validate(s)) got.push_back(format_diagnostic(d));
  CHECK(got == std::vector<std::string>{
                   "w.yaml:9:13: warning: sample 1 varies capex, which does not change dispatch, "
                   "so no ensemble result depends on it; ensembles report volumes, shortfall and "
                   "dispatch cost; sample capacities, demands, dates, availabilities, costs or "
                   "tariffs",
                   "w.yaml:12:17: warning: the duration of outage 1 is normal, so some draws are "
                   "below 1 day; durations are rounded to whole days and at least 1; truncate it "
                   "or use lognormal"});
}

}  // namespace
}  // namespace corridor
