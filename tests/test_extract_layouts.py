"""Layouts real reports use, built directly in the document model (format-blind extraction)."""
from __future__ import annotations

import pytest

from pipeline.core.model import Document, TextBlock, table_from_rows
from pipeline.extract import extract
from pipeline.readers.text import parse_lines

pytestmark = pytest.mark.unit

HEADER = [["申请人情况", "", "", "", "", "", "", "", ""],
          ["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
          ["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]]


def grid_table(rows, page=1, spans=()):
    t = table_from_rows(rows, page=page)
    return t


def cells_of(doc):
    out = extract(doc)
    return {c.key: c for c in out.cells}, out


def test_row_cut_by_a_page_break_takes_the_values_after_it():
    first = HEADER + [["", "一、本年新收政府信息公开申请数量", "3", "1", "0", "0", "0", "0", "4"],
                      ["（四）无法提供", "3.补正后申请内", "", "", "", "", "", "", ""]]
    second = [["", "容仍不明确", "2", "0", "0", "0", "0", "0", "2"],
              ["", "（七）总计", "5", "0", "0", "0", "0", "0", "5"]]
    doc = Document("x", "pdf", items=[grid_table(first, 1), grid_table(second, 2)])
    cells, _ = cells_of(doc)
    c = cells[("requests", "unavailable_unclear", "natural_person")]
    assert (c.kind, c.value, c.page) == ("number", 2.0, 2)
    assert cells[("requests", "total", "total")].value == 5


def test_label_broken_over_two_text_lines():
    lines = ["\t".join(r) for r in HEADER] + [
        "一、本年新收政府信息公开申请数量\t\t3\t1\t0\t0\t0\t0\t4",
        "（二）部分公开（区分处理的，只计这",
        "一情形，不计其他情形）\t\t1\t0\t0\t0\t0\t0\t1",
    ]
    doc = Document("x", "txt", items=parse_lines(lines))
    cells, out = cells_of(doc)
    assert cells[("requests", "partially_granted", "total")].value == 1
    assert not [f for f in out.findings if f.rule == "extract.unmatched_label"]


def test_format_version_comes_from_headers_not_year():
    rows = [["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政许可", "10", "+2", "35"], ["行政处罚", "3", "-1", "7"]]
    doc = Document("x", "pdf", items=[TextBlock("某局2023年政府信息公开工作年度报告"), grid_table(rows)])
    cells, out = cells_of(doc)
    assert out.format_version == "2019"
    assert cells[("active", "licensing", "change")].value == 2
    assert cells[("active", "penalty", "change")].value == -1


def test_unmatched_row_labels_are_flagged_with_the_labels():
    rows = HEADER + [["", "一、本年新收政府信息公开申请数量", "3", "1", "0", "0", "0", "0", "4"],
                     ["", "五、某种自创的统计行", "1", "0", "0", "0", "0", "0", "1"]]
    _, out = cells_of(Document("x", "pdf", items=[grid_table(rows)]))
    [f] = [f for f in out.findings if f.rule == "extract.unmatched_label"]
    assert "五、某种自创的统计行" in f.found


def test_missing_tables_are_flagged():
    _, out = cells_of(Document("x", "pdf", items=[TextBlock("一、总体情况")]))
    assert {f.location for f in out.findings if f.rule == "structure.missing_table"} == \
        {"active", "requests", "review_litigation"}


def test_review_table_one_row_per_kind():
    rows = [["", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
            ["行政复议", "1", "0", "0", "1", "2"],
            ["未经复议直接起诉", "0", "0", "0", "0", "0"],
            ["复议后起诉", "0", "1", "0", "0", "1"]]
    cells, _ = cells_of(Document("x", "pdf", items=[grid_table(rows)]))
    assert cells[("review_litigation", "review", "total")].value == 2
    assert cells[("review_litigation", "litigation_after_review", "corrected")].value == 1


def test_an_unreadable_column_header_is_inferred_from_the_national_order():
    rows = [["", "", "申请人情况", "", "", "", "", "", ""],
            ["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
            ["", "", "", "商业企业", "机木勾", "社会公益组织", "法律服务机构", "其他", ""],  # smudged 科研机构
            ["", "一、本年新收政府信息公开申请数量", "3", "1", "2", "0", "0", "0", "6"]]
    cells, out = cells_of(Document("x", "pdf", items=[grid_table(rows)]))
    assert cells[("requests", "new", "research")].value == 2
    assert cells[("requests", "new", "research")].match_score <= 0.5
    [f] = [f for f in out.findings if f.rule == "extract.inferred_column"]
    assert f.found == "research"


def test_review_and_litigation_printed_as_two_tables():
    review = [["行政复议", "", "", "", ""],
              ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
              ["2", "1", "0", "0", "3"]]
    litigation = [["行政诉讼"] + [""] * 9,
                  ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
                  ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
                  ["1", "0", "0", "0", "1", "0", "0", "1", "0", "1"]]
    t1, t2 = grid_table(review), grid_table(litigation)
    for t in (t1, t2):          # the group labels span their five columns
        for c in t.cells:
            if c.text in ("行政复议", "行政诉讼"):
                c.colspan = 5 if c.text == "行政复议" else 10
            if c.text in ("未经复议直接起诉", "复议后起诉"):
                c.colspan = 5
    t1.cells = [c for c in t1.cells if not (c.row == 0 and c.col > 0)]
    t2.cells = [c for c in t2.cells if not (c.row == 0 and c.col > 0) and not (c.row == 1 and c.col not in (0, 5))]
    cells, out = cells_of(Document("x", "pdf", items=[t1, t2]))
    assert cells[("review_litigation", "review", "total")].value == 3
    assert cells[("review_litigation", "litigation_direct", "upheld")].value == 1
    assert cells[("review_litigation", "litigation_after_review", "other")].value == 1
    assert not [f for f in out.findings if f.rule == "extract.aligned"]


def test_a_legal_entity_subtotal_column_is_read_and_checked():
    from pipeline.checks import check_report
    rows = [["", "申请人情况", "", "", "", "", "", "", "", ""],
            ["", "自然人", "法人或其他组织", "", "", "", "", "", "总计"],
            ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "小计", ""],
            ["一、本年新收政府信息公开申请数量", "3", "1", "0", "0", "0", "2", "3", "6"],
            ["二、上年结转政府信息公开申请数量", "3", "1", "0", "0", "0", "1", "3", "5"]]
    cells, _ = cells_of(Document("x", "pdf", items=[grid_table(rows)]))
    assert cells[("requests", "new", "legal_entity_subtotal")].value == 3
    assert cells[("requests", "new", "total")].value == 6
    flags = {f.flag: f for f in check_report(list(cells.values())).findings if f.severity == "error"}
    assert set(flags) == {"requests.subtotal@carried_over"}          # 1 + 0 + 0 + 0 + 1 ≠ 3
