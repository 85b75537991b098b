"""A saved web page's metadata: title, publisher and date, from wherever the site puts them.

Government CMSs record them in the <title>, in <meta name=ArticleTitle/PubDate/ContentSource>
tags, in a small 索引号 / 发布机构 / 公开日期 table above the article, or as "发布日期：…" lines.
Each source has a priority (lower wins): a value the page states as a labelled field beats one
guessed from the browser title. The metadata table is not part of the report: the page reader
removes the tables `is_meta_table` recognises before it reads the article. The labels, their
priorities and the words of the box are the data table `data/meta_fields.csv`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from bs4 import Tag

from pipeline.formats.headings import table_words
from pipeline.formats.pages import meta_fields
from pipeline.readers.html_dom import block_of, cell_text
from pipeline.readers.textfile import WHITESPACE, clean_text

_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")


def page_meta(soup) -> dict:
    """The <title> and the CMS <meta name=ArticleTitle/PubDate/ContentSource> tags."""
    meta = {}
    title = clean_text(soup.title.get_text()) if soup.title else ""
    if title:
        meta["page_title"] = (0, title)
        meta["title"] = (4, title)
    names = {"articletitle": "title", "pubdate": "date", "publishdate": "date", "contentsource": "publisher"}
    for tag in soup.find_all("meta"):
        key = names.get(str(tag.get("name", "")).lower())
        if key and tag.get("content"):
            merge_meta(meta, {key: (2, _meta_value(key, tag["content"]))})
    return meta


def _meta_value(key: str, value: str):
    value = clean_text(value)
    if key == "date":
        m = _DATE.search(value)
        if not m:
            return None
        y, mo, d = (int(g) for g in m.groups())
        return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None
    if not value or "://" in value or value.lower().startswith("www."):
        return None
    return value


def merge_meta(meta: dict, found: dict) -> None:
    """Keep, per key, the value of best (lowest) priority; the first one found wins ties."""
    for key, (prio, value) in found.items():
        if value and (key not in meta or prio < meta[key][0]):
            meta[key] = (prio, value)


def is_meta_table(table: Tag) -> bool:
    """The 索引号/发布机构/公开日期 box above the article, not part of the report: a small leaf
    table naming at least two metadata fields (four when it also has a statistic table's word,
    as in 主题分类：行政复议)."""
    if table.find("table") or len(table.find_all("tr")) > 10:
        return False
    text = table.get_text()
    words = sum(w in text for w in meta_fields().box_words)
    return words >= 2 and (words >= 4 or not table_words().search(text))


def meta_from_tables(tables) -> dict:
    """Label cell → the next cell's text, or 'label：value' inside one cell."""
    found = {}
    for table in tables:
        for tr in table.find_all("tr"):
            texts = [cell_text(td) for td in tr.find_all(["td", "th"], recursive=False)]
            for i, text in enumerate(texts):
                label = text.rstrip(":：").replace(" ", "")
                if label in meta_fields().fields and i + 1 < len(texts):
                    key, prio = meta_fields().fields[label]
                    merge_meta(found, {key: (prio, _meta_value(key, texts[i + 1]))})
                else:
                    merge_meta(found, _label_values(text, 0))
    return found


def meta_from_text(body: Tag) -> dict:
    """'发布日期：2020-01-31' and the like in the page's text, below any table's word."""
    found = {}
    for line in _block_lines(body):
        if len(line) < 400:
            merge_meta(found, _label_values(line, 2))
    return found


def _block_lines(node: Tag) -> list:
    """The text of each innermost block element (a line of the page as shown), in one pass."""
    lines, buf, current = [], [], None
    for s in node.strings:
        block = block_of(s)
        if block is not current and buf:
            lines.append("".join(buf))
            buf = []
        current = block
        buf.append(str(s))
    if buf:
        lines.append("".join(buf))
    return lines


@lru_cache(maxsize=1)
def _label_value() -> re.Pattern:
    """'发布日期：2020-01-31' in a line: a field's label and its value, which ends where the line
    shows a gap, a bar, or another label."""
    fields = "|".join(map(re.escape, sorted(meta_fields().fields, key=len, reverse=True)))
    labels = "|".join(map(re.escape, meta_fields().labels))
    return re.compile(r"(?<![\u4e00-\u9fff])(%s)\s*[:：]\s*(\S[^:：]{0,80}?)"
                      r"(?=\s{2,}|\s*[|｜]|\s+\S{2,6}\s*[:：]|\s*(?:%s)\s*[:：]|$)" % (fields, labels))


def _label_values(text: str, base: int) -> dict:
    found = {}
    for m in _label_value().finditer(WHITESPACE.sub(" ", text).strip()):
        key, prio = meta_fields().fields[m.group(1)]
        merge_meta(found, {key: (base + prio, _meta_value(key, m.group(2)))})
    return found
