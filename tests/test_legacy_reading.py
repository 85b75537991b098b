"""What generated legacy reports taught the readers of reports before 2019, one case each: the
State Council's form in a crawler's copy (a 代码 before the unit, section rows, na marks only),
amounts with decimals, the text's figures (a 、 between them, thousands separators, lines a PDF
wrapped, a number cut in two, a code that is no figure, the text that contradicts the arithmetic's
cut), tables a converter cut and joined, a zone's 管委会, a crawler's header block, a Word page with
one heading, and the legacy outline's own sections."""
from __future__ import annotations

import pytest

from pipeline.core.model import Document, TextBlock, table_from_rows
from pipeline.core.options import ExtractSettings
from pipeline.extract import legacy_runs, legacy_text
from pipeline.extract.collect import Collector
from pipeline.extract.identity import identify
from pipeline.extract.legacy import extract_legacy
from pipeline.segment.sections import segment

HEADER = "附件1：某县人民政府2013年政府信息公开情况统计表 指标名称计量单位2013年度历年累计"
FORM = "附件：某局2012年政府信息公开工作情况统计表 指标名称代码计量单位本期实际本年累计"


def _read_runs(*texts):
    blocks = [TextBlock(t) for t in texts]
    out = Collector(ExtractSettings())
    stated, _ = legacy_text.figures(Document("x.txt", "txt", items=blocks))
    printed = legacy_runs.read_table(legacy_runs.find(blocks), out, stated)
    return {(c.row_code, c.col_code): (c.kind, c.value) for c in out.cells}, out.findings, printed


def _figures(*blocks):
    items = [b if isinstance(b, TextBlock) else TextBlock(b) for b in blocks]
    sure, unsure = legacy_text.figures(Document("x.txt", "txt", items=items))
    return {k[0]: f.value for k, f in sure.items()}, {k[0] for k in unsure}


# -- a crawler's copy ------------------------------------------------------------------------------

@pytest.mark.unit
def test_the_state_council_form_run_together_code_unit_section_rows_and_na_marks():
    cells, findings, printed = _read_runs(
        FORM + "一、主动公开情况主动公开政府信息数01条77二、依申请公开情况受理依申请公开信息总数04件33"
        "其中：1.当面申请数05件——2.网上申请数06件33")
    assert cells == {("active_total", "year"): ("number", 7), ("active_total", "year_to_date"): ("number", 7),
                     ("requests_total", "year"): ("number", 3), ("requests_total", "year_to_date"): ("number", 3),
                     ("requests_in_person", "year"): ("na", None), ("requests_in_person", "year_to_date"): ("na", None),
                     ("requests_online", "year"): ("number", 3), ("requests_online", "year_to_date"): ("number", 3)}
    assert not [f for f in findings if f.rule == "extract.unplaced"]


@pytest.mark.unit
def test_a_section_row_before_an_indicator_of_the_office_s_own_is_reported_not_guessed():
    cells, findings, printed = _read_runs(FORM + "行政复议数28件11五、其他指标政府信息公开工作专职人员数32人22")
    assert set(cells) == {("review", "year"), ("review", "year_to_date")}
    [f] = [f for f in findings if f.rule == "extract.unplaced"]
    assert "其他指标政府信息公开工作专职人员数" in f.found and "节标题" in f.message_zh


@pytest.mark.unit
def test_an_amount_s_run_holds_its_decimal_point():
    cells, _, _ = _read_runs(HEADER.replace("计量单位", "单位") + "依申请公开收费金额万元00.0444行政复议数条00")
    assert cells[("fees", "year")] == ("number", 0) and cells[("fees", "cumulative")] == ("number", 0.0444)


@pytest.mark.unit
def test_a_blank_last_cell_before_the_text_s_own_space():
    cells, _, _ = _read_runs(HEADER + "行政复议数条0\u00a0 附件下载")
    assert cells == {("review", "year"): ("number", 0), ("review", "cumulative"): ("blank", None)}


@pytest.mark.unit
def test_a_cut_the_text_contradicts_is_no_reading():
    # 479|116 breaks 本年度 ≤ 历年累计 (the report's own error); 47|9116 with 9|4324 keeps every
    # relation — but the text says 479: the arithmetic's cut is no evidence, nothing is read
    cells, findings, _ = _read_runs("全年主动公开政府信息479条。", HEADER + "主动公开信息数条479116其中：1.网站公开条94324")
    assert cells == {}
    assert all("479条" in f.message_zh for f in findings if f.rule == "extract.unplaced")


# -- figures stated in the text ---------------------------------------------------------------------

@pytest.mark.unit
def test_channels_listed_with_a_dun_comma_and_numbers_with_thousands_separators():
    figures, _ = _figures("全年共收到政府信息公开申请1,012件，其中当面申请12件、网上申请1,000件。",
                          "（二）公开的数量 2013年新增主动公开政府信息2,409条。")
    assert figures == {"requests_total": 1012, "requests_in_person": 12, "requests_online": 1000, "active_total": 2409}
    assert _figures("全年因政府信息公开申请提起行政复议、行政诉讼0件。")[0] == {}      # a count of both


@pytest.mark.unit
def test_a_sentence_a_pdf_wrapped_is_read_whole_and_a_code_is_no_figure():
    lines = [TextBlock("三、依申请公开政府信息情况", 1, (77, 84, 298, 101)),
             TextBlock("2012年，我区共受理政府信息公开申请35件，其中当面申请18", 1, (107, 118, 507, 133)),
             TextBlock("件、网上申请17件。本年度未向申请人收取任何费用。", 1, (77, 144, 531, 159)),
             TextBlock("主动公开政府信息数01条", 1, (77, 170, 300, 185))]
    figures, _ = _figures(*lines)
    assert figures == {"requests_total": 35, "requests_in_person": 18, "requests_online": 17, "fees": 0}


@pytest.mark.unit
def test_a_number_cut_in_two_is_reported_not_taken():
    figures, unsure = _figures("对申请的答复3 5件，其中同意公开27件。")
    assert "responses_total" not in figures and "responses_total" in unsure
    assert figures["responses_granted"] == 27


@pytest.mark.unit
def test_wordings_of_none():
    figures, _ = _figures("全年未发生因政府信息公开申请提起行政复议、行政诉讼的情况。",
                          "本年度本局未收到公民、法人或其他组织提出的政府信息公开申请。",
                          "2017年，街道主动公开各类政府信息81条。已答复3件。")
    assert figures == {"review": 0, "litigation": 0, "requests_total": 0, "active_total": 81, "responses_total": 3}


# -- tables a converter cut and joined ------------------------------------------------------------

def _legacy_cells(items):
    r = extract_legacy(Document("x.md", "md", items=items))
    return {(c.row_code, c.col_code): c.value for c in r.cells}, r


@pytest.mark.unit
def test_a_header_printed_again_inside_a_table_and_a_header_line_above_one():
    header = ["指标名称", "计量单位", "2013年度", "历年累计"]
    joined = table_from_rows([header, ["主动公开信息数", "条", "12", "30"], header, ["行政复议数", "条", "1", "2"]])
    cells, r = _legacy_cells([joined])
    assert cells == {("active_total", "year"): 12, ("active_total", "cumulative"): 30,
                     ("review", "year"): 1, ("review", "cumulative"): 2}
    assert r.completeness.found == r.completeness.expected == 4
    cells, r = _legacy_cells([TextBlock("指标名称 计量单位 2013 年度 历年累计"), TextBlock("一、主动公开情况"),
                              table_from_rows([["主动公开信息数", "条", "12", "30", ""]])])
    assert cells == {("active_total", "year"): 12, ("active_total", "cumulative"): 30}


@pytest.mark.unit
def test_rows_above_a_header_no_header_reaches_are_reported():
    header = ["指标名称", "计量单位", "2013年度", "历年累计"]
    cells, r = _legacy_cells([table_from_rows([["主动公开信息数", "条", "12", "30"], header, ["行政复议数", "条", "1", "2"]])])
    assert set(cells) == {("review", "year"), ("review", "cumulative")}
    assert "structure.missing_rows" in {f.rule for f in r.findings}


# -- who, where, which sections ---------------------------------------------------------------------

@pytest.mark.unit
def test_a_zone_s_management_committee_is_the_zone():
    zone = identify("平潭综合实验区")
    for printed in ("平潭综合实验区管理委员会", "平潭综合实验区管委会"):
        i = identify(printed)
        assert (i.office, i.office_id, i.office_as_printed) == (zone.office, zone.office_id, printed)
    assert identify("平潭综合实验区管委会办公室").kind == "department"


@pytest.mark.e2e
def test_a_crawler_header_block_with_fields_no_key_names(tmp_path):
    from pipeline.readers.text import read
    p = tmp_path / "x.txt"
    p.write_text("标题: 某县人民政府2012年政府信息公开工作年度报告\n发布时间: 2013-01-17 00:00\n文号: \n"
                 "栏目: 政府信息公开年报\n本地目录: zwgk/zfxxgknb/201301/80725\n页面链接与图片详见 links.tsv(同目录)\n"
                 "==================== 正文 ====================\n正文第一行。\n", encoding="utf-8")
    d = read(p)
    assert d.meta["title"] == "某县人民政府2012年政府信息公开工作年度报告"
    assert [b.text for b in d.blocks] == ["正文第一行。"]


@pytest.mark.e2e
def test_a_word_page_whose_one_heading_a_single_span_holds_is_read_whole(tmp_path):
    from pipeline.readers.html import read
    runs = lambda t: "".join(f"<span style='font-family:仿宋'><font>{t[i:i + 3]}</font></span>" for i in range(0, len(t), 3))
    body = ["<p class=MsoNormal><span><font>一、概述</font></span></p>",
            f"<p class=MsoNormal>{runs('本年度未收到政府信息公开申请。')}</p>",
            f"<p class=MsoNormal>{runs('二、主动公开政府信息情况')}</p>",
            f"<p class=MsoNormal>{runs('全年共主动公开政府信息45条。')}</p>"]
    p = tmp_path / "x_word.html"
    p.write_text("<html><body><div class=WordSection1>" + "\n".join(body) + "</div></body></html>", encoding="utf-8")
    assert [b.text for b in read(p).blocks] == ["一、概述", "本年度未收到政府信息公开申请。", "二、主动公开政府信息情况",
                                               "全年共主动公开政府信息45条。"]


@pytest.mark.unit
def test_legacy_sections_of_the_office_s_own_and_a_wrapped_list_of_the_parts():
    lines = [TextBlock("本报告全文包括概述、主动公开政府信息情况、依申请公开政府信息情况、政", 1, (77, 80, 512, 95)),
             TextBlock("府信息公开的收费及减免情况、因政府信息公开申请行政复议、提起行", 1, (77, 106, 512, 121)),
             TextBlock("政诉讼的情况。", 1, (77, 132, 190, 147)),
             TextBlock("一、概述", 1, (77, 160, 150, 175)),
             TextBlock("二、政府信息公开保障情况", 1, (77, 190, 300, 205)),
             TextBlock("三、主动公开政府信息情况", 1, (77, 220, 300, 235)),
             TextBlock("四、依申请公开政府信息和不予公开政府信息的情况", 1, (77, 250, 480, 265))]
    seg = segment(Document("x.pdf", "pdf", items=lines), "legacy")
    assert [(s.code, s.heading) for s in seg.sections] == [
        ("overview", "一、概述"), ("active", "三、主动公开政府信息情况"), ("requests", "四、依申请公开政府信息和不予公开政府信息的情况")]
