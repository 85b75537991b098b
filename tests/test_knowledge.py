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
from pipeline.extract import tables as T


@pytest.fixture
def extra_rows(monkeypatch):
    """Add rows to a data table for one test: `extra_rows("x.csv", {...}, cached_fn, …)`; the
    functions that cache what they read from it are cleared before and after."""
    cleared = []

    def add(name: str, rows: list, *cached):
        real = data.rows

        def rows_with(n):
            return real(n) + tuple(rows) if n == name else real(n)
        monkeypatch.setattr(data, "rows", rows_with)
        for fn in cached:
            fn.cache_clear()
        cleared.extend(cached)

    yield add
    monkeypatch.undo()
    for fn in cleared:
        fn.cache_clear()


# ---------------------------------------------------------------- ExtractSettings

@pytest.mark.parametrize("field,bad", [
    ("label_accept", 1.5), ("label_accept", 0), ("label_accept", "0.7"), ("aligned_score", -0.1),
    ("order_score", True), ("max_splits", 0), ("max_parts", 2.5), ("max_combinations", -1), ("max_sums", None),
])
def test_a_bad_setting_is_refused_naming_its_field(field, bad):
    with pytest.raises(ValueError, match=rf"ExtractSettings\.{field} \(.+\) must be .*not {bad!r}"):
        ExtractSettings(**{field: bad})


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
    return {(c["table_code"], c["row_code"], c["col_code"]): c for c in extract(doc, None, settings)["cells"]}


def test_the_extractor_reads_with_the_settings_it_is_given():
    doc = _requests_with_a_smudged_header()
    key = ("requests", "new", "research")
    assert _cells(doc)[key]["match_score"] == ExtractSettings().inferred_column_score
    assert _cells(doc, ExtractSettings(inferred_column_score=0.25))[key]["match_score"] == 0.25
    # a row label with words missing matches below 1; an acceptance above its score refuses it
    rows = [["", "", "申请人情况", "", "", "", "", "", ""],
            ["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
            ["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
            ["", "一、本年新收政府信息申请数", "3", "1", "2", "0", "0", "0", "6"]]
    typo = Document("x", "pdf", items=[table_from_rows(rows, page=1)])
    read = _cells(typo)[("requests", "new", "total")]
    assert ExtractSettings().label_accept <= read["match_score"] < 1
    strict = ExtractSettings(label_accept=min(1.0, read["match_score"] + 0.01))
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
