// RawNode tree -> Scenario: the schema. Every key, type and unit is checked here, and every
// problem is collected before the caller decides to fail.
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>

#include "raw_tree.h"

namespace corridor {
namespace {

const std::vector<std::string> kTopKeys = {
    "name",  "description", "extends", "horizon", "resolution",   "commodities",
    "nodes", "pipelines",   "routes",  "remove",  "alternatives", "note"};
const std::vector<std::string> kHorizonKeys = {"start", "end"};
const std::vector<std::string> kGasKeys = {"heating_value", "lng_expansion"};
const std::vector<std::string> kOilKeys = {"heating_value", "density"};
const std::vector<std::string> kNodeKeys = {"id",     "kind",   "commodity", "country",
                                            "note",   "capacity", "cost",    "demand",
                                            "priority", "profile"};
const std::vector<std::string> kPipelineKeys = {
    "id",       "from",    "to",     "commodity", "bidirectional", "capacity",
    "availability", "ramp_up", "online", "retire", "length", "diameter", "max_pressure",
    "tariff",   "transit_country", "note"};
const std::vector<std::string> kRouteKeys = {"id", "pipelines", "meter", "note"};

struct Builder {
  std::vector<Diagnostic>& diags;

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

  bool expect_scalar(const RawNode& n, const std::string& what) {
    if (n.is_scalar()) return true;
    error(n.where, what + " must be a single value, not a " +
                       (n.is_map() ? "map" : n.is_seq() ? "list" : "empty value"));
    return false;
  }

  std::optional<std::string> text(const RawNode& map, std::string_view key, const std::string& what) {
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

  std::optional<int> year(const RawNode& n, const std::string& what) {
    auto v = integer(n, what);
    if (!v) return std::nullopt;
    if (*v < 1900 || *v > 2200) {
      error(n.where, what + " " + std::to_string(*v) + " is not a plausible year",
            "years must lie between 1900 and 2200");
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }

  std::optional<YearMonth> year_month(const RawNode& n, const std::string& what) {
    if (!expect_scalar(n, what)) return std::nullopt;
    const std::string& s = n.scalar;
    const auto dash = s.find('-');
    if (dash == std::string::npos) {
      auto y = year(n, what);
      if (!y) return std::nullopt;
      return YearMonth{*y, 0};
    }
    RawNode y = n, m = n;
    y.scalar = s.substr(0, dash);
    m.scalar = s.substr(dash + 1);
    auto yv = year(y, what);
    auto mv = integer(m, what + " month");
    if (!yv || !mv) return std::nullopt;
    if (*mv < 1 || *mv > 12) {
      error(n.where, what + " month must be 01 to 12, got '" + s + "'",
            "write a year (2031) or a year and month (\"2031-07\")");
      return std::nullopt;
    }
    return YearMonth{*yv, static_cast<int>(*mv)};
  }

  std::optional<bool> boolean(const RawNode& n, const std::string& what) {
    if (!expect_scalar(n, what)) return std::nullopt;
    if (n.scalar == "true") return true;
    if (n.scalar == "false") return false;
    error(n.where, what + " must be true or false, got '" + n.scalar + "'");
    return std::nullopt;
  }

  std::optional<double> quantity(const RawNode& n, Dimension d, Commodity c,
                                 const CommodityProps& p, const std::string& what) {
    if (!expect_scalar(n, what)) return std::nullopt;
    ParsedQuantity q = parse_quantity(n.scalar, d, c, p);
    if (!q.ok()) {
      error(n.where, what + ": " + q.error);
      return std::nullopt;
    }
    return q.value;
  }

  /// A scalar, or {year: value, ..., interpolation: step|linear}.
  Series series(const RawNode& n, Dimension d, Commodity c, const CommodityProps& p,
                const std::string& what) {
    Series s;
    s.where = n.where;
    if (!n.is_map()) {
      if (auto v = quantity(n, d, c, p, what)) s.points[0] = *v;
      return s;
    }
    for (const RawNode::Entry& e : n.map) {
      if (e.key == "interpolation") {
        if (e.value.is_scalar() && e.value.scalar == "linear") {
          s.interpolation = Interpolation::Linear;
        } else if (!(e.value.is_scalar() && e.value.scalar == "step")) {
          error(e.value.where, "interpolation of " + what + " must be 'step' or 'linear'",
                did_you_mean(e.value.scalar, {"step", "linear"}));
        }
        continue;
      }
      RawNode key;
      key.kind = RawNode::Kind::Scalar;
      key.scalar = e.key;
      key.where = e.key_where;
      auto y = integer(key, "year key of " + what);
      if (!y) continue;
      if (*y < 1900 || *y > 2200) {
        error(e.key_where, "year key " + e.key + " of " + what + " is not a plausible year",
              "write {2030: 10 bcm/y, 2035: 20 bcm/y}, or interpolation: step|linear");
        continue;
      }
      if (auto v = quantity(e.value, d, c, p, what + " in " + e.key)) s.points[static_cast<int>(*y)] = *v;
    }
    if (s.points.empty()) error(n.where, what + " has no values", "write {2030: 10 bcm/y}");
    return s;
  }

  std::vector<double> fractions(const RawNode& n, const std::string& what) {
    std::vector<double> out;
    if (!n.is_seq()) {
      error(n.where, what + " must be a list of numbers", "write [0.2, 0.5, 0.8]");
      return out;
    }
    for (const RawNode& x : n.seq) {
      if (auto v = quantity(x, Dimension::Fraction, Commodity::Gas, {}, what)) out.push_back(*v);
    }
    return out;
  }

  void commodities(const RawNode& n, Scenario& s) {
    if (!n.is_map()) {
      error(n.where, "'commodities' must be a map", "write 'commodities: {gas: {heating_value: 38 MJ/m3}}'");
      return;
    }
    for (const RawNode::Entry& e : n.map) {
      const auto c = parse_commodity(e.key);
      if (!c) {
        error(e.key_where, "unknown commodity '" + e.key + "'", did_you_mean(e.key, {"gas", "oil"}));
        continue;
      }
      if (!e.value.is_map()) {
        error(e.value.where, "settings of " + e.key + " must be a map");
        continue;
      }
      CommodityProps& p = *c == Commodity::Gas ? s.gas : s.oil;
      check_keys(e.value, *c == Commodity::Gas ? kGasKeys : kOilKeys, e.key + " settings");
      if (const RawNode* hv = e.value.find("heating_value")) {
        const Dimension d = *c == Commodity::Gas ? Dimension::GasHeatingValue : Dimension::OilHeatingValue;
        if (auto v = quantity(*hv, d, *c, p, e.key + " heating_value")) p.heating_value = *v;
      }
      const char* second = *c == Commodity::Gas ? "lng_expansion" : "density";
      if (const RawNode* x = e.value.find(second)) {
        const Dimension d = *c == Commodity::Gas ? Dimension::LngExpansion : Dimension::Density;
        if (auto v = quantity(*x, d, *c, p, e.key + " " + second)) p.density_or_lng = *v;
      }
      for (double v : {p.heating_value, p.density_or_lng}) {
        if (!(v > 0.0)) error(e.value.where, e.key + " settings must be positive");
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
    if (const RawNode* k = n.find("kind")) {
      static const std::vector<std::string> kinds = {"supply", "demand", "junction", "border"};
      if (expect_scalar(*k, "kind of " + what)) {
        const auto it = std::find(kinds.begin(), kinds.end(), k->scalar);
        if (it == kinds.end()) {
          error(k->where, "unknown kind '" + k->scalar + "' of " + what, did_you_mean(k->scalar, kinds));
        } else {
          out.kind = static_cast<NodeKind>(it - kinds.begin());
        }
      }
    } else {
      error(n.where, what + " has no 'kind'", "add 'kind: supply', 'demand', 'junction' or 'border'");
    }
    if (const RawNode* c = n.find("commodity")) {
      if (expect_scalar(*c, "commodity of " + what)) {
        if (auto cc = parse_commodity(c->scalar)) {
          out.commodity = *cc;
          out.commodity_given = true;
        } else {
          error(c->where, "unknown commodity '" + c->scalar + "' of " + what,
                did_you_mean(c->scalar, {"gas", "oil"}));
        }
      }
    }
    if (auto t = text(n, "country", what)) out.country = *t;
    const CommodityProps& p = props(s, out.commodity);
    auto only_for = [&](const char* key, NodeKind kind) {
      const RawNode::Entry* e = n.find_entry(key);
      if (e && out.kind != kind) {
        error(e->key_where,
              "'" + std::string(key) + "' does not apply to " +
                  std::string(node_kind_name(out.kind)) + " " + what,
              "'" + std::string(key) + "' belongs to " + std::string(node_kind_name(kind)) + " nodes");
        return static_cast<const RawNode*>(nullptr);
      }
      return e ? &e->value : nullptr;
    };
    if (const RawNode* c = only_for("capacity", NodeKind::Supply)) {
      out.capacity = series(*c, Dimension::FlowRate, out.commodity, p, "capacity of " + what);
      out.capacity_where = c->where;
    }
    if (const RawNode* c = only_for("cost", NodeKind::Supply)) {
      if (auto v = quantity(*c, Dimension::UnitCost, out.commodity, p, "cost of " + what)) out.cost = *v;
    }
    if (const RawNode* d = only_for("demand", NodeKind::Demand)) {
      out.demand = series(*d, Dimension::FlowRate, out.commodity, p, "demand of " + what);
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
      if (pf->is_seq()) {
        for (const RawNode& x : pf->seq) {
          if (auto v = quantity(x, Dimension::Fraction, out.commodity, p, "profile of " + what)) {
            out.profile.push_back(*v);
          }
        }
      } else {
        error(pf->where, "profile of " + what + " must be a list of 12 monthly weights");
      }
    }
    if (out.kind == NodeKind::Supply && out.capacity.points.empty()) out.capacity = constant_series(0.0);
    if (out.kind == NodeKind::Demand && out.demand.points.empty()) out.demand = constant_series(0.0);
    return out;
  }

  Pipeline pipeline(const RawNode& n, const Scenario& s) {
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
    out.commodity = Commodity::Gas;
    for (const Node& node : s.nodes) {
      if (node.id == out.from) out.commodity = node.commodity;
    }
    if (const RawNode* c = n.find("commodity")) {
      if (expect_scalar(*c, "commodity of " + what)) {
        if (auto cc = parse_commodity(c->scalar)) {
          out.commodity = *cc;
        } else {
          error(c->where, "unknown commodity '" + c->scalar + "' of " + what,
                did_you_mean(c->scalar, {"gas", "oil"}));
        }
      }
    }
    const CommodityProps& p = props(s, out.commodity);
    if (const RawNode* b = n.find("bidirectional")) {
      if (auto v = boolean(*b, "bidirectional of " + what)) out.bidirectional = *v;
    }
    if (const RawNode* c = n.find("capacity")) {
      out.capacity = series(*c, Dimension::FlowRate, out.commodity, p, "capacity of " + what);
      out.capacity_where = c->where;
    } else {
      error(n.where, what + " has no 'capacity'", "add for example 'capacity: 38 bcm/y'");
    }
    if (const RawNode* a = n.find("availability")) {
      out.availability = series(*a, Dimension::Fraction, out.commodity, p, "availability of " + what);
      out.availability_where = a->where;
    }
    if (const RawNode* r = n.find("ramp_up")) {
      out.ramp_up = fractions(*r, "ramp_up of " + what);
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
      out.length_km = quantity(*l, Dimension::Length, out.commodity, p, "length of " + what);
    }
    if (const RawNode* d = n.find("diameter")) {
      out.diameter_mm = quantity(*d, Dimension::Diameter, out.commodity, p, "diameter of " + what);
    }
    if (const RawNode* m = n.find("max_pressure")) {
      out.max_pressure_mpa = quantity(*m, Dimension::Pressure, out.commodity, p, "max_pressure of " + what);
    }
    if (const RawNode* t = n.find("tariff")) {
      out.tariff_where = t->where;
      if (expect_scalar(*t, "tariff of " + what)) {
        // Per distance if the unit has a second '/': "1.2 USD/kcm/100km".
        const bool per_distance = std::count(t->scalar.begin(), t->scalar.end(), '/') >= 2;
        const Dimension d = per_distance ? Dimension::UnitCostPerDistance : Dimension::UnitCost;
        if (auto v = quantity(*t, d, out.commodity, p, "tariff of " + what)) {
          out.tariff = *v;
          out.tariff_kind = per_distance ? TariffKind::PerUnitDistance : TariffKind::PerUnit;
          if (per_distance && !n.find("length")) {
            error(t->where, "tariff of " + what + " is per distance but the pipeline has no 'length'",
                  "add 'length: ... km' or give the tariff per unit (USD/kcm)");
          }
        }
      }
    }
    if (auto tc = text(n, "transit_country", what)) out.transit_country = *tc;
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
      for (const RawNode& x : p->seq) {
        if (!expect_scalar(x, "pipeline of " + what)) continue;
        out.pipelines.push_back(x.scalar);
        out.pipeline_where.push_back(x.where);
      }
    }
    if (const RawNode* m = n.find("meter")) {
      if (expect_scalar(*m, "meter of " + what)) out.meter = m->scalar;
      out.meter_where = m->where;
    }
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
  s.case_name = case_name;
  b.check_keys(root, kTopKeys, "scenario");
  if (const RawNode* h = root.find("horizon")) {
    s.horizon.where = h->where;
    if (!h->is_map()) {
      b.error(h->where, "'horizon' must be a map", "write 'horizon: {start: 2024, end: 2045}'");
    } else {
      b.check_keys(*h, kHorizonKeys, "horizon");
      const RawNode* start = h->find("start");
      const RawNode* end = h->find("end");
      if (!start || !end) b.error(h->where, "horizon needs 'start' and 'end'", "write 'horizon: {start: 2024, end: 2045}'");
      if (start) s.horizon.start_year = b.year(*start, "horizon start").value_or(0);
      if (end) s.horizon.end_year = b.year(*end, "horizon end").value_or(0);
    }
  } else {
    b.error({file, 1, 1}, "scenario has no 'horizon'", "add 'horizon: {start: 2024, end: 2045}'");
  }
  if (const RawNode* r = root.find("resolution")) {
    if (b.expect_scalar(*r, "resolution")) {
      if (r->scalar == "month") {
        s.resolution = Resolution::Month;
      } else if (r->scalar != "year") {
        b.error(r->where, "unknown resolution '" + r->scalar + "'", did_you_mean(r->scalar, {"year", "month"}));
      }
    }
  }
  if (const RawNode* c = root.find("commodities")) b.commodities(*c, s);
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
    for (const RawNode& n : *pipes) {
      if (n.is_map()) s.pipelines.push_back(b.pipeline(n, s));
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
