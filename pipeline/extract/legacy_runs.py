"""A legacy statistics table whose cells ran together: a site archive's plain-text copy.

The crawler's copy writes the table as one stretch of text, label, unit and values of a row glued
together: `指标名称计量单位2012年度历年累计主动公开信息数条20263542其中：1.网站公开条17953304…`.
The header says which columns there are (pipeline.formats.legacy); each row is its label, its
代码 (on the State Council's form: `主动公开政府信息数01条4545`), its unit (when the header has a 计量
单位 column: a row is found by its unit, and its run may then hold na marks and blank cells'
spaces only), then a run to be cut into the value columns (`2026 | 3542`). A row's numbering
glued to the run before it (`…179533042.政府公报公开`) is the next row's: its digits are the
number that row's sequence expects, else the last digit. A section row of the table (一、主动公开
情况) runs into the next row's label: it is taken off where the rest is an indicator the data
knows, and the row is reported unread where not.

A run is cut only where the constraints leave exactly one way (pipeline.extract.align.read_run
gives the ways without leading zeros):

- the relations of data/rules.csv within the report — 本年度 ≤ 历年累计 in every row, the
  channels add up to 受理依申请公开信息总数, the kinds of reply to 对申请的答复数 (a relation no
  way of cutting can satisfy is the report's own error and decides nothing);
- a 其中 row (and the numbered rows after it) never exceeds the row it is part of.

Rows bound by these are cut together (every combination is tried, up to the settings'
max_combinations). Where
more than one way remains, a figure the report's text states for that indicator in an unambiguous
sentence (pipeline.extract.legacy_text) settles it when exactly the ways that agree with it
remain possible. A cell every remaining way reads alike is read; any other cell is left unread
and reported (extract.unplaced, with the row as printed), never guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from typing import Optional

from pipeline.core.model import Cell, TextBlock
from pipeline.core.options import ExtractSettings
from pipeline.core.values import amount_factor, parse
from pipeline.extract.align import read_run
from pipeline.extract.collect import Collector, make_cell
from pipeline.formats import layout
from pipeline.formats import legacy as G
from pipeline.formats.relations import check_relations, equations, holds

MAX_LABEL = 40          # characters: a longer stretch between two runs is prose, the table has ended
_RUN = re.compile(r"[0-9０-９][0-9０-９,，\s/／—–\-]*")
_NUMBER_AT = re.compile(r"(?:\d{1,2}[.．、]|[(（]\d{1,2}[)）])(?=\s*[\u4e00-\u9fff“《])")
_NEXT_NUMBERING = re.compile(r"[.．、]\s*[\u4e00-\u9fff“《]")
_PROSE = re.compile(r"[。；;！!？?]")
_DIGIT = re.compile(r"[0-9０-９]")


@dataclass
class RunRow:
    """One row of a run-together table as printed."""
    label: str                  # with its 其中 and numbering
    run: str                    # its values, as printed
    unit: str
    block: TextBlock
    code: str = ""
    score: float = 0.0
    parent: Optional[int] = None    # the row it is a part of (其中)
    options: list = field(default_factory=list)   # the ways to cut the run: [[text per column]]
    label_known: bool = True        # False: a section row glued before the label hides where it starts
    readings: int = 0               # the ways to cut the run at all, before the constraints
    contradicted: Optional[str] = None   # the text's figure the constraints' cut disagrees with


@dataclass
class RunTable:
    cols: list                  # value column codes, in printed order
    col_labels: list
    rows: list
    rest: str = ""              # the text after the table's last row


def find(blocks: list) -> Optional[RunTable]:
    """The run-together statistics table of a document's text blocks, or None."""
    for i, block in enumerate(blocks):
        header = G.text_header(block.text)
        if header is None:
            continue
        pieces = [(block, block.text[header.end:])] + [(b, b.text) for b in blocks[i + 1:]]
        rows, rest = _rows(pieces, header)
        if rows:
            return RunTable(list(header.cols), list(header.words), rows, rest)
    return None


def _rows(pieces: list, header) -> tuple:
    """(the rows of the table, from the text after its header to where prose begins; the text
    after them). With a 计量单位 column a row is its label, its 代码 where the header has that
    column, its unit, then its run — which may start with an na mark or a blank cell's space, and
    keeps a blank last cell's space (read_run reads a space both as a separator and as what is
    left of a blank cell); without one, its label, then a run that starts with a digit."""
    rows, label, expected = [], "", 1
    by_unit = _unit_run(header.code) if header.unit else None
    for n, (block, text) in enumerate(pieces):
        pos = 0
        while pos < len(text):
            m = (by_unit or _RUN).search(text, pos)
            if m is None:
                label += text[pos:]
                break
            label += text[pos:m.start()]
            if by_unit:
                run, unit, end = m.group("run"), m.group("unit"), m.end()
            else:
                numbering = _NUMBER_AT.match(text, m.start())
                if numbering and not G.bare_label(label):
                    label += numbering.group(0)           # 1.网站公开: the row's own number
                    pos = numbering.end()
                    continue
                run, unit = m.group(0).rstrip(), ""
                end = m.start() + len(run)
            run, carry = _split_carry(text, end, run, expected)
            row = _row(label, run, unit, block)
            if row is None:
                rest = label + text[m.start():] + "".join(t for _, t in pieces[n + 1:])
                return _with_parents(rows), rest
            rows.append(row)
            expected = _number(label) + 1 if _number(label) else 1
            label, pos = carry, end
    return _with_parents(rows), label


@lru_cache(maxsize=2)
def _unit_run(has_code: bool) -> re.Pattern:
    """A row's [代码,] unit and run: the unit the data knows (longest first) right before the
    characters a run of values is made of."""
    units = "|".join(map(re.escape, G.units()))
    code = r"(?P<code>[0-9０-９]{1,3})" if has_code else ""
    return re.compile(rf"{code}(?P<unit>{units})(?P<run>(?:[0-9０-９,，\s/／—–\-]|[.．](?=[0-9０-９]))+)")


def _split_carry(text: str, end: int, run: str, expected: int) -> tuple:
    """(run, the next row's number): where a row's number is glued to the run before it
    (…179533042.政府公报公开), its digits are the number that row's sequence expects, else the last
    digit."""
    if not (run and run[-1].isdigit() and _NEXT_NUMBERING.match(text, end)):
        return run, ""
    k = len(str(expected)) if run.endswith(str(expected)) and len(run) > len(str(expected)) else 1
    return run[:-k], run[-k:]


def _row(label: str, run: str, unit: str, block) -> Optional[RunRow]:
    """A row from its label (with its unit at the end where `unit` is '' and the table has none)
    and run; None where the label is prose. A label that opens with a section row glued before
    it is read without it (pipeline.formats.legacy.after_section_row); where that cannot be told,
    the row is kept under the label as printed, to be reported unread."""
    text = " ".join(label.split()).rstrip(" :：")
    if not text or len(text) > MAX_LABEL or _PROSE.search(text) or not (run.strip() or unit) or \
            _DIGIT.search(G.bare_label(text)):
        return None               # prose, or digits in a label: a row the reader cannot follow
    if not unit:                                      # no unit column: a unit may end the label
        unit = next((u for u in G.units() if text.endswith(u)), "")
        text = text[: len(text) - len(unit)].rstrip()
    name = G.after_section_row(text)
    known = name is not None
    code, score = G.row_code(name if known else text)
    if code is None:
        return None
    return RunRow(name if known else text, run, unit, block, code, score, label_known=known)


def _number(label: str) -> int:
    m = re.match(r"\s*[(（]?(\d{1,2})", G.PART.sub("", label or ""))
    return int(m.group(1)) if m and G.is_numbered(label) else 0


def _with_parents(rows: list) -> list:
    """Each 其中 row, and each numbered row after one, is a part of the last row that is not."""
    top, in_parts = None, False
    for i, r in enumerate(rows):
        if G.is_part(r.label) or (in_parts and G.is_numbered(r.label)):
            r.parent, in_parts = top, True
        else:
            top, in_parts = i, False
    return rows


def read_table(table: RunTable, out: Collector, figures: dict) -> set:
    """Cut every row's run and add the cells the constraints decide; returns the (row, col)
    the table prints."""
    n = len(table.cols)
    for i, r in enumerate(table.rows):
        r.options = _row_options(table, i, out.settings)
    chosen, settled = decide(table, figures, out.settings)
    split = []
    for i, r in enumerate(table.rows):
        texts = chosen.get(i)
        for k, col in enumerate(table.cols):
            text = texts[k] if texts else None
            if text is None:
                continue
            out.add(make_cell(G.TABLE, r.code, col, _cell(r, i, k, text), r.label, table.col_labels[k],
                              r.score, _factor(r), placement="split"))
        if texts is None or None in texts:
            _unplaced(r, out, n)
        elif len(_digits(r.run)) > n or settled.get(i):
            split.append(f"{r.label}{'（据正文）' if settled.get(i) else ''}")
    left = leftover(table.rest)
    if left:
        out.flag("structure.missing_rows", G.TABLE, found=left,
                 zh=f"{layout.title(G.TABLE)}在“{left}”处无法继续读取，其后的行未读取",
                 en=f"the statistics table could not be read on from {left!r}: the rows after it were not read")
    if split:
        out.flag("extract.split", G.TABLE, found="；".join(split),
                 zh=f"{layout.title(G.TABLE)}的数字连在一起，按唯一满足约束的拆分读取：{'、'.join(split)}"
                    + ("（“据正文”：由正文所述数字确定）" if settled else ""),
                 en=f"the statistics table's cells ran together and were cut the only way the constraints "
                    f"allow: {'; '.join(split)}" + (" (据正文: settled by the figure the text states)" if settled else ""))
    return {(r.code, col) for r in table.rows for col in table.cols}


def leftover(rest: str) -> str:
    """Where the text after the rows read still holds a row of the table — an indicator the data
    knows, its unit, digits (行政复议数条00) — the text from there (so a row the reader could not
    follow is never lost in silence); else ''."""
    m = _known_row().search(rest or "")
    return " ".join(rest[m.start():m.start() + MAX_LABEL].split()) if m else ""


@lru_cache(maxsize=1)
def _known_row() -> re.Pattern:
    units = "|".join(map(re.escape, G.units()))
    words = "|".join(map(re.escape, sorted({l.text for l in G.row_labels()}, key=len, reverse=True)))
    return re.compile(rf"(?:{words})\s*(?:{units})?\s*[0-9０-９]")


def decide(table: RunTable, figures: dict, settings: ExtractSettings = ExtractSettings()) -> tuple:
    """({row index: [text or None per column]}, {row index: settled by the text}) — the cells
    every combination the constraints allow reads alike."""
    chosen, settled = {}, {}
    for group in _components(table):
        combos = _combinations(table, group, settings)
        if combos is None:            # too many to try: only rows with one way are read
            chosen.update({i: list(table.rows[i].options[0]) for i in group if len(table.rows[i].options) == 1})
            continue
        agreed = _agreed(group, combos)
        open_rows = [i for i in group if agreed.get(i) is None or None in agreed[i]]
        if open_rows:
            narrowed = _by_figures(table, group, combos, open_rows, figures)
            if narrowed:
                better = _agreed(group, narrowed)
                settled.update({i: True for i in open_rows if better.get(i) and None not in better[i]})
                agreed = better
        _contradicted(table, group, agreed, figures)
        chosen.update({i: v for i, v in agreed.items() if v is not None})
    return chosen, settled


def _contradicted(table: RunTable, group: list, agreed: dict, figures: dict) -> None:
    """Where the constraints cut a row the text states a figure for, and their cut disagrees with
    it, the report's own figures break a relation somewhere (a year above its 历年累计, a row
    swapped): the constraints' cut is no evidence then, and no row of the group is read that
    only they cut (a row cut one way whatever they say stays read)."""
    said = None
    for i in group:
        row, texts = table.rows[i], agreed.get(i)
        if row.readings < 2 or not texts:
            continue
        for k, col in enumerate(table.cols):
            f = figures.get((row.code, col))
            if f is not None and texts[k] is not None and _value(row, texts[k]) != f.value:
                said = f"{f.sentence}"
    if said is None:
        return
    for i in group:
        if table.rows[i].readings > 1:
            agreed[i] = None
            table.rows[i].contradicted = said


def _components(table: RunTable) -> list:
    """Groups of rows the constraints bind together: a row and its parts, and the rows of one
    relation of the report (the channels and their total …), in printed order."""
    rows = table.rows
    groups = [{i} for i, r in enumerate(rows) if r.options]

    def bind(members: set) -> None:
        joined = set(members)
        for g in [g for g in groups if g & members]:
            joined |= g
            groups.remove(g)
        groups.append(joined)

    for i, r in enumerate(rows):
        if r.options and r.parent is not None and rows[r.parent].options:
            bind({i, r.parent})
    index = {r.code: i for i, r in enumerate(rows) if r.options}
    structure = [c for i, r in enumerate(rows) if r.options for c in _records(table, i, r.options[0])]
    for terms in equations(structure):
        bind({index[k[1]] for _, k in terms if k[1] in index})
    return sorted((sorted(g) for g in groups), key=lambda g: g[0])


def _combinations(table: RunTable, group: list, settings: ExtractSettings):
    """Every combination of the group's ways under which its constraints hold; None when there
    are too many to try. Where no combination satisfies them all, the report's own numbers are
    wrong somewhere in the group (a total its channels do not add up to, whatever the cut): its
    arithmetic decides nothing then, and every combination stays possible."""
    sizes = 1
    for i in group:
        sizes *= len(table.rows[i].options)
    if sizes > settings.max_combinations:
        return None
    combos = [{i: table.rows[i].options[o] for i, o in zip(group, c)}
              for c in product(*(range(len(table.rows[i].options)) for i in group))]
    return _consistent(combos, [_broken(table, c) for c in combos])


def _consistent(options: list, broken: list) -> list:
    """The options that break no constraint; all of them when every one breaks some (the
    constraints cannot tell the right one then: the report contradicts itself)."""
    good = [o for o, b in zip(options, broken) if not b]
    return good or list(options)


def _agreed(group: list, combos: list) -> dict:
    """{row: [text per column, None where the combinations differ]}; None for no combination."""
    if not combos:
        return {}
    out = {}
    for i in group:
        first = combos[0][i]
        out[i] = [t if all(c[i][k] == t for c in combos) else None for k, t in enumerate(first)]
    return out


def _by_figures(table: RunTable, group: list, combos: list, open_rows: list, figures: dict) -> list:
    """The combinations that agree with every figure the text states for the open rows."""
    wanted = [(i, table.cols.index(col), f.value) for i in open_rows for (row, col), f in figures.items()
              if row == table.rows[i].code and col in table.cols]
    if not wanted:
        return []
    return [c for c in combos if all(_value(table.rows[i], c[i][k]) == v for i, k, v in wanted)]


def _row_options(table: RunTable, i: int, settings: ExtractSettings) -> list:
    """The ways to cut a row's run (no leading zeros, no negative figure: a dash before digits is
    an na mark, as no count or amount of the table is below 0) that satisfy the relations along
    the row (本年度 ≤ 历年累计), unless none does (the report's own error). None for a row whose
    indicator cannot be told."""
    row = table.rows[i]
    if not row.label_known:
        return []
    run, options = row.run, []
    while run.strip() and not options:
        amounts = layout.value_type(G.TABLE, "", row.code) == "amount"
        options = [o for o in read_run(run, len(table.cols), [], settings, digits_needed=False, decimals=amounts)
                   if all((v := _value(row, t)) is None or v >= 0 for t in o)]
        if not run[-1].isspace():
            break
        run = run[:-1]            # a space after the row's last cell: the text's own, after the table
    row.readings = len(options)
    return _consistent(options, [_broken(table, {i: o}) for o in options])


def _broken(table: RunTable, combo: dict) -> frozenset:
    """The constraints a combination of ways ({row: way}) breaks: the report's relations
    (rule, where), and a part above its row (part, row, column)."""
    cells = [c for i, o in combo.items() for c in _records(table, i, o)]
    out = {(f.rule, f.location) for f in check_relations(cells, layout.LEGACY) if f.severity == "error"}
    for i, option in combo.items():
        parent = table.rows[i].parent
        if parent is None or parent not in combo:
            continue
        for k in range(len(option)):
            a, b = _value(table.rows[i], option[k]), _value(table.rows[parent], combo[parent][k])
            if a is not None and b is not None and not holds("<=", a, b):
                out.add(("part", i, k))
    return frozenset(out)


def _records(table: RunTable, i: int, option: list) -> list:
    """A way of cutting a row as cell records, blanks and na as 0 (as align.unconfirmed has it)."""
    r = table.rows[i]
    out = []
    for k, col in enumerate(table.cols):
        x = make_cell(G.TABLE, r.code, col, _cell(r, i, k, option[k]), r.label, "", r.score, _factor(r))
        out.append(x.with_(kind="number", value=0.0) if x.kind in ("blank", "na") else x)
    return out


def _value(row: RunRow, text: str):
    v = parse(text, _factor(row))
    return 0.0 if v.kind in ("blank", "na") else v.value


def _factor(row: RunRow) -> float:
    """万元 per printed unit for a row of amounts (收费 in 元), 1 for counts."""
    if layout.value_type(G.TABLE, "", row.code) != "amount":
        return 1.0
    return 0.0001 if row.unit == "元" else amount_factor(row.label)


def _cell(row: RunRow, i: int, k: int, text: str) -> Cell:
    return Cell(text=text, row=i, col=k, page=row.block.page, bbox=row.block.bbox)


def _digits(run: str) -> str:
    return re.sub(r"\D", "", run)


def _unplaced(r: RunRow, out: Collector, n: int) -> None:
    shown = f"{r.label}{r.unit}{r.run}"
    why_zh = "没有满足约束的拆分" if not r.options else f"{len(r.options)}种拆分均可能"
    why_en = "no way of cutting it satisfies the constraints" if not r.options else \
        f"{len(r.options)} ways of cutting it into {n} cells remain possible"
    if not r.label_known:
        why_zh, why_en = "前面连着表内的节标题，指标名称从何处开始无法确定", \
            "a section row of the table runs into its label: where the indicator's name begins cannot be told"
    elif r.contradicted:
        why_zh, why_en = f"按表内勾稽关系的拆分与正文所述数字不符：{r.contradicted}", \
            f"the cut the table's arithmetic allows disagrees with the figure the text states: {r.contradicted}"
    out.flag("extract.unplaced", f"{G.TABLE}.{r.code}", found=shown,
             zh=f"{layout.title(G.TABLE)}“{shown}”行的数字连在一起，无法唯一拆分，未读取（{why_zh}）",
             en=f"the statistics table's row {shown!r} has its digits run together and was left unread: {why_en}")
