"""Settings and knowledge as data: the extractor's thresholds are one validated settings object
that reaches the extractor; each piece of format knowledge is one data table, read by every
place that needs it, and a row added to the table takes effect there."""
from __future__ import annotations

import dataclasses

import pytest

from pipeline import data
from pipeline.core import values
from pipeline.core.model import Document, TextBlock, table_from_rows
from pipeline.core.options import ExtractSettings, Options
from pipeline.core.store import STAGES
from pipeline.extract import align, extract
from pipeline.extract import gazetteer as G
from pipeline.extract import identity as I
from pipeline.extract import tables as T


@pytest.fixture
def table_rows(monkeypatch):
    """Give a data table other rows for one test: `table_rows("x.csv", change, cached_fn, …)`,
    `change` a function of the table's rows; the functions that cache what they read from it
    are cleared before and after."""
    cleared = []

    def use(name: str, change, *cached):
        real = data.rows
        monkeypatch.setattr(data, "rows", lambda n: tuple(change(real(n))) if n == name else real(n))
        for fn in cached:
            fn.cache_clear()
        cleared.extend(cached)

    yield use
    monkeypatch.undo()
    for fn in cleared:
        fn.cache_clear()


@pytest.fixture
def extra_rows(table_rows):
    """Add rows to a data table for one test: `extra_rows("x.csv", [{...}], cached_fn, …)`."""
    return lambda name, rows, *cached: table_rows(name, lambda old: old + tuple(rows), *cached)


# ---------------------------------------------------------------- ExtractSettings

@pytest.mark.parametrize("field,bad", [
    ("label_accept", 1.5), ("label_accept", 0), ("label_accept", "0.7"), ("aligned_score", -0.1),
    ("order_score", True), ("max_splits", 0), ("max_parts", 2.5), ("max_combinations", -1), ("max_sums", None),
])
def test_a_bad_setting_is_refused_naming_its_field(field, bad):
    with pytest.raises(ValueError, match=rf"ExtractSettings\.{field} \(.+\) must be .*not {bad!r}"):
        ExtractSettings(**{field: bad})

pytestmark = pytest.mark.unit


def test_settings_that_contradict_each_other_are_refused_naming_both():
    with pytest.raises(ValueError, match="aligned_score .* must be below label_accept"):
        ExtractSettings(label_accept=0.6, aligned_score=0.65)
    with pytest.raises(ValueError, match="inferred_column_score .* must not be above aligned_score"):
        ExtractSettings(inferred_column_score=0.65)


def test_every_setting_says_what_it_means_and_is_valid_by_default():
    s = ExtractSettings()
    for f in dataclasses.fields(s):
        assert f.metadata["meaning"] and f.metadata["kind"] in ("score", "bound"), f.name
    assert Options().extract_settings == s


def test_the_settings_are_in_the_extract_stage_cache_key_and_no_earlier_one():
    a, b = Options(), Options(extract_settings=ExtractSettings(max_splits=8))
    assert a.cache_key("extract", STAGES) != b.cache_key("extract", STAGES)
    assert a.cache_key("check", STAGES) != b.cache_key("check", STAGES)
    assert a.cache_key("parse", STAGES) == b.cache_key("parse", STAGES)
    assert a.cache_key("segment", STAGES) == b.cache_key("segment", STAGES)


def _requests_with_a_smudged_header():
    rows = [["", "", "申请人情况", "", "", "", "", "", ""],
            ["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
            ["", "", "", "商业企业", "机木勾", "社会公益组织", "法律服务机构", "其他", ""],  # smudged 科研机构
            ["", "一、本年新收政府信息公开申请数量", "3", "1", "2", "0", "0", "0", "6"]]
    return Document("x", "pdf", items=[table_from_rows(rows, page=1)])


def _cells(doc, settings=ExtractSettings()):
    return {c.key: c for c in extract(doc, None, settings).cells}


def test_the_extractor_reads_with_the_settings_it_is_given():
    doc = _requests_with_a_smudged_header()
    key = ("requests", "new", "research")
    assert _cells(doc)[key].match_score == ExtractSettings().inferred_column_score
    assert _cells(doc, ExtractSettings(inferred_column_score=0.25))[key].match_score == 0.25
    # a row label with words missing matches below 1; an acceptance above its score refuses it
    rows = [["", "", "申请人情况", "", "", "", "", "", ""],
            ["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
            ["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
            ["", "一、本年新收政府信息申请数", "3", "1", "2", "0", "0", "0", "6"]]
    typo = Document("x", "pdf", items=[table_from_rows(rows, page=1)])
    read = _cells(typo)[("requests", "new", "total")]
    assert ExtractSettings().label_accept <= read.match_score < 1
    strict = ExtractSettings(label_accept=min(1.0, read.match_score + 0.01))
    assert ("requests", "new", "total") not in _cells(typo, strict)


def test_the_search_bounds_reach_the_digit_splitter():
    row_sum = [(6, [0, 1, 2, 3, 4, 5])]
    assert len(align.split_digits("98100246120", 7, row_sum, ExtractSettings())) == 2
    # the search stops once more than max_splits are found: "123456" cuts into three numbers ten ways
    assert len(align.split_digits("123456", 3, [], ExtractSettings())) == 10
    assert len(align.split_digits("123456", 3, [], ExtractSettings(max_splits=3))) == 4
    assert align.split_digits("98100246120", 7, row_sum, ExtractSettings(max_parts=6)) == []


# ---------------------------------------------------------------- na marks (data/na_marks.csv)

def test_the_na_marks_the_value_parser_knows_are_exactly_the_table_s():
    marks = {r["mark"] for r in data.rows("na_marks.csv")}
    assert values.na_marks().cells == marks
    assert all(values.parse(m).kind == "na" for m in marks)
    assert all(values.parse(m).kind != "na" for m in ("0", "", "详见附件", "一二", "N", "///"))


def test_the_marks_read_inside_a_run_of_values_are_the_table_s():
    table = data.rows("na_marks.csv")
    in_run = {r["mark"] for r in table if r["in_run"]}
    dashes = {r["mark"] for r in table if r["in_run"] == "dash"}
    assert set(values.na_marks().in_run) == in_run and set(values.na_marks().dashes) == dashes
    # the line reader (extract/tables.text_row) and the run reader (extract/align.read_run)
    for mark in in_run:
        row = T.text_row(TextBlock(f"行政许可 5{mark}{mark}5", page=1))
        assert row.run == f" 5{mark}{mark}5" or row.run == f"5{mark}{mark}5", (mark, row.run)
        assert [c.text for c in row.cells[row.labels:]] == ["5", mark, mark, "5"], mark
        assert align.read_run(f"5{mark}5", 3, [], ExtractSettings()) == [["5", mark, "5"]], mark
    for dash in dashes:
        assert [c.text for c in T.text_row(TextBlock(f"行政许可 5 {dash * 2} 5", page=1)).cells[1:]] \
            == ["5", dash * 2, "5"]


def test_a_new_na_mark_is_read_as_na(extra_rows):
    assert values.parse("未发生").kind == "text"
    extra_rows("na_marks.csv", [{"mark": "未发生", "in_run": "", "note": ""}], values.na_marks)
    assert values.parse("未发生").kind == "na"
    assert values.parse(" 未发生 ").kind == "na"


def test_a_new_mark_read_inside_a_run_takes_effect_there(extra_rows):
    assert T.text_row(TextBlock("行政许可 5※5", page=1)).run is None
    extra_rows("na_marks.csv", [{"mark": "※", "in_run": "mark", "note": ""}], values.na_marks, T._label_run)
    row = T.text_row(TextBlock("行政许可 5※5", page=1))
    assert [c.text for c in row.cells[row.labels:]] == ["5", "※", "5"]
    assert align.read_run("5※5", 3, [], ExtractSettings()) == [["5", "※", "5"]]


def test_a_multi_character_mark_cannot_be_read_inside_a_run(extra_rows):
    extra_rows("na_marks.csv", [{"mark": "不详", "in_run": "mark", "note": ""}], values.na_marks)
    with pytest.raises(ValueError, match="na_marks.csv: '不详'"):
        values.na_marks()


# ---------------------------------------------------------------- division suffixes (data/division_suffixes.csv)

def test_the_division_suffixes_make_the_stems_the_corrections_and_the_level_words():
    rows = data.rows("division_suffixes.csv")
    suffixes = G.division_suffixes()
    assert set(suffixes.last) == {r["suffix"][-1] for r in rows}
    assert [I._stem(n) for n in ("新疆维吾尔自治区", "江苏省", "宿迁市", "恩施土家族苗族自治州", "锡林郭勒盟")] \
        == ["新疆", "江苏", "宿迁", "恩施土家族苗族", "锡林郭勒"]
    assert I._stem("洪泽区") == "洪泽区"          # a county-level suffix is no province's or city's
    assert I._stem("杭州") == "杭州"              # 州 is a level word (州医保局), no suffix
    assert G.level_words() == {r["word"]: tuple(map(int, r["ranks"].split())) for r in data.rows("level_words.csv")}


def test_a_name_is_corrected_only_when_it_ends_in_a_suffix_of_the_table(table_rows):
    assert I.identify("沐阳县发改局", "宿迁市").division_code == "321322"      # 沭阳县
    table_rows("division_suffixes.csv", lambda rows: [r for r in rows if r["suffix"] != "县"],
               G.division_suffixes, G._near_index)
    assert I.identify("沐阳县发改局", "宿迁市").division_code is None


def test_a_new_level_word_takes_effect(extra_rows):
    text = "土默特左旗发展和改革委员会2022年政府信息公开工作年度报告。本报告由土默特左旗发展和改革委员会编制。"
    assert I.identify("旗发改委", text).division_code is None
    extra_rows("level_words.csv", [{"word": "旗", "ranks": "2", "note": ""}], G.level_words)
    assert I.identify("旗发改委", text).office == "土默特左旗发展和改革委员会"


# ---------------------------------------------------------------- title words (data/title_words.csv)

def _title_users():
    """What each user of the title words makes of a report on 数据开放 (no title word of the table)."""
    from bs4 import BeautifulSoup

    from pipeline.extract import meta
    from pipeline.formats import headings as H
    from pipeline.readers import html
    page = BeautifulSoup("<body><div><p>首页</p><h1>南京市人民政府数据开放工作年度总结</h1><p>一、总体情况</p></div></body>",
                         "lxml")
    title = html._title_element(page.body)
    return {"title": meta.parse_title("南京市人民政府2023年数据开放工作年度总结"),
            "candidate": meta._titles().hint.search("南京市人民政府2023年数据开放年度总结") is not None,
            "year in the text": meta.find_year(None, "2023年度数据开放工作稳步推进"),
            "office named in the text": meta.offices_in_text("现公布南京市人民政府2023年数据开放工作年度总结"),
            "web page title": title.get_text() if title is not None else None,
            "attachment link": H.annual_report_words().search("附件：2023年度总结.pdf") is not None}


def test_the_title_words_are_the_table_s():
    from pipeline.formats import headings as H
    rows = data.rows("title_words.csv")
    w = H.title_words()
    assert set(w.subject.split("|")) == {r["word"] for r in rows if r["role"] == "subject"}
    assert set(w.annual.split("|")) == {r["word"] for r in rows if r["role"] == "annual"}
    assert set(w.report.split("|")) == {r["word"] for r in rows if r["role"] in ("annual", "report")}


def test_new_title_words_take_effect_in_every_user(extra_rows):
    from pipeline.extract import meta
    from pipeline.formats import headings as H
    assert _title_users() == {"title": (None, None), "candidate": False, "year in the text": None,
                              "office named in the text": [], "web page title": None, "attachment link": False}
    extra_rows("title_words.csv", [{"word": "数据开放", "role": "subject", "note": ""},
                                   {"word": "年度总结", "role": "annual", "note": ""}],
               H.title_words, H.report_title, H.annual_report_words, meta._titles)
    assert _title_users() == {"title": ("南京市人民政府", 2023), "candidate": True, "year in the text": 2023,
                              "office named in the text": ["南京市人民政府"],
                              "web page title": "南京市人民政府数据开放工作年度总结", "attachment link": True}


# ---------------------------------------------------------------- page marks (data/page_marks.csv)

def _kept_by_the_markdown_reader(line: str) -> bool:
    """Whether a line between two paragraphs reaches the document (a footer does not)."""
    from pipeline.readers import markdown
    items = markdown.parse([(1, "一、总体情况"), (1, ""), (1, line), (1, ""), (1, "二、主动公开政府信息情况")])
    return len(items) == 3


def _kept_by_the_segmenter(text: str) -> bool:
    """Whether a block of text of its own counts in its section's text (a footer does not)."""
    from pipeline.segment.sections import segment
    doc = Document("x", "pdf", items=[TextBlock("一、总体情况", page=1), TextBlock("本机关公开信息。", page=1),
                                      TextBlock(text, page=1)])
    return segment(doc).sections[0].text != "本机关公开信息。"


def _body_mark_dropped(line: str) -> dict:
    """Whether the text reader ends a crawler's header block at the line, and the Markdown reader
    drops it before the first text."""
    from pipeline.readers import markdown, text
    meta, rest = text.header_block(["标题：某局报告", line, "正文第一行"])
    md = markdown._without_body_mark([(1, line), (1, "某局报告")])
    return {"text": (meta, rest) == ({"title": "某局报告"}, ["正文第一行"]), "markdown": md == [(1, "某局报告")]}


def test_every_footer_form_of_the_table_is_dropped_by_both_readers_of_footers():
    footers = [r for r in data.rows("page_marks.csv") if r["kind"] == "footer"]
    assert footers
    for r in footers:
        assert not _kept_by_the_segmenter(r["example"]), r
        assert _kept_by_the_markdown_reader(r["example"]) == (r["alone"] == "yes"), r
    for line in ("— 3 —", "第 3 页 共 5 页", "- 第3页 -", "~ 12 ~", "3/5"):   # forms only one copy knew
        assert not _kept_by_the_markdown_reader(line) and not _kept_by_the_segmenter(line), line
    for line in ("本年新收 3 件", "2021年", "3件"):
        assert _kept_by_the_markdown_reader(line) and _kept_by_the_segmenter(line), line


def test_every_body_mark_of_the_table_is_dropped_by_both_readers_of_body_marks():
    for r in data.rows("page_marks.csv"):
        if r["kind"] == "body":
            assert _body_mark_dropped(r["example"]) == {"text": True, "markdown": True}, r
    for line in ("==== 正文", "正文：", "—— 正文 ——"):            # one-sided marks only one copy knew
        assert _body_mark_dropped(line) == {"text": True, "markdown": True}, line
    assert _body_mark_dropped("正文如下所述") == {"text": False, "markdown": False}


def test_a_new_footer_form_takes_effect_in_both_readers(extra_rows):
    from pipeline.formats import pages
    assert _kept_by_the_markdown_reader("Page 3") and _kept_by_the_segmenter("Page 3")
    extra_rows("page_marks.csv", [{"kind": "footer", "pattern": r"Page\s*\d{1,4}", "alone": "", "example": "",
                                   "note": ""}], pages.page_marks)
    assert not _kept_by_the_markdown_reader("Page 3") and not _kept_by_the_segmenter("Page 3")


# ---------------------------------------------------------------- metadata fields (data/meta_fields.csv)

def _fields_read(label: str, value: str) -> dict:
    """What the text reader's header block and the web page reader's text make of 'label：value'."""
    from pipeline.readers import html_meta, text
    meta, _ = text.header_block([f"{label}：{value}", "==== 正文 ====", "一、总体情况"])
    page = {k: v for k, (_, v) in html_meta._label_values(f"{label}：{value}", 0).items()}
    return {"text": meta, "web page": page}


def test_every_field_of_the_table_is_read_by_the_text_and_the_web_page_readers():
    rows = [r for r in data.rows("meta_fields.csv") if r["key"] and r["key"] != "url"]
    assert rows
    for r in rows:
        value = "2020-01-31" if r["key"] == "date" else "某某局"
        got = _fields_read(r["label"], value)
        assert got["text"] == {r["key"]: value} and got["web page"] == {r["key"]: value}, r


def test_the_metadata_box_is_recognised_by_the_table_s_words():
    from bs4 import BeautifulSoup

    from pipeline.readers import html_meta
    words = [r["label"] for r in data.rows("meta_fields.csv") if r["box"] == "yes"]

    def box(a, b):
        return html_meta.is_meta_table(BeautifulSoup(f"<table><tr><td>{a}</td><td>{b}</td></tr></table>",
                                                     "lxml").table)
    assert all(box(f"{a}：1", f"{b}：2") for a, b in zip(words, words[1:]))
    assert not box("标题：1", "来源：2")


def test_a_new_field_takes_effect_in_both_readers(extra_rows):
    from pipeline.formats import pages
    from pipeline.readers import html_meta, text
    assert _fields_read("成文时间", "2020-01-31") == {"text": {}, "web page": {}}
    extra_rows("meta_fields.csv", [{"label": "成文时间", "key": "date", "priority": "2", "box": "", "note": ""}],
               pages.meta_fields, text._field, html_meta._label_value)
    assert _fields_read("成文时间", "2020-01-31") == {"text": {"date": "2020-01-31"}, "web page": {"date": "2020-01-31"}}


# ---------------------------------------------------------------- year over year (data/yoy_thresholds.csv)

def _report(rid: str, totals: dict):
    from pipeline.core.results import CellRecord
    from pipeline.dataset.cross_year import YearReport
    cells = [CellRecord.at("requests", row, "total", "number", v) for row, v in totals.items()]
    return YearReport(rid, f"{rid}.pdf", "某局", None, None, cells)


def _anomalies(now, prev) -> set:
    from pipeline.dataset.yoy import check_anomalies
    return {f.flag for f in check_anomalies(now, prev, 2022)}


def test_the_year_over_year_checks_use_the_table_s_thresholds():
    from pipeline.dataset.yoy import thresholds
    t = {r["name"]: float(r["value"]) for r in data.rows("yoy_thresholds.csv")}
    assert dataclasses.asdict(thresholds()) == t
    floor, jump = t["jump_floor"], t["jump"]
    prev = _report("a", {"new": floor})
    assert _anomalies(_report("b", {"new": floor * jump}), prev) == {"cross_year.jump@requests.new.total"}
    assert _anomalies(_report("b", {"new": floor * jump - 1}), prev) == set()
    assert _anomalies(_report("b", {"new": 0}), _report("a", {"new": t["zero_floor"]})) \
        == {"cross_year.to_zero@requests.new.total"}
    assert _anomalies(_report("b", {"new": 0}), _report("a", {"new": t["zero_floor"] - 1})) == set()


def test_a_changed_threshold_takes_effect(table_rows):
    from pipeline.dataset import yoy
    prev, now = _report("a", {"new": 30}), _report("b", {"new": 180})
    assert _anomalies(now, prev) == set()                                    # six times: no jump at 10
    table_rows("yoy_thresholds.csv", lambda rows: [{**r, "value": "5"} if r["name"] == "jump" else r for r in rows],
               yoy.thresholds)
    assert _anomalies(now, prev) == {"cross_year.jump@requests.new.total"}


def test_a_threshold_table_that_leaves_one_out_is_refused(table_rows):
    from pipeline.dataset import yoy
    table_rows("yoy_thresholds.csv", lambda rows: [r for r in rows if r["name"] != "jump"], yoy.thresholds)
    with pytest.raises(ValueError, match="yoy_thresholds.csv must give exactly"):
        yoy.thresholds()


# ---------------------------------------------------------------- numbers in messages (core.findings.number_text)

def test_numbers_are_written_one_way_in_every_message():
    from pipeline.core.findings import number_text
    from pipeline.dataset import corrections, groups
    from pipeline.dataset.yoy import check_anomalies
    from pipeline.formats.relations import check_relations
    assert [number_text(v) for v in (463.0, 2.5, 1234567.0, -3.0, 0.125)] == ["463", "2.5", "1234567", "-3", "0.125"]
    from pipeline.core.results import CellRecord
    assert corrections.shown(1234567.0) == groups._value(CellRecord.at("a", "b", "c", "number", 1234567.0)) == "1234567"
    # a year-over-year jump and a broken relation write a large number in full, not 1.23457e+06
    [jump] = check_anomalies(_report("b", {"new": 1234567.0}), _report("a", {"new": 100.0}), 2022)
    assert jump.found == "1234567" and "1234567" in jump.message_en
    cells = [CellRecord.at("review_litigation", "review", c, "number", v)
             for c, v in (("upheld", 1234567.0), ("corrected", 0.0), ("other", 0.0), ("pending", 0.0),
                          ("total", 1.0))]
    [broken] = [f for f in check_relations(cells) if f.rule == "review_litigation.row_sum"]
    assert "1234567" in broken.message_en and "e+06" not in broken.message_en


def test_every_data_table_is_described_where_the_tables_are_listed():
    listed = data.__doc__
    missing = [p.name for p in sorted(data.DATA.iterdir()) if p.suffix in (".csv", ".txt")
               and f"\n{p.name} " not in listed]
    assert not missing, f"describe {missing} in pipeline/data/__init__.py"
