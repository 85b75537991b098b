"""Small pieces of HTML every section uses: headings, severity badges, the data attributes the
filters read, stable anchors, scrolling boxes for wide tables, and the names people read instead
of codes (severities, statuses, levels: pipeline.outputs.names; rules: the findings catalogue).
A code stays in the page only where a machine needs it (an attribute, a corrections line)."""
from __future__ import annotations

import hashlib
from html import escape

import pandas as pd

from pipeline.core.findings import catalogue
from pipeline.outputs.names import rule_name, value_name
from pipeline.outputs.report.data import table


def year_text(v) -> str:
    return "" if v is None or pd.isna(v) else str(int(v))


def text_of(v) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def office_anchor(office_key: str) -> str:
    """A stable HTML id for an office (office_id holds ':' and Chinese)."""
    return "o-" + hashlib.sha1(office_key.encode("utf-8")).hexdigest()[:10]


def severity_names() -> dict:
    """{severity: {zh, en, group}} in the order of severities.csv."""
    return {r["severity"]: {**r, "zh": value_name("severity", r["severity"]),
                            "en": value_name("severity", r["severity"], "en")} for r in table("severities.csv")}


def review_severities() -> tuple:
    """Severities shown with evidence (error, warning); the others are kept apart."""
    return tuple(r["severity"] for r in table("severities.csv") if r["group"] == "review")


def badge(severity: str) -> str:
    s = severity_names().get(severity, {"zh": severity, "en": severity})
    return f'<span class="sev sev-{escape(severity)}">{escape(s["zh"])} <span class="en">{escape(s["en"])}</span></span>'


def finding_attrs(f) -> str:
    """The data attributes the filters of audit.js read."""
    return (f'data-finding="{escape(f["finding_id"])}" data-report="{escape(text_of(f["report_id"]))}" '
            f'data-region="{escape(text_of(f["region"]))}" data-year="{year_text(f["year"])}" '
            f'data-level="{escape(text_of(f["level"]))}" data-office="{escape(text_of(f["office_key"]))}" '
            f'data-rule="{escape(f["rule"])}" data-severity="{escape(f["severity"])}"')


def heading(zh: str, en: str, level: int = 2, anchor: str = "") -> str:
    ident = f' id="{anchor}"' if anchor else ""
    return f'<h{level}{ident}>{escape(zh)} <span class="en">{escape(en)}</span></h{level}>'


def rule_text(rule: str) -> tuple:
    """(Chinese, English) of what a rule means, from the pipeline's rule catalogue."""
    info = catalogue().get(rule)
    return (info.zh, info.en) if info else (rule, rule)


def rule_label(rule: str) -> str:
    """A rule as people read it: its Chinese name, the English one beside it, the id in a tooltip."""
    return (f'<span class="rule" title="{escape(rule)}">{escape(rule_name(rule))} '
            f'<span class="en">{escape(rule_name(rule, "en"))}</span></span>')


def level_text(level) -> str:
    return value_name("level", level) if text_of(level) else ""


def scroll(html: str) -> str:
    """A wide table in a box of its own that scrolls sideways: the page stays as wide as the screen."""
    return f'<div class="scroll">{html}</div>'
