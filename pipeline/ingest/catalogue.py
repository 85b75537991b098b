"""The output folder's catalogue across runs (OUT/work/ingest.json).

A dataset grows. `ogi run A -o OUT` and then `ogi run B -o OUT` holds the reports of A and of B;
`ogi run A B -o OUT` does the same in one run. A file is known by its input folder and its path
in it (`input`, `source`), its content by its hash (`report_id`): running A again with a file
changed replaces that file's entry (its new content is processed, the old one is no longer
published); files of earlier runs that this run did not see are kept. Stage results are stored
per content hash, so nothing already computed is computed again, and a second identical run
writes the same bytes.
"""
from __future__ import annotations

import os
from pathlib import Path

from pipeline.core.store import Workspace, read_json, write_json
from pipeline.core.version import pipeline_version
from pipeline.ingest.files import ingest


def input_root(path: Path) -> str:
    """The folder a file's `source` is relative to: the input itself, or a single file's folder."""
    path = Path(path).resolve()
    return str(path if path.is_dir() else path.parent)


def input_shown(root: str, out: Path) -> str:
    """An input folder as reports.input publishes it: relative to the output folder (`../raw` for
    `ogi run raw -o extracted`), never the machine's absolute path, so the same run elsewhere gives
    the same dataset and OUT / input / source finds the file from anywhere. (The catalogue keys
    files by the folder's real path, `input_root`.)"""
    return Path(os.path.relpath(root, Path(out).resolve())).as_posix() if root else root


def merge(existing: list, fresh: list) -> list:
    """The catalogue after a run: `existing` entries with this run's `fresh` ones put in place
    (same input and source: replaced where they were; new ones: appended in their order).
    `duplicate_of` is worked out again over the whole catalogue."""
    key = lambda e: (e.get("input", ""), e["source"])   # noqa: E731
    new = {key(e): e for e in fresh}
    out = [new.pop(key(e), e) for e in existing]
    out += [e for e in fresh if key(e) in new]
    first_of = {}
    for e in out:
        e["duplicate_of"] = first_of.get(e["sha256"])
        first_of.setdefault(e["sha256"], e["source"])
    return out


def input_roots(inputs) -> list:
    """The input roots of one input (a folder or a file) or several, each once, in order."""
    inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    return list(dict.fromkeys(input_root(p) for p in inputs))


def update_catalogue(ws: Workspace, inputs, exclude: tuple = (), follow_external: bool = False) -> list:
    """Ingest every input folder and merge it into the output folder's catalogue."""
    inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    roots = input_roots(inputs)
    fresh = []
    for p in dict.fromkeys(Path(p) for p in inputs):
        root = input_root(p)
        fresh += [{**e, "input": root} for e in ingest(p, exclude, follow_external, outputs=(ws.out,))]
    before = read_json(ws.catalogue_path) if ws.catalogue_path.exists() else {}
    old_root = before.get("input")
    existing = [{"input": old_root or "", **e} for e in before.get("files", [])]
    entries = merge(existing, fresh)
    known = list(dict.fromkeys(before.get("inputs", [old_root] if old_root else []) + roots))
    write_json(ws.catalogue_path, {"version": pipeline_version(), "inputs": known, "files": entries})
    return entries
