#include "corridor/text.h"

namespace corridor {

Utf8Char decode_utf8(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return {b, 1, true};
  // The length from the lead byte (C0, C1 and F5..FF never lead), then continuation bytes,
  // then the range of the code point: no overlong forms, no surrogates, nothing above U+10FFFF.
  const std::size_t len = b >= 0xC2 && b <= 0xDF   ? 2
                          : b >= 0xE0 && b <= 0xEF ? 3
                          : b >= 0xF0 && b <= 0xF4 ? 4
                                                   : 0;
  const Utf8Char invalid{0, 1, false};
  if (len == 0 || i + len > s.size()) return invalid;
  char32_t cp = len == 2 ? b & 0x1F : len == 3 ? b & 0x0F : b & 0x07;
  for (std::size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return invalid;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return invalid;
  if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return invalid;
  return {cp, len, true};
}

bool is_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const Utf8Char c = decode_utf8(s, i);
    if (!c.valid) return false;
    i += c.length;
  }
  return true;
}

std::string to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const Utf8Char c = decode_utf8(s, i);
    out += c.valid ? s.substr(i, c.length) : std::string_view("\xEF\xBF\xBD");  // U+FFFD
    i += c.length;
  }
  return out;
}

bool is_control(char32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

int display_width(std::string_view s) {
  int width = 0;
  for (std::size_t i = 0; i < s.size(); i += decode_utf8(s, i).length) ++width;
  return width;
}

std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
  std::size_t end = 0;
  while (end < s.size()) {
    const std::size_t next = end + decode_utf8(s, end).length;
    if (next > max_bytes) break;
    end = next;
  }
  return s.substr(0, end);
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  const std::size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

}  // namespace corridor
