#include "diagnostic_printer.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string_view>

#include "corridor/text.h"

namespace corridor::app {
namespace {

/// The lines of the files that diagnostics point into. Each file is read once, however many
/// diagnostics it has, and only as far as the last line asked for; a line is kept to its first
/// kMaxLine + 1 bytes, enough to tell that it is too long to show.
class SourceLines {
 public:
  static constexpr std::size_t kMaxLine = 200;

  /// Line `line` (1-based) of `file`, without its line break; nullopt if there is none.
  std::optional<std::string_view> line(const std::string& file, int line) {
    auto [it, fresh] = files_.try_emplace(file);
    File& f = it->second;
    std::error_code ec;
    if (fresh && std::filesystem::is_regular_file(file, ec)) f.in.open(file, std::ios::binary);
    while (line > 0 && f.lines.size() < static_cast<std::size_t>(line) && f.in.is_open() &&
           read_line(f)) {
    }
    if (line < 1 || static_cast<std::size_t>(line) > f.lines.size()) return std::nullopt;
    return f.lines[line - 1];
  }

 private:
  struct File {
    std::ifstream in;
    std::vector<std::string> lines;
  };
  static bool read_line(File& f) {
    std::string s;
    std::streambuf* buf = f.in.rdbuf();
    int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) return false;
    for (; c != std::char_traits<char>::eof() && c != '\n'; c = buf->sbumpc()) {
      if (s.size() <= kMaxLine + 3) s += static_cast<char>(c);
    }
    if (!s.empty() && s.back() == '\r') s.pop_back();
    if (f.lines.empty() && s.starts_with("\xEF\xBB\xBF")) s.erase(0, 3);  // byte order mark
    f.lines.push_back(std::move(s));
    return true;
  }
  std::map<std::string, File> files_;
};

/// True if `s` is UTF-8 (text.h) without control characters other than tab: safe to show on
/// a terminal, and never a byte the loader refuses.
bool printable(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const Utf8Char c = decode_utf8(s, i);
    if (!c.valid || (is_control(c.code_point) && c.code_point != '\t')) return false;
    i += c.length;
  }
  return true;
}

/// The source line of a diagnostic with a caret under the column, or "" when the line is
/// unknown, too long to be useful, or not printable text.
std::string source_excerpt(SourceLines& sources, const SourceLocation& w) {
  if (w.line <= 0) return "";
  const std::optional<std::string_view> line = sources.line(w.file, w.line);
  if (!line || line->size() > SourceLines::kMaxLine || !printable(*line)) return "";
  // Columns count bytes; the caret moves one place per character (a tab stays a tab).
  std::string caret;
  const std::size_t before = static_cast<std::size_t>(std::max(1, w.col)) - 1;
  for (std::size_t i = 0; i < before; i += i < line->size() ? decode_utf8(*line, i).length : 1) {
    caret += i < line->size() && (*line)[i] == '\t' ? '\t' : ' ';
  }
  return "    " + std::string(*line) + "\n    " + caret + "^\n";
}

/// `text` made safe and short enough for a terminal: control characters and bytes that are
/// not UTF-8 (text.h) are escaped (a value may hold line breaks, a command-line argument any
/// byte), and a quoted value longer than 80 bytes is cut to its first 60 bytes, so that a
/// hostile file cannot flood the screen. A quote opens a value after a space, '(' or the
/// start, and closes it before anything but a letter or digit ("'it's'" is one value).
std::string displayable(const std::string& text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  std::size_t open = std::string::npos;  // where the current quoted value starts in `out`
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    const bool opens =
        open == std::string::npos && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '(');
    const bool closes =
        open != std::string::npos &&
        (i + 1 == text.size() || !std::isalnum(static_cast<unsigned char>(text[i + 1])));
    if (b == '\'' && (opens || closes)) {
      if (closes && out.size() - open > 80) {
        const std::size_t cut = open + utf8_prefix(std::string_view(out).substr(open), 60).size();
        const std::size_t dropped = out.size() - cut;
        out.resize(cut);
        out += "... (" + std::to_string(dropped) + " more bytes)";
      }
      open = opens ? out.size() + 1 : std::string::npos;
      out += '\'';
      continue;
    }
    const Utf8Char c = decode_utf8(text, i);
    if (c.valid && !is_control(c.code_point)) {
      out.append(text, i, c.length);
      i += c.length - 1;
    } else if (b == '\n' || b == '\t') {
      out += b == '\n' ? "\\n" : "\\t";
    } else {  // a control character or a byte that is not UTF-8, one byte at a time
      out += std::string("\\x") + kHex[b >> 4] + kHex[b & 15];
    }
  }
  return out;
}

}  // namespace

std::string render_diagnostics(const std::vector<Diagnostic>& ds) {
  SourceLines sources;
  std::string out;
  for (const Diagnostic& d : ds) {
    out += displayable(format_diagnostic(d)) + "\n" + source_excerpt(sources, d.where);
  }
  return out;
}

}  // namespace corridor::app
