"""Comparisons in the page: an office's years (each office's section, drawn here in Python), and
offices side by side in one year (the comparison section: the auditor ticks any number of
offices and a year, the page's script draws the table from the values in the page's data
island, prints it or saves it as CSV for Excel).

Both come from pipeline.outputs.compare (the values of the canonical documents, their kinds kept:
a blank, an n/a mark, a cell not read and a cell the format does not have are no zero), so the
page shows what `ogi compare` prints and the workbook holds.
"""
from __future__ import annotations

from html import escape

from pipeline.formats import layout
from pipeline.outputs.compare import Comparison, Dataset, build, grid, indicator_columns
from pipeline.outputs.names import value_name
from pipeline.outputs.report.data import Audit
from pipeline.outputs.report.parts import heading, office_anchor, scroll, year_text


def dataset(audit: Audit) -> Dataset:
    return Dataset(audit.reports, audit.cells, audit.panel)


def _section_title(line) -> str:
    if line.kind == "indicator":
        return "指标（各格式通用） indicators (every format)"
    return f"{layout.title(line.table)} {layout.title(line.table, 'en')}"


def comparison_table(comp: Comparison, ident: str = "") -> str:
    """A comparison as an HTML table: a row per line under its table's title, a column per
    office-year, and for an office's years Δ and % against the year before; a rise or fall of a
    number is marked, a change of kind (空白 → 0) is not a change."""
    header, rows = grid(comp, codes=False)
    n = len(comp.columns)
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body, section = [], None
    for line, row in zip(comp.lines, rows):
        title = _section_title(line)
        if title != section:
            body.append(f'<tr class="part"><th colspan="{len(header)}">{escape(title)}</th></tr>')
            section = title
        tds = []
        for k, (text, value) in enumerate(zip(row[1:1 + n], line.values)):
            cls = "num" if value.kind == "number" else f"kind-{value.kind}"
            tds.append(f'<td class="{cls}{" corrected" if value.corrected else ""}">{escape(text)}</td>')
        for k in range(1 + n, len(row), 2):
            d, pct = row[k], row[k + 1]
            sign = "up" if d.startswith("+") and d.strip("+0.p%") else "down" if d.startswith("-") else ""
            tds.append(f'<td class="num delta {sign}">{escape(d)}</td><td class="num delta {sign}">{escape(pct)}</td>')
        body.append(f'<tr title="{escape(line.code)}"><th>{escape(line.label)}</th>{"".join(tds)}</tr>')
    ident = f' id="{ident}"' if ident else ""
    return scroll(f'<table class="compare"{ident}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def office_years_table(audit: Audit, office_key: str) -> str:
    """The office's years side by side with Δ and %, or '' when it has fewer than two."""
    ds = dataset(audit)
    years = ds.years_of(office_key) if office_key else []
    if len(years) < 2:
        return ""
    comp = build(ds, [ds.column(office_key, y) for y in years], across_years=True).shown()
    formats = "、".join(dict.fromkeys(value_name("format_version", c.format_version) for c in comp.columns))
    return (f'<div class="years"><h4>历年对比 <span class="en">the office across its years</span></h4>'
            f'<p class="note">{years[0]}–{years[-1]}（{escape(formats)}）：每年以主文件为准；Δ 与 % 为较上一年的变化，'
            '空白、不适用、未读到和该格式无此项都不是 0，它们之间的变化不计为变化；只列有数值的行，各格式通用的指标在前。'
            'Each year is its canonical form; Δ and % against the year before; a blank, n/a, a cell not read or not in '
            'the format is no 0 and no change; lines of zeros left out; the indicators that run across the formats first.</p>'
            + comparison_table(comp) + "</div>")


def data_island(audit: Audit) -> dict:
    """The values the comparison section's script compares: per office-year (canonical documents)
    its office, format and every value with its kind; the lines' labels in the page's order."""
    ds = dataset(audit)
    columns = [ds.column(o, int(y)) for o, y in ds.reports[["office_id", "year"]].drop_duplicates().itertuples(index=False)]
    columns = sorted((c for c in columns if c is not None), key=lambda c: (c.office_id, c.year))
    comp = build(ds, columns, across_years=False) if columns else None
    lines = comp.lines if comp else ()
    return {
        "kinds": {k: value_name("kind_of_value", k) for k in ("blank", "na", "unread", "absent")},
        "lines": [[l.kind, l.code, l.label, _section_title(l), l.percent] for l in lines],
        "columns": [{"office": c.office_id, "name": c.office, "year": c.year, "anchor": office_anchor(c.office_id),
                     "values": [_encoded(l.values[i]) for l in lines]} for i, c in enumerate(comp.columns if comp else ())],
    }


def _encoded(v):
    """A value for the script: a number, or a one-letter kind (b blank, n na, u unread, a absent,
    x none), or its text."""
    if v.kind == "number":
        return v.value
    return {"blank": "b", "na": "n", "unread": "u", "absent": "a", "none": "x"}.get(v.kind, "t" + v.raw)


def compare_section(audit: Audit) -> str:
    """Offices side by side in one year: a year, then any number of its offices ticked."""
    ds = dataset(audit)
    years = sorted({int(y) for y in ds.reports["year"]})
    if not years:
        return ""
    offices = ds.reports.drop_duplicates("office_id").sort_values("office_id")
    year_opts = "".join(f'<option value="{y}"{" selected" if y == years[-1] else ""}>{y}</option>' for y in years)
    boxes = "".join(f'<label data-years="{" ".join(year_text(y) for y in sorted(ds.reports.loc[ds.reports.office_id == o.office_id, "year"]))}">'
                    f'<input type="checkbox" value="{escape(o.office_id)}"> {escape(str(o.office))}</label>'
                    for o in offices.itertuples())
    names = "、".join(zh for _, zh, _, _ in indicator_columns(ds.panel))
    return ('<section id="compare">' + heading("机关对比", "offices side by side")
            + '<p class="note">选一个年度，勾选要对比的机关（任意多个）。每个机关以该年报告的主文件为准；空白、不适用、未读到、'
              '该格式无此项都不是 0。各格式（2019年以前、2019、2021）通用的指标在前'
            + (f'（{escape(names)}）' if names else "") + '。'
              'Pick a year and tick any number of offices: each is its report\'s canonical form that year; blanks, n/a, '
              'cells not read and cells not in the format are no 0. The indicators that hold across the formats come first.</p>'
            + f'<div class="compare-pick"><label>年度 year <select id="compare-year">{year_opts}</select></label>'
              f'<div id="compare-offices" class="picks">{boxes}</div>'
              '<label><input type="checkbox" id="compare-all"> 显示全为零或空白的行 show lines of zeros and blanks</label> '
              '<button type="button" id="compare-csv">导出CSV（Excel） save as CSV</button> '
              '<button type="button" id="compare-print">打印 print</button></div>'
              '<div id="compare-out" class="scroll"><p class="note">勾选至少一个机关 (tick at least one office)</p></div>'
              '<p class="note">同样的对比可导出为工作簿 (the same comparison as a workbook): '
              '<code>ogi compare OUT 机关1 机关2 --year 年度 --xlsx 对比.xlsx</code></p></section>')
