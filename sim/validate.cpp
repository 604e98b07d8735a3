#include "corridor/validate.h"

#include <algorithm>
#include <map>
#include <set>

namespace corridor {
namespace {

struct Checker {
  const Scenario& s;
  std::vector<Diagnostic> out;

  void error(const SourceLocation& w, std::string m, std::string h = {}) {
    out.push_back({Severity::Error, w, std::move(m), std::move(h)});
  }
  void warning(const SourceLocation& w, std::string m, std::string h = {}) {
    out.push_back({Severity::Warning, w, std::move(m), std::move(h)});
  }

  template <typename T>
  std::vector<std::string> ids(const std::vector<T>& v) {
    std::vector<std::string> r;
    for (const T& x : v) r.push_back(x.id);
    return r;
  }

  template <typename T>
  void duplicates(const std::vector<T>& v, const char* kind) {
    std::map<std::string, const T*> seen;
    for (const T& x : v) {
      auto [it, fresh] = seen.emplace(x.id, &x);
      if (!fresh) {
        error(x.where, "duplicate " + std::string(kind) + " id '" + x.id + "'",
              "first defined at line " + std::to_string(it->second->where.line) +
                  "; ids must be unique per kind");
      }
    }
  }

  void non_negative(const Series& v, const SourceLocation& w, const std::string& what) {
    for (const auto& [year, x] : v.points) {
      if (x < 0.0) error(w, what + " must not be negative", "use 0 for none");
      (void)year;
    }
  }

  void in_horizon(const Series& v, const SourceLocation& w, const std::string& what) {
    for (const auto& [year, x] : v.points) {
      (void)x;
      if (v.points.size() > 1 && (year < s.horizon.start_year || year > s.horizon.end_year)) {
        warning(w, what + " has a value for " + std::to_string(year) + ", outside the horizon " +
                       std::to_string(s.horizon.start_year) + "-" + std::to_string(s.horizon.end_year),
                "it only shapes interpolation; extend the horizon to see that year");
      }
    }
  }

  void run() {
    const Horizon& h = s.horizon;
    if (h.start_year != 0 && h.end_year != 0 && h.end_year < h.start_year) {
      error(h.where, "horizon ends (" + std::to_string(h.end_year) + ") before it starts (" +
                         std::to_string(h.start_year) + ")",
            "end is inclusive: {start: 2030, end: 2030} is one year");
    }
    if (s.nodes.empty()) {
      error(h.where.file.empty() ? SourceLocation{s.file} : SourceLocation{h.where.file, 1, 1},
            "scenario has no nodes", "add nodes and pipelines; see scenarios/minimal.yaml");
    }
    duplicates(s.nodes, "node");
    duplicates(s.pipelines, "pipeline");
    duplicates(s.routes, "route");
    std::map<std::string, const Node*> node_by_id;
    for (const Node& n : s.nodes) node_by_id.emplace(n.id, &n);
    std::map<std::string, const Pipeline*> pipe_by_id;
    for (const Pipeline& p : s.pipelines) pipe_by_id.emplace(p.id, &p);
    const std::vector<std::string> node_ids = ids(s.nodes), pipe_ids = ids(s.pipelines);

    for (const Node& n : s.nodes) {
      const std::string what = std::string(node_kind_name(n.kind)) + " '" + n.id + "'";
      non_negative(n.capacity, n.capacity_where, "capacity of " + what);
      non_negative(n.demand, n.demand_where, "demand of " + what);
      in_horizon(n.capacity, n.capacity_where, "capacity of " + what);
      in_horizon(n.demand, n.demand_where, "demand of " + what);
      if (n.cost < 0.0) error(n.where, "cost of " + what + " must not be negative");
      if (!n.profile.empty()) {
        double sum = 0.0;
        bool negative = false;
        for (double w : n.profile) sum += w, negative |= w < 0.0;
        if (n.profile.size() != 12 || negative || !(sum > 0.0)) {
          error(n.profile_where,
                "profile of " + what + " must hold 12 non-negative monthly weights with a positive sum, got " +
                    std::to_string(n.profile.size()) + " values",
                "list one weight per month, January first");
        }
      }
    }
    for (const Pipeline& p : s.pipelines) {
      const std::string what = "pipeline '" + p.id + "'";
      const Node* ends[2] = {nullptr, nullptr};
      const std::string* names[2] = {&p.from, &p.to};
      const SourceLocation* wheres[2] = {&p.from_where, &p.to_where};
      for (int k = 0; k < 2; ++k) {
        if (names[k]->empty()) continue;  // the loader reported it
        auto it = node_by_id.find(*names[k]);
        if (it == node_by_id.end()) {
          error(*wheres[k], what + " refers to unknown node '" + *names[k] + "'",
                did_you_mean(*names[k], node_ids));
        } else {
          ends[k] = it->second;
        }
      }
      if (!p.from.empty() && p.from == p.to) {
        error(p.to_where, what + " runs from node '" + p.from + "' to itself",
              "a pipeline joins two different nodes");
      }
      for (int k = 0; k < 2; ++k) {
        if (ends[k] && ends[k]->commodity != p.commodity) {
          error(*wheres[k],
                what + " carries " + std::string(commodity_name(p.commodity)) + " but node '" +
                    ends[k]->id + "' is " + std::string(commodity_name(ends[k]->commodity)),
                "set 'commodity' on the node or the pipeline so that they agree");
        }
      }
      non_negative(p.capacity, p.capacity_where, "capacity of " + what);
      in_horizon(p.capacity, p.capacity_where, "capacity of " + what);
      for (const auto& [year, a] : p.availability.points) {
        (void)year;
        if (a < 0.0 || a > 1.0) {
          error(p.availability_where, "availability of " + what + " must lie in [0, 1]",
                "write a fraction such as 0.95 or 95 %");
        }
      }
      for (double r : p.ramp_up) {
        if (r < 0.0 || r > 1.0) {
          error(p.ramp_where, "ramp_up of " + what + " must hold fractions in [0, 1]",
                "list the share of capacity for each year after online, e.g. [0.2, 0.5, 0.8]");
          break;
        }
      }
      if (!p.ramp_up.empty() && !p.online) {
        error(p.ramp_where, what + " has a ramp_up but no 'online' date to count from",
              "add 'online: <year>'");
      }
      if (p.tariff < 0.0) error(p.tariff_where, "tariff of " + what + " must not be negative");
      if (p.length_km && *p.length_km < 0.0) error(p.where, "length of " + what + " must not be negative");
      if (p.diameter_mm && *p.diameter_mm <= 0.0) error(p.where, "diameter of " + what + " must be positive");
      if (p.online && p.retire &&
          std::pair(p.retire->year, p.retire->month) <= std::pair(p.online->year, p.online->month)) {
        error(p.retire_where, what + " retires before it comes online",
              "'retire' is the first period out of service; it must follow 'online'");
      }
      // An online date before the horizon is an existing pipeline; the events that matter
      // are those that make a pipeline absent from the whole horizon.
      if (p.online && h.start_year != 0 && p.online->year > h.end_year) {
        warning(p.online_where,
                what + " comes online in " + std::to_string(p.online->year) +
                    ", after the horizon ends in " + std::to_string(h.end_year),
                "it carries nothing in this run; check the date or extend the horizon");
      }
      if (p.retire && h.start_year != 0 && p.retire->year < h.start_year) {
        warning(p.retire_where,
                what + " retires in " + std::to_string(p.retire->year) +
                    ", before the horizon starts in " + std::to_string(h.start_year),
                "it carries nothing in this run; check the date or remove the pipeline");
      }
    }
    for (const Route& r : s.routes) {
      const std::string what = "route '" + r.id + "'";
      std::vector<const Pipeline*> path;
      for (std::size_t k = 0; k < r.pipelines.size(); ++k) {
        auto it = pipe_by_id.find(r.pipelines[k]);
        if (it == pipe_by_id.end()) {
          error(r.pipeline_where[k], what + " refers to unknown pipeline '" + r.pipelines[k] + "'",
                did_you_mean(r.pipelines[k], pipe_ids));
          path.clear();
          break;
        }
        path.push_back(it->second);
      }
      if (path.empty()) continue;
      // Walk the path: each pipeline must continue from the node the previous one reached.
      std::string at;
      std::set<std::string> visited;
      for (std::size_t k = 0; k < path.size(); ++k) {
        const Pipeline& p = *path[k];
        if (p.commodity != path[0]->commodity) {
          error(r.pipeline_where[k], what + " mixes gas and oil pipelines", "a route carries one commodity");
          break;
        }
        std::string next;
        if (k == 0) {
          // Orient the first pipeline towards the second (or from -> to alone).
          const Pipeline* second = path.size() > 1 ? path[1] : nullptr;
          const bool reversed = second && (p.from == second->from || p.from == second->to) &&
                                !(p.to == second->from || p.to == second->to);
          at = reversed ? p.to : p.from;
          next = reversed ? p.from : p.to;
          if (reversed && !p.bidirectional) {
            error(r.pipeline_where[k], what + " runs pipeline '" + p.id + "' against its direction",
                  "make the pipeline bidirectional or reverse the route");
          }
          visited.insert(at);
        } else if (p.from == at) {
          next = p.to;
        } else if (p.to == at && p.bidirectional) {
          next = p.from;
        } else {
          error(r.pipeline_where[k],
                what + " is not a path: pipeline '" + p.id + "' (" + p.from + " -> " + p.to +
                    ") does not continue from node '" + at + "'",
                "list the pipelines in order along the route");
          break;
        }
        if (!visited.insert(next).second) {
          error(r.pipeline_where[k], what + " is not a path: it visits node '" + next + "' twice",
                "a route runs from one end to the other without loops");
          break;
        }
        at = next;
      }
      if (!r.meter.empty() &&
          std::find(r.pipelines.begin(), r.pipelines.end(), r.meter) == r.pipelines.end()) {
        error(r.meter_where, what + " meters on pipeline '" + r.meter + "', which is not on the route",
              did_you_mean(r.meter, r.pipelines));
      }
    }
    if (has_errors(out)) return;  // reachability needs valid references
    for (int d : unreachable_demand_nodes(s)) {
      const Node& n = s.nodes[d];
      warning(n.where, "demand node '" + n.id + "' cannot be reached from any " +
                           std::string(commodity_name(n.commodity)) + " supply in any year",
              "connect it with a pipeline, or its whole demand will be shortfall");
    }
  }
};

}  // namespace

std::vector<Diagnostic> validate(const Scenario& s) {
  Checker c{s, {}};
  c.run();
  return std::move(c.out);
}

}  // namespace corridor
