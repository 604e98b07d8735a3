#include "corridor/results.h"

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace corridor {
namespace {
double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }
}  // namespace

double PeriodResult::supplied() const { return sum(supply_used); }
double PeriodResult::total_demand() const { return sum(demand); }
double PeriodResult::total_delivered() const { return sum(delivered); }
double PeriodResult::total_shortfall() const { return sum(shortfall); }

std::optional<double> utilisation(double flow, double capacity) {
  if (!(capacity > 0.0)) return std::nullopt;
  return std::abs(flow) / capacity;
}

namespace {

void require_size(std::size_t have, std::size_t want, std::string_view who, const char* what) {
  if (have != want) {
    throw std::logic_error(std::string(who) + ": period result has " + std::to_string(have) + " " +
                           what + " values for " + std::to_string(want) + " entities");
  }
}

}  // namespace

void require_parallel(const PeriodResult& p, const Network& net, std::string_view who) {
  const std::size_t pipelines = net.pipelines.size(), supplies = net.supplies.size(),
                    demands = net.demands.size(), routes = net.routes.size(),
                    contracts = net.contracts.size();
  require_size(p.pipeline_flow.size(), pipelines, who, "pipeline flow");
  require_size(p.pipeline_capacity.size(), pipelines, who, "pipeline capacity");
  require_size(p.supply_available.size(), supplies, who, "supply available");
  require_size(p.supply_used.size(), supplies, who, "supply used");
  require_size(p.supply_contracted.size(), supplies, who, "supply contracted");
  require_size(p.delivered_contracted.size(), demands, who, "delivered contracted");
  require_size(p.contract_acq.size(), contracts, who, "contract acq");
  require_size(p.contract_min.size(), contracts, who, "contract min");
  require_size(p.contract_taken.size(), contracts, who, "contract taken");
  require_size(p.contract_to_buyers.size(), contracts, who, "contract to buyers");
  require_size(p.contract_take_or_pay_musd.size(), contracts, who, "contract take-or-pay");
  require_size(p.contract_infeasible.size(), contracts, who, "contract infeasible");
  require_size(p.demand.size(), demands, who, "demand");
  require_size(p.delivered.size(), demands, who, "delivered");
  require_size(p.shortfall.size(), demands, who, "shortfall");
  require_size(p.route_volume.size(), routes, who, "route volume");
  require_size(p.route_capacity.size(), routes, who, "route capacity");
  require_size(p.route_bottleneck.size(), routes, who, "route bottleneck");
  if (!p.capacity_value.empty() || !p.market_limit.empty()) {
    require_size(p.capacity_value.size(), pipelines, who, "capacity value");
    require_size(p.market_limit.size(), demands, who, "market limit");
  }
  const std::size_t storages = net.storages.size();
  require_size(p.storage_start.size(), storages, who, "storage start");
  require_size(p.storage_end.size(), storages, who, "storage end");
  require_size(p.storage_injection.size(), storages, who, "storage injection");
  require_size(p.storage_withdrawal.size(), storages, who, "storage withdrawal");
}

void require_parallel(const CommodityRun& run, std::string_view who, bool with_economics) {
  for (const PeriodResult& p : run.annual) require_parallel(p, run.network, who);
  for (const PeriodResult& p : run.monthly) require_parallel(p, run.network, who);
  if (!with_economics) return;
  const RunEconomics& e = run.economics;
  const std::size_t years = run.annual.size();
  require_size(e.pipelines.size(), years, who, "economics pipeline-year");
  require_size(e.routes.size(), years, who, "economics route-year");
  require_size(e.route_own.size(), years, who, "economics route-own-year");
  require_size(e.transit.size(), years, who, "economics transit-year");
  for (std::size_t y = 0; y < years; ++y) {
    require_size(e.pipelines[y].size(), run.network.pipelines.size(), who, "pipeline cost");
    require_size(e.routes[y].size(), run.network.routes.size(), who, "route cost");
    require_size(e.route_own[y].size(), run.network.routes.size(), who, "route own cost");
  }
}

std::vector<CaseFailure> RunResult::failures() const {
  std::vector<CaseFailure> out;
  for (const CaseResult& c : cases) {
    if (c.failure) out.push_back(*c.failure);
  }
  return out;
}

bool RunResult::all_demand_met() const {
  for (const CaseResult& c : cases) {
    for (const CommodityRun& run : c.runs) {
      for (const auto* list : {&run.annual, &run.monthly}) {
        for (const PeriodResult& p : *list) {
          for (double s : p.shortfall) {
            if (s > kHalfFlowUnit) return false;
          }
        }
      }
    }
  }
  return true;
}

}  // namespace corridor
