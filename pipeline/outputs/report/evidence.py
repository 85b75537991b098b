"""What the report shows beside a finding: the cells' labels, the table rows as printed, the
values of the report's other forms where they differ, and the corrections editor.

The printed rows come from cells.parquet (`raw`, the cell's text as the report prints it, with
its printed row and column labels): for a web page, a Word file or a text file they are the
evidence itself; for a PDF or a scan they accompany the crop. A corrected cell shows its
corrected value, what was printed struck through beside it.

The corrections editor lists the finding's cells with the value read; the auditor types the
right value into those that are wrong (and a note), and the page's script copies only those
lines, keyed by office and year — every form of the report is corrected by one line — and each
cell once (pipeline.dataset.corrections ignores a line whose value is the value read).
"""
from __future__ import annotations

import csv
import io
from html import escape

import pandas as pd

from pipeline.dataset.corrections import HEADER as CORRECTION_COLUMNS
from pipeline.formats import layout
from pipeline.formats.labels import axis_name, code_name
from pipeline.outputs.names import value_name
from pipeline.outputs.report.data import format_value
from pipeline.outputs.report.parts import scroll, text_of, year_text

__all__ = ["CORRECTION_COLUMNS", "code_of", "cell_label", "printed_rows", "forms_table", "fix_editor",
           "correction_header", "shown_value"]


def code_of(cell) -> str:
    """The `table.row.col` code of a cells.parquet row, as flags.cells writes it."""
    return f"{cell['table_code']}.{cell['row_code']}.{cell['col_code']}"


def split_code(code: str) -> tuple:
    """`requests.new.total` → ("requests", "new", "total"); a legacy row may hold dots."""
    table, _, rest = code.partition(".")
    row, _, col = rest.rpartition(".")
    return (table, row, col) if row else (table, rest, "")


def cell_label(code: str) -> tuple:
    """(Chinese, English) full name of a cell code: 三、收到和处理… · 本年新收… · 自然人."""
    return code_name(code), code_name(code, "en")


def shown_value(cell) -> str:
    """A cell's value as the page shows it: the number, or what it is (空白, 不适用, its text)."""
    if cell is None:
        return value_name("kind_of_value", "unread")
    if cell["kind"] == "number":
        return format_value(cell["value"])
    if cell["kind"] == "text":
        return text_of(cell["raw"])
    return value_name("kind_of_value", cell["kind"])


def _printed(cell) -> str:
    """The cell as printed, and for a corrected cell its correction beside it."""
    raw = escape(text_of(cell["raw"]))
    if not cell.get("corrected"):
        return raw
    why = "；".join(x for x in (text_of(cell.get("correction_note")), text_of(cell.get("corrected_by"))) if x)
    return (f'<s title="印作 printed">{raw}</s> <ins title="{escape(why)}">{escape(shown_value(cell))}</ins>')


def _row_order(table: str) -> dict:
    fmt = layout.LEGACY if table == layout.LEGACY else None
    return {row: i for i, row in enumerate(layout.rows_of(table, fmt))}


def printed_rows(report_cells, codes: list) -> str:
    """An HTML table of the rows holding the cells `codes`, every cell of those rows as printed
    (raw text; a corrected cell with its correction), in the printed column order; the cells
    involved are marked. Empty when none of the codes was read (a missing cell has no printed row)."""
    involved = set(codes)
    rows = {}
    for c in report_cells:
        rows.setdefault((c["table_code"], c["row_code"]), []).append(c)
    wanted = []
    for code in codes:
        t, r, _ = split_code(code)
        if (t, r) in rows and (t, r) not in wanted:
            wanted.append((t, r))
    if not wanted:
        return ""
    tables = list(layout.all_tables())
    wanted.sort(key=lambda k: (tables.index(k[0]) if k[0] in tables else 99, _row_order(k[0]).get(k[1], 999)))
    out = ['<table class="printed"><tbody>']
    for key in wanted:
        cells = sorted(rows[key], key=lambda c: (c["grid_col"] if c["grid_col"] is not None else 999))
        label = next((c["row_label"] for c in cells if c["row_label"]), None) or axis_name(key[0], "row", key[1])
        out.append(f'<tr><th scope="row">{escape(str(label))}</th>')
        for c in cells:
            mark = ' class="hit"' if code_of(c) in involved else ""
            head = text_of(c["col_label"]) or axis_name(c["table_code"], "col", c["col_code"])
            out.append(f'<td{mark}><small>{escape(head)}</small>{_printed(c)}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return scroll("".join(out))


def forms_table(codes: list, forms: list) -> str:
    """The values of the finding's cells in every form of the report, when the forms do not all
    read them alike: forms is [(source, {code: cells.parquet row})], the shown form first."""
    if len(forms) < 2 or not codes:
        return ""
    differ = [c for c in codes if len({shown_value(cells.get(c)) for _, cells in forms}) > 1]
    if not differ:
        return ""
    head = "".join(f'<th>{escape(code_name(c, with_table=False))}</th>' for c in differ)
    body = []
    first = forms[0][1]
    for source, cells in forms:
        tds = "".join(f'<td class="{"differs" if shown_value(cells.get(c)) != shown_value(first.get(c)) else ""}">'
                      f'{escape(shown_value(cells.get(c)))}</td>' for c in differ)
        body.append(f"<tr><th>{escape(source)}</th>{tds}</tr>")
    return ('<p class="note">各文件读数不一致 (the forms of this report read these cells differently):</p>'
            + scroll(f'<table class="forms"><thead><tr><th>文件 form</th>{head}</tr></thead>'
                     f'<tbody>{"".join(body)}</tbody></table>'))


def _key_fields(report) -> tuple:
    """(report_id, office_id, year) of a corrections line for the report: office and year, so that
    every form is corrected; the report_id only for a document whose office or year is unknown."""
    office, year = text_of(report.get("office_id")), year_text(report.get("year"))
    return ("", office, year) if office and year else (str(report["report_id"]), "", "")


def fix_editor(report, codes: list, cells_by_code: dict, ident: str) -> str:
    """The corrections editor of a finding: one line per cell with its label, the value read and
    an input holding it, and a note; the script copies only the lines whose value was changed."""
    rid, office, year = _key_fields(report)
    rows = []
    for code in codes:
        t, r, c = split_code(code)
        cell = cells_by_code.get(code)
        read = shown_value(cell)
        start = format_value(cell["value"]) if cell is not None and cell["kind"] == "number" else ""
        rows.append(f'<tr data-fix="{escape(code)}" data-key="{escape(office or rid)}|{year}|{escape(code)}">'
                    f'<td>{escape(code_name(code, with_table=False))}</td><td class="num">{escape(read)}</td>'
                    f'<td><input class="fix-value" type="text" inputmode="decimal" value="{escape(start)}" '
                    f'aria-label="更正为 correct to"></td>'
                    f'<td><input class="fix-note" type="text" aria-label="说明 note"></td></tr>')
    return (f'<div class="fix" id="{ident}" data-report-id="{escape(rid)}" data-office-id="{escape(office)}" '
            f'data-year="{year}"><p class="note">更正 correct: 在“更正为”中改正数值（留空表示空白单元格），只有改动的行会被复制，'
            f'按机关和年度对该报告的所有文件生效。Type the right value where one is wrong (empty: a blank cell); only '
            f'changed lines are copied, keyed by office and year: every form of the report is corrected.</p>'
            + scroll('<table class="fixes"><thead><tr><th>单元格 cell</th><th>读到 read</th><th>更正为 correct to</th>'
                     f'<th>说明 note</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
            + f'<button type="button" data-copy="{ident}">复制改动的更正行 copy the changed lines</button></div>')


def correction_header() -> str:
    return ",".join(CORRECTION_COLUMNS) + "\n"


def correction_line(report, code: str, value: str, note: str = "", who: str = "") -> str:
    """One line of corrections.csv as the editor writes it (for the tests and the notebook)."""
    rid, office, year = _key_fields(report)
    t, r, c = split_code(code)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([rid, office, year, t, r, c, value, note, who])
    return buf.getvalue()


def involved(codes) -> list:
    return list(codes) if codes is not None and not (isinstance(codes, float) and pd.isna(codes)) else []
