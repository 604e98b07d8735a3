#pragma once
/// \file The scenario model: plain data, no IO, no solver handles.
///
/// A Scenario is one fully resolved case: `extends:` chains are merged and at most one
/// alternative applied, so nothing here knows about composition. Every value is already in
/// canonical units (see units.h): flow rates in bcm/y (gas) or Mt/y (oil), costs in USD/kcm
/// or USD/t, lengths in km, diameters in mm, pressures in MPa. Every entity remembers where
/// it was written, for diagnostics.
///
/// Time: a Period is a year, or a month of a year. A Series is a value over years: a scalar,
/// or points {year: value} with step (default) or linear interpolation, flat before the first
/// given year and after the last, unless a growth rate carries the last value on.
///
/// Money is in USD throughout: the loader converts values written in other currencies (RUB,
/// CNY, EUR) with the scenario's exchange rates (`economics.fx`) into USD series, year by
/// year, as scenarios/README.md documents. A scenario built in code is in USD already.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "corridor/diagnostics.h"
#include "corridor/uncertainty.h"
#include "corridor/units.h"

namespace corridor {

enum class Interpolation { Step, Linear };

/// A value that may change by year.
struct Series {
  std::map<int, double> points;  ///< year -> value; one point for a constant
  Interpolation interpolation = Interpolation::Step;
  /// Growth per year after the last point (0.03 for 3 %/y): the value in a later year is the
  /// last point's x (1 + growth)^(years after it). None: the last value holds.
  std::optional<double> growth;
  SourceLocation where;
  bool empty() const { return points.empty(); }
};

/// Value in `year`: flat before the first point; step holds the most recent point; linear
/// interpolates between neighbouring points; after the last point that point's value holds,
/// or grows by `growth` per year. An empty series is 0.
double value_at(const Series& s, int year);

/// A series with one point: a constant.
Series constant_series(double v);

/// The years a scenario may name (horizon, dates, series points), inclusive: anything outside
/// is a slip. The loader and validate() both refuse other years, with this hint.
constexpr int kEarliestYear = 1900;
constexpr int kLatestYear = 2200;
inline constexpr const char* kPlausibleYearsHint = "years must lie between 1900 and 2200";

/// Year and month (1..12); month 0 means "the whole year" / "from January".
struct YearMonth {
  int year = 0;
  int month = 0;
  bool operator==(const YearMonth&) const = default;
};

enum class Resolution { Year, Month };

struct Horizon {
  int start_year = 0;
  int end_year = 0;  ///< inclusive
  SourceLocation where;
};

/// Storage and LNG terminals (issue 12): a `storage` node holds gas or oil between the months
/// of a year (dispatch.h: only with monthly resolution); an `lng` node is a regasification
/// terminal, a supply whose capacity is its send-out, reported apart from pipeline supply.
enum class NodeKind { Supply, Demand, Junction, Border, Storage, Lng };
std::string_view node_kind_name(NodeKind k);

/// A calendar date as a scenario writes it: a year (2031), a month ("2031-03") or a day
/// ("2031-01-15"). `month` 0 means the whole year, `day` 0 the whole month.
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
  bool operator==(const Date&) const = default;
};

/// Days since 1970-01-01 of the first day of `d` (1 January for a year, the 1st for a month),
/// and of the day after its last day (31 December, the month's last day, or the day itself):
/// [date_first_day(d), date_end_day(d)) is the span the date names.
int date_first_day(const Date& d);
int date_end_day(const Date& d);
/// Days since 1970-01-01 of year/month/day (month and day from 1).
int day_number(int year, int month, int day);

/// A storage inventory level: a fraction of the working volume, or a volume (bcm or Mt).
struct StorageLevel {
  bool is_fraction = true;
  double value = 0.5;
};

/// The inventory `level` stands for in a storage of `working_volume` (bcm or Mt).
double level_volume(const StorageLevel& level, double working_volume);

struct Node {
  std::string id;
  NodeKind kind = NodeKind::Junction;
  Commodity commodity = Commodity::Gas;
  std::string country;
  // physics (hydraulics, `corridor capacity`); all optional
  std::optional<double> height_m;          ///< above sea level
  std::optional<double> pressure_mpa;      ///< supply: the pressure the supply delivers at
  std::optional<double> min_pressure_mpa;  ///< where gas or oil is delivered: the least pressure
  std::optional<double> max_pressure_mpa;  ///< the highest pressure the node may have
  SourceLocation height_where, pressure_where, min_pressure_where, max_pressure_where;
  // supply
  Series capacity;  ///< bcm/y or Mt/y available
  Series cost;      ///< USD/kcm or USD/t at the supply node, by year
  // `capacity` and `cost` also serve `lng` nodes: their send-out and regasified-gas price.
  /// Label grouping supplies in comparison_cases.csv (`source:`, e.g. "LNG"); empty: the id.
  std::string source;
  /// False (`spot: false`): the supply sells only under its contracts, so its volume is bounded
  /// by their max_take as well as by its capacity.
  bool spot = true;
  /// A supply's own dates (a field coming on stream or closing): capacity x ramp x share of
  /// the period in service, as for a pipeline. Unset: always in service.
  std::optional<YearMonth> online, retire;
  std::vector<double> ramp_up;
  // demand
  Series demand;     ///< bcm/y or Mt/y
  int priority = 1;  ///< 1 is served first
  /// 12 monthly weights, or empty for days-in-month: how a demand's annual volume, or a
  /// supply's annual capacity, is spread over the months with monthly resolution.
  std::vector<double> profile;
  /// Peak-day demand (Dmax of the N-1 standard) as an annual rate, bcm/y; empty if not given.
  Series peak_demand;
  /// The most the node can take in (a refinery's crude throughput) as an annual rate; empty:
  /// no limit but its demand. Events on a demand node derate this limit, or the demand itself
  /// without it (network.h, period_bounds).
  Series max_throughput;
  /// Supplies and lng: peak-day capacity as an annual rate, bcm/y; empty: the rated capacity.
  Series peak_capacity;
  // storage
  double working_volume = 0.0;  ///< bcm or Mt
  Series injection;             ///< bcm/y or Mt/y, the most that can go in
  Series withdrawal;            ///< bcm/y or Mt/y, the most that can come out
  StorageLevel initial;         ///< on 1 January of every year; default 50 %
  /// Inventory on 31 December; none: `cyclic`, the initial inventory again.
  std::optional<StorageLevel> end_target;
  std::string project;  ///< id of the project the node is a member of, or empty
  bool online_from_project = false, retire_from_project = false, ramp_from_project = false;
  SourceLocation where;
  SourceLocation capacity_where, demand_where, profile_where, priority_where, cost_where,
      online_where, retire_where, ramp_where, source_where, spot_where;
  SourceLocation peak_demand_where, peak_capacity_where, working_volume_where, injection_where,
      withdrawal_where, initial_where, end_where, max_throughput_where;
};

/// A pipeline's tariff: none given (0), a value per unit or per unit and 100 km, or
/// `tariff: unknown` (issue 18.4): a charge exists but was not found. The dispatch charges an
/// unknown tariff as 0, as it must charge something; the economics never read it as 0: every
/// route over the pipeline has empty tariff, total and levelised costs (route_costs.csv).
enum class TariffKind { None, PerUnit, PerUnitDistance, Unknown };

/// One payment of a project's capital (`capex: [{amount, date}]`), or an asset's share of it.
/// It is annualised like an asset's capex, from the later of its date and the asset's first
/// day in service: capital spent before commissioning is recovered from commissioning on (no
/// interest during construction), capital spent after it (an expansion) from its date.
struct CapexTranche {
  double musd = 0.0;  ///< in USD, converted at the rate of the tranche's year
  YearMonth date;
  double opex_fraction = 0.0;            ///< the project's opex, per year in service
  std::optional<double> lifetime_years;  ///< the project's, else the scenario default
  std::optional<double> discount_rate;   ///< the project's, else the scenario default
  std::string project;                   ///< the project it belongs to
  SourceLocation where;
};

/// Capital and operating cost of an asset: a pipeline, or a whole route (costs that belong
/// to no single pipeline). All optional; an asset without capex costs nothing fixed. Capex is
/// annualised over `lifetime_years` at `discount_rate` with the capital recovery factor,
/// starting in the asset's first year in service (see economics.h).
struct Economics {
  std::optional<double> capex_musd;         ///< total capital cost, million USD
  std::optional<double> capex_musd_per_km;  ///< or per km of length (pipelines: `length`;
                                            ///< routes: the sum of their pipelines' lengths)
  double opex_fraction = 0.0;               ///< operating cost per year, as a fraction of capex
  std::optional<double> lifetime_years;     ///< default Scenario::lifetime_years
  std::optional<double> discount_rate;      ///< default Scenario::discount_rate
  /// First period charged (`capex_start`), for capex that buys an expansion of an asset
  /// already in service (a loop, more compressors): the annuity and opex start at the later
  /// of this and the asset's own first period in service.
  std::optional<YearMonth> capex_start;
  /// Capital from the asset's project (`projects:`), each tranche with its own date and the
  /// project's opex, lifetime and discount rate; in addition to the asset's own capex.
  std::vector<CapexTranche> tranches;
  SourceLocation capex_where, opex_where, lifetime_where, discount_rate_where, capex_start_where;
  bool has_capex() const { return capex_musd || capex_musd_per_km || !tranches.empty(); }
};

/// A compressor station (gas) or pump station (oil) on a pipeline. Unset limits are unlimited.
struct Station {
  std::string name;  ///< optional; "1", "2", ... in uniform form
  double position_km = 0.0;
  std::optional<double> max_power_mw;  ///< shaft power
  std::optional<double> max_ratio;     ///< gas: outlet over inlet pressure
  std::optional<double> max_head_m;    ///< oil: head added
  /// Gas: isentropic efficiency (default 0.85); oil: pump and driver (default 0.8).
  std::optional<double> efficiency;
  /// Gas: drive (gas turbine) shaft power over fuel energy (default 0.35); fuel = power /
  /// (drive efficiency * heating value). Or `fuel_share`: fuel as a share of the throughput.
  std::optional<double> drive_efficiency;
  std::optional<double> fuel_share;
  SourceLocation where;
};

/// Defaults of Station, documented as assumptions in scenarios/README.md.
inline constexpr double kDefaultCompressorEfficiency = 0.85;
inline constexpr double kDefaultPumpEfficiency = 0.8;
inline constexpr double kDefaultDriveEfficiency = 0.35;

/// What a pipeline entry is, for hydraulics (`type:`). Dispatch treats every type alike, as
/// an arc with a capacity; hydraulics (hydraulics.h) gives each its law:
///   - Pipe: the pipe law (length, diameter, roughness, heights), with its `stations`;
///   - ShortPipe: no pressure drop; Valve: no drop when `open`, no flow when closed;
///   - Resistor: a drop by its drag factor and diameter;
///   - Compressor: a station between two nodes that holds `outlet_pressure` or `ratio`;
///   - Regulator (control valve): holds its outlet at `outlet_pressure` by throttling.
enum class PipelineType { Pipe, ShortPipe, Valve, Resistor, Compressor, Regulator };
std::string_view pipeline_type_name(PipelineType t);

struct Pipeline {
  std::string id;
  PipelineType type = PipelineType::Pipe;
  std::string from, to;
  Commodity commodity = Commodity::Gas;
  bool bidirectional = false;
  Series capacity;                             ///< bcm/y or Mt/y, per direction
  Series availability = constant_series(1.0);  ///< fraction of capacity usable
  std::vector<double> ramp_up;      ///< fraction of capacity in years 0,1,2.. since online; then 1
  std::optional<YearMonth> online;  ///< first period in service (month 0 = January)
  std::optional<YearMonth> retire;  ///< first period out of service
  std::optional<double> length_km;
  std::optional<double> diameter_mm;        ///< outer
  std::optional<double> max_pressure_mpa;   ///< MAOP
  std::optional<double> wall_thickness_mm;  ///< inner diameter = diameter - 2 wall thickness
  std::optional<double> roughness_mm;       ///< internal; default kDefaultRoughnessMm
  std::vector<Station> stations;            ///< compressor or pump stations, by position
  /// `stations: {count, spacing, ...}` gives count and spacing; a list gives neither.
  std::optional<int> station_count;
  std::optional<double> station_spacing_km;
  // Elements other than pipes (`type:`); gas only.
  bool open = true;  ///< valve, compressor, regulator: false = closed (no flow)
  std::optional<double> outlet_pressure_mpa;      ///< compressor or regulator: the set point
  std::optional<double> set_ratio;                ///< compressor: outlet over inlet pressure
  std::optional<double> min_inlet_pressure_mpa;   ///< compressor: least suction (flagged)
  std::optional<double> max_outlet_pressure_mpa;  ///< compressor: highest discharge (flagged)
  std::optional<double> drag_factor;              ///< resistor: zeta, with `diameter`
  Station compressor;                             ///< compressor: its limits and efficiencies
  SourceLocation type_where, open_where, outlet_pressure_where, ratio_where, drag_where;
  SourceLocation stations_where, wall_thickness_where, roughness_where, diameter_where,
      max_pressure_where, length_where;
  TariffKind tariff_kind = TariffKind::None;
  Series tariff;  ///< USD/kcm (or /t) by year; per 100 km when PerUnitDistance
  std::string transit_country;
  /// USD/kcm (or /t) paid to `transit_country` for each unit carried, by year; part of the
  /// dispatch cost like the tariff, and reported per country.
  Series transit_fee;
  Economics economics;
  std::string project;  ///< id of the project the pipeline is a member of, or empty
  bool online_from_project = false, retire_from_project = false, ramp_from_project = false;
  /// Peak-day capacity as an annual rate (bcm/y) for the N-1 standard; empty: the rated one.
  Series peak_capacity;
  SourceLocation where;
  SourceLocation transit_fee_where, peak_capacity_where;
  SourceLocation from_where, to_where, capacity_where, online_where, retire_where, tariff_where,
      ramp_where, availability_where;
};

/// Linefill (issue 18.2): the volume of crude, in m3, that fills an oil pipe before it delivers,
/// pi/4 x D^2 x L with D the inner diameter (`diameter` less twice `wall_thickness` when given,
/// else `diameter`) and L its `length`. None for gas, for an element other than a pipe, and
/// without both `diameter` and `length`.
std::optional<double> linefill_m3(const Pipeline& p);

/// USD per canonical unit for moving one unit through the whole pipeline in `year`.
double tariff_per_unit(const Pipeline& p, int year);

/// USD per canonical unit that dispatch charges for one unit through the pipeline in `year`:
/// the tariff plus the transit fee (USD/kcm or USD/t).
double transport_cost_per_unit(const Pipeline& p, int year);

/// True when the pipeline has cost data for dispatch: a tariff (even 0, a known free line) or
/// a transit fee above 0 in some year.
bool has_transport_charge(const Pipeline& p);

struct Route {
  std::string id;
  std::vector<std::string> pipelines;  ///< ordered, forming a connected path
  std::string meter;                   ///< pipeline whose flow is the route volume; default last
  Economics economics;                 ///< costs of the route beyond its pipelines' own
  SourceLocation where;
  std::vector<SourceLocation> pipeline_where;
  SourceLocation meter_where;
  std::string project;  ///< id of the project the route is a member of, or empty
};

/// How a contract's minimum take binds (`rule:`).
enum class ContractRule {
  Soft,  ///< a minimum not taken is paid at take_or_pay, and reported
  Hard,  ///< the minimum is a lower bound on the flow; if the network cannot take it, the
         ///< period is reported infeasible, naming the contract
};

/// A take level of a contract (`min_take`, `max_take`): a share of the ACQ, or a volume.
struct TakeLevel {
  std::optional<double> share;  ///< of the ACQ (0.85 for 85 %)
  Series volume;                ///< bcm/y or Mt/y, by year, when there is no share
  SourceLocation where;
  bool given() const { return share || !volume.empty(); }
  /// The annual rate in `year`: share x acq, or the volume.
  double rate(const Series& acq, int year) const;
};

/// A long-term supply contract (`contracts:`). Its volume is the flow on one arc: a supply
/// node's supply, or a route's flow on the route's meter pipeline in the route's direction.
/// Between `start` and `end` the contract takes at most max_take (default the ACQ) and at
/// least min_take per year, prorated by days in the contract and spread over the months by
/// `profile` (else by days) with monthly resolution. Contract volume of a supply costs `price`
/// instead of the supply's cost; the seller's volume beyond the contracts is sold at the
/// supply's cost. network.h gives the arcs, scenarios/README.md the rules.
/// What a contract's `seller` names: written `seller: id` (a supply node, else a route),
/// `seller: {supply: id}` or `seller: {route: id}`.
enum class SellerKind { Any, Supply, Route };

struct Contract {
  std::string id;
  std::string seller;  ///< a supply node id, or a route id
  SellerKind seller_kind = SellerKind::Any;
  std::vector<std::string> buyers;  ///< demand node ids (reporting; see scenarios/README.md)
  Series acq;                       ///< annual contract quantity, bcm/y or Mt/y
  TakeLevel min_take;               ///< default: none
  TakeLevel max_take;               ///< default: the ACQ (share 1)
  ContractRule rule = ContractRule::Soft;
  Series price;        ///< USD/kcm or USD/t by year; empty: the supply's own cost
  Series take_or_pay;  ///< USD/kcm or USD/t per unit not taken below the minimum; empty: price
  std::optional<YearMonth> start;  ///< first period under contract; none: from the beginning
  std::optional<YearMonth> end;    ///< first period no longer under contract; none: never ends
  std::vector<double> profile;     ///< 12 monthly weights, or empty for days-in-month
  SourceLocation where;
  SourceLocation seller_where, acq_where, rule_where, price_where, take_or_pay_where, start_where,
      end_where, profile_where;
  std::vector<SourceLocation> buyer_where;
};

std::string_view contract_rule_name(ContractRule r);

/// A project (`projects:`): pipelines, supply nodes and routes built together. Its members
/// take its `online`, `retire` and `ramp_up` unless they give their own (apply_projects), and
/// its capex tranches are shared among its member pipelines (by length; see
/// scenarios/README.md), or among its member routes when it has no pipeline.
struct Project {
  std::string id;
  std::vector<std::string> pipelines, supplies, routes;  ///< member ids, by kind
  std::vector<SourceLocation> pipeline_where, supply_where, route_where;
  std::optional<YearMonth> online, retire;
  std::vector<double> ramp_up;
  std::vector<CapexTranche> capex;  ///< amounts in USD
  double opex_fraction = 0.0;       ///< per year in service, as a share of the capex
  std::optional<double> lifetime_years, discount_rate;
  SourceLocation where;
  SourceLocation online_where, retire_where, ramp_where, capex_where, opex_where, lifetime_where,
      discount_rate_where;
};

/// Internal roughness of pipelines without `roughness`: 0.012 mm, the value GasLib uses for
/// most of its pipes (an internally coated steel trunk line; an assumption for any line).
inline constexpr double kDefaultRoughnessMm = 0.012;

/// The gas for hydraulics (`commodities.gas`). Defaults: the gas of GasLib-11's sources
/// (Schmidt et al. 2017, Data 2(4):40; Pfetsch et al. 2012, ZIB-Report 12-41) at 10 °C, kappa
/// from their heat-capacity coefficients.
struct GasPhysics {
  double molar_mass_kg_per_kmol = 18.5674;
  double pseudo_critical_pressure_mpa = 4.59293457336;
  double pseudo_critical_temperature_c = 188.549758911 - 273.15;
  double temperature_c = 10.0;
  double normal_density_kg_per_m3 = 0.785;  ///< at 0 °C and 1.01325 bar
  double isentropic_exponent = 1.307;
  /// For AGA-8 gross (aga8_gross.h): mole fractions of CO2 (default 0) and N2 (none: Method 1,
  /// from the heating value; given: Method 2).
  double co2_fraction = 0.0;
  std::optional<double> n2_fraction;
  SourceLocation where;  ///< of `commodities.gas`, when the file has one
};

/// The oil for hydraulics (`commodities.oil`), besides its density at 15 °C (CommodityProps).
/// Defaults: an ESPO-like light crude at 15 °C with 10 cSt (assumptions).
struct OilPhysics {
  double temperature_c = 15.0;
  double viscosity_cst = 10.0;  ///< at `temperature_c`
};

/// A dated event: from `from` to `to` (both inclusive, each at its own precision: "to: 2031-03"
/// runs to 31 March) the target, a pipeline, supply, storage or lng node, loses `derate` of its
/// capacity (1 = a full outage, the default) or keeps at most `capacity_left` (bcm/y or Mt/y).
/// See events.h for how days turn into per-period availability.
struct Event {
  std::string id;
  std::string target;
  Date from, to;
  std::optional<double> derate;         ///< fraction lost, in [0, 1]
  std::optional<double> capacity_left;  ///< bcm/y or Mt/y left during the event
  SourceLocation where;
  SourceLocation target_where, from_where, to_where, derate_where, capacity_where;
};

/// An area of the N-1 standard (n1.h): a set of nodes whose demand is served together.
struct Area {
  std::string id;
  std::vector<std::string> nodes;
  SourceLocation where;
  std::vector<SourceLocation> node_where;
};

struct Scenario {
  std::string name;  ///< `name:` or the file stem
  /// The `name:` value (which may be in a parent file), or line 1, column 1 of `file` when the
  /// name is the file stem.
  SourceLocation name_where;
  std::string case_name = "base";  ///< the alternative, or "base"
  std::string file;                ///< the file the user gave
  Horizon horizon;
  Resolution resolution = Resolution::Year;
  CommodityProps gas = default_props(Commodity::Gas);
  CommodityProps oil = default_props(Commodity::Oil);
  GasPhysics gas_physics;
  OilPhysics oil_physics;
  SourceLocation gas_where, oil_where;  ///< the `commodities.gas` and `.oil` maps, if given
  /// Defaults for assets that give none (`economics:` in the file). Documented assumptions:
  /// 8 % real and 30 years, common in pipeline appraisals; scenarios should set their own.
  double discount_rate = 0.08;
  double lifetime_years = 30.0;
  SourceLocation economics_where;
  /// Exchange rates (`economics.fx`): currency code -> units of it per USD, by year. The
  /// loader has converted every value written in these currencies; kept for reference.
  std::map<std::string, Series> fx;
  std::vector<Node> nodes;
  std::vector<Pipeline> pipelines;
  std::vector<Route> routes;
  std::vector<Contract> contracts;
  std::vector<Project> projects;
  /// What an ensemble samples (`uncertainty:`); `corridor run` ignores it.
  Uncertainty uncertainty;
  std::vector<Event> events;
  std::vector<Area> areas;  ///< empty: one area per country of the demand nodes (n1.h)
};

/// The entity a contract's seller names: a supply node (scenario node index) or a route
/// (scenario route index); index -1 when nothing of the allowed kinds has the id. A plain
/// `seller: id` names the supply node of that id if there is one, else the route.
struct ContractSeller {
  SellerKind kind = SellerKind::Any;  ///< Supply or Route when found
  int index = -1;
};
ContractSeller contract_seller(const Scenario& s, const Contract& c);

/// Applies every project to its members: a member pipeline or supply node without its own
/// `online`, `retire` or `ramp_up` takes the project's (marking it inherited), each member
/// records its project id, and the project's capex tranches are shared among its members'
/// economics (scenarios/README.md). A member of two projects belongs to the first; validate()
/// reports it, as it reports unknown members. Call once, after building the scenario.
void apply_projects(Scenario& s);

const CommodityProps& props(const Scenario& s, Commodity c);

/// Commodities that have at least one node, in enum order.
std::vector<Commodity> commodities_in(const Scenario& s);

}  // namespace corridor
