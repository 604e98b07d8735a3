#pragma once
/// \file Paper against physical capacity (`corridor capacity`): for every pipeline with
/// physical data (length, diameter and max_pressure), the largest flow its stations can carry
/// between the MAOP at each discharge and the least pressure at each suction and at delivery,
/// what binds, the station power and fuel at the flow dispatched each year, and how many
/// evenly spaced stations of its kind would carry its paper capacity.
///
/// Gas lines: gas_line.h (the isothermal model of hydraulics.h, stations at the MAOP, fuel
/// taken from the gas). Oil lines: oil_hydraulics.h (Darcy-Weisbach, pump stations raising
/// only as far as needed). Each pipeline is studied on its own, in its from -> to direction,
/// with heights varying linearly between its nodes' `height`s, and these inputs:
///   - inner diameter: `diameter` - 2 `wall_thickness` (without a wall thickness, the
///     diameter, which overstates the capacity; a note says so);
///   - roughness: `roughness`, else kDefaultRoughnessMm;
///   - the pressure at the start: the `from` node's `pressure`, else (gas) the least pressure
///     below, (oil) kDefaultOilInletPressureMpa;
///   - the least pressure at the end: the `to` node's `min_pressure`, else
///     kDefaultMinPressureShare of the MAOP (gas) or kDefaultOilMinPressureMpa (oil); gas
///     lines need it at every station's suction too, oil lines kDefaultOilMinPressureMpa at
///     the suction of every station after the first and kDefaultOilLinePressureMpa all along.
/// Every default used is written to `notes`. Routes: a route whose pipelines all have
/// physical data gets a row too: its capacity is its smallest pipeline's, its stations, power
/// and fuel the sums, its limit that of its tightest pipeline ("pipe-id: limit").
/// The gas lines' friction and compressibility laws come from `law` (HydraulicOptions; the
/// defaults are Nikuradse and Papay, the CLI's --friction and --compressibility); an AGA-8
/// characterisation that fails is the caller's to check first (compressibility_model's error),
/// as solve_gas_line throws std::invalid_argument on it.
#include <string>
#include <vector>

#include "corridor/hydraulics.h"
#include "corridor/results.h"
#include "corridor/units.h"

namespace corridor {

inline constexpr double kDefaultMinPressureShare = 0.5;     ///< gas, of the MAOP (assumption)
inline constexpr double kDefaultOilInletPressureMpa = 0.5;  ///< tank and booster (assumption)
inline constexpr double kDefaultOilMinPressureMpa = 0.5;    ///< suction, delivery (assumption)
inline constexpr double kDefaultOilLinePressureMpa = 0.2;   ///< vapour + margin (assumption)

struct CapacityRow {
  std::string scenario, case_name;
  int year = 0;
  Commodity commodity = Commodity::Gas;
  std::string id;  ///< pipeline or route
  bool route = false;
  double paper_capacity = 0.0;     ///< bcm/y or Mt/y: the capacity given for the year
  double physical_capacity = 0.0;  ///< bcm/y or Mt/y entering the line
  double ratio = 0.0;              ///< physical over paper; NaN when the paper capacity is 0
  int stations = 0;
  int stations_needed = 0;  ///< evenly spaced, to carry the paper capacity; -1: 200 do not
  double dispatched = 0.0;  ///< bcm/y or Mt/y carried that year (net, from -> to)
  double power_mw = 0.0;    ///< station shaft power at the dispatched flow; NaN when over
  double fuel_share = 0.0;  ///< gas burnt by the stations over the dispatched flow; NaN when over
  std::string limit;        ///< MAOP, power, ratio, head, suction, line pressure, delivery pressure
  /// The dispatched flow is above the physical capacity: the line cannot carry it, so no
  /// power and fuel carry it either (NaN).
  bool over_capacity = false;
};

struct CapacityStudy {
  std::vector<CapacityRow> rows;   ///< by case, commodity, year, pipelines then routes
  std::vector<std::string> notes;  ///< the defaults used, one sentence each, each once
};

/// `--apply`: the case dispatched again with its physics.
///   - Capacity: each studied pipeline's capacity becomes, each year, its paper capacity or,
///     where less, what the line physically delivers at its capacity (gas: the inlet capacity
///     less the stations' fuel), as an absolute limit (availability and ramp still apply to
///     the paper capacity, not to the physical one).
///   - Fuel: a loss on the pipeline arc. Each gas line with stations withdraws its fuel at its
///     `from` node through an arc "fuel:ID" into a demand node "fuel:ID" (its country that of
///     the `from` node) whose demand is the fuel the stations burn at the line's inlet flow,
///     served before any market (priority 1; every market's priority moves down by one). So
///     supplies.csv's `used` exceeds what the markets receive by the fuel, and the fuel nodes
///     appear in deliveries.csv. The fuel depends on the flow, the flow on the fuel: the
///     dispatch repeats with the fuel of the previous one until no fuel changes by more than
///     kApplyFuelTolerance (bcm/y), at most kApplyMaxIterations times.
inline constexpr const char* kFuelPrefix = "fuel:";
inline constexpr double kApplyFuelTolerance = 1e-6;  ///< bcm/y, the dispatch's resolution
inline constexpr int kApplyMaxIterations = 20;

struct CapacityApplied {
  CaseResult result;         ///< the dispatch with physics; result.scenario is the modified case
  CapacityStudy study;       ///< at that dispatch; paper capacities are the original case's
  int iterations = 0;        ///< dispatches
  double fuel_change = 0.0;  ///< largest change of a line's fuel at the last one, bcm/y
  bool converged = false;
};

/// `original` dispatched again with its physics (above). Throws nothing for physics; a
/// dispatch failure is in result.failure.
CapacityApplied apply_capacity(const CaseResult& original, const HydraulicOptions& law = {});

/// The study of one dispatched case (result.scenario). Pipelines without length, diameter or
/// max_pressure, and elements other than pipes (`type:`), are left out. Throws nothing for physics:
/// an infeasible line is a result.
CapacityStudy capacity_study(const CaseResult& result, const HydraulicOptions& law = {});

}  // namespace corridor
