"""`ogi export`: the workbook and CSV files read back, against the dataset of the sample reports."""
from __future__ import annotations

import csv
import os
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT, need_module

from pipeline.formats import layout

pytestmark = pytest.mark.e2e

openpyxl = need_module("openpyxl", "reading the workbook")

SHEETS = ["概览", "主动公开", "依申请", "复议诉讼", "2008–2018年", "历年指标", "错误", "警告", "无法核对", "提示", "人工更正"]
TABLE_SHEETS = {"主动公开": "active", "依申请": "requests", "复议诉讼": "review_litigation"}
CSV_FILES = {"概览": "overview.csv", "主动公开": "active.csv", "依申请": "requests.csv",
             "复议诉讼": "review_litigation.csv", "2008–2018年": "legacy.csv", "历年指标": "indicators.csv",
             "错误": "errors.csv", "警告": "warnings.csv", "无法核对": "unverifiable.csv", "提示": "info.csv",
             "人工更正": "corrections.csv"}
SEVERITY_SHEETS = {"error": "错误", "warning": "警告", "unverifiable": "无法核对", "info": "提示"}


def ogi(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)


@pytest.fixture(scope="module")
def exported(samples_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    p = ogi("export", samples_run, "--xlsx", out / "ogi.xlsx", "--csv", out / "csv")
    assert p.returncode == 0, p.stderr
    return {"xlsx": out / "ogi.xlsx", "csv": out / "csv", "dataset": samples_run,
            "book": openpyxl.load_workbook(out / "ogi.xlsx")}


def rows_of(ws) -> list:
    """The data rows of a sheet (below its two header rows)."""
    return [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]


def header(ws, row: int) -> list:
    return [c.value for c in ws[row]]


def test_sheets_frozen_headers_and_filters(exported):
    book = exported["book"]
    assert book.sheetnames == SHEETS
    for ws in book:
        assert ws.freeze_panes == "C3", ws.title                  # two header rows, office in view
        first, last = ws.auto_filter.ref.split(":")
        assert first == "A2" and last.endswith(str(ws.max_row)), (ws.title, ws.auto_filter.ref)
        assert all(header(ws, 1)) and all(header(ws, 2))          # every column: a label and a code
        assert all(ws.column_dimensions[c.column_letter].width >= 6 for c in ws[1])


def test_one_row_per_office_year_matching_the_panel(exported):
    panel = pd.read_parquet(exported["dataset"] / "panel.parquet")
    keys = list(zip(panel.office_id, panel.year))
    for name in ("概览", *TABLE_SHEETS):
        ws = exported["book"][name]
        codes = header(ws, 2)
        got = [(r[codes.index("office_id")], r[codes.index("year")]) for r in rows_of(ws)]
        assert got == keys, name
    assert len(keys) == 12


def test_table_sheets_hold_the_panel_numbers_as_numbers(exported):
    panel = pd.read_parquet(exported["dataset"] / "panel.parquet").astype(object).where(lambda d: d.notna(), None)
    for name, table in TABLE_SHEETS.items():
        ws = exported["book"][name]
        codes = header(ws, 2)
        cell_codes = [c for c in codes if c.startswith(f"{table}__")]
        assert len(cell_codes) == sum(t == table for t, _, _ in layout.all_cells())
        labels = dict(zip(codes, header(ws, 1)))
        assert labels["requests__new__total" if table == "requests" else cell_codes[0]].count("｜") == 1
        numbers = 0
        for row, want in zip(rows_of(ws), panel.to_dict("records")):
            for code in cell_codes:
                v, w = row[codes.index(code)], want[code]
                if w is None:
                    assert v is None, (name, code)                 # null stays an empty cell, not 0
                else:
                    assert isinstance(v, (int, float)) and not isinstance(v, bool) and v == w, (name, code, v, w)
                    numbers += 1
        assert numbers > 100, name
    ws = exported["book"]["依申请"]
    c = ws.cell(row=3, column=header(ws, 2).index("requests__new__total") + 1)
    assert isinstance(c.value, int) and c.number_format == "0"


def test_a_blank_cell_stays_blank(exported):
    cells = pd.read_parquet(exported["dataset"] / "cells.parquet")
    panel = pd.read_parquet(exported["dataset"] / "panel.parquet")
    blank = cells[(cells.kind == "blank") & cells.report_id.isin(panel.report_id)].iloc[0]
    column = f"{blank.table_code}__{blank.row_code}__{blank.col_code}"
    p = panel.reset_index(drop=True)
    row = int(p.index[p.report_id == blank.report_id][0])
    sheet = {v: k for k, v in TABLE_SHEETS.items()}[blank.table_code]
    ws = exported["book"][sheet]
    cell = ws.cell(row=3 + row, column=header(ws, 2).index(column) + 1)
    assert cell.value is None
    with open(exported["csv"] / CSV_FILES[sheet], encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[2 + row][header(ws, 2).index(column)] == ""


def test_overview_counts_and_completeness(exported):
    ws = exported["book"]["概览"]
    codes = header(ws, 2)
    flags = pd.read_parquet(exported["dataset"] / "flags.parquet")
    panel = pd.read_parquet(exported["dataset"] / "panel.parquet")
    for row, p in zip(rows_of(ws), panel.itertuples()):
        mine = flags[flags.report_id == p.report_id]
        assert row[codes.index("n_errors")] == (mine.severity == "error").sum() == p.n_errors
        assert row[codes.index("n_warnings")] == (mine.severity == "warning").sum()
        assert row[codes.index("completeness")] == pytest.approx(p.cells_found / p.cells_expected)
    assert ws.cell(row=3, column=codes.index("completeness") + 1).number_format == "0.0%"


def _counted(dataset):
    """flags.parquet, one finding per report and flag (the forms of a report count once)."""
    flags = pd.read_parquet(dataset / "flags.parquet")
    reports = pd.read_parquet(dataset / "reports.parquet")
    flags = flags.merge(reports[["report_id", "group_id", "canonical"]], on="report_id", how="left")
    flags["report"] = flags.group_id.fillna(flags.report_id)
    return flags.drop_duplicates(["report", "flag"])


def test_findings_once_per_report_on_a_sheet_per_severity(exported):
    counted = _counted(exported["dataset"])
    for severity, name in SEVERITY_SHEETS.items():
        ws = exported["book"][name]
        codes, rows = header(ws, 2), rows_of(ws)
        mine = counted[counted.severity == severity]
        if severity in ("unverifiable", "info"):             # one row per report, form and rule
            assert sum(r[codes.index("n")] for r in rows) == len(mine), name
            assert len(rows) == mine.groupby(["report", "rule"]).ngroups
        else:
            assert len(rows) == len(mine), name
        assert all(r[codes.index("severity")] == name for r in rows)          # Chinese values
    errors = rows_of(exported["book"]["错误"])
    codes = header(exported["book"]["错误"], 2)
    assert len(errors) == 13                                  # the samples' 13 deliberate errors, once each
    assert {r[codes.index("n_forms")] for r in errors} == {1, 6}              # cross-year: canonical form only
    err = errors[0]
    for col in ("message_zh", "message_en", "expected", "found", "page", "cells", "readings", "rule_name", "where"):
        assert err[codes.index(col)] not in (None, ""), col
    # each involved cell by its label with its printed text: 本年新收…｜自然人：463
    assert len(err[codes.index("readings")].split("；")) == len(err[codes.index("cells")].splitlines())
    assert "." not in err[codes.index("rule_name")] and "." not in err[codes.index("where")]
    sums = [r for r in errors if r[codes.index("rule")].endswith("balance")]
    assert sums and all(isinstance(r[codes.index(c)], int) for r in sums for c in ("expected", "found"))


def test_no_page_number_for_a_form_without_pages(exported):
    reports = pd.read_parquet(exported["dataset"] / "reports.parquet").set_index("source")
    for name in ("错误", "无法核对"):
        ws = exported["book"][name]
        codes = header(ws, 2)
        for r in rows_of(ws):
            fmt = reports.loc[r[codes.index("source")], "detected_format"]
            assert (r[codes.index("page")] is None) == (fmt not in ("pdf", "image")), (name, r[codes.index("source")])


def test_the_workbook_prints_landscape_fitted_to_width_with_its_headers_on_every_page(exported):
    for ws in exported["book"]:
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$1:$2", ws.title
    ws = exported["book"]["错误"]
    codes = header(ws, 2)
    message = ws.cell(row=3, column=codes.index("message_zh") + 1)
    assert message.alignment.wrap_text and ws.column_dimensions[message.column_letter].width >= 40
    assert ws.row_dimensions[3].height and ws.row_dimensions[3].height > 15     # grown to its wrapped text
    hidden = {c for c in codes if ws.column_dimensions[ws.cell(row=2, column=codes.index(c) + 1).column_letter].hidden}
    assert {"message_en", "position", "report_id"} <= hidden and "message_zh" not in hidden


def test_values_people_read_are_chinese(exported):
    ws = exported["book"]["概览"]
    codes = header(ws, 2)
    rows = rows_of(ws)
    assert {r[codes.index("level")] for r in rows} <= {"省级", "市级", "县级", "乡镇级"}
    assert {r[codes.index("status")] for r in rows} == {"完整"}
    assert {r[codes.index("format_version")] for r in rows} == {"2019年版", "2021年版"}
    assert {r[codes.index("kind")] for r in rows} <= {"人民政府", "部门", "乡镇街道"}


def test_indicators_across_years(exported):
    ws = exported["book"]["历年指标"]
    codes, rows = header(ws, 2), rows_of(ws)
    panel = pd.read_parquet(exported["dataset"] / "panel.parquet")
    years = [c for c in codes if c.isdigit()]
    assert years == [str(y) for y in sorted(panel.year.unique())]
    row = next(r for r in rows if r[codes.index("office_id")] == "320102:人民政府" and r[codes.index("indicator")] == "share_granted")
    for y in (2021, 2022, 2023):
        want = panel[(panel.office_id == "320102:人民政府") & (panel.year == y)].share_granted.item()
        assert row[codes.index(str(y))] == pytest.approx(100 * want, abs=0.01)
    assert row[codes.index("2019")] is None                      # no report that year: empty, not 0


def test_a_selection_keeps_its_reports_and_a_wrong_one_lists_the_names(exported, tmp_path):
    p = ogi("export", exported["dataset"], "--xlsx", tmp_path / "js.xlsx", "--region", "江苏", "--year", "2021-2023")
    assert p.returncode == 0, p.stderr
    book = openpyxl.load_workbook(tmp_path / "js.xlsx")
    codes = header(book["概览"], 2)
    rows = rows_of(book["概览"])
    assert rows and {r[codes.index("province")] for r in rows} == {"江苏省"}
    assert all(2021 <= r[codes.index("year")] <= 2023 for r in rows)
    p = ogi("export", exported["dataset"], "--xlsx", tmp_path / "x.xlsx", "--region", "江西")
    assert p.returncode == 2 and "江苏省" in p.stderr and "浙江省" in p.stderr and "Traceback" not in p.stderr
    p = ogi("export", exported["dataset"], "--xlsx", tmp_path / "x.xlsx", "--level", "县级")
    assert p.returncode == 0
    codes = header(openpyxl.load_workbook(tmp_path / "x.xlsx")["概览"], 2)
    assert {r[codes.index("level")] for r in rows_of(openpyxl.load_workbook(tmp_path / "x.xlsx")["概览"])} == {"县级"}


def test_csv_files_hold_the_same_tables(exported):
    for name, file in CSV_FILES.items():
        raw = (exported["csv"] / file).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), file                # a BOM: Excel reads UTF-8
        with open(exported["csv"] / file, encoding="utf-8-sig", newline="") as f:
            lines = list(csv.reader(f))
        ws = exported["book"][name]
        assert lines[0] == header(ws, 1) and lines[1] == header(ws, 2)
        sheet = rows_of(ws)
        assert len(lines) - 2 == len(sheet)
        for got, want in zip(lines[2:], sheet):
            want = ["" if v is None else ("TRUE" if v is True else "FALSE" if v is False else str(v)) for v in want]
            assert got == want, file


def test_the_same_dataset_gives_the_same_bytes(exported, tmp_path):
    assert ogi("export", exported["dataset"], "--xlsx", tmp_path / "again.xlsx").returncode == 0
    assert (tmp_path / "again.xlsx").read_bytes() == exported["xlsx"].read_bytes()
    assert exported["book"].properties.created.year == 2000


def test_export_help_explains_the_sheets():
    p = ogi("export", "--help")
    assert p.returncode == 0
    for word in (*SHEETS, "--xlsx", "--csv", "BOM"):
        assert word in p.stdout or (word == "BOM" and "byte-order mark" in p.stdout), word


def test_a_comparison_sheet_on_request(exported, tmp_path):
    p = ogi("export", exported["dataset"], "--xlsx", tmp_path / "c.xlsx", "--compare", "320102:人民政府",
            "--compare", "苏州市交通运输局", "--compare-year", "2021")
    assert p.returncode == 0, p.stderr
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    assert book.sheetnames == SHEETS + ["对比"]
    ws = book["对比"]
    assert header(ws, 1)[:4] == ["项目", "代码", "南京市玄武区人民政府 2021", "苏州市交通运输局 2021"]
    row = next(r for r in rows_of(ws) if r[1] == "requests.new.total")
    assert row[2:4] == [260, 120]
    p = ogi("export", exported["dataset"], "--xlsx", tmp_path / "d.xlsx", "--compare", "320102:人民政府",
            "--compare-year", "2019")
    assert p.returncode == 2 and "2021, 2022, 2023" in p.stderr and not (tmp_path / "d.xlsx").exists()
