#include "corridor/units.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

using namespace corridor;
using Catch::Matchers::WithinRel;

namespace {

constexpr double kRel = 1e-12;

// The accepted-unit lists, as they appear at the end of every unit error.
const std::string kGasFlowUnits =
    "bcm/y, bcm/a, mcm/d, mcm/y, Bcf/d, Tcf/y, TWh/y, PJ/y, GWh/d, Mt/y (LNG)";
const std::string kOilFlowUnits = "Mt/y, kt/y, kt/d, t/d, b/d, kb/d, Mb/d";
const std::string kGasCostUnits = "USD/kcm, USD/mcm, USD/GJ, USD/MWh, USD/MMBtu";
const std::string kOilCostUnits = "USD/t, USD/bbl, USD/GJ";
const std::string kMoneyUnits = "MUSD, mn USD, bn USD, trn USD, kUSD, USD";
const std::string kMoneyPerLengthUnits = "MUSD/km, mn USD/km, bn USD/km, kUSD/km, USD/km";
const std::string kDurationUnits = "y, yr, years";

ParsedQuantity parse(std::string_view text, Dimension d, Commodity c) {
  return parse_quantity(text, d, c, default_props(c));
}

/// The canonical value of a quantity that must parse.
double value(std::string_view text, Dimension d, Commodity c, const CommodityProps& props) {
  const ParsedQuantity q = parse_quantity(text, d, c, props);
  INFO("parsing '" << text << "': " << (q.error ? q.error->message : ""));
  REQUIRE(q.ok());
  return q.value;
}

double gas(std::string_view text, Dimension d) {
  return value(text, d, Commodity::Gas, default_props(Commodity::Gas));
}

double oil(std::string_view text, Dimension d) {
  return value(text, d, Commodity::Oil, default_props(Commodity::Oil));
}

/// The error of a quantity that must not parse, as a diagnostic prints it: "message; hint".
std::string error(std::string_view text, Dimension d, Commodity c) {
  const ParsedQuantity q = parse(text, d, c);
  INFO("parsing '" << text << "' gave " << q.value);
  REQUIRE_FALSE(q.ok());
  return q.error->message + (q.error->hint.empty() ? "" : "; " + q.error->hint);
}

}  // namespace

TEST_CASE("commodities: names, units and default properties", "[units]") {
  CHECK(commodity_name(Commodity::Gas) == "gas");
  CHECK(commodity_name(Commodity::Oil) == "oil");
  CHECK(parse_commodity("gas") == Commodity::Gas);
  CHECK(parse_commodity("oil") == Commodity::Oil);
  CHECK_FALSE(parse_commodity("Gas").has_value());
  CHECK_FALSE(parse_commodity("lng").has_value());
  CHECK_FALSE(parse_commodity("").has_value());

  CHECK(volume_unit(Commodity::Gas) == "bcm");
  CHECK(volume_unit(Commodity::Oil) == "Mt");
  CHECK(cost_unit(Commodity::Gas) == "USD/kcm");
  CHECK(cost_unit(Commodity::Oil) == "USD/t");

  CHECK(default_props(Commodity::Gas).heating_value == 38.0);
  CHECK(default_props(Commodity::Gas).density_or_lng == 1.36);
  CHECK(default_props(Commodity::Oil).heating_value == 42.0);
  CHECK(default_props(Commodity::Oil).density_or_lng == 850.0);
}

TEST_CASE("energy_pj: volume times heating value", "[units]") {
  // Gas: 10 bcm x 38 MJ/m3 = 10e9 m3 x 38 MJ/m3 = 380e9 MJ = 380 PJ.
  CHECK_THAT(energy_pj(Commodity::Gas, default_props(Commodity::Gas), 10.0),
             WithinRel(380.0, kRel));
  // Oil: 10 Mt x 42 GJ/t = 10e6 t x 42 GJ/t = 420e6 GJ = 420 PJ.
  CHECK_THAT(energy_pj(Commodity::Oil, default_props(Commodity::Oil), 10.0),
             WithinRel(420.0, kRel));
  CHECK_THAT(energy_pj(Commodity::Gas, CommodityProps{40.0, 1.36}, 10.0), WithinRel(400.0, kRel));
}

TEST_CASE("gas flow rates convert to bcm/y", "[units]") {
  const auto d = Dimension::FlowRate;
  CHECK(gas("38 bcm/y", d) == 38.0);
  CHECK(gas("38 bcm/a", d) == 38.0);
  CHECK(gas("104 mcm/d", d) == 37.96);  // 104 x 365 / 1000
  CHECK(gas("500 mcm/y", d) == 0.5);    // 500 / 1000
  // 3.7 Bcf/d x 365 d x 0.028316846592 bcm/Bcf = 1350.5 x 0.028316846592 = 38.241901322496
  CHECK_THAT(gas("3.7 Bcf/d", d), WithinRel(38.241901322496, kRel));
  // 1 Tcf = 1000 Bcf = 28.316846592 bcm
  CHECK_THAT(gas("1 Tcf/y", d), WithinRel(28.316846592, kRel));
  // 400 TWh x 3.6 PJ/TWh = 1440 PJ; 1440 PJ / 38 MJ/m3 = 37.894736842105 bcm
  CHECK_THAT(gas("400 TWh/y", d), WithinRel(1440.0 / 38.0, kRel));
  CHECK_THAT(gas("1440 PJ/y", d), WithinRel(1440.0 / 38.0, kRel));
  // 1000 GWh/d x 365 = 365 TWh/y = 1314 PJ/y; / 38 = 34.578947368421
  CHECK_THAT(gas("1000 GWh/d", d), WithinRel(34.578947368421055, kRel));
  // 30 Mt LNG x 1.36 bcm/Mt = 40.8 bcm
  CHECK_THAT(gas("30 Mt/y", d), WithinRel(40.8, kRel));
}

TEST_CASE("oil flow rates convert to Mt/y", "[units]") {
  const auto d = Dimension::FlowRate;
  CHECK(oil("30 Mt/y", d) == 30.0);
  CHECK(oil("600 kt/y", d) == 0.6);    // 600 / 1000
  CHECK(oil("100 kt/d", d) == 36.5);   // 100 x 365 / 1000
  CHECK(oil("1000 t/d", d) == 0.365);  // 1000 x 365 / 1e6
  // 600e3 bbl/d x 365 = 219e6 bbl/y x 0.158987294928 m3 = 34.818217589e6 m3
  //   x 850 kg/m3 = 29.595484951e9 kg = 29.595484950847 Mt
  CHECK_THAT(oil("600 kb/d", d), WithinRel(29.595484950847204, kRel));
  // 1e6 bbl/d x 365 x 0.158987294928 x 850 / 1e9 = 49.325808251412
  CHECK_THAT(oil("1 Mb/d", d), WithinRel(49.325808251412, kRel));
  CHECK_THAT(oil("1000 b/d", d), WithinRel(0.049325808251412, kRel));
}

TEST_CASE("unit costs convert to USD/kcm (gas) and USD/t (oil)", "[units]") {
  const auto d = Dimension::UnitCost;
  CHECK(gas("25 USD/kcm", d) == 25.0);
  CHECK(gas("250 USD/mcm", d) == 0.25);  // 1 mcm = 1000 kcm
  // 1 kcm = 1000 m3 x 38 MJ/m3 = 38 GJ = 38 / 3.6 MWh = 38 / 1.05505585262 MMBtu
  CHECK_THAT(gas("10 USD/GJ", d), WithinRel(380.0, kRel));
  CHECK_THAT(gas("36 USD/MWh", d), WithinRel(380.0, kRel));  // 36 x 38 / 3.6
  CHECK_THAT(gas("10 USD/MMBtu", d), WithinRel(360.17050571906054, kRel));

  CHECK(oil("15 USD/t", d) == 15.0);
  // 1 t = 1000 kg / 850 kg/m3 = 1.176470588 m3 = 7.3997773 bbl; 70 x 7.3997773 = 517.98441639
  CHECK_THAT(oil("70 USD/bbl", d), WithinRel(517.9844163885263, kRel));
  CHECK_THAT(oil("10 USD/GJ", d), WithinRel(420.0, kRel));  // 10 x 42 GJ/t
}

TEST_CASE("unit costs per distance convert to USD/kcm/100km and USD/t/100km", "[units]") {
  const auto d = Dimension::UnitCostPerDistance;
  CHECK(gas("1.2 USD/kcm/100km", d) == 1.2);
  CHECK_THAT(gas("0.012 USD/kcm/km", d), WithinRel(1.2, kRel));    // x 100
  CHECK_THAT(gas("1200 USD/mcm/100km", d), WithinRel(1.2, kRel));  // / 1000
  CHECK(oil("2 USD/t/100km", d) == 2.0);
  CHECK_THAT(oil("0.02 USD/t/km", d), WithinRel(2.0, kRel));
  // Per barrel, at 850 kg/m3 (issue 18.3): a tonne is 1000 / (850 x 0.158987294928) =
  // 7.399777 bbl, so 0.5 USD/bbl/100km is 3.699889 USD/t/100km; per km x 100.
  CHECK_THAT(oil("0.5 USD/bbl/100km", d), WithinRel(3.699888688489, kRel));
  CHECK_THAT(oil("0.005 USD/bbl/km", d), WithinRel(3.699888688489, kRel));
}

TEST_CASE("commodity-independent dimensions", "[units]") {
  for (const Commodity c : {Commodity::Gas, Commodity::Oil}) {
    const CommodityProps p = default_props(c);
    INFO("commodity " << commodity_name(c));
    CHECK(value("2200 km", Dimension::Length, c, p) == 2200.0);
    CHECK(value("1500 m", Dimension::Length, c, p) == 1.5);
    CHECK_THAT(value("100 mi", Dimension::Length, c, p), WithinRel(160.9344, kRel));

    CHECK(value("1420 mm", Dimension::Diameter, c, p) == 1420.0);
    CHECK_THAT(value("1.42 m", Dimension::Diameter, c, p), WithinRel(1420.0, kRel));
    CHECK_THAT(value("56 in", Dimension::Diameter, c, p), WithinRel(1422.4, kRel));  // x 25.4

    CHECK(value("9.8 MPa", Dimension::Pressure, c, p) == 9.8);
    CHECK(value("9800 kPa", Dimension::Pressure, c, p) == 9.8);
    CHECK(value("98 bar", Dimension::Pressure, c, p) == 9.8);
    // 1 psi = 0.45359237 kg x 9.80665 m/s2 / 0.0254^2 m2 = 6894.757293168 Pa
    CHECK_THAT(value("1000 psi", Dimension::Pressure, c, p), WithinRel(6.894757293168361, kRel));

    CHECK(value("0.9", Dimension::Fraction, c, p) == 0.9);
    CHECK(value("90 %", Dimension::Fraction, c, p) == 0.9);
    CHECK(value("90%", Dimension::Fraction, c, p) == 0.9);

    CHECK(value("850 kg/m3", Dimension::Density, c, p) == 850.0);
    CHECK(value("38 MJ/m3", Dimension::GasHeatingValue, c, p) == 38.0);
    CHECK_THAT(value("10.5 kWh/m3", Dimension::GasHeatingValue, c, p), WithinRel(37.8, kRel));
    CHECK(value("42 GJ/t", Dimension::OilHeatingValue, c, p) == 42.0);
    CHECK(value("42 MJ/kg", Dimension::OilHeatingValue, c, p) == 42.0);
    CHECK(value("1.36 bcm/Mt", Dimension::LngExpansion, c, p) == 1.36);
  }
}

TEST_CASE("money, money per length and durations convert to MUSD, MUSD/km and years", "[units]") {
  // Commodity-independent: the same answer for gas and oil, whatever the properties.
  for (const Commodity c : {Commodity::Gas, Commodity::Oil}) {
    const CommodityProps p = default_props(c);
    INFO("commodity " << commodity_name(c));
    CHECK(value("13.6 bn USD", Dimension::Money, c, p) == 13600.0);  // 13.6 x 1000
    CHECK(value("1000 MUSD", Dimension::Money, c, p) == 1000.0);
    CHECK(value("250 mn USD", Dimension::Money, c, p) == 250.0);
    CHECK(value("500 kUSD", Dimension::Money, c, p) == 0.5);    // / 1000
    CHECK(value("2e9 USD", Dimension::Money, c, p) == 2000.0);  // / 1e6
    CHECK(value("13.6bn USD", Dimension::Money, c, p) == 13600.0);

    CHECK(value("4.5 MUSD/km", Dimension::MoneyPerLength, c, p) == 4.5);
    CHECK(value("4.5 mn USD/km", Dimension::MoneyPerLength, c, p) == 4.5);
    CHECK(value("0.0045 bn USD/km", Dimension::MoneyPerLength, c, p) == 4.5);  // x 1000
    CHECK(value("4500 kUSD/km", Dimension::MoneyPerLength, c, p) == 4.5);
    CHECK(value("4.5e6 USD/km", Dimension::MoneyPerLength, c, p) == 4.5);

    CHECK(value("30 y", Dimension::Duration, c, p) == 30.0);
    CHECK(value("30 yr", Dimension::Duration, c, p) == 30.0);
    CHECK(value("30 years", Dimension::Duration, c, p) == 30.0);
    CHECK(value("2.5y", Dimension::Duration, c, p) == 2.5);
  }
}

TEST_CASE("power, temperature, molar mass, viscosity and ratios (hydraulics)", "[units]") {
  const auto c = Commodity::Gas;
  const CommodityProps p = default_props(c);
  CHECK(value("128 MW", Dimension::Power, c, p) == 128.0);
  CHECK(value("128000 kW", Dimension::Power, c, p) == 128.0);
  CHECK(value("1.331 GW", Dimension::Power, c, p) == 1331.0);
  CHECK(value("10 °C", Dimension::Temperature, c, p) == 10.0);
  CHECK(value("-5 C", Dimension::Temperature, c, p) == -5.0);
  // 188.549758911 K = -84.600241089 °C: K - 273.15 exactly.
  CHECK(value("188.549758911 K", Dimension::Temperature, c, p) == 188.549758911 - 273.15);
  CHECK(value("18.5674 kg/kmol", Dimension::MolarMass, c, p) == 18.5674);
  CHECK(value("18.5674 g/mol", Dimension::MolarMass, c, p) == 18.5674);
  CHECK(value("10 cSt", Dimension::Viscosity, Commodity::Oil, p) == 10.0);
  CHECK(value("10 mm2/s", Dimension::Viscosity, Commodity::Oil, p) == 10.0);
  CHECK(value("1e-5 m2/s", Dimension::Viscosity, Commodity::Oil, p) == Approx(10.0).epsilon(1e-15));
  CHECK(value("1.7", Dimension::Ratio, c, p) == 1.7);
  CHECK(error("1.7 x", Dimension::Ratio, c) ==
        "unknown unit 'x' in '1.7 x'; accepted units: a plain number");
  CHECK(error("128", Dimension::Power, c) ==
        "missing unit in '128'; accepted units: MW, kW, W, GW");
  CHECK(error("10 F", Dimension::Temperature, c) ==
        "unknown unit 'F' in '10 F'; did you mean 'C'? accepted units: °C, C, K");
  // The SI helpers of the hydraulics: 365-day years, normal m3 and kg.
  CHECK(m3_per_s_to_bcm_per_year(1.0) == Approx(0.031536).epsilon(1e-15));
  CHECK(bcm_per_year_to_m3_per_s(m3_per_s_to_bcm_per_year(1234.5)) ==
        Approx(1234.5).epsilon(1e-15));
  CHECK(kg_per_s_to_mt_per_year(1.0) == Approx(0.031536).epsilon(1e-15));
  CHECK(celsius_to_kelvin(10.0) == 283.15);
  // 1 m3/s is 86,400 m3 a day, 0.0864 mcm/d; 1e5 Pa is 1 bar.
  CHECK(m3_per_s_to_mcm_per_day(1.0) == Approx(0.0864).epsilon(1e-15));
  CHECK(pa_to_bar(98e5) == Approx(98.0).epsilon(1e-15));
}

TEST_CASE("money, money per length and durations: exact error messages", "[units]") {
  const auto gas_c = Commodity::Gas;
  SECTION("a unit of the other money dimension, or of another dimension, is named") {
    CHECK(error("5 MUSD/km", Dimension::Money, gas_c) ==
          "'5 MUSD/km' is an amount of money per length, expected an amount of money; accepted "
          "units: " +
              kMoneyUnits);
    CHECK(error("13.6 bn USD", Dimension::MoneyPerLength, gas_c) ==
          "'13.6 bn USD' is an amount of money, expected an amount of money per length; "
          "accepted units: " +
              kMoneyPerLengthUnits);
    CHECK(error("5 USD/kcm", Dimension::Money, gas_c) ==
          "'5 USD/kcm' is a unit cost, expected an amount of money; accepted units: " +
              kMoneyUnits);
    CHECK(error("30 km", Dimension::Duration, gas_c) ==
          "'30 km' is a length, expected a duration; accepted units: " + kDurationUnits);
    CHECK(error("30 y", Dimension::Length, gas_c) ==
          "'30 y' is a duration, expected a length; accepted units: km, m, mi");
    CHECK(error("5 USD", Dimension::UnitCost, gas_c) ==
          "'5 USD' is an amount of money, expected a unit cost; accepted units: " + kGasCostUnits);
  }
  SECTION("missing and unknown units") {
    CHECK(error("1000", Dimension::Money, gas_c) ==
          "missing unit in '1000'; accepted units: " + kMoneyUnits);
    CHECK(error("30", Dimension::Duration, gas_c) ==
          "missing unit in '30'; accepted units: " + kDurationUnits);
    CHECK(error("13.6 bn usd", Dimension::Money, gas_c) ==
          "unknown unit 'bn usd' in '13.6 bn usd'; did you mean 'bn USD'? accepted units: " +
              kMoneyUnits);
    CHECK(error("4.5 MUSD/mi", Dimension::MoneyPerLength, gas_c) ==
          "unknown unit 'MUSD/mi' in '4.5 MUSD/mi'; did you mean 'MUSD/km'? accepted units: " +
              kMoneyPerLengthUnits);
    CHECK(error("30 yrs", Dimension::Duration, gas_c) ==
          "unknown unit 'yrs' in '30 yrs'; did you mean 'yr'? accepted units: " + kDurationUnits);
  }
}

TEST_CASE("conversions follow the heating value and density in CommodityProps", "[units]") {
  SECTION("gas heating value") {
    const CommodityProps p{40.0, 1.36};
    // 400 TWh/y x 3.6 = 1440 PJ / 40 MJ/m3 = 36 bcm/y
    CHECK_THAT(value("400 TWh/y", Dimension::FlowRate, Commodity::Gas, p), WithinRel(36.0, kRel));
    // 36 USD/MWh x 40/3.6 MWh per kcm = 400 USD/kcm
    CHECK_THAT(value("36 USD/MWh", Dimension::UnitCost, Commodity::Gas, p), WithinRel(400.0, kRel));
    CHECK_THAT(value("10 USD/GJ", Dimension::UnitCost, Commodity::Gas, p), WithinRel(400.0, kRel));
    // Volume units ignore it.
    CHECK(value("38 bcm/y", Dimension::FlowRate, Commodity::Gas, p) == 38.0);
  }
  SECTION("LNG expansion") {
    const CommodityProps p{38.0, 1.38};
    CHECK_THAT(value("30 Mt/y", Dimension::FlowRate, Commodity::Gas, p), WithinRel(41.4, kRel));
  }
  SECTION("oil density") {
    const CommodityProps p{42.0, 800.0};
    // 1e6 bbl/d x 365 x 0.158987294928 x 800 / 1e9 = 46.424290118976
    CHECK_THAT(value("1 Mb/d", Dimension::FlowRate, Commodity::Oil, p),
               WithinRel(46.424290118976, kRel));
    // 70 x 1000 / (0.158987294928 x 800) = 550.3584424128
    CHECK_THAT(value("70 USD/bbl", Dimension::UnitCost, Commodity::Oil, p),
               WithinRel(550.3584424128092, kRel));
    CHECK(value("30 Mt/y", Dimension::FlowRate, Commodity::Oil, p) == 30.0);
  }
  SECTION("oil heating value") {
    const CommodityProps p{44.0, 850.0};
    CHECK_THAT(value("10 USD/GJ", Dimension::UnitCost, Commodity::Oil, p), WithinRel(440.0, kRel));
  }
  SECTION("a zero heating value gives no finite energy conversion") {
    const CommodityProps p{0.0, 1.36};
    const ParsedQuantity q = parse_quantity("400 TWh/y", Dimension::FlowRate, Commodity::Gas, p);
    REQUIRE(q.error);
    CHECK(q.error->message == "'400 TWh/y' is not a finite number after conversion to bcm/y");
    CHECK(q.error->hint.empty());
    CHECK(value("38 bcm/y", Dimension::FlowRate, Commodity::Gas, p) == 38.0);
  }
}

TEST_CASE("number syntax: sign, decimals, exponent, spacing", "[units]") {
  const auto d = Dimension::FlowRate;
  CHECK(gas("-5 bcm/y", d) == -5.0);  // negative values parse; validation rejects them
  CHECK(gas("+5 bcm/y", d) == 5.0);
  CHECK(gas("-104 mcm/d", d) == -37.96);
  CHECK(gas("0.5 bcm/y", d) == 0.5);
  CHECK(gas(".5 bcm/y", d) == 0.5);
  CHECK(gas("5. bcm/y", d) == 5.0);
  CHECK(gas("38bcm/y", d) == 38.0);
  CHECK(gas("  38   bcm/y  ", d) == 38.0);
  CHECK(gas("1e-6 bcm/y", d) == 1e-6);
  CHECK(gas("2.5E3 mcm/y", d) == 2.5);
  CHECK(gas("1e+2 bcm/y", d) == 100.0);
  CHECK(gas("1e300 bcm/y", d) == 1e300);  // large but finite
  CHECK(value("1e-6km", Dimension::Length, Commodity::Gas, default_props(Commodity::Gas)) == 1e-6);
}

TEST_CASE("parse errors: the message and the hint are separate fields", "[units]") {
  const Commodity gas_c = Commodity::Gas;
  SECTION("an unknown unit with a close one: the suggestion, then the accepted units") {
    const ParsedQuantity q = parse("38 bcm/yr", Dimension::FlowRate, gas_c);
    REQUIRE(q.error);
    CHECK(q.error->message == "unknown unit 'bcm/yr' in '38 bcm/yr'");
    CHECK(q.error->hint == "did you mean 'bcm/y'? accepted units: " + kGasFlowUnits);
    CHECK(q.error->lists_units);
    CHECK(q.error->suggestion == "did you mean 'bcm/y'?");
  }
  SECTION("a missing unit: the accepted units only") {
    const ParsedQuantity q = parse("38", Dimension::FlowRate, gas_c);
    REQUIRE(q.error);
    CHECK(q.error->message == "missing unit in '38'");
    CHECK(q.error->hint == "accepted units: " + kGasFlowUnits);
    CHECK(q.error->lists_units);
    CHECK(q.error->suggestion.empty());
  }
  SECTION("a number that is not finite: no hint") {
    const ParsedQuantity q = parse("nan bcm/y", Dimension::FlowRate, gas_c);
    REQUIRE(q.error);
    CHECK(q.error->message == "'nan bcm/y' is not a finite number");
    CHECK(q.error->hint.empty());
    CHECK_FALSE(q.error->lists_units);
  }
  CHECK(units_hint("", "km, m") == "accepted units: km, m");
  CHECK(units_hint("did you mean 'km'?", "km, m") == "did you mean 'km'? accepted units: km, m");
}

TEST_CASE("parse errors: exact messages", "[units]") {
  const auto flow = Dimension::FlowRate;
  const auto gas_c = Commodity::Gas;
  const auto oil_c = Commodity::Oil;

  SECTION("empty") {
    CHECK(error("", flow, gas_c) == "empty value; accepted units: " + kGasFlowUnits);
    CHECK(error("   ", flow, gas_c) == "empty value; accepted units: " + kGasFlowUnits);
    CHECK(error("", Dimension::Fraction, gas_c) ==
          "empty value; accepted units: a plain number, %");
  }
  SECTION("missing unit: bare numbers only for fractions") {
    CHECK(error("38", flow, gas_c) == "missing unit in '38'; accepted units: " + kGasFlowUnits);
    CHECK(error("30", flow, oil_c) == "missing unit in '30'; accepted units: " + kOilFlowUnits);
    CHECK(error("2200", Dimension::Length, gas_c) ==
          "missing unit in '2200'; accepted units: km, m, mi");
    CHECK(error("1420", Dimension::Diameter, oil_c) ==
          "missing unit in '1420'; accepted units: mm, m, in");
    CHECK(error("9.8", Dimension::Pressure, gas_c) ==
          "missing unit in '9.8'; accepted units: MPa, kPa, bar, psi");
    CHECK(error("25", Dimension::UnitCost, gas_c) ==
          "missing unit in '25'; accepted units: " + kGasCostUnits);
  }
  SECTION("missing number") {
    CHECK(error("bcm/y", flow, gas_c) == "missing number in 'bcm/y'");
    CHECK(error("abc bcm/y", flow, gas_c) == "missing number in 'abc bcm/y'");
    CHECK(error("++5 bcm/y", flow, gas_c) == "missing number in '++5 bcm/y'");
    CHECK(error("%", Dimension::Fraction, gas_c) == "missing number in '%'");
  }
  SECTION("not finite") {
    CHECK(error("nan bcm/y", flow, gas_c) == "'nan bcm/y' is not a finite number");
    CHECK(error("inf bcm/y", flow, gas_c) == "'inf bcm/y' is not a finite number");
    CHECK(error("-inf bcm/y", flow, gas_c) == "'-inf bcm/y' is not a finite number");
    CHECK(error("NaN", Dimension::Fraction, gas_c) == "'NaN' is not a finite number");
    CHECK(error("1e400 bcm/y", flow, gas_c) == "'1e400 bcm/y' is out of range");
    // 1e308 Bcf/d x 365 x 0.0283 = 1.03e309 bcm/y: finite as written, infinite once converted.
    CHECK(error("1e308 Bcf/d", flow, gas_c) ==
          "'1e308 Bcf/d' is not a finite number after conversion to bcm/y");
    CHECK(error("1.7e308 b/d", flow, oil_c) ==
          "'1.7e308 b/d' is not a finite number after conversion to Mt/y");
  }
  SECTION("unknown unit, with a suggestion") {
    CHECK(error("38 bcm/yr", flow, gas_c) ==
          "unknown unit 'bcm/yr' in '38 bcm/yr'; did you mean 'bcm/y'? accepted units: " +
              kGasFlowUnits);
    CHECK(error("38 bcm / y", flow, gas_c) ==
          "unknown unit 'bcm / y' in '38 bcm / y'; did you mean 'bcm/y'? accepted units: " +
              kGasFlowUnits);
    CHECK(error("104 mcm/day", flow, gas_c) ==
          "unknown unit 'mcm/day' in '104 mcm/day'; did you mean 'mcm/d'? accepted units: " +
              kGasFlowUnits);
    CHECK(error("1.2 USD/kcm/100 km", Dimension::UnitCostPerDistance, gas_c) ==
          "unknown unit 'USD/kcm/100 km' in '1.2 USD/kcm/100 km'; did you mean "
          "'USD/kcm/100km'? accepted units: USD/kcm/100km, USD/kcm/km, USD/mcm/100km");
  }
  SECTION("units are case-sensitive, but a case-only difference is suggested") {
    CHECK(error("38 BCM/Y", flow, gas_c) ==
          "unknown unit 'BCM/Y' in '38 BCM/Y'; did you mean 'bcm/y'? accepted units: " +
              kGasFlowUnits);
    CHECK(error("30 mt/y", flow, oil_c) ==
          "unknown unit 'mt/y' in '30 mt/y'; did you mean 'Mt/y'? accepted units: " +
              kOilFlowUnits);
    CHECK(error("9.8 mpa", Dimension::Pressure, gas_c) ==
          "unknown unit 'mpa' in '9.8 mpa'; did you mean 'MPa'? accepted units: MPa, kPa, bar, "
          "psi");
    CHECK(error("600 KB/D", flow, oil_c) ==
          "unknown unit 'KB/D' in '600 KB/D'; did you mean 'kb/d'? accepted units: " +
              kOilFlowUnits);
  }
  SECTION("unknown unit, nothing close") {
    CHECK(error("38 furlongs", flow, gas_c) ==
          "unknown unit 'furlongs' in '38 furlongs'; accepted units: " + kGasFlowUnits);
    // "bbl/d" is 2 edits from "b/d", more than max(1, 5/3) allows.
    CHECK(error("600 bbl/d", flow, oil_c) ==
          "unknown unit 'bbl/d' in '600 bbl/d'; accepted units: " + kOilFlowUnits);
    CHECK(error("0.9 pct", Dimension::Fraction, gas_c) ==
          "unknown unit 'pct' in '0.9 pct'; accepted units: a plain number, %");
  }
  SECTION("a unit of another dimension is named") {
    CHECK(error("38 km", flow, gas_c) ==
          "'38 km' is a length, expected a flow rate; accepted units: " + kGasFlowUnits);
    CHECK(error("1420 mm", Dimension::Length, gas_c) ==
          "'1420 mm' is a diameter, expected a length; accepted units: km, m, mi");
    CHECK(error("2200 km", Dimension::Diameter, oil_c) ==
          "'2200 km' is a length, expected a diameter; accepted units: mm, m, in");
    CHECK(error("90 %", flow, gas_c) ==
          "'90 %' is a fraction, expected a flow rate; accepted units: " + kGasFlowUnits);
    CHECK(error("0.9 km", Dimension::Fraction, gas_c) ==
          "'0.9 km' is a length, expected a fraction; accepted units: a plain number, %");
    CHECK(error("25 USD/kcm/100km", Dimension::UnitCost, gas_c) ==
          "'25 USD/kcm/100km' is a unit cost per distance, expected a unit cost; accepted units: " +
              kGasCostUnits);
    CHECK(error("30 Mt/y", Dimension::Length, oil_c) ==
          "'30 Mt/y' is a flow rate, expected a length; accepted units: km, m, mi");
    CHECK(error("38 MJ/m3", Dimension::OilHeatingValue, oil_c) ==
          "'38 MJ/m3' is a gas heating value, expected an oil heating value; accepted units: "
          "GJ/t, MJ/kg");
    CHECK(error("42 GJ/t", Dimension::GasHeatingValue, gas_c) ==
          "'42 GJ/t' is an oil heating value, expected a gas heating value; accepted units: "
          "MJ/m3, kWh/m3");
    CHECK(error("1.36 bcm/Mt", flow, gas_c) ==
          "'1.36 bcm/Mt' is an LNG expansion factor, expected a flow rate; accepted units: " +
              kGasFlowUnits);
    CHECK(error("850 kg/m3", Dimension::Pressure, oil_c) ==
          "'850 kg/m3' is a density, expected a pressure; accepted units: MPa, kPa, bar, psi");
  }
  SECTION("a unit of the other commodity names both commodities") {
    CHECK(error("38 bcm/y", flow, oil_c) ==
          "'38 bcm/y' is a gas flow rate, expected an oil flow rate; accepted units: " +
              kOilFlowUnits);
    CHECK(error("600 kb/d", flow, gas_c) ==
          "'600 kb/d' is an oil flow rate, expected a gas flow rate; accepted units: " +
              kGasFlowUnits);
    CHECK(error("70 USD/bbl", Dimension::UnitCost, gas_c) ==
          "'70 USD/bbl' is an oil unit cost, expected a gas unit cost; accepted units: " +
              kGasCostUnits);
    CHECK(error("25 USD/kcm", Dimension::UnitCost, oil_c) ==
          "'25 USD/kcm' is a gas unit cost, expected an oil unit cost; accepted units: " +
              kOilCostUnits);
    CHECK(error("2 USD/t/km", Dimension::UnitCostPerDistance, gas_c) ==
          "'2 USD/t/km' is an oil unit cost per distance, expected a gas unit cost per distance; "
          "accepted units: USD/kcm/100km, USD/kcm/km, USD/mcm/100km");
  }
}

TEST_CASE("accepted_units lists every spelling, canonical first", "[units]") {
  CHECK(accepted_units(Dimension::FlowRate, Commodity::Gas) == kGasFlowUnits);
  CHECK(accepted_units(Dimension::FlowRate, Commodity::Oil) == kOilFlowUnits);
  CHECK(accepted_units(Dimension::UnitCost, Commodity::Gas) == kGasCostUnits);
  CHECK(accepted_units(Dimension::UnitCost, Commodity::Oil) == kOilCostUnits);
  CHECK(accepted_units(Dimension::UnitCostPerDistance, Commodity::Gas) ==
        "USD/kcm/100km, USD/kcm/km, USD/mcm/100km");
  CHECK(accepted_units(Dimension::UnitCostPerDistance, Commodity::Oil) ==
        "USD/t/100km, USD/t/km, USD/bbl/100km, USD/bbl/km");
  for (const Commodity c : {Commodity::Gas, Commodity::Oil}) {
    CHECK(accepted_units(Dimension::Length, c) == "km, m, mi");
    CHECK(accepted_units(Dimension::Diameter, c) == "mm, m, in");
    CHECK(accepted_units(Dimension::Pressure, c) == "MPa, kPa, bar, psi");
    CHECK(accepted_units(Dimension::Fraction, c) == "a plain number, %");
    CHECK(accepted_units(Dimension::Density, c) == "kg/m3");
    CHECK(accepted_units(Dimension::GasHeatingValue, c) == "MJ/m3, kWh/m3");
    CHECK(accepted_units(Dimension::OilHeatingValue, c) == "GJ/t, MJ/kg");
    CHECK(accepted_units(Dimension::LngExpansion, c) == "bcm/Mt");
    CHECK(accepted_units(Dimension::Money, c) == kMoneyUnits);
    CHECK(accepted_units(Dimension::MoneyPerLength, c) == kMoneyPerLengthUnits);
    CHECK(accepted_units(Dimension::Duration, c) == kDurationUnits);
  }
}

TEST_CASE("format_quantity: shortest round-trip number and canonical unit", "[units]") {
  CHECK(format_quantity(38.0, Dimension::FlowRate, Commodity::Gas) == "38 bcm/y");
  CHECK(format_quantity(30.0, Dimension::FlowRate, Commodity::Oil) == "30 Mt/y");
  CHECK(format_quantity(25.0, Dimension::UnitCost, Commodity::Gas) == "25 USD/kcm");
  CHECK(format_quantity(15.0, Dimension::UnitCost, Commodity::Oil) == "15 USD/t");
  CHECK(format_quantity(1.2, Dimension::UnitCostPerDistance, Commodity::Gas) ==
        "1.2 USD/kcm/100km");
  CHECK(format_quantity(2.0, Dimension::UnitCostPerDistance, Commodity::Oil) == "2 USD/t/100km");
  CHECK(format_quantity(2200.0, Dimension::Length, Commodity::Gas) == "2200 km");
  CHECK(format_quantity(1420.0, Dimension::Diameter, Commodity::Gas) == "1420 mm");
  CHECK(format_quantity(9.8, Dimension::Pressure, Commodity::Oil) == "9.8 MPa");
  CHECK(format_quantity(0.9, Dimension::Fraction, Commodity::Gas) == "0.9");
  CHECK(format_quantity(850.0, Dimension::Density, Commodity::Oil) == "850 kg/m3");
  CHECK(format_quantity(38.0, Dimension::GasHeatingValue, Commodity::Gas) == "38 MJ/m3");
  CHECK(format_quantity(42.0, Dimension::OilHeatingValue, Commodity::Oil) == "42 GJ/t");
  CHECK(format_quantity(1.36, Dimension::LngExpansion, Commodity::Gas) == "1.36 bcm/Mt");
  CHECK(format_quantity(13600.0, Dimension::Money, Commodity::Gas) == "13600 MUSD");
  CHECK(format_quantity(4.5, Dimension::MoneyPerLength, Commodity::Oil) == "4.5 MUSD/km");
  CHECK(format_quantity(30.0, Dimension::Duration, Commodity::Gas) == "30 y");
  CHECK(format_quantity(-5.0, Dimension::FlowRate, Commodity::Gas) == "-5 bcm/y");
  CHECK(format_quantity(0.1 + 0.2, Dimension::FlowRate, Commodity::Gas) ==
        "0.30000000000000004 bcm/y");
  CHECK(format_quantity(1e300, Dimension::FlowRate, Commodity::Gas) == "1e+300 bcm/y");
  // A converted value prints in the canonical unit: 104 mcm/d = 37.96 bcm/y.
  CHECK(format_quantity(gas("104 mcm/d", Dimension::FlowRate), Dimension::FlowRate,
                        Commodity::Gas) == "37.96 bcm/y");
}

TEST_CASE("format_quantity round-trips through parse_quantity exactly", "[units]") {
  const Dimension dims[] = {
      Dimension::FlowRate,        Dimension::UnitCost,     Dimension::UnitCostPerDistance,
      Dimension::Length,          Dimension::Diameter,     Dimension::Pressure,
      Dimension::Fraction,        Dimension::Density,      Dimension::GasHeatingValue,
      Dimension::OilHeatingValue, Dimension::LngExpansion, Dimension::Money,
      Dimension::MoneyPerLength,  Dimension::Duration};
  const double values[] = {0.0,
                           38.0,
                           -5.0,
                           0.1 + 0.2,
                           1.0 / 3.0,
                           37.96,
                           1e300,
                           -1e300,
                           1e-300,
                           5e-324,
                           1e-6,
                           123456789.123456789,
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::min()};
  for (const Commodity c : {Commodity::Gas, Commodity::Oil}) {
    for (const Dimension d : dims) {
      for (const double v : values) {
        const std::string text = format_quantity(v, d, c);
        INFO(text);
        const ParsedQuantity q = parse_quantity(text, d, c, default_props(c));
        REQUIRE(q.ok());
        CHECK(q.value == v);
      }
    }
  }
}

TEST_CASE("calendar: Gregorian days in months and years", "[units]") {
  CHECK(days_in_year(2023) == 365);
  CHECK(days_in_year(2024) == 366);  // divisible by 4
  CHECK(days_in_year(1900) == 365);  // by 100 but not 400
  CHECK(days_in_year(2000) == 366);  // by 400
  CHECK(days_in_year(2100) == 365);

  CHECK(days_in_month(2023, 1) == 31);
  CHECK(days_in_month(2023, 2) == 28);
  CHECK(days_in_month(2024, 2) == 29);
  CHECK(days_in_month(1900, 2) == 28);
  CHECK(days_in_month(2000, 2) == 29);
  CHECK(days_in_month(2023, 4) == 30);
  CHECK(days_in_month(2023, 6) == 30);
  CHECK(days_in_month(2023, 9) == 30);
  CHECK(days_in_month(2023, 11) == 30);
  CHECK(days_in_month(2023, 12) == 31);

  for (const int year : {1900, 2000, 2023, 2024, 2100}) {
    int total = 0;
    for (int m = 1; m <= 12; ++m) total += days_in_month(year, m);
    CHECK(total == days_in_year(year));
  }
  CHECK_THROWS_AS(days_in_month(2024, 0), std::invalid_argument);
  CHECK_THROWS_AS(days_in_month(2024, 13), std::invalid_argument);
}

TEST_CASE("output units: parse_output_unit accepts volumes, their /y forms and daily rates",
          "[units]") {
  OutputUnits u;
  CHECK(!parse_output_unit("oil=kb/d", u));
  CHECK(!parse_output_unit("gas=TWh/y", u));
  CHECK(u.oil == "kb/d");
  CHECK(u.gas == "TWh");  // a row holds its period's volume, as bcm does by default
  CHECK(!parse_output_unit("oil=Mt/y", u));
  CHECK(u.oil == "Mt");
  CHECK(accepted_output_units(Commodity::Gas) == "bcm, mcm, Bcf, TWh, GWh, mcm/d, Bcf/d, GWh/d");
  CHECK(accepted_output_units(Commodity::Oil) == "Mt, kt, Mb, kb, kt/d, kb/d, Mb/d");

  // Exact messages; `u` is left as it was.
  auto error = [&](const std::string& spec) {
    const OutputUnits before = u;
    const std::optional<QuantityError> e = parse_output_unit(spec, u);
    CHECK(u.gas == before.gas);
    CHECK(u.oil == before.oil);
    return e ? e->message + "; " + e->hint : std::string("accepted");
  };
  CHECK(error("kb/d") ==
        "'kb/d' names no commodity; give COMMODITY=UNIT, e.g. 'oil=kb/d' or 'gas=mcm/d'");
  CHECK(error("crude=kb/d") ==
        "unknown commodity 'crude' in 'crude=kb/d'; expected gas or oil; give COMMODITY=UNIT, "
        "e.g. 'oil=kb/d' or 'gas=mcm/d'");
  CHECK(error("oil=kbd") ==
        "unknown oil output unit 'kbd'; did you mean 'kb'? accepted units: Mt, kt, Mb, kb, "
        "kt/d, kb/d, Mb/d");
  CHECK(error("gas=kb/d") ==
        "unknown gas output unit 'kb/d'; accepted units: bcm, mcm, Bcf, TWh, GWh, mcm/d, Bcf/d, "
        "GWh/d");
  CHECK(error("gas=Mt") ==  // not in tonnes of LNG: a pipeline gas table
        "unknown gas output unit 'Mt'; accepted units: bcm, mcm, Bcf, TWh, GWh, mcm/d, Bcf/d, "
        "GWh/d");
}

TEST_CASE("output units: VolumeScale by hand", "[units]") {
  const CommodityProps oil_p = default_props(Commodity::Oil);
  OutputUnits u;
  REQUIRE(!parse_output_unit("oil=kb/d", u));
  const VolumeScale kbd = output_scale(u, Commodity::Oil, oil_p);
  CHECK(kbd.unit == "kb/d");
  CHECK(kbd.per_day);
  // 600 kb/d read as input (365 days) and written back on a year row is 600 again.
  CHECK_THAT(kbd.value(oil("600 kb/d", Dimension::FlowRate), 2024, 0), WithinRel(600.0, kRel));
  // A month row: 1 Mt in the 29 days of February 2024 is 1e9 / 850 / 0.158987294928 / 29 / 1000
  // = 255.164737 kb/d.
  CHECK_THAT(kbd.value(1.0, 2024, 2), WithinRel(255.1647371, 1e-9));
  const VolumeScale mb = output_stock_scale(u, Commodity::Oil, oil_p);
  CHECK(mb.unit == "kb");
  CHECK_FALSE(mb.per_day);
  // Default: the reporting unit, factor 1.
  const VolumeScale bcm =
      output_scale(OutputUnits{}, Commodity::Gas, default_props(Commodity::Gas));
  CHECK(bcm.unit == "bcm");
  CHECK(bcm.value(12.5, 2030, 3) == 12.5);
  // usd_per_bbl: 70 USD/bbl read in and written back.
  CHECK_THAT(usd_per_bbl(oil_p, oil("70 USD/bbl", Dimension::UnitCost)), WithinRel(70.0, kRel));
}
