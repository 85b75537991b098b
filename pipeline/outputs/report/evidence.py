"""What the report shows beside a finding: the cells' labels, the table rows as printed, and the
pre-filled lines of corrections.csv.

The printed rows come from cells.parquet (`raw`, the cell's text as the report prints it, with
its printed row and column labels): for a web page, a Word file or a text file they are the
evidence itself; for a PDF or a scan they accompany the crop.
"""
from __future__ import annotations

import csv
import io
from html import escape

from pipeline.formats import labels, layout
from pipeline.outputs.report.data import format_value

CORRECTION_COLUMNS = ("report_id", "office_id", "year", "table_code", "row_code", "col_code", "value", "note", "who")


def code_of(cell) -> str:
    """The `table.row.col` code of a cells.parquet row, as flags.cells writes it."""
    return f"{cell['table_code']}.{cell['row_code']}.{cell['col_code']}"


def split_code(code: str) -> tuple:
    """`requests.new.total` → ("requests", "new", "total"); a code with fewer parts is padded."""
    parts = code.split(".", 2)
    return tuple(parts + [""] * (3 - len(parts)))


def cell_label(code: str) -> tuple:
    """(Chinese, English) full name of a cell code: 三、收到和处理… · 本年新收… · 自然人."""
    t, r, c = split_code(code)
    zh = " · ".join(x for x in (layout.title(t), labels.canonical_label(t, "row", r),
                                labels.canonical_label(t, "col", c)) if x)
    en = " · ".join(x for x in (layout.title(t, "en"), labels.name_en(t, "row", r), labels.name_en(t, "col", c)) if x)
    return zh, en


def printed_rows(report_cells, codes: list) -> str:
    """An HTML table of the rows holding the cells `codes`, every cell of those rows as printed
    (raw text), in the printed column order; the cells involved are marked. Empty when none of
    the codes was read (a missing cell has no printed row)."""
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
    order = {row: i for t in layout.tables() for i, row in enumerate(layout.rows_of(t))}
    wanted.sort(key=lambda k: (list(layout.tables()).index(k[0]) if k[0] in layout.tables() else 99,
                               order.get(k[1], 999)))
    out = ['<table class="printed"><tbody>']
    for key in wanted:
        cells = sorted(rows[key], key=lambda c: (c["grid_col"] if c["grid_col"] is not None else 999))
        label = next((c["row_label"] for c in cells if c["row_label"]), key[1])
        out.append(f'<tr><th scope="row">{escape(str(label))}</th>')
        for c in cells:
            mark = ' class="hit"' if code_of(c) in involved else ""
            out.append(f'<td{mark} title="{escape(str(c["col_label"] or c["col_code"]))}">'
                       f'<small>{escape(str(c["col_label"] or c["col_code"]))}</small>'
                       f'{escape(str(c["raw"] if c["raw"] is not None else ""))}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def correction_lines(report, codes: list, cells_by_code: dict) -> str:
    """Lines of corrections.csv for the cells of a finding: the auditor edits `value` (pre-filled
    with the value found, empty for a cell not read) and adds note and who."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    year = report.get("year")
    for code in codes:
        t, r, c = split_code(code)
        cell = cells_by_code.get(code)
        value = format_value(cell["value"]) if cell is not None else ""
        w.writerow([report["report_id"], report.get("office_id") or "",
                    "" if year is None or year != year else int(year), t, r, c, value, "", ""])
    return buf.getvalue()


def correction_header() -> str:
    return ",".join(CORRECTION_COLUMNS) + "\n"
