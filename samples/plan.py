"""Which reports to generate beyond the fixed set: offices drawn from the gazetteer, each with a
run of consecutive years, so that a large `count` gives thousands of distinct reports with the
cross-year pairs (carry-over, in-force, previous items) the pipeline checks.

Each office publishes for a few consecutive years of 2019–2025, in the 2019 format up to 2020
and the 2021 format from 2021 (an occasional office keeps the 2019 format). Its habits (how it
writes blanks and amounts, its title) stay from year to year; a few reports carry a deliberate
defect or a cross-year break. Everything is drawn from the seed: the same seed and count give
the same reports, and a larger count gives the same reports and more.
"""
from __future__ import annotations

import random

from . import offices as O
from .content import CORE, DEFECTS, Spec

YEARS = (2019, 2025)
RUN_LENGTHS = {1: 2, 2: 4, 3: 4, 4: 3, 5: 2, 6: 1, 7: 1}    # years an office publishes: weight
ROLE_WEIGHTS = {"gov": 3, "dept": 5, "town": 2}              # how often each kind of office is drawn
KEEPS_2019 = 0.06          # offices that still print the 2019 tables after 2021
DEFECT_RATE = 0.06         # reports with one deliberate within-report defect
BREAK_RATE = 0.05          # years whose carry-over (or in-force count) does not continue the last
BLANK_STYLES = {"zero": 5, "blank_legal": 2, "na_legal": 1}
TITLE_STYLES = ("one", "two_line", "year_first")
CHARSETS = ("utf-8", "gb2312", "gbk")
# How a year's report names its office (content.NAMINGS): most as they are, some by a variant a
# reader has to see through — the office is the same whatever it calls itself that year.
NAMING_WEIGHTS = {"as_is": 10, "short_gov": 2, "abbrev": 2, "slip": 1}
AFTER_LABEL = 0.08         # reports whose title follows a "正文" line, over two lines


class NotEnoughOffices(ValueError):
    """More reports asked for than the gazetteer's offices can give."""


def extra_specs(seed: int, n: int) -> list:
    """n specs of gazetteer offices, office by office in year order; none of a fixed-set office."""
    drawn = draw_offices(seed, {s.office.qualified for s in CORE})
    specs = []
    while len(specs) < n:
        got = next(drawn, None)
        if got is None:
            raise NotEnoughOffices(f"count {n + len(CORE)} is more than the {len(specs) + len(CORE)} "
                                   f"office-years the gazetteer's offices give for seed {seed}")
        _, office, orng = got
        specs += office_specs(office, orng)[:n - len(specs)]
    return specs


def draw_offices(seed: int, taken: set, stream: str = "plan", weights: dict = ROLE_WEIGHTS):
    """(role, office, its own random stream) of the gazetteer's offices, drawn one by one by
    role weight, none twice and none in `taken` (which it fills); `stream` names the random
    streams, so that another plan (samples.legacy_plan) draws its own offices."""
    office_stream = "office" if stream == "plan" else f"{stream}_office"
    rng = random.Random(f"{stream}:{seed}")
    pools = {}
    for role, cands in O.candidates().items():
        pool = list(cands)
        random.Random(f"{stream}:{seed}:{role}").shuffle(pool)
        pools[role] = pool
    while True:
        roles = [r for r in weights if pools[r]]
        if not roles:
            return
        role = rng.choices(roles, weights=[weights[r] for r in roles])[0]
        adcode, index = pools[role].pop()
        orng = random.Random(f"{office_stream}:{seed}:{role}:{adcode}:{index}")
        office = O.make(role, adcode, index, orng)
        if office.qualified in taken:
            continue
        taken.add(office.qualified)
        yield role, office, orng


def office_specs(office, rng: random.Random) -> list:
    """The specs of one office's consecutive years."""
    length = rng.choices(list(RUN_LENGTHS), weights=list(RUN_LENGTHS.values()))[0]
    first = rng.randint(YEARS[0], YEARS[1] - length + 1)
    keeps_2019 = rng.random() < KEEPS_2019
    long_title = len(office.title) > O.ONE_LINE_TITLE
    habits = dict(
        blank_style=("blank_all" if office.kind == "town" and rng.random() < 0.3 else
                     rng.choices(list(BLANK_STYLES), weights=list(BLANK_STYLES.values()))[0]),
        comma=rng.random() < 0.5,
        amount_style=rng.choice(["plain", "wan", "yuan"]),
        title_style="two_line" if long_title else rng.choice(TITLE_STYLES),
        heading_variant=rng.random() < 0.2,
    )
    out = []
    for year in range(first, first + length):
        naming, title_style = _naming(office, year, habits["title_style"])
        fmt = "2021" if year >= 2021 and not keeps_2019 else "2019"
        prev_fmt = out[-1].format if out else None
        defects = (rng.choice(sorted(DEFECTS)),) if rng.random() < DEFECT_RATE else ()
        out.append(Spec(
            office, year, fmt,
            split_other=False if fmt == "2021" and rng.random() < 0.1 else None,
            fullwidth=rng.choice([0.1, 0.2, 0.3]) if rng.random() < 0.1 else 0.0,
            defects=defects,
            carry_over_delta=rng.randint(1, 5) if out and rng.random() < BREAK_RATE else 0,
            in_force_delta=(rng.randint(1, 3) if fmt == prev_fmt == "2021" and rng.random() < BREAK_RATE
                            else 0),
            charset=rng.choice(CHARSETS),
            naming=naming,
            **{**habits, "title_style": title_style},
        ))
    return out


def _naming(office, year: int, title_style: str) -> tuple:
    """(naming, title style) of one year's report, from a stream of its own (so the other draws
    stay as they were)."""
    from .content import naming_applies
    rng = random.Random(f"naming:{office.qualified}:{year}")
    names = [n for n in NAMING_WEIGHTS if naming_applies(office, n)]
    naming = rng.choices(names, weights=[NAMING_WEIGHTS[n] for n in names])[0]
    after_label = rng.random() < AFTER_LABEL and title_style != "two_line"
    return naming, "after_label" if after_label else title_style
