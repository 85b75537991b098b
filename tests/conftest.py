"""Shared fixtures. Tests that read ../shared/corpus skip cleanly when it is absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("OGI_CORPUS", ROOT.parent / "shared" / "corpus"))
REAL = CORPUS / "real"
TRUTH = CORPUS / "truth"


def need_corpus():
    if not REAL.is_dir() or not (TRUTH / "reports.csv").exists():
        pytest.skip(f"the shared corpus is not at {CORPUS}")


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory):
    """`ogi run` over the real corpus (text and web forms; the scan has its own tests)."""
    need_corpus()
    from pipeline.runtime.run import run
    out = tmp_path_factory.mktemp("corpus_out")
    run(REAL, out, workers=2, progress=False, exclude=("*_scan.pdf",))
    return out


@pytest.fixture(scope="session")
def samples_run(tmp_path_factory):
    """`ogi run` over the project's samples in raw/ (every form but the scans; not raw/truth, the
    samples' truth: CSV files that are no reports, each of which would get a `not_a_report` row)."""
    from pipeline.runtime.run import run
    out = tmp_path_factory.mktemp("samples_out")
    run(ROOT / "raw", out, workers=2, progress=False, exclude=("*_scan.*", "truth"))
    return out
