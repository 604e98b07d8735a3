// results.xlsx (issue 9, item 4): corridor's tables as a typed workbook. The workbook is read
// back here without Python: the .xlsx zip is opened with zlib and the sheet XML checked cell by
// cell (tests/spreadsheet/check_workbook.py does the same with openpyxl, an independent reader,
// when CORRIDOR_EXTERNAL_CHECKS is on).
#include "corridor/workbook.h"

#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "corridor/csv.h"
#include "process_helpers.h"

namespace {

namespace fs = std::filesystem;
using corridor::ColumnType;
using corridor::test::read_file;
using corridor::test::ScratchDir;
using corridor::test::shell_quote;

const fs::path kRoot = CORRIDOR_SOURCE_DIR;
const std::string kBinary = CORRIDOR_BINARY;

// ------------------------------------------------------------------------------ zip reading

std::uint32_t le(const std::string& b, std::size_t at, int bytes) {
  REQUIRE(at + bytes <= b.size());
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

/// Every member of a zip archive: name -> uncompressed bytes (stored or deflated members).
std::map<std::string, std::string> unzip(const std::string& zip) {
  // End of central directory: signature 0x06054b50, the last one in the file.
  const std::size_t eocd = zip.rfind(std::string("PK\x05\x06", 4));
  REQUIRE(eocd != std::string::npos);
  const std::uint32_t entries = le(zip, eocd + 10, 2);
  std::size_t at = le(zip, eocd + 16, 4);  // start of the central directory
  std::map<std::string, std::string> members;
  for (std::uint32_t e = 0; e < entries; ++e) {
    REQUIRE(le(zip, at, 4) == 0x02014b50);
    const std::uint32_t method = le(zip, at + 10, 2);
    const std::uint32_t compressed = le(zip, at + 20, 4);
    const std::uint32_t size = le(zip, at + 24, 4);
    const std::uint32_t name_len = le(zip, at + 28, 2);
    const std::uint32_t extra_len = le(zip, at + 30, 2);
    const std::uint32_t comment_len = le(zip, at + 32, 2);
    const std::uint32_t local = le(zip, at + 42, 4);
    const std::string name = zip.substr(at + 46, name_len);
    at += 46 + name_len + extra_len + comment_len;

    REQUIRE(le(zip, local, 4) == 0x04034b50);
    const std::size_t data = local + 30 + le(zip, local + 26, 2) + le(zip, local + 28, 2);
    REQUIRE(data + compressed <= zip.size());
    std::string out(size, '\0');
    if (method == 0) {
      out = zip.substr(data, compressed);
    } else {
      REQUIRE(method == 8);
      z_stream z{};
      REQUIRE(inflateInit2(&z, -MAX_WBITS) == Z_OK);  // raw deflate
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
      z.avail_in = compressed;
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = size;
      const int rc = inflate(&z, Z_FINISH);
      inflateEnd(&z);
      REQUIRE(rc == Z_STREAM_END);
      REQUIRE(z.total_out == size);
    }
    members[name] = std::move(out);
  }
  return members;
}

// ------------------------------------------------------------------------------ sheet XML

std::string xml_unescape(std::string s) {
  const std::pair<std::string, std::string> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
      s.replace(p, from.size(), to);
    }
  }
  return s;
}

/// One cell as the sheet XML holds it.
struct XCell {
  std::string type;   ///< the t attribute: "" (number), "s" (shared string), "str", "b", ...
  std::string style;  ///< the s attribute
  std::string value;  ///< <v>, or the shared string it points to
  bool formula = false;
};

/// Column letters of a cell reference ("AB12" -> 27, zero-based).
int column_of(const std::string& ref) {
  int col = 0;
  for (char ch : ref) {
    if (ch < 'A' || ch > 'Z') break;
    col = col * 26 + (ch - 'A' + 1);
  }
  return col - 1;
}

int row_of(const std::string& ref) {
  return std::stoi(ref.substr(ref.find_first_of("0123456789"))) - 1;
}

struct Sheet {
  std::map<std::pair<int, int>, XCell> cells;  ///< (row, column), zero-based
  std::string xml;
};

struct Workbook {
  std::vector<std::string> sheet_names;  ///< in workbook order
  std::map<std::string, Sheet> sheets;
  std::string styles;
};

Workbook read_workbook(const std::string& bytes) {
  const std::map<std::string, std::string> zip = unzip(bytes);
  auto member = [&](const std::string& name) -> const std::string& {
    INFO(name);
    REQUIRE(zip.count(name) == 1);
    return zip.at(name);
  };
  std::vector<std::string> shared;
  if (zip.count("xl/sharedStrings.xml")) {
    const std::string& sst = member("xl/sharedStrings.xml");
    const std::regex si(R"re(<si>(?:<t>|<t xml:space="preserve">)([^<]*)</t></si>)re");
    for (auto it = std::sregex_iterator(sst.begin(), sst.end(), si); it != std::sregex_iterator();
         ++it) {
      shared.push_back(xml_unescape((*it)[1].str()));
    }
  }
  Workbook wb;
  wb.styles = member("xl/styles.xml");
  std::map<std::string, std::string> targets;  // rId -> worksheets/sheetN.xml
  const std::string& rels = member("xl/_rels/workbook.xml.rels");
  const std::regex rel(R"re(<Relationship Id="([^"]+)" Type="[^"]+" Target="([^"]+)")re");
  for (auto it = std::sregex_iterator(rels.begin(), rels.end(), rel); it != std::sregex_iterator();
       ++it) {
    targets[(*it)[1].str()] = (*it)[2].str();
  }
  const std::string& book = member("xl/workbook.xml");
  const std::regex sheet(R"re(<sheet name="([^"]+)" sheetId="\d+" r:id="([^"]+)"/>)re");
  const std::regex cell(R"re(<c r="([A-Z]+[0-9]+)"((?: [a-z]+="[^"]*")*)(?:/>|>(.*?)</c>))re");
  const std::regex attr(R"re(([a-z]+)="([^"]*)")re");
  const std::regex v("<v>([^<]*)</v>");
  for (auto it = std::sregex_iterator(book.begin(), book.end(), sheet);
       it != std::sregex_iterator(); ++it) {
    const std::string name = xml_unescape((*it)[1].str());
    wb.sheet_names.push_back(name);
    Sheet& s = wb.sheets[name];
    s.xml = member("xl/" + targets.at((*it)[2].str()));
    for (auto c = std::sregex_iterator(s.xml.begin(), s.xml.end(), cell);
         c != std::sregex_iterator(); ++c) {
      XCell x;
      const std::string attrs = (*c)[2].str(), body = (*c)[3].str();
      for (auto a = std::sregex_iterator(attrs.begin(), attrs.end(), attr);
           a != std::sregex_iterator(); ++a) {
        if ((*a)[1] == "t") x.type = (*a)[2];
        if ((*a)[1] == "s") x.style = (*a)[2];
      }
      x.formula = body.find("<f") != std::string::npos;
      std::smatch m;
      if (std::regex_search(body, m, v)) x.value = xml_unescape(m[1].str());
      if (x.type == "s") x.value = shared.at(std::stoul(x.value));
      const std::string ref = (*c)[1].str();
      s.cells[{row_of(ref), column_of(ref)}] = x;
    }
  }
  return wb;
}

// ------------------------------------------------------------------------------ CSV reading

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (ch == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
    } else {
      field += ch;
    }
  }
  rows.pop_back();  // after the last '\n'
  return rows;
}

/// The text columns of corridor's tables, listed here independently of column_type(): an id,
/// name, unit or label column, never read as a number.
const std::set<std::string> kTextColumns = {
    "scenario",    "case",   "commodity", "pipeline", "from",          "to",
    "node",        "route",  "country",   "unit",     "cost_unit",     "volume_unit",
    "bottleneck",  "status", "metric",    "detail",   "baseline_case", "transit_countries",
    "entity_kind", "entity", "contract",  "seller",   "rule",          "kind",
    "binding",     "min_cut"};

const std::regex kCorridorNumber(R"re(-?[0-9]+(\.[0-9]+)?)re");

/// Checks that `sheet` holds exactly `csv`, typed: header bold; text columns as shared strings
/// equal to the field; other columns as numbers equal to the field; empty fields as no cell;
/// no formula anywhere; row 1 frozen; an autofilter over the whole table.
void check_sheet(const Workbook& wb, const std::string& name, const std::string& csv) {
  INFO("sheet " << name);
  REQUIRE(wb.sheets.count(name) == 1);
  const Sheet& sheet = wb.sheets.at(name);
  const auto rows = parse_csv(csv);
  REQUIRE(!rows.empty());
  std::size_t expected_cells = 0;
  std::string bold_style;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      const std::string& field = rows[r][c];
      const std::string& column = rows[0][c];
      INFO("row " << r + 1 << ", column " << column << ": '" << field << "'");
      const auto it = sheet.cells.find({static_cast<int>(r), static_cast<int>(c)});
      if (field.empty()) {
        CHECK(it == sheet.cells.end());
        continue;
      }
      ++expected_cells;
      REQUIRE(it != sheet.cells.end());
      const XCell& x = it->second;
      CHECK_FALSE(x.formula);
      if (r == 0) {
        CHECK(x.type == "s");
        CHECK(x.value == field);
        CHECK(!x.style.empty());
        if (bold_style.empty()) bold_style = x.style;
        CHECK(x.style == bold_style);
      } else if (kTextColumns.count(column)) {
        CHECK(x.type == "s");
        CHECK(x.value == field);
      } else {
        REQUIRE(std::regex_match(field, kCorridorNumber));
        CHECK(x.type.empty());  // a number: no t attribute
        CHECK(std::strtod(x.value.c_str(), nullptr) ==
              Approx(std::strtod(field.c_str(), nullptr)).epsilon(1e-12).margin(1e-12));
        CHECK(x.style.empty());
      }
    }
  }
  CHECK(sheet.cells.size() == expected_cells);  // nothing but the table
  CHECK(sheet.xml.find(R"re(<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" )re"
                       R"re(state="frozen"/>)re") != std::string::npos);
  // The autofilter covers the header and every row: A1 to the last column and row.
  std::string last_col;
  for (int n = static_cast<int>(rows[0].size()); n > 0; n = (n - 1) / 26) {
    last_col.insert(last_col.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  CHECK(sheet.xml.find("<autoFilter ref=\"A1:" + last_col + std::to_string(rows.size()) + "\"/>") !=
        std::string::npos);
  // The header's style is bold: cellXfs entry number bold_style uses a font with <b/>.
  const std::regex xf(R"re(<xf numFmtId="\d+" fontId="(\d+)")re");
  const std::string xfs = wb.styles.substr(wb.styles.find("<cellXfs"));
  std::vector<int> fonts_of_xf;
  for (auto it = std::sregex_iterator(xfs.begin(), xfs.end(), xf); it != std::sregex_iterator();
       ++it) {
    fonts_of_xf.push_back(std::stoi((*it)[1].str()));
  }
  const std::regex font("<font>(.*?)</font>");
  std::vector<std::string> fonts;
  for (auto it = std::sregex_iterator(wb.styles.begin(), wb.styles.end(), font);
       it != std::sregex_iterator(); ++it) {
    fonts.push_back((*it)[1].str());
  }
  const int header_font = fonts_of_xf.at(std::stoul(bold_style));
  CHECK(fonts.at(header_font).find("<b/>") != std::string::npos);
  CHECK(fonts.at(0).find("<b/>") == std::string::npos);  // the data cells' default font
}

int run_corridor(const ScratchDir& scratch, const std::vector<std::string>& args) {
  std::string cmd = "cd " + shell_quote(kRoot.string()) + " && " + shell_quote(kBinary);
  for (const std::string& a : args) cmd += " " + shell_quote(a);
  cmd += " </dev/null >" + shell_quote((scratch / "out.txt").string()) + " 2>" +
         shell_quote((scratch / "err.txt").string());
  const int raw = std::system(cmd.c_str());
  INFO(read_file(scratch / "err.txt"));
  REQUIRE(WIFEXITED(raw));
  return WEXITSTATUS(raw);
}

const std::vector<std::string> kHostile = {"-10%",     "+20%", "50%", "1/2", "Jan-30",
                                           "=SUM(A1)", "0012", "1e5", "TRUE"};

}  // namespace

TEST_CASE("workbook: a hand table keeps ids as text, numbers as numbers, empty as empty",
          "[workbook]") {
  // #W1 One routes table. Every text field is a spreadsheet trap; the numbers include a
  // negative, a zero and many decimals; utilisation and bottleneck are empty in row 3; a
  // route id holds a comma and a quote (RFC 4180 quoting must be undone, not copied).
  const std::string csv =
      "scenario,case,year,commodity,route,volume,capacity,utilisation,bottleneck,unit\n"
      "0012,-10%,2030,gas,=SUM(A1),8.000000,10.000000,0.8000,1/2,bcm\n"
      "1e5,TRUE,2031,gas,\"a,\"\"b\"\"\",0.000000,0.000000,,,Mt\n"
      "+20%,Jan-30,2032,oil,50%,-0.250000,1234567.123456,1.0000,Jan-30,bcm\n";
  const Workbook wb = read_workbook(corridor::xlsx_workbook({{"routes.csv", csv}}));
  REQUIRE(wb.sheet_names == std::vector<std::string>{"routes"});
  check_sheet(wb, "routes", csv);
  // #W2 spelled out for the traps, whatever check_sheet does: text cells with the exact text.
  const Sheet& s = wb.sheets.at("routes");
  CHECK(s.cells.at({1, 0}).type == "s");
  CHECK(s.cells.at({1, 0}).value == "0012");
  CHECK(s.cells.at({1, 4}).value == "=SUM(A1)");
  CHECK_FALSE(s.cells.at({1, 4}).formula);
  CHECK(s.cells.at({2, 0}).value == "1e5");
  CHECK(s.cells.at({2, 1}).value == "TRUE");
  CHECK(s.cells.at({2, 4}).value == "a,\"b\"");
  CHECK(s.cells.count({2, 7}) == 0);  // empty utilisation: no cell, not 0
  CHECK(s.cells.at({3, 5}).type.empty());
  CHECK(s.cells.at({3, 5}).value == "-0.25");
  CHECK(s.cells.at({1, 2}).value == "2030");  // the year is a number
  CHECK(s.cells.at({1, 2}).type.empty());
}

TEST_CASE("workbook: the same tables give the same bytes", "[workbook]") {
  const std::vector<std::pair<std::string, std::string>> tables = {
      {"summary.csv", "scenario,case,year,status\nx,y,2030,optimal\n"},
      {"transit_fees.csv", "scenario,case,year,commodity,country,volume,unit,fees_musd\n"}};
  const std::string a = corridor::xlsx_workbook(tables);
  const std::string b = corridor::xlsx_workbook(tables);
  CHECK(a == b);
  const Workbook wb = read_workbook(a);
  CHECK(wb.sheet_names == std::vector<std::string>{"summary", "transit_fees"});
  check_sheet(wb, "transit_fees", tables[1].second);  // a header without rows
}

TEST_CASE("workbook: columns are typed by declaration, never by content", "[workbook]") {
  CHECK(corridor::column_type("case") == ColumnType::kText);
  CHECK(corridor::column_type("bottleneck") == ColumnType::kText);
  CHECK(corridor::column_type("utilisation") == ColumnType::kNumber);
  CHECK(corridor::column_type("volume_2030") == ColumnType::kNumber);
  CHECK(corridor::column_type("delta_levelised_cost_2035") == ColumnType::kNumber);
  CHECK(corridor::column_type("delta_transit_fees_musd") == ColumnType::kNumber);
  // comparison_cases.csv: supply and displacement by a source of any name, and a milestone.
  CHECK(corridor::column_type("supply_central-asia") == ColumnType::kNumber);
  CHECK(corridor::column_type("displaced_lng_2035") == ColumnType::kNumber);
  CHECK(corridor::column_type("delta_npv_cost_musd") == ColumnType::kNumber);
  CHECK(corridor::column_type("take_or_pay_musd") == ColumnType::kNumber);
  // Every declared text column of this test's own list is text in column_type() too.
  for (const std::string& c : kTextColumns) {
    INFO(c);
    CHECK(corridor::column_type(c) == ColumnType::kText);
  }
  CHECK_THROWS_WITH(corridor::column_type("colour"),
                    "column 'colour' has no declared type; add it to column_type() in csv.cpp");
  CHECK_THROWS_WITH(corridor::column_type("case_2030"),
                    "column 'case_2030' has no declared type; add it to column_type() in csv.cpp");
  // A number column holding text is a bug in the writer, not something to guess around.
  CHECK_THROWS_WITH(corridor::xlsx_workbook({{"routes.csv", "route,volume\nr,1e5\n"}}),
                    "routes.csv:2: '1e5' is not a number in a number column");
  CHECK_THROWS_WITH(corridor::xlsx_workbook({{"manifest.json", "{}"}}),
                    "xlsx_workbook: 'manifest.json' is not a CSV table");
}

TEST_CASE(
    "workbook: compare --xlsx on hostile ids writes every table typed, listed in the "
    "manifest",
    "[workbook][cli]") {
  // #W3 tests/fixtures/spreadsheet/hostile-ids.yaml: nine cases, nodes, pipelines and routes
  // named -10%, +20%, 50%, 1/2, Jan-30, =SUM(A1), 0012, 1e5, TRUE; one case monthly.
  ScratchDir tmp("corridor_workbook_test_");
  const fs::path out = tmp / "cmp";
  REQUIRE(run_corridor(tmp, {"compare", "tests/fixtures/spreadsheet/hostile-ids.yaml", "--years",
                             "2030,2031", "-q", "--xlsx", "-o", out.string()}) == 0);
  const std::string bytes = read_file(out / "results.xlsx");
  const Workbook wb = read_workbook(bytes);

  // One sheet per CSV, in the order the manifest lists them, then results.xlsx itself.
  const std::string manifest = read_file(out / "manifest.json");
  std::vector<std::string> csvs;
  const std::regex listed(R"re("([a-z_]+)\.csv")re");
  const std::string outputs = manifest.substr(manifest.find("\"outputs\""));
  for (auto it = std::sregex_iterator(outputs.begin(), outputs.end(), listed);
       it != std::sregex_iterator(); ++it) {
    csvs.push_back((*it)[1].str());
  }
  CHECK(outputs.find("\"results.xlsx\"") != std::string::npos);
  // 7 annual, 5 monthly, comparison, comparison_wide and comparison_cases.
  REQUIRE(csvs.size() == 15);
  CHECK(wb.sheet_names == csvs);
  for (const std::string& name : csvs) check_sheet(wb, name, read_file(out / (name + ".csv")));

  // Every hostile id reached the workbook as text: a case, a node, a pipeline and a route.
  const Sheet& flows = wb.sheets.at("flows");
  const Sheet& routes = wb.sheets.at("routes");
  const Sheet& deliveries = wb.sheets.at("deliveries");
  auto has_text = [](const Sheet& s, int column, const std::string& text) {
    for (const auto& [at, x] : s.cells) {
      if (at.first > 0 && at.second == column && x.type == "s" && x.value == text) return true;
    }
    return false;
  };
  for (const std::string& id : kHostile) {
    INFO(id);
    CHECK(has_text(flows, 1, id));  // case
    CHECK(has_text(routes, 4, id) ==
          (id == "-10%" || id == "Jan-30" || id == "1e5" || id == "TRUE"));  // the four routes
    CHECK(has_text(flows, 4, id) == (id != "-10%" && id != "TRUE" && id != "1e5"));  // pipelines
  }
  for (const char* node : {"Jan-30", "=SUM(A1)", "1e5", "TRUE"}) {
    CHECK(has_text(deliveries, 4, node));
  }
  CHECK(has_text(flows, 0, "0012"));  // the scenario's name

  // Without --xlsx there is no workbook; the rerun replaces the earlier one (corridor wrote it).
  REQUIRE(run_corridor(tmp, {"compare", "tests/fixtures/spreadsheet/hostile-ids.yaml", "--years",
                             "2030,2031", "-q", "-o", out.string()}) == 0);
  CHECK_FALSE(fs::exists(out / "results.xlsx"));
  CHECK(read_file(out / "manifest.json").find("results.xlsx") == std::string::npos);
  // And `run --xlsx` writes the same bytes twice.
  const fs::path a = tmp / "a", b = tmp / "b";
  REQUIRE(run_corridor(tmp, {"run", "scenarios/minimal.yaml", "-q", "--xlsx", "-o", a.string()}) ==
          0);
  REQUIRE(run_corridor(tmp, {"run", "scenarios/minimal.yaml", "-q", "--xlsx", "-o", b.string()}) ==
          0);
  CHECK(read_file(a / "results.xlsx") == read_file(b / "results.xlsx"));
  const Workbook minimal = read_workbook(read_file(a / "results.xlsx"));
  CHECK(minimal.sheet_names == std::vector<std::string>{"flows", "deliveries", "supplies", "routes",
                                                        "summary", "route_costs", "transit_fees"});
}

TEST_CASE("workbook: ensemble --xlsx writes its summary tables typed", "[workbook][cli]") {
  // #W4 The ensemble's own tables (entity_kind, entity, quantiles, standard errors) are
  // declared too; draws.csv, streamed and long, stays out of the workbook.
  ScratchDir tmp("corridor_workbook_test_");
  const fs::path out = tmp / "ens";
  REQUIRE(run_corridor(tmp, {"ensemble", "tests/fixtures/ensemble/tiny.yaml", "--draws", "40", "-j",
                             "1", "-q", "--keep-draws", "--xlsx", "-o", out.string()}) == 0);
  const Workbook wb = read_workbook(read_file(out / "results.xlsx"));
  CHECK(wb.sheet_names == std::vector<std::string>{"ensemble_summary", "ensemble_risk"});
  for (const std::string& name : wb.sheet_names) {
    check_sheet(wb, name, read_file(out / (name + ".csv")));
  }
  CHECK(read_file(out / "manifest.json").find("\"results.xlsx\"") != std::string::npos);
  CHECK(fs::exists(out / "draws.csv"));
}

TEST_CASE("workbook: run --bottlenecks --xlsx with storage writes the issue 12 tables typed",
          "[workbook][cli]") {
  // tests/fixtures/good/security-all-keys.yaml: monthly, gas and oil storage, an lng terminal.
  ScratchDir tmp("corridor_workbook_test_");
  const fs::path out = tmp / "sos";
  REQUIRE(run_corridor(tmp, {"run", "tests/fixtures/good/security-all-keys.yaml", "--bottlenecks",
                             "-q", "--xlsx", "-o", out.string()}) == 0);
  const Workbook wb = read_workbook(read_file(out / "results.xlsx"));
  for (const char* name : {"supplies", "storage", "storage_monthly", "bottlenecks", "market_limits",
                           "bottlenecks_monthly", "market_limits_monthly"}) {
    check_sheet(wb, name, read_file(out / (std::string(name) + ".csv")));
  }
}
