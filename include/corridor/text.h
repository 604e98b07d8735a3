#pragma once
/// \file Text: the one UTF-8 decoder of corridor, and white-space trimming.
///
/// UTF-8 is decoded strictly, as RFC 3629 defines it: no overlong forms, no surrogates
/// (U+D800..U+DFFF, the bytes ED A0..BF ..), nothing above U+10FFFF. Whatever reads text from
/// a user (the loader), shows it (the diagnostic printer, the compare table) or writes it into
/// a file (the manifest) decodes it here, so that all of them agree on what is text: a byte
/// the loader refuses is never echoed to a terminal either.
#include <cstddef>
#include <string>
#include <string_view>

namespace corridor {

/// One decoded character.
struct Utf8Char {
  char32_t code_point = 0;  ///< when `valid`
  std::size_t length = 1;   ///< bytes: the whole sequence, or 1 for an invalid byte
  bool valid = false;
};

/// Decodes the character at byte `i` of `s` (i < s.size()). A byte that does not start a
/// complete, shortest-form sequence of a code point other than a surrogate, at most U+10FFFF,
/// is invalid and taken alone, so decoding resumes at the next byte.
Utf8Char decode_utf8(std::string_view s, std::size_t i);

/// True if all of `s` decodes.
bool is_utf8(std::string_view s);

/// `s` with every invalid byte replaced by U+FFFD: text that can go into any UTF-8 file.
std::string to_utf8(std::string_view s);

/// C0 controls (U+0000..U+001F), DEL (U+007F) and C1 controls (U+0080..U+009F).
bool is_control(char32_t code_point);

/// Terminal columns of `s`: one per character, an invalid byte counting as one (no East Asian
/// wide characters are expected in ids).
int display_width(std::string_view s);

/// The longest prefix of `s` of at most `max_bytes` bytes that does not cut a character.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

/// `s` without leading and trailing ASCII white space (space, \t, \n, \v, \f, \r).
std::string_view trim(std::string_view s);

}  // namespace corridor
