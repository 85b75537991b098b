"""The legacy statistics table (reports before 2019) as the data tables describe it.

Before 2019 each office printed its own selection of the State Council's indicators in one table:
指标名称 · 计量单位 · 本年度 (or `2013年度`, 本期实际) · 历年累计 (or 本年累计), a row per indicator,
the parts of a total under it as 其中：1.… 2.…. Its words are rows of `data/labels.csv` (table
`legacy`): `row` the indicators with their synonyms, `col` the value columns, `header` the other
columns (`indicator` 指标名称, `unit` 计量单位, `code` 代码), `unit` the units a row is counted in.
The segmenter (the 统计表 section by its table) and the extractor (pipeline/extract/legacy.py)
both tell the table by its header here.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pipeline.core.model import Table
from pipeline.formats import labels as L
from pipeline.formats.layout import LEGACY, OTHER_ROW

TABLE = LEGACY
OTHER = OTHER_ROW           # the row code of an indicator the data does not know: other:<label as printed>
ROW_ACCEPT = 0.86           # a row label is an indicator only when exact, or the indicator with a note
                            # or unit after it (…金额（元）): a near miss is another indicator, kept apart
YEAR_COLUMN = re.compile(r"^(?:19|20)\d{2}年度?$")       # 2013年度: the reporting year's column
PART = re.compile(r"^\s*其中\s*[:：,，]?\s*")            # 其中：1.网站公开 is a part of the row above
NUMBERED = re.compile(r"^\s*(?:[(（]?\s*\d{1,2}\s*[)）.．、]|[(（][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}[、.．])")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@lru_cache(maxsize=None)
def _labels(axis: str) -> tuple:
    return L.labels(TABLE, axis)


def row_labels() -> tuple:
    """Every printed wording of the indicators the data knows."""
    return _labels("row")


def column_code(text: str):
    """The value column a header cell names (`year`, `cumulative`, `year_to_date`), or None."""
    t = flat(text)
    if YEAR_COLUMN.match(t):
        return "year"
    key = L.normalize(t)
    return next((l.code for l in _labels("col") if key and l.key == key), None)


def header_role(text: str):
    """`indicator`, `unit` or `code` for a header cell that names one of the other columns."""
    key = L.normalize(text)
    return next((l.code for l in _labels("header") if key and l.key == key), None)


def bare_label(text: str) -> str:
    """A row label without its 其中 and numbering, spaces collapsed: what is matched and what an
    unknown indicator is kept as."""
    t = PART.sub("", " ".join((text or "").split()))
    while True:
        stripped = NUMBERED.sub("", t, count=1)
        if stripped == t:
            return t.strip()
        t = stripped


SECTION_ROW = re.compile(r"^\s*[一二三四五六七八九十]{1,2}\s*[、.．]")


def after_section_row(label: str):
    """A row's label without the section row a run-together copy glued before it (一、主动公开情况
    主动公开政府信息数 → 主动公开政府信息数): where the label opens like a section (一、) and is no
    indicator the data knows, the longest end of it that is one; None where there is none (where
    the section's words end and an indicator of the office's own begins cannot be told). Any
    other label as it is."""
    if not SECTION_ROW.match(label or "") or not (row_code(label)[0] or OTHER).startswith(OTHER):
        return label
    for k in range(1, len(label)):
        code, _ = row_code(label[k:])
        if code and not code.startswith(OTHER) and L.normalize(bare_label(label[k:])) in _exact_keys():
            return label[k:]
    return None


@lru_cache(maxsize=1)
def _exact_keys() -> frozenset:
    return frozenset(l.key for l in _labels("row"))


def is_part(text: str) -> bool:
    return bool(PART.match(text or ""))


def is_numbered(text: str) -> bool:
    return bool(NUMBERED.match(PART.sub("", text or "")))


def row_code(label: str):
    """(row code, score) of a printed indicator: a known one, else `other:<label as printed>`
    (never dropped) with score 0; (None, 0) for an empty label."""
    bare = bare_label(label)
    if not L.normalize(bare):
        return None, 0.0
    m = L.match(bare, _labels("row"), ROW_ACCEPT, words=False)
    if m:
        return m.code, m.score
    return OTHER + bare.replace(" ", ""), 0.0


@lru_cache(maxsize=1)
def units() -> tuple:
    """The units a row may be counted in, longest first (万元 before 元)."""
    return tuple(sorted({l.text for l in _labels("unit")}, key=len, reverse=True))


def is_table(table: Table) -> bool:
    """Whether a model table is a legacy statistics table: a header row with a value column of
    the legacy table (本年度 / 2013年度 / 历年累计 / 本期实际 …) and its 指标名称 column or two of its
    indicators."""
    return header_row(table) is not None


def header_row(table: Table):
    """The grid row index of a legacy table's header, or None."""
    found = header_rows(table)
    return found[0] if found else None


def header_rows(table: Table) -> list:
    """The grid rows of a legacy table that are its header: the first, and any printed again
    further down (a converter joins the pieces of a table a page break cut, headers and all)."""
    rows = {}
    for c in table.cells:
        rows.setdefault(c.row, []).append(c)
    out, known = [], None
    for r in sorted(rows):
        texts = [c.text for c in rows[r]]
        if not any(column_code(t) for t in texts):
            continue
        if any(header_role(t) == "indicator" for t in texts):
            out.append(r)
            continue
        known = indicators(table) if known is None else known
        if known >= 2:
            out.append(r)
    return out


def indicators(table: Table) -> int:
    """How many cells of a table are indicators the data knows."""
    return sum(1 for c in table.cells if c.text.strip() and not (row_code(c.text)[0] or OTHER).startswith(OTHER))


@lru_cache(maxsize=1)
def _header_pattern() -> re.Pattern:
    """A header written as a line of text (指标名称计量单位2012年度历年累计): the indicator column's
    name, then the names of the other columns, spaces or none between them."""
    def alt(words):
        return "|".join(r"\s*".join(map(re.escape, w)) for w in sorted(words, key=len, reverse=True))
    indicator = alt({l.text for l in _labels("header") if l.code == "indicator"})
    others = alt({l.text for l in _labels("header") if l.code != "indicator"} | {l.text for l in _labels("col")})
    return re.compile(rf"(?:{indicator})(?:\s*(?:{others}|(?:19|20)\d{{2}}\s*年度?))+")


@dataclass(frozen=True)
class TextHeader:
    start: int
    end: int
    cols: tuple          # the value columns' codes, in printed order
    words: tuple         # ... as printed (2012年度, 历年累计)
    unit: bool           # whether there is a 计量单位 column
    code: bool = False   # whether there is a 代码 column (the State Council's form)


def text_header(text: str):
    """The header of a legacy table written as a line of text (a TextHeader), or None: at least
    one value column after the indicator column's name."""
    for m in _header_pattern().finditer(text or ""):
        cols, words, roles, end = _header_words(m.group(0))
        if cols:
            return TextHeader(m.start(), m.start() + end, tuple(cols), tuple(words), "unit" in roles, "code" in roles)
    return None


def _header_words(header: str):
    """The value columns of a header line in order (codes and words), the roles of its other
    columns (unit, code), and where the header ends (before a repeated column: the first row's
    label may start with a column's word)."""
    known = sorted({l.text for l in _labels("header")} | {l.text for l in _labels("col")}, key=len, reverse=True)
    pos, cols, words, unit, end = 0, [], [], set(), 0
    while pos < len(header):
        if header[pos].isspace():
            pos += 1
            continue
        m = re.match(r"(?:19|20)\d{2}\s*年度?", header[pos:])
        word = m.group(0) if m else next((w for w in known if header.startswith(w, pos)), None)
        if word is None:
            break
        code = column_code(word)
        if code and code in cols:
            break
        if code:
            cols.append(code)
            words.append(word)
        elif header_role(word) in ("unit", "code"):
            unit.add(header_role(word))
        pos += len(word)
        end = pos
    return cols, words, unit, end
