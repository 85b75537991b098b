"""Plain-text copies of reports: paragraphs, and tables as tab-separated rows.

Tabs are the only table structure plain text has, and exporters drift: a label split into two
fields, a missing trailing tab. Such tables are emitted `ragged`, so the extractor aligns their
values by count, not by field position.

A site archive's copy of a report page opens with a header block (标题: …, 发布时间: …,
原文链接: …, ==== 正文 ====), read into the document's metadata, and may hold the whole body
on one line: such a line is cut back into the report's lines (pipeline/readers/unrun.py).
"""
from __future__ import annotations

import re
from pathlib import Path

from pipeline.core.model import Document, TextBlock, table_from_rows
from pipeline.core.options import Options
from pipeline.readers import limits
from pipeline.readers.textfile import read_text
from pipeline.readers.unrun import LONG_LINE, unrun

MAX_GAP = 2    # blank lines a table may contain before it is taken to have ended
MAX_HELD = 40  # characters: a longer line without tabs is prose, not half a row label


# the fields a crawler writes above the body, and the metadata key each one is
HEADER_FIELDS = {"标题": "title", "题目": "title", "发布时间": "date", "发布日期": "date", "时间": "date",
                 "原文链接": "url", "链接": "url", "网址": "url", "来源": "publisher", "发布机构": "publisher"}
_FIELD = re.compile(r"^\s*(%s)\s*[:：]\s*(.*?)\s*$" % "|".join(sorted(HEADER_FIELDS, key=len, reverse=True)))
_BODY_MARK = re.compile(r"^\s*[=＝\-—]{2,}\s*正文\s*[=＝\-—]{2,}\s*$|^\s*正文\s*[:：]?\s*$")


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
    crawler's header block ending in a ==== 正文 ==== line; ({}, lines) otherwise."""
    meta = {}
    for k, line in enumerate(lines[:20]):
        if _BODY_MARK.match(line):
            return (meta, lines[k + 1:]) if meta else ({}, lines)
        m = _FIELD.match(line)
        if m:
            meta.setdefault(HEADER_FIELDS[m.group(1)], m.group(2))
        elif line.strip():
            break
    return {}, lines


def _lines_of(line: str) -> list:
    """A run-together body line cut back into lines; any other line as it is."""
    if len(line) >= LONG_LINE and "\t" not in line:
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
