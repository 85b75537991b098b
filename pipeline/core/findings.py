"""One type for everything a stage has to say about a report: `Finding`.

A reader noticing an OCR'd page, the extractor missing a table, a broken reconciliation, a number
in the overview that differs from the table: each is a Finding with a rule id, where it is, a
severity, the two sides (expected / found), a message in Chinese and in English, and evidence —
the page and box of the cells involved and their codes. Every Finding of every stage reaches
`flags.parquet`.

Rule ids are a closed set: the catalogue (`catalogue()`) is built from the data tables —
`data/findings.csv` for the structural and extraction findings, `data/rules.csv` for the
reconciliation relations, `data/narrative.csv` for the overview checks — and a Finding with an
id outside it is refused at construction, so the documentation of rule ids (docs/outputs.md,
generated from the same catalogue) cannot fall behind the code.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Optional

from pipeline import data

SEVERITIES = ("error", "warning", "unverifiable", "info")


@dataclass(frozen=True)
class RuleInfo:
    """What the catalogue knows of a rule id: its severity when it fires, the stage that emits
    it, a description for people, and its short name (the outputs' titles, filters and charts
    show the name, never the id)."""
    id: str
    severity: str
    stage: str
    zh: str
    en: str
    name_zh: str = ""
    name_en: str = ""


@lru_cache(maxsize=1)
def catalogue() -> dict:
    """{rule id: RuleInfo} for every rule id any stage can emit; the short names from
    data/rule_names.csv (a rule without one is named by its description)."""
    out = {}
    for r in data.rows("findings.csv"):
        out[r["id"]] = RuleInfo(r["id"], r["severity"], r["stage"], r["zh"], r["en"])
    for r in data.described("rules.csv"):
        out[r["id"]] = RuleInfo(r["id"], "error", "check", r["zh"], r["en"])
    for r in data.described("narrative.csv"):
        rid = f"narrative.{r['what']}"
        out[rid] = RuleInfo(rid, "warning", "check", r["zh"], r["en"])
    names = {r["id"]: r for r in data.described("rule_names.csv")}
    return {rid: replace(info, name_zh=names[rid]["zh"] if rid in names else info.zh,
                         name_en=names[rid]["en"] if rid in names else info.en)
            for rid, info in out.items()}


def rule_name(rule: str, lang: str = "zh") -> str:
    """A rule's short name for people (收支不平衡…); the id itself for a rule the catalogue lacks."""
    info = catalogue().get(rule)
    if info is None:
        return rule
    return info.name_zh if lang == "zh" else info.name_en


class UnknownRule(ValueError):
    """A finding with a rule id the catalogue does not list: add a row to data/findings.csv."""


@dataclass
class Finding:
    """One flag, warning or notice about one report.

    `location` is where it is within the report: a row or column code for a relation
    (`review`, `natural_person`), a cell code (`active.rules.in_force`), a table or section code,
    or `report`. `cells` lists the `table.row.col` codes the finding is about; `page` and `bbox`
    locate them on the source page (bbox: x0, top, x1, bottom in points; the union of the involved
    cells that sit on `page`), where the source has geometry.
    """
    rule: str
    location: str
    severity: str
    expected: str = ""
    found: str = ""
    message_zh: str = ""
    message_en: str = ""
    page: Optional[int] = None
    bbox: Optional[tuple] = None
    cells: tuple = ()
    stage: str = ""
    extra: dict = field(default_factory=dict)   # anything else a later stage needs (not published)

    def __post_init__(self):
        if self.rule not in catalogue():
            raise UnknownRule(f"rule id {self.rule!r} is not in the catalogue (data/findings.csv, "
                              "rules.csv or narrative.csv)")
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} is not one of {SEVERITIES}")
        self.expected, self.found = str(self.expected), str(self.found)
        self.cells = tuple(self.cells)
        if self.bbox is not None:
            self.bbox = tuple(float(v) for v in self.bbox)
        if not self.stage:
            self.stage = catalogue()[self.rule].stage

    @property
    def flag(self) -> str:
        """`rule@location`, as SCHEMA.md and the truth files write a flag."""
        return f"{self.rule}@{self.location}"

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["cells"] = list(self.cells)
        d["bbox"] = list(self.bbox) if self.bbox is not None else None
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Finding":
        return cls(**{k: v for k, v in d.items() if k in _FIELDS})


_FIELDS = set(Finding.__dataclass_fields__)


def with_evidence(finding: Finding, cells: list) -> Finding:
    """The finding with the page, box and codes of `cells` (pipeline.core.results.CellRecord). The
    page is the first involved cell's; the box is the union of the involved cells on that page."""
    cells = [c for c in cells if c is not None]
    if not cells:
        return finding
    finding.cells = tuple(dict.fromkeys(c.code for c in cells))
    page = cells[0].page
    boxes = [c.bbox for c in cells if c.page == page and c.bbox]
    finding.page = page
    if boxes:
        finding.bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                        max(b[2] for b in boxes), max(b[3] for b in boxes))
    return finding


def number_text(value) -> str:
    """A number as the findings' messages and their expected/found write it: 463 (not 463.0),
    2.5, 1234567 (not 1.23457e+06)."""
    v = float(value)
    return str(int(v)) if v.is_integer() else f"{v:g}"
