// The resolved-scenario hash of manifest.json (scenario_io.h, LoadedScenario::resolved_sha256):
// hashed from the merged tree, it changes with every resolved value, in the file, its parent or
// an alternative, including keys the schema may gain later, and not with comments or layout.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "corridor/output.h"
#include "corridor/scenario_io.h"

namespace corridor {
namespace {

namespace fs = std::filesystem;

/// A fresh directory, removed with everything in it at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "corridor-hash-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A parent network, and a child that extends it with two alternatives.
constexpr const char* kParent = R"(name: base-net
horizon: {start: 2030, end: 2031}
nodes:
  - {id: field, kind: supply, capacity: 12 bcm/y, cost: 100 USD/kcm}
  - {id: city, kind: demand, demand: 8 bcm/y}
pipelines:
  - {id: line, from: field, to: city, capacity: 10 bcm/y, tariff: 20 USD/kcm}
)";

constexpr const char* kChild = R"(name: child
extends: parent.yaml
pipelines:
  - {id: line, capacity: 11 bcm/y}
alternatives:
  low: {}
  high:
    nodes:
      - {id: city, demand: 9 bcm/y}
)";

/// The resolved hash of child.yaml with the given parent and child texts.
std::string resolved_hash(const std::string& parent, const std::string& child) {
  ScratchDir dir;
  std::ofstream(dir.path() / "parent.yaml") << parent;
  std::ofstream(dir.path() / "child.yaml") << child;
  const LoadedScenario ls = load_scenario((dir.path() / "child.yaml").string());
  REQUIRE(ls.resolved_sha256.size() == 64);
  return ls.resolved_sha256;
}

/// `text` with its first `from` replaced by `to` (which must be there).
std::string edit(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

TEST_CASE("manifest hash: every resolved change changes it", "[manifest]") {
  const std::string base = resolved_hash(kParent, kChild);
  SECTION("a value in the file") {
    CHECK(resolved_hash(kParent, edit(kChild, "capacity: 11", "capacity: 11.5")) != base);
  }
  SECTION("a value in the parent") {
    CHECK(resolved_hash(edit(kParent, "cost: 100", "cost: 101"), kChild) != base);
  }
  SECTION(
      "a value the child overrides in the parent does not reach the case, but one in an "
      "alternative does") {
    CHECK(resolved_hash(edit(kParent, "capacity: 10 bcm/y", "capacity: 10.5 bcm/y"), kChild) ==
          base);
    CHECK(resolved_hash(kParent, edit(kChild, "demand: 9 bcm/y", "demand: 9.5 bcm/y")) != base);
  }
  SECTION("a key the parent gains, even one the hash knows nothing about") {
    CHECK(resolved_hash(std::string(kParent) + "economics: {discount_rate: 7 %}\n", kChild) !=
          base);
  }
  SECTION("an alternative's name, and an entity added or removed") {
    CHECK(resolved_hash(kParent, edit(kChild, "low: {}", "lower: {}")) != base);
    CHECK(resolved_hash(kParent, edit(kChild, "alternatives:",
                                      "nodes:\n  - {id: hub, kind: junction}\nalternatives:")) !=
          base);
    CHECK(resolved_hash(
              edit(kParent, "pipelines:\n",
                   "pipelines:\n  - {id: spare, from: field, to: city, capacity: 1 bcm/y}\n"),
              std::string(kChild) + "remove: {pipelines: [spare]}\n") == base);
    CHECK(resolved_hash(edit(kParent, "pipelines:\n",
                             "pipelines:\n  - {id: spare, from: field, to: city, capacity: 1 "
                             "bcm/y}\n"),
                        kChild) != base);
  }
  SECTION("the scenario's name") {
    CHECK(resolved_hash(kParent, edit(kChild, "name: child", "name: kid")) != base);
  }
}

TEST_CASE("manifest hash: comments and layout do not change it", "[manifest]") {
  const std::string base = resolved_hash(kParent, kChild);
  SECTION("comments and blank lines, in the file and its parent") {
    const std::string child = "# a comment on top\n\n" +
                              edit(kChild, "capacity: 11 bcm/y}", "capacity: 11 bcm/y}  # why");
    const std::string parent = edit(kParent, "nodes:\n", "nodes:   # two of them\n\n");
    CHECK(resolved_hash(parent, child) == base);
  }
  SECTION("flow style to block style, indentation and quoting") {
    CHECK(resolved_hash(kParent, edit(kChild, "  - {id: line, capacity: 11 bcm/y}\n",
                                      "  -   id: line\n      capacity: \"11 bcm/y\"\n")) == base);
    CHECK(resolved_hash(kParent, edit(kChild, "  - {id: line, capacity: 11 bcm/y}\n",
                                      "  - id: line\n    capacity: '11 bcm/y'\n")) == base);
    CHECK(resolved_hash(edit(kParent, "horizon: {start: 2030, end: 2031}",
                             "horizon:\n    start: 2030\n    end: 2031"),
                        kChild) == base);
  }
}

TEST_CASE("manifest hash: manifest.json carries it, combined over the inputs in order",
          "[manifest]") {
  ScratchDir dir;
  std::ofstream(dir.path() / "parent.yaml") << kParent;
  std::ofstream(dir.path() / "child.yaml") << kChild;
  const LoadedScenario child = load_scenario((dir.path() / "child.yaml").string());
  const LoadedScenario parent = load_scenario((dir.path() / "parent.yaml").string());
  CHECK(child.resolved_sha256 != parent.resolved_sha256);
  auto resolved_of = [](const std::string& json) {
    std::smatch m;
    REQUIRE(std::regex_search(json, m, std::regex("\"resolved_sha256\": \"([0-9a-f]{64})\"")));
    return m[1].str();
  };
  const std::string both = resolved_of(manifest_json("x", {child, parent}, "t", {}));
  CHECK(both == resolved_of(manifest_json("y", {child, parent}, "u", {"a.csv"})));
  CHECK(both != resolved_of(manifest_json("x", {parent, child}, "t", {})));
  CHECK(both != resolved_of(manifest_json("x", {child}, "t", {})));
}

}  // namespace
}  // namespace corridor
