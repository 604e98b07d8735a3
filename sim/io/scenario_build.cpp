// RawNode tree -> Scenario: the schema. Every key, type and unit is checked here, and every
// problem is collected before the caller decides to fail.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <set>
#include <unordered_map>

#include "corridor/csv.h"
#include "corridor/text.h"
#include "raw_tree.h"

namespace corridor {
namespace {

const std::vector<std::string> kTopKeys = {
    "name",  "description", "extends", "horizon", "resolution",   "commodities",
    "nodes", "pipelines",   "routes",  "remove",  "alternatives", "economics"};
const std::vector<std::string> kHorizonKeys = {"start", "end"};
const std::vector<std::string> kEconomicsKeys = {"discount_rate", "lifetime"};
const std::vector<std::string> kGasKeys = {"heating_value", "lng_expansion"};
const std::vector<std::string> kOilKeys = {"heating_value", "density"};
const std::vector<std::string> kNodeKeys = {"id",       "kind", "commodity", "country",  "note",
                                            "capacity", "cost", "demand",    "priority", "profile"};
const std::vector<std::string> kPipelineKeys = {
    "id",          "from",         "to",           "commodity", "bidirectional",
    "capacity",    "availability", "ramp_up",      "online",    "retire",
    "length",      "diameter",     "max_pressure", "tariff",    "transit_country",
    "transit_fee", "capex",        "opex",         "lifetime",  "discount_rate",
    "capex_start", "note"};
const std::vector<std::string> kRouteKeys = {"id",   "pipelines", "meter",         "capex",
                                             "opex", "lifetime",  "discount_rate", "capex_start",
                                             "note"};

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
    const std::string got = ", got '" + n.scalar + "'";
    switch (bound) {
      case Bound::Any:
        break;
      case Bound::NonNegative:
        if (q.value < 0.0) {
          error(n.where, what + " must not be negative" + got,
                bound_hint.empty() ? "use 0 for none" : bound_hint);
          return std::nullopt;
        }
        break;
      case Bound::Positive:
        if (!(q.value > 0.0)) {
          error(n.where, what + " must be positive" + got, bound_hint);
          return std::nullopt;
        }
        break;
      case Bound::Fraction:
        if (q.value < 0.0 || q.value > 1.0) {
          error(n.where, what + " must lie in [0, 1]" + got,
                bound_hint.empty() ? "write a fraction such as 0.95 or 95 %" : bound_hint);
          return std::nullopt;
        }
        break;
      case Bound::Rate:
        if (q.value < 0.0 || q.value >= 1.0) {
          error(n.where, what + " must lie in [0, 1)" + got, bound_hint);
          return std::nullopt;
        }
        break;
    }
    if (const double limit = magnitude_limit(d); std::abs(q.value) > limit) {
      error(n.where, what + " is too large to be real" + got,
            "the limit is " + format_quantity(limit, d, c) + "; check the unit and the exponent");
      return std::nullopt;
    }
    return q.value;
  }

  /// A scalar, or {year: value, ..., interpolation: step|linear}.
  Series series(const RawNode& n, Dimension d, Commodity c, const CommodityProps& p,
                const std::string& what, Bound bound) {
    Series s;
    s.where = n.where;
    if (!n.is_map()) {
      if (auto v = quantity(n, d, c, p, what, bound)) s.points[0] = *v;
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
      any_year = true;
      const auto y = digits(e.key);
      if (!y) {
        const bool typo = !closest_match(e.key, {"interpolation"}).empty();
        error(e.key_where, "key '" + e.key + "' of " + what + " is not a year",
              typo ? "did you mean 'interpolation'?"
                   : "write {2030: 10 bcm/y, 2035: 20 bcm/y, interpolation: linear}");
        continue;
      }
      if (*y < kEarliestYear || *y > kLatestYear) {
        error(e.key_where, "year " + e.key + " of " + what + " is not a plausible year",
              kPlausibleYearsHint);
        continue;
      }
      if (auto v = quantity(e.value, d, c, p, what + " in " + e.key, bound)) {
        s.points[static_cast<int>(*y)] = *v;
      }
    }
    if (!any_year) error(n.where, what + " has no values", "write {2030: 10 bcm/y}");
    return s;
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

  /// `capex`: an amount of money (the total), or money per length when the unit ends in
  /// "/km". A value that parses as neither is reported with both groups of units.
  void capex(const RawNode& n, const std::string& what, Economics& e) {
    e.capex_where = n.where;
    if (!expect_scalar(n, what)) return;
    const bool per_km = trim(n.scalar).ends_with("/km");
    const Dimension d = per_km ? Dimension::MoneyPerLength : Dimension::Money;
    const CommodityProps p = default_props(Commodity::Gas);  // money needs no properties
    if (ParsedQuantity q = parse_quantity(n.scalar, d, Commodity::Gas, p); !q.ok()) {
      const QuantityError& e = *q.error;
      error(n.where, what + ": " + e.message,
            !e.lists_units
                ? e.hint
                : units_hint(e.suggestion,
                             accepted_units(Dimension::Money, Commodity::Gas) + " (in total), or " +
                                 accepted_units(Dimension::MoneyPerLength, Commodity::Gas) +
                                 " (per km of length)"));
      return;
    }
    const auto v = quantity(n, d, Commodity::Gas, p, what, Bound::NonNegative);
    if (!v) return;
    (per_km ? e.capex_musd_per_km : e.capex_musd) = *v;
  }

  /// The economics keys of a pipeline or a route: capex, opex, lifetime, discount_rate,
  /// capex_start.
  Economics economics(const RawNode& n, const std::string& of_what) {
    Economics e;
    const CommodityProps p = default_props(Commodity::Gas);  // none of them needs properties
    if (const RawNode* c = n.find("capex")) capex(*c, "capex of " + of_what, e);
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

  Node node(const RawNode& n, const Scenario& s) {
    Node out;
    out.where = n.where;
    const std::string id = n.find("id") && n.find("id")->is_scalar() ? n.find("id")->scalar : "";
    out.id = id;
    const std::string what = "node '" + id + "'";
    check_keys(n, kNodeKeys, what);
    bool kind_known = false;
    if (const RawNode* k = n.find("kind")) {
      static const std::vector<std::string> kinds = {"supply", "demand", "junction", "border"};
      if (expect_scalar(*k, "kind of " + what)) {
        const auto it = std::find(kinds.begin(), kinds.end(), k->scalar);
        if (it == kinds.end()) {
          error(k->where, "unknown kind '" + k->scalar + "' of " + what,
                did_you_mean(k->scalar, kinds));
        } else {
          out.kind = static_cast<NodeKind>(it - kinds.begin());
          kind_known = true;
        }
      }
    } else {
      error(n.where, what + " has no 'kind'",
            "add 'kind: supply', 'demand', 'junction' or 'border'");
    }
    commodity(n, what, out.commodity);
    if (n.find("commodity")) {
      said_commodity.insert(id);
    } else {
      warn_mass_unit(n, what, {"capacity", "demand"}, s.gas);
    }
    if (auto t = text(n, "country", what)) out.country = *t;
    const CommodityProps& p = props(s, out.commodity);
    // A kind-specific key on a node of another kind. With no valid kind there is nothing to
    // check against (that is reported above), but the value is still read for its own errors.
    auto only_for = [&](const char* key, NodeKind kind) {
      const RawNode::Entry* e = n.find_entry(key);
      if (e && kind_known && out.kind != kind) {
        error(e->key_where,
              "'" + std::string(key) + "' does not apply to " +
                  std::string(node_kind_name(out.kind)) + " " + what,
              "'" + std::string(key) + "' belongs to " + std::string(node_kind_name(kind)) +
                  " nodes");
        return static_cast<const RawNode*>(nullptr);
      }
      return e ? &e->value : nullptr;
    };
    if (const RawNode* c = only_for("capacity", NodeKind::Supply)) {
      out.capacity = series(*c, Dimension::FlowRate, out.commodity, p, "capacity of " + what,
                            Bound::NonNegative);
      out.capacity_where = c->where;
    }
    if (const RawNode* c = only_for("cost", NodeKind::Supply)) {
      if (auto v = quantity(*c, Dimension::UnitCost, out.commodity, p, "cost of " + what,
                            Bound::NonNegative)) {
        out.cost = *v;
      }
    }
    if (const RawNode* d = only_for("demand", NodeKind::Demand)) {
      out.demand = series(*d, Dimension::FlowRate, out.commodity, p, "demand of " + what,
                          Bound::NonNegative);
      out.demand_where = d->where;
    }
    if (const RawNode* pr = only_for("priority", NodeKind::Demand)) {
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
    if (const RawNode* pf = only_for("profile", NodeKind::Demand)) {
      out.profile_where = pf->where;
      out.profile = list_of(*pf, Dimension::Fraction, out.commodity, p, "profile of " + what,
                            Bound::NonNegative, "list 12 monthly weights, January first");
    }
    if (out.kind == NodeKind::Supply && out.capacity.points.empty()) {
      out.capacity = constant_series(0.0);
    }
    if (out.kind == NodeKind::Demand && out.demand.points.empty()) {
      out.demand = constant_series(0.0);
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
      out.length_km = quantity(*l, Dimension::Length, out.commodity, p, "length of " + what,
                               Bound::Positive, "give the route length, e.g. 250 km");
    }
    if (const RawNode* d = n.find("diameter")) {
      out.diameter_mm = quantity(*d, Dimension::Diameter, out.commodity, p, "diameter of " + what,
                                 Bound::Positive, "give the outer diameter, e.g. 1420 mm");
    }
    if (const RawNode* m = n.find("max_pressure")) {
      out.max_pressure_mpa =
          quantity(*m, Dimension::Pressure, out.commodity, p, "max_pressure of " + what,
                   Bound::Positive, "give the maximum operating pressure, e.g. 9.8 MPa");
    }
    if (const RawNode* t = n.find("tariff")) {
      out.tariff_where = t->where;
      if (expect_scalar(*t, "tariff of " + what)) {
        // Per distance if the unit has a second '/': "1.2 USD/kcm/100km".
        const bool per_distance = std::count(t->scalar.begin(), t->scalar.end(), '/') >= 2;
        const Dimension d = per_distance ? Dimension::UnitCostPerDistance : Dimension::UnitCost;
        if (auto v = quantity(*t, d, out.commodity, p, "tariff of " + what, Bound::NonNegative)) {
          out.tariff = *v;
          out.tariff_kind = per_distance ? TariffKind::PerUnitDistance : TariffKind::PerUnit;
          if (per_distance && !n.find("length")) {
            error(t->where,
                  "tariff of " + what + " is per distance but the pipeline has no 'length'",
                  "add 'length: ... km' or give the tariff per unit (" +
                      std::string(cost_unit(out.commodity)) + ")");
          }
        }
      }
    }
    if (auto tc = text(n, "transit_country", what)) out.transit_country = *tc;
    if (const RawNode* f = n.find("transit_fee")) {
      out.transit_fee_where = f->where;
      if (auto v = quantity(*f, Dimension::UnitCost, out.commodity, p, "transit_fee of " + what,
                            Bound::NonNegative)) {
        out.transit_fee = *v;
      }
    }
    out.economics = economics(n, what);
    return out;
  }

  Route route(const RawNode& n) {
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
    out.economics = economics(n, what);
    return out;
  }
};

}  // namespace

Scenario build_scenario(const RawNode& root, const std::string& file, const std::string& name,
                        const std::string& case_name, std::vector<Diagnostic>& diags) {
  Builder b{diags};
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
  if (auto* nodes = list("nodes")) {
    for (const RawNode& n : *nodes) {
      if (n.is_map()) s.nodes.push_back(b.node(n, s));
    }
  }
  if (auto* pipes = list("pipelines")) {
    std::unordered_map<std::string, Commodity> node_commodity;  // the last node of an id wins
    for (const Node& node : s.nodes) node_commodity[node.id] = node.commodity;
    for (const RawNode& n : *pipes) {
      if (n.is_map()) s.pipelines.push_back(b.pipeline(n, s, node_commodity));
    }
  }
  if (auto* routes = list("routes")) {
    for (const RawNode& n : *routes) {
      if (n.is_map()) s.routes.push_back(b.route(n));
    }
  }
  return s;
}

}  // namespace corridor
