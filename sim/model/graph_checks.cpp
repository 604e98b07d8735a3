// The only user of Boost.Graph: topology checks on the scenario, whatever the dates.
#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <map>

#include "corridor/validate.h"

namespace corridor {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

/// The scenario's nodes (vertex i = scenario node i) and `extra` further vertices, with an
/// edge per pipeline in its direction and one back for bidirectional pipelines. Pipelines with
/// an unknown end are left out (validate() reports them).
Graph pipeline_graph(const Scenario& s, const std::map<std::string, int>& index, int extra) {
  Graph g(s.nodes.size() + extra);
  for (const Pipeline& p : s.pipelines) {
    auto from = index.find(p.from), to = index.find(p.to);
    if (from == index.end() || to == index.end()) continue;
    boost::add_edge(from->second, to->second, g);
    if (p.bidirectional) boost::add_edge(to->second, from->second, g);
  }
  return g;
}

std::map<std::string, int> node_index(const Scenario& s) {
  std::map<std::string, int> index;
  for (int i = 0; i < static_cast<int>(s.nodes.size()); ++i) index.emplace(s.nodes[i].id, i);
  return index;
}

/// Colour map after a BFS from `root`: white for the vertices it did not reach.
std::vector<boost::default_color_type> visit_from(const Graph& g, int root) {
  std::vector<boost::default_color_type> color(boost::num_vertices(g), boost::white_color);
  boost::breadth_first_visit(g, root, boost::color_map(color.data()));
  return color;
}

}  // namespace

std::vector<int> unreachable_demand_nodes(const Scenario& s) {
  const int n = static_cast<int>(s.nodes.size());
  Graph g = pipeline_graph(s, node_index(s), 2);  // n, n+1: super sources of gas and oil
  for (int i = 0; i < n; ++i) {
    // LNG terminals supply too; storage does not count: over a year it gives back what it took.
    if (s.nodes[i].kind == NodeKind::Supply || s.nodes[i].kind == NodeKind::Lng) {
      boost::add_edge(s.nodes[i].commodity == Commodity::Gas ? n : n + 1, i, g);
    }
  }
  std::vector<int> out;
  for (int root : {n, n + 1}) {
    const std::vector<boost::default_color_type> color = visit_from(g, root);
    for (int i = 0; i < n; ++i) {
      const Node& node = s.nodes[i];
      const bool mine = (node.commodity == Commodity::Gas) == (root == n);
      if (mine && node.kind == NodeKind::Demand && color[i] == boost::white_color) out.push_back(i);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int> demand_nodes_reachable_from(const Scenario& s, const std::string& node_id) {
  const std::map<std::string, int> index = node_index(s);
  const auto start = index.find(node_id);
  if (start == index.end()) return {};
  const std::vector<boost::default_color_type> color =
      visit_from(pipeline_graph(s, index, 0), start->second);
  std::vector<int> out;
  for (int i = 0; i < static_cast<int>(s.nodes.size()); ++i) {
    if (s.nodes[i].kind == NodeKind::Demand && color[i] != boost::white_color) out.push_back(i);
  }
  return out;
}

}  // namespace corridor
