"""The audit report as one HTML file: overview, every error and warning with its evidence, a
section per office, and the unverifiable and info findings apart (collapsed).

Everything is inline (styles, script, SVG charts, PNG crops as data: URIs), so the file works
opened from disk or sent by mail, with no network. Nothing in it depends on the clock, the
machine or the path of the dataset: the same dataset gives the same bytes.

Sections are built by one function each (`overview`, `evidence_section`, `office_section`,
`apart_section`), from the Audit of data.py; template.html, style.css and audit.js beside this
file are filled in by `render_html`.
"""
from __future__ import annotations

import hashlib
import sys
from html import escape
from pathlib import Path
from string import Template

import pandas as pd

from .. import layout, labels
from ..findings import catalogue
from . import charts, crops, evidence
from .data import HERE, Audit, NoDataset, format_value, load, offices, subset, table

TOP_OFFICES = 10


# ---- small helpers ---------------------------------------------------------------------------

def _year(v) -> str:
    return "" if v is None or pd.isna(v) else str(int(v))


def _text(v) -> str:
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
            f'data-region="{escape(_text(f["region"]))}" data-year="{_year(f["year"])}" '
            f'data-rule="{escape(f["rule"])}" data-severity="{escape(f["severity"])}"')


def heading(zh: str, en: str, level: int = 2, anchor: str = "") -> str:
    ident = f' id="{anchor}"' if anchor else ""
    return f'<h{level}{ident}>{escape(zh)} <span class="en">{escape(en)}</span></h{level}>'


# ---- the page ---------------------------------------------------------------------------------

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
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(html.encode("utf-8"))          # bytes: no newline translation, the same file everywhere
    tmp.replace(out)
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
        "year": ("年度", "year", sorted({_year(y) for y in f["year"]} - {""})),
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


# ---- overview ---------------------------------------------------------------------------------

def overview(audit: Audit) -> str:
    r, f = audit.reports, audit.findings
    statuses = {s["status"]: s for s in table("statuses.csv")}
    counts = r["status"].value_counts()
    sev = f["severity"].value_counts()
    cards = [("读取文件", "files read", len(r)), ("机关", "offices", r.loc[r.office_key != "", "office_key"].nunique())]
    cards += [(s["zh"], s["en"], int(counts.get(k, 0))) for k, s in statuses.items()]
    cards += [(n["zh"], n["en"], int(sev.get(k, 0))) for k, n in severity_names().items()]
    errors = f[f["severity"] == "error"]
    by_rule = _ranked(errors["rule"])
    by_region = _ranked(errors["region"])
    status_bars = [(f'{s["zh"]} {s["en"]}', int(counts.get(k, 0)), s["colour"]) for k, s in statuses.items()]
    parts = ['<section id="overview">', heading("概览", "overview"), '<div class="cards">']
    parts += [f'<div class="stat"><b>{n}</b>{escape(zh)} <span class="en">{escape(en)}</span></div>' for zh, en, n in cards]
    parts.append('</div><div class="charts">')
    parts.append(f'<div>{heading("文件状态", "files by status", 3)}{charts.bar_chart(status_bars, "files by status")}</div>')
    parts.append(f'<div>{heading("错误（按规则）", "errors by rule", 3)}{charts.bar_chart(by_rule, "errors by rule")}</div>')
    parts.append(f'<div>{heading("错误（按地区）", "errors by region (province)", 3)}'
                 f'{charts.bar_chart(by_region, "errors by region")}</div></div>')
    parts.append(rules_found(f))
    parts.append(top_offices(audit))
    parts.append(failed_files(audit))
    parts.append('<p class="note">计数包括同一报告的所有文件（PDF、网页、Word…）。Counts include every file, '
                 'so one report published as a PDF and a web page counts twice; “规范文件” columns count only the '
                 'canonical document of each office-year (the one panel.parquet uses).</p></section>')
    return "".join(parts)


def _ranked(series: pd.Series) -> list:
    """(value, count) by count, then value: a stable order for equal counts."""
    counts = series.fillna("").value_counts()
    return sorted(((k, int(v)) for k, v in counts.items()), key=lambda kv: (-kv[1], kv[0]))


def rule_text(rule: str) -> tuple:
    """(Chinese, English) of what a rule means, from the pipeline's rule catalogue."""
    info = catalogue().get(rule)
    return (info.zh, info.en) if info else (rule, rule)


def rules_found(findings: pd.DataFrame) -> str:
    """What each rule with errors or warnings means, and how often it was found."""
    review = findings[findings["severity"].isin(review_severities())]
    counts = review.groupby(["rule", "severity"]).size()
    rows = "".join(f'<tr><td><code>{escape(rule)}</code></td><td>{badge(sev)}</td><td class="num">{n}</td>'
                   f'<td>{escape(rule_text(rule)[0])}<br><span class="en">{escape(rule_text(rule)[1])}</span></td></tr>'
                   for (rule, sev), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    if not rows:
        return ""
    return (heading("规则说明", "what the rules found mean", 3)
            + '<table><thead><tr><th>规则 rule</th><th>严重程度 severity</th><th>次数 found</th><th>含义 meaning</th></tr>'
              f'</thead><tbody>{rows}</tbody></table>')


def top_offices(audit: Audit) -> str:
    f = audit.findings
    errors = f[(f["severity"] == "error") & (f["office_key"] != "")]
    if errors.empty:
        return heading("错误最多的机关", "offices with most errors", 3) + "<p>无错误 (no errors).</p>"
    every = errors.groupby("office_key").size()
    canonical = errors[errors["canonical"] == True].groupby("office_key").size()  # noqa: E712 (nullable bool)
    names = {k: (n, reg) for k, n, reg in offices(audit)}
    ranked = sorted(every.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_OFFICES]
    rows = "".join(f'<tr><td><a href="#{office_anchor(k)}">{escape(names[k][0])}</a></td><td>{escape(names[k][1])}</td>'
                   f'<td class="num">{n}</td><td class="num">{int(canonical.get(k, 0))}</td></tr>' for k, n in ranked)
    return (heading("错误最多的机关", "offices with most errors", 3)
            + '<table><thead><tr><th>机关 office</th><th>地区 region</th><th>错误（所有文件）errors, all files</th>'
              f'<th>错误（规范文件）errors, canonical documents</th></tr></thead><tbody>{rows}</tbody></table>')


def failed_files(audit: Audit) -> str:
    failed = audit.reports[audit.reports["status"] == "failed"]
    if failed.empty:
        return ""
    rows = "".join(f'<tr data-report="{escape(r.report_id)}"><td>{escape(r.source)}</td><td>{escape(_text(r.error))}</td></tr>'
                   for r in failed.itertuples())
    return (heading("未能读取的文件", "files that could not be read", 3)
            + f'<table><thead><tr><th>文件 file</th><th>原因 why</th></tr></thead><tbody>{rows}</tbody></table>')


# ---- evidence: every error and warning ----------------------------------------------------------

def collect_evidence(audit: Audit) -> dict:
    """Per file with errors or warnings: its cells by code, the crops of its findings, how many
    crops were left out and why none could be made. {report_id: dict}."""
    f = audit.findings
    review = f[f["severity"].isin(review_severities())]
    reports = audit.reports.set_index("report_id", drop=False)
    cells = audit.cells[audit.cells["report_id"].isin(set(review["report_id"]))]
    cells_of = {rid: group.to_dict("records") for rid, group in cells.groupby("report_id", sort=True)}
    out = {}
    for rid, group in review.groupby("report_id", sort=True):
        report = reports.loc[rid]
        rows = cells_of.get(rid, [])
        by_code = {}
        for c in rows:
            by_code.setdefault(evidence.code_of(c), c)
        found, left_out, problem = crops.crops_for_report(report, group.to_dict("records"), by_code)
        out[rid] = {"report": report, "cells": rows, "by_code": by_code, "crops": found,
                    "left_out": left_out, "problem": problem}
    return out


def evidence_section(audit: Audit, data: dict) -> str:
    f = audit.findings
    review = f[f["severity"].isin(review_severities())]
    header_line = evidence.correction_header()
    parts = ['<section id="evidence">', heading("错误与警告及其证据", "errors and warnings, with their evidence"),
             f'<p>显示 shown <span class="count" data-count-of="evidence-list"></span>。每条附更正行（corrections.csv 格式：'
             f'<code>{escape(header_line.strip())}</code>），value 预填为读到的值，请改为正确值并填写 note、who。'
             '<span class="en">Each finding comes with pre-filled lines of corrections.csv: value holds the value read; '
             'replace it with the right one and fill in note and who.</span></p>',
             '<p><button type="button" data-copy="visible">复制所有显示的更正行 copy the corrections of the findings shown</button></p>',
             f'<textarea id="all-corrections" class="corr" rows="3" readonly data-header="{escape(header_line)}" '
             'placeholder="点击上面的按钮 (click the button above)"></textarea>',
             '<div id="evidence-list">']
    parts += [finding_card(row, data[row["report_id"]]) for row in review.to_dict("records")]
    parts.append("</div></section>")
    return "".join(parts)


def finding_card(f: dict, ev: dict) -> str:
    report = ev["report"]
    codes = list(f["cells"]) if f["cells"] is not None else []
    cls = "finding-card " + escape(f["severity"])
    office = _text(f["office"]) or "(未识别机关 office not identified)"
    parts = [f'<article class="{cls}" id="{f["finding_id"]}" {finding_attrs(f)}>',
             f'<div>{badge(f["severity"])} <code>{escape(f["flag"])}</code> · '
             f'<a href="#{office_anchor(f["office_key"])}">{escape(office)}</a> · {_year(f["year"]) or "年度不明"} · '
             f'{escape(f["source"])} <span class="en">({escape(_text(f["detected_format"]))})</span></div>',
             f'<p class="note">规则 rule: {escape(rule_text(f["rule"])[0])} — {escape(rule_text(f["rule"])[1])}</p>',
             f'<p class="msg">{escape(_text(f["message_zh"]))}</p>',
             f'<p class="msg en">{escape(_text(f["message_en"]))}</p>',
             '<div class="ef">',
             f'<span>应为 expected</span><b>{escape(_text(f["expected"]))}</b>',
             f'<span>实际 found</span><b>{escape(_text(f["found"]))}</b>']
    if f["page"] is not None and not pd.isna(f["page"]):
        parts.append(f'<span>页 page</span><span>{int(f["page"])}</span>')
    parts.append("</div>")
    if codes:
        parts.append("<ul>" + "".join(
            f'<li><code>{escape(c)}</code> {escape(zh)} <span class="en">{escape(en)}</span></li>'
            for c, (zh, en) in ((c, evidence.cell_label(c)) for c in codes)) + "</ul>")
    parts.append(evidence_images(f, ev))
    parts.append(evidence.printed_rows(ev["cells"], codes))
    if codes:
        ident = "c-" + f["finding_id"]
        parts.append(f'<div>更正行 correction lines (corrections.csv) '
                     f'<button type="button" data-copy="{ident}">复制 copy</button>'
                     f'<textarea id="{ident}" class="corr" rows="{len(codes)}">'
                     f'{escape(evidence.correction_lines(report, codes, ev["by_code"]))}</textarea></div>')
    parts.append("</article>")
    return "".join(parts)


def evidence_images(f: dict, ev: dict) -> str:
    """The crops of a finding, or a sentence saying why there are none."""
    found = ev["crops"].get(f["finding_id"])
    if f["cells"] is None or len(f["cells"]) == 0:
        return ""                                   # about a section, a table or the file: no cell to show
    if found:
        return "".join(f'<figure><img src="{c.data_uri}" width="{c.width}" height="{c.height}" '
                       f'alt="第{c.page}页截图 crop of page {c.page}"><figcaption class="note">第{c.page}页 page {c.page}，'
                       f'红框为涉及的单元格 (cells involved outlined in red)</figcaption></figure>' for c in found)
    if ev["problem"]:
        return f'<p class="note">{escape(ev["problem"])}</p>'
    if crops.evidence_kind(ev["report"]["detected_format"]) == "printed_row":
        return '<p class="note">该格式没有页面版式，下表为原文所印的行 (no page geometry: the rows as printed)</p>'
    if ev["left_out"]:
        return (f'<p class="note">截图已省略：本文件最多{crops.MAX_CROPS_PER_REPORT}张，另有{ev["left_out"]}张未生成 '
                f'(crop left out: at most {crops.MAX_CROPS_PER_REPORT} per file, {ev["left_out"]} left out)</p>')
    return '<p class="note">涉及的单元格没有位置信息 (the cells involved have no position)</p>'


# ---- offices ----------------------------------------------------------------------------------

def offices_section(audit: Audit) -> str:
    parts = ['<section id="offices">', heading("各机关", "offices")]
    parts += [office_section(audit, key, name, region) for key, name, region in offices(audit)]
    parts.append("</section>")
    return "".join(parts)


def office_section(audit: Audit, key: str, name: str, region: str) -> str:
    reports = audit.reports[audit.reports["office_key"] == key]
    findings = audit.findings[audit.findings["office_key"] == key]
    panel = audit.panel[audit.panel["office_id"] == key] if key else audit.panel.iloc[0:0]
    years = sorted({_year(y) for y in reports["year"]} - {""})
    parts = [f'<section class="office" id="{office_anchor(key)}" data-region="{escape(region)}" '
             f'data-years="{" ".join(years)}">',
             f'<h3>{escape(name)} <span class="en">{escape(key)} · {escape(region)}</span></h3>',
             timeline(panel), office_reports(reports, findings), office_findings(findings), year_over_year(panel, key),
             "</section>"]
    return "".join(parts)


def timeline(panel: pd.DataFrame) -> str:
    """Small line charts of the key figures (figures.csv) over the office's years."""
    if panel.empty:
        return ""
    rows = panel.sort_values("year")
    if len(rows) == 1:
        return one_year_figures(rows.iloc[0])
    out = ['<div class="charts">']
    for fig in table("figures.csv"):
        if fig["column"] not in rows.columns:
            continue
        points = [(int(y), None if pd.isna(v) else float(v)) for y, v in zip(rows["year"], rows[fig["column"]])]
        out.append(charts.line_chart(points, f'{fig["zh"]} {fig["en"]}', percent=fig["kind"] == "share"))
    out.append("</div>")
    return "".join(out)


def one_year_figures(row) -> str:
    """The key figures of an office with a single year: a line of numbers, not charts of one point."""
    cells = []
    for fig in table("figures.csv"):
        v = row.get(fig["column"])
        text = "–" if v is None or pd.isna(v) else (f"{v * 100:.1f}%" if fig["kind"] == "share" else format_value(v))
        cells.append(f'<th>{escape(fig["zh"])}<br><span class="en">{escape(fig["en"])}</span></th><td class="num">{text}</td>')
    return f'<table class="figures"><caption>{int(row["year"])}</caption><tr>{"".join(cells)}</tr></table>'


def office_reports(reports: pd.DataFrame, findings: pd.DataFrame) -> str:
    """The office's files: year, form, status and completeness, and their findings by severity."""
    counts = findings.groupby(["report_id", "severity"]).size()
    statuses = {s["status"]: s for s in table("statuses.csv")}
    rows = []
    for r in reports.sort_values(["year", "source"], kind="mergesort").itertuples():
        st = statuses.get(r.status, {"zh": r.status, "en": r.status})
        done = f"{format_value(r.cells_found)}/{format_value(r.cells_expected)}" if not pd.isna(r.cells_expected) else "–"
        n = {s: int(counts.get((r.report_id, s), 0)) for s in severity_names()}
        rows.append(f'<tr data-report="{escape(r.report_id)}"><td>{_year(r.year)}</td><td>{escape(r.source)}</td>'
                    f'<td>{escape(_text(r.detected_format))}</td>'
                    f'<td class="st-{escape(r.status)}">{escape(st["zh"])} {escape(st["en"])}</td>'
                    f'<td class="num">{done}</td><td>{"✓" if r.canonical == True else ""}</td>'  # noqa: E712
                    + "".join(f'<td class="num">{n[s]}</td>' for s in severity_names()) + "</tr>")
    sev_heads = "".join(f'<th>{escape(s["zh"])}<br><span class="en">{escape(s["en"])}</span></th>'
                        for s in severity_names().values())
    return ('<table><thead><tr><th>年度 year</th><th>文件 file</th><th>格式 form</th><th>状态 status</th>'
            f'<th>单元格 cells found/expected</th><th>规范 canonical</th>{sev_heads}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def office_findings(findings: pd.DataFrame) -> str:
    """Every error and warning of the office (a link to its evidence); the others are counted,
    they are listed in the section kept apart."""
    review = findings[findings["severity"].isin(review_severities())]
    apart = len(findings) - len(review)
    rows = "".join(f'<tr {finding_attrs(f)}><td>{badge(f["severity"])}</td><td>{_year(f["year"])}</td>'
                   f'<td><a href="#{f["finding_id"]}"><code>{escape(f["flag"])}</code></a></td>'
                   f'<td>{escape(f["source"])}</td><td>{escape(_text(f["message_zh"]))}</td></tr>'
                   for f in review.to_dict("records"))
    table_html = ('<table><thead><tr><th>严重程度 severity</th><th>年度 year</th><th>发现 finding</th><th>文件 file</th>'
                  f'<th>说明 message</th></tr></thead><tbody>{rows}</tbody></table>') if rows else "<p>无错误或警告 (no errors or warnings).</p>"
    return (table_html + f'<p class="note">另有 {apart} 条无法核对或提示，见 <a href="#apart">无法核对与提示</a> '
            f'({apart} unverifiable or info findings, listed apart).</p>')


def year_over_year(panel: pd.DataFrame, key: str) -> str:
    """Two consecutive years' tables side by side (each column of the table as the two years'
    values next to each other), cells that changed highlighted; a select picks the pair."""
    years = sorted(int(y) for y in panel["year"].dropna())
    pairs = list(zip(years, years[1:]))
    if not pairs:
        return ""
    box = "yoy-" + office_anchor(key)
    by_year = {int(r["year"]): r for r in panel.to_dict("records")}
    opts = "".join(f'<option value="{a}-{b}"{" selected" if i == len(pairs) - 1 else ""}>{a} → {b}</option>'
                   for i, (a, b) in enumerate(pairs))
    parts = [f'<details class="yoybox"><summary>同比 year over year ({len(pairs) + 1} 年 years)</summary>'
             f'<p><label>年度 years <select data-yoy="{box}">{opts}</select></label> '
             '<span class="en">(黄色为有变化的单元格 changed cells in yellow; / 该年格式没有此单元格 '
             'not in that year\'s format)</span></p><div id="' + box + '">']
    for i, (a, b) in enumerate(pairs):
        hidden = "" if i == len(pairs) - 1 else " hidden"
        parts.append(f'<div data-pair="{a}-{b}"{hidden}><p class="note">{a}: {escape(_text(by_year[a].get("source")))} · '
                     f'{b}: {escape(_text(by_year[b].get("source")))}（规范文件 canonical documents）</p>')
        for t in layout.tables():
            parts.append(f'<h4>{escape(layout.title(t))} <span class="en">{escape(layout.title(t, "en"))}</span></h4>'
                         + yoy_table(t, by_year[a], by_year[b]))
        parts.append("</div>")
    parts.append("</div></details>")
    return "".join(parts)


def _format_of(row: dict):
    fmt = row.get("format_version")
    return fmt if fmt in layout.FORMATS else None


def yoy_table(t: str, before: dict, after: dict) -> str:
    """Table `t` of two years from the panel: per column, the earlier and the later year's value;
    both are highlighted where they differ. Rows and columns of both formats, in printed order."""
    fa, fb = _format_of(before), _format_of(after)
    has = [layout.cells_of(f) if f else None for f in (fa, fb)]
    formats = tuple(f for f in (fa, fb) if f)
    rows = layout.rows_of(t) if len(set(formats)) != 1 else layout.rows_of(t, formats[0])
    cols = layout.cols_of(t) if len(set(formats)) != 1 else layout.cols_of(t, formats[0])
    ya, yb = int(before["year"]), int(after["year"])
    head1 = "".join(f'<th colspan="2">{escape(labels.canonical_label(t, "col", c))}</th>' for c in cols)
    head2 = "".join(f"<th>{ya}</th><th>{yb}</th>" for _ in cols)
    body = []
    for r in rows:
        if not any(h is None or (t, r, c) in h for c in cols for h in has):
            continue
        tds = []
        for c in cols:
            column = f"{t}__{r}__{c}"
            present = [h is None or (t, r, c) in h for h in has]
            values = [before.get(column), after.get(column)]
            changed = all(present) and _differs(*values)
            for ok, v in zip(present, values):    # compact cells: a dataset has many office-years
                tds.append('<td class="absent">/</td>' if not ok else
                           f'<td class="changed">{escape(format_value(v))}</td>' if changed else
                           f"<td>{escape(format_value(v))}</td>")
        body.append(f"<tr><th>{escape(labels.canonical_label(t, 'row', r))}</th>{''.join(tds)}</tr>")
    return (f'<div class="yoy"><table><thead><tr><th rowspan="2"></th>{head1}</tr><tr>{head2}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _differs(a, b) -> bool:
    na, nb = a is None or pd.isna(a), b is None or pd.isna(b)
    return na != nb or (not na and float(a) != float(b))


# ---- unverifiable and info, apart ---------------------------------------------------------------

def apart_section(audit: Audit) -> str:
    """Unverifiable and info findings, collapsed: one row per file and rule (a relation that cannot
    be checked is usually so at many columns at once), with where and the first message."""
    f = audit.findings
    apart = f[~f["severity"].isin(review_severities())]
    rows = []
    for _, group in apart.groupby(["office_key", "year", "source", "severity", "rule"], sort=True, dropna=False):
        x = group.iloc[0]
        where = ", ".join(sorted(set(group["location"].map(_text))))
        rows.append(f'<tr {finding_attrs(x)} data-n="{len(group)}"><td>{badge(x["severity"])}</td>'
                    f'<td><a href="#{office_anchor(x["office_key"])}">{escape(_text(x["office"]))}</a></td>'
                    f'<td>{_year(x["year"])}</td><td>{escape(x["source"])}</td><td><code>{escape(x["rule"])}</code></td>'
                    f'<td class="num">{len(group)}</td><td>{escape(where)}</td>'
                    f'<td>{escape(_text(x["message_zh"]))}<br><span class="en">{escape(_text(x["message_en"]))}</span></td></tr>')
    return ('<section id="apart">' + heading("无法核对与提示", "unverifiable and info findings")
            + '<p class="note">无法核对：某个运算项为空白、不适用、文字或缺失，关系无法验证（不是错误）。'
              'Unverifiable: an operand is blank, na, text or missing, so the relation cannot be checked (not an error). '
              f'{len(apart)} 条，每个文件每条规则一行 (one row per file and rule; the first message shown).</p>'
            + f'<details id="apart-box"><summary>展开 show <span class="count" data-count-of="apart-list"></span></summary>'
              '<table class="apart"><thead><tr><th>严重程度 severity</th><th>机关 office</th><th>年度 year</th><th>文件 file</th>'
              '<th>规则 rule</th><th>次数 n</th><th>位置 where</th><th>说明（第一条）first message</th></tr></thead>'
              f'<tbody id="apart-list">{"".join(rows)}</tbody></table></details></section>')


def main_progress(msg: str) -> None:
    print(f"ogi report: {msg}", file=sys.stderr)
