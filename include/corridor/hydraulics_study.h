#pragma once
/// \file `corridor hydraulics`: the gas network of a dispatched case, solved every year with
/// the flows the dispatch found (hydraulics.h).
///
/// What becomes the hydraulic network, each year, from the case's gas part:
///   - every pipeline that is in service that year and has physical data: a pipe (`type:
///     pipe`, the default) with `length` and `diameter`; or an element of another type
///     (compressor, valve, short pipe, resistor, regulator), which needs none;
///   - a pipe's `stations` split it into segments "ID/seg1", "ID/seg2", ... with a compressor
///     station "ID/NAME" between the nodes "ID/NAME/in" and "ID/NAME/out" (heights vary
///     linearly along the pipe). A pipe's station discharges at the pipe's max_pressure (the
///     rule of capacity studies, gas_line.h), so a pipe with stations needs `max_pressure`;
///     its limits (max_power, max_ratio) are flagged when exceeded, never applied;
///   - the nodes these touch, with their `height`, `min_pressure` and `max_pressure`; a supply
///     with `pressure` is a reference node: its pressure is set and its injection balances
///     the part of the network it is in.
/// Injections (kg/s, by the gas's normal density): supply used less gas delivered at each
/// node, plus the dispatched flow of every gas pipeline without physical data, which enters
/// the network at its end and leaves it at its start (a boundary flow). So a network with
/// one physical pipeline sees exactly that pipeline's flow. Pipeline flows in dispatch and in
/// hydraulics differ in a mesh: dispatch routes by cost, hydraulics by pressure; only the
/// injections carry over.
///
/// Every year is one solve_hydraulics, warm-started from the year before when the network
/// is the same. A year whose network cannot be solved (ill-posed, not converged, a pipe with
/// stations and no max_pressure) is a result with its status and message, never an error.
#include <string>
#include <vector>

#include "corridor/hydraulics.h"
#include "corridor/results.h"

namespace corridor {

/// The gas of a scenario (`commodities.gas`) for hydraulics, in SI.
GasProperties gas_properties_of(const Scenario& s);

struct HydraulicYear {
  int year = 0;
  HydraulicNetwork network;  ///< as solved (injections of that year)
  HydraulicResult result;    ///< status InvalidInput with a message when not solvable
  /// Per network.valves entry: "valve" or "short_pipe"; per network.compressors entry, the
  /// scenario pipeline it belongs to is the part of its id before the first '/'.
  std::vector<std::string> valve_type;
};

struct HydraulicCaseStudy {
  std::string scenario, case_name;
  std::vector<HydraulicYear> years;  ///< one per horizon year; empty without gas elements
  std::vector<std::string> notes;    ///< defaults used, one sentence each, each once
};

/// The study of one dispatched case (result.scenario). `options` chooses the laws.
HydraulicCaseStudy hydraulics_study(const CaseResult& result, const HydraulicOptions& options = {});

}  // namespace corridor
