"""Which legacy reports to generate: offices with a series of reports from before 2019, some of
them going on into the 2019 and 2021 formats.

A fixed set of series comes first (`FIXED`), so that even a few reports hold every kind of
report and every deliberate inconsistency, and the offices a reader has to know across 2019:

- a development zone's 管理委员会 that reports as the zone it governs — 平潭综合实验区管理委员会,
  平潭综合实验区管委会 or plain 平潭综合实验区, by year (the zones are the aliases of the
  pipeline's data/divisions.csv: a zone the gazetteer knows stands for the division it governs);
- a county whose government was renamed when the county became a district (某县人民政府 →
  某市某区人民政府, a rename data/divisions.csv knows), its legacy years under the old name and
  its later years under the new one;
- a department that names itself by a short form some years (市人社局 for 市人力资源和社会保障局);
- and offices of the gazetteer with the State Council's form, text-only reports, breaks of the
  历年累计 series.

Beyond it, offices drawn from the gazetteer (samples.offices), each with a run of consecutive
years between 2008 and 2018, a few with a deliberate inconsistency or a break, some going on
after 2019. Everything is drawn from the seed: the same seed and count give the same reports.
"""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import content as C
from . import gazetteer as G
from . import legacy as LG
from . import offices as O


@dataclass(frozen=True)
class Series:
    """An office's run of reports: its role, its kind of legacy report, its years."""
    role: str                      # zone | renamed | abbrev | gov | dept | town
    kind: str                      # legacy.KINDS
    years: tuple                   # legacy years, consecutive
    modern: tuple = ()             # years from 2019 on, after them
    defects: tuple = ()            # deliberate inconsistencies, each in the first year it applies to
    breaks: dict = field(default_factory=dict)     # year -> legacy.BREAKS


FIXED = (
    Series("zone", "provincial", (2016, 2017, 2018), (2019, 2020), defects=("responses_off",)),
    Series("renamed", "provincial", (2017, 2018), (2019,), breaks={2018: "jump"}),
    Series("abbrev", "state_council", (2017, 2018), (2019, 2020), defects=("channel_off",)),
    Series("gov", "text", (2013, 2014), defects=("responses_off",)),
    Series("gov", "provincial", (2010, 2011, 2012), defects=("year_above_cumulative",), breaks={2012: "restart"}),
)

KIND_WEIGHTS = {"provincial": 6, "state_council": 2, "text": 2}
ROLE_WEIGHTS = {"gov": 3, "dept": 5, "town": 1}
RUN_LENGTHS = {1: 2, 2: 4, 3: 3, 4: 2, 5: 1}
DEFECT_RATE = 0.15             # reports with one deliberate inconsistency
BREAK_RATE = 0.08              # years whose 历年累计 does not carry on from the year before
GOES_ON = 0.25                 # offices that go on reporting after 2019
STATES_FIGURES = 0.75          # table reports whose text states the year's main figures too
BLANK_STYLES = {"zero": 6, "dash": 2, "blank": 1}
NAMING_WEIGHTS = {"as_is": 8, "short_gov": 2, "abbrev": 2}
ZONE_NAMING_ORDER = ("zone_body", "zone_body_short", "as_is")


RENAMES = Path(__file__).with_name("renames.csv")


@lru_cache(maxsize=1)
def _division_rows() -> tuple:
    """The generator's own table of zones that report under their name and counties renamed as
    districts (samples/renames.csv, written from public knowledge, never the pipeline's data)."""
    with open(RENAMES, encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


@lru_cache(maxsize=1)
def _by_code() -> dict:
    return {d.adcode: d for d in G.divisions()}


def _domain(adcode: str) -> str:
    return f"www.{adcode}.gov.cn"


def zones() -> list:
    """(zone name, its division) of every zone of renames.csv."""
    out = []
    for r in _division_rows():
        d = _by_code().get(r["adcode"])
        if r["status"] == "zone" and d is not None:
            out.append((r["name"], d))
    return out


def renamed_counties() -> list:
    """(former county name, the district it became) for the renames of renames.csv from a 县
    to a 区 whose district the gazetteer has and whose former name is no division's of today."""
    out = []
    for r in _division_rows():
        d = _by_code().get(r["adcode"])
        if (r["status"] == "renamed" and r["name"].endswith("县") and d is not None and d.is_district
                and not G.name_counts().get(r["name"])):
            out.append((r["name"], d))
    return out


def _zone_office(name: str, d: G.Division) -> C.Office:
    return C.Office(name, name, name, name + "管理委员会办公室", d.province, d.city, d.name, "county_gov",
                    f"{name}门户网站", _domain(d.adcode), "全区")


def _county_office(former: str, d: G.Division) -> C.Office:
    gov = former + "人民政府"
    return C.Office(gov, gov, gov, gov + "办公室", d.province, d.city, former, "county_gov", f"{gov}门户网站",
                    _domain(d.adcode), "我县")


def _abbreviable(office: C.Office) -> bool:
    return any(office.office.endswith(full) for full, _ in C.SHORT_FORMS)


def _gazetteer_offices(seed: int, taken: set = None):
    """Offices of the gazetteer, drawn one by one (role, Office, its random stream), none twice."""
    from .plan import draw_offices
    return draw_offices(seed, set() if taken is None else taken, "legacy_plan", ROLE_WEIGHTS)


@dataclass
class Planned:
    """A series with its offices: the office of each year (a rename changes it), its naming."""
    series: Series
    key: str
    offices: dict                   # year -> C.Office
    namings: dict                   # year -> naming
    habits: dict


def fixed_series(seed: int) -> list:
    """The fixed set's series, their offices drawn by the seed: for each, the first candidate
    office whose years show the series' deliberate inconsistencies and breaks (a province's table
    without a 历年累计 column cannot show a break; a year without requests, a reply that does not
    add up)."""
    rng = random.Random(f"legacy_fixed:{seed}")
    gazetteer = _gazetteer_offices(seed)
    out, taken = [], set()
    for s in FIXED:
        chosen = first = None
        for planned in _candidates(s, seed, rng, gazetteer):
            if planned.key in taken:
                continue
            first = first or planned
            if _shows(planned, seed):
                chosen = planned
                break
        chosen = chosen or first          # (the only zone may print its replies so that none shows)
        taken.add(chosen.key)
        out.append(chosen)
    return out


def _candidates(s: Series, seed: int, rng: random.Random, gazetteer):
    """Planned series of the role's offices, one after another."""
    years = s.years + s.modern
    if s.role == "zone":
        for name, d in rng.sample(zones(), len(zones())):
            office = _zone_office(name, d)
            namings = {y: ZONE_NAMING_ORDER[k % len(ZONE_NAMING_ORDER)] for k, y in enumerate(years)}
            yield _planned(s, office.qualified, {y: office for y in years}, namings, rng)
        return
    if s.role == "renamed":
        for former, d in rng.sample(renamed_counties(), len(renamed_counties())):
            modern = O.make("gov", d.adcode, 0, random.Random(f"legacy_renamed:{seed}:{d.adcode}"))
            if modern is None:
                continue
            offices = {y: _county_office(former, d) for y in s.years}
            offices.update({y: modern for y in s.modern})
            yield _planned(s, modern.qualified, offices, {y: "as_is" for y in offices}, rng)
        return
    for role, office, _ in gazetteer:
        if s.role == "abbrev" and not (role == "dept" and _abbreviable(office)):
            continue
        if s.role in ("gov", "dept") and role != s.role:
            continue
        namings = {y: ("abbrev" if s.role == "abbrev" and k % 2 else "as_is") for k, y in enumerate(years)}
        yield _planned(s, office.qualified, {y: office for y in years}, namings, rng)


def _shows(p: Planned, seed: int) -> bool:
    """Whether every deliberate inconsistency of the series is a flag of its year, and every
    break a cross-year flag."""
    from . import truth
    reports = {r.year: r for r in _series_reports(p, p.series.years, seed)}
    placed = prepare(p, seed)[2]
    if len(placed) != len(p.series.defects) or any(not LG.within_flags(reports[y].cells) for y in placed):
        return False
    return all(truth.cross_year_flags(reports[y - 1], reports[y]) for y in p.series.breaks)


def _planned(s: Series, key: str, offices: dict, namings: dict, rng: random.Random) -> Planned:
    habits = dict(
        blank_style=rng.choices(list(BLANK_STYLES), weights=list(BLANK_STYLES.values()))[0],
        comma=rng.random() < 0.15,
        fullwidth=rng.choice([0.1, 0.2]) if rng.random() < 0.08 else 0.0,
        title_style=rng.choice(("one", "one", "two_line", "year_first")),
        charset=rng.choice(("utf-8", "gb2312", "gbk")),
        heading_variant=rng.random() < 0.4,
    )
    return Planned(s, key, offices, namings, habits)


def random_series(seed: int, taken: set):
    """Series of gazetteer offices beyond the fixed set, one after another."""
    for role, office, orng in _gazetteer_offices(seed, set(taken)):
        length = orng.choices(list(RUN_LENGTHS), weights=list(RUN_LENGTHS.values()))[0]
        first = orng.randint(LG.FIRST_YEAR, LG.LAST_YEAR - length + 1)
        years = tuple(range(first, first + length))
        modern = ()
        if years[-1] == LG.LAST_YEAR and orng.random() < GOES_ON * 3 or orng.random() < GOES_ON / 3:
            modern = tuple(range(2019, 2019 + orng.randint(1, 2)))
        kind = orng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        defects = tuple(orng.choice(sorted(LG.DEFECTS)) for _ in years if orng.random() < DEFECT_RATE)
        breaks = {y: orng.choice(sorted(LG.BREAKS)) for y in years[1:] if orng.random() < BREAK_RATE}
        s = Series(role, kind, years, modern, defects, breaks)
        names = [n for n in NAMING_WEIGHTS if C.naming_applies(office, n)]
        namings = {y: orng.choices(names, weights=[NAMING_WEIGHTS[n] for n in names])[0] for y in years + modern}
        yield _planned(s, office.qualified, {y: office for y in years + modern}, namings, orng)


def build(seed: int, count: int) -> list:
    """The legacy reports (`count` of them), each followed by the later reports of its office
    (2019 and 2021 formats) where its series goes on: content.Report objects, office by office
    in year order."""
    if count <= 0:
        return []
    planned = fixed_series(seed)
    chosen, n = [], 0
    extra = random_series(seed, {p.key for p in planned})
    while n < count:
        p = planned.pop(0) if planned else next(extra)
        take = p.series.years[:count - n]
        chosen.append((p, take))
        n += len(take)
    out = []
    for p, years in chosen:
        out += _series_reports(p, years, seed)
    return out


def prepare(p: Planned, seed: int) -> tuple:
    """(year -> its table, the office's simulated figures, {year: defects}) of a series."""
    s = p.series
    first = p.offices[s.years[0]]
    table_of = _table_maker(s.kind, first.province, random.Random(f"{seed}:legacy_table:{p.key}"))
    numbers = LG.simulate(p.key, first.kind, table_of(s.years[-1]), s.years[-1], seed)
    return table_of, numbers, _place_defects(s, numbers, table_of)


def _series_reports(p: Planned, years: tuple, seed: int) -> list:
    """The reports of one office: its legacy years (all of `years`), then its modern years when
    the whole legacy run was taken."""
    s = p.series
    rng = random.Random(f"{seed}:legacy_series:{p.key}")
    table_of, numbers, placed = prepare(p, seed)
    out = []
    for year in years:
        spec = LG.LegacySpec(
            p.offices[year], year, s.kind, p.key, naming=p.namings.get(year, "as_is"),
            defects=placed.get(year, ()), states_figures=rng.random() < STATES_FIGURES,
            blank_style=p.habits["blank_style"], comma=p.habits["comma"], fullwidth=p.habits["fullwidth"],
            title_style=p.habits["title_style"], charset=p.habits["charset"],
            heading_variant=p.habits["heading_variant"],
        )
        out.append(LG.make_report(spec, numbers, seed, table_of(year), s.breaks))
    if years == s.years:
        out += _modern_reports(p, seed)
    return out


def _table_maker(kind: str, province: str, rng: random.Random):
    """year -> the office's statistics table of that year (None for a text-only report)."""
    if kind == "text":
        return lambda year: None
    if kind == "state_council":
        table = LG.state_council_table()
        return lambda year: table
    style = LG.province_style(province)
    if rng.random() < 0.2:                           # an office that words its year column its own way
        style = {**style, "year_word": rng.choice(LG.YEAR_WORDS)}
    return lambda year: LG.provincial_table(style, year)


def _place_defects(s: Series, numbers: dict, table_of) -> dict:
    """{year: defects}: each of the series' defects in the first year (from its second on, where
    there is one) it applies to and that has none yet."""
    out = {}
    order = list(s.years[1:]) + list(s.years[:1])
    for d in s.defects:
        for year in order:
            if year not in out and d in LG.applicable_defects(s.kind, table_of(year), numbers, year):
                out[year] = (d,)
                break
    return out


def _modern_reports(p: Planned, seed: int) -> list:
    """The office's reports from 2019 on, in the 2019 format up to 2020 and the 2021 format after."""
    out, prev = [], None
    for year in p.series.modern:
        office = p.offices[year]
        naming = p.namings.get(year, "as_is")
        spec = C.Spec(office, year, "2021" if year >= 2021 else "2019", charset=p.habits["charset"],
                      title_style=p.habits["title_style"] if p.habits["title_style"] != "two_line" else "one",
                      naming=naming if naming in C.NAMINGS else "as_is")
        rep = C.make_report(spec, seed, prev)
        if naming in LG.ZONE_NAMINGS:
            LG._name(rep, naming)
        rep.series = p.key
        out.append(rep)
        prev = rep
    return out
