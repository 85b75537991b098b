"""Site-archive text copies of reports (a header block, the article on one line, every table's
cells run together) read without a wrong number: table 二 split as its runs allow, a row that
reads several ways reported with its run as printed and decided — where at all — by the office's
neighbouring years or another form of the same report (pipeline.dataset.decide), the 2019 format
recognised, and the cross-year checks fed with table 二."""
from __future__ import annotations

import csv

import pandas as pd
import pytest
from conftest import need_module

import pipeline.extract  # noqa: F401  (before pipeline.segment: the packages import each other)
from pipeline.core.options import ExtractSettings
from pipeline.extract import extract
from pipeline.extract.align import read_run
from pipeline.readers.text import read
from pipeline.readers.unrun import holds_table
from pipeline.runtime.run import run
from pipeline.segment.sections import segment

HEAD = "标题: {title}\n发布时间: 2021-01-20 10:00\n原文链接: http://www.example.gov.cn/art/1.html\n==== 正文 ====\n"
ACTIVE_2019 = ("第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章000规范性文件0075"
               "第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可{licensing}其他对外管理服务事项6+242"
               "第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量行政处罚3-10行政强制00"
               "第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费26+4"
               "第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购0422.5514万元")


def crawl_copy(office: str, year: int, active: str, one_line: bool = True) -> str:
    """A site archive's copy of a report: header block, body on one line (or a line per block),
    table 二 as given (三 and 四 left out: only table 二 is at issue here)."""
    title = f"{office}{year}年政府信息公开工作年度报告"
    blocks = [title, "根据《条例》规定，现公布本报告。", "一、总体情况", f"{year}年，本机关主动公开政府信息。",
              "二、主动公开政府信息情况", active, "五、存在的主要问题及改进情况", "无。",
              "六、其他需要报告的事项", "无。"]
    return HEAD.format(title=title) + ("" if one_line else "\n").join(blocks) + "\n"


def _extract(path):
    doc = read(path)
    seg = segment(doc)
    return extract(doc, seg.item_sections, report_outline=seg.outline)


@pytest.fixture(scope="module")
def one_copy(tmp_path_factory):
    path = tmp_path_factory.mktemp("crawl") / "某区某局_2020.txt"
    path.write_text(crawl_copy("某区某局", 2020, ACTIVE_2019.format(licensing="20180")), encoding="utf-8")
    return _extract(path)


# ---------------------------------------------------------------- table 二 read from its runs

@pytest.mark.unit
def test_a_run_of_zeros_splits_one_way_and_an_amount_ends_its_row(one_copy):
    got = {c.code: c for c in one_copy.cells}
    assert [got[f"active.rules.{c}"].raw for c in ("new_made", "new_published", "total_published")] == ["0", "0", "0"]
    assert [got[f"active.normative_docs.{c}"].raw for c in ("new_made", "new_published", "total_published")] \
        == ["0", "0", "75"]                                  # 0075: no number has a leading zero
    assert (got["active.fees.prev_items"].value, got["active.fees.change"].value) == (26, 4)
    assert (got["active.procurement.projects"].raw, got["active.procurement.amount"].value) == ("0", 422.5514)
    assert got["active.rules.new_made"].placement == "split"


@pytest.mark.unit
def test_a_row_that_reads_several_ways_is_reported_with_its_run_never_guessed(one_copy):
    got = {c.code: c for c in one_copy.cells}
    unplaced = {f.location: f for f in one_copy.findings if f.rule == "extract.unplaced"}
    # 20180: 2 | 0 | 180, 20 | 1 | 80, 20 | 18 | 0, 201 | 8 | 0 — nothing of it is read
    assert not [k for k in got if k.startswith("active.licensing.")]
    assert unplaced["active.licensing"].found == "行政许可 20180"
    assert "(as printed: 20180)" in unplaced["active.licensing"].message_en
    assert len(unplaced["active.licensing"].extra["options"]) == 4
    # 6+242: the sign starts 本年增/减, which may end after 2 or 24: 上一年项目数量 is read alone
    assert got["active.other_services.prev_items"].value == 6
    assert "active.other_services.change" not in got
    readings = [[c["raw"] for c in o] for o in unplaced["active.other_services"].extra["options"]]
    assert sorted(readings) == [["6", "+2", "42"], ["6", "+24", "2"]]
    # 3-10: a minus sign, or an na mark "-" in 本年增/减 followed by 10
    assert sorted(tuple(c["raw"] for c in o) for o in unplaced["active.penalty"].extra["options"]) \
        == [("3", "-", "10"), ("3", "-1", "0")]
    # 00 cannot be three cells: reported, with its run
    assert unplaced["active.coercion"].found == "行政强制 00"


@pytest.mark.unit
def test_the_2019_format_is_recognised_though_rows_are_left_unread(one_copy):
    assert one_copy.format_version == "2019"


@pytest.mark.unit
def test_a_sign_stands_only_in_its_column_and_a_no_break_space_is_a_blank_cell():
    s = ExtractSettings()
    assert read_run("6+242", 3, [], s, signed=frozenset({1})) == [["6", "+2", "42"], ["6", "+24", "2"]]
    assert read_run("6+242", 3, [], s, signed=frozenset({2})) == []      # the sign after one digit: column 2
    assert read_run("6+242", 3, [], s, signed=frozenset()) == []
    assert ["6", "+2", "42"] in read_run("6+242", 3, [], s)                # any cell may be signed (三)
    # a space between cells, a blank cell's &nbsp; of its own
    assert read_run("5 \u00a0 2", 3, [], s) == [["5", "", "2"]]
    # a blank cell that left nothing: where it was, only a sum can say
    row_sum = [(3, [0, 1, 2])]
    assert sorted(read_run("2 5 7", 4, row_sum, s, hidden=1)) == [["", "2", "5", "7"], ["2", "", "5", "7"],
                                                                   ["2", "5", "", "7"]]
    assert read_run("2 5 7", 4, row_sum, s) == []


@pytest.mark.e2e
def test_rows_run_together_on_a_line_of_their_own_are_cut_back(tmp_path):
    line = "第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章000规范性文件0075"
    assert holds_table(line)
    assert not holds_table("收到自然人申请52件，商业企业申请3件，均已按期答复。")
    path = tmp_path / "某区某局_2020.txt"
    path.write_text(crawl_copy("某区某局", 2020, ACTIVE_2019.format(licensing="20180"), one_line=False),
                    encoding="utf-8")
    got = {c.code: c.raw for c in _extract(path).cells}
    assert got["active.normative_docs.total_published"] == "75"


@pytest.mark.unit
def test_a_row_with_a_space_between_its_cells_is_read_by_its_fields_only():
    """A converter's "行政规范性文件 1 43" lost a cell (pulled out above the table): 43 is never
    cut into 4 | 3 to fill the gap."""
    doc_text = ("二、主动公开政府信息情况\n第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n"
                "规章 0 0 0\n行政规范性文件 1 43\n第二十条第（五）项\n信息内容 本年处理决定数量\n行政许可 5,280\n"
                "第二十条第（八）项\n信息内容本年收费金额（单位：万元）\n行政事业性收费 2.5\n")
    from pipeline.core.model import Document
    from pipeline.readers.text import parse_lines
    doc = Document(source="x.txt", format="txt", items=parse_lines(doc_text.splitlines()))
    seg = segment(doc)
    r = extract(doc, seg.item_sections, report_outline=seg.outline)
    got = {c.code: c for c in r.cells}
    assert not [k for k in got if k.startswith("active.normative_docs.")]
    assert got["active.licensing.decisions"].value == 5280 and got["active.fees.amount"].value == 2.5
    assert any(f.flag == "extract.unplaced@active.normative_docs" for f in r.findings)


# ---------------------------------------------------------------- decided by the dataset

OFFICE = "合肥市包河区人民政府"
OTHER = "南京市玄武区人民政府"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """An office's 2019 and 2020 copies (2019's 行政许可 reads two ways, 2020 says which), a
    second office's 2019 copy beside its web-page-like Markdown form, and a third row no one
    decides."""
    base = tmp_path_factory.mktemp("decided")
    inp = base / "in"
    inp.mkdir()
    (inp / f"{OFFICE}_2019.txt").write_text(
        crawl_copy(OFFICE, 2019, ACTIVE_2019.format(licensing="20+180")), encoding="utf-8")
    (inp / f"{OFFICE}_2020.txt").write_text(
        crawl_copy(OFFICE, 2020, ACTIVE_2019.format(licensing="21 0 5").replace("6+242", "8 -1 50")),
        encoding="utf-8")
    (inp / f"{OTHER}_2019.txt").write_text(
        crawl_copy(OTHER, 2019, ACTIVE_2019.format(licensing="20+180")), encoding="utf-8")
    md = (f"# {OTHER}2019年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n"
          "| 第二十条第（五）项 |  |  |  |\n|---|---|---|---|\n| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n"
          "| 行政许可 | 20 | +18 | 0 |\n\n## 五、存在的主要问题及改进情况\n\n无。\n")
    (inp / f"{OTHER}_2019.md").write_text(md, encoding="utf-8")
    run(inp, base / "out", workers=1, progress=False)
    out = base / "out"
    return (pd.read_parquet(out / "reports.parquet"), pd.read_parquet(out / "cells.parquet"),
            pd.read_parquet(out / "flags.parquet"))


def _of(frame, source):
    return frame[frame["source"] == source]


@pytest.mark.e2e
def test_a_row_is_decided_by_the_next_year_and_says_so(dataset):
    _, cells, flags = dataset
    mine = _of(cells, f"{OFFICE}_2019.txt").set_index(["row_code", "col_code"])
    assert [mine.loc[("licensing", c), "raw"] for c in ("prev_items", "change", "decisions")] == ["20", "+1", "80"]
    assert mine.loc[("licensing", "decisions"), "placement"] == "split"
    f = _of(flags, f"{OFFICE}_2019.txt").set_index("flag")
    assert "extract.unplaced@active.licensing" not in f.index
    decided = f.loc["extract.decided@active.licensing"]
    assert decided["stage"] == "cross_year" and decided["expected"] == "20+180"
    assert f"{OFFICE}_2020.txt" in decided["message_zh"] and "cross_year.prev_items" in decided["message_en"]
    assert set(decided["cells"]) == {"active.licensing.change", "active.licensing.decisions"}
    # 6+242 has no next year's count that tells (2020's other_services starts from 8 = 6 + 2)
    assert _of(cells, f"{OFFICE}_2019.txt").query("row_code == 'other_services'")["raw"].tolist() == ["6", "+2", "42"]


@pytest.mark.e2e
def test_a_row_is_decided_by_another_form_of_the_report(dataset):
    _, cells, flags = dataset
    mine = _of(cells, f"{OTHER}_2019.txt").set_index(["row_code", "col_code"])
    assert [mine.loc[("licensing", c), "raw"] for c in ("prev_items", "change", "decisions")] == ["20", "+18", "0"]
    decided = _of(flags, f"{OTHER}_2019.txt").set_index("flag").loc["extract.decided@active.licensing"]
    assert decided["stage"] == "forms" and f"{OTHER}_2019.md" in decided["message_zh"]


@pytest.mark.e2e
def test_what_nothing_decides_stays_reported_with_its_run(dataset):
    reports, cells, flags = dataset
    f = _of(flags, f"{OTHER}_2019.txt").set_index("flag")
    assert f.loc["extract.unplaced@active.other_services", "found"] == "其他对外管理服务事项 6+242"
    assert "(as printed: 6+242)" in f.loc["extract.unplaced@active.other_services", "message_en"]
    assert not len(_of(cells, f"{OTHER}_2019.txt").query("row_code == 'other_services' and col_code != 'prev_items'"))
    assert set(reports["status"]) == {"partial"}          # 三 and 四 are not in these copies


# ---------------------------------------------------------------- generated copies, cross-year

@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    need_module("reportlab")
    from samples import generate
    base = tmp_path_factory.mktemp("crawl_generated")
    generate(base / "in", base / "truth", forms=("txt_crawl",), count=150, seed=7, workers=1)
    run(base / "in", base / "out", progress=False)
    return base


@pytest.mark.e2e
def test_text_copies_alone_feed_the_cross_year_checks(generated):
    """The cross-year breaks the truth holds — in_force included, which only table 二 shows — are
    found from the text copies alone, and nothing else; a break is missed only where a row of the
    pair reads several ways that the neighbouring years cannot tell apart (the true reading is
    the one that breaks), and that row is reported, with its run."""
    with open(generated / "truth" / "cross_year.csv", encoding="utf-8") as f:
        expected = {(r["office"], int(r["year"])): {x for x in r["flags"].split(";") if x} for r in csv.DictReader(f)}
    flags = pd.read_parquet(generated / "out" / "flags.parquet")
    reports = pd.read_parquet(generated / "out" / "reports.parquet")
    errors = flags[flags["rule"].str.startswith("cross_year.") & (flags["severity"] == "error")]
    open_rows = flags[flags["rule"] == "extract.unplaced"]
    found = missed = 0
    for r in reports.itertuples():
        have = set(errors[errors["report_id"] == r.report_id]["flag"])
        want = expected.get((r.office, r.year), set())
        assert have <= want, r.source
        for flag in want - have:
            table = {"cross_year.in_force": "active", "cross_year.prev_items": "active"}.get(flag.split("@")[0], "requests")
            where = f"{table}.{flag.split('@')[1]}" if table == "active" else "requests.carried_over"
            both = reports[(reports["office"] == r.office) & reports["year"].isin([r.year, r.year - 1])]
            mine = open_rows[open_rows["report_id"].isin(both["report_id"]) & (open_rows["location"] == where)]
            assert len(mine) and mine["message_en"].str.contains("as printed").all(), (r.source, flag)
            missed += 1
        found += len(have)
    assert found > missed
    assert any(f.startswith("cross_year.in_force@") for f in errors["flag"])


@pytest.mark.e2e
def test_text_copies_alone_read_no_wrong_number_and_decide_by_years(generated):
    from pipeline.outputs.score import score
    scores = score(generated / "out", generated / "truth")
    wrong = [p for s in scores for p in s.problems if "≠" in p and not p.startswith(("flags", "office", "year"))]
    assert wrong == []
    assert all(s.format_ok for s in scores)
    flags = pd.read_parquet(generated / "out" / "flags.parquet")
    assert (flags["rule"] == "extract.decided").sum() >= 10
    left = flags[flags["rule"] == "extract.unplaced"]
    assert left["message_en"].str.contains("as printed", regex=False).all()


@pytest.mark.e2e
def test_a_blank_cell_that_left_no_trace_is_found_by_the_column_balance(tmp_path, monkeypatch):
    """A copy with a space between cells whose one empty cell (no &nbsp;) left nothing: 新收's
    row shows six values for seven columns, "122 12 1 \u00a0 6 141". The row's sum holds wherever
    the empty cell is put; the 法律服务机构 and 其他 columns' balances say it is 其他."""
    need_module("reportlab")
    from samples import content, truth, txt_crawl
    report = next(r for r in content.build_reports(7, len(content.CORE)) if r.stem == "苏州市交通运输局_2020")
    hidden = ("requests", "new", "other_org")
    assert report.cells[hidden].kind == "blank" and report.cells[("requests", "new", "legal_services")].text == "6"
    monkeypatch.setattr(txt_crawl, "GRID_STYLES", {"spaced": 1})
    monkeypatch.setattr(txt_crawl, "_hidden_blank", lambda *a: hidden)
    inp = tmp_path / "in"
    inp.mkdir()
    path = txt_crawl.write(report, inp / f"{report.stem}_crawl.txt")
    assert "122 12 1 \u00a0 6 141" in path.read_text(encoding="utf-8")
    truth.write_cells(tmp_path / "truth.csv", report)
    run(inp, tmp_path / "out", workers=1, progress=False)
    cells = pd.read_parquet(tmp_path / "out" / "cells.parquet").set_index(["table_code", "row_code", "col_code"]).sort_index()
    got = cells.loc[("requests", "new")]
    assert got.loc["legal_services", "value"] == 6 and got.loc["other_org", "kind"] == "blank"
    assert got.loc["other_org", "placement"] == "split"
    with open(tmp_path / "truth.csv", encoding="utf-8") as f:
        want = {(r["table"], r["row"], r["col"]): r for r in csv.DictReader(f)}
    wrong = [k for k, c in cells.iterrows() if k in want and (c["kind"] != want[k]["kind"] or (
        c["kind"] == "number" and abs(c["value"] - float(want[k]["value"])) > 1e-6))]
    assert wrong == []


@pytest.mark.unit
def test_the_generator_writes_every_layout_of_a_text_copy():
    """Both formats, table 二 run together and a space apart, tables 三 and 四 run together and a
    space apart (&nbsp; for a blank), a blank cell that left nothing, the body on one line and a
    line per block — and a row that only its neighbouring years decide."""
    need_module("reportlab")
    from collections import Counter

    from samples import content, txt_crawl
    reports = content.build_reports(7, 150)
    drawn = Counter()
    for r in reports:
        drawn.update(k for k, v in txt_crawl.drawn(r).items() if v)
    for variant in ("active:glued", "active:spaced", "grids:glued", "grids:spaced", "hidden_blank",
                    "body:one_line", "body:line_per_block", "blank_as_nbsp", "blank_as_space"):
        assert drawn[variant] >= 2, variant
    assert {r.format for r in reports} == {"2019", "2021"}
    glued = next(r for r in reports if r.format == "2019" and "active:glued" in txt_crawl.drawn(r))
    text = txt_crawl.text(glued)
    licensing = [glued.cells[("active", "licensing", c)].text for c in ("prev_items", "change", "decisions")]
    assert "行政许可" + "".join(licensing) in text
