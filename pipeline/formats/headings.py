"""Section headings, table markers and report titles, as every reader and the segmenter see them.

All of it is built from the data tables — the six headings and their variants from
`data/sections.csv`, the words that mark each standard table from `data/tables.csv`, the words
of a report's title from `data/title_words.csv` — so a new heading variant is a data row, and
the web page reader, the OCR triage, the segmenter and the extractor agree.

Two outlines: the national one of the 2019+ reports (six sections, numbered 一 to 六 in order)
and the legacy one of the reports before 2019 (`outline` legacy in sections.csv: 概述, 主动公开,
依申请公开, 收费及减免, 复议诉讼, 问题及改进, 其他, 统计表). Offices left out legacy sections
freely, so a legacy heading's number says nothing about its section (四、存在的主要问题 is
problems when there was no 收费 or 复议 part); they still come in order.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from pipeline import data
from pipeline.formats import layout
from pipeline.formats.labels import normalize

TOP_NUMBER = re.compile(r"^\s*([一二三四五六])\s*[、.．，,]")
MAX_HEADING = 40       # characters: a longer line is prose, not a heading
NUMBERED_ACCEPT = 0.72
# the legacy headings share most of their words (政府信息公开…情况): a numbered line is one only when
# this close to a wording (a section of the office's own, 政府信息公开保障情况, is none)
FREE_NUMBERED_ACCEPT = 0.85
BARE_ACCEPT = 0.90
PREFIX = 5             # characters of a heading's wording that mark a line as a heading
# a table's caption ("表三：收到和处理政府信息公开申请情况"), which converters repeat inside the
# table at every page break: it names the section but never starts it
CAPTION = re.compile(r"^表[一二三四五六1-6][:：、.．]?")


@dataclass(frozen=True)
class TitleWords:
    """The words of a report's title (data/title_words.csv), each role as a regex alternation,
    longest word first."""
    subject: str      # what the title says the report is on: 政府信息公开|政务公开|信息公开
    annual: str       # what an annual report's name ends with: 年度报告|工作报告|年报
    report: str       # the annual words and any report's: a candidate title names subject … one


@lru_cache(maxsize=1)
def title_words() -> TitleWords:
    rows = data.rows("title_words.csv")

    def alternation(*roles):
        words = sorted({r["word"] for r in rows if r["role"] in roles}, key=lambda w: (-len(w), w))
        return "|".join(map(re.escape, words))
    return TitleWords(alternation("subject"), alternation("annual"), alternation("annual", "report"))


@lru_cache(maxsize=1)
def report_title() -> re.Pattern:
    """A line that is a report's title: it names the subject and ends in an annual report's name
    (…政府信息公开…年度报告)."""
    w = title_words()
    return re.compile(rf"(?:{w.subject}).*(?:{w.annual})$")


@lru_cache(maxsize=1)
def annual_report_words() -> re.Pattern:
    """The words that name an annual report (年度报告, 年报 …): a string holding one may be the
    title, a link holding one the report's attachment."""
    return re.compile(title_words().annual)


NATIONAL = "national"
# a legacy heading's numbering: any of 一、 … 十、, or an attachment's 附件1：
FREE_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]{1,2}[、.．，,]|附件[0-9一二三四五六七八九十]*[:：、.．]?)")
SUFFIX = 6             # characters: a legacy heading may be a label after a name (…平潭县2012年政府信息公开情况统计表)
SENTENCE = re.compile(r"[，。；！？,;]")


def _rows(outline: str) -> list:
    return [r for r in data.rows("sections.csv") if (r.get("outline") or NATIONAL) == outline]


@lru_cache(maxsize=None)
def codes(outline: str = NATIONAL) -> tuple:
    """The section codes of an outline in its order (the national one: the six sections)."""
    return tuple(dict.fromkeys(r["code"] for r in _rows(outline)))


def section_name(code: str, outline: str = NATIONAL) -> str:
    """A section as people name it: its number and first heading (一、总体情况); the code itself
    for a section the outline does not have."""
    row = next((r for r in _rows(outline) if r["code"] == code), None)
    return f"{row['number']}、{row['label']}" if row and row["number"] else (row["label"] if row else code)


@lru_cache(maxsize=None)
def _headings(outline: str = NATIONAL) -> dict:
    out = {}
    for r in _rows(outline):
        out.setdefault(r["code"], (r["number"], []))[1].append(normalize(r["label"]))
    return out


def heading_code(text: str, after: int = -1, outline: str = NATIONAL):
    """The section code this line heads, if it is a heading of a section after index `after`
    (of the outline's codes)."""
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if not flat or len(flat) > MAX_HEADING or flat.startswith(("(", "（")) or CAPTION.match(flat):
        return None
    if outline != NATIONAL:
        return _free_heading_code(flat, after, outline)
    m = TOP_NUMBER.match(flat)
    key = normalize(flat)
    for i, code in enumerate(codes()):
        if i <= after:
            continue
        number, variants = _headings()[code]
        if m and m.group(1) != number:
            continue
        best = max(fuzz.ratio(key, v) / 100.0 for v in variants)
        if best >= (NUMBERED_ACCEPT if m else BARE_ACCEPT):
            return code
    return None


def _free_heading_code(flat: str, after: int, outline: str):
    """A heading of an outline whose numbers are free (legacy): its wording after any numbering
    is like a heading's, or ends with one (a name before it, no sentence)."""
    m = FREE_NUMBER.match(flat)
    rest = flat[m.end():] if m else flat
    key = normalize(rest)
    for i, code in enumerate(codes(outline)):
        if i <= after:
            continue
        variants = _headings(outline)[code][1]
        best = max(fuzz.ratio(key, v) / 100.0 for v in variants)
        if best >= (FREE_NUMBERED_ACCEPT if m else BARE_ACCEPT):
            return code
        if not SENTENCE.search(rest) and any(len(v) >= SUFFIX and key.endswith(v) for v in variants):
            return code
    return None


@lru_cache(maxsize=1)
def _prefixes() -> str:
    words = sorted({normalize(r["label"])[:PREFIX] for r in _rows(NATIONAL)}, key=len, reverse=True)
    return "|".join(map(re.escape, words))


@lru_cache(maxsize=1)
def numbered_heading() -> re.Pattern:
    """一、总体情况 … 六、其他需要报告的事项, and any longer line starting so (a heading with a note)."""
    return re.compile(rf"^[一二三四五六七八]\s*[、.．]\s*(?:{_prefixes()})")


@lru_cache(maxsize=1)
def heading_words() -> re.Pattern:
    """Words any heading starts with, for a cheap first screening of a page's strings."""
    return re.compile(_prefixes())


@lru_cache(maxsize=1)
def table_words() -> re.Pattern:
    """Words that mark a piece of markup or text as one of the standard tables."""
    words = sorted({w for t in layout.tables().values() for w in t.anchors}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def table_section(table) -> str | None:
    """The section a model table implies: the section of the standard table it is (by its labels,
    with at least two of them), or None."""
    from pipeline.core.values import parse
    from pipeline.formats.labels import kind_hits
    hits = kind_hits(c.text for c in table.cells if c.text.strip() and parse(c.text).kind == "text")
    code, n = max(hits.items(), key=lambda kv: kv[1]) if hits else (None, 0)
    if n < 2 or list(hits.values()).count(n) > 1:
        return None
    return layout.tables()[code].section


@lru_cache(maxsize=1)
def _openings() -> tuple:
    return tuple((r["code"], re.compile(r["pattern"])) for r in data.rows("openings.csv"))


def opening(text: str) -> str | None:
    """The section a line of text opens by its words (data/openings.csv), or None."""
    flat = re.sub(r"\s+", "", text)
    return next((code for code, pat in _openings() if pat.search(flat)), None)


@lru_cache(maxsize=1)
def table_heading_words() -> re.Pattern:
    """Headings of the sections that hold a table, and the tables' own marker words: a page of
    prose that names one of them next to a large image is likely to show a table as a picture."""
    sections = {t.section for t in layout.tables().values()}
    words = {normalize(r["label"]) for r in _rows(NATIONAL) if r["code"] in sections}
    words |= {w for t in layout.tables().values() for w in t.anchors}
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
