// GasLib .net/.scn reader (gaslib.h). pugixml is used here only.
#include "corridor/gaslib.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <pugixml.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "corridor/diagnostics.h"

namespace corridor {

namespace {

/// One XML file: its text (for line:col of offsets) and its DOM.
struct XmlFile {
  std::string path;
  std::string text;
  pugi::xml_document doc;

  SourceLocation where(std::ptrdiff_t offset) const {
    SourceLocation loc{path, 0, 0};
    if (offset < 0) return loc;
    const std::size_t end = std::min<std::size_t>(static_cast<std::size_t>(offset), text.size());
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < end; ++i)
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    loc.line = line;
    loc.col = static_cast<int>(end - line_start) + 1;
    return loc;
  }
  /// pugixml's offset_debug points at the element name; step back to its '<'.
  SourceLocation where(const pugi::xml_node& n) const {
    std::ptrdiff_t off = n.offset_debug();
    if (off > 0 && static_cast<std::size_t>(off) <= text.size() && text[off - 1] == '<') --off;
    return where(off);
  }
};

[[noreturn]] void error(SourceLocation where, std::string message, std::string hint = "") {
  throw InputError(
      {Diagnostic{Severity::Error, std::move(where), std::move(message), std::move(hint)}});
}

void load(XmlFile& f, const std::filesystem::path& path) {
  f.path = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) error({f.path, 0, 0}, "cannot open the file", "check the path and permissions");
  std::ostringstream ss;
  ss << in.rdbuf();
  f.text = ss.str();
  const pugi::xml_parse_result r =
      f.doc.load_buffer(f.text.data(), f.text.size(), pugi::parse_default, pugi::encoding_auto);
  if (!r)
    error(f.where(r.offset), std::string("malformed XML: ") + r.description(),
          "check that the file is a complete GasLib XML file");
}

/// Element name without a namespace prefix ("framework:nodes" -> "nodes").
std::string_view local_name(const pugi::xml_node& n) {
  std::string_view s = n.name();
  const auto colon = s.find(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& n, std::string_view name) {
  for (pugi::xml_node c : n.children())
    if (local_name(c) == name) return c;
  return {};
}

double parse_number(const XmlFile& f, const pugi::xml_node& n, std::string_view attr) {
  const pugi::xml_attribute a = n.attribute(std::string(attr).c_str());
  if (!a)
    error(f.where(n),
          "<" + std::string(n.name()) + "> has no '" + std::string(attr) + "' attribute");
  std::string_view s = a.value();
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v) || s.empty())
    error(f.where(n), "<" + std::string(n.name()) + "> " + std::string(attr) + "=\"" +
                          std::string(a.value()) + "\" is not a finite number");
  return v;
}

/// A value element <name value=".." unit=".."/> converted to SI by a unit table. `fallback`
/// is the unit assumed when the attribute is missing (GasLib-24's heights); empty: required.
double value_in(const XmlFile& f, const pugi::xml_node& n,
                const std::vector<std::pair<std::string_view, std::pair<double, double>>>& units,
                std::string_view fallback = "") {
  const double v = parse_number(f, n, "value");
  std::string unit = n.attribute("unit").value();
  if (unit.empty()) unit = std::string(fallback);
  std::vector<std::string> names;
  for (const auto& [name, factor_offset] : units) {
    names.emplace_back(name);
    if (name == unit) return v * factor_offset.first + factor_offset.second;
  }
  if (unit.empty())
    error(f.where(n), "<" + std::string(n.name()) + "> has no unit", did_you_mean("", names));
  error(f.where(n), "<" + std::string(n.name()) + "> has unknown unit '" + unit + "'",
        did_you_mean(unit, names));
}

// Unit tables: name -> (factor, offset) to SI.
const std::vector<std::pair<std::string_view, std::pair<double, double>>> kLength = {
    {"m", {1.0, 0.0}}, {"meter", {1.0, 0.0}}, {"km", {1e3, 0.0}}, {"mm", {1e-3, 0.0}}};
const std::vector<std::pair<std::string_view, std::pair<double, double>>> kPressure = {
    {"bar", {kPascalPerBar, 0.0}},
    {"barg", {kPascalPerBar, kNormalPressurePa}},
    {"kPa", {1e3, 0.0}},
    {"MPa", {1e6, 0.0}},
    {"Pa", {1.0, 0.0}}};
const std::vector<std::pair<std::string_view, std::pair<double, double>>> kFlow = {
    {"1000m_cube_per_hour", {1000.0, 0.0}}};  // to normal m3/h
const std::vector<std::pair<std::string_view, std::pair<double, double>>> kTemperature = {
    {"Celsius", {1.0, kKelvinAtZeroCelsius}}, {"K", {1.0, 0.0}}};
const std::vector<std::pair<std::string_view, std::pair<double, double>>> kMolarMass = {
    {"kg_per_kmol", {1e-3, 0.0}}, {"g_per_mol", {1e-3, 0.0}}};
const std::vector<std::pair<std::string_view, std::pair<double, double>>> kHeatingValue = {
    {"MJ_per_m_cube", {1e6, 0.0}}};
const std::vector<std::pair<std::string_view, std::pair<double, double>>> kDensity = {
    {"kg_per_m_cube", {1.0, 0.0}}};
const std::vector<std::pair<std::string_view, std::pair<double, double>>> kNone = {
    {"", {1.0, 0.0}}};

/// Source gas data as stated (NaN when not stated).
struct SourceGas {
  double molar_mass = NAN, pc = NAN, tc = NAN, density = NAN, hv = NAN, temperature = NAN;
  double cp_a = NAN, cp_b = NAN, cp_c = NAN;
};

double optional_value(const XmlFile& f, const pugi::xml_node& n, std::string_view name,
                      const std::vector<std::pair<std::string_view, std::pair<double, double>>>& u,
                      std::string_view fallback = "") {
  const pugi::xml_node c = child(n, name);
  return c ? value_in(f, c, u, fallback) : NAN;
}

}  // namespace

std::vector<int> gaslib_sources(const GasLibInstance& instance) {
  std::vector<int> s;
  for (int v = 0; v < static_cast<int>(instance.node_kind.size()); ++v)
    if (instance.node_kind[v] == GasLibNodeKind::Source) s.push_back(v);
  return s;
}

GasLibInstance read_gaslib(const std::filesystem::path& net_file,
                           const std::filesystem::path& scn_file) {
  XmlFile net, scn;
  load(net, net_file);
  load(scn, scn_file);
  GasLibInstance out;
  HydraulicNetwork& hn = out.network;

  const pugi::xml_node root = net.doc.document_element();
  if (local_name(root) != "network")
    error(net.where(root),
          "expected a GasLib network (<network>), found <" + std::string(root.name()) + ">",
          "the first file must be the .net, the second the .scn");
  if (pugi::xml_node info = child(root, "information"))
    if (pugi::xml_node title = child(info, "title")) out.title = title.text().get();

  std::map<std::string, int, std::less<>> index;
  std::vector<std::string> ids;
  std::vector<SourceGas> gas_of;  // per node (only sources filled)
  const pugi::xml_node nodes = child(root, "nodes");
  if (!nodes) error(net.where(root), "the network has no <framework:nodes>");
  for (pugi::xml_node n : nodes.children()) {
    if (n.type() != pugi::node_element) continue;
    const std::string_view kind = local_name(n);
    GasLibNodeKind k;
    if (kind == "source") {
      k = GasLibNodeKind::Source;
    } else if (kind == "sink") {
      k = GasLibNodeKind::Sink;
    } else if (kind == "innode") {
      k = GasLibNodeKind::Innode;
    } else {
      error(net.where(n), "unknown node element <" + std::string(n.name()) + ">",
            "expected <source>, <sink> or <innode>");
    }
    HydraulicNode node;
    node.id = n.attribute("id").value();
    if (node.id.empty()) error(net.where(n), "a node has no id");
    if (index.count(node.id)) error(net.where(n), "duplicate node id '" + node.id + "'");
    if (pugi::xml_node h = child(n, "height")) node.height_m = value_in(net, h, kLength, "m");
    if (pugi::xml_node p = child(n, "pressureMin"))
      node.pressure_min_pa = value_in(net, p, kPressure);
    if (pugi::xml_node p = child(n, "pressureMax"))
      node.pressure_max_pa = value_in(net, p, kPressure);
    SourceGas g;
    if (k == GasLibNodeKind::Source) {
      g.molar_mass = optional_value(net, n, "molarMass", kMolarMass);
      g.pc = optional_value(net, n, "pseudocriticalPressure", kPressure);
      g.tc = optional_value(net, n, "pseudocriticalTemperature", kTemperature);
      g.density = optional_value(net, n, "normDensity", kDensity);
      g.hv = optional_value(net, n, "calorificValue", kHeatingValue);
      g.temperature = optional_value(net, n, "gasTemperature", kTemperature);
      for (auto [name, slot] : {std::pair{"coefficient-A-heatCapacity", &g.cp_a},
                                std::pair{"coefficient-B-heatCapacity", &g.cp_b},
                                std::pair{"coefficient-C-heatCapacity", &g.cp_c}})
        if (pugi::xml_node c = child(n, name)) *slot = parse_number(net, c, "value");
    }
    index.emplace(node.id, static_cast<int>(hn.nodes.size()));
    ids.push_back(node.id);
    hn.nodes.push_back(std::move(node));
    out.node_kind.push_back(k);
    gas_of.push_back(g);
  }
  auto node_ref = [&](const pugi::xml_node& e, const char* attr) {
    const std::string id = e.attribute(attr).value();
    const auto it = index.find(id);
    if (it == index.end())
      error(net.where(e),
            "<" + std::string(e.name()) + " id=\"" + e.attribute("id").value() + "\"> " + attr +
                "=\"" + id + "\" is not a node",
            did_you_mean(id, ids));
    return it->second;
  };
  bool station_internals = false, fuel_vertex = false, regulator_limits = false;
  const pugi::xml_node conns = child(root, "connections");
  if (!conns) error(net.where(root), "the network has no <framework:connections>");
  for (pugi::xml_node e : conns.children()) {
    if (e.type() != pugi::node_element) continue;
    const std::string_view kind = local_name(e);
    const std::string id = e.attribute("id").value();
    if (id.empty()) error(net.where(e), "a connection has no id");
    const int from = node_ref(e, "from");
    const int to = node_ref(e, "to");
    auto need = [&](std::string_view name) {
      const pugi::xml_node c = child(e, name);
      if (!c)
        error(net.where(e), "<" + std::string(e.name()) + " id=\"" + id + "\"> has no <" +
                                std::string(name) + ">");
      return c;
    };
    if (kind == "pipe") {
      HydraulicPipe p;
      p.id = id;
      p.from = from;
      p.to = to;
      p.length_m = value_in(net, need("length"), kLength);
      p.diameter_m = value_in(net, need("diameter"), kLength);
      p.roughness_m = value_in(net, need("roughness"), kLength);
      if (pugi::xml_node m = child(e, "pressureMax"))
        p.max_pressure_pa = value_in(net, m, kPressure);
      hn.pipes.push_back(std::move(p));
    } else if (kind == "shortPipe" || kind == "valve") {
      hn.valves.push_back({id, from, to, true});
    } else if (kind == "resistor") {
      HydraulicResistor r;
      r.id = id;
      r.from = from;
      r.to = to;
      r.drag_factor = parse_number(net, need("dragFactor"), "value");
      r.diameter_m = value_in(net, need("diameter"), kLength);
      hn.resistors.push_back(std::move(r));
    } else if (kind == "controlValve") {
      HydraulicRegulator r;
      r.id = id;
      r.from = from;
      r.to = to;
      r.mode = StationMode::Closed;
      if (pugi::xml_node m = child(e, "pressureInMin"))
        r.inlet_pressure_min_pa = value_in(net, m, kPressure);
      regulator_limits = regulator_limits || child(e, "pressureDifferentialMax") ||
                         child(e, "pressureLossIn") || child(e, "pressureOutMax");
      hn.regulators.push_back(std::move(r));
    } else if (kind == "compressorStation") {
      HydraulicCompressor c;
      c.id = id;
      c.from = from;
      c.to = to;
      c.mode = StationMode::Closed;
      if (pugi::xml_node m = child(e, "pressureInMin"))
        c.inlet_pressure_min_pa = value_in(net, m, kPressure);
      if (pugi::xml_node m = child(e, "pressureOutMax"))
        c.outlet_pressure_max_pa = value_in(net, m, kPressure);
      station_internals = station_internals || child(e, "dragFactorIn") ||
                          child(e, "dragFactorOut") || child(e, "pressureLossIn") ||
                          child(e, "pressureLossOut");
      fuel_vertex = fuel_vertex || e.attribute("fuelGasVertex");
      hn.compressors.push_back(std::move(c));
    } else {
      error(net.where(e), "unsupported connection <" + std::string(e.name()) + ">",
            "supported: pipe, shortPipe, valve, resistor, controlValve, compressorStation");
    }
  }

  // The nomination.
  const pugi::xml_node sroot = scn.doc.document_element();
  if (local_name(sroot) != "boundaryValue")
    error(
        scn.where(sroot),
        "expected a GasLib nomination (<boundaryValue>), found <" + std::string(sroot.name()) + ">",
        "the second file must be the .scn");
  const pugi::xml_node scenario = child(sroot, "scenario");
  if (!scenario) error(scn.where(sroot), "the nomination has no <scenario>");
  out.scenario_id = scenario.attribute("id").value();
  int scenarios = 0;
  for (pugi::xml_node c : sroot.children()) scenarios += local_name(c) == "scenario";
  if (scenarios > 1)
    out.notes.push_back("the .scn holds more than one scenario; the first, '" + out.scenario_id +
                        "', is used");
  out.nominated_1000m3_per_h.assign(hn.nodes.size(), 0.0);
  std::vector<char> nominated(hn.nodes.size(), 0);
  for (pugi::xml_node n : scenario.children()) {
    if (n.type() != pugi::node_element) continue;
    if (local_name(n) != "node") continue;  // e.g. <pipe> soil temperatures: isothermal model
    const std::string id = n.attribute("id").value();
    const auto it = index.find(id);
    if (it == index.end())
      error(scn.where(n), "nomination for unknown node '" + id + "'", did_you_mean(id, ids));
    const int v = it->second;
    const std::string type = n.attribute("type").value();
    if (type != "entry" && type != "exit")
      error(scn.where(n), "node type '" + type + "' is neither 'entry' nor 'exit'");
    std::optional<double> lo, hi;
    for (pugi::xml_node b : n.children()) {
      if (b.type() != pugi::node_element) continue;
      const std::string_view what = local_name(b);
      const std::string bound = b.attribute("bound").value();
      if (bound != "lower" && bound != "upper" && bound != "both")
        error(scn.where(b), "bound '" + bound + "' is not lower, upper or both");
      if (what == "flow") {
        const double q = value_in(scn, b, kFlow) / 1000.0;  // back to 1000 m3/h
        if (bound != "upper") lo = q;
        if (bound != "lower") hi = q;
      } else if (what == "pressure") {
        const double p = value_in(scn, b, kPressure);
        auto& node = hn.nodes[v];
        if (bound != "upper") node.pressure_min_pa = std::max(node.pressure_min_pa, p);
        if (bound != "lower") node.pressure_max_pa = std::min(node.pressure_max_pa, p);
      } else {
        error(scn.where(b), "unknown nomination element <" + std::string(b.name()) + ">",
              "expected <flow> or <pressure>");
      }
    }
    if (!lo || !hi) error(scn.where(n), "node '" + id + "' has no nominated flow");
    if (*lo != *hi)
      error(scn.where(n), "node '" + id + "' has a flow range, not a nomination",
            "a simulation needs one value: give lower = upper (or bound=\"both\")");
    out.nominated_1000m3_per_h[v] = type == "entry" ? *lo : -*lo;
    nominated[v] = 1;
  }

  // The gas: the mix of the sources weighted by nominated inflow (see gaslib.h).
  GasProperties gas;  // GasLib-11's gas by default
  const GasProperties defaults;
  double weight = 0.0;
  double m = 0, pc = 0, tc = 0, rho = 0, hv = 0, t = 0, ca = 0, cb = 0, cc = 0, tw = 0, cw = 0;
  bool any_stated = false, all_stated = true, disagree = false;
  std::optional<SourceGas> first;
  std::vector<int> srcs = gaslib_sources(out);
  double total_in = 0.0;
  for (int s : srcs) total_in += std::max(0.0, out.nominated_1000m3_per_h[s]);
  for (int s : srcs) {
    const double w = total_in > 0 ? std::max(0.0, out.nominated_1000m3_per_h[s]) : 1.0;
    const SourceGas& g = gas_of[s];
    const bool stated = !std::isnan(g.molar_mass);
    any_stated = any_stated || stated;
    all_stated = all_stated && stated;
    if (first && stated && !std::isnan(first->molar_mass) &&
        (first->molar_mass != g.molar_mass || first->pc != g.pc || first->tc != g.tc))
      disagree = true;
    if (!first && stated) first = g;
    auto pick = [](double v, double d) { return std::isnan(v) ? d : v; };
    m += w * pick(g.molar_mass, defaults.molar_mass_kg_per_mol);
    pc += w * pick(g.pc, defaults.pseudo_critical_pressure_pa);
    tc += w * pick(g.tc, defaults.pseudo_critical_temperature_k);
    rho += w * pick(g.density, std::isnan(g.molar_mass) ? defaults.normal_density_kg_per_m3 : NAN);
    hv += w * pick(g.hv, defaults.heating_value_j_per_m3);
    if (!std::isnan(g.temperature)) {
      t += w * g.temperature;
      tw += w;
    }
    if (!std::isnan(g.cp_a) && !std::isnan(g.cp_b) && !std::isnan(g.cp_c)) {
      ca += w * g.cp_a;
      cb += w * g.cp_b;
      cc += w * g.cp_c;
      cw += w;
    }
    weight += w;
  }
  if (weight > 0) {
    gas.molar_mass_kg_per_mol = m / weight;
    gas.pseudo_critical_pressure_pa = pc / weight;
    gas.pseudo_critical_temperature_k = tc / weight;
    gas.heating_value_j_per_m3 = hv / weight;
    // Normal density: stated, else ideal gas from the molar mass at 0 °C, 1.01325 bar.
    gas.normal_density_kg_per_m3 = std::isnan(rho)
                                       ? kNormalPressurePa * gas.molar_mass_kg_per_mol /
                                             (kGasConstantJPerMolK * kNormalTemperatureK)
                                       : rho / weight;
    if (tw > 0) gas.temperature_k = t / tw;
    if (cw > 0) {
      const double T = gas.temperature_k;
      const double cp = (ca + cb * T + cc * T * T) / cw;  // J/(mol K)
      gas.isentropic_exponent = cp / (cp - kGasConstantJPerMolK);
    }
  }
  hn.gas = gas;
  {
    std::ostringstream os;
    os.precision(6);
    os << "gas: ";
    if (!any_stated)
      os << "no source states its composition; GasLib-11's gas is used (M = "
         << gas.molar_mass_kg_per_mol * 1e3
         << " kg/kmol, p_c = " << gas.pseudo_critical_pressure_pa / 1e5
         << " bar, T_c = " << gas.pseudo_critical_temperature_k << " K, normal density "
         << gas.normal_density_kg_per_m3 << " kg/m3)";
    else
      os << (disagree ? "the sources disagree; " : "")
         << "mix weighted by nominated inflow: M = " << gas.molar_mass_kg_per_mol * 1e3
         << " kg/kmol, p_c = " << gas.pseudo_critical_pressure_pa / 1e5
         << " bar, T_c = " << gas.pseudo_critical_temperature_k << " K, normal density "
         << gas.normal_density_kg_per_m3 << " kg/m3"
         << (all_stated ? "" : " (unstated sources take GasLib-11's gas)");
    // Rounded to a micro-kelvin, and + 0.0 turns a -0 into 0.
    const double celsius = std::round((gas.temperature_k - kKelvinAtZeroCelsius) * 1e6) / 1e6 + 0.0;
    os << "; T = " << celsius << " °C, kappa = " << gas.isentropic_exponent;
    out.notes.push_back(os.str());
  }
  if (station_internals)
    out.notes.push_back(
        "compressor stations' inlet/outlet resistances (dragFactorIn/Out, pressureLossIn/Out) "
        "are not modelled: station inlet and outlet pressures are those of its nodes");
  if (fuel_vertex)
    out.notes.push_back("fuel gas is reported per station, not withdrawn at its fuelGasVertex");
  if (regulator_limits)
    out.notes.push_back(
        "control valves hold an outlet set point; their pressure-differential limits and "
        "inlet/outlet losses are not modelled");
  if (!hn.valves.empty())
    out.notes.push_back("valves and short pipes are open (the .net/.scn set no valve state)");

  // Injections in kg/s.
  for (std::size_t v = 0; v < hn.nodes.size(); ++v)
    hn.nodes[v].injection_kg_per_s =
        normal_volume_to_mass(gas, out.nominated_1000m3_per_h[v] * 1000.0 / kSecondsPerHour);
  return out;
}

}  // namespace corridor
