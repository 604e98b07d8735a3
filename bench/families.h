#pragma once
/// \file Seeded generators of scenario files for the benchmarks, and the dispatch problems the
/// engine makes of them.
///
/// Every instance is a scenario file (YAML text), so that the same instance runs end to end
/// through `corridor run`, in process through load_scenario() and simulate(), and as raw
/// integer problems for LEMON and the Python peers: build_network() and scale_period() turn a
/// loaded scenario into exactly the arrays the engine solves. All gas, annual resolution,
/// horizon 2030 .. 2030 + years - 1, one priority.
///
/// Families:
///   - pipeline: the family calibrated in the shared performance notes (section 1.3): a long,
///     thin random tree with 15 % extra chords (short loops), 40 % of links two-way, 3 % of
///     nodes supplies and 30 % demands, integer tariffs and supply costs 1-100 USD/kcm,
///     capacities 50-500 mcm/y. Demands are 2-20 mcm/y, total supply capacity 2x demand, and
///     one-way links point away from the nearest supply.
///   - meshed: a lattice (about sqrt(n) x sqrt(n)) with 10 % diagonals, 70 % of links two-way,
///     otherwise as pipeline: a meshed transmission grid.
///   - radial: a random recursive tree fed from one supply at its root, every link one-way away
///     from it, 30 % demands: a distribution network.
///   - chain: one supply, `nodes - 2` junctions and one demand on a single path of `nodes - 1`
///     pipelines (capacities 30-36 bcm/y, tariffs 1-5 USD/kcm, demand 30 bcm/y): the worst
///     case of network simplex, whose pivots walk the whole path.
/// Per year (all but chain): demand grows about 1 %/year (linear series between the first and
/// last year, with +-10 % noise per node at each end), supply capacity drifts +-15 % (linear),
/// and each pipeline is out of service in a year with probability 2 % and derated to
/// 60-100 % with probability 10 % (an `availability` series).
///
/// Draws use std::mt19937_64 with hand-written bounded draws (no std::uniform_*_distribution,
/// whose output differs between standard libraries), so a seed gives the same file anywhere.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/network.h"
#include "corridor/scenario.h"

namespace corridor::bench {

enum class Family { Pipeline, Meshed, Radial, Chain };

std::string_view family_name(Family f);

struct FamilyParams {
  Family family = Family::Pipeline;
  int nodes = 600;  ///< scenario nodes (for chain: nodes - 1 pipelines)
  int years = 25;
  std::uint64_t seed = 20240601;
};

/// The scenario file of one instance; its `name` is "<family>-<nodes>".
std::string family_yaml(const FamilyParams& p);

/// Bounds of one solve, as the engine hands them to FlowSolver::solve: one period, or for a
/// network with storage layers (network.h) the twelve months of a year at once.
struct PeriodInput {
  std::vector<std::int64_t> arc_upper;  ///< per Network arc
  std::int64_t total_demand = 0;
  std::vector<std::int64_t> node_supply;  ///< per network node with layers, else empty
  /// The whole instance as scale_period makes it (bounds, per-period costs, node supplies):
  /// what FlowSolver::solve takes.
  ScaledPeriod scaled;
};

/// One commodity of one scenario as the engine solves it: its network (build_network) and the
/// scaled bounds of every period (period_bounds + scale_bounds), or with storage layers of
/// every year (scale_layers; each year starts from the initial inventory, as period_bounds
/// alone does).
struct Problem {
  std::string name;
  Network net;
  /// The scaled arc costs of the first solve (network.h). Costs may change by period (series,
  /// exchange rates); in every family here they do not, so raw LEMON and the peers set them
  /// once. `fixed` is false when they change or a period has lower bounds (hard contract
  /// minimums): such a problem is not a raw-LEMON input (pivot_row skips it).
  std::vector<std::int64_t> arc_cost;
  bool fixed = true;
  std::vector<PeriodInput> periods;
};

/// The problems of every commodity of `s`. Aborts (a bench bug) if a bound cannot be scaled.
std::vector<Problem> make_problems(const Scenario& s);

}  // namespace corridor::bench
