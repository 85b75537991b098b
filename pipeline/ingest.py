"""Catalogue the input folder: every file, its content hash, its real format."""
from __future__ import annotations

import fnmatch
import hashlib
import os
from pathlib import Path

from .sniff import sniff

SKIP_DIRS = {".git", "__pycache__", ".venv", "work"}
SKIP_SUFFIXES = {".parquet", ".json", ".csv", ".py", ".pyc", ".ipynb", ".md5", ".sha256"}


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def candidates(root: Path, exclude: tuple = ()):
    """Input files under `root`, recursively, in a stable order; hidden and output files skipped."""
    root = Path(root)
    if root.is_file():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if name.startswith(".") or p.suffix.lower() in SKIP_SUFFIXES:
                continue
            if any(fnmatch.fnmatch(name, pat) or fnmatch.fnmatch(str(p.relative_to(root)), pat) for pat in exclude):
                continue
            yield p


def ingest(root: Path, exclude: tuple = ()) -> list:
    """One entry per input file: report_id, source, path, sha256, size, detected_format."""
    root = Path(root)
    base = root if root.is_dir() else root.parent
    entries, first_of = [], {}
    for p in candidates(root, exclude):
        digest = sha256_of(p)
        entry = {
            "report_id": digest[:16],
            "source": str(p.relative_to(base)),
            "path": str(p.resolve()),
            "sha256": digest,
            "size": p.stat().st_size,
            "detected_format": sniff(p),
            "duplicate_of": first_of.get(digest),
        }
        first_of.setdefault(digest, entry["source"])
        entries.append(entry)
    return entries
