"""Small pieces with sharp edges: cell values, label matching, titles, sections."""
from __future__ import annotations

import pytest

from pipeline.core.options import ExtractSettings
from pipeline.core.values import amount_factor, parse
from pipeline.extract.identity import qualify
from pipeline.extract.meta import parse_title
from pipeline.formats import labels as L
from pipeline.formats.headings import heading_code

ACCEPT = ExtractSettings().label_accept      # the extractor's label-match acceptance
pytestmark = pytest.mark.unit


@pytest.mark.parametrize("raw,kind,value", [
    ("0", "number", 0), ("1,036", "number", 1036), ("+2", "number", 2), ("-8", "number", -8),
    ("96171.6", "number", 96171.6), ("160.5964万元", "number", 160.5964), ("251000元", "number", 25.1),
    ("１２３", "number", 123), ("－３", "number", -3), ("", "blank", None), ("\xa0 ", "blank", None),
    ("/", "na", None), ("—", "na", None), ("--", "na", None), ("无", "na", None), ("不适用", "na", None),
    ("详见附件", "text", None), ("22（其中修订16件）", "text", 22),
])
def test_cell_kinds(raw, kind, value):
    v = parse(raw)
    assert v.kind == kind
    assert v.value == (pytest.approx(value) if value is not None else None)


def test_amount_unit_from_header():
    assert amount_factor("本年收费金额（单位：万元）") == 1.0
    assert amount_factor("收费金额（单位：元）") == 0.0001
    assert parse("2500", amount_factor("金额（元）")).value == pytest.approx(0.25)


@pytest.mark.parametrize("text,code", [
    ("2.其他法律行政止公开", "withheld_prohibited"),       # typo seen in a real report
    ("5.属于三类内容事务信息", "withheld_internal"),        # typo
    ("（二）部分公开（区分处理的，只计这一情 形，不\n计其他情形）", "partially_granted"),
    ("4.无正当理由大量反复 申请", "not_processed_excessive"),
    ("四、结转下年度继续办理", "carried_forward"),
    ("(七) 总 计", "total"),
])
def test_request_row_labels(text, code):
    m = L.match(text, L.labels("requests", "row"), ACCEPT)
    assert m is not None and m.code == code


def test_unrelated_label_is_not_matched():
    assert L.match("政府网站管理平台", L.labels("requests", "row"), ACCEPT) is None
    assert L.match("合计", L.labels("active", "row"), ACCEPT) is None


def test_match_records_confidence():
    exact = L.match("行政许可", L.labels("active", "row"), ACCEPT)
    typo = L.match("行政许", L.labels("active", "row"), ACCEPT)
    assert exact.score == 1.0 and typo is not None and typo.score < 1.0


@pytest.mark.parametrize("title,office,year", [
    ("洪泽区人民政府2023年政府信息公开工作年度报告", "洪泽区人民政府", 2023),
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2019),
    ("沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局", "沭阳县发展和改革局", 2023),
    ("南京市交通运输局政府信息公开工作年度报告（2022年）", "南京市交通运输局", 2022),
    ("2023年政府信息公开工作年度报告", None, 2023),
])
def test_titles(title, office, year):
    assert parse_title(title) == (office, year)


def test_district_is_qualified_with_its_city_but_county_is_not():
    assert qualify("洪泽区人民政府", "本报告由淮安市洪泽区人民政府办公室编制") == "淮安市洪泽区人民政府"
    assert qualify("沭阳县发展和改革局", "宿迁市沭阳县发展和改革局") == "沭阳县发展和改革局"
    # 鼓楼区 exists in four cities: without the text naming one, no city is guessed
    assert qualify("鼓楼区人民政府", "本区") == "鼓楼区人民政府"
    assert qualify("鼓楼区人民政府", "福州市鼓楼区人民政府办公室") == "福州市鼓楼区人民政府"


@pytest.mark.parametrize("line,after,code", [
    ("一、总体情况", -1, "overview"),
    ("一、总体工作情况", -1, "overview"),
    ("二、主动公开政府信息情况", 0, "active"),
    ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", 2, "review_litigation"),
    ("五、存在的主要问题及改进情况", 3, "problems"),
    ("（二）依申请公开情况", 0, None),            # a sub-heading, not section 三
    ("四、结转下年度继续办理", 2, None),          # a table row
    ("二、主动公开政府信息情况", 3, None),        # sections come in order
])
def test_headings(line, after, code):
    assert heading_code(line, after) == code


@pytest.mark.parametrize("raw,kind,value", [
    ("一", "na", None), ("·0", "number", 0), ("12·", "number", 12), ("2.", "number", 2),
    ("1,234.", "number", 1234), ("2.5", "number", 2.5), ("20 1", "number", 201), (".5", "text", None)])
def test_scan_artefacts_in_cells(raw, kind, value):
    v = parse(raw)
    assert (v.kind, v.value) == (kind, value)


def test_office_from_the_opening_sentence_when_the_title_has_none():
    from pipeline.extract.meta import office_in_text
    assert office_in_text("根据《条例》规定，现公布重庆市渝中区人民政府2023年政府信息公开工作年度报告。") \
        == "重庆市渝中区人民政府"
    assert office_in_text("现将本机关2023年政府信息公开工作年度报告公布如下") is None
