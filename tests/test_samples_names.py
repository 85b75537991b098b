"""Samples the generator writes with name variants — 政府 for 人民政府, short forms in the title
(市交通局, 人社局, 北山街道), a one-character slip in a district's name, a title over two lines
after a "正文" line: the office is right for every document, and each office has one office_id
across its years and forms."""
from __future__ import annotations

import csv
from collections import Counter

import pandas as pd
import pytest

from pipeline.outputs.score import score
from pipeline.runtime.run import run
from samples import content, generate

SEED, COUNT = 0, 90
FORMS = ("txt", "md")


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    raw, truth = tmp_path_factory.mktemp("names_raw"), tmp_path_factory.mktemp("names_truth")
    generate(raw, truth, forms=FORMS, count=COUNT, seed=SEED, workers=1)
    out = tmp_path_factory.mktemp("names_out")
    run(raw, out, workers=2, progress=False)
    return truth, out


@pytest.mark.unit
def test_the_samples_hold_every_naming_variant():
    reports = content.build_reports(SEED, COUNT)
    namings = Counter(r.spec.naming for r in reports)
    assert set(namings) == set(content.NAMINGS)
    assert any(r.spec.title_style == "after_label" for r in reports)
    # some offices change how they name themselves from one year to the next
    by_office = {}
    for r in reports:
        by_office.setdefault(r.qualified_office, set()).add(r.title_office)
    assert sum(len(v) > 1 for v in by_office.values()) >= 3


@pytest.mark.unit
def test_each_variant_as_written():
    xw = content.make_report(content.Spec(content.XUANWU, 2022, "2021", naming="short_gov"))
    assert (xw.title_office, xw.compiler, xw.qualified_office) == ("玄武区政府", "南京市玄武区政府办公室", "南京市玄武区人民政府")
    bh = content.make_report(content.Spec(content.BAOHE, 2019, "2019", naming="slip"))
    assert bh.title_office == bh.printed_qualified == "合肥市抱河区人民政府"
    sz = content.make_report(content.Spec(content.SUZHOU_TRANSPORT, 2021, "2021", naming="abbrev"))
    assert sz.title_office in ("苏州市交通局", "市交通局") and sz.office == "苏州市交通运输局"
    lines = content.title_lines(content.make_report(content.Spec(content.XUANWU, 2021, "2021", title_style="after_label")))
    assert lines == ["正文", "玄武区人民政府2021年政府信息公开", "工作年度报告"]


@pytest.mark.unit
def test_a_short_title_says_its_citys_level_word_and_a_slip_points_at_one_office():
    """A department of an 自治州 is 州医保局 for short, never 市医保局; a slip is no division's
    name, keeps more than the suffix, and is one character away from no other division of the
    city (the report would not say which office it is)."""
    import random

    from samples import gazetteer, offices
    d = next(d for d in gazetteer.divisions() if d.name == "甘南藏族自治州")
    dept = next(i for i, x in enumerate(offices.CITY_DEPTS) if x.name == "医疗保障局")
    office = offices.make("dept", d.adcode, dept, random.Random(0))
    titles = {content.make_report(content.Spec(office, year, "2021", naming="abbrev")).title_office
              for year in range(2019, 2026)}
    assert titles <= {"州医保局", "甘南藏族自治州医保局"} and "州医保局" in titles
    for d in gazetteer.divisions():
        if d.is_district:
            slipped = content._slipped(offices.make("gov", d.adcode, 0, random.Random(0)))
            if slipped:
                district, slip = slipped
                assert slip not in gazetteer.names() and len(slip) >= 3
                assert not [o.name for o in gazetteer.divisions() if o.city == d.city and o.name != district
                            and len(o.name) == len(slip) and sum(a != b for a, b in zip(o.name, slip)) == 1]


@pytest.mark.e2e
def test_the_office_is_right_for_every_document(named):
    truth, out = named
    scores = score(out, truth)
    assert len(scores) == COUNT * len(FORMS)
    wrong = [(s.file, s.problems[:3]) for s in scores if not s.perfect]
    assert wrong == []
    reports = pd.read_parquet(out / "reports.parquet").set_index("source")
    t = pd.read_csv(truth / "reports.csv", keep_default_na=False).set_index("file")
    for col in ("province", "city", "county"):
        assert (reports[col].fillna("") == t.loc[reports.index, col]).all(), col


@pytest.mark.e2e
def test_one_office_id_per_office_across_years_and_forms(named):
    truth, out = named
    reports = pd.read_parquet(out / "reports.parquet").set_index("source")
    t = pd.read_csv(truth / "reports.csv").set_index("file")
    per_office = reports.groupby(t.loc[reports.index, "office"])["office_id"].nunique()
    assert (per_office == 1).all(), list(per_office[per_office > 1].index)
    assert reports["office_id"].nunique() == t["office"].nunique()
    printed = reports.groupby("office_id")["office_as_printed"].nunique()
    assert (printed > 1).sum() >= 3                    # offices that named themselves differently


@pytest.mark.e2e
def test_the_cross_year_flags_the_truth_implies_once_each(named):
    truth, out = named
    with open(truth / "cross_year.csv", encoding="utf-8") as f:
        expected = {(r["office"], int(r["year"])): {x for x in r["flags"].split(";") if x} for r in csv.DictReader(f)}
    reports = pd.read_parquet(out / "reports.parquet")
    flags = pd.read_parquet(out / "flags.parquet")
    errors = flags[flags["rule"].str.startswith("cross_year.") & (flags["severity"] == "error")]
    canonical = reports[reports["canonical"]]
    assert set(errors["report_id"]) <= set(canonical["report_id"])
    got = {(r.office, r.year): set(errors[errors["report_id"] == r.report_id]["flag"])
           for r in canonical.itertuples() if (r.office, r.year) in expected}
    assert got == expected
    assert len(errors) == sum(len(v) for v in expected.values())
    panel = pd.read_parquet(out / "panel.parquet")
    assert len(panel) == COUNT and not panel.duplicated(["office_id", "year"]).any()
