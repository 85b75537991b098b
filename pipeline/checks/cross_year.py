"""Cross-year relations (cross_year.* of data/rules.csv) between an office's consecutive years.

Run over the whole dataset, not one file: each report is compared with the same office's report
of the year before. Where that year has several copies (a PDF and its web page), the one with
the most numbers is the reference.
"""
from __future__ import annotations

from ..relations import all_relations, evaluate


def check_cross_year(reports: list) -> dict:
    """{report_id: [Finding]} for consecutive years of the same office.

    `reports`: dicts with report_id, source, office, year, cells (cell records).
    """
    by_office = {}
    for r in reports:
        if r.get("office") and r.get("year"):
            by_office.setdefault(r["office"], {}).setdefault(int(r["year"]), []).append(r)
    out = {}
    for years in by_office.values():
        for year, copies in years.items():
            if year - 1 not in years:
                continue
            prev = max(years[year - 1], key=_numbers)
            for r in copies:
                out[r["report_id"]] = _compare(r, prev, year)
    return out


def _numbers(report: dict) -> int:
    return sum(c["kind"] == "number" for c in report["cells"])


def _key(c: dict) -> tuple:
    return (c["table_code"], c["row_code"], c["col_code"])


def _compare(r: dict, prev: dict, year: int) -> list:
    now = {_key(c): c for c in r["cells"]}
    before = {_key(c): c for c in prev["cells"]}

    def lookup(table, row, col, offset):
        return (now if offset == 0 else before).get((table, row, col))

    findings = []
    for rel in all_relations():
        if rel.cross_year:
            # an unverifiable relation is reported only when last year's table has the row
            findings.extend(f for f in evaluate(rel, r["cells"], lookup)
                            if f.severity == "error" or any(k[0] == rel.table for k in before))
    against = prev.get("source", prev["report_id"])
    for f in findings:
        f.stage = "cross_year"
        f.message_zh += f"（对照 {against} {year - 1}年）"
        f.message_en += f" (against {against}, {year - 1})"
        f.extra["against"] = prev["report_id"]
    return findings
