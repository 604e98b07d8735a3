#pragma once
/// \file The stdout summary: per case, a compact table of delivered, shortfall and top
/// bottleneck per year and commodity. The top bottleneck is what limits delivery: in a year
/// with shortfall, the pipelines (with their utilisation) and supplies on the min cut between
/// the supplies and the short markets (PeriodResult::limiting_pipelines, simulate.h); in a
/// year without, the most utilised pipelines. Up to three, then "+N more".
#include <ostream>

#include "corridor/capacity.h"
#include "corridor/hydraulics_study.h"
#include "corridor/results.h"

namespace corridor {

void print_summary(std::ostream& os, const RunResult& r);

/// The `corridor capacity` table: per case, one line per pipeline and route with its largest
/// paper capacity over the years, the physical capacity, their ratio, the stations it has and
/// needs, what binds, and the power and fuel share in the year of its largest dispatched
/// flow ("over" when that flow is above the physical capacity).
void print_capacity(std::ostream& os, const std::vector<CapacityStudy>& studies);

/// The `corridor hydraulics` table: per case, one line per year with the solve's status,
/// Newton iterations, the lowest and highest node pressure, the stations' total shaft power
/// and fuel, and the number of violations; then the message of every year not solved.
void print_hydraulics(std::ostream& os, const std::vector<HydraulicCaseStudy>& studies);

}  // namespace corridor
