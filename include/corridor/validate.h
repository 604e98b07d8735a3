#pragma once
/// \file Semantic checks of a resolved Scenario. Never throws: returns every problem found.
///
/// Errors: duplicate ids; unknown node or pipeline references (with did-you-mean); negative
/// capacities, demands, costs, tariffs or availabilities; a route whose pipelines do not form
/// a connected path, or whose meter is not on it; a pipeline whose commodity differs from
/// one of its nodes'; a pipeline from a node to itself; an empty horizon; an online date not
/// before its retire date; ramp and profile values out of range; economics out of range
/// (negative capex or transit fee, opex outside [0, 1], a lifetime not above 0, a discount rate
/// outside [0, 1)); a transit fee without a transit country; capex per km on a pipeline without
/// a length, or on a route with a pipeline without one.
/// Warnings: a demand node that no supply node can reach in any year (via Boost.Graph); a
/// pipeline that comes online after the horizon or retires before it; a series point that no
/// year of the horizon uses; a ramp_up without an online date (it has no effect).
#include <string>
#include <vector>

#include "corridor/diagnostics.h"
#include "corridor/scenario.h"

namespace corridor {

std::vector<Diagnostic> validate(const Scenario& s);

/// Indices of demand nodes that no supply node of the same commodity can reach through any
/// pipeline, whatever the dates (bidirectional pipelines count both ways). Boost.Graph BFS.
std::vector<int> unreachable_demand_nodes(const Scenario& s);

/// Indices of the demand nodes reachable from the node `node_id` (itself included when it is
/// one) through pipelines in their direction, bidirectional ones both ways, whatever the dates;
/// ascending. Empty for an unknown id. Boost.Graph BFS.
std::vector<int> demand_nodes_reachable_from(const Scenario& s, const std::string& node_id);

}  // namespace corridor
