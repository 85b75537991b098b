"""Corrections: a reviewer's fixes of cells, kept in a file so that they survive every re-run.

`OUT/corrections.csv` (or the file `--corrections FILE` names) has exactly the columns

    report_id,office_id,year,table_code,row_code,col_code,value,note,who

and one line per corrected cell. A line names its document by `report_id`, or names a report
by `office_id` and `year` — then it corrects that cell in every form of the report (its PDF,
web page, scan …: they are one report, and the correction is about the report, not a file).
With both, the report_id decides and the office and year must be that document's. An empty
`value` means "the cell is blank"; otherwise it is a number as the report should have printed it.

Applied once per run, after the per-file stages and before the dataset checks, by
pipeline.dataset.reports.Documents, never in the stages: the stage results in OUT/work/ stay what was read,
their cache keys do not depend on the file, and the pipeline never writes it (edit it, run
`ogi publish OUT` or `ogi run` again). The corrected cells are published beside what was read
(`cells.extracted_value`, `extracted_kind`, `corrected`, `correction_note`, `corrected_by`) and
each one is a `correction.applied` finding (info), so nobody mistakes a reviewed number for a
read one.

The checks see the corrected values. A corrected document's within-report checks are run again
(once, by Documents) on its corrected cells (the check stage is a pure function of the cells, the
overview and the options, and cheap), replacing the check stage's findings: an error a
correction resolves disappears, one it causes appears, and nothing says "error" about a number
nobody published. A corrected OCR'd cell is no longer of low confidence: a person has read it.
The dataset checks (forms against each other, consecutive years) read the corrected cells too
(pipeline.dataset.checks), and publish runs them again when there are corrections, so that `ogi
publish` after editing the file is as right as a whole run. Which form of a report is canonical
is decided on the documents as read, so a correction never moves a panel row to another file.
That re-check is the clean choice: marking old findings as "corrected" would publish errors
computed from numbers that are no longer the dataset's.

A line whose value is the value read changes nothing and is ignored: an auditor who copies the
lines of a finding and edits one of them corrects that cell only, and a line naming every form
of a report corrects only the forms that read the cell otherwise. Lines are compared with what
was read, never with each other's line numbers, so copying a line twice is harmless.

A line that cannot be read (wrong columns, an unknown cell code, a year or value that is not a
number, no document named) is a `correction.malformed` finding; one that matches no cell of the
dataset is `correction.unmatched`; a line that repeats another's correction (same cell, same
value) is `correction.duplicate` (applied once); two lines changing one cell to different values
are `correction.conflict` and neither is applied (never a guess). None of them stops a run.
Cells of every table can be corrected: the national tables and a legacy report's table `legacy`
(its known indicators and its `other:<label>` rows).
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from pipeline.core.findings import Finding, number_text, with_evidence
from pipeline.core.results import CellRecord
from pipeline.formats import layout
from pipeline.formats.labels import code_name

HEADER = ("report_id", "office_id", "year", "table_code", "row_code", "col_code", "value", "note", "who")
FILE_NAME = "corrections.csv"


@dataclass(frozen=True)
class Correction:
    """One line of the corrections file, read."""
    line: int
    report_id: Optional[str]
    office_id: Optional[str]
    year: Optional[int]
    code: str                      # table.row.col
    value: Optional[float]         # None: the cell is blank
    note: str
    who: str

    def names(self, report_id: str, meta) -> bool:
        """Whether this line is about the document `report_id` whose ReportMeta is `meta`."""
        if self.report_id:
            return self.report_id == report_id and (not self.office_id or self.office_id == meta.office_id) \
                and (self.year is None or self.year == meta.year)
        return self.office_id == meta.office_id and self.year == meta.year


@dataclass
class Corrections:
    """The corrections of one dataset, and what became of each line while they were applied."""
    path: Optional[Path] = None
    lines: tuple = ()
    problems: list = field(default_factory=list)      # (line, rule, why, report_id as written)
    matched: set = field(default_factory=set)         # lines that named a cell of some document
    named: dict = field(default_factory=dict)         # line → (report_id, source): the first document it named
    repeats: dict = field(default_factory=dict)       # line → the earlier line whose correction it repeats

    def __bool__(self) -> bool:
        return bool(self.lines or self.problems)

    @property
    def name(self) -> str:
        return self.path.name if self.path else FILE_NAME

    # -- applying --------------------------------------------------------------------------------

    def for_document(self, report_id: str, meta) -> list:
        return [c for c in self.lines if c.names(report_id, meta)]

    def correct_cells(self, entry: dict, meta, cells: list) -> tuple:
        """(cells with this document's corrections applied, applied and conflict findings);
        `meta`: the document's ReportMeta. A line whose value is what the document read changes
        nothing here; of the others, one value per cell is applied, different values are a
        conflict."""
        mine = self.for_document(entry["report_id"], meta)
        for c in mine:
            self.named.setdefault(c.line, (entry["report_id"], entry["source"]))
        if not mine:
            return cells, []
        by_cell = {c.code: c for c in cells}
        by_code, findings, chosen = {}, [], {}
        for c in mine:
            if c.code in by_cell:                   # (no such cell: unmatched, reported at the end)
                by_code.setdefault(c.code, []).append(c)
        for code, lines in by_code.items():
            self.matched.update(c.line for c in lines)
            changes = [c for c in lines if not unchanged(by_cell[code], c)]
            if len({c.value for c in changes}) > 1:
                findings.append(_conflict(by_cell[code], changes, self.name))
            elif changes:
                chosen[code] = changes[0]
                for c in changes[1:]:
                    self.repeats.setdefault(c.line, changes[0].line)
        out = []
        for cell in cells:
            fix = chosen.get(cell.code)
            if fix is None:
                out.append(cell)
                continue
            fixed = corrected(cell, fix)
            out.append(fixed)
            findings.append(_applied(cell, fixed, fix, self.name))
        return out, findings

    # -- what is left ----------------------------------------------------------------------------

    def leftover_findings(self) -> list:
        """(report_id, source, Finding) for the lines that could not be read or matched nothing,
        in the order of the file; call after every document was corrected. A line that named a
        document is reported on it; any other on no document (report_id None, source the file's
        name)."""
        out = [(None, self.name, _line_problem(rule, line, why, self.name)) for line, rule, why, _ in self.problems]
        for c in self.lines:
            if c.line in self.repeats:
                rid, src = self.named[c.line]
                out.append((rid, src, _repeat(c, self.repeats[c.line], self.name)))
            if c.line in self.matched:
                continue
            why = (("它所指的文件没有这个单元格（未读到，或该格式没有）",
                    "the document it names has no such cell (not read, or not in its format)") if c.line in self.named
                   else ("数据集中没有这个 report_id 的文件", "no document of the dataset has that report_id")
                   if c.report_id else ("数据集中没有这个机关和年度的报告",
                                        "no document of the dataset has that office_id and year"))
            rid, src = self.named.get(c.line, (None, self.name))
            out.append((rid, src, _line_problem("correction.unmatched", c.line, why, self.name, c.code)))
        return sorted(out, key=lambda x: _line_of(x[2]))


def _line_of(f: Finding) -> int:
    return int(f.location.rsplit(":", 1)[1])


def unchanged(cell: CellRecord, fix: Correction) -> bool:
    """Whether a line gives the cell the value it was read with (a blank for a blank)."""
    if fix.value is None:
        return cell.kind == "blank"
    return cell.kind == "number" and cell.value is not None and float(cell.value) == fix.value


def corrected(cell: CellRecord, fix: Correction) -> CellRecord:
    """The cell with the corrected value, what was read kept beside it."""
    return cell.with_(kind="number" if fix.value is not None else "blank", value=fix.value,
                      extracted_value=cell.value, extracted_kind=cell.kind, corrected=True,
                      correction_note=fix.note or None, corrected_by=fix.who or None)


def shown(value, kind: str = "number") -> str:
    """A value as the findings write it: 463, 2.5, or the cell's kind (blank, na)."""
    if value is None:
        return kind if kind != "number" else "blank"
    return number_text(value)


def _applied(cell: CellRecord, fixed: CellRecord, fix: Correction, name: str) -> Finding:
    code, old, new = cell.code, shown(cell.value, cell.kind), shown(fix.value)
    why = "；".join(x for x in (fix.note, fix.who) if x)
    return with_evidence(Finding(
        "correction.applied", code, "info", expected=new, found=old,
        message_zh=f"{code_name(code)} 已按 {name} 第{fix.line}行更正：读取为 {old}（印作“{cell.raw or ''}”），"
                   f"更正为 {new}" + (f"（{why}）" if why else ""),
        message_en=f"{code_name(code, 'en')} corrected by line {fix.line} of {name}: read as {old} (printed {cell.raw!r}), "
                   f"corrected to {new}" + (f" ({fix.note or 'no note'}; by {fix.who or 'unnamed'})")),
        [fixed])


def _conflict(cell: CellRecord, lines: list, name: str) -> Finding:
    code, read = cell.code, shown(cell.value, cell.kind)
    values = "、".join(f"第{c.line}行为 {shown(c.value)}" for c in lines)
    values_en = ", ".join(f"line {c.line}: {shown(c.value)}" for c in lines)
    return with_evidence(Finding(
        "correction.conflict", code, "warning", expected=" / ".join(shown(c.value) for c in lines),
        found=read,
        message_zh=f"{name} 把 {code_name(code)} 改为不同的值（{values}），均未采用，仍为读取值 {read}",
        message_en=f"{name} changes {code_name(code, 'en')} to different values ({values_en}): none was applied, it keeps "
                   f"the value read, {read}"), [cell])


def _repeat(c: Correction, first: int, name: str) -> Finding:
    return Finding("correction.duplicate", f"{name}:{c.line}", "info", expected=f"line {first}",
                   found=f"line {c.line}", cells=(c.code,),
                   message_zh=f"{name} 第{c.line}行与第{first}行相同（{code_name(c.code)} 改为 {shown(c.value)}），只采用一次",
                   message_en=f"line {c.line} of {name} repeats line {first} ({code_name(c.code, 'en')} to {shown(c.value)}): "
                              "applied once")


def _line_problem(rule: str, line: int, why, name: str, code: str = "") -> Finding:
    """A line that was not applied: `why` is (Chinese, English), or one English sentence (what
    the reader of the file found wrong with it: a column, a code, a number)."""
    zh = {"correction.malformed": "无法读取", "correction.unmatched": "没有对应的单元格"}[rule]
    why_zh, why_en = why if isinstance(why, tuple) else (why, why)
    return Finding(rule, f"{name}:{line}", "warning", found=f"line {line}", cells=(code,) if code else (),
                   message_zh=f"{name} 第{line}行{zh}：{why_zh}",
                   message_en=f"line {line} of {name}: {why_en}")


# -- reading the file ----------------------------------------------------------------------------

def path_for(out: Path, given: str = "") -> tuple:
    """(the corrections file of a dataset, whether it was named explicitly)."""
    return (Path(given), True) if given else (Path(out) / FILE_NAME, False)


def load(out: Path, given: str = "") -> Corrections:
    """The corrections of the dataset in `out`: `given` (must exist) or OUT/corrections.csv
    (may be absent: no corrections)."""
    path, explicit = path_for(out, given)
    if not path.exists():
        if explicit:
            raise FileNotFoundError(f"the corrections file {path} does not exist")
        return Corrections()
    return parse(path.read_bytes(), path)


def parse(raw: bytes, path: Optional[Path] = None) -> Corrections:
    """Read the file's lines; every line that cannot be read is a problem, never an exception."""
    result = Corrections(path=path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        result.problems.append((1, "correction.malformed", f"the file is not UTF-8 ({e.reason})", None))
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    head = next(reader, None)
    if head is None:
        return result
    if tuple(h.strip() for h in head) != HEADER:
        result.problems.append((1, "correction.malformed", "the header must be exactly " + ",".join(HEADER)
                                + f" (it is {','.join(head)}); no line was applied", None))
        return result
    lines = []
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        line = reader.line_num
        try:
            lines.append(parse_line(line, fields))
        except ValueError as e:
            rid = fields[0].strip() if fields and fields[0].strip() else None
            result.problems.append((line, "correction.malformed", str(e), rid))
    result.lines = tuple(lines)
    return result


def parse_line(line: int, fields: list) -> Correction:
    """One line as a Correction; ValueError saying what is wrong with it."""
    if len(fields) != len(HEADER):
        raise ValueError(f"it has {len(fields)} fields, the header {len(HEADER)}")
    row = dict(zip(HEADER, (f.strip() for f in fields)))
    report_id, office_id = row["report_id"] or None, row["office_id"] or None
    year = _year(row["year"])
    if not report_id and not (office_id and year is not None):
        raise ValueError("it names neither a report_id nor an office_id and a year")
    key = (row["table_code"], row["row_code"], row["col_code"])
    if not known_cell(*key):
        raise ValueError(f"{'.'.join(key)} is not a cell code of the codebook")
    return Correction(line, report_id, office_id, year, ".".join(key), _value(row["value"]), row["note"], row["who"])


def known_cell(table: str, row: str, col: str) -> bool:
    """Whether the codebook has this cell: one of the national layouts, or of the legacy table
    (a known indicator, or `other:<label>` for one printed under a label the data does not know)."""
    if (table, row, col) in _national():
        return True
    legacy = layout.LEGACY
    return table == legacy and col in layout.cols_of(legacy, legacy) and (
        row in layout.rows_of(legacy, legacy) or (row.startswith(layout.OTHER_ROW) and len(row) > len(layout.OTHER_ROW)))


@lru_cache(maxsize=1)
def _national() -> frozenset:
    return frozenset(layout.all_cells())


def _year(text: str) -> Optional[int]:
    if not text:
        return None
    if not text.isdigit() or len(text) != 4:
        raise ValueError(f"the year {text!r} is not a year")
    return int(text)


def _value(text: str) -> Optional[float]:
    if text == "":
        return None
    try:
        v = float(text)
    except ValueError:
        raise ValueError(f"the value {text!r} is not a number (leave it empty for a blank cell)") from None
    if not math.isfinite(v):
        raise ValueError(f"the value {text!r} is not a number")
    return v
