#pragma once
/// \file The CSV contract. Pure serializers: a RunResult in, file contents out.
///
/// One header row, RFC 4180 quoting, UTF-8, '.' decimals, no thousands separators, rows in the
/// order of the files and their cases, then commodity (gas before oil), year[, month] and
/// entity (nodes, pipelines and routes in the resolved scenario's order; transit countries by
/// their first pipeline), fixed decimals by `decimals` below; an undefined value is an empty
/// field. Annual files
/// always;
/// *_monthly.csv files only when some case has monthly resolution; contracts.csv only when some
/// case has contracts. Economics (economics.h) are
/// annual: route_costs.csv, transit_fees.csv and the cost columns of flows.csv have no monthly
/// counterpart. The annual serializers need CommodityRun::economics parallel to `annual` (as
/// simulate() fills it) and throw std::logic_error otherwise.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corridor/capacity.h"
#include "corridor/hydraulics_study.h"
#include "corridor/output.h"
#include "corridor/results.h"

namespace corridor {

/// The one decimals policy of every number corridor writes: the CSV files, comparison.csv and
/// comparison_wide.csv.
namespace decimals {
inline constexpr int kVolume = 6;     ///< bcm, Mt
inline constexpr int kFraction = 4;   ///< utilisation, shares
inline constexpr int kMoney = 3;      ///< MUSD
inline constexpr int kEnergy = 3;     ///< PJ
inline constexpr int kUnitCost = 3;   ///< USD/kcm, USD/t, levelised cost included
inline constexpr int kUsdPerGj = 4;   ///< USD/GJ
inline constexpr int kPower = 3;      ///< MW
inline constexpr int kPressure = 4;   ///< bar
inline constexpr int kDailyFlow = 4;  ///< mcm/d
inline constexpr int kMassFlow = 3;   ///< kg/s
inline constexpr int kVelocity = 3;   ///< m/s
inline constexpr int kHeight = 2;     ///< m
}  // namespace decimals

/// Fixed-point with `decimals` digits, locale-independent; a value that rounds to zero prints
/// without a sign ("-0.000" never appears). Shared by the CSV files and the terminal report.
/// The digits are those of std::to_chars (the exact value correctly rounded); most values take
/// a fast path that is proven to give the same digits (csv.cpp) and tested against it.
std::string format_fixed(double v, int decimals);

/// format_fixed() appended to `out`, without a temporary string.
void append_fixed(std::string& out, double v, int decimals);

/// RFC 4180: quotes a field containing a comma, quote, CR or LF; doubles inner quotes.
std::string csv_field(std::string_view s);

/// All result files, in a fixed order, each written row by row in pieces of about 1 MB when
/// its contents are asked for, so that no file is ever held whole (output.h). `r` must outlive
/// the files.
std::vector<OutputFile> result_files(const RunResult& r);

/// The same files with their whole contents: (file name, contents).
std::vector<std::pair<std::string, std::string>> result_csvs(const RunResult& r);

std::string flows_csv(const RunResult& r, bool monthly = false);
std::string deliveries_csv(const RunResult& r, bool monthly = false);
std::string supplies_csv(const RunResult& r, bool monthly = false);
std::string routes_csv(const RunResult& r, bool monthly = false);
/// Per case, commodity and period: supply, delivery, the dispatch cost and, in the annual file,
/// the case's fixed costs (run_fixed_cost(), economics.h) and their total; the solver's
/// shortfall penalty comes after them, named solver_penalty_musd so nobody adds it to a cost.
std::string summary_csv(const RunResult& r, bool monthly = false);
/// Per storage node and year: working volume, inventory on 1 January, injected, withdrawn,
/// inventory on 31 December and the end-of-year target; monthly: the inventory at the end of
/// each month, injection and withdrawal. Written only when some case has storage.
std::string storage_csv(const RunResult& r, bool monthly = false);
/// Per pipeline and period, with DispatchOptions::bottlenecks: flow, capacity, whether it
/// binds, and the value of one more unit of capacity (bottlenecks.h): cost saved, shortfall
/// relieved, and the priority tiers relieved and worsened.
std::string bottlenecks_csv(const RunResult& r, bool monthly = false);
/// Per market (demand node) and period, with DispatchOptions::bottlenecks: demand, delivered,
/// shortfall, remaining flexibility, and for a short market its minimum cut (ids joined by
/// ';') and the cut's capacity.
std::string market_limits_csv(const RunResult& r, bool monthly = false);
/// Per route and year: volume, allocated capital and operating cost, tariffs, transit fees,
/// total and levelised cost.
std::string route_costs_csv(const RunResult& r);
/// Per new oil line with `diameter` and `length` (scenario.h, linefill_m3), in the year it
/// comes into service within the horizon: the crude that fills it, once, in m3 and in the
/// stock unit of --units (Mt by default). Written only when some case has such a line.
std::string linefill_csv(const RunResult& r);
/// Per transit country and year: volume through its pipelines and the fees paid.
std::string transit_fees_csv(const RunResult& r);
/// Per contract and period: ACQ, minimum, taken, the minimum not taken and its take-or-pay,
/// the rule, what reached the buyers, and whether the minimum was met, paid for or (hard
/// rule) infeasible. Written only when some case has contracts.
std::string contracts_csv(const RunResult& r, bool monthly = false);

/// The declared type of a column of corridor's tables: what a typed output (results.xlsx,
/// workbook.h) makes of its cells, instead of guessing from the text.
enum class ColumnType {
  kText,    ///< ids, names, units, labels: always text, even "0012", "1e5" or "TRUE"
  kNumber,  ///< a number in corridor's fixed format, or empty when undefined
};

/// The declared type of `column`, a header of any CSV corridor writes (the files above,
/// comparison.csv and comparison_wide.csv). The columns comparison_wide.csv names after a
/// milestone year (`volume_2030`) or a delta (`delta_volume_2030`) have the type of their base
/// column. Throws std::logic_error for a column nobody declared: a new column must be added to
/// the list in csv.cpp, so that no table is ever typed by guessing.
ColumnType column_type(std::string_view column);

/// capacity.csv (`corridor capacity`): per case, year, pipeline then route, the paper and
/// physical capacity (capacity.h). `ratio` is empty for a paper capacity of 0,
/// `stations_needed` empty when 200 evenly spaced stations do not carry the paper capacity, and
/// `power_mw` and `fuel_share` empty when the dispatched flow is above the physical capacity.
std::string capacity_csv(const std::vector<CapacityStudy>& studies);

/// hydraulics.csv (`corridor hydraulics`): per case, year and element of the gas network
/// (hydraulics_study.h), in network order (pipes, resistors, valves, compressors,
/// regulators): the solve's status; flow in mcm/d (normal m3 at 0 °C, 1.01325 bar) and kg/s,
/// positive from `from` to `to`; end pressures and their drop in bar; velocity (pipes, at the
/// lower-pressure end); compressor ratio, shaft power in MW and fuel in mcm/d; and the
/// violations of that element ("kind value > limit unit", separated by "; "). Every number is
/// empty when the year was not solved (status other than converged).
std::string hydraulics_csv(const std::vector<HydraulicCaseStudy>& studies);
/// hydraulics_nodes.csv: per case, year and node: status, height in m, pressure and its
/// bounds in bar (empty when unbounded), injection in mcm/d and kg/s (supply positive; at a
/// reference node the balancing result), and the node's violations.
std::string hydraulics_nodes_csv(const std::vector<HydraulicCaseStudy>& studies);

}  // namespace corridor
