#pragma once
/// \file Ensembles: many draws of a case's uncertain inputs (uncertainty.h), each dispatched on
/// the case's network built once, with every per-draw value kept so that quantiles are exact.
///
/// A draw k of a case, start to end:
///   1. Each sampled input draws its values from a random stream (random.h) keyed by (seed,
///      scenario/case, k, the sample's id or path, the input's id); a `group` keys the stream
///      by the group's name instead, so that its inputs share their numbers. `per: draw` takes
///      one number for the horizon, `per: year` one per year, `ar1` one per year through an
///      AR(1) Gaussian copula (z_t = rho z_t-1 + sqrt(1 - rho^2) e_t, u_t = Phi(z_t)).
///   2. The values are applied to the draw's copy of the case through parameter paths
///      (param_path.h), always from the case's own values: relative draws multiply (a series
///      keeps its shape), absolute ones replace; a drawn date moves the ramp with it.
///   3. The random outages of the draw (draw_case_outages) join the case's own `events:` on
///      their targets as dated events (events.h).
///   4. Per commodity and period, the bounds of the entities the samples or outages touch are
///      computed again (network.h's period_bounds, bit for bit as `corridor run` computes them
///      with the same events); costs are computed again when a cost is sampled. The network
///      and LEMON's graph are never rebuilt. Except with storage by month (a 12-layer
///      network, network.h: a year is one solve, its inventory runs into the next year): such
///      a case dispatches each draw in full (simulate.h's dispatch() of the draw written out,
///      its random outages as `events:`), exact but without reuse.
///   5. A period whose bounds (and costs) equal those of the unperturbed case reuses its
///      solution, and so does one whose bounds a thread has solved before (a memo keyed by the
///      bounds and compared in full): network simplex is deterministic, so a reused solution
///      is the one a new solve would give. Others are solved by PeriodSolver (simulate.h),
///      which checks every solution's invariants.
///   6. Each metric is kept as an integer in the unit of its last printed decimal (a "tick"):
///      1e-6 bcm or Mt for volumes, 1e-4 for utilisation, 1e-3 MUSD for cost. Volumes are
///      exact (flows are integers of 1e-6), so the stored value is the printed one and
///      quantiles computed here equal numpy.percentile of draws.csv.
///
/// Determinism. A draw depends only on (seed, case, k) and the case; solving is deterministic;
/// values are stored by draw index and summarised in draw order. The results are therefore
/// byte-identical for any number of threads, and for any split of the draws across MPI ranks
/// (mpi_runner.h), which compute ranges [first, last) and hand their values to rank 0.
///
/// Memory. Every metric of every draw is kept, in 32 bits (TickMatrix): bytes per draw =
/// 4 x metrics x years, plus 16 or so for each rare value beyond 32 bits.
#include <atomic>
#include <climits>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "corridor/param_path.h"
#include "corridor/results.h"
#include "corridor/scenario.h"

namespace corridor {

enum class EnsembleEntity { Route, Market, Pipeline, Case };
enum class EnsembleMetric {
  Volume,       ///< route: flow on its meter pipeline, along the route
  Utilisation,  ///< route or pipeline: |flow| / capacity
  Capacity,     ///< route: the smallest capacity along it
  Demand,       ///< market or case
  Delivered,    ///< market or case
  Shortfall,    ///< market or case
  Flow,         ///< pipeline: net flow (negative against from -> to)
  Supplied,     ///< case
  Cost,         ///< case: supply plus transport cost, MUSD
};
std::string_view entity_kind_name(EnsembleEntity e);
std::string_view metric_name(EnsembleMetric m);

/// Decimals of a metric's tick: 6 for volumes, 4 for utilisation, 3 for MUSD (csv.h).
int metric_decimals(EnsembleMetric m);

/// The value of a metric that has none in a draw: the utilisation of a pipeline or route whose
/// capacity is 0 in that draw (not yet online, retired, or out), which `corridor run` leaves
/// empty too (issue 9). Statistics are over the draws with a value; draws.csv prints it empty.
inline constexpr std::int64_t kNoValue = INT64_MIN;

/// What one column of values describes.
struct MetricKey {
  Commodity commodity = Commodity::Gas;
  int year = 0;
  EnsembleEntity entity_kind = EnsembleEntity::Case;
  int entity = -1;  ///< scenario index of the route, node or pipeline; -1 for the case
  EnsembleMetric metric = EnsembleMetric::Volume;
};

/// The ticks of a case's draws: one row per draw, one value per metric, in 32 bits. A value
/// that does not fit (beyond +-2^31 ticks: 2147 bcm, 21,474 x utilisation, 2.1e6 MUSD) is kept
/// exactly in a side table, its cell holding a marker. Rows are written whole, by the thread
/// that drew them (sequential memory, whatever the number of metrics); columns are read in
/// tiles for the statistics.
class TickMatrix {
 public:
  TickMatrix() = default;
  TickMatrix(TickMatrix&& o) noexcept
      : metrics_(o.metrics_), cells_(std::move(o.cells_)), wide_(std::move(o.wide_)) {}
  TickMatrix& operator=(TickMatrix&& o) noexcept {
    metrics_ = o.metrics_, cells_ = std::move(o.cells_), wide_ = std::move(o.wide_);
    return *this;
  }
  void resize(std::size_t draws, std::size_t metrics);
  std::size_t draws() const { return metrics_ == 0 ? 0 : cells_.size() / metrics_; }
  std::size_t metrics() const { return metrics_; }
  /// Value of metric m in row k (kNoValue for none).
  std::int64_t at(std::size_t k, std::size_t m) const;
  /// Stores row k (one value per metric). Safe from several threads for distinct rows.
  void set_row(std::size_t k, const std::int64_t* values);
  /// Metrics [m0, m1) of every row, column by column into `columns` (resized to m1 - m0).
  void columns(std::size_t m0, std::size_t m1,
               std::vector<std::vector<std::int64_t>>& columns) const;
  /// Rows [k0, k1) as 64-bit values, row by row (for sending to MPI rank 0).
  std::vector<std::int64_t> rows(std::size_t k0, std::size_t k1) const;
  /// Stores rows from `k0` from values laid out as rows() gives them.
  void set_rows(std::size_t k0, const std::vector<std::int64_t>& values);
  /// Memory held: 4 bytes a cell, and the side table.
  std::size_t bytes() const;

 private:
  static constexpr std::int32_t kWide = INT32_MIN;      ///< "in the side table"
  static constexpr std::int32_t kNone = INT32_MIN + 1;  ///< kNoValue
  std::size_t metrics_ = 0;
  std::vector<std::int32_t> cells_;
  mutable std::mutex wide_lock_;
  std::map<std::size_t, std::int64_t> wide_;  ///< cell index -> value
};

/// One sampled input of a case, for inputs.csv and the clamping report.
struct EnsembleInput {
  std::string path;   ///< param_path() of the target, e.g. "pipelines.pos2-russia.online"
  std::string unit;   ///< of the applied value: "bcm/y", "" for dates and factors
  bool date = false;  ///< the value is a date (a decimal year)
  bool per_year = false;
  int sample = 0;          ///< index in Uncertainty::samples
  std::string drawn_unit;  ///< of the drawn number: the field's unit (absolute) or "factor"
};

/// The ensemble of one case: its draws' values, and what was drawn.
struct CaseEnsemble {
  std::shared_ptr<const Scenario> scenario;
  int draws = 0;  ///< of the whole ensemble
  std::uint64_t seed = 0;
  int first = 0, last = 0;  ///< the draws held here: [first, last)
  std::vector<MetricKey> metrics;
  TickMatrix values;  ///< row k - first, column m parallel to `metrics`
  /// The tick of metric m in draw k.
  std::int64_t value(int k, std::size_t m) const {
    return values.at(static_cast<std::size_t>(k - first), m);
  }
  std::vector<int> years;  ///< the horizon's years
  std::vector<EnsembleInput> inputs;
  /// With inputs kept: per draw, per input, per year (per_year) or once, the drawn number and
  /// the applied input value, as [draw][slot] with `input_slots` slots; NaN for a bernoulli
  /// sample that did not fire (drawn) and that kept its value.
  int input_slots = 0;
  std::vector<double> drawn, applied;
  std::vector<std::uint64_t> clamped;  ///< per input: draws in which a value was clamped
  std::uint64_t periods = 0, solved = 0, reused_base = 0, reused_memo = 0;
};

struct EnsembleResult {
  std::vector<CaseEnsemble> cases;  ///< in member order
  int threads = 1;
  /// The units the files and the table write volumes in (`--units`, units.h), set by the
  /// command line; the draws are always in bcm and Mt (ticks of 1e-6).
  OutputUnits units;
};

/// Progress: draws done over all cases, of the total, for a progress line.
struct EnsembleProgress {
  std::int64_t done = 0, total = 0;
};

/// One period of one draw, as a benchmark or test sees it (EnsembleOptions::on_period): its
/// scaled bounds (network.h), and whether it was solved or reused.
struct PeriodSeen {
  int member = 0, draw = 0, commodity = 0, period = 0;
  std::span<const std::int64_t> arc_upper;
  std::int64_t total_demand = 0;
  bool solved = false;
};

struct EnsembleOptions {
  std::optional<int> draws;           ///< overrides uncertainty.draws of every case
  std::optional<std::uint64_t> seed;  ///< overrides uncertainty.seed
  int threads = 0;                    ///< 0: one per CPU
  bool keep_inputs = false;           ///< record drawn inputs (inputs.csv)
  /// This process's share of every case's draws, for MPI: rank `part` of `parts` computes
  /// draws [part * N / parts, (part + 1) * N / parts).
  int part = 0, parts = 1;
  std::function<void(const EnsembleProgress&)> progress;  ///< may be empty; called under a lock
  /// May be empty; called for every period of every draw, on the thread that dispatched it.
  std::function<void(const PeriodSeen&)> on_period;
};

/// One random outage of a draw: whole days [first_day, end_day), counted from 1970-01-01, on
/// which a target loses `derate` of its capacity.
struct DrawnOutage {
  int first_day = 0, end_day = 0;
  double derate = 1.0;
};

/// The outages one process (uncertainty.h) gives one target in one draw, from the stream `key`:
/// for each year from `first_year` to `last_year`, a Poisson number of events with mean
/// `events_per_year` (by inversion at the year's first uniform), each starting on a uniformly
/// drawn day of that year and lasting the drawn duration rounded to whole days, at least one.
/// In start order. An outage may run into the next year.
std::vector<DrawnOutage> draw_outages(const OutageProcess& o, double events_per_year,
                                      std::uint64_t key, int first_year, int last_year);

/// One random outage of one draw of a case, as the ensemble dispatches it: a dated event
/// (events.h) on a pipeline or supply, counted by days into each period's availability.
struct EnsembleOutage {
  int process = 0;       ///< index in Uncertainty::outages
  bool pipeline = true;  ///< a pipeline, else a supply node
  int entity = -1;       ///< index into Scenario::pipelines or ::nodes
  DrawnOutage span;
};

/// The random outages of draw `k` of case `s` with `seed` (the ensemble's, after the command
/// line's override): for every process of its `uncertainty.outages`, every target it names,
/// in scenario order, draw_outages() over the horizon's years on the stream keyed by (seed,
/// scenario/case, k, the process's id or position, the target's id). The rate of a process
/// given per 1000 km is that rate x the target's length / 1000 km. In process, target, start
/// order. Outages start inside the horizon; one may run past its end (the rest is not
/// counted). This is what the ensemble dispatches, combined with the case's own `events:` on
/// the same target as the largest derate per day, and what outages.csv lists.
std::vector<EnsembleOutage> draw_case_outages(const Scenario& s, std::uint64_t seed, int k);

/// The draws [first, last) that part `part` of `parts` computes of a case of `draws` draws.
std::pair<int, int> draw_range(int draws, int part, int parts);

/// Runs this process's share of the draws of every member. Throws InputError when a member has
/// nothing to sample, or a draw makes a value that cannot be dispatched (located at the
/// sample); std::logic_error for a bug.
EnsembleResult run_ensemble(const std::vector<std::shared_ptr<const Scenario>>& members,
                            const EnsembleOptions& options);

/// The values of draws [first, last) of every column of `c`, column by column, for sending to
/// rank 0; and the inputs of those draws (drawn, then applied).
std::vector<std::int64_t> pack_values(const CaseEnsemble& c);
std::vector<double> pack_inputs(const CaseEnsemble& c);
/// Widens `c` (rank 0's part) to draws [0, draws) and stores another part's packed values.
void extend_to_all_draws(CaseEnsemble& c);
void unpack_part(CaseEnsemble& c, int first, int last, const std::vector<std::int64_t>& values,
                 const std::vector<double>& inputs);

/// Summary statistics of one column, in ticks, over its values other than kNoValue: mean, sample sd
/// (n - 1; 0 for one draw), the quantiles at 5, 10, 50, 90 and 95 % by linear interpolation between
/// order statistics (numpy.percentile's default: at h = (n - 1) q), min and max; and for shortfall
/// and capacity columns the share of draws above 0 and the mean of the worst ceil(5 % n) draws.
struct ColumnStats {
  double mean = 0, sd = 0, p05 = 0, p10 = 0, p50 = 0, p90 = 0, p95 = 0, min = 0, max = 0;
  double positive_share = 0;  ///< share of draws with a value above 0
  double tail_mean_95 = 0;    ///< CVaR 95 %: mean of the largest ceil(0.05 n) values
  int draws = 0;              ///< draws with a value; 0: every statistic is empty
};
/// Reorders `ticks` (partially sorts it) and drops its kNoValue entries.
ColumnStats column_stats(std::vector<std::int64_t>& ticks);

/// column_stats() of every column of `c`, on `threads` threads; parallel to `c.metrics`.
std::vector<ColumnStats> summarise(const CaseEnsemble& c, int threads);
/// The same for every case of `r`.
using EnsembleStats = std::vector<std::vector<ColumnStats>>;
EnsembleStats summarise(const EnsembleResult& r, int threads);

/// The quantile at q of ticks whose order statistics at floor((n - 1) q) and the next are in
/// place (a sorted vector has all of them), by linear interpolation between the two
/// (numpy.percentile's default).
double quantile_sorted(const std::vector<std::int64_t>& x, double q);

}  // namespace corridor
