#pragma once
/// \file n1.csv and the N-1 table on the terminal (n1.h).
///
/// n1.csv: scenario,case,year,area,dmax,epm,pm,sm,lngm,im,largest_infrastructure,n1_percent,
/// n1_network_percent,worst_asset,unit, then dmax_basis (peak_demand, average day or mixed:
/// where Dmax came from) and capacity_basis (peak_capacity, rated per day or mixed). Rates in
/// mcm/d (3 decimals), percentages with 1 decimal; n1_percent and n1_network_percent are empty
/// when Dmax is 0.
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "corridor/n1.h"

namespace corridor {

/// One case's rows.
struct N1Case {
  std::shared_ptr<const Scenario> scenario;
  std::vector<N1Row> rows;
};

std::string n1_csv(const std::vector<N1Case>& cases);

/// Per case: one line per area and year of `years` (every year when empty) with the terms,
/// both percentages and the assets named; then what the basis of Dmax and capacity was.
void print_n1(std::ostream& os, const std::vector<N1Case>& cases, const std::vector<int>& years);

}  // namespace corridor
