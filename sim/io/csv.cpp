#include "corridor/csv.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include "corridor/units.h"

namespace corridor {
namespace {

std::string volume(double v) { return format_fixed(v, decimals::kVolume); }

/// 10^d for the fast path of append_fixed.
constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

/// Appends `n` >= 0 with `decimals` digits after the point ("1234567", 6 -> "1.234567").
void append_scaled(std::string& out, std::uint64_t n, int decimals) {
  char digits[24];
  const std::to_chars_result r = std::to_chars(digits, digits + sizeof digits, n);
  const int len = static_cast<int>(r.ptr - digits);
  if (len <= decimals) {  // 0.000123
    out += "0.";
    out.append(static_cast<std::size_t>(decimals - len), '0');
    out.append(digits, static_cast<std::size_t>(len));
    return;
  }
  out.append(digits, static_cast<std::size_t>(len - decimals));
  if (decimals > 0) {
    out += '.';
    out.append(digits + len - decimals, static_cast<std::size_t>(decimals));
  }
}

/// A CSV file written row by row into a buffer that is handed to `sink` in pieces of about
/// kPiece bytes, so a file never needs to be held whole.
class CsvWriter {
 public:
  explicit CsvWriter(const ContentSink& sink) : sink_(sink) { buf_.reserve(kPiece + 4096); }
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  /// A whole line given as it is (the header), without its newline.
  void line(std::string_view text) {
    buf_ += text;
    end_row();
  }
  void field(std::string_view s) {
    separator();
    for (const char ch : s) {
      if (ch == ',' || ch == '"' || ch == '\r' || ch == '\n') {
        buf_ += csv_field(s);
        return;
      }
    }
    buf_ += s;
  }
  /// Fields already joined and quoted (csv_fields), as they are.
  void fields(std::string_view joined) {
    separator();
    buf_ += joined;
  }
  void field(int v) {
    separator();
    char digits[16];
    const std::to_chars_result r = std::to_chars(digits, digits + sizeof digits, v);
    buf_.append(digits, r.ptr);
  }
  void fixed(double v, int decimals) {
    separator();
    append_fixed(buf_, v, decimals);
  }
  void optional_fixed(const std::optional<double>& v, int decimals) {
    separator();
    if (v) append_fixed(buf_, *v, decimals);
  }
  void end_row() {
    buf_ += '\n';
    first_ = true;
    if (buf_.size() >= kPiece) flush();
  }
  /// Hands what is buffered to the sink; call once at the end.
  void flush() {
    if (!buf_.empty()) sink_(buf_);
    buf_.clear();
  }

 private:
  static constexpr std::size_t kPiece = 1 << 20;
  void separator() {
    if (!first_) buf_ += ',';
    first_ = false;
  }
  const ContentSink& sink_;
  std::string buf_;
  bool first_ = true;
};

/// Fields joined with commas, each quoted as csv_field() would: text that stays the same for
/// many rows, built once.
std::string csv_fields(std::initializer_list<std::string_view> fields) {
  std::string out;
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) out += ',';
    first = false;
    out += csv_field(f);
  }
  return out;
}

/// The key columns of a period's rows (scenario, case, year[, month]) and the commodity: the
/// same for every row of the period.
std::string period_key(const Scenario& s, const PeriodResult& p, bool monthly, Commodity c) {
  const std::string year = std::to_string(p.period.year);
  const std::string month = std::to_string(p.period.month);
  return monthly ? csv_fields({s.name, s.case_name, year, month, commodity_name(c)})
                 : csv_fields({s.name, s.case_name, year, commodity_name(c)});
}

// The columns every file starts with; `month` only in the monthly files.
void header(CsvWriter& w, bool monthly, std::string_view rest) {
  std::string h = monthly ? "scenario,case,year,month," : "scenario,case,year,";
  h += rest;
  w.line(h);
}

// Starts a row with scenario, case, year[, month].
void key(CsvWriter& w, const Scenario& s, const PeriodResult& p, bool monthly) {
  w.field(s.name);
  w.field(s.case_name);
  w.field(p.period.year);
  if (monthly) w.field(p.period.month);
}

// Calls row(scenario, run, period) for every period of every run of every case, in order,
// after checking that the run's rows are parallel to its network (results.h).
template <typename Row>
void for_each_period(const RunResult& r, bool monthly, Row row) {
  for (const CaseResult& c : r.cases) {
    for (const CommodityRun& run : c.runs) {
      require_parallel(run, "csv", false);
      for (const PeriodResult& p : monthly ? run.monthly : run.annual) row(*c.scenario, run, p);
    }
  }
}

// Calls row(scenario, run, year result, year index) for every year of every run of every case,
// after checking that the run's economics are parallel to its annual results.
template <typename Row>
void for_each_year(const RunResult& r, Row row) {
  for (const CaseResult& c : r.cases) {
    for (const CommodityRun& run : c.runs) {
      require_parallel(run, "csv", true);
      for (std::size_t y = 0; y < run.annual.size(); ++y) row(*c.scenario, run, run.annual[y], y);
    }
  }
}

// The volumes of one commodity's rows of a period in the unit chosen with --units (units.h):
// operator() converts a volume (bcm or Mt) of the period, unit() is the unit column.
struct Volumes {
  VolumeScale scale;
  int year = 0, month = 0;
  double operator()(double v) const { return scale.value(v, year, month); }
  std::string_view unit() const { return scale.unit; }
};

Volumes volumes(const RunResult& r, const Scenario& s, Commodity c, const PeriodResult& p) {
  return {output_scale(r.units, c, props(s, c)), p.period.year, p.period.month};
}

void write_flows(const RunResult& r, bool monthly, CsvWriter& w) {
  // Fixed costs are annual (economics.h): the monthly file has no cost columns.
  header(w, monthly,
         monthly ? "commodity,pipeline,from,to,flow,capacity,utilisation,unit"
                 : "commodity,pipeline,from,to,flow,capacity,utilisation,unit,capital_musd,"
                   "opex_musd");
  // The text that does not change from period to period is built once: pipeline, from, to
  // per pipeline, the key columns per period.
  const CommodityRun* names_of = nullptr;
  std::vector<std::string> names;
  auto rows = [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p,
                  const std::vector<FixedCost>* costs) {
    const Network& net = run.network;
    if (names_of != &run) {
      names_of = &run;
      names.clear();
      for (int i : net.pipelines) {
        const Pipeline& pl = s.pipelines.at(i);
        names.push_back(csv_fields({pl.id, pl.from, pl.to}));
      }
    }
    const std::string key = period_key(s, p, monthly, net.commodity);
    const Volumes vol = volumes(r, s, net.commodity, p);
    for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
      const double flow = p.pipeline_flow[i], capacity = p.pipeline_capacity[i];
      w.fields(key);
      w.fields(names[i]);
      w.fixed(vol(flow), decimals::kVolume);
      w.fixed(vol(capacity), decimals::kVolume);
      w.optional_fixed(utilisation(flow, capacity), decimals::kFraction);
      w.field(vol.unit());
      if (costs) {
        w.fixed((*costs)[i].capital_musd, decimals::kMoney);
        w.fixed((*costs)[i].opex_musd, decimals::kMoney);
      }
      w.end_row();
    }
  };
  if (monthly) {
    for_each_period(r, true,
                    [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
                      rows(s, run, p, nullptr);
                    });
  } else {
    for_each_year(r, [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p,
                         std::size_t y) { rows(s, run, p, &run.economics.pipelines[y]); });
  }
}

void write_deliveries(const RunResult& r, bool monthly, CsvWriter& w) {
  header(w, monthly, "commodity,node,priority,demand,delivered,shortfall,unit,country,contracted");
  for_each_period(r, monthly,
                  [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
                    const Network& net = run.network;
                    const std::string key = period_key(s, p, monthly, net.commodity);
                    const Volumes vol = volumes(r, s, net.commodity, p);
                    for (std::size_t i = 0; i < net.demands.size(); ++i) {
                      const Node& n = s.nodes.at(net.demands[i]);
                      w.fields(key);
                      w.field(n.id);
                      w.field(n.priority);
                      w.fixed(vol(p.demand[i]), decimals::kVolume);
                      w.fixed(vol(p.delivered[i]), decimals::kVolume);
                      w.fixed(vol(p.shortfall[i]), decimals::kVolume);
                      w.field(vol.unit());
                      w.field(n.country);
                      w.fixed(vol(p.delivered_contracted[i]), decimals::kVolume);
                      w.end_row();
                    }
                  });
}

void write_supplies(const RunResult& r, bool monthly, CsvWriter& w) {
  header(w, monthly, "commodity,node,available,used,unit,country,kind,contracted");
  for_each_period(r, monthly,
                  [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
                    const Network& net = run.network;
                    const std::string key = period_key(s, p, monthly, net.commodity);
                    const Volumes vol = volumes(r, s, net.commodity, p);
                    for (std::size_t i = 0; i < net.supplies.size(); ++i) {
                      const Node& n = s.nodes.at(net.supplies[i]);
                      w.fields(key);
                      w.field(n.id);
                      w.fixed(vol(p.supply_available[i]), decimals::kVolume);
                      w.fixed(vol(p.supply_used[i]), decimals::kVolume);
                      w.field(vol.unit());
                      w.field(n.country);
                      w.field(node_kind_name(n.kind));
                      w.fixed(vol(p.supply_contracted[i]), decimals::kVolume);
                      w.end_row();
                    }
                  });
}

void write_storage(const RunResult& r, bool monthly, CsvWriter& w) {
  header(w, monthly,
         monthly ? "commodity,node,inventory,injection,withdrawal,unit"
                 : "commodity,node,working_volume,initial,injected,withdrawn,end,end_target,"
                   "unit");
  for_each_period(
      r, monthly, [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
        const Network& net = run.network;
        // Stocks and what moved in the period, in one volume unit (never per day).
        const Commodity c = net.commodity;
        const VolumeScale stock = output_stock_scale(r.units, c, props(s, c));
        auto vol = [&](double v) { return stock.value(v, p.period.year, 0); };
        for (std::size_t i = 0; i < net.storages.size(); ++i) {
          const Node& n = s.nodes.at(net.storages[i]);
          key(w, s, p, monthly);
          w.field(commodity_name(net.commodity));
          w.field(n.id);
          if (monthly) {
            w.fixed(vol(p.storage_end[i]), decimals::kVolume);
            w.fixed(vol(p.storage_injection[i]), decimals::kVolume);
            w.fixed(vol(p.storage_withdrawal[i]), decimals::kVolume);
          } else {
            w.fixed(vol(n.working_volume), decimals::kVolume);
            w.fixed(vol(p.storage_start[i]), decimals::kVolume);
            w.fixed(vol(p.storage_injection[i]), decimals::kVolume);
            w.fixed(vol(p.storage_withdrawal[i]), decimals::kVolume);
            w.fixed(vol(p.storage_end[i]), decimals::kVolume);
            w.fixed(vol(level_volume(n.end_target.value_or(n.initial), n.working_volume)),
                    decimals::kVolume);
          }
          w.field(stock.unit);
          w.end_row();
        }
      });
}

void write_bottlenecks(const RunResult& r, bool monthly, CsvWriter& w) {
  header(w, monthly,
         "commodity,pipeline,from,to,flow,capacity,unit,binding,shadow_cost,cost_unit,"
         "shadow_shortfall,relieved_priority,worsened_priority");
  for_each_period(r, monthly,
                  [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
                    const Network& net = run.network;
                    if (p.capacity_value.empty()) return;  // dispatched without the analysis
                    const Volumes vol = volumes(r, s, net.commodity, p);
                    auto priority = [&w](int k) {
                      if (k == 0) {
                        w.field(std::string_view());
                      } else {
                        w.field(k);
                      }
                    };
                    for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
                      const Pipeline& pl = s.pipelines.at(net.pipelines[i]);
                      const CapacityValue& v = p.capacity_value[i];
                      key(w, s, p, monthly);
                      w.field(commodity_name(net.commodity));
                      w.field(pl.id);
                      w.field(pl.from);
                      w.field(pl.to);
                      w.fixed(vol(p.pipeline_flow[i]), decimals::kVolume);
                      w.fixed(vol(p.pipeline_capacity[i]), decimals::kVolume);
                      w.field(vol.unit());
                      w.field(std::string_view(v.binding ? "true" : "false"));
                      w.fixed(v.shadow_cost, decimals::kUnitCost);
                      w.field(cost_unit(net.commodity));
                      w.fixed(v.shadow_shortfall, decimals::kFraction);
                      priority(v.relieved_priority);
                      priority(v.worsened_priority);
                      w.end_row();
                    }
                  });
}

void write_market_limits(const RunResult& r, bool monthly, CsvWriter& w) {
  header(w, monthly,
         "commodity,node,priority,demand,delivered,shortfall,remaining_flexibility,"
         "remaining_flexibility_share,unit,min_cut,min_cut_capacity");
  for_each_period(r, monthly,
                  [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
                    const Network& net = run.network;
                    if (p.market_limit.empty()) return;
                    const Volumes vol = volumes(r, s, net.commodity, p);
                    for (std::size_t i = 0; i < net.demands.size(); ++i) {
                      const Node& n = s.nodes.at(net.demands[i]);
                      const MarketLimit& m = p.market_limit[i];
                      std::string cut;
                      for (int k : m.cut_pipelines)
                        cut += (cut.empty() ? "" : ";") + s.pipelines.at(k).id;
                      for (int k : m.cut_nodes) cut += (cut.empty() ? "" : ";") + s.nodes.at(k).id;
                      const bool short_of_demand = p.shortfall[i] > kHalfFlowUnit;
                      key(w, s, p, monthly);
                      w.field(commodity_name(net.commodity));
                      w.field(n.id);
                      w.field(n.priority);
                      w.fixed(vol(p.demand[i]), decimals::kVolume);
                      w.fixed(vol(p.delivered[i]), decimals::kVolume);
                      w.fixed(vol(p.shortfall[i]), decimals::kVolume);
                      w.fixed(vol(m.remaining_flexibility), decimals::kVolume);
                      if (p.demand[i] > 0.0) {
                        w.fixed(m.remaining_flexibility / p.demand[i], decimals::kFraction);
                      } else {
                        w.field(std::string_view());
                      }
                      w.field(vol.unit());
                      w.field(cut);
                      if (short_of_demand) {
                        w.fixed(vol(m.cut_capacity), decimals::kVolume);
                      } else {
                        w.field(std::string_view());
                      }
                      w.end_row();
                    }
                  });
}

void write_routes(const RunResult& r, bool monthly, CsvWriter& w) {
  header(w, monthly, "commodity,route,volume,capacity,utilisation,bottleneck,unit");
  for_each_period(r, monthly,
                  [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
                    const Network& net = run.network;
                    const Volumes vol = volumes(r, s, net.commodity, p);
                    for (std::size_t i = 0; i < net.routes.size(); ++i) {
                      const Route& route = s.routes.at(net.routes[i]);
                      const double carried = p.route_volume[i], capacity = p.route_capacity[i];
                      const int b = p.route_bottleneck[i];
                      key(w, s, p, monthly);
                      w.field(commodity_name(net.commodity));
                      w.field(route.id);
                      w.fixed(vol(carried), decimals::kVolume);
                      w.fixed(vol(capacity), decimals::kVolume);
                      w.optional_fixed(utilisation(carried, capacity), decimals::kFraction);
                      w.field(b < 0 ? std::string_view() : std::string_view(s.pipelines.at(b).id));
                      w.field(vol.unit());
                      w.end_row();
                    }
                  });
}

void write_summary(const RunResult& r, bool monthly, CsvWriter& w) {
  // Fixed costs are annual (economics.h): the monthly file has no capital, opex or total.
  header(w, monthly,
         monthly ? "commodity,supplied,delivered,shortfall,cost_musd,unit,energy_pj,demand,"
                   "solver_penalty_musd,status,take_or_pay_musd"
                 : "commodity,supplied,delivered,shortfall,cost_musd,unit,energy_pj,demand,"
                   "capital_musd,opex_musd,total_cost_musd,solver_penalty_musd,status,"
                   "take_or_pay_musd");
  auto row = [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p,
                 const FixedCost* fixed) {
    const Commodity c = run.network.commodity;
    const double delivered = p.total_delivered();
    const Volumes vol = volumes(r, s, c, p);
    key(w, s, p, monthly);
    w.field(commodity_name(c));
    w.fixed(vol(p.supplied()), decimals::kVolume);
    w.fixed(vol(delivered), decimals::kVolume);
    w.fixed(vol(p.total_shortfall()), decimals::kVolume);
    w.fixed(p.cost_musd, decimals::kMoney);
    w.field(vol.unit());
    w.fixed(energy_pj(c, props(s, c), delivered), decimals::kEnergy);
    w.fixed(vol(p.total_demand()), decimals::kVolume);
    if (fixed) {
      w.fixed(fixed->capital_musd, decimals::kMoney);
      w.fixed(fixed->opex_musd, decimals::kMoney);
      w.fixed(p.cost_musd + p.take_or_pay_musd + fixed->total(), decimals::kMoney);
    }
    w.fixed(p.penalty_musd, decimals::kMoney);
    w.field(flow_status_name(p.status));
    w.fixed(p.take_or_pay_musd, decimals::kMoney);
    w.end_row();
  };
  if (monthly) {
    for_each_period(r, true,
                    [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
                      row(s, run, p, nullptr);
                    });
  } else {
    for_each_year(
        r, [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p, std::size_t y) {
          const FixedCost fixed = run_fixed_cost(run.economics, y);
          row(s, run, p, &fixed);
        });
  }
}

void write_contracts(const RunResult& r, bool monthly, CsvWriter& w) {
  header(w, monthly,
         "commodity,contract,seller,acq,min_take,taken,shortfall_to_min,take_or_pay_musd,unit,rule,"
         "to_buyers,status");
  for_each_period(
      r, monthly, [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
        const Network& net = run.network;
        const std::string key = period_key(s, p, monthly, net.commodity);
        const Volumes vol = volumes(r, s, net.commodity, p);
        for (std::size_t k = 0; k < net.contracts.size(); ++k) {
          const Contract& c = s.contracts.at(net.contracts[k]);
          const double min = p.contract_min[k], taken = p.contract_taken[k];
          const double below = std::max(0.0, min - taken);
          const bool short_of_min = below > kHalfFlowUnit;
          w.fields(key);
          w.field(c.id);
          w.field(c.seller);
          w.fixed(vol(p.contract_acq[k]), decimals::kVolume);
          w.fixed(vol(min), decimals::kVolume);
          w.fixed(vol(taken), decimals::kVolume);
          w.fixed(vol(below), decimals::kVolume);
          w.fixed(p.contract_take_or_pay_musd[k], decimals::kMoney);
          w.field(vol.unit());
          w.field(contract_rule_name(c.rule));
          if (c.buyers.empty()) {
            w.field("");
          } else {
            w.fixed(vol(p.contract_to_buyers[k]), decimals::kVolume);
          }
          w.field(p.contract_infeasible[k] ? "infeasible" : short_of_min ? "take_or_pay" : "met");
          w.end_row();
        }
      });
}

void write_route_costs(const RunResult& r, CsvWriter& w) {
  header(w, false,
         "commodity,route,volume,unit,capital_musd,opex_musd,tariff_musd,transit_fee_musd,"
         "total_cost_musd,levelised_cost,cost_unit,levelised_cost_usd_per_gj,"
         "levelised_cost_usd_per_bbl");
  for_each_year(
      r, [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p, std::size_t y) {
        const Network& net = run.network;
        const Volumes vol = volumes(r, s, net.commodity, p);
        const bool oil = net.commodity == Commodity::Oil;
        for (std::size_t i = 0; i < net.routes.size(); ++i) {
          const Route& route = s.routes.at(net.routes[i]);
          const RouteYearCost& c = run.economics.routes[y][i];
          std::optional<double> per_bbl;  // oil only, at the case's density
          if (oil && c.levelised) per_bbl = usd_per_bbl(props(s, net.commodity), *c.levelised);
          key(w, s, p, false);
          w.field(commodity_name(net.commodity));
          w.field(route.id);
          w.fixed(vol(c.volume), decimals::kVolume);
          w.field(vol.unit());
          w.fixed(c.capital_musd, decimals::kMoney);
          w.fixed(c.opex_musd, decimals::kMoney);
          if (c.tariff_unknown) {  // tariff: unknown on a pipeline: no total that reads cheap
            w.field("");
          } else {
            w.fixed(c.tariff_musd, decimals::kMoney);
          }
          w.fixed(c.transit_fee_musd, decimals::kMoney);
          if (c.tariff_unknown) {
            w.field("");
          } else {
            w.fixed(c.total_musd(), decimals::kMoney);
          }
          w.optional_fixed(c.levelised, decimals::kUnitCost);
          w.field(cost_unit(net.commodity));
          w.optional_fixed(c.levelised_usd_per_gj, decimals::kUsdPerGj);
          w.optional_fixed(per_bbl, decimals::kUnitCost);
          w.end_row();
        }
      });
}

void write_transit_fees(const RunResult& r, CsvWriter& w) {
  header(w, false, "commodity,country,volume,unit,fees_musd");
  for_each_year(
      r, [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p, std::size_t y) {
        const Commodity c = run.network.commodity;
        const Volumes vol = volumes(r, s, c, p);
        for (const TransitFee& f : run.economics.transit[y]) {
          key(w, s, p, false);
          w.field(commodity_name(c));
          w.field(f.country);
          w.fixed(vol(f.volume), decimals::kVolume);
          w.field(vol.unit());
          w.fixed(f.fees_musd, decimals::kMoney);
          w.end_row();
        }
      });
}

/// The lines whose linefill a case draws within its horizon: oil pipes with diameter and length
/// that come into service in one of its years (linefill_m3, scenario.h).
std::vector<const Pipeline*> filled_lines(const Scenario& s) {
  std::vector<const Pipeline*> out;
  for (const Pipeline& pl : s.pipelines) {
    if (!pl.online || !linefill_m3(pl)) continue;
    if (pl.online->year < s.horizon.start_year || pl.online->year > s.horizon.end_year) continue;
    out.push_back(&pl);
  }
  return out;
}

void write_linefill(const RunResult& r, CsvWriter& w) {
  header(w, false, "commodity,pipeline,inner_diameter_mm,length_km,linefill_m3,linefill,unit");
  for (const CaseResult& c : r.cases) {
    const Scenario& s = *c.scenario;
    const CommodityProps& oil = props(s, Commodity::Oil);
    const VolumeScale stock = output_stock_scale(r.units, Commodity::Oil, oil);
    std::vector<const Pipeline*> lines = filled_lines(s);
    std::stable_sort(lines.begin(), lines.end(), [](const Pipeline* a, const Pipeline* b) {
      return a->online->year < b->online->year;
    });
    for (const Pipeline* pl : lines) {
      const double m3 = *linefill_m3(*pl);
      w.field(s.name);
      w.field(s.case_name);
      w.field(pl->online->year);
      w.field(commodity_name(Commodity::Oil));
      w.field(pl->id);
      w.fixed(*pl->diameter_mm - 2.0 * pl->wall_thickness_mm.value_or(0.0), decimals::kHeight);
      w.fixed(*pl->length_km, decimals::kHeight);
      w.fixed(m3, 0);
      w.fixed(stock.value(oil_m3_to_mt(oil, m3), pl->online->year, 0), decimals::kVolume);
      w.field(stock.unit);
      w.end_row();
    }
  }
}

/// Runs a writer into a string.
template <typename Write>
std::string to_text(Write write) {
  std::string out;
  const ContentSink sink = [&](std::string_view piece) { out += piece; };
  CsvWriter w(sink);
  write(w);
  w.flush();
  return out;
}

/// Runs a writer into a content sink: the contents of an OutputFile.
template <typename Write>
OutputFile output_file(std::string name, Write write) {
  return {std::move(name), [write](const ContentSink& sink) {
            CsvWriter w(sink);
            write(w);
            w.flush();
          }};
}

}  // namespace

void append_fixed(std::string& out, double v, int decimals) {
  // Fast path: round v x 10^d to an integer and print its digits. The product is within half
  // an ulp of the exact one; unless it lies within a few ulps of a rounding boundary (x.5),
  // rounding it gives the integer to_chars would round the exact value to. |x| < 2^50 keeps
  // the ulp at most 1/4 and the integer exact.
  if (decimals >= 0 && decimals <= 9 && std::isfinite(v)) {
    const double x = std::fabs(v) * kPow10[decimals];
    if (x < 0x1p50) {
      const auto truncated = static_cast<std::uint64_t>(x);    // floor: x >= 0
      const double frac = x - static_cast<double>(truncated);  // exact
      // ulp(x) <= x * 2^-52, so this margin is at least 4 ulps.
      if (std::fabs(frac - 0.5) > x * 0x1p-50) {
        const std::uint64_t n = truncated + (frac > 0.5 ? 1 : 0);
        if (v < 0 && n != 0) out += '-';  // a value that rounds to zero prints without a sign
        append_scaled(out, n, decimals);
        return;
      }
    }
  }
  char buf[400];  // the largest double in fixed notation has 309 integer digits
  const std::to_chars_result r =
      std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  if (r.ec != std::errc()) throw std::logic_error("csv: cannot format a number");
  std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
  if (!s.empty() && s[0] == '-' && s.find_first_not_of("-0.") == std::string_view::npos) {
    s.remove_prefix(1);
  }
  out += s;
}

std::string format_fixed(double v, int decimals) {
  std::string s;
  append_fixed(s, v, decimals);
  return s;
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string q = "\"";
  for (char ch : s) {
    if (ch == '"') q += '"';
    q += ch;
  }
  q += '"';
  return q;
}

std::string flows_csv(const RunResult& r, bool monthly) {
  return to_text([&](CsvWriter& w) { write_flows(r, monthly, w); });
}
std::string deliveries_csv(const RunResult& r, bool monthly) {
  return to_text([&](CsvWriter& w) { write_deliveries(r, monthly, w); });
}
std::string supplies_csv(const RunResult& r, bool monthly) {
  return to_text([&](CsvWriter& w) { write_supplies(r, monthly, w); });
}
std::string storage_csv(const RunResult& r, bool monthly) {
  return to_text([&](CsvWriter& w) { write_storage(r, monthly, w); });
}
std::string bottlenecks_csv(const RunResult& r, bool monthly) {
  return to_text([&](CsvWriter& w) { write_bottlenecks(r, monthly, w); });
}
std::string market_limits_csv(const RunResult& r, bool monthly) {
  return to_text([&](CsvWriter& w) { write_market_limits(r, monthly, w); });
}
std::string routes_csv(const RunResult& r, bool monthly) {
  return to_text([&](CsvWriter& w) { write_routes(r, monthly, w); });
}
std::string summary_csv(const RunResult& r, bool monthly) {
  return to_text([&](CsvWriter& w) { write_summary(r, monthly, w); });
}
std::string route_costs_csv(const RunResult& r) {
  return to_text([&](CsvWriter& w) { write_route_costs(r, w); });
}
std::string transit_fees_csv(const RunResult& r) {
  return to_text([&](CsvWriter& w) { write_transit_fees(r, w); });
}

std::string contracts_csv(const RunResult& r, bool monthly) {
  return to_text([&](CsvWriter& w) { write_contracts(r, monthly, w); });
}

std::string linefill_csv(const RunResult& r) {
  return to_text([&](CsvWriter& w) { write_linefill(r, w); });
}

std::vector<OutputFile> result_files(const RunResult& r) {
  const RunResult* p = &r;
  std::vector<OutputFile> files;
  files.push_back(output_file("flows.csv", [p](CsvWriter& w) { write_flows(*p, false, w); }));
  files.push_back(
      output_file("deliveries.csv", [p](CsvWriter& w) { write_deliveries(*p, false, w); }));
  files.push_back(output_file("supplies.csv", [p](CsvWriter& w) { write_supplies(*p, false, w); }));
  files.push_back(output_file("routes.csv", [p](CsvWriter& w) { write_routes(*p, false, w); }));
  files.push_back(output_file("summary.csv", [p](CsvWriter& w) { write_summary(*p, false, w); }));
  files.push_back(output_file("route_costs.csv", [p](CsvWriter& w) { write_route_costs(*p, w); }));
  files.push_back(
      output_file("transit_fees.csv", [p](CsvWriter& w) { write_transit_fees(*p, w); }));
  bool any_monthly = false, any_storage = false, any_monthly_storage = false;
  bool any_contracts = false;
  for (const CaseResult& c : r.cases) {
    const bool monthly = c.scenario->resolution == Resolution::Month;
    any_monthly |= monthly;
    any_contracts |= !c.scenario->contracts.empty();
    for (const Node& n : c.scenario->nodes) {
      any_storage |= n.kind == NodeKind::Storage;
      any_monthly_storage |= monthly && n.kind == NodeKind::Storage;
    }
  }
  if (any_contracts) {
    files.push_back(
        output_file("contracts.csv", [p](CsvWriter& w) { write_contracts(*p, false, w); }));
  }
  if (any_storage) {
    files.push_back(output_file("storage.csv", [p](CsvWriter& w) { write_storage(*p, false, w); }));
  }
  bool any_linefill = false;
  for (const CaseResult& c : r.cases) any_linefill |= !filled_lines(*c.scenario).empty();
  if (any_linefill) {
    files.push_back(output_file("linefill.csv", [p](CsvWriter& w) { write_linefill(*p, w); }));
  }
  bool analysed = false;
  for (const CaseResult& c : r.cases) {
    for (const CommodityRun& run : c.runs) {
      for (const PeriodResult& period : run.annual) analysed |= !period.capacity_value.empty();
    }
  }
  if (analysed) {
    files.push_back(
        output_file("bottlenecks.csv", [p](CsvWriter& w) { write_bottlenecks(*p, false, w); }));
    files.push_back(
        output_file("market_limits.csv", [p](CsvWriter& w) { write_market_limits(*p, false, w); }));
  }
  if (any_monthly) {
    files.push_back(
        output_file("flows_monthly.csv", [p](CsvWriter& w) { write_flows(*p, true, w); }));
    files.push_back(output_file("deliveries_monthly.csv",
                                [p](CsvWriter& w) { write_deliveries(*p, true, w); }));
    files.push_back(
        output_file("supplies_monthly.csv", [p](CsvWriter& w) { write_supplies(*p, true, w); }));
    files.push_back(
        output_file("routes_monthly.csv", [p](CsvWriter& w) { write_routes(*p, true, w); }));
    files.push_back(
        output_file("summary_monthly.csv", [p](CsvWriter& w) { write_summary(*p, true, w); }));
    if (any_contracts) {
      files.push_back(output_file("contracts_monthly.csv",
                                  [p](CsvWriter& w) { write_contracts(*p, true, w); }));
    }
  }
  if (any_monthly_storage) {
    files.push_back(
        output_file("storage_monthly.csv", [p](CsvWriter& w) { write_storage(*p, true, w); }));
  }
  if (analysed && any_monthly) {
    files.push_back(output_file("bottlenecks_monthly.csv",
                                [p](CsvWriter& w) { write_bottlenecks(*p, true, w); }));
    files.push_back(output_file("market_limits_monthly.csv",
                                [p](CsvWriter& w) { write_market_limits(*p, true, w); }));
  }
  return files;
}

std::vector<std::pair<std::string, std::string>> result_csvs(const RunResult& r) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const OutputFile& f : result_files(r)) {
    std::string text;
    f.contents([&](std::string_view piece) { text += piece; });
    out.emplace_back(f.name, std::move(text));
  }
  return out;
}

ColumnType column_type(std::string_view column) {
  // Every column of every table, by name (the README's CSV contract).
  // clang-format off
  static constexpr std::string_view kText[] = {
      "scenario", "case", "commodity", "pipeline", "from", "to", "node", "route", "country",
      "unit", "cost_unit", "volume_unit", "bottleneck", "status", "metric", "detail",
      "baseline_case", "transit_countries",
      "entity_kind", "entity",  // ensemble_*.csv, draws.csv
      "contract", "seller", "rule",  // contracts.csv
      // capacity.csv, hydraulics.csv, hydraulics_nodes.csv (issue 14)
      "pipeline_or_route", "limit", "element", "type", "violations",
      // supplies.csv, bottlenecks.csv, market_limits.csv (issue 12)
      "kind", "binding", "min_cut",
      // tornado.csv, breakeven.csv, breakeven_curve.csv, explain.csv (issue 15)
      "kpi", "parameter", "low_value", "high_value", "value_unit", "vs_case", "vs_kpi", "method",
      "from_case", "to_case", "input", "old_value", "new_value"};
  static constexpr std::string_view kNumber[] = {
      "year", "month", "priority", "demand", "delivered", "shortfall", "supplied", "available",
      "used", "flow", "capacity", "utilisation", "volume", "capital_musd", "opex_musd",
      "cost_musd", "energy_pj", "total_cost_musd", "solver_penalty_musd", "tariff_musd",
      "transit_fee_musd", "levelised_cost", "levelised_cost_usd_per_gj",
      "levelised_cost_usd_per_bbl", "fees_musd",
      // linefill.csv (issue 18)
      "inner_diameter_mm", "length_km", "linefill_m3", "linefill",
      // comparison.csv, comparison_wide.csv
      "value", "baseline_value", "delta", "first_flow_year", "cumulative_volume",
      "mean_utilisation", "peak_utilisation", "bottleneck_binding_years", "transit_share",
      "transit_fees_musd", "served_shortfall",
      // ensemble_summary.csv, ensemble_risk.csv, draws.csv
      "mean", "sd", "p05", "p10", "p50", "p90", "p95", "min", "max", "draws", "draw", "se",
      // deliveries.csv, supplies.csv, summary.csv, contracts.csv
      "contracted", "take_or_pay_musd", "acq", "min_take", "taken", "shortfall_to_min",
      "to_buyers",
      // comparison_cases.csv (and its supply_<source>, displaced_<source> below)
      "first_year", "last_year", "supply_cost_musd", "transport_cost_musd", "system_cost_musd",
      "npv_cost_musd",

      // capacity.csv (issue 14)
      "paper_capacity", "physical_capacity", "ratio", "stations", "stations_needed", "power_mw",
      "fuel_share",
      // hydraulics.csv, hydraulics_nodes.csv
      "flow_mcm_per_d", "flow_kg_per_s", "pressure_from_bar", "pressure_to_bar",
      "pressure_drop_bar", "velocity_m_per_s", "fuel_mcm_per_d", "height_m", "pressure_bar",
      "min_pressure_bar", "max_pressure_bar", "injection_mcm_per_d", "injection_kg_per_s",
      // storage.csv, storage_monthly.csv (issue 12)
      "working_volume", "initial", "injected", "withdrawn", "end", "end_target", "inventory",
      "injection", "withdrawal",
      // bottlenecks.csv, market_limits.csv
      "shadow_cost", "shadow_shortfall", "relieved_priority", "worsened_priority",
      "remaining_flexibility", "remaining_flexibility_share", "min_cut_capacity",
      // tornado.csv, breakeven.csv, breakeven_curve.csv, explain.csv (issue 15)
      "kpi_base", "kpi_low", "kpi_high", "swing", "crossing", "kpi_value", "vs_kpi_value",
      "one_at_a_time", "shapley", "share"};
  // clang-format on
  auto find = [](std::string_view name) -> std::optional<ColumnType> {
    for (std::string_view t : kText) {
      if (t == name) return ColumnType::kText;
    }
    for (std::string_view n : kNumber) {
      if (n == name) return ColumnType::kNumber;
    }
    return std::nullopt;
  };
  std::string_view base = column;
  if (base.starts_with("delta_")) base.remove_prefix(6);
  if (auto t = find(base)) return *t;
  // comparison_cases.csv: supply_<source>[_<year>] and displaced_<source>[_<year>], volumes,
  // whatever the source is called.
  if (base.starts_with("supply_") || base.starts_with("displaced_")) return ColumnType::kNumber;
  // comparison_wide.csv: <metric>_<year>, a year of four digits.
  if (base.size() > 5 && base[base.size() - 5] == '_') {
    const std::string_view year = base.substr(base.size() - 4);
    const bool digits = year.find_first_not_of("0123456789") == std::string_view::npos;
    if (digits) {
      if (auto t = find(base.substr(0, base.size() - 5)); t == ColumnType::kNumber) return *t;
    }
  }
  throw std::logic_error("column '" + std::string(column) +
                         "' has no declared type; add it to column_type() in csv.cpp");
}

std::string capacity_csv(const std::vector<CapacityStudy>& studies) {
  std::string out =
      "scenario,case,year,commodity,pipeline_or_route,paper_capacity,physical_capacity,unit,"
      "ratio,stations,stations_needed,power_mw,fuel_share,limit\n";
  for (const CapacityStudy& st : studies) {
    for (const CapacityRow& r : st.rows) {
      out += csv_field(r.scenario) + "," + csv_field(r.case_name) + "," + std::to_string(r.year) +
             "," + std::string(commodity_name(r.commodity)) + "," + csv_field(r.id) + "," +
             volume(r.paper_capacity) + "," + volume(r.physical_capacity) + "," +
             std::string(volume_unit(r.commodity)) + "/y," +
             (std::isnan(r.ratio) ? std::string() : format_fixed(r.ratio, decimals::kFraction)) +
             "," + std::to_string(r.stations) + "," +
             (r.stations_needed < 0 ? std::string() : std::to_string(r.stations_needed)) + "," +
             (std::isnan(r.power_mw) ? std::string() : format_fixed(r.power_mw, decimals::kPower)) +
             "," +
             (std::isnan(r.fuel_share) ? std::string()
                                       : format_fixed(r.fuel_share, decimals::kFraction)) +
             "," + csv_field(r.limit) + "\n";
    }
  }
  return out;
}

namespace {

std::string fixed_or_empty(double v, int d) {
  return std::isfinite(v) ? format_fixed(v, d) : std::string();
}

/// "kind value > limit unit" for each violation of `element`, separated by "; ".
std::string violations_of(const HydraulicResult& r, const std::string& element) {
  std::string out;
  for (const HydraulicViolation& v : r.violations) {
    if (v.element != element) continue;
    std::string text(violation_kind_name(v.kind));
    auto pair = [&](double a, double b, int d, const char* unit, const char* cmp) {
      text += " " + format_fixed(a, d) + " " + cmp + " " + format_fixed(b, d) + " " + unit;
    };
    switch (v.kind) {
      case ViolationKind::PressureBelowMin:
      case ViolationKind::SuctionBelowMin:
      case ViolationKind::RegulatorCannotHold:
        pair(pa_to_bar(v.value), pa_to_bar(v.limit), 2, "bar", "<");
        break;
      case ViolationKind::PressureAboveMax:
      case ViolationKind::AboveMaop:
      case ViolationKind::DischargeAboveMax:
        pair(pa_to_bar(v.value), pa_to_bar(v.limit), 2, "bar", ">");
        break;
      case ViolationKind::PowerExceeded:
        pair(w_to_mw(v.value), w_to_mw(v.limit), 2, "MW", ">");
        break;
      case ViolationKind::RatioExceeded:
        pair(v.value, v.limit, 4, "", ">");
        text.pop_back();
        break;
      case ViolationKind::StationWouldThrottle:
      case ViolationKind::StationReverseFlow:
      case ViolationKind::Isolated:
        break;
    }
    out += (out.empty() ? "" : "; ") + text;
  }
  return out;
}

}  // namespace

std::string hydraulics_csv(const std::vector<HydraulicCaseStudy>& studies) {
  std::string out =
      "scenario,case,year,status,element,type,from,to,flow_mcm_per_d,flow_kg_per_s,"
      "pressure_from_bar,pressure_to_bar,pressure_drop_bar,velocity_m_per_s,ratio,power_mw,"
      "fuel_mcm_per_d,violations\n";
  for (const HydraulicCaseStudy& st : studies) {
    for (const HydraulicYear& y : st.years) {
      const HydraulicNetwork& net = y.network;
      const HydraulicResult& r = y.result;
      const bool ok = r.converged();
      const std::string head = csv_field(st.scenario) + "," + csv_field(st.case_name) + "," +
                               std::to_string(y.year) + "," +
                               std::string(hydraulic_status_name(r.status)) + ",";
      auto row = [&](const std::string& id, std::string_view type, int from, int to,
                     const std::vector<double>& flow, std::size_t i, double velocity, double ratio,
                     double power_w, double fuel_kg_per_s) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double q = ok ? flow[i] : nan;
        const double pa = ok ? r.node_pressure_pa[from] : nan;
        const double pb = ok ? r.node_pressure_pa[to] : nan;
        const auto mcm = [&](double kg) {
          return m3_per_s_to_mcm_per_day(mass_to_normal_volume(net.gas, kg));
        };
        out += head + csv_field(id) + "," + std::string(type) + "," +
               csv_field(net.nodes[from].id) + "," + csv_field(net.nodes[to].id) + "," +
               fixed_or_empty(mcm(q), decimals::kDailyFlow) + "," +
               fixed_or_empty(q, decimals::kMassFlow) + "," +
               fixed_or_empty(pa_to_bar(pa), decimals::kPressure) + "," +
               fixed_or_empty(pa_to_bar(pb), decimals::kPressure) + "," +
               fixed_or_empty(pa_to_bar(pa - pb), decimals::kPressure) + "," +
               fixed_or_empty(ok ? velocity : nan, decimals::kVelocity) + "," +
               fixed_or_empty(ok ? ratio : nan, decimals::kFraction) + "," +
               fixed_or_empty(ok ? w_to_mw(power_w) : nan, decimals::kPower) + "," +
               fixed_or_empty(ok ? mcm(fuel_kg_per_s) : nan, decimals::kDailyFlow + 2) + "," +
               csv_field(ok ? violations_of(r, id) : std::string()) + "\n";
      };
      const double nan = std::numeric_limits<double>::quiet_NaN();
      for (std::size_t i = 0; i < net.pipes.size(); ++i) {
        const HydraulicPipe& e = net.pipes[i];
        row(e.id, "pipe", e.from, e.to, r.pipe_flow_kg_per_s, i,
            ok ? r.pipe_velocity_m_per_s[i] : nan, nan, nan, nan);
      }
      for (std::size_t i = 0; i < net.resistors.size(); ++i) {
        const HydraulicResistor& e = net.resistors[i];
        row(e.id, "resistor", e.from, e.to, r.resistor_flow_kg_per_s, i, nan, nan, nan, nan);
      }
      for (std::size_t i = 0; i < net.valves.size(); ++i) {
        const HydraulicValve& e = net.valves[i];
        row(e.id, i < y.valve_type.size() ? y.valve_type[i] : "valve", e.from, e.to,
            r.valve_flow_kg_per_s, i, nan, nan, nan, nan);
      }
      for (std::size_t i = 0; i < net.compressors.size(); ++i) {
        const HydraulicCompressor& e = net.compressors[i];
        row(e.id, "compressor", e.from, e.to, r.compressor_flow_kg_per_s, i, nan,
            ok ? r.compressor_ratio[i] : nan, ok ? r.compressor_power_w[i] : nan,
            ok ? r.compressor_fuel_kg_per_s[i] : nan);
      }
      for (std::size_t i = 0; i < net.regulators.size(); ++i) {
        const HydraulicRegulator& e = net.regulators[i];
        row(e.id, "regulator", e.from, e.to, r.regulator_flow_kg_per_s, i, nan, nan, nan, nan);
      }
    }
  }
  return out;
}

std::string hydraulics_nodes_csv(const std::vector<HydraulicCaseStudy>& studies) {
  std::string out =
      "scenario,case,year,status,node,height_m,pressure_bar,min_pressure_bar,max_pressure_bar,"
      "injection_mcm_per_d,injection_kg_per_s,violations\n";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const HydraulicCaseStudy& st : studies) {
    for (const HydraulicYear& y : st.years) {
      const HydraulicNetwork& net = y.network;
      const HydraulicResult& r = y.result;
      const bool ok = r.converged();
      for (std::size_t i = 0; i < net.nodes.size(); ++i) {
        const HydraulicNode& n = net.nodes[i];
        const double q = ok ? r.node_injection_kg_per_s[i] : nan;
        out += csv_field(st.scenario) + "," + csv_field(st.case_name) + "," +
               std::to_string(y.year) + "," + std::string(hydraulic_status_name(r.status)) + "," +
               csv_field(n.id) + "," + format_fixed(n.height_m, decimals::kHeight) + "," +
               fixed_or_empty(ok ? pa_to_bar(r.node_pressure_pa[i]) : nan, decimals::kPressure) +
               "," +
               (n.pressure_min_pa > 0.0
                    ? format_fixed(pa_to_bar(n.pressure_min_pa), decimals::kPressure)
                    : std::string()) +
               "," + fixed_or_empty(pa_to_bar(n.pressure_max_pa), decimals::kPressure) + "," +
               fixed_or_empty(m3_per_s_to_mcm_per_day(mass_to_normal_volume(net.gas, q)),
                              decimals::kDailyFlow) +
               "," + fixed_or_empty(q, decimals::kMassFlow) + "," +
               csv_field(ok ? violations_of(r, n.id) : std::string()) + "\n";
      }
    }
  }
  return out;
}

}  // namespace corridor
