"""Split a document into the six sections of the national outline by their headings.

Headings are numbered 一、 to 六、 and worded a little differently by each office, so they are
matched against `data/sections.csv` tolerantly (pipeline.headings). Sections
come in order: a heading is only taken if it comes after the current one, which keeps a table
row such as "四、结转下年度继续办理" or a sub-heading "（二）依申请公开情况" from being
mistaken for one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import headings
from .model import Document, TextBlock

CODES = headings.codes()
PAGE_NUMBER = re.compile(r"^[-—–－_\s]*(第?\s*\d+\s*页?)[-—–－_\s]*$|^\d+\s*/\s*\d+$")


@dataclass
class Section:
    code: str
    heading: str
    text: str
    first_page: int
    last_page: int


def segment(doc: Document) -> dict:
    """Sections found, and the section code of every item (None before the first heading)."""
    item_sections, sections, current = [], [], None
    index = -1
    for item in doc.items:
        if isinstance(item, TextBlock):
            code = headings.heading_code(item.text, after=index)
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
