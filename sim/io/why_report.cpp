#include "corridor/why_report.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "corridor/csv.h"
#include "corridor/text.h"

namespace corridor {
namespace {

int decimals_of(const std::string& unit) {
  if (unit == "bcm" || unit == "Mt") return decimals::kVolume;
  return decimals::kMoney;  // MUSD, USD/kcm, USD/t: 3 decimals
}

std::string number(const std::optional<double>& v, const std::string& unit) {
  return v ? format_fixed(*v, decimals_of(unit)) : "";
}

std::string fields(std::initializer_list<std::string> f) {
  std::string line;
  bool first = true;
  for (const std::string& x : f) {
    line += (first ? "" : ",") + csv_field(x);
    first = false;
  }
  return line + "\n";
}

std::string pad(const std::string& s, int width, bool left = true) {
  const int w = display_width(s);
  if (w >= width) return s;
  return left ? s + std::string(static_cast<std::size_t>(width - w), ' ')
              : std::string(static_cast<std::size_t>(width - w), ' ') + s;
}

/// `s` cut to `width` columns, with "…" when cut.
std::string fit(const std::string& s, int width) {
  if (display_width(s) <= width) return s;
  std::string out;
  int w = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0)
      len = 4;
    else if (c >= 0xE0)
      len = 3;
    else if (c >= 0xC0)
      len = 2;
    if (w + 1 > width - 1) break;
    out += s.substr(i, len);
    ++w;
    i += len;
  }
  return out + "…";
}

std::string trimmed(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string case_label(const Scenario& s) { return s.name + " / " + s.case_name; }

/// How a crossing was found, and how exact it is.
std::string method_text(const BreakevenCrossing& c, const std::string& unit) {
  if (c.exact && c.steps == 0) return "exact: on a grid point";
  if (c.exact && c.steps == 1) return "exact: the difference is linear between grid points";
  if (c.exact) {
    return "exact: after " + std::to_string(c.steps) +
           " steps of regula falsi, on a linear stretch";
  }
  char w[40];
  std::snprintf(w, sizeof w, "%.3g", c.width);
  return std::string("regula falsi to within ") + w + (unit.empty() ? "" : " " + unit);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Tornado

std::string tornado_csv(const SensitivityResult& r) {
  std::string out =
      "scenario,case,kpi,unit,parameter,low_value,high_value,kpi_base,kpi_low,kpi_high,swing\n";
  const Scenario& s = *r.scenario;
  for (const Tornado& t : r.tornados) {
    for (const TornadoBar& b : t.bars) {
      out += fields({s.name, s.case_name, t.kpi.text, t.unit, b.parameter, b.low_value,
                     b.high_value, number(t.kpi_base, t.unit), number(b.kpi_low, t.unit),
                     number(b.kpi_high, t.unit), number(b.swing, t.unit)});
    }
  }
  return out;
}

void print_tornado(std::ostream& os, const SensitivityResult& r, int width, int top) {
  width = std::max(width, 40);
  for (const Tornado& t : r.tornados) {
    os << fit(t.kpi.text + " (" + t.unit + "), " + case_label(*r.scenario) + ": base " +
                  (t.kpi_base ? number(t.kpi_base, t.unit) : "undefined"),
              width)
       << "\n";
    const std::size_t shown = std::min<std::size_t>(t.bars.size(), static_cast<std::size_t>(top));
    // Columns: parameter, bar, "low .. high", swing.
    int label = 9, values = 0, swing = 5;
    for (std::size_t i = 0; i < shown; ++i) {
      const TornadoBar& b = t.bars[i];
      label = std::max(label, display_width(b.parameter));
      values = std::max(values, display_width(number(b.kpi_low, t.unit)) + 4 +
                                    display_width(number(b.kpi_high, t.unit)));
      swing = std::max(swing, display_width(number(b.swing, t.unit)));
    }
    values = std::max(values, 11);
    const int fixed = values + swing + 6;  // three gaps of two
    int bar = std::max(12, (width - fixed) / 3);
    label = std::min(label, std::max(9, width - fixed - bar));
    bar = std::max(12, width - fixed - label);
    if (bar % 2 == 0) --bar;  // a middle column for the base
    const int half = bar / 2;
    double reach = 0.0;
    // A change below the last printed decimal is no change: no bar.
    const double zero = 0.5 * std::pow(10.0, -decimals_of(t.unit));
    for (std::size_t i = 0; i < shown; ++i) {
      const TornadoBar& b = t.bars[i];
      if (!t.kpi_base) break;
      for (const auto& v : {b.kpi_low, b.kpi_high}) {
        if (v && std::abs(*v - *t.kpi_base) > zero)
          reach = std::max(reach, std::abs(*v - *t.kpi_base));
      }
    }
    os << trimmed(pad("parameter", label) + "  " + pad("low │ high", bar) + "  " +
                  pad("kpi low .. high", values, false) + "  " + pad("swing", swing, false))
       << "\n";
    for (std::size_t i = 0; i < shown; ++i) {
      const TornadoBar& b = t.bars[i];
      // Cells: '█' where the high value reaches, '░' where only the low one does; '│' the base.
      std::vector<std::string> cells(static_cast<std::size_t>(bar), " ");
      cells[static_cast<std::size_t>(half)] = "│";
      auto cover = [&](const std::optional<double>& v, const std::string& glyph, bool weak) {
        if (!v || !t.kpi_base || reach <= 0.0) return;
        const double d = *v - *t.kpi_base;
        if (std::abs(d) <= zero) return;
        int n = static_cast<int>(std::lround(std::abs(d) / reach * half));
        if (n == 0) n = 1;
        for (int k = 1; k <= n; ++k) {
          std::string& c = cells[static_cast<std::size_t>(half + (d < 0 ? -k : k))];
          if (!weak || c == " ") c = glyph;
        }
      };
      cover(b.kpi_high, "█", false);
      cover(b.kpi_low, "░", true);
      std::string line;
      for (const std::string& c : cells) line += c;
      const std::string v = b.kpi_low || b.kpi_high
                                ? number(b.kpi_low, t.unit) + " .. " + number(b.kpi_high, t.unit)
                                : "undefined";
      os << trimmed(pad(fit(b.parameter, label), label) + "  " + line + "  " +
                    pad(v, values, false) + "  " + pad(number(b.swing, t.unit), swing, false))
         << "\n";
    }
    if (t.bars.size() > shown) {
      os << "(" << t.bars.size() - shown << " more inputs with smaller swings in tornado.csv)\n";
    }
    os << "█ high value, ░ low value, │ base; swing = |kpi(high) - kpi(low)| in " << t.unit
       << "\n\n";
  }
}

// ---------------------------------------------------------------------------------------------
// Breakeven

std::string breakeven_csv(const BreakevenResult& r) {
  std::string out =
      "scenario,parameter,case,kpi,vs_case,vs_kpi,crossing,value,value_unit,kpi_value,unit,"
      "method\n";
  const Scenario& a = *r.a;
  const Scenario& b = *r.b;
  const std::string range = r.low_text + ".." + r.high_text;
  if (r.crossings.empty()) {
    out += fields({a.name, r.parameter, a.case_name, r.kpi_text, b.case_name, r.vs_kpi_text, "", "",
                   r.value_unit, "", r.kpi_unit, "no crossing in " + range});
    return out;
  }
  for (std::size_t i = 0; i < r.crossings.size(); ++i) {
    const BreakevenCrossing& c = r.crossings[i];
    char value[40];
    std::snprintf(value, sizeof value, "%.9g", c.x);
    const std::string method = method_text(c, r.value_unit);
    out += fields({a.name, r.parameter, a.case_name, r.kpi_text, b.case_name, r.vs_kpi_text,
                   std::to_string(i + 1), value, r.value_unit, number(c.kpi, r.kpi_unit),
                   r.kpi_unit, method});
  }
  return out;
}

std::string breakeven_curve_csv(const BreakevenResult& r) {
  std::string out =
      "scenario,parameter,value,value_unit,case,kpi,kpi_value,vs_case,vs_kpi,vs_kpi_value,unit\n";
  for (const BreakevenPoint& p : r.curve) {
    char value[40];
    std::snprintf(value, sizeof value, "%.9g", p.x);
    out += fields({r.a->name, r.parameter, value, r.value_unit, r.a->case_name, r.kpi_text,
                   number(p.kpi, r.kpi_unit), r.b->case_name, r.vs_kpi_text,
                   number(p.vs_kpi, r.kpi_unit), r.kpi_unit});
  }
  return out;
}

void print_breakeven(std::ostream& os, const BreakevenResult& r) {
  const std::string who = r.kpi_text + " of " + r.a->case_name;
  const std::string vs = r.vs_kpi_text + " of " + r.b->case_name;
  const std::string range = r.low_text + ".." + r.high_text;
  if (r.crossings.empty()) {
    os << "no crossing in " << range << ": " << who << " minus " << vs << " keeps its sign";
    std::optional<double> lo, hi;
    for (const BreakevenPoint& p : r.curve) {
      if (!p.kpi || !p.vs_kpi) continue;
      const double d = *p.kpi - *p.vs_kpi;
      lo = lo ? std::min(*lo, d) : d;
      hi = hi ? std::max(*hi, d) : d;
    }
    if (lo)
      os << " (from " << number(lo, r.kpi_unit) << " to " << number(hi, r.kpi_unit) << " "
         << r.kpi_unit << ")";
    os << "\n";
    return;
  }
  os << r.parameter << ": " << r.crossings.size() << " crossing"
     << (r.crossings.size() > 1 ? "s" : "") << " in " << range << "\n";
  for (const BreakevenCrossing& c : r.crossings) {
    os << "  at " << c.value_text << ", " << who << " = " << vs << " = "
       << number(c.kpi, r.kpi_unit) << " " << r.kpi_unit;
    os << " (" << method_text(c, r.value_unit) << ")\n";
  }
  char step[40];
  std::snprintf(step, sizeof step, "%.6g", r.grid_step);
  os << "(searched on a grid of step " << step << (r.value_unit.empty() ? "" : " " + r.value_unit)
     << "; two crossings closer than one step would not be seen)\n";
}

// ---------------------------------------------------------------------------------------------
// Explain

std::string explain_csv(const ExplainResult& r) {
  std::string out =
      "scenario,kpi,unit,from_case,to_case,input,old_value,new_value,one_at_a_time,shapley,"
      "share\n";
  const Scenario& from = *r.from;
  const Scenario& to = *r.to;
  for (const Attribution& a : r.attributions) {
    const bool both = a.from_value && a.to_value;
    const double change = both ? *a.to_value - *a.from_value : 0.0;
    auto share = [both, change](double v) -> std::string {
      if (!both || std::abs(change) < 1e-12) return "";
      return format_fixed(v / change, decimals::kFraction);
    };
    for (std::size_t i = 0; i < r.inputs.size(); ++i) {
      const ExplainInput& in = r.inputs[i];
      if (!a.defined) {
        out += fields({to.name, a.kpi.text, a.unit, from.case_name, to.case_name, in.name,
                       in.old_value, in.new_value, "", "", ""});
        continue;
      }
      out += fields({to.name, a.kpi.text, a.unit, from.case_name, to.case_name, in.name,
                     in.old_value, in.new_value, number(a.one_at_a_time[i], a.unit),
                     number(a.shapley[i], a.unit), share(a.shapley[i])});
    }
    if (!a.defined) continue;
    out += fields({to.name, a.kpi.text, a.unit, from.case_name, to.case_name, "(interaction)", "",
                   "", number(a.interaction, a.unit), "", ""});
    if (std::abs(a.other) > 1e-9 * std::max(1.0, std::abs(a.from_value.value_or(0.0)))) {
      out += fields({to.name, a.kpi.text, a.unit, from.case_name, to.case_name, "(other)", "", "",
                     "", number(-a.other, a.unit), share(-a.other)});
    }
  }
  return out;
}

void print_changes(std::ostream& os, const ExplainResult& r, int width) {
  os << r.inputs.size() << " input" << (r.inputs.size() == 1 ? "" : "s") << " differ from "
     << r.from->case_name << " to " << r.to->case_name << ":\n";
  int name = 5;
  for (const ExplainInput& in : r.inputs) name = std::max(name, display_width(in.name));
  name = std::min(name, std::max(20, width / 2));
  for (const ExplainInput& in : r.inputs) {
    os << fit("  " + pad(fit(in.name, name), name) + "  " + in.old_value + " → " + in.new_value,
              width)
       << "\n";
  }
  os << "\n";
}

void print_waterfall(std::ostream& os, const ExplainResult& r, int width) {
  width = std::max(width, 40);
  for (const Attribution& a : r.attributions) {
    os << a.kpi.text << " (" << a.unit << "), " << r.from->case_name << " → " << r.to->case_name
       << "\n";
    if (!a.defined || !a.from_value || !a.to_value) {
      os << "  undefined in some state (a levelised cost without volume): no attribution\n\n";
      continue;
    }
    struct Step {
      std::string label;
      double value;
    };
    std::vector<Step> steps;
    if (std::abs(a.other) > 1e-9 * std::max(1.0, std::abs(*a.from_value))) {
      steps.push_back({"(other differences)", -a.other});
    }
    std::vector<std::size_t> order(r.inputs.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      return std::abs(a.shapley[x]) > std::abs(a.shapley[y]);
    });
    for (std::size_t i : order) steps.push_back({r.inputs[i].name, a.shapley[i]});
    // Columns: label, the step, the running total, the bar.
    const int d = decimals_of(a.unit);
    int label = 10, num = 10;
    for (const Step& s : steps) label = std::max(label, display_width(s.label));
    num = std::max({num, display_width(format_fixed(*a.from_value, d)) + 1,
                    display_width(format_fixed(*a.to_value, d)) + 1});
    label = std::min(label, std::max(12, width / 3));
    const int bar = std::max(10, width - label - 2 * num - 6);
    // The bar spans [min, max] of the running totals.
    double lo = std::min(*a.from_value, *a.to_value), hi = std::max(*a.from_value, *a.to_value);
    double run = *a.from_value;
    for (const Step& s : steps) {
      run += s.value;
      lo = std::min(lo, run), hi = std::max(hi, run);
    }
    const double span = hi - lo;
    auto col = [&](double v) {
      return span <= 0 ? 0 : static_cast<int>(std::lround((v - lo) / span * (bar - 1)));
    };
    auto line = [&](const std::string& l, const std::string& step, double total, double from_v,
                    bool whole) {
      std::string cells;
      const int c0 = col(whole ? lo : std::min(from_v, total)),
                c1 = col(whole ? total : std::max(from_v, total));
      for (int k = 0; k < bar; ++k) cells += (k >= c0 && k <= c1) ? (whole ? "█" : "▒") : " ";
      if (!whole && std::abs(total - from_v) < 1e-12)
        cells = std::string(static_cast<std::size_t>(bar), ' ');
      os << trimmed("  " + pad(fit(l, label), label) + "  " + pad(step, num, false) + "  " +
                    pad(format_fixed(total, d), num, false) + "  " + cells)
         << "\n";
    };
    os << trimmed("  " + pad("", label) + "  " + pad("shapley", num, false) + "  " +
                  pad("running", num, false))
       << "\n";
    line(r.from->case_name, "", *a.from_value, *a.from_value, true);
    run = *a.from_value;
    for (const Step& s : steps) {
      const double before = run;
      run += s.value;
      line(s.label, (s.value >= 0 ? "+" : "") + format_fixed(s.value, d), run, before, false);
    }
    line(r.to->case_name, "", *a.to_value, *a.to_value, true);
    double oat = 0.0;
    for (double v : a.one_at_a_time) oat += v;
    os << "  one at a time: " << format_fixed(oat, d) << " " << a.unit
       << " in all; interaction remainder " << format_fixed(a.interaction, d) << " " << a.unit;
    if (r.sampled) {
      double se = 0.0;
      for (double v : a.shapley_se) se = std::max(se, v);
      os << "; Shapley sampled over " << r.permutations << " orders (seed " << r.seed
         << "), largest standard error " << format_fixed(se, d);
    } else {
      os << "; Shapley exact over " << r.states << " states";
    }
    os << "\n\n";
  }
}

}  // namespace corridor
