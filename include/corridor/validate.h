#pragma once
/// \file Semantic checks of a resolved Scenario. Never throws: returns every problem found.
///
/// Errors: duplicate ids; unknown node or pipeline references (with did-you-mean); a route
/// whose pipelines do not form a connected path, or whose meter is not on it; a pipeline whose
/// commodity differs from one of its nodes'; a pipeline from a node to itself; an empty
/// horizon; an online date not before its retire date; a transit fee without a transit
/// country; capex per km on a pipeline without a length, or on a route with a pipeline without
/// one; a capex_start before the pipeline's online date, or before the route's service start
/// (the latest online of its pipelines); a profile without 12 weights or without a positive
/// one.
/// Range errors: every range rule of the loader (scenario_build.cpp), so that a scenario built
/// in code is held to what a file is: negative capacities, demands, costs, tariffs, transit
/// fees or capex; availability, ramp_up and opex outside [0, 1]; a discount rate outside
/// [0, 1); a lifetime, length, diameter, max_pressure, heating value, LNG expansion or density
/// not above 0; a negative profile weight; a priority outside 1..100; a year outside 1900..2200
/// (horizon, series points, online, retire, capex_start) or a month outside 1..12; a magnitude
/// beyond magnitude_limit() (units.h). NaN fails every rule and infinity every limit. On a
/// loaded scenario these never fire: the loader refuses such values where they are written.
/// Contracts: an unknown seller, or a plain seller id that is both a supply node and a route; a
/// buyer that is not a demand node; a price on a route seller; a min_take above the max_take in
/// a horizon year, or a share min_take outside [0, 1]; an end not after the start; ranges of
/// acq, prices and take-or-pay. Projects: an unknown member, a member of two projects, capex
/// without a pipeline or route to carry it, the ranges of its dates, tranches and economics.
/// Growth rates not above -100 %/y.
/// Warnings: a demand node that no supply node can reach in any year (via Boost.Graph); a
/// pipeline that comes online after the horizon or retires before it; a series point that no
/// year of the horizon uses; a ramp_up without an online date (it has no effect); a project
/// member whose own online or retire date differs from its project's (it wins); a contract
/// buyer the seller cannot reach; a soft route contract without take_or_pay (it does not bind);
/// a supply with spot: false and no contract (it sells nothing).
#include <string>
#include <vector>

#include "corridor/diagnostics.h"
#include "corridor/scenario.h"

namespace corridor {

std::vector<Diagnostic> validate(const Scenario& s);

/// The checks of `uncertainty:` (uncertainty.h), which validate() runs too: every sample path
/// and outage target resolves (param_path.h, with did-you-mean); distribution parameters are
/// finite and ordered (min <= mode <= max, sd and sigma not negative, p in [0, 1], discrete
/// probabilities that sum to 1) and a truncation keeps part of the distribution; rho lies in
/// (-1, 1) and comes with per: year; samples of a group share per and ar1; no input is sampled
/// twice; absolute values suit every input of a pattern; per: year only on series; relative
/// only on inputs that have a value to scale or shift, and not on whole numbers; outages target
/// pipelines or supplies, with a length for a rate per length, a derate in (0, 1]. Warnings: a
/// sample of an input that does not change dispatch; a normal duration without truncation.
std::vector<Diagnostic> validate_uncertainty(const Scenario& s);

/// Indices of demand nodes that no supply node of the same commodity can reach through any
/// pipeline, whatever the dates (bidirectional pipelines count both ways). Boost.Graph BFS.
std::vector<int> unreachable_demand_nodes(const Scenario& s);

/// Indices of the demand nodes reachable from the node `node_id` (itself included when it is
/// one) through pipelines in their direction, bidirectional ones both ways, whatever the dates;
/// ascending. Empty for an unknown id. Boost.Graph BFS.
std::vector<int> demand_nodes_reachable_from(const Scenario& s, const std::string& node_id);

}  // namespace corridor
