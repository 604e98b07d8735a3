#pragma once
/// \file Invariants checked on every hydraulic solve in the tests, recomputed here from the
/// reported pressures and flows with formulas written again from hydraulics.h (not by calling
/// the solver's own residual code):
///   - mass balance at every node: max |imbalance| / reference flow <= 1e-9;
///   - the pipe law in squares on every pipe: |lhs - rhs| / max(|lhs|, |rhs|, |e^S - 1| p_out^2,
///     1e-7 p^2) <= 1e-8, lhs = p_in^2 - e^S p_out^2 and rhs the friction term (1e-7 p^2 is
///     what double pressures resolve at 1e-8: see hydraulics.h);
///   - open valves and bypasses: equal end pressures; closed elements: no flow;
///   - set pressures held at reference nodes, station and regulator outlets; ratios exact.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <string>

#include "corridor/hydraulics.h"

namespace corridor::test {

inline constexpr double kMassBalanceTol = 1e-9;
inline constexpr double kPipeLawTol = 1e-8;

/// z at pressure p, written out for each law; AGA-8 gross by bisection on its virial equation
/// (another root finder than the solver's Newton), from the library's virial coefficients.
inline double check_z(const GasProperties& gas, const HydraulicOptions& opt, double p) {
  const double pr = p / gas.pseudo_critical_pressure_pa;
  const double tr = gas.temperature_k / gas.pseudo_critical_temperature_k;
  const CompressibilityLaw law = opt.compressibility;
  if (law == CompressibilityLaw::Constant) return opt.constant_z;
  if (law == CompressibilityLaw::Aga88) return 1.0 + 0.257 * pr - 0.533 * pr / tr;
  if (law == CompressibilityLaw::Aga8Gross) {
    const Aga8GrossCharacterisation c = aga8_gross_characterise(aga8_gross_input(gas));
    const Aga8GrossVirial v = aga8_gross_virial(c.gas, gas.temperature_k);
    const double rt = kAga8GrossGasConstant * gas.temperature_k, target = p / 1e3 / rt;
    double lo = 0.0, hi = 2.0 * target;  // p/(RT) = D (1 + B D + C D^2), Z in (0.5, 1]
    for (int k = 0; k < 200; ++k) {
      const double d = 0.5 * (lo + hi);
      (d * (1.0 + d * (v.b_dm3_per_mol + v.c_dm6_per_mol2 * d)) < target ? lo : hi) = d;
    }
    const double d = 0.5 * (lo + hi);
    return 1.0 + d * (v.b_dm3_per_mol + v.c_dm6_per_mol2 * d);
  }
  return 1.0 - 3.52 * pr * std::exp(-2.26 * tr) + 0.274 * pr * pr * std::exp(-1.878 * tr);
}

/// Relative residual of the pipe law on pipe k at the reported point.
inline double check_pipe_law(const HydraulicNetwork& net, const HydraulicOptions& opt,
                             const HydraulicResult& r, std::size_t k) {
  const auto& p = net.pipes[k];
  const auto& gas = net.gas;
  const double pa = r.node_pressure_pa[p.from], pb = r.node_pressure_pa[p.to];
  const double q = r.pipe_flow_kg_per_s[k];
  const double rs = kGasConstantJPerMolK / gas.molar_mass_kg_per_mol;
  const double pm = 2.0 / 3.0 * (pa + pb - pa * pb / (pa + pb));
  const double z = check_z(gas, opt, pm);
  double lambda;
  if (opt.friction == FrictionLaw::Nikuradse) {
    const double x = 2.0 * std::log10(p.diameter_m / p.roughness_m) + 1.138;
    lambda = 1.0 / (x * x);
  } else {
    const double re =
        4.0 * std::abs(q) / (std::numbers::pi * p.diameter_m * gas.dynamic_viscosity_pa_s);
    lambda = opt.friction == FrictionLaw::Hofer
                 ? hofer_friction(re, p.diameter_m, p.roughness_m)
                 : colebrook_friction(re, p.diameter_m, p.roughness_m);
  }
  const double big_lambda = 16.0 * lambda * rs * z * gas.temperature_k * p.length_m /
                            (std::numbers::pi * std::numbers::pi * std::pow(p.diameter_m, 5));
  const double dh = net.nodes[p.to].height_m - net.nodes[p.from].height_m;
  const double s = 2.0 * kStandardGravityMPerS2 * dh / (rs * z * gas.temperature_k);
  const double em1 = std::expm1(s);
  const double phi = s == 0.0 ? 1.0 : em1 / s;
  // p_a^2 - e^S p_b^2, with the difference of squares taken as (p_a - p_b)(p_a + p_b).
  const double lhs = (pa - pb) * (pa + pb) - em1 * pb * pb;
  const double rhs = big_lambda * phi * q * std::abs(q);
  const double den = std::max(
      {std::abs(lhs), std::abs(rhs), std::abs(em1) * pb * pb, 1e-7 * std::max(pa * pa, pb * pb)});
  return std::abs(lhs - rhs) / den;
}

/// Max nodal imbalance over the reference flow, from the reported flows and injections.
inline double check_mass_balance(const HydraulicNetwork& net, const HydraulicResult& r) {
  std::vector<double> bal(net.nodes.size(), 0.0);
  double supply = 0.0, withdrawal = 0.0;
  for (std::size_t v = 0; v < net.nodes.size(); ++v) {
    bal[v] += r.node_injection_kg_per_s[v];
    if (net.nodes[v].set_pressure_pa) continue;
    supply += std::max(0.0, net.nodes[v].injection_kg_per_s);
    withdrawal += std::max(0.0, -net.nodes[v].injection_kg_per_s);
  }
  auto move = [&](int from, int to, double q) {
    bal[from] -= q;
    bal[to] += q;
  };
  for (std::size_t k = 0; k < net.pipes.size(); ++k)
    move(net.pipes[k].from, net.pipes[k].to, r.pipe_flow_kg_per_s[k]);
  for (std::size_t k = 0; k < net.resistors.size(); ++k)
    move(net.resistors[k].from, net.resistors[k].to, r.resistor_flow_kg_per_s[k]);
  for (std::size_t k = 0; k < net.valves.size(); ++k)
    move(net.valves[k].from, net.valves[k].to, r.valve_flow_kg_per_s[k]);
  for (std::size_t k = 0; k < net.compressors.size(); ++k)
    move(net.compressors[k].from, net.compressors[k].to, r.compressor_flow_kg_per_s[k]);
  for (std::size_t k = 0; k < net.regulators.size(); ++k)
    move(net.regulators[k].from, net.regulators[k].to, r.regulator_flow_kg_per_s[k]);
  double worst = 0.0;
  for (double b : bal) worst = std::max(worst, std::abs(b));
  const double ref = std::max({supply, withdrawal, 1e-300});
  return worst / (supply > 0.0 || withdrawal > 0.0 ? ref : 1.0);
}

/// Every invariant of a converged solve; fails the test otherwise.
inline void check_solution(const HydraulicNetwork& net, const HydraulicOptions& opt,
                           const HydraulicResult& r) {
  INFO("status " << hydraulic_status_name(r.status) << ": " << r.message);
  REQUIRE(r.status == HydraulicStatus::Converged);
  REQUIRE(r.node_pressure_pa.size() == net.nodes.size());
  CHECK(check_mass_balance(net, r) <= kMassBalanceTol);
  CHECK(r.mass_balance_residual_rel <= kMassBalanceTol);
  double worst = 0.0;
  for (std::size_t k = 0; k < net.pipes.size(); ++k)
    worst = std::max(worst, check_pipe_law(net, opt, r, k));
  CHECK(worst <= kPipeLawTol);
  CHECK(r.pipe_law_residual_rel <= kPipeLawTol);
  for (std::size_t v = 0; v < net.nodes.size(); ++v)
    if (net.nodes[v].set_pressure_pa)
      CHECK(r.node_pressure_pa[v] == Approx(*net.nodes[v].set_pressure_pa).epsilon(1e-12));
  for (std::size_t k = 0; k < net.valves.size(); ++k) {
    const auto& v = net.valves[k];
    if (v.open)
      CHECK(std::abs(r.node_pressure_pa[v.from] - r.node_pressure_pa[v.to]) <=
            1e-12 * r.node_pressure_pa[v.from]);
    else
      CHECK(r.valve_flow_kg_per_s[k] == 0.0);
  }
  for (std::size_t k = 0; k < net.compressors.size(); ++k) {
    const auto& c = net.compressors[k];
    const double pin = r.node_pressure_pa[c.from], pout = r.node_pressure_pa[c.to];
    switch (c.mode) {
      case StationMode::OutletPressure:
        CHECK(pout == Approx(c.outlet_pressure_pa).epsilon(1e-12));
        break;
      case StationMode::Ratio:
        CHECK(pout / pin == Approx(c.ratio).epsilon(1e-12));
        break;
      case StationMode::Bypass:
        CHECK(std::abs(pout - pin) <= 1e-12 * pin);
        break;
      case StationMode::Closed:
        CHECK(r.compressor_flow_kg_per_s[k] == 0.0);
        break;
    }
  }
  for (std::size_t k = 0; k < net.regulators.size(); ++k) {
    const auto& g = net.regulators[k];
    if (g.mode == StationMode::OutletPressure)
      CHECK(r.node_pressure_pa[g.to] == Approx(g.outlet_pressure_pa).epsilon(1e-12));
    if (g.mode == StationMode::Closed) CHECK(r.regulator_flow_kg_per_s[k] == 0.0);
  }
}

}  // namespace corridor::test
