// The only user of Boost.Graph: topology checks on the scenario, whatever the dates.
#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <map>

#include "corridor/validate.h"

namespace corridor {

std::vector<int> unreachable_demand_nodes(const Scenario& s) {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  const int n = static_cast<int>(s.nodes.size());
  Graph g(n + 2);  // n, n+1: super sources of gas and oil
  std::map<std::string, int> index;
  for (int i = 0; i < n; ++i) index.emplace(s.nodes[i].id, i);
  for (const Pipeline& p : s.pipelines) {
    auto from = index.find(p.from), to = index.find(p.to);
    if (from == index.end() || to == index.end()) continue;
    boost::add_edge(from->second, to->second, g);
    if (p.bidirectional) boost::add_edge(to->second, from->second, g);
  }
  for (int i = 0; i < n; ++i) {
    if (s.nodes[i].kind == NodeKind::Supply) {
      boost::add_edge(s.nodes[i].commodity == Commodity::Gas ? n : n + 1, i, g);
    }
  }
  std::vector<int> out;
  for (int root : {n, n + 1}) {
    std::vector<boost::default_color_type> color(n + 2, boost::white_color);
    boost::breadth_first_visit(g, root, boost::color_map(color.data()));
    for (int i = 0; i < n; ++i) {
      const Node& node = s.nodes[i];
      const bool mine = (node.commodity == Commodity::Gas) == (root == n);
      if (mine && node.kind == NodeKind::Demand && color[i] == boost::white_color) out.push_back(i);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace corridor
