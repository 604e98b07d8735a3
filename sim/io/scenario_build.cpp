// RawNode tree -> Scenario: the schema. Every key, type and unit is checked here, and every
// problem is collected before the caller decides to fail.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <set>
#include <unordered_map>

#include "corridor/csv.h"
#include "corridor/param_path.h"
#include "corridor/text.h"
#include "raw_tree.h"

namespace corridor {
namespace {

const std::vector<std::string> kTopKeys = {
    "name",         "description", "extends",     "horizon",   "resolution", "commodities",
    "nodes",        "pipelines",   "routes",      "contracts", "projects",   "remove",
    "alternatives", "economics",   "uncertainty", "events",    "areas"};
const std::vector<std::string> kUncertaintyKeys = {"draws", "seed", "sample", "outages"};
const std::vector<std::string> kSampleKeys = {
    "id",      "path",       "mode",   "per",       "ar1",      "group",     "truncate",
    "uniform", "triangular", "normal", "lognormal", "discrete", "bernoulli", "note"};
const std::vector<std::string> kOutageKeys = {"id", "target", "rate", "duration", "derate", "note"};
const std::vector<std::string> kDistributions = {"uniform",   "triangular", "normal",
                                                 "lognormal", "discrete",   "bernoulli"};
const std::vector<std::string> kHorizonKeys = {"start", "end"};
const std::vector<std::string> kEconomicsKeys = {"discount_rate", "lifetime", "fx"};
const std::vector<std::string> kGasKeys = {"heating_value",
                                           "lng_expansion",
                                           "molar_mass",
                                           "relative_density",
                                           "pseudo_critical_pressure",
                                           "pseudo_critical_temperature",
                                           "temperature",
                                           "normal_density",
                                           "isentropic_exponent",
                                           "co2_fraction",
                                           "n2_fraction"};
const std::vector<std::string> kOilKeys = {"heating_value", "density", "temperature", "viscosity"};
const std::vector<std::string> kNodeKeys = {
    "id",           "kind",         "commodity",   "country",       "note",     "capacity",
    "cost",         "demand",       "priority",    "profile",       "height",   "pressure",
    "min_pressure", "max_pressure", "peak_demand", "peak_capacity", "send_out", "working_volume",
    "injection",    "withdrawal",   "initial",     "end",           "online",   "retire",
    "ramp_up",      "source",       "spot",        "max_throughput"};
const std::vector<std::string> kPipelineKeys = {"id",
                                                "from",
                                                "to",
                                                "commodity",
                                                "bidirectional",
                                                "capacity",
                                                "availability",
                                                "ramp_up",
                                                "online",
                                                "retire",
                                                "length",
                                                "diameter",
                                                "max_pressure",
                                                "tariff",
                                                "transit_country",
                                                "transit_fee",
                                                "capex",
                                                "opex",
                                                "lifetime",
                                                "discount_rate",
                                                "capex_start",
                                                "peak_capacity",
                                                "note",
                                                "wall_thickness",
                                                "roughness",
                                                "stations",
                                                "type",
                                                "open",
                                                "outlet_pressure",
                                                "ratio",
                                                "drag_factor",
                                                "max_power",
                                                "max_ratio",
                                                "efficiency",
                                                "drive_efficiency",
                                                "fuel_share",
                                                "min_inlet_pressure",
                                                "max_outlet_pressure"};
const std::vector<std::string> kPipelineTypes = {"pipe",     "short_pipe", "valve",
                                                 "resistor", "compressor", "regulator"};
/// `stations:` as a map (uniform) and as the items of a list.
const std::vector<std::string> kUniformStationKeys = {
    "count",      "spacing",          "max_power",  "max_ratio", "max_head",
    "efficiency", "drive_efficiency", "fuel_share", "note"};
const std::vector<std::string> kStationKeys = {
    "at",         "name", "max_power", "max_ratio", "max_head", "efficiency", "drive_efficiency",
    "fuel_share", "note"};
const std::vector<std::string> kEventKeys = {"id",     "target",   "from", "to",
                                             "derate", "capacity", "note"};
const std::vector<std::string> kAreaKeys = {"id", "nodes", "note"};
const std::vector<std::string> kRouteKeys = {"id",   "pipelines", "meter",         "capex",
                                             "opex", "lifetime",  "discount_rate", "capex_start",
                                             "note"};
const std::vector<std::string> kContractKeys = {
    "id",    "seller",      "buyers", "acq", "min_take", "max_take", "rule",
    "price", "take_or_pay", "start",  "end", "profile",  "note"};
const std::vector<std::string> kProjectKeys = {"id",     "pipelines", "supplies",      "routes",
                                               "online", "retire",    "ramp_up",       "capex",
                                               "opex",   "lifetime",  "discount_rate", "note"};
const std::vector<std::string> kTrancheKeys = {"amount", "date"};
const std::vector<std::string> kSellerKeys = {"supply", "route"};

/// The range a quantity must lie in. Checked here, where the value's own location is known;
/// validate() repeats the checks for scenarios built in code.
/// Rate: [0, 1), for discount rates (100 % and above discount everything after year one away).
enum class Bound { Any, NonNegative, Positive, Fraction, Rate };

/// Digits only, no sign, no spaces: years, months and year keys.
std::optional<long long> digits(std::string_view s) {
  long long v = 0;
  const char* end = s.data() + s.size();
  const auto [p, ec] = std::from_chars(s.data(), end, v);
  if (s.empty() || s[0] == '-' || ec != std::errc() || p != end) return std::nullopt;
  return v;
}

/// A number for a message: at most three decimals, without trailing zeros ("34", "27.2").
std::string short_number(double v) {
  std::string s = format_fixed(v, 3);
  while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) s.pop_back();
  return s;
}

struct Builder {
  std::vector<Diagnostic>& diags;
  /// Ids of the nodes that give `commodity:` (a pipeline without one takes its from node's).
  std::set<std::string> said_commodity = {};

  void error(const SourceLocation& where, std::string message, std::string hint = {}) {
    diags.push_back({Severity::Error, where, std::move(message), std::move(hint)});
  }

  /// Flags keys not in `allowed`; `what` names the map in the message.
  void check_keys(const RawNode& map, const std::vector<std::string>& allowed,
                  const std::string& what) {
    for (const RawNode::Entry& e : map.map) {
      if (std::find(allowed.begin(), allowed.end(), e.key) == allowed.end()) {
        error(e.key_where, "unknown key '" + e.key + "' in " + what, did_you_mean(e.key, allowed));
      }
    }
  }

  /// Reads `commodity:` of the node or pipeline `what` into `c`, if given; `c` keeps its
  /// default otherwise, and on an error.
  void commodity(const RawNode& n, const std::string& what, Commodity& c) {
    const RawNode* v = n.find("commodity");
    if (!v || !expect_scalar(*v, "commodity of " + what)) return;
    if (auto parsed = parse_commodity(v->scalar)) {
      c = *parsed;
    } else {
      error(v->where, "unknown commodity '" + v->scalar + "' of " + what,
            did_you_mean(v->scalar, {"gas", "oil"}));
    }
  }

  /// Warns when the node or pipeline `what`, whose commodity nobody gave (so it is gas), writes
  /// one of `keys` as a flow rate in a mass unit: gas reads Mt/y as LNG, and crude written so
  /// runs as gas (issue 9). One warning per entity, at the first such value; `gas` converts it.
  void warn_mass_unit(const RawNode& n, const std::string& what,
                      std::initializer_list<const char*> keys, const CommodityProps& gas) {
    for (const char* key : keys) {
      const RawNode* v = n.find(key);
      if (!v) continue;
      std::vector<const RawNode*> values;
      if (v->is_scalar()) values.push_back(v);
      for (const RawNode::Entry& e : v->map) {
        if (e.key != "interpolation" && e.value.is_scalar()) values.push_back(&e.value);
      }
      for (const RawNode* x : values) {
        const ParsedQuantity q =
            parse_quantity(x->scalar, Dimension::FlowRate, Commodity::Gas, gas);
        if (!q.ok() || !q.by_mass) continue;
        diags.push_back({Severity::Warning, x->where,
                         what + " has no commodity, so its " + key + " '" + x->scalar +
                             "' is read as LNG: " + short_number(q.value) + " bcm/y of gas",
                         "add commodity: oil if it is crude, or commodity: gas to keep LNG"});
        return;
      }
    }
  }

  bool expect_scalar(const RawNode& n, const std::string& what) {
    if (n.is_scalar()) return true;
    if (n.kind == RawNode::Kind::Null) {
      error(n.where, what + " is empty", "give a value, or leave the key out");
    } else {
      error(n.where, what + " must be a single value, not a " + (n.is_map() ? "map" : "list"));
    }
    return false;
  }

  std::optional<std::string> text(const RawNode& map, std::string_view key,
                                  const std::string& what) {
    const RawNode* n = map.find(key);
    if (!n || !expect_scalar(*n, "'" + std::string(key) + "' of " + what)) return std::nullopt;
    return n->scalar;
  }

  std::optional<long long> integer(const RawNode& n, const std::string& what) {
    if (!expect_scalar(n, what)) return std::nullopt;
    long long v = 0;
    const char* end = n.scalar.data() + n.scalar.size();
    auto [p, ec] = std::from_chars(n.scalar.data(), end, v);
    if (ec != std::errc() || p != end) {
      error(n.where, what + " must be a whole number, got '" + n.scalar + "'");
      return std::nullopt;
    }
    return v;
  }

  bool plausible_year(long long y, const SourceLocation& where, const std::string& what) {
    if (y >= kEarliestYear && y <= kLatestYear) return true;
    error(where, what + " " + std::to_string(y) + " is not a plausible year", kPlausibleYearsHint);
    return false;
  }

  std::optional<int> year(const RawNode& n, const std::string& what) {
    auto v = integer(n, what);
    if (!v || !plausible_year(*v, n.where, what)) return std::nullopt;
    return static_cast<int>(*v);
  }

  /// A year (2031) or a year and month ("2031-07").
  std::optional<YearMonth> year_month(const RawNode& n, const std::string& what) {
    if (!expect_scalar(n, what)) return std::nullopt;
    const std::string& s = n.scalar;
    const auto dash = s.find('-');
    const auto y = digits(std::string_view(s).substr(0, dash));
    const auto m = dash == std::string::npos ? std::optional<long long>(0)
                                             : digits(std::string_view(s).substr(dash + 1));
    if (!y || !m) {
      error(n.where, what + " must be a year or a year and month, got '" + s + "'",
            "write 2031, or \"2031-07\" for July 2031");
      return std::nullopt;
    }
    if (!plausible_year(*y, n.where, what)) return std::nullopt;
    if (dash != std::string::npos && (*m < 1 || *m > 12)) {
      error(n.where, what + " has month " + std::to_string(*m) + " in '" + s + "'",
            "months run from 01 to 12, as in \"2031-07\"");
      return std::nullopt;
    }
    return YearMonth{static_cast<int>(*y), static_cast<int>(*m)};
  }

  /// A year (2031), a month ("2031-03") or a day ("2031-01-15"), for event dates.
  std::optional<Date> date(const RawNode& n, const std::string& what) {
    if (!expect_scalar(n, what)) return std::nullopt;
    const std::string& s = n.scalar;
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
      const std::size_t dash = s.find('-', start);
      parts.push_back(std::string_view(s).substr(start, dash - start));
      if (dash == std::string::npos) break;
      start = dash + 1;
    }
    std::optional<long long> v[3];
    bool ok = parts.size() <= 3;
    for (std::size_t k = 0; ok && k < parts.size(); ++k) {
      v[k] = digits(parts[k]);
      ok = v[k].has_value() && (k == 0 || parts[k].size() == 2);
    }
    if (!ok) {
      error(n.where, what + " must be a year, a month or a day, got '" + s + "'",
            "write 2031, \"2031-03\" or \"2031-01-15\"");
      return std::nullopt;
    }
    if (!plausible_year(*v[0], n.where, what)) return std::nullopt;
    Date d{static_cast<int>(*v[0]), 0, 0};
    if (parts.size() >= 2) {
      if (*v[1] < 1 || *v[1] > 12) {
        error(n.where, what + " has month " + std::to_string(*v[1]) + " in '" + s + "'",
              "months run from 01 to 12, as in \"2031-07\"");
        return std::nullopt;
      }
      d.month = static_cast<int>(*v[1]);
    }
    if (parts.size() == 3) {
      const int last = days_in_month(d.year, d.month);
      if (*v[2] < 1 || *v[2] > last) {
        error(n.where,
              what + " has day " + std::to_string(*v[2]) + " in '" + s + "', but " +
                  std::to_string(d.year) + "-" + std::string(parts[1]) + " has " +
                  std::to_string(last) + " days",
              "check the date");
        return std::nullopt;
      }
      d.day = static_cast<int>(*v[2]);
    }
    return d;
  }

  std::optional<bool> boolean(const RawNode& n, const std::string& what) {
    if (!expect_scalar(n, what)) return std::nullopt;
    if (n.scalar == "true") return true;
    if (n.scalar == "false") return false;
    error(n.where, what + " must be true or false, got '" + n.scalar + "'", "write true or false");
    return std::nullopt;
  }

  /// A quantity with its unit, converted to the canonical unit, within `bound`.
  std::optional<double> quantity(const RawNode& n, Dimension d, Commodity c,
                                 const CommodityProps& p, const std::string& what,
                                 Bound bound = Bound::Any, const std::string& bound_hint = {}) {
    if (!expect_scalar(n, what)) return std::nullopt;
    ParsedQuantity q = parse_quantity(n.scalar, d, c, p);
    if (!q.ok()) {
      error(n.where, what + ": " + q.error->message, q.error->hint);
      return std::nullopt;
    }
    return in_range(q.value, n, d, c, what, bound, bound_hint, true);
  }

  /// `v`, read from `n`, within `bound` and (with `magnitude`) magnitude_limit(d).
  std::optional<double> in_range(double v, const RawNode& n, Dimension d, Commodity c,
                                 const std::string& what, Bound bound,
                                 const std::string& bound_hint, bool magnitude) {
    const std::string got = ", got '" + n.scalar + "'";
    switch (bound) {
      case Bound::Any:
        break;
      case Bound::NonNegative:
        if (v < 0.0) {
          error(n.where, what + " must not be negative" + got,
                bound_hint.empty() ? "use 0 for none" : bound_hint);
          return std::nullopt;
        }
        break;
      case Bound::Positive:
        if (!(v > 0.0)) {
          error(n.where, what + " must be positive" + got, bound_hint);
          return std::nullopt;
        }
        break;
      case Bound::Fraction:
        if (v < 0.0 || v > 1.0) {
          error(n.where, what + " must lie in [0, 1]" + got,
                bound_hint.empty() ? "write a fraction such as 0.95 or 95 %" : bound_hint);
          return std::nullopt;
        }
        break;
      case Bound::Rate:
        if (v < 0.0 || v >= 1.0) {
          error(n.where, what + " must lie in [0, 1)" + got, bound_hint);
          return std::nullopt;
        }
        break;
    }
    if (const double limit = magnitude_limit(d); magnitude && std::abs(v) > limit) {
      error(n.where, what + " is too large to be real" + got,
            "the limit is " + format_quantity(limit, d, c) + "; check the unit and the exponent");
      return std::nullopt;
    }
    return v;
  }

  /// An amount of money or a unit cost in any currency (units.h): its value in that currency
  /// (not yet converted, so not yet checked against the magnitude limit) and the currency.
  struct Money {
    double value = 0.0;
    std::string currency;
  };
  std::optional<Money> money(const RawNode& n, Dimension d, Commodity c, const CommodityProps& p,
                             const std::string& what, Bound bound = Bound::NonNegative,
                             const std::string& hint_override = {}) {
    if (!expect_scalar(n, what)) return std::nullopt;
    const ParsedMoney m = parse_money(n.scalar, d, c, p);
    if (!m.quantity.ok()) {
      error(n.where, what + ": " + m.quantity.error->message,
            hint_override.empty() || !m.quantity.error->lists_units ? m.quantity.error->hint
                                                                    : hint_override);
      return std::nullopt;
    }
    const auto v = in_range(m.quantity.value, n, d, c, what, bound, {}, m.currency == "USD");
    if (!v) return std::nullopt;
    return Money{*v, m.currency};
  }

  /// The rate of `currency` per USD in `year` from the scenario's economics.fx, or an error
  /// at `where` (naming `what`) when there is none for that year: no series for the currency,
  /// or a year before its first point. After its last point the last rate holds (or grows).
  std::optional<double> fx_rate(const Scenario& s, const std::string& currency, int year,
                                const SourceLocation& where, const std::string& what) {
    if (currency == "USD") return 1.0;
    const auto it = s.fx.find(currency);
    if (it == s.fx.end() || it->second.points.empty()) {
      error(where, what + " is in " + currency + " but economics.fx has no " + currency + " rate",
            "add 'economics: {fx: {" + currency + ": {" + std::to_string(year) + ": ... " +
                currency + "/USD}}}'");
      return std::nullopt;
    }
    const Series& rates = it->second;
    const int first = rates.points.begin()->first;
    if (first != 0 && year < first) {
      error(where,
            what + " needs the " + currency + " rate of " + std::to_string(year) +
                ", but economics.fx." + currency + " starts in " + std::to_string(first),
            "add a " + std::to_string(year) + " rate to economics.fx." + currency);
      return std::nullopt;
    }
    return value_at(rates, year);
  }

  /// A scalar, or {year: value, ..., interpolation: step|linear, growth: rate}, each value
  /// read by `value_of(node, what)`.
  template <typename ValueOf>
  Series series_of(const RawNode& n, const std::string& what, ValueOf value_of,
                   const char* example = "{2030: 10 bcm/y}") {
    Series s;
    s.where = n.where;
    if (!n.is_map()) {
      if (auto v = value_of(n, what)) s.points[0] = *v;
      return s;
    }
    bool any_year = false;
    for (const RawNode::Entry& e : n.map) {
      if (e.key == "interpolation") {
        if (e.value.is_scalar() && e.value.scalar == "linear") {
          s.interpolation = Interpolation::Linear;
        } else if (!(e.value.is_scalar() && e.value.scalar == "step")) {
          error(e.value.where,
                "interpolation of " + what + " must be 'step' or 'linear'" +
                    (e.value.is_scalar() ? ", got '" + e.value.scalar + "'" : ""),
                did_you_mean(e.value.scalar, {"step", "linear"}));
        }
        continue;
      }
      if (e.key == "growth") {
        const CommodityProps p = default_props(Commodity::Gas);
        if (auto g =
                quantity(e.value, Dimension::GrowthRate, Commodity::Gas, p, "growth of " + what)) {
          if (*g <= -1.0) {
            error(e.value.where,
                  "growth of " + what + " must lie above -100 %/y, got '" + e.value.scalar + "'",
                  "write a yearly rate such as 3 %/y or -2 %/y");
          } else {
            s.growth = *g;
          }
        }
        continue;
      }
      any_year = true;
      const auto y = digits(e.key);
      if (!y) {
        const std::string typo = closest_match(e.key, {"interpolation", "growth"});
        error(e.key_where, "key '" + e.key + "' of " + what + " is not a year",
              !typo.empty() ? "did you mean '" + typo + "'?"
                            : "write {2030: 10 bcm/y, 2035: 20 bcm/y, interpolation: linear}");
        continue;
      }
      if (*y < kEarliestYear || *y > kLatestYear) {
        error(e.key_where, "year " + e.key + " of " + what + " is not a plausible year",
              kPlausibleYearsHint);
        continue;
      }
      if (auto v = value_of(e.value, what + " in " + e.key)) s.points[static_cast<int>(*y)] = *v;
    }
    if (!any_year) {
      error(n.where, what + " has no values",
            s.growth ? "growth carries the last value on: give at least one, e.g. {2023: 394.5 "
                       "bcm/y, growth: 4 %/y}"
                     : std::string("write ") + example);
    }
    return s;
  }

  /// A scalar, or {year: value, ..., interpolation: step|linear, growth: rate}.
  Series series(const RawNode& n, Dimension d, Commodity c, const CommodityProps& p,
                const std::string& what, Bound bound) {
    return series_of(n, what, [&](const RawNode& v, const std::string& w) {
      return quantity(v, d, c, p, w, bound);
    });
  }

  /// A series of money (unit costs, tariffs, fees, prices) in any one currency, converted to
  /// USD: a USD series as written; another currency's value in force in each horizon year at
  /// that year's rate (economics.fx), as one point per year. Empty on an error.
  Series money_series(const RawNode& n, Dimension d, Commodity c, const CommodityProps& p,
                      const std::string& what, const Scenario& s) {
    std::string currency;
    bool mixed = false;
    Series native = series_of(
        n, what,
        [&](const RawNode& v, const std::string& w) -> std::optional<double> {
          const auto m = money(v, d, c, p, w);
          if (!m) return std::nullopt;
          if (currency.empty()) currency = m->currency;
          if (m->currency != currency && !mixed) {
            mixed = true;
            error(v.where, w + " is in " + m->currency + " but an earlier value is in " + currency,
                  "write a series in one currency");
          }
          return m->value;
        },
        "{2030: 250 USD/kcm}");
    if (mixed || native.points.empty()) return {};
    if (currency == "USD" || currency.empty()) {
      for (const auto& [year, v] : native.points) {
        if (std::abs(v) > magnitude_limit(d)) {
          error(n.where, what + " is too large to be real",
                "the limit is " + format_quantity(magnitude_limit(d), d, c) +
                    "; check the unit and the exponent");
          return {};
        }
      }
      return native;
    }
    Series usd;
    usd.where = n.where;
    const Horizon& h = s.horizon;
    if (h.start_year == 0 || h.end_year < h.start_year) return usd;  // reported elsewhere
    for (int year = h.start_year; year <= h.end_year; ++year) {
      const auto rate = fx_rate(s, currency, year, n.where, what);
      if (!rate) return {};
      const double v = value_at(native, year) / *rate;
      if (!(std::abs(v) <= magnitude_limit(d))) {
        error(n.where,
              what + " is too large to be real in " + std::to_string(year) + " (" +
                  format_quantity(v, d, c) + " at " +
                  format_quantity(*rate, Dimension::Fraction, c) + " " + currency + " per USD)",
              "the limit is " + format_quantity(magnitude_limit(d), d, c) +
                  "; check the unit, the exponent and the exchange rate");
        return {};
      }
      usd.points[year] = v;
    }
    return usd;
  }

  /// A list of quantities; empty if any entry is bad (reported), so validation sees no half list.
  std::vector<double> list_of(const RawNode& n, Dimension d, Commodity c, const CommodityProps& p,
                              const std::string& what, Bound bound, const std::string& hint) {
    std::vector<double> out;
    if (!n.is_seq()) {
      error(n.where, what + " must be a list", hint);
      return out;
    }
    bool ok = true;
    for (const RawNode& x : n.seq) {
      if (auto v = quantity(x, d, c, p, what, bound)) {
        out.push_back(*v);
      } else {
        ok = false;
      }
    }
    if (!ok) out.clear();
    return out;
  }

  /// A capex written in another currency than USD, converted once the year it is charged
  /// from is known (after projects have given their dates): see convert_capex.
  struct PendingCapex {
    bool route = false;  ///< else a pipeline
    int index = 0;       ///< into Scenario::pipelines or ::routes
    bool per_km = false;
    double value = 0.0;  ///< in `currency`
    std::string currency, what;
    SourceLocation where;
  };
  std::vector<PendingCapex> pending = {};

  /// The hint of a capex that is neither money nor money per km: both groups of units.
  static std::string capex_hint(const QuantityError& e) {
    return units_hint(e.suggestion, accepted_units(Dimension::Money, Commodity::Gas) +
                                        " (in total), or " +
                                        accepted_units(Dimension::MoneyPerLength, Commodity::Gas) +
                                        " (per km of length)");
  }

  /// `capex`: an amount of money (the total), or money per length when the unit ends in
  /// "/km", in USD or (converted later, `pending`) another currency. A value that parses as
  /// neither is reported with both groups of units.
  void capex(const RawNode& n, const std::string& what, Economics& e, bool route, int index) {
    e.capex_where = n.where;
    if (!expect_scalar(n, what)) return;
    const bool per_km = trim(n.scalar).ends_with("/km");
    const Dimension d = per_km ? Dimension::MoneyPerLength : Dimension::Money;
    const CommodityProps p = default_props(Commodity::Gas);  // money needs no properties
    if (const ParsedMoney m = parse_money(n.scalar, d, Commodity::Gas, p); !m.quantity.ok()) {
      const QuantityError& q = *m.quantity.error;
      error(n.where, what + ": " + q.message, !q.lists_units ? q.hint : capex_hint(q));
      return;
    }
    const auto v = money(n, d, Commodity::Gas, p, what, Bound::NonNegative);
    if (!v) return;
    if (v->currency != "USD") {
      pending.push_back({route, index, per_km, v->value, v->currency, what, n.where});
    }
    (per_km ? e.capex_musd_per_km : e.capex_musd) = v->value;
  }

  /// The economics keys of a pipeline or a route: capex, opex, lifetime, discount_rate,
  /// capex_start. `index` is the asset's index in its list, for a capex in another currency.
  Economics economics(const RawNode& n, const std::string& of_what, bool route, int index) {
    Economics e;
    const CommodityProps p = default_props(Commodity::Gas);  // none of them needs properties
    if (const RawNode* c = n.find("capex")) capex(*c, "capex of " + of_what, e, route, index);
    if (const RawNode* o = n.find("opex")) {
      e.opex_where = o->where;
      if (auto v = quantity(*o, Dimension::Fraction, Commodity::Gas, p, "opex of " + of_what,
                            Bound::Fraction,
                            "give the yearly operating cost as a share of capex, e.g. 1.5 %")) {
        e.opex_fraction = *v;
      }
    }
    if (const RawNode* l = n.find("lifetime")) {
      e.lifetime_where = l->where;
      e.lifetime_years =
          quantity(*l, Dimension::Duration, Commodity::Gas, p, "lifetime of " + of_what,
                   Bound::Positive, "give the years over which capex is recovered, e.g. 30 y");
    }
    if (const RawNode* r = n.find("discount_rate")) {
      e.discount_rate_where = r->where;
      e.discount_rate =
          quantity(*r, Dimension::Fraction, Commodity::Gas, p, "discount_rate of " + of_what,
                   Bound::Rate, "write a rate such as 8 % or 0.08");
    }
    if (const RawNode* c = n.find("capex_start")) {
      e.capex_start_where = c->where;
      e.capex_start = year_month(*c, "capex_start of " + of_what);
    }
    return e;
  }

  /// Converts the capex written in other currencies, at the rate of the year it is charged
  /// from: `capex_start`, else the asset's `online` (a route's: the latest of its pipelines'),
  /// else the horizon start.
  void convert_capex(Scenario& s) {
    for (const PendingCapex& c : pending) {
      Economics& e = c.route ? s.routes[c.index].economics : s.pipelines[c.index].economics;
      std::optional<YearMonth> online;
      if (c.route) {
        for (const std::string& id : s.routes[c.index].pipelines) {
          for (const Pipeline& pl : s.pipelines) {
            if (pl.id == id && pl.online && (!online || online->year < pl.online->year)) {
              online = pl.online;
            }
          }
        }
      } else {
        online = s.pipelines[c.index].online;
      }
      const int year = e.capex_start ? e.capex_start->year
                       : online      ? online->year
                                     : s.horizon.start_year;
      if (year == 0) continue;  // no horizon: reported elsewhere
      const auto rate = fx_rate(s, c.currency, year, c.where, c.what);
      std::optional<double>& target = c.per_km ? e.capex_musd_per_km : e.capex_musd;
      if (!rate) {
        target.reset();
        continue;
      }
      const double usd = c.value / *rate;
      const Dimension d = c.per_km ? Dimension::MoneyPerLength : Dimension::Money;
      if (!(usd <= magnitude_limit(d))) {
        error(c.where, c.what + " is too large to be real",
              "the limit is " + format_quantity(magnitude_limit(d), d, Commodity::Gas) +
                  "; check the unit, the exponent and the exchange rate");
        target.reset();
        continue;
      }
      target = usd;
    }
  }

  /// Top-level `economics: {discount_rate, lifetime}`: the defaults of every asset.
  void scenario_economics(const RawNode& n, Scenario& s) {
    s.economics_where = n.where;
    if (!n.is_map()) {
      error(n.where, "'economics' must be a map",
            "write 'economics: {discount_rate: 8 %, lifetime: 30 y}'");
      return;
    }
    check_keys(n, kEconomicsKeys, "economics");
    if (const RawNode* r = n.find("discount_rate")) {
      if (auto v =
              quantity(*r, Dimension::Fraction, Commodity::Gas, s.gas, "economics.discount_rate",
                       Bound::Rate, "write a rate such as 8 % or 0.08")) {
        s.discount_rate = *v;
      }
    }
    if (const RawNode* l = n.find("lifetime")) {
      if (auto v = quantity(*l, Dimension::Duration, Commodity::Gas, s.gas, "economics.lifetime",
                            Bound::Positive,
                            "give the years over which capex is recovered, e.g. 30 y")) {
        s.lifetime_years = *v;
      }
    }
    if (const RawNode* fx = n.find("fx")) exchange_rates(*fx, s);
  }

  /// `economics.fx: {RUB: {2024: 92.5 RUB/USD, ...}, CNY: 7.1 CNY/USD}`: units of each
  /// currency per USD, by year.
  void exchange_rates(const RawNode& n, Scenario& s) {
    if (!n.is_map()) {
      error(n.where, "'economics.fx' must map currencies to exchange rates",
            "write 'fx: {RUB: {2024: 92.5 RUB/USD}, CNY: 7.1 CNY/USD}'");
      return;
    }
    const std::vector<std::string> others(std::begin(kCurrencies) + 1, std::end(kCurrencies));
    for (const RawNode::Entry& e : n.map) {
      if (e.key == "USD") {
        error(e.key_where, "economics.fx.USD: USD is the currency corridor converts to",
              "give the rates of the other currencies per USD");
        continue;
      }
      if (std::find(others.begin(), others.end(), e.key) == others.end()) {
        error(e.key_where, "unknown currency '" + e.key + "' in economics.fx",
              did_you_mean(e.key, others));
        continue;
      }
      const std::string what = "economics.fx." + e.key;
      Series rates = series_of(
          e.value, what,
          [&](const RawNode& v, const std::string& w) -> std::optional<double> {
            if (!expect_scalar(v, w)) return std::nullopt;
            const ParsedQuantity q = parse_exchange_rate(v.scalar, e.key);
            if (!q.ok()) {
              error(v.where, w + ": " + q.error->message, q.error->hint);
              return std::nullopt;
            }
            if (!(q.value > 0.0) || !std::isfinite(q.value) || q.value > 1e9) {
              error(v.where, w + " must be a positive rate, got '" + v.scalar + "'",
                    "write units of " + e.key + " per USD, e.g. '92.5 " + e.key + "/USD'");
              return std::nullopt;
            }
            return q.value;
          },
          ("{2024: 92.5 " + e.key + "/USD}").c_str());
      if (!rates.points.empty()) s.fx[e.key] = std::move(rates);
    }
  }

  void commodities(const RawNode& n, Scenario& s) {
    if (!n.is_map()) {
      error(n.where, "'commodities' must be a map",
            "write 'commodities: {gas: {heating_value: 38 MJ/m3}}'");
      return;
    }
    for (const RawNode::Entry& e : n.map) {
      const auto c = parse_commodity(e.key);
      if (!c) {
        error(e.key_where, "unknown key '" + e.key + "' in commodities",
              did_you_mean(e.key, {"gas", "oil"}));
        continue;
      }
      if (!e.value.is_map()) {
        error(e.value.where, "commodities." + e.key + " must be a map",
              *c == Commodity::Gas ? "write 'gas: {heating_value: 38 MJ/m3}'"
                                   : "write 'oil: {density: 850 kg/m3}'");
        continue;
      }
      const std::string where = "commodities." + e.key;
      CommodityProps& p = *c == Commodity::Gas ? s.gas : s.oil;
      (*c == Commodity::Gas ? s.gas_where : s.oil_where) = e.value.where;
      check_keys(e.value, *c == Commodity::Gas ? kGasKeys : kOilKeys, where);
      if (const RawNode* hv = e.value.find("heating_value")) {
        const Dimension d =
            *c == Commodity::Gas ? Dimension::GasHeatingValue : Dimension::OilHeatingValue;
        if (auto v =
                quantity(*hv, d, *c, p, where + ".heating_value", Bound::Positive,
                         *c == Commodity::Gas ? "for example 38 MJ/m3" : "for example 42 GJ/t")) {
          p.heating_value = *v;
        }
      }
      if (*c == Commodity::Gas) {
        gas_physics(e.value, where, s);
      } else {
        oil_physics(e.value, where, s);
      }
      const std::string second = *c == Commodity::Gas ? "lng_expansion" : "density";
      if (const RawNode* x = e.value.find(second)) {
        const Dimension d = *c == Commodity::Gas ? Dimension::LngExpansion : Dimension::Density;
        if (auto v = quantity(
                *x, d, *c, p, where + "." + second, Bound::Positive,
                *c == Commodity::Gas ? "for example 1.36 bcm/Mt" : "for example 850 kg/m3")) {
          p.density_or_lng = *v;
        }
      }
    }
  }

  /// `commodities.gas` keys for hydraulics (GasPhysics).
  void gas_physics(const RawNode& m, const std::string& where, Scenario& s) {
    GasPhysics& g = s.gas_physics;
    const CommodityProps& p = s.gas;
    const Commodity c = Commodity::Gas;
    if (const RawNode* x = m.find("molar_mass")) {
      if (auto v = quantity(*x, Dimension::MolarMass, c, p, where + ".molar_mass", Bound::Positive,
                            "for example 18.57 kg/kmol")) {
        g.molar_mass_kg_per_kmol = *v;
      }
    }
    // Relative density to dry air, the other way to give the molar mass (units.h).
    if (const RawNode::Entry* e = m.find_entry("relative_density")) {
      if (m.find("molar_mass")) {
        error(e->key_where, where + " gives both 'molar_mass' and 'relative_density'",
              "give one: the molar mass is the relative density x 28.9626 kg/kmol (dry air)");
      } else if (auto v = quantity(e->value, Dimension::Ratio, c, p, where + ".relative_density",
                                   Bound::Positive, "to dry air, for example 0.641")) {
        g.molar_mass_kg_per_kmol = relative_density_to_kg_per_kmol(*v);
      }
    }
    if (const RawNode* x = m.find("pseudo_critical_pressure")) {
      if (auto v = quantity(*x, Dimension::Pressure, c, p, where + ".pseudo_critical_pressure",
                            Bound::Positive, "for example 45.93 bar")) {
        g.pseudo_critical_pressure_mpa = *v;
      }
    }
    if (const RawNode* x = m.find("pseudo_critical_temperature")) {
      if (auto v =
              quantity(*x, Dimension::Temperature, c, p, where + ".pseudo_critical_temperature")) {
        if (*v <= -273.15) {
          error(x->where, where + ".pseudo_critical_temperature must be above absolute zero",
                "for example 188.55 K");
        } else {
          g.pseudo_critical_temperature_c = *v;
        }
      }
    }
    if (const RawNode* x = m.find("temperature")) {
      if (auto v = quantity(*x, Dimension::Temperature, c, p, where + ".temperature")) {
        if (*v <= -273.15) {
          error(x->where, where + ".temperature must be above absolute zero",
                "the gas temperature in the pipe, for example 10 °C");
        } else {
          g.temperature_c = *v;
        }
      }
    }
    if (const RawNode* x = m.find("normal_density")) {
      if (auto v = quantity(*x, Dimension::Density, c, p, where + ".normal_density",
                            Bound::Positive, "at 0 °C and 1.01325 bar, for example 0.785 kg/m3")) {
        g.normal_density_kg_per_m3 = *v;
      }
    }
    if (const RawNode* x = m.find("isentropic_exponent")) {
      if (auto v = quantity(*x, Dimension::Ratio, c, p, where + ".isentropic_exponent")) {
        if (!(*v > 1.0)) {
          error(x->where, where + ".isentropic_exponent must be above 1, got '" + x->scalar + "'",
                "c_p / c_v, for example 1.307");
        } else {
          g.isentropic_exponent = *v;
        }
      }
    }
    // Mole fractions for AGA-8 gross.
    g.where = m.where;
    auto mole_fraction = [&](const char* key, const char* example) -> std::optional<double> {
      const RawNode* x = m.find(key);
      if (!x) return std::nullopt;
      auto v = quantity(*x, Dimension::Fraction, c, p, where + "." + key);
      if (v && !(*v >= 0.0 && *v < 1.0)) {
        error(x->where, where + "." + key + " must lie in [0, 1), got '" + x->scalar + "'",
              std::string("a mole fraction, for example ") + example);
        return std::nullopt;
      }
      return v;
    };
    const std::optional<double> co2 = mole_fraction("co2_fraction", "0.005 or 0.5 %");
    const std::optional<double> n2 = mole_fraction("n2_fraction", "0.01 or 1 %");
    if (co2) g.co2_fraction = *co2;
    if (n2) g.n2_fraction = *n2;
    if (co2 && n2 && !(*co2 + *n2 < 1.0))
      error(m.find("n2_fraction")->where,
            where + ": n2_fraction and co2_fraction sum to 1 or more, leaving no hydrocarbon",
            "they are mole fractions of the gas, for example 0.01 and 0.005");
  }

  /// `commodities.oil` keys for hydraulics (OilPhysics).
  void oil_physics(const RawNode& m, const std::string& where, Scenario& s) {
    const CommodityProps& p = s.oil;
    const Commodity c = Commodity::Oil;
    if (const RawNode* x = m.find("temperature")) {
      if (auto v = quantity(*x, Dimension::Temperature, c, p, where + ".temperature")) {
        if (*v <= -273.15) {
          error(x->where, where + ".temperature must be above absolute zero",
                "the oil temperature in the pipe, for example 15 °C");
        } else {
          s.oil_physics.temperature_c = *v;
        }
      }
    }
    if (const RawNode* x = m.find("viscosity")) {
      if (auto v = quantity(*x, Dimension::Viscosity, c, p, where + ".viscosity", Bound::Positive,
                            "the kinematic viscosity at 'temperature', for example 10 cSt")) {
        s.oil_physics.viscosity_cst = *v;
      }
    }
  }

  /// `stations:` of a pipeline: {count, spacing, ...} or a list of {at, ...}.
  /// The limits of one station, read from the map `m` (a uniform `stations:` map, a list
  /// item, or a compressor element); `what` names the pipeline.
  void station_limits(const RawNode& m, const std::string& of, const std::string& what, Commodity c,
                      Station& st) {
    const CommodityProps p = default_props(c);  // none of these units needs properties
    const bool gas = c == Commodity::Gas;

    auto only = [&](const char* key, bool applies, const char* hint) {
      const RawNode::Entry* e = m.find_entry(key);
      if (e && !applies) {
        error(e->key_where,
              "'" + std::string(key) + "' does not apply to the stations of " +
                  std::string(gas ? "a gas " : "an oil ") + what,
              hint);
        return static_cast<const RawNode*>(nullptr);
      }
      return e ? &e->value : nullptr;
    };
    if (const RawNode* x = m.find("max_power")) {
      st.max_power_mw = quantity(*x, Dimension::Power, c, p, "max_power of " + of, Bound::Positive,
                                 "shaft power, for example 128 MW");
    }
    if (const RawNode* x = only("max_ratio", gas, "oil pump stations give 'max_head'")) {
      if (auto v = quantity(*x, Dimension::Ratio, c, p, "max_ratio of " + of)) {
        if (!(*v > 1.0)) {
          error(x->where, "max_ratio of " + of + " must be above 1, got '" + x->scalar + "'",
                "outlet over inlet pressure, for example 1.7");
        } else {
          st.max_ratio = *v;
        }
      }
    }
    if (const RawNode* x = only("max_head", !gas, "gas compressor stations give 'max_ratio'")) {
      if (auto v = quantity(*x, Dimension::Length, c, p, "max_head of " + of, Bound::Positive,
                            "the head a pump station adds, for example 600 m")) {
        st.max_head_m = *v * 1000.0;
      }
    }
    if (const RawNode* x = m.find("efficiency")) {
      if (auto v =
              quantity(*x, Dimension::Fraction, c, p, "efficiency of " + of, Bound::Fraction)) {
        if (*v <= 0.0) {
          error(x->where, "efficiency of " + of + " must be positive, got '" + x->scalar + "'",
                gas ? "isentropic, for example 0.85" : "pump and driver, for example 0.8");
        } else {
          st.efficiency = *v;
        }
      }
    }
    if (const RawNode* x = only("drive_efficiency", gas, "pump stations burn no gas")) {
      if (auto v = quantity(*x, Dimension::Fraction, c, p, "drive_efficiency of " + of,
                            Bound::Fraction)) {
        if (*v <= 0.0) {
          error(x->where,
                "drive_efficiency of " + of + " must be positive, got '" + x->scalar + "'",
                "shaft power over fuel energy, for example 0.35");
        } else {
          st.drive_efficiency = *v;
        }
      }
    }
    if (const RawNode* x = only("fuel_share", gas, "pump stations burn no gas")) {
      st.fuel_share =
          quantity(*x, Dimension::Fraction, c, p, "fuel_share of " + of, Bound::Fraction);
    }
  }

  static const SourceLocation& or_else(const SourceLocation& w, const SourceLocation& fallback) {
    return w.line > 0 ? w : fallback;
  }

  /// `type:` and the keys of elements other than pipes (compressor, valve, regulator, ...).
  void element(const RawNode& n, const std::string& what, Pipeline& out) {
    if (const RawNode* t = n.find("type")) {
      out.type_where = t->where;
      if (expect_scalar(*t, "type of " + what)) {
        const auto it = std::find(kPipelineTypes.begin(), kPipelineTypes.end(), t->scalar);
        if (it == kPipelineTypes.end()) {
          error(t->where, "unknown type '" + t->scalar + "' of " + what,
                did_you_mean(t->scalar, kPipelineTypes));
        } else {
          out.type = static_cast<PipelineType>(it - kPipelineTypes.begin());
        }
      }
      if (out.type != PipelineType::Pipe && out.commodity != Commodity::Gas) {
        error(t->where,
              "type '" + std::string(pipeline_type_name(out.type)) + "' of " + what +
                  " applies to gas only",
              "an oil pipeline is a pipe; give its pump stations in 'stations:'");
        out.type = PipelineType::Pipe;
      }
    }
    const PipelineType type = out.type;
    const std::string type_name(pipeline_type_name(type));
    using T = PipelineType;
    // A key that belongs to other types: where it is, what it is for.
    auto only = [&](const char* key, std::initializer_list<T> types) -> const RawNode* {
      const RawNode::Entry* e = n.find_entry(key);
      if (!e) return nullptr;
      if (std::find(types.begin(), types.end(), type) != types.end()) return &e->value;
      std::string which;  // "a", "a or b", "a, b or c"
      std::size_t i = 0;
      for (T x : types) {
        which += (i == 0                  ? ""
                  : i + 1 == types.size() ? " or "
                                          : ", ") +
                 std::string(pipeline_type_name(x));
        ++i;
      }
      error(e->key_where,
            "'" + std::string(key) + "' does not apply to " + what + " (type " + type_name + ")",
            "'" + std::string(key) + "' belongs to type " + which +
                (type == T::Pipe ? "; a pipe's compressor stations go in 'stations:'" : ""));
      return nullptr;
    };
    for (const char* key : {"stations", "wall_thickness", "roughness"}) only(key, {T::Pipe});
    if (const RawNode* o = only("open", {T::Valve, T::Compressor, T::Regulator})) {
      out.open_where = o->where;
      if (auto v = boolean(*o, "'open' of " + what)) out.open = *v;
    }
    const CommodityProps& p = default_props(out.commodity);
    if (const RawNode* x = only("outlet_pressure", {T::Compressor, T::Regulator})) {
      out.outlet_pressure_where = x->where;
      out.outlet_pressure_mpa =
          quantity(*x, Dimension::Pressure, out.commodity, p, "outlet_pressure of " + what,
                   Bound::Positive, "the pressure it holds at its outlet, e.g. 80 bar");
    }
    for (const char* key : {"min_inlet_pressure", "max_outlet_pressure"}) {
      if (const RawNode* x = only(key, {T::Compressor})) {
        (key[1] == 'i' ? out.min_inlet_pressure_mpa : out.max_outlet_pressure_mpa) =
            quantity(*x, Dimension::Pressure, out.commodity, p, std::string(key) + " of " + what,
                     Bound::Positive, "a station limit, e.g. 45 bar; it is flagged, not applied");
      }
    }
    if (const RawNode* x = only("ratio", {T::Compressor})) {
      out.ratio_where = x->where;
      out.set_ratio = quantity(*x, Dimension::Ratio, out.commodity, p, "ratio of " + what);
    }
    if (const RawNode* x = only("drag_factor", {T::Resistor})) {
      out.drag_where = x->where;
      out.drag_factor = quantity(*x, Dimension::Ratio, out.commodity, p, "drag_factor of " + what,
                                 Bound::Positive, "the drag factor zeta, e.g. 10");
    }
    bool limits = false;
    for (const char* key :
         {"max_power", "max_ratio", "efficiency", "drive_efficiency", "fuel_share"}) {
      limits = only(key, {T::Compressor}) != nullptr || limits;
    }
    if (limits) station_limits(n, what, what, out.commodity, out.compressor);
    out.compressor.where = n.where;
    out.compressor.name = out.id;
    // What each type needs (a compressor's setting, a regulator's set point, ...) is for
    // validate(), which sees the scenario whole.
  }

  void stations(const RawNode& n, const std::string& what, Pipeline& out) {
    out.stations_where = n.where;
    const Commodity c = out.commodity;
    const CommodityProps p = default_props(c);  // none of these units needs properties
    auto limits = [&](const RawNode& m, const std::string& of, Station& st) {
      station_limits(m, of, what, c, st);
    };
    if (!out.length_km) {
      error(n.where, "the stations of " + what + " need its 'length'",
            "add 'length: ... km' to the pipeline");
      Station ignored;
      if (n.is_map()) limits(n, "the stations of " + what, ignored);  // for their own errors
      return;
    }
    const double length = *out.length_km;
    if (n.is_map()) {
      check_keys(n, kUniformStationKeys, "stations of " + what);
      Station tmpl;
      tmpl.where = n.where;
      limits(n, "the stations of " + what, tmpl);
      int count = 0;
      if (const RawNode* k = n.find("count")) {
        if (auto v = integer(*k, "count of the stations of " + what)) {
          if (*v < 1 || *v > 1000) {
            error(k->where,
                  "count of the stations of " + what + " must be 1 to 1000, got " +
                      std::to_string(*v),
                  "the number of stations, the first at 0 km");
          } else {
            count = static_cast<int>(*v);
          }
        }
      } else {
        error(n.where, "the stations of " + what + " have no 'count'",
              "write 'stations: {count: 9, spacing: 250 km, max_power: 100 MW}', or a list of "
              "{at: ... km}");
      }
      if (count == 0) return;
      out.station_count = count;
      double spacing = length / count;
      if (const RawNode* sp = n.find("spacing")) {
        auto v = quantity(*sp, Dimension::Length, c, p, "spacing of the stations of " + what,
                          Bound::Positive, "the distance between stations, e.g. 250 km");
        if (!v) return;
        spacing = *v;
        if (out.length_km && spacing * (count - 1) >= length) {
          error(sp->where,
                std::to_string(count) + " stations " +
                    format_quantity(spacing, Dimension::Length, c) + " apart do not fit on " +
                    what + " (" + format_quantity(length, Dimension::Length, c) + ")",
                "the first station is at 0 km and every one must lie before the end");
          return;
        }
      }
      out.station_spacing_km = spacing;
      for (int k = 0; k < count; ++k) {
        Station st = tmpl;
        st.name = std::to_string(k + 1);
        st.position_km = k * spacing;
        out.stations.push_back(st);
      }
      return;
    }
    if (!n.is_seq()) {
      error(n.where, "the stations of " + what + " must be a map or a list",
            "write '{count: 9, spacing: 250 km, ...}' or a list of '{at: 0 km, ...}'");
      return;
    }
    for (std::size_t i = 0; i < n.seq.size(); ++i) {
      const RawNode& m = n.seq[i];
      const std::string of = "station " + std::to_string(i + 1) + " of " + what;
      if (!m.is_map()) {
        error(m.where, of + " must be a map", "write '{at: 0 km, max_power: 100 MW}'");
        continue;
      }
      check_keys(m, kStationKeys, of);
      Station st;
      st.where = m.where;
      st.name = std::to_string(i + 1);
      if (auto t = text(m, "name", of)) st.name = *t;
      limits(m, of, st);
      const RawNode* at = m.find("at");
      if (!at) {
        error(m.where, of + " has no 'at'", "its distance from the start, e.g. 'at: 250 km'");
        continue;
      }
      auto v = quantity(*at, Dimension::Length, c, p, "position of " + of, Bound::NonNegative,
                        "its distance from the start, e.g. 'at: 250 km'");
      if (!v) continue;
      if (out.length_km && *v >= length) {
        error(at->where,
              of + " at " + at->scalar + " is not before the end of the pipeline (" +
                  format_quantity(length, Dimension::Length, c) + ")",
              "a station must lie on the line, before its end");
        continue;
      }
      if (!out.stations.empty() && *v <= out.stations.back().position_km) {
        error(at->where, of + " at " + at->scalar + " is not after the station before it",
              "list the stations in order of position, each at its own place");
        continue;
      }
      st.position_km = *v;
      out.stations.push_back(st);
    }
  }

  /// A storage level: a fraction ("50 %", 0.5) or a volume ("2 bcm"); `what` names the key.
  std::optional<StorageLevel> level(const RawNode& n, Commodity c, const CommodityProps& p,
                                    const std::string& what) {
    if (!expect_scalar(n, what)) return std::nullopt;
    const std::string_view t = trim(n.scalar);
    const bool fraction = t.ends_with("%") || parse_quantity(t, Dimension::Fraction, c, p).ok();
    if (fraction) {
      const auto v = quantity(n, Dimension::Fraction, c, p, what, Bound::Fraction,
                              "write a share of the working volume such as 50 %, or a volume");
      if (!v) return std::nullopt;
      return StorageLevel{true, *v};
    }
    ParsedQuantity q = parse_quantity(t, Dimension::Volume, c, p);
    if (!q.ok()) {
      error(n.where, what + ": " + q.error->message,
            "give a share of the working volume such as 50 %, or a volume (" +
                accepted_units(Dimension::Volume, c) + ")");
      return std::nullopt;
    }
    const auto v = quantity(n, Dimension::Volume, c, p, what, Bound::NonNegative);
    if (!v) return std::nullopt;
    return StorageLevel{false, *v};
  }

  Node node(const RawNode& n, const Scenario& s) {
    Node out;
    out.where = n.where;
    const std::string id = n.find("id") && n.find("id")->is_scalar() ? n.find("id")->scalar : "";
    out.id = id;
    const std::string what = "node '" + id + "'";
    check_keys(n, kNodeKeys, what);
    bool kind_known = false;
    const RawNode* kind_node = n.find("kind");
    if (kind_node) {
      static const std::vector<std::string> kinds = {"supply", "demand",  "junction",
                                                     "border", "storage", "lng"};
      if (expect_scalar(*kind_node, "kind of " + what)) {
        const auto it = std::find(kinds.begin(), kinds.end(), kind_node->scalar);
        if (it == kinds.end()) {
          error(kind_node->where, "unknown kind '" + kind_node->scalar + "' of " + what,
                did_you_mean(kind_node->scalar, kinds));
        } else {
          out.kind = static_cast<NodeKind>(it - kinds.begin());
          kind_known = true;
        }
      }
    } else {
      error(n.where, what + " has no 'kind'",
            "add 'kind: supply', 'demand', 'junction', 'border', 'storage' or 'lng'");
    }
    commodity(n, what, out.commodity);
    if (n.find("commodity")) {
      said_commodity.insert(id);
    } else if (!(kind_known && out.kind == NodeKind::Lng)) {
      // An lng terminal is gas by definition: its Mt/y is LNG, nothing to warn about. A tank
      // farm's rates are the same trap as a supply's.
      warn_mass_unit(n, what, {"capacity", "demand", "injection", "withdrawal"}, s.gas);
    }
    if (kind_known && out.kind == NodeKind::Lng && out.commodity != Commodity::Gas) {
      error(n.where, "lng " + what + " must carry gas",
            "an LNG terminal regasifies gas; remove 'commodity: oil' or use 'kind: supply'");
    }
    if (auto t = text(n, "country", what)) out.country = *t;
    const CommodityProps& p = props(s, out.commodity);
    // A kind-specific key on a node of another kind. With no valid kind there is nothing to
    // check against (that is reported above), but the value is still read for its own errors.
    auto only_for = [&](const char* key, std::initializer_list<NodeKind> kinds) {
      const RawNode::Entry* e = n.find_entry(key);
      if (e && kind_known && std::find(kinds.begin(), kinds.end(), out.kind) == kinds.end()) {
        std::string owners;
        for (NodeKind k : kinds) {
          if (!owners.empty()) owners += " and ";
          owners += node_kind_name(k);
        }
        std::string hint = "'" + std::string(key) + "' belongs to " + owners + " nodes";
        if (out.kind == NodeKind::Lng && std::string_view(key) == "capacity") {
          hint += "; an lng terminal gives its 'send_out'";
        }
        error(e->key_where,
              "'" + std::string(key) + "' does not apply to " +
                  std::string(node_kind_name(out.kind)) + " " + what,
              hint);
        return static_cast<const RawNode*>(nullptr);
      }
      return e ? &e->value : nullptr;
    };
    auto rate = [&](const char* key, std::initializer_list<NodeKind> kinds, Series& into,
                    SourceLocation& where) {
      if (const RawNode* c = only_for(key, kinds)) {
        into = series(*c, Dimension::FlowRate, out.commodity, p, std::string(key) + " of " + what,
                      Bound::NonNegative);
        where = c->where;
        return true;
      }
      return false;
    };
    rate("capacity", {NodeKind::Supply}, out.capacity, out.capacity_where);
    rate("send_out", {NodeKind::Lng}, out.capacity, out.capacity_where);
    if (const RawNode* c = only_for("cost", {NodeKind::Supply, NodeKind::Lng})) {
      out.cost = money_series(*c, Dimension::UnitCost, out.commodity, p, "cost of " + what, s);
      out.cost_where = c->where;
    }
    if (const RawNode* sp = only_for("spot", {NodeKind::Supply})) {
      out.spot_where = sp->where;
      if (auto v = boolean(*sp, "'spot' of " + what)) out.spot = *v;
    }
    if (const RawNode* src = only_for("source", {NodeKind::Supply, NodeKind::Lng})) {
      if (expect_scalar(*src, "source of " + what)) out.source = src->scalar;
      out.source_where = src->where;
    }
    if (const RawNode* o = only_for("online", {NodeKind::Supply})) {
      out.online = year_month(*o, "online date of " + what);
      out.online_where = o->where;
    }
    if (const RawNode* r = only_for("retire", {NodeKind::Supply})) {
      out.retire = year_month(*r, "retire date of " + what);
      out.retire_where = r->where;
    }
    if (const RawNode* r = only_for("ramp_up", {NodeKind::Supply})) {
      out.ramp_up =
          list_of(*r, Dimension::Fraction, out.commodity, p, "ramp_up of " + what, Bound::Fraction,
                  "list the share of capacity in each year from online, e.g. [0.2, 0.5]");
      out.ramp_where = r->where;
    }
    rate("demand", {NodeKind::Demand}, out.demand, out.demand_where);
    if (const RawNode* pr = only_for("priority", {NodeKind::Demand})) {
      out.priority_where = pr->where;
      if (auto v = integer(*pr, "priority of " + what)) {
        if (*v < 1 || *v > 100) {
          error(pr->where, "priority of " + what + " must be 1 to 100, got " + std::to_string(*v),
                "1 is served first");
        } else {
          out.priority = static_cast<int>(*v);
        }
      }
    }
    if (const RawNode* pf = only_for("profile", {NodeKind::Demand, NodeKind::Supply})) {
      out.profile_where = pf->where;
      out.profile = list_of(*pf, Dimension::Fraction, out.commodity, p, "profile of " + what,
                            Bound::NonNegative, "list 12 monthly weights, January first");
    }
    if (const RawNode* h = n.find("height")) {
      out.height_where = h->where;
      if (auto v = quantity(*h, Dimension::Length, out.commodity, p, "height of " + what,
                            Bound::Any, "")) {
        out.height_m = *v * 1000.0;
      }
    }
    if (const RawNode* x = only_for("pressure", {NodeKind::Supply})) {
      out.pressure_where = x->where;
      out.pressure_mpa =
          quantity(*x, Dimension::Pressure, out.commodity, p, "pressure of " + what,
                   Bound::Positive, "the pressure the supply delivers at, e.g. 60 bar");
    }
    if (const RawNode::Entry* e = n.find_entry("min_pressure")) {
      if (kind_known && out.kind == NodeKind::Supply) {
        error(e->key_where, "'min_pressure' does not apply to supply " + what,
              "a supply gives 'pressure', the pressure it delivers at");
      } else {
        out.min_pressure_where = e->value.where;
        out.min_pressure_mpa =
            quantity(e->value, Dimension::Pressure, out.commodity, p, "min_pressure of " + what,
                     Bound::Positive, "the least pressure gas or oil must arrive at, e.g. 50 bar");
      }
    }
    if (const RawNode* x = n.find("max_pressure")) {
      out.max_pressure_where = x->where;
      out.max_pressure_mpa =
          quantity(*x, Dimension::Pressure, out.commodity, p, "max_pressure of " + what,
                   Bound::Positive, "the highest pressure the node may have, e.g. 80 bar");
      const double mx = out.max_pressure_mpa.value_or(INFINITY);
      if (out.min_pressure_mpa && *out.min_pressure_mpa > mx) {
        error(x->where, "max_pressure of " + what + " is below its min_pressure",
              "check both values and their units");
      }
      if (out.pressure_mpa && *out.pressure_mpa > mx) {
        error(x->where, "max_pressure of " + what + " is below its pressure",
              "a supply delivers at a pressure within the node's bounds");
      }
    }
    rate("peak_demand", {NodeKind::Demand}, out.peak_demand, out.peak_demand_where);
    rate("max_throughput", {NodeKind::Demand}, out.max_throughput, out.max_throughput_where);
    rate("peak_capacity", {NodeKind::Supply, NodeKind::Lng}, out.peak_capacity,
         out.peak_capacity_where);
    // storage
    if (const RawNode* w = only_for("working_volume", {NodeKind::Storage})) {
      out.working_volume_where = w->where;
      if (auto v = quantity(*w, Dimension::Volume, out.commodity, p, "working_volume of " + what,
                            Bound::Positive, "give the volume it can cycle, e.g. 4 bcm")) {
        out.working_volume = *v;
      }
    }
    rate("injection", {NodeKind::Storage}, out.injection, out.injection_where);
    rate("withdrawal", {NodeKind::Storage}, out.withdrawal, out.withdrawal_where);
    if (const RawNode* i = only_for("initial", {NodeKind::Storage})) {
      out.initial_where = i->where;
      if (auto v = level(*i, out.commodity, p, "initial of " + what)) out.initial = *v;
    }
    if (const RawNode* e = only_for("end", {NodeKind::Storage})) {
      out.end_where = e->where;
      if (e->is_scalar() && trim(e->scalar) == "cyclic") {
        out.end_target.reset();
      } else if (e->is_scalar() && !closest_match(trim(e->scalar), {"cyclic"}).empty()) {
        error(e->where, "unknown end rule '" + e->scalar + "' of " + what,
              "did you mean 'cyclic'? or give a target such as 80 % or 3 bcm");
      } else if (auto v = level(*e, out.commodity, p, "end of " + what)) {
        out.end_target = *v;
      }
    }
    if (kind_known) {
      auto required = [&](const char* key, const char* example) {
        if (!n.find(key)) {
          error(n.where,
                std::string(node_kind_name(out.kind)) + " " + what + " has no '" + key + "'",
                std::string("add for example '") + key + ": " + example + "'");
        }
      };
      if (out.kind == NodeKind::Storage) {
        required("working_volume", "4 bcm");
        required("injection", "24 mcm/d");
        required("withdrawal", "30 mcm/d");
      } else if (out.kind == NodeKind::Lng) {
        required("send_out", "10 Mt/y");
      }
    }
    if ((out.kind == NodeKind::Supply || out.kind == NodeKind::Lng) &&
        out.capacity.points.empty()) {
      out.capacity = constant_series(0.0);
    }
    if (out.kind == NodeKind::Demand && out.demand.points.empty()) {
      out.demand = constant_series(0.0);
    }
    if (out.kind == NodeKind::Storage) {
      if (out.injection.points.empty()) out.injection = constant_series(0.0);
      if (out.withdrawal.points.empty()) out.withdrawal = constant_series(0.0);
    }
    return out;
  }

  /// `events:` entry: id, target, from, to, and derate or capacity.
  Event event(const RawNode& n, const Scenario& s) {
    Event out;
    out.where = n.where;
    out.id = n.find("id") && n.find("id")->is_scalar() ? n.find("id")->scalar : "";
    const std::string what = "event '" + out.id + "'";
    check_keys(n, kEventKeys, what);
    Commodity c = Commodity::Gas;  // of the target, for the units of `capacity`
    if (const RawNode* t = n.find("target")) {
      out.target_where = t->where;
      if (expect_scalar(*t, "target of " + what)) {
        out.target = t->scalar;
        for (const Node& node : s.nodes) {
          if (node.id == out.target) c = node.commodity;
        }
        for (const Pipeline& pl : s.pipelines) {
          if (pl.id == out.target) c = pl.commodity;
        }
      }
    } else {
      error(n.where, what + " has no 'target'",
            "name the pipeline, supply, storage or lng node it hits: 'target: pos1'");
    }
    for (const char* key : {"from", "to"}) {
      const bool from = key[0] == 'f';
      if (const RawNode* d = n.find(key)) {
        (from ? out.from_where : out.to_where) = d->where;
        if (auto v = date(*d, std::string(from ? "from" : "to") + " date of " + what)) {
          (from ? out.from : out.to) = *v;
        }
      } else {
        error(n.where, what + " has no '" + key + "'",
              "give the first and the last day, month or year it lasts: "
              "'from: \"2031-01-15\", to: \"2031-03\"'");
      }
    }
    const RawNode* d = n.find("derate");
    const RawNode* cap = n.find("capacity");
    if (d && cap) {
      error(n.find_entry("capacity")->key_where, what + " gives both 'derate' and 'capacity'",
            "give the share lost ('derate: 40 %') or the capacity left ('capacity: 10 bcm/y'), "
            "not both");
      return out;
    }
    if (d) {
      out.derate_where = d->where;
      out.derate = quantity(*d, Dimension::Fraction, c, props(s, c), "derate of " + what,
                            Bound::Fraction, "write the share of capacity lost, 0 to 100 %");
    }
    if (cap) {
      out.capacity_where = cap->where;
      out.capacity_left =
          quantity(*cap, Dimension::FlowRate, c, props(s, c), "capacity of " + what,
                   Bound::NonNegative, "give the capacity left during the event, 0 for none");
    }
    return out;
  }

  /// `areas:` entry: id and a list of node ids.
  Area area(const RawNode& n) {
    Area out;
    out.where = n.where;
    out.id = n.find("id") && n.find("id")->is_scalar() ? n.find("id")->scalar : "";
    const std::string what = "area '" + out.id + "'";
    check_keys(n, kAreaKeys, what);
    const RawNode* list = n.find("nodes");
    if (!list || !list->is_seq() || list->seq.empty()) {
      error(list ? list->where : n.where, what + " needs a non-empty 'nodes' list",
            "list the nodes of the area, e.g. 'nodes: [north, lng-north]'");
      return out;
    }
    for (const RawNode& x : list->seq) {
      if (!expect_scalar(x, "node of " + what)) continue;
      out.nodes.push_back(x.scalar);
      out.node_where.push_back(x.where);
    }
    return out;
  }

  Pipeline pipeline(const RawNode& n, const Scenario& s,
                    const std::unordered_map<std::string, Commodity>& node_commodity) {
    Pipeline out;
    out.where = n.where;
    out.id = n.find("id") && n.find("id")->is_scalar() ? n.find("id")->scalar : "";
    const std::string what = "pipeline '" + out.id + "'";
    check_keys(n, kPipelineKeys, what);
    for (const char* key : {"from", "to"}) {
      const RawNode* e = n.find(key);
      if (!e) {
        error(n.where, what + " has no '" + key + "'", "add '" + std::string(key) + ": <node id>'");
        continue;
      }
      if (!expect_scalar(*e, "'" + std::string(key) + "' of " + what)) continue;
      (key[0] == 'f' ? out.from : out.to) = e->scalar;
      (key[0] == 'f' ? out.from_where : out.to_where) = e->where;
    }
    // The commodity defaults to the `from` node's.
    const auto from = node_commodity.find(out.from);
    out.commodity = from == node_commodity.end() ? Commodity::Gas : from->second;
    commodity(n, what, out.commodity);
    if (!n.find("commodity") && !said_commodity.count(out.from) &&
        out.commodity == Commodity::Gas) {
      warn_mass_unit(n, what, {"capacity"}, s.gas);
    }
    const CommodityProps& p = props(s, out.commodity);
    if (const RawNode* b = n.find("bidirectional")) {
      if (auto v = boolean(*b, "'bidirectional' of " + what)) out.bidirectional = *v;
    }
    if (const RawNode* c = n.find("capacity")) {
      out.capacity = series(*c, Dimension::FlowRate, out.commodity, p, "capacity of " + what,
                            Bound::NonNegative);
      out.capacity_where = c->where;
    } else {
      error(n.where, what + " has no 'capacity'", "add for example 'capacity: 38 bcm/y'");
    }
    if (const RawNode* a = n.find("availability")) {
      out.availability = series(*a, Dimension::Fraction, out.commodity, p,
                                "availability of " + what, Bound::Fraction);
      if (out.availability.points.empty()) out.availability = constant_series(1.0);
      out.availability_where = a->where;
    }
    if (const RawNode* r = n.find("ramp_up")) {
      out.ramp_up =
          list_of(*r, Dimension::Fraction, out.commodity, p, "ramp_up of " + what, Bound::Fraction,
                  "list the share of capacity in each year from online, e.g. [0.2, 0.5]");
      out.ramp_where = r->where;
    }
    if (const RawNode* o = n.find("online")) {
      out.online = year_month(*o, "online date of " + what);
      out.online_where = o->where;
    }
    if (const RawNode* r = n.find("retire")) {
      out.retire = year_month(*r, "retire date of " + what);
      out.retire_where = r->where;
    }
    if (const RawNode* l = n.find("length")) {
      out.length_where = l->where;
      out.length_km = quantity(*l, Dimension::Length, out.commodity, p, "length of " + what,
                               Bound::Positive, "give the route length, e.g. 250 km");
    }
    if (const RawNode* d = n.find("diameter")) {
      out.diameter_where = d->where;
      out.diameter_mm = quantity(*d, Dimension::Diameter, out.commodity, p, "diameter of " + what,
                                 Bound::Positive, "give the outer diameter, e.g. 1420 mm");
    }
    if (const RawNode* m = n.find("max_pressure")) {
      out.max_pressure_where = m->where;
      out.max_pressure_mpa =
          quantity(*m, Dimension::Pressure, out.commodity, p, "max_pressure of " + what,
                   Bound::Positive, "give the maximum operating pressure, e.g. 9.8 MPa");
    }
    if (const RawNode* w = n.find("wall_thickness")) {
      out.wall_thickness_where = w->where;
      out.wall_thickness_mm =
          quantity(*w, Dimension::Diameter, out.commodity, p, "wall_thickness of " + what,
                   Bound::Positive, "give the wall thickness, e.g. 23.2 mm");
      if (out.wall_thickness_mm && out.diameter_mm &&
          2.0 * *out.wall_thickness_mm >= *out.diameter_mm) {
        error(w->where,
              "wall_thickness of " + what + " leaves no inside: twice " + w->scalar +
                  " is not below the diameter",
              "the diameter is the outer one; check both values and their units");
        out.wall_thickness_mm.reset();
      }
    }
    if (const RawNode* r = n.find("roughness")) {
      out.roughness_where = r->where;
      out.roughness_mm = quantity(*r, Dimension::Diameter, out.commodity, p, "roughness of " + what,
                                  Bound::Positive, "the internal roughness, e.g. 0.012 mm");
    }
    element(n, what, out);
    if (const RawNode* st = n.find("stations")) {
      if (out.type == PipelineType::Pipe) stations(*st, what, out);
    }
    if (const RawNode* t = n.find("tariff"); t && t->is_scalar() && t->scalar == "unknown") {
      out.tariff_where = t->where;
      out.tariff_kind = TariffKind::Unknown;  // a charge not found: no route cost reads it as 0
    } else if (t) {
      out.tariff_where = t->where;
      // Per distance if the unit has a second '/': "1.2 USD/kcm/100km". Every value of a
      // series must be of one kind.
      std::optional<bool> per_distance;
      bool mixed = false;
      auto kind_of = [&](const RawNode& v) {
        if (!v.is_scalar()) return;
        const bool pd = std::count(v.scalar.begin(), v.scalar.end(), '/') >= 2;
        if (per_distance && *per_distance != pd && !mixed) {
          mixed = true;
          error(v.where, "tariff of " + what + " mixes per-distance and per-unit values",
                "give every value per unit (" + std::string(cost_unit(out.commodity)) +
                    ") or every value per distance");
        }
        if (!per_distance) per_distance = pd;
      };
      if (t->is_map()) {
        for (const RawNode::Entry& e : t->map) {
          if (e.key != "interpolation" && e.key != "growth") kind_of(e.value);
        }
      } else {
        kind_of(*t);
      }
      const bool pd = per_distance.value_or(false);
      Series v = mixed ? Series{}
                       : money_series(*t, pd ? Dimension::UnitCostPerDistance : Dimension::UnitCost,
                                      out.commodity, p, "tariff of " + what, s);
      if (!v.points.empty()) {
        out.tariff = std::move(v);
        out.tariff_kind = pd ? TariffKind::PerUnitDistance : TariffKind::PerUnit;
        if (pd && !n.find("length")) {
          error(t->where, "tariff of " + what + " is per distance but the pipeline has no 'length'",
                "add 'length: ... km' or give the tariff per unit (" +
                    std::string(cost_unit(out.commodity)) + ")");
        }
      }
    }
    if (auto tc = text(n, "transit_country", what)) out.transit_country = *tc;
    if (const RawNode* f = n.find("transit_fee")) {
      out.transit_fee_where = f->where;
      out.transit_fee =
          money_series(*f, Dimension::UnitCost, out.commodity, p, "transit_fee of " + what, s);
    }
    if (const RawNode* pc = n.find("peak_capacity")) {
      out.peak_capacity = series(*pc, Dimension::FlowRate, out.commodity, p,
                                 "peak_capacity of " + what, Bound::NonNegative);
      out.peak_capacity_where = pc->where;
    }
    out.economics = economics(n, what, false, static_cast<int>(s.pipelines.size()));
    return out;
  }

  Route route(const RawNode& n, const Scenario& s) {
    Route out;
    out.where = n.where;
    out.id = n.find("id") && n.find("id")->is_scalar() ? n.find("id")->scalar : "";
    const std::string what = "route '" + out.id + "'";
    check_keys(n, kRouteKeys, what);
    const RawNode* p = n.find("pipelines");
    if (!p || !p->is_seq() || p->seq.empty()) {
      error(p ? p->where : n.where, what + " needs a non-empty 'pipelines' list",
            "list the pipelines in order, e.g. 'pipelines: [a, b]'");
    } else {
      bool ok = true;
      for (const RawNode& x : p->seq) {
        if (!expect_scalar(x, "pipeline of " + what)) {
          ok = false;
          continue;
        }
        out.pipelines.push_back(x.scalar);
        out.pipeline_where.push_back(x.where);
      }
      // A path with a hole would only produce follow-on errors in validation.
      if (!ok) out.pipelines.clear(), out.pipeline_where.clear();
    }
    if (const RawNode* m = n.find("meter")) {
      if (expect_scalar(*m, "meter of " + what)) out.meter = m->scalar;
      out.meter_where = m->where;
    }
    if (out.pipelines.empty()) out.meter.clear();
    out.economics = economics(n, what, true, static_cast<int>(s.routes.size()));
    return out;
  }

  /// `min_take` or `max_take`: a share of the ACQ (a plain number or a percentage), or a
  /// volume (a flow rate, or a series of them).
  TakeLevel take_level(const RawNode& n, Commodity c, const CommodityProps& p,
                       const std::string& what, bool minimum) {
    TakeLevel t;
    t.where = n.where;
    if (n.is_scalar()) {
      const ParsedQuantity share = parse_quantity(n.scalar, Dimension::Fraction, c, p);
      if (share.ok()) {
        // A minimum above the ACQ is a slip ("85" for 85 %); a maximum may exceed it.
        t.share = in_range(share.value, n, Dimension::Fraction, c, what,
                           minimum ? Bound::Fraction : Bound::NonNegative,
                           "give a share of the ACQ such as 85 % or 0.85, or a volume", true);
        return t;
      }
      const ParsedQuantity rate = parse_quantity(n.scalar, Dimension::FlowRate, c, p);
      if (!rate.ok() && rate.error->lists_units) {
        error(
            n.where, what + ": " + rate.error->message,
            units_hint(rate.error->suggestion, "a share of the ACQ (85 % or 0.85), or a volume: " +
                                                   accepted_units(Dimension::FlowRate, c)));
        return t;
      }
    }
    t.volume = series(n, Dimension::FlowRate, c, p, what, Bound::NonNegative);
    return t;
  }

  Contract contract(const RawNode& n, const Scenario& s) {
    Contract out;
    out.where = n.where;
    out.id = n.find("id") && n.find("id")->is_scalar() ? n.find("id")->scalar : "";
    const std::string what = "contract '" + out.id + "'";
    check_keys(n, kContractKeys, what);
    if (const RawNode* sel = n.find("seller")) {
      out.seller_where = sel->where;
      if (sel->is_map()) {
        check_keys(*sel, kSellerKeys, "seller of " + what);
        if (sel->map.size() != 1) {
          error(sel->where, "seller of " + what + " must name one supply node or one route",
                "write 'seller: {supply: id}' or 'seller: {route: id}'");
        } else if (const RawNode::Entry& e = sel->map.front();
                   (e.key == "supply" || e.key == "route") &&
                   expect_scalar(e.value, "seller of " + what)) {
          out.seller = e.value.scalar;
          out.seller_kind = e.key == "supply" ? SellerKind::Supply : SellerKind::Route;
          out.seller_where = e.value.where;
        }
      } else if (expect_scalar(*sel, "seller of " + what)) {
        out.seller = sel->scalar;
      }
    } else {
      error(n.where, what + " has no 'seller'", "add 'seller: <supply node or route id>'");
    }
    // Quantities take the seller's commodity; an unknown seller is reported by validate().
    Commodity c = Commodity::Gas;
    const ContractSeller seller = contract_seller(s, out);
    if (seller.kind == SellerKind::Supply) {
      c = s.nodes[seller.index].commodity;
    } else if (seller.kind == SellerKind::Route && !s.routes[seller.index].pipelines.empty()) {
      for (const Pipeline& pl : s.pipelines) {
        if (pl.id == s.routes[seller.index].pipelines.front()) c = pl.commodity;
      }
    }
    const CommodityProps& p = props(s, c);
    if (const RawNode* b = n.find("buyers")) {
      if (!b->is_seq()) {
        error(b->where, "buyers of " + what + " must be a list of demand node ids",
              "write 'buyers: [north, east]'");
      } else {
        for (const RawNode& x : b->seq) {
          if (!expect_scalar(x, "buyer of " + what)) continue;
          out.buyers.push_back(x.scalar);
          out.buyer_where.push_back(x.where);
        }
      }
    }
    if (const RawNode* q = n.find("acq")) {
      out.acq = series(*q, Dimension::FlowRate, c, p, "acq of " + what, Bound::NonNegative);
      out.acq_where = q->where;
    } else {
      error(n.where, what + " has no 'acq'",
            "add the annual contract quantity, e.g. 'acq: 38 bcm/y'");
    }
    if (const RawNode* m = n.find("min_take"))
      out.min_take = take_level(*m, c, p, "min_take of " + what, true);
    if (const RawNode* m = n.find("max_take"))
      out.max_take = take_level(*m, c, p, "max_take of " + what, false);
    if (const RawNode* r = n.find("rule")) {
      out.rule_where = r->where;
      if (expect_scalar(*r, "rule of " + what)) {
        if (r->scalar == "hard") {
          out.rule = ContractRule::Hard;
        } else if (r->scalar != "soft") {
          error(r->where, "unknown rule '" + r->scalar + "' of " + what,
                did_you_mean(r->scalar, {"soft", "hard"}));
        }
      }
    }
    if (const RawNode* pr = n.find("price")) {
      out.price = money_series(*pr, Dimension::UnitCost, c, p, "price of " + what, s);
      out.price_where = pr->where;
    }
    if (const RawNode* t = n.find("take_or_pay")) {
      out.take_or_pay = money_series(*t, Dimension::UnitCost, c, p, "take_or_pay of " + what, s);
      out.take_or_pay_where = t->where;
    }
    if (const RawNode* st = n.find("start")) {
      out.start = year_month(*st, "start date of " + what);
      out.start_where = st->where;
    }
    if (const RawNode* e = n.find("end")) {
      out.end = year_month(*e, "end date of " + what);
      out.end_where = e->where;
    }
    if (const RawNode* pf = n.find("profile")) {
      out.profile_where = pf->where;
      out.profile = list_of(*pf, Dimension::Fraction, c, p, "profile of " + what,
                            Bound::NonNegative, "list 12 monthly weights, January first");
    }
    return out;
  }

  /// A list of ids under `key` of `n` (a project's pipelines, supplies or routes).
  void id_list(const RawNode& n, const char* key, const std::string& what,
               std::vector<std::string>& ids, std::vector<SourceLocation>& wheres) {
    const RawNode* l = n.find(key);
    if (!l) return;
    if (!l->is_seq()) {
      error(l->where, std::string(key) + " of " + what + " must be a list of ids",
            "write '" + std::string(key) + ": [a, b]'");
      return;
    }
    for (const RawNode& x : l->seq) {
      if (!expect_scalar(x, std::string(key) + " of " + what)) continue;
      ids.push_back(x.scalar);
      wheres.push_back(x.where);
    }
  }

  Project project(const RawNode& n, const Scenario& s) {
    Project out;
    out.where = n.where;
    out.id = n.find("id") && n.find("id")->is_scalar() ? n.find("id")->scalar : "";
    const std::string what = "project '" + out.id + "'";
    check_keys(n, kProjectKeys, what);
    id_list(n, "pipelines", what, out.pipelines, out.pipeline_where);
    id_list(n, "supplies", what, out.supplies, out.supply_where);
    id_list(n, "routes", what, out.routes, out.route_where);
    const CommodityProps p = default_props(Commodity::Gas);
    if (const RawNode* o = n.find("online")) {
      out.online = year_month(*o, "online date of " + what);
      out.online_where = o->where;
    }
    if (const RawNode* r = n.find("retire")) {
      out.retire = year_month(*r, "retire date of " + what);
      out.retire_where = r->where;
    }
    if (const RawNode* r = n.find("ramp_up")) {
      out.ramp_up =
          list_of(*r, Dimension::Fraction, Commodity::Gas, p, "ramp_up of " + what, Bound::Fraction,
                  "list the share of capacity in each year from online, e.g. [0.2, 0.5]");
      out.ramp_where = r->where;
    }
    if (const RawNode* c = n.find("capex")) {
      out.capex_where = c->where;
      if (!c->is_seq()) {
        error(c->where, "capex of " + what + " must be a list of tranches",
              "write 'capex: [{amount: 5 bn USD, date: 2028}, {amount: 3 bn USD, date: 2030}]'");
      } else {
        for (const RawNode& t : c->seq) {
          if (!t.is_map()) {
            error(t.where, "each capex tranche of " + what + " must be a map",
                  "write '{amount: 5 bn USD, date: 2028}'");
            continue;
          }
          check_keys(t, kTrancheKeys, "capex tranche of " + what);
          const RawNode* amount = t.find("amount");
          const RawNode* date = t.find("date");
          if (!amount || !date) {
            error(t.where, "a capex tranche of " + what + " needs an 'amount' and a 'date'",
                  "write '{amount: 5 bn USD, date: 2028}'");
            continue;
          }
          const auto d = year_month(*date, "date of a capex tranche of " + what);
          const auto m = money(*amount, Dimension::Money, Commodity::Gas, p, "capex of " + what);
          if (!d || !m) continue;
          const auto rate = fx_rate(s, m->currency, d->year, amount->where, "capex of " + what);
          if (!rate) continue;
          CapexTranche tranche;
          tranche.musd = m->value / *rate;
          tranche.date = *d;
          tranche.where = amount->where;
          if (!(tranche.musd <= magnitude_limit(Dimension::Money))) {
            error(amount->where, "capex of " + what + " is too large to be real",
                  "the limit is " +
                      format_quantity(magnitude_limit(Dimension::Money), Dimension::Money,
                                      Commodity::Gas) +
                      "; check the unit, the exponent and the exchange rate");
            continue;
          }
          out.capex.push_back(tranche);
        }
      }
    }
    if (const RawNode* o = n.find("opex")) {
      out.opex_where = o->where;
      if (auto v = quantity(*o, Dimension::Fraction, Commodity::Gas, p, "opex of " + what,
                            Bound::Fraction,
                            "give the yearly operating cost as a share of capex, e.g. 1.5 %")) {
        out.opex_fraction = *v;
      }
    }
    if (const RawNode* l = n.find("lifetime")) {
      out.lifetime_where = l->where;
      out.lifetime_years =
          quantity(*l, Dimension::Duration, Commodity::Gas, p, "lifetime of " + what,
                   Bound::Positive, "give the years over which capex is recovered, e.g. 30 y");
    }
    if (const RawNode* r = n.find("discount_rate")) {
      out.discount_rate_where = r->where;
      out.discount_rate =
          quantity(*r, Dimension::Fraction, Commodity::Gas, p, "discount_rate of " + what,
                   Bound::Rate, "write a rate such as 8 % or 0.08");
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // uncertainty: (uncertainty.h). Values are parsed with the units of what they describe,
  // which a sample's path decides; the path is resolved here against the entities built so far.

  /// Parses one value of a distribution: a quantity of the sample's field, a factor, days...
  using ValueParser = std::function<ParsedQuantity(std::string_view)>;

  std::optional<double> value_of(const RawNode& n, const std::string& what,
                                 const ValueParser& parse) {
    if (!expect_scalar(n, what)) return std::nullopt;
    ParsedQuantity q = parse(n.scalar);
    if (!q.ok()) {
      error(n.where, what + ": " + q.error->message, q.error->hint);
      return std::nullopt;
    }
    return q.value;
  }

  std::optional<double> probability(const RawNode& n, const std::string& what) {
    const CommodityProps p = default_props(Commodity::Gas);
    return quantity(n, Dimension::Fraction, Commodity::Gas, p, what, Bound::Fraction,
                    "write a probability such as 0.3 or 30 %");
  }

  /// Named parameters of a distribution, from a map {name: value} or a list in `order`.
  /// Returns the values found (nullopt where missing or bad); reports unknown and missing keys.
  std::vector<std::optional<double>> parameters(const RawNode& n, const std::string& what,
                                                const std::vector<std::string>& order,
                                                const std::vector<std::string>& required,
                                                const ValueParser& parse, bool& ok) {
    std::vector<std::optional<double>> out(order.size());
    if (n.is_seq()) {
      if (n.seq.size() != required.size()) {
        error(n.where,
              what + " takes " + std::to_string(required.size()) + " values, got " +
                  std::to_string(n.seq.size()),
              "write [" + joined(required) + "], or a map {" + joined(required, ": ..., ") +
                  ": ...}");
        ok = false;
        return out;
      }
      for (std::size_t k = 0; k < n.seq.size(); ++k) {
        const auto at = std::find(order.begin(), order.end(), required[k]) - order.begin();
        out[at] = value_of(n.seq[k], required[k] + " of " + what, parse);
        ok = ok && out[at].has_value();
      }
      return out;
    }
    if (!n.is_map()) {
      error(n.where, what + " must be a map of its parameters",
            "write {" + joined(required, ": ..., ") + ": ...}");
      ok = false;
      return out;
    }
    check_keys(n, order, what);
    for (std::size_t k = 0; k < order.size(); ++k) {
      if (const RawNode* v = n.find(order[k])) {
        out[k] = order[k] == "p" ? probability(*v, "p of " + what)
                                 : value_of(*v, order[k] + " of " + what, parse);
        ok = ok && out[k].has_value();
      }
    }
    for (const std::string& r : required) {
      const auto at = std::find(order.begin(), order.end(), r) - order.begin();
      if (!n.find(r)) {
        error(n.where, what + " has no '" + r + "'",
              "write {" + joined(required, ": ..., ") + ": ...}");
        ok = false;
      }
      (void)at;
    }
    return out;
  }

  static std::string joined(const std::vector<std::string>& v, const std::string& sep = ", ") {
    std::string out;
    for (const std::string& x : v) out += (out.empty() ? "" : sep) + x;
    return out;
  }

  /// The one distribution key of `n` (a sample, or an outage's `duration`), parsed with
  /// `parse`. With `parse` empty (a path that did not resolve) only the structure is checked.
  std::optional<Distribution> distribution(const RawNode& n, const std::string& what,
                                           const ValueParser& parse) {
    const RawNode::Entry* found = nullptr;
    for (const RawNode::Entry& e : n.map) {
      if (std::find(kDistributions.begin(), kDistributions.end(), e.key) == kDistributions.end()) {
        continue;
      }
      if (found) {
        error(e.key_where,
              what + " gives two distributions, '" + found->key + "' and '" + e.key + "'",
              "keep one");
        return std::nullopt;
      }
      found = &e;
    }
    if (!found) {
      error(n.where, what + " has no distribution",
            "add one of: uniform, triangular, normal, lognormal, discrete, bernoulli");
      return std::nullopt;
    }
    Distribution d;
    d.where = found->key_where;
    const std::string dwhat = found->key + " of " + what;
    const RawNode& v = found->value;
    bool ok = true;
    const ValueParser none = [](std::string_view) { return ParsedQuantity{}; };
    const ValueParser& p = parse ? parse : none;
    if (found->key == "uniform") {
      d.kind = DistributionKind::Uniform;
      auto x = parameters(v, dwhat, {"min", "max"}, {"min", "max"}, p, ok);
      if (ok) d.min = *x[0], d.max = *x[1];
    } else if (found->key == "triangular") {
      d.kind = DistributionKind::Triangular;
      auto x = parameters(v, dwhat, {"min", "mode", "max"}, {"min", "mode", "max"}, p, ok);
      if (ok) d.min = *x[0], d.mode = *x[1], d.max = *x[2];
    } else if (found->key == "normal") {
      d.kind = DistributionKind::Normal;
      auto x = parameters(v, dwhat, {"mean", "sd"}, {"mean", "sd"}, p, ok);
      if (ok) d.mean = *x[0], d.sd = *x[1];
    } else if (found->key == "lognormal") {
      d.kind = DistributionKind::Lognormal;
      lognormal(v, dwhat, p, d, ok);
    } else if (found->key == "discrete") {
      d.kind = DistributionKind::Discrete;
      discrete(v, dwhat, p, d, ok);
    } else {
      d.kind = DistributionKind::Bernoulli;
      auto x = parameters(v, dwhat, {"p", "value"}, {"p", "value"}, p, ok);
      if (ok) d.p = *x[0], d.value = *x[1];
    }
    if (!ok || !parse) return std::nullopt;
    return d;
  }

  /// {mu, sigma} of the natural log, or {median, sigma}, {median, p90} or {mean, sd} of the
  /// value itself, which must then be positive.
  void lognormal(const RawNode& v, const std::string& what, const ValueParser& parse,
                 Distribution& d, bool& ok) {
    static const std::vector<std::string> keys = {"mu", "sigma", "median", "p90", "mean", "sd"};
    constexpr const char* kForms =
        "give {mu, sigma} of the log, or {median, sigma}, {median, p90} or {mean, sd}";
    if (!v.is_map()) {
      error(v.where, what + " must be a map of its parameters", kForms);
      ok = false;
      return;
    }
    check_keys(v, keys, what);
    std::vector<std::string> given;
    for (const std::string& k : keys) {
      if (v.find(k)) given.push_back(k);
    }
    auto is = [&](std::vector<std::string> form) { return given == form; };
    const CommodityProps gp = default_props(Commodity::Gas);
    // mu and sigma are plain numbers (of the log); the others have the units of the value.
    auto plain = [&](const char* key) {
      return quantity(*v.find(key), Dimension::Fraction, Commodity::Gas, gp,
                      std::string(key) + " of " + what, Bound::Any);
    };
    auto valued = [&](const char* key) {
      return value_of(*v.find(key), std::string(key) + " of " + what, parse);
    };
    auto positive_value = [&](const char* key) -> std::optional<double> {
      auto x = valued(key);
      if (x && !(*x > 0.0)) {
        error(v.find(key)->where, std::string(key) + " of " + what + " must be positive",
              "a lognormal value is above 0");
        return std::nullopt;
      }
      return x;
    };
    if (is({"mu", "sigma"})) {
      auto mu = plain("mu"), sigma = plain("sigma");
      ok = mu && sigma;
      if (ok) d.mu = *mu, d.sigma = *sigma;
    } else if (is({"sigma", "median"})) {
      auto median = positive_value("median"), sigma = plain("sigma");
      ok = median && sigma;
      if (ok) d.mu = std::log(*median), d.sigma = *sigma;
    } else if (is({"median", "p90"})) {
      auto median = positive_value("median"), p90 = positive_value("p90");
      ok = median && p90;
      if (ok && !(*p90 > *median)) {
        error(v.find("p90")->where, "p90 of " + what + " must be above its median",
              "the 90th percentile of a lognormal lies above the median");
        ok = false;
      }
      // ln(p90) = mu + z90 sigma, z90 = the standard normal's 90th percentile.
      constexpr double kZ90 = 1.2815515655446004;
      if (ok) d.mu = std::log(*median), d.sigma = (std::log(*p90) - d.mu) / kZ90;
    } else if (is({"mean", "sd"})) {
      auto mean = positive_value("mean"), sd = valued("sd");
      ok = mean && sd;
      if (ok) {
        // Moments: mean = exp(mu + sigma^2 / 2), var = (exp(sigma^2) - 1) mean^2.
        const double s2 = std::log1p((*sd / *mean) * (*sd / *mean));
        d.sigma = std::sqrt(s2), d.mu = std::log(*mean) - s2 / 2.0;
      }
    } else {
      error(v.where, what + " has the parameters {" + joined(given) + "}", kForms);
      ok = false;
    }
  }

  /// {value: probability, ...} or {values: [...], p: [...]}.
  void discrete(const RawNode& v, const std::string& what, const ValueParser& parse,
                Distribution& d, bool& ok) {
    if (!v.is_map() || v.map.empty()) {
      error(v.where, what + " must map values to probabilities",
            "write {2031: 0.3, 2032: 0.7}, or {values: [...], p: [...]}");
      ok = false;
      return;
    }
    const RawNode* values = v.find("values");
    const RawNode* probabilities = v.find("p");
    if (values || probabilities) {
      check_keys(v, {"values", "p"}, what);
      if (!values || !probabilities || !values->is_seq() || !probabilities->is_seq() ||
          values->seq.size() != probabilities->seq.size() || values->seq.empty()) {
        error(v.where, what + " needs lists 'values' and 'p' of the same length",
              "write {values: [a, b], p: [0.4, 0.6]}");
        ok = false;
        return;
      }
      for (std::size_t k = 0; k < values->seq.size(); ++k) {
        auto x = value_of(values->seq[k], "value of " + what, parse);
        auto q = probability(probabilities->seq[k], "probability of " + what);
        ok = ok && x && q;
        if (x && q) d.values.push_back(*x), d.probabilities.push_back(*q);
      }
      return;
    }
    for (const RawNode::Entry& e : v.map) {
      RawNode key;
      key.kind = RawNode::Kind::Scalar;
      key.scalar = e.key;
      key.where = e.key_where;
      auto x = value_of(key, "value of " + what, parse);
      auto q = probability(e.value, "probability of " + std::string(e.key) + " in " + what);
      ok = ok && x && q;
      if (x && q) d.values.push_back(*x), d.probabilities.push_back(*q);
    }
  }

  /// `truncate: {min, max}` or `[min, max]`; either bound may be left out of the map form.
  void truncation(const RawNode& t, const std::string& what, const ValueParser& parse,
                  Distribution& d) {
    if (t.is_seq()) {
      if (t.seq.size() != 2) {
        error(t.where,
              "truncate of " + what + " takes two values, got " + std::to_string(t.seq.size()),
              "write [min, max], or {min: ...} or {max: ...} for one bound");
        return;
      }
      d.lower = value_of(t.seq[0], "truncate min of " + what, parse);
      d.upper = value_of(t.seq[1], "truncate max of " + what, parse);
      return;
    }
    if (!t.is_map() || t.map.empty()) {
      error(t.where, "truncate of " + what + " must give min, max or both",
            "write {min: ..., max: ...} or [min, max]");
      return;
    }
    check_keys(t, {"min", "max"}, "truncate of " + what);
    if (const RawNode* lo = t.find("min"))
      d.lower = value_of(*lo, "truncate min of " + what, parse);
    if (const RawNode* hi = t.find("max"))
      d.upper = value_of(*hi, "truncate max of " + what, parse);
  }

  Sample sample(const RawNode& n, const Scenario& s, std::size_t k) {
    Sample out;
    out.where = n.where;
    if (auto id = text(n, "id", "sample " + std::to_string(k + 1))) out.id = *id;
    const std::string what =
        out.id.empty() ? "sample " + std::to_string(k + 1) : "sample '" + out.id + "'";
    check_keys(n, kSampleKeys, what);
    std::vector<ParamTarget> targets;
    if (const RawNode* p = n.find("path")) {
      out.path_where = p->where;
      if (expect_scalar(*p, "path of " + what)) {
        out.path = p->scalar;
        targets = resolve_param(s, out.path, p->where, diags);
      }
    } else {
      error(n.where, what + " has no 'path'",
            "name the input it varies, e.g. 'path: nodes.north.demand'");
    }
    const bool date = !targets.empty() && targets.front().field->kind == ParamKind::Date;
    out.mode = date ? ParamMode::Absolute : ParamMode::Relative;
    if (const RawNode* m = n.find("mode")) {
      out.mode_where = m->where;
      if (expect_scalar(*m, "mode of " + what)) {
        if (m->scalar == "relative") {
          out.mode = ParamMode::Relative;
        } else if (m->scalar == "absolute") {
          out.mode = ParamMode::Absolute;
        } else {
          error(m->where, "unknown mode '" + m->scalar + "' of " + what,
                did_you_mean(m->scalar, {"relative", "absolute"}));
        }
      }
    }
    if (const RawNode* p = n.find("per")) {
      out.per_where = p->where;
      if (expect_scalar(*p, "per of " + what)) {
        if (p->scalar == "year") {
          out.per = SamplePer::Year;
        } else if (p->scalar != "draw") {
          error(p->where, "unknown 'per: " + p->scalar + "' of " + what,
                did_you_mean(p->scalar, {"draw", "year"}));
        }
      }
    }
    if (const RawNode* a = n.find("ar1")) {
      out.ar1_where = a->where;
      const RawNode* rho = a->is_map() ? a->find("rho") : nullptr;
      if (!rho) {
        error(a->where, "ar1 of " + what + " must give rho",
              "write 'ar1: {rho: 0.9}' for a year-to-year correlation of 0.9");
      } else {
        check_keys(*a, {"rho"}, "ar1 of " + what);
        const CommodityProps gp = default_props(Commodity::Gas);
        out.ar1_rho =
            quantity(*rho, Dimension::Fraction, Commodity::Gas, gp, "rho of " + what, Bound::Any);
        // ar1 is a time structure by year; `per: draw` with it is reported by validate().
        if (!n.find("per")) out.per = SamplePer::Year;
      }
    }
    if (const RawNode* g = n.find("group")) {
      out.group_where = g->where;
      if (expect_scalar(*g, "group of " + what)) out.group = g->scalar;
    }
    // All inputs of a pattern take the units of the first; validate() checks that they agree.
    ValueParser parse;
    if (!targets.empty()) {
      const ParamTarget t = targets.front();
      const ParamMode mode = out.mode;
      parse = [&s, t, mode](std::string_view text) { return parse_param_value(s, t, text, mode); };
    }
    if (auto d = distribution(n, what, parse)) out.distribution = *d;
    if (const RawNode* t = n.find("truncate"); t && parse) {
      truncation(*t, what, parse, out.distribution);
    }
    return out;
  }

  OutageProcess outage(const RawNode& n, const Scenario& s, std::size_t k) {
    OutageProcess out;
    out.where = n.where;
    if (auto id = text(n, "id", "outage " + std::to_string(k + 1))) out.id = *id;
    const std::string what =
        out.id.empty() ? "outage " + std::to_string(k + 1) : "outage '" + out.id + "'";
    check_keys(n, kOutageKeys, what);
    if (const RawNode* t = n.find("target")) {
      out.target_where = t->where;
      if (expect_scalar(*t, "target of " + what)) {
        out.target = t->scalar;
        resolve_entities(s, out.target, t->where, diags);
      }
    } else {
      error(n.where, what + " has no 'target'",
            "name what fails, e.g. 'target: pipelines.pos1' or 'target: pipelines.*'");
    }
    const CommodityProps gp = default_props(Commodity::Gas);
    if (const RawNode* r = n.find("rate")) {
      out.rate_where = r->where;
      if (expect_scalar(*r, "rate of " + what)) {
        const bool per_length = r->scalar.find("km/") != std::string::npos;
        const Dimension d = per_length ? Dimension::EventRatePerLength : Dimension::EventRate;
        if (ParsedQuantity q = parse_quantity(r->scalar, d, Commodity::Gas, gp); !q.ok()) {
          const QuantityError& e = *q.error;
          error(r->where, "rate of " + what + ": " + e.message,
                !e.lists_units
                    ? e.hint
                    : units_hint(e.suggestion,
                                 accepted_units(Dimension::EventRate, Commodity::Gas) +
                                     " (per target), or " +
                                     accepted_units(Dimension::EventRatePerLength, Commodity::Gas) +
                                     " (per length of line)"));
        } else if (auto v =
                       quantity(*r, d, Commodity::Gas, gp, "rate of " + what, Bound::NonNegative)) {
          if (per_length) {
            out.rate_per_1000km_year = *v;
          } else {
            out.rate_per_year = *v;
          }
        }
      }
    } else {
      error(n.where, what + " has no 'rate'",
            "give the events per year, e.g. 'rate: 0.2 /y' or 'rate: 0.08 /1000km/y'");
    }
    if (const RawNode* d = n.find("duration")) {
      out.duration_where = d->where;
      const ValueParser days = [gp](std::string_view text) {
        return parse_quantity(text, Dimension::Days, Commodity::Gas, gp);
      };
      if (d->is_scalar()) {
        if (auto v = value_of(*d, "duration of " + what, days)) {
          out.duration_days.kind = DistributionKind::Uniform;
          out.duration_days.min = out.duration_days.max = *v;
          out.duration_days.where = d->where;
        }
      } else if (d->is_map()) {
        if (auto dist = distribution(*d, "duration of " + what, days)) out.duration_days = *dist;
        for (const RawNode::Entry& e : d->map) {
          if (e.key == "truncate") {
            truncation(e.value, "duration of " + what, days, out.duration_days);
          } else if (std::find(kDistributions.begin(), kDistributions.end(), e.key) ==
                     kDistributions.end()) {
            error(e.key_where, "unknown key '" + e.key + "' in duration of " + what,
                  did_you_mean(e.key, kDistributions));
          }
        }
      } else {
        error(d->where, "duration of " + what + " must be a number of days or a distribution",
              "write 'duration: 7 d' or 'duration: {lognormal: {median: 7 d, p90: 25 d}}'");
      }
    } else {
      error(n.where, what + " has no 'duration'",
            "write 'duration: 7 d' or 'duration: {lognormal: {median: 7 d, p90: 25 d}}'");
    }
    if (const RawNode* d = n.find("derate")) {
      out.derate_where = d->where;
      if (auto v = quantity(*d, Dimension::Fraction, Commodity::Gas, gp, "derate of " + what,
                            Bound::Fraction, "give the share of capacity lost, e.g. 100 %")) {
        out.derate = *v;
      }
    }
    return out;
  }

  void uncertainty(const RawNode& n, Scenario& s) {
    Uncertainty& u = s.uncertainty;
    u.given = true;
    u.where = n.where;
    if (!n.is_map()) {
      error(n.where, "'uncertainty' must be a map",
            "write 'uncertainty: {draws: 1000, seed: 1, sample: [...]}'");
      return;
    }
    check_keys(n, kUncertaintyKeys, "uncertainty");
    if (const RawNode* d = n.find("draws")) {
      u.draws_where = d->where;
      if (auto v = integer(*d, "uncertainty.draws")) {
        if (*v < 1 || *v > kMaxDraws) {
          error(d->where,
                "uncertainty.draws must be 1 to " + std::to_string(kMaxDraws) + ", got " +
                    std::to_string(*v),
                "1000 draws give P10/P90 to about 1 percentage point");
        } else {
          u.draws = static_cast<int>(*v);
        }
      }
    }
    if (const RawNode* d = n.find("seed")) {
      u.seed_where = d->where;
      if (expect_scalar(*d, "uncertainty.seed")) {
        std::uint64_t v = 0;
        const char* end = d->scalar.data() + d->scalar.size();
        const auto [p, ec] = std::from_chars(d->scalar.data(), end, v);
        if (ec != std::errc() || p != end) {
          error(d->where, "uncertainty.seed must be a whole number from 0 to 2^64 - 1, got '" +
                              d->scalar + "'");
        } else {
          u.seed = v;
        }
      }
    }
    auto each = [&](const char* key, auto&& build) {
      const RawNode* list = n.find(key);
      if (!list || list->kind == RawNode::Kind::Null) return;
      if (!list->is_seq()) {
        error(list->where, "uncertainty." + std::string(key) + " must be a list",
              "write each entry as '- path: ...'");
        return;
      }
      for (std::size_t k = 0; k < list->seq.size(); ++k) {
        const RawNode& e = list->seq[k];
        if (!e.is_map()) {
          error(e.where, "each entry of uncertainty." + std::string(key) + " must be a map");
          continue;
        }
        build(e, k);
      }
    };
    each("sample", [&](const RawNode& e, std::size_t k) { u.samples.push_back(sample(e, s, k)); });
    each("outages", [&](const RawNode& e, std::size_t k) { u.outages.push_back(outage(e, s, k)); });
  }
};

}  // namespace

Scenario build_scenario(const RawNode& root, const std::string& file, const std::string& name,
                        const std::string& case_name, std::vector<Diagnostic>& diags) {
  Builder b{diags, {}};
  Scenario s;
  s.file = file;
  s.name = name;
  const RawNode* name_node = root.find("name");
  s.name_where = name_node ? SourceLocation(name_node->where) : SourceLocation{file, 1, 1};
  s.case_name = case_name;
  b.check_keys(root, kTopKeys, "scenario");
  for (const char* key : {"name", "description"}) {
    if (const RawNode* t = root.find(key)) b.expect_scalar(*t, "'" + std::string(key) + "'");
  }
  if (const RawNode* h = root.find("horizon")) {
    s.horizon.where = h->where;
    if (!h->is_map()) {
      b.error(h->where, "'horizon' must be a map", "write 'horizon: {start: 2024, end: 2045}'");
    } else {
      b.check_keys(*h, kHorizonKeys, "horizon");
      for (const char* key : {"start", "end"}) {
        const RawNode* y = h->find(key);
        if (!y) {
          b.error(h->where, "horizon has no '" + std::string(key) + "'",
                  "write 'horizon: {start: 2024, end: 2045}'");
          continue;
        }
        (key[0] == 's' ? s.horizon.start_year : s.horizon.end_year) =
            b.year(*y, "horizon " + std::string(key)).value_or(0);
      }
    }
  } else {
    b.error({file, 1, 1}, "scenario has no 'horizon'", "add 'horizon: {start: 2024, end: 2045}'");
  }
  if (const RawNode* r = root.find("resolution")) {
    if (b.expect_scalar(*r, "resolution")) {
      if (r->scalar == "month") {
        s.resolution = Resolution::Month;
      } else if (r->scalar != "year") {
        b.error(r->where, "unknown resolution '" + r->scalar + "'",
                did_you_mean(r->scalar, {"year", "month"}));
      }
    }
  }
  if (const RawNode* c = root.find("commodities")) b.commodities(*c, s);
  if (const RawNode* e = root.find("economics")) b.scenario_economics(*e, s);
  auto list = [&](const char* key) -> const std::vector<RawNode>* {
    const RawNode* l = root.find(key);
    if (!l || l->kind == RawNode::Kind::Null) return nullptr;
    if (!l->is_seq()) return nullptr;  // reported by the loader
    return &l->seq;
  };
  // Reserved up front: a Pipeline is about 2 KB and a Node 1.4 KB, so growing the vectors by
  // doubling would hold the old and the new array at once (about 3x the final size at peak) on
  // networks of tens of thousands of entities.
  if (auto* nodes = list("nodes")) {
    s.nodes.reserve(nodes->size());
    for (const RawNode& n : *nodes) {
      if (n.is_map()) s.nodes.push_back(b.node(n, s));
    }
  }
  if (auto* pipes = list("pipelines")) {
    std::unordered_map<std::string, Commodity> node_commodity;  // the last node of an id wins
    for (const Node& node : s.nodes) node_commodity[node.id] = node.commodity;
    s.pipelines.reserve(pipes->size());
    for (const RawNode& n : *pipes) {
      if (n.is_map()) s.pipelines.push_back(b.pipeline(n, s, node_commodity));
    }
  }
  if (auto* routes = list("routes")) {
    s.routes.reserve(routes->size());
    for (const RawNode& n : *routes) {
      if (n.is_map()) s.routes.push_back(b.route(n, s));
    }
  }
  if (auto* contracts = list("contracts")) {
    for (const RawNode& n : *contracts) {
      if (n.is_map()) s.contracts.push_back(b.contract(n, s));
    }
  }
  if (auto* projects = list("projects")) {
    for (const RawNode& n : *projects) {
      if (n.is_map()) s.projects.push_back(b.project(n, s));
    }
  }
  apply_projects(s);
  b.convert_capex(s);
  if (auto* events = list("events")) {
    for (const RawNode& n : *events) {
      if (n.is_map()) s.events.push_back(b.event(n, s));
    }
  }
  if (auto* areas = list("areas")) {
    for (const RawNode& n : *areas) {
      if (n.is_map()) s.areas.push_back(b.area(n));
    }
  }
  // Last: sample paths name the entities above.
  if (const RawNode* u = root.find("uncertainty")) b.uncertainty(*u, s);
  return s;
}

}  // namespace corridor
