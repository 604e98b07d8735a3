#pragma once
/// \file The N-1 sweep (`corridor contingencies`): each asset out in turn, every year of every
/// case re-dispatched, and what is lost compared with the case as it is.
///
/// Assets are every pipeline, supply, lng terminal and storage node of a commodity, and every
/// route as a whole (all its pipelines out at once), in that order, each kind in scenario
/// order. An asset is out for the whole of each year, or for a window of days (OutageWindow)
/// in the years the window touches; out means an Outage of derate 1 (events.h) on top of the
/// scenario's own events, so with yearly resolution a window costs its share of the year's
/// days and with monthly resolution the months it covers (and storage, solved across the
/// months, can fill before it: perfect foresight within the year).
///
/// With k = 2, pairs of assets are out together too, pruned per year to the pairs worth
/// solving: both assets lose volume on their own, or they serve a common market, as two
/// parallel lines do that each lose nothing alone. The markets an asset serves in a year are
/// the demand nodes downstream of it along the pipelines that carry base flow that year (a
/// pipeline's own end counts whether or not it carries anything: an idle line is a spare).
///
/// Cost. For each case and commodity the network is built once and its base bounds once per
/// period; a solve only changes the bounds of the assets that are out (network.h, FlowSolver).
/// The solves run on the run pool (run_pool.h) in blocks of assets, each block with its own
/// FlowSolver on the shared network; a block writes only its own slots, so results are the
/// same for any thread count.
///
/// Reported per asset (or pair) and year, against the base dispatch: deliveries lost in total
/// and per market, shortfall added per priority tier, the change in supply plus transport cost
/// (a loss of volume usually lowers it: less is bought), and the change of every route's
/// volume (routes that pick up what the asset carried rise).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/network.h"
#include "corridor/results.h"
#include "corridor/scenario.h"

namespace corridor {

enum class AssetKind { Pipeline, Supply, Lng, Storage, Route };
/// "pipeline", "supply", "lng", "storage", "route".
std::string_view asset_kind_name(AssetKind k);

struct Asset {
  AssetKind kind = AssetKind::Pipeline;
  int entity = 0;  ///< scenario index of the pipeline, node or route
  std::string id;
};

/// Days [first_day, end_day), days since 1970-01-01 (scenario.h).
struct OutageWindow {
  int first_day = 0;
  int end_day = 0;
};

/// Parses a window: "3 months from 2031-01", "10 days from 2031-01-15", "2 weeks from
/// 2031-02-01", "1 year from 2031", or "2031-01-15 to 2031-03" (both ends inclusive, each at its
/// own precision, as event dates). Returns false with `error` saying what is wrong and what to
/// write.
bool parse_window(std::string_view text, OutageWindow& window, std::string& error);

struct ContingencyOptions {
  std::vector<AssetKind> kinds;        ///< empty: every kind
  std::optional<OutageWindow> window;  ///< none: each asset out for the whole of every year
  int k = 1;                           ///< 1, or 2 for pairs as well
  int threads = 0;                     ///< as PoolOptions::threads
};

/// One year of the commodity with some assets out (or none: the base), summed over the
/// year's periods.
struct YearOutcome {
  int year = 0;
  std::vector<double> delivered;     ///< per Network::demands
  std::vector<double> shortfall;     ///< per Network::demands
  std::vector<double> route_volume;  ///< per Network::routes, along each route's direction
  double cost_musd = 0.0;            ///< supply plus transport cost
};

/// The assets out together in one contingency: indices into CommodityContingencies::assets.
struct Contingency {
  std::vector<int> assets;
  std::vector<YearOutcome> years;  ///< the years the outage touches, in order
};

struct CommodityContingencies {
  Network network;  ///< names, entity lists; built once for the case
  std::vector<Asset> assets;
  std::vector<YearOutcome> base;           ///< per horizon year
  std::vector<Contingency> contingencies;  ///< singles in asset order, then pairs
  std::vector<int> demand_priority;        ///< per Network::demands
};

struct CaseContingencies {
  std::shared_ptr<const Scenario> scenario;
  std::vector<CommodityContingencies> runs;  ///< per commodity present, in enum order
  std::optional<CaseFailure> failure;        ///< a period that cannot be dispatched
};

struct ContingencyStudy {
  std::vector<CaseContingencies> cases;  ///< in member order
  long long solves = 0;                  ///< min-cost flow solves, base included
  /// The units the files and the ranking write volumes in (`--units`, units.h), set by the
  /// command line; the study itself is in bcm and Mt.
  OutputUnits units;
};

/// The sweep over every member (a resolved case), on the run pool.
ContingencyStudy run_contingencies(const std::vector<std::shared_ptr<const Scenario>>& members,
                                   const ContingencyOptions& options);

/// Lost volume of a contingency year against the base year: base delivered - delivered,
/// summed over markets.
double lost_volume(const YearOutcome& base, const YearOutcome& out);

}  // namespace corridor
