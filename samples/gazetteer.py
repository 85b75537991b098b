"""China's administrative divisions for the sample offices: a table of the generator's own,
`divisions.csv` beside this file (GB/T 2260 code and name), written from public knowledge of the
divisions — every province, and in each a few prefecture-level divisions (cities, autonomous
prefectures, 地区, 盟) with some of their districts, counties, county-level cities, 旗 and
autonomous counties.

It is not the pipeline's gazetteer, and the generator never asks the pipeline how it would read a
name: the samples must not depend on the code they test. The table holds the names a real
collection holds, the awkward ones included — district names several cities share (鼓楼区,
市中区, 城区), names that start like other places or like a level word (市南区, 新市区,
吉林市 in 吉林省, 南昌县 in 南昌市, 临夏县 and 临夏市 in 临夏回族自治州), two-character names
(沛县, 芒市, 理县), and divisions whose names a recent change retired (重庆's 江北区 and
渝北区, in the reports of their years).

A county-level city ruled directly by its province (仙桃市) is left out: its 'city' would be
the province.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("divisions.csv")
MUNICIPALITIES = ("11", "12", "31", "50")   # 北京 天津 上海 重庆: the city is the province


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
    """(adcode, name) of every row of the table, in its order."""
    with open(TABLE, encoding="utf-8", newline="") as f:
        return tuple((r["adcode"], r["name"]) for r in csv.DictReader(f))


@lru_cache(maxsize=1)
def names() -> frozenset:
    """Every division name of the table."""
    return frozenset(n for _, n in _rows())


@lru_cache(maxsize=1)
def name_counts() -> dict:
    """name -> how many divisions carry it (鼓楼区 4, 玄武区 1)."""
    out = {}
    for _, n in _rows():
        out[n] = out.get(n, 0) + 1
    return out


@lru_cache(maxsize=1)
def divisions() -> tuple:
    """The divisions that publish reports, sorted by adcode: provinces, prefecture-level
    divisions and county-level divisions, each with its province and city."""
    by_code = dict(_rows())
    out = []
    for code, name in sorted(by_code.items()):
        prov = by_code[code[:2] + "0000"]
        if code.endswith("0000"):
            city = name if code[:2] in MUNICIPALITIES else ""
        elif code[:2] in MUNICIPALITIES:
            city = prov
        else:
            city = by_code[code[:4] + "00"]
        out.append(Division(code, name, prov, city))
    return tuple(out)
