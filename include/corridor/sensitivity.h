#pragma once
/// \file Why the numbers move (issue 15): one-at-a-time sensitivities (a tornado), the value of
/// an input at which two cases' KPIs cross (breakeven), and the attribution of a KPI's change
/// between two cases to the inputs that differ (explain). Every changed case is named through
/// parameter paths (param_path.h) and measured by KPIs (kpi.h).
///
/// Evaluation. A variant is a copy of its base case with some inputs changed. When every
/// changed field only moves the economics after dispatch (ParamEffect::Economics: capex, opex,
/// lifetime, discount rate) or is information dispatch does not read (ParamEffect::Information:
/// diameters, pressures), the variant reuses the base case's dispatch and only its economics
/// are computed again; otherwise it is dispatched again, as `corridor run` would (simulate.h).
/// Variants run on the run pool (run_pool.h), each into its own slot, so the results are the
/// same for any thread count.
///
/// Sensitivity. Each varied input goes to its low value and then its high value with every
/// other input at the base; swing = |KPI(high) - KPI(low)|, undefined when either is. The bars
/// of each KPI are sorted by swing, largest first; undefined swings last; ties keep the order
/// of the inputs. `--vary-all relative=R` varies every input that list_params() gives for the
/// chosen effects by -R and +R (a date by -1 and +1 year; priorities, integers, are left out),
/// clamped into the field's range as ensembles clamp.
///
/// Breakeven. d(x) = KPI_A(case A with the input at x) - KPI_B(case B, with the input at x too
/// when B has it). d is evaluated on a grid over the range; every sign change between grid
/// points is one crossing, refined by the secant of its bracket, then regula falsi (Illinois):
/// with min-cost-flow dispatch, a route's volume is piecewise linear in a bound and constant
/// in a cost between the breakpoints where the optimal basis changes, so its costs and
/// levelised cost are piecewise linear (or piecewise rational in a bound) in either. A crossing
/// is `exact` when |d| there is within the tolerance (1e-9 of the KPIs' size): on a grid point,
/// by the first secant when d is linear on the bracket, or after more steps once the bracket
/// lies on one linear piece. Otherwise it is refined until the bracket is narrower than 1e-9
/// of the range, and reported with that width. Two
/// crossings within one grid step (an even number of sign changes) are not seen: the grid step
/// is reported with the result.
///
/// Explain. The inputs of two resolved cases are diffed: every parameter path that both have
/// with different values, and every node, pipeline and route that only one has. A state S
/// (a subset of the inputs) is the union of the two cases' entities with the inputs in S at
/// their `to` values and the others at their `from` values; an entity "absent" in a state is
/// neutralised: a pipeline at capacity 0 and without capex, a supply at capacity 0, a demand
/// node at demand 0, a route removed. f(S) is the KPI of state S. One-at-a-time effect of i:
/// f({i}) - f({}); Shapley value: the average over all orders of the inputs of i's marginal
/// effect, exactly over all 2^n states for n <= exact_limit inputs, else over `permutations`
/// random orders drawn with `seed` (random.h), with the standard error of the mean; the
/// interaction remainder is (f(all) - f({})) - the sum of one-at-a-time effects. Differences
/// that are not parameter paths or entities (events, storage settings, contracts, the
/// uncertainty block) are held at the `to` case's; when they matter, f({}) differs from the
/// `from` case's own KPI and the difference is reported as `other`.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corridor/kpi.h"
#include "corridor/param_path.h"
#include "corridor/results.h"
#include "corridor/scenario.h"

namespace corridor {

/// Runs changed copies of one case, reusing its dispatch where only economics changed.
class VariantRunner {
 public:
  /// Dispatches `base` (which validate() has passed) once.
  explicit VariantRunner(std::shared_ptr<const Scenario> base);
  const CaseResult& base() const { return base_; }
  /// The result of `changed`, a copy of the base with some inputs changed. `dispatch`: false
  /// when only Economics or Information fields changed (the base's dispatch is reused).
  CaseResult run(std::shared_ptr<const Scenario> changed, bool dispatch) const;

 private:
  CaseResult base_;
};

/// True when changing `t` needs a new dispatch (its effect is Bounds or Costs).
bool needs_dispatch(const ParamTarget& t);

// ---------------------------------------------------------------------------------------------
// Sensitivity

struct VariedInput {
  std::string parameter;            ///< the path as written, or the target's path under --vary-all
  std::string low_text, high_text;  ///< value texts (ParamAssignment), e.g. "20 USD/kcm", "-10%"
  SourceLocation where;
};

struct SensitivityOptions {
  std::vector<VariedInput> vary;  ///< explicit --vary inputs
  /// --vary-all relative=R: R (0.1 for 10 %), for the fields of `effects`.
  std::optional<double> vary_all;
  std::vector<ParamEffect> effects = {ParamEffect::Bounds, ParamEffect::Costs,
                                      ParamEffect::Economics};
  std::vector<Kpi> kpis;
  KpiYears years;
  int threads = 0;
  std::function<void(std::size_t done, std::size_t total)> progress;  ///< may be empty
};

struct TornadoBar {
  std::string parameter;
  std::string low_value, high_value;  ///< as applied: "45 bcm/y", "-10%"
  std::optional<double> kpi_low, kpi_high;
  std::optional<double> swing;  ///< |kpi_high - kpi_low|
  bool clamped = false;         ///< a value was clamped into the field's range
};

struct Tornado {
  Kpi kpi;
  std::string unit;
  std::optional<double> kpi_base;
  std::vector<TornadoBar> bars;  ///< sorted by swing, largest first
};

struct SensitivityResult {
  std::shared_ptr<const Scenario> scenario;
  std::vector<Tornado> tornados;   ///< one per KPI, in option order
  std::size_t inputs = 0;          ///< varied inputs
  std::size_t dispatched = 0;      ///< variants dispatched again (each: every period solved)
  std::size_t economics_only = 0;  ///< variants that reused the base's dispatch
  std::size_t periods_solved = 0;  ///< periods solved, the base's included
};

/// The study. Throws InputError (located at each VariedInput::where) for a path that names
/// nothing or a value that does not parse or leaves its range, and when a variant cannot be
/// dispatched (a value that cannot be scaled to integers).
SensitivityResult run_sensitivity(std::shared_ptr<const Scenario> base,
                                  const SensitivityOptions& options);

// ---------------------------------------------------------------------------------------------
// Breakeven

struct BreakevenOptions {
  std::string path;
  SourceLocation where;    ///< of --param, for messages
  std::string range_text;  ///< "LOW..HIGH" (absolute or relative); "" for -100%..+100%
  Kpi kpi, vs_kpi;         ///< of case A and of case B
  KpiYears years;
  int grid = 20;  ///< grid intervals
  int threads = 0;
};

struct BreakevenPoint {
  double x = 0.0;          ///< the input's value (canonical unit), factor or shift
  std::string value_text;  ///< as a user would write it
  std::optional<double> kpi, vs_kpi;
};

struct BreakevenCrossing {
  double x = 0.0;
  std::string value_text;
  double kpi = 0.0;    ///< KPI_A (= KPI_B) there
  bool exact = false;  ///< |d| within the tolerance there: exact to rounding
  int steps = 0;       ///< refinement evaluations: 0 on a grid point, 1 by one secant
  double bracket_low = 0.0, bracket_high = 0.0;  ///< the grid bracket it was found in
  double width = 0.0;                            ///< final bracket width when not exact
};

struct BreakevenResult {
  std::shared_ptr<const Scenario> a, b;
  std::string parameter, value_unit;  ///< value_unit: "USD/kcm", "factor", "y" (shift), ""
  bool relative = false;
  std::string low_text, high_text;
  std::string kpi_text, vs_kpi_text, kpi_unit;
  std::vector<BreakevenPoint> curve;  ///< the grid, and every refinement point, by x
  std::vector<BreakevenCrossing> crossings;
  double grid_step = 0.0;
  std::size_t dispatched = 0, economics_only = 0;
};

BreakevenResult run_breakeven(std::shared_ptr<const Scenario> a, std::shared_ptr<const Scenario> b,
                              const BreakevenOptions& options);

// ---------------------------------------------------------------------------------------------
// Explain

struct ExplainInput {
  std::string name;  ///< the parameter path, or "pipelines.ID" for an entity only one case has
  std::string old_value, new_value;  ///< format_param(), or "absent"/"present"
  bool dispatch = true;              ///< changing it needs a new dispatch
};

struct Attribution {
  Kpi kpi;
  std::string unit;
  std::optional<double> from_value, to_value;  ///< the two cases' own KPIs
  double other = 0.0;  ///< from_value - f({}): differences outside paths and entities
  std::vector<double> one_at_a_time, shapley, shapley_se;  ///< per input
  double interaction = 0.0;  ///< f(all) - f({}) - sum of one_at_a_time
  bool defined = true;       ///< false when f is undefined in some state (no attribution)
};

struct ExplainOptions {
  std::vector<Kpi> kpis;
  KpiYears years;
  int exact_limit = 10;
  int permutations = 200;
  std::uint64_t seed = 1;
  int threads = 0;
};

struct ExplainResult {
  std::shared_ptr<const Scenario> from, to;
  std::vector<ExplainInput> inputs;
  std::vector<Attribution> attributions;  ///< per KPI
  bool sampled = false;                   ///< Shapley by sampled orders
  int permutations = 0;
  std::uint64_t seed = 0;
  std::size_t states = 0;  ///< states evaluated
  std::size_t dispatched = 0, economics_only = 0;
};

/// The inputs that differ between `from` and `to` (cases of one horizon and resolution;
/// InputError otherwise), in path order.
std::vector<ExplainInput> diff_cases(const Scenario& from, const Scenario& to);

ExplainResult run_explain(std::shared_ptr<const Scenario> from, std::shared_ptr<const Scenario> to,
                          const ExplainOptions& options);

/// Shapley values from the values of every state: f[mask] for the 2^n subsets of n inputs
/// (bit i set: input i at its `to` value). Exact: the weighted sum over subsets.
std::vector<double> exact_shapley(const std::vector<double>& f, int n);

}  // namespace corridor
