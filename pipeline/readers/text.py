"""Plain-text copies of reports: paragraphs, and tables as tab-separated rows.

Tabs are the only table structure plain text has, and exporters drift: a label split into two
fields, a missing trailing tab. Such tables are emitted `ragged`, so the extractor aligns their
values by count, not by field position.

A site archive's copy of a report page opens with a header block (标题: …, 发布时间: …,
原文链接: …, ==== 正文 ====), read into the document's metadata, and may hold the whole body
on one line, or a table's rows run together on one: such a line is cut back into the report's
lines (pipeline/readers/unrun.py).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pipeline.core.model import Document, TextBlock, table_from_rows
from pipeline.core.options import Options
from pipeline.formats.pages import meta_fields, page_marks
from pipeline.readers import limits
from pipeline.readers.textfile import read_text
from pipeline.readers.unrun import LONG_LINE, holds_table, unrun

MAX_GAP = 2    # blank lines a table may contain before it is taken to have ended
MAX_HELD = 40  # characters: a longer line without tabs is prose, not half a row label



def read(path: Path, options: Options = Options()) -> Document:
    doc = Document(source=str(path), format="txt")
    limits.text_size(path, options)
    text = read_text(path)
    limits.line_length(text, options)
    lines = text.splitlines()
    meta, lines = header_block(lines)
    doc.meta.update(meta)
    doc.items = parse_lines([part for line in lines for part in _lines_of(line)])
    return doc


def header_block(lines: list) -> tuple:
    """({title, date, url, publisher}, the lines after the block) when the text opens with a
    crawler's header block (fields of data/meta_fields.csv: the first of each key is kept; the
    block's other lines, data/page_marks.csv `header`, passed over) ending in a ==== 正文 ==== line;
    ({}, lines) otherwise."""
    meta = {}
    for k, line in enumerate(lines[:20]):
        if page_marks().body.match(line):
            return (meta, lines[k + 1:]) if meta else ({}, lines)
        m = _field().match(line)
        if m:
            meta.setdefault(meta_fields().fields[m.group(1)][0], m.group(2))
        elif line.strip() and not page_marks().header.match(line):
            break
    return {}, lines


@lru_cache(maxsize=1)
def _field() -> re.Pattern:
    """'标题：…' — a field of the header block, its label and its value."""
    labels = sorted(meta_fields().fields, key=len, reverse=True)
    return re.compile(r"^\s*(%s)\s*[:：]\s*(.*?)\s*$" % "|".join(map(re.escape, labels)))


def _lines_of(line: str) -> list:
    """A run-together body line, or a line holding a table's rows run together, cut back into
    lines; any other line as it is."""
    if "\t" not in line and (len(line) >= LONG_LINE or holds_table(line)):
        return unrun(line)
    return [line]


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
