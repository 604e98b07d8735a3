// Contracts, price paths and growth (issue 10 §1, §3; issue 18 §1): hand-worked fixtures.
// Units are canonical: bcm/y and USD/kcm, so bcm x USD/kcm = MUSD. Every fixture checks the
// flow invariants on every period (simulate() does, relaxed periods included).
//
//   #C1  a hard minimum take forces the dearer supply
//   #C2  a soft minimum: take-or-pay worked out by hand, both ways
//   #C3  a hard minimum the network cannot take: a located, reported infeasibility; the run
//        goes on
//   #C4  a route seller: the minimum is a lower bound on the route's meter
//   #C5  equal price: contract volume is filled before spot volume, so `taken` is defined
//   #C6  proportional mixing: contracted deliveries and what reaches the buyers
//   #C7  monthly resolution: the annual minimum spread by the contract's profile, or by days
//   #C8  a supply price path; #C9 a tariff indexed by year; #C10 a growth series
//   #C11 contract dates prorate the year by days
//   #C14 a contract maximum that caps its seller names the seller as the limit
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "corridor/csv.h"
#include "corridor/simulate.h"
#include "test_helpers.h"

namespace corridor {
namespace {

using test::at;
using test::exactly;

/// cheap (20 bcm/y at 100 USD/kcm) and dear (20 at 200) both feed D over free pipelines.
Scenario two_supplies(double demand_bcm) {
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("cheap", 20, 100), test::supply("dear", 20, 200),
             test::demand("D", demand_bcm)};
  s.pipelines = {test::pipe("P1", "cheap", "D", 20), test::pipe("P2", "dear", "D", 20)};
  return s;
}

/// A contract on `seller` with the ACQ and a minimum share of it.
Contract contract(std::string id, std::string seller, double acq, double min_share,
                  ContractRule rule) {
  Contract c;
  c.id = std::move(id);
  c.seller = std::move(seller);
  c.acq = constant_series(acq);
  c.min_take.share = min_share;
  c.rule = rule;
  return c;
}

/// The contract row of `id` in a period row.
int contract_slot(const test::Rows& y, const std::string& id) {
  return test::slot_of(y.scenario.contracts, y.net.contracts, id, "contract");
}

TEST_CASE("#C1 a hard minimum take forces the dearer supply", "[contracts]") {
  // D wants 10. Without a contract the cheap supply serves it: cost 10 x 100 = 1000.
  // dear-spa: ACQ 10, minimum 80 % = 8 bcm, hard, at dear's own cost (200). dear must supply
  // 8, cheap the other 2: cost 8 x 200 + 2 x 100 = 1800 MUSD.
  Scenario s = two_supplies(10);
  {
    const CaseResult r = simulate(s);
    CHECK(at(r, 2030).supply_used("cheap") == exactly(10));
    CHECK(at(r, 2030).row.cost_musd == exactly(1000));
  }
  s.contracts = {contract("dear-spa", "dear", 10, 0.8, ContractRule::Hard)};
  const CaseResult r = simulate(s);
  const auto y = at(r, 2030);
  CHECK(y.row.status == FlowStatus::Optimal);
  CHECK(y.supply_used("dear") == exactly(8));
  CHECK(y.supply_used("cheap") == exactly(2));
  CHECK(y.row.cost_musd == exactly(1800));
  CHECK(y.row.take_or_pay_musd == exactly(0));
  const int k = contract_slot(y, "dear-spa");
  CHECK(y.row.contract_acq[k] == exactly(10));
  CHECK(y.row.contract_min[k] == exactly(8));
  CHECK(y.row.contract_taken[k] == exactly(8));
  CHECK(y.row.supply_contracted[y.supply_slot("dear")] == exactly(8));
  CHECK(y.row.supply_contracted[y.supply_slot("cheap")] == exactly(0));
  CHECK(r.warnings.empty());
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("#C2 a soft minimum: take-or-pay worked out by hand", "[contracts]") {
  // As #C1 but soft. Taking a unit of the minimum costs the price, 200, and saves the
  // take-or-pay; not taking it costs cheap gas, 100, plus the take-or-pay.
  Scenario s = two_supplies(10);
  s.contracts = {contract("dear-spa", "dear", 10, 0.8, ContractRule::Soft)};
  SECTION("take-or-pay 50: cheaper to pay") {
    // Take: 8 x 200 + 2 x 100 = 1800. Pay: 10 x 100 + 8 x 50 = 1000 + 400 = 1400. Pay wins:
    // cost_musd 1000 (the gas bought), take_or_pay_musd 400, the minimum missed by 8.
    s.contracts[0].take_or_pay = constant_series(50);
    const CaseResult r = simulate(s);
    const auto y = at(r, 2030);
    const int k = contract_slot(y, "dear-spa");
    CHECK(y.supply_used("cheap") == exactly(10));
    CHECK(y.row.contract_taken[k] == exactly(0));
    CHECK(y.row.contract_take_or_pay_musd[k] == exactly(400));
    CHECK(y.row.take_or_pay_musd == exactly(400));
    CHECK(y.row.cost_musd == exactly(1000));
    CHECK(y.row.status == FlowStatus::Optimal);
    const std::string csv = contracts_csv(RunResult{{r}, {}});
    CHECK(csv ==
          "scenario,case,year,commodity,contract,seller,acq,min_take,taken,shortfall_to_min,"
          "take_or_pay_musd,unit,rule,to_buyers,status\n"
          "test,base,2030,gas,dear-spa,dear,10.000000,8.000000,0.000000,8.000000,400.000,bcm,"
          "soft,,take_or_pay\n");
    // summary.csv: the take-or-pay is a cost of the case, so total_cost_musd = 1000 + 400 +
    // no capital or opex = 1400; take_or_pay_musd comes last, after status.
    const std::string summary = summary_csv(RunResult{{r}, {}});
    CHECK(summary.find(",1000.000,bcm,") != std::string::npos);
    CHECK(summary.find(",0.000,0.000,1400.000,0.000,optimal,400.000\n") != std::string::npos);
  }
  SECTION("take-or-pay 150: cheaper to take") {
    // Take: 1800. Pay: 1000 + 8 x 150 = 2200. Take wins: dear 8, no take-or-pay.
    s.contracts[0].take_or_pay = constant_series(150);
    const CaseResult r = simulate(s);
    const auto y = at(r, 2030);
    CHECK(y.supply_used("dear") == exactly(8));
    CHECK(y.row.cost_musd == exactly(1800));
    CHECK(y.row.take_or_pay_musd == exactly(0));
  }
  SECTION("no take_or_pay: it defaults to the price, 200, so taking wins") {
    // Take: 1800. Pay: 1000 + 8 x 200 = 2600.
    const CaseResult r = simulate(s);
    CHECK(at(r, 2030).supply_used("dear") == exactly(8));
    CHECK(at(r, 2030).row.take_or_pay_musd == exactly(0));
  }
}

TEST_CASE("#C3 a hard minimum the network cannot take is a reported infeasibility", "[contracts]") {
  // 2030: D wants 6 < the minimum of 8: no feasible flow. The relaxed dispatch takes as much of
  // the minimum as the network can, all 6 of D's demand, from dear; the period is Infeasible
  // and a warning names the contract. 2031: D wants 10, the minimum fits again: dear 8,
  // cheap 2, optimal. The run goes on; nothing throws.
  Scenario s = two_supplies(0);
  s.horizon.end_year = 2031;
  s.nodes[2].demand = test::series({{2030, 6}, {2031, 10}});
  s.contracts = {contract("dear-spa", "dear", 10, 0.8, ContractRule::Hard)};
  s.contracts[0].min_take.where = {"c.yaml", 7, 15};
  const CaseResult r = simulate(s);
  REQUIRE_FALSE(r.failure);
  const auto y0 = at(r, 2030);
  CHECK(y0.row.status == FlowStatus::Infeasible);
  CHECK(y0.supply_used("dear") == exactly(6));
  CHECK(y0.supply_used("cheap") == exactly(0));
  CHECK(y0.shortfall("D") == exactly(0));
  const int k = contract_slot(y0, "dear-spa");
  CHECK(y0.row.contract_taken[k] == exactly(6));
  CHECK(y0.row.contract_infeasible[k]);
  CHECK(y0.row.contract_take_or_pay_musd[k] == exactly(0));  // hard: no take-or-pay
  CHECK(y0.row.cost_musd == exactly(1200));                  // 6 x 200, at the price
  const auto y1 = at(r, 2031);
  CHECK(y1.row.status == FlowStatus::Optimal);
  CHECK(y1.supply_used("dear") == exactly(8));
  CHECK(y1.supply_used("cheap") == exactly(2));
  REQUIRE(r.warnings.size() == 1);
  CHECK(format_diagnostic(r.warnings[0]) ==
        "c.yaml:7:15: warning: hard contract 'dear-spa' cannot take its minimum of 8 bcm in "
        "2030 (test/base): the network takes at most 6 bcm; the period is reported "
        "infeasible; check the seller's capacity and the pipelines from it to demand, or make "
        "the contract soft (rule: soft) to pay take-or-pay instead");
  const std::string csv = contracts_csv(RunResult{{r}, {}});
  CHECK(csv.find("test,base,2030,gas,dear-spa,dear,10.000000,8.000000,6.000000,2.000000,0.000,"
                 "bcm,hard,,infeasible\n") != std::string::npos);
  CHECK(csv.find("test,base,2031,gas,dear-spa,dear,10.000000,8.000000,8.000000,0.000000,0.000,"
                 "bcm,hard,,met\n") != std::string::npos);
  CHECK(summary_csv(RunResult{{r}, {}}).find(",infeasible,0.000\n") != std::string::npos);
}

TEST_CASE("#C4 a route seller: the minimum is a lower bound on the route's meter", "[contracts]") {
  // As #C1, with the contract on route R = [P2] instead of the dear supply: a hard minimum of
  // 5 bcm on P2. D wants 10: P2 5, P1 5; cost 5 x 200 + 5 x 100 = 1500. The supply keeps its
  // own price: a route's contract volume is priced by the supplies that feed it.
  Scenario s = two_supplies(10);
  s.routes = {test::route("R", {"P2"})};
  Contract c = contract("route-spa", "R", 10, 0.0, ContractRule::Hard);
  c.seller_kind = SellerKind::Route;
  c.min_take = TakeLevel{};
  c.min_take.volume = constant_series(5);
  s.contracts = {c};
  const CaseResult r = simulate(s);
  const auto y = at(r, 2030);
  CHECK(y.flow("P2") == exactly(5));
  CHECK(y.flow("P1") == exactly(5));
  CHECK(y.row.cost_musd == exactly(1500));
  CHECK(y.row.contract_taken[contract_slot(y, "route-spa")] == exactly(5));
  CHECK(y.route_volume("R") == exactly(5));
  // A route contract does not count as a supply's contracted volume.
  CHECK(y.row.supply_contracted[y.supply_slot("dear")] == exactly(0));
}

TEST_CASE("#C5 equal price: contract volume before spot volume", "[contracts]") {
  // One supply X (30 at 100) with a contract at its own price, no minimum: contract and spot
  // volume cost the same, so every optimum may split them any way. corridor fills the
  // contract first (network.h): D 12 with ACQ 20 -> taken 12; with ACQ 10 -> taken 10, spot 2.
  auto run = [](double acq) {
    Scenario s = test::scenario(2030, 2030);
    s.nodes = {test::supply("X", 30, 100), test::demand("D", 12)};
    s.pipelines = {test::pipe("P", "X", "D", 30)};
    s.contracts = {contract("x-spa", "X", acq, 0.0, ContractRule::Soft)};
    return simulate(s);
  };
  const CaseResult a = run(20);
  CHECK(at(a, 2030).row.contract_taken[0] == exactly(12));
  CHECK(at(a, 2030).row.supply_contracted[0] == exactly(12));
  const CaseResult b = run(10);
  CHECK(at(b, 2030).row.contract_taken[0] == exactly(10));
  CHECK(at(b, 2030).supply_used("X") == exactly(12));
  CHECK(at(b, 2030).row.cost_musd == exactly(1200));
}

TEST_CASE("#C6 proportional mixing: contracted deliveries and what reaches the buyers",
          "[contracts]") {
  // A (10 at 100) and B (10 at 80) feed junction J; J feeds D1 (6) and D2 (4). B is cheaper,
  // so B supplies all 10: 6 under its contract (ACQ 6, price 80, filled first), 4 spot. J
  // mixes 6 contracted of 10: share 0.6. D1 receives 6 x 0.6 = 3.6 contracted, D2 4 x 0.6 =
  // 2.4. The contract's buyer is D1: 3.6 reached it.
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("A", 10, 100), test::supply("B", 10, 80), test::junction("J"),
             test::demand("D1", 6), test::demand("D2", 4)};
  s.pipelines = {test::pipe("a", "A", "J", 20), test::pipe("b", "B", "J", 20),
                 test::pipe("d1", "J", "D1", 20), test::pipe("d2", "J", "D2", 20)};
  Contract c = contract("b-spa", "B", 6, 0.0, ContractRule::Soft);
  c.buyers = {"D1"};
  s.contracts = {c};
  const CaseResult r = simulate(s);
  const auto y = at(r, 2030);
  CHECK(y.supply_used("B") == exactly(10));
  CHECK(y.row.contract_taken[0] == exactly(6));
  CHECK(y.row.delivered_contracted[y.demand_slot("D1")] == exactly(3.6));
  CHECK(y.row.delivered_contracted[y.demand_slot("D2")] == exactly(2.4));
  CHECK(y.row.contract_to_buyers[0] == exactly(3.6));
  const std::string deliveries = deliveries_csv(RunResult{{r}, {}});
  CHECK(deliveries.find("test,base,2030,gas,D1,1,6.000000,6.000000,0.000000,bcm,,3.600000\n") !=
        std::string::npos);
}

TEST_CASE("#C7 monthly: the annual minimum spread by the contract's profile, or by days",
          "[contracts]") {
  // ACQ 12 bcm/y, hard minimum 100 %, 2030 (365 days). D wants 30 bcm/y by days, plenty.
  //   by days:    January 12 x 31 / 365 = 1.019178, February 12 x 28 / 365 = 0.920548;
  //   by profile [2, 1, 1, ..., 1] (sum 13): January 12 x 2 / 13 = 1.846154, February 12 / 13
  //               = 0.923077. The twelve months add up to 12 exactly either way.
  auto run = [](std::vector<double> profile) {
    Scenario s = test::scenario(2030, 2030, Resolution::Month);
    s.nodes = {test::supply("X", 40, 100), test::demand("D", 30)};
    s.pipelines = {test::pipe("P", "X", "D", 40)};
    Contract c = contract("x-spa", "X", 12, 1.0, ContractRule::Hard);
    c.profile = std::move(profile);
    s.contracts = {c};
    return simulate(s);
  };
  const CaseResult days = run({});
  CHECK(at(days, 2030, 1).row.contract_min[0] == exactly(1.019178));
  CHECK(at(days, 2030, 2).row.contract_min[0] == exactly(0.920548));
  CHECK(at(days, 2030).row.contract_min[0] == exactly(12));
  std::vector<double> profile(12, 1.0);
  profile[0] = 2.0;
  const CaseResult weighted = run(profile);
  CHECK(at(weighted, 2030, 1).row.contract_min[0] == exactly(1.846154));
  CHECK(at(weighted, 2030, 2).row.contract_min[0] == exactly(0.923077));
  CHECK(at(weighted, 2030).row.contract_min[0] == exactly(12));
  CHECK(at(weighted, 2030).row.contract_taken[0] >= 12 - 1e-6);
}

TEST_CASE("#C12 spot: false: a supply sells only under its contracts", "[contracts]") {
  // As #C1 with cheap selling only under its contract (ACQ 6, max_take 110 % = 6.6): D wants
  // 10, cheap gives 6.6, dear the other 3.4. Cost 6.6 x 100 + 3.4 x 200 = 1340. Without the
  // contract, cheap would sell nothing at all (and validate() warns).
  Scenario s = two_supplies(10);
  s.nodes[0].spot = false;
  Contract c = contract("cheap-spa", "cheap", 6, 0.0, ContractRule::Soft);
  c.max_take.share = 1.1;
  s.contracts = {c};
  const CaseResult r = simulate(s);
  CHECK(at(r, 2030).supply_used("cheap") == exactly(6.6));
  CHECK(at(r, 2030).supply_used("dear") == exactly(3.4));
  CHECK(at(r, 2030).row.cost_musd == exactly(1340));
  s.contracts.clear();
  s.nodes[0].spot_where = {"s.yaml", 4, 9};
  CHECK(at(simulate(s), 2030).supply_used("cheap") == exactly(0));
  const std::vector<Diagnostic> ds = validate(s);
  REQUIRE(ds.size() == 1);
  CHECK(format_diagnostic(ds[0]) ==
        "s.yaml:4:9: warning: supply node 'cheap' sells only under contract (spot: false) but has "
        "no contract; it supplies nothing; add a contract with 'seller: cheap', or remove 'spot'");
}

TEST_CASE("#C8 a supply price path: the dispatch uses each year's price", "[series][contracts]") {
  // S1 costs 100 in 2030 and 300 from 2031; S2 costs 200 throughout. D wants 10.
  //   2030: S1, cost 1000.   2031: S2, cost 2000.
  Scenario s = test::scenario(2030, 2031);
  s.nodes = {test::supply("S1", 20, 0), test::supply("S2", 20, 200), test::demand("D", 10)};
  s.nodes[0].cost = test::series({{2030, 100}, {2031, 300}});
  s.pipelines = {test::pipe("P1", "S1", "D", 20), test::pipe("P2", "S2", "D", 20)};
  const CaseResult r = simulate(s);
  CHECK(at(r, 2030).supply_used("S1") == exactly(10));
  CHECK(at(r, 2030).row.cost_musd == exactly(1000));
  CHECK(at(r, 2031).supply_used("S2") == exactly(10));
  CHECK(at(r, 2031).row.cost_musd == exactly(2000));
  CHECK(test::invariants_on_every_period(s) == "");
}

TEST_CASE("#C9 a tariff indexed by year: dispatch and route economics follow it",
          "[series][contracts]") {
  // S (30 at 50) feeds D (10) over A (tariff 1 in 2030, 10 from 2031) or B (tariff 5).
  //   2030: A, cost 10 x (50 + 1) = 510; route over A pays 10 x 1 = 10 MUSD of tariff.
  //   2031: B, cost 10 x (50 + 5) = 550; A carries nothing, its route pays no tariff.
  Scenario s = test::scenario(2030, 2031);
  s.nodes = {test::supply("S", 30, 50), test::demand("D", 10)};
  s.pipelines = {test::pipe("A", "S", "D", 20, 0), test::pipe("B", "S", "D", 20, 5)};
  s.pipelines[0].tariff = test::series({{2030, 1}, {2031, 10}});
  s.routes = {test::route("via-a", {"A"}), test::route("via-b", {"B"})};
  const CaseResult r = simulate(s);
  CHECK(at(r, 2030).flow("A") == exactly(10));
  CHECK(at(r, 2030).row.cost_musd == exactly(510));
  CHECK(at(r, 2031).flow("B") == exactly(10));
  CHECK(at(r, 2031).row.cost_musd == exactly(550));
  const RunEconomics& e = test::run_of(r).economics;
  CHECK(e.routes[0][0].tariff_musd == exactly(10));
  CHECK(e.routes[1][1].tariff_musd == exactly(50));
  CHECK(tariff_per_unit(s.pipelines[0], 2031) == 10.0);
}

TEST_CASE("#C10 a growth series: 10 %/y from its last point", "[series][contracts]") {
  // {2030: 10, growth: 10 %/y}: 2031 11, 2032 12.1; before 2030 it holds at 10. A constant has
  // no year to grow from and stays. With two points growth starts after the last.
  Series g = test::series({{2030, 10}});
  g.growth = 0.10;
  CHECK(value_at(g, 2029) == 10.0);
  CHECK(value_at(g, 2030) == 10.0);
  CHECK(value_at(g, 2031) == Approx(11.0).epsilon(1e-12));
  CHECK(value_at(g, 2032) == Approx(12.1).epsilon(1e-12));
  Series c = constant_series(5);
  c.growth = 0.10;
  CHECK(value_at(c, 2040) == 5.0);
  Series two = test::series({{2030, 10}, {2032, 20}}, Interpolation::Linear);
  two.growth = -0.5;
  CHECK(value_at(two, 2031) == 15.0);
  CHECK(value_at(two, 2033) == 10.0);
  // In a dispatch: D grows 10 %/y from 10 and the supply is 11.5, so 2032 is 0.6 short.
  Scenario s = test::scenario(2030, 2032);
  s.nodes = {test::supply("S", 11.5, 10), test::demand("D", 0)};
  s.nodes[1].demand = g;
  s.pipelines = {test::pipe("P", "S", "D", 20)};
  const CaseResult r = simulate(s);
  CHECK(at(r, 2031).delivered("D") == exactly(11));
  CHECK(at(r, 2032).demand("D") == exactly(12.1));
  CHECK(at(r, 2032).shortfall("D") == exactly(0.6));
}

TEST_CASE("#C11 contract dates prorate the year by days", "[contracts]") {
  // ACQ 12, hard minimum 100 %, from 1 July 2030 to 1 July 2031 (end is the first period no
  // longer under contract): 2030 takes 12 x 184 / 365 = 6.049315, 2031 12 x 181 / 365 =
  // 5.950685, 2032 nothing.
  Scenario s = test::scenario(2030, 2032);
  s.nodes = {test::supply("X", 40, 100), test::demand("D", 30)};
  s.pipelines = {test::pipe("P", "X", "D", 40)};
  Contract c = contract("x-spa", "X", 12, 1.0, ContractRule::Hard);
  c.start = YearMonth{2030, 7};
  c.end = YearMonth{2031, 7};
  s.contracts = {c};
  const CaseResult r = simulate(s);
  CHECK(at(r, 2030).row.contract_min[0] == exactly(6.049315));
  CHECK(at(r, 2030).row.contract_acq[0] == exactly(6.049315));
  CHECK(at(r, 2031).row.contract_min[0] == exactly(5.950685));
  CHECK(at(r, 2032).row.contract_min[0] == exactly(0));
  CHECK(at(r, 2032).row.contract_taken[0] == exactly(0));
}

}  // namespace
}  // namespace corridor

namespace corridor {
namespace {

using test::at;
using test::exactly;

/// The cases of a fixture under tests/fixtures/contracts/, loaded from the project root.
LoadedScenario load_fixture(const std::string& name) {
  std::filesystem::current_path(CORRIDOR_SOURCE_DIR);
  return load_scenario("tests/fixtures/contracts/" + name);
}

const Scenario& case_named(const LoadedScenario& l, const std::string& name) {
  for (const auto& c : l.cases) {
    if (c->case_name == name) return *c;
  }
  throw std::invalid_argument("no case " + name);
}

TEST_CASE("#X1 FX conversion: a constant at each year's rate, capex at its year's",
          "[contracts][fx]") {
  // tests/fixtures/contracts/fx.yaml, worked out in its header.
  const LoadedScenario l = load_fixture("fx.yaml");
  const Scenario& s = *l.cases.front();
  CHECK(value_at(s.nodes[0].cost, 2030) == Approx(100.0).epsilon(1e-12));
  CHECK(value_at(s.nodes[0].cost, 2031) == Approx(90.0).epsilon(1e-12));
  CHECK(tariff_per_unit(s.pipelines[0], 2030) == Approx(10.0).epsilon(1e-12));
  CHECK(tariff_per_unit(s.pipelines[0], 2031) == Approx(9.0).epsilon(1e-12));
  CHECK(value_at(s.pipelines[0].transit_fee, 2031) == Approx(10.0).epsilon(1e-12));
  REQUIRE(s.pipelines[0].economics.capex_musd);
  CHECK(*s.pipelines[0].economics.capex_musd == Approx(90.0).epsilon(1e-12));
  const CaseResult r = simulate(s);
  CHECK(at(r, 2030).row.cost_musd == exactly(1200));
  CHECK(at(r, 2031).row.cost_musd == exactly(1090));
}

TEST_CASE("#X2 contracts in YAML: rules, take levels, alternatives", "[contracts]") {
  const LoadedScenario l = load_fixture("contracts.yaml");
  const CaseResult hard = simulate(case_named(l, "hard"));
  CHECK(at(hard, 2030).supply_used("dear") == exactly(8));
  CHECK(at(hard, 2030).row.cost_musd == exactly(1800));
  const CaseResult soft = simulate(case_named(l, "soft"));
  CHECK(at(soft, 2030).supply_used("dear") == exactly(0));
  CHECK(at(soft, 2030).row.take_or_pay_musd == exactly(400));
  CHECK(at(soft, 2030).row.cost_musd == exactly(1000));
  const Scenario& v = case_named(l, "by-volume");
  REQUIRE(v.contracts.size() == 1);
  CHECK_FALSE(v.contracts[0].min_take.share);
  CHECK(value_at(v.contracts[0].min_take.volume, 2030) == 8.0);
  CHECK(*v.contracts[0].max_take.share == Approx(1.1));
  CHECK(v.contracts[0].buyers == std::vector<std::string>{"D"});
  CHECK(v.contracts[0].end == YearMonth{2049, 12});
  const CaseResult by_volume = simulate(v);
  CHECK(at(by_volume, 2030).supply_used("dear") == exactly(8));
  CHECK(at(by_volume, 2030).row.contract_to_buyers[0] == exactly(8));
}

TEST_CASE("#P1 a project delayed by one line, its capex in two tranches", "[projects]") {
  // tests/fixtures/contracts/projects.yaml, worked out in its header.
  const LoadedScenario l = load_fixture("projects.yaml");
  const CaseResult on_time = simulate(case_named(l, "on-time"));
  const CaseResult delayed = simulate(case_named(l, "delayed"));
  const Scenario& s = case_named(l, "on-time");
  CHECK(s.pipelines[0].online == YearMonth{2031, 0});
  CHECK(s.pipelines[0].online_from_project);
  CHECK(s.pipelines[0].project == "line");
  REQUIRE(s.pipelines[0].economics.tranches.size() == 2);
  CHECK(s.pipelines[0].economics.tranches[0].musd == Approx(750.0));
  CHECK(s.pipelines[1].economics.tranches[1].musd == Approx(125.0));
  const auto capital = [](const CaseResult& r, int y, int pipeline) {
    const RunEconomics& e = test::run_of(r).economics;
    return e.pipelines[y - 2030][pipeline];
  };
  CHECK(capital(on_time, 2030, 0).capital_musd == 0.0);
  CHECK(capital(on_time, 2031, 0).capital_musd == Approx(75.0).epsilon(1e-12));
  CHECK(capital(on_time, 2031, 1).capital_musd == Approx(25.0).epsilon(1e-12));
  CHECK(capital(on_time, 2032, 0).capital_musd == Approx(112.5).epsilon(1e-12));
  CHECK(capital(on_time, 2032, 1).capital_musd == Approx(37.5).epsilon(1e-12));
  CHECK(capital(on_time, 2031, 0).opex_musd == Approx(7.5).epsilon(1e-12));
  CHECK(capital(on_time, 2032, 0).opex_musd == Approx(11.25).epsilon(1e-12));
  CHECK(at(on_time, 2031).delivered("city") == exactly(5));
  // The one-line alternative moves both pipelines.
  const Scenario& d = case_named(l, "delayed");
  CHECK(d.pipelines[0].online == YearMonth{2033, 0});
  CHECK(d.pipelines[1].online == YearMonth{2033, 0});
  CHECK(at(delayed, 2031).shortfall("city") == exactly(5));
  CHECK(at(delayed, 2032).shortfall("city") == exactly(5));
  CHECK(at(delayed, 2033).delivered("city") == exactly(5));
  CHECK(capital(delayed, 2032, 0).capital_musd == 0.0);
  CHECK(capital(delayed, 2033, 0).capital_musd == Approx(112.5).epsilon(1e-12));
}

TEST_CASE("contract, project and FX errors are located and say what to try",
          "[contracts][validate]") {
  const std::vector<std::string> got = test::problems("tests/fixtures/bad/contract-keys.yaml");
  const std::string f = "tests/fixtures/bad/contract-keys.yaml:";
  CHECK(got ==
        std::vector<std::string>{
            f + "5:57: error: cost of node 'field' needs the RUB rate of 2030, but "
                "economics.fx.RUB starts in 2031; add a 2030 rate to economics.fx.RUB",
            f + "13:69: error: unknown rule 'firm' of contract 'b'; expected one of: soft, hard",
            f + "15:63: error: min_take of contract 'd' must lie in [0, 1], got '85'; give a "
                "share of the ACQ such as 85 % or 0.85, or a volume",
            f + "17:46: error: a capex tranche of project 'p' needs an 'amount' and a 'date'; "
                "write '{amount: 5 bn USD, date: 2028}'",
            f + "12:21: error: contract 'a' refers to unknown supply node or route 'feild'; did "
                "you mean 'field'?",
            f + "13:21: error: seller 'field' of contract 'b' names both a supply node and a "
                "route; write 'seller: {supply: field}' or 'seller: {route: field}'",
            f + "13:53: error: min_take of contract 'b' (12 bcm/y in 2030) exceeds its max_take "
                "(10 bcm/y); the contract cannot take more than its maximum; lower min_take or "
                "raise max_take",
            f + "14:59: error: price of contract 'c' does not apply to a route seller: the "
                "supplies that feed route 'field' price its volume; remove 'price', or make a "
                "supply node the seller",
            f + "14:79: error: buyer 'citty' of contract 'c' is not a demand node; did you mean "
                "'city'?",
            f + "15:85: error: contract 'd' ends before it starts; 'end' is the first period no "
                "longer under contract; it must follow 'start'",
            f + "17:31: error: project 'p' refers to unknown pipeline 'lien'; did you mean "
                "'line'?",
            f + "18:25: error: pipeline 'line' is a member of project 'p' and of project 'q'; a "
                "member belongs to one project; remove it from one of them",
        });
}

TEST_CASE("exchange-rate and growth errors are located and say what to try",
          "[contracts][validate][fx]") {
  const std::string f = "tests/fixtures/bad/fx-keys.yaml:";
  CHECK(test::problems("tests/fixtures/bad/fx-keys.yaml") ==
        std::vector<std::string>{
            f + "3:18: error: economics.fx.USD: USD is the currency corridor converts to; give "
                "the rates of the other currencies per USD",
            f + "3:34: error: unknown currency 'RUR' in economics.fx; did you mean 'RUB'?",
            f + "3:56: error: economics.fx.CNY: unknown unit 'USD/RUB' in '7.1 USD/RUB'; write "
                "the rate as CNY/USD (units of CNY per USD, e.g. '92.5 CNY/USD') or USD/CNY",
            f + "3:74: error: economics.fx.EUR must be a positive rate, got '-1 EUR/USD'; write "
                "units of EUR per USD, e.g. '92.5 EUR/USD'",
            f + "5:84: error: growth of cost of node 'field': '3 %' is a fraction, expected a "
                "growth rate; accepted units: %/y",
            f + "5:57: error: cost of node 'field' is in RUB but economics.fx has no RUB rate; "
                "add 'economics: {fx: {RUB: {2030: ... RUB/USD}}}'",
            f + "6:55: error: key 'growht' of demand of node 'city' is not a year; did you mean "
                "'growth'?",
            f + "8:91: error: tariff of pipeline 'line' in 2031 is in RUB but an earlier value is "
                "in USD; write a series in one currency",
        });
}

TEST_CASE("#P2 a member's own date wins, with a warning; a RUB tranche at its date's rate",
          "[projects][fx]") {
  const std::vector<std::string> got =
      test::problems("tests/fixtures/contracts/project-dates.yaml");
  CHECK(got == std::vector<std::string>{
                   "tests/fixtures/contracts/project-dates.yaml:14:78: warning: pipeline 'b' "
                   "keeps its own online 2030, not the 2031 of its project 'line'; remove the "
                   "pipeline's own 'online' to follow the project, or make them agree"});
  const LoadedScenario l = load_fixture("project-dates.yaml");
  const Scenario& s = *l.cases.front();
  CHECK(s.pipelines[0].online == YearMonth{2031, 0});
  CHECK(s.pipelines[1].online == YearMonth{2030, 0});
  REQUIRE(s.pipelines[0].economics.tranches.size() == 1);
  CHECK(s.pipelines[0].economics.tranches[0].musd == Approx(67.5));
  CHECK(s.pipelines[1].economics.tranches[0].musd == Approx(22.5));
}

}  // namespace
}  // namespace corridor

namespace corridor {
namespace {

/// #C13: a hard contract on `field` (12 bcm/y, 50 USD/kcm, minimum 100 % of 12 bcm/y, spread
/// by days) while `city` wants 12 bcm/y in July-December only (2 bcm a month); `cheap` (24
/// bcm/y at 10) could serve it too. With `volume_bcm` > 0 a storage `ugs` (empty on 1 January,
/// cyclic, fast) sits at the hub. Monthly, 2030 (365 days).
Scenario c13(double volume_bcm, ContractRule rule) {
  Scenario s = test::scenario(2030, 2030, Resolution::Month);
  Node city = test::demand("city", 12);
  city.profile = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
  s.nodes = {test::supply("field", 12, 50), test::supply("cheap", 24, 10), test::junction("hub"),
             city};
  s.pipelines = {test::pipe("f", "field", "hub", 24), test::pipe("c", "cheap", "hub", 24),
                 test::pipe("h", "hub", "city", 48)};
  if (volume_bcm > 0.0) {
    Node ugs;
    ugs.id = "ugs";
    ugs.kind = NodeKind::Storage;
    ugs.working_volume = volume_bcm;
    ugs.injection = constant_series(120);
    ugs.withdrawal = constant_series(120);
    ugs.initial = {true, 0.0};
    s.nodes.push_back(ugs);
    s.pipelines.push_back(test::bidirectional_pipe("u", "hub", "ugs", 240));
  }
  s.contracts = {contract("field-spa", "field", 12, 1.0, rule)};
  s.contracts[0].min_take.where = {"c13.yaml", 9, 15};
  return s;
}

/// The month's minimum of a 12 bcm/y contract spread by days: differences of the rounded
/// cumulative volumes (network.cpp's month_volume), 12 x days / 365 to 1e-6 bcm.
double c13_min(int month) {
  int before = 0;
  for (int m = 1; m < month; ++m) before += days_in_month(2030, m);
  const int upto = before + days_in_month(2030, month);
  auto cumulative = [](int days) { return std::round(12.0 * days / 365.0 * 1e6) / 1e6; };
  return cumulative(upto) - cumulative(before);
}

TEST_CASE("#C13 contracts with storage by month: the 12-layer year takes a minimum through storage",
          "[contracts][storage]") {
  SECTION("hard, without storage: January-June cannot take the minimum, and say so") {
    // No demand and nowhere to put gas before July: each of the first six months is
    // infeasible with nothing taken; July-December take their minimum (about 1 bcm), cheap
    // gives the other 1 bcm of each 2.
    const CaseResult r = simulate(c13(0.0, ContractRule::Hard));
    REQUIRE_FALSE(r.failure);
    REQUIRE(test::run_of(r).network.layers == 1);
    for (int m = 1; m <= 12; ++m) {
      INFO("month " << m);
      const auto y = at(r, 2030, m);
      const int k = contract_slot(y, "field-spa");
      CHECK(y.row.contract_min[k] == exactly(c13_min(m)));
      CHECK(y.row.contract_taken[k] == exactly(m <= 6 ? 0.0 : c13_min(m)));
      CHECK(y.row.status == (m <= 6 ? FlowStatus::Infeasible : FlowStatus::Optimal));
    }
    CHECK(r.warnings.size() == 6);
  }
  SECTION("hard, with storage: January-June's minimum waits in storage for July-December") {
    // One 12-layer solve: field gives its minimum every month, 12 bcm in all; January-June's
    // 12 x 181 / 365 = 5.950685 bcm fills the store, which empties into July-December. city
    // gets all of its 12 bcm from field, cheap sells nothing. Cost 12 x 50 = 600 MUSD (the
    // injection tie-break is not a cost). Proportional mixing passes the contract share
    // through the reservoir: every unit delivered is contract gas.
    const Scenario s = c13(10.0, ContractRule::Hard);
    const CaseResult r = simulate(s);
    REQUIRE_FALSE(r.failure);
    const CommodityRun& run = test::run_of(r);
    REQUIRE(run.network.layers == 12);
    CHECK(r.warnings.empty());
    for (int m = 1; m <= 12; ++m) {
      INFO("month " << m);
      const auto y = at(r, 2030, m);
      const int k = contract_slot(y, "field-spa");
      CHECK(y.row.status == FlowStatus::Optimal);
      CHECK(y.row.contract_taken[k] == exactly(c13_min(m)));
      CHECK(y.supply_used("field") == exactly(c13_min(m)));
      CHECK(y.row.supply_contracted[y.supply_slot("field")] == exactly(c13_min(m)));
      CHECK(y.supply_used("cheap") == exactly(0));
      CHECK(y.shortfall("city") == exactly(0));
      CHECK(y.row.delivered_contracted[0] == Approx(m <= 6 ? 0.0 : 2.0).margin(1e-6));
    }
    const auto june = at(r, 2030, 6);
    CHECK(june.row.storage_end[0] == exactly(5.950685));
    const auto year = at(r, 2030);
    CHECK(year.row.storage_end[0] == exactly(0));
    CHECK(year.row.contract_taken[0] == exactly(12));
    CHECK(year.row.cost_musd == Approx(600).margin(1e-6));
    CHECK(year.row.status == FlowStatus::Optimal);
    CHECK(test::invariants_on_every_period(s) == "");
  }
  SECTION("soft, take-or-pay 30: cheaper to pay; take-or-pay 45: cheaper to take and store") {
    // Taking a unit costs 50 (plus 0.001 to inject it before July); not taking it costs the
    // take-or-pay plus cheap gas at 10. At 30: 40 < 50, pay: cheap serves all 12 bcm (120
    // MUSD) and the take-or-pay is 12 x 30 = 360 MUSD over the year. At 45: 55 > 50, take:
    // as the hard case, 600 MUSD and no take-or-pay.
    Scenario s = c13(10.0, ContractRule::Soft);
    s.contracts[0].take_or_pay = constant_series(30);
    const CaseResult pay = simulate(s);
    const auto year = at(pay, 2030);
    CHECK(year.supply_used("field") == exactly(0));
    CHECK(year.supply_used("cheap") == exactly(12));
    CHECK(year.row.take_or_pay_musd == Approx(360).margin(1e-6));
    CHECK(year.row.cost_musd == Approx(120).margin(1e-6));
    // cheap's 24 bcm/y gives 24 x 30 / 365 = 1.972603 bcm in September and November, short
    // of their 2: cheap gas stored beforehand covers 2 x 0.027397.
    CHECK(year.row.storage_injection[0] == exactly(0.054794));
    CHECK(test::invariants_on_every_period(s) == "");
    s.contracts[0].take_or_pay = constant_series(45);
    const CaseResult take = simulate(s);
    const auto taken = at(take, 2030);
    CHECK(taken.supply_used("field") == exactly(12));
    CHECK(taken.supply_used("cheap") == exactly(0));
    CHECK(taken.row.take_or_pay_musd == exactly(0));
    CHECK(taken.row.cost_musd == Approx(600).margin(1e-6));
  }
  SECTION(
      "hard, storage too small: the whole year is solved relaxed, the months that miss say so") {
    // A 3 bcm store holds at most 3 bcm at any month's end, so January-June can take 3 of
    // their 5.950685 bcm minimum (how the 3 spread over those months is not unique); July-
    // December take theirs, 6.049315, and the store's 3; cheap gives 12 - 9.049315 = 2.950685.
    // Each month below its minimum is infeasible and has a warning; the others are optimal.
    const CaseResult r = simulate(c13(3.0, ContractRule::Hard));
    REQUIRE_FALSE(r.failure);
    double first_half = 0.0;
    int missed = 0;
    for (int m = 1; m <= 12; ++m) {
      INFO("month " << m);
      const auto y = at(r, 2030, m);
      const int k = contract_slot(y, "field-spa");
      const bool short_of_min = y.row.contract_taken[k] < y.row.contract_min[k] - 1e-9;
      CHECK(y.row.status == (short_of_min ? FlowStatus::Infeasible : FlowStatus::Optimal));
      CHECK(y.row.contract_infeasible[k] == short_of_min);
      if (m <= 6) {
        first_half += y.row.contract_taken[k];
        missed += short_of_min;
      } else {
        CHECK(y.row.contract_taken[k] == exactly(c13_min(m)));
      }
      CHECK(y.shortfall("city") == exactly(0));
    }
    CHECK(first_half == Approx(3.0).margin(1e-6));
    CHECK(missed >= 3);  // no month can take more than its own minimum, about 1 bcm
    CHECK(static_cast<int>(r.warnings.size()) == missed);
    const auto year = at(r, 2030);
    CHECK(year.row.status == FlowStatus::Infeasible);
    CHECK(year.supply_used("cheap") == Approx(2.950685).margin(1e-6));
  }
}

TEST_CASE("#C14 a contract that caps its seller: the seller is named as what limits delivery",
          "[contracts]") {
  // capped: 10 bcm/y at 100 USD/kcm, sells only under contract (spot: false); capped-spa takes
  // at most its ACQ of 6 (no minimum). D wants 8 over a line of 20: 2 bcm short. Neither the
  // field's 10 nor the line binds: the contract's maximum does, on the arcs into the field's
  // split node, and the field is named (as a field at its capacity would be).
  Scenario s = test::scenario(2030, 2030);
  s.nodes = {test::supply("capped", 10, 100), test::demand("D", 8)};
  s.nodes[0].spot = false;
  s.pipelines = {test::pipe("P", "capped", "D", 20)};
  s.contracts = {contract("capped-spa", "capped", 6, 0.0, ContractRule::Soft)};
  const CaseResult r = simulate(s);
  const auto y = at(r, 2030);
  CHECK(y.supply_used("capped") == exactly(6));
  CHECK(y.shortfall("D") == exactly(2));
  CHECK(y.row.limiting_supplies == std::vector<int>{0});  // capped
  CHECK(y.row.limiting_pipelines.empty());
  // With spot sales the field's capacity is the limit once D wants more than 10.
  s.nodes[0].spot = true;
  s.nodes[1].demand = constant_series(12);
  const CaseResult open = simulate(s);
  CHECK(at(open, 2030).supply_used("capped") == exactly(10));
  CHECK(at(open, 2030).row.limiting_supplies == std::vector<int>{0});
}

}  // namespace
}  // namespace corridor
