"""The pipeline version that decides whether a cached result is still valid.

It is the package version plus a digest of the code and data tables, so any change to the
readers, labels or rules makes a re-run redo the files it affects, and nothing else does.
"""
from __future__ import annotations

import fnmatch
import hashlib
from functools import lru_cache
from pathlib import Path

from pipeline import __version__

ROOT = Path(__file__).parents[1]
# What reads the published datasets, or only talks to the user, and so changes no stage's
# result: editing it must not make a re-run read every file again.
NOT_IN_STAGES = ("outputs/*", "data/export_*.csv", "runtime/summary.py", "runtime/progress.py", "cli.py",
                 "publish/duck.py")


def _in_stages(rel: str) -> bool:
    return not any(fnmatch.fnmatch(rel, pattern) for pattern in NOT_IN_STAGES)


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    h = hashlib.sha256()
    for p in sorted(ROOT.rglob("*")):
        rel = p.relative_to(ROOT).as_posix()
        if p.suffix in (".py", ".csv", ".json", ".txt") and "__pycache__" not in p.parts and _in_stages(rel):
            h.update(str(p.relative_to(ROOT)).encode())
            h.update(p.read_bytes())
    return f"{__version__}+{h.hexdigest()[:10]}"
