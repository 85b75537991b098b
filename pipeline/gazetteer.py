"""China's administrative divisions, from the data the `cpca` package maintains (adcodes.csv).

Used to qualify office names (a district needs its city: 淮安市洪泽区, not 洪泽区) and to fill
province / city / county. A district name that several cities share is never resolved by
guessing: only text that names the city does it.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MUNICIPALITIES = ("11", "12", "31", "50")   # 北京 天津 上海 重庆: the city is the province


@dataclass(frozen=True)
class Place:
    adcode: str    # 6 digits
    name: str

    @property
    def rank(self) -> int:
        """0 province, 1 city (prefecture level), 2 county level."""
        if self.adcode.endswith("0000"):
            return 0
        return 1 if self.adcode.endswith("00") else 2

    @property
    def is_district(self) -> bool:
        return self.rank == 2 and self.name.endswith("区")

    def within(self, other: "Place") -> bool:
        return self.adcode.startswith(other.adcode[: (other.rank + 1) * 2])


@lru_cache(maxsize=1)
def _index() -> tuple:
    raw = resources.files("cpca.resources").joinpath("adcodes.csv").read_text(encoding="utf-8")
    by_name, by_code = {}, {}
    for r in csv.DictReader(io.StringIO(raw)):
        p = Place(r["adcode"][:6], r["name"])
        by_name.setdefault(p.name, []).append(p)
        by_code[p.adcode] = p
    return by_name, by_code


def named(name: str) -> list:
    return _index()[0].get(name, [])


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
    by_code = _index()[1]
    prov = by_code.get(place.adcode[:2] + "0000")
    province = prov.name if prov else ""
    if place.adcode[:2] in MUNICIPALITIES:
        city = province
    else:
        c = by_code.get(place.adcode[:4] + "00")
        city = c.name if c and place.rank >= 1 else ""
    county = place.name if place.rank == 2 else ""
    return province, city, county


def city_of(place: Place):
    """The prefecture-level city a county-level place belongs to, or None."""
    if place.adcode[:2] in MUNICIPALITIES:
        return None
    return _index()[1].get(place.adcode[:4] + "00")
