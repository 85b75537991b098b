"""Shared fixtures, the test markers, and what a test does when something it needs is absent.

Markers (registered in pyproject.toml, `--strict-markers`); every test carries at least one:

    unit     in-process and fast: no pipeline run over files, no OCR, no browser, no
             subprocess-heavy work (`pytest -m unit` runs them all in well under a minute)
    e2e      runs the pipeline (or the CLI, or the generator's files) end to end
    ocr      runs the OCR engine
    browser  drives headless Chromium

Something a test needs that is not installed (a Python package, LibreOffice, Chromium, a CJK
font, the shared corpus) goes through `absent()`: a newcomer without it sees a skip that says what
is missing; where `.ci/run` set OGI_REQUIRE_TOOLS=1 (which installs everything) the same absence
fails the test, so a broken install cannot leave CI green. Only a package that is genuinely not
installed counts as absent: an ImportError raised inside an installed package, or inside ours,
is an error, never a skip. The shared corpus is data beside the repository, not a tool: its
absence fails only where OGI_REQUIRE_CORPUS=1 is set.
"""
from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("OGI_CORPUS", ROOT.parent / "shared" / "corpus"))
REAL = CORPUS / "real"
TRUTH = CORPUS / "truth"

REQUIRE_TOOLS = "OGI_REQUIRE_TOOLS"      # set by .ci/run: every package and tool must be there
REQUIRE_CORPUS = "OGI_REQUIRE_CORPUS"    # set where the shared corpus must be there
MARKERS = ("unit", "e2e", "ocr", "browser")
# fixtures that run the pipeline over a folder: a test using one is no unit test
RUNS = frozenset({"corpus_run", "samples_run", "whole_corpus"})


def absent(reason: str, switch: str = REQUIRE_TOOLS):
    """Skip the calling test (or module) because something it needs is not here, saying what;
    fail it instead when the environment variable `switch` is set (to anything but 0)."""
    if os.environ.get(switch, "") not in ("", "0"):
        pytest.fail(f"{reason} — and {switch} is set, so it must be here", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def need_module(name: str, why: str = ""):
    """The module `name` imported, or absent() when its package is not installed. A module that
    is installed but fails to import (an ImportError from inside it, or from our own package)
    raises: that is a bug to see, not a missing tool."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        missing = e.name or ""
        if missing and (name == missing or name.startswith(missing + ".")) and missing.split(".")[0] not in (
                "pipeline", "samples"):
            absent(f"{why or 'needed here'}: the Python package {missing!r} is not installed "
                   "(pip install -e '.[test]')")
        raise


def need_tool(names, why: str, install: str) -> str:
    """The path of the first of `names` on PATH, or absent() naming the package to install."""
    names = (names,) if isinstance(names, str) else tuple(names)
    path = next((p for p in map(shutil.which, names) if p), None)
    if path is None:
        absent(f"{why}: {' / '.join(names)} is not installed (Debian: apt-get install {install})")
    return path


def need_engine() -> None:
    """The OCR engine's packages (they are dependencies: absent only in a broken install)."""
    for name in ("cv2", "onnxruntime", "rapidocr"):
        need_module(name, "the OCR engine")


def need_font() -> None:
    """A CJK font pdfium can draw the generated pages' Chinese with."""
    from samples import scan
    if not scan.cjk_font_available():
        absent(f"no CJK font for rendering the sample pages (Debian: apt-get install {scan.FONT_PACKAGE})")


@pytest.fixture(scope="session")
def cjk_font():
    """Use it (`@pytest.mark.usefixtures("cjk_font")`) in tests that render the generated pages;
    session-scoped, so it is settled before any module fixture that renders them."""
    need_font()


def need_soffice() -> str:
    from pipeline.readers.legacy_word import find_soffice
    exe = find_soffice()
    if exe is None:
        absent("LibreOffice (soffice) is not installed (Debian: apt-get install libreoffice-writer-nogui)")
    return exe


def need_corpus(*paths) -> None:
    """The shared corpus (and these files of it)."""
    for p in (REAL, TRUTH / "reports.csv", *paths):
        if not Path(p).exists():
            absent(f"the shared corpus is not at {CORPUS} ({p} is missing)", REQUIRE_CORPUS)


def pytest_collection_modifyitems(config, items):
    """Every test carries a marker, and a unit test is nothing else and runs no pipeline."""
    wrong = []
    for item in items:
        kinds = {m.name for m in item.iter_markers() if m.name in MARKERS}
        if not kinds:
            wrong.append(f"{item.nodeid}: no marker (one of {', '.join(MARKERS)})")
        elif "unit" in kinds and (len(kinds) > 1 or RUNS & set(item.fixturenames)):
            wrong.append(f"{item.nodeid}: marked unit, but also {sorted(kinds - {'unit'})} "
                         f"or uses {sorted(RUNS & set(item.fixturenames))}")
    if wrong:
        raise pytest.UsageError("tests without the right marker (tests/conftest.py):\n  " + "\n  ".join(wrong))


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory):
    """`ogi run` over the real corpus (every form but the scan, which the OCR tests run)."""
    need_corpus()
    from pipeline.runtime.run import run
    out = tmp_path_factory.mktemp("corpus_out")
    run(REAL, out, workers=2, progress=False, exclude=("*_scan.pdf",))
    return out


@pytest.fixture(scope="session")
def whole_corpus(corpus_run, tmp_path_factory):
    """The corpus run grown by the scans: every document of the shared corpus. Only the scans are
    read again (with OCR); the rest is up to date."""
    need_engine()
    from pipeline.runtime.run import run
    out = tmp_path_factory.mktemp("whole_corpus") / "out"
    shutil.copytree(corpus_run, out)
    again = run(REAL, out, workers=1, progress=False)
    assert sorted(r["source"] for r in again["ran"]) == sorted(p.name for p in REAL.glob("*_scan.pdf"))
    return out


@pytest.fixture(scope="session")
def samples_run(tmp_path_factory):
    """`ogi run` over the project's samples in raw/ (every form but the scans; not raw/truth, the
    samples' truth: CSV files that are no reports, each of which would get a `not_a_report` row)."""
    from pipeline.runtime.run import run
    out = tmp_path_factory.mktemp("samples_out")
    run(ROOT / "raw", out, workers=2, progress=False, exclude=("*_scan.*", "truth"))
    return out
