#include "corridor/report.h"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <iomanip>
#include <string>
#include <string_view>
#include <system_error>

#include "corridor/csv.h"
#include "corridor/units.h"

namespace corridor {
namespace {

constexpr int kVolumeWidth = 12;
constexpr int kUnitWidth = 6;

// "id 97.5%" for the bottleneck pipeline of the most utilised route, or, without routes (or
// with no flow on any), for the most utilised pipeline; "-" when nothing flows.
std::string top_bottleneck(const Scenario& s, const Network& net, const PeriodResult& p) {
  const std::size_t num_pipelines =
      std::min({net.pipelines.size(), p.pipeline_flow.size(), p.pipeline_capacity.size()});
  auto pipeline_util = [&](std::size_t i) {
    return utilisation(p.pipeline_flow[i], p.pipeline_capacity[i]).value_or(0.0);
  };
  int best = -1;  // scenario pipeline index
  double best_util = 0.0;

  const std::size_t num_routes =
      std::min({p.route_volume.size(), p.route_capacity.size(), p.route_bottleneck.size()});
  double route_util = 0.0;
  for (std::size_t r = 0; r < num_routes; ++r) {
    const double u = utilisation(p.route_volume[r], p.route_capacity[r]).value_or(0.0);
    if (u > route_util && p.route_bottleneck[r] >= 0) {
      route_util = u;
      best = p.route_bottleneck[r];
    }
  }
  if (best >= 0) {
    best_util = route_util;
    for (std::size_t i = 0; i < num_pipelines; ++i) {
      if (net.pipelines[i] == best) best_util = pipeline_util(i);
    }
  } else {
    for (std::size_t i = 0; i < num_pipelines; ++i) {
      if (pipeline_util(i) > best_util) {
        best_util = pipeline_util(i);
        best = net.pipelines[i];
      }
    }
  }
  if (best < 0 || best >= static_cast<int>(s.pipelines.size())) return "-";
  return s.pipelines[best].id + " " + format_fixed(100.0 * best_util, 1) + "%";
}

}  // namespace

void print_summary(std::ostream& os, const RunResult& r) {
  const std::ios_base::fmtflags saved_flags = os.flags();
  bool marked_shortfall = false, marked_status = false;
  for (const CaseResult& c : r.cases) {
    os << c.scenario->name << " / " << c.scenario->case_name << '\n';
    for (const CommodityRun& run : c.runs) {
      const Commodity commodity = run.network.commodity;
      os << "  " << commodity_name(commodity) << '\n'
         << "      year" << std::setw(kVolumeWidth) << "delivered" << std::setw(kVolumeWidth)
         << "shortfall"
         << "  " << std::left << std::setw(kUnitWidth) << "unit" << std::right
         << "top bottleneck\n";
      for (const PeriodResult& p : run.annual) {
        const double shortfall = p.total_shortfall();
        const bool short_of_demand = shortfall > kHalfFlowUnit;
        const bool optimal = p.status == FlowStatus::Optimal;
        marked_shortfall |= short_of_demand;
        marked_status |= !optimal;
        os << "    "
           << (!optimal          ? '?'
               : short_of_demand ? '!'
                                 : ' ')
           << ' ' << std::setw(4) << p.period.year << std::setw(kVolumeWidth)
           << format_fixed(p.total_delivered(), 2) << std::setw(kVolumeWidth)
           << format_fixed(shortfall, 2) << "  " << std::left << std::setw(kUnitWidth)
           << volume_unit(commodity) << std::right
           << (optimal ? top_bottleneck(*c.scenario, run.network, p)
                       : "(" + std::string(flow_status_name(p.status)) + ")")
           << '\n';
      }
    }
  }
  if (marked_shortfall) os << "! demand not fully met\n";
  if (marked_status) os << "? no optimal flow found; see summary.csv status\n";
  os.flags(saved_flags);
}

}  // namespace corridor
