#include "corridor/economics.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>

#include "corridor/network.h"
#include "corridor/results.h"

namespace corridor {
namespace {

/// Fraction of `year` in which an asset with `span` is in service, by days: exactly
/// in_service_fraction() of a pipeline with the same online and retire.
double service_fraction(const ServiceSpan& span, int year) {
  Pipeline pl;
  pl.online = span.online;
  pl.retire = span.retire;
  return in_service_fraction(pl, Period{year, 0, 1.0});
}

/// A date as a point on a continuous year axis: the year plus the share of it gone by, by
/// days ("2031-07" is 2031 + 181/365). Within a year this agrees with in_service_fraction().
double year_point(const YearMonth& ym) {
  int before = 0;
  for (int m = 1; m < ym.month; ++m) before += days_in_month(ym.year, m);
  return ym.year + static_cast<double>(before) / days_in_year(ym.year);
}

/// Length of [a, b) inside [year, year + 1), in years.
double overlap(double a, double b, int year) {
  return std::max(0.0, std::min(b, year + 1.0) - std::max(a, static_cast<double>(year)));
}

/// A route is in service from the last online of its pipelines to the first retire.
ServiceSpan route_span(const std::vector<const Pipeline*>& pipelines) {
  auto before = [](const YearMonth& a, const YearMonth& b) {
    return a.year != b.year ? a.year < b.year : std::max(a.month, 1) < std::max(b.month, 1);
  };
  ServiceSpan span;
  for (const Pipeline* pl : pipelines) {
    if (pl->online && (!span.online || before(*span.online, *pl->online))) span.online = pl->online;
    if (pl->retire && (!span.retire || before(*pl->retire, *span.retire))) span.retire = pl->retire;
  }
  return span;
}

/// Sum of the pipelines' lengths, or none if one of them has none.
std::optional<double> route_length_km(const std::vector<const Pipeline*>& pipelines) {
  double km = 0.0;
  for (const Pipeline* pl : pipelines) {
    if (!pl->length_km) return std::nullopt;
    km += *pl->length_km;
  }
  return km;
}

/// Positions in Network::pipelines of a route's pipelines, and the pipelines themselves.
struct RouteAssets {
  std::vector<int> position;
  std::vector<const Pipeline*> pipeline;
  ServiceSpan span;
  std::optional<double> length_km;
  bool costed = false;          ///< any cost data on the route or its pipelines
  bool tariff_unknown = false;  ///< a pipeline of it has `tariff: unknown`
};

std::vector<RouteAssets> resolve(const Scenario& s, const Network& net) {
  std::vector<RouteAssets> out;
  for (std::size_t slot = 0; slot < net.routes.size(); ++slot) {
    const Route& route = s.routes[net.routes[slot]];
    RouteAssets ra;
    for (int position : net.route_pipelines.at(slot)) {
      ra.position.push_back(position);
      ra.pipeline.push_back(&s.pipelines[net.pipelines[position]]);
    }
    ra.span = route_span(ra.pipeline);
    ra.costed = route.economics.has_capex();
    for (const Pipeline* pl : ra.pipeline) {
      ra.costed |= pl->economics.has_capex() || has_transport_charge(*pl);
      ra.tariff_unknown |= pl->tariff_kind == TariffKind::Unknown;
    }
    ra.length_km = route_length_km(ra.pipeline);
    out.push_back(std::move(ra));
  }
  return out;
}

}  // namespace

double capital_recovery_factor(double rate, double years) {
  if (!(years > 0.0)) {
    throw std::invalid_argument("capital recovery factor: lifetime must be positive, got " +
                                std::to_string(years) + " years");
  }
  if (!(rate > -1.0)) {
    throw std::invalid_argument("capital recovery factor: discount rate must exceed -1, got " +
                                std::to_string(rate));
  }
  if (rate == 0.0) return 1.0 / years;
  // r (1 + r)^n / ((1 + r)^n - 1) = r / (1 - (1 + r)^-n), with expm1/log1p for small r.
  return rate / -std::expm1(-years * std::log1p(rate));
}

double capex_musd(const Economics& e, std::optional<double> length_km) {
  if (e.capex_musd) return *e.capex_musd;
  if (e.capex_musd_per_km && length_km) return *e.capex_musd_per_km * *length_km;
  return 0.0;
}

namespace {

/// Capital of one amount recovered over `lifetime` years at `rate` from `start` (a point on
/// the year axis), within the asset's service up to `end`, in `year`.
double annuity_in(double musd, double rate, double lifetime, double start, double end, int year) {
  const double annuity = overlap(start, std::min(end, start + lifetime), year);
  return annuity > 0.0 ? musd * capital_recovery_factor(rate, lifetime) * annuity : 0.0;
}

}  // namespace

FixedCost fixed_cost(const Economics& e, std::optional<double> length_km, const ServiceSpan& span,
                     int horizon_start, int year, const Scenario& s) {
  FixedCost out;
  if (!e.has_capex()) return out;
  const double capex = capex_musd(e, length_km);
  // capex_start (an expansion of an asset already in service) moves the start later, never
  // earlier: nothing is charged for an asset not yet in service.
  const auto key = [](const YearMonth& ym) { return std::pair(ym.year, std::max(ym.month, 1)); };
  ServiceSpan charged = span;
  if (e.capex_start) {
    const YearMonth& c = *e.capex_start;
    if (!charged.online || key(*charged.online) < key(c)) charged.online = c;
  }
  const double end =
      charged.retire ? year_point(*charged.retire) : std::numeric_limits<double>::infinity();
  const double in_service = service_fraction(charged, year);
  if (capex != 0.0 && in_service != 0.0) {
    const double lifetime = e.lifetime_years.value_or(s.lifetime_years);
    const double rate = e.discount_rate.value_or(s.discount_rate);
    // The annuity runs for `lifetime` years from the first day charged, so a line commissioned
    // on 1 July pays half an annuity in its first and in its last year: exactly `lifetime`
    // annuities in all, unless it retires first.
    const double start = charged.online ? year_point(*charged.online) : horizon_start;
    out.capital_musd = annuity_in(capex, rate, lifetime, start, end, year);
    out.opex_musd = e.opex_fraction * capex * in_service;
  }
  // Project tranches: each from the later of its date and the asset's first day in service.
  for (const CapexTranche& t : e.tranches) {
    ServiceSpan from = span;
    if (!from.online || key(*from.online) < key(t.date)) from.online = t.date;
    const double share = service_fraction(from, year);
    if (t.musd == 0.0 || share == 0.0) continue;
    const double lifetime = t.lifetime_years.value_or(s.lifetime_years);
    const double rate = t.discount_rate.value_or(s.discount_rate);
    out.capital_musd += annuity_in(t.musd, rate, lifetime, year_point(*from.online), end, year);
    out.opex_musd += t.opex_fraction * t.musd * share;
  }
  return out;
}

RunEconomics compute_economics(const Scenario& s, const CommodityRun& run) {
  const Network& net = run.network;
  const std::vector<RouteAssets> routes = resolve(s, net);
  const CommodityProps& cp = props(s, net.commodity);
  const int start = s.horizon.start_year;

  // Transit countries in order of first appearance, with the positions of their pipelines.
  std::vector<std::string> countries;
  std::vector<std::vector<int>> country_pipelines;
  for (int i = 0; i < static_cast<int>(net.pipelines.size()); ++i) {
    const Pipeline& pl = s.pipelines[net.pipelines[i]];
    if (pl.transit_country.empty()) continue;
    auto it = std::find(countries.begin(), countries.end(), pl.transit_country);
    if (it == countries.end()) {
      countries.push_back(pl.transit_country);
      country_pipelines.emplace_back();
      it = countries.end() - 1;
    }
    country_pipelines[it - countries.begin()].push_back(i);
  }

  // With monthly resolution the annual rows hold net pipeline flows: gas that went east in
  // winter and west in summer would cancel out. Costs follow what was carried, so a
  // pipeline's |flow| is summed from the months. A route's annual volume is already the sum of
  // its months' volumes along the route (simulate.h).
  const bool monthly = !run.monthly.empty();
  require_parallel(run, "economics", false);
  if (monthly && run.monthly.size() != 12 * run.annual.size()) {
    throw std::logic_error("economics: " + std::to_string(run.monthly.size()) +
                           " monthly rows for " + std::to_string(run.annual.size()) + " years");
  }
  // Who pays for an idle pipeline: the routes over it, by their volumes over the horizon.
  std::vector<std::vector<int>> routes_on(net.pipelines.size());  // route slots per position
  for (std::size_t r = 0; r < routes.size(); ++r) {
    for (int k : routes[r].position) routes_on[k].push_back(static_cast<int>(r));
  }
  std::vector<double> horizon_volume(routes.size(), 0.0);
  for (const PeriodResult& p : run.annual) {
    for (std::size_t r = 0; r < routes.size(); ++r) horizon_volume[r] += p.route_volume[r];
  }

  RunEconomics out;
  for (std::size_t y = 0; y < run.annual.size(); ++y) {
    const PeriodResult& p = run.annual[y];
    const int year = p.period.year;
    std::vector<double> carried(net.pipelines.size(), 0.0);
    for (std::size_t k = monthly ? 12 * y : 0; k < (monthly ? 12 * y + 12 : 1); ++k) {
      const PeriodResult& m = monthly ? run.monthly[k] : p;
      for (std::size_t j = 0; j < carried.size(); ++j) carried[j] += std::abs(m.pipeline_flow[j]);
    }

    std::vector<FixedCost>& pipes = out.pipelines.emplace_back();
    pipes.reserve(net.pipelines.size());
    for (int idx : net.pipelines) {
      const Pipeline& pl = s.pipelines[idx];
      pipes.push_back(
          fixed_cost(pl.economics, pl.length_km, {pl.online, pl.retire}, start, year, s));
    }

    // The share of pipeline position k's fixed cost that route slot r pays this year (see the
    // file comment): by flow when the pipeline carried something, else by the routes'
    // horizon volumes, else equally.
    auto share = [&](int k, int r) {
      const std::vector<int>& on = routes_on[k];
      if (carried[k] > 0.0) {
        double routes_volume = 0.0;
        for (int q : on) routes_volume += p.route_volume[q];
        return p.route_volume[r] / std::max(carried[k], routes_volume);
      }
      double horizon = 0.0;
      for (int q : on) horizon += horizon_volume[q];
      if (horizon > 0.0) return horizon_volume[r] / horizon;
      return 1.0 / static_cast<double>(on.size());
    };

    std::vector<RouteYearCost>& costs = out.routes.emplace_back();
    std::vector<FixedCost>& own_costs = out.route_own.emplace_back();
    costs.reserve(routes.size());
    for (std::size_t r = 0; r < routes.size(); ++r) {
      const RouteAssets& ra = routes[r];
      RouteYearCost c;
      c.volume = p.route_volume[r];
      for (std::size_t j = 0; j < ra.position.size(); ++j) {
        const int k = ra.position[j];
        const double share_of_pipeline = share(k, static_cast<int>(r));
        c.capital_musd += share_of_pipeline * pipes[k].capital_musd;
        c.opex_musd += share_of_pipeline * pipes[k].opex_musd;
        c.tariff_musd += tariff_per_unit(*ra.pipeline[j], year) * c.volume;
        c.transit_fee_musd += value_at(ra.pipeline[j]->transit_fee, year) * c.volume;
      }
      const FixedCost own =
          fixed_cost(s.routes[net.routes[r]].economics, ra.length_km, ra.span, start, year, s);
      own_costs.push_back(own);
      c.capital_musd += own.capital_musd;
      c.opex_musd += own.opex_musd;
      // An unknown tariff leaves the route's cost unknown: never a cheap-looking total.
      c.tariff_unknown = ra.tariff_unknown;
      c.costed = ra.costed && !ra.tariff_unknown;
      if (c.costed && c.volume > kHalfFlowUnit) {
        c.levelised = c.total_musd() / c.volume;
        c.levelised_usd_per_gj = usd_per_gj(net.commodity, cp, *c.levelised);
      }
      costs.push_back(c);
    }

    std::vector<TransitFee>& fees = out.transit.emplace_back();
    for (std::size_t k = 0; k < countries.size(); ++k) {
      TransitFee f;
      f.country = countries[k];
      for (int i : country_pipelines[k]) {
        const double flow = carried[i];
        f.volume += flow;
        f.fees_musd += value_at(s.pipelines[net.pipelines[i]].transit_fee, year) * flow;
      }
      fees.push_back(std::move(f));
    }
  }
  return out;
}

FixedCost run_fixed_cost(const RunEconomics& e, std::size_t y) {
  FixedCost sum;
  for (const auto* list : {&e.pipelines.at(y), &e.route_own.at(y)}) {
    for (const FixedCost& f : *list) {
      sum.capital_musd += f.capital_musd;
      sum.opex_musd += f.opex_musd;
    }
  }
  return sum;
}

void add_economics(CaseResult& result) {
  if (result.failure) return;
  for (CommodityRun& run : result.runs) run.economics = compute_economics(*result.scenario, run);
}

std::optional<double> levelised_over(const Scenario& s, const RunEconomics& e, int route_index,
                                     int first_year, int last_year) {
  const int start = s.horizon.start_year;
  first_year = std::max(first_year, start);
  last_year = std::min(last_year, s.horizon.end_year);
  double cost = 0.0, volume = 0.0;
  bool carried = false;
  for (int y = first_year; y <= last_year; ++y) {
    const std::size_t yi = static_cast<std::size_t>(y - start);
    if (yi >= e.routes.size()) break;
    const RouteYearCost& c = e.routes[yi].at(static_cast<std::size_t>(route_index));
    if (!c.costed) return std::nullopt;
    // Discounted to `first_year`; the ratio is the same for any base year.
    const double d = std::pow(1.0 + s.discount_rate, -(y - first_year));
    cost += c.total_musd() * d;
    volume += c.volume * d;
    carried |= c.volume > kHalfFlowUnit;
  }
  if (!carried) return std::nullopt;
  return cost / volume;
}

}  // namespace corridor
