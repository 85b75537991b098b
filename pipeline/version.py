"""The pipeline version that decides whether a cached result is still valid.

It is the package version plus a digest of the code and data tables, so any change to the
readers, labels or rules makes a re-run redo the files it affects, and nothing else does.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from . import __version__

ROOT = Path(__file__).parent


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    h = hashlib.sha256()
    for p in sorted(ROOT.rglob("*")):
        if p.suffix in (".py", ".csv", ".json", ".txt") and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(ROOT)).encode())
            h.update(p.read_bytes())
    return f"{__version__}+{h.hexdigest()[:10]}"
