"""Reports from before 2019 (format `legacy`): the real ones of the shared corpus against their
truth, and the parts that read them — the run-together rows of a crawler's copy, the figures a
text states, the legacy rules and cross_year.cumulative."""
from __future__ import annotations

import csv

import pandas as pd
import pytest
from conftest import CORPUS, REQUIRE_CORPUS, absent

from pipeline.checks import check_report
from pipeline.core.model import Document, TextBlock, table_from_rows
from pipeline.core.options import ExtractSettings
from pipeline.core.results import CellRecord
from pipeline.dataset.cross_year import YearReport, check_cross_year
from pipeline.extract import extract, legacy_runs, legacy_text
from pipeline.extract.collect import Collector
from pipeline.extract.formats import outline
from pipeline.outputs.score import score
from pipeline.segment.sections import segment

LEGACY = CORPUS / "legacy"
REAL, TRUTH = LEGACY / "real", LEGACY / "truth"


def truth_rows():
    if not (TRUTH / "reports.csv").exists():
        return []
    with open(TRUTH / "reports.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def legacy_run(tmp_path_factory):
    if not REAL.is_dir() or not (TRUTH / "reports.csv").exists():
        absent(f"the legacy corpus is not at {LEGACY}", REQUIRE_CORPUS)
    from pipeline.runtime.run import run
    out = tmp_path_factory.mktemp("legacy_out")
    run(REAL, out, workers=2, progress=False)
    return out


@pytest.mark.e2e
@pytest.mark.parametrize("row", truth_rows(), ids=lambda r: r["file"])
def test_every_truth_cell_office_year_format_and_flags(legacy_run, row):
    [s] = score(legacy_run, TRUTH, only={row["file"]})
    assert s.found, s.problems
    assert s.cells_right == s.cells_total, s.problems
    assert s.format_ok and s.office_ok and s.year_ok and s.flags_ok, s.problems


@pytest.mark.e2e
@pytest.mark.parametrize("row", truth_rows(), ids=lambda r: r["file"])
def test_sections_status_and_no_error(legacy_run, row):
    reports = pd.read_parquet(legacy_run / "reports.parquet")
    rep = reports[reports["source"] == row["file"]].iloc[0]
    assert rep["status"] == "ok" and rep["format_version"] == "legacy"
    assert rep["cells_found"] == rep["cells_expected"] == len(pd.read_csv(TRUTH / "cells" / f"{row['file']}.csv"))
    sections = pd.read_parquet(legacy_run / "sections.parquet")
    assert sections[sections["report_id"] == rep["report_id"]]["section"].tolist() == row["sections"].split()
    flags = pd.read_parquet(legacy_run / "flags.parquet")
    mine = flags[flags["report_id"] == rep["report_id"]]
    assert not len(mine[mine["severity"].isin(["error", "unverifiable"])]), mine["flag"].tolist()


@pytest.mark.e2e
def test_cells_carry_their_provenance(legacy_run):
    cells = pd.read_parquet(legacy_run / "cells.parquet")
    web = cells[cells["source"] == "平潭县人民政府_2013.html"].set_index(["row_code", "col_code"])
    assert web.loc[("active_total", "cumulative"), "raw"] == "5395"
    assert web.loc[("active_website", "year"), "row_label"] == "其中：1.网站公开"
    assert web.loc[("active_website", "year"), "col_label"] == "2013年度"
    crawler = cells[cells["source"] == "平潭县人民政府_2012.txt"].set_index(["row_code", "col_code"])
    assert crawler.loc[("active_total", "year"), "placement"] == "split"
    assert crawler.loc[("active_total", "year"), "raw"] == "2026"
    text = cells[cells["source"] == "平潭综合实验区地方税务局_2013.txt"].set_index(["row_code", "col_code"])
    assert (text["placement"] == "text").all()
    assert "新增主动公开政府信息45条" in text.loc[("active_total", "year"), "raw"]


@pytest.mark.e2e
def test_the_consecutive_years_agree(legacy_run):
    """2012 and 2013 of the county: every 历年累计 is last year's plus this year's."""
    flags = pd.read_parquet(legacy_run / "flags.parquet")
    assert not flags["rule"].str.startswith("cross_year.cumulative").any()


# -- run-together rows (a crawler's copy) ------------------------------------------------------

HEADER = "附件1：某县人民政府2013年政府信息公开情况统计表 指标名称计量单位2013年度历年累计"


def _read_runs(*texts):
    blocks = [TextBlock(t) for t in texts]
    out = Collector(ExtractSettings())
    stated, _ = legacy_text.figures(Document("x.txt", "txt", items=blocks))
    table = legacy_runs.find(blocks)
    printed = legacy_runs.read_table(table, out, stated)
    cells = {(c.row_code, c.col_code): c.value for c in out.cells}
    return cells, out.findings, printed


@pytest.mark.unit
def test_a_run_is_cut_the_only_way_the_channels_add_up():
    cells, findings, _ = _read_runs(HEADER + "受理依申请公开信息总数条2121其中：1.当面申请数条18182.电子邮件申请数条33")
    # 2|121 or 21|21 for the total, 1|818 or 18|18 for 当面: only 21 = 18 + 3 adds up
    assert cells == {("requests_total", "year"): 21, ("requests_total", "cumulative"): 21,
                     ("requests_in_person", "year"): 18, ("requests_in_person", "cumulative"): 18,
                     ("requests_email", "year"): 3, ("requests_email", "cumulative"): 3}
    assert not [f for f in findings if f.rule == "extract.unplaced"]


@pytest.mark.unit
def test_a_row_number_glued_to_the_run_before_it_is_the_next_row_s():
    cells, _, _ = _read_runs(HEADER + "受理依申请公开信息总数条728其中：1.当面申请数条0182.传真申请数条003.电子邮件申请数条36"
                             "4.网上申请数条44")
    assert cells[("requests_in_person", "year")] == 0 and cells[("requests_in_person", "cumulative")] == 18
    assert cells[("requests_online", "cumulative")] == 4 and cells[("requests_total", "cumulative")] == 28


@pytest.mark.unit
def test_an_ambiguous_run_is_left_unread_and_reported():
    cells, findings, printed = _read_runs(HEADER + "主动公开信息数条18535395行政复议数条00")
    # 18|535395, 185|35395, 1853|5395 all keep 本年度 ≤ 历年累计: nothing tells them apart
    assert ("active_total", "year") not in cells and ("active_total", "cumulative") not in cells
    assert cells[("review", "year")] == 0
    [f] = [f for f in findings if f.rule == "extract.unplaced"]
    assert f.location == "legacy.active_total" and "18535395" in f.found
    assert ("active_total", "cumulative") in printed


@pytest.mark.unit
def test_the_text_s_figure_settles_what_the_arithmetic_leaves_open():
    cells, findings, _ = _read_runs("其中主动公开政府信息1853条。", HEADER + "主动公开信息数条18535395")
    assert cells == {("active_total", "year"): 1853, ("active_total", "cumulative"): 5395}
    assert "据正文" in next(f for f in findings if f.rule == "extract.split").message_zh


@pytest.mark.unit
def test_a_part_never_exceeds_its_total():
    # 主动公开 2026|3542 or 202|63542 with 网站公开 1795|3304 or 179|53304: both keep the parts
    # below the total, so 网站公开 stays open too — and a figure the text states for 网站 alone
    # is no figure for the total
    cells, _, _ = _read_runs(HEADER + "主动公开信息数条20263542其中：1.网站公开条17953304")
    assert not cells
    cells, _, _ = _read_runs("其中主动公开政府信息2026条。", HEADER + "主动公开信息数条20263542其中：1.网站公开条17953304")
    assert cells == {("active_total", "year"): 2026, ("active_total", "cumulative"): 3542,
                     ("active_website", "year"): 1795, ("active_website", "cumulative"): 3304}


@pytest.mark.unit
def test_a_report_that_contradicts_itself_decides_no_cut():
    # 9 | 9 requests, but 18 + 3 or 1 + 3 by channel, 818 + 3 or 18 + 3 in all: no cut adds up, so
    # the arithmetic tells nothing (1 | 818 would keep 当面 ≤ the total this year: still a guess)
    cells, findings, _ = _read_runs(HEADER + "受理依申请公开信息总数条99其中：1.当面申请数条18182.电子邮件申请数条33")
    assert cells == {("requests_total", "year"): 9, ("requests_total", "cumulative"): 9,
                     ("requests_email", "year"): 3, ("requests_email", "cumulative"): 3}
    assert [f.location for f in findings if f.rule == "extract.unplaced"] == ["legacy.requests_in_person"]


@pytest.mark.unit
def test_a_row_the_report_got_wrong_is_read_and_flagged():
    cells, _, _ = _read_runs(HEADER + "行政复议数条52")     # one way to cut it: 5 this year, 2 in all
    assert cells == {("review", "year"): 5, ("review", "cumulative"): 2}
    assert _flags([_cell("review", c, v) for (_, c), v in cells.items()]) == \
        [("legacy.year_le_cumulative", "review", "error")]


@pytest.mark.unit
def test_two_figures_for_one_indicator_settle_nothing():
    cells, _, _ = _read_runs("其中主动公开政府信息1853条。", "本年度新增主动公开政府信息185条。",
                             HEADER + "主动公开信息数条18535395")
    assert not cells


@pytest.mark.unit
def test_the_rows_after_a_row_the_reader_cannot_follow_are_not_lost_in_silence():
    doc = Document("x.txt", "txt", items=[TextBlock("某县人民政府2013年政府信息公开工作年度报告"),
                                          TextBlock(HEADER + "行政复议数条00依据《条例》第14条不予公开条11行政诉讼数条00")])
    r = extract(doc)
    assert {(c.row_code, c.col_code) for c in r.cells} == {("review", "year"), ("review", "cumulative")}
    [f] = [f for f in r.findings if f.rule == "structure.missing_rows"]
    assert "行政诉讼数" in f.found


# -- figures stated in the text ----------------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("sentence, row, value", [
    ("本年度未收到政府信息公开申请。", "requests_total", 0),
    ("2013年1月1日至12月31日期间我局办公室未收到政府信息公开申请。", "requests_total", 0),
    ("2012年全县共收到有关政府信息公开的申请21条，", "requests_total", 21),
    ("（一）公开的主要内容 2013年新增主动公开政府信息45条。", "active_total", 45),
    ("其中主动公开政府信息2026条，", "active_total", 2026),
    ("我局无不予公开政府信息情况。", "responses_refused", 0),
    ("2013年，我局收到以有关政府信息公开行政复议0件。", "review", 0),
    ("未收到有关政府信息公开行政复议申请。", "review", 0),
    ("行政诉讼0件。", "litigation", 0),
    ("其中当面申请数18条，", "requests_in_person", 18),
    ("对依申请公开的答复总数21条，", "responses_total", 21),
    ("其中同意公开答复数17条，", "responses_granted", 17),
])
def test_a_sentence_that_names_its_indicator_gives_its_figure(sentence, row, value):
    found = legacy_text.statements(Document("x", "txt", items=[TextBlock(sentence)]))
    assert [(f.row, f.col, f.value) for f in found] == [(row, "year", value)]
    assert found[0].sentence.startswith(sentence.rstrip("，").rstrip("。")[:6])


@pytest.mark.unit
@pytest.mark.parametrize("sentence", [
    "县直各单位主动公开政府信息2475条，",                # a part of the office, not the office
    "2012年县政府公开办主动公开信息数为1795条，",
    "累计主动公开政府信息3542条。",                      # the cumulative figure, not the year's
    "因政府信息公开申请提起行政复议、行政诉讼0件。",      # which one?
    "今年我局共受理审批事项117件，办结171件。",           # applications of another kind
    "产生的政府信息公开费用1万元。",                    # spending, not fees charged
    "不予公开信息数1854条。",                          # items withheld, not replies refusing
])
def test_a_sentence_that_does_not_say_which_indicator_gives_nothing(sentence):
    assert legacy_text.statements(Document("x", "txt", items=[TextBlock(sentence)])) == []


@pytest.mark.unit
def test_a_report_without_a_table_is_read_from_its_text():
    doc = Document("x.html", "html", items=[
        TextBlock("某某县地方税务局2013年信息公开年度报告"), TextBlock("一、概述"), TextBlock("2013年新增主动公开政府信息45条。"),
        TextBlock("三、依申请公开情况"), TextBlock("本年度未收到政府信息公开申请。"), TextBlock("本年度共收到政府信息公开申请3件。")])
    assert outline(doc) == "legacy"
    r = extract(doc, segment(doc, "legacy").item_sections)
    assert [(c.row_code, c.value, c.placement) for c in r.cells] == [("active_total", 45, "text")]
    [f] = [f for f in r.findings if f.rule == "extract.unplaced"]      # 0 and 3 requests: neither
    assert f.location == "legacy.requests_total"
    assert r.format_version == "legacy" and r.tables == []


# -- tables of the document model --------------------------------------------------------------

@pytest.mark.unit
def test_the_state_council_form_and_an_indicator_the_data_does_not_know():
    rows = [["指标名称", "代码", "计量单位", "本期实际", "本年累计"],
            ["主动公开政府信息数", "01", "条", "120", "120"],
            ["非本部门掌握", "20", "件", "2", "2"],
            ["政府信息公开收费减免金额", "30", "元", "1500", ""]]
    after_the_page_break = [["行政复议数", "33", "件", "—", "—"], ["注：本表统计截至2015年12月31日", "", "", "", ""]]
    doc = Document("x.html", "html", items=[TextBlock("某某市人民政府2015年政府信息公开工作年度报告"),
                                            TextBlock("附件：政府信息公开情况统计表"), table_from_rows(rows),
                                            table_from_rows(after_the_page_break, page=2)])
    seg = segment(doc, outline(doc))
    assert [s.code for s in seg.sections] == ["statistics"]
    r = extract(doc, seg.item_sections)
    cells = {(c.row_code, c.col_code): (c.kind, c.value) for c in r.cells}
    assert cells[("active_total", "year")] == ("number", 120)
    assert cells[("active_total", "year_to_date")] == ("number", 120)     # 本年累计 is not 历年累计
    assert cells[("other:非本部门掌握", "year")] == ("number", 2)          # kept, never dropped
    assert cells[("fees", "year")] == ("number", 0.15)                     # 1500 元 in 万元
    assert cells[("fees", "year_to_date")] == ("blank", None)
    assert cells[("review", "year")] == ("na", None)
    assert r.completeness.expected == r.completeness.found == 8
    assert not [f for f in check_report(r.cells, fmt="legacy").findings]


@pytest.mark.unit
def test_a_national_report_is_not_legacy():
    rows = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "1", "0", "5"], ["行政规范性文件", "2", "1", "9"]]
    doc = Document("x.html", "html", items=[TextBlock("某某市人民政府2021年政府信息公开工作年度报告"), table_from_rows(rows)])
    assert outline(doc) == "national"


# -- the legacy rules --------------------------------------------------------------------------

def _cell(row, col, value, kind="number"):
    return CellRecord.at("legacy", row, col, kind, None if kind != "number" else float(value), str(value))


def _flags(cells):
    return sorted((f.rule, f.location, f.severity) for f in check_report(cells, fmt="legacy").findings)


@pytest.mark.unit
def test_requests_sum_over_the_channels_printed():
    ok = [_cell("requests_total", "year", 5), _cell("requests_in_person", "year", 2), _cell("requests_email", "year", 3)]
    assert _flags(ok) == []
    broken = ok[:2] + [_cell("requests_email", "year", 2)]
    assert _flags(broken) == [("legacy.requests_sum", "year", "error")]
    blank = ok[:2] + [_cell("requests_email", "year", "", "blank")]
    assert _flags(blank) == [("legacy.requests_sum", "year", "unverifiable")]
    assert _flags(ok[:1]) == []                   # no channel printed: nothing to add up


@pytest.mark.unit
def test_responses_sum():
    cells = [_cell("responses_total", "cumulative", 24), _cell("responses_granted", "cumulative", 19),
             _cell("responses_partial", "cumulative", 3), _cell("responses_refused", "cumulative", 1)]
    [f] = check_report(cells, fmt="legacy").findings
    assert (f.rule, f.location, f.severity, f.expected, f.found) == ("legacy.responses_sum", "cumulative", "error", "23", "24")
    cells[-1] = _cell("responses_refused", "cumulative", "/", "na")
    assert _flags(cells) == [("legacy.responses_sum", "cumulative", "unverifiable")]


@pytest.mark.unit
def test_year_le_cumulative():
    cells = [_cell("active_total", "year", 2026), _cell("active_total", "cumulative", 3542),
             _cell("review", "year", 3), _cell("review", "cumulative", 2)]
    [f] = check_report(cells, fmt="legacy").findings
    assert (f.rule, f.location, f.severity) == ("legacy.year_le_cumulative", "review", "error")
    assert f.cells == ("legacy.review.year", "legacy.review.cumulative")
    cells[-1] = _cell("review", "cumulative", "", "blank")
    assert _flags(cells) == [("legacy.year_le_cumulative", "review", "unverifiable")]
    assert _flags([_cell("review", "year", 3)]) == []     # no 历年累计 column: nothing to compare


@pytest.mark.unit
def test_cross_year_cumulative_is_raised_exactly_where_two_years_disagree():
    before = [_cell("active_total", "year", 2026), _cell("active_total", "cumulative", 3542),
              _cell("review", "year", 0), _cell("review", "cumulative", 0),
              _cell("appeals", "year", 1), _cell("appeals", "cumulative", 1)]
    now = [_cell("active_total", "year", 1853), _cell("active_total", "cumulative", 5395),   # 3542 + 1853
           _cell("review", "year", 1), _cell("review", "cumulative", 3),                   # 0 + 1 ≠ 3
           _cell("litigation", "year", 1), _cell("litigation", "cumulative", 4)]           # new this year
    reports = [YearReport("a", "a.txt", "X", 2012, "legacy", before),
               YearReport("b", "b.html", "X", 2013, "legacy", now)]
    found = check_cross_year(reports)
    assert [(f.rule, f.location, f.severity, f.expected, f.found) for f in found["b"]] == \
        [("cross_year.cumulative", "review", "error", "1", "3")]
    now[3] = _cell("review", "cumulative", "", "blank")
    found = check_cross_year(reports)
    assert [(f.rule, f.location, f.severity) for f in found["b"]] == [("cross_year.cumulative", "review", "unverifiable")]


@pytest.mark.e2e
def test_cross_year_cumulative_on_the_county_s_reports_with_one_figure_changed(tmp_path):
    """The county's 2012 crawler copy and its 2013 web page, the page's 网站公开 历年累计 changed
    from 5017 to 5018: raised there, and nowhere else."""
    if not REAL.is_dir():
        absent(f"the legacy corpus is not at {LEGACY}", REQUIRE_CORPUS)
    from pipeline.runtime.run import run
    src = tmp_path / "in"
    src.mkdir()
    (src / "平潭县人民政府_2012.txt").write_bytes((REAL / "平潭县人民政府_2012.txt").read_bytes())
    page = (REAL / "平潭县人民政府_2013.html").read_text(encoding="utf-8")
    assert page.count("<span>5017</span>") == 1
    (src / "平潭县人民政府_2013.html").write_text(page.replace("<span>5017</span>", "<span>5018</span>"), encoding="utf-8")
    run(src, tmp_path / "out", workers=1, progress=False)
    flags = pd.read_parquet(tmp_path / "out" / "flags.parquet")
    errors = flags[flags["severity"] == "error"]
    assert errors[["source", "flag", "expected", "found"]].values.tolist() == \
        [["平潭县人民政府_2013.html", "cross_year.cumulative@active_website", "5017", "5018"]]
