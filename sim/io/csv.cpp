#include "corridor/csv.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include "corridor/units.h"

namespace corridor {
namespace {

std::string money(double v) { return format_fixed(v, decimals::kMoney); }

std::string volume(double v) { return format_fixed(v, decimals::kVolume); }

// One CSV line, built field by field with <<; the line ends ('\n') when the Line goes out of
// scope.
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
  Line& operator<<(int v) { return *this << std::string_view(std::to_string(v)); }

 private:
  std::string& out_;
  bool first_ = true;
};

// The columns every file starts with; `month` only in the monthly files.
void header(std::string& out, bool monthly, std::string_view rest) {
  out += monthly ? "scenario,case,year,month," : "scenario,case,year,";
  out += rest;
  out += '\n';
}

// Starts a row with scenario, case, year[, month].
void key(Line& line, const Scenario& s, const PeriodResult& p, bool monthly) {
  line << s.name << s.case_name << p.period.year;
  if (monthly) line << p.period.month;
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

std::string optional_fixed(const std::optional<double>& v, int decimals) {
  return v ? format_fixed(*v, decimals) : std::string();
}

}  // namespace

std::string format_fixed(double v, int decimals) {
  char buf[400];  // the largest double in fixed notation has 309 integer digits
  const std::to_chars_result r =
      std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  if (r.ec != std::errc()) throw std::logic_error("csv: cannot format a number");
  std::string s(buf, r.ptr);
  if (!s.empty() && s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
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
  std::string out;
  // Fixed costs are annual (economics.h): the monthly file has no cost columns.
  header(out, monthly,
         monthly ? "commodity,pipeline,from,to,flow,capacity,utilisation,unit"
                 : "commodity,pipeline,from,to,flow,capacity,utilisation,unit,capital_musd,"
                   "opex_musd");
  auto rows = [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p,
                  const std::vector<FixedCost>* costs) {
    const Network& net = run.network;
    for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
      const Pipeline& pl = s.pipelines.at(net.pipelines[i]);
      const double flow = p.pipeline_flow[i], capacity = p.pipeline_capacity[i];
      Line line(out);
      key(line, s, p, monthly);
      line << commodity_name(net.commodity) << pl.id << pl.from << pl.to << volume(flow)
           << volume(capacity) << optional_fixed(utilisation(flow, capacity), decimals::kFraction)
           << volume_unit(net.commodity);
      if (costs) line << money((*costs)[i].capital_musd) << money((*costs)[i].opex_musd);
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
  return out;
}

std::string deliveries_csv(const RunResult& r, bool monthly) {
  std::string out;
  header(out, monthly,
         "commodity,node,priority,demand,delivered,shortfall,unit,country,contracted");
  for_each_period(
      r, monthly, [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
        const Network& net = run.network;
        for (std::size_t i = 0; i < net.demands.size(); ++i) {
          const Node& n = s.nodes.at(net.demands[i]);
          Line line(out);
          key(line, s, p, monthly);
          line << commodity_name(net.commodity) << n.id << n.priority << volume(p.demand[i])
               << volume(p.delivered[i]) << volume(p.shortfall[i]) << volume_unit(net.commodity)
               << n.country << volume(p.delivered_contracted[i]);
        }
      });
  return out;
}

std::string supplies_csv(const RunResult& r, bool monthly) {
  std::string out;
  header(out, monthly, "commodity,node,available,used,unit,country,kind,contracted");
  for_each_period(r, monthly,
                  [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
                    const Network& net = run.network;
                    for (std::size_t i = 0; i < net.supplies.size(); ++i) {
                      const Node& n = s.nodes.at(net.supplies[i]);
                      Line line(out);
                      key(line, s, p, monthly);
                      line << commodity_name(net.commodity) << n.id << volume(p.supply_available[i])
                           << volume(p.supply_used[i]) << volume_unit(net.commodity) << n.country
                           << node_kind_name(n.kind) << volume(p.supply_contracted[i]);
                    }
                  });
  return out;
}

std::string storage_csv(const RunResult& r, bool monthly) {
  std::string out;
  header(out, monthly,
         monthly ? "commodity,node,inventory,injection,withdrawal,unit"
                 : "commodity,node,working_volume,initial,injected,withdrawn,end,end_target,"
                   "unit");
  for_each_period(
      r, monthly, [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
        const Network& net = run.network;
        for (std::size_t i = 0; i < net.storages.size(); ++i) {
          const Node& n = s.nodes.at(net.storages[i]);
          Line line(out);
          key(line, s, p, monthly);
          line << commodity_name(net.commodity) << n.id;
          if (monthly) {
            line << volume(p.storage_end[i]) << volume(p.storage_injection[i])
                 << volume(p.storage_withdrawal[i]);
          } else {
            line << volume(n.working_volume) << volume(p.storage_start[i])
                 << volume(p.storage_injection[i]) << volume(p.storage_withdrawal[i])
                 << volume(p.storage_end[i])
                 << volume(level_volume(n.end_target.value_or(n.initial), n.working_volume));
          }
          line << volume_unit(net.commodity);
        }
      });
  return out;
}

std::string bottlenecks_csv(const RunResult& r, bool monthly) {
  std::string out;
  header(out, monthly,
         "commodity,pipeline,from,to,flow,capacity,unit,binding,shadow_cost,cost_unit,"
         "shadow_shortfall,relieved_priority,worsened_priority");
  for_each_period(
      r, monthly, [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
        const Network& net = run.network;
        if (p.capacity_value.empty()) return;  // dispatched without the analysis
        for (std::size_t i = 0; i < net.pipelines.size(); ++i) {
          const Pipeline& pl = s.pipelines.at(net.pipelines[i]);
          const CapacityValue& v = p.capacity_value[i];
          auto priority = [](int k) { return k == 0 ? std::string() : std::to_string(k); };
          Line line(out);
          key(line, s, p, monthly);
          line << commodity_name(net.commodity) << pl.id << pl.from << pl.to
               << volume(p.pipeline_flow[i]) << volume(p.pipeline_capacity[i])
               << volume_unit(net.commodity) << (v.binding ? "true" : "false")
               << format_fixed(v.shadow_cost, decimals::kUnitCost) << cost_unit(net.commodity)
               << format_fixed(v.shadow_shortfall, decimals::kFraction)
               << priority(v.relieved_priority) << priority(v.worsened_priority);
        }
      });
  return out;
}

std::string market_limits_csv(const RunResult& r, bool monthly) {
  std::string out;
  header(out, monthly,
         "commodity,node,priority,demand,delivered,shortfall,remaining_flexibility,"
         "remaining_flexibility_share,unit,min_cut,min_cut_capacity");
  for_each_period(
      r, monthly, [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
        const Network& net = run.network;
        if (p.market_limit.empty()) return;
        for (std::size_t i = 0; i < net.demands.size(); ++i) {
          const Node& n = s.nodes.at(net.demands[i]);
          const MarketLimit& m = p.market_limit[i];
          std::string cut;
          for (int k : m.cut_pipelines) cut += (cut.empty() ? "" : ";") + s.pipelines.at(k).id;
          for (int k : m.cut_nodes) cut += (cut.empty() ? "" : ";") + s.nodes.at(k).id;
          const bool short_of_demand = p.shortfall[i] > kHalfFlowUnit;
          Line line(out);
          key(line, s, p, monthly);
          line << commodity_name(net.commodity) << n.id << n.priority << volume(p.demand[i])
               << volume(p.delivered[i]) << volume(p.shortfall[i])
               << volume(m.remaining_flexibility)
               << (p.demand[i] > 0.0
                       ? format_fixed(m.remaining_flexibility / p.demand[i], decimals::kFraction)
                       : std::string())
               << volume_unit(net.commodity) << cut
               << (short_of_demand ? volume(m.cut_capacity) : std::string());
        }
      });
  return out;
}

std::string routes_csv(const RunResult& r, bool monthly) {
  std::string out;
  header(out, monthly, "commodity,route,volume,capacity,utilisation,bottleneck,unit");
  for_each_period(
      r, monthly, [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
        const Network& net = run.network;
        for (std::size_t i = 0; i < net.routes.size(); ++i) {
          const Route& route = s.routes.at(net.routes[i]);
          const double vol = p.route_volume[i], capacity = p.route_capacity[i];
          const int b = p.route_bottleneck[i];
          Line line(out);
          key(line, s, p, monthly);
          line << commodity_name(net.commodity) << route.id << volume(vol) << volume(capacity)
               << optional_fixed(utilisation(vol, capacity), decimals::kFraction)
               << (b < 0 ? std::string_view() : std::string_view(s.pipelines.at(b).id))
               << volume_unit(net.commodity);
        }
      });
  return out;
}

std::string summary_csv(const RunResult& r, bool monthly) {
  std::string out;
  // Fixed costs are annual (economics.h): the monthly file has no capital, opex or total.
  header(out, monthly,
         monthly ? "commodity,supplied,delivered,shortfall,cost_musd,unit,energy_pj,demand,"
                   "solver_penalty_musd,status,take_or_pay_musd"
                 : "commodity,supplied,delivered,shortfall,cost_musd,unit,energy_pj,demand,"
                   "capital_musd,opex_musd,total_cost_musd,solver_penalty_musd,status,"
                   "take_or_pay_musd");
  auto row = [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p,
                 const FixedCost* fixed) {
    const Commodity c = run.network.commodity;
    const double delivered = p.total_delivered();
    Line line(out);
    key(line, s, p, monthly);
    line << commodity_name(c) << volume(p.supplied()) << volume(delivered)
         << volume(p.total_shortfall()) << money(p.cost_musd) << volume_unit(c)
         << format_fixed(energy_pj(c, props(s, c), delivered), decimals::kEnergy)
         << volume(p.total_demand());
    if (fixed) {
      line << money(fixed->capital_musd) << money(fixed->opex_musd)
           << money(p.cost_musd + p.take_or_pay_musd + fixed->total());
    }
    line << money(p.penalty_musd) << flow_status_name(p.status) << money(p.take_or_pay_musd);
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
  return out;
}

std::string route_costs_csv(const RunResult& r) {
  std::string out;
  header(out, false,
         "commodity,route,volume,unit,capital_musd,opex_musd,tariff_musd,transit_fee_musd,"
         "total_cost_musd,levelised_cost,cost_unit,levelised_cost_usd_per_gj");
  for_each_year(
      r, [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p, std::size_t y) {
        const Network& net = run.network;
        for (std::size_t i = 0; i < net.routes.size(); ++i) {
          const Route& route = s.routes.at(net.routes[i]);
          const RouteYearCost& c = run.economics.routes[y][i];
          Line line(out);
          key(line, s, p, false);
          line << commodity_name(net.commodity) << route.id << volume(c.volume)
               << volume_unit(net.commodity) << money(c.capital_musd) << money(c.opex_musd)
               << money(c.tariff_musd) << money(c.transit_fee_musd) << money(c.total_musd())
               << optional_fixed(c.levelised, decimals::kUnitCost) << cost_unit(net.commodity)
               << optional_fixed(c.levelised_usd_per_gj, decimals::kUsdPerGj);
        }
      });
  return out;
}

std::string transit_fees_csv(const RunResult& r) {
  std::string out;
  header(out, false, "commodity,country,volume,unit,fees_musd");
  for_each_year(
      r, [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p, std::size_t y) {
        const Commodity c = run.network.commodity;
        for (const TransitFee& f : run.economics.transit[y]) {
          Line line(out);
          key(line, s, p, false);
          line << commodity_name(c) << f.country << volume(f.volume) << volume_unit(c)
               << money(f.fees_musd);
        }
      });
  return out;
}

std::string contracts_csv(const RunResult& r, bool monthly) {
  std::string out;
  header(out, monthly,
         "commodity,contract,seller,acq,min_take,taken,shortfall_to_min,take_or_pay_musd,unit,rule,"
         "to_buyers,status");
  for_each_period(r, monthly,
                  [&](const Scenario& s, const CommodityRun& run, const PeriodResult& p) {
                    const Network& net = run.network;
                    for (std::size_t k = 0; k < net.contracts.size(); ++k) {
                      const Contract& c = s.contracts.at(net.contracts[k]);
                      const double min = p.contract_min[k], taken = p.contract_taken[k];
                      const double below = std::max(0.0, min - taken);
                      const bool short_of_min = below > kHalfFlowUnit;
                      Line line(out);
                      key(line, s, p, monthly);
                      line << commodity_name(net.commodity) << c.id << c.seller
                           << volume(p.contract_acq[k]) << volume(min) << volume(taken)
                           << volume(below) << money(p.contract_take_or_pay_musd[k])
                           << volume_unit(net.commodity) << contract_rule_name(c.rule)
                           << (c.buyers.empty() ? std::string() : volume(p.contract_to_buyers[k]))
                           << (p.contract_infeasible[k] ? "infeasible"
                               : short_of_min           ? "take_or_pay"
                                                        : "met");
                    }
                  });
  return out;
}

std::vector<std::pair<std::string, std::string>> result_csvs(const RunResult& r) {
  std::vector<std::pair<std::string, std::string>> files = {
      {"flows.csv", flows_csv(r)},
      {"deliveries.csv", deliveries_csv(r)},
      {"supplies.csv", supplies_csv(r)},
      {"routes.csv", routes_csv(r)},
      {"summary.csv", summary_csv(r)},
      {"route_costs.csv", route_costs_csv(r)},
      {"transit_fees.csv", transit_fees_csv(r)},
  };
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
  if (any_contracts) files.emplace_back("contracts.csv", contracts_csv(r));
  if (any_storage) files.emplace_back("storage.csv", storage_csv(r));
  bool analysed = false;
  for (const CaseResult& c : r.cases) {
    for (const CommodityRun& run : c.runs) {
      for (const PeriodResult& p : run.annual) analysed |= !p.capacity_value.empty();
    }
  }
  if (analysed) {
    files.emplace_back("bottlenecks.csv", bottlenecks_csv(r));
    files.emplace_back("market_limits.csv", market_limits_csv(r));
  }
  if (any_monthly) {
    files.emplace_back("flows_monthly.csv", flows_csv(r, true));
    files.emplace_back("deliveries_monthly.csv", deliveries_csv(r, true));
    files.emplace_back("supplies_monthly.csv", supplies_csv(r, true));
    files.emplace_back("routes_monthly.csv", routes_csv(r, true));
    files.emplace_back("summary_monthly.csv", summary_csv(r, true));
    if (any_contracts) files.emplace_back("contracts_monthly.csv", contracts_csv(r, true));
  }
  if (any_monthly_storage) files.emplace_back("storage_monthly.csv", storage_csv(r, true));
  if (analysed && any_monthly) {
    files.emplace_back("bottlenecks_monthly.csv", bottlenecks_csv(r, true));
    files.emplace_back("market_limits_monthly.csv", market_limits_csv(r, true));
  }
  return files;
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
      "kind", "binding", "min_cut"};
  static constexpr std::string_view kNumber[] = {
      "year", "month", "priority", "demand", "delivered", "shortfall", "supplied", "available",
      "used", "flow", "capacity", "utilisation", "volume", "capital_musd", "opex_musd",
      "cost_musd", "energy_pj", "total_cost_musd", "solver_penalty_musd", "tariff_musd",
      "transit_fee_musd", "levelised_cost", "levelised_cost_usd_per_gj", "fees_musd",
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
      "remaining_flexibility", "remaining_flexibility_share", "min_cut_capacity"};
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
