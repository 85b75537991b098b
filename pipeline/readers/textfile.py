"""Text helpers the readers share: decoding whatever the encoding (UTF-8, GBK, GB18030, GB2312,
UTF-16), and joining the wrapped lines of one cell.

A declared charset (meta tag, XML declaration) is trusted when it decodes cleanly; gb2312 and
gbk are read as gb18030, their superset, since pages declare gb2312 and then use characters
beyond it. An undecodable byte becomes U+FFFD; it never aborts the file.
"""
from __future__ import annotations

import re
from pathlib import Path

import charset_normalizer


_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|"""
                       rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936", "euc-cn", "hz-gb-2312"}


def decode_bytes(raw: bytes) -> str:
    """Text of an HTML or text file whatever its encoding; never raises on a bad byte.

    A declared charset is trusted when it decodes (nearly) cleanly; a declared gb2312/gbk is read as
    gb18030, its superset, since pages declare gb2312 and then use GBK/GB18030 characters. Without a
    usable declaration: strict UTF-8, else charset-normalizer's guess, else gb18030 with replacement.
    """
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(enc, errors="replace")
    declared = _declared_charset(raw)
    if declared:
        text = raw.decode(declared, errors="replace")
        if _mostly_clean(text):
            return text
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", errors="replace")
    if _mostly_clean(text):          # UTF-8 with a few broken bytes
        return text
    best = charset_normalizer.from_bytes(raw).best()
    if best is not None:
        enc = _canonical(best.encoding)
        return raw.decode(enc, errors="replace")
    return raw.decode("gb18030", errors="replace")


def _declared_charset(raw: bytes):
    m = _DECLARED.search(raw[:8192])
    if not m:
        return None
    name = _canonical((m.group(1) or m.group(2)).decode("ascii", "ignore"))
    try:
        "".encode(name)
    except LookupError:
        return None
    return name


def _canonical(name: str) -> str:
    name = name.strip().lower().replace("_", "-") if name else "utf-8"
    if name in _GB_FAMILY or name.replace("-", "_") in _GB_FAMILY or name.startswith("gb"):
        return "gb18030"
    return name


def _mostly_clean(text: str) -> bool:
    """At most a handful of replacement characters: one bad byte must not change the encoding."""
    bad = text.count("\ufffd")
    return bad <= max(3, len(text) // 2000)



def read_text(path: Path) -> str:
    return decode_bytes(Path(path).read_bytes())


def join_lines(lines) -> str:
    """Lines of one cell or label joined without the line break: '商业' + '企业' → '商业企业';
    a space only between two Latin letters/digits, so 'Times New' + 'Roman' stays two words."""
    out = ""
    for line in (clean_text(x) for x in lines):
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " "
        out += line
    return out


_CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014"
# ... but never between two full-width digits or a digit and a word: "１ ２" is two numbers,
# "行政许可 ２９" a label and its value
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])(?<![０-９])\s+(?=[{_CJK}])(?![０-９])")
WHITESPACE = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\ufeff]+")


def clean_text(s: str) -> str:
    """Collapse whitespace (incl. &nbsp; and full-width spaces) and drop it between CJK characters,
    where it is an artefact of the HTML source's line breaks, never of the report."""
    s = WHITESPACE.sub(" ", s).strip()
    return _SPACE_BETWEEN_CJK.sub("", s)
