#pragma once
/// \file The `uncertainty:` block of a scenario, as plain data: what an ensemble samples
/// (ensemble.h). Part of the model (Scenario::uncertainty), so that it is inherited through
/// `extends:` and overridden per alternative like any other key.
///
/// A Sample names an input by a parameter path (param_path.h) and gives a distribution for
/// it. All numbers here are in canonical units (units.h) of what they describe: for an
/// absolute sample the unit of the field (a demand in bcm/y, a date as a decimal year), for a
/// relative one a plain factor (1.1, or a shift in years for a date).
///
/// Time structure: `per: draw` draws one value for the whole horizon; `per: year` one per
/// year, independently; `ar1` one per year with correlation rho between consecutive years (a
/// Gaussian copula: the marginal distribution stays the one given).
///
/// Outages are random forced outages of pipelines or supplies: a Poisson number of events per
/// year at `rate`, each starting on a uniformly drawn day, lasting a drawn number of days and
/// removing `derate` of the capacity; overlapping ones combine as the largest derate per day.
///
/// The loader fills this from YAML; validate() checks it (paths that resolve, parameters in
/// range, groups that agree). scenarios/README.md documents every key.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "corridor/diagnostics.h"

namespace corridor {

/// How a change through a parameter path (param_path.h) meets the input it changes.
enum class ParamMode {
  Absolute,  ///< the value replaces the input
  Relative,  ///< the value multiplies the input (dates: shifts it by that many years)
};

enum class DistributionKind { Uniform, Triangular, Normal, Lognormal, Discrete, Bernoulli };

/// A distribution of one number. Draws are made by inverting the distribution function at a
/// uniform number (random.h), so that samples sharing a group move together.
struct Distribution {
  DistributionKind kind = DistributionKind::Uniform;
  double min = 0.0, mode = 0.0, max = 0.0;  ///< uniform: [min, max]; triangular: min, mode, max
  double mean = 0.0, sd = 0.0;              ///< normal
  double mu = 0.0, sigma = 0.0;             ///< lognormal: of the natural log of the value
  double p = 0.0, value = 0.0;              ///< bernoulli: with probability p the value is `value`
  std::vector<double> values, probabilities;  ///< discrete, in the order written
  /// Truncation of the four continuous kinds: draws come from the distribution conditioned on
  /// [lower, upper].
  std::optional<double> lower, upper;
  SourceLocation where;  ///< the distribution's key (`normal:`)
};

enum class SamplePer { Draw, Year };

struct Sample {
  std::string id;  ///< optional; samples with an id merge by id across `extends:` and alternatives
  std::string path;                      ///< a parameter path; a pattern names several inputs
  ParamMode mode = ParamMode::Relative;  ///< default relative, absolute for dates
  Distribution distribution;
  SamplePer per = SamplePer::Draw;
  std::optional<double> ar1_rho;  ///< with per: year, correlation of consecutive years
  /// Samples of one group share their random numbers, so they move together (comonotone):
  /// every input of a pattern too. Without a group, each input of a pattern draws its own.
  std::string group;
  SourceLocation where, path_where, mode_where, per_where, ar1_where, group_where;
};

/// Random forced outages of one or more targets: a Poisson process of dated events.
struct OutageProcess {
  std::string id;              ///< optional, as Sample::id
  std::string target;          ///< entities: "pipelines.pos1", "pipelines.*", "supplies.lng-*"
  double rate_per_year = 0.0;  ///< events per year per target, or
  std::optional<double> rate_per_1000km_year;  ///< events per 1000 km of the target per year
  Distribution duration_days;  ///< drawn per event, rounded to whole days, at least 1
  double derate = 1.0;         ///< share of capacity lost during an event
  SourceLocation where, target_where, rate_where, duration_where, derate_where;
};

struct Uncertainty {
  bool given = false;  ///< the scenario has an `uncertainty:` block
  int draws = 1000;
  std::uint64_t seed = 1;
  std::vector<Sample> samples;
  std::vector<OutageProcess> outages;
  SourceLocation where, draws_where, seed_where;
};

/// The most draws a scenario or the command line may ask for.
inline constexpr int kMaxDraws = 10'000'000;

}  // namespace corridor
