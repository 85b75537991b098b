"""Tolerant matching of printed labels to the canonical codes of SCHEMA.md.

The label knowledge (canonical wording and synonyms per table, axis and format) is the data
table `data/labels.csv`. Real labels have typos, spaces inside words, truncations and notes in
parentheses, so a match is scored: exact after normalisation, else a character similarity
(rapidfuzz), helped by jieba word overlap when the characters alone are inconclusive.
Every match returns its score so the extractor can record how sure it was.

jieba segments with `data/words.txt`, the vocabulary of the labels themselves (with jieba's
own frequencies): it loads at once, where jieba's full dictionary costs a second in every
worker process. After editing labels.csv, regenerate it with `python -m pipeline.formats.labels`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from pipeline import data
from pipeline.formats import layout

DATA = data.DATA
SURE = 0.85          # character similarity above which jieba is not consulted
HOPELESS = 0.45      # ... and below which words cannot lift a label to a match (ExtractSettings.label_accept)
NUMBERING = re.compile(r"^\s*(?:[(（]?\s*[一二三四五六七八九十]+\s*[)）、.．,，]|[(（]?\s*\d+\s*[)）、.．,，]|[(（]\s*[一二三四五六七八九十\d]+\s*[)）])\s*")
NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Label:
    table: str
    axis: str
    code: str
    parent: str
    text: str
    key: str


@dataclass(frozen=True)
class Match:
    code: str
    score: float
    label: Label


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Comparable form of a label: half-width, no numbering, no spaces or punctuation."""
    t = unicodedata.normalize("NFKC", text or "")
    t = re.sub(r"\s+", "", t)
    while True:
        stripped = NUMBERING.sub("", t, count=1)
        if stripped == t:
            break
        t = stripped
    return NON_WORD.sub("", t)


@lru_cache(maxsize=1)
def all_labels() -> tuple:
    return tuple(Label(r["table"], r["axis"], r["code"], r["parent"], r["label"], normalize(r["label"]))
                 for r in data.rows("labels.csv"))


@lru_cache(maxsize=None)
def canonical_label(table: str, axis: str, code: str) -> str:
    """The canonical wording of a code (its first label in labels.csv), without its numbering,
    after its group's where it has one: 不予公开·属于国家秘密. The code itself when unknown."""
    for l in all_labels():
        if l.table == table and l.axis == axis and l.code == code:
            text = _bare(l.text)
            if l.parent:
                group = next((g for g in all_labels() if g.table == table and g.axis == "group"
                              and g.code == l.parent), None)
                if group is not None:
                    text = f"{_bare(group.text)}·{text}"
            return text
    return code


def axis_name(table: str, axis: str, code: str, lang: str = "zh") -> str:
    """What people read for a row or column code: its canonical wording (or English name); a
    legacy indicator the data does not know (`other:<label>`) by the label it was printed with."""
    if axis == "row" and code.startswith(layout.OTHER_ROW):
        return code[len(layout.OTHER_ROW):]
    return canonical_label(table, axis, code) if lang == "zh" else name_en(table, axis, code)


def cell_name(table: str, row: str, col: str, lang: str = "zh", with_table: bool = True) -> str:
    """A cell's full name for people: 三、收到和处理政府信息公开申请情况 · 本年新收政府信息公开申请数量 ·
    自然人 (without the table's title: the row and the column)."""
    parts = ([layout.title(table, lang)] if with_table else []) + [axis_name(table, "row", row, lang),
                                                                   axis_name(table, "col", col, lang)]
    return " · ".join(p for p in parts if p)


def code_name(code: str, lang: str = "zh", with_table: bool = True) -> str:
    """cell_name of a `table.row.col` code (the row of a legacy indicator may hold dots)."""
    table, _, rest = code.partition(".")
    row, _, col = rest.rpartition(".")
    return cell_name(table, row, col, lang, with_table) if row else code


@lru_cache(maxsize=1)
def _names_en() -> dict:
    return {(r["table"], r["axis"], r["code"]): r["en"] for r in data.rows("names_en.csv")}


def name_en(table: str, axis: str, code: str) -> str:
    """The code's name in English words (data/names_en.csv), or the code itself."""
    return _names_en().get((table, axis, code), code)


def _bare(text: str) -> str:
    t = re.sub(r"\s+", "", text)
    while True:
        stripped = NUMBERING.sub("", t, count=1)
        if stripped == t:
            return t
        t = stripped


def labels(table: str, axis: str, parent: str | None = None) -> tuple:
    return tuple(l for l in all_labels() if l.table == table and l.axis == axis
                 and (parent is None or l.parent == parent))


def match(text: str, candidates, accept: float, words: bool = True):
    """The best-scoring candidate label for `text`, or None below `accept` (the extractor's
    `ExtractSettings.label_accept`).

    `words=False` skips the jieba rescoring (for quick screening of many cells).
    """
    key = normalize(text)
    if not key:
        return None
    best = _best(key, tuple(candidates), words)
    return best if best is not None and best.score >= accept else None


@lru_cache(maxsize=65536)
def _best(key: str, candidates: tuple, words: bool):
    """The best candidate for a normalised label (cached: reports repeat the same labels)."""
    best = None
    for label in candidates:
        s = _char_score(key, label.key)
        if best is None or s > best.score:
            best = Match(label.code, s, label)
    if best is not None and words and HOPELESS <= best.score < SURE:
        best = _with_words(key, candidates, best)
    return best


def _char_score(key: str, label: str) -> float:
    if key == label:
        return 1.0
    score = fuzz.ratio(key, label) / 100.0
    shorter, longer = sorted((key, label), key=len)
    if len(shorter) >= 4 and longer.startswith(shorter):
        score = max(score, 0.86)  # a truncated label, or one followed by a note
    return score


def _with_words(key: str, candidates, best: Match) -> Match:
    """Rescore by characters and jieba words together when characters alone are unsure."""
    words = _words(key)
    for label in candidates:
        s = 0.5 * _char_score(key, label.key) + 0.5 * _overlap(words, _words(label.key))
        if s > best.score:
            best = Match(label.code, s, label)
    return best


@lru_cache(maxsize=4096)
def _words(key: str) -> frozenset:
    return frozenset(w for w in _tokenizer().lcut(key) if w.strip())


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba
    jieba.setLogLevel(60)
    tk = jieba.Tokenizer(dictionary=str(DATA / "words.txt"))
    tk.initialize()
    return tk


def vocabulary() -> dict:
    """{word: frequency} of every label and heading, segmented with jieba's full dictionary."""
    import jieba
    jieba.setLogLevel(60)
    texts = [l.text for l in all_labels()] + [r["label"] for r in data.rows("sections.csv")]
    words = {}
    for t in texts:
        for w in jieba.lcut(normalize(t)):
            if w.strip():
                words[w] = jieba.dt.FREQ.get(w) or 1
    return dict(sorted(words.items()))


if __name__ == "__main__":
    with open(DATA / "words.txt", "w", encoding="utf-8") as f:
        f.writelines(f"{w} {n}\n" for w, n in vocabulary().items())


KIND_SCORE = 0.85    # a cell counts towards a table kind when it matches one of its labels this well


def kind_hits(texts) -> dict:
    """{table code: how many of these cell texts are labels of that standard table}. Which table
    a grid of cells is: the segmenter (a table implies its section) and the extractor ask it.
    The national tables only: a legacy statistics table is told by its own header
    (pipeline/extract/legacy.py)."""
    codes = tuple(layout.tables())
    hits = {code: 0 for code in codes}
    for text in texts:
        best, tied = None, False
        for code in codes:
            m = match(text, _labels_of(code), KIND_SCORE, words=False)
            if m and best is not None and m.score == best[1]:
                tied = True
            elif m and (best is None or m.score > best[1]):
                best, tied = (code, m.score), False
        if best and not tied:          # a word of two tables (总计) says neither
            hits[best[0]] += 1
    return hits


@lru_cache(maxsize=None)
def _labels_of(table: str) -> tuple:
    return tuple(l for l in all_labels() if l.table == table)


def _overlap(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return 2.0 * common / (len(a) + len(b))
