#pragma once
/// \file The stdout summary: per case, a compact table of delivered, shortfall and top
/// bottleneck per year and commodity.
#include <ostream>

#include "corridor/results.h"

namespace corridor {

void print_summary(std::ostream& os, const RunResult& r);

}  // namespace corridor
