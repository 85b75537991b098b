"""Accuracy against hand-keyed truth (the format of shared/corpus/README.md).

A document is right when every truth cell has the same kind and value, the format, office and
year are the same, and the within-report flags (requests.*, review_litigation.*, values.*, and a
legacy report's legacy.*, at severity error) are exactly the listed ones.
"""
from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

SCORED_FAMILIES = ("requests", "review_litigation", "values", "legacy")


@dataclass
class DocScore:
    file: str
    cells_right: int = 0
    cells_total: int = 0
    format_ok: bool = False
    office_ok: bool = False
    year_ok: bool = False
    flags_ok: bool = False
    found: bool = False
    problems: list = field(default_factory=list)

    @property
    def perfect(self) -> bool:
        return (self.found and self.cells_right == self.cells_total and self.format_ok
                and self.office_ok and self.year_ok and self.flags_ok)


def load_truth(truth: Path) -> tuple:
    truth = Path(truth)
    with open(truth / "reports.csv", encoding="utf-8") as f:
        reports = list(csv.DictReader(f))
    cells = {}
    for r in reports:
        p = truth / "cells" / f"{r['file']}.csv"
        if p.exists():
            with open(p, encoding="utf-8") as f:
                cells[r["file"]] = list(csv.DictReader(f))
        else:
            cells[r["file"]] = []
    return reports, cells


def _same(a, b) -> bool:
    return "".join(str(a or "").split()) == "".join(str(b or "").split())


def score(extracted: Path, truth: Path, only=None) -> list:
    extracted = Path(extracted)
    R = pd.read_parquet(extracted / "reports.parquet")
    C = pd.read_parquet(extracted / "cells.parquet")
    F = pd.read_parquet(extracted / "flags.parquet")
    R["_file"] = R["source"].map(lambda s: os.path.basename(str(s)))
    reports, truth_cells = load_truth(truth)
    present = set(R["_file"])
    out = []
    for t in reports:
        if only is not None and t["file"] not in only:
            continue
        if only is None and t["file"] not in present:
            continue
        out.append(_score_doc(t, truth_cells[t["file"]], R, C, F))
    return out


def _score_doc(t: dict, tcells: list, R, C, F) -> DocScore:
    s = DocScore(t["file"], cells_total=len(tcells))
    rep = R[R["_file"] == t["file"]]
    if rep.empty:
        s.problems.append("not in reports.parquet")
        return s
    s.found = True
    row = rep.iloc[0]
    got = {(x.table_code, x.row_code, x.col_code): x for x in C[C["report_id"] == row["report_id"]].itertuples()}
    for tc in tcells:
        key = (tc["table"], tc["row"], tc["col"])
        g = got.get(key)
        if g is None:
            s.problems.append(f"{'.'.join(key)} missing")
        elif g.kind != tc["kind"]:
            s.problems.append(f"{'.'.join(key)} kind {g.kind} ≠ {tc['kind']} (raw {g.raw!r})")
        elif tc["kind"] == "number" and (g.value is None or math.isnan(g.value)
                                         or abs(float(g.value) - float(tc["value"])) > 1e-6):
            s.problems.append(f"{'.'.join(key)} {g.value} ≠ {tc['value']} (raw {g.raw!r})")
        else:
            s.cells_right += 1
    s.format_ok = _same(row["format_version"], t["format"])
    s.office_ok = _same(row["office"], t["office"])
    s.year_ok = str(row["year"]).split(".")[0] == str(t["year"]).strip()
    for ok, what, have, want in ((s.format_ok, "format", row["format_version"], t["format"]),
                                 (s.office_ok, "office", row["office"], t["office"]),
                                 (s.year_ok, "year", row["year"], t["year"])):
        if not ok:
            s.problems.append(f"{what} {have!r} ≠ {want!r}")
    want = {x for x in (t.get("flags") or "").split(";") if x}
    fr = F[(F["report_id"] == row["report_id"]) & (F["severity"] == "error")]
    have = {x.flag for x in fr.itertuples() if x.rule.split(".")[0] in SCORED_FAMILIES}
    s.flags_ok = want == have
    if not s.flags_ok:
        s.problems.append(f"flags missing {sorted(want - have)} extra {sorted(have - want)}")
    return s


def report(scores: list, verbose: bool = True) -> str:
    lines = []
    for s in scores:
        lines.append(f"{s.file}: cells {s.cells_right}/{s.cells_total} · format {'ok' if s.format_ok else 'WRONG'}"
                     f" · office {'ok' if s.office_ok else 'WRONG'} · year {'ok' if s.year_ok else 'WRONG'}"
                     f" · flags {'ok' if s.flags_ok else 'WRONG'}")
        if verbose:
            lines.extend(f"    {p}" for p in s.problems[:15])
    right = sum(s.cells_right for s in scores)
    total = sum(s.cells_total for s in scores)
    n = len(scores)
    pct = 100.0 * right / total if total else 0.0
    lines.append(f"cells {right}/{total} ({pct:.2f}%) · format {sum(s.format_ok for s in scores)}/{n}"
                 f" · office {sum(s.office_ok for s in scores)}/{n} · year {sum(s.year_ok for s in scores)}/{n}"
                 f" · flags exact {sum(s.flags_ok for s in scores)}/{n}")
    return "\n".join(lines)
