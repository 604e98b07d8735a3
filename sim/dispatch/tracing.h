#pragma once
// Proportional mixing (the proportional-sharing principle of flow tracing, Bialek 1996): which
// share of the flow through each network node is contract volume. A single-commodity flow does
// not tell molecules apart, so corridor assumes every node mixes what flows into it and passes
// that mix on through every arc leaving it. A contract arc injects its contract's volume
// whatever it carries (a route contract turns the gas passing its meter into contract gas);
// penalty arcs (shortfall, storage end-of-year deviation) bring nothing real and are left out.
// In a network of 12 layers (storage by month) a storage reservoir mixes too: gas withdrawn
// in winter carries the contract share of what was injected before it.
#include <cstdint>
#include <vector>

#include "corridor/network.h"

namespace corridor {

/// Per network node n and contract k (Network::contracts), at n * K + k: the share of the
/// real flow into n that is contract k's volume. 0 at nodes nothing real flows into. Exact on
/// flows without cycles (one pass in topological order); flow around a cycle is resolved by
/// repeated passes until no share changes by more than 1e-12.
std::vector<double> contract_shares(const Network& net, const std::vector<std::int64_t>& arc_flow);

}  // namespace corridor
