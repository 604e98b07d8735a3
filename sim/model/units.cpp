#include "corridor/units.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <system_error>

#include "corridor/diagnostics.h"
#include "corridor/text.h"

namespace corridor {
namespace {

// ---------------------------------------------------------------------------------------------
// The one place for conversion factors. Base definitions first, then the unit table built from
// them. Nothing else in corridor may hold a conversion factor.
// ---------------------------------------------------------------------------------------------

// Every per-day rate is converted with a 365-day year, as gas and oil statistics quote annual
// capacity (e.g. 104 mcm/d = 37.96 bcm/y); leap years do not change a pipeline's rating.
constexpr double kDaysPerYear = 365.0;
// 1 ft = 0.3048 m exactly, so 1 ft3 = 0.028316846592 m3 and 1 Bcf = 0.028316846592 bcm.
constexpr double kBcmPerBcf = 0.028316846592;
// 1 kWh = 3.6 MJ exactly, so 1 kWh/m3 = 3.6 MJ/m3 and 1 TWh = 3.6 PJ.
constexpr double kMjPerKwh = 3.6;
constexpr double kPjPerTwh = 3.6;
// 1 MWh = 3.6 GJ exactly.
constexpr double kGjPerMwh = 3.6;
// International Table Btu = 1055.05585262 J, so 1 MMBtu = 1.05505585262 GJ.
constexpr double kGjPerMmbtu = 1.05505585262;
// US oil barrel = 42 US gal x 3.785411784 L = 158.987294928 L exactly.
constexpr double kM3PerBbl = 0.158987294928;
// International mile = 1609.344 m exactly.
constexpr double kKmPerMile = 1.609344;
// International inch = 25.4 mm exactly.
constexpr double kMmPerInch = 25.4;
// 0 °C = 273.15 K exactly.
constexpr double kKelvinAtZeroCelsius = 273.15;
// 1 psi = 1 lbf/in2 = 0.45359237 kg x 9.80665 m/s2 / (0.0254 m)^2 = 6894.757293168 Pa.
constexpr double kMpaPerPsi = 0.45359237 * 9.80665 / (0.0254 * 0.0254) * 1e-6;

/// Which commodity a unit spelling belongs to; Both for commodity-independent dimensions.
enum class Applies { Gas, Oil, Both };

/// The CommodityProps field a conversion needs, and whether it multiplies or divides.
enum class Prop { None, TimesHeatingValue, PerHeatingValue, TimesDensityOrLng, PerDensityOrLng };

struct UnitDef {
  Dimension dim;
  Applies applies;
  std::string_view unit;  // exact, case-sensitive spelling; "" is the bare number (Fraction, Ratio)
  double mul;             // canonical = number * mul / div, then times or over `prop`;
  double div;             //   mul/div kept apart so decimal steps (/1000, /100) round exactly
  Prop prop;
  std::string_view note;  // shown after the unit in accepted_units()
  double offset = 0.0;    // added after scaling (temperatures: K to °C)
};

// The first row of each (dimension, commodity) group is its canonical unit (mul = div = 1).
constexpr UnitDef kUnits[] = {
    // Gas flow rate, canonical bcm/y.
    {Dimension::FlowRate, Applies::Gas, "bcm/y", 1, 1, Prop::None, ""},
    {Dimension::FlowRate, Applies::Gas, "bcm/a", 1, 1, Prop::None, ""},  // per annum
    // 1 mcm = 1e-3 bcm; per day x 365.
    {Dimension::FlowRate, Applies::Gas, "mcm/d", kDaysPerYear, 1000, Prop::None, ""},
    {Dimension::FlowRate, Applies::Gas, "mcm/y", 1, 1000, Prop::None, ""},
    // 1 Bcf = 0.028316846592 bcm; per day x 365.
    {Dimension::FlowRate, Applies::Gas, "Bcf/d", (kBcmPerBcf * kDaysPerYear), 1, Prop::None, ""},
    // 1 Tcf = 1000 Bcf.
    {Dimension::FlowRate, Applies::Gas, "Tcf/y", kBcmPerBcf * 1000, 1, Prop::None, ""},
    // Energy: 1 TWh = 3.6 PJ, and bcm = PJ / heating value in MJ/m3.
    {Dimension::FlowRate, Applies::Gas, "TWh/y", kPjPerTwh, 1, Prop::PerHeatingValue, ""},
    {Dimension::FlowRate, Applies::Gas, "PJ/y", 1, 1, Prop::PerHeatingValue, ""},
    // 1 GWh = 1e-3 TWh; per day x 365; then as TWh/y.
    {Dimension::FlowRate, Applies::Gas, "GWh/d", (kDaysPerYear * kPjPerTwh), 1000,
     Prop::PerHeatingValue, ""},
    // Mt of LNG per year x bcm of regasified gas per Mt of LNG.
    {Dimension::FlowRate, Applies::Gas, "Mt/y", 1, 1, Prop::TimesDensityOrLng, "(LNG)"},

    // Oil flow rate, canonical Mt/y.
    {Dimension::FlowRate, Applies::Oil, "Mt/y", 1, 1, Prop::None, ""},
    {Dimension::FlowRate, Applies::Oil, "kt/y", 1, 1000, Prop::None, ""},
    {Dimension::FlowRate, Applies::Oil, "kt/d", kDaysPerYear, 1000, Prop::None, ""},
    {Dimension::FlowRate, Applies::Oil, "t/d", kDaysPerYear, 1e6, Prop::None, ""},
    // bbl/d x 365 x m3/bbl = m3/y; x density kg/m3 = kg/y; 1 Mt = 1e9 kg.
    {Dimension::FlowRate, Applies::Oil, "b/d", (kDaysPerYear * kM3PerBbl), 1e9,
     Prop::TimesDensityOrLng, ""},
    {Dimension::FlowRate, Applies::Oil, "kb/d", (kDaysPerYear * kM3PerBbl), 1e6,
     Prop::TimesDensityOrLng, ""},
    {Dimension::FlowRate, Applies::Oil, "Mb/d", (kDaysPerYear * kM3PerBbl), 1e3,
     Prop::TimesDensityOrLng, ""},

    // Gas unit cost, canonical USD/kcm. 1 kcm = 1000 m3 x hv MJ/m3 = hv GJ = hv/3.6 MWh.
    {Dimension::UnitCost, Applies::Gas, "USD/kcm", 1, 1, Prop::None, ""},
    {Dimension::UnitCost, Applies::Gas, "USD/mcm", 1, 1000, Prop::None, ""},  // 1 mcm = 1000 kcm
    {Dimension::UnitCost, Applies::Gas, "USD/GJ", 1, 1, Prop::TimesHeatingValue, ""},
    {Dimension::UnitCost, Applies::Gas, "USD/MWh", 1, kGjPerMwh, Prop::TimesHeatingValue, ""},
    {Dimension::UnitCost, Applies::Gas, "USD/MMBtu", 1, kGjPerMmbtu, Prop::TimesHeatingValue, ""},

    // Oil unit cost, canonical USD/t.
    {Dimension::UnitCost, Applies::Oil, "USD/t", 1, 1, Prop::None, ""},
    // bbl per t = 1000 kg / (density kg/m3 x m3 per bbl).
    {Dimension::UnitCost, Applies::Oil, "USD/bbl", 1000, kM3PerBbl, Prop::PerDensityOrLng, ""},
    // GJ per t = heating value.
    {Dimension::UnitCost, Applies::Oil, "USD/GJ", 1, 1, Prop::TimesHeatingValue, ""},

    // Transport tariff per distance, canonical USD/kcm/100km (gas) and USD/t/100km (oil).
    {Dimension::UnitCostPerDistance, Applies::Gas, "USD/kcm/100km", 1, 1, Prop::None, ""},
    {Dimension::UnitCostPerDistance, Applies::Gas, "USD/kcm/km", 100, 1, Prop::None, ""},
    {Dimension::UnitCostPerDistance, Applies::Gas, "USD/mcm/100km", 1, 1000, Prop::None, ""},
    {Dimension::UnitCostPerDistance, Applies::Oil, "USD/t/100km", 1, 1, Prop::None, ""},
    {Dimension::UnitCostPerDistance, Applies::Oil, "USD/t/km", 100, 1, Prop::None, ""},
    // Per barrel: bbl per t = 1000 kg / (density kg/m3 x m3 per bbl), as USD/bbl above.
    {Dimension::UnitCostPerDistance, Applies::Oil, "USD/bbl/100km", 1000, kM3PerBbl,
     Prop::PerDensityOrLng, ""},
    {Dimension::UnitCostPerDistance, Applies::Oil, "USD/bbl/km", 1000 * 100, kM3PerBbl,
     Prop::PerDensityOrLng, ""},

    // Length, canonical km.
    {Dimension::Length, Applies::Both, "km", 1, 1, Prop::None, ""},
    {Dimension::Length, Applies::Both, "m", 1, 1000, Prop::None, ""},
    {Dimension::Length, Applies::Both, "mi", kKmPerMile, 1, Prop::None, ""},

    // Diameter, canonical mm.
    {Dimension::Diameter, Applies::Both, "mm", 1, 1, Prop::None, ""},
    {Dimension::Diameter, Applies::Both, "m", 1000, 1, Prop::None, ""},
    {Dimension::Diameter, Applies::Both, "in", kMmPerInch, 1, Prop::None, ""},

    // Pressure, canonical MPa. 1 bar = 1e5 Pa exactly.
    {Dimension::Pressure, Applies::Both, "MPa", 1, 1, Prop::None, ""},
    {Dimension::Pressure, Applies::Both, "kPa", 1, 1000, Prop::None, ""},
    {Dimension::Pressure, Applies::Both, "bar", 1, 10, Prop::None, ""},
    {Dimension::Pressure, Applies::Both, "psi", kMpaPerPsi, 1, Prop::None, ""},

    // Fraction, canonical plain number.
    {Dimension::Fraction, Applies::Both, "", 1, 1, Prop::None, ""},
    {Dimension::Fraction, Applies::Both, "%", 1, 100, Prop::None, ""},

    {Dimension::Density, Applies::Both, "kg/m3", 1, 1, Prop::None, ""},

    {Dimension::GasHeatingValue, Applies::Both, "MJ/m3", 1, 1, Prop::None, ""},
    {Dimension::GasHeatingValue, Applies::Both, "kWh/m3", kMjPerKwh, 1, Prop::None, ""},

    {Dimension::OilHeatingValue, Applies::Both, "GJ/t", 1, 1, Prop::None, ""},
    {Dimension::OilHeatingValue, Applies::Both, "MJ/kg", 1, 1, Prop::None, ""},  // = GJ/t

    {Dimension::LngExpansion, Applies::Both, "bcm/Mt", 1, 1, Prop::None, ""},

    // Money, canonical million USD (1 bcm x 1 USD/kcm = 1 MUSD).
    {Dimension::Money, Applies::Both, "MUSD", 1, 1, Prop::None, ""},
    {Dimension::Money, Applies::Both, "mn USD", 1, 1, Prop::None, ""},
    {Dimension::Money, Applies::Both, "bn USD", 1000, 1, Prop::None, ""},
    {Dimension::Money, Applies::Both, "trn USD", 1e6, 1, Prop::None, ""},
    {Dimension::Money, Applies::Both, "kUSD", 1, 1000, Prop::None, ""},
    {Dimension::Money, Applies::Both, "USD", 1, 1e6, Prop::None, ""},

    // Money per length (capital cost per km of line), canonical MUSD/km.
    {Dimension::MoneyPerLength, Applies::Both, "MUSD/km", 1, 1, Prop::None, ""},
    {Dimension::MoneyPerLength, Applies::Both, "mn USD/km", 1, 1, Prop::None, ""},
    {Dimension::MoneyPerLength, Applies::Both, "bn USD/km", 1000, 1, Prop::None, ""},
    {Dimension::MoneyPerLength, Applies::Both, "kUSD/km", 1, 1000, Prop::None, ""},
    {Dimension::MoneyPerLength, Applies::Both, "USD/km", 1, 1e6, Prop::None, ""},

    // Volume (storage working volumes and levels), canonical bcm (gas) and Mt (oil).
    {Dimension::Volume, Applies::Gas, "bcm", 1, 1, Prop::None, ""},
    {Dimension::Volume, Applies::Gas, "mcm", 1, 1000, Prop::None, ""},
    {Dimension::Volume, Applies::Gas, "Bcf", kBcmPerBcf, 1, Prop::None, ""},
    // Energy: as TWh/y and GWh/d above, without the time.
    {Dimension::Volume, Applies::Gas, "TWh", kPjPerTwh, 1, Prop::PerHeatingValue, ""},
    {Dimension::Volume, Applies::Gas, "GWh", kPjPerTwh, 1000, Prop::PerHeatingValue, ""},
    {Dimension::Volume, Applies::Gas, "Mt", 1, 1, Prop::TimesDensityOrLng, "(LNG)"},
    {Dimension::Volume, Applies::Oil, "Mt", 1, 1, Prop::None, ""},
    {Dimension::Volume, Applies::Oil, "kt", 1, 1000, Prop::None, ""},
    // Million barrels: 1e6 bbl x m3/bbl x density kg/m3 = kg; 1 Mt = 1e9 kg.
    {Dimension::Volume, Applies::Oil, "Mb", kM3PerBbl, 1000, Prop::TimesDensityOrLng,
     "(million barrels)"},
    {Dimension::Volume, Applies::Oil, "kb", kM3PerBbl, 1e6, Prop::TimesDensityOrLng,
     "(thousand barrels)"},

    // Duration, canonical years.
    {Dimension::Duration, Applies::Both, "y", 1, 1, Prop::None, ""},
    {Dimension::Duration, Applies::Both, "yr", 1, 1, Prop::None, ""},
    {Dimension::Duration, Applies::Both, "years", 1, 1, Prop::None, ""},

    // Growth per year, canonical fraction per year.
    {Dimension::GrowthRate, Applies::Both, "%/y", 1, 100, Prop::None, ""},
    // Days, for the duration of an outage (uncertainty.h): calendar days.
    {Dimension::Days, Applies::Both, "d", 1, 1, Prop::None, ""},
    {Dimension::Days, Applies::Both, "days", 1, 1, Prop::None, ""},
    {Dimension::Days, Applies::Both, "h", 1, 24, Prop::None, ""},

    // Frequency of random events (outages), canonical events per year.
    {Dimension::EventRate, Applies::Both, "/y", 1, 1, Prop::None, ""},
    {Dimension::EventRate, Applies::Both, "/yr", 1, 1, Prop::None, ""},
    // Per length of line, canonical events per 1000 km per year (the way failure statistics
    // are quoted: PHMSA, EGIG).
    {Dimension::EventRatePerLength, Applies::Both, "/1000km/y", 1, 1, Prop::None, ""},
    {Dimension::EventRatePerLength, Applies::Both, "/100km/y", 10, 1, Prop::None, ""},
    {Dimension::EventRatePerLength, Applies::Both, "/km/y", 1000, 1, Prop::None, ""},

    // Power, canonical MW.
    {Dimension::Power, Applies::Both, "MW", 1, 1, Prop::None, ""},
    {Dimension::Power, Applies::Both, "kW", 1, 1000, Prop::None, ""},
    {Dimension::Power, Applies::Both, "W", 1, 1e6, Prop::None, ""},
    {Dimension::Power, Applies::Both, "GW", 1000, 1, Prop::None, ""},

    // Temperature, canonical °C; K = °C + 273.15 exactly.
    {Dimension::Temperature, Applies::Both, "°C", 1, 1, Prop::None, ""},
    {Dimension::Temperature, Applies::Both, "C", 1, 1, Prop::None, ""},
    {Dimension::Temperature, Applies::Both, "K", 1, 1, Prop::None, "", -kKelvinAtZeroCelsius},

    // Molar mass, canonical kg/kmol (= g/mol).
    {Dimension::MolarMass, Applies::Both, "kg/kmol", 1, 1, Prop::None, ""},
    {Dimension::MolarMass, Applies::Both, "g/mol", 1, 1, Prop::None, ""},

    // Kinematic viscosity, canonical cSt (= mm2/s); 1 m2/s = 1e6 cSt.
    {Dimension::Viscosity, Applies::Both, "cSt", 1, 1, Prop::None, ""},
    {Dimension::Viscosity, Applies::Both, "mm2/s", 1, 1, Prop::None, ""},
    {Dimension::Viscosity, Applies::Both, "m2/s", 1e6, 1, Prop::None, ""},

    // Ratio, a plain number.
    {Dimension::Ratio, Applies::Both, "", 1, 1, Prop::None, ""},
};

// Gross heating value of pipeline gas: an assumption close to Russian export gas; scenarios
// override it per commodity.
constexpr double kDefaultGasHeatingValueMjPerM3 = 38.0;
// bcm of regasified gas per Mt of LNG, the usual industry rule of thumb.
constexpr double kDefaultBcmPerMtLng = 1.36;
// Heating value of crude oil, about 42 GJ/t (the IEA tonne of oil equivalent is 41.868 GJ).
constexpr double kDefaultOilHeatingValueGjPerT = 42.0;
// Density of a medium crude (about 35 API).
constexpr double kDefaultOilDensityKgPerM3 = 850.0;

bool applies_to(const UnitDef& u, Commodity c) {
  return u.applies == Applies::Both || (u.applies == Applies::Gas) == (c == Commodity::Gas);
}

bool in_group(const UnitDef& u, Dimension d, Commodity c) { return u.dim == d && applies_to(u, c); }

const UnitDef& canonical(Dimension d, Commodity c) {
  for (const UnitDef& u : kUnits) {
    if (in_group(u, d, c)) return u;
  }
  throw std::logic_error("units: no unit for a dimension");  // the table covers every group
}

/// "flow rate" etc., with the article for the plain form.
struct DimensionName {
  std::string_view article;
  std::string_view noun;
};

DimensionName dimension_name(Dimension d) {
  switch (d) {
    case Dimension::FlowRate:
      return {"a", "flow rate"};
    case Dimension::UnitCost:
      return {"a", "unit cost"};
    case Dimension::UnitCostPerDistance:
      return {"a", "unit cost per distance"};
    case Dimension::Length:
      return {"a", "length"};
    case Dimension::Diameter:
      return {"a", "diameter"};
    case Dimension::Pressure:
      return {"a", "pressure"};
    case Dimension::Fraction:
      return {"a", "fraction"};
    case Dimension::Density:
      return {"a", "density"};
    case Dimension::GasHeatingValue:
      return {"a", "gas heating value"};
    case Dimension::OilHeatingValue:
      return {"an", "oil heating value"};
    case Dimension::LngExpansion:
      return {"an", "LNG expansion factor"};
    case Dimension::Money:
      return {"an", "amount of money"};
    case Dimension::MoneyPerLength:
      return {"an", "amount of money per length"};
    case Dimension::Duration:
      return {"a", "duration"};
    case Dimension::GrowthRate:
      return {"a", "growth rate"};
    case Dimension::Days:
      return {"a", "duration in days"};
    case Dimension::EventRate:
      return {"an", "event rate"};
    case Dimension::EventRatePerLength:
      return {"an", "event rate per length"};
    case Dimension::Power:
      return {"a", "power"};
    case Dimension::Temperature:
      return {"a", "temperature"};
    case Dimension::MolarMass:
      return {"a", "molar mass"};
    case Dimension::Viscosity:
      return {"a", "kinematic viscosity"};
    case Dimension::Ratio:
      return {"a", "ratio"};
    case Dimension::Volume:
      return {"a", "volume"};
  }
  return {"a", "quantity"};
}

/// "a length", or with a commodity "a gas flow rate" / "an oil flow rate".
std::string describe(Dimension d, std::optional<Commodity> c) {
  const DimensionName n = dimension_name(d);
  std::string out;
  if (c) {
    out = *c == Commodity::Gas ? "a gas " : "an oil ";
  } else {
    out = std::string(n.article) + " ";
  }
  return out + std::string(n.noun);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

ParsedQuantity failure(std::string message) {
  ParsedQuantity q;
  q.error = QuantityError{std::move(message), "", false, ""};
  return q;
}

/// A failure whose hint lists the accepted units, after `suggestion` if there is one.
ParsedQuantity unit_failure(std::string message, Dimension d, Commodity c,
                            std::string suggestion = "") {
  ParsedQuantity q = failure(std::move(message));
  q.error->hint = units_hint(suggestion, accepted_units(d, c));
  q.error->lists_units = true;
  q.error->suggestion = std::move(suggestion);
  return q;
}

/// The "did you mean 'x'?" suggestion for an unknown unit, or "" if none is close.
std::string suggest_unit(std::string_view unit, Dimension d, Commodity c) {
  std::vector<std::string> spellings;
  int case_matches = 0;
  std::string case_match;
  for (const UnitDef& u : kUnits) {
    if (!in_group(u, d, c) || u.unit.empty()) continue;
    spellings.emplace_back(u.unit);
    if (iequals(u.unit, unit)) {
      ++case_matches;
      case_match = u.unit;
    }
  }
  if (case_matches == 1) return case_match;
  if (case_matches > 1) return "";  // ambiguous by case alone: let the list speak
  return closest_match(unit, spellings);
}

double apply_prop(double v, Prop p, const CommodityProps& props) {
  switch (p) {
    case Prop::None:
      return v;
    case Prop::TimesHeatingValue:
      return v * props.heating_value;
    case Prop::PerHeatingValue:
      return v / props.heating_value;
    case Prop::TimesDensityOrLng:
      return v * props.density_or_lng;
    case Prop::PerDensityOrLng:
      return v / props.density_or_lng;
  }
  return v;
}

}  // namespace

std::string_view commodity_name(Commodity c) { return c == Commodity::Gas ? "gas" : "oil"; }

std::optional<Commodity> parse_commodity(std::string_view s) {
  if (s == "gas") return Commodity::Gas;
  if (s == "oil") return Commodity::Oil;
  return std::nullopt;
}

CommodityProps default_props(Commodity c) {
  if (c == Commodity::Gas) return {kDefaultGasHeatingValueMjPerM3, kDefaultBcmPerMtLng};
  return {kDefaultOilHeatingValueGjPerT, kDefaultOilDensityKgPerM3};
}

std::string_view volume_unit(Commodity c) { return c == Commodity::Gas ? "bcm" : "Mt"; }

std::string_view cost_unit(Commodity c) { return c == Commodity::Gas ? "USD/kcm" : "USD/t"; }

double energy_pj(Commodity, const CommodityProps& p, double volume) {
  // Gas: 1e9 m3 x MJ/m3 = 1e9 MJ = PJ. Oil: 1e6 t x GJ/t = 1e6 GJ = PJ.
  return volume * p.heating_value;
}

double usd_per_gj(Commodity, const CommodityProps& p, double cost_per_unit) {
  // Gas: USD/kcm over GJ/kcm (= MJ/m3). Oil: USD/t over GJ/t.
  return cost_per_unit / p.heating_value;
}

double oil_m3_to_mt(const CommodityProps& p, double m3) {
  // m3 x kg/m3 = kg; 1 Mt = 1e9 kg.
  return m3 * p.density_or_lng / 1e9;
}

double usd_per_bbl(const CommodityProps& p, double usd_per_t) {
  // t per bbl = m3 per bbl x density kg/m3 / 1000 kg.
  return usd_per_t * kM3PerBbl * p.density_or_lng / 1000.0;
}

double daily_rate(Commodity, double rate_per_year) {
  // bcm/y -> mcm/d and Mt/y -> kt/d: x 1000 / 365.
  return rate_per_year * 1000.0 / kDaysPerYear;
}

std::string_view daily_unit(Commodity c) { return c == Commodity::Gas ? "mcm/d" : "kt/d"; }

std::string units_hint(std::string_view suggestion, std::string_view accepted) {
  return (suggestion.empty() ? "" : std::string(suggestion) + " ") +
         "accepted units: " + std::string(accepted);
}

std::string accepted_units(Dimension d, Commodity c) {
  std::string out;
  for (const UnitDef& u : kUnits) {
    if (!in_group(u, d, c)) continue;
    if (!out.empty()) out += ", ";
    out += u.unit.empty() ? std::string_view("a plain number") : u.unit;
    if (!u.note.empty()) {
      out += " ";
      out += u.note;
    }
  }
  return out;
}

ParsedQuantity parse_quantity(std::string_view text, Dimension d, Commodity c,
                              const CommodityProps& props) {
  const std::string_view t = trim(text);
  if (t.empty()) return unit_failure("empty value", d, c);

  // std::from_chars takes no leading '+'; allow one in front of a digit or a point.
  std::string_view number = t;
  if (number.size() > 1 && number[0] == '+' &&
      (std::isdigit(static_cast<unsigned char>(number[1])) || number[1] == '.')) {
    number.remove_prefix(1);
  }
  double x = 0.0;
  const char* const end = number.data() + number.size();
  const auto [rest, ec] = std::from_chars(number.data(), end, x);
  if (ec == std::errc::invalid_argument) return failure("missing number in " + quoted(t));
  if (ec == std::errc::result_out_of_range) return failure(quoted(t) + " is out of range");
  if (!std::isfinite(x)) return failure(quoted(t) + " is not a finite number");

  const std::string_view unit = trim(std::string_view(rest, end - rest));
  const UnitDef* found = nullptr;
  for (const UnitDef& u : kUnits) {
    if (in_group(u, d, c) && u.unit == unit) {
      found = &u;
      break;
    }
  }
  if (!found) {
    if (unit.empty()) return unit_failure("missing unit in " + quoted(t), d, c);
    // A unit of another dimension, or of this dimension for the other commodity; prefer the
    // spellings of this commodity.
    const UnitDef* other = nullptr;
    for (const UnitDef& u : kUnits) {
      if (u.unit == unit && (!other || (applies_to(u, c) && !applies_to(*other, c)))) other = &u;
    }
    if (other) {
      const bool same_dim = other->dim == d;
      const std::optional<Commodity> theirs =
          other->applies == Applies::Gas ? Commodity::Gas : Commodity::Oil;
      return unit_failure(
          quoted(t) + " is " + describe(other->dim, same_dim ? theirs : std::nullopt) +
              ", expected " + describe(d, same_dim ? std::optional(c) : std::nullopt),
          d, c);
    }
    const std::string close = suggest_unit(unit, d, c);
    return unit_failure("unknown unit " + quoted(unit) + " in " + quoted(t), d, c,
                        close.empty() ? "" : "did you mean " + quoted(close) + "?");
  }

  const double v = apply_prop(x * found->mul / found->div, found->prop, props) + found->offset;
  if (!std::isfinite(v)) {
    const UnitDef& to = canonical(d, c);
    return failure(quoted(t) + " is not a finite number after conversion to " +
                   (to.unit.empty() ? std::string("a plain number") : std::string(to.unit)));
  }
  ParsedQuantity q;
  q.value = v;
  q.by_mass = found->dim == Dimension::FlowRate &&
              (found->unit.starts_with("Mt/") || found->unit.starts_with("kt/") ||
               found->unit.starts_with("t/"));
  return q;
}

double magnitude_limit(Dimension d) {
  switch (d) {
    case Dimension::FlowRate:  // bcm/y or Mt/y: world gas production is about 4000 bcm/y
    case Dimension::UnitCost:  // USD/kcm or USD/t: gas at 100 USD/MMBtu is 3600 USD/kcm
    case Dimension::UnitCostPerDistance:
    case Dimension::Fraction:  // profile weights; fractions proper are at most 1 anyway
      return 1e6;
    case Dimension::Length:    // km: two and a half times round the Earth
    case Dimension::Diameter:  // mm: 100 m
    case Dimension::Density:   // kg/m3: osmium is 22590
      return 1e5;
    case Dimension::Pressure:         // MPa: pipelines run at up to about 25
    case Dimension::GasHeatingValue:  // MJ/m3: butane is about 120
    case Dimension::OilHeatingValue:  // GJ/t: crude is about 42
    case Dimension::LngExpansion:     // bcm/Mt: 1.36
    case Dimension::Duration:         // years: no asset is appraised over a millennium
      return 1e3;
    case Dimension::Money:           // MUSD: 1e6 is a trillion USD
    case Dimension::MoneyPerLength:  // MUSD/km: real lines cost 1 to 20
    case Dimension::Volume:          // bcm or Mt: the largest storage sites hold tens of bcm
      return 1e6;
    case Dimension::GrowthRate:  // per year: 100 is 10000 %/y
      return 100;
    case Dimension::Days:                // days: 270 years of outage
    case Dimension::EventRate:           // events per year: one every five minutes
    case Dimension::EventRatePerLength:  // per 1000 km per year: real lines see about 0.1
      return 1e5;
    case Dimension::Power:        // MW: the largest compressor stations have a few hundred
    case Dimension::Temperature:  // °C: pipelines run between -60 and 100
    case Dimension::MolarMass:    // kg/kmol: methane 16, heavy gases a few hundred
    case Dimension::Ratio:        // compression ratios 1 to 3, exponents about 1.3
      return 1e4;
    case Dimension::Viscosity:  // cSt: crude 2 to 1000, bitumen far more
      return 1e7;
  }
  return 1e6;
}

ParsedMoney parse_money(std::string_view text, Dimension d, Commodity c,
                        const CommodityProps& props) {
  // The currency code is a word of the unit: at its start or after a space, and followed by
  // its end or a '/': "RUB/t", "bn RUB", "mn CNY/km".
  std::string t(trim(text));
  for (const char* code : kCurrencies) {
    const std::string_view cur(code);
    for (std::size_t at = t.find(cur); at != std::string::npos; at = t.find(cur, at + 1)) {
      const bool starts = at == 0 || t[at - 1] == ' ' ||
                          std::isdigit(static_cast<unsigned char>(t[at - 1])) || t[at - 1] == '.';
      const std::size_t end = at + cur.size();
      const bool ends = end == t.size() || t[end] == '/';
      if (!starts || !ends) continue;
      ParsedMoney out;
      out.currency = code;
      const std::string written = t;
      out.quantity = parse_quantity(t.replace(at, cur.size(), "USD"), d, c, props);
      if (!out.quantity.ok() && written != t) {
        // Say it as the user wrote it: '5 EUR/t', not '5 USD/t'.
        std::string& m = out.quantity.error->message;
        for (std::size_t k = m.find("'" + t + "'"); k != std::string::npos;
             k = m.find("'" + t + "'", k + written.size() + 2)) {
          m.replace(k, t.size() + 2, "'" + written + "'");
        }
      }
      return out;
    }
  }
  return {parse_quantity(text, d, c, props), "USD"};
}

ParsedQuantity parse_exchange_rate(std::string_view text, std::string_view currency) {
  const std::string per_usd = std::string(currency) + "/USD";
  const std::string usd_per = "USD/" + std::string(currency);
  const std::string_view t = trim(text);
  double x = 0.0;
  std::string_view number = t;
  const char* const end = number.data() + number.size();
  const auto [rest, ec] = std::from_chars(number.data(), end, x);
  const std::string quoted_text = "'" + std::string(t) + "'";
  const std::string hint = "write the rate as " + per_usd + " (units of " + std::string(currency) +
                           " per USD, e.g. '92.5 " + per_usd + "') or " + usd_per;
  ParsedQuantity q;
  if (ec != std::errc() || !std::isfinite(x)) {
    q.error = QuantityError{"missing number in " + quoted_text, hint, false, ""};
    return q;
  }
  const std::string_view unit = trim(std::string_view(rest, end - rest));
  if (unit == per_usd) {
    q.value = x;
  } else if (unit == usd_per) {
    q.value = 1.0 / x;
  } else {
    q.error = QuantityError{
        (unit.empty() ? "missing unit in " : "unknown unit '" + std::string(unit) + "' in ") +
            quoted_text,
        hint, false, ""};
  }
  return q;
}

std::string format_quantity(double value, Dimension d, Commodity c) {
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
  std::string out = ec == std::errc() ? std::string(buf, ptr) : std::string("?");
  const std::string_view unit = canonical(d, c).unit;
  if (!unit.empty()) {
    out += " ";
    out += unit;
  }
  return out;
}

int days_in_year(int year) {
  const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  return leap ? 366 : 365;
}

namespace {
constexpr double kSecondsPerYear = kDaysPerYear * 86400.0;
}  // namespace

namespace {

/// The output units of `c`: the volume spellings (the Volume group), then the daily rates
/// whose "/d" form has a volume spelling; each with what its stocks are written in.
struct OutputUnitDef {
  std::string_view unit, stock_unit;
  bool per_day;
};

std::vector<OutputUnitDef> output_units_of(Commodity c) {
  std::vector<OutputUnitDef> out;
  for (const UnitDef& u : kUnits) {
    // Not gas in Mt of LNG: a table of pipeline gas is not written in tonnes of LNG.
    if (in_group(u, Dimension::Volume, c) && u.note != "(LNG)") {
      out.push_back({u.unit, u.unit, false});
    }
  }
  for (const UnitDef& u : kUnits) {
    if (!in_group(u, Dimension::FlowRate, c) || !u.unit.ends_with("/d")) continue;
    const std::string_view stock = u.unit.substr(0, u.unit.size() - 2);
    for (const UnitDef& v : kUnits) {
      if (in_group(v, Dimension::Volume, c) && v.unit == stock)
        out.push_back({u.unit, stock, true});
    }
  }
  return out;
}

/// The definition of `unit` for `c`, accepting "X/y" for a volume X; null when unknown.
std::optional<OutputUnitDef> find_output_unit(std::string_view unit, Commodity c) {
  std::string_view base = unit;
  if (base.ends_with("/y")) base.remove_suffix(2);
  for (const OutputUnitDef& d : output_units_of(c)) {
    if (d.unit == unit || (!d.per_day && d.unit == base)) return d;
  }
  return std::nullopt;
}

VolumeScale scale_for(std::string_view unit, bool per_day, Commodity c,
                      const CommodityProps& props) {
  VolumeScale s;
  s.unit = std::string(unit);
  s.per_day = per_day;
  const ParsedQuantity one =
      parse_quantity("1 " + s.unit, per_day ? Dimension::FlowRate : Dimension::Volume, c, props);
  if (!one.ok() || !(one.value > 0.0)) {
    throw std::logic_error("units: output unit '" + s.unit + "' does not convert");
  }
  s.divisor = one.value;
  return s;
}

}  // namespace

std::string accepted_output_units(Commodity c) {
  std::string out;
  for (const OutputUnitDef& d : output_units_of(c)) {
    if (!out.empty()) out += ", ";
    out += d.unit;
  }
  return out;
}

std::optional<QuantityError> parse_output_unit(std::string_view spec, OutputUnits& units) {
  const std::size_t eq = spec.find('=');
  const std::string usage = "give COMMODITY=UNIT, e.g. 'oil=kb/d' or 'gas=mcm/d'";
  if (eq == std::string_view::npos) {
    return QuantityError{"'" + std::string(spec) + "' names no commodity", usage, false, ""};
  }
  const std::string_view name = trim(spec.substr(0, eq)), unit = trim(spec.substr(eq + 1));
  const std::optional<Commodity> c = parse_commodity(name);
  if (!c) {
    return QuantityError{
        "unknown commodity '" + std::string(name) + "' in '" + std::string(spec) + "'",
        "expected gas or oil; " + usage, false, ""};
  }
  const std::optional<OutputUnitDef> d = find_output_unit(unit, *c);
  if (!d) {
    std::vector<std::string> spellings;
    for (const OutputUnitDef& o : output_units_of(*c)) spellings.emplace_back(o.unit);
    const std::string close = closest_match(unit, spellings);
    return QuantityError{
        "unknown " + std::string(commodity_name(*c)) + " output unit '" + std::string(unit) + "'",
        (close.empty() ? std::string() : "did you mean '" + close + "'? ") +
            "accepted units: " + accepted_output_units(*c),
        false, ""};
  }
  (*c == Commodity::Gas ? units.gas : units.oil) = std::string(d->unit);
  return std::nullopt;
}

double VolumeScale::value(double v, int year, int month) const {
  if (!per_day || month == 0) return v / divisor;
  // The month's mean daily rate, as an annual rate of 365 such days (the divisor's year).
  return v * kDaysPerYear / days_in_month(year, month) / divisor;
}

VolumeScale output_scale(const OutputUnits& units, Commodity c, const CommodityProps& props) {
  const std::string& u = units.of(c);
  if (u.empty()) return {std::string(volume_unit(c)), 1.0, false};  // the reporting unit as is
  const std::optional<OutputUnitDef> d = find_output_unit(u, c);
  if (!d) throw std::logic_error("units: unchecked output unit '" + u + "'");
  return scale_for(d->unit, d->per_day, c, props);
}

VolumeScale output_stock_scale(const OutputUnits& units, Commodity c, const CommodityProps& props) {
  const std::string& u = units.of(c);
  if (u.empty()) return {std::string(volume_unit(c)), 1.0, false};
  const std::optional<OutputUnitDef> d = find_output_unit(u, c);
  if (!d) throw std::logic_error("units: unchecked output unit '" + u + "'");
  return scale_for(d->stock_unit, false, c, props);
}

double m3_per_s_to_bcm_per_year(double m3_per_s) { return m3_per_s * kSecondsPerYear / 1e9; }
double bcm_per_year_to_m3_per_s(double bcm_per_year) {
  return bcm_per_year * 1e9 / kSecondsPerYear;
}
double kg_per_s_to_mt_per_year(double kg_per_s) { return kg_per_s * kSecondsPerYear / 1e9; }
double mt_per_year_to_kg_per_s(double mt_per_year) { return mt_per_year * 1e9 / kSecondsPerYear; }
double mpa_to_pa(double mpa) { return mpa * 1e6; }
double pa_to_mpa(double pa) { return pa / 1e6; }
double pa_to_bar(double pa) { return pa / 1e5; }
double m3_per_s_to_mcm_per_day(double m3_per_s) { return m3_per_s * 86400.0 / 1e6; }
double mj_to_j(double mj) { return mj * 1e6; }
double mw_to_w(double mw) { return mw * 1e6; }
double w_to_mw(double w) { return w / 1e6; }
double km_to_m(double km) { return km * 1e3; }
double mm_to_m(double mm) { return mm / 1e3; }
double celsius_to_kelvin(double c) { return c + kKelvinAtZeroCelsius; }
double kelvin_to_celsius(double k) { return k - kKelvinAtZeroCelsius; }
double kg_per_kmol_to_kg_per_mol(double m) { return m / 1e3; }

namespace {
// Standard dry air of ISO 6976:1995 (natural gas: calculation of calorific values, density,
// relative density), 28.9626 g/mol; GPA 2145:2009 gives 28.9625. Relative density is the
// ratio of molar masses (the ideal-gas definition, as in GasLib's and ISO 6976's use).
constexpr double kDryAirMolarMassKgPerKmol = 28.9626;
}  // namespace

double relative_density_to_kg_per_kmol(double relative_density) {
  return relative_density * kDryAirMolarMassKgPerKmol;
}
double cst_to_m2_per_s(double cst) { return cst / 1e6; }

int days_in_month(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) {
    throw std::invalid_argument("days_in_month: month " + std::to_string(month) +
                                " is not in 1..12");
  }
  return month == 2 ? kDays[1] + (days_in_year(year) - 365) : kDays[month - 1];
}

}  // namespace corridor
