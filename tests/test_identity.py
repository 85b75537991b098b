"""Office identity: one office_id per office, whatever the report calls itself."""
from __future__ import annotations

import pytest

from pipeline.extract import gazetteer as G
from pipeline.extract.identity import identify, normalise_unit


@pytest.mark.parametrize("printed,context,office,office_id", [
    ("玄武区政府", "现公布南京市玄武区人民政府2022年", "南京市玄武区人民政府", "320102:人民政府"),
    ("南京市玄武区人民政府", "", "南京市玄武区人民政府", "320102:人民政府"),
    ("玄武区政府办", "南京市玄武区", "南京市玄武区人民政府办公室", "320102:人民政府办公室"),
    ("沐阳县发展和改革局", "宿迁市", "沭阳县发展和改革局", "321322:发展和改革局"),       # 沐/沭 slip
    ("江苏省沐阳县发改局", "", "江苏省沭阳县发展和改革局", "321322:发展和改革局"),
    ("市科委", "上海市科学技术委员会根据", "上海市科学技术委员会", "310000:科学技术委员会"),
    ("市科委", "《上海市政府信息公开规定》上海市人民政府 上海市", "上海市科学技术委员会", "310000:科学技术委员会"),
    ("苏州市交通局", "", "苏州市交通运输局", "320500:交通运输局"),
    ("人社局", "宜兴市人社局 宜兴市", "宜兴市人力资源和社会保障局", "320282:人力资源和社会保障局"),
    ("北山街道", "本报告由杭州市西湖区北山街道办事处编制", "杭州市西湖区北山街道办事处", "330106:北山街道办事处"),
    # a zone that governs a county reports as the zone, its 管委会 or the county's government:
    # one office across the years (issue 17: 平潭县人民政府 2012–2013, 平潭综合实验区 2020)
    ("平潭综合实验区", "", "平潭综合实验区", "350128:人民政府"),
    ("平潭综合实验区管理委员会", "", "平潭综合实验区", "350128:人民政府"),      # its 管委会 is the zone
    ("平潭县人民政府", "", "平潭县人民政府", "350128:人民政府"),
    ("平潭综合实验区地方税务局", "", "平潭综合实验区地方税务局", "350128:地方税务局"),
    ("洪泽区人民政府", "淮安市洪泽区人民政府办公室", "淮安市洪泽区人民政府", "320813:人民政府"),
    ("东城区人民政府", "", "北京市东城区人民政府", "110101:人民政府"),      # a municipality's district
    ("东成区发改局", "现公布北京市东成区发展和改革局", "北京市东城区发展和改革局", "110101:发展和改革局"),
    # the divisions before a name, read forward with the slip corrected: 何东区 does not end in 攀枝花's 东区
    ("和平街道办事处", "现公布天津市何东区和平街道办事处2022年政府信息公开工作年度报告", "天津市河东区和平街道办事处",
     "120102:和平街道办事处"),
    ("州医保局", "本报告由甘南藏族自治州医疗保障局编制", "甘南藏族自治州医疗保障局", "623000:医疗保障局"),  # 州: an 自治州
    ("盟教育局", "阿拉善盟教育局 阿拉善盟", "阿拉善盟教育局", "152900:教育局"),
])
@pytest.mark.unit
def test_names_and_ids(printed, context, office, office_id):
    i = identify(printed, context)
    assert (i.office, i.office_id, i.office_as_printed) == (office, office_id, printed)


@pytest.mark.unit
def test_level_kind_and_region():
    i = identify("北山街道办事处", "杭州市西湖区北山街道办事处")
    assert (i.level, i.kind, i.province, i.city, i.county) == ("township", "township", "浙江省", "杭州市", "西湖区")
    i = identify("上海市人民政府办公厅")
    assert (i.level, i.kind, i.province, i.city, i.county) == ("province", "department", "上海市", "上海市", "")
    i = identify("平潭综合实验区")
    assert (i.level, i.kind, i.province, i.city, i.county) == ("county", "government", "福建省", "福州市", "平潭县")
    assert identify("苏州市交通运输局").level == "city"


@pytest.mark.unit
def test_a_slip_is_corrected_only_where_the_region_agrees():
    assert identify("毫州市人民政府", "安徽省").office == "亳州市人民政府"
    # a report that names a city that is not the slip's: left as printed
    assert identify("沐阳县发展和改革局", "淮安市人民政府").division_code is None
    assert identify("沐阳县发展和改革局", "淮安市人民政府").office == "沐阳县发展和改革局"


@pytest.mark.unit
def test_a_slip_in_a_report_that_names_no_city_is_placed_when_one_look_alike_division_is_it():
    """沐阳县: 沭阳县, 泗阳县 and fifty other 某阳县 are one character away, only 沭 is a look-alike
    of 沐 (data/confusables.csv): the only division it can be. 泅阳县 is one character from them
    all, and a look-alike of none: it stays as printed."""
    i = identify("沐阳县发展和改革局", "")
    assert (i.office, i.office_id, i.city) == ("沭阳县发展和改革局", "321322:发展和改革局", "宿迁市")
    near = G.near("沐阳县")
    assert {"沭阳县", "泗阳县"} <= set(near) and [n for n in near if G.confusable("沐阳县", n)] == ["沭阳县"]
    i = identify("泅阳县发展和改革局", "")
    assert i.division_code is None and i.office == "泅阳县发展和改革局"


@pytest.mark.unit
@pytest.mark.parametrize("printed,office_id,region", [
    ("苏州工业园区管理委员会", "320500:苏州工业园区管理委员会", ("江苏省", "苏州市", "")),      # data/zones.csv
    ("苏州市苏州工业园区管委会", "320500:苏州工业园区管理委员会", ("江苏省", "苏州市", "")),
    ("苏州工业园区劳动和社会保障局", "320500:苏州工业园区劳动和社会保障局", ("江苏省", "苏州市", "")),
    ("雄安新区管理委员会", "130600:雄安新区管理委员会", ("河北省", "保定市", "")),
    ("南京市江北新区管委会", "320100:江北新区管理委员会", ("江苏省", "南京市", "")),
    ("四川天府新区管理委员会", "510100:天府新区管理委员会", ("四川省", "成都市", "")),
    ("宿迁经济技术开发区管委会", "321300:经济技术开发区管理委员会", ("江苏省", "宿迁市", "")),   # zone_words.csv
    ("宿迁市经济技术开发区", "321300:经济技术开发区管理委员会", ("江苏省", "宿迁市", "")),
    ("合肥高新技术产业开发区管委会", "340100:高新技术产业开发区管理委员会", ("安徽省", "合肥市", "")),
    ("吴中经济技术开发区管委会", "320506:经济技术开发区管理委员会", ("江苏省", "苏州市", "吴中区")),
    ("浦东新区人民政府", "310115:人民政府", ("上海市", "上海市", "浦东新区")),              # a division named 新区
    ("平潭综合实验区地方税务局", "350128:地方税务局", ("福建省", "福州市", "平潭县")),       # an alias of its county
])
def test_a_functional_zone_is_placed_in_the_division_it_sits_in(printed, office_id, region):
    i = identify(printed)
    assert i.office_id == office_id and (i.province, i.city, i.county) == region
    full = printed.replace("管委会", "管理委员会")
    # a municipality's district is qualified with the municipality, as every district is with its city
    assert i.office == (f"{region[0]}{full}" if region[0] == region[1] and region[2] and
                        not full.startswith(region[0]) else full)


@pytest.mark.unit
def test_a_zone_named_by_an_ambiguous_place_is_not_guessed():
    assert identify("朝阳经济开发区管委会").division_code is None            # 朝阳市, 朝阳区s: which?


@pytest.mark.unit
def test_a_zone_is_a_row_of_data(monkeypatch):
    """A zone the data does not list and whose name names no division is not placed; listed (a
    row of data/zones.csv), it is."""
    assert identify("前海深港现代服务业合作区管理局").division_code is None
    zones = dict(G._zones())
    monkeypatch.setattr(G, "_zones", lambda: {**zones, "前海深港现代服务业合作区": "440300"})
    G._zone.cache_clear()
    try:
        i = identify("前海深港现代服务业合作区管理局")
        assert i.office_id == "440300:前海深港现代服务业合作区管理局" and i.city == "深圳市"
    finally:
        G._zone.cache_clear()


@pytest.mark.unit
def test_an_unresolved_district_is_its_own_key():
    a, b = identify("鼓楼区政府"), identify("鼓楼区人民政府")
    assert a.division_code is None and a.office_id == b.office_id == "000000:鼓楼区人民政府"


@pytest.mark.unit
def test_unit_normalisation_does_not_double_up():
    assert normalise_unit("人民政府") == "人民政府"
    assert normalise_unit("人民政府办公室") == "人民政府办公室"
    assert normalise_unit("政府办") == "人民政府办公室"
    assert normalise_unit("北山街道办") == "北山街道办事处"
    assert normalise_unit("发展和改革委员会") == "发展和改革委员会"


@pytest.mark.unit
def test_the_gazetteer_knows_recent_changes():
    assert [p.adcode for p in G.named("洪泽区")] == ["320813"]
    assert [p.adcode for p in G.named("莱芜区")] == ["370116"]          # 莱芜市 merged into 济南 (2019)
    assert [p.adcode for p in G.named("莱芜市")] == ["371200"]          # kept under its former code
    assert {p.adcode for p in G.named("西沙区")} == {"460302"}           # 三沙市 (2020)
    assert [p.adcode for p in G.named("和康县")] == ["653228"]          # 新疆 (2024)
    # a renamed division keeps one code: 会理县 (until 2021) and 会理市 are one office
    assert identify("会理县人民政府").office_id == identify("会理市政府").office_id == "513402:人民政府"
    assert G.region(G.resolve(["平潭综合实验区"])) == ("福建省", "福州市", "平潭县")


# -- documents made from raw/ samples, renamed in their text, run through the pipeline -----------

from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402

from pipeline.runtime.run import run  # noqa: E402

RAW = Path(__file__).resolve().parents[1] / "raw"


def _variant(folder: Path, stem: str, edit=None, name: str = None) -> Path:
    """A copy of raw/<stem>.txt, its text edited."""
    text = (RAW / f"{stem}.txt").read_text(encoding="utf-8")
    path = folder / (name or f"{stem}.txt")
    path.write_text(edit(text) if edit else text, encoding="utf-8")
    return path


def _run(folder: Path, out: Path):
    run(folder, out, workers=1, timeout=0, progress=False)
    return (pd.read_parquet(out / "reports.parquet").set_index("source"),
            pd.read_parquet(out / "flags.parquet"))


@pytest.mark.e2e
def test_a_renamed_office_is_the_same_office_and_its_chain_holds(tmp_path):
    """玄武区人民政府 → 玄武区政府 in the 2022 report: one office_id, and the 2023 report's
    deliberate in_force error (against 2022) is still found, once."""
    inp = tmp_path / "in"
    inp.mkdir()
    _variant(inp, "南京市玄武区人民政府_2021")
    _variant(inp, "南京市玄武区人民政府_2022", lambda t: t.replace("玄武区人民政府", "玄武区政府"))
    _variant(inp, "南京市玄武区人民政府_2023")
    reports, flags = _run(inp, tmp_path / "out")
    assert set(reports["office"]) == {"南京市玄武区人民政府"}
    assert set(reports["office_id"]) == {"320102:人民政府"}
    assert reports.loc["南京市玄武区人民政府_2022.txt", "office_as_printed"] == "玄武区政府"
    errors = flags[flags["rule"].str.startswith("cross_year.") & (flags["severity"] == "error")]
    assert errors["flag"].tolist() == ["cross_year.in_force@normative_docs"]
    assert errors["source"].tolist() == ["南京市玄武区人民政府_2023.txt"]


@pytest.mark.e2e
def test_a_misspelt_district_is_corrected_and_keeps_its_chain(tmp_path):
    """The 2019 report writes 抱河区 for 包河区 throughout; 2020's carry-over errors against it
    are still found."""
    inp = tmp_path / "in"
    inp.mkdir()
    _variant(inp, "合肥市包河区人民政府_2019", lambda t: t.replace("包河区", "抱河区"))
    _variant(inp, "合肥市包河区人民政府_2020")
    reports, flags = _run(inp, tmp_path / "out")
    r = reports.loc["合肥市包河区人民政府_2019.txt"]
    assert (r["office"], r["office_as_printed"], r["county"]) == ("合肥市包河区人民政府", "合肥市抱河区人民政府", "包河区")
    assert set(reports["office_id"]) == {"340111:人民政府"}
    errors = flags[flags["rule"].str.startswith("cross_year.") & (flags["severity"] == "error")]
    assert set(errors["flag"]) == {"cross_year.carry_over@natural_person", "cross_year.carry_over@total"}


@pytest.mark.e2e
def test_an_abbreviated_title_and_a_title_over_two_lines_after_a_text_line(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    _variant(inp, "苏州市交通运输局_2021", lambda t: t.replace("苏州市交通运输局2021年政府", "市交通局2021年政府", 1))
    _variant(inp, "苏州市交通运输局_2020", lambda t: t.replace(
        "苏州市交通运输局2020年政府信息公开工作年度报告", "正文\n\n苏州市交通局2020年政府信息公开\n\n工作年度报告", 1))
    _variant(inp, "南京市玄武区人民政府_2023", lambda t: t.replace(
        "玄武区人民政府2023年政府信息公开工作年度报告", "2023年政府信息公开工作年度报告", 1))   # no office in the title
    reports, _ = _run(inp, tmp_path / "out")
    assert reports.loc["苏州市交通运输局_2021.txt", "office_as_printed"] == "市交通局"
    assert reports.loc["苏州市交通运输局_2020.txt", "office_as_printed"] == "苏州市交通局"
    assert reports.loc["苏州市交通运输局_2020.txt", "title"] == "苏州市交通局2020年政府信息公开工作年度报告"
    assert set(reports.loc[["苏州市交通运输局_2021.txt", "苏州市交通运输局_2020.txt"], "office"]) == {"苏州市交通运输局"}
    assert set(reports.loc[["苏州市交通运输局_2021.txt", "苏州市交通运输局_2020.txt"], "office_id"]) == {"320500:交通运输局"}
    # from the opening sentence: 本报告由南京市玄武区人民政府办公室…编制 (the compiler: its government)
    assert reports.loc["南京市玄武区人民政府_2023.txt", "office"] == "南京市玄武区人民政府"


@pytest.fixture(scope="module")
def samples_or_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("raw_text_forms")
    run(RAW, out, workers=2, progress=False, exclude=("*.pdf", "*.docx", "truth"))
    return pd.read_parquet(out / "reports.parquet")


@pytest.mark.e2e
def test_the_raw_samples_have_one_office_id_per_office(samples_or_run):
    reports = samples_or_run
    truth = pd.read_csv(RAW / "truth" / "reports.csv").set_index("file")
    reports = reports.assign(file=reports["source"].map(lambda s: Path(s).name)).set_index("file")
    assert (reports["office"] == truth.loc[reports.index, "office"]).all()
    per_office = reports.groupby(truth.loc[reports.index, "office"])["office_id"].nunique()
    assert (per_office == 1).all()
    assert reports["office_id"].nunique() == truth["office"].nunique()


@pytest.mark.unit
def test_the_office_from_the_metadata_when_the_title_names_none():
    from pipeline.core.model import Document, TextBlock
    from pipeline.extract.meta import report_meta
    doc = Document(source="x.html", format="html", items=[
        TextBlock(text="2022年政府信息公开工作年度报告", page=1),
        TextBlock(text="根据《条例》规定，现将本机关2022年政府信息公开工作年度报告公布如下。", page=1)],
        meta={"publisher": "宜兴市人社局", "title": "2022年政府信息公开工作年度报告"})
    m, _ = report_meta(doc, [None, None])
    assert (m.office, m.office_as_printed, m.year) == ("宜兴市人力资源和社会保障局", "宜兴市人社局", 2022)
    assert m.office_id == "320282:人力资源和社会保障局" and m.level == "county"
