#include "corridor/sensitivity.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>

#include "corridor/economics.h"
#include "corridor/random.h"
#include "corridor/run_pool.h"
#include "corridor/simulate.h"
#include "corridor/units.h"

namespace corridor {
namespace {

/// The located error of a variant that could not be dispatched.
[[noreturn]] void throw_failure(const CaseResult& r, const std::string& variant) {
  Diagnostic d = r.failure->diagnostic;
  d.message += " (in the variant " + variant + ")";
  throw InputError({d});
}

}  // namespace

VariantRunner::VariantRunner(std::shared_ptr<const Scenario> base) : base_(simulate(base)) {
  if (base_.failure) throw InputError({base_.failure->diagnostic});
}

CaseResult VariantRunner::run(std::shared_ptr<const Scenario> changed, bool dispatch) const {
  if (dispatch) return simulate(std::move(changed));
  CaseResult r;
  r.scenario = std::move(changed);
  r.runs = base_.runs;  // the same dispatch: flows, volumes, dispatch costs
  add_economics(r);     // capex, opex, lifetimes and discount rates of the changed case
  return r;
}

bool needs_dispatch(const ParamTarget& t) {
  return t.field->effect == ParamEffect::Bounds || t.field->effect == ParamEffect::Costs;
}

namespace {

std::size_t periods_of(const CaseResult& r) {
  std::size_t n = 0;
  for (const CommodityRun& run : r.runs)
    n += run.monthly.empty() ? run.annual.size() : run.monthly.size();
  return n;
}

/// A variant of a sensitivity: the scenario, whether it needs a dispatch, and its label.
struct Variant {
  std::shared_ptr<const Scenario> scenario;
  bool dispatch = true;
  std::string value;  ///< as applied
  bool clamped = false;
};

/// The value a single target took, short: "45 bcm/y", "2032-07"; `fallback` for a series of
/// several points or a pattern.
std::string applied_text(const Scenario& s, const std::vector<ParamTarget>& targets,
                         const std::string& fallback) {
  if (targets.size() != 1) return fallback;
  const ParamTarget& t = targets[0];
  const std::string v = format_param(s, t);
  if (v.starts_with("{")) return fallback;
  const ParamKind k = t.field->kind;
  if (!param_has_value(s, t) || k == ParamKind::Date || k == ParamKind::Integer) return v;
  // 12 significant digits: 50 x 1.1 shows as 55, not 55.000000000000007.
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", read_param(s, t, s.horizon.start_year));
  const double rounded = std::strtod(buf, nullptr);
  if (k == ParamKind::List) return format_quantity(rounded, Dimension::Fraction, Commodity::Gas);
  return format_quantity(rounded, param_dimension(s, t), param_commodity(s, t));
}

Variant explicit_variant(const std::shared_ptr<const Scenario>& base, const VariedInput& in,
                         const std::string& value, std::vector<Diagnostic>& diags) {
  Variant v;
  auto s = std::make_shared<Scenario>(*base);
  const ParamSetResult r = set_param(*base, *s, {in.parameter, value, in.where}, diags);
  v.dispatch = std::any_of(r.targets.begin(), r.targets.end(), needs_dispatch);
  v.value = applied_text(*s, r.targets, value);
  v.scenario = std::move(s);
  return v;
}

std::string percent_text(double r, bool plus) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%.12g%%", plus ? "+" : "-", r * 100.0);
  return buf;
}

Variant relative_variant(const std::shared_ptr<const Scenario>& base, const ParamTarget& t,
                         double r, bool high) {
  Variant v;
  auto s = std::make_shared<Scenario>(*base);
  const bool date = t.field->kind == ParamKind::Date;
  const double value = date ? (high ? 1.0 : -1.0) : (high ? 1.0 + r : 1.0 - r);
  v.clamped = apply_param(*base, *s, t, ParamMode::Relative, value);
  v.dispatch = needs_dispatch(t);
  v.value = applied_text(*s, {t}, date ? (high ? "+1 y" : "-1 y") : percent_text(r, high));
  v.scenario = std::move(s);
  return v;
}

std::optional<double> swing_of(const std::optional<double>& lo, const std::optional<double>& hi) {
  if (!lo || !hi) return std::nullopt;
  return std::abs(*hi - *lo);
}

}  // namespace

SensitivityResult run_sensitivity(std::shared_ptr<const Scenario> base,
                                  const SensitivityOptions& o) {
  SensitivityResult out;
  out.scenario = base;
  std::vector<Diagnostic> diags;
  std::vector<std::string> names;
  std::vector<Variant> variants;  // low, high of each input in turn
  for (const VariedInput& in : o.vary) {
    const std::size_t before = diags.size();
    Variant lo = explicit_variant(base, in, in.low_text, diags);
    if (diags.size() > before) continue;  // one error per input: the low value shows it
    Variant hi = explicit_variant(base, in, in.high_text, diags);
    names.push_back(in.parameter);
    variants.push_back(std::move(lo));
    variants.push_back(std::move(hi));
  }
  if (o.vary_all) {
    for (const ParamTarget& t : list_params(*base)) {
      if (t.field->kind == ParamKind::Integer) continue;
      if (std::find(o.effects.begin(), o.effects.end(), t.field->effect) == o.effects.end()) {
        continue;
      }
      const std::string path = param_path(*base, t);
      if (std::find(names.begin(), names.end(), path) != names.end()) continue;  // --vary wins
      names.push_back(path);
      variants.push_back(relative_variant(base, t, *o.vary_all, false));
      variants.push_back(relative_variant(base, t, *o.vary_all, true));
    }
  }
  throw_if_errors(diags);

  const VariantRunner runner(base);
  const std::size_t n_kpi = o.kpis.size();
  std::vector<std::optional<double>> base_kpi(n_kpi);
  for (std::size_t k = 0; k < n_kpi; ++k)
    base_kpi[k] = kpi_value(runner.base(), o.kpis[k], o.years);

  // [variant][kpi]; and the failure of a variant, if any, by slot.
  std::vector<std::vector<std::optional<double>>> values(variants.size());
  std::vector<std::optional<CaseResult>> failed(variants.size());
  std::vector<std::size_t> periods(variants.size(), 0);
  std::atomic<std::size_t> done{0};
  std::mutex progress_lock;
  run_tasks(variants.size(), o.threads, [&](std::size_t i) {
    CaseResult r = runner.run(variants[i].scenario, variants[i].dispatch);
    if (r.failure) {
      failed[i] = std::move(r);
    } else {
      values[i].resize(n_kpi);
      for (std::size_t k = 0; k < n_kpi; ++k) values[i][k] = kpi_value(r, o.kpis[k], o.years);
      if (variants[i].dispatch) periods[i] = periods_of(r);
    }
    const std::size_t now = ++done;
    if (o.progress) {
      std::lock_guard<std::mutex> lock(progress_lock);
      o.progress(now, variants.size());
    }
  });
  for (std::size_t i = 0; i < variants.size(); ++i) {
    if (failed[i]) throw_failure(*failed[i], names[i / 2] + "=" + variants[i].value);
  }

  out.inputs = names.size();
  out.periods_solved = periods_of(runner.base());
  for (std::size_t i = 0; i < variants.size(); ++i) {
    (variants[i].dispatch ? out.dispatched : out.economics_only) += 1;
    out.periods_solved += periods[i];
  }
  for (std::size_t k = 0; k < n_kpi; ++k) {
    Tornado t;
    t.kpi = o.kpis[k];
    t.unit = kpi_unit(*base, o.kpis[k]);
    t.kpi_base = base_kpi[k];
    for (std::size_t p = 0; p < names.size(); ++p) {
      const Variant& lo = variants[2 * p];
      const Variant& hi = variants[2 * p + 1];
      TornadoBar b;
      b.parameter = names[p];
      b.low_value = lo.value;
      b.high_value = hi.value;
      b.kpi_low = values[2 * p][k];
      b.kpi_high = values[2 * p + 1][k];
      b.swing = swing_of(b.kpi_low, b.kpi_high);
      b.clamped = lo.clamped || hi.clamped;
      t.bars.push_back(std::move(b));
    }
    std::stable_sort(t.bars.begin(), t.bars.end(), [](const TornadoBar& a, const TornadoBar& b) {
      if (a.swing.has_value() != b.swing.has_value()) return a.swing.has_value();
      return a.swing && *a.swing > *b.swing;
    });
    out.tornados.push_back(std::move(t));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Breakeven

namespace {

struct Side {
  std::shared_ptr<const Scenario> base;
  std::vector<ParamTarget> targets;  ///< empty: the input is not in this case
  std::unique_ptr<VariantRunner> runner;
  bool dispatch = false;
};

std::string factor_text(double f) {
  char buf[32];
  const double p = (f - 1.0) * 100.0;
  std::snprintf(buf, sizeof buf, "%s%.6g%%", p < 0 ? "" : "+", std::abs(p) < 1e-12 ? 0.0 : p);
  return buf;
}

}  // namespace

BreakevenResult run_breakeven(std::shared_ptr<const Scenario> a, std::shared_ptr<const Scenario> b,
                              const BreakevenOptions& o) {
  BreakevenResult out;
  out.a = a;
  out.b = b;
  out.parameter = o.path;
  Side sa{a, {}, nullptr, false}, sb{b, {}, nullptr, false};
  std::vector<Diagnostic> diags, ignored;
  sa.targets = resolve_param(*a, o.path, o.where, diags);
  if (a != b) sb.targets = resolve_param(*b, o.path, o.where, ignored);
  if (sa.targets.empty() && !sb.targets.empty()) diags.clear();
  throw_if_errors(diags);
  const Side& named = sa.targets.empty() ? sb : sa;
  const ParamTarget& t0 = named.targets.front();
  const bool date = t0.field->kind == ParamKind::Date;

  // The range: absolute in the field's unit, or relative (a factor, or a shift in years).
  std::string error;
  const std::string range =
      o.range_text.empty() ? (date ? "-5..+5" : "-100%..+100%") : o.range_text;
  const std::optional<std::vector<std::string>> ends = expand_param_values(range, true, error);
  if (!ends) throw InputError({{Severity::Error, o.where, "--range: " + error, ""}});
  const ParamChange lo = parse_param_change(*named.base, t0, (*ends)[0]);
  const ParamChange hi = parse_param_change(*named.base, t0, (*ends)[1]);
  for (const ParamChange* c : {&lo, &hi}) {
    if (!c->value.ok()) {
      throw InputError({{Severity::Error, o.where, "--range: " + c->value.error->message,
                         c->value.error->hint}});
    }
  }
  if (lo.mode != hi.mode) {
    throw InputError({{Severity::Error, o.where,
                       "--range '" + range + "' mixes an absolute and a relative value",
                       "write both absolute (20..40 USD/kcm) or both relative (-50%..+50%)"}});
  }
  out.relative = lo.mode == ParamMode::Relative;
  out.low_text = (*ends)[0];
  out.high_text = (*ends)[1];
  const double x0 = lo.value.value, x1 = hi.value.value;
  if (!(x1 > x0)) {
    throw InputError(
        {{Severity::Error, o.where, "--range '" + range + "' is empty", "give LOW below HIGH"}});
  }
  const Dimension dim = param_dimension(*named.base, t0);
  const Commodity com = param_commodity(*named.base, t0);
  out.value_unit = out.relative ? (date ? "y" : "factor") : date ? "" : param_unit(*named.base, t0);
  auto text_of = [&](double x) {
    if (out.relative) {
      if (!date) return factor_text(x);
      char buf[32];
      std::snprintf(buf, sizeof buf, "%+.6g y", x);
      return std::string(buf);
    }
    if (date) {
      const YearMonth ym = year_month_of(x);
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g (%d-%02d)", x, ym.year, ym.month == 0 ? 1 : ym.month);
      return std::string(buf);
    }
    return format_quantity(x, dim, com);
  };

  for (Side* s : {&sa, &sb}) {
    s->dispatch = std::any_of(s->targets.begin(), s->targets.end(), needs_dispatch);
    s->runner = std::make_unique<VariantRunner>(s->base);
  }
  const bool b_fixed = sb.targets.empty() || a == b;
  std::optional<double> b_constant;
  if (b_fixed) b_constant = kpi_value(sb.runner->base(), o.vs_kpi, o.years);
  out.kpi_unit = kpi_unit(*a, o.kpi);
  out.kpi_text = o.kpi.text;
  out.vs_kpi_text = o.vs_kpi.text;

  std::mutex count_lock;
  auto run_side = [&](const Side& s, double x, const Kpi& k) -> std::optional<double> {
    auto changed = std::make_shared<Scenario>(*s.base);
    const ParamMode mode = out.relative ? ParamMode::Relative : ParamMode::Absolute;
    for (const ParamTarget& t : s.targets) apply_param(*s.base, *changed, t, mode, x);
    CaseResult r = s.runner->run(changed, s.dispatch);
    {
      std::lock_guard<std::mutex> lock(count_lock);
      (s.dispatch ? out.dispatched : out.economics_only) += 1;
    }
    if (r.failure) throw_failure(r, o.path + "=" + text_of(x));
    return kpi_value(r, k, o.years);
  };
  auto evaluate = [&](double x) {
    BreakevenPoint p;
    p.x = x;
    p.value_text = text_of(x);
    p.kpi =
        sa.targets.empty() ? kpi_value(sa.runner->base(), o.kpi, o.years) : run_side(sa, x, o.kpi);
    p.vs_kpi = a == b ? p.kpi : b_fixed ? b_constant : run_side(sb, x, o.vs_kpi);
    if (a == b && !(o.kpi.text == o.vs_kpi.text)) {
      // One case, two KPIs: evaluate the second on the same variant.
      p.vs_kpi = run_side(sa, x, o.vs_kpi);
    }
    return p;
  };

  const int n = std::max(1, o.grid);
  out.grid_step = (x1 - x0) / n;
  std::vector<BreakevenPoint> grid(static_cast<std::size_t>(n) + 1);
  run_tasks(grid.size(), o.threads, [&](std::size_t i) {
    const double x =
        i == static_cast<std::size_t>(n) ? x1 : x0 + out.grid_step * static_cast<double>(i);
    grid[i] = evaluate(x);
  });
  out.curve = grid;
  auto diff = [](const BreakevenPoint& p) -> std::optional<double> {
    if (!p.kpi || !p.vs_kpi) return std::nullopt;
    return *p.kpi - *p.vs_kpi;
  };
  const double scale_x = x1 - x0;
  for (std::size_t i = 0; i < grid.size(); ++i) {
    const std::optional<double> di = diff(grid[i]);
    if (!di) continue;
    const double tol = 1e-9 * std::max(1.0, std::abs(*grid[i].kpi) + std::abs(*grid[i].vs_kpi));
    if (std::abs(*di) <= tol) {  // on a grid point
      // Count a zero once: not when the previous point was a zero too (a flat stretch).
      const std::optional<double> dp = i > 0 ? diff(grid[i - 1]) : std::nullopt;
      if (dp && std::abs(*dp) <= tol) continue;
      BreakevenCrossing c;
      c.x = grid[i].x;
      c.value_text = grid[i].value_text;
      c.kpi = *grid[i].kpi;
      c.exact = true;
      c.bracket_low = c.bracket_high = grid[i].x;
      out.crossings.push_back(c);
      continue;
    }
    if (i + 1 >= grid.size()) break;
    const std::optional<double> dj = diff(grid[i + 1]);
    if (!dj || std::abs(*dj) <= tol || (*di > 0) == (*dj > 0)) continue;
    // Secant, then Illinois regula falsi, keeping a bracket with a sign change.
    double xl = grid[i].x, xr = grid[i + 1].x, fl = *di, fr = *dj;
    int side = 0, steps = 0;
    bool exact = false;
    BreakevenPoint root;
    for (int it = 0; it < 200; ++it) {
      ++steps;
      double xm = xr - fr * (xr - xl) / (fr - fl);
      if (!(xm > xl && xm < xr)) xm = 0.5 * (xl + xr);
      root = evaluate(xm);
      out.curve.push_back(root);
      const std::optional<double> dm = diff(root);
      if (!dm) {  // undefined inside the bracket: bisect around it
        xr = xm;
        continue;
      }
      const double tm = 1e-9 * std::max(1.0, std::abs(*root.kpi) + std::abs(*root.vs_kpi));
      if (std::abs(*dm) <= tm) {
        exact = true;
        xl = xr = xm;
        break;
      }
      if ((*dm > 0) == (fl > 0)) {
        xl = xm, fl = *dm;
        if (side == -1) fr /= 2;
        side = -1;
      } else {
        xr = xm, fr = *dm;
        if (side == 1) fl /= 2;
        side = 1;
      }
      if (xr - xl < 1e-9 * scale_x) break;
    }
    if (exact) {
      // Dispatch rounds costs to 0.001 USD/kcm and bounds to 1e-6 bcm (network.h), so d is 0 on
      // a small plateau around the crossing and the secant lands anywhere on it: report the
      // roundest value on the plateau (fewest decimals) where d is 0 too.
      for (int decimals = 0; decimals <= 9; ++decimals) {
        const double scale = std::pow(10.0, decimals);
        const double snapped = std::round(root.x * scale) / scale;
        if (snapped == root.x) break;
        if (!(snapped >= grid[i].x && snapped <= grid[i + 1].x)) continue;
        BreakevenPoint p = evaluate(snapped);
        const std::optional<double> dp = diff(p);
        if (!dp) continue;
        const double tp = 1e-9 * std::max(1.0, std::abs(*p.kpi) + std::abs(*p.vs_kpi));
        if (std::abs(*dp) <= tp) {
          out.curve.push_back(p);
          root = p;
          break;
        }
      }
    }
    BreakevenCrossing c;
    c.x = root.x;
    c.value_text = root.value_text;
    c.kpi = root.kpi.value_or(0.0);
    c.exact = exact;
    c.steps = steps;
    c.bracket_low = grid[i].x;
    c.bracket_high = grid[i + 1].x;
    c.width = xr - xl;
    out.crossings.push_back(c);
  }
  std::stable_sort(out.curve.begin(), out.curve.end(),
                   [](const BreakevenPoint& p, const BreakevenPoint& q) { return p.x < q.x; });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Explain

namespace {

enum class EntityKind { Node, Pipeline, Route };

/// An input of explain, with how to put it at its `from` or `to` value in the union scenario.
struct InputPlan {
  ExplainInput pub;
  // A parameter: the target in the union (the `to` case's entities first) and in `from`.
  std::optional<ParamTarget> in_union, in_from;
  // An entity only one case has: its kind, index in the union, and which side has it.
  std::optional<EntityKind> entity;
  int entity_index = -1;
  std::string entity_id;
  bool present_in_to = true;
};

std::string entity_path(EntityKind k, const std::string& id) {
  return (k == EntityKind::Node       ? "nodes."
          : k == EntityKind::Pipeline ? "pipelines."
                                      : "routes.") +
         id;
}

/// The union of the two cases' entities: `to`'s, then the nodes, pipelines and routes only
/// `from` has, as `from` has them.
Scenario union_of(const Scenario& from, const Scenario& to) {
  Scenario u = to;
  auto has = [](const auto& list, const std::string& id) {
    return std::any_of(list.begin(), list.end(), [&](const auto& e) { return e.id == id; });
  };
  for (const Node& n : from.nodes)
    if (!has(u.nodes, n.id)) u.nodes.push_back(n);
  for (const Pipeline& p : from.pipelines)
    if (!has(u.pipelines, p.id)) u.pipelines.push_back(p);
  for (const Route& r : from.routes)
    if (!has(u.routes, r.id)) u.routes.push_back(r);
  return u;
}

/// The plan of every input, in a stable order: parameters by path, then entities.
std::vector<InputPlan> plan_inputs(const Scenario& from, const Scenario& to, const Scenario& u) {
  if (from.horizon.start_year != to.horizon.start_year ||
      from.horizon.end_year != to.horizon.end_year || from.resolution != to.resolution) {
    throw InputError({{Severity::Error, to.horizon.where,
                       "case '" + from.case_name + "' and case '" + to.case_name +
                           "' differ in horizon or resolution; explain compares cases of one "
                           "horizon and resolution",
                       "explain two cases with the same horizon and resolution"}});
  }
  std::vector<InputPlan> out;
  // Every parameter of an entity both cases have, by path, with a value in either: a capex
  // or a date that one case sets and the other leaves unset ("none") is a change too.
  std::map<std::string, ParamTarget> in_from, in_union;
  for (const ParamTarget& t : list_params(from)) in_from.emplace(param_path(from, t), t);
  for (const ParamTarget& t : list_params(u)) in_union.emplace(param_path(u, t), t);
  std::set<std::string> paths;
  for (const auto& [path, t] : in_from) paths.insert(path);
  for (const auto& [path, t] : in_union) paths.insert(path);
  auto target = [](const Scenario& s, const std::map<std::string, ParamTarget>& listed,
                   const std::string& path) -> std::optional<ParamTarget> {
    if (const auto it = listed.find(path); it != listed.end()) return it->second;
    std::vector<Diagnostic> ignored;
    const std::vector<ParamTarget> t = resolve_param(s, path, {}, ignored);
    if (t.size() != 1) return std::nullopt;
    return t.front();
  };
  for (const std::string& path : paths) {
    const std::optional<ParamTarget> tf = target(from, in_from, path);
    const std::optional<ParamTarget> tu = target(u, in_union, path);
    if (!tf || !tu) continue;  // an entity only one case has: an input of its own
    const std::string before = format_param(from, *tf), after = format_param(u, *tu);
    if (before == after) continue;
    InputPlan p;
    p.pub = {path, before, after, needs_dispatch(*tu)};
    p.in_union = tu;
    p.in_from = tf;
    out.push_back(std::move(p));
  }
  // Entities only one case has.
  auto add_entities = [&](const auto& ulist, const auto& flist, const auto& tlist, EntityKind k) {
    auto has = [](const auto& list, const std::string& id) {
      return std::any_of(list.begin(), list.end(), [&](const auto& e) { return e.id == id; });
    };
    for (std::size_t i = 0; i < ulist.size(); ++i) {
      const std::string& id = ulist[i].id;
      const bool in_from = has(flist, id), in_to = has(tlist, id);
      if (in_from == in_to) continue;
      InputPlan p;
      // Always dispatched: a route changes the network's list of routes, a line or node its
      // bounds.
      p.pub = {entity_path(k, id), in_from ? "present" : "absent", in_to ? "present" : "absent",
               true};
      p.entity = k;
      p.entity_index = static_cast<int>(i);
      p.entity_id = id;
      p.present_in_to = in_to;
      out.push_back(std::move(p));
    }
  };
  add_entities(u.nodes, from.nodes, to.nodes, EntityKind::Node);
  add_entities(u.pipelines, from.pipelines, to.pipelines, EntityKind::Pipeline);
  add_entities(u.routes, from.routes, to.routes, EntityKind::Route);
  return out;
}

/// Neutralises an entity of the union: it is there, and changes nothing.
void make_absent(Scenario& s, const InputPlan& p, std::vector<std::string>& removed_routes) {
  switch (*p.entity) {
    case EntityKind::Node: {
      Node& n = s.nodes[p.entity_index];
      if (n.kind == NodeKind::Supply) n.capacity = constant_series(0.0);
      if (n.kind == NodeKind::Demand) n.demand = constant_series(0.0);
      break;
    }
    case EntityKind::Pipeline: {
      Pipeline& l = s.pipelines[p.entity_index];
      l.capacity = constant_series(0.0);
      l.economics.capex_musd.reset();
      l.economics.capex_musd_per_km.reset();
      break;
    }
    case EntityKind::Route:
      removed_routes.push_back(p.entity_id);
      break;
  }
}

/// The state `mask` (bit i: input i at its `to` value) as a scenario.
std::shared_ptr<const Scenario> state_of(const Scenario& from, const Scenario& u,
                                         const std::vector<InputPlan>& plans, std::uint64_t mask) {
  auto s = std::make_shared<Scenario>(u);
  std::vector<std::string> removed;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const bool to_value = (mask >> i) & 1u;
    const InputPlan& p = plans[i];
    if (p.in_union) {
      if (!to_value) copy_param(from, *p.in_from, *s, *p.in_union);
    } else if (to_value != p.present_in_to) {
      make_absent(*s, p, removed);
    }
  }
  if (!removed.empty()) {
    std::erase_if(s->routes, [&](const Route& r) {
      return std::find(removed.begin(), removed.end(), r.id) != removed.end();
    });
  }
  return s;
}

}  // namespace

std::vector<ExplainInput> diff_cases(const Scenario& from, const Scenario& to) {
  const Scenario u = union_of(from, to);
  std::vector<ExplainInput> out;
  for (const InputPlan& p : plan_inputs(from, to, u)) out.push_back(p.pub);
  return out;
}

std::vector<double> exact_shapley(const std::vector<double>& f, int n) {
  // phi_i = sum over S without i of |S|! (n - |S| - 1)! / n! x (f(S + i) - f(S)).
  std::vector<double> weight(static_cast<std::size_t>(n), 0.0);
  for (int k = 0; k < n; ++k) {  // |S| = k: 1 / (n x C(n - 1, k))
    double c = 1.0;
    for (int j = 1; j <= k; ++j) c = c * (n - 1 - k + j) / j;
    weight[static_cast<std::size_t>(k)] = 1.0 / (n * c);
  }
  std::vector<double> phi(static_cast<std::size_t>(n), 0.0);
  const std::uint64_t all = std::uint64_t{1} << n;
  for (std::uint64_t m = 0; m < all; ++m) {
    const int size = std::popcount(m);
    for (int i = 0; i < n; ++i) {
      if ((m >> i) & 1u) continue;
      phi[static_cast<std::size_t>(i)] +=
          weight[static_cast<std::size_t>(size)] * (f[m | (std::uint64_t{1} << i)] - f[m]);
    }
  }
  return phi;
}

ExplainResult run_explain(std::shared_ptr<const Scenario> from, std::shared_ptr<const Scenario> to,
                          const ExplainOptions& o) {
  ExplainResult out;
  out.from = from;
  out.to = to;
  const Scenario u = union_of(*from, *to);
  const std::vector<InputPlan> plans = plan_inputs(*from, *to, u);
  for (const InputPlan& p : plans) out.inputs.push_back(p.pub);
  const int n = static_cast<int>(plans.size());
  if (n > 62) {
    throw InputError({{Severity::Error, to->horizon.where,
                       std::to_string(n) + " inputs differ between case '" + from->case_name +
                           "' and case '" + to->case_name + "'; explain attributes at most 62",
                       "explain two cases that are closer, or compare them"}});
  }
  const std::size_t n_kpi = o.kpis.size();
  out.sampled = n > o.exact_limit;
  out.seed = o.seed;
  out.permutations = out.sampled ? o.permutations : 0;

  // The states to evaluate: all 2^n, or those of the sampled orders (and the singles).
  std::vector<std::uint64_t> masks;
  std::vector<std::vector<int>> orders;
  const std::uint64_t full = n == 0 ? 0 : (n == 64 ? ~0ull : (std::uint64_t{1} << n) - 1);
  if (!out.sampled) {
    for (std::uint64_t m = 0; m < (std::uint64_t{1} << n); ++m) masks.push_back(m);
  } else {
    std::set<std::uint64_t> set = {0, full};
    for (int i = 0; i < n; ++i) set.insert(std::uint64_t{1} << i);
    RandomStream rng(stream_key(hash_text("explain"), o.seed));
    for (int k = 0; k < o.permutations; ++k) {
      std::vector<int> order(static_cast<std::size_t>(n));
      std::iota(order.begin(), order.end(), 0);
      for (int i = n - 1; i > 0; --i) {  // Fisher-Yates with the counter-based stream
        const int j = static_cast<int>(rng.next() * (i + 1));
        std::swap(order[static_cast<std::size_t>(i)],
                  order[static_cast<std::size_t>(std::min(j, i))]);
      }
      std::uint64_t m = 0;
      for (int i : order) set.insert(m |= std::uint64_t{1} << i);
      orders.push_back(std::move(order));
    }
    masks.assign(set.begin(), set.end());
  }
  std::map<std::uint64_t, std::size_t> slot;
  for (std::size_t i = 0; i < masks.size(); ++i) slot[masks[i]] = i;

  const VariantRunner from_runner(from), to_runner(to);
  const VariantRunner union_runner(state_of(*from, u, plans, full));
  std::vector<std::vector<std::optional<double>>> f(masks.size());
  std::vector<std::optional<CaseResult>> failed(masks.size());
  std::vector<char> dispatched(masks.size(), 0);
  run_tasks(masks.size(), o.threads, [&](std::size_t i) {
    // Economics alone: when every input away from its `to` value moves only economics.
    bool dispatch = false;
    for (int b = 0; b < n; ++b) {
      if (!((masks[i] >> b) & 1u) && plans[static_cast<std::size_t>(b)].pub.dispatch)
        dispatch = true;
    }
    CaseResult r = union_runner.run(state_of(*from, u, plans, masks[i]), dispatch);
    dispatched[i] = dispatch ? 1 : 0;
    if (r.failure) {
      failed[i] = std::move(r);
      return;
    }
    f[i].resize(n_kpi);
    for (std::size_t k = 0; k < n_kpi; ++k) f[i][k] = kpi_value(r, o.kpis[k], o.years);
  });
  for (std::size_t i = 0; i < masks.size(); ++i) {
    if (failed[i]) throw_failure(*failed[i], "explain state " + std::to_string(masks[i]));
    (dispatched[i] ? out.dispatched : out.economics_only) += 1;
  }
  out.states = masks.size();

  for (std::size_t k = 0; k < n_kpi; ++k) {
    Attribution a;
    a.kpi = o.kpis[k];
    a.unit = kpi_unit(*to, o.kpis[k]);
    a.from_value = kpi_value(from_runner.base(), o.kpis[k], o.years);
    a.to_value = kpi_value(to_runner.base(), o.kpis[k], o.years);
    a.one_at_a_time.assign(static_cast<std::size_t>(n), 0.0);
    a.shapley.assign(static_cast<std::size_t>(n), 0.0);
    a.shapley_se.assign(static_cast<std::size_t>(n), 0.0);
    a.defined = std::all_of(f.begin(), f.end(), [&](const auto& v) { return v[k].has_value(); });
    if (!a.defined) {
      out.attributions.push_back(std::move(a));
      continue;
    }
    auto at = [&](std::uint64_t m) { return *f[slot.at(m)][k]; };
    const double f0 = at(0), f1 = at(full);
    a.other = a.from_value ? *a.from_value - f0 : 0.0;
    double oat_sum = 0.0;
    for (int i = 0; i < n; ++i) {
      a.one_at_a_time[static_cast<std::size_t>(i)] = at(std::uint64_t{1} << i) - f0;
      oat_sum += a.one_at_a_time[static_cast<std::size_t>(i)];
    }
    a.interaction = (f1 - f0) - oat_sum;
    if (!out.sampled) {
      std::vector<double> all(masks.size());
      for (std::size_t m = 0; m < masks.size(); ++m) all[m] = *f[m][k];
      a.shapley = exact_shapley(all, n);
    } else {
      // Mean and standard error of each input's marginal effect over the orders.
      std::vector<double> sum(static_cast<std::size_t>(n), 0.0),
          sq(static_cast<std::size_t>(n), 0.0);
      for (const std::vector<int>& order : orders) {
        std::uint64_t m = 0;
        for (int i : order) {
          const double before = at(m);
          m |= std::uint64_t{1} << i;
          const double d = at(m) - before;
          sum[static_cast<std::size_t>(i)] += d;
          sq[static_cast<std::size_t>(i)] += d * d;
        }
      }
      const double p = static_cast<double>(orders.size());
      for (int i = 0; i < n; ++i) {
        const double mean = sum[static_cast<std::size_t>(i)] / p;
        a.shapley[static_cast<std::size_t>(i)] = mean;
        const double var =
            p > 1 ? (sq[static_cast<std::size_t>(i)] - p * mean * mean) / (p - 1) : 0.0;
        a.shapley_se[static_cast<std::size_t>(i)] = std::sqrt(std::max(0.0, var) / p);
      }
    }
    out.attributions.push_back(std::move(a));
  }
  return out;
}

}  // namespace corridor
