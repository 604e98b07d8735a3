#include "corridor/diagnostics.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace corridor;

namespace {

Diagnostic error_at(std::string file, int line, int col, std::string message,
                    std::string hint = "") {
  return Diagnostic{Severity::Error, SourceLocation{std::move(file), line, col}, std::move(message),
                    std::move(hint)};
}

Diagnostic warning_at(std::string file, int line, int col, std::string message,
                      std::string hint = "") {
  return Diagnostic{Severity::Warning, SourceLocation{std::move(file), line, col},
                    std::move(message), std::move(hint)};
}

}  // namespace

TEST_CASE("format_diagnostic: file:line:col: severity: message, then the hint", "[diagnostics]") {
  SECTION("error with a hint") {
    CHECK(format_diagnostic(error_at("scenarios/x.yaml", 42, 11,
                                     "pipeline 'p1' refers to unknown node 'chayand'",
                                     "did you mean 'chayanda'?")) ==
          "scenarios/x.yaml:42:11: error: pipeline 'p1' refers to unknown node 'chayand'; did "
          "you mean 'chayanda'?");
  }
  SECTION("warning without a hint has no trailing separator") {
    CHECK(format_diagnostic(warning_at("a.yaml", 3, 1, "supply exceeds demand in 2030")) ==
          "a.yaml:3:1: warning: supply exceeds demand in 2030");
  }
  SECTION("unknown line prints the file only") {
    CHECK(format_diagnostic(error_at("a.yaml", 0, 0, "file is empty")) ==
          "a.yaml: error: file is empty");
    CHECK(format_diagnostic(error_at("a.yaml", 0, 7, "file is empty", "add a horizon")) ==
          "a.yaml: error: file is empty; add a horizon");
  }
  SECTION("unknown column prints file:line") {
    CHECK(format_diagnostic(warning_at("a.yaml", 5, 0, "unused key")) ==
          "a.yaml:5: warning: unused key");
  }
  SECTION("no file prints no location") {
    CHECK(format_diagnostic(error_at("", 0, 0, "no scenario given", "pass a file")) ==
          "error: no scenario given; pass a file");
  }
}

TEST_CASE("has_errors: warnings alone are not errors", "[diagnostics]") {
  CHECK_FALSE(has_errors({}));
  CHECK_FALSE(has_errors({warning_at("a.yaml", 1, 1, "w1"), warning_at("a.yaml", 2, 1, "w2")}));
  CHECK(has_errors({warning_at("a.yaml", 1, 1, "w"), error_at("a.yaml", 2, 1, "e")}));
}

TEST_CASE("InputError: carries every diagnostic, what() is the first error", "[diagnostics]") {
  SECTION("first diagnostic is an error") {
    const InputError e(
        {error_at("a.yaml", 1, 2, "first", "hint"), error_at("a.yaml", 3, 4, "second")});
    CHECK(std::string(e.what()) == "a.yaml:1:2: error: first; hint");
    REQUIRE(e.diagnostics().size() == 2);
    CHECK(e.diagnostics()[1].message == "second");
  }
  SECTION("a leading warning does not hide the error") {
    const InputError e(
        {warning_at("a.yaml", 1, 1, "just a warning"), error_at("b.yaml", 9, 3, "bad")});
    CHECK(std::string(e.what()) == "b.yaml:9:3: error: bad");
    CHECK(e.diagnostics().size() == 2);
  }
  SECTION("only warnings: the first one") {
    const InputError e({warning_at("a.yaml", 1, 1, "w")});
    CHECK(std::string(e.what()) == "a.yaml:1:1: warning: w");
  }
  SECTION("no diagnostics") {
    const InputError e({});
    CHECK(std::string(e.what()) == "invalid input");
    CHECK(e.diagnostics().empty());
  }
}

TEST_CASE("throw_if_errors: throws only for errors, warnings ride along", "[diagnostics]") {
  CHECK_NOTHROW(throw_if_errors({}));
  CHECK_NOTHROW(throw_if_errors({warning_at("a.yaml", 1, 1, "w")}));

  const std::vector<Diagnostic> ds = {warning_at("a.yaml", 1, 1, "w"),
                                      error_at("a.yaml", 2, 5, "e", "fix it")};
  CHECK_THROWS_WITH(throw_if_errors(ds), "a.yaml:2:5: error: e; fix it");
  try {
    throw_if_errors(ds);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    REQUIRE(e.diagnostics().size() == 2);
    CHECK(e.diagnostics()[0].severity == Severity::Warning);
    CHECK(e.diagnostics()[1].hint == "fix it");
  }
}

TEST_CASE("edit_distance: optimal string alignment (Levenshtein plus transpositions)",
          "[diagnostics]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("abc", "abc") == 0);
  CHECK(edit_distance("kitten", "sitting") == 3);  // k->s, e->i, +g
  CHECK(edit_distance("sitting", "kitten") == 3);
  CHECK(edit_distance("flaw", "lawn") == 2);  // -f, +n
  CHECK(edit_distance("abc", "acb") == 1);    // one adjacent transposition
  CHECK(edit_distance("feild", "field") == 1);
  CHECK(closest_match("feild", {"field", "city"}) == "field");
  CHECK(edit_distance("bcm/yr", "bcm/y") == 1);
  CHECK(edit_distance("A", "a") == 1);  // case-sensitive
}

TEST_CASE("closest_match: plausible typos only", "[diagnostics]") {
  const std::vector<std::string> nodes = {"chayanda", "blagoveshchensk", "power-of-siberia"};
  CHECK(closest_match("chayand", nodes) == "chayanda");     // distance 1, limit 7/3 = 2
  CHECK(closest_match("chyanda", nodes) == "chayanda");     // distance 1
  CHECK(closest_match("chayandaxx", nodes) == "chayanda");  // distance 2, limit 10/3 = 3
  CHECK(closest_match("melendugno", nodes).empty());
  CHECK(closest_match("x", {}).empty());
  CHECK(closest_match("", nodes).empty());

  SECTION("case-insensitive matches always qualify") {
    CHECK(closest_match("CHAYANDA", nodes) == "chayanda");
    CHECK(closest_match("mt/y", {"bcm/y", "Mt/y"}) == "Mt/y");
    // "MPA" vs "MPa": a short word whose limit is 1 still matches through case.
    CHECK(closest_match("mpa", {"MPa", "kPa"}) == "MPa");
  }
  SECTION("an exact match wins over an earlier case-insensitive one") {
    CHECK(closest_match("Chayanda", {"chayanda", "Chayanda"}) == "Chayanda");
  }
  SECTION("limit is max(1, size/3)") {
    CHECK(closest_match("abcdef", {"abcdxy"}) == "abcdxy");  // 2 <= 6/3
    CHECK(closest_match("abcdef", {"abcxyz"}).empty());      // 3 > 2
    CHECK(closest_match("ab", {"ax"}) == "ax");              // 1 <= max(1, 0)
    CHECK(closest_match("ab", {"xy"}).empty());              // 2 > 1
  }
  SECTION("the closest wins; ties go to the first candidate") {
    CHECK(closest_match("chayand", {"chayandaaa", "chayanda"}) == "chayanda");
    CHECK(closest_match("cat", {"bat", "cot"}) == "bat");
    CHECK(closest_match("cat", {"cot", "bat"}) == "cot");
  }
}

TEST_CASE("did_you_mean: the hint text", "[diagnostics]") {
  const std::vector<std::string> nodes = {"chayanda", "blagoveshchensk"};
  CHECK(did_you_mean("chayand", nodes) == "did you mean 'chayanda'?");
  CHECK(did_you_mean("zzzzzz", nodes) == "expected one of: chayanda, blagoveshchensk");
  CHECK(did_you_mean("zzzzzz", {}).empty());

  SECTION("at most 8 candidates are listed") {
    const std::vector<std::string> eight = {"a1", "b2", "c3", "d4", "e5", "f6", "g7", "h8"};
    CHECK(did_you_mean("zzzzzz", eight) == "expected one of: a1, b2, c3, d4, e5, f6, g7, h8");
    std::vector<std::string> nine = eight;
    nine.push_back("i9");
    CHECK(did_you_mean("zzzzzz", nine) == "expected one of: a1, b2, c3, d4, e5, f6, g7, h8, ...");
  }
  SECTION("composes into a diagnostic") {
    Diagnostic d = error_at("x.yaml", 42, 11, "pipeline 'p1' refers to unknown node 'chayand'",
                            did_you_mean("chayand", nodes));
    CHECK(format_diagnostic(d) ==
          "x.yaml:42:11: error: pipeline 'p1' refers to unknown node 'chayand'; did you mean "
          "'chayanda'?");
  }
}
