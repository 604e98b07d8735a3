#pragma once
/// \file The stdout summary: per case, a compact table of delivered, shortfall and top
/// bottleneck per year and commodity. The top bottleneck is what limits delivery: in a year
/// with shortfall, the pipelines (with their utilisation) and supplies on the min cut between
/// the supplies and the short markets (PeriodResult::limiting_pipelines, simulate.h); in a
/// year without, the most utilised pipelines. Up to three, then "+N more".
#include <ostream>

#include "corridor/results.h"

namespace corridor {

void print_summary(std::ostream& os, const RunResult& r);

}  // namespace corridor
