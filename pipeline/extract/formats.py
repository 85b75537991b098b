"""Which format a report uses: a report from before 2019 (`legacy`) or one of the national formats
(2019 or 2021), and what in the national tables does not fit the format found.

A national format is read from the cells found, never from the year (some offices keep the 2019
form after 2021): each cell that exists in only one format's layout (data/layout.csv) is a vote.
Whether a report is a legacy one is read from its content before anything is extracted (the
segmenter needs it too: the legacy outline has other sections): a legacy statistics table (its
header: 指标名称 · 本年度 · 历年累计 …), else — no national table either — a reporting year before
2019 in its title or statistics period (data/formats.csv), never the file's name.
"""
from __future__ import annotations

from functools import lru_cache

from pipeline import data
from pipeline.core.model import Document
from pipeline.extract.collect import Collector
from pipeline.extract.identity import flat
from pipeline.extract.meta import find_year, parse_title, title_candidates
from pipeline.formats import headings, layout
from pipeline.formats import legacy as legacy_table

UNKNOWN = "unknown"


def outline(doc: Document) -> str:
    """`legacy` for a report from before 2019, else `national` (see the module's docstring).
    A legacy table's rows can pass for a national table's (行政复议数, 行政诉讼数 are labels of
    表四): where a document seems to have both, a reporting year from 2019 on says national."""
    legacy = any(legacy_table.is_table(t) for t in doc.tables) or \
        any(legacy_table.text_header(b.text) for b in doc.blocks)
    national = any(headings.table_section(t) for t in doc.tables)
    if legacy and not national:
        return layout.LEGACY
    if national and not legacy:
        return headings.NATIONAL
    year = reporting_year(doc)
    if legacy:
        return headings.NATIONAL if year is not None and year > last_legacy_year() else layout.LEGACY
    return layout.LEGACY if year is not None and year <= last_legacy_year() else headings.NATIONAL


def reporting_year(doc: Document):
    """The reporting year as the title (the first lines, the metadata's title) or else the
    statistics period names it; None when neither does."""
    titles = title_candidates(doc, [None] * len(doc.items))
    year = next((y for y in (parse_title(t)[1] for t in titles) if y), None)
    return find_year(year, flat(doc.text()[:6000]))


@lru_cache(maxsize=1)
def last_legacy_year() -> int:
    return int(next(r["last_year"] for r in data.rows("formats.csv") if r["format"] == layout.LEGACY))


def detect_format(cells: list, located=()) -> str:
    """2019 or 2021 by the cells only one format has; 'unknown' when they say nothing.
    `located`: (table, row, col) of cells seen but left unread (a row whose run of digits reads
    several ways): where they are tells the format as well as a value would."""
    found = {c.key for c in cells} | set(located)
    votes = {fmt: len(found & layout.only_in(fmt)) for fmt in layout.FORMATS}
    best = max(votes.values())
    winners = [f for f, v in votes.items() if v == best]
    return winners[0] if best and len(winners) == 1 else UNKNOWN


def check_layout(out: Collector, fmt: str) -> None:
    """Warn about cells the detected format does not have (what it misses is completeness
    accounting's, pipeline/extract/complete.py)."""
    if fmt == UNKNOWN:
        return
    expected = layout.cells_of(fmt)
    for key in sorted({c.key for c in out.cells} - expected):
        table, row, col = key
        out.flag("extract.unexpected_cell", ".".join(key),
                 zh=f"{fmt}年格式的{layout.title(table)}表没有此单元格（{row} {col}）",
                 en=f"the {fmt} format has no cell {'.'.join(key)}")
