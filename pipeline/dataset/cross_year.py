"""Cross-year checks between an office's consecutive years, run over the whole dataset.

Each office-year is one report: its canonical document (pipeline.dataset.groups), so a relation is
checked once per office-year, whatever number of forms the report has, and its findings are
published on the later year's canonical document. An office is known by its `office_id`, so a
report that names itself differently (玄武区政府, 玄武区人民政府) is still compared with its
previous year.

    relations   cross_year.* of data/rules.csv (carried over = last year's carried forward …; a
                legacy 历年累计 = last year's + this year's, for the rows both years print)
    gap         cross_year.gap: the office has reports of earlier years but not of the year
                before (info)
    anomalies   year-over-year warnings (pipeline.dataset.yoy): a total that jumps ×10 or drops
                to 0, a table identical to last year's, an overview copied from last year's
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from pipeline.core.findings import Finding
from pipeline.dataset.yoy import check_anomalies
from pipeline.formats.relations import Context, all_relations, evaluate


@dataclass
class YearReport:
    """One office-year as the cross-year checks compare it: its canonical document's cells (as
    corrected) and overview text."""
    report_id: str
    source: str
    office: Optional[str]            # office_id, or the name where no id is known
    year: Optional[int]
    format_version: Optional[str]
    cells: list                      # [CellRecord]
    overview: str = ""


def check_cross_year(reports: list) -> dict:
    """{report_id: [Finding]} for the consecutive years of each office.

    `reports`: YearReports, one per office-year (the canonical documents). Where an office-year
    still has several, the one with the most numbers is taken."""
    by_office = {}
    for r in reports:
        if r.office and r.year:
            by_office.setdefault(r.office, {}).setdefault(int(r.year), []).append(r)
    out = {}
    for years in by_office.values():
        chosen = {y: max(copies, key=_numbers) for y, copies in years.items()}
        first = min(chosen)
        for year, r in sorted(chosen.items()):
            prev = chosen.get(year - 1)
            if prev is None:
                if year > first:
                    out[r.report_id] = [_gap(r, year, sorted(y for y in chosen if y < year)[-1])]
                continue
            found = _compare(r, prev, year) + check_anomalies(r, prev, year)
            if found:
                out[r.report_id] = found
    return out


def _numbers(report: YearReport) -> int:
    return sum(c.kind == "number" for c in report.cells)


def _gap(r: YearReport, year: int, last: int) -> Finding:
    missing = f"{last + 1}" if last + 1 == year - 1 else f"{last + 1}–{year - 1}"
    return Finding("cross_year.gap", "report", "info", expected=str(year - 1), found=str(last),
                   message_zh=f"数据集中没有该机关{missing}年的报告（上一份为{last}年）：跨年度关系无法核对",
                   message_en=f"the dataset has no report of this office for {missing} (the last before is "
                              f"{last}): the cross-year relations cannot be checked",
                   stage="cross_year")


def _compare(r: YearReport, prev: YearReport, year: int) -> list:
    now = {c.key: c for c in r.cells}
    before = {c.key: c for c in prev.cells}

    def lookup(table, row, col, offset):
        return (now if offset == 0 else before).get((table, row, col))

    context = Context((r.format_version, prev.format_version),
                      previous_zh=f"（{year - 1}年报告）", previous_en=f"in its {year - 1} report",
                      printed=({k[:2] for k in now}, {k[:2] for k in before}))
    findings = []
    for rel in all_relations():
        if rel.cross_year:
            # an unverifiable relation is reported only when last year's table has the row
            findings.extend(f for f in evaluate(rel, r.cells, lookup, context)
                            if f.severity == "error" or any(k[0] == rel.table for k in before))
    against = prev.source
    for f in findings:
        f.stage = "cross_year"
        f.message_zh += f"（对照 {against}）"
        f.message_en += f" (compared with {against})"
        f.extra["against"] = prev.report_id
    return findings
