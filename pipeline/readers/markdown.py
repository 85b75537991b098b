"""Markdown and plain-text exports of PDFs → Document.

Tools that export a PDF to Markdown write the report's tables as pipe tables, and plain-text
exports write them as tab-separated rows. Neither is reliable: the header row often has fewer or
more cells than the rows under it, page footers ("— 3 —") land between two rows of one table, and
the columns of tab rows drift. So every row is kept as a row (only the `|---|` separator row is
dropped), footers are dropped without ending the table, and a table whose rows do not all have
the same number of cells — and every tab-separated table — is marked `ragged`, which tells the
extractor to align values by count rather than by column.
"""
from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

from pipeline.core.model import Document, TextBlock, table_from_rows
from pipeline.core.options import Options
from pipeline.core.values import parse as parse_value
from pipeline.formats.pages import page_marks
from pipeline.readers import limits
from pipeline.readers.html import clean_text, html_fragment_items
from pipeline.readers.textfile import decode_bytes

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_NEW_BLOCK = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|"
                        r"\d+\s*[.、．]|[-*+]\s|>)")
_SENTENCE_END = re.compile(r"[。！？；：:;!?]$")
_HTML_TABLE = re.compile(r"^\s*<table\b", re.I)
_NOISE_LINE = re.compile(r"^\s*(?:!\[[^\]]*\]\([^)]*\)|<!--.*?-->|```.*|\*{3,}|_{3,})\s*$")


def read(path: Path, options: Options = Options()) -> Document:
    path = Path(path)
    limits.text_size(path, options, "the Markdown file")
    text = decode_bytes(path.read_bytes())
    limits.line_length(text, options, "the Markdown file")
    lines = _without_body_mark(split_pages(text))
    items = parse(lines)
    fmt = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    return Document(source=str(path), format=fmt, pages=max((p for p, _ in lines), default=1), items=items)


def _without_body_mark(lines: list) -> list:
    """The lines without a "正文" line before the first text: a page saver's or converter's mark
    of where the body starts, not a word of the report (it would be read into the title)."""
    for k, (_, line) in enumerate(lines):
        if line.strip():
            return (lines[:k] + lines[k + 1:]) if page_marks().body.match(line) else lines
    return lines


def split_pages(text: str) -> list:
    """(page, line) pairs: plain-text exports of PDFs (pdftotext) end each page with a form feed."""
    return [(n, line) for n, chunk in enumerate(text.split("\f"), start=1) for line in chunk.splitlines()]


def parse(lines: list) -> list:
    """Items from the (page, line) pairs of a Markdown or plain-text export, in order."""
    items, para, i = [], [], 0
    width = _wrap_width(lines)

    def flush():
        if para:
            items.append(TextBlock(text=_inline(_join([t for _, t in para])), page=para[0][0]))
            para.clear()

    while i < len(lines):
        page, line = lines[i]
        kind = _row_kind(line)
        if kind or _HTML_TABLE.match(line):
            flush()
            found, i = _html_table(lines, i) if not kind else _table(lines, i, kind)
            items.extend(found)
            continue
        i += 1
        if not line.strip() or page_marks().footer.match(line) or _NOISE_LINE.match(line):
            flush()
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            items.append(TextBlock(text=_inline(heading.group(2)), page=page))
            continue
        if para and not _continues(para[-1][1], line, width):
            flush()
        para.append((page, line.strip()))
    flush()
    return [it for it in items if not isinstance(it, TextBlock) or it.text]


def _table(lines: list, i: int, kind: str):
    """The pipe or tab table starting at line i as a Table (each cell on its row's page)."""
    rows, i = _table_rows(lines, i, kind)
    if not rows:
        return [], i
    table = table_from_rows([cells for _, cells in rows], page=rows[0][0],
                            ragged=kind == "tab" or len({len(c) for _, c in rows}) > 1)
    for cell in table.cells:
        cell.page = rows[cell.row][0]
    return [table], i


def _html_table(lines: list, i: int):
    """An HTML <table> block inside Markdown (some converters write merged-cell tables so), read
    by the web page reader's table code, spans included."""
    depth, j, chunk = 0, i, []
    while j < len(lines):
        text = lines[j][1]
        chunk.append(text)
        depth += len(re.findall(r"<table\b", text, re.I)) - len(re.findall(r"</table\s*>", text, re.I))
        j += 1
        if depth <= 0:
            break
    items = html_fragment_items("\n".join(chunk))
    for it in items:
        it.page = lines[i][0]
        for cell in getattr(it, "cells", []):
            cell.page = lines[i][0]
    return items, j


def _wrap_width(lines: list) -> int:
    """The width at which the export wrapped its lines: the 90th percentile of text line lengths.
    A paragraph of one long line per paragraph gives a width no shorter line reaches."""
    lengths = sorted(len(t.strip()) for _, t in lines if t.strip() and not _row_kind(t))
    return lengths[int(len(lengths) * 0.9)] if lengths else 0


def _continues(prev: str, line: str, width: int) -> bool:
    """Whether `line` goes on the paragraph `prev` ends: prev ran to the wrap width without ending
    a sentence, and line does not start a heading or list item (一、 （二） 3. - …)."""
    prev = prev.rstrip()
    return (len(prev) >= 0.8 * width and not _SENTENCE_END.search(prev)
            and not _NEW_BLOCK.match(line) and not _row_line(line) and not _row_line(prev))


def _row_line(line: str) -> bool:
    """A table row printed as a line of text ("规章 0 0 0", "行政许可 80"): a label followed by
    nothing but values. Converters write small tables so; it is never a wrapped line of prose."""
    fields = line.split()
    return len(fields) >= 2 and all(parse_value(f).kind in ("number", "na") for f in fields[1:])


def _row_kind(line: str):
    """'pipe' for a pipe-table row, 'tab' for a tab-separated row, None for anything else.

    A tab row has a tab between two pieces of text or at least two tabs: a single leading tab is
    a paragraph indent, not a table.
    """
    stripped = line.strip()
    if not stripped:
        return None
    if "|" in stripped and (stripped.startswith("|") or stripped.endswith("|") or _SEPARATOR.match(stripped)):
        return "pipe"
    body = line.strip(" \r\n")
    if re.search(r"\S\t+\S", body) or body.count("\t") >= 2:
        return "tab"
    return None


def _table_rows(lines: list, i: int, kind: str):
    """The (page, cells) rows of the table starting at line i, and the index of the line after it.

    The table goes on across page-footer lines, and across blank lines when a footer is among them
    (a page break inside the table); a plain blank line or a line of another kind ends it.
    """
    rows = []
    while i < len(lines):
        page, line = lines[i]
        if _row_kind(line) == kind:
            cells = _cells(line, kind)
            if cells is not None and not _is_footer_row(cells):
                rows.append((page, cells))
            i += 1
            continue
        j, saw_footer = i, False
        while j < len(lines) and (not lines[j][1].strip() or page_marks().footer.match(lines[j][1])):
            saw_footer = saw_footer or bool(lines[j][1].strip())
            j += 1
        if j > i and j < len(lines) and _row_kind(lines[j][1]) == kind and saw_footer:
            i = j
            continue
        break
    return rows, i


def _cells(line: str, kind: str):
    """The cells of one row; None for the `|---|` separator row."""
    if kind == "tab":
        return [_inline(c) for c in line.strip("\r\n").split("\t")]
    s = line.strip()
    if _SEPARATOR.match(s):
        return None
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [_inline(c.replace("\\|", "|")) for c in re.split(r"(?<!\\)\|", s)]


def _is_footer_row(cells: list) -> bool:
    """A table row holding nothing but a page footer ('| — 3 — | | |')."""
    filled = [c for c in cells if c]
    return len(filled) == 1 and bool(page_marks().footer.match(filled[0]))


def _inline(s: str) -> str:
    """Markdown inline markup and HTML bits removed (emphasis, links, <br> joined, entities), and
    whitespace between CJK characters, which is a wrapped label's line break."""
    s = re.sub(r"<br\s*/?>", "", s, flags=re.I)
    s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"(\*\*|__)(.+?)\1", r"\2", s)
    s = re.sub(r"<[^>]+>", "", s)
    return clean_text(htmllib.unescape(s))


def _join(parts: list) -> str:
    """Lines of one wrapped paragraph joined: no space after CJK, a space between Latin words."""
    out = ""
    for p in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and p[:1].isascii() and p[:1].isalnum():
            out += " "
        out += p
    return out
