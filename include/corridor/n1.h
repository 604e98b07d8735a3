#pragma once
/// \file The N-1 infrastructure standard per area and year, by the formula of Regulation (EU)
/// 2017/1938 and by maximum flow on the network.
///
/// Formula (Regulation (EU) 2017/1938, Annex II, point 2):
///     N-1 [%] = (EPm + Pm + Sm + LNGm - Im) / Dmax x 100
/// in mcm/d on the day of exceptionally high demand, where for the calculated area
///   - EPm:  technical capacity of the entry points other than production, LNG and storage: here
///           the pipelines that enter the area from a node outside it (a bidirectional pipeline
///           counts in the direction that enters);
///   - Pm:   maximal technical production capacity: the `supply` nodes in the area;
///   - Sm:   maximal technical storage deliverability: the `withdrawal` of its storage nodes;
///   - LNGm: maximal technical LNG send-out: the `send_out` of its lng nodes;
///   - Im:   technical capacity of the single largest infrastructure among those above, found
///           and named here (the largest entry pipeline, supply, storage or terminal);
///   - Dmax: total daily demand on a day of exceptionally high demand: the `peak_demand` of its
///           demand nodes (their average day, annual demand / 365, where a node has none).
/// Technical capacities are `peak_capacity` where given, else the rated capacity per day
/// (capacity / 365, as every per-day unit), times the pipeline's ramp-up factor, for assets in
/// service at any time of the year; availability and events do not count (the standard is
/// about infrastructure, not its operation). Source:
/// https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32017R1938 (Annex II).
///
/// Network-aware N-1: the maximum flow (max_flow.h) that every supply, storage and lng terminal
/// of the commodity together can deliver to the area's demand nodes on the peak day, through
/// the pipelines at their technical capacity, with one asset removed, over Dmax x 100. Not
/// capped at the demand, so that it reads like the formula and can exceed 100 %. The worst
/// single removal over every pipeline, supply, storage and terminal of the network (upstream
/// ones included) is taken and named. It differs from the formula where the formula counts
/// capacity the network cannot deliver: two entry points fed by one upstream line count twice
/// in EPm, and their common line is no entry point, so Im misses it.
#include <memory>
#include <string>
#include <vector>

#include "corridor/scenario.h"

namespace corridor {

/// One area in one year. Rates in mcm/d.
struct N1Row {
  int year = 0;
  std::string area;
  double dmax = 0.0, epm = 0.0, pm = 0.0, sm = 0.0, lngm = 0.0, im = 0.0;
  std::string largest_infrastructure;   ///< Im's asset id; empty when the area has none
  double n1_percent = 0.0;              ///< the formula; meaningless when dmax is 0 (then 0)
  double n1_network_percent = 0.0;      ///< max flow with the worst single removal
  std::string worst_asset;              ///< that removal
  double network_intact_percent = 0.0;  ///< max flow with nothing removed, over Dmax
  bool dmax_from_peak = true;           ///< every demand node of the area gave peak_demand
  bool dmax_from_average = false;       ///< some demand node did not (its average day counts)
  bool capacity_from_peak = false;      ///< some asset gave peak_capacity
  bool capacity_rated = false;          ///< some asset did not (its rated capacity counts)
};

/// The areas of `s`: its `areas:`, or one per country of its gas demand nodes (all gas nodes
/// of that country), in order of first appearance. Gas only: the standard is a gas one.
std::vector<Area> n1_areas(const Scenario& s);

/// Every area and horizon year of one case.
std::vector<N1Row> n1_standard(const Scenario& s);

}  // namespace corridor
