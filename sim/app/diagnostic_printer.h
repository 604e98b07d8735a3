#pragma once
// Diagnostics as a terminal shows them: each formatted (format_diagnostic), made safe to show,
// then the line of the file it points into with a caret under its column.
#include <string>
#include <vector>

#include "corridor/diagnostics.h"

namespace corridor::app {

/// The text of `ds`, one diagnostic after another: the formatted diagnostic with control
/// characters and bytes that are not UTF-8 escaped, and a quoted value over 80 bytes cut to
/// 60; then, when its line is known, at most 200 bytes long and printable UTF-8 (text.h: never
/// a byte the loader refuses), that line indented by 4 and a caret under the column. Reads
/// each file once, only as far as the last line asked for.
std::string render_diagnostics(const std::vector<Diagnostic>& ds);

}  // namespace corridor::app
