// The one UTF-8 decoder (text.h), against RFC 3629's table of well-formed sequences (section 4)
// and its edge cases: every sequence below is checked byte for byte, labelled #U1...
#include "corridor/text.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

namespace corridor {
namespace {

using namespace std::string_view_literals;

struct Case {
  const char* label;
  std::string_view bytes;
  bool valid;
  char32_t code_point;  ///< when valid
};

}  // namespace

TEST_CASE("decode_utf8 takes shortest forms of scalar values and refuses the rest", "[text]") {
  const Case cases[] = {
      {"#U1 ASCII", "A"sv, true, 0x41},
      {"#U2 NUL is a character (the loader refuses it as such)", "\x00"sv, true, 0x0},
      {"#U3 two bytes, lowest (U+0080)", "\xC2\x80"sv, true, 0x80},
      {"#U4 two bytes: e acute", "\xC3\xA9"sv, true, 0xE9},
      {"#U5 three bytes, lowest (U+0800)", "\xE0\xA0\x80"sv, true, 0x800},
      {"#U6 three bytes: ellipsis U+2026", "\xE2\x80\xA6"sv, true, 0x2026},
      {"#U7 last before the surrogates, U+D7FF", "\xED\x9F\xBF"sv, true, 0xD7FF},
      {"#U8 first after the surrogates, U+E000", "\xEE\x80\x80"sv, true, 0xE000},
      {"#U9 four bytes, lowest (U+10000)", "\xF0\x90\x80\x80"sv, true, 0x10000},
      {"#U10 four bytes, highest (U+10FFFF)", "\xF4\x8F\xBF\xBF"sv, true, 0x10FFFF},
      {"#U11 surrogate U+D800 (ED A0 80)", "\xED\xA0\x80"sv, false, 0},
      {"#U12 surrogate U+DFFF (ED BF BF)", "\xED\xBF\xBF"sv, false, 0},
      {"#U13 overlong '/' in two bytes (C0 AF)", "\xC0\xAF"sv, false, 0},
      {"#U14 overlong C1 lead", "\xC1\xBF"sv, false, 0},
      {"#U15 overlong U+07FF in three bytes (E0 9F BF)", "\xE0\x9F\xBF"sv, false, 0},
      {"#U16 overlong U+FFFF in four bytes (F0 8F BF BF)", "\xF0\x8F\xBF\xBF"sv, false, 0},
      {"#U17 above U+10FFFF (F4 90 80 80)", "\xF4\x90\x80\x80"sv, false, 0},
      {"#U18 F5 never leads", "\xF5\x80\x80\x80"sv, false, 0},
      {"#U19 a lone continuation byte", "\x80"sv, false, 0},
      {"#U20 truncated at the end", "\xE2\x80"sv, false, 0},
      {"#U21 broken by ASCII", "\xE2\x41\xA6"sv, false, 0},
      {"#U22 Latin-1 e acute alone", "\xE9"sv, false, 0},
  };
  for (const Case& c : cases) {
    INFO(c.label);
    const Utf8Char d = decode_utf8(c.bytes, 0);
    CHECK(d.valid == c.valid);
    CHECK(is_utf8(c.bytes) == c.valid);
    if (c.valid) {
      CHECK(d.code_point == c.code_point);
      CHECK(d.length == c.bytes.size());
    } else {
      CHECK(d.length == 1);  // decoding resumes at the next byte
    }
  }
}

TEST_CASE("to_utf8 replaces each invalid byte by U+FFFD and keeps the rest", "[text]") {
  CHECK(to_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
  // A surrogate is three invalid bytes: three replacement characters.
  CHECK(to_utf8("a\xED\xA0\x80z") == "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz");
  CHECK(to_utf8("\xE9t\xE9") == "\xEF\xBF\xBDt\xEF\xBF\xBD");
  CHECK(is_utf8(to_utf8("\xFF\xFE\xC0\xAF")));
}

TEST_CASE("display_width counts characters; utf8_prefix never cuts one", "[text]") {
  CHECK(display_width("") == 0);
  CHECK(display_width("abc") == 3);
  CHECK(display_width("\xE2\x80\xA6 vs \xCE\x94") == 6);  // "… vs Δ"
  CHECK(display_width("a\xFF") == 2);                     // an invalid byte is one column
  CHECK(utf8_prefix("ab\xE2\x80\xA6", 4) == "ab");        // would cut the ellipsis
  CHECK(utf8_prefix("ab\xE2\x80\xA6", 5) == "ab\xE2\x80\xA6");
  CHECK(utf8_prefix("abc", 10) == "abc");
}

TEST_CASE("is_control covers C0, DEL and C1, nothing else", "[text]") {
  CHECK(is_control(0x00));
  CHECK(is_control(0x1B));
  CHECK(is_control(0x7F));
  CHECK(is_control(0x85));
  CHECK(is_control(0x9F));
  CHECK_FALSE(is_control(0x20));
  CHECK_FALSE(is_control(0xA0));
  CHECK_FALSE(is_control(0x2026));
}

TEST_CASE("trim removes ASCII white space at both ends only", "[text]") {
  CHECK(trim("  38 bcm/y \t\r\n") == "38 bcm/y");
  CHECK(trim("a b") == "a b");
  CHECK(trim(" \t ").empty());
  CHECK(trim("").empty());
}

}  // namespace corridor
