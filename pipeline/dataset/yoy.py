"""Year-over-year anomalies: warnings for a person to look at, never errors.

    cross_year.jump             a watched total (data/yoy.csv) is `jump` times last year's or
                                that fraction of it (both at least 1, the larger at least
                                `jump_floor`)
    cross_year.to_zero          a watched total that was at least `zero_floor` is 0
    cross_year.copied_table     a standard table identical to last year's, cell for cell, with at
                                least `copied_min_nonzero` non-zero numbers (empty tables are
                                alike by nature)
    cross_year.copied_overview  the overview's text near-identical to last year's: similarity
                                (rapidfuzz ratio) of at least `overview_similar` once digits and
                                spaces are left out, on texts of at least `overview_min_chars`

The thresholds are the data table data/yoy_thresholds.csv (`thresholds`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache

from pipeline import data
from pipeline.core.findings import Finding, number_text, with_evidence
from pipeline.formats import layout


@dataclass(frozen=True)
class Thresholds:
    """data/yoy_thresholds.csv, typed (its `meaning` column says what each is)."""
    jump: float
    jump_floor: float
    zero_floor: float
    copied_min_nonzero: int
    overview_similar: float       # 0–1
    overview_min_chars: int


@lru_cache(maxsize=1)
def thresholds() -> Thresholds:
    given = {r["name"]: r["value"] for r in data.rows("yoy_thresholds.csv")}
    names = [f.name for f in fields(Thresholds)]
    if sorted(given) != sorted(names):
        raise ValueError(f"data/yoy_thresholds.csv must give exactly {', '.join(names)}; it gives "
                         f"{', '.join(given)}")
    kind = {"float": float, "int": int}          # the fields' annotations, as written
    return Thresholds(**{f.name: kind[f.type](given[f.name]) for f in fields(Thresholds)})


@lru_cache(maxsize=1)
def watched() -> tuple:
    return tuple((tuple(r["cell"].split(".")), r["zh"], r["en"]) for r in data.rows("yoy.csv"))


def _index(cells: list) -> dict:
    return {c.key: c for c in cells}


def _num(c):
    return c.value if c is not None and c.kind == "number" and c.value is not None else None


def check_anomalies(r, prev, year: int) -> list:
    """Warnings of one office-year (a cross_year.YearReport) against the year before."""
    now, before = _index(r.cells), _index(prev.cells)
    against = f"{prev.source} {year - 1}年"
    t = thresholds()
    out = []
    for key, zh, en in watched():
        a, b = _num(before.get(key)), _num(now.get(key))
        if a is None or b is None:
            continue
        code, old, new = ".".join(key), number_text(a), number_text(b)
        if a >= t.zero_floor and b == 0:
            out.append(with_evidence(Finding(
                "cross_year.to_zero", code, "warning", expected=f"{old} ({year - 1})", found="0",
                message_zh=f"{zh}由上年的{old}降为0（对照 {against}）",
                message_en=f"{en}: {old} last year, 0 this year (against {against})", stage="cross_year"),
                [now[key]]))
        elif a >= 1 and b >= 1 and max(a, b) >= t.jump_floor and max(a, b) / min(a, b) >= t.jump:
            out.append(with_evidence(Finding(
                "cross_year.jump", code, "warning", expected=f"{old} ({year - 1})", found=new,
                message_zh=f"{zh}由上年的{old}变为{new}（相差{max(a, b) / min(a, b):.0f}倍，对照 {against}）",
                message_en=f"{en}: {old} last year, {new} this year (×{b / a:.2g}, against {against})",
                stage="cross_year"), [now[key]]))
    for table in layout.tables():
        mine = {k: c for k, c in now.items() if k[0] == table}
        theirs = {k: c for k, c in before.items() if k[0] == table}
        nonzero = sum(1 for c in mine.values() if (_num(c) or 0) != 0)
        if mine and nonzero >= t.copied_min_nonzero and mine.keys() == theirs.keys() and all(
                (c.kind, c.value) == (theirs[k].kind, theirs[k].value) for k, c in mine.items()):
            out.append(Finding(
                "cross_year.copied_table", table, "warning", expected="a table of this year",
                found=f"{len(mine)} cells equal to {year - 1}",
                message_zh=f"{layout.title(table)}与上年报告完全相同（{len(mine)}个单元格，对照 {against}）",
                message_en=f"{layout.title(table, 'en')} is identical to last year's ({len(mine)} cells, against "
                           f"{against})", stage="cross_year"))
    similar = overview_similarity(r.overview, prev.overview)
    if similar is not None and similar / 100 >= t.overview_similar:
        out.append(Finding(
            "cross_year.copied_overview", "overview", "warning", expected=f"< {t.overview_similar:.2f}",
            found=f"{similar / 100:.3f}",
            message_zh=f"一、总体情况的文字与上年几乎相同（相似度{similar / 100:.3f}，对照 {against}）",
            message_en=f"the overview is near-identical to last year's (similarity {similar / 100:.3f}, against "
                       f"{against})", stage="cross_year"))
    return out


def _plain(text: str) -> str:
    return re.sub(r"[\s\d０-９.,，、%％]+", "", text or "")


def overview_similarity(a: str, b: str):
    """0–100, or None when either text is too short to judge."""
    a, b = _plain(a), _plain(b)
    if min(len(a), len(b)) < thresholds().overview_min_chars:
        return None
    from rapidfuzz import fuzz
    return fuzz.ratio(a, b)
