#pragma once
/// \file Maximum flow on integer arcs: LEMON Preflow (Goldberg-Tarjan push-relabel, highest
/// label; Ahuja, Magnanti & Orlin 1993, ch. 7) on a StaticDigraph. LEMON lives in dispatch
/// only; this is its second entry point beside flow_solver.h.
///
/// Used by the N-1 standard (n1.h: the peak day's maximum flow from every supply to an area)
/// and by the remaining flexibility of a market (bottlenecks.h). Why LEMON and not Boost.Graph
/// in model: both callers work on the dispatch Network (integer-scaled arcs, entity indices)
/// that dispatch builds, so the max-flow lives where those arcs are; and Preflow is exact in
/// int64 and fast.
#include <cstdint>
#include <span>
#include <vector>

namespace corridor {

struct MaxFlow {
  std::int64_t value = 0;
  /// Per node: true on the source side of a minimum cut (the nodes the source can still reach
  /// in the residual graph of a maximum flow).
  std::vector<char> source_side;
};

/// Maximum flow from `source` to `sink` on `num_nodes` nodes and arcs (tail[i], head[i]) with
/// capacities cap[i] >= 0. Parallel arcs and arcs into the source are allowed.
MaxFlow max_flow(int num_nodes, std::span<const int> tail, std::span<const int> head,
                 std::span<const std::int64_t> cap, int source, int sink);

}  // namespace corridor
