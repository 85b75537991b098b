"""What the extractor gathers for one report: canonical cells with their provenance, and findings.

A cell record (pipeline.core.results.CellRecord) carries everything a researcher needs to trust
it — its codes, what kind of value it holds, the raw text, page, box, grid position, the labels it
was matched from and how well — under the column names of `cells.parquet`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from pipeline.core.findings import Finding, catalogue, with_evidence
from pipeline.core.model import Cell
from pipeline.core.options import ExtractSettings
from pipeline.core.results import CellRecord, Completeness
from pipeline.core.values import parse
from pipeline.formats import layout


@dataclass
class TablesRead:
    """The standard tables of one report as the extractor read them: format, cells, findings,
    completeness, and the standard tables found."""
    format_version: str
    cells: list                  # [CellRecord]
    findings: list               # [Finding]
    completeness: Completeness
    tables: list


def make_cell(table: str, row: str, col: str, cell: Optional[Cell], row_label: str, col_label: str,
              score: float, factor: float = 1.0, placement: str = "labelled") -> Optional[CellRecord]:
    """The canonical cell for a model cell placed at (table, row, col); None for no cell."""
    if cell is None:
        return None
    v = parse(cell.text, factor)
    return CellRecord(table, row, col, v.kind, v.value, cell.text, cell.page,
                      tuple(cell.bbox) if cell.bbox else None, cell.row, cell.col,
                      row_label, col_label, round(score, 3), cell.confidence, placement)


class Collector:
    """Cells and findings of one report, keeping the first reading of each (table, row, col), and
    the settings the tables are read with (every table reader gets the collector)."""

    def __init__(self, settings: ExtractSettings):
        self.settings = settings
        self.cells, self.findings, self.seen = [], [], set()
        self.unmatched = {}
        self.located = set()     # (table, row, col) of cells seen but not read

    def add(self, x: Optional[CellRecord]) -> None:
        if x is None:
            return
        if x.key in self.seen:
            where = ".".join(x.key)
            self.flag("extract.duplicate", where, found=x.raw,
                      zh=f"{_cell_name(x)} 出现两次，保留第一次的值", en=f"{where} appears twice; the first reading is kept")
            return
        self.seen.add(x.key)
        self.cells.append(x)

    def drop(self, table: str, row: str) -> None:
        """Forget a row read too early (its values turned up after a page break)."""
        self.cells = [c for c in self.cells if (c.table_code, c.row_code) != (table, row)]
        self.seen = {k for k in self.seen if (k[0], k[1]) != (table, row)}

    def flag(self, rule: str, location: str, severity: str = "", expected="", found="",
             zh: str = "", en: str = "") -> None:
        """A finding; its severity is the catalogue's for the rule unless given."""
        severity = severity or catalogue()[rule].severity
        self.findings.append(Finding(rule, location, severity, expected, found, zh, en))

    def unplaced(self, table: str, row: str, label: str, why_zh: str, why_en: str, raw: str = "",
                 options=()) -> None:
        """A row (or stretch of rows) whose values could not be placed for certain: left unread,
        so that completeness accounting reports its cells missing rather than guessing. `raw`:
        its values as printed (a run of digits that reads several ways); `options`: those
        readings, each a list of cell records, for a later stage that can decide between them
        (pipeline.dataset.decide: an office's neighbouring years, another form of the report)."""
        where = f"{table}.{row}" if row else table
        shown = " ".join(label.split()) or row or "（无标签）"
        printed = f"{shown} {raw}" if raw else shown
        extra = {"raw": raw, "options": [[c.to_dict() for c in o] for o in options]} if raw else {}
        self.findings.append(Finding(
            "extract.unplaced", where, catalogue()["extract.unplaced"].severity, found=printed,
            message_zh=f"{layout.title(table)}表“{shown}”行的数值无法确定位置，未读取：{why_zh}"
                       + (f"（原文：{raw}）" if raw else ""),
            message_en=f"{layout.title(table, 'en')}: the values of row {row or shown!r} could not be "
                       f"placed for certain and were left unread: {why_en}" + (f" (as printed: {raw})" if raw else ""),
            extra=extra))

    def locate(self, table: str, row: str, cols) -> None:
        """Cells seen on the page but not read (a row reported unplaced): they still say which
        format the report's tables are in (pipeline.extract.formats.detect_format)."""
        self.located |= {(table, row, c) for c in cols}

    def unmatched_label(self, table: str, text: str) -> None:
        t = " ".join(text.split())
        if t:
            self.unmatched.setdefault(table, []).append(t)

    def attach_evidence(self) -> None:
        attach_evidence(self.findings, self.cells)


def attach_evidence(findings: list, cells: list) -> None:
    """Give each finding without evidence the cells it is about: the cell its location names
    (`table.row.col`), or every cell of the row it names (`table.row`)."""
    by_code = {c.code: c for c in cells}
    for f in findings:
        if f.cells:
            continue
        loc = f.location
        if "." in loc:
            with_evidence(f, [c for code, c in by_code.items() if code == loc or code.startswith(loc + ".")])


def _cell_name(x: CellRecord) -> str:
    return f"{layout.title(x.table_code)} {x.row_label or x.row_code} / {x.col_label or x.col_code}"
