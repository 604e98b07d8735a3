#pragma once
/// \file Seeded generator of pipeline-like dispatch networks for the benchmarks.
///
/// The instance family is the one calibrated in the shared performance notes (section 1.3): a
/// long, thin random tree with 15 % extra chords (short loops), 40 % of links two-way, 3 % of
/// nodes sources and 30 % sinks, integer costs 1-100 and pipeline capacities 50-500. The
/// result is a corridor::Network in the engine's formulation (network.h): graph nodes
/// 0..n-1, then super source S = n and super sink T = n + 1; pipeline arcs (a reverse arc for
/// two-way links), supply arcs S -> source, delivery arcs sink -> T (capacity = demand, cost 0)
/// and shortfall arcs S -> sink (capacity = demand, cost C + 1, C = sum of real arc costs).
///
/// Choices the notes leave open: demands are 2-20 per sink, total supply capacity is 2x the
/// total demand, and one-way links point away from the nearest source (supply regions feed
/// demand regions). That leaves about 5 % (600 nodes) to 9 % (4,200 nodes) of the base-year
/// demand unmet (10-15 % in the perturbed periods), so the shortfall arcs are exercised
/// without dominating the solution.
///
/// Everything is drawn from one std::mt19937_64 with hand-written bounded draws (no
/// std::uniform_*_distribution, whose output differs between standard libraries), so a seed
/// gives the same instance on every platform.
#include <cstdint>
#include <vector>

#include "corridor/network.h"

namespace corridor::bench {

struct PipelineParams {
  int nodes = 600;                 ///< graph nodes, without S and T
  double chord_fraction = 0.15;    ///< extra links (loops) per node
  double two_way_fraction = 0.40;  ///< links with a reverse arc
  double source_fraction = 0.03;
  double sink_fraction = 0.30;
  int cost_min = 1, cost_max = 100;           ///< pipeline and supply arc costs
  int capacity_min = 50, capacity_max = 500;  ///< pipeline capacity per direction
  int demand_min = 2, demand_max = 20;        ///< per sink, before period scaling
  double supply_margin = 2.0;    ///< total supply capacity / total demand (each source 0.5-1.5x)
  double downstream_bias = 1.0;  ///< P(one-way link points away from the nearest source)
};

/// One dispatch instance: the fixed network, its costs and its base (period-0) bounds.
struct PipelineInstance {
  Network net;
  std::vector<std::int64_t> cost;        ///< per arc, the same in every period
  std::int64_t real_cost_sum = 0;        ///< C (network.h)
  std::vector<std::int64_t> base_upper;  ///< per arc
  std::int64_t total_demand = 0;         ///< D = sum of sink demands = S -> T supply
};

/// One simulated period, as the engine solves it: bounds (no lower bounds), costs, D.
using PeriodInput = ScaledPeriod;

/// Builds a pipeline-like instance; the same (params, seed) always gives the same instance.
PipelineInstance make_pipeline_instance(const PipelineParams& params, std::uint64_t seed);

/// Per-period bounds for `num_periods` years: demand grows 1 %/year with +-10 % noise per
/// sink, 2 % of links are out each year, 30 % are derated to 60-100 %, and supply capacity
/// varies by +-15 %. Delivery and shortfall bounds follow the demand.
std::vector<PeriodInput> make_periods(const PipelineInstance& inst, int num_periods,
                                      std::uint64_t seed);

}  // namespace corridor::bench
