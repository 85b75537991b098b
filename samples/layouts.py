"""The official layouts of the 2019 and 2021 report formats, as data.

Every writer (PDF, DOCX, HTML, Markdown, text) draws the same three tables, so the tables are
described once here as grids of cells with spans, and each data cell carries its SCHEMA.md code
`(table, row, col)`. A writer never knows what a row means; it only renders a `Grid`, and the
generator fills the data cells from a report's values by their codes. Wording follows the
official forms (国办公开办函〔2019〕60号 and 〔2021〕30号) exactly; the variations real reports
show are the readers' problem, not this module's.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional

FORMATS = ("2019", "2021")

# Section codes in report order, as truth/reports.csv lists them.
SECTION_CODES = ("overview", "active", "requests", "review_litigation", "problems", "other")

SECTION_HEADINGS = {
    "2019": (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ),
    "2021": (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ),
}

# A wording real offices often use instead of the official 五、 heading.
HEADING_VARIANTS = {
    "五、存在的主要问题及改进情况": "五、政府信息公开工作存在的主要问题及改进情况",
}


@dataclass(frozen=True)
class SubTable:
    """One 第二十条 item of the active-disclosure table: its title, header and rows."""
    item: str                      # 第二十条第（一）项
    header: tuple                  # ("信息内容", column labels...)
    cols: tuple                    # SCHEMA col codes, one per column label
    rows: tuple                    # ((row code, row label), ...)


ACTIVE = {
    "2019": (
        SubTable("第二十条第（一）项", ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
                 ("new_made", "new_published", "total_published"),
                 (("rules", "规章"), ("normative_docs", "规范性文件"))),
        SubTable("第二十条第（五）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
                 ("prev_items", "change", "decisions"),
                 (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项"))),
        SubTable("第二十条第（六）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
                 ("prev_items", "change", "decisions"),
                 (("penalty", "行政处罚"), ("coercion", "行政强制"))),
        SubTable("第二十条第（八）项", ("信息内容", "上一年项目数量", "本年增/减"),
                 ("prev_items", "change"),
                 (("fees", "行政事业性收费"),)),
        SubTable("第二十条第（九）项", ("信息内容", "采购项目数量", "采购总金额"),
                 ("projects", "amount"),
                 (("procurement", "政府集中采购"),)),
    ),
    "2021": (
        SubTable("第二十条第（一）项", ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
                 ("issued", "repealed", "in_force"),
                 (("rules", "规章"), ("normative_docs", "行政规范性文件"))),
        SubTable("第二十条第（五）项", ("信息内容", "本年处理决定数量"),
                 ("decisions",),
                 (("licensing", "行政许可"),)),
        SubTable("第二十条第（六）项", ("信息内容", "本年处理决定数量"),
                 ("decisions",),
                 (("penalty", "行政处罚"), ("coercion", "行政强制"))),
        SubTable("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"),
                 ("amount",),
                 (("fees", "行政事业性收费"),)),
    ),
}

REQUEST_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
REQUEST_APPLICANTS = "申请人情况"
REQUEST_LEGAL = "法人或其他组织"

REQUEST_COLS = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social_welfare", "社会公益组织"),
    ("legal_services", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
APPLICANT_COLS = tuple(c for c, _ in REQUEST_COLS[:-1])

_RESULTS = "三、本年度办理结果"
_WITHHELD = "（三）不予公开"
_UNAVAILABLE = "（四）无法提供"
_NOT_PROCESSED = "（五）不予处理"
_OTHER = "（六）其他处理"

# Hierarchical row labels: each row is (code, path of labels from the outermost level).
_REQUEST_HEAD = (
    ("new", ("一、本年新收政府信息公开申请数量",)),
    ("carried_over", ("二、上年结转政府信息公开申请数量",)),
    ("granted", (_RESULTS, "（一）予以公开")),
    ("partially_granted", (_RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")),
    ("withheld_state_secret", (_RESULTS, _WITHHELD, "1.属于国家秘密")),
    ("withheld_prohibited", (_RESULTS, _WITHHELD, "2.其他法律行政法规禁止公开")),
    ("withheld_security", (_RESULTS, _WITHHELD, "3.危及“三安全一稳定”")),
    ("withheld_third_party", (_RESULTS, _WITHHELD, "4.保护第三方合法权益")),
    ("withheld_internal", (_RESULTS, _WITHHELD, "5.属于三类内部事务信息")),
    ("withheld_process", (_RESULTS, _WITHHELD, "6.属于四类过程性信息")),
    ("withheld_enforcement", (_RESULTS, _WITHHELD, "7.属于行政执法案卷")),
    ("withheld_inquiry", (_RESULTS, _WITHHELD, "8.属于行政查询事项")),
    ("unavailable_not_held", (_RESULTS, _UNAVAILABLE, "1.本机关不掌握相关政府信息")),
    ("unavailable_needs_creation", (_RESULTS, _UNAVAILABLE, "2.没有现成信息需要另行制作")),
    ("unavailable_unclear", (_RESULTS, _UNAVAILABLE, "3.补正后申请内容仍不明确")),
    ("not_processed_petition", (_RESULTS, _NOT_PROCESSED, "1.信访举报投诉类申请")),
    ("not_processed_repeat", (_RESULTS, _NOT_PROCESSED, "2.重复申请")),
    ("not_processed_publication", (_RESULTS, _NOT_PROCESSED, "3.要求提供公开出版物")),
    ("not_processed_excessive", (_RESULTS, _NOT_PROCESSED, "4.无正当理由大量反复申请")),
    ("not_processed_confirmation", (_RESULTS, _NOT_PROCESSED, "5.要求行政机关确认或重新出具已获取信息")),
)
_REQUEST_OTHER_ONE = (("other", (_RESULTS, _OTHER)),)
_REQUEST_OTHER_SPLIT = (
    ("other_no_supplement", (_RESULTS, _OTHER,
                             "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")),
    ("other_no_fee", (_RESULTS, _OTHER,
                      "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")),
    ("other_misc", (_RESULTS, _OTHER, "3.其他")),
)
_REQUEST_TAIL = (
    ("total", (_RESULTS, "（七）总计")),
    ("carried_forward", ("四、结转下年度继续办理",)),
)


def request_rows(fmt: str, split_other: Optional[bool] = None) -> tuple:
    """The requests table's rows for a format: the 2021 form splits （六）其他处理 into three rows.

    `split_other` overrides the default, because some 2021 reports keep the single 2019 row.
    """
    if split_other is None:
        split_other = fmt == "2021"
    other = _REQUEST_OTHER_SPLIT if split_other else _REQUEST_OTHER_ONE
    return _REQUEST_HEAD + other + _REQUEST_TAIL


# Rows that add up to （七）总计 (requests.outcome_sum).
OUTCOME_ROWS = tuple(code for code, _ in _REQUEST_HEAD[2:]) + ("other", "other_no_supplement",
                                                               "other_no_fee", "other_misc")

REVIEW_GROUPS = ("行政复议", "行政诉讼")
REVIEW_ROWS = (
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
)
REVIEW_COLS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)


# ---------------------------------------------------------------------------------------------
# Grids: the layouts as cells with spans, shared by every writer.

@dataclass(frozen=True)
class GridCell:
    """A cell at its top-left grid position; `code` is (table, row, col) for data cells."""
    row: int
    col: int
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    role: str = "label"            # title | header | label | data | footer
    code: Optional[tuple] = None


@dataclass
class Grid:
    """One printed table: its cells, its size and how many leading rows form the header."""
    table: str
    n_rows: int
    n_cols: int
    cells: list = field(default_factory=list)
    header_rows: int = 0

    def at(self) -> list:
        """Rows of grid positions; each holds the cell covering it, or None."""
        g = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    g[r][k] = c
        return g

    def row_cells(self, r: int) -> list:
        """The cells that start in grid row r, left to right."""
        return sorted((c for c in self.cells if c.row == r), key=lambda c: c.col)

    def slice(self, start: int, stop: int) -> "Grid":
        """Rows [start, stop) as a grid of their own, the way a page break cuts a table.

        A vertical span crossing the cut is clipped; its text stays with the part holding the
        span's first row and the continuation is an empty cell, as in a printed report.
        """
        cells = []
        for c in self.cells:
            r0, r1 = max(c.row, start), min(c.row + c.rowspan, stop)
            if r0 >= r1:
                continue
            text = c.text if c.row >= start else ""
            cells.append(replace(c, row=r0 - start, rowspan=r1 - r0, text=text))
        head = max(0, min(self.header_rows, stop) - start)
        return Grid(self.table, stop - start, self.n_cols, cells, head)


def active_grid(fmt: str) -> Grid:
    """The active-disclosure table: four columns, one title row per 第二十条 item.

    Items with fewer than three values merge the value columns, as the official forms do.
    """
    cells, r = [], 0
    for sub in ACTIVE[fmt]:
        cells.append(GridCell(r, 0, sub.item, colspan=4, role="title"))
        r += 1
        spans = _value_spans(len(sub.cols))
        cells.append(GridCell(r, 0, sub.header[0], role="header"))
        for (c0, w), label in zip(spans, sub.header[1:]):
            cells.append(GridCell(r, c0, label, colspan=w, role="header"))
        r += 1
        for row_code, label in sub.rows:
            cells.append(GridCell(r, 0, label, role="label"))
            for (c0, w), col in zip(spans, sub.cols):
                cells.append(GridCell(r, c0, "", colspan=w, role="data", code=("active", row_code, col)))
            r += 1
    return Grid("active", r, 4, cells, header_rows=0)


def _value_spans(n: int) -> list:
    """(first column, width) of n value cells across the three value columns."""
    return {1: [(1, 3)], 2: [(1, 1), (2, 2)], 3: [(1, 1), (2, 1), (3, 1)]}[n]


def requests_grid(fmt: str, split_other: Optional[bool] = None) -> Grid:
    """The requests table: a three-row header over seven value columns, hierarchical labels.

    Three label columns hold the row paths; a label shorter than three levels spans the rest,
    and equal leading labels on consecutive rows merge vertically (三、本年度办理结果 …).
    """
    cells = [
        GridCell(0, 0, REQUEST_CORNER, rowspan=3, colspan=3, role="header"),
        GridCell(0, 3, REQUEST_APPLICANTS, colspan=7, role="header"),
        GridCell(1, 3, REQUEST_COLS[0][1], rowspan=2, role="header"),
        GridCell(1, 4, REQUEST_LEGAL, colspan=5, role="header"),
        GridCell(1, 9, REQUEST_COLS[-1][1], rowspan=2, role="header"),
    ]
    for k, (_, label) in enumerate(REQUEST_COLS[1:-1]):
        cells.append(GridCell(2, 4 + k, label, role="header"))
    rows = request_rows(fmt, split_other)
    cells += _label_cells([path for _, path in rows], top=3, depth=3)
    for i, (row_code, _) in enumerate(rows):
        for k, (col, _) in enumerate(REQUEST_COLS):
            cells.append(GridCell(3 + i, 3 + k, "", role="data", code=("requests", row_code, col)))
    return Grid("requests", 3 + len(rows), 10, cells, header_rows=3)


def _label_cells(paths: list, top: int, depth: int) -> list:
    """Label cells for hierarchical row paths: vertical merges of equal prefixes, and the last
    label of a short path spanning the remaining label columns."""
    cells = []
    for level in range(depth):
        i = 0
        while i < len(paths):
            path = paths[i]
            if level >= len(path):
                i += 1
                continue
            j = i + 1
            if level < len(path) - 1:        # an inner level: merge rows sharing this prefix
                while j < len(paths) and len(paths[j]) > level + 1 and paths[j][:level + 1] == path[:level + 1]:
                    j += 1
            colspan = depth - level if level == len(path) - 1 else 1
            cells.append(GridCell(top + i, level, path[level], rowspan=j - i, colspan=colspan, role="label"))
            i = j
    return cells


def review_grid() -> Grid:
    """The review/litigation table: a three-row header and one data row of 15 numbers."""
    cells = [
        GridCell(0, 0, REVIEW_GROUPS[0], colspan=5, role="header"),
        GridCell(0, 5, REVIEW_GROUPS[1], colspan=10, role="header"),
    ]
    for k, (_, label) in enumerate(REVIEW_COLS):
        cells.append(GridCell(1, k, label, rowspan=2, role="header"))
    cells.append(GridCell(1, 5, REVIEW_ROWS[1][1], colspan=5, role="header"))
    cells.append(GridCell(1, 10, REVIEW_ROWS[2][1], colspan=5, role="header"))
    for g in range(2):
        for k, (_, label) in enumerate(REVIEW_COLS):
            cells.append(GridCell(2, 5 + 5 * g + k, label, role="header"))
    for i, (row_code, _) in enumerate(REVIEW_ROWS):
        for k, (col, _) in enumerate(REVIEW_COLS):
            cells.append(GridCell(3, 5 * i + k, "", role="data", code=("review_litigation", row_code, col)))
    return Grid("review_litigation", 4, 15, cells, header_rows=3)


def cell_codes(fmt: str, split_other: Optional[bool] = None) -> list:
    """Every data cell's code in truth order: active, then requests, then review_litigation."""
    out = []
    for sub in ACTIVE[fmt]:
        for row_code, _ in sub.rows:
            out += [("active", row_code, col) for col in sub.cols]
    for row_code, _ in request_rows(fmt, split_other):
        out += [("requests", row_code, col) for col, _ in REQUEST_COLS]
    for row_code, _ in REVIEW_ROWS:
        out += [("review_litigation", row_code, col) for col, _ in REVIEW_COLS]
    return out


def fill(grid: Grid, texts: dict) -> Grid:
    """The grid with each data cell's text taken from `texts` (code -> written text)."""
    cells = [replace(c, text=texts.get(c.code, "")) if c.code is not None else c for c in grid.cells]
    return Grid(grid.table, grid.n_rows, grid.n_cols, cells, grid.header_rows)
