// The only user of yaml-cpp: YAML text -> RawNode trees, `extends:` and `alternatives:`
// merging, and the resolved YAML that `corridor resolve` prints.
#include "corridor/scenario_io.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "corridor/sha256.h"
#include "corridor/text.h"
#include "corridor/validate.h"
#include "raw_tree.h"

namespace corridor {
namespace {

namespace fs = std::filesystem;

// Limits on what one file may hold. They bound the time and memory of loading any input, a
// hostile one included (tests/bad/): yaml-cpp buffers up to about 135 bytes per byte of a flow
// collection in some positions, and every YAML node becomes a RawNode of about 150 bytes.
//
// kMaxScenarioBytes (scenario_io.h) is 8 MB, some 400 times the default scenario: a network of
// 50,000 pipelines and their nodes, written one entity a line, takes about 6 MB.
constexpr std::size_t kMaxNodes = 2'000'000;  // YAML nodes of a file, aliases expanded
// Nodes that aliases may add to a file in all: an alias copies its anchored node, so a few
// lines of nested aliases ("billion laughs") would otherwise expand to millions of nodes. A
// shared profile or series used a few hundred times stays far below this.
constexpr std::size_t kMaxAliasNodes = 100'000;
constexpr std::size_t kMaxDepth = 64;  // nesting of YAML collections
// Nodes of all the cases of a file together: each alternative is a copy of the whole scenario,
// so a few hundred alternatives of a large network would otherwise take minutes and gigabytes.
constexpr std::size_t kMaxCaseNodes = 2'000'000;
// Lists whose entries have ids: they merge by id over `extends:` and in alternatives, and
// `remove:` deletes entries of them.
constexpr const char* kEntityLists[] = {"nodes",    "pipelines", "routes", "contracts",
                                        "projects", "events",    "areas"};

Diagnostic error_at(const SourceLocation& where, std::string message, std::string hint = {}) {
  return {Severity::Error, where, std::move(message), std::move(hint)};
}

SourceLocation location(const std::string& file, const YAML::Mark& m) {
  if (m.is_null()) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

std::string hex_byte(unsigned char b) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  return std::string("0x") + kDigits[b >> 4] + kDigits[b & 15];
}

std::string code_point_name(char32_t cp) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out = "U+";
  for (int shift = cp > 0xFFFF ? 20 : 12; shift >= 0; shift -= 4)
    out += kDigits[(cp >> shift) & 15];
  return out;
}

/// The first character of `s` that a scenario may not hold: its byte offset, what it is
/// ("NUL byte", "invalid UTF-8 byte 0xE9", "control character U+001B"), and which kind.
/// Scenario text is UTF-8 with tabs, line breaks and printable characters only (YAML's
/// c-printable set).
struct BadChar {
  enum class Kind { Nul, NotUtf8, Control };
  std::size_t offset;
  std::string what;
  Kind kind;
};
std::optional<BadChar> first_bad_char(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const Utf8Char c = decode_utf8(s, i);  // text.h: RFC 3629, no surrogates
    if (!c.valid) {
      return BadChar{i, "invalid UTF-8 byte " + hex_byte(static_cast<unsigned char>(s[i])),
                     BadChar::Kind::NotUtf8};
    }
    if (c.code_point == 0) return BadChar{i, "NUL byte", BadChar::Kind::Nul};
    const bool line_break_or_tab =
        c.code_point == '\t' || c.code_point == '\n' || c.code_point == '\r';
    if (is_control(c.code_point) && !line_break_or_tab) {
      return BadChar{i, "control character " + code_point_name(c.code_point),
                     BadChar::Kind::Control};
    }
    i += c.length;
  }
  return std::nullopt;
}

/// Line and byte column (both 1-based, as yaml-cpp counts them) of byte `offset` of `bytes`,
/// which starts after any UTF-8 byte order mark.
SourceLocation position_of(const std::string& file, std::string_view bytes, std::size_t offset) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset && i < bytes.size(); ++i) {
    if (bytes[i] == '\n') ++line, line_start = i + 1;
  }
  return {file, line, static_cast<int>(offset - line_start) + 1};
}

/// The first flow bracket ('[' or '{') nested more than kMaxDepth deep, or npos. yaml-cpp reads a
/// whole flow collection ahead before it parses it and recurses per level, so deep brackets
/// must be refused before it sees them. This is a light tokenizer: it skips comments, quoted
/// strings and block scalars, and counts brackets only where YAML reads them as indicators.
std::size_t too_deep_flow(std::string_view s) {
  auto space = [&](std::size_t i) {
    return i >= s.size() || s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n';
  };
  auto flow_indicator = [&](std::size_t i) {
    return i < s.size() &&
           (s[i] == ',' || s[i] == '[' || s[i] == ']' || s[i] == '{' || s[i] == '}');
  };
  std::size_t depth = 0;
  bool node_start = true;  // the next non-blank character would start a node
  std::size_t line_indent = 0;
  std::optional<std::size_t> block_scalar_parent;  // indent of the line that opened `|` or `>`
  bool line_start = true;
  bool first_on_line = true;
  // A plain scalar outside brackets may go on over the next lines that are indented more than
  // plain_threshold; brackets there are text. Taking a line for a continuation when it is not
  // only leaves its brackets uncounted, and yaml-cpp's own depth limit still applies.
  bool plain_open = false;
  long plain_threshold = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (line_start) {
      line_start = false;
      std::size_t j = i;
      while (j < s.size() && s[j] == ' ') ++j;
      line_indent = j - i;
      const bool blank = j >= s.size() || s[j] == '\n' || s[j] == '\r';
      if (block_scalar_parent) {
        if (blank || line_indent > *block_scalar_parent) {  // a content line: skip it
          while (i < s.size() && s[i] != '\n') ++i;
          line_start = true;
          continue;
        }
        block_scalar_parent.reset();
      }
      if (depth == 0) {
        if (plain_open && !blank && static_cast<long>(line_indent) > plain_threshold) {
          while (i < s.size() && s[i] != '\n') ++i;
          line_start = true;
          continue;
        }
        if (!blank) plain_open = false;
        node_start = true;
      }
      first_on_line = true;
    }
    if (c == '\n') {
      line_start = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (c == '#' && (i == 0 || space(i - 1))) {  // a comment, to the end of the line
      while (i + 1 < s.size() && s[i + 1] != '\n') ++i;
      plain_open = false;
      continue;
    }
    const bool first = std::exchange(first_on_line, false);
    if (node_start && (c == '\'' || c == '"')) {  // a quoted scalar, maybe over several lines
      for (++i; i < s.size(); ++i) {
        if (c == '"' && s[i] == '\\') {
          ++i;
        } else if (s[i] == c) {
          if (c == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
            ++i;
          } else {
            break;
          }
        }
      }
      node_start = false;
      continue;
    }
    if (node_start && (c == '&' || c == '!' || c == '*')) {  // anchor, tag or alias: a word
      while (!space(i + 1) && !(depth > 0 && flow_indicator(i + 1))) ++i;
      node_start = c != '*';
      continue;
    }
    if (depth == 0) {
      if (node_start && (c == '[' || c == '{')) {
        depth = 1;
        continue;
      }
      if (node_start && (c == '|' || c == '>')) {
        block_scalar_parent = line_indent;
        while (i + 1 < s.size() && s[i + 1] != '\n') ++i;
        continue;
      }
      if (((node_start && (c == '-' || c == '?')) || c == ':') && space(i + 1)) {
        node_start = true;
        plain_open = false;  // what came before ': ' was a key
        continue;
      }
      if (node_start) {  // a plain scalar: brackets in it are text
        plain_open = true;
        plain_threshold = static_cast<long>(line_indent) - (first ? 1 : 0);
      }
      node_start = false;
      continue;
    }
    if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return i;
      node_start = true;
    } else if (c == ']' || c == '}') {
      --depth;
      node_start = false;
    } else if (c == ',' || ((c == ':' || c == '?') && (space(i + 1) || flow_indicator(i + 1)))) {
      node_start = true;
    } else {
      node_start = false;
    }
  }
  return std::string_view::npos;
}

/// Refuses bytes that are not scenario text, before yaml-cpp sees them: another encoding, a
/// binary file, control characters, tabs in indentation, runaway flow nesting. yaml-cpp would
/// accept some of them silently and give cryptic messages or unbounded memory for others.
bool check_text(const std::string& path, std::string_view bytes, std::vector<Diagnostic>& diags) {
  auto starts = [&](std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; };
  using namespace std::string_view_literals;
  const bool utf32 = starts("\x00\x00\xFE\xFF"sv) || starts("\xFF\xFE\x00\x00"sv);
  if (utf32 || starts("\xFE\xFF"sv) || starts("\xFF\xFE"sv)) {  // byte order marks
    diags.push_back(error_at({path, 1, 1},
                             "'" + path + "' is UTF-" + (utf32 ? "32" : "16") + " text",
                             "save the file as UTF-8"));
    return false;
  }
  if (starts("\xEF\xBB\xBF")) bytes.remove_prefix(3);  // a UTF-8 byte order mark is fine
  // A NUL byte anywhere makes a binary file, whatever comes before it.
  if (const std::size_t nul = bytes.find('\0'); nul != std::string_view::npos) {
    diags.push_back(error_at(position_of(path, bytes, nul),
                             "'" + path + "' is a binary file, not YAML (NUL byte)",
                             "give a .yaml scenario file"));
    return false;
  }
  if (const auto bad = first_bad_char(bytes)) {
    const SourceLocation at = position_of(path, bytes, bad->offset);
    if (bad->kind == BadChar::Kind::NotUtf8) {
      diags.push_back(error_at(at, bad->what + ": the file is not UTF-8",
                               "save it as UTF-8; corridor reads and writes UTF-8 only"));
    } else {
      diags.push_back(error_at(at, bad->what + " in the file",
                               "YAML text holds tabs, line breaks and printable characters only"));
    }
    return false;
  }
  // Tabs cannot indent YAML; yaml-cpp's own message for them is cryptic, so say it plainly.
  bool at_indent = true;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char ch = bytes[i];
    if (ch == '\n') {
      at_indent = true;
    } else if (ch == '\t' && at_indent) {
      diags.push_back(error_at(position_of(path, bytes, i), "tab character in indentation",
                               "YAML indents with spaces; replace tabs with spaces"));
      return false;
    } else if (ch != ' ' && ch != '-') {
      at_indent = false;
    }
  }
  if (const std::size_t at = too_deep_flow(bytes); at != std::string_view::npos) {
    diags.push_back(error_at(position_of(path, bytes, at),
                             "YAML nested deeper than " + std::to_string(kMaxDepth) + " levels",
                             "a scenario needs only a few levels; check for runaway brackets"));
    return false;
  }
  return true;
}

/// Thrown from TreeBuilder's callbacks to stop yaml-cpp at a limit; the diagnostic is recorded.
struct StopParsing {};

/// Builds the RawNode tree from yaml-cpp's parse events, bounded: at most kMaxNodes nodes with
/// aliases expanded, of which at most kMaxAliasNodes copied by aliases (a "billion laughs"
/// document is refused at the alias that would pass the limit, before it is copied), and at
/// most kMaxDepth levels (yaml-cpp recurses per level, so parsing stops there). yaml-cpp's own node
/// tree is never built: it takes several hundred bytes per node.
class TreeBuilder final : public YAML::EventHandler {
 public:
  /// `text` is what yaml-cpp parses, without any byte order mark.
  TreeBuilder(const std::string& file, std::string_view text, std::vector<Diagnostic>& diags)
      : file_(std::make_shared<const std::string>(file)), text_(text), diags_(diags) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  /// The document's root; Null for an empty document.
  RawNode& root() { return root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnAnchor(const YAML::Mark&, const std::string& name) override { anchor_name_ = name; }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    RawNode n = start(mark, anchor);
    n.kind = RawNode::Kind::Null;
    finish(std::move(n), anchor, 1);
  }

  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    RawNode n = start(mark, anchor);
    n.kind = RawNode::Kind::Scalar;
    n.scalar = value;
    if (!quote_closed(mark)) {
      // yaml-cpp ends an unclosed quoted string at the end of the file without a word, so the
      // rest of the file would be read as this one value.
      stop(n.where, "quoted string is never closed",
           "add the closing quote; without it the rest of the file is part of this string");
    }
    // Escapes in quoted strings ("\e", "\x07", "\ud800") can make what the byte check
    // refused: control characters that would reach terminals and CSV files, or broken UTF-8.
    if (const auto bad = first_bad_char(value)) {
      diags_.push_back(error_at(n.where, "value holds " + bad->what,
                                "scenario text holds tabs, line breaks and printable "
                                "characters only; check the escapes in this string"));
    }
    finish(std::move(n), anchor, 1);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchored_.find(anchor);
    const std::string name = "'*" + names_[anchor] + "'";
    if (it == anchored_.end()) {  // yaml-cpp has checked that the anchor exists: it is open
      stop(where(mark), "alias " + name + " is used inside the node it names",
           "a node cannot contain itself; copy the values instead");
    }
    const std::size_t size = it->second.size;
    if (alias_count_ + size > kMaxAliasNodes || count_ + size > kMaxNodes) {
      stop(where(mark),
           "alias " + name + " would make the aliases of this file expand to more than " +
               std::to_string(kMaxAliasNodes) + " YAML nodes",
           "an alias copies its anchored node in place, so nested aliases grow exponentially "
           "(\"billion laughs\"); write the values out");
    }
    alias_count_ += size;
    count_ += size;
    finish(RawNode(it->second.node), 0, it->second.size);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor, RawNode::Kind::Sequence);
  }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor, RawNode::Kind::Map);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    RawNode node;  // a Sequence or a Map being filled
    YAML::anchor_t anchor = 0;
    std::size_t count_before = 0;  // nodes counted before this one, for its expanded size
    bool has_key = false;          // a map's key is waiting for its value
    bool skip_value = false;       // ... and was reported (not a name, or repeated)
    RawNode key;
    std::unordered_map<std::string, int> key_lines;  // a map's keys so far, and their lines
  };
  struct Anchored {
    RawNode node;
    std::size_t size;  // YAML nodes, aliases expanded
  };

  [[noreturn]] void stop(SourceLocation where, std::string message, std::string hint) {
    diags_.push_back(error_at(std::move(where), std::move(message), std::move(hint)));
    throw StopParsing{};
  }

  /// A new node at `mark`, counted and checked against the limits.
  RawNode start(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != 0) names_[anchor] = anchor_name_;
    RawNode n;
    n.where = where(mark);
    if (++count_ > kMaxNodes) {
      stop(n.where, "the file has more than " + std::to_string(kMaxNodes) + " YAML nodes",
           "a scenario needs far fewer; split the network into files joined with 'extends:'");
    }
    if (stack_.size() > kMaxDepth) {
      stop(n.where, "YAML nested deeper than " + std::to_string(kMaxDepth) + " levels",
           "a scenario needs only a few levels; check for runaway nesting");
    }
    return n;
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, RawNode::Kind kind) {
    Open o;
    o.count_before = count_;
    o.node = start(mark, anchor);
    o.node.kind = kind;
    o.anchor = anchor;
    stack_.push_back(std::move(o));
  }

  void close() {
    Open o = std::move(stack_.back());
    stack_.pop_back();
    finish(std::move(o.node), o.anchor, count_ - o.count_before);
  }

  /// Puts a complete node where it belongs: the root, a list item, a map key or a map value.
  void finish(RawNode n, YAML::anchor_t anchor, std::size_t size) {
    if (anchor != 0) anchored_[anchor] = {n, size};
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Open& top = stack_.back();
    if (top.node.is_seq()) {
      top.node.seq.push_back(std::move(n));
      return;
    }
    if (!top.has_key) {
      top.has_key = true;
      top.skip_value = false;
      if (!n.is_scalar()) {
        diags_.push_back(error_at(n.where, "map keys must be plain names or years"));
        top.skip_value = true;
      } else if (const auto [first, fresh] = top.key_lines.emplace(n.scalar, n.where.line);
                 !fresh) {
        diags_.push_back(error_at(n.where, "duplicate key '" + n.scalar + "'",
                                  "first given at line " + std::to_string(first->second) +
                                      "; each key may appear once per map"));
        top.skip_value = true;
      }
      top.key = std::move(n);
      return;
    }
    top.has_key = false;
    if (top.skip_value) return;
    // yaml-cpp marks an empty value at the token after it; the key is where the user looks.
    if (n.kind == RawNode::Kind::Null) n.where = top.key.where;
    top.node.map.push_back({std::move(top.key.scalar), top.key.where, std::move(n)});
  }

  /// False if the scalar at `mark` is a quoted string without its closing quote. The mark is at
  /// the node's anchor or tag if it has one, so those are skipped first.
  bool quote_closed(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.line < 0 ||
        static_cast<std::size_t>(mark.line) >= line_starts_.size()) {
      return true;
    }
    const std::string_view t = text_;
    std::size_t i = line_starts_[mark.line] + static_cast<std::size_t>(std::max(0, mark.column));
    auto blank = [&](std::size_t k) {
      return t[k] == ' ' || t[k] == '\t' || t[k] == '\r' || t[k] == '\n';
    };
    while (i < t.size() && (t[i] == '&' || t[i] == '!' || blank(i))) {
      if (t[i] == '&' || t[i] == '!') {
        while (i < t.size() && !blank(i)) ++i;
      } else {
        ++i;
      }
    }
    if (i >= t.size() || (t[i] != '"' && t[i] != '\'')) return true;
    const char q = t[i];
    for (++i; i < t.size(); ++i) {
      if (q == '"' && t[i] == '\\') {
        ++i;
      } else if (t[i] == q) {
        if (q == '"' || i + 1 >= t.size() || t[i + 1] != '\'') return true;
        ++i;  // '' is a quote inside a single-quoted string
      }
    }
    return false;
  }

  RawWhere where(const YAML::Mark& m) const {
    if (m.is_null()) return {file_, 0, 0};
    return {file_, m.line + 1, m.column + 1};
  }

  std::shared_ptr<const std::string> file_;
  std::string_view text_;
  std::vector<std::size_t> line_starts_;  // offset of each line of text_
  std::vector<Diagnostic>& diags_;
  RawNode root_;
  std::vector<Open> stack_;
  std::size_t count_ = 0;        // nodes so far, aliases expanded
  std::size_t alias_count_ = 0;  // of which copied by aliases
  std::string anchor_name_;
  std::map<YAML::anchor_t, std::string> names_;
  std::map<YAML::anchor_t, Anchored> anchored_;
};

/// Counts the documents after the first: a scenario file holds one.
class SecondDocument final : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> at;
  void OnDocumentStart(const YAML::Mark& mark) override {
    at = mark;
    throw StopParsing{};
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

/// Reads and parses one file; appends problems to `diags`. `asked_from` is the `extends:` that
/// names the file, or empty for a file named on the command line: problems of reading a file
/// are reported there, problems of its content in the file.
RawNode parse_file(const std::string& path, const SourceLocation& asked_from, std::string& bytes,
                   std::vector<Diagnostic>& diags) {
  const bool parent = !asked_from.file.empty();
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    if (!parent) {
      diags.push_back(error_at({path, 1, 1},
                               "cannot read scenario file '" + path + "': no such file",
                               "check the path"));
    } else {
      diags.push_back(error_at(asked_from, "cannot read parent file '" + path + "': no such file",
                               "'extends' paths are relative to the file that has them"));
    }
    return {};
  }
  if (!fs::is_regular_file(status)) {
    diags.push_back(error_at(parent ? asked_from : SourceLocation{path, 1, 1},
                             "'" + path + "' is not a regular file", "give a .yaml scenario file"));
    return {};
  }
  if (const auto size = fs::file_size(path, ec); ec || size > kMaxScenarioBytes) {
    diags.push_back(
        error_at(parent ? asked_from : SourceLocation{path, 1, 1},
                 "'" + path + "' is larger than " + std::to_string(kMaxScenarioBytes >> 20) +
                     " MB" + (ec ? "" : " (" + std::to_string(size) + " bytes)"),
                 "a scenario is far smaller; split the network into files joined with 'extends:'"));
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) {
    diags.push_back(error_at(parent ? asked_from : SourceLocation{path, 1, 1},
                             "cannot read scenario file '" + path + "'"));
    return {};
  }
  bytes = ss.str();
  if (!check_text(path, bytes, diags)) return {};
  const std::string_view text =
      std::string_view(bytes).substr(bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0);
  TreeBuilder tree(path, text, diags);
  std::istringstream stream(bytes);
  try {
    YAML::Parser parser(stream);
    if (parser.HandleNextDocument(tree)) {
      SecondDocument second;
      try {
        parser.HandleNextDocument(second);
      } catch (const StopParsing&) {
        diags.push_back(error_at(location(path, *second.at),
                                 "a second YAML document in a scenario file",
                                 "a scenario file holds one document; remove the '---' line, or "
                                 "put each scenario in its own file"));
        return {};
      }
    }
  } catch (const StopParsing&) {
    return {};  // reported where it stopped
  } catch (const YAML::Exception& e) {
    diags.push_back(error_at(location(path, e.mark), "YAML syntax error: " + e.msg,
                             "check indentation, colons and quotes near this position"));
    return {};
  }
  RawNode& root = tree.root();
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
  return std::move(root);
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
  std::unordered_map<std::string, std::size_t> index;  // id -> its first entity in `into`
  for (std::size_t i = 0; i < into.seq.size(); ++i) index.emplace(entity_id(into.seq[i]), i);
  for (const RawNode& e : child.seq) {
    const std::string id = entity_id(e);
    const auto it = index.find(id);
    if (id.empty() || it == index.end()) {
      index.emplace(id, into.seq.size());
      into.seq.push_back(e);
      continue;
    }
    RawNode& same = into.seq[it->second];
    for (const RawNode::Entry& field : e.map) {
      if (RawNode* existing = same.find(field.key)) {
        *existing = field.value;
      } else {
        same.map.push_back(field);
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

/// The lists of `uncertainty:` whose entries merge by their optional `id` (uncertainty.h):
/// an entry with a known id changes only the fields it gives, any other entry is added.
constexpr const char* kUncertaintyLists[] = {"sample", "outages"};

void merge_by_optional_id(RawNode& into, const RawNode& child) {
  if (!into.is_seq() || !child.is_seq()) {
    into = child;
    return;
  }
  for (const RawNode& e : child.seq) {
    const std::string id = entity_id(e);
    auto same = id.empty() ? into.seq.end()
                           : std::find_if(into.seq.begin(), into.seq.end(),
                                          [&](const RawNode& x) { return entity_id(x) == id; });
    if (same == into.seq.end()) {
      into.seq.push_back(e);
      continue;
    }
    for (const RawNode::Entry& field : e.map) {
      if (RawNode* existing = same->find(field.key)) {
        *existing = field.value;
      } else {
        same->map.push_back(field);
      }
    }
  }
}

/// `uncertainty:` merges key by key, and its sample and outage lists by id.
void merge_uncertainty(RawNode& into, const RawNode& child) {
  if (!into.is_map() || !child.is_map()) {
    into = child;
    return;
  }
  into.where = child.where;
  for (const RawNode::Entry& e : child.map) {
    RawNode* existing = into.find(e.key);
    const bool list = std::any_of(std::begin(kUncertaintyLists), std::end(kUncertaintyLists),
                                  [&](const char* l) { return e.key == l; });
    if (!existing) {
      into.map.push_back(e);
    } else if (list) {
      merge_by_optional_id(*existing, e.value);
    } else {
      *existing = e.value;
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
    // Samples and outages of `uncertainty:` are removed by their id like entities.
    const bool uncertain = kind.key == "samples" || kind.key == "outages";
    if (!known && !uncertain) {
      std::vector<std::string> names(std::begin(kEntityLists), std::end(kEntityLists));
      names.push_back("samples");
      names.push_back("outages");
      diags.push_back(error_at(kind.key_where, "unknown key '" + kind.key + "' in remove",
                               did_you_mean(kind.key, names)));
      continue;
    }
    RawNode* list = level.find(kind.key);
    if (uncertain) {
      RawNode* u = level.find("uncertainty");
      list = u && u->is_map() ? u->find(kind.key == "samples" ? "sample" : "outages") : nullptr;
    }
    std::vector<std::string> ids;
    if (list && list->is_seq()) {
      for (const RawNode& e : list->seq) ids.push_back(entity_id(e));
    }
    const std::unordered_set<std::string> known_ids(ids.begin(), ids.end());
    std::unordered_set<std::string> removed;
    const std::vector<RawNode> wanted =
        kind.value.is_seq() ? kind.value.seq : std::vector<RawNode>{kind.value};
    for (const RawNode& id : wanted) {
      if (!id.is_scalar()) {
        diags.push_back(error_at(id.where, "remove." + kind.key + " must list ids",
                                 "write 'remove: {" + kind.key + ": [id1, id2]}'"));
        continue;
      }
      if (!known_ids.contains(id.scalar)) {
        diags.push_back(error_at(
            id.where, "cannot remove unknown " + singular(kind.key) + " '" + id.scalar + "'",
            ids.empty() ? "there are no " + kind.key + " to remove"
                        : did_you_mean(id.scalar, ids)));
        continue;
      }
      removed.insert(id.scalar);
    }
    if (!removed.empty()) {
      std::erase_if(list->seq, [&](const RawNode& e) { return removed.contains(entity_id(e)); });
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
    } else if (e.key == "uncertainty") {
      merge_uncertainty(*existing, e.value);
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

/// An unsigned length, as 8 bytes little-endian: the prefix that keeps the serialisation below
/// unambiguous ("ab" + "c" and "a" + "bc" hash differently).
void hash_length(Sha256& h, std::size_t n) {
  char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  h.update(std::string_view(bytes, 8));
}

void hash_text(Sha256& h, std::string_view text) {
  hash_length(h, text.size());
  h.update(text);
}

/// Feeds a canonical serialisation of `n` to `h`: a kind tag, then a scalar's text, a list's
/// items or a map's keys and values, each count and text prefixed by its length. This is the
/// tree that extends and alternatives were merged into and that build_scenario reads, so every
/// key, today's or one added later, is covered; where a value was written, comments, quoting
/// and flow or block style are not in the tree and do not change the hash.
void hash_tree(Sha256& h, const RawNode& n) {
  switch (n.kind) {
    case RawNode::Kind::Null:
      h.update("~");
      return;
    case RawNode::Kind::Scalar:
      h.update("s");
      hash_text(h, n.scalar);
      return;
    case RawNode::Kind::Sequence:
      h.update("[");
      hash_length(h, n.seq.size());
      for (const RawNode& x : n.seq) hash_tree(h, x);
      return;
    case RawNode::Kind::Map:
      h.update("{");
      hash_length(h, n.map.size());
      for (const RawNode::Entry& e : n.map) {
        hash_text(h, e.key);
        hash_tree(h, e.value);
      }
      return;
  }
}

/// The nodes of a tree, itself included.
std::size_t count_nodes(const RawNode& n) {
  std::size_t count = 1;
  for (const RawNode::Entry& e : n.map) count += count_nodes(e.value);
  for (const RawNode& x : n.seq) count += count_nodes(x);
  return count;
}

struct Resolved {
  std::vector<std::pair<std::string, RawNode>> cases;
  std::vector<InputFile> inputs;
  std::string name;
  /// With `alternatives`, for `resolve` without an alternative. Null for a file without them:
  /// the file is then its one case, and a large file is kept once, not twice.
  RawNode whole;
  std::vector<Diagnostic> diags;  ///< problems of reading and merging; the trees are still usable

  const RawNode& whole_tree() const {
    return whole.kind == RawNode::Kind::Null ? cases.front().second : whole;
  }
};

/// Reads and merges `path`. Throws InputError only if a file could not be read or merged;
/// other problems are returned in `diags` so that the caller can collect more before failing.
Resolved resolve(const std::string& path) {
  Loader loader;
  std::vector<std::string> chain;
  Resolved r;
  RawNode tree = loader.load(path, {}, chain);
  if (loader.incomplete) throw InputError(loader.diags);
  r.inputs = loader.inputs;
  const RawNode* name = tree.find("name");
  r.name = name && name->is_scalar() ? name->scalar : fs::path(path).stem().string();
  if (!tree.find("alternatives")) {
    r.cases.emplace_back("base", std::move(tree));
    r.diags = std::move(loader.diags);
    return r;
  }
  r.whole = std::move(tree);
  RawNode base = r.whole;  // without `alternatives`
  std::erase_if(base.map, [](const RawNode::Entry& e) { return e.key == "alternatives"; });
  const RawNode* alts = r.whole.find("alternatives");
  if (!alts->is_map() || alts->map.empty()) {
    loader.diags.push_back(error_at(alts->where, "'alternatives' must map names to overrides",
                                    "write 'alternatives: {status-quo: {}, delay: {...}}'"));
    throw InputError(loader.diags);
  }
  if (const std::size_t size = count_nodes(base); alts->map.size() * size > kMaxCaseNodes) {
    loader.diags.push_back(error_at(
        r.whole.find_entry("alternatives")->key_where,
        std::to_string(alts->map.size()) + " alternatives of a scenario of " +
            std::to_string(size) + " YAML nodes are more than corridor loads at once (" +
            std::to_string(kMaxCaseNodes) + " nodes in all cases together)",
        "each alternative is a whole copy of the scenario; split the alternatives over files "
        "that extend a common base file"));
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
    RawNode c = base;
    merge_level(c, body, loader.diags);
    std::erase_if(c.map, [](const RawNode::Entry& e) { return e.key == "description"; });
    if (const RawNode* d = body.find("description")) c.map.push_back({"description", {}, *d});
    r.cases.emplace_back(alt.key, std::move(c));
  }
  r.diags = std::move(loader.diags);
  return r;
}

/// Diagnostics in order, each once: alternatives share most of their file, and a problem in
/// the shared part is reported once.
class UniqueDiagnostics {
 public:
  explicit UniqueDiagnostics(std::vector<Diagnostic> first) : all_(std::move(first)) {
    for (const Diagnostic& d : all_) seen_.insert(format_diagnostic(d));
  }
  void add(const Diagnostic& d) {
    if (seen_.insert(format_diagnostic(d)).second) all_.push_back(d);
  }
  const std::vector<Diagnostic>& all() const { return all_; }

 private:
  std::vector<Diagnostic> all_;
  std::unordered_set<std::string> seen_;
};

}  // namespace

LoadedScenario load_scenario(const std::string& path) {
  const Resolved r = resolve(path);
  LoadedScenario out;
  out.file = path;
  out.inputs = r.inputs;
  UniqueDiagnostics diags(r.diags);
  for (const auto& [case_name, tree] : r.cases) {
    std::vector<Diagnostic> case_diags;
    out.cases.push_back(std::make_shared<const Scenario>(
        build_scenario(tree, path, r.name, case_name, case_diags)));
    for (const Diagnostic& d : case_diags) diags.add(d);
  }
  if (!has_errors(diags.all())) {
    Sha256 h;
    h.update("corridor resolved scenario v1");
    for (const auto& [case_name, tree] : r.cases) {
      hash_text(h, r.name);
      hash_text(h, case_name);
      hash_tree(h, tree);
    }
    out.resolved_sha256 = h.hex();
    out.warnings = diags.all();
    return out;
  }
  // The file fails anyway: add the semantic errors too, so that one run reports every problem.
  // Warnings wait for a clean load, since some (reachability) would be guesses on a partial model.
  for (const auto& c : out.cases) {
    for (const Diagnostic& d : validate(*c)) {
      if (d.severity == Severity::Error) diags.add(d);
    }
  }
  throw InputError(diags.all());
}

std::string resolve_scenario_yaml(const std::string& path, const std::string& alternative) {
  const Resolved r = resolve(path);
  throw_if_errors(r.diags);
  if (alternative.empty()) return to_yaml(r.whole_tree());
  std::vector<std::string> names;
  for (const auto& [name, tree] : r.cases) {
    if (name == alternative) return to_yaml(tree);
    names.push_back(name);
  }
  const RawNode::Entry* alts = r.whole.find_entry("alternatives");
  if (!alts) {
    throw InputError({error_at({path, 1, 1}, "no alternative named '" + alternative + "'",
                               "the file has no 'alternatives'; it runs one case, 'base'")});
  }
  throw InputError({error_at(alts->key_where, "no alternative named '" + alternative + "'",
                             did_you_mean(alternative, names))});
}

}  // namespace corridor
