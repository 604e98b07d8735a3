#include "tracing.h"

#include <algorithm>
#include <cmath>

namespace corridor {

std::vector<double> contract_shares(const Network& net, const std::vector<std::int64_t>& arc_flow) {
  const int n = net.num_nodes;
  const int k_count = static_cast<int>(net.contracts.size());
  std::vector<double> share(static_cast<std::size_t>(n) * k_count, 0.0);
  if (k_count == 0) return share;
  // The contract each contract arc injects.
  std::vector<int> injects(net.num_arcs(), -1);
  for (int l = 0; l < net.layers; ++l) {
    for (int k = 0; k < k_count; ++k) {
      injects[net.contract_min_arc[k] + l * net.layer_arcs] = k;
      injects[net.contract_above_arc[k] + l * net.layer_arcs] = k;
    }
  }
  // Real arcs with flow, by head; inflow per node.
  std::vector<std::vector<int>> in(n);
  std::vector<double> inflow(n, 0.0);
  std::vector<int> pending(n, 0);  // real in-arcs from nodes not yet resolved, for the order
  for (int a = 0; a < net.num_arcs(); ++a) {
    if (arc_flow[a] <= 0 || is_penalty_arc(net.arc_kind[a])) continue;
    const int head = net.arc_head[a];
    in[head].push_back(a);
    inflow[head] += static_cast<double>(arc_flow[a]);
    if (injects[a] < 0 && net.arc_tail[a] != net.source) ++pending[head];
  }
  std::vector<std::vector<int>> out(n);
  for (int v = 0; v < n; ++v) {
    for (int a : in[v]) {
      if (injects[a] < 0 && net.arc_tail[a] != net.source) out[net.arc_tail[a]].push_back(a);
    }
  }
  // Kahn's order over the flow graph; nodes on cycles follow in index order.
  std::vector<int> order;
  std::vector<char> placed(n, 0);
  for (int v = 0; v < n; ++v) {
    if (pending[v] == 0) order.push_back(v), placed[v] = 1;
  }
  for (std::size_t i = 0; i < order.size(); ++i) {
    for (int a : out[order[i]]) {
      const int head = net.arc_head[a];
      if (--pending[head] == 0 && !placed[head]) order.push_back(head), placed[head] = 1;
    }
  }
  const bool cyclic = order.size() < static_cast<std::size_t>(n);
  for (int v = 0; v < n; ++v) {
    if (!placed[v]) order.push_back(v);
  }
  std::vector<double> next(k_count);
  for (int pass = 0; pass < (cyclic ? 10'000 : 1); ++pass) {
    double change = 0.0;
    for (int v : order) {
      if (!(inflow[v] > 0.0)) continue;
      std::fill(next.begin(), next.end(), 0.0);
      for (int a : in[v]) {
        const double f = static_cast<double>(arc_flow[a]);
        if (injects[a] >= 0) {
          next[injects[a]] += f;
        } else if (net.arc_tail[a] != net.source) {
          const double* from = &share[static_cast<std::size_t>(net.arc_tail[a]) * k_count];
          for (int k = 0; k < k_count; ++k) next[k] += f * from[k];
        }
      }
      double* to = &share[static_cast<std::size_t>(v) * k_count];
      for (int k = 0; k < k_count; ++k) {
        const double x = next[k] / inflow[v];
        change = std::max(change, std::abs(x - to[k]));
        to[k] = x;
      }
    }
    if (change <= 1e-12) break;
  }
  return share;
}

}  // namespace corridor
