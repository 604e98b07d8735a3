// The only user of yaml-cpp: YAML text -> RawNode trees, `extends:` and `alternatives:`
// merging, and the resolved YAML that `corridor resolve` prints.
#include "corridor/scenario_io.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "corridor/sha256.h"
#include "corridor/validate.h"
#include "raw_tree.h"

namespace corridor {

const RawNode::Entry* RawNode::find_entry(std::string_view key) const {
  for (const Entry& e : map) {
    if (e.key == key) return &e;
  }
  return nullptr;
}
const RawNode* RawNode::find(std::string_view key) const {
  const Entry* e = find_entry(key);
  return e ? &e->value : nullptr;
}
RawNode* RawNode::find(std::string_view key) {
  for (Entry& e : map) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxNodes = 2'000'000;  // bounds alias expansion ("billion laughs")
constexpr int kMaxDepth = 64;
constexpr const char* kEntityLists[] = {"nodes", "pipelines", "routes"};

Diagnostic error_at(const SourceLocation& where, std::string message, std::string hint = {}) {
  return {Severity::Error, where, std::move(message), std::move(hint)};
}

SourceLocation location(const std::string& file, const YAML::Mark& m) {
  if (m.is_null()) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

struct Converter {
  const std::string& file;
  std::vector<Diagnostic>& diags;
  std::size_t count = 0;
  bool aborted = false;

  RawNode convert(const YAML::Node& n, int depth) {
    RawNode out;
    out.where = location(file, n.Mark());
    if (aborted) return out;
    if (++count > kMaxNodes || depth > kMaxDepth) {
      diags.push_back(error_at(
          out.where,
          count > kMaxNodes ? "document expands to more than " + std::to_string(kMaxNodes) +
                                  " YAML nodes (aliases expand in place)"
                            : "YAML nested deeper than " + std::to_string(kMaxDepth) + " levels",
          "a scenario needs only a few levels; check for runaway aliases or nesting"));
      aborted = true;
      return out;
    }
    switch (n.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        out.kind = RawNode::Kind::Null;
        break;
      case YAML::NodeType::Scalar:
        out.kind = RawNode::Kind::Scalar;
        out.scalar = n.Scalar();
        break;
      case YAML::NodeType::Sequence:
        out.kind = RawNode::Kind::Sequence;
        for (const YAML::Node& item : n) out.seq.push_back(convert(item, depth + 1));
        break;
      case YAML::NodeType::Map:
        out.kind = RawNode::Kind::Map;
        for (const auto& kv : n) {
          const SourceLocation key_where = location(file, kv.first.Mark());
          if (!kv.first.IsScalar()) {
            diags.push_back(error_at(key_where, "map keys must be plain names or years"));
            continue;
          }
          const std::string key = kv.first.Scalar();
          if (const RawNode::Entry* first = out.find_entry(key)) {
            diags.push_back(error_at(key_where, "duplicate key '" + key + "'",
                                     "first given at line " +
                                         std::to_string(first->key_where.line) +
                                         "; each key may appear once per map"));
            continue;
          }
          RawNode value = convert(kv.second, depth + 1);
          // yaml-cpp marks an empty value at the token after it; the key is where the user looks.
          if (value.kind == RawNode::Kind::Null) value.where = key_where;
          out.map.push_back({key, key_where, std::move(value)});
        }
        break;
    }
    return out;
  }
};

/// Reads and parses one file; appends problems to `diags`.
RawNode parse_file(const std::string& path, const SourceLocation& asked_from, std::string& bytes,
                   std::vector<Diagnostic>& diags) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    if (asked_from.file.empty()) {
      diags.push_back(error_at({path}, "cannot read scenario file '" + path + "': no such file",
                               "check the path"));
    } else {
      diags.push_back(error_at(asked_from, "cannot read parent file '" + path + "': no such file",
                               "'extends' paths are relative to the file that has them"));
    }
    return {};
  }
  if (!fs::is_regular_file(status)) {
    diags.push_back(error_at(asked_from.file.empty() ? SourceLocation{path} : asked_from,
                             "'" + path + "' is not a regular file", "give a .yaml scenario file"));
    return {};
  }
  if (fs::file_size(path, ec) > kMaxScenarioBytes) {
    diags.push_back(error_at(
        {path}, "scenario file is larger than " + std::to_string(kMaxScenarioBytes >> 20) + " MB",
        "split the network into smaller files joined with `extends:`"));
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) {
    diags.push_back(error_at({path}, "cannot read scenario file '" + path + "'"));
    return {};
  }
  bytes = ss.str();
  if (bytes.find('\0') != std::string::npos) {
    diags.push_back(error_at({path}, "'" + path + "' is a binary file, not YAML",
                             "give a .yaml scenario file"));
    return {};
  }
  // Tabs cannot indent YAML; yaml-cpp's own message for them is cryptic, so say it plainly.
  int line = 1, col = 1;
  bool at_indent = true;
  for (char ch : bytes) {
    if (ch == '\n') {
      ++line, col = 1, at_indent = true;
      continue;
    }
    if (ch == '\t' && at_indent) {
      diags.push_back(error_at({path, line, col}, "tab character in indentation",
                               "YAML indents with spaces; replace tabs with spaces"));
      return {};
    }
    if (ch != ' ' && ch != '-') at_indent = false;
    ++col;
  }
  YAML::Node doc;
  try {
    doc = YAML::Load(bytes);
  } catch (const YAML::Exception& e) {
    diags.push_back(error_at(location(path, e.mark), "YAML syntax error: " + e.msg,
                             "check indentation, colons and quotes near this position"));
    return {};
  }
  Converter conv{path, diags};
  RawNode root = conv.convert(doc, 0);
  if (root.kind == RawNode::Kind::Null) {
    diags.push_back(
        error_at({path, 1, 1}, "scenario file is empty", "start from scenarios/minimal.yaml"));
    return {};
  }
  if (!root.is_map()) {
    diags.push_back(error_at(root.where, "a scenario file must be a map of keys",
                             "start from scenarios/minimal.yaml"));
    return {};
  }
  return root;
}

std::string entity_id(const RawNode& entity) {
  const RawNode* id = entity.is_map() ? entity.find("id") : nullptr;
  return id && id->is_scalar() ? id->scalar : std::string();
}

/// "nodes" -> "node".
std::string singular(const std::string& list) { return list.substr(0, list.size() - 1); }

/// Every entity of a list, in one file, must be a map with an id, unique within the list. A
/// repeated id is reported and its later entries dropped, so that merging and validation see
/// one entity per id (merging by id would otherwise fold the copies together silently).
void check_entity_list(const std::string& list, RawNode& seq, std::vector<Diagnostic>& diags) {
  if (seq.kind == RawNode::Kind::Null) return;  // `nodes:` with nothing is an empty list
  if (!seq.is_seq()) {
    diags.push_back(error_at(seq.where, "'" + list + "' must be a list of entities",
                             "write each entity as '- id: ...'"));
    return;
  }
  std::map<std::string, SourceLocation> seen;
  std::erase_if(seq.seq, [&](const RawNode& e) {
    const std::string id = entity_id(e);
    if (!e.is_map() || id.empty()) {
      diags.push_back(error_at(e.where, "each entry of '" + list + "' needs an 'id'",
                               "write '- id: name' and its fields"));
      return false;
    }
    const auto [it, inserted] = seen.emplace(id, e.find("id")->where);
    if (inserted) return false;
    diags.push_back(error_at(e.find("id")->where,
                             "duplicate " + singular(list) + " id '" + id + "'",
                             "first defined at line " + std::to_string(it->second.line) +
                                 "; ids must be unique per kind"));
    return true;
  });
}

void check_lists(RawNode& level, std::vector<Diagnostic>& diags) {
  for (const char* list : kEntityLists) {
    if (RawNode* seq = level.find(list)) check_entity_list(list, *seq, diags);
  }
}

/// Entities merge by id; a field given by the child replaces the parent's field whole.
void merge_entities(RawNode& into, const RawNode& child) {
  if (into.kind != RawNode::Kind::Sequence) {
    into = child;
    return;
  }
  for (const RawNode& e : child.seq) {
    const std::string id = entity_id(e);
    auto it = std::find_if(into.seq.begin(), into.seq.end(),
                           [&](const RawNode& x) { return entity_id(x) == id; });
    if (id.empty() || it == into.seq.end()) {
      into.seq.push_back(e);
      continue;
    }
    for (const RawNode::Entry& field : e.map) {
      if (RawNode* existing = it->find(field.key)) {
        *existing = field.value;
      } else {
        it->map.push_back(field);
      }
    }
  }
}

/// Deep merge for plain maps (horizon, commodities, ...): maps merge key by key, anything else
/// in the child replaces.
void merge_plain(RawNode& into, const RawNode& child) {
  if (!into.is_map() || !child.is_map()) {
    into = child;
    return;
  }
  into.where = child.where;  // the map as a whole is last written here (e.g. an empty horizon)
  for (const RawNode::Entry& e : child.map) {
    RawNode* existing = into.find(e.key);
    if (existing && existing->is_map() && e.value.is_map()) {
      merge_plain(*existing, e.value);
    } else if (existing) {
      *existing = e.value;
    } else {
      into.map.push_back(e);
    }
  }
}

void apply_remove(RawNode& level, const RawNode& remove, std::vector<Diagnostic>& diags) {
  if (!remove.is_map()) {
    diags.push_back(error_at(remove.where, "'remove' must map entity kinds to lists of ids",
                             "write 'remove: {pipelines: [id1, id2]}'"));
    return;
  }
  for (const RawNode::Entry& kind : remove.map) {
    const bool known = std::any_of(std::begin(kEntityLists), std::end(kEntityLists),
                                   [&](const char* l) { return kind.key == l; });
    if (!known) {
      diags.push_back(error_at(kind.key_where, "unknown key '" + kind.key + "' in remove",
                               did_you_mean(kind.key, {"nodes", "pipelines", "routes"})));
      continue;
    }
    RawNode* list = level.find(kind.key);
    std::vector<std::string> ids;
    if (list && list->is_seq()) {
      for (const RawNode& e : list->seq) ids.push_back(entity_id(e));
    }
    const std::vector<RawNode> wanted =
        kind.value.is_seq() ? kind.value.seq : std::vector<RawNode>{kind.value};
    for (const RawNode& id : wanted) {
      if (!id.is_scalar()) {
        diags.push_back(error_at(id.where, "remove." + kind.key + " must list ids",
                                 "write 'remove: {" + kind.key + ": [id1, id2]}'"));
        continue;
      }
      if (std::find(ids.begin(), ids.end(), id.scalar) == ids.end()) {
        diags.push_back(error_at(
            id.where, "cannot remove unknown " + singular(kind.key) + " '" + id.scalar + "'",
            ids.empty() ? "there are no " + kind.key + " to remove"
                        : did_you_mean(id.scalar, ids)));
        continue;
      }
      auto& seq = list->seq;
      seq.erase(std::remove_if(seq.begin(), seq.end(),
                               [&](const RawNode& e) { return entity_id(e) == id.scalar; }),
                seq.end());
    }
  }
}

/// Merges a scenario-level map (a file over its parent, or an alternative over the base).
void merge_level(RawNode& into, const RawNode& child, std::vector<Diagnostic>& diags) {
  if (into.kind != RawNode::Kind::Map) into.kind = RawNode::Kind::Map;
  for (const RawNode::Entry& e : child.map) {
    if (e.key == "extends" || e.key == "remove") continue;
    RawNode* existing = into.find(e.key);
    const bool entity_list = std::any_of(std::begin(kEntityLists), std::end(kEntityLists),
                                         [&](const char* l) { return e.key == l; });
    if (!existing) {
      into.map.push_back(e);
    } else if (entity_list && e.value.is_seq()) {
      merge_entities(*existing, e.value);
    } else if (e.key == "alternatives" && existing->is_map() && e.value.is_map()) {
      for (const RawNode::Entry& alt : e.value.map) {
        if (RawNode* same = existing->find(alt.key); same && same->is_map() && alt.value.is_map()) {
          merge_level(*same, alt.value, diags);
        } else if (same) {
          *same = alt.value;
        } else {
          existing->map.push_back(alt);
        }
      }
    } else {
      merge_plain(*existing, e.value);
    }
  }
  if (const RawNode* remove = child.find("remove")) apply_remove(into, *remove, diags);
}

struct Loader {
  std::vector<Diagnostic> diags;
  std::vector<InputFile> inputs;
  /// A file of the chain could not be read or merged, so the tree is incomplete: anything
  /// checked on it would only report what the missing file would have supplied.
  bool incomplete = false;

  /// The file merged over its extends chain. `chain` holds the files being loaded, for cycles.
  RawNode load(const std::string& path, const SourceLocation& asked_from,
               std::vector<std::string>& chain) {
    std::error_code ec;
    const std::string canonical = fs::weakly_canonical(path, ec).string();
    if (const auto at = std::find(chain.begin(), chain.end(), canonical); at != chain.end()) {
      std::string cycle;
      for (auto it = at; it != chain.end(); ++it)
        cycle += fs::path(*it).filename().string() + " -> ";
      diags.push_back(error_at(asked_from,
                               "extends cycle: " + cycle + fs::path(path).filename().string(),
                               "a file cannot extend itself, directly or through others"));
      incomplete = true;
      return {};
    }
    std::string bytes;
    RawNode own = parse_file(path, asked_from, bytes, diags);
    if (!own.is_map()) {
      incomplete = true;
      return {};
    }
    inputs.push_back({path, sha256_hex(bytes)});
    check_lists(own, diags);
    if (RawNode* alts = own.find("alternatives"); alts && alts->is_map()) {
      for (RawNode::Entry& alt : alts->map) {
        if (alt.value.is_map()) check_lists(alt.value, diags);
      }
    }
    const RawNode* extends = own.find("extends");
    if (!extends) {
      // Nothing is inherited, so there is nothing to remove.
      if (const RawNode::Entry* remove = own.find_entry("remove")) {
        diags.push_back(error_at(remove->key_where, "'remove' in a file that extends no other file",
                                 "'remove' deletes inherited entities; delete them from the "
                                 "lists directly, or add 'extends: parent.yaml'"));
        std::erase_if(own.map, [](const RawNode::Entry& e) { return e.key == "remove"; });
      }
      return own;
    }
    if (!extends->is_scalar() || extends->scalar.empty()) {
      diags.push_back(error_at(extends->where, "'extends' must be a file path",
                               "write 'extends: base.yaml' (relative to this file)"));
      incomplete = true;
      return own;
    }
    const std::string parent_path =
        (fs::path(path).parent_path() / fs::path(extends->scalar)).lexically_normal().string();
    chain.push_back(canonical);
    RawNode merged = load(parent_path, extends->where, chain);
    chain.pop_back();
    if (!merged.is_map()) return own;
    // The parent's name and description do not carry over: they describe the parent.
    std::erase_if(merged.map, [](const RawNode::Entry& e) {
      return e.key == "name" || e.key == "description";
    });
    merge_level(merged, own, diags);
    // The child's own name and description head the resolved file, as they would in a file.
    std::stable_partition(merged.map.begin(), merged.map.end(), [](const RawNode::Entry& e) {
      return e.key == "name" || e.key == "description";
    });
    return merged;
  }
};

void emit(YAML::Emitter& out, const RawNode& n) {
  switch (n.kind) {
    case RawNode::Kind::Null:
      out << YAML::Null;
      break;
    case RawNode::Kind::Scalar:
      out << n.scalar;
      break;
    case RawNode::Kind::Sequence: {
      const bool flat =
          std::all_of(n.seq.begin(), n.seq.end(), [](const RawNode& x) { return x.is_scalar(); });
      if (flat) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const RawNode& x : n.seq) emit(out, x);
      out << YAML::EndSeq;
      break;
    }
    case RawNode::Kind::Map: {
      out << YAML::BeginMap;
      for (const RawNode::Entry& e : n.map) {
        out << YAML::Key << e.key << YAML::Value;
        emit(out, e.value);
      }
      out << YAML::EndMap;
      break;
    }
  }
}

std::string to_yaml(const RawNode& n) {
  YAML::Emitter out;
  emit(out, n);
  return std::string(out.c_str()) + "\n";
}

struct Resolved {
  RawNode base;  ///< without `alternatives`
  std::vector<std::pair<std::string, RawNode>> cases;
  std::vector<InputFile> inputs;
  std::string name;
  RawNode whole;                  ///< with `alternatives`, for `resolve` without an alternative
  std::vector<Diagnostic> diags;  ///< problems of reading and merging; the trees are still usable
};

/// Reads and merges `path`. Throws InputError only if a file could not be read or merged;
/// other problems are returned in `diags` so that the caller can collect more before failing.
Resolved resolve(const std::string& path) {
  Loader loader;
  std::vector<std::string> chain;
  Resolved r;
  r.whole = loader.load(path, {}, chain);
  if (loader.incomplete) throw InputError(loader.diags);
  r.inputs = loader.inputs;
  r.base = r.whole;
  std::erase_if(r.base.map, [](const RawNode::Entry& e) { return e.key == "alternatives"; });
  const RawNode* name = r.whole.find("name");
  r.name = name && name->is_scalar() ? name->scalar : fs::path(path).stem().string();
  const RawNode* alts = r.whole.find("alternatives");
  if (!alts) {
    r.cases.emplace_back("base", r.base);
    r.diags = std::move(loader.diags);
    return r;
  }
  if (!alts->is_map() || alts->map.empty()) {
    loader.diags.push_back(error_at(alts->where, "'alternatives' must map names to overrides",
                                    "write 'alternatives: {status-quo: {}, delay: {...}}'"));
    throw InputError(loader.diags);
  }
  for (const RawNode::Entry& alt : alts->map) {
    RawNode body = alt.value;
    if (body.kind == RawNode::Kind::Null) body.kind = RawNode::Kind::Map;
    if (!body.is_map()) {
      loader.diags.push_back(error_at(alt.value.where,
                                      "alternative '" + alt.key + "' must be a map",
                                      "write '" + alt.key + ": {}' for no changes"));
      continue;
    }
    for (const RawNode::Entry& e : body.map) {
      if (e.key == "extends" || e.key == "alternatives" || e.key == "name") {
        loader.diags.push_back(error_at(e.key_where,
                                        "'" + e.key + "' cannot be set in an alternative",
                                        "set it at the top of the file"));
      }
    }
    RawNode c = r.base;
    merge_level(c, body, loader.diags);
    std::erase_if(c.map, [](const RawNode::Entry& e) { return e.key == "description"; });
    if (const RawNode* d = body.find("description")) c.map.push_back({"description", {}, *d});
    r.cases.emplace_back(alt.key, std::move(c));
  }
  r.diags = std::move(loader.diags);
  return r;
}

/// Appends `d` unless an identical diagnostic is already there: alternatives share most of
/// their file, and a problem in the shared part is reported once.
void add_unique(std::vector<Diagnostic>& all, const Diagnostic& d) {
  const std::string text = format_diagnostic(d);
  const bool seen = std::any_of(all.begin(), all.end(),
                                [&](const Diagnostic& x) { return format_diagnostic(x) == text; });
  if (!seen) all.push_back(d);
}

}  // namespace

LoadedScenario load_scenario(const std::string& path) {
  const Resolved r = resolve(path);
  LoadedScenario out;
  out.file = path;
  out.inputs = r.inputs;
  std::vector<Diagnostic> diags = r.diags;
  for (const auto& [case_name, tree] : r.cases) {
    std::vector<Diagnostic> case_diags;
    out.cases.push_back(build_scenario(tree, path, r.name, case_name, case_diags));
    for (const Diagnostic& d : case_diags) add_unique(diags, d);
    out.resolved_yaml += "--- # " + r.name + " / " + case_name + "\n" + to_yaml(tree);
  }
  if (!has_errors(diags)) return out;
  // The file fails anyway: add the semantic errors too, so that one run reports every problem.
  // Warnings wait for a clean load, since some (reachability) would be guesses on a partial model.
  for (const Scenario& c : out.cases) {
    for (const Diagnostic& d : validate(c)) {
      if (d.severity == Severity::Error) add_unique(diags, d);
    }
  }
  throw InputError(diags);
}

std::string resolve_scenario_yaml(const std::string& path, const std::string& alternative) {
  const Resolved r = resolve(path);
  throw_if_errors(r.diags);
  if (alternative.empty()) return to_yaml(r.whole);
  std::vector<std::string> names;
  for (const auto& [name, tree] : r.cases) {
    if (name == alternative) return to_yaml(tree);
    names.push_back(name);
  }
  const RawNode::Entry* alts = r.whole.find_entry("alternatives");
  if (!alts) {
    throw InputError({error_at({path}, "no alternative named '" + alternative + "'",
                               "the file has no 'alternatives'; it runs one case, 'base'")});
  }
  throw InputError({error_at(alts->key_where, "no alternative named '" + alternative + "'",
                             did_you_mean(alternative, names))});
}

}  // namespace corridor
