#pragma once
/// \file Parameter paths: one way to name, read and change any numeric input of a resolved
/// scenario. Ensembles sample through them (uncertainty.h); sensitivity sweeps, `--set`,
/// tornado and explain use the same paths, so an input has one name everywhere.
///
/// Grammar. A path is text, as written in YAML or on the command line:
///
///   path    := section "." id "." field [ "[" index "]" ]   for entity sections
///            | section "." field                             for the `economics` section
///   section := nodes | supplies | demands | pipelines | routes | economics
///   id      := an entity id, or a pattern in which "*" matches any run of characters
///   field   := a field of the section (param_fields(); scenarios/README.md#parameter-paths)
///   index   := a 0-based position in a list field (ramp_up, profile)
///
/// The section is the text before the first ".", the field the text after the last one and
/// the id everything between, so an id may itself contain dots. `supplies` and `demands` are
/// the nodes of that kind; `nodes.lng-south.cost` and `supplies.lng-south.cost` name the same
/// input. Examples: `pipelines.pos2-russia.online`, `nodes.north.demand`,
/// `supplies.lng-south.cost`, `pipelines.*.availability`, `pipelines.pos1.ramp_up[2]`,
/// `economics.discount_rate`.
///
/// A pattern names every entity of the section that matches it and has the field: on
/// `nodes.*.demand` the demand nodes, since `demand` belongs to demand nodes. An explicit id
/// must have the field. A path that names nothing is an error located where the path is
/// written, with did-you-mean for an unknown section, id or field.
///
/// Values are in canonical units (units.h): a flow rate in bcm/y or Mt/y, a cost in USD/kcm
/// or USD/t, a date as a decimal year (2031.5 is July 2031: year, then the month from the
/// fraction, floor(12 x fraction) + 1). parse_param_value() reads a value as a user writes it
/// ("38 bcm/y", "2031-07", "90 %") with the field's dimension and the entity's commodity.
///
/// Changes. apply_param() sets a target of one scenario from the same target of a base
/// scenario, either absolutely (the value) or relatively: a number times the factor, every
/// point of a series times the factor (so a growth path keeps its shape), every entry of a
/// list times the factor, and a date shifted by the factor in years. apply_param_by_year()
/// gives a series one value (or factor) per year. A result outside the field's range (a
/// negative capacity, an availability above 1, a year outside 1900..2200) is clamped into it,
/// and the call says so. Fields are a table in param_path.cpp: adding one is one line there.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/diagnostics.h"
#include "corridor/scenario.h"
#include "corridor/uncertainty.h"
#include "corridor/units.h"

namespace corridor {

/// How a field holds its value.
enum class ParamKind {
  Number,          ///< one value (a supply cost, a tariff)
  OptionalNumber,  ///< one value or none (a length, a capex)
  Series,          ///< a value by year (capacity, demand, availability)
  Date,            ///< a year and month, or none (online, retire)
  Integer,         ///< a whole number (priority)
  List,            ///< numbers by position (ramp_up, profile)
};

/// What a change to the field changes in a run.
enum class ParamEffect {
  Bounds,       ///< the capacities, supplies or demands that dispatch works with
  Costs,        ///< the per-unit costs or priorities that dispatch minimises
  Economics,    ///< only the economics after dispatch (capex, opex, discount rate)
  Information,  ///< physical data: read by hydraulics and `capacity`, not by dispatch
};

/// The values a field may take; a changed value outside it is clamped into it.
enum class ParamRange {
  Any,
  NonNegative,  ///< >= 0
  Positive,     ///< > 0
  Fraction,     ///< [0, 1]
  Rate,         ///< [0, 1): a discount rate
  Year,         ///< a date within 1900..2200
  Priority,     ///< a whole number 1..100
};

/// One field of the table.
struct ParamField {
  std::string_view section;  ///< where it lives: "nodes", "pipelines", "routes", "economics"
  std::string_view name;     ///< "capacity"
  ParamKind kind = ParamKind::Number;
  ParamEffect effect = ParamEffect::Bounds;
  ParamRange range = ParamRange::Any;
  std::string_view applies_to;  ///< "" for every entity of the section, else e.g. "supply nodes"
};

/// Every field of every section, in the order of scenarios/README.md.
const std::vector<ParamField>& param_fields();

/// The section names, for messages and did-you-mean.
const std::vector<std::string>& param_sections();

/// One input of a scenario: a field of one entity (or of the scenario, for `economics`).
struct ParamTarget {
  const ParamField* field = nullptr;
  std::string_view section;  ///< as the path named it: "supplies" or "nodes" for a node field
  int entity = -1;  ///< index into Scenario::nodes, ::pipelines or ::routes; -1 for economics
  int index = -1;   ///< position in a list field, or -1 for the whole field
};

/// Every target that `path` names in `s`, in scenario order. On a path that names nothing,
/// appends an error located at `where` (the path as written) to `diags` and returns none.
std::vector<ParamTarget> resolve_param(const Scenario& s, std::string_view path,
                                       const SourceLocation& where, std::vector<Diagnostic>& diags);

/// An entity named without a field ("pipelines.pos1", "supplies.lng-*", "pipelines.*"): the
/// targets of outages. `field` of each target is null. Errors as resolve_param().
std::vector<ParamTarget> resolve_entities(const Scenario& s, std::string_view path,
                                          const SourceLocation& where,
                                          std::vector<Diagnostic>& diags);

/// Whether `text` matches `pattern`, where `*` matches any run of characters and everything
/// else matches itself: the id wildcard of paths (`pipelines.*.capacity`) and of KPIs.
bool glob_match(std::string_view pattern, std::string_view text);

/// The path of one target, with its section as named: "pipelines.pos1.ramp_up[2]".
std::string param_path(const Scenario& s, const ParamTarget& t);
/// "pipeline 'pos1'", "node 'north'", "economics", for messages.
std::string param_entity_name(const Scenario& s, const ParamTarget& t);
/// The id of the target's entity; "" for economics.
std::string_view param_entity_id(const Scenario& s, const ParamTarget& t);
/// The dimension of the field's values for this entity (a per-distance tariff is
/// UnitCostPerDistance, a capex per km MoneyPerLength); Fraction for dates and integers.
Dimension param_dimension(const Scenario& s, const ParamTarget& t);
/// The commodity whose units the value takes (gas for economics and routes of money).
Commodity param_commodity(const Scenario& s, const ParamTarget& t);
/// The canonical unit of the value ("bcm/y", "USD/kcm", "" for a plain number or a date).
std::string param_unit(const Scenario& s, const ParamTarget& t);
/// Where the value is written in its file, or the entity when the field is not written.
SourceLocation param_location(const Scenario& s, const ParamTarget& t);

/// True when the target has a value to read or scale: an optional number or a date that is
/// set, an index within its list. Series, numbers and integers always have one.
bool param_has_value(const Scenario& s, const ParamTarget& t);

/// The value of a target that has one: a number, a date as a decimal year, an integer, or a
/// list entry; for a series, its value in `year`; for a whole list, its first entry. Throws
/// std::logic_error for a target without a value.
double read_param(const Scenario& s, const ParamTarget& t, int year = 0);

/// The value of a target as a user would write it: "38 bcm/y", "{2024: 10 bcm/y, 2030: 40
/// bcm/y}", "2031-07", "[0.2, 0.5]", "none".
std::string format_param(const Scenario& s, const ParamTarget& t);

/// Sets target `t` of `out` from the same target of `base` (whose entities `out` shares):
/// absolute, `value` (a series becomes that constant, a whole list gets it in every entry);
/// relative, base x value (dates: base + value years; a date that is not set cannot be
/// shifted, and stays unset). Returns true if the result was clamped into the field's range.
bool apply_param(const Scenario& base, Scenario& out, const ParamTarget& t, ParamMode mode,
                 double value);

/// For a series: one step point per year from `first_year`, `values[k]` (absolute) or base in
/// that year x `values[k]` (relative). Other kinds: throws std::logic_error. Returns true if a
/// value was clamped.
bool apply_param_by_year(const Scenario& base, Scenario& out, const ParamTarget& t, ParamMode mode,
                         int first_year, std::span<const double> values);

/// Copies the whole value of target `ts` of `src` into target `tt` of `dst`, which name the same
/// field (of entities that may sit at different indices in the two scenarios): explain moves an
/// input from one case's value to another's. Throws std::logic_error for different fields.
void copy_param(const Scenario& src, const ParamTarget& ts, Scenario& dst, const ParamTarget& tt);

/// Parses `text` as a value of target `t`: with the field's units for an absolute value
/// ("38 bcm/y"; "2031", "2031-07" or 2031.5 for a date; a whole number for an integer), or a
/// factor for a relative one (0.9, "90 %"; years for a date: 2, "2 y").
ParsedQuantity parse_param_value(const Scenario& s, const ParamTarget& t, std::string_view text,
                                 ParamMode mode);

/// Every numeric input of `s` that has a value, one target per entity and field, one per entry
/// of a list: the inputs a sweep may vary. In table order, then scenario order.
std::vector<ParamTarget> list_params(const Scenario& s);

/// A change as written on the command line or in a study: `PATH=VALUE` (`--set`, `sweep`,
/// `sensitivity`). The value is text, as a user writes it:
///   - absolute, in the field's units: "38 bcm/y", "2031-07", "90 %", "0.08";
///   - relative, a change from the case's own value: "+10%", "-20 %" (a factor 1.1 or 0.8 on a
///     number, every point of a series, every entry of a list), "x1.1" (the factor itself);
///     for a date, a shift in years with its sign: "+2", "-1 y", "+0.5 y".
struct ParamAssignment {
  std::string path;
  std::string value;
  SourceLocation where;  ///< where the assignment is written, for messages
};

/// Splits "PATH=VALUE" at its first '='. nullopt, with a message in `error`, when there is no
/// '=' or either side is empty.
std::optional<ParamAssignment> parse_param_assignment(std::string_view text, std::string& error);

/// A value text as parse_param_value() reads it for `t`: the mode (see ParamAssignment) and the
/// number (the value, the factor or the shift in years). On a bad value the error is set.
struct ParamChange {
  ParamMode mode = ParamMode::Absolute;
  ParsedQuantity value;
};
ParamChange parse_param_change(const Scenario& s, const ParamTarget& t, std::string_view text);

/// The changes one assignment made to a case: what each target held before and after.
struct ParamSetResult {
  std::vector<ParamTarget> targets;
  std::vector<std::string> before, after;  ///< format_param() of each target
};

/// Applies `a` to `out`, a copy of `base`: resolves the path in `base`, parses the value for
/// every target and sets it. Appends located errors to `diags` (at `a.where`) for a path that
/// names nothing, a value that does not parse, and a value outside the field's range (which a
/// study would clamp, but an explicit value must not be changed silently); the targets of a
/// failed assignment are left as they were.
ParamSetResult set_param(const Scenario& base, Scenario& out, const ParamAssignment& a,
                         std::vector<Diagnostic>& diags);

/// The values of a list or range as value texts, each one as a ParamAssignment value:
///   "V1,V2,..."          each as written ("30 bcm/y,40 bcm/y"; a unit on the last one only
///                        is shared by bare numbers before it: "30,40 bcm/y");
///   "LOW..HIGH:STEP"     LOW, LOW + STEP, ... up to HIGH (within a millionth of a step), with
///                        the unit written on any of the three ("30..50:10 bcm/y"); a sign on
///                        LOW or HIGH makes every value relative ("-20%..+20%:10%" gives -20%,
///                        -10%, +0%, +10%, +20%), as does an "x" ("x0.8..x1.2:0.2");
///   "LOW..HIGH"          with `allow_pair` only (sensitivity): the two values.
/// nullopt, with `error` set, for an empty value, a bad number, a step that is not positive,
/// HIGH below LOW, units that differ, or more than `max_values` values.
std::optional<std::vector<std::string>> expand_param_values(std::string_view text, bool allow_pair,
                                                            std::string& error,
                                                            std::size_t max_values = 10000);

/// A date as a decimal year (month 0 counts as January), and back (month 1..12).
double decimal_year(const YearMonth& d);
YearMonth year_month_of(double decimal_year);

}  // namespace corridor
