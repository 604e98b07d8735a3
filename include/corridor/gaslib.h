#pragma once
/// \file GasLib import: a network (.net) and one nomination (.scn) into a HydraulicNetwork.
///
/// GasLib (https://gaslib.zib.de; Schmidt et al. 2017, "GasLib - a library of gas network
/// instances", Data 2(4):40) publishes stationary gas networks as XML, licensed CC BY 3.0;
/// using the data requires citing Pfetsch et al. (2012), ZIB-Report 12-41.
///
/// XML library: pugixml (Debian `libpugixml-dev`). The files are small (under 1 MB), read
/// once, and need a DOM with element offsets so that every error can say file:line:col;
/// pugixml is a single small library with a DOM and `offset_debug()`, no further
/// dependencies, and a stable API since 2006. libxml2 would also do but brings validation,
/// XPath 1 engines and an older C API that we do not need; Xerces-C and expat-based
/// readers are larger or stream only. pugixml is used in sim/io/gaslib.cpp only.
///
/// What is read, and how (everything converted to SI; unknown units are errors):
///   - nodes (source, sink, innode): height (m; GasLib-24 omits the unit, taken as m),
///     pressureMin/Max (bar, barg = bar + 1.01325, kPa, MPa), the .scn's pressure bounds
///     narrowing them;
///   - pipes: length, diameter, roughness, pressureMax (the MAOP); shortPipe and valve as
///     open valves; resistor (dragFactor, diameter); controlValve as a regulator;
///     compressorStation with pressureInMin and pressureOutMax. Station internals (the .cs
///     file, dragFactorIn/Out, pressureLossIn/Out, fuelGasVertex) are not modelled: inlet
///     and outlet pressures are the nodes', fuel is reported, not withdrawn (see notes).
///   - nominations: each node's flow in 1000 m3/h at normal conditions (bound "both", or
///     lower = upper; a range is an error since a simulation needs one value). Entries
///     supply, exits withdraw. Mass flow = normal volume flow x normal density.
///   - the gas: sources carry molar mass, pseudo-critical pressure and temperature, normal
///     density, calorific value, temperature and heat-capacity coefficients; GasLib-24's
///     three sources disagree. The network's one gas is the mix weighted by nominated inflow
///     (Kay's rule: molar mass, p_c, T_c and c_p coefficients by mole fraction; normal
///     density and calorific value by normal volume, the same weights). A source that states
///     nothing takes the defaults of GasProperties (GasLib-11's gas). GasLib-11, -40 and -135
///     all state GasLib-11's gas (at 10, 0 and 0 °C). The choice is written to `notes`.
/// Nothing in the .net or .scn sets a valve state, a station setting or a reference
/// pressure: apply_station_rule (hydraulics.h) or the caller decides those.
#include <filesystem>
#include <string>
#include <vector>

#include "corridor/hydraulics.h"

namespace corridor {

enum class GasLibNodeKind { Source, Sink, Innode };

struct GasLibInstance {
  std::string title;         ///< framework:title
  std::string scenario_id;   ///< the .scn's scenario id
  HydraulicNetwork network;  ///< no pressure set anywhere, valves open, stations Closed
  std::vector<GasLibNodeKind> node_kind;
  /// Nominated flow per node, 1000 m3/h at normal conditions (entries > 0, exits < 0).
  std::vector<double> nominated_1000m3_per_h;
  std::vector<std::string> notes;  ///< decisions the importer took, one sentence each
};

/// Reads a GasLib .net and .scn. Throws InputError (file:line:col, what, what to try) on
/// unreadable files, malformed XML, unknown elements or units, missing values, or a
/// nomination naming an unknown node.
GasLibInstance read_gaslib(const std::filesystem::path& net_file,
                           const std::filesystem::path& scn_file);

/// The sources of an instance, in file order.
std::vector<int> gaslib_sources(const GasLibInstance& instance);

/// The first line of every file `corridor import-gaslib` writes; only such a file is replaced.
inline constexpr const char* kGasLibYamlMarker = "# Written by corridor import-gaslib";

struct GasLibImportOptions {
  StationRule rule = StationRule::MaxOutletPressure;
  double ratio = 1.5;    ///< for StationRule::FixedRatio
  std::string name;      ///< the scenario's `name:`
  std::string net_name;  ///< the files, for the header comment
  std::string scn_name;
  int year = 2020;  ///< the one year of the horizon
};

/// The instance as a corridor scenario (YAML text), with the station settings of
/// apply_station_rule: nodes (supply, demand, junction) with height and pressure bounds and
/// the nominated flows in bcm/y (a 365-day year), the gas in `commodities.gas`, pipes with
/// length, diameter, roughness and max_pressure, and the other elements by `type:`
/// (compressor with outlet_pressure or ratio, or `open: false`, and its min_inlet_pressure and
/// max_outlet_pressure; regulator; valve; resistor).
/// The reference entries get their maximum as `pressure`, cost 1 USD/kcm and the exits'
/// total as capacity, the other entries cost 0, so that dispatch takes every other entry's
/// nomination in full and the reference entries supply the balance, as the solver does.
/// Every element's capacity is the total nomination (GasLib has no paper capacities).
/// Not written: entries' lower pressure bounds (a supply gives only `pressure`). The header
/// comment cites
/// GasLib, names the rule, the reference entries and the closed stations, and repeats the
/// importer's notes. `corridor hydraulics` on the file solves what solve_hydraulics solves on
/// the instance after apply_station_rule, up to the 1e-6 bcm/y rounding of dispatch.
std::string gaslib_to_yaml(const GasLibInstance& instance, const GasLibImportOptions& options);

}  // namespace corridor
