#!/usr/bin/env python3
"""Round-trip every CSV corridor writes through LibreOffice Calc and read the result back.

This is the CSV contract seen from a spreadsheet: a user who opens flows.csv in Calc or Excel
must get the same table, with every number as a number and every id as text. The check runs
`corridor run` on the shipped scenarios (and `corridor compare` on the route alternatives),
converts each CSV to .xlsx and .ods with one headless soffice call per format, and reads the
files back with the standard library only (zipfile + ElementTree):

  * same number of rows and the same header row as the CSV;
  * a CSV cell matching corridor's number format (-?digits(.digits)?) is a numeric cell equal to
    the CSV value within 1e-9 relative (xlsx: no t="s"/"str"/"inlineStr"/"b"/"e";
    ods: office:value-type="float");
  * any other non-empty cell is a text cell with exactly the CSV text (no date, percentage,
    boolean, scientific number or formula);
  * an empty CSV cell is an empty cell.

A small hostile CSV (selftest.csv below) goes through the same soffice calls; the checker must
find exactly its known mismatches, so a checker that has gone blind fails the test too.

Usage: check_spreadsheets.py --corridor BUILD/corridor --root REPO [--soffice soffice]
                             [--keep DIR] [--without-compare]
Exit status: 0 all sheets match, 1 mismatches (listed with file, row and column), 2 set-up error.
"""

import argparse
import csv
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

# corridor writes numbers with fixed decimals and no exponent, sign only when negative.
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")

# Filter options of LibreOffice's CSV import: separator ',' (44), text delimiter '"' (34),
# UTF-8 (76), start at line 1. Everything else stays at its default: no special-number (date)
# detection beyond what Calc always does, which is exactly what a user gets on opening the file.
CSV_FILTER = "CSV:44,34,76,1"

# Routes compared in the notebook and in `corridor compare`'s documentation.
COMPARE_SCENARIO = "scenarios/russia-china/gas-routes.yaml"
COMPARE_BASELINE = "status-quo"

# Hostile cells Calc is known to reinterpret, with the (row, column) the checker must flag.
SELFTEST_CSV = ('id,a,b,c\n'
                '2031-07,1e5,TRUE,5%\n'
                '2031-07-01,007,-0.000000,"x,y"\n'
                '=1+1,12.5,,0012\n')
SELFTEST_EXPECTED = {(2, "a"), (2, "b"), (2, "c"), (3, "id"), (4, "id")}

NS_XLSX = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
           "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
           "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
NS_ODS = {"office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
          "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
          "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}


class Cell:
    """What a spreadsheet holds in one cell: kind is 'empty', 'number' or 'text', or a
    spreadsheet-specific kind such as 'boolean', 'date', 'percentage' or 'formula'."""

    def __init__(self, kind, value=None):
        self.kind = kind
        self.value = value

    def __repr__(self):
        return self.kind if self.value is None else f"{self.kind} {self.value!r}"


# ------------------------------------------------------------------------------------ xlsx
def column_index(ref):
    """'AB12' -> 27 (0-based column)."""
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + (ord(ch.upper()) - ord("A") + 1)
    return n - 1


def xlsx_text(element):
    """Text of a shared-string or inline-string item, rich-text runs joined."""
    return "".join(t.text or "" for t in element.iter(f"{{{NS_XLSX['m']}}}t"))


def read_xlsx(path):
    """Rows of the first sheet as lists of Cell, trailing empty rows dropped."""
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            sst = ET.fromstring(z.read("xl/sharedStrings.xml"))
            shared = [xlsx_text(si) for si in sst.findall("m:si", NS_XLSX)]
        workbook = ET.fromstring(z.read("xl/workbook.xml"))
        sheets = workbook.findall("m:sheets/m:sheet", NS_XLSX)
        if len(sheets) != 1:
            raise ValueError(f"expected 1 sheet, found {len(sheets)}")
        rel_id = sheets[0].get(f"{{{NS_XLSX['r']}}}id")
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels.findall("rel:Relationship", NS_XLSX)
                      if r.get("Id") == rel_id)
        sheet = ET.fromstring(z.read("xl/" + target.lstrip("/").removeprefix("xl/")))

    rows = {}
    for row in sheet.iter(f"{{{NS_XLSX['m']}}}row"):
        cells = {}
        for c in row.findall("m:c", NS_XLSX):
            t = c.get("t", "n")
            v = c.find("m:v", NS_XLSX)
            if c.find("m:f", NS_XLSX) is not None:
                cell = Cell("formula", None if v is None else v.text)
            elif t == "s":
                cell = Cell("text", shared[int(v.text)])
            elif t == "inlineStr":
                cell = Cell("text", xlsx_text(c.find("m:is", NS_XLSX)))
            elif t == "n" and v is not None:
                cell = Cell("number", float(v.text))
            elif t == "n":
                cell = Cell("empty")
            else:  # "b" boolean, "e" error, "str" formula string, "d" ISO date
                cell = Cell({"b": "boolean", "e": "error", "str": "formula",
                             "d": "date"}.get(t, t), None if v is None else v.text)
            cells[column_index(c.get("r"))] = cell
        width = max(cells, default=-1) + 1
        rows[int(row.get("r"))] = [cells.get(i, Cell("empty")) for i in range(width)]
    return trim([rows.get(r, []) for r in range(1, max(rows, default=0) + 1)])


# ------------------------------------------------------------------------------------- ods
def ods_text(cell):
    """Text of an ODS cell: its text:p paragraphs, with text:s / text:tab expanded."""
    def walk(e):
        out = [e.text or ""]
        for child in e:
            tag = child.tag.split("}")[1]
            if tag == "s":
                out.append(" " * int(child.get(f"{{{NS_ODS['text']}}}c", "1")))
            elif tag == "tab":
                out.append("\t")
            elif tag == "line-break":
                out.append("\n")
            else:
                out.append(walk(child))
            out.append(child.tail or "")
        return "".join(out)
    return "\n".join(walk(p) for p in cell.findall("text:p", NS_ODS))


def read_ods(path):
    """Rows of the first table as lists of Cell, trailing empty rows dropped."""
    with zipfile.ZipFile(path) as z:
        content = ET.fromstring(z.read("content.xml"))
    tables = content.findall("office:body/office:spreadsheet/table:table", NS_ODS)
    if len(tables) != 1:
        raise ValueError(f"expected 1 table, found {len(tables)}")
    t, o = NS_ODS["table"], NS_ODS["office"]
    rows = []
    for row in tables[0].iter(f"{{{t}}}table-row"):
        cells = []
        for c in row:
            if c.tag not in (f"{{{t}}}table-cell", f"{{{t}}}covered-table-cell"):
                continue
            kind = c.get(f"{{{o}}}value-type")
            if c.get(f"{{{t}}}formula") is not None:
                cell = Cell("formula", c.get(f"{{{o}}}value"))
            elif kind is None:
                cell = Cell("empty")
            elif kind == "float":
                cell = Cell("number", float(c.get(f"{{{o}}}value")))
            elif kind == "string":
                cell = Cell("text", ods_text(c))
            else:  # percentage, currency, date, time, boolean
                cell = Cell(kind, ods_text(c))
            repeat = int(c.get(f"{{{t}}}number-columns-repeated", "1"))
            if cell.kind == "empty" and repeat > 1024:
                repeat = 1  # the rest of the row is empty; do not expand 16k columns
            cells.extend([cell] * repeat)
        while cells and cells[-1].kind == "empty":
            cells.pop()
        repeat = int(row.get(f"{{{t}}}number-rows-repeated", "1"))
        if not cells and repeat > 1024:
            repeat = 1  # trailing blank rows up to the end of the sheet
        rows.extend([cells] * repeat)
    return trim(rows)


def trim(rows):
    """Drop trailing empty cells of each row and trailing empty rows."""
    out = []
    for r in rows:
        r = list(r)
        while r and r[-1].kind == "empty":
            r.pop()
        out.append(r)
    while out and not out[-1]:
        out.pop()
    return out


# --------------------------------------------------------------------------------- compare
def compare(csv_path, sheet_rows):
    """Mismatches between a CSV file and the rows read back, as (row, column, message)."""
    with open(csv_path, newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    header = table[0] if table else []
    found = []
    if len(sheet_rows) != len(table):
        found.append((None, None, f"{len(table)} rows in the CSV, {len(sheet_rows)} in the sheet"))
    for r, csv_row in enumerate(table, start=1):
        got = sheet_rows[r - 1] if r <= len(sheet_rows) else []
        for i in range(max(len(csv_row), len(got))):
            name = header[i] if i < len(header) else f"#{i + 1}"
            text = csv_row[i] if i < len(csv_row) else ""
            cell = got[i] if i < len(got) else Cell("empty")
            problem = check_cell(text, cell)
            if problem:
                found.append((r, name, problem))
    return found


def check_cell(text, cell):
    """None if the cell holds what the CSV text means, else what is wrong."""
    if text == "":
        return None if cell.kind == "empty" else f"CSV empty, sheet has {cell}"
    if NUMBER.fullmatch(text):
        if cell.kind != "number":
            return f"CSV number {text!r} arrived as {cell}"
        if not math.isclose(cell.value, float(text), rel_tol=1e-9, abs_tol=1e-12):
            return f"CSV number {text!r} arrived as {cell.value!r}"
        return None
    if cell.kind != "text":
        return f"CSV text {text!r} arrived as {cell}"
    if cell.value != text:
        return f"CSV text {text!r} arrived as text {cell.value!r}"
    return None


# ---------------------------------------------------------------------------------- driver
def run(cmd, what, cwd=None, timeout=300):
    """Runs cmd in its own process group (soffice forks), killing the group on timeout."""
    with subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            sys.stderr.write(f"check_spreadsheets: {what} timed out after {timeout} s\n")
            sys.exit(2)
    if proc.returncode != 0:
        sys.stderr.write(f"check_spreadsheets: {what} failed with exit {proc.returncode}: "
                         f"{' '.join(map(str, cmd))}\n{out}{err}")
        sys.exit(2)


def produce_csvs(corridor, root, scratch, with_compare):
    """Runs corridor and returns {staged name: CSV path}; names are unique across commands."""
    scenarios = sorted(str(p.relative_to(root)) for p in (root / "scenarios").rglob("*.yaml"))
    outputs = {"run": scratch / "run"}
    run([corridor, "run", *scenarios, "-o", outputs["run"], "-q"], "corridor run", cwd=root)
    if with_compare:
        outputs["compare"] = scratch / "compare"
        run([corridor, "compare", COMPARE_SCENARIO, "--baseline", COMPARE_BASELINE,
             "-o", outputs["compare"], "-q"], "corridor compare", cwd=root)
    staged = {}
    for command, directory in outputs.items():
        files = sorted(directory.rglob("*.csv"))
        if not files:
            sys.stderr.write(f"check_spreadsheets: corridor {command} wrote no CSV files\n")
            sys.exit(2)
        for path in files:
            staged[f"{command}__{path.relative_to(directory).as_posix().replace('/', '__')}"] = path
    return scenarios, staged


def convert(soffice, sources, fmt, outdir, profile):
    """One soffice call converting every staged CSV to fmt; returns seconds taken."""
    start = time.monotonic()
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           f"--infilter={CSV_FILTER}", "--convert-to", fmt, "--outdir", str(outdir),
           *map(str, sources)]
    run(cmd, f"soffice --convert-to {fmt}")
    missing = [s.name for s in sources if not (outdir / (s.stem + "." + fmt)).is_file()]
    if missing:
        sys.stderr.write(f"check_spreadsheets: soffice wrote no .{fmt} for {', '.join(missing)}\n")
        sys.exit(2)
    return time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corridor", required=True, type=Path, help="the corridor binary")
    parser.add_argument("--root", required=True, type=Path, help="repository root")
    parser.add_argument("--soffice", default="soffice", help="LibreOffice binary")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    parser.add_argument("--without-compare", action="store_true",
                        help="check `corridor run` outputs only (for builds without compare)")
    args = parser.parse_args()
    started = time.monotonic()

    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
        scratch = args.keep
    else:
        scratch = Path(tempfile.mkdtemp(prefix="corridor-sheets-"))
    try:
        scenarios, csvs = produce_csvs(args.corridor.resolve(), args.root.resolve(), scratch,
                                      not args.without_compare)
        stage = scratch / "csv"
        stage.mkdir()
        sources = []
        for name, path in csvs.items():
            shutil.copyfile(path, stage / name)
            sources.append(stage / name)
        (stage / "selftest.csv").write_text(SELFTEST_CSV, encoding="utf-8")
        sources.append(stage / "selftest.csv")

        # A private profile: parallel runs and a user's open LibreOffice do not collide.
        profile = scratch / "lo-profile"
        timings = {fmt: convert(args.soffice, sources, fmt, scratch / fmt, profile)
                   for fmt in ("xlsx", "ods")}

        failures = 0
        for fmt, reader in (("xlsx", read_xlsx), ("ods", read_ods)):
            for src in sources:
                out = scratch / fmt / (src.stem + "." + fmt)
                try:
                    found = compare(src, reader(out))
                except (ValueError, KeyError, ET.ParseError, zipfile.BadZipFile) as e:
                    found = [(None, None, f"cannot read {out.name}: {e}")]
                if src.name == "selftest.csv":
                    flagged = {(r, c) for r, c, _ in found}
                    if flagged != SELFTEST_EXPECTED:
                        failures += 1
                        print(f"FAIL checker self-test ({fmt}): flagged {sorted(flagged, key=str)},"
                              f" expected {sorted(SELFTEST_EXPECTED, key=str)}")
                    continue
                label = f"{csvs[src.name]} -> .{fmt}"
                if found:
                    failures += 1
                    print(f"FAIL {label}: {len(found)} mismatch(es)")
                    for r, c, msg in found[:20]:
                        where = "" if r is None else f"row {r}, column '{c}': "
                        print(f"  {where}{msg}")
                    if len(found) > 20:
                        print(f"  ... and {len(found) - 20} more")

        lines = 0
        for path in csvs.values():
            with open(path, encoding="utf-8") as f:
                lines += sum(1 for _ in f)
        commands = "run" + ("" if args.without_compare else " and compare")
        print(f"{len(csvs)} CSV files ({lines} lines) from corridor {commands} on "
              f"{len(scenarios)} scenarios, plus the checker self-test "
              f"({len(SELFTEST_EXPECTED)} hostile cells); soffice xlsx {timings['xlsx']:.1f} s, "
              f"ods {timings['ods']:.1f} s; total {time.monotonic() - started:.1f} s")
        if failures:
            print(f"{failures} file(s) did not survive the round trip")
            return 1
        print("every CSV survives the round trip to .xlsx and .ods")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
