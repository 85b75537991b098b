"""The findings: every error and warning as a card with its evidence (crops, rows as printed,
corrections.csv lines), and the unverifiable and info findings apart, collapsed."""
from __future__ import annotations

from html import escape

import pandas as pd

from pipeline.outputs.report import crops, evidence
from pipeline.outputs.report.data import Audit
from pipeline.outputs.report.parts import (
    badge,
    finding_attrs,
    heading,
    office_anchor,
    review_severities,
    rule_text,
    text_of,
    year_text,
)


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
    office = text_of(f["office"]) or "(未识别机关 office not identified)"
    parts = [f'<article class="{cls}" id="{f["finding_id"]}" {finding_attrs(f)}>',
             f'<div>{badge(f["severity"])} <code>{escape(f["flag"])}</code> · '
             f'<a href="#{office_anchor(f["office_key"])}">{escape(office)}</a> · {year_text(f["year"]) or "年度不明"} · '
             f'{escape(f["source"])} <span class="en">({escape(text_of(f["detected_format"]))})</span></div>',
             f'<p class="note">规则 rule: {escape(rule_text(f["rule"])[0])} — {escape(rule_text(f["rule"])[1])}</p>',
             f'<p class="msg">{escape(text_of(f["message_zh"]))}</p>',
             f'<p class="msg en">{escape(text_of(f["message_en"]))}</p>',
             '<div class="ef">',
             f'<span>应为 expected</span><b>{escape(text_of(f["expected"]))}</b>',
             f'<span>实际 found</span><b>{escape(text_of(f["found"]))}</b>']
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


def apart_section(audit: Audit) -> str:
    """Unverifiable and info findings, collapsed: one row per file and rule (a relation that cannot
    be checked is usually so at many columns at once), with where and the first message."""
    f = audit.findings
    apart = f[~f["severity"].isin(review_severities())]
    rows = []
    for _, group in apart.groupby(["office_key", "year", "source", "severity", "rule"], sort=True, dropna=False):
        x = group.iloc[0]
        where = ", ".join(sorted(set(group["location"].map(text_of))))
        rows.append(f'<tr {finding_attrs(x)} data-n="{len(group)}"><td>{badge(x["severity"])}</td>'
                    f'<td><a href="#{office_anchor(x["office_key"])}">{escape(text_of(x["office"]))}</a></td>'
                    f'<td>{year_text(x["year"])}</td><td>{escape(x["source"])}</td><td><code>{escape(x["rule"])}</code></td>'
                    f'<td class="num">{len(group)}</td><td>{escape(where)}</td>'
                    f'<td>{escape(text_of(x["message_zh"]))}<br><span class="en">{escape(text_of(x["message_en"]))}</span></td></tr>')
    return ('<section id="apart">' + heading("无法核对与提示", "unverifiable and info findings")
            + '<p class="note">无法核对：某个运算项为空白、不适用、文字或缺失，关系无法验证（不是错误）。'
              'Unverifiable: an operand is blank, na, text or missing, so the relation cannot be checked (not an error). '
              f'{len(apart)} 条，每个文件每条规则一行 (one row per file and rule; the first message shown).</p>'
            + f'<details id="apart-box"><summary>展开 show <span class="count" data-count-of="apart-list"></span></summary>'
              '<table class="apart"><thead><tr><th>严重程度 severity</th><th>机关 office</th><th>年度 year</th><th>文件 file</th>'
              '<th>规则 rule</th><th>次数 n</th><th>位置 where</th><th>说明（第一条）first message</th></tr></thead>'
              f'<tbody id="apart-list">{"".join(rows)}</tbody></table></details></section>')
