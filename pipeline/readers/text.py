"""Plain-text copies of reports: paragraphs, and tables as tab-separated rows.

Tabs are the only table structure plain text has, and exporters drift: a label split into two
fields, a missing trailing tab. Such tables are emitted `ragged`, so the extractor aligns their
values by count, not by field position.
"""
from __future__ import annotations

from pathlib import Path

from ..model import Document, TextBlock, table_from_rows
from ..options import Options
from . import limits
from .textfile import read_text

MAX_GAP = 2    # blank lines a table may contain before it is taken to have ended
MAX_HELD = 40  # characters: a longer line without tabs is prose, not half a row label


def read(path: Path, options: Options = Options()) -> Document:
    doc = Document(source=str(path), format="txt")
    limits.text_size(path, options)
    text = read_text(path)
    limits.line_length(text, options)
    doc.items = parse_lines(text.splitlines())
    return doc


def parse_lines(lines: list) -> list:
    """Text blocks for prose lines, one ragged table for each run of tab-separated lines.

    A short line without tabs squeezed between two table rows (no blank line on either side)
    is a label broken over two lines: it stays in the table as a row of its own.
    """
    items, run, gap = [], [], 0
    for k, line in enumerate(lines):
        if "\t" in line and line.strip():
            run.append(line.rstrip("\r").split("\t"))
            gap = 0
            continue
        if run and not line.strip() and gap < MAX_GAP:
            gap += 1
            continue
        if run and gap == 0 and _squeezed(lines, k):
            run.append([line.strip()])
            continue
        _flush(items, run)
        run, gap = [], 0
        if line.strip():
            items.append(TextBlock(text=line.strip()))
    _flush(items, run)
    return items


def _squeezed(lines: list, k: int) -> bool:
    line = lines[k].strip()
    following = lines[k + 1] if k + 1 < len(lines) else ""
    return 0 < len(line) <= MAX_HELD and "\t" in following and following.strip() != ""


def _flush(items: list, run: list) -> None:
    if len(run) >= 2:
        items.append(table_from_rows([[f.strip() for f in row] for row in run], ragged=True))
    else:
        items.extend(TextBlock(text=" ".join(f.strip() for f in row if f.strip())) for row in run)
