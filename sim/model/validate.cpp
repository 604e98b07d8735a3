#include "corridor/validate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace corridor {
namespace {

/// A date as a scenario writes it: 2031, or 2031-07.
std::string year_month_text(const YearMonth& ym) {
  std::string text = std::to_string(ym.year);
  if (ym.month > 0) text += (ym.month < 10 ? "-0" : "-") + std::to_string(ym.month);
  return text;
}

struct Checker {
  const Scenario& s;
  std::vector<Diagnostic> out;
  /// Candidates that did-you-mean hints may still compare against. Each unknown reference
  /// costs one comparison per id, so a large network full of bad references would otherwise
  /// take time quadratic in its size; past the budget the hint lists ids instead.
  std::size_t suggestion_budget = 2'000'000;

  /// did_you_mean() within the budget.
  std::string suggest(const std::string& word, const std::vector<std::string>& candidates) {
    if (candidates.size() > suggestion_budget) return did_you_mean("", candidates);
    suggestion_budget -= candidates.size();
    return did_you_mean(word, candidates);
  }

  void error(const SourceLocation& w, std::string m, std::string h = {}) {
    out.push_back({Severity::Error, w, std::move(m), std::move(h)});
  }
  void warning(const SourceLocation& w, std::string m, std::string h = {}) {
    out.push_back({Severity::Warning, w, std::move(m), std::move(h)});
  }

  /// The ids of `v` to suggest from; an entity without one (reported by the loader) has none.
  template <typename T>
  std::vector<std::string> ids(const std::vector<T>& v) {
    std::vector<std::string> r;
    for (const T& x : v) {
      if (!x.id.empty()) r.push_back(x.id);
    }
    return r;
  }

  template <typename T>
  void duplicates(const std::vector<T>& v, const char* kind) {
    std::map<std::string, const T*> seen;
    for (const T& x : v) {
      if (x.id.empty()) continue;  // the loader reported the missing id
      auto [it, fresh] = seen.emplace(x.id, &x);
      if (!fresh) {
        const SourceLocation& first = it->second->where;
        error(x.where, "duplicate " + std::string(kind) + " id '" + x.id + "'",
              "first defined at " + (first.file == x.where.file ? "" : first.file + ", ") +
                  "line " + std::to_string(first.line) + "; ids must be unique per kind");
      }
    }
  }

  /// " in 2030" for a point of a map series, "" for a constant.
  static std::string in_year(const Series& v, int year) {
    return v.points.size() == 1 && year == 0 ? "" : " in " + std::to_string(year);
  }

  // The range rules of the loader (scenario_build.cpp), for scenarios built in code: the
  // loader refuses these values where they are written, so on a loaded scenario they never
  // fire. Comparisons are negated so that NaN fails them too; infinity exceeds every limit.

  /// `w`, or `fallback` where no location was set (a scenario built in code).
  static const SourceLocation& or_else(const SourceLocation& w, const SourceLocation& fallback) {
    return w.line > 0 ? w : fallback;
  }

  /// No larger in magnitude than magnitude_limit(d).
  void not_too_large(double v, Dimension d, Commodity c, const SourceLocation& w,
                     const std::string& what) {
    const double limit = magnitude_limit(d);
    if (std::abs(v) > limit) {
      error(w, what + " is too large to be real",
            "the limit is " + format_quantity(limit, d, c) + "; check the unit and the exponent");
    }
  }

  void non_negative(double v, Dimension d, Commodity c, const SourceLocation& w,
                    const std::string& what, const std::string& hint = "use 0 for none") {
    if (!(v >= 0.0)) {
      error(w, what + " must not be negative", hint);
    } else {
      not_too_large(v, d, c, w, what);
    }
  }

  void positive(double v, Dimension d, Commodity c, const SourceLocation& w,
                const std::string& what, const std::string& hint) {
    if (!(v > 0.0)) {
      error(w, what + " must be positive", hint);
    } else {
      not_too_large(v, d, c, w, what);
    }
  }

  void fraction(double v, const SourceLocation& w, const std::string& what,
                const std::string& hint = "write a fraction such as 0.95 or 95 %") {
    if (!(v >= 0.0 && v <= 1.0)) error(w, what + " must lie in [0, 1]", hint);
  }

  void plausible_year(int year, const SourceLocation& w, const std::string& what) {
    if (year < kEarliestYear || year > kLatestYear) {
      error(w, what + " is not a plausible year", kPlausibleYearsHint);
    }
  }

  /// The years of a series' points; a constant has the one point 0.
  void series_years(const Series& v, const SourceLocation& w, const std::string& what) {
    for (const auto& [year, x] : v.points) {
      if (v.points.size() == 1 && year == 0) continue;
      plausible_year(year, w, "year " + std::to_string(year) + " of " + what);
    }
  }

  /// A quantity over years (a flow rate unless `d` says otherwise): plausible years, each
  /// value >= 0 and within the limit, and a growth rate above -100 %/y.
  void non_negative(const Series& v, Commodity c, const SourceLocation& w, const std::string& what,
                    Dimension d = Dimension::FlowRate) {
    series_years(v, w, what);
    for (const auto& [year, x] : v.points) non_negative(x, d, c, w, what + in_year(v, year));
    growth(v, w, what);
  }

  /// A series' growth rate: above -100 %/y and at most magnitude_limit.
  void growth(const Series& v, const SourceLocation& w, const std::string& what) {
    if (!v.growth) return;
    if (!(*v.growth > -1.0 && *v.growth <= magnitude_limit(Dimension::GrowthRate))) {
      error(w, "growth of " + what + " must lie above -100 %/y and at most 10000 %/y",
            "write a yearly rate such as 3 %/y or -2 %/y");
    }
  }

  /// A date: a plausible year, and a month of 1..12 (0: the whole year).
  void date(const std::optional<YearMonth>& d, const SourceLocation& w, const std::string& what) {
    if (!d) return;
    if (d->year < kEarliestYear || d->year > kLatestYear) {
      plausible_year(d->year, w, what + " " + std::to_string(d->year));
    } else if (d->month < 0 || d->month > 12) {
      error(w, what + " has month " + std::to_string(d->month),
            "months run from 01 to 12, as in \"2031-07\"");
    }
  }

  void commodity(const CommodityProps& p, Commodity c, const SourceLocation& w) {
    const bool gas = c == Commodity::Gas;
    const std::string name = "commodities." + std::string(commodity_name(c));
    positive(p.heating_value, gas ? Dimension::GasHeatingValue : Dimension::OilHeatingValue, c, w,
             name + ".heating_value", gas ? "for example 38 MJ/m3" : "for example 42 GJ/t");
    positive(p.density_or_lng, gas ? Dimension::LngExpansion : Dimension::Density, c, w,
             name + (gas ? ".lng_expansion" : ".density"),
             gas ? "for example 1.36 bcm/Mt" : "for example 850 kg/m3");
  }

  /// Warns about series points that no year of the horizon uses: a point before the start
  /// that a later point (up to the start) overrides, or a point after the end that is neither
  /// the first point (its value then holds throughout) nor, with linear interpolation, the
  /// first point after the end (the line towards it matters).
  ///
  /// Not for a series written in a file that the user's file extends when the user's file
  /// sets the horizon itself: a study narrowing a library's horizon (one year of it, say) uses
  /// only part of the library's series by design, and their other points are not its mistakes.
  void in_horizon(const Series& v, const SourceLocation& w, const std::string& what) {
    const Horizon& h = s.horizon;
    if (v.points.size() < 2 || h.start_year == 0 || h.end_year < h.start_year) return;
    if (h.where.file == s.file && !w.file.empty() && w.file != s.file) return;
    const int first = v.points.begin()->first;
    const auto first_after_end = v.points.upper_bound(h.end_year);
    for (auto it = v.points.begin(); it != v.points.end(); ++it) {
      const int year = it->first;
      bool unused = false;
      if (year < h.start_year) {
        const auto next = std::next(it);
        unused = next != v.points.end() && next->first <= h.start_year;
      } else if (year > h.end_year) {
        unused =
            year != first && !(v.interpolation == Interpolation::Linear && it == first_after_end);
      }
      if (unused) {
        warning(w,
                what + " has a value for " + std::to_string(year) +
                    " that no year of the horizon " + std::to_string(h.start_year) + "-" +
                    std::to_string(h.end_year) + " uses",
                "check the year, or extend the horizon");
      }
    }
  }

  /// The economics of a pipeline or a route (`what` names it, `at` is where it is written).
  void check_economics(const Economics& e, const std::string& what, const SourceLocation& at) {
    const SourceLocation& capex_where = or_else(e.capex_where, at);
    if (e.capex_musd) {
      non_negative(*e.capex_musd, Dimension::Money, Commodity::Gas, capex_where,
                   "capex of " + what);
    }
    if (e.capex_musd_per_km) {
      non_negative(*e.capex_musd_per_km, Dimension::MoneyPerLength, Commodity::Gas, capex_where,
                   "capex of " + what);
    }
    fraction(e.opex_fraction, or_else(e.opex_where, at), "opex of " + what,
             "give the yearly operating cost as a share of capex, e.g. 1.5 %");
    if (e.lifetime_years) {
      lifetime(*e.lifetime_years, or_else(e.lifetime_where, at), "lifetime of " + what);
    }
    if (e.discount_rate) {
      rate(*e.discount_rate, or_else(e.discount_rate_where, at), "discount_rate of " + what);
    }
    date(e.capex_start, or_else(e.capex_start_where, at), "capex_start of " + what);
    if (e.capex_start && !e.has_capex()) {
      warning(e.capex_start_where,
              what + " has a capex_start but no capex, so the date has no effect",
              "add 'capex: ...' or remove 'capex_start'");
    }
  }

  /// A capex_start before the asset's first period in service, `start` (`when` says what
  /// that is), is an error: nothing is charged before an asset is in service (economics.h),
  /// and moving the date silently would hide a slip.
  void capex_start_in_service(const Economics& e, const std::optional<YearMonth>& start,
                              const std::string& what, const std::string& when,
                              const SourceLocation& at) {
    // A date out of range is reported on its own; comparing it would only repeat that.
    const auto valid = [](const YearMonth& ym) {
      return ym.year >= kEarliestYear && ym.year <= kLatestYear && ym.month >= 0 && ym.month <= 12;
    };
    if (!e.capex_start || !start || !valid(*e.capex_start) || !valid(*start)) return;
    const auto key = [](const YearMonth& ym) { return std::pair(ym.year, std::max(ym.month, 1)); };
    if (!(key(*e.capex_start) < key(*start))) return;
    const std::string start_text = year_month_text(*start);
    error(or_else(e.capex_start_where, at),
          "capex_start " + year_month_text(*e.capex_start) + " of " + what + " is before " + when,
          "capex and opex are charged from the first period in service at the earliest: set "
          "capex_start to \"" +
              start_text + "\" or later, or leave it out");
  }

  void lifetime(double years, const SourceLocation& w, const std::string& what) {
    positive(years, Dimension::Duration, Commodity::Gas, w, what,
             "give the years over which capex is recovered, e.g. 30 y");
  }

  void rate(double r, const SourceLocation& w, const std::string& what) {
    if (!(r >= 0.0 && r < 1.0)) {
      error(w, what + " must lie in [0, 1)", "write a rate such as 8 % or 0.08");
    }
  }

  void run() {
    const Horizon& h = s.horizon;
    rate(s.discount_rate, s.economics_where, "economics.discount_rate");
    lifetime(s.lifetime_years, s.economics_where, "economics.lifetime");
    // A year of 0 was not given: the loader reported it.
    if (h.start_year != 0)
      plausible_year(h.start_year, h.where, "horizon start " + std::to_string(h.start_year));
    if (h.end_year != 0)
      plausible_year(h.end_year, h.where, "horizon end " + std::to_string(h.end_year));
    commodity(s.gas, Commodity::Gas, s.gas_where);
    commodity(s.oil, Commodity::Oil, s.oil_where);
    if (h.start_year != 0 && h.end_year != 0 && h.end_year < h.start_year) {
      error(h.where,
            "horizon ends (" + std::to_string(h.end_year) + ") before it starts (" +
                std::to_string(h.start_year) + ")",
            "end is inclusive: {start: 2030, end: 2030} is one year");
    }
    if (s.nodes.empty()) {
      error({s.file, s.file.empty() ? 0 : 1, s.file.empty() ? 0 : 1}, "scenario has no nodes",
            "add nodes and pipelines; see scenarios/minimal.yaml");
    }
    duplicates(s.nodes, "node");
    duplicates(s.pipelines, "pipeline");
    duplicates(s.routes, "route");
    duplicates(s.contracts, "contract");
    duplicates(s.projects, "project");
    duplicates(s.events, "event");
    duplicates(s.areas, "area");
    std::map<std::string, const Node*> node_by_id;
    for (const Node& n : s.nodes) node_by_id.emplace(n.id, &n);
    std::map<std::string, const Pipeline*> pipe_by_id;
    for (const Pipeline& p : s.pipelines) pipe_by_id.emplace(p.id, &p);
    const std::vector<std::string> node_ids = ids(s.nodes), pipe_ids = ids(s.pipelines);

    for (const Node& n : s.nodes) check_node(n);
    for (const Pipeline& p : s.pipelines) check_pipeline(p, node_by_id, node_ids);
    for (const Route& r : s.routes) check_route(r, pipe_by_id, pipe_ids);
    for (const Contract& c : s.contracts) check_contract(c);
    check_projects();
    for (const Event& e : s.events) check_event(e, node_by_id, pipe_by_id);
    for (const Area& a : s.areas) check_area(a, node_by_id, node_ids);
    storage_needs_months();
    if (has_errors(out)) return;  // reachability needs valid references
    for (const Contract& c : s.contracts) contract_reach(c);
    for (const Node& n : s.nodes) spot_without_contract(n);
    for (int d : unreachable_demand_nodes(s)) {
      const Node& n = s.nodes[d];
      warning(n.where,
              "demand node '" + n.id + "' cannot be reached from any " +
                  std::string(commodity_name(n.commodity)) + " supply in any year",
              "connect it with a pipeline, or its whole demand will be shortfall");
    }
  }

  void check_node(const Node& n) {
    const std::string what = "node '" + n.id + "'";
    non_negative(n.capacity, n.commodity, or_else(n.capacity_where, n.where),
                 "capacity of " + what);
    non_negative(n.demand, n.commodity, or_else(n.demand_where, n.where), "demand of " + what);
    in_horizon(n.capacity, n.capacity_where, "capacity of " + what);
    in_horizon(n.demand, n.demand_where, "demand of " + what);
    non_negative(n.cost, n.commodity, or_else(n.cost_where, n.where), "cost of " + what,
                 Dimension::UnitCost);
    in_horizon(n.cost, n.cost_where, "cost of " + what);
    if (n.height_m && !std::isfinite(*n.height_m)) {
      error(or_else(n.height_where, n.where), "height of " + what + " must be a finite number",
            "metres above sea level, e.g. 350 m");
    }
    if (n.pressure_mpa) {
      positive(*n.pressure_mpa, Dimension::Pressure, n.commodity,
               or_else(n.pressure_where, n.where), "pressure of " + what,
               "the pressure the supply delivers at, e.g. 60 bar");
      if (n.kind != NodeKind::Supply) {
        error(or_else(n.pressure_where, n.where), "'pressure' applies to supply nodes, not " + what,
              "give 'min_pressure', the least pressure it needs");
      }
    }
    if (n.min_pressure_mpa) {
      positive(*n.min_pressure_mpa, Dimension::Pressure, n.commodity,
               or_else(n.min_pressure_where, n.where), "min_pressure of " + what,
               "the least pressure gas or oil must arrive at, e.g. 50 bar");
      if (n.kind == NodeKind::Supply) {
        error(or_else(n.min_pressure_where, n.where),
              "'min_pressure' does not apply to supply " + what,
              "a supply gives 'pressure', the pressure it delivers at");
      }
    }
    if (n.max_pressure_mpa) {
      const SourceLocation& w = or_else(n.max_pressure_where, n.where);
      positive(*n.max_pressure_mpa, Dimension::Pressure, n.commodity, w, "max_pressure of " + what,
               "the highest pressure the node may have, e.g. 80 bar");
      if (n.min_pressure_mpa && *n.min_pressure_mpa > *n.max_pressure_mpa) {
        error(w, "max_pressure of " + what + " is below its min_pressure",
              "check both values and their units");
      }
      if (n.pressure_mpa && *n.pressure_mpa > *n.max_pressure_mpa) {
        error(w, "max_pressure of " + what + " is below its pressure",
              "a supply delivers at a pressure within the node's bounds");
      }
    }
    non_negative(n.peak_demand, n.commodity, or_else(n.peak_demand_where, n.where),
                 "peak_demand of " + what);
    non_negative(n.max_throughput, n.commodity, or_else(n.max_throughput_where, n.where),
                 "max_throughput of " + what);
    non_negative(n.peak_capacity, n.commodity, or_else(n.peak_capacity_where, n.where),
                 "peak_capacity of " + what);
    if (n.kind == NodeKind::Lng && n.commodity != Commodity::Gas) {
      error(n.where, "lng " + what + " must carry gas",
            "an LNG terminal regasifies gas; remove 'commodity: oil' or use 'kind: supply'");
    }
    if (n.kind == NodeKind::Storage) check_storage(n, what);
    if (n.priority < 1 || n.priority > 100) {
      error(or_else(n.priority_where, n.where),
            "priority of " + what + " must be 1 to 100, got " + std::to_string(n.priority),
            "1 is served first");
    }
    service_dates(n.online, n.retire, n.ramp_up, n.online_where, n.retire_where, n.ramp_where,
                  n.where, what);
    profile(n.profile, or_else(n.profile_where, n.where), n.commodity, what);
  }

  /// 12 non-negative monthly weights, at least one positive (`what` names the owner).
  void profile(const std::vector<double>& weights, const SourceLocation& w, Commodity c,
               const std::string& what) {
    if (weights.empty()) return;
    if (weights.size() != 12) {
      error(w,
            "profile of " + what + " must hold 12 monthly weights, got " +
                std::to_string(weights.size()),
            "list one weight per month, January first");
    } else if (std::any_of(weights.begin(), weights.end(), [](double x) { return !(x >= 0.0); })) {
      error(w, "profile of " + what + " must not be negative", "use 0 for a month without demand");
    } else if (const double most = *std::max_element(weights.begin(), weights.end());
               most > magnitude_limit(Dimension::Fraction)) {
      not_too_large(most, Dimension::Fraction, c, w, "profile of " + what);
    } else if (std::all_of(weights.begin(), weights.end(), [](double x) { return x == 0.0; })) {
      error(w, "profile of " + what + " has no positive weight",
            "give at least one month a weight above 0");
    }
  }

  /// `online`, `retire` and `ramp_up` of a pipeline, a supply or a project: plausible dates,
  /// retire after online, ramp fractions, and a ramp that has an online date to count from.
  void service_dates(const std::optional<YearMonth>& online, const std::optional<YearMonth>& retire,
                     const std::vector<double>& ramp_up, const SourceLocation& online_where,
                     const SourceLocation& retire_where, const SourceLocation& ramp_where,
                     const SourceLocation& at, const std::string& what) {
    if (std::any_of(ramp_up.begin(), ramp_up.end(),
                    [](double r) { return !(r >= 0.0 && r <= 1.0); })) {
      error(or_else(ramp_where, at), "ramp_up of " + what + " must lie in [0, 1]",
            "list the share of capacity in each year from online, e.g. [0.2, 0.5]");
    }
    date(online, or_else(online_where, at), "online date of " + what);
    date(retire, or_else(retire_where, at), "retire date of " + what);
    // The ramp counts from `online`, so without one it has no effect (README: allowed, but
    // likely a slip). An `online` that was written but did not parse was reported when loading.
    if (!ramp_up.empty() && !online && online_where.line == 0) {
      warning(ramp_where, what + " has a ramp_up but no 'online' date, so the ramp has no effect",
              "add 'online: <year>' to count the ramp from, or remove 'ramp_up'");
    }
    if (online && retire &&
        std::pair(retire->year, retire->month) <= std::pair(online->year, online->month)) {
      error(retire_where, what + " retires before it comes online",
            "'retire' is the first period out of service; it must follow 'online'");
    }
  }

  void check_storage(const Node& n, const std::string& what) {
    const SourceLocation& volume_where = or_else(n.working_volume_where, n.where);
    positive(n.working_volume, Dimension::Volume, n.commodity, volume_where,
             "working_volume of " + what, "give the volume it can cycle, e.g. 4 bcm");
    non_negative(n.injection, n.commodity, or_else(n.injection_where, n.where),
                 "injection of " + what);
    non_negative(n.withdrawal, n.commodity, or_else(n.withdrawal_where, n.where),
                 "withdrawal of " + what);
    in_horizon(n.injection, n.injection_where, "injection of " + what);
    in_horizon(n.withdrawal, n.withdrawal_where, "withdrawal of " + what);
    auto level = [&](const StorageLevel& l, const SourceLocation& w, const std::string& name) {
      const std::string key = name + " of " + what;
      if (l.is_fraction) {
        fraction(l.value, w, key, "write a share of the working volume such as 50 %, or a volume");
        return;
      }
      non_negative(l.value, Dimension::Volume, n.commodity, w, key);
      if (n.working_volume > 0.0 && l.value > n.working_volume) {
        error(w,
              key + " (" + format_quantity(l.value, Dimension::Volume, n.commodity) +
                  ") exceeds its working_volume (" +
                  format_quantity(n.working_volume, Dimension::Volume, n.commodity) + ")",
              "a storage holds at most its working volume; lower the level or raise the volume");
      }
    };
    level(n.initial, or_else(n.initial_where, n.where), "initial");
    if (n.end_target) level(*n.end_target, or_else(n.end_where, n.where), "end");
  }

  /// One warning for all storage nodes of a scenario at yearly resolution.
  void storage_needs_months() {
    if (s.resolution != Resolution::Year) return;
    std::vector<const Node*> storage;
    for (const Node& n : s.nodes) {
      if (n.kind == NodeKind::Storage) storage.push_back(&n);
    }
    if (storage.empty()) return;
    std::string ids;
    for (std::size_t k = 0; k < storage.size() && k < 3; ++k) {
      ids += (k ? ", '" : "'") + storage[k]->id + "'";
    }
    if (storage.size() > 3) ids += ", ...";
    warning(storage.front()->where,
            std::to_string(storage.size()) + " storage node" + (storage.size() > 1 ? "s" : "") +
                " (" + ids + ") " + (storage.size() > 1 ? "have" : "has") +
                " no effect with 'resolution: year': gas passes " +
                (storage.size() > 1 ? "them" : "it") + " as at a junction",
            "set 'resolution: month' to move volume between the months of a year");
  }

  void check_event(const Event& e, const std::map<std::string, const Node*>& node_by_id,
                   const std::map<std::string, const Pipeline*>& pipe_by_id) {
    const std::string what = "event '" + e.id + "'";
    const SourceLocation& target_where = or_else(e.target_where, e.where);
    if (!e.target.empty()) {
      const auto node = node_by_id.find(e.target);
      if (node != node_by_id.end()) {
        const NodeKind k = node->second->kind;
        if (k != NodeKind::Supply && k != NodeKind::Storage && k != NodeKind::Lng &&
            k != NodeKind::Demand) {
          error(target_where,
                "target of " + what + " is " + std::string(node_kind_name(k)) + " node '" +
                    e.target + "'",
                "an event hits a pipeline, or a supply, demand, storage or lng node");
        }
      } else if (!pipe_by_id.contains(e.target)) {
        std::vector<std::string> targets;
        for (const Pipeline& p : s.pipelines) targets.push_back(p.id);
        for (const Node& n : s.nodes) {
          if (n.kind == NodeKind::Supply || n.kind == NodeKind::Storage ||
              n.kind == NodeKind::Lng || n.kind == NodeKind::Demand) {
            targets.push_back(n.id);
          }
        }
        error(target_where, what + " targets unknown pipeline or node '" + e.target + "'",
              suggest(e.target, targets));
      }
    }
    const SourceLocation& from_where = or_else(e.from_where, e.where);
    const SourceLocation& to_where = or_else(e.to_where, e.where);
    auto date_ok = [&](const Date& d, const SourceLocation& w, const std::string& name) {
      if (d.year == 0) return false;  // not given: the loader reported it
      if (d.year < kEarliestYear || d.year > kLatestYear) {
        plausible_year(d.year, w, name + " date of " + what + " " + std::to_string(d.year));
        return false;
      }
      if (d.month < 0 || d.month > 12 || d.day < 0 ||
          (d.day > 0 && (d.month == 0 || d.day > days_in_month(d.year, d.month)))) {
        error(w, name + " date of " + what + " is not a date",
              "write 2031, \"2031-03\" or \"2031-01-15\"");
        return false;
      }
      return true;
    };
    const bool dates = date_ok(e.from, from_where, "from") && date_ok(e.to, to_where, "to");
    if (dates && date_end_day(e.to) <= date_first_day(e.from)) {
      error(to_where, what + " ends before it starts",
            "'to' is the last day, month or year of the event, inclusive; it must not come "
            "before 'from'");
    }
    if (e.derate && e.capacity_left) {
      error(or_else(e.capacity_where, e.where), what + " gives both 'derate' and 'capacity'",
            "give the share lost ('derate: 40 %') or the capacity left ('capacity: 10 bcm/y'), "
            "not both");
    }
    if (e.derate) {
      fraction(*e.derate, or_else(e.derate_where, e.where), "derate of " + what,
               "write the share of capacity lost, 0 to 100 %");
    }
    if (e.capacity_left) {
      non_negative(*e.capacity_left, Dimension::FlowRate, Commodity::Gas,
                   or_else(e.capacity_where, e.where), "capacity of " + what,
                   "give the capacity left during the event, 0 for none");
    }
    const Horizon& h = s.horizon;
    if (dates && h.start_year != 0 && h.end_year >= h.start_year &&
        (date_end_day(e.to) <= day_number(h.start_year, 1, 1) ||
         date_first_day(e.from) >= day_number(h.end_year + 1, 1, 1))) {
      warning(from_where,
              what + " lies outside the horizon " + std::to_string(h.start_year) + "-" +
                  std::to_string(h.end_year),
              "it has no effect; check its dates or extend the horizon");
    }
  }

  void check_area(const Area& a, const std::map<std::string, const Node*>& node_by_id,
                  const std::vector<std::string>& node_ids) {
    const std::string what = "area '" + a.id + "'";
    if (a.nodes.empty()) {
      error(a.where, what + " needs a non-empty 'nodes' list",
            "list the nodes of the area, e.g. 'nodes: [north, lng-north]'");
    }
    for (std::size_t k = 0; k < a.nodes.size(); ++k) {
      if (!node_by_id.contains(a.nodes[k])) {
        error(k < a.node_where.size() ? a.node_where[k] : a.where,
              what + " lists unknown node '" + a.nodes[k] + "'", suggest(a.nodes[k], node_ids));
      }
    }
  }

  void check_pipeline(const Pipeline& p, const std::map<std::string, const Node*>& node_by_id,
                      const std::vector<std::string>& node_ids) {
    const Horizon& h = s.horizon;
    const std::string what = "pipeline '" + p.id + "'";
    const Node* ends[2] = {nullptr, nullptr};
    const std::string* names[2] = {&p.from, &p.to};
    const SourceLocation* wheres[2] = {&p.from_where, &p.to_where};
    for (int k = 0; k < 2; ++k) {
      if (names[k]->empty()) continue;  // the loader reported it
      auto it = node_by_id.find(*names[k]);
      if (it == node_by_id.end()) {
        error(*wheres[k], what + " refers to unknown node '" + *names[k] + "'",
              suggest(*names[k], node_ids));
      } else {
        ends[k] = it->second;
      }
    }
    if (!p.from.empty() && p.from == p.to) {
      error(p.to_where, what + " runs from node '" + p.from + "' to itself",
            "a pipeline joins two different nodes");
    }
    for (int k = 0; k < 2; ++k) {
      if (ends[k] && ends[k]->commodity != p.commodity && !(k == 1 && ends[0] == ends[1])) {
        error(*wheres[k],
              what + " carries " + std::string(commodity_name(p.commodity)) + " but node '" +
                  ends[k]->id + "' is " + std::string(commodity_name(ends[k]->commodity)),
              "set 'commodity' on the node or the pipeline so that they agree");
      }
    }
    non_negative(p.capacity, p.commodity, or_else(p.capacity_where, p.where),
                 "capacity of " + what);
    in_horizon(p.capacity, p.capacity_where, "capacity of " + what);
    in_horizon(p.availability, p.availability_where, "availability of " + what);
    const SourceLocation& availability_where = or_else(p.availability_where, p.where);
    series_years(p.availability, availability_where, "availability of " + what);
    for (const auto& [year, a] : p.availability.points) {
      fraction(a, availability_where, "availability of " + what + in_year(p.availability, year));
    }
    service_dates(p.online, p.retire, p.ramp_up, p.online_where, p.retire_where, p.ramp_where,
                  p.where, what);
    non_negative(p.tariff, p.commodity, or_else(p.tariff_where, p.where), "tariff of " + what,
                 p.tariff_kind == TariffKind::PerUnitDistance ? Dimension::UnitCostPerDistance
                                                              : Dimension::UnitCost);
    non_negative(p.transit_fee, p.commodity, or_else(p.transit_fee_where, p.where),
                 "transit_fee of " + what, Dimension::UnitCost);
    in_horizon(p.tariff, p.tariff_where, "tariff of " + what);
    in_horizon(p.transit_fee, p.transit_fee_where, "transit_fee of " + what);
    // A fee is paid to a country; without one it could be neither reported nor checked. A
    // written fee counts even when it is 0, since the country is then most likely missing.
    const bool fee = std::any_of(p.transit_fee.points.begin(), p.transit_fee.points.end(),
                                 [](const auto& point) { return point.second != 0.0; });
    if ((fee || p.transit_fee_where.line > 0) && p.transit_country.empty()) {
      error(p.transit_fee_where.line > 0 ? p.transit_fee_where : p.where,
            what + " has a transit_fee but no transit_country",
            "add 'transit_country: <country>' or remove the fee");
    }
    non_negative(p.peak_capacity, p.commodity, or_else(p.peak_capacity_where, p.where),
                 "peak_capacity of " + what);
    check_economics(p.economics, what, p.where);
    if (p.online) {
      capex_start_in_service(p.economics, p.online, what,
                             "it comes online in " + year_month_text(*p.online), p.where);
    }
    if (p.economics.capex_musd_per_km && !p.length_km) {
      error(p.economics.capex_where.line > 0 ? p.economics.capex_where : p.where,
            "capex of " + what + " is per km but the pipeline has no 'length'",
            "add 'length: ... km' or give the capex in total (MUSD)");
    }
    if (p.length_km) {
      positive(*p.length_km, Dimension::Length, p.commodity, p.where, "length of " + what,
               "give the route length, e.g. 250 km");
    }
    if (p.diameter_mm) {
      positive(*p.diameter_mm, Dimension::Diameter, p.commodity, p.where, "diameter of " + what,
               "give the outer diameter, e.g. 1420 mm");
    }
    if (p.max_pressure_mpa) {
      positive(*p.max_pressure_mpa, Dimension::Pressure, p.commodity, p.where,
               "max_pressure of " + what, "give the maximum operating pressure, e.g. 9.8 MPa");
    }
    check_physics(p, what);
    // An online date before the horizon is an existing pipeline; the events that matter are
    // those that leave a pipeline out of service for the whole horizon.
    if (h.start_year == 0 || h.end_year < h.start_year) return;
    if (p.online && p.online->year > h.end_year) {
      warning(p.online_where,
              what + " comes online in " + std::to_string(p.online->year) +
                  ", after the horizon ends in " + std::to_string(h.end_year),
              "it carries nothing in this run; check the date or extend the horizon");
    }
    // `retire: 2024` and `retire: "2024-01"` are out of service from 1 January 2024.
    if (p.retire && (p.retire->year < h.start_year ||
                     (p.retire->year == h.start_year && p.retire->month <= 1))) {
      warning(p.retire_where,
              what + " retires in " + std::to_string(p.retire->year) +
                  (p.retire->year == h.start_year
                       ? ", as the horizon starts"
                       : ", before the horizon starts in " + std::to_string(h.start_year)),
              "it carries nothing in this run; check the date or remove the pipeline");
    }
  }

  /// A take level's rate in a year, and where it is written.
  void take_level(const TakeLevel& t, Commodity c, const SourceLocation& at,
                  const std::string& what, bool minimum) {
    const SourceLocation& w = or_else(t.where, at);
    if (t.share && minimum) {
      fraction(*t.share, w, what, "give a share of the ACQ such as 85 % or 0.85, or a volume");
    } else if (t.share) {
      if (!(*t.share >= 0.0)) {
        error(w, what + " must not be negative", "give a share of the ACQ such as 85 %");
      } else {
        not_too_large(*t.share, Dimension::Fraction, c, w, what);
      }
    } else {
      non_negative(t.volume, c, w, what);
      in_horizon(t.volume, t.where, what);
    }
  }

  void check_contract(const Contract& c) {
    const std::string what = "contract '" + c.id + "'";
    const ContractSeller seller = contract_seller(s, c);
    Commodity commodity = Commodity::Gas;
    const SourceLocation& seller_where = or_else(c.seller_where, c.where);
    if (c.seller.empty()) {
      // the loader reported it
    } else if (seller.index < 0) {
      std::vector<std::string> candidates;
      if (c.seller_kind != SellerKind::Route) {
        for (const Node& n : s.nodes) {
          if (n.kind == NodeKind::Supply || n.kind == NodeKind::Lng) candidates.push_back(n.id);
        }
      }
      if (c.seller_kind != SellerKind::Supply) {
        for (const Route& r : s.routes) candidates.push_back(r.id);
      }
      const char* kind = c.seller_kind == SellerKind::Supply  ? "supply node"
                         : c.seller_kind == SellerKind::Route ? "route"
                                                              : "supply node or route";
      error(seller_where, what + " refers to unknown " + std::string(kind) + " '" + c.seller + "'",
            suggest(c.seller, candidates));
    } else if (seller.kind == SellerKind::Supply) {
      commodity = s.nodes[seller.index].commodity;
      if (c.seller_kind == SellerKind::Any) {
        for (const Route& r : s.routes) {
          if (r.id != c.seller) continue;
          error(
              seller_where,
              "seller '" + c.seller + "' of " + what + " names both a supply node and a route",
              "write 'seller: {supply: " + c.seller + "}' or 'seller: {route: " + c.seller + "}'");
          break;
        }
      }
    } else {
      for (const Pipeline& p : s.pipelines) {
        if (!s.routes[seller.index].pipelines.empty() &&
            p.id == s.routes[seller.index].pipelines.front()) {
          commodity = p.commodity;
        }
      }
      if (!c.price.empty()) {
        error(or_else(c.price_where, c.where),
              "price of " + what +
                  " does not apply to a route seller: the supplies that feed "
                  "route '" +
                  c.seller + "' price its volume",
              "remove 'price', or make a supply node the seller");
      }
      if (c.min_take.given() && c.rule == ContractRule::Soft && c.take_or_pay.empty()) {
        warning(or_else(c.min_take.where, c.where),
                "the soft minimum of " + what +
                    " costs nothing to miss: a route contract has no "
                    "price for take_or_pay to default to",
                "give 'take_or_pay: ...', or make the rule hard");
      }
    }
    const SourceLocation& acq_where = or_else(c.acq_where, c.where);
    non_negative(c.acq, commodity, acq_where, "acq of " + what);
    in_horizon(c.acq, c.acq_where, "acq of " + what);
    take_level(c.min_take, commodity, c.where, "min_take of " + what, true);
    take_level(c.max_take, commodity, c.where, "max_take of " + what, false);
    non_negative(c.price, commodity, or_else(c.price_where, c.where), "price of " + what,
                 Dimension::UnitCost);
    non_negative(c.take_or_pay, commodity, or_else(c.take_or_pay_where, c.where),
                 "take_or_pay of " + what, Dimension::UnitCost);
    date(c.start, or_else(c.start_where, c.where), "start date of " + what);
    date(c.end, or_else(c.end_where, c.where), "end date of " + what);
    if (c.start && c.end &&
        std::pair(c.end->year, c.end->month) <= std::pair(c.start->year, c.start->month)) {
      error(or_else(c.end_where, c.where), what + " ends before it starts",
            "'end' is the first period no longer under contract; it must follow 'start'");
    }
    profile(c.profile, or_else(c.profile_where, c.where), commodity, what);
    for (std::size_t k = 0; k < c.buyers.size(); ++k) {
      const std::string& b = c.buyers[k];
      const bool demand = std::any_of(s.nodes.begin(), s.nodes.end(), [&](const Node& n) {
        return n.id == b && n.kind == NodeKind::Demand;
      });
      if (demand) continue;
      std::vector<std::string> demands;
      for (const Node& n : s.nodes) {
        if (n.kind == NodeKind::Demand) demands.push_back(n.id);
      }
      error(k < c.buyer_where.size() ? c.buyer_where[k] : c.where,
            "buyer '" + b + "' of " + what + " is not a demand node", suggest(b, demands));
    }
    // The minimum may not exceed the maximum in any year of the horizon under contract.
    const Horizon& h = s.horizon;
    if (!c.min_take.given() || h.start_year == 0 || h.end_year < h.start_year) return;
    for (int year = h.start_year; year <= h.end_year; ++year) {
      if (share_of_year(c.start, c.end, year) == 0.0) continue;
      const double min = c.min_take.rate(c.acq, year);
      const double max = c.max_take.given() ? c.max_take.rate(c.acq, year) : value_at(c.acq, year);
      if (min > max + 1e-12) {
        const std::string unit = std::string(volume_unit(commodity)) + "/y";
        error(or_else(c.min_take.where, c.where),
              "min_take of " + what + " (" + format_quantity(min, Dimension::FlowRate, commodity) +
                  " in " + std::to_string(year) + ") exceeds its max_take (" +
                  format_quantity(max, Dimension::FlowRate, commodity) + ")",
              "the contract cannot take more than its maximum; lower min_take or raise max_take");
        return;
      }
    }
  }

  /// An element other than a pipe (`type:`): what it needs and what does not apply to it.
  void check_element(const Pipeline& p, const std::string& what) {
    using T = PipelineType;
    const SourceLocation& w = or_else(p.type_where, p.where);
    if (p.type != T::Pipe && p.commodity != Commodity::Gas) {
      error(w,
            "type '" + std::string(pipeline_type_name(p.type)) + "' of " + what +
                " applies to gas only",
            "an oil pipeline is a pipe; give its pump stations in 'stations:'");
    }
    if (p.type != T::Pipe && !p.stations.empty()) {
      error(or_else(p.stations_where, w), "'stations' does not apply to " + what,
            "stations belong to pipes; a compressor element is a station itself");
    }
    if (p.outlet_pressure_mpa) {
      positive(*p.outlet_pressure_mpa, Dimension::Pressure, p.commodity,
               or_else(p.outlet_pressure_where, w), "outlet_pressure of " + what,
               "the pressure it holds at its outlet, e.g. 80 bar");
    }
    if (p.set_ratio && !(*p.set_ratio >= 1.0)) {
      error(or_else(p.ratio_where, w), "ratio of " + what + " must be at least 1",
            "outlet over inlet pressure, e.g. 1.4; a station does not throttle");
    }
    if (p.type == T::Compressor && p.open &&
        p.outlet_pressure_mpa.has_value() == p.set_ratio.has_value()) {
      const bool both = p.outlet_pressure_mpa.has_value();
      error(both ? or_else(p.ratio_where, w) : w,
            what + (both ? " gives both 'outlet_pressure' and 'ratio'"
                         : " holds neither 'outlet_pressure' nor 'ratio'"),
            "a compressor holds one of them, e.g. 'outlet_pressure: 80 bar' or 'ratio: 1.4'; "
            "or write 'open: false' for a closed one");
    }
    if (p.type == T::Regulator && p.open && !p.outlet_pressure_mpa) {
      error(w, what + " has no 'outlet_pressure'",
            "a regulator holds its outlet at a set point, e.g. 'outlet_pressure: 40 bar'; or "
            "write 'open: false'");
    }
    if (p.type == T::Resistor && !p.drag_factor) {
      error(w, what + " has no 'drag_factor'", "the drag factor zeta, e.g. 'drag_factor: 10'");
    }
    if (p.drag_factor && !(*p.drag_factor > 0.0)) {
      error(or_else(p.drag_where, w), "drag_factor of " + what + " must be positive",
            "the drag factor zeta, e.g. 10");
    }
    if (p.type == T::Resistor && !p.diameter_mm) {
      error(w, what + " has no 'diameter'",
            "the drag factor applies to the velocity in this diameter, e.g. 'diameter: 900 mm'");
    }
  }

  /// The physical data of a pipeline (hydraulics; the loader checks the same, located at
  /// each value).
  void check_physics(const Pipeline& p, const std::string& what) {
    check_element(p, what);
    if (p.wall_thickness_mm) {
      positive(*p.wall_thickness_mm, Dimension::Diameter, p.commodity,
               or_else(p.wall_thickness_where, p.where), "wall_thickness of " + what,
               "give the wall thickness, e.g. 23.2 mm");
      if (p.diameter_mm && 2.0 * *p.wall_thickness_mm >= *p.diameter_mm) {
        error(or_else(p.wall_thickness_where, p.where),
              "wall_thickness of " + what + " leaves no inside: twice it is not below the diameter",
              "the diameter is the outer one; check both values and their units");
      }
    }
    if (p.roughness_mm) {
      positive(*p.roughness_mm, Dimension::Diameter, p.commodity,
               or_else(p.roughness_where, p.where), "roughness of " + what,
               "the internal roughness, e.g. 0.012 mm");
    }
    if (p.stations.empty()) return;
    const SourceLocation& w = or_else(p.stations_where, p.where);
    if (!p.length_km) {
      error(w, "the stations of " + what + " need its 'length'",
            "add 'length: ... km' to the pipeline");
    }
    const bool gas = p.commodity == Commodity::Gas;
    for (std::size_t i = 0; i < p.stations.size(); ++i) {
      const Station& st = p.stations[i];
      const std::string of = "station '" + st.name + "' of " + what;
      const SourceLocation& sw = or_else(st.where, w);
      if (!(st.position_km >= 0.0) || (p.length_km && !(st.position_km < *p.length_km))) {
        error(sw, of + " is not on the line", "a station lies at 0 km or after, before the end");
      }
      if (i > 0 && !(st.position_km > p.stations[i - 1].position_km)) {
        error(sw, of + " is not after the station before it",
              "list the stations in order of position, each at its own place");
      }
      if (st.max_power_mw && !(*st.max_power_mw > 0.0)) {
        error(sw, "max_power of " + of + " must be positive", "shaft power, e.g. 128 MW");
      }
      if (st.max_ratio && (!gas || !(*st.max_ratio > 1.0))) {
        error(sw,
              gas ? "max_ratio of " + of + " must be above 1"
                  : "max_ratio does not apply to the pump stations of an oil pipeline",
              gas ? "outlet over inlet pressure, e.g. 1.7" : "give 'max_head' instead");
      }
      if (st.max_head_m && (gas || !(*st.max_head_m > 0.0))) {
        error(sw,
              gas ? "max_head does not apply to the compressor stations of a gas pipeline"
                  : "max_head of " + of + " must be positive",
              gas ? "give 'max_ratio' instead" : "e.g. 600 m");
      }
      for (auto [v, name] : {std::pair{st.efficiency, "efficiency"},
                             std::pair{st.drive_efficiency, "drive_efficiency"}}) {
        if (v && !(*v > 0.0 && *v <= 1.0)) {
          error(sw, std::string(name) + " of " + of + " must lie in (0, 1]", "e.g. 0.85");
        }
      }
      if (st.fuel_share && !(*st.fuel_share >= 0.0 && *st.fuel_share <= 1.0)) {
        error(sw, "fuel_share of " + of + " must lie in [0, 1]", "e.g. 0.005 or 0.5 %");
      }
      if (!gas && (st.drive_efficiency || st.fuel_share)) {
        error(sw, "pump stations burn no gas: drive_efficiency and fuel_share apply to gas",
              "remove them from " + of);
      }
    }
  }

  /// Share of `year` between `from` and `until` (month 0: January), for validation only.
  static double share_of_year(const std::optional<YearMonth>& from,
                              const std::optional<YearMonth>& until, int year) {
    const auto point = [](const YearMonth& ym) {
      return ym.year + (std::max(ym.month, 1) - 1) / 12.0;
    };
    const double a = std::max<double>(year, from ? point(*from) : year);
    const double b = std::min<double>(year + 1, until ? point(*until) : year + 1);
    return std::max(0.0, b - a);
  }

  /// A supply that sells only under contract but has no contract sells nothing.
  void spot_without_contract(const Node& n) {
    if (n.kind != NodeKind::Supply || n.spot) return;
    for (const Contract& c : s.contracts) {
      const ContractSeller seller = contract_seller(s, c);
      if (seller.kind == SellerKind::Supply && s.nodes[seller.index].id == n.id) return;
    }
    warning(
        or_else(n.spot_where, n.where),
        "supply node '" + n.id + "' sells only under contract (spot: false) but has no contract",
        "it supplies nothing; add a contract with 'seller: " + n.id + "', or remove 'spot'");
  }

  /// Warnings about buyers the seller cannot reach through any pipeline.
  void contract_reach(const Contract& c) {
    const ContractSeller seller = contract_seller(s, c);
    if (seller.index < 0) return;
    std::string from;
    if (seller.kind == SellerKind::Supply) {
      from = s.nodes[seller.index].id;
    } else {
      // The route's far end: the node its last pipeline reaches along the route.
      const Route& r = s.routes[seller.index];
      std::map<std::string, const Pipeline*> by_id;
      for (const Pipeline& p : s.pipelines) by_id.emplace(p.id, &p);
      if (r.pipelines.empty()) return;
      const Pipeline* last = by_id.at(r.pipelines.back());
      from = last->to;
      if (r.pipelines.size() > 1) {
        const Pipeline* prev = by_id.at(r.pipelines[r.pipelines.size() - 2]);
        from = last->from == prev->to || last->from == prev->from ? last->to : last->from;
      }
    }
    const std::vector<int> reach = demand_nodes_reachable_from(s, from);
    for (std::size_t k = 0; k < c.buyers.size(); ++k) {
      const std::string& b = c.buyers[k];
      int node = -1;
      for (int i = 0; i < static_cast<int>(s.nodes.size()); ++i) {
        if (s.nodes[i].id == b && s.nodes[i].kind == NodeKind::Demand) node = i;
      }
      if (node < 0 || std::find(reach.begin(), reach.end(), node) != reach.end()) continue;
      warning(k < c.buyer_where.size() ? c.buyer_where[k] : c.where,
              "buyer '" + b + "' of contract '" + c.id + "' cannot be reached from its seller '" +
                  c.seller + "' through any pipeline",
              "none of the contract's volume can reach it; check the buyers");
    }
  }

  void check_projects() {
    // Members by kind: the first project that lists each.
    std::map<std::string, std::string> first[3];
    const char* kinds[3] = {"pipeline", "supply node", "route"};
    std::vector<std::string> ids[3];
    for (const Pipeline& p : s.pipelines) ids[0].push_back(p.id);
    for (const Node& n : s.nodes) {
      if (n.kind == NodeKind::Supply) ids[1].push_back(n.id);
    }
    for (const Route& r : s.routes) ids[2].push_back(r.id);
    for (const Project& p : s.projects) {
      const std::string what = "project '" + p.id + "'";
      service_dates(p.online, p.retire, p.ramp_up, p.online_where, p.retire_where, p.ramp_where,
                    p.where, what);
      for (const CapexTranche& t : p.capex) {
        non_negative(t.musd, Dimension::Money, Commodity::Gas, or_else(t.where, p.where),
                     "capex of " + what);
        date(std::optional<YearMonth>(t.date), or_else(t.where, p.where),
             "date of a capex tranche of " + what);
      }
      fraction(p.opex_fraction, or_else(p.opex_where, p.where), "opex of " + what,
               "give the yearly operating cost as a share of capex, e.g. 1.5 %");
      if (p.lifetime_years) {
        lifetime(*p.lifetime_years, or_else(p.lifetime_where, p.where), "lifetime of " + what);
      }
      if (p.discount_rate) {
        rate(*p.discount_rate, or_else(p.discount_rate_where, p.where), "discount_rate of " + what);
      }
      const std::vector<std::string>* lists[3] = {&p.pipelines, &p.supplies, &p.routes};
      const std::vector<SourceLocation>* wheres[3] = {&p.pipeline_where, &p.supply_where,
                                                      &p.route_where};
      for (int k = 0; k < 3; ++k) {
        for (std::size_t i = 0; i < lists[k]->size(); ++i) {
          const std::string& m = (*lists[k])[i];
          const SourceLocation& w = i < wheres[k]->size() ? (*wheres[k])[i] : p.where;
          if (std::find(ids[k].begin(), ids[k].end(), m) == ids[k].end()) {
            error(w, what + " refers to unknown " + std::string(kinds[k]) + " '" + m + "'",
                  suggest(m, ids[k]));
            continue;
          }
          const auto [it, fresh] = first[k].emplace(m, p.id);
          if (!fresh) {
            error(w,
                  std::string(kinds[k]) + " '" + m + "' is a member of project '" + it->second +
                      "' and of " + what,
                  "a member belongs to one project; remove it from one of them");
          }
        }
      }
      if (!p.capex.empty() && p.pipelines.empty() && p.routes.empty()) {
        error(or_else(p.capex_where, p.where),
              what + " has capex but no pipeline or route to carry it",
              "list its pipelines (capex is shared by length) or its routes");
      }
    }
    // A member's own date that differs from its project's is kept, and said.
    auto own_date = [&](const std::string& kind, const std::string& id, const std::string& proj,
                        const char* key, const std::optional<YearMonth>& mine, bool inherited,
                        const std::optional<YearMonth>& theirs, const SourceLocation& w) {
      if (inherited || !mine || !theirs || *mine == *theirs) return;
      warning(w,
              kind + " '" + id + "' keeps its own " + key + " " + year_month_text(*mine) +
                  ", not the " + year_month_text(*theirs) + " of its project '" + proj + "'",
              std::string("remove the ") + kind + "'s own '" + key +
                  "' to follow the project, or make them agree");
    };
    for (const Pipeline& pl : s.pipelines) {
      const Project* p = project_named(pl.project);
      if (!p) continue;
      own_date("pipeline", pl.id, p->id, "online", pl.online, pl.online_from_project, p->online,
               or_else(pl.online_where, pl.where));
      own_date("pipeline", pl.id, p->id, "retire", pl.retire, pl.retire_from_project, p->retire,
               or_else(pl.retire_where, pl.where));
    }
    for (const Node& n : s.nodes) {
      const Project* p = project_named(n.project);
      if (!p) continue;
      own_date("supply node", n.id, p->id, "online", n.online, n.online_from_project, p->online,
               or_else(n.online_where, n.where));
      own_date("supply node", n.id, p->id, "retire", n.retire, n.retire_from_project, p->retire,
               or_else(n.retire_where, n.where));
    }
  }

  const Project* project_named(const std::string& id) const {
    if (id.empty()) return nullptr;
    for (const Project& p : s.projects) {
      if (p.id == id) return &p;
    }
    return nullptr;
  }

  void check_route(const Route& r, const std::map<std::string, const Pipeline*>& pipe_by_id,
                   const std::vector<std::string>& pipe_ids) {
    const std::string what = "route '" + r.id + "'";
    if (!r.meter.empty() &&
        std::find(r.pipelines.begin(), r.pipelines.end(), r.meter) == r.pipelines.end()) {
      error(r.meter_where, "meter '" + r.meter + "' of " + what + " is not on the route",
            r.pipelines.empty() ? "" : suggest(r.meter, r.pipelines));
    }
    // Routes built in code may carry no per-pipeline locations; fall back to the route's.
    auto where_of = [&r](std::size_t k) -> const SourceLocation& {
      return k < r.pipeline_where.size() ? r.pipeline_where[k] : r.where;
    };
    check_economics(r.economics, what, r.where);
    std::vector<const Pipeline*> path;
    for (std::size_t k = 0; k < r.pipelines.size(); ++k) {
      auto it = pipe_by_id.find(r.pipelines[k]);
      if (it == pipe_by_id.end()) {
        error(where_of(k), what + " refers to unknown pipeline '" + r.pipelines[k] + "'",
              suggest(r.pipelines[k], pipe_ids));
      } else {
        path.push_back(it->second);
      }
    }
    if (path.empty() || path.size() != r.pipelines.size()) return;
    // A route is in service from the last `online` of its pipelines (economics.h).
    const Pipeline* last_online = nullptr;
    for (const Pipeline* p : path) {
      if (p->online &&
          (!last_online ||
           std::pair(last_online->online->year, std::max(last_online->online->month, 1)) <
               std::pair(p->online->year, std::max(p->online->month, 1)))) {
        last_online = p;
      }
    }
    if (last_online) {
      capex_start_in_service(r.economics, last_online->online, what,
                             "the route is in service in " + year_month_text(*last_online->online) +
                                 ", when its pipeline '" + last_online->id + "' comes online",
                             r.where);
    }
    // Capex per km of a route is per km of its pipelines' lengths: each needs one.
    if (r.economics.capex_musd_per_km) {
      for (const Pipeline* p : path) {
        if (p->length_km) continue;
        error(r.economics.capex_where.line > 0 ? r.economics.capex_where : r.where,
              "capex of " + what + " is per km but its pipeline '" + p->id + "' has no 'length'",
              "add 'length: ... km' to pipeline '" + p->id +
                  "' or give the route's capex in total (MUSD)");
      }
    }
    // Walk the path: each pipeline must continue from the node the previous one reached.
    std::string at;
    std::set<std::string> visited;
    for (std::size_t k = 0; k < path.size(); ++k) {
      const Pipeline& p = *path[k];
      const SourceLocation& w = where_of(k);
      if (p.commodity != path[0]->commodity) {
        error(w, what + " mixes gas and oil pipelines", "a route carries one commodity");
        return;
      }
      std::string next;
      bool against = false;
      if (k == 0) {
        // Orient the first pipeline towards the second (or from -> to alone).
        const Pipeline* second = path.size() > 1 ? path[1] : nullptr;
        against = second && (p.from == second->from || p.from == second->to) &&
                  !(p.to == second->from || p.to == second->to);
        at = against ? p.to : p.from;
        next = against ? p.from : p.to;
        visited.insert(at);
      } else if (p.from == at) {
        next = p.to;
      } else if (p.to == at) {
        next = p.from;
        against = true;
      } else {
        error(w,
              what + " is not a path: pipeline '" + p.id + "' (" + p.from + " -> " + p.to +
                  ") does not continue from node '" + at + "'",
              "list the pipelines in order along the route");
        return;
      }
      if (against && !p.bidirectional) {
        error(w,
              what + " runs pipeline '" + p.id + "' (" + p.from + " -> " + p.to +
                  ") against its direction",
              "make the pipeline bidirectional, or list the route the other way round");
        return;
      }
      if (!visited.insert(next).second) {
        error(w, what + " is not a path: it visits node '" + next + "' twice",
              "a route runs from one end to the other without loops");
        return;
      }
      at = next;
    }
  }
};

}  // namespace

std::vector<Diagnostic> validate(const Scenario& s) {
  Checker c{s, {}};
  c.run();
  std::vector<Diagnostic> out = std::move(c.out);
  for (Diagnostic& d : validate_uncertainty(s)) out.push_back(std::move(d));
  return out;
}

}  // namespace corridor
