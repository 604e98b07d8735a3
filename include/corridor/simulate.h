#pragma once
/// \file One case, start to end. dispatch() is the per-period loop: for each commodity, build
/// the network once, then for each period set bounds, solve, and turn arc flows back into
/// named results. simulate() is the driver of one case: dispatch, then the economics of the
/// dispatched years (economics.h). No IO.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "corridor/results.h"
#include "corridor/scenario.h"

namespace corridor {

/// One step of progress: a period of one commodity of one member has been dispatched. Plain
/// data for a printer (the command line's is terminal-aware); the names are valid during the
/// call only.
struct ProgressEvent {
  std::string_view scenario, case_name;  ///< the member's Scenario::name and case_name
  int member = 0;                        ///< index of the member in its study (run_pool.h), from 0
  int members = 1;                       ///< members in the study
  Commodity commodity = Commodity::Gas;
  int periods_done = 0, periods_total = 0;  ///< of this commodity
};

/// Receives progress events; may be empty.
using ProgressFn = std::function<void(const ProgressEvent&)>;

/// What dispatch computes besides flows.
struct DispatchOptions {
  /// The value of capacity per pipeline and the limits of each market (bottlenecks.h), into
  /// PeriodResult::capacity_value and ::market_limit.
  bool bottlenecks = false;
};

/// What limits delivery (PeriodResult::limiting_pipelines and limiting_supplies) is read from
/// the optimal flow's residual network, without another solve: the real arcs (pipelines both
/// ways, supplies) with room left, and the reverse of those that carry flow; the shortfall and
/// delivery arcs are left out. R, the nodes the super source still reaches in it, holds no
/// short demand node: else the supply at the start of that path could have served it, and
/// since every shortfall penalty exceeds the sum of all real costs (network.h) that would have
/// been cheaper than the optimum. So every path from the supplies to a short demand node leaves
/// R over a saturated arc: a min cut between them, the one nearest the supplies, which for a
/// corridor names the export line rather than the receiving line sized to match it. Of its
/// arcs, those into a node that leads to a short demand node through lines in service are
/// listed (a full line to a market that is served limits nothing): saturated pipelines in
/// service, and supplies that give all they have. Lines out of service are not listed.
///
/// Dispatches every period of every commodity of `s`, which validate() has passed; the
/// economics of the runs stay empty. A period whose bounds or costs cannot be scaled to
/// integers exactly (network.h) stops the case with CaseResult::failure set. A period whose
/// hard contract minimums the network cannot take is dispatched relaxed (network.h), marked
/// Infeasible, and named in CaseResult::warnings; the run goes on. Throws
/// std::logic_error only for a bug: a scenario that validate() would refuse (a route over an
/// unknown pipeline, say) or a solution that breaks check_flow_invariants. Deterministic: the
/// same scenario gives the same results, bit for bit.
CaseResult dispatch(std::shared_ptr<const Scenario> s, const ProgressFn& progress = {},
                    const DispatchOptions& options = {});

/// The driver of one case: dispatch(), then, unless it failed, the economics of each run
/// (add_economics, economics.h), from its complete annual rows.
CaseResult simulate(std::shared_ptr<const Scenario> s, const ProgressFn& progress = {},
                    const DispatchOptions& options = {});

/// simulate() of a scenario built in code: the result owns a copy of it.
CaseResult simulate(const Scenario& s, const ProgressFn& progress = {},
                    const DispatchOptions& options = {});

/// The per-period step of dispatch() for one case and commodity, on a network built once: for
/// studies that re-solve the same network with changed bounds or costs (ensemble.h). solve()
/// does what dispatch() does for a period after scaling it: LEMON's network simplex, the
/// relaxed solve of hard contract minimums the network cannot take (network.h),
/// check_flow_invariants(), and the named PeriodResult (routes, bottlenecks, costs,
/// contracts), so a study's period is bit for bit the period of `corridor run` on the same
/// bounds and costs.
class PeriodSolver {
 public:
  /// What solve() fills in. `Full`: everything dispatch() gives. `NoLimits`: the same except
  /// PeriodResult::limiting_pipelines and limiting_supplies, left empty, which a residual
  /// search of the whole network computes: for studies that report flows, volumes and
  /// shortfalls only (ensembles), where that search is a tenth of a period's time.
  enum class Detail { Full, NoLimits };
  /// `s` and `net` (built from `s`) must outlive the solver.
  PeriodSolver(const Scenario& s, const Network& net, Detail detail = Detail::Full);
  ~PeriodSolver();
  PeriodSolver(const PeriodSolver&) = delete;
  PeriodSolver& operator=(const PeriodSolver&) = delete;

  /// Solves the period that scale_period() made from `bounds` into `out` (a network of one
  /// layer: a year of 12 layers is dispatch()'s, a solve of its own). Throws
  /// std::logic_error if the solution breaks an invariant (a bug). A period whose hard
  /// minimums cannot be taken comes back with status Infeasible (PeriodResult).
  void solve(const PeriodBounds& bounds, const ScaledPeriod& period, PeriodResult& out);
  /// Solves period `p` as the scenario makes it now (its costs, lower bounds and contracts,
  /// read again on every call, so a study may change the scenario between calls), with the
  /// arc upper bounds and total demand given, as scale_bounds() makes them.
  void solve(const Period& p, std::span<const std::int64_t> arc_upper, std::int64_t total_demand,
             PeriodResult& out);
  /// The year of twelve consecutive monthly results from `months[first]`, as dispatch() sums
  /// them (route capacity is what the route could carry month by month).
  PeriodResult sum_months(const std::vector<PeriodResult>& months, std::size_t first) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Where a route's volume is read: its meter's position in Network::pipelines, and +1 when
/// the route runs the meter from -> to, -1 against (bidirectional meters).
struct RouteMeter {
  int position = 0;
  int sign = 1;
};
/// Per Network::routes entry.
std::vector<RouteMeter> route_meters(const Scenario& s, const Network& net);

/// One solve of `period` by `solver` into `sol`, as dispatch() makes it: when hard contract
/// minimums cannot be taken, the relaxed re-solve (network.h) into `relaxed`. Returns the
/// instance solved (`period` or `relaxed`; `infeasible` says which), checked by
/// check_flow_invariants, with the parallel arcs of each split filled in order. Throws
/// std::logic_error, naming `where`, for a bug: a broken invariant, or no optimum without hard
/// minimums.
const ScaledPeriod& solve_with_relief(const Network& net, FlowSolver& solver,
                                      const ScaledPeriod& period, ScaledPeriod& relaxed,
                                      FlowSolution& sol, bool& infeasible,
                                      const std::string& where);

/// Checks lower and upper bounds, conservation (against each node's supply), the recomputed
/// cost and complementary slackness of the node potentials (flow_solver.h) of a solution of
/// `period`; returns "" or a description of the first violation. Used on every solve and by
/// the tests.
std::string check_flow_invariants(const Network& net, const ScaledPeriod& period,
                                  const FlowSolution& sol);

}  // namespace corridor
