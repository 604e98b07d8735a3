#pragma once
/// \file The tables and terminal views of the studies of sensitivity.h: tornado.csv and the
/// terminal tornado, breakeven.csv and breakeven_curve.csv with their summary, explain.csv and
/// the terminal waterfall. Numbers follow the decimals policy of csv.h by unit: 6 decimals for
/// bcm and Mt, 3 for MUSD and unit costs, 4 for shares; an undefined value is an empty field.
#include <ostream>
#include <string>

#include "corridor/sensitivity.h"

namespace corridor {

/// tornado.csv: `scenario,case,kpi,unit,parameter,low_value,high_value,kpi_base,kpi_low,
/// kpi_high,swing`, per KPI (in option order) and bar (largest swing first).
std::string tornado_csv(const SensitivityResult& r);

/// The tornado of each KPI: one line per input, largest swing first, with a bar from the
/// base value to the low and the high KPI (Unicode block elements, eighths of a column), the
/// whole fitting `width` columns; at most `top` bars per KPI (the rest are counted).
void print_tornado(std::ostream& os, const SensitivityResult& r, int width, int top);

/// breakeven.csv: `scenario,parameter,case,kpi,vs_case,vs_kpi,crossing,value,value_unit,
/// kpi_value,unit,method`, one row per crossing (numbered from 1), or one row with `crossing`
/// and `value` empty and `method` "no crossing in LOW..HIGH".
std::string breakeven_csv(const BreakevenResult& r);
/// breakeven_curve.csv: `scenario,parameter,value,value_unit,case,kpi,kpi_value,vs_case,vs_kpi,
/// vs_kpi_value,unit`: every point evaluated, by value.
std::string breakeven_curve_csv(const BreakevenResult& r);
/// The crossings in words, or that there is none in the range.
void print_breakeven(std::ostream& os, const BreakevenResult& r);

/// explain.csv: `scenario,kpi,unit,from_case,to_case,input,old_value,new_value,one_at_a_time,
/// shapley,share`, per KPI: one row per changed input (share = shapley / the change of the
/// KPI), then `(interaction)` (one_at_a_time holds the interaction remainder) and, when the
/// cases differ beyond parameter paths and entities, `(other)` (shapley holds that part).
std::string explain_csv(const ExplainResult& r);
/// The changed inputs, old and new.
void print_changes(std::ostream& os, const ExplainResult& r, int width);
/// Per KPI, a waterfall: the `from` value, each input's Shapley value (largest first) with the
/// running total and a bar, and the `to` value.
void print_waterfall(std::ostream& os, const ExplainResult& r, int width);

}  // namespace corridor
