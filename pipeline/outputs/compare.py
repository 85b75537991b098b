"""Comparisons for an auditor: offices side by side in one year, and one office across its years.

    ogi compare OUT 320102:人民政府 320500:交通运输局 --year 2021     offices in one year
    ogi compare OUT 320102:人民政府                                  an office's years, with Δ and %

A comparison is built on the canonical document of each office-year (the one panel.parquet
takes): its cells as read (or as a reviewer corrected them), and the panel's indicators. Every
value keeps its kind, so a blank, an n/a mark, a cell not read and a cell the year's format does
not have are never a zero and never one another: a change is a change of two numbers, and a
blank that became 0 is no change (Δ stays empty).

Rows are labelled in Chinese (the codebook's labels; the codes beside them where a machine needs
them: CSV, workbook). Where the compared years are in different formats (2019 / 2021 / before
2019) the cells of one are not the cells of the other: the indicators carry the comparison —
the shares of data/indicators.csv, and the crosswalk's indicators when the panel holds them
(data/crosswalk_indicators.csv names them; a null one says why by its `<name>_state`, named by
data/null_states.csv), taken as they come, so a new indicator of the crosswalk shows here
without a change to this module.

The same Comparison is printed by `ogi compare` (aligned columns, CJK counted double), written as
CSV (UTF-8 with a BOM, for Excel) or a workbook sheet (pipeline.outputs.export), and drawn in the
audit report (pipeline.outputs.report).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import pandas as pd

from pipeline import data
from pipeline.dataset.panel import indicators
from pipeline.formats import layout
from pipeline.formats.labels import axis_name
from pipeline.outputs.names import value_name

PERCENT_INDICATORS = "ratio"           # indicators.csv's rows are ratios: shown as percentages
CROSSWALK_TABLES = ("crosswalk_indicators.csv", "crosswalk.csv")


@dataclass(frozen=True)
class Value:
    """One value as compared: a number, or what stands in its place."""
    kind: str                   # number, blank, na, text, unread, absent, none (an indicator that cannot be computed)
    value: Optional[float] = None
    raw: str = ""
    corrected: bool = False

    @property
    def number(self) -> Optional[float]:
        return self.value if self.kind == "number" else None

    def text(self, percent: bool = False, lang: str = "zh") -> str:
        if self.kind == "number":
            return percent_text(self.value) if percent else number_text(self.value)
        if self.kind == "text":
            return self.raw
        if self.kind == "none":
            return self.raw or "–"
        return value_name("kind_of_value", self.kind, lang)


def number_text(v) -> str:
    return "" if v is None else (str(int(v)) if float(v).is_integer() else f"{float(v):.6g}")


def percent_text(v) -> str:
    return "" if v is None else f"{100 * float(v):.1f}%"


@dataclass(frozen=True)
class Column:
    """One office-year of a comparison: the canonical document of the office's report."""
    office_id: str
    office: str
    year: int
    format_version: str
    report_id: str
    source: str

    def heading(self, across_years: bool) -> str:
        return f"{self.year}" if across_years else f"{self.office} {self.year}"


@dataclass(frozen=True)
class Line:
    """A row of a comparison: an indicator or a cell, its label and its value in every column."""
    kind: str                   # indicator | cell
    code: str                   # the indicator's name, or the cell code table.row.col
    table: str                  # the cell's table ('' for an indicator)
    label: str                  # Chinese
    label_en: str
    values: tuple               # of Value, one per column
    percent: bool = False

    def delta(self, i: int, j: int) -> tuple:
        """(Δ, share of change) from column i to column j: both numbers, else (None, None); the
        share is None when the first is 0."""
        a, b = self.values[i].number, self.values[j].number
        if a is None or b is None:
            return None, None
        return b - a, ((b - a) / a if a else None)

    def interesting(self) -> bool:
        """Whether any column holds something other than 0, blank, n/a or nothing (a line of
        zeros says nothing in a comparison; an unread cell is kept: it is a gap to see)."""
        return any((v.kind == "number" and v.value) or v.kind in ("text", "unread") for v in self.values)


@dataclass(frozen=True)
class Comparison:
    columns: tuple              # of Column
    lines: tuple                # of Line
    across_years: bool          # one office's years (Δ and % between consecutive years)

    @property
    def title(self) -> str:
        if self.across_years and self.columns:
            c = self.columns
            return f"{c[0].office} {c[0].year}–{c[-1].year}"
        years = sorted({c.year for c in self.columns})
        return "、".join(c.office for c in self.columns) + f" {'、'.join(map(str, years))}"

    def shown(self, every_line: bool = False) -> "Comparison":
        """Without the lines that hold only zeros, blanks and n/a (`every_line`: all of them)."""
        if every_line:
            return self
        return Comparison(self.columns, tuple(l for l in self.lines if l.kind == "indicator" or l.interesting()),
                          self.across_years)


# -- what the dataset holds ---------------------------------------------------------------------

class Dataset:
    """The frames a comparison reads: the canonical documents (reports.parquet), their cells and
    the panel. Built from the folder, or from frames already read (the audit report's)."""

    def __init__(self, reports: pd.DataFrame, cells: pd.DataFrame, panel: pd.DataFrame):
        self.reports = reports[reports["canonical"].fillna(False).astype(bool)
                               & reports["office_id"].notna() & reports["year"].notna()
                               & (reports["status"] != "failed")]
        self.cells = cells
        self.panel = panel

    @classmethod
    def read(cls, folder: Path) -> "Dataset":
        folder = Path(folder)
        for name in ("reports", "cells", "panel"):
            if not (folder / f"{name}.parquet").exists():
                raise FileNotFoundError(f"{folder} holds no dataset (no {name}.parquet): run `ogi run REPORTS_DIR -o "
                                        f"{folder}` first")
        return cls(pd.read_parquet(folder / "reports.parquet"), pd.read_parquet(folder / "cells.parquet"),
                   pd.read_parquet(folder / "panel.parquet"))

    def column(self, office_id: str, year: int) -> Optional[Column]:
        r = self.reports[(self.reports["office_id"] == office_id) & (self.reports["year"] == year)]
        if r.empty:
            return None
        r = r.iloc[0]
        return Column(office_id, str(r["office"] or office_id), int(year), str(r["format_version"] or "unknown"),
                      r["report_id"], r["source"])

    def years_of(self, office_id: str) -> list:
        return sorted(int(y) for y in self.reports.loc[self.reports["office_id"] == office_id, "year"])

    def office_ids(self, text: str) -> list:
        """The offices `text` names: an office_id, a full name, or the start of a name."""
        r = self.reports
        for hit in (r["office_id"] == text, r["office"] == text, r["office"].fillna("").str.startswith(text)):
            ids = sorted(set(r.loc[hit, "office_id"]))
            if ids:
                return ids
        return []


# -- building ------------------------------------------------------------------------------------

def offices_in_year(ds: Dataset, office_ids: list, year: int) -> Comparison:
    """The offices side by side in `year` (an office without a report that year is an error)."""
    columns = []
    for o in office_ids:
        c = ds.column(o, year)
        if c is None:
            have = ds.years_of(o)
            raise LookupError(f"{o} has no report of {year} in the dataset"
                              + (f" (its years: {', '.join(map(str, have))})" if have else " (no report at all)"))
        columns.append(c)
    return build(ds, columns, across_years=False)


def office_years(ds: Dataset, office_id: str, years: Optional[list] = None) -> Comparison:
    """The office's years side by side (all of them, or `years`), oldest first."""
    have = ds.years_of(office_id)
    if not have:
        raise LookupError(f"{office_id} has no report in the dataset")
    chosen = [y for y in have if not years or y in years]
    return build(ds, [ds.column(office_id, y) for y in chosen], across_years=True)


def build(ds: Dataset, columns: list, across_years: bool) -> Comparison:
    ids = [c.report_id for c in columns]
    cells = ds.cells[ds.cells["report_id"].isin(ids)]
    read = {rid: {(c.table_code, c.row_code, c.col_code): c for c in g.itertuples()}
            for rid, g in cells.groupby("report_id", sort=False)}
    expected = {c.report_id: _expected(c.format_version, read.get(c.report_id, {})) for c in columns}
    panel = ds.panel.set_index("report_id") if "report_id" in ds.panel else pd.DataFrame()
    lines = [Line("indicator", name, "", zh, en,
                  tuple(_indicator(panel, c.report_id, name) for c in columns), percent)
             for name, zh, en, percent in indicator_columns(ds.panel)]
    for key in cell_keys([expected[c.report_id] | set(read.get(c.report_id, {})) for c in columns]):
        t, r, col = key
        values = tuple(_cell(read.get(c.report_id, {}).get(key), key in expected[c.report_id]) for c in columns)
        if all(v.kind == "absent" for v in values):
            continue
        label = f"{axis_name(t, 'row', r)} · {axis_name(t, 'col', col)}"
        label_en = f"{axis_name(t, 'row', r, 'en')} · {axis_name(t, 'col', col, 'en')}"
        lines.append(Line("cell", f"{t}.{r}.{col}", t, label, label_en, values))
    return Comparison(tuple(columns), tuple(lines), across_years)


def _expected(fmt: str, read: dict) -> set:
    """The cells a document's layout has: its format's, with the variants it prints (a legacy
    report: the rows it prints)."""
    if fmt in layout.FORMATS:
        from pipeline.extract.complete import expected_cells
        return set(expected_cells(fmt, set(read)))
    return set()


def _cell(c, expected: bool) -> Value:
    if c is None:
        return Value("unread" if expected else "absent")
    value = None if c.value is None or pd.isna(c.value) else float(c.value)
    return Value(c.kind, value, "" if c.raw is None else str(c.raw), bool(getattr(c, "corrected", False)))


def _indicator(panel: pd.DataFrame, report_id: str, name: str) -> Value:
    """An indicator's value in a document's panel row; a null one with why, where the panel says
    (its `<name>_state`)."""
    if report_id not in panel.index or name not in panel.columns:
        return Value("none")
    v = _first(panel.at[report_id, name])
    if v is not None and not pd.isna(v):
        return Value("number", float(v))
    state = _first(panel.at[report_id, name + STATE]) if name + STATE in panel.columns else None
    return Value("none", raw=_state_name(state) if isinstance(state, str) and state else "")


def _first(v):
    return v.iloc[0] if isinstance(v, pd.Series) else v


STATE = "_state"                 # the panel's companion column saying why an indicator is null


def _state_name(state: str) -> str:
    """A null's reason as people read it: its Chinese name in data/null_states.csv (空白 …), when
    the pipeline has that table; the state itself otherwise."""
    if (data.DATA / "null_states.csv").exists():
        for r in data.rows("null_states.csv"):
            if r.get("state") == state and r.get("zh"):
                return r["zh"].split("：")[0]
    return state


def cell_keys(sets: list) -> list:
    """Every (table, row, col) of the sets, in printed order: the national tables (rows, then
    columns, both formats merged), then the legacy table (its known rows, then the indicators
    the data does not know, by their label)."""
    every = set().union(*sets) if sets else set()
    order = {}
    for k, t in enumerate((*layout.tables(), layout.LEGACY)):
        fmt = layout.LEGACY if t == layout.LEGACY else None
        rows, cols = layout.rows_of(t, fmt), layout.cols_of(t, fmt)
        for key in every:
            if key[0] == t:
                row = rows.index(key[1]) if key[1] in rows else len(rows)
                order[key] = (k, row, key[1] if row == len(rows) else "", cols.index(key[2]) if key[2] in cols else 99)
    return sorted(every, key=lambda key: order.get(key, (99, 0, key[1], 0)))


@lru_cache(maxsize=1)
def crosswalk_indicators() -> tuple:
    """(name, Chinese, English) of the panel's indicators across the three formats, from the
    crosswalk's tables when the pipeline has them (data/crosswalk_indicators.csv: one row per
    indicator with its labels; else data/crosswalk.csv: its indicators, named by themselves);
    () without a crosswalk."""
    for table in CROSSWALK_TABLES:
        if not (data.DATA / table).exists():
            continue
        out = {}
        for r in data.rows(table):
            name = r.get("indicator") or r.get("name")
            if name and name not in out:
                out[name] = (r.get("zh") or name, r.get("en") or name)
        return tuple((name, zh, en) for name, (zh, en) in out.items())
    return ()


def indicator_columns(panel: pd.DataFrame) -> list:
    """(column, Chinese, English, shown as a percentage) of the panel's indicators: the shares
    of data/indicators.csv, then the crosswalk's indicators the panel holds (counts across the
    formats: the comparison of an office's years before and after 2019 rests on them)."""
    out = [(name, zh, en, True) for name, _, _, _, _, zh, en in indicators()]
    out += [(name, zh, en, False) for name, zh, en in crosswalk_indicators() if name in panel.columns]
    return out


# -- output --------------------------------------------------------------------------------------

def grid(comp: Comparison, codes: bool = True) -> tuple:
    """(header, rows) of plain text cells: the label (and code), a column per office-year, and
    for an office's years Δ and % of each year against the one before."""
    header = ["项目"] + (["代码"] if codes else []) + [c.heading(comp.across_years) for c in comp.columns]
    pairs = list(zip(range(len(comp.columns)), range(1, len(comp.columns)))) if comp.across_years else []
    for i, j in pairs:
        header += [f"Δ {comp.columns[j].year}", f"% {comp.columns[j].year}"]
    rows = []
    for line in comp.lines:
        row = [line.label] + ([line.code] if codes else []) + [v.text(line.percent) for v in line.values]
        for i, j in pairs:
            d, pct = line.delta(i, j)
            row += [_signed(d, "pp" if line.percent else ""), "" if pct is None or line.percent else _signed(pct, "%")]
        rows.append(row)
    return header, rows


def _signed(d, unit: str = "") -> str:
    """A change with its sign: +3, -2, and for a share of 1 in hundredths with its unit (+5.2%;
    percentage points, pp, between two shares); 0 without a sign."""
    if d is None:
        return ""
    if unit:
        d = round(100 * d, 1)
        return "0" if d == 0 else f"{d:+.1f}{unit}"
    return "0" if d == 0 else f"{d:+.10g}"


def csv_bytes(comp: Comparison) -> bytes:
    """The comparison as CSV, UTF-8 with a byte-order mark (Excel then reads the Chinese)."""
    header, rows = grid(comp)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def text(comp: Comparison) -> str:
    """The comparison as an aligned table for a terminal (CJK characters count double)."""
    from pipeline.outputs.terminal import aligned
    header, rows = grid(comp, codes=False)
    return f"{comp.title}\n" + aligned(header, rows, right=range(1, len(header)))


# -- the command line ----------------------------------------------------------------------------

COMPARE_DESCRIPTION = """\
Compare offices side by side in one year, or one office across its years (Δ and % against the
year before). Each office-year is its report's canonical document; its cells are shown with their
Chinese labels, and a blank (空白), an n/a mark (不适用), a cell not read (未读到) and a cell the
year's format does not have (该格式无此项) are kept apart from 0. The panel's indicators come first:
across formats (before 2019, 2019, 2021) they carry the comparison. Lines that hold only zeros and
blanks are left out (--all keeps them).

  ogi compare OUT 320102:人民政府 320500:交通运输局 --year 2021
  ogi compare OUT 南京市玄武区人民政府 --xlsx xuanwu.xlsx
"""


def add_command(sub) -> None:
    import argparse
    c = sub.add_parser("compare", help="offices side by side in one year, or an office across its years",
                       formatter_class=argparse.RawDescriptionHelpFormatter, description=COMPARE_DESCRIPTION)
    c.add_argument("out", type=Path, metavar="OUT", help="a dataset folder made by ogi run")
    c.add_argument("offices", nargs="+", metavar="OFFICE",
                   help="office_id (320102:人民政府) or the office's name, or the start of it")
    c.add_argument("--year", type=int, metavar="YEAR",
                   help="the year to compare the offices in (without it: one office across its years)")
    c.add_argument("--all", action="store_true", help="keep the lines that hold only zeros and blanks")
    c.add_argument("--csv", type=Path, metavar="FILE", help="write the comparison as CSV (UTF-8 with BOM)")
    c.add_argument("--xlsx", type=Path, metavar="FILE", help="write the comparison as an Excel workbook")
    c.set_defaults(func=command)


def comparison(ds: Dataset, names: list, year: Optional[int], every_line: bool = False) -> Comparison:
    """The comparison a command line asks for; LookupError naming what is not in the dataset."""
    ids = []
    for n in names:
        found = ds.office_ids(n)
        if not found:
            raise LookupError(f"no office of the dataset is {n!r}; its offices are: "
                              + "、".join(sorted(set(ds.reports['office'].dropna()))[:30]))
        if len(found) > 1 and year is None:
            raise LookupError(f"{n!r} names {len(found)} offices ({', '.join(found)}): give one office_id")
        ids += [f for f in found if f not in ids]
    if year is None:
        if len(ids) != 1:
            raise LookupError("an office across its years is one office: give --year to compare several")
        return office_years(ds, ids[0]).shown(every_line)
    return offices_in_year(ds, ids, year).shown(every_line)


def command(args) -> int:
    import sys

    from pipeline.core.store import write_atomic
    try:
        comp = comparison(Dataset.read(args.out), args.offices, args.year, args.all)
    except LookupError as e:
        print(f"ogi: {e.args[0]}", file=sys.stderr)
        return 2
    if args.csv:
        write_atomic(args.csv, csv_bytes(comp))
        print(args.csv)
    if args.xlsx:
        from pipeline.outputs.export import comparison_sheet, xlsx_bytes
        write_atomic(args.xlsx, xlsx_bytes([comparison_sheet(comp)]))
        print(args.xlsx)
    if not (args.csv or args.xlsx):
        print(text(comp))
    return 0
