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

SHEETS = ["概览", "主动公开", "依申请", "复议诉讼", "问题清单"]
TABLE_SHEETS = {"主动公开": "active", "依申请": "requests", "复议诉讼": "review_litigation"}
CSV_FILES = {"概览": "overview.csv", "主动公开": "active.csv", "依申请": "requests.csv",
             "复议诉讼": "review_litigation.csv", "问题清单": "findings.csv"}


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


def test_every_finding_with_its_evidence(exported):
    ws = exported["book"]["问题清单"]
    codes = header(ws, 2)
    flags = pd.read_parquet(exported["dataset"] / "flags.parquet")
    rows = rows_of(ws)
    assert len(rows) == len(flags)
    severities = [r[codes.index("severity")] for r in rows]
    assert severities[0] == "error" and severities.count("error") == (flags.severity == "error").sum()
    err = rows[0]
    for col in ("message_zh", "message_en", "expected", "found", "page", "cells", "readings"):
        assert err[codes.index(col)] not in (None, ""), col
    # each involved cell with its printed text: requests.new.total：509
    assert all("：" in line for line in err[codes.index("readings")].splitlines())
    assert len(err[codes.index("readings")].splitlines()) == len(err[codes.index("cells")].splitlines())


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
