"""A section per office: its key figures over the years (panel.parquet), its files and their
completeness, its errors and warnings, and the year-over-year view of its tables."""
from __future__ import annotations

from html import escape

import pandas as pd

from pipeline.formats import labels, layout
from pipeline.outputs.report import charts
from pipeline.outputs.report.data import Audit, format_value, offices, table
from pipeline.outputs.report.parts import (
    badge,
    finding_attrs,
    heading,
    office_anchor,
    review_severities,
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
    findings = audit.findings[audit.findings["office_key"] == key]
    panel = audit.panel[audit.panel["office_id"] == key] if key else audit.panel.iloc[0:0]
    years = sorted({year_text(y) for y in reports["year"]} - {""})
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
        rows.append(f'<tr data-report="{escape(r.report_id)}"><td>{year_text(r.year)}</td><td>{escape(r.source)}</td>'
                    f'<td>{escape(text_of(r.detected_format))}</td>'
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
    rows = "".join(f'<tr {finding_attrs(f)}><td>{badge(f["severity"])}</td><td>{year_text(f["year"])}</td>'
                   f'<td><a href="#{f["finding_id"]}"><code>{escape(f["flag"])}</code></a></td>'
                   f'<td>{escape(f["source"])}</td><td>{escape(text_of(f["message_zh"]))}</td></tr>'
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
        parts.append(f'<div data-pair="{a}-{b}"{hidden}><p class="note">{a}: {escape(text_of(by_year[a].get("source")))} · '
                     f'{b}: {escape(text_of(by_year[b].get("source")))}（规范文件 canonical documents）</p>')
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
