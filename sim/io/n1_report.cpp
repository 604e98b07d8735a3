#include "corridor/n1_report.h"

#include <algorithm>
#include <iomanip>

#include "corridor/csv.h"

namespace corridor {
namespace {

std::string rate(double v) { return format_fixed(v, 3); }
std::string percent(double v, double dmax) { return dmax > 0.0 ? format_fixed(v, 1) : ""; }

std::string dmax_basis(const N1Row& r) {
  return r.dmax_from_average ? (r.dmax_from_peak ? "mixed" : "average day") : "peak_demand";
}

std::string capacity_basis(const N1Row& r) {
  if (r.capacity_from_peak && r.capacity_rated) return "mixed";
  return r.capacity_from_peak ? "peak_capacity" : "rated per day";
}

}  // namespace

std::string n1_csv(const std::vector<N1Case>& cases) {
  std::string out =
      "scenario,case,year,area,dmax,epm,pm,sm,lngm,im,largest_infrastructure,n1_percent,"
      "n1_network_percent,worst_asset,unit,dmax_basis,capacity_basis\n";
  for (const N1Case& c : cases) {
    for (const N1Row& r : c.rows) {
      const std::vector<std::string> fields = {c.scenario->name,
                                               c.scenario->case_name,
                                               std::to_string(r.year),
                                               r.area,
                                               rate(r.dmax),
                                               rate(r.epm),
                                               rate(r.pm),
                                               rate(r.sm),
                                               rate(r.lngm),
                                               rate(r.im),
                                               r.largest_infrastructure,
                                               percent(r.n1_percent, r.dmax),
                                               percent(r.n1_network_percent, r.dmax),
                                               r.worst_asset,
                                               "mcm/d",
                                               dmax_basis(r),
                                               capacity_basis(r)};
      for (std::size_t k = 0; k < fields.size(); ++k) {
        if (k) out += ',';
        out += csv_field(fields[k]);
      }
      out += '\n';
    }
  }
  return out;
}

void print_n1(std::ostream& os, const std::vector<N1Case>& cases, const std::vector<int>& years) {
  const std::ios_base::fmtflags saved = os.flags();
  for (const N1Case& c : cases) {
    os << c.scenario->name << " / " << c.scenario->case_name << ": N-1 in mcm/d (formula: "
       << "Regulation (EU) 2017/1938 Annex II; network: max flow, worst single removal)\n";
    os << "  " << std::left << std::setw(12) << "area" << std::right << std::setw(5) << "year"
       << std::setw(9) << "Dmax" << std::setw(8) << "EPm" << std::setw(8) << "Pm" << std::setw(8)
       << "Sm" << std::setw(8) << "LNGm" << std::setw(8) << "Im"
       << "  " << std::left << std::setw(18) << "largest" << std::right << std::setw(8) << "N-1 %"
       << std::setw(8) << "net %"
       << "  worst removal\n";
    bool average = false, rated = false;
    for (const N1Row& r : c.rows) {
      if (!years.empty() && std::find(years.begin(), years.end(), r.year) == years.end()) {
        continue;
      }
      average |= r.dmax_from_average;
      rated |= r.capacity_rated;
      std::string largest = r.largest_infrastructure;
      if (largest.size() > 17) largest = largest.substr(0, 16) + "~";
      std::string area = r.area;
      if (area.size() > 11) area = area.substr(0, 10) + "~";
      os << "  " << std::left << std::setw(12) << area << std::right << std::setw(5) << r.year
         << std::setw(9) << format_fixed(r.dmax, 1) << std::setw(8) << format_fixed(r.epm, 1)
         << std::setw(8) << format_fixed(r.pm, 1) << std::setw(8) << format_fixed(r.sm, 1)
         << std::setw(8) << format_fixed(r.lngm, 1) << std::setw(8) << format_fixed(r.im, 1) << "  "
         << std::left << std::setw(18) << largest << std::right << std::setw(8)
         << (r.dmax > 0.0 ? format_fixed(r.n1_percent, 1) : "-") << std::setw(8)
         << (r.dmax > 0.0 ? format_fixed(r.n1_network_percent, 1) : "-") << "  " << r.worst_asset
         << '\n';
    }
    if (average) {
      os << "  note: Dmax uses the average day (annual demand / 365) of demand nodes without "
            "peak_demand\n";
    }
    if (rated) {
      os << "  note: capacities without peak_capacity are the rated capacity per day (/ 365)\n";
    }
  }
  os.flags(saved);
}

}  // namespace corridor
