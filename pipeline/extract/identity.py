"""Who published a report: the office's full name, its division code and a stable `office_id`.

Two documents are the same office when they have the same `office_id`: the division's GB/T 2260
code (pipeline.extract.gazetteer) and the office's normalised name within it, `320102:人民政府`. The
name is normalised with the data tables

    data/office_abbreviations.csv  short forms → full forms (政府 → 人民政府, 科委 → 科学技术委员会,
                                   街道 → 街道办事处 at the end of a name, …)
    data/office_kinds.csv          the words a name ends with → its kind and level; `is_division`:
                                   a body that, named right after its division, is the division
                                   itself (平潭综合实验区管理委员会 reports as 平潭综合实验区)

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
def _division_bodies() -> frozenset:
    """Names of the bodies that govern a zone and report as it (data/office_kinds.csv is_division)."""
    return frozenset(r["ending"] for r in data.rows("office_kinds.csv") if r.get("is_division") == "yes")


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
    """([place names, corrected], rest of the name): 宿迁市沐阳县发改局 → ([宿迁市, 沭阳县], 发改局)."""
    places, i = [], 0
    while i < len(name):
        exact = G.leading_places(name[i:])
        if exact:
            places.append(exact[0])
            i += len(exact[0])
            continue
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
    text spells elsewhere, is taken; otherwise none."""
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
        return None
    return None


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
        if city is None and len({G.city_of(p) for p in first}) == 1:
            city = G.city_of(first[0]).name if G.city_of(first[0]) else None
        if city:
            return city + office
    return office


def _places_before(office: str, text: str) -> list:
    """Place names printed right before the office name somewhere in the text."""
    best = []
    for m in re.finditer(re.escape(office), text):
        names = G.trailing_places(text[max(0, m.start() - 24): m.start()])
        if len(names) > len(best):
            best = names
    return best


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
    ranks = G.division_suffixes().alone.get(unit[:1])
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
    if places and unit in _division_bodies():
        unit = ""                      # the zone's 管理委员会 is the zone: one office, named as the zone
    if not places:
        bare = unit[1:] if unit[:1] in G.division_suffixes().alone else None
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
    full = qualify("".join(places) + unit, text) if places else unit
    places, _ = split_places(full, text)
    place = G.resolve(places) if places else None
    province, city, county = G.region(place)
    kind, level = kind_of(unit)
    if level is None and place is not None:
        level = LEVELS[place.rank]
    code = place.adcode if place is not None else None
    # the key within the division; without one, the whole name (鼓楼区 of which city?)
    key = (unit or places[-1]) if code else full
    return Identity(office=full, office_as_printed=printed, office_id=f"{code or NO_DIVISION}:{key}",
                    division_code=code, level=level, kind=kind,
                    province=province, city=city, county=county)


def recognised(ident: Optional[Identity]) -> bool:
    """Whether a name reads as an office: it has a division, or ends in a word offices end in."""
    if ident is None:
        return False
    return ident.division_code is not None
