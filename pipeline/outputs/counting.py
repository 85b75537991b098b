"""One report, one count: the findings of a report's forms are one finding.

A report is often published in several forms (its PDF, web page, Word file, a scan …), and the
dataset reads and checks each: every form carries the report's findings. People count reports,
so the outputs count a finding once per report — the findings of one group of forms
(reports.group_id) with the same flag (rule and location) are one — shown as the canonical
form's (the one panel.parquet takes), or, when only other forms have it (a form read otherwise:
`forms.disagree`, a scan's misread), the first of those. The audit report and the workbook both
count through here.
"""
from __future__ import annotations

import pandas as pd


def per_report(flags: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """flags with `group_key` (the report: its group_id; a document without a group is one of its
    own; a finding about no document is its own), `canonical` (of its form), `shown` (the one
    finding counted per report and flag) and `forms` (the sources of the report's other forms
    that have it too). The order of `flags` is kept."""
    cols = [c for c in ("report_id", "group_id", "canonical") if c in reports.columns]
    r = reports.drop_duplicates("report_id")[cols]
    out = flags.drop(columns=[c for c in ("group_id", "canonical") if c in flags.columns]).merge(
        r, on="report_id", how="left")
    out.index = flags.index
    group = out["group_id"] if "group_id" in out else pd.Series(None, index=out.index, dtype=object)
    out["group_key"] = group.fillna(out["report_id"]).fillna(out["source"] + "#" + out["flag"])
    out["canonical"] = out["canonical"].fillna(False).astype(bool) if "canonical" in out else False
    out = out.drop(columns=["group_id"], errors="ignore")
    order = out.assign(_rank=~out["canonical"], _at=range(len(out))).sort_values(
        ["group_key", "flag", "_rank", "source", "_at"], kind="mergesort")
    first = order.drop_duplicates(["group_key", "flag"])["_at"]
    out["shown"] = False
    out.iloc[list(first), out.columns.get_loc("shown")] = True
    sources = order.groupby(["group_key", "flag"], sort=False)["source"].agg(list)
    out["forms"] = [tuple(s for s in sources[(g, f)] if s != src)
                    for g, f, src in zip(out["group_key"], out["flag"], out["source"])]
    return out
