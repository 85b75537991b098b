"""Split a document into the six sections of the national outline by their headings.

Headings are numbered 一、 to 六、 and worded a little differently by each office, so they are
matched against `data/sections.csv` with the same tolerant matcher as table labels. Sections
come in order: a heading is only taken if it comes after the current one, which keeps a table
row such as "四、结转下年度继续办理" or a sub-heading "（二）依申请公开情况" from being
mistaken for one.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from . import data
from .labels import normalize
from .model import Document, TextBlock

CODES = ("overview", "active", "requests", "review_litigation", "problems", "other")
TOP_NUMBER = re.compile(r"^\s*([一二三四五六])\s*[、.．，,]")
MAX_HEADING = 40       # characters: a longer line is prose, not a heading
PAGE_NUMBER = re.compile(r"^[-—–－_\s]*(第?\s*\d+\s*页?)[-—–－_\s]*$|^\d+\s*/\s*\d+$")
NUMBERED_ACCEPT = 0.72
BARE_ACCEPT = 0.90


@dataclass
class Section:
    code: str
    heading: str
    text: str
    first_page: int
    last_page: int


@lru_cache(maxsize=1)
def _headings() -> dict:
    out = {}
    for r in data.rows("sections.csv"):
        out.setdefault(r["code"], (r["number"], []))[1].append(normalize(r["label"]))
    return out


def heading_code(text: str, after: int = -1):
    """The section code this line heads, if it is a heading of a section after index `after`."""
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if not flat or len(flat) > MAX_HEADING or flat.startswith(("(", "（")):
        return None
    m = TOP_NUMBER.match(flat)
    key = normalize(flat)
    for i, code in enumerate(CODES):
        if i <= after:
            continue
        number, variants = _headings()[code]
        if m and m.group(1) != number:
            continue
        best = max(fuzz.ratio(key, v) / 100.0 for v in variants)
        if best >= (NUMBERED_ACCEPT if m else BARE_ACCEPT):
            return code
    return None


def segment(doc: Document) -> dict:
    """Sections found, and the section code of every item (None before the first heading)."""
    item_sections, sections, current = [], [], None
    index = -1
    for item in doc.items:
        if isinstance(item, TextBlock):
            code = heading_code(item.text, after=index)
            if code:
                index = CODES.index(code)
                current = Section(code, item.text, "", item.page, item.page)
                sections.append(current)
                item_sections.append(code)
                continue
            if current is not None and not PAGE_NUMBER.match(item.text.strip()):
                current.text = f"{current.text}\n{item.text}" if current.text else item.text
        if current is not None:
            current.last_page = max(current.last_page, _last_page(item))
        item_sections.append(current.code if current else None)
    return {"sections": [s.__dict__ for s in sections], "item_sections": item_sections}


def _last_page(item) -> int:
    return item.last_page() if hasattr(item, "last_page") else item.page
