#!/usr/bin/env python3
"""Read corridor's results.xlsx with openpyxl, a reader independent of corridor, and check it
against the CSVs written with it (issue 9, item 4).

Runs `corridor compare --xlsx` on tests/fixtures/spreadsheet/hostile-ids.yaml (case names, node,
pipeline and route ids such as -10%, 1/2, Jan-30, =SUM(A1), 0012, 1e5 and TRUE, one case
monthly) and `corridor run --xlsx` on the shipped corridor library's gas routes, then, for every
CSV the manifest lists:

  * the workbook has a sheet of the same name (without .csv), in the manifest's order;
  * the sheet has exactly the CSV's rows and columns: row 1 is the header, bold, frozen
    (freeze_panes A2), with an autofilter over the whole table;
  * a cell of an id, name, unit or label column (TEXT_COLUMNS below) is a text cell equal to
    the CSV field, whatever it looks like;
  * any other non-empty cell is a number (int or float, not bool, not a date) equal to the CSV
    field, which is in corridor's number format;
  * an empty CSV field is an empty cell; no cell anywhere holds a formula;

and that every hostile id arrived as text in the case, node, pipeline and route columns.
A hostile workbook written here with openpyxl itself (a number stored for an id, a formula,
a date) must fail the same checks, so a checker gone blind fails the test too.

Usage: check_workbook.py --corridor BUILD/corridor --root REPO [--keep DIR]
Exit status: 0 all sheets match, 1 mismatches (listed with sheet, row and column), 2 set-up error.
"""

import argparse
import csv
import datetime
import io
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import openpyxl
    from openpyxl.styles import Font
except ImportError:
    print("check_workbook: needs openpyxl (Debian python3-openpyxl; ./setup.sh --checks)",
          file=sys.stderr)
    sys.exit(2)

# corridor writes numbers with fixed decimals and no exponent, sign only when negative.
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")

# The id, name, unit and label columns of every table (README, the CSV contract). Listed here
# on purpose, independently of corridor's own declaration (column_type() in sim/io/csv.cpp).
TEXT_COLUMNS = {"scenario", "case", "commodity", "pipeline", "from", "to", "node", "route",
                "country", "unit", "cost_unit", "volume_unit", "bottleneck", "status", "metric",
                "detail", "baseline_case", "transit_countries", "contract", "seller", "rule",
                "kind", "binding", "min_cut"}

HOSTILE = ["-10%", "+20%", "50%", "1/2", "Jan-30", "=SUM(A1)", "0012", "1e5", "TRUE"]
HOSTILE_FIXTURE = "tests/fixtures/spreadsheet/hostile-ids.yaml"
LIBRARY_SCENARIO = "scenarios/russia-china/gas-routes.yaml"


def column_letter(n):
    """1 -> A, 27 -> AA."""
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(ord("A") + r) + s
    return s


def check_sheet(ws, rows, where):
    """Every mismatch between the openpyxl sheet `ws` and the CSV `rows`, as strings."""
    problems = []
    header = rows[0]
    if ws.max_row != len(rows) or ws.max_column != len(header):
        problems.append(f"{where}: {ws.max_row} x {ws.max_column} cells, CSV has "
                        f"{len(rows)} x {len(header)}")
    if ws.freeze_panes != "A2":
        problems.append(f"{where}: frozen at {ws.freeze_panes!r}, not below the header (A2)")
    want_filter = f"A1:{column_letter(len(header))}{len(rows)}"
    if ws.auto_filter.ref != want_filter:
        problems.append(f"{where}: autofilter {ws.auto_filter.ref!r}, not {want_filter!r}")
    for r, fields in enumerate(rows, start=1):
        for c, field in enumerate(fields, start=1):
            cell = ws.cell(row=r, column=c)
            at = f"{where}!{column_letter(c)}{r} ({header[c - 1]} = {field!r})"
            value = cell.value
            if cell.data_type == "f":
                problems.append(f"{at}: a formula {value!r}")
                continue
            if field == "":
                if value is not None:
                    problems.append(f"{at}: {value!r}, not an empty cell")
                continue
            if r == 1:
                if value != field or not cell.font.b:
                    problems.append(f"{at}: header {value!r}, bold {cell.font.b}")
            elif header[c - 1] in TEXT_COLUMNS:
                if not isinstance(value, str) or cell.data_type != "s" or value != field:
                    problems.append(f"{at}: {type(value).__name__} {value!r}, not the text")
            else:
                if not NUMBER.fullmatch(field):
                    problems.append(f"{at}: the CSV field is not a corridor number")
                elif (isinstance(value, bool) or not isinstance(value, (int, float))
                      or isinstance(value, datetime.datetime)):
                    problems.append(f"{at}: {type(value).__name__} {value!r}, not a number")
                elif abs(value - float(field)) > 1e-12 * max(1.0, abs(float(field))):
                    problems.append(f"{at}: {value!r}, not {field}")
            if r > 1 and cell.font.b:
                problems.append(f"{at}: a bold data cell")
    return problems


def check_results(out_dir):
    """Mismatches between out_dir/results.xlsx and the CSVs its manifest lists."""
    manifest = json.loads((out_dir / "manifest.json").read_text())
    outputs = manifest["outputs"]
    if "results.xlsx" not in outputs:
        return [f"{out_dir}/manifest.json: results.xlsx is not among its outputs {outputs}"], None
    csvs = [name for name in outputs if name.endswith(".csv")]
    wb = openpyxl.load_workbook(out_dir / "results.xlsx")
    problems = []
    if wb.sheetnames != [name[:-4] for name in csvs]:
        problems.append(f"{out_dir}: sheets {wb.sheetnames}, CSVs {csvs}")
    for name in csvs:
        if name[:-4] not in wb.sheetnames:
            continue
        with open(out_dir / name, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        problems += check_sheet(wb[name[:-4]], rows, f"{out_dir.name}/results.xlsx:{name[:-4]}")
    return problems, wb


def hostile_ids_arrived(wb):
    """The hostile ids that did not reach the workbook as text in their columns."""
    def texts(sheet, column):
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        col = header.index(column) + 1
        return {ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)
                if ws.cell(row=r, column=col).data_type == "s"}
    missing = []
    expected = {("flows", "case"): HOSTILE,
                ("flows", "pipeline"): ["+20%", "1/2", "Jan-30", "50%", "=SUM(A1)", "0012"],
                ("routes", "route"): ["-10%", "Jan-30", "1e5", "TRUE"],
                ("deliveries", "node"): ["Jan-30", "=SUM(A1)", "1e5", "TRUE"],
                ("supplies", "country"): ["1e5", "TRUE"],
                ("flows", "scenario"): ["0012"]}
    for (sheet, column), ids in expected.items():
        have = texts(sheet, column)
        missing += [f"{sheet}.{column}: {i!r} is not there as text" for i in ids if i not in have]
    return missing


def selftest(tmp):
    """A workbook that types its cells wrongly must fail check_sheet: the checker can see."""
    rows = [["scenario", "case", "year", "volume", "utilisation"],
            ["0012", "TRUE", "2030", "1.500000", ""],
            ["x", "1/2", "2031", "2.000000", "0.5000"]]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(rows[0])
    for c in ws[1]:
        c.font = Font(b=True)
    ws.append([12, True, 2030, 1.5, 0])             # id as number, bool, 0 for empty
    ws.append(["x", datetime.datetime(2031, 1, 2), "=2031", "2.000000", 0.5])  # date, formula, text
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = "A1:E3"
    path = tmp / "selftest.xlsx"
    wb.save(path)
    found = check_sheet(openpyxl.load_workbook(path).active, rows, "selftest")
    cells = {p.split(" ")[0] for p in found}
    expected = {"selftest!A2", "selftest!B2", "selftest!E2", "selftest!B3", "selftest!C3",
                "selftest!D3"}
    if cells != expected:
        return [f"selftest: the checker flagged {sorted(cells)}, expected {sorted(expected)}"]
    return []


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corridor", required=True, help="the corridor binary")
    ap.add_argument("--root", required=True, help="the repository root")
    ap.add_argument("--keep", help="write the results here instead of a temporary folder")
    args = ap.parse_args()
    root = Path(args.root)
    with tempfile.TemporaryDirectory(prefix="corridor_workbook_") as scratch:
        tmp = Path(args.keep) if args.keep else Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        problems = selftest(tmp)
        runs = {"hostile": ["compare", HOSTILE_FIXTURE, "--years", "2030,2031"],
                "library": ["run", LIBRARY_SCENARIO]}
        for name, command in runs.items():
            out = tmp / name
            done = subprocess.run([args.corridor, *command, "--xlsx", "-q", "-o", str(out)],
                                  cwd=root, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"check_workbook: corridor {' '.join(command)} exited "
                      f"{done.returncode}:\n{done.stderr}", file=sys.stderr)
                return 2
            found, wb = check_results(out)
            problems += found
            if name == "hostile" and wb is not None:
                problems += hostile_ids_arrived(wb)
    for p in problems[:200]:
        print(p)
    if problems:
        print(f"check_workbook: {len(problems)} mismatch(es)")
        return 1
    print("check_workbook: every sheet matches its CSV, typed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
