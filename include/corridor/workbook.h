#pragma once
/// \file results.xlsx: corridor's tables as one typed workbook, for spreadsheet users.
///
/// Spreadsheets guess the type of every CSV cell on import: LibreOffice and Excel turn a case
/// named `-10%` into a number, `1/2` or `Jan-30` into a date, `=SUM(A1)` into a formula, `0012`
/// into 12. corridor cannot stop that from the CSV side, so `--xlsx` also writes the same
/// tables as a workbook whose cells carry their type. The CSVs stay the contract; the workbook
/// holds exactly their text, typed:
///   - one sheet per table, named after the file without `.csv` (`flows`, `comparison_wide`),
///     in the order given;
///   - each column typed by its declared type (column_type(), csv.h), never by its content:
///     text columns are text cells holding the CSV field verbatim (no formula is ever written),
///     number columns are numeric cells with the value of the CSV text, and an empty field is
///     an empty cell (no 0, no empty string);
///   - row 1 is the CSV header, bold and frozen, with an autofilter over the table; units stay
///     in their own columns, as in the CSVs;
///   - the document's creation time is fixed (2000-01-01T00:00:00Z), so the same tables give
///     the same bytes; the run's own time is in manifest.json.
/// Built with libxlsxwriter, in sim/io only.
#include <string>
#include <utility>
#include <vector>

namespace corridor {

/// The bytes of an .xlsx workbook holding `tables` (file name, CSV text), one sheet each. The
/// function that every table-writing command uses for `--xlsx`: give it the CSVs it writes.
/// Throws std::logic_error if a name does not end in `.csv`, a column has no declared type, or
/// a number column holds something that is not a number (all bugs); std::runtime_error with the
/// reason if the workbook cannot be built (a table longer than a sheet's 1,048,575 data rows, a
/// scratch file that cannot be written).
std::string xlsx_workbook(const std::vector<std::pair<std::string, std::string>>& tables);

}  // namespace corridor
