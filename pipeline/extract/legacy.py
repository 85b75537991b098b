"""Reports from before 2019 (format `legacy`): their statistics table as cells of table `legacy`.

There was no national layout before 2019: each office printed its own selection of the State
Council's indicators, one row each, under 指标名称 · 计量单位 · 本年度 (`2013年度`, 本期实际) ·
历年累计 (or 本年累计). A row's indicator is matched against the legacy labels of data/labels.csv
(pipeline.formats.legacy); one the data does not know is kept as `other:<label as printed>`,
never dropped. The value columns are `year` (本年度, YYYY年度, 本期实际: the reporting period's
figure), `cumulative` (历年累计: since disclosure began in 2008) and `year_to_date` (本年累计 of the
State Council's form: cumulative within the year, which is not 历年累计 and is kept apart from it
so that cross_year.cumulative never compares it). Amounts are in 万元 (a 收费 row counted in 元 is
divided by 10,000).

Where the table is:
- a table of the document model (web page, Word, PDF, scan, Markdown): read by its grid, the
  pieces a page break left (tables after it without a header, as wide as it, or one empty cell
  wider) with it, a header printed again inside a table starting a piece of its own, and a
  header a converter left as a line of text above its table taken for it;
- a line of text whose cells ran together (a site archive's copy): pipeline.extract.legacy_runs;
- none: the figures the text states (pipeline.extract.legacy_text).

Completeness: a legacy report's layout is what it prints. It is complete when every cell of every
row its table prints was read (a row of a table with no label, a run that cannot be cut for
certain, leave it `partial`, saying which); a report without a table is complete with the figures
its text states.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from pipeline.core.model import Document, Table
from pipeline.core.options import ExtractSettings
from pipeline.core.results import Completeness
from pipeline.core.values import amount_factor, clean, parse
from pipeline.extract import legacy_runs, legacy_text
from pipeline.extract.collect import Collector, TablesRead, make_cell
from pipeline.extract.tables import rows
from pipeline.formats import layout
from pipeline.formats import legacy as G
from pipeline.formats.labels import canonical_label


@dataclass
class _Header:
    """What a legacy table's header says: its value columns and where its other columns are."""
    row: int              # the header's grid row (-1: a piece of a table whose header is before it)
    cols: list            # [(grid col, code, printed word)]
    unit_col: Optional[int]
    code_col: Optional[int]
    stop: Optional[int] = None     # the grid row where its rows end (a header printed again), None: the end

    @property
    def first_value(self) -> int:
        return min(k for k, _, _ in self.cols)


def extract_legacy(doc: Document, settings: ExtractSettings = ExtractSettings()) -> TablesRead:
    """The statistics of a report before 2019 (format `legacy`): from its table, or the figures
    its text states."""
    out = Collector(settings)
    stated, _ = legacy_text.figures(doc)
    printed, tables = set(), []
    grids = statistics_tables(doc.items)
    if grids:
        for table, header in grids:
            if header is None:
                _headless(table, out)
                continue
            printed |= read_grid(table, header, out)
        tables = [G.TABLE]
        _unread_tables([t for t in doc.tables if not any(t is g for g, _ in grids)], out)
    else:
        runs = legacy_runs.find(doc.blocks)
        if runs is not None:
            printed = legacy_runs.read_table(runs, out, stated)
            tables = [G.TABLE]
        else:
            printed = legacy_text.read_figures(doc, out)
            _unread_tables(doc.tables, out)
    completeness = account(out, printed)
    out.attach_evidence()
    return TablesRead(layout.LEGACY, out.cells, out.findings, completeness, tables)


def _unread_tables(tables: list, out: Collector) -> None:
    """A table of legacy indicators whose header names no value column the data knows is not
    read — and not passed over in silence: the report is partial."""
    for t in tables:
        if G.indicators(t) >= 2:
            out.flag("structure.missing_table", G.TABLE, found=f"{t.n_rows} × {t.n_cols}",
                     zh="有一张列有统计指标的表格，但其表头中没有可识别的数值列（本年度、历年累计等），未读取",
                     en="a table lists the statistics' indicators but its header names no value column the "
                        "pipeline knows (本年度, 历年累计 …): it was not read")
            return


MAX_SECTION_ROW = 40     # characters: a section row of a legacy table (一、主动公开情况) is short


def _headless(table: Table, out: Collector) -> None:
    """Rows of indicators above a table's header that no header reaches: reported, not read."""
    out.flag("structure.missing_rows", G.TABLE, found=f"{table.n_rows} × {table.n_cols}",
             zh=f"{layout.title(G.TABLE)}表头之前的行没有可对应的表头（本年度、历年累计等），未读取",
             en="rows of the statistics table above its header have no header that names their columns: "
                "they were not read")


def statistics_tables(items: list) -> list:
    """[(model table, header)] of the document's legacy tables (header None for rows above a
    table's header that no header reaches), with the pieces after each that
    have no header of their own but its width (a page break cut it, or a section row a converter
    lifted out of it; a converter's piece may end its rows with one empty cell more). A table whose header a
    converter left as a line of text right above it (指标名称 计量单位 2013年度 历年累计) has that
    header, where the line's columns are the table's."""
    out, last, above = [], None, None
    for item in items:
        if not isinstance(item, Table):
            text = getattr(item, "text", "") or ""
            # a header line holds over a section row a converter lifted out of the table
            above = G.text_header(text) or (above if G.SECTION_ROW.match(text) and len(text) <= MAX_SECTION_ROW
                                            and not re.search(r"\d", text) else None)
            continue
        t = item
        heads = G.header_rows(t)
        if heads:
            if heads[0] > 0:          # rows before the header: a piece of the table above, or under a header line
                prior = last[0] if last is not None and last[1] <= t.n_cols <= last[1] + 1 else \
                    _header_above(above) if above is not None and _fits(above, t) else None
                out.append((t, _Header(-1, prior.cols, prior.unit_col, prior.code_col, heads[0]) if prior else None))
            for k, r in enumerate(heads):
                header = _header(t, r)
                header.stop = heads[k + 1] if k + 1 < len(heads) else None
                out.append((t, header))
            last = (header, t.n_cols)
        elif last is not None and last[1] <= t.n_cols <= last[1] + 1:      # (one empty cell more)
            out.append((t, _Header(-1, last[0].cols, last[0].unit_col, last[0].code_col)))
        elif above is not None and _fits(above, t):
            last = (_header_above(above), t.n_cols)
            out.append((t, last[0]))
        else:
            last = None
        above = None
    return out


def _header_above(header: G.TextHeader) -> _Header:
    """A table's header from a line of text: the indicator column first, then 代码 and 计量单位
    where the line names them, then its value columns in order."""
    k = 1
    code = k if header.code else None
    k += header.code
    unit = k if header.unit else None
    k += header.unit
    return _Header(-1, [(k + j, col, word) for j, (col, word) in enumerate(zip(header.cols, header.words))], unit, code)


def _fits(header: G.TextHeader, table: Table) -> bool:
    """Whether a header line's columns are a table's: as many (or one empty cell more)."""
    width = 1 + header.code + header.unit + len(header.cols)
    return width <= table.n_cols <= width + 1


def _header(table: Table, r: int) -> _Header:
    cols, unit, code = [], None, None
    for c in rows(table)[r].cells:
        col = G.column_code(c.text)
        role = G.header_role(c.text)
        if col and col not in {x for _, x, _ in cols}:
            cols.append((c.col, col, " ".join(c.text.split())))
        elif role == "unit":
            unit = c.col
        elif role == "code":
            code = c.col
    return _Header(r, cols, unit, code)


def read_grid(table: Table, header: _Header, out: Collector) -> set:
    """Cells of a legacy table read by its grid; returns the (row, col) it prints."""
    printed = set()
    for row in rows(table)[header.row + 1:header.stop]:
        label_cells = [c for c in row.cells if c.col < header.first_value and c.col not in (header.unit_col, header.code_col)
                       and c.text.strip()]
        values = {code: _at(row, k) for k, code, _ in header.cols}
        label = " ".join(" ".join(c.text.split()) for c in label_cells)
        if not any(v is not None and v.text.strip() for v in values.values()):
            if not label or all(v is None or v in label_cells for v in values.values()):
                continue            # a heading row (其中：) or an empty one
        if _note(label, values.values()):
            continue                # 注：… / 填报单位：… under the table
        code, score = G.row_code(label)
        if code is None:
            out.unplaced(G.TABLE, "", " ".join(v.text for v in values.values() if v is not None),
                         "该行没有指标名称", "the row has no indicator label")
            continue
        unit = _at(row, header.unit_col).text if header.unit_col is not None and _at(row, header.unit_col) else ""
        factor = _factor(code, unit, label)
        for k, col, word in header.cols:
            printed.add((code, col))
            out.add(make_cell(G.TABLE, code, col, values[col], label, word, score, factor))
    return printed


def _note(label: str, values) -> bool:
    """A line under the table (注：…, 填报单位：…): a label with a colon in it and no number in
    the value columns. An indicator's label has none."""
    return bool(re.search(r"[:：]", G.bare_label(label))) and \
        not any(v is not None and parse(v.text).kind == "number" for v in values)


def _at(row, col: int):
    """The cell of a grid row that covers column `col`, or None."""
    return next((c for c in row.cells if c.col <= col < c.col + c.colspan), None)


def _factor(code: str, unit: str, label: str) -> float:
    """万元 per printed unit for a row of amounts (收费 in 元), 1 for counts."""
    if layout.value_type(G.TABLE, "", code) != "amount":
        return 1.0
    u = clean(unit)
    if u == "元":
        return 0.0001
    return 1.0 if u == "万元" else amount_factor(label)


def account(out: Collector, printed: set) -> Completeness:
    """The cells the report prints against those read; a finding for every row (or cell) unread."""
    found = {(c.row_code, c.col_code) for c in out.cells if c.table_code == G.TABLE}
    missing = {}
    for row, col in sorted(printed - found, key=_order):
        missing.setdefault(row, []).append(col)
    whole = [r for r in missing if not any(fr == r for fr, _ in found)]
    if whole:
        names = "、".join(canonical_label(G.TABLE, "row", r) for r in whole)
        out.flag("structure.missing_rows", G.TABLE, expected=" ".join(whole),
                 zh=f"{layout.title(G.TABLE)}缺少以下行：{names}",
                 en=f"{layout.title(G.TABLE, 'en')}: rows not read: {' '.join(whole)}")
    for r, cols in missing.items():
        if r in whole:
            continue
        out.flag("structure.missing_cells", f"{G.TABLE}.{r}", expected=" ".join(cols),
                 zh=f"{layout.title(G.TABLE)}“{canonical_label(G.TABLE, 'row', r)}”行缺少：{'、'.join(cols)}",
                 en=f"{layout.title(G.TABLE, 'en')}, row {r}: cells not read: {' '.join(cols)}")
    return Completeness(len(printed), len(printed & found), {G.TABLE: missing} if missing else {})


def _order(key: tuple):
    row, col = key
    rows_ = layout.rows_of(G.TABLE, G.TABLE)
    cols = layout.cols_of(G.TABLE, G.TABLE)
    return (rows_.index(row) if row in rows_ else len(rows_), row, cols.index(col) if col in cols else 9)
