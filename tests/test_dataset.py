"""The dataset as researchers and auditors use it: one report per office-year (groups of forms,
the canonical document, forms that disagree), panel.parquet, DuckDB and `ogi query`, a dataset
that grows over runs, and the checks across years."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, TRUTH, need_corpus, need_module

from pipeline.dataset.panel import cell_column
from pipeline.dataset.yoy import check_anomalies
from pipeline.formats import layout
from pipeline.publish import schema
from pipeline.runtime.run import run

RAW = ROOT / "raw"


def _copy(folder: Path, name: str, edit=None, as_name: str = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / (as_name or name)
    if edit is None:
        shutil.copy(RAW / name, dest)
    else:
        dest.write_text(edit((RAW / name).read_text(encoding="utf-8")), encoding="utf-8")
    return dest


def _go(inputs, out: Path):
    run(inputs, out, workers=1, timeout=0, progress=False)
    return (pd.read_parquet(out / "reports.parquet"), pd.read_parquet(out / "flags.parquet"))


def ogi(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True,
                          text=True, timeout=300)


# -- groups of forms and the canonical document -------------------------------------------------

@pytest.mark.e2e
def test_every_office_year_of_the_samples_is_one_group_with_one_canonical_pdf(samples_run):
    reports = pd.read_parquet(samples_run / "reports.parquet")
    truth = pd.read_csv(RAW / "truth" / "reports.csv")
    truth = truth[~truth["file"].str.contains("_scan")]
    assert reports["group_id"].nunique() == truth.groupby(["office", "year"]).ngroups == 12
    for gid, g in reports.groupby("group_id"):
        assert g["canonical"].sum() == 1, gid
        assert (g["group_size"] == len(g)).all()
        assert g[g["canonical"]]["source"].iloc[0].endswith(".pdf")   # complete, born-digital first
    flags = pd.read_parquet(samples_run / "flags.parquet")
    assert not (flags["rule"] == "forms.disagree").any()             # the forms agree cell for cell


@pytest.mark.e2e
def test_forms_that_disagree_are_flagged_with_both_values(tmp_path):
    stem = "苏州市交通运输局_2020"
    inp = tmp_path / "in"
    _copy(inp, f"{stem}.pdf")
    _copy(inp, f"{stem}.md", lambda t: t.replace("| 行政许可 | 2 | -2 | 1,176 |", "| 行政许可 | 2 | -2 | 1,167 |"))
    reports, flags = _go(inp, tmp_path / "out")
    assert reports["group_id"].nunique() == 1
    assert reports.set_index("source")["canonical"].to_dict() == {f"{stem}.md": False, f"{stem}.pdf": True}
    [f] = flags[flags["rule"] == "forms.disagree"].to_dict("records")
    assert f["flag"] == "forms.disagree@active.licensing.decisions" and f["source"] == f"{stem}.md"
    assert (f["expected"], f["found"], f["severity"]) == ("1176", "1167", "warning")
    assert f"{stem}.pdf" in f["message_zh"] and f"{stem}.pdf" in f["message_en"]


# -- panel.parquet ------------------------------------------------------------------------------

@pytest.mark.e2e
def test_panel_one_row_per_office_year_with_the_canonical_numbers(samples_run):
    panel = pd.read_parquet(samples_run / "panel.parquet")
    reports = pd.read_parquet(samples_run / "reports.parquet")
    cells = pd.read_parquet(samples_run / "cells.parquet")
    assert pq.read_schema(samples_run / "panel.parquet").names == schema.column_names("panel")
    assert len(panel) == 12 and not panel.duplicated(["office_id", "year"]).any()
    present = reports[["office_id", "year"]].drop_duplicates()
    assert len(present) == len(panel)
    assert set(panel["report_id"]) == set(reports[reports["canonical"]]["report_id"])
    fractions = 0
    for row in panel.itertuples():
        mine = cells[cells["report_id"] == row.report_id]
        for c in mine.itertuples():
            got = getattr(row, cell_column(c.table_code, c.row_code, c.col_code))
            if pd.isna(got):      # a blank or na cell, or a count printed as a fraction (its state: fraction)
                fraction = not pd.isna(c.value) and not float(c.value).is_integer()
                fractions += fraction
                assert pd.isna(c.value) or (fraction and layout.value_type(c.table_code, c.col_code) == "count")
            else:
                assert got == c.value
    assert fractions == 1          # the sample's fractional count (values.integer): null, not rounded
    row = panel[(panel["office"] == "合肥市包河区人民政府") & (panel["year"] == 2019)].iloc[0]
    assert row["format_version"] == "2019" and row["n_forms"] == 6
    assert pd.isna(row["active__rules__in_force"]) and not pd.isna(row["active__rules__new_made"])
    row = panel[(panel["office"] == "南京市玄武区人民政府") & (panel["year"] == 2023)].iloc[0]
    assert pd.isna(row["active__rules__new_made"]) and not pd.isna(row["active__rules__in_force"])
    want = (row["requests__granted__total"] + row["requests__partially_granted__total"]) / row["requests__total__total"]
    assert row["share_granted"] == pytest.approx(want)
    assert row["n_errors"] == reports.set_index("report_id").loc[row["report_id"], "n_errors"] >= 1


@pytest.mark.unit
def test_panel_columns_cover_every_cell_code_and_are_sql_safe():
    names = schema.column_names("panel")
    for t, r, c in layout.all_cells():
        assert cell_column(t, r, c) in names
    assert all(n.isidentifier() and "." not in n for n in names)


# -- DuckDB and ogi query -----------------------------------------------------------------------

@pytest.mark.e2e
def test_the_duckdb_file_has_views_over_every_dataset_and_each_table(samples_run):
    duckdb = need_module("duckdb", "the DuckDB views")
    with duckdb.connect(str(samples_run / "ogi.duckdb"), read_only=True) as con:
        for view in ("reports", "sections", "cells", "flags", "panel"):
            n = con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
            assert n == pq.read_table(samples_run / f"{view}.parquet").num_rows, view
        # the README's example: one row per report-year (the canonical form of each report)
        rows = con.execute("SELECT office, year, natural_person, total FROM requests WHERE row_code = 'new' "
                           "ORDER BY office_id, year").fetchall()
        assert len(rows) == 12 and all(r[3] is not None for r in rows)
        assert len({(r[0], r[1]) for r in rows}) == 12
        assert con.execute("SELECT count(DISTINCT row_code) FROM active").fetchone()[0] >= 8
        assert con.execute("SELECT count(*) FROM review_litigation WHERE row_code = 'review'").fetchone()[0] == 12
        assert con.execute("SELECT count(*) FROM flags WHERE severity = 'error' AND canonical").fetchone()[0] == 13
        assert con.execute("SELECT count(*) FROM cells WHERE canonical").fetchone()[0] == \
            con.execute("SELECT count(*) FROM cells c JOIN reports r USING (report_id, source) WHERE r.canonical"
                        ).fetchone()[0]


@pytest.mark.e2e
def test_ogi_query_prints_a_table_or_csv(samples_run):
    p = ogi("query", samples_run, "SELECT office, year, requests__new__total FROM panel ORDER BY office_id, year")
    assert p.returncode == 0, p.stderr
    assert "南京市玄武区人民政府" in p.stdout and "requests__new__total" in p.stdout.splitlines()[0]
    p = ogi("query", samples_run, "SELECT office_id, year FROM panel ORDER BY office_id, year", "--csv")
    assert p.stdout.startswith("\ufeff")                          # a BOM: Excel reads the Chinese
    rows = list(csv.DictReader(p.stdout[1:].splitlines()))
    assert len(rows) == 12 and rows[0]["office_id"] == "320102:人民政府" and rows[0]["year"] == "2021"


@pytest.mark.e2e
def test_ogi_query_prints_whole_numbers_and_aligns_chinese(samples_run):
    from pipeline.outputs.terminal import display_width
    p = ogi("query", samples_run, "SELECT office, count(*) AS n, sum(requests__new__total) AS new, "
                                  "avg(share_granted) AS share FROM panel GROUP BY office ORDER BY office")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.rstrip("\n").splitlines()
    assert "260.0" not in p.stdout and re.search(r"\b1406\b", p.stdout)           # 260 + 637 + 509, no .0
    assert len(lines) == 9
    header = lines[0]
    column_end = display_width(header[:header.index(" n ") + 2])
    for line in lines[1:]:                                       # the counts line up under n, after Chinese names
        assert display_width(re.match(r"\S+\s+\d+", line).group(0)) == column_end, line
    p = ogi("query", samples_run, "SELECT sum(requests__new__total) AS new FROM panel", "--csv")
    assert p.stdout[1:].splitlines()[1] == "3292"                  # an integer, not 3292.0
    p = ogi("query", samples_run, "SELECT nothing FROM nowhere")
    assert p.returncode == 1 and "nowhere" in p.stderr


# -- a dataset that grows -------------------------------------------------------------------------

XW = "南京市玄武区人民政府"


@pytest.mark.e2e
def test_runs_into_one_folder_add_up_and_update(tmp_path):
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    _copy(a, f"{XW}_2021.txt")
    _copy(a, f"{XW}_2022.txt")
    _copy(b, f"{XW}_2023.txt")
    _go(a, out)
    reports, flags = _go(b, out)
    assert sorted(reports["source"]) == [f"{XW}_2021.txt", f"{XW}_2022.txt", f"{XW}_2023.txt"]
    # the cross-year check of 2023 (from b) against 2022 (from an earlier run over a)
    assert "cross_year.in_force@normative_docs" in set(flags[flags["source"] == f"{XW}_2023.txt"]["flag"])
    assert len(pd.read_parquet(out / "panel.parquet")) == 3
    old = reports.set_index("source").loc[f"{XW}_2022.txt", "report_id"]
    changed = a / f"{XW}_2022.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n（本报告已更正）\n", encoding="utf-8")
    reports, _ = _go(a, out)
    assert len(reports) == 3
    assert reports.set_index("source").loc[f"{XW}_2022.txt", "report_id"] != old
    assert set(reports["input"]) == {"../a", "../b"}     # relative to the output folder, not the machine's path
    assert all((out / r.input / r.source).is_file() for r in reports.itertuples())


@pytest.mark.e2e
def test_several_input_folders_in_one_run_and_a_second_run_changes_nothing(tmp_path):
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    _copy(a, f"{XW}_2021.txt")
    _copy(b, f"{XW}_2023.txt")
    p = ogi("run", a, b, "-o", out, "--workers", "1")
    assert p.returncode == 0, p.stdout + p.stderr
    reports = pd.read_parquet(out / "reports.parquet")
    assert sorted(reports["source"]) == [f"{XW}_2021.txt", f"{XW}_2023.txt"]
    files = sorted(p for p in out.iterdir() if p.is_file()) + [out / "work" / "ingest.json",
                                                                out / "work" / "cross_year.json"]
    before = {p: p.read_bytes() for p in files}
    assert ogi("run", a, b, "-o", out, "--workers", "1").returncode == 0
    assert {p: p.read_bytes() for p in files} == before          # byte for byte
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == sorted(p.name for p in files[:-2])


@pytest.mark.e2e
def test_a_missing_year_is_a_gap_not_silence(tmp_path):
    inp = tmp_path / "in"
    _copy(inp, f"{XW}_2021.txt")
    _copy(inp, f"{XW}_2023.txt")
    _, flags = _go(inp, tmp_path / "out")
    cross = flags[flags["stage"] == "cross_year"]
    [gap] = cross[cross["rule"] == "cross_year.gap"].to_dict("records")
    assert gap["source"] == f"{XW}_2023.txt" and gap["severity"] == "info" and "2022" in gap["message_en"]
    assert not (cross["severity"] == "error").any()              # nothing compared across the gap


# -- year-over-year anomalies and the overview ----------------------------------------------------

@pytest.mark.e2e
def test_a_report_copied_from_last_year_is_noticed(tmp_path):
    inp = tmp_path / "in"
    _copy(inp, f"{XW}_2021.txt")
    _copy(inp, f"{XW}_2021.txt", lambda t: t.replace("2021", "2022"), as_name=f"{XW}_2022.txt")
    _, flags = _go(inp, tmp_path / "out")
    mine = flags[flags["source"] == f"{XW}_2022.txt"]
    assert {"cross_year.copied_table@requests", "cross_year.copied_table@active",
            "cross_year.copied_overview@overview"} <= set(mine["flag"])
    assert set(mine[mine["rule"].str.startswith("cross_year.copied")]["severity"]) == {"warning"}


def _report(rid: str, values: dict):
    from pipeline.core.results import CellRecord
    from pipeline.dataset.cross_year import YearReport
    return YearReport(rid, f"{rid}.pdf", "某局", None, None,
                      [CellRecord.at(t, r, c, "number", v) for (t, r, c), v in values.items()])


@pytest.mark.unit
def test_a_total_that_jumps_tenfold_or_drops_to_zero():
    prev = _report("a", {("requests", "new", "total"): 30, ("review_litigation", "review", "total"): 12})
    now = _report("b", {("requests", "new", "total"): 400, ("review_litigation", "review", "total"): 0})
    flags = {f.flag: f for f in check_anomalies(now, prev, 2022)}
    assert set(flags) == {"cross_year.jump@requests.new.total", "cross_year.to_zero@review_litigation.review.total"}
    assert flags["cross_year.jump@requests.new.total"].severity == "warning"
    calm = _report("c", {("requests", "new", "total"): 45, ("review_litigation", "review", "total"): 3})
    assert check_anomalies(calm, prev, 2022) == []


@pytest.mark.e2e
def test_an_overview_count_that_differs_from_the_table_is_quoted(tmp_path):
    inp = tmp_path / "in"
    _copy(inp, "苏州市交通运输局_2020.txt", lambda t: t.replace("本局共收到政府信息公开申请146件", "本局共受理申请17件"))
    _, flags = _go(inp, tmp_path / "out")
    [f] = flags[flags["rule"] == "narrative.new_requests"].to_dict("records")
    assert (f["expected"], f["found"], f["severity"]) == ("17", "146", "warning")
    assert "受理申请17件" in f["message_zh"] and list(f["cells"]) == ["requests.new.total"]


# -- the shared corpus: every document, the scan included -----------------------------------------

@pytest.mark.e2e
@pytest.mark.ocr
def test_the_corpus_offices_and_their_ids(whole_corpus):
    need_corpus()
    reports = pd.read_parquet(whole_corpus / "reports.parquet").set_index("source")
    truth = pd.read_csv(TRUTH / "reports.csv", keep_default_na=False).set_index("file")
    assert sorted(reports.index) == sorted(truth.index)
    for col in ("office", "province", "city", "county"):
        assert (reports[col].fillna("") == truth.loc[reports.index, col]).all(), col
    assert reports.groupby(truth.loc[reports.index, "office"])["office_id"].nunique().eq(1).all()
    sh = reports.loc[["上海市人民政府办公厅_2019.html", "上海市人民政府办公厅_2025.md"]]
    assert set(sh["office_id"]) == {"310000:人民政府办公厅"}
    hz = reports.loc[["淮安市洪泽区人民政府_2023.pdf", "淮安市洪泽区人民政府_2023_scan.pdf"]]
    assert hz["group_id"].nunique() == 1 and set(hz["group_size"]) == {2}
    assert hz["canonical"].tolist() == [True, False]              # the text PDF, not the scan
    panel = pd.read_parquet(whole_corpus / "panel.parquet")
    assert len(panel) == 6 and not panel.duplicated(["office_id", "year"]).any()
    flags = pd.read_parquet(whole_corpus / "flags.parquet")
    gaps = flags[flags["rule"] == "cross_year.gap"]
    assert gaps["source"].tolist() == ["上海市人民政府办公厅_2025.md"]   # 2020–2024 are not in the corpus


@pytest.mark.e2e
def test_the_corpus_overviews_against_their_tables(corpus_run):
    flags = pd.read_parquet(corpus_run / "flags.parquet")
    sh = flags[flags["source"] == "上海市人民政府办公厅_2019.html"].set_index("rule")
    # 无法提供265件 where the three 无法提供 rows add up to 337 (总计 left blank: the row's parts)
    assert (sh.loc["narrative.unavailable", "expected"], sh.loc["narrative.unavailable", "found"]) == ("265", "337")
    assert "无法提供265件" in sh.loc["narrative.unavailable", "message_zh"]
    # 行政复议7件,诉讼9件,均获维持 while table 四 has cases pending
    assert "均获维持" in sh.loc["narrative.all_upheld", "message_zh"]
    assert set(flags[flags["rule"].str.startswith("narrative.")]["severity"]) == {"warning"}
