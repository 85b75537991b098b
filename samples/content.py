"""What a sample report says: its office, year, format, numbers, how each number is written, and
its prose, all derived deterministically from a seed.

The numbers are generated consistent first (requests balance, outcome sums, row sums, review
sums all hold), then written the way real offices write them (blank zeros, "/", "—", "无",
full-width digits, "1,036", "+2", "160.5964万元", "251000元"), and a few reports then get one
deliberate defect (a wrong 总计, a carried-forward count that breaks the balance …) so that the
pipeline's reconciliation has something true to find. The truth flags are not stated here: they
are computed from the written cells by `truth.py`, exactly as a correct pipeline would.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from . import layouts as L

Value = Optional[object]  # int | Decimal | None


@dataclass(frozen=True)
class Office:
    """A publishing office and how it names itself in different places of its report."""
    office: str            # the name it uses for itself: 玄武区人民政府
    qualified: str         # the name the dataset keys it by: 南京市玄武区人民政府
    title: str             # as the report's title writes it
    compiler: str          # who compiled the report (opening paragraph)
    province: str
    city: str
    county: str
    kind: str              # district | county_bureau | street | city_dept | province_dept
    portal: str            # the web site the report is published on
    domain: str
    short: str             # how the prose refers to it: 我区, 本局, 街道 …


@dataclass
class Written:
    """One cell as the report writes it, and what a careful reader takes it to be."""
    text: str
    kind: str              # number | blank | na | text
    value: Value = None


@dataclass(frozen=True)
class Spec:
    """The choices that make one report: office, year, format and how it writes its numbers."""
    office: Office
    year: int
    format: str
    split_other: Optional[bool] = None
    blank_style: str = "zero"          # zero | blank_legal | blank_all | na_legal
    fullwidth: float = 0.0             # share of numbers written with full-width digits
    comma: bool = False                # 1,036 for numbers from 1000 up
    amount_style: str = "plain"        # plain | wan (…万元) | yuan (…元)
    title_style: str = "one"           # one | two_line | year_first | after_label
    heading_variant: bool = False
    defects: tuple = ()                # see DEFECTS
    carry_over_delta: int = 0          # breaks cross_year.carry_over with the previous year
    in_force_delta: int = 0            # breaks cross_year.in_force with the previous year
    text_cell: Optional[tuple] = None  # (code, text, value): one cell written as text
    charset: str = "utf-8"             # for the Word-exported HTML
    naming: str = "as_is"              # how the report names its office: see NAMINGS


@dataclass
class Report:
    """A generated report: metadata, the written cells in truth order, and the prose inputs."""
    office: str
    qualified_office: str
    title_office: str
    compiler: str
    year: int
    format: str
    province: str
    city: str
    county: str
    kind: str
    portal: str
    domain: str
    short: str
    split_other: bool
    cells: dict = field(default_factory=dict)        # code -> Written, truth order
    numbers: dict = field(default_factory=dict)      # code -> the number meant (before writing)
    spec: Optional[Spec] = None
    key: str = ""                                    # seeds every writer's own choices
    sections: tuple = L.SECTION_CODES
    flags: list = field(default_factory=list)        # filled by truth.within_report_flags
    facts: dict = field(default_factory=dict)        # numbers the prose states
    printed_qualified: str = ""                      # the full name as the text prints it
    series: str = ""                                 # the office across years and names (truth pairing)
    legacy: Optional[object] = None                  # a legacy report's plan (samples.legacy.Plan)

    @property
    def stem(self) -> str:
        """File name stem: `<office>_<year>` with the qualified office, as the corpus names files."""
        return f"{self.qualified_office}_{self.year}"

    def texts(self) -> dict:
        """code -> written text, for filling layout grids."""
        return {code: w.text for code, w in self.cells.items()}

    def rng(self, purpose: str) -> random.Random:
        """A random stream of its own for each writer, so adding a writer changes no other file."""
        return random.Random(f"{self.key}:{purpose}")


# ---------------------------------------------------------------------------------------------
# Offices

def _office(office, qualified, title, compiler, province, city, county, kind, portal, domain, short):
    return Office(office, qualified, title, compiler, province, city, county, kind, portal, domain, short)


XUANWU = _office("玄武区人民政府", "南京市玄武区人民政府", "玄武区人民政府", "南京市玄武区人民政府办公室",
                 "江苏省", "南京市", "玄武区", "district", "南京市玄武区人民政府门户网站",
                 "www.njxw.gov.cn", "我区")
BAOHE = _office("包河区人民政府", "合肥市包河区人民政府", "合肥市包河区人民政府", "合肥市包河区人民政府办公室",
                "安徽省", "合肥市", "包河区", "district", "包河区人民政府网站", "www.baohe.gov.cn", "我区")
SIYANG_AMR = _office("泗阳县市场监督管理局", "泗阳县市场监督管理局", "泗阳县市场监督管理局",
                     "泗阳县市场监督管理局", "江苏省", "宿迁市", "泗阳县", "county_bureau",
                     "泗阳县人民政府网站", "www.siyang.gov.cn", "本局")
BEISHAN = _office("北山街道办事处", "杭州市西湖区北山街道办事处", "北山街道办事处",
                  "杭州市西湖区北山街道办事处", "浙江省", "杭州市", "西湖区", "street",
                  "西湖区人民政府门户网站", "www.hzxh.gov.cn", "街道")
SUZHOU_TRANSPORT = _office("苏州市交通运输局", "苏州市交通运输局", "苏州市交通运输局", "苏州市交通运输局办公室",
                           "江苏省", "苏州市", "", "city_dept", "苏州市交通运输局网站",
                           "jtj.suzhou.gov.cn", "本局")
WUHOU_CIVIL = _office("武侯区民政局", "成都市武侯区民政局", "武侯区民政局", "成都市武侯区民政局",
                      "四川省", "成都市", "武侯区", "district_bureau", "成都市武侯区人民政府门户网站",
                      "www.cdwh.gov.cn", "本局")
ZJ_ECOLOGY = _office("浙江省生态环境厅", "浙江省生态环境厅", "浙江省生态环境厅", "浙江省生态环境厅办公室",
                     "浙江省", "", "", "province_dept", "浙江省生态环境厅门户网站",
                     "sthjt.zj.gov.cn", "我厅")
YUZHONG = _office("渝中区人民政府", "重庆市渝中区人民政府", "重庆市渝中区人民政府", "重庆市渝中区人民政府办公室",
                  "重庆市", "重庆市", "渝中区", "district", "重庆市渝中区人民政府网",
                  "www.cqyz.gov.cn", "我区")

# The fixed set, ordered so that a small `count` still holds both kinds of consecutive-year pair.
CORE = (
    Spec(XUANWU, 2021, "2021", comma=True, amount_style="plain"),
    Spec(XUANWU, 2022, "2021", comma=True, amount_style="wan", title_style="two_line",
         fullwidth=0.15, charset="gb2312"),
    Spec(BAOHE, 2019, "2019", blank_style="blank_legal", fullwidth=0.3, amount_style="yuan",
         title_style="year_first"),
    Spec(BAOHE, 2020, "2019", blank_style="blank_legal", amount_style="wan", title_style="year_first",
         carry_over_delta=3, defects=("negative_cell",), charset="gbk"),
    Spec(SIYANG_AMR, 2022, "2021", split_other=False, defects=("review_total",), heading_variant=True),
    Spec(BEISHAN, 2020, "2019", blank_style="blank_all", title_style="two_line", heading_variant=True,
         charset="gb2312"),
    Spec(SUZHOU_TRANSPORT, 2020, "2019", blank_style="blank_legal", amount_style="yuan", comma=True),
    Spec(SUZHOU_TRANSPORT, 2021, "2021", comma=True, defects=("granted_total_off",), amount_style="wan"),
    Spec(WUHOU_CIVIL, 2021, "2019", blank_style="na_legal", title_style="two_line", amount_style="wan",
         text_cell=(("active", "normative_docs", "total_published"), "22（其中修订16件）", 22)),
    Spec(ZJ_ECOLOGY, 2022, "2021", comma=True, fullwidth=0.1, defects=("fractional",),
         text_cell=(("active", "licensing", "decisions"), "详见附件", None), charset="gbk"),
    Spec(YUZHONG, 2023, "2021", defects=("grand_total_col",), title_style="year_first", comma=True),
    Spec(XUANWU, 2023, "2021", comma=True, in_force_delta=2, defects=("carried_forward_off",)),
)

# What each defect breaks, for humans; truth.py computes the actual flags from the cells.
DEFECTS = {
    "review_total": "行政复议 总计 is not the sum of its four results (review_litigation.row_sum@review)",
    "granted_total_off": "（一）予以公开 总计 off by a few (requests.outcome_sum@total, requests.row_sum@granted)",
    "grand_total_col": "（七）总计 wrong in the 商业企业 column (balance, outcome_sum @commercial; row_sum@total)",
    "carried_forward_off": "结转下年度 off for 自然人 and 总计 (requests.balance@natural_person, @total)",
    "negative_cell": "a -1 in 重复申请/自然人, totals computed with it (values.non_negative@…)",
    "fractional": "行政强制 处理决定数量 written 2.5 (values.integer@active.coercion.decisions)",
}


# ---------------------------------------------------------------------------------------------
# Building reports

def build_reports(seed: int = 0, count: Optional[int] = None) -> list:
    """The reports to generate: the fixed set first, then, up to `count`, offices of the
    gazetteer with runs of consecutive years (`plan`).

    Reports of one office are built in year order, so a later year can carry the earlier
    year's numbers over (carried_over, in_force, prev_items) as the cross-year rules require.
    """
    specs = list(CORE)
    if count is None:
        count = len(specs)
    if count < 0:
        raise ValueError(f"count must not be negative, not {count}")
    specs = specs[:count]
    if count > len(specs):
        from . import plan  # the gazetteer is read only when needed
        specs += plan.extra_specs(seed, count - len(specs))
    built = {}
    out = []
    for spec in sorted(specs, key=lambda s: (s.office.qualified, s.year)):
        prev = built.get((spec.office.qualified, spec.year - 1))
        report = make_report(spec, seed, prev)
        built[(spec.office.qualified, spec.year)] = report
    for spec in specs:                                  # back to the specs' own order
        out.append(built[(spec.office.qualified, spec.year)])
    return out


def make_report(spec: Spec, seed: int = 0, prev: Optional[Report] = None) -> Report:
    """One report from its spec: consistent numbers, then written cells, then defects."""
    o = spec.office
    split_other = spec.split_other if spec.split_other is not None else spec.format == "2021"
    key = f"{seed}:{o.qualified}:{spec.year}"
    rng = random.Random(key)
    rep = Report(o.office, o.qualified, o.title, o.compiler, spec.year, spec.format, o.province, o.city,
                 o.county, o.kind, o.portal, o.domain, o.short, split_other, spec=spec, key=key)
    numbers = {}
    numbers.update(_active_numbers(rng, spec, prev))
    numbers.update(_request_numbers(rng, spec, split_other, prev))
    numbers.update(_review_numbers(rng, spec))
    if "negative_cell" in spec.defects:
        _negative_cell(numbers, split_other)
    rep.numbers = numbers
    rep.cells = _write_cells(rng, spec, numbers, split_other)
    for d in spec.defects:
        if d in _WRITTEN_DEFECTS:
            _WRITTEN_DEFECTS[d](rep.cells, spec)
    rep.facts = _facts(rng, rep)
    rep.printed_qualified = o.qualified
    _name_as(rep, spec.naming)
    return rep


# ---------------------------------------------------------------------------------------------
# How a report names its office. The truth (`qualified_office`) is the office whatever it calls
# itself; a reader has to know the variants for what they are.

NAMINGS = {
    "as_is": "the office's full name everywhere",
    "short_gov": "政府 for 人民政府 wherever the report names itself (玄武区政府)",
    "abbrev": "the title names the office by a short form (苏州市交通局, 市交通局, 北山街道)",
    "slip": "a one-character slip in the district's name wherever the report names itself (抱河区 for 包河区)",
}
# Short forms offices use in titles (full → short).
SHORT_FORMS = (
    ("人力资源和社会保障局", "人社局"), ("人力资源和社会保障厅", "人社厅"), ("发展和改革委员会", "发改委"),
    ("发展和改革局", "发改局"), ("住房和城乡建设局", "住建局"), ("住房和城乡建设厅", "住建厅"),
    ("卫生健康委员会", "卫健委"), ("卫生健康局", "卫健局"), ("市场监督管理局", "市场监管局"),
    ("交通运输局", "交通局"), ("文化和旅游局", "文旅局"), ("退役军人事务局", "退役军人局"),
    ("应急管理局", "应急局"), ("医疗保障局", "医保局"), ("街道办事处", "街道"),
)
# The word a city's own departments use for its level in a short title (市交通局, 州医保局), by the
# end of the city's name; a 地区 has none.
LEVEL_WORDS = (("自治州", "州"), ("盟", "盟"), ("市", "市"))
# Characters a district's name is mistyped with (common slips first), then plain ones.
SLIPS = {"沭": "沐", "亳": "毫", "睢": "雎", "邳": "丕", "郴": "彬", "濮": "璞", "鄞": "勤", "泸": "沪",
         "包": "抱", "武": "五", "侯": "候", "湖": "胡", "阳": "杨", "城": "成", "河": "何", "江": "汪",
         "州": "洲", "陵": "凌", "桥": "乔", "溪": "谿"}


def naming_applies(office: Office, naming: str) -> bool:
    """Whether a naming variant can be written for this office (and read back for certain)."""
    if naming == "short_gov":
        return "人民政府" in office.office
    if naming == "abbrev":
        return any(office.office.endswith(full) for full, _ in SHORT_FORMS)
    if naming == "slip":
        return _slipped(office) is not None
    return naming == "as_is"


def _slipped(office: Office):
    """(district, its slip) for an office of a district titled with its city, or None. The slip
    keeps the last character, is no division's name, and is one character away from no other
    division of the city (汪北区 in 重庆 could be 江北区 or 渝北区: the report would not say which
    office it is, for any reader). A name of two characters is not slipped: 成区 for 城区 keeps
    nothing of the name but 区, which every district word ends with (园区, 新区, 市区)."""
    from . import gazetteer as G
    district = office.county
    if not district.endswith("区") or len(district) < 3 or not office.city or \
            not office.qualified.startswith(office.city + district):
        return None
    for i, ch in enumerate(district[:-1]):
        if ch in SLIPS:
            slip = district[:i] + SLIPS[ch] + district[i + 1:]
            others = [d.name for d in G.divisions() if d.city == office.city and d.name != district]
            if slip not in G.names() and not any(_one_apart(slip, n) for n in others):
                return district, slip
    return None


def _one_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def _name_as(rep: Report, naming: str) -> None:
    if naming == "as_is":
        return
    if naming == "short_gov":
        for attr in ("office", "title_office", "compiler", "printed_qualified", "portal"):
            setattr(rep, attr, getattr(rep, attr).replace("人民政府", "政府"))
    elif naming == "abbrev":
        full, short = next((f, s) for f, s in SHORT_FORMS if rep.office.endswith(f))
        title = rep.title_office[: len(rep.title_office) - len(full)] + short
        city_dept = rep.city and rep.title_office == rep.city + full
        level = next((word for end, word in LEVEL_WORDS if rep.city.endswith(end)), None)
        rep.title_office = level + short if city_dept and level and rep.rng("naming").random() < 0.5 else title
    elif naming == "slip":
        district, slip = _slipped(rep.spec.office)
        for attr in ("office", "title_office", "compiler", "printed_qualified", "portal"):
            setattr(rep, attr, getattr(rep, attr).replace(district, slip))


_SCALE = {  # new requests in a year, (low, high)
    "district": (150, 700), "county_bureau": (4, 40), "street": (0, 0), "city_dept": (20, 160),
    "district_bureau": (8, 60), "province_dept": (60, 260),
    "province_gov": (200, 1500), "city_gov": (100, 1200), "county_gov": (30, 400), "town": (0, 12),
}
_BIG = ("district", "province_dept", "city_dept", "province_gov", "city_gov", "county_gov")   # more reviews
_SMALL = ("street", "county_bureau", "district_bureau", "town")                              # fewer documents
_APPLICANT_WEIGHTS = (0.84, 0.08, 0.005, 0.01, 0.035, 0.03)
_OUTCOME_WEIGHTS = {
    "granted": 0.32, "partially_granted": 0.07, "withheld_state_secret": 0.004,
    "withheld_prohibited": 0.004, "withheld_security": 0.003, "withheld_third_party": 0.01,
    "withheld_internal": 0.015, "withheld_process": 0.02, "withheld_enforcement": 0.006,
    "withheld_inquiry": 0.02, "unavailable_not_held": 0.24, "unavailable_needs_creation": 0.05,
    "unavailable_unclear": 0.04, "not_processed_petition": 0.05, "not_processed_repeat": 0.04,
    "not_processed_publication": 0.008, "not_processed_excessive": 0.01,
    "not_processed_confirmation": 0.01, "other": 0.07,
}
_OTHER_SPLIT_WEIGHTS = {"other_no_supplement": 0.03, "other_no_fee": 0.004, "other_misc": 0.036}


def _request_numbers(rng: random.Random, spec: Spec, split_other: bool, prev: Optional[Report]) -> dict:
    """Requests that balance per column: new + carried_over = handled + carried_forward, the
    handled ones spread over the outcome rows, and the 总计 column the sum of the others."""
    lo, hi = _SCALE[spec.office.kind]
    n_new = rng.randint(lo, hi)
    cols = L.APPLICANT_COLS
    new = dict.fromkeys(cols, 0)
    for c in rng.choices(cols, weights=_APPLICANT_WEIGHTS, k=n_new):
        new[c] += 1
    if prev is not None:
        over = {c: prev.numbers.get(("requests", "carried_forward", c), 0) for c in cols}
    else:
        over = {c: (rng.randint(0, max(0, new[c] // 20)) if new[c] else 0) for c in cols}
    over["natural_person"] += spec.carry_over_delta
    weights = dict(_OUTCOME_WEIGHTS)
    if split_other:
        del weights["other"]
        weights.update(_OTHER_SPLIT_WEIGHTS)
    rows = [r for r, _ in L.request_rows(spec.format, split_other)]
    out = {}
    for c in cols:
        available = new[c] + over[c]
        forward = rng.randint(0, available // 15) if available >= 15 else 0
        handled = available - forward
        counts = dict.fromkeys(weights, 0)
        for r in rng.choices(list(weights), weights=list(weights.values()), k=handled):
            counts[r] += 1
        col = {"new": new[c], "carried_over": over[c], "total": handled, "carried_forward": forward, **counts}
        for r in rows:
            out[("requests", r, c)] = col[r]
    for r in rows:
        out[("requests", r, "total")] = sum(out[("requests", r, c)] for c in cols)
    return out


def _negative_cell(numbers: dict, split_other: bool) -> None:
    """Put a -1 in 重复申请/自然人 and recompute the totals with it, as a spreadsheet would:
    only values.non_negative breaks."""
    numbers[("requests", "not_processed_repeat", "natural_person")] = -1
    numbers[("requests", "not_processed_repeat", "total")] = sum(
        numbers[("requests", "not_processed_repeat", c)] for c in L.APPLICANT_COLS)
    for c in L.REQUEST_COLS:
        col = c[0]
        outcome = [r for r in L.OUTCOME_ROWS if ("requests", r, col) in numbers]
        total = sum(numbers[("requests", r, col)] for r in outcome)
        numbers[("requests", "total", col)] = total
        numbers[("requests", "carried_forward", col)] = (
            numbers[("requests", "new", col)] + numbers[("requests", "carried_over", col)] - total)


def _review_numbers(rng: random.Random, spec: Spec) -> dict:
    """Review and litigation counts: a few cases, mostly upheld, with each row's 总计 its sum."""
    big = spec.office.kind in _BIG
    out = {}
    for row, _ in L.REVIEW_ROWS:
        n = rng.randint(0, 12 if big else 2) if spec.office.kind != "street" else 0
        parts = dict.fromkeys(("upheld", "corrected", "other", "pending"), 0)
        for p in rng.choices(list(parts), weights=(0.6, 0.1, 0.15, 0.15), k=n):
            parts[p] += 1
        for col, v in parts.items():
            out[("review_litigation", row, col)] = v
        out[("review_litigation", row, "total")] = n
    return out


def _active_numbers(rng: random.Random, spec: Spec, prev: Optional[Report]) -> dict:
    """Active-disclosure numbers; with a previous year of the same format, in_force and
    prev_items continue from it (plus any deliberate cross-year break)."""
    kind = spec.office.kind
    small = kind in _SMALL
    out = {}
    if spec.format == "2021":
        for row in ("rules", "normative_docs"):
            issued = 0 if row == "rules" or kind == "street" else rng.randint(0, 4 if small else 18)
            repealed = 0 if row == "rules" or kind == "street" else rng.randint(0, 2 if small else 8)
            before = prev.numbers.get(("active", row, "in_force")) if prev and prev.format == "2021" else None
            if before is None:
                before = 0 if row == "rules" or kind == "street" else rng.randint(repealed, 120)
            in_force = before + issued - repealed + (spec.in_force_delta if row == "normative_docs" else 0)
            out.update({("active", row, "issued"): issued, ("active", row, "repealed"): repealed,
                        ("active", row, "in_force"): in_force})
        for row, hi in (("licensing", 6000), ("penalty", 5000), ("coercion", 300)):
            out[("active", row, "decisions")] = 0 if kind == "street" else rng.randint(0, hi if not small else hi // 20)
        out[("active", "fees", "amount")] = (Decimal(0) if kind in ("street", "district_bureau") else
                                             _wan(rng, 9_999_999))
        return out
    for row in ("rules", "normative_docs"):
        made = 0 if row == "rules" or kind == "street" else rng.randint(0, 4 if small else 25)
        total = 0 if made == 0 and (row == "rules" or kind == "street") else made + rng.randint(0, 300)
        out.update({("active", row, "new_made"): made, ("active", row, "new_published"): made,
                    ("active", row, "total_published"): total})
    for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
        before = None
        if prev is not None and prev.format == "2019":
            before = prev.numbers[("active", row, "prev_items")] + prev.numbers[("active", row, "change")]
        if kind == "street":
            before, change = 0, 0
        else:
            if before is None:
                before = rng.randint(0, 40 if not small else 8)
            change = rng.randint(-min(before, 3), 4)
        out[("active", row, "prev_items")] = before
        out[("active", row, "change")] = change
        if row != "fees":
            out[("active", row, "decisions")] = 0 if kind == "street" else rng.randint(0, 3000 if not small else 80)
    out[("active", "procurement", "projects")] = 0 if kind == "street" else rng.randint(0, 30)
    out[("active", "procurement", "amount")] = (Decimal(0) if out[("active", "procurement", "projects")] == 0
                                                else _wan(rng, 50_000_000))
    return out


def _wan(rng: random.Random, hi: int) -> Decimal:
    """An amount in 万元 that is a whole number of 元 (four decimals at most), sometimes rounded
    to two decimals as many reports print it."""
    d = Decimal(rng.randint(1, hi)) / Decimal(10000)
    if rng.random() < 0.5:
        d = d.quantize(Decimal("0.01"))
    return d


# ---------------------------------------------------------------------------------------------
# Writing numbers the way reports do

_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _count_text(v: int, rng: random.Random, spec: Spec, signed: bool = False) -> str:
    """A count as printed: maybe with thousands separators, a sign, full-width digits."""
    s = f"{v:,}" if spec.comma and abs(v) >= 1000 else str(v)
    if signed and v > 0:
        s = "+" + s
    if spec.fullwidth and rng.random() < spec.fullwidth:
        s = s.translate(_FULLWIDTH)
    return s


def _wan_text(d: Decimal) -> str:
    """A Decimal amount in 万元 without trailing zeros: 160.5964, 25.1, 0."""
    s = format(d.normalize(), "f")
    return s


def _amount(rng: random.Random, spec: Spec, wan: Decimal) -> Written:
    """An amount in 万元 written as "7730.28", "160.5964万元" or "251000元" (= 25.1)."""
    if wan == 0:
        return Written("0", "number", Decimal(0))
    style = spec.amount_style
    if spec.format == "2019" and style == "plain":
        style = "wan"        # 采购总金额 has no unit in its header: real reports state one
    if style == "yuan":
        yuan = (wan * 10000).normalize()
        return Written(f"{format(yuan, 'f')}元", "number", wan)
    if style == "wan":
        return Written(f"{_wan_text(wan)}万元", "number", wan)
    return Written(_wan_text(wan), "number", wan)


def _write_cells(rng: random.Random, spec: Spec, numbers: dict, split_other: bool) -> dict:
    """Every data cell written in the report's style, keyed by code in truth order."""
    cells = {}
    for code in L.cell_codes(spec.format, split_other):
        table, row, col = code
        v = numbers[code]
        if col == "amount":
            wan = v
            cells[code] = _amount(rng, spec, wan)
            if spec.office.kind == "street" and spec.blank_style == "blank_all" and wan == 0:
                cells[code] = Written("无", "na")
            continue
        cells[code] = _write_count(rng, spec, code, v)
    if spec.text_cell:
        code, text, value = spec.text_cell
        cells[code] = Written(text, "text", value)
    return cells


_NA_MARKS = ("/", "—", "无", "-")


def _write_count(rng: random.Random, spec: Spec, code: tuple, v: int) -> Written:
    """A count under the report's blank style: zeros may be blank or an na mark, never in the
    总计 column and never in the 自然人 column outside blank_all."""
    table, row, col = code
    if v == 0 and table == "requests" and col != "total":
        if spec.blank_style == "blank_all" or (spec.blank_style == "blank_legal" and col != "natural_person"):
            return Written("", "blank")
        if spec.blank_style == "na_legal" and col != "natural_person":
            return Written(rng.choice(_NA_MARKS[:3]), "na")
    if v == 0 and table == "review_litigation" and spec.blank_style == "blank_all" and col != "total":
        return Written("", "blank")
    if v == 0 and table == "active" and spec.office.kind == "street" and rng.random() < 0.3:
        return Written(rng.choice(_NA_MARKS), "na")
    if table == "active" and col == "change":
        return Written(_count_text(v, rng, spec, signed=True), "number", v)
    return Written(_count_text(v, rng, spec), "number", v)


# Defects applied to written cells: each rewrites one or two cells and leaves the rest as is.

def _set(cells: dict, code: tuple, value, spec: Spec) -> None:
    cells[code] = Written(_count_text(value, random.Random(0), spec), "number", value)


def _make_numbers(cells: dict, codes: list, spec: Spec) -> None:
    """Write blank or na operands as the zeros they stand for, so the broken relation can be
    verified (a relation with a blank operand is never flagged)."""
    for code in codes:
        if cells[code].kind in ("blank", "na"):
            _set(cells, code, 0, spec)


def _defect_review_total(cells: dict, spec: Spec) -> None:
    row = [("review_litigation", "review", c) for c, _ in L.REVIEW_COLS]
    _make_numbers(cells, row, spec)
    s = sum(cells[c].value for c in row[:-1])
    _set(cells, row[-1], 0 if s else 1, spec)     # the Huai'an pattern: results filled, 总计 left 0


def _defect_granted_total_off(cells: dict, spec: Spec) -> None:
    code = ("requests", "granted", "total")
    _make_numbers(cells, [code], spec)
    _set(cells, code, cells[code].value + 2, spec)


def _defect_grand_total_col(cells: dict, spec: Spec) -> None:
    code = ("requests", "total", "commercial")
    _make_numbers(cells, [(t, r, "commercial") for (t, r, c) in cells if t == "requests" and c == "commercial"], spec)
    _set(cells, code, cells[code].value + 1, spec)


def _defect_carried_forward_off(cells: dict, spec: Spec) -> None:
    for col in ("natural_person", "total"):
        code = ("requests", "carried_forward", col)
        _make_numbers(cells, [code], spec)
        _set(cells, code, cells[code].value + 5, spec)


def _defect_fractional(cells: dict, spec: Spec) -> None:
    cells[("active", "coercion", "decisions")] = Written("2.5", "number", Decimal("2.5"))


_WRITTEN_DEFECTS = {
    "review_total": _defect_review_total,
    "granted_total_off": _defect_granted_total_off,
    "grand_total_col": _defect_grand_total_col,
    "carried_forward_off": _defect_carried_forward_off,
    "fractional": _defect_fractional,
}


# ---------------------------------------------------------------------------------------------
# Prose

@dataclass
class Block:
    """One piece of a report in reading order: title, para, heading, subheading or table."""
    kind: str
    text: str = ""


def _facts(rng: random.Random, rep: Report) -> dict:
    """Numbers the prose states, taken from the written tables so narrative and tables agree."""
    c = rep.cells
    f = {
        "published": rng.randint(40, 3000) if rep.kind != "street" else rng.randint(10, 200),
        "docs": rng.randint(5, 120),
        "readings": rng.randint(2, 40),
        "new": c[("requests", "new", "total")].value,
        "carried_over": c[("requests", "carried_over", "total")].value,
        "review": c[("review_litigation", "review", "total")].value,
        "litigation": _sum_values([c[("review_litigation", "litigation_direct", "total")],
                                   c[("review_litigation", "litigation_after_review", "total")]]),
        "address": f"{rep.city or rep.province}{rep.county}{rng.choice(['人民路', '中山路', '建设路', '府前街', '解放路'])}"
                   f"{rng.randint(1, 300)}号",
        "zip": f"{_area(rep)[1]}{rng.randint(0, 9)}{rng.randint(0, 9)}0",
        "phone": f"{_area(rep)[0]}-{rng.randint(5, 8)}{rng.randint(1000000, 9999999)}",
        "date": f"{rep.year + 1}-01-{rng.randint(10, 31):02d}",
        "index": f"{rng.randint(10**8, 10**9 - 1)}/{rep.year + 1}-{rng.randint(1, 99999):05d}",
    }
    return f


# Telephone area code and the first digits of the postcode, by city (or province for 厅).
_AREA = {
    "南京市": ("025", "210"), "合肥市": ("0551", "230"), "宿迁市": ("0527", "223"), "杭州市": ("0571", "310"),
    "苏州市": ("0512", "215"), "成都市": ("028", "610"), "浙江省": ("0571", "310"), "重庆市": ("023", "400"),
}
# Elsewhere, those of the province's capital.
_PROVINCE_AREA = {
    "北京市": ("010", "100"), "天津市": ("022", "300"), "河北省": ("0311", "050"), "山西省": ("0351", "030"),
    "内蒙古自治区": ("0471", "010"), "辽宁省": ("024", "110"), "吉林省": ("0431", "130"),
    "黑龙江省": ("0451", "150"), "上海市": ("021", "200"), "江苏省": ("025", "210"), "浙江省": ("0571", "310"),
    "安徽省": ("0551", "230"), "福建省": ("0591", "350"), "江西省": ("0791", "330"), "山东省": ("0531", "250"),
    "河南省": ("0371", "450"), "湖北省": ("027", "430"), "湖南省": ("0731", "410"), "广东省": ("020", "510"),
    "广西壮族自治区": ("0771", "530"), "海南省": ("0898", "570"), "重庆市": ("023", "400"),
    "四川省": ("028", "610"), "贵州省": ("0851", "550"), "云南省": ("0871", "650"),
    "西藏自治区": ("0891", "850"), "陕西省": ("029", "710"), "甘肃省": ("0931", "730"),
    "青海省": ("0971", "810"), "宁夏回族自治区": ("0951", "750"), "新疆维吾尔自治区": ("0991", "830"),
}


def _area(rep: Report) -> tuple:
    """(telephone area code, postcode prefix) for the report's city, else its province's capital."""
    return _AREA.get(rep.city or rep.province) or _PROVINCE_AREA.get(rep.province, ("010", "100"))


def _sum_values(ws: list):
    vals = [w.value for w in ws]
    return None if any(v is None for v in vals) else sum(vals)


def title_lines(rep: Report) -> list:
    """The title as printed: one line, two lines (office, then year and kind), year first, or
    after a "正文" line over two lines."""
    style = rep.spec.title_style if rep.spec else "one"
    if style == "after_label":     # a converter's "正文" line, then the title over two lines
        return ["正文", f"{rep.title_office}{rep.year}年政府信息公开", "工作年度报告"]
    if style == "two_line":
        return [rep.title_office, f"{rep.year}年政府信息公开工作年度报告"]
    if style == "year_first":
        return [f"{rep.year}年{rep.title_office}政府信息公开工作年度报告"]
    return [f"{rep.title_office}{rep.year}年政府信息公开工作年度报告"]


def headings(rep: Report) -> list:
    """The six section headings, with the common 五、 variant where the spec asks for it (a
    legacy report's own headings, in order)."""
    if rep.legacy is not None:
        return [h for _, h in rep.legacy.sections if h]
    hs = list(L.SECTION_HEADINGS[rep.format])
    if rep.spec and rep.spec.heading_variant:
        hs = [L.HEADING_VARIANTS.get(h, h) for h in hs]
    return hs


def blocks(rep: Report, extra: int = 0) -> list:
    """The whole report in reading order: every writer renders this same sequence.

    `extra` adds that many paragraphs of plain prose to the overview, for a writer that needs
    to move a page break (the PDF writer, to break the requests table across pages naturally).
    A legacy report has its own outline (samples.legacy).
    """
    if rep.legacy is not None:
        from . import legacy
        return legacy.blocks(rep, extra)
    rng = rep.rng("prose")
    f = rep.facts
    y = rep.year
    h = headings(rep)
    out = [Block("title", t) for t in title_lines(rep)]
    out.append(Block("para", _opening(rng, rep)))
    out.append(Block("heading", h[0]))
    out.append(Block("para", rng.choice(_INTROS).format(y=y, o=rep.office, s=rep.short)))
    out.append(Block("subheading", "（一）主动公开"))
    out.append(Block("para", f"{y}年，{rep.short}通过{rep.portal}等平台主动公开政府信息{f['published']}条，"
                             f"其中政策文件{f['docs']}件，政策解读{f['readings']}篇。"
                             + rng.choice(_ACTIVE_MORE)))
    out.append(Block("subheading", "（二）依申请公开"))
    out.append(Block("para", _requests_prose(rep)))
    for sub, pool in (("（三）政府信息管理", _MANAGEMENT), ("（四）平台建设", _PLATFORM), ("（五）监督保障", _OVERSIGHT)):
        out.append(Block("subheading", sub))
        out.append(Block("para", rng.choice(pool).format(y=y, s=rep.short)))
    out += [Block("para", t) for t in filler(rep, rng.randint(0, 3) + extra)]
    out.append(Block("heading", h[1]))
    out.append(Block("table", "active"))
    out.append(Block("heading", h[2]))
    out.append(Block("table", "requests"))
    out.append(Block("heading", h[3]))
    out.append(Block("table", "review_litigation"))
    out.append(Block("heading", h[4]))
    out.append(Block("para", "（一）存在的主要问题。" + rng.choice(_PROBLEMS)))
    out.append(Block("para", "（二）改进情况。" + rng.choice(_IMPROVEMENTS)))
    out.append(Block("heading", h[5]))
    out.append(Block("para", rng.choice(_OTHER).format(y=y, s=rep.short)))
    return out


def grids(rep: Report) -> dict:
    """{table: its layout grid filled with the report's cells}, in report order: the three
    national tables, or a legacy report's statistics table (none for a text-only one)."""
    if rep.legacy is not None:
        from . import legacy
        return legacy.grids(rep)
    texts = rep.texts()
    return {
        "active": L.fill(L.active_grid(rep.format), texts),
        "requests": L.fill(L.requests_grid(rep.format, rep.split_other), texts),
        "review_litigation": L.fill(L.review_grid(), texts),
    }


def filler(rep: Report, n: int) -> list:
    """n more sentences of plain overview prose, for writers that need to move a page break."""
    rng = rep.rng("filler")
    return [_FILLER[(rng.randrange(len(_FILLER)) + i) % len(_FILLER)].format(y=rep.year, s=rep.short)
            for i in range(n)]


def _opening(rng: random.Random, rep: Report) -> str:
    f, y = rep.facts, rep.year
    if rng.random() < 0.5:
        return (f"本报告由{rep.compiler}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。"
                f"报告中所列数据统计期限自{y}年1月1日起至{y}年12月31日止。本报告电子版可在{rep.portal}"
                f"（{rep.domain}）查阅或下载。如对本报告有疑问，请与{rep.compiler}联系（地址：{f['address']}，"
                f"邮编：{f['zip']}，电话：{f['phone']}）。")
    return (f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布{rep.printed_qualified}"
            f"{y}年政府信息公开工作年度报告。本报告所列数据的统计期限为{y}年1月1日至{y}年12月31日。"
            f"如对本报告有疑问，请与{rep.compiler}联系（电话：{f['phone']}）。")


def _requests_prose(rep: Report) -> str:
    """The 依申请公开 paragraph: its numbers are the tables' (收到申请N件, 上年结转N件 …)."""
    f, y = rep.facts, rep.year
    if not f["new"] and not f["carried_over"]:
        s = f"{y}年，{rep.short}未收到政府信息公开申请。"
    else:
        s = f"{y}年，{rep.short}共收到政府信息公开申请{f['new']}件，"
        s += f"上年结转{f['carried_over']}件，" if f["carried_over"] else ""
        s += "均在法定期限内予以答复。"
    if f["review"] is not None and f["litigation"] is not None:
        if f["review"] or f["litigation"]:
            s += f"全年因政府信息公开被申请行政复议{f['review']}件，被提起行政诉讼{f['litigation']}件。"
        else:
            s += "全年未发生因政府信息公开被申请行政复议、提起行政诉讼的情况。"
    return s


_INTROS = (
    "{y}年，{o}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《条例》和上级关于政务公开工作的部署要求，"
    "不断提升政务公开工作质效，切实保障人民群众知情权、参与权、表达权和监督权。",
    "{y}年，{s}围绕中心工作，持续深化政务公开，完善政府信息公开制度，推进决策、执行、管理、服务、结果公开，"
    "政府工作透明度进一步提高。",
)
_ACTIVE_MORE = (
    "及时更新政府信息公开指南和目录，做好财政预决算、重大建设项目、公共资源配置等重点领域信息公开。",
    "围绕优化营商环境、民生保障等领域，及时发布相关政策及解读信息。",
)
_MANAGEMENT = (
    "严格执行信息发布“三审三校”制度，落实公开属性源头认定机制，对拟公开信息进行保密审查，确保公开内容准确规范。",
    "对现行有效的规范性文件进行清理，及时公布清理结果；规范政府信息公开工作流程，健全公开前审查机制。",
)
_PLATFORM = (
    "加强政府网站和政务新媒体建设管理，优化栏目设置，及时更新信息公开专栏内容，提升平台服务能力。",
    "依托政府门户网站信息公开平台，规范设置法定主动公开内容专栏，做好政务新媒体日常监管。",
)
_OVERSIGHT = (
    "将政务公开工作纳入年度绩效考核，组织开展政务公开业务培训，定期通报检查情况，{y}年未发生责任追究情况。",
    "建立政务公开工作监督机制，主动接受社会监督，{s}全年未收到涉及政府信息公开工作的投诉举报。",
)
_PROBLEMS = (
    "一是政策解读形式较为单一，图解、视频等多元化解读较少；二是部分栏目更新不够及时；三是依申请公开办理的规范化水平有待提高。",
    "主动公开的深度和广度还需拓展，基层政务公开标准化规范化建设有待加强，工作人员业务能力仍需提升。",
)
_IMPROVEMENTS = (
    "下一步，将加强政策解读，丰富解读形式；建立栏目更新台账，定期检查；加强依申请公开业务培训，规范答复文书。",
    "针对上述问题，将进一步完善工作机制，强化业务培训，推进重点领域信息公开，不断提升政务公开工作水平。",
)
_OTHER = (
    "{y}年，{s}未收取政府信息公开信息处理费。",
    "依据《政府信息公开信息处理费管理办法》，{y}年{s}未收取信息处理费。无其他需要报告的事项。",
    "{y}年，{s}无其他需要报告的事项。",
)
_FILLER = (
    "同时，加强对各科室政务公开工作的指导，及时解决工作中遇到的问题，推动政务公开工作常态化、规范化开展。",
    "建立政务公开工作联络员制度，明确专人负责信息收集、审核和发布，确保各项工作按时保质完成。",
    "对照政务公开考核评估指标逐项查漏补缺，发现问题及时整改，整改情况纳入年度工作总结。",
    "{y}年，{s}召开政务公开专题会议，研究部署年度重点任务，细化责任分工，推动各项任务落地见效。",
    "持续做好政策文件的集中发布和动态更新，方便群众查阅和获取，不断增强政府工作透明度和公信力。",
    "进一步规范依申请公开办理流程，严格按照受理、登记、审核、答复等环节办理，确保答复内容合法、规范。",
    "注重发挥政务新媒体传播优势，及时转载发布重要政策信息，扩大政府信息的覆盖面和影响力。",
    "加强政府信息公开工作人员队伍建设，通过以会代训、专题辅导等方式，提高业务能力和工作水平。",
    "加强与宣传、网信等部门的沟通协作，做好涉及群众切身利益信息的解读和回应工作。",
)
