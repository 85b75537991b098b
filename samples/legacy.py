"""Sample reports from before 2019 (format `legacy`, reporting years 2008–2018): what they say,
their numbers, their statistics table as a layout grid, their prose, and their truth flags.

There was no national table layout before 2019. A report is one of three kinds (`LegacySpec.kind`):

- `provincial`: a statistics table at the end (附件), 指标名称 · 计量单位 · 本年度 (`2013年度`, 本期)
  · 历年累计, each province with its own selection and wording of the indicators (`province_style`:
  drawn once per province from its name) — 主动公开 with its 其中 rows, the requests with their
  channels (信函、传真 as one row in some), the replies by kind, fees, 复议 · 诉讼 · 申诉, now and
  then an indicator of the province's own (kept by the pipeline as `other:<label>`);
- `state_council`: the State Council's statistical form: 指标名称 · 代码 · 计量单位 · 本期实际 ·
  本年累计, numbered indicators in sections, the refusals split by reason (非《条例》所指政府信息,
  信息不存在, 非本部门掌握, 申请内容不明确, 免予公开 1–6);
- `text`: no table at all, the figures stated in sentences ("全年共收到政府信息公开申请12件，其中
  当面申请5件…", "本年度未收到政府信息公开申请"); its truth cells are the figures the text states.

An office's numbers are simulated year by year from 2008 (the year disclosure began), so that
every 历年累计 is the sum of the years before it and every relation holds; then the deliberate
inconsistencies (`DEFECTS`, `BREAKS`) are written over the printed cells, and the truth flags are
computed from the printed cells by a small implementation of the legacy rules of SCHEMA.md
(`within_flags`, `cross_year_flags`), independent of the pipeline's.

The writers render a legacy report as they render any other (its blocks and its one grid, table
`legacy`); the crawler's run-together text and the converter's Markdown have legacy modules of
their own (`legacy_crawl`, `legacy_md`). Which offices publish which years is `legacy_plan`.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from . import content as C
from . import layouts as L

TABLE = "legacy"
FORMAT = "legacy"
FIRST_YEAR, LAST_YEAR = 2008, 2018
KINDS = ("provincial", "state_council", "text")
OTHER = "other:"

# ---------------------------------------------------------------------------------------------
# The statistics table as printed


@dataclass(frozen=True)
class Row:
    """A printed indicator: its code (SCHEMA's, or other:<label>), its label as printed (其中 and
    numbering included), its unit, its 代码 on the State Council's form, the row it is a part of."""
    code: str
    label: str
    unit: str
    number: str = ""
    parent: str = ""


@dataclass(frozen=True)
class Heading:
    """A row with no values: a section of the State Council's form (一、主动公开情况), or a bare
    其中： over the parts below it."""
    label: str


@dataclass(frozen=True)
class Table:
    """A legacy statistics table: its lines (Row | Heading) and its columns."""
    form: str                    # provincial | state_council
    lines: tuple
    cols: tuple                  # ((col code, header word), ...): year, cumulative, year_to_date
    indicator_word: str
    unit_word: str               # '' for a table without a 计量单位 column
    code_word: str               # '' for a table without a 代码 column
    caption: str                 # 政府信息公开情况统计表

    @property
    def rows(self) -> list:
        return [x for x in self.lines if isinstance(x, Row)]


def _part_labels(words: list, style: str) -> list:
    """Labels of the parts of a row, numbered the province's way."""
    out = []
    for k, w in enumerate(words, start=1):
        if style == "qizhong_1":
            out.append(f"其中：{k}.{w}" if k == 1 else f"{k}.{w}")
        elif style == "qizhong_paren":
            out.append(f"其中：（{k}）{w}" if k == 1 else f"（{k}）{w}")
        elif style == "qizhong_bare":
            out.append(f"其中：{w}" if k == 1 else w)
        else:                                   # qizhong_row: a bare 其中： row above the parts
            out.append(f"{k}.{w}")
    return out


def _with_parts(parent: Row, parts: list, style: str) -> list:
    """The parent row, then its parts ((code, word, unit) ...) as the province numbers them."""
    lines = [parent]
    if not parts:
        return lines
    if style == "qizhong_row":
        lines.append(Heading("其中："))
    labels = _part_labels([w for _, w, _ in parts], style)
    lines += [Row(code, label, unit, parent=parent.code) for (code, _, unit), label in zip(parts, labels)]
    return lines


# Wordings of the indicators across provinces (the first of each is the State Council's).
ACTIVE_WORDS = ("主动公开政府信息数", "主动公开信息数", "主动公开文件数", "主动公开政府信息总数")
WEBSITE_WORDS = ("网站公开", "政府网站公开数", "政府网站公开")
GAZETTE_WORDS = ("政府公报公开", "政府公报公开数", "公报公开")
REQUEST_WORDS = ("受理依申请公开信息总数", "申请总数", "收到政府信息公开申请数", "受理政府信息公开申请总数",
                 "收到申请数")
RESPONSE_WORDS = ("对申请的答复总数", "对申请的答复数", "答复总数", "申请答复数")
REFUSED_WORDS = ("不予公开答复数", "否决公开答复数", "不同意公开答复数")
CHANNEL_WORDS = {"requests_in_person": "当面申请数", "requests_fax": "传真申请数",
                 "requests_email": "电子邮件申请数", "requests_online": "网上申请数",
                 "requests_letter": "信函申请数", "requests_letter_fax": "信函、传真申请数",
                 "requests_other": "其他形式申请数"}
CHANNEL_SETS = (
    ("requests_in_person", "requests_fax", "requests_email", "requests_online", "requests_letter",
     "requests_other"),
    ("requests_in_person", "requests_letter_fax", "requests_email", "requests_online", "requests_other"),
    ("requests_in_person", "requests_online", "requests_letter", "requests_other"),
    ("requests_in_person", "requests_letter_fax", "requests_online"),
    (),
)
FEES = (None, ("政府信息公开收费减免金额", "元"), ("依申请公开收费金额", "万元"),
        ("依申请公开信息收取的费用", "万元"), ("依申请公开收费金额", "元"))
COMPLAINTS = (None, None, "接受行政诉讼、举报数", "举报投诉数")
REVIEW_WORDS = (("行政复议数", "行政诉讼数", "行政申诉数"), ("行政复议数量", "行政诉讼数量", "行政申诉数量"))
# Indicators of a province's own, none of SCHEMA's: kept as other:<label> (counts, never amounts).
OWN_INDICATORS = (("受理政府信息公开咨询数", "人次"), ("政府信息公开查阅点接待人数", "人次"),
                  ("依申请公开政府信息目录数", "条"))
NUMBERINGS = {"qizhong_1": 5, "qizhong_paren": 2, "qizhong_bare": 2, "qizhong_row": 1}
YEAR_WORDS = ("本年度", "{y}年度", "本期", "{y}年度", "本年数")


def province_style(province: str) -> dict:
    """The province's own statistics table: which indicators, in which words, numbered how.
    Drawn once from the province's name, so every office of a province prints the same table."""
    rng = random.Random(f"legacy_style:{province}")
    return dict(
        active=rng.choice(ACTIVE_WORDS),
        active_parts=rng.choice(("website_gazette", "website_gazette", "fulltext", "none")),
        website=rng.choice(WEBSITE_WORDS),
        gazette=rng.choice(GAZETTE_WORDS),
        normative=rng.random() < 0.3,
        requests=rng.choice(REQUEST_WORDS),
        channels=rng.choice(CHANNEL_SETS),
        other_channel=rng.choice(("其他形式申请数", "其它形式申请数")),
        responses=rng.choice(RESPONSE_WORDS),
        refused=rng.choice(REFUSED_WORDS),
        other_reply=rng.choice((None, "其他类型答复数", "其它类型答复数")),
        fees=rng.choice(FEES),
        complaints=rng.choice(COMPLAINTS),
        review=rng.choice(REVIEW_WORDS),
        appeals=rng.random() < 0.6,
        own=rng.choice((None, None) + OWN_INDICATORS),
        units=rng.choice(("tiao", "jian")),
        numbering=rng.choices(list(NUMBERINGS), weights=list(NUMBERINGS.values()))[0],
        year_word=rng.choice(YEAR_WORDS),
        cumulative=rng.random() < 0.9,
        indicator_word=rng.choice(("指标名称", "指标名称", "统计指标")),
        unit_word=rng.choice(("计量单位", "计量单位", "单位")),
        caption=rng.choice(("政府信息公开情况统计表", "政府信息公开工作情况统计表")),
    )


def provincial_table(style: dict, year: int) -> Table:
    """The province's table for one reporting year."""
    count_unit = "条" if style["units"] == "tiao" else "件"
    num = style["numbering"]
    lines = []
    parts = {"website_gazette": [("active_website", style["website"], "条"),
                                 ("active_gazette", style["gazette"], "条")],
             "fulltext": [("active_fulltext", "全文电子化的主动公开信息数", "条")], "none": []}[style["active_parts"]]
    lines += _with_parts(Row("active_total", style["active"], "条"), parts, num)
    if style["normative"]:
        lines.append(Row("active_normative", "新增的行政规范性文件数", "件"))
    channels = [(c, style["other_channel"] if c == "requests_other" else CHANNEL_WORDS[c], count_unit)
                for c in style["channels"]]
    lines += _with_parts(Row("requests_total", style["requests"], count_unit), channels, num)
    replies = [("responses_granted", "同意公开答复数", count_unit),
               ("responses_partial", "同意部分公开答复数", count_unit),
               ("responses_refused", style["refused"], count_unit)]
    if style["other_reply"]:
        replies.append(("responses_other", style["other_reply"], count_unit))
    lines += _with_parts(Row("responses_total", style["responses"], count_unit), replies, num)
    if style["fees"]:
        words, unit = style["fees"]
        lines.append(Row("fees", words, unit))
    if style["complaints"]:
        lines.append(Row("reports_complaints", style["complaints"], count_unit))
    review, litigation, appeals = style["review"]
    lines += [Row("review", review, count_unit), Row("litigation", litigation, count_unit)]
    if style["appeals"]:
        lines.append(Row("appeals", appeals, count_unit))
    if style["own"]:
        words, unit = style["own"]
        lines.append(Row(OTHER + words, words, unit))
    cols = [("year", style["year_word"].format(y=year))]
    if style["cumulative"]:
        cols.append(("cumulative", "历年累计"))
    return Table("provincial", tuple(lines), tuple(cols), style["indicator_word"], style["unit_word"], "",
                 style["caption"])


# The State Council's statistical form: sections, numbered indicators, refusals by reason.
REFUSAL_REASONS = ("非《条例》所指政府信息", "信息不存在", "非本部门掌握", "申请内容不明确")
EXEMPT = ("涉及国家秘密", "涉及商业秘密", "涉及个人隐私", "危及国家安全、公共安全、经济安全和社会稳定",
          "正在调查、讨论、处理过程中的信息", "法律、法规规定免予公开的其他情形")
EXEMPT_TOTAL = "免予公开数"
STAFF = (("政府信息公开工作专职人员数", "人"), ("政府信息公开工作兼职人员数", "人"))


def state_council_table() -> Table:
    """The State Council's form, the same for every office that uses it."""
    lines = [Heading("一、主动公开情况"),
             Row("active_total", "主动公开政府信息数", "条"),
             Row("active_fulltext", "其中：全文电子化的主动公开信息数", "条", parent="active_total"),
             Row("active_normative", "新增的行政规范性文件数", "件"),
             Heading("二、依申请公开情况"),
             Row("requests_total", "受理依申请公开信息总数", "件")]
    channels = ("requests_in_person", "requests_fax", "requests_email", "requests_online", "requests_letter",
                "requests_other")
    lines += [Row(c, label, "件", parent="requests_total")
              for c, label in zip(channels, _part_labels([CHANNEL_WORDS[c] for c in channels], "qizhong_1"))]
    lines.append(Row("responses_total", "对申请的答复总数", "件"))
    replies = ("responses_granted", "responses_partial", "responses_refused")
    labels = _part_labels(["同意公开答复数", "同意部分公开答复数", "不予公开答复数"], "qizhong_1")
    lines += [Row(c, label, "件", parent="responses_total") for c, label in zip(replies, labels)]
    lines += [Row(OTHER + w, f"（{k}）{w}" if k > 1 else f"其中：（1）{w}", "件", parent="responses_refused")
              for k, w in enumerate(REFUSAL_REASONS, start=1)]
    lines.append(Row(OTHER + EXEMPT_TOTAL, f"（{len(REFUSAL_REASONS) + 1}）{EXEMPT_TOTAL}", "件",
                     parent="responses_refused"))
    lines += [Row(OTHER + w, f"{k}.{w}", "件", parent=OTHER + EXEMPT_TOTAL) for k, w in enumerate(EXEMPT, start=1)]
    lines.append(Row("responses_other", "4.其他类型答复数", "件", parent="responses_total"))
    lines += [Heading("三、收费及减免情况"), Row("fees", "依申请公开收费金额", "万元"),
              Heading("四、因政府信息公开申请行政复议、提起行政诉讼的情况"),
              Row("review", "行政复议数", "件"), Row("litigation", "行政诉讼数", "件"), Row("appeals", "行政申诉数", "件"),
              Heading("五、其他指标"), Row("reports_complaints", "举报投诉数", "件")]
    lines += [Row(OTHER + w, w, unit) for w, unit in STAFF]
    numbered, k = [], 0
    for x in lines:
        if isinstance(x, Row):
            k += 1
            x = Row(x.code, x.label, x.unit, f"{k:02d}", x.parent)
        numbered.append(x)
    return Table("state_council", tuple(numbered), (("year", "本期实际"), ("year_to_date", "本年累计")),
                 "指标名称", "计量单位", "代码", "政府信息公开工作情况统计表")


# The indicators a text-only report may state (it has no table: the codes its sentences name).
TEXT_CODES = ("active_total", "requests_total", "requests_in_person", "requests_email", "requests_online",
              "requests_letter", "requests_fax", "responses_total", "responses_granted", "responses_partial",
              "responses_refused", "fees", "review", "litigation")


# ---------------------------------------------------------------------------------------------
# The grid every writer draws

def grid(table: Table) -> L.Grid:
    """The table as a layout grid: a header row, then a row per line; a Heading spans the row."""
    n = 1 + bool(table.code_word) + bool(table.unit_word) + len(table.cols)
    cells = [L.GridCell(0, 0, table.indicator_word, role="header")]
    k = 1
    if table.code_word:
        cells.append(L.GridCell(0, k, table.code_word, role="header"))
        k += 1
    if table.unit_word:
        cells.append(L.GridCell(0, k, table.unit_word, role="header"))
        k += 1
    for j, (_, word) in enumerate(table.cols):
        cells.append(L.GridCell(0, k + j, word, role="header"))
    for r, line in enumerate(table.lines, start=1):
        if isinstance(line, Heading):
            cells.append(L.GridCell(r, 0, line.label, colspan=n, role="label"))
            continue
        cells.append(L.GridCell(r, 0, line.label, role="label"))
        k = 1
        if table.code_word:
            cells.append(L.GridCell(r, k, line.number, role="label"))
            k += 1
        if table.unit_word:
            cells.append(L.GridCell(r, k, line.unit, role="label"))
            k += 1
        for j, (col, _) in enumerate(table.cols):
            cells.append(L.GridCell(r, k + j, "", role="data", code=(TABLE, line.code, col)))
    return L.Grid(TABLE, 1 + len(table.lines), n, cells, header_rows=1)


# ---------------------------------------------------------------------------------------------
# What makes one report

# Deliberate inconsistencies within a report, each written over the printed cells.
DEFECTS = {
    "channel_off": "a channel's 本年度 figure off by a few: the channels do not add up (legacy.requests_sum)",
    "responses_off": "对申请的答复数 off by a few: the kinds of reply do not add up (legacy.responses_sum)",
    "year_above_cumulative": "a row's 历年累计 left at last year's, below this year's figure "
                             "(legacy.year_le_cumulative)",
}
# Breaks of the 历年累计 series, from a year on (cross_year.cumulative between it and the year before).
BREAKS = {
    "restart": "every 历年累计 counted again from this year, as if disclosure began now",
    "jump": "主动公开's 历年累计 jumps by last year's figure, counted twice",
}


@dataclass(frozen=True)
class LegacySpec:
    """One legacy report: the office as it was that year, how it names itself, which kind of report."""
    office: C.Office              # the office under its name of that year
    year: int
    kind: str                     # provincial | state_council | text
    series: str                   # the office across its years and names (the truth's pairing key)
    naming: str = "as_is"         # content.NAMINGS, or zone_body / zone_body_short (a zone's 管委会)
    defects: tuple = ()
    breaks: str = ""              # BREAKS: from this year on
    blank_style: str = "zero"     # zero | dash (zeros of the 其中 rows as —) | blank (历年累计 of 0 left empty)
    comma: bool = False
    fullwidth: float = 0.0
    states_figures: bool = True   # a table report's text states this year's main figures too
    title_style: str = "one"
    charset: str = "utf-8"
    heading_variant: bool = False  # the province's wording of some headings


@dataclass
class Plan:
    """What a legacy report's prose and table hold, beyond its cells."""
    table: Optional[Table]
    stated: dict = field(default_factory=dict)      # code -> value the text states (year column)
    text_style: dict = field(default_factory=dict)  # how the text states them
    sections: tuple = ()                            # (code or '', heading) in printed order


# ---------------------------------------------------------------------------------------------
# Numbers: an office's years simulated from 2008

_ACTIVE_SCALE = {"province_gov": (800, 5000), "city_gov": (500, 4000), "county_gov": (300, 3000),
                 "district": (300, 3000), "province_dept": (80, 900), "city_dept": (40, 600),
                 "county_bureau": (15, 300), "district_bureau": (15, 300), "town": (5, 150)}
_REQUEST_SCALE = {"province_gov": 80, "city_gov": 60, "county_gov": 40, "district": 40, "province_dept": 25,
                  "city_dept": 15, "county_bureau": 6, "district_bureau": 6, "town": 2}
_CHANNEL_WEIGHTS = {"requests_in_person": 0.35, "requests_fax": 0.05, "requests_email": 0.15,
                    "requests_online": 0.3, "requests_letter": 0.1, "requests_other": 0.05}


def _year_numbers(rng: random.Random, kind: str, table: Optional[Table]) -> dict:
    """One year's figures of every indicator the office's table prints (or a text may state), all
    relations holding: the channels add up to the requests, the kinds of reply to the replies,
    the refusal reasons to the refusals, the parts stay below their total."""
    printed = {r.code for r in table.rows} if table else set(TEXT_CODES)
    lo, hi = _ACTIVE_SCALE.get(kind, (20, 400))
    out = {}
    total = rng.randint(lo, hi)
    out["active_total"] = total
    website = round(total * rng.uniform(0.55, 0.97))
    out["active_website"] = website
    out["active_gazette"] = rng.randint(0, min(30, total - website))
    out["active_fulltext"] = round(total * rng.uniform(0.3, 1.0))
    out["active_normative"] = rng.randint(0, 25 if kind.endswith("gov") or kind == "district" else 6)
    n = 0 if rng.random() < 0.3 else rng.randint(0, _REQUEST_SCALE.get(kind, 10))
    out["requests_total"] = n
    channels = [c for c in _CHANNEL_WEIGHTS if c in printed or
                (c in ("requests_letter", "requests_fax") and "requests_letter_fax" in printed)]
    counts = dict.fromkeys(_CHANNEL_WEIGHTS, 0)
    if channels and any(c.startswith("requests_") and c != "requests_total" for c in printed):
        for c in rng.choices(channels, weights=[_CHANNEL_WEIGHTS[c] for c in channels], k=n):
            counts[c] += 1
    out.update(counts)
    out["requests_letter_fax"] = counts["requests_letter"] + counts["requests_fax"]
    answered = n - (rng.randint(0, min(2, n)) if n and rng.random() < 0.3 else 0)
    out["responses_total"] = answered
    kinds = ["responses_granted", "responses_partial", "responses_refused"] + \
            (["responses_other"] if "responses_other" in printed else [])
    replies = dict.fromkeys(("responses_granted", "responses_partial", "responses_refused", "responses_other"), 0)
    for c in rng.choices(kinds, weights=[0.7, 0.1, 0.12, 0.08][:len(kinds)], k=answered):
        replies[c] += 1
    out.update(replies)
    reasons = [OTHER + w for w in REFUSAL_REASONS] + [OTHER + EXEMPT_TOTAL]
    split = dict.fromkeys(reasons, 0)
    for c in rng.choices(reasons, k=replies["responses_refused"]):
        split[c] += 1
    out.update(split)
    exempt = dict.fromkeys((OTHER + w for w in EXEMPT), 0)
    for c in rng.choices(list(exempt), k=split[OTHER + EXEMPT_TOTAL]):
        exempt[c] += 1
    out.update(exempt)
    out["fees"] = Decimal(0) if rng.random() < 0.8 else Decimal(rng.randint(5, 800)) / Decimal(10000)
    out["reports_complaints"] = 0 if rng.random() < 0.8 else rng.randint(1, 3)
    big = kind.endswith("gov") or kind == "district"
    out["review"] = 0 if rng.random() < (0.7 if big else 0.9) else rng.randint(1, 3)
    out["litigation"] = 0 if rng.random() < (0.85 if big else 0.95) else rng.randint(1, 2)
    out["appeals"] = 0 if rng.random() < 0.95 else 1
    for words, _ in OWN_INDICATORS:
        out[OTHER + words] = rng.randint(20, 3000)
    for words, _ in STAFF:
        out[OTHER + words] = rng.randint(0, 3)
    return out


def simulate(series: str, kind: str, table: Optional[Table], last: int, seed: int) -> dict:
    """{year: {code: figure}} of an office from 2008 to `last`, the way it counted them: its
    yearly figures and, beside them, the cumulative ones (code + '#cum')."""
    rng = random.Random(f"{seed}:legacy_numbers:{series}")
    out, running = {}, {}
    for year in range(FIRST_YEAR, last + 1):
        figures = _year_numbers(rng, kind, table)
        for code, v in figures.items():
            running[code] = running.get(code, 0) + v
        out[year] = {**figures, **{f"{c}#cum": v for c, v in running.items()}}
    return out


# ---------------------------------------------------------------------------------------------
# Building a report


def make_report(spec: LegacySpec, numbers: dict, seed: int = 0, table: Optional[Table] = None,
                breaks: Optional[dict] = None) -> C.Report:
    """A legacy report from its spec and its office's simulated figures; `breaks` ({year: kind})
    the office's breaks of its 历年累计 up to this year."""
    o = spec.office
    key = f"{seed}:legacy:{o.qualified}:{spec.year}"
    rng = random.Random(key)
    rep = C.Report(o.office, o.qualified, o.title, o.compiler, spec.year, FORMAT, o.province, o.city, o.county,
                   o.kind, o.portal, o.domain, o.short, False, spec=spec, key=key)
    rep.series = spec.series
    year = numbers[spec.year]
    plan = Plan(table)
    if table is not None:
        rep.cells = _table_cells(rng, spec, table, year, _cumulative(numbers, spec.year, breaks or {}))
        rep.numbers = {c: year.get(c[1]) for c in rep.cells}
        for d in spec.defects:
            _DEFECTS[d](rep.cells, spec, table, numbers)
        if spec.states_figures:
            plan.stated = {c: year[c] for c in ("active_total", "requests_total", "requests_in_person",
                                                "requests_online", "responses_total", "responses_granted")
                           if c in {r.code for r in table.rows}}
    else:
        plan.sections = _sections(rng, spec, table)
        plan.stated = _text_figures(rng, year)
        if "fees" not in {code for code, _ in plan.sections}:
            plan.stated.pop("fees", None)            # said only in its section
        rep.cells = {(TABLE, code, "year"): _written(v, spec, rng) for code, v in plan.stated.items()}
        rep.numbers = dict(plan.stated)
        for d in spec.defects:
            _TEXT_DEFECTS[d](rep.cells, plan.stated, spec)
    plan.text_style = _text_style(rng)
    plan.sections = plan.sections or _sections(rng, spec, table)
    rep.legacy = plan
    rep.sections = tuple(code for code, _ in plan.sections if code)
    rep.facts = _facts(rng, rep)
    rep.printed_qualified = o.qualified
    _name(rep, spec.naming)
    return rep


def _cumulative(numbers: dict, year: int, breaks: dict) -> dict:
    """{code: 历年累计 as printed this year}: the running sums, less what a restart forgot, plus
    what a jump counted twice."""
    cum = {c[:-4]: v for c, v in numbers[year].items() if c.endswith("#cum")}
    for when, how in sorted(breaks.items()):
        if when > year:
            continue
        if how == "restart":
            before = {c[:-4]: v for c, v in numbers[when - 1].items() if c.endswith("#cum")}
            cum = {c: v - before.get(c, 0) for c, v in cum.items()}
        elif how == "jump":
            cum["active_total"] += numbers[when - 1]["active_total"]
    return cum


_NA = ("—", "/", "-")


def _written(v, spec: LegacySpec, rng: random.Random) -> C.Written:
    """A figure as printed: an amount in 万元 or 元 by its row, a count with the office's habits."""
    if isinstance(v, Decimal):
        return C.Written(C._wan_text(v), "number", v)
    return C.Written(C._count_text(v, rng, spec), "number", v)


def _table_cells(rng: random.Random, spec: LegacySpec, table: Table, year: dict, cum: dict) -> dict:
    """Every data cell of the table, in printed order: code -> Written."""
    cells = {}
    for row in table.rows:
        for col, _ in table.cols:
            v = cum[row.code] if col == "cumulative" else year[row.code]
            code = (TABLE, row.code, col)
            if row.unit == "元" and isinstance(v, Decimal):
                yuan = (v * 10000).normalize()
                cells[code] = C.Written(format(yuan, "f"), "number", v)
            elif v == 0 and spec.blank_style == "dash" and row.parent and col != "cumulative":
                cells[code] = C.Written(rng.choice(_NA), "na")
            elif v == 0 and spec.blank_style == "blank" and col == "cumulative":
                cells[code] = C.Written("", "blank")
            else:
                cells[code] = _written(v, spec, rng)
    return cells


def _set(cells: dict, code: tuple, value, spec: LegacySpec) -> None:
    cells[code] = C.Written(C._count_text(value, random.Random(0), spec), "number", value)


def _off(rng_key: str, value: int) -> int:
    """A misprint of a few: up or down (never below 0)."""
    d = random.Random(rng_key).randint(1, 3)
    return value - d if value >= d and random.Random(rng_key + ":sign").random() < 0.5 else value + d


def _channel_off(cells: dict, spec: LegacySpec, table: Table, numbers: dict) -> None:
    channels = [r.code for r in table.rows if r.parent == "requests_total"]
    code = (TABLE, random.Random(f"{spec.series}:{spec.year}:channel").choice(channels), "year")
    _set(cells, code, _off(f"{spec.series}:{spec.year}:off", cells[code].value or 0), spec)


def _responses_off(cells: dict, spec: LegacySpec, table: Table, numbers: dict) -> None:
    code = (TABLE, "responses_total", "year")
    _set(cells, code, _off(f"{spec.series}:{spec.year}:off", cells[code].value or 0), spec)


def _year_above_cumulative(cells: dict, spec: LegacySpec, table: Table, numbers: dict) -> None:
    """The 历年累计 of 主动公开 left at last year's figure; where this year's figure is not above
    it, the year's and the cumulative figure swapped."""
    year, cum = (TABLE, "active_total", "year"), (TABLE, "active_total", "cumulative")
    last = numbers[spec.year - 1]["active_total#cum"] if spec.year > FIRST_YEAR else 0
    if cells[year].value > last:
        _set(cells, cum, last, spec)
    else:
        a, b = cells[year].value, cells[cum].value
        _set(cells, year, b, spec)
        _set(cells, cum, a, spec)


_DEFECTS = {"channel_off": _channel_off, "responses_off": _responses_off,
            "year_above_cumulative": _year_above_cumulative}


def _text_channel_off(cells: dict, stated: dict, spec: LegacySpec) -> None:
    channels = [c for c in stated if c.startswith("requests_") and c != "requests_total"]
    code = (TABLE, random.Random(f"{spec.series}:{spec.year}:channel").choice(channels), "year")
    _set(cells, code, _off(f"{spec.series}:{spec.year}:off", cells[code].value), spec)


def _text_responses_off(cells: dict, stated: dict, spec: LegacySpec) -> None:
    code = (TABLE, "responses_total", "year")
    _set(cells, code, _off(f"{spec.series}:{spec.year}:off", cells[code].value), spec)


_TEXT_DEFECTS = {"channel_off": _text_channel_off, "responses_off": _text_responses_off}


def applicable_defects(kind: str, table: Optional[Table], numbers: dict, year: int) -> list:
    """The defects a report of this kind can carry (a channel needs channels printed …)."""
    out = []
    if table is not None:
        codes = {r.code for r in table.rows}
        if any(r.parent == "requests_total" for r in table.rows):
            out.append("channel_off")
        if "responses_total" in codes:
            out.append("responses_off")
        if any(col == "cumulative" for col, _ in table.cols) and year > FIRST_YEAR:
            out.append("year_above_cumulative")
    else:
        if numbers[year]["requests_total"] > 0:
            out += ["channel_off"]
        if numbers[year]["responses_total"] > 0:
            out += ["responses_off"]
    return out


def _text_figures(rng: random.Random, year: dict) -> dict:
    """The figures a text-only report states (code -> value): always the items published and
    the requests; the channels and the replies that are not 0 when there were requests; the
    reviews and lawsuits; the fees now and then."""
    out = {"active_total": year["active_total"], "requests_total": year["requests_total"]}
    if year["requests_total"]:
        out.update({c: year[c] for c in _CHANNEL_TEXT if year[c]})
        if year["responses_total"]:
            out["responses_total"] = year["responses_total"]
            out.update({c: year[c] for c in _REPLY_TEXT if year[c]})
    elif rng.random() < 0.5:
        out["responses_refused"] = 0
    out["review"] = year["review"]
    out["litigation"] = year["litigation"]
    if rng.random() < 0.4:
        out["fees"] = Decimal(0)
    return out


# ---------------------------------------------------------------------------------------------
# Truth flags: the legacy rules of SCHEMA.md, written again independently of the pipeline

_CHANNELS = ("requests_in_person", "requests_fax", "requests_email", "requests_online", "requests_letter",
             "requests_letter_fax", "requests_other")
_REPLIES = ("responses_granted", "responses_partial", "responses_refused", "responses_other")
_COLS = ("year", "cumulative", "year_to_date")


def _num(cells: dict, row: str, col: str):
    w = cells.get((TABLE, row, col))
    return None if w is None or w.kind != "number" else w.value


def _broken(total, parts: list) -> bool:
    return total is not None and all(p is not None for p in parts) and total != sum(parts)


def within_flags(cells: dict) -> list:
    """The within-report flags of a legacy report: legacy.requests_sum and legacy.responses_sum per
    column (over the channels and kinds it prints), legacy.year_le_cumulative per row, and the
    values.* rules (fees are an amount: they may be fractional)."""
    rows = list(dict.fromkeys(r for (_, r, _) in cells))
    cols = [c for c in _COLS if any(k[2] == c for k in cells)]
    flags = []
    for rule, total, parts in (("legacy.requests_sum", "requests_total", _CHANNELS),
                               ("legacy.responses_sum", "responses_total", _REPLIES)):
        printed = [p for p in parts if p in rows]
        if total not in rows or not printed:
            continue
        for col in cols:
            if (TABLE, total, col) in cells and _broken(_num(cells, total, col), [_num(cells, p, col) for p in printed]):
                flags.append(f"{rule}@{col}")
    for row in rows:
        y, c = _num(cells, row, "year"), _num(cells, row, "cumulative")
        if y is not None and c is not None and y > c:
            flags.append(f"legacy.year_le_cumulative@{row}")
    for (_, row, col), w in cells.items():
        if w.kind == "number" and w.value < 0:
            flags.append(f"values.non_negative@{TABLE}.{row}.{col}")
    for (_, row, col), w in cells.items():
        if w.kind == "number" and row != "fees" and w.value != int(w.value):
            flags.append(f"values.integer@{TABLE}.{row}.{col}")
    return flags


def cross_year_flags(prev: C.Report, cur: C.Report) -> list:
    """cross_year.cumulative between consecutive legacy reports: for every row both print, this
    year's 历年累计 = last year's + this year's figure (where all three are numbers)."""
    if prev.format != FORMAT or cur.format != FORMAT:
        return []
    prev_rows = {r for (_, r, _) in prev.cells}
    flags = []
    for row in dict.fromkeys(r for (_, r, _) in cur.cells):
        if (TABLE, row, "cumulative") not in cur.cells or row not in prev_rows:
            continue
        now, year, before = _num(cur.cells, row, "cumulative"), _num(cur.cells, row, "year"), \
            _num(prev.cells, row, "cumulative")
        if None not in (now, year, before) and now != before + year:
            flags.append(f"cross_year.cumulative@{row}")
    return flags


# ---------------------------------------------------------------------------------------------
# Names

ZONE_NAMINGS = {"zone_body": "管理委员会", "zone_body_short": "管委会"}


def _name(rep: C.Report, naming: str) -> None:
    """How the report names its office that year: a zone's 管委会 names itself as the body that
    governs the zone (平潭综合实验区管理委员会 for 平潭综合实验区), the rest as content.NAMINGS."""
    if naming in ZONE_NAMINGS:
        body = rep.office + ZONE_NAMINGS[naming]
        rep.title_office = body
        rep.office = body
        rep.printed_qualified = rep.qualified_office + ZONE_NAMINGS[naming]
        return
    C._name_as(rep, naming)


# ---------------------------------------------------------------------------------------------
# Prose: the legacy outline

SECTION_HEADINGS = (
    ("overview", ("概述", "概述", "基本情况")),
    ("active", ("主动公开政府信息情况", "主动公开政府信息的情况", "主动公开情况")),
    ("requests", ("依申请公开政府信息情况", "政府信息依申请公开工作情况", "依申请公开政府信息和不予公开政府信息的情况")),
    ("fees", ("政府信息公开的收费及减免情况", "政府信息公开收费及减免情况", "收费及减免情况")),
    ("review_litigation", ("因政府信息公开申请行政复议、提起行政诉讼的情况", "因政府信息公开申请提起行政复议、行政诉讼的情况",
                           "行政复议、行政诉讼情况")),
    ("problems", ("政府信息公开工作存在的主要问题及改进情况", "存在的主要问题和改进措施", "主要问题和改进措施")),
    ("other", ("其他需要报告的事项", "其他需要报告的事项", "需要说明的事项")),
)
UNCODED = ("政府信息公开工作机构建设情况", "政府信息公开保障情况")
NUMERALS = "一二三四五六七八九十"


def _sections(rng: random.Random, spec: LegacySpec, table: Optional[Table]) -> tuple:
    """(code, heading) of the report's sections in order, numbered 一、 二、 …; a section of the
    office's own (no code) now and then; the statistics table's caption last."""
    chosen = []
    for code, words in SECTION_HEADINGS:
        if code == "fees" and rng.random() < 0.25:
            continue
        if code == "other" and rng.random() < 0.3:
            continue
        word = words[rng.randrange(len(words))] if spec.heading_variant else words[0]
        chosen.append((code, word))
        if code == "overview" and rng.random() < 0.12:
            chosen.append(("", rng.choice(UNCODED)))
    out = [(code, f"{NUMERALS[k]}、{word}") for k, (code, word) in enumerate(chosen)]
    if table is not None:
        out.append(("statistics", ""))
    return tuple(out)


def _text_style(rng: random.Random) -> dict:
    """How this report's sentences state its figures (one wording per indicator, drawn)."""
    return {k: rng.randrange(len(v)) for k, v in _PHRASES.items()}


# How a text states a figure: one template per wording, {n} the figure. Each names its indicator
# unambiguously, as a careful reader would take it.
_PHRASES = {
    "active_total": ("{y}年，{s}主动公开政府信息{n}条", "全年共主动公开政府信息{n}条", "{y}年新增主动公开政府信息{n}条",
                     "{y}年，{s}主动公开各类政府信息{n}条", "全年通过各种渠道主动公开政府信息{n}条"),
    "requests_total": ("全年共收到政府信息公开申请{n}件", "{y}年，{s}共受理政府信息公开申请{n}件",
                       "{y}年，{s}共受理依申请公开政府信息申请{n}件"),
    "requests_none": ("{y}年，{s}未收到政府信息公开申请", "本年度未收到政府信息公开申请",
                      "本年度{s}未收到公民、法人或其他组织提出的政府信息公开申请"),
    "channel_glue": ("，", "，", "、"),
    "responses_total": ("对申请的答复{n}件", "对依申请公开的答复总数{n}件", "已答复{n}件"),
    "review_none": ("全年未发生因政府信息公开申请提起行政复议、行政诉讼的情况",
                    "{y}年，{s}未收到有关政府信息公开的行政复议申请，未发生行政诉讼",
                    "未发生针对{s}政府信息公开事务的行政复议、行政诉讼"),
    "fees_none": ("{y}年，{s}未收取政府信息公开相关费用", "本年度未向申请人收取任何费用",
                  "{s}在提供政府信息时未收取检索、复制、邮寄等费用"),
}
_CHANNEL_TEXT = {"requests_in_person": "当面申请{n}件", "requests_email": "电子邮件申请{n}件",
                 "requests_online": "网上申请{n}件", "requests_letter": "信函申请{n}件", "requests_fax": "传真申请{n}件"}
_REPLY_TEXT = {"responses_granted": "同意公开{n}件", "responses_partial": "同意部分公开{n}件",
               "responses_refused": "不予公开{n}件"}


def _say(rep: C.Report, key: str, **kw) -> str:
    plan = rep.legacy
    return _PHRASES[key][plan.text_style[key]].format(y=rep.year, s=rep.short, **kw)


def _figure(rep: C.Report, code: str) -> str:
    """A stated figure as the text prints it: the text-only report's printed cell, else the
    office's own figure."""
    w = rep.cells.get((TABLE, code, "year")) if rep.legacy.table is None else None
    if w is not None:
        return w.text
    return str(rep.legacy.stated[code])


def _statements(rep: C.Report) -> dict:
    """{section code: sentences stating its figures}."""
    plan = rep.legacy
    stated = plan.stated
    out = {}
    if "active_total" in stated:
        s = _say(rep, "active_total", n=_figure(rep, "active_total")) + "。"
        if "active_website" in stated:
            s = s[:-1] + f"，其中通过政府网站公开{_figure(rep, 'active_website')}条。"
        out["active"] = s
    if "requests_total" in stated:
        if stated["requests_total"] == 0:
            s = _say(rep, "requests_none") + "。"
            if "responses_refused" in stated:
                s += f"{rep.short}无不予公开政府信息的情况。"
        else:
            s = _say(rep, "requests_total", n=_figure(rep, "requests_total"))
            glue = _PHRASES["channel_glue"][plan.text_style["channel_glue"]]
            channels = [_CHANNEL_TEXT[c].format(n=_figure(rep, c)) for c in _CHANNEL_TEXT if stated.get(c)]
            if channels:
                s += "，其中" + glue.join(channels)
            s += "。"
            if stated.get("responses_total"):
                s += _say(rep, "responses_total", n=_figure(rep, "responses_total"))
                replies = [_REPLY_TEXT[c].format(n=_figure(rep, c)) for c in _REPLY_TEXT if stated.get(c)]
                if replies:
                    s += "，其中" + "，".join(replies)
                s += "。"
        out["requests"] = s
    if plan.table is None and "review" in stated:
        r, lt = stated["review"], stated["litigation"]
        if r == 0 and lt == 0:
            out["review_litigation"] = _say(rep, "review_none") + "。"
        else:
            out["review_litigation"] = (f"{rep.year}年，因政府信息公开申请被申请行政复议{_figure(rep, 'review')}件，"
                                        f"被提起行政诉讼{_figure(rep, 'litigation')}件。")
    if plan.table is None and "fees" in stated:
        out["fees"] = _say(rep, "fees_none") + "。"
    return out


def _opening(rep: C.Report, rng: random.Random) -> str:
    y = rep.year
    parts = "、".join(h.split("、", 1)[1] for code, h in rep.legacy.sections if h)
    s = (f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由{rep.compiler}编制。"
         f"全文包括{parts}" + ("，并附政府信息公开情况统计表" if rep.legacy.table else "") + "。"
         f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。")
    if rng.random() < 0.7:
        s += f"本报告的电子版可在“{rep.portal}”（{rep.domain}）下载。"
    if rng.random() < 0.6:
        s += (f"如对本报告有任何疑问，请与{rep.compiler}联系（地址：{rep.facts['address']}；邮编：{rep.facts['zip']}；"
              f"电话：{rep.facts['phone']}）。")
    return s


_OVERVIEW = (
    "{y}年，{s}认真贯彻落实《条例》和上级关于政府信息公开工作的部署，健全工作机制，规范公开程序，"
    "政府信息公开工作稳步推进。",
    "推进政府信息公开工作是建设服务政府、法治政府、责任政府的重要举措。{y}年，{s}成立了政府信息公开工作领导小组，"
    "明确专人负责，完善了主动公开、依申请公开、保密审查等制度。",
)
_ACTIVE_FORMS = (
    "主动公开的形式主要有政府门户网站、政府公报、公开栏、档案馆和图书馆查阅点等，方便公众查阅。",
    "在政府网站开设政府信息公开专栏，及时更新政府信息公开指南和目录，并在档案馆设立政府信息查阅点。",
)
_DISTRACTORS = (
    "其中，机构职能类信息{a}条，政策法规类信息{b}条，规划计划类信息{c}条。",
    "各下属单位主动公开政府信息{a}条，占{p}%。",
    "全年接受群众咨询{a}人次，政府信息公开专栏访问量达{b}人次。",
)
_PROBLEMS = (
    "一是公开内容不够全面，部分信息更新不及时；二是依申请公开工作机制有待进一步完善。下一步，将进一步拓宽公开渠道，"
    "规范公开程序，加强工作人员培训。",
    "政府信息公开工作还存在一些不足，主要是工作人员多为兼职，业务水平有待提高。今后将加强队伍建设，完善考核制度，"
    "推动政府信息公开工作常态化。",
)
_OTHER = ("本年度无其他需要报告的事项。", "{s}无其他需要说明的事项。")
_UNCODED_TEXT = ("{s}明确由办公室负责政府信息公开的日常工作，配备兼职工作人员，保障工作经费。",)


def _facts(rng: random.Random, rep: C.Report) -> dict:
    area = C._area(rep)
    return {
        "address": f"{rep.city or rep.province}{rep.county}{rng.choice(['人民路', '中山路', '建设路', '府前街'])}"
                   f"{rng.randint(1, 300)}号",
        "zip": f"{area[1]}{rng.randint(0, 9)}{rng.randint(0, 9)}0",
        "phone": f"{area[0]}-{rng.randint(5, 8)}{rng.randint(1000000, 9999999)}",
        "date": f"{rep.year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28):02d}",
        "index": f"{rng.randint(10**8, 10**9 - 1)}/{rep.year + 1}-{rng.randint(1, 99999):05d}",
    }


def caption(rep: C.Report) -> str:
    """The statistics table's caption: 附件：XX2013年政府信息公开情况统计表."""
    table = rep.legacy.table
    lead = rep.rng("caption").choice(("附件：", "附件1：", "附表：", ""))
    return f"{lead}{rep.title_office}{rep.year}年{table.caption}"


def blocks(rep: C.Report, extra: int = 0) -> list:
    """The whole legacy report in reading order (content.Block), as every writer renders it."""
    rng = rep.rng("legacy_prose")
    y, s = rep.year, rep.short
    said = _statements(rep)
    out = [C.Block("title", t) for t in C.title_lines(rep)]
    out.append(C.Block("para", _opening(rep, rng)))
    for code, heading in rep.legacy.sections:
        if code == "statistics":
            continue
        out.append(C.Block("heading", heading))
        if code == "overview":
            out.append(C.Block("para", rng.choice(_OVERVIEW).format(y=y, s=s)))
            out += [C.Block("para", t) for t in C.filler(rep, rng.randint(0, 2) + extra)]
        elif code == "active":
            if "active" in said:
                out.append(C.Block("para", said["active"]))
            out.append(C.Block("para", rng.choice(_DISTRACTORS).format(
                a=rng.randint(5, 400), b=rng.randint(5, 400), c=rng.randint(1, 60), p=rng.randint(10, 60))))
            out.append(C.Block("para", rng.choice(_ACTIVE_FORMS)))
        elif code == "requests":
            out.append(C.Block("para", said.get("requests", f"{y}年，{s}依法受理和答复政府信息公开申请，"
                                                              "答复均在规定期限内完成。")))
        elif code == "fees":
            out.append(C.Block("para", said.get("fees", f"{y}年，{s}严格执行政府信息公开收费规定。")))
        elif code == "review_litigation":
            out.append(C.Block("para", said.get("review_litigation",
                                                f"{y}年，{s}因政府信息公开申请被申请行政复议、提起行政诉讼的情况详见附表。")))
        elif code == "problems":
            out.append(C.Block("para", rng.choice(_PROBLEMS)))
        elif code == "other":
            out.append(C.Block("para", rng.choice(_OTHER).format(s=s)))
        else:
            out.append(C.Block("para", rng.choice(_UNCODED_TEXT).format(s=s)))
    if rep.legacy.table is not None:
        out.append(C.Block("para", f"{rep.compiler}　{y + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日"))
        out.append(C.Block("heading", caption(rep)))
        out.append(C.Block("table", TABLE))
    return out


def grids(rep: C.Report) -> dict:
    """{table: filled grid} of a legacy report: its statistics table, if it has one."""
    if rep.legacy.table is None:
        return {}
    return {TABLE: L.fill(grid(rep.legacy.table), rep.texts())}
