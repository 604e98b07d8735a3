#pragma once
/// \file The per-period dispatch loop: for each commodity, build the network once, then for
/// each period set bounds, solve, and turn arc flows back into named results. No IO.
#include <functional>
#include <string>

#include "corridor/results.h"
#include "corridor/scenario.h"

namespace corridor {

/// Receives one line of progress per solved commodity (for stderr); may be empty.
using ProgressFn = std::function<void(const std::string&)>;

/// Runs one resolved case, which validate() has passed. Throws InputError, naming the entity,
/// when a cost or a bound cannot be scaled to integers exactly (see network.h), and
/// std::logic_error on a scenario that validate() would refuse (a route over an unknown
/// pipeline, say). Deterministic: the same scenario gives the same results, bit for bit.
CaseResult simulate(const Scenario& s, const ProgressFn& progress = {});

/// Checks capacity, conservation, the recomputed cost and complementary slackness of the node
/// potentials (flow_solver.h) of a solution on its bounds; returns "" or a description of the
/// first violation. Used on every solve and by the tests.
std::string check_flow_invariants(const Network& net, std::span<const std::int64_t> arc_upper,
                                  std::int64_t total_demand, const FlowSolution& sol);

}  // namespace corridor
