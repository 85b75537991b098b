"""The audit report as one HTML file: overview, every error and warning with its evidence, the
corrections made, the offices side by side, a section per office, and the unverifiable and info
findings apart (collapsed).

Everything is inline (styles, script, SVG charts, PNG crops as data: URIs, the values the
script counts and compares as a JSON data island), so the file works opened from disk or sent by
mail, with no network. Nothing in it depends on the clock, the machine or the path of the
dataset: the same dataset gives the same bytes. It reads on a phone (nothing wider than the
screen but what scrolls in a box of its own) and prints without its controls (style.css).

This module puts the page together: the header and the filter bar, then the sections, each
built by its own module from the Audit of data.py — overview.py, cards.py (errors and warnings
with their evidence; corrections; unverifiable and info apart), comparisons.py (offices side by
side, an office's years), offices.py (a section per office) — and fills them into template.html
with style.css and audit.js.
"""
from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path
from string import Template

from pipeline.core.store import write_atomic
from pipeline.outputs.names import rule_name, value_name
from pipeline.outputs.report.cards import (
    apart_section,
    collect_evidence,
    corrections_section,
    evidence_section,
)
from pipeline.outputs.report.comparisons import compare_section, data_island
from pipeline.outputs.report.data import HERE, Audit, NoDataset, load, subset
from pipeline.outputs.report.offices import offices_section
from pipeline.outputs.report.overview import overview
from pipeline.outputs.report.parts import severity_names, text_of, year_text
from pipeline.outputs.select import Selection


def render_html(audit: Audit, progress=None) -> str:
    """The whole report as a string."""
    say = progress or (lambda _msg: None)
    say(f"{len(audit.reports)} files, {len(audit.documents)} reports, {len(audit.counted)} findings "
        "(one per report); cropping the evidence …")
    evidence_data = collect_evidence(audit)
    say("writing the page …")
    body = "".join([
        header(audit),
        filters(audit),
        '<nav class="toc"><a href="#overview">概览 overview</a><a href="#evidence">错误与警告 errors &amp; warnings</a>'
        '<a href="#corrections">人工更正 corrections</a><a href="#compare">机关对比 compare</a>'
        '<a href="#offices">各机关 offices</a><a href="#apart">无法核对与提示 unverifiable &amp; info</a></nav>',
        "<main>",
        overview(audit),
        evidence_section(audit, evidence_data),
        corrections_section(audit),
        compare_section(audit),
        offices_section(audit),
        apart_section(audit),
        "</main>",
        '<div id="zoom" class="zoom-layer" hidden><button type="button" class="close">关闭 close ✕</button>'
        '<div class="zoom-box"><img alt=""></div></div>',
        f'<script type="application/json" id="audit-data">{island(audit)}</script>',
    ])
    template = Template((HERE / "template.html").read_text(encoding="utf-8"))
    return template.substitute(title="政府信息公开年度报告审核 · OGI audit report",
                               style=(HERE / "style.css").read_text(encoding="utf-8"),
                               script=(HERE / "audit.js").read_text(encoding="utf-8"), body=body)


def island(audit: Audit) -> str:
    """What the script counts under the filters (reports, files, one finding per report) and
    compares (comparisons.data_island), as JSON safe inside <script>."""
    docs = audit.documents
    counted = audit.counted

    def where(r) -> list:
        return [text_of(r["region"]), year_text(r["year"]), text_of(r["level"]), text_of(r["office_key"])]

    data = {
        "reports": [where(r) + [r["status"]] for r in docs.to_dict("records")],
        "files": [where(r) for r in audit.reports.to_dict("records")],
        "findings": [where(f) + [f["rule"], f["severity"]] for f in counted.to_dict("records")],
        "compare": data_island(audit),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).replace("</", "<\\/")


def build_report(folder, out, progress=None, selection: Selection = Selection()) -> Path:
    """Read the dataset in `folder` and write the report to `out` (atomically, with the user's
    umask); `selection` restricts it to some regions, years, offices or levels
    (pipeline.outputs.select: NoMatch when a value matches nothing)."""
    audit = subset(load(folder), selection)
    if audit.reports.empty:
        raise NoDataset(f"no file of {folder} matches {selection.describe()}")
    html = render_html(audit, progress)
    out = Path(out)
    write_atomic(out, html.encode("utf-8"))        # bytes: no newline translation, the same file everywhere
    return out


def header(audit: Audit) -> str:
    versions = sorted(set(audit.reports["pipeline_version"].dropna()))
    return ('<header class="top"><h1>政府信息公开工作年度报告 · 审核报告</h1>'
            '<p>OGI annual reports — audit report: what was read, what does not add up, and where it is printed. '
            f'<span class="version">Pipeline {escape(", ".join(versions) or "?")}.</span></p></header>')


def filters(audit: Audit) -> str:
    """The filter bar: region, year, level, rule, severity (plain selects; audit.js applies them
    to the cards, the overview's numbers, charts and ranking, and the office sections). The
    options read as names; their values are the codes the page's attributes carry."""
    f, r = audit.counted, audit.reports
    options = {
        "region": ("地区", "region", [(v, v) for v in sorted(set(r["region"]))]),
        "year": ("年度", "year", [(v, v) for v in sorted({year_text(y) for y in r["year"]} - {""})]),
        "level": ("层级", "level", [(v, value_name("level", v)) for v in ("province", "city", "county", "township")
                                   if v in set(r["level"].dropna())]),
        "rule": ("规则", "rule", sorted(((v, rule_name(v)) for v in set(f["rule"])), key=lambda kv: kv[1])),
        "severity": ("严重程度", "severity", [(k, f'{s["zh"]} {s["en"]}') for k, s in severity_names().items()
                                          if k in set(f["severity"])]),
    }
    parts = ['<div class="filters" id="filters"><b>筛选 filter</b>']
    for key, (zh, en, values) in options.items():
        opts = "".join(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in values)
        parts.append(f'<label>{zh} <span class="en">{en}</span> <select id="filter-{key}">'
                     f'<option value="">全部 all</option>{opts}</select></label>')
    parts.append('<button type="button" id="filter-reset">重置 reset</button>'
                 '<span>显示 shown: <span class="count" data-count-of="evidence-list"></span> 错误与警告</span></div>')
    return "".join(parts)


def main_progress(msg: str) -> None:
    print(f"ogi report: {msg}", file=sys.stderr)


__all__ = ["NoDataset", "build_report", "render_html"]
