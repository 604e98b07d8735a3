#pragma once
// A YAML document as plain data with a source location on every node and key. yaml-cpp's
// marks carry no file name and its nodes are shared handles; this tree is what `extends:` and
// `alternatives:` merge, what `corridor resolve` prints, and what scenario_build.cpp reads.
#include <memory>
#include <string>
#include <vector>

#include "corridor/diagnostics.h"
#include "corridor/scenario.h"

namespace corridor {

/// Where a node or key is: a SourceLocation whose file name is shared by every node of the file
/// rather than copied into each, since a file may hold millions of nodes.
struct RawWhere {
  std::shared_ptr<const std::string> file;
  int line = 0;  ///< 1-based; 0 when unknown
  int col = 0;   ///< 1-based; 0 when unknown

  operator SourceLocation() const { return {file ? *file : std::string(), line, col}; }
};

struct RawNode {
  enum class Kind { Null, Scalar, Sequence, Map };
  struct Entry;

  Kind kind = Kind::Null;
  std::string scalar;
  std::vector<Entry> map;  // in document order
  std::vector<RawNode> seq;
  RawWhere where;

  bool is_map() const { return kind == Kind::Map; }
  bool is_seq() const { return kind == Kind::Sequence; }
  bool is_scalar() const { return kind == Kind::Scalar; }
  const RawNode* find(std::string_view key) const;
  RawNode* find(std::string_view key);
  const Entry* find_entry(std::string_view key) const;
};

struct RawNode::Entry {
  std::string key;
  RawWhere key_where;
  RawNode value;
};

/// Converts one resolved case tree into a Scenario, checking the schema (keys, types, units).
/// Appends every problem to `diags`.
Scenario build_scenario(const RawNode& root, const std::string& file, const std::string& name,
                        const std::string& case_name, std::vector<Diagnostic>& diags);

}  // namespace corridor
