"""Who published a report: the office's full name, its division code and a stable `office_id`.

Two documents are the same office when they have the same `office_id`: the division's GB/T 2260
code (pipeline.extract.gazetteer) and the office's normalised name within it, `320102:人民政府`. The
name is normalised with the data tables

    data/office_abbreviations.csv  short forms → full forms (政府 → 人民政府, 科委 → 科学技术委员会,
                                   街道 → 街道办事处 at the end of a name, …)
    data/office_kinds.csv          the words a name ends with → its kind and level, the words that
                                   name a division's own government (one key: 人民政府), and the
                                   bodies that, after a zone standing for its division, are the
                                   zone itself (`is_division`: 平潭综合实验区管委会 is 平潭综合实验区)

so 玄武区政府 and 南京市玄武区人民政府 are one office. A division name one character away from a
real division, where the region context agrees (沐阳县 in a report that names 宿迁市), is read as
that division; the name as printed is kept in `office_as_printed`.

`office` is the full name: the divisions as printed (corrected), a district qualified with its
city (淮安市洪泽区人民政府, not 洪泽区人民政府), counties and cities standing alone, and the
office's name in its full form. `level` is province, city, county or township; `kind` government,
department or township (a 街道办事处 or a 乡/镇 government).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Optional

from pipeline import data
from pipeline.extract import gazetteer as G

LEVELS = {0: "province", 1: "city", 2: "county"}
NO_DIVISION = "000000"


def flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).replace("(", "（").replace(")", "）")


@dataclass(frozen=True)
class Identity:
    office: str                 # full name: 南京市玄武区人民政府
    office_as_printed: str      # as the report prints it: 玄武区政府
    office_id: str              # 320102:人民政府
    division_code: Optional[str]
    level: Optional[str]
    kind: str
    province: str
    city: str
    county: str

    def to_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=1)
def _abbreviations() -> tuple:
    rows = data.rows("office_abbreviations.csv")
    anywhere = sorted((r for r in rows if r["at"] == "any"), key=lambda r: -len(r["short"]))
    at_end = sorted((r for r in rows if r["at"] == "end"), key=lambda r: -len(r["short"]))
    return tuple((r["short"], r["full"]) for r in anywhere), tuple((r["short"], r["full"]) for r in at_end)


@lru_cache(maxsize=1)
def _kinds() -> tuple:
    rows = sorted(data.rows("office_kinds.csv"), key=lambda r: -len(r["ending"]))
    return tuple((r["ending"], r["kind"], r["level"] or None) for r in rows)


def normalise_unit(unit: str) -> str:
    """The office's own name (after its divisions) in full form: 政府办 → 人民政府办公室."""
    anywhere, at_end = _abbreviations()
    for short, full in anywhere:
        unit = _replace_outside(unit, short, full)
    for short, full in at_end:
        if unit.endswith(short) and not unit.endswith(full):
            unit = unit[: len(unit) - len(short)] + full
            break
    return unit


def _replace_outside(text: str, short: str, full: str) -> str:
    """`short` → `full` wherever `short` is not already part of `full` (人民政府 stays)."""
    if short not in text:
        return text
    covered = set()
    for m in re.finditer(re.escape(full), text):
        covered.update(range(m.start(), m.end()))
    out, i = [], 0
    for m in re.finditer(re.escape(short), text):
        if covered & set(range(m.start(), m.end())):
            continue
        out.append(text[i:m.start()] + full)
        i = m.end()
    return "".join(out) + text[i:]


@lru_cache(maxsize=1)
def _government_keys() -> dict:
    """{word: key} of the words that, standing alone after a division's name, name that
    division's own government (data/office_kinds.csv `key`): 平潭县人民政府, 平潭综合实验区管理委员会
    and 平潭综合实验区 (a division's name alone) are one office across years and renames."""
    return {r["ending"]: r["key"] for r in data.rows("office_kinds.csv") if r["key"]}


def _division_bodies() -> frozenset:
    """The bodies that govern a zone standing for its division and report as it (data/office_kinds.csv
    `is_division`: 平潭综合实验区管理委员会 reports as 平潭综合实验区)."""
    return frozenset(r["ending"] for r in data.rows("office_kinds.csv") if r["is_division"] == "yes")


def office_key(unit: str) -> str:
    """The office's key within its division: its normalised name, or the one key of the
    division's own government (its name alone, or followed by 人民政府 / 管理委员会 / 行政公署)."""
    keys = _government_keys()
    if not unit:
        return next(iter(keys.values()))
    return keys.get(unit, unit)


def kind_of(unit: str) -> tuple:
    """(kind, level or None) from the words the office's name ends with."""
    if not unit:
        return "government", None          # a division's name alone: its government
    for ending, kind, level in _kinds():
        if unit.endswith(ending):
            return kind, level
    return "department", None


# -- divisions at the start of a name, with one-character slips corrected -------------------

def split_places(name: str, context: str = "") -> tuple:
    """([place names, corrected], rest of the name): 宿迁市沐阳县发改局 → ([宿迁市, 沭阳县], 发改局).
    A functional zone that names its division (苏州工业园区, 宿迁经济技术开发区) is a place of its
    own; one that does not, after the division it sits in (宿迁市经济技术开发区), stays in the rest."""
    places, i = [], 0
    while i < len(name):
        exact = G.leading_places(name[i:])
        if exact:
            places.append(exact[0])
            i += len(exact[0])
            continue
        zone = G.leading_zone(name[i:])
        if zone and (not places or G.named(zone)[0].within(G.resolve(places) or G.named(zone)[0])):
            places.append(zone)
            i += len(zone)
            break
        if places and G.zone_word_at(name[i:]):
            break
        fixed = _corrected(name[i:], places, context)
        if fixed is None:
            break
        places.append(fixed[0])
        i += fixed[1]
    return places, name[i:]


def _corrected(text: str, chain: list, context: str):
    """(division name, printed length) for a slip at the start of `text`, or None.

    Only names of three characters or more ending in a division suffix are considered, and a
    candidate is taken only when it is the one the region context agrees with: it lies in the
    division printed before it, or its city (or the name itself) is named in the text; failing
    that, its province alone is named. Where several agree (沐阳县 in 宿迁市: 沭阳县 and 泗阳县),
    the one whose differing character is a known slip (data/confusables.csv), or whose name the
    text spells elsewhere, is taken; otherwise none. A report that names no city (and no division
    before the name) at all is placed when exactly one division in the country is one look-alike
    character away (沐阳县 → 沭阳县: 泗阳县 is one character away too, but not a look-alike)."""
    within = G.resolve(chain) if chain else None
    for length in range(min(len(text), 8), 2, -1):
        printed = text[:length]
        if printed[-1] not in G.division_suffixes().last:
            continue
        candidates = G.near(printed)
        if not candidates:
            continue
        strong, weak = set(), set()
        for cand in candidates:
            for p in G.named(cand):
                if within is not None:
                    if p.within(within) and p.adcode != within.adcode:
                        strong.add(cand)
                    continue
                city = G.city_of(p) if p.rank == 2 else None
                names = [cand] + ([city.name, _stem(city.name)] if city else [])
                if any(n and n in context for n in names):
                    strong.add(cand)
                prov = G.by_code(p.adcode[:2] + "0000")
                if prov and (prov.name in context or _stem(prov.name) in context):
                    weak.add(cand)
        for found in (strong, weak):
            if len(found) > 1:      # 沐阳县 in 宿迁市: 沭阳县 or 泗阳县? the known slip, or the name the text spells
                found = ({c for c in found if G.confusable(printed, c)}
                         or {c for c in found if c in context})
            if len(found) == 1:
                return found.pop(), length
            if found:
                return None
        if within is None and not _names_a_city(context):
            return _only_look_alike(printed, candidates, length)
        return None
    return None


def _only_look_alike(printed: str, candidates: list, length: int):
    """(division name, printed length) when exactly one division in the whole country is one
    look-alike character (data/confusables.csv) away from the name printed: a report that names
    no city cannot confirm it, but nothing else is it."""
    alike = [p for c in candidates if G.confusable(printed, c) for p in G.named(c)]
    return (alike[0].name, length) if len(alike) == 1 else None


def _names_a_city(text: str) -> bool:
    """Whether a text names a prefecture-level city (its full name): then a slip it leaves
    unconfirmed stays as printed."""
    for m in re.finditer("|".join(map(re.escape, G.city_suffixes())), text):
        for start in range(max(0, m.start() - 8), m.start()):
            if any(p.rank == 1 for p in G.named(text[start:m.end()])):
                return True
    return False


def _stem(name: str) -> str:
    """宿迁市 → 宿迁, 江苏省 → 江苏 (a stem of one character is no evidence)."""
    suffix = next((s for s in G.division_suffixes().stems if name.endswith(s)), "")
    stem = name[:len(name) - len(suffix)]
    return stem if len(stem) >= 2 else ""


# -- the city (and district) a name leaves out ------------------------------------------------

def qualify(office: str, text: str) -> str:
    """The office name with the city (and district) its title left out, when the text says so."""
    places = G.leading_places(office)
    if not places:
        prefix = _places_before(office, text)
        if not prefix:
            return office
        office = "".join(prefix) + office
        places = prefix
    first = G.named(places[0])
    if len(places) == 1 and first and all(p.is_district for p in first):
        city = _city_before(places[0], text)
        if city is None and len({_city_name(p) for p in first}) == 1:
            city = _city_name(first[0])
        if city:
            return city + office
    return office


def _city_name(district) -> Optional[str]:
    """The name a district is qualified with: its city, or the municipality it lies in
    (北京市东城区: a municipality's districts have no prefecture-level city)."""
    city = G.city_of(district)
    if city is None and district.adcode[:2] in G.MUNICIPALITIES:
        city = G.by_code(district.adcode[:2] + "0000")
    return city.name if city else None


def _places_before(office: str, text: str) -> list:
    """Place names printed right before the office name somewhere in the text (corrected)."""
    best = []
    for m in re.finditer(re.escape(office), text):
        names = _chain_ending(text[max(0, m.start() - 24): m.start()], text)
        if len(names) > len(best):
            best = names
    return best


def _chain_ending(window: str, text: str) -> list:
    """The place names `window` ends with, read forward from the earliest point where they
    make up all the rest of it, one-character slips corrected as in a title. Read backwards
    alone, 天津市何东区 (a slip of 河东区) would end with 东区, another city's district."""
    for i in range(len(window)):
        places, rest = split_places(window[i:], text)
        if places and not rest:
            return places
    return []


def _city_before(district: str, text: str):
    """A city printed right before the district's name in the text (淮安市洪泽区…)."""
    for m in re.finditer(re.escape(district), text):
        names = G.trailing_places(text[max(0, m.start() - 12): m.start()])
        for name in reversed(names):
            if any(p.rank == 1 or p.adcode[:2] in G.MUNICIPALITIES for p in G.named(name)):
                return name
    return None


def _marked_division(unit: str, text: str):
    """For a name that starts with a bare level word (市科委: 市 without its name), the division
    the text names most often at that level, when one clearly leads (twice the next)."""
    ranks = G.level_words().get(unit[:1])
    if not ranks:
        return None
    counts = Counter()
    for name in set(re.findall(r"[\u4e00-\u9fff]{1,10}?" + re.escape(unit[0]), text)):
        for start in range(len(name) - 1):
            cand = name[start:]
            places = G.named(cand)
            if places and all(p.rank in ranks for p in places) and len(places) == 1:
                counts[cand] = text.count(cand)
                break
    if not counts:
        return None
    (best, n), *rest = counts.most_common()
    if n >= 2 and (not rest or n >= 2 * rest[0][1]):
        return best
    return None


# -- the whole identity ------------------------------------------------------------------------

def identify(printed: str, text: str = "") -> Optional[Identity]:
    """The identity of the office a report names as `printed`, read with the report's text as
    context (for the city a district leaves out, for slips in division names)."""
    printed = flat(printed)
    if not printed:
        return None
    text = flat(text)
    places, rest = split_places(printed, text)
    unit = normalise_unit(rest)
    if places and unit in _division_bodies() and not any(p.status == "zone" for p in G.named(places[-1])):
        unit = ""       # the 管理委员会 of a zone that stands for its division is the zone: named as the zone
    if not places:
        bare = unit[1:] if unit[:1] in G.level_words() else None
        for form in dict.fromkeys((printed, rest, unit, bare)):
            if form and (prefix := _places_before(form, text)):
                places = prefix
                if form == unit[1:] and prefix[-1].endswith(unit[0]):
                    unit = unit[1:]             # 上海市 + 科学技术委员会, not 上海市市…
                break
        else:
            marked = _marked_division(unit, text)
            if marked:
                places, unit = [marked], unit[1:]
    zoned = bool(places) and any(p.status == "zone" for p in G.named(places[-1]))
    full = ("".join(places) + unit) if zoned else qualify("".join(places) + unit, text) if places else unit
    places, _ = split_places(full, text)
    place = G.resolve(places) if places else None
    province, city, county = G.region(place)
    kind, level = kind_of(unit)
    if level is None and place is not None:
        level = LEVELS[place.rank]
    code = place.adcode if place is not None else None
    # the key within the division; without one, the whole name (鼓楼区 of which city?)
    key = _office_key(places, unit) if code else full
    return Identity(office=full, office_as_printed=printed, office_id=f"{code or NO_DIVISION}:{key}",
                    division_code=code, level=level, kind=kind,
                    province=province, city=city, county=county)


ZONE_BODY = "管理委员会"      # a zone's own body: the zone and its 管委会 are one office


def _office_key(places: list, unit: str) -> str:
    """The office's name within its division: its unit (发展和改革局), and the one key of the
    division's own government for 人民政府, 管理委员会 … or its name alone (`office_key`). A zone's offices keep the zone's name (less the division's, which
    the code says): 苏州工业园区管理委员会 and 苏州市苏州工业园区管委会 are 320500:工业园区管理委员会,
    宿迁经济技术开发区 and 宿迁市经济技术开发区管委会 are 321300:经济技术开发区管理委员会."""
    last = places[-1]
    zone = next((p for p in G.named(last) if p.status == "zone"), None)
    if zone is not None:
        unit = _without_division(last, zone) + unit
    if any(unit.endswith(w) for w in G.zone_words()):
        unit += ZONE_BODY
    return office_key(unit)


def _without_division(zone_name: str, zone) -> str:
    """A zone's name less the division named before it (苏州工业园区 → 工业园区, 四川天府新区 →
    天府新区): the name of data/zones.csv it ends with, else without its division's full or short
    name."""
    listed = G.listed_zone(zone_name)
    if listed:
        return listed
    division = G.by_code(zone.adcode)
    if division is None:
        return zone_name
    suffixes = {s for s in G.division_suffixes().stems + tuple(G.division_suffixes().last) if division.name.endswith(s)}
    for prefix in sorted({division.name} | {division.name[:-len(s)] for s in suffixes}, key=len, reverse=True):
        if len(prefix) >= 2 and zone_name.startswith(prefix) and len(zone_name) > len(prefix):
            return zone_name[len(prefix):]
    return zone_name


def recognised(ident: Optional[Identity]) -> bool:
    """Whether a name reads as an office: it has a division, or ends in a word offices end in."""
    if ident is None:
        return False
    return ident.division_code is not None
