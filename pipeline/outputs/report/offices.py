"""A section per office: its key figures over the years (panel.parquet), its files and their
completeness, its findings (one per report), and the office across its years with Δ and % —
every year it reported, before 2019 included (the statistics table of those years, and the
indicators that run across the formats)."""
from __future__ import annotations

from html import escape

import pandas as pd

from pipeline.outputs.names import rule_name, value_name
from pipeline.outputs.report import charts
from pipeline.outputs.report.comparisons import office_years_table
from pipeline.outputs.report.data import Audit, format_value, offices, table
from pipeline.outputs.report.parts import (
    badge,
    finding_attrs,
    heading,
    level_text,
    office_anchor,
    review_severities,
    scroll,
    severity_names,
    text_of,
    year_text,
)


def offices_section(audit: Audit) -> str:
    parts = ['<section id="offices">', heading("各机关", "offices")]
    parts += [office_section(audit, key, name, region) for key, name, region in offices(audit)]
    parts.append("</section>")
    return "".join(parts)


def office_section(audit: Audit, key: str, name: str, region: str) -> str:
    reports = audit.reports[audit.reports["office_key"] == key]
    findings = audit.counted[audit.counted["office_key"] == key]
    panel = audit.panel[audit.panel["office_id"] == key] if key else audit.panel.iloc[0:0]
    years = sorted({year_text(y) for y in reports["year"]} - {""})
    level = reports["level"].dropna()
    level = level.iloc[0] if len(level) else None
    parts = [f'<section class="office" id="{office_anchor(key)}" data-region="{escape(region)}" '
             f'data-years="{" ".join(years)}" data-level="{escape(text_of(level))}" data-office="{escape(key)}">',
             f'<h3>{escape(name)} <span class="en" title="{escape(key)}">{escape(region)}'
             + (f' · {escape(level_text(level))}' if level else "") + "</span></h3>",
             timeline(panel), office_reports(reports, audit.findings), office_findings(findings),
             office_years_table(audit, key), "</section>"]
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
        if all(v is None for _, v in points):
            continue
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
    return scroll(f'<table class="figures"><caption>{int(row["year"])}</caption><tr>{"".join(cells)}</tr></table>')


def office_reports(reports: pd.DataFrame, findings: pd.DataFrame) -> str:
    """The office's files: year, form, status and completeness, whether it is the report's
    canonical form, and its own findings by severity."""
    counts = findings.groupby(["report_id", "severity"]).size()
    rows = []
    for r in reports.sort_values(["year", "canonical", "source"], ascending=[True, False, True],
                                 kind="mergesort").itertuples():
        done = f"{format_value(r.cells_found)}/{format_value(r.cells_expected)}" if not pd.isna(r.cells_expected) else "–"
        n = {s: int(counts.get((r.report_id, s), 0)) for s in severity_names()}
        rows.append(f'<tr data-report="{escape(r.report_id)}"><td>{year_text(r.year)}</td><td>{escape(r.source)}</td>'
                    f'<td>{escape(value_name("detected_format", r.detected_format))}</td>'
                    f'<td>{escape(value_name("format_version", r.format_version))}</td>'
                    f'<td class="st-{escape(r.status)}">{escape(value_name("status", r.status))}</td>'
                    f'<td class="num">{done}</td><td>{"✓" if r.canonical else ""}</td>'
                    + "".join(f'<td class="num">{n[s]}</td>' for s in severity_names()) + "</tr>")
    sev_heads = "".join(f'<th>{escape(s["zh"])}<br><span class="en">{escape(s["en"])}</span></th>'
                        for s in severity_names().values())
    return scroll('<table class="files"><thead><tr><th>年度 year</th><th>文件 file</th><th>形式 form</th><th>格式 format</th>'
                  '<th>状态 status</th><th>单元格 cells read/expected</th><th>主文件 canonical</th>'
                  f'{sev_heads}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def office_findings(findings: pd.DataFrame) -> str:
    """Every error and warning of the office, once per report (a link to its card); the others
    are counted, they are listed in the section kept apart."""
    review = findings[findings["severity"].isin(review_severities())]
    apart = len(findings) - len(review)
    rows = "".join(f'<tr {finding_attrs(f)}><td>{badge(f["severity"])}</td><td>{year_text(f["year"])}</td>'
                   f'<td><a href="#{f["finding_id"]}" title="{escape(f["flag"])}">{escape(rule_name(f["rule"]))}</a></td>'
                   f'<td>{escape(text_of(f["message_zh"]))}</td></tr>'
                   for f in review.to_dict("records"))
    table_html = (scroll('<table><thead><tr><th>严重程度 severity</th><th>年度 year</th><th>发现 finding</th>'
                         f'<th>说明 message</th></tr></thead><tbody>{rows}</tbody></table>') if rows
                  else "<p>无错误或警告 (no errors or warnings).</p>")
    return (table_html + f'<p class="note">另有 {apart} 条无法核对或提示，见 <a href="#apart">无法核对与提示</a> '
            f'({apart} unverifiable or info findings, listed apart).</p>')
