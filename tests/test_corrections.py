"""Corrections: a reviewer's fixes applied at publish, on a copy of the samples' dataset.

The sample reports have known defects (raw/truth): 浙江省生态环境厅 2022 prints a fractional
count (2.5), 泗阳县市场监督管理局 2022 a 行政复议 total that is not the sum of its parts,
合肥市包河区人民政府 2020 a carry-over that does not match 2019's carry-forward. Correcting
them must make their errors go (and any error a correction causes appear), in every form the
correction names, and survive a re-run; a bad line must be a finding, never a crash.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT, need_module

from pipeline.core.options import Options
from pipeline.core.store import STAGES, Workspace
from pipeline.dataset.corrections import HEADER, parse
from pipeline.publish.datasets import publish
from pipeline.runtime.run import run

pytestmark = pytest.mark.e2e

ZHEJIANG, SIYANG, HEFEI = ("330000:生态环境厅", 2022), ("321323:市场监督管理局", 2022), ("340111:人民政府", 2020)


def ogi(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)


def read(out, name):
    return pd.read_parquet(out / f"{name}.parquet")


def report_id(out, source):
    r = read(out, "reports")
    return r.loc[r.source == source, "report_id"].item()


def corrections_text(lines) -> str:
    return ",".join(HEADER) + "\n" + "".join(",".join(map(str, line)) + "\n" for line in lines)


@pytest.fixture(scope="module")
def corrected(samples_run, tmp_path_factory):
    """The samples' dataset copied, a corrections file written into it, published again."""
    out = tmp_path_factory.mktemp("corrected") / "out"
    shutil.copytree(samples_run, out)
    siyang_pdf = report_id(out, "泗阳县市场监督管理局_2022.pdf")
    lines = [
        ("", *ZHEJIANG, "active", "coercion", "decisions", 2, "原件为2", "王审核"),                 # 2: every form
        (siyang_pdf, "", "", "review_litigation", "review", "upheld", 1, "原件维持1件", "李"),     # 3: the PDF only
        ("", *HEFEI, "requests", "carried_over", "natural_person", 0, "", ""),                   # 4: cross-year
        ("ffffffffffffffff", "", "", "requests", "new", "total", 5, "", ""),                    # 5: no such document
        ("", *ZHEJIANG, "active", "procurement", "amount", 5, "", ""),                          # 6: not in its format
        ("", *ZHEJIANG, "requests", "new", "bogus", 5, "", ""),                                 # 7: no such code
        ("", ZHEJIANG[0], "20x2", "requests", "new", "total", 5, "", ""),                       # 8: not a year
        ("", "", "", "requests", "new", "total", 5, "", ""),                                    # 9: names nothing
        ("", *ZHEJIANG, "requests", "new", "total", "five", "", ""),                            # 10: not a number
        ("", "320500:交通运输局", 2021, "requests", "granted", "natural_person", 1, "a", ""),       # 11 and 12:
        ("", "320500:交通运输局", 2021, "requests", "granted", "natural_person", 2, "b", ""),       #   a conflict
        ("", "500103:人民政府", 2023, "requests", "total", "legal_services", "", "空白", ""),        # 13: blank it
    ]
    (out / "corrections.csv").write_text(corrections_text(lines), encoding="utf-8")
    before = {name: read(out, name) for name in ("cells", "flags", "panel")}
    publish(Workspace(out))
    return {"out": out, "before": before, "siyang_pdf": siyang_pdf, "raw": samples_run}


def errors(flags, office, year, rule_prefix=""):
    """Error flags of one office-year's documents (every form) whose flag starts so."""
    return flags[(flags.severity == "error") & flags.flag.str.startswith(rule_prefix)
                 & flags.report_id.isin(_ids(office, year))]


_IDS = {}


def _ids(office, year):
    return _IDS[(office, year)]


@pytest.fixture(scope="module", autouse=True)
def ids(corrected):
    r = read(corrected["out"], "reports")
    for (office, year), g in r.groupby(["office_id", "year"]):
        _IDS[(office, int(year))] = set(g.report_id)


def test_a_correction_of_an_office_year_fixes_every_form_and_keeps_what_was_read(corrected):
    cells, flags, panel = (read(corrected["out"], n) for n in ("cells", "flags", "panel"))
    fixed = cells[cells.report_id.isin(_ids(*ZHEJIANG)) & (cells.row_code == "coercion")
                  & (cells.col_code == "decisions")]
    assert len(fixed) == 6 and fixed.corrected.all()
    assert (fixed.value == 2).all() and (fixed.extracted_value == 2.5).all() and (fixed.raw == "2.5").all()
    assert (fixed.extracted_kind == "number").all() and (fixed.correction_note == "原件为2").all()
    assert (fixed.corrected_by == "王审核").all()
    assert int(cells.corrected.sum()) == 6 + 1 + 6 + 6           # 浙江, 泗阳's PDF, 合肥 2020, 重庆 blank
    assert cells.loc[~cells.corrected, "extracted_value"].isna().all()
    # the error it resolves is gone from every form; each correction is an info finding with evidence
    before = corrected["before"]["flags"]
    assert len(errors(before, *ZHEJIANG, "values.integer")) == 6
    assert len(errors(flags, *ZHEJIANG, "values.integer")) == 0
    applied = flags[(flags.rule == "correction.applied") & flags.report_id.isin(_ids(*ZHEJIANG))]
    assert len(applied) == 6 and set(applied.severity) == {"info"}
    assert set(applied.expected) == {"2"} and set(applied.found) == {"2.5"}
    assert all(list(c) == ["active.coercion.decisions"] for c in applied.cells) and applied.page.notna().all()
    row = panel[(panel.office_id == ZHEJIANG[0]) & (panel.year == ZHEJIANG[1])].iloc[0]
    assert row.active__coercion__decisions == 2 and row.n_errors == 0


def test_a_correction_of_one_document_leaves_its_other_forms_and_they_now_disagree(corrected):
    flags, panel = read(corrected["out"], "flags"), read(corrected["out"], "panel")
    pdf = corrected["siyang_pdf"]
    row_sum = flags[(flags.flag == "review_litigation.row_sum@review") & flags.report_id.isin(_ids(*SIYANG))]
    assert pdf not in set(row_sum.report_id) and len(row_sum) == 5      # the other five still have it
    disagree = flags[(flags.flag == "forms.disagree@review_litigation.review.upheld")]
    assert len(disagree) == 5 and set(disagree.expected) == {"1"} and set(disagree.found) == {"0"}
    row = panel[(panel.office_id == SIYANG[0]) & (panel.year == SIYANG[1])].iloc[0]
    assert row.report_id == pdf and row.review_litigation__review__upheld == 1 and row.n_errors == 0


def test_the_checks_run_again_on_corrected_values_within_and_across_years(corrected):
    before, flags = corrected["before"]["flags"], read(corrected["out"], "flags")
    # 2020's carry-over corrected to 2019's carry-forward: the cross-year error goes …
    assert len(errors(before, *HEFEI, "cross_year.carry_over@natural_person")) == 1
    assert len(errors(flags, *HEFEI, "cross_year.carry_over@natural_person")) == 0
    assert len(errors(flags, *HEFEI, "cross_year.carry_over@total")) == 1        # not corrected
    # … and the within-report balance it now breaks is an error in every form (never hidden)
    assert len(errors(before, *HEFEI, "requests.balance@natural_person")) == 0
    assert len(errors(flags, *HEFEI, "requests.balance@natural_person")) == 6
    reports = read(corrected["out"], "reports")
    mine = reports[reports.report_id.isin(_ids(*HEFEI))]
    counted = flags[flags.severity == "error"].groupby("report_id").size()
    assert all(r.n_errors == counted.get(r.report_id, 0) for r in mine.itertuples())


def test_a_blank_correction_is_a_blank_cell(corrected):
    cells, panel = read(corrected["out"], "cells"), read(corrected["out"], "panel")
    c = cells[cells.report_id.isin(_ids("500103:人民政府", 2023)) & (cells.row_code == "total")
              & (cells.col_code == "legal_services")]
    assert len(c) == 6 and (c.kind == "blank").all() and c.value.isna().all() and (c.extracted_value == 17).all()
    row = panel[panel.office_id == "500103:人民政府"].iloc[0]
    assert pd.isna(row.requests__total__legal_services)


def test_bad_lines_are_findings_never_a_crash(corrected):
    flags = read(corrected["out"], "flags")
    bad = flags[flags.rule.isin(["correction.malformed", "correction.unmatched"])].sort_values("location")
    by_line = {int(loc.rsplit(":", 1)[1]): rule for loc, rule in zip(bad.location, bad.rule)}
    assert by_line == {5: "correction.unmatched", 6: "correction.unmatched", 7: "correction.malformed",
                       8: "correction.malformed", 9: "correction.malformed", 10: "correction.malformed"}
    assert set(bad.severity) == {"warning"}
    nowhere = bad[bad.report_id.isna()]
    assert set(nowhere.source) == {"corrections.csv"} and len(nowhere) == 5
    [named] = bad[bad.report_id.notna()].itertuples()                     # line 6: its document is known
    assert named.report_id in _ids(*ZHEJIANG) and "no such cell" in named.message_en
    assert "not a cell code" in bad[bad.location == "corrections.csv:7"].message_en.item()
    conflict = flags[flags.rule == "correction.conflict"]
    assert len(conflict) == 6 and set(conflict.expected) == {"1 / 2"} and conflict.page.notna().all()
    cells = read(corrected["out"], "cells")
    granted = cells[cells.report_id.isin(_ids("320500:交通运输局", 2021)) & (cells.row_code == "granted")
                    & (cells.col_code == "natural_person")]
    assert not granted.corrected.any()                                     # neither value guessed


def test_a_malformed_header_applies_nothing():
    result = parse("report_id,office,year\n,x,2020\n".encode("utf-8"))
    assert not result.lines and [p[1] for p in result.problems] == ["correction.malformed"]
    assert parse(b"\xff\xfe\x00garbage").problems[0][2].startswith("the file is not UTF-8")
    excel = parse(("\ufeff" + corrections_text([("", "a", 2020, "requests", "new", "total", "", "", "")])).encode())
    assert len(excel.lines) == 1 and excel.lines[0].value is None          # Excel's BOM; empty = blank


def test_corrections_survive_a_rerun_and_are_in_no_cache_key(corrected, tmp_path):
    out = corrected["out"]
    result = run(ROOT / "raw", out, workers=2, progress=False, exclude=("*_scan.*", "truth"))
    assert result["ran"] == []                                             # nothing read again
    cells = read(out, "cells")
    assert int(cells.corrected.sum()) == 19
    assert (out / "corrections.csv").read_text(encoding="utf-8").startswith(",".join(HEADER))
    a, b = Workspace(tmp_path), Workspace(tmp_path, Options(corrections=str(tmp_path / "x.csv")))
    assert all(a.stamp(s) == b.stamp(s) for s in STAGES)


def test_corrections_file_named_on_the_command_line(corrected, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(corrected["raw"], out)
    fixes = tmp_path / "reviewed.csv"
    fixes.write_text(corrections_text([("", *ZHEJIANG, "active", "coercion", "decisions", 3, "", "")]),
                     encoding="utf-8")
    p = ogi("publish", out, "--corrections", fixes)
    assert p.returncode == 0, p.stderr
    cells = read(out, "cells")
    assert int(cells.corrected.sum()) == 6 and set(cells[cells.corrected].value) == {3}
    assert not (out / "corrections.csv").exists()
    p = ogi("publish", out, "--corrections", tmp_path / "missing.csv")
    assert p.returncode == 2 and "missing.csv" in p.stderr and "Traceback" not in p.stderr
    assert "--corrections" in ogi("run", "--help").stdout


def test_the_workbook_shows_the_corrections(corrected, tmp_path):
    need_module("openpyxl", "reading the workbook")
    from openpyxl import load_workbook
    assert ogi("export", corrected["out"], "--xlsx", tmp_path / "c.xlsx").returncode == 0
    book = load_workbook(tmp_path / "c.xlsx")
    ws = book["概览"]
    codes = [c.value for c in ws[2]]
    counts = {r[codes.index("office_id")] + f"/{r[codes.index('year')]}": r[codes.index("n_corrected")]
              for r in ws.iter_rows(min_row=3, values_only=True)}
    assert counts[f"{ZHEJIANG[0]}/{ZHEJIANG[1]}"] == 1 and counts[f"{SIYANG[0]}/{SIYANG[1]}"] == 1
    sheet = book["人工更正"]
    codes = [c.value for c in sheet[2]]
    rows = {(r[codes.index("office_id")], r[codes.index("year")], r[codes.index("code")]): r
            for r in sheet.iter_rows(min_row=3, values_only=True)}
    z = rows[(*ZHEJIANG, "active.coercion.decisions")]
    assert z[codes.index("value")] == 2 and z[codes.index("extracted")] == 2.5 and z[codes.index("n_forms")] == 6
    assert z[codes.index("correction_note")] == "原件为2" and z[codes.index("corrected_by")] == "王审核"
    assert "主动公开" in z[codes.index("cell")] and "行政强制" in z[codes.index("cell")]
    blank = rows[("500103:人民政府", 2023, "requests.total.legal_services")]
    assert blank[codes.index("value")] == "空白" and blank[codes.index("extracted")] == 17
    # in the table's sheet the corrected cell is marked: a fill and a comment with what was read, why, who
    ws = book["主动公开"]
    head = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if (r[head.index("office_id")].value, r[head.index("year")].value)
               == ZHEJIANG)
    cell = row[head.index("active__coercion__decisions")]
    assert cell.value == 2 and cell.fill.fgColor.rgb.endswith("C8E6C9")
    assert "2.5" in cell.comment.text and "原件为2" in cell.comment.text and "王审核" in cell.comment.text
    marked = [c for r in ws.iter_rows(min_row=3) for c in r if c.comment is not None]
    assert len(marked) == 1


# ---- lines as an auditor copies them from the audit report's cards ------------------------------

@pytest.fixture(scope="module")
def edited(samples_run, tmp_path_factory):
    """A file as pasted from cards: every cell of a finding, one of them edited, some lines twice."""
    out = tmp_path_factory.mktemp("edited") / "out"
    shutil.copytree(samples_run, out)
    lines = [
        ("", *ZHEJIANG, "active", "coercion", "decisions", 2, "原件为2", "王"),              # 2: edited
        ("", *ZHEJIANG, "active", "coercion", "decisions", 2, "原件为2", "王"),              # 3: the same again
        ("", *SIYANG, "review_litigation", "review", "total", 1, "", ""),                # 4: as read: ignored
        ("", *SIYANG, "review_litigation", "review", "upheld", 0, "", ""),               # 5: as read: ignored
        ("", *SIYANG, "review_litigation", "review", "upheld", 1, "维持1件", "李"),        # 6: the copy edited
    ]
    (out / "corrections.csv").write_text(corrections_text(lines), encoding="utf-8")
    before = read(out, "flags")
    publish(Workspace(out))
    return {"out": out, "before": before}


def test_only_edited_lines_correct_and_every_form_of_the_report(edited):
    cells, flags = read(edited["out"], "cells"), read(edited["out"], "flags")
    fixed = cells[cells.corrected]
    assert sorted(set(zip(fixed.table_code, fixed.row_code, fixed.col_code))) == [
        ("active", "coercion", "decisions"), ("review_litigation", "review", "upheld")]
    assert len(fixed) == 12                                     # six forms of each report
    assert not flags.rule.isin(["correction.conflict", "correction.unmatched", "correction.malformed"]).any()
    assert not flags.rule.eq("forms.disagree").any()
    assert len(errors(flags, *SIYANG, "review_litigation.row_sum@review")) == 0
    assert len(errors(flags, *ZHEJIANG, "values.integer")) == 0
    new = set(flags.loc[flags.severity.isin(["error", "warning"]), "flag"]) - set(
        edited["before"].loc[edited["before"].severity.isin(["error", "warning"]), "flag"])
    assert new == set()                                          # nothing new to look at


def test_a_repeated_line_is_applied_once_and_said_so(edited):
    flags = read(edited["out"], "flags")
    [dup] = flags[flags.rule == "correction.duplicate"].itertuples()
    assert dup.location == "corrections.csv:3" and dup.severity == "info"
    assert "第3行与第2行相同" in dup.message_zh and "repeats line 2" in dup.message_en
    applied = flags[flags.rule == "correction.applied"]
    assert len(applied) == 12 and all("行政复议 · 结果维持" in m or "主动公开" in m for m in applied.message_zh)


def test_unchanged_lines_are_no_corrections_in_the_workbook(edited, tmp_path):
    need_module("openpyxl")
    from openpyxl import load_workbook
    assert ogi("export", edited["out"], "--xlsx", tmp_path / "e.xlsx").returncode == 0
    ws = load_workbook(tmp_path / "e.xlsx")["概览"]
    codes = [c.value for c in ws[2]]
    counts = {(r[codes.index("office_id")], r[codes.index("year")]): r[codes.index("n_corrected")]
              for r in ws.iter_rows(min_row=3, values_only=True)}
    assert counts[SIYANG] == 1 and counts[ZHEJIANG] == 1 and sum(counts.values()) == 2


def test_legacy_cells_are_correctable_including_indicators_the_data_does_not_know():
    from pipeline.core.results import CellRecord, ReportMeta
    text = corrections_text([("", "350128:人民政府", 2013, "legacy", "requests_total", "year", 8, "", ""),
                             ("", "350128:人民政府", 2013, "legacy", "other:网上咨询", "year", 3, "", ""),
                             ("", "350128:人民政府", 2013, "legacy", "other:", "year", 3, "", ""),
                             ("", "350128:人民政府", 2013, "legacy", "requests_total", "total", 3, "", "")])
    fixes = parse(text.encode("utf-8"))
    assert [c.code for c in fixes.lines] == ["legacy.requests_total.year", "legacy.other:网上咨询.year"]
    assert [p[0] for p in fixes.problems] == [4, 5]                      # no label; no such column
    meta = ReportMeta(title=None, province=None, city=None, county=None, office_id="350128:人民政府", year=2013)
    cells = [CellRecord.at("legacy", "requests_total", "year", "number", 7.0),
             CellRecord.at("legacy", "other:网上咨询", "year", "number", 2.0)]
    out, found = fixes.correct_cells({"report_id": "r", "source": "a.txt"}, meta, cells)
    assert [c.value for c in out] == [8.0, 3.0] and all(c.corrected for c in out)
    assert [f.rule for f in found] == ["correction.applied"] * 2
    assert "网上咨询" in found[1].message_zh
