"""Decoding text files whose encoding is declared nowhere (UTF-8, GBK, GB18030, UTF-16)."""
from __future__ import annotations

from pathlib import Path


def decode_bytes(data: bytes) -> str:
    """The text of `data`; an undecodable byte becomes U+FFFD instead of failing the file."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(data).best()
        if best is not None:
            return str(best)
    except Exception:
        pass
    return data.decode("gb18030", errors="replace")


def read_text(path: Path) -> str:
    return decode_bytes(Path(path).read_bytes())
