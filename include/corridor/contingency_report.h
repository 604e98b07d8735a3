#pragma once
/// \file The N-1 sweep's outputs (contingencies.h): four tidy CSV files and the ranking table.
///
///   contingencies.csv          one row per asset (or pair) and year: lost volume, its share,
///                              cost change, the worst-hit market, and the route that picks up
///                              the most;
///   contingencies_markets.csv  per asset, year and market: base and outage deliveries;
///   contingencies_tiers.csv    per asset, year and priority tier: shortfall added;
///   contingencies_routes.csv   per asset, year and route: base and outage volume.
/// Rows follow the members, commodities, years, then assets in their order (pairs last). The
/// pair of assets a and b is named "a+b", its kind "pipeline+supply".
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "corridor/contingencies.h"

namespace corridor {

/// (file name, contents) of the four files, in the order above.
std::vector<std::pair<std::string, std::string>> contingency_csvs(const ContingencyStudy& study);

/// Per case and commodity: the `top` contingencies by lost volume summed over the years they
/// touch, with the worst year and market, as a table.
void print_contingency_ranking(std::ostream& os, const ContingencyStudy& study, int top = 10);

/// The name of a contingency's assets ("pos1", "pos1+far-east") and kinds.
std::string contingency_name(const CommodityContingencies& run, const Contingency& c);
std::string contingency_kind(const CommodityContingencies& run, const Contingency& c);

}  // namespace corridor
