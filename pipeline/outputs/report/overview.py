"""The overview: reports and files read and their status, errors by rule and by region, what the
rules found mean, the offices with most errors, the files that could not be read.

Everything here counts reports, not files (a report published as a PDF and a web page is one
report, its errors counted once: data.py), and follows the filter bar: audit.js counts the
findings and reports of the page's data island again for each choice of region, year, level,
rule and severity, and redraws the numbers, the bars and the ranking. What Python writes is the
view with no filter, so the page reads the same without the script and on paper.
"""
from __future__ import annotations

from html import escape

import pandas as pd

from pipeline.outputs.names import rule_name, value_name
from pipeline.outputs.report import charts
from pipeline.outputs.report.data import Audit, offices, table
from pipeline.outputs.report.parts import (
    badge,
    heading,
    level_text,
    office_anchor,
    review_severities,
    rule_label,
    rule_text,
    scroll,
    severity_names,
    text_of,
)

TOP_OFFICES = 10


def overview(audit: Audit) -> str:
    docs, counted, files = audit.documents, audit.counted, audit.reports
    statuses = [s["status"] for s in table("statuses.csv")]
    by_status = docs["status"].value_counts()
    sev = counted["severity"].value_counts()
    cards = [("reports", "报告", "reports (office-years)", len(docs)),
             ("files", "文件", "files read", len(files)),
             ("offices", "机关", "offices", docs.loc[docs.office_key != "", "office_key"].nunique())]
    cards += [(f"status-{k}", value_name("status", k), value_name("status", k, "en"), int(by_status.get(k, 0)))
              for k in statuses]
    cards += [(f"severity-{k}", n["zh"], n["en"], int(sev.get(k, 0))) for k, n in severity_names().items()]
    errors = counted[counted["severity"] == "error"]
    by_rule = [(rule_name(k), v, None, k) for k, v in _ranked(errors["rule"])]
    by_region = [(k, v, None, k) for k, v in _ranked(errors["region"])]
    colours = {s["status"]: s["colour"] for s in table("statuses.csv")}
    status_bars = [(value_name("status", k), int(by_status.get(k, 0)), colours[k], k) for k in statuses]
    parts = ['<section id="overview">', heading("概览", "overview"),
             '<p class="note">一份报告（同一机关同一年度）常以多个文件发布（PDF、网页、Word…），这里每份报告只计一次，'
             '以其主文件为准。One report published in several forms counts once, as its canonical form '
             '(the one panel.parquet uses).</p><div class="cards">']
    parts += [f'<div class="stat" data-stat="{k}"><b>{n}</b>{escape(zh)} <span class="en">{escape(en)}</span></div>'
              for k, zh, en, n in cards]
    parts.append('</div><div class="charts">')
    parts.append(f'<div>{heading("报告状态", "reports by status", 3)}'
                 f'{charts.bar_chart(status_bars, "reports by status", chart="status")}</div>')
    parts.append(f'<div>{heading("错误（按规则）", "errors by rule", 3)}'
                 f'{charts.bar_chart(by_rule, "errors by rule", chart="rule")}</div>')
    parts.append(f'<div>{heading("错误（按地区）", "errors by region (province)", 3)}'
                 f'{charts.bar_chart(by_region, "errors by region", chart="region")}</div></div>')
    parts.append(rules_found(counted))
    parts.append(top_offices(audit))
    parts.append(failed_files(audit))
    parts.append("</section>")
    return "".join(parts)


def _ranked(series: pd.Series) -> list:
    """(value, count) by count, then value: a stable order for equal counts."""
    counts = series.fillna("").value_counts()
    return sorted(((k, int(v)) for k, v in counts.items()), key=lambda kv: (-kv[1], kv[0]))


def rules_found(findings: pd.DataFrame) -> str:
    """What each rule with errors or warnings means, and how often it was found."""
    review = findings[findings["severity"].isin(review_severities())]
    counts = review.groupby(["rule", "severity"]).size()
    rows = "".join(f'<tr data-rule-row="{escape(rule)}" data-severity="{escape(sev)}"><td>{rule_label(rule)}</td>'
                   f'<td>{badge(sev)}</td><td class="num" data-n>{n}</td>'
                   f'<td>{escape(rule_text(rule)[0])}<br><span class="en">{escape(rule_text(rule)[1])}</span></td></tr>'
                   for (rule, sev), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    if not rows:
        return ""
    return (heading("规则说明", "what the rules found mean", 3)
            + scroll('<table id="rules-found"><thead><tr><th>规则 rule</th><th>严重程度 severity</th>'
                     f'<th>报告数 found</th><th>含义 meaning</th></tr></thead><tbody>{rows}</tbody></table>'))


def top_offices(audit: Audit) -> str:
    """Every office with errors, most first; the page shows the first TOP_OFFICES of the filtered
    counts (a year, a level, a region: audit.js ranks them again)."""
    errors = audit.counted[(audit.counted["severity"] == "error") & (audit.counted["office_key"] != "")]
    title = heading("错误最多的机关", "offices with most errors", 3)
    if errors.empty:
        return title + "<p>无错误 (no errors).</p>"
    every = errors.groupby("office_key").size()
    names = {k: (n, reg) for k, n, reg in offices(audit)}
    levels = audit.reports.drop_duplicates("office_key").set_index("office_key")["level"]
    ranked = sorted(every.items(), key=lambda kv: (-kv[1], kv[0]))
    rows = "".join(f'<tr data-office-row="{escape(k)}"{"" if i < TOP_OFFICES else " hidden"}>'
                   f'<td><a href="#{office_anchor(k)}">{escape(names[k][0])}</a></td><td>{escape(names[k][1])}</td>'
                   f'<td>{escape(level_text(levels.get(k)))}</td><td class="num" data-n>{n}</td></tr>'
                   for i, (k, n) in enumerate(ranked))
    return (title + '<p class="note">按筛选条件（年度、层级、地区…）重新排名，显示前' + str(TOP_OFFICES)
            + '名 (ranked again under the filters; the first ' + str(TOP_OFFICES) + ' shown).</p>'
            + scroll('<table id="top-offices"><thead><tr><th>机关 office</th><th>地区 region</th><th>层级 level</th>'
                     f'<th>错误 errors</th></tr></thead><tbody>{rows}</tbody></table>'))


def failed_files(audit: Audit) -> str:
    failed = audit.reports[audit.reports["status"] == "failed"]
    if failed.empty:
        return ""
    rows = "".join(f'<tr data-report="{escape(r.report_id)}"><td>{escape(r.source)}</td><td>{escape(text_of(r.error))}</td></tr>'
                   for r in failed.itertuples())
    return (heading("未能读取的文件", "files that could not be read", 3)
            + scroll(f'<table><thead><tr><th>文件 file</th><th>原因 why</th></tr></thead><tbody>{rows}</tbody></table>'))
