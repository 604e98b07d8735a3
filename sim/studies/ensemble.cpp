#include "corridor/ensemble.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "corridor/events.h"
#include "corridor/network.h"
#include "corridor/random.h"
#include "corridor/simulate.h"
#include "corridor/validate.h"

namespace corridor {
namespace {

constexpr int kBlock = 16;  // draws a thread takes at a time
// Memo of solved periods, per thread and commodity: cleared when it holds this many bytes.
constexpr std::size_t kMemoBytes = std::size_t{48} << 20;

std::int64_t ticks(double v, int decimals) {
  static constexpr double kScale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
  return std::llround(v * kScale[decimals]);
}

/// One sampled input, compiled.
struct Input {
  ParamTarget target;
  const Sample* sample = nullptr;
  std::uint64_t stream = 0;  ///< the stream's own part of the key
  int slot = 0;              ///< first slot of its values in inputs.csv
  /// For a series: its value in each year of the horizon, in the case (what a relative draw
  /// multiplies and a bernoulli that does not fire keeps).
  std::vector<double> base_values;
  /// What the input bounds: the commodity (index in CasePlan::commodities) and the entity's
  /// position in that network's pipelines, supplies or demands; none for a cost or economics.
  enum class Bounds { None, Pipeline, Supply, Demand } bounds = Bounds::None;
  int commodity = -1, position = -1;
  bool costs = false;  ///< changes a cost of commodity `commodity` (or of every commodity: -1)
};

/// One target of one random outage process (uncertainty.h), compiled once per case.
struct OutageTarget {
  int process = 0;  ///< index in Uncertainty::outages
  const OutageProcess* o = nullptr;
  bool pipeline = true;  ///< else a supply node
  int entity = -1;       ///< index into Scenario::pipelines or ::nodes
  std::uint64_t stream = 0;
  double events_per_year = 0.0;
  int commodity = -1, position = -1;  ///< in the case's networks (plan_case)
};

/// The key of a case's draws: (seed, scenario/case); draw k's is stream_key(this, k).
std::uint64_t case_key(const Scenario& s, std::uint64_t seed) {
  return stream_key(seed, hash_text(s.name + "\x1f" + s.case_name));
}

/// Every target of every outage process of `s`, in process, then scenario order.
std::vector<OutageTarget> outage_targets(const Scenario& s) {
  std::vector<OutageTarget> out;
  const std::vector<OutageProcess>& list = s.uncertainty.outages;
  std::vector<Diagnostic> diags;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const OutageProcess& o = list[i];
    const std::string identity = o.id.empty() ? "#" + std::to_string(i + 1) : o.id;
    for (const ParamTarget& t : resolve_entities(s, o.target, o.target_where, diags)) {
      OutageTarget x;
      x.process = static_cast<int>(i);
      x.o = &o;
      x.pipeline = t.section == "pipelines";
      x.entity = t.entity;
      x.stream = hash_text("outage\x1f" + identity + "\x1f" + std::string(param_entity_id(s, t)));
      x.events_per_year =
          o.rate_per_1000km_year
              ? *o.rate_per_1000km_year * s.pipelines[t.entity].length_km.value_or(0.0) / 1000.0
              : o.rate_per_year;
      out.push_back(x);
    }
  }
  throw_if_errors(diags);  // validate() has passed: only a bug gets here
  return out;
}

/// A day counted from 1970-01-01 as a date of a dated event.
Date day_date(int day) {
  const std::chrono::year_month_day d{std::chrono::sys_days{std::chrono::days{day}}};
  return {static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month())),
          static_cast<int>(static_cast<unsigned>(d.day()))};
}

/// The civil year of a day counted from 1970-01-01.
int year_of_day(int day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  return static_cast<int>(ymd.year());
}

/// The unperturbed case in one period: bounds, and the solution they give.
struct BasePeriod {
  std::vector<std::int64_t> upper;
  std::int64_t demand = 0;
  /// The period's scaled arc costs (costs change by year: network.h), their C and their
  /// largest magnitude, for the objective check of a draw that changes bounds only.
  std::vector<std::int64_t> cost;
  std::int64_t real_cost_sum = 0, max_cost = 0;
  PeriodResult result;
};

/// The largest |cost| of a period's arcs (a soft contract minimum's cost may be negative).
std::int64_t largest_cost(const std::vector<std::int64_t>& cost) {
  std::int64_t m = 0;
  for (std::int64_t c : cost) m = std::max(m, c < 0 ? -c : c);
  return m;
}

struct CommodityPlan {
  Commodity commodity = Commodity::Gas;
  Network net;
  std::vector<BasePeriod> base;  ///< per period of the horizon
  /// The case's own events (events.h) on each entry of Network::pipelines and ::supplies: what
  /// a draw's random outages on the entity join.
  std::vector<std::vector<Outage>> pipeline_events, supply_events;
  /// The case's own events on each entry of Network::demands (a refinery turnaround): a draw
  /// that changes a demand keeps them (demand_in).
  std::vector<std::vector<Outage>> demand_events;
  /// Positions (in Network::pipelines, ::supplies, ::demands) whose bounds a sample touches.
  std::vector<int> pipelines, supplies, demands;
  bool costs = false;   ///< a sample touches a cost of this commodity
  int metric_base = 0;  ///< index of its first metric
  int per_year = 0;     ///< metrics per year
};

struct CasePlan {
  std::shared_ptr<const Scenario> scenario;
  int member = 0;
  int draws = 0, first = 0, last = 0;
  std::uint64_t seed = 0, key = 0;
  std::vector<Period> periods;
  std::vector<int> years;
  std::vector<Input> inputs;
  int input_slots = 0;
  std::vector<OutageTarget> outages;
  /// Storage across the months (a 12-layer network, network.h): a year is one solve and its
  /// inventory runs into the next year, so each draw is dispatched in full, as `run` would
  /// dispatch the draw written out (its random outages as events), instead of period by
  /// period on the case's network.
  bool full_dispatch = false;
  std::vector<CommodityPlan> commodities;
  std::vector<MetricKey> metrics;
};

std::string draw_name(const CasePlan& p, int k) {
  return p.scenario->name + "/" + p.scenario->case_name + " draw " + std::to_string(k);
}

// ---------------------------------------------------------------------------------------------
// Planning: once per case, before any draw.

void add_metrics(CasePlan& plan, CommodityPlan& cp) {
  const Scenario& s = *plan.scenario;
  const Network& net = cp.net;
  cp.metric_base = static_cast<int>(plan.metrics.size());
  for (int year : plan.years) {
    const std::size_t before = plan.metrics.size();
    auto add = [&](EnsembleEntity kind, int entity, EnsembleMetric m) {
      plan.metrics.push_back({cp.commodity, year, kind, entity, m});
    };
    using E = EnsembleEntity;
    using M = EnsembleMetric;
    for (int r : net.routes) {
      for (M m : {M::Volume, M::Utilisation, M::Capacity}) add(E::Route, r, m);
    }
    for (int d : net.demands) {
      for (M m : {M::Demand, M::Delivered, M::Shortfall}) add(E::Market, d, m);
    }
    for (int p : net.pipelines) {
      for (M m : {M::Flow, M::Utilisation}) add(E::Pipeline, p, m);
    }
    for (M m : {M::Demand, M::Supplied, M::Delivered, M::Shortfall, M::Cost}) add(E::Case, -1, m);
    cp.per_year = static_cast<int>(plan.metrics.size() - before);
  }
  (void)s;
}

/// Where each input acts: the entity position whose bounds it sets, or the costs it changes.
void locate_inputs(CasePlan& plan) {
  const Scenario& s = *plan.scenario;
  for (Input& in : plan.inputs) {
    const ParamField& f = *in.target.field;
    if (f.effect == ParamEffect::Costs) {
      in.costs = true;
      for (std::size_t c = 0; c < plan.commodities.size(); ++c) {
        if (in.target.entity < 0 ||
            param_commodity(s, in.target) == plan.commodities[c].commodity) {
          plan.commodities[c].costs = true;
          in.commodity = in.target.entity < 0 ? -1 : static_cast<int>(c);
        }
      }
    }
    if (f.effect != ParamEffect::Bounds) continue;
    for (std::size_t c = 0; c < plan.commodities.size(); ++c) {
      const Network& net = plan.commodities[c].net;
      auto find = [&](const std::vector<int>& list, Input::Bounds kind) {
        const auto it = std::find(list.begin(), list.end(), in.target.entity);
        if (it == list.end()) return;
        in.bounds = kind;
        in.commodity = static_cast<int>(c);
        in.position = static_cast<int>(it - list.begin());
      };
      if (f.section == "pipelines") {
        find(net.pipelines, Input::Bounds::Pipeline);
      } else if (s.nodes[in.target.entity].kind == NodeKind::Supply) {
        find(net.supplies, Input::Bounds::Supply);
      } else {
        find(net.demands, Input::Bounds::Demand);
      }
    }
  }
}

CasePlan plan_case(const std::shared_ptr<const Scenario>& member, const EnsembleOptions& o) {
  CasePlan plan;
  plan.scenario = member;
  const Scenario& s = *member;
  const Uncertainty& u = s.uncertainty;
  plan.draws = o.draws.value_or(u.draws);
  plan.seed = o.seed.value_or(u.seed);
  std::tie(plan.first, plan.last) = draw_range(plan.draws, o.part, o.parts);
  plan.key = case_key(s, plan.seed);
  plan.periods = periods(s);
  for (int y = s.horizon.start_year; y <= s.horizon.end_year; ++y) plan.years.push_back(y);

  // Inputs: every target of every sample, in sample then scenario order.
  std::vector<Diagnostic> diags;
  for (const Sample& sample : u.samples) {
    const std::string identity = sample.id.empty() ? sample.path : sample.id;
    for (const ParamTarget& t : resolve_param(s, sample.path, sample.path_where, diags)) {
      Input in;
      in.target = t;
      in.sample = &sample;
      in.stream = sample.group.empty() ? hash_text("input\x1f" + identity + "\x1f" +
                                                   std::string(param_entity_id(s, t)) + "\x1f" +
                                                   std::to_string(t.index))
                                       : hash_text("group\x1f" + sample.group);
      in.slot = plan.input_slots;
      plan.input_slots += sample.per == SamplePer::Year ? static_cast<int>(plan.years.size()) : 1;
      plan.inputs.push_back(in);
    }
  }
  throw_if_errors(diags);  // validate() has passed: only a bug gets here

  for (Commodity c : commodities_in(s)) {
    CommodityPlan& cp = plan.commodities.emplace_back();
    cp.commodity = c;
    cp.net = build_network(s, c);
    for (int i : cp.net.pipelines) cp.pipeline_events.push_back(outages_of(s, s.pipelines[i].id));
    for (int i : cp.net.supplies) cp.supply_events.push_back(outages_of(s, s.nodes[i].id));
    for (int i : cp.net.demands) cp.demand_events.push_back(outages_of(s, s.nodes[i].id));
  }
  locate_inputs(plan);
  for (const CommodityPlan& cp : plan.commodities) plan.full_dispatch |= cp.net.layers > 1;
  plan.outages = outage_targets(s);
  for (OutageTarget& o : plan.outages) {
    for (std::size_t c = 0; c < plan.commodities.size(); ++c) {
      const Network& net = plan.commodities[c].net;
      const std::vector<int>& list = o.pipeline ? net.pipelines : net.supplies;
      const auto it = std::find(list.begin(), list.end(), o.entity);
      if (it == list.end()) continue;
      o.commodity = static_cast<int>(c);
      o.position = static_cast<int>(it - list.begin());
    }
  }
  for (CommodityPlan& cp : plan.commodities) add_metrics(plan, cp);
  for (Input& in : plan.inputs) {
    if (in.target.field->kind != ParamKind::Series) continue;
    for (int year : plan.years) in.base_values.push_back(read_param(s, in.target, year));
  }

  // The unperturbed case, solved once: what draws that leave a period alone share.
  for (CommodityPlan& cp : plan.commodities) {
    if (plan.full_dispatch) break;  // each draw is dispatched in full
    PeriodSolver solver(s, cp.net, PeriodSolver::Detail::NoLimits);
    for (const Period& p : plan.periods) {
      BasePeriod& b = cp.base.emplace_back();
      ScaleError error;
      const PeriodBounds bounds = period_bounds(s, cp.net, p);
      ScaledPeriod period;
      if (!scale_period(s, cp.net, bounds, period, error)) throw InputError({error.diagnostic});
      solver.solve(bounds, period, b.result);
      b.upper = std::move(period.upper);
      b.demand = period.total_demand;
      b.cost = std::move(period.cost);
      b.real_cost_sum = period.real_cost_sum;
      b.max_cost = largest_cost(b.cost);
    }
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------
// Drawing

/// A memo of solved periods, keyed by a hash of the bounds and checked in full. It stops
/// itself when it does not pay: after 256 lookups with under 1 % hits (bounds that never
/// repeat, as with a continuous demand), it neither hashes nor stores any more.
class Memo {
 public:
  bool enabled() const { return lookups_ < 256 || hits_ * 100 >= lookups_; }

  const PeriodResult* find(std::uint64_t hash, const std::vector<std::int64_t>& upper,
                           std::int64_t demand, const std::vector<std::int64_t>* costs) {
    ++lookups_;
    const auto range = index_.equal_range(hash);
    for (auto it = range.first; it != range.second; ++it) {
      const Entry& e = entries_[it->second];
      if (e.demand == demand && e.upper == upper && (!costs || e.costs == *costs)) {
        ++hits_;
        return &e.result;
      }
    }
    return nullptr;
  }
  void add(std::uint64_t hash, const std::vector<std::int64_t>& upper, std::int64_t demand,
           const std::vector<std::int64_t>* costs, const PeriodResult& r) {
    const std::size_t size = upper.size() * 8 * (costs ? 2 : 1) +
                             8 * (r.pipeline_flow.size() * 2 + r.supply_used.size() * 2 +
                                  r.demand.size() * 3 + r.route_volume.size() * 3) +
                             256;
    if (bytes_ + size > kMemoBytes) {
      entries_.clear();
      index_.clear();
      bytes_ = 0;
    }
    bytes_ += size;
    index_.emplace(hash, entries_.size());
    entries_.push_back({demand, upper, costs ? *costs : std::vector<std::int64_t>{}, r});
  }

 private:
  struct Entry {
    std::int64_t demand;
    std::vector<std::int64_t> upper, costs;
    PeriodResult result;
  };
  std::vector<Entry> entries_;
  std::unordered_multimap<std::uint64_t, std::size_t> index_;
  std::size_t bytes_ = 0;
  std::uint64_t lookups_ = 0, hits_ = 0;
};

std::uint64_t hash_words(const std::vector<std::int64_t>& v, std::uint64_t h) {
  for (std::int64_t x : v) h = mix64(h ^ static_cast<std::uint64_t>(x)) + 0x9E3779B97F4A7C15ULL;
  return h;
}

/// The shared results of a case: rows written by draw index, by the thread that drew them
/// (TickMatrix: a row is contiguous, so a draw's values go to memory in one sweep).
struct Store {
  CaseEnsemble& out;
  std::mutex count_lock;

  /// Stores the records of draws [k0, k0 + n), `records` holding n rows of one value per metric.
  void write(int k0, int n, const std::vector<std::int64_t>& records) {
    const std::size_t metrics = out.metrics.size();
    for (int j = 0; j < n; ++j) {
      out.values.set_row(static_cast<std::size_t>(k0 - out.first + j),
                         records.data() + static_cast<std::size_t>(j) * metrics);
    }
  }
};

/// The entities of one commodity whose bounds differ from the case's in this draw, and in
/// which years: only those are computed again.
struct Changes {
  std::size_t years = 0;
  std::vector<std::uint8_t> pipe, supply, demand;  ///< [position * years + year]
  std::vector<int> pipes, supplies, demands;       ///< positions with some year set

  void size(const Network& net, std::size_t y) {
    years = y;
    pipe.assign(net.pipelines.size() * y, 0);
    supply.assign(net.supplies.size() * y, 0);
    demand.assign(net.demands.size() * y, 0);
  }
  void clear() {
    for (int p : pipes) std::fill_n(pipe.begin() + p * years, years, 0);
    for (int p : supplies) std::fill_n(supply.begin() + p * years, years, 0);
    for (int p : demands) std::fill_n(demand.begin() + p * years, years, 0);
    pipes.clear(), supplies.clear(), demands.clear();
  }
  /// Marks year `y` (or every year, with y < 0) of an entity.
  void mark(Input::Bounds kind, int position, int y) {
    std::vector<std::uint8_t>& mask = kind == Input::Bounds::Pipeline ? pipe
                                      : kind == Input::Bounds::Supply ? supply
                                                                      : demand;
    std::vector<int>& list = kind == Input::Bounds::Pipeline ? pipes
                             : kind == Input::Bounds::Supply ? supplies
                                                             : demands;
    std::uint8_t* row = mask.data() + static_cast<std::size_t>(position) * years;
    if (std::find(row, row + years, 1) == row + years) list.push_back(position);
    if (y < 0) {
      std::fill_n(row, years, 1);
    } else {
      row[y] = 1;
    }
  }
};

class Worker {
 public:
  Worker(const CasePlan& plan, Store& store, const EnsembleOptions& options)
      : plan_(plan),
        store_(store),
        keep_(options.keep_inputs),
        on_period_(options.on_period),
        s_(*plan.scenario) {
    const std::size_t n = plan.commodities.size();
    nets_.reserve(n);
    for (const CommodityPlan& cp : plan.commodities) nets_.push_back(cp.net);
    for (std::size_t c = 0; c < n; ++c) {
      // Ensembles report no limits (simulate.h): skip their search of the network.
      solvers_.push_back(
          std::make_unique<PeriodSolver>(s_, nets_[c], PeriodSolver::Detail::NoLimits));
      memos_.emplace_back();
      changes_.emplace_back().size(nets_[c], plan.years.size());
      pipe_outages_.push_back(plan.commodities[c].pipeline_events);
      supply_outages_.push_back(plan.commodities[c].supply_events);
      pipe_touched_.emplace_back(nets_[c].pipelines.size(), 0);
      supply_touched_.emplace_back(nets_[c].supplies.size(), 0);
    }
    clamped_.assign(plan.inputs.size(), 0);
    dirty_.assign(plan.inputs.size(), false);
    values_.resize(plan.years.size());
    drawn_.resize(plan.years.size());
    fired_.resize(plan.years.size());
  }

  /// Draws [k0, k1), then stores their values.
  void draw_block(int k0, int k1) {
    const std::size_t metrics = plan_.metrics.size();
    block_.resize(static_cast<std::size_t>(k1 - k0) * metrics);
    for (int k = k0; k < k1; ++k) {
      record_ = block_.data() + static_cast<std::size_t>(k - k0) * metrics;
      for (Changes& c : changes_) c.clear();
      draw_inputs(k);
      if (plan_.full_dispatch) {
        dispatch_in_full(k);
        continue;
      }
      draw_random_outages(k);
      for (std::size_t c = 0; c < plan_.commodities.size(); ++c) dispatch(k, c);
    }
    store_.write(k0, k1 - k0, block_);
  }

  /// Adds this worker's counts to the case's.
  void report(CaseEnsemble& out) const {
    for (std::size_t i = 0; i < clamped_.size(); ++i) out.clamped[i] += clamped_[i];
    out.periods += periods_;
    out.solved += solved_;
    out.reused_base += reused_base_;
    out.reused_memo += reused_memo_;
  }

 private:
  /// The drawn numbers of input `in` in draw `draw_key`: one (per draw) or one per year, in
  /// drawn_[0..); fired_[t] is false where a bernoulli did not fire (NaN). Inputs of one
  /// sample on one stream (a pattern in a group) draw the same numbers: computed once a draw.
  int draw_numbers(const Input& in, std::uint64_t draw_key) {
    const Sample& sample = *in.sample;
    const int n = sample.per == SamplePer::Year ? static_cast<int>(plan_.years.size()) : 1;
    if (last_sample_ == &sample && last_stream_ == in.stream && last_key_ == draw_key) return n;
    last_sample_ = &sample, last_stream_ = in.stream, last_key_ = draw_key;
    const Distribution& d = sample.distribution;
    const RandomStream stream(stream_key(draw_key, in.stream));
    double z = 0.0;
    const double rho = sample.ar1_rho.value_or(0.0);
    for (int t = 0; t < n; ++t) {
      double u = stream.uniform(static_cast<std::uint64_t>(t));
      if (sample.ar1_rho) {  // the AR(1) Gaussian copula (ensemble.h)
        const double e = normal_quantile(u);
        z = t == 0 ? e : rho * z + std::sqrt(1.0 - rho * rho) * e;
        u = std::clamp(normal_cdf(z), 0x1.0p-54, 1.0 - 0x1.0p-54);
      }
      drawn_[t] = distribution_quantile(d, u);
      fired_[t] = !std::isnan(drawn_[t]);
    }
    return n;
  }

  /// Draws every input and applies it to the draw's scenario, marking what it changes.
  void draw_inputs(int k) {
    const Scenario& base = *plan_.scenario;
    const std::uint64_t draw_key = stream_key(plan_.key, static_cast<std::uint64_t>(k));
    double* drawn_out = nullptr;
    double* applied_out = nullptr;
    if (keep_) {
      const std::size_t row = static_cast<std::size_t>(k - plan_.first) * plan_.input_slots;
      drawn_out = store_.out.drawn.data() + row;
      applied_out = store_.out.applied.data() + row;
    }
    any_costs_.assign(plan_.commodities.size(), false);
    for (std::size_t i = 0; i < plan_.inputs.size(); ++i) {
      const Input& in = plan_.inputs[i];
      const Sample& sample = *in.sample;
      const int n = draw_numbers(in, draw_key);
      const bool any_fired =
          std::find(fired_.begin(), fired_.begin() + n, true) != fired_.begin() + n;
      bool clamped = false;
      if (!any_fired) {
        // Nothing changes: the input keeps the case's value (restored if an earlier draw of
        // this thread changed it), so its bounds and costs are the case's too.
        if (dirty_[i]) apply_param(base, s_, in.target, ParamMode::Relative, 1.0);
        dirty_[i] = false;
      } else if (sample.per == SamplePer::Draw) {
        clamped = apply_param(base, s_, in.target, sample.mode, drawn_[0]);
        dirty_[i] = true;
        if (in.bounds != Input::Bounds::None)
          changes_[in.commodity].mark(in.bounds, in.position, -1);
      } else {
        // One value a year: the case's value that year where a bernoulli did not fire.
        for (int t = 0; t < n; ++t) {
          const double b = in.base_values[t];
          const double x = fired_[t] ? drawn_[t] : sample.mode == ParamMode::Relative ? 1.0 : b;
          values_[t] = sample.mode == ParamMode::Relative ? b * x : x;
        }
        clamped = apply_param_by_year(base, s_, in.target, ParamMode::Absolute, plan_.years.front(),
                                      values_);
        dirty_[i] = true;
        if (in.bounds != Input::Bounds::None) {
          for (int t = 0; t < n; ++t) {
            if (fired_[t]) changes_[in.commodity].mark(in.bounds, in.position, t);
          }
        }
      }
      if (in.costs && (any_fired || dirty_[i])) {
        for (std::size_t c = 0; c < any_costs_.size(); ++c) {
          if (in.commodity < 0 || in.commodity == static_cast<int>(c)) any_costs_[c] = true;
        }
      }
      if (clamped) ++clamped_[i];
      if (keep_) {
        for (int t = 0; t < n; ++t) {
          drawn_out[in.slot + t] = drawn_[t];
          const bool has = param_has_value(s_, in.target);
          applied_out[in.slot + t] =
              has ? read_param(s_, in.target, plan_.years[sample.per == SamplePer::Year ? t : 0])
                  : std::numeric_limits<double>::quiet_NaN();
        }
      }
    }
  }

  /// Draw k written out: the draw's case with its random outages as dated events, dispatched
  /// as `run` dispatches it (CasePlan::full_dispatch).
  void dispatch_in_full(int k) {
    auto draw = std::make_shared<Scenario>(s_);
    int n = 0;
    for (const EnsembleOutage& o : draw_case_outages(*plan_.scenario, plan_.seed, k)) {
      Event e;
      e.id = "ensemble outage " + std::to_string(++n);
      e.target = o.pipeline ? s_.pipelines[o.entity].id : s_.nodes[o.entity].id;
      e.from = day_date(o.span.first_day);
      e.to = day_date(o.span.end_day - 1);
      e.derate = o.span.derate;
      draw->events.push_back(std::move(e));
    }
    const CaseResult r = corridor::dispatch(draw);
    if (r.failure) {
      Diagnostic d = r.failure->diagnostic;
      d.message = draw_name(plan_, k) + ": " + d.message;
      d.hint =
          "the sampled inputs made this value; bound their distributions (truncate), then "
          "check the unit and magnitude";
      throw InputError({d});
    }
    for (const CommodityPlan& cp : plan_.commodities) {
      const auto run = std::find_if(r.runs.begin(), r.runs.end(), [&](const CommodityRun& x) {
        return x.network.commodity == cp.commodity;
      });
      if (run == r.runs.end() || run->annual.size() != plan_.years.size()) {
        throw std::logic_error("ensemble: a draw dispatched in full lacks a commodity's years");
      }
      for (std::size_t y = 0; y < plan_.years.size(); ++y) {
        record(cp, static_cast<int>(y), run->annual[y]);
      }
      periods_ += plan_.periods.size();
      solved_ += plan_.periods.size();  // in one 12-month solve a year
    }
  }

  /// Draws the random outages of draw k (draw_case_outages: the same streams) and adds them to
  /// the case's own events of their targets, marking the years they touch.
  void draw_random_outages(int k) {
    for (const Touched& t : touched_) {
      if (t.pipeline) {
        pipe_outages_[t.commodity][t.position] =
            plan_.commodities[t.commodity].pipeline_events[t.position];
        pipe_touched_[t.commodity][t.position] = 0;
      } else {
        supply_outages_[t.commodity][t.position] =
            plan_.commodities[t.commodity].supply_events[t.position];
        supply_touched_[t.commodity][t.position] = 0;
      }
    }
    touched_.clear();
    if (plan_.outages.empty()) return;
    const std::uint64_t draw_key = stream_key(plan_.key, static_cast<std::uint64_t>(k));
    const int first_year = plan_.years.front(), last_year = plan_.years.back();
    for (const OutageTarget& o : plan_.outages) {
      if (o.commodity < 0) continue;
      drawn_outages_ = draw_outages(*o.o, o.events_per_year, stream_key(draw_key, o.stream),
                                    first_year, last_year);
      if (drawn_outages_.empty()) continue;
      std::vector<Outage>& list = o.pipeline ? pipe_outages_[o.commodity][o.position]
                                             : supply_outages_[o.commodity][o.position];
      char& touched = o.pipeline ? pipe_touched_[o.commodity][o.position]
                                 : supply_touched_[o.commodity][o.position];
      if (!touched) touched_.push_back({o.commodity, o.position, o.pipeline});
      touched = 1;
      const Input::Bounds kind = o.pipeline ? Input::Bounds::Pipeline : Input::Bounds::Supply;
      for (const DrawnOutage& d : drawn_outages_) {
        list.push_back({d.first_day, d.end_day, d.derate, std::nullopt});
        const int from = std::max(year_of_day(d.first_day), first_year);
        const int to = std::min(year_of_day(d.end_day - 1), last_year);
        for (int y = from; y <= to; ++y)
          changes_[o.commodity].mark(kind, o.position, y - first_year);
      }
    }
  }

  /// Sets `upper` and `demand` to the period's bounds in this draw; returns true if they are
  /// the case's own.
  bool bounds(std::size_t c, int pi, std::vector<std::int64_t>& upper, std::int64_t& demand,
              bool& overflow) {
    const CommodityPlan& cp = plan_.commodities[c];
    const BasePeriod& b = cp.base[pi];
    const Period& p = plan_.periods[pi];
    const Network& net = cp.net;
    const Changes& ch = changes_[c];
    const std::vector<std::vector<Outage>>& pipe_out = pipe_outages_[c];
    const std::vector<std::vector<Outage>>& supply_out = supply_outages_[c];
    const std::size_t y = static_cast<std::size_t>(p.year - plan_.years.front());
    upper = b.upper;
    demand = b.demand;
    bool same = true;
    overflow = false;
    auto set = [&](int arc, std::int64_t v) {
      if (v < 0) overflow = true;
      if (upper[arc] != v) same = false, upper[arc] = v;
    };
    for (int i : ch.pipes) {
      if (!ch.pipe[i * ch.years + y]) continue;
      const std::int64_t v =
          scaled_flow(pipeline_period_capacity(s_.pipelines[net.pipelines[i]], p, pipe_out[i]));
      set(net.pipeline_arc[i], v);
      if (net.pipeline_rev_arc[i] >= 0) set(net.pipeline_rev_arc[i], v);
    }
    for (int i : ch.supplies) {
      if (!ch.supply[i * ch.years + y]) continue;
      const Node& n = s_.nodes[net.supplies[i]];
      const std::int64_t v = scaled_flow(supply_period_volume(n, p, supply_out[i]));
      // As scale_period(): without contracts a supply that sells only under contract sells
      // nothing.
      const bool unsold = !n.spot && net.supply_cost_arc[i] == net.supply_arc[i];
      set(net.supply_arc[i], unsold && v >= 0 ? 0 : v);
    }
    // As scale_period(): a split's spot arc carries all its split arc can, or nothing for a
    // supply that sells only under contract. A changed seller's bound moves its spot arc.
    if (!ch.pipes.empty() || !ch.supplies.empty()) {
      for (std::size_t k = 0; k < net.splits.size(); ++k) {
        const int arc = net.split_arc[k];
        const bool closed =
            net.arc_kind[arc] == ArcKind::Supply && !s_.nodes[net.arc_entity[arc]].spot;
        set(net.splits[k].back(), closed ? 0 : upper[arc]);
      }
    }
    for (int i : ch.demands) {
      if (!ch.demand[i * ch.years + y]) continue;
      const std::int64_t v =
          scaled_flow(demand_in(s_.nodes[net.demands[i]], p, cp.demand_events[i]));
      demand += v - upper[net.delivery_arc[i]];
      set(net.delivery_arc[i], v);
      set(net.shortfall_arc[i], v);
    }
    return same;
  }

  /// The checks of scale_period() on total demand and the objective, for bounds changed here;
  /// `max_cost` is the period's largest |arc cost| and `cost_sum` its C (network.h).
  static bool fits(std::int64_t max_cost, std::int64_t cost_sum, std::int64_t demand) {
    if (demand < 0 || demand > kMaxScaledFlow) return false;
    const __int128 bound =
        static_cast<__int128>(demand) * (static_cast<__int128>(max_cost) + cost_sum + 1);
    return max_cost <= kMaxScaledCost && cost_sum <= kMaxScaledCost &&
           bound <= static_cast<__int128>(std::numeric_limits<std::int64_t>::max() / 4);
  }

  /// scale_bounds() of the whole period, for its located message about a value that cannot be
  /// dispatched; always throws.
  [[noreturn]] void refuse(int k, std::size_t c, int pi) {
    std::vector<std::int64_t> upper;
    std::int64_t demand = 0;
    ScaleError error;
    const Period& p = plan_.periods[pi];
    if (scale_bounds(s_, nets_[c], period_bounds(s_, nets_[c], p), upper, demand, error)) {
      throw std::logic_error("ensemble: bounds refused by the fast path but not by scale_bounds");
    }
    Diagnostic d = error.diagnostic;
    d.message = draw_name(plan_, k) + ": " + d.message;
    d.hint =
        "the sampled inputs made this value; bound their distributions (truncate), then "
        "check the unit and magnitude";
    throw InputError({d});
  }

  /// The costs of period `pi` of commodity `c` in this draw into `costs_`, when a sampled cost
  /// of the commodity changed: scaled again from the draw's scenario (costs change by year,
  /// network.h). Returns true when they differ from the case's own for the period.
  bool draw_costs(int k, std::size_t c, int pi) {
    const CommodityPlan& cp = plan_.commodities[c];
    if (!any_costs_[c]) return false;
    ScaleError error;
    const Period& p = plan_.periods[pi];
    if (!scale_period(s_, nets_[c], period_bounds(s_, nets_[c], p), costs_, error)) {
      Diagnostic d = error.diagnostic;
      d.message = draw_name(plan_, k) + ": " + d.message;
      d.hint =
          "the sampled inputs made this value; bound their distributions (truncate), then "
          "check the unit and magnitude";
      throw InputError({d});
    }
    return costs_.cost != cp.base[pi].cost;
  }

  void dispatch(int k, std::size_t c) {
    const CommodityPlan& cp = plan_.commodities[c];
    const bool monthly = s_.resolution == Resolution::Month;
    const int n = static_cast<int>(plan_.periods.size());
    Memo& memo = memos_[c];
    for (int pi = 0; pi < n; ++pi) {
      const BasePeriod& base = cp.base[pi];
      const bool costs_changed = draw_costs(k, c, pi);
      const std::vector<std::int64_t>& period_cost = costs_changed ? costs_.cost : base.cost;
      const std::int64_t max_cost = costs_changed ? largest_cost(costs_.cost) : base.max_cost;
      const std::int64_t cost_sum = costs_changed ? costs_.real_cost_sum : base.real_cost_sum;
      std::int64_t demand = 0;
      bool overflow = false;
      const bool same = bounds(c, pi, upper_, demand, overflow) && !costs_changed;
      if (overflow || (!same && !fits(max_cost, cost_sum, demand))) refuse(k, c, pi);
      ++periods_;
      const PeriodResult* result = nullptr;
      if (same) {
        result = &cp.base[pi].result;
        ++reused_base_;
      } else {
        const std::vector<std::int64_t>* costs = cp.costs ? &period_cost : nullptr;
        const bool memo_on = memo.enabled();
        std::uint64_t h = 0;
        if (memo_on) {
          h = hash_words(upper_, static_cast<std::uint64_t>(demand) * 31);
          if (costs) h = hash_words(*costs, h);
          result = memo.find(h, upper_, demand, costs);
        }
        if (result) {
          ++reused_memo_;
        } else {
          solvers_[c]->solve(plan_.periods[pi], upper_, demand, solved_result_);
          ++solved_;
          if (memo_on) memo.add(h, upper_, demand, costs, solved_result_);
          result = &solved_result_;
        }
      }
      if (on_period_) {
        on_period_(
            {plan_.member, k, static_cast<int>(c), pi, upper_, demand, result == &solved_result_});
      }
      if (!monthly) {
        record(cp, pi, *result);
      } else {
        months_.resize(12);
        months_[pi % 12] = *result;
        if (pi % 12 == 11) record(cp, pi / 12, solvers_[c]->sum_months(months_, 0));
      }
    }
  }

  /// The metrics of year `y` of commodity `cp` from its annual result.
  void record(const CommodityPlan& cp, int y, const PeriodResult& r) {
    std::int64_t* out = record_ + cp.metric_base + y * cp.per_year;
    constexpr int kV = 6, kF = 4, kM = 3;
    for (std::size_t i = 0; i < r.route_volume.size(); ++i) {
      *out++ = ticks(r.route_volume[i], kV);
      // Capacity 0 (not yet in service, retired, out): no utilisation, as in `run` (issue 9).
      const std::optional<double> u = utilisation(r.route_volume[i], r.route_capacity[i]);
      *out++ = u ? ticks(*u, kF) : kNoValue;
      *out++ = ticks(r.route_capacity[i], kV);
    }
    std::int64_t demand = 0, delivered = 0, shortfall = 0, supplied = 0;
    for (std::size_t i = 0; i < r.demand.size(); ++i) {
      const std::int64_t d = ticks(r.demand[i], kV), got = ticks(r.delivered[i], kV),
                         short_ = ticks(r.shortfall[i], kV);
      *out++ = d;
      *out++ = got;
      *out++ = short_;
      demand += d, delivered += got, shortfall += short_;
    }
    for (std::size_t i = 0; i < r.pipeline_flow.size(); ++i) {
      *out++ = ticks(r.pipeline_flow[i], kV);
      const std::optional<double> u = utilisation(r.pipeline_flow[i], r.pipeline_capacity[i]);
      *out++ = u ? ticks(*u, kF) : kNoValue;
    }
    for (double used : r.supply_used) supplied += ticks(used, kV);
    *out++ = demand;
    *out++ = supplied;
    *out++ = delivered;
    *out++ = shortfall;
    *out++ = ticks(r.cost_musd, kM);
  }

  const CasePlan& plan_;
  Store& store_;
  bool keep_;
  const std::function<void(const PeriodSeen&)>& on_period_;
  Scenario s_;                 ///< the draw's case: the base with the drawn inputs
  std::vector<Network> nets_;  ///< per commodity
  std::vector<std::unique_ptr<PeriodSolver>> solvers_;
  std::vector<Memo> memos_;
  std::vector<Changes> changes_;
  /// Per commodity and entry of Network::pipelines or ::supplies: the case's events and this
  /// draw's random outages; which entries hold outages, to restore them for the next draw.
  std::vector<std::vector<std::vector<Outage>>> pipe_outages_, supply_outages_;
  std::vector<std::vector<char>> pipe_touched_, supply_touched_;
  struct Touched {
    int commodity = 0, position = 0;
    bool pipeline = true;
  };
  std::vector<Touched> touched_;
  std::vector<DrawnOutage> drawn_outages_;
  std::vector<char> any_costs_;
  ScaledPeriod costs_;       ///< the current period's costs in a draw that changed a cost
  std::vector<char> dirty_;  ///< per input: s_ holds a drawn value, not the case's
  std::vector<std::int64_t> upper_, block_;
  std::int64_t* record_ = nullptr;  ///< the current draw's row of block_
  std::vector<double> values_, drawn_;
  std::vector<char> fired_;
  const Sample* last_sample_ = nullptr;
  std::uint64_t last_stream_ = 0, last_key_ = 0;
  PeriodResult solved_result_;
  std::vector<PeriodResult> months_;
  std::vector<std::uint64_t> clamped_;
  std::uint64_t periods_ = 0, solved_ = 0, reused_base_ = 0, reused_memo_ = 0;
};

/// Runs the draws [plan.first, plan.last) of one case on `threads` threads into `out`.
void run_case(const CasePlan& plan, int threads, const EnsembleOptions& o, CaseEnsemble& out,
              std::int64_t& done, std::int64_t total, std::mutex& progress_lock) {
  Store store{out, {}};
  std::atomic<int> next{plan.first};
  std::atomic<bool> stop{false};
  std::mutex error_lock;
  int error_draw = std::numeric_limits<int>::max();
  std::exception_ptr error;

  auto work = [&] {
    std::unique_ptr<Worker> worker;
    try {
      worker = std::make_unique<Worker>(plan, store, o);
    } catch (...) {
      const std::lock_guard<std::mutex> lock(error_lock);
      if (!error) error = std::current_exception();
      stop = true;
      return;
    }
    for (int k0 = next.fetch_add(kBlock); k0 < plan.last && !stop; k0 = next.fetch_add(kBlock)) {
      const int k1 = std::min(k0 + kBlock, plan.last);
      try {
        worker->draw_block(k0, k1);
      } catch (...) {
        // The block stands for its failure: blocks are handed out in order and every started
        // block runs to its end or to its first failure, so the lowest failing block, and its
        // first failing draw, are the same whatever the timing.
        const std::lock_guard<std::mutex> lock(error_lock);
        if (k0 < error_draw) error_draw = k0, error = std::current_exception();
        stop = true;
      }
      const std::lock_guard<std::mutex> lock(progress_lock);
      done += k1 - k0;
      if (o.progress) o.progress({done, total});
    }
    const std::lock_guard<std::mutex> lock(store.count_lock);
    worker->report(out);
  };

  if (threads <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(work);
    for (std::thread& t : pool) t.join();
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace

std::string_view entity_kind_name(EnsembleEntity e) {
  switch (e) {
    case EnsembleEntity::Route:
      return "route";
    case EnsembleEntity::Market:
      return "market";
    case EnsembleEntity::Pipeline:
      return "pipeline";
    case EnsembleEntity::Case:
      return "case";
  }
  return "?";
}

std::string_view metric_name(EnsembleMetric m) {
  switch (m) {
    case EnsembleMetric::Volume:
      return "volume";
    case EnsembleMetric::Utilisation:
      return "utilisation";
    case EnsembleMetric::Capacity:
      return "capacity";
    case EnsembleMetric::Demand:
      return "demand";
    case EnsembleMetric::Delivered:
      return "delivered";
    case EnsembleMetric::Shortfall:
      return "shortfall";
    case EnsembleMetric::Flow:
      return "flow";
    case EnsembleMetric::Supplied:
      return "supplied";
    case EnsembleMetric::Cost:
      return "cost";
  }
  return "?";
}

int metric_decimals(EnsembleMetric m) {
  switch (m) {
    case EnsembleMetric::Utilisation:
      return 4;
    case EnsembleMetric::Cost:
      return 3;
    default:
      return 6;
  }
}

void TickMatrix::resize(std::size_t draws, std::size_t metrics) {
  metrics_ = metrics;
  cells_.assign(draws * metrics, 0);
  wide_.clear();
}

std::int64_t TickMatrix::at(std::size_t k, std::size_t m) const {
  const std::size_t cell = k * metrics_ + m;
  const std::int32_t v = cells_[cell];
  if (v == kNone) return kNoValue;
  if (v != kWide) return v;
  const std::lock_guard<std::mutex> lock(wide_lock_);
  return wide_.at(cell);
}

void TickMatrix::set_row(std::size_t k, const std::int64_t* values) {
  std::int32_t* row = cells_.data() + k * metrics_;
  for (std::size_t m = 0; m < metrics_; ++m) {
    const std::int64_t v = values[m];
    if (row[m] == kWide) {  // a row written again: its old value leaves the side table
      const std::lock_guard<std::mutex> lock(wide_lock_);
      wide_.erase(k * metrics_ + m);
    }
    if (v > kNone && v <= INT32_MAX) {
      row[m] = static_cast<std::int32_t>(v);
      continue;
    }
    if (v == kNoValue) {
      row[m] = kNone;
      continue;
    }
    row[m] = kWide;
    const std::lock_guard<std::mutex> lock(wide_lock_);
    wide_[k * metrics_ + m] = v;
  }
}

void TickMatrix::columns(std::size_t m0, std::size_t m1,
                         std::vector<std::vector<std::int64_t>>& out) const {
  const std::size_t n = draws();
  out.resize(m1 - m0);
  for (auto& col : out) col.resize(n);
  // Row by row over the tile: each row's cells [m0, m1) are contiguous.
  for (std::size_t k = 0; k < n; ++k) {
    const std::int32_t* row = cells_.data() + k * metrics_;
    for (std::size_t m = m0; m < m1; ++m) {
      out[m - m0][k] = row[m] > kNone ? row[m] : at(k, m);
    }
  }
}

std::vector<std::int64_t> TickMatrix::rows(std::size_t k0, std::size_t k1) const {
  std::vector<std::int64_t> out;
  out.reserve((k1 - k0) * metrics_);
  for (std::size_t k = k0; k < k1; ++k) {
    for (std::size_t m = 0; m < metrics_; ++m) out.push_back(at(k, m));
  }
  return out;
}

void TickMatrix::set_rows(std::size_t k0, const std::vector<std::int64_t>& values) {
  if (metrics_ == 0) return;
  for (std::size_t j = 0; j * metrics_ < values.size(); ++j) {
    set_row(k0 + j, values.data() + j * metrics_);
  }
}

std::size_t TickMatrix::bytes() const { return cells_.size() * 4 + wide_.size() * 48; }

std::vector<DrawnOutage> draw_outages(const OutageProcess& o, double events_per_year,
                                      std::uint64_t key, int first_year, int last_year) {
  std::vector<DrawnOutage> out;
  for (int year = first_year; year <= last_year; ++year) {
    const RandomStream stream(stream_key(key, static_cast<std::uint64_t>(year)));
    const int n = poisson_quantile(events_per_year, stream.uniform(0));
    const int first = static_cast<int>(
        std::chrono::sys_days{std::chrono::year{year} / 1 / 1}.time_since_epoch().count());
    const int days = days_in_year(year);
    const std::size_t before = out.size();
    for (int e = 0; e < n; ++e) {
      const double u_start = stream.uniform(1 + 2 * static_cast<std::uint64_t>(e));
      const double u_days = stream.uniform(2 + 2 * static_cast<std::uint64_t>(e));
      const int start = first + std::min(days - 1, static_cast<int>(u_start * days));
      const double length = distribution_quantile(o.duration_days, u_days);
      const int whole =
          std::isfinite(length) ? static_cast<int>(std::max(1.0, std::round(length))) : 1;
      out.push_back({start, start + std::min(whole, 1'000'000), o.derate});
    }
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(before), out.end(),
              [](const DrawnOutage& a, const DrawnOutage& b) { return a.first_day < b.first_day; });
  }
  return out;
}

std::vector<EnsembleOutage> draw_case_outages(const Scenario& s, std::uint64_t seed, int k) {
  std::vector<EnsembleOutage> out;
  const std::uint64_t draw_key = stream_key(case_key(s, seed), static_cast<std::uint64_t>(k));
  for (const OutageTarget& o : outage_targets(s)) {
    for (const DrawnOutage& d :
         draw_outages(*o.o, o.events_per_year, stream_key(draw_key, o.stream), s.horizon.start_year,
                      s.horizon.end_year)) {
      out.push_back({o.process, o.pipeline, o.entity, d});
    }
  }
  return out;
}

std::pair<int, int> draw_range(int draws, int part, int parts) {
  const auto at = [&](int q) {
    return static_cast<int>(static_cast<std::int64_t>(draws) * q / std::max(parts, 1));
  };
  return {at(part), at(part + 1)};
}

EnsembleResult run_ensemble(const std::vector<std::shared_ptr<const Scenario>>& members,
                            const EnsembleOptions& options) {
  std::vector<Diagnostic> nothing;
  for (const auto& m : members) {
    const Uncertainty& u = m->uncertainty;
    if (u.samples.empty() && u.outages.empty()) {
      nothing.push_back(
          {Severity::Error, u.where.line > 0 ? u.where : SourceLocation{m->file, 0, 0},
           "case '" + m->case_name + "' of " + m->name + " has nothing uncertain to sample",
           u.given ? "add samples or outages to its 'uncertainty:' block"
                   : "add an 'uncertainty:' block with samples or outages (scenarios/README.md, "
                     "Uncertainty)"});
    }
  }
  throw_if_errors(nothing);
  std::vector<CasePlan> plans;
  std::int64_t total = 0;
  for (const auto& m : members) {
    plans.push_back(plan_case(m, options));
    plans.back().member = static_cast<int>(plans.size()) - 1;
    total += plans.back().last - plans.back().first;
  }
  EnsembleResult out;
  int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  out.threads = std::max(threads, 1);
  std::int64_t done = 0;
  std::mutex progress_lock;
  for (const CasePlan& plan : plans) {
    CaseEnsemble& c = out.cases.emplace_back();
    c.scenario = plan.scenario;
    c.draws = plan.draws;
    c.seed = plan.seed;
    c.first = plan.first;
    c.last = plan.last;
    c.metrics = plan.metrics;
    c.years = plan.years;
    c.values.resize(static_cast<std::size_t>(plan.last - plan.first), plan.metrics.size());
    const Scenario& s = *plan.scenario;
    for (const Input& in : plan.inputs) {
      EnsembleInput e;
      e.path = param_path(s, in.target);
      e.date = in.target.field->kind == ParamKind::Date;
      e.unit = param_unit(s, in.target);
      e.per_year = in.sample->per == SamplePer::Year;
      e.sample = static_cast<int>(in.sample - s.uncertainty.samples.data());
      // A drawn date is a decimal year; a relative one a shift in years.
      e.drawn_unit = in.sample->mode == ParamMode::Absolute ? (e.date ? "year" : e.unit)
                     : e.date                               ? "y"
                                                            : "factor";
      c.inputs.push_back(std::move(e));
    }
    c.clamped.assign(plan.inputs.size(), 0);
    c.input_slots = plan.input_slots;
    if (options.keep_inputs) {
      const std::size_t n = static_cast<std::size_t>(plan.last - plan.first) * plan.input_slots;
      c.drawn.assign(n, 0.0);
      c.applied.assign(n, 0.0);
    }
    const int t = std::min(out.threads, std::max(plan.last - plan.first, 1));
    run_case(plan, t, options, c, done, total, progress_lock);
  }
  return out;
}

std::vector<std::int64_t> pack_values(const CaseEnsemble& c) {
  return c.values.rows(0, c.values.draws());
}

std::vector<double> pack_inputs(const CaseEnsemble& c) {
  std::vector<double> out = c.drawn;
  out.insert(out.end(), c.applied.begin(), c.applied.end());
  return out;
}

void extend_to_all_draws(CaseEnsemble& c) {
  const std::size_t all = static_cast<std::size_t>(c.draws);
  const std::size_t offset = static_cast<std::size_t>(c.first);
  const std::vector<std::int64_t> own = c.values.rows(0, c.values.draws());
  c.values.resize(all, c.metrics.size());
  c.values.set_rows(offset, own);
  if (!c.drawn.empty() || !c.applied.empty()) {
    const std::size_t slots = static_cast<std::size_t>(c.input_slots);
    std::vector<double> drawn(all * slots), applied(all * slots);
    std::copy(c.drawn.begin(), c.drawn.end(), drawn.begin() + offset * slots);
    std::copy(c.applied.begin(), c.applied.end(), applied.begin() + offset * slots);
    c.drawn = std::move(drawn);
    c.applied = std::move(applied);
  }
  c.first = 0;
  c.last = c.draws;
}

void unpack_part(CaseEnsemble& c, int first, int last, const std::vector<std::int64_t>& values,
                 const std::vector<double>& inputs) {
  const std::size_t n = static_cast<std::size_t>(last - first);
  if (values.size() != n * c.metrics.size()) {
    throw std::logic_error("ensemble: a part's values do not match its draws");
  }
  c.values.set_rows(static_cast<std::size_t>(first), values);
  const std::size_t slots = static_cast<std::size_t>(c.input_slots);
  if (!c.drawn.empty() && !inputs.empty()) {
    if (inputs.size() != 2 * n * slots) {
      throw std::logic_error("ensemble: a part's inputs do not match its draws");
    }
    std::copy(inputs.begin(), inputs.begin() + n * slots, c.drawn.begin() + first * slots);
    std::copy(inputs.begin() + n * slots, inputs.end(), c.applied.begin() + first * slots);
  }
}

EnsembleStats summarise(const EnsembleResult& r, int threads) {
  EnsembleStats out;
  for (const CaseEnsemble& c : r.cases) out.push_back(summarise(c, threads));
  return out;
}

double quantile_sorted(const std::vector<std::int64_t>& x, double q) {
  const std::size_t n = x.size();
  if (n == 0) return 0.0;
  const double h = q * static_cast<double>(n - 1);
  const double lo_d = std::floor(h);
  const std::size_t lo = static_cast<std::size_t>(lo_d);
  const double t = h - lo_d;
  if (lo + 1 >= n) return static_cast<double>(x[n - 1]);
  const double a = static_cast<double>(x[lo]), b = static_cast<double>(x[lo + 1]);
  // numpy's _lerp: from below for t < 0.5, from above otherwise (monotone, exact at ends).
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

ColumnStats column_stats(std::vector<std::int64_t>& x) {
  ColumnStats s;
  x.erase(std::remove(x.begin(), x.end(), kNoValue), x.end());
  const std::size_t n = x.size();
  s.draws = static_cast<int>(n);
  if (n == 0) return s;
  __int128 sum = 0;
  std::size_t positive = 0;
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  for (std::size_t k = 0; k < n; ++k) {
    const std::int64_t v = x[k];
    sum += v;
    positive += v > 0;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  s.mean = static_cast<double>(sum) / static_cast<double>(n);
  s.min = static_cast<double>(lo);
  s.max = static_cast<double>(hi);
  s.positive_share = static_cast<double>(positive) / static_cast<double>(n);
  const std::size_t tail = (n + 19) / 20;  // ceil(0.05 n)
  if (lo == hi) {                          // a constant: every statistic is the value
    s.p05 = s.p10 = s.p50 = s.p90 = s.p95 = s.tail_mean_95 = s.min;
    return s;
  }
  double ss = 0.0;
  for (std::int64_t v : x) {
    const double d = static_cast<double>(v) - s.mean;
    ss += d * d;
  }
  s.sd = n > 1 ? std::sqrt(ss / static_cast<double>(n - 1)) : 0.0;
  // The order statistics the quantiles need: ranks floor((n - 1) q) and the next, and the
  // n - tail largest for CVaR.
  const double qs[] = {0.05, 0.10, 0.50, 0.90, 0.95};
  std::size_t floor_rank[5];
  for (int i = 0; i < 5; ++i) {
    floor_rank[i] = static_cast<std::size_t>(std::floor(qs[i] * static_cast<double>(n - 1)));
  }
  __int128 tail_sum = 0;
  if (static_cast<std::uint64_t>(hi - lo) <= 4 * static_cast<std::uint64_t>(n)) {
    // A narrow range (utilisation ticks, small flows): count, then read ranks off the counts.
    std::vector<std::uint32_t> count(static_cast<std::size_t>(hi - lo) + 1, 0);
    for (std::int64_t v : x) ++count[static_cast<std::size_t>(v - lo)];
    std::size_t k = 0;
    for (std::size_t b = 0; b < count.size(); ++b) {
      for (std::uint32_t c = 0; c < count[b]; ++c) x[k++] = lo + static_cast<std::int64_t>(b);
    }
    for (std::size_t j = n - tail; j < n; ++j) tail_sum += x[j];
  } else {
    // Successive selection: each nth_element leaves the ranks above it to the next; the rank
    // after a selected one is the least of the part above it, up to the next selected rank.
    std::size_t ranks[6];
    for (int i = 0; i < 5; ++i) ranks[i] = floor_rank[i];
    ranks[5] = n - tail;
    std::sort(std::begin(ranks), std::end(ranks));
    auto from = x.begin();
    std::size_t previous = n;
    for (int i = 0; i < 6; ++i) {
      if (ranks[i] == previous) continue;
      std::nth_element(from, x.begin() + static_cast<std::ptrdiff_t>(ranks[i]), x.end());
      from = x.begin() + static_cast<std::ptrdiff_t>(ranks[i]) + 1;
      previous = ranks[i];
    }
    // The rank after each floor rank: the least of what lies above it, up to the next
    // selected rank (everything there is no smaller than the floor rank's value).
    for (int i = 0; i < 5; ++i) {
      const std::size_t r = floor_rank[i];
      if (r + 1 >= n) continue;
      std::size_t end = n;
      for (std::size_t q : ranks) {
        if (q > r && q < end) end = q + 1;
      }
      auto least = std::min_element(x.begin() + static_cast<std::ptrdiff_t>(r) + 1,
                                    x.begin() + static_cast<std::ptrdiff_t>(end));
      std::iter_swap(x.begin() + static_cast<std::ptrdiff_t>(r) + 1, least);
    }
    for (std::size_t j = n - tail; j < n; ++j) tail_sum += x[j];
  }
  // x now holds every needed rank in place; quantile_sorted reads only those.
  s.p05 = quantile_sorted(x, 0.05);
  s.p10 = quantile_sorted(x, 0.10);
  s.p50 = quantile_sorted(x, 0.50);
  s.p90 = quantile_sorted(x, 0.90);
  s.p95 = quantile_sorted(x, 0.95);
  s.tail_mean_95 = static_cast<double>(tail_sum) / static_cast<double>(tail);
  return s;
}

std::vector<ColumnStats> summarise(const CaseEnsemble& c, int threads) {
  // Tiles of metrics: a thread reads every row's cells of its tile (contiguous), then computes
  // the statistics of each of those columns.
  constexpr std::size_t kTile = 64;
  const std::size_t metrics = c.metrics.size();
  std::vector<ColumnStats> out(metrics);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    std::vector<std::vector<std::int64_t>> columns;
    for (std::size_t m0 = next.fetch_add(kTile); m0 < metrics; m0 = next.fetch_add(kTile)) {
      const std::size_t m1 = std::min(metrics, m0 + kTile);
      c.values.columns(m0, m1, columns);
      for (std::size_t m = m0; m < m1; ++m) out[m] = column_stats(columns[m - m0]);
    }
  };
  const std::size_t tiles = (metrics + kTile - 1) / kTile;
  threads = std::max(1, std::min<int>(threads, static_cast<int>(tiles)));
  if (threads == 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(work);
    for (std::thread& t : pool) t.join();
  }
  return out;
}

}  // namespace corridor
