#include "corridor/events.h"

#include <algorithm>
#include <limits>

namespace corridor {

std::vector<Outage> outages_of(const Scenario& s, std::string_view target) {
  std::vector<Outage> out;
  for (const Event& e : s.events) {
    if (e.target != target || e.from.year == 0 || e.to.year == 0) continue;
    Outage o;
    o.first_day = date_first_day(e.from);
    o.end_day = date_end_day(e.to);
    o.derate = e.derate.value_or(1.0);
    o.capacity_left = e.capacity_left;
    if (o.end_day > o.first_day) out.push_back(o);
  }
  return out;
}

double remaining_share(const Outage& o, double normal_rate) {
  if (o.capacity_left) {
    if (!(normal_rate > 0.0)) return 1.0;
    return std::clamp(*o.capacity_left / normal_rate, 0.0, 1.0);
  }
  return std::clamp(1.0 - o.derate, 0.0, 1.0);
}

int period_first_day(const Period& p) { return day_number(p.year, p.month == 0 ? 1 : p.month, 1); }

int period_end_day(const Period& p) {
  if (p.month == 0 || p.month == 12) return day_number(p.year + 1, 1, 1);
  return day_number(p.year, p.month + 1, 1);
}

double period_availability(std::span<const Outage> outages, const Period& p, double normal_rate,
                           int service_first, int service_end) {
  const int begin = period_first_day(p), end = period_end_day(p);
  const int on = std::max(begin, service_first), off = std::min(end, service_end);
  if (off <= on) return 0.0;
  const double days = static_cast<double>(end - begin);
  bool any = false;
  for (const Outage& o : outages) any |= o.first_day < off && o.end_day > on;
  // Without an outage in the period: the share in service, computed as in_service_fraction.
  if (!any) return static_cast<double>(off - on) / days;
  // Day by day, in runs between the outages' start and end days.
  std::vector<int> cuts = {on, off};
  for (const Outage& o : outages) {
    if (o.first_day > on && o.first_day < off) cuts.push_back(o.first_day);
    if (o.end_day > on && o.end_day < off) cuts.push_back(o.end_day);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  double left = 0.0;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    double share = 1.0;  // the largest derate of the outages covering this run of days
    for (const Outage& o : outages) {
      if (o.first_day <= cuts[k] && o.end_day > cuts[k]) {
        share = std::min(share, remaining_share(o, normal_rate));
      }
    }
    left += share * static_cast<double>(cuts[k + 1] - cuts[k]);
  }
  return left / days;
}

double intake_volume(std::span<const Outage> outages, const Period& p, double wanted,
                     std::optional<double> throughput_rate, double demand_rate) {
  const int begin = period_first_day(p), end = period_end_day(p);
  const double days = static_cast<double>(end - begin);
  // Throughput per day: the annual rate over the year's days (p.years = days / year's days).
  const double per_day_cap =
      throughput_rate ? *throughput_rate * p.years / days : std::numeric_limits<double>::infinity();
  const double normal_rate = throughput_rate ? *throughput_rate : demand_rate;
  std::vector<int> cuts = {begin, end};
  for (const Outage& o : outages) {
    if (o.first_day > begin && o.first_day < end) cuts.push_back(o.first_day);
    if (o.end_day > begin && o.end_day < end) cuts.push_back(o.end_day);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  double taken = 0.0;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    double share = 1.0;  // the largest derate of the outages covering this run of days
    for (const Outage& o : outages) {
      if (o.first_day <= cuts[k] && o.end_day > cuts[k]) {
        share = std::min(share, remaining_share(o, normal_rate));
      }
    }
    const double run = static_cast<double>(cuts[k + 1] - cuts[k]);
    const double per_day =
        throughput_rate ? std::min(wanted / days, per_day_cap * share) : wanted / days * share;
    taken += per_day * run;
  }
  return taken;
}

std::vector<double> availability_factors(std::span<const Outage> outages,
                                         std::span<const Period> periods,
                                         const std::function<double(int year)>& normal_rate) {
  std::vector<double> out;
  out.reserve(periods.size());
  for (const Period& p : periods) {
    out.push_back(period_availability(outages, p, normal_rate(p.year)));
  }
  return out;
}

}  // namespace corridor
