"""Catalogue the input folder: every file, its content hash, its real format."""
from __future__ import annotations

import fnmatch
import hashlib
import os
from pathlib import Path

from .sniff import sniff

SKIP_DIRS = {".git", "__pycache__", ".venv", "work"}
PAGE_IMAGES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
SKIP_SUFFIXES = {".parquet", ".json", ".csv", ".py", ".pyc", ".ipynb", ".md5", ".sha256"}


def sha256_of(path: Path) -> str:
    """The content hash of a file, or of a page folder (its file names and contents)."""
    h = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")) \
        if path.is_dir() else [path]
    for p in files:
        if path.is_dir():
            h.update(p.name.encode("utf-8") + b"\0")
        with open(p, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def is_page_folder(filenames: list) -> bool:
    """A folder holding nothing but two or more images: the scanned pages of one report."""
    files = [f for f in filenames if not f.startswith(".")]
    return len(files) >= 2 and all(Path(f).suffix.lower() in PAGE_IMAGES for f in files)


# ---- a saved web page's folder (begin) ------------------------------------------------------
# A browser saves a page as <stem>.html and a folder <stem>_files/ (or <stem>.files/) with its
# pictures; the folder belongs to the page (the HTML reader reads its pictures), it is no report
# of its own — not even a folder of page images.
SAVED_PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")


def is_saved_page_folder(dirname: str, filenames: list) -> bool:
    """`dirname` is the pictures folder of a page saved beside it, among `filenames`."""
    for tail in ("_files", ".files"):
        if dirname.endswith(tail) and len(dirname) > len(tail):
            stem = dirname[: -len(tail)]
            names = {f.lower() for f in filenames}
            return any(f"{stem}{suffix}".lower() in names for suffix in SAVED_PAGE_SUFFIXES)
    return False
# ---- a saved web page's folder (end) --------------------------------------------------------


def candidates(root: Path, exclude: tuple = ()):
    """Input files under `root`, recursively, in a stable order; hidden and output files skipped.

    A sub-folder of page images is one candidate (the report those pages make up).
    """
    root = Path(root)
    if root.is_file():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) != root and not dirnames and is_page_folder(filenames):
            yield Path(dirpath)
            continue
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")
                             and not is_saved_page_folder(d, filenames))
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
            "size": _size(p),
            "detected_format": "image" if p.is_dir() else sniff(p),
            "duplicate_of": first_of.get(digest),
        }
        first_of.setdefault(digest, entry["source"])
        entries.append(entry)
    return entries


def _size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.iterdir() if f.is_file()) if p.is_dir() else p.stat().st_size
