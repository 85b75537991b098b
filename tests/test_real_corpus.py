"""The real reports of the shared corpus, scored against their hand-keyed truth."""
from __future__ import annotations

import csv

import pandas as pd
import pytest
from conftest import REAL, TRUTH, need_corpus

from pipeline.outputs.score import score

TEXT_FORMS = (".pdf", ".txt", ".html")


def truth_rows():
    if not (TRUTH / "reports.csv").exists():
        return []
    with open(TRUTH / "reports.csv", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f)
                if r["file"].endswith(TEXT_FORMS) and not r["file"].endswith("_scan.pdf")]


@pytest.mark.parametrize("row", truth_rows(), ids=lambda r: r["file"])
def test_every_truth_cell_format_office_year_and_flags(corpus_run, row):
    [s] = score(corpus_run, TRUTH, only={row["file"]})
    assert s.found, s.problems
    assert s.cells_right == s.cells_total, s.problems
    assert s.format_ok and s.office_ok and s.year_ok, s.problems
    assert s.flags_ok, s.problems


@pytest.mark.parametrize("row", truth_rows(), ids=lambda r: r["file"])
def test_region_and_sections(corpus_run, row):
    reports = pd.read_parquet(corpus_run / "reports.parquet")
    rep = reports[reports["source"] == row["file"]].iloc[0]
    for col in ("province", "city", "county"):         # null where there is none, never ''
        assert ("" if pd.isna(rep[col]) else rep[col]) == row[col], col
        assert rep[col] != ""
    sections = pd.read_parquet(corpus_run / "sections.parquet")
    found = sections[sections["report_id"] == rep["report_id"]]["section"].tolist()
    assert found == row["sections"].split()


def test_truth_flags_come_with_evidence(corpus_run):
    need_corpus()
    flags = pd.read_parquet(corpus_run / "flags.parquet")
    f = flags[(flags["source"] == "淮安市洪泽区人民政府_2023.pdf") & (flags["flag"] == "review_litigation.row_sum@review")]
    assert len(f) == 1
    f = f.iloc[0]
    assert (f["expected"], f["found"]) == ("11", "0")
    assert "总计0" in f["message_zh"] and "结果维持10" in f["message_zh"] and "= 11" in f["message_zh"]
    assert "upheld" in f["message_en"]


def test_cells_carry_provenance(corpus_run):
    cells = pd.read_parquet(corpus_run / "cells.parquet")
    pdf = cells[cells["source"] == "淮安市洪泽区人民政府_2023.pdf"]
    c = pdf[(pdf["table_code"] == "active") & (pdf["row_code"] == "penalty")].iloc[0]
    assert c["raw"] == "4119" and c["page"] == 3 and len(c["bbox"]) == 4
    assert c["row_label"] == "行政处罚" and "处理决定" in c["col_label"]
    amount = pdf[(pdf["row_code"] == "fees") & (pdf["col_code"] == "amount")].iloc[0]
    assert amount["value"] == pytest.approx(7730.28)


def test_blank_is_not_zero(corpus_run):
    cells = pd.read_parquet(corpus_run / "cells.parquet")
    txt = cells[cells["source"].str.endswith(".txt")]
    c = txt[(txt["table_code"] == "requests") & (txt["row_code"] == "new") & (txt["col_code"] == "natural_person")].iloc[0]
    assert c["kind"] == "blank" and pd.isna(c["value"])
    flags = pd.read_parquet(corpus_run / "flags.parquet")
    f = flags[(flags["source"] == c["source"]) & (flags["flag"] == "requests.balance@natural_person")]
    assert f["severity"].tolist() == ["unverifiable"]


def test_run_skips_unchanged_files(corpus_run):
    from pipeline.runtime.run import run
    again = run(REAL, corpus_run, workers=1, progress=False, exclude=("*_scan.pdf",))
    assert again["ran"] == []
