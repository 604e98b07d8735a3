#include "corridor/results.h"

#include <cmath>
#include <numeric>

namespace corridor {
namespace {
double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }
}  // namespace

double PeriodResult::supplied() const { return sum(supply_used); }
double PeriodResult::total_demand() const { return sum(demand); }
double PeriodResult::total_delivered() const { return sum(delivered); }
double PeriodResult::total_shortfall() const { return sum(shortfall); }

double utilization(double flow, double capacity) {
  return capacity > 0.0 ? std::abs(flow) / capacity : 0.0;
}

bool RunResult::all_demand_met() const {
  for (const CaseResult& c : cases) {
    for (const CommodityRun& run : c.runs) {
      for (const auto* list : {&run.annual, &run.monthly}) {
        for (const PeriodResult& p : *list) {
          for (double s : p.shortfall) {
            if (s > kShortfallTolerance) return false;
          }
        }
      }
    }
  }
  return true;
}

}  // namespace corridor
