"""`ogi export`: a published dataset as one Excel workbook (and the same tables as CSV files).

For the people who read the reports rather than query them: one sheet per question, Chinese
headers and Chinese values (错误, 县级, 完整 — the codes a column holds are named by
data/value_names.csv), the codes beneath the headers, every number a number.

    概览        one row per office-year (panel.parquet): office, division, level, year, format,
                status, completeness, counts of findings by severity, cells corrected
    主动公开    table 二, one row per office-year from 2019, one column per cell of the table
    依申请      table 三, likewise
    复议诉讼    table 四, likewise
    2008–2018年 the statistics table of the reports before 2019: one row per office-year, a
                column per indicator and value column it prints (an indicator the data does not
                know in 其他指标, as printed)
    历年指标    the indicators that run across the formats: one row per office and indicator, one
                column per year (those of data/indicators.csv, and every further indicator the
                panel holds: the crosswalk's, when there)
    错误 警告 无法核对 提示   the findings by severity, once per report (the forms of a report
                count once: pipeline.outputs.counting), each with its evidence: message,
                expected, found, page, the cells as printed, how many forms have it
    人工更正    the cells a reviewer corrected: the value now, what was read and printed, why, who
    对比        with --compare: offices side by side in one year (pipeline.outputs.compare)

Every sheet has two header rows — the Chinese label (row 1) above the code (row 2: the column
of panel.parquet, or of flags.parquet) — frozen, with an autofilter on the codes row, and
prints on A4 landscape, fitted to the page's width, the header rows repeated on every page, long
texts wrapped; columns for machines (codes, boxes) are hidden and do not print. A cell a
reviewer corrected is filled green, with a comment saying what was read, why and who. The
sheets and the Chinese labels of the fixed columns are data (`data/export_sheets.csv`,
`data/export_columns.csv`); the labels of the cell columns are the codebook's (`data/labels.csv`).

Never a guess in a cell: a blank, na or unread cell stays an empty cell (not 0); a count is
written as an integer with an integer format, and a count read as a fraction (a defect the
checks flag) keeps its fraction, so the format never rounds what the report printed. The same
dataset gives the same bytes: the workbook's dates are fixed and the archive's entries carry a
fixed timestamp.

The CSV files (`--csv DIR`) hold the same rows and both header rows, UTF-8 with a byte-order
mark so that Excel opens the Chinese correctly (`pandas.read_csv(path, header=[0, 1])`, or
`skiprows=[0]` for the codes alone). `--region`, `--year`, `--office`, `--level` keep only some
reports (pipeline.outputs.select).
"""
from __future__ import annotations

import argparse
import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Optional

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import data
from pipeline.core.store import write_atomic
from pipeline.dataset.panel import cell_column
from pipeline.formats import layout
from pipeline.formats.labels import axis_name, canonical_label, code_name
from pipeline.outputs.counting import per_report
from pipeline.outputs.names import rule_name, value_name
from pipeline.outputs.select import Selection, mask, with_region
from pipeline.outputs.terminal import display_width
from pipeline.publish.variables import col_label

SEVERITY_SHEETS = (("error", "errors"), ("warning", "warnings"), ("unverifiable", "unverifiable"), ("info", "info"))
FIXED_DATE = datetime(2000, 1, 1)             # workbook created/modified: the same bytes every time
ZIP_DATE = (1980, 1, 1, 0, 0, 0)              # the earliest date a zip entry can carry
NUMBER_FORMATS = {"integer": "0", "count": "0", "signed": "0", "amount": "General", "share": "0.0%",
                  "text": "@", "auto": "General", "number": "General"}
MIN_WIDTH, MAX_WIDTH, SAMPLE_ROWS = 6, 60, 500
ID_COLUMNS = 2                                 # office and year stay in view (frozen at C3)
CORRECTED_FILL = "C8E6C9"


@dataclass(frozen=True)
class Column:
    code: str               # the dataset's column name (header row 2)
    zh: str                 # the Chinese label (header row 1)
    format: str             # a key of NUMBER_FORMATS
    names: str = ""         # a field of data/value_names.csv: the values are written by their name
    width: Optional[float] = None
    wrap: bool = False
    hidden: bool = False    # for machines: kept for filters and lookups, not printed


@dataclass(frozen=True)
class Sheet:
    code: str
    name: str               # the sheet's Chinese name
    file: str               # its CSV file name
    columns: tuple          # of Column
    rows: tuple             # of tuples, one value per column (None: an empty cell)
    notes: dict = field(default_factory=dict)    # (row index, column code) → why the cell is marked (corrected)


# -- reading the dataset -------------------------------------------------------------------------

def _table(folder: Path, name: str, columns=None):
    """A dataset as an Arrow table, only `columns` if given (of those the file has: an older
    dataset may lack a newer column)."""
    path = Path(folder) / f"{name}.parquet"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: run `ogi run REPORTS_DIR -o {folder}` first")
    have = pq.read_schema(path).names
    return pq.read_table(path, columns=[c for c in columns if c in have] if columns else None)


def _frame(folder: Path, name: str, columns=None) -> pd.DataFrame:
    return _table(folder, name, columns).to_pandas()


def _cells(folder: Path, ids: set) -> list:
    """The cells of the documents `ids`, filtered in Arrow first: a large dataset's cells never
    all become Python objects."""
    import pyarrow.compute as pc
    table = _table(folder, "cells", ["report_id", "table_code", "row_code", "col_code", "kind", "raw", "value",
                                     "corrected", "extracted_kind", "extracted_value", "correction_note",
                                     "corrected_by"])
    keep = pc.is_in(table["report_id"], value_set=pa.array(sorted(ids), pa.string()))
    return table.filter(keep).to_pylist()


def _plain_rows(frame: pd.DataFrame) -> list:
    """A frame's rows as dicts of plain values (None for a missing one)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _fixed_columns(sheet: str) -> tuple:
    return tuple(Column(r["column"], r["zh"], r["format"], r["names"], float(r["width"]) if r["width"] else None,
                        r["show"] == "wrap", r["show"] == "hidden")
                 for r in data.rows("export_columns.csv") if r["sheet"] == sheet)


def _sheet_info() -> dict:
    return {r["code"]: r for r in data.rows("export_sheets.csv")}


def _sheet(code: str, columns: tuple, rows: list, notes: Optional[dict] = None) -> Sheet:
    info = _sheet_info()[code]
    return Sheet(code, info["sheet"], info["file"], columns,
                 tuple(tuple(_named(r.get(c.code), c) for c in columns) for r in rows), notes or {})


def _named(value, column: Column):
    """A value as its column shows it: a code by its Chinese name (value_names.csv)."""
    if column.names and value is not None:
        return value_name(column.names, value)
    return value


class Dataset:
    """What the sheets read, once: reports (with region, selected), the panel, the findings (one
    per report marked) and the cells the sheets need (findings' cells, corrected cells, the
    legacy documents' cells)."""

    def __init__(self, folder: Path, selection: Selection = Selection()):
        folder = Path(folder)
        reports = with_region(_frame(folder, "reports", ["report_id", "source", "office", "office_id", "year",
                                                         "canonical", "group_id", "province", "city", "division_code",
                                                         "level", "status", "format_version", "detected_format",
                                                         "duplicate_of"]))
        self.reports = reports[mask(reports, selection)] if selection else reports
        ids = set(self.reports["report_id"])
        panel = _frame(folder, "panel")
        self.panel = panel[panel["report_id"].isin(ids)].reset_index(drop=True)
        flags = _frame(folder, "flags")
        keep = flags["report_id"].isin(ids) | (flags["report_id"].isna() & (not selection))
        self.flags = per_report(flags[keep].reset_index(drop=True), self.reports)
        canonical = set(self.panel["report_id"])
        wanted = {r for r, c in zip(self.flags["report_id"], self.flags["cells"])
                  if isinstance(r, str) and c is not None and len(c)}
        self.cells = _cells(folder, wanted | canonical | self._forms_of(canonical))

    def _forms_of(self, canonical: set) -> set:
        """Every form of the canonical documents' reports (their corrections are counted)."""
        r = self.reports
        groups = set(r.loc[r["report_id"].isin(canonical), "group_id"].dropna())
        return set(r.loc[r["group_id"].isin(groups), "report_id"])


# -- the sheets ----------------------------------------------------------------------------------

def _corrected(cells: list) -> dict:
    """{report_id: {cell code: cell}} of the corrected cells."""
    out = {}
    for c in cells:
        if c.get("corrected"):
            out.setdefault(c["report_id"], {})[f"{c['table_code']}.{c['row_code']}.{c['col_code']}"] = c
    return out


def _note(cell: dict) -> str:
    """What a corrected cell's comment says: the value read and printed, why and who."""
    was = _plain(cell.get("extracted_value")) if cell.get("extracted_kind") == "number" else \
        value_name("kind_of_value", cell.get("extracted_kind"))
    parts = [f"人工更正：原读数 {was}（印作“{cell.get('raw') or ''}”）"]
    if cell.get("correction_note"):
        parts.append(f"说明：{cell['correction_note']}")
    if cell.get("corrected_by"):
        parts.append(f"更正人：{cell['corrected_by']}")
    return "\n".join(parts)


def overview_sheet(ds: Dataset) -> Sheet:
    """One row per office-year: the panel's identity and quality columns, with the canonical
    document's findings counted by severity and its corrected cells."""
    counts = ds.flags.groupby(["report_id", "severity"]).size()
    corrected = {rid: len(cells) for rid, cells in _corrected(ds.cells).items()}
    rows = []
    for p in _plain_rows(ds.panel):
        rid = p["report_id"]
        expected, found = p.get("cells_expected"), p.get("cells_found")
        rows.append({**p, "completeness": found / expected if expected and found is not None else None,
                     "n_warnings": int(counts.get((rid, "warning"), 0)),
                     "n_unverifiable": int(counts.get((rid, "unverifiable"), 0)),
                     "n_corrected": corrected.get(rid, 0)})
    return _sheet("overview", _fixed_columns("overview"), rows)


def table_columns(table: str) -> tuple:
    """The cell columns of one standard table, in the codebook's order: the Chinese row and
    column labels (`行政复议｜结果维持`) above the panel column."""
    return tuple(Column(cell_column(t, r, c), f"{canonical_label(t, 'row', r)}｜{col_label(t, r, c)}",
                        layout.value_type(t, c))
                 for t, r, c in layout.all_cells() if t == table)


def table_sheet(table: str, ds: Dataset) -> Sheet:
    """One row per office-year of the national formats, one column per cell code of `table`:
    the panel's values; a corrected cell marked."""
    rows = [p for p in _plain_rows(ds.panel) if p.get("format_version") in layout.FORMATS]
    columns = _fixed_columns("table") + table_columns(table)
    corrected = _corrected(ds.cells)
    notes = {(i, cell_column(*code.split(".", 2))): _note(c)
             for i, p in enumerate(rows) for code, c in corrected.get(p["report_id"], {}).items()
             if code.startswith(table + ".")}
    return _sheet(table, columns, rows, notes)


def legacy_sheet(ds: Dataset) -> Sheet:
    """The reports before 2019: one row per office-year, a column per indicator and value column
    any of them prints (in the codebook's order); indicators the data does not know in one text
    column, as printed."""
    t = layout.LEGACY
    rows = [p for p in _plain_rows(ds.panel) if p.get("format_version") == t]
    ids = {p["report_id"] for p in rows}
    by_report = {}
    for c in ds.cells:
        if c["report_id"] in ids and c["table_code"] == t:
            by_report.setdefault(c["report_id"], {})[(c["row_code"], c["col_code"])] = c
    known = layout.rows_of(t, t)
    printed = {k for cells in by_report.values() for k in cells if k[0] in known}
    keys = [(r, c) for r in known for c in layout.cols_of(t, t) if (r, c) in printed]
    cells_cols = tuple(Column(f"{t}__{r}__{c}", f"{axis_name(t, 'row', r)}｜{axis_name(t, 'col', c)}",
                              layout.value_type(t, c, r)) for r, c in keys)
    fixed = _fixed_columns("legacy")
    out, notes = [], {}
    for i, p in enumerate(rows):
        cells = by_report.get(p["report_id"], {})
        row = dict(p)
        for r, c in keys:
            cell = cells.get((r, c))
            row[f"{t}__{r}__{c}"] = cell["value"] if cell and cell["kind"] == "number" else None
            if cell and cell.get("corrected"):
                notes[(i, f"{t}__{r}__{c}")] = _note(cell)
        others = sorted((k, c) for k, c in cells.items() if k[0] not in known)
        row["other"] = "\n".join(f"{axis_name(t, 'row', r)}｜{axis_name(t, 'col', c)}：{_shown(cell)}"
                                 for (r, c), cell in others) or None
        out.append(row)
    return _sheet("legacy", fixed[:-2] + cells_cols + fixed[-2:], out, notes)


def indicators_sheet(ds: Dataset) -> Sheet:
    """One row per office and indicator, one column per year: the indicators that run across the
    formats (pipeline.outputs.compare.indicator_columns: those of indicators.csv, then the
    panel's further ones)."""
    from pipeline.outputs.compare import indicator_columns
    panel = ds.panel
    years = sorted({int(y) for y in panel["year"].dropna()})
    columns = _fixed_columns("indicators") + tuple(
        Column(str(y), f"{y}年", "number") for y in years)
    rows = []
    wanted = indicator_columns(panel)
    for office_id, group in panel.groupby("office_id", sort=True):
        first = group.iloc[0]
        by_year = {int(y): r for y, r in zip(group["year"], _plain_rows(group))}
        for name, zh, _en, percent in wanted:
            values = {str(y): by_year[y].get(name) for y in by_year}
            if all(v is None for v in values.values()):
                continue
            rows.append({"office": first["office"], "office_id": office_id, "province": first["province"],
                         "level": first["level"], "indicator": name, "indicator_zh": zh + ("（%）" if percent else ""),
                         **{k: (None if v is None else (round(100 * v, 2) if percent else v)) for k, v in values.items()}})
    return _sheet("indicators", columns, rows)


def _position(bbox) -> str | None:
    return " ".join(f"{v:.1f}" for v in bbox) if bbox is not None and len(bbox) else None


def _shown(cell: dict) -> str:
    if cell.get("kind") == "number":
        return _plain(cell.get("value"))
    if cell.get("kind") == "text":
        return cell.get("raw") or ""
    return value_name("kind_of_value", cell.get("kind"))


def _readings(codes, printed: dict, rid: str) -> str | None:
    """The involved cells by their labels, as printed (`本年新收…｜自然人：463`); a corrected one
    with its corrected value; one line each."""
    if rid is None:                  # a finding about no document (a line of corrections.csv)
        return None
    lines = []
    for code in codes if codes is not None else ():
        cell = printed.get((rid, code))
        name = code_name(code, with_table=False)
        if cell is None:
            lines.append(f"{name}：（未读到）")
            continue
        raw = cell.get("raw")
        text = raw if raw not in (None, "") else "（空白）"
        if cell.get("corrected"):
            value = cell.get("value")
            text += f"（已更正为 {_plain(value) if value is not None else '空白'}）"
        lines.append(f"{name}：{text}")
    return "；".join(lines) or None


def _where(f: dict) -> Optional[str]:
    """The finding's location by its labels: a table, a cell (table.row.col), a row of a table
    (table.row), or a row or column code of the table its cells are in; else as it is."""
    loc = f.get("location") or ""
    head, _, rest = loc.partition(".")
    if loc in layout.all_tables():
        return layout.title(loc)
    if head in layout.all_tables() and rest:
        row, _, col = rest.rpartition(".")
        return code_name(loc) if row else f"{layout.title(head)} · {axis_name(head, 'row', rest)}"
    tables = {c.split(".")[0] for c in f.get("cells") or ()}
    for t in sorted(tables & set(layout.all_tables())):
        for axis in ("row", "col"):
            if axis_name(t, axis, loc) != loc:
                return axis_name(t, axis, loc)
    return loc or None


GROUPED = ("unverifiable", "info")     # one row per report, form and rule: a relation unverifiable at many columns


def findings_sheets(ds: Dataset) -> list:
    """The findings once per report, a sheet per severity, each with the evidence to look it up:
    the cells' printed text, the page, how many forms have it. Unverifiable and info findings
    are one row per report, form and rule (a relation that cannot be checked is usually so at
    many columns at once: the row names them all and counts them); flags.parquet has each."""
    flags = ds.flags[ds.flags["shown"]]
    printed = {(c["report_id"], f"{c['table_code']}.{c['row_code']}.{c['col_code']}"): c for c in ds.cells}
    about = ds.reports.drop_duplicates("report_id").set_index("report_id")
    out = []
    for severity, code in SEVERITY_SHEETS:
        rows = []
        for f in _plain_rows(flags[flags["severity"] == severity]):
            rid = f["report_id"]
            r = about.loc[rid] if rid in about.index else {}
            cells = list(f["cells"]) if f.get("cells") is not None else []
            rows.append({**f, "office": r.get("office"), "office_id": r.get("office_id"),
                         "year": r.get("year"), "rule_name": rule_name(f["rule"]), "where": _where({**f, "cells": cells}),
                         "n_forms": 1 + len(f.get("forms") or ()), "n": 1, "position": _position(f.get("bbox")),
                         "page": f.get("page") if _paged(r.get("detected_format")) else None,
                         "cells": "\n".join(cells) or None, "readings": _readings(cells, printed, rid)})
        rows.sort(key=lambda x: (x.get("office_id") or "", x.get("year") or 0, x.get("source") or "", x["rule"],
                                 x.get("location") or "", x.get("message_zh") or ""))
        if severity in GROUPED:
            rows = _grouped(rows)
        out.append(_sheet(code, _fixed_columns("findings"), rows))
    return out


def _grouped(rows: list) -> list:
    """Rows of one report, form and rule as one: where is every location, n how many."""
    out = {}
    for row in rows:
        key = (row.get("report_id"), row.get("source"), row["rule"])
        if key not in out:
            out[key] = dict(row)
            continue
        first = out[key]
        first["n"] += 1
        first["where"] = "、".join(dict.fromkeys(x for x in (first["where"], row["where"]) if x))
        first["location"] = " ".join(x for x in (first.get("location"), row.get("location")) if x)
        first["readings"] = first["cells"] = first["position"] = None
    return list(out.values())


def _paged(fmt) -> bool:
    """Whether a form has pages (a page number means something): evidence.csv of the report."""
    from pipeline.outputs.report.crops import evidence_kind
    return evidence_kind(fmt) != "printed_row"


def corrections_sheet(ds: Dataset) -> Sheet:
    """The cells a reviewer corrected, once per report and cell (the canonical form's), with how
    many of the report's forms the correction changed."""
    r = ds.reports.drop_duplicates("report_id").set_index("report_id")
    by_cell = {}
    for c in ds.cells:
        if not c.get("corrected") or c["report_id"] not in r.index:
            continue
        code = f"{c['table_code']}.{c['row_code']}.{c['col_code']}"
        key = (r.at[c["report_id"], "group_id"] or c["report_id"], code)
        by_cell.setdefault(key, []).append(c)
    rows = []
    for (_, code), cells in sorted(by_cell.items()):
        cells.sort(key=lambda c: (not r.at[c["report_id"], "canonical"], r.at[c["report_id"], "source"]))
        c, rep = cells[0], r.loc[cells[0]["report_id"]]
        rows.append({"office": rep["office"], "office_id": rep["office_id"], "year": rep["year"],
                     "cell": code_name(code), "code": code, "value": _shown(c),
                     "extracted": (c.get("extracted_value") if c.get("extracted_kind") == "number"
                                   else value_name("kind_of_value", c.get("extracted_kind"))),
                     "raw": c.get("raw"), "correction_note": c.get("correction_note"),
                     "corrected_by": c.get("corrected_by"), "n_forms": len(cells), "source": rep["source"]})
    return _sheet("corrections", _fixed_columns("corrections"), rows)


def comparison_sheet(comp) -> Sheet:
    """A comparison (pipeline.outputs.compare) as a sheet: a row per line, its label and code, a
    column per office-year (and Δ, % for an office's years); numbers as numbers."""
    from pipeline.outputs.compare import grid
    header, rows = grid(comp)
    columns = [Column("label", "项目", "text", width=44, wrap=True), Column("code", "代码", "text", hidden=True)]
    columns += [Column(f"c{i}", h, "auto") for i, h in enumerate(header[2:])]
    out = []
    for line, row in zip(comp.lines, rows):
        values = {"label": row[0], "code": row[1]}
        for i, v in enumerate(row[2:]):
            values[f"c{i}"] = v
        for k, value in enumerate(line.values):            # the numbers themselves, not their text
            if value.kind == "number":
                values[f"c{k}"] = round(100 * value.value, 2) if line.percent else value.value
        out.append(values)
    info = _sheet_info()["comparison"]
    return Sheet("comparison", info["sheet"], info["file"], tuple(columns),
                 tuple(tuple(r.get(c.code) for c in columns) for r in out))


def build_sheets(folder: Path, selection: Selection = Selection(), comparison=None) -> list:
    """The workbook's sheets from the dataset in `folder` (the reports `selection` keeps); with a
    comparison, its sheet last."""
    ds = Dataset(Path(folder), selection)
    sheets = [overview_sheet(ds), *(table_sheet(t, ds) for t in layout.tables()), legacy_sheet(ds),
              indicators_sheet(ds), *findings_sheets(ds), corrections_sheet(ds)]
    return sheets + ([comparison_sheet(comparison)] if comparison is not None else [])


# -- values --------------------------------------------------------------------------------------

NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def typed(value, fmt: str):
    """A dataset value as the cell should hold it: whole numbers of integer columns as ints,
    None stays None (an empty cell, never 0), booleans and text as they are; in an `auto` column
    a text that is a plain number becomes the number (expected and found of a sum: 468)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        if fmt == "auto" and NUMBER.match(value.strip()):
            v = float(value)
            return int(v) if v.is_integer() and "." not in value else v
        return value
    if isinstance(value, float) and value != value:      # NaN: no value
        return None
    if fmt in ("integer", "count", "signed", "auto") and float(value).is_integer():
        return int(value)
    return value


def number_format(value, fmt: str) -> str:
    """The Excel format of one cell: an integer format only for whole numbers, so that a count
    read as a fraction is shown as read, not rounded."""
    if fmt in ("integer", "count", "signed") and isinstance(value, float):
        return "General"
    if fmt == "auto" or isinstance(value, str) and fmt != "text":
        return "0" if isinstance(value, int) else "General"
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


def column_width(column: Column, values) -> float:
    if column.width:
        return column.width
    longest = max([display_width(column.zh) if len(column.zh) < 12 else 12, len(column.code) if len(column.code) < 16 else 8]
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
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, PatternFill
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    marked = PatternFill("solid", fgColor=CORRECTED_FILL)
    index = {c.code: i for i, c in enumerate(sheet.columns, start=1)}
    for r, row in enumerate(sheet.rows, start=3):
        for i, (col, value) in enumerate(zip(sheet.columns, row), start=1):
            value = typed(value, col.format)
            if value is None:
                continue                                  # a blank stays blank
            cell = ws.cell(row=r, column=i, value=value)
            cell.number_format = number_format(value, col.format)
            cell.alignment = wrap if col.wrap or (isinstance(value, str) and "\n" in value) else top
    for (k, code), note in sorted(sheet.notes.items()):
        if code in index:
            cell = ws.cell(row=k + 3, column=index[code])
            cell.fill = marked
            cell.comment = Comment(note, "ogi", width=260, height=90)


def _layout(ws, sheet: Sheet) -> None:
    from openpyxl.utils import get_column_letter
    ws.freeze_panes = f"{get_column_letter(ID_COLUMNS + 1)}3"
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A2:{last}{len(sheet.rows) + 2}"
    for i, col in enumerate(sheet.columns, start=1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = column_width(col, [row[i - 1] for row in sheet.rows[:SAMPLE_ROWS]])
        dim.hidden = col.hidden
    ws.row_dimensions[1].height = 48
    widths = [ws.column_dimensions[get_column_letter(i)].width for i in range(1, len(sheet.columns) + 1)]
    for r, row in enumerate(sheet.rows, start=3):
        lines = max([_lines(v, w) for v, w, c in zip(row, widths, sheet.columns) if not c.hidden] or [1])
        if lines > 1:
            ws.row_dimensions[r].height = LINE_HEIGHT * lines + 2


LINE_HEIGHT = 14          # points a line of 11-point text takes
CJK_NARROWER = 0.85       # a wide character takes less than two digits' width in the fonts spreadsheets use


def _lines(value, width: float) -> int:
    """Lines a value takes in a wrapped column `width` characters wide: a spreadsheet does not
    always grow a row to its wrapped text (LibreOffice keeps the default height), so the
    workbook says how high each row is."""
    if value is None:
        return 1
    room = max(1.0, width - 1)
    return sum(max(1, math.ceil(display_width(part) * CJK_NARROWER / room)) for part in _plain(value).split("\n"))


def _print_setup(ws, sheet: Sheet) -> None:
    """A4 landscape, fitted to the page's width, the two header rows on every page, page numbers."""
    from openpyxl.worksheet.page import PageMargins
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:2"
    ws.print_options.gridLines = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.oddHeader.center.text = f"{sheet.name}"
    ws.oddFooter.center.text = "&P / &N"


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
        _print_setup(ws, sheet)
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
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
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


def export(folder: Path, xlsx: Path | None = None, csv_dir: Path | None = None,
           selection: Selection = Selection(), comparison=None) -> list:
    """Write the workbook and/or the CSV files of the dataset in `folder` (atomically, with the
    user's umask); returns the paths written."""
    sheets, written = build_sheets(Path(folder), selection, comparison), []
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
Write the dataset in OUT as an Excel workbook, one sheet per question, in Chinese:

  概览        one row per office-year: office, division, level, year, format, status,
              completeness, counts of errors / warnings / unverifiable findings, cells corrected
  主动公开    table 二, one row per office-year from 2019, one column per cell code
  依申请      table 三, likewise
  复议诉讼    table 四, likewise
  2008–2018年 the statistics table of the reports before 2019, one row per office-year
  历年指标    the indicators that run across the formats: per office and indicator, a column per year
  错误 警告 无法核对 提示   the findings by severity, once per report, with their evidence: message,
              expected, found, page, the cells as printed, how many forms of the report have it
  人工更正    the cells a reviewer corrected: the value now, what was read, why, who
  对比        with --compare OFFICE... --compare-year YEAR: offices side by side in that year
              (one office without --compare-year: its years)

Row 1 holds the Chinese labels, row 2 the codes (the columns of panel.parquet / flags.parquet);
both are frozen and filtered, and repeated on every printed page (A4 landscape, fitted to the
width). Numbers are numbers; a blank, na or unread cell is an empty cell, never 0; a corrected
cell is green, with a comment. The same dataset gives the same file. --csv DIR writes the same
tables as CSV files (overview.csv, active.csv, requests.csv, review_litigation.csv, legacy.csv,
indicators.csv, errors.csv, warnings.csv, unverifiable.csv, info.csv, corrections.csv), UTF-8
with a byte-order mark so that Excel shows the Chinese. --region, --year, --office and --level
keep only some reports. --stata FILE.dta writes the panel as a Stata dataset (names of at most
32 characters, a Chinese label per variable, integers as integers).
"""


def add_command(sub) -> None:
    """`ogi export`, as a sub-command of the CLI (pipeline.cli)."""
    from pipeline.outputs.select import add_arguments
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
    add_arguments(e, "reports")
    e.add_argument("--compare", action="append", default=[], metavar="OFFICE",
                   help="add a sheet comparing these offices (repeatable; with --compare-year) or one office's years")
    e.add_argument("--compare-year", type=int, metavar="YEAR", help="the year of --compare")
    e.set_defaults(func=command)


def command(args) -> int:
    """Write what was asked; the workbook to OUT/ogi.xlsx when none of --xlsx, --csv, --stata is."""
    import sys

    from pipeline.outputs.select import NoMatch, from_args
    xlsx = args.xlsx if args.xlsx or args.csv_dir or args.stata else args.out / "ogi.xlsx"
    written = []
    try:
        comparison = None
        if args.compare:
            from pipeline.outputs.compare import Dataset as Values
            from pipeline.outputs.compare import comparison as compared
            comparison = compared(Values.read(args.out), args.compare, args.compare_year)
        if xlsx or args.csv_dir:
            written = export(args.out, xlsx=xlsx, csv_dir=args.csv_dir, selection=from_args(args),
                             comparison=comparison)
    except (NoMatch, LookupError, ValueError) as e:
        print(f"ogi: {e.args[0] if e.args else e}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    if args.stata:
        from pipeline.outputs.stata import write
        print(write(args.out, args.stata))
    return 0
