"""The fast PDF path reads every PDF we have exactly as the pdfplumber path does.

The fast path (pipeline/readers/pdf_fast.py) takes the page objects from pdfium instead of
pdfminer and then runs the reference code; these tests hold it to the same documents — items
in the same order, the same cell texts, grid positions, spans and pages, the same text-block
texts, boxes within 0.01 pt — the same OCR triage page by page, and the same extracted cells,
on the generated samples in raw/, the shared corpus's PDFs and freshly generated samples with
a seed of their own. Each test also checks that the fast path really read the file (it falls
back to pdfplumber when unsure, which would make the comparison empty).
"""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from conftest import REAL, need_corpus

from pipeline.core.model import Table
from pipeline.core.options import Options
from pipeline.extract import extract
from pipeline.readers import pdf as pdf_reader
from pipeline.readers.ocr import page_ocr_reason
from pipeline.readers.pdf_fast import attach_objects

pytestmark = pytest.mark.e2e

FAST, PLUMBER = Options(pdf_engine="fast"), Options(pdf_engine="pdfplumber")

ROOT = Path(__file__).resolve().parents[1]
RAW_PDFS = sorted((ROOT / "raw").glob("*.pdf"))
CORPUS_TEXT = "淮安市洪泽区人民政府_2023.pdf"
CORPUS_SCAN = "淮安市洪泽区人民政府_2023_scan.pdf"
GENERATED = 8      # reports (about four pages each)
SEED = 5           # not the generator's default: other numbers, other layouts than raw/
TOL = 0.01         # points


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list:
    from samples import generate
    out = tmp_path_factory.mktemp("parity")
    paths = generate(out / "pdf", out / "truth", forms=("pdf",), count=GENERATED, seed=SEED)
    assert len(paths) == GENERATED
    return paths


def triage(path: Path, fast: bool) -> list:
    """page_ocr_reason of every page, from pdfminer's objects or pdfium's."""
    with pdfplumber.open(path) as pdf:
        if fast:
            assert attach_objects(path, pdf.pages) is None, "the fast path declined the file"
        return [page_ocr_reason(page) for page in pdf.pages]


def assert_box(a, b, what):
    assert (a is None) == (b is None), what
    if a is not None:
        assert len(a) == len(b) and all(abs(x - y) <= TOL for x, y in zip(a, b)), (what, a, b)


def assert_same_document(ref, fast):
    assert [f.flag for f in fast.findings] == [f.flag for f in ref.findings]   # a fast path that declined says so
    assert (fast.pages, fast.meta, fast.ocr_pages) == (ref.pages, ref.meta, ref.ocr_pages)
    assert len(fast.items) == len(ref.items)
    for k, (a, b) in enumerate(zip(ref.items, fast.items)):
        where = f"item {k} on page {a.page}"
        assert type(a) is type(b) and a.page == b.page, where
        assert_box(a.bbox, b.bbox, where)
        if isinstance(a, Table):
            assert a.ragged == b.ragged, where
            assert len(a.cells) == len(b.cells), where
            for c, d in zip(a.cells, b.cells):
                assert (c.text, c.row, c.col, c.rowspan, c.colspan, c.page, c.confidence) == \
                       (d.text, d.row, d.col, d.rowspan, d.colspan, d.page, d.confidence), where
                assert_box(c.bbox, d.bbox, f"{where}, cell ({c.row}, {c.col})")
        else:
            assert (a.text, a.kind) == (b.text, b.kind), where


def assert_same_cells(ref, fast):
    a, b = extract(ref).cells, extract(fast).cells
    assert len(a) == len(b) and a, "no cells extracted"
    for x, y in zip(a, b):
        assert x.with_(bbox=None) == y.with_(bbox=None)
        assert_box(x.bbox, y.bbox, x.key)


def check_text_pdf(path: Path):
    assert not any(triage(path, fast=False)), "expected a text PDF"
    assert triage(path, fast=True) == triage(path, fast=False)
    ref = pdf_reader.read(path, options=PLUMBER)
    fast = pdf_reader.read(path, options=FAST)
    assert ref.items, "nothing read"
    assert_same_document(ref, fast)
    assert_same_cells(ref, fast)


def check_scan(path: Path):
    """Image-only PDFs go to OCR either way: only the page triage has to agree."""
    ref = triage(path, fast=False)
    assert ref and all(ref), "expected every page to need OCR"
    assert triage(path, fast=True) == ref


@pytest.mark.parametrize("path", RAW_PDFS, ids=lambda p: p.name)
def test_raw_pdfs(path):
    if path.stem.endswith("_scan"):
        check_scan(path)
    else:
        check_text_pdf(path)


def test_corpus_text_pdf():
    need_corpus()
    check_text_pdf(REAL / CORPUS_TEXT)


def test_corpus_scan_triage():
    need_corpus()
    check_scan(REAL / CORPUS_SCAN)


@pytest.mark.parametrize("k", range(GENERATED))
def test_generated_pdfs(generated, k):
    check_text_pdf(generated[k])


def test_the_reference_engine_stays_selectable(tmp_path):
    """Options(pdf_engine="pdfplumber") leaves the pages to pdfminer; an unknown engine is an error."""
    path = next(p for p in RAW_PDFS if not p.stem.endswith("_scan"))
    assert Options().pdf_engine == "fast"
    assert pdf_reader.read(path).findings == []
    with pytest.raises(ValueError):
        pdf_reader.read(path, options=Options(pdf_engine="pdfminer"))


def test_a_file_the_layer_cannot_reproduce_is_read_with_pdfplumber(monkeypatch):
    """On any doubt the whole file falls back, and the reader says so."""
    from pipeline.readers import pdfium_layer

    def unsure(*args, **kwargs):
        raise pdfium_layer.Unsupported("a test's doubt")

    monkeypatch.setattr("pipeline.readers.pdf_fast.PageLayer", unsure)
    path = next(p for p in RAW_PDFS if not p.stem.endswith("_scan"))
    fast = pdf_reader.read(path, options=FAST)
    ref = pdf_reader.read(path, options=PLUMBER)
    assert [(f.rule, f.message_en) for f in fast.findings] == [
        ("pdf.fast_path_declined", "read with pdfplumber: page 1: a test's doubt")]
    fast.findings = []
    assert_same_document(ref, fast)
