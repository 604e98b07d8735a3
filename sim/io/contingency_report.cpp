#include "corridor/contingency_report.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <numeric>

#include "corridor/csv.h"

namespace corridor {
namespace {

/// A year's volume (bcm or Mt) in the unit of `--units` (units.h), with the contract's decimals.
struct Volume {
  VolumeScale scale;
  int year = 0;
  std::string operator()(double v) const {
    return format_fixed(scale.value(v, year, 0), decimals::kVolume);
  }
};

VolumeScale scale_of(const ContingencyStudy& study, const Scenario& s, Commodity c) {
  return output_scale(study.units, c, props(s, c));
}

/// One CSV row, fields joined with commas and quoted as needed.
class Row {
 public:
  explicit Row(std::string& out) : out_(out) {}
  ~Row() { out_ += '\n'; }
  Row& operator<<(std::string_view field) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += csv_field(field);
    return *this;
  }
  Row& operator<<(int v) { return *this << std::string_view(std::to_string(v)); }

 private:
  std::string& out_;
  bool first_ = true;
};

/// Calls row(case, run, contingency, base year, outcome) in the documented order.
template <typename Fn>
void for_each_row(const ContingencyStudy& study, Fn row) {
  for (const CaseContingencies& c : study.cases) {
    for (const CommodityContingencies& run : c.runs) {
      for (const YearOutcome& base : run.base) {
        for (const Contingency& cont : run.contingencies) {
          for (const YearOutcome& o : cont.years) {
            if (o.year == base.year) row(c, run, cont, base, o);
          }
        }
      }
    }
  }
}

void key(Row& r, const CaseContingencies& c, const CommodityContingencies& run,
         const Contingency& cont, int year) {
  r << c.scenario->name << c.scenario->case_name << year << commodity_name(run.network.commodity)
    << contingency_name(run, cont) << contingency_kind(run, cont);
}

}  // namespace

std::string contingency_name(const CommodityContingencies& run, const Contingency& c) {
  std::string out;
  for (int a : c.assets) out += (out.empty() ? "" : "+") + run.assets[a].id;
  return out;
}

std::string contingency_kind(const CommodityContingencies& run, const Contingency& c) {
  std::string out;
  for (int a : c.assets) {
    out += (out.empty() ? "" : "+") + std::string(asset_kind_name(run.assets[a].kind));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> contingency_csvs(const ContingencyStudy& study) {
  std::string main =
      "scenario,case,year,commodity,asset,asset_kind,lost_volume,unit,lost_share,"
      "cost_change_musd,worst_market,worst_market_lost,base_delivered,delivered,shortfall,"
      "pickup_route,pickup_volume\n";
  std::string markets =
      "scenario,case,year,commodity,asset,asset_kind,market,priority,base_delivered,delivered,"
      "lost,unit\n";
  std::string tiers =
      "scenario,case,year,commodity,asset,asset_kind,priority,base_shortfall,shortfall,"
      "added_shortfall,unit\n";
  std::string routes =
      "scenario,case,year,commodity,asset,asset_kind,route,base_volume,volume,change,unit\n";
  for_each_row(study, [&](const CaseContingencies& c, const CommodityContingencies& run,
                          const Contingency& cont, const YearOutcome& base, const YearOutcome& o) {
    const Scenario& s = *c.scenario;
    const Network& net = run.network;
    const Volume volume{scale_of(study, s, net.commodity), base.year};
    const std::string_view unit = volume.scale.unit;
    const double lost = lost_volume(base, o);
    const double base_total = std::accumulate(base.delivered.begin(), base.delivered.end(), 0.0);
    const double total = std::accumulate(o.delivered.begin(), o.delivered.end(), 0.0);
    const double short_total = std::accumulate(o.shortfall.begin(), o.shortfall.end(), 0.0);
    int worst = -1;
    double worst_lost = kHalfFlowUnit;
    for (std::size_t i = 0; i < net.demands.size(); ++i) {
      const double l = base.delivered[i] - o.delivered[i];
      if (l > worst_lost) worst_lost = l, worst = static_cast<int>(i);
    }
    int pickup = -1;
    double pickup_volume = kHalfFlowUnit;
    for (std::size_t r = 0; r < net.routes.size(); ++r) {
      const double up = o.route_volume[r] - base.route_volume[r];
      if (up > pickup_volume) pickup_volume = up, pickup = static_cast<int>(r);
    }
    {
      Row row(main);
      key(row, c, run, cont, base.year);
      row << volume(lost) << unit
          << (base_total > kHalfFlowUnit ? format_fixed(lost / base_total, decimals::kFraction)
                                         : std::string())
          << format_fixed(o.cost_musd - base.cost_musd, decimals::kMoney)
          << (worst >= 0 ? std::string_view(s.nodes[net.demands[worst]].id) : "")
          << (worst >= 0 ? volume(worst_lost) : volume(0.0)) << volume(base_total) << volume(total)
          << volume(short_total)
          << (pickup >= 0 ? std::string_view(s.routes[net.routes[pickup]].id) : "")
          << (pickup >= 0 ? volume(pickup_volume) : std::string());
    }
    std::map<int, std::pair<double, double>> by_tier;  // priority -> base, outage shortfall
    for (std::size_t i = 0; i < net.demands.size(); ++i) {
      const Node& n = s.nodes[net.demands[i]];
      Row row(markets);
      key(row, c, run, cont, base.year);
      row << n.id << n.priority << volume(base.delivered[i]) << volume(o.delivered[i])
          << volume(base.delivered[i] - o.delivered[i]) << unit;
      by_tier[n.priority].first += base.shortfall[i];
      by_tier[n.priority].second += o.shortfall[i];
    }
    for (const auto& [priority, pair] : by_tier) {
      Row row(tiers);
      key(row, c, run, cont, base.year);
      row << priority << volume(pair.first) << volume(pair.second)
          << volume(pair.second - pair.first) << unit;
    }
    for (std::size_t r = 0; r < net.routes.size(); ++r) {
      Row row(routes);
      key(row, c, run, cont, base.year);
      row << s.routes[net.routes[r]].id << volume(base.route_volume[r]) << volume(o.route_volume[r])
          << volume(o.route_volume[r] - base.route_volume[r]) << unit;
    }
  });
  return {{"contingencies.csv", main},
          {"contingencies_markets.csv", markets},
          {"contingencies_tiers.csv", tiers},
          {"contingencies_routes.csv", routes}};
}

void print_contingency_ranking(std::ostream& os, const ContingencyStudy& study, int top) {
  const std::ios_base::fmtflags saved = os.flags();
  for (const CaseContingencies& c : study.cases) {
    for (const CommodityContingencies& run : c.runs) {
      const Scenario& s = *c.scenario;
      const Network& net = run.network;
      struct Ranked {
        std::size_t index;
        double lost = 0.0;
        int worst_year = 0;
        double worst_year_lost = 0.0;
        int worst_market = -1;
      };
      std::vector<Ranked> ranked;
      int first_year = 0, last_year = 0;
      for (std::size_t k = 0; k < run.contingencies.size(); ++k) {
        Ranked r{k};
        for (const YearOutcome& o : run.contingencies[k].years) {
          for (const YearOutcome& base : run.base) {
            if (base.year != o.year) continue;
            const double lost = lost_volume(base, o);
            r.lost += lost;
            if (first_year == 0 || o.year < first_year) first_year = o.year;
            last_year = std::max(last_year, o.year);
            if (lost > r.worst_year_lost + kHalfFlowUnit) {
              r.worst_year_lost = lost;
              r.worst_year = o.year;
              double most = kHalfFlowUnit;
              r.worst_market = -1;
              for (std::size_t i = 0; i < net.demands.size(); ++i) {
                const double l = base.delivered[i] - o.delivered[i];
                if (l > most) most = l, r.worst_market = static_cast<int>(i);
              }
            }
          }
        }
        ranked.push_back(r);
      }
      std::stable_sort(ranked.begin(), ranked.end(),
                       [](const Ranked& a, const Ranked& b) { return a.lost > b.lost; });
      // Volumes summed over years: in the volume unit of --units (a daily unit's volume, kb
      // for kb/d, as for stocks), never a sum of daily rates.
      const VolumeScale scale =
          output_stock_scale(study.units, net.commodity, props(s, net.commodity));
      const std::string_view unit = scale.unit;
      os << s.name << " / " << s.case_name << ": " << commodity_name(net.commodity)
         << ", lost volume " << first_year << "-" << last_year << " (top "
         << std::min<std::size_t>(top, ranked.size()) << " of " << ranked.size()
         << " contingencies)\n";
      os << "  rank  " << std::left << std::setw(28) << "asset" << std::setw(10) << "kind"
         << std::right << std::setw(12) << "lost"
         << "  " << std::left << std::setw(5) << "unit" << std::right << std::setw(6) << "worst"
         << std::setw(10) << "lost"
         << "  "
         << "market\n";
      int shown = 0;
      for (const Ranked& r : ranked) {
        if (shown == top) break;
        ++shown;
        const Contingency& cont = run.contingencies[r.index];
        std::string name = contingency_name(run, cont);
        if (name.size() > 27) name = name.substr(0, 26) + "~";
        os << "  " << std::setw(4) << shown << "  " << std::left << std::setw(28) << name
           << std::setw(10) << contingency_kind(run, cont) << std::right << std::setw(12)
           << format_fixed(scale.value(r.lost, 0, 0), 2) << "  " << std::left << std::setw(5)
           << unit << std::right;
        if (r.worst_year != 0) {
          os << std::setw(6) << r.worst_year << std::setw(10)
             << format_fixed(scale.value(r.worst_year_lost, 0, 0), 2) << "  "
             << (r.worst_market >= 0 ? s.nodes[net.demands[r.worst_market]].id : "");
        } else {
          os << std::setw(6) << "-" << std::setw(10) << "-";
        }
        os << '\n';
      }
    }
  }
  os.flags(saved);
}

}  // namespace corridor
