#include "corridor/param_path.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <stdexcept>
#include <variant>

#include "corridor/text.h"

namespace corridor {
namespace {

// ---------------------------------------------------------------------------------------------
// Sections: the lists of the scenario that paths index, and the singleton `economics`.

enum class On { Node, Pipeline, Route, Scenario };

struct SectionDef {
  std::string_view name;
  std::string_view singular;  // "pipeline", for messages
  On on;
  std::optional<NodeKind> only;  // `supplies` and `demands` are nodes of one kind
};

constexpr SectionDef kSections[] = {
    {"nodes", "node", On::Node, std::nullopt},
    {"supplies", "supply", On::Node, NodeKind::Supply},
    {"demands", "demand node", On::Node, NodeKind::Demand},
    {"pipelines", "pipeline", On::Pipeline, std::nullopt},
    {"routes", "route", On::Route, std::nullopt},
    {"economics", "economics", On::Scenario, std::nullopt},
};

// ---------------------------------------------------------------------------------------------
// The field table. Each entry: where it lives, its kind (from the accessor's type), effect,
// range, the node kind it belongs to, its dimension, where it is written, and what to do after
// a write. Accessors are generated from member pointers, so a field is one line.

using Access =
    std::variant<double* (*)(Scenario&, int), std::optional<double>* (*)(Scenario&, int),
                 Series* (*)(Scenario&, int), std::optional<YearMonth>* (*)(Scenario&, int),
                 int* (*)(Scenario&, int), std::vector<double>* (*)(Scenario&, int)>;
using DimensionFn = Dimension (*)(const Scenario&, int);
using WhereFn = SourceLocation (*)(const Scenario&, int);
using AfterWrite = void (*)(Scenario&, int);

template <auto M>
auto* node_field(Scenario& s, int i) {
  return &(s.nodes[i].*M);
}
template <auto M>
auto* pipeline_field(Scenario& s, int i) {
  return &(s.pipelines[i].*M);
}
template <auto M>
auto* pipeline_economics(Scenario& s, int i) {
  return &(s.pipelines[i].economics.*M);
}
template <auto M>
auto* route_economics(Scenario& s, int i) {
  return &(s.routes[i].economics.*M);
}
template <auto M>
auto* scenario_field(Scenario& s, int) {
  return &(s.*M);
}
// A capex is a total or per km of length, whichever the entity gives (a total when neither).
std::optional<double>* capex_of(Economics& e) {
  return e.capex_musd_per_km ? &e.capex_musd_per_km : &e.capex_musd;
}
std::optional<double>* pipeline_capex(Scenario& s, int i) {
  return capex_of(s.pipelines[i].economics);
}
std::optional<double>* route_capex(Scenario& s, int i) { return capex_of(s.routes[i].economics); }

template <Dimension D>
Dimension fixed(const Scenario&, int) {
  return D;
}
Dimension tariff_dimension(const Scenario& s, int i) {
  return s.pipelines[i].tariff_kind == TariffKind::PerUnitDistance ? Dimension::UnitCostPerDistance
                                                                   : Dimension::UnitCost;
}
Dimension pipeline_capex_dimension(const Scenario& s, int i) {
  return s.pipelines[i].economics.capex_musd_per_km ? Dimension::MoneyPerLength : Dimension::Money;
}
Dimension route_capex_dimension(const Scenario& s, int i) {
  return s.routes[i].economics.capex_musd_per_km ? Dimension::MoneyPerLength : Dimension::Money;
}

// Where a value is written: its own location when the loader recorded one, else the entity's.
template <auto W>
SourceLocation node_where(const Scenario& s, int i) {
  const SourceLocation& w = s.nodes[i].*W;
  return w.line > 0 ? w : s.nodes[i].where;
}
SourceLocation node_itself(const Scenario& s, int i) { return s.nodes[i].where; }
template <auto W>
SourceLocation pipeline_where(const Scenario& s, int i) {
  const SourceLocation& w = s.pipelines[i].*W;
  return w.line > 0 ? w : s.pipelines[i].where;
}
SourceLocation pipeline_itself(const Scenario& s, int i) { return s.pipelines[i].where; }
template <auto W>
SourceLocation pipeline_economics_where(const Scenario& s, int i) {
  const SourceLocation& w = s.pipelines[i].economics.*W;
  return w.line > 0 ? w : s.pipelines[i].where;
}
template <auto W>
SourceLocation route_economics_where(const Scenario& s, int i) {
  const SourceLocation& w = s.routes[i].economics.*W;
  return w.line > 0 ? w : s.routes[i].where;
}
SourceLocation economics_where(const Scenario& s, int) {
  return s.economics_where.line > 0 ? s.economics_where : SourceLocation{s.file, 0, 0};
}

// A tariff written where the pipeline had none is a tariff per unit.
void tariff_written(Scenario& s, int i) {
  // A value given for an unknown tariff makes it known.
  if (s.pipelines[i].tariff_kind == TariffKind::None ||
      s.pipelines[i].tariff_kind == TariffKind::Unknown) {
    s.pipelines[i].tariff_kind = TariffKind::PerUnit;
  }
}

/// A set of node kinds, one bit per kind; 0 for a field of every node (or of no node).
using KindSet = unsigned;
constexpr KindSet kind_bit(NodeKind k) { return 1u << static_cast<unsigned>(k); }

struct FieldDef {
  ParamField pub;
  On on;
  KindSet node_kinds = 0;  ///< the node kinds the field belongs to; 0: every node
  Access access;
  DimensionFn dimension;
  WhereFn where;
  AfterWrite after_write = nullptr;
};

constexpr ParamEffect kBounds = ParamEffect::Bounds, kCosts = ParamEffect::Costs,
                      kEconomics = ParamEffect::Economics, kInfo = ParamEffect::Information;
constexpr ParamRange kNonNeg = ParamRange::NonNegative, kPos = ParamRange::Positive,
                     kFrac = ParamRange::Fraction, kRate = ParamRange::Rate,
                     kYear = ParamRange::Year, kPriority = ParamRange::Priority;
constexpr KindSet kSupply = kind_bit(NodeKind::Supply);
constexpr KindSet kDemand = kind_bit(NodeKind::Demand);
constexpr KindSet kLng = kind_bit(NodeKind::Lng);  // a terminal's send_out is its capacity
using D = Dimension;

// The kind of a field follows from its accessor's type.
ParamKind kind_of(const Access& a) {
  switch (a.index()) {
    case 0:
      return ParamKind::Number;
    case 1:
      return ParamKind::OptionalNumber;
    case 2:
      return ParamKind::Series;
    case 3:
      return ParamKind::Date;
    case 4:
      return ParamKind::Integer;
    default:
      return ParamKind::List;
  }
}

FieldDef field(std::string_view section, std::string_view name, ParamEffect effect,
               ParamRange range, Access access, DimensionFn dimension, WhereFn where,
               KindSet node_kinds = 0, AfterWrite after = nullptr) {
  const std::string_view applies = node_kinds == 0                  ? ""
                                   : node_kinds == kSupply          ? "supply nodes"
                                   : node_kinds == kDemand          ? "demand nodes"
                                   : node_kinds == kLng             ? "lng nodes"
                                   : node_kinds == (kSupply | kLng) ? "supply and lng nodes"
                                                                    : "some nodes";
  const On on = section == "nodes"       ? On::Node
                : section == "pipelines" ? On::Pipeline
                : section == "routes"    ? On::Route
                                         : On::Scenario;
  return {{section, name, kind_of(access), effect, range, applies},
          on,
          node_kinds,
          access,
          dimension,
          where,
          after};
}

const std::vector<FieldDef>& table() {
  static const std::vector<FieldDef> fields = {
      // clang-format off
      // nodes
      field("nodes", "capacity", kBounds, kNonNeg, node_field<&Node::capacity>, fixed<D::FlowRate>, node_where<&Node::capacity_where>, kSupply),
      field("nodes", "send_out", kBounds, kNonNeg, node_field<&Node::capacity>, fixed<D::FlowRate>, node_where<&Node::capacity_where>, kLng),
      field("nodes", "cost", kCosts, kNonNeg, node_field<&Node::cost>, fixed<D::UnitCost>, node_itself, kSupply | kLng),
      field("nodes", "demand", kBounds, kNonNeg, node_field<&Node::demand>, fixed<D::FlowRate>, node_where<&Node::demand_where>, kDemand),
      field("nodes", "priority", kCosts, kPriority, node_field<&Node::priority>, fixed<D::Fraction>, node_where<&Node::priority_where>, kDemand),
      field("nodes", "profile", kBounds, kNonNeg, node_field<&Node::profile>, fixed<D::Fraction>, node_where<&Node::profile_where>, kDemand),
      field("nodes", "pressure", kInfo, kPos, node_field<&Node::pressure_mpa>, fixed<D::Pressure>, node_where<&Node::pressure_where>, kSupply),
      field("nodes", "min_pressure", kInfo, kPos, node_field<&Node::min_pressure_mpa>, fixed<D::Pressure>, node_where<&Node::min_pressure_where>),
      field("nodes", "max_pressure", kInfo, kPos, node_field<&Node::max_pressure_mpa>, fixed<D::Pressure>, node_where<&Node::max_pressure_where>),
      // pipelines
      field("pipelines", "capacity", kBounds, kNonNeg, pipeline_field<&Pipeline::capacity>, fixed<D::FlowRate>, pipeline_where<&Pipeline::capacity_where>),
      field("pipelines", "availability", kBounds, kFrac, pipeline_field<&Pipeline::availability>, fixed<D::Fraction>, pipeline_where<&Pipeline::availability_where>),
      field("pipelines", "ramp_up", kBounds, kFrac, pipeline_field<&Pipeline::ramp_up>, fixed<D::Fraction>, pipeline_where<&Pipeline::ramp_where>),
      field("pipelines", "online", kBounds, kYear, pipeline_field<&Pipeline::online>, fixed<D::Fraction>, pipeline_where<&Pipeline::online_where>),
      field("pipelines", "retire", kBounds, kYear, pipeline_field<&Pipeline::retire>, fixed<D::Fraction>, pipeline_where<&Pipeline::retire_where>),
      field("pipelines", "length", kCosts, kPos, pipeline_field<&Pipeline::length_km>, fixed<D::Length>, pipeline_itself),
      field("pipelines", "diameter", kInfo, kPos, pipeline_field<&Pipeline::diameter_mm>, fixed<D::Diameter>, pipeline_itself),
      field("pipelines", "max_pressure", kInfo, kPos, pipeline_field<&Pipeline::max_pressure_mpa>, fixed<D::Pressure>, pipeline_itself),
      field("pipelines", "wall_thickness", kInfo, kPos, pipeline_field<&Pipeline::wall_thickness_mm>, fixed<D::Diameter>, pipeline_where<&Pipeline::wall_thickness_where>),
      field("pipelines", "roughness", kInfo, kNonNeg, pipeline_field<&Pipeline::roughness_mm>, fixed<D::Diameter>, pipeline_where<&Pipeline::roughness_where>),
      field("pipelines", "outlet_pressure", kInfo, kPos, pipeline_field<&Pipeline::outlet_pressure_mpa>, fixed<D::Pressure>, pipeline_where<&Pipeline::outlet_pressure_where>),
      field("pipelines", "ratio", kInfo, kPos, pipeline_field<&Pipeline::set_ratio>, fixed<D::Ratio>, pipeline_where<&Pipeline::ratio_where>),
      field("pipelines", "drag_factor", kInfo, kNonNeg, pipeline_field<&Pipeline::drag_factor>, fixed<D::Ratio>, pipeline_where<&Pipeline::drag_where>),
      field("pipelines", "tariff", kCosts, kNonNeg, pipeline_field<&Pipeline::tariff>, tariff_dimension, pipeline_where<&Pipeline::tariff_where>, 0, tariff_written),
      field("pipelines", "transit_fee", kCosts, kNonNeg, pipeline_field<&Pipeline::transit_fee>, fixed<D::UnitCost>, pipeline_where<&Pipeline::transit_fee_where>),
      field("pipelines", "capex", kEconomics, kNonNeg, pipeline_capex, pipeline_capex_dimension, pipeline_economics_where<&Economics::capex_where>),
      field("pipelines", "opex", kEconomics, kFrac, pipeline_economics<&Economics::opex_fraction>, fixed<D::Fraction>, pipeline_economics_where<&Economics::opex_where>),
      field("pipelines", "lifetime", kEconomics, kPos, pipeline_economics<&Economics::lifetime_years>, fixed<D::Duration>, pipeline_economics_where<&Economics::lifetime_where>),
      field("pipelines", "discount_rate", kEconomics, kRate, pipeline_economics<&Economics::discount_rate>, fixed<D::Fraction>, pipeline_economics_where<&Economics::discount_rate_where>),
      field("pipelines", "capex_start", kEconomics, kYear, pipeline_economics<&Economics::capex_start>, fixed<D::Fraction>, pipeline_economics_where<&Economics::capex_start_where>),
      // routes
      field("routes", "capex", kEconomics, kNonNeg, route_capex, route_capex_dimension, route_economics_where<&Economics::capex_where>),
      field("routes", "opex", kEconomics, kFrac, route_economics<&Economics::opex_fraction>, fixed<D::Fraction>, route_economics_where<&Economics::opex_where>),
      field("routes", "lifetime", kEconomics, kPos, route_economics<&Economics::lifetime_years>, fixed<D::Duration>, route_economics_where<&Economics::lifetime_where>),
      field("routes", "discount_rate", kEconomics, kRate, route_economics<&Economics::discount_rate>, fixed<D::Fraction>, route_economics_where<&Economics::discount_rate_where>),
      field("routes", "capex_start", kEconomics, kYear, route_economics<&Economics::capex_start>, fixed<D::Fraction>, route_economics_where<&Economics::capex_start_where>),
      // economics (the scenario's defaults)
      field("economics", "discount_rate", kEconomics, kRate, scenario_field<&Scenario::discount_rate>, fixed<D::Fraction>, economics_where),
      field("economics", "lifetime", kEconomics, kPos, scenario_field<&Scenario::lifetime_years>, fixed<D::Duration>, economics_where),
      // clang-format on
  };
  return fields;
}

const FieldDef& def_of(const ParamField* f) {
  for (const FieldDef& d : table()) {
    if (&d.pub == f) return d;
  }
  throw std::logic_error("param_path: a field that is not in the table");
}

const SectionDef* section_named(std::string_view name) {
  for (const SectionDef& s : kSections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// The table's section for a section of the grammar: `supplies` and `demands` hold node fields.
std::string_view home_of(const SectionDef& s) {
  switch (s.on) {
    case On::Node:
      return "nodes";
    case On::Pipeline:
      return "pipelines";
    case On::Route:
      return "routes";
    case On::Scenario:
      return "economics";
  }
  return "";
}

/// The fields a section offers (for supplies and demands, the node fields of that kind).
std::vector<const FieldDef*> fields_of(const SectionDef& s) {
  std::vector<const FieldDef*> out;
  for (const FieldDef& d : table()) {
    if (d.pub.section != home_of(s)) continue;
    if (s.only && d.node_kinds != 0 && (d.node_kinds & kind_bit(*s.only)) == 0) continue;
    out.push_back(&d);
  }
  return out;
}

std::vector<std::string> names_of(const std::vector<const FieldDef*>& fields) {
  std::vector<std::string> out;
  for (const FieldDef* f : fields) out.emplace_back(f->pub.name);
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

/// The entities of a section: (index, id), filtered to the section's node kind.
std::vector<std::pair<int, std::string_view>> entities_of(const Scenario& s,
                                                          const SectionDef& sec) {
  std::vector<std::pair<int, std::string_view>> out;
  switch (sec.on) {
    case On::Node:
      for (int i = 0; i < static_cast<int>(s.nodes.size()); ++i) {
        if (sec.only && s.nodes[i].kind != *sec.only) continue;
        out.emplace_back(i, s.nodes[i].id);
      }
      break;
    case On::Pipeline:
      for (int i = 0; i < static_cast<int>(s.pipelines.size()); ++i) {
        out.emplace_back(i, s.pipelines[i].id);
      }
      break;
    case On::Route:
      for (int i = 0; i < static_cast<int>(s.routes.size()); ++i)
        out.emplace_back(i, s.routes[i].id);
      break;
    case On::Scenario:
      break;
  }
  return out;
}

bool applies(const FieldDef& d, const Scenario& s, int entity) {
  return d.node_kinds == 0 || (d.node_kinds & kind_bit(s.nodes[entity].kind)) != 0;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

/// A path split into its parts; `error` and `hint` say what is wrong with the text itself.
struct Split {
  const SectionDef* section = nullptr;
  std::string section_text, id, field;
  int index = -1;
  bool has_index = false;
};

constexpr const char* kGrammarHint =
    "write SECTION.ID.FIELD, e.g. pipelines.pos1.capacity, or economics.FIELD";

class Resolver {
 public:
  Resolver(const Scenario& s, std::string_view path, const SourceLocation& where,
           std::vector<Diagnostic>& diags)
      : s_(s), path_(trim(path)), where_(where), diags_(diags) {}

  /// Splits the path: section, id (may hold dots), field with optional [index]. With
  /// `want_field` false (outage targets) the text after the section is all id.
  std::optional<Split> split(bool want_field) {
    Split out;
    if (path_.empty()) return fail("empty parameter path", kGrammarHint);
    const std::size_t first = path_.find('.');
    out.section_text = std::string(path_.substr(0, first));
    out.section = section_named(out.section_text);
    if (!out.section) {
      return fail("unknown section " + quoted(out.section_text) + " in path " + quoted(path_),
                  did_you_mean(out.section_text, param_sections()));
    }
    if (first == std::string_view::npos) {
      return fail("path " + quoted(path_) + " names no " + (want_field ? "field" : "entity"),
                  want_field ? kGrammarHint : "write SECTION.ID, e.g. pipelines.pos1");
    }
    std::string_view rest = path_.substr(first + 1);
    if (!want_field) {
      if (out.section->on == On::Scenario) {
        return fail(quoted(out.section_text) + " has no entities to name",
                    "name pipelines or supplies, e.g. pipelines.pos1");
      }
      out.id = std::string(rest);
      if (out.id.empty()) return fail("path " + quoted(path_) + " names no id", kGrammarHint);
      return out;
    }
    const std::size_t last = rest.rfind('.');
    if (out.section->on == On::Scenario) {
      if (last != std::string_view::npos) {
        return fail(quoted(out.section_text) + " has no ids; path " + quoted(path_) + " names one",
                    "write economics.FIELD, e.g. economics.discount_rate");
      }
      out.field = std::string(rest);
    } else {
      if (last == std::string_view::npos) {
        return fail("path " + quoted(path_) + " names no field",
                    "write " + out.section_text + ".ID.FIELD; fields of " + out.section_text +
                        ": " + joined(names_of(fields_of(*out.section))));
      }
      out.id = std::string(rest.substr(0, last));
      out.field = std::string(rest.substr(last + 1));
      if (out.id.empty()) return fail("path " + quoted(path_) + " names no id", kGrammarHint);
    }
    if (const std::size_t open = out.field.find('['); open != std::string::npos) {
      const std::string inside = out.field.substr(open + 1);
      out.field.resize(open);
      int k = -1;
      const auto [end, ec] = std::from_chars(inside.data(), inside.data() + inside.size(), k);
      if (ec != std::errc() || k < 0 || std::string_view(end) != "]") {
        return fail("bad index in path " + quoted(path_),
                    "write a position from 0 in brackets, e.g. ramp_up[2]");
      }
      out.index = k;
      out.has_index = true;
    }
    return out;
  }

  std::vector<ParamTarget> targets() {
    std::optional<Split> sp = split(true);
    if (!sp) return {};
    const SectionDef& sec = *sp->section;
    const std::vector<const FieldDef*> fields = fields_of(sec);
    const FieldDef* f = nullptr;
    for (const FieldDef* d : fields) {
      if (d->pub.name == sp->field) f = d;
    }
    if (!f) {
      return fail_list("unknown field " + quoted(sp->field) + " of " + sp->section_text +
                           " in path " + quoted(path_),
                       did_you_mean(sp->field, names_of(fields)));
    }
    if (sp->has_index && f->pub.kind != ParamKind::List) {
      return fail_list(
          quoted(sp->field) + " is not a list, so path " + quoted(path_) + " cannot index it",
          "remove [" + std::to_string(sp->index) + "]");
    }
    if (sec.on == On::Scenario) return {ParamTarget{&f->pub, sec.name, -1, sp->index}};
    const auto all = entities_of(s_, sec);
    std::vector<ParamTarget> out;
    const bool pattern = sp->id.find('*') != std::string::npos;
    if (!pattern) {
      const auto it =
          std::find_if(all.begin(), all.end(), [&](const auto& e) { return e.second == sp->id; });
      if (it == all.end()) return unknown_id(sec, sp->section_text, sp->id, all);
      if (!applies(*f, s_, it->first)) {
        const Node& n = s_.nodes[it->first];
        return fail_list(quoted(sp->field) + " belongs to " + std::string(f->pub.applies_to) +
                             ", and node " + quoted(n.id) + " is a " +
                             std::string(node_kind_name(n.kind)) + " node (path " + quoted(path_) +
                             ")",
                         fields_for_kind(n.kind));
      }
      out.push_back({&f->pub, sec.name, it->first, sp->index});
    } else {
      for (const auto& [i, id] : all) {
        if (glob_match(sp->id, id) && applies(*f, s_, i)) {
          out.push_back({&f->pub, sec.name, i, sp->index});
        }
      }
      if (out.empty()) {
        std::vector<std::string> ids;
        for (const auto& [i, id] : all) ids.emplace_back(id);
        return fail_list(
            "pattern " + quoted(path_) + " matches no " + std::string(sec.singular) +
                (f->pub.applies_to.empty() ? std::string()
                                           : " among the " + std::string(f->pub.applies_to)),
            ids.empty() ? "there are no " + sp->section_text : did_you_mean("", ids));
      }
    }
    if (sp->has_index) {
      for (const ParamTarget& t : out) {
        const auto* list = std::get<std::vector<double>* (*)(Scenario&, int)>(f->access)(
            const_cast<Scenario&>(s_), t.entity);
        if (sp->index >= static_cast<int>(list->size()) && !pattern) {
          return fail_list(quoted(sp->field) + " of " + param_entity_name(s_, t) + " has " +
                               std::to_string(list->size()) + " entries, so path " + quoted(path_) +
                               " is out of range",
                           list->empty()
                               ? "it has none; give the list in the scenario first"
                               : "positions run from 0 to " + std::to_string(list->size() - 1));
        }
      }
      // A pattern keeps the entities whose list is long enough.
      std::erase_if(out, [&](const ParamTarget& t) { return !param_has_value(s_, t); });
      if (out.empty()) {
        return fail_list("pattern " + quoted(path_) + " matches no " + std::string(sec.singular) +
                             " with a " + sp->field + " entry at position " +
                             std::to_string(sp->index),
                         "check the position");
      }
    }
    return out;
  }

  std::vector<ParamTarget> entities() {
    std::optional<Split> sp = split(false);
    if (!sp) return {};
    const SectionDef& sec = *sp->section;
    const auto all = entities_of(s_, sec);
    std::vector<ParamTarget> out;
    for (const auto& [i, id] : all) {
      if (glob_match(sp->id, id)) out.push_back({nullptr, sec.name, i, -1});
    }
    if (out.empty()) {
      if (sp->id.find('*') == std::string::npos) {
        return unknown_id(sec, sp->section_text, sp->id, all);
      }
      std::vector<std::string> ids;
      for (const auto& [i, id] : all) ids.emplace_back(id);
      return fail_list("pattern " + quoted(path_) + " matches no " + std::string(sec.singular),
                       ids.empty() ? "there are no " + sp->section_text : did_you_mean("", ids));
    }
    return out;
  }

 private:
  std::nullopt_t fail(std::string message, std::string hint) {
    diags_.push_back({Severity::Error, where_, std::move(message), std::move(hint)});
    return std::nullopt;
  }
  std::vector<ParamTarget> fail_list(std::string message, std::string hint) {
    fail(std::move(message), std::move(hint));
    return {};
  }

  std::vector<ParamTarget> unknown_id(const SectionDef& sec, const std::string& section_text,
                                      const std::string& id,
                                      const std::vector<std::pair<int, std::string_view>>& all) {
    std::vector<std::string> ids;
    for (const auto& [i, e] : all) ids.emplace_back(e);
    // A node of another kind, named under supplies or demands: say what it is.
    if (sec.only) {
      for (const Node& n : s_.nodes) {
        if (n.id == id) {
          return fail_list(quoted(id) + " is a " + std::string(node_kind_name(n.kind)) +
                               " node, not one of the " + section_text + " (path " + quoted(path_) +
                               ")",
                           "write nodes." + id + ".FIELD, or name one of the " + section_text);
        }
      }
    }
    return fail_list(
        "unknown " + std::string(sec.singular) + " " + quoted(id) + " in path " + quoted(path_),
        ids.empty() ? "there are no " + section_text : did_you_mean(id, ids));
  }

  std::string fields_for_kind(NodeKind k) const {
    std::vector<std::string> names;
    for (const FieldDef& d : table()) {
      if (d.on == On::Node && (d.node_kinds == 0 || (d.node_kinds & kind_bit(k)) != 0)) {
        names.emplace_back(d.pub.name);
      }
    }
    if (names.empty()) return std::string(node_kind_name(k)) + " nodes have no numeric fields";
    return "fields of " + std::string(node_kind_name(k)) + " nodes: " + joined(names);
  }

  const Scenario& s_;
  std::string_view path_;
  SourceLocation where_;
  std::vector<Diagnostic>& diags_;
};

// ---------------------------------------------------------------------------------------------
// Values

double clamp_to(ParamRange r, double v, bool& clamped) {
  double lo = -HUGE_VAL, hi = HUGE_VAL;
  switch (r) {
    case ParamRange::Any:
      break;
    case ParamRange::NonNegative:
    case ParamRange::Positive:  // a positive field clamps to 0 at worst: validation's business
      lo = 0.0;
      break;
    case ParamRange::Fraction:
      lo = 0.0, hi = 1.0;
      break;
    case ParamRange::Rate:
      lo = 0.0, hi = std::nextafter(1.0, 0.0);
      break;
    case ParamRange::Year:
      lo = kEarliestYear, hi = kLatestYear + 11.0 / 12.0;
      break;
    case ParamRange::Priority:
      lo = 1.0, hi = 100.0;
      break;
  }
  if (std::isnan(v)) {
    clamped = true;
    return lo > -HUGE_VAL ? lo : 0.0;
  }
  if (v < lo) clamped = true, v = lo;
  if (v > hi) clamped = true, v = hi;
  return v;
}

template <typename T>
T* get(const FieldDef& d, Scenario& s, int entity) {
  return std::get<T* (*)(Scenario&, int)>(d.access)(s, entity);
}
template <typename T>
const T* get(const FieldDef& d, const Scenario& s, int entity) {
  return std::get<T* (*)(Scenario&, int)>(d.access)(const_cast<Scenario&>(s), entity);
}

std::string number_text(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "?";
}

std::string date_text(const YearMonth& d) {
  char buf[16];
  if (d.month == 0) return std::to_string(d.year);
  std::snprintf(buf, sizeof buf, "%d-%02d", d.year, d.month);
  return buf;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p, ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

const std::vector<ParamField>& param_fields() {
  static const std::vector<ParamField> out = [] {
    std::vector<ParamField> v;
    for (const FieldDef& d : table()) v.push_back(d.pub);
    return v;
  }();
  return out;
}

const std::vector<std::string>& param_sections() {
  static const std::vector<std::string> out = [] {
    std::vector<std::string> v;
    for (const SectionDef& s : kSections) v.emplace_back(s.name);
    return v;
  }();
  return out;
}

std::vector<ParamTarget> resolve_param(const Scenario& s, std::string_view path,
                                       const SourceLocation& where,
                                       std::vector<Diagnostic>& diags) {
  // The public ParamField pointers are the table's own, so that def_of() finds them.
  std::vector<ParamTarget> out = Resolver(s, path, where, diags).targets();
  return out;
}

std::vector<ParamTarget> resolve_entities(const Scenario& s, std::string_view path,
                                          const SourceLocation& where,
                                          std::vector<Diagnostic>& diags) {
  return Resolver(s, path, where, diags).entities();
}

std::string_view param_entity_id(const Scenario& s, const ParamTarget& t) {
  const SectionDef* sec = section_named(t.section);
  if (!sec || t.entity < 0) return "";
  switch (sec->on) {
    case On::Node:
      return s.nodes[t.entity].id;
    case On::Pipeline:
      return s.pipelines[t.entity].id;
    case On::Route:
      return s.routes[t.entity].id;
    case On::Scenario:
      return "";
  }
  return "";
}

std::string param_path(const Scenario& s, const ParamTarget& t) {
  std::string out(t.section);
  if (t.entity >= 0) out += "." + std::string(param_entity_id(s, t));
  if (t.field) out += "." + std::string(t.field->name);
  if (t.index >= 0) out += "[" + std::to_string(t.index) + "]";
  return out;
}

std::string param_entity_name(const Scenario& s, const ParamTarget& t) {
  const SectionDef* sec = section_named(t.section);
  if (!sec || sec->on == On::Scenario) return "economics";
  const std::string_view kind = sec->on == On::Node       ? "node"
                                : sec->on == On::Pipeline ? "pipeline"
                                                          : "route";
  return std::string(kind) + " " + quoted(param_entity_id(s, t));
}

Dimension param_dimension(const Scenario& s, const ParamTarget& t) {
  return def_of(t.field).dimension(s, t.entity);
}

Commodity param_commodity(const Scenario& s, const ParamTarget& t) {
  const SectionDef* sec = section_named(t.section);
  if (!sec || t.entity < 0) return Commodity::Gas;
  switch (sec->on) {
    case On::Node:
      return s.nodes[t.entity].commodity;
    case On::Pipeline:
      return s.pipelines[t.entity].commodity;
    case On::Route:
    case On::Scenario:
      break;
  }
  return Commodity::Gas;  // money needs no commodity
}

std::string param_unit(const Scenario& s, const ParamTarget& t) {
  const ParamKind k = t.field->kind;
  if (k == ParamKind::Date || k == ParamKind::Integer) return "";
  const std::string q = format_quantity(0.0, param_dimension(s, t), param_commodity(s, t));
  const std::size_t space = q.find(' ');
  return space == std::string::npos ? "" : q.substr(space + 1);
}

SourceLocation param_location(const Scenario& s, const ParamTarget& t) {
  if (!t.field) return SourceLocation{s.file, 0, 0};
  return def_of(t.field).where(s, t.entity);
}

bool param_has_value(const Scenario& s, const ParamTarget& t) {
  const FieldDef& d = def_of(t.field);
  switch (t.field->kind) {
    case ParamKind::OptionalNumber:
      return get<std::optional<double>>(d, s, t.entity)->has_value();
    case ParamKind::Date:
      return get<std::optional<YearMonth>>(d, s, t.entity)->has_value();
    case ParamKind::List: {
      const std::vector<double>& list = *get<std::vector<double>>(d, s, t.entity);
      return t.index < 0 ? !list.empty() : t.index < static_cast<int>(list.size());
    }
    case ParamKind::Number:
    case ParamKind::Series:
    case ParamKind::Integer:
      return true;
  }
  return false;
}

double read_param(const Scenario& s, const ParamTarget& t, int year) {
  if (!param_has_value(s, t)) {
    throw std::logic_error("read_param: " + param_path(s, t) + " has no value");
  }
  const FieldDef& d = def_of(t.field);
  switch (t.field->kind) {
    case ParamKind::Number:
      return *get<double>(d, s, t.entity);
    case ParamKind::OptionalNumber:
      return **get<std::optional<double>>(d, s, t.entity);
    case ParamKind::Series:
      return value_at(*get<Series>(d, s, t.entity), year);
    case ParamKind::Date:
      return decimal_year(**get<std::optional<YearMonth>>(d, s, t.entity));
    case ParamKind::Integer:
      return *get<int>(d, s, t.entity);
    case ParamKind::List: {
      const std::vector<double>& list = *get<std::vector<double>>(d, s, t.entity);
      return list[t.index < 0 ? 0 : t.index];
    }
  }
  return 0.0;
}

std::string format_param(const Scenario& s, const ParamTarget& t) {
  const FieldDef& d = def_of(t.field);
  const Dimension dim = param_dimension(s, t);
  const Commodity c = param_commodity(s, t);
  auto quantity = [&](double v) { return format_quantity(v, dim, c); };
  switch (t.field->kind) {
    case ParamKind::Number:
      return quantity(*get<double>(d, s, t.entity));
    case ParamKind::OptionalNumber: {
      const auto& v = *get<std::optional<double>>(d, s, t.entity);
      return v ? quantity(*v) : "none";
    }
    case ParamKind::Series: {
      const Series& v = *get<Series>(d, s, t.entity);
      if (v.points.size() == 1) return quantity(v.points.begin()->second);
      std::string out = "{";
      for (const auto& [year, x] : v.points) {
        out += (out.size() > 1 ? ", " : "") + std::to_string(year) + ": " + quantity(x);
      }
      if (v.interpolation == Interpolation::Linear) out += ", interpolation: linear";
      return out + "}";
    }
    case ParamKind::Date: {
      const auto& v = *get<std::optional<YearMonth>>(d, s, t.entity);
      return v ? date_text(*v) : "none";
    }
    case ParamKind::Integer:
      return std::to_string(*get<int>(d, s, t.entity));
    case ParamKind::List: {
      const std::vector<double>& list = *get<std::vector<double>>(d, s, t.entity);
      if (t.index >= 0) {
        return t.index < static_cast<int>(list.size()) ? number_text(list[t.index]) : "none";
      }
      std::string out = "[";
      for (double x : list) out += (out.size() > 1 ? ", " : "") + number_text(x);
      return out + "]";
    }
  }
  return "";
}

bool apply_param(const Scenario& base, Scenario& out, const ParamTarget& t, ParamMode mode,
                 double value) {
  const FieldDef& d = def_of(t.field);
  const ParamRange range = t.field->range;
  const bool relative = mode == ParamMode::Relative;
  bool clamped = false;
  auto changed = [&](double b) { return clamp_to(range, relative ? b * value : value, clamped); };
  switch (t.field->kind) {
    case ParamKind::Number:
      *get<double>(d, out, t.entity) = changed(*get<double>(d, base, t.entity));
      break;
    case ParamKind::OptionalNumber: {
      const std::optional<double>& b = *get<std::optional<double>>(d, base, t.entity);
      std::optional<double>& o = *get<std::optional<double>>(d, out, t.entity);
      if (!relative) {
        o = changed(0.0);
      } else if (b) {
        o = changed(*b);
      } else {
        o.reset();
      }
      break;
    }
    case ParamKind::Series: {
      const Series& b = *get<Series>(d, base, t.entity);
      Series& o = *get<Series>(d, out, t.entity);
      if (!relative) {
        o.points.clear();
        o.points[0] = changed(0.0);
        o.interpolation = Interpolation::Step;
      } else {
        // The base's points times the factor; in place when `o` has the same years already.
        const bool same_years =
            o.points.size() == b.points.size() &&
            std::equal(o.points.begin(), o.points.end(), b.points.begin(),
                       [](const auto& x, const auto& y) { return x.first == y.first; });
        if (!same_years) o.points = b.points;
        auto from = b.points.begin();
        for (auto& [year, x] : o.points) x = changed((from++)->second);
        o.interpolation = b.interpolation;
      }
      break;
    }
    case ParamKind::Date: {
      const std::optional<YearMonth>& b = *get<std::optional<YearMonth>>(d, base, t.entity);
      std::optional<YearMonth>& o = *get<std::optional<YearMonth>>(d, out, t.entity);
      if (!relative) {
        o = year_month_of(clamp_to(range, value, clamped));
      } else if (b) {
        o = year_month_of(clamp_to(range, decimal_year(*b) + value, clamped));
      } else {
        o.reset();
      }
      break;
    }
    case ParamKind::Integer: {
      const double v = std::floor(changed(*get<int>(d, base, t.entity)) + 0.5);
      *get<int>(d, out, t.entity) = static_cast<int>(clamp_to(range, v, clamped));
      break;
    }
    case ParamKind::List: {
      const std::vector<double>& b = *get<std::vector<double>>(d, base, t.entity);
      std::vector<double>& o = *get<std::vector<double>>(d, out, t.entity);
      o = b;
      for (int k = 0; k < static_cast<int>(o.size()); ++k) {
        if (t.index < 0 || k == t.index) o[k] = changed(b[k]);
      }
      break;
    }
  }
  if (d.after_write) d.after_write(out, t.entity);
  return clamped;
}

bool apply_param_by_year(const Scenario& base, Scenario& out, const ParamTarget& t, ParamMode mode,
                         int first_year, std::span<const double> values) {
  if (t.field->kind != ParamKind::Series) {
    throw std::logic_error("apply_param_by_year: " + param_path(base, t) + " is not a series");
  }
  const FieldDef& d = def_of(t.field);
  const Series& b = *get<Series>(d, base, t.entity);
  Series& o = *get<Series>(d, out, t.entity);
  bool clamped = false;
  auto value = [&](std::size_t k) {
    const int year = first_year + static_cast<int>(k);
    const double v = mode == ParamMode::Relative ? value_at(b, year) * values[k] : values[k];
    return clamp_to(t.field->range, v, clamped);
  };
  // A series that already has exactly these years (the previous draw's) takes the new values
  // in place: a study writes it once per draw, so no map is rebuilt.
  const bool same_years =
      o.points.size() == values.size() && !values.empty() &&
      o.points.begin()->first == first_year &&
      std::prev(o.points.end())->first == first_year + static_cast<int>(values.size()) - 1;
  if (same_years && o.interpolation == Interpolation::Step) {
    std::size_t k = 0;
    for (auto& [year, x] : o.points) x = value(k++);
    return clamped;
  }
  Series next;
  next.where = b.where;
  next.interpolation = Interpolation::Step;
  for (std::size_t k = 0; k < values.size(); ++k) {
    next.points.emplace_hint(next.points.end(), first_year + static_cast<int>(k), value(k));
  }
  o = std::move(next);
  return clamped;
}

void copy_param(const Scenario& src, const ParamTarget& ts, Scenario& dst, const ParamTarget& tt) {
  if (ts.field != tt.field || ts.index != tt.index) {
    throw std::logic_error("copy_param: " + param_path(src, ts) + " and " + param_path(dst, tt) +
                           " are different inputs");
  }
  const FieldDef& d = def_of(ts.field);
  switch (ts.field->kind) {
    case ParamKind::Number:
      *get<double>(d, dst, tt.entity) = *get<double>(d, src, ts.entity);
      break;
    case ParamKind::OptionalNumber:
      *get<std::optional<double>>(d, dst, tt.entity) =
          *get<std::optional<double>>(d, src, ts.entity);
      break;
    case ParamKind::Series:
      *get<Series>(d, dst, tt.entity) = *get<Series>(d, src, ts.entity);
      break;
    case ParamKind::Date:
      *get<std::optional<YearMonth>>(d, dst, tt.entity) =
          *get<std::optional<YearMonth>>(d, src, ts.entity);
      break;
    case ParamKind::Integer:
      *get<int>(d, dst, tt.entity) = *get<int>(d, src, ts.entity);
      break;
    case ParamKind::List: {
      const std::vector<double>& from = *get<std::vector<double>>(d, src, ts.entity);
      std::vector<double>& to = *get<std::vector<double>>(d, dst, tt.entity);
      if (ts.index < 0) {
        to = from;
      } else if (ts.index < static_cast<int>(from.size()) &&
                 ts.index < static_cast<int>(to.size())) {
        to[ts.index] = from[ts.index];
      }
      break;
    }
  }
  if (d.after_write) d.after_write(dst, tt.entity);
}

ParsedQuantity parse_param_value(const Scenario& s, const ParamTarget& t, std::string_view text,
                                 ParamMode mode) {
  const ParamKind k = t.field->kind;
  const std::string_view v = trim(text);
  if (k == ParamKind::Date) {
    if (mode == ParamMode::Relative) {
      // A shift in years: a plain number or a duration.
      ParsedQuantity q = parse_quantity(v, Dimension::Duration, Commodity::Gas, s.gas);
      if (!q.ok() && q.error->lists_units) {
        ParsedQuantity plain = parse_quantity(v, Dimension::Fraction, Commodity::Gas, s.gas);
        if (plain.ok() && v.find('%') == std::string_view::npos) return plain;
        q.error->hint = "give a shift in years, e.g. 2 or 2 y";
      }
      return q;
    }
    // "2031", "2031-07", or a decimal year such as 2031.5.
    ParsedQuantity q;
    const std::size_t dash = v.find('-', 1);
    if (dash != std::string_view::npos) {
      int year = 0, month = 0;
      const auto [e1, c1] = std::from_chars(v.data(), v.data() + dash, year);
      const auto [e2, c2] = std::from_chars(v.data() + dash + 1, v.data() + v.size(), month);
      if (c1 == std::errc() && c2 == std::errc() && e1 == v.data() + dash &&
          e2 == v.data() + v.size() && month >= 1 && month <= 12) {
        q.value = decimal_year({year, month});
        return q;
      }
    } else {
      double x = 0.0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      if (ec == std::errc() && end == v.data() + v.size() && std::isfinite(x)) {
        q.value = x;
        return q;
      }
    }
    q.error = QuantityError{"'" + std::string(v) + "' is not a date",
                            "write a year (2031), a year and month (\"2031-07\") or a decimal "
                            "year (2031.5)",
                            false, ""};
    return q;
  }
  if (mode == ParamMode::Relative || k == ParamKind::Integer) {
    ParsedQuantity q = parse_quantity(v, Dimension::Fraction, Commodity::Gas, s.gas);
    if (!q.ok()) {
      q.error->hint = mode == ParamMode::Relative ? "a relative value is a factor: 1.1, or 110 %"
                                                  : "give a whole number";
    } else if (k == ParamKind::Integer && q.value != std::floor(q.value)) {
      q.error = QuantityError{"'" + std::string(v) + "' is not a whole number",
                              "give a whole number", false, ""};
    }
    return q;
  }
  return parse_quantity(v, param_dimension(s, t), param_commodity(s, t),
                        props(s, param_commodity(s, t)));
}

std::vector<ParamTarget> list_params(const Scenario& s) {
  std::vector<ParamTarget> out;
  for (const FieldDef& d : table()) {
    const SectionDef* sec = section_named(d.pub.section);
    if (sec->on == On::Scenario) {
      out.push_back({&d.pub, sec->name, -1, -1});
      continue;
    }
    for (const auto& [i, id] : entities_of(s, *sec)) {
      if (!applies(d, s, i)) continue;
      ParamTarget t{&d.pub, sec->name, i, -1};
      if (d.pub.kind == ParamKind::List) {
        const std::size_t n = get<std::vector<double>>(d, s, i)->size();
        for (std::size_t k = 0; k < n; ++k)
          out.push_back({&d.pub, sec->name, i, static_cast<int>(k)});
        continue;
      }
      if (param_has_value(s, t)) out.push_back(t);
    }
  }
  return out;
}

std::optional<ParamAssignment> parse_param_assignment(std::string_view text, std::string& error) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) {
    error = "'" + std::string(text) + "' has no '='; write PATH=VALUE, e.g. " +
            "pipelines.pos1.capacity=40 bcm/y";
    return std::nullopt;
  }
  ParamAssignment a;
  a.path = std::string(trim(text.substr(0, eq)));
  a.value = std::string(trim(text.substr(eq + 1)));
  if (a.path.empty()) {
    error = "'" + std::string(text) + "' has no path before '='; write PATH=VALUE";
    return std::nullopt;
  }
  if (a.value.empty()) {
    error = "'" + std::string(text) + "' has no value after '='; write PATH=VALUE";
    return std::nullopt;
  }
  return a;
}

ParamChange parse_param_change(const Scenario& s, const ParamTarget& t, std::string_view text) {
  const std::string_view v = trim(text);
  ParamChange out;
  const bool date = t.field->kind == ParamKind::Date;
  if (!v.empty() && (v[0] == '+' || v[0] == '-')) {
    out.mode = ParamMode::Relative;
    const double sign = v[0] == '-' ? -1.0 : 1.0;
    const std::string_view rest = trim(v.substr(1));
    if (date) {  // a shift in years
      out.value = parse_param_value(s, t, rest, ParamMode::Relative);
      if (out.value.ok()) out.value.value *= sign;
      return out;
    }
    if (rest.empty() || rest.back() != '%') {
      out.value.error =
          QuantityError{"relative value '" + std::string(v) + "' is not a percentage",
                        "write a change in percent (+10%, -20 %) or a factor (x1.1)", false, ""};
      return out;
    }
    out.value = parse_quantity(rest, Dimension::Fraction, Commodity::Gas, s.gas);
    if (out.value.ok()) {
      out.value.value = 1.0 + sign * out.value.value;
    } else {
      out.value.error->hint = "write a change in percent (+10%, -20 %) or a factor (x1.1)";
    }
    return out;
  }
  if (!v.empty() && v[0] == 'x' && !date) {
    out.mode = ParamMode::Relative;
    out.value = parse_param_value(s, t, v.substr(1), ParamMode::Relative);
    return out;
  }
  out.mode = ParamMode::Absolute;
  out.value = parse_param_value(s, t, v, ParamMode::Absolute);
  return out;
}

namespace {
std::string range_text(ParamRange r) {
  switch (r) {
    case ParamRange::Any:
      return "any value";
    case ParamRange::NonNegative:
      return "at least 0";
    case ParamRange::Positive:
      return "above 0";
    case ParamRange::Fraction:
      return "between 0 and 1 (0 % and 100 %)";
    case ParamRange::Rate:
      return "at least 0 and below 1";
    case ParamRange::Year:
      return "a date within " + std::to_string(kEarliestYear) + ".." + std::to_string(kLatestYear);
    case ParamRange::Priority:
      return "a whole number 1..100";
  }
  return "";
}
}  // namespace

ParamSetResult set_param(const Scenario& base, Scenario& out, const ParamAssignment& a,
                         std::vector<Diagnostic>& diags) {
  ParamSetResult r;
  const std::vector<ParamTarget> targets = resolve_param(base, a.path, a.where, diags);
  if (targets.empty()) return r;
  std::vector<ParamChange> changes;
  for (const ParamTarget& t : targets) {
    ParamChange c = parse_param_change(base, t, a.value);
    if (!c.value.ok()) {
      diags.push_back(
          {Severity::Error, a.where,
           "bad value '" + a.value + "' for " + param_path(base, t) + ": " + c.value.error->message,
           c.value.error->hint});
      return r;
    }
    changes.push_back(c);
  }
  // Every value parsed: apply them in turn, and undo all from `base` at one out of range.
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const ParamTarget& t = targets[i];
    const std::string before = format_param(out, t);
    if (apply_param(base, out, t, changes[i].mode, changes[i].value.value)) {
      for (std::size_t j = 0; j <= i; ++j) {  // back to base: a factor 1, or a shift of 0 years
        const bool date = targets[j].field->kind == ParamKind::Date;
        apply_param(base, out, targets[j], ParamMode::Relative, date ? 0.0 : 1.0);
      }
      diags.push_back({Severity::Error, a.where,
                       "'" + a.value + "' takes " + param_path(base, t) + " (" +
                           format_param(base, t) + ") out of its range: " +
                           std::string(t.field->name) + " is " + range_text(t.field->range),
                       "give a value within the range"});
      r = {};
      return r;
    }
    r.targets.push_back(t);
    r.before.push_back(before);
    r.after.push_back(format_param(out, t));
  }
  return r;
}

namespace {

/// "−20%" -> prefix "-", number -20, unit "%"; "x1.2" -> prefix "x", 1.2; "30 bcm/y" -> "", 30,
/// "bcm/y". The prefix is "+", "-", "x" or "".
struct NumberText {
  std::string prefix;
  double number = 0.0;
  std::string unit;
  bool spaced = false;  ///< a space between number and unit
};

std::optional<NumberText> split_number(std::string_view text) {
  std::string_view v = trim(text);
  NumberText out;
  if (!v.empty() && (v[0] == '+' || v[0] == '-' || v[0] == 'x')) {
    out.prefix = std::string(1, v[0]);
    v = trim(v.substr(1));
  }
  double x = 0.0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || !std::isfinite(x)) return std::nullopt;
  out.number = out.prefix == "-" ? -x : x;
  const std::string_view rest = v.substr(static_cast<std::size_t>(end - v.data()));
  out.spaced = !rest.empty() && rest[0] == ' ';
  out.unit = std::string(trim(rest));
  return out;
}

std::string value_text(const std::string& prefix, double v, const std::string& unit, bool spaced) {
  char buf[40];
  // 12 significant digits: 0.1 + 0.2 prints as 0.3, as a user would write it.
  std::snprintf(buf, sizeof buf, "%.12g", std::abs(v) < 1e-12 ? 0.0 : v);
  std::string n = buf;
  std::string out;
  if (prefix == "x") {
    out = "x" + n;
  } else if (prefix == "+" || prefix == "-") {
    out = (n[0] == '-' ? "" : "+") + n;
  } else {
    out = n;
  }
  if (!unit.empty()) out += (spaced && unit != "%" ? " " : "") + unit;
  return out;
}

}  // namespace

std::optional<std::vector<std::string>> expand_param_values(std::string_view text, bool allow_pair,
                                                            std::string& error,
                                                            std::size_t max_values) {
  const std::string_view v = trim(text);
  if (v.empty()) {
    error = "no values given";
    return std::nullopt;
  }
  const std::size_t dots = v.find("..");
  if (dots == std::string_view::npos) {
    if (allow_pair) {
      error = "'" + std::string(v) + "' is not a range; write LOW..HIGH, e.g. 20..30 USD/kcm or " +
              "-20%..+20%";
      return std::nullopt;
    }
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = v.find(',', start);
      parts.emplace_back(
          trim(v.substr(start, comma == std::string_view::npos ? comma : comma - start)));
      if (parts.back().empty()) {
        error = "an empty value in '" + std::string(v) + "'";
        return std::nullopt;
      }
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (parts.size() > max_values) {
      error = std::to_string(parts.size()) + " values; at most " + std::to_string(max_values);
      return std::nullopt;
    }
    // A unit on the last value only is shared by bare numbers before it.
    const std::optional<NumberText> last = split_number(parts.back());
    if (last && !last->unit.empty()) {
      for (std::string& p : parts) {
        const std::optional<NumberText> n = split_number(p);
        if (n && n->unit.empty()) p += (last->spaced && last->unit != "%" ? " " : "") + last->unit;
      }
    }
    return parts;
  }
  const std::string_view low_text = v.substr(0, dots);
  std::string_view high_text = v.substr(dots + 2), step_text;
  const std::size_t colon = high_text.find(':');
  if (colon != std::string_view::npos) {
    step_text = high_text.substr(colon + 1);
    high_text = high_text.substr(0, colon);
  }
  const std::optional<NumberText> low = split_number(low_text), high = split_number(high_text);
  if (!low || !high) {
    error = "'" + std::string(!low ? trim(low_text) : trim(high_text)) + "' in '" + std::string(v) +
            "' is not a number";
    return std::nullopt;
  }
  std::optional<NumberText> step;
  if (colon != std::string_view::npos) {
    step = split_number(step_text);
    if (!step || step->prefix == "-" || step->number <= 0) {
      error = "step '" + std::string(trim(step_text)) + "' in '" + std::string(v) +
              "' is not a positive number";
      return std::nullopt;
    }
  } else if (!allow_pair) {
    error = "range '" + std::string(v) + "' has no step; write LOW..HIGH:STEP, e.g. " +
            "30..50:10 bcm/y";
    return std::nullopt;
  }
  // One unit for all three: each written one must agree.
  std::string unit;
  bool spaced = false;
  const NumberText* const parts[] = {&*low, &*high, step ? &*step : nullptr};
  for (const NumberText* n : parts) {
    if (!n || n->unit.empty()) continue;
    if (!unit.empty() && n->unit != unit) {
      error = "units '" + unit + "' and '" + n->unit + "' differ in '" + std::string(v) + "'";
      return std::nullopt;
    }
    unit = n->unit;
    spaced = spaced || n->spaced;
  }
  const bool relative_sign =
      low->prefix == "+" || low->prefix == "-" || high->prefix == "+" || high->prefix == "-";
  const bool factor = low->prefix == "x" || high->prefix == "x";
  if (relative_sign && factor) {
    error = "'" + std::string(v) + "' mixes a change in percent and a factor; write one kind";
    return std::nullopt;
  }
  const std::string prefix = factor ? "x" : relative_sign ? "+" : "";
  if (high->number < low->number) {
    error = "range '" + std::string(v) + "' runs down: HIGH is below LOW";
    return std::nullopt;
  }
  if (!step)
    return std::vector<std::string>{value_text(prefix, low->number, unit, spaced),
                                    value_text(prefix, high->number, unit, spaced)};
  const double span = (high->number - low->number) / step->number;
  if (span + 1 > static_cast<double>(max_values)) {
    error = "range '" + std::string(v) + "' has " +
            std::to_string(static_cast<long long>(span) + 1) + " values; at most " +
            std::to_string(max_values);
    return std::nullopt;
  }
  const int n = static_cast<int>(std::floor(span + 1e-6));
  std::vector<std::string> out;
  for (int k = 0; k <= n; ++k) {
    out.push_back(value_text(prefix, low->number + k * step->number, unit, spaced));
  }
  return out;
}

double decimal_year(const YearMonth& d) { return d.year + (d.month <= 1 ? 0 : d.month - 1) / 12.0; }

YearMonth year_month_of(double decimal) {
  const double year = std::floor(decimal);
  // A small tolerance, so that 2031 + 6/12 lands in July rather than June.
  int month = static_cast<int>(std::floor((decimal - year) * 12.0 + 1e-9)) + 1;
  month = std::clamp(month, 1, 12);
  return {static_cast<int>(year), month == 1 ? 0 : month};
}

}  // namespace corridor
