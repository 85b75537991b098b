"""Which national format (2019 or 2021) a report's tables use, and what in them does not fit it.

The format is read from the cells found, never from the year (some offices keep the 2019 form
after 2021): each cell that exists in only one format's layout (data/layout.csv) is a vote.
"""
from __future__ import annotations

from pipeline.extract.collect import Collector
from pipeline.formats import layout

UNKNOWN = "unknown"


def detect_format(cells: list) -> str:
    """2019 or 2021 by the cells only one format has; 'unknown' when they say nothing."""
    found = {c.key for c in cells}
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
