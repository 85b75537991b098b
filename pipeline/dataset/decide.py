"""Rows a report's own arithmetic leaves undecided, decided where the dataset can.

A site archive's text copy runs a row's cells together (`行政许可20180`); the extractor reads a
row only where its run reads one way under the report's own arithmetic, and reports the others
(extract.unplaced) with the run as printed and every reading (`Finding.extra`). Table 二 has no
sums of its own, so its rows often read several ways. Two things beyond the report can decide:

    form   another form of the same report (its web page, its PDF …: same office and year) whose
           cells of that row are all read: the one reading that matches them
    year   the office's neighbouring years, through the cross-year relations of data/rules.csv
           (上一年项目数量 + 本年增/减 = next year's 上一年项目数量; in_force; carried over =
           last year's carried forward): the one reading under which every relation it takes
           part in holds, every other reading breaking one

A reading is taken only when it is the only one left and what struck the others was evidence
(a form's cells, a relation that fails for them and holds for it); where several readings are
left, the cells they all give alike are read. Nothing else is decided: the rest stays reported.
Rows decided in one year can decide the next, so the decisions are repeated until nothing
changes. Each decision is an `extract.decided` finding on the report that names the document
that decided it, and its cells are placed `split` (a run cut the only way the evidence allows).

`decide(docs)` runs before the other dataset checks (pipeline.dataset.checks) and hands the
decisions to `Documents`, which applies them (`apply`) wherever a document's contents are read,
before the reviewer's corrections; they are kept in work/decided.json for a later publish.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

from pipeline.core.findings import Finding, with_evidence
from pipeline.core.results import CellRecord, Extracted
from pipeline.core.store import read_json, write_json
from pipeline.formats import layout
from pipeline.formats.labels import canonical_label, name_en
from pipeline.formats.relations import TOLERANCE, Context, all_relations, evaluate

DECIDED = "decided.json"
UNPLACED = "extract.unplaced"


@dataclass
class Decision:
    """Cells of one unplaced row decided by the dataset, and what decided them."""
    location: str                    # table.row of the row, as its extract.unplaced finding names it
    raw: str                         # the row's values as printed
    readings: int                    # how many readings the row had
    cells: list                      # [CellRecord] decided
    by: str                          # form | year
    against: list = field(default_factory=list)   # [[report_id, source, year]] that decided it
    rules: list = field(default_factory=list)     # the cross-year relations that held (by year)

    def to_dict(self) -> dict:
        return {**self.__dict__, "cells": [c.to_dict() for c in self.cells]}

    @classmethod
    def from_dict(cls, d: dict) -> "Decision":
        return cls(**{**d, "cells": [CellRecord.from_dict(c) for c in d["cells"]]})


def open_rows(findings: list) -> list:
    """The unplaced-row findings that carry their readings (the rows a dataset may decide)."""
    return [f for f in findings if f.rule == UNPLACED and f.extra.get("options")]


def load(work) -> dict:
    """{report_id: [Decision]} as the last run of `decide` left them (work/decided.json)."""
    path = work / DECIDED
    if not path.exists():
        return {}
    return {rid: [Decision.from_dict(d) for d in ds] for rid, ds in read_json(path).items()}


def decide(docs) -> dict:
    """Decide the open rows of the dataset's documents (pipeline.dataset.reports.Documents), office
    by office; writes work/decided.json, hands the decisions to `docs` and returns them."""
    docs.use_decisions({})
    facts = docs.facts()
    entries = {e["report_id"]: e for e in docs.entries()}
    offices = {}
    for f in facts:
        if f.office_key and f.year and not f.failed:
            offices.setdefault(f.office_key, []).append(f)
    decided = {}
    for members in offices.values():
        if any(f.undecided for f in members):
            contents = {f.report_id: docs.reviewed(entries[f.report_id]) for f in members}
            decided.update(_decide_office(members, contents))
    write_json(docs.ws.work / DECIDED, {rid: [d.to_dict() for d in ds] for rid, ds in decided.items()})
    docs.use_decisions(decided)
    return decided


@dataclass
class _Doc:
    """One document of an office as the decisions see it: its cells as known so far."""
    report_id: str
    source: str
    year: int
    format_version: str
    known: dict                      # key -> CellRecord


@dataclass
class _Row:
    doc: _Doc
    finding: Finding
    options: list                    # [[CellRecord]] readings still possible


def _decide_office(members: list, reviewed: dict) -> dict:
    docs, rows = [], []
    for f in members:
        ex = reviewed[f.report_id].extracted
        if not isinstance(ex, Extracted):
            continue
        known = {c.key: c for c in reviewed[f.report_id].cells}
        d = _Doc(f.report_id, f.source, int(f.year), ex.format_version, known)
        docs.append(d)
        rows += [_Row(d, u, [[CellRecord.from_dict(c) for c in o] for o in u.extra["options"]])
                 for u in open_rows(ex.findings)]
    out = {}
    changed = True
    while changed and rows:
        changed = False
        for row in list(rows):
            decision = _by_form(row, docs) or _by_year(row, docs, rows)
            if decision is None:
                continue
            out.setdefault(row.doc.report_id, []).append(decision)
            row.doc.known.update({c.key: c for c in decision.cells})
            row.options = [o for o in row.options if _agrees(o, row.doc.known)]
            if len(row.options) <= 1 or all(c.key in row.doc.known for o in row.options for c in o):
                rows.remove(row)
            changed = True
    return out


def _agrees(option: list, known: dict) -> bool:
    return all(c.key not in known or _same(c, known[c.key]) for c in option)


def _same(a: CellRecord, b: CellRecord) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind != "number":
        return True
    return a.value is not None and b.value is not None and abs(a.value - b.value) <= TOLERANCE


def _new_cells(cells: list, known: dict) -> list:
    return [c for c in cells if c.key not in known]


def _by_form(row: _Row, docs: list):
    """The one reading the row's cells in another form of the report match, where every form that
    read the whole row agrees on it."""
    keys = {c.key for o in row.options for c in o}
    picks = {}
    for d in docs:
        if d is row.doc or d.year != row.doc.year or not all(k in d.known and d.known[k].kind != "text" for k in keys):
            continue
        matching = [k for k, o in enumerate(row.options) if all(_same(c, d.known[c.key]) for c in o)]
        if len(matching) != 1:
            return None                  # a form the readings do not fit (or fit twice): nothing is decided
        picks[d.report_id] = (matching[0], d)
    if not picks or len({k for k, _ in picks.values()}) != 1:
        return None
    choice = next(iter(picks.values()))[0]
    cells = _new_cells(row.options[choice], row.doc.known)
    if not cells:
        return None
    against = [[d.report_id, d.source, d.year] for _, d in picks.values()]
    return _decision(row, cells, "form", against, [])


def _by_year(row: _Row, docs: list, rows: list):
    """The readings the office's neighbouring years leave: decided when what struck the others
    was a relation that fails for them, and at least one holds for what is left. A relation
    instance that fails under every reading is the report's own break (a count that does not
    carry over), not evidence: it is set aside, and the cross-year checks report it."""
    near = [d for d in docs if abs(d.year - row.doc.year) == 1]
    if not near:
        return None
    states = [_states(row, o, near, rows) for o in row.options]
    everywhere = set.intersection(*[{k for k, v in st.items() if v == "error"} for st in states])
    broken = [any(v == "error" and k not in everywhere for k, v in st.items()) for st in states]
    left = [k for k in range(len(row.options)) if not broken[k]]
    if not left or len(left) == len(row.options):
        return None
    kept = [row.options[k] for k in left]
    cells = [c for c in _new_cells(kept[0], row.doc.known) if all(_same(c, _cell(o, c.key)) for o in kept)]
    held = {k for i in left for k, v in states[i].items() if v == "holds"}
    if not cells or (len(left) == 1 and not held):
        return None
    row.options = kept
    against = sorted({(k[2], k[3], k[4]) for k in held}, key=lambda a: (a[2], a[1]))
    return _decision(row, cells, "year", [list(a) for a in against], sorted({k[0] for k in held}))


def _cell(option: list, key: tuple):
    return next((c for c in option if c.key == key), None)


def _states(row: _Row, option: list, near: list, rows: list) -> dict:
    """{(relation, location, report_id, source, year): holds | error} for the cross-year relation
    instances one reading takes part in (those the same cells left blank cannot verify), against
    each neighbouring year's document. Where that document's own row is still open, each of its
    readings is tried: an instance fails when it fails under every one, and holds when it holds
    under some."""
    this = row.doc
    table = row.finding.location.split(".")[0]
    base = [c for k, c in this.known.items() if k not in {o.key for o in option}]
    filled = base + option
    emptied = base + [c.with_(kind="blank", value=None) for c in option]
    out = {}
    for d in near:
        later = d.year > this.year
        fmts = (d.format_version, this.format_version) if later else (this.format_version, d.format_version)
        for rel in (r for r in all_relations() if r.cross_year and r.table == table):
            seen = {}
            for alt in _alternatives(d, rel, row, rows):
                with_ = _instances(rel, alt, filled, fmts) if later else _instances(rel, filled, alt, fmts)
                without = _instances(rel, alt, emptied, fmts) if later else _instances(rel, emptied, alt, fmts)
                for where, severity in without.items():
                    if severity == "unverifiable":
                        seen.setdefault(where, set()).add(with_.get(where, "holds"))
            for where, states in seen.items():
                key = (rel.id, where, d.report_id, d.source, d.year)
                if "holds" in states:
                    out[key] = "holds"
                elif states == {"error"}:
                    out[key] = "error"
    return out


def _alternatives(d: _Doc, rel, row: _Row, rows: list) -> list:
    """A neighbouring document's cells as they may be for one relation: as known, or — where
    its rows the relation reads are still open — under each combination of their readings."""
    table, code = row.finding.location.split(".", 1)
    if rel.at == "row":
        wanted = {code}
    else:
        wanted = {t.split("@")[0] for _, t, _ in rel.lhs + rel.rhs}
    mine = [r for r in rows if r.doc is d and r.finding.location in {f"{table}.{w}" for w in wanted}]
    known = list(d.known.values())
    if not mine:
        return [known]
    out = []
    for combo in product(*[r.options for r in mine]):
        cells = {c.key: c for c in known}
        for o in combo:
            cells.update({c.key: c for c in o})
        out.append(list(cells.values()))
    return out


def _instances(rel, now: list, before: list, formats: tuple) -> dict:
    """{location: severity} of one cross-year relation's findings between two years' cells (an
    instance that holds has none)."""
    index_now, index_before = {c.key: c for c in now}, {c.key: c for c in before}

    def lookup(table, row, col, offset):
        return (index_now if offset == 0 else index_before).get((table, row, col))

    return {f.location: f.severity for f in evaluate(rel, now, lookup, Context(formats))}


def _decision(row: _Row, cells: list, by: str, against: list, rules: list) -> Decision:
    return Decision(row.finding.location, row.finding.extra.get("raw", ""), len(row.finding.extra["options"]),
                    cells, by, against, rules)


# -- applying the decisions to a document ---------------------------------------------------------------

def apply(ex: Extracted, decisions: list, recount) -> Extracted:
    """The extract result with its decided cells added: each decision an extract.decided finding
    after the row's extract.unplaced one, which goes when every cell of the row is read, and the
    completeness accounted again (`recount`: pipeline.extract.recount). A decision whose row is
    no longer reported so (the document was read again since) is left out."""
    cells, findings = list(ex.cells), list(ex.findings)
    have = {c.key for c in cells}
    for d in decisions:
        at = next((k for k, f in enumerate(findings) if f.rule == UNPLACED and f.location == d.location
                   and f.extra.get("raw", "") == d.raw), None)
        if at is None:
            continue
        new = [c for c in d.cells if c.key not in have]
        cells += new
        have |= {c.key for c in new}
        row_keys = {(c["table_code"], c["row_code"], c["col_code"]) for o in findings[at].extra["options"] for c in o}
        after = at + 1
        while after < len(findings) and findings[after].rule == "extract.decided" and findings[after].location == d.location:
            after += 1
        findings.insert(after, _finding(d))
        if row_keys <= have:
            del findings[at]
    completeness, findings = recount(ex.format_version, cells, findings)
    return Extracted(ex.meta, ex.format_version, cells, findings, completeness, ex.found, ex.pages, ex.ocr_pages)


def _finding(d: Decision) -> Finding:
    table, row = d.location.split(".", 1)
    reading = " | ".join(f"{c.col_code} {c.raw or '（空白）'}" for c in d.cells)
    sources = "、".join(a[1] for a in d.against)
    if d.by == "form":
        zh = f"同一报告的另一文件（{sources}）所读的数值只与其中一种读法相符"
        en = f"another form of the same report ({sources}) matches one reading only"
    else:
        years = "、".join(sorted({str(a[2]) for a in d.against}))
        zh = f"按该机关{years}年报告（{sources}）的跨年度关系（{'、'.join(d.rules)}），其他读法不成立"
        en = (f"the cross-year relations ({', '.join(d.rules)}) with the office's {years} report ({sources}) "
              "rule out the other readings")
    f = Finding("extract.decided", d.location, "info", expected=d.raw, found=reading,
                message_zh=f"{layout.title(table)}表“{canonical_label(table, 'row', row)}”行连在一起的数值（{d.raw}）"
                           f"有{d.readings}种读法；{zh}，读作：{reading}",
                message_en=f"{layout.title(table, 'en')}, {name_en(table, 'row', row)}: its run-together values "
                           f"({d.raw}) read {d.readings} ways; {en}: read as {reading}",
                stage="forms" if d.by == "form" else "cross_year",
                extra={"against": [a[0] for a in d.against]})
    return with_evidence(f, d.cells)
