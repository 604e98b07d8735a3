// validate_uncertainty(): the semantic checks of the `uncertainty:` block (uncertainty.h).
// The loader checks keys, types and units; these are the rules a scenario built in code must
// keep too, with the same messages, located where the sample or outage is written.
#include <cmath>
#include <map>
#include <set>

#include "corridor/param_path.h"
#include "corridor/validate.h"

namespace corridor {
namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

struct Checker {
  const Scenario& s;
  std::vector<Diagnostic> out;

  void error(const SourceLocation& w, std::string m, std::string h = {}) {
    out.push_back({Severity::Error, w, std::move(m), std::move(h)});
  }
  void warning(const SourceLocation& w, std::string m, std::string h = {}) {
    out.push_back({Severity::Warning, w, std::move(m), std::move(h)});
  }
  static const SourceLocation& or_else(const SourceLocation& w, const SourceLocation& fallback) {
    return w.line > 0 ? w : fallback;
  }

  /// The parameters of a distribution: finite, ordered, probabilities that add up to 1, and a
  /// truncation that leaves something to draw from.
  void distribution(const Distribution& d, const std::string& what, const SourceLocation& at) {
    const SourceLocation& w = or_else(d.where, at);
    auto finite = [&](std::initializer_list<double> xs) {
      for (double x : xs) {
        if (!std::isfinite(x)) {
          error(w, what + " has a parameter that is not a finite number");
          return false;
        }
      }
      return true;
    };
    switch (d.kind) {
      case DistributionKind::Uniform:
        if (finite({d.min, d.max}) && !(d.min <= d.max)) {
          error(w, what + ": min " + number(d.min) + " is above max " + number(d.max), "swap them");
        }
        break;
      case DistributionKind::Triangular:
        if (finite({d.min, d.mode, d.max}) && !(d.min <= d.mode && d.mode <= d.max)) {
          error(w,
                what + " needs min <= mode <= max, got " + number(d.min) + ", " + number(d.mode) +
                    ", " + number(d.max),
                "give them in that order");
        }
        break;
      case DistributionKind::Normal:
        if (finite({d.mean, d.sd}) && !(d.sd >= 0.0)) {
          error(w, what + ": sd must not be negative, got " + number(d.sd));
        }
        break;
      case DistributionKind::Lognormal:
        if (finite({d.mu, d.sigma}) && !(d.sigma >= 0.0)) {
          error(w, what + ": sigma must not be negative, got " + number(d.sigma));
        }
        break;
      case DistributionKind::Bernoulli:
        if (finite({d.p, d.value}) && !(d.p >= 0.0 && d.p <= 1.0)) {
          error(w, what + ": p must lie in [0, 1], got " + number(d.p));
        }
        break;
      case DistributionKind::Discrete: {
        if (d.values.empty() || d.values.size() != d.probabilities.size()) {
          error(w, what + " needs one probability per value", "write {2031: 0.3, 2032: 0.7}");
          break;
        }
        double sum = 0.0;
        bool ok = true;
        for (std::size_t k = 0; k < d.values.size(); ++k) {
          ok = ok && std::isfinite(d.values[k]) && d.probabilities[k] >= 0.0 &&
               d.probabilities[k] <= 1.0;
          sum += d.probabilities[k];
        }
        if (!ok) {
          error(w, what + " has a value that is not a number or a probability outside [0, 1]");
        } else if (std::abs(sum - 1.0) > 1e-9) {
          error(w, what + ": the probabilities add up to " + number(sum) + ", not 1",
                "correct them so that they sum to 1");
        }
        break;
      }
    }
    const bool continuous =
        d.kind != DistributionKind::Discrete && d.kind != DistributionKind::Bernoulli;
    if ((d.lower || d.upper) && !continuous) {
      error(w, what + " cannot be truncated",
            "truncation applies to uniform, triangular, normal and lognormal");
    } else if (d.lower && d.upper && !(*d.lower < *d.upper)) {
      error(w, what + ": truncation min " + number(*d.lower) + " is not below max " +
                   number(*d.upper));
    } else if (continuous && (d.lower || d.upper)) {
      // The truncation must keep some of the distribution: [lo, hi] against its support.
      double lo = -HUGE_VAL, hi = HUGE_VAL;
      if (d.kind == DistributionKind::Uniform || d.kind == DistributionKind::Triangular) {
        lo = d.min, hi = d.max;
      } else if (d.kind == DistributionKind::Lognormal) {
        lo = 0.0;
      }
      const double tlo = d.lower.value_or(-HUGE_VAL), thi = d.upper.value_or(HUGE_VAL);
      const bool degenerate = (d.kind == DistributionKind::Normal && d.sd == 0.0) ||
                              (d.kind == DistributionKind::Lognormal && d.sigma == 0.0);
      if (std::max(lo, tlo) >= std::min(hi, thi) && !(lo == hi && tlo <= lo && lo <= thi)) {
        error(w, what + " is truncated to a range it never reaches",
              "widen the truncation or move the distribution");
      } else if (degenerate) {
        const double at = d.kind == DistributionKind::Normal ? d.mean : std::exp(d.mu);
        if (at < tlo || at > thi) {
          error(w, what + " is truncated to a range it never reaches",
                "widen the truncation or move the distribution");
        }
      }
    }
  }

  void samples() {
    const Uncertainty& u = s.uncertainty;
    struct GroupUse {
      const Sample* first = nullptr;
    };
    std::map<std::string, GroupUse> groups;
    std::map<std::string, const Sample*> ids;
    std::map<std::string, const Sample*> inputs;  // path of each input sampled
    for (std::size_t k = 0; k < u.samples.size(); ++k) {
      const Sample& x = u.samples[k];
      const std::string what =
          x.id.empty() ? "sample " + std::to_string(k + 1) : "sample '" + x.id + "'";
      const SourceLocation& at = or_else(x.where, u.where);
      if (!x.id.empty()) {
        if (auto [it, fresh] = ids.emplace(x.id, &x); !fresh) {
          error(at, "duplicate sample id '" + x.id + "'",
                "first given at line " + std::to_string(it->second->where.line));
        }
      }
      const std::vector<ParamTarget> targets =
          resolve_param(s, x.path, or_else(x.path_where, at), out);
      distribution(x.distribution, "the distribution of " + what, at);
      if (x.ar1_rho) {
        if (!(*x.ar1_rho > -1.0 && *x.ar1_rho < 1.0)) {
          error(or_else(x.ar1_where, at),
                "rho of " + what + " must lie strictly between -1 and 1, got " + number(*x.ar1_rho),
                "0.9 makes consecutive years move closely together");
        }
        if (x.per == SamplePer::Draw) {
          error(or_else(x.ar1_where, at),
                what +
                    " has ar1 but 'per: draw': one value for the horizon has no years to "
                    "correlate",
                "remove 'per: draw' (ar1 draws one value per year)");
        }
      }
      if (!x.group.empty()) {
        auto [it, fresh] = groups.emplace(x.group, GroupUse{&x});
        const Sample& first = *it->second.first;
        if (!fresh && (first.per != x.per || first.ar1_rho != x.ar1_rho)) {
          error(or_else(x.group_where, at),
                what + " shares group '" + x.group +
                    "' with a sample of another time structure (per, ar1)",
                "samples of a group share their random numbers, so they need the same 'per' "
                "and 'ar1'; first in the group at line " +
                    std::to_string(first.where.line));
        }
      }
      if (targets.empty()) continue;
      const ParamField& f = *targets.front().field;
      const Dimension dim = param_dimension(s, targets.front());
      const Commodity com = param_commodity(s, targets.front());
      for (const ParamTarget& t : targets) {
        const std::string path = param_path(s, t);
        // One key per input, whichever section (nodes, supplies) named it.
        const std::string key = std::string(f.section) + "#" + std::to_string(t.entity) + "." +
                                std::string(f.name) + "[" + std::to_string(t.index) + "]";
        if (auto [it, fresh] = inputs.emplace(key, &x); !fresh) {
          error(or_else(x.path_where, at),
                what + " samples " + path + ", which sample at line " +
                    std::to_string(it->second->where.line) + " samples too",
                "sample each input once (use a group to move inputs together)");
        }
        if (x.mode == ParamMode::Absolute &&
            (param_dimension(s, t) != dim || param_commodity(s, t) != com)) {
          error(or_else(x.path_where, at),
                what + " gives absolute values, but its inputs take different units (" +
                    param_path(s, targets.front()) + " and " + path + ")",
                "narrow the pattern to inputs of one commodity and unit, or use mode: relative");
          break;
        }
        if (f.kind == ParamKind::Date && x.mode == ParamMode::Relative && !param_has_value(s, t)) {
          error(or_else(x.path_where, at), what + " shifts " + path + ", which is not set",
                "a relative date is a shift; give the date in the scenario, or use mode: "
                "absolute");
        }
        if (f.kind == ParamKind::OptionalNumber && x.mode == ParamMode::Relative &&
            !param_has_value(s, t)) {
          error(or_else(x.path_where, at), what + " scales " + path + ", which is not set",
                "give it in the scenario, or use mode: absolute");
        }
      }
      // Absolute values are values of the input: held to its largest real magnitude, as the
      // loader holds the input itself.
      if (x.mode == ParamMode::Absolute && f.kind != ParamKind::Date &&
          f.kind != ParamKind::Integer) {
        const Distribution& d = x.distribution;
        std::vector<double> values = d.values;
        switch (d.kind) {
          case DistributionKind::Uniform:
          case DistributionKind::Triangular:
            values.insert(values.end(), {d.min, d.mode, d.max});
            break;
          case DistributionKind::Normal:
            values.insert(values.end(), {d.mean, d.sd});
            break;
          case DistributionKind::Lognormal:
            values.push_back(std::exp(d.mu));
            break;
          case DistributionKind::Bernoulli:
            values.push_back(d.value);
            break;
          case DistributionKind::Discrete:
            break;
        }
        if (d.lower) values.push_back(*d.lower);
        if (d.upper) values.push_back(*d.upper);
        const double limit = magnitude_limit(dim);
        for (double v : values) {
          if (std::abs(v) > limit) {
            error(or_else(d.where, at),
                  "the distribution of " + what + " has a value too large to be real, " +
                      format_quantity(v, dim, com),
                  "the limit is " + format_quantity(limit, dim, com) +
                      "; check the unit and the exponent");
            break;
          }
        }
      }
      if (x.per == SamplePer::Year && f.kind != ParamKind::Series) {
        error(or_else(x.per_where.line > 0 ? x.per_where : x.ar1_where, at),
              what + " draws '" + std::string(f.name) + "' per year, but " + std::string(f.name) +
                  " is one value for the horizon",
              "use 'per: draw'; only inputs given by year (capacity, demand, availability, "
              "costs, tariffs, transit fees) vary by year");
      }
      if (f.kind == ParamKind::Integer && x.mode == ParamMode::Relative) {
        error(or_else(x.mode_where, at), what + " scales the whole number " + std::string(f.name),
              "use mode: absolute with whole values");
      }
      if (f.effect == ParamEffect::Economics || f.effect == ParamEffect::Information) {
        warning(or_else(x.path_where, at),
                what + " varies " + std::string(f.name) +
                    ", which does not change dispatch, so no ensemble result depends on it",
                "ensembles report volumes, shortfall and dispatch cost; sample capacities, "
                "demands, dates, availabilities, costs or tariffs");
      }
    }
  }

  void outages() {
    const Uncertainty& u = s.uncertainty;
    std::set<std::string> ids;
    for (std::size_t k = 0; k < u.outages.size(); ++k) {
      const OutageProcess& o = u.outages[k];
      const std::string what =
          o.id.empty() ? "outage " + std::to_string(k + 1) : "outage '" + o.id + "'";
      const SourceLocation& at = or_else(o.where, u.where);
      if (!o.id.empty() && !ids.insert(o.id).second) {
        error(at, "duplicate outage id '" + o.id + "'");
      }
      const std::vector<ParamTarget> targets =
          resolve_entities(s, o.target, or_else(o.target_where, at), out);
      for (const ParamTarget& t : targets) {
        const bool pipeline = t.section == "pipelines";
        const bool supply =
            !pipeline && t.section != "routes" && s.nodes[t.entity].kind == NodeKind::Supply;
        if (!pipeline && !supply) {
          error(or_else(o.target_where, at),
                what + " targets " + param_entity_name(s, t) + ", which cannot fail",
                "outages take pipelines and supplies: pipelines.ID or supplies.ID");
          break;
        }
        if (o.rate_per_1000km_year && !(pipeline && s.pipelines[t.entity].length_km)) {
          error(or_else(o.rate_where, at),
                what + " has a rate per length, but " + param_entity_name(s, t) + " has no length",
                pipeline ? "add 'length: ... km' to the pipeline, or give the rate per year (/y)"
                         : "give a supply's rate per year (/y)");
          break;
        }
      }
      const double rate = o.rate_per_1000km_year.value_or(o.rate_per_year);
      if (!(rate >= 0.0) || !std::isfinite(rate)) {
        error(or_else(o.rate_where, at), "rate of " + what + " must be a number not below 0");
      }
      if (!(o.derate > 0.0 && o.derate <= 1.0)) {
        error(or_else(o.derate_where, at),
              "derate of " + what + " must lie in (0, 1], got " + number(o.derate),
              "100 % is a full outage");
      }
      distribution(o.duration_days, "the duration of " + what, or_else(o.duration_where, at));
      if (o.duration_days.kind == DistributionKind::Normal && !o.duration_days.lower) {
        warning(or_else(o.duration_where, at),
                "the duration of " + what + " is normal, so some draws are below 1 day",
                "durations are rounded to whole days and at least 1; truncate it or use "
                "lognormal");
      }
    }
  }
};

}  // namespace

std::vector<Diagnostic> validate_uncertainty(const Scenario& s) {
  Checker c{s, {}};
  const Uncertainty& u = s.uncertainty;
  if (u.draws < 1 || u.draws > kMaxDraws) {
    c.error(Checker::or_else(u.draws_where, u.where), "uncertainty.draws must be 1 to " +
                                                          std::to_string(kMaxDraws) + ", got " +
                                                          std::to_string(u.draws));
  }
  c.samples();
  c.outages();
  return std::move(c.out);
}

}  // namespace corridor
