"""The overview: files read and their status, errors by rule and by region, what the rules
found mean, the offices with most errors, the files that could not be read."""
from __future__ import annotations

from html import escape

import pandas as pd

from pipeline.outputs.report import charts
from pipeline.outputs.report.data import Audit, offices, table
from pipeline.outputs.report.parts import (
    badge,
    heading,
    office_anchor,
    review_severities,
    rule_text,
    severity_names,
    text_of,
)

TOP_OFFICES = 10


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
    rows = "".join(f'<tr data-report="{escape(r.report_id)}"><td>{escape(r.source)}</td><td>{escape(text_of(r.error))}</td></tr>'
                   for r in failed.itertuples())
    return (heading("未能读取的文件", "files that could not be read", 3)
            + f'<table><thead><tr><th>文件 file</th><th>原因 why</th></tr></thead><tbody>{rows}</tbody></table>')
