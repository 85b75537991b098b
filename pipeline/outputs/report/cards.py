"""The findings: every error and warning as a card with its evidence (crops, rows as printed,
the other forms' values where they differ, the corrections editor), the unverifiable and info
findings apart (collapsed), and the cells a reviewer corrected.

A card is one finding of one report (data.py): shown on the canonical form, saying which other
forms carry it too."""
from __future__ import annotations

from html import escape

import pandas as pd

from pipeline.formats import layout
from pipeline.formats.labels import axis_name, code_name
from pipeline.outputs.names import value_name
from pipeline.outputs.report import crops, evidence
from pipeline.outputs.report.data import Audit
from pipeline.outputs.report.parts import (
    badge,
    finding_attrs,
    heading,
    level_text,
    office_anchor,
    review_severities,
    rule_label,
    rule_text,
    scroll,
    text_of,
    year_text,
)


def _review(audit: Audit) -> pd.DataFrame:
    f = audit.counted
    return f[f["severity"].isin(review_severities())]


def collect_evidence(audit: Audit) -> dict:
    """Per file a card is shown on: its cells by code, the crops of its findings, how many crops
    were left out, why none could be made, and the cells of the report's other forms."""
    review = _review(audit)
    reports = audit.reports.drop_duplicates("report_id").set_index("report_id", drop=False)
    shown_on = set(review["report_id"].dropna())
    groups = set(reports.loc[reports.index.isin(shown_on), "group_key"])
    members = reports[reports["group_key"].isin(groups) & reports["duplicate_of"].isna()]
    cells = audit.cells[audit.cells["report_id"].isin(set(members["report_id"]))]
    by_report = {rid: {evidence.code_of(c): c for c in group.to_dict("records")}
                 for rid, group in cells.groupby("report_id", sort=True)}
    out = {}
    for rid, group in review[review["report_id"].notna()].groupby("report_id", sort=True):
        report = reports.loc[rid]
        by_code = by_report.get(rid, {})
        found, left_out, problem = crops.crops_for_report(report, group.to_dict("records"), by_code)
        forms = members[members["group_key"] == report["group_key"]].sort_values(["canonical", "source"],
                                                                                  ascending=[False, True])
        out[rid] = {"report": report, "cells": list(by_code.values()), "by_code": by_code, "crops": found,
                    "left_out": left_out, "problem": problem,
                    "forms": [(rid, report["source"], by_code)]
                    + [(r.report_id, r.source, by_report.get(r.report_id, {})) for r in forms.itertuples()
                       if r.report_id != rid]}
    return out


def evidence_section(audit: Audit, data: dict) -> str:
    review = _review(audit)
    parts = ['<section id="evidence">', heading("错误与警告及其证据", "errors and warnings, with their evidence"),
             '<p>显示 shown <span class="count" data-count-of="evidence-list"></span>。'
             '每张卡片是一份报告的一项发现（同一报告的各个文件只算一次）。'
             '<span class="en">Each card is one finding of one report (the forms of a report count once).</span></p>',
             '<div class="fixbar"><label>审核人 reviewer <input id="fix-who" type="text" autocomplete="name"></label> '
             '<button type="button" data-copy="visible">复制所有改动的更正行 copy every changed line</button> '
             '<span id="fix-status" class="note" role="status"></span></div>',
             f'<textarea id="all-corrections" class="corr" rows="3" readonly '
             f'data-header="{escape(evidence.correction_header())}" '
             'placeholder="在卡片中改正数值后点击上面的按钮，再粘贴到 corrections.csv (correct values in the cards, click '
             'the button, paste into corrections.csv)"></textarea>',
             '<div id="evidence-list">']
    for row in review.to_dict("records"):
        parts.append(finding_card(row, data.get(row["report_id"])) if row["report_id"] in data
                     else file_card(row))
    parts.append("</div></section>")
    return "".join(parts)


def readable(text: str, f: dict) -> str:
    """An expected or found value as people read it: a list of row or column codes of the
    finding's table (structure.missing_rows: `rules normative_docs`) as their labels; anything
    else as it is."""
    tokens = text.split()
    if not tokens:
        return text
    tables = {str(f["location"]).split(".")[0]} | {evidence.split_code(c)[0] for c in evidence.involved(f["cells"])}
    names = []
    for tok in tokens:
        if tok.count(".") >= 2 and tok.split(".")[0] in layout.all_tables():
            names.append(code_name(tok))                 # a cell
            continue
        name = next((axis_name(t, axis, tok) for t in sorted(tables) if t in layout.all_tables()
                     for axis in ("row", "col") if tok in _codes(t, axis)), None)
        if name is None:
            return text
        names.append(name)
    return "、".join(names)


def _codes(table: str, axis: str) -> tuple:
    fmt = layout.LEGACY if table == layout.LEGACY else None
    return layout.rows_of(table, fmt) if axis == "row" else layout.cols_of(table, fmt)


def _title(f: dict) -> str:
    office = text_of(f["office"]) or "(未识别机关 office not identified)"
    where = (f'<a href="#{office_anchor(f["office_key"])}">{escape(office)}</a>' if f["office_key"] else escape(office))
    level = level_text(f["level"])
    return (f'<div class="head">{badge(f["severity"])} {rule_label(f["rule"])}</div>'
            f'<div class="who">{where} · {year_text(f["year"]) or "年度不明 year unknown"}'
            + (f' · {escape(level)}' if level else "") + "</div>")


def _forms_line(f: dict) -> str:
    src = escape(text_of(f["source"]))
    fmt = value_name("detected_format", f["detected_format"])
    main = "（主文件 canonical form）" if f["canonical"] else ""
    others = list(f["forms"] or ())
    also = (f'；另有 {len(others)} 个文件相同 <span class="en">also in {len(others)} other form'
            f'{"s" if len(others) != 1 else ""}</span>: <span class="forms-list">{escape("、".join(others))}</span>'
            if others else "")
    return f'<p class="src">文件 file: {src} <span class="en">({escape(fmt)})</span>{main}{also}</p>'


def finding_card(f: dict, ev: dict) -> str:
    report = ev["report"]
    codes = evidence.involved(f["cells"])
    paged = crops.evidence_kind(report["detected_format"]) != "printed_row"
    parts = [f'<article class="finding-card {escape(f["severity"])}" id="{f["finding_id"]}" {finding_attrs(f)}>',
             _title(f), _forms_line(f),
             f'<p class="msg">{escape(text_of(f["message_zh"]))}</p>',
             f'<p class="msg en">{escape(text_of(f["message_en"]))}</p>',
             '<div class="ef">',
             f'<span>应为 expected</span><b>{escape(readable(text_of(f["expected"]), f))}</b>',
             f'<span>实际 found</span><b>{escape(readable(text_of(f["found"]), f))}</b>']
    if paged and f["page"] is not None and not pd.isna(f["page"]):
        parts.append(f'<span>页 page</span><span>{int(f["page"])}</span>')
    parts.append("</div>")
    if codes:
        parts.append('<ul class="cells">' + "".join(
            f'<li title="{escape(c)}">{escape(zh)} <span class="en">{escape(en)}</span></li>'
            for c, (zh, en) in ((c, evidence.cell_label(c)) for c in codes)) + "</ul>")
    parts.append(evidence_images(f, ev))
    parts.append(evidence.printed_rows(ev["cells"], codes))
    parts.append(evidence.forms_table(codes, [(src, cells) for _, src, cells in ev["forms"]]))
    if codes:
        parts.append(evidence.fix_editor(report, codes, ev["by_code"], "c-" + f["finding_id"]))
    parts.append("</article>")
    return "".join(parts)


def file_card(f: dict) -> str:
    """A finding about no document (a line of the corrections file)."""
    return (f'<article class="finding-card {escape(f["severity"])}" id="{f["finding_id"]}" {finding_attrs(f)}>'
            f'<div class="head">{badge(f["severity"])} {rule_label(f["rule"])}</div>'
            f'<p class="src">文件 file: {escape(text_of(f["source"]))}</p>'
            f'<p class="msg">{escape(text_of(f["message_zh"]))}</p><p class="msg en">{escape(text_of(f["message_en"]))}</p>'
            "</article>")


def evidence_images(f: dict, ev: dict) -> str:
    """The crops of a finding, or a sentence saying why there are none."""
    found = ev["crops"].get(f["finding_id"])
    if not evidence.involved(f["cells"]):
        return ""                                   # about a section, a table or the file: no cell to show
    if found:
        return "".join(f'<figure class="crop"><button type="button" class="zoom" title="放大 enlarge">'
                       f'<img src="{c.data_uri}" width="{c.shown_width}" height="{c.shown_height}" '
                       f'alt="第{c.page}页截图 crop of page {c.page}"></button><figcaption class="note">第{c.page}页 page '
                       f'{c.page}：表头与涉及的行，红框为涉及的单元格；点击放大 (the table\'s header and the rows involved, '
                       'cells outlined in red; click to enlarge)</figcaption></figure>' for c in found)
    if ev["problem"]:
        return f'<p class="note">{escape(ev["problem"])}</p>'
    if crops.evidence_kind(ev["report"]["detected_format"]) == "printed_row":
        return '<p class="note">该格式没有页面，下表为原文所印的行 (no pages in this form: the rows as printed)</p>'
    if ev["left_out"]:
        return (f'<p class="note">截图已省略：本文件最多{crops.MAX_CROPS_PER_REPORT}张，另有{ev["left_out"]}张未生成 '
                f'(crop left out: at most {crops.MAX_CROPS_PER_REPORT} per file, {ev["left_out"]} left out)</p>')
    return '<p class="note">涉及的单元格没有位置信息 (the cells involved have no position)</p>'


def apart_section(audit: Audit) -> str:
    """Unverifiable and info findings, collapsed: one row per report, form and rule (a relation
    that cannot be checked is usually so at many columns at once), with where and the first
    message."""
    f = audit.counted
    apart = f[~f["severity"].isin(review_severities())]
    rows = []
    for _, group in apart.groupby(["office_key", "year", "source", "severity", "rule"], sort=True, dropna=False):
        x = group.iloc[0]
        where = "、".join(sorted({readable(text_of(loc), x) for loc in group["location"]}))
        office = (f'<a href="#{office_anchor(x["office_key"])}">{escape(text_of(x["office"]))}</a>' if x["office_key"]
                  else escape(text_of(x["office"])))
        rows.append(f'<tr {finding_attrs(x)} data-n="{len(group)}"><td>{badge(x["severity"])}</td>'
                    f'<td>{office}</td><td>{year_text(x["year"])}</td><td>{escape(x["source"])}</td>'
                    f'<td>{rule_label(x["rule"])}</td><td class="num">{len(group)}</td><td>{escape(where)}</td>'
                    f'<td>{escape(text_of(x["message_zh"]))}<br><span class="en">{escape(text_of(x["message_en"]))}</span></td></tr>')
    return ('<section id="apart">' + heading("无法核对与提示", "unverifiable and info findings")
            + '<p class="note">无法核对：某个运算项为空白、不适用、文字或缺失，关系无法验证（不是错误）。'
              'Unverifiable: an operand is blank, na, text or missing, so the relation cannot be checked (not an error). '
              f'{len(apart)} 条（每份报告计一次），每份报告每条规则一行 (one row per report and rule; the first message shown).</p>'
            + '<details id="apart-box"><summary>展开 show <span class="count" data-count-of="apart-list"></span></summary>'
            + scroll('<table class="apart"><thead><tr><th>严重程度 severity</th><th>机关 office</th><th>年度 year</th>'
                     '<th>文件 file</th><th>规则 rule</th><th>次数 n</th><th>位置 where</th>'
                     f'<th>说明（第一条）first message</th></tr></thead><tbody id="apart-list">{"".join(rows)}</tbody></table>')
            + '</details></section>')


def corrections_section(audit: Audit) -> str:
    """The cells a reviewer corrected (corrections.csv), on each report's shown form: the value
    now, what was read and printed, why and who; and how many forms the line corrected."""
    cells = audit.cells[audit.cells["corrected"].fillna(False).astype(bool)]
    if cells.empty:
        return ""
    reports = audit.reports.drop_duplicates("report_id").set_index("report_id")
    cells = cells.assign(group_key=cells["report_id"].map(reports["group_key"]),
                         canonical=cells["report_id"].map(reports["canonical"]).fillna(False))
    cells = cells.sort_values(["group_key", "table_code", "row_code", "col_code", "canonical"],
                              ascending=[True, True, True, True, False], kind="mergesort")
    rows = []
    for (_, t, r, c), group in cells.groupby(["group_key", "table_code", "row_code", "col_code"], sort=False):
        x = group.iloc[0]
        rep = reports.loc[x["report_id"]]
        was = (evidence.format_value(x["extracted_value"]) if x["extracted_kind"] == "number"
               else value_name("kind_of_value", x["extracted_kind"]))
        rows.append(f'<tr data-region="{escape(text_of(rep["region"]))}" data-year="{year_text(rep["year"])}" '
                    f'data-level="{escape(text_of(rep["level"]))}" data-office="{escape(text_of(rep["office_key"]))}">'
                    f'<td>{escape(text_of(rep["office"]))}</td><td>{year_text(rep["year"])}</td>'
                    f'<td title="{escape(f"{t}.{r}.{c}")}">{escape(code_name(f"{t}.{r}.{c}"))}</td>'
                    f'<td class="num"><ins>{escape(evidence.shown_value(x))}</ins></td>'
                    f'<td class="num">{escape(was)}（印作“{escape(text_of(x["raw"]))}”）</td>'
                    f'<td>{escape(text_of(x["correction_note"]))}</td><td>{escape(text_of(x["corrected_by"]))}</td>'
                    f'<td class="num">{len(group)}</td></tr>')
    return ('<section id="corrections">' + heading("人工更正", "cells corrected by a reviewer")
            + '<p class="note">corrections.csv 中的更正：更正后的数值、原读数、说明和更正人；检查已按更正后的数值重新运行。'
              'The corrections of corrections.csv: the value now, what was read, why and who; the checks ran again on '
              'the corrected values.</p>'
            + scroll('<table><thead><tr><th>机关 office</th><th>年度 year</th><th>单元格 cell</th><th>更正为 now</th>'
                     '<th>原读数 read</th><th>说明 note</th><th>更正人 who</th><th>文件数 forms</th></tr></thead>'
                     f'<tbody>{"".join(rows)}</tbody></table>') + "</section>")


__all__ = ["apart_section", "collect_evidence", "corrections_section", "evidence_section", "finding_card",
           "readable", "rule_text"]
