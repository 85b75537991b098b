"""Small pieces of HTML every section uses: headings, severity badges, the data attributes the
filters read, stable anchors, and the wording of severities and rules (from the data tables)."""
from __future__ import annotations

import hashlib
from html import escape

import pandas as pd

from pipeline.core.findings import catalogue
from pipeline.outputs.report.data import table


def year_text(v) -> str:
    return "" if v is None or pd.isna(v) else str(int(v))


def text_of(v) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def office_anchor(office_key: str) -> str:
    """A stable HTML id for an office (office_id holds ':' and Chinese)."""
    return "o-" + hashlib.sha1(office_key.encode("utf-8")).hexdigest()[:10]


def severity_names() -> dict:
    return {r["severity"]: r for r in table("severities.csv")}


def review_severities() -> tuple:
    """Severities shown with evidence (error, warning); the others are kept apart."""
    return tuple(r["severity"] for r in table("severities.csv") if r["group"] == "review")


def badge(severity: str) -> str:
    s = severity_names().get(severity, {"zh": severity, "en": severity})
    return f'<span class="sev sev-{escape(severity)}">{escape(s["zh"])} {escape(s["en"])}</span>'


def finding_attrs(f) -> str:
    """The data attributes the filters of audit.js read."""
    return (f'data-finding="{escape(f["finding_id"])}" data-report="{escape(f["report_id"])}" '
            f'data-region="{escape(text_of(f["region"]))}" data-year="{year_text(f["year"])}" '
            f'data-rule="{escape(f["rule"])}" data-severity="{escape(f["severity"])}"')


def heading(zh: str, en: str, level: int = 2, anchor: str = "") -> str:
    ident = f' id="{anchor}"' if anchor else ""
    return f'<h{level}{ident}>{escape(zh)} <span class="en">{escape(en)}</span></h{level}>'


def rule_text(rule: str) -> tuple:
    """(Chinese, English) of what a rule means, from the pipeline's rule catalogue."""
    info = catalogue().get(rule)
    return (info.zh, info.en) if info else (rule, rule)
