"""The audit report as one HTML file: overview, every error and warning with its evidence, a
section per office, and the unverifiable and info findings apart (collapsed).

Everything is inline (styles, script, SVG charts, PNG crops as data: URIs), so the file works
opened from disk or sent by mail, with no network. Nothing in it depends on the clock, the
machine or the path of the dataset: the same dataset gives the same bytes.

This module puts the page together: the header and the filter bar, then the sections, each
built by its own module from the Audit of data.py — overview.py, cards.py (errors and warnings
with their evidence; unverifiable and info apart), offices.py (a section per office) — and
fills them into template.html with style.css and audit.js.
"""
from __future__ import annotations

import sys
from html import escape
from pathlib import Path
from string import Template

from pipeline.core.store import write_atomic
from pipeline.outputs.report.cards import apart_section, collect_evidence, evidence_section
from pipeline.outputs.report.data import HERE, Audit, NoDataset, load, subset
from pipeline.outputs.report.offices import offices_section
from pipeline.outputs.report.overview import overview
from pipeline.outputs.report.parts import severity_names, year_text


def render_html(audit: Audit, progress=None) -> str:
    """The whole report as a string."""
    say = progress or (lambda _msg: None)
    say(f"{len(audit.reports)} files, {len(audit.findings)} findings; cropping the evidence …")
    evidence_data = collect_evidence(audit)
    say("writing the page …")
    body = "".join([
        header(audit),
        filters(audit),
        '<nav class="toc"><a href="#overview">概览 overview</a><a href="#evidence">错误与警告 errors &amp; warnings</a>'
        '<a href="#offices">各机关 offices</a><a href="#apart">无法核对与提示 unverifiable &amp; info</a></nav>',
        "<main>",
        overview(audit),
        evidence_section(audit, evidence_data),
        offices_section(audit),
        apart_section(audit),
        "</main>",
    ])
    template = Template((HERE / "template.html").read_text(encoding="utf-8"))
    return template.substitute(title="政府信息公开年度报告审核 · OGI audit report",
                               style=(HERE / "style.css").read_text(encoding="utf-8"),
                               script=(HERE / "audit.js").read_text(encoding="utf-8"), body=body)


def build_report(folder, out, progress=None, regions=(), office_ids=()) -> Path:
    """Read the dataset in `folder` and write the report to `out` (atomically); `regions` and
    `office_ids` restrict it to some provinces or offices."""
    audit = load(folder)
    if regions or office_ids:
        audit = subset(audit, regions, office_ids)
        if audit.reports.empty:
            raise NoDataset(f"no file of {folder} matches --region {' '.join(regions) or '(any)'} "
                            f"--office {' '.join(office_ids) or '(any)'}")
    html = render_html(audit, progress)
    out = Path(out)
    write_atomic(out, html.encode("utf-8"))        # bytes: no newline translation, the same file everywhere
    return out


def header(audit: Audit) -> str:
    versions = sorted(set(audit.reports["pipeline_version"].dropna()))
    return ('<header class="top"><h1>政府信息公开工作年度报告 · 审核报告</h1>'
            '<p>OGI annual reports — audit report: what was read, what does not add up, and where it is printed. '
            f'Pipeline {escape(", ".join(versions) or "?")}.</p></header>')


def filters(audit: Audit) -> str:
    """The filter bar: region, year, rule, severity (plain selects; audit.js applies them)."""
    f = audit.findings
    options = {
        "region": ("地区", "region", sorted(set(audit.reports["region"]))),
        "year": ("年度", "year", sorted({year_text(y) for y in f["year"]} - {""})),
        "rule": ("规则", "rule", sorted(set(f["rule"]))),
        "severity": ("严重程度", "severity", [s for s in severity_names() if s in set(f["severity"])]),
    }
    parts = ['<div class="filters" id="filters"><b>筛选 filter</b>']
    for key, (zh, en, values) in options.items():
        opts = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
        parts.append(f'<label>{zh} {en} <select id="filter-{key}"><option value="">全部 all</option>{opts}</select></label>')
    parts.append('<button type="button" id="filter-reset">重置 reset</button>'
                 '<span>显示 shown: <span class="count" data-count-of="evidence-list"></span> 错误与警告</span></div>')
    return "".join(parts)


def main_progress(msg: str) -> None:
    print(f"ogi report: {msg}", file=sys.stderr)
