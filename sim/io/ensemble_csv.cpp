#include "corridor/ensemble_csv.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>

#include "corridor/csv.h"
#include "corridor/param_path.h"

namespace corridor {
namespace {

constexpr double kPow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};

/// One CSV line from fields appended with <<; ends with '\n' when destroyed.
class Line {
 public:
  explicit Line(std::string& out) : out_(out) {}
  ~Line() { out_ += '\n'; }
  Line& operator<<(std::string_view field) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += csv_field(field);
    return *this;
  }
  Line& operator<<(long long v) { return *this << std::string_view(std::to_string(v)); }

 private:
  std::string& out_;
  bool first_ = true;
};

/// True for the metrics in bcm or Mt, which `--units` converts.
bool is_volume(EnsembleMetric m) {
  return m != EnsembleMetric::Utilisation && m != EnsembleMetric::Cost;
}

/// The volumes of one case and commodity in the unit chosen with `--units` (units.h). Every
/// metric is a year's: a daily unit gives the year's mean daily rate.
VolumeScale scale_of(const EnsembleResult& r, const Scenario& s, Commodity c) {
  return output_scale(r.units, c, props(s, c));
}

/// The unit column of metric `m`: its volume unit as `scale` says, "fraction" or "MUSD".
std::string unit_of(const VolumeScale& scale, const MetricKey& m) {
  switch (m.metric) {
    case EnsembleMetric::Utilisation:
      return "fraction";
    case EnsembleMetric::Cost:
      return "MUSD";
    default:
      return scale.unit;
  }
}

std::string entity_id(const Scenario& s, const MetricKey& m) {
  switch (m.entity_kind) {
    case EnsembleEntity::Route:
      return s.routes.at(m.entity).id;
    case EnsembleEntity::Market:
      return s.nodes.at(m.entity).id;
    case EnsembleEntity::Pipeline:
      return s.pipelines.at(m.entity).id;
    case EnsembleEntity::Case:
      return "total";
  }
  return "";
}

/// scenario,case,year,commodity,entity_kind,entity,metric,unit
void key(Line& line, const Scenario& s, const VolumeScale& scale, const MetricKey& m) {
  line << s.name << s.case_name << m.year << commodity_name(m.commodity)
       << entity_kind_name(m.entity_kind) << entity_id(s, m) << metric_name(m.metric)
       << unit_of(scale, m);
}

/// A statistic in ticks as a number with the metric's decimals.
std::string stat(double ticks_value, int decimals) {
  return format_fixed(ticks_value / kPow10[decimals], decimals);
}

/// A statistic of metric `m` in ticks as a number in its output unit: a volume through
/// `scale` (the identity, and so the same text as stat(), without --units).
std::string stat(double ticks_value, const VolumeScale& scale, const MetricKey& m) {
  const int d = metric_decimals(m.metric);
  if (!is_volume(m.metric)) return stat(ticks_value, d);
  return format_fixed(scale.value(ticks_value / kPow10[d], m.year, 0), d);
}

std::string date_text(double decimal) {
  const YearMonth d = year_month_of(decimal);
  char buf[16];
  if (d.month == 0) {
    std::snprintf(buf, sizeof buf, "%d", d.year);
  } else {
    std::snprintf(buf, sizeof buf, "%d-%02d", d.year, d.month);
  }
  return buf;
}

/// A number as shortest round-trip text ("1.1", "2031.5"), empty for NaN.
std::string plain(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

}  // namespace

std::string format_ticks(std::int64_t ticks, int decimals) {
  const bool negative = ticks < 0;
  // Magnitude as unsigned, so that INT64_MIN is fine too.
  std::uint64_t m =
      negative ? 0 - static_cast<std::uint64_t>(ticks) : static_cast<std::uint64_t>(ticks);
  char buf[32];
  int at = sizeof buf;
  for (int d = 0; d < decimals; ++d) {
    buf[--at] = static_cast<char>('0' + m % 10);
    m /= 10;
  }
  if (decimals > 0) buf[--at] = '.';
  do {
    buf[--at] = static_cast<char>('0' + m % 10);
    m /= 10;
  } while (m != 0);
  if (negative) buf[--at] = '-';
  return std::string(buf + at, sizeof buf - at);
}

void print_ensemble_summary(std::ostream& out, const EnsembleResult& r,
                            const EnsembleStats& stats) {
  for (std::size_t c = 0; c < r.cases.size(); ++c) {
    const CaseEnsemble& e = r.cases[c];
    const Scenario& s = *e.scenario;
    out << s.name << " / " << s.case_name << ": " << e.draws << " draws, seed " << e.seed << "\n";
    Commodity shown = Commodity::Gas;
    bool any = false;
    for (std::size_t m = 0; m < e.metrics.size(); ++m) {
      const MetricKey& k = e.metrics[m];
      if (k.entity_kind != EnsembleEntity::Case || k.metric != EnsembleMetric::Delivered) continue;
      const VolumeScale scale = scale_of(r, s, k.commodity);
      if (!any || k.commodity != shown) {
        out << "  " << commodity_name(k.commodity) << " (" << scale.unit << ")\n"
            << "      year   delivered P10        P50        P90   shortfall P(>0)   mean\n";
        shown = k.commodity;
        any = true;
      }
      const ColumnStats& d = stats[c][m];
      const ColumnStats& sf = stats[c][m + 1];  // Shortfall follows Delivered
      auto v = [&](double ticks) { return scale.value(ticks / 1e6, k.year, 0); };
      char line[160];
      std::snprintf(line, sizeof line, "      %4d  %14.2f %10.2f %10.2f   %15.1f%% %6.2f\n", k.year,
                    v(d.p10), v(d.p50), v(d.p90), 100.0 * sf.positive_share, v(sf.mean));
      out << line;
    }
  }
}

std::string ensemble_summary_csv(const EnsembleResult& r, const EnsembleStats& stats) {
  std::string out =
      "scenario,case,year,commodity,entity_kind,entity,metric,unit,mean,sd,p05,p10,p50,p90,p95,"
      "min,max,draws\n";
  for (std::size_t c = 0; c < r.cases.size(); ++c) {
    const CaseEnsemble& e = r.cases[c];
    const Scenario& s = *e.scenario;
    for (std::size_t m = 0; m < e.metrics.size(); ++m) {
      const MetricKey& k = e.metrics[m];
      const ColumnStats& st = stats.at(c).at(m);
      const VolumeScale scale = scale_of(r, s, k.commodity);
      auto v = [&](double ticks) { return stat(ticks, scale, k); };
      Line line(out);
      key(line, s, scale, k);
      if (st.draws == 0) {  // no draw has a value (a line out of service in every draw)
        for (int i = 0; i < 9; ++i) line << "";
      } else {
        line << v(st.mean) << v(st.sd) << v(st.p05) << v(st.p10) << v(st.p50) << v(st.p90)
             << v(st.p95) << v(st.min) << v(st.max);
      }
      line << static_cast<long long>(st.draws);
    }
  }
  return out;
}

std::string ensemble_risk_csv(const EnsembleResult& r, const EnsembleStats& stats) {
  std::string out = "scenario,case,year,commodity,entity_kind,entity,metric,unit,value,se,draws\n";
  for (std::size_t c = 0; c < r.cases.size(); ++c) {
    const CaseEnsemble& e = r.cases[c];
    const Scenario& s = *e.scenario;
    for (std::size_t m = 0; m < e.metrics.size(); ++m) {
      const MetricKey& k = e.metrics[m];
      const ColumnStats& st = stats.at(c).at(m);
      const double n = st.draws;
      const VolumeScale scale = scale_of(r, s, k.commodity);
      auto v = [&](double ticks) { return stat(ticks, scale, k); };
      auto row = [&](std::string_view metric, std::string_view unit, const std::string& value,
                     const std::string& se) {
        Line line(out);
        line << s.name << s.case_name << k.year << commodity_name(k.commodity)
             << entity_kind_name(k.entity_kind) << entity_id(s, k) << metric << unit << value << se
             << static_cast<long long>(st.draws);
      };
      const std::string& vol = scale.unit;
      auto share = [&](double p) {
        return std::pair{format_fixed(p, decimals::kFraction),
                         format_fixed(std::sqrt(p * (1.0 - p) / n), decimals::kFraction)};
      };
      const bool shortfall =
          k.metric == EnsembleMetric::Shortfall &&
          (k.entity_kind == EnsembleEntity::Market || k.entity_kind == EnsembleEntity::Case);
      if (shortfall) {
        const auto [p, p_se] = share(st.positive_share);
        row("p_shortfall", "fraction", p, p_se);
        row("expected_unserved", vol, v(st.mean), v(st.sd / std::sqrt(n)));
        row("unserved_p90", vol, v(st.p90), "");
        row("unserved_p95", vol, v(st.p95), "");
        row("cvar95_unserved", vol, v(st.tail_mean_95), "");
      } else if (k.entity_kind == EnsembleEntity::Route && k.metric == EnsembleMetric::Capacity) {
        const auto [p, p_se] = share(st.positive_share);
        row("p_online", "fraction", p, p_se);
        row("capacity_at_risk", vol, v(st.p10), "");
      }
    }
  }
  return out;
}

std::function<bool(std::string&)> draws_csv(const EnsembleResult& r, std::size_t piece_bytes) {
  struct State {
    const EnsembleResult* r = nullptr;
    std::size_t piece = 0;
    std::size_t c = 0;
    int k = -1;  // -1: start the case at its first draw
    bool header = true;
    std::vector<std::string> keys;                   // per metric of case c: the text after draw
    std::vector<std::optional<VolumeScale>> scales;  // per metric: a converted volume's unit
  };
  auto st = std::make_shared<State>();
  st->r = &r;
  st->piece = piece_bytes;
  return [st](std::string& out) {
    const std::size_t start = out.size();
    if (st->header) {
      out += "scenario,case,draw,year,commodity,entity_kind,entity,metric,unit,value\n";
      st->header = false;
    }
    while (st->c < st->r->cases.size()) {
      const CaseEnsemble& e = st->r->cases[st->c];
      const Scenario& s = *e.scenario;
      if (st->keys.empty()) {
        st->scales.clear();
        for (const MetricKey& m : e.metrics) {
          const VolumeScale scale = scale_of(*st->r, s, m.commodity);
          std::string k;
          {
            Line line(k);
            line << m.year << commodity_name(m.commodity) << entity_kind_name(m.entity_kind)
                 << entity_id(s, m) << metric_name(m.metric) << unit_of(scale, m);
          }
          k.pop_back();  // the '\n'
          st->keys.push_back(std::move(k));
          // Only a converted volume is formatted as a number; the rest as exact ticks.
          const bool converted = is_volume(m.metric) && (scale.divisor != 1.0 || scale.per_day);
          st->scales.push_back(converted ? std::optional(scale) : std::nullopt);
        }
      }
      const std::string prefix = csv_field(s.name) + "," + csv_field(s.case_name) + ",";
      if (st->k < 0) st->k = e.first;
      for (; st->k < e.last; ++st->k) {
        if (out.size() - start >= st->piece) return true;
        const std::string draw = prefix + std::to_string(st->k) + ",";
        for (std::size_t m = 0; m < e.metrics.size(); ++m) {
          out += draw;
          out += st->keys[m];
          out += ',';
          const std::int64_t v = e.value(st->k, m);
          const MetricKey& key = e.metrics[m];
          if (v == kNoValue) {
            // no value: an empty field
          } else if (st->scales[m]) {
            out += stat(static_cast<double>(v), *st->scales[m], key);
          } else {
            out += format_ticks(v, metric_decimals(key.metric));
          }
          out += '\n';
        }
      }
      ++st->c;
      st->k = -1;
      st->keys.clear();
    }
    return false;
  };
}

std::function<bool(std::string&)> inputs_csv(const EnsembleResult& r, std::size_t piece_bytes) {
  struct State {
    const EnsembleResult* r = nullptr;
    std::size_t piece = 0;
    std::size_t c = 0;
    int k = -1;  // -1: start the case at its first draw
    bool header = true;
  };
  auto st = std::make_shared<State>();
  st->r = &r;
  st->piece = piece_bytes;
  return [st](std::string& out) {
    const std::size_t start = out.size();
    if (st->header) {
      out += "scenario,case,draw,year,path,drawn,drawn_unit,value,unit\n";
      st->header = false;
    }
    while (st->c < st->r->cases.size()) {
      const CaseEnsemble& e = st->r->cases[st->c];
      const Scenario& s = *e.scenario;
      if (e.drawn.empty()) {
        ++st->c;
        continue;
      }
      if (st->k < 0) st->k = e.first;
      for (; st->k < e.last; ++st->k) {
        if (out.size() - start >= st->piece) return true;
        const std::size_t row = static_cast<std::size_t>(st->k - e.first) * e.input_slots;
        int slot = 0;
        for (const EnsembleInput& in : e.inputs) {
          const int n = in.per_year ? static_cast<int>(e.years.size()) : 1;
          for (int t = 0; t < n; ++t, ++slot) {
            const double drawn = e.drawn[row + slot], value = e.applied[row + slot];
            Line line(out);
            line << s.name << s.case_name << static_cast<long long>(st->k);
            if (in.per_year) {
              line << static_cast<long long>(e.years[t]);
            } else {
              line << "";
            }
            line << in.path << plain(drawn) << in.drawn_unit
                 << (std::isnan(value) ? ""
                     : in.date         ? date_text(value)
                                       : plain(value))
                 << (in.date ? "date" : in.unit);
          }
        }
      }
      ++st->c;
      st->k = -1;
    }
    return false;
  };
}

namespace {

/// A day counted from 1970-01-01 as YYYY-MM-DD.
std::string day_text(int day) {
  const std::chrono::year_month_day d{std::chrono::sys_days{std::chrono::days{day}}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return text;
}

}  // namespace

bool has_outages(const EnsembleResult& r) {
  for (const CaseEnsemble& e : r.cases) {
    if (!e.scenario->uncertainty.outages.empty()) return true;
  }
  return false;
}

std::function<bool(std::string&)> outages_csv(const EnsembleResult& r, std::size_t piece_bytes) {
  struct State {
    const EnsembleResult* r = nullptr;
    std::size_t piece = 0;
    std::size_t c = 0;
    int k = -1;  // -1: start the case at its first draw
    bool header = true;
  };
  auto st = std::make_shared<State>();
  st->r = &r;
  st->piece = piece_bytes;
  return [st](std::string& out) {
    const std::size_t start = out.size();
    if (st->header) {
      out += "scenario,case,draw,outage,target,from,to,days,derate_percent\n";
      st->header = false;
    }
    while (st->c < st->r->cases.size()) {
      const CaseEnsemble& e = st->r->cases[st->c];
      const Scenario& s = *e.scenario;
      if (s.uncertainty.outages.empty()) {
        ++st->c;
        continue;
      }
      if (st->k < 0) st->k = e.first;
      for (; st->k < e.last; ++st->k) {
        if (out.size() - start >= st->piece) return true;
        for (const EnsembleOutage& o : draw_case_outages(s, e.seed, st->k)) {
          const OutageProcess& process = s.uncertainty.outages[o.process];
          Line line(out);
          line << s.name << s.case_name << static_cast<long long>(st->k)
               << (process.id.empty() ? "outage " + std::to_string(o.process + 1) : process.id)
               << (o.pipeline ? "pipelines." + s.pipelines[o.entity].id
                              : "supplies." + s.nodes[o.entity].id)
               << day_text(o.span.first_day) << day_text(o.span.end_day - 1)
               << static_cast<long long>(o.span.end_day - o.span.first_day)
               << plain(o.span.derate * 100.0);
        }
      }
      ++st->c;
      st->k = -1;
    }
    return false;
  };
}

}  // namespace corridor
