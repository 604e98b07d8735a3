#pragma once
/// \file The ensemble's files (ensemble.h): pure serializers, as csv.h for `run`.
///
///   ensemble_summary.csv  scenario,case,year,commodity,entity_kind,entity,metric,unit,mean,sd,
///                         p05,p10,p50,p90,p95,min,max,draws
///   ensemble_risk.csv     scenario,case,year,commodity,entity_kind,entity,metric,unit,value,
///                         se,draws
///   draws.csv             scenario,case,draw,year,commodity,entity_kind,entity,metric,unit,value
///   inputs.csv            scenario,case,draw,year,path,drawn,drawn_unit,value,unit
///   outages.csv           scenario,case,draw,outage,target,from,to,days,derate_percent
///
/// Rows follow files and cases in input order, then commodity, year, entity kind (route,
/// market, pipeline, case), entity in scenario order and metric; draws.csv and inputs.csv go
/// draw by draw. Numbers have the decimals of the CSV contract (csv.h): 6 for volumes, 4 for
/// utilisation and probabilities, 3 for MUSD. Quantiles interpolate linearly between order
/// statistics, as numpy.percentile does by default, over the values draws.csv prints.
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "corridor/ensemble.h"

namespace corridor {

/// Mean, sd, P05..P95, min and max of every metric of every case, year and entity.
std::string ensemble_summary_csv(const EnsembleResult& r, const EnsembleStats& stats);

/// Per market and year (and per case total): p_shortfall (share of draws with shortfall above
/// 0), expected_unserved (mean shortfall), unserved_p90, unserved_p95 and cvar95_unserved
/// (mean of the worst ceil(5 %) draws); per route and year: p_online (share of draws in which
/// every pipeline of the route has capacity) and capacity_at_risk (P10 of the route capacity).
/// `se` is the standard error of a share (sqrt(p (1 - p) / n)) or a mean (sd / sqrt n), empty
/// for quantiles and CVaR.
std::string ensemble_risk_csv(const EnsembleResult& r, const EnsembleStats& stats);

/// draws.csv, one row per draw, case, year, entity and metric, produced in pieces of about
/// `piece_bytes`: each call to the returned function appends the next piece to its argument
/// and returns false once everything is written.
std::function<bool(std::string&)> draws_csv(const EnsembleResult& r,
                                            std::size_t piece_bytes = 1 << 22);

/// inputs.csv: per draw, every sampled input (per year for `per: year` samples): the number
/// drawn from its distribution (`drawn`, in `drawn_unit`: the field's unit for absolute
/// samples, "factor" for relative ones, "y" for a relative date) and the input's value that
/// the draw dispatched with (`value`, in `unit`; a date as YYYY or YYYY-MM). A bernoulli sample
/// that did not fire has an empty `drawn`. In pieces, as draws_csv().
std::function<bool(std::string&)> inputs_csv(const EnsembleResult& r,
                                             std::size_t piece_bytes = 1 << 22);

/// True when a case of `r` has random outages (`uncertainty.outages`): outages.csv is written.
bool has_outages(const EnsembleResult& r);

/// outages.csv: per draw, every random outage the draw dispatched (draw_case_outages), one row
/// each: the outage process (its id, or "outage N" by position), the target
/// ("pipelines.ID" or "supplies.ID"), the first and the last day out (inclusive, YYYY-MM-DD),
/// the days out and the share of capacity lost in percent. Cases without outages have no
/// rows. In pieces, as draws_csv().
std::function<bool(std::string&)> outages_csv(const EnsembleResult& r,
                                              std::size_t piece_bytes = 1 << 22);

/// The terminal summary: per case and commodity, each year's delivered volume at P10, P50 and
/// P90, the probability of any shortfall and the expected unserved volume.
void print_ensemble_summary(std::ostream& out, const EnsembleResult& r, const EnsembleStats& stats);

/// A tick count as a fixed-point number with `decimals` digits: 1234567 at 6 is "1.234567".
std::string format_ticks(std::int64_t ticks, int decimals);

}  // namespace corridor
