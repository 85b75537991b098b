"""Lines back into a text whose line breaks were lost: a site archive's plain-text copy of a report
page writes the whole body on one line, and the cells of a table row run together.

The report's own structure says where its lines were: before each numbering (一、 （二） 3.),
after each sentence, after a section heading (一、总体情况 is followed at once by its first
sentence), before each item of table 二 (规章, 行政许可 …) and its header (信息内容), and — in a
report from before 2019 — before its 附件 and its statistics table's header (指标名称). The
words come from the data tables (sections.csv, labels.csv), so a new heading variant or label
is a data row here too. Digits glued to a label are cut off by the extractor, which knows how
many columns a row has and what they must add up to.

A copy that keeps its paragraphs on lines of their own may still run a table's rows together on
one line: such a line — it holds two of a national table's column names side by side, which
prose never does (`holds_table`) — is cut back the same way.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline import data

LONG_LINE = 500            # characters: a line this long in a text file is a run-together body
# Before 一、, （二）, and 3. followed by words — a single-digit item number even right after the
# previous row's digits ("…00000002.其他法律…": the item number is the last digit).
_NUMBERING = re.compile(r"(?<![第“\"（(])(?=[一二三四五六七八九十]{1,2}、)"
                        r"|(?<![第“\"])(?=[（(][一二三四五六七八九十]{1,2}[）)])"
                        r"|(?<!第)(?=\d[.．、][\u4e00-\u9fff“])"
                        r"|(?=附件[0-9一二三四五六七八九十]*[:：])")     # 附件1：…统计表 (a legacy report's table)
_SENTENCE = re.compile(r"(?<=[。；！？])")


@lru_cache(maxsize=1)
def _headings() -> tuple:
    """Section headings without numbering, longest first."""
    return tuple(sorted({r["label"] for r in data.rows("sections.csv")}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _item_words() -> re.Pattern:
    """The labels that start a row or header of table 二, longest first (行政规范性文件 before 规范性文件)."""
    words = {r["label"] for r in data.rows("labels.csv") if r["table"] == "active" and r["axis"] in ("row", "header")}
    words |= {"第二十条"}
    # the header of a legacy report's statistics table (指标名称计量单位2012年度…): its first word
    words |= {r["label"] for r in data.rows("labels.csv") if r["table"] == "legacy" and r["axis"] == "header"
              and r["code"] == "indicator"}
    words = [w for w in words if not re.match(r"^[\d（(一二三四五六七八九十]", w)]
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _adjacent_columns() -> re.Pattern:
    """Two column names of one national table side by side (spaces between at most): a table's
    header run together on a line ("本年制发件数本年废止件数", "结果维持 结果纠正")."""
    by_table = {}
    for r in data.rows("labels.csv"):
        if r["axis"] == "col" and r["table"] != "legacy" and len(r["label"]) >= 3:
            by_table.setdefault(r["table"], set()).add(r["label"])
    pairs = []
    for words in by_table.values():
        alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        pairs.append(rf"(?:{alt})\s*(?:{alt})")
    return re.compile("|".join(pairs))


def holds_table(line: str) -> bool:
    """Whether a line holds a national table run together: its header's column names side by
    side, and digits."""
    return any(ch.isdigit() for ch in line) and _adjacent_columns().search(line) is not None


_TITLE_END = re.compile(r"^.{4,80}?(?:工作)?(?:年度报告|年报)(?=[\u4e00-\u9fff《（(])")


def unrun(text: str) -> list:
    """The lines of a run-together body, stripped, in order."""
    pieces = []
    title = _TITLE_END.match(text.strip())
    if title:                    # the title, run into the first sentence
        pieces.append(title.group(0))
        text = text.strip()[title.end():]
    for sentence in _SENTENCE.split(text):
        for part in _NUMBERING.split(sentence):
            pieces.extend(_after_heading(part))
    lines = []
    for p in pieces[:1] if title else []:
        lines.append(p)
    for p in pieces[1:] if title else pieces:
        lines.extend(_before_items(p))
    return [line.strip() for line in lines if line.strip()]


def _after_heading(part: str) -> list:
    """'一、总体情况2021年，…' → ['一、总体情况', '2021年，…']."""
    m = re.match(r"^([一二三四五六七八九十]{1,2}、\s*)", part)
    if m:
        rest = part[m.end():]
        for h in _headings():
            if rest.startswith(h):
                cut = m.end() + len(h)
                return [part[:cut], part[cut:]]
    return [part]


def _before_items(part: str) -> list:
    """A break before each table-二 item or header word that does not start the piece."""
    out, last = [], 0
    for m in _item_words().finditer(part):
        if m.start() > last:
            out.append(part[last:m.start()])
            last = m.start()
    out.append(part[last:])
    return out
