"""Office, reporting year and region of a report, from its title and opening paragraph.

The office's name is looked for in the title (one line, or up to three: a wrapped title, the
office above the year, a title after a "正文" line), the metadata (title, publisher: a web
page's or crawler's header block) and the opening sentences (本报告由…编制, 本机关（…）, 现公布…
年度报告); pipeline.extract.identity makes it a full name and an office_id. `office` is the full name,
qualified with its city where the title leaves out a district's city (淮安市洪泽区人民政府, not
洪泽区人民政府); counties and cities stand alone as they are written. `year` is the reporting
year named in the title, never the publication date. The words of a title (政府信息公开 …
年度报告) are the data table `data/title_words.csv` (pipeline.formats.headings.title_words).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.core.findings import Finding
from pipeline.core.model import Document, TextBlock
from pipeline.core.results import ReportMeta
from pipeline.extract import gazetteer as G
from pipeline.extract.identity import flat, identify, recognised
from pipeline.formats.headings import title_words

YEAR = r"((?:19|20)\d{2})"
YEAR_AT = r"(?P<year>(?:19|20)\d{2})"


@dataclass(frozen=True)
class _Titles:
    hint: re.Pattern            # a line that may be the title: names 政府信息公开…报告
    patterns: tuple             # office, year; year alone; year, office; year in brackets at the end
    text_year: re.Pattern       # 2023年度政府信息公开… in the text: the reporting year
    named_report: re.Pattern    # 2023年政府信息公开工作年度报告 named in a sentence


@lru_cache(maxsize=1)
def _titles() -> _Titles:
    """How titles and sentences name the report, built from the title words."""
    w = title_words()
    subject = rf"(?:关于)?(?:{w.subject})"
    return _Titles(
        hint=re.compile(rf"(?:{w.subject}).{{0,12}}(?:{w.report})"),
        patterns=(re.compile(rf"^(?P<office>.+?){YEAR_AT}年度?{subject}"),
                  re.compile(rf"^{YEAR_AT}年度?{subject}"),
                  re.compile(rf"^{YEAR_AT}年度?(?P<office>.+?){subject}"),
                  re.compile(rf"^(?P<office>.+?){subject}.*?[(（]{YEAR_AT}年?度?[)）]")),
        text_year=re.compile(rf"{YEAR}年度?(?:{w.subject})"),
        named_report=re.compile(rf"{YEAR_AT}年度?(?:{w.subject})(?:工作)?(?:{w.report})"))


OFFICE_TAIL = re.compile(r"(关于|的)$")
PERIOD = re.compile(rf"统计期限?.{{0,6}}?自?{YEAR}年")
PREAMBLE_LINES = 8
TITLE_LINE = 40                       # characters: a longer line is a paragraph, not a title line
SENTENCE = re.compile(r"[，。；]")


def title_candidates(doc: Document, item_sections: list) -> list:
    """Every line, or run of up to three short lines (a wrapped title, the office on the line
    above the year, a title after a "正文" line), that names 政府信息公开…报告 and is not a
    sentence, in reading order; the metadata's title last."""
    lines = [flat(i.text) for i, s in zip(doc.items, item_sections)
             if isinstance(i, TextBlock) and s is None][:PREAMBLE_LINES]
    out = []
    for k in range(len(lines)):
        for n in (1, 2, 3):
            parts = lines[k:k + n]
            if len(parts) < n or any(len(p) > TITLE_LINE for p in parts):
                break
            title = "".join(parts)
            if _titles().hint.search(title) and not SENTENCE.search(title):
                out.append(title)
    meta_title = flat(doc.meta.get("title", ""))
    if meta_title:
        out.append(meta_title)
    return list(dict.fromkeys(out))


def find_title(doc: Document, item_sections: list) -> str:
    """The report's title: the first candidate that names an office, else the first."""
    candidates = title_candidates(doc, item_sections)
    for title in candidates:
        if parse_title(title)[0]:
            return title
    return candidates[0] if candidates else ""


def parse_title(title: str):
    """(office, year) as the title writes them; either may be None."""
    t = re.sub(r"[-_|—].*$", "", title) if re.search(rf"(?:{title_words().report})[-_|—]", title) else title
    for pat in _titles().patterns:
        m = pat.search(t)
        if m:
            office = m.groupdict().get("office") or ""
            office = OFFICE_TAIL.sub("", office).strip("：:“”\"《》【】 ·•.。、，,")
            return office or None, int(m.group("year"))
    return None, None


# opening sentences that name the author: 本报告由…编制; …（以下简称“本机关”）; 本机关（…）
AUTHOR = (re.compile(r"本(?:年度)?报告由(?P<office>[^，。；、：]{3,40}?)(?:根据|依据|按照|编制|负责|制作)"),
          re.compile(r"(?P<office>[^，。；、：（）“”《》]{3,40}?)[（(]以下简称[“\"]?本(?:机关|单位|局|委|办|厅|院)"),
          re.compile(r"本(?:机关|单位)[（(](?P<office>[^）)]{2,40})[）)]"))

COMPILER = re.compile(r"(?<=[局委厅府署])办公[室厅]$")


def office_in_text(text: str):
    """The office a sentence names as the report's author ("现公布重庆市渝中区人民政府2023年
    政府信息公开工作年度报告"): the words before the report's name, from the first place name on.
    For reports whose title is an image or says no office."""
    found = offices_in_text(text)
    return found[0] if found else None


def offices_in_text(text: str) -> list:
    """Every author the opening sentences name, in order: the words before the report's name
    from the first place name on, then the patterns of AUTHOR (本报告由…编制, 本机关（…）)."""
    out = []
    for m in _titles().named_report.finditer(text):
        before = re.split(r"[，。；：、,;:“”《》（）()]", text[max(0, m.start() - 40): m.start()])[-1]
        for i in range(len(before)):
            if G.leading_places(before[i:]):
                out.append(before[i:])
                break
    for k, pat in enumerate(AUTHOR):
        for m in pat.finditer(text):
            office = m.group("office")
            if k == 0:     # 本报告由…办公室编制 names the compiler: the report is its office's
                office = COMPILER.sub("", office)
            for i in range(len(office)):
                if G.leading_places(office[i:]) or office[i] in G.level_words():
                    out.append(office[i:])
                    break
    return [o for o in dict.fromkeys(out) if o]


def find_year(title_year, text: str):
    if title_year:
        return title_year
    for pat in (_titles().text_year, PERIOD):
        m = pat.search(text)
        if m:
            return int(m.group(1))
    return None


def _trimmed(office: str) -> list:
    """The title's office, and, where a line's word ran into it ("正文湛江市人民政府"), the
    names starting one to five characters in (the first that reads as an office is taken)."""
    out = [office]
    if not G.leading_places(office):
        out += [office[i:] for i in range(1, min(len(office) - 1, 6))]
    return out


def report_meta(doc: Document, item_sections: list) -> tuple:
    """(ReportMeta, findings): the office (and its identity: office_id, office_as_printed,
    division_code, level, kind), year, province, city, county and title, and a finding for what
    could not be found.

    The office is the first name that reads as an office (it has a division): from the title
    lines, the metadata's title, the metadata's publisher (a page's header block), then the
    opening sentences; failing all, the title's office as it stands."""
    text = flat(doc.text()[:6000])
    candidates = title_candidates(doc, item_sections)
    parsed = [(t, *parse_title(t)) for t in candidates]
    title = find_title(doc, item_sections)
    context = flat(title) + text
    names = [(t, o) for t, o, _ in parsed if o]
    names += [(t[t.find(n):], n) for t, o, _ in parsed if o for n in _trimmed(o)[1:]]
    if doc.meta.get("publisher"):
        names.append((None, flat(doc.meta["publisher"])))
    names += [(None, o) for o in offices_in_text(text)]
    ident, first = None, None
    for t, name in names:
        found = identify(name, context)
        first = first or found
        if recognised(found):
            ident = found
            title = t or title
            break
    ident = ident or first
    year = next((y for t, _, y in parsed if t == title and y), None) or next((y for _, _, y in parsed if y), None)
    year = find_year(year, text)
    findings = []
    if ident is None:
        findings.append(Finding("meta.no_office", "report", "warning", message_zh="未能从标题或正文中识别发布机关",
                                message_en="the office could not be found in the title or text"))
    if not year:
        findings.append(Finding("meta.no_year", "report", "warning", message_zh="未能识别报告年度",
                                message_en="the reporting year could not be found"))
    who = ident.to_dict() if ident else {}
    return ReportMeta(title=title, year=year, **who), findings
