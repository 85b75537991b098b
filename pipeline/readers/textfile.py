"""Text helpers the readers share: decoding whatever the encoding (UTF-8, GBK, GB18030, GB2312,
Big5, UTF-16 and UTF-32 with or without a byte-order mark), and joining the wrapped lines of one
cell.

Valid UTF-8 is taken as UTF-8 whatever a page declares (GBK text is essentially never valid
UTF-8, while pages saved as UTF-8 often keep their old gb2312 meta tag). Otherwise a declared
charset (meta tag, XML declaration) is trusted when it decodes cleanly; gb2312 and gbk are read
as gb18030, their superset, since pages declare gb2312 and then use characters beyond it. Big5
is the traditional-script encoding: text in it is turned into simplified characters (OpenCC's
t2s), so that labels, headings and office names read as in any other report. An undecodable
byte becomes U+FFFD; it never aborts the file.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import charset_normalizer

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|"""
                       rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936", "euc-cn", "hz-gb-2312"}
_BIG5_FAMILY = {"big5", "big5hkscs", "big5-hkscs", "cp950", "big5-tw", "csbig5", "x-x-big5"}
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def wide_encoding(raw: bytes):
    """(encoding, length of its byte-order mark) for UTF-8 with a BOM and for UTF-16/32 text with
    or without one, else None. Without a BOM, UTF-16/32 shows in the zero bytes of its ASCII
    characters (the tags of a web page, the digits and punctuation of a report): at every other
    byte, or at two of every four."""
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            return enc, len(bom)
    head = raw[:4096]
    n = len(head) - len(head) % 4
    if n < 16 or b"\x00" not in head:
        return None
    q = n // 4
    zeros = [head[i:n:4].count(0) for i in range(4)]
    if zeros[2] == q and zeros[3] == q and zeros[0] < q:
        enc = "utf-32-le"
    elif zeros[0] == q and zeros[1] == q and zeros[3] < q:
        enc = "utf-32-be"
    else:
        even, odd = zeros[0] + zeros[2], zeros[1] + zeros[3]
        half = n // 2
        if odd >= 0.2 * half and even <= 0.02 * half:
            enc = "utf-16-le"
        elif even >= 0.2 * half and odd <= 0.02 * half:
            enc = "utf-16-be"
        else:
            return None
    try:
        head[:n].decode(enc)
    except UnicodeDecodeError as e:
        if e.start < n - 4:          # an error before the last character: not that encoding
            return None
    return enc, 0


def decode_bytes(raw: bytes) -> str:
    """Text of an HTML or text file whatever its encoding; never raises on a bad byte.

    A byte-order mark or the zero bytes of UTF-16/32 decide first; then valid UTF-8; then a
    declared charset when it decodes (nearly) cleanly (gb2312/gbk read as gb18030); then
    charset-normalizer's guess, else gb18030 with replacement. Big5 text comes out simplified.
    """
    wide = wide_encoding(raw)
    if wide:
        enc, bom = wide
        return raw[bom:].decode(enc, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(raw)
    if declared:
        text = raw.decode(declared, errors="replace")
        if _mostly_clean(text):
            return _simplified(text, declared)
    text = raw.decode("utf-8", errors="replace")
    if _mostly_clean(text):          # UTF-8 with a few broken bytes
        return text
    best = charset_normalizer.from_bytes(raw).best()
    if best is not None:
        enc = _canonical(best.encoding)
        return _simplified(raw.decode(enc, errors="replace"), enc)
    return raw.decode("gb18030", errors="replace")


def _simplified(text: str, encoding: str) -> str:
    """Big5 text in simplified characters; any other text as it is."""
    if encoding.replace("_", "-") not in _BIG5_FAMILY:
        return text
    return _t2s().convert(text)


@lru_cache(maxsize=1)
def _t2s():
    from opencc_purepy import OpenCC
    return OpenCC("t2s")


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
