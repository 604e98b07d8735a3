#pragma once
/// \file Maximum flow on integer arcs: LEMON Preflow (Goldberg-Tarjan push-relabel, highest
/// label; Ahuja, Magnanti & Orlin 1993, ch. 7) on a StaticDigraph built once and queried many
/// times. LEMON lives in dispatch only; this is its second entry point beside flow_solver.h.
///
/// Used by the N-1 standard (n1.h: the peak day's maximum flow from every supply to an area)
/// and by the remaining flexibility of a market (bottlenecks.h). Why LEMON and not Boost.Graph
/// in model: both callers work on the dispatch Network (integer-scaled arcs, entity indices)
/// that dispatch builds, so the max-flow lives where those arcs are; and Preflow is exact in
/// int64 and fast.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace corridor {

struct MaxFlow {
  std::int64_t value = 0;
  /// Per node: true on the source side of a minimum cut (the nodes the source can still reach
  /// in the residual graph of a maximum flow). Filled only when asked for.
  std::vector<char> source_side;
};

/// A graph of `num_nodes` nodes and arcs (tail[i], head[i]) on which max flows are asked for
/// with any capacities (>= 0), source and sink. Parallel arcs and arcs into the source are
/// allowed.
class MaxFlowSolver {
 public:
  MaxFlowSolver(int num_nodes, std::span<const int> tail, std::span<const int> head);
  ~MaxFlowSolver();
  MaxFlowSolver(const MaxFlowSolver&) = delete;
  MaxFlowSolver& operator=(const MaxFlowSolver&) = delete;

  /// Maximum flow from `source` to `sink` with capacity cap[i] on arc i; with `cut`, also the
  /// source side of a minimum cut.
  MaxFlow solve(std::span<const std::int64_t> cap, int source, int sink, bool cut = false);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// One-off: MaxFlowSolver(num_nodes, tail, head).solve(cap, source, sink, true).
MaxFlow max_flow(int num_nodes, std::span<const int> tail, std::span<const int> head,
                 std::span<const std::int64_t> cap, int source, int sink);

}  // namespace corridor
