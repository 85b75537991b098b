"""Placing rows and columns whose labels were lost, and confirming the placement by arithmetic.

Converters and scans lose the link between a label and its numbers: a row's label floats away
from its numbers, a header is cut into fragments, a review table is printed as fifteen numbers
under a header naming five. The national layout still says which rows (and columns) come in
which order, so a stretch of rows with no usable label between two rows that have one can only
be the layout's rows between those two — when the counts agree. Such a placement is a claim,
and the form's own arithmetic (the relations of data/rules.csv: balance, outcome sums, row sums)
must confirm it: every relation an aligned cell takes part in must hold. A placement the
arithmetic does not confirm is undone and the rows reported, never guessed.

Cells placed so say so: `placement` is `aligned` (by order) or `split` (a run of digits cut
into the row's columns, see `split_digits`), and their match score is capped at
`ExtractSettings.aligned_score`. The searches here are bounded by the other ExtractSettings
(max_parts, max_splits, max_combinations, max_sums), which every caller passes in.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

from pipeline.core.options import ExtractSettings
from pipeline.core.values import na_marks
from pipeline.formats.relations import check_relations, equations


def fill_gaps(sequence: list, order: tuple) -> dict:
    """Where the unlabelled entries of `sequence` (None) can only be.

    `sequence`: the row codes read in printed order, None for a row whose label was lost.
    `order`: the layout's row codes in printed order. Returns {index in sequence: code} for each
    stretch of unlabelled rows that exactly fills the layout rows missing between the labelled
    rows around it; other stretches are left out (their place is not certain).
    """
    out, i = {}, 0
    position = {code: k for k, code in enumerate(order)}
    seen = {c for c in sequence if c is not None}
    while i < len(sequence):
        if sequence[i] is not None:
            i += 1
            continue
        j = i
        while j < len(sequence) and sequence[j] is None:
            j += 1
        before = next((sequence[k] for k in range(i - 1, -1, -1) if sequence[k] in position), None)
        after = next((sequence[k] for k in range(j, len(sequence)) if sequence[k] in position), None)
        lo = position[before] + 1 if before is not None else 0
        hi = position[after] if after is not None else len(order)
        gap = [c for c in order[lo:hi] if c not in seen]
        if len(gap) == j - i and lo <= hi:
            out.update({k: code for k, code in zip(range(i, j), gap)})
        i = j
    return out


def unconfirmed(placed: list, context: list) -> set:
    """Codes (table.row.col) of the cells in `placed` that take part in a relation which does not
    hold, evaluated over `context` + `placed` (CellRecords). A blank or na cell counts
    as 0 here, as in a row's own sums (`split_digits`): a placement must add up with them, where
    the report's checks call such a relation unverifiable."""
    mine = {c.code for c in placed}
    bad = set()
    zeroed = [c.with_(kind="number", value=0.0) if c.kind in ("blank", "na") else c
              for c in list(context) + list(placed)]
    for f in check_relations(zeroed):
        if f.severity == "error" and mine & set(f.cells):
            bad |= mine & set(f.cells)
    return bad


def split_digits(run: str, parts: int, sums: list, settings: ExtractSettings,
                 cuts: frozenset = frozenset()) -> list:
    """Every way to cut a run of digits into `parts` numbers (no leading zeros) such that each
    relation in `sums` holds: a relation is (index of the total, [indexes of its parts]). `cuts`
    are positions that must be a boundary (where the printed text had a separator). Returns the
    splits (lists of strings), at most `settings.max_splits` + 1 of them; the caller takes one
    only when it is the only one, alone or together with the rest of the table."""
    if not run.isdigit() or parts > settings.max_parts or not (parts <= len(run)):
        return []
    most = settings.max_splits
    found = []
    due = {}            # a relation is checked as soon as its last number is cut
    for t, ks in sums:
        due.setdefault(max([t, *ks]), []).append((t, ks))

    def holds(acc: list) -> bool:
        return all(int(acc[t]) == sum(int(acc[k]) for k in ks) for t, ks in due.get(len(acc) - 1, ()))

    def cut(pos: int, acc: list):
        if len(found) > most or (acc and not holds(acc)):
            return
        left = parts - len(acc)
        if left == 0:
            if pos == len(run):
                found.append(list(acc))
            return
        rest = len(run) - pos
        if rest < left:
            return
        for n in range(1, rest - left + 2):
            piece = run[pos:pos + n]
            if len(piece) > 1 and piece[0] == "0":
                break
            if any(pos < c < pos + n for c in cuts):
                break
            cut(pos + n, acc + [piece])

    cut(0, [])
    return found


def row_sums(table: str, codes: list) -> list:
    """The relations checked along a row of `table` (data/rules.csv, `at` = row), as
    (index of the total, [indexes of its parts]) into `codes`, where all their codes are there."""
    from pipeline.formats.relations import all_relations
    out = []
    for rel in all_relations():
        if rel.table != table or rel.at != "row" or rel.cross_year or len(rel.lhs) != 1:
            continue
        total, parts = rel.lhs[0][1], [c for _, c, _ in rel.rhs]
        if total in codes and all(p in codes for p in parts) and all(s > 0 for s, _, _ in rel.rhs):
            out.append((codes.index(total), [codes.index(p) for p in parts]))
    return out


def digit_splits(value_cells: list, codes: list, table: str, settings: ExtractSettings,
                 run: Optional[str] = None, hidden: int = 0) -> list:
    """The ways a row's run-together digits can be its `codes` columns: [[Cell per column]]
    (`hidden`: see `read_run`)."""
    return split_runs(value_cells, len(codes), row_sums(table, list(codes)), settings, run, hidden)


NBSP = "\u00a0"
_NUMBER = re.compile(r"[+-]?(?:0|[1-9][0-9]*|[1-9][0-9]{0,2}(?:,[0-9]{3})+)")
_DECIMAL = re.compile(r"[+-]?(?:0|[1-9][0-9]*|[1-9][0-9]{0,2}(?:,[0-9]{3})+)(?:\.[0-9]+)?")


def read_run(run: str, parts: int, sums: list, settings: ExtractSettings,
             signed: Optional[frozenset] = None, hidden: int = 0, digits_needed: bool = True,
             decimals: bool = False) -> list:
    """Every way a row's values, run together on a line of text as a crawler's copy leaves them,
    read as `parts` cells such that each relation in `sums` holds (see `split_digits`; a blank or
    na cell counts as 0 there). Returns lists of cell texts, '' for a blank cell, at most
    `settings.max_splits` + 1 of them; the caller takes one only when it is the only one.

    A run is digits (full-width too), thousands separators (a number's own: 1,295), signs, na
    marks (/ — 无 -, each one cell; a run of one dash may be one mark) and spaces. A space is read
    the two ways a copy can leave one: as a separator between cells, or — where the cells ran
    together with no separator at all — as what is left of a blank cell (its &nbsp;), one blank
    cell per space. A reading must use one way throughout; between separated cells, a no-break
    space (U+00A0) is still a blank cell's &nbsp;. `signed`: the cells (indexes) that may carry a
    sign (表二's 本年增/减); None: any cell may. `hidden`: how many blank cells a reading with
    separators may take to have left nothing at all (an empty cell without &nbsp;, whose
    whitespace the copy collapsed: "5 2 1 0 53" for seven columns) — where they were, only the
    arithmetic can say. A run is found by its digits, unless the caller knows where it starts
    (`digits_needed` False: a legacy row's run after its unit, which may be na marks and blank
    cells only). With `decimals`, a number may have a decimal part (an amount: 0.0444)."""
    s = "".join(n if len(n := unicodedata.normalize("NFKC", ch)) == 1 else ch for ch in run)
    marks, dashes = na_marks().in_run, na_marks().dashes
    point = "." if decimals else ""
    number = _DECIMAL if decimals else _NUMBER
    if not any(ch.isdigit() for ch in s) and (digits_needed or not s) or any(
            not (ch.isdigit() or ch in ",+" + point or ch in marks or ch.isspace()) for ch in s):
        return []
    due = {}
    for t, ks in sums:
        due.setdefault(max([t, *ks]), []).append((t, ks))
    found, seen, most = [], set(), settings.max_splits

    def holds(vals: list) -> bool:
        return all(vals[t] == sum(vals[k] for k in ks) for t, ks in due.get(len(vals) - 1, ()))

    def separator(i: int) -> bool:
        return s[i].isspace() and run[i] != NBSP

    def read(pos: int, end: int, glued: bool, texts: list, vals: list, hidden: int):
        if len(found) > most or (vals and not holds(vals)):
            return
        if not glued:
            while pos < end and separator(pos):
                pos += 1
        if len(texts) == parts:
            if pos == end and tuple(texts) not in seen:
                seen.add(tuple(texts))
                found.append(list(texts))
            return
        if hidden:                                         # a blank cell that left nothing
            read(pos, end, glued, texts + [""], vals + [0], hidden - 1)
        if end - pos < parts - len(texts) - hidden:
            return
        if pos == end:
            return
        ch = s[pos]
        if ch.isspace():                                   # a blank cell's space (or &nbsp;)
            read(pos + 1, end, glued, texts + [""], vals + [0], hidden)
            return
        if ch in marks:
            read(pos + 1, end, glued, texts + [run[pos:pos + 1]], vals + [0], hidden)
            stop = pos
            while stop < end and s[stop] == ch and ch in dashes:
                stop += 1
            if stop - pos > 1:                             # ——: one mark
                read(stop, end, glued, texts + [run[pos:stop]], vals + [0], hidden)
            if not (ch == "-" and pos + 1 < end and s[pos + 1].isdigit()):
                return
        if s[pos] in "+-" and signed is not None and len(texts) not in signed:
            return                                         # a sign where no cell has one
        digits = pos + (1 if s[pos] in "+-" else 0)
        stop = digits
        while stop < end and (s[stop].isdigit() or s[stop] == "," or s[stop] == point):
            stop += 1
        for k in range(digits + 1, stop + 1):
            piece = s[pos:k]
            if (k < end and s[k] in "," + point) or not number.fullmatch(piece):
                continue
            value = piece.replace(",", "")
            read(k, end, glued, texts + [run[pos:k]], vals + [float(value) if point in value else int(value)], hidden)

    start, end = 0, len(s)
    while start < end and separator(start):
        start += 1
    while end > start and separator(end - 1):
        end -= 1
    read(start, end, False, [], [], hidden)
    if any(ch.isspace() for ch in s[start:end]) or (start, end) != (0, len(s)):
        read(0, len(s), True, [], [], 0)
    return found


def split_runs(value_cells: list, parts: int, sums: list, settings: ExtractSettings,
               run: Optional[str] = None, hidden: int = 0) -> list:
    """The ways the digits of these cells (each a run, a separator between them) make `parts`
    numbers with `sums` holding: [[Cell per number]]. With `run` (a line of text's values as
    printed), the ways that run reads as `parts` cells (`read_run`, with `hidden`)."""
    from pipeline.core.model import Cell
    if run is not None and value_cells:
        first = value_cells[0]
        return [[Cell(text=p, row=first.row, col=first.col + k, page=first.page, bbox=first.bbox,
                      confidence=first.confidence) for k, p in enumerate(split)]
                for split in read_run(run, parts, sums, settings, hidden=hidden)]
    texts = [c.text.strip() for c in value_cells if c.text.strip()]
    if not texts or not all(t.isdigit() for t in texts):
        return []
    run = "".join(texts)
    cuts, pos = set(), 0
    for t in texts[:-1]:
        pos += len(t)
        cuts.add(pos)
    first = next(c for c in value_cells if c.text.strip())
    splits = split_digits(run, parts, sums, settings, frozenset(cuts))
    return [[Cell(text=p, row=first.row, col=first.col + k, page=first.page, bbox=first.bbox,
                  confidence=first.confidence) for k, p in enumerate(split)] for split in splits]


def solve(candidates: list, fixed: list, build, settings: ExtractSettings) -> list:
    """Which splits of each row the table's arithmetic allows: `candidates` is a list of lists of
    options per row, `build(row index, option)` gives an option's cell records, `fixed` the cell
    records already placed. Returns, per row, the indexes of its options that take part in some
    combination under which the arithmetic holds (one index: the row is decided); [] for every
    row when no combination holds.

    A relation counts when it can tell options apart: one whose terms are the same under every
    option holds or fails on numbers no choice changes, and one that no combination can make
    hold is broken by the report itself (a wrong 结转下年度) whatever the split; both are set
    aside. A blank or na cell counts 0, as in `unconfirmed`. The relations are linear, so options
    that no choice of the other rows can make add up are struck first, relation by relation,
    until none is left to strike; the combinations of what remains are then tried in full when
    there are at most `settings.max_combinations` of them (else every option left counts as
    allowed); `settings.max_sums` bounds the partial sums kept while striking."""
    n = len(candidates)
    if not candidates or any(not o for o in candidates):
        return [[] for _ in range(n)]
    values = [[{c.key: _value(c) for c in build(i, o)} for o in options] for i, options in enumerate(candidates)]
    owner = {k: i for i, opts in enumerate(values) for o in opts for k in o}
    known = {c.key: _value(c) for c in fixed}
    structure = list(fixed) + [c for i, options in enumerate(candidates) for c in build(i, options[0])]
    eqs = []
    for terms in equations(structure):
        rows = sorted({owner[k] for _, k in terms if k in owner})
        if not rows or any(k not in owner and known.get(k) is None for _, k in terms):
            continue
        const = sum(s * known[k] for s, k in terms if k not in owner)
        parts = {r: [] for r in rows}
        for s, k in terms:
            if k in owner:
                parts[owner[k]].append((s, k))
        share = {r: [_share(values[r][o], parts[r]) for o in range(len(values[r]))] for r in rows}
        if any(v is None for r in rows for v in share[r]):
            continue
        eqs.append((const, rows, share))
    domains = [set(range(len(o))) for o in candidates]
    # set aside, before any option is struck, the relations that cannot tell options apart: those
    # the same under every option, and those no combination at all can make hold (the report's
    # own error, whatever the split); a relation that fails only once others have struck options
    # is a contradiction, and then nothing is decided
    most = settings.max_sums
    eqs = [e for e in eqs if not _constant(e, domains) and _satisfiable(e, domains, most) is not False]
    if not _strike(eqs, domains, most):
        return [[] for _ in range(n)]
    combos = 1
    for d in domains:
        combos *= len(d)
    if combos > settings.max_combinations:
        _strike_singly(eqs, domains, most)
        combos = 1
        for d in domains:
            combos *= len(d)
    if combos > settings.max_combinations:
        return [sorted(d) for d in domains]
    good = [choice for choice in _product([sorted(d) for d in domains])
            if all(const + sum(share[r][choice[r]] for r in rows) == 0 for const, rows, share in eqs)]
    if not good:
        return [[] for _ in range(n)]
    return [sorted({g[i] for g in good}) for i in range(n)]


def _satisfiable(eq: tuple, domains: list, max_sums: int):
    """Whether some combination of options makes a relation hold; None when more than `max_sums`
    sums to tell."""
    const, rows, share = eq
    reach = {0}
    for r in rows:
        reach = {a + share[r][o] for a in reach for o in domains[r]}
        if len(reach) > max_sums:
            return None
    return -const in reach


def _constant(eq: tuple, domains: list) -> bool:
    """Whether a relation's value is the same whatever options are chosen."""
    _, rows, share = eq
    return all(len({share[r][o] for o in domains[r]}) == 1 for r in rows)


def agreed(options: list, settings: ExtractSettings) -> list:
    """Per column, the cell all these splits of a row agree on, else None: a cell every reading
    the arithmetic allows gives the same text is read even where the row as a whole is not."""
    if not options or len(options) > settings.max_splits:     # a capped list may not hold them all
        return []
    return [cells[0] if all(o[k].text == cells[0].text for o in options) else None
            for k, cells in enumerate(zip(*options))]


def _strike(eqs: list, domains: list, max_sums: int) -> bool:
    """Strike the options no choice of the other rows lets add up, until nothing changes; False
    when a row has no option left (the arithmetic allows no combination). A relation whose
    partial sums outnumber `max_sums` strikes nothing."""
    changed = True
    while changed:
        changed = False
        for const, rows, share in eqs:
            for r in rows:
                reach = {0}
                for r2 in rows:
                    if r2 == r:
                        continue
                    reach = {a + share[r2][o] for a in reach for o in domains[r2]}
                    if len(reach) > max_sums:
                        break
                else:
                    keep = {o for o in domains[r] if -(const + share[r][o]) in reach}
                    if keep != domains[r]:
                        domains[r] = keep
                        changed = True
                        if not keep:
                            return False
    return True


def _strike_singly(eqs: list, domains: list, max_sums: int) -> None:
    """Strike each option that, taken alone for its row, leaves the others no way to add up (a
    stronger test than relation by relation, for tables with too many combinations to try)."""
    changed = True
    while changed:
        changed = False
        for r, d in enumerate(domains):
            if len(d) < 2:
                continue
            for o in sorted(d):
                trial = [set(x) for x in domains]
                trial[r] = {o}
                if not _strike(eqs, trial, max_sums):
                    d.discard(o)
                    changed = True


def _value(c):
    """A cell's value in the arithmetic: its number, 0 for a blank or na cell, None for text."""
    if c.kind in ("blank", "na"):
        return 0
    v = c.value
    return None if c.kind != "number" or v is None else v


def _share(option: dict, terms: list):
    """What one row's option adds to an equation, or None when a value of it is not a number."""
    total = 0
    for s, k in terms:
        v = option.get(k)
        if v is None:
            return None
        total += s * v
    return total


def _product(ranges: list):
    if not ranges:
        yield ()
        return
    for k in ranges[0]:
        for rest in _product(ranges[1:]):
            yield (k, *rest)
