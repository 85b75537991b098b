"""Finding the standard tables among a document's tables, and joining the fragments of each.

Tables are recognised by their labels, wherever they sit: a model table is the standard table
whose labels most of its text cells match. Consecutive tables of one kind are one table split up
(by a page break, or printed in pieces); the longest run of a kind wins.
"""
from __future__ import annotations

from functools import lru_cache

from .. import labels as L
from .. import layout
from ..model import Table
from ..values import parse

CLASSIFY_SCORE = 0.85


def standard_tables() -> tuple:
    return tuple(layout.tables())


def classify(table: Table):
    """(standard table code, number of its labels found) for a model table."""
    codes = standard_tables()
    hits = {code: 0 for code in codes}
    for c in table.cells:
        if not c.text.strip() or parse(c.text).kind in ("number", "na", "blank"):
            continue
        best = None
        for code in codes:
            m = L.match(c.text, _table_labels(code), CLASSIFY_SCORE, words=False)
            if m and (best is None or m.score > best[1]):
                best = (code, m.score)
        if best:
            hits[best[0]] += 1
    code = max(codes, key=lambda k: hits[k])
    return (code, hits[code]) if hits[code] else (None, 0)


@lru_cache(maxsize=None)
def _table_labels(code: str) -> tuple:
    return tuple(l for l in L.all_labels() if l.table == code)


def group_tables(tables: list) -> dict:
    """{standard code: [fragments]}: consecutive tables of one kind are one table split up."""
    groups, runs, last = {}, [], None
    for t in tables:
        code, hits = classify(t)
        if code is None or (hits < 2 and code != last):
            last = None
            continue
        if code == last:
            runs[-1][1].append(t)
        else:
            runs.append((code, [t]))
        last = code
    for code, frags in runs:
        # the longest run of a kind wins; a second copy of a table is rare
        if code not in groups or _size(frags) > _size(groups[code]):
            groups[code] = frags
    return groups


def _size(frags: list) -> int:
    return sum(len(t.cells) for t in frags)
