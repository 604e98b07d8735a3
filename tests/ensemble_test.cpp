// Ensembles (ensemble.h, random.h): the generator and the distribution transforms against
// closed forms, quantiles and statistics by hand, known answers with 10,000 draws within about
// four standard errors, byte-identical results for any thread count and any split into parts
// (as MPI ranks make them), and every draw cross-checked against `simulate()` of the same draw
// written out as a scenario.
#include "corridor/ensemble.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "corridor/ensemble_csv.h"
#include "corridor/random.h"
#include "test_helpers.h"

namespace corridor {
namespace {

using test::exactly;

// ---------------------------------------------------------------------------------------------
// The generator and the transforms

TEST_CASE("the counter-based stream: a number depends on its key and position only", "[ensemble]") {
  // SplitMix64 from state 0: its first outputs are published (Vigna's splitmix64.c test
  // vector): 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F.
  const RandomStream zero(0);
  CHECK(zero.bits(0) == 0xE220A8397B1DCDAFULL);
  CHECK(zero.bits(1) == 0x6E789E6AA1B965F4ULL);
  CHECK(zero.bits(2) == 0x06C45D188009454FULL);
  // Read out of order, or stepped through: the same numbers.
  RandomStream s(stream_key(42, 7, 3));
  const double second = s.uniform(1);
  CHECK(s.next() == s.uniform(0));
  CHECK(s.next() == second);
  CHECK(RandomStream(stream_key(42, 7, 4)).uniform(0) != s.uniform(0));
  CHECK(hash_text("group\x1f"
                  "demand") != hash_text("group\x1f"
                                         "demanD"));
  // Uniforms lie strictly inside (0, 1), and their mean and variance are those of U(0, 1).
  double sum = 0.0, sum2 = 0.0;
  const int n = 100'000;
  for (int k = 0; k < n; ++k) {
    const double u = RandomStream(stream_key(1, static_cast<std::uint64_t>(k))).uniform(0);
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    sum2 += u * u;
  }
  // Standard errors: sqrt(1/12 / n) = 0.00091 for the mean; the variance 1/12 +- 0.0003.
  CHECK(sum / n == Approx(0.5).margin(4 * 0.00091));
  CHECK(sum2 / n - (sum / n) * (sum / n) == Approx(1.0 / 12).margin(4 * 0.0003));
}

TEST_CASE("the normal quantile (AS 241) against published values", "[ensemble]") {
  CHECK(normal_quantile(0.5) == 0.0);
  CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-15));
  CHECK(normal_quantile(0.9) == Approx(1.2815515655446004).epsilon(1e-15));
  CHECK(normal_quantile(1e-10) == Approx(-6.361340902404056).epsilon(1e-14));
  CHECK(normal_quantile(0.025) == Approx(-normal_quantile(0.975)).epsilon(1e-14));
  for (double p : {1e-300, 1e-12, 0.001, 0.1, 0.3, 0.5, 0.7, 0.999, 1 - 1e-12}) {
    CAPTURE(p);
    CHECK(normal_cdf(normal_quantile(p)) == Approx(p).epsilon(1e-12));
  }
}

TEST_CASE("every transform inverts its distribution function", "[ensemble]") {
  Distribution tri;
  tri.kind = DistributionKind::Triangular;
  tri.min = 0.94, tri.mode = 1.0, tri.max = 1.10;
  Distribution logn;
  logn.kind = DistributionKind::Lognormal;
  logn.mu = std::log(7.0), logn.sigma = (std::log(25.0) - std::log(7.0)) / 1.2815515655446004;
  Distribution norm;
  norm.kind = DistributionKind::Normal;
  norm.mean = 10, norm.sd = 2;
  Distribution uni;
  uni.kind = DistributionKind::Uniform;
  uni.min = 2030, uni.max = 2035;
  for (const Distribution& d : {tri, logn, norm, uni}) {
    for (double u : {0.001, 0.05, 0.3, 0.5, 0.9, 0.999}) {
      CHECK(distribution_cdf(d, distribution_quantile(d, u)) == Approx(u).margin(1e-12));
    }
  }
  // #T1: the lognormal of the library's outages has median 7 and P90 25 days.
  CHECK(distribution_quantile(logn, 0.5) == Approx(7.0).epsilon(1e-14));
  CHECK(distribution_quantile(logn, 0.9) == Approx(25.0).epsilon(1e-12));
  // #T2: triangular(0.94, 1, 1.1): F(1) = 0.06 / 0.16 = 0.375, so u = 0.375 gives the mode.
  CHECK(distribution_quantile(tri, 0.375) == Approx(1.0).epsilon(1e-15));

  // Truncation: N(10, 2) on [11, 13] maps u = 0 and 1 to the ends, u = 0.5 to the median of
  // the truncated law: Phi^-1((Phi(0.5) + Phi(1.5)) / 2) x 2 + 10.
  Distribution t = norm;
  t.lower = 11, t.upper = 13;
  CHECK(distribution_quantile(t, 1e-17) == Approx(11.0));
  CHECK(distribution_quantile(t, 1 - 1e-16) == Approx(13.0));
  const double median = 10 + 2 * normal_quantile((normal_cdf(0.5) + normal_cdf(1.5)) / 2);
  CHECK(distribution_quantile(t, 0.5) == Approx(median).epsilon(1e-12));
  // Far in the upper tail, where 1 - F loses every digit: still inside and ordered.
  Distribution far = norm;
  far.lower = 10 + 2 * 12.0;
  const double a = distribution_quantile(far, 0.1), b = distribution_quantile(far, 0.9);
  CHECK(a > 34.0);
  CHECK(b > a);
  // The truncated law's median: Q(z) at half the tail mass above 12, z = 12.0575 (from the
  // tail expansion Q(z) ~ phi(z)/z: Q(12.0575) / Q(12) = 0.5 within 1e-4).
  CHECK(distribution_quantile(far, 0.5) == Approx(10 + 2 * 12.0575).margin(2e-3));

  Distribution disc;
  disc.kind = DistributionKind::Discrete;
  disc.values = {2030, 2031, 2033};
  disc.probabilities = {0.1, 0.3, 0.6};
  CHECK(distribution_quantile(disc, 0.05) == 2030);
  CHECK(distribution_quantile(disc, 0.1) == 2031);  // the first value whose sum exceeds u
  CHECK(distribution_quantile(disc, 0.3999) == 2031);
  CHECK(distribution_quantile(disc, 0.9999) == 2033);
  Distribution bern;
  bern.kind = DistributionKind::Bernoulli;
  bern.p = 0.3, bern.value = 0.0;
  CHECK(distribution_quantile(bern, 0.29) == 0.0);
  CHECK(std::isnan(distribution_quantile(bern, 0.31)));

  // Poisson by inversion: mean 0.24 has P(0) = e^-0.24 = 0.78663.
  CHECK(poisson_quantile(0.24, 0.786) == 0);
  CHECK(poisson_quantile(0.24, 0.787) == 1);
  CHECK(poisson_quantile(0.0, 0.999) == 0);
  CHECK(poisson_quantile(2.0, 0.5) == 2);  // F(1) = 0.406, F(2) = 0.677
}

TEST_CASE("quantiles interpolate as numpy.percentile does; statistics by hand", "[ensemble]") {
  // #Q1: x = 10, 20, 30, 40 (ticks). h = (n - 1) q: q 0.5 -> 1.5 -> 25; q 0.05 -> 0.15 -> 11.5;
  // q 0.95 -> 2.85 -> 38.5; q 0.9 -> 2.7 -> 37.
  const std::vector<std::int64_t> x = {10, 20, 30, 40};
  CHECK(quantile_sorted(x, 0.5) == 25.0);
  CHECK(quantile_sorted(x, 0.05) == Approx(11.5).epsilon(1e-15));
  CHECK(quantile_sorted(x, 0.95) == Approx(38.5).epsilon(1e-15));
  CHECK(quantile_sorted(x, 0.9) == Approx(37.0).epsilon(1e-15));
  CHECK(quantile_sorted({5}, 0.9) == 5.0);

  // #Q2: 21 values 0..20 shuffled: p05 at h = 1 is 1, p95 at 19 is 19, mean 10, sd of 0..20 with
  // n - 1 = sqrt(38.5); CVaR 95 % is the mean of the ceil(21 / 20) = 2 largest: 19.5; 20 of
  // the 21 are above 0.
  std::vector<std::int64_t> col;
  for (int k = 0; k < 21; ++k) col.push_back((k * 8) % 21);
  const ColumnStats s = column_stats(col);
  CHECK(s.mean == 10.0);
  CHECK(s.sd == Approx(std::sqrt(38.5)).epsilon(1e-14));
  CHECK(s.p05 == 1.0);
  CHECK(s.p10 == 2.0);
  CHECK(s.p50 == 10.0);
  CHECK(s.p95 == 19.0);
  CHECK(s.min == 0.0);
  CHECK(s.max == 20.0);
  CHECK(s.tail_mean_95 == 19.5);
  CHECK(s.positive_share == Approx(20.0 / 21).epsilon(1e-15));

  // Cells hold 32 bits; a value beyond them is kept exactly aside, and read back as it was.
  TickMatrix w;
  w.resize(2, 3);
  const std::int64_t row0[] = {-7, std::int64_t{1} << 40, INT32_MIN};
  const std::int64_t row1[] = {INT32_MAX, -(std::int64_t{1} << 50), INT32_MIN + 1};
  w.set_row(0, row0);
  w.set_row(1, row1);
  CHECK(w.at(0, 0) == -7);
  CHECK(w.at(0, 1) == std::int64_t{1} << 40);
  CHECK(w.at(0, 2) == INT32_MIN);  // the marker's own value is kept aside too
  CHECK(w.at(1, 0) == INT32_MAX);
  CHECK(w.at(1, 1) == -(std::int64_t{1} << 50));
  CHECK(w.at(1, 2) == INT32_MIN + 1);  // so is the no-value marker's
  std::vector<std::vector<std::int64_t>> cols;
  w.columns(1, 3, cols);
  CHECK(cols == std::vector<std::vector<std::int64_t>>{
                    {std::int64_t{1} << 40, -(std::int64_t{1} << 50)}, {INT32_MIN, INT32_MIN + 1}});
  CHECK(w.rows(0, 2) == std::vector<std::int64_t>{-7, std::int64_t{1} << 40, INT32_MIN, INT32_MAX,
                                                  -(std::int64_t{1} << 50), INT32_MIN + 1});
  CHECK(w.bytes() == 6 * 4 + 4 * 48);
  // No value (a utilisation at capacity 0) is a marker of its own, read back as kNoValue, and
  // the statistics leave it out: 4, 8 and no value have mean 6 over 2 draws.
  const std::int64_t none_row[] = {4, kNoValue, 8};
  w.set_row(0, none_row);
  CHECK(w.at(0, 1) == kNoValue);
  CHECK(w.bytes() == 6 * 4 + 2 * 48);
  std::vector<std::int64_t> with_none = {4, kNoValue, 8};
  const ColumnStats n = column_stats(with_none);
  CHECK(n.draws == 2);
  CHECK(n.mean == 6.0);
  CHECK(n.p50 == 6.0);
  CHECK(n.min == 4.0);
  std::vector<std::int64_t> all_none = {kNoValue, kNoValue};
  CHECK(column_stats(all_none).draws == 0);
  CHECK(format_ticks(1234567, 6) == "1.234567");
  CHECK(format_ticks(-5, 4) == "-0.0005");
  CHECK(format_ticks(0, 3) == "0.000");
  CHECK(format_ticks(42, 0) == "42");
}

TEST_CASE("statistics by selection and by counting equal those of a full sort", "[ensemble]") {
  // An independent method: sort everything, then read the ranks. Sizes around the tail's
  // rounding (19, 20, 21) and the quantiles' (1..4), narrow ranges (the counting path) and wide
  // ones (selection), ties and negative values.
  int checked = 0;
  for (std::size_t n : {1u, 2u, 3u, 4u, 5u, 19u, 20u, 21u, 99u, 100u, 101u, 1000u, 4097u}) {
    for (std::int64_t range :
         {std::int64_t{3}, std::int64_t{50}, std::int64_t{10'000}, std::int64_t{1} << 40}) {
      for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        CAPTURE(n, range, seed);
        std::vector<std::int64_t> x(n);
        for (std::size_t k = 0; k < n; ++k) {
          const RandomStream s(stream_key(seed, k));
          x[k] =
              static_cast<std::int64_t>(s.bits(0) % static_cast<std::uint64_t>(range)) - range / 3;
        }
        std::vector<std::int64_t> sorted = x;
        std::sort(sorted.begin(), sorted.end());
        const ColumnStats s = column_stats(x);
        CHECK(s.p05 == quantile_sorted(sorted, 0.05));
        CHECK(s.p10 == quantile_sorted(sorted, 0.10));
        CHECK(s.p50 == quantile_sorted(sorted, 0.50));
        CHECK(s.p90 == quantile_sorted(sorted, 0.90));
        CHECK(s.p95 == quantile_sorted(sorted, 0.95));
        CHECK(s.min == static_cast<double>(sorted.front()));
        CHECK(s.max == static_cast<double>(sorted.back()));
        const std::size_t tail = (n + 19) / 20;
        double top = 0;
        for (std::size_t k = n - tail; k < n; ++k) top += static_cast<double>(sorted[k]);
        CHECK(s.tail_mean_95 == Approx(top / static_cast<double>(tail)).epsilon(1e-12));
        ++checked;
      }
    }
  }
  CHECK(checked == 13 * 4 * 3);
}

// ---------------------------------------------------------------------------------------------
// Known answers, 10,000 draws

/// field -> line -> city, supply `supply`, pipeline `capacity`, demand `demand` (bcm/y).
Scenario one_line(double supply, double capacity, double demand, int start = 2030, int end = 2034) {
  Scenario s = test::scenario(start, end);
  s.file = "k.yaml";
  s.name = "known";
  s.nodes = {test::supply("field", supply, 100), test::demand("city", demand)};
  s.pipelines = {test::pipe("line", "field", "city", capacity, 5)};
  s.routes = {test::route("main", {"line"})};
  s.uncertainty.given = true;
  s.uncertainty.draws = 10'000;
  return s;
}

Sample sample(std::string path, Distribution d, ParamMode mode = ParamMode::Relative,
              SamplePer per = SamplePer::Draw) {
  Sample x;
  x.path = std::move(path);
  x.distribution = std::move(d);
  x.mode = mode;
  x.per = per;
  return x;
}

Distribution bernoulli(double p, double value) {
  Distribution d;
  d.kind = DistributionKind::Bernoulli;
  d.p = p, d.value = value;
  return d;
}
Distribution uniform(double lo, double hi) {
  Distribution d;
  d.kind = DistributionKind::Uniform;
  d.min = lo, d.max = hi;
  return d;
}
Distribution normal(double mean, double sd) {
  Distribution d;
  d.kind = DistributionKind::Normal;
  d.mean = mean, d.sd = sd;
  return d;
}

EnsembleResult run(const Scenario& s, EnsembleOptions o = {}) {
  REQUIRE_FALSE(has_errors(validate(s)));
  return run_ensemble({std::make_shared<const Scenario>(s)}, o);
}

/// The statistics of one metric of the first case.
ColumnStats stats_of(const EnsembleResult& r, int year, EnsembleEntity kind, EnsembleMetric m) {
  const CaseEnsemble& c = r.cases.at(0);
  for (std::size_t i = 0; i < c.metrics.size(); ++i) {
    const MetricKey& k = c.metrics[i];
    if (k.year == year && k.entity_kind == kind && k.metric == m) {
      std::vector<std::vector<std::int64_t>> one;
      c.values.columns(i, i + 1, one);
      return column_stats(one[0]);
    }
  }
  FAIL("no such metric");
  return {};
}

TEST_CASE("#K1 a pipeline out for the whole year with probability 0.3: P(shortfall) = 0.3",
          "[ensemble]") {
  Scenario s = one_line(10, 10, 10);
  // Each year on its own: availability x 0 with probability 0.3, else unchanged.
  s.uncertainty.samples = {sample("pipelines.line.availability", bernoulli(0.3, 0.0),
                                  ParamMode::Relative, SamplePer::Year)};
  const EnsembleResult r = run(s);
  const double se = std::sqrt(0.3 * 0.7 / 10'000);  // 0.0046
  for (int year = 2030; year <= 2034; ++year) {
    CAPTURE(year);
    const ColumnStats short_ = stats_of(r, year, EnsembleEntity::Market, EnsembleMetric::Shortfall);
    CHECK(short_.positive_share == Approx(0.3).margin(4 * se));
    // When short, all of it: expected unserved = 0.3 x 10 bcm.
    CHECK(short_.mean / 1e6 == Approx(3.0).margin(4 * 10 * se));
    CHECK(short_.max == 10e6);
  }
  // The years are independent: a draw short in 2030 is short in 2031 with probability 0.3.
  const CaseEnsemble& c = r.cases[0];
  std::size_t m30 = 0, m31 = 0;
  for (std::size_t i = 0; i < c.metrics.size(); ++i) {
    const MetricKey& k = c.metrics[i];
    if (k.entity_kind == EnsembleEntity::Market && k.metric == EnsembleMetric::Shortfall) {
      (k.year == 2030 ? m30 : k.year == 2031 ? m31 : i) = i;
    }
  }
  int both = 0, first = 0;
  for (std::size_t k = 0; k < 10'000; ++k) {
    first += c.value(static_cast<int>(k), m30) > 0;
    both += c.value(static_cast<int>(k), m30) > 0 && c.value(static_cast<int>(k), m31) > 0;
  }
  CHECK(static_cast<double>(both) / first == Approx(0.3).margin(4 * std::sqrt(0.21 / first)));
}

TEST_CASE("#K2 an online year uniform over 2030-2034: P(volume > 0 in 2032) = 0.6", "[ensemble]") {
  Scenario s = one_line(10, 10, 10, 2028, 2036);
  s.pipelines[0].online = YearMonth{2040, 0};
  // A decimal year uniform on [2030, 2035): any month of 2030..2034, each year with 0.2.
  s.uncertainty.samples = {
      sample("pipelines.line.online", uniform(2030, 2035), ParamMode::Absolute)};
  const EnsembleResult r = run(s);
  const double se = std::sqrt(0.6 * 0.4 / 10'000);  // 0.0049
  CHECK(stats_of(r, 2032, EnsembleEntity::Route, EnsembleMetric::Volume).positive_share ==
        Approx(0.6).margin(4 * se));
  CHECK(stats_of(r, 2029, EnsembleEntity::Route, EnsembleMetric::Volume).positive_share == 0.0);
  CHECK(stats_of(r, 2035, EnsembleEntity::Route, EnsembleMetric::Volume).positive_share == 1.0);
  // P(online) in ensemble_risk.csv is the same share, from the route's capacity.
  const ColumnStats online = stats_of(r, 2030, EnsembleEntity::Route, EnsembleMetric::Capacity);
  CHECK(online.positive_share == Approx(0.2).margin(4 * std::sqrt(0.16 / 10'000)));
  // Utilisation has a value only in the draws with capacity (as `run` leaves it empty at
  // capacity 0): about 2,000 draws in 2030, each of them 1 (10 bcm/y of demand on 10 bcm/y,
  // for the months online); none in 2029, every draw from 2035.
  const ColumnStats use = stats_of(r, 2030, EnsembleEntity::Route, EnsembleMetric::Utilisation);
  CHECK(use.draws == std::llround(online.positive_share * 10'000));
  CHECK(use.min == 1e4);
  CHECK(stats_of(r, 2029, EnsembleEntity::Pipeline, EnsembleMetric::Utilisation).draws == 0);
  CHECK(stats_of(r, 2035, EnsembleEntity::Pipeline, EnsembleMetric::Utilisation).draws == 10'000);
}

TEST_CASE("#K3 demand Normal(10, 2) against capacity 11: P(shortfall) and expected unserved",
          "[ensemble]") {
  Scenario s = one_line(20, 11, 10);
  s.uncertainty.samples = {sample("nodes.city.demand", normal(10, 2), ParamMode::Absolute)};
  const EnsembleResult r = run(s);
  // z = (C - mu) / sigma = 0.5: P(shortfall) = 1 - Phi(0.5) = 0.308538; expected unserved
  // = sigma phi(z) - (C - mu)(1 - Phi(z)) = 2 x 0.352065 - 1 x 0.308538 = 0.395593 bcm.
  const double z = 0.5;
  const double p = 1.0 - normal_cdf(z);
  const double phi = std::exp(-z * z / 2) / std::sqrt(2 * M_PI);
  const double unserved = 2 * phi - 1 * p;
  CHECK(p == Approx(0.308538).margin(1e-6));
  CHECK(unserved == Approx(0.395593).margin(1e-6));
  for (int year = 2030; year <= 2034; ++year) {
    const ColumnStats sf = stats_of(r, year, EnsembleEntity::Market, EnsembleMetric::Shortfall);
    CHECK(sf.positive_share == Approx(p).margin(4 * std::sqrt(p * (1 - p) / 10'000)));
    CHECK(sf.mean / 1e6 == Approx(unserved).margin(4 * sf.sd / 1e6 / 100));
    // The demand itself: mean 10, sd 2.
    const ColumnStats d = stats_of(r, year, EnsembleEntity::Market, EnsembleMetric::Demand);
    CHECK(d.mean / 1e6 == Approx(10).margin(4 * 2.0 / 100));
    CHECK(d.sd / 1e6 == Approx(2).margin(4 * 2.0 / std::sqrt(2 * 10'000.0)));
  }
}

// ---------------------------------------------------------------------------------------------
// Determinism, and every draw against simulate()

/// A case that exercises every path: a relative demand per year through AR(1), a capacity per
/// draw, a date, a bernoulli availability, a sampled supply cost, and a route over two lines.
Scenario busy(Resolution resolution = Resolution::Year) {
  Scenario s = test::scenario(2030, 2036, resolution);
  s.file = "busy.yaml";
  s.name = "busy";
  s.nodes = {test::supply("west", 30, 120), test::supply("east", 25, 150), test::junction("hub"),
             test::demand("north", 18), test::demand("south", 14, 2)};
  s.nodes[3].demand = test::series({{2030, 16}, {2036, 24}}, Interpolation::Linear);
  s.pipelines = {
      test::pipe("w-hub", "west", "hub", 22, 10), test::pipe("e-hub", "east", "hub", 20, 4),
      test::pipe("hub-n", "hub", "north", 20, 2), test::pipe("hub-s", "hub", "south", 14, 3),
      test::pipe("e-s", "east", "south", 6, 12)};
  s.pipelines[1].online = YearMonth{2032, 7};
  s.pipelines[1].ramp_up = {0.3, 0.6};
  s.routes = {test::route("west-north", {"w-hub", "hub-n"}, "w-hub"),
              test::route("east-south", {"e-s"})};
  Uncertainty& u = s.uncertainty;
  u.given = true;
  u.draws = 60;
  u.seed = 99;
  Distribution tri;
  tri.kind = DistributionKind::Triangular;
  tri.min = 0.8, tri.mode = 1.0, tri.max = 1.3;
  Sample demand = sample("nodes.north.demand", tri, ParamMode::Relative, SamplePer::Year);
  demand.ar1_rho = 0.8;
  Distribution when;
  when.kind = DistributionKind::Discrete;
  when.values = {2031, 2032.5, 2034};
  when.probabilities = {0.2, 0.5, 0.3};
  Sample cost = sample("supplies.west.cost", uniform(0.7, 1.6));
  cost.id = "west-price";
  u.samples = {demand, sample("pipelines.hub-n.capacity", uniform(0.6, 1.2)),
               sample("pipelines.e-hub.online", when, ParamMode::Absolute),
               sample("pipelines.e-s.availability", bernoulli(0.25, 0.0), ParamMode::Relative,
                      SamplePer::Year),
               cost};
  // The case's own event (a derate through February and March 2033) and random outages on a
  // pipeline and a supply, with rates high enough that most draws have some; hub-n has both,
  // and e-hub is out for a quarter of its days in 2034 on top of them.
  Event winter;
  winter.id = "winter";
  winter.target = "hub-n";
  winter.from = {2033, 2, 0};
  winter.to = {2033, 3, 0};
  winter.derate = 0.5;
  Event slow;
  slow.id = "slow";
  slow.target = "east";
  slow.from = {2034, 1, 10};
  slow.to = {2034, 4, 15};
  slow.capacity_left = 10;
  s.events = {winter, slow};
  OutageProcess hub;
  hub.id = "hub";
  hub.target = "pipelines.hub-*";
  hub.rate_per_year = 1.5;
  hub.duration_days.kind = DistributionKind::Lognormal;
  hub.duration_days.mu = std::log(12.0), hub.duration_days.sigma = 0.8;
  OutageProcess field;
  field.target = "supplies.east";
  field.rate_per_year = 0.8;
  field.duration_days = uniform(20, 60);
  field.derate = 0.6;
  u.outages = {hub, field};
  return s;
}

/// A day counted from 1970-01-01 as a dated event's day.
Date day_date(int day) {
  const std::chrono::year_month_day d{std::chrono::sys_days{std::chrono::days{day}}};
  return {static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month())),
          static_cast<int>(static_cast<unsigned>(d.day()))};
}

/// Draw k of `e` written out as a scenario: every recorded input applied to the case.
Scenario materialise(const Scenario& base, const CaseEnsemble& e, int k) {
  Scenario s = base;
  const std::size_t row = static_cast<std::size_t>(k - e.first) * e.input_slots;
  int slot = 0;
  for (const EnsembleInput& in : e.inputs) {
    const Sample& x = base.uncertainty.samples[in.sample];
    std::vector<Diagnostic> d;
    const std::vector<ParamTarget> all = resolve_param(base, in.path, {}, d);
    REQUIRE(all.size() == 1);
    const ParamTarget& t = all[0];
    if (!in.per_year) {
      const double drawn = e.drawn[row + slot++];
      if (std::isnan(drawn)) {
        apply_param(base, s, t, ParamMode::Relative, 1.0);
      } else {
        apply_param(base, s, t, x.mode, drawn);
      }
      continue;
    }
    std::vector<double> values;
    for (int year : e.years) {
      const double drawn = e.drawn[row + slot++];
      values.push_back(!std::isnan(drawn)              ? drawn
                       : x.mode == ParamMode::Relative ? 1.0
                                                       : read_param(base, t, year));
    }
    apply_param_by_year(base, s, t, x.mode, e.years.front(), values);
  }
  // The draw's random outages, listed by draw_case_outages, as dated events (last day
  // inclusive) beside the case's own.
  int n = 0;
  for (const EnsembleOutage& o : draw_case_outages(base, e.seed, k)) {
    Event ev;
    ev.id = "random-" + std::to_string(++n);
    ev.target = o.pipeline ? base.pipelines[o.entity].id : base.nodes[o.entity].id;
    ev.from = day_date(o.span.first_day);
    ev.to = day_date(o.span.end_day - 1);
    ev.derate = o.span.derate;
    s.events.push_back(ev);
  }
  return s;
}

/// The tick of metric `k` in the result of simulate(), read through the test's own lookups.
std::int64_t expected(const CaseResult& r, const MetricKey& k) {
  const test::Rows rows = test::at(r, k.year, 0, k.commodity);
  const Scenario& s = rows.scenario;
  auto v = [](double x) { return std::llround(x * 1e6); };
  // A utilisation: empty in run's files at capacity 0, no value in the ensemble (kNoValue).
  auto f = [](std::optional<double> x) { return x ? std::llround(*x * 1e4) : kNoValue; };
  switch (k.entity_kind) {
    case EnsembleEntity::Route: {
      const std::string& id = s.routes[k.entity].id;
      if (k.metric == EnsembleMetric::Volume) return v(rows.route_volume(id));
      if (k.metric == EnsembleMetric::Capacity) return v(rows.route_capacity(id));
      return f(utilisation(rows.route_volume(id), rows.route_capacity(id)));
    }
    case EnsembleEntity::Market: {
      const std::string& id = s.nodes[k.entity].id;
      if (k.metric == EnsembleMetric::Demand) return v(rows.demand(id));
      if (k.metric == EnsembleMetric::Delivered) return v(rows.delivered(id));
      return v(rows.shortfall(id));
    }
    case EnsembleEntity::Pipeline: {
      const std::string& id = s.pipelines[k.entity].id;
      if (k.metric == EnsembleMetric::Flow) return v(rows.flow(id));
      return f(utilisation(rows.flow(id), rows.capacity(id)));
    }
    case EnsembleEntity::Case:
      switch (k.metric) {
        case EnsembleMetric::Demand:
          return v(rows.row.total_demand());
        case EnsembleMetric::Supplied:
          return v(rows.row.supplied());
        case EnsembleMetric::Delivered:
          return v(rows.row.total_delivered());
        case EnsembleMetric::Shortfall:
          return v(rows.row.total_shortfall());
        default:
          return std::llround(rows.row.cost_musd * 1e3);
      }
  }
  return 0;
}

TEST_CASE("#K4 a sampled demand keeps its node's turnaround: March off in every draw",
          "[ensemble][oil]") {
  // The city's demand is drawn uniformly from 8 to 12 bcm/y; the city takes nothing in March
  // 2031 (an event on the demand node: a refinery turnaround). 2030: demand = the draw d;
  // 2031: d x (365 - 31) / 365 = d x 0.915068. The line (20) carries it all: no shortfall.
  Scenario s = one_line(20, 20, 10, 2030, 2031);
  s.uncertainty.draws = 200;
  s.uncertainty.samples = {sample("nodes.city.demand", uniform(8, 12), ParamMode::Absolute)};
  Event turnaround;
  turnaround.id = "turnaround";
  turnaround.target = "city";
  turnaround.from = {2031, 3, 0};
  turnaround.to = {2031, 3, 0};
  turnaround.derate = 1.0;
  s.events = {turnaround};
  EnsembleOptions o;
  o.keep_inputs = true;
  const EnsembleResult r = run(s, o);
  const CaseEnsemble& e = r.cases[0];
  REQUIRE(e.input_slots == 1);
  auto metric = [&](int year, EnsembleMetric m) {
    for (std::size_t i = 0; i < e.metrics.size(); ++i) {
      const MetricKey& k = e.metrics[i];
      if (k.year == year && k.entity_kind == EnsembleEntity::Market && k.metric == m) return i;
    }
    FAIL("no such metric");
    return std::size_t{0};
  };
  for (int k = 0; k < e.draws; ++k) {
    const double d = e.drawn[static_cast<std::size_t>(k)];
    CAPTURE(k, d);
    REQUIRE(d >= 8.0);
    REQUIRE(d <= 12.0);
    CHECK(std::llabs(e.value(k, metric(2030, EnsembleMetric::Demand)) - std::llround(d * 1e6)) <=
          1);
    CHECK(std::llabs(e.value(k, metric(2031, EnsembleMetric::Demand)) -
                     std::llround(d * 334.0 / 365.0 * 1e6)) <= 1);
    CHECK(e.value(k, metric(2031, EnsembleMetric::Shortfall)) == 0);
    // And the same as simulate() of the draw written out.
    const CaseResult sim = simulate(materialise(s, e, k));
    REQUIRE_FALSE(sim.failure);
    CHECK(e.value(k, metric(2031, EnsembleMetric::Demand)) ==
          expected(sim, e.metrics[metric(2031, EnsembleMetric::Demand)]));
  }
}

/// busy() with discrete inputs only, so that draws repeat bounds (and costs) and reuse
/// solutions: the unperturbed case's, and a thread's memo.
Scenario repeating(Resolution resolution = Resolution::Year) {
  Scenario s = busy(resolution);
  Distribution price;
  price.kind = DistributionKind::Discrete;
  price.values = {1.0, 1.2};  // 1.0: the case's own price
  price.probabilities = {0.5, 0.5};
  std::vector<Sample>& x = s.uncertainty.samples;
  x.erase(x.begin(), x.begin() + 2);  // the continuous demand and capacity
  x.back().distribution = price;
  s.uncertainty.outages.clear();  // random days never repeat; the dated events stay
  return s;
}

/// `s` with a storage node beside `south`: with monthly resolution a year is one 12-layer solve,
/// and the ensemble dispatches each draw in full.
Scenario with_storage(Scenario s) {
  Node n;
  n.id = "ugs";
  n.kind = NodeKind::Storage;
  n.working_volume = 1.5;
  n.injection = constant_series(6);
  n.withdrawal = constant_series(9);
  s.nodes.push_back(n);
  s.pipelines.push_back(test::bidirectional_pipe("ugs-link", "south", "ugs", 12, 1));
  s.uncertainty.draws = 12;
  return s;
}

TEST_CASE("every draw equals simulate() of the same draw written out as a scenario", "[ensemble]") {
  for (const Scenario& s : {busy(), busy(Resolution::Month), repeating(),
                            repeating(Resolution::Month), with_storage(busy(Resolution::Month))}) {
    CAPTURE(s.resolution == Resolution::Month, s.uncertainty.samples.size());
    EnsembleOptions o;
    o.keep_inputs = true;
    o.threads = 2;
    const EnsembleResult r = run(s, o);
    const CaseEnsemble& e = r.cases[0];
    REQUIRE(e.last == s.uncertainty.draws);
    CHECK(e.solved > 0);
    // With discrete inputs only, both kinds of reuse happen.
    if (s.uncertainty.samples.size() == 3) {
      CHECK(e.reused_base > 0);
      CHECK(e.reused_memo > 0);
    }
    CHECK(e.periods == e.solved + e.reused_base + e.reused_memo);
    std::set<std::int64_t> costs;
    for (int k = 0; k < e.draws; ++k) {
      CAPTURE(k);
      const CaseResult sim = simulate(materialise(s, e, k));
      REQUIRE_FALSE(sim.failure);
      for (std::size_t m = 0; m < e.metrics.size(); ++m) {
        const MetricKey& key = e.metrics[m];
        CAPTURE(key.year, entity_kind_name(key.entity_kind), metric_name(key.metric), key.entity);
        REQUIRE(e.value(k, m) == expected(sim, key));
        if (key.entity_kind == EnsembleEntity::Case && key.metric == EnsembleMetric::Cost) {
          costs.insert(e.value(k, m));
        }
      }
    }
    CHECK(costs.size() > 1);  // the sampled cost moved the cost
    if (!s.uncertainty.outages.empty()) {
      int with_outages = 0;
      for (int k = 0; k < e.draws; ++k) with_outages += !draw_case_outages(s, e.seed, k).empty();
      CHECK(with_outages > e.draws / 2);  // most draws dispatched some random outage
    }
  }
}

TEST_CASE("results are identical for 1, 2 and 4 threads and for any split into parts",
          "[ensemble]") {
  // busy() period by period; with storage by month, each draw dispatched in full.
  const Scenario s = GENERATE(busy(), with_storage(busy(Resolution::Month)));
  const auto member = std::make_shared<const Scenario>(s);
  auto csvs = [](const EnsembleResult& r) {
    const EnsembleStats st = summarise(r, 1);
    std::string draws, inputs;
    for (auto next = draws_csv(r, 1000); next(draws);) {
    }
    for (auto next = inputs_csv(r, 1000); next(inputs);) {
    }
    std::string outages;
    for (auto next = outages_csv(r, 1000); next(outages);) {
    }
    CHECK(outages.size() > 500);
    return ensemble_summary_csv(r, st) + ensemble_risk_csv(r, st) + draws + inputs + outages;
  };
  EnsembleOptions o;
  o.keep_inputs = true;
  o.threads = 1;
  const std::string one = csvs(run_ensemble({member}, o));
  o.threads = 2;
  CHECK(csvs(run_ensemble({member}, o)) == one);
  o.threads = 4;
  CHECK(csvs(run_ensemble({member}, o)) == one);
  // Three parts, as three MPI ranks compute them, assembled as rank 0 does.
  for (int parts : {2, 3}) {
    o.parts = parts;
    o.part = 0;
    EnsembleResult root = run_ensemble({member}, o);
    extend_to_all_draws(root.cases[0]);
    for (int part = 1; part < parts; ++part) {
      o.part = part;
      const EnsembleResult other = run_ensemble({member}, o);
      const CaseEnsemble& c = other.cases[0];
      unpack_part(root.cases[0], c.first, c.last, pack_values(c), pack_inputs(c));
    }
    CHECK(csvs(root) == one);
  }
}

TEST_CASE("a group shares its draws; adding a sample leaves the others' draws alone",
          "[ensemble]") {
  Scenario s = busy();
  s.uncertainty.samples.resize(2);
  s.uncertainty.samples[0].ar1_rho.reset();
  s.uncertainty.samples[0].per = SamplePer::Draw;
  s.uncertainty.samples[0].group = "g";
  s.uncertainty.samples[1].group = "g";
  EnsembleOptions o;
  o.keep_inputs = true;
  const EnsembleResult grouped = run(s, o);
  const CaseEnsemble& e = grouped.cases[0];
  // Same uniform: triangular(0.8, 1, 1.3) and uniform(0.6, 1.2) at the same u, so the drawn
  // factors are the two quantiles of one u: ranked alike, draw by draw.
  for (int k = 0; k + 1 < e.draws; ++k) {
    const double a0 = e.drawn[k * 2], b0 = e.drawn[k * 2 + 1];
    const double a1 = e.drawn[(k + 1) * 2], b1 = e.drawn[(k + 1) * 2 + 1];
    CHECK((a0 < a1) == (b0 < b1));
  }
  // Without the group the second input draws on its own stream...
  Scenario alone = s;
  alone.uncertainty.samples[0].group.clear();
  alone.uncertainty.samples[1].group.clear();
  const EnsembleResult r1 = run(alone, o);
  // ...which a third sample does not disturb.
  alone.uncertainty.samples.push_back(sample("supplies.east.cost", uniform(0.5, 1.5)));
  const EnsembleResult r2 = run(alone, o);
  for (int k = 0; k < e.draws; ++k) {
    CHECK(r1.cases[0].drawn[k * 2] == r2.cases[0].drawn[k * 3]);
    CHECK(r1.cases[0].drawn[k * 2 + 1] == r2.cases[0].drawn[k * 3 + 1]);
  }
}

TEST_CASE("draws outside an input's range are clamped and counted", "[ensemble]") {
  Scenario s = one_line(20, 11, 10);
  s.uncertainty.draws = 400;
  s.uncertainty.samples = {sample("nodes.city.demand", normal(1, 1))};  // below 0 in 16 %
  const EnsembleResult r = run(s);
  const CaseEnsemble& e = r.cases[0];
  REQUIRE(e.clamped.size() == 1);
  CHECK(e.clamped[0] > 40);
  CHECK(e.clamped[0] < 90);
  CHECK(stats_of(r, 2030, EnsembleEntity::Market, EnsembleMetric::Demand).min == 0.0);
}

TEST_CASE("random outages: Poisson counts, uniform start days, durations in whole days",
          "[ensemble]") {
  OutageProcess o;
  o.duration_days.kind = DistributionKind::Lognormal;
  o.duration_days.mu = std::log(7.0);
  o.duration_days.sigma = (std::log(25.0) - std::log(7.0)) / 1.2815515655446004;
  o.derate = 0.5;
  // #O1: PoS-1's 3,000 km at 0.08 per 1000 km and year = 0.24 events a year. Over 20,000
  // target-years: mean 0.24 (se sqrt(0.24 / 20000) = 0.0035); P(none) = e^-0.24 = 0.7866.
  const int n = 20'000;
  int events = 0, none = 0, first_half = 0;
  std::vector<int> lengths;
  const int jan1 = static_cast<int>(
      std::chrono::sys_days{std::chrono::year{2030} / 1 / 1}.time_since_epoch().count());
  for (int k = 0; k < n; ++k) {
    const std::vector<DrawnOutage> v = draw_outages(o, 0.24, stream_key(5, k), 2030, 2030);
    events += static_cast<int>(v.size());
    none += v.empty();
    for (const DrawnOutage& d : v) {
      REQUIRE(d.first_day >= jan1);
      REQUIRE(d.first_day < jan1 + 365);
      REQUIRE(d.end_day > d.first_day);
      REQUIRE(d.derate == 0.5);
      first_half += d.first_day < jan1 + 182;
      lengths.push_back(d.end_day - d.first_day);
    }
  }
  CHECK(static_cast<double>(events) / n == Approx(0.24).margin(4 * 0.0035));
  CHECK(static_cast<double>(none) / n == Approx(std::exp(-0.24)).margin(4 * 0.0029));
  CHECK(static_cast<double>(first_half) / events ==
        Approx(182.0 / 365).margin(4 * std::sqrt(0.25 / events)));
  // Median 7 days, P90 25 days, rounded to whole days.
  std::sort(lengths.begin(), lengths.end());
  CHECK(lengths[lengths.size() / 2] == 7);
  CHECK(lengths[lengths.size() * 9 / 10] == Approx(25).margin(2));
  // The same key, the same outages; years draw on their own streams.
  CHECK(draw_outages(o, 3.0, 77, 2030, 2031).size() ==
        draw_outages(o, 3.0, 77, 2030, 2030).size() + draw_outages(o, 3.0, 77, 2031, 2031).size());
}

/// The shortfall of `city` in `year` in every draw of the first case, in ticks.
std::vector<std::int64_t> shortfall_ticks(const EnsembleResult& r, int year) {
  const CaseEnsemble& c = r.cases.at(0);
  for (std::size_t m = 0; m < c.metrics.size(); ++m) {
    const MetricKey& key = c.metrics[m];
    if (key.year != year || key.entity_kind != EnsembleEntity::Market ||
        key.metric != EnsembleMetric::Shortfall) {
      continue;
    }
    std::vector<std::int64_t> out;
    for (int k = c.first; k < c.last; ++k) out.push_back(c.value(k, m));
    return out;
  }
  FAIL("no shortfall metric");
  return {};
}

OutageProcess outage_of(std::string target, double rate, Distribution days, double derate = 1) {
  OutageProcess o;
  o.target = std::move(target);
  o.rate_per_year = rate;
  o.duration_days = std::move(days);
  o.derate = derate;
  return o;
}

TEST_CASE("#O2 random outages are dated events: listed per draw, each day costs a day's flow",
          "[ensemble]") {
  // One field of 10 bcm/y feeds a city of 10 through a line of 10 bcm/y, 2030-2034: every day
  // the line is out, the city misses 10 / 365 bcm (10 / 366 in 2032).
  Scenario s = one_line(10, 10, 10);
  s.uncertainty.draws = 400;
  s.uncertainty.seed = 12;
  s.uncertainty.outages = {outage_of("pipelines.line", 0.5, uniform(10, 10))};
  s.uncertainty.outages[0].id = "line-trip";
  const EnsembleResult r = run(s);
  const CaseEnsemble& e = r.cases[0];

  // #O2a, pinned: seed 12, draw 0 draws exactly these outages (draw_case_outages; 10 days
  // each, the whole line out). A change here means the random streams changed, which changes
  // every user's results for their seed: say so when it does.
  std::vector<std::string> listed;
  for (const EnsembleOutage& o : draw_case_outages(s, 12, 0)) {
    const Date a = day_date(o.span.first_day), b = day_date(o.span.end_day - 1);
    char text[64];
    std::snprintf(text, sizeof text, "%d-%02d-%02d..%d-%02d-%02d %g", a.year, a.month, a.day,
                  b.year, b.month, b.day, o.span.derate);
    listed.push_back(text);
    CHECK(o.pipeline);
    CHECK(o.entity == 0);
    CHECK(o.process == 0);
  }
  CHECK(listed == std::vector<std::string>{"2030-01-16..2030-01-25 1", "2030-06-13..2030-06-22 1",
                                           "2030-07-30..2030-08-08 1", "2032-04-05..2032-04-14 1",
                                           "2033-05-12..2033-05-21 1", "2034-11-13..2034-11-22 1"});
  // 2030: three outages, 30 days: 30 x 10 / 365 = 0.821918; 2031: none; 2032 (a leap
  // year): 10 x 10 / 366 = 0.273224; 2033 and 2034: 0.273973 each.
  const std::vector<std::int64_t> pinned = {821918, 0, 273224, 273973, 273973};
  for (int year = 2030; year <= 2034; ++year) {
    CAPTURE(year);
    CHECK(shortfall_ticks(r, year)[0] == pinned[year - 2030]);
  }

  // #O2b, every draw: the shortfall of each year is 10 bcm x the days out / the days of the
  // year, the days out counted here one by one from the listed outages (overlaps once).
  for (int year = 2030; year <= 2034; ++year) {
    const std::vector<std::int64_t> got = shortfall_ticks(r, year);
    const int jan1 = day_number(year, 1, 1), days = days_in_year(year);
    for (int k = 0; k < e.draws; ++k) {
      std::vector<char> out(static_cast<std::size_t>(days), 0);
      for (const EnsembleOutage& o : draw_case_outages(s, 12, k)) {
        for (int d = std::max(o.span.first_day, jan1); d < std::min(o.span.end_day, jan1 + days);
             ++d) {
          out[static_cast<std::size_t>(d - jan1)] = 1;
        }
      }
      const int lost = static_cast<int>(std::count(out.begin(), out.end(), 1));
      CAPTURE(year, k, lost);
      CHECK(std::llabs(got[k] - std::llround(10.0 * lost / days * 1e6)) <= 1);
    }
  }
}

TEST_CASE("#O5 an outage on a supply keeps its ramp: bounds as run computes them", "[ensemble]") {
  // The field (10 bcm/y) comes online in January 2030 at half its rate (ramp_up 50 %, 100 %),
  // the line and city take 10. Outages on the field (3 a year, 4 days, the whole field) count
  // against the ramped rate: 2030 is short 10 - 5 x (365 - days out) / 365, 2031
  // 10 x days out / 365. Without the ramp the fast path would give 2030 only the days out.
  Scenario s = one_line(10, 10, 10, 2030, 2031);
  s.nodes[0].online = YearMonth{2030, 0};
  s.nodes[0].ramp_up = {0.5, 1.0};
  s.uncertainty.draws = 100;
  s.uncertainty.seed = 7;
  s.uncertainty.outages = {outage_of("nodes.field", 3.0, uniform(4, 4))};
  const EnsembleResult r = run(s);
  const CaseEnsemble& e = r.cases[0];
  int with_outage = 0;
  for (int year = 2030; year <= 2031; ++year) {
    const std::vector<std::int64_t> got = shortfall_ticks(r, year);
    const int jan1 = day_number(year, 1, 1), days = days_in_year(year);
    const double rate = year == 2030 ? 5.0 : 10.0;
    for (int k = 0; k < e.draws; ++k) {
      std::vector<char> out(static_cast<std::size_t>(days), 0);
      for (const EnsembleOutage& o : draw_case_outages(s, 7, k)) {
        CHECK_FALSE(o.pipeline);
        for (int d = std::max(o.span.first_day, jan1); d < std::min(o.span.end_day, jan1 + days);
             ++d) {
          out[static_cast<std::size_t>(d - jan1)] = 1;
        }
      }
      const int lost = static_cast<int>(std::count(out.begin(), out.end(), 1));
      with_outage += lost > 0;
      const double expected = 10.0 - rate * (days - lost) / days;
      CAPTURE(year, k, lost);
      CHECK(std::llabs(got[k] - std::llround(expected * 1e6)) <= 1);
    }
  }
  CHECK(with_outage > 100);  // most draw-years have an outage (P(none) = e^-3 a year)
}

TEST_CASE("#O6 a sampled seller's capacity keeps its spot rule: spot: false, split spot arcs",
          "[ensemble]") {
  // (a) A field that sells only under contract (spot: false) and has none sells nothing
  // (scenario validation warns), whatever its sampled capacity; a dear field serves the city.
  // (b) A field with a 1 bcm/y contract and spot sales, capacity 8 in the case and 10 or 12
  // in a draw, for a city of 12: the city gets the drawn capacity (the contract's 1 and the
  // rest spot), not the case's 8 + 1.
  Distribution capacity;
  capacity.kind = DistributionKind::Discrete;
  capacity.values = {10, 12};
  capacity.probabilities = {0.5, 0.5};
  {
    Scenario s = one_line(8, 20, 12, 2030, 2030);
    s.nodes[0].spot = false;
    s.nodes.push_back(test::supply("dear", 20, 500));
    s.pipelines.push_back(test::pipe("dear-line", "dear", "city", 20, 5));
    s.uncertainty.samples = {sample("nodes.field.capacity", capacity, ParamMode::Absolute)};
    s.uncertainty.draws = 20;
    const EnsembleResult r = run(s);
    const ColumnStats route = stats_of(r, 2030, EnsembleEntity::Route, EnsembleMetric::Volume);
    CHECK(route.max == 0.0);  // the route runs over the field's line
    CHECK(stats_of(r, 2030, EnsembleEntity::Market, EnsembleMetric::Shortfall).max == 0.0);
  }
  {
    Scenario s = one_line(8, 20, 12, 2030, 2030);
    Contract c;
    c.id = "field-spa";
    c.seller = "field";
    c.acq = constant_series(1);
    s.contracts = {c};
    s.uncertainty.samples = {sample("nodes.field.capacity", capacity, ParamMode::Absolute)};
    s.uncertainty.draws = 40;
    EnsembleOptions o;
    o.keep_inputs = true;
    const EnsembleResult r = run(s, o);
    const CaseEnsemble& e = r.cases[0];
    const std::vector<std::int64_t> short_ = shortfall_ticks(r, 2030);
    std::set<double> drawn;
    for (int k = e.first; k < e.last; ++k) {
      const double cap = e.applied.at(static_cast<std::size_t>(k * e.input_slots));
      drawn.insert(cap);
      CAPTURE(k, cap);
      CHECK(short_[static_cast<std::size_t>(k - e.first)] == std::llround((12 - cap) * 1e6));
    }
    CHECK(drawn == std::set<double>{10.0, 12.0});
  }
}

TEST_CASE("#O3 mean lost volume = rate x mean duration x the flow lost per day, less overlaps",
          "[ensemble]") {
  // 2 outages a year of 5 or 15 days (mean 10) on a 10 bcm/y line that carries all the city's
  // 10 bcm/y. First order: 2 x 10 days x 10 / 365 bcm = 0.547945 bcm a year. Overlapping
  // outages count once: starts form a Poisson process of 2/365 a day, so a day far from the
  // horizon's start is out with probability 1 - exp(-2 x 10 / 365) = 0.053327 (the Poisson
  // boolean model), and the mean loss is 0.533272 bcm a year. 2030 has no outage running in
  // from 2029 and is left out; leap years differ by 0.2 %.
  Scenario s = one_line(10, 10, 10, 2030, 2039);
  Distribution days;
  days.kind = DistributionKind::Discrete;
  days.values = {5, 15};
  days.probabilities = {0.5, 0.5};
  s.uncertainty.outages = {outage_of("pipelines.line", 2.0, days)};
  s.uncertainty.seed = 2026;
  EnsembleOptions o;
  o.threads = 2;
  const EnsembleResult r = run(s, o);
  double sum = 0, sum2 = 0;
  int n = 0;
  for (int year = 2031; year <= 2039; ++year) {
    for (std::int64_t v : shortfall_ticks(r, year)) {
      const double bcm = static_cast<double>(v) / 1e6;
      sum += bcm, sum2 += bcm * bcm, ++n;
    }
  }
  const double mean = sum / n, sd = std::sqrt((sum2 - n * mean * mean) / (n - 1));
  // Years of one draw are nearly independent (an outage crossing New Year links two); the
  // standard error treats the 90,000 draw-years as independent and is about 0.0014 bcm.
  const double se = sd / std::sqrt(static_cast<double>(n));
  CAPTURE(mean, se);
  CHECK(mean == Approx(10 * (1 - std::exp(-2.0 * 10 / 365))).margin(4 * se));
  // The first-order figure counts an overlapping day twice: 2.8 % high here (rate x mean
  // duration / 365 / 2 to first order), outside four standard errors, inside 4 %.
  CHECK(mean == Approx(2 * 10 * 10 / 365.0).epsilon(0.04));
  CHECK(std::abs(mean - 2 * 10 * 10 / 365.0) > 4 * se);
}

TEST_CASE("outages by length: rate per 1000 km x the target's length", "[ensemble]") {
  Scenario s = one_line(10, 10, 10);
  s.pipelines[0].length_km = 2500;
  OutageProcess o = outage_of("pipelines.line", 0, uniform(3, 3));
  o.rate_per_1000km_year = 0.4;  // 0.4 x 2.5 = 1 event a year
  s.uncertainty.outages = {o};
  int events = 0;
  const int n = 4000;
  for (int k = 0; k < n; ++k) events += static_cast<int>(draw_case_outages(s, 3, k).size());
  // 5 years x 1 event: mean 5 a draw, se sqrt(5 / 4000) = 0.035.
  CHECK(static_cast<double>(events) / n == Approx(5.0).margin(4 * 0.035));
}

TEST_CASE("a case with nothing to sample is an input error naming it", "[ensemble]") {
  Scenario s = one_line(10, 10, 10);
  s.uncertainty = {};
  try {
    run_ensemble({std::make_shared<const Scenario>(s)}, {});
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(format_diagnostic(e.diagnostics().at(0)) ==
          "k.yaml: error: case 'base' of known has nothing uncertain to sample; add an "
          "'uncertainty:' block with samples or outages (scenarios/README.md, Uncertainty)");
  }
}

TEST_CASE("a draw that makes a value too large to dispatch is a located input error",
          "[ensemble]") {
  Scenario s = one_line(10, 10, 10);
  s.nodes[1].demand_where = {"k.yaml", 5, 9};
  s.uncertainty.draws = 20;
  // A lognormal tail reaches past what dispatch holds exactly (1e9 bcm in a period); uniform
  // bounds that far out would be refused by validate() already.
  Distribution tail;
  tail.kind = DistributionKind::Lognormal;
  tail.mu = std::log(1000.0), tail.sigma = 20;
  s.uncertainty.samples = {sample("nodes.city.demand", tail, ParamMode::Absolute)};
  try {
    run(s);
    FAIL("no error");
  } catch (const InputError& e) {
    const Diagnostic& d = e.diagnostics().at(0);
    CHECK(d.where.line == 5);
    CHECK(d.message.starts_with("known/base draw "));
    CHECK(d.message.find(": demand of node 'city' is too large to dispatch exactly") !=
          std::string::npos);
    CHECK(d.hint ==
          "the sampled inputs made this value; bound their distributions (truncate), then "
          "check the unit and magnitude");
  }
}

}  // namespace
}  // namespace corridor

namespace corridor {
namespace {

// PeriodSolver's NoLimits (simulate.h), which ensembles use: the period of Full, field by field,
// without the limits search. #L1: a field of 20 bcm/y feeds a city of 8 through a 5 bcm/y line,
// so 3 bcm are short and the line limits delivery (Full lists it; NoLimits leaves it empty).
TEST_CASE("PeriodSolver NoLimits gives Full's period without the limits", "[ensemble]") {
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("field", 20, 100), test::demand("city", 8)};
  s.pipelines = {test::pipe("line", "field", "city", 5)};
  s.routes = {test::route("main", {"line"})};
  const Network net = build_network(s, Commodity::Gas);
  const Period p = periods(s).front();
  std::vector<std::int64_t> upper;
  std::int64_t demand = 0;
  ScaleError error;
  REQUIRE(scale_bounds(s, net, period_bounds(s, net, p), upper, demand, error));
  PeriodSolver full(s, net), lean(s, net, PeriodSolver::Detail::NoLimits);
  PeriodResult a, b;
  full.solve(p, upper, demand, a);
  lean.solve(p, upper, demand, b);
  CHECK(a.shortfall == std::vector<double>{3.0});      // #L1
  CHECK(a.limiting_pipelines == std::vector<int>{0});  // #L1: the line
  CHECK(b.limiting_pipelines.empty());
  CHECK(b.limiting_supplies.empty());
  CHECK(a.pipeline_flow == b.pipeline_flow);
  CHECK(a.pipeline_capacity == b.pipeline_capacity);
  CHECK(a.supply_available == b.supply_available);
  CHECK(a.supply_used == b.supply_used);
  CHECK(a.demand == b.demand);
  CHECK(a.delivered == b.delivered);
  CHECK(a.shortfall == b.shortfall);
  CHECK(a.route_volume == b.route_volume);
  CHECK(a.route_capacity == b.route_capacity);
  CHECK(a.route_bottleneck == b.route_bottleneck);
  CHECK(a.cost_musd == b.cost_musd);
  CHECK(a.penalty_musd == b.penalty_musd);
}

/// A storage node `id` of `volume` bcm at `rate` bcm/y either way, starting each year at `level`.
Node storage_node(const std::string& id, double volume, double rate, double level) {
  Node n;
  n.id = id;
  n.kind = NodeKind::Storage;
  n.working_volume = volume;
  n.injection = constant_series(rate);
  n.withdrawal = constant_series(rate);
  n.initial.value = level;
  return n;
}

TEST_CASE("#O4 storage by month: a January outage costs what storage cannot cover", "[ensemble]") {
  // A city of 10 bcm/y (flat by days) behind a line of 12 or 11 bcm/y (drawn, half and half),
  // and a storage beside the city of 0.5 bcm, full on 1 January 2030 (cyclic: full again on
  // 31 December), that moves 36.5 bcm/y (0.1 bcm a day) either way. The line is out for the
  // 31 days of January 2031 (a dated event). The city needs 10 x 31 / 365 = 0.849315 bcm in
  // January; storage gives its 0.5 bcm and refills from the line's spare capacity (1 or 2
  // bcm/y) by December, so 2031 is short 0.349315 bcm in every draw and the other years
  // nothing.
  Scenario s = one_line(20, 12, 10, 2030, 2032);
  s.resolution = Resolution::Month;
  s.nodes.push_back(storage_node("ugs", 0.5, 36.5, 1.0));
  s.pipelines.push_back(test::bidirectional_pipe("ugs-link", "city", "ugs", 100));
  Event out;
  out.id = "january";
  out.target = "line";
  out.from = {2031, 1, 0};
  out.to = {2031, 1, 0};
  s.events = {out};
  Distribution line;
  line.kind = DistributionKind::Discrete;
  line.values = {12, 11};
  line.probabilities = {0.5, 0.5};
  s.uncertainty.samples = {sample("pipelines.line.capacity", line, ParamMode::Absolute)};
  s.uncertainty.draws = 40;
  EnsembleOptions o;
  o.keep_inputs = true;
  const EnsembleResult r = run(s, o);
  std::set<double> capacities(r.cases[0].applied.begin(), r.cases[0].applied.end());
  CHECK(capacities == std::set<double>{11.0, 12.0});  // both draws happen
  for (int year = 2030; year <= 2032; ++year) {
    for (std::int64_t v : shortfall_ticks(r, year)) CHECK(v == (year == 2031 ? 349315 : 0));
  }
  // Without the storage, January misses all 0.849315 bcm. At yearly resolution the loss is
  // spread over the year (events.h): 12 or 11 x 334 / 365 = 10.98 or 10.07 bcm/y for 10, so
  // nothing is short; monthly resolution is what shows a winter outage.
  Scenario bare = s;
  bare.nodes.pop_back();
  bare.pipelines.pop_back();
  for (std::int64_t v : shortfall_ticks(run(bare), 2031)) CHECK(v == 849315);
  s.resolution = Resolution::Year;
  for (std::int64_t v : shortfall_ticks(run(s), 2031)) CHECK(v == 0);
}

}  // namespace
}  // namespace corridor
