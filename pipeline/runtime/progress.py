"""The progress bar of a run: how many files are done, and which file was the last one.

It stays on the terminal when the run ends (a record of how long it took), writes to stderr so
that stdout carries only the summary (`ogi run … --json | jq`), and never stops a run: a bar on
a closed pipe (`ogi run 2>&1 | head`) drops what it cannot write.
"""
from __future__ import annotations

import sys
import unicodedata

NAME_WIDTH = 40     # terminal columns of the file name shown beside the bar


class Progress:
    """A tqdm bar over the files of a run; `done(entry)` counts a file and names it."""

    def __init__(self, total: int, enabled: bool, what: str = "reports"):
        from tqdm import tqdm
        self.bar = tqdm(total=total, unit="file", desc=what, disable=not enabled or None,
                        file=_Quiet(sys.stderr), leave=True, dynamic_ncols=True)

    def start(self, entry: dict) -> None:
        """Name the file being read now (when files are read one at a time)."""
        self.bar.set_postfix_str(shorten(entry["source"]), refresh=True)

    def done(self, entry: dict) -> None:
        self.bar.set_postfix_str(shorten(entry["source"]), refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def width(text: str) -> int:
    """Terminal columns of `text`: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def shorten(text: str, columns: int = NAME_WIDTH) -> str:
    """`text` on one line in at most `columns` columns, cut in the middle (the start says where
    a file is, the end which year it is)."""
    text = " ".join(str(text).split())
    if width(text) <= columns:
        return text
    head = _fit(text, (columns - 1) // 2)
    tail = _fit(text[::-1], columns - 1 - width(head))[::-1]
    return head + "…" + tail


def _fit(text: str, columns: int) -> str:
    """The longest start of `text` within `columns` columns."""
    out, used = [], 0
    for ch in text:
        used += width(ch)
        if used > columns:
            break
        out.append(ch)
    return "".join(out)


def pad(text: str, columns: int) -> str:
    """`text` padded with spaces to `columns` terminal columns."""
    return text + " " * max(0, columns - width(text))


class _Quiet:
    """A stream that drops what it cannot write."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        try:
            return self.stream.write(text)
        except (OSError, ValueError):
            return 0

    def flush(self):
        try:
            self.stream.flush()
        except (OSError, ValueError):
            pass

    def __getattr__(self, name):
        return getattr(self.stream, name)
