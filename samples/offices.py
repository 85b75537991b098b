"""The offices of the samples beyond the fixed set: every division of the gazetteer × the kinds of
office that publish a 政府信息公开工作年度报告 — its people's government, its departments, and
under a district or county its streets and townships.

Every office drawn is written, whatever its name: the generator does not ask how the pipeline
would read it (a district name several cities share, a street whose name starts like a place,
a short title that leaves the city out are all written as real offices write them; the report
names the office in full elsewhere, in its compiler). The name the dataset keys it by
(`qualified`) follows SCHEMA.md's convention: a district (and what lies in it) with its city, a
county or county-level city standing alone.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from . import gazetteer as G
from .content import Office


@dataclass(frozen=True)
class Dept:
    """A kind of department: its name after the division's, its web-site prefix, how it refers
    to itself in prose."""
    name: str
    site: str
    short: str


# Departments of a province (厅 mostly); a municipality's departments are a city's.
PROVINCE_DEPTS = tuple(Dept(*d) for d in (
    ("教育厅", "jyt", "我厅"), ("民政厅", "mzt", "我厅"), ("财政厅", "czt", "我厅"), ("公安厅", "gat", "我厅"),
    ("交通运输厅", "jtt", "我厅"), ("人力资源和社会保障厅", "rst", "我厅"), ("自然资源厅", "zrzyt", "我厅"),
    ("生态环境厅", "sthjt", "我厅"), ("住房和城乡建设厅", "zjt", "我厅"), ("农业农村厅", "nynct", "我厅"),
    ("水利厅", "slt", "我厅"), ("商务厅", "swt", "我厅"), ("文化和旅游厅", "whhlyt", "我厅"),
    ("司法厅", "sft", "我厅"), ("审计厅", "sjt", "我厅"), ("应急管理厅", "yjglt", "我厅"),
    ("卫生健康委员会", "wsjkw", "本委"), ("发展和改革委员会", "fgw", "本委"),
    ("市场监督管理局", "scjgj", "本局"), ("统计局", "tjj", "本局"),
))

# Departments of a prefecture-level city (and of a municipality).
CITY_DEPTS = tuple(Dept(*d) for d in (
    ("教育局", "jyj", "本局"), ("民政局", "mzj", "本局"), ("财政局", "czj", "本局"), ("公安局", "gaj", "本局"),
    ("交通运输局", "jtj", "本局"), ("人力资源和社会保障局", "rsj", "本局"), ("自然资源和规划局", "zrzyj", "本局"),
    ("生态环境局", "sthjj", "本局"), ("住房和城乡建设局", "zjj", "本局"), ("农业农村局", "nyncj", "本局"),
    ("水利局", "slj", "本局"), ("商务局", "swj", "本局"), ("文化广电和旅游局", "wglj", "本局"),
    ("司法局", "sfj", "本局"), ("审计局", "sjj", "本局"), ("应急管理局", "yjglj", "本局"),
    ("卫生健康委员会", "wjw", "本委"), ("发展和改革委员会", "fgw", "本委"),
    ("市场监督管理局", "scjgj", "本局"), ("统计局", "tjj", "本局"), ("退役军人事务局", "tyjrswj", "本局"),
    ("医疗保障局", "ybj", "本局"),
))

# Departments of a county, county-level city or district (生态环境 is a branch of the city's there).
COUNTY_DEPTS = tuple(Dept(*d) for d in (
    ("教育局", "jyj", "本局"), ("民政局", "mzj", "本局"), ("财政局", "czj", "本局"), ("公安局", "gaj", "本局"),
    ("交通运输局", "jtj", "本局"), ("人力资源和社会保障局", "rsj", "本局"), ("自然资源局", "zrzyj", "本局"),
    ("住房和城乡建设局", "zjj", "本局"), ("农业农村局", "nyncj", "本局"), ("水利局", "slj", "本局"),
    ("卫生健康局", "wjj", "本局"), ("发展和改革局", "fgj", "本局"), ("市场监督管理局", "scjgj", "本局"),
    ("司法局", "sfj", "本局"), ("审计局", "sjj", "本局"), ("应急管理局", "yjglj", "本局"),
    ("统计局", "tjj", "本局"), ("退役军人事务局", "tyjrswj", "本局"), ("医疗保障局", "ybj", "本局"),
    ("文化和旅游局", "wlj", "本局"),
))

# Common names of streets and townships; a division's own are drawn from these by its adcode.
TOWN_STEMS = (
    "人民", "解放", "建设", "新华", "中山", "胜利", "东风", "红旗", "和平", "城南", "城北", "城东", "城西",
    "东城", "西城", "南湖", "北湖", "东湖", "新城", "花园", "青年", "友谊", "光明", "文化", "幸福", "团结",
    "迎宾", "滨江", "滨河", "站前", "府前", "白塔", "龙泉", "凤凰", "金山", "银河", "长安", "城关", "新集",
    "大营", "李庄", "王集", "高桥", "马庄", "石桥", "双河", "三河", "新店", "柳林", "桃园", "杨柳", "白马",
    "青龙", "黄龙", "太平", "永安", "永兴", "兴隆", "新民", "新兴", "向阳", "红星", "前进", "复兴", "振兴",
    "长乐", "金桥", "南门", "北门", "东关", "西关", "南关", "北关", "大桥", "河西", "江南", "临江", "古城",
    "新街", "龙门", "龙湖", "马山", "清水", "白沙", "石岗", "张集", "刘庄", "陈家", "杨桥", "周庄", "黄土",
    "五里", "十里", "城郊", "新港", "南苑", "北苑", "西苑", "东苑", "乐园", "安定", "宝塔", "钟楼",
)


@dataclass(frozen=True)
class TownKind:
    """A kind of office below a district or county: 街道办事处, 镇人民政府, 乡人民政府."""
    suffix: str            # what follows the name: 街道办事处
    short: str             # how its prose refers to it


STREET = TownKind("街道办事处", "街道")
TOWN = TownKind("镇人民政府", "我镇")
TOWNSHIP = TownKind("乡人民政府", "我乡")
# Under a district mostly streets, under a county mostly towns and townships: (kind, weight).
TOWN_KINDS = {"district": ((STREET, 8), (TOWN, 2)), "county": ((TOWN, 6), (TOWNSHIP, 3), (STREET, 1))}
TOWNS_PER_DIVISION = 6

# How a government refers to itself, by the end of its division's name.
GOV_SHORT = (("自治区", "我区"), ("省", "我省"), ("自治州", "我州"), ("地区", "本地区"), ("盟", "我盟"),
             ("市", "我市"), ("区", "我区"), ("自治县", "我县"), ("县", "我县"), ("旗", "我旗"))
ONE_LINE_TITLE = 40 - len("2021年政府信息公开工作年度报告")   # a longer office is titled on two lines


def _short(name: str) -> str:
    return next(s for end, s in GOV_SHORT if name.endswith(end))


def _gov_name(d: G.Division) -> str:
    """The government of a division: a 地区 or 盟 has a 行政公署, every other a 人民政府."""
    return d.name + ("行政公署" if d.name.endswith(("地区", "盟")) else "人民政府")


def _domain(d: G.Division, site: str = "www") -> str:
    return f"{site}.{d.adcode}.gov.cn"


# ---------------------------------------------------------------------------------------------
# Candidates: (role, adcode, index), built once; an Office is made from one only when drawn.

@lru_cache(maxsize=1)
def candidates() -> dict:
    """role -> tuple of (adcode, index) for every office of that role the gazetteer offers:
    'gov' one per division, 'dept' one per department kind, 'town' TOWNS_PER_DIVISION per
    county-level division."""
    out = {"gov": [], "dept": [], "town": []}
    for d in G.divisions():
        out["gov"].append((d.adcode, 0))
        out["dept"] += [(d.adcode, i) for i in range(len(_depts(d)))]
        if d.rank == 2:
            out["town"] += [(d.adcode, i) for i in range(TOWNS_PER_DIVISION)]
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _by_code() -> dict:
    return {d.adcode: d for d in G.divisions()}


def _depts(d: G.Division) -> tuple:
    if d.rank == 0 and not d.in_municipality:
        return PROVINCE_DEPTS
    return CITY_DEPTS if d.rank <= 1 else COUNTY_DEPTS


def make(role: str, adcode: str, index: int, rng: random.Random) -> Office:
    """The office of a candidate."""
    d = _by_code()[adcode]
    if role == "gov":
        return _office(d, _gov_name(d), "", _short(d.name), "gov", rng)
    if role == "dept":
        dept = _depts(d)[index]
        return _office(d, d.name + dept.name, dept.site, dept.short, "dept", rng)
    stem, kind = _town_stems(d.adcode)[index]
    return _office(d, stem + kind.suffix, "", kind.short, "town", rng)


@lru_cache(maxsize=4096)
def _town_stems(adcode: str) -> tuple:
    """The division's streets and townships: (name, TownKind), the same whatever the seed."""
    d = _by_code()[adcode]
    rng = random.Random(f"towns:{adcode}")
    kinds = TOWN_KINDS["district" if d.is_district else "county"]
    return tuple((stem, rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0])
                 for stem in rng.sample(TOWN_STEMS, TOWNS_PER_DIVISION))


def _kind(d: G.Division, role: str) -> str:
    """The office kind content.py scales its numbers by."""
    if role == "town":
        return "town"
    level = {0: "province", 1: "city"}.get(d.rank) or ("district" if d.is_district else "county")
    if role == "gov":
        return {"province": "province_gov", "city": "city_gov", "district": "district",
                "county": "county_gov"}[level]
    if d.rank == 0 and d.in_municipality:
        return "city_dept"
    return {"province": "province_dept", "city": "city_dept", "district": "district_bureau",
            "county": "county_bureau"}[level]


def _office(d: G.Division, own: str, site: str, short: str, role: str, rng: random.Random) -> Office:
    """An Office named `own` (the part after the divisions for a town, the whole name otherwise)
    in division `d`; its title names it in full, or (most of the time, where there is a shorter
    form) without the city or district above it, as many offices title their reports."""
    county_level = d.rank == 2
    if role == "town":
        # a street of a district goes with its city and district, one of a county with the county
        chain = [d.city, d.name] if d.is_district else [d.name]
        qualified = "".join(chain) + own
        short_title = own
    elif county_level and d.is_district:
        chain = [d.city, d.name]
        qualified = d.city + own
        short_title = own
    else:
        chain = [d.name]
        qualified = short_title = own
    title = short_title if short_title != qualified and rng.random() < 0.6 else qualified
    parent_gov = _gov_name(d)
    if role == "gov":
        compiler = qualified + ("办公厅" if d.rank == 0 else "办公室")
        portal = rng.choice([f"{qualified}门户网站", f"{qualified}网站", f"{qualified}网"])
        domain = _domain(d)
    elif role == "dept":
        compiler = rng.choice([qualified, qualified + "办公室"])
        own_site = rng.random() < 0.5
        portal = f"{qualified}网站" if own_site else f"{d.city if d.is_district else ''}{parent_gov}门户网站"
        domain = _domain(d, site) if own_site else _domain(d)
    else:
        compiler = qualified
        portal = f"{''.join(chain)}人民政府门户网站"
        domain = _domain(d)
    county = d.name if county_level else ""
    return Office(own, qualified, title, compiler, d.province, d.city, county, _kind(d, role), portal, domain,
                  short)
