"""Catalogue the input folder: every file, its content hash, its real format.

Every file under the input folder becomes an entry, whatever its name or extension (a `.csv`,
a folder named `work/`): a file that is no report gets a row saying so. Only hidden files and
folders (a name starting with a dot) and the output folder itself, where it lies inside the
input folder (its datasets and work folder are the run's own), are not listed.

Nothing outside the input folder is ever opened. The folder is walked without following links;
each symbolic link is resolved first and followed only when it leads to a file or folder inside
the input folder (or anywhere, with `follow_external`). A link that loops, dangles or leads
outside, a folder link that leads back into its own parents, and anything that is not a regular
file (a named pipe, a socket, a device) is not opened: it gets an entry with `error` saying why,
and becomes a failed row of its own. A file that cannot be hashed (permission denied, vanished)
likewise. A name that is not valid UTF-8 is shown with U+FFFD where its bad bytes are.
"""
from __future__ import annotations

import errno
import fnmatch
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from pipeline.ingest.sniff import sniff

PAGE_IMAGES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
SKIPPED = "skipped"      # detected_format of an entry that was not opened
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


@dataclass
class Candidate:
    """One thing to catalogue: `path` as listed under the root, `real` the resolved path that is
    read (None when it is not to be opened), `problem` why not."""
    path: Path
    real: Optional[Path] = None
    problem: Optional[str] = None
    folder: bool = False      # a folder of page images


def sha256_of(path: Path) -> str:
    """The content hash of a regular file, or of a page folder (its file names and contents).
    Never follows a link at the last step and never blocks on a pipe."""
    h = hashlib.sha256()
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        files = sorted(p for p in path.iterdir() if _regular(p) and not p.name.startswith("."))
        for p in files:
            h.update(p.name.encode("utf-8", "surrogateescape") + b"\0")
            _hash_into(h, p)
    else:
        _hash_into(h, path)
    return h.hexdigest()


def _hash_into(h, path: Path) -> None:
    fd = os.open(path, _OPEN_FLAGS)
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)


def _regular(p: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(p).st_mode)
    except OSError:
        return False


def is_page_folder(filenames: list) -> bool:
    """A folder holding nothing but two or more images: the scanned pages of one report."""
    files = [f for f in filenames if not f.startswith(".")]
    return len(files) >= 2 and all(Path(f).suffix.lower() in PAGE_IMAGES for f in files)


def display(path) -> str:
    """A path as text a person (and Parquet) can take: bytes that are not UTF-8 become U+FFFD."""
    return os.fsencode(str(path)).decode("utf-8", "replace")


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


def candidates(root: Path, exclude: tuple = (), follow_external: bool = False, outputs: tuple = ()):
    """Input files under `root`, recursively, in a stable order (a folder's files, then its
    sub-folders, each by name); hidden files and the folders `outputs` (real paths: the output
    folder) skipped. A sub-folder of page images is one candidate (the report those pages make
    up). Links and special files as the module says."""
    root = Path(root)
    if not root.is_dir():
        yield Candidate(root, root.resolve())
        return
    top = root.resolve()
    outputs = {Path(o).resolve() for o in outputs}

    def excluded(p: Path) -> bool:
        rel = str(p.relative_to(root))
        return any(fnmatch.fnmatch(p.name, pat) or fnmatch.fnmatch(rel, pat) for pat in exclude)

    def rel(p: Path) -> str:
        return display(p.relative_to(root))

    stack = [(root, top, (top,))]        # (folder as listed, its real path, real paths of it and its parents)
    followed = {}                        # real folder reached through a link → the link
    while stack:
        folder, real_folder, parents = stack.pop()
        try:
            listing = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            yield Candidate(folder, problem=f"the folder {rel(folder)} could not be listed: {e.strerror}")
            continue
        files, subdirs = [], []
        names = [e.name for e in listing]
        for e in listing:
            p = Path(folder) / e.name
            if e.name.startswith("."):
                continue
            if e.is_symlink():
                item = _link(p, root, top, parents, follow_external, rel)
                if item is None:
                    continue
                if isinstance(item, tuple):          # a folder link to follow
                    target = item[1]
                    if target in outputs:
                        continue
                    if target in followed:
                        files.append(Candidate(p, problem=f"{rel(p)} is a link to a folder already read "
                                                          f"through {rel(followed[target])}; not followed again"))
                        continue
                    followed[target] = p
                    subdirs.append((p, target))
                else:
                    files.append(item)
            elif e.is_dir(follow_symlinks=False):
                if real_folder / e.name not in outputs and not is_saved_page_folder(e.name, names):
                    subdirs.append((p, real_folder / e.name))
            elif e.is_file(follow_symlinks=False):
                files.append(Candidate(p, real_folder / e.name))
            else:
                files.append(Candidate(p, problem=f"{rel(p)} is {_special_kind(p)}, not a regular file; not read"))
        for c in files:
            if not excluded(c.path):
                yield c
        pushed = []
        for p, real in subdirs:
            if excluded(p):
                continue
            if _page_folder(real):
                yield Candidate(p, real, folder=True)
            else:
                pushed.append((p, real, parents + (real,)))
        stack.extend(reversed(pushed))


def _link(p: Path, root: Path, top: Path, parents: tuple, follow_external: bool, rel):
    """What to do with the link `p`: a Candidate (a file to read, or a problem), a
    ('folder', real path) to walk, or None (a link to something that is skipped anyway)."""
    try:
        target = Path(os.path.realpath(p, strict=True))
    except OSError as e:
        if e.errno == errno.ELOOP or isinstance(e, RuntimeError):
            return Candidate(p, problem=f"{rel(p)} is a symbolic link loop: following it never reaches a file; not read")
        try:
            to = display(os.readlink(p))
        except OSError:
            to = "?"
        return Candidate(p, problem=f"{rel(p)} is a symbolic link to {to}, which does not exist; not read")
    inside = target == top or top in target.parents
    if not inside and not follow_external:
        return Candidate(p, problem=f"{rel(p)} is a symbolic link to {display(target)}, outside the input folder; "
                                    "not read (--follow-external-links reads such files)")
    try:
        mode = os.stat(target).st_mode
    except OSError as e:
        return Candidate(p, problem=f"{rel(p)} is a symbolic link to {display(target)}, which could not be "
                                    f"read: {e.strerror}")
    if stat.S_ISDIR(mode):
        if any(target == q or target in q.parents for q in parents):
            return Candidate(p, problem=f"{rel(p)} is a link to {_shown(target, top)}, which contains the "
                                        "link itself (a loop); not followed")
        return ("folder", target)
    if not stat.S_ISREG(mode):
        return Candidate(p, problem=f"{rel(p)} is a symbolic link to {_special_kind(target)}, not a regular "
                                    "file; not read")
    return Candidate(p, target)


def _shown(target: Path, top: Path) -> str:
    if target == top:
        return "the input folder"
    return f"the folder {display(target.relative_to(top) if top in target.parents else target)}"


def _special_kind(p: Path) -> str:
    try:
        mode = os.stat(p).st_mode
    except OSError:
        return "an unreadable entry"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _page_folder(real: Path) -> bool:
    """A folder of nothing but (two or more) regular image files and no sub-folders or links."""
    try:
        entries = [e for e in os.scandir(real) if not e.name.startswith(".")]
    except OSError:
        return False
    if not entries or any(e.is_symlink() or not e.is_file(follow_symlinks=False) for e in entries):
        return False
    return is_page_folder([e.name for e in entries])


def ingest(root: Path, exclude: tuple = (), follow_external: bool = False, outputs: tuple = ()) -> list:
    """One entry per input file: report_id, source, path, sha256, size, detected_format,
    duplicate_of, and `error` for the entries that were not opened (their detected_format is
    `skipped`). `outputs`: folders not to list (the output folder, when inside the input)."""
    root = Path(root)
    base = root if root.is_dir() else root.parent
    entries, first_of = [], {}
    for c in candidates(root, exclude, follow_external, outputs):
        source = display(c.path.relative_to(base))
        problem = c.problem
        if problem is None:
            try:
                digest = sha256_of(c.real)
                size = _size(c.real)
                fmt = "image" if c.folder else sniff(c.real)
            except OSError as e:
                problem = f"{source} could not be read: {e.strerror or e}"
        if problem is not None:
            entries.append(_skipped(source, problem))
            continue
        entry = {
            "report_id": digest[:16],
            "source": source,
            "path": str(c.real),
            "sha256": digest,
            "size": size,
            "detected_format": fmt,
            "duplicate_of": first_of.get(digest),
        }
        first_of.setdefault(digest, entry["source"])
        entries.append(entry)
    return entries


def _skipped(source: str, why: str) -> dict:
    """The entry of something not opened: its id is made from its name, since it has no content."""
    digest = hashlib.sha256(b"skipped\0" + source.encode("utf-8")).hexdigest()
    return {"report_id": digest[:16], "source": source, "path": None, "sha256": None, "size": None,
            "detected_format": SKIPPED, "duplicate_of": None, "error": why}


def _size(p: Path) -> int:
    if p.is_dir():
        return sum(f.stat().st_size for f in p.iterdir() if _regular(f))
    return p.stat().st_size
