#include "corridor/diagnostics.h"

#include <algorithm>
#include <cctype>

namespace corridor {
namespace {

constexpr size_t kMaxListedCandidates = 8;

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

/// The diagnostic what() reports: the first error, or the first diagnostic if none is an error.
std::string summary(const std::vector<Diagnostic>& ds) {
  if (ds.empty()) return "invalid input";
  const auto first_error = std::find_if(
      ds.begin(), ds.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; });
  return format_diagnostic(first_error != ds.end() ? *first_error : ds.front());
}

}  // namespace

std::string format_diagnostic(const Diagnostic& d) {
  std::string out;
  if (!d.where.file.empty()) {
    out = d.where.file;
    if (d.where.line > 0) {
      out += ":" + std::to_string(d.where.line);
      if (d.where.col > 0) out += ":" + std::to_string(d.where.col);
    }
    out += ": ";
  }
  out += d.severity == Severity::Error ? "error: " : "warning: ";
  out += d.message;
  if (!d.hint.empty()) out += "; " + d.hint;
  return out;
}

bool has_errors(const std::vector<Diagnostic>& ds) {
  return std::any_of(ds.begin(), ds.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(summary(diagnostics)), diagnostics_(std::move(diagnostics)) {}

void throw_if_errors(const std::vector<Diagnostic>& ds) {
  if (has_errors(ds)) throw InputError(ds);
}

int edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Wagner-Fischer plus adjacent transpositions ("feild" -> "field"
  // is one edit), keeping three rows; row[j] is the distance of a[0..i) to b[0..j).
  std::vector<int> before(b.size() + 1), prev(b.size() + 1), row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, substitute});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        row[j] = std::min(row[j], before[j - 2] + 1);
      }
    }
    std::swap(before, prev);
    std::swap(prev, row);
  }
  return prev[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.empty() || word.size() > kMaxTypoBytes) return "";
  const std::string lower = to_lower(word);
  // Distances ignore case, so a case-insensitive match (distance 0) always qualifies.
  const int max_distance = std::max(1, static_cast<int>(word.size() / 3));
  const std::string* best = nullptr;
  int best_distance = max_distance + 1;
  for (const std::string& c : candidates) {
    if (c == word) return c;
    const int dist = edit_distance(lower, to_lower(c));
    if (dist < best_distance) {
      best_distance = dist;
      best = &c;
    }
  }
  return best ? *best : "";
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  if (candidates.empty()) return "";
  const std::string match = closest_match(word, candidates);
  if (!match.empty()) return "did you mean '" + match + "'?";
  std::string out = "expected one of: ";
  for (size_t i = 0; i < candidates.size() && i < kMaxListedCandidates; ++i) {
    if (i > 0) out += ", ";
    out += candidates[i];
  }
  if (candidates.size() > kMaxListedCandidates) out += ", ...";
  return out;
}

}  // namespace corridor
