"""`ogi export`: a published dataset as one Excel workbook (and the same tables as CSV files).

For the people who read the reports rather than query them: one sheet per question, Chinese
headers, the codes beneath, every number a number.

    概览        one row per office-year (panel.parquet): office, division, level, year, format,
                status, completeness, counts of findings by severity, cells corrected
    主动公开    table 二, one row per office-year, one column per cell code of the table
    依申请      table 三, likewise
    复议诉讼    table 四, likewise
    问题清单    every finding of flags.parquet with its evidence: message, expected, found, page,
                position on the page, the cells involved and what they read as printed

Every sheet has two header rows — the Chinese label (row 1) above the code (row 2: the column
of panel.parquet, or of flags.parquet) — frozen, with an autofilter on the codes row. The sheets
and the Chinese labels of the fixed columns are data (`data/export_sheets.csv`,
`data/export_columns.csv`); the labels of the cell columns are the codebook's (`data/labels.csv`).

Never a guess in a cell: a blank, na or unread cell stays an empty cell (not 0); a count is
written as an integer with an integer format, and a count read as a fraction (a defect the
checks flag) keeps its fraction, so the format never rounds what the report printed. The same
dataset gives the same bytes: the workbook's dates are fixed and the archive's entries carry a
fixed timestamp.

The CSV files (`--csv DIR`) hold the same rows and both header rows, UTF-8 with a byte-order
mark so that Excel opens the Chinese correctly (`pandas.read_csv(path, header=[0, 1])`, or
`skiprows=[0]` for the codes alone).
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import data
from pipeline.core.store import write_atomic
from pipeline.dataset.panel import cell_column
from pipeline.formats import layout
from pipeline.formats.labels import canonical_label
from pipeline.publish.variables import col_label

SEVERITY_ORDER = ("error", "warning", "unverifiable", "info")
FIXED_DATE = datetime(2000, 1, 1)             # workbook created/modified: the same bytes every time
ZIP_DATE = (1980, 1, 1, 0, 0, 0)              # the earliest date a zip entry can carry
NUMBER_FORMATS = {"integer": "0", "count": "0", "signed": "0", "amount": "General", "share": "0.0%",
                  "text": "@"}
MIN_WIDTH, MAX_WIDTH, SAMPLE_ROWS = 6, 60, 500
ID_COLUMNS = 2                                 # office_id and office stay in view (frozen at C3)


@dataclass(frozen=True)
class Column:
    code: str         # the dataset's column name (header row 2)
    zh: str           # the Chinese label (header row 1)
    format: str       # a key of NUMBER_FORMATS


@dataclass(frozen=True)
class Sheet:
    code: str
    name: str         # the sheet's Chinese name
    file: str         # its CSV file name
    columns: tuple    # of Column
    rows: tuple       # of tuples, one value per column (None: an empty cell)


# -- reading the dataset -------------------------------------------------------------------------

def _table(folder: Path, name: str, columns=None):
    """A dataset as an Arrow table, only `columns` if given (of those the file has: an older
    dataset may lack a newer column)."""
    path = Path(folder) / f"{name}.parquet"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: run `ogi run REPORTS_DIR -o {folder}` first")
    have = pq.read_schema(path).names
    return pq.read_table(path, columns=[c for c in columns if c in have] if columns else None)


def _rows(folder: Path, name: str, columns=None) -> list:
    """A dataset's rows as dicts of plain Python values (None for null)."""
    return _table(folder, name, columns).to_pylist()


def _evidence_cells(folder: Path, flagged: set, canonical: set) -> list:
    """The cells the findings name and the corrected cells of canonical documents, filtered in
    Arrow first: a large dataset's cells never all become Python objects."""
    import pyarrow.compute as pc
    table = _table(folder, "cells", ["report_id", "table_code", "row_code", "col_code", "raw", "value", "corrected"])
    keep = pc.is_in(table["report_id"], value_set=pa.array(sorted(flagged), pa.string()))
    if "corrected" in table.column_names:
        mine = pc.and_(pc.fill_null(table["corrected"], False),
                       pc.is_in(table["report_id"], value_set=pa.array(sorted(canonical), pa.string())))
        keep = pc.or_(keep, mine)
    return table.filter(keep).to_pylist()


def _fixed_columns(sheet: str) -> tuple:
    return tuple(Column(r["column"], r["zh"], r["format"]) for r in data.rows("export_columns.csv")
                 if r["sheet"] == sheet)


def _sheet_info() -> dict:
    return {r["code"]: r for r in data.rows("export_sheets.csv")}


def _sheet(code: str, columns: tuple, rows: list) -> Sheet:
    info = _sheet_info()[code]
    return Sheet(code, info["sheet"], info["file"], columns,
                 tuple(tuple(r.get(c.code) for c in columns) for r in rows))


# -- the sheets ----------------------------------------------------------------------------------

def _counts_by_report(flags: list) -> dict:
    """{report_id: {severity: n}} over flags.parquet."""
    out = {}
    for f in flags:
        by = out.setdefault(f["report_id"], {})
        by[f["severity"]] = by.get(f["severity"], 0) + 1
    return out


def _corrected_by_report(cells: list) -> dict:
    out = {}
    for c in cells:
        if c.get("corrected"):
            out[c["report_id"]] = out.get(c["report_id"], 0) + 1
    return out


def overview_sheet(panel: list, flags: list, cells: list) -> Sheet:
    """One row per office-year: the panel's identity and quality columns, with the canonical
    document's findings counted by severity and its corrected cells."""
    counts, corrected = _counts_by_report(flags), _corrected_by_report(cells)
    rows = []
    for p in panel:
        by = counts.get(p["report_id"], {})
        expected, found = p.get("cells_expected"), p.get("cells_found")
        rows.append({**p, "completeness": found / expected if expected and found is not None else None,
                     "n_errors": p.get("n_errors"), "n_warnings": by.get("warning", 0),
                     "n_unverifiable": by.get("unverifiable", 0),
                     "n_corrected": corrected.get(p["report_id"], 0)})
    return _sheet("overview", _fixed_columns("overview"), rows)


def table_columns(table: str) -> tuple:
    """The cell columns of one standard table, in the codebook's order: the Chinese row and
    column labels (`行政复议｜结果维持`) above the panel column."""
    return tuple(Column(cell_column(t, r, c), f"{canonical_label(t, 'row', r)}｜{col_label(t, r, c)}",
                        layout.value_type(t, c))
                 for t, r, c in layout.all_cells() if t == table)


def table_sheet(table: str, panel: list) -> Sheet:
    """One row per office-year, one column per cell code of `table`: the panel's values."""
    return _sheet(table, _fixed_columns("table") + table_columns(table), panel)


def _position(bbox) -> str | None:
    return " ".join(f"{v:.1f}" for v in bbox) if bbox else None


def _readings(codes, printed: dict, rid: str) -> str | None:
    """The involved cells as printed (`requests.new.total：463`), a corrected one with its
    corrected value; one line each."""
    if rid is None:                  # a finding about no document (a line of corrections.csv)
        return None
    lines = []
    for code in codes or ():
        cell = printed.get((rid, code))
        if cell is None:
            lines.append(f"{code}：（未读到）")
            continue
        raw = cell.get("raw")
        text = raw if raw not in (None, "") else "（空白）"
        if cell.get("corrected"):
            value = cell.get("value")
            text += f"（已更正为 {_plain(value) if value is not None else '空白'}）"
        lines.append(f"{code}：{text}")
    return "\n".join(lines) or None


def findings_sheet(flags: list, reports: list, cells: list) -> Sheet:
    """Every finding, the most serious first, then by office, year and file, each with the
    evidence to look it up: the cells' printed text, the page and the box on it."""
    about = {(r["report_id"], r["source"]): r for r in reports}
    printed = {(c["report_id"], f"{c['table_code']}.{c['row_code']}.{c['col_code']}"): c for c in cells}
    rows = []
    for f in flags:
        r = about.get((f["report_id"], f["source"]), {})
        rows.append({**f, "office": r.get("office"), "office_id": r.get("office_id"), "year": r.get("year"),
                     "canonical": r.get("canonical"), "position": _position(f.get("bbox")),
                     "cells": "\n".join(f.get("cells") or ()) or None,
                     "readings": _readings(f.get("cells"), printed, f["report_id"])})
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    rows.sort(key=lambda x: (rank.get(x["severity"], len(rank)), x.get("office_id") or "", x.get("year") or 0,
                             x.get("source") or "", x["rule"], x.get("location") or "", x.get("message_zh") or ""))
    return _sheet("findings", _fixed_columns("findings"), rows)


def build_sheets(folder: Path) -> list:
    """The workbook's five sheets from the dataset in `folder`."""
    panel = _rows(folder, "panel")
    flags = _rows(folder, "flags")
    reports = _rows(folder, "reports", ["report_id", "source", "office", "office_id", "year", "canonical"])
    flagged = {f["report_id"] for f in flags if f.get("cells") and f["report_id"]}
    canonical = {p["report_id"] for p in panel}
    cells = _evidence_cells(folder, flagged, canonical)
    return [overview_sheet(panel, flags, cells),
            *(table_sheet(t, panel) for t in layout.tables()),
            findings_sheet(flags, reports, cells)]


# -- values --------------------------------------------------------------------------------------

def typed(value, fmt: str):
    """A dataset value as the cell should hold it: whole numbers of integer columns as ints,
    None stays None (an empty cell, never 0), booleans and text as they are."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, float) and value != value:      # NaN: no value
        return None
    if fmt in ("integer", "count", "signed") and float(value).is_integer():
        return int(value)
    return value


def number_format(value, fmt: str) -> str:
    """The Excel format of one cell: an integer format only for whole numbers, so that a count
    read as a fraction is shown as read, not rounded."""
    if fmt in ("integer", "count", "signed") and isinstance(value, float):
        return "General"
    return NUMBER_FORMATS[fmt]


def _plain(value) -> str:
    """A value as CSV text: whole floats without '.0', floats round-trip exact, TRUE/FALSE."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_width(column: Column, values) -> float:
    longest = max([display_width(column.zh), len(column.code)]
                  + [max(display_width(line) for line in _plain(v).split("\n")) for v in values if v is not None]
                  or [0])
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))


# -- writing -------------------------------------------------------------------------------------

def _header(ws, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    fill = PatternFill("solid", fgColor="DDEBF7")
    for i, col in enumerate(sheet.columns, start=1):
        zh, code = ws.cell(row=1, column=i, value=col.zh), ws.cell(row=2, column=i, value=col.code)
        zh.font, zh.fill = Font(bold=True), fill
        zh.alignment = Alignment(wrap_text=True, vertical="top")
        code.font, code.fill = Font(italic=True, color="595959", size=9), fill


def _body(ws, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(sheet.rows, start=3):
        for i, (col, value) in enumerate(zip(sheet.columns, row), start=1):
            value = typed(value, col.format)
            if value is None:
                continue                                  # a blank stays blank
            cell = ws.cell(row=r, column=i, value=value)
            cell.number_format = number_format(value, col.format)
            if isinstance(value, str) and "\n" in value:
                cell.alignment = wrap


def _layout(ws, sheet: Sheet) -> None:
    from openpyxl.utils import get_column_letter
    ws.freeze_panes = f"{get_column_letter(ID_COLUMNS + 1)}3"
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A2:{last}{len(sheet.rows) + 2}"
    for i, col in enumerate(sheet.columns, start=1):
        values = [row[i - 1] for row in sheet.rows[:SAMPLE_ROWS]]
        ws.column_dimensions[get_column_letter(i)].width = column_width(col, values)
    ws.row_dimensions[1].height = 48


def workbook(sheets: list):
    """An openpyxl workbook of the sheets, with fixed metadata."""
    from openpyxl import Workbook
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        _header(ws, sheet)
        _body(ws, sheet)
        _layout(ws, sheet)
    wb.properties.creator = wb.properties.lastModifiedBy = "ogi"
    wb.properties.title = "ogi: 政府信息公开工作年度报告数据"
    wb.properties.created = wb.properties.modified = FIXED_DATE
    return wb


CORE_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _deterministic(xlsx: bytes) -> bytes:
    """The archive again with every entry dated ZIP_DATE and the core properties' modification
    date fixed (openpyxl stamps both with the time of saving)."""
    out = io.BytesIO()
    stamp = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = CORE_MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
            dst.writestr(entry, body)
    return out.getvalue()


def xlsx_bytes(sheets: list) -> bytes:
    buf = io.BytesIO()
    workbook(sheets).save(buf)
    return _deterministic(buf.getvalue())


def csv_bytes(sheet: Sheet) -> bytes:
    """One sheet as CSV: both header rows, then the rows; UTF-8 with a BOM for Excel."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([c.zh for c in sheet.columns])
    w.writerow([c.code for c in sheet.columns])
    for row in sheet.rows:
        w.writerow([_plain(typed(v, c.format)) for c, v in zip(sheet.columns, row)])
    return buf.getvalue().encode("utf-8-sig")


def export(folder: Path, xlsx: Path | None = None, csv_dir: Path | None = None) -> list:
    """Write the workbook and/or the CSV files of the dataset in `folder` (atomically); returns
    the paths written."""
    sheets, written = build_sheets(Path(folder)), []
    if xlsx is not None:
        write_atomic(Path(xlsx), xlsx_bytes(sheets))
        written.append(Path(xlsx))
    if csv_dir is not None:
        for sheet in sheets:
            path = Path(csv_dir) / sheet.file
            write_atomic(path, csv_bytes(sheet))
            written.append(path)
    return written


# -- the command line ----------------------------------------------------------------------------

EXPORT_DESCRIPTION = """\
Write the dataset in OUT as an Excel workbook, one sheet per question:

  概览       one row per office-year: office, division, level, year, format, status,
             completeness, counts of errors / warnings / unverifiable findings, cells corrected
  主动公开   table 二, one row per office-year, one column per cell code
  依申请     table 三, likewise
  复议诉讼   table 四, likewise
  问题清单   every finding with its evidence: message, expected, found, page, position on the
             page, the cells involved and what they read as printed

Row 1 holds the Chinese labels, row 2 the codes (the columns of panel.parquet / flags.parquet);
both are frozen and filtered. Numbers are numbers; a blank, na or unread cell is an empty cell,
never 0. The same dataset gives the same file. --csv DIR writes the same five tables as CSV
files (overview.csv, active.csv, requests.csv, review_litigation.csv, findings.csv), UTF-8 with
a byte-order mark so that Excel shows the Chinese. --stata FILE.dta writes the panel as a Stata
dataset (names of at most 32 characters, a Chinese label per variable, integers as integers).
"""


def add_command(sub) -> None:
    """`ogi export`, as a sub-command of the CLI (pipeline.cli)."""
    e = sub.add_parser("export", help="the dataset as an Excel workbook or CSV files, for reading by people",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description=EXPORT_DESCRIPTION)
    e.add_argument("out", type=Path, metavar="OUT", nargs="?", default=Path("extracted"),
                   help="the output folder of ogi run (default: extracted/)")
    e.add_argument("--xlsx", type=Path, metavar="FILE", help="write the workbook here (default: OUT/ogi.xlsx "
                                                             "when --csv is not given)")
    e.add_argument("--csv", type=Path, metavar="DIR", dest="csv_dir",
                   help="write each sheet as a CSV file in DIR (UTF-8 with BOM, both header rows)")
    e.add_argument("--stata", type=Path, metavar="FILE.dta",
                   help="write the panel as a Stata dataset (format 118: names of at most 32 characters, a label "
                        "per variable, integers as integers, Unicode intact; pipeline/outputs/stata.py)")
    e.set_defaults(func=command)


def command(args) -> int:
    """Write what was asked; the workbook to OUT/ogi.xlsx when none of --xlsx, --csv, --stata is."""
    xlsx = args.xlsx if args.xlsx or args.csv_dir or args.stata else args.out / "ogi.xlsx"
    if xlsx or args.csv_dir:
        for path in export(args.out, xlsx=xlsx, csv_dir=args.csv_dir):
            print(path)
    if args.stata:
        from pipeline.outputs.stata import write
        print(write(args.out, args.stata))
    return 0
