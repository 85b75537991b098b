"""What a page carries besides the report: the labelled fields a site or a crawler prints above
it (标题：… 发布日期：…), the line that says where its body starts (==== 正文 ====), page
footers (— 3 —, 第3页 共5页), and where a printed line wraps on into the next (`goes_on`).

The knowledge is the data tables `data/meta_fields.csv` and `data/page_marks.csv`; the web page,
text and Markdown readers and the segmenter all read it here, so a new label or footer form is a
data row they all take.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import data


@dataclass(frozen=True)
class MetaFields:
    """data/meta_fields.csv in the forms its readers ask for."""
    fields: dict         # label → (metadata key, priority: lower wins where a page says it twice)
    box_words: tuple     # words of the 索引号 / 发布机构 / 公开日期 box above a web page's article
    labels: tuple        # every label, longest first: one ends the value of the label before it


@lru_cache(maxsize=1)
def meta_fields() -> MetaFields:
    rows = data.rows("meta_fields.csv")
    return MetaFields(fields={r["label"]: (r["key"], int(r["priority"])) for r in rows if r["key"]},
                      box_words=tuple(r["label"] for r in rows if r["box"] == "yes"),
                      labels=tuple(sorted((r["label"] for r in rows), key=len, reverse=True)))


@dataclass(frozen=True)
class PageMarks:
    """data/page_marks.csv as patterns of a whole line (surrounding spaces allowed)."""
    body: re.Pattern            # the mark where a saved copy's body starts
    footer: re.Pattern          # a page footer, wherever a line stands
    footer_block: re.Pattern    # ... or, for a block of text on its own on a page, a number alone
    header: re.Pattern          # a line of a crawler's header block that is no field the data keys


@lru_cache(maxsize=1)
def page_marks() -> PageMarks:
    rows = data.rows("page_marks.csv")

    def line(patterns) -> re.Pattern:
        return re.compile(r"^\s*(?:%s)\s*$" % "|".join(f"(?:{p})" for p in patterns))
    footers = [r for r in rows if r["kind"] == "footer"]
    return PageMarks(body=line(r["pattern"] for r in rows if r["kind"] == "body"),
                     footer=line(r["pattern"] for r in footers if r["alone"] != "yes"),
                     footer_block=line(r["pattern"] for r in footers),
                     header=line(r["pattern"] for r in rows if r["kind"] == "header"))


WRAP = 2.5        # line heights from its page's right margin (a line of digits ends short of it): it wraps on
SENTENCE_END = tuple("。；;！!？?")


def right_margins(blocks: list) -> dict:
    """{page: the right edge of its text}: the furthest any line with a box reaches."""
    right = {}
    for b in blocks:
        if getattr(b, "bbox", None):
            right[b.page] = max(right.get(b.page, 0.0), b.bbox[2])
    return right


def goes_on(block, right: dict) -> bool:
    """Whether a printed line (a PDF's or a scan's, with its box) wraps on into the next one: it
    reaches its page's right margin and ends no sentence. A line without a box says nothing."""
    if not getattr(block, "bbox", None) or block.page not in right:
        return False
    x0, y0, x1, y1 = block.bbox
    return x1 >= right[block.page] - WRAP * (y1 - y0) and not block.text.rstrip().endswith(SENTENCE_END)

