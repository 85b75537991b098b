"""Office, reporting year and region of a report, from its title and opening paragraph.

`office` is the full name, qualified with its city where the title leaves out a district's
city (淮安市洪泽区人民政府, not 洪泽区人民政府); counties and cities stand alone as they are
written. `year` is the reporting year named in the title, never the publication date.
"""
from __future__ import annotations

import re
import unicodedata

from . import gazetteer as G
from .findings import Finding
from .model import Document, TextBlock

TITLE_HINT = re.compile(r"(政府信息公开|政务公开|信息公开).{0,12}(年度报告|年报|报告)")
YEAR = r"((?:19|20)\d{2})"
YEAR_AT = r"(?P<year>(?:19|20)\d{2})"
SUBJECT = r"(?:关于)?(?:政府信息公开|政务公开|信息公开)"
TITLE_PATTERNS = (  # office, year; year alone; year, office; year in brackets at the end
    re.compile(rf"^(?P<office>.+?){YEAR_AT}年度?{SUBJECT}"),
    re.compile(rf"^{YEAR_AT}年度?{SUBJECT}"),
    re.compile(rf"^{YEAR_AT}年度?(?P<office>.+?){SUBJECT}"),
    re.compile(rf"^(?P<office>.+?){SUBJECT}.*?[(（]{YEAR_AT}年?度?[)）]"),
)
OFFICE_TAIL = re.compile(r"(关于|的)$")
PERIOD = re.compile(rf"统计期限?.{{0,6}}?自?{YEAR}年")
TEXT_YEAR = re.compile(rf"{YEAR}年度?(?:政府信息公开|政务公开)")
PREAMBLE_LINES = 8
TITLE_LINE = 40                       # characters: a longer line is a paragraph, not a title line
SENTENCE = re.compile(r"[，。；]")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).replace("(", "（").replace(")", "）")


def find_title(doc: Document, item_sections: list) -> str:
    """The report's title: the first line, or run of up to three short lines (a wrapped title,
    or the office on the line above the year), that names 政府信息公开…报告 and is not a sentence."""
    lines = [flat(i.text) for i, s in zip(doc.items, item_sections)
             if isinstance(i, TextBlock) and s is None][:PREAMBLE_LINES]
    for k in range(len(lines)):
        for n in (1, 2, 3):
            parts = lines[k:k + n]
            if len(parts) < n or any(len(p) > TITLE_LINE for p in parts):
                break
            title = "".join(parts)
            if TITLE_HINT.search(title) and not SENTENCE.search(title):
                if n == 1 and parse_title(title)[0] is None and k + 1 < len(lines):
                    continue      # the office may follow on the next line
                return title
    return flat(doc.meta.get("title", ""))


def parse_title(title: str):
    """(office, year) as the title writes them; either may be None."""
    t = re.sub(r"[-_|—].*$", "", title) if re.search(r"报告[-_|—]", title) else title
    for pat in TITLE_PATTERNS:
        m = pat.search(t)
        if m:
            office = m.groupdict().get("office") or ""
            office = OFFICE_TAIL.sub("", office).strip("：:“”\"《》【】 ·•.。、，,")
            return office or None, int(m.group("year"))
    return None, None


NAMED_REPORT = re.compile(rf"{YEAR_AT}年度?(?:政府信息公开|政务公开)(?:工作)?(?:年度)?报告")


def office_in_text(text: str):
    """The office a sentence names as the report's author ("现公布重庆市渝中区人民政府2023年
    政府信息公开工作年度报告"): the words before the report's name, from the first place name on.
    For reports whose title is an image or says no office."""
    for m in NAMED_REPORT.finditer(text):
        before = re.split(r"[，。；：、,;:“”《》（）()]", text[max(0, m.start() - 40): m.start()])[-1]
        for i in range(len(before)):
            if G.leading_places(before[i:]):
                return before[i:] or None
    return None


def find_year(title_year, text: str):
    if title_year:
        return title_year
    for pat in (TEXT_YEAR, PERIOD):
        m = pat.search(text)
        if m:
            return int(m.group(1))
    return None


def qualify(office: str, text: str) -> str:
    """The office name with the city (and district) its title left out, when the text says so."""
    places = G.leading_places(office)
    if not places:
        prefix = _places_before(office, text)
        if not prefix:
            return office
        office = "".join(prefix) + office
        places = prefix
    first = G.named(places[0])
    if len(places) == 1 and first and all(p.is_district for p in first):
        city = _city_before(places[0], text)
        if city is None and len({G.city_of(p) for p in first}) == 1:
            city = G.city_of(first[0]).name if G.city_of(first[0]) else None
        if city:
            return city + office
    return office


def _places_before(office: str, text: str) -> list:
    """Place names printed right before the office name somewhere in the text."""
    best = []
    for m in re.finditer(re.escape(office), text):
        names = G.trailing_places(text[max(0, m.start() - 24): m.start()])
        if len(names) > len(best):
            best = names
    return best


def _city_before(district: str, text: str):
    """A city printed right before the district's name in the text (淮安市洪泽区…)."""
    for m in re.finditer(re.escape(district), text):
        names = G.trailing_places(text[max(0, m.start() - 12): m.start()])
        for name in reversed(names):
            if any(p.rank == 1 or p.adcode[:2] in G.MUNICIPALITIES for p in G.named(name)):
                return name
    return None


def region_of(office: str):
    return G.region(G.resolve(G.leading_places(office)))


def report_meta(doc: Document, item_sections: list) -> dict:
    """office, year, province, city, county, title, and findings for what could not be found."""
    title = find_title(doc, item_sections)
    office, year = parse_title(title)
    text = flat(doc.text()[:6000])
    if not office and doc.meta.get("publisher"):
        office = flat(doc.meta["publisher"])
    if not office:
        office = office_in_text(text)
    year = find_year(year, text)
    if office:
        office = qualify(office, flat(title) + text)
    province, city, county = region_of(office) if office else ("", "", "")
    findings = []
    if not office:
        findings.append(Finding("meta.no_office", "report", "warning", message_zh="未能从标题或正文中识别发布机关",
                                message_en="the office could not be found in the title or text"))
    if not year:
        findings.append(Finding("meta.no_year", "report", "warning", message_zh="未能识别报告年度",
                                message_en="the reporting year could not be found"))
    return {"title": title, "office": office, "year": year, "province": province,
            "city": city, "county": county, "findings": findings}
