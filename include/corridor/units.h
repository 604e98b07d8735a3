#pragma once
/// \file Quantities with units: parsing of strings such as "38 bcm/y", and the one home of
/// every conversion factor in corridor.
///
/// Every dimensioned value in a scenario is written with its unit, as the source states it.
/// The parser splits "<number> <unit>" and looks the unit up in a table of accepted spellings
/// for the requested dimension. A bare number, an unknown unit, or a unit of another dimension
/// is an error whose message lists the accepted units.
///
/// Canonical internal units, per dimension and commodity:
///   - flow rate: gas bcm/y, oil Mt/y (the reporting units of the CSV files);
///   - volume per period is the same unit times years (bcm, Mt);
///   - unit cost: USD per kcm for gas, USD per t for oil. Conveniently,
///     1 bcm x 1 USD/kcm = 1 Mt x 1 USD/t = 1 million USD;
///   - length km, diameter mm, pressure MPa, fractions as plain numbers (0.9 or 90 %);
///   - power MW, temperature °C, molar mass kg/kmol, kinematic viscosity cSt (mm2/s).
/// Conversions that need a heating value (gas energy units such as TWh/y or USD/MWh) or a
/// density (oil volumes such as kb/d or USD/bbl) take it from CommodityProps.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corridor {

enum class Commodity { Gas, Oil };

/// "gas" or "oil".
std::string_view commodity_name(Commodity c);
/// Parses "gas" or "oil"; nullopt otherwise.
std::optional<Commodity> parse_commodity(std::string_view s);

/// Physical properties used for conversions. Defaults are documented in scenarios/README.md.
struct CommodityProps {
  /// Gas: gross heating value in MJ/m3. Oil: heating value in GJ/t.
  double heating_value = 0.0;
  /// Oil: density in kg/m3. Gas: LNG expansion, bcm of gas per Mt of LNG (used by "Mt/y" for gas).
  double density_or_lng = 0.0;
};

/// Defaults: gas 38 MJ/m3 and 1.36 bcm/Mt LNG; oil 42 GJ/t and 850 kg/m3.
CommodityProps default_props(Commodity c);

/// The reporting unit of annual volume: "bcm" for gas, "Mt" for oil.
std::string_view volume_unit(Commodity c);
/// The canonical cost unit: "USD/kcm" for gas, "USD/t" for oil.
std::string_view cost_unit(Commodity c);
/// Energy of a volume in the reporting unit, in PJ.
double energy_pj(Commodity c, const CommodityProps& p, double volume);
/// A cost in the canonical unit (USD/kcm or USD/t) as USD/GJ, by the heating value.
double usd_per_gj(Commodity c, const CommodityProps& p, double cost_per_unit);
/// Oil: a volume in m3 as Mt, by the density (props.density_or_lng, kg/m3).
double oil_m3_to_mt(const CommodityProps& p, double m3);
/// An oil cost in USD/t as USD/bbl, by the density (props.density_or_lng, kg/m3).
double usd_per_bbl(const CommodityProps& p, double usd_per_t);

enum class Dimension {
  FlowRate,             ///< per commodity: bcm/y, mcm/d, Bcf/d, TWh/y (gas); Mt/y, kb/d, b/d (oil)
  UnitCost,             ///< per commodity: USD/kcm, USD/mcm, USD/MWh (gas); USD/t, USD/bbl (oil)
  UnitCostPerDistance,  ///< USD/kcm/100km, USD/kcm/km, USD/t/100km, USD/t/km
  Length,               ///< km, m, mi
  Diameter,             ///< mm, m, in
  Pressure,             ///< MPa, kPa, bar, psi
  Fraction,             ///< a plain number or a percentage: 0.9, 90 %
  Density,              ///< kg/m3
  GasHeatingValue,      ///< MJ/m3, kWh/m3
  OilHeatingValue,      ///< GJ/t, MJ/kg
  LngExpansion,         ///< bcm/Mt
  Money,                ///< canonical MUSD: USD, kUSD, MUSD, mn USD, bn USD
  MoneyPerLength,       ///< canonical MUSD/km: USD/km, MUSD/km, mn USD/km, bn USD/km
  Duration,             ///< canonical years: y, yr, years
  GrowthRate,           ///< canonical fraction per year: %/y
  Days,                 ///< canonical days: d, days, h (outage durations)
  EventRate,            ///< canonical events per year: /y, /yr
  EventRatePerLength,   ///< canonical events per 1000 km per year: /1000km/y, /100km/y, /km/y
  Power,                ///< canonical MW: W, kW, MW, GW
  Temperature,          ///< canonical °C: °C, C, K (K - 273.15)
  MolarMass,            ///< canonical kg/kmol: kg/kmol, g/mol
  Viscosity,            ///< kinematic, canonical cSt: cSt, mm2/s, m2/s
  Ratio,                ///< a plain number (a compression ratio, an exponent)
  Volume,  ///< per commodity: bcm, mcm, Bcf, TWh, GWh, Mt (LNG) (gas); Mt, kt, Mb, kb (oil)
};

/// An annual rate in the reporting unit (bcm/y or Mt/y) as a daily rate in daily_unit(c):
/// mcm/d for gas, kt/d for oil, with the 365-day year of every per-day unit.
double daily_rate(Commodity c, double rate_per_year);
/// "mcm/d" or "kt/d".
std::string_view daily_unit(Commodity c);

/// Human-readable list of the accepted units of a dimension for a commodity, e.g.
/// "bcm/y, mcm/d, Bcf/d, TWh/y, Mt/y (LNG)".
std::string accepted_units(Dimension d, Commodity c);

/// Why a quantity did not parse, as a Diagnostic wants it: what is wrong, and what to try.
struct QuantityError {
  std::string message;  ///< e.g. "unknown unit 'bcm/yr' in '38 bcm/yr'"
  std::string hint;     ///< e.g. "did you mean 'bcm/y'? accepted units: bcm/y, ..."; may be empty
  /// True when `hint` is units_hint(suggestion, accepted_units(d, c)): the value is empty, or
  /// its unit is missing, unknown or of another dimension. A caller that accepts several
  /// dimensions can then list all their units instead.
  bool lists_units = false;
  std::string suggestion;  ///< with lists_units: "did you mean 'x'?", or "" when none is close
};

/// "did you mean 'x'? accepted units: a, b", or "accepted units: a, b" without a suggestion.
std::string units_hint(std::string_view suggestion, std::string_view accepted);

/// Result of parsing a quantity: the value in canonical units, or why not.
struct ParsedQuantity {
  double value = 0.0;                  ///< canonical units (see the file comment)
  std::optional<QuantityError> error;  ///< none on success
  /// The unit measures mass: a flow rate in tonnes (Mt/y, kt/y, kt/d, t/d). For gas that is
  /// Mt/y of LNG, converted by the LNG expansion: the loader warns when a node or pipeline
  /// that did not say its commodity uses it, since crude written so would run as gas.
  bool by_mass = false;
  bool ok() const { return !error; }
};

/// Parses "<number> <unit>" (space optional) into the canonical unit of `d` for `c`.
/// Rejects bare numbers (except for Fraction and Ratio), NaN, Inf, unknown units and units of other
/// dimensions. Does not reject negative values; validation does that where it matters.
ParsedQuantity parse_quantity(std::string_view text, Dimension d, Commodity c,
                              const CommodityProps& props);

/// The largest magnitude a quantity of dimension `d` may have, in its canonical unit: far
/// beyond any real value, so that only a slip (a wrong exponent or unit) is refused, and far
/// within what dispatch in integers can handle (network.h). The loader and validate() both
/// refuse a larger value.
double magnitude_limit(Dimension d);

/// Currencies that money may be written in: USD, the canonical one, and those converted by a
/// scenario's exchange rates (`economics.fx`). Money units take any of them in place of USD:
/// "3372.98 RUB/t", "1.1 trn RUB", "0.35 CNY/kcm/km".
inline constexpr const char* kCurrencies[] = {"USD", "RUB", "CNY", "EUR"};

/// A parsed amount of money or unit cost and its currency. `quantity.value` is in the
/// canonical unit of the dimension but in `currency` rather than USD (for "3372.98 RUB/t",
/// 3372.98 RUB per t); the caller converts it with the exchange rate of the right year.
struct ParsedMoney {
  ParsedQuantity quantity;
  std::string currency = "USD";
};

/// Parses a quantity of a money dimension (UnitCost, UnitCostPerDistance, Money,
/// MoneyPerLength) written in any of kCurrencies: the currency code takes the place of USD in
/// the unit. Otherwise as parse_quantity; an error lists the USD units.
ParsedMoney parse_money(std::string_view text, Dimension d, Commodity c,
                        const CommodityProps& props);

/// Parses an exchange rate of `currency` to USD: "92.5 RUB/USD" (units of the currency per
/// USD) or "1.08 USD/EUR" (USD per unit of the currency, inverted). The result is units of
/// `currency` per USD; it must be positive (the caller checks the range).
ParsedQuantity parse_exchange_rate(std::string_view text, std::string_view currency);

/// Formats a canonical value back into its canonical unit, e.g. "38 bcm/y"; round-trips through
/// parse_quantity. Uses the shortest representation that reads back to the same double.
std::string format_quantity(double value, Dimension d, Commodity c);

/// The unit of the volume columns of corridor's tables, per commodity, chosen with
/// `--units gas=U` and `--units oil=U` (README, "Units in the outputs"). Empty: the reporting
/// unit, bcm or Mt.
struct OutputUnits {
  std::string gas, oil;
  const std::string& of(Commodity c) const { return c == Commodity::Gas ? gas : oil; }
};

/// Reads one `--units` value, "oil=kb/d", into `units`. The unit is a volume of the commodity's
/// Volume dimension (gas: bcm, mcm, Bcf, TWh, GWh; oil: Mt, kt, Mb, kb), the same with "/y"
/// (`TWh/y` is `TWh`: a row holds its period's volume, as bcm does by default), or a daily rate
/// whose "/d" form has a volume (gas: mcm/d, Bcf/d, GWh/d; oil: kt/d, kb/d, Mb/d). Returns why
/// not (message and hint, listing the accepted units) and leaves `units` unchanged.
std::optional<QuantityError> parse_output_unit(std::string_view spec, OutputUnits& units);

/// The accepted units of parse_output_unit for `c`, e.g. "Mt, kt, Mb, kb, kt/d, kb/d, Mb/d".
std::string accepted_output_units(Commodity c);

/// How a table writes the volumes of one commodity in its chosen unit. A volume unit writes
/// the period's volume; a daily unit writes the period's mean daily rate: a year row's volume
/// over 365 days (the 365-day year by which every per-day unit converts, so a line rated
/// `600 kb/d` reads 600 at full use in any year) and a month row's over the month's days.
/// Every factor comes from the unit table of parse_quantity, with the case's CommodityProps.
struct VolumeScale {
  std::string unit;      ///< what the `unit` column says: "bcm", "Mt", "kb/d", "TWh", ...
  double divisor = 1.0;  ///< reporting units (bcm or Mt) per output unit; per year if per_day
  bool per_day = false;
  /// `v` (bcm or Mt, the volume of a period) in the output unit; month 0 is a year row.
  double value(double v, int year, int month) const;
};

/// The scale of the flows and volumes of `c` (flows.csv, deliveries.csv, ...) for `units`.
VolumeScale output_scale(const OutputUnits& units, Commodity c, const CommodityProps& props);
/// The scale of stocks (storage working volume and inventory, storage.csv): the volume unit of
/// a daily unit (kb/d: kb, mcm/d: mcm), else as output_scale; never per day.
VolumeScale output_stock_scale(const OutputUnits& units, Commodity c, const CommodityProps& props);

/// SI flows as canonical rates, with the 365-day year of every per-day rate: m3/s (at normal
/// conditions, gas) as bcm/y, and kg/s (oil) as Mt/y; and back. Hydraulics works in SI.
double m3_per_s_to_bcm_per_year(double m3_per_s);
double bcm_per_year_to_m3_per_s(double bcm_per_year);
double kg_per_s_to_mt_per_year(double kg_per_s);
/// m3/s as mcm/d (million m3 a day), the unit of daily gas flows in hydraulics.csv.
double m3_per_s_to_mcm_per_day(double m3_per_s);
double mt_per_year_to_kg_per_s(double mt_per_year);
/// Units of the SI values of the hydraulics: MPa to Pa, MJ/m3 to J/m3, MW to W, km to m,
/// mm to m, °C to K, kg/kmol to kg/mol, cSt to m2/s.
double mpa_to_pa(double mpa);
double pa_to_mpa(double pa);
double pa_to_bar(double pa);
double mj_to_j(double mj);
double mw_to_w(double mw);
double w_to_mw(double w);
double km_to_m(double km);
double mm_to_m(double mm);
double celsius_to_kelvin(double c);
double kelvin_to_celsius(double k);
double kg_per_kmol_to_kg_per_mol(double m);
/// A gas's molar mass (kg/kmol) from its relative density to dry air (`relative_density`),
/// with the molar mass of standard dry air of ISO 6976:1995, 28.9626 kg/kmol.
double relative_density_to_kg_per_kmol(double relative_density);
double cst_to_m2_per_s(double cst);

/// Days in a month (1..12) of a year, with Gregorian leap years.
int days_in_month(int year, int month);
/// 365 or 366.
int days_in_year(int year);

}  // namespace corridor
