#include "corridor/workbook.h"

#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "corridor/csv.h"

namespace corridor {
namespace {

using Row = std::vector<std::string>;

/// The rows of an RFC 4180 CSV text as corridor writes it (csv_field(): quotes around a field
/// with a comma, quote, CR or LF; inner quotes doubled; every line ends in '\n').
std::vector<Row> parse_csv(std::string_view text, const std::string& name) {
  std::vector<Row> rows;
  Row row;
  std::string field;
  bool quoted = false;     // inside a quoted field
  bool any_field = false;  // the current line has started
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch != '"') {
        field += ch;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
      continue;
    }
    any_field = true;
    if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (ch == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      any_field = false;
    } else if (ch != '\r') {
      field += ch;
    }
  }
  if (quoted) throw std::logic_error(name + ": unterminated quoted field");
  if (any_field) {  // a last line without '\n'
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

/// The value of a number cell: corridor's fixed format only (no exponent, no inf or nan).
double number_of(const std::string& text, const std::string& where) {
  double v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v, std::chars_format::fixed);
  if (ec != std::errc() || ptr != end) {
    throw std::logic_error(where + ": '" + text + "' is not a number in a number column");
  }
  return v;
}

/// A scratch file for libxlsxwriter, which writes to a path only; removed with the object.
class ScratchFile {
 public:
  ScratchFile() {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    if (ec) dir = "/tmp";
    path_ = (dir / "corridor-xlsx-XXXXXX").string();
    const int fd = mkstemp(path_.data());
    if (fd < 0) {
      throw std::runtime_error("results.xlsx: cannot create a scratch file in '" + dir.string() +
                               "': " + std::strerror(errno));
    }
    close(fd);
  }
  ~ScratchFile() { unlink(path_.c_str()); }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct WorkbookCloser {
  void operator()(lxw_workbook* wb) const { workbook_close(wb); }
};

void check(lxw_error err, const std::string& where) {
  if (err != LXW_NO_ERROR) {
    throw std::runtime_error("results.xlsx: " + where + ": " + lxw_strerror(err));
  }
}

// Excel's column width is in characters of the default font; keep sheets readable without
// letting one long detail make a column a screen wide.
constexpr double kMinWidth = 8;
constexpr double kMaxWidth = 40;
constexpr std::size_t kWidthSampleRows = 200;

}  // namespace

std::string xlsx_workbook(const std::vector<std::pair<std::string, std::string>>& tables) {
  ScratchFile scratch;
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  std::unique_ptr<lxw_workbook, WorkbookCloser> wb(
      workbook_new_opt(scratch.path().c_str(), &options));
  if (!wb) {
    throw std::runtime_error("results.xlsx: cannot start a workbook at '" + scratch.path() + "'");
  }
  lxw_doc_properties properties{};
  properties.created = 946684800;  // 2000-01-01T00:00:00Z: the same tables, the same bytes
  check(workbook_set_properties(wb.get(), &properties), "document properties");
  lxw_format* bold = workbook_add_format(wb.get());
  format_set_bold(bold);

  for (const auto& [file, csv] : tables) {
    if (!file.ends_with(".csv")) {
      throw std::logic_error("xlsx_workbook: '" + file + "' is not a CSV table");
    }
    const std::string sheet_name = file.substr(0, file.size() - 4);
    const std::vector<Row> rows = parse_csv(csv, file);
    if (rows.empty()) throw std::logic_error(file + ": no header row");
    if (rows.size() > LXW_ROW_MAX) {
      throw std::runtime_error("results.xlsx: " + file + " has " + std::to_string(rows.size() - 1) +
                               " rows, more than a sheet holds (1,048,575 below its header); "
                               "use the CSV files, or run fewer cases at once");
    }
    const Row& header = rows.front();
    if (header.size() > LXW_COL_MAX) throw std::logic_error(file + ": too many columns");
    std::vector<ColumnType> types;
    for (const std::string& column : header) types.push_back(column_type(column));

    lxw_worksheet* ws = workbook_add_worksheet(wb.get(), sheet_name.c_str());
    if (!ws) throw std::logic_error("xlsx_workbook: '" + sheet_name + "' is no sheet name");
    const auto last_col = static_cast<lxw_col_t>(header.size() - 1);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const Row& row = rows[r];
      const std::string where = file + ":" + std::to_string(r + 1);
      if (row.size() != header.size()) {
        throw std::logic_error(where + ": " + std::to_string(row.size()) + " fields, header has " +
                               std::to_string(header.size()));
      }
      const auto xr = static_cast<lxw_row_t>(r);
      for (std::size_t c = 0; c < row.size(); ++c) {
        const auto xc = static_cast<lxw_col_t>(c);
        const std::string& text = row[c];
        if (r == 0) {
          check(worksheet_write_string(ws, xr, xc, text.c_str(), bold), where);
        } else if (text.empty()) {
          // Undefined: an empty cell, which a spreadsheet's average skips.
        } else if (types[c] == ColumnType::kNumber) {
          check(worksheet_write_number(ws, xr, xc, number_of(text, where), nullptr), where);
        } else {
          check(worksheet_write_string(ws, xr, xc, text.c_str(), nullptr), where);
        }
      }
    }
    worksheet_freeze_panes(ws, 1, 0);
    check(worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(rows.size() - 1), last_col), file);
    for (std::size_t c = 0; c < header.size(); ++c) {
      std::size_t chars = header[c].size() + 3;  // room for the autofilter's button
      for (std::size_t r = 1; r < rows.size() && r <= kWidthSampleRows; ++r) {
        chars = std::max(chars, rows[r][c].size() + 1);
      }
      const double width = std::clamp(static_cast<double>(chars), kMinWidth, kMaxWidth);
      const auto xc = static_cast<lxw_col_t>(c);
      check(worksheet_set_column(ws, xc, xc, width, nullptr), file);
    }
  }

  const lxw_error closed = workbook_close(wb.release());
  if (closed != LXW_NO_ERROR) {
    throw std::runtime_error("results.xlsx: cannot write the workbook ('" + scratch.path() +
                             "'): " + lxw_strerror(closed));
  }
  std::ifstream in(scratch.path(), std::ios::binary);
  std::ostringstream bytes;
  if (in) bytes << in.rdbuf();
  if (!in || bytes.str().empty()) {
    throw std::runtime_error("results.xlsx: cannot read back the workbook ('" + scratch.path() +
                             "')");
  }
  return bytes.str();
}

}  // namespace corridor
