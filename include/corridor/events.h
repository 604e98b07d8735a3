#pragma once
/// \file Dated events as availability: how much of a target's normal volume is left in each
/// period of a run.
///
/// An Outage is a span of whole days, [first_day, end_day) in days since 1970-01-01
/// (scenario.h: date_first_day, date_end_day), on which its target keeps (1 - derate) of its
/// capacity, or at most `capacity_left` as an annual rate. A scenario's `events:` become
/// outages (outages_of); a study builds them in code (a contingency window, a random outage of
/// an ensemble member) and reads the factors here without loading any YAML.
///
/// Counting by days. The factor of a period is the mean over its days of what is left that
/// day: 1 on a day without an outage, the smallest remaining share of the outages covering the
/// day otherwise (overlapping outages combine as the largest derate on each day, never as a
/// sum), and 0 on a day when the target is not in service at all. The period's volume is then
/// its normal volume (annual rate x period length) x the factor. With `resolution: month` a
/// month loses the share of its days under the outage; with `resolution: year` the year does,
/// which spreads the loss over the whole year: a three-month winter outage costs a quarter of
/// the annual capacity, whatever the season. Use monthly resolution when timing matters.
///
/// A `capacity_left` outage keeps min(1, capacity_left / normal rate) of the normal volume on
/// its days; with a normal rate of 0 nothing is lost (there is nothing to lose).
#include <climits>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "corridor/network.h"
#include "corridor/scenario.h"

namespace corridor {

struct Outage {
  int first_day = 0;                    ///< days since 1970-01-01, inclusive
  int end_day = 0;                      ///< exclusive
  double derate = 1.0;                  ///< share of capacity lost, in [0, 1]
  std::optional<double> capacity_left;  ///< annual rate left (bcm/y or Mt/y); replaces derate
};

/// The outages of the scenario's events on the entity with id `target`, in event order.
std::vector<Outage> outages_of(const Scenario& s, std::string_view target);

/// Remaining share of the normal volume of one day, given the outages covering it.
double remaining_share(const Outage& o, double normal_rate);

/// The factor of period `p` (see the file comment) for a target with normal annual rate
/// `normal_rate` in the period's year and in service on the days [service_first, service_end).
/// With no outages this is the share of the period's days in service, exactly as
/// in_service_fraction (network.h) computes it.
double period_availability(std::span<const Outage> outages, const Period& p, double normal_rate,
                           int service_first = INT_MIN, int service_end = INT_MAX);

/// period_availability for every period of `periods`, with the normal rate of each period's
/// year from `normal_rate(year)`; always in service.
std::vector<double> availability_factors(std::span<const Outage> outages,
                                         std::span<const Period> periods,
                                         const std::function<double(int year)>& normal_rate);

/// Capacity of a pipeline in period `p` as a volume under `outages`: its effective rate
/// (network.h) x the period's length x period_availability over its days in service. This is
/// what period_bounds gives with the scenario's own events; a study passes its own.
double pipeline_period_capacity(const Pipeline& pl, const Period& p,
                                std::span<const Outage> outages);

/// A supply's (or lng terminal's) capacity in period `p` under `outages`, as period_bounds
/// computes it: supply_available_in (network.h: ramp, profile, online and retire), x the share
/// of its days in service that the outages leave.
double supply_period_volume(const Node& n, const Period& p, std::span<const Outage> outages);

/// A rate series (storage injection or withdrawal) as a volume in period `p` under `outages`,
/// as period_bounds computes it.
double rate_period_volume(const Series& rate, const Period& p, std::span<const Outage> outages);

/// What demand node `n` takes in period `p` under `outages` (its own events, outages_of: a
/// refinery turnaround), bit for bit as period_bounds gives it: the demand over the period (by
/// its monthly profile), at most max_throughput, under intake_volume below. A study that
/// recomputes a demand passes the node's events: without them the bound is not the case's.
double demand_in(const Node& n, const Period& p, std::span<const Outage> outages);

/// What a demand node takes in period `p` (a refinery and its turnarounds, issue 18): day by
/// day, the smaller of its demand `wanted` (the period's volume, spread evenly over the
/// period's days) and its throughput left that day: `throughput_rate` (an annual rate; a day
/// gets its share of the year's days) x the remaining share of the outages covering the day.
/// Without a throughput (nullopt) the outages derate the demand itself. A turnaround so takes
/// the days it covers out of the period's demand and moves nothing to other days, at any
/// resolution: the 12 months of a year sum to the year's annual-resolution volume when the
/// demand follows the days (no `profile`).
double intake_volume(std::span<const Outage> outages, const Period& p, double wanted,
                     std::optional<double> throughput_rate, double demand_rate);

/// The first and end day (days since 1970-01-01) of a period.
int period_first_day(const Period& p);
int period_end_day(const Period& p);

}  // namespace corridor
