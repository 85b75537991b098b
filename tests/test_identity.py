"""Office identity: one office_id per office, whatever the report calls itself."""
from __future__ import annotations

import pytest

from pipeline import gazetteer as G
from pipeline.identity import identify, normalise_unit


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
    ("平潭综合实验区", "", "平潭综合实验区", "350128:平潭综合实验区"),
    ("洪泽区人民政府", "淮安市洪泽区人民政府办公室", "淮安市洪泽区人民政府", "320813:人民政府"),
])
def test_names_and_ids(printed, context, office, office_id):
    i = identify(printed, context)
    assert (i.office, i.office_id, i.office_as_printed) == (office, office_id, printed)


def test_level_kind_and_region():
    i = identify("北山街道办事处", "杭州市西湖区北山街道办事处")
    assert (i.level, i.kind, i.province, i.city, i.county) == ("township", "township", "浙江省", "杭州市", "西湖区")
    i = identify("上海市人民政府办公厅")
    assert (i.level, i.kind, i.province, i.city, i.county) == ("province", "department", "上海市", "上海市", "")
    i = identify("平潭综合实验区")
    assert (i.level, i.kind, i.province, i.city, i.county) == ("county", "government", "福建省", "福州市", "平潭县")
    assert identify("苏州市交通运输局").level == "city"


def test_a_slip_is_corrected_only_where_the_region_agrees():
    assert identify("沐阳县发展和改革局", "").division_code is None          # no context: left as printed
    assert identify("沐阳县发展和改革局", "").office == "沐阳县发展和改革局"
    assert identify("毫州市人民政府", "安徽省").office == "亳州市人民政府"


def test_an_unresolved_district_is_its_own_key():
    a, b = identify("鼓楼区政府"), identify("鼓楼区人民政府")
    assert a.division_code is None and a.office_id == b.office_id == "000000:鼓楼区人民政府"


def test_unit_normalisation_does_not_double_up():
    assert normalise_unit("人民政府") == "人民政府"
    assert normalise_unit("人民政府办公室") == "人民政府办公室"
    assert normalise_unit("政府办") == "人民政府办公室"
    assert normalise_unit("北山街道办") == "北山街道办事处"
    assert normalise_unit("发展和改革委员会") == "发展和改革委员会"


def test_the_gazetteer_knows_recent_changes():
    assert [p.adcode for p in G.named("洪泽区")] == ["320813"]
    assert [p.adcode for p in G.named("莱芜区")] == ["370116"]          # 莱芜市 merged into 济南 (2019)
    assert [p.adcode for p in G.named("莱芜市")] == ["371200"]          # kept under its former code
    assert {p.adcode for p in G.named("西沙区")} == {"460302"}           # 三沙市 (2020)
    assert [p.adcode for p in G.named("和康县")] == ["653228"]          # 新疆 (2024)
    # a renamed division keeps one code: 会理县 (until 2021) and 会理市 are one office
    assert identify("会理县人民政府").office_id == identify("会理市政府").office_id == "513402:人民政府"
    assert G.region(G.resolve(["平潭综合实验区"])) == ("福建省", "福州市", "平潭县")
