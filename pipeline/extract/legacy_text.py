"""Figures a legacy report states in its text (全年共收到政府信息公开申请12件，其中同意公开10件 …).

Some reports before 2019 have no statistics table: their figures are in the text, and those are
their cells (`placement` text, the sentence as `raw`). A number is taken only where the sentence
says unambiguously which indicator it is — the patterns of `data/legacy_text.csv`:

    at=start  the indicator's words open the clause, after nothing but lead-in words (a date, 全年,
              共, 其中, 新增, the office itself: 我局, 全县) — "县直各单位主动公开政府信息2475条"
              counts a part of the office and is not the office's figure
    at=any    the words say it wherever they stand in the clause: a negation (本年度未收到政府信息
              公开申请 → 0, 无不予公开 → 0) or a count no qualifier changes (行政复议0件)

An indicator stated twice with different numbers is ambiguous: neither is taken, and the report
says so (extract.unplaced with both sentences). The same figures, where a report has a table,
settle a run-together row the table's own arithmetic leaves open (pipeline/extract/legacy_runs.py).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional

from pipeline import data
from pipeline.core.model import Document
from pipeline.core.results import CellRecord
from pipeline.extract.collect import Collector
from pipeline.formats import layout
from pipeline.formats.labels import canonical_label
from pipeline.formats.legacy import TABLE
from pipeline.formats.pages import SENTENCE_END, goes_on, page_marks, right_margins

SENTENCE = re.compile(r"(?<=[。；;！!？?])")
# clauses: at commas and colons (full-width and half-width: the text is split as printed), and at
# a 、 after a count (当面申请17件、网上申请7件), never inside a name (行政复议、行政诉讼0件 counts both)
CLAUSE = re.compile(r"[，：:]|,(?!\d{3}(?!\d))|(?<=\d[件条个项次])、")    # (2,409: a number's own comma)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


@dataclass(frozen=True)
class Figure:
    """A figure stated in the text: the indicator, the number, the sentence it is in."""
    row: str
    col: str
    value: float
    phrase: str          # the words that name it, as printed
    sentence: str
    page: int
    bbox: Optional[tuple]
    doubtful: bool = False   # read only with the digits a space parts joined (答复3 5件): never taken

    @property
    def key(self) -> tuple:
        return (self.row, self.col)


@dataclass(frozen=True)
class _Pattern:
    row: str
    col: str
    value: Optional[float]   # the number the words mean (未收到 → 0); None: the pattern's group
    at: str
    regex: re.Pattern


@lru_cache(maxsize=1)
def _patterns() -> tuple:
    rows = data.rows("legacy_text.csv")
    lead = "|".join(f"(?:{r['pattern']})" for r in rows if r["kind"] == "lead")
    out = []
    for r in rows:
        if r["kind"] != "figure":
            continue
        text = r["pattern"] if r["at"] == "any" else f"^(?:{lead})*(?:{r['pattern']})"
        out.append(_Pattern(r["row"], r["col"], float(r["value"]) if r["value"] else None, r["at"], re.compile(text)))
    return tuple(out)


# a space beside a Chinese character may be a converter's or a line wrap's (2013 年, 申请 40 件) —
# or the text's own, after a sub-heading run into the sentence ((一)公开的主要内容 2013年…)
_LOOSE = re.compile(r"(?<=[\u4e00-\u9fff])\s+|\s+(?=[\u4e00-\u9fff])")
_SPLIT_NUMBER = re.compile(r"(?<=\d)\s+(?=\d)")


# a heading: a short line numbered 一、 or （一）, no sentence in it
HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,2}\s*[、.．]|[(（][一二三四五六七八九十\d]{1,2}[)）])[^。；;！!？?]{0,40}$")


def paragraphs(blocks: list) -> list:
    """[(text, first block)]: the document's text as paragraphs, a sentence cut by a line break
    read whole. A line that ends no sentence goes on in the next one (joined by a space, which
    statements() reads through), unless either is a heading, or — where the reader gives the
    lines' boxes (a PDF, a scan) — the line stops short of its page's right margin
    (pipeline.formats.pages.goes_on). Page footers are passed over."""
    right = right_margins(blocks)
    out, last = [], None
    for b in blocks:
        if page_marks().footer_block.match(b.text):
            continue
        if last is not None and _goes_on(out[-1][0], last, b, right):
            out[-1] = (f"{out[-1][0]} {b.text}", out[-1][1])
        else:
            out.append((b.text, b))
        last = b
    return out


def _goes_on(text: str, last, block, right: dict) -> bool:
    """Whether `block` continues the paragraph `text` whose last line is `last`."""
    if text.rstrip().endswith(SENTENCE_END) or HEADING.match(last.text) or HEADING.match(block.text):
        return False
    return goes_on(last, right) if last.bbox else True


def statements(doc: Document) -> list:
    """Every figure the text states, in reading order (conflicting ones included): read from
    each sentence as printed and with the spaces beside its Chinese characters taken out, the
    same figure once."""
    out = []
    for text, block in paragraphs(doc.blocks):
        for sentence in SENTENCE.split(text):
            printed = unicodedata.normalize("NFKC", sentence)
            compact = _LOOSE.sub("", printed)
            found = []
            for text in dict.fromkeys((printed, compact)):
                for clause in CLAUSE.split(text):
                    found += [f for f in _read(clause.strip(), sentence.strip(), block)
                              if (f.key, f.value) not in {(g.key, g.value) for g in found}]
            # a number a line break or a converter cut in two (答复3 5件) may be one number or two:
            # a figure only its joined digits give is reported, never taken
            joined = _SPLIT_NUMBER.sub("", compact)
            if joined != compact:
                for clause in CLAUSE.split(joined):
                    found += [replace(f, doubtful=True) for f in _read(clause.strip(), sentence.strip(), block)
                              if f.key not in {g.key for g in found}]
            out += found
    return out


def _read(clause: str, sentence: str, block) -> list:
    """The figures one clause states; the sentence, as printed, is their provenance."""
    out = []
    clause = _THOUSANDS.sub("", unicodedata.normalize("NFKC", clause))
    for p in _patterns():
        m = p.regex.search(clause) if p.at == "any" else p.regex.match(clause)
        if m is None:
            continue
        if p.value is None and re.match(r"0\d", m.group(m.lastindex)):
            continue                  # 01, 05: a number with a leading zero is a code (代码), no count
        value = p.value if p.value is not None else float(m.group(m.lastindex))
        phrase = m.group(0)
        out.append(Figure(p.row, p.col, value, phrase, sentence, block.page, block.bbox))
    return out


def figures(doc: Document) -> tuple:
    """({(row, col): Figure} of the indicators the text states one number for — the first
    sentence that states it —, {(row, col): [Figure]} of those stated with different numbers)."""
    by_key = {}
    for f in statements(doc):
        by_key.setdefault(f.key, []).append(f)
    sure = {k: fs[0] for k, fs in by_key.items() if len({f.value for f in fs}) == 1 and not fs[0].doubtful}
    unsure = {k: fs for k, fs in by_key.items() if k not in sure}
    return sure, unsure


def read_figures(doc: Document, out: Collector) -> set:
    """The text's figures as the report's cells (a report without a statistics table); returns
    the (row, col) the text states, read or not."""
    sure, unsure = figures(doc)
    for f in sure.values():
        out.add(CellRecord(TABLE, f.row, f.col, "number", f.value, f.sentence, f.page, f.bbox, None, None,
                          f.phrase, canonical_label(TABLE, "col", f.col), 1.0, placement="text"))
    for (row, col), fs in unsure.items():
        said = "；".join(dict.fromkeys(f.sentence for f in fs))
        name = canonical_label(TABLE, "row", row)
        if all(f.doubtful for f in fs):
            zh, en = f"正文所述“{name}”的数字被空格或换行隔开，是一个数还是两个无法确定，未读取：{said}", \
                f"the number the text states for {row} is cut by a space or a line break (one number or two?) " \
                f"and was not read: {said}"
        else:
            zh, en = f"正文对“{name}”给出了不同的数字，未读取：{said}", \
                f"the text states different numbers for {row} and neither was read: {said}"
        out.flag("extract.unplaced", f"{TABLE}.{row}", found=said, zh=f"{layout.title(TABLE)}：{zh}", en=en)
    return set(sure) | set(unsure)
