"""Finding the standard tables among a document's items, and joining the fragments of each.

Tables are recognised by their labels, wherever they sit: a model table is the standard table
whose labels most of its text cells match; where two tables' labels tie (a header of 维持 纠正
总计 could be either), the section the table sits in decides. A table with a single
label starts a table only in that table's own section. Consecutive tables of one kind are
one table split up (by a page break, or printed in pieces); the longest run of a kind wins. A
table with no label of any standard table after a fragment of a run, in the same section, is a
piece of that table (its row labels floated away as text, or what is left of them is a fragment
no label matches): it neither starts nor breaks a run; such pieces, and pieces with a single
label of the table, right before a run are its first pieces.

A table's region is its fragments with the text blocks around and between them, within its
section: converters pull labels and multi-line cells out of tables into such text, and some
reports print a table's rows as lines of text ("行政许可 0"). A page's own line (a page number
between dashes, 第3页 共5页: data/page_marks.csv) is no line of the table: a text PDF's footer
between a table's pieces or under its last row was read as a row of numbers.
"""
from __future__ import annotations

from pipeline.core.model import Table
from pipeline.core.values import parse
from pipeline.formats import headings, layout
from pipeline.formats import labels as L
from pipeline.formats.pages import page_marks


def standard_tables() -> tuple:
    return tuple(layout.tables())


def classify(table: Table, section=None):
    """(standard table code, number of its labels found) for a model table; `section` (the code
    of the section it sits in) breaks a tie."""
    codes = standard_tables()
    found = L.kind_hits(c.text for c in table.cells
                        if c.text.strip() and parse(c.text).kind not in ("number", "na", "blank"))
    hits = {code: found.get(code, 0) for code in codes}
    best = max(hits.values())
    if not best:
        return None, 0
    tied = [k for k in codes if hits[k] == best]
    code = next((k for k in tied if layout.tables()[k].section == section), tied[0])
    return code, best


def regions(items: list, item_sections=None) -> dict:
    """{standard code: [items]}: each standard table's fragments, in order, with the text blocks
    of its section before, between and after them."""
    sections = list(item_sections) if item_sections is not None else [None] * len(items)
    runs, last = [], None
    kinds = {i: classify(item, sections[i]) for i, item in enumerate(items) if isinstance(item, Table)}
    for i, item in enumerate(items):
        if not isinstance(item, Table):
            continue
        code, hits = kinds[i]
        if code is None and last is not None and sections[i] == sections[runs[-1][1][-1]]:
            runs[-1][1].append(i)      # a piece whose row labels floated away or were cut up
            continue
        if code is None or (hits < 2 and code != last and layout.tables()[code].section != sections[i]):
            last = None
            continue
        if code == last:
            runs[-1][1].append(i)
        else:
            runs.append((code, [i]))
        last = code
    runs = [(code, _lead_pieces(items, sections, kinds, code, idx) + idx) for code, idx in runs]
    chosen = {}
    for code, idx in runs:
        # the longest run of a kind wins; a second copy of a table is rare
        if code not in chosen or _size(items, idx) > _size(items, chosen[code]):
            chosen[code] = idx
    found = {code: [items[k] for k in _around(items, sections, idx) if not _page_line(items[k])]
             for code, idx in chosen.items()}
    claimed = {k for idx in chosen.values() for k in idx}
    for code, info in layout.tables().items():
        if code not in found:
            lines = _section_lines(items, sections, info.section, claimed)
            if lines:
                found[code] = lines
    return found


def _lead_pieces(items: list, sections: list, kinds: dict, code: str, idx: list) -> list:
    """The pieces right before a run's first fragment, in its section, with too few labels to
    start a run on their own — a header row whose words were cut up, a row whose label kept only
    its first line — and none of another table's: the table's first pieces."""
    lead, k = [], idx[0] - 1
    while k >= 0 and sections[k] == sections[idx[0]]:
        if isinstance(items[k], Table):
            kind, _ = kinds[k]
            if kind not in (code, None):
                break
            lead.insert(0, k)
        k -= 1
    return lead


def _section_lines(items: list, sections: list, section: str, claimed: set) -> list:
    """The items of a table's section when no table of its kind was found by its labels: a table
    printed as lines of text (no table markup at all), or a table whose header words are all cut
    into fragments no label matches (table 四's fifteen numbers under "结果 审结 总计"). Every
    text block of the section but its heading, and every table no other kind claimed."""
    return [items[k] for k in range(len(items))
            if sections[k] == section and sections[k] is not None and not _page_line(items[k])
            and (_same_text(items, sections, k, section) or (isinstance(items[k], Table) and k not in claimed))]


def _page_line(item) -> bool:
    """Whether an item is a line of the page, not of the report: a page footer."""
    return not isinstance(item, Table) and bool(page_marks().footer.match(item.text))


def _around(items: list, sections: list, idx: list) -> list:
    """Indexes of the run's fragments and of the text blocks before, between and after them that
    belong to the same section (not its heading)."""
    first, last = idx[0], idx[-1]
    lo = first
    while lo > 0 and _same_text(items, sections, lo - 1, sections[first]):
        lo -= 1
    hi = last
    while hi + 1 < len(items) and _same_text(items, sections, hi + 1, sections[last]):
        hi += 1
    return [k for k in range(lo, hi + 1) if k in idx or not isinstance(items[k], Table)]


def _same_text(items: list, sections: list, k: int, section) -> bool:
    if isinstance(items[k], Table) or sections[k] != section:
        return False
    # the section's first item is its heading — unless the heading was lost and the section
    # starts with the table's own words (a sub-heading 行政复议 found by the segmenter)
    heading = section is not None and (k == 0 or sections[k - 1] != section) \
        and headings.heading_code(items[k].text) is not None
    return not heading


def _size(items: list, idx: list) -> int:
    return sum(len(items[k].cells) for k in idx)
