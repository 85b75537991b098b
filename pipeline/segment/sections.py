"""Split a document into the six sections of the national outline by their headings.

Headings are numbered 一、 to 六、 and worded a little differently by each office, so they are
matched against `data/sections.csv` tolerantly (pipeline.formats.headings). Sections
come in order: a heading is only taken if it comes after the current one, which keeps a table
row such as "四、结转下年度继续办理" or a sub-heading "（二）依申请公开情况" from being
mistaken for one. A section whose heading is missing is found by its content, where that is
unmistakable: its standard table (and the sub-heading or header words right above it), or its
opening words.

A report from before 2019 follows the legacy outline (pipeline.formats.headings): its headings are
matched whatever their numbers, and its 统计表 section is also found by the legacy table.
"""
from __future__ import annotations

from pipeline.core.model import Document, Table, TextBlock
from pipeline.core.results import Section, Segmented
from pipeline.formats import headings, layout
from pipeline.formats import legacy as legacy_table
from pipeline.formats.labels import kind_hits
from pipeline.formats.pages import goes_on, page_marks, right_margins

CODES = headings.codes()
MAX_OPENING = 60      # characters: an opening line is short (a sub-heading, a first sentence)
MAX_LEAD_IN = 30      # characters: a sub-heading or header fragment above a table


def segment(doc: Document, outline: str = headings.NATIONAL) -> Segmented:
    """Sections found, the section code of every item (None before the first section), and the
    outline they were found by (`national`, or `legacy` for a report before 2019)."""
    starts = _by_heading(doc.items, outline)
    starts.update(_by_content(doc.items, starts, outline))
    order = sorted(starts.items(), key=lambda kv: kv[1][0])
    item_sections, sections = [], []
    current, k = None, 0
    for i, item in enumerate(doc.items):
        if k < len(order) and order[k][1][0] == i:
            code, (_, how) = order[k]
            k += 1
            current = Section(code, item.text if how == "heading" else "", "", item.page, item.page, how)
            sections.append(current)
            if how == "heading":
                item_sections.append(code)
                continue
        if current is not None and isinstance(item, TextBlock) and not page_marks().footer_block.match(item.text):
            current.text = f"{current.text}\n{item.text}" if current.text else item.text
        if current is not None:
            current.last_page = max(current.last_page, _last_page(item))
        item_sections.append(current.code if current else None)
    return Segmented(sections, item_sections, outline)


def _by_heading(items: list, outline: str) -> dict:
    """{code: (item index, "heading")}: the headings, each after the one before it."""
    codes = headings.codes(outline)
    starts, index = {}, -1
    right = right_margins([x for x in items if isinstance(x, TextBlock)]) if outline != headings.NATIONAL else {}
    for i, item in enumerate(items):
        if isinstance(item, TextBlock):
            if i and isinstance(items[i - 1], TextBlock) and goes_on(items[i - 1], right):
                continue     # a line a sentence wraps into (the opening's list of the parts) heads nothing
            code = headings.heading_code(item.text, after=index, outline=outline)
            if code:
                index = codes.index(code)
                starts[code] = (i, "heading")
    return starts


def _by_content(items: list, starts: dict, outline: str) -> dict:
    """Sections whose heading was lost (a converter dropped it, a scan turned its page), found by
    what they hold: a standard table implies its section, and the other sections by their
    openings (data/openings.csv) — each between the sections found around it."""
    codes = headings.codes(outline)
    found = dict(starts)
    for code in codes:
        if code in found:
            continue
        lo = max((found[c][0] for c in codes[:codes.index(code)] if c in found), default=-1)
        hi = min((found[c][0] for c in codes[codes.index(code) + 1:] if c in found), default=len(items))
        for i in range(lo + 1, hi):
            if outline != headings.NATIONAL:
                if _holds_legacy(items[i], code):
                    found[code] = (i, "content")
                    break
            elif _holds(items[i], code):
                found[code] = (_lead_in(items, i, lo, code), "content")
                break
    return {c: v for c, v in found.items() if c not in starts}


def _holds_legacy(item, code: str) -> bool:
    """A legacy section shown by its content: the statistics table (as a table, or its header as
    a line of text), or the opening words of the sections both outlines share."""
    if code == layout.all_tables()[layout.LEGACY].section:
        if isinstance(item, Table):
            return legacy_table.is_table(item)
        return legacy_table.text_header(item.text) is not None
    return isinstance(item, TextBlock) and len(item.text) <= MAX_OPENING and headings.opening(item.text) == code


def _lead_in(items: list, i: int, lo: int, code: str) -> int:
    """Where a section found by its table at item i starts: at the earliest item above the table
    that is its own (a sub-heading 行政复议 over its first part, header words floating above it,
    the table's first pieces printed before the piece that gave it away), going back over items
    that are nobody's (a fragment, a piece of numbers only) and stopping at one of another table."""
    if not isinstance(items[i], Table):
        return i
    tables = {t for t, info in layout.tables().items() if info.section == code}
    start, k = i, i
    while k - 1 > lo:
        kind = _kind(items[k - 1])
        if kind is not None and kind not in tables:
            break
        k -= 1
        if kind is not None:
            start = k
    return start


def _kind(item):
    """The standard table an item's words belong to (a table's labels, or a short line's), or
    None when they say none or two alike."""
    from pipeline.core.values import parse
    if isinstance(item, Table):
        texts = [c.text for c in item.cells if c.text.strip() and parse(c.text).kind == "text"]
    elif len(item.text) <= MAX_LEAD_IN:
        texts = [item.text]
    else:
        return None
    hits = kind_hits(texts)
    best = max(hits.values()) if hits else 0
    tops = [k for k, n in hits.items() if n == best]
    return tops[0] if best and len(tops) == 1 else None


def _holds(item, code: str) -> bool:
    if isinstance(item, Table):
        return headings.table_section(item) == code
    return len(item.text) <= MAX_OPENING and headings.opening(item.text) == code


def _last_page(item) -> int:
    return item.last_page() if hasattr(item, "last_page") else item.page
