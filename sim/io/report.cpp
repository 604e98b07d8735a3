#include "corridor/report.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <iomanip>
#include <string>
#include <string_view>
#include <system_error>

#include "corridor/compare.h"
#include "corridor/csv.h"
#include "corridor/units.h"

namespace corridor {
namespace {

constexpr int kVolumeWidth = 12;
constexpr int kUnitWidth = 6;

constexpr std::size_t kShownLimits = 3;

/// "id 97.5%": a pipeline and its utilisation in the period.
std::string pipeline_label(const Scenario& s, const Network& net, const PeriodResult& p, int idx) {
  std::string label = s.pipelines[idx].id;
  for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
    if (net.pipelines[i] != idx) continue;
    if (const auto u = utilisation(p.pipeline_flow[i], p.pipeline_capacity[i])) {
      label += " " + format_fixed(100.0 * *u, 1) + "%";
    }
  }
  return label;
}

/// Up to three labels joined by ", ", then ", +N more" and `more_what` when `more` of the rest
/// are worth a mention.
std::string shown_labels(const std::vector<std::string>& labels, std::size_t more,
                         std::string_view more_what = "") {
  std::string out;
  for (std::size_t i = 0; i < labels.size() && i < kShownLimits; ++i) {
    out += (i ? ", " : "") + labels[i];
  }
  if (more > 0) out += ", +" + std::to_string(more) + " more" + std::string(more_what);
  return out;
}

// What limits delivery. With shortfall: the pipelines and supplies on the min cut between the
// supplies and the short markets (PeriodResult::limiting_pipelines, simulate.h), "lineB
// 100.0%, fieldC (supply)", or "no supply reaches" when nothing with capacity connects them.
// Without: the most utilised pipelines, "a 100.0%, b 80.0%, c 10.0%", and how many more run
// full (at kBindingUtilisation), "+23 more full". Up to three each; "-" when nothing flows.
std::string top_bottleneck(const Scenario& s, const Network& net, const PeriodResult& p) {
  std::vector<std::string> labels;
  if (p.total_shortfall() > kHalfFlowUnit) {
    for (int idx : p.limiting_pipelines) labels.push_back(pipeline_label(s, net, p, idx));
    for (int idx : p.limiting_supplies) labels.push_back(s.nodes[idx].id + " (supply)");
    const std::size_t more = labels.size() > kShownLimits ? labels.size() - kShownLimits : 0;
    return labels.empty() ? "no supply reaches" : shown_labels(labels, more);
  }
  std::vector<std::pair<double, std::size_t>> used;  // utilisation, position
  for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
    const double u = utilisation(p.pipeline_flow[i], p.pipeline_capacity[i]).value_or(0.0);
    if (u > 0.0) used.emplace_back(u, i);
  }
  std::stable_sort(used.begin(), used.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::size_t more_full = 0;
  for (std::size_t k = 0; k < used.size(); ++k) {
    labels.push_back(pipeline_label(s, net, p, net.pipelines[used[k].second]));
    more_full += k >= kShownLimits && used[k].first >= kBindingUtilisation;
  }
  return labels.empty() ? "-" : shown_labels(labels, more_full, " full");
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
      const VolumeScale scale = output_scale(r.units, commodity, props(*c.scenario, commodity));
      for (const PeriodResult& p : run.annual) {
        const bool short_of_demand = p.total_shortfall() > kHalfFlowUnit;
        const bool optimal = p.status == FlowStatus::Optimal;
        marked_shortfall |= short_of_demand;
        marked_status |= !optimal;
        os << "    "
           << (!optimal          ? '?'
               : short_of_demand ? '!'
                                 : ' ')
           << ' ' << std::setw(4) << p.period.year << std::setw(kVolumeWidth)
           << format_fixed(scale.value(p.total_delivered(), p.period.year, 0), 2)
           << std::setw(kVolumeWidth)
           << format_fixed(scale.value(p.total_shortfall(), p.period.year, 0), 2) << "  "
           << std::left << std::setw(kUnitWidth) << scale.unit << std::right
           << (optimal ? top_bottleneck(*c.scenario, run.network, p)
                       : "(" + std::string(flow_status_name(p.status)) + ")")
           << '\n';
      }
    }
  }
  if (marked_shortfall) os << "! demand not fully met\n";
  if (marked_status) {
    os << "? infeasible: a hard contract minimum the network could not take (see the warnings "
          "and contracts.csv)\n";
  }
  os.flags(saved_flags);
}

void print_capacity(std::ostream& os, const std::vector<CapacityStudy>& studies) {
  for (const CapacityStudy& st : studies) {
    if (st.rows.empty()) continue;
    // One line per (commodity, id): the largest paper capacity, the year of the largest flow.
    std::vector<CapacityRow> lines;
    for (const CapacityRow& r : st.rows) {
      auto it = std::find_if(lines.begin(), lines.end(), [&](const CapacityRow& l) {
        return l.id == r.id && l.commodity == r.commodity && l.route == r.route;
      });
      if (it == lines.end()) {
        lines.push_back(r);
        continue;
      }
      const double paper = std::max(it->paper_capacity, r.paper_capacity);
      const int needed =
          it->paper_capacity >= r.paper_capacity ? it->stations_needed : r.stations_needed;
      if (r.dispatched > it->dispatched) *it = r;
      it->paper_capacity = paper;
      it->stations_needed = needed;
      it->ratio = paper > 0.0 ? it->physical_capacity / paper : it->ratio;
    }
    os << st.rows.front().scenario << " / " << st.rows.front().case_name << "\n";
    os << std::left << std::setw(22) << "pipeline or route" << std::right << std::setw(9) << "paper"
       << std::setw(10) << "physical" << std::setw(6) << "unit" << std::setw(7) << "ratio"
       << std::setw(6) << "stns" << std::setw(7) << "needed" << std::setw(9) << "MW" << std::setw(7)
       << "fuel"
       << "  limit\n";
    for (const CapacityRow& l : lines) {
      std::string id = (l.route ? "route " : "") + l.id;
      if (id.size() > 21) id = id.substr(0, 20) + "~";
      os << std::left << std::setw(22) << id << std::right << std::setw(9)
         << format_fixed(l.paper_capacity, 1) << std::setw(10)
         << format_fixed(l.physical_capacity, 1) << std::setw(6)
         << (std::string(volume_unit(l.commodity)) + "/y") << std::setw(7)
         << (std::isnan(l.ratio) ? std::string("-") : format_fixed(l.ratio, 2)) << std::setw(6)
         << l.stations << std::setw(7)
         << (l.stations_needed < 0 ? std::string(">200") : std::to_string(l.stations_needed))
         << std::setw(9)
         << (std::isnan(l.power_mw) ? std::string("-") : format_fixed(l.power_mw, 0))
         << std::setw(7)
         << (std::isnan(l.fuel_share) ? std::string("-")
                                      : format_fixed(100.0 * l.fuel_share, 1) + "%")
         << "  " << l.limit << (l.over_capacity ? " (over)" : "") << "\n";
    }
  }
}

void print_hydraulics(std::ostream& os, const std::vector<HydraulicCaseStudy>& studies) {
  for (const HydraulicCaseStudy& st : studies) {
    if (st.years.empty()) continue;
    os << st.scenario << " / " << st.case_name << "\n";
    os << std::left << std::setw(6) << "year" << std::setw(20) << "status" << std::right
       << std::setw(6) << "iter" << std::setw(8) << "nodes" << std::setw(10) << "min bar"
       << std::setw(10) << "max bar" << std::setw(9) << "MW" << std::setw(12) << "fuel mcm/d"
       << std::setw(12) << "violations"
       << "\n";
    std::vector<std::string> messages;
    for (const HydraulicYear& y : st.years) {
      const HydraulicResult& r = y.result;
      os << std::left << std::setw(6) << y.year << std::setw(20) << hydraulic_status_name(r.status)
         << std::right;
      if (!r.converged()) {
        os << std::setw(6) << r.iterations << std::setw(8) << y.network.nodes.size() << "\n";
        messages.push_back(std::to_string(y.year) + ": " + r.message);
        continue;
      }
      double lo = INFINITY, hi = -INFINITY, power = 0.0, fuel = 0.0;
      for (double p : r.node_pressure_pa) {
        if (!std::isfinite(p)) continue;
        lo = std::min(lo, p);
        hi = std::max(hi, p);
      }
      for (double w : r.compressor_power_w) power += w;
      for (double f : r.compressor_fuel_kg_per_s) fuel += f;
      const double fuel_mcm = m3_per_s_to_mcm_per_day(mass_to_normal_volume(y.network.gas, fuel));
      os << std::setw(6) << r.iterations << std::setw(8) << y.network.nodes.size() << std::setw(10)
         << format_fixed(pa_to_bar(lo), 2) << std::setw(10) << format_fixed(pa_to_bar(hi), 2)
         << std::setw(9) << format_fixed(w_to_mw(power), 1) << std::setw(12)
         << format_fixed(fuel_mcm, 3) << std::setw(12) << r.violations.size() << "\n";
    }
    for (const std::string& m : messages) os << "  " << m << "\n";
  }
}

}  // namespace corridor
