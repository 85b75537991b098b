"""Which reports an output holds: `--region`, `--year`, `--office`, `--level` of `ogi report`,
`ogi export` and `ogi compare`, applied to reports.parquet the same way everywhere.

- a region is a province (江苏省) or a city (苏州市), or the start of one's name (江苏, 苏州);
- a year is a reporting year, or a span (2019-2021);
- an office is an office_id (320102:人民政府) or an office's full name, or the start of one;
- a level is province, city, county or township, or its Chinese name (省级 市级 县级 乡镇级).

A value that matches nothing in the dataset is an error that lists what it could have been: an
auditor who types 江苏 gets 江苏省, one who types 江西 in a dataset without it learns which
regions there are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from pipeline.outputs.names import value_name, values_of

UNKNOWN_REGION = "未知地区"
SHOWN = 30            # names listed in an error at most


class NoMatch(ValueError):
    """A selection value that matches nothing in the dataset; the message lists the valid ones."""


@dataclass(frozen=True)
class Selection:
    regions: tuple = ()
    years: tuple = ()
    offices: tuple = ()
    levels: tuple = ()

    def __bool__(self) -> bool:
        return bool(self.regions or self.years or self.offices or self.levels)

    def describe(self) -> str:
        parts = [f"--{k} {' '.join(map(str, v))}" for k, v in
                 (("region", self.regions), ("year", self.years), ("office", self.offices), ("level", self.levels)) if v]
        return " ".join(parts) or "(everything)"


def region_of(report) -> str:
    """The report's province: reports.province, else the province of its division_code (its first
    two digits, GB/T 2260); a placeholder when neither is known, so that such reports stay
    visible under a filter value."""
    province = report.get("province")
    if isinstance(province, str) and province:
        return province
    code = report.get("division_code")
    if isinstance(code, str) and len(code) == 6 and code.isdigit() and code != "000000":
        from pipeline.extract.gazetteer import by_code
        place = by_code(code[:2] + "0000")
        if place is not None:
            return place.name
    return UNKNOWN_REGION


def with_region(reports: pd.DataFrame) -> pd.DataFrame:
    """reports with a `region` column (region_of each row)."""
    out = reports.copy()
    out["region"] = [region_of(r) for r in out.to_dict("records")] if len(out) else pd.Series(dtype=str)
    return out


def mask(reports: pd.DataFrame, sel: Selection) -> pd.Series:
    """The rows of reports.parquet (with `region`) the selection keeps; NoMatch for a value that
    matches no row."""
    keep = pd.Series(True, index=reports.index)
    if sel.regions:
        keep &= _by_region(reports, sel.regions)
    if sel.years:
        keep &= _by_year(reports, sel.years)
    if sel.offices:
        keep &= _by_office(reports, sel.offices)
    if sel.levels:
        keep &= _by_level(reports, sel.levels)
    return keep


def _listed(names) -> str:
    names = sorted({str(n) for n in names if isinstance(n, str) and n or isinstance(n, int)})
    more = f" … ({len(names)} in all)" if len(names) > SHOWN else ""
    return "、".join(names[:SHOWN]) + more if names else "(none)"


def _matching(reports: pd.DataFrame, wanted, hit, complaint) -> pd.Series:
    """The rows any of `wanted` names (`hit(value)`: a mask); NoMatch saying `complaint(value)`
    for a value that names none."""
    keep = pd.Series(False, index=reports.index)
    for w in wanted:
        mine = hit(w)
        if not mine.any():
            raise NoMatch(complaint(w))
        keep |= mine
    return keep


def _by_region(reports: pd.DataFrame, wanted) -> pd.Series:
    cities = reports["city"].fillna("") if "city" in reports else pd.Series("", index=reports.index)
    return _matching(reports, wanted,
                     lambda w: reports["region"].str.startswith(w) | (cities.str.startswith(w) & (cities != "")),
                     lambda w: f"no report of the dataset is in region {w!r}; its regions are: "
                               f"{_listed(reports['region'])} (a city's name works too)")


def years(text: str) -> tuple:
    """`2019` → (2019,), `2019-2021` → (2019, 2020, 2021); ValueError otherwise."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–~至]\s*(\d{4}))?\s*", str(text))
    if not m:
        raise ValueError(f"{text!r} is not a year (2019) or a span of years (2019-2021)")
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    return tuple(range(min(a, b), max(a, b) + 1))


def _by_year(reports: pd.DataFrame, wanted) -> pd.Series:
    want = {y for w in wanted for y in years(w)}
    keep = reports["year"].isin(want)
    if not keep.any():
        raise NoMatch(f"no report of the dataset is of year {' '.join(map(str, wanted))}; its years are: "
                      f"{_listed(int(y) for y in reports['year'].dropna())}")
    return keep


def _by_office(reports: pd.DataFrame, wanted) -> pd.Series:
    ids, names = reports["office_id"].fillna(""), reports["office"].fillna("")

    def hit(w):
        exact = (ids == w) | (names == w)
        return exact if exact.any() else names.str.startswith(w) & (names != "")
    return _matching(reports, wanted, hit,
                     lambda w: f"no office of the dataset is {w!r} (an office_id, or the start of an office's "
                               f"name); its offices are: {_listed(names)}")


def level_code(text: str) -> str:
    """province, city, county, township from a code or its Chinese name; ValueError otherwise."""
    for code in values_of("level"):
        if text in (code, value_name("level", code), value_name("level", code)[:-1]):
            return code
    raise ValueError(f"{text!r} is not a level: " + "、".join(f"{c} ({value_name('level', c)})"
                                                             for c in values_of("level")))


def _by_level(reports: pd.DataFrame, wanted) -> pd.Series:
    want = {level_code(w) for w in wanted}
    keep = reports["level"].isin(want)
    if not keep.any():
        raise NoMatch(f"no report of the dataset is of level {' '.join(wanted)}; its levels are: "
                      f"{_listed(value_name('level', v) for v in reports['level'].dropna())}")
    return keep


def add_arguments(parser, what: str = "files") -> None:
    """The selection options of a command (`ogi report`, `ogi export`, `ogi compare`)."""
    parser.add_argument("--region", action="append", default=[], metavar="REGION",
                        help=f"only the {what} of this province or city, or of those whose name starts so "
                             "(repeatable): 江苏省, 江苏, 苏州")
    parser.add_argument("--year", action="append", default=[], metavar="YEAR",
                        help=f"only the {what} of this reporting year or span (repeatable): 2022, 2019-2021")
    parser.add_argument("--office", action="append", default=[], metavar="OFFICE",
                        help=f"only the {what} of this office: its office_id (320102:人民政府) or its name, or "
                             "the start of its name (repeatable)")
    parser.add_argument("--level", action="append", default=[], metavar="LEVEL",
                        help=f"only the {what} of offices of this level (repeatable): province city county "
                             "township, or 省级 市级 县级 乡镇级")


def from_args(args) -> Selection:
    """The selection a command line asked for (bad years and levels: ValueError, said at once)."""
    for y in args.year:
        years(y)
    for lv in args.level:
        level_code(lv)
    return Selection(tuple(args.region), tuple(args.year), tuple(args.office), tuple(args.level))
